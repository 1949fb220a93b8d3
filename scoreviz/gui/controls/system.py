"""The device and seed section of the dock: where training runs and its random seed.

``SystemSection`` lists the core's ``DEVICES`` this machine has ("auto" and the CPU always) and
the seed over the core's whole range; changing either starts a fresh model.
"""

from __future__ import annotations

import torch
from PySide6 import QtCore, QtWidgets

from scoreviz.core.session import DEVICES
from scoreviz.gui.controls.section import Section
from scoreviz.gui.controls.widgets import limited_spin_box, range_tip
from scoreviz.gui.i18n import tr


def device_available(name: str) -> bool:
    """Whether this machine has the device ``name`` of the core's ``DEVICES`` ("auto" always)."""
    if name == "cuda":
        return torch.cuda.is_available()
    if name == "mps":
        mps = getattr(torch.backends, "mps", None)
        return mps is not None and mps.is_available()
    return True


class SystemSection(Section):
    """The training device and the seed (emits ``deviceChanged`` and ``seedChanged``)."""

    deviceChanged = QtCore.Signal(str)
    seedChanged = QtCore.Signal(object)  # an int up to 2^63 - 1 (beyond Qt's int)

    def __init__(self, session_cfg, parent=None):
        super().__init__(tr("Device and seed"), tr("Where training runs and its random seed (both start a fresh model)."),
                         parent)
        self.device = QtWidgets.QComboBox()
        self.device.addItems([name for name in DEVICES if device_available(name)])
        self.device.setItemData(self.device.findText("auto"), tr("CUDA if present, else the CPU"),
                                QtCore.Qt.ItemDataRole.ToolTipRole)
        self.device.setCurrentText(session_cfg.device if self.device.findText(session_cfg.device) >= 0 else "auto")
        self.device.setToolTip(tr("Training device (only devices this machine has are listed); changing it starts a fresh "
                                   "model"))
        self.seed = limited_spin_box("seed", int(session_cfg.seed))
        self.seed.setToolTip(range_tip(tr("Random seed of the model's initialisation, the batches and the particles; "
                                           "changing it starts a fresh model"), "seed"))
        self.form.addRow(tr("Device:"), self.device)
        self.form.addRow(tr("Seed:"), self.seed)
        self.device.currentTextChanged.connect(self.deviceChanged)
        self.seed.valueChanged.connect(self.seedChanged)
