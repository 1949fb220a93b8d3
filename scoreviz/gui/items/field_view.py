"""Graphics items that draw score fields and heat maps fast, one item each.

Every picture is one graphics item fed with numpy arrays and drawn with a few native QPainter
calls: a 64x64 quiver is ~12 000 short lines in ``drawLines`` (one call per colour). The
particles panel is composed in numpy by the display worker (``raster.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.core.field_scale import log_levels, magnitude_scale


Box = tuple[float, float, float, float]  # xmin, xmax, ymin, ymax


class _NativeArray:
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


def magnitude(vectors: np.ndarray) -> np.ndarray:
    """Euclidean length of (..., 2) vectors (display only)."""
    return np.hypot(vectors[..., 0], vectors[..., 1])


def cell_rect(xs: np.ndarray, ys: np.ndarray) -> QtCore.QRectF:
    """The rectangle covered by pixels centred on the grid points xs (W,), ys (H,)."""
    dx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1) if len(xs) > 1 else 1.0
    dy = (ys[-1] - ys[0]) / max(len(ys) - 1, 1) if len(ys) > 1 else 1.0
    return QtCore.QRectF(float(xs[0] - dx / 2), float(ys[0] - dy / 2), float(dx * len(xs)), float(dy * len(ys)))


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


@dataclass(frozen=True)
class AxisLook:
    """What presentation styling changes on a pyqtgraph AxisItem, captured so it can be put back exactly."""

    tick_font: QtGui.QFont | None  # None: the widget's font
    label_style: dict  # CSS of the axis label, e.g. {"color": "#7d8594", "font-size": "10pt"}
    fixed_width: float | None  # space for ticks and labels (None: automatic)
    fixed_height: float | None
    text_width: float  # the automatic space pyqtgraph has grown to fit the tick labels
    text_height: float

    @classmethod
    def of(cls, axis: pg.AxisItem) -> "AxisLook":
        return cls(axis.style["tickFont"], dict(axis.labelStyle), axis.fixedWidth, axis.fixedHeight,
                   axis.textWidth, axis.textHeight)

    def scaled(self, factor: float, base_font: QtGui.QFont) -> "AxisLook":
        """The same axis with fonts and reserved space ``factor`` times larger."""
        font = QtGui.QFont(self.tick_font if self.tick_font is not None else base_font)
        font.setPointSizeF(font.pointSizeF() * factor)
        style = dict(self.label_style)
        size = _css_points(style.get("font-size"), base_font)
        style["font-size"] = f"{size * factor:.3g}pt"

        def grow(v):
            return None if v is None else round(v * factor)

        return AxisLook(font, style, grow(self.fixed_width), grow(self.fixed_height),
                        grow(self.text_width), grow(self.text_height))

    def apply(self, axis: pg.AxisItem) -> None:
        axis.setTickFont(self.tick_font)
        axis.textWidth, axis.textHeight = self.text_width, self.text_height
        axis.labelStyle = dict(self.label_style)
        # re-render the label with its style (text and units unchanged); then reserve the space
        axis.setLabel(axis.labelText or None, axis.labelUnits or None, axis.labelUnitPrefix or None)
        if axis.orientation in ("left", "right"):
            axis.setWidth(self.fixed_width)
        else:
            axis.setHeight(self.fixed_height)


def _css_points(size: str | None, base_font: QtGui.QFont) -> float:
    """A CSS font size ("10pt", "14px") in points; the base font's size when there is none."""
    if size:
        text = size.strip().lower()
        try:
            if text.endswith("pt"):
                return float(text[:-2])
            if text.endswith("px"):
                return float(text[:-2]) * 0.75
        except ValueError:
            pass
    return base_font.pointSizeF() if base_font.pointSizeF() > 0 else 9.0


class _ViewClipped:
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


class QuiverItem(_ViewClipped, pg.GraphicsObject):
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
        self._lines = _NativeArray(QtCore.QLineF, 4)
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


class HeatMapItem(_ViewClipped, pg.GraphicsObject):
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


SCALE_MODES = {
    "linear": "length and colour grow linearly with |s|",
    "log": "length and colour follow log10 |s| over three decades",
    "direction": "equal lengths (direction only); colour shows |s|",
}


@dataclass(frozen=True)
class FieldScale:
    """How field magnitudes map to arrow length and colour; shared by the learned and true panels.

    ``ref`` is the field's robust magnitude (``core.field_scale.magnitude_scale``: the
    density-weighted 95 % quantile of |s| in view). linear: a full-length arrow and the top colour
    at ``ref``; log: log10 |s| from 10^-2.5 ref to 10^0.5 ref; direction: equal lengths, colour linear.
    """

    mode: str = "linear"
    ref: float = 1.0
    colour_levels: tuple[float, float] | None = None  # overrides the mode's levels (old callers)

    def __post_init__(self):
        if self.mode not in SCALE_MODES:
            raise ValueError(f"scale mode '{self.mode}' is not known; choose one of {', '.join(SCALE_MODES)}")

    @property
    def levels(self) -> tuple[float, float]:
        if self.colour_levels is not None:
            return (float(self.colour_levels[0]), float(self.colour_levels[1]))
        if self.mode == "log":
            return log_levels(self.ref)
        return (0.0, float(self.ref))

    @property
    def length(self) -> float:
        return float(self.ref)

    def colour_values(self, m: np.ndarray) -> np.ndarray:
        """What the colour bar's axis measures for magnitudes ``m``: |s|, or log10 |s| in log mode."""
        m = np.asarray(m, dtype=np.float64)
        if self.mode == "log":
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.log10(m)
        return m

    def length_fraction(self, m: np.ndarray) -> np.ndarray:
        """An arrow's length as a fraction of the full length, in [0, 1]."""
        m = np.asarray(m, dtype=np.float64)
        if self.mode == "direction":
            return np.where(m > 0, 1.0, 0.0)
        if self.mode == "log":
            lo, hi = log_levels(self.ref)
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.clip((np.log10(m) - lo) / (hi - lo), 0.0, 1.0)
        return np.clip(m / max(self.ref, 1e-30), 0.0, 1.0)

    def label(self) -> str:
        """The colour bar's caption: the mode and what its axis shows."""
        return {"linear": "|s| (linear)", "log": "log₁₀|s| (log)", "direction": "|s| (direction only)"}[self.mode]

    def with_mode(self, mode: str) -> "FieldScale":
        return FieldScale(mode=mode, ref=self.ref)

    @classmethod
    def from_field(cls, vectors: np.ndarray | None, log_density: np.ndarray | None = None,
                   mode: str = "linear") -> "FieldScale":
        return cls(mode=mode, ref=magnitude_scale(vectors, log_density))


def error_levels(scale: FieldScale) -> tuple[float, float]:
    """log10 ‖s_θ − ∇log q‖ levels of the error panel: the same three decades as the field's log mode."""
    return log_levels(scale.ref)


def log_error(error: np.ndarray) -> np.ndarray:
    """log10 of an error magnitude grid for the error panel (0 becomes -inf: the darkest colour)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log10(np.asarray(error, dtype=np.float32))
    return np.where(np.isneginf(out), np.float32(-1e30), out).astype(np.float32)
