"""``QuiverItem``: a vector field on a grid as arrows with heads, coloured by magnitude, drawn as one item.

Every picture is one graphics item fed with numpy arrays and drawn with a few native QPainter
calls: a 64x64 quiver is ~12 000 short lines in ``drawLines`` (one call per colour). The
particles panel is composed in numpy by the display worker (``raster.py``).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from scoreviz.gui.items.field_scale import FieldScale
from scoreviz.gui.items.heat_map import cell_rect
from scoreviz.gui.items.native import NativeArray, ViewClipped


class QuiverItem(ViewClipped, pg.GraphicsObject):
    """A vector field on a grid as arrows with heads, coloured by magnitude, drawn as one item.

    Arrows are centred on their grid points; the longest fills ``fill`` of a grid cell, so a shaft
    never reaches its neighbour. Length and colour follow a ``FieldScale`` (linear, log, or
    direction only). Arrows are laid out in screen pixels (recomputed when the zoom changes): a
    head is always at least ``HEAD_MIN_PX`` (scaled with the stroke width) and an arrow at least
    ``MIN_LENGTH_HEADS`` heads long, so every drawn arrow shows its direction; arrows below
    ``MIN_FRACTION`` of the scale (near-zero fields) are not drawn at all.
    """

    HEAD_MIN_PX = 3.0  # plus 1.5 px per px of stroke width
    MIN_LENGTH_HEADS = 2.0
    MIN_FRACTION = 0.03
    FALLBACK_CELL_PX = 20.0  # the layout before the item has been painted in a view

    def __init__(self, colormap: pg.ColorMap, n_colours: int = 48, fill: float = 0.9,
                 head_fraction: float = 0.34, head_angle_deg: float = 26.0, antialias: bool = True,
                 line_width: float = 1.0):
        super().__init__()
        self._n_colours = n_colours
        self._fill = fill
        self._head = head_fraction
        self._line_width = float(line_width)
        self._cos = math.cos(math.radians(head_angle_deg))
        self._sin = math.sin(math.radians(head_angle_deg))
        self._antialias = antialias
        self._lines = NativeArray(QtCore.QLineF, 4)
        self._runs: list[tuple[int, int, int]] = []  # (first line, line count, colour index)
        self._rect = QtCore.QRectF()
        self._field = None  # (centres x, centres y, unit vectors, length fractions, colour index, cell)
        self._px_per_unit = None  # the screen scale the lines were laid out for
        self.setColorMap(colormap)

    def setColorMap(self, colormap: pg.ColorMap) -> None:
        colours = colormap.map(np.linspace(0.0, 1.0, self._n_colours), mode="qcolor")
        self._pens = []
        for c in colours:
            pen = QtGui.QPen(c)
            pen.setCosmetic(True)
            pen.setWidthF(self._line_width)
            pen.setCapStyle(QtCore.Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(QtCore.Qt.PenJoinStyle.RoundJoin)
            self._pens.append(pen)
        self.update()

    def setLineWidth(self, width: float) -> None:
        """Arrow stroke width in screen pixels (1 by default; talk mode draws thicker)."""
        self._line_width = float(width)
        for pen in self._pens:
            pen.setWidthF(self._line_width)
        self._relayout()

    def lineWidth(self) -> float:
        return self._line_width

    def setHeadFraction(self, fraction: float) -> None:
        """Head length as a fraction of the arrow's length (never below the minimum head)."""
        self._head = float(fraction)
        self._relayout()

    def headFraction(self) -> float:
        return self._head

    def setAntialias(self, on: bool) -> None:
        self._antialias = bool(on)
        self.update()

    def arrowCount(self) -> int:
        return self._lines.size // 3

    def clear(self) -> None:
        self._lines.resize(0)
        self._runs = []
        self._field = None
        self.update()

    def head_min_px(self) -> float:
        return self.HEAD_MIN_PX + 1.5 * self._line_width

    def setField(self, xs: np.ndarray, ys: np.ndarray, vectors: np.ndarray, levels: tuple[float, float] | None = None,
                 length_scale: float | None = None, unit: bool = False, scale: "FieldScale | None" = None) -> None:
        """xs (W,), ys (H,), vectors (H, W, 2), drawn against ``scale`` (or, for the old form, colour
        levels (lo, hi) of the magnitude and the magnitude of a full-length arrow; ``unit``: direction only)."""
        if scale is None:
            ref = float(length_scale if length_scale is not None else (levels[1] if levels else 1.0))
            scale = FieldScale(mode="direction" if unit else "linear", ref=ref, colour_levels=levels)
        xs = np.asarray(xs, dtype=np.float64)
        ys = np.asarray(ys, dtype=np.float64)
        v = np.asarray(vectors, dtype=np.float64).reshape(-1, 2)
        cx, cy = np.meshgrid(xs, ys)
        cx, cy = cx.reshape(-1), cy.reshape(-1)
        m = np.hypot(v[:, 0], v[:, 1])
        frac = scale.length_fraction(m)
        ok = np.isfinite(m) & (m > 0) & np.isfinite(frac) & (frac >= self.MIN_FRACTION)
        cx, cy, v, m, frac = cx[ok], cy[ok], v[ok], m[ok], frac[ok]
        lo, hi = scale.levels
        span = hi - lo if hi > lo else 1.0
        cv = scale.colour_values(m)
        idx = np.clip(((cv - lo) / span) * (self._n_colours - 1) + 0.5, 0, self._n_colours - 1).astype(np.intp)
        order = np.argsort(idx, kind="stable")
        dx = (xs[-1] - xs[0]) / (len(xs) - 1) if len(xs) > 1 else 1.0
        dy = (ys[-1] - ys[0]) / (len(ys) - 1) if len(ys) > 1 else 1.0
        cell = min(abs(dx), abs(dy)) or 1.0
        self._field = (cx[order], cy[order], (v[:, 0] / m)[order], (v[:, 1] / m)[order], frac[order],
                       idx[order], cell)
        counts = np.bincount(idx, minlength=self._n_colours) * 3
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        self._runs = [(int(a), int(n), c) for c, (a, n) in enumerate(zip(starts, counts)) if n > 0]
        self._layout_lines(self._guess_px_per_unit(cell))
        rect = cell_rect(xs, ys) if len(xs) and len(ys) else QtCore.QRectF()
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
        self.update()

    def _guess_px_per_unit(self, cell: float) -> float:
        if self._px_per_unit is not None:
            return self._px_per_unit
        vb = self.getViewBox() if self.parentItem() is not None else None
        if vb is not None and vb.width() > 0:
            try:
                px = vb.viewPixelSize()[0]
            except TypeError:  # no device transform yet (an offscreen scene not shown)
                px = 0.0
            if px and math.isfinite(px) and px > 0:
                return 1.0 / px
        return self.FALLBACK_CELL_PX / cell

    def _relayout(self) -> None:
        if self._field is not None:
            self._layout_lines(self._px_per_unit or self._guess_px_per_unit(self._field[-1]))
        self.update()

    def _layout_lines(self, px_per_unit: float) -> None:
        """The shafts and heads for a screen scale of ``px_per_unit`` pixels per data unit."""
        self._px_per_unit = float(px_per_unit)
        cx, cy, ux, uy, frac, _, cell = self._field
        k = cx.size
        full = self._fill * cell * px_per_unit  # px
        head_min = self.head_min_px()
        shortest = min(full, self.MIN_LENGTH_HEADS * head_min)
        length_px = np.maximum(full * frac, shortest)
        head_px = np.clip(self._head * length_px, min(head_min, 0.5 * full), 0.5 * length_px)
        length, h = length_px / px_per_unit, head_px / px_per_unit
        half = 0.5 * length
        tipx, tipy = cx + half * ux, cy + half * uy
        bx, by = -ux, -uy  # the head's two strokes: the backwards direction rotated by +-angle
        c, s = self._cos, self._sin
        segs = self._lines.resize(3 * k).reshape(k, 3, 4)
        segs[:, 0, 0], segs[:, 0, 1], segs[:, 0, 2], segs[:, 0, 3] = cx - half * ux, cy - half * uy, tipx, tipy
        segs[:, 1, 0], segs[:, 1, 1] = tipx, tipy
        segs[:, 1, 2], segs[:, 1, 3] = tipx + h * (bx * c - by * s), tipy + h * (bx * s + by * c)
        segs[:, 2, 0], segs[:, 2, 1] = tipx, tipy
        segs[:, 2, 2], segs[:, 2, 3] = tipx + h * (bx * c + by * s), tipy + h * (-bx * s + by * c)

    def boundingRect(self) -> QtCore.QRectF:
        return self._clipped(self._rect)

    def paint(self, p: QtGui.QPainter, *args) -> None:
        if not self._runs or self._field is None:
            return
        t = p.transform()
        dpr = p.device().devicePixelRatioF() if p.device() is not None else 1.0
        ppu = math.hypot(t.m11(), t.m12()) / max(dpr, 1e-6)  # logical px per data unit
        if ppu > 0 and math.isfinite(ppu) and (self._px_per_unit is None or abs(ppu / self._px_per_unit - 1) > 0.01):
            self._layout_lines(ppu)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, self._antialias)
        for start, count, colour in self._runs:
            p.setPen(self._pens[colour])
            p.drawLines(self._lines.pointer(start), count)

