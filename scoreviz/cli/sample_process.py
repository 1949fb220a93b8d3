"""``scoreviz sample`` with a forward process (``scoreviz.core.sde``): the reverse-time samplers
``reverse-sde``, ``pf-ode`` (euler | heun | rk45) and ``pc`` (``scoreviz.core.diffusion``), and
``langevin`` / ``annealed`` driven by a time-conditional score.

- The process: with ``--score DIR`` of a model trained with ``--objective sde`` the model's own (from its
  model.json; a process flag that contradicts it is refused), with ``--score true`` the one the flags
  describe (``scoreviz.cli.sde_args``: default vp) and the exact score grad log p_t of its marginals.
- reverse-sde, pf-ode and pc start from the prior (N(0, I); ve: N(0, sigma_max^2 I)) at t = 1 and run to
  t_eps on ``--steps`` evenly spaced time steps (rk45: adaptive, ``--rtol``/``--atol``); ``--out`` gets the
  samples at t_eps.  ``--trajectories FILE.npy`` gets the positions at K = min(steps, 100) + 1 saved times,
  both ends included: (K, N, 2) float32, the prior first, the samples last (``diffusion.saved_indices``).
- langevin runs at t_eps, with s(x, t_eps); annealed at the levels sigma_i = std(t_i), t_i evenly spaced
  from 1 to t_eps (``--levels`` of them, t_L = t_eps), step eps sigma_i^2 / sigma_L^2 (default eps
  0.1 sigma_L^2), as the app's Session does (``Session.annealing_times``/``annealing_sigmas``).

A flag that does not apply to the chosen sampler (``--solver`` without pf-ode, ``--rtol``/``--atol``
without rk45, ``--snr``/``--corrector-steps`` without pc, ``--trajectories`` with langevin/annealed,
``--init``/``--step-size`` with the reverse-time samplers) is refused in one line (``check_sampler_flags``),
before anything runs.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import torch

from scoreviz.cli.config import density_params
from scoreviz.cli.errors import CliError
from scoreviz.cli.evaluate_cmd import check_json_target, report_density, summary_line, write_report
from scoreviz.cli.progress import Progress
from scoreviz.cli.sde_args import check_model_process, given, given_flags, process_from_args, uses_process, verb
from scoreviz.core import samplers
from scoreviz.core.atomic import check_file_target, write_bytes, write_files
from scoreviz.core.densities import load_density
from scoreviz.core.diffusion import (DEFAULT_ATOL, DEFAULT_CORRECTOR_STEPS, DEFAULT_RTOL, DEFAULT_SNR, METHODS,
                                     DiffusionRun, pf_ode)
from scoreviz.core.export import load_model
from scoreviz.core.marginals import true_score_fn
from scoreviz.core.scorecard import scorecard
from scoreviz.core.session import resolve_device
from scoreviz.core.time_score import model_score_fn

DIFFUSION_SAMPLERS = METHODS  # reverse-sde, pf-ode, pc
TRAJECTORY_SAVES = 100  # K - 1 at most: K = min(steps, TRAJECTORY_SAVES) + 1 saved positions
DEFAULT_SOLVER = "euler"


def trajectory_keep(steps: int) -> int:
    """K, the positions ``--trajectories`` saves: min(steps, 100) + 1, both ends included."""
    return min(int(steps), TRAJECTORY_SAVES) + 1


def check_sampler_flags(args) -> None:
    """Refuse, in one line, the process samplers' flags where the chosen sampler does not use them."""
    sampler = args.sampler
    wrong = given_flags(args, (("solver", "--solver"),)) if sampler != "pf-ode" else []
    if wrong:
        raise CliError(f"--solver applies to --sampler pf-ode (not {sampler})")
    solver = args.solver or DEFAULT_SOLVER
    wrong = given_flags(args, (("rtol", "--rtol"), ("atol", "--atol")))
    if wrong and not (sampler == "pf-ode" and solver == "rk45"):
        raise CliError(f"{'/'.join(wrong)} {verb(wrong, 'applies', 'apply')} to the adaptive solver: --sampler pf-ode --solver rk45")
    wrong = given_flags(args, (("snr", "--snr"), ("corrector_steps", "--corrector-steps")))
    if wrong and sampler != "pc":
        raise CliError(f"{'/'.join(wrong)} {verb(wrong, 'applies', 'apply')} to --sampler pc (not {sampler})")
    if given(args.trajectories) and sampler not in DIFFUSION_SAMPLERS:
        raise CliError(f"--trajectories records the paths of reverse-sde, pf-ode and pc (not {sampler})")
    if sampler in DIFFUSION_SAMPLERS:
        wrong = given_flags(args, (("init", "--init"), ("step_size", "--step-size")))
        if wrong:
            raise CliError(f"{'/'.join(wrong)} {verb(wrong, 'does', 'do')} not apply to {sampler}: it starts from the process's prior and "
                           "steps in time (--steps)")


def uses_process_sampling(args) -> bool:
    """Check the sampler's flags; True when the run involves a process (then ``sample_with_process`` runs it):
    a reverse-time sampler, a process flag, or a ``--score DIR`` model trained with objective sde."""
    check_sampler_flags(args)
    if args.sampler in DIFFUSION_SAMPLERS or uses_process(args):
        return True
    if args.score == "true":
        return False
    _model, info = load_model(args.score, "cpu")
    return info["sde_config"] is not None


def _npy_bytes(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()  # in memory first: a failed write then says why
    np.save(buf, arr, allow_pickle=False)
    return buf.getvalue()


def _npy_target(path: str, flag: str) -> Path:
    p = Path(path)
    if p.suffix.lower() != ".npy":
        raise CliError(f"{flag} '{path}' must end in .npy")
    return check_file_target(p)


def _annealing_times(sde, levels: int) -> torch.Tensor:
    """t_1 = 1 > ... > t_L = t_eps, evenly spaced ([t_eps] for one level), float64 (as Session.annealing_times)."""
    if levels == 1:
        return torch.tensor([sde.t_eps], dtype=torch.float64)
    t = torch.linspace(1.0, sde.t_eps, levels, dtype=torch.float64)
    t[-1] = sde.t_eps
    return t


def _reverse(args, sde, score_fn, gen) -> tuple[torch.Tensor, torch.Tensor | None, int, str]:
    """(samples, trajectory or None, nfe, label) of reverse-sde, pf-ode or pc from prior samples."""
    keep = trajectory_keep(args.steps) if args.trajectories else None
    x = sde.prior_sample(args.n, gen)
    solver = args.solver or DEFAULT_SOLVER
    if args.sampler == "pf-ode" and solver == "rk45":
        rtol = args.rtol if args.rtol is not None else DEFAULT_RTOL
        atol = args.atol if args.atol is not None else DEFAULT_ATOL
        res = pf_ode(x, score_fn, sde, solver="rk45", rtol=rtol, atol=atol, keep=keep)
        return res.x, res.trajectory, res.nfe, f"pf-ode rk45 (rtol {rtol:g}, atol {atol:g})"
    run = DiffusionRun(x, score_fn, sde, args.sampler, steps=args.steps, solver=solver,
                       snr=args.snr if args.snr is not None else DEFAULT_SNR,
                       corrector_steps=args.corrector_steps or DEFAULT_CORRECTOR_STEPS, generator=gen, keep=keep)
    progress = Progress(args.steps, args.sampler)
    chunk = max(1, args.steps // 200)
    try:
        while not run.done:
            run.step(chunk)
            progress.update(run.index)
    finally:
        progress.close()
    res = run.result()
    label = f"pf-ode {solver}" if args.sampler == "pf-ode" else args.sampler
    return res.x, res.trajectory, res.nfe, f"{label}, {args.steps} steps"


def _langevin(args, sde, score_fn, gen, device, box) -> tuple[torch.Tensor, str]:
    """langevin at t_eps or annealed at the levels std(t_i), from --init (default uniform over ``box``)."""
    init = args.init
    if init is None:
        init = f"uniform:{min(box[0], box[2])},{max(box[1], box[3])}"
    x = samplers.initial_particles(args.n, init, gen, device)
    if args.sampler == "langevin":
        step_size = args.step_size if args.step_size is not None else samplers.default_step_size("langevin")
        progress = Progress(args.steps, "langevin")
        at = sde.t_eps
        try:
            x = samplers.langevin(x, lambda z: score_fn(z, at), step_size, args.steps, gen,
                                  callback=lambda k, _x, *_: progress.update(k))
        finally:
            progress.close()
        return x, f"langevin at t_eps = {at:g}, step {step_size:g}"
    times = _annealing_times(sde, args.levels)
    sig = sde.std(times)
    time_of = dict(zip((float(s) for s in sig.tolist()), times.tolist()))  # the sampler passes sigma_i back
    step_size = args.step_size if args.step_size is not None else samplers.default_step_size("annealed", sig)
    progress = Progress(args.levels * args.steps_per_level, "annealed")
    try:
        x = samplers.annealed_langevin(x, lambda z, sigma: score_fn(z, time_of[float(sigma)]), sig, step_size,
                                       args.steps_per_level, gen, callback=lambda k, _x, *_: progress.update(k))
    finally:
        progress.close()
    return x, f"annealed at std(t_i), {args.levels} times from 1 to {sde.t_eps:g}, step {step_size:g}"


def sample_with_process(args) -> int:
    """Check the input, build the process and the score, sample, then write the samples (and the
    trajectories, and the --report scorecard)."""
    out = _npy_target(args.out, "--out")
    traj_path = _npy_target(args.trajectories, "--trajectories") if args.trajectories else None
    if traj_path is not None and traj_path.resolve() == out.resolve():
        raise CliError(f"--trajectories '{args.trajectories}' is the same file as --out")
    report = check_json_target(args.report, "--report") if args.report else None
    device = resolve_device(args.device)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.score == "true":
        density = load_density(args.density, **density_params(args.density_param))
        sde = process_from_args(args, density.box)
        score_fn = true_score_fn(density, sde)
        box = density.box
    else:
        model, info = load_model(args.score, device)
        sde = info["sde_config"]
        if sde is None:
            raise CliError(f"--score {args.score} holds a model trained with objective "
                           f"{info['objective_config'].name}, which has no time axis; {args.sampler} and the process "
                           "flags need one trained with --objective sde (or --score true)")
        check_model_process(args, sde, f"{args.score}/model.json")
        score_fn = model_score_fn(model, sde)
        density = report_density(info) if report else None  # the scorecard's target: the density trained on
        box = info.get("density", {}).get("box") or [-4, 4, -4, 4]
    gen = torch.Generator(device=device).manual_seed(args.seed)
    trajectory, nfe = None, None
    if args.sampler in DIFFUSION_SAMPLERS:
        x, trajectory, nfe, label = _reverse(args, sde, score_fn, gen)
    else:
        x, label = _langevin(args, sde, score_fn, gen, device, box)
    arr = x.detach().float().cpu().numpy()
    if not np.isfinite(arr).all():
        hint = "lower --step-size" if args.sampler in ("langevin", "annealed") else "raise --steps"
        raise CliError(f"sampling diverged (non-finite particles); {hint}")
    files = {out: _npy_bytes(arr)}
    if traj_path is not None:
        files[traj_path] = _npy_bytes(trajectory.detach().float().cpu().numpy())
    card = scorecard(arr, density, seed=args.seed) if report else None  # computed before anything is written
    if traj_path is not None and traj_path.parent.resolve() == out.parent.resolve():
        write_files(out.parent, {p.name: data for p, data in files.items()})  # one folder: both or neither
    else:
        for path, data in files.items():
            write_bytes(path, data)
    evaluations = f", {nfe} score evaluations" if nfe is not None else ""
    print(f"wrote {arr.shape[0]} samples to {out} ({label}; {sde.describe()}{evaluations})")
    if traj_path is not None:
        print(f"wrote {trajectory.shape[0]} positions of each sample (t = 1 ... {sde.t_eps:g}) to {traj_path}")
    if report:
        write_report(report, card)
        print(f"scorecard {summary_line(card)}; wrote {report}")
    return 0
