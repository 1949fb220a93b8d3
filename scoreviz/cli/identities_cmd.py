"""``scoreviz identities``: the score-matching identities of a trained model, measured
(``scoreviz.core.identities``), written as JSON.

    scoreviz identities --density D --score DIR [--sigma S] [--n N] [--seed S] --out FILE.json

N exact samples of D (seeded) are shared by every estimator (esm, ism, ssm, ssm-vr, dsm at σ and esm
against p_σ); the four identities, each 0 in expectation for any model, are written with standard errors
from the paired per-sample values.  σ defaults to the model's own when it was trained with dsm, else 0.1;
a noise-conditional model is read at σ, a time-conditional one at its process's t_eps.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import torch

from scoreviz.cli.config import density_params
from scoreviz.cli.errors import CliError
from scoreviz.cli.evaluate_cmd import check_json_target
from scoreviz.core.atomic import check_file_target, write_text
from scoreviz.core.densities import load_density
from scoreviz.core.export import load_model
from scoreviz.core.identities import DEFAULT_SIGMA, ESTIMATORS, IDENTITIES, IdentityProbe
from scoreviz.core.session import resolve_device
from scoreviz.core.text import plain

HOLDS_WITHIN = 3.0  # standard errors


def default_sigma(info: dict) -> float:
    """The model's own noise level when it was trained with dsm, else ``DEFAULT_SIGMA`` (0.1)."""
    objective = info["objective_config"]
    return float(objective.sigma) if objective.name == "dsm" else DEFAULT_SIGMA


def summary_text(result: dict, source: str) -> str:
    """A short report: the estimators, the constants, each identity as value ± 2 SE and whether it holds."""
    se = result["standard_errors"]
    lines = [f"identities of {source} on {result['density']}: n {result['n']}, sigma {result['sigma']:g}, "
             f"seed {result['seed']}" + (f", t {result['t']:g}" if "t" in result else "")]
    lines.append("  " + ", ".join(f"{k} {result[k]:.4g}" for k in ESTIMATORS))
    for key, label in (("half_mean_sq_true_score", "c = 1/2 E|grad log p|^2"),
                       ("dsm_constant", "C = 1/sigma^2 - 1/2 E|grad log p_sigma|^2")):
        method = result[f"{key}_method"]
        error = f" ± {2 * se[key]:.2g}" if method != "exact" else ""
        lines.append(f"  {label} = {result[key]:.6g}{error} ({method})")
    for name in IDENTITIES:
        value, error = result[name], se[name]
        holds = abs(value) <= HOLDS_WITHIN * error
        lines.append(f"  {name:<28} {value:+.4g} ± {2 * error:.2g}  "
                     + ("holds" if holds else f"DOES NOT HOLD ({abs(value) / error:.1f} SE)" if error > 0 else "DOES NOT HOLD"))
    return "\n".join(lines)


def cmd_identities(args) -> int:
    """Check the output name, the sample count, the density and the model; measure; write the JSON."""
    out = check_json_target(args.out, "--out")
    check_file_target(out)  # a name too long, no folder: refused before any work
    if args.n < 2:
        raise CliError(f"--n {args.n}: the standard errors need at least 2 samples; allowed 2..1000000")
    if not Path(args.score).is_dir():
        raise CliError(f"--score '{args.score}' is not a folder with a trained model (model.json, model.pt); "
                       "give a folder written by scoreviz train --out")
    density = load_density(args.density, **density_params(args.density_param))
    device = resolve_device(args.device)
    if args.threads:
        torch.set_num_threads(args.threads)
    model, info = load_model(args.score, device)
    sigma = args.sigma if args.sigma is not None else default_sigma(info)
    t0 = time.perf_counter()
    probe = IdentityProbe(density, n=args.n, sigma=sigma, seed=args.seed)
    measured = probe.measure(model, sde=info["sde_config"])
    result = measured.to_dict()
    result.update(density=density.name, score=str(args.score), objective=info["objective_config"].name,
                  parametrization=model.cfg.parametrization, device=str(device),
                  seconds=time.perf_counter() - t0)
    try:
        text = json.dumps(result, indent=2, allow_nan=False) + "\n"
    except ValueError:  # a model whose score is not finite on the samples: never write invalid JSON
        raise CliError(f"the model in '{args.score}' gives non-finite values on the samples; nothing written") from None
    write_text(out, text)
    print("\n".join(plain(line) for line in summary_text(result, str(args.score)).splitlines()))
    print(f"wrote {plain(out)}")
    return 0
