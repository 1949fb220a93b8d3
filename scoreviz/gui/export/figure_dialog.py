"""The Export ▸ Figure… dialog: which part of the view, PNG or SVG, and the picture's size.

``FigureDialog(state)`` offers the parts ``figure_export.PARTS`` (the error panel only when the
window shows it) at twice their size on screen by default, keeping the proportions when asked;
``choice()`` is (part, format, (width, height)).
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from scoreviz.core.limits import LIMITS
from scoreviz.gui.i18n import tr
from scoreviz.gui.offscreen import figure_export


class FigureDialog(QtWidgets.QDialog):
    """Which part of the view, PNG or SVG, and the size in pixels (default: twice the size on screen)."""

    def __init__(self, state: figure_export.ViewState, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Export figure"))
        self.state = state
        lim = LIMITS["image_side"]
        form = QtWidgets.QFormLayout(self)
        self.part = QtWidgets.QComboBox()
        for key, label in figure_export.PARTS.items():
            self.part.addItem(tr(label), key)  # the labels are marked N_ in figure_export.PARTS
        self.part.setToolTip(tr("What the picture shows: every panel with the training curves, one panel with "
                                "its colour bar, or the curves"))
        if not state.error_visible:  # only what the window shows
            i = self.part.findData("error")
            self.part.model().item(i).setEnabled(False)
            self.part.setItemData(i, tr("Show the error panel first (E)"), QtCore.Qt.ItemDataRole.ToolTipRole)
        self.format = QtWidgets.QComboBox()
        self.format.addItem(tr("PNG (pixels, at the size below)"), "png")
        self.format.addItem(tr("SVG (vector: arrows, axes and text stay sharp)"), "svg")
        self.format.setToolTip(tr("PNG: a picture of exactly the size below. SVG: a vector drawing of that size that "
                                  "stays sharp when scaled; heat maps and particles are embedded pictures"))
        self.width_box, self.height_box = QtWidgets.QSpinBox(), QtWidgets.QSpinBox()
        tips = (tr("Picture width in pixels, {lo}–{hi}; the default is twice the size on screen"),
                tr("Picture height in pixels, {lo}–{hi}; the default is twice the size on screen"))
        for box, tip in zip((self.width_box, self.height_box), tips):
            box.setRange(int(lim.min), int(lim.max))
            box.setSuffix(" px")
            box.setSingleStep(100)
            box.setAccelerated(True)
            box.setToolTip(tip.format(lo=int(lim.min), hi=int(lim.max)))
        self.keep = QtWidgets.QCheckBox(tr("Keep the proportions on screen"))
        self.keep.setChecked(True)
        self.keep.setToolTip(tr("Changing the width changes the height to match, and back"))
        size_row = QtWidgets.QHBoxLayout()
        size_row.addWidget(self.width_box)
        size_row.addWidget(QtWidgets.QLabel("×"))
        size_row.addWidget(self.height_box)
        size_row.addStretch(1)
        form.addRow(tr("Show:"), self.part)
        form.addRow(tr("Format:"), self.format)
        form.addRow(tr("Size:"), size_row)
        form.addRow("", self.keep)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Save
                                             | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        save = buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Save)
        save.setText(tr("Save…"))
        save.setToolTip(tr("Choose the file and save the figure"))
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).setToolTip(tr("Close without saving"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._syncing = False
        self.part.currentIndexChanged.connect(self._part_changed)
        self.width_box.valueChanged.connect(lambda v: self._follow(self.width_box))
        self.height_box.valueChanged.connect(lambda v: self._follow(self.height_box))
        self._part_changed()

    def _part_changed(self, *_):
        w, h = figure_export.default_size(self.state, self.part.currentData())
        self._syncing = True
        try:
            self.width_box.setValue(w)
            self.height_box.setValue(h)
        finally:
            self._syncing = False

    def _follow(self, changed: QtWidgets.QSpinBox) -> None:
        if self._syncing or not self.keep.isChecked():
            return
        w, h = self.state.sizes[self.part.currentData()]
        self._syncing = True
        try:
            if changed is self.width_box:
                self.height_box.setValue(round(self.width_box.value() * h / w))
            else:
                self.width_box.setValue(round(self.height_box.value() * w / h))
        finally:
            self._syncing = False

    def choice(self) -> tuple[str, str, tuple[int, int]]:
        """(part, format, (width, height))."""
        return self.part.currentData(), self.format.currentData(), (self.width_box.value(), self.height_box.value())
