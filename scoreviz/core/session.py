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
from scoreviz.core.marginals import check_time, marginal_density
from scoreviz.core.metrics import fisher_divergence, time_averaged_fisher
from scoreviz.core.models import ModelConfig, ScoreModel
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.generation import SOLVERS, TIME_SAMPLERS, ParticleDiffusion, time_sampler_refusal
from scoreviz.core.text import N_, Composed
from scoreviz.core.time_score import model_score_fn

SAMPLERS = ("langevin", "annealed") + TIME_SAMPLERS  # the time samplers need objective sde (core/generation)
SCORE_SOURCES = ("learned", "true")
FISHER_TIMES = 16  # objective sde: the Fisher divergence is averaged over this many times in [t_eps, 1]
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
    # the time samplers (objective sde; core/generation): steps from t = 1 to t_eps, pf-ode's solver, pc's corrector
    diffusion_steps: int = 500
    solver: str = "euler"
    snr: float = 0.16
    corrector_steps: int = 1

    def __post_init__(self):
        if self.sampler not in SAMPLERS:
            raise ScorevizError(f"sampler {limits.show(self.sampler)} is not known; use one of {', '.join(SAMPLERS)}")
        if self.score_source not in SCORE_SOURCES:
            raise ScorevizError(f"score source {limits.show(self.score_source)} is not known; use learned or true")
        if self.init is not None and (not isinstance(self.init, str) or len(self.init) > 200):
            raise ScorevizError(f"sampler init {limits.show(self.init)} must be text like uniform:LO,HI or gaussian:STD")
        for name in ("n_particles", "step_size", "steps_per_frame", "sigma_max", "sigma_min", "levels",
                     "steps_per_level", "snr", "corrector_steps"):
            setattr(self, name, limits.check(name, getattr(self, name), "sampler"))
        self.diffusion_steps = limits.check("steps", self.diffusion_steps, "sampler diffusion")
        if self.solver not in SOLVERS:
            raise ScorevizError(f"sampler solver {limits.show(self.solver)} is not known; use one of {', '.join(SOLVERS)}")
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
    field_t: float | None = None  # objective sde: the time the fields show, in [t_eps, 1]; None: t_eps

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
        if self.objective.name == "sde" and not self.model.time_conditional:
            self.model = replace(self.model, noise_conditional=False, time_conditional=True)
        obj.check_compatible(self.objective, self.model)
        refusal = time_sampler_refusal(self.sampler.sampler, self.objective.name)
        if refusal:
            raise ScorevizError.like(refusal)  # keeps its template: the GUI shows it in its language
        if self.field_t is not None:
            self.field_t = limits.check("field_t", self.field_t)
            eps = obj.objective_sde(self.objective).t_eps
            if self.objective.name == "sde" and self.field_t < eps:
                raise ScorevizError(f"field_t={self.field_t:g} is out of range; allowed {eps:g}..1 "
                                    f"(t_eps of the {self.objective.sde} process)")
        limits.check_work(self)  # each setting is bounded above; so is the work their product implies

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
    def sde(self):
        """The forward process (``scoreviz.core.sde.SDE``) of objective sde; None for the others."""
        return obj.objective_sde(self.cfg.objective) if self.cfg.objective.name == "sde" else None

    @property
    def field_t(self) -> float | None:
        """Objective sde: the display time t in [t_eps, 1] of the fields, the target and the Fisher
        divergence (``cfg.field_t``; t_eps when unset).  None for the other objectives."""
        process = self.sde
        if process is None:
            return None
        return process.t_eps if self.cfg.field_t is None else float(self.cfg.field_t)

    def set_field_t(self, t: float) -> None:
        """Show the fields at time t (objective sde; t in [t_eps, 1], else a one-line ScorevizError).
        Training is unaffected; ``version`` is bumped (the fields and the target change)."""
        process = self.sde
        if process is None:
            raise ScorevizError(f"a display time t needs objective sde; objective {self.cfg.objective.name!r} "
                                "has no time axis")
        t = check_time(process, t)
        if t != self.field_t:
            self.cfg = replace(self.cfg, field_t=t)
            self.version += 1

    def marginal(self, t: float):
        """Objective sde: the exact marginal p_t of the density under the process (t in [t_eps, 1])."""
        process = self.sde
        if process is None:
            raise ScorevizError(f"marginals p_t need objective sde; objective {self.cfg.objective.name!r} has none")
        return marginal_density(self.density, process, t)

    @property
    def target_sigma(self) -> float:
        """0, sigma (dsm), sigma_min (ncsn) or, for sde, std(field_t) of the process."""
        return float(obj.target_sigma(self.cfg.objective, self.field_t))

    @property
    def target(self):
        """The density the objective targets: p, p_sigma (dsm), p at sigma_min (ncsn) or, for sde, the
        exact marginal p_t at the display time ``field_t``."""
        if self.cfg.objective.name == "sde":
            return self.marginal(self.field_t)
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

    def set_objective(self, objective: ObjectiveConfig) -> Composed:
        """Switch objective. Training continues from the current model unless the architecture
        must change (ncsn needs a noise-conditional network, sde a time-conditional one); returns what
        happened, for the user (English; a ``core.text.Composed`` the GUI shows in its language).  The
        display time stays where it is if the new process allows it."""
        model = obj.conditioned_model(objective, self.cfg.model)
        field_t = self.cfg.field_t
        if field_t is not None and field_t < obj.objective_sde(objective).t_eps:
            field_t = None
        sampler = old_sampler = self.cfg.sampler
        if time_sampler_refusal(sampler.sampler, objective.name):  # no process any more: plain Langevin
            sampler = replace(sampler, sampler="langevin")
        cfg = replace(self.cfg, objective=objective, model=model, field_t=field_t, sampler=sampler)
        old, old_process = self.cfg.model, self.sde
        rebuilt = cfg.model != old
        self.cfg = cfg
        self._target_cache = {}
        if sampler != old_sampler or (sampler.sampler in TIME_SAMPLERS and self.sde != old_process):
            self.reset_particles()  # the particles' process changed (or they left the time axis)
        self.version += 1
        if rebuilt:
            self.reset_model()
            changes = [Composed.compose(text) for text, new, was in (
                (N_("noise conditioning on") if model.noise_conditional else N_("noise conditioning off"),
                 model.noise_conditional, old.noise_conditional),
                (N_("time conditioning on") if model.time_conditional else N_("time conditioning off"),
                 model.time_conditional, old.time_conditional)) if new != was]
            return Composed.compose(N_("objective {name}: model reset ({changes})"), name=objective.name,
                                    changes=Composed.join(changes))
        return Composed.compose(N_("objective {name}: training continues from the current model"),
                                name=objective.name)

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
    def learned_score(self, x: Tensor, sigma: float | None = None, t: float | None = None) -> Tensor:
        """The model's score (no graph kept); at sigma_min (or ``sigma``) for a noise-conditional model;
        s_theta(x, t) = model(x, t) / std(t) at ``field_t`` (or ``t``) for a time-conditional one (sde)."""
        self.model.eval()
        if self.cfg.model.time_conditional:
            if sigma is not None:
                raise ScorevizError("a time-conditional model takes a time t, not a noise level sigma")
            return model_score_fn(self.model, self.sde)(x.to(self.device), self.field_t if t is None else t)
        if self.cfg.model.noise_conditional:
            s = self.target_sigma if sigma is None else sigma
            return self.model.score(x.to(self.device), s)
        return self.model.score(x.to(self.device))

    def true_score(self, x: Tensor, t: float | None = None) -> Tensor:
        """The score of the density the objective targets (sde: the exact grad log p_t at ``field_t``,
        or at ``t``)."""
        if t is not None:
            return self.marginal(t).score(x.to(self.device))
        return self.target.score(x.to(self.device))

    def fisher(self, n: int = 10000) -> tuple[float, float]:
        """Fisher divergence and its relative form against the target, on n fresh samples.

        Objective sde: averaged over ``FISHER_TIMES`` times t_k (the midpoints of equal intervals of
        [t_eps, 1]) weighted by std(t_k)², the sigma2 weighting the objective minimises:
        Σ std² E_{p_t}‖s_theta(x, t) − ∇log p_t‖² / Σ std² E_{p_t}‖∇log p_t‖² (``metrics.time_averaged_fisher``).
        At t_eps alone the 1/std(t) factor makes any model look poor for thousands of steps (a relative
        F of 20–50 on 8gaussians after 6000 steps, against 0.07 at t = 0.5); the fields on screen show the
        time the slider chooses."""
        n = limits.check("fisher_samples", n)
        limits.check_fisher_work(self.cfg.model, n)
        # the seed stays in the generator's 64-bit range whatever the configured seed
        gen = torch.Generator(device=self.device).manual_seed((self.cfg.seed * 1_000_003 + self.step_count + 17) % 2**64)
        process = self.sde
        if process is not None:
            k = FISHER_TIMES
            times = [process.t_eps + (1.0 - process.t_eps) * (i + 0.5) / k for i in range(k)]
            weights = [float(process.std(t)) ** 2 for t in times]
            f, rel = time_averaged_fisher(lambda x, t: self.learned_score(x, t=t), self.marginal, times, weights,
                                          n=n, generator=gen)
        else:
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
        self.particle_step = 0
        if sc.sampler in TIME_SAMPLERS:  # from the prior (generation) or noised data (forward)
            self.diffusion = ParticleDiffusion(self)
            self.particles = self.diffusion.reset()
            return
        self.diffusion = None
        init = sc.init
        if init is None:
            xmin, xmax, ymin, ymax = self.density.box
            lo, hi = min(xmin, ymin), max(xmax, ymax)
            init = f"uniform:{lo},{hi}"
        self.particles = samplers.initial_particles(sc.n_particles, init, self.particle_generator, self.device)
        self.particle_step = 0  # total sampler steps since the reset (annealed: position in the schedule)

    @property
    def annealing_times(self) -> Tensor | None:
        """Objective sde: the annealed schedule's times t_1 = 1 > ... > t_L = t_eps, evenly spaced
        (L = the sampler's levels; [t_eps] for L = 1), float64; None for the other objectives."""
        process = self.sde
        if process is None:
            return None
        levels = self.cfg.sampler.levels
        if levels == 1:
            return torch.tensor([process.t_eps], dtype=torch.float64)
        t = torch.linspace(1.0, process.t_eps, levels, dtype=torch.float64)
        t[-1] = process.t_eps  # exact end point
        return t

    @property
    def annealing_sigmas(self) -> Tensor:
        """The annealed schedule's noise levels sigma_1 > ... > sigma_L in force: the sampler's
        geometric levels, or for objective sde the process's std(t_i) at ``annealing_times`` (the sampler's
        sigma_max/sigma_min are then unused).  ``samplers.default_step_size("annealed", these)`` is the
        default step size."""
        times = self.annealing_times
        if times is not None:
            return self.sde.std(times)
        sc = self.cfg.sampler
        return samplers.geometric_sigmas(sc.sigma_max, sc.sigma_min, sc.levels)  # float32, as always

    def _particle_score(self, sigma: float | None, t: float | None = None):
        """The particles' score: at level sigma (annealed; None: plain Langevin), or for objective sde at
        time t of the annealed schedule (the model's s_theta(x, t) or the exact grad log p_t); plain
        Langevin with a time-conditional model uses s_theta(x, t_eps), with the true score grad log p."""
        sc = self.cfg.sampler
        if sc.score_source == "true":
            if t is not None:
                return self.marginal(t).score
            return (lambda x: self._perturbed(sigma).score(x)) if sigma else self.density.score
        if self.cfg.model.time_conditional:
            score_fn, at = model_score_fn(self.model, self.sde), self.sde.t_eps if t is None else t
            return lambda x: score_fn(x, at)
        if self.cfg.model.noise_conditional:
            s = self.target_sigma if sigma is None else sigma
            return lambda x: self.model.score(x, s)
        return lambda x: self.model.score(x)

    def advance_particles(self, k: int | None = None) -> None:
        """k sampler steps (default: steps_per_frame). Annealed runs through its schedule of
        sigma levels and then keeps sampling at the last level.

        Objective sde: annealed runs through the process's times t_i (``annealing_times``, 1 down to
        t_eps) with the score of p_{t_i} (the model's s_theta(x, t_i) or the exact one) and the step
        alpha_i = eps * sigma_i^2 / sigma_L^2, sigma_i = std(t_i) (``annealing_sigmas``): for vp/subvp the
        levels are the marginals' own, data scaled by alpha(t_i) plus noise std(t_i), whose curvature is at
        most 1/std(t_i)^2, so the NCSN step rule keeps its stability margin."""
        sc = self.cfg.sampler
        k = sc.steps_per_frame if k is None else int(k)
        self.model.eval()
        if sc.sampler in TIME_SAMPLERS:
            moved = self.diffusion.advance(k)
            if moved is not None:
                self.particles = moved
                self.particle_step += k
            return
        if sc.sampler == "langevin":
            self.particles = samplers.langevin(self.particles, self._particle_score(None), sc.step_size, k,
                                               self.particle_generator)
            self.particle_step += k
            return
        sig, times = self.annealing_sigmas, self.annealing_times
        remaining = k
        while remaining > 0:
            level = min(self.particle_step // sc.steps_per_level, sc.levels - 1)
            in_level = sc.steps_per_level - self.particle_step % sc.steps_per_level
            n = remaining if level == sc.levels - 1 else min(remaining, in_level)
            sigma = float(sig[level])
            alpha = sc.step_size * sigma**2 / float(sig[-1]) ** 2
            t = None if times is None else float(times[level])
            self.particles = samplers.langevin(self.particles, self._particle_score(sigma, t), alpha, n,
                                               self.particle_generator)
            self.particle_step += n
            remaining -= n

    @property
    def annealing_level(self) -> int:
        """Current level index of the annealed schedule (0-based)."""
        sc = self.cfg.sampler
        return min(self.particle_step // sc.steps_per_level, sc.levels - 1)
