"""The Identities dock: the score-matching objectives are one objective up to a constant, shown live.

``IdentitiesView`` draws a frame's ``identities`` (``scoreviz.live.identities_meter``), measured on the
network as it trains, on one shared batch of exact samples:

- on p: esm, ism + c, ssm + c and ssm-vr + c (c = ½E‖∇log p‖², exact or Monte Carlo as the line below
  says) against the training steps, each with a band of ±2 standard errors: integration by parts makes
  them one curve, whichever objective trains the network;
- on p_σ: esm on p_σ and dsm − C (C = 1/σ² − ½E‖∇log p_σ‖²): denoising is esm on the noised density;
- the latest differences with their errors and whether each identity holds (within 3 standard errors),
  and each estimator's per-sample standard deviation (dsm's grows like 1/σ²; ssm-vr is not always the
  quieter of the two sliced ones);
- tr ∇ₓs_θ, the term integration by parts creates, as a heat map over the panels' box, with the first
  projection v of a few samples drawn as arrows (the picture of slicing: vᵀ∇ₓs v estimates the trace).

``add_identities_dock`` puts it in a dock (View ▸ Identities, Ctrl+Shift+I); the display thread measures
only while the dock is shown (about 10-40 ms once a second).
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.gui import style
from scoreviz.gui.i18n import N_, tr
from scoreviz.gui.items.probe_marks import arrow_pairs
from scoreviz.gui.views.linked_views import elide_rich, free_title_width, text_width
from scoreviz.gui.views.measure_dock import MeasureView, add_measure_dock, font as _font
from scoreviz.gui.views.symmetric_map import SymmetricMap

BAND_SE = 2.0  # bands of ±2 standard errors
HOLD_SE = 3.0  # an identity holds when within 3 standard errors of 0
LABEL_PT = 9.5
ARROW_LENGTH = 0.12  # projections drawn this fraction of the box wide
DIVERGENCE_LEVEL_QUANTILE = 0.98  # the colour bar spans ± this quantile of |tr ∇ₓs_θ|
# (curve index in IdentitiesCard.values, label, colour, dashed); the labels are the objectives' names and
# mathematics, shown as they are, but for the one with words (N_: its legend shows tr(label))
ON_P = ((0, "esm", style.ACCENT, False), (1, "ism + c", "#ffd166", False), (2, "ssm + c", "#ef476f", False),
        (3, "ssm-vr + c", "#06d6a0", False))
ON_P_SIGMA = ((4, N_("esm on p<sub>σ</sub>"), style.ACCENT, False), (5, "dsm − C", style.LOSS_PEN, False))
STD_NAMES = (("esm", "esm"), ("ism", "ism"), ("ssm", "ssm"), ("ssm_vr", "ssm-vr"), ("dsm", "dsm"))
IDENTITY_ROWS = (("esm_minus_ism_shifted", "esm − (ism + c)"), ("esm_minus_ssm_shifted", "esm − (ssm + c)"),
                 ("esm_minus_ssm_vr_shifted", "esm − (ssm-vr + c)"),
                 ("esm_sigma_minus_dsm_shifted", "esm<sub>σ</sub> − (dsm − C)"))

TIP = N_("The network as it trains, measured by every objective on one shared batch of 2000 exact samples "
          "(once a second while this dock is shown). Integration by parts makes esm, ism + c, ssm + c and ssm-vr + c "
          "the same number (c = ½E‖∇log p‖², which does not depend on θ); denoising makes dsm − C equal esm on "
          "the noised density p_σ (C = 1/σ² − ½E‖∇log p_σ‖²). Bands: ±2 standard errors. The curves lie on each "
          "other whichever objective trains the network: the objectives differ in their cost and their noise, "
          "not in what they minimise.")


class _CurvePlot(pg.PlotWidget):
    """A curve plot whose title fits its width (elided at a word where it is too long): a title never
    widens the plot past the dock, which cut the title, the legend and the last tick at the dock's edge."""

    def __init__(self, title: str):
        super().__init__()
        self._title = title
        self._fitted = None
        free_title_width(self.getPlotItem())

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        self.fit_title()

    def fit_title(self) -> None:
        p = self.getPlotItem()
        if p is None or getattr(self, "_title", None) is None:  # a resize while PlotWidget is being built
            return
        font = p.titleLabel.item.font()
        width = max(40.0, self.width() - 12.0)
        text = self._title if text_width(self._title, font) <= width else elide_rich(self._title, font, width)
        if text != self._fitted:
            self._fitted = text
            html_title = f'<span style="color:{style.FOREGROUND};">{text}</span>'  # text: translated by the caller
            p.setTitle(html_title)

    def shown_title(self) -> str:
        """The title as shown (for tests)."""
        return self._fitted or ""


def _curve_plot(title: str, ylabel: str) -> pg.PlotWidget:
    w = _CurvePlot(title)
    w.setMenuEnabled(False)
    w.hideButtons()
    p = w.getPlotItem()
    w.fit_title()
    p.setLabel("bottom", tr("step"))
    p.setLabel("left", ylabel)
    p.showGrid(x=True, y=True, alpha=0.15)
    p.getAxis("left").enableAutoSIPrefix(False)
    p.addLegend(offset=(-6, 6), labelTextColor=style.FOREGROUND, brush=pg.mkBrush("#181b21cc"))
    w.setMinimumHeight(110)
    return w


_TRANSLATED_LABELS = {ON_P_SIGMA[0][1]}  # the curve labels marked N_ (the others are names and formulas)


def _legend_label(label: str) -> str:
    """A curve's label as its legend shows it: translated when it has words (marked N_), else as it is."""
    return tr(label) if label in _TRANSLATED_LABELS else label


class _Band:
    """One curve with its ±BAND_SE band."""

    def __init__(self, plot: pg.PlotWidget, label: str, colour: str, dashed: bool):
        pen = pg.mkPen(colour, width=2, style=QtCore.Qt.PenStyle.DashLine if dashed else QtCore.Qt.PenStyle.SolidLine)
        self.line = plot.plot([], [], pen=pen, name=_legend_label(label))
        self.lo = pg.PlotCurveItem([], [])
        self.hi = pg.PlotCurveItem([], [])
        fill = QtGui.QColor(colour)
        fill.setAlphaF(0.22)
        self.band = pg.FillBetweenItem(self.lo, self.hi, brush=pg.mkBrush(fill))
        self.band.setZValue(-5)  # under the curves
        plot.addItem(self.band)

    def set(self, x: np.ndarray, y: np.ndarray, se: np.ndarray) -> None:
        self.line.setData(x, y)
        self.lo.setData(x, y - BAND_SE * se)
        self.hi.setData(x, y + BAND_SE * se)


class DivergenceView(SymmetricMap):
    """tr ∇ₓs_θ over the panels' box, symmetric colours, with a few projections v as arrows."""

    def __init__(self, parent=None):
        html = f'<span style="color:{style.FOREGROUND};">{tr("tr ∇ₓs<sub>θ</sub> and projections v")}</span>'
        super().__init__(html, "tr ∇ₓs_θ", 12, parent)
        pen = pg.mkPen("#ffffff", width=1.6)
        pen.setCosmetic(True)
        self.arrows = pg.PlotCurveItem(connect="pairs", pen=pen)
        self.plot.addItem(self.arrows)
        self.points = pg.ScatterPlotItem(size=5, brush=pg.mkBrush("#ffffff"), pen=None)
        self.plot.addItem(self.points)
        self.setMinimumHeight(150)
        self.setToolTip(tr("tr ∇ₓs_θ, the divergence of the learned field: the term integration by parts creates "
                           "in ism (E_p[s·∇log p] = −E_p[tr ∇ₓs]). Arrows: the first random projection v of a few of "
                           "the shared samples; ssm estimates the trace by vᵀ∇ₓs v, exact on average because "
                           "E[vvᵀ] = I."))

    def show_map(self, divergence, projections) -> None:
        if divergence is None or divergence is self._shown:
            return
        self._shown = divergence
        xs, ys, tr_map = divergence
        self.show_field(xs, ys, tr_map, DIVERGENCE_LEVEL_QUANTILE)
        self.set_box((xs[0], xs[-1], ys[0], ys[-1]))
        if projections is not None:
            pts, v = projections
            size = ARROW_LENGTH * float(xs[-1] - xs[0])
            norm = np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
            self.arrows.setData(*arrow_pairs(pts, pts + size * v / norm * np.minimum(norm, 2.0) / 2.0))
            self.points.setData(pos=pts)


class IdentitiesView(MeasureView):
    """The identities of a frame (module docstring)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        style.configure_pyqtgraph()
        self.setObjectName("identitiesView")
        self._shown = None
        self.on_p = _curve_plot(tr("on p: one objective up to c"), tr("value"))
        self.on_p_sigma = _curve_plot(tr("on p<sub>σ</sub>: dsm is esm of the noised p"), tr("value"))
        for w in (self.on_p, self.on_p_sigma):
            w.setToolTip(tr(TIP))
        self.p_bands = [_Band(self.on_p, lab, col, dash) for _, lab, col, dash in ON_P]
        self.s_bands = [_Band(self.on_p_sigma, lab, col, dash) for _, lab, col, dash in ON_P_SIGMA]
        self.table = QtWidgets.QLabel(tr("measuring starts when the dock is shown…"))
        self.table.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.table.setWordWrap(True)
        self.table.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table.setToolTip(tr("The latest differences (0 in expectation) with ±1 standard error and z = "
                                 "difference / error; ✓ when within 3 errors. Per-sample std: the spread of one "
                                 "sample's estimate, which sets how many samples each objective needs."))
        self.divergence = DivergenceView()
        self.setMinimumWidth(272)  # with the controls and the panels the window still fits a 1280-wide screen
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(3, 4, 3, 4)
        lay.setSpacing(4)
        lay.addWidget(self.on_p, 3)
        lay.addWidget(self.on_p_sigma, 2)
        lay.addWidget(self.table)
        lay.addWidget(self.divergence, 3)
        self._apply_fonts()

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(380, 760)

    def _apply_fonts(self) -> None:
        s = self._scale
        self.table.setFont(_font(LABEL_PT * s))
        tick = _font(LABEL_PT * 0.85 * s)
        for w in (self.on_p, self.on_p_sigma):
            for name in ("left", "bottom"):
                w.getPlotItem().getAxis(name).setStyle(tickFont=tick)

    def show_frame(self, frame) -> None:
        card = getattr(frame, "identities", None)
        if card is None or card is self._shown or not self.isVisible():
            return
        self.show_card(card)

    def show_card(self, card) -> None:
        self._shown = card
        x = card.steps
        for (i, *_), band in zip(ON_P, self.p_bands):
            band.set(x, card.values[:, i], card.errors[:, i])
        for (i, *_), band in zip(ON_P_SIGMA, self.s_bands):
            band.set(x, card.values[:, i], card.errors[:, i])
        self.table.setText(self._table_html(card))
        self.divergence.show_map(card.divergence, card.projections)

    @staticmethod
    def _table_html(card) -> str:
        m = card.latest
        rows = []
        for key, label in IDENTITY_ROWS:
            d, se = m.differences[key], m.standard_errors[key]
            z = d / se if se > 0 else 0.0
            ok = abs(z) <= HOLD_SE
            mark = f"<span style='color:{'#06d6a0' if ok else '#ef476f'}'>{'✓' if ok else '✗'}</span>"
            rows.append(f"<tr><td style='white-space:nowrap'>{label}</td>"
                        f"<td align='right' style='white-space:nowrap'>{d:+.3f} ± {se:.2g}</td>"
                        f"<td align='right' style='white-space:nowrap'>&nbsp;z {z:+.1f} {mark}</td></tr>")
        stds = " · ".join(f"{lab} {m.std[key]:.3g}" for key, lab in STD_NAMES)
        c = m.half_mean_sq_true_score
        per_sample = tr("per-sample std: {stds}").format(stds=stds)
        return (f"<table cellspacing='2'>{''.join(rows)}</table>"
                f"<div style='color:{style.MUTED}'>c = ½E‖∇log p‖² = {c.value:.4g} ({html.escape(card.constant_method)}), "
                f"C = {m.dsm_constant:.4g} ({html.escape(card.dsm_constant_method)}), σ = {card.sigma:g}, "
                f"N = {m.n:,}<br>{per_sample}</div>")

    # ------------------------------------------------------------------ for tests
    def curve(self, label: str) -> tuple[np.ndarray, np.ndarray]:
        for (_, lab, *_), band in list(zip(ON_P, self.p_bands)) + list(zip(ON_P_SIGMA, self.s_bands)):
            if lab == label:
                return band.line.getData()
        raise KeyError(label)


def add_identities_dock(window, view: IdentitiesView) -> QtWidgets.QDockWidget:
    """``view`` in an "Identities" dock on the right of ``window`` (View ▸ Identities, Ctrl+Shift+I, also with the
    menu bar hidden); ``window.evaluator`` measures only while it is visible."""
    return add_measure_dock(window, view, title=tr("Identities"), name="identitiesDock", shortcut="Ctrl+Shift+I",
                            tip=tr(TIP), measures="identities",
                            action_tip=tr("Show or hide the identities: every objective measured on the network as "
                                          "it trains (Ctrl+Shift+I)"))
