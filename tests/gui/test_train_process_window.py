"""The main window trains in a process of its own (the default outside the tests): the panels follow
the process's weights, a command still acts on the exact session, and closing the window ends it."""

from __future__ import annotations

import time




def test_the_window_trains_in_a_process_and_ends_it_on_close(qtbot, make_window, monkeypatch):
    import torch

    from scoreviz.core.session import Session

    monkeypatch.setenv("SCOREVIZ_TRAIN_PROCESS", "1")
    w = make_window(autoplay=True)
    tr = w.trainer.trainer
    assert tr.use_process
    qtbot.waitUntil(lambda: tr.process is not None and tr.process.running, timeout=60000)
    proc = tr.process.proc
    qtbot.waitUntil(lambda: w.last_frame is not None and w.last_frame.state.step > 150, timeout=60000)
    frame = w.last_frame
    assert frame.state.running and frame.state.weights_version == frame.state.step
    # the frame's weights are the process's at that step: the core trained as far gives the same bits
    ref = Session(frame.state.cfg)
    for _ in range(frame.state.step):
        ref.step()
    assert all(torch.equal(frame.state.weights[k], v) for k, v in ref.model.state_dict().items())
    # a call takes the training back: it sees a session whose histories match its step count
    future = w.trainer.call(lambda s: (s.step_count, len(s.loss_history)))
    qtbot.waitUntil(future.done, timeout=30000)
    step, losses = future.result()
    assert step == losses >= frame.state.step
    w.close()
    t0 = time.perf_counter()
    assert proc.wait(20) == 0 and time.perf_counter() - t0 < 20
