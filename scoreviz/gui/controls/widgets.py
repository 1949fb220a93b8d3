"""The dock's input widgets: spin boxes bounded by the core's limits and small form helpers.

``LogSpinBox`` (1-2-5 decades), ``PowerOfTwoSpinBox`` (doubling) and ``WholeNumberSpinBox`` (whole
numbers beyond Qt's 32-bit int); ``limited_spin_box`` builds the right one for a named limit of
``scoreviz.core.limits`` and ``range_tip`` adds that limit's range to a tooltip; ``param_widget``
builds the widget of a density parameter (a core ``Param``); ``form_layout``, ``param_value`` and
``connect_changed`` are the form helpers every section uses.
"""

from __future__ import annotations

import math

from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.core import limits
from scoreviz.gui.i18n import tr


class LogSpinBox(QtWidgets.QDoubleSpinBox):
    """A positive number stepped through 1-2-5 decades (learning rates, step sizes, noise levels)."""

    def __init__(self, lo: float, hi: float, value: float, parent=None):
        super().__init__(parent)
        self.setDecimals(12)
        self.setRange(lo, hi)
        self.setValue(value)
        self.setKeyboardTracking(False)
        self.setAccelerated(True)

    def textFromValue(self, v: float) -> str:
        return f"{v:.4g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        t = text.strip()
        if t in ("", ".", "-", "e", "E") or t.lower().endswith(("e", "e-", "e+")):
            return QtGui.QValidator.State.Intermediate, text, pos
        try:
            v = float(t)
        except ValueError:
            return QtGui.QValidator.State.Invalid, text, pos
        if not math.isfinite(v) or v <= 0:
            return QtGui.QValidator.State.Intermediate, text, pos
        if self.minimum() <= v <= self.maximum():
            return QtGui.QValidator.State.Acceptable, text, pos
        return QtGui.QValidator.State.Intermediate, text, pos

    def stepBy(self, steps: int) -> None:
        v = self.value()
        for _ in range(abs(steps)):
            v = _next_125(v, up=steps > 0)
        self.setValue(min(max(v, self.minimum()), self.maximum()))


def _next_125(v: float, up: bool) -> float:
    e = math.floor(math.log10(v) + 1e-9)
    ladder = [m * 10.0**k for k in (e - 1, e, e + 1) for m in (1, 2, 5)]
    if up:
        return next(x for x in ladder if x > v * (1 + 1e-9))
    return next(x for x in reversed(ladder) if x < v * (1 - 1e-9))


class PowerOfTwoSpinBox(QtWidgets.QSpinBox):
    """Whole numbers stepped by doubling/halving (batch sizes, widths); any value may be typed."""

    def stepBy(self, steps: int) -> None:
        v = self.value()
        for _ in range(abs(steps)):
            v = v * 2 if steps > 0 else max(v // 2, 1)
        self.setValue(min(max(v, self.minimum()), self.maximum()))


_QT_INT_MAX = 2**31 - 1


class WholeNumberSpinBox(QtWidgets.QAbstractSpinBox):
    """A whole-number spin box for ranges beyond Qt's 32-bit ``int`` (seeds up to 2^63 - 1).

    The API of a QSpinBox that a form needs: ``value``, ``setValue`` (clamps), ``setRange``,
    ``minimum``, ``maximum``, ``valueChanged(int)``; typed text is applied on Enter or when the
    box loses focus (like ``setKeyboardTracking(False)``).
    """

    valueChanged = QtCore.Signal(object)  # a Python int of any size

    def __init__(self, parent=None):
        super().__init__(parent)
        self._min, self._max, self._value = 0, 99, 0
        self.lineEdit().setText("0")
        self.editingFinished.connect(self._commit)

    def minimum(self) -> int:
        return self._min

    def maximum(self) -> int:
        return self._max

    def setRange(self, lo: int, hi: int) -> None:
        self._min, self._max = int(lo), max(int(lo), int(hi))
        self.setValue(self._value)

    def value(self) -> int:
        return self._value

    def setValue(self, v) -> None:
        v = min(max(int(v), self._min), self._max)
        self.lineEdit().setText(str(v))
        if v != self._value:
            self._value = v
            self.valueChanged.emit(v)

    def _commit(self) -> None:
        try:
            v = int(self.lineEdit().text().strip())
        except ValueError:
            v = self._value
        self.setValue(v)

    def validate(self, text: str, pos: int):
        t = text.strip()
        if t in ("", "-", "+"):
            return QtGui.QValidator.State.Intermediate, text, pos
        try:
            v = int(t)
        except ValueError:
            return QtGui.QValidator.State.Invalid, text, pos
        if self._min <= v <= self._max:
            return QtGui.QValidator.State.Acceptable, text, pos
        if v > self._max and self._max >= 0:  # more digits only make it larger
            return QtGui.QValidator.State.Invalid, text, pos
        return QtGui.QValidator.State.Intermediate, text, pos

    def fixup(self, text: str) -> str:
        return str(self._value)

    def stepBy(self, steps: int) -> None:
        self.setValue(self._value + steps)
        self.selectAll()

    def stepEnabled(self):
        flags = QtWidgets.QAbstractSpinBox.StepEnabledFlag
        out = flags.StepNone
        if self._value < self._max:
            out |= flags.StepUpEnabled
        if self._value > self._min:
            out |= flags.StepDownEnabled
        return out


def limited_spin_box(name: str, value, *, log: bool = False, doubling: bool = False,
                     step: float | None = None) -> QtWidgets.QAbstractSpinBox:
    """A spin box for the parameter ``name`` whose range is the core's (``limits.bounds(name)``).

    Whole numbers: a QSpinBox (``doubling``: a PowerOfTwoSpinBox; a WholeNumberSpinBox beyond
    Qt's int range). Real numbers: a LogSpinBox (``log``: 1-2-5 steps) or a QDoubleSpinBox.
    The box carries its limit's name in the ``limit`` property; values outside the range are
    clamped by the box, as ``limits.check`` would refuse them.
    """
    lo, hi = limits.bounds(name)
    if limits.LIMITS[name].integer:
        if hi > _QT_INT_MAX or lo < -_QT_INT_MAX:
            w = WholeNumberSpinBox()
        else:
            w = PowerOfTwoSpinBox() if doubling else QtWidgets.QSpinBox()
            w.setKeyboardTracking(False)
        w.setRange(lo, hi)
        if step is not None and not isinstance(w, WholeNumberSpinBox):
            w.setSingleStep(int(step))
        w.setValue(int(min(max(value, lo), hi)))
    elif log:
        w = LogSpinBox(lo, hi, min(max(float(value), lo), hi))
    else:
        w = QtWidgets.QDoubleSpinBox()
        w.setDecimals(max(2, -math.floor(math.log10(lo))) if lo > 0 else 3)
        w.setRange(lo, hi)
        if step is not None:
            w.setSingleStep(step)
        w.setValue(min(max(float(value), lo), hi))
        w.setKeyboardTracking(False)
    w.setProperty("limit", name)
    return w


def range_tip(tip: str, name: str) -> str:
    """A tooltip followed by the allowed range of ``name`` (from the core's table)."""
    return tr("{tip} (allowed {range})").format(tip=tip, range=limits.LIMITS[name].range_text())


def form_layout() -> QtWidgets.QFormLayout:
    """The sections' form: fields grow, labels right-aligned, compact margins."""
    f = QtWidgets.QFormLayout()
    f.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    f.setLabelAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
    f.setContentsMargins(6, 4, 6, 4)
    f.setVerticalSpacing(4)
    return f


# an open end of a density parameter's range: its widget stops at the core's coordinate limit
OPEN_LO, OPEN_HI = limits.bounds("coordinate")


def param_widget(param, tip_prefix: str = "") -> QtWidgets.QWidget:
    """A spin box / check box for a core ``Param`` (its type, range, default and help)."""
    default = f"{param.default:.4g}" if isinstance(param.default, float) else param.default
    tip = tip_prefix + tr("{help} ({range}; default {default})").format(help=tr(param.help) if param.help else "", range=param.range_text(),
                                                                       default=default)
    if param.type == "bool":
        w = QtWidgets.QCheckBox()
        w.setChecked(bool(param.default))
    elif param.type == "int":
        w = QtWidgets.QSpinBox()
        w.setRange(int(param.min if param.min is not None else OPEN_LO), int(param.max if param.max is not None else OPEN_HI))
        w.setValue(int(param.default))
        w.setKeyboardTracking(False)
    else:
        w = QtWidgets.QDoubleSpinBox()
        lo = param.min if param.min is not None else OPEN_LO
        hi = param.max if param.max is not None else OPEN_HI
        w.setDecimals(4 if 0 < abs(lo) < 0.01 else 3)
        w.setRange(lo, hi)
        w.setSingleStep(_nice_step(lo, hi))
        w.setValue(float(param.default))
        w.setKeyboardTracking(False)
    w.setToolTip(tip)
    w.setObjectName(param.name)
    return w


def _nice_step(lo: float, hi: float) -> float:
    span = hi - lo
    return 10.0 ** math.floor(math.log10(span / 50.0)) if span > 0 else 0.1


def param_value(w: QtWidgets.QWidget):
    """The value a ``param_widget`` shows (a bool for a check box)."""
    if isinstance(w, QtWidgets.QCheckBox):
        return w.isChecked()
    return w.value()


def connect_changed(w: QtWidgets.QWidget, slot) -> None:
    """Call ``slot`` when the check box, combo box or spin box ``w`` changes."""
    if isinstance(w, QtWidgets.QCheckBox):
        w.toggled.connect(slot)
    elif isinstance(w, QtWidgets.QComboBox):
        w.currentIndexChanged.connect(slot)
    else:
        w.valueChanged.connect(slot)
