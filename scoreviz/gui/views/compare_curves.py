"""The compare window's curves: ``CompareCurves``, relative Fisher divergence of every configuration.

Two log-scale plots side by side, against steps and against each configuration's own training
seconds, one curve per configuration in its colour (``config_colour``), with one legend above them.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from scoreviz.gui import style
from scoreviz.gui.i18n import tr
from scoreviz.gui.items.native import NativePaint
from scoreviz.gui.views.compare_panels import config_colour
from scoreviz.gui.views.plots import STEP_PAD, LogAxis, decade_at_least, step_range


class _CurvePlot(NativePaint, pg.PlotWidget):
    def __init__(self, title: str, xlabel: str):
        super().__init__(axisItems={"left": LogAxis("left")})
        self.paint_natively([self.getPlotItem().getViewBox()])
        p = self.getPlotItem()
        html = f'<span style="color:{style.FOREGROUND}; font-size:9pt;">{title}</span>'  # title: translated
        p.setTitle(html)
        p.setLabel("bottom", xlabel)
        p.setLabel("left", tr("relative F"))
        p.showGrid(x=True, y=True, alpha=0.15)
        p.setMenuEnabled(False)
        p.hideButtons()
        p.getAxis("left").enableAutoSIPrefix(False)
        p.getAxis("bottom").enableAutoSIPrefix(False)
        self.setLogMode(False, True)
        self.setMinimumSize(160, 100)


def _seconds_range(last: float) -> tuple[float, float]:
    """Seconds axis for data up to ``last`` s: 0 to the last, padded (at least 0 … 1 s)."""
    hi = max(float(last), 1.0)
    return -STEP_PAD * hi, hi * (1 + STEP_PAD)


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
        self.step_plot = _CurvePlot(tr("Relative Fisher divergence  F / E‖∇log q‖²  vs steps"), tr("step"))
        self.time_plot = _CurvePlot(tr("… vs training time (each configuration's own seconds)"), tr("seconds"))
        lay.addWidget(self.step_plot)
        lay.addWidget(self.time_plot)
        self.step_curves: list = []
        self.time_curves: list = []
        self._labels: tuple = ()
        self._key = None
        self.setToolTip(tr("Relative Fisher divergence of every configuration, measured every K steps on 10 000 "
                           "fresh samples of its own target; against steps (fair: all make the same steps) and "
                           "against the time its own training steps took. Log scale."))

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
        last_step = max((c.step for c in frame.curves), default=0)
        last_s = max((c.seconds for c in frame.curves), default=0.0)
        for plot, last in ((self.step_plot, last_step), (self.time_plot, last_s)):
            lo, hi = step_range(last) if plot is self.step_plot else _seconds_range(last)
            plot.getPlotItem().getViewBox().enableAutoRange(x=False)
            plot.setXRange(lo, hi, padding=0)  # from 0 to the data, never a degenerate axis around one point
            decade_at_least(plot, values)

