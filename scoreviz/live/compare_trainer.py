"""The compare window's training loop, free of Qt: the ``CompareTrainer``.

Data flow (DESIGN.md), as in the single view's ``trainer.py``: the GUI posts commands to the
trainer, which owns the ``Comparison``, applies commands between comparison steps, trains every
configuration in lockstep (``Comparison.step``: the same number of steps for all), measures the
Fisher divergences every K steps (``Comparison.evaluate``: the curves) and publishes a
self-consistent ``CompareState`` (``compare_display.py``) after every step, at most every few
milliseconds. Training speed and frame rate stay independent: the trainer never waits for
drawing. ``gui/threads.py`` runs it in a QThread; the tests drive it directly. torch and the core
are imported lazily, in the training thread (``start``), so the window can show before torch has loaded.
"""

from __future__ import annotations

import copy
import json
import time
from dataclasses import replace
from typing import Callable

from scoreviz.core import limits
from scoreviz.core.atomic import write_text
from scoreviz.core.errors import DivergedError, ScorevizError
from scoreviz.core.text import N_, Composed, Phrase
from scoreviz.live.commands import (FISHER_SAMPLES, CommandHandler, Figure, Pause, Play, Reset, SetConfigs, SetDensity,
                                    SetEvalEvery, SetSeed, Step, Summary)
from scoreviz.live.compare_display import DEFAULT_EVAL_EVERY, CompareState, CompareView, comparison_frame
from scoreviz.live.faults import OUT_OF_MEMORY, Fault, fault_from, free_device_memory, one_line
from scoreviz.live.mailbox import Mailbox

MAX_GUI_CONFIGS = 4  # configurations the compare window trains side by side
STATE_INTERVAL_S = 0.004  # the trainer publishes its state at most this often (a copy of the weights)


class CompareTrainer(CommandHandler):
    """Owns the Comparison. ``handle(cmd)`` between steps; ``tick()`` trains one step and publishes.

    Callbacks: ``on_message(text)`` (status bar: a ``core.text.Composed``, English, shown translated),
    ``on_failed(fault)`` (a ``faults.Fault``: bad input, or training paused by a fault; shown in the window),
    ``on_running(bool)``,
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
        import torch  # lazy: torch loads here, in the training thread (module docstring)

        if self.threads:
            torch.set_num_threads(int(self.threads))
        try:
            if self._density is None:
                from scoreviz.core.densities import load_density  # lazy: imports torch (module docstring)

                self._density = load_density(self.cfg.density, **self.cfg.density_params)
            self._build()
        except Exception as e:  # bad configuration or density: shown in the window, which keeps running
            self._fault(e, what="building the comparison")
            return False
        return True

    def _build(self, objectives=None, cfg=None) -> None:
        """A new Comparison (configurations or seed changed); replaces the old one only if it builds."""
        from scoreviz.core.compare import Comparison  # lazy: imports torch (module docstring)

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
        if self.comparison is None:
            raise ScorevizError.compose(N_("no comparison yet: choose a density that loads"))
        if self.broken:
            raise ScorevizError.compose(N_("{reason} — press Reset to start over"), reason=self.broken)

    def _cmd_play(self, cmd: Play):
        self._need_comparison()
        self._set_running(True)

    def _cmd_pause(self, cmd: Pause):
        self._set_running(False)
        self._evaluate_now()

    def _cmd_step(self, cmd: Step):
        self._need_comparison()
        self._set_running(False)
        if self._train_one():
            self._evaluate_now()
            self.on_message(Composed.compose(N_("one step: step {step}"), step=self.comparison.step_count))

    def _cmd_reset(self, cmd: Reset):
        if self.comparison is None:
            return self._build()
        self.comparison.reset()
        self._start_over()
        self.on_message(Composed.compose(N_("reset: fresh models from the seed for every configuration; step 0")))

    def _cmd_density(self, cmd: SetDensity):
        self._density = density = cmd.density
        if self.comparison is None:
            return self._build()
        self.comparison.set_density(density)
        self.comparison.reset()  # a fair comparison starts every configuration together
        self._start_over()
        name = density.name if hasattr(density, "name") else Phrase(N_("density"))
        self.on_message(Composed.compose(N_("density {name}: every configuration starts over from the seed"),
                                         name=name))

    def _cmd_configs(self, cmd: SetConfigs):
        self._build(objectives=cmd.objectives)
        self.on_message(Composed.compose(N_("comparing {labels}: fresh models from the seed, step 0"),
                                         labels=", ".join(self.comparison.labels)))

    def _cmd_seed(self, cmd: SetSeed):
        self._build(cfg=replace(self.cfg, seed=int(cmd.seed)))
        self.on_message(Composed.compose(N_("seed {seed}: fresh models for every configuration, step 0"),
                                         seed=int(cmd.seed)))

    def _cmd_eval_every(self, cmd: SetEvalEvery):
        self.eval_every = limits.check("eval_every", int(cmd.k))

    def _cmd_figure(self, cmd: Figure):
        """A float32 frame over the density's box for ``render_frame_png`` (``on_figure((path, size, frame))``)."""
        self._need_built()
        path, size, grid = cmd.path, cmd.size, cmd.grid
        frame = comparison_frame(self.comparison, CompareView(grid=int(grid)), eval_every=self.eval_every,
                                 epoch=self.epoch)
        self.on_figure((path, size, frame))

    def _cmd_summary(self, cmd: Summary):
        """Write the summary (as ``scoreviz compare`` writes summary.json) to ``cmd.path``, atomically."""
        self._need_built()
        write_text(cmd.path, json.dumps(self.summary(), indent=2) + "\n")
        self.on_message(Composed.compose(N_("saved {path}"), path=str(cmd.path)))

    def summary(self) -> dict:
        c = self.comparison
        return {"density": getattr(c.sessions[0].density, "name", self.cfg.density), "steps": c.step_count,
                "seed": self.cfg.seed, "device": str(c.sessions[0].device), "eval_every": self.eval_every,
                "configurations": c.summary()}

    def _need_built(self) -> None:
        if self.comparison is None:
            raise ScorevizError.compose(N_("no comparison yet: choose a density that loads"))

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
        c = self.comparison
        counts = [s.step_count for s in c.sessions]
        bad = next((lab for lab, n in zip(c.labels, counts) if n < max(counts)), c.labels[0])
        step = min(counts) + 1
        diverged = isinstance(e, DivergedError)
        fault = fault_from(e, step=step, what=bad if diverged else "training")
        if diverged:
            self.broken = Composed.compose(N_("{what} diverged at step {step} (loss {loss})"), what=bad, step=e.step,
                                           loss=e.value)
        elif min(counts) != max(counts):
            self.broken = Composed.compose(N_("{what} stopped at step {step} after the others stepped"), what=bad,
                                           step=step)
            fault = Fault.of(N_("{what} stopped at step {step}: {error} — the other configurations went on, so the "
                                "comparison is out of step: press Reset to start over."),
                             dict(what=bad, step=step, error=one_line(e)), fault.kind, step, fault.cpu_fallback)
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

    def command_wait(self) -> float:
        """Seconds the thread's loop may wait for a command before the next ``tick()``: as
        ``CommandHandler.command_wait``, but no longer than STATE_INTERVAL_S while a changed state is unpublished."""
        wait = self.seconds_until_next_step()
        if wait is None:  # paused: sleep until a command arrives (or a changed state is due)
            return STATE_INTERVAL_S if self._changed else 0.25
        return min(wait, STATE_INTERVAL_S) if self._changed else wait

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
        import torch  # lazy: called in the training thread (module docstring)

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
