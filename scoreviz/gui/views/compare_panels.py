"""The compare window's field panels: ``ComparePanels``, ``ErrorImage`` and the configurations' colours.

``ComparePanels`` shows one column per configuration (learned field over its error heat map)
beside the shared true field over the density, built from the single view's drawing items
(``QuiverItem``, ``HeatMapItem``, ``FieldScale``) and style; ``ErrorImage`` draws an error map as a
native pixmap; ``config_colour`` gives each configuration its colour (titles, curves, table).
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.core.field_scale import log_density_on
from scoreviz.gui import style
from scoreviz.gui.i18n import tr
from scoreviz.gui.items.field_scale import SCALE_MODES, FieldScale, error_levels, log_error
from scoreviz.gui.items.heat_map import HeatMapItem, cell_rect
from scoreviz.gui.items.native import NativePaint
from scoreviz.gui.items.quiver import QuiverItem
from scoreviz.gui.views import square_layout
from scoreviz.gui.views.linked_views import BrushViewBox, LinkedViews, square_plot

# one colour per configuration (titles, curves, table), distinct on the dark background
CONFIG_COLOURS = ("#4cc2ff", "#ffb454", "#7ee787", "#ff7eb6", "#c39bff", "#f2e35e", "#5fd7c9", "#ff8f6b")
PANEL_MIN_PX = 120


def config_colour(i: int) -> str:
    return CONFIG_COLOURS[i % len(CONFIG_COLOURS)]


def _sigma_text(sigma: float) -> str:
    return f"∇log p<sub>σ</sub>, σ = {sigma:.3g}" if sigma > 0 else "∇log p"


class ErrorImage(QtWidgets.QGraphicsPixmapItem):
    """A scalar grid as a native pixmap item, scaled smoothly by Qt while it paints.

    The error maps change every frame; unlike ``HeatMapItem`` (whose Python ``paint`` rescales the
    image, holding Python's lock) this item paints in C++ alone, so the training thread keeps its core.
    Same colours as ``HeatMapItem``: the colour map's 256-entry table over ``levels``.
    """

    def __init__(self, colormap: pg.ColorMap):
        super().__init__()
        self.setTransformationMode(QtCore.Qt.TransformationMode.SmoothTransformation)
        self.setShapeMode(QtWidgets.QGraphicsPixmapItem.ShapeMode.BoundingRectShape)
        self._lut = colormap.getLookupTable(0.0, 1.0, 256, alpha=False)  # (256, 3) uint8 RGB
        self._values = None

    def setImage(self, values: np.ndarray, levels: tuple[float, float], xs: np.ndarray, ys: np.ndarray) -> None:
        """values (H, W) on the grid xs (W,), ys (H,); NaN shows as the lowest colour."""
        v = np.asarray(values, dtype=np.float32)
        self._values = v
        lo, hi = float(levels[0]), float(levels[1])
        idx = np.clip((v[::-1] - lo) * (255.0 / (hi - lo if hi > lo else 1.0)), 0, 255)  # row 0 at the top
        idx = np.where(np.isfinite(idx), idx, 0).astype(np.uint8)
        h, w = v.shape
        bgrx = np.empty((h, w, 4), np.uint8)
        rgb = self._lut[idx]
        bgrx[..., 0], bgrx[..., 1], bgrx[..., 2], bgrx[..., 3] = rgb[..., 2], rgb[..., 1], rgb[..., 0], 255
        img = QtGui.QImage(bgrx.data, w, h, 4 * w, QtGui.QImage.Format.Format_RGB32)
        self.setPixmap(QtGui.QPixmap.fromImage(img))  # a copy: the array may go
        r = cell_rect(xs, ys)
        t = QtGui.QTransform(r.width() / w, 0, 0, -r.height() / h, r.left(), r.bottom())
        if self.transform() != t:
            self.setTransform(t)

    def values(self) -> np.ndarray | None:
        return self._values


class ComparePanels(LinkedViews, NativePaint, pg.GraphicsLayoutWidget):
    """Linked panels: column 0 the shared true field over the density (log p); then one column per
    configuration, its learned field over its error heat map; colour bars at the right.

    Every panel is an equal square showing exactly the same data box (``LinkedViews``). Arrow
    lengths and colours use one scale taken from the true field where the density lives
    (``FieldScale.from_field``), so the columns compare; the error maps are log10 ‖s_θ − ∇log q‖
    on the matching log scale, each titled with its own target q.
    """

    sigViewBoxChanged = QtCore.Signal(object)  # field_box(): the square covering what the user sees
    sigPainted = QtCore.Signal(float)  # perf_counter() time of a paint that showed a new frame
    sigBrush = QtCore.Signal(object, bool, bool)  # the density panel's brush: (x, y), erase, stroke finished
    sigHover = QtCore.Signal(object)  # (x, y) over the density panel while the brush is on, or None
    sigArrowGridChanged = QtCore.Signal(int)  # the auto arrow grid for the panels' size (LinkedViews)

    def __init__(self, parent=None):
        style.configure_pyqtgraph()
        super().__init__(parent)
        self.setMinimumSize(3 * PANEL_MIN_PX, 2 * PANEL_MIN_PX)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._brush_enabled = False
        self._labels: tuple = ()
        self._sigmas: tuple = ()
        self._true_sigma = 0.0
        self._unit = False
        self._antialias = True
        self._scale = FieldScale()
        self._drawn: dict = {}
        self._density_box = None
        self._new_frame_pending = False
        self._built = False
        self._build(())

    # ------------------------------------------------------------------ building
    def _plot(self, viewBox=None, dark: bool = True) -> pg.PlotItem:
        return square_plot(viewBox, dark=dark)

    @staticmethod
    def _bar(cmap, label: str, values) -> pg.ColorBarItem:
        bar = pg.ColorBarItem(values=values, colorMap=cmap, interactive=False, width=14, colorMapMenu=False)
        bar.getAxis("left").setWidth(4)
        bar.axis.setLabel(label)
        bar.axis.enableAutoSIPrefix(False)  # show the values as they are, never "(x0.001)"
        return bar

    def _build(self, labels: tuple, sigmas: tuple = ()) -> None:
        """(Re)build the grid of panels for these configurations; the view box stays."""
        self.ci.clear()
        self._labels = tuple(labels)
        self._sigmas = tuple(sigmas)
        self._drawn = {}
        self.true_plot = self._plot()
        self.true_quiver = QuiverItem(style.arrow_colormap())
        self.true_plot.addItem(self.true_quiver)
        self.brush_view = BrushViewBox()  # the density panel's: paints the target while the brush is on
        self.brush_view.brush_enabled = self._brush_enabled
        self.brush_view.sigBrush.connect(self.sigBrush)
        self.brush_view.sigHover.connect(self.sigHover)
        self.density_plot = self._plot(viewBox=self.brush_view, dark=False)
        self.density_image = HeatMapItem(style.density_colormap())
        self.density_image.setZValue(-10)
        self.density_plot.addItem(self.density_image)
        self.brush_cursor = QtWidgets.QGraphicsEllipseItem()
        pen = QtGui.QPen(QtGui.QColor(style.ACCENT))
        pen.setCosmetic(True)
        pen.setStyle(QtCore.Qt.PenStyle.DashLine)
        self.brush_cursor.setPen(pen)
        self.brush_cursor.setZValue(100)
        self.brush_cursor.hide()
        self.density_plot.addItem(self.brush_cursor, ignoreBounds=True)
        self.ci.addItem(self.true_plot, 0, 0)
        self.ci.addItem(self.density_plot, 1, 0)
        self.learned_plots, self.error_plots, self.learned_quivers, self.error_images = [], [], [], []
        for i, _ in enumerate(self._labels):
            lp = self._plot()
            ep = self._plot()
            q = QuiverItem(style.arrow_colormap())
            q.setAntialias(self._antialias)
            img = ErrorImage(style.error_colormap())
            lp.addItem(q)
            ep.addItem(img, ignoreBounds=True)
            self.ci.addItem(lp, 0, i + 1)
            self.ci.addItem(ep, 1, i + 1)
            self.learned_plots.append(lp)
            self.error_plots.append(ep)
            self.learned_quivers.append(q)
            self.error_images.append(img)
        ncol = len(self._labels) + 1
        self.field_bar = self._bar(style.arrow_colormap(), self._scale.label(), self._scale.levels)
        self.error_bar = self._bar(style.error_colormap(), tr("log₁₀‖error‖"), error_levels(self._scale))
        self.ci.addItem(self.field_bar, 0, ncol)
        self.ci.addItem(self.error_bar, 1, ncol)
        for p in self._plots()[1:]:
            p.setXLink(self.true_plot)
            p.setYLink(self.true_plot)
        self.true_quiver.setAntialias(self._antialias)
        self._apply_fonts()
        self._watch_manual_ranges()
        self.paint_natively([p.getViewBox() for p in self._plots() + self._bars()], self._before_paint)
        self._built = True
        self._fit_panels()
        self._refit_titles()

    def _plots(self) -> list:
        return [self.true_plot, self.density_plot, *self.learned_plots, *self.error_plots]

    def _bars(self) -> list:
        return [self.field_bar, self.error_bar]

    def _linked_plots(self) -> list:
        return [p for p in self._plots() if p in self.ci.items]

    def _title_texts(self, short: bool) -> dict:
        q = _sigma_text(self._true_sigma)
        out = {self.true_plot: (q if short else tr("True score {q}").format(q=q)),
               self.density_plot: "log p" if short else tr("Density log p")}
        for i, lab in enumerate(self._labels):
            sig = self._sigmas[i] if i < len(self._sigmas) else 0.0
            target = _sigma_text(sig)
            if short:
                out[self.learned_plots[i]] = f"<b>{lab}</b>"
                out[self.error_plots[i]] = (tr("log₁₀ error, σ = {sigma:.3g}").format(sigma=sig) if sig > 0
                                            else tr("log₁₀ error vs ∇log p"))
            else:
                out[self.learned_plots[i]] = tr("<b>{label}</b> · learned s<sub>θ</sub>").format(label=lab)
                out[self.error_plots[i]] = f"log₁₀‖s<sub>θ</sub> − {target}‖"
        return out

    def _title_colour(self, plot) -> str:
        for i, (lp, ep) in enumerate(zip(self.learned_plots, self.error_plots)):
            if plot is lp or plot is ep:
                return config_colour(i)
        return style.FOREGROUND

    def error_target(self, i: int) -> str:
        """The score configuration ``i``'s error panel compares against, as plain text (e.g. "∇log p_σ, σ = 0.1")."""
        sig = self._sigmas[i] if i < len(self._sigmas) else 0.0
        return f"∇log p_σ, σ = {sig:.3g}" if sig > 0 else "∇log p"

    def config_count(self) -> int:
        """How many configurations the panels show (one column each)."""
        return len(self._labels)

    def panel_count(self) -> int:
        return 2 + 2 * len(self._labels)

    def square_height(self, width: int | None = None) -> int:
        """The widget height at which panels ``width`` wide are square with no spare height (two rows)."""
        width = self.width() if width is None else width
        cols = len(self._labels) + 1
        axis = self.true_plot.getAxis("left").width() or 0
        bar = max(b.width() for b in self._bars()) or 60
        side = max(float(square_layout.MIN_SIDE), (width - 8 - cols * (axis + 8) - bar) / cols)
        row = self._title_row_px() + (self.true_plot.getAxis("bottom").height() or 0)
        return int(2 * (side + row) + 14)

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        if self.__dict__.get("_built"):
            if self._fit_panels():
                self._update_arrow_grid()
            self._refit_titles()

    # ------------------------------------------------------------------ options
    def set_unit_arrows(self, on: bool) -> None:
        """Direction only (equal lengths, colour still shows |s|) or linear."""
        self.set_scale_mode("direction" if on else "linear")

    def set_scale_mode(self, mode: str) -> None:
        """Arrow lengths and colours: "linear", "log" or "direction" (see items.field_scale.SCALE_MODES)."""
        if mode not in SCALE_MODES:
            raise ValueError(f"scale mode '{mode}' is not known; choose one of {', '.join(SCALE_MODES)}")
        self._unit = mode == "direction"
        self._set_scale(self._scale.with_mode(mode))

    def scale_mode(self) -> str:
        return self._scale.mode

    def _set_scale(self, scale: FieldScale) -> None:
        self._scale = scale
        self.field_bar.setLevels(scale.levels)
        self.field_bar.axis.setLabel(scale.label())
        self.error_bar.setLevels(error_levels(scale))
        self._drawn = {k: v for k, v in self._drawn.items() if not k.startswith(("learned", "true", "error"))}
        self._redraw_fields()

    def field_scale(self) -> FieldScale:
        return self._scale

    def set_brush_enabled(self, on: bool) -> None:
        self._brush_enabled = bool(on)
        self.brush_view.brush_enabled = self._brush_enabled

    def brush_enabled(self) -> bool:
        return self._brush_enabled

    def show_brush_cursor(self, pos, radius: float) -> None:
        """A dashed circle of the brush's radius at ``pos`` on the density panel (None hides it)."""
        if pos is None or not self._brush_enabled:
            self.brush_cursor.hide()
            return
        self.brush_cursor.setRect(QtCore.QRectF(pos[0] - radius, pos[1] - radius, 2 * radius, 2 * radius))
        self.brush_cursor.show()

    def set_antialias(self, on: bool) -> None:
        self._antialias = bool(on)
        for q in [self.true_quiver, *self.learned_quivers]:
            q.setAntialias(on)

    # ------------------------------------------------------------------ view
    def _view_plot(self) -> pg.PlotItem:
        return self.true_plot

    # ------------------------------------------------------------------ drawing
    def show_frame(self, frame) -> None:
        """Draw a CompareFrame: the shared true field and density, each configuration's field and error."""
        sigmas = tuple(c.sigma for c in frame.configs)
        if frame.labels != self._labels:
            self._build(frame.labels, sigmas)
        titles = (sigmas, frame.true_sigma)
        if self._drawn.get("titles") != titles:
            self._sigmas, self._true_sigma = titles
            self._drawn["titles"] = titles
            self._refit_titles()
        density_box = tuple(getattr(frame.density, "box", frame.box))
        if density_box != self._density_box:  # a density with another box: its box, once
            self._density_box = density_box
            self.set_view_box(density_box)

        hxs, hys, logp = frame.heat
        if self._drawn.get("true_src") is not frame.true:
            self._drawn["true_src"] = frame.true
            # the scale follows the target's field where the density lives in view, never an old maximum
            weights = log_density_on(hxs, hys, logp, frame.xs, frame.ys)
            mode = self._scale.mode
            self._frame = frame
            self._set_scale(FieldScale.from_field(frame.true, weights, mode=mode))
        self._frame = frame
        self._redraw_fields()

        if self._drawn.get("heat") is not logp:
            self._drawn["heat"] = logp
            finite = logp[np.isfinite(logp)]
            hi = float(finite.max()) if finite.size else 0.0
            lo = hi - 10.0
            img = np.where(np.isfinite(logp), np.maximum(logp, lo), lo)
            self.density_image.setImage(img, (lo, hi), cell_rect(hxs, hys))
        self._new_frame_pending = True

    def _redraw_fields(self) -> None:
        frame = getattr(self, "_frame", None)
        if frame is None:
            return
        sc = self._scale
        if self._drawn.get("true") is not frame.true:
            self.true_quiver.setField(frame.xs, frame.ys, frame.true, scale=sc)
            self._drawn["true"] = frame.true
        for i, c in enumerate(frame.configs):
            if i >= len(self.learned_quivers):
                break
            if self._drawn.get(f"learned{i}") is not c.learned:
                self.learned_quivers[i].setField(frame.xs, frame.ys, c.learned, scale=sc)
                self._drawn[f"learned{i}"] = c.learned
            if self._drawn.get(f"error{i}") is not c.error:
                self.error_images[i].setImage(log_error(c.error), error_levels(sc), frame.xs, frame.ys)
                self._drawn[f"error{i}"] = c.error

    def _before_paint(self) -> None:
        if self._new_frame_pending:
            self._new_frame_pending = False
            self.sigPainted.emit(time.perf_counter())

