"""The frames of a recording: the thread that converts and compresses captured images, and frame fitting.

``Compressor`` takes the QImages the GUI thread captures (or ``REPEAT``: the last frame again) and
appends them, in order and at one size (``fit``: scaled and letterboxed), to a ``FrameStore``; the
first ``RAW_BYTES`` are kept as they are, later frames zlib-compressed. ``STOP`` ends the thread.
``one_line`` is the one-line form of an error the recording modules show.
"""

from __future__ import annotations

import queue
import threading

from PySide6 import QtCore, QtGui

from scoreviz.gui import style
from scoreviz.gui.offscreen.snapshot_render import qimage_rgb

RAW_BYTES = 512 << 20  # the first frames, up to this, are kept uncompressed (~180 frames of 1280x720, 9 s)

STOP = object()
REPEAT = object()


def one_line(e: BaseException) -> str:
    """The first non-blank line of an exception's message (its type's name when it has none)."""
    lines = [ln for ln in str(e).strip().splitlines() if ln.strip()]
    return lines[0] if lines else type(e).__name__


class Compressor(threading.Thread):
    """Turns captured QImages into compressed frames of one size, in order, off the GUI thread."""

    def __init__(self, store, width: int, height: int):
        super().__init__(name="scoreviz-recorder", daemon=True)
        self.store = store
        self.size = (width, height)
        self.jobs: queue.Queue = queue.Queue()
        self.error: str | None = None


    def run(self) -> None:
        while True:
            item = self.jobs.get()
            if item is STOP:
                return
            if self.error is not None:
                continue  # drain: the GUI stops the recording and says why
            try:
                if item is REPEAT:
                    self.store.repeat_last()
                else:  # the first RAW_BYTES are kept as they are: short recordings cost no compression
                    self.store.append(qimage_rgb(fit(item, *self.size)), compress=self.store.nbytes >= RAW_BYTES)
            except Exception as e:  # out of memory, ...: reported by the controller
                self.error = one_line(e)


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
