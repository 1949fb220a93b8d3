"""What the "Every dynamic" window asks for, and what it is shown: plain values, free of Qt and of torch.

``DYNAMICS`` lists the picker's choices (key -> title, one line on what it is); ``DynamicSpec`` describes one
dynamic, ``DynamicsSettings`` the window's whole request (score source, process, 2 to 5 dynamics, steps,
particles, seed, pace); ``DynamicState`` / ``DynamicsFrame`` are what the worker publishes (fresh numpy
copies).  ``learned_refusal(cfg)`` says in one line why a model cannot drive the dynamics.  The loop that
runs them is ``scoreviz.live.dynamics`` (torch), imported by the window's worker thread, not here: the
window builds its controls from this module alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoreviz.core import limits
from scoreviz.core.errors import ScorevizError

PROCESSES = ("ve", "vp", "subvp")  # scoreviz.core.sde.KINDS (that module loads torch)
NOISE_SEED_OFFSET = 0x5EED  # the dynamics' noise stream: seed + this (the prior uses seed itself)
DYNAMICS_FPS = 30  # frames a second the window's worker makes while running
DEFAULT_FRAMES = 150  # frames from the prior to t_eps (5 s at 30 frames per second)
DURATIONS_S = (2, 5, 10, 20, 60)  # the window's choices of how long a run takes (frames = seconds x DYNAMICS_FPS)
DEFAULT_STEPS = 200
DEFAULT_PARTICLES = 2000
ANNEALED_LEVELS = 10  # annealed Langevin: levels (the main window's default), steps // levels steps at each
TRAIL_LENGTH = 12  # trail positions kept per particle (frames)
TRAIL_PARTICLES = 100  # particles with a trail (the first ones)
HEAT_PIXELS = 160  # the log p image under the particles, pixels per side
MIN_DYNAMICS, MAX_DYNAMICS = 2, 5
METHODS = ("reverse-sde", "pf-ode", "pc", "annealed")

# the picker's choices: key -> (title, what it is)
DYNAMICS = {
    "reverse-sde": ("reverse SDE", "Euler–Maruyama of the reverse-time SDE dx = [f − g²s]dt + g dw̄ "
                                   "(one score evaluation a step)"),
    "pf-ode-euler": ("PF-ODE Euler", "the probability-flow ODE dx/dt = f − ½g²s with fixed-step Euler: "
                                     "deterministic, one evaluation a step"),
    "pf-ode-heun": ("PF-ODE Heun", "the probability-flow ODE with Heun's second-order method: "
                                   "deterministic, two evaluations a step"),
    "pc": ("PC", "predictor–corrector: a Langevin corrector step (signal-to-noise r = 0.16) then a "
                 "reverse-diffusion predictor step (two evaluations a step)"),
    "annealed": ("annealed Langevin", f"annealed Langevin: {ANNEALED_LEVELS} levels σᵢ = std(tᵢ) at times tᵢ from 1 "
                                      "to ε, steps ÷ 10 Langevin steps of size 0.1σᵢ² at each, score s(x, tᵢ)"),
}
DEFAULT_DYNAMICS = ("reverse-sde", "pf-ode-euler", "pc")

LEARNED_NEEDS_SDE = ("Dynamics need a time-conditional model trained with objective sde "
                     "(this one is trained with objective {objective}); use the true score instead.")


@dataclass(frozen=True)
class DynamicSpec:
    """One dynamic: ``method`` "reverse-sde" | "pf-ode" | "pc" | "annealed"; ``steps`` its steps (annealed:
    Langevin steps in all, L = min(levels, steps) levels of steps // L steps each); ``solver`` (pf-ode:
    euler | heun | rk45); ``snr`` and ``corrector_steps`` (pc; None: ``core.diffusion``'s defaults, r = 0.16
    and 1); ``levels`` (annealed)."""

    method: str = "reverse-sde"
    steps: int = DEFAULT_STEPS
    solver: str = "euler"
    snr: float | None = None
    corrector_steps: int | None = None
    levels: int = ANNEALED_LEVELS

    def __post_init__(self):
        if not isinstance(self.method, str) or self.method not in METHODS:
            raise ScorevizError(f"unknown dynamic {limits.show(self.method)}; choose one of {', '.join(METHODS)}")
        object.__setattr__(self, "steps", limits.check("steps", self.steps))
        object.__setattr__(self, "levels", limits.check("levels", self.levels))

    @property
    def name(self) -> str:
        """A short title: "reverse SDE", "PF-ODE Heun", "PC", "annealed Langevin"."""
        if self.method == "pf-ode":
            return f"PF-ODE {self.solver.upper() if self.solver == 'rk45' else self.solver.capitalize()}"
        return {"reverse-sde": "reverse SDE", "pc": "PC", "annealed": "annealed Langevin"}[self.method]

    @classmethod
    def from_key(cls, key: str, steps: int = DEFAULT_STEPS) -> "DynamicSpec":
        """The spec of a picker choice (a key of ``DYNAMICS``) with ``steps`` steps."""
        if key not in DYNAMICS:
            raise ScorevizError(f"unknown dynamic {limits.show(key)}; choose one of {', '.join(DYNAMICS)}")
        if key.startswith("pf-ode-"):
            return cls("pf-ode", steps, solver=key[len("pf-ode-"):])
        return cls(key, steps)


@dataclass(frozen=True)
class DynamicsSettings:
    """What the window asks for: the score ``source`` ("learned" | "true"), the ``process`` kind for the true
    score (the learned score uses the model's own), the dynamics (keys of ``DYNAMICS``, 2 to 5), ``steps``
    per dynamic, ``n`` particles, ``seed`` and ``frames`` (about how many frames a run takes: the pace)."""

    source: str = "true"
    process: str = "vp"
    methods: tuple = DEFAULT_DYNAMICS
    steps: int = DEFAULT_STEPS
    n: int = DEFAULT_PARTICLES
    seed: int = 0
    frames: int = DEFAULT_FRAMES

    def __post_init__(self):
        if self.source not in ("learned", "true"):
            raise ScorevizError(f"score source {limits.show(self.source)} is not known; use learned or true")
        if self.process not in PROCESSES:
            raise ScorevizError(f"unknown process {limits.show(self.process)}; choose one of {', '.join(PROCESSES)}")
        methods = tuple(self.methods)
        if not MIN_DYNAMICS <= len(methods) <= MAX_DYNAMICS:
            raise ScorevizError(f"choose {MIN_DYNAMICS} to {MAX_DYNAMICS} dynamics, got {len(methods)}")
        for m in methods:
            if m not in DYNAMICS:
                raise ScorevizError(f"unknown dynamic {limits.show(m)}; choose among {', '.join(DYNAMICS)}")
        object.__setattr__(self, "methods", methods)
        object.__setattr__(self, "steps", limits.check("steps", self.steps))
        object.__setattr__(self, "n", limits.check("n_particles", self.n))
        object.__setattr__(self, "seed", limits.check("seed", self.seed))
        object.__setattr__(self, "frames", limits.check("steps", self.frames))

    def specs(self) -> tuple[DynamicSpec, ...]:
        return tuple(DynamicSpec.from_key(m, self.steps) for m in self.methods)


def learned_refusal(cfg) -> str | None:
    """Why the learned score cannot drive the dynamics (one line), or None when it can (objective sde)."""
    name = cfg.objective.name
    if name == "sde" and getattr(cfg.model, "time_conditional", False):
        return None
    return LEARNED_NEEDS_SDE.format(objective=name)


@dataclass(frozen=True)
class DynamicState:
    """One dynamic at one frame (fresh numpy copies)."""

    name: str
    method: str
    positions: np.ndarray  # (n, 2) float32
    trail: np.ndarray  # (K, M, 2) float32, oldest first (K <= trail_length)
    t: float
    index: int  # steps done
    steps: int  # steps in all
    nfe: int  # score evaluations (of all n points at once)
    diverged: int  # particles with a non-finite position

    @property
    def done(self) -> bool:
        return self.index >= self.steps

    def status(self) -> str:
        """"step i/N · NFE k · t = ..." (plain text; "· k diverged" when particles left the numbers)."""
        text = f"step {self.index}/{self.steps} · NFE {self.nfe} · t = {self.t:.3g}"
        return text + (f" · {self.diverged} diverged" if self.diverged else "")


@dataclass(frozen=True)
class DynamicsFrame:
    """Every dynamic at one frame: ``dynamics`` (DynamicStates in the order of the specs); ``frame`` counts
    advances since the (re)start; ``done`` when every dynamic reached t_eps; ``process`` the SDE's one-line
    description; ``source`` the score's; ``heat`` (xs, ys, log p (H, W)) of the data density (or None);
    ``box`` the square the panels show; ``settings`` the DynamicsSettings in force (or None)."""

    dynamics: tuple
    frame: int
    done: bool
    progress: float
    process: str
    source: str
    n: int
    seed: int
    heat: tuple | None = None
    box: tuple | None = None
    settings: DynamicsSettings | None = None
