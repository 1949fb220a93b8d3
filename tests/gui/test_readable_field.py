"""Issue 10: a field a room can read. Linked views show one square box that stays put; the magnitude
scale follows the density; arrows are spaced in device pixels; colour bars and captions never
overlap or get cut, in the window and in talk mode."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from helpers import small_config, wait_for_frame
from helpers import wait_for_frame as wait_frame
from scoreviz.core.field_scale import magnitude_scale


def _settle(qtbot, ms: int = 150) -> None:
    qtbot.wait(ms)


def _assert_linked(panels) -> tuple:
    """Every linked panel shows exactly the window's one square box, on equal squares; returns the box."""
    box = panels.visible_box()
    assert box[1] - box[0] == pytest.approx(box[3] - box[2], rel=1e-9)  # square in data units
    ranges = panels.view_ranges()
    assert len(ranges) >= 3
    for r in ranges.values():
        assert r == pytest.approx(box, abs=1e-6 * (box[1] - box[0]))
    sides = {(round(p.getViewBox().width()), round(p.getViewBox().height())) for p in ranges}
    assert len(sides) == 1 and sides.pop() == (panels.panel_side(),) * 2
    for p in ranges:  # each bottom axis spans its plotting area exactly: a long title never widens a column
        assert p.getAxis("bottom").width() == pytest.approx(p.getViewBox().width(), abs=1.0)
    return box


def test_linked_boxes_are_equal_after_home_resize_and_the_error_panel(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    box0 = _assert_linked(w.panels)
    w.panels.learned_plot.getViewBox().scaleBy((0.5, 0.5))  # a zoom on one panel (as the wheel does)
    w.panels._manual_range(w.panels.learned_plot.getViewBox())
    zoomed = _assert_linked(w.panels)
    assert zoomed[1] - zoomed[0] == pytest.approx(0.5 * (box0[1] - box0[0]), rel=1e-6)
    w.act_view.trigger()  # Home
    assert _assert_linked(w.panels) == pytest.approx(box0)
    w.panels.set_error_visible(True)  # four panels: still equal squares, the same box (no tall strips)
    _settle(qtbot)
    assert _assert_linked(w.panels) == pytest.approx(box0)
    w.resize(1100, 700)
    _settle(qtbot)
    assert _assert_linked(w.panels) == pytest.approx(box0)


def _objective(w, name):
    w.controls.objective.name.setCurrentText(name)


def test_the_view_stays_across_objective_sampler_talk_and_annealed_runs(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    box0 = _assert_linked(w.panels)
    for name in ("ssm", "ncsn", "ssm", "ncsn", "ssm", "ncsn"):  # the switch that used to widen ±5 to ±7
        _objective(w, name)
        wait_for_frame(qtbot, w, lambda f, n=name: f.state.cfg.objective.name == n)
        assert _assert_linked(w.panels) == pytest.approx(box0)
    w.controls.sampler.source.setCurrentText("true")
    w.controls.sampler.kind.setCurrentText("annealed")
    wait_for_frame(qtbot, w, lambda f: f.state.cfg.sampler.sampler == "annealed")
    w.play()
    wait_for_frame(qtbot, w, lambda f: f.state.step >= 30)  # particles anneal and wander: the box stays
    w.pause()
    assert _assert_linked(w.panels) == pytest.approx(box0)
    w.talk_mode.set_active(True)
    _settle(qtbot, 400)
    assert _assert_linked(w.panels) == pytest.approx(box0)
    w.talk_mode.set_active(False)
    _settle(qtbot, 600)
    assert _assert_linked(w.panels) == pytest.approx(box0)


def test_a_zoom_survives_talk_mode_and_an_objective_switch(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    w.panels.set_view_box((-1.0, 2.0, -0.5, 2.5))
    user = _assert_linked(w.panels)
    _objective(w, "ssm")
    wait_for_frame(qtbot, w, lambda f: f.state.cfg.objective.name == "ssm")
    w.talk_mode.set_active(True)
    _settle(qtbot, 400)
    w.talk_mode.set_active(False)
    _settle(qtbot, 600)
    assert _assert_linked(w.panels) == pytest.approx(user)


def test_the_scale_follows_the_density_and_equals_a_fresh_open(qtbot, make_window):
    w = make_window()
    f = wait_for_frame(qtbot, w, lambda f: f.snapshot.true is not None)
    first = w.panels.field_scale().ref
    assert first == pytest.approx(magnitude_scale(f.snapshot.true, f.snapshot.log_density))
    w.controls.density.preset.setCurrentText("banana")
    g = wait_for_frame(qtbot, w, lambda g: g.state.density.name == "banana" and g.snapshot.true is not None
                       and np.allclose(g.snapshot.box, w.panels.field_box()))
    qtbot.waitUntil(lambda: w.panels.field_scale().ref == pytest.approx(
        magnitude_scale(w.last_frame.snapshot.true, w.last_frame.snapshot.log_density)), timeout=5000)
    switched, box = w.panels.field_scale().ref, w.panels.visible_box()
    assert switched != pytest.approx(first)
    fresh = make_window(cfg=small_config(density="banana"))
    wait_for_frame(qtbot, fresh, lambda f: f.snapshot.true is not None
                   and np.allclose(f.snapshot.box, fresh.panels.field_box()))
    assert fresh.panels.visible_box() == pytest.approx(box)
    fresh.controls.display.grid.setValue(w.evaluator.view().grid)  # the same arrows as the switched window
    wait_for_frame(qtbot, fresh, lambda f: f.snapshot.xs.shape[0] == w.evaluator.view().grid)
    qtbot.waitUntil(lambda: fresh.panels.field_scale().ref == pytest.approx(switched, rel=1e-6), timeout=5000)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_arrow_spacing_in_device_pixels_at_common_screen_sizes(qtbot, make_window, size):
    from scoreviz.core.limits import LIMITS

    w = make_window()
    w.resize(*size)
    _settle(qtbot, 300)
    n = w.panels.auto_arrow_grid()
    f = wait_for_frame(qtbot, w, lambda f: f.snapshot.xs.shape[0] == n)
    lim = LIMITS["arrow_grid"]
    spacing = w.panels.panel_side() * w.devicePixelRatioF() / f.snapshot.xs.shape[0]
    assert lim.min < n < lim.max
    assert 0.8 * w.panels.ARROW_SPACING_PX <= spacing <= 1.25 * w.panels.ARROW_SPACING_PX
    # heads are always visible: the shortest drawn arrow is two heads long, each at least HEAD_MIN_PX
    q = w.panels.learned_quiver if w.panels.learned_quiver.arrowCount() else w.panels.true_quiver
    assert q.arrowCount() > 0 and q._px_per_unit is not None
    segs = q._lines.resize(q._lines.size).reshape(-1, 3, 4)
    head_px = np.hypot(segs[:, 1, 2] - segs[:, 1, 0], segs[:, 1, 3] - segs[:, 1, 1]) * q._px_per_unit
    shaft_px = np.hypot(segs[:, 0, 2] - segs[:, 0, 0], segs[:, 0, 3] - segs[:, 0, 1]) * q._px_per_unit
    assert head_px.min() >= q.head_min_px() - 1e-6
    assert shaft_px.max() <= 0.9 * spacing / w.devicePixelRatioF() + 1e-6  # a shaft never reaches its neighbour


def _layout_report(w) -> dict:
    """Geometry of the panels, colour bars and caption (scene / widget coordinates)."""
    p = w.panels
    plots = [q for q in p._plots() if q in p.ci.items]
    bars = [b for b in p._bars() if b in p.ci.items]
    vp = QtCore.QRectF(0, 0, p.viewport().width(), p.viewport().height())
    rect = lambda item: item.mapRectToScene(item.boundingRect())  # noqa: E731
    overlaps = [(i, j) for i, b in enumerate(bars) for j, q in enumerate(plots)
                if rect(b).intersected(rect(q.getViewBox())).width() > 0.5
                or rect(b).intersected(rect(q.titleLabel)).width() > 0.5]
    outside = [i for i, item in enumerate(plots + bars) if not vp.adjusted(-1, -1, 1, 1).contains(rect(item))]
    # x tick labels of neighbouring panels never overlap: each bottom axis stays inside its panel's column
    bottoms = sorted((rect(q.getAxis("bottom")).left(), rect(q.getAxis("bottom")).right()) for q in plots)
    tick_overlap = any(a[1] > b[0] + 0.5 for a, b in zip(bottoms, bottoms[1:]))
    titles_fit = all(p.title_fits(q) for q in plots)
    cap = w.talk_mode.caption
    return {"overlaps": overlaps, "outside": outside, "tick_overlap": tick_overlap, "titles_fit": titles_fit,
            "caption_fits": cap.fits() if cap.isVisible() else True, "side": p.panel_side(),
            "dpr": w.devicePixelRatioF()}


def _check(report: dict) -> None:
    assert report["overlaps"] == [] and report["outside"] == []
    assert not report["tick_overlap"] and report["titles_fit"] and report["caption_fits"]
    assert report["side"] >= 150


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_talk_mode_lays_out_cleanly(qtbot, make_window, size):
    w = make_window()
    wait_for_frame(qtbot, w)
    w.controls.display.error.setChecked(True)  # the most crowded layout
    w.talk_mode.set_active(True)
    w.setWindowState(QtCore.Qt.WindowState.WindowNoState)  # the offscreen screen is small: size it by hand
    w.resize(*size)
    _settle(qtbot, 500)
    assert w.talk_mode.caption.isVisible()
    _check(_layout_report(w))
    _assert_linked(w.panels)  # equal squares showing one box in talk mode too
    w.talk_mode.set_active(False)
    _settle(qtbot, 300)
    _check(_layout_report(w))  # and the normal window at this size


_HIDPI_SCRIPT = r"""
import json, os, sys, time
sys.path[:0] = [sys.argv[1], os.path.dirname(sys.argv[1])]  # this folder, and tests/ for helpers
from PySide6 import QtCore, QtWidgets
from scoreviz.gui.qt_app import application, dispose
app = application()
from helpers import small_config
from test_readable_field import _layout_report
from scoreviz.gui.windows.main_window import MainWindow
w = MainWindow(small_config(), threads=1, autoplay=False, interactive=False)
w.show(); w.start()
def spin(s):
    t = time.time()
    while time.time() - t < s:
        app.processEvents(); time.sleep(0.01)
spin(2)
w.panels.set_error_visible(True)
w.talk_mode.set_active(True)
w.setWindowState(QtCore.Qt.WindowState.WindowNoState)
w.resize(1920, 1080)  # logical: 3840 x 2160 device pixels at a ratio of 2
spin(1.5)
print("REPORT" + json.dumps(_layout_report(w)))
w.talk_mode.set_active(False)
w.close(); dispose(w)
"""


def test_talk_mode_at_3840x2160_with_a_device_pixel_ratio_of_2(tmp_path):
    env = dict(os.environ, QT_SCALE_FACTOR="2", QT_QPA_PLATFORM="offscreen",
               SCOREVIZ_DATA_DIR=str(tmp_path))
    here = str(Path(__file__).resolve().parent)
    r = subprocess.run([sys.executable, "-c", _HIDPI_SCRIPT, here], capture_output=True, text=True, env=env,
                       timeout=240, cwd=here)
    assert r.returncode == 0, r.stderr[-2000:]
    line = next(ln for ln in r.stdout.splitlines() if ln.startswith("REPORT"))
    report = json.loads(line[len("REPORT"):])
    assert report["dpr"] == 2.0
    _check(report)


def test_the_error_panel_is_log_scaled_and_names_its_target(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    w.controls.display.error.setChecked(True)
    f = wait_for_frame(qtbot, w, lambda f: f.snapshot.error is not None)
    qtbot.waitUntil(lambda: w.panels.error_image.values() is not None, timeout=5000)
    shown = w.panels.error_image.values()
    with np.errstate(divide="ignore"):
        expected = np.log10(f.snapshot.error)
    assert np.allclose(shown[np.isfinite(expected)], expected[np.isfinite(expected)], atol=1e-5)
    lo, hi = w.panels.error_bar.levels()
    assert hi - lo == pytest.approx(3.0)
    assert "log₁₀" in w.panels.error_bar.axis.labelText
    title = w.panels.error_plot.titleLabel.text
    assert "p<sub>σ</sub>" in title and ("σ = 0.1" in title or "σ=0.1" in title) and w.panels.title_fits(w.panels.error_plot)  # dsm at σ = 0.1 compares with p_σ


def test_an_untrained_field_says_so_instead_of_drawing_dotted_rows(qtbot, make_window):
    w = make_window()
    f = wait_for_frame(qtbot, w, lambda f: f.snapshot.learned is not None and f.state.step == 0)
    p = w.panels
    m = np.hypot(f.snapshot.learned[..., 0], f.snapshot.learned[..., 1])
    drawn = int(np.sum((m > 0) & (p.field_scale().length_fraction(m) >= p.learned_quiver.MIN_FRACTION)))
    assert p.learned_quiver.arrowCount() == drawn
    assert drawn < 0.05 * m.size and p.weak_hint.isVisible()  # a fresh net's field is ~0 next to the target's
    assert "not learned yet" in p.weak_hint.text()
    if p.weak_hint.isVisible():
        vb = p.learned_plot.vb
        r = p.weak_hint.mapRectToItem(vb, p.weak_hint.boundingRect())
        assert QtCore.QRectF(0, 0, vb.width(), vb.height()).contains(r)  # inside its panel, whole
    # a strong learned field (here: the true one drawn as if learned) hides the hint
    p._fields = (f.snapshot.xs, f.snapshot.ys, f.snapshot.true, f.snapshot.true)
    p._drawn.pop("learned", None)
    p._redraw_fields()
    assert not p.weak_hint.isVisible()
    # a diverged model (a field of infinities or NaNs draws no arrow) says so, not "not learned yet"
    bad = np.full_like(f.snapshot.true, np.nan)
    p._fields = (f.snapshot.xs, f.snapshot.ys, bad, f.snapshot.true)
    p._drawn.pop("learned", None)
    p._redraw_fields()
    assert p.weak_hint.isVisible() and "diverged" in p.weak_hint.text() and "not learned" not in p.weak_hint.text()


def test_the_compare_window_links_square_boxes_names_targets_and_scales_its_axes(qtbot, make_compare):
    w = make_compare()
    f = wait_frame(qtbot, w, lambda f: f.fields_version >= 1)
    qtbot.waitUntil(lambda: w.panels.panel_side() > 50, timeout=5000)
    box = _assert_linked(w.panels)
    assert box == pytest.approx(square_box_of(f.density.box))
    # the shared scale comes from the true field where the density lives, the errors are log10
    from scoreviz.core.field_scale import log_density_on

    hxs, hys, logp = f.heat
    weights = log_density_on(hxs, hys, logp, f.xs, f.ys)
    assert w.panels.field_scale().ref == pytest.approx(magnitude_scale(f.true, weights))
    with np.errstate(divide="ignore"):
        assert np.allclose(w.panels.error_images[0].values(), np.log10(f.configs[0].error), equal_nan=True)
    # every error panel names its target; each fits its panel
    assert "∇log p" in w.panels.error_plots[0].titleLabel.text and "σ" not in w.panels.error_plots[0].titleLabel.text
    assert "σ = 0.3" in w.panels.error_plots[1].titleLabel.text
    assert w.panels.error_target(1) == "∇log p_σ, σ = 0.3"
    assert all(w.panels.title_fits(p) for p in w.panels._plots())
    # one measurement at step 0: the step axis runs from 0, never a degenerate range around the point
    lo, hi = w.curves.step_plot.getPlotItem().getViewBox().viewRange()[0]
    assert lo <= 0 <= hi and hi - lo >= 1.0 and lo > -0.5
    for size in ((1100, 800), (1900, 1050)):  # a resize keeps the one box on equal squares
        w.resize(*size)
        qtbot.wait(200)
        assert _assert_linked(w.panels) == pytest.approx(box)


def square_box_of(b):
    from scoreviz.gui.views.linked_views import square_box

    return square_box(b)
