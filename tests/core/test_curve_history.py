"""The training curves' histories: the Fisher curve's schedule and budget, histories in session files
and in the bundled examples, and a resumed run that continues its curves."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from scoreviz.core.errors import ScorevizError
from scoreviz.core.metrics import (CURVE_BURST_S, CURVE_MAX_FRACTION, CurveSchedule, curve_interval,
                                   curve_steps)
from scoreviz.core.models import ModelConfig
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.session import Session, SessionConfig
from scoreviz.core.session_file import load_session, save_session, session_bytes

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def small_session(seed=3):
    cfg = SessionConfig(density="8gaussians", objective=ObjectiveConfig(name="dsm", sigma=0.2),
                        model=ModelConfig(hidden=32, layers=2), batch=64, seed=seed, device="cpu")
    return Session(cfg)


# ---------------------------------------------------------------- schedule
@pytest.mark.parametrize("total", [200, 1000, 20_000, 1_000_000])
def test_curve_steps_give_a_curve_on_every_stretch_of_the_axis(total):
    steps = curve_steps(total)
    assert steps == sorted(set(steps)) and steps[0] == 1 and steps[-1] == total
    assert len(steps) >= 50  # over the visible axis 0..total
    if total >= 1000:
        assert sum(1 for s in steps if s >= total / 2) >= 50  # and over its last half alone
    assert len(steps) <= 100 * (2 + 14)  # ~100 (1 + ln(total/100)): a million steps stays small


def test_curve_interval_grows_with_the_step():
    assert [curve_interval(s) for s in (0, 1, 99, 100, 250, 10_000)] == [1, 1, 1, 1, 2, 100]


def simulate(schedule: CurveSchedule, steps: int, step_s: float, eval_s: float):
    """Training at ``step_s`` per step with a fake clock; the schedule decides after every step."""
    clock = spent = 0.0
    points = []
    for k in range(1, steps + 1):
        clock += step_s
        schedule.add_run_time(step_s)
        if schedule.due(k):
            points.append(k)
            clock += eval_s
            spent += eval_s
            schedule.add_run_time(eval_s)
            schedule.record(k, eval_s)
    return points, spent / clock


def test_schedule_gives_50_points_and_its_share_to_the_last_half_within_its_time_budget():
    # the reference scene on one core: ~3 ms a step, ~25 ms a 10 000-sample Fisher evaluation
    sched = CurveSchedule()
    n = 20_000
    points, fraction = simulate(sched, n, 0.003, 0.025)
    run_s = n * 0.003 / (1 - fraction)
    # the budget alone decides later on: the last half of the run gets its share, max_fraction of its time
    second_half = CURVE_MAX_FRACTION * (run_s / 2) / 0.025
    assert len(points) >= 50 and sum(1 for p in points if p >= n / 2) >= 0.9 * second_half
    assert fraction <= CURVE_MAX_FRACTION + CURVE_BURST_S / run_s + 0.025 / run_s
    assert sched.fraction == pytest.approx(fraction, rel=1e-6)
    assert points == sorted(points) and points[0] == 1  # dense early: the first steps are measured


def test_schedule_is_bounded_by_steps_when_evaluation_is_cheap_and_by_time_when_not():
    cheap, _ = simulate(CurveSchedule(), 10_000, 0.003, 0.0001)
    offline = curve_steps(10_000)  # the schedule alone (its last entry is the total itself)
    assert set(cheap) <= set(offline) and len(cheap) >= len(offline) - 1
    dear, fraction = simulate(CurveSchedule(), 10_000, 0.003, 0.2)  # a slow target: 200 ms a point
    run_s = 10_000 * 0.003 / (1 - fraction)
    assert fraction <= CURVE_MAX_FRACTION + (CURVE_BURST_S + 0.2) / run_s
    assert 3 <= len(dear) < len(cheap)


def test_a_resumed_schedule_spaces_from_the_saved_point_without_the_start_up_allowance():
    sched = CurveSchedule()
    sched.restart(2000, burst=False)
    assert sched.next_step() == 2020
    assert not sched.due(2019) and sched.due(2020)  # the first point costs nothing yet: due at once
    sched.record(2020, 0.025)
    # then within the share of the run time: two 25 ms points need 0.05 s / CURVE_MAX_FRACTION of run
    need = 2 * 0.025 / CURVE_MAX_FRACTION
    assert not sched.due(2100)
    sched.add_run_time(need - 0.01)
    assert not sched.due(2100)
    sched.add_run_time(0.02)
    assert sched.due(2100)


def test_bad_schedule_settings_are_refused():
    for kw in ({"points": 0}, {"max_fraction": 0}, {"max_fraction": 1.5}, {"burst_s": -1}):
        with pytest.raises(ScorevizError):
            CurveSchedule(**kw)


# ---------------------------------------------------------------- session files
def test_histories_round_trip_and_a_resumed_run_continues_them(tmp_path):
    s = small_session()
    s.fisher(10_000)
    at = set(curve_steps(120))

    def measure(x):
        if x.step_count in at:
            x.fisher(10_000)

    s.train(120, callback=measure)
    path = tmp_path / "run.scoreviz"
    save_session(path, s)
    r, _ = load_session(path)
    assert list(r.loss_history) == list(s.loss_history) and r.fisher_history == s.fisher_history
    saved_last = r.fisher_history[-1][0]
    assert saved_last == r.step_count == 120 and r.fisher_history[0][0] == 0
    r.train(30)
    r.fisher(10_000)
    steps = [h[0] for h in r.fisher_history]
    assert steps == sorted(steps) and len(set(steps)) == len(steps)
    assert steps[len(s.fisher_history)] == 150  # the first new point follows the last saved one
    assert len(r.loss_history) == r.step_count == 150
    assert list(r.loss_history[:120]) == list(s.loss_history)


def _rewrite(path, out, **changes):
    with zipfile.ZipFile(path) as z:
        meta = json.loads(z.read("session.json"))
        arrays = z.read("arrays.npz")
    meta.update(changes)
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("session.json", json.dumps(meta))
        z.writestr("arrays.npz", arrays)


@pytest.mark.parametrize("changes", [
    {"fisher_history": [[5, 1.0, 0.5], [3, 1.0, 0.5]]},  # out of order
    {"fisher_history": [[11, 1.0, 0.5]]},  # after the step count
    {"fisher_history": [[-1, 1.0, 0.5]]},
    {"loss_history": [1.0] * 11},  # more losses than steps
])
def test_histories_that_cannot_be_drawn_against_the_steps_are_refused(tmp_path, changes):
    s = small_session()
    s.train(10)
    s.fisher(10_000)
    good = tmp_path / "good.scoreviz"
    save_session(good, s)
    bad = tmp_path / "bad.scoreviz"
    _rewrite(good, bad, **changes)
    with pytest.raises(ScorevizError, match="damaged"):
        load_session(bad)


# ---------------------------------------------------------------- bundled examples
def _examples():
    index = json.loads((EXAMPLES / "index.json").read_text(encoding="utf-8"))
    return [EXAMPLES / e["file"] for e in index]


@pytest.mark.parametrize("path", _examples(), ids=lambda p: p.stem)
def test_each_example_carries_its_whole_curve_and_stays_small(path):
    with zipfile.ZipFile(path) as z:
        meta = json.loads(z.read("session.json"))
    n = meta["step_count"]
    assert len(meta["loss_history"]) == n  # the loss of every step
    steps = [h[0] for h in meta["fisher_history"]]
    assert steps[0] == 0 and steps[-1] == n  # from the untrained model to the saved step
    assert steps == sorted(steps) and len(steps) >= 50
    assert sum(1 for k in steps if k >= n / 2) >= 50  # a curve even on the last half of the axis
    assert all(h[2] > 0 for h in meta["fisher_history"])
    assert path.stat().st_size < 700 * 1024  # small: the weights, Adam's moments and the particles


def test_history_costs_little_in_a_session_file():
    s = small_session()
    plain = len(session_bytes(s))
    s.train(2000)
    for k in curve_steps(2000):
        s.fisher_history.append((k, 0.123456789, 0.0123456789))
    assert len(session_bytes(s)) - plain < 60 * 1024


def test_the_start_up_allowance_is_released_smoothly_leaving_no_long_gap():
    """Issue 10: an allowance spent all at once measured the first few steps and then nothing for
    seconds (a long straight segment). Released over the first seconds, the points thin out smoothly."""
    points, _ = simulate(CurveSchedule(), 1000, 0.003, 0.025)  # the first 3 s of the reference scene
    gaps = np.diff([0] + points + [1000])
    assert len(points) >= 12
    assert gaps.max() <= 250  # never a quarter of the axis without a point
    assert all(b <= 4 * a + 5 for a, b in zip(gaps[1:], gaps[2:]))  # no sudden jump in the spacing
