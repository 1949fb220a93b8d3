"""Equal, square panels in a pyqtgraph ``GraphicsLayout``, and ticks that never crowd.

Every panel's plotting area (its ViewBox) gets exactly the same S x S pixels, whatever the
titles, axes and colour bars around it: aspect-locked, linked views of equal squares show
exactly the same data box. The panels are centred in the widget; colour bars are as tall as the
panels' plotting areas and sit level with them.

``fit`` is called by the panel widgets on every resize and whenever their set of items changes.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6 import QtCore, QtGui

MIN_SIDE = 40  # px: the smallest plotting area a panel is given
BAR_GAP_FACTOR = 3.0  # the gap after a colour bar, in units of the spacing
_MIN = QtCore.Qt.SizeHint.MinimumSize


def nice_step(raw: float) -> float:
    """The smallest of 1, 2, 5 x 10^k that is >= ``raw`` (raw > 0)."""
    if not (raw > 0) or not math.isfinite(raw):
        return 1.0
    k = math.floor(math.log10(raw))
    for m in (1.0, 2.0, 5.0, 10.0):
        step = m * 10.0 ** k
        if step >= raw * (1 - 1e-9):
            return step
    return 10.0 ** (k + 1)


def tick_step(span: float, pixels: float, min_px: float | QtGui.QFont) -> float:
    """A nice tick spacing (data units) for an axis of ``pixels`` pixels showing ``span`` data units.

    ``min_px``: the least distance between labelled ticks; or a font, and then each candidate
    spacing must leave room for its own widest label plus a gap of about two characters (so "2"
    steps can sit closer than "2.5" steps) and never less than 2.5 line heights.
    """
    span, pixels = abs(float(span)), max(float(pixels), 1.0)
    if not isinstance(min_px, QtGui.QFont):
        return nice_step(span * float(min_px) / pixels)
    fm = QtGui.QFontMetricsF(min_px)
    floor_px = 2.5 * fm.height()
    step = nice_step(span * floor_px / pixels)
    for _ in range(12):
        decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
        widest = max(fm.horizontalAdvance(f"−{v:.{decimals}f}") for v in (span, step, span / 2))
        if step * pixels / span >= widest + 2.0 * fm.averageCharWidth():
            return step
        step = nice_step(step * 1.0001 * 2)
    return step


def set_ticks(plot: pg.PlotItem, step: float) -> None:
    """Labelled ticks every ``step`` on both axes of ``plot`` (one level: pyqtgraph labels every level it can)."""
    for name in ("left", "bottom"):
        ax = plot.getAxis(name)
        if getattr(ax, "_scoreviz_step", None) != step:
            ax._scoreviz_step = step
            ax.setTickSpacing(levels=[(step, 0.0)])


def _plot_items(ci: pg.GraphicsLayout, items) -> list:
    return [i for i in items if i in ci.items and i.isVisible()]


def _overhead(item: pg.PlotItem, side: float) -> tuple[float, float]:
    """Width and height ``item`` needs beyond its ViewBox's ``side`` x ``side`` square."""
    item.vb.setFixedWidth(side)
    item.vb.setFixedHeight(side)
    item.setMinimumSize(0, 0)
    item.setMaximumSize(1e6, 1e6)
    item.layout.invalidate()
    hint = item.layout.effectiveSizeHint(_MIN)
    return max(0.0, hint.width() - side), max(0.0, hint.height() - side)


def _bar_overhead(bar: pg.ColorBarItem, side: float) -> tuple[float, float]:
    bar.vb.setMinimumHeight(0)
    bar.vb.setMaximumHeight(1e6)
    bar.vb.setFixedHeight(side)
    bar.setMinimumSize(0, 0)
    bar.setMaximumSize(1e6, 1e6)
    bar.layout.invalidate()
    hint = bar.layout.effectiveSizeHint(_MIN)
    return max(0.0, hint.width()), max(0.0, hint.height() - side)


def fit(ci: pg.GraphicsLayout, plots, bars, width: float, height: float, *, title_px: float,
        bottom_px: float, margin: float = 4, spacing: float = 6) -> int:
    """Give every visible plot of ``plots`` in ``ci`` a ViewBox of S x S px (the largest that fits
    ``width`` x ``height``), colour bars as tall as S and level with them; centre the whole. Returns S.

    ``title_px`` is the title row's height of every panel, ``bottom_px`` the bottom axis' height:
    the colour bars reserve the same rows so that their scales line up with the panels.
    """
    plots = _plot_items(ci, plots)
    bars = _plot_items(ci, bars)
    if not plots:
        return 0
    rows = sorted({r for p in plots for r, _ in ci.items[p]})
    plot_cols = sorted({c for p in plots for _, c in ci.items[p]})
    for bar in bars:
        bar.layout.setRowFixedHeight(0, title_px)
        bar.layout.setRowFixedHeight(3, bottom_px)
    probe = 100
    over = {p: _overhead(p, probe) for p in plots}
    bover = {b: _bar_overhead(b, probe) for b in bars}
    cols = sorted({c for item in plots + bars for _, c in ci.items[item]})
    bar_cols = [c for c in cols if c not in plot_cols]
    col_over = {c: max([over[p][0] for p in plots if ci.items[p][0][1] == c] or [0.0]) for c in plot_cols}
    bar_w = {c: max([bover[b][0] for b in bars if ci.items[b][0][1] == c] or [0.0]) for c in bar_cols}
    row_over = {r: max([over[p][1] for p in plots if ci.items[p][0][0] == r] or [0.0]) for r in rows}
    # a colour bar's label sits at its right: a wider gap after it keeps it with its own bar
    col_gap = {c: (BAR_GAP_FACTOR * spacing if c in bar_cols else spacing) for c in cols[:-1]}
    avail_w = width - 2 * margin - sum(col_gap.values()) - sum(bar_w.values()) - sum(col_over.values())
    avail_h = height - 2 * margin - spacing * (len(rows) - 1) - sum(row_over.values())
    side = int(max(MIN_SIDE, math.floor(min(avail_w / len(plot_cols), avail_h / len(rows)))))
    for p in plots:
        p.vb.setFixedWidth(side)
        p.vb.setFixedHeight(side)
        w, h = col_over[ci.items[p][0][1]] + side, row_over[ci.items[p][0][0]] + side
        p.setFixedWidth(w)
        p.setFixedHeight(h)
    for b in bars:
        b.vb.setFixedHeight(side)
        b.setFixedWidth(bar_w[ci.items[b][0][1]])
        b.setFixedHeight(row_over[ci.items[b][0][0]] + side)
    content_w = sum(col_over.values()) + side * len(plot_cols) + sum(bar_w.values()) + sum(col_gap.values())
    content_h = sum(row_over.values()) + side * len(rows) + spacing * (len(rows) - 1)
    left = max(0.0, math.floor((width - content_w) / 2))
    top = max(0.0, math.floor((height - content_h) / 2))
    ci.setContentsMargins(left, top, max(0.0, width - content_w - left), max(0.0, height - content_h - top))
    ci.layout.setHorizontalSpacing(spacing)
    ci.layout.setVerticalSpacing(spacing)
    # a grid layout spaces empty columns and rows too (items removed, e.g. the error panel or a
    # one-panel figure): only the used ones, except the last, are followed by the spacing
    for c in range(ci.layout.columnCount()):
        ci.layout.setColumnSpacing(c, col_gap.get(c, 0))
    used_rows = sorted({r for item in plots + bars for r, _ in ci.items[item]})
    for r in range(ci.layout.rowCount()):
        ci.layout.setRowSpacing(r, spacing if r in used_rows[:-1] else 0)
    for c in range(ci.layout.columnCount()):
        ci.layout.setColumnStretchFactor(c, 0)
    for item in plots + bars:
        ci.layout.setAlignment(item, QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignTop)
    ci.layout.invalidate()
    return side
