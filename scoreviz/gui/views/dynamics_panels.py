"""The "Every dynamic" window's panels: one linked square panel per dynamic, particles over log p.

``DynamicsPanels.show_frame(frame)`` draws a ``DynamicsFrame`` (``live.dynamics_settings``): each panel
shows the data density's log p as a heat map (``HeatMapItem``), the dynamic's particles (``DotsItem``) and
the fading trails of its first particles (``TrailsItem``), titled with the dynamic's name in its colour and
"step i/N · NFE k · t = ..." (``LinkedViews`` fits each title: in full, short, or elided); the same numbers
stay readable in a corner label of each panel (``status_text``) however narrow the panel.  All panels
are equal squares showing one data box, zoomed and panned together; 2 to 5 panels are arranged in the
rows and columns that give the largest squares for the widget's shape (one row on a wide window).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.gui import style
from scoreviz.gui.i18n import tr
from scoreviz.gui.items.dots import DotsItem
from scoreviz.gui.items.heat_map import HeatMapItem, cell_rect
from scoreviz.gui.items.trails import TrailsItem
from scoreviz.gui.views.compare_panels import config_colour
from scoreviz.gui.views.linked_views import LinkedViews, square_plot

PANEL_MIN_PX = 140
HEAT_RANGE = 10.0  # log p shown over [max - 10, max], as the other windows' density panels
PANEL_OVERHEAD_PX = (56, 60)  # axis + margins beside and title + axis below a panel's square, for arranging


def arrangement(count: int, width: float, height: float) -> tuple[int, int]:
    """(rows, cols) for ``count`` square panels in ``width`` x ``height`` pixels: the largest squares
    (fewest rows on a tie)."""
    best, best_side = (1, max(count, 1)), -1.0
    ow, oh = PANEL_OVERHEAD_PX
    for rows in range(1, max(count, 1) + 1):
        cols = math.ceil(count / rows)
        side = min((width - ow * cols) / cols, (height - oh * rows) / rows)
        if side > best_side + 1e-9:
            best, best_side = (rows, cols), side
    return best


def _diverged(st) -> str:
    """The " · k diverged" of a dynamic whose particles left the numbers (else nothing)."""
    return tr(" · {n} diverged").format(n=st.diverged) if st.diverged else ""


def status_line(st) -> str:
    """A DynamicState's ``status()`` ("step i/N · NFE k · t = ...") in the interface's language."""
    return tr("step {index}/{steps} · NFE {nfe} · t = {t:.3g}").format(index=st.index, steps=st.steps, nfe=st.nfe,
                                                                       t=st.t) + _diverged(st)


class DynamicsPanels(LinkedViews, pg.GraphicsLayoutWidget):
    """One square panel per dynamic (see the module's description)."""

    sigViewBoxChanged = QtCore.Signal(object)  # the square the panels show, after a zoom or pan

    def __init__(self, parent=None):
        style.configure_pyqtgraph()
        super().__init__(parent)
        self.setMinimumSize(2 * PANEL_MIN_PX, PANEL_MIN_PX)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._names: tuple = ()
        self._status: dict = {}
        self._density_box = None
        self._heat_src = None
        self._grid = (1, 1)
        self._built = False
        self.plots: list[pg.PlotItem] = []
        self._build(())

    # ------------------------------------------------------------------ building
    def _plot(self) -> pg.PlotItem:
        return square_plot(cached_axes=False)

    def _build(self, names: tuple) -> None:
        """(Re)build one panel per dynamic; the view box stays."""
        self.ci.clear()
        self._names = tuple(names)
        self._status = {}
        self._heat_src = None
        self.plots, self.heat_images, self.trails, self.dots, self.labels = [], [], [], [], []
        for i, _ in enumerate(self._names):
            p = self._plot()
            heat = HeatMapItem(style.density_colormap())
            heat.setZValue(-10)
            trails = TrailsItem(config_colour(i), width=1.0)  # a wider pen strokes ~10x slower (raster engine)
            dots = DotsItem("#f2f4f8", size=2.6, alpha=0.75)
            for item in (heat, trails, dots):
                p.addItem(item, ignoreBounds=True)
            p.setToolTip(tr("{name}: its particles over log p of the data; the coloured lines are the recent paths "
                            "of some of them. Wheel / drag: zoom / pan every panel together")
                         .format(name=self._names[i]))
            self.labels.append(self._corner_label(p))
            self.plots.append(p)
            self.heat_images.append(heat)
            self.trails.append(trails)
            self.dots.append(dots)
        for p in self.plots[1:]:
            p.setXLink(self.plots[0])
            p.setYLink(self.plots[0])
        if not self.plots:  # an empty widget until the first frame: one blank panel keeps the layout sane
            self._blank = self._plot()
            self.plots_or_blank = [self._blank]
        else:
            self.plots_or_blank = list(self.plots)
        self._grid = None
        self._place()
        self._apply_fonts()
        self._watch_manual_ranges()
        self._built = True
        self._fit_panels()
        self._refit_titles()

    def _corner_label(self, p: pg.PlotItem) -> tuple:
        """A dark box with light text in the panel's top-left corner (screen pixels: zoom leaves it be)."""
        box = QtWidgets.QGraphicsRectItem(p.vb)
        box.setBrush(QtGui.QColor(16, 19, 24, 190))
        box.setPen(QtGui.QPen(QtCore.Qt.PenStyle.NoPen))
        box.setZValue(60)
        text = QtWidgets.QGraphicsSimpleTextItem(box)
        text.setBrush(QtGui.QColor(style.FOREGROUND))
        font = QtGui.QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(max(font.pointSizeF(), 9.0))
        text.setFont(font)
        box.hide()
        return box, text

    def _set_corner(self, i: int, st) -> None:
        box, text = self.labels[i]
        lines = tr("step {index}/{steps} · NFE {nfe}\nt = {t:.3g}").format(index=st.index, steps=st.steps,
                                                                          nfe=st.nfe, t=st.t) + _diverged(st)
        if text.text() != lines:
            text.setText(lines)
            r = text.boundingRect()
            text.setPos(5, 3)
            box.setRect(0, 0, r.width() + 10, r.height() + 6)
            box.setPos(4, 4)
        box.show()

    def status_text(self, i: int) -> str:
        """Panel i's corner label (plain text, two lines)."""
        return self.labels[i][1].text()

    def _place(self) -> bool:
        """Put the panels in the rows and columns that suit the widget's shape; True when that changed."""
        vp = self.viewport().size()
        grid = arrangement(len(self.plots_or_blank), max(vp.width(), 1), max(vp.height(), 1))
        if grid == self._grid:
            return False
        self._grid = grid
        for p in self.plots_or_blank:
            if p in self.ci.items:
                self.ci.removeItem(p)
        cols = grid[1]
        for i, p in enumerate(self.plots_or_blank):
            self.ci.addItem(p, i // cols, i % cols)
        return True

    # ------------------------------------------------------------------ LinkedViews
    def _plots(self) -> list:
        return list(self.plots_or_blank)

    def _bars(self) -> list:
        return []

    def _linked_plots(self) -> list:
        return [p for p in self.plots_or_blank if p in self.ci.items]

    def _view_plot(self) -> pg.PlotItem:
        return self.plots_or_blank[0]

    def _title_texts(self, short: bool) -> dict:
        out = {}
        for i, (p, name) in enumerate(zip(self.plots, self._names)):
            st = self._status.get(i)
            if st is None:
                out[p] = f"<b>{name}</b>"
            elif short:
                out[p] = f"<b>{name}</b> {st.index}/{st.steps} · NFE {st.nfe} · t={st.t:.2g}"
            else:
                out[p] = f"<b>{name}</b> · {status_line(st)}"
        return out

    def _title_colour(self, plot) -> str:
        for i, p in enumerate(self.plots):
            if p is plot:
                return config_colour(i)
        return style.FOREGROUND

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        if self.__dict__.get("_built"):
            self._place()
            self._fit_panels()
            self._refit_titles()

    # ------------------------------------------------------------------ reading back (tests, the window)
    def names(self) -> tuple:
        return self._names

    def title_text(self, i: int) -> str:
        """Panel i's title as shown, plain text."""
        doc = QtGui.QTextDocument()
        doc.setHtml(self.plots[i].titleLabel.text)
        return doc.toPlainText()

    def grid_shape(self) -> tuple[int, int]:
        return self._grid

    # ------------------------------------------------------------------ drawing
    def show_frame(self, frame) -> None:
        """Draw a DynamicsFrame: a panel per dynamic (rebuilt when the dynamics changed)."""
        names = tuple(s.name for s in frame.dynamics)
        if names != self._names:
            self._build(names)
        if frame.box is not None and tuple(frame.box) != self._density_box:
            self._density_box = tuple(frame.box)
            self.set_view_box(self._density_box)
        if frame.heat is not None and frame.heat is not self._heat_src:
            self._heat_src = frame.heat
            hxs, hys, logp = frame.heat
            finite = logp[np.isfinite(logp)]
            hi = float(finite.max()) if finite.size else 0.0
            lo = hi - HEAT_RANGE
            img = np.where(np.isfinite(logp), np.maximum(logp, lo), lo)
            for h in self.heat_images:
                h.setImage(img, (lo, hi), cell_rect(hxs, hys))
        for i, st in enumerate(frame.dynamics):
            self._status[i] = st
            self.dots[i].setPoints(st.positions)
            self.trails[i].setTrails(st.trail if st.trail.shape[0] >= 2 else None)
            self._set_corner(i, st)
        self._refit_titles()

    def clear_view(self) -> None:
        """No panels (before the first frame, or after a refusal)."""
        self._build(())
