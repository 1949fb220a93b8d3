"""The main window's actions, toolbar, menus and status bar.

``MainMenus`` is a mixin of ``MainWindow``: ``_build_actions`` makes the run, file, view, drawing and
help actions with their shortcuts (and the Record controller, whose button and menu entries sit
among them), the Run toolbar with the speed limit, and the menu bar; ``_build_status_bar`` and
``_set_status`` keep the status bar's step, loss, speed, frame rate and device.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.gui import i18n
from scoreviz.gui.i18n import N_, tr
from scoreviz.gui.recording.recorder import RecordController
from scoreviz.gui.windows.dynamics_window import open_dynamics
from scoreviz.gui.windows.model_density_window import ModelDensityWindow
from scoreviz.live.commands import ResetParticles

# View ▸ Language: (choice, what the menu says); a language is named in itself, "한국어" never translated
LANGUAGE_CHOICES = (("system", N_("System language")), ("en", N_("English")), ("ko", "한국어"))


class MainMenus:
    """The actions, toolbar, menus and status bar of the main window (a mixin)."""

    def _build_actions(self) -> None:
        A = self.add_action
        self.act_play = A(tr("Play"), self.toggle_play, "Space", tr("Train continuously / pause"))
        self._icons = {on: self.style().standardIcon(
            QtWidgets.QStyle.StandardPixmap.SP_MediaPause if on else QtWidgets.QStyle.StandardPixmap.SP_MediaPlay)
            for on in (True, False)}
        self.act_play.setIcon(self._icons[False])
        self.act_step = A(tr("Step"), self.step_once, "S", tr("One training step"))
        self.act_step.setIcon(self.style().standardIcon(QtWidgets.QStyle.StandardPixmap.SP_MediaSkipForward))
        self.act_reset = A(tr("Reset"), self.reset_model, "Ctrl+R", tr("Start over: a fresh model from the seed, step 0"))
        self.act_reset.setIcon(self.style().standardIcon(QtWidgets.QStyle.StandardPixmap.SP_BrowserReload))
        self.act_reset_particles = A(tr("Reset particles"), lambda: self.trainer.post(ResetParticles()), "P",
                                     tr("Scatter the particles over the box again"))
        self.act_open = A(tr("Open…"), self.open_file_dialog, "Ctrl+O",
                          tr("Open a .scoreviz session, a .lesson.json lesson, or a PNG/JPEG image or .json density "
                             "file as the target"))
        self.act_save_density = A(tr("Save density…"), self.save_density_dialog, "Ctrl+Alt+S",
                                  tr("Save the current target density as a .json file"))
        self.act_quit = A(tr("Quit"), self.close, "Ctrl+Q", tr("Close scoreviz"))
        self.act_error = A(tr("Error panel"), self.controls.display.error.setChecked, "E",
                           tr("Show where the model is wrong: ‖s_θ − ∇log q‖"), checkable=True)
        self.act_unit = A(tr("Unit arrows"), self.controls.display.unit.setChecked, "U",
                          tr("Arrows of equal length: direction only"), checkable=True)
        self.act_view = A(tr("Reset view"), self.panels.reset_view, "Home", tr("Zoom to the density's box"))
        self.act_faster = A(tr("Faster"), lambda: self._nudge_speed(-1), "+", tr("Raise the training-speed limit"))
        self.act_slower = A(tr("Slower"), lambda: self._nudge_speed(+1), "-", tr("Lower the training-speed limit"))
        self.act_undo = A(tr("Undo stroke"), self._undo_stroke, "Ctrl+Z", tr("Take back the last brush stroke"))
        self.act_bigger = A(tr("Bigger brush"), lambda: self._nudge_brush(1.25), "]", tr("Brush radius × 1.25"))
        self.act_smaller = A(tr("Smaller brush"), lambda: self._nudge_brush(0.8), "[", tr("Brush radius × 0.8"))
        self.act_compare = A(tr("Compare objectives…"), self.open_compare, "Ctrl+K",
                             tr("Train 2 to 4 objectives side by side on this density"))
        self.act_dynamics = A(tr("Every dynamic…"), lambda: open_dynamics(self), "Ctrl+Shift+D",
                              tr("Run this model (or the true score) through 2 to 5 samplers side by side, "
                                 "same prior, same noise"))
        self.act_keys = A(tr("Keyboard shortcuts"), self.show_shortcuts, "F1", tr("List the keyboard shortcuts"))
        self.act_about = A(tr("About scoreviz"), self.show_about, None, tr("What this is"))
        self.act_model_density = A(tr("Model density…"), lambda: ModelDensityWindow.open_from(self), "Ctrl+Shift+L",
                                   tr("The model's own density log p_θ (PF-ODE likelihood) beside the exact log p, and "
                                      "its NLL against the true entropy; needs a time-conditional model (objective sde)"))
        self.recorder = RecordController(self, lambda: self.splitter)  # Record (Ctrl+Shift+R), Export animation…
        self.controls.display.error.toggled.connect(self.act_error.setChecked)
        self.controls.display.unit.toggled.connect(self.act_unit.setChecked)

        tb = self.build_run_toolbar("runToolbar", tr("Training-speed limit in steps per second: slow it down to "
                                                     "watch single steps (+ / −)"))
        tb.addAction(self.act_reset_particles)
        self.recorder.add_to_toolbar(tb)
        tb.addAction(self.act_view)
        tb.addAction(self.act_error)
        tb.addAction(self.act_unit)
        self.toolbar = tb

        mb = self.menuBar()
        m = mb.addMenu(tr("&File"))
        self.file_menu = m
        m.addAction(self.act_open)
        m.addMenu(self.sessions.recent_menu)
        m.addSeparator()
        for a in (self.sessions.act_save, self.sessions.act_save_as, self.act_save_density):
            m.addAction(a)
        m.addSeparator()
        self.recorder.add_to_menu(m)
        m.addSeparator()
        m.addAction(self.act_quit)
        m = mb.addMenu(tr("&Run"))
        for a in (self.act_play, self.act_step, self.act_reset, self.act_reset_particles, self.act_faster, self.act_slower):
            m.addAction(a)
        m.addSeparator()
        m.addAction(self.act_compare)
        m.addAction(self.act_dynamics)
        m = mb.addMenu(tr("&View"))
        self.view_menu = m
        for a in (self.act_error, self.act_unit, self.act_view):
            m.addAction(a)
        m.addAction(self.dock.toggleViewAction())
        m.addAction(self.scorecard_dock.toggleViewAction())  # Ctrl+Shift+G
        m.addAction(self.identities_dock.toggleViewAction())  # Ctrl+Shift+I
        m.addSeparator()
        for a in self.time_axis.actions():  # objective sde: the time the fields show (, . Shift+T)
            m.addAction(a)
        m.addSeparator()
        m.addAction(self.act_model_density)
        m = mb.addMenu(tr("&Draw"))
        for a in (self.act_undo, self.act_bigger, self.act_smaller):
            m.addAction(a)
        mb.addMenu(self.sessions.examples_menu)
        m = mb.addMenu(tr("&Help"))
        m.addAction(self.act_keys)
        m.addAction(self.act_about)

    def _build_language_menu(self) -> None:
        """View ▸ Language, last in View: System language, English, 한국어; the choice is
        stored (``i18n.choose``) and applies when scoreviz starts again (the windows build their texts once)."""
        m = QtWidgets.QMenu(tr("&Language"), self)
        group = QtGui.QActionGroup(m)
        group.setExclusive(True)
        now = i18n.chosen()
        self.language_actions = {}
        for choice, label in LANGUAGE_CHOICES:
            a = QtGui.QAction(tr(label) if choice == "system" else label, m)  # a language is named in itself
            a.setCheckable(True)
            a.setChecked(choice == now)
            a.setData(choice)
            group.addAction(a)
            m.addAction(a)
            a.triggered.connect(lambda _=False, c=choice: self.choose_language(c))
            self.language_actions[choice] = a
        self.view_menu.addSeparator()
        self.view_menu.addMenu(m)
        self.language_menu = m

    def choose_language(self, choice: str) -> None:
        """Store the interface's language (applies at the next start) and say so in the status bar."""
        i18n.choose(choice)
        for c, a in self.language_actions.items():
            a.setChecked(c == choice)
        if i18n.resolve(choice) == i18n.active_language():
            text = tr("The interface is already in this language")
        else:
            text = tr("The language changes when scoreviz starts again")
        self.statusBar().showMessage(text, 8000)

    def _build_lessons_menu(self) -> None:
        """File ▸ Lessons: the shipped lessons (resources/lessons/) and Close lesson; File ▸ Open… opens others."""
        from scoreviz.core.lesson import shipped_lessons

        m = QtWidgets.QMenu(tr("&Lessons"), self)
        m.setToolTipsVisible(True)
        for path in shipped_lessons():
            a = m.addAction(path.name[: -len(".lesson.json")].replace("-", " ").capitalize())
            a.setToolTip(tr("Step through {file}: PgDown / PgUp, or → / ← in talk mode (F11)").format(file=path.name))
            a.triggered.connect(lambda _=False, p=str(path): self.lesson.open(p))
        if not m.actions():
            a = m.addAction(tr("(no lessons are installed)"))
            a.setEnabled(False)
        m.addSeparator()
        for a in (self.lesson.act_next, self.lesson.act_previous, self.lesson.act_close):
            m.addAction(a)
        self.file_menu.insertMenu(self.sessions.recent_menu.menuAction(), m)
        self.lessons_menu = m

    def _build_status_bar(self) -> None:
        self._add_status_labels((("step", tr("Training steps since the last reset")), ("loss", tr("Loss of the latest step")),
                                 ("speed", tr("Training steps per second")), ("fps", tr("Frames drawn per second")),
                                 ("device", tr("Where training runs"))))
        self._set_status(step=0, loss=None, speed=0.0, fps=0.0, device=tr("starting…"))

    def _set_status(self, step, loss, speed, fps, device) -> None:
        L = self.status_labels
        L["step"].setText(tr("step {n:,}").format(n=step))
        L["loss"].setText(tr("loss —") if loss is None else tr("loss {v:.4g}").format(v=loss))
        L["speed"].setText(tr("{v:,.0f} steps/s").format(v=speed))
        L["fps"].setText(tr("{v:.0f} fps").format(v=fps))
        L["device"].setText(device)
