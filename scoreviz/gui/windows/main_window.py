"""The main window: panels, training curves, the control dock, run controls and the status bar.

Owns the two worker threads (training and display evaluation). The GUI thread only draws the
newest Frame on a display-rate timer and forwards the user's changes as commands.

The actions, toolbar, menus and status bar are built in ``main_menus``; files are opened, dropped
and saved in ``main_files``.
"""

from __future__ import annotations

import collections
import time

from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz import __version__
from scoreviz.gui import app_data, style
from scoreviz.gui.controls.panel import ControlPanel
from scoreviz.gui.export.exports import ExportController
from scoreviz.gui.i18n import N_, text_of, tr
from scoreviz.gui.sessions.session_actions import TITLE, SessionController
from scoreviz.gui.views.panels import ScorePanels
from scoreviz.gui.windows.banner import ErrorBanner
from scoreviz.gui.views.plots import TrainingPlots
from scoreviz.gui.views.probe import ProbeController
from scoreviz.gui.views.identities_view import IdentitiesView, add_identities_dock
from scoreviz.gui.windows.lesson_player import LessonPlayer
from scoreviz.gui.views.scorecard_view import ScorecardView, add_scorecard_dock
from scoreviz.gui.windows.compare_window import CompareWindow
from scoreviz.gui.windows.main_files import MainFiles
from scoreviz.gui.windows.main_menus import MainMenus
from scoreviz.gui.windows.talk_mode import TalkMode
from scoreviz.gui.windows.time_axis import TimeAxis
from scoreviz.gui.windows.window_base import LiveWindow
from scoreviz.gui.threads import EvaluatorThread, TrainingThread
from scoreviz.live.commands import (Command, Reset, ResetParticles, SetDensity, SetDevice, SetModel, SetObjective,
                                    SetOptimizer, SetSampler, SetSeed, WarmUp)

SLOW_UPDATE_MS = 250  # status bar
VIEW_SETTLE_MS = 80  # fields are re-evaluated for a new view this long after zooming/panning stops
PLOT_UPDATE_EVERY = 4  # curves every 4th status update (1 Hz) while training


class MainWindow(MainMenus, MainFiles, LiveWindow, QtWidgets.QMainWindow):
    """scoreviz's window. ``start()`` launches the workers; closing stops and joins them."""

    # F1: one line per panel and metric (q is the model's target: p, or p_σ = p ∗ N(0, σ²I) for dsm);
    # marked N_: shown through tr() (window_base.shortcuts_html)
    HELP_PANELS = (
        (N_("Learned score"), N_("the network's field s<sub>θ</sub>(x): arrows point uphill in density, length and "
                                 "colour show |s<sub>θ</sub>| (scale in the colour bar)")),
        (N_("True score"), N_("the exact field ∇log q of the target the objective trains towards, on the same scale")),
        (N_("Error"), N_("where the model is wrong: log₁₀ ‖s<sub>θ</sub> − ∇log q‖ (E shows it)")),
        (N_("Particles"), N_("Langevin samples drawn with the chosen score, over the density log p as a heat map")),
        (N_("Loss"), N_("the objective's training loss per step (its level differs between objectives)")),
        (N_("Relative Fisher"), N_("F / E‖∇log q‖² with F = E<sub>q</sub>‖s<sub>θ</sub> − ∇log q‖²: 0 is a perfect "
                                   "score, 1 is as wrong as a zero field; it compares objectives")),
    )
    HELP_METRICS = (
        (N_("step"), N_("training steps since the last reset")),
        (N_("loss"), N_("the latest step's loss")),
        (N_("steps/s"), N_("training speed (the Speed box limits it)")),
        (N_("fps"), N_("frames drawn per second")),
    )

    def __init__(self, cfg, density=None, threads: int | None = 1, autoplay: bool = False, interactive: bool = True,
                 parent=None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)  # the app's name (never translated); the session controller adds the session's
        self.setAcceptDrops(True)
        self._fit_to_screen(1680, 960)
        self.cfg = cfg
        self._autoplay = autoplay
        self.running = False
        self._closed = False
        self.frames_drawn = 0
        self.last_frame = None
        self._paint_times: collections.deque = collections.deque(maxlen=240)
        self._first_field_time: float | None = None
        self._pending_box = None
        self._requested_density = None  # (density, when) sent to the trainer and not yet drawn
        self._view_timer = QtCore.QTimer(self)
        self._view_timer.setSingleShot(True)
        self._view_timer.setInterval(VIEW_SETTLE_MS)
        self._view_timer.timeout.connect(self._apply_view)

        # ---- workers
        self.trainer = TrainingThread(cfg, density=density, threads=threads, parent=self)
        self.evaluator = EvaluatorThread(self.trainer.states, threads=1, density_lut=style.density_lut(), parent=self)
        self.trainer.message.connect(self._worker_message)
        self.trainer.failed.connect(self._worker_failed)
        self.trainer.runningChanged.connect(self._running_changed)
        self.evaluator.failed.connect(self._worker_failed)
        self.evaluator.frameReady.connect(self._draw_newest)  # drawn as it arrives: the evaluator paces frames

        # ---- central area
        self.panels = ScorePanels()
        self.plots = TrainingPlots()
        self.banner = ErrorBanner()
        self.banner.resetRequested.connect(self.reset_model)
        self.time_axis = TimeAxis(self, self.panels)  # under the panels while the objective is sde
        self._build_central(self.time_axis.widget, self.plots, (640, 220))
        self._sized = False
        self.panels.sigPainted.connect(self._painted)
        self.panels.sigViewBoxChanged.connect(self._view_changed)
        self.panels.sigRasterTargetChanged.connect(lambda t: self.evaluator.set_view(raster=t))

        # ---- controls
        self.controls = ControlPanel(cfg)
        dock = QtWidgets.QDockWidget(tr("Controls"), self)
        dock.setObjectName("controlsDock")
        dock.setWidget(self.controls)
        dock.setFeatures(QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.dock = dock
        self._wire_controls()
        self.scorecard = ScorecardView()  # right: the particles against the exact p (View ▸ Scorecard)
        self.scorecard_dock = add_scorecard_dock(self, self.scorecard)
        # KL and sliced W against the sampler's steps, under the particles, while the scorecard is measured
        self.scorecard.cardShown.connect(self.plots.show_scorecard)
        self.scorecard_dock.visibilityChanged.connect(self.plots.set_samples_visible)
        self.identities = IdentitiesView()  # right: every objective measured on the network (View ▸ Identities)
        self.identities_dock = add_identities_dock(self, self.identities)
        # both open on demand, hidden before the first show: a dock shown then widens the window past the screen
        self.scorecard_dock.hide()
        self.identities_dock.hide()

        # ---- drawing
        self._build_brush()
        self.brush_cursor = QtWidgets.QGraphicsEllipseItem()
        pen = QtGui.QPen(QtGui.QColor(style.ACCENT))
        pen.setCosmetic(True)
        pen.setStyle(QtCore.Qt.PenStyle.DashLine)
        self.brush_cursor.setPen(pen)
        self.brush_cursor.setZValue(100)
        self.brush_cursor.hide()
        self.panels.particles_plot.addItem(self.brush_cursor, ignoreBounds=True)
        self.panels.brush_view.sigBrush.connect(self._brush)
        self.panels.brush_view.sigHover.connect(self._brush_hover)

        # ---- run controls, menus, status bar
        self.sessions = SessionController(self, interactive=interactive)
        self._build_actions()
        self.exports = ExportController(self)  # File ▸ Export: fields, figures (Ctrl+E), the model
        self.file_menu.insertMenu(self.act_quit, self.exports.menu)
        self.file_menu.insertSeparator(self.act_quit)
        self.talk_mode = TalkMode(self)  # F11 (View ▸ Talk mode): full screen for a talk; Esc leaves
        self._build_status_bar()
        self.probe = ProbeController(self)  # hover/pin probe, Probe and Curl docks (views/probe.py)
        self.lesson = LessonPlayer(self)  # File ▸ Lessons / Open…: scenes stepped with PgDown/PgUp (→ ← in talk mode)
        self._build_lessons_menu()
        self._build_language_menu()  # View ▸ Language, the last of View (after Talk mode and the probe's panels)

        # ---- timers
        self._slow_ticks = 0
        self._slow_timer = QtCore.QTimer(self)
        self._slow_timer.setInterval(SLOW_UPDATE_MS)
        self._slow_timer.timeout.connect(self._slow_update)
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

        self.controls.density.set_current(getattr(density, "name", None) or cfg.density)
        if isinstance(cfg.density, str) and cfg.density in self.controls.density.presets:
            self.controls.density.set_preset(cfg.density, cfg.density_params)

    # ================================================================== lifecycle
    def start(self) -> None:
        """Launch the workers and the display timers."""
        self.trainer.start()
        self.evaluator.start()
        self._slow_timer.start()
        self.sessions.start()
        if not self._autoplay:
            self.statusBar().showMessage(tr("Press Space (or Play) to train; paint, load or type a density in the dock."), 8000)

    def shutdown(self) -> None:
        """Stop the timers and the workers and wait for them (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self.sessions.stop()
        self.recorder.shutdown()
        self._slow_timer.stop()
        self._brush_timer.stop()
        self.time_axis.stop()
        self._view_timer.stop()
        self._stop_and_join(self.trainer, self.evaluator)

    def showEvent(self, ev: QtGui.QShowEvent) -> None:
        super().showEvent(ev)
        if not self._sized:  # first show: make the panels about square, the curves take the rest
            self._sized = True
            # the scorecard opens on demand (View ▸ Scorecard, Ctrl+Shift+G): the panels keep the width, and
            # its measuring (~1-2 ms of the display thread a frame) runs only while it is shown
            self.scorecard_dock.hide()
            self.evaluator.set_view(scorecard=False)  # a dock never shown sends no visibilityChanged
            self.identities_dock.hide()  # the same for the identities (10-40 ms of the display thread a second)
            self.evaluator.set_view(identities=False)
            dock_w = int(min(max(0.25 * self.width(), 300), 420))
            self.resizeDocks([self.dock], [dock_w], QtCore.Qt.Orientation.Horizontal)
            QtWidgets.QApplication.sendPostedEvents()
            total = sum(self.splitter.sizes()) or self.splitter.height()
            # the panels as tall as their squares need (no empty bands), the curves take the rest
            top = min(max(self.panels.height_for_width(self.panels.width()), int(0.45 * total)), total - 180)
            self.splitter.setSizes([top, total - top])

    def closeEvent(self, ev: QtGui.QCloseEvent) -> None:
        if not self._closed and not self.sessions.confirm_close():
            ev.ignore()  # the unsaved-session question is open; the window closes itself after it
            return
        self.shutdown()
        super().closeEvent(ev)

    def workers(self) -> tuple[TrainingThread, EvaluatorThread]:
        return self.trainer, self.evaluator

    def _post(self, cmd: Command) -> None:
        self.trainer.post(cmd)

    def _density_controls(self):
        return self.controls.density


    # ================================================================== wiring
    def _wire_controls(self) -> None:
        c = self.controls
        c.density.densityRequested.connect(self._density_requested)
        c.density.drawingActive.connect(self._drawing_active)
        c.density.clearDrawing.connect(self._clear_drawing)
        c.density.undoDrawing.connect(self._undo_stroke)
        c.density.openImageRequested.connect(self.open_image_dialog)  # images only
        # an image or density file is read in a job: its refusal, or its success, arrives later
        c.density.imageRefused.connect(lambda reason: self.statusBar().showMessage(reason, 8000))
        c.density.imageOpened.connect(app_data.add_recent)
        c.objective.objectiveChanged.connect(lambda o: self.trainer.post(SetObjective(o)))
        c.model.modelChanged.connect(lambda m: self.trainer.post(SetModel(m)))
        c.model.optimizerChanged.connect(lambda lr, b: self.trainer.post(SetOptimizer(lr, b)))
        c.sampler.samplerChanged.connect(lambda s: self.trainer.post(SetSampler(s)))
        c.sampler.resetParticles.connect(lambda: self.trainer.post(ResetParticles()))
        c.system.deviceChanged.connect(lambda d: self.trainer.post(SetDevice(d)))
        c.system.seedChanged.connect(lambda s: self.trainer.post(SetSeed(s)))
        c.display.gridChanged.connect(lambda n: self.evaluator.set_view(grid=int(n)))
        c.display.scaleModeChanged.connect(self.panels.set_scale_mode)
        c.display.errorPanelChanged.connect(self._error_panel)
        c.display.antialiasChanged.connect(self.panels.set_antialias)
        c.display.trailsChanged.connect(lambda on: self.evaluator.set_view(trails=bool(on)))
        self.panels.sigArrowGridChanged.connect(c.display.set_auto_value)
        c.display.set_auto_value(self.panels.auto_arrow_grid())
        self.evaluator.set_view(grid=int(c.display.grid_value()))

    def _density_requested(self, density, how: str) -> None:
        self.trainer.post(SetDensity(density))
        self.controls.density.set_current(getattr(density, "name", how))
        self._requested_density = (density, time.perf_counter())  # the label shows it until training has it

    def _error_panel(self, on: bool) -> None:
        self.panels.set_error_visible(on)
        self.evaluator.set_view(error=bool(on))

    def _view_changed(self, box) -> None:
        # fields follow zoom and pan once the view settles (scores of image densities are slow)
        self._pending_box = box
        self._view_timer.start()

    def _apply_view(self) -> None:
        self.evaluator.set_view(box=self._pending_box)

    # ================================================================== run controls
    def reset_model(self) -> None:
        self.banner.hide()
        self.trainer.post(Reset())
        self.plots.clear()

    # ================================================================== worker reports
    def _worker_failed(self, text: str) -> None:
        """A worker's fault (a faults.Fault) or refusal: the banner; after a GPU failure it offers the CPU."""
        def continue_on_cpu() -> None:  # the dock shows the CPU; the device change builds a fresh model there
            device = self.controls.system.device
            if device.currentText() == "cpu":
                self.trainer.post(SetDevice("cpu"))
            else:
                device.setCurrentText("cpu")  # posts the device change
            self.play()

        shown = text_of(text)  # in the interface's language
        self.banner.show_message(shown, continue_on_cpu if getattr(text, "cpu_fallback", False) else None)
        self.statusBar().showMessage(shown, 10000)
        in_force = getattr(text, "cfg", None)  # a refused setting (e.g. over the work budget): the dock shows
        if in_force is not None:  # the settings that stay in force, not the refused value
            self.controls.show_config(in_force)

    # ================================================================== drawing frames
    def _draw_newest(self) -> None:
        frame = self.evaluator.take()
        if frame is None or self._closed:
            return
        first = self.last_frame is None
        self.last_frame = frame
        self.time_axis.follow(frame.state.cfg)
        self.panels.show_frame(frame)
        self.scorecard.show_frame(frame)
        self.identities.show_frame(frame)
        self.sessions.on_frame(frame)
        self.frames_drawn += 1
        if first:  # the window shows the model: now warm up training (and start it when asked to)
            self._slow_update()
            self.trainer.post(WarmUp())
            if self._autoplay:
                self.play()
        if self._first_field_time is None and frame.snapshot.learned is not None:
            self._first_field_time = -1.0  # set when painted

    def _painted(self, t: float) -> None:
        self._paint_times.append(t)
        if self._first_field_time == -1.0:
            self._first_field_time = t

    def first_field_time(self) -> float | None:
        """perf_counter() time of the first paint that showed a learned field."""
        t = self._first_field_time
        return t if t is not None and t > 0 else None

    def _slow_update(self) -> None:
        f = self.last_frame
        if f is None:
            return
        st = f.state
        loss = float(st.losses[-1]) if st.losses.shape[0] else None
        self._set_status(st.step, loss, st.steps_per_s, self.fps(), f.snapshot.device)
        self._slow_ticks += 1
        if self._slow_ticks % PLOT_UPDATE_EVERY == 0 or not self.running:
            self.plots.show_history(st.losses, st.fisher, st.history_epoch)
        pending = self._requested_density
        if pending is not None and st.density is not pending[0] and time.perf_counter() - pending[1] < 10.0:
            return  # a new density is on its way to the trainer: keep showing its name
        self._requested_density = None
        self.controls.density.follow_density(st.density)  # the dock shows the target in force, its tab too
        if self.controls.density.tabs.currentIndex() != self.controls.density.TAB_DRAW:
            self.controls.density.set_current(getattr(st.density, "name", tr("density")))

    # ================================================================== brush
    def _drawing_active(self, on: bool) -> None:
        self.panels.brush_view.brush_enabled = on
        if not on:
            self.brush_cursor.hide()
            return
        if self.canvas.is_empty() and self.last_frame is not None:
            self.canvas.box = tuple(self.last_frame.state.density.box)
        self.statusBar().showMessage(tr("Drawing: left-drag on the particles panel paints, right-drag erases; "
                                        "the painting becomes the target as you draw."), 8000)

    def _brush_hover(self, pos) -> None:
        if pos is None or not self.panels.brush_view.brush_enabled:
            self.brush_cursor.hide()
            return
        r = self.controls.density.brush()[0]
        self.brush_cursor.setRect(QtCore.QRectF(pos[0] - r, pos[1] - r, 2 * r, 2 * r))
        self.brush_cursor.show()


    # ================================================================== help
    def open_compare(self) -> None:
        """The Compare window on the current density and settings (the single view pauses)."""
        f = self.last_frame
        CompareWindow.open_from(f.state.cfg if f else self.cfg, f.state.density if f else None, parent=self)

    def show_about(self) -> None:
        QtWidgets.QMessageBox.about(
            self, tr("About scoreviz"),
            tr("<b>scoreviz {version}</b><p>See score-based generative models think: a score network "
               "trains live on a 2-D density; the learned field, the true score and Langevin particles side by "
               "side.</p>").format(version=__version__))
