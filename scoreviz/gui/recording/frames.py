"""The frames of a recording: the job that converts and compresses captured images, and frame fitting.

``Compressor`` takes the QImages the GUI thread captures (or ``REPEAT``: the last frame again) and
appends them, in order and at one size (``fit``: scaled and letterboxed), to a ``FrameStore``; the
first ``RAW_BYTES`` are kept as they are, later frames zlib-compressed. It runs as a long job
(``scoreviz.gui.jobs.run_consumer``) that ``STOP`` ends (or an abort: the application quits).
``one_line`` is the one-line form of an error the recording modules show.
"""

from __future__ import annotations

import queue

from PySide6 import QtCore, QtGui

from scoreviz.gui import style
from scoreviz.gui.i18n import text_of
from scoreviz.gui.jobs import Job, hold, run_consumer, thread_named
from scoreviz.gui.offscreen.snapshot_render import qimage_rgb

RAW_BYTES = 512 << 20  # the first frames, up to this, are kept uncompressed (~180 frames of 1280x720, 9 s)

STOP = object()
REPEAT = object()
POLL_S = 0.1  # how often a waiting compressor looks whether it was aborted


def one_line(e: BaseException) -> str:
    """The first non-blank line of an exception's message (its type's name when it has none)."""
    lines = [ln for ln in text_of(e).strip().splitlines() if ln.strip()]  # composed errors: translated
    return lines[0] if lines else type(e).__name__


class Compressor:
    """Turns captured QImages into compressed frames of one size, in order, off the GUI thread:
    ``inbox.put(image or REPEAT)``, then ``inbox.put(STOP)`` and ``join()``; ``error`` says why it
    stopped storing frames (one line), None while all is well."""

    def __init__(self, store, width: int, height: int):
        self.store = store
        self.size = (width, height)
        self.inbox: queue.Queue = queue.Queue()
        self.error: str | None = None
        self._job: Job | None = None

    def start(self) -> None:
        self._job = hold(run_consumer(self._run))

    def join(self, timeout_s: float | None = None) -> bool:
        """Wait until it has taken ``STOP`` (True), or ``timeout_s`` passed (False)."""
        return self._job is None or self._job.wait(timeout_s)

    def _run(self, job: Job) -> None:
        with thread_named("scoreviz-recorder"):
            while not job.aborted():
                try:
                    item = self.inbox.get(timeout=POLL_S)
                except queue.Empty:
                    continue
                try:
                    if item is STOP:
                        return
                    if self.error is not None:
                        continue  # drain: the GUI stops the recording and says why
                    if item is REPEAT:
                        self.store.repeat_last()
                    else:  # the first RAW_BYTES are kept as they are: short recordings cost no compression
                        self.store.append(qimage_rgb(fit(item, *self.size)),
                                          compress=self.store.nbytes >= RAW_BYTES)
                except Exception as e:  # out of memory, ...: reported by the controller
                    self.error = one_line(e)
                finally:
                    self.inbox.task_done()

    def pending(self) -> int:
        """Items put and not yet stored, including the one being converted (``inbox.qsize()`` misses it)."""
        return self.inbox.unfinished_tasks


def fit(image: QtGui.QImage, width: int, height: int) -> QtGui.QImage:
    """``image`` at ``width`` x ``height``: scaled (keeping its aspect ratio) and centred on the background."""
    if (image.width(), image.height()) == (width, height):
        return image
    scaled = image.scaled(width, height, QtCore.Qt.AspectRatioMode.KeepAspectRatio,
                          QtCore.Qt.TransformationMode.SmoothTransformation)
    if (scaled.width(), scaled.height()) == (width, height):
        return scaled
    out = QtGui.QImage(width, height, QtGui.QImage.Format.Format_RGB32)
    out.fill(QtGui.QColor(style.BACKGROUND))
    p = QtGui.QPainter(out)
    p.drawImage((width - scaled.width()) // 2, (height - scaled.height()) // 2, scaled)
    p.end()
    return out
