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

    run_job(write_png, path, image,                # write_png(job, path, image)
            on_returned=lambda result: ..., on_errored=lambda exc: ...)

Also: ``hold(job)`` keeps a job (and its signals' QObject) until its ``finished`` has arrived, then
frees it in this thread (``QThreadPool.start`` took ownership of it: unheld, a job is never freed);
``finish_at_quit`` marks a job that writes a file the
user asked for (awaited at quit, not aborted); ``thread_named`` names the pool thread while a
function runs (the GUI tests' leak check looks for ``scoreviz*`` threads); ``run_consumer`` starts a
job that runs until told to stop, with one more pool thread while it runs.
"""

from __future__ import annotations

import contextlib
import threading
import time
import weakref
from typing import Any, Callable, Iterator

import shiboken6
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
    finish_at_quit = False  # True: await_jobs waits for it without aborting it (a file the user asked for)

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

    def is_running(self) -> bool:
        """Started and its function has not returned yet."""
        with Job._lock:
            started = self in Job._running
        return started and not self._done.is_set()

    isRunning = is_running  # QThread's spelling: code that waited on a QThread asks a job the same

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
            self._fn = self._args = self._kwargs = None  # the payload (e.g. a recording) goes now
            with Job._lock:
                Job._running.discard(self)
            self._done.set()
            self.signals.finished.emit()


def run_job(fn: Callable[..., Any], *args, on_returned: Callable[[Any], Any] | None = None,
            on_errored: Callable[[BaseException], Any] | None = None, on_progress: Callable[[Any], Any] | None = None,
            on_finished: Callable[[], Any] | None = None, **kwargs) -> Job:
    """Start ``fn(job, *args, **kwargs)`` in the background and return its ``Job``.

    The ``on_*`` callbacks are connected *before* the job starts, so none of its signals is missed
    (a signal sent before a connection exists is dropped: a fast job would otherwise finish before
    the caller connects). The job is held until its ``finished`` arrived (``hold``). To connect
    anything else, build the ``Job`` yourself, connect, then ``hold(job).start()``."""
    job = Job(fn, *args, **kwargs)
    for signal, slot in ((job.returned, on_returned), (job.errored, on_errored), (job.progress, on_progress),
                         (job.finished, on_finished)):
        if slot is not None:
            signal.connect(slot)
    return hold(job).start()


def running_jobs() -> list[Job]:
    with Job._lock:
        return list(Job._running)


def await_jobs(timeout_s: float = 10.0, abort: bool = True) -> bool:
    """Ask every running job to stop (``abort``) and wait up to ``timeout_s`` for all of them;
    True when none is left."""
    free_finished()
    jobs = running_jobs()
    if abort:
        for job in jobs:
            if not job.finish_at_quit:
                job.abort()
    return all(job.wait(timeout_s) for job in jobs)


def install_shutdown(app: QtWidgets.QApplication | None = None) -> None:
    """Await every job when the application quits (once per application)."""
    app = app or QtWidgets.QApplication.instance()
    if app is not None and not app.property("scoreviz_jobs_await"):
        app.setProperty("scoreviz_jobs_await", True)
        app.aboutToQuit.connect(lambda: await_jobs())


_held: set[Job] = set()
_finished_jobs: list[tuple[float, Job]] = []  # (when finished arrived, the job): freed a moment later
FREE_AFTER_S = 0.05  # long enough for the pool thread to have left the job's run()


def hold(job: Job) -> Job:
    """Keep ``job`` alive until its ``finished`` has arrived on this thread; then it is freed (the
    runnable the pool took ownership of is deleted, or it would keep its function and arguments,
    e.g. a recording, for good) at the next ``hold``, ``free_finished`` or ``await_jobs``, once
    ``FREE_AFTER_S`` has passed: by then its ``run`` has returned. No timer is involved, so nothing
    is left ticking for a window that is gone. Returns ``job``; afterwards its Python methods
    (``wait``, ``is_done``, ``aborted``...) still answer."""
    free_finished()
    _held.add(job)
    ref = weakref.ref(job)
    job.finished.connect(lambda: _arrived(ref))
    return job


def _arrived(ref: "weakref.ref[Job]") -> None:
    job = ref()
    if job is not None and job in _held:
        _held.discard(job)
        _finished_jobs.append((time.monotonic(), job))


def free_finished(min_age_s: float = FREE_AFTER_S) -> int:
    """Delete the finished jobs whose ``finished`` arrived at least ``min_age_s`` ago; how many."""
    now, keep, freed = time.monotonic(), [], 0
    for t, job in _finished_jobs:
        if now - t >= min_age_s and job.is_done() and job not in running_jobs():
            if shiboken6.isValid(job) and not shiboken6.ownedByPython(job):
                shiboken6.delete(job)  # QThreadPool.start took ownership; with autoDelete off it never frees it
            freed += 1
        else:
            keep.append((t, job))
    _finished_jobs[:] = keep
    return freed


@contextlib.contextmanager
def thread_named(name: str) -> Iterator[None]:
    """Inside a job's function: the pool thread is called ``name`` while the block runs (how a
    debugger, or the GUI tests' check for ``scoreviz*`` threads left running, tells the work)."""
    thread = threading.current_thread()
    before = thread.name
    thread.name = name
    try:
        yield
    finally:
        thread.name = before


_pool_lock = threading.Lock()


def _grow_pool(n: int) -> None:
    with _pool_lock:
        pool = QtCore.QThreadPool.globalInstance()
        pool.setMaxThreadCount(max(1, pool.maxThreadCount() + n))


def run_consumer(fn: Callable[..., Any], *args, **kwargs) -> Job:
    """Start ``fn(job, *args, **kwargs)``, a job that runs until it is told to stop (a queue's
    consumer; it checks ``job.aborted()`` while it waits): the pool has one more thread while it
    runs, so one-shot jobs never queue behind it."""
    def consume(job: Job, *a, **k):
        try:
            return fn(job, *a, **k)
        finally:
            _grow_pool(-1)

    _grow_pool(1)
    return Job(consume, *args, **kwargs).start()
