"""The compare window's table: each configuration's step, loss, relative Fisher divergence and speed.

``CompareTable.show_frame(frame)`` fills one row per configuration of a ``CompareFrame`` (its label in
the configuration's colour); the rel. F header names the score F is measured against.
"""

from __future__ import annotations

import math

from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.gui.i18n import N_, tr
from scoreviz.gui.views.compare_panels import config_colour


class CompareTable(QtWidgets.QTableWidget):
    """Current values per configuration: loss, the last Fisher divergences, training speed.

    Every column is in view: the numbers take the width their contents need, the configuration
    column the rest (its text elides, the tooltip has it whole); the table is never narrower than
    the numbers. The rel. F header says what F is measured against (``set_targets``)."""

    COLUMNS = (N_("configuration"), N_("step"), N_("loss"), N_("rel. F"), N_("steps/s"), N_("train s"))  # tr(): shown
    REL_F = 3

    def __init__(self, parent=None):
        super().__init__(0, len(self.COLUMNS), parent)
        self.setHorizontalHeaderLabels([tr(c) for c in self.COLUMNS])
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
        self.setToolTip(tr("rel. F: the relative Fisher divergence at the last measurement (every K steps, and when "
                           "paused); steps/s: each configuration's own training speed (its steps / the time they "
                           "took)"))
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
            text = tr("rel. F vs ∇log p")
            tip = tr("F = E_p‖s_θ − ∇log p‖², relative to E_p‖∇log p‖²: against the density's own score")
        elif all(s == sigmas[0] for s in sigmas):
            text = tr("rel. F vs ∇log p_σ")
            tip = tr("F = E‖s_θ − ∇log p_σ‖² relative to E‖∇log p_σ‖², p_σ = p ∗ N(0, σ²I) with σ = {sigma:.3g}: "
                     "the target every configuration trains towards").format(sigma=sigmas[0])
        else:
            text = tr("rel. F vs own ∇log q")
            tip = tr("F = E_q‖s_θ − ∇log q‖² relative to E_q‖∇log q‖², each configuration against its own target q "
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
            values = (c.label, f"{c.steps:,}", format_number(c.loss), format_number(p.relative_fisher_divergence if p else None),
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
            self.item(i, self.REL_F).setToolTip(tr("against ∇log p") if sig == 0
                                                else tr("against ∇log p_σ, σ = {sigma:.3g}").format(sigma=sig))
            self.item(i, 0).setForeground(QtGui.QColor(config_colour(i)))
        self._fit_minimum()

    def row_texts(self, row: int) -> list[str]:
        return [self.item(row, j).text() if self.item(row, j) else "" for j in range(self.columnCount())]


def format_number(v) -> str:
    """A table cell's number: 4 significant digits, a dash when there is none."""
    return "—" if v is None or not math.isfinite(v) else f"{v:.4g}"
