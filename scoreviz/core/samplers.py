"""Langevin samplers (Song & Ermon 2019 conventions): pure tensor functions, no autograd graph.

- Langevin:          x <- x + (eps/2) s(x) + sqrt(eps) z,  z ~ N(0, I)
- Annealed Langevin: sigma_1 > ... > sigma_L geometric; at level i, T steps of Langevin with the
                     score of p_{sigma_i} and step alpha_i = eps * sigma_i^2 / sigma_L^2.

Default step sizes (``default_step_size``, used whenever no step size is given): Langevin
eps = 0.01; annealed eps = 0.1 * sigma_L^2, i.e. alpha_i = 0.1 * sigma_i^2 at every level.
Annealing needs the score at every level (``annealed_refusal``).

Every random number comes from the ``generator`` argument (a torch.Generator on x's device).
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import torch
from torch import Tensor

from scoreviz.core import limits
from scoreviz.core.errors import ScorevizError
from scoreviz.core.text import N_, Composed

ScoreFn = Callable[[Tensor], Tensor]  # x (N, 2) -> (N, 2)
NoisyScoreFn = Callable[[Tensor, float], Tensor]  # (x (N, 2), sigma) -> (N, 2)


def _check_step(step_size) -> float:
    try:
        eps = float(step_size)
    except (TypeError, ValueError):
        raise ScorevizError(f"Langevin step size must be a number > 0, got {step_size!r}") from None
    if not (eps > 0 and math.isfinite(eps)):
        raise ScorevizError(f"Langevin step size must be a number > 0, got {step_size!r}")
    return eps


def _check_steps(name: str, steps) -> int:
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ScorevizError(f"{name} must be a whole number >= 0, got {steps!r}")
    return steps


def geometric_sigmas(sigma_max: float, sigma_min: float, levels: int, dtype: torch.dtype = torch.float32,
                     device=None) -> Tensor:
    """(levels,) noise levels sigma_max ... sigma_min, equally spaced in log; levels = 1 gives [sigma_min]."""
    if isinstance(levels, bool) or not isinstance(levels, int) or levels < 1:
        raise ScorevizError(f"noise levels must be a whole number >= 1, got {levels!r}")
    try:
        hi, lo = float(sigma_max), float(sigma_min)
    except (TypeError, ValueError):
        raise ScorevizError(f"noise levels need numbers sigma_max > sigma_min > 0, got {sigma_max!r}, {sigma_min!r}") from None
    if not (math.isfinite(hi) and lo > 0 and hi > lo):
        raise ScorevizError(f"noise levels need sigma_max > sigma_min > 0, got sigma_max={sigma_max!r}, sigma_min={sigma_min!r}")
    if levels == 1:
        s = torch.tensor([lo], dtype=torch.float64)
    else:
        s = torch.exp(torch.linspace(math.log(hi), math.log(lo), levels, dtype=torch.float64))
        s[0], s[-1] = hi, lo  # exact end points
    return s.to(dtype=dtype, device=device)


LANGEVIN_DEFAULT_STEP = 0.01  # plain Langevin's eps when none is given
ANNEALED_STEP_FRACTION = 0.1  # annealed: alpha_i = this * sigma_i^2 at every level


def default_step_size(sampler: str, sigmas: Sequence[float] | Tensor | None = None) -> float:
    """The step size eps a sampler uses when none is given, for the sigma schedule in force.

    - ``"langevin"``: eps = 0.01 (``sigmas`` is ignored). It stays finite on every preset with the
      true score; 0.1 does not (checkerboard, rings, 2spirals and banana go to NaN).
    - ``"annealed"``: eps = 0.1 * sigma_L^2 (sigma_L = the last, smallest level of ``sigmas``), so the
      per-level step alpha_i = eps * sigma_i^2 / sigma_L^2 = 0.1 * sigma_i^2 at every level; the largest,
      alpha_1 = 0.1 * sigma_1^2, is a tenth of the first level's variance. Why this is safe whatever
      p is: p_sigma = p * N(0, sigma^2 I) has Hessian -I/sigma^2 + Cov[x0 | x]/sigma^4 of log p_sigma, so its
      curvature (-Hessian) is at most 1/sigma^2, and a Langevin step alpha on a density of curvature
      <= 1/v is stable for alpha < 4v: alpha_i = 0.1 sigma_i^2 is 40 times inside that bound at every
      level (for a Gaussian level of variance v >= sigma_i^2 the chain's stationary variance is
      v / (1 - alpha/(4v)), at most 2.6 % too wide). It scales with the schedule as NCSN does (their
      eps is a fixed multiple of sigma_L^2), and it is Song & Ermon's toy setting exactly (sigma 20 -> 1,
      eps = 0.1). With sigma from 1 to 0.01 it gives eps = 1e-5 (alpha_1 = 0.1), where the old default
      eps = 0.01 made alpha_1 = 100 and the particles NaN within the first level.
      The result is capped at the largest allowed step size (``limits``: step_size), which is smaller,
      hence as safe.
    """

    if sampler == "langevin":
        return LANGEVIN_DEFAULT_STEP
    if sampler != "annealed":
        raise ScorevizError(f"sampler {limits.show(sampler)} is not known; use langevin or annealed")
    if sigmas is None:
        raise ScorevizError("the annealed default step size needs the noise levels sigma_1 ... sigma_L")
    levels = [float(s) for s in (sigmas.tolist() if isinstance(sigmas, Tensor) else sigmas)]
    if not levels or not all(s > 0 and math.isfinite(s) for s in levels):
        raise ScorevizError(f"annealed Langevin needs one or more noise levels > 0, got {levels!r}")
    eps = ANNEALED_STEP_FRACTION * min(levels) ** 2
    return min(eps, float(limits.LIMITS["step_size"].max))


def annealed_refusal(score_source: str, noise_conditional: bool, time_conditional: bool = False) -> Composed | None:
    """Why annealed Langevin cannot run with this score (one line, a ``core.text.Composed``: the GUI shows it
    in its language), or None when it can.

    Annealing needs s(x, sigma_i) at every level: the true score (of each p_sigma_i), a
    noise-conditional model or a time-conditional one (objective sde: levels std(t_i) at times t_i,
    ``Session.annealing_times``). A model trained at one noise level has one score only; using it at
    every level is plain Langevin with a changing step, not annealed Langevin.
    """
    if score_source == "true" or noise_conditional or time_conditional:
        return None
    return Composed.compose(N_("annealed Langevin needs the score at every noise level: the learned model is not "
                               "noise-conditional (train with objective ncsn or sde, or use the true score)"))


@torch.no_grad()
def langevin_step(x: Tensor, score_fn: ScoreFn, step_size: float, generator: torch.Generator | None) -> Tensor:
    """One step x + (eps/2) s(x) + sqrt(eps) z; returns a new (N, 2) tensor."""
    eps = _check_step(step_size)
    z = torch.randn(x.shape, generator=generator, device=x.device, dtype=x.dtype)  # (N, 2)
    return x + (0.5 * eps) * score_fn(x).to(x.dtype) + math.sqrt(eps) * z


@torch.no_grad()
def langevin(x: Tensor, score_fn: ScoreFn, step_size: float, steps: int, generator: torch.Generator | None,
             callback: Callable[[int, Tensor], object] | None = None) -> Tensor:
    """`steps` Langevin steps from x (N, 2).

    callback(k, x) is called after step k (1-based); returning False stops early.
    """
    eps = _check_step(step_size)
    steps = _check_steps("Langevin steps", steps)
    for k in range(1, steps + 1):
        x = langevin_step(x, score_fn, eps, generator)
        if callback is not None and callback(k, x) is False:
            break
    return x


@torch.no_grad()
def annealed_langevin(x: Tensor, score_fn: NoisyScoreFn, sigmas: Sequence[float] | Tensor, step_size: float,
                      steps_per_level: int, generator: torch.Generator | None,
                      callback: Callable[[int, Tensor, int], object] | None = None) -> Tensor:
    """Annealed Langevin dynamics: for each sigma_i (largest first), `steps_per_level` steps with
    score_fn(x, sigma_i) and step alpha_i = eps * sigma_i^2 / sigma_L^2 (sigma_L = the last level).

    callback(k, x, i) is called after every step (k = steps done in total, 1-based; i = level index,
    0-based); returning False stops early.
    """
    eps = _check_step(step_size)
    steps_per_level = _check_steps("steps per level", steps_per_level)
    levels = [float(s) for s in (sigmas.tolist() if isinstance(sigmas, Tensor) else sigmas)]
    if not levels or not all(s > 0 and math.isfinite(s) for s in levels):
        raise ScorevizError(f"annealed Langevin needs one or more noise levels > 0, got {levels!r}")
    last = levels[-1]
    k = 0
    for i, sigma in enumerate(levels):
        alpha = eps * (sigma / last) ** 2
        noise = math.sqrt(alpha)
        for _ in range(steps_per_level):
            z = torch.randn(x.shape, generator=generator, device=x.device, dtype=x.dtype)  # (N, 2)
            x = x + (0.5 * alpha) * score_fn(x, sigma).to(x.dtype) + noise * z
            k += 1
            if callback is not None and callback(k, x, i) is False:
                return x
    return x


def initial_particles(n: int, init: str, generator: torch.Generator | None, device=None) -> Tensor:
    """(n, 2) float32 starting points: init "uniform:LO,HI" (each coordinate U[LO, HI)) or
    "gaussian:STD" (N(0, STD^2 I)). device defaults to the generator's device."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ScorevizError(f"number of particles must be a whole number >= 1, got {n!r}")
    if device is None:
        device = generator.device if generator is not None else torch.device("cpu")
    usage = "use 'uniform:LO,HI' (LO < HI) or 'gaussian:STD' (STD > 0)"
    if not isinstance(init, str) or ":" not in init:
        raise ScorevizError(f"bad particle init {init!r}; {usage}")
    kind, _, args = init.partition(":")
    kind = kind.strip().lower()
    try:
        vals = [float(a) for a in args.split(",")]
    except ValueError:
        raise ScorevizError(f"bad particle init {init!r}; {usage}") from None
    if not all(math.isfinite(v) for v in vals):
        raise ScorevizError(f"bad particle init {init!r}; {usage}")
    if kind == "uniform" and len(vals) == 2 and vals[0] < vals[1]:
        lo, hi = vals
        u = torch.rand(n, 2, generator=generator, device=device)
        return lo + (hi - lo) * u
    if kind == "gaussian" and len(vals) == 1 and vals[0] > 0:
        return vals[0] * torch.randn(n, 2, generator=generator, device=device)
    raise ScorevizError(f"bad particle init {init!r}; {usage}")
