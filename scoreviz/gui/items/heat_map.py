"""``HeatMapItem``: a scalar grid as a smooth colour image, and ``cell_rect``, the rectangle a grid covers.

The colour-mapped image is scaled to screen pixels once per zoom and then blitted, so repainting
it under moving particles costs one unscaled drawPixmap.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from scoreviz.gui.items.native import ViewClipped


def cell_rect(xs: np.ndarray, ys: np.ndarray) -> QtCore.QRectF:
    """The rectangle covered by pixels centred on the grid points xs (W,), ys (H,)."""
    dx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1) if len(xs) > 1 else 1.0
    dy = (ys[-1] - ys[0]) / max(len(ys) - 1, 1) if len(ys) > 1 else 1.0
    return QtCore.QRectF(float(xs[0] - dx / 2), float(ys[0] - dy / 2), float(dx * len(xs)), float(dy * len(ys)))


class HeatMapItem(ViewClipped, pg.GraphicsObject):
    """A scalar grid as a smooth colour image.

    The colour-mapped image is scaled to screen pixels once per zoom (bilinear) and then blitted:
    repainting it under moving particles costs one unscaled drawPixmap.
    """

    def __init__(self, colormap: pg.ColorMap):
        super().__init__()
        self._lut = colormap.getLookupTable(0.0, 1.0, 256, alpha=False)  # (256, 3) uint8
        self._image: QtGui.QImage | None = None
        self._values: np.ndarray | None = None
        self._levels = (0.0, 1.0)
        self._rect = QtCore.QRectF()
        self._scaled: tuple | None = None  # (key, pixmap)

    def setColorMap(self, colormap: pg.ColorMap) -> None:
        self._lut = colormap.getLookupTable(0.0, 1.0, 256, alpha=False)
        if self._values is not None:
            self.setImage(self._values, self._levels, self._rect)

    def setImage(self, values: np.ndarray, levels: tuple[float, float], rect: QtCore.QRectF) -> None:
        """values (H, W), row 0 at the bottom of ``rect`` (data coordinates); NaN is transparent."""
        v = np.asarray(values, dtype=np.float32)
        self._values, self._levels = v, (float(levels[0]), float(levels[1]))
        lo, hi = self._levels
        span = hi - lo if hi > lo else 1.0
        idx = np.clip((v - lo) * (255.0 / span), 0, 255)
        finite = np.isfinite(idx)
        idx = np.where(finite, idx, 0).astype(np.uint8)
        rgba = np.empty(v.shape + (4,), np.uint8)
        rgba[..., :3] = self._lut[idx]
        rgba[..., 3] = np.where(finite, 255, 0)
        rgba = np.ascontiguousarray(rgba[::-1])  # QImage row 0 is the top
        h, w = v.shape
        fmt = QtGui.QImage.Format.Format_RGBX8888 if finite.all() else QtGui.QImage.Format.Format_RGBA8888
        img = QtGui.QImage(rgba.data, w, h, 4 * w, fmt)  # opaque when it can be: blits without blending
        self._image = img.copy()  # own the pixels
        self._scaled = None
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = QtCore.QRectF(rect)
        self.update()

    def levels(self) -> tuple[float, float]:
        return self._levels

    def values(self) -> np.ndarray | None:
        return self._values

    def boundingRect(self) -> QtCore.QRectF:
        return self._clipped(self._rect)

    def paint(self, p: QtGui.QPainter, *args) -> None:
        if self._image is None or self._rect.isEmpty():
            return
        target = p.transform().mapRect(self._rect)
        x, y = round(target.left()), round(target.top())
        w, h = max(1, round(target.width())), max(1, round(target.height()))
        if w * h > 4096 * 4096:  # zoomed far in: draw through the transform instead of a huge pixmap
            p.drawImage(self._rect, self._image)
            return
        key = (w, h)
        if self._scaled is None or self._scaled[0] != key:
            img = self._image.scaled(w, h, QtCore.Qt.AspectRatioMode.IgnoreAspectRatio,
                                     QtCore.Qt.TransformationMode.SmoothTransformation)
            self._scaled = (key, QtGui.QPixmap.fromImage(img))
        p.save()
        p.resetTransform()
        p.drawPixmap(x, y, self._scaled[1])
        p.restore()

