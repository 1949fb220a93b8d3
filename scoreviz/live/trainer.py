"""The main window's training loop, free of Qt: the ``Trainer`` and the ``TrainerState`` it publishes.

Data flow (DESIGN.md): the GUI posts commands to the trainer, which owns the training Session,
applies commands between steps (``handle``), trains for up to one display interval per ``tick()``
and publishes a self-consistent ``TrainerState`` (config, density, a copy of the weights,
histories) into a latest-value ``Mailbox`` at most at the display rate. Faults (``faults.py``):
an exception while training (a non-finite loss, running out of memory, a GPU failure, anything
else) pauses training and is reported through ``on_failed`` as a ``Fault``; the trainer never
raises, so Reset, a smaller batch, Play or a move to the CPU continue. ``gui/threads.py`` runs
it in a QThread; the tests drive it directly. torch and the core are imported lazily, in the
training thread (``start``), so the window can show before torch has loaded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any, Callable

import numpy as np

from scoreviz.core.errors import ScorevizError
from scoreviz.core.text import N_, Composed, Phrase
from scoreviz.live.commands import (FISHER_SAMPLES, FRAME_INTERVAL_S, Call, CommandHandler, Load, Pause, Play, Rebuild,
                                    Reset, ResetParticles, SetDensity, SetDevice, SetModel, SetObjective,
                                    SetOptimizer, SetSampler, SetSeed, Step)
from scoreviz.live.faults import OUT_OF_MEMORY, fault_from, free_device_memory
from scoreviz.live.mailbox import Mailbox
from scoreviz.live.train_relay import ProcessTraining

# the score a sampler follows (``SamplerConfig.score_source``), in the status bar's words
_SCORES = {"learned": N_("learned score"), "true": N_("true score")}


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


class Trainer(ProcessTraining, CommandHandler):
    """Owns the training Session. ``handle(cmd)`` between steps; ``tick()`` trains and publishes.

    Callbacks: ``on_message(text)`` (status bar: a ``core.text.Composed``, English, shown translated),
    ``on_failed(fault)`` (a ``faults.Fault``: bad input, or training paused by a fault; shown in the window),
    ``on_running(bool)``.

    ``process=True``: while training runs, the steps are taken in a process of its own
    (``train_process``), exactly as this thread would take them; every command first takes the
    training back, so commands always act on this Session. ``close()`` ends that process.
    """

    def __init__(self, cfg, density=None, threads: int | None = 1, publish: Mailbox | None = None,
                 on_message: Callable[[str], None] = lambda s: None,
                 on_failed: Callable[[str], None] = lambda s: None,
                 on_running: Callable[[bool], None] = lambda b: None, process: bool = False):
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
        self._init_process(process)

    # ------------------------------------------------------------------ setup
    def start(self) -> bool:
        """Build the Session (in the calling thread: set its torch threads first). False on failure."""
        import torch  # lazy: torch loads here, in the training thread (module docstring)

        from scoreviz.core.metrics import CurveSchedule
        from scoreviz.core.session import Session

        if self.threads:
            torch.set_num_threads(int(self.threads))
        self._start_process()
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
            raise ScorevizError.compose(N_("no model yet: choose a density that loads"))

    def _cmd_play(self, cmd: Play):
        self._need_session()
        s = self.session
        if s.step_count == 0 and not s.fisher_history:  # the curve starts at the untrained model
            self._maybe_fisher(force=True)
        self._set_running(True)

    def _cmd_pause(self, cmd: Pause):
        self._set_running(False)
        self._maybe_fisher(force=True)

    def _cmd_step(self, cmd: Step):
        self._need_session()
        self._set_running(False)
        loss = self._train_one()
        if loss is not None:
            self._maybe_fisher(force=True)
            self.on_message(Composed.compose(N_("one step: step {step}, loss {loss}"), step=self.session.step_count,
                                             loss=f"{loss:.4g}"))

    def _cmd_reset(self, cmd: Reset):
        if self.session is None:
            return self._cmd_rebuild(Rebuild())
        self.session.reset_model()
        self.session.reset_particles()
        self.particles_epoch += 1
        self._new_history()
        self.on_message(Composed.compose(N_("reset: a fresh model from the seed; step 0")))

    def _cmd_density(self, cmd: SetDensity):
        if self.session is None:
            self._density = cmd.density
            return self._cmd_rebuild(Rebuild())
        self.session.set_density(cmd.density)
        self._density = cmd.density
        name = cmd.density.name if hasattr(cmd.density, "name") else Phrase(N_("density"))
        self.on_message(Composed.compose(N_("density {name}: training continues from the current model"),
                                         name=name))

    def _cmd_objective(self, cmd: SetObjective):
        self._need_session()
        from scoreviz.core.objectives import check_compatible, conditioned_model  # lazy: imports torch (module docstring)

        check_compatible(cmd.cfg, conditioned_model(cmd.cfg, self.session.cfg.model))
        model = self.session.model
        text = self.session.set_objective(cmd.cfg)
        self.cfg = self.session.cfg
        if self.session.model is not model:  # ncsn / sde need (or no longer need) noise / time conditioning
            self._new_history()
        self.on_message(text)

    def _cmd_model(self, cmd: SetModel):
        self._need_session()
        from scoreviz.core.objectives import check_compatible, conditioned_model  # lazy: imports torch (module docstring)

        model_cfg = conditioned_model(self.session.cfg.objective, cmd.cfg)
        check_compatible(self.session.cfg.objective, model_cfg)
        self.session.set_model(model_cfg)
        self.cfg = self.session.cfg
        self._new_history()
        m = model_cfg
        self.on_message(Composed.compose(N_("model {hidden}x{layers} {activation} {parametrization}: a fresh model, "
                                            "step 0"), hidden=m.hidden, layers=m.layers, activation=m.activation,
                                         parametrization=m.parametrization))

    def _cmd_optimizer(self, cmd: SetOptimizer):
        self._need_session()
        self.session.set_optimizer(lr=cmd.lr, batch=cmd.batch)
        self.cfg = self.session.cfg
        self.on_message(Composed.compose(N_("optimiser: lr {lr}, batch {batch}; training continues"),
                                         lr=f"{self.session.cfg.lr:g}", batch=self.session.cfg.batch))

    def _cmd_sampler(self, cmd: SetSampler):
        self._need_session()
        self.session.set_sampler(cmd.cfg)
        self.cfg = self.session.cfg
        sc = cmd.cfg
        score = Phrase(_SCORES[sc.score_source]) if sc.score_source in _SCORES else f"{sc.score_source} score"
        values = dict(sampler=sc.sampler, n=sc.n_particles, score=score)
        if sc.sampler in ("langevin", "annealed"):
            text = Composed.compose(N_("sampler: {sampler}, step size {step_size}, {n} particles, {score}"),
                                    step_size=f"{sc.step_size:g}", **values)
        elif sc.sampler == "forward":
            text = Composed.compose(N_("sampler: {sampler}, data noised to the time shown, {n} particles, {score}"),
                                    **values)
        else:  # generation on the time axis (core/generation)
            text = Composed.compose(N_("sampler: {sampler}, {steps} steps from the prior at t = 1, {n} particles, "
                                       "{score}"), steps=sc.diffusion_steps, **values)
        self.on_message(text)

    def _cmd_reset_particles(self, cmd: ResetParticles):
        self._need_session()
        self.session.reset_particles()
        self.particles_epoch += 1
        self.on_message(Composed.compose(N_("particles restarted")))

    def _cmd_device(self, cmd: SetDevice):
        self.cfg = replace(self.cfg, device=cmd.device)
        self._cmd_rebuild(Rebuild(Composed.compose(N_("device {device}"), device=cmd.device)))

    def _cmd_seed(self, cmd: SetSeed):
        self.cfg = replace(self.cfg, seed=int(cmd.seed))
        self._cmd_rebuild(Rebuild(Composed.compose(N_("seed {seed}"), seed=cmd.seed)))

    def _cmd_rebuild(self, cmd: Rebuild):
        """A new Session from self.cfg (device or seed changed, or none could be built before)."""
        from scoreviz.core.session import Session  # lazy: imports torch (module docstring)

        if self.session is not None:
            self.cfg = replace(self.session.cfg, device=self.cfg.device, seed=self.cfg.seed)
        session = Session(replace(self.cfg, threads=None), density=self._density)
        self.session = session
        self._display_particles = None
        self.session_epoch += 1
        self.particles_epoch += 1
        self._new_history()
        if cmd.why:
            self.on_message(Composed.compose(N_("{why}: a fresh model on {device}, step 0"), why=cmd.why,
                                             device=str(session.device)))

    def _cmd_load(self, cmd: Load):
        """Replace the Session by an opened one (a ``.scoreviz`` file): training continues from it exactly."""
        self._set_running(False)
        session = self.session = cmd.session
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

    def _cmd_call(self, cmd: Call):
        """Run ``fn(session)`` between steps in this thread; its result or error goes to the Future."""
        fn, future = cmd.fn, cmd.future
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
        if self._train_in_process():
            self._publish_checked()
            return
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
        self._publish_checked()

    def _curves_start_over(self) -> None:
        """The published curves start again from the Session's histories (the process's last points were lost)."""
        self.history_epoch += 1
        self._losses, self._fisher = _GrowingArray(), _GrowingArray(3)

    def _publish_checked(self) -> None:
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
        remote = self._process_curve_fraction()
        if remote is not None:
            return remote
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
            remote = self._process_weights()
            if remote is not None:  # the process trains: its newest weights (this Session's are the handed-over ones)
                self._weights = remote
            else:
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
