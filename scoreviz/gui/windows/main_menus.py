"""The main window's actions, toolbar, menus and status bar.

``MainMenus`` is a mixin of ``MainWindow``: ``_build_actions`` makes the run, file, view, drawing and
help actions with their shortcuts (and the Record controller, whose button and menu entries sit
among them), the Run toolbar with the speed limit, and the menu bar; ``_build_status_bar`` and
``_set_status`` keep the status bar's step, loss, speed, frame rate and device.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from scoreviz.gui.recording.recorder import RecordController
from scoreviz.gui.windows.dynamics_window import open_dynamics
from scoreviz.gui.windows.model_density_window import ModelDensityWindow
from scoreviz.live.commands import ResetParticles


class MainMenus:
    """The actions, toolbar, menus and status bar of the main window (a mixin)."""

    def _build_actions(self) -> None:
        A = self.add_action
        self.act_play = A("Play", self.toggle_play, "Space", "Train continuously / pause")
        self._icons = {on: self.style().standardIcon(
            QtWidgets.QStyle.StandardPixmap.SP_MediaPause if on else QtWidgets.QStyle.StandardPixmap.SP_MediaPlay)
            for on in (True, False)}
        self.act_play.setIcon(self._icons[False])
        self.act_step = A("Step", self.step_once, "S", "One training step")
        self.act_step.setIcon(self.style().standardIcon(QtWidgets.QStyle.StandardPixmap.SP_MediaSkipForward))
        self.act_reset = A("Reset", self.reset_model, "Ctrl+R", "Start over: a fresh model from the seed, step 0")
        self.act_reset.setIcon(self.style().standardIcon(QtWidgets.QStyle.StandardPixmap.SP_BrowserReload))
        self.act_reset_particles = A("Reset particles", lambda: self.trainer.post(ResetParticles()), "P",
                                     "Scatter the particles over the box again")
        self.act_open = A("Open…", self.open_file_dialog, "Ctrl+O",
                          "Open a .scoreviz session, a .lesson.json lesson, or a PNG/JPEG image or .json density file "
                          "as the target")
        self.act_save_density = A("Save density…", self.save_density_dialog, "Ctrl+Alt+S",
                                  "Save the current target density as a .json file")
        self.act_quit = A("Quit", self.close, "Ctrl+Q", "Close scoreviz")
        self.act_error = A("Error panel", self.controls.display.error.setChecked, "E",
                           "Show where the model is wrong: ‖s_θ − ∇log q‖", checkable=True)
        self.act_unit = A("Unit arrows", self.controls.display.unit.setChecked, "U",
                          "Arrows of equal length: direction only", checkable=True)
        self.act_view = A("Reset view", self.panels.reset_view, "Home", "Zoom to the density's box")
        self.act_faster = A("Faster", lambda: self._nudge_speed(-1), "+", "Raise the training-speed limit")
        self.act_slower = A("Slower", lambda: self._nudge_speed(+1), "-", "Lower the training-speed limit")
        self.act_undo = A("Undo stroke", self._undo_stroke, "Ctrl+Z", "Take back the last brush stroke")
        self.act_bigger = A("Bigger brush", lambda: self._nudge_brush(1.25), "]", "Brush radius × 1.25")
        self.act_smaller = A("Smaller brush", lambda: self._nudge_brush(0.8), "[", "Brush radius × 0.8")
        self.act_compare = A("Compare objectives…", self.open_compare, "Ctrl+K",
                             "Train 2 to 4 objectives side by side on this density")
        self.act_dynamics = A("Every dynamic…", lambda: open_dynamics(self), "Ctrl+Shift+D",
                              "Run this model (or the true score) through 2 to 5 samplers side by side, "
                              "same prior, same noise")
        self.act_keys = A("Keyboard shortcuts", self.show_shortcuts, "F1", "List the keyboard shortcuts")
        self.act_about = A("About scoreviz", self.show_about, None, "What this is")
        self.act_model_density = A("Model density…", lambda: ModelDensityWindow.open_from(self), "Ctrl+Shift+L",
                                   "The model's own density log p_θ (PF-ODE likelihood) beside the exact log p, and "
                                   "its NLL against the true entropy; needs a time-conditional model (objective sde)")
        self.recorder = RecordController(self, lambda: self.splitter)  # Record (Ctrl+Shift+R), Export animation…
        self.controls.display.error.toggled.connect(self.act_error.setChecked)
        self.controls.display.unit.toggled.connect(self.act_unit.setChecked)

        tb = self.build_run_toolbar("runToolbar", "Training-speed limit in steps per second: slow it down to "
                                    "watch single steps (+ / −)")
        tb.addAction(self.act_reset_particles)
        self.recorder.add_to_toolbar(tb)
        tb.addAction(self.act_view)
        tb.addAction(self.act_error)
        tb.addAction(self.act_unit)
        self.toolbar = tb

        mb = self.menuBar()
        m = mb.addMenu("&File")
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
        m = mb.addMenu("&Run")
        for a in (self.act_play, self.act_step, self.act_reset, self.act_reset_particles, self.act_faster, self.act_slower):
            m.addAction(a)
        m.addSeparator()
        m.addAction(self.act_compare)
        m.addAction(self.act_dynamics)
        m = mb.addMenu("&View")
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
        m = mb.addMenu("&Draw")
        for a in (self.act_undo, self.act_bigger, self.act_smaller):
            m.addAction(a)
        mb.addMenu(self.sessions.examples_menu)
        m = mb.addMenu("&Help")
        m.addAction(self.act_keys)
        m.addAction(self.act_about)

    def _build_lessons_menu(self) -> None:
        """File ▸ Lessons: the shipped lessons (resources/lessons/) and Close lesson; File ▸ Open… opens others."""
        from scoreviz.core.lesson import shipped_lessons

        m = QtWidgets.QMenu("&Lessons", self)
        m.setToolTipsVisible(True)
        for path in shipped_lessons():
            a = m.addAction(path.name[: -len(".lesson.json")].replace("-", " ").capitalize())
            a.setToolTip(f"Step through {path.name}: PgDown / PgUp, or → / ← in talk mode (F11)")
            a.triggered.connect(lambda _=False, p=str(path): self.lesson.open(p))
        if not m.actions():
            a = m.addAction("(no lessons are installed)")
            a.setEnabled(False)
        m.addSeparator()
        for a in (self.lesson.act_next, self.lesson.act_previous, self.lesson.act_close):
            m.addAction(a)
        self.file_menu.insertMenu(self.sessions.recent_menu.menuAction(), m)
        self.lessons_menu = m

    def _build_status_bar(self) -> None:
        self._add_status_labels((("step", "Training steps since the last reset"), ("loss", "Loss of the latest step"),
                                 ("speed", "Training steps per second"), ("fps", "Frames drawn per second"),
                                 ("device", "Where training runs")))
        self._set_status(step=0, loss=None, speed=0.0, fps=0.0, device="starting…")

    def _set_status(self, step, loss, speed, fps, device) -> None:
        L = self.status_labels
        L["step"].setText(f"step {step:,}")
        L["loss"].setText("loss —" if loss is None else f"loss {loss:.4g}")
        L["speed"].setText(f"{speed:,.0f} steps/s")
        L["fps"].setText(f"{fps:.0f} fps")
        L["device"].setText(device)
