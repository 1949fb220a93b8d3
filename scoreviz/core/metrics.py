"""Quality figures for a learned score.

Fisher divergence (MATH.md): F = E_{x~q} ‖s_θ(x) − ∇ₓ log q(x)‖², q = the density the objective
targets (``objectives.target_density``), on fresh exact samples of q; relative F = F / E_q‖∇ log q‖².
"""

from __future__ import annotations

import math
from typing import Callable

import torch
from torch import Tensor

from scoreviz.core.errors import ScorevizError

MIN_SAMPLES = 10_000


def fisher_divergence(score_fn: Callable[[Tensor], Tensor], target, n: int = MIN_SAMPLES,
                      generator: torch.Generator | None = None, chunk: int = 8192) -> tuple[float, float]:
    """(F, relative F) on n >= 10 000 fresh samples of `target` (a density object).

    score_fn: x (M, 2) -> (M, 2), e.g. ``model.score`` or ``lambda x: model.score(x, sigma)``.
    Evaluated in chunks of `chunk` points; sums are accumulated in float64 (float32 on MPS).
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < MIN_SAMPLES:
        raise ScorevizError(f"Fisher divergence needs n >= {MIN_SAMPLES} samples, got {n!r}")
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise ScorevizError(f"chunk must be a whole number >= 1, got {chunk!r}")
    with torch.no_grad():
        x = target.sample(n, generator)  # (n, 2)
        acc = torch.float32 if x.device.type == "mps" else torch.float64  # MPS has no float64
        err = torch.zeros((), dtype=acc, device=x.device)
        ref = torch.zeros((), dtype=acc, device=x.device)
        for xc in x.split(chunk):
            true = target.score(xc).to(acc)  # (M, 2)
            learned = score_fn(xc).detach().to(acc)  # (M, 2)
            err += (learned - true).square().sum()
            ref += true.square().sum()
        f = (err / n).item()
        norm = (ref / n).item()
    return f, (f / norm if norm > 0 else float("inf"))


def time_averaged_fisher(score_fn: Callable[[Tensor, float], Tensor], target_at: Callable[[float], object],
                         times, weights, n: int = MIN_SAMPLES, generator: torch.Generator | None = None,
                         chunk: int = 8192) -> tuple[float, float]:
    """(F, relative F) averaged over times: F = Σ_k w_k F(t_k) / Σ_k w_k with F(t) = E_{p_t}‖s(x, t) − ∇log p_t‖²,
    relative to the same average of E_{p_t}‖∇log p_t‖²; n samples split evenly over the times.

    score_fn(x, t) -> (M, 2); target_at(t) -> the density p_t. With w = std(t)² this is the quantity the
    sde objective's sigma2 weighting minimises (up to a constant), free of the 1/std(t) blow-up at t → 0.
    """
    times = [float(t) for t in times]
    weights = [float(w) for w in weights]
    if isinstance(n, bool) or not isinstance(n, int) or n < MIN_SAMPLES:
        raise ScorevizError(f"Fisher divergence needs n >= {MIN_SAMPLES} samples, got {n!r}")
    if not times or len(times) != len(weights) or min(weights) < 0 or sum(weights) <= 0:
        raise ScorevizError("time-averaged Fisher divergence needs times and weights >= 0 of the same length")
    per = max(1, n // len(times))
    err_sum = ref_sum = 0.0
    with torch.no_grad():
        for t, w in zip(times, weights):
            target = target_at(t)
            x = target.sample(per, generator)
            acc = torch.float32 if x.device.type == "mps" else torch.float64
            err = torch.zeros((), dtype=acc, device=x.device)
            ref = torch.zeros((), dtype=acc, device=x.device)
            for xc in x.split(chunk):
                true = target.score(xc).to(acc)
                learned = score_fn(xc, t).detach().to(acc)
                err += (learned - true).square().sum()
                ref += true.square().sum()
            err_sum += w * err.item() / per
            ref_sum += w * ref.item() / per
    total = sum(weights)
    f, norm = err_sum / total, ref_sum / total
    return f, (f / norm if norm > 0 else float("inf"))


# ---------------------------------------------------------------------------- curves
CURVE_POINTS = 100  # points per doubling of the step count is CURVE_POINTS·ln 2 ≈ 69 (the last half of the axis)
CURVE_MAX_FRACTION = 0.03  # at most this share of the training thread's time goes to curve evaluations
CURVE_BURST_S = 0.25  # ... plus this much at the start of a run, where the curve changes fastest,
CURVE_BURST_TAU_S = 1.0  # ... released over the run's first seconds: burst·(1 − exp(−run/τ)), no gap after it


def curve_interval(step: int, points: int = CURVE_POINTS) -> int:
    """Steps between two curve evaluations after ``step``: max(1, step // points).

    The spacing grows with the step, so every stretch [N/2, N] holds about points·ln 2 evaluations
    whatever N: the axis 0..N always shows a curve, dense where training changes fastest (early)."""
    return max(1, int(step) // int(points))


def curve_steps(total: int, points: int = CURVE_POINTS) -> list[int]:
    """The steps 0 < s <= total at which the curve is evaluated (offline: examples, scripts),
    ``total`` always included."""
    out, s = [], 1
    while s < total:
        out.append(s)
        s += curve_interval(s, points)
    if total > 0:
        out.append(int(total))
    return out


class CurveSchedule:
    """When the live curve evaluates the Fisher divergence: by steps, within a time budget.

    A point is due when the step count has moved ``curve_interval(last)`` past the last point and
    the time spent evaluating stays within the budget:
    ``spent + cost <= max_fraction · run + burst · (1 − exp(−run / burst_tau))``, where ``run`` is
    the time training ran and ``cost`` the last evaluation's duration. The start-up allowance is
    released over the first seconds (not all at once, which would spend it on the first few steps
    and leave a long straight gap after them), so points come densely early and thin out smoothly.
    Over any run of length T the share of time spent evaluating is at most max_fraction + burst / T.
    Pure bookkeeping (no clock of its own, no torch): the caller passes the times.
    """

    def __init__(self, points: int = CURVE_POINTS, max_fraction: float = CURVE_MAX_FRACTION,
                 burst_s: float = CURVE_BURST_S, burst_tau_s: float = CURVE_BURST_TAU_S):
        if not points >= 1 or not 0 < max_fraction < 1 or not burst_s >= 0 or not burst_tau_s > 0:
            raise ScorevizError("curve schedule needs points >= 1, 0 < max_fraction < 1, burst_s >= 0, "
                                "burst_tau_s > 0")
        self.points, self.max_fraction, self.burst_s = int(points), float(max_fraction), float(burst_s)
        self.burst_tau_s = float(burst_tau_s)
        self.restart()

    def restart(self, last_step: int = 0, burst: bool = True) -> None:
        """A new run: a new history (``burst``: the early steps, where the curve changes fastest, get
        the start-up allowance), or a session opened at ``last_step`` (burst=False: its early part is
        saved already; the spacing and the time budget alone decide)."""
        self.last_step = int(last_step)
        self.burst_left_s = self.burst_s if burst else 0.0
        self.run_s = 0.0  # time training ran
        self.spent_s = 0.0  # time the evaluations took
        self.cost_s = 0.0  # the last evaluation's duration (the estimate for the next one)
        self.evaluations = 0

    def add_run_time(self, seconds: float) -> None:
        self.run_s += max(0.0, float(seconds))

    def next_step(self) -> int:
        return self.last_step + curve_interval(self.last_step, self.points)

    def due(self, step: int) -> bool:
        return int(step) >= self.next_step() and self.spent_s + self.cost_s <= self.allowance()

    def allowance(self) -> float:
        """Seconds of evaluation the run has earned so far."""
        released = 1.0 - math.exp(-self.run_s / self.burst_tau_s)
        return self.max_fraction * self.run_s + self.burst_left_s * released

    def record(self, step: int, seconds: float) -> None:
        """An evaluation at ``step`` that took ``seconds`` (counted against the budget)."""
        self.last_step = int(step)
        self.cost_s = max(0.0, float(seconds))
        self.spent_s += self.cost_s
        self.evaluations += 1

    def moved(self, step: int) -> None:
        """An evaluation outside the schedule (Pause, Step): the spacing counts from it; no budget used."""
        self.last_step = int(step)

    @property
    def fraction(self) -> float:
        """Share of the run's time spent evaluating so far."""
        return self.spent_s / self.run_s if self.run_s > 0 else 0.0
