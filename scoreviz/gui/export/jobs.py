"""Running exports one at a time, in the training thread or a background job, with their progress shown.

``ExportJobs`` is the base of the window's ``ExportController``: ``run_in_trainer(job, work)`` runs
``work(session, cancel)`` between two training steps, ``run_in_job(job, work)`` runs ``work(running)``
in a background job (``scoreviz.gui.jobs``; ``running.aborted()`` says Cancel was pressed); either way
the status bar shows the export with a Cancel button, and then what was saved
(``finished(path, ok, text)``) or a one-line reason it was not. ``ExportJob`` is one export (what, the
paths it writes, its cancel flag); ``ExportCancelled`` is raised when it is cancelled before its file
is written.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from scoreviz.core.errors import ScorevizError
from scoreviz.gui.i18n import text_of, tr
from scoreviz.gui.jobs import Job, hold, thread_named


class ExportCancelled(Exception):
    """The user cancelled the export before its file was written."""


def one_line(e: BaseException) -> str:
    """An exception's reason in one line (an OSError's text and file; long texts keep their end)."""
    if isinstance(e, OSError) and e.strerror and not isinstance(e, ScorevizError):  # a WriteError's line says it all
        return e.strerror + (f": '{e.filename}'" if e.filename else "")
    text = text_of(e).strip()  # in the interface's language when the error is composed
    if not text:
        return type(e).__name__
    text = text.splitlines()[0]
    return text if len(text) <= 300 else text[:140] + " … " + text[-150:]  # keep the reason at the end


def size_text(paths) -> str:
    """The total size of ``paths`` in KB (files that are not there count nothing)."""
    total = 0
    for p in paths:
        try:
            total += os.path.getsize(p)
        except OSError:
            pass
    return f"{total / 1024:,.0f} KB"


@dataclass
class ExportJob:
    """One export: what it writes (for the messages), its cancel flag, and where it runs."""

    what: str  # "the fields", "the figure", ... (translated: tr("the fields"))
    paths: list  # what it writes (for the message)
    cancel: threading.Event = field(default_factory=threading.Event)  # an export in the training thread
    future: object = None  # the trainer call's Future
    background: Job | None = None  # an export in a background job: Cancel aborts it
    error: BaseException | None = None  # how the job's work ended (read once the job has finished)


class ExportJobs(QtCore.QObject):
    """One export at a time for a window ``w``, with a progress indication in its status bar."""

    finished = QtCore.Signal(str, bool, str)  # (first path, ok, the status-bar text)

    def __init__(self, window):
        super().__init__(window)
        self.w = window
        self._job: ExportJob | None = None

    def add_progress(self) -> None:
        """The progress indication (a label, a busy bar, Cancel) at the left of the status bar's permanent widgets."""
        self.progress = QtWidgets.QWidget()
        lay = QtWidgets.QHBoxLayout(self.progress)
        lay.setContentsMargins(0, 0, 6, 0)
        self.progress_label = QtWidgets.QLabel()
        self.progress_bar = QtWidgets.QProgressBar()
        self.progress_bar.setRange(0, 0)  # busy: the exports report no fractions
        self.progress_bar.setMaximumSize(90, 14)
        self.progress_bar.setToolTip(tr("An export is running"))
        self.cancel_button = QtWidgets.QToolButton()
        self.cancel_button.setText(tr("Cancel"))
        self.cancel_button.setToolTip(tr("Stop the export: nothing is written"))
        self.cancel_button.clicked.connect(self.cancel)
        for wdg in (self.progress_label, self.progress_bar, self.cancel_button):
            lay.addWidget(wdg)
        self.progress.hide()
        self.w.statusBar().insertPermanentWidget(0, self.progress)

    # ================================================================== state
    def busy(self) -> bool:
        return self._job is not None

    def update_actions(self) -> None:
        """Enable the actions that start exports while none runs (the subclass has them)."""

    def show_status(self, text: str, ms: int = 8000) -> None:
        """``text`` in the window's status bar for ``ms`` milliseconds."""
        self.w.statusBar().showMessage(text, ms)

    def _begin(self, job: ExportJob) -> None:
        self._job = job
        self.progress_label.setText(tr("Exporting {what}…").format(what=job.what))
        self.progress.show()
        self.update_actions()

    def _end(self, job: ExportJob, error: BaseException | None) -> None:
        if job is not self._job:
            return
        self._job = None
        self.progress.hide()
        self.update_actions()
        first = str(job.paths[0])
        if error is None:
            shown = first if len(job.paths) == 1 else f"{Path(first).parent}{os.sep}" + " + ".join(
                Path(p).name for p in job.paths)
            text = tr("saved {path} ({size})").format(path=shown, size=size_text(job.paths))
            self.show_status(text, 8000)
            self.finished.emit(first, True, text)
            return
        if isinstance(error, ExportCancelled):
            text = tr("export of {what} cancelled: nothing written").format(what=job.what)
        else:
            text = tr("could not export {what}: {reason}").format(what=job.what, reason=one_line(error))
        self.show_status(text, 12000)
        self.finished.emit(first, False, text)

    def refuse(self, what: str, path: str, error: BaseException) -> bool:
        """Say why the export of ``what`` does not start (status bar and ``finished``); returns False."""
        text = tr("could not export {what}: {reason}").format(what=what, reason=one_line(error))
        self.show_status(text, 12000)
        self.finished.emit(str(path), False, text)
        return False

    def cancel(self) -> None:
        """Stop the running export: it writes nothing. (Work already under way, e.g. tracing a network, runs
        to its end in the background and is then thrown away; model.pt + model.json take milliseconds and
        are cancelled only before they start.)"""
        job = self._job
        if job is None:
            return
        job.cancel.set()
        if job.future is not None:
            job.future.cancel()  # not started yet: it never runs
        if job.background is not None:
            job.background.abort()

    def wait(self, timeout: float = 60.0) -> None:
        """Wait for a background job to finish its file (on quit)."""
        job = self._job
        if job is not None and job.background is not None:
            job.background.wait(timeout)

    # ================================================================== running jobs
    def run_in_trainer(self, job: ExportJob, work) -> bool:
        """Run ``work(session)`` in the training thread between two steps; report when it is done."""
        if self._job is not None:
            return self.refuse(job.what, job.paths[0], ScorevizError(tr("another export is still running")))
        cancel = job.cancel

        def run(session):
            if cancel.is_set():
                raise ExportCancelled()
            if session is None:
                raise ScorevizError(tr("there is no model yet: choose a density that loads"))
            return work(session, cancel)

        def done(future):
            if future.cancelled():
                self._end(job, ExportCancelled())
            else:
                self._end(job, future.exception())

        self._begin(job)
        job.future = self.w.trainer.call(run, done)
        return True

    def run_in_job(self, job: ExportJob, work) -> bool:
        """Run ``work(running)`` in a background job (encoding and writing files), then report; ``work``
        raises ``ExportCancelled`` once ``running.aborted()`` (Cancel). A job under way at quit is
        awaited, not aborted: the file asked for is written."""
        if self._job is not None:
            return self.refuse(job.what, job.paths[0], ScorevizError(tr("another export is still running")))

        def run(running: Job) -> None:
            with thread_named("scoreviz-export"):
                try:
                    if running.aborted():
                        raise ExportCancelled()
                    work(running)
                except BaseException as e:  # reported in the window
                    job.error = e
                else:
                    job.error = None

        job.error = ExportCancelled()  # until the work says otherwise
        job.background = Job(run)
        job.background.finish_at_quit = True
        job.background.finished.connect(self._job_finished)  # a bound method: dropped with the window
        self._begin(job)
        hold(job.background).start()
        return True

    @QtCore.Slot()
    def _job_finished(self) -> None:
        job = self._job  # one export at a time: a background job that finished is the running export's
        if job is not None and job.background is not None and job.background.is_done():
            self._end(job, job.error)
