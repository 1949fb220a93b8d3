"""The point probe and the curl panel in the main window (views/probe.py): the readouts are the core's
``probe_point`` on the display Session; pins are at most 4, drawn on every panel, movable and
removable; the curl heat map is finite, ~0 for an energy model and not for a vector one."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6 import QtCore

from helpers import small_config, wait_for_frame
from scoreviz.core.models import ModelConfig
from scoreviz.core.probe import probe_point
from scoreviz.gui.views.probe import MAX_PINS, format_probe


def _ready(qtbot, w):
    return wait_for_frame(qtbot, w, lambda f: f.snapshot.learned is not None)


def _settle(qtbot, w):
    """Stop the display worker and take its last frame: the display Session no longer changes."""
    w.evaluator.set_paused(True)
    qtbot.wait(300)
    w._draw_newest()
    w.probe._frame_drawn()


def _assert_same(got: dict, want: dict):
    for key in ("learned_score", "true_score", "difference", "jacobian"):
        assert np.allclose(np.array(got[key], float), np.array(want[key], float), rtol=1e-4, atol=1e-5), key
    for key in ("log_q", "divergence", "curl", "difference_norm"):
        assert got[key] == pytest.approx(want[key], rel=1e-4, abs=1e-5), key
    if want["tweedie"] is None:
        assert got["tweedie"] is None
    else:
        assert np.allclose(got["tweedie"], want["tweedie"], atol=1e-5)


def test_pins_read_the_core_probe_on_the_display_session(qtbot, make_window):
    w = make_window(small_config(seed=4))
    _ready(qtbot, w)
    pr = w.probe
    shown = lambda item: item.isVisibleTo(item.parentItem())  # noqa: E731 (the error panel's own may be hidden)
    assert not any(shown(pins) or shown(arrows) for pins, arrows in pr.marks)  # empty: never painted
    assert pr.pin(0.5, -0.25) and pr.pin(-1.0, 1.5)
    assert pr.dock.isVisible()
    qtbot.waitUntil(lambda: all(r is not None for r in pr.readouts()), timeout=10000)
    _settle(qtbot, w)
    ds = w.evaluator.evaluator.session
    for p, got in zip(pr.pins, pr.readouts()):
        _assert_same(got, probe_point(ds, *p))
    # every panel shows both pins; the Probe panel lists them; dsm (σ = 0.1) draws Tweedie arrows
    for pins, arrows in pr.marks:
        assert len(pins.data) == 2 and shown(pins) and shown(arrows)
        xs, ys = arrows.getData()
        assert len(xs) == 12  # two arrows of three strokes
        assert xs[1] == pytest.approx(pr.readouts()[0]["tweedie"][0], abs=1e-6)
    assert pr.panel.pins.count() == 2
    assert "Tweedie (σ = 0.1)" in pr.panel.pins.item(0).text()
    w.evaluator.set_paused(False)


def test_hover_by_mouse_reads_the_status_bar(qtbot, make_window):
    w = make_window()
    _ready(qtbot, w)
    scene = w.panels.scene()
    pos = w.panels.true_plot.vb.mapViewToScene(QtCore.QPointF(1.0, 0.5))
    scene.sigMouseMoved.emit(pos)
    assert w.probe.hover == pytest.approx((1.0, 0.5), abs=1e-3)
    qtbot.waitUntil(lambda: w.probe.result(w.probe.hover) is not None, timeout=10000)
    _settle(qtbot, w)
    got = w.probe.result(w.probe.hover)
    _assert_same(got, probe_point(w.evaluator.evaluator.session, *w.probe.hover))
    assert w.statusBar().currentMessage() == format_probe(got, short=True)
    assert "curl" in w.probe.panel.hover.text()
    scene.sigMouseMoved.emit(QtCore.QPointF(-5000, -5000))  # off the panels: no hover, message cleared
    assert w.probe.hover is None and w.statusBar().currentMessage() == ""
    # a left click on a panel pins the point under it; one already accepted (a pin, the brush) does not
    click = SimpleNamespace(isAccepted=lambda: False, button=lambda: QtCore.Qt.MouseButton.LeftButton,
                            double=lambda: False, scenePos=lambda: pos)
    w.probe._mouse_clicked(click)
    assert w.probe.pins == [pytest.approx((1.0, 0.5), abs=1e-3)]
    w.probe._mouse_clicked(SimpleNamespace(**{**click.__dict__, "isAccepted": lambda: True}))
    assert len(w.probe.pins) == 1
    w.evaluator.set_paused(False)


def test_at_most_four_pins_drag_and_removal(qtbot, make_window):
    w = make_window()
    _ready(qtbot, w)
    pr = w.probe
    for i in range(MAX_PINS):
        assert pr.pin(i * 0.5, 0.0)
    assert not pr.pin(3.0, 3.0)  # the fifth is refused
    assert len(pr.pins) == MAX_PINS and "At most 4 pins" in w.statusBar().currentMessage()
    pins0 = pr.marks[0][0]
    pins0.sigDragged.emit(1, 2.0, -2.0)  # dragging pin 2 on any panel moves it everywhere
    assert pr.pins[1] == (2.0, -2.0)
    assert all(np.allclose((p.data["x"][1], p.data["y"][1]), (2.0, -2.0)) for p, _ in pr.marks)
    qtbot.waitUntil(lambda: pr.readouts()[1] is not None and pr.readouts()[1]["point"] == (2.0, -2.0), timeout=10000)
    pr.marks[2][0].sigRemove.emit(0)  # right-click on pin 1 of the particles panel
    assert len(pr.pins) == MAX_PINS - 1 and pr.pins[0] == (2.0, -2.0)
    pr.panel.pins.setCurrentRow(-1)
    pr.panel._remove_selected()  # Esc / Delete in the Probe panel: the selected pin, else the last
    assert len(pr.pins) == 2
    assert pr.panel.pins.count() == 2
    pr.clear()
    assert pr.pins == [] and all(len(p.data) == 0 for p, _ in pr.marks)
    assert w.evaluator.view().probe == ()


@pytest.mark.parametrize("parametrization", ["energy", "vector"])
def test_curl_panel(qtbot, make_window, parametrization):
    w = make_window(small_config(model=ModelConfig(hidden=64, layers=2, parametrization=parametrization)))
    _ready(qtbot, w)
    assert not w.probe.curl_dock.isVisible() and w.evaluator.view().curl is False
    from PySide6 import QtWidgets
    view_menu = next(m for m in w.menuBar().findChildren(QtWidgets.QMenu) if m.title() == "&View")
    assert w.probe.act_curl in view_menu.actions() and w.probe.act_curl.shortcut().toString() == "Ctrl+Shift+C"
    w.probe.act_curl.trigger()  # View ▸ Curl panel (Ctrl+Shift+C)
    assert w.probe.curl_visible() and w.probe.curl_dock.isVisible() and w.evaluator.view().curl is True
    qtbot.waitUntil(lambda: w.probe.curl_view.values() is not None, timeout=10000)
    c = w.probe.curl_view.values()
    assert c.ndim == 2 and np.isfinite(c).all()
    lo, hi = w.probe.curl_view.bar.levels()
    assert lo == pytest.approx(-hi) and hi > 0
    if parametrization == "energy":
        assert np.abs(c).max() < 1e-4  # -Hess E is symmetric: zero up to float32 rounding
    else:
        assert np.abs(c).max() > 1e-3
    w.probe.act_curl.trigger()
    assert not w.probe.curl_dock.isVisible() and w.evaluator.view().curl is False
