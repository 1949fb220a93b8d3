"""Compare mode: 2 to 4 objective configurations trained side by side on one density, seed and model.

``CompareWindow(cfg, density=None, objectives=None, ...)`` is a top-level window of its own. Its
worker thread (``CompareThread``) owns the ``Comparison``: every configuration sees the same data
batches and makes the same number of steps. The GUI thread only draws the newest ``CompareFrame``
(panels, curves, table) and forwards the user's changes as commands.

Opening it from the single view::

    CompareWindow.open_from(session_cfg, density, parent=main_window)

shows it, starts its worker and returns it (an open one is raised instead of making a second).
"""

from __future__ import annotations

import collections
from dataclasses import replace

from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.gui import style
from scoreviz.gui.views.compare_figure import CompareCurves, ComparePanels, config_colour, render_frame_png
from scoreviz.gui.compare_worker import (DEFAULT_EVAL_EVERY, DEFAULT_GRID, MAX_GUI_CONFIGS, CompareDisplayThread,
                                         CompareThread)
from scoreviz.gui.controls import (SPEEDS, DensitySection, DisplaySection, Section, error_label, show_error, compatible,
                                   limited_spin_box)
from scoreviz.gui.windows.banner import ErrorBanner
from scoreviz.gui.windows.window_base import LiveWindow

SLOW_UPDATE_MS = 250  # status bar and table
FIGURE_SIZE = (1600, 1000)  # "Save figure": the size `scoreviz compare` writes by default
MIN_GUI_CONFIGS = 2


def default_objectives(base, activation: str = "silu") -> list:
    """The window's first pair: the single view's objective and a contrasting one."""
    from scoreviz.core.objectives import ObjectiveConfig

    first = replace(base)
    if first.name != "dsm":
        second = ObjectiveConfig(name="dsm", sigma=base.sigma)
    elif compatible("ssm", activation):
        second = ObjectiveConfig(name="ssm")
    else:
        second = ObjectiveConfig(name="esm")
    return [first, second]


# ============================================================================ configuration picker
class ConfigRow(QtWidgets.QFrame):
    """One configuration: an objective and the parameters it uses (ranges from the core's limits)."""

    changed = QtCore.Signal()
    removeRequested = QtCore.Signal(object)

    def __init__(self, objective, activation: str = "silu", parent=None):
        super().__init__(parent)
        from scoreviz.core.objectives import OBJECTIVE_INFO, PROJECTIONS

        self._info = OBJECTIVE_INFO
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        grid = QtWidgets.QGridLayout(self)
        grid.setContentsMargins(4, 3, 4, 3)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        self.swatch = QtWidgets.QLabel()
        self.swatch.setFixedSize(12, 12)
        self.name = QtWidgets.QComboBox()
        for i, (name, info) in enumerate(OBJECTIVE_INFO.items()):
            self.name.addItem(name)
            self.name.setItemData(i, f"{info.description}\nloss: {info.formula}", QtCore.Qt.ItemDataRole.ToolTipRole)
            if not compatible(name, activation):  # e.g. ism/ssm with ReLU: the core refuses them
                self.name.model().item(i).setEnabled(False)
        self.name.setToolTip("Objective of this configuration")
        self.remove = QtWidgets.QToolButton()
        self.remove.setText("×")
        self.remove.setAutoRaise(True)
        self.remove.setToolTip("Remove this configuration")
        grid.addWidget(self.swatch, 0, 0)
        grid.addWidget(self.name, 0, 1, 1, 4)
        grid.addWidget(self.remove, 0, 5)

        self.sigma = limited_spin_box("sigma", objective.sigma, log=True)
        self.sigma.setToolTip("dsm noise level σ: the model learns the score of p_σ = p ∗ N(0, σ²I)")
        self.projections = limited_spin_box("projections", objective.projections)
        self.projections.setToolTip("ssm / ssm-vr: random projections per sample")
        self.projection = QtWidgets.QComboBox()
        self.projection.addItems(list(PROJECTIONS))
        self.projection.setCurrentText(objective.projection)
        self.projection.setToolTip("Distribution of the projections v")
        self.sigma_max = limited_spin_box("sigma_max", objective.sigma_max, log=True)
        self.sigma_max.setToolTip("ncsn: largest noise level σ_max (> σ_min)")
        self.sigma_min = limited_spin_box("sigma_min", objective.sigma_min, log=True)
        self.sigma_min.setToolTip("ncsn: smallest noise level σ_min (the field is shown at σ_min)")
        self.levels = limited_spin_box("levels", objective.levels)
        self.levels.setToolTip("ncsn: number of geometric noise levels")
        self._params = {"sigma": ("σ", self.sigma), "projections": ("proj.", self.projections),
                        "projection": ("", self.projection), "sigma_max": ("σ max", self.sigma_max),
                        "sigma_min": ("σ min", self.sigma_min), "levels": ("levels", self.levels)}
        self._labels = {}
        for key, (text, w) in self._params.items():
            lab = QtWidgets.QLabel(text)
            lab.setStyleSheet(f"color: {style.MUTED};")
            self._labels[key] = lab
        # one line of parameters under the name: at most three are used by any objective
        self.param_line = QtWidgets.QHBoxLayout()
        self.param_line.setSpacing(3)
        for key, (text, w) in self._params.items():
            self.param_line.addWidget(self._labels[key])
            self.param_line.addWidget(w, 1)
        grid.addLayout(self.param_line, 1, 1, 1, 5)
        self.name.setCurrentText(objective.name)
        self._show_params()
        self.name.currentTextChanged.connect(self._name_changed)
        for w in (self.sigma, self.projections, self.sigma_max, self.sigma_min, self.levels):
            w.valueChanged.connect(self.changed)
        self.projection.currentIndexChanged.connect(self.changed)
        self.remove.clicked.connect(lambda: self.removeRequested.emit(self))

    def _name_changed(self, *_):
        self._show_params()
        self.changed.emit()

    def _show_params(self) -> None:
        used = self._info[self.name.currentText()].params
        for key, (_, w) in self._params.items():
            w.setVisible(key in used)
            self._labels[key].setVisible(key in used and bool(self._labels[key].text()))

    def set_colour(self, colour: str) -> None:
        self.swatch.setStyleSheet(f"background: {colour}; border-radius: 2px;")

    def config(self):
        """The ObjectiveConfig (ScorevizError when the values do not go together, e.g. σ max ≤ σ min)."""
        from scoreviz.core.objectives import ObjectiveConfig

        return ObjectiveConfig(name=self.name.currentText(), sigma=self.sigma.value(), sigma_max=self.sigma_max.value(),
                               sigma_min=self.sigma_min.value(), levels=self.levels.value(),
                               projections=self.projections.value(), projection=self.projection.currentText())


class ConfigPicker(Section):
    """2 to 4 configurations; "Compare" applies them (all start over from the seed together)."""

    configsApplied = QtCore.Signal(list)  # [ObjectiveConfig, ...]

    def __init__(self, objectives, activation: str = "silu", parent=None):
        super().__init__("Configurations", "The objectives compared: the same density, seed, model and data "
                         "batches for all; each gets the same number of steps.", parent)
        self._activation = activation
        self.rows: list[ConfigRow] = []
        self.rows_box = QtWidgets.QVBoxLayout()
        self.rows_box.setSpacing(3)
        self.form.addRow(self.rows_box)
        buttons = QtWidgets.QHBoxLayout()
        self.add = QtWidgets.QPushButton("Add")
        self.add.setToolTip(f"Another configuration (at most {MAX_GUI_CONFIGS})")
        self.apply = QtWidgets.QPushButton("Compare")
        self.apply.setToolTip("Train these configurations side by side, from fresh models (Ctrl+Return)")
        buttons.addWidget(self.add)
        buttons.addStretch(1)
        buttons.addWidget(self.apply)
        self.form.addRow(buttons)
        self.error = error_label()
        self.form.addRow(self.error)
        self._applied: list = []
        for o in objectives:
            self._add_row(o)
        self.set_applied(objectives)
        self.add.clicked.connect(self.add_row)
        self.apply.clicked.connect(self.apply_configs)

    def _add_row(self, objective) -> ConfigRow:
        row = ConfigRow(objective, self._activation)
        row.changed.connect(self._validate)
        row.removeRequested.connect(self.remove_row)
        self.rows.append(row)
        self.rows_box.addWidget(row)
        self._recolour()
        return row

    def add_row(self) -> None:
        """A new row with an objective not listed yet (dsm at another σ when all are)."""
        from scoreviz.core.objectives import OBJECTIVE_INFO, ObjectiveConfig

        if len(self.rows) >= MAX_GUI_CONFIGS:
            return
        used = {r.name.currentText() for r in self.rows}
        name = next((n for n in OBJECTIVE_INFO if n not in used and compatible(n, self._activation)), "dsm")
        o = ObjectiveConfig(name=name)
        if name == "dsm" and "dsm" in used:
            sigmas = {r.sigma.value() for r in self.rows if r.name.currentText() == "dsm"}
            o = replace(o, sigma=next(s for s in (0.5, 0.2, 1.0, 0.05, 2.0) if s not in sigmas))
        self._add_row(o)
        self._validate()

    def remove_row(self, row: ConfigRow) -> None:
        if len(self.rows) <= MIN_GUI_CONFIGS or row not in self.rows:
            return
        self.rows.remove(row)
        self.rows_box.removeWidget(row)
        row.hide()
        row.deleteLater()
        self._recolour()
        self._validate()

    def _recolour(self) -> None:
        for i, r in enumerate(self.rows):
            r.set_colour(config_colour(i))
            r.remove.setEnabled(len(self.rows) > MIN_GUI_CONFIGS)
        self.add.setEnabled(len(self.rows) < MAX_GUI_CONFIGS)

    def configs(self) -> list:
        """The configurations as entered; ScorevizError (one line) when they cannot be compared."""
        from scoreviz.core.compare import label
        from scoreviz.core.errors import ScorevizError

        out = []
        for i, r in enumerate(self.rows):
            try:
                out.append(r.config())
            except ScorevizError as e:
                raise ScorevizError(f"configuration {i + 1}: {str(e).splitlines()[0]}") from None
        labels = [label(o) for o in out]
        dupes = [lab for lab in labels if labels.count(lab) > 1]
        if dupes:
            raise ScorevizError(f"{dupes[0]} is listed twice: give each configuration a different objective or setting")
        if not MIN_GUI_CONFIGS <= len(out) <= MAX_GUI_CONFIGS:
            raise ScorevizError(f"compare {MIN_GUI_CONFIGS} to {MAX_GUI_CONFIGS} configurations")
        return out

    def _validate(self) -> bool:
        from scoreviz.core.compare import label

        try:
            cfgs = self.configs()
        except Exception as e:
            show_error(self.error, str(e).splitlines()[0])
            self.apply.setEnabled(False)
            return False
        show_error(self.error, None)
        self.apply.setEnabled([label(o) for o in cfgs] != [label(o) for o in self._applied])
        return True

    def set_applied(self, objectives) -> None:
        self._applied = list(objectives)
        self._validate()

    def apply_configs(self) -> bool:
        if not self._validate():
            return False
        cfgs = self.configs()
        self.set_applied(cfgs)
        self.configsApplied.emit(cfgs)
        return True


# ============================================================================ table
class CompareTable(QtWidgets.QTableWidget):
    """Current values per configuration: loss, the last Fisher divergences, training speed.

    Every column is in view: the numbers take the width their contents need, the configuration
    column the rest (its text elides, the tooltip has it whole); the table is never narrower than
    the numbers. The rel. F header says what F is measured against (``set_targets``)."""

    COLUMNS = ("configuration", "step", "loss", "rel. F", "steps/s", "train s")
    REL_F = 3

    def __init__(self, parent=None):
        super().__init__(0, len(self.COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.verticalHeader().hide()
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.setWordWrap(False)
        self.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        head = self.horizontalHeader()
        head.setVisible(True)
        head.setStretchLastSection(False)
        head.setMinimumSectionSize(36)
        head.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)  # the label takes the rest
        self.setToolTip("rel. F: the relative Fisher divergence at the last measurement (every K steps, and when paused); "
                        "steps/s: each configuration's own training speed (its steps / the time they took)")
        self._targets: tuple | None = None
        self.set_targets(())
        self._fit_minimum()

    def set_targets(self, sigmas) -> None:
        """The rel. F header names the score F compares with: ∇log p, or ∇log p_σ (each configuration's
        own target when they differ; its cell's tooltip names it)."""
        sigmas = tuple(float(s) for s in sigmas)
        if sigmas == self._targets:
            return
        self._targets = sigmas
        if not sigmas or all(s == 0 for s in sigmas):
            text, tip = "rel. F vs ∇log p", "F = E_p‖s_θ − ∇log p‖², relative to E_p‖∇log p‖²: against the density's own score"
        elif all(s == sigmas[0] for s in sigmas):
            text = "rel. F vs ∇log p_σ"
            tip = (f"F = E‖s_θ − ∇log p_σ‖² relative to E‖∇log p_σ‖², p_σ = p ∗ N(0, σ²I) with σ = {sigmas[0]:.3g}: "
                   "the target every configuration trains towards")
        else:
            text = "rel. F vs own ∇log q"
            tip = ("F = E_q‖s_θ − ∇log q‖² relative to E_q‖∇log q‖², each configuration against its own target q "
                   "(p, or p_σ = p ∗ N(0, σ²I) for a noise level σ); the cell's tooltip names it")
        item = QtWidgets.QTableWidgetItem(text)
        item.setToolTip(tip)
        self.setHorizontalHeaderItem(self.REL_F, item)
        self._fit_minimum()

    def _fit_minimum(self) -> None:
        """At least as wide as the number columns and a short label column (nothing hidden)."""
        head = self.horizontalHeader()
        numbers = sum(max(head.sectionSizeHint(j), self.sizeHintForColumn(j)) for j in range(1, self.columnCount()))
        label = max(head.sectionSizeHint(0), 90)
        self.setMinimumWidth(max(300, numbers + label + 2 * self.frameWidth() + 4))

    def show_frame(self, frame) -> None:
        last = {}
        for p in frame.curves:
            last[p.objective] = p
        self.set_targets(tuple(getattr(c, "sigma", 0.0) for c in frame.configs))
        if self.rowCount() != len(frame.configs):
            self.setRowCount(len(frame.configs))
        for i, c in enumerate(frame.configs):
            p = last.get(c.label)
            rate = c.steps_per_s
            values = (c.label, f"{c.steps:,}", _num(c.loss), _num(p.relative_fisher_divergence if p else None),
                      "—" if rate is None else f"{rate:,.0f}", f"{c.seconds:.1f}")
            for j, text in enumerate(values):
                item = self.item(i, j)
                if item is None:
                    item = QtWidgets.QTableWidgetItem()
                    item.setTextAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
                                          if j else QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter)
                    self.setItem(i, j, item)
                if item.text() != text:
                    item.setText(text)
            sig = float(getattr(c, "sigma", 0.0) or 0.0)
            self.item(i, 0).setToolTip(c.label)
            self.item(i, self.REL_F).setToolTip("against ∇log p" if sig == 0 else f"against ∇log p_σ, σ = {sig:.3g}")
            self.item(i, 0).setForeground(QtGui.QColor(config_colour(i)))
        self._fit_minimum()

    def row_texts(self, row: int) -> list[str]:
        return [self.item(row, j).text() if self.item(row, j) else "" for j in range(self.columnCount())]


def _num(v) -> str:
    import math

    return "—" if v is None or not math.isfinite(v) else f"{v:.4g}"


# ============================================================================ window
class CompareWindow(LiveWindow, QtWidgets.QMainWindow):
    """The compare window. ``start()`` launches the worker; closing stops and joins it.

    cfg: the base SessionConfig (density spec, model, optimiser, batch, seed, device); its objective
    is the first configuration unless ``objectives`` (2 to 4 ObjectiveConfigs) is given.
    density: a density object that overrides ``cfg.density`` (a drawing, an image, an expression).
    threads: torch threads for training (1: the other core draws).
    """

    figureSaved = QtCore.Signal(str, bool)  # (path, written) after save_figure()

    # F1: one line per panel and metric (q: a configuration's own target, p or p_σ = p ∗ N(0, σ²I))
    HELP_PANELS = (
        ("Learned score", "each configuration's field s<sub>θ</sub> (its colour in the table and the curves), "
                          "on one shared magnitude scale so the columns compare"),
        ("True score", "∇log p (or ∇log p_σ when every configuration trains towards the same p_σ)"),
        ("Density", "log p of the target; with Draw on, paint it here"),
        ("Error", "log₁₀ ‖s<sub>θ</sub> − ∇log q‖ per configuration, against its own target q (its title says which)"),
        ("Curves", "relative Fisher divergence against steps (every configuration makes the same steps) "
                   "and against its own training time"),
    )
    HELP_METRICS = (
        ("rel. F", "F / E‖∇log q‖², F = E<sub>q</sub>‖s<sub>θ</sub> − ∇log q‖²: 0 is a perfect score, 1 is as wrong "
                   "as a zero field; measured every K steps on fresh samples"),
        ("loss", "the objective's own loss (levels differ between objectives: compare rel. F instead)"),
        ("steps/s", "each configuration's own training speed"),
        ("train s", "the seconds its own steps took"),
    )

    def __init__(self, cfg, density=None, objectives=None, threads: int | None = 1, autoplay: bool = False,
                 eval_every: int = DEFAULT_EVAL_EVERY, parent=None):
        super().__init__(parent)
        self.setWindowTitle("scoreviz — compare objectives")
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
        self.picker = ConfigPicker(objectives, cfg.model.activation)
        self.picker.configsApplied.connect(lambda objs: self.worker.post("configs", objs))
        self.density = DensitySection(cfg.density)
        if density is not None:  # the target in force (cfg.density may name the one before it)
            self.density.show_density(density)
            self.density._followed = density
        else:
            self.density.set_current(cfg.density)
            if cfg.density in self.density.presets:
                self.density.set_preset(cfg.density, cfg.density_params)
        self.density.densityRequested.connect(self._density_requested)
        self.density.drawingActive.connect(self._drawing_active)
        self.density.clearDrawing.connect(self._clear_drawing)
        self.density.undoDrawing.connect(self._undo_stroke)
        self.density.openImageRequested.connect(self.open_image_dialog)  # images only
        self.run_section = self._run_section(cfg, eval_every)
        self.display_section = self._display_section()
        inner = QtWidgets.QWidget()
        col = QtWidgets.QVBoxLayout(inner)
        col.setContentsMargins(4, 4, 4, 4)
        col.setSpacing(6)
        for w in (self.picker, self.run_section, self.density, self.display_section):
            col.addWidget(w)
        col.addStretch(1)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        scroll.setMinimumWidth(320)
        dock = QtWidgets.QDockWidget("Compare", self)
        dock.setObjectName("compareDock")
        dock.setWidget(scroll)
        dock.setFeatures(QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.dock = dock

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
        import shiboken6

        if parent is not None:
            for w in parent.findChildren(CompareWindow):
                if shiboken6.isValid(w) and not w._closed:
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

    def _run_section(self, cfg, eval_every: int) -> Section:
        sec = Section("Run", "Seed and measurement of the comparison (the model, optimiser and batch come from "
                      "the main window).")
        m = cfg.model
        info = QtWidgets.QLabel(f"model {m.hidden}×{m.layers} {m.activation} {m.parametrization} · "
                                f"lr {cfg.lr:g} · batch {cfg.batch}")
        info.setStyleSheet(f"color: {style.MUTED};")
        info.setWordWrap(True)
        sec.form.addRow(info)
        self.seed = limited_spin_box("seed", int(cfg.seed))
        self.seed.setToolTip("One seed for every configuration: the same initial model and the same data batches; "
                             "changing it starts over")
        self.seed.valueChanged.connect(lambda s: self.worker.post("seed", int(s)))
        sec.form.addRow("Seed:", self.seed)
        self.eval_every = limited_spin_box("eval_every", int(eval_every))
        self.eval_every.setSuffix(" steps")
        self.eval_every.setKeyboardTracking(False)
        self.eval_every.setToolTip("Measure the Fisher divergences every K steps (10 000 samples each; also when paused)")
        self.eval_every.valueChanged.connect(lambda k: self.worker.post("eval_every", int(k)))
        sec.form.addRow("Fisher every:", self.eval_every)
        return sec

    def _display_section(self) -> Section:
        """The main window's Display section without the error toggle (every error panel is shown):
        arrow scale, the auto arrow grid (about one arrow per 20 device px) or an override, smoothing."""
        d = DisplaySection(grid=DEFAULT_GRID, error_toggle=False)
        self.display = d
        self.grid, self.unit, self.antialias = d.grid, d.unit, d.antialias
        d.gridChanged.connect(self._grid_changed)
        d.scaleModeChanged.connect(self.panels.set_scale_mode)
        d.antialiasChanged.connect(self.panels.set_antialias)
        self.panels.sigArrowGridChanged.connect(d.set_auto_value)
        d.set_auto_value(self.panels.auto_arrow_grid())
        self.evaluator.set_view(grid=int(d.grid_value()))
        return d

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
            self.statusBar().showMessage("Press Space (or Play) to train every configuration side by side.", 8000)

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
        key = (len(self.panels._labels), self.panels.width())
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
        self.act_play = A("Play", self.toggle_play, ["Space"], "Train every configuration / pause")
        self._icons = {on: self.style().standardIcon(
            QtWidgets.QStyle.StandardPixmap.SP_MediaPause if on else QtWidgets.QStyle.StandardPixmap.SP_MediaPlay)
            for on in (True, False)}
        self.act_play.setIcon(self._icons[False])
        self.act_step = A("Step", self.step_once, ["S", "Right"], "One step of every configuration")
        self.act_step.setIcon(self.style().standardIcon(QtWidgets.QStyle.StandardPixmap.SP_MediaSkipForward))
        self.act_reset = A("Reset", self.reset, ["R", "Ctrl+R"], "Start over: fresh models from the seed, step 0")
        self.act_reset.setIcon(self.style().standardIcon(QtWidgets.QStyle.StandardPixmap.SP_BrowserReload))
        self.act_faster = A("Faster", lambda: self._nudge_speed(-1), ["+"], "Raise the training-speed limit")
        self.act_slower = A("Slower", lambda: self._nudge_speed(+1), ["-"], "Lower the training-speed limit")
        self.act_apply = A("Compare these configurations", self.picker.apply_configs, ["Ctrl+Return"],
                           "Apply the configurations in the dock (fresh models, step 0)")
        # one meaning per shortcut in every window: Ctrl+E exports the figure (as in the main window),
        # Ctrl+S / Ctrl+Shift+S save sessions there and mean nothing here
        self.act_save_figure = A("Save figure…", self.save_figure_dialog, ["Ctrl+E"],
                                 "The fields and the curves as a PNG (as scoreviz compare writes compare.png)")
        self.act_save_curves = A("Save curves as CSV…", self.save_curves_dialog, ["Ctrl+Alt+C"],
                                 "Every Fisher measurement: objective, step, seconds, loss, F, relative F")
        self.act_save_summary = A("Save summary as JSON…", self.save_summary_dialog, [],
                                  "Final values and steps per second per configuration (as summary.json)")
        self.act_open = A("Open image or density…", self.open_file_dialog, ["Ctrl+O"],
                          "Open a PNG/JPEG image or a .json density file as the target")
        self.act_close = A("Close", self.close, ["Ctrl+W"], "Close the compare window")
        self.act_unit = A("Unit arrows", self.unit.setChecked, ["U"], "Arrows of equal length: direction only",
                          checkable=True)
        self.unit.toggled.connect(self.act_unit.setChecked)
        self.act_view = A("Reset view", self.panels.reset_view, ["Home"], "Zoom to the density's box")
        self.act_undo = A("Undo stroke", self._undo_stroke, ["Ctrl+Z"], "Take back the last brush stroke")
        self.act_bigger = A("Bigger brush", lambda: self._nudge_brush(1.25), ["]"], "Brush radius × 1.25")
        self.act_smaller = A("Smaller brush", lambda: self._nudge_brush(0.8), ["["], "Brush radius × 0.8")
        self.act_keys = A("Keyboard shortcuts", self.show_shortcuts, ["F1"], "List the keyboard shortcuts")
        from scoreviz.gui.recording.recorder import RecordController

        # Record (Ctrl+Shift+R) captures the whole comparison: panels, curves and table
        self.recorder = RecordController(self, lambda: self.splitter)

        tb = QtWidgets.QToolBar("Run")
        tb.setObjectName("compareToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(tb)
        for a in (self.act_play, self.act_step, self.act_reset):
            tb.addAction(a)
        tb.addSeparator()
        tb.addWidget(QtWidgets.QLabel(" Speed: "))
        self.speed = QtWidgets.QComboBox()
        for value, text in SPEEDS:
            self.speed.addItem(text, value)
        self.speed.setToolTip("Limit of comparison steps per second (each configuration makes one step per "
                              "comparison step) (+ / −)")
        self.speed.currentIndexChanged.connect(self._speed_changed)
        tb.addWidget(self.speed)
        tb.addSeparator()
        tb.addAction(self.act_view)
        tb.addAction(self.act_unit)
        tb.addSeparator()
        tb.addAction(self.act_save_figure)
        self.recorder.add_to_toolbar(tb)
        self.toolbar = tb

        mb = self.menuBar()
        m = mb.addMenu("&File")
        for a in (self.act_open, self.act_save_figure, self.act_save_curves, self.act_save_summary):
            m.addAction(a)
        m.addSeparator()
        self.recorder.add_to_menu(m)
        m.addSeparator()
        m.addAction(self.act_close)
        m = mb.addMenu("&Run")
        for a in (self.act_play, self.act_step, self.act_reset, self.act_faster, self.act_slower, self.act_apply):
            m.addAction(a)
        m = mb.addMenu("&View")
        for a in (self.act_unit, self.act_view):
            m.addAction(a)
        m.addAction(self.dock.toggleViewAction())
        m = mb.addMenu("&Draw")
        for a in (self.act_undo, self.act_bigger, self.act_smaller):
            m.addAction(a)
        m = mb.addMenu("&Help")
        m.addAction(self.act_keys)

    def _build_status_bar(self) -> None:
        self._add_status_labels((
            ("step", "Steps of every configuration since the last reset"),
            ("speed", "Comparison steps per second (each configuration makes one per comparison step)"),
            ("fps", "Frames drawn per second"), ("device", "Where training runs")))
        self._set_status(0, 0.0, 0.0, "starting…")

    def _set_status(self, step, speed, fps, device) -> None:
        L = self.status_labels
        L["step"].setText(f"step {step:,}")
        L["speed"].setText(f"{speed:,.0f} steps/s")
        L["fps"].setText(f"{fps:.0f} fps")
        L["device"].setText(device)

    # ================================================================== run controls
    def _post(self, name: str, arg=None) -> None:
        self.worker.post(name, arg)

    def _density_controls(self):
        return self.density

    def reset(self) -> None:
        self.banner.hide()
        self.worker.post("reset")

    def set_objectives(self, objectives) -> None:
        """Compare these configurations (fresh models, step 0); also shown in the picker."""
        self.picker.set_applied(objectives)
        self.worker.post("configs", list(objectives))

    def _grid_changed(self, n: int) -> None:
        self.evaluator.set_view(grid=int(n))

    def _view_box_changed(self, box) -> None:
        self.evaluator.set_view(box=tuple(box))

    def _density_requested(self, density, how: str) -> None:
        self.worker.post("density", density)
        self.density.set_current(getattr(density, "name", how))

    # ================================================================== worker reports
    def _worker_failed(self, text: str) -> None:
        self.banner.show_message(text)
        self.statusBar().showMessage(text, 10000)

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
            self.worker.post("warm_up")
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
        self.statusBar().showMessage("Drawing: left-drag on the density panel paints, right-drag erases; every "
                                     "configuration starts over on the painted target.", 8000)

    def _brush_hover(self, pos) -> None:
        self.panels.show_brush_cursor(pos, self.density.brush()[0])

    # ================================================================== files
    def open_file_dialog(self) -> None:
        from scoreviz.gui import app_data

        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, "Open an image or a density file", app_data.default_folder("images"),
            "Images and densities (*.png *.jpg *.jpeg *.json);;Images (*.png *.jpg *.jpeg);;Density files (*.json)")
        if path:
            app_data.remember_folder("images", path)
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        ok = self.density.load_image(path)
        if not ok:
            self.statusBar().showMessage(self.density.image_error.text(), 8000)
        return ok

    def save_figure(self, path: str, size: tuple[int, int] = FIGURE_SIZE) -> None:
        """Ask the worker for a full-precision frame over the density's box; the PNG is written when it
        arrives (``figureSaved(path, ok)``; the status bar says so)."""
        self.worker.post("figure", (str(path), tuple(size), self.display.grid_value()))

    def _write_figure(self, job) -> None:
        from scoreviz.core.atomic import write_bytes

        path, size, frame = job
        try:
            write_bytes(path, render_frame_png(frame, size))
        except Exception as e:
            self.statusBar().showMessage(f"could not write {path}: {str(e).splitlines()[0]}", 8000)
            self.figureSaved.emit(path, False)
            return
        self.statusBar().showMessage(f"saved {path}", 6000)
        self.figureSaved.emit(path, True)

    def save_curves(self, path: str) -> bool:
        """The curves so far as CSV (the columns of ``scoreviz compare``'s curves.csv), written atomically."""
        from scoreviz.core.atomic import write_text
        from scoreviz.core.compare import curves_csv_text

        f = self.last_frame
        if f is None:
            return False
        try:
            write_text(path, curves_csv_text(list(f.curves)))
        except Exception as e:
            self.statusBar().showMessage(f"could not write {path}: {str(e).splitlines()[0]}", 8000)
            return False
        self.statusBar().showMessage(f"saved {path}", 6000)
        return True

    def save_summary(self, path: str) -> None:
        """The summary (as summary.json) is written by the worker, which owns the comparison."""
        self.worker.post("summary", str(path))

    def _ask_path(self, title: str, name: str, pattern: str, suffix: str, kind: str = "exports") -> str | None:
        """A save dialog in the folder last used for ``kind``, else the platform's Pictures (figures)
        or Documents folder (``app_data.default_folder``), never the home root or the working folder."""
        import os

        from scoreviz.gui import app_data

        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, title, os.path.join(app_data.default_folder(kind), name),
                                                        pattern)
        if not path:
            return None
        app_data.remember_folder(kind, path)
        return path if path.lower().endswith(suffix) else path + suffix

    def save_figure_dialog(self) -> None:
        path = self._ask_path("Save the comparison figure", "compare.png", "PNG (*.png)", ".png", kind="figures")
        if path:
            self.save_figure(path)

    def save_curves_dialog(self) -> None:
        path = self._ask_path("Save the curves", "curves.csv", "CSV (*.csv)", ".csv")
        if path:
            self.save_curves(path)

    def save_summary_dialog(self) -> None:
        path = self._ask_path("Save the summary", "summary.json", "JSON (*.json)", ".json")
        if path:
            self.save_summary(path)
