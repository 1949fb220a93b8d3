"""The point probe's marks: ``PinMarks`` (the pinned points; drag one to move it, right-click removes
it) and ``TweedieArrows`` (an arrow from each pin to Tweedie's denoised estimate)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

PIN_COLOURS = ("#ff5c8a", "#ffd166", "#4cc9f0", "#b8f35a")  # pin 1..4, the same in the Probe panel
PIN_SIZE = 11
HEAD_FRACTION = 0.25  # arrow head strokes, as a fraction of the arrow's length
HEAD_ANGLE_DEG = 150.0


class PinMarks(pg.ScatterPlotItem):
    """Numbered pins on one panel. Emits ``sigDragged(i, x, y)`` while pin i is dragged and
    ``sigRemove(i)`` when it is right-clicked; a drag that does not start on a pin pans the view."""

    sigDragged = QtCore.Signal(int, float, float)
    sigRemove = QtCore.Signal(int)

    def __init__(self):
        super().__init__(size=PIN_SIZE, pxMode=True, symbol="o")
        self.setZValue(60)
        self._drag: int | None = None
        self.setVisible(False)  # no pins yet

    def setPins(self, pins) -> None:
        n = len(pins)
        pos = np.asarray(pins, dtype=float).reshape(n, 2)
        self.setData(pos=pos, data=list(range(n)),
                     brush=[pg.mkBrush(PIN_COLOURS[i % len(PIN_COLOURS)]) for i in range(n)],
                     pen=[pg.mkPen("k", width=1.5) for _ in range(n)])
        self.setVisible(n > 0)  # an empty scatter still costs a Python paint every frame

    def pin_at(self, pos: QtCore.QPointF) -> int | None:
        pts = self.pointsAt(pos)
        return int(pts[0].data()) if len(pts) else None

    def mouseDragEvent(self, ev) -> None:
        if ev.button() != QtCore.Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        if ev.isStart():
            self._drag = self.pin_at(ev.buttonDownPos())
        if self._drag is None:
            ev.ignore()  # not on a pin: the view pans
            return
        ev.accept()
        p = ev.pos()
        self.sigDragged.emit(self._drag, float(p.x()), float(p.y()))
        if ev.isFinish():
            self._drag = None

    def mouseClickEvent(self, ev) -> None:
        i = self.pin_at(ev.pos())
        if i is None:
            ev.ignore()
            return
        ev.accept()  # a click on a pin never makes another pin
        if ev.button() == QtCore.Qt.MouseButton.RightButton:
            self.sigRemove.emit(i)


class TweedieArrows(pg.PlotCurveItem):
    """Arrows from pins to their denoised estimates, drawn as segment pairs (shaft and two head strokes)."""

    def __init__(self):
        pen = pg.mkPen(QtGui.QColor("#ffffff"), width=1.6)
        pen.setCosmetic(True)
        super().__init__(connect="pairs", pen=pen)
        self.setZValue(55)
        self.setVisible(False)  # no arrows yet

    def setArrows(self, starts, ends) -> None:
        x, y = arrow_pairs(starts, ends)
        self.setData(x, y)
        self.setVisible(len(x) > 0)  # an empty curve still costs a Python paint every frame


def arrow_pairs(starts, ends) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) vertex arrays of segment pairs for arrows from ``starts`` (n, 2) to ``ends`` (n, 2)."""
    a = np.asarray(starts, dtype=float).reshape(-1, 2)
    b = np.asarray(ends, dtype=float).reshape(-1, 2)
    d = (b - a) * HEAD_FRACTION
    c, s = np.cos(np.deg2rad(HEAD_ANGLE_DEG)), np.sin(np.deg2rad(HEAD_ANGLE_DEG))
    left = np.stack([c * d[:, 0] - s * d[:, 1], s * d[:, 0] + c * d[:, 1]], 1)
    right = np.stack([c * d[:, 0] + s * d[:, 1], -s * d[:, 0] + c * d[:, 1]], 1)
    segs = np.stack([a, b, b, b + left, b, b + right], 1).reshape(-1, 2)  # (6n, 2)
    return segs[:, 0], segs[:, 1]
