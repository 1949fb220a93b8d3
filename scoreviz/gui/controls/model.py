"""The model and optimiser section of the dock: the score network s_θ and its Adam optimiser.

``ModelSection`` sets the width, depth, activation and parametrisation (the core's
``ACTIVATIONS`` and ``PARAMETRIZATIONS``), emitting a ``ModelConfig``, and the learning rate and
batch (``optimizerChanged``); activations the core refuses with the objective are disabled.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from scoreviz.core.models import ACTIVATIONS, PARAMETRIZATIONS, ModelConfig
from scoreviz.gui.controls.section import Section, compatible, error_label
from scoreviz.gui.controls.widgets import connect_changed, limited_spin_box, range_tip
from scoreviz.gui.i18n import tr


class ModelSection(Section):
    """The network's architecture (emits a ModelConfig) and Adam's learning rate and batch."""

    modelChanged = QtCore.Signal(object)
    optimizerChanged = QtCore.Signal(float, int)

    def __init__(self, session_cfg, parent=None):
        super().__init__(tr("Model and optimiser"), tr("The score network s_θ and its Adam optimiser."), parent)
        m = session_cfg.model
        self.hidden = limited_spin_box("hidden", m.hidden, doubling=True)
        self.hidden.setToolTip(range_tip(
            tr("Width: units in every hidden layer. Changing the architecture starts a fresh model."), "hidden"))
        self.layers = limited_spin_box("layers", m.layers)
        self.layers.setToolTip(range_tip(
            tr("Depth: number of hidden layers. Changing the architecture starts a fresh model."), "layers"))
        self.activation = QtWidgets.QComboBox()
        self.activation.addItems(list(ACTIVATIONS))
        self.activation.setCurrentText(m.activation)
        self.activation.setToolTip(tr("Nonlinearity. ReLU cannot be used with ism/ssm/ssm-vr (its Jacobian trace "
                                      "is 0)."))
        self.param = QtWidgets.QComboBox()
        self.param.addItems(list(PARAMETRIZATIONS))
        self.param.setCurrentText(m.parametrization)
        self.param.setItemData(0, tr("vector: the network outputs the score directly"),
                               QtCore.Qt.ItemDataRole.ToolTipRole)
        self.param.setItemData(1, tr("energy: the network outputs E(x) and s = −∇E (a conservative field)"),
                               QtCore.Qt.ItemDataRole.ToolTipRole)
        self.param.setToolTip(tr("vector: s_θ = net(x); energy: s_θ = −∇ₓE_θ(x), a conservative field"))
        self.form.addRow(tr("Width:"), self.hidden)
        self.form.addRow(tr("Depth:"), self.layers)
        self.form.addRow(tr("Activation:"), self.activation)
        self.form.addRow(tr("Parametrisation:"), self.param)
        self.lr = limited_spin_box("lr", session_cfg.lr, log=True)
        self.lr.setToolTip(range_tip(tr("Adam learning rate (training continues when it changes)"), "lr"))
        self.batch = limited_spin_box("batch", session_cfg.batch, doubling=True)
        self.batch.setToolTip(range_tip(tr("Samples of p per training step (arrows double / halve it)"), "batch"))
        self.form.addRow(tr("Learning rate:"), self.lr)
        self.form.addRow(tr("Batch:"), self.batch)
        self.error = error_label()
        self.form.addRow(self.error)
        for w in (self.hidden, self.layers, self.activation, self.param):
            connect_changed(w, self._model_changed)
        for w in (self.lr, self.batch):
            connect_changed(w, lambda *_: self.optimizerChanged.emit(self.lr.value(), self.batch.value()))

    def config(self, noise_conditional: bool = False):
        return ModelConfig(hidden=self.hidden.value(), layers=self.layers.value(), activation=self.activation.currentText(),
                           parametrization=self.param.currentText(), noise_conditional=noise_conditional)

    def _model_changed(self, *_):
        self.send_config(self.modelChanged)

    def set_objective(self, objective: str) -> None:
        """Activations the core refuses with this objective cannot be chosen."""
        model = self.activation.model()
        for i in range(self.activation.count()):
            model.item(i).setEnabled(compatible(objective, self.activation.itemText(i)))
