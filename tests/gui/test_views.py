"""The drawing pieces on their own: quiver, particles, heat map, brush canvas, curves, spin boxes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from scoreviz.gui import style
from scoreviz.live.brush import MAX_COMPONENTS, BrushCanvas
from scoreviz.core.field_scale import log_levels, magnitude_scale, weighted_quantile
from scoreviz.gui.items.field_scale import FieldScale, error_levels
from scoreviz.gui.items.heat_map import HeatMapItem, cell_rect
from scoreviz.gui.items.quiver import QuiverItem
from scoreviz.gui.views.plots import binned, smoothed


def _render(item, rect=QtCore.QRectF(-2, -2, 4, 4), size=200):
    img = QtGui.QImage(size, size, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(0)
    p = QtGui.QPainter(img)
    # data rect -> image, y up
    p.setTransform(QtGui.QTransform(size / rect.width(), 0, 0, -size / rect.height(),
                                    -rect.left() * size / rect.width(), rect.bottom() * size / rect.height()))
    item.paint(p, None, None)
    p.end()
    return img


def _alpha(img):
    ptr = img.constBits()
    a = np.frombuffer(ptr, np.uint8).reshape(img.height(), img.width(), 4)
    return a[..., 3]


def test_quiver_geometry_centres_scales_and_colours_arrows():
    xs = np.linspace(-1, 1, 5)
    ys = np.linspace(-1, 1, 5)
    v = np.zeros((5, 5, 2))
    v[..., 0] = 3.0  # all pointing +x, magnitude 3
    v[2, 2] = (0.0, 4.0)  # one strong arrow pointing +y
    q = QuiverItem(style.arrow_colormap())
    q.setField(xs, ys, v, scale=FieldScale(mode="linear", ref=4.0))
    assert q.arrowCount() == 25
    segs = q._lines.resize(q._lines.size).reshape(-1, 3, 4)
    shafts = segs[:, 0]
    mids = (shafts[:, :2] + shafts[:, 2:]) / 2
    assert np.allclose(np.sort(mids[:, 0]), np.sort(np.repeat(xs, 5)))  # centred on the grid points
    lengths = np.hypot(shafts[:, 2] - shafts[:, 0], shafts[:, 3] - shafts[:, 1])
    cell = 0.5
    assert lengths.max() == pytest.approx(0.9 * cell)  # the strongest fills 90 % of a cell: never its neighbour
    assert np.sort(lengths)[0] == pytest.approx(0.9 * cell * 3 / 4)  # linear in the magnitude
    # the strongest arrow comes last (highest colour) and points up
    up = shafts[-1]
    assert up[3] > up[1] and up[2] == pytest.approx(up[0])
    # heads: both strokes start at the tip and go back, at least HEAD_MIN_PX long on screen
    assert np.allclose(segs[:, 1, :2], segs[:, 0, 2:]) and np.allclose(segs[:, 2, :2], segs[:, 0, 2:])
    px_per_unit = QuiverItem.FALLBACK_CELL_PX / cell  # not in a view yet: laid out for 20 px cells
    head = np.hypot(segs[:, 1, 2] - segs[:, 1, 0], segs[:, 1, 3] - segs[:, 1, 1]) * px_per_unit
    assert head.min() >= q.head_min_px() - 1e-9
    # direction mode: every arrow the same length
    q.setField(xs, ys, v, scale=FieldScale(mode="direction", ref=4.0))
    segs = q._lines.resize(q._lines.size).reshape(-1, 3, 4)[:, 0]
    assert np.allclose(np.hypot(segs[:, 2] - segs[:, 0], segs[:, 3] - segs[:, 1]), 0.9 * cell)


def test_quiver_short_arrows_keep_a_visible_head_and_near_zero_draws_nothing():
    xs = ys = np.linspace(-1, 1, 5)
    v = np.zeros((5, 5, 2))
    v[..., 0] = 0.2  # 5 % of the scale: drawn, but at the minimum length of two heads
    v[0, :] = (1e-4, 0.0)  # below MIN_FRACTION of the scale: not drawn (no dotted rows at start)
    q = QuiverItem(style.arrow_colormap())
    q.setField(xs, ys, v, scale=FieldScale(mode="linear", ref=4.0))
    assert q.arrowCount() == 20
    shafts = q._lines.resize(q._lines.size).reshape(-1, 3, 4)[:, 0]
    px = np.hypot(shafts[:, 2] - shafts[:, 0], shafts[:, 3] - shafts[:, 1]) * (QuiverItem.FALLBACK_CELL_PX / 0.5)
    assert np.allclose(px, QuiverItem.MIN_LENGTH_HEADS * q.head_min_px())
    q.setField(xs, ys, np.full((5, 5, 2), 1e-9), scale=FieldScale.from_field(np.full((5, 5, 2), 1e-9)))
    assert q.arrowCount() == 25  # a uniform tiny field is its own scale: its arrows read, they are not noise
    q.setField(xs, ys, np.zeros((5, 5, 2)), scale=FieldScale.from_field(np.zeros((5, 5, 2))))
    assert q.arrowCount() == 0


def test_quiver_skips_non_finite_and_zero_vectors_and_paints():
    xs = ys = np.linspace(-1, 1, 4)
    v = np.ones((4, 4, 2))
    v[0, 0] = np.nan
    v[1, 1] = 0.0
    q = QuiverItem(style.arrow_colormap())
    q.setField(xs, ys, v, levels=(0, 2), length_scale=2)
    assert q.arrowCount() == 14
    img = _render(q)
    assert (_alpha(img) > 0).sum() > 100


def test_particle_raster_counts_blurs_and_clips():
    from scoreviz.live.raster import ParticleRaster, RasterTarget

    t = RasterTarget((0.0, 10.0, 0.0, 10.0), 10, 10)  # one data unit per pixel, y up
    pts = np.array([[2.5, 7.5], [np.nan, 1.0], [50.0, 50.0], [-0.5, 3.0]], np.float32)
    c = ParticleRaster.counts(pts, t)
    assert c.shape == (10, 10) and c.sum() == 16  # only the first point lands; a 3x3 binomial of mass 16
    assert c[2, 2] == 4 and c[2, 1] == 2 and c[1, 1] == 1  # row 2 from the top is y in [7, 8)
    crowd = np.repeat([[5.5, 5.5]], 100_000, axis=0).astype(np.float32)
    assert ParticleRaster.counts(crowd, t).max() <= 4095 * 4  # saturates, never wraps
    r = ParticleRaster(np.zeros((256, 3), np.uint8))
    layer = r.particles(pts, t)
    alpha = layer.pixels >> 24
    assert alpha[2, 2] > alpha[2, 1] > alpha[1, 1] > 0 and alpha[8, 8] == 0


def test_particle_raster_heat_map_is_right_way_up():
    from scoreviz.live.raster import ParticleRaster, RasterTarget

    lut = np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1)  # grey ramp
    r = ParticleRaster(lut, floor=1.0)
    xs = ys = np.linspace(-1, 1, 5)
    logp = np.repeat(ys[:, None], 5, axis=1)  # larger at the top (high y)
    heat = r.heat(RasterTarget((-1, 1, -1, 1), 8, 8), (xs, ys, logp))
    grey = heat.pixels & 0xFF
    assert grey[0].mean() > grey[-1].mean()  # row 0 is the top
    assert heat.levels == (0.0, 1.0)
    assert r.heat(RasterTarget((-1, 1, -1, 1), 8, 8), (xs, ys, logp)) is not heat  # a new image object
    same = (xs, ys, logp)
    assert r.heat(RasterTarget((-1, 1, -1, 1), 8, 8), same) is r.heat(RasterTarget((-1, 1, -1, 1), 8, 8), same)


def test_heat_map_colours_values_with_the_bottom_row_at_the_bottom():
    item = HeatMapItem(style.density_colormap())
    v = np.zeros((2, 2))
    v[0, :] = 1.0  # bottom row bright
    item.setImage(v, (0.0, 1.0), QtCore.QRectF(-2, -2, 4, 4))
    item._view_rect = QtCore.QRectF(-2, -2, 4, 4)
    img = _render(item)
    top = QtGui.QColor(img.pixel(100, 20))
    bottom = QtGui.QColor(img.pixel(100, 180))
    assert bottom.lightness() > top.lightness()
    assert item.levels() == (0.0, 1.0)


def test_field_scale_and_cell_rect():
    v = np.zeros((10, 10, 2))
    v[..., 0] = np.arange(100).reshape(10, 10)
    s = FieldScale.from_field(v)  # no density: the plain 95 % quantile of |s|
    assert s.levels == (0.0, 94.0) and s.label() == "|s| (linear)"  # 95 of the 100 values are <= 94
    # weighted by the density: only where q lives counts, whatever the field does far away
    logq = np.full((10, 10), -np.inf)
    logq[0, :5] = 0.0  # the mass sits on magnitudes 0..4
    far = v.copy()
    far[5:] *= 1000.0  # the tails blow up
    assert FieldScale.from_field(far, logq).ref == 4.0
    assert magnitude_scale(None) == 1.0 and magnitude_scale(np.full((2, 2, 2), np.nan)) == 1.0
    with np.errstate(divide="ignore"):  # log 0 = -inf: a weight of zero
        assert weighted_quantile(np.array([1.0, 2.0, 3.0]), np.log(np.array([1.0, 0.0, 1.0])), 0.5) == 1.0
    lg = FieldScale(mode="log", ref=10.0)
    assert lg.levels == pytest.approx((-1.5, 1.5)) and lg.levels == log_levels(10.0)
    assert lg.length_fraction(np.array([10 ** -1.5, 10.0, 10 ** 1.5])) == pytest.approx([0.0, 2.5 / 3, 1.0])
    assert error_levels(lg) == lg.levels
    with pytest.raises(ValueError, match="scale mode 'cubic'"):
        FieldScale(mode="cubic")
    r = cell_rect(np.array([0.0, 1.0, 2.0]), np.array([0.0, 2.0]))
    assert (r.left(), r.width(), r.top(), r.height()) == (-0.5, 3.0, -1.0, 4.0)


def test_brush_canvas_paints_merges_erases_and_undoes():
    c = BrushCanvas(box=(-4, 4, -4, 4))
    assert c.is_empty() and c.density() is None
    c.begin_stroke()
    assert c.paint(0.0, 0.0, radius=0.4, strength=0.5)
    assert not c.paint(0.05, 0.0, radius=0.4, strength=0.5)  # too close to the last dab
    assert c.paint(0.4, 0.0, radius=0.4, strength=0.5)
    c.end_stroke()
    assert len(c) == 2
    c.begin_stroke()
    assert c.paint(0.02, 0.0, radius=0.4, strength=0.5)  # on top of a dab: strengthens it
    c.end_stroke()
    assert len(c) == 2 and c.weights.max() == pytest.approx(1.0)
    d = c.density()
    import torch

    lp = d.log_prob(torch.tensor([[0.0, 0.0], [3.0, 3.0]], dtype=torch.float32))
    assert float(lp[0]) > float(lp[1])
    assert d.box == (-4.0, 4.0, -4.0, 4.0)
    c.begin_stroke()
    assert c.erase(0.4, 0.0, radius=0.4, strength=1.0)
    c.end_stroke()
    assert len(c) == 1  # the erased one is gone
    assert c.undo() and len(c) == 2
    c.clear()
    assert c.is_empty()
    assert c.undo() and len(c) == 2


def test_brush_canvas_is_bounded():
    c = BrushCanvas()
    c.begin_stroke()
    for i in range(MAX_COMPONENTS + 50):
        c.paint(-4 + (i % 100) * 0.08, -4 + (i // 100) * 0.08, radius=0.1, strength=0.2)
    assert len(c) <= MAX_COMPONENTS


def test_binned_and_smoothed_curves():
    steps = np.arange(1, 10_001, dtype=float)
    vals = np.full(10_000, 2.0)
    x, y = binned(steps, vals, max_points=100)
    assert len(x) <= 101 and np.allclose(y, 2.0)
    x, y = binned(steps, vals, max_points=100, log=True)
    assert np.allclose(y, 2.0)
    assert np.allclose(smoothed(np.array([1.0, 3.0, 5.0]), 2), [1.0, 2.0, 4.0])
    short = np.array([1.0, 2.0])
    assert binned(short[:1], short[:1])[1].tolist() == [1.0]


def test_log_spin_box_steps_through_1_2_5(qtbot):
    from scoreviz.gui.controls import LogSpinBox

    box = LogSpinBox(1e-5, 1.0, 1e-3)
    qtbot.addWidget(box)
    box.stepBy(1)
    assert box.value() == pytest.approx(2e-3)
    box.stepBy(2)
    assert box.value() == pytest.approx(1e-2)
    box.stepBy(-3)
    assert box.value() == pytest.approx(1e-3)
    box.setValue(5.0)
    assert box.value() == pytest.approx(1.0)
    assert box.textFromValue(0.001) == "0.001"
    assert math.isclose(box.valueFromText("3e-4"), 3e-4)


def test_a_moving_sampler_note_re_titles_only_its_panel_and_at_most_four_times_a_second(qtbot, monkeypatch,
                                                                                        make_window):
    """A generation's note ("reverse-sde 120/500, t = 0.76") changes every frame; re-laying out every
    title each frame held the interpreter lock the training thread needs (issue 13's train ratio)."""
    import pyqtgraph as pg

    from helpers import small_config, wait_for_frame
    from scoreviz.gui.views import panels as panels_mod

    w = make_window(small_config())
    wait_for_frame(qtbot, w)
    w.evaluator.set_paused(True)  # no frames of its own while the titles are set by hand
    qtbot.wait(200)
    p = w.panels
    calls = {"learned": 0, "particles": 0}
    names = {id(p.learned_plot): "learned", id(p.particles_plot): "particles"}
    original = pg.PlotItem.setTitle

    def counting(self, *a, **k):
        if id(self) in names:
            calls[names[id(self)]] += 1
        return original(self, *a, **k)

    monkeypatch.setattr(pg.PlotItem, "setTitle", counting)
    p._set_titles(None, "sde", "reverse-sde 1/500, t = 0.998")
    assert calls == {"learned": 1, "particles": 1} and "1/500" in p._title_args[2]
    p._set_titles(None, "sde", "reverse-sde 2/500, t = 0.996")  # at once: only counters moved, kept for now
    assert calls == {"learned": 1, "particles": 1} and "1/500" in p._title_args[2]
    clock = [panels_mod.time.perf_counter() + panels_mod.NOTE_INTERVAL_S + 0.01]
    monkeypatch.setattr(panels_mod.time, "perf_counter", lambda: clock[0])
    p._set_titles(None, "sde", "reverse-sde 3/500, t = 0.994")  # a quarter second later: shown
    assert calls == {"learned": 1, "particles": 2} and "3/500" in p._title_args[2]
    p._set_titles(None, "sde", "done (500 steps, NFE 500)")  # other words: at once, whatever the clock
    assert calls == {"learned": 1, "particles": 3} and p._title_args[2].startswith("done")
    p._set_titles(None, "dsm", "done (500 steps, NFE 500)")  # the objective changed: the learned title follows
    assert calls["learned"] == 2 and "dsm" in p.learned_plot.titleLabel.text
