"""Every dynamic, one network: one score run through 2 to 5 samplers side by side, from the same prior
samples and the same noise, a frame at a time.  Free of Qt (the window's worker runs it; the tests drive it).

``DynamicsSet(score_fn, sde, specs, n, seed)`` draws one prior sample x_T ~ N(0, prior_std^2 I) (n points,
a ``torch.Generator`` seeded with ``seed``) and starts every dynamic (``dynamics_settings.DynamicSpec``) on
a copy of it:

- ``reverse-sde``, ``pf-ode`` (``euler`` / ``heun``) and ``pc``: a ``core.diffusion.DiffusionRun``;
- ``annealed``: annealed Langevin (``AnnealedRun``) over levels sigma_i = std(t_i) at L times t_i evenly
  spaced from 1 to t_eps (the rule of ``Session.annealing_times``), with the score s(x, t_i) (a
  time-conditional model at t_i, or the exact grad log p_{t_i}) and the step alpha_i = eps sigma_i^2 /
  sigma_L^2, eps = 0.1 sigma_L^2 (``samplers.default_step_size``: alpha_i = 0.1 sigma_i^2).  L = ``levels``
  (10, the main window's default; fewer when steps < 10) levels of steps // L Langevin steps, so 1000 steps
  is the main window's default schedule (10 levels x 100).  For vp/subvp the levels are the process's own
  marginals p_{t_i} (data scaled by alpha(t_i) plus noise std(t_i)), as the main window's annealed sampler
  uses them with objective sde.  Its steps are small: with a few hundred steps it lags behind vp's moving
  levels (the modes' means fall short of the data's) -- sampler error, and shown as such.

**The same noise**: every dynamic draws its Gaussian noise from its own generator seeded with the same
noise seed (``seed`` + ``NOISE_SEED_OFFSET``), so two dynamics that consume noise alike (reverse-sde listed
twice) are bit-identical, and no dynamic's draws depend on which others run beside it.  Different
dynamics use the stream differently (pc draws corrector and predictor noise each step; the PF-ODE none),
so what differs between panels is the dynamic, not the luck of the draw.

**Proportional progress**: ``advance(budget_s)`` moves the set's progress p by 1 / ``frames`` and steps every
dynamic until it has done floor(p x its steps), always stepping the one furthest behind (by fraction of its
own steps): dynamics of 100 and of 1000 steps reach t_eps on the same frame, after ``frames`` frames.  With
a time budget a frame may end early; the dynamics stay within one step of each other all the same.

``states()`` gives each dynamic's ``DynamicState``: positions (n, 2) float32 (a fresh copy), t, steps done
and in all, NFE, and its trail, the positions of the first ``trail_particles`` particles at its last
``trail_length`` frames (K, M, 2), oldest first.  Same seed, same bits on the CPU.  ``restart()`` runs
every dynamic again from the same prior with the same noise.

``score_source(...)`` builds the score from the main window's snapshot: ``"learned"`` (its trained weights,
loaded on the CPU; needs objective sde, else the one-line ``LEARNED_NEEDS_SDE`` refusal) or ``"true"`` (the
exact grad log p_t of its density under the chosen process).  ``DynamicsPlayer`` is the window worker's
state (settings, set, running).  This module loads torch: the window imports it in its worker thread.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import torch
from torch import Tensor

from scoreviz.core import limits, samplers
from scoreviz.core.diffusion import DEFAULT_CORRECTOR_STEPS, DEFAULT_SNR, DiffusionRun
from scoreviz.core.errors import ScorevizError
from scoreviz.core.marginals import true_score_fn
from scoreviz.core.sde import SDE
from scoreviz.live.dynamics_settings import (ANNEALED_LEVELS, DEFAULT_FRAMES, DEFAULT_PARTICLES, HEAT_PIXELS,
                                             NOISE_SEED_OFFSET, TRAIL_LENGTH, TRAIL_PARTICLES, DynamicsFrame,
                                             DynamicsSettings, DynamicSpec, DynamicState, learned_refusal)

ScoreFn = Callable[[Tensor, Tensor], Tensor]  # (x (N, 2), t (N,)) -> (N, 2)


# --------------------------------------------------------------------------- annealed Langevin, stepped
class AnnealedRun:
    """Annealed Langevin from x (at t = 1), stepped like a ``DiffusionRun``: ``step(n)``, ``x``, ``t``,
    ``index`` of ``steps``, ``nfe``, ``done``.  Levels and steps as the module's description; ``t`` is the
    time of the level of the last step done (1 before the first step, t_eps when done).  x is copied."""

    method = "annealed"

    def __init__(self, x: Tensor, score_fn: ScoreFn, sde: SDE, steps: int, levels: int = ANNEALED_LEVELS,
                 generator: torch.Generator | None = None):
        self.sde = sde
        self.score_fn = score_fn
        steps = limits.check("steps", steps)
        levels = min(limits.check("levels", levels), steps)
        self.steps_per_level = steps // levels
        if levels == 1:
            times = torch.tensor([sde.t_eps], dtype=torch.float64)
        else:
            times = torch.linspace(1.0, sde.t_eps, levels, dtype=torch.float64)
            times[-1] = sde.t_eps  # exact end point
        self.times = times
        self._t = times.tolist()
        self.sigmas = [float(s) for s in sde.std(times)]
        eps = samplers.default_step_size("annealed", self.sigmas)
        self.step_sizes = [eps * (s / self.sigmas[-1]) ** 2 for s in self.sigmas]
        self.steps = levels * self.steps_per_level
        self.generator = generator
        self.x = x.detach().clone()
        self.index = 0
        self.nfe = 0

    @property
    def levels(self) -> int:
        return len(self._t)

    @property
    def t(self) -> float:
        if self.index == 0:
            return 1.0
        return self._t[min((self.index - 1) // self.steps_per_level, self.levels - 1)]

    @property
    def done(self) -> bool:
        return self.index >= self.steps

    def step(self, n: int = 1) -> Tensor:
        """Up to n Langevin steps (fewer at the end); returns the current positions (N, 2)."""
        for _ in range(min(int(n), self.steps - self.index)):
            level = self.index // self.steps_per_level
            tt = torch.full((self.x.shape[0],), self._t[level], dtype=self.x.dtype, device=self.x.device)
            self.x = samplers.langevin_step(self.x, lambda y: self._score(y, tt), self.step_sizes[level],
                                            self.generator)
            self.index += 1
        return self.x

    def _score(self, x: Tensor, tt: Tensor) -> Tensor:
        s = self.score_fn(x, tt)
        self.nfe += 1
        if not isinstance(s, Tensor) or s.shape != x.shape:
            raise ScorevizError(f"score_fn returned {getattr(s, 'shape', type(s).__name__)}; expected {tuple(x.shape)}")
        return s.detach()


# --------------------------------------------------------------------------- the set
class DynamicsSet:
    """Several dynamics from one prior sample and one noise seed, advanced in step (module description).

    score_fn: s(x, t) (x (N, 2), t (N,)) -> (N, 2); sde: the process; specs: one or more ``DynamicSpec``s
    (the window asks for 2 to 5); n particles; seed; frames: how many ``advance`` calls a run takes;
    trail_length K and trail_particles M; source: a one-line description of the score (for the frames).
    """

    def __init__(self, score_fn: ScoreFn, sde: SDE, specs: Sequence[DynamicSpec], n: int = DEFAULT_PARTICLES,
                 seed: int = 0, *, frames: int = DEFAULT_FRAMES, trail_length: int = TRAIL_LENGTH,
                 trail_particles: int = TRAIL_PARTICLES, source: str = "", dtype: torch.dtype = torch.float32):
        if not callable(score_fn):
            raise ScorevizError(f"score_fn must be callable, got {type(score_fn).__name__}")
        if not isinstance(sde, SDE):
            raise ScorevizError(f"expected a process (scoreviz.core.sde.SDE), got {type(sde).__name__}")
        specs = tuple(specs)
        if not specs or not all(isinstance(s, DynamicSpec) for s in specs):
            raise ScorevizError("dynamics need one or more DynamicSpecs")
        self.score_fn, self.sde, self.specs = score_fn, sde, specs
        self.n = limits.check("n_particles", n)
        self.seed = limits.check("seed", seed)
        self.frames = limits.check("steps", frames)
        self.trail_length = max(2, int(trail_length))
        self.trail_particles = max(1, min(int(trail_particles), self.n))
        self.source = source
        self.prior = sde.prior_sample(self.n, torch.Generator().manual_seed(self.seed), dtype=dtype)  # (n, 2)
        self.restart()

    @property
    def noise_seed(self) -> int:
        """The seed of every dynamic's noise generator (the same for all)."""
        return (self.seed + NOISE_SEED_OFFSET) % (2**63)

    def _make_run(self, spec: DynamicSpec):
        gen = torch.Generator().manual_seed(self.noise_seed)  # the same noise for every dynamic
        if spec.method == "annealed":
            return AnnealedRun(self.prior, self.score_fn, self.sde, spec.steps, spec.levels, gen)
        return DiffusionRun(self.prior, self.score_fn, self.sde, spec.method, steps=spec.steps, solver=spec.solver,
                            snr=DEFAULT_SNR if spec.snr is None else spec.snr,
                            corrector_steps=DEFAULT_CORRECTOR_STEPS if spec.corrector_steps is None
                            else spec.corrector_steps, generator=gen)

    def restart(self) -> None:
        """Every dynamic from the prior again, with fresh generators (the same noise as before)."""
        self.runs = [self._make_run(s) for s in self.specs]
        self.progress = 0.0
        self.frame_count = 0
        k, m = self.trail_length, self.trail_particles
        self._trails = [np.full((k, m, 2), np.nan, np.float32) for _ in self.runs]
        self._trail_n = [0] * len(self.runs)
        self._trail_at = [0] * len(self.runs)
        for i in range(len(self.runs)):
            self._record(i)

    # ----------------------------------------------------------------- state
    @property
    def done(self) -> bool:
        return all(r.done for r in self.runs)

    def _record(self, i: int) -> None:
        """Push dynamic i's first M positions into its trail ring."""
        self._trails[i][self._trail_at[i]] = self.runs[i].x[: self.trail_particles].detach().float().cpu().numpy()
        self._trail_at[i] = (self._trail_at[i] + 1) % self.trail_length
        self._trail_n[i] = min(self._trail_n[i] + 1, self.trail_length)

    def trail(self, i: int) -> np.ndarray:
        """Dynamic i's trail (K, M, 2), oldest first (a copy)."""
        n, at, k = self._trail_n[i], self._trail_at[i], self.trail_length
        return self._trails[i][[(at - n + j) % k for j in range(n)]]

    def states(self) -> tuple[DynamicState, ...]:
        out = []
        for i, (spec, run) in enumerate(zip(self.specs, self.runs)):
            pos = run.x.detach().float().cpu().numpy().copy()
            diverged = int((~np.isfinite(pos).all(1)).sum())
            out.append(DynamicState(spec.name, spec.method, pos, self.trail(i), float(run.t), int(run.index),
                                    int(run.steps), int(run.nfe), diverged))
        return tuple(out)

    def frame(self, heat=None, box=None, settings=None) -> DynamicsFrame:
        """A ``DynamicsFrame`` of the current state (fresh copies)."""
        return DynamicsFrame(self.states(), self.frame_count, self.done, self.progress, self.sde.describe(),
                             self.source, self.n, self.seed, heat, box, settings)

    # ----------------------------------------------------------------- stepping
    def advance(self, budget_s: float | None = None) -> bool:
        """One frame: progress += 1 / frames; every dynamic steps (the one furthest behind first) until it has
        done floor(progress x its steps) (all of them at p = 1), or until ``budget_s`` seconds passed (at least
        one step is made).
        Returns whether anything moved."""
        if self.done:
            return False
        target = self.progress + 1.0 / self.frames
        target = 1.0 if target > 1.0 - 1e-9 else target
        # floor: before the last frame no dynamic has finished (all reach t_eps together)
        goals = [r.steps if target == 1.0 else min(r.steps - 1, math.floor(target * r.steps + 1e-9)) for r in self.runs]
        deadline = None if budget_s is None else time.perf_counter() + float(budget_s)
        moved = [False] * len(self.runs)
        reached = False
        while True:
            behind = [i for i, r in enumerate(self.runs) if r.index < goals[i]]
            if not behind:
                reached = True
                break
            i = min(behind, key=lambda j: (self.runs[j].index / self.runs[j].steps, j))
            self.runs[i].step(1)
            moved[i] = True
            if deadline is not None and time.perf_counter() >= deadline:
                break
        self.progress = 1.0 if self.done else target if reached else min(r.index / r.steps for r in self.runs)
        self.frame_count += 1
        for i, m in enumerate(moved):
            if m:
                self._record(i)
        return any(moved)

    def run(self) -> None:
        """Advance to the end (no time budget)."""
        while not self.done:
            self.advance()


# --------------------------------------------------------------------------- the score
def process_for(cfg, density, kind: str) -> SDE:
    """The process of ``kind`` for this session: the model's own when it is trained with objective sde of
    that kind, else the defaults for the density's box (``SDE.for_box``)."""
    from scoreviz.core.objectives import objective_sde

    if cfg is not None and cfg.objective.name == "sde" and cfg.objective.sde == kind:
        return objective_sde(cfg.objective)
    return SDE.for_box(kind, density.box)


def score_source(settings: DynamicsSettings, cfg, density, weights: dict | None) -> tuple[ScoreFn, SDE, str]:
    """(score_fn, process, one-line description) for the settings: the learned score of ``weights`` (a
    state_dict of ``cfg.model``, loaded on the CPU) under the model's own process, or the exact true score
    of ``density`` under the chosen process.  The learned one without objective sde: ScorevizError
    (``LEARNED_NEEDS_SDE``)."""
    if settings.source == "true":
        sde = process_for(cfg, density, settings.process)
        return true_score_fn(density, sde), sde, "true score ∇log pₜ"
    refusal = learned_refusal(cfg)
    if refusal:
        raise ScorevizError(refusal)
    if weights is None:
        raise ScorevizError("no trained weights yet: wait for the main window's first frame, or use the true score")
    from scoreviz.core.models import ScoreModel
    from scoreviz.core.objectives import objective_sde
    from scoreviz.core.time_score import model_score_fn

    sde = objective_sde(cfg.objective)
    with torch.random.fork_rng(devices=[]):  # building a model draws initial weights: leave the global stream be
        model = ScoreModel(cfg.model)
    with torch.no_grad():
        model.load_state_dict({k: v.detach().cpu() for k, v in weights.items()})
    model.eval()
    return model_score_fn(model, sde), sde, "learned s_θ(x, t)"


def view_box(density) -> tuple[float, float, float, float]:
    """The square the panels show: the density's box, made square about its centre."""
    x0, x1, y0, y1 = (float(v) for v in density.box)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half = max(x1 - x0, y1 - y0) / 2 or 1.0
    return (cx - half, cx + half, cy - half, cy + half)


def log_density_image(density, box, pixels: int = HEAT_PIXELS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xs (W,), ys (H,), log p (H, W)) of the data density on a pixels x pixels grid over ``box``."""
    from scoreviz.core.fields import scalar_on_grid

    with torch.no_grad():
        return scalar_on_grid(density.log_prob, box, int(pixels))


# --------------------------------------------------------------------------- the worker's state
@dataclass
class DynamicsPlayer:
    """The window worker's state, free of Qt: the main window's snapshot (cfg, density, weights), the
    settings in force, the ``DynamicsSet`` and whether it runs.

    ``configure(settings)`` builds a new set, paused at the prior (ScorevizError when the score cannot be
    built: the set in force stays); ``play`` / ``pause`` / ``restart``; ``tick(budget_s)`` advances one frame
    while running and returns the ``DynamicsFrame`` to show, or None when nothing changed.  A run that
    reaches t_eps stops by itself (``running`` False); ``play`` then starts it over.
    """

    cfg: object
    density: object
    weights: dict | None = None
    dynamics: DynamicsSet | None = None
    settings: DynamicsSettings | None = None
    running: bool = False
    heat: tuple | None = None
    box: tuple | None = None
    _dirty: bool = field(default=False, repr=False)

    def configure(self, settings: DynamicsSettings) -> None:
        score_fn, sde, source = score_source(settings, self.cfg, self.density, self.weights)
        self.dynamics = DynamicsSet(score_fn, sde, settings.specs(), settings.n, settings.seed,
                                    frames=settings.frames, source=source)
        if self.heat is None:  # the data density does not change: its image once
            self.box = view_box(self.density)
            self.heat = log_density_image(self.density, self.box)
        self.settings = settings
        self.running = False
        self._dirty = True

    def restart(self) -> None:
        if self.dynamics is not None:
            self.dynamics.restart()
            self._dirty = True

    def play(self) -> None:
        if self.dynamics is not None and self.dynamics.done:
            self.restart()
        self.running = self.dynamics is not None

    def pause(self) -> None:
        self.running = False

    def tick(self, budget_s: float | None = None) -> DynamicsFrame | None:
        d = self.dynamics
        if d is None:
            return None
        if self.running and not d.done:
            d.advance(budget_s)
            self._dirty = True
        if self.running and d.done:
            self.running = False
        if not self._dirty:
            return None
        self._dirty = False
        return d.frame(self.heat, self.box, self.settings)
