"""``SymmetricMap``: a scalar field over a box as a heat map with a diverging colour map whose colour bar is
symmetric about 0 (the curl panel and the divergence map of the Identities dock). It does not pan or zoom
by itself: its owner sets the box."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from scoreviz.gui.items.heat_map import HeatMapItem, cell_rect


class SymmetricMap(pg.GraphicsLayoutWidget):
    """A heat map of values about 0 with its colour bar (``title``: the plot's title, rich text allowed;
    ``bar_label``: the colour bar's axis label)."""

    def __init__(self, title: str, bar_label: str, bar_width: int = 14, parent=None):
        super().__init__(parent)
        self.plot = pg.PlotItem()
        self.plot.setAspectLocked(True)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.setTitle(title)
        self.plot.vb.disableAutoRange()
        cmap = pg.colormap.get("CET-D1")
        self.image = HeatMapItem(cmap)
        self.plot.addItem(self.image)
        self.bar = pg.ColorBarItem(values=(-1, 1), colorMap=cmap, interactive=False, width=bar_width,
                                   colorMapMenu=False)
        self.bar.axis.setLabel(bar_label)
        self.bar.axis.enableAutoSIPrefix(False)
        self.ci.addItem(self.plot, 0, 0)
        self.ci.addItem(self.bar, 0, 1)
        self._shown = None  # the field drawn last (compared by identity)

    def set_box(self, box) -> None:
        x0, x1, y0, y1 = box
        self.plot.vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)

    def show_field(self, xs, ys, values, quantile: float) -> None:
        """Draw ``values`` (len(ys), len(xs)) on the grid xs × ys; the levels span ± the ``quantile`` of |values|
        (one wild cell does not wash the map out); non-finite cells read 0."""
        c = np.ascontiguousarray(np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0), dtype=np.float32)
        m = max(float(np.quantile(np.abs(c), quantile)) if c.size else 0.0, 1e-6)
        self.image.setImage(c, (-m, m), cell_rect(xs, ys))
        self.bar.setLevels((-m, m))

    def values(self) -> np.ndarray | None:
        return self.image.values()
