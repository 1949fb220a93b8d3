"""The compare window's dock: the configuration picker, the run settings, the density and the display.

``CompareDock`` is a mixin of ``CompareWindow``: ``_build_dock`` makes the dock's sections (a
``ConfigPicker``, the Run section with the seed and the Fisher interval, the main window's density
section, and its Display section without the error toggle) and connects them to the window.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from scoreviz.gui import style
from scoreviz.gui.controls.density import DensitySection
from scoreviz.gui.controls.display import DisplaySection
from scoreviz.gui.controls.section import Section
from scoreviz.gui.controls.widgets import limited_spin_box
from scoreviz.gui.i18n import tr
from scoreviz.gui.windows.config_picker import ConfigPicker
from scoreviz.live.commands import SetConfigs, SetEvalEvery, SetSeed
from scoreviz.live.compare_display import DEFAULT_GRID


class CompareDock:
    """The dock of the compare window (a mixin: it keeps its widgets on the window)."""

    def _build_dock(self, cfg, density, objectives, eval_every: int) -> None:
        """The dock: configurations, run settings, density, display (in that order, scrolling)."""
        self.picker = ConfigPicker(objectives, cfg.model.activation)
        self.picker.configsApplied.connect(lambda objs: self.worker.post(SetConfigs(objs)))
        self.density = DensitySection(cfg.density)
        if density is not None:  # the target in force (cfg.density may name the one before it)
            self.density.show_in_force(density)
        else:
            self.density.set_current(cfg.density)
            if cfg.density in self.density.presets:
                self.density.set_preset(cfg.density, cfg.density_params)
        self.density.densityRequested.connect(self._density_requested)
        self.density.drawingActive.connect(self._drawing_active)
        self.density.clearDrawing.connect(self._clear_drawing)
        self.density.undoDrawing.connect(self._undo_stroke)
        self.density.openImageRequested.connect(self.open_image_dialog)  # images only
        # an image or density file is read in a job: its refusal arrives later
        self.density.imageRefused.connect(lambda reason: self.statusBar().showMessage(reason, 8000))
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
        dock = QtWidgets.QDockWidget(tr("Compare"), self)
        dock.setObjectName("compareDock")
        dock.setWidget(scroll)
        dock.setFeatures(QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.dock = dock

    def _run_section(self, cfg, eval_every: int) -> Section:
        sec = Section(tr("Run"), tr("Seed and measurement of the comparison (the model, optimiser and batch come "
                                    "from the main window)."))
        m = cfg.model
        info = QtWidgets.QLabel(tr("model {hidden}×{layers} {activation} {parametrization} · lr {lr:g} · batch {batch}")
                                .format(hidden=m.hidden, layers=m.layers, activation=m.activation,
                                        parametrization=m.parametrization, lr=cfg.lr, batch=cfg.batch))
        info.setStyleSheet(f"color: {style.MUTED};")
        info.setWordWrap(True)
        sec.form.addRow(info)
        self.seed = limited_spin_box("seed", int(cfg.seed))
        self.seed.setToolTip(tr("One seed for every configuration: the same initial model and the same data "
                                "batches; changing it starts over"))
        self.seed.valueChanged.connect(lambda s: self.worker.post(SetSeed(int(s))))
        sec.form.addRow(tr("Seed:"), self.seed)
        self.eval_every = limited_spin_box("eval_every", int(eval_every))
        self.eval_every.setSuffix(tr(" steps"))
        self.eval_every.setKeyboardTracking(False)
        self.eval_every.setToolTip(tr("Measure the Fisher divergences every K steps (10 000 samples each; "
                                      "also when paused)"))
        self.eval_every.valueChanged.connect(lambda k: self.worker.post(SetEvalEvery(int(k))))
        sec.form.addRow(tr("Fisher every:"), self.eval_every)
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
