"""The Qt-free Trainer, driven with plain callbacks: it steps the Session exactly as the core does."""

from __future__ import annotations

from concurrent.futures import Future

import numpy as np
import pytest

from live_helpers import Recorder, published, same_weights, small_config, started
from scoreviz.core.densities import make_preset
from scoreviz.core.models import ModelConfig
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.session import Session
from scoreviz.live.commands import (FISHER_SAMPLES, Call, Pause, Play, Reset, SetDensity, SetModel, SetObjective,
                                    SetOptimizer, SetSeed, Speed, Step)
from scoreviz.live.faults import INPUT, Fault
from scoreviz.live.mailbox import Mailbox, NotifyingMailbox


def test_mailboxes_keep_the_newest_value_and_notify():
    box = NotifyingMailbox()
    assert isinstance(box, Mailbox) and box.take() is None and not box.news.is_set()
    box.put("a")
    box.put("b")
    assert box.news.is_set() and box.peek() == (2, "b")
    assert box.take() == "b" and box.take() is None and box.peek() == (2, None)


def test_step_commands_train_exactly_like_the_session():
    cfg = small_config()
    t, rec = started(cfg)
    for _ in range(3):
        t.handle(Step())
    direct = Session(cfg)
    for _ in range(3):
        direct.step()
        direct.fisher(FISHER_SAMPLES)  # a single step measures the curve at the new step
    assert t.session.loss_history == direct.loss_history
    assert t.session.fisher_history == direct.fisher_history
    assert same_weights(t.session.model.state_dict(), direct.model.state_dict())
    st = published(t)
    assert st.step == 3 and not st.running and st.cfg == direct.cfg
    np.testing.assert_array_equal(st.losses, np.asarray(direct.loss_history))
    np.testing.assert_array_equal(st.fisher, np.asarray(direct.fisher_history).reshape(-1, 3))
    assert same_weights(st.weights, direct.model.state_dict())
    assert not st.losses.flags.writeable  # a view the trainer never writes again
    assert rec.messages[-1].startswith("one step: step 3") and not rec.failures


def test_playing_trains_like_the_session_and_publishes_copies():
    cfg = small_config()
    t, rec = started(cfg)
    t.handle(Play())
    assert t.running and rec.running == [True]
    assert t.session.fisher_history[0][0] == 0  # the curve starts at the untrained model
    while t.running and t.session.step_count < 5:
        t.tick()
    assert t.session.step_count >= 5 and not rec.failures
    st = published(t)
    weights = {k: v.clone() for k, v in st.weights.items()}
    t.tick()  # training on never changes what was published
    assert same_weights(weights, st.weights)
    t.handle(Pause())
    assert not t.running and rec.running == [True, False]
    n = t.session.step_count
    direct = Session(cfg)
    direct.train(n)
    assert t.session.loss_history == direct.loss_history
    assert same_weights(t.session.model.state_dict(), direct.model.state_dict())
    assert published(t).step == n and t.seconds_until_next_step() is None


def test_setting_commands_match_the_session_setters():
    cfg = small_config()
    t, rec = started(cfg)
    direct = Session(cfg)
    moons = make_preset("moons")
    t.handle(Step())
    direct.step()
    t.handle(SetDensity(moons))
    direct.set_density(moons)
    t.handle(SetObjective(ObjectiveConfig(name="ssm")))
    direct.set_objective(ObjectiveConfig(name="ssm"))
    t.handle(SetOptimizer(3e-3, 32))
    direct.set_optimizer(lr=3e-3, batch=32)
    t.handle(Step())
    t.handle(Step())
    direct.step()
    direct.step()
    assert t.session.cfg == direct.cfg and t.cfg == direct.cfg
    assert t.session.loss_history == direct.loss_history
    assert same_weights(t.session.model.state_dict(), direct.model.state_dict())
    assert not rec.failures


def test_reset_and_seed_start_from_a_fresh_session():
    cfg = small_config()
    t, rec = started(cfg)
    for _ in range(2):
        t.handle(Step())
    epochs = (t.history_epoch, t.particles_epoch)
    t.handle(Reset())
    assert t.session.step_count == 0 and (t.history_epoch, t.particles_epoch) == (epochs[0] + 1, epochs[1] + 1)
    t.handle(Step())
    fresh = Session(cfg)
    assert t.session.loss_history[-1] == fresh.step()
    session_epoch = t.session_epoch
    t.handle(SetSeed(7))
    assert t.session_epoch == session_epoch + 1 and t.session.step_count == 0
    t.handle(Step())
    assert list(t.session.loss_history) == [Session(small_config(seed=7)).step()]


def test_refused_input_is_reported_and_changes_nothing():
    t, rec = started(small_config(objective=ObjectiveConfig(name="ism")))
    t.handle(Step())
    before = t.session.cfg
    t.handle(SetModel(ModelConfig(hidden=32, layers=2, activation="relu")))  # ism needs a smooth activation
    assert len(rec.failures) == 1 and isinstance(rec.failures[0], Fault) and rec.failures[0].kind == INPUT
    assert t.session.cfg == before and t.session.step_count == 1

    unstarted = Recorder()
    u = unstarted.trainer(small_config())
    u.handle(Play())  # no Session yet
    assert not u.running and unstarted.failures[0].kind == INPUT


def test_a_failing_step_pauses_and_is_reported_once():
    t, rec = started(small_config())
    t.handle(Play())

    def broken_step():
        raise RuntimeError("boom")

    t.session.step = broken_step
    t.tick()  # never raises
    assert not t.running and rec.running == [True, False]
    assert len(rec.failures) == 1 and "boom" in rec.failures[0] and rec.failures[0].step == 1


def test_speed_and_command_wait():
    t, _ = started(small_config())
    assert t.command_wait() == 0.25  # paused: wait a quarter of a second for a command
    t.handle(Play())
    assert t.command_wait() == 0.0  # as fast as possible: a step is due
    t.handle(Speed(0))
    assert t.speed is None
    t.handle(Speed(2))
    assert t.speed == 2.0
    t.tick()
    assert 0.0 < t.command_wait() <= 0.5  # the next step waits for the speed limit


def test_call_runs_with_the_session_between_steps():
    t, _ = started(small_config())
    t.handle(Step())
    ok, bad, cancelled = Future(), Future(), Future()
    t.handle(Call(lambda s: s.step_count, ok))
    t.handle(Call(lambda s: 1 / 0, bad))
    cancelled.cancel()
    t.handle(Call(lambda s: pytest.fail("a cancelled call ran"), cancelled))
    assert ok.result(0) == 1
    assert isinstance(bad.exception(0), ZeroDivisionError)
