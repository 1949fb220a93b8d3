"""The workers without a window: Trainer and Evaluator are plain Python; the threads start and stop."""

from __future__ import annotations

import threading
from dataclasses import replace

import numpy as np
import pytest
import torch

from helpers import small_config
from scoreviz.core.compare import parse_objectives
from scoreviz.gui.threads import CompareDisplayThread, CompareThread, EvaluatorThread, TrainingThread
from scoreviz.live.commands import (Load, Play, Reset, SetConfigs, SetDensity, SetEvalEvery, SetModel, SetObjective,
                                    SetSampler, SetSeed, Speed, Step)
from scoreviz.live.compare_display import CompareDisplay
from scoreviz.live.evaluator import Evaluator, ViewSettings
from scoreviz.live.mailbox import Mailbox
from scoreviz.live.trainer import Trainer


def _trainer(**changes):
    messages, failures = [], []
    t = Trainer(small_config(**changes), threads=1, on_message=messages.append, on_failed=failures.append)
    assert t.start()
    return t, messages, failures


def test_mailbox_keeps_only_the_newest():
    box = Mailbox()
    assert box.take() is None
    box.put(1)
    box.put(2)
    assert box.peek() == (2, 2)
    assert box.take() == 2
    assert box.take() is None


def test_trainer_steps_publishes_and_reports():
    t, messages, failures = _trainer()
    t.handle(Step())
    t.publish(force=True)
    st = t.publish_box.take()
    assert st.step == 1 and st.losses.shape == (1,) and not st.losses.flags.writeable
    assert st.fisher.shape == (1, 3)  # measured after a single step
    t.handle(Play())
    for _ in range(3):
        t.tick()
    st = t.publish_box.take()
    assert st.step > 1 and st.running
    # published weights are a copy: training on does not change them
    w = {k: v.clone() for k, v in st.weights.items()}
    t.tick()
    assert all(torch.equal(w[k], st.weights[k]) for k in w)
    assert not failures


def test_trainer_commands_change_the_session_and_bad_input_is_reported():
    from scoreviz.core.densities import make_preset
    from scoreviz.core.objectives import ObjectiveConfig

    t, messages, failures = _trainer()
    t.handle(Step())
    t.handle(SetDensity(make_preset("moons")))
    assert t.session.density.name == "moons" and t.session.step_count == 1
    assert "continues" in messages[-1]
    t.handle(SetObjective(ObjectiveConfig(name="ism")))
    assert t.session.cfg.objective.name == "ism" and t.session.step_count == 1
    t.handle(SetModel(replace(t.session.cfg.model, activation="relu")))  # refused with ism
    assert failures and "relu" in failures[-1]
    assert t.session.cfg.model.activation == "silu"
    t.handle(Reset())
    assert t.session.step_count == 0
    t.handle(SetSeed(3))
    assert t.session.cfg.seed == 3
    t.handle(Speed(5))
    assert t.speed == 5


def test_trainer_pauses_on_divergence():
    t, messages, failures = _trainer(lr=1.0)
    t.session.optimizer.param_groups[0]["lr"] = float("nan")  # the next steps go non-finite
    t.handle(Play())
    for _ in range(5):
        t.tick()
        if failures:
            break
    assert failures and "diverged" in failures[-1]
    assert not t.running


def test_evaluator_follows_the_trainer_state():
    t, _, _ = _trainer()
    t.publish(force=True)
    st = t.publish_box.take()
    ev = Evaluator(display_dtype="float32")
    view = ViewSettings(grid=16, box=(-4, 4, -4, 4), error=True)
    f = ev.frame(st, view)
    assert f.snapshot.learned.shape == (16, 16, 2) and f.snapshot.error.shape == (16, 16)
    assert f.particles.shape == (2000, 2) and f.density_image is not None
    # unchanged weights and view: the same fields object, new particles
    g = ev.frame(st, view)
    assert g.snapshot is f.snapshot and g.density_image is f.density_image
    assert not np.array_equal(g.particles, f.particles)
    # new weights reach the learned field
    for _ in range(5):
        t.session.step()
    t.publish(force=True)
    ev.weights_t = 0.0
    h = ev.frame(t.publish_box.take(), view)
    assert not np.allclose(h.snapshot.learned, f.snapshot.learned)


def test_evaluator_moves_a_rolling_share_of_the_particles_while_training():
    t, _, _ = _trainer()
    t.publish(force=True)
    paused = t.publish_box.take()
    training = replace(paused, running=True)
    ev = Evaluator(display_dtype="float32")
    ev.per_frame = 500
    view = ViewSettings(grid=8)
    before = ev.frame(training, view).particles
    after = ev.frame(training, view).particles
    moved = np.any(before != after, axis=1)
    assert moved.sum() == 500
    steps = ev.session.particle_step
    for _ in range(3):
        ev.frame(training, view)
    assert ev.session.particle_step == steps + 1  # one sweep of 4 frames = one sampler step
    # paused: every particle steps every frame
    before = ev.frame(paused, view).particles
    after = ev.frame(paused, view).particles
    assert np.all(np.any(before != after, axis=1))


def test_training_thread_starts_and_stops(qtbot):
    th = TrainingThread(small_config(), threads=1)
    ev = EvaluatorThread(th.states, threads=1)
    with qtbot.waitSignal(ev.frameReady, timeout=20000):
        th.start()
        ev.start()
    assert ev.take() is not None
    th.post(Play())
    qtbot.waitUntil(lambda: th.states.peek()[1] is not None and th.states.peek()[1].step > 3, timeout=10000)
    th.stop()
    ev.stop()
    assert th.wait(10000) and ev.wait(10000)
    assert not any(t.name.startswith("scoreviz") for t in threading.enumerate())


@pytest.mark.parametrize("name", ["annealed"])
def test_annealed_rolling_share_keeps_the_schedule_per_sweep(name):
    from scoreviz.core.session import SamplerConfig

    t, _, _ = _trainer(sampler=SamplerConfig(sampler=name, n_particles=1000, steps_per_level=2, levels=3))
    t.publish(force=True)
    st = replace(t.publish_box.take(), running=True)
    ev = Evaluator(display_dtype="float32")
    ev.per_frame = 250
    for _ in range(8):  # two sweeps
        ev.frame(st, ViewSettings(grid=8))
    assert ev.session.particle_step == 2
    assert "annealed 2/3" in ev.sampler_note()


def test_post_refuses_a_command_its_trainer_does_not_handle_at_once(qtbot):
    """A typo or the other window's command raises in the GUI thread, naming it; it never reaches the worker."""
    th = TrainingThread(small_config(), threads=1)
    cmp = CompareThread(small_config(), parse_objectives("esm,dsm"), threads=1)
    for thread, cmd, named in [(th, "plya", "'plya'"), (th, ("play", None), "('play', None)"),
                               (th, SetConfigs([]), "SetConfigs"), (th, SetEvalEvery(5), "SetEvalEvery"),
                               (cmp, Load(None), "Load"), (cmp, SetSampler(None), "SetSampler"),
                               (cmp, "reset", "'reset'")]:
        with pytest.raises(TypeError, match=type(thread.trainer).__name__) as e:
            thread.post(cmd)
        assert named in str(e.value)
    cmp.post(SetEvalEvery(5))  # its own commands are queued
    th.start()
    future = th.call(lambda session: session.step_count)  # queued after the refused ones: they never got there
    qtbot.waitUntil(future.done, timeout=20000)
    assert future.result() == 0
    th.stop()
    assert th.wait(10000)


def test_a_failing_compare_frame_is_reported_once_and_frames_resume(qtbot, monkeypatch):
    """The display loop the compare window shares with the main one: a failed frame is reported once,
    the same state is tried again from a fresh CompareDisplay after a while, and frames resume."""
    calls, reports, made = [], [], []
    real = CompareDisplay.frame

    def frame(self, st, view):
        calls.append(self)
        if len(calls) <= 2:
            raise RuntimeError("injected display fault")
        return real(self, st, view)

    monkeypatch.setattr(CompareDisplay, "frame", frame)
    th = CompareThread(small_config(), parse_objectives("esm,dsm"), threads=1)
    ev = CompareDisplayThread(th.states, threads=1)
    ev.failed.connect(reports.append)
    ev.frameReady.connect(lambda: made.append(ev.take()))
    th.start()
    ev.start()
    try:
        qtbot.waitUntil(lambda: bool(made), timeout=20000)
    finally:
        th.stop()
        ev.stop()
        assert th.wait(10000) and ev.wait(10000)
    assert reports == ["display: injected display fault"] and len(calls) == 3
    assert len(set(map(id, calls))) == 3 and made[0] is not None  # every attempt after a failure starts afresh
