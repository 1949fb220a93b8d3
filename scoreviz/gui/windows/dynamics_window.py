"""Every dynamic, one network: the same score run through 2 to 5 dynamics side by side.

``DynamicsWindow`` runs the main window's trained model (a snapshot of its weights and config) or the
exact score of its density through reverse SDE, PF-ODE (Euler, Heun), PC and annealed Langevin, from the
same prior samples with the same noise seed, each panel titled "step i/N · NFE k · t = ...": where the
panels differ the dynamics differ (sampler error); where the learned panels all miss what the true ones
find, the model is wrong (training error).  Its worker (``gui.dynamics_thread``) runs the Qt-free
``live.dynamics``; the GUI thread only draws the newest frame.  Opening it from the main window::

    open_dynamics(main_window)      # Run ▸ Every dynamic… (Ctrl+Shift+D)

shows it (or raises the open one), starts its worker and runs.  A learned score needs objective sde
(a time-conditional model): otherwise the window says so in one line and offers the true score.
"""

from __future__ import annotations

import collections
import time

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.gui import style
from scoreviz.gui.dynamics_thread import DynamicsThread
from scoreviz.gui.i18n import N_, text_of, tr
from scoreviz.gui.views.dynamics_panels import DynamicsPanels
from scoreviz.gui.windows.banner import ErrorBanner
from scoreviz.gui.windows.dynamics_controls import DynamicsControls
from scoreviz.gui.windows.window_base import LiveWindow
from scoreviz.live.dynamics_settings import LEARNED_NEEDS_SDE, learned_refusal

SLOW_UPDATE_MS = 250  # status bar


def snapshot_of(main) -> tuple:
    """(cfg, density, weights, step) of the main window's newest frame (density and weights None, step 0
    before its first frame)."""
    f = getattr(main, "last_frame", None)
    if f is None:
        return main.cfg, None, None, 0
    st = f.state
    return st.cfg, st.density, st.weights, int(st.step)


def model_text(cfg, step: int, has_weights: bool) -> str:
    """One line on the main window's model for the dock."""
    obj = cfg.objective
    what = (tr("objective sde ({sde})").format(sde=obj.sde) if obj.name == "sde"
            else tr("objective {name}").format(name=obj.name))
    text = tr("Main window's model: {what}, step {step:,}").format(what=what, step=step)
    return text + ("" if has_weights else tr(" (no weights yet)"))


def refusal_text(cfg) -> str | None:
    """``learned_refusal(cfg)`` in the interface's language (None when the learned score can drive the dynamics)."""
    reason = learned_refusal(cfg)
    if reason is not None and reason == LEARNED_NEEDS_SDE.format(objective=cfg.objective.name):
        return tr("Dynamics need a time-conditional model trained with objective sde (this one is trained with "
                  "objective {objective}); use the true score instead.").format(objective=cfg.objective.name)
    return reason


def open_dynamics(main, threads: int = 1) -> "DynamicsWindow":
    """Open (or raise the open) Every-dynamic window for ``main`` (the main window); it deletes itself when closed."""
    for w in main.findChildren(DynamicsWindow):
        if shiboken6.isValid(w) and not w.is_closed():
            w.showNormal()
            w.raise_()
            w.activateWindow()
            return w
    cfg, density, weights, step = snapshot_of(main)
    w = DynamicsWindow(cfg, density, weights, step=step, threads=threads, parent=main)
    w.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose, True)
    w.show()
    w.start()
    return w


class DynamicsWindow(LiveWindow, QtWidgets.QMainWindow):
    """See the module's description. ``start()`` launches the worker and the first run; closing stops and joins it.

    cfg, density, weights: the main window's snapshot (density None: cfg's; weights None: no model yet);
    step: the model's training step (shown); parent: the main window (F5 takes its newest model; closing
    it closes this window).
    """

    # (a class attribute: marked N_ here, translated where the help box shows it)
    HELP_PANELS = (
        (N_("Panels"), N_("one per dynamic, all from the same prior samples with the same noise seed: the particles "
                          "over log p of the data, coloured lines the recent paths of some of them")),
        (N_("Titles"), N_("the dynamic, its steps done of all, its score evaluations (NFE) and the time t it has "
                          "reached")),
        (N_("Reading it"), N_("panels that disagree with the true score: sampler error; learned panels that all miss "
                              "what the true score finds: training error")),
    )

    def __init__(self, cfg, density=None, weights: dict | None = None, step: int = 0, threads: int = 1,
                 autoplay: bool = True, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("scoreviz — every dynamic, one network"))
        self._fit_to_screen(1400, 820)
        self.cfg = cfg
        self._autoplay = autoplay
        self._closed = False
        self._started = False
        self.running = False
        self.last_frame = None
        self.frames_drawn = 0
        self._paint_times: collections.deque = collections.deque(maxlen=240)
        self._source_line = None
        self._has_weights = weights is not None

        self.worker = DynamicsThread(cfg, density, weights, threads=threads, parent=self)
        self.worker.frameReady.connect(self._draw_newest)
        self.worker.failed.connect(self._failed)
        self.worker.runningChanged.connect(self._running_changed)

        # ---- central: the one-line messages, what runs, the panels
        self.banner = ErrorBanner()
        self.info = QtWidgets.QLabel(tr("Starting…"))
        self.info.setStyleSheet(f"color: {style.MUTED};")
        self.info.setToolTip(tr("The score, the process and the shared start: every panel begins from the same "
                                "prior samples and draws its noise from a generator with the same seed"))
        self.panels = DynamicsPanels()
        central = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(central)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(4)
        lay.addWidget(self.banner)
        lay.addWidget(self.info)
        lay.addWidget(self.panels, 1)
        self.setCentralWidget(central)

        # ---- dock
        self.controls = DynamicsControls(cfg, model_text(cfg, step, weights is not None),
                                         learned_ok=learned_refusal(cfg) is None and weights is not None)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        scroll.setWidget(self.controls)
        dock = QtWidgets.QDockWidget(tr("Dynamics"), self)
        dock.setObjectName("dynamicsDock")
        dock.setWidget(scroll)
        dock.setFeatures(QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        dock.setMinimumWidth(230)
        self.addDockWidget(QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.dock = dock
        self.controls.settingsChanged.connect(self.apply)

        self._build_actions()
        self._add_status_labels((("frame", tr("How far every dynamic has come (the same fraction of its steps) and "
                                              "frames since the start")), ("fps", tr("Frames drawn per second"))))
        self._slow_timer = QtCore.QTimer(self)
        self._slow_timer.setInterval(SLOW_UPDATE_MS)
        self._slow_timer.timeout.connect(self._slow_update)
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        if parent is not None:  # the main window closing closes this one too
            parent.installEventFilter(self)

    # ================================================================== actions
    def _build_actions(self) -> None:
        A = self.add_action
        self.act_play = A(tr("Run"), self.toggle_play, ["Space"], tr("Run every dynamic / pause"))
        self._icons = {on: self.style().standardIcon(
            QtWidgets.QStyle.StandardPixmap.SP_MediaPause if on else QtWidgets.QStyle.StandardPixmap.SP_MediaPlay)
            for on in (True, False)}
        self.act_play.setIcon(self._icons[False])
        self.act_restart = A(tr("Restart"), self.restart, ["R"], tr("Every dynamic from the same prior samples "
                                                                    "again, with the same noise"))
        self.act_restart.setIcon(self.style().standardIcon(QtWidgets.QStyle.StandardPixmap.SP_BrowserReload))
        self.act_newest = A(tr("Newest model"), self.take_newest_model, ["F5"],
                            tr("Take the main window's newest trained weights and run again"))
        self.act_view = A(tr("Reset view"), self.panels.reset_view, ["Home"], tr("Zoom to the density's box"))
        self.act_true = A(tr("Use the true score"), self.controls.use_true_score, [],
                          tr("Drive the dynamics with the exact ∇log pₜ: what remains is sampler error"))
        self.act_close = A(tr("Close"), self.close, ["Ctrl+W"], tr("Close this window"))
        self.act_keys = A(tr("Keyboard shortcuts"), self.show_shortcuts, ["F1"], tr("List the keyboard shortcuts"))

        tb = QtWidgets.QToolBar(tr("Run"))
        tb.setObjectName("dynamicsToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for a in (self.act_play, self.act_restart, self.act_newest, self.act_view):
            tb.addAction(a)
        self.addToolBar(tb)
        self.toolbar = tb

        mb = self.menuBar()
        m = mb.addMenu(tr("&Run"))
        for a in (self.act_play, self.act_restart, self.act_newest, self.act_true):
            m.addAction(a)
        m.addSeparator()
        m.addAction(self.act_close)
        m = mb.addMenu(tr("&View"))
        m.addAction(self.act_view)
        m.addAction(self.dock.toggleViewAction())
        m = mb.addMenu(tr("&Help"))
        m.addAction(self.act_keys)

    # ================================================================== lifecycle
    def start(self) -> None:
        """Launch the worker and the first run."""
        if self._started:
            return
        self._started = True
        self.worker.start()
        self._slow_timer.start()
        self.apply(self.controls.settings())

    def is_closed(self) -> bool:
        return self._closed

    def shutdown(self) -> None:
        """Stop the timer and the worker and wait for it (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self._slow_timer.stop()
        self.worker.stop()
        if self.worker.isRunning():
            self.worker.wait()

    def closeEvent(self, ev: QtGui.QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(ev)

    def eventFilter(self, obj, ev) -> bool:
        if ev.type() == QtCore.QEvent.Type.Close and obj is self.parent() and not self._closed:
            self.close()
        return False

    # ================================================================== run controls
    def apply(self, settings) -> None:
        """Run ``settings`` (a DynamicsSettings) from the prior; a learned score without objective sde is
        refused here, in one line, with the true score offered."""
        if settings is None or self._closed:
            return
        if settings.source == "learned":
            reason = refusal_text(self.cfg)
            if reason is None and not self._has_weights:
                reason = tr("The main window has no trained weights yet: train it, then press F5; or use the true "
                            "score.")
            if reason:
                self.banner.show_message(reason, action=(tr("Use the true score"), self.controls.use_true_score,
                                                         tr("Drive the dynamics with the exact ∇log pₜ")))
                self.statusBar().showMessage(reason, 10000)
                return
        self.banner.hide()
        self.worker.configure(settings, play=self._autoplay or self.running)

    def play(self) -> None:
        self.worker.play()

    def pause(self) -> None:
        self.worker.pause()

    def toggle_play(self) -> None:
        self.pause() if self.running else self.play()

    def restart(self) -> None:
        self.worker.restart()

    def take_newest_model(self) -> None:
        """F5: the main window's newest weights (and config, density), then run again."""
        main = self.parent()
        if main is None or not hasattr(main, "last_frame"):
            self.statusBar().showMessage(tr("No main window to take a model from"), 5000)
            return
        cfg, density, weights, step = snapshot_of(main)
        self.cfg = cfg
        self._has_weights = weights is not None
        self.controls.model_label.setText(model_text(cfg, step, weights is not None))
        self.controls._model_kind = cfg.objective.sde if cfg.objective.name == "sde" else None
        self.controls._sync_process()
        settings = self.controls.settings()
        if settings is None:
            return
        if settings.source == "learned" and learned_refusal(cfg) is not None:
            self.apply(settings)  # says why
            return
        self.banner.hide()
        self.worker.set_snapshot(cfg, density, weights, settings, play=True)
        self.statusBar().showMessage(tr("Took the main window's model at step {step:,}").format(step=step), 5000)

    def _running_changed(self, on: bool) -> None:
        self.running = on
        self.act_play.setText(tr("Pause") if on else tr("Run"))
        self.act_play.setIcon(self._icons[on])

    # ================================================================== worker reports
    def _failed(self, text: str) -> None:
        text = text_of(text)  # a faults.Fault, in the interface's language
        self.banner.show_message(text, action=(tr("Use the true score"), self.controls.use_true_score,
                                               tr("Drive the dynamics with the exact ∇log pₜ")))
        self.statusBar().showMessage(text, 10000)

    def _draw_newest(self) -> None:
        frame = self.worker.take()
        if frame is None or self._closed:
            return
        self.last_frame = frame
        self.panels.show_frame(frame)
        line = (frame.source, frame.process, frame.n, frame.seed)
        if line != self._source_line:
            self._source_line = line
            self.info.setText(tr("{source} · {process} · {n:,} particles from one prior sample (seed {seed}); every "
                                 "panel draws the same noise").format(source=frame.source, process=frame.process,
                                                                      n=frame.n, seed=frame.seed))
        self.frames_drawn += 1
        self._paint_times.append(time.perf_counter())
        if frame.done:
            self._slow_update()

    def _slow_update(self) -> None:
        f = self.last_frame
        L = self.status_labels
        if f is not None:
            L["frame"].setText(tr("{progress:.0%} · frame {frame}").format(progress=f.progress, frame=f.frame)
                               + (tr(" · done") if f.done else ""))
        L["fps"].setText(tr("{fps:.0f} fps").format(fps=self.fps()))
