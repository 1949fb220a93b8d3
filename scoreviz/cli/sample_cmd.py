"""``scoreviz sample``: runs plain or annealed Langevin with the true score of a density or a
model written by ``train --out``, and writes the particles to a ``.npy`` file.  Runs that involve a
forward process (reverse-sde, pf-ode, pc, a model trained with objective sde) are ``sample_process``'s."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import torch

from scoreviz.cli.config import density_params
from scoreviz.cli.errors import CliError
from scoreviz.cli.evaluate_cmd import check_json_target, report_density, report_text, summary_line
from scoreviz.cli.progress import Progress
from scoreviz.cli.sample_process import sample_with_process, uses_process_sampling
from scoreviz.core import limits, samplers
from scoreviz.core.atomic import check_file_target, write_all
from scoreviz.core.densities import load_density
from scoreviz.core.export import load_model
from scoreviz.core.scorecard import scorecard
from scoreviz.core.session import resolve_device


def cmd_sample(args) -> int:
    """Check the input, build the score, run the sampler; refuse non-finite particles, then write them."""
    if uses_process_sampling(args):  # reverse-sde, pf-ode, pc, a process flag, a model of objective sde
        return sample_with_process(args)  # scoreviz.cli.sample_process
    out = Path(args.out)
    if out.suffix.lower() != ".npy":
        raise CliError(f"--out '{args.out}' must end in .npy")
    check_file_target(out)  # a missing folder, a folder in the way, a name too long: refused before any work
    report = check_json_target(args.report, "--report") if args.report else None
    device = resolve_device(args.device)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.sigma_max <= args.sigma_min:
        raise CliError(f"--sigma-max {args.sigma_max} must be greater than --sigma-min {args.sigma_min}")
    gen = torch.Generator(device=device).manual_seed(args.seed)
    init = args.init
    if args.score == "true":
        density = load_density(args.density, **density_params(args.density_param))
        if init is None:
            xmin, xmax, ymin, ymax = density.box
            init = f"uniform:{min(xmin, ymin)},{max(xmax, ymax)}"
        cache = {}

        def score(x, sigma=None):
            if not sigma:
                return density.score(x)
            if sigma not in cache:
                cache[sigma] = density.perturbed(sigma)
            return cache[sigma].score(x)
    else:
        model, info = load_model(args.score, device)
        limits.check_sampler_work(model.cfg, args.n)  # particles x network within the work budget
        nc = bool(info["model"].get("noise_conditional"))
        refusal = samplers.annealed_refusal("learned", nc) if args.sampler == "annealed" else None
        if refusal:
            raise CliError(f"--sampler annealed with --score {args.score}: {refusal}")
        trained_sigma = float(info.get("sigma") or 0.0)
        density = report_density(info) if report else None  # the scorecard's target: the density trained on
        if init is None:
            box = info.get("density", {}).get("box") or [-4, 4, -4, 4]
            init = f"uniform:{min(box[0], box[2])},{max(box[1], box[3])}"

        def score(x, sigma=None):
            if nc:
                return model.score(x, sigma if sigma else trained_sigma)
            return model.score(x)
    sig = samplers.geometric_sigmas(args.sigma_max, args.sigma_min, args.levels)
    step_size = args.step_size if args.step_size is not None else samplers.default_step_size(args.sampler, sig)
    x = samplers.initial_particles(args.n, init, gen, device)
    if args.sampler == "langevin":
        progress = Progress(args.steps, "langevin")
        x = samplers.langevin(x, lambda z: score(z), step_size, args.steps, gen,
                              callback=lambda k, _x, *_: progress.update(k))
    else:
        total = args.levels * args.steps_per_level
        progress = Progress(total, "annealed")
        x = samplers.annealed_langevin(x, score, sig, step_size, args.steps_per_level, gen,
                                       callback=lambda k, _x, *_: progress.update(k))
    progress.close()
    arr = x.detach().float().cpu().numpy()
    if not np.isfinite(arr).all():
        raise CliError(f"sampling diverged (non-finite particles); lower --step-size (was {step_size:g})")
    card = scorecard(arr, density, seed=args.seed) if report else None  # computed before anything is written
    buf = io.BytesIO()  # in memory first: a failed write then says why (numpy's own file writes lose the errno)
    np.save(buf, arr, allow_pickle=False)
    files = {out: buf.getvalue()}
    if report:
        files[report] = report_text(card).encode("utf-8")
    write_all(files)  # the particles and the report: both or neither
    print(f"wrote {arr.shape[0]} particles to {out}")
    if report:
        print(f"scorecard {summary_line(card)}; wrote {report}")
    return 0
