"""The training curves: enough Fisher points at a bounded cost, resumed runs that join their saved
curves, opened examples that show their whole curve, and step axes that fit the data."""

from __future__ import annotations

import time

import numpy as np
import pytest

from helpers import small_config, wait_for_frame
from scoreviz.core.metrics import CURVE_BURST_S, CURVE_MAX_FRACTION, curve_interval
from scoreviz.gui.views.plots import MAX_FISHER_POINTS, TrainingPlots, step_range, thinned
from scoreviz.live.commands import Load, Pause, Play
from scoreviz.live.trainer import Trainer


def _trainer(cfg=None):
    failures = []
    t = Trainer(cfg or small_config(), threads=1, on_failed=failures.append)
    assert t.start()
    return t, failures


def _run(t, seconds):
    t.handle(Play())
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        t.tick()
    t.handle(Pause())


def _steps(t):
    return [h[0] for h in t.session.fisher_history]


# ---------------------------------------------------------------- the live curve
def test_live_curve_is_dense_from_step_0_within_its_time_budget():
    t, failures = _trainer()
    _run(t, 3.0)
    steps = _steps(t)
    n = t.session.step_count
    assert steps[0] == 0 and steps[-1] == n  # from the untrained model to Pause
    assert steps == sorted(steps) and len(set(steps)) == len(steps)
    c = t.curve
    assert c.run_s > 2.0
    # the share of the run spent on the curve: 5 % plus the start-up allowance (and one evaluation)
    assert c.fraction <= CURVE_MAX_FRACTION + (CURVE_BURST_S + c.cost_s) / c.run_s
    assert t.curve_fraction == c.fraction
    # the allowance measures the first steps densely: every point's spacing is the schedule's or more
    assert len(steps) >= 10
    assert all(b - a >= curve_interval(a) for a, b in zip(steps[1:-2], steps[2:-1]))
    assert not failures


def test_curve_off_measures_only_on_play_and_pause():
    t, _ = _trainer()
    t.curves = False
    _run(t, 0.5)
    assert _steps(t) == [0, t.session.step_count]


def test_many_points_read_as_a_curve_over_the_whole_axis(qtbot):
    """After N steps the drawn curve has >= 50 points spread over 0..N (dense points are merged)."""
    from scoreviz.core.metrics import curve_steps

    n = 20_000
    steps = np.array([0] + curve_steps(n), dtype=np.float64)
    rel = 0.5 * (1 + steps) ** -0.3
    fisher = np.stack([steps, rel * 10, rel], 1)
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.show_history(np.full(n, 1.0), fisher, 1)
    x, y = plots.fisher_curve.getData()
    assert 50 <= len(x) <= MAX_FISHER_POINTS + 2
    assert x[0] == 0 and x[-1] == n and np.all(np.diff(x) > 0)
    assert np.sum(x >= n / 2) >= 50  # the spaced-out late points are drawn as they are
    lo, hi = plots.step_range()
    assert lo <= 0 and hi >= n and hi - lo < 1.1 * n


def test_thinning_keeps_the_ends_and_short_curves_as_they_are():
    s = np.arange(10, dtype=np.float64)
    v = np.linspace(1, 2, 10)
    assert thinned(s, v) == (s, v)
    s = np.concatenate([np.arange(1000), [5000.0]])
    v = np.exp(-s / 2000)
    x, y = thinned(s, v, max_points=50)
    assert x[0] == 0 and x[-1] == 5000 and y[-1] == v[-1] and len(x) <= 52
    assert np.all(np.diff(x) > 0) and np.all((y >= v.min()) & (y <= v.max()))


# ---------------------------------------------------------------- axes
@pytest.mark.parametrize("last", [0, 1, 7, 2000, 3_000_000])
def test_step_axis_runs_from_0_to_the_last_step(last):
    lo, hi = step_range(last)
    assert lo <= 0 <= last <= hi and hi - lo >= 1
    assert hi - lo <= 1.05 * max(last, 1)


def test_a_single_point_gets_an_axis_from_0_to_its_step(qtbot):
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.show_history(np.zeros(0), np.array([[2000.0, 1.1, 0.08]]), 1)
    lo, hi = plots.step_range()
    assert lo <= 0 and hi >= 2000 and hi - lo > 1000  # not 1999.6 .. 2000.4
    ylo, yhi = plots.fisher_plot.getPlotItem().getViewBox().viewRange()[1]
    assert ylo < np.log10(0.08) < yhi and yhi - ylo >= 1.0  # a decade at least on the log axis
    # the loss plot shares the step axis, so the two curves line up
    assert tuple(plots.loss_plot.getPlotItem().getViewBox().viewRange()[0]) == (lo, hi)


def test_axes_contain_the_data_of_both_curves(qtbot):
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    losses = np.linspace(3, 1, 500)
    fisher = np.array([[0, 2, 0.9], [100, 1, 0.3], [480, 0.5, 0.1]], dtype=np.float64)
    plots.show_history(losses, fisher, 1)
    lo, hi = plots.step_range()
    assert lo <= 0 and hi >= 500
    plots.clear()
    lo, hi = plots.step_range()
    assert lo <= 0 < hi


# ---------------------------------------------------------------- resumed runs and examples
def test_save_open_continue_joins_the_curves(tmp_path):
    from scoreviz.core.session_file import load_session, save_session

    t, failures = _trainer()
    _run(t, 1.5)
    path = tmp_path / "run.scoreviz"
    save_session(path, t.session)
    saved_steps, saved_n = _steps(t), t.session.step_count
    saved_losses = list(t.session.loss_history)

    t2, failures2 = _trainer()
    session, _ = load_session(path)
    t2.handle(Load(session))
    t2.publish(force=True)
    st = t2.publish_box.take()
    assert st.step == saved_n and st.fisher[:, 0].tolist() == saved_steps  # the saved curve, whole
    assert list(st.losses) == saved_losses
    t2.handle(Play())
    due = saved_steps[-1] + curve_interval(saved_steps[-1])
    before = saved_n
    for _ in range(2000):
        t2.tick()
        if len(t2.session.fisher_history) > len(saved_steps):
            break
        before = t2.session.step_count
    steps = _steps(t2)
    assert len(steps) > len(saved_steps) and steps[: len(saved_steps)] == saved_steps
    first_new = steps[len(saved_steps)]
    # no gap: the first new point comes in the first tick that reaches its spacing
    assert first_new >= due and before < due
    assert steps == sorted(steps) and len(set(steps)) == len(steps)
    t2.publish(force=True)
    st = t2.publish_box.take()
    assert st.losses.shape[0] == st.step  # the loss curve continues at the saved step
    assert list(st.losses[:saved_n]) == saved_losses
    assert not failures and not failures2


def test_an_opened_session_without_a_point_at_its_step_gets_one(tmp_path):
    from scoreviz.core.session_file import load_session, save_session

    t, _ = _trainer()
    for _ in range(5):
        t.session.step()
    save_session(tmp_path / "a.scoreviz", t.session)  # 5 steps, no Fisher point
    session, _ = load_session(tmp_path / "a.scoreviz")
    t.handle(Load(session))
    assert _steps(t) == [5]


def test_an_opened_example_shows_its_whole_curve(qtbot, make_window):
    from scoreviz.gui import app_data

    w = make_window()
    wait_for_frame(qtbot, w)
    example = next(e for e in app_data.examples() if "8gaussians" in e["path"])
    assert w.sessions.open(example["path"], as_untitled=True, label=example["title"])
    f = wait_for_frame(qtbot, w, lambda f: f.state.cfg.objective.name == "dsm" and f.state.step > 0)
    n = f.state.step
    qtbot.waitUntil(lambda: w.plots.fisher_curve.getData()[0] is not None
                    and len(w.plots.fisher_curve.getData()[0]) > 0, timeout=10000)
    x, y = w.plots.fisher_curve.getData()
    assert x[0] == 0 and x[-1] == n and len(x) >= 50  # from its first step to its saved step
    lo, hi = w.plots.step_range()
    assert lo <= 0 and hi >= n and hi - lo < 1.1 * n
    lx, _ = w.plots.loss_raw.getData()
    assert lx[0] <= 2 and lx[-1] >= n - 2
