"""Configuration dataclasses (JSON round trip) and the Session that trains and samples.

A Session owns density + model + optimiser + particles + RNG, and advances by ``step()``.
It holds no Qt objects: the GUI's worker thread drives it; the CLI and the tests use it directly.
Randomness: one generator for training batches, one for objective noise, one for the particles
and one per Fisher evaluation, so sampling or measuring never changes the training trajectory and
sessions with the same seed see the same data batches whatever their objective.
"""

from __future__ import annotations

import array

import math
import os
from dataclasses import asdict, dataclass, field, fields, replace

import torch
from torch import Tensor

from scoreviz.core import limits
from scoreviz.core import objectives as obj
from scoreviz.core import samplers
from scoreviz.core.errors import DivergedError, ScorevizError
from scoreviz.core.metrics import fisher_divergence
from scoreviz.core.models import ModelConfig, ScoreModel
from scoreviz.core.objectives import ObjectiveConfig

SAMPLERS = ("langevin", "annealed")
SCORE_SOURCES = ("learned", "true")
DEVICES = ("auto", "cpu", "cuda", "mps")


def resolve_device(name: str) -> torch.device:
    """``auto`` picks CUDA, then MPS, then the CPU; an unavailable explicit device is refused."""
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name not in DEVICES and not name.startswith("cuda:"):
        raise ScorevizError(f"device '{name}' is not known; use one of {', '.join(DEVICES)}")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ScorevizError(f"device '{name}' is not available on this machine; use auto or cpu")
    if name == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise ScorevizError("device 'mps' is not available on this machine; use auto or cpu")
    return torch.device(name)


def _from_dict(cls, d: dict):
    known = {f.name for f in fields(cls)}
    unknown = set(d) - known
    if unknown:
        shown = ", ".join(limits.show(k) for k in sorted(map(str, unknown))[:5])
        raise ScorevizError(f"unknown {cls.__name__} field(s) {shown}; allowed: {', '.join(sorted(known))}")
    return cls(**d)


@dataclass
class SamplerConfig:
    """How the particles move: Langevin or annealed Langevin, driven by the learned or true score."""

    sampler: str = "langevin"
    n_particles: int = 10000
    step_size: float = 0.01
    steps_per_frame: int = 1
    score_source: str = "learned"
    init: str | None = None  # "uniform:LO,HI" | "gaussian:STD" | None = uniform over the density's box
    sigma_max: float = 1.0
    sigma_min: float = 0.01
    levels: int = 10
    steps_per_level: int = 100

    def __post_init__(self):
        if self.sampler not in SAMPLERS:
            raise ScorevizError(f"sampler {limits.show(self.sampler)} is not known; use one of {', '.join(SAMPLERS)}")
        if self.score_source not in SCORE_SOURCES:
            raise ScorevizError(f"score source {limits.show(self.score_source)} is not known; use learned or true")
        if self.init is not None and (not isinstance(self.init, str) or len(self.init) > 200):
            raise ScorevizError(f"sampler init {limits.show(self.init)} must be text like uniform:LO,HI or gaussian:STD")
        for name in ("n_particles", "step_size", "steps_per_frame", "sigma_max", "sigma_min", "levels",
                     "steps_per_level"):
            setattr(self, name, limits.check(name, getattr(self, name), "sampler"))
        if not self.sigma_max > self.sigma_min:
            raise ScorevizError(
                f"sampler noise levels sigma_max={self.sigma_max}, sigma_min={self.sigma_min}; need sigma_max > sigma_min > 0")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "SamplerConfig":
        return _from_dict(cls, d)


@dataclass
class SessionConfig:
    """Everything that defines a training run; JSON round trip with to_dict / from_dict."""

    density: str = "8gaussians"
    density_params: dict = field(default_factory=dict)
    objective: ObjectiveConfig = field(default_factory=ObjectiveConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    lr: float = 1e-3
    batch: int = 512
    seed: int = 0
    device: str = "auto"
    threads: int | None = None
    sampler: SamplerConfig = field(default_factory=SamplerConfig)
    grid: int = 64

    def __post_init__(self):
        self.lr = limits.check("lr", self.lr)
        self.batch = limits.check("batch", self.batch)
        self.seed = limits.check("seed", self.seed)
        if self.threads is not None:
            self.threads = limits.check("threads", self.threads)
        self.grid = limits.check("grid", self.grid)
        if isinstance(self.density, os.PathLike):
            self.density = os.fspath(self.density)
        if not isinstance(self.density, str) or len(self.density) > 4096:
            raise ScorevizError(f"density {limits.show(self.density)} must be text (a preset, file or expr:...) "
                                "of at most 4096 characters")
        if not isinstance(self.density_params, dict):
            raise ScorevizError("density_params must be an object of NAME: VALUE")
        for key, cls in (("objective", ObjectiveConfig), ("model", ModelConfig), ("sampler", SamplerConfig)):
            if not isinstance(getattr(self, key), cls):
                raise ScorevizError(f"session config field '{key}' must be a {cls.__name__}")
        if not isinstance(self.device, str):
            raise ScorevizError(f"device {limits.show(self.device)} must be text; use one of {', '.join(DEVICES)}")
        if self.device not in DEVICES and not (self.device.startswith("cuda:") and self.device[5:].isdigit()):
            raise ScorevizError(f"device {limits.show(self.device)} is not known; use one of {', '.join(DEVICES)}")
        if self.objective.name == "ncsn" and not self.model.noise_conditional:
            self.model = replace(self.model, noise_conditional=True)
        obj.check_compatible(self.objective, self.model)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["objective"] = self.objective.to_dict()
        d["model"] = self.model.to_dict()
        d["sampler"] = self.sampler.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "SessionConfig":
        if not isinstance(d, dict):
            raise ScorevizError("session config must be a JSON object")
        d = dict(d)
        for key, sub in (("objective", ObjectiveConfig), ("model", ModelConfig), ("sampler", SamplerConfig)):
            if key in d:
                if not isinstance(d[key], dict):
                    raise ScorevizError(f"session config field '{key}' must be an object")
                d[key] = sub.from_dict(d[key])
        return _from_dict(cls, d)


class Session:
    """Trains a score model on a density and moves Langevin particles.

    ``density`` (a density object) overrides ``cfg.density`` — used for drawn, image and
    expression densities and for files.
    """

    def __init__(self, cfg: SessionConfig, density=None):
        from scoreviz.core.densities import load_density  # lazy: the density families load only when needed

        self.cfg = cfg
        self.device = resolve_device(cfg.device)
        if cfg.threads:
            torch.set_num_threads(int(cfg.threads))
        self.density = density if density is not None else load_density(cfg.density, **cfg.density_params)
        self._target_cache: dict = {}
        self.version = 0  # bumped whenever the density or objective changes (fields must be recomputed)
        self.reset_model()
        self.reset_particles()

    # ----------------------------------------------------------------- model
    def reset_model(self) -> None:
        """A fresh model and optimiser from the seed; the step count and histories start over."""
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self.cfg.seed)
            self.model = ScoreModel(self.cfg.model).to(self.device)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=self.cfg.lr)
        # data batches and objective noise draw from separate streams, so sessions with the same
        # seed see the same batches whatever their objective (fair comparisons)
        self.generator = torch.Generator(device=self.device).manual_seed(self.cfg.seed)
        self.noise_generator = torch.Generator(device=self.device).manual_seed(self.cfg.seed + 0x5EED)
        self.step_count = 0
        # 8 bytes a step (a list of floats costs ~40): a day of training must not fill the memory
        self.loss_history: array.array = array.array("d")
        self.fisher_history: list[tuple[int, float, float]] = []
        self.weights_version = 0

    def set_model(self, model_cfg: ModelConfig) -> None:
        """New architecture: the model is rebuilt (training starts over)."""
        cfg = replace(self.cfg, model=model_cfg)  # validates, forces noise conditioning for ncsn
        self.cfg = cfg
        self.reset_model()

    def set_optimizer(self, lr: float | None = None, batch: int | None = None) -> None:
        """Change the learning rate and/or batch size; training continues."""
        self.cfg = replace(self.cfg, lr=self.cfg.lr if lr is None else lr,
                           batch=self.cfg.batch if batch is None else batch)
        for group in self.optimizer.param_groups:
            group["lr"] = self.cfg.lr

    # ----------------------------------------------------------------- targets
    @property
    def target_sigma(self) -> float:
        return float(obj.target_sigma(self.cfg.objective))

    @property
    def target(self):
        """The density the objective targets: p, p_sigma (dsm) or p at sigma_min (ncsn)."""
        return self._perturbed(self.target_sigma)

    def _perturbed(self, sigma: float):
        key = round(float(sigma), 12)
        if key not in self._target_cache:
            self._target_cache[key] = self.density.perturbed(float(sigma)) if sigma > 0 else self.density
        return self._target_cache[key]

    def set_density(self, density) -> None:
        """A new target density; the model keeps training from where it is."""
        self.density = density
        self._target_cache = {}
        self.version += 1

    def set_objective(self, objective: ObjectiveConfig) -> str:
        """Switch objective. Training continues from the current model unless the architecture
        must change (ncsn needs a noise-conditional network); returns what happened, for the user."""
        needs_nc = objective.name == "ncsn"
        cfg = replace(self.cfg, objective=objective, model=replace(self.cfg.model, noise_conditional=needs_nc))
        rebuilt = cfg.model != self.cfg.model
        self.cfg = cfg
        self._target_cache = {}
        self.version += 1
        if rebuilt:
            self.reset_model()
            return f"objective {objective.name}: model reset (noise conditioning {'on' if needs_nc else 'off'})"
        return f"objective {objective.name}: training continues from the current model"

    # ----------------------------------------------------------------- training
    def step(self) -> float:
        """One Adam step on a fresh batch from p. Raises DivergedError on a non-finite loss
        (the weights are left as they were before that step)."""
        self.model.train()
        x = self.density.sample(self.cfg.batch, self.generator)
        loss = obj.compute_loss(self.cfg.objective, self.model, x, self.density, self.noise_generator)
        value = float(loss.detach())
        if not math.isfinite(value):
            raise DivergedError(self.step_count + 1, value)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        self.step_count += 1
        self.weights_version += 1
        self.loss_history.append(value)
        return value

    def train(self, steps: int, callback=None) -> None:
        """``steps`` training steps; ``callback(session)`` after each (progress, interruption)."""
        for _ in range(int(steps)):
            self.step()
            if callback is not None and callback(self) is False:
                break

    # ----------------------------------------------------------------- scores
    def learned_score(self, x: Tensor, sigma: float | None = None) -> Tensor:
        """The model's score (no graph kept); at sigma_min (or ``sigma``) for a noise-conditional model."""
        self.model.eval()
        if self.cfg.model.noise_conditional:
            s = self.target_sigma if sigma is None else sigma
            return self.model.score(x.to(self.device), s)
        return self.model.score(x.to(self.device))

    def true_score(self, x: Tensor) -> Tensor:
        """The score of the density the objective targets."""
        return self.target.score(x.to(self.device))

    def fisher(self, n: int = 10000) -> tuple[float, float]:
        """Fisher divergence and its relative form against the target, on n fresh samples."""
        n = limits.check("fisher_samples", n)
        # the seed stays in the generator's 64-bit range whatever the configured seed
        gen = torch.Generator(device=self.device).manual_seed((self.cfg.seed * 1_000_003 + self.step_count + 17) % 2**64)
        f, rel = fisher_divergence(self.learned_score, self.target, n=n, generator=gen)
        f, rel = float(f), float(rel)
        self.fisher_history.append((self.step_count, f, rel))
        return f, rel

    # ----------------------------------------------------------------- particles
    def set_sampler(self, sampler: SamplerConfig) -> None:
        """New sampler settings; particles restart when their count or start changes."""
        old = self.cfg.sampler
        self.cfg = replace(self.cfg, sampler=sampler)
        if (old.n_particles, old.init) != (sampler.n_particles, sampler.init) or old.sampler != sampler.sampler:
            self.reset_particles()

    def reset_particles(self) -> None:
        sc = self.cfg.sampler
        self.particle_generator = torch.Generator(device=self.device).manual_seed(self.cfg.seed + 1)
        init = sc.init
        if init is None:
            xmin, xmax, ymin, ymax = self.density.box
            lo, hi = min(xmin, ymin), max(xmax, ymax)
            init = f"uniform:{lo},{hi}"
        self.particles = samplers.initial_particles(sc.n_particles, init, self.particle_generator, self.device)
        self.particle_step = 0  # total sampler steps since the reset (annealed: position in the schedule)

    def _particle_score(self, sigma: float | None):
        sc = self.cfg.sampler
        if sc.score_source == "true":
            return (lambda x: self._perturbed(sigma).score(x)) if sigma else self.density.score
        if self.cfg.model.noise_conditional:
            s = self.target_sigma if sigma is None else sigma
            return lambda x: self.model.score(x, s)
        return lambda x: self.model.score(x)

    def advance_particles(self, k: int | None = None) -> None:
        """k sampler steps (default: steps_per_frame). Annealed runs through its schedule of
        sigma levels and then keeps sampling at the last level."""
        sc = self.cfg.sampler
        k = sc.steps_per_frame if k is None else int(k)
        self.model.eval()
        if sc.sampler == "langevin":
            self.particles = samplers.langevin(self.particles, self._particle_score(None), sc.step_size, k,
                                               self.particle_generator)
            self.particle_step += k
            return
        sig = samplers.geometric_sigmas(sc.sigma_max, sc.sigma_min, sc.levels)
        remaining = k
        while remaining > 0:
            level = min(self.particle_step // sc.steps_per_level, sc.levels - 1)
            in_level = sc.steps_per_level - self.particle_step % sc.steps_per_level
            n = remaining if level == sc.levels - 1 else min(remaining, in_level)
            sigma = float(sig[level])
            alpha = sc.step_size * sigma**2 / float(sig[-1]) ** 2
            self.particles = samplers.langevin(self.particles, self._particle_score(sigma), alpha, n,
                                               self.particle_generator)
            self.particle_step += n
            remaining -= n

    @property
    def annealing_level(self) -> int:
        """Current level index of the annealed schedule (0-based)."""
        sc = self.cfg.sampler
        return min(self.particle_step // sc.steps_per_level, sc.levels - 1)
