"""The fading particle paths: segments per age, breaks at non-finite points, painted in a view."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui

from scoreviz.gui.items.trails import MAX_ALPHA, MIN_ALPHA, TrailsItem


def test_segments_are_grouped_by_age_and_fade_towards_the_past(qtbot):
    item = TrailsItem()
    k, m = 5, 7
    path = np.cumsum(np.ones((k, m, 2)), axis=0) + np.arange(m)[None, :, None]
    item.setTrails(path)
    assert item.segmentCount() == (k - 1) * m
    alphas = [pen.color().alphaF() for _, _, pen in item._runs]
    assert len(alphas) == k - 1 and alphas == sorted(alphas)
    assert abs(alphas[-1] - MAX_ALPHA) < 0.01 and alphas[0] >= MIN_ALPHA
    r = item._rect
    assert (r.left(), r.top(), r.right(), r.bottom()) == (1.0, 1.0, 5.0 + m - 1, 5.0 + m - 1)


def test_a_non_finite_position_breaks_its_path_only(qtbot):
    item = TrailsItem()
    path = np.zeros((4, 3, 2))
    path[:, :, 0] = np.arange(4)[:, None]
    path[2, 1] = np.nan  # particle 1 diverged at frame 2: segments 1->2 and 2->3 of it are gone
    item.setTrails(path)
    assert item.segmentCount() == 3 * 3 - 2
    item.setTrails(None)
    assert item.segmentCount() == 0 and item._runs == []


def test_trails_are_painted_in_a_plot(qtbot):
    w = pg.PlotWidget()
    qtbot.addWidget(w)
    w.resize(200, 200)
    w.setBackground("k")
    w.hideAxis("left")
    w.hideAxis("bottom")
    item = TrailsItem(colour="#ffffff", width=3)
    w.addItem(item)
    w.setRange(xRange=(-1, 1), yRange=(-1, 1), padding=0)
    t = np.linspace(-0.8, 0.8, 10)
    item.setTrails(np.stack([t, np.zeros_like(t)], -1)[:, None, :])  # (10 frames, 1 particle, 2)
    w.show()
    qtbot.waitExposed(w)
    img = w.grab().toImage()
    row = [QtGui.QColor(img.pixel(x, img.height() // 2)).lightness() for x in range(img.width())]
    bright = [x for x, v in enumerate(row) if v > 60]
    assert bright and bright[-1] - bright[0] > img.width() * 0.5  # a horizontal line across most of the plot
