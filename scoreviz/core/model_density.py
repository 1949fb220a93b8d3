"""The model's own density: log p_theta by the probability-flow ODE on a grid, and its NLL against the
true entropy (MATH.md, "Continuous time"; ``scoreviz.core.likelihood``).

A time-conditional score model s_theta(x, t) defines a density of its own: the probability-flow ODE
dx/dt = f - g^2 s_theta / 2 run from t_eps to 1 carries x to x(1), and

    log p_theta(x) = log prior(x(1)) + integral_eps^1 div(f - g^2 s_theta / 2) dt

(``likelihood.log_likelihood``: adaptive dopri5, exact 2x2 divergence).  This module evaluates it

- ``model_log_density_grid(model, sde, box, n, rtol, atol, progress, check)``: on an n x n grid over
  ``box`` (the ``fields.grid`` layout: row i is ys[i]), one adaptive solve per ``chunk`` of points,
  ``progress(done, total)`` (points; monotone, 0 first and total last; within a chunk its share of
  [t_eps, 1] covered so far, so a large chunk still moves a progress bar), ``check()`` before every
  chunk and at every score evaluation inside one (a few ms apart): it raises to abort (Orange's
  pattern; the GUI passes its job's ``check``), and what it raised propagates, nothing left behind;
- ``nll_report(model, sde, density, n_points, seed, rtol, atol)``: the model's negative log-likelihood
  E[-log p_theta] in nats on ``n_points`` exact samples of p_{t_eps} (``marginals.marginal_density``),
  its standard error, and the exact -log p_{t_eps} of the same samples, whose mean estimates the
  entropy H(p_{t_eps}) -- the floor: nll_mean - true_nll_mean estimates KL(p_{t_eps} || p_theta) >= 0
  (``gap`` and ``gap_std_error``, a paired estimate, tighter than either mean's).

``model`` is a time-conditional ``ScoreModel`` (its score s_theta = model(x, t) / std(t) with the autograd
graph the exact divergence needs, in the model's dtype and device, cast to the solver's float64), or
any differentiable ``score_fn(x, t)`` such as ``marginals.true_score_fn`` (the tests: with the true
score and ``prior_log_prob`` = the exact log p_1 the grid is the exact log p_{t_eps} within the
tolerance).  The model is put in eval mode for the duration and never changed.

Costs, measured on this machine (2 CPU cores shared with other work, load ~9; one torch thread; a
128 x 3 silu MLP trained 1 500 steps on 8gaussians; float64 solver, float32 model):

    ============================  ===============  ===============  ======================================
    what                          vp               ve               notes
    ============================  ===============  ===============  ======================================
    grid, rtol = atol = 1e-3      1.2-1.7 s        0.7 s            per 1 000 points, chunk 512 (the app's
                                                                    setting): 32^2 1.3 s, 48^2 2.7 s,
                                                                    64^2 5.2 s (vp)
    grid, rtol = atol = 1e-4      5-8 s            2-3 s            per 1 000 points, chunk 256
    nll_report, 1 000 points      2.1-2.5 s        2.0 s            rtol = atol = 1e-4, chunk 1024, ~100 nfe
    ============================  ===============  ===============  ======================================

Each evaluation is one forward and two backward passes of the chunk; larger chunks are cheaper per
point (one solve's Python overhead, however many points) until the hardest point sets the pace; an
untrained model is cheaper (~3 s per 1 000 points at 1e-4).  Accuracy against rtol = atol = 1e-7
(vp): the grid's log p within 0.2-0.4 nats at 1e-3 and 0.1-0.17 at 1e-4 over the top 10 nats; the NLL
mean within 0.016 nats at 1e-3 and 0.002 at 1e-4 (its standard error on 1 000 points: ~0.03).
"""

from __future__ import annotations

import math
import numbers
import time
from typing import Callable

import numpy as np
import torch
from torch import Tensor, nn

from scoreviz.core import limits
from scoreviz.core.errors import ScorevizError
from scoreviz.core.fields import grid
from scoreviz.core.likelihood import DEFAULT_CHUNK, log_likelihood
from scoreviz.core.marginals import marginal_density
from scoreviz.core.sde import SDE
from scoreviz.core.time_score import sde_score

DEFAULT_RTOL = 1e-4  # the app's tolerance: a heat map, not a benchmark (likelihood's default is 1e-5)
DEFAULT_ATOL = 1e-4
GRID_CHUNK = 512  # points per adaptive solve on the grid (a chunk moves at the pace of its hardest point)
MAX_POINTS = 1_000_000

Progress = Callable[[int, int], None]


def differentiable_score(model, sde: SDE) -> Callable[[Tensor, Tensor], Tensor]:
    """score_fn(x, t) of a time-conditional model that keeps its graph (the exact divergence needs it):
    x, t cast to the model's dtype and device, the score cast back to x's."""
    if isinstance(model, nn.Module):
        if not getattr(getattr(model, "cfg", None), "time_conditional", False):
            raise ScorevizError("the model's density needs a time-conditional model: train it with objective sde")
        p = next(model.parameters(), None)
        dtype = p.dtype if p is not None else torch.float32
        device = p.device if p is not None else torch.device("cpu")

        def score_fn(x: Tensor, t: Tensor) -> Tensor:
            tt = t.to(dtype=dtype, device=device) if isinstance(t, Tensor) else t
            return sde_score(model, sde, x.to(dtype=dtype, device=device), tt).to(dtype=x.dtype, device=x.device)

        return score_fn
    if callable(model):
        return model
    raise ScorevizError(f"expected a time-conditional score model or a score_fn(x, t), got {type(model).__name__}")


class _EvalMode:
    """The model in eval mode while the block runs, its mode restored after (never its weights)."""

    def __init__(self, model):
        self.model = model if isinstance(model, nn.Module) else None

    def __enter__(self):
        if self.model is not None:
            self.was_training = self.model.training
            self.model.eval()

    def __exit__(self, *exc):
        if self.model is not None:
            self.model.train(self.was_training)


def _check_sde(sde) -> SDE:
    if not isinstance(sde, SDE):
        raise ScorevizError(f"expected a process (scoreviz.core.sde.SDE), got {type(sde).__name__}")
    return sde


def _check_box(box) -> tuple[float, float, float, float]:
    try:
        x0, x1, y0, y1 = (float(v) for v in box)
    except (TypeError, ValueError):
        raise ScorevizError(f"box must be four numbers (xmin, xmax, ymin, ymax), got {limits.show(box)}") from None
    if not all(math.isfinite(v) for v in (x0, x1, y0, y1)) or not (x1 > x0 and y1 > y0):
        raise ScorevizError(f"box {limits.show(box)} must be finite with xmin < xmax and ymin < ymax")
    return x0, x1, y0, y1


def _check_count(name: str, value, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not lo <= int(value) <= hi:
        raise ScorevizError(f"{name}={limits.show(value)} must be a whole number in {lo}..{hi}")
    return int(value)


class _Progress:
    """Points done, reported monotone: whole chunks, plus the share of [t_eps, 1] the current chunk's
    solver has reached (the furthest time it evaluated), at most about every 0.5 % of the total."""

    def __init__(self, progress: Progress | None, total: int, sde: SDE):
        self.progress, self.total = progress, total
        self.t0, self.span = sde.t_eps, 1.0 - sde.t_eps
        self.step = max(1, total // 200)
        self.reported = -1
        self.base = self.size = 0
        self.t_max = self.t0

    def chunk(self, base: int, size: int) -> None:
        self.base, self.size, self.t_max = base, size, self.t0

    def at_time(self, t: Tensor) -> None:
        tf = float(t.reshape(-1)[0]) if isinstance(t, Tensor) else float(t)
        if tf > self.t_max:
            self.t_max = tf
            done = self.base + int(self.size * min(1.0, (tf - self.t0) / self.span) * 0.999)
            if done - self.reported >= self.step:
                self.report(done)

    def report(self, done: int) -> None:
        if self.progress is not None and done > self.reported:
            self.reported = done
            self.progress(done, self.total)


def _solve_in_chunks(x: Tensor, score_fn, sde: SDE, rtol: float, atol: float, prior_log_prob, chunk: int,
                     progress: Progress | None, check: Callable[[], None] | None) -> tuple[Tensor, int]:
    """log p (N,) float64 and the summed nfe, one ``log_likelihood`` per chunk; check() before each chunk
    and at each evaluation (an abort lands within one evaluation); progress as ``_Progress``."""
    total = x.shape[0]
    out, nfe = [], 0
    tracker = _Progress(progress, total, sde)
    inner = score_fn

    def watched(xx: Tensor, t: Tensor) -> Tensor:
        if check is not None:
            check()
        tracker.at_time(t)
        return inner(xx, t)

    tracker.report(0)
    for a in range(0, total, chunk):
        if check is not None:
            check()
        tracker.chunk(a, min(chunk, total - a))
        lp, k = log_likelihood(x[a:a + chunk], watched, sde, rtol, atol, prior_log_prob=prior_log_prob,
                               chunk=chunk, dtype=torch.float64)
        out.append(lp)
        nfe += k
        tracker.report(min(a + chunk, total))
    return torch.cat(out), nfe


def model_log_density_grid(model, sde: SDE, box, n: int, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL,
                           progress: Progress | None = None, check: Callable[[], None] | None = None, *,
                           prior_log_prob: Callable[[Tensor], Tensor] | None = None,
                           chunk: int = GRID_CHUNK) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xs (n,), ys (n,), log p_theta (n, n) float64 numpy, row i at ys[i]) by the PF-ODE (module docs).

    progress(done, total): points done, monotone, (0, total) first and (total, total) last (module docs).
    check(): called before each chunk and at each score evaluation; what it raises propagates (the abort).
    prior_log_prob: the log density at t = 1 (default: the process's prior N(0, prior_std^2 I))."""
    sde = _check_sde(sde)
    box = _check_box(box)
    n = limits.check("grid", n)
    rtol, atol = limits.check("rtol", rtol), limits.check("atol", atol)
    chunk = _check_count("chunk", chunk, 1, MAX_POINTS)
    score_fn = differentiable_score(model, sde)
    xs, ys, pts = grid(box, n)
    with _EvalMode(model):
        lp, _ = _solve_in_chunks(pts.to(torch.float64), score_fn, sde, rtol, atol, prior_log_prob, chunk,
                                 progress, check)
    return xs, ys, lp.numpy().reshape(n, n)


def true_log_density_grid(density, sde: SDE, box, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xs, ys, log p_{t_eps} (n, n) float64): the exact marginal at t_eps on the same grid (cheap)."""
    sde = _check_sde(sde)
    xs, ys, pts = grid(_check_box(box), limits.check("grid", n))
    p_eps = marginal_density(density, sde, sde.t_eps)
    with torch.no_grad():
        v = p_eps.log_prob(pts.to(torch.float64))
    return xs, ys, v.numpy().reshape(len(ys), len(xs))


def nll_report(model, sde: SDE, density, n_points: int = 1000, seed: int = 0, rtol: float = DEFAULT_RTOL,
               atol: float = DEFAULT_ATOL, progress: Progress | None = None, check: Callable[[], None] | None = None,
               *, prior_log_prob: Callable[[Tensor], Tensor] | None = None, chunk: int = DEFAULT_CHUNK) -> dict:
    """The model's NLL on ``n_points`` exact samples of p_{t_eps} (drawn with ``seed``) against the exact one:

    ``nll_mean``, ``nll_std_error`` (nats), ``true_nll_mean`` (exact -log p_{t_eps} of the same samples:
    the entropy estimate), ``gap`` = nll_mean - true_nll_mean and its paired ``gap_std_error``, ``nfe``,
    ``seconds`` (the solve), ``n_points``.  progress/check as in ``model_log_density_grid``."""
    sde = _check_sde(sde)
    n_points = _check_count("n_points", n_points, 2, MAX_POINTS)
    seed = limits.check("seed", seed)
    rtol, atol = limits.check("rtol", rtol), limits.check("atol", atol)
    chunk = _check_count("chunk", chunk, 1, MAX_POINTS)
    score_fn = differentiable_score(model, sde)
    p_eps = marginal_density(density, sde, sde.t_eps)
    x = p_eps.sample(n_points, torch.Generator().manual_seed(seed)).to(torch.float64)
    with torch.no_grad():
        true_nll = -p_eps.log_prob(x).to(torch.float64)
    t0 = time.perf_counter()
    with _EvalMode(model):
        lp, nfe = _solve_in_chunks(x, score_fn, sde, rtol, atol, prior_log_prob, chunk, progress, check)
    seconds = time.perf_counter() - t0
    nll = -lp
    gap = nll - true_nll
    root_n = math.sqrt(n_points)
    return {
        "nll_mean": float(nll.mean()),
        "nll_std_error": float(nll.std()) / root_n,
        "true_nll_mean": float(true_nll.mean()),
        "gap": float(gap.mean()),
        "gap_std_error": float(gap.std()) / root_n,
        "nfe": int(nfe),
        "seconds": float(seconds),
        "n_points": n_points,
    }


def describe_report(report: dict) -> str:
    """One line: ``NLL 2.31 nats (± 0.02) · true entropy 2.27 nats · gap 0.04``."""
    return (f"NLL {report['nll_mean']:.2f} nats (± {report['nll_std_error']:.2f}) · "
            f"true entropy {report['true_nll_mean']:.2f} nats · gap {report['gap']:.2f}")
