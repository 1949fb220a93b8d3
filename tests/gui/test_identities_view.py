"""The Identities dock (issue 15): every objective measured on the network as it trains, shown live."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtWidgets

from helpers import small_config, wait_for_frame
from scoreviz.gui.views.linked_views import text_width


def test_the_dock_measures_only_while_shown_and_draws_the_identities(qtbot, make_window):
    w = make_window(small_config())
    wait_for_frame(qtbot, w)
    assert not w.identities_dock.isVisible() and not w.evaluator.view().identities
    act = w.identities_dock.toggleViewAction()
    view_menu = next(m for m in w.menuBar().findChildren(QtWidgets.QMenu) if m.title() == "&View")
    assert act in view_menu.actions() and act.shortcut().toString() == "Ctrl+Shift+I"
    act.trigger()
    qtbot.waitUntil(lambda: w.identities_dock.isVisible() and w.evaluator.view().identities, timeout=3000)
    w.play()
    frame = wait_for_frame(qtbot, w, lambda f: f.identities is not None and f.identities.steps.shape[0] >= 2,
                           timeout=60000)
    card = frame.identities
    qtbot.waitUntil(lambda: w.identities._shown is not None and w.identities._shown.steps.shape[0] >= 2, timeout=5000)
    shown = w.identities._shown
    xs, ys = w.identities.curve("ism + c")
    np.testing.assert_array_equal(xs, shown.steps)
    np.testing.assert_allclose(ys, shown.values[:, 1])
    # the identities hold on the network as it trains: the table marks each within 3 errors (or says ✗)
    text = w.identities.table.text()
    for name in card.latest.differences:
        assert abs(card.latest.differences[name]) <= 4 * card.latest.standard_errors[name], name
    assert text.count("✓") + text.count("✗") == 4 and "monte carlo" in text
    assert w.identities.divergence.values() is not None
    act.trigger()
    qtbot.waitUntil(lambda: not w.evaluator.view().identities, timeout=3000)
    wait_for_frame(qtbot, w, lambda f: f.identities is None)


def test_talk_mode_enlarges_the_identities(qtbot, make_window):
    w = make_window(small_config())
    wait_for_frame(qtbot, w)
    w.identities_dock.show()
    pt = w.identities.table.font().pointSizeF()
    w.talk_mode.set_active(True)
    assert w.identities.presentation() and w.identities.table.font().pointSizeF() > 1.5 * pt
    w.talk_mode.set_active(False)
    assert not w.identities.presentation()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_with_the_dock_shown_the_window_fits_a_1280_wide_projector_and_the_table_is_whole(qtbot, make_window,
                                                                                          request, lang):
    """The controls, the panels and the Identities dock side by side still fit 1280 pixels; the table of
    differences and the curve plots (titles, legends, last ticks) are not cut at the dock's edge."""
    if lang == "ko":
        request.getfixturevalue("korean")
    w = make_window(small_config())
    wait_for_frame(qtbot, w)
    w.identities_dock.show()
    qtbot.waitUntil(lambda: w.identities.table.text().startswith("<table"), timeout=60000)
    assert w.minimumSizeHint().width() <= 1280
    w.resize(1280, 720)
    qtbot.wait(50)
    table = w.identities.table
    assert table.width() >= table.minimumSizeHint().width()
    for plot in (w.identities.on_p, w.identities.on_p_sigma):
        item = plot.getPlotItem()
        assert item.size().width() <= plot.width() + 1  # a long title no longer widens the plot past the dock
        title = plot.shown_title()
        assert title and text_width(title, item.titleLabel.item.font()) <= plot.width()
