"""One way to run one-shot background work: file writes, encoding, loading, decoding.

Modelled on superqt's ``_qthreading`` (``WorkerBase``/``FunctionWorker``): a ``Job`` is a
``QRunnable`` run by the global thread pool; its signals (on a small QObject it owns) carry plain
Python objects and arrive on the thread that started it (the GUI thread):

- ``progress(object)``: whatever the function reports through ``job.report(value)``;
- ``returned(object)``: the function's result, unless the job was aborted;
- ``errored(object)``: the exception it raised (never a traceback on stderr);
- ``finished()``: last, always.

Abort is cooperative: ``job.abort()`` sets a flag that the function checks between units of work
with ``job.aborted()`` (or ``job.check()``, which raises ``JobAborted``). Every job started is kept
in a registry until it finishes; ``await_jobs`` asks them all to stop and waits, and
``install_shutdown`` makes the application do that at ``aboutToQuit``, so no worker outlives the
window it writes for.

    job = run_job(write_png, path, image)          # write_png(job, path, image)
    job.returned.connect(lambda result: ...)
    job.errored.connect(lambda exc: ...)
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6 import QtCore, QtWidgets


class JobAborted(Exception):
    """Raised by ``Job.check()`` once ``abort()`` was called: the function stops where it is."""


class JobSignals(QtCore.QObject):
    started = QtCore.Signal()
    progress = QtCore.Signal(object)
    returned = QtCore.Signal(object)
    errored = QtCore.Signal(object)
    finished = QtCore.Signal()


class Job(QtCore.QRunnable):
    """``fn(job, *args, **kwargs)`` in the thread pool, reporting through Qt signals."""

    _running: set["Job"] = set()
    _lock = threading.Lock()

    def __init__(self, fn: Callable[..., Any], *args, **kwargs):
        super().__init__()
        self.setAutoDelete(False)  # the registry holds it until it finished
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._abort = threading.Event()
        self._done = threading.Event()
        self.signals = JobSignals()
        self.started, self.progress = self.signals.started, self.signals.progress
        self.returned, self.errored, self.finished = (self.signals.returned, self.signals.errored,
                                                       self.signals.finished)

    # ------------------------------------------------------------------ inside the function
    def report(self, value) -> None:
        """Send ``value`` to ``progress`` (from the worker thread)."""
        self.signals.progress.emit(value)

    def aborted(self) -> bool:
        return self._abort.is_set()

    def check(self) -> None:
        """Raise ``JobAborted`` when the job was asked to stop."""
        if self._abort.is_set():
            raise JobAborted()

    # ------------------------------------------------------------------ from the GUI thread
    def start(self) -> "Job":
        with Job._lock:
            Job._running.add(self)
        QtCore.QThreadPool.globalInstance().start(self)
        return self

    def abort(self) -> None:
        self._abort.set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the function returned (True) or ``timeout_s`` passed (False)."""
        return self._done.wait(timeout_s)

    def is_done(self) -> bool:
        return self._done.is_set()

    def run(self) -> None:  # called by the thread pool
        self.signals.started.emit()
        try:
            result = self._fn(self, *self._args, **self._kwargs)
        except JobAborted:
            pass
        except Exception as e:  # reported, never printed
            if not self._abort.is_set():
                self.signals.errored.emit(e)
        else:
            if not self._abort.is_set():
                self.signals.returned.emit(result)
        finally:
            self._done.set()
            self.signals.finished.emit()
            with Job._lock:
                Job._running.discard(self)


def run_job(fn: Callable[..., Any], *args, **kwargs) -> Job:
    """Start ``fn(job, *args, **kwargs)`` in the background and return its ``Job`` (connect its
    signals right away: they are queued to this thread's event loop, so none is missed)."""
    return Job(fn, *args, **kwargs).start()


def running_jobs() -> list[Job]:
    with Job._lock:
        return list(Job._running)


def await_jobs(timeout_s: float = 10.0, abort: bool = True) -> bool:
    """Ask every running job to stop (``abort``) and wait up to ``timeout_s`` for all of them;
    True when none is left."""
    jobs = running_jobs()
    if abort:
        for job in jobs:
            job.abort()
    return all(job.wait(timeout_s) for job in jobs)


def install_shutdown(app: QtWidgets.QApplication | None = None) -> None:
    """Await every job when the application quits (once per application)."""
    app = app or QtWidgets.QApplication.instance()
    if app is not None and not app.property("scoreviz_jobs_await"):
        app.setProperty("scoreviz_jobs_await", True)
        app.aboutToQuit.connect(lambda: await_jobs())
