"""The linked panels: learned field, true field, particles over the density, and the error.

``ScorePanels.show_frame(frame)`` draws a worker ``Frame``; the window and the headless
snapshot renderer use the same widget, so the PNG is exactly what the window shows.
"""

from __future__ import annotations

import time

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.gui import style
from scoreviz.gui.field_view import AxisLook, FieldScale, HeatMapItem, NativePaint, QuiverItem, cell_rect
from scoreviz.gui.raster import RasterTarget

PANEL_MIN_PX = 220
TITLE_PT = 10.0  # panel titles
TITLE_ROW_PX = 30  # pyqtgraph's title row at TITLE_PT
# presentation (talk mode): fonts this many times larger, thicker arrows with longer heads
PRESENTATION_SCALE = 1.6
PRESENTATION_ARROW_WIDTH = 2.2
PRESENTATION_HEAD_FRACTION = 0.42


class BrushViewBox(pg.ViewBox):
    """A ViewBox whose left/right drags paint/erase while the brush is on (pan/zoom otherwise)."""

    sigBrush = QtCore.Signal(object, bool, bool)  # (x, y) in data coords, erase, stroke finished
    sigHover = QtCore.Signal(object)  # (x, y) or None when the pointer left

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.brush_enabled = False

    def _brush_button(self, ev):
        b = ev.button()
        if b == QtCore.Qt.MouseButton.LeftButton:
            return "paint" if not (ev.modifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier) else "erase"
        if b == QtCore.Qt.MouseButton.RightButton:
            return "erase"
        return None

    def mouseDragEvent(self, ev, axis=None):
        kind = self._brush_button(ev) if self.brush_enabled else None
        if kind is None:
            return super().mouseDragEvent(ev, axis)
        ev.accept()
        p = self.mapSceneToView(ev.scenePos())
        self.sigBrush.emit((p.x(), p.y()), kind == "erase", bool(ev.isFinish()))
        self.sigHover.emit((p.x(), p.y()))

    def mouseClickEvent(self, ev):
        kind = self._brush_button(ev) if self.brush_enabled else None
        if kind is None:
            return super().mouseClickEvent(ev)
        ev.accept()
        p = self.mapSceneToView(ev.scenePos())
        self.sigBrush.emit((p.x(), p.y()), kind == "erase", True)

    def hoverEvent(self, ev):
        if not self.brush_enabled:
            return
        if ev.isExit():
            self.sigHover.emit(None)
        else:
            p = self.mapSceneToView(ev.scenePos())
            self.sigHover.emit((p.x(), p.y()))


def _html(text: str, colour: str = style.FOREGROUND, size: str = "10pt") -> str:
    return f'<span style="color:{colour}; font-size:{size};">{text}</span>'


class LinkedViews:
    """The view of linked, aspect-locked panels, read and set through one of them (``_view_plot()``);
    ``_density_box`` is the density's own box (Home)."""

    def _view_plot(self) -> pg.PlotItem:
        raise NotImplementedError

    def set_view_box(self, box) -> None:
        xmin, xmax, ymin, ymax = box
        self._view_plot().getViewBox().setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0.02)

    def reset_view(self) -> None:
        if self._density_box is not None:
            self.set_view_box(self._density_box)

    def visible_box(self):
        (x0, x1), (y0, y1) = self._view_plot().getViewBox().viewRange()
        return (float(x0), float(x1), float(y0), float(y1))

    def field_box(self):
        """The square the fields are evaluated on: it covers the visible range, so grid cells stay square."""
        x0, x1, y0, y1 = self.visible_box()
        cx, cy, half = (x0 + x1) / 2, (y0 + y1) / 2, max(x1 - x0, y1 - y0) / 2
        return (cx - half, cx + half, cy - half, cy + half)


class ScorePanels(LinkedViews, NativePaint, pg.GraphicsLayoutWidget):
    """Three (or four) linked panels sharing zoom and pan, each with axes, a title and a colour bar."""

    sigViewBoxChanged = QtCore.Signal(object)  # field_box(): (xmin, xmax, ymin, ymax) covering what the user sees
    sigPainted = QtCore.Signal(float)  # perf_counter() time of a paint that showed a new frame
    sigRasterTargetChanged = QtCore.Signal(object)  # RasterTarget of the particles panel (visible rect, pixels)

    def __init__(self, parent=None):
        style.configure_pyqtgraph()
        super().__init__(parent)
        self.setMinimumSize(3 * PANEL_MIN_PX, PANEL_MIN_PX)
        self.ci.setSpacing(4)
        self.ci.setContentsMargins(4, 4, 4, 4)

        self.learned_plot = self._plot()
        self.true_plot = self._plot()
        self.brush_view = BrushViewBox()
        self.particles_plot = self._plot(viewBox=self.brush_view)
        self.error_plot = self._plot()
        for p in (self.true_plot, self.particles_plot, self.error_plot):
            p.setXLink(self.learned_plot)
            p.setYLink(self.learned_plot)

        self.learned_quiver = QuiverItem(style.arrow_colormap())
        self.true_quiver = QuiverItem(style.arrow_colormap())
        self.learned_plot.addItem(self.learned_quiver)
        self.true_plot.addItem(self.true_quiver)

        # the heat map and the particles, made by the display worker at screen resolution (raster.py);
        # native pixmap items: painting and blending them runs no Python
        self.heat_image = self._pixmap_item(-10)
        self.dots_image = self._pixmap_item(0)
        self._raster_target = None

        self.error_image = HeatMapItem(style.error_colormap())
        self.error_plot.addItem(self.error_image)

        self.field_bar = pg.ColorBarItem(values=(0, 1), colorMap=style.arrow_colormap(), interactive=False,
                                         width=12, label="|score|", colorMapMenu=False)
        self.density_bar = pg.ColorBarItem(values=(-10, 0), colorMap=style.density_colormap(), interactive=False,
                                           width=12, label="log p", colorMapMenu=False)
        self.error_bar = pg.ColorBarItem(values=(0, 1), colorMap=style.error_colormap(), interactive=False,
                                         width=12, label="|error|", colorMapMenu=False)
        for bar in (self.field_bar, self.density_bar, self.error_bar):
            bar.axis.setWidth(40)
            bar.getAxis("left").setWidth(14)

        self._error_visible = False
        self._layout()
        self._title_pt = TITLE_PT
        self._title_args = (None, "", "")
        self._presentation: dict | None = None  # what set_presentation(True) changed, to put back

        self._unit = False
        self._scale = FieldScale()
        self._scale_key = None
        self._drawn = {}  # what is on screen: id()s of the arrays last drawn, titles
        self._density_box = None
        self._new_frame_pending = False
        self._suppress_view_signal = False
        self.learned_plot.getViewBox().sigRangeChanged.connect(self._range_changed)
        self.brush_view.sigRangeChanged.connect(self._raster_changed)
        self.brush_view.sigResized.connect(self._raster_changed)
        self.paint_natively([p.getViewBox() for p in (self.learned_plot, self.true_plot, self.particles_plot,
                                                     self.error_plot, self.field_bar, self.density_bar, self.error_bar)],
                            self._before_paint)
        self._set_titles(sigma=None, objective="", sampler="")

    # ------------------------------------------------------------------ building
    def _plot(self, viewBox=None) -> pg.PlotItem:
        p = pg.PlotItem(viewBox=viewBox)
        # equal shares of the row whatever the title's length
        p.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding)
        p.setPreferredSize(400, 400)
        p.titleLabel.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
        p.setAspectLocked(True)
        p.hideButtons()
        p.setMenuEnabled(False)
        p.showGrid(x=False, y=False)
        for name in ("left", "bottom"):
            ax = p.getAxis(name)
            ax.setTextPen(style.MUTED)
            ax.setPen(style.MUTED)
            # repainted from a pixmap while the range is unchanged: no Python per frame
            ax.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        p.getAxis("left").setWidth(34)
        if viewBox is None:  # the particles panel is covered by its heat map
            p.vb.setBackgroundColor(QtGui.QColor(style.BACKGROUND).darker(115))
        p.vb.disableAutoRange()
        return p

    def _layout(self) -> None:
        ci = self.ci
        ci.addItem(self.learned_plot, 0, 0)
        ci.addItem(self.true_plot, 0, 1)
        ci.addItem(self.field_bar, 0, 2)
        ci.addItem(self.particles_plot, 0, 3)
        ci.addItem(self.density_bar, 0, 4)
        if self._error_visible:
            ci.addItem(self.error_plot, 0, 5)
            ci.addItem(self.error_bar, 0, 6)
        for col in (0, 1, 3, 5):
            ci.layout.setColumnStretchFactor(col, 1 if (col != 5 or self._error_visible) else 0)

    def set_error_visible(self, on: bool) -> None:
        on = bool(on)
        if on == self._error_visible:
            return
        self._error_visible = on
        if not on:
            for item in (self.error_plot, self.error_bar):
                self.ci.removeItem(item)
                item.hide()
            self.ci.layout.setColumnStretchFactor(5, 0)
        else:
            self.error_plot.show()
            self.error_bar.show()
            self.ci.addItem(self.error_plot, 0, 5)
            self.ci.addItem(self.error_bar, 0, 6)
            self.ci.layout.setColumnStretchFactor(5, 1)
        # the panels changed shape: fit the density's box again (linked, aspect-locked views)
        QtCore.QTimer.singleShot(0, self.reset_view)

    def error_visible(self) -> bool:
        return self._error_visible

    def set_unit_arrows(self, on: bool) -> None:
        self._unit = bool(on)
        self._drawn.pop("learned", None)
        self._drawn.pop("true", None)
        self._redraw_fields()

    def unit_arrows(self) -> bool:
        return self._unit

    def field_scale(self) -> FieldScale:
        """How field magnitudes map to arrow length and colour (learned, true and error panels)."""
        return self._scale

    def set_field_scale(self, scale: FieldScale) -> None:
        """Draw the fields with ``scale`` until the target changes (figures of another view use the window's)."""
        self._scale = scale
        self.field_bar.setLevels(scale.levels)
        self.error_bar.setLevels(scale.levels)
        for key in ("learned", "true", "error"):
            self._drawn.pop(key, None)
        self._redraw_fields()

    def set_antialias(self, on: bool) -> None:
        self.learned_quiver.setAntialias(on)
        self.true_quiver.setAntialias(on)

    def axes(self) -> list[pg.AxisItem]:
        """Every axis with ticks or a label: the panels' left and bottom, the colour bars' scale and label."""
        out = [p.getAxis(name) for p in (self.learned_plot, self.true_plot, self.particles_plot, self.error_plot)
               for name in ("left", "bottom")]
        for bar in (self.field_bar, self.density_bar, self.error_bar):
            out += [bar.axis, bar.getAxis("left")]
        return out

    def set_presentation(self, on: bool, scale: float = PRESENTATION_SCALE) -> None:
        """Talk mode: titles, ticks and colour-bar labels ``scale`` times larger, thicker arrows with
        longer heads. Off puts back exactly what was there before."""
        on = bool(on)
        if on == (self._presentation is not None):
            return
        quivers = (self.learned_quiver, self.true_quiver)
        if on:
            base = self.font()
            looks = {ax: AxisLook.of(ax) for ax in self.axes()}
            self._presentation = {"axes": looks, "title_pt": self._title_pt,
                                  "arrows": [(q.lineWidth(), q.headFraction()) for q in quivers]}
            for ax, look in looks.items():
                look.scaled(scale, base).apply(ax)
            for q in quivers:
                q.setLineWidth(PRESENTATION_ARROW_WIDTH)
                q.setHeadFraction(PRESENTATION_HEAD_FRACTION)
            self._title_pt = TITLE_PT * scale
        else:
            saved, self._presentation = self._presentation, None
            for ax, look in saved["axes"].items():
                look.apply(ax)
            for q, (width, head) in zip(quivers, saved["arrows"]):
                q.setLineWidth(width)
                q.setHeadFraction(head)
            self._title_pt = saved["title_pt"]
        self._drawn.pop("titles", None)
        self._set_titles(*self._title_args)
        self._drawn.pop("learned", None)  # heads are computed with the field
        self._drawn.pop("true", None)
        self._redraw_fields()

    def presentation(self) -> bool:
        return self._presentation is not None

    # ------------------------------------------------------------------ view
    def _view_plot(self) -> pg.PlotItem:
        return self.learned_plot

    def raster_target(self) -> RasterTarget | None:
        """The particles panel's visible rect and its size in device pixels."""
        vb = self.brush_view
        r = vb.viewRect()
        size = vb.size()
        dpr = self.devicePixelRatioF()
        w, h = int(round(size.width() * dpr)), int(round(size.height() * dpr))
        if w < 2 or h < 2 or r.width() <= 0 or r.height() <= 0:
            return None
        return RasterTarget((r.left(), r.right(), r.top(), r.bottom()), w, h)

    def _raster_changed(self, *_):
        t = self.raster_target()
        if t is not None and t != self._raster_target:
            self._raster_target = t
            self.sigRasterTargetChanged.emit(t)

    def _range_changed(self, *_):
        if not self._suppress_view_signal:
            self.sigViewBoxChanged.emit(self.field_box())

    # ------------------------------------------------------------------ drawing
    def _set_titles(self, sigma, objective: str, sampler: str) -> None:
        key = (sigma, objective, sampler)
        if self._drawn.get("titles") == key:
            return
        self._drawn["titles"] = key
        self._title_args = key
        size = f"{self._title_pt:.3g}pt"
        if sigma:
            true_title = f"True score ∇log p<sub>σ</sub>, σ = {sigma:.3g}"
            err_title = "Error ‖s<sub>θ</sub> − ∇log p<sub>σ</sub>‖"
        else:
            true_title = "True score ∇log p"
            err_title = "Error ‖s<sub>θ</sub> − ∇log p‖"
        self.learned_plot.setTitle(_html("Learned score s<sub>θ</sub>" + (f" · {objective}" if objective else ""), size=size))
        self.true_plot.setTitle(_html(true_title, size=size))
        self.particles_plot.setTitle(_html("Particles" + (f" · {sampler}" if sampler else ""), size=size))
        self.error_plot.setTitle(_html(err_title, size=size))
        row = round(TITLE_ROW_PX * self._title_pt / TITLE_PT)
        for p in (self.learned_plot, self.true_plot, self.particles_plot, self.error_plot):
            p.titleLabel.setMinimumWidth(0)  # a long title must not widen its panel (the panels stay equal)
            if row != TITLE_ROW_PX:  # setTitle fixed the row at pyqtgraph's 30 px
                p.titleLabel.setMaximumHeight(row)
                p.layout.setRowFixedHeight(0, row)

    def show_frame(self, frame) -> None:
        """Draw a worker Frame: fields, particles, heat maps, titles."""
        snap = frame.snapshot
        st = frame.state
        density_box = tuple(getattr(st.density, "box", snap.box))
        if density_box != self._density_box:
            self._density_box = density_box
            self._suppress_view_signal = True
            try:
                self.set_view_box(density_box)
            finally:
                self._suppress_view_signal = False
            self.sigViewBoxChanged.emit(self.field_box())

        self._set_titles(sigma=snap.sigma if snap.sigma > 0 else None, objective=snap.objective,
                         sampler=f"{frame.sampler_note} · {st.cfg.sampler.score_source} score")

        if snap.true is not None and self._drawn.get("true_src") is not snap.true:
            self._drawn["true_src"] = snap.true
            scale_key = (id(st.density), snap.sigma, snap.objective)
            if scale_key != self._scale_key:  # colours and lengths follow the target, not the zoom
                self._scale_key = scale_key
                self._scale = FieldScale.from_field(snap.true)
                self.field_bar.setLevels(self._scale.levels)
                self.error_bar.setLevels(self._scale.levels)
                self._drawn.pop("learned", None)
            self._drawn.pop("true", None)
        self._fields = (snap.xs, snap.ys, snap.learned, snap.true)
        self._redraw_fields()

        if frame.heat is not None and self._drawn.get("heat") is not frame.heat:
            self._drawn["heat"] = frame.heat
            self._show_raster(self.heat_image, frame.heat, QtGui.QImage.Format.Format_RGB32)
            self.density_bar.setLevels(frame.heat.levels)
        if frame.dots is not None:
            self._show_raster(self.dots_image, frame.dots, QtGui.QImage.Format.Format_ARGB32_Premultiplied)

        if self._error_visible and snap.error is not None and self._drawn.get("error") is not snap.error:
            self._drawn["error"] = snap.error
            self.error_image.setImage(snap.error, self._scale.levels, cell_rect(snap.xs, snap.ys))
        self._new_frame_pending = True

    def _pixmap_item(self, z: float) -> QtWidgets.QGraphicsPixmapItem:
        item = QtWidgets.QGraphicsPixmapItem()
        item.setTransformationMode(QtCore.Qt.TransformationMode.SmoothTransformation)
        item.setShapeMode(QtWidgets.QGraphicsPixmapItem.ShapeMode.BoundingRectShape)
        item.setZValue(z)
        self.particles_plot.addItem(item, ignoreBounds=True)
        return item

    @staticmethod
    def _show_raster(item: QtWidgets.QGraphicsPixmapItem, raster, fmt) -> None:
        px = raster.pixels
        h, w = px.shape
        img = QtGui.QImage(px.data, w, h, 4 * w, fmt)
        item.setPixmap(QtGui.QPixmap.fromImage(img))  # a copy: the array may go
        x0, x1, y0, y1 = raster.target.rect  # pixel (0, 0) at the top left of the rect
        t = QtGui.QTransform((x1 - x0) / w, 0, 0, -(y1 - y0) / h, x0, y1)
        if item.transform() != t:
            item.setTransform(t)

    def shown_particles(self) -> QtGui.QImage:
        """The particle layer on screen now (for tests and pictures)."""
        return self.dots_image.pixmap().toImage()

    def _redraw_fields(self) -> None:
        fields = getattr(self, "_fields", None)
        if fields is None:
            return
        xs, ys, learned, true = fields
        for name, item, vec in (("learned", self.learned_quiver, learned), ("true", self.true_quiver, true)):
            if vec is None or self._drawn.get(name) is vec:
                continue
            item.setField(xs, ys, vec, self._scale.levels, self._scale.length, unit=self._unit)
            self._drawn[name] = vec

    def _before_paint(self) -> None:
        if self._new_frame_pending:
            self._new_frame_pending = False
            self.sigPainted.emit(time.perf_counter())
