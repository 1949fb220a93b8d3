"""Two linked square heat maps with one colour bar: the model's log p_θ beside the exact log p.

``DensityPairPanels`` (the Model density window's panels) uses the main panels' machinery
(``LinkedViews``: one square data box on equal square plotting areas, platform-sized fonts, titles
that fit their panel, zoom and pan on either panel moves both; Home via ``reset_view``). Both images
use the colour bar's levels, so the same colour is the same log p on both sides; they are the app's
smooth ``HeatMapItem`` (the error panel's), NaN transparent.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore

from scoreviz.gui import style
from scoreviz.gui.i18n import tr
from scoreviz.gui.items.heat_map import HeatMapItem, cell_rect
from scoreviz.gui.views.linked_views import LinkedViews, square_plot

PANEL_MIN_PX = 200


class DensityPairPanels(LinkedViews, pg.GraphicsLayoutWidget):
    """``model_image`` and ``exact_image`` (``HeatMapItem``) on two linked square panels, ``bar`` their
    shared colour bar."""

    sigViewBoxChanged = QtCore.Signal(object)  # the square box shown (zoom, pan, Home)

    def __init__(self, parent=None):
        style.configure_pyqtgraph()
        super().__init__(parent)
        self.setMinimumSize(2 * PANEL_MIN_PX + 80, PANEL_MIN_PX + 60)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.model_plot = self._plot()
        self.exact_plot = self._plot()
        self.exact_plot.setXLink(self.model_plot)
        self.exact_plot.setYLink(self.model_plot)
        self.model_image = HeatMapItem(style.density_colormap())
        self.exact_image = HeatMapItem(style.density_colormap())
        self.model_plot.addItem(self.model_image)
        self.exact_plot.addItem(self.exact_image)
        self.bar = pg.ColorBarItem(values=(-10.0, 0.0), colorMap=style.density_colormap(), interactive=False,
                                   width=14, colorMapMenu=False)
        self.bar.getAxis("left").setWidth(4)
        self.bar.axis.setLabel(tr("log p (nats)"))
        self.bar.axis.enableAutoSIPrefix(False)
        self._titles = {False: {}, True: {}}
        self._density_box = None
        self._rects: dict = {}  # item -> the rectangle its grid covers
        self._apply_fonts()
        self.ci.addItem(self.model_plot, 0, 0)
        self.ci.addItem(self.exact_plot, 0, 1)
        self.ci.addItem(self.bar, 0, 2)
        self._watch_manual_ranges()
        self._built = True

    @staticmethod
    def _plot() -> pg.PlotItem:
        return square_plot(cached_axes=False)

    # ------------------------------------------------------------------ LinkedViews
    def _view_plot(self) -> pg.PlotItem:
        return self.model_plot

    def _linked_plots(self) -> list:
        return [self.model_plot, self.exact_plot]

    def _plots(self) -> list:
        return [self.model_plot, self.exact_plot]

    def _bars(self) -> list:
        return [self.bar]

    def _title_texts(self, short: bool) -> dict:
        return self._titles[short]

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        if self.__dict__.get("_built"):
            self._fit_panels()
            self._refit_titles()

    # ------------------------------------------------------------------ content
    def set_titles(self, model: tuple[str, str], exact: tuple[str, str]) -> None:
        """(full, short) rich titles of the two panels; each shows in full where it fits."""
        self._titles = {False: {self.model_plot: model[0], self.exact_plot: exact[0]},
                        True: {self.model_plot: model[1], self.exact_plot: exact[1]}}
        self._refit_titles()

    def set_box(self, box) -> None:
        """Show ``box`` (the density's; made square) on both panels; Home comes back to it."""
        self._density_box = tuple(float(v) for v in box)
        self._suppress_view_signal = True
        try:
            self.set_view_box(self._density_box)
        finally:
            self._suppress_view_signal = False

    def density_box(self):
        """The box ``set_box`` was given (None before), as given."""
        return self._density_box

    def set_levels(self, levels: tuple[float, float]) -> None:
        """The colour bar's levels, and both images' (what is drawn is redrawn at them)."""
        self.bar.setLevels((float(levels[0]), float(levels[1])))
        for item, rect in self._rects.items():
            if item.values() is not None:
                item.setImage(item.values(), self.levels(), rect)

    def levels(self) -> tuple[float, float]:
        lo, hi = self.bar.levels()
        return float(lo), float(hi)

    def show_values(self, item: HeatMapItem, xs: np.ndarray, ys: np.ndarray, values: np.ndarray) -> None:
        """values (H, W) on the grid xs (W,), ys (H,) (row 0 at ys[0]), at the colour bar's levels."""
        self._rects[item] = cell_rect(xs, ys)
        item.setImage(np.asarray(values, dtype=np.float32), self.levels(), self._rects[item])

    def clear_values(self, item: HeatMapItem) -> None:
        """``item`` empty (NaN is transparent)."""
        if item.values() is not None:
            item.setImage(np.full_like(item.values(), np.nan), self.levels(), self._rects[item])

    def is_empty(self, item: HeatMapItem) -> bool:
        v = item.values()
        return v is None or not np.isfinite(v).any()
