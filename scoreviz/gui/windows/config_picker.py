"""The compare window's configuration picker: 2 to 4 objectives with their parameters, applied together.

``ConfigPicker(objectives)`` is a dock section of ``ConfigRow``s (an objective and the parameters it
uses, with its colour in the panels and curves); "Compare" emits ``configsApplied([ObjectiveConfig])``
when the configurations can be compared (different from each other and from those applied).
``default_objectives`` is the window's first pair.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6 import QtCore, QtWidgets

from scoreviz.core.compare import label
from scoreviz.core.errors import ScorevizError
from scoreviz.core.objectives import OBJECTIVE_INFO, PROJECTIONS, ObjectiveConfig
from scoreviz.gui import style
from scoreviz.gui.i18n import line_of, tr
from scoreviz.gui.views.compare_panels import config_colour
from scoreviz.gui.controls.section import Section, compatible, error_label, show_error
from scoreviz.gui.controls.widgets import limited_spin_box
from scoreviz.live.compare_trainer import MAX_GUI_CONFIGS

MIN_GUI_CONFIGS = 2


def default_objectives(base, activation: str = "silu") -> list:
    """The window's first pair: the single view's objective and a contrasting one."""
    first = replace(base)
    if first.name != "dsm":
        second = ObjectiveConfig(name="dsm", sigma=base.sigma)
    elif compatible("ssm", activation):
        second = ObjectiveConfig(name="ssm")
    else:
        second = ObjectiveConfig(name="esm")
    return [first, second]


class ConfigRow(QtWidgets.QFrame):
    """One configuration: an objective and the parameters it uses (ranges from the core's limits)."""

    changed = QtCore.Signal()
    removeRequested = QtCore.Signal(object)

    def __init__(self, objective, activation: str = "silu", parent=None):
        super().__init__(parent)
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
            tip = tr("{description}\nloss: {formula}").format(description=tr(info.description), formula=info.formula)
            self.name.setItemData(i, tip, QtCore.Qt.ItemDataRole.ToolTipRole)
            if not compatible(name, activation):  # e.g. ism/ssm with ReLU: the core refuses them
                self.name.model().item(i).setEnabled(False)
        self.name.setToolTip(tr("Objective of this configuration"))
        self.remove = QtWidgets.QToolButton()
        self.remove.setText("×")
        self.remove.setAutoRaise(True)
        self.remove.setToolTip(tr("Remove this configuration"))
        grid.addWidget(self.swatch, 0, 0)
        grid.addWidget(self.name, 0, 1, 1, 4)
        grid.addWidget(self.remove, 0, 5)

        self.sigma = limited_spin_box("sigma", objective.sigma, log=True)
        self.sigma.setToolTip(tr("dsm noise level σ: the model learns the score of p_σ = p ∗ N(0, σ²I)"))
        self.projections = limited_spin_box("projections", objective.projections)
        self.projections.setToolTip(tr("ssm / ssm-vr: random projections per sample"))
        self.projection = QtWidgets.QComboBox()
        self.projection.addItems(list(PROJECTIONS))
        self.projection.setCurrentText(objective.projection)
        self.projection.setToolTip(tr("Distribution of the projections v"))
        self.sigma_max = limited_spin_box("sigma_max", objective.sigma_max, log=True)
        self.sigma_max.setToolTip(tr("ncsn: largest noise level σ_max (> σ_min)"))
        self.sigma_min = limited_spin_box("sigma_min", objective.sigma_min, log=True)
        self.sigma_min.setToolTip(tr("ncsn: smallest noise level σ_min (the field is shown at σ_min)"))
        self.levels = limited_spin_box("levels", objective.levels)
        self.levels.setToolTip(tr("ncsn: number of geometric noise levels"))
        self._params = {"sigma": ("σ", self.sigma), "projections": (tr("proj."), self.projections),
                        "projection": ("", self.projection), "sigma_max": ("σ max", self.sigma_max),
                        "sigma_min": ("σ min", self.sigma_min), "levels": (tr("levels"), self.levels)}
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
        return ObjectiveConfig(name=self.name.currentText(), sigma=self.sigma.value(), sigma_max=self.sigma_max.value(),
                               sigma_min=self.sigma_min.value(), levels=self.levels.value(),
                               projections=self.projections.value(), projection=self.projection.currentText())


class ConfigPicker(Section):
    """2 to 4 configurations; "Compare" applies them (all start over from the seed together)."""

    configsApplied = QtCore.Signal(list)  # [ObjectiveConfig, ...]

    def __init__(self, objectives, activation: str = "silu", parent=None):
        super().__init__(tr("Configurations"), tr("The objectives compared: the same density, seed, model and data "
                                                  "batches for all; each gets the same number of steps."), parent)
        self._activation = activation
        self.rows: list[ConfigRow] = []
        self.rows_box = QtWidgets.QVBoxLayout()
        self.rows_box.setSpacing(3)
        self.form.addRow(self.rows_box)
        buttons = QtWidgets.QHBoxLayout()
        self.add = QtWidgets.QPushButton(tr("Add"))
        self.add.setToolTip(tr("Another configuration (at most {n})").format(n=MAX_GUI_CONFIGS))
        self.apply = QtWidgets.QPushButton(tr("Compare"))
        self.apply.setToolTip(tr("Train these configurations side by side, from fresh models (Ctrl+Return)"))
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
        out = []
        for i, r in enumerate(self.rows):
            try:
                out.append(r.config())
            except ScorevizError as e:
                text = tr("configuration {n}: {error}").format(n=i + 1, error=line_of(e))
                raise ScorevizError(text) from None
        labels = [label(o) for o in out]
        dupes = [lab for lab in labels if labels.count(lab) > 1]
        if dupes:
            raise ScorevizError(tr("{label} is listed twice: give each configuration a different objective or "
                                   "setting").format(label=dupes[0]))
        if not MIN_GUI_CONFIGS <= len(out) <= MAX_GUI_CONFIGS:
            raise ScorevizError(tr("compare {lo} to {hi} configurations").format(lo=MIN_GUI_CONFIGS,
                                                                                  hi=MAX_GUI_CONFIGS))
        return out

    def _validate(self) -> bool:
        try:
            cfgs = self.configs()
        except Exception as e:
            show_error(self.error, line_of(e))
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

