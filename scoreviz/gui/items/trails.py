"""``TrailsItem``: the recent paths of some particles as fading lines, drawn as one item.

``setTrails(path)`` takes positions (K, M, 2), oldest first, of M particles at the last K frames.
Segment k (from frame k to k + 1) is drawn with opacity growing with k, so each path fades towards
its past; the newest segment is the most opaque. All segments of one age are one ``drawLines`` call
(K - 1 calls a paint), from a C array with no per-particle Python. Non-finite positions (a particle
that diverged) break the path there.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from scoreviz.gui.items.native import NativeArray, ViewClipped

MIN_ALPHA = 0.08  # the oldest segment's opacity; the newest is MAX_ALPHA
MAX_ALPHA = 0.6  # trails show the flow over the density, never hide it


class TrailsItem(ViewClipped, pg.GraphicsObject):
    """Fading paths of particles; see the module's description."""

    def __init__(self, colour: str = "#ffd166", width: float = 1.0):  # wider cosmetic pens stroke ~10x slower
        super().__init__()
        self._colour = QtGui.QColor(colour)
        self._width = float(width)
        self._lines = NativeArray(QtCore.QLineF, 4)
        self._runs: list[tuple[int, int, QtGui.QPen]] = []  # (first line, count, pen) per age
        self._rect = QtCore.QRectF()

    def segmentCount(self) -> int:
        """Segments drawn (for tests)."""
        return self._lines.size

    def clear(self) -> None:
        self.setTrails(None)

    def setTrails(self, path) -> None:
        """path: (K, M, 2) positions oldest first, or None / K < 2 for nothing."""
        self.prepareGeometryChange()
        self._runs = []
        if path is None or len(path) < 2:
            self._lines.resize(0)
            self._rect = QtCore.QRectF()
            self.update()
            return
        p = np.asarray(path, dtype=np.float64)
        k, m = p.shape[0], p.shape[1]
        a, b = p[:-1], p[1:]  # (K-1, M, 2) segment ends
        ok = np.isfinite(a).all(-1) & np.isfinite(b).all(-1)  # (K-1, M)
        counts = ok.sum(1)
        lines = self._lines.resize(int(counts.sum()))
        seg = np.concatenate([a, b], axis=-1)  # (K-1, M, 4): x0 y0 x1 y1
        lines[:] = seg[ok]
        start = 0
        for age in range(k - 1):
            n = int(counts[age])
            if n:
                frac = (age + 1) / (k - 1)
                c = QtGui.QColor(self._colour)
                c.setAlphaF(MIN_ALPHA + (MAX_ALPHA - MIN_ALPHA) * frac)
                pen = QtGui.QPen(c, self._width)
                pen.setCosmetic(True)
                pen.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)  # round caps mark the quiver's strokes in SVG figures
                self._runs.append((start, n, pen))
            start += n
        if lines.shape[0]:
            xs, ys = lines[:, 0::2], lines[:, 1::2]
            self._rect = QtCore.QRectF(QtCore.QPointF(xs.min(), ys.min()), QtCore.QPointF(xs.max(), ys.max()))
        else:
            self._rect = QtCore.QRectF()
        self.update()

    def boundingRect(self) -> QtCore.QRectF:
        return self._clipped(self._rect)

    def paint(self, p: QtGui.QPainter, *args) -> None:
        if not self._runs:
            return
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        for start, count, pen in self._runs:
            p.setPen(pen)
            p.drawLines(self._lines.pointer(start), count)
