"""View ▸ Model density…: log p_θ of the current weights beside the exact log p, computed in a job with a
progress bar, the NLL line; Cancel; closing cancels; a non-sde objective gets a one-line explanation."""

from __future__ import annotations

import re

import numpy as np
import pytest
import shiboken6
from PySide6 import QtCore

from helpers import small_config, wait_for_frame
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.gui.windows.model_density_window import ModelDensityWindow, unavailable_reason

NLL_LINE = re.compile(r"^NLL -?\d+\.\d\d nats \(± \d+\.\d\d\) · true entropy -?\d+\.\d\d nats · gap -?\d+\.\d\d$")


def _sde_window(make_window, qtbot):
    w = make_window(small_config(objective=ObjectiveConfig(name="sde")))
    wait_for_frame(qtbot, w)
    return w


def _close(qtbot, dlg) -> None:
    if shiboken6.isValid(dlg):
        dlg.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dlg), timeout=5000)  # WA_DeleteOnClose


def test_the_panels_fill_the_progress_advances_and_the_nll_line_appears(qtbot, make_window):
    w = _sde_window(make_window, qtbot)
    w.act_step.trigger()  # one step: the window takes the newest weights
    qtbot.waitUntil(lambda: w.last_frame.state.step >= 1, timeout=10000)
    dlg = ModelDensityWindow.open_from(w, grid=8, nll_points=40)
    values = []
    dlg.progress.valueChanged.connect(values.append)
    with qtbot.waitSignal(dlg.computed, timeout=60000):
        pass
    assert dlg.snapshot_step >= 1 and "step" in dlg.model_plot.titleLabel.text
    assert values and values == sorted(values) and values[-1] == 1000  # the bar advanced to the end
    for item in (dlg.model_image, dlg.exact_image):  # both panels filled, on the 8 x 8 grid
        assert item.values() is not None and item.values().shape == (8, 8) and np.isfinite(item.values()).all()
    lo, hi = dlg.panels.levels()  # one colour scale for both panels: the top 10 nats of the exact log p
    assert hi == pytest.approx(float(dlg.exact_image.values().max()), abs=1e-4) and hi - lo == pytest.approx(10.0)
    assert dlg.model_image.levels() == dlg.exact_image.levels() == pytest.approx((lo, hi))
    line = dlg.nll_label.text()
    assert NLL_LINE.match(line), line
    r = dlg.report
    assert r["n_points"] == 40 and r["nll_mean"] > r["true_nll_mean"] - 5 * r["gap_std_error"]
    assert not dlg.is_computing() and not dlg.progress.isVisible() and not dlg.explanation.isVisible()
    # the same window is raised (and recomputes) when asked again; a recompute can be cancelled
    assert ModelDensityWindow.open_from(w) is dlg and dlg.is_computing()
    dlg.cancel_button.click()
    qtbot.waitUntil(lambda: not dlg.is_computing(), timeout=5000)
    _close(qtbot, dlg)


def test_the_action_opens_it_cancel_stops_it_and_closing_leaves_nothing_running(qtbot, make_window):
    w = _sde_window(make_window, qtbot)
    assert w.act_model_density.shortcut().toString() == "Ctrl+Shift+L"
    assert "objective sde" in w.act_model_density.toolTip()
    w.act_model_density.trigger()
    dlg = w.findChildren(ModelDensityWindow)[0]
    assert dlg.isVisible() and dlg.grid_size() == 48
    qtbot.waitUntil(lambda: dlg.progress.value() > 0, timeout=30000)  # the bar advances
    assert dlg.is_computing() and dlg.cancel_button.isVisible() and not dlg.panels.is_empty(dlg.exact_image)
    job = dlg._job
    dlg.cancel_button.click()
    qtbot.waitUntil(job.is_done, timeout=5000)  # stops within one score evaluation
    assert not dlg.is_computing() and not dlg.cancel_button.isVisible()
    assert dlg.report is None and "cancelled" in dlg.nll_label.text()
    # another grid size recomputes at once; closing the window while it computes stops the job
    dlg.grid.setCurrentIndex(dlg.grid.findData(32))
    assert dlg.is_computing()
    job = dlg._job
    _close(qtbot, dlg)
    assert job.is_done()


def test_closing_the_main_window_closes_it_and_its_job(qtbot, make_window):
    w = _sde_window(make_window, qtbot)
    dlg = ModelDensityWindow.open_from(w, grid=32)
    qtbot.waitUntil(dlg.is_computing, timeout=5000)
    job = dlg._job
    w.close()
    assert job.is_done()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dlg), timeout=5000)


def test_a_non_sde_objective_explains_why_in_one_line(qtbot, make_window):
    w = make_window(small_config())
    wait_for_frame(qtbot, w)
    assert w.last_frame.state.cfg.objective.name != "sde"
    w.act_model_density.trigger()
    dlg = w.findChildren(ModelDensityWindow)[0]
    qtbot.waitUntil(lambda: dlg.explanation.isVisible(), timeout=5000)
    text = dlg.explanation.text()
    assert "objective sde" in text and "time-conditional" in text and "\n" not in text
    assert not dlg.is_computing() and dlg.panels.is_empty(dlg.model_image) and dlg.recompute() is False
    assert unavailable_reason(None).startswith("No model yet")  # before the main window's first frame
    qtbot.keyClick(dlg, QtCore.Qt.Key.Key_Escape)  # Esc closes it as a dialog does, and deletes it
    qtbot.waitUntil(lambda: not shiboken6.isValid(dlg), timeout=5000)


def test_readable_at_1280_by_720(qtbot, make_window):
    w = _sde_window(make_window, qtbot)
    dlg = ModelDensityWindow(w, grid=8, nll_points=20, autostart=False)
    qtbot.addWidget(dlg)
    dlg.resize(1280 - 40, 720 - 60)
    dlg.show()
    qtbot.waitExposed(dlg)
    hint = dlg.minimumSizeHint()
    assert hint.width() <= 1240 and hint.height() <= 660
    # two square-ish panels side by side, each a good share of the width
    side = dlg.model_plot.vb.width()
    assert side > 250 and abs(dlg.model_plot.vb.width() - dlg.exact_plot.vb.width()) < 2
    assert dlg.nll_label.font().pointSizeF() > dlg.font().pointSizeF()
    dlg.close()
    assert not dlg.is_computing()
    QtCore.QCoreApplication.processEvents()
