"""Writing a recording to an animation file on a worker thread: ``EncodeJob`` and the QThread it runs.

``EncodeJob(path, frames, fps)`` writes a ``FrameStore`` with ``scoreviz.core.animation.write_animation``
on its own QThread; it reports ``progressed(done, total)`` and ``ended(outcome, message)`` in the GUI
thread, can be cancelled between frames, and leaves no file behind when cancelled or failing.
"""

from __future__ import annotations

import threading
import time
import weakref

from PySide6 import QtCore

from scoreviz.core.animation import Cancelled, write_animation
from scoreviz.gui.recording.frames import one_line


class _EncodeThread(QtCore.QThread):
    progressed = QtCore.Signal(int, int)

    def __init__(self, path: str, frames, fps: int, parent=None):
        super().__init__(parent)
        self.setObjectName("scoreviz-encode")
        self.path, self.frames, self.fps = path, frames, fps
        self.cancel_event = threading.Event()
        self.outcome, self.message, self.info, self.seconds = EncodeJob.FAILED, "", None, 0.0

    def run(self) -> None:

        t0 = time.perf_counter()
        try:
            self.info = write_animation(self.path, self.frames, self.fps, progress=self.progressed.emit,
                                        cancel=self.cancel_event.is_set)
            self.outcome, self.message = EncodeJob.WRITTEN, self.path
        except Cancelled:
            self.outcome, self.message = EncodeJob.CANCELLED, f"cancelled: '{self.path}' was not written"
        except Exception as e:  # ScorevizError (bad input), OSError (disk full), ...: one line, no file left
            self.outcome, self.message = EncodeJob.FAILED, one_line(e)
        self.seconds = time.perf_counter() - t0


class EncodeJob(QtCore.QObject):
    """Writes frames to an animation file on a worker thread.

    ``progressed(done, total)`` and ``ended(outcome, message)`` are delivered in the GUI thread, the
    latter once the thread has finished: outcome is "written" (message: the path), "cancelled" or
    "failed" (message: why, one line). ``info`` is the written file's AnimationInfo.
    """

    WRITTEN, CANCELLED, FAILED = "written", "cancelled", "failed"
    progressed = QtCore.Signal(int, int)
    ended = QtCore.Signal(str, str)

    def __init__(self, path: str, frames, fps: int, parent=None):
        super().__init__(parent)
        self.path, self.fps, self.total = str(path), int(fps), len(frames)
        self._frames = weakref.ref(frames)
        self.outcome: str | None = None
        self.message = ""
        self.info = None
        self.seconds = 0.0
        self._thread = _EncodeThread(self.path, frames, self.fps, parent=self)
        self._thread.progressed.connect(self.progressed)
        self._thread.finished.connect(self._finished)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        """Ask the encoder to stop before its next frame (nothing is written)."""
        self._thread.cancel_event.set()

    def is_running(self) -> bool:
        return self.outcome is None

    def frames_are(self, frames) -> bool:
        """Whether this job writes (or wrote) ``frames`` (the FrameStore object)."""
        return self._frames() is frames

    def wait(self, ms: int = -1) -> bool:
        """Block until the thread has finished (``ended`` follows in the event loop)."""
        return self._thread.wait() if ms < 0 else self._thread.wait(ms)

    @QtCore.Slot()
    def _finished(self) -> None:
        t = self._thread
        t.wait()
        t.frames = None  # a finished job does not keep a recording alive
        self.outcome, self.message, self.info, self.seconds = t.outcome, t.message, t.info, t.seconds
        self.ended.emit(self.outcome, self.message)
