"""The Trainer's half that trains in the training process (``train_process``): hand-over, relay, take-back.

``ProcessTraining`` is a base of ``trainer.Trainer`` (it holds no state of its own beyond the process's):
while training runs, ``_train_in_process()`` hands the Session's training state to the process and
relays what it reports into the Session's counters and histories; every command first takes the
training back (``handle``), so commands act on the exact Session; ``close()`` ends the process. It
uses the Trainer's ``session``, ``curve``, ``curves``, ``speed``, ``running``, ``_last_fisher_step``,
``_tick_t``, ``_dirty``, ``on_message``, ``on_failed``, ``_set_running()`` and ``_curves_start_over()``.
No Qt, no torch at import.
"""

from __future__ import annotations

import numpy as np

from scoreviz.core.text import N_, Composed
from scoreviz.live.commands import FRAME_INTERVAL_S, Pause, Play, Speed, Step, WarmUp
from scoreviz.live.train_process import Progress, ProcessLost, TrainProcess, load_state

# commands after which the training process's copy of the Session's set-up still holds (any other may
# have changed the config, the density or the model: the next hand-over sends them again)
_SETUP_KEPT = (Play, Pause, Step, Speed, WarmUp)


class ProcessTraining:
    """Training in the training process, for the Trainer (see the module's description)."""

    def _init_process(self, process: bool) -> None:
        self.use_process = bool(process)
        self.process: TrainProcess | None = None  # the training process (made in start(); None: train here)
        self._handed = None  # (step, weights version, losses, curve points) when training was handed over
        self._remote_weights = None  # the newest weights the process reported (CPU tensors)
        self._remote_curve_fraction = 0.0
        self._setup_id = 0  # numbers the Session's set-up: a command that may change it starts a new one
        self._unsendable = None  # the set-up whose density cannot be sent to the process: trained here

    def _start_process(self) -> None:
        """Start the process (in ``start()``): it loads torch meanwhile; until it is ready this thread trains."""
        if self.use_process and self.process is None:
            try:
                self.process = TrainProcess(self.threads)
            except Exception as e:  # no process can be started here: train in this thread
                self.on_message(Composed.compose(N_("training runs in the app's own thread (no training process: "
                                                    "{error})"), error=e))

    def _process_weights(self):
        """The newest weights the process reported while it trains (None: the Session's are current)."""
        return self._remote_weights if self.process is not None and self.process.running else None

    def _process_curve_fraction(self) -> float | None:
        """The Fisher curve's share of the process's training time while it trains (None: not training there)."""
        return self._remote_curve_fraction if self.process is not None and self.process.running else None

    def handle(self, cmd) -> None:
        """As ``CommandHandler.handle``, after taking the training back from the process (if it has it)."""
        self.check(cmd)
        self._take_back()
        super().handle(cmd)
        if not isinstance(cmd, _SETUP_KEPT):  # the next hand-over sends the config and the density again
            self._setup_id += 1

    def close(self) -> None:
        """The training thread is ending: the Session gets the process's state, then the process ends."""
        self._take_back()
        if self.process is not None:
            self.process.close()
            self.process = None

    def _train_in_process(self) -> bool:
        """While training runs, let the process train and relay what it reports (for one display
        interval). False: this thread trains (no process, not ready yet, or paused)."""
        p = self.process
        if p is None or not self.running or self.session is None:
            return False
        if not p.running:
            if p.failed or self._setup_id == self._unsendable or not p.ready():
                return False
            s = self.session
            run = {"curve": self.curve, "last_fisher_step": self._last_fisher_step, "curves": self.curves,
                   "speed": self.speed}
            try:
                p.run(s, self._setup_id, run)
            except ProcessLost as e:
                self._lose_process(e)
                return False
            except Exception:  # a density that cannot be pickled (sent): this set-up trains here
                self._unsendable = self._setup_id
                return False
            self._handed = (s.step_count, s.weights_version, len(s.loss_history), len(s.fisher_history))
            self._tick_t = None
        try:
            messages = p.poll(FRAME_INTERVAL_S)
        except ProcessLost as e:
            self._lose_process(e)
            return True
        faults = self._relay(messages)
        if faults:
            faults += self._take_back()
            self._report_remote(faults)
        return True

    def _relay(self, messages) -> list:
        """Apply the process's progress to this Session's counters and histories; its faults are returned."""
        faults = []
        for m in messages:
            if isinstance(m, Progress):
                self._apply_progress(m)
            elif isinstance(m, tuple) and m and m[0] == "fault":
                faults.append(m[1])
        return faults

    def _apply_progress(self, p: Progress) -> None:
        import torch  # loaded: this thread started the Session

        s = self.session
        s.step_count, s.weights_version = int(p.step), int(p.weights_version)
        if len(p.losses):
            s.loss_history.frombytes(np.ascontiguousarray(p.losses, dtype=np.float64).tobytes())
        if p.fisher:
            s.fisher_history.extend(p.fisher)
            self._last_fisher_step = int(p.fisher[-1][0])
        if p.weights is not None:
            self._remote_weights = {k: torch.from_numpy(v) for k, v in p.weights.items()}
        self._remote_curve_fraction = float(p.curve_fraction)
        self._dirty = True

    def _take_back(self) -> list:
        """Training returns to this thread: the process's last progress and state are loaded into the
        Session (exactly where the process stopped). The faults it reported meanwhile are returned."""
        p = self.process
        if p is None or not p.running:
            return []
        try:
            pending, back = p.stop()
        except ProcessLost as e:
            self._lose_process(e)
            return []
        faults = self._relay(pending)
        self._apply_progress(back.progress)
        load_state(self.session, back.state)
        self.curve, self._last_fisher_step = back.curve, int(back.last_fisher_step)
        self._remote_weights = None
        self._tick_t = None
        return faults

    def _report_remote(self, faults) -> None:
        """A fault in the process pauses training as one here would (``_train_one``)."""
        self._set_running(False)
        for fault in faults:
            self.on_failed(fault)
        self._dirty = True

    def _lose_process(self, e: BaseException) -> None:
        """The process died: back to the state handed over; training goes on in this thread."""
        p, self.process = self.process, None
        if p is not None:
            p.close()
        s = self.session
        if self._handed is not None and s is not None:
            step, version, losses, points = self._handed
            s.step_count, s.weights_version = step, version
            del s.loss_history[losses:]
            del s.fisher_history[points:]
            self._last_fisher_step = int(s.fisher_history[-1][0]) if s.fisher_history else -1
            self._curves_start_over()  # the curves lost their last points: the display starts them again
        self._remote_weights = None
        self._handed = None
        self.on_message(Composed.compose(N_("the training process stopped ({error}); training continues in the app "
                                            "from step {step}"), error=e, step=s.step_count if s is not None else 0))
