"""The comparison's picture: the field panels, the Fisher curves, and the headless PNG.

``ComparePanels`` (one column per configuration: learned field over its error heat map, beside the
shared true field over the density) and ``CompareCurves`` (relative Fisher divergence against
steps and against wall-clock seconds, one curve per configuration, log scale, legend) are the
compare window's own widgets, built from the single view's drawing items (``QuiverItem``,
``HeatMapItem``, ``FieldScale``) and style. ``render_frame_png`` draws a ``CompareFrame`` with
the same widgets offscreen; ``render_compare_png`` does it for a ``Comparison`` (``scoreviz compare``),
so the window's "Save figure" and the command line give the same picture.
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.gui import style
from scoreviz.gui.field_view import FieldScale, HeatMapItem, NativePaint, QuiverItem, cell_rect
from scoreviz.gui.panels import BrushViewBox, LinkedViews, _html
from scoreviz.gui.plots import LogAxis, _decade_at_least

# one colour per configuration (titles, curves, table), distinct on the dark background
CONFIG_COLOURS = ("#4cc2ff", "#ffb454", "#7ee787", "#ff7eb6", "#c39bff", "#f2e35e", "#5fd7c9", "#ff8f6b")
PANEL_MIN_PX = 120


def _title(plot: pg.PlotItem, html: str) -> None:
    """Set a panel's title without letting its text widen the column (pyqtgraph makes the text's width the
    label's minimum on every text change and resize: a long title would widen its column)."""
    label = plot.titleLabel
    if not getattr(label, "_any_width", False):
        update_min = label.updateMin

        def updateMin():
            update_min()
            label.setMinimumWidth(0)

        label.updateMin = updateMin
        label._any_width = True
    plot.setTitle(html)


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

    Every panel shares zoom and pan. Arrow lengths and colours, and the error colours, use one
    scale taken from the true field, so the columns compare directly.
    """

    sigViewBoxChanged = QtCore.Signal(object)  # field_box(): the square covering what the user sees
    sigPainted = QtCore.Signal(float)  # perf_counter() time of a paint that showed a new frame
    sigBrush = QtCore.Signal(object, bool, bool)  # the density panel's brush: (x, y), erase, stroke finished
    sigHover = QtCore.Signal(object)  # (x, y) over the density panel while the brush is on, or None

    def __init__(self, parent=None):
        style.configure_pyqtgraph()
        super().__init__(parent)
        self.setMinimumSize(3 * PANEL_MIN_PX, 2 * PANEL_MIN_PX)
        self.ci.setSpacing(3)
        self.ci.setContentsMargins(2, 2, 2, 2)
        self._brush_enabled = False
        self._labels: tuple = ()
        self._unit = False
        self._antialias = True
        self._scale = FieldScale()
        self._scale_key = None
        self._drawn: dict = {}
        self._density_box = None
        self._new_frame_pending = False
        self._suppress_view_signal = False
        self._build(())

    # ------------------------------------------------------------------ building
    def _plot(self, title: str, viewBox=None, dark: bool = True) -> pg.PlotItem:
        p = pg.PlotItem(viewBox=viewBox)
        p.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding)
        p.setPreferredSize(300, 300)
        p.titleLabel.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
        _title(p, title)
        p.setAspectLocked(True)
        p.hideButtons()
        p.setMenuEnabled(False)
        for name in ("left", "bottom"):
            ax = p.getAxis(name)
            ax.setTextPen(style.MUTED)
            ax.setPen(style.MUTED)
            ax.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        p.getAxis("left").setWidth(30)
        if dark:
            p.vb.setBackgroundColor(QtGui.QColor(style.BACKGROUND).darker(115))
        p.vb.disableAutoRange()
        return p

    def _build(self, labels: tuple, sigmas: tuple = ()) -> None:
        """(Re)build the grid of panels for these configurations."""
        box = self.visible_box() if self._density_box is not None else None
        self.ci.clear()
        self._labels = tuple(labels)
        self._drawn = {}
        self.true_plot = self._plot(_html("True score ∇log p"))
        self.true_quiver = QuiverItem(style.arrow_colormap())
        self.true_plot.addItem(self.true_quiver)
        self.brush_view = BrushViewBox()  # the density panel's: paints the target while the brush is on
        self.brush_view.brush_enabled = self._brush_enabled
        self.brush_view.sigBrush.connect(self.sigBrush)
        self.brush_view.sigHover.connect(self.sigHover)
        self.density_plot = self._plot(_html("Density log p"), viewBox=self.brush_view, dark=False)
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
        for i, lab in enumerate(self._labels):
            lp = self._plot("")
            ep = self._plot("")
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
        self._set_titles(sigmas)
        ncol = len(self._labels) + 1
        self.field_bar = pg.ColorBarItem(values=self._scale.levels, colorMap=style.arrow_colormap(), interactive=False,
                                         width=10, label="|score|", colorMapMenu=False)
        self.error_bar = pg.ColorBarItem(values=self._scale.levels, colorMap=style.error_colormap(), interactive=False,
                                         width=10, label="|error|", colorMapMenu=False)
        for bar in (self.field_bar, self.error_bar):
            bar.axis.setWidth(36)
            bar.getAxis("left").setWidth(10)
        self.ci.addItem(self.field_bar, 0, ncol)
        self.ci.addItem(self.error_bar, 1, ncol)
        for col in range(ncol):
            self.ci.layout.setColumnStretchFactor(col, 1)
        self.ci.layout.setColumnStretchFactor(ncol, 0)
        for p in [self.density_plot, *self.learned_plots, *self.error_plots]:
            p.setXLink(self.true_plot)
            p.setYLink(self.true_plot)
        self.true_quiver.setAntialias(self._antialias)
        self.true_plot.getViewBox().sigRangeChanged.connect(self._range_changed)
        self.paint_natively([p.getViewBox() for p in (self.true_plot, self.density_plot, *self.learned_plots,
                                                       *self.error_plots, self.field_bar, self.error_bar)],
                            self._before_paint)
        if box is not None:
            self._suppress_view_signal = True
            try:
                self.set_view_box(box)
            finally:
                self._suppress_view_signal = False

    def _set_titles(self, sigmas: tuple) -> None:
        for i, lab in enumerate(self._labels):
            c = config_colour(i)
            _title(self.learned_plots[i], _html(f"<b>{lab}</b> · learned s<sub>θ</sub>", colour=c))
            sig = sigmas[i] if i < len(sigmas) else 0.0
            _title(self.error_plots[i], _html(f"error ‖s<sub>θ</sub> − {_sigma_text(sig)}‖", colour=c, size="9pt"))

    def panel_count(self) -> int:
        return 2 + 2 * len(self._labels)

    def square_height(self, width: int | None = None) -> int:
        """The height that makes the panels about square at this width (two rows of titled panels)."""
        width = self.width() if width is None else width
        col = max(60, (width - 70) / (len(self._labels) + 1) - 34)  # colour bars; each panel's left axis
        return int(2 * (col + 30 + 22) + 8)  # title and bottom axis per row

    # ------------------------------------------------------------------ options
    def set_unit_arrows(self, on: bool) -> None:
        self._unit = bool(on)
        self._drawn = {k: v for k, v in self._drawn.items() if not k.startswith(("learned", "true"))}
        self._redraw_fields()

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

    def _range_changed(self, *_):
        if not self._suppress_view_signal:
            self.sigViewBoxChanged.emit(self.field_box())

    # ------------------------------------------------------------------ drawing
    def show_frame(self, frame) -> None:
        """Draw a CompareFrame: the shared true field and density, each configuration's field and error."""
        sigmas = tuple(c.sigma for c in frame.configs)
        if frame.labels != self._labels:
            self._build(frame.labels, sigmas)
        elif self._drawn.get("sigmas") != sigmas:
            self._set_titles(sigmas)
        self._drawn["sigmas"] = sigmas
        density_box = tuple(getattr(frame.density, "box", frame.box))
        if density_box != self._density_box:
            self._density_box = density_box
            self._suppress_view_signal = True
            try:
                self.set_view_box(density_box)
            finally:
                self._suppress_view_signal = False
            self.sigViewBoxChanged.emit(self.field_box())

        if self._drawn.get("true_sigma") != frame.true_sigma:
            self._drawn["true_sigma"] = frame.true_sigma
            _title(self.true_plot, _html(f"True score {_sigma_text(frame.true_sigma)}"))
        if self._drawn.get("true_src") is not frame.true:
            self._drawn["true_src"] = frame.true
            scale_key = (id(frame.density), frame.true_sigma, frame.epoch)
            if scale_key != self._scale_key:  # colours and lengths follow the target, not the zoom
                self._scale_key = scale_key
                self._scale = FieldScale.from_field(frame.true)
                self.field_bar.setLevels(self._scale.levels)
                self.error_bar.setLevels(self._scale.levels)
                self._drawn = {k: v for k, v in self._drawn.items() if not k.startswith(("learned", "error"))}
            self._drawn.pop("true", None)
        self._frame = frame
        self._redraw_fields()

        hxs, hys, logp = frame.heat
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
            self.true_quiver.setField(frame.xs, frame.ys, frame.true, sc.levels, sc.length, unit=self._unit)
            self._drawn["true"] = frame.true
        for i, c in enumerate(frame.configs):
            if self._drawn.get(f"learned{i}") is not c.learned:
                self.learned_quivers[i].setField(frame.xs, frame.ys, c.learned, sc.levels, sc.length, unit=self._unit)
                self._drawn[f"learned{i}"] = c.learned
            if self._drawn.get(f"error{i}") is not c.error:
                self.error_images[i].setImage(c.error, sc.levels, frame.xs, frame.ys)
                self._drawn[f"error{i}"] = c.error

    def _before_paint(self) -> None:
        if self._new_frame_pending:
            self._new_frame_pending = False
            self.sigPainted.emit(time.perf_counter())


class _CurvePlot(NativePaint, pg.PlotWidget):
    def __init__(self, title: str, xlabel: str):
        super().__init__(axisItems={"left": LogAxis("left")})
        self.paint_natively([self.getPlotItem().getViewBox()])
        p = self.getPlotItem()
        p.setTitle(f'<span style="color:{style.FOREGROUND}; font-size:9pt;">{title}</span>')
        p.setLabel("bottom", xlabel)
        p.setLabel("left", "relative F")
        p.showGrid(x=True, y=True, alpha=0.15)
        p.setMenuEnabled(False)
        p.hideButtons()
        p.getAxis("left").enableAutoSIPrefix(False)
        p.getAxis("bottom").enableAutoSIPrefix(False)
        self.setLogMode(False, True)
        self.setMinimumSize(160, 100)


class CompareCurves(QtWidgets.QWidget):
    """Relative Fisher divergence against steps and against each configuration's training seconds."""

    def __init__(self, parent=None):
        style.configure_pyqtgraph()
        super().__init__(parent)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        self.legend = QtWidgets.QLabel()  # one legend for both plots, above them: it never hides a curve
        self.legend.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)  # one line (no word wrap: its height must
        # not depend on its width, or the figure's layout would give the curves all the height they ask for)
        self.legend.setStyleSheet(f"color: {style.FOREGROUND}; font-size: 9pt;")
        self.legend.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Maximum)
        outer.addWidget(self.legend)
        lay = QtWidgets.QHBoxLayout()
        lay.setSpacing(4)
        outer.addLayout(lay, 1)
        self.step_plot = _CurvePlot("Relative Fisher divergence  F / E‖∇log q‖²  vs steps", "step")
        self.time_plot = _CurvePlot("… vs training time (each configuration's own seconds)", "seconds")
        lay.addWidget(self.step_plot)
        lay.addWidget(self.time_plot)
        self.step_curves: list = []
        self.time_curves: list = []
        self._labels: tuple = ()
        self._key = None
        self.setToolTip("Relative Fisher divergence of every configuration, measured every K steps on 10 000 fresh "
                        "samples of its own target; against steps (fair: all make the same steps) and against "
                        "the time its own training steps took. Log scale.")

    def _build(self, labels: tuple) -> None:
        for plot, curves in ((self.step_plot, self.step_curves), (self.time_plot, self.time_curves)):
            for c in curves:
                plot.removeItem(c)
            curves.clear()
            for i, lab in enumerate(labels):
                col = config_colour(i)
                c = plot.plot([], [], pen=pg.mkPen(col, width=2), symbol="o", symbolSize=4, symbolBrush=col,
                              symbolPen=None, name=lab)
                curves.append(c)
        self._labels = tuple(labels)
        self.legend.setText(" &nbsp; &nbsp; ".join(
            f'<span style="color:{config_colour(i)}; font-weight:bold;">━━</span> {lab}' for i, lab in enumerate(labels)))

    def legend_labels(self) -> list[str]:
        """The configurations named in the legend, in order."""
        return list(self._labels)

    def clear(self) -> None:
        for c in self.step_curves + self.time_curves:
            c.setData([], [])
        self._key = None

    def curve_data(self, label: str):
        """(steps, seconds, y) arrays of one configuration as drawn (y: log10 of relative F on the log axis)."""
        i = self._labels.index(label)
        x, y = self.step_curves[i].getData()
        t, _ = self.time_curves[i].getData()
        return x, t, y

    def show_frame(self, frame) -> None:
        labels = frame.labels
        if labels != self._labels:
            self._build(labels)
        key = (frame.epoch, len(frame.curves), labels)
        if key == self._key:
            return
        self._key = key
        per = {lab: [] for lab in labels}
        for c in frame.curves:
            if c.objective in per:
                per[c.objective].append((c.step, c.seconds, c.relative_fisher_divergence))
        everything = []
        for i, lab in enumerate(labels):
            a = np.asarray(per[lab], dtype=np.float64).reshape(-1, 3)
            ok = np.isfinite(a[:, 2]) & (a[:, 2] > 0)
            a = a[ok]
            self.step_curves[i].setData(a[:, 0], a[:, 2])
            self.time_curves[i].setData(a[:, 1], a[:, 2])
            everything.append(a[:, 2])
        values = np.concatenate(everything) if everything else np.zeros(0)
        for plot in (self.step_plot, self.time_plot):
            plot.enableAutoRange(x=True)
            _decade_at_least(plot, values)


class CompareFigure(QtWidgets.QWidget):
    """Panels over curves: what ``compare.png`` shows."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(style.BACKGROUND))
        self.setPalette(pal)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setSizeConstraint(QtWidgets.QLayout.SizeConstraint.SetNoConstraint)  # any requested size
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(4)
        self.header = QtWidgets.QLabel()
        self.header.setWordWrap(True)
        self.header.setStyleSheet(f"color: {style.FOREGROUND}; font-size: 10pt;")
        self.panels = ComparePanels()
        self.curves = CompareCurves()
        for w in (self.panels, self.curves):  # the stretch factors alone share the height
            w.setMinimumSize(1, 1)
            w.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Ignored)
        lay.addWidget(self.header)
        lay.addWidget(self.panels, 5)
        lay.addWidget(self.curves, 2)
        self._layout = lay

    def show_frame(self, frame) -> None:
        parts = []
        for i, c in enumerate(frame.configs):
            rel = next((p.relative_fisher_divergence for p in reversed(frame.curves) if p.objective == c.label), None)
            rate = c.steps_per_s
            parts.append(f'<span style="color:{config_colour(i)}"><b>{c.label}</b></span> '
                         f'rel. F {_fmt(rel)} · {rate or 0:,.0f} steps/s')
        self.header.setText(f"<b>{frame.density_name}</b> · step {frame.step:,} · " + " &nbsp; ".join(parts))
        self.panels.show_frame(frame)
        self.curves.show_frame(frame)

    def fit_panels(self) -> None:
        """Panels about square (within 40-72% of the height); the curves take the rest."""
        h = self.height()
        if h < 200:
            return
        top = min(max(self.panels.square_height(self.width() - 8), int(h * 0.4)), int(h * 0.72))
        self._layout.setStretch(1, top)
        self._layout.setStretch(2, max(1, h - top))
        self._layout.activate()


def _fmt(v) -> str:
    return "—" if v is None or not np.isfinite(v) else f"{v:.3g}"


# ============================================================================ PNG
def render_frame_png(frame, size: tuple[int, int]) -> bytes:
    """Draw a CompareFrame offscreen at ``size`` (W, H) pixels with the window's widgets; PNG bytes."""
    import shiboken6

    w, h = int(size[0]), int(size[1])
    fig = CompareFigure()
    try:
        fig.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        fig.resize(w, h)
        fig.show()
        QtWidgets.QApplication.processEvents()
        fig.show_frame(frame)  # sets the view to the density's box
        fig.fit_panels()
        QtWidgets.QApplication.processEvents()
        fig.panels.reset_view()  # the density's box in the panels' final shape
        QtWidgets.QApplication.processEvents()
        image = fig.grab().toImage()
        if (image.width(), image.height()) != (w, h):  # a high-dpi screen, or a size below the layout's minimum
            image = image.scaled(w, h, QtCore.Qt.AspectRatioMode.IgnoreAspectRatio,
                                 QtCore.Qt.TransformationMode.SmoothTransformation)
        buf = QtCore.QBuffer()
        buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buf, "PNG"):
            raise RuntimeError("could not encode the comparison figure as PNG")
        data = bytes(buf.data())
        buf.close()
    finally:
        fig.close()
        shiboken6.delete(fig)
    return data


def render_compare_png(comparison, size: tuple[int, int] = (1600, 1000), grid: int | None = None) -> bytes:
    """The comparison's figure as PNG bytes: the shared true field and density, every configuration's
    learned field and error heat map, and the relative Fisher curves against steps and seconds.

    Headless: creates the (offscreen when there is no display) QApplication if none exists. Fields
    are evaluated in float32 on ``grid`` points per axis (default: the compare window's).
    """
    from scoreviz.gui.app import application
    from scoreviz.gui.compare_worker import DEFAULT_GRID, CompareView, comparison_frame

    application()
    frame = comparison_frame(comparison, CompareView(grid=int(grid or DEFAULT_GRID)))
    return render_frame_png(frame, size)
