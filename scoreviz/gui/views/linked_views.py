"""Linked, square field panels: one data box on equal squares, fonts, titles that fit, the brush view.

``LinkedViews`` is the base of the main window's ``ScorePanels`` and the compare window's
``ComparePanels`` (both pyqtgraph ``GraphicsLayoutWidget``s). It owns the view box (the only
place it changes), the equal-square layout (``square_layout.fit``) on every resize, the tick
spacing, the platform-sized fonts and titles that fit their panel (full, short, or elided at a word).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.core import limits
from scoreviz.gui import style
from scoreviz.gui.views import square_layout

TITLE_PT = 10.0  # panel titles: at least this, and at least 1.15 x the platform font


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


def rich_html(text: str, colour: str = style.FOREGROUND, size: str = "10pt") -> str:
    return f'<span style="color:{colour}; font-size:{size};">{text}</span>'


def _title_font(base: QtGui.QFont, points: float) -> QtGui.QFont:
    f = QtGui.QFont(base)
    f.setPointSizeF(points)
    return f


def _plain_text(rich: str) -> str:
    doc = QtGui.QTextDocument()
    doc.setHtml(rich)
    return doc.toPlainText()


def text_width(rich: str, font: QtGui.QFont) -> float:
    return QtGui.QFontMetricsF(font).horizontalAdvance(_plain_text(rich))


def elide_rich(rich: str, font: QtGui.QFont, width: float) -> str:
    """The plain text of ``rich`` elided at a word to fit ``width`` (an ellipsis marks the cut)."""
    words = _plain_text(rich).split()
    fm = QtGui.QFontMetricsF(font)
    while len(words) > 1 and fm.horizontalAdvance(" ".join(words) + " …") > width:
        words.pop()
    return " ".join(words) + " …"


def free_title_width(plot: pg.PlotItem) -> None:
    """Let ``plot``'s title never widen its panel: pyqtgraph's LabelItem sets its minimum width to
    its text's on every ``setText`` and every resize, which widens a column of equal squares (its
    axis then runs past its plotting area). This label keeps only its height as a minimum; the
    text is fitted to the panel by ``LinkedViews._refit_titles`` (full, short or elided)."""
    label = plot.titleLabel
    label.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
    hints = QtCore.Qt.SizeHint

    def update_min() -> None:
        h = label.itemRect().height()
        label.setMinimumWidth(0)
        label.setMinimumHeight(h)
        label._sizeHint = {hints.MinimumSize: (0, h), hints.PreferredSize: (0, h),
                           hints.MaximumSize: (-1, -1), hints.MinimumDescent: (0, 0)}
        label.updateGeometry()

    label.updateMin = update_min
    update_min()


def square_plot(viewBox=None, dark: bool = True, cached_axes: bool = True) -> pg.PlotItem:
    """A panel of the square layouts: aspect locked, no buttons or menu, muted axes, no auto range, a title
    that never widens its column; ``dark``: the darkened background (not under a heat map); ``cached_axes``:
    axes repainted from a pixmap while their range is unchanged (no Python per frame)."""
    p = pg.PlotItem(viewBox=viewBox)
    free_title_width(p)  # equal squares: a long title never widens its column
    p.setAspectLocked(True)
    p.hideButtons()
    p.setMenuEnabled(False)
    p.showGrid(x=False, y=False)
    for name in ("left", "bottom"):
        ax = p.getAxis(name)
        ax.setTextPen(style.MUTED)
        ax.setPen(style.MUTED)
        if cached_axes:
            ax.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
    if dark:
        p.vb.setBackgroundColor(QtGui.QColor(style.BACKGROUND).darker(115))
    p.vb.disableAutoRange()
    return p


def square_box(box) -> tuple[float, float, float, float]:
    """The square (in data units) with the same centre that covers ``box``."""
    x0, x1, y0, y1 = (float(v) for v in box)
    cx, cy, half = (x0 + x1) / 2, (y0 + y1) / 2, max(abs(x1 - x0), abs(y1 - y0)) / 2
    half = half if half > 0 else 1.0
    return (cx - half, cx + half, cy - half, cy + half)


class LinkedViews:
    """Linked panels that show exactly one square data box, ``_box``, on equal square plotting areas.

    The box changes only through ``set_view_box`` (Home, a density with another box, an opened
    session) or the user's own zoom and pan on any panel (pyqtgraph's ``sigRangeChangedManually``);
    re-layouts (resize, talk mode, the error panel, new titles) put the same box back on every panel.
    A subclass provides ``_linked_plots()``, ``_view_plot()``, ``sigViewBoxChanged`` and
    ``_density_box`` (the density's own box, for Home), and calls ``_watch_manual_ranges()``.
    """

    _box = None
    _applying_box = False
    _suppress_view_signal = False

    def _view_plot(self) -> pg.PlotItem:
        raise NotImplementedError

    def _linked_plots(self) -> list:
        raise NotImplementedError

    def _watch_manual_ranges(self) -> None:
        for p in self._linked_plots():
            p.getViewBox().sigRangeChangedManually.connect(lambda *_, vb=p.getViewBox(): self._manual_range(vb))

    def _manual_range(self, vb) -> None:
        (x0, x1), (y0, y1) = vb.viewRange()
        self.set_view_box((x0, x1, y0, y1))

    def set_view_box(self, box) -> None:
        """Show ``box`` (made square) on every linked panel, exactly; tell the fields to follow."""
        self._box = square_box(box)
        self._apply_box()
        if not self._suppress_view_signal:
            self.sigViewBoxChanged.emit(self.field_box())

    def _apply_box(self) -> None:
        if self._box is None:
            return
        x0, x1, y0, y1 = self._box
        self._applying_box = True
        try:
            for p in self._linked_plots():
                p.getViewBox().setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        finally:
            self._applying_box = False
        self._update_ticks()

    def _update_ticks(self) -> None:
        """The same nice tick spacing on every panel, labels never crowded (``square_layout.tick_step``)."""
        if self._box is None:
            return
        plots = [p for p in self._linked_plots() if p.isVisible()]
        if not plots:
            return
        side = plots[0].getViewBox().width()
        if side <= 1:
            return
        step = square_layout.tick_step(self._box[1] - self._box[0], side, self._tick_font())
        for p in plots:
            square_layout.set_ticks(p, step)

    def _tick_font(self) -> QtGui.QFont:
        """The font of the panels' tick labels (talk mode enlarges it)."""
        return self._view_plot().getAxis("bottom").style.get("tickFont") or self.font()

    def reset_view(self) -> None:
        if self._density_box is not None:
            self.set_view_box(self._density_box)

    def visible_box(self):
        if self._box is not None:
            return tuple(self._box)
        (x0, x1), (y0, y1) = self._view_plot().getViewBox().viewRange()
        return (float(x0), float(x1), float(y0), float(y1))

    def view_ranges(self) -> dict:
        """Every linked panel's (xmin, xmax, ymin, ymax) as drawn (all equal once laid out)."""
        out = {}
        for p in self._linked_plots():
            (x0, x1), (y0, y1) = p.getViewBox().viewRange()
            out[p] = (float(x0), float(x1), float(y0), float(y1))
        return out

    def field_box(self):
        """The square the fields are evaluated on: the view box (square already)."""
        return square_box(self.visible_box())

    # ------------------------------------------------------------------ layout
    _title_pt = None  # None: from the widget's font
    _side = 0

    def _plots(self) -> list:
        raise NotImplementedError

    def _bars(self) -> list:
        raise NotImplementedError

    def _title_texts(self, short: bool) -> dict:
        """{plot: rich title} in full (short=False) or short form."""
        raise NotImplementedError

    def _title_colour(self, plot) -> str:
        return style.FOREGROUND

    def _apply_fonts(self) -> None:
        """Tick and label fonts at the platform's size (never smaller); axis space to fit them."""
        font = QtGui.QFont(self.font())
        if font.pointSizeF() <= 0:
            font.setPointSizeF(10.0)
        fm = QtGui.QFontMetricsF(font)
        for p in self._plots():
            left, bottom = p.getAxis("left"), p.getAxis("bottom")
            for ax in (left, bottom):
                ax.setTickFont(font)
                ax.setStyle(tickTextOffset=4, tickLength=-5)
            left.setWidth(round(fm.horizontalAdvance("−10.5") + 12))
            bottom.setHeight(round(fm.height() + 12))
        for bar in self._bars():
            bar.axis.setTickFont(font)
            bar.axis.labelStyle = {"color": style.FOREGROUND, "font-size": f"{font.pointSizeF():.3g}pt"}
            bar.axis.setLabel(bar.axis.labelText or None)
            bar.axis.setWidth(round(fm.horizontalAdvance("−10") + fm.height() + 14))

    def _title_points(self) -> float:
        if self._title_pt is not None:
            return self._title_pt
        base = self.font().pointSizeF()
        return max(TITLE_PT, (base if base > 0 else TITLE_PT) * 1.15)

    def _title_font(self) -> QtGui.QFont:
        return _title_font(self.font(), self._title_points())

    def _title_row_px(self) -> int:
        fm = QtGui.QFontMetricsF(self._title_font())
        return round(fm.height() * 1.5 + 4)

    def _fit_panels(self) -> int:
        """Equal square plotting areas for the widget's size; the view box put back. Returns the side (px)."""
        vp = self.viewport().size()
        if vp.width() < 2 or vp.height() < 2:
            return 0
        self._share_left_axes()
        bottom_px = self._view_plot().getAxis("bottom").height() or 0
        side = square_layout.fit(self.ci, self._plots(), self._bars(), vp.width(), vp.height(),
                                 title_px=self._title_row_px(), bottom_px=bottom_px)
        self.ci.layout.activate()
        for item in self._plots() + self._bars():
            if item in self.ci.items:
                item.layout.activate()
        self._side = side
        self._apply_box()
        return side

    def _share_left_axes(self) -> None:
        """Linked panels show one box: y tick labels on the first column only, the others a bare axis line."""
        cols = {p: self.ci.items[p][0][1] for p in self._plots() if p in self.ci.items}
        if not cols:
            return
        first = min(cols.values())
        for p, c in cols.items():
            ax = p.getAxis("left")
            labelled = c == first
            if ax.style.get("showValues", True) != labelled:
                ax.setStyle(showValues=labelled)
                if not labelled:
                    ax._labelled_width = ax.fixedWidth
                    ax.setWidth(6)
                else:
                    ax.setWidth(getattr(ax, "_labelled_width", None))

    # ------------------------------------------------------------------ the auto arrow grid
    ARROW_SPACING_PX = 20.0  # device px between arrows with the arrow grid on "auto"
    PRESENTATION_ARROW_SPACING_PX = 30.0  # talk mode: thicker arrows, further apart

    def _arrow_spacing_px(self) -> float:
        return self.PRESENTATION_ARROW_SPACING_PX if getattr(self, "_presentation", None) is not None \
            else self.ARROW_SPACING_PX

    def auto_arrow_grid(self) -> int:
        """Arrows per axis that put about ``_arrow_spacing_px()`` device pixels between neighbours
        on a panel of the current side (within the limits table's arrow_grid range)."""
        device_side = max(1.0, getattr(self, "_side", 0) * self.devicePixelRatioF())
        lo, hi = limits.bounds("arrow_grid")
        return int(min(max(round(device_side / self._arrow_spacing_px()), lo), hi))

    def _update_arrow_grid(self) -> None:
        """Emit ``sigArrowGridChanged(n)`` when the panels' size calls for another auto grid."""
        n = self.auto_arrow_grid()
        if n != getattr(self, "_arrow_grid", None) and getattr(self, "_side", 0) > 0:
            self._arrow_grid = n
            self.sigArrowGridChanged.emit(n)

    def panel_side(self) -> int:
        """The side of every panel's square plotting area, logical px."""
        return int(self._side)

    def title_fits(self, plot: pg.PlotItem) -> bool:
        """Whether ``plot``'s title, as set, fits the width of its panel."""
        return text_width(plot.titleLabel.text, self._title_font()) <= max(1.0, plot.size().width())

    def _refit_titles(self) -> None:
        """Each title in full when it fits its panel, else its short form (elided at a word as a last resort)."""
        size = f"{self._title_points():.3g}pt"
        font = self._title_font()
        long, short = self._title_texts(False), self._title_texts(True)
        row = self._title_row_px()
        shown = self.__dict__.setdefault("_shown_titles", {})  # plot -> (what decided its title, row) as last set
        for p in self._plots():
            if p not in long:
                continue
            width = max(40.0, (self._side or p.size().width()) + p.getAxis("left").width())
            colour = self._title_colour(p)
            key = (long[p], short[p], width, size, font.family(), colour, row)
            if shown.get(p) == key:  # unchanged (e.g. only another plot's sampler note moved): no re-layout
                continue
            shown[p] = key
            text = long[p] if text_width(long[p], font) <= width else short[p]
            if text_width(text, font) > width:
                text = elide_rich(text, font, width)
            html = rich_html(text, colour=colour, size=size)
            p.setTitle(html)
            p.titleLabel.setMinimumWidth(0)  # a long title must not widen its panel (the panels stay equal)
            p.titleLabel.setMaximumHeight(row)
            p.layout.setRowFixedHeight(0, row)


