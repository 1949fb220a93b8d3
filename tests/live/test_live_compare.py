"""The compare window's Qt-free trainer and display: the Comparison stepped as the core steps it."""

from __future__ import annotations

import json
import numpy as np

from live_helpers import same_weights, small_config
from scoreviz.core.compare import Comparison, parse_objectives
from scoreviz.core.fields import field_on_grid, scalar_on_grid
from scoreviz.live.commands import FISHER_SAMPLES, Figure, Pause, Play, Reset, SetEvalEvery, Step, Summary
from scoreviz.live.compare_display import CompareDisplay, CompareState, CompareView, comparison_frame
from scoreviz.live.compare_trainer import STATE_INTERVAL_S, CompareTrainer
from scoreviz.live.mailbox import NotifyingMailbox

PAIR = "esm,dsm"
VIEW = CompareView(grid=12, heat=16)


def started(eval_every: int = 2):
    calls = {"failed": [], "message": [], "running": [], "figure": []}
    t = CompareTrainer(small_config(), parse_objectives(PAIR), threads=1, eval_every=eval_every,
                       publish=NotifyingMailbox(), on_message=calls["message"].append,
                       on_failed=calls["failed"].append, on_running=calls["running"].append,
                       on_figure=calls["figure"].append)
    assert t.start()
    return t, calls


def curve_values(curves) -> list[tuple]:
    """The curve points without their wall-clock seconds (no loss before the first step: None, not nan)."""
    return [(c.objective, c.step, c.loss if c.step else None, c.fisher_divergence, c.relative_fisher_divergence)
            for c in curves]


def test_steps_and_curves_equal_the_comparison_driven_directly():
    t, calls = started(eval_every=2)
    t.handle(Step())
    t.handle(Play())
    while t.running and t.comparison.step_count < 4:
        t.tick()
    assert t.comparison.step_count == 4
    t.handle(Pause())
    direct = Comparison(small_config(), parse_objectives(PAIR))
    direct.evaluate(FISHER_SAMPLES)  # the curves start at step 0
    for step in range(1, 5):
        direct.step()
        if step in (1, 2, 4):  # a single step, and every eval_every steps while playing
            direct.evaluate(FISHER_SAMPLES)
    for s, d in zip(t.comparison.sessions, direct.sessions):
        assert s.loss_history == d.loss_history
        assert same_weights(s.model.state_dict(), d.model.state_dict())
    assert curve_values(t.comparison.curves) == curve_values(direct.curves)
    assert calls["running"] == [True, False] and not calls["failed"]


def test_the_published_state_and_the_display_frame_equal_the_core():
    t, _ = started()
    for _ in range(2):
        t.handle(Step())
    st = t.publish()
    assert isinstance(st, CompareState) and t.states.news.is_set() and t.states.peek()[1] is st
    assert st.step == 2 and st.steps == (2, 2) and st.labels == tuple(t.comparison.labels)
    for m, w, s in zip(st.models, st.weights, t.comparison.sessions):
        assert m is not s.model and same_weights(w, s.model.state_dict())  # the display's own copies
    frame = CompareDisplay(display_dtype="float32").frame(st, VIEW)
    direct = comparison_frame(t.comparison, VIEW)
    assert frame.step == direct.step == 2 and frame.labels == direct.labels
    np.testing.assert_array_equal(frame.true, direct.true)
    np.testing.assert_array_equal(frame.heat[2], direct.heat[2])
    box = t.comparison.sessions[0].density.box
    for c, d, s in zip(frame.configs, direct.configs, t.comparison.sessions):
        np.testing.assert_array_equal(c.learned, d.learned)
        np.testing.assert_allclose(c.learned, field_on_grid(s.learned_score, box, 12)[2], rtol=1e-5, atol=1e-6)
        true = field_on_grid(s.true_score, box, 12)[2]
        np.testing.assert_allclose(c.error, np.linalg.norm(c.learned - true, axis=-1), rtol=1e-5, atol=1e-5)
        assert c.steps == 2 and c.loss == s.loss_history[-1]
    density = t.comparison.sessions[0].density
    np.testing.assert_allclose(frame.heat[2], scalar_on_grid(density.log_prob, box, 16)[2], rtol=1e-5, atol=1e-6)


def test_command_wait_follows_unpublished_changes():
    t, _ = started()
    t.publish()
    assert t.command_wait() == 0.25  # paused, nothing new
    t.handle(Step())
    assert t.command_wait() == STATE_INTERVAL_S  # a changed state is due soon
    t.publish()
    assert t.command_wait() == 0.25
    t.handle(Play())
    assert t.command_wait() == 0.0


def test_a_step_failing_after_some_configurations_stepped_needs_reset():
    t, calls = started()

    def broken_step():
        raise RuntimeError("boom")

    t.comparison.sessions[1].step = broken_step
    t.handle(Play())
    t.tick()  # never raises
    assert not t.running and t.broken and "boom" in calls["failed"][-1]
    t.handle(Play())
    assert not t.running and "Reset" in calls["failed"][-1] and calls["failed"][-1].kind == "input"
    del t.comparison.sessions[1].step
    t.handle(Reset())
    t.handle(Step())
    assert not t.broken and [s.step_count for s in t.comparison.sessions] == [1, 1]


def test_figure_and_summary_commands(tmp_path):
    t, calls = started()
    t.handle(Step())
    t.handle(Figure("fig.png", (800, 500), 12))
    path, size, frame = calls["figure"][-1]
    assert (path, size) == ("fig.png", (800, 500)) and frame.step == 1
    direct = comparison_frame(t.comparison, CompareView(grid=12))
    for c, d in zip(frame.configs, direct.configs):
        np.testing.assert_array_equal(c.learned, d.learned)
    out = tmp_path / "summary.json"
    t.handle(Summary(str(out)))
    summary = json.loads(out.read_text())
    assert summary["steps"] == 1 and summary["eval_every"] == 2 and list(summary["configurations"]) == t.comparison.labels
    assert not calls["failed"]


def test_bad_eval_every_is_refused():
    t, calls = started()
    t.handle(SetEvalEvery(0))
    assert t.eval_every == 2 and calls["failed"][-1].kind == "input"
    t.handle(SetEvalEvery(5))
    assert t.eval_every == 5
