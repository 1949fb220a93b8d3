"""The QThreads behind the windows: thin Qt wrappers around the Qt-free loops of ``scoreviz.live``.

``WorkerThread`` is the command loop shared by both trainers: the GUI ``post()``s commands
(``commands.Command``s; one the trainer does not handle is refused there, at once), the thread
applies them between steps (``CommandHandler.handle``), runs ``tick()`` and stops cooperatively
(``stop()``, then ``wait()``). ``TrainingThread`` runs the main window's ``Trainer`` (and
``call()`` runs work on its Session between steps), ``CompareThread`` the compare window's
``CompareTrainer``. ``DisplayThread`` is the display loop shared by ``EvaluatorThread`` and
``CompareDisplayThread``: one frame per display frame from the newest published state, only after
the GUI took the previous one; they differ in how they wait. Every signal carries plain Python
objects; every hand-over is a latest-value ``Mailbox``. A fault reaches the window as a
``faults.Fault`` through ``failed``; the threads keep running, so the window keeps drawing and answering.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import replace
from typing import Callable

from PySide6 import QtCore

from scoreviz.live.commands import FRAME_INTERVAL_S, Call, Command
from scoreviz.live.compare_display import DEFAULT_EVAL_EVERY, CompareDisplay, CompareFrame, CompareView
from scoreviz.live.compare_trainer import CompareTrainer
from scoreviz.live.evaluator import Evaluator, Frame, ViewSettings
from scoreviz.live.faults import OUT_OF_MEMORY, display_fault, free_device_memory
from scoreviz.live.mailbox import Mailbox, NotifyingMailbox
from scoreviz.live.trainer import Trainer

TRAIN_PROCESS_ENV = "SCOREVIZ_TRAIN_PROCESS"  # "0": the main window trains in its own thread, not a process
DISPLAY_RETRY_S = (0.5, 2.0)  # after a failed frame: retry a new state after 0.5 s, the same state after 2 s
_WAKE = object()  # queued by stop(): wakes the command loop


def train_in_process() -> bool:
    """Whether the main window trains in a process of its own (``live.train_process``): yes, unless
    the environment variable SCOREVIZ_TRAIN_PROCESS is "0" (the tests' default: a process per window
    costs a second and a half of start-up)."""
    return os.environ.get(TRAIN_PROCESS_ENV, "1").strip() != "0"


class WorkerThread(QtCore.QThread):
    """A QThread that runs a trainer: commands posted from the GUI thread are applied between steps.

    ``self.trainer`` (set by the subclass, a ``CommandHandler``) has ``start()``, ``check(cmd)``, ``handle(cmd)``,
    ``tick()`` and ``command_wait()``, which says how long the loop may wait for a command before
    the next tick. The trainer reports its faults itself (``failed``) and never raises, so
    the loop goes on until ``stop()``; calls still queued then are cancelled.
    """

    message = QtCore.Signal(object)  # a str, mostly a core.text.Composed (an object: the GUI shows it translated)
    failed = QtCore.Signal(object)  # a faults.Fault: a str that also says what kind of fault it is
    runningChanged = QtCore.Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._commands: queue.Queue = queue.Queue()
        self._stop = threading.Event()

    def post(self, cmd: Command) -> None:
        """Queue a command (GUI thread); applied before the next training step. A command the trainer
        does not handle (not a Command, or the other window's) raises a TypeError here, at once."""
        self.trainer.check(cmd)
        self._commands.put(cmd)

    def stop(self) -> None:
        """Ask the loop to end (cooperative); then ``wait()``."""
        self._stop.set()
        self._commands.put(_WAKE)

    def run(self) -> None:
        tr = self.trainer
        tr.start()
        while not self._stop.is_set():
            self._apply_commands(tr.command_wait())
            if self._stop.is_set():
                break
            tr.tick()
        self._cancel_pending()
        close = getattr(tr, "close", None)
        if close is not None:
            close()

    def _apply_commands(self, wait: float) -> None:
        """Wait up to ``wait`` s for a command, then apply it and everything queued behind it."""
        try:
            cmd = self._commands.get(timeout=wait) if wait > 0 else self._commands.get_nowait()
            while True:
                if cmd is not _WAKE:
                    self.trainer.handle(cmd)
                cmd = self._commands.get_nowait()
        except queue.Empty:
            pass

    def _cancel_pending(self) -> None:
        """Calls still queued when the thread ends are cancelled (their waiters are told)."""
        while True:
            try:
                cmd = self._commands.get_nowait()
            except queue.Empty:
                return
            if isinstance(cmd, Call):
                cmd.future.cancel()


class TrainingThread(WorkerThread):
    """Runs a Trainer: commands from ``post()`` are applied between steps."""

    _callDone = QtCore.Signal(object)  # (on_done, future): delivered in the GUI thread

    def __init__(self, cfg, density=None, threads: int | None = 1, parent=None, process: bool | None = None):
        super().__init__(parent)
        self.setObjectName("scoreviz-training")
        self.states = Mailbox()
        if process is None:
            process = train_in_process()
        self.trainer = Trainer(cfg, density, threads, self.states, on_message=self.message.emit,
                               on_failed=self.failed.emit, on_running=self.runningChanged.emit, process=process)
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
            self.post(Call(fn, future))
        return future

    def _deliver(self, item) -> None:
        on_done, future = item
        on_done(future)


class CompareThread(WorkerThread):
    """Runs a CompareTrainer: commands from ``post()`` are applied between steps (``WorkerThread``)."""

    figureReady = QtCore.Signal(object)  # (path, size, CompareFrame) for "Save figure"

    def __init__(self, cfg, objectives, density=None, threads: int | None = 1, eval_every: int = DEFAULT_EVAL_EVERY,
                 parent=None):
        super().__init__(parent)
        self.setObjectName("scoreviz-compare")
        self.states = NotifyingMailbox()
        self.trainer = CompareTrainer(cfg, objectives, density, threads, eval_every, self.states,
                                      on_message=self.message.emit, on_failed=self.failed.emit,
                                      on_running=self.runningChanged.emit, on_figure=self.figureReady.emit)


class DisplayThread(QtCore.QThread):
    """Makes one frame per display frame from the newest published state, after the GUI took the last.

    The loop both display threads share: wait for its turn (``_wait_turn``), keep to the display
    rate, ask what to draw (``_due``, which also waits when there is nothing), make the frame
    (``_frame``) and hand it over. A frame that fails is reported once (``failed``: a ``faults.Fault``)
    and the next attempt starts afresh (``_start_afresh``); when it is made is ``_due``'s to say
    (within DISPLAY_RETRY_S). ``_wake()`` ends the wait after a view change or ``stop()``.
    """

    frameReady = QtCore.Signal()
    failed = QtCore.Signal(object)  # a faults.Fault

    def __init__(self, states: Mailbox, view, threads: int = 1, parent=None):
        super().__init__(parent)
        self.states = states
        self.frames = Mailbox()
        self.threads = threads
        self.interval_s = FRAME_INTERVAL_S
        self._view = view
        self._view_lock = threading.Lock()
        self._taken = threading.Event()
        self._taken.set()
        self._stop = threading.Event()

    def set_view(self, **changes) -> None:
        with self._view_lock:
            self._view = replace(self._view, **changes)
        self._wake()

    def view(self):
        with self._view_lock:
            return self._view

    def take(self):
        """The newest frame (GUI thread); lets the thread start the next one."""
        f = self.frames.take()
        if f is not None:
            self._taken.set()
        return f

    def stop(self) -> None:
        self._stop.set()
        self._taken.set()
        self._wake()

    # ------------------------------------------------------------------ the subclass's part
    def _wake(self) -> None:
        """End the loop's wait (a view change, ``stop()``)."""
        raise NotImplementedError

    def _wait_turn(self) -> bool:
        """Wait a little for the GUI to take the last frame; False: not this time (loop again)."""
        raise NotImplementedError

    def _due(self, shown: tuple | None, failed: tuple | None) -> tuple | None:
        """(serial, state, view) to draw now, or None (after a short wait). ``shown``: (serial, view)
        of the last frame made or failed; ``failed``: (perf_counter() time, fault) of the last failure, or None."""
        raise NotImplementedError

    def _frame(self, state, view):
        raise NotImplementedError

    def _start_afresh(self) -> None:
        """After a failed frame: the next attempt starts from a fresh display state."""
        raise NotImplementedError

    # ------------------------------------------------------------------ the loop
    def run(self) -> None:
        import torch  # lazy: torch loads in this thread, not when the window imports this module

        torch.set_num_threads(self.threads)
        next_t = time.perf_counter()
        shown = None  # (state serial, view) of the last frame made or failed
        failed = None  # (time, fault) of the last failed frame
        while not self._stop.is_set():
            if not self._wait_turn():
                continue
            now = time.perf_counter()
            if now < next_t:
                time.sleep(next_t - now)
            due = self._due(shown, failed)
            if due is None:
                continue
            serial, st, view = due
            next_t = max(next_t + self.interval_s, time.perf_counter() - self.interval_s)
            shown = (serial, view)
            try:
                frame = self._frame(st, view)
            except Exception as e:
                fault = display_fault(e)
                if failed is None or failed[1] != fault:  # once, not at every retry
                    self.failed.emit(fault)
                failed = (time.perf_counter(), fault)
                self._start_afresh()
                if fault.kind == OUT_OF_MEMORY:
                    free_device_memory()
                continue
            failed = None
            self._taken.clear()
            self.frames.put(frame)
            self.frameReady.emit()


class EvaluatorThread(DisplayThread):
    """Makes one ``Frame`` per display frame from the newest TrainerState, after the GUI took the
    last or 0.1 s passed, except while paused (``set_paused``).

    After a failed frame the display Session is rebuilt for the next attempt, made when a new state
    arrives (at most every 0.5 s) or after 2 s.
    """

    def __init__(self, states: Mailbox, threads: int = 1, display_dtype: str = "auto", density_lut=None, parent=None):
        super().__init__(states, ViewSettings(), threads, parent)
        self.setObjectName("scoreviz-display")
        self.evaluator = Evaluator(display_dtype, density_lut)
        self._paused = threading.Event()

    def set_paused(self, paused: bool) -> None:
        """Stop making frames (e.g. while the window is minimised) or resume."""
        if paused:
            self._paused.set()
        else:
            self._paused.clear()
            self._taken.set()

    def _wake(self) -> None:
        self._taken.set()

    def _wait_turn(self) -> bool:
        self._taken.wait(0.1)  # the GUI took the last frame, or 0.1 s passed
        if self._stop.is_set():
            return False
        if self._paused.is_set():
            while self._paused.is_set() and not self._stop.is_set():
                time.sleep(0.02)
            return False
        return True

    def _due(self, shown: tuple | None, failed: tuple | None) -> tuple | None:
        serial, st = self.states.peek()
        if st is None:
            time.sleep(0.01)
            return None
        if failed is not None and not self._retry_due(failed[0], serial != shown[0]):
            time.sleep(0.05)
            return None
        return serial, st, self.view()

    @staticmethod
    def _retry_due(failed_t: float, new_state: bool) -> bool:
        """After a failed frame: try a new state after DISPLAY_RETRY_S[0], the same one after [1]."""
        since = time.perf_counter() - failed_t
        return since >= DISPLAY_RETRY_S[1] or (new_state and since >= DISPLAY_RETRY_S[0])

    def _frame(self, state, view) -> Frame:
        return self.evaluator.frame(state, view)

    def _start_afresh(self) -> None:
        self.evaluator.session = None  # the next attempt starts from a fresh display Session


class CompareDisplayThread(DisplayThread):
    """Makes one ``CompareFrame`` from the newest CompareState when the state or the view changed, at
    most one per display frame and only after the GUI took the last.

    After a failed frame the next attempt starts from a fresh ``CompareDisplay``, made when a new
    state arrives (at most every 0.5 s) or after 2 s.
    """

    def __init__(self, states: NotifyingMailbox, threads: int = 1, display_dtype: str = "auto", parent=None):
        super().__init__(states, CompareView(), threads, parent)
        self.setObjectName("scoreviz-compare-display")
        self.display = CompareDisplay(display_dtype)

    def _wake(self) -> None:
        self.states.news.set()

    def _wait_turn(self) -> bool:
        self._taken.wait(0.25)  # the GUI took the last frame
        return not self._stop.is_set() and self._taken.is_set()

    def _due(self, shown: tuple | None, failed: tuple | None) -> tuple | None:
        self.states.news.clear()
        serial, st = self.states.peek()
        view = self.view()
        since_failure = time.perf_counter() - failed[0] if failed is not None else None
        retry = since_failure is not None and since_failure >= DISPLAY_RETRY_S[1]  # the same state, after a while
        if st is None or ((serial, view) == shown and not retry):
            self.states.news.wait(0.25)  # nothing new: wait for the trainer or a view change
            return None
        if since_failure is not None and since_failure < DISPLAY_RETRY_S[0]:
            time.sleep(DISPLAY_RETRY_S[0] - since_failure)
        return serial, st, view

    def _frame(self, state, view) -> CompareFrame:
        return self.display.frame(state, view)

    def _start_afresh(self) -> None:
        self.display = CompareDisplay(self.display.dtype_choice)
