"""Curves under the panels: the training loss and the relative Fisher divergence against training
steps and, under the particles while the scorecard is measured, KL and sliced W of the particles
against the exact p against the sampler's steps."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

from scoreviz.gui import style
from scoreviz.gui.i18n import N_, tr
from scoreviz.gui.items.axis_look import AxisLook
from scoreviz.gui.items.native import NativePaint

MAX_POINTS = 1500  # points drawn per curve; longer histories are binned (mean per bin)
MAX_FISHER_POINTS = 300  # Fisher points drawn: the early, dense ones are merged along the step axis
STEP_PAD = 0.02  # the step axis runs from 0 to the last step, padded by this share of its length
TITLE_PT = 9.0
TITLE_ROW_PX = 30  # pyqtgraph's title row
PRESENTATION_SCALE = 1.6  # talk mode: type this many times larger


def binned(steps: np.ndarray, values: np.ndarray, max_points: int = MAX_POINTS, log: bool = False):
    """Down to ~max_points points: the mean of each bin (geometric mean on a log axis)."""
    n = values.shape[0]
    if n <= max_points:
        return steps, values
    b = int(math.ceil(n / max_points))
    m = (n // b) * b
    v = values[:m].reshape(-1, b)
    if log:
        with np.errstate(divide="ignore", invalid="ignore"):
            y = np.exp(np.log(np.maximum(v, 1e-300)).mean(axis=1))
    else:
        y = v.mean(axis=1)
    x = steps[:m].reshape(-1, b).mean(axis=1)
    if m < n:
        x = np.append(x, steps[m:].mean())
        tail = values[m:]
        y = np.append(y, np.exp(np.log(np.maximum(tail, 1e-300)).mean()) if log else tail.mean())
    return x, y


def thinned(steps: np.ndarray, values: np.ndarray, max_points: int = MAX_FISHER_POINTS):
    """At most about ``max_points`` points spread along the step axis.

    The curve is evaluated densely early (``metrics.curve_interval``); on a linear step axis those
    points crowd the left edge. Points that fall in one of ``max_points`` equal stretches of
    [first step, last step] merge into one (mean step, geometric mean value: the axis is log);
    the first and the last points are kept as they are, so the curve spans exactly what was measured.
    """
    n = values.shape[0]
    if n <= max_points or n < 3:
        return steps, values
    x0, x1 = float(steps[0]), float(steps[-1])
    if not x1 > x0:
        return steps[[0, -1]], values[[0, -1]]
    mid_x, mid_v = steps[1:-1], values[1:-1]
    idx = np.clip(((mid_x - x0) / (x1 - x0) * max_points).astype(np.int64), 0, max_points - 1)
    bins, inv = np.unique(idx, return_inverse=True)
    counts = np.bincount(inv, minlength=bins.size)
    x = np.bincount(inv, weights=mid_x, minlength=bins.size) / counts
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.exp(np.bincount(inv, weights=np.log(np.maximum(mid_v, 1e-300)), minlength=bins.size) / counts)
    return (np.concatenate([steps[:1], x, steps[-1:]]), np.concatenate([values[:1], y, values[-1:]]))


def step_range(last_step: float) -> tuple[float, float]:
    """The step axis for data up to ``last_step``: from 0 to the last step, padded; never degenerate
    (a single point at step 2000 gives about −40…2040, not 1999.6…2000.4)."""
    hi = max(float(last_step), 1.0)
    return -STEP_PAD * hi, hi * (1 + STEP_PAD)


def smoothed(values: np.ndarray, window: int) -> np.ndarray:
    """Trailing moving average (display only); the first points average what exists so far."""
    if window <= 1 or values.size == 0:
        return values
    c = np.cumsum(np.insert(values, 0, 0.0))
    idx = np.arange(1, values.size + 1)
    lo = np.maximum(idx - window, 0)
    return (c[idx] - c[lo]) / (idx - lo)


class LogAxis(pg.AxisItem):
    """A log axis labelled with plain numbers at 1, 2 and 5 times a power of ten (only 1s over wide ranges)."""

    def logTickStrings(self, values, scale, spacing):
        vmin, vmax = self.range
        wide = abs(vmax - vmin) > 3
        out = []
        for v in values:
            x = 10.0 ** (v * scale) if not math.isnan(v) else float("nan")
            if not math.isfinite(x) or x <= 0:
                out.append("")
                continue
            mant = round(x / 10.0 ** math.floor(math.log10(x) + 1e-9), 6)
            keep = mant == 1.0 if wide else mant in (1.0, 2.0, 5.0)
            out.append(f"{x:.3g}" if keep else "")
        return out


def decade_at_least(plot: pg.PlotWidget, values: np.ndarray) -> None:
    """Log y range covering the values and at least one decade, so the axis shows readable decade labels."""
    v = values[np.isfinite(values) & (values > 0)]
    if v.size == 0:
        return
    lo, hi = math.log10(float(v.min())), math.log10(float(v.max()))
    if hi - lo < 1.0:
        mid = (lo + hi) / 2
        lo, hi = mid - 0.5, mid + 0.5
    plot.setYRange(lo, hi, padding=0.05)


class _PlotWidget(NativePaint, pg.PlotWidget):
    def __init__(self):
        super().__init__(axisItems={"left": LogAxis("left")})
        self.paint_natively([self.getPlotItem().getViewBox()])


SAMPLES_TIP = N_("The particles against the exact data density p, against the sampler's steps (log scale): "
                 "KL(p̂‖q) of their smoothed 64 × 64 histogram (blue) and the sliced Wasserstein distance W1 to "
                 "exact samples (orange), from the live scorecard (View ▸ Scorecard, Ctrl+Shift+G). The curve "
                 "starts over when the particles are reset or the density or the sampler changes.")


class TrainingPlots(QtWidgets.QWidget):
    """Live plots with log-scaled y: loss (raw and smoothed) and relative Fisher divergence against
    training steps, and (while the scorecard is measured) the particles' KL and sliced W against the
    sampler's steps, under the particles panel."""

    def __init__(self, parent=None):
        style.configure_pyqtgraph()
        super().__init__(parent)
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        self.loss_plot = _PlotWidget()
        self.fisher_plot = _PlotWidget()
        self.samples_plot = _PlotWidget()
        kl = f"<span style='color:{style.ACCENT}'>KL</span>"
        sw = f"<span style='color:{style.LOSS_PEN}'>{tr('sliced W')}</span>"
        self._titles = {self.loss_plot: tr("Training loss"),
                        self.fisher_plot: tr("Relative Fisher divergence  F / E‖∇log q‖²"),
                        self.samples_plot: tr("Particles vs p: {kl}, {sw}").format(kl=kl, sw=sw)}
        for w, ylabel in ((self.loss_plot, tr("loss")), (self.fisher_plot, tr("relative F")),
                          (self.samples_plot, "KL, W")):
            p = w.getPlotItem()
            self._set_title(w, TITLE_PT)
            p.setLabel("bottom", tr("step"))
            p.setLabel("left", ylabel)
            p.showGrid(x=True, y=True, alpha=0.15)
            p.setMenuEnabled(False)
            p.hideButtons()
            p.getAxis("left").enableAutoSIPrefix(False)
            w.setMinimumHeight(120)
            w.setMinimumWidth(150)  # three fit under the panels at 1280 x 720 with both docks open
            lay.addWidget(w, 1)
        self.loss_plot.setLogMode(False, True)
        self.fisher_plot.setLogMode(False, True)
        self.samples_plot.setLogMode(False, True)
        self.samples_plot.getPlotItem().setLabel("bottom", tr("sampler step"))
        self.samples_plot.setToolTip(tr(SAMPLES_TIP))
        self.kl_curve = self.samples_plot.plot(pen=pg.mkPen(style.ACCENT, width=2))
        self.sw_curve = self.samples_plot.plot(pen=pg.mkPen(style.LOSS_PEN, width=2))
        self.samples_plot.hide()  # shown while the scorecard is measured (set_samples_visible)
        self._card = None
        self._samples_x = self._samples_y = None  # the samples plot's ranges in force (step; log10 value)
        self._loss_log = True
        raw_pen = pg.mkPen(style.LOSS_PEN + "55", width=1)
        self.loss_raw = self.loss_plot.plot(pen=raw_pen)
        self.loss_smooth = self.loss_plot.plot(pen=pg.mkPen(style.LOSS_PEN, width=2))
        self.fisher_curve = self.fisher_plot.plot(pen=pg.mkPen(style.FISHER_PEN, width=2), symbol="o", symbolSize=4,
                                                  symbolBrush=style.FISHER_PEN, symbolPen=None)
        self._key = None
        self._presentation: dict | None = None  # what set_presentation(True) changed, to put back
        self.setToolTip(tr("Loss of every training step (faint) and its moving average; the relative Fisher "
                           "divergence of the learned score against the target on 10 000 fresh samples, measured "
                           "often early and less often later (about 70 points between any step N/2 and N), "
                           "within 5 % of the training time. Both on log scales, against the same steps."))

    def _set_title(self, w: pg.PlotWidget, points: float) -> None:
        p = w.getPlotItem()
        html = f'<span style="color:{style.FOREGROUND}; font-size:{points:.3g}pt;">{self._titles[w]}</span>'
        p.setTitle(html)
        row = round(TITLE_ROW_PX * points / TITLE_PT)
        if row != TITLE_ROW_PX:  # setTitle fixed the row at pyqtgraph's 30 px
            p.titleLabel.setMaximumHeight(row)
            p.layout.setRowFixedHeight(0, row)

    def axes(self) -> list[pg.AxisItem]:
        return [w.getPlotItem().getAxis(name) for w in (self.loss_plot, self.fisher_plot, self.samples_plot)
                for name in ("left", "bottom")]

    # ------------------------------------------------------------------ the particles against p
    def set_samples_visible(self, on: bool) -> None:
        """Show the KL / sliced W plot (under the particles panel) or hide it."""
        self.samples_plot.setVisible(bool(on))

    def samples_visible(self) -> bool:
        return not self.samples_plot.isHidden()

    def show_scorecard(self, card) -> None:
        """KL and sliced W of a ``scorecard_meter.Scorecard`` against the sampler's steps (None: empty)."""
        if card is self._card:
            return
        self._card = card
        if card is None:
            self.kl_curve.setData([], [])
            self.sw_curve.setData([], [])
            self._samples_x = self._samples_y = None
            return
        kl = np.maximum(np.asarray(card.kl_history, float), 1e-4)  # a log axis: 0 reads as 1e-4
        sw = np.maximum(np.asarray(card.sw_history, float), 1e-4)
        self.kl_curve.setData(np.asarray(card.kl_steps, float), kl)
        self.sw_curve.setData(np.asarray(card.sw_steps, float), sw)
        both = np.concatenate([kl, sw])
        if both.size:  # new ranges re-tick the axes: only when the curves leave them (steps: 25 % headroom)
            lo_v, hi_v = math.floor(math.log10(float(both.min())) * 2) / 2, math.ceil(math.log10(float(both.max())) * 2) / 2
            if (lo_v, hi_v) != self._samples_y:
                self._samples_y = (lo_v, hi_v)
                self.samples_plot.setYRange(lo_v, max(hi_v, lo_v + 1.0), padding=0.05)
            last = max(float(np.max(card.kl_steps)) if len(card.kl_steps) else 0.0,
                       float(np.max(card.sw_steps)) if len(card.sw_steps) else 0.0)
            first = min(float(np.min(card.kl_steps)) if len(card.kl_steps) else 0.0,
                        float(np.min(card.sw_steps)) if len(card.sw_steps) else 0.0)
            x = self._samples_x
            if x is None or last > x[1] or first < x[0] or last < x[0] + 0.5 * (x[1] - x[0]) - 1:
                span = max(last - first, 10.0)
                self._samples_x = (first - 0.02 * span, last + 0.25 * span)
                self.samples_plot.getPlotItem().getViewBox().enableAutoRange(x=False)
                self.samples_plot.setXRange(*self._samples_x, padding=0)

    def set_presentation(self, on: bool, scale: float = PRESENTATION_SCALE) -> None:
        """Talk mode: titles, ticks and axis labels ``scale`` times larger, thicker curves.
        Off puts back exactly what was there before."""
        on = bool(on)
        if on == (self._presentation is not None):
            return
        curves = (self.loss_raw, self.loss_smooth, self.fisher_curve, self.kl_curve, self.sw_curve)
        if on:
            looks = {ax: AxisLook.of(ax) for ax in self.axes()}
            self._presentation = {"axes": looks, "pens": [QtGui.QPen(c.opts["pen"]) for c in curves],
                                  "symbol_size": self.fisher_curve.opts["symbolSize"]}
            for ax, look in looks.items():
                look.scaled(scale, self.font()).apply(ax)
            for c in curves:
                pen = QtGui.QPen(c.opts["pen"])
                pen.setWidthF(pen.widthF() * 1.5)
                c.setPen(pen)
            self.fisher_curve.setSymbolSize(self._presentation["symbol_size"] * scale)
            points = TITLE_PT * scale
        else:
            saved, self._presentation = self._presentation, None
            for ax, look in saved["axes"].items():
                look.apply(ax)
            for c, pen in zip(curves, saved["pens"]):
                c.setPen(pen)
            self.fisher_curve.setSymbolSize(saved["symbol_size"])
            points = TITLE_PT
        for w in (self.loss_plot, self.fisher_plot, self.samples_plot):
            self._set_title(w, points)

    def presentation(self) -> bool:
        return self._presentation is not None

    def clear(self) -> None:
        self.loss_raw.setData([], [])
        self.loss_smooth.setData([], [])
        self.fisher_curve.setData([], [])
        self.show_scorecard(None)
        self._key = None
        self._set_steps(0)

    def _set_steps(self, last_step: float) -> None:
        """Both plots show steps 0 … ``last_step`` (the same axis, so the curves line up)."""
        lo, hi = step_range(last_step)
        for w in (self.loss_plot, self.fisher_plot):
            w.getPlotItem().getViewBox().enableAutoRange(x=False)
            w.setXRange(lo, hi, padding=0)

    def step_range(self) -> tuple[float, float]:
        """The step axis now shown (both plots share it)."""
        return tuple(self.fisher_plot.getPlotItem().getViewBox().viewRange()[0])

    def show_history(self, losses: np.ndarray, fisher: np.ndarray, history_epoch: int) -> None:
        """losses (steps,) of steps 1..n; fisher (k, 3) rows (step, F, relative F)."""
        key = (history_epoch, losses.shape[0], fisher.shape[0])
        if key == self._key:
            return
        self._key = key
        n = losses.shape[0]
        if n == 0:
            self.loss_raw.setData([], [])
            self.loss_smooth.setData([], [])
        else:
            finite = losses[np.isfinite(losses)]
            log = bool(finite.size == 0 or finite.min() > 0)
            if log != self._loss_log:  # ism/ssm losses can be negative: a log axis cannot show them
                self._loss_log = log
                self.loss_plot.setLogMode(False, log)
                self.loss_plot.setLabel("left", tr("loss") if log else tr("loss (linear)"))  # linear: ism/ssm losses can be negative
            steps = np.arange(1, n + 1, dtype=np.float64)
            x, y = binned(steps, losses, log=log)
            self.loss_raw.setData(x, y)
            window = max(1, min(200, n // 20))
            xs, ys = binned(steps, smoothed(losses, window), log=log)
            self.loss_smooth.setData(xs, ys)
            if log:
                decade_at_least(self.loss_plot, y)
            else:
                self.loss_plot.enableAutoRange(y=True)
        last = float(n)
        if fisher.shape[0]:
            ok = np.isfinite(fisher[:, 2]) & (fisher[:, 2] > 0)
            x, y = thinned(fisher[ok, 0], fisher[ok, 2])
            self.fisher_curve.setData(x, y)
            decade_at_least(self.fisher_plot, fisher[ok, 2])
            last = max(last, float(fisher[-1, 0]))
        else:
            self.fisher_curve.setData([], [])
        self._set_steps(last)
