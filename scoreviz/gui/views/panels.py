"""The linked panels: learned field, true field, particles over the density, and the error.

``ScorePanels.show_frame(frame)`` draws a worker ``Frame``; the window and the headless
snapshot renderer use the same widget, so the PNG is exactly what the window shows.
"""

from __future__ import annotations

import re
import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.gui import style
from scoreviz.gui.i18n import N_, tr, note_text
from scoreviz.gui.views import square_layout
from scoreviz.gui.items.axis_look import AxisLook
from scoreviz.gui.items.field_scale import SCALE_MODES, FieldScale, error_levels, log_error
from scoreviz.gui.items.heat_map import HeatMapItem, cell_rect
from scoreviz.gui.items.native import NativePaint
from scoreviz.gui.items.quiver import QuiverItem
from scoreviz.gui.views.linked_views import TITLE_PT, BrushViewBox, LinkedViews, rich_html, free_title_width, square_box, square_plot  # noqa: F401 (re-exported)
from scoreviz.live.raster import RasterTarget

PANEL_MIN_PX = 220
NOTE_INTERVAL_S = 0.25  # a sampler note whose numbers alone move (step i/N, t) re-titles its panel at most 4x a second
WEAK_FIELD_FRACTION = 0.05  # fewer arrows drawn than this share of the grid: the learned field is ~0 on its scale
# presentation (talk mode): fonts this many times larger, thicker arrows with longer heads
PRESENTATION_SCALE = 1.6
PRESENTATION_ARROW_WIDTH = 2.2
PRESENTATION_HEAD_FRACTION = 0.42
# the particles panel's title names the score that drives the sampler (cfg.sampler.score_source)
SCORE_SOURCE_TEXTS = {"learned": N_("learned score"), "true": N_("true score")}


def _score_text(source: str) -> str:
    """"learned score" or "true score", in the interface's language."""
    return tr(SCORE_SOURCE_TEXTS[source]) if source in SCORE_SOURCE_TEXTS else tr("{source} score").format(source=source)


def _short_sampler(note: str) -> str:
    """ "annealed 3/10, σ = 0.28 · true score" -> "annealed · true score" (the particles panel's short title)."""
    parts = [p.strip() for p in note.split(" · ") if p.strip()]
    if not parts:
        return ""
    kind = parts[0].split()[0]
    return " · ".join([kind] + parts[1:])


def _numbers_only(note: str) -> str:
    """``note`` with its numbers blanked: two notes that differ only in counters give the same string."""
    return re.sub(r"[0-9.]+", "#", note)


class ScorePanels(LinkedViews, NativePaint, pg.GraphicsLayoutWidget):
    """Three (or four) linked panels of equal square plotting areas, each with axes and a title;
    one colour bar shared by the learned and true fields, one for log p, one for the error."""

    sigViewBoxChanged = QtCore.Signal(object)  # field_box(): (xmin, xmax, ymin, ymax) covering what the user sees
    sigPainted = QtCore.Signal(float)  # perf_counter() time of a paint that showed a new frame
    sigRasterTargetChanged = QtCore.Signal(object)  # RasterTarget of the particles panel (visible rect, pixels)
    sigArrowGridChanged = QtCore.Signal(int)  # arrows per axis that give ~ARROW_SPACING_PX between arrows


    def __init__(self, parent=None):
        style.configure_pyqtgraph()
        super().__init__(parent)
        self.setMinimumSize(3 * PANEL_MIN_PX, PANEL_MIN_PX)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

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
        # said over the learned panel while its field is too weak to draw on the shared scale (an untrained net)
        self.weak_hint = QtWidgets.QGraphicsSimpleTextItem(tr("s_θ ≈ 0 on this scale: not learned yet"),
                                                        self.learned_plot.vb)
        self.weak_hint.setBrush(QtGui.QColor(style.MUTED))
        self.weak_hint.setZValue(50)
        self.weak_hint.hide()
        self.learned_plot.vb.sigResized.connect(self._place_weak_hint)
        self.true_plot.addItem(self.true_quiver)

        # the heat map and the particles, made by the display worker at screen resolution (raster.py);
        # native pixmap items: painting and blending them runs no Python
        self.heat_image = self._pixmap_item(-10)
        self.dots_image = self._pixmap_item(0)
        self._raster_target = None

        self.error_image = HeatMapItem(style.error_colormap())
        self.error_plot.addItem(self.error_image)

        self.field_bar = self._bar(style.arrow_colormap(), FieldScale().label())
        self.density_bar = self._bar(style.density_colormap(), "log p", (-10, 0))
        self.error_bar = self._bar(style.error_colormap(), "log₁₀‖s_θ − ∇log q‖")

        self._error_visible = False
        self._title_pt = None  # None: from the widget's font
        self._title_args = (None, "", "", None)
        self._presentation: dict | None = None  # what set_presentation(True) changed, to put back
        self._apply_fonts()
        self._layout()

        self._scale = FieldScale()
        self._scale_mode = "linear"
        self._scale_src = None
        self._pinned_scale = None  # a scale set from outside (figures of another view use the window's)
        self._drawn = {}  # what is on screen: id()s of the arrays last drawn, titles
        self._density_box = None
        self._new_frame_pending = False
        self._side = 0
        self._arrow_grid = None
        self.brush_view.sigRangeChanged.connect(self._raster_changed)
        self.brush_view.sigResized.connect(self._raster_changed)
        self._watch_manual_ranges()
        self.paint_natively([p.getViewBox() for p in (self.learned_plot, self.true_plot, self.particles_plot,
                                                     self.error_plot, self.field_bar, self.density_bar, self.error_bar)],
                            self._before_paint)
        self._set_titles(sigma=None, objective="", sampler="")

    # ------------------------------------------------------------------ building
    def _plot(self, viewBox=None) -> pg.PlotItem:
        return square_plot(viewBox, dark=viewBox is None)  # the particles panel is covered by its heat map

    @staticmethod
    def _bar(cmap, label: str, values=(0, 1)) -> pg.ColorBarItem:
        bar = pg.ColorBarItem(values=values, colorMap=cmap, interactive=False, width=14, colorMapMenu=False)
        bar.getAxis("left").setWidth(4)
        bar.axis.setLabel(label)  # beside its own scale, on the right
        bar.axis.enableAutoSIPrefix(False)  # "0 … 600 (x0.001)" reads as 600: show the values as they are
        return bar

    def _plots(self) -> list[pg.PlotItem]:
        return [self.learned_plot, self.true_plot, self.particles_plot, self.error_plot]

    def _bars(self) -> list[pg.ColorBarItem]:
        return [self.field_bar, self.density_bar, self.error_bar]

    def _linked_plots(self) -> list[pg.PlotItem]:
        return [p for p in self._plots() if p in self.ci.items]

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
        else:
            self.error_plot.hide()
            self.error_bar.hide()

    def _fit(self) -> None:
        """Equal square panels for the widget's size, the view box put back, ticks and arrow grid updated."""
        if self._fit_panels():
            self._update_arrow_grid()

    def height_for_width(self, width: float) -> int:
        """The widget height at which panels ``width`` wide are square with no spare height."""
        n = len([p for p in self._plots() if p in self.ci.items]) or 3
        over_h = self._title_row_px() + (self.learned_plot.getAxis("bottom").height() or 0) + 12
        return int(max(float(square_layout.MIN_SIDE), (width - self._fixed_width_overhead(n)) / n) + over_h)

    def _fixed_width_overhead(self, n: int) -> float:
        axis = self.learned_plot.getAxis("left").width() or 0
        bars = sum(b.width() for b in self._bars() if b in self.ci.items) or 60 * (n - 1)
        return n * (axis + 2) + bars + 8 + 6 * (n + len([b for b in self._bars() if b in self.ci.items]) - 1)

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        if "_side" in self.__dict__:  # pyqtgraph resizes once inside its own __init__
            self._fit()
            self._refit_titles()

    def set_error_visible(self, on: bool) -> None:
        on = bool(on)
        if on == self._error_visible:
            return
        self._error_visible = on
        if not on:
            for item in (self.error_plot, self.error_bar):
                self.ci.removeItem(item)
                item.hide()
        else:
            self.error_plot.show()
            self.error_bar.show()
            self.ci.addItem(self.error_plot, 0, 5)
            self.ci.addItem(self.error_bar, 0, 6)
            self._drawn.pop("error", None)
        self._fit()  # the panels changed size: the same box on the new squares
        self._refit_titles()

    def error_visible(self) -> bool:
        return self._error_visible

    def set_field_panels(self, learned: bool = True, true: bool = True) -> None:
        """Show or hide the learned and the true field panels (a lesson scene may show only some panels);
        their shared colour bar goes when both do. The particles panel always stays."""
        want = {self.learned_plot: bool(learned), self.true_plot: bool(true), self.field_bar: bool(learned or true)}
        cols = {self.learned_plot: 0, self.true_plot: 1, self.field_bar: 2}
        changed = False
        for item, on in want.items():
            if on == (item in self.ci.items):
                continue
            changed = True
            if on:
                item.show()
                self.ci.addItem(item, 0, cols[item])
            else:
                self.ci.removeItem(item)
                item.hide()
        if changed:
            self._drawn.pop("titles", None)
            self._fit()
            self._refit_titles()

    def field_panels(self) -> tuple[bool, bool]:
        """(learned shown, true shown)."""
        return self.learned_plot in self.ci.items, self.true_plot in self.ci.items

    def set_unit_arrows(self, on: bool) -> None:
        """Direction only (True) or back to the linear scale (False)."""
        self.set_scale_mode("direction" if on else "linear")

    def unit_arrows(self) -> bool:
        return self._scale_mode == "direction"

    def set_scale_mode(self, mode: str) -> None:
        """Arrow lengths and colours: "linear", "log" or "direction" (see items.field_scale.SCALE_MODES)."""
        if mode not in SCALE_MODES:
            raise ValueError(f"scale mode '{mode}' is not known; choose one of {', '.join(SCALE_MODES)}")
        self._scale_mode = mode
        self._set_scale(self._scale.with_mode(mode))

    def scale_mode(self) -> str:
        return self._scale_mode

    def field_scale(self) -> FieldScale:
        """How field magnitudes map to arrow length and colour (learned, true and error panels)."""
        return self._scale

    def set_field_scale(self, scale: FieldScale) -> None:
        """Draw the fields with ``scale`` from now on (figures of another view use the window's)."""
        self._pinned_scale = scale
        self._scale_mode = scale.mode
        self._set_scale(scale)

    def _set_scale(self, scale: FieldScale) -> None:
        self._scale = scale
        self.field_bar.setLevels(scale.levels)
        self.field_bar.axis.setLabel(scale.label())
        self.error_bar.setLevels(error_levels(scale))
        for key in ("learned", "true", "error"):
            self._drawn.pop(key, None)
        self._redraw_fields()

    def set_antialias(self, on: bool) -> None:
        self.learned_quiver.setAntialias(on)
        self.true_quiver.setAntialias(on)

    def axes(self) -> list[pg.AxisItem]:
        """Every axis with ticks or a label: the panels' left and bottom, the colour bars' scale and label."""
        out = [p.getAxis(name) for p in self._plots() for name in ("left", "bottom")]
        for bar in self._bars():
            out += [bar.axis, bar.getAxis("left")]
        return out

    def set_presentation(self, on: bool, scale: float = PRESENTATION_SCALE) -> None:
        """Talk mode: titles, ticks and colour-bar labels ``scale`` times larger, thicker arrows with
        longer heads, wider arrow spacing. Off puts back exactly what was there before."""
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
            self._title_pt = self._title_points() * scale
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
        self._fit()

    def presentation(self) -> bool:
        return self._presentation is not None

    # ------------------------------------------------------------------ view
    def _view_plot(self) -> pg.PlotItem:
        shown = self._linked_plots()  # the first panel on screen (a lesson scene may hide the field panels)
        return shown[0] if shown else self.particles_plot

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

    # ------------------------------------------------------------------ drawing
    def _set_titles(self, sigma, objective: str, sampler: str, t: float | None = None) -> None:
        key = (sigma, objective, sampler, t)
        last = self._drawn.get("titles")
        if last == key:
            return
        now = time.perf_counter()
        if (last is not None and last[:2] == key[:2] and last[3] == t and _numbers_only(last[2]) == _numbers_only(sampler)
                and now - self._drawn.get("titles_t", 0.0) < NOTE_INTERVAL_S):
            return  # only the note's counters moved: a title re-layout every frame would cost the training thread
        self._drawn["titles_t"] = now
        self._drawn["titles"] = key
        self._title_args = key
        self._refit_titles()

    def _title_texts(self, short: bool) -> dict:
        sigma, objective, sampler, t = self._title_args
        q = "p<sub>σ</sub>" if sigma else "p"  # mathematics: not translated
        if t is not None:  # objective sde: the exact marginal at the time shown
            q, sigma = "p<sub>t</sub>", None
            objective = f"{objective} · t = {t:.3g}" if objective else f"t = {t:.3g}"
        if short:
            return {
                self.learned_plot: "s<sub>θ</sub>" + (f" · {objective}" if objective else ""),
                self.true_plot: f"∇log {q}" + (f", σ = {sigma:.3g}" if sigma else ""),
                self.particles_plot: _short_sampler(sampler) or tr("Particles"),
                # the colour bar says log₁₀; the title keeps what it compares against
                self.error_plot: (tr("err. vs {q}, σ={sigma:.3g}").format(q=q, sigma=sigma) if sigma
                                  else tr("err. vs {q}").format(q=q)),
            }
        return {
            self.learned_plot: tr("Learned score s<sub>θ</sub>") + (f" · {objective}" if objective else ""),
            self.true_plot: tr("True score ∇log {q}").format(q=q) + (f", σ = {sigma:.3g}" if sigma else ""),
            self.particles_plot: tr("Particles") + (f" · {sampler}" if sampler else ""),
            self.error_plot: (tr("Error vs ∇log {q} (σ = {sigma:.3g}), log₁₀").format(q=q, sigma=sigma) if sigma
                              else tr("Error vs ∇log {q}, log₁₀").format(q=q)),
        }

    def show_frame(self, frame) -> None:
        """Draw a worker Frame: fields, particles, heat maps, titles."""
        snap = frame.snapshot
        st = frame.state
        density_box = tuple(getattr(st.density, "box", snap.box))
        if density_box != self._density_box:  # a density with another box: its box, once
            self._density_box = density_box
            self.set_view_box(density_box)

        self._set_titles(sigma=snap.sigma if snap.sigma > 0 else None, objective=snap.objective,
                         sampler=f"{note_text(frame)} · {_score_text(st.cfg.sampler.score_source)}",
                         t=getattr(frame, "field_t", None))

        if snap.true is not None and self._drawn.get("true_src") is not snap.true:
            self._drawn["true_src"] = snap.true
            if self._pinned_scale is None:  # the scale follows the target's field in view, never an old maximum
                self._set_scale(FieldScale.from_field(snap.true, snap.log_density, mode=self._scale_mode))
            self._drawn.pop("true", None)
        self._fields = (snap.xs, snap.ys, snap.learned, snap.true)
        self._error_field = snap.error
        self._redraw_fields()

        if frame.heat is not None and self._drawn.get("heat") is not frame.heat:
            self._drawn["heat"] = frame.heat
            self._show_raster(self.heat_image, frame.heat, QtGui.QImage.Format.Format_RGB32)
            self.density_bar.setLevels(frame.heat.levels)
        if frame.dots is not None and self._drawn.get("dots") is not frame.dots:  # unchanged: no repaint
            self._drawn["dots"] = frame.dots
            self._show_raster(self.dots_image, frame.dots, QtGui.QImage.Format.Format_ARGB32_Premultiplied)

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
            item.setField(xs, ys, vec, scale=self._scale)
            self._drawn[name] = vec
        if learned is not None:
            weak = self.learned_quiver.arrowCount() < WEAK_FIELD_FRACTION * learned[..., 0].size
            self._weak_nonfinite = weak and not np.isfinite(learned).all()  # a diverged model, not an untrained one
            self.weak_hint.setVisible(weak)
            if weak:
                self._place_weak_hint()
        err = getattr(self, "_error_field", None)
        if err is not None and self._error_visible and self._drawn.get("error") is not err:
            self._drawn["error"] = err
            self.error_image.setImage(log_error(err), error_levels(self._scale), cell_rect(xs, ys))

    def _place_weak_hint(self, *_) -> None:
        """The weak-field hint centred in the learned panel, in the panel's tick font (elided to fit)."""
        vb = self.learned_plot.vb
        font = self._tick_font()
        self.weak_hint.setFont(font)
        if getattr(self, "_weak_nonfinite", False):
            full, short = tr("s_θ is not finite: the model diverged (Reset)"), tr("s_θ not finite: diverged")
        else:
            full, short = tr("s_θ ≈ 0 on this scale: not learned yet"), tr("s_θ ≈ 0: not learned yet")
        fm = QtGui.QFontMetricsF(font)
        self.weak_hint.setText(full if fm.horizontalAdvance(full) <= vb.width() - 8 else short)
        r = self.weak_hint.boundingRect()
        self.weak_hint.setPos((vb.width() - r.width()) / 2, (vb.height() - r.height()) / 2)

    def _before_paint(self) -> None:
        if self._new_frame_pending:
            self._new_frame_pending = False
            self.sigPainted.emit(time.perf_counter())
