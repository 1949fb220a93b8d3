"""The "Every dynamic" window's worker: a QThread around the Qt-free ``live.dynamics.DynamicsPlayer``.

The GUI ``configure(settings)``s, ``play()``s, ``pause()``s, ``restart()``s and ``set_snapshot(...)``s
(new weights from the main window); the thread applies those between frames, advances every dynamic
by one frame at most ``DYNAMICS_FPS`` times a second -- after the GUI took the previous frame or a frame's
time passed, with a time budget so a slow score never stalls the window -- and hands over the newest ``DynamicsFrame``
through a latest-value ``Mailbox`` (``frameReady``; the GUI calls ``take()``).  Faults arrive as one
line through ``failed`` and pause the run; the thread keeps running until ``stop()`` (then ``wait()``).
torch and the dynamics load in this thread (``run``), not when the window is built.
"""

from __future__ import annotations

import queue
import threading
import time

from PySide6 import QtCore

from scoreviz.live.dynamics_settings import DYNAMICS_FPS, DynamicsSettings
from scoreviz.live.faults import fault_from
from scoreviz.live.mailbox import Mailbox

BUDGET_FRACTION = 0.9  # of a frame's interval spent stepping (the GUI draws in another thread meanwhile)
_WAKE = object()


class DynamicsThread(QtCore.QThread):
    """Runs the dynamics of one snapshot (cfg, density or None for cfg's, weights or None)."""

    frameReady = QtCore.Signal()
    failed = QtCore.Signal(object)  # one line (a faults.Fault)
    runningChanged = QtCore.Signal(bool)
    configured = QtCore.Signal(object)  # the DynamicsSettings now in force

    def __init__(self, cfg, density=None, weights: dict | None = None, threads: int = 1, parent=None):
        super().__init__(parent)
        self.setObjectName("scoreviz-dynamics")
        self.snapshot = (cfg, density, weights)
        self.threads = int(threads)
        self.interval_s = 1.0 / DYNAMICS_FPS
        self.frames = Mailbox()
        self._commands: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._taken = threading.Event()
        self._taken.set()

    # ------------------------------------------------------------------ from the GUI thread
    def configure(self, settings: DynamicsSettings, play: bool = True) -> None:
        """New dynamics (from the prior); running at once when ``play``."""
        self._commands.put(("configure", settings, play))

    def set_snapshot(self, cfg, density, weights, settings: DynamicsSettings, play: bool = True) -> None:
        """The main window's newest model (and density), then ``configure(settings)``."""
        self._commands.put(("snapshot", (cfg, density, weights), None))
        self.configure(settings, play)

    def play(self) -> None:
        self._commands.put(("play", None, None))

    def pause(self) -> None:
        self._commands.put(("pause", None, None))

    def restart(self) -> None:
        self._commands.put(("restart", None, None))

    def take(self):
        """The newest frame (GUI thread), once; lets the thread make the next one."""
        f = self.frames.take()
        self._taken.set()
        return f

    def stop(self) -> None:
        """Ask the loop to end (cooperative); then ``wait()``."""
        self._stop.set()
        self._taken.set()
        self._commands.put(_WAKE)

    # ------------------------------------------------------------------ the loop
    def run(self) -> None:
        import torch  # lazy: torch and the dynamics load in this thread

        from scoreviz.live.dynamics import DynamicsPlayer

        torch.set_num_threads(self.threads)
        cfg, density, weights = self.snapshot
        player = None
        running = False
        next_t = time.perf_counter()
        while not self._stop.is_set():
            wait = max(0.0, next_t - time.perf_counter()) if running else 0.1
            try:
                if player is None:
                    player = DynamicsPlayer(cfg, density if density is not None else _load(cfg), weights)
                self._apply_commands(player, wait)
            except Exception as e:  # a refused configuration or snapshot: say so; the set in force stays
                self.failed.emit(fault_from(e, what="dynamics"))
                if player is None:
                    time.sleep(0.1)
                    continue
            if self._stop.is_set():
                break
            if player.running != running:
                running = player.running
                self.runningChanged.emit(running)
            if running and time.perf_counter() < next_t:
                continue
            # the GUI took the last frame, or a frame's time passed: go on (the mailbox keeps the newest),
            # so a slow paint slows the picture, not the run
            if not self._taken.wait(self.interval_s) and not running:
                continue
            try:
                frame = player.tick(BUDGET_FRACTION * self.interval_s)
            except Exception as e:
                player.pause()
                self.failed.emit(fault_from(e, what="dynamics"))
                frame = None
            if running:
                next_t = max(next_t + self.interval_s, time.perf_counter() - self.interval_s)
            if player.running != running:  # before the frame: a window showing the last frame of a run shows "Run"
                running = player.running
                self.runningChanged.emit(running)
            if frame is not None:
                self._taken.clear()
                self.frames.put(frame)
                self.frameReady.emit()

    def _apply_commands(self, player, wait: float) -> None:
        """Wait up to ``wait`` s for a command, then apply it and everything queued behind it."""
        try:
            cmd = self._commands.get(timeout=wait) if wait > 0 else self._commands.get_nowait()
            while True:
                if cmd is not _WAKE:
                    self._apply(player, *cmd)
                cmd = self._commands.get_nowait()
        except queue.Empty:
            pass

    @staticmethod
    def _apply(player, what: str, arg, play) -> None:
        if what == "snapshot":
            cfg, density, weights = arg
            player.cfg, player.weights = cfg, weights
            if density is not None and density is not player.density:
                player.density, player.heat, player.box = density, None, None
        elif what == "configure":
            player.configure(arg)
            if play:
                player.play()
        elif what == "play":
            player.play()
        elif what == "pause":
            player.pause()
        elif what == "restart":
            player.restart()


def _load(cfg):
    """The session's density from its config (a main window that has not shown a frame yet)."""
    from scoreviz.core.densities import load_density

    return load_density(cfg.density, **cfg.density_params)
