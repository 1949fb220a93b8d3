"""Native painting helpers shared by the graphics items: paint in Qt's C++, hand QPainter C arrays.

``NativePaint`` is a mixin for pyqtgraph GraphicsViews that paints in Qt's C++ instead of pyqtgraph's
Python paintEvent; ``NativeArray`` is a C array of Qt value types (QLineF, PixmapFragment) in a
numpy buffer, handed to QPainter without copies; ``ViewClipped`` clips an item's bounding rect to
its ViewBox's visible range so a changing item never repaints its neighbours.
"""

from __future__ import annotations

import numpy as np
import shiboken6
from PySide6 import QtCore, QtWidgets


class NativeArray:
    """A C array of Qt value types (QLineF, PixmapFragment) stored in a float64 numpy buffer.

    QPainter's ``drawLines(const QLineF*, int)`` and ``drawPixmapFragments(const PixmapFragment*, int, ...)``
    take a pointer to the first element: we hand them a wrapper around the buffer's address, no copies.
    """

    def __init__(self, klass, nfields: int):
        self._klass = klass
        self._nfields = nfields
        self._buffer = np.zeros((0, nfields))
        self.size = 0

    def resize(self, n: int) -> np.ndarray:
        if n > self._buffer.shape[0]:
            self._buffer = np.zeros((max(n, 16), self._nfields))
        self.size = n
        return self._buffer[:n]

    def pointer(self, start: int = 0):
        return shiboken6.wrapInstance(self._buffer.ctypes.data + start * 8 * self._nfields, self._klass)


class NativePaint:
    """Mixin for pyqtgraph GraphicsViews: paint in Qt's C++ instead of pyqtgraph's Python paintEvent.

    Qt then holds no Python lock while it composites; only the items' own ``paint()`` run Python, so
    the training thread keeps its core. The ``prepareForPaint`` that pyqtgraph's paintEvent ran
    (deferred ViewBox matrices) runs from an event filter just before each paint, for the views
    that need it.
    """

    paintEvent = QtWidgets.QGraphicsView.paintEvent

    def paint_natively(self, view_boxes, before_paint=None) -> None:
        self._native_boxes = list(view_boxes)
        self._before_paint_hook = before_paint
        self.viewport().installEventFilter(self)

    def eventFilter(self, obj, ev) -> bool:
        if ev.type() == QtCore.QEvent.Type.Paint and obj is self.viewport():
            for vb in self._native_boxes:
                if vb._matrixNeedsUpdate or vb._autoRangeNeedsUpdate:
                    vb.prepareForPaint()
            if self._before_paint_hook is not None:
                self._before_paint_hook()
        return False


class ViewClipped:
    """Items whose bounding rect is clipped to the visible range of their ViewBox.

    Qt repaints an item's whole bounding rect when it changes; clipping it to the view keeps
    axes, titles and neighbouring panels out of every frame's repaint.
    """

    _view_rect: QtCore.QRectF | None = None

    def viewRangeChanged(self):
        self.prepareGeometryChange()
        self._view_rect = None

    def _visible(self) -> QtCore.QRectF | None:
        if self._view_rect is None:
            vr = self.viewRect()
            if vr is None:
                return None
            self._view_rect = QtCore.QRectF(vr)
        return self._view_rect

    def _clipped(self, rect: QtCore.QRectF) -> QtCore.QRectF:
        v = self._visible()
        return QtCore.QRectF(rect) if v is None else rect.intersected(v)

