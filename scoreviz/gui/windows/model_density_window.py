"""View ▸ Model density… (Ctrl+Shift+L): the model's own density log p_θ beside the exact log p.

``ModelDensityWindow`` is a non-modal dialog of the main window. It takes a snapshot of the newest
published weights (``MainWindow.last_frame.state``: the ``TrainerState``'s config, density and cloned
``weights``; training goes on untouched) and, in one background job (``scoreviz.gui.jobs.run_job``):

1. the exact log p_{t_ε} on an n × n grid over the density's box (cheap; drawn at once);
2. log p_θ on the same grid by the probability-flow ODE (``core.model_density.model_log_density_grid``,
   rtol = atol = ``GRID_TOL``), the progress bar advancing as it goes;
3. the NLL of the model on ``NLL_POINTS`` exact samples of p_{t_ε} against their exact −log p, the
   entropy estimate (``nll_report``, rtol = atol = ``NLL_TOL``): the line
   "NLL 2.31 nats (± 0.02) · true entropy 2.27 nats · gap 0.04".

Both panels share one colour bar and its levels (the top ``LOG_P_RANGE`` nats, as the particles
panel's heat map). Cancel (or closing the window, or the main window) aborts the job within one score
evaluation; Recompute (or another grid size) takes a fresh snapshot of the weights. Only a
time-conditional model (objective sde) has a PF-ODE density: for any other objective the window says
so in one line and computes nothing (``unavailable_reason``).

Costs (measured here: 2 CPU cores under load, a 128 × 3 model trained 1 500 steps on 8gaussians; the
table in ``core.model_density``): the whole job, grids and NLL, takes ~4 s at 32 × 32 (ve) and 7–10 s
at 48 × 48 and 64 × 64 (vp), of which the NLL on 1 000 samples is ~2 s; training goes on meanwhile
and shares the cores.
"""

from __future__ import annotations

import itertools
import threading

import numpy as np
import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.gui import style
from scoreviz.gui.i18n import line_of, tr
from scoreviz.gui.jobs import run_job, thread_named
from scoreviz.gui.views.density_pair import DensityPairPanels

GRID_SIZES = (32, 48, 64)
DEFAULT_GRID = 48
GRID_TOL = 1e-3  # a heat map: max error ~0.2-0.4 nats in the colour range (vs 1e-7), ~1 s per 1 000 points
NLL_TOL = 1e-4  # the NLL line: its mean within ~0.002 nats of the 1e-6 value (its standard error is ~0.03)
NLL_POINTS = 1000
NLL_SEED = 0  # the same samples every time: compare NLLs between recomputes
LOG_P_RANGE = 10.0  # the colour bar shows log p from (max − 10) to max, as the particles panel
WAIT_ON_CLOSE_S = 5.0  # an abort lands within one score evaluation (ms); closing waits at most this


def unavailable_reason(cfg) -> str | None:
    """None when the configuration's model has a PF-ODE density, else one line saying why not."""
    if cfg is None:
        return tr("No model yet: wait for the first frame of the main window.")
    name = getattr(getattr(cfg, "objective", None), "name", None)
    if name != "sde":
        return tr("The model's own density needs a time-conditional model: choose objective sde "
                  "(this model trains with {name}).").format(name=name)
    return None


def compute(job, cfg, density, weights, n: int, nll_points: int = NLL_POINTS, grid_tol: float = GRID_TOL,
            nll_tol: float = NLL_TOL):
    """The job (a pool thread): exact grid, model grid, NLL. Reports ("exact", xs, ys, values),
    ("progress", done, total, what), ("model", xs, ys, values); returns the NLL report dict."""
    import torch  # already loaded by the app's workers; imported here, in the job's thread, for clarity

    from scoreviz.core.model_density import model_log_density_grid, nll_report, true_log_density_grid
    from scoreviz.core.models import ScoreModel
    from scoreviz.core.objectives import objective_sde

    with thread_named("scoreviz-model-density"):
        sde = objective_sde(cfg.objective)
        box = tuple(float(v) for v in density.box)
        total = n * n + nll_points
        xs, ys, exact = true_log_density_grid(density, sde, box, n)
        job.report(("exact", xs, ys, exact))
        with torch.random.fork_rng(devices=[]):
            model = ScoreModel(cfg.model)
        with torch.no_grad():
            model.load_state_dict(weights)  # copies: the published weights are never touched
        model.eval()

        def grid_progress(done, _total):
            job.report(("progress", done, total, tr("the model's log p on the {n} × {n} grid").format(n=n)))

        xs, ys, lp = model_log_density_grid(model, sde, box, n, grid_tol, grid_tol, progress=grid_progress,
                                            check=job.check)
        job.report(("model", xs, ys, lp))

        def nll_progress(done, _total):
            job.report(("progress", n * n + done, total, tr("NLL on {n:,} exact samples").format(n=nll_points)))

        return nll_report(model, sde, density, nll_points, NLL_SEED, nll_tol, nll_tol, progress=nll_progress,
                          check=job.check)


class ModelDensityWindow(QtWidgets.QDialog):
    """The model's density beside the exact one; see the module's description.

    ``main``: the MainWindow whose newest weights are used (``last_frame.state``; before the first
    frame, its ``cfg``). The window starts computing when shown (``autostart``)."""

    computed = QtCore.Signal()  # the NLL line is there (the job returned)

    def __init__(self, main, grid: int = DEFAULT_GRID, nll_points: int = NLL_POINTS, autostart: bool = True):
        super().__init__(main)
        self.setWindowTitle(tr("scoreviz — the model's own density"))
        self.setModal(False)
        self.main = main
        self.nll_points = int(nll_points)
        self._autostart = autostart
        self._job = None
        self._serial = itertools.count(1)
        self._current = 0  # the serial of the job whose reports are shown
        self._closed = False
        self._busy = False
        self.report = None
        self.snapshot_step = None
        self._build(grid)
        self._fit()
        main.installEventFilter(self)  # the main window closing closes this one (and cancels its job)

    # ================================================================== building
    def _build(self, grid: int) -> None:
        font = QtGui.QFont(self.font())
        if font.pointSizeF() <= 0:
            font.setPointSizeF(10.0)
        big = QtGui.QFont(font)
        big.setPointSizeF(font.pointSizeF() * 1.25)

        self.explanation = QtWidgets.QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet(f"color: {style.ERROR};")
        self.explanation.hide()

        self.panels = DensityPairPanels()
        self.model_plot, self.exact_plot = self.panels.model_plot, self.panels.exact_plot
        self.model_image, self.exact_image = self.panels.model_image, self.panels.exact_image
        self.bar = self.panels.bar
        self._set_titles(None)

        self.nll_label = QtWidgets.QLabel(tr("NLL —"))
        self.nll_label.setFont(big)
        self.nll_label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.nll_label.setToolTip(tr(
            "The model's negative log-likelihood E[−log p_θ] on {n:,} exact samples of p at t = ε "
            "(± its standard error), the exact E[−log p] of the same samples (the entropy: the floor) and the gap "
            "between them, an estimate of KL(p ‖ p_θ) ≥ 0").format(n=self.nll_points))

        self.grid = QtWidgets.QComboBox()
        for n in GRID_SIZES:
            self.grid.addItem(f"{n} × {n}", n)
        self.grid.setCurrentIndex(GRID_SIZES.index(grid) if grid in GRID_SIZES else 0)
        if grid not in GRID_SIZES:  # a size of one's own (the tests use tiny grids)
            self.grid.insertItem(0, f"{grid} × {grid}", int(grid))
            self.grid.setCurrentIndex(0)
        self.grid.setToolTip(tr("Grid points per axis of the heat maps: the time grows with their number"))
        self.grid.currentIndexChanged.connect(lambda *_: self.recompute())
        self.recompute_button = QtWidgets.QPushButton(tr("Recompute"))
        self.recompute_button.setToolTip(tr("Take the newest weights of the main window and compute again"))
        self.recompute_button.clicked.connect(self.recompute)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.progress.setMinimumWidth(160)
        self.progress_label = QtWidgets.QLabel()
        self.progress_label.setStyleSheet(f"color: {style.MUTED};")
        self.cancel_button = QtWidgets.QPushButton(tr("Cancel"))
        self.cancel_button.setToolTip(tr("Stop computing (what is done so far stays)"))
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QtWidgets.QPushButton(tr("Close"))
        self.close_button.clicked.connect(self.close)

        row = QtWidgets.QHBoxLayout()
        row.addWidget(QtWidgets.QLabel(tr("Grid:")))
        row.addWidget(self.grid)
        row.addWidget(self.recompute_button)
        row.addSpacing(12)
        row.addWidget(self.progress, 1)
        row.addWidget(self.progress_label)
        row.addWidget(self.cancel_button)
        row.addStretch(0)
        row.addWidget(self.close_button)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addWidget(self.explanation)
        lay.addWidget(self.panels, 1)
        lay.addWidget(self.nll_label)
        lay.addLayout(row)
        self._show_busy(False)

    def _fit(self) -> None:
        """1100 × 620, or less on a smaller screen (readable at 1280 × 720)."""
        w, h = 1100, 620
        screen = self.main.screen() if self.main is not None else QtGui.QGuiApplication.primaryScreen()
        if screen is not None:
            avail = screen.availableGeometry()
            w, h = min(w, avail.width() - 40), min(h, avail.height() - 60)
        self.resize(w, h)

    def _set_titles(self, step) -> None:
        model = (tr("log p<sub>θ</sub>: the model (PF-ODE)") if step is None
                 else tr("log p<sub>θ</sub>: the model (PF-ODE, step {step:,})").format(step=step))
        self.panels.set_titles((model, tr("log p<sub>θ</sub> (model)")),
                               (tr("log p<sub>ε</sub>: exact (t = ε)"), tr("log p<sub>ε</sub> (exact)")))

    # ================================================================== state
    def grid_size(self) -> int:
        return int(self.grid.currentData())

    def is_computing(self) -> bool:
        """A job is at work for this window: started, not cancelled, its result (or error) not yet here."""
        return self._busy

    def _snapshot(self):
        """(cfg, density, weights, step) of the main window's newest frame; cfg alone before the first."""
        frame = getattr(self.main, "last_frame", None)
        if frame is None:
            return getattr(self.main, "cfg", None), None, None, None
        st = frame.state
        return st.cfg, st.density, st.weights, st.step

    def _show_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress_label.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)

    def _explain(self, text: str | None) -> None:
        self.explanation.setText(text or "")
        self.explanation.setVisible(bool(text))

    # ================================================================== computing
    def recompute(self) -> bool:
        """Cancel what runs, take a fresh snapshot of the weights and compute; False (with the reason
        shown) when the model has no PF-ODE density."""
        if self._closed:
            return False
        self.cancel()
        cfg, density, weights, step = self._snapshot()
        reason = unavailable_reason(cfg)
        if reason is None and (weights is None or density is None):
            reason = unavailable_reason(None)  # no frame yet: no weights to take
        self._explain(reason)
        if reason is not None:
            self.panels.clear_values(self.model_image)
            self.panels.clear_values(self.exact_image)
            self.nll_label.setText(tr("NLL —"))
            return False
        self.report = None
        self.snapshot_step = step
        self._set_titles(step)
        self.panels.clear_values(self.model_image)
        self.nll_label.setText(tr("NLL — computing…"))
        self.progress.setValue(0)
        self.progress_label.setText(tr("starting…"))
        self._show_busy(True)
        serial = self._current = next(self._serial)
        self._busy = True
        self._job = run_job(compute, cfg, density, weights, self.grid_size(), self.nll_points,
                            on_progress=lambda v: self._progress(serial, v),
                            on_returned=lambda r: self._returned(serial, r),
                            on_errored=lambda e: self._errored(serial, e),
                            on_finished=lambda: self._finished(serial))
        return True

    def cancel(self) -> None:
        """Abort the running job (it stops within one score evaluation); what is drawn stays."""
        job = self._job
        if job is not None and not job.is_done():
            job.abort()
            if self.nll_label.text() == tr("NLL — computing…"):
                self.nll_label.setText(tr("NLL — cancelled"))
        self._current = 0  # its last reports, already queued, are ignored
        self._busy = False
        self._show_busy(False)

    def _progress(self, serial: int, value) -> None:
        if serial != self._current or self._closed:
            return
        kind = value[0]
        if kind == "progress":
            _, done, total, what = value
            self.progress.setValue(int(round(1000 * done / max(total, 1))))
            self.progress_label.setText(what)
        elif kind == "exact":
            _, xs, ys, values = value
            box = (float(xs[0]), float(xs[-1]), float(ys[0]), float(ys[-1]))
            if box != self.panels.density_box():  # a recompute keeps the user's zoom unless the box changed
                self.panels.set_box(box)
            self.panels.set_levels(self._levels_for(values))
            self.panels.show_values(self.exact_image, xs, ys, values)
        elif kind == "model":
            _, xs, ys, values = value
            self.panels.show_values(self.model_image, xs, ys, values)

    @staticmethod
    def _levels_for(values: np.ndarray) -> tuple[float, float]:
        """The top LOG_P_RANGE nats of the exact log p: one colour scale for both panels."""
        finite = values[np.isfinite(values)]
        hi = float(finite.max()) if finite.size else 0.0
        return hi - LOG_P_RANGE, hi

    def _returned(self, serial: int, report: dict) -> None:
        if serial != self._current or self._closed:
            return
        from scoreviz.core.model_density import describe_report  # lazy: importing this window loads no torch

        self.report = report
        self._busy = False
        self._show_busy(False)
        self.nll_label.setText(describe_report(report))
        self.computed.emit()

    def _errored(self, serial: int, exc: BaseException) -> None:
        if serial != self._current or self._closed:
            return
        self._busy = False
        self._show_busy(False)
        why = line_of(exc)
        self._explain(tr("Could not compute the model's density: {reason}").format(reason=why))
        self.nll_label.setText(tr("NLL —"))

    def _finished(self, serial: int) -> None:
        if serial == self._current and not self._closed:
            self._busy = False
            self._show_busy(False)

    # ================================================================== lifecycle
    def showEvent(self, ev: QtGui.QShowEvent) -> None:
        super().showEvent(ev)
        if self._autostart:
            self._autostart = False
            QtCore.QTimer.singleShot(0, self.recompute)

    def shutdown(self) -> None:
        """Cancel the job and wait for it to stop (idempotent): no worker outlives the window."""
        if self._closed:
            return
        self.cancel()
        self._closed = True
        job = self._job
        if job is not None and threading.current_thread() is threading.main_thread():
            job.wait(WAIT_ON_CLOSE_S)
        if self.main is not None and shiboken6.isValid(self.main):
            self.main.removeEventFilter(self)

    def closeEvent(self, ev: QtGui.QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(ev)

    def done(self, r: int) -> None:  # Esc: a dialog hides itself without a closeEvent
        self.shutdown()
        super().done(r)
        if self.testAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose):
            self.deleteLater()

    def eventFilter(self, obj, ev) -> bool:
        if obj is self.main and ev.type() == QtCore.QEvent.Type.Close and not self._closed:
            self.close()
        return False

    @classmethod
    def open_from(cls, main, **kwargs) -> "ModelDensityWindow":
        """Open (or raise and recompute the open) window for ``main``; it deletes itself when closed."""
        for w in main.findChildren(cls):
            if shiboken6.isValid(w) and not w._closed:
                w.showNormal()
                w.raise_()
                w.activateWindow()
                w.recompute()
                return w
        w = cls(main, **kwargs)
        w.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose, True)
        w.show()
        return w
