"""``scoreviz likelihood``: log-likelihoods of exact samples by the probability-flow ODE
(``scoreviz.core.likelihood``), written to ``--out DIR`` as ``likelihood.npz`` and ``likelihood.json``.

N exact samples x of the density D (seeded) are scored: log p(x) = log p_end(x(1)) + integral of div F
from t_eps to 1, F the probability-flow velocity (exact 2x2 divergence, adaptive dopri5 with
``--rtol``/``--atol``, each point within the tolerance).  What is computed is the density at the data end
of the process, p_{t_eps} (for a model, its own p_theta at t_eps); ``true_nll_mean`` is -mean log p_{t_eps}
at the same points, exactly (``marginals.marginal_density``).  p_{t_eps} = p blurred by std(t_eps) ~ 0.01
(and, for vp/subvp, scaled by alpha(t_eps) ~ 0.99995): it differs from p by far less than the spread of
the NLL across points.

- ``--score true``: the exact score of the process's marginals and the exact end density p_1 (not the
  prior, which p_1 only approaches): ``log_prob`` equals the exact log p_{t_eps} to within the solver
  tolerance, a test of the solver (``max_abs_error`` in the JSON).
- ``--score DIR`` (a model trained with ``--objective sde``): the model's own process (contradicting
  process flags are refused) and the process's prior N(0, I) (ve: N(0, sigma_max^2 I)) as the end
  density, as in Song et al. 2021; D defaults to the density the model was trained on.
"""

from __future__ import annotations

import json
import math
import time

import numpy as np
import torch

from scoreviz.cli.config import density_params
from scoreviz.cli.errors import CliError
from scoreviz.cli.evaluate_cmd import report_density
from scoreviz.cli.out_dir import check_out_dir
from scoreviz.cli.progress import Progress
from scoreviz.cli.sde_args import check_model_process, process_from_args
from scoreviz.core.atomic import write_files
from scoreviz.core.densities import load_density
from scoreviz.core.export import load_model, npz_bytes
from scoreviz.core.likelihood import DEFAULT_ATOL, DEFAULT_CHUNK, DEFAULT_RTOL, log_likelihood
from scoreviz.core.marginals import marginal_density, true_score_fn
from scoreviz.core.session import resolve_device
from scoreviz.core.time_score import sde_score

DEFAULT_DENSITY = "8gaussians"  # with --score true and no --density


def _model_score_fn(model, sde):
    """s_theta(x, t) keeping its graph (the exact divergence differentiates it): the float32 network
    on x and t cast down, the result in x's dtype."""
    return lambda x, t: sde_score(model, sde, x.float(), t.float()).to(x.dtype)


def cmd_likelihood(args) -> int:
    """Check the input, draw the points, integrate chunk by chunk (progress on stderr); write the files as a set."""
    if args.n < 2:
        raise CliError(f"--n {args.n}: the mean's standard error needs at least 2 points")
    folder = check_out_dir(args.out)  # nothing is created before the files are ready
    device = resolve_device(args.device)
    if args.threads:
        torch.set_num_threads(args.threads)
    rtol = args.rtol if args.rtol is not None else DEFAULT_RTOL
    atol = args.atol if args.atol is not None else DEFAULT_ATOL
    if args.score == "true":
        density = load_density(args.density or DEFAULT_DENSITY, **density_params(args.density_param))
        sde = process_from_args(args, density.box)
        score_fn = true_score_fn(density, sde)
        end = marginal_density(density, sde, 1.0)
        prior, prior_text = end.log_prob, "exact p_1"
    else:
        model, info = load_model(args.score, device)
        sde = info["sde_config"]
        if sde is None:
            raise CliError(f"--score {args.score} holds a model trained with objective {info['objective_config'].name}, "
                           "which has no time axis; the likelihood needs one trained with --objective sde (or --score true)")
        check_model_process(args, sde, f"{args.score}/model.json")
        density = (load_density(args.density, **density_params(args.density_param)) if args.density
                   else report_density(info))
        score_fn = _model_score_fn(model, sde)
        prior, prior_text = None, f"N(0, {sde.prior_std:g}^2 I)"
    gen = torch.Generator(device=device).manual_seed(args.seed)
    x = density.sample(args.n, gen).double() if device.type != "mps" else density.sample(args.n, gen)
    exact = marginal_density(density, sde, sde.t_eps).log_prob(x)  # the density the ODE's log p is of

    progress = Progress(args.n, "likelihood")
    parts, nfe = [], 0
    t0 = time.perf_counter()
    try:
        for a in range(0, args.n, DEFAULT_CHUNK):  # one adaptive solve per chunk, as log_likelihood's own chunks
            lp, k = log_likelihood(x[a:a + DEFAULT_CHUNK], score_fn, sde, rtol, atol, prior_log_prob=prior,
                                   chunk=DEFAULT_CHUNK, dtype=x.dtype)
            parts.append(lp)
            nfe += k
            progress.update(min(a + DEFAULT_CHUNK, args.n), f"nfe {nfe}")
    finally:
        progress.close()
    seconds = time.perf_counter() - t0
    log_prob = torch.cat(parts).detach().cpu().double().numpy()
    exact_np = exact.detach().cpu().double().numpy()
    bad = int((~np.isfinite(log_prob)).sum())
    if bad:
        raise CliError(f"the likelihood is not finite at {bad} of {args.n} points (the score diverges there); nothing written")
    nll = -log_prob
    summary = {
        "nll_mean": float(nll.mean()),
        "nll_std_error": float(nll.std(ddof=1) / math.sqrt(args.n)),
        "true_nll_mean": float(-exact_np.mean()),
        "nfe": nfe,
        "seconds": seconds,
        "max_abs_error": float(np.abs(log_prob - exact_np).max()),
        "n": args.n,
        "seed": args.seed,
        "density": density.name,
        "score": args.score,
        "sde": sde.to_dict(),
        "exact_density": f"p_t_eps, t_eps = {sde.t_eps:g}",
        "end_density": prior_text,
        "rtol": rtol,
        "atol": atol,
        "device": str(device),
    }
    arrays = {"x": x.detach().cpu().double().numpy(), "log_prob": log_prob}
    write_files(folder, {"likelihood.npz": npz_bytes(arrays),
                         "likelihood.json": (json.dumps(summary, indent=2, allow_nan=False) + "\n").encode("utf-8")})
    print(f"NLL {summary['nll_mean']:.4f} ± {summary['nll_std_error']:.4f} nats (exact {summary['true_nll_mean']:.4f}; "
          f"largest |log p - exact| {summary['max_abs_error']:.2g}) on {args.n} points of {density.name}, "
          f"{sde.describe()}, {nfe} evaluations in {seconds:.1f} s; wrote {folder}/")
    return 0
