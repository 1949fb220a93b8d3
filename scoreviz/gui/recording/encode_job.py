"""Writing a recording to an animation file in a background job: ``EncodeJob``.

``EncodeJob(path, frames, fps)`` writes a ``FrameStore`` with ``scoreviz.core.animation.write_animation``
in a job (``scoreviz.gui.jobs``); it reports ``progressed(done, total)`` and ``ended(outcome, message)``
in the GUI thread, can be cancelled between frames (the job's abort), and leaves no file behind when
cancelled or failing.
"""

from __future__ import annotations

import time
import weakref

from PySide6 import QtCore

from scoreviz.core.animation import Cancelled, write_animation
from scoreviz.gui.i18n import tr
from scoreviz.gui.jobs import Job, hold, thread_named
from scoreviz.gui.recording.frames import one_line


class Encoding:
    """One encode: what it writes, and how it went (set in the job, read once it has finished)."""

    def __init__(self, path: str, frames, fps: int):
        self.path, self.frames, self.fps = path, frames, fps
        self.outcome, self.message, self.info, self.seconds = EncodeJob.FAILED, "", None, 0.0


def encode(job: Job, enc: Encoding) -> None:
    """Write ``enc.frames`` to ``enc.path`` (the function the job runs); ``job.aborted()`` cancels."""
    with thread_named("scoreviz-encode"):
        t0 = time.perf_counter()
        try:
            enc.info = write_animation(enc.path, enc.frames, enc.fps,
                                       progress=lambda done, total: job.report((done, total)), cancel=job.aborted)
            enc.outcome, enc.message = EncodeJob.WRITTEN, enc.path
        except Cancelled:
            enc.outcome = EncodeJob.CANCELLED
            enc.message = tr("cancelled: '{path}' was not written").format(path=enc.path)
        except Exception as e:  # ScorevizError (bad input), OSError (disk full), ...: one line, no file left
            enc.outcome, enc.message = EncodeJob.FAILED, one_line(e)
        enc.seconds = time.perf_counter() - t0


class EncodeJob(QtCore.QObject):
    """Writes frames to an animation file in a background job.

    ``progressed(done, total)`` and ``ended(outcome, message)`` are delivered in the GUI thread, the
    latter once the job has finished: outcome is "written" (message: the path), "cancelled" or
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
        self._encoding = Encoding(self.path, frames, self.fps)
        self._thread = Job(encode, self._encoding)  # the job (it was a QThread: it answers isRunning() too)
        self._thread.progress.connect(self._progressed)  # bound methods: dropped with this object
        self._thread.finished.connect(self._finished)
        self._started = False

    def start(self) -> None:
        self._started = True
        hold(self._thread).start()

    def cancel(self) -> None:
        """Ask the encoder to stop before its next frame (nothing is written)."""
        self._thread.abort()

    def is_running(self) -> bool:
        return self.outcome is None

    def frames_are(self, frames) -> bool:
        """Whether this job writes (or wrote) ``frames`` (the FrameStore object)."""
        return self._frames() is frames

    def wait(self, ms: int = -1) -> bool:
        """Block until the job has finished (``ended`` follows in the event loop)."""
        if not self._started:
            return True
        return self._thread.wait(None if ms < 0 else ms / 1000)

    @QtCore.Slot(object)
    def _progressed(self, value) -> None:
        self.progressed.emit(*value)

    @QtCore.Slot()
    def _finished(self) -> None:
        enc = self._encoding
        enc.frames = None  # a finished job does not keep a recording alive
        self.outcome, self.message, self.info, self.seconds = enc.outcome, enc.message, enc.info, enc.seconds
        self.ended.emit(self.outcome, self.message)
