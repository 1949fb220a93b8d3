"""Exact log-likelihoods by the probability-flow ODE (MATH.md, "Continuous time"; Song et al. 2021, App. D.2).

The probability-flow ODE dx/dt = F(x, t) = f(x, t) - g(t)^2 s(x, t) / 2 carries p_t into p_t' for every
pair of times, so along a solution x(t), by the instantaneous change of variables,

    d/dt log p_t(x(t)) = -div F(x(t), t)   =>   log p_eps(x) = log p_1(x(1)) + integral_eps^1 div F(x(t), t) dt

with x(eps) = x.  ``log_likelihood`` integrates the augmented state (x, l) forwards in time, t from t_eps
to 1, dx/dt = F, dl/dt = div F, l(t_eps) = 0, with torchdiffeq's ``odeint`` (adaptive, rtol/atol on both),
and returns log p(x) = log prior(x(1)) + l(1), in nats.  Sign conventions: time runs forwards (data to
noise), the divergence enters with a plus sign; the result is the density at t_eps (the data end).

- The divergence is EXACT: in 2-D, two backward passes give dF_0/dx_0 and dF_1/dx_1 (no Hutchinson
  estimate).  ``score_fn(x, t)`` must therefore be differentiable in x: the true score
  (``marginals.true_score_fn``) is; for a model pass ``lambda x, t: time_score.sde_score(model, sde, x, t)``
  (``model_score_fn`` detaches its output and is refused with a one-line reason).
- The prior: ``sde.prior_log_prob`` by default (N(0, I) or N(0, sigma_max^2 I)).  p_1 is only close to it
  (vp: p_1 has means alpha(1) mu, alpha(1) ~ 0.0066 at the defaults; ve: the data mean is not removed, so
  p_1 = p * N(0, sigma_max^2 I) is off-centre by the data mean), so even the true score gives
  log p_eps(x) + [log prior - log p_1](x(1)); its average over p_eps is -KL(p_1 || prior).  With the
  true score, pass ``prior_log_prob=marginal_density(density, sde, 1.0).log_prob`` and the result equals
  the exact log p_eps(x) to within the solver tolerance.
- Points are processed ``chunk`` at a time (memory: a chunk's autograd graph per evaluation); each chunk
  is its own adaptive solve, so results depend (within the tolerance) on the chunk size.  The work runs in
  ``dtype`` (float64 by default, float32 on MPS; the score_fn receives x and t in it: wrap a float32
  model with casts).
  The solver lands exactly on t = 1 (``step_t``) and the score receives t clamped to [t_eps, 1].
- Error control per point (``pointwise_norm``): the adaptive step meets rtol/atol at every point of a
  chunk (the batch moves at the pace of its hardest point), so each log p is within the tolerance.
- ``nfe``: evaluations of the augmented dynamics (each one score evaluation on a chunk and two backward
  passes), summed over the chunks.
"""

from __future__ import annotations

from typing import Callable

import torch
from torch import Tensor

from scoreviz.core import limits
from scoreviz.core.errors import ScorevizError
from scoreviz.core.mixture import work_dtype
from scoreviz.core.sde import SDE


def odeint(*args, **kwargs):
    """torchdiffeq's odeint, imported on first use: torchdiffeq imports scipy (~0.6 s), which the app's
    start-up and every command that needs no ODE should not pay for."""
    from torchdiffeq import odeint as solve  # lazy: see the docstring

    return solve(*args, **kwargs)


ScoreFn = Callable[[Tensor, Tensor], Tensor]  # (x (N, 2), t (N,)) -> (N, 2), differentiable in x

METHODS = ("dopri5", "dopri8", "bosh3", "adaptive_heun")  # torchdiffeq's adaptive solvers
DEFAULT_RTOL = 1e-5
DEFAULT_ATOL = 1e-5
DEFAULT_CHUNK = 1024
MAX_CHUNK = 1_000_000


def pointwise_norm(state: tuple[Tensor, Tensor]) -> Tensor:
    """The solver's error norm: the largest over points of each point's RMS over its (x0, x1, l) error
    ratios, so that every point, not the batch on average, meets rtol/atol (torchdiffeq's default RMS
    over the whole batch lets a few points in the tails of a density err 100 times more)."""
    x, l = state
    return torch.sqrt((x.pow(2).sum(1) + l.pow(2)) / 3).max()


def exact_divergence(F: Tensor, x: Tensor) -> Tensor:
    """div F = dF_0/dx_0 + dF_1/dx_1 for F (N, 2) computed from x (N, 2) (row n depends on x_n only):
    two backward passes, no graph kept."""
    (g0,) = torch.autograd.grad(F[:, 0].sum(), x, retain_graph=True)
    (g1,) = torch.autograd.grad(F[:, 1].sum(), x)
    return g0[:, 0] + g1[:, 1]


def log_likelihood(x: Tensor, score_fn: ScoreFn, sde: SDE, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL,
                   method: str = "dopri5", *, prior_log_prob: Callable[[Tensor], Tensor] | None = None,
                   chunk: int = DEFAULT_CHUNK, dtype: torch.dtype | None = None) -> tuple[Tensor, int]:
    """(log p(x) (N,) in nats, in ``dtype``; nfe) by the probability-flow ODE from t_eps to 1 (module docs)."""
    if not isinstance(x, Tensor) or x.dim() != 2 or x.shape[1] != 2 or x.shape[0] < 1 or not x.is_floating_point():
        raise ScorevizError(f"points x must be a floating-point tensor of shape (N, 2), got {getattr(x, 'shape', type(x).__name__)}")
    if not isinstance(sde, SDE):
        raise ScorevizError(f"expected a process (scoreviz.core.sde.SDE), got {type(sde).__name__}")
    if not callable(score_fn):
        raise ScorevizError(f"score_fn must be callable, got {type(score_fn).__name__}")
    rtol, atol = limits.check("rtol", rtol), limits.check("atol", atol)
    if not isinstance(method, str) or method not in METHODS:
        raise ScorevizError(f"unknown ODE method {limits.show(method)}; choose one of {', '.join(METHODS)}")
    if isinstance(chunk, bool) or not isinstance(chunk, int) or not 1 <= chunk <= MAX_CHUNK:
        raise ScorevizError(f"chunk={limits.show(chunk)} must be a whole number in 1..{MAX_CHUNK}")
    prior = sde.prior_log_prob if prior_log_prob is None else prior_log_prob
    if not callable(prior):
        raise ScorevizError(f"prior_log_prob must be callable, got {type(prior).__name__}")

    dtype = work_dtype(x.device) if dtype is None else dtype
    t0, t1 = sde.t_eps, 1.0
    times = torch.tensor([t0, t1], dtype=work_dtype(x.device), device=x.device)
    nfe = 0

    def dynamics(t: Tensor, state: tuple[Tensor, Tensor]) -> tuple[Tensor, Tensor]:
        nonlocal nfe
        nfe += 1
        tf = min(max(float(t), t0), t1)
        with torch.enable_grad():
            xg = state[0].detach().requires_grad_(True)
            tt = torch.full((xg.shape[0],), tf, dtype=xg.dtype, device=xg.device)
            s = score_fn(xg, tt)
            if not isinstance(s, Tensor) or s.shape != xg.shape:
                raise ScorevizError(f"score_fn returned {getattr(s, 'shape', type(s).__name__)}; expected {tuple(xg.shape)}")
            if not s.requires_grad:
                raise ScorevizError("score_fn returned no autograd graph; the likelihood's exact divergence needs a "
                                    "differentiable score (time_score.sde_score, not the detached model_score_fn)")
            F = sde.drift(xg, tf) - 0.5 * float(sde.g2(tf)) * s.to(xg.dtype)
            div = exact_divergence(F, xg)
        return F.detach(), div.detach()

    out = []
    xd = x.detach().to(dtype)
    for a in range(0, xd.shape[0], chunk):
        xc = xd[a:a + chunk]
        state = (xc, xc.new_zeros(xc.shape[0]))
        try:
            xs, ls = odeint(dynamics, state, times, rtol=rtol, atol=atol, method=method,
                            options={"step_t": times[1:], "norm": pointwise_norm})
        except AssertionError as exc:  # torchdiffeq's checks: non-finite state, step underflow
            raise ScorevizError(f"the likelihood ODE solver failed: {str(exc).splitlines()[0][:120]}") from None
        with torch.no_grad():
            out.append(prior(xs[-1]).to(dtype) + ls[-1])
    return torch.cat(out), nfe
