"""Training in a process of its own (``live.train_process``): the same bits as in the thread, commands
act on the exact state, faults come back as the thread's, a dead process costs nothing but its steps."""

from __future__ import annotations

import math
import pickle
import time

import numpy as np
import pytest
import torch

from live_helpers import Recorder, published, same_weights, small_config
from scoreviz.core.densities import make_preset
from scoreviz.core.session import Session
from scoreviz.live.commands import FISHER_SAMPLES, Call, Pause, Play, SetOptimizer, Step
from scoreviz.live.faults import DIVERGED, Fault, fault_from
from scoreviz.live.train_process import session_state, load_state

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def wait_ready(t) -> None:
    deadline = time.perf_counter() + 120
    while not t.process.ready():  # the child loads torch (a second or two)
        assert time.perf_counter() < deadline and not t.process.failed, "the training process never became ready"
        time.sleep(0.05)


def process_trainer(cfg, density=None):
    rec = Recorder()
    t = rec.trainer(cfg, process=True, density=density)
    assert t.start()
    wait_ready(t)
    return t, rec


def train_until(t, steps: int, in_process: bool = True) -> None:
    deadline = time.perf_counter() + 120
    while t.session.step_count < steps:
        t.tick()
        if in_process:
            assert t.process is not None and t.process.running, "training did not go to the process"
        assert time.perf_counter() < deadline


def reference(cfg, steps: int) -> Session:
    s = Session(cfg)
    for _ in range(steps):
        s.step()
    return s


def test_training_in_the_process_gives_the_threads_bits_and_histories():
    cfg = small_config(seed=5)
    t, rec = process_trainer(cfg)
    try:
        t.handle(Play())
        train_until(t, 200)
        t.handle(Pause())  # takes the training back: the session is the process's, exactly
        assert not t.process.running and not rec.failures
        n = t.session.step_count
        ref = reference(cfg, n)
        assert same_weights(t.session.model.state_dict(), ref.model.state_dict())
        assert t.session.loss_history == ref.loss_history
        # Adam's moments and both generators continue exactly: one more step in each agrees too
        t.handle(Step())
        ref.step()
        assert same_weights(t.session.model.state_dict(), ref.model.state_dict())
        # the curve's points were measured in the process at its steps: each equals the session's own F there
        points = t.session.fisher_history
        assert len(points) >= 3 and points[0][0] == 0
        for step, f, rel in points[1:3]:
            again = reference(cfg, step)
            assert again.fisher(FISHER_SAMPLES) == pytest.approx((f, rel), rel=1e-12)
        st = published(t)
        np.testing.assert_array_equal(st.losses, np.asarray(t.session.loss_history))
        assert same_weights(st.weights, t.session.model.state_dict())
    finally:
        t.close()


def test_commands_see_the_exact_state_and_changes_reach_the_process():
    cfg = small_config(seed=2)
    t, rec = process_trainer(cfg)
    try:
        t.handle(Play())
        train_until(t, 60)
        seen = []
        t.handle(Call(lambda s: seen.append((s.step_count, len(s.loss_history), session_state(s))), _future()))
        step, losses, state = seen[0]
        assert step == losses == t.session.step_count  # the Call ran on the handed-back session
        ref = reference(cfg, step)
        assert same_weights(state["model"], ref.model.state_dict())
        t.handle(SetOptimizer(lr=3e-4, batch=32))  # a new setting: the next hand-over sends the set-up again
        t.tick()
        assert t.process.running
        train_until(t, step + 40)
        t.handle(Pause())
        ref.set_optimizer(lr=3e-4, batch=32)
        for _ in range(t.session.step_count - step):
            ref.step()
        assert same_weights(t.session.model.state_dict(), ref.model.state_dict())
        assert t.session.cfg.batch == 32 and not rec.failures
    finally:
        t.close()


def _future():
    from concurrent.futures import Future
    return Future()


def test_a_fault_in_the_process_pauses_and_keeps_the_last_good_weights():
    cfg = small_config(seed=4)
    t, rec = process_trainer(cfg)
    try:
        def poison(s):  # every output infinite: the next loss is not finite
            with torch.no_grad():
                for p in s.model.parameters():
                    p.fill_(float("inf"))
        t.handle(Call(poison, _future()))
        before = {k: v.clone() for k, v in t.session.model.state_dict().items()}
        t.handle(Play())
        deadline = time.perf_counter() + 60
        while t.running:
            t.tick()
            assert time.perf_counter() < deadline
        assert len(rec.failures) == 1
        fault = rec.failures[0]
        assert isinstance(fault, Fault) and fault.kind == DIVERGED and fault.step == 1
        assert "diverged at step 1" in fault and rec.running == [True, False]
        assert not t.process.running and t.session.step_count == 0
        assert same_weights(t.session.model.state_dict(), before)  # the failed step changed nothing
    finally:
        t.close()


def test_a_dead_process_rolls_back_to_the_hand_over_and_training_goes_on_here():
    cfg = small_config(seed=6)
    t, rec = process_trainer(cfg)
    t.handle(Play())
    train_until(t, 30)
    t.handle(Pause())
    handed = t.session.step_count
    kept = {k: v.clone() for k, v in t.session.model.state_dict().items()}
    t.handle(Play())
    t.tick()
    assert t.process.running
    t.process.proc.kill()
    deadline = time.perf_counter() + 60
    while t.process is not None:
        t.tick()
        assert time.perf_counter() < deadline
    assert t.running and t.session.step_count == handed and len(t.session.loss_history) == handed
    assert same_weights(t.session.model.state_dict(), kept)
    assert any(m.startswith("the training process stopped") for m in rec.messages)
    train_until(t, handed + 5, in_process=False)  # on in this thread, from the hand-over, exactly
    t.handle(Pause())
    ref = reference(cfg, t.session.step_count)
    assert same_weights(t.session.model.state_dict(), ref.model.state_dict())


def test_close_ends_the_process_and_leaves_the_session_current():
    cfg = small_config(seed=1)
    t, rec = process_trainer(cfg)
    t.handle(Play())
    train_until(t, 20)
    proc = t.process.proc
    t.close()
    assert proc.wait(10) == 0 and t.process is None
    ref = reference(cfg, t.session.step_count)
    assert same_weights(t.session.model.state_dict(), ref.model.state_dict())


class _Unpicklable:
    """A density the process cannot be sent (a lambda inside): that set-up trains in the thread."""

    def __init__(self):
        self._d = make_preset("8gaussians")
        self.hook = lambda: None

    def __getattr__(self, name):
        return getattr(self.__dict__["_d"], name)


def test_a_density_that_cannot_be_sent_trains_in_the_thread():
    t, rec = process_trainer(small_config(seed=3), density=_Unpicklable())
    try:
        t.handle(Play())
        train_until(t, 10, in_process=False)
        assert not t.process.running and not rec.failures
    finally:
        t.close()


def test_state_round_trip_and_faults_pickle():
    cfg = small_config(seed=8)
    a, b = reference(cfg, 7), Session(cfg)
    load_state(b, pickle.loads(pickle.dumps(session_state(a))))
    a.step()
    b.step()
    assert same_weights(a.model.state_dict(), b.model.state_dict()) and b.step_count == 8
    f = fault_from(torch.OutOfMemoryError("CUDA out of memory"), step=12)
    g = pickle.loads(pickle.dumps(f))
    assert g == f and (g.kind, g.step, g.cpu_fallback) == (f.kind, f.step, f.cpu_fallback)
    assert not math.isnan(b.loss_history[-1])
