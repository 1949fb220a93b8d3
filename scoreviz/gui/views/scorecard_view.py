"""The Scorecard dock: the particles measured against the exact data density p, live.

``ScorecardView`` draws a frame's ``scorecard`` (``scoreviz.live.scorecard_meter``): a bar chart of the
sampled against the true mode weights (true in grey, sampled in the accent colour, two bars per mode)
with "modes found k/K" and the numbers KL, TV and sliced W; each card it draws it also sends
(``cardShown``) to the curves under the particles panel, where KL and sliced W are drawn against
the sampler's steps (``plots.TrainingPlots.show_scorecard``). ``add_scorecard_dock`` puts it in a dock on the right of a window (View ▸
Scorecard, Ctrl+Shift+G); the display thread measures only while the dock is visible.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from scoreviz.core.scorecard import FOUND_FRACTION
from scoreviz.gui import style
from scoreviz.gui.i18n import N_, tr
from scoreviz.gui.items.native import NativePaint
from scoreviz.gui.views.measure_dock import MeasureView, add_measure_dock, font as _font

UPDATE_S = 0.25  # redraw at most 4 times a second: faster flickers, and each redraw costs the training thread
TRUE_BRUSH = "#6b7280"
LABEL_PT = 9.5

TIP_TARGET = N_("Measured against the exact data density p (the preset, drawing or image itself), "
                "also for annealed samplers and smoothed objectives.")
TIPS = {  # shown as _tip(key): tr(TIPS[key]).format(found=FOUND_FRACTION) + tr(TIP_TARGET)
    "modes": N_("Mode weights: each particle goes to its most responsible mixture component (the posterior "
                "argmax); the sampled weight of a mode is the fraction of particles assigned to it (on a fixed "
                "subsample of at most 2000 particles, ~1 % binomial error). Grey: the true weight. A mode is "
                "found when its sampled weight is at least {found:g} × its true weight. Plain Langevin "
                "on the NCSN mixture keeps ½ : ½ instead of ⅕ : ⅘; annealed Langevin recovers it. "),
    "kl": N_("KL(p̂ ‖ q) in nats: the particles' histogram on a 64 × 64 grid of the density's box (plus one cell "
             "outside), both sides smoothed by a 1-cell Gaussian, against q's exact cell masses. 0 is a perfect "
             "match; biased upward at small N (exact samples read ~0.005–0.01 at N = 10 000, more at fewer "
             "particles); understates differences finer than a cell or two. "),
    "tv": N_("Total variation ½ Σ|p̂ − q| on the same smoothed grid: the mass in the wrong place, 0 to 1. "),
    "sw": N_("Sliced Wasserstein W1: the mean over 64 directions of the 1-D transport distance between ≤ 2000 "
             "particles and 2000 exact samples of p, in the density's units; a shift by v reads (2/π)|v|. "
             "Exact samples read ~0.04–0.08 (biased upward). Updated every second. "),
}


def _tip(key: str | None) -> str:
    """The tooltip of a scorecard item, translated: what ``key`` measures and against what (None: only the latter)."""
    target = tr(TIP_TARGET)
    return target if key is None else tr(TIPS[key]).format(found=FOUND_FRACTION) + target


class _NativePlot(NativePaint, pg.PlotWidget):
    """A plot painted by Qt's C++ (``items/native.py``): no Python paintEvent holding the interpreter lock."""

    def __init__(self):
        super().__init__()
        self.paint_natively([self.getPlotItem().getViewBox()])


def _nice_top(top: float) -> float:
    """The bar chart's y range top for bars up to ``top``: 15 % headroom, rounded up to a tenth (at most 1),
    so the axis keeps its ticks while the bars move a little."""
    return min(1.0, math.ceil(1.15 * max(top, 0.05) * 10.0) / 10.0)


class ScorecardView(MeasureView):
    """The live scorecard of a frame: mode-weight bars and KL / TV / sliced W; ``cardShown(card)``
    after each card drawn (None when cleared), for the KL / sliced W curves under the particles."""

    cardShown = QtCore.Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        style.configure_pyqtgraph()
        self.setObjectName("scorecardView")
        self.setMinimumWidth(220)
        self._shown = None  # the Scorecard drawn last
        self._last_t = -np.inf
        self.min_interval_s = UPDATE_S
        self._components = None
        self._top = None  # the bar chart's y range top in force

        self.found = QtWidgets.QLabel(tr("modes found —"))
        self.found.setToolTip(_tip("modes"))
        self.bars_plot = _NativePlot()
        self.bars_plot.setMenuEnabled(False)
        self.bars_plot.setMouseEnabled(False, False)
        self.bars_plot.hideButtons()
        self.bars_plot.setYRange(0.0, 1.0, padding=0.02)
        self.bars_plot.getPlotItem().getAxis("left").setWidth(34)
        self.bars_plot.setToolTip(_tip("modes"))
        self.true_bars = pg.BarGraphItem(x=[], height=[], width=0.38, brush=TRUE_BRUSH, pen=None)
        self.sampled_bars = pg.BarGraphItem(x=[], height=[], width=0.38, brush=style.ACCENT, pen=None)
        self.bars_plot.addItem(self.true_bars)
        self.bars_plot.addItem(self.sampled_bars)
        self.no_modes = QtWidgets.QLabel("")
        self.no_modes.setWordWrap(True)
        self.no_modes.setStyleSheet(f"color: {style.MUTED};")
        self.no_modes.hide()

        self.values = {}
        self.names = []
        grid = QtWidgets.QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        for row, (key, name) in enumerate((("kl", "KL(p̂‖q)"), ("tv", "TV"), ("sw", tr("sliced W")))):
            lab = QtWidgets.QLabel(name)
            val = QtWidgets.QLabel("—")
            val.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
            val.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
            for w in (lab, val):
                w.setToolTip(_tip(key))
            lab.setStyleSheet(f"color: {style.MUTED};")
            self.names.append(lab)
            grid.addWidget(lab, row, 0)
            grid.addWidget(val, row, 1)
            self.values[key] = val
        self.n_label = QtWidgets.QLabel("")
        self.n_label.setStyleSheet(f"color: {style.MUTED};")
        self.n_label.setToolTip(_tip(None))


        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.setSpacing(4)
        lay.addWidget(self.found)
        lay.addWidget(self.bars_plot, 3)
        lay.addWidget(self.no_modes)
        lay.addLayout(grid)
        lay.addWidget(self.n_label)
        lay.addStretch(1)
        self._apply_fonts()

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(260, 520)

    # ------------------------------------------------------------------ look
    def _apply_fonts(self) -> None:
        s = self._scale
        self.found.setFont(_font(LABEL_PT * 1.15 * s, bold=True))
        for w in (self.no_modes, self.n_label):
            w.setFont(_font(LABEL_PT * s))
        for val in self.values.values():
            val.setFont(_font(LABEL_PT * 1.1 * s, bold=True))
        for lab in self.names:
            lab.setFont(_font(LABEL_PT * s))
        tick = _font(LABEL_PT * 0.85 * s)
        for p in (self.bars_plot,):
            for name in ("left", "bottom"):
                ax = p.getPlotItem().getAxis(name)
                ax.setStyle(tickFont=tick)
                if name == "left":
                    ax.setWidth(int(34 * s))
        self.bars_plot.setMinimumHeight(int(160 * s))

    # ------------------------------------------------------------------ drawing
    def show_frame(self, frame, force: bool = False) -> None:
        """Draw ``frame.scorecard`` (at most every ``min_interval_s``, and only while visible)."""
        card = getattr(frame, "scorecard", None)
        if card is self._shown or (not force and not self.isVisible()):
            return
        now = time.perf_counter()
        if not force and now - self._last_t < self.min_interval_s:
            return
        self._last_t = now
        self.show_card(card)

    def show_card(self, card) -> None:
        self._shown = card
        if card is None:
            for v in self.values.values():
                v.setText("—")
            self.found.setText(tr("modes found —"))
            self.n_label.setText("")
            self.cardShown.emit(None)
            return
        self.values["kl"].setText(f"{card.kl:.3f}")
        self.values["tv"].setText(f"{card.tv:.3f}")
        sw = card.sliced_wasserstein
        self.values["sw"].setText("—" if sw is None else f"{sw:.3f}")
        self.n_label.setText(
            tr("{n:,} particles at step {step:,} ({dropped:,} diverged, left out)").format(
                n=card.n, step=card.step, dropped=card.dropped) if card.dropped
            else tr("{n:,} particles at step {step:,}").format(n=card.n, step=card.step))
        self._show_modes(card)
        self.cardShown.emit(card)

    def _show_modes(self, card) -> None:
        if card.mode_weights is None:
            self.bars_plot.hide()
            self.no_modes.setText(tr("no modes: a grid density") if card.components == 0 else
                                  tr("{k} components: too many to chart as modes").format(k=card.components))
            self.no_modes.show()
            self.found.setText(tr("modes —"))
            return
        self.no_modes.hide()
        self.bars_plot.show()
        k = card.mode_weights.shape[0]
        x = np.arange(1, k + 1, dtype=np.float64)
        self.true_bars.setOpts(x=x - 0.2, height=card.true_mode_weights, width=0.38)
        self.sampled_bars.setOpts(x=x + 0.2, height=card.mode_weights, width=0.38)
        if k != self._components:
            self._components = k
            self.bars_plot.setXRange(0.4, k + 0.6, padding=0.0)
            self.bars_plot.getPlotItem().getAxis("bottom").setTicks([[(float(i), str(int(round(i)))) for i in x]])
        top = _nice_top(max(float(card.mode_weights.max()), float(card.true_mode_weights.max())))
        if top != self._top:  # a new range re-ticks the axis: only when the bars outgrow it
            self._top = top
            self.bars_plot.setYRange(0.0, top, padding=0.02)
        self.found.setText(tr("modes found {found}/{k}").format(found=card.modes_found, k=k))

    # ------------------------------------------------------------------ for tests and exports
    def sampled_weights(self) -> np.ndarray | None:
        h = self.sampled_bars.opts.get("height")
        return None if h is None or len(h) == 0 or self.bars_plot.isHidden() else np.asarray(h, dtype=np.float64)


def add_scorecard_dock(window, view: ScorecardView) -> QtWidgets.QDockWidget:
    """``view`` in a "Scorecard" dock on the right of ``window``; its View action toggles it (Ctrl+Shift+G,
    also with the menu bar hidden); ``window.evaluator`` measures only while it is visible."""
    return add_measure_dock(window, view, title=tr("Scorecard"), name="scorecardDock", shortcut="Ctrl+Shift+G",
                            tip=tr("The particles against the exact data density p: mode weights, KL, TV, sliced W"),
                            measures="scorecard",
                            action_tip=tr("Show or hide the scorecard: mode weights, KL, TV and sliced W of the "
                                          "particles (Ctrl+Shift+G)"))
