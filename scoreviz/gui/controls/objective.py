"""The objective section of the dock: which score-matching loss the model minimises.

``ObjectiveSection`` lists the core's objectives (``OBJECTIVE_INFO``) with their formulas, shows
the settings the chosen one uses (σ, the ncsn levels, the projections) and emits an
``ObjectiveConfig``; objectives the core refuses with the model's activation are disabled.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from scoreviz.core.objectives import OBJECTIVE_INFO, PROJECTIONS, WEIGHTINGS, ObjectiveConfig
from scoreviz.core.sde import KINDS as SDE_KINDS
from scoreviz.core.sde import SDE_DESCRIPTIONS
from scoreviz.gui import style
from scoreviz.gui.controls.section import Section, compatible, error_label
from scoreviz.gui.controls.widgets import connect_changed, limited_spin_box, range_tip
from scoreviz.gui.i18n import tr


class ObjectiveSection(Section):
    """The objective and the settings it uses (the other rows hide); emits an ObjectiveConfig."""

    objectiveChanged = QtCore.Signal(object)

    def __init__(self, cfg, parent=None):
        super().__init__(tr("Objective"), tr("The score-matching loss the model minimises."), parent)
        self._info = OBJECTIVE_INFO
        self.name = QtWidgets.QComboBox()
        for i, (name, info) in enumerate(OBJECTIVE_INFO.items()):
            self.name.addItem(name)
            self.name.setItemData(i, tr("{description}\nloss: {formula}").format(description=tr(info.description),
                                                                                  formula=info.formula),
                                  QtCore.Qt.ItemDataRole.ToolTipRole)
        self.name.setToolTip(tr("Objective: esm (explicit), ism (implicit), ssm / ssm-vr (sliced), dsm (denoising), "
                                "ncsn (multi-level denoising; noise-conditional model), sde (continuous time: "
                                "a time-conditional model, a time axis under the panels)"))
        self.form.addRow(tr("Objective:"), self.name)
        self.formula = QtWidgets.QLabel()
        self.formula.setWordWrap(True)
        self.formula.setStyleSheet(f"color: {style.MUTED};")
        self.form.addRow(self.formula)

        self.sigma = limited_spin_box("sigma", cfg.sigma, log=True)
        self.sigma.setToolTip(range_tip(tr("dsm noise level σ: the model learns the score of p_σ = p ∗ N(0, σ²I)"),
                                         "sigma"))
        self.sigma_max = limited_spin_box("sigma_max", cfg.sigma_max, log=True)
        self.sigma_max.setToolTip(range_tip(tr("ncsn: largest noise level σ_max (> σ_min)"), "sigma_max"))
        self.sigma_min = limited_spin_box("sigma_min", cfg.sigma_min, log=True)
        self.sigma_min.setToolTip(range_tip(tr("ncsn: smallest noise level σ_min (the field is shown at σ_min)"),
                                             "sigma_min"))
        self.levels = limited_spin_box("levels", cfg.levels)
        self.levels.setToolTip(range_tip(tr("ncsn: number of geometric noise levels from σ_max to σ_min"), "levels"))
        self.projections = limited_spin_box("projections", cfg.projections)
        self.projections.setToolTip(range_tip(
            tr("ssm / ssm-vr: random projections v per sample (more = less variance, slower)"), "projections"))
        self.projection = QtWidgets.QComboBox()
        self.projection.addItems(list(PROJECTIONS))
        self.projection.setCurrentText(cfg.projection)
        self.projection.setToolTip(tr("Distribution of the projections v (all with E[vvᵀ] = I)"))
        self.sde = QtWidgets.QComboBox()
        for i, kind in enumerate(SDE_KINDS):
            self.sde.addItem(kind)
            self.sde.setItemData(i, tr(SDE_DESCRIPTIONS[kind]), QtCore.Qt.ItemDataRole.ToolTipRole)
        self.sde.setCurrentText(cfg.sde)
        self.sde.setToolTip(tr("sde: the forward process from data (t = ε) to the prior (t = 1): ve (σ_min, σ_max; "
                               "σ_max should be as wide as the data), vp or subvp (β_min, β_max)"))
        self.beta_min = limited_spin_box("beta_min", cfg.beta_min, step=0.05)
        self.beta_min.setToolTip(range_tip(tr("vp / subvp: β(0), the noise rate at the data end"), "beta_min"))
        self.beta_max = limited_spin_box("beta_max", cfg.beta_max, log=True)
        self.beta_max.setToolTip(range_tip(tr("vp / subvp: β(1), the noise rate at the prior end (≥ β_min)"),
                                            "beta_max"))
        self.weighting = QtWidgets.QComboBox()
        self.weighting.addItems(list(WEIGHTINGS))
        self.weighting.setCurrentText(cfg.weighting)
        self.weighting.setToolTip(tr("sde: λ(t) = std(t)² (sigma2, the usual choice) or g(t)² (likelihood: "
                                     "the loss bounds the negative log-likelihood)"))
        self._rows = {"sigma": (tr("σ:"), self.sigma), "sde": (tr("Process:"), self.sde),
                      "sigma_max": (tr("σ max:"), self.sigma_max),
                      "sigma_min": (tr("σ min:"), self.sigma_min), "levels": (tr("Levels:"), self.levels),
                      "beta_min": (tr("β min:"), self.beta_min), "beta_max": (tr("β max:"), self.beta_max),
                      "weighting": (tr("Weighting:"), self.weighting),
                      "projections": (tr("Projections:"), self.projections),
                      "projection": (tr("Projection:"), self.projection)}
        self._t_eps = cfg.t_eps  # kept as it came (0: the process's default); the command line sets it
        for label, w in self._rows.values():
            self.form.addRow(label, w)
        self.error = error_label()
        self.form.addRow(self.error)
        self.name.setCurrentText(cfg.name)
        self.show_params()
        self.name.currentTextChanged.connect(self._changed)
        for _, w in self._rows.values():
            connect_changed(w, self._changed)

    def show_params(self) -> None:
        """The chosen objective's formula, and only the rows it uses."""
        name = self.name.currentText()
        info = self._info[name]
        self.formula.setText(tr("{description}<br><i>{formula}</i>").format(description=tr(info.description),
                                                                           formula=info.formula))
        hidden = set()
        if name == "sde":  # ve is parametrised by σ, vp and subvp by β
            hidden = {"beta_min", "beta_max"} if self.sde.currentText() == "ve" else {"sigma_min", "sigma_max"}
        for key, (_, w) in self._rows.items():
            self.form.setRowVisible(w, key in info.params and key not in hidden)

    def config(self):
        return ObjectiveConfig(name=self.name.currentText(), sigma=self.sigma.value(), sigma_max=self.sigma_max.value(),
                               sigma_min=self.sigma_min.value(), levels=self.levels.value(),
                               projections=self.projections.value(), projection=self.projection.currentText(),
                               sde=self.sde.currentText(), beta_min=self.beta_min.value(),
                               beta_max=self.beta_max.value(), t_eps=self._t_eps,
                               weighting=self.weighting.currentText())

    def _changed(self, *_):
        self.show_params()
        self.send_config(self.objectiveChanged)

    def set_activation(self, activation: str) -> None:
        """Objectives the core refuses with this activation cannot be chosen (ReLU: tr J = 0 almost everywhere)."""
        model = self.name.model()
        for i in range(self.name.count()):
            model.item(i).setEnabled(compatible(self.name.itemText(i), activation))
