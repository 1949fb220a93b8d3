"""Autosave and crash recovery for the window's session: nothing is lost when the app dies.

``Autosave`` is a mixin of ``SessionController`` (it uses the controller's window, snapshot and
opening): ``start()`` claims this window's autosave slot (a file locked while the app lives) and
writes the session there from the training thread at most every ``AUTOSAVE_S`` seconds when it
changed; ``stop()`` removes it on a clean exit. At the next start, an autosave whose lock nobody
holds is offered back (``offer_recovery``) and reopened as an unsaved session (``recover``; the
file is read in a job, like any session the window opens).
``SUFFIX`` and ``signature`` are shared with the session files.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from scoreviz.core.session_file import save_session
from scoreviz.gui import app_data
from scoreviz.gui.i18n import tr

SUFFIX = ".scoreviz"
AUTOSAVE_S = 60.0  # at most once a minute, and only when something changed


def signature(st) -> tuple:
    """What makes a training state different from another for 'unsaved changes'."""
    return (st.session_epoch, st.history_epoch, st.step, st.cfg, id(st.density))


def recovered_label(view) -> str:
    """The title of a recovered session: the name of the file it was an autosave of."""
    origin = view.get("autosave_of") if isinstance(view, dict) else None
    if isinstance(origin, str) and origin:
        return tr("recovered {name}").format(name=Path(origin).stem)
    return tr("recovered session")


class Autosave:
    """The autosave of one window's session and the offer to recover a crashed one (a mixin)."""

    def init_autosave(self, autosave_s: float | None) -> None:
        """The autosave timer, every ``autosave_s`` seconds (default: $SCOREVIZ_AUTOSAVE_S, else AUTOSAVE_S)."""
        self.closed = False
        self._autosaved = None  # signature at the last autosave
        interval = autosave_s if autosave_s is not None else float(os.environ.get("SCOREVIZ_AUTOSAVE_S", AUTOSAVE_S))
        self._autosave_timer = QtCore.QTimer(self)
        self._autosave_timer.setObjectName("scoreviz-autosave")
        self._autosave_timer.setInterval(max(100, int(interval * 1000)))
        self._autosave_timer.timeout.connect(self.autosave)
        self._lock = None
        self.autosave_path: Path | None = None

    # ================================================================== lifecycle
    def start(self) -> None:
        """Claim this window's autosave slot, start the autosave timer, offer any crashed session."""
        if not self.interactive:
            return
        folder = app_data.autosave_dir()
        stamp = f"session-{os.getpid()}-{int(time.time() * 1000) % 10**9}"
        self._lock = QtCore.QLockFile(str(folder / (stamp + ".lock")))
        self._lock.setStaleLockTime(0)  # never considered stale while this process lives
        if self._lock.tryLock(0):
            self.autosave_path = folder / (stamp + SUFFIX)
        self._autosave_timer.start()
        QtCore.QTimer.singleShot(0, self.offer_recovery)

    def stop(self, clean: bool = True) -> None:
        """Stop autosaving; on a clean exit the autosave goes (nothing was lost)."""
        if self.closed:
            return
        self.closed = True
        self.cancel_open()  # a file still being read is dropped
        self._autosave_timer.stop()
        if clean and self.autosave_path is not None:
            for p in (self.autosave_path,):
                try:
                    p.unlink()
                except OSError:
                    pass
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    # ================================================================== autosave and recovery
    def autosave(self) -> bool:
        """Write the autosave (off the GUI thread) if the session changed since the last one."""
        f = self.w.last_frame
        if self.autosave_path is None or f is None or self.saving or self.closed:
            return False
        sig = signature(f.state)
        if sig == self._autosaved or not self.is_modified():
            return False
        snap = self.snapshot_for_save()
        if snap is None:
            return False
        view, particles, pstep = snap
        view["autosave_of"] = self.path or ""
        view["autosave_label"] = self.label or ""
        path = self.autosave_path

        def write(session):
            if session is not None:
                save_session(path, session, view, particles=particles, particle_step=pstep)

        def done(future):
            if not future.cancelled() and future.exception() is None:
                self._autosaved = sig

        self.w.trainer.call(write, done)
        return True

    def orphaned_autosaves(self) -> list[Path]:
        """Autosaves of scoreviz windows that did not close cleanly (their process is gone)."""
        out = []
        folder = app_data.autosave_dir()
        for p in sorted(folder.glob("session-*" + SUFFIX), key=lambda q: q.stat().st_mtime, reverse=True):
            if self.autosave_path is not None and p == self.autosave_path:
                continue
            lock = QtCore.QLockFile(str(p.with_suffix(".lock")))
            if lock.tryLock(0):  # nobody holds it: its app is gone
                lock.unlock()
                out.append(p)
        return out

    def offer_recovery(self) -> None:
        """After a crash: offer to reopen the newest orphaned autosave (non-blocking question)."""
        if self.closed:
            return
        found = self.orphaned_autosaves()
        if not found:
            return
        path = found[0]
        when = time.strftime(tr("%H:%M on %d %b"), time.localtime(path.stat().st_mtime))  # a strftime format
        box = QtWidgets.QMessageBox(self.w)
        box.setIcon(QtWidgets.QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("Reopen the last session?"))
        box.setText(tr("scoreviz did not close properly last time. Reopen the session autosaved at {when}?").format(
            when=when))
        box.setInformativeText(tr("Discard deletes the autosave; Later keeps it for the next start."))
        SB = QtWidgets.QMessageBox.StandardButton
        reopen = box.addButton(tr("Reopen"), QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        box.addButton(SB.Discard)
        later = box.addButton(tr("Later"), QtWidgets.QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(reopen)
        box.setEscapeButton(later)  # Esc or closing the box (or quitting) decides nothing

        def answered(_):
            self.recovery_prompt = None
            box.deleteLater()
            if box.clickedButton() is reopen:
                self.recover(path)
            elif box.clickedButton() is not None and box.clickedButton() is not later:
                self._remove_autosave(path)

        box.finished.connect(answered)
        self.recovery_prompt = box
        box.open()

    def recover(self, path: Path) -> bool:
        """Open an orphaned autosave as an unsaved session, named after the file it autosaved (read in
        a job); the autosave is removed once the session is open. False: refused at once."""
        return self.start_open(str(path), as_untitled=True, label=recovered_label, saved=False, ask=False,
                               then=lambda: self._remove_autosave(path))

    @staticmethod
    def _remove_autosave(path: Path) -> None:
        for p in (path, path.with_suffix(".lock")):
            try:
                p.unlink()
            except OSError:
                pass
