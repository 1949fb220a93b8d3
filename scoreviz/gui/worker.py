"""The two worker threads behind the window: training, and display evaluation.

Data flow (DESIGN.md): the GUI posts commands to the **trainer**, which owns the training
Session, applies commands between steps and publishes a self-consistent ``TrainerState``
(config, density, a copy of the weights, histories) at most at the display rate. The
**evaluator** owns a second, display-only Session in its own thread: it loads the newest
weights, moves the particles one frame, evaluates the fields when they changed (bf16 where the
CPU has it) and composes the particles panel's pictures (``raster.py``); it hands the GUI a
``Frame`` only after the GUI took the previous one. Every hand-over is a
latest-value ``Mailbox``: older values are dropped, nothing waits on the GUI thread.

``Trainer`` and ``Evaluator`` are plain Python (no Qt) so they can be tested with no window;
``TrainingThread`` and ``EvaluatorThread`` wrap them in QThreads whose signals carry plain
Python objects. ``WorkerThread`` is the command loop shared with the compare window's trainer.

Faults (``faults.py``): an exception while training (a non-finite loss, running out of memory, a
GPU failure, anything else) pauses training and reaches the window as a ``Fault`` through the
``failed`` signal; the threads keep running, so the window keeps drawing and answering, and
Reset, a smaller batch, Play or a move to the CPU continue.
"""

from __future__ import annotations

import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Any, Callable

import numpy as np
from PySide6 import QtCore

from scoreviz.live.faults import OUT_OF_MEMORY, Fault, display_fault, fault_from, free_device_memory

# The display shares a 2-core machine with training, so while training runs it spends little:
FRAME_INTERVAL_S = 1.0 / 52.0  # display rate: above the 50 fps target, with room left for training
LEARNED_FIELD_INTERVAL_S = 1.0 / 6.0  # the display model (learned field and particles) follows training at 6 Hz
PARTICLES_PER_FRAME_TRAINING = 1250  # while training runs, a rolling share of the particles steps each frame
FISHER_SAMPLES = 10_000  # per point of the Fisher curve (~25 ms on one core for the default model)
# The Fisher curve's points: metrics.CurveSchedule (about 69 points in every stretch [N/2, N] of steps,
# dense early, within CURVE_MAX_FRACTION (3 %) of the training thread's time plus CURVE_BURST_S (0.25 s) at the start of a run)


class Mailbox:
    """A thread-safe slot that holds only the newest value."""

    def __init__(self):
        self._lock = threading.Lock()
        self._value = None
        self._serial = 0

    def put(self, value) -> None:
        with self._lock:
            self._value = value
            self._serial += 1

    def take(self):
        """The newest value, once (None when nothing new arrived)."""
        with self._lock:
            v, self._value = self._value, None
            return v

    def peek(self) -> tuple[int, Any]:
        """(serial, newest value), without consuming it."""
        with self._lock:
            return self._serial, self._value


class _GrowingArray:
    """An append-only float64 buffer. ``view()`` returns prefixes that are never written again,
    so they can be handed to another thread without copying."""

    def __init__(self, cols: int = 0):
        self._cols = cols
        self._buf = np.empty((1024, cols) if cols else 1024)
        self._n = 0

    def extend(self, values) -> None:
        a = np.asarray(values, dtype=np.float64)
        if self._cols:
            a = a.reshape(-1, self._cols)
        k = a.shape[0]
        if k == 0:
            return
        if self._n + k > self._buf.shape[0]:
            new = np.empty(((self._n + k) * 2,) + self._buf.shape[1:])
            new[: self._n] = self._buf[: self._n]
            self._buf = new
        self._buf[self._n : self._n + k] = a
        self._n += k

    def __len__(self) -> int:
        return self._n

    def view(self) -> np.ndarray:
        v = self._buf[: self._n]
        v.flags.writeable = False  # a read-only view; the trainer only writes past the end
        return v


@dataclass(frozen=True)
class TrainerState:
    """What the trainer publishes: everything the display needs, consistent at one instant."""

    session_epoch: int  # bumps when the Session is rebuilt (device, seed)
    history_epoch: int  # bumps when the histories start over (reset, new model)
    particles_epoch: int  # bumps on "reset particles"
    cfg: Any  # SessionConfig (never mutated after publication: the Session replaces it)
    density: Any
    weights: dict  # cloned state_dict
    weights_version: int
    step: int
    losses: np.ndarray  # (steps,) read-only view
    fisher: np.ndarray  # (k, 3) step, F, relative F
    steps_per_s: float
    running: bool
    speed: float | None  # steps/s limit, None = as fast as possible
    display_particles: Any = None  # (particles (n, 2) numpy, particle_step) of an opened session, for the display


@dataclass(frozen=True)
class Frame:
    """What the GUI draws: the display Session's snapshot plus the trainer's progress."""

    snapshot: Any  # scoreviz.core.snapshot.Snapshot: the fields (the same object while they are unchanged)
    particles: np.ndarray  # (n, 2) float32, fresh every frame
    density_image: tuple  # (xs, ys, log p (H, W)) at heat-map resolution (the same object while unchanged)
    heat: Any  # raster.Raster: the heat map at screen resolution (the same object while unchanged), or None
    dots: Any  # raster.Raster: the particles at screen resolution, or None before the GUI said where
    state: TrainerState
    sampler_note: str  # e.g. "annealed 3/10, σ = 0.28"
    eval_ms: float


# ============================================================================ trainer
class CommandHandler:
    """What the trainers (this one and the compare window's) share: commands applied by name
    (``handle("reset")`` calls ``_cmd_reset``), and faults that pause training and are reported.

    A subclass sets ``on_failed``, ``speed``, ``_next_step_t``, ``_dirty`` and has ``_set_running``.
    """

    def handle(self, name: str, arg=None) -> None:
        """Apply one command. Bad input is reported with on_failed and leaves the state as it was;
        any other exception (e.g. out of memory for a million particles) pauses training as a fault does."""
        try:
            getattr(self, "_cmd_" + name)(arg)
        except Exception as e:
            fault = self._fault(e, what=f"the {name.replace('_', ' ')} change", pause=name in ("play", "step"))
            if fault.kind == OUT_OF_MEMORY:  # after the except block: what the command allocated is freed
                free_device_memory()
        self._dirty = True

    def _fault(self, e: BaseException, *, step: int | None = None, what: str = "training", pause: bool = True) -> Fault:
        """Pause (unless a refused command left training as it was) and report ``e`` as a Fault."""
        fault = fault_from(e, step=step, what=what)
        if pause or fault.kind != "input":
            self._set_running(False)
        self.on_failed(fault)
        return fault

    def _cmd_warm_up(self, _):
        """Pay torch's one-off lazy imports of the optimiser step now (~1 s), not at the first Play."""
        import torch._dynamo  # noqa: F401  (Optimizer.step imports it on first use)

    def _cmd_speed(self, speed):
        self.speed = None if speed is None or speed <= 0 else float(speed)
        self._next_step_t = 0.0


class Trainer(CommandHandler):
    """Owns the training Session. ``handle(cmd)`` between steps; ``tick()`` trains and publishes.

    Callbacks: ``on_message(text)`` (status bar), ``on_failed(fault)`` (a ``faults.Fault``: bad
    input, or training paused by a fault; shown in the window), ``on_running(bool)``.
    """

    def __init__(self, cfg, density=None, threads: int | None = 1, publish: Mailbox | None = None,
                 on_message: Callable[[str], None] = lambda s: None,
                 on_failed: Callable[[str], None] = lambda s: None,
                 on_running: Callable[[bool], None] = lambda b: None):
        self.cfg = cfg
        self._density = density
        self.threads = threads
        self.publish_box = publish if publish is not None else Mailbox()
        self.on_message, self.on_failed, self.on_running = on_message, on_failed, on_running
        self.session = None
        self.running = False
        self.speed: float | None = None
        self.session_epoch = 0
        self.history_epoch = 0
        self.particles_epoch = 0
        self._dirty = True
        self._last_publish = 0.0
        self._published_weights = None  # (session, history epoch, weights_version) of the published copy
        self._weights = None
        self._losses = _GrowingArray()
        self._fisher = _GrowingArray(3)
        self._rate_t0 = time.perf_counter()
        self._rate_n0 = 0
        self.steps_per_s = 0.0
        self._last_fisher_step = -1  # the step of the curve's last point (-1: none yet, step 0 may get one)
        self.curves = True  # evaluate the Fisher curve while training runs (False: only on Pause and Step)
        self.curve = None  # metrics.CurveSchedule, made in start()
        self._tick_t = None  # perf_counter() of the last tick while running (the curve's run time)
        self._next_step_t = 0.0
        self._display_particles = None  # set when a saved session is loaded (the display's particles)
        self._publish_failed = False  # publishing failed and was reported (reported again only after it worked)

    # ------------------------------------------------------------------ setup
    def start(self) -> bool:
        """Build the Session (in the calling thread: set its torch threads first). False on failure."""
        import torch

        from scoreviz.core.metrics import CurveSchedule
        from scoreviz.core.session import Session

        if self.threads:
            torch.set_num_threads(int(self.threads))
        self.curve = CurveSchedule()
        try:
            self.session = Session(replace(self.cfg, threads=None), density=self._density)
        except Exception as e:  # bad config or density: shown in the window, the app keeps running
            self.on_failed(fault_from(e, what="building the model"))
            return False
        self._new_history()
        self._dirty = True
        return True

    def _new_history(self) -> None:
        self.history_epoch += 1
        self._losses = _GrowingArray()
        self._fisher = _GrowingArray(3)
        self._last_fisher_step = -1
        if self.curve is not None:
            self.curve.restart(0)
        self._rate_n0 = self.session.step_count
        self._rate_t0 = time.perf_counter()

    # ------------------------------------------------------------------ commands
    def _need_session(self) -> None:
        if self.session is None:
            from scoreviz.core.errors import ScorevizError

            raise ScorevizError("no model yet: choose a density that loads")

    def _cmd_play(self, _):
        self._need_session()
        s = self.session
        if s.step_count == 0 and not s.fisher_history:  # the curve starts at the untrained model
            self._maybe_fisher(force=True)
        self._set_running(True)

    def _cmd_pause(self, _):
        self._set_running(False)
        self._maybe_fisher(force=True)

    def _cmd_step(self, _):
        self._need_session()
        self._set_running(False)
        loss = self._train_one()
        if loss is not None:
            self._maybe_fisher(force=True)
            self.on_message(f"one step: step {self.session.step_count}, loss {loss:.4g}")

    def _cmd_reset(self, _):
        if self.session is None:
            return self._cmd_rebuild(None)
        self.session.reset_model()
        self.session.reset_particles()
        self.particles_epoch += 1
        self._new_history()
        self.on_message("reset: a fresh model from the seed; step 0")

    def _cmd_density(self, density):
        if self.session is None:
            self._density = density
            return self._cmd_rebuild(None)
        self.session.set_density(density)
        self._density = density
        name = getattr(density, "name", "density")
        self.on_message(f"density {name}: training continues from the current model")

    def _cmd_objective(self, objective):
        self._need_session()
        from scoreviz.core.objectives import check_compatible

        check_compatible(objective, replace(self.session.cfg.model, noise_conditional=objective.name == "ncsn"))
        model = self.session.model
        text = self.session.set_objective(objective)
        self.cfg = self.session.cfg
        if self.session.model is not model:  # ncsn needs (or no longer needs) noise conditioning
            self._new_history()
        self.on_message(text)

    def _cmd_model(self, model_cfg):
        self._need_session()
        from scoreviz.core.objectives import check_compatible

        model_cfg = replace(model_cfg, noise_conditional=self.session.cfg.objective.name == "ncsn")
        check_compatible(self.session.cfg.objective, model_cfg)
        self.session.set_model(model_cfg)
        self.cfg = self.session.cfg
        self._new_history()
        m = model_cfg
        self.on_message(f"model {m.hidden}x{m.layers} {m.activation} {m.parametrization}: a fresh model, step 0")

    def _cmd_optimizer(self, arg):
        self._need_session()
        lr, batch = arg
        self.session.set_optimizer(lr=lr, batch=batch)
        self.cfg = self.session.cfg
        self.on_message(f"optimiser: lr {self.session.cfg.lr:g}, batch {self.session.cfg.batch}; training continues")

    def _cmd_sampler(self, sampler_cfg):
        self._need_session()
        self.session.set_sampler(sampler_cfg)
        self.cfg = self.session.cfg
        self.on_message(f"sampler: {sampler_cfg.sampler}, step size {sampler_cfg.step_size:g}, "
                        f"{sampler_cfg.n_particles} particles, {sampler_cfg.score_source} score")

    def _cmd_reset_particles(self, _):
        self._need_session()
        self.session.reset_particles()
        self.particles_epoch += 1
        self.on_message("particles restarted")

    def _cmd_device(self, device):
        self.cfg = replace(self.cfg, device=device)
        self._cmd_rebuild(f"device {device}")

    def _cmd_seed(self, seed):
        self.cfg = replace(self.cfg, seed=int(seed))
        self._cmd_rebuild(f"seed {seed}")

    def _cmd_rebuild(self, why):
        """A new Session from self.cfg (device or seed changed, or none could be built before)."""
        from scoreviz.core.session import Session

        if self.session is not None:
            self.cfg = replace(self.session.cfg, device=self.cfg.device, seed=self.cfg.seed)
        session = Session(replace(self.cfg, threads=None), density=self._density)
        self.session = session
        self._display_particles = None
        self.session_epoch += 1
        self.particles_epoch += 1
        self._new_history()
        if why:
            self.on_message(f"{why}: a fresh model on {session.device}, step 0")

    def _cmd_load(self, session):
        """Replace the Session by an opened one (a ``.scoreviz`` file): training continues from it exactly."""
        self._set_running(False)
        self.session = session
        self.cfg = session.cfg
        self._density = session.density
        self.session_epoch += 1
        self.particles_epoch += 1
        self._display_particles = (session.particles.detach().to("cpu").numpy().copy(), int(session.particle_step))
        self._new_history()
        # the curve continues from the saved one: the next point is spaced from its last step, and a
        # point at the saved step is measured now if the file has none (older files, examples)
        hist = session.fisher_history
        self._last_fisher_step = int(hist[-1][0]) if hist else -1
        if self.curve is not None:
            self.curve.restart(max(0, self._last_fisher_step), burst=False)
        self._maybe_fisher(force=True)

    def _cmd_call(self, arg):
        """Run ``fn(session)`` between steps in this thread; its result or error goes to the Future."""
        fn, future = arg
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(fn(self.session))
        except BaseException as e:  # handed to whoever waits on the Future
            future.set_exception(e)

    # ------------------------------------------------------------------ training
    def _set_running(self, on: bool) -> None:
        if on != self.running:
            self.running = on
            self._rate_t0, self._rate_n0 = time.perf_counter(), (self.session.step_count if self.session else 0)
            self.on_running(on)

    def _train_one(self) -> float | None:
        """One training step; a fault pauses training and is reported (None is returned)."""
        try:
            return self.session.step()
        except Exception as e:  # DivergedError, out of memory, a GPU failure, anything else
            fault = self._fault(e, step=self.session.step_count + 1)
        if fault.kind == OUT_OF_MEMORY:  # after the except block: the failed step's tensors are freed
            free_device_memory()
        self._dirty = True
        return None

    def seconds_until_next_step(self) -> float | None:
        """None when paused; 0 when a step is due; otherwise the wait imposed by the speed limit."""
        if not self.running or self.session is None:
            return None
        if self.speed is None:
            return 0.0
        return max(0.0, self._next_step_t - time.perf_counter())

    def tick(self) -> None:
        """Train for up to one frame interval (respecting the speed limit), then publish if due.

        Never raises: a training step's fault pauses training (``_train_one``); a failure to publish
        (e.g. copying weights off a failed GPU) pauses it too and is reported once until publishing works.
        """
        if self.running and self.session is not None:
            now = time.perf_counter()
            if self._tick_t is not None and self.curve is not None:  # the curve's budget grows with run time
                self.curve.add_run_time(min(now - self._tick_t, 1.0))
            self._tick_t = now
            t_end = now + FRAME_INTERVAL_S
            while self.running and time.perf_counter() < t_end:
                wait = self.seconds_until_next_step()
                if wait is None or wait > 0:
                    break
                if self.speed is not None:
                    self._next_step_t = max(self._next_step_t, time.perf_counter() - 0.25) + 1.0 / self.speed
                self._train_one()
            self._maybe_fisher()
        else:
            self._tick_t = None
        try:
            self.publish()
        except Exception as e:
            if not self._publish_failed:
                self._publish_failed = True
                self._fault(e, what="publishing the model")
            else:
                self._set_running(False)
        else:
            self._publish_failed = False

    def _maybe_fisher(self, force: bool = False) -> None:
        """A point of the Fisher curve: when ``self.curve`` says one is due (while training runs), or
        now (``force``: Pause, Step, an opened session) unless the current step has one already."""
        s = self.session
        if s is None or s.step_count == self._last_fisher_step:
            return
        if not force and (not self.curves or self.curve is None or not self.curve.due(s.step_count)):
            return
        self._last_fisher_step = s.step_count
        t0 = time.perf_counter()
        try:
            s.fisher(n=FISHER_SAMPLES)
        except Exception:  # a diverged model can make F non-finite; the loss already reports it
            pass
        if self.curve is not None:
            if force:
                self.curve.moved(s.step_count)
            else:
                self.curve.record(s.step_count, time.perf_counter() - t0)
        self._dirty = True

    @property
    def curve_fraction(self) -> float:
        """Share of the training thread's running time spent on the Fisher curve since the history began."""
        return self.curve.fraction if self.curve is not None else 0.0

    def publish(self, force: bool = False) -> None:
        s = self.session
        if s is None:
            return
        now = time.perf_counter()
        if not force and not self._dirty and now - self._last_publish < FRAME_INTERVAL_S:
            return
        key = (self.session_epoch, self.history_epoch, s.weights_version)
        if not force and not self._dirty and key == self._published_weights:
            return
        if now - self._rate_t0 >= 0.5:
            self.steps_per_s = (s.step_count - self._rate_n0) / (now - self._rate_t0)
            self._rate_t0, self._rate_n0 = now, s.step_count
        if not self.running:
            self.steps_per_s = 0.0
        if key != self._published_weights:
            self._weights = {k: v.detach().clone() for k, v in s.model.state_dict().items()}
            self._published_weights = key
        self._losses.extend(s.loss_history[len(self._losses):])
        self._fisher.extend(s.fisher_history[len(self._fisher):])
        self.publish_box.put(TrainerState(
            session_epoch=self.session_epoch, history_epoch=self.history_epoch,
            particles_epoch=self.particles_epoch, cfg=s.cfg, density=s.density, weights=self._weights,
            weights_version=s.weights_version, step=s.step_count, losses=self._losses.view(),
            fisher=self._fisher.view(), steps_per_s=self.steps_per_s, running=self.running, speed=self.speed,
            display_particles=self._display_particles,
        ))
        self._last_publish = now
        self._dirty = False


class WorkerThread(QtCore.QThread):
    """A QThread that runs a trainer: commands posted from the GUI thread are applied between steps.

    ``self.trainer`` (set by the subclass) has ``start()``, ``handle(name, arg)``, ``tick()`` and
    ``seconds_until_next_step()``; ``command_wait()`` says how long the loop may wait for a command
    before the next tick. The trainer reports its faults itself (``failed``) and never raises, so
    the loop goes on until ``stop()``; calls still queued then are cancelled.
    """

    message = QtCore.Signal(str)
    failed = QtCore.Signal(object)  # a faults.Fault: a str that also says what kind of fault it is
    runningChanged = QtCore.Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._commands: queue.Queue = queue.Queue()
        self._stop = threading.Event()

    def post(self, name: str, arg=None) -> None:
        """Queue a command (GUI thread); applied before the next training step."""
        self._commands.put((name, arg))

    def stop(self) -> None:
        """Ask the loop to end (cooperative); then ``wait()``."""
        self._stop.set()
        self._commands.put(("_wake", None))

    def command_wait(self) -> float:
        """Seconds to wait for a command before the next ``tick()`` (0: do not wait): until the next
        step is due; while paused a quarter of a second (publishing stays current)."""
        wait = self.trainer.seconds_until_next_step()
        return 0.25 if wait is None else wait

    def run(self) -> None:
        tr = self.trainer
        tr.start()
        while not self._stop.is_set():
            self._apply_commands(self.command_wait())
            if self._stop.is_set():
                break
            tr.tick()
        self._cancel_pending()

    def _apply_commands(self, wait: float) -> None:
        """Wait up to ``wait`` s for a command, then apply it and everything queued behind it."""
        try:
            name, arg = self._commands.get(timeout=wait) if wait > 0 else self._commands.get_nowait()
            while True:
                if name != "_wake":
                    self.trainer.handle(name, arg)
                name, arg = self._commands.get_nowait()
        except queue.Empty:
            pass

    def _cancel_pending(self) -> None:
        """Calls still queued when the thread ends are cancelled (their waiters are told)."""
        while True:
            try:
                name, arg = self._commands.get_nowait()
            except queue.Empty:
                return
            if name == "call":
                arg[1].cancel()


class TrainingThread(WorkerThread):
    """Runs a Trainer: commands from ``post()`` are applied between steps."""

    _callDone = QtCore.Signal(object)  # (on_done, future): delivered in the GUI thread

    def __init__(self, cfg, density=None, threads: int | None = 1, parent=None):
        super().__init__(parent)
        self.setObjectName("scoreviz-training")
        self.states = Mailbox()
        self.trainer = Trainer(cfg, density, threads, self.states, on_message=self.message.emit,
                               on_failed=self.failed.emit, on_running=self.runningChanged.emit)
        self._callDone.connect(self._deliver)

    def call(self, fn: Callable, on_done: Callable[[Future], None] | None = None) -> Future:
        """Run ``fn(session)`` in the training thread between two steps (GUI thread).

        Returns a Future; ``on_done(future)`` is then called in the GUI thread. Used for work that
        needs the training Session itself (saving it, exporting fields and the model): it reads a
        consistent state and never blocks the window. Cancelled if the thread stops first.
        """
        future: Future = Future()
        if on_done is not None:
            future.add_done_callback(lambda f: self._callDone.emit((on_done, f)))
        if self._stop.is_set() or not self.isRunning() and self.isFinished():
            future.cancel()
        else:
            self.post("call", (fn, future))
        return future

    def _deliver(self, item) -> None:
        on_done, future = item
        on_done(future)


# ============================================================================ evaluator
@dataclass
class ViewSettings:
    """Display settings the GUI changes directly (they never touch training)."""

    grid: int = 64
    box: tuple | None = None  # None: the density's box
    error: bool = False
    heat: int = 128  # heat-map grid points per axis over heat_box() (resampled to screen pixels)
    raster: Any = None  # raster.RasterTarget of the particles panel


def heat_box(box, margin: float = 0.5):
    """The density's box widened by ``margin`` of its size on every side (the heat map's extent)."""
    x0, x1, y0, y1 = box
    dx, dy = (x1 - x0) * margin, (y1 - y0) * margin
    return (x0 - dx, x1 + dx, y0 - dy, y1 + dy)


class Evaluator:
    """Owns the display Session: syncs it to the newest TrainerState and makes Frames."""

    def __init__(self, display_dtype: str = "auto", density_lut: np.ndarray | None = None):
        from scoreviz.live.raster import ParticleRaster

        if density_lut is None:  # grey ramp; the window passes its colour map
            density_lut = np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1)
        self.raster = ParticleRaster(density_lut)
        self._density_image = None
        self.session = None
        self._dtype_choice = display_dtype
        self.display_dtype = None
        self._session_epoch = None
        self._particles_epoch = None
        self._weights = None
        self._cache = None
        self._heat_key = None
        self._weights_t = 0.0
        self._snap = None
        self._snap_key = None
        self._changes = 0  # bumps whenever sync rebuilt or reconfigured the display Session
        self._part = 0
        self.training = False
        self.per_frame = PARTICLES_PER_FRAME_TRAINING  # while training runs; all of them while it is paused

    def sync(self, st: TrainerState) -> None:
        """Bring the display Session up to date with a TrainerState (config, density, weights)."""
        import torch

        from scoreviz.core.session import Session
        from scoreviz.core.snapshot import SnapshotCache

        ds = self.session
        if ds is None or st.session_epoch != self._session_epoch:
            ds = self.session = Session(replace(st.cfg, threads=None), density=st.density)
            ds.model.eval()
            if st.display_particles is not None:  # an opened session: its particles, where they were
                parts, pstep = st.display_particles
                ds.particles = torch.as_tensor(parts, dtype=torch.float32, device=ds.device).clone()
                ds.particle_step = pstep
            self._session_epoch = st.session_epoch
            self._particles_epoch = st.particles_epoch
            self._weights = None
            self._cache = SnapshotCache()
            self._heat_key = None
            self._changes += 1
            self.display_dtype = pick_display_dtype(ds, self._dtype_choice)
        else:
            before = (ds.density, ds.cfg, self._particles_epoch)
            if st.density is not ds.density:
                ds.set_density(st.density)
            if st.cfg.objective != ds.cfg.objective:
                ds.set_objective(st.cfg.objective)
            if st.cfg.model != ds.cfg.model:
                ds.set_model(st.cfg.model)
                self._weights = None
            if st.cfg.sampler != ds.cfg.sampler:
                ds.set_sampler(st.cfg.sampler)
            if st.particles_epoch != self._particles_epoch:
                ds.reset_particles()
                self._particles_epoch = st.particles_epoch
            if before != (ds.density, ds.cfg, self._particles_epoch):
                self._changes += 1
        now = time.perf_counter()
        if st.weights is not self._weights and (self._weights is None or now - self._weights_t >= LEARNED_FIELD_INTERVAL_S):
            with torch.no_grad():
                ds.model.load_state_dict(st.weights)
            ds.weights_version += 1
            self._weights = st.weights
            self._weights_t = now

    def frame(self, st: TrainerState, view: ViewSettings) -> Frame:
        """Sync, move the particles one frame, and evaluate the fields if anything they show changed."""
        import torch

        from scoreviz.core.fields import scalar_on_grid
        from scoreviz.core.snapshot import take_snapshot

        t0 = time.perf_counter()
        self.sync(st)
        self.training = st.running
        ds = self.session
        if ds.cfg.sampler.score_source == "learned" and self.display_dtype is not None:
            with torch.autocast(device_type=ds.device.type, dtype=self.display_dtype):
                self.advance()
        else:
            self.advance()
        key = (self._changes, ds.weights_version, ds.version, view.grid, view.box, view.error)
        if key != self._snap_key:  # fields only when the weights, the target or the view changed
            self._snap = take_snapshot(ds, grid_n=view.grid, box=view.box, learned=True, true=True, error=view.error,
                                       cache=self._cache, display_dtype=self.display_dtype)
            self._snap_key = key
        snap = self._snap
        heat_key = (ds.density, ds.version, view.heat)  # held, so compared by identity safely
        if self._heat_key is None or any(a is not b for a, b in zip(heat_key, self._heat_key)):
            # once per density, over a box wider than its own: zooming and panning never recompute it
            self._density_image = scalar_on_grid(ds.density.log_prob, heat_box(ds.density.box), view.heat, ds.device)
            self._heat_key = heat_key
        particles = ds.particles.detach().to("cpu", torch.float32).numpy().copy()
        heat = dots = None
        if view.raster is not None:
            heat = self.raster.heat(view.raster, self._density_image)
            dots = self.raster.particles(particles, view.raster)
        return Frame(snapshot=snap, particles=particles, density_image=self._density_image, heat=heat, dots=dots,
                     state=st, sampler_note=self._sampler_note(), eval_ms=(time.perf_counter() - t0) * 1000)

    def advance(self) -> None:
        """Move the particles for one frame.

        While training runs on the CPU, the two share the machine, so a rolling share of at most
        ``per_frame`` particles takes the sampler's steps each frame: every particle steps once
        per sweep of ceil(n / per_frame) frames, and the annealed schedule advances once per sweep.
        While training is paused (or runs on a GPU) every particle steps every frame. Each step is
        the core's own (``Session.advance_particles`` on that share).
        """
        ds = self.session
        full = ds.particles
        n = full.shape[0]
        shared = self.training and ds.device.type == "cpu"  # the CPU is shared with training only then
        parts = max(1, -(-n // self.per_frame)) if shared else 1
        if parts == 1:
            ds.advance_particles()
            return
        part = self._part % parts
        a, b = part * n // parts, (part + 1) * n // parts
        step0 = ds.particle_step
        ds.particles = full[a:b]
        try:
            ds.advance_particles()
            moved = ds.particles
        finally:
            ds.particles = full
        full[a:b] = moved
        if part != parts - 1:  # the schedule counts whole sweeps
            ds.particle_step = step0
        self._part = part + 1

    def _sampler_note(self) -> str:
        ds = self.session
        sc = ds.cfg.sampler
        if sc.sampler != "annealed":
            return f"Langevin ε = {sc.step_size:g}"
        from scoreviz.core.samplers import geometric_sigmas

        level = ds.annealing_level
        sig = float(geometric_sigmas(sc.sigma_max, sc.sigma_min, sc.levels)[level])
        return f"annealed {level + 1}/{sc.levels}, σ = {sig:.3g}"


def _cpu_flags() -> set[str] | None:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return None


def pick_display_dtype(session, choice: str):
    """bfloat16 for display-only evaluation on a CPU with native bf16 (AVX512-BF16 / AMX), else None.

    Where the CPU's flags cannot be read, a short timing of the particle-sized evaluation decides.
    """
    import torch

    if choice == "float32" or session.device.type != "cpu":
        return None
    if choice == "bfloat16":
        return torch.bfloat16
    flags = _cpu_flags()
    if flags is not None:  # Linux: native bf16 (AVX512-BF16 or AMX) makes bf16 evaluation about twice as fast
        return torch.bfloat16 if flags & {"avx512_bf16", "amx_bf16"} else None
    x = torch.randn(10_000, 2)
    best = {}
    for dt in (None, torch.bfloat16):
        times = []
        for _ in range(5):
            t = time.perf_counter()
            with torch.autocast(device_type="cpu", dtype=dt or torch.bfloat16, enabled=dt is not None):
                session.learned_score(x)
            times.append(time.perf_counter() - t)
        best[dt] = min(times)
    return torch.bfloat16 if best[torch.bfloat16] < 0.8 * best[None] else None


DISPLAY_RETRY_S = (0.5, 2.0)  # after a failed frame: retry a new state after 0.5 s, the same state after 2 s


class EvaluatorThread(QtCore.QThread):
    """Makes one Frame per display frame from the newest TrainerState, after the GUI took the last.

    A frame that fails is reported once (``failed``: a ``faults.Fault``) and the display Session is
    rebuilt for the next attempt, made when a new state arrives (at most every 0.5 s) or after 2 s.
    """

    frameReady = QtCore.Signal()
    failed = QtCore.Signal(object)  # a faults.Fault

    def __init__(self, states: Mailbox, threads: int = 1, display_dtype: str = "auto", density_lut=None, parent=None):
        super().__init__(parent)
        self.setObjectName("scoreviz-display")
        self.states = states
        self.frames = Mailbox()
        self.evaluator = Evaluator(display_dtype, density_lut)
        self.threads = threads
        self._view = ViewSettings()
        self._view_lock = threading.Lock()
        self._taken = threading.Event()
        self._taken.set()
        self._stop = threading.Event()
        self._paused = threading.Event()
        self.interval_s = FRAME_INTERVAL_S

    def set_paused(self, paused: bool) -> None:
        """Stop making frames (e.g. while the window is minimised) or resume."""
        if paused:
            self._paused.set()
        else:
            self._paused.clear()
            self._taken.set()

    def set_view(self, **changes) -> None:
        with self._view_lock:
            self._view = replace(self._view, **changes)
        self._taken.set()

    def view(self) -> ViewSettings:
        with self._view_lock:
            return self._view

    def take(self) -> Frame | None:
        """The newest frame (GUI thread); lets the evaluator start the next one."""
        f = self.frames.take()
        if f is not None:
            self._taken.set()
        return f

    def stop(self) -> None:
        self._stop.set()
        self._taken.set()

    def _paused_wait(self) -> None:
        while self._paused.is_set() and not self._stop.is_set():
            time.sleep(0.02)

    @staticmethod
    def _retry_due(failed: tuple, serial: int) -> bool:
        """After a failed frame: try a new state after DISPLAY_RETRY_S[0], the same one after [1]."""
        since = time.perf_counter() - failed[1]
        return since >= DISPLAY_RETRY_S[1] or (serial != failed[0] and since >= DISPLAY_RETRY_S[0])

    def run(self) -> None:
        import torch

        torch.set_num_threads(self.threads)
        next_t = time.perf_counter()
        failed = None  # (state serial, time, message) of the last failed frame
        while not self._stop.is_set():
            self._taken.wait(0.1)
            if self._stop.is_set():
                break
            if self._paused.is_set():
                self._paused_wait()
                continue
            now = time.perf_counter()
            if now < next_t:
                time.sleep(next_t - now)
            serial, st = self.states.peek()
            if st is None:
                time.sleep(0.01)
                continue
            if failed is not None and not self._retry_due(failed, serial):
                time.sleep(0.05)
                continue
            next_t = max(next_t + self.interval_s, time.perf_counter() - self.interval_s)
            try:
                frame = self.evaluator.frame(st, self.view())
            except Exception as e:
                fault = display_fault(e)
                if failed is None or failed[2] != fault:  # once, not at every retry
                    self.failed.emit(fault)
                failed = (serial, time.perf_counter(), fault)
                self.evaluator.session = None  # the next attempt starts from a fresh display Session
                if fault.kind == OUT_OF_MEMORY:
                    free_device_memory()
                continue
            failed = None
            self._taken.clear()
            self.frames.put(frame)
            self.frameReady.emit()
