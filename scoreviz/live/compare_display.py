"""The compare window's display side, free of Qt: what the trainer publishes and what the panels draw.

``CompareState`` is the compare trainer's self-consistent hand-over (copies of the weights,
steps, seconds, losses, curves); ``CompareDisplay`` owns the display's copies of the models,
loads the newest weights and makes a ``CompareFrame`` of fresh numpy arrays with a
``FrameMaker``, which evaluates the learned fields only when the weights changed and the true
fields and the density image only when the density, the objectives or the view (``CompareView``)
changed. ``comparison_frame`` makes a frame of a ``Comparison`` in the thread that owns it
(``render_compare_png``, "Save figure"). ``FrameMaker`` keeps its own cache rather than
``core/snapshot``'s: it evaluates several models, one target per noise level and a density image
at its own resolution, which ``SnapshotCache`` (one Session, one grid) does not cover. torch and
the core are imported lazily, in the thread that makes the frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np

from scoreviz.live.evaluator import pick_display_dtype

DEFAULT_GRID = 32  # arrows per axis: the compare panels are smaller than the single view's
HEAT_PIXELS = 128  # density image resolution
DEFAULT_EVAL_EVERY = 100  # Fisher divergence every K comparison steps (the CLI's default too)


@dataclass(frozen=True)
class CompareView:
    """What the panels show: arrows per axis, the field box (None: the density's box), heat pixels."""

    grid: int = DEFAULT_GRID
    box: tuple | None = None
    heat: int = HEAT_PIXELS


@dataclass(frozen=True)
class ConfigFrame:
    """One configuration at one instant."""

    label: str
    objective: Any  # ObjectiveConfig
    sigma: float  # the noise level of its target (0: p itself)
    learned: np.ndarray  # (H, W, 2) learned score on the grid
    error: np.ndarray  # (H, W) ||s_theta - grad log p_sigma|| against its own target
    steps: int
    seconds: float  # its own training time (Comparison.seconds)
    loss: float | None  # latest training loss

    @property
    def steps_per_s(self) -> float | None:
        return self.steps / self.seconds if self.seconds > 0 else None


@dataclass(frozen=True)
class CompareFrame:
    """Everything the compare window draws, consistent at one instant; never mutated after publication."""

    configs: tuple  # (ConfigFrame, ...)
    step: int  # comparison steps (every configuration has made exactly this many)
    xs: np.ndarray  # (W,)
    ys: np.ndarray  # (H,)
    box: tuple
    true: np.ndarray  # (H, W, 2) the shared true score (of p, or of p_sigma when every target is p_sigma)
    true_sigma: float
    heat: tuple  # (xs, ys, log p (H, W)) at heat-map resolution
    curves: tuple  # (CurvePoint, ...) every Fisher measurement so far, in order
    density: Any
    density_name: str
    device: str
    running: bool = False
    steps_per_s: float = 0.0  # comparison steps per wall-clock second (0 while paused)
    eval_every: int = DEFAULT_EVAL_EVERY
    epoch: int = 0  # bumps whenever training starts over (reset, density, configurations, seed)
    fields_version: int = 0  # bumps whenever the learned fields were evaluated again
    static_version: int = 0  # bumps whenever the true fields / density image were evaluated again

    @property
    def labels(self) -> tuple:
        return tuple(c.label for c in self.configs)


@dataclass(frozen=True)
class ConfigSource:
    """What a frame needs of one configuration: its model (read only) and its progress."""

    label: str
    objective: Any
    sigma: float  # target noise level; the learned score of a noise-conditional model is read at it
    model: Any  # ScoreModel
    noise_conditional: bool
    weights_key: Any  # changes whenever the weights change
    steps: int
    seconds: float
    loss: float | None


def sources_of(comparison) -> list[ConfigSource]:
    """The configurations of a Comparison, read in the thread that owns it."""
    return [ConfigSource(label=lab, objective=s.cfg.objective, sigma=s.target_sigma, model=s.model,
                         noise_conditional=s.cfg.model.noise_conditional,
                         weights_key=(id(s.model), s.weights_version, s.version), steps=s.step_count,
                         seconds=float(secs), loss=float(s.loss_history[-1]) if s.loss_history else None)
            for lab, s, secs in zip(comparison.labels, comparison.sessions, comparison.seconds)]


def _process(objective):
    """Objective sde's process (the compare window shows its fields at t_eps); None for the others."""
    if getattr(objective, "name", None) != "sde":
        return None
    from scoreviz.core.objectives import objective_sde  # lazy: imports torch (module docstring)

    return objective_sde(objective)


def _target(density, sigma: float, objective=None):
    """What a configuration learns: p, p_sigma, or for objective sde the exact marginal at t_eps."""
    process = _process(objective)
    if process is not None:
        from scoreviz.core.marginals import marginal_density  # lazy: imports torch (module docstring)

        return marginal_density(density, process, process.t_eps)
    return density.perturbed(float(sigma)) if sigma > 0 else density  # as Session.target


def _target_key(src) -> Any:
    process = _process(src.objective)
    return src.sigma if process is None else ("sde", process)


def _learned_fn(src: ConfigSource):
    model = src.model
    model.eval()
    process = _process(src.objective)
    if process is not None:  # a time-conditional model, shown at t_eps
        from scoreviz.core.time_score import model_score_fn  # lazy: imports torch (module docstring)

        fn = model_score_fn(model, process)
        return lambda x: fn(x, process.t_eps)
    if src.noise_conditional:
        return lambda x: model.score(x, src.sigma)
    return lambda x: model.score(x)


def _copy(t, shape) -> np.ndarray:
    """A fresh C-contiguous float32 numpy copy of a tensor, reshaped."""
    return np.array(t.detach().float().cpu().numpy().reshape(shape), dtype=np.float32, order="C", copy=True)


class FrameMaker:
    """Makes CompareFrames, evaluating each field only when what it shows changed."""

    def __init__(self, display_dtype=None):
        self.display_dtype = display_dtype  # torch dtype for the learned fields (display only) or None
        self._static_key = None
        self._static = None
        self._learned_keys: list = []
        self._learned: list = []
        self.fields_version = 0
        self.static_version = 0

    def make(self, sources: list[ConfigSource], density, *, step: int, curves: tuple, view: CompareView = CompareView(),
             running: bool = False, steps_per_s: float = 0.0, eval_every: int = DEFAULT_EVAL_EVERY,
             epoch: int = 0) -> CompareFrame:
        import torch  # lazy: torch loads in the thread that makes frames (module docstring)

        from scoreviz.core.fields import evaluate, grid

        device = next(sources[0].model.parameters()).device
        n = int(view.grid)
        box = tuple(float(v) for v in (view.box or density.box))
        sigmas = tuple(src.sigma for src in sources)
        keys = tuple(_target_key(src) for src in sources)
        shared = keys[0] if all(k == keys[0] for k in keys) else 0.0
        true_sigma = sigmas[0] if all(s == sigmas[0] for s in sigmas) else 0.0
        by_key = {k: src.objective for k, src in zip(keys, sources)}

        skey = (epoch, id(density), keys, n, box, int(view.heat))
        if skey != self._static_key:
            xs, ys, pts = grid(box, n, device)
            targets = {}
            for key in (*keys, shared):  # each target once: p, p_sigma per distinct sigma, p_t_eps per process
                if key not in targets:
                    sigma = key if isinstance(key, float) else 0.0
                    target = _target(density, sigma, by_key.get(key))
                    targets[key] = _copy(evaluate(target.score, pts), (n, n, 2))
            hxs, hys, hpts = grid(box, int(view.heat), device)
            logp = _copy(evaluate(density.log_prob, hpts), (int(view.heat), int(view.heat)))
            self._static = (xs, ys, pts, targets, (hxs, hys, logp))
            self._static_key = skey
            self._learned_keys = []
            self.static_version += 1
        xs, ys, pts, targets, heat = self._static

        if len(self._learned_keys) != len(sources):
            self._learned_keys = [None] * len(sources)
            self._learned = [None] * len(sources)
        configs = []
        changed = False
        for i, src in enumerate(sources):
            lkey = (epoch, src.weights_key, n, box, self.display_dtype)
            if lkey != self._learned_keys[i]:
                fn = _learned_fn(src)
                if self.display_dtype is not None:
                    with torch.autocast(device_type=device.type, dtype=self.display_dtype):
                        lf = evaluate(fn, pts)
                else:
                    lf = evaluate(fn, pts)
                learned = _copy(lf, (n, n, 2))
                err = np.linalg.norm(learned - targets[_target_key(src)], axis=-1).astype(np.float32)
                self._learned[i] = (learned, err)
                self._learned_keys[i] = lkey
                changed = True
            learned, err = self._learned[i]
            configs.append(ConfigFrame(label=src.label, objective=src.objective, sigma=src.sigma, learned=learned,
                                       error=err, steps=src.steps, seconds=src.seconds, loss=src.loss))
        if changed:
            self.fields_version += 1
        return CompareFrame(
            configs=tuple(configs), step=step, xs=xs, ys=ys, box=box, true=targets[shared], true_sigma=true_sigma,
            heat=heat, curves=tuple(curves), density=density, density_name=getattr(density, "name", "density"),
            device=str(device), running=running, steps_per_s=steps_per_s, eval_every=int(eval_every), epoch=epoch,
            fields_version=self.fields_version, static_version=self.static_version)


def comparison_frame(comparison, view: CompareView = CompareView(), maker: FrameMaker | None = None,
                     **extra) -> CompareFrame:
    """A frame of a Comparison, in the thread that owns it (``render_compare_png``, figure export)."""
    maker = maker or FrameMaker()
    return maker.make(sources_of(comparison), comparison.sessions[0].density, step=comparison.step_count,
                      curves=tuple(comparison.curves), view=view, **extra)


@dataclass(frozen=True)
class CompareState:
    """What the compare trainer publishes (``CompareTrainer.publish``): everything the display needs, consistent at one instant."""

    epoch: int  # bumps whenever training starts over
    labels: tuple
    objectives: tuple  # ObjectiveConfigs
    sigmas: tuple  # target noise levels
    noise_conditional: tuple
    models: tuple  # copies of the models made at the epoch's start: for the display only
    weights: tuple  # cloned state_dicts, one per configuration (the same dict while unchanged)
    weights_versions: tuple
    steps: tuple
    seconds: tuple
    losses: tuple
    step: int
    curves: tuple  # (CurvePoint, ...)
    density: Any
    running: bool
    steps_per_s: float
    eval_every: int
    broken: str | None


class CompareDisplay:
    """Owns the display's copies of the models: loads the newest weights, makes CompareFrames."""

    def __init__(self, display_dtype: str = "auto"):
        self.dtype_choice = display_dtype  # "auto", "float32" or "bfloat16" (a fresh display keeps it)
        self.maker = FrameMaker()
        self._models = None
        self._loaded: list = []

    def frame(self, st: CompareState, view: CompareView) -> CompareFrame:
        import torch  # lazy: torch loads in the display thread (module docstring)

        if st.models is not self._models:
            self._models = st.models
            self._loaded = [None] * len(st.models)
            for m in st.models:
                m.eval()
            self.maker.display_dtype = self._pick_dtype(st)
        for i, (m, w) in enumerate(zip(st.models, st.weights)):
            if w is not self._loaded[i]:
                with torch.no_grad():
                    m.load_state_dict(w)
                self._loaded[i] = w
        sources = [ConfigSource(label=lab, objective=o, sigma=sig, model=m, noise_conditional=nc,
                                weights_key=(id(w), wv), steps=n, seconds=secs, loss=loss)
                   for lab, o, sig, m, nc, w, wv, n, secs, loss in zip(
                       st.labels, st.objectives, st.sigmas, st.models, st.noise_conditional, st.weights,
                       st.weights_versions, st.steps, st.seconds, st.losses)]
        return self.maker.make(sources, st.density, step=st.step, curves=st.curves, view=view, running=st.running,
                               steps_per_s=st.steps_per_s, eval_every=st.eval_every, epoch=st.epoch)

    def _pick_dtype(self, st: CompareState):
        m, sigma, nc = st.models[0], st.sigmas[0], st.noise_conditional[0]
        probe = SimpleNamespace(device=next(m.parameters()).device,
                                learned_score=(lambda x: m.score(x, sigma)) if nc else (lambda x: m.score(x)))
        return pick_display_dtype(probe, self.dtype_choice)
