"""The time axis widget: slider, nudges, sweeps and the caption."""

from __future__ import annotations

import pytest

from scoreviz.gui.views.time_bar import TICKS, TimeBar


@pytest.fixture
def bar(qtbot):
    b = TimeBar()
    qtbot.addWidget(b)
    b.set_process(1e-3, lambda t: f"std {t * 2:.3f}")
    return b


def test_the_slider_maps_linearly_onto_eps_to_one_and_emits_the_time(qtbot, bar):
    seen = []
    bar.timeChanged.connect(seen.append)
    bar.slider.setValue(TICKS)
    assert bar.t == 1.0 and seen[-1] == 1.0
    bar.slider.setValue(TICKS // 2)
    assert bar.t == pytest.approx(1e-3 + (1 - 1e-3) / 2)
    assert bar.value_label.text() == f"t = {bar.t:.4f} (std {bar.t * 2:.3f})"
    bar.slider.setValue(0)
    assert bar.t == 1e-3


def test_times_outside_the_axis_are_clipped_and_nudges_move_by_ticks(qtbot, bar):
    bar.set_time(5.0)
    assert bar.t == 1.0 and bar.slider.value() == TICKS
    bar.set_time(-1.0)
    assert bar.t == 1e-3 and bar.slider.value() == 0
    bar.nudge(10)
    assert bar.slider.value() == 10 and bar.t == pytest.approx(1e-3 + (1 - 1e-3) * 10 / TICKS)
    seen = []
    bar.timeChanged.connect(seen.append)
    bar.set_time(bar.t)  # no change, no signal
    assert seen == []


def test_a_new_process_keeps_the_time_inside_its_range(qtbot, bar):
    bar.set_time(0.5)
    bar.set_process(0.2)
    assert bar.t == 0.5 and bar.value_label.text() == "t = 0.5000"
    bar.set_process(1e-5, t=0.0)
    assert bar.t == 1e-5


def test_a_sweep_runs_from_noise_to_data_and_stops_at_the_end(qtbot, bar):
    bar.duration.setCurrentIndex(0)  # 2 s
    bar.set_time(1e-3)  # at the data end: a noise-to-data sweep starts from t = 1
    seen = []
    bar.timeChanged.connect(seen.append)
    bar.sweep(True)
    assert bar.sweeping and bar.sweep_button.text() == "Stop"
    qtbot.waitUntil(lambda: not bar.sweeping, timeout=5000)
    assert seen[0] == 1.0 and bar.t == 1e-3
    assert all(a >= b for a, b in zip(seen, seen[1:])) and len(seen) > 10
    assert not bar.sweep_button.isChecked() and bar.sweep_button.text() == "Sweep"


def test_a_sweep_forwards_goes_up_and_can_be_stopped(qtbot, bar):
    bar.direction.setCurrentIndex(1)  # data -> noise
    bar.set_time(0.2)
    bar.sweep(True)
    qtbot.waitUntil(lambda: bar.t > 0.25, timeout=5000)
    bar.stop()
    t = bar.t
    qtbot.wait(100)
    assert not bar.sweeping and bar.t == t and 0.25 < t < 1.0
