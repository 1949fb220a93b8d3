"""Faults while running: an exception, a non-finite loss, running out of (GPU) memory or a GPU failure
at a random training step pauses training with a clear message; the window keeps drawing and
answering, and Play, Reset, a smaller batch or the CPU continue. Faults are injected at a step drawn
from a seeded random.Random (printed, so a failure can be replayed)."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
import torch
from PySide6 import QtCore

from helpers import small_config, wait_for_frame
from scoreviz.core.errors import DivergedError, ScorevizError
from scoreviz.live import faults
from scoreviz.live.commands import Play, Reset, SetOptimizer, SetSampler


def _fault_step(seed: int) -> int:
    k = random.Random(seed).randint(5, 60)
    print(f"fault injected at training step {k} (random.Random({seed}))")
    return k


def _raise_once_at(monkeypatch, k: int, make_error, which=lambda session: True):
    """Session.step raises ``make_error()`` once, when it would make step ``k`` (of a session ``which`` picks)."""
    from scoreviz.core.session import Session

    real = Session.step
    fired = []

    def step(self):
        if not fired and self.step_count + 1 == k and which(self):
            fired.append(k)
            raise make_error()
        return real(self)

    monkeypatch.setattr(Session, "step", step)
    return fired


def _paused_with(qtbot, w, text: str, k: int) -> None:
    """Training paused at step k with ``text`` on the banner; the window keeps drawing and answering."""
    qtbot.waitUntil(lambda: w.banner.isVisible(), timeout=20000)
    assert w.banner.text() == text
    qtbot.waitUntil(lambda: not w.running, timeout=5000)
    assert w.act_play.text() == "Play" and not w.trainer.trainer.running
    assert w.trainer.call(lambda s: s.step_count).result(timeout=10) == k - 1  # the failed step changed nothing
    n = w.frames_drawn
    qtbot.waitUntil(lambda: w.frames_drawn >= n + 5, timeout=10000)  # frames keep coming (particles move)
    w.controls.model.lr.setValue(2e-3)  # and the window answers: a control change reaches training
    wait_for_frame(qtbot, w, lambda f: f.state.cfg.lr == pytest.approx(2e-3))
    assert not w.running


def _window_paused_by(qtbot, make_window, monkeypatch, seed: int, make_error, message):
    """A training window whose Session.step raises ``make_error()`` once at a random step k; it pauses
    with ``message(k)``. Returns (window, k)."""
    k = _fault_step(seed)
    _raise_once_at(monkeypatch, k, make_error)
    w = make_window(autoplay=True)
    _paused_with(qtbot, w, message(k), k)
    return w, k


def _trains_past(qtbot, w, step: int) -> None:
    qtbot.waitUntil(lambda: w.running, timeout=5000)
    wait_for_frame(qtbot, w, lambda f: f.state.step >= step)
    assert not w.banner.isVisible()


# ============================================================================ in the window
def test_an_exception_at_a_random_step_pauses_and_play_continues(qtbot, make_window, monkeypatch):
    w, k = _window_paused_by(qtbot, make_window, monkeypatch, 1, lambda: ValueError("injected fault\nmore detail"),
                             lambda k: f"training stopped at step {k}: injected fault — paused. Press Play to try "
                                       "again, or Reset to start over.")
    w.act_play.trigger()  # Play: training goes on from where it stopped
    _trains_past(qtbot, w, k + 10)
    assert w.last_frame.state.losses.shape[0] >= k + 10  # one history, no gap and no restart


def test_a_non_finite_loss_at_a_random_step_pauses_and_reset_recovers(qtbot, make_window, monkeypatch):
    from scoreviz.core import objectives

    k = _fault_step(2)
    real = objectives.compute_loss
    calls = []

    def compute_loss(*args, **kwargs):  # the real loss, made non-finite at the k-th training step
        calls.append(1)
        loss = real(*args, **kwargs)
        return loss * float("nan") if len(calls) == k else loss

    monkeypatch.setattr(objectives, "compute_loss", compute_loss)
    w = make_window(autoplay=True)
    _paused_with(qtbot, w, f"training diverged at step {k} (loss nan) — paused. Press Reset to start over; "
                           "a lower learning rate keeps it from diverging again.", k)
    assert w.last_frame.state.losses.shape[0] == k - 1  # the non-finite loss is not in the history
    w.banner.reset.click()  # Reset on the banner
    assert not w.banner.isVisible()
    wait_for_frame(qtbot, w, lambda f: f.state.step == 0)
    w.act_play.trigger()
    _trains_past(qtbot, w, 10)


def test_out_of_gpu_memory_at_a_random_step_pauses_and_a_smaller_batch_continues(qtbot, make_window, monkeypatch):
    w, k = _window_paused_by(
        qtbot, make_window, monkeypatch, 3,
        lambda: torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has 79.10 GiB in all"),
        lambda k: f"training ran out of GPU memory at step {k} — paused. Choose a smaller batch (or fewer particles, "
                  "a smaller model) and press Play, or continue on the CPU.")
    assert w.banner.cpu.isVisible()  # a GPU's memory: the CPU is offered too
    w.controls.model.batch.setValue(64)  # a smaller batch (the optimiser change), then Play
    w.act_play.trigger()
    _trains_past(qtbot, w, k + 10)
    assert w.last_frame.state.cfg.batch == 64


def test_a_gpu_failure_offers_the_cpu_and_continue_on_cpu_trains_there(qtbot, make_window, monkeypatch):
    w, k = _window_paused_by(
        qtbot, make_window, monkeypatch, 4,
        lambda: torch.AcceleratorError("CUDA error: an illegal memory access was encountered"),
        lambda k: f"training stopped at step {k} on the GPU: CUDA error: an illegal memory access was encountered — "
                  "paused. Continue on the CPU, or press Reset to try the GPU again.")
    assert w.banner.cpu.isVisible() and w.banner.cpu.toolTip()
    epoch = w.last_frame.state.session_epoch
    qtbot.mouseClick(w.banner.cpu, QtCore.Qt.MouseButton.LeftButton)
    assert not w.banner.isVisible()
    assert w.controls.system.device.currentText() == "cpu"  # the dock shows where training runs now
    f = wait_for_frame(qtbot, w, lambda f: f.state.session_epoch > epoch and f.state.cfg.device == "cpu"
                       and f.state.running and f.state.step >= 10)
    assert f.snapshot.device == "cpu"
    assert w.trainer.call(lambda s: s.device.type).result(timeout=10) == "cpu"
    qtbot.waitUntil(lambda: w.status_labels["device"].text() == "cpu", timeout=5000)


def test_other_faults_do_not_offer_the_cpu(qtbot, make_window, monkeypatch):
    _raise_once_at(monkeypatch, 3, lambda: RuntimeError("DefaultCPUAllocator: can't allocate memory: you tried to "
                                                        "allocate 68719476736 bytes"))
    w = make_window(autoplay=True)
    qtbot.waitUntil(lambda: w.banner.isVisible(), timeout=20000)
    assert w.banner.text().startswith("training ran out of memory at step 3 — paused. Choose a smaller batch")
    assert not w.banner.cpu.isVisible()


def test_a_failing_display_frame_is_reported_once_and_frames_resume(qtbot, make_window, monkeypatch):
    from scoreviz.live.evaluator import Evaluator

    w = make_window(autoplay=True)  # training publishes new states: a failed frame is retried after 0.5 s
    wait_for_frame(qtbot, w, lambda f: f.state.step > 0)
    real = Evaluator.frame
    left = [3]

    def frame(self, st, view):
        if left[0]:
            left[0] -= 1
            raise RuntimeError("injected display fault")
        return real(self, st, view)

    reports = []
    w.evaluator.failed.connect(reports.append)
    monkeypatch.setattr(Evaluator, "frame", frame)
    qtbot.waitUntil(lambda: left[0] == 0, timeout=15000)  # three failed frames
    n = w.frames_drawn
    qtbot.waitUntil(lambda: w.frames_drawn >= n + 5, timeout=15000)  # then frames come again
    assert reports == ["display: injected display fault"]  # reported once, not at every retry
    assert w.banner.text() == "display: injected display fault"
    assert w.running  # training never stopped
    step = w.last_frame.state.step
    wait_for_frame(qtbot, w, lambda f: f.state.step >= step + 10)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="a real CUDA out-of-memory needs a CUDA GPU")
def test_real_cuda_out_of_memory_frees_the_cache_and_a_smaller_batch_continues(qtbot, make_window):  # pragma: no cover
    """On a CUDA machine: fill the GPU so that training really runs out of memory, then free it."""
    free, _ = torch.cuda.mem_get_info()
    filler = torch.empty(max(free - (128 << 20), 1), dtype=torch.uint8, device="cuda")  # leave ~128 MiB
    # batch 4096 through 1024-wide layers (within the work budget): ~200 MiB of activations, more than is left
    cfg = replace(small_config(device="cuda", batch=4096), model=replace(small_config().model, hidden=1024))
    w = make_window(cfg=cfg, autoplay=True)
    qtbot.waitUntil(lambda: "training ran out of GPU memory at step 1" in w.banner.text(), timeout=60000)
    assert w.banner.cpu.isVisible() and not w.running
    cached = w.trainer.call(lambda s: torch.cuda.memory_reserved() - torch.cuda.memory_allocated()).result(timeout=30)
    assert cached < 128 << 20  # the failed step's blocks went back to the GPU, not into torch's cache
    del filler
    torch.cuda.empty_cache()
    w.controls.model.batch.setValue(256)  # a smaller batch and model, then Play
    w.controls.model.hidden.setValue(128)
    w.act_play.trigger()
    qtbot.waitUntil(lambda: w.running, timeout=10000)
    wait_for_frame(qtbot, w, lambda f: f.state.step >= 20 and f.state.cfg.batch == 256, timeout=60000)
    assert not w.banner.isVisible()


# ============================================================================ without a window
def test_faults_are_classified_with_their_remedy():
    cases = [
        (DivergedError(12, float("inf")), "diverged", False, "training diverged at step 12 (loss inf) — paused. Press "
         "Reset to start over; a lower learning rate keeps it from diverging again."),
        (ScorevizError("batch=0 is out of range; allowed 1..65536"), "input", False,
         "batch=0 is out of range; allowed 1..65536"),
        (torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 8.00 GiB"), "out_of_memory", True,
         "training ran out of GPU memory at step 7 — paused. Choose a smaller batch (or fewer particles, a smaller "
         "model) and press Play, or continue on the CPU."),
        (RuntimeError("CUDA error: out of memory\nCUDA kernel errors might be asynchronously reported"),
         "out_of_memory", True, None),
        (MemoryError(), "out_of_memory", False, "training ran out of memory at step 7 — paused. Choose a smaller "
         "batch (or fewer particles, a smaller model) and press Play."),
        (torch.AcceleratorError("CUDA error: device-side assert triggered"), "device", True,
         "training stopped at step 7 on the GPU: CUDA error: device-side assert triggered — paused. Continue on the "
         "CPU, or press Reset to try the GPU again."),
        (RuntimeError("cuDNN error: CUDNN_STATUS_EXECUTION_FAILED"), "device", True, None),
        (RuntimeError("mat1 and mat2 shapes cannot be multiplied (4x3 and 2x8)"), "error", False,
         "training stopped at step 7: mat1 and mat2 shapes cannot be multiplied (4x3 and 2x8) — paused. Press Play "
         "to try again, or Reset to start over."),
        (KeyError("w"), "error", False, None),
    ]
    for error, kind, cpu, text in cases:
        f = faults.fault_from(error, step=7)
        assert isinstance(f, str) and "\n" not in f and f
        assert (f.kind, f.cpu_fallback) == (kind, cpu), (error, f)
        if text is not None:
            assert f == text
    assert faults.fault_from(ValueError("x")).startswith("training failed: x")  # no step: not a training step
    d = faults.display_fault(torch.OutOfMemoryError("CUDA out of memory."))
    assert d.kind == "out_of_memory" and d.cpu_fallback and d.startswith("display: out of GPU memory")
    assert faults.display_fault(ValueError("bad view")) == "display: bad view"


def _trainer(**changes):
    from scoreviz.live.trainer import Trainer

    failures = []
    t = Trainer(small_config(**changes), threads=1, on_failed=failures.append)
    assert t.start()
    return t, failures


def test_the_trainer_never_raises_a_fault_out_of_its_loop(monkeypatch):
    """A failure to publish (e.g. copying weights off a failed GPU) pauses and is reported once."""
    t, failures = _trainer()
    t.handle(Play())
    t.tick()
    real = t.publish
    monkeypatch.setattr(t, "publish", lambda force=False: (_ for _ in ()).throw(
        RuntimeError("CUDA error: unspecified launch failure")))
    t.tick()
    t.tick()  # failing again: not reported again
    assert not t.running and len(failures) == 1
    assert failures[0].kind == "device" and failures[0].cpu_fallback
    assert failures[0].startswith("publishing the model failed on the GPU: CUDA error: unspecified launch failure")
    monkeypatch.setattr(t, "publish", real)
    t.handle(Play())
    t.tick()
    assert t.running and t.publish_box.take().running and len(failures) == 1
    # a command that fails for other reasons than bad input pauses training too
    monkeypatch.setattr(type(t), "_cmd_sampler", lambda self, cfg: (_ for _ in ()).throw(MemoryError()))
    t.handle(SetSampler(t.session.cfg.sampler))
    assert not t.running and failures[-1].kind == "out_of_memory"
    assert failures[-1].startswith("the sampler change ran out of memory — paused.")
    t.handle(Play())
    t.handle(SetOptimizer(2.0, 64))  # bad input is refused and leaves training as it was
    assert t.running and failures[-1] == "lr=2.0 is out of range; allowed 0 < lr <= 1" and t.session.cfg.lr == 1e-3


def _compare_failing_at(monkeypatch, seed: int, index: int, make_error):
    """A CompareTrainer (esm, dsm) whose configuration ``index`` fails once at a random step, played until it does."""
    from scoreviz.core.compare import parse_objectives
    from scoreviz.live.compare_trainer import CompareTrainer

    cfg = replace(small_config(batch=64, device="cpu"), model=replace(small_config().model, hidden=32, layers=2))
    k = _fault_step(seed)
    failures = []
    t = CompareTrainer(cfg, parse_objectives("esm,dsm"), threads=1, on_failed=failures.append)
    assert t.start()
    failing = t.comparison.sessions[index]
    _raise_once_at(monkeypatch, k, make_error, lambda s: s is failing)
    t.handle(Play())
    while t.running:
        t.tick()
    return t, k, failures


def _steps(t) -> list[int]:
    return [s.step_count for s in t.comparison.sessions]


def test_a_compare_step_that_fails_before_any_configuration_stepped_can_continue(monkeypatch):
    t, k, failures = _compare_failing_at(monkeypatch, 5, 0, lambda: torch.OutOfMemoryError("CUDA out of memory."))
    assert _steps(t) == [k - 1, k - 1] and not t.broken
    assert failures[-1].kind == "out_of_memory" and failures[-1].cpu_fallback
    t.handle(Play())  # still in lockstep: Play continues
    for _ in range(3):
        t.tick()
    assert t.running and _steps(t) == [k + 2, k + 2]


def test_a_compare_step_that_fails_after_some_configurations_stepped_needs_reset(monkeypatch):
    t, k, failures = _compare_failing_at(monkeypatch, 6, 1, lambda: ValueError("injected"))
    assert _steps(t) == [k, k - 1]
    assert failures[-1] == (f"dsm(sigma=0.1) stopped at step {k}: injected — the other configurations went on, so "
                            "the comparison is out of step: press Reset to start over.")
    t.handle(Play())  # refused until Reset
    assert not t.running and "press Reset" in failures[-1]
    t.handle(Reset())
    t.handle(Play())
    for _ in range(3):
        t.tick()
    assert t.running and _steps(t) == [3, 3]
