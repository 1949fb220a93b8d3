"""The one job runner for background work (scoreviz.gui.jobs): results, errors, progress and
abort arrive on the GUI thread as plain objects; await_jobs leaves no job running."""

from __future__ import annotations

import os
import threading
import time

import pytest
from scoreviz.gui.jobs import Job, JobAborted, await_jobs, free_finished, run_job, running_jobs


def _write(job, path, text):
    job.report(("writing", path.name))
    path.write_text(text, encoding="utf-8")
    return (path.name, threading.current_thread() is not threading.main_thread())


def test_a_job_runs_off_the_gui_thread_and_returns_on_it(qtbot, tmp_path):
    got, where, progress, finished = [], [], [], []
    job = run_job(_write, tmp_path / "a.txt", "hello", on_progress=progress.append,
                  on_returned=lambda r: (got.append(r), where.append(threading.current_thread() is threading.main_thread())),
                  on_finished=lambda: finished.append(True))
    qtbot.waitUntil(lambda: bool(got) and bool(finished), timeout=5000)
    assert got == [("a.txt", True)] and where == [True]  # worked in another thread, answered in this one
    assert progress == [("writing", "a.txt")]
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "hello"
    assert job.is_done() and job not in running_jobs()


def test_an_error_is_handed_over_not_printed(qtbot, capfd):
    def fail(job):
        raise ValueError("bad value 7: allowed 0..5")

    errors, returned = [], []
    run_job(fail, on_errored=errors.append, on_returned=returned.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ValueError) and str(errors[0]) == "bad value 7: allowed 0..5"
    assert returned == [] and "Traceback" not in capfd.readouterr().err


def test_abort_is_cooperative_and_await_jobs_waits_for_every_job(qtbot):
    steps = []

    def loop(job, n):
        for i in range(n):
            job.check()  # between units of work
            steps.append(i)
            time.sleep(0.01)
        return "done"

    returned = []
    jobs = [run_job(loop, 10_000, on_returned=returned.append) for _ in range(2)]
    qtbot.waitUntil(lambda: len(steps) >= 4, timeout=5000)
    assert await_jobs(timeout_s=5.0)  # aborts them and waits
    assert all(j.is_done() and j.aborted() for j in jobs) and running_jobs() == []
    n = len(steps)
    qtbot.wait(100)
    assert len(steps) == n < 20_000 and returned == []  # stopped early; an aborted job returns nothing


def test_job_aborted_is_not_an_error(qtbot):
    def stop_at_once(job):
        job.abort()
        job.check()
        return "never"

    errors = []
    job = run_job(stop_at_once, on_errored=errors.append)
    assert job.wait(5.0)
    qtbot.wait(50)
    assert errors == [] and job.aborted()
    with pytest.raises(JobAborted):  # check() is how the function stops: it raises, the runner swallows it
        stop_at_once(Job(lambda j: None))


def test_a_job_that_ends_before_the_gui_thread_looks_still_delivers(qtbot):
    """The callbacks are connected before the job starts: a job that returns at once, while the GUI
    thread is busy, still delivers its result (a connection made after start would miss it)."""
    got = []
    for i in range(20):
        run_job(lambda job, i=i: i, on_returned=got.append)
        time.sleep(0.005)  # the GUI thread busy: the job has long finished
    qtbot.waitUntil(lambda: len(got) == 20, timeout=5000)
    assert sorted(got) == list(range(20))


# ---------------------------------------------------------------------- the additions: hold, quit, names, consumers
def test_a_job_held_lives_until_finished_arrived_and_is_named_while_it_runs(qtbot):
    import gc
    import weakref

    from scoreviz.gui.jobs import hold, thread_named

    names = []

    def named(job):
        with thread_named("scoreviz-test-job"):
            names.append(threading.current_thread().name)
            time.sleep(0.05)
        return threading.current_thread().name

    job = Job(named)
    returned = []
    job.returned.connect(returned.append)
    ref = weakref.ref(hold(job).start())
    assert job.is_running() and job.isRunning()  # QThread's spelling too
    del job
    qtbot.waitUntil(lambda: bool(returned), timeout=5000)
    assert names == ["scoreviz-test-job"] and returned[0] != "scoreviz-test-job"  # the pool thread's own name again
    # let go once finished has arrived and FREE_AFTER_S passed (at the next hold / free_finished)
    qtbot.waitUntil(lambda: (free_finished(), gc.collect(), ref() is None)[2], timeout=5000)


def test_await_jobs_lets_a_finish_at_quit_job_write_its_file(qtbot, tmp_path):
    from scoreviz.gui.jobs import hold

    def slow_write(job, path):
        time.sleep(0.2)
        if job.aborted():
            return "aborted"
        path.write_text("kept", encoding="utf-8")
        return "written"

    keep = Job(slow_write, tmp_path / "keep.txt")
    keep.finish_at_quit = True
    drop = Job(slow_write, tmp_path / "drop.txt")
    for j in (keep, drop):
        hold(j).start()
    assert await_jobs(timeout_s=5.0)
    assert not keep.aborted() and drop.aborted()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_a_consumer_job_gets_its_own_pool_thread(qtbot):
    from PySide6 import QtCore
    from scoreviz.gui.jobs import hold, run_consumer

    pool = QtCore.QThreadPool.globalInstance()
    before = pool.maxThreadCount()
    stop = threading.Event()

    def consume(job):
        while not (job.aborted() or stop.is_set()):
            time.sleep(0.01)

    consumers = [hold(run_consumer(consume)) for _ in range(before)]  # as many as the pool had threads
    assert pool.maxThreadCount() == 2 * before
    done = []
    one_shot = run_job(lambda job: done.append(1))
    assert one_shot.wait(5.0) and done == [1]  # it did not queue behind the consumers
    stop.set()
    assert all(c.wait(5.0) for c in consumers)
    qtbot.waitUntil(lambda: pool.maxThreadCount() == before, timeout=5000)


def test_the_recording_compressor_stops_at_stop_or_when_aborted(qtbot):
    from PySide6 import QtGui
    from scoreviz.core.animation import FrameStore
    from scoreviz.gui.recording.frames import REPEAT, STOP, Compressor

    image = QtGui.QImage(40, 30, QtGui.QImage.Format.Format_RGB32)
    image.fill(QtGui.QColor("#336699"))
    c = Compressor(FrameStore(), 20, 20)
    c.start()
    for item in (image, REPEAT, image, STOP):
        c.inbox.put(item)
    assert c.join(5.0) and c.error is None and len(c.store) == 3 and c.store[2].shape == (20, 20, 3)
    waiting = Compressor(FrameStore(), 20, 20)
    waiting.start()
    assert not waiting.join(0.2)  # nothing to do: it waits for frames
    assert await_jobs(timeout_s=5.0) and waiting.join(0)  # quitting aborts it


# ---------------------------------------------------------------------- the window's file writes run as jobs
def test_the_compare_figure_is_written_while_the_window_keeps_working(qtbot, make_compare, monkeypatch, tmp_path):
    from PySide6 import QtCore, QtGui
    from helpers import wait_for_frame
    from scoreviz.gui.windows import compare_files

    w = make_compare()
    wait_for_frame(qtbot, w)
    gate, writer = threading.Event(), []
    real = compare_files.write_bytes

    def slow_write(path, data):  # the disk is slow: the write waits until the GUI thread showed it kept going
        writer.append(threading.current_thread() is threading.main_thread())
        gate.wait(20)
        real(path, data)

    monkeypatch.setattr(compare_files, "write_bytes", slow_write)
    ticks = []  # the GUI thread's timer, counted while the write waits

    def tick():
        if writer and not gate.is_set():
            ticks.append(1)
            if len(ticks) >= 5:
                gate.set()

    timer = QtCore.QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    path = str(tmp_path / "slow.png")
    try:
        timer.start()
        with qtbot.waitSignal(w.figureSaved, timeout=30000) as sig:
            w.save_figure(path, (600, 400))
    finally:
        timer.stop()
        gate.set()
    assert sig.args == [path, True] and writer == [False] and len(ticks) >= 5
    assert w.statusBar().currentMessage() == f"saved {path}"
    img = QtGui.QImage(path)
    assert (img.width(), img.height()) == (600, 400)

    monkeypatch.setattr(compare_files, "write_bytes", real)
    bad = str(tmp_path / "missing" / "f.png")
    with qtbot.waitSignal(w.figureSaved, timeout=30000) as sig:
        w.save_figure(bad, (300, 200))
    assert sig.args == [bad, False]
    text = w.statusBar().currentMessage()
    assert text.startswith(f"could not write {bad}: ") and "\n" not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slow.png"]


def test_save_density_writes_in_a_job_with_the_same_messages(qtbot, make_window, tmp_path):
    from helpers import wait_for_frame
    from scoreviz.core.densities import load_density_json

    w = make_window()
    f = wait_for_frame(qtbot, w)
    path = str(tmp_path / "density.json")
    assert w.save_density(path)
    qtbot.waitUntil(lambda: w.statusBar().currentMessage() == f"saved {path}", timeout=10000)
    assert load_density_json(path).to_dict() == f.state.density.to_dict()
    bad = str(tmp_path / "missing" / "density.json")
    assert w.save_density(bad)
    qtbot.waitUntil(lambda: w.statusBar().currentMessage().startswith(f"cannot write '{bad}'"), timeout=10000)
    assert "does not exist" in w.statusBar().currentMessage() and "\n" not in w.statusBar().currentMessage()
    assert os.listdir(tmp_path) == ["density.json"]


def test_cancelling_a_figure_export_in_its_job_writes_nothing(qtbot, make_window, monkeypatch, tmp_path):
    from helpers import wait_for_frame
    from scoreviz.gui.offscreen import figure_export

    w = make_window()
    wait_for_frame(qtbot, w, lambda f: f.dots is not None)
    gate, encoding = threading.Event(), threading.Event()
    real = figure_export.png_bytes

    def slow_png(image):
        encoding.set()
        gate.wait(20)
        return real(image)

    monkeypatch.setattr(figure_export, "png_bytes", slow_png)
    path = tmp_path / "fig.png"
    try:
        assert w.exports.export_figure(str(path), "all", (320, 200))
        assert w.exports.busy() and w.exports.cancel_button.isVisible()
        assert encoding.wait(10)
        with qtbot.waitSignal(w.exports.finished, timeout=10000) as blocker:
            w.exports.cancel_button.click()
            gate.set()
    finally:
        gate.set()
    assert blocker.args == [str(path), False, "export of the figure cancelled: nothing written"]
    assert w.statusBar().currentMessage() == blocker.args[2]
    assert not w.exports.busy() and w.exports.act_figure.isEnabled() and os.listdir(tmp_path) == []
