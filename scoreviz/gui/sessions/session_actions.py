"""The window's session files: Save / Save As / Open of ``.scoreviz``, recent files, examples,
the unsaved-changes prompt and the autosave that lets a crashed app reopen where it was.

The training Session lives in the training thread, so saving runs there (``TrainingThread.call``)
between two steps: the file holds one consistent instant, and neither the serialisation nor the
write ever runs on the GUI thread. The particles the window shows live in the display copy of the
session; they are saved from the newest drawn frame. Opening reads the file and builds the Session
in a background job (``opening``: ``scoreviz.core.session_file.load_session``, no pickle), then
hands it to the trainer; the window then shows the file's settings, particles and view ranges.

Modified = the training state differs from what the file (or the fresh start) holds: another
step, setting, density or reset. The window title shows it (``*``). Closing, or opening another
session, asks first (Save / Discard / Cancel), without blocking the event loop; training pauses
while the question is open, so the step it names is the step that is saved. Opening reads and
checks the file before it asks: a damaged file is refused and changes nothing (not the session,
not its unsaved marker).

The autosave and the recovery of a crashed session are in ``autosave`` (a mixin of the controller).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from scoreviz.core.session_file import save_session
from scoreviz.gui import app_data
from scoreviz.gui.i18n import line_of, tr
from scoreviz.gui.sessions.autosave import SUFFIX, Autosave, signature
from scoreviz.gui.sessions.opening import Opening
from scoreviz.live.commands import Load, Pause, Play

TITLE = "scoreviz"  # the window title names the app once: "untitled[*] — scoreviz" (the name is never translated)
VIEW_RESTORE_MS = 50  # the saved view ranges are applied once the panels' layout settled


def _kb(path) -> str:
    try:
        return f"{os.path.getsize(path) / 1024:,.0f} KB"
    except OSError:
        return "?"


class SessionController(Autosave, Opening, QtCore.QObject):
    """Session files for a MainWindow.

    ``interactive=False`` is for windows a script drives (benchmarks, tests): they never ask
    before closing, never autosave and never offer to recover a crashed session.
    """

    saved = QtCore.Signal(str)  # path
    opened = QtCore.Signal(str)  # path

    def __init__(self, window, interactive: bool = True, autosave_s: float | None = None):
        super().__init__(window)
        self.w = window
        self.path: str | None = None  # the file this session is saved in (None: untitled)
        self.label: str | None = None  # shown in the title when untitled (an example's name)
        self.interactive = interactive
        self.prompt: QtWidgets.QMessageBox | None = None  # the open Save/Discard/Cancel question
        self.recovery_prompt: QtWidgets.QMessageBox | None = None
        self._clean = None  # signature of the saved (or fresh) state; None until the first frame
        self._pending_view = None  # (session_epoch, view) to apply when the opened session is drawn
        self._close_ok = False
        self.saving = False

        A = window.add_action
        # lambdas: a triggered action passes `checked` (a bool), which is no `then` callback
        self.act_save = A(tr("Save session"), lambda: self.save(), "Ctrl+S", tr("Save the whole session (model, "
                          "optimiser, particles, history, view) as a .scoreviz file"))
        self.act_save_as = A(tr("Save session as…"), lambda: self.save_as(), "Ctrl+Shift+S",
                             tr("Save the session under a new name"))
        self.recent_menu = QtWidgets.QMenu(tr("Open recent"), window)
        self.recent_menu.setToolTipsVisible(True)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.examples_menu = QtWidgets.QMenu(tr("&Examples"), window)
        self.examples_menu.setToolTipsVisible(True)
        self._fill_examples()
        self.init_autosave(autosave_s)
        self._update_title()

    # ================================================================== state
    def on_frame(self, frame) -> None:
        """Called for every frame the window draws."""
        st = frame.state
        if self._clean is None:
            self._clean = signature(st)
        if self._pending_view is not None and st.session_epoch == self._pending_view[0]:
            _, view, saved = self._pending_view
            self._pending_view = None
            self.apply_view(view)
            self._clean = signature(st) if saved else ("unsaved",)
        self._update_title()

    def is_modified(self) -> bool:
        f = self.w.last_frame
        return f is not None and self._clean is not None and signature(f.state) != self._clean

    def _update_title(self) -> None:
        name = Path(self.path).name if self.path else (self.label or tr("untitled"))
        if name.lower().endswith(SUFFIX):  # "run.scoreviz — scoreviz" would name the app twice
            name = name[: -len(SUFFIX)] or name
        title, modified = f"{name}[*] — {TITLE}", self.is_modified()
        if (title, modified) != (self.w.windowTitle(), self.w.isWindowModified()):  # every frame: only when it changed
            self.w.setWindowTitle(title)
            self.w.setWindowModified(modified)

    def view(self) -> dict:
        """The window state saved with a session (restored by ``apply_view``)."""
        w = self.w
        c = w.controls.display
        view = {"box": list(w.panels.visible_box()), **c.state(),
                "speed_index": int(w.speed.currentIndex()), "controls_visible": w.dock.isVisible()}
        if w.time_axis.visible:  # objective sde: the time on the bar
            view["time"] = float(w.time_axis.bar.t)
        return view

    def apply_view(self, view: dict) -> None:
        """Restore what ``view()`` saved; unknown or bad entries are ignored (a file may be hand-edited)."""
        w = self.w
        c = w.controls.display
        try:
            c.apply_state(view)
            if isinstance(view.get("speed_index"), int) and 0 <= view["speed_index"] < w.speed.count():
                w.speed.setCurrentIndex(view["speed_index"])
            if isinstance(view.get("controls_visible"), bool):
                w.dock.setVisible(view["controls_visible"])
            if isinstance(view.get("time"), (int, float)) and not isinstance(view["time"], bool):
                w.time_axis.restore(float(view["time"]))
            box = view.get("box")
            if (isinstance(box, list) and len(box) == 4 and all(isinstance(v, (int, float)) for v in box)
                    and box[0] < box[1] and box[2] < box[3] and all(abs(v) < 1e6 for v in box)):
                # after the panels settled (showing the error panel refits the views first); exact: no padding
                QtCore.QTimer.singleShot(VIEW_RESTORE_MS, w.panels, lambda: w.panels.set_view_box(
                    tuple(float(v) for v in box)))
        except (TypeError, ValueError):
            pass

    # ================================================================== save
    def snapshot_for_save(self):
        """(view, particles, particle_step) as the window shows them now (GUI thread)."""
        f = self.w.last_frame
        if f is None:
            return None
        ds = self.w.evaluator.evaluator.session
        pstep = int(getattr(ds, "particle_step", 0) or 0)
        return self.view(), f.particles.copy(), pstep

    def save(self, then=None) -> bool:
        """Save to the session's file (asks for a name the first time). ``then()`` runs after success."""
        if self.path is None:
            return self.save_as(then)
        return self.save_to(self.path, then=then)

    def save_as(self, then=None) -> bool:
        start = self.path or os.path.join(app_data.default_folder("sessions"), "session" + SUFFIX)
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self.w, tr("Save the session"), start,
                                                        tr("scoreviz session (*.scoreviz)"))
        if not path:
            return False
        if not path.lower().endswith(SUFFIX):
            path += SUFFIX
        return self.save_to(path, then=then)

    def save_to(self, path: str, then=None) -> bool:
        """Write the session to ``path`` from the training thread; reports in the status bar."""
        snap = self.snapshot_for_save()
        if snap is None:
            self.w.statusBar().showMessage(tr("nothing to save yet: the session is still starting"), 6000)
            return False
        view, particles, pstep = snap
        folder = os.path.dirname(os.path.abspath(path)) or "."
        if not os.path.isdir(folder):
            self._error(tr("cannot save '{path}': folder '{folder}' does not exist").format(path=path, folder=folder),
                        self._save_as_action())
            return False
        epochs = (self.w.last_frame.state.session_epoch, self.w.last_frame.state.history_epoch)

        def write(session):
            if session is None:
                raise RuntimeError(tr("there is no model to save"))
            save_session(path, session, view, particles=particles, particle_step=pstep)
            return (session.step_count, session.cfg, id(session.density))

        def done(future):
            self.saving = False
            if future.cancelled():
                return
            err = future.exception()
            if err is not None:
                reason = line_of(err)
                self._error(tr("could not save '{path}': {reason}").format(path=path, reason=reason),
                            self._save_as_action())
                return
            step, cfg, dens = future.result()
            self._clean = (*epochs, step, cfg, dens)
            self.path = os.path.abspath(path)
            self.label = None
            app_data.add_recent(self.path)
            app_data.remember_folder("sessions", self.path)
            self._update_title()
            self.w.statusBar().showMessage(tr("saved {path} ({size}, step {step:,})").format(
                path=self.path, size=_kb(self.path), step=step), 6000)
            self.saved.emit(self.path)
            if callable(then):
                then()

        self.saving = True
        self.w.trainer.call(write, done)
        return True

    def _error(self, text: str, action=None) -> None:
        """The status bar and the banner; ``action`` = (label, callable, tooltip): the banner's button
        (a file error offers another file, never Reset)."""
        self.w.statusBar().showMessage(text, 10000)
        self.w.banner.show_message(text, action=action)

    def _save_as_action(self):
        return (tr("Save as…"), lambda: self.save_as(), tr("Save the session under another name or in another folder"))

    def _open_another_action(self):
        opener = getattr(self.w, "open_file_dialog", None)
        return None if opener is None else (tr("Open another…"), opener, tr("Choose another file to open (Ctrl+O)"))

    # ================================================================== open (``Opening`` reads the file)
    def install_session(self, session, view: dict, label: str) -> None:
        """Hand a Session made elsewhere (a lesson's scene) to the trainer, untitled as ``label``, and apply
        ``view`` (as a saved session's) once its first frame is drawn. It counts as saved: leaving it asks nothing."""
        self._install(label, (session, view, ""), as_untitled=True, label=label, saved=True)
        self.w.statusBar().showMessage(tr("{label}: step {step:,}, {objective} on {density}").format(
            label=label, step=session.step_count, objective=session.cfg.objective.name,
            density=getattr(session.density, "name", tr("density"))), 8000)

    def _install(self, path: str, loaded, as_untitled: bool = False, label: str | None = None,
                 saved: bool = True) -> bool:
        """Hand the session read by ``opening.read_session`` to the trainer and show its settings."""
        session, view, note = loaded
        w = self.w
        w.banner.hide()
        w.plots.clear()
        w.trainer.post(Load(session))
        w.cfg = session.cfg
        w.controls.show_config(session.cfg, session.density)
        # the view is applied when the opened session's first frame is drawn (epoch = the next one)
        epoch = (w.last_frame.state.session_epoch if w.last_frame else 0) + 1
        self._pending_view = (epoch, view, saved)
        self._clean = ("opening",)
        if as_untitled:
            self.path, self.label = None, label
        else:
            self.path, self.label = os.path.abspath(path), None
            app_data.add_recent(self.path)
        self._update_title()
        w.statusBar().showMessage(tr("opened {file}: step {step:,}, {objective} on {density}{note}. Space continues "
                                     "training.").format(file=Path(path).name, step=session.step_count,
                                                         objective=session.cfg.objective.name,
                                                         density=getattr(session.density, "name", tr("density")),
                                                         note=note), 8000)
        self.opened.emit(path)
        return True

    # ================================================================== unsaved changes
    def confirm_discard(self, proceed) -> bool:
        """True when nothing would be lost (go on now). Otherwise asks Save / Discard / Cancel without
        blocking, calls ``proceed()`` once the answer allows it, and returns False.

        Training pauses while the question is open (the step it names is the one Save writes);
        Cancel, or a Save that does not start, lets it run on again."""
        if not self.interactive or not self.is_modified():
            return True
        if self.prompt is not None:  # asked already: that question decides
            return False
        was_running = bool(getattr(self.w, "running", False))
        if was_running:
            self.w.trainer.post(Pause())
        box = QtWidgets.QMessageBox(self.w)
        box.setIcon(QtWidgets.QMessageBox.Icon.Question)
        box.setWindowTitle(tr("Unsaved session"))
        name = Path(self.path).name if self.path else (self.label or tr("this session"))

        def name_step(step: int) -> None:
            box.setText(tr("Save the changes to {name} (step {step:,}) first?").format(name=name, step=step))

        name_step(self.w.last_frame.state.step)
        box.setInformativeText(tr("Unsaved training, settings and particles are lost otherwise."))
        SB = QtWidgets.QMessageBox.StandardButton
        box.setStandardButtons(SB.Save | SB.Discard | SB.Cancel)
        box.setDefaultButton(SB.Save)
        box.setWindowModality(QtCore.Qt.WindowModality.WindowModal)

        def paused_at(future) -> None:  # the trainer's own step once the pause is in force
            if self.prompt is box and not future.cancelled() and future.exception() is None \
                    and future.result() is not None:
                name_step(int(future.result()))

        self.w.trainer.call(lambda session: None if session is None else session.step_count, paused_at)

        def resume() -> None:
            if was_running and not self.closed:
                self.w.trainer.post(Play())

        def answered(code):
            self.prompt = None
            box.deleteLater()
            if code == SB.Save:
                if not self.save(then=proceed):
                    resume()
            elif code == SB.Discard:
                proceed()
            else:
                resume()

        box.finished.connect(lambda _: answered(box.standardButton(box.clickedButton()) if box.clickedButton()
                                                else SB.Cancel))
        self.prompt = box
        box.open()
        return False

    def confirm_close(self) -> bool:
        """closeEvent: True = close now; False = wait for the answer (the window closes itself after)."""
        if self._close_ok:
            return True

        def close_now():
            self._close_ok = True
            self.w.close()

        return self.confirm_discard(close_now)

    # ================================================================== menus
    def _fill_recent(self) -> None:
        m = self.recent_menu
        m.clear()
        items = app_data.recent_files()
        if not items:
            a = m.addAction(tr("(no recent files)"))
            a.setEnabled(False)
        for i, p in enumerate(items):
            a = m.addAction(f"&{(i + 1) % 10}  {Path(p).name}")
            a.setToolTip(p)
            exists = os.path.isfile(p)
            a.setEnabled(exists)
            if not exists:
                a.setToolTip(tr("{path} (missing)").format(path=p))
            a.triggered.connect(lambda _=False, p=p: self.w.open_path(p))
        m.addSeparator()
        clear = m.addAction(tr("Clear the list"))
        clear.setEnabled(bool(items))
        clear.triggered.connect(app_data.clear_recent)

    def _fill_examples(self) -> None:
        m = self.examples_menu
        items = app_data.examples()
        if not items:
            a = m.addAction(tr("(the examples are not installed)"))
            a.setEnabled(False)
            a.setToolTip(tr("expected in {folder}").format(folder=app_data.resources_dir() / "examples"))
        for e in items:
            a = m.addAction(e["title"])
            a.setToolTip(e["description"])
            a.setStatusTip(e["description"])
            a.triggered.connect(lambda _=False, e=e: self.open(e["path"], as_untitled=True, label=e["title"]))

    def open_recent_paths(self) -> list[str]:
        return app_data.recent_files()
