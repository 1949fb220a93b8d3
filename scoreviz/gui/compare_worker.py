"""The compare window's two worker threads: training, and display evaluation.

Data flow (DESIGN.md), as in the single view's ``worker.py``: the GUI posts commands to the
**trainer** (``CompareThread.post``), which owns the ``Comparison``, applies commands between
comparison steps, trains every configuration in lockstep (``Comparison.step``: the same number of
steps for all), measures the Fisher divergences every K steps (``Comparison.evaluate``: the
curves) and publishes a self-consistent ``CompareState`` (copies of the weights, steps, seconds,
losses, curves) after every step, at most every few milliseconds. The **display** thread
(``CompareDisplayThread``) owns copies of the models: it loads the newest weights and evaluates the
fields into a ``CompareFrame`` of fresh numpy arrays at most at the display rate, and only after
the GUI took the previous frame. Learned fields are evaluated only when the weights changed; the
true fields and the density image only when the density, the objectives or the view changed.
Training speed and frame rate stay independent: the trainer never waits for drawing.

``CompareTrainer``, ``CompareDisplay`` and ``FrameMaker`` are plain Python (no Qt): the tests
drive them without a window, and ``render_compare_png`` makes its frame with the same ``FrameMaker``.
"""

from __future__ import annotations

import copy
import threading
import time
from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Any, Callable

import numpy as np
from PySide6 import QtCore

from scoreviz.live.faults import OUT_OF_MEMORY, Fault, display_fault, fault_from, free_device_memory, one_line
from scoreviz.gui.worker import (DISPLAY_RETRY_S, FISHER_SAMPLES, FRAME_INTERVAL_S, CommandHandler, Mailbox,
                                 WorkerThread, pick_display_dtype)

DEFAULT_GRID = 32  # arrows per axis: the compare panels are smaller than the single view's
HEAT_PIXELS = 128  # density image resolution
DEFAULT_EVAL_EVERY = 100  # Fisher divergence every K comparison steps (the CLI's default too)
MAX_GUI_CONFIGS = 4
STATE_INTERVAL_S = 0.004  # the trainer publishes its state at most this often (a copy of the weights)


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


def _learned_fn(src: ConfigSource):
    model = src.model
    model.eval()
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
        import torch

        from scoreviz.core.fields import evaluate, grid

        device = next(sources[0].model.parameters()).device
        n = int(view.grid)
        box = tuple(float(v) for v in (view.box or density.box))
        sigmas = tuple(src.sigma for src in sources)
        true_sigma = sigmas[0] if all(s == sigmas[0] for s in sigmas) else 0.0

        skey = (epoch, id(density), sigmas, n, box, int(view.heat))
        if skey != self._static_key:
            xs, ys, pts = grid(box, n, device)
            targets = {}
            for sigma in (*sigmas, true_sigma):  # each target once: p, or p_sigma per distinct sigma
                if sigma not in targets:
                    target = density.perturbed(float(sigma)) if sigma > 0 else density  # as Session.target
                    targets[sigma] = _copy(evaluate(target.score, pts), (n, n, 2))
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
                err = np.linalg.norm(learned - targets[src.sigma], axis=-1).astype(np.float32)
                self._learned[i] = (learned, err)
                self._learned_keys[i] = lkey
                changed = True
            learned, err = self._learned[i]
            configs.append(ConfigFrame(label=src.label, objective=src.objective, sigma=src.sigma, learned=learned,
                                       error=err, steps=src.steps, seconds=src.seconds, loss=src.loss))
        if changed:
            self.fields_version += 1
        return CompareFrame(
            configs=tuple(configs), step=step, xs=xs, ys=ys, box=box, true=targets[true_sigma], true_sigma=true_sigma,
            heat=heat, curves=tuple(curves), density=density, density_name=getattr(density, "name", "density"),
            device=str(device), running=running, steps_per_s=steps_per_s, eval_every=int(eval_every), epoch=epoch,
            fields_version=self.fields_version, static_version=self.static_version)


def comparison_frame(comparison, view: CompareView = CompareView(), maker: FrameMaker | None = None,
                     **extra) -> CompareFrame:
    """A frame of a Comparison, in the thread that owns it (``render_compare_png``, figure export)."""
    maker = maker or FrameMaker()
    return maker.make(sources_of(comparison), comparison.sessions[0].density, step=comparison.step_count,
                      curves=tuple(comparison.curves), view=view, **extra)


# ============================================================================ trainer
@dataclass(frozen=True)
class CompareState:
    """What the trainer publishes: everything the display needs, consistent at one instant."""

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


class CompareTrainer(CommandHandler):
    """Owns the Comparison. ``handle(cmd)`` between steps; ``tick()`` trains one step and publishes.

    Callbacks: ``on_message(text)`` (status bar), ``on_failed(fault)`` (a ``faults.Fault``: bad input,
    or training paused by a fault; shown in the window), ``on_running(bool)``,
    ``on_figure((path, size, frame))`` (a frame for "Save figure").

    A fault pauses the comparison. Play continues it when every configuration made the same number
    of steps; a divergence, or a fault that left them unequal, needs Reset (``broken``).
    """

    def __init__(self, cfg, objectives, density=None, threads: int | None = 1, eval_every: int = DEFAULT_EVAL_EVERY,
                 publish: Mailbox | None = None,
                 on_message: Callable[[str], None] = lambda s: None,
                 on_failed: Callable[[str], None] = lambda s: None,
                 on_running: Callable[[bool], None] = lambda b: None,
                 on_figure: Callable[[tuple], None] = lambda job: None):
        self.cfg = cfg
        self.objectives = list(objectives)
        self._density = density
        self.threads = threads
        self.eval_every = int(eval_every)
        self.states = publish if publish is not None else Mailbox()
        self.on_message, self.on_failed, self.on_running = on_message, on_failed, on_running
        self.on_figure = on_figure
        self.comparison = None
        self.running = False
        self.speed: float | None = None
        self.epoch = 0
        self.broken: str | None = None  # why training cannot go on until a reset (a configuration diverged)
        self._dirty = True  # something a frame shows changed by a command
        self._changed = False  # weights changed since the last published state
        self._last_publish = -1.0
        self._next_step_t = 0.0
        self._rate_t0 = time.perf_counter()
        self._rate_n0 = 0
        self.steps_per_s = 0.0
        self._models = (None, ())  # (epoch, model copies)
        self._weights: list = []  # per configuration: (key, cloned state_dict)
        self._curves = (None, ())  # ((id, len), tuple)
        self._publish_failed = False  # publishing failed and was reported (reported again only after it worked)

    # ------------------------------------------------------------------ setup
    def start(self) -> bool:
        """Build the Comparison in the calling thread (its torch threads set first). False on failure."""
        import torch

        if self.threads:
            torch.set_num_threads(int(self.threads))
        try:
            if self._density is None:
                from scoreviz.core.densities import load_density

                self._density = load_density(self.cfg.density, **self.cfg.density_params)
            self._build()
        except Exception as e:  # bad configuration or density: shown in the window, which keeps running
            self._fault(e, what="building the comparison")
            return False
        return True

    def _build(self, objectives=None, cfg=None) -> None:
        """A new Comparison (configurations or seed changed); replaces the old one only if it builds."""
        from scoreviz.core.compare import Comparison

        objectives = list(objectives if objectives is not None else self.objectives)
        cfg = cfg or self.cfg
        comparison = Comparison(replace(cfg, threads=None), objectives, density=self._density)
        self.comparison, self.objectives, self.cfg = comparison, objectives, cfg
        self._start_over()

    def _start_over(self) -> None:
        self.epoch += 1
        self.broken = None
        self._rate_t0, self._rate_n0 = time.perf_counter(), 0
        self._evaluate()  # the curves start at step 0

    # ------------------------------------------------------------------ commands
    def _need_comparison(self) -> None:
        from scoreviz.core.errors import ScorevizError

        if self.comparison is None:
            raise ScorevizError("no comparison yet: choose a density that loads")
        if self.broken:
            raise ScorevizError(f"{self.broken} — press Reset to start over")

    def _cmd_play(self, _):
        self._need_comparison()
        self._set_running(True)

    def _cmd_pause(self, _):
        self._set_running(False)
        self._evaluate_now()

    def _cmd_step(self, _):
        self._need_comparison()
        self._set_running(False)
        if self._train_one():
            self._evaluate_now()
            self.on_message(f"one step: step {self.comparison.step_count}")

    def _cmd_reset(self, _):
        if self.comparison is None:
            return self._build()
        self.comparison.reset()
        self._start_over()
        self.on_message("reset: fresh models from the seed for every configuration; step 0")

    def _cmd_density(self, density):
        self._density = density
        if self.comparison is None:
            return self._build()
        self.comparison.set_density(density)
        self.comparison.reset()  # a fair comparison starts every configuration together
        self._start_over()
        self.on_message(f"density {getattr(density, 'name', 'density')}: every configuration starts over from the seed")

    def _cmd_configs(self, objectives):
        self._build(objectives=objectives)
        self.on_message(f"comparing {', '.join(self.comparison.labels)}: fresh models from the seed, step 0")

    def _cmd_seed(self, seed):
        self._build(cfg=replace(self.cfg, seed=int(seed)))
        self.on_message(f"seed {int(seed)}: fresh models for every configuration, step 0")

    def _cmd_eval_every(self, k):
        from scoreviz.core import limits

        self.eval_every = limits.check("eval_every", int(k))

    def _cmd_figure(self, job):
        """A float32 frame over the density's box for ``render_frame_png`` (``on_figure((path, size, frame))``)."""
        self._need_built()
        path, size, grid = job
        frame = comparison_frame(self.comparison, CompareView(grid=int(grid)), eval_every=self.eval_every,
                                 epoch=self.epoch)
        self.on_figure((path, size, frame))

    def _cmd_summary(self, path):
        """Write the summary (as ``scoreviz compare`` writes summary.json) to ``path``, atomically."""
        import json

        from scoreviz.core.atomic import write_text

        self._need_built()
        write_text(path, json.dumps(self.summary(), indent=2) + "\n")
        self.on_message(f"saved {path}")

    def summary(self) -> dict:
        c = self.comparison
        return {"density": getattr(c.sessions[0].density, "name", self.cfg.density), "steps": c.step_count,
                "seed": self.cfg.seed, "device": str(c.sessions[0].device), "eval_every": self.eval_every,
                "configurations": c.summary()}

    def _need_built(self) -> None:
        from scoreviz.core.errors import ScorevizError

        if self.comparison is None:
            raise ScorevizError("no comparison yet: choose a density that loads")

    # ------------------------------------------------------------------ training
    def _set_running(self, on: bool) -> None:
        if on != self.running:
            self.running = on
            self._rate_t0 = time.perf_counter()
            self._rate_n0 = self.comparison.step_count if self.comparison is not None else 0
            self.on_running(on)

    def _train_one(self) -> bool:
        """One step of every configuration; the Fisher divergences when the step is a multiple of K."""
        c = self.comparison
        fault = None
        try:
            c.step()
        except Exception as e:  # DivergedError, out of memory, a GPU failure, anything else
            fault = self._step_fault(e)
        finally:
            self._changed = True
        if fault is not None:
            if fault.kind == OUT_OF_MEMORY:  # after the except block: the failed step's tensors are freed
                free_device_memory()
            return False
        if self.speed is not None:
            self._next_step_t = max(self._next_step_t + 1.0 / self.speed, time.perf_counter() - 1.0 / self.speed)
        if c.step_count % self.eval_every == 0:
            self._evaluate()
        return True

    def _step_fault(self, e: BaseException) -> Fault:
        """Pause and report a failed comparison step. A divergence, or a fault after some
        configurations already stepped (the lockstep is lost), needs Reset (``broken``)."""
        from scoreviz.core.errors import DivergedError

        c = self.comparison
        counts = [s.step_count for s in c.sessions]
        bad = next((lab for lab, n in zip(c.labels, counts) if n < max(counts)), c.labels[0])
        step = min(counts) + 1
        diverged = isinstance(e, DivergedError)
        fault = fault_from(e, step=step, what=bad if diverged else "training")
        if diverged:
            self.broken = f"{bad} diverged at step {e.step} (loss {e.value})"
        elif min(counts) != max(counts):
            self.broken = f"{bad} stopped at step {step} after the others stepped"
            fault = Fault(f"{bad} stopped at step {step}: {one_line(e)} — the other configurations went on, so the "
                          "comparison is out of step: press Reset to start over.", fault.kind, step, fault.cpu_fallback)
        self._set_running(False)
        self.on_failed(fault)
        return fault

    def _evaluate(self) -> None:
        try:
            self.comparison.evaluate(FISHER_SAMPLES)
        except Exception:  # a diverged model can make F non-finite; the loss already reports it
            pass
        self._dirty = True

    def _evaluate_now(self) -> None:
        """Fisher divergences at the current step unless they were just measured (pause, single steps)."""
        c = self.comparison
        if c is not None and not self.broken and (not c.curves or c.curves[-1].step != c.step_count):
            self._evaluate()

    def seconds_until_next_step(self) -> float | None:
        """None when paused; 0 when a step is due; otherwise the wait imposed by the speed limit."""
        if not self.running or self.comparison is None:
            return None
        if self.speed is None:
            return 0.0
        return max(0.0, self._next_step_t - time.perf_counter())

    def publish_due(self) -> bool:
        if self.comparison is None:
            return False
        if self._dirty:
            return True
        return self._changed and time.perf_counter() - self._last_publish >= STATE_INTERVAL_S

    def tick(self) -> CompareState | None:
        """Train one comparison step if one is due, then publish the state if due.

        Never raises: a step's fault pauses training (``_train_one``); so does a failure to
        publish, reported once until publishing works again.
        """
        if self.running and self.comparison is not None and self.seconds_until_next_step() == 0.0:
            self._train_one()
        if not self.publish_due():
            return None
        try:
            st = self.publish()
        except Exception as e:
            if not self._publish_failed:
                self._fault(e, what="publishing the models")
            self._set_running(False)
            self._publish_failed = True
            self._dirty = self._changed = False  # retried at the next command or step
            return None
        self._publish_failed = False
        return st

    def publish(self) -> CompareState | None:
        import torch

        c = self.comparison
        if c is None:
            return None
        now = time.perf_counter()
        if not self.running:
            self.steps_per_s = 0.0
        elif now - self._rate_t0 >= 0.5:
            self.steps_per_s = (c.step_count - self._rate_n0) / (now - self._rate_t0)
            self._rate_t0, self._rate_n0 = now, c.step_count
        if self._models[0] != self.epoch:  # the display's own copies of the models (no RNG is drawn)
            self._models = (self.epoch, tuple(copy.deepcopy(s.model) for s in c.sessions))
            self._weights = [None] * len(c.sessions)
        weights = []
        for i, s in enumerate(c.sessions):
            key = (self.epoch, s.weights_version)
            if self._weights[i] is None or self._weights[i][0] != key:
                with torch.no_grad():
                    self._weights[i] = (key, {k: v.detach().clone() for k, v in s.model.state_dict().items()})
            weights.append(self._weights[i][1])
        ckey = (id(c.curves), len(c.curves))
        if self._curves[0] != ckey:  # CurvePoints never change once appended: a tuple of them is a copy
            self._curves = (ckey, tuple(c.curves))
        st = CompareState(
            epoch=self.epoch, labels=tuple(c.labels), objectives=tuple(s.cfg.objective for s in c.sessions),
            sigmas=tuple(s.target_sigma for s in c.sessions),
            noise_conditional=tuple(s.cfg.model.noise_conditional for s in c.sessions), models=self._models[1],
            weights=tuple(weights), weights_versions=tuple(s.weights_version for s in c.sessions),
            steps=tuple(s.step_count for s in c.sessions), seconds=tuple(float(v) for v in c.seconds),
            losses=tuple(float(s.loss_history[-1]) if s.loss_history else None for s in c.sessions),
            step=c.step_count, curves=self._curves[1], density=c.sessions[0].density, running=self.running,
            steps_per_s=self.steps_per_s, eval_every=self.eval_every, broken=self.broken)
        self.states.put(st)
        self._last_publish = now
        self._dirty = self._changed = False
        return st


# ============================================================================ display
class CompareDisplay:
    """Owns the display's copies of the models: loads the newest weights, makes CompareFrames."""

    def __init__(self, display_dtype: str = "auto"):
        self._dtype_choice = display_dtype
        self.maker = FrameMaker()
        self._models = None
        self._loaded: list = []

    def frame(self, st: CompareState, view: CompareView) -> CompareFrame:
        import torch

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
        return pick_display_dtype(probe, self._dtype_choice)


# ============================================================================ threads
class _NotifyingMailbox(Mailbox):
    """A Mailbox that wakes a waiting reader when a value arrives."""

    def __init__(self):
        super().__init__()
        self.news = threading.Event()

    def put(self, value) -> None:
        super().put(value)
        self.news.set()


class CompareThread(WorkerThread):
    """Runs a CompareTrainer: commands from ``post()`` are applied between steps (``WorkerThread``)."""

    figureReady = QtCore.Signal(object)  # (path, size, CompareFrame) for "Save figure"

    def __init__(self, cfg, objectives, density=None, threads: int | None = 1, eval_every: int = DEFAULT_EVAL_EVERY,
                 parent=None):
        super().__init__(parent)
        self.setObjectName("scoreviz-compare")
        self.states = _NotifyingMailbox()
        self.trainer = CompareTrainer(cfg, objectives, density, threads, eval_every, self.states,
                                      on_message=self.message.emit, on_failed=self.failed.emit,
                                      on_running=self.runningChanged.emit, on_figure=self.figureReady.emit)

    def command_wait(self) -> float:
        tr = self.trainer
        wait = tr.seconds_until_next_step()
        if wait is None:  # paused: sleep until a command arrives (or a changed state is due)
            return STATE_INTERVAL_S if tr._changed else 0.25
        return min(wait, STATE_INTERVAL_S) if tr._changed else wait


class CompareDisplayThread(QtCore.QThread):
    """Makes one CompareFrame per display frame from the newest CompareState, after the GUI took the last.

    A frame that fails is reported once (``failed``: a ``faults.Fault``); the next attempt starts
    from a fresh ``CompareDisplay``, made when a new state arrives (at most every 0.5 s) or after 2 s.
    """

    frameReady = QtCore.Signal()
    failed = QtCore.Signal(object)  # a faults.Fault

    def __init__(self, states: _NotifyingMailbox, threads: int = 1, display_dtype: str = "auto", parent=None):
        super().__init__(parent)
        self.setObjectName("scoreviz-compare-display")
        self.states = states
        self.frames = Mailbox()
        self.display = CompareDisplay(display_dtype)
        self.threads = threads
        self.interval_s = FRAME_INTERVAL_S
        self._view = CompareView()
        self._view_lock = threading.Lock()
        self._taken = threading.Event()
        self._taken.set()
        self._stop = threading.Event()

    def set_view(self, **changes) -> None:
        with self._view_lock:
            self._view = replace(self._view, **changes)
        self.states.news.set()

    def view(self) -> CompareView:
        with self._view_lock:
            return self._view

    def take(self) -> CompareFrame | None:
        """The newest frame (GUI thread); lets the display make the next one."""
        f = self.frames.take()
        if f is not None:
            self._taken.set()
        return f

    def stop(self) -> None:
        self._stop.set()
        self._taken.set()
        self.states.news.set()

    def run(self) -> None:
        import torch

        torch.set_num_threads(self.threads)
        next_t = time.perf_counter()
        shown = None  # (state serial, view) of the last frame made
        failed = None  # (time, message) of the last failed frame
        while not self._stop.is_set():
            self._taken.wait(0.25)  # the GUI took the last frame
            if self._stop.is_set():
                break
            if not self._taken.is_set():
                continue
            now = time.perf_counter()
            if now < next_t:
                time.sleep(next_t - now)
            self.states.news.clear()
            serial, st = self.states.peek()
            view = self.view()
            since_failure = time.perf_counter() - failed[0] if failed is not None else None
            retry = since_failure is not None and since_failure >= DISPLAY_RETRY_S[1]  # the same state, after a while
            if st is None or ((serial, view) == shown and not retry):
                self.states.news.wait(0.25)  # nothing new: wait for the trainer or a view change
                continue
            if since_failure is not None and since_failure < DISPLAY_RETRY_S[0]:
                time.sleep(DISPLAY_RETRY_S[0] - since_failure)
            next_t = max(next_t + self.interval_s, time.perf_counter() - self.interval_s)
            try:
                frame = self.display.frame(st, view)
            except Exception as e:
                shown = (serial, view)
                fault = display_fault(e)
                if failed is None or failed[1] != fault:  # once, not at every retry
                    self.failed.emit(fault)
                failed = (time.perf_counter(), fault)
                self.display = CompareDisplay(self.display._dtype_choice)  # the next attempt starts afresh
                if fault.kind == OUT_OF_MEMORY:
                    free_device_memory()
                continue
            failed = None
            shown = (serial, view)
            self._taken.clear()
            self.frames.put(frame)
            self.frameReady.emit()
