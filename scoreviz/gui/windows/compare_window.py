"""Compare mode: 2 to 4 objective configurations trained side by side on one density, seed and model.

``CompareWindow(cfg, density=None, objectives=None, ...)`` is a top-level window of its own. Its
worker thread (``CompareThread``) owns the ``Comparison``: every configuration sees the same data
batches and makes the same number of steps. The GUI thread only draws the newest ``CompareFrame``
(panels, curves, table) and forwards the user's changes as commands.

Opening it from the single view::

    CompareWindow.open_from(session_cfg, density, parent=main_window)

shows it, starts its worker and returns it (an open one is raised instead of making a second).

The dock's sections are built in ``compare_sections``, the files read and written in ``compare_files``;
the configuration picker is in ``config_picker``, the table in ``views.compare_table``.
"""

from __future__ import annotations

import collections
from dataclasses import replace

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.gui.i18n import N_, text_of, tr
from scoreviz.gui.recording.recorder import RecordController
from scoreviz.gui.views.compare_curves import CompareCurves
from scoreviz.gui.views.compare_panels import ComparePanels
from scoreviz.gui.views.compare_table import CompareTable
from scoreviz.gui.threads import CompareDisplayThread, CompareThread
from scoreviz.gui.windows.banner import ErrorBanner
from scoreviz.gui.windows.compare_files import CompareFiles
from scoreviz.gui.windows.compare_sections import CompareDock
from scoreviz.gui.windows.config_picker import default_objectives
from scoreviz.gui.windows.window_base import LiveWindow
from scoreviz.live.commands import Command, Reset, SetConfigs, SetDensity, WarmUp
from scoreviz.live.compare_display import DEFAULT_EVAL_EVERY, DEFAULT_GRID

SLOW_UPDATE_MS = 250  # status bar and table


class CompareWindow(CompareDock, CompareFiles, LiveWindow, QtWidgets.QMainWindow):
    """The compare window. ``start()`` launches the worker; closing stops and joins it.

    cfg: the base SessionConfig (density spec, model, optimiser, batch, seed, device); its objective
    is the first configuration unless ``objectives`` (2 to 4 ObjectiveConfigs) is given.
    density: a density object that overrides ``cfg.density`` (a drawing, an image, an expression).
    threads: torch threads for training (1: the other core draws).
    """

    figureSaved = QtCore.Signal(str, bool)  # (path, written) after save_figure()

    # F1: one line per panel and metric (q: a configuration's own target, p or p_σ = p ∗ N(0, σ²I))
    # (class attributes: marked N_ here, translated where the help box shows them)
    HELP_PANELS = (
        (N_("Learned score"), N_("each configuration's field s<sub>θ</sub> (its colour in the table and the curves), "
                                 "on one shared magnitude scale so the columns compare")),
        (N_("True score"), N_("∇log p (or ∇log p_σ when every configuration trains towards the same p_σ)")),
        (N_("Density"), N_("log p of the target; with Draw on, paint it here")),
        (N_("Error"), N_("log₁₀ ‖s<sub>θ</sub> − ∇log q‖ per configuration, against its own target q "
                         "(its title says which)")),
        (N_("Curves"), N_("relative Fisher divergence against steps (every configuration makes the same steps) "
                          "and against its own training time")),
    )
    HELP_METRICS = (
        (N_("rel. F"), N_("F / E‖∇log q‖², F = E<sub>q</sub>‖s<sub>θ</sub> − ∇log q‖²: 0 is a perfect score, 1 is as "
                          "wrong as a zero field; measured every K steps on fresh samples")),
        (N_("loss"), N_("the objective's own loss (levels differ between objectives: compare rel. F instead)")),
        (N_("steps/s"), N_("each configuration's own training speed")),
        (N_("train s"), N_("the seconds its own steps took")),
    )

    def __init__(self, cfg, density=None, objectives=None, threads: int | None = 1, autoplay: bool = False,
                 eval_every: int = DEFAULT_EVAL_EVERY, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("scoreviz — compare objectives"))
        self._fit_to_screen(1680, 980)
        # particles are not shown here: keep the sessions' sampler small
        cfg = replace(cfg, sampler=replace(cfg.sampler, n_particles=16))
        self.cfg = cfg
        objectives = list(objectives) if objectives else default_objectives(cfg.objective, cfg.model.activation)
        self._autoplay = autoplay
        self.running = False
        self._closed = False
        self._started = False
        self.frames_drawn = 0
        self.last_frame = None
        self._paint_times: collections.deque = collections.deque(maxlen=600)

        # ---- workers: training (owns the Comparison) and display (evaluates the fields)
        self.worker = CompareThread(cfg, objectives, density=density, threads=threads, eval_every=eval_every,
                                    parent=self)
        self.evaluator = CompareDisplayThread(self.worker.states, threads=1, parent=self)
        self.evaluator.set_view(grid=DEFAULT_GRID)
        self.evaluator.frameReady.connect(self._draw_newest)  # drawn as it arrives: the display paces frames
        self.evaluator.failed.connect(self._worker_failed)
        self.worker.message.connect(self._worker_message)
        self.worker.failed.connect(self._worker_failed)
        self.worker.runningChanged.connect(self._running_changed)
        self.worker.figureReady.connect(self._write_figure)

        # ---- central area: banner, panels, curves + table
        self.banner = ErrorBanner()
        self.banner.resetRequested.connect(self.reset)
        self.panels = ComparePanels()
        self.curves = CompareCurves()
        self.table = CompareTable()
        bottom = QtWidgets.QSplitter(QtCore.Qt.Orientation.Horizontal)
        bottom.addWidget(self.curves)
        bottom.addWidget(self.table)
        bottom.setStretchFactor(0, 2)
        bottom.setStretchFactor(1, 1)
        bottom.setSizes([820, 440])
        bottom.setChildrenCollapsible(False)
        self._build_central(self.panels, bottom, (650, 250))
        self._fitted_for = None
        self.panels.sigPainted.connect(self._painted)
        self.panels.sigViewBoxChanged.connect(self._view_box_changed)

        # ---- dock: configurations, density, run settings, display
        self._build_dock(cfg, density, objectives, eval_every)

        # ---- drawing (the density panel is the canvas)
        self._build_brush()
        self.panels.sigBrush.connect(self._brush)
        self.panels.sigHover.connect(self._brush_hover)

        self._build_actions()
        self._build_status_bar()
        self._slow_timer = QtCore.QTimer(self)
        self._slow_timer.setInterval(SLOW_UPDATE_MS)
        self._slow_timer.timeout.connect(self._slow_update)
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        if parent is not None:  # the single view closing closes this window too
            parent.installEventFilter(self)

    @classmethod
    def open_from(cls, cfg, density=None, parent=None, objectives=None, threads: int | None = 1) -> "CompareWindow":
        """Open (or raise the open) compare window for the single view's SessionConfig and density.

        The single view's training is paused (``parent.pause()`` when it has one): two trainings
        would share the cores. The window deletes itself when closed.
        """
        if parent is not None:
            for w in parent.findChildren(CompareWindow):
                if shiboken6.isValid(w) and not w.is_closed():
                    w.showNormal()
                    w.raise_()
                    w.activateWindow()
                    return w
            if hasattr(parent, "pause"):
                parent.pause()
        w = cls(cfg, density=density, objectives=objectives, threads=threads, parent=parent)
        w.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose, True)
        w.show()
        w.start()
        return w

    # ================================================================== lifecycle
    def start(self) -> None:
        """Launch the worker and the status timer."""
        if self._started:
            return
        self._started = True
        self.worker.start()
        self.evaluator.start()
        self._slow_timer.start()
        if not self._autoplay:
            self.statusBar().showMessage(tr("Press Space (or Play) to train every configuration side by side."), 8000)

    def is_closed(self) -> bool:
        """Whether the window has been shut down (closed, its threads stopped)."""
        return self._closed

    def shutdown(self) -> None:
        """Stop the timers and the worker and wait for it (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self._slow_timer.stop()
        self._brush_timer.stop()
        self.recorder.shutdown()  # a recording stops; an animation being written is cancelled
        self._stop_and_join(self.worker, self.evaluator)

    def showEvent(self, ev: QtGui.QShowEvent) -> None:
        super().showEvent(ev)
        QtCore.QTimer.singleShot(0, self._fit_panels)

    def _fit_panels(self) -> None:
        """Give the panels the height that makes them about square; the curves and table take the rest."""
        if self._closed:
            return
        key = (self.panels.config_count(), self.panels.width())
        if key == self._fitted_for:
            return
        self._fitted_for = key
        total = sum(self.splitter.sizes()) or self.splitter.height()
        top = min(max(self.panels.square_height(), int(total * 0.45)), int(total * 0.7), total - 200)
        self.splitter.setSizes([top, total - top])

    def closeEvent(self, ev: QtGui.QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(ev)

    def eventFilter(self, obj, ev) -> bool:
        if ev.type() == QtCore.QEvent.Type.Close and obj is self.parent() and not self._closed:
            self.close()
        return False

    # ================================================================== actions
    def _build_actions(self) -> None:
        A = self.add_action
        self.act_play = A(tr("Play"), self.toggle_play, ["Space"], tr("Train every configuration / pause"))
        self._icons = {on: self.style().standardIcon(
            QtWidgets.QStyle.StandardPixmap.SP_MediaPause if on else QtWidgets.QStyle.StandardPixmap.SP_MediaPlay)
            for on in (True, False)}
        self.act_play.setIcon(self._icons[False])
        self.act_step = A(tr("Step"), self.step_once, ["S", "Right"], tr("One step of every configuration"))
        self.act_step.setIcon(self.style().standardIcon(QtWidgets.QStyle.StandardPixmap.SP_MediaSkipForward))
        self.act_reset = A(tr("Reset"), self.reset, ["R", "Ctrl+R"],
                           tr("Start over: fresh models from the seed, step 0"))
        self.act_reset.setIcon(self.style().standardIcon(QtWidgets.QStyle.StandardPixmap.SP_BrowserReload))
        self.act_faster = A(tr("Faster"), lambda: self._nudge_speed(-1), ["+"], tr("Raise the training-speed limit"))
        self.act_slower = A(tr("Slower"), lambda: self._nudge_speed(+1), ["-"], tr("Lower the training-speed limit"))
        self.act_apply = A(tr("Compare these configurations"), self.picker.apply_configs, ["Ctrl+Return"],
                           tr("Apply the configurations in the dock (fresh models, step 0)"))
        # one meaning per shortcut in every window: Ctrl+E exports the figure (as in the main window),
        # Ctrl+S / Ctrl+Shift+S save sessions there and mean nothing here
        self.act_save_figure = A(tr("Save figure…"), self.save_figure_dialog, ["Ctrl+E"],
                                 tr("The fields and the curves as a PNG (as scoreviz compare writes compare.png)"))
        self.act_save_curves = A(tr("Save curves as CSV…"), self.save_curves_dialog, ["Ctrl+Alt+C"],
                                 tr("Every Fisher measurement: objective, step, seconds, loss, F, relative F"))
        self.act_save_summary = A(tr("Save summary as JSON…"), self.save_summary_dialog, [],
                                  tr("Final values and steps per second per configuration (as summary.json)"))
        self.act_open = A(tr("Open image or density…"), self.open_file_dialog, ["Ctrl+O"],
                          tr("Open a PNG/JPEG image or a .json density file as the target"))
        self.act_close = A(tr("Close"), self.close, ["Ctrl+W"], tr("Close the compare window"))
        self.act_unit = A(tr("Unit arrows"), self.unit.setChecked, ["U"],
                          tr("Arrows of equal length: direction only"), checkable=True)
        self.unit.toggled.connect(self.act_unit.setChecked)
        self.act_view = A(tr("Reset view"), self.panels.reset_view, ["Home"], tr("Zoom to the density's box"))
        self.act_undo = A(tr("Undo stroke"), self._undo_stroke, ["Ctrl+Z"], tr("Take back the last brush stroke"))
        self.act_bigger = A(tr("Bigger brush"), lambda: self._nudge_brush(1.25), ["]"], tr("Brush radius × 1.25"))
        self.act_smaller = A(tr("Smaller brush"), lambda: self._nudge_brush(0.8), ["["], tr("Brush radius × 0.8"))
        self.act_keys = A(tr("Keyboard shortcuts"), self.show_shortcuts, ["F1"], tr("List the keyboard shortcuts"))
        # Record (Ctrl+Shift+R) captures the whole comparison: panels, curves and table
        self.recorder = RecordController(self, lambda: self.splitter)

        tb = self.build_run_toolbar("compareToolbar", tr("Limit of comparison steps per second (each configuration "
                                                         "makes one step per comparison step) (+ / −)"))
        tb.addAction(self.act_view)
        tb.addAction(self.act_unit)
        tb.addSeparator()
        tb.addAction(self.act_save_figure)
        self.recorder.add_to_toolbar(tb)
        self.toolbar = tb

        mb = self.menuBar()
        m = mb.addMenu(tr("&File"))
        for a in (self.act_open, self.act_save_figure, self.act_save_curves, self.act_save_summary):
            m.addAction(a)
        m.addSeparator()
        self.recorder.add_to_menu(m)
        m.addSeparator()
        m.addAction(self.act_close)
        m = mb.addMenu(tr("&Run"))
        for a in (self.act_play, self.act_step, self.act_reset, self.act_faster, self.act_slower, self.act_apply):
            m.addAction(a)
        m = mb.addMenu(tr("&View"))
        for a in (self.act_unit, self.act_view):
            m.addAction(a)
        m.addAction(self.dock.toggleViewAction())
        m = mb.addMenu(tr("&Draw"))
        for a in (self.act_undo, self.act_bigger, self.act_smaller):
            m.addAction(a)
        m = mb.addMenu(tr("&Help"))
        m.addAction(self.act_keys)

    def _build_status_bar(self) -> None:
        self._add_status_labels((
            ("step", tr("Steps of every configuration since the last reset")),
            ("speed", tr("Comparison steps per second (each configuration makes one per comparison step)")),
            ("fps", tr("Frames drawn per second")), ("device", tr("Where training runs"))))
        self._set_status(0, 0.0, 0.0, tr("starting…"))

    def _set_status(self, step, speed, fps, device) -> None:
        L = self.status_labels
        L["step"].setText(tr("step {n:,}").format(n=step))
        L["speed"].setText(tr("{speed:,.0f} steps/s").format(speed=speed))
        L["fps"].setText(tr("{fps:.0f} fps").format(fps=fps))
        L["device"].setText(device)

    # ================================================================== run controls
    def _post(self, cmd: Command) -> None:
        self.worker.post(cmd)

    def _density_controls(self):
        return self.density

    def reset(self) -> None:
        self.banner.hide()
        self.worker.post(Reset())

    def set_objectives(self, objectives) -> None:
        """Compare these configurations (fresh models, step 0); also shown in the picker."""
        self.picker.set_applied(objectives)
        self.worker.post(SetConfigs(list(objectives)))

    def _grid_changed(self, n: int) -> None:
        self.evaluator.set_view(grid=int(n))

    def _view_box_changed(self, box) -> None:
        self.evaluator.set_view(box=tuple(box))

    def _density_requested(self, density, how: str) -> None:
        self.worker.post(SetDensity(density))
        self.density.set_current(getattr(density, "name", how))

    # ================================================================== worker reports
    def _worker_failed(self, text: str) -> None:
        shown = text_of(text)  # a faults.Fault or a refusal, in the interface's language
        self.banner.show_message(shown)
        self.statusBar().showMessage(shown, 10000)

    # ================================================================== drawing frames
    def _draw_newest(self) -> None:
        frame = self.evaluator.take()
        if frame is None or self._closed:
            return
        first = self.last_frame is None
        refit = first or frame.labels != self.last_frame.labels
        self.last_frame = frame
        self.panels.show_frame(frame)
        if refit:
            self._fit_panels()
        self.curves.show_frame(frame)
        self.frames_drawn += 1
        if first:
            self._slow_update()
            self.worker.post(WarmUp())
            if self._autoplay:
                self.play()

    def _painted(self, t: float) -> None:
        self._paint_times.append(t)

    def _slow_update(self) -> None:
        f = self.last_frame
        if f is None:
            return
        self._set_status(f.step, f.steps_per_s, self.fps(), f.device)
        self.table.show_frame(f)
        self.density.follow_density(getattr(f, "density", None))  # the dock shows the target in force
        if self.density.tabs.currentIndex() != self.density.TAB_DRAW:
            self.density.set_current(f.density_name)

    # ================================================================== brush
    def _drawing_active(self, on: bool) -> None:
        self.panels.set_brush_enabled(on)
        if not on:
            self.panels.show_brush_cursor(None, 0.0)
            return
        if self.canvas.is_empty() and self.last_frame is not None:
            self.canvas.box = tuple(self.last_frame.density.box)
        self.statusBar().showMessage(tr("Drawing: left-drag on the density panel paints, right-drag erases; every "
                                        "configuration starts over on the painted target."), 8000)

    def _brush_hover(self, pos) -> None:
        self.panels.show_brush_cursor(pos, self.density.brush()[0])
