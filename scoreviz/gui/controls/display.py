"""The display section of the dock: how the fields are drawn (never changes training).

``DisplaySection`` sets the arrow scale (``SCALE_MODES``: linear, log, direction only), the arrow
grid (auto from the panels' size, or a fixed override within the core's ``arrow_grid`` limit), the
error panel and smoothing, and keeps them in a session file (``state``, ``apply_state``).
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from scoreviz.core import limits
from scoreviz.gui.controls.section import Section
from scoreviz.gui.controls.widgets import limited_spin_box, range_tip
from scoreviz.gui.i18n import N_, tr
from scoreviz.gui.items.field_scale import SCALE_MODES


class DisplaySection(Section):
    """How the fields are drawn: arrow scale (linear, log, direction only), the arrow grid (auto, from
    the panels' size in device pixels, or a fixed override), the error panel and smoothing."""

    gridChanged = QtCore.Signal(int)  # the arrow grid in force (auto or the override)
    unitChanged = QtCore.Signal(bool)  # direction only on / off
    scaleModeChanged = QtCore.Signal(str)
    errorPanelChanged = QtCore.Signal(bool)
    antialiasChanged = QtCore.Signal(bool)
    trailsChanged = QtCore.Signal(bool)

    SCALE_LABELS = {"linear": N_("linear"), "log": N_("log"), "direction": N_("direction only")}  # mode: its label

    def __init__(self, grid: int = 64, error_toggle: bool = True, parent=None):
        """``error_toggle``: offer the error panel's check box (the compare window always shows its errors)."""
        super().__init__(tr("Display"), tr("How the fields are drawn (never changes training)."), parent)
        self.scale = QtWidgets.QComboBox()
        for mode, label in self.SCALE_LABELS.items():
            self.scale.addItem(tr(label), mode)
            self.scale.setItemData(self.scale.count() - 1, tr(SCALE_MODES[mode]), QtCore.Qt.ItemDataRole.ToolTipRole)
        self.scale.setToolTip(tr("Arrow length and colour against the field's scale where the density lives "
                                 "(the 95 % density-weighted quantile of |s| in view): linear, log10 over "
                                 "three decades, or equal lengths with colour only (U)"))
        self.auto_grid = QtWidgets.QCheckBox(tr("auto"))
        self.auto_grid.setChecked(True)
        self.auto_grid.setToolTip(tr("One arrow about every 20 device pixels, recomputed when the panels change size"))
        self.grid = limited_spin_box("arrow_grid", grid, step=4)
        self.grid.setToolTip(range_tip(tr("Arrows per axis on the field panels; editing it turns auto off"),
                                        "arrow_grid"))
        row = QtWidgets.QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.auto_grid)
        row.addWidget(self.grid, 1)
        grid_row = QtWidgets.QWidget()
        grid_row.setLayout(row)
        self.unit = QtWidgets.QCheckBox(tr("Unit-length arrows (direction only)"))
        self.unit.setToolTip(tr("Draw every arrow the same length; colour still shows the magnitude (U)"))
        self.error = QtWidgets.QCheckBox(tr("Error panel log₁₀‖s_θ − ∇log q‖"))
        self.error.setToolTip(tr("A fourth panel: where the learned score is wrong, on a log colour scale (E)"))
        self.antialias = QtWidgets.QCheckBox(tr("Smooth arrows"))
        self.antialias.setChecked(True)
        self.antialias.setToolTip(tr("Antialiased arrows (slightly slower to draw)"))
        self.trails = QtWidgets.QCheckBox(tr("Particle trails"))
        self.trails.setChecked(True)
        self.trails.setToolTip(tr("The recent paths of some particles, fading with age: how the sampler moves them"))
        self.form.addRow(tr("Arrows:"), self.scale)
        self.form.addRow(tr("Arrow grid:"), grid_row)
        self.form.addRow(self.unit)
        if error_toggle:
            self.form.addRow(self.error)
        self.form.addRow(self.antialias)
        if error_toggle:  # the main window's particles panel
            self.form.addRow(self.trails)
        self._auto_value = int(self.grid.value())
        self._setting = False
        self.grid.valueChanged.connect(self._grid_edited)
        self.auto_grid.toggled.connect(self._auto_toggled)
        self.scale.currentIndexChanged.connect(self._scale_picked)
        self.unit.toggled.connect(self._unit_toggled)
        self.error.toggled.connect(self.errorPanelChanged)
        self.antialias.toggled.connect(self.antialiasChanged)
        self.trails.toggled.connect(self.trailsChanged)

    # ---------------------------------------------------------------- arrow grid
    def grid_value(self) -> int:
        """The arrow grid in force: the auto value, or the override."""
        return self._auto_value if self.auto_grid.isChecked() else int(self.grid.value())

    def set_auto_value(self, n: int) -> None:
        """The panels' auto grid (shown in the box while auto is on)."""
        self._auto_value = int(n)
        if self.auto_grid.isChecked():
            self._show_grid(n)
            self.gridChanged.emit(self.grid_value())

    def _show_grid(self, n: int) -> None:
        self._setting = True
        try:
            self.grid.setValue(int(n))
        finally:
            self._setting = False

    def _grid_edited(self, n: int) -> None:
        if self._setting:
            return
        if self.auto_grid.isChecked():
            self.auto_grid.blockSignals(True)
            self.auto_grid.setChecked(False)
            self.auto_grid.blockSignals(False)
        self.gridChanged.emit(self.grid_value())

    def _auto_toggled(self, on: bool) -> None:
        if on:
            self._show_grid(self._auto_value)
        self.gridChanged.emit(self.grid_value())

    # ---------------------------------------------------------------- scale
    def scale_mode(self) -> str:
        return self.scale.currentData()

    def set_scale_mode(self, mode: str) -> None:
        i = self.scale.findData(mode)
        if i >= 0:
            self.scale.setCurrentIndex(i)

    def _scale_picked(self, _i: int) -> None:
        mode = self.scale_mode()
        self.unit.blockSignals(True)
        self.unit.setChecked(mode == "direction")
        self.unit.blockSignals(False)
        self.unitChanged.emit(mode == "direction")
        self.scaleModeChanged.emit(mode)

    def _unit_toggled(self, on: bool) -> None:
        if on:
            self.set_scale_mode("direction")
        elif self.scale_mode() == "direction":
            self.set_scale_mode("linear")

    # ---------------------------------------------------------------- sessions
    def state(self) -> dict:
        """What a session file keeps of this section."""
        return {"grid": int(self.grid.value()), "grid_auto": self.auto_grid.isChecked(),
                "scale": self.scale_mode(), "error": self.error.isChecked(), "unit": self.unit.isChecked(),
                "antialias": self.antialias.isChecked(), "trails": self.trails.isChecked()}

    def apply_state(self, view: dict) -> None:
        """Restore ``state()``; unknown or bad entries are ignored (a file may be hand-edited)."""
        # files from before the auto grid saved the old fixed default: they get auto
        if isinstance(view.get("grid_auto"), bool):
            grid = view.get("grid")
            if not view["grid_auto"] and isinstance(grid, int) and not isinstance(grid, bool):
                lo, hi = limits.bounds("arrow_grid")
                self.grid.setValue(min(max(grid, lo), hi))  # the override: auto off
            self.auto_grid.setChecked(view["grid_auto"])
        if view.get("scale") in self.SCALE_LABELS:
            self.set_scale_mode(view["scale"])
        for key, box in (("error", self.error), ("unit", self.unit), ("antialias", self.antialias),
                         ("trails", self.trails)):
            if isinstance(view.get(key), bool):
                box.setChecked(view[key])
