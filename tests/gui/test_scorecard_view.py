"""The Scorecard dock of the main window: live mode weights, KL, TV and sliced W of the particles."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtWidgets

from helpers import small_config, wait_for_frame
from scoreviz.core.session import SamplerConfig


def _ncsn_langevin():
    return small_config(density="ncsn-mixture",
                        sampler=SamplerConfig(n_particles=2000, sampler="langevin", score_source="true"))


def shown(w):
    """The window with its scorecard dock (a window opens without it: Ctrl+Shift+G shows it)."""
    assert not w.scorecard_dock.isVisible()
    w.scorecard_dock.show()
    return w


def test_ncsn_langevin_shows_two_modes_with_plain_langevins_half_and_half(qtbot, make_window):
    w = shown(make_window(_ncsn_langevin()))
    w.scorecard.min_interval_s = 0.0
    assert w.scorecard_dock.isVisible() and w.evaluator.view().scorecard
    frame = wait_for_frame(qtbot, w, lambda f: f.scorecard is not None and f.scorecard.kl_steps.shape[0] >= 12,
                           timeout=40000)
    qtbot.waitUntil(lambda: w.scorecard.sampled_weights() is not None, timeout=5000)
    card = frame.scorecard
    sampled = w.scorecard.sampled_weights()
    assert sampled.shape == (2,) and sampled.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(w.scorecard.true_bars.opts["height"], [0.2, 0.8])
    # plain Langevin keeps the particles in the mode nearest to where they started: about ½ : ½, not ⅕ : ⅘
    assert abs(card.mode_weights[0] - 0.5) < 0.1
    assert w.scorecard.found.text() == "modes found 2/2"
    for key in ("kl", "tv"):
        assert np.isfinite(float(w.scorecard.values[key].text()))
    assert float(w.scorecard.values["kl"].text()) > 0.1  # the wrong weights cost ~0.22 nats
    # under the particles panel: KL and sliced W against the sampler's steps, the card's own histories
    assert w.plots.samples_visible() and w.plots.samples_plot.isVisible()
    qtbot.waitUntil(lambda: w.plots._card is not None and w.plots.kl_curve.getData()[0] is not None
                    and w.plots.kl_curve.getData()[0].shape[0] >= 2, timeout=5000)
    shown_card = w.plots._card
    xs, ys = w.plots.kl_curve.getData()
    np.testing.assert_array_equal(xs, shown_card.kl_steps)
    np.testing.assert_allclose(ys, np.log10(np.maximum(shown_card.kl_history, 1e-4)))  # a log axis
    np.testing.assert_array_equal(w.plots.sw_curve.getData()[0], shown_card.sw_steps)
    # it sits under the particles panel: its left edge is right of the true panel's middle
    left = w.plots.samples_plot.mapTo(w, w.plots.samples_plot.rect().topLeft()).x()
    true_mid = w.panels.mapTo(w, w.panels.mapFromScene(w.panels.true_plot.sceneBoundingRect().center())).x()
    assert left > true_mid
    assert "exact data density p" in w.scorecard.values["kl"].toolTip()


def test_a_grid_density_shows_no_modes(qtbot, make_window):
    w = shown(make_window(small_config(density="checkerboard")))
    w.scorecard.min_interval_s = 0.0
    wait_for_frame(qtbot, w, lambda f: f.scorecard is not None)
    qtbot.waitUntil(lambda: w.scorecard.no_modes.isVisible(), timeout=5000)
    assert w.scorecard.no_modes.text() == "no modes: a grid density"
    assert w.scorecard.bars_plot.isHidden() and w.scorecard.sampled_weights() is None
    assert np.isfinite(float(w.scorecard.values["kl"].text()))


def test_the_dock_toggles_from_the_view_menu_and_measuring_follows_it(qtbot, make_window):
    w = shown(make_window(_ncsn_langevin()))
    wait_for_frame(qtbot, w, lambda f: f.scorecard is not None)
    act = w.scorecard_dock.toggleViewAction()
    view_menu = next(m for m in w.menuBar().findChildren(QtWidgets.QMenu) if m.title() == "&View")
    assert act in view_menu.actions() and act.shortcut().toString() == "Ctrl+Shift+G"
    assert w.plots.samples_visible()
    act.trigger()
    qtbot.waitUntil(lambda: not w.scorecard_dock.isVisible(), timeout=3000)
    qtbot.waitUntil(lambda: not w.evaluator.view().scorecard, timeout=3000)
    assert not w.plots.samples_visible()  # the curves under the particles go with the dock
    wait_for_frame(qtbot, w, lambda f: f.scorecard is None)
    act.trigger()
    qtbot.waitUntil(lambda: w.scorecard_dock.isVisible() and w.evaluator.view().scorecard, timeout=3000)
    wait_for_frame(qtbot, w, lambda f: f.scorecard is not None)


def test_talk_mode_keeps_the_scorecard_with_larger_type(qtbot, make_window):
    w = shown(make_window(_ncsn_langevin()))
    wait_for_frame(qtbot, w, lambda f: f.scorecard is not None)
    pt0 = w.scorecard.found.font().pointSizeF()
    w.talk_mode.set_active(True)
    assert w.scorecard_dock.isVisible() and w.scorecard.presentation()
    assert w.scorecard.found.font().pointSizeF() > 1.5 * pt0
    w.talk_mode.set_active(False)
    assert not w.scorecard.presentation() and w.scorecard.found.font().pointSizeF() == pytest.approx(pt0)


def test_a_new_window_does_not_measure_until_the_dock_is_shown(qtbot, make_window):
    w = make_window(_ncsn_langevin())
    wait_for_frame(qtbot, w)
    assert not w.scorecard_dock.isVisible() and not w.evaluator.view().scorecard
    frame = wait_for_frame(qtbot, w, lambda f: f.scorecard is None)
    assert frame.scorecard is None
    w.scorecard_dock.show()
    wait_for_frame(qtbot, w, lambda f: f.scorecard is not None)
