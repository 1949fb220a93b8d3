"""Opening a ``.scoreviz`` session without stopping the window.

The file is read, checked and built into a Session in a background job (``read_session`` run by
``scoreviz.gui.jobs.run_job``); the window keeps drawing and answering meanwhile. When the job
returns, the GUI thread does what an open does: the unsaved-changes question (asked only once the
file was checked, so a damaged file is refused without one and changes nothing), then the
controller's ``_install`` hands the session to the trainer.

A file that is no zip archive at all (missing, a folder, a pipe, not a zip) is refused at once, in
the reader's own words (``quick_refusal``: the reader stops at its first check, before it reads
anything), so ``open`` can answer False right away; any other refusal arrives with the job's
result. A newer open supersedes one still being read; closing the window drops it.

``Opening`` is a mixin of ``SessionController``; ``opening`` is the job in flight (None when
nothing is being read), which is also what a script waits for.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import torch

from scoreviz.core.atomic import file_kind
from scoreviz.core.errors import ScorevizError
from scoreviz.core.session_file import load_session
from scoreviz.gui.i18n import line_of, tr
from scoreviz.gui.jobs import Job, run_job


def read_session(job: Job | None, path: str) -> tuple:
    """(session, view, note) read from ``path`` (in a job; ``job`` may be None). A session saved on
    a GPU this machine lacks is opened on the CPU, and ``note`` says so."""
    try:
        session, view = load_session(path)
    except ScorevizError as e:
        saved_on = next((d for d in ("cuda", "mps") if d in str(e).lower()), None)
        if saved_on is None or (saved_on == "cuda" and torch.cuda.is_available()):
            raise
        if job is not None:
            job.check()  # superseded meanwhile: no second read
        session, view = load_session(path, device="cpu")
        return session, view, tr(" (saved on {device}; opened on the CPU)").format(device=saved_on)
    return session, view, ""


def quick_refusal(path: str) -> Exception | None:
    """The error of a file that is no zip archive at all, as the reader words it (it refuses such a
    file at its first check, before reading anything: quick enough for the GUI thread); None for
    any other file, which the job reads."""
    try:
        if file_kind(path) == "file" and zipfile.is_zipfile(path):
            return None
        read_session(None, path)
    except (ScorevizError, OSError) as e:
        return e
    return None  # it opened after all (changed meanwhile): the job reads it


def refusal_text(path: str, e: BaseException) -> str:
    """The one line the banner and the status bar show for a file that cannot be opened."""
    if isinstance(e, ScorevizError):
        return line_of(e)  # in the interface's language when the refusal is composed
    if isinstance(e, OSError):
        return tr("cannot open '{path}': {reason}").format(path=path, reason=e.strerror or e)
    return tr("cannot open '{path}': {reason}").format(path=path, reason=line_of(e))


class Opening:
    """Session files opened in a job (a mixin of ``SessionController``: it uses the window ``w``,
    ``interactive``, ``prompt``, ``closed``, ``is_modified``, ``confirm_discard``, ``_install``,
    ``_error`` and ``_open_another_action``)."""

    opening: Job | None = None  # the file being read
    _open_request: tuple | None = None  # how to open what it returns

    def open(self, path: str, as_untitled: bool = False, label: str | None = None) -> bool:
        """Open a ``.scoreviz`` file. It is read and checked first: a file that cannot be opened is
        refused (the banner says why) and changes nothing, the unsaved marker included. Then the
        unsaved-changes question, when there is one.

        True: the file is being opened; False: it was refused at once, or the question comes first."""
        return self.start_open(path, as_untitled=as_untitled, label=label)

    def open_now(self, path: str, as_untitled: bool = False, label: str | None = None, saved: bool = True) -> bool:
        """Open without the question. ``saved=False``: the opened state counts as unsaved (a recovery)."""
        return self.start_open(path, as_untitled=as_untitled, label=label, saved=saved, ask=False)

    def start_open(self, path: str, *, as_untitled: bool = False, label=None, saved: bool = True,
                   ask: bool = True, then=None) -> bool:
        """Read ``path`` in a job, then open it (see ``open``). ``label`` may be a function of the
        file's view; ``then()`` runs once the session is installed."""
        refused = quick_refusal(path)
        if refused is not None:
            self._error(refusal_text(path, refused), self._open_another_action())
            return False
        self.cancel_open()
        # bound methods: the answer is dropped with the controller
        self.opening = run_job(read_session, path, on_returned=self._session_read,
                               on_errored=self._session_refused)
        self._open_request = (path, as_untitled, label, saved, ask, then)
        self.w.statusBar().showMessage(self._opening_text(path))
        return not (ask and self.interactive and (self.prompt is not None or self.is_modified()))

    def cancel_open(self) -> None:
        """Drop the file being read (its result is never used)."""
        if self.opening is not None:
            self.opening.abort()
        self.opening, self._open_request = None, None

    @staticmethod
    def _opening_text(path: str) -> str:
        return tr("opening {file}…").format(file=Path(path).name)

    def _take_request(self) -> tuple | None:
        """The request the signalling job answers; None when it was superseded or the window closed."""
        job = self.opening
        if job is None or self.sender() is not job.signals or self.closed:
            return None
        request = self._open_request
        self.opening, self._open_request = None, None
        bar = self.w.statusBar()
        if bar.currentMessage() == self._opening_text(request[0]):
            bar.clearMessage()
        return request

    def _session_read(self, loaded) -> None:
        request = self._take_request()
        if request is None:
            return
        path, as_untitled, label, saved, ask, then = request
        if callable(label):
            label = label(loaded[1])

        def install() -> None:
            self._install(path, loaded, as_untitled, label, saved)
            if callable(then):
                then()

        if ask and not self.confirm_discard(install):
            return
        install()

    def _session_refused(self, error) -> None:
        request = self._take_request()
        if request is not None:
            self._error(refusal_text(request[0], error), self._open_another_action())
