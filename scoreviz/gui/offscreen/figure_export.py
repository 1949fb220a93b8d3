"""Pictures of the window's view: every panel with the curves, one panel, or the curves, as PNG or SVG.

The picture is drawn by fresh offscreen copies of the window's own widgets (``ScorePanels``,
``TrainingPlots``) fed with the newest ``Frame`` the window drew, over the same view box, laid
out at the requested proportions and then *rendered* at the requested size: a PNG of 4000 pixels
is drawn at 4000 pixels (text, axes and arrows sharp; the particles re-rasterised at that
resolution), never a screen grab scaled up. SVG is vector: arrows are ``<polyline>`` strokes,
axes and titles ``<text>``; the heat maps and the particles are embedded images.

Panels clip their contents on screen; SVG viewers do not all honour clip paths (Qt's own
QSvgRenderer ignores them), so the copies draw only the arrows and error cells that lie wholly
inside the visible range, and the particle pictures are made for exactly that range.

Everything here runs in the GUI thread (widgets); encoding and writing the file is the caller's.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, replace

import numpy as np
import shiboken6
from PySide6 import QtCore, QtGui, QtSvg, QtWidgets

from scoreviz.core.errors import ScorevizError
from scoreviz.core.limits import LIMITS, show
from scoreviz.gui import style
from scoreviz.gui.i18n import N_, tr
from scoreviz.gui.items.field_scale import error_levels, log_error
from scoreviz.gui.items.heat_map import cell_rect
from scoreviz.gui.views.panels import ScorePanels
from scoreviz.gui.views.plots import TrainingPlots
from scoreviz.live.raster import ParticleRaster, RasterTarget

PARTS = {  # part -> its label (shown: tr(PARTS[part]))
    "all": N_("All panels and the training curves"),
    "learned": N_("Learned score panel"),
    "true": N_("True score panel"),
    "particles": N_("Particles panel"),
    "error": N_("Error panel"),
    "curves": N_("Training curves"),
}
FORMATS = ("png", "svg")
MARGIN = 4  # px around and between the widgets, as in the window
SVG_RASTER_SCALE = 2.0  # the SVG's embedded particle pictures: pixels per SVG unit
SVG_DPI = 96
# the smallest layout (logical px) a figure is drawn at: smaller requests are drawn at this and scaled down
PANEL_FLOOR = 220
CURVES_FLOOR = (400, 120)


@dataclass(frozen=True)
class ViewState:
    """What the window shows now, read in the GUI thread: the frame, the view and the sizes on screen."""

    frame: object  # worker.Frame
    visible_box: tuple  # (xmin, xmax, ymin, ymax) of the learned panel
    ranges: dict  # panel ("learned", "true", "particles", "error" when shown) -> its (xmin, xmax, ymin, ymax)
    unit_arrows: bool
    error_visible: bool
    sizes: dict  # part -> (width, height) on screen, logical px
    panels_share: float  # the panels' share of the height of "all" (the rest: curves)
    field_scale: object  # items.field_scale.FieldScale: arrow lengths and colours as on screen
    presentation: bool  # talk mode (larger text, thicker arrows)


def _widget_size(w: QtWidgets.QWidget) -> tuple[int, int]:
    return max(1, w.width()), max(1, w.height())


def _item_size(*items) -> tuple[int, int]:
    """Width of ``items`` side by side (plus margins), height of the tallest."""
    w = sum(max(1.0, i.size().width()) for i in items) + MARGIN * (len(items) + 1)
    h = max(max(1.0, i.size().height()) for i in items) + 2 * MARGIN
    return int(round(w)), int(round(h))


def _panel_size(panels, plot, bar) -> tuple[int, int]:
    """A one-panel figure's size: the panel and its colour bar as on screen, plus room for the y tick
    labels that only the first panel shows on screen (a figure of one panel has its own)."""
    w, h = _item_size(plot, bar)
    extra = panels.learned_plot.getAxis("left").width() - plot.getAxis("left").width()
    return int(w + max(0.0, extra)), h


def capture(window) -> ViewState:
    """The window's current view, or ScorevizError when nothing has been drawn yet."""
    frame = window.last_frame
    if frame is None:
        raise ScorevizError(tr("nothing to export yet: the panels have not been drawn"))
    p = window.panels
    panels_h, plots_h = p.height(), window.plots.height()
    sizes = {
        "all": (max(p.width(), window.plots.width()) + 2 * MARGIN, panels_h + plots_h + 3 * MARGIN),
        "learned": _panel_size(p, p.learned_plot, p.field_bar),
        "true": _panel_size(p, p.true_plot, p.field_bar),
        "particles": _panel_size(p, p.particles_plot, p.density_bar),
        "error": _panel_size(p, p.error_plot, p.error_bar),
        "curves": _widget_size(window.plots),
    }
    if not p.error_visible():
        sizes["error"] = sizes["learned"]
    ranges = {}
    for name in ("learned", "true", "particles") + (("error",) if p.error_visible() else ()):
        (x0, x1), (y0, y1) = getattr(p, f"{name}_plot").getViewBox().viewRange()
        ranges[name] = (float(x0), float(x1), float(y0), float(y1))
    return ViewState(frame=frame, visible_box=p.visible_box(), ranges=ranges, unit_arrows=p.unit_arrows(),
                     error_visible=p.error_visible(), sizes=sizes,
                     panels_share=panels_h / max(1, panels_h + plots_h), field_scale=p.field_scale(),
                     presentation=p.presentation())


def check_request(state: ViewState, part: str, size, fmt: str) -> tuple[str, tuple[int, int], str]:
    """(part, (width, height), format) if allowed, else ScorevizError naming the bad value."""
    if part not in PARTS:
        raise ScorevizError(tr("panel '{part}' is not known; choose one of {names}").format(
            part=part, names=", ".join(PARTS)))
    if part == "error" and not state.error_visible:
        raise ScorevizError(tr("the error panel is hidden: show it first (E)"))
    fmt = str(fmt).lower()
    if fmt not in FORMATS:
        raise ScorevizError(tr("format '{fmt}' is not known; choose png or svg").format(fmt=fmt))
    lim = LIMITS["image_side"]
    out = []
    refusals = (tr("figure width {v} px is out of range; allowed {allowed} px"),
                tr("figure height {v} px is out of range; allowed {allowed} px"))
    for refusal, v in zip(refusals, size):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or not lim.contains(int(v)):
            raise ScorevizError(refusal.format(v=show(v), allowed=lim.range_text()))
        out.append(int(v))
    return part, (out[0], out[1]), fmt


def default_size(state: ViewState, part: str) -> tuple[int, int]:
    """Twice the part's size on screen, within the limits (proportions kept where the limits allow)."""
    lim = LIMITS["image_side"]
    w, h = state.sizes[part]
    f = min(2.0, lim.max / max(w, h))
    return int(min(max(round(w * f), lim.min), lim.max)), int(min(max(round(h * f), lim.min), lim.max))


def layout_size(reference: tuple[int, int], size: tuple[int, int], floor: tuple[int, int]) -> tuple[float, int, int]:
    """(scale, layout width, layout height): the widgets are laid out at width x height logical px and
    drawn ``scale`` times larger, so ``size`` keeps the screen's look when it keeps its proportions
    (the default, twice the screen size, is the screen's layout at scale 2)."""
    W, H = size
    rw, rh = reference
    s = math.sqrt((W / rw) * (H / rh))
    s = min(s, W / floor[0], H / floor[1])  # never lay out smaller than the floor: draw it smaller instead
    return s, max(1, round(W / s)), max(1, round(H / s))


def _floor(state: ViewState, part: str) -> tuple[int, int]:
    if part == "all":
        n = 3 + int(state.error_visible)
        return n * PANEL_FLOOR, PANEL_FLOOR + CURVES_FLOOR[1]
    if part == "curves":
        return CURVES_FLOOR
    return PANEL_FLOOR, PANEL_FLOOR


# ============================================================================ cropping
def inside(grid: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Indices of grid points whose cell (the point +- half a step) lies within [lo, hi]."""
    g = np.asarray(grid, dtype=np.float64)
    if g.size < 2:
        return np.arange(g.size)
    half = abs(g[1] - g[0]) / 2
    tol = 1e-9 * max(abs(hi - lo), 1.0)
    return np.flatnonzero((g - half >= min(lo, hi) - tol) & (g + half <= max(lo, hi) + tol))


def cropped_snapshot(snap, rect: tuple[float, float, float, float]):
    """The snapshot's fields on the grid points whose arrows and error cells lie wholly within rect
    (xmin, xmax, ymin, ymax); unchanged when fewer than 2 x 2 points would remain."""
    jx = inside(snap.xs, rect[0], rect[1])
    iy = inside(snap.ys, rect[2], rect[3])
    if jx.size < 2 or iy.size < 2:
        return snap
    if jx.size == len(snap.xs) and iy.size == len(snap.ys):
        return snap

    def cut(a):
        return None if a is None else np.ascontiguousarray(a[iy[0]:iy[-1] + 1, jx[0]:jx[-1] + 1])

    return replace(snap, xs=np.ascontiguousarray(snap.xs[jx[0]:jx[-1] + 1]),
                   ys=np.ascontiguousarray(snap.ys[iy[0]:iy[-1] + 1]),
                   learned=cut(snap.learned), true=cut(snap.true), error=cut(snap.error))


def _draw_fields(panels, snap, rects: dict) -> None:
    """Each field panel's arrows (and the error panel's cells) cropped to that panel's visible range,
    with the colour scale and arrow style the panels have."""

    scale = panels.field_scale()
    for name, item in (("learned", panels.learned_quiver), ("true", panels.true_quiver)):
        if name in rects and getattr(snap, name) is not None:
            c = cropped_snapshot(snap, rects[name])
            item.setField(c.xs, c.ys, getattr(c, name), scale=scale)
    if "error" in rects and snap.error is not None:
        c = cropped_snapshot(snap, rects["error"])
        panels.error_image.setImage(log_error(c.error), error_levels(scale), cell_rect(c.xs, c.ys))


# ============================================================================ the offscreen figure
_PANEL_ITEMS = {  # part -> (the PlotItem's attribute, its colour bar's attribute) in ScorePanels
    "learned": ("learned_plot", "field_bar"),
    "true": ("true_plot", "field_bar"),
    "particles": ("particles_plot", "density_bar"),
    "error": ("error_plot", "error_bar"),
}


class _Figure:
    """Offscreen copies of the window's widgets showing ``state`` for ``part`` at layout size (w, h)."""

    def __init__(self, state: ViewState, part: str, w: int, h: int, raster_scale: float, line_scale: float = 1.0):

        self.widget = QtWidgets.QWidget()
        self.widget.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        self.widget.setUpdatesEnabled(False)  # never painted as a window: only rendered, once, by paint()
        lay = QtWidgets.QVBoxLayout(self.widget)
        lay.setSizeConstraint(QtWidgets.QLayout.SizeConstraint.SetNoConstraint)  # exactly the size asked for
        lay.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        lay.setSpacing(MARGIN)
        self.panels = self.plots = None
        self._removed: list = []
        if part != "curves":
            self.panels = ScorePanels()
            self.panels.set_error_visible(state.error_visible and part in ("all", "error"))
            self.panels.set_unit_arrows(state.unit_arrows)
            self.panels.set_antialias(True)
        if part in ("all", "curves"):
            self.plots = TrainingPlots()
        for widget in (self.panels, self.plots):
            if widget is not None and state.presentation:
                widget.set_presentation(True)
        if self.panels is not None and line_scale != 1.0:  # strokes as thick, relative to the picture, as on screen
            for q in (self.panels.learned_quiver, self.panels.true_quiver):
                q.setLineWidth(q.lineWidth() * line_scale)
        share = state.panels_share if part == "all" else 1.0
        for widget, stretch in ((self.panels, share), (self.plots, 1.0 - share if part == "all" else 1.0)):
            if widget is not None:
                widget.setMinimumSize(1, 1)
                widget.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Ignored)
                lay.addWidget(widget, max(1, int(round(1000 * stretch))))
        if self.panels is not None:  # every panel gets the range it has on screen, whatever its shape here
            for plot in (self.panels.true_plot, self.panels.particles_plot, self.panels.error_plot):
                plot.setXLink(None)
                plot.setYLink(None)
        if part in _PANEL_ITEMS:
            lay.setContentsMargins(0, 0, 0, 0)  # ScorePanels has its own margins
            self._keep_only(part)
        self.widget.resize(w, h)
        self.widget.show()
        _settle()
        if self.panels is not None:
            self._show_panels(state, part, raster_scale)
        if self.plots is not None:
            st = state.frame.state
            self.plots.show_history(st.losses, st.fisher, st.history_epoch)
        for view in self.views():  # draw every item from scratch: cached pixmaps would go into the SVG as images
            for item in view.scene().items():
                item.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.NoCache)
        _settle()

    def _keep_only(self, part: str) -> None:
        plot_name, bar_name = _PANEL_ITEMS[part]
        p = self.panels
        ci = p.ci
        keep = (getattr(p, plot_name), getattr(p, bar_name))
        for item in list(ci.items):
            if item not in keep:
                ci.removeItem(item)
                item.hide()
                self._removed.append(item)
        for col in range(ci.layout.columnCount()):
            ci.layout.setColumnStretchFactor(col, 0)

    def _show_panels(self, state: ViewState, part: str, raster_scale: float) -> None:

        p, frame = self.panels, state.frame
        p.show_frame(replace(frame, heat=None, dots=None))
        p.set_field_scale(state.field_scale)  # arrow lengths and colours as on screen
        shown = [part] if part in _PANEL_ITEMS else list(state.ranges)
        vbs = {n: getattr(p, f"{n}_plot").getViewBox() for n in shown}
        p.set_view_box(state.visible_box)  # every panel shows the window's one box, exactly
        raster = ParticleRaster(style.density_lut())
        drawn = None
        for _ in range(4):  # until the layout has settled: the pictures must fit the final view
            _settle()
            rects = {n: tuple(float(v) for r in vb.viewRange() for v in r) for n, vb in vbs.items()}
            target = None
            if part in ("all", "particles"):
                vb = p.particles_plot.getViewBox()
                r, size = vb.viewRect(), vb.size()
                target = RasterTarget((r.left(), r.right(), r.top(), r.bottom()),
                                      max(2, int(round(size.width() * raster_scale))),
                                      max(2, int(round(size.height() * raster_scale))))
            if (rects, target) == drawn:
                break
            drawn = (rects, target)
            heat = dots = None
            if target is not None:
                heat = raster.heat(target, frame.density_image)
                dots = raster.particles(frame.particles, target, getattr(frame, "trails", None),
                                        width_px=max(1, round(raster_scale)))
            p.show_frame(replace(frame, heat=heat, dots=dots))
            _draw_fields(p, frame.snapshot, rects)

    def views(self) -> list[QtWidgets.QGraphicsView]:
        return [v for v in self.widget.findChildren(QtWidgets.QGraphicsView) if v.isVisible()]

    def paint(self, painter: QtGui.QPainter, width: float, height: float) -> None:
        """Draw the figure into ``painter`` over (0, 0, width, height) of its logical coordinates."""
        sx, sy = width / max(1, self.widget.width()), height / max(1, self.widget.height())
        painter.fillRect(QtCore.QRectF(0, 0, width, height), QtGui.QColor(style.BACKGROUND))
        for view in self.views():
            view.scene().prepareForPaint()  # deferred ViewBox matrices, as before a paint on screen
            port = view.viewport()
            at = port.mapTo(self.widget, QtCore.QPoint(0, 0))
            target = QtCore.QRectF(at.x() * sx, at.y() * sy, port.width() * sx, port.height() * sy)
            view.render(painter, target, port.rect(), QtCore.Qt.AspectRatioMode.IgnoreAspectRatio)

    def close(self) -> None:
        if shiboken6.isValid(self.widget):
            self.widget.close()
            shiboken6.delete(self.widget)
        for item in self._removed:  # taken out of the scene: not deleted with it
            if shiboken6.isValid(item):
                shiboken6.delete(item)
        self._removed = []


def _settle() -> None:
    """Let Qt apply the layouts and resizes (no user input is handled meanwhile)."""
    for _ in range(2):
        QtWidgets.QApplication.sendPostedEvents()
        QtWidgets.QApplication.processEvents(QtCore.QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)


# ============================================================================ rendering
def render_png(state: ViewState, part: str, size: tuple[int, int]) -> QtGui.QImage:
    """``part`` drawn at exactly ``size`` (width, height) pixels."""
    part, (W, H), _ = check_request(state, part, size, "png")
    s, lw, lh = layout_size(state.sizes[part], (W, H), _floor(state, part))
    fig = _Figure(state, part, lw, lh, raster_scale=s, line_scale=s)
    try:
        image = QtGui.QImage(W, H, QtGui.QImage.Format.Format_RGB32)
        if image.isNull():
            raise ScorevizError(tr("not enough memory for a {w} x {h} picture").format(w=W, h=H))
        image.setDevicePixelRatio(s)  # text and lines are drawn at the picture's resolution
        painter = QtGui.QPainter(image)
        try:
            painter.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
            fig.paint(painter, W / s, H / s)
        finally:
            painter.end()
        image.setDevicePixelRatio(1.0)
        return image
    finally:
        fig.close()


def render_svg(state: ViewState, part: str, size: tuple[int, int]) -> bytes:
    """``part`` as SVG bytes: ``size`` (width, height) pixels at 96 dpi, vector arrows, axes and text."""
    part, (W, H), _ = check_request(state, part, size, "svg")
    s, lw, lh = layout_size(state.sizes[part], (W, H), _floor(state, part))
    fig = _Figure(state, part, lw, lh, raster_scale=SVG_RASTER_SCALE)
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    try:
        gen = QtSvg.QSvgGenerator(QtSvg.QSvgGenerator.SvgVersion.Svg11)
        gen.setOutputDevice(buf)
        gen.setSize(QtCore.QSize(W, H))
        gen.setViewBox(QtCore.QRectF(0, 0, W / s, H / s))
        gen.setResolution(SVG_DPI)
        label = tr(PARTS[part]).lower()
        gen.setTitle(tr("scoreviz: {part}").format(part=label))
        gen.setDescription(tr("scoreviz {part} at step {step}").format(part=label, step=state.frame.state.step))
        painter = QtGui.QPainter(gen)
        try:
            fig.paint(painter, W / s, H / s)
        finally:
            painter.end()
        return bytes(buf.data())
    finally:
        buf.close()
        fig.close()


def png_bytes(image: QtGui.QImage) -> bytes:
    """The image encoded as PNG (safe in any thread for an image no other thread changes)."""
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    try:
        if not image.save(buf, "PNG"):
            raise ScorevizError(tr("could not encode a {w} x {h} picture as PNG").format(
                w=image.width(), h=image.height()))
        return bytes(buf.data())
    finally:
        buf.close()

