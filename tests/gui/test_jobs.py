"""The one job runner for background work (scoreviz.gui.jobs): results, errors, progress and
abort arrive on the GUI thread as plain objects; await_jobs leaves no job running."""

from __future__ import annotations

import threading
import time

import pytest
from scoreviz.gui.jobs import Job, JobAborted, await_jobs, run_job, running_jobs


def _write(job, path, text):
    job.report(("writing", path.name))
    path.write_text(text, encoding="utf-8")
    return (path.name, threading.current_thread() is not threading.main_thread())


def test_a_job_runs_off_the_gui_thread_and_returns_on_it(qtbot, tmp_path):
    got, where, progress = [], [], []
    job = run_job(_write, tmp_path / "a.txt", "hello")
    job.progress.connect(progress.append)
    job.returned.connect(lambda r: (got.append(r), where.append(threading.current_thread() is threading.main_thread())))
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    qtbot.waitUntil(lambda: bool(got), timeout=2000)
    assert got == [("a.txt", True)] and where == [True]  # worked in another thread, answered in this one
    assert progress == [("writing", "a.txt")]
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "hello"
    assert job.is_done() and job not in running_jobs()


def test_an_error_is_handed_over_not_printed(qtbot, capfd):
    def fail(job):
        raise ValueError("bad value 7: allowed 0..5")

    errors, returned = [], []
    job = run_job(fail)
    job.errored.connect(errors.append)
    job.returned.connect(returned.append)
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
    jobs = [run_job(loop, 10_000) for _ in range(2)]
    for j in jobs:
        j.returned.connect(returned.append)
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
    job = run_job(stop_at_once)
    job.errored.connect(errors.append)
    assert job.wait(5.0)
    qtbot.wait(50)
    assert errors == [] and job.aborted()
    with pytest.raises(JobAborted):  # check() is how the function stops: it raises, the runner swallows it
        stop_at_once(Job(lambda j: None))
