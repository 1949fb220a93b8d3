"""Sampling by reversing a forward process: reverse SDE, probability-flow ODE, predictor-corrector.

Pure torch (docs: MATH.md, "Continuous time"; conventions of score_sde_pytorch's ``sampling.py``).
Every sampler starts from prior samples x (N, 2) at t = 1 and runs to t_eps on the grid
``sde.times(steps)`` = 1 = t_0 > t_1 > ... > t_steps = t_eps (evenly spaced; dt = t_i - t_{i+1} > 0).
``score_fn(x (N, 2), t (N,)) -> (N, 2)`` is the score s(x, t) (learned: ``time_score.model_score_fn``;
exact: ``marginals.true_score_fn``); it receives t as a tensor of x's dtype and device, one value per point
(the same value for all points: the samplers step every particle together).

- ``reverse-sde``: Euler-Maruyama of dx = [f - g^2 s] dt + g dw-bar backwards in time, at t_i:
  x <- x - [f(x, t_i) - g(t_i)^2 s(x, t_i)] dt + g(t_i) sqrt(dt) z.  The last step (to t_eps) adds no
  noise and draws none: score_sde's ``noise_removal`` / ``denoise=True`` returns the last update's mean.
  NFE = steps.
- ``pf-ode``: dx/dt = f - g^2 s / 2 from 1 to t_eps.  ``euler``: x <- x - dt F(x, t_i) (NFE = steps);
  ``heun``: the explicit trapezoid, F at t_i and at the Euler guess at t_{i+1} (NFE = 2 steps);
  ``rk45``: torchdiffeq's adaptive Dormand-Prince (``dopri5``) with rtol/atol; ``steps`` is then not a
  step count (the solver picks its own steps) and NFE is counted.  Its error norm is torchdiffeq's RMS
  over the whole batch (as score_sde's scipy RK45 on the flattened batch): right in distribution, not a
  per-sample bound (the likelihood, a per-point number, bounds each point).  The solver is told to land on every
  output time (``step_t``), so no step passes t_eps; the score always receives a t clamped to
  [t_eps, 1] (only the initial-step probe could fall outside).
- ``pc``: score_sde's ``pc_sampler`` order: at each t_i, ``corrector_steps`` Langevin corrector steps
  at t_i, then one reverse-diffusion predictor step t_i -> t_{i+1} (NFE = steps (corrector_steps + 1)).
  Predictor (score_sde's ``ReverseDiffusionPredictor``) on the exact forward kernel of the step:
  x_{t_i} = m x_{t_{i+1}} + G z with m = alpha(t_i)/alpha(t_{i+1}), G^2 = std(t_i)^2 - m^2 std(t_{i+1})^2
  (ve: m = 1, G^2 = sigma_i^2 - sigma_{i+1}^2, the NCSN increment; vp: G^2 = 1 - m^2 = beta_i of DDPM),
  reversed: x <- (2 - m) x + G^2 s(x, t_i) + G z, noise-free on the last step (as reverse-sde).
  Corrector (score_sde's ``LangevinCorrector``): eps = 2 a (r ||z|| / ||s||)^2 with the norms of
  each point's z and s averaged over the batch (score_sde's per-batch norms: one step size for all
  particles), then x <- x + eps s + sqrt(2 eps) z.  a = 1 for ve; for vp and subvp a = m^2 =
  1 - beta_i, beta_i = 1 - exp(-integral of beta over the step) = beta(t_i) dt + O(dt^2) (score_sde's
  ``alphas`` = 1 - beta(t) / N).  A batch whose score is exactly 0 takes no corrector step.

``DiffusionRun`` steps any of them frame by frame (``step(n)``; ``x``, ``t``, ``index``, ``nfe``) for the
live app; ``reverse_sde``, ``pf_ode`` and ``pc`` run one to the end and return a ``DiffusionResult``.
With ``method="pf-ode", solver="rk45"`` a DiffusionRun integrates ``steps`` sub-intervals of the grid one
odeint call each (the adaptive step restarts each time: its result agrees with ``pf_ode(...,
solver="rk45")``, one odeint call over the whole interval, to within the tolerances, not bit for bit).

``keep=K`` saves K positions (K, N, 2) at K saved times including both ends (the prior at t = 1 and the
final samples at t_eps): fixed-step samplers save after the step indices round(k steps / (K - 1)),
k = 0..K-1 (evenly spaced times when K - 1 divides steps; K <= steps + 1), rk45 at
linspace(1, t_eps, K) exactly.  Every random number comes from ``generator`` (on x's device): the
same seed gives the same bits on the CPU.  Nothing here builds an autograd graph across steps (the
score_fn may use autograd inside).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import torch
from torch import Tensor

from scoreviz.core import limits
from scoreviz.core.errors import ScorevizError
from scoreviz.core.sde import SDE


def odeint(*args, **kwargs):
    """torchdiffeq's odeint, imported on first use: torchdiffeq imports scipy (~0.6 s), which the app's
    start-up and every command that needs no ODE should not pay for."""
    from torchdiffeq import odeint as solve  # lazy: see the docstring

    return solve(*args, **kwargs)


ScoreFn = Callable[[Tensor, Tensor], Tensor]  # (x (N, 2), t (N,)) -> (N, 2)

METHODS = ("reverse-sde", "pf-ode", "pc")
SOLVERS = ("euler", "heun", "rk45")
DEFAULT_STEPS = 500
DEFAULT_RTOL = 1e-5
DEFAULT_ATOL = 1e-5
DEFAULT_SNR = 0.16  # score_sde's VE toy setting
DEFAULT_CORRECTOR_STEPS = 1
MAX_TRAJECTORY_NUMBERS = 100_000_000  # K x N x 2 saved coordinates (800 MB of float32 at most)


@dataclass(frozen=True)
class DiffusionResult:
    """x (N, 2): the final samples (at t_eps); trajectory (K, N, 2) with times (K,) float64 (1 first,
    t_eps last) when ``keep`` was given, else both None; nfe: score evaluations (of all N points at once)."""

    x: Tensor
    trajectory: Tensor | None
    times: Tensor | None
    nfe: int


# --------------------------------------------------------------------------- validation
def _check_x(x) -> Tensor:
    if not isinstance(x, Tensor) or x.dim() != 2 or x.shape[1] != 2 or x.shape[0] < 1:
        raise ScorevizError(f"samples x must be a tensor of shape (N, 2), N >= 1, got {getattr(x, 'shape', type(x).__name__)}")
    if not x.is_floating_point():
        raise ScorevizError(f"samples x must be floating point, got {x.dtype}")
    return x


def _check_sde(sde) -> SDE:
    if not isinstance(sde, SDE):
        raise ScorevizError(f"expected a process (scoreviz.core.sde.SDE), got {type(sde).__name__}")
    return sde


def _check_choice(what: str, value, choices) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ScorevizError(f"unknown {what} {limits.show(value)}; choose one of {', '.join(choices)}")
    return value


def _check_keep(keep, n: int, steps: int | None) -> int | None:
    if keep is None:
        return None
    k = limits.check("keep", keep)
    if steps is not None and k > steps + 1:
        raise ScorevizError(f"keep={k} is more positions than the {steps} steps give; allowed 2..{steps + 1}")
    if k * n * 2 > MAX_TRAJECTORY_NUMBERS:
        raise ScorevizError(f"keep={k} positions of {n} points is too much to hold; keep K x N <= {MAX_TRAJECTORY_NUMBERS // 2}")
    return k


def saved_indices(steps: int, keep: int) -> list[int]:
    """The step indices after which a fixed-step sampler saves: round(k steps / (keep - 1)), k = 0..keep-1."""
    return [round(k * steps / (keep - 1)) for k in range(keep)]


# --------------------------------------------------------------------------- the run
class DiffusionRun:
    """One sampler run from x (prior samples at t = 1) to t_eps, advanced a step at a time.

    ``step(n)`` advances up to n steps (an rk45 step = one sub-interval of the grid) and returns the
    current positions; ``x`` (N, 2) and ``t`` (the time x is at) are always current, ``index`` counts
    the steps done out of ``steps``, ``nfe`` the score evaluations so far, ``done`` is True at t_eps.
    ``run()`` finishes and returns the ``DiffusionResult``.  x is copied; the caller's tensor is untouched,
    and each step replaces ``x`` with a new tensor (never written in place): a reference handed to another
    thread stays valid (publish a numpy copy all the same).
    Arguments as the module's description; a bad one is refused with a one-line ScorevizError.
    """

    def __init__(self, x: Tensor, score_fn: ScoreFn, sde: SDE, method: str = "reverse-sde", *,
                 steps: int = DEFAULT_STEPS, solver: str = "euler", rtol: float = DEFAULT_RTOL,
                 atol: float = DEFAULT_ATOL, snr: float = DEFAULT_SNR,
                 corrector_steps: int = DEFAULT_CORRECTOR_STEPS, generator: torch.Generator | None = None,
                 keep: int | None = None):
        x = _check_x(x)
        self.sde = _check_sde(sde)
        if not callable(score_fn):
            raise ScorevizError(f"score_fn must be callable, got {type(score_fn).__name__}")
        self.method = _check_choice("sampler", method, METHODS)
        self.solver = _check_choice("solver", solver, SOLVERS) if method == "pf-ode" else None
        self.steps = limits.check("steps", steps)
        self.rtol = limits.check("rtol", rtol) if self.solver == "rk45" else None
        self.atol = limits.check("atol", atol) if self.solver == "rk45" else None
        self.snr = limits.check("snr", snr) if method == "pc" else None
        self.corrector_steps = limits.check("corrector_steps", corrector_steps) if method == "pc" else None
        self.keep = _check_keep(keep, x.shape[0], self.steps)
        self.score_fn = score_fn
        self.generator = generator
        self.times = sde.times(self.steps)  # (steps + 1,) float64, CPU: 1 ... t_eps
        self._t = self.times.tolist()
        self.x = x.detach().clone()
        self.index = 0
        self.nfe = 0
        self._save = set(saved_indices(self.steps, self.keep)) if self.keep else set()
        self._frames: list[Tensor] = []
        self._saved_times: list[float] = []
        self._record()

    # ----------------------------------------------------------------- state
    @property
    def t(self) -> float:
        """The time the current positions are at (1 before the first step, t_eps when done)."""
        return self._t[self.index]

    @property
    def done(self) -> bool:
        return self.index >= self.steps

    def _record(self):
        if self.index in self._save:
            self._frames.append(self.x.clone())
            self._saved_times.append(self._t[self.index])

    # ----------------------------------------------------------------- public
    def step(self, n: int = 1) -> Tensor:
        """Advance up to n steps (fewer at the end); returns the current positions (N, 2)."""
        n = limits.check("steps", n)
        for _ in range(min(n, self.steps - self.index)):
            i = self.index
            t, t_next = self._t[i], self._t[i + 1]
            last = i == self.steps - 1
            if self.method == "reverse-sde":
                self.x = self._reverse_sde_step(self.x, t, t_next, last)
            elif self.method == "pc":
                self.x = self._pc_step(self.x, t, t_next, last)
            elif self.solver == "rk45":
                self.x = self._odeint(self.x, self.times[i:i + 2])[-1]
            elif self.solver == "heun":
                self.x = self._heun_step(self.x, t, t_next)
            else:
                self.x = self.x - (t - t_next) * self._flow(self.x, t)
            self.index = i + 1
            self._record()
        return self.x

    def run(self) -> DiffusionResult:
        """Run to t_eps and return the result."""
        self.step(self.steps)
        return self.result()

    def result(self) -> DiffusionResult:
        """The result so far (the trajectory holds the positions saved up to now)."""
        traj = torch.stack(self._frames) if self.keep else None
        times = torch.tensor(self._saved_times, dtype=torch.float64) if self.keep else None
        return DiffusionResult(self.x, traj, times, self.nfe)

    # ----------------------------------------------------------------- pieces
    def _score(self, x: Tensor, t: float) -> Tensor:
        t = min(max(t, self.sde.t_eps), 1.0)
        tt = torch.full((x.shape[0],), t, dtype=x.dtype, device=x.device)
        s = self.score_fn(x, tt)
        self.nfe += 1
        if not isinstance(s, Tensor) or s.shape != x.shape:
            raise ScorevizError(f"score_fn returned {getattr(s, 'shape', type(s).__name__)}; expected {tuple(x.shape)}")
        return s.detach().to(x.dtype)

    def _noise(self, x: Tensor) -> Tensor:
        return torch.randn(x.shape, generator=self.generator, device=x.device, dtype=x.dtype)

    def _flow(self, x: Tensor, t: float) -> Tensor:
        """The probability-flow velocity F = f - g^2 s / 2."""
        return self.sde.drift(x, t) - 0.5 * float(self.sde.g2(t)) * self._score(x, t)

    def _reverse_sde_step(self, x: Tensor, t: float, t_next: float, last: bool) -> Tensor:
        dt = t - t_next
        g2 = float(self.sde.g2(t))
        mean = x - (self.sde.drift(x, t) - g2 * self._score(x, t)) * dt
        return mean if last else mean + math.sqrt(g2 * dt) * self._noise(x)

    def _heun_step(self, x: Tensor, t: float, t_next: float) -> Tensor:
        dt = t - t_next
        d1 = self._flow(x, t)
        d2 = self._flow(x - dt * d1, t_next)
        return x - (0.5 * dt) * (d1 + d2)

    def _kernel(self, t: float, t_next: float) -> tuple[float, float]:
        """(m, G^2) of the forward step t_next -> t: x_t = m x_{t_next} + G z."""
        a, s = (float(v) for v in self.sde.marginal(t))
        a_next, s_next = (float(v) for v in self.sde.marginal(t_next))
        m = a / a_next
        return m, max(s * s - m * m * s_next * s_next, 0.0)

    def _pc_step(self, x: Tensor, t: float, t_next: float, last: bool) -> Tensor:
        m, g2 = self._kernel(t, t_next)
        a = 1.0 if self.sde.kind == "ve" else m * m
        for _ in range(self.corrector_steps):
            s = self._score(x, t)
            z = self._noise(x)
            s_norm = torch.linalg.vector_norm(s, dim=-1).mean()
            z_norm = torch.linalg.vector_norm(z, dim=-1).mean()
            if float(s_norm) > 0:
                eps = 2 * a * (self.snr * z_norm / s_norm) ** 2
                x = x + eps * s + torch.sqrt(2 * eps) * z
        mean = (2 - m) * x + g2 * self._score(x, t)
        return mean if last else mean + math.sqrt(g2) * self._noise(x)

    def _odeint(self, x: Tensor, times: Tensor) -> Tensor:
        """dopri5 through ``times`` (float64, decreasing); (len(times), N, 2) in x's dtype."""
        shape = x.shape

        def flow(t: Tensor, y: Tensor) -> Tensor:
            return self._flow(y.reshape(shape), float(t)).reshape(-1)

        times = times.to(device=x.device, dtype=torch.float32 if x.device.type == "mps" else torch.float64)
        try:
            ys = odeint(flow, x.reshape(-1), times, rtol=self.rtol, atol=self.atol, method="dopri5",
                        options={"step_t": times[1:]})
        except AssertionError as exc:  # torchdiffeq's checks: non-finite state, step underflow
            raise ScorevizError(f"the probability-flow ODE solver failed: {str(exc).splitlines()[0][:120]}") from None
        return ys.reshape(len(times), *shape)


# --------------------------------------------------------------------------- one-shot samplers
def reverse_sde(x: Tensor, score_fn: ScoreFn, sde: SDE, steps: int = DEFAULT_STEPS,
                generator: torch.Generator | None = None, keep: int | None = None) -> DiffusionResult:
    """Euler-Maruyama of the reverse-time SDE from x (at t = 1) to t_eps; last step noise-free."""
    return DiffusionRun(x, score_fn, sde, "reverse-sde", steps=steps, generator=generator, keep=keep).run()


def pf_ode(x: Tensor, score_fn: ScoreFn, sde: SDE, solver: str = "euler", steps: int = DEFAULT_STEPS,
           rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL, keep: int | None = None) -> DiffusionResult:
    """The probability-flow ODE from x (at t = 1) to t_eps: fixed-step euler/heun on ``steps`` steps,
    or adaptive rk45 (dopri5, rtol/atol; ``steps`` unused) in one odeint call through the saved times."""
    run = DiffusionRun(x, score_fn, sde, "pf-ode", steps=steps, solver=solver, rtol=rtol, atol=atol,
                       keep=None if solver == "rk45" else keep)
    if solver != "rk45":
        return run.run()
    k = _check_keep(keep, x.shape[0], None)
    times = torch.linspace(1.0, sde.t_eps, k if k else 2, dtype=torch.float64)
    ys = run._odeint(run.x, times)
    return DiffusionResult(ys[-1], ys if k else None, times if k else None, run.nfe)


def pc(x: Tensor, score_fn: ScoreFn, sde: SDE, steps: int = DEFAULT_STEPS, snr: float = DEFAULT_SNR,
       corrector_steps: int = DEFAULT_CORRECTOR_STEPS, generator: torch.Generator | None = None,
       keep: int | None = None) -> DiffusionResult:
    """Predictor-corrector: reverse-diffusion predictor + Langevin corrector (signal-to-noise ratio snr)."""
    return DiffusionRun(x, score_fn, sde, "pc", steps=steps, snr=snr, corrector_steps=corrector_steps,
                        generator=generator, keep=keep).run()
