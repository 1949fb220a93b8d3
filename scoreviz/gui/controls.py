"""The control dock: density, objective, model, optimiser, sampler, device and display settings.

The dock only builds validated config objects (the core's dataclasses) and densities, and emits
them; the window forwards them to the training worker. Every spin box takes its range from the
core: configuration numbers from the one table of limits (``scoreviz.core.limits``, through
``limited_spin_box``), density parameters from their presets' specs, so a value the core would
refuse cannot be entered and the CLI, files and widgets meet the same limits.
"""

from __future__ import annotations

import math
from dataclasses import replace

from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.core import limits
from scoreviz.gui import style
from scoreviz.gui.items.field_view import SCALE_MODES

SPEEDS = [(0, "max"), (500, "500 steps/s"), (200, "200 steps/s"), (100, "100 steps/s"), (50, "50 steps/s"),
          (20, "20 steps/s"), (10, "10 steps/s"), (5, "5 steps/s"), (2, "2 steps/s"), (1, "1 step/s")]

EXAMPLE_EXPRESSIONS = [
    "-(x**2 + y**2 - 4)**2 / 0.5",
    "-(y - x**2 / 2 + 1)**2 / 0.2 - x**2 / 8",
    "log(exp(-((x - 2)**2 + y**2) / 0.3) + exp(-((x + 2)**2 + y**2) / 0.3))",
    "-abs(x) - abs(y) * 3",
    "sin(2 * x) * cos(2 * y) * 2 - (x**2 + y**2) / 8",
]


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
    return f"{tip} (allowed {limits.LIMITS[name].range_text()})"


def compatible(objective: str, activation: str) -> bool:
    """Whether the core accepts this objective with this activation (e.g. ism/ssm refuse ReLU)."""
    from scoreviz.core.models import ModelConfig
    from scoreviz.core.objectives import ObjectiveConfig, check_compatible

    try:
        check_compatible(ObjectiveConfig(name=objective),
                         ModelConfig(activation=activation, noise_conditional=objective == "ncsn"))
    except ValueError:
        return False
    return True


def error_label() -> QtWidgets.QLabel:
    lab = QtWidgets.QLabel()
    lab.setWordWrap(True)
    lab.setStyleSheet(f"color: {style.ERROR};")
    lab.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
    lab.hide()
    return lab


def show_error(label: QtWidgets.QLabel, text: str | None) -> None:
    if text:
        label.setText(text)
        label.setToolTip(text)
        label.show()
    else:
        label.clear()
        label.hide()


def _form() -> QtWidgets.QFormLayout:
    f = QtWidgets.QFormLayout()
    f.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    f.setLabelAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
    f.setContentsMargins(6, 4, 6, 4)
    f.setVerticalSpacing(4)
    return f


def param_widget(param, tip_prefix: str = "") -> QtWidgets.QWidget:
    """A spin box / check box for a core ``Param`` (its type, range, default and help)."""
    tip = f"{tip_prefix}{param.help} ({param.range_text()}; default {param.default:.4g})" if isinstance(
        param.default, float) else f"{tip_prefix}{param.help} ({param.range_text()}; default {param.default})"
    if param.type == "bool":
        w = QtWidgets.QCheckBox()
        w.setChecked(bool(param.default))
    elif param.type == "int":
        w = QtWidgets.QSpinBox()
        w.setRange(int(param.min if param.min is not None else -10**6), int(param.max if param.max is not None else 10**6))
        w.setValue(int(param.default))
        w.setKeyboardTracking(False)
    else:
        w = QtWidgets.QDoubleSpinBox()
        lo = param.min if param.min is not None else -1e6
        hi = param.max if param.max is not None else 1e6
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


def _param_value(w: QtWidgets.QWidget):
    if isinstance(w, QtWidgets.QCheckBox):
        return w.isChecked()
    return w.value()


def _connect_changed(w: QtWidgets.QWidget, slot) -> None:
    if isinstance(w, QtWidgets.QCheckBox):
        w.toggled.connect(slot)
    elif isinstance(w, QtWidgets.QComboBox):
        w.currentIndexChanged.connect(slot)
    else:
        w.valueChanged.connect(slot)


class Section(QtWidgets.QGroupBox):
    """A titled group with a form layout."""

    def __init__(self, title: str, tip: str = "", parent=None):
        super().__init__(title, parent)
        self.setToolTip(tip)
        self.form = _form()
        self.setLayout(self.form)

    def _send_config(self, signal) -> None:
        """Emit ``self.config()`` on ``signal``; the core's refusal shows under the section instead."""
        try:
            cfg = self.config()
        except Exception as e:
            show_error(self.error, str(e).splitlines()[0])
            return
        show_error(self.error, None)
        signal.emit(cfg)


# ============================================================================ density
class DensitySection(Section):
    """Where the target comes from: a preset with its parameters, a drawing, an image or an expression."""

    densityRequested = QtCore.Signal(object, str)  # (density, how it was made)
    drawingActive = QtCore.Signal(bool)
    clearDrawing = QtCore.Signal()
    undoDrawing = QtCore.Signal()
    openImageRequested = QtCore.Signal()

    TAB_PRESET, TAB_DRAW, TAB_IMAGE, TAB_EXPR = range(4)
    # "Open image…" lists images only (the suffixes of scoreviz.core.images.IMAGE_SUFFIXES)
    IMAGE_FILTER = "Images (*.png *.jpg *.jpeg)"

    def __init__(self, initial_preset: str = "8gaussians", parent=None):
        super().__init__("Density", "The target density p the model learns from (training samples come from it).", parent)
        from scoreviz.core.densities import EXPRESSION_PARAMS, IMAGE_PARAMS, PRESETS

        self.presets = PRESETS
        self.current = QtWidgets.QLabel()
        self.current.setStyleSheet(f"color: {style.ACCENT};")
        self.current.setToolTip("The density training uses now")
        self.form.addRow("Target:", self.current)

        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setDocumentMode(True)
        self.form.addRow(self.tabs)

        # --- preset
        page = QtWidgets.QWidget()
        pf = _form()
        page.setLayout(pf)
        self.preset = QtWidgets.QComboBox()
        for i, (name, spec) in enumerate(PRESETS.items()):
            self.preset.addItem(name)
            self.preset.setItemData(i, spec.help, QtCore.Qt.ItemDataRole.ToolTipRole)
        self.preset.setToolTip("A built-in 2-D density (its parameters appear below)")
        pf.addRow("Preset:", self.preset)
        self.preset_help = QtWidgets.QLabel()
        self.preset_help.setWordWrap(True)
        self.preset_help.setStyleSheet(f"color: {style.MUTED};")
        pf.addRow(self.preset_help)
        self.param_box = QtWidgets.QWidget()
        self.param_form = _form()
        self.param_form.setContentsMargins(0, 0, 0, 0)
        self.param_box.setLayout(self.param_form)
        pf.addRow(self.param_box)
        self.preset_error = error_label()
        pf.addRow(self.preset_error)
        self.tabs.addTab(page, "Preset")
        self._param_widgets: dict[str, QtWidgets.QWidget] = {}

        # --- drawing
        page = QtWidgets.QWidget()
        df = _form()
        page.setLayout(df)
        hint = QtWidgets.QLabel("Paint on the particles panel: left-drag paints, right-drag (or Shift) erases. "
                                "Wheel zooms; middle-drag pans.")
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {style.MUTED};")
        df.addRow(hint)
        self.brush_mode = QtWidgets.QComboBox()
        self.brush_mode.addItems(["Paint", "Erase"])
        self.brush_mode.setToolTip("What a left-drag does (a right-drag always erases)")
        df.addRow("Left button:", self.brush_mode)
        self.brush_radius = limited_spin_box("brush_radius", 0.35, step=0.05)
        self.brush_radius.setToolTip(range_tip(
            "Brush radius in data units: each dab adds a Gaussian of std radius/2 ([ and ] change it)", "brush_radius"))
        df.addRow("Radius:", self.brush_radius)
        self.brush_strength = limited_spin_box("brush_strength", 0.5, step=0.05)
        self.brush_strength.setToolTip(range_tip(
            "Weight a dab adds (paint). The eraser always removes the paint under it in one pass; this is "
            "the most it thins the paint just outside its edge", "brush_strength"))
        df.addRow("Strength:", self.brush_strength)
        row = QtWidgets.QHBoxLayout()
        self.undo_button = QtWidgets.QPushButton("Undo stroke")
        self.undo_button.setToolTip("Take back the last stroke (Ctrl+Z)")
        self.clear_button = QtWidgets.QPushButton("Clear")
        self.clear_button.setToolTip("Remove everything painted (the target stays until you paint again)")
        row.addWidget(self.undo_button)
        row.addWidget(self.clear_button)
        df.addRow(row)
        self.draw_status = QtWidgets.QLabel("Canvas empty")
        self.draw_status.setStyleSheet(f"color: {style.MUTED};")
        df.addRow(self.draw_status)
        self.tabs.addTab(page, "Draw")

        # --- image
        page = QtWidgets.QWidget()
        imf = _form()
        page.setLayout(imf)
        self.open_image = QtWidgets.QPushButton("Open image…")
        self.open_image.setToolTip("A PNG/JPEG picture becomes the density: dark pixels are dense. "
                                   "Ctrl+O also opens sessions and .json density files; you can drop an "
                                   "image file onto the window too.")
        imf.addRow(self.open_image)
        self.image_params: dict[str, QtWidgets.QWidget] = {}
        for name, param in IMAGE_PARAMS.items():
            if param.type == "box":
                continue
            w = param_widget(param)
            self.image_params[name] = w
            imf.addRow(name.replace("_", " ").capitalize() + ":", w)
        self.image_path = QtWidgets.QLabel("No image loaded")
        self.image_path.setWordWrap(True)
        self.image_path.setStyleSheet(f"color: {style.MUTED};")
        imf.addRow(self.image_path)
        self.image_error = error_label()
        imf.addRow(self.image_error)
        self.tabs.addTab(page, "Image")
        self._image_file: str | None = None

        # --- expression
        page = QtWidgets.QWidget()
        ef = _form()
        page.setLayout(ef)
        hint = QtWidgets.QLabel("An unnormalised log-density in x and y, e.g. -(x**2 + y**2 - 4)**2 / 0.5")
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {style.MUTED};")
        ef.addRow(hint)
        self.expression = QtWidgets.QLineEdit()
        self.expression.setPlaceholderText("log p(x, y) up to a constant")
        self.expression.setToolTip("Operators + - * / **, functions such as exp, log, sin, cos, abs, sqrt; "
                                   "names x, y, pi, e. Press Enter to use it.")
        self.expression.setClearButtonEnabled(True)
        completer = QtWidgets.QCompleter(EXAMPLE_EXPRESSIONS, self.expression)
        completer.setCaseSensitivity(QtCore.Qt.CaseSensitivity.CaseInsensitive)
        self.expression.setCompleter(completer)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.expression, 1)
        self.apply_expression = QtWidgets.QPushButton("Use")
        self.apply_expression.setToolTip("Discretise the expression on its box and train on it (Enter)")
        row.addWidget(self.apply_expression)
        ef.addRow(row)
        self.examples = QtWidgets.QComboBox()
        self.examples.addItem("Examples…")
        self.examples.addItems(EXAMPLE_EXPRESSIONS)
        self.examples.setToolTip("Fill in an example expression")
        ef.addRow(self.examples)
        self.expr_params: dict[str, QtWidgets.QWidget] = {}
        for name, param in EXPRESSION_PARAMS.items():
            if param.type == "box":
                continue
            w = param_widget(param)
            self.expr_params[name] = w
            ef.addRow(name.replace("_", " ").capitalize() + ":", w)
        self.expression_error = error_label()
        ef.addRow(self.expression_error)
        self.tabs.addTab(page, "Expression")

        # --- wiring
        self.preset.currentTextChanged.connect(self._preset_chosen)
        self.tabs.currentChanged.connect(lambda i: self.drawingActive.emit(i == self.TAB_DRAW))
        self.clear_button.clicked.connect(self.clearDrawing)
        self.undo_button.clicked.connect(self.undoDrawing)
        self.open_image.clicked.connect(self.openImageRequested)
        for w in self.image_params.values():
            _connect_changed(w, self._reload_image)
        self.expression.returnPressed.connect(self._apply_expression)
        self.apply_expression.clicked.connect(self._apply_expression)
        self.examples.activated.connect(self._example_chosen)
        self.expression.textEdited.connect(lambda _: show_error(self.expression_error, None))

        self.preset.blockSignals(True)
        self.preset.setCurrentText(initial_preset if initial_preset in PRESETS else next(iter(PRESETS)))
        self.preset.blockSignals(False)
        self._build_params(self.preset.currentText())
        self._followed = None  # the density follow_density() showed last
        spec = initial_preset if isinstance(initial_preset, str) else ""
        if spec.lower().endswith((".png", ".jpg", ".jpeg", ".json")):  # the tab of the target in force
            self.tabs.setCurrentIndex(self.TAB_IMAGE)
            self.image_path.setText(spec)
        elif spec.startswith("expr:"):
            self.tabs.setCurrentIndex(self.TAB_EXPR)
            self.expression.setText(spec[5:])

    # ------------------------------------------------------------------ preset
    def _build_params(self, name: str) -> None:
        while self.param_form.rowCount():
            self.param_form.removeRow(0)
        self._param_widgets = {}
        spec = self.presets[name]
        self.preset_help.setText(spec.help)
        for pname, param in spec.params.items():
            if param.type == "box":
                continue
            w = param_widget(param)
            _connect_changed(w, self._preset_params_changed)
            self._param_widgets[pname] = w
            self.param_form.addRow(pname.replace("_", " ") + ":", w)

    def _preset_chosen(self, name: str) -> None:
        self._build_params(name)
        self.apply_preset()

    def _preset_params_changed(self, *_):
        self.apply_preset()

    def preset_params(self) -> dict:
        return {k: _param_value(w) for k, w in self._param_widgets.items()}

    def apply_preset(self) -> bool:
        from scoreviz.core.densities import make_preset

        name = self.preset.currentText()
        try:
            d = make_preset(name, **self.preset_params())
        except Exception as e:
            show_error(self.preset_error, str(e).splitlines()[0])
            return False
        show_error(self.preset_error, None)
        self.densityRequested.emit(d, f"preset {name}")
        return True

    def set_preset(self, name: str, params: dict | None = None) -> None:
        """Select a preset (and parameter values) without emitting; used at start-up."""
        self.preset.blockSignals(True)
        self.preset.setCurrentText(name)
        self.preset.blockSignals(False)
        self._build_params(name)
        for k, v in (params or {}).items():
            w = self._param_widgets.get(k)
            if w is None:
                continue
            w.blockSignals(True)
            if isinstance(w, QtWidgets.QCheckBox):
                w.setChecked(bool(v))
            else:
                w.setValue(v)
            w.blockSignals(False)

    # ------------------------------------------------------------------ image
    def load_image(self, path: str) -> bool:
        """Make a density from an image file (or a .json density file); errors are shown under the button."""
        from scoreviz.core.densities import load_density

        self.tabs.setCurrentIndex(self.TAB_IMAGE)
        is_json = path.lower().endswith(".json")
        params = {} if is_json else {k: _param_value(w) for k, w in self.image_params.items()}
        try:
            d = load_density(path, **params)
        except Exception as e:
            show_error(self.image_error, str(e).splitlines()[0])
            return False
        show_error(self.image_error, None)
        self._image_file = path
        self.image_path.setText(path)
        self.image_path.setToolTip(path)
        self.densityRequested.emit(d, ("density file " if is_json else "image ") + path.rsplit("/", 1)[-1])
        return True

    def _reload_image(self, *_):
        if self._image_file and not self._image_file.lower().endswith(".json"):
            self.load_image(self._image_file)

    # ------------------------------------------------------------------ expression
    def _example_chosen(self, index: int) -> None:
        if index > 0:
            self.expression.setText(self.examples.itemText(index))
            self.examples.setCurrentIndex(0)
            self._apply_expression()

    def _apply_expression(self) -> bool:
        from scoreviz.core.densities import load_density

        text = self.expression.text().strip()
        if not text:
            show_error(self.expression_error, "type an expression in x and y first")
            return False
        params = {k: _param_value(w) for k, w in self.expr_params.items()}
        try:
            d = load_density("expr:" + text, **params)
        except Exception as e:
            show_error(self.expression_error, str(e).splitlines()[0])
            return False
        show_error(self.expression_error, None)
        self.densityRequested.emit(d, "expression")
        return True

    # ------------------------------------------------------------------ state
    def set_current(self, text: str) -> None:
        self.current.setText(text)
        self.current.setToolTip(text)

    def target_tab(self, density) -> int:
        """The tab ``density`` comes from: a preset, a drawing, an expression; else the Image tab
        (an image, or a .json density file, which the Image tab's loader opens too)."""
        src = getattr(density, "source", None)
        kind = src.get("type") if isinstance(src, dict) else None
        name = str(getattr(density, "name", "") or "")
        if kind == "preset" or (kind is None and name in self.presets):
            return self.TAB_PRESET
        if kind == "expression" or name.startswith("expr:"):
            return self.TAB_EXPR
        if name.startswith("drawing"):
            return self.TAB_DRAW
        return self.TAB_IMAGE

    def show_density(self, density) -> None:
        """Show ``density`` as the target in force, emitting no density: its tab becomes current and
        that tab shows its settings (the preset and its parameters, the expression, the image)."""
        tab = self.target_tab(density)
        name = str(getattr(density, "name", None) or "density")
        src = getattr(density, "source", None)
        src = src if isinstance(src, dict) else {}
        params = getattr(density, "params", None)
        params = params if isinstance(params, dict) else {}
        if tab == self.TAB_PRESET:
            preset = src.get("name", name)
            values = src.get("params", params) if isinstance(src.get("params", params), dict) else {}
            if preset in self.presets and not self._preset_shows(preset, values):
                self.set_preset(preset, values)
        elif tab == self.TAB_EXPR:
            text = src.get("expression") or params.get("expression") or name[5:]
            if isinstance(text, str) and self.expression.text().strip() != text.strip():
                self.expression.setText(text)
            self._set_quietly(self.expr_params, params)
        elif tab == self.TAB_IMAGE:
            path = params.get("path")
            if isinstance(path, str) and path:
                if path != self._image_file:
                    self._image_file = path
                    self.image_path.setText(path)
                    self.image_path.setToolTip(path)
            else:  # from a session or a density file: no image to reload from
                self._image_file = None
                self.image_path.setText(name)
                self.image_path.setToolTip(name)
            self._set_quietly(self.image_params, params)
        self.set_current(name)
        if self.tabs.currentIndex() != tab:
            self.tabs.setCurrentIndex(tab)

    def follow_density(self, density) -> None:
        """Called with the density training uses (each status update): when it changed, whoever
        changed it (the dock, a session, talk mode, a file), the dock shows it (``show_density``).
        While the user paints, the Draw tab stays as it is."""
        if density is None or density is self._followed:
            return
        self._followed = density
        if self.tabs.currentIndex() == self.TAB_DRAW and self.target_tab(density) == self.TAB_DRAW:
            return
        self.show_density(density)

    @staticmethod
    def _set_quietly(widgets: dict, values: dict) -> None:
        """Set the widgets named in ``values`` without their signals."""
        for k, v in values.items():
            w = widgets.get(k)
            if w is None:
                continue
            w.blockSignals(True)
            try:
                if isinstance(w, QtWidgets.QCheckBox):
                    w.setChecked(bool(v))
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    w.setValue(int(round(v)) if isinstance(w, QtWidgets.QSpinBox) else float(v))
            except (TypeError, ValueError, OverflowError):
                pass
            finally:
                w.blockSignals(False)

    def _preset_shows(self, name: str, params: dict) -> bool:
        """Whether the preset box and its parameter widgets show ``name`` with ``params`` already."""
        if self.preset.currentText() != name:
            return False
        for k, v in params.items():
            w = self._param_widgets.get(k)
            if w is None:
                continue
            try:
                shown = _param_value(w)
                if isinstance(v, bool) or isinstance(shown, bool):
                    if bool(shown) != bool(v):
                        return False
                elif not math.isclose(float(shown), float(v), rel_tol=1e-6, abs_tol=1e-9):
                    return False
            except (TypeError, ValueError):
                return False
        return True

    def brush(self) -> tuple[float, float, bool]:
        """(radius, strength, left button erases)."""
        return self.brush_radius.value(), self.brush_strength.value(), self.brush_mode.currentIndex() == 1


# ============================================================================ objective
class ObjectiveSection(Section):
    objectiveChanged = QtCore.Signal(object)

    def __init__(self, cfg, parent=None):
        super().__init__("Objective", "The score-matching loss the model minimises.", parent)
        from scoreviz.core.objectives import OBJECTIVE_INFO, PROJECTIONS

        self._info = OBJECTIVE_INFO
        self.name = QtWidgets.QComboBox()
        for i, (name, info) in enumerate(OBJECTIVE_INFO.items()):
            self.name.addItem(name)
            self.name.setItemData(i, f"{info.description}\nloss: {info.formula}", QtCore.Qt.ItemDataRole.ToolTipRole)
        self.name.setToolTip("Objective: esm (explicit), ism (implicit), ssm / ssm-vr (sliced), dsm (denoising), "
                             "ncsn (multi-level denoising; noise-conditional model)")
        self.form.addRow("Objective:", self.name)
        self.formula = QtWidgets.QLabel()
        self.formula.setWordWrap(True)
        self.formula.setStyleSheet(f"color: {style.MUTED};")
        self.form.addRow(self.formula)

        self.sigma = limited_spin_box("sigma", cfg.sigma, log=True)
        self.sigma.setToolTip(range_tip("dsm noise level σ: the model learns the score of p_σ = p ∗ N(0, σ²I)",
                                         "sigma"))
        self.sigma_max = limited_spin_box("sigma_max", cfg.sigma_max, log=True)
        self.sigma_max.setToolTip(range_tip("ncsn: largest noise level σ_max (> σ_min)", "sigma_max"))
        self.sigma_min = limited_spin_box("sigma_min", cfg.sigma_min, log=True)
        self.sigma_min.setToolTip(range_tip("ncsn: smallest noise level σ_min (the field is shown at σ_min)",
                                             "sigma_min"))
        self.levels = limited_spin_box("levels", cfg.levels)
        self.levels.setToolTip(range_tip("ncsn: number of geometric noise levels from σ_max to σ_min", "levels"))
        self.projections = limited_spin_box("projections", cfg.projections)
        self.projections.setToolTip(range_tip(
            "ssm / ssm-vr: random projections v per sample (more = less variance, slower)", "projections"))
        self.projection = QtWidgets.QComboBox()
        self.projection.addItems(list(PROJECTIONS))
        self.projection.setCurrentText(cfg.projection)
        self.projection.setToolTip("Distribution of the projections v (all with E[vvᵀ] = I)")
        self._rows = {"sigma": ("σ:", self.sigma), "sigma_max": ("σ max:", self.sigma_max),
                      "sigma_min": ("σ min:", self.sigma_min), "levels": ("Levels:", self.levels),
                      "projections": ("Projections:", self.projections), "projection": ("Projection:", self.projection)}
        for label, w in self._rows.values():
            self.form.addRow(label, w)
        self.error = error_label()
        self.form.addRow(self.error)
        self.name.setCurrentText(cfg.name)
        self._show_params()
        self.name.currentTextChanged.connect(self._changed)
        for _, w in self._rows.values():
            _connect_changed(w, self._changed)

    def _show_params(self) -> None:
        info = self._info[self.name.currentText()]
        self.formula.setText(f"{info.description}<br><i>{info.formula}</i>")
        for key, (_, w) in self._rows.items():
            self.form.setRowVisible(w, key in info.params)

    def config(self):
        from scoreviz.core.objectives import ObjectiveConfig

        return ObjectiveConfig(name=self.name.currentText(), sigma=self.sigma.value(), sigma_max=self.sigma_max.value(),
                               sigma_min=self.sigma_min.value(), levels=self.levels.value(),
                               projections=self.projections.value(), projection=self.projection.currentText())

    def _changed(self, *_):
        self._show_params()
        self._send_config(self.objectiveChanged)

    def set_activation(self, activation: str) -> None:
        """Objectives the core refuses with this activation cannot be chosen (ReLU: tr J = 0 almost everywhere)."""
        model = self.name.model()
        for i in range(self.name.count()):
            model.item(i).setEnabled(compatible(self.name.itemText(i), activation))


# ============================================================================ model + optimiser
class ModelSection(Section):
    modelChanged = QtCore.Signal(object)
    optimizerChanged = QtCore.Signal(float, int)

    def __init__(self, session_cfg, parent=None):
        super().__init__("Model and optimiser", "The score network s_θ and its Adam optimiser.", parent)
        from scoreviz.core.models import ACTIVATIONS, PARAMETRIZATIONS

        m = session_cfg.model
        self.hidden = limited_spin_box("hidden", m.hidden, doubling=True)
        self.hidden.setToolTip(range_tip(
            "Width: units in every hidden layer. Changing the architecture starts a fresh model.", "hidden"))
        self.layers = limited_spin_box("layers", m.layers)
        self.layers.setToolTip(range_tip(
            "Depth: number of hidden layers. Changing the architecture starts a fresh model.", "layers"))
        self.activation = QtWidgets.QComboBox()
        self.activation.addItems(list(ACTIVATIONS))
        self.activation.setCurrentText(m.activation)
        self.activation.setToolTip("Nonlinearity. ReLU cannot be used with ism/ssm/ssm-vr (its Jacobian trace is 0).")
        self.param = QtWidgets.QComboBox()
        self.param.addItems(list(PARAMETRIZATIONS))
        self.param.setCurrentText(m.parametrization)
        self.param.setItemData(0, "vector: the network outputs the score directly", QtCore.Qt.ItemDataRole.ToolTipRole)
        self.param.setItemData(1, "energy: the network outputs E(x) and s = −∇E (a conservative field)",
                               QtCore.Qt.ItemDataRole.ToolTipRole)
        self.param.setToolTip("vector: s_θ = net(x); energy: s_θ = −∇ₓE_θ(x), a conservative field")
        self.form.addRow("Width:", self.hidden)
        self.form.addRow("Depth:", self.layers)
        self.form.addRow("Activation:", self.activation)
        self.form.addRow("Parametrisation:", self.param)
        self.lr = limited_spin_box("lr", session_cfg.lr, log=True)
        self.lr.setToolTip(range_tip("Adam learning rate (training continues when it changes)", "lr"))
        self.batch = limited_spin_box("batch", session_cfg.batch, doubling=True)
        self.batch.setToolTip(range_tip("Samples of p per training step (arrows double / halve it)", "batch"))
        self.form.addRow("Learning rate:", self.lr)
        self.form.addRow("Batch:", self.batch)
        self.error = error_label()
        self.form.addRow(self.error)
        for w in (self.hidden, self.layers, self.activation, self.param):
            _connect_changed(w, self._model_changed)
        for w in (self.lr, self.batch):
            _connect_changed(w, lambda *_: self.optimizerChanged.emit(self.lr.value(), self.batch.value()))

    def config(self, noise_conditional: bool = False):
        from scoreviz.core.models import ModelConfig

        return ModelConfig(hidden=self.hidden.value(), layers=self.layers.value(), activation=self.activation.currentText(),
                           parametrization=self.param.currentText(), noise_conditional=noise_conditional)

    def _model_changed(self, *_):
        self._send_config(self.modelChanged)

    def set_objective(self, objective: str) -> None:
        """Activations the core refuses with this objective cannot be chosen."""
        model = self.activation.model()
        for i in range(self.activation.count()):
            model.item(i).setEnabled(compatible(objective, self.activation.itemText(i)))


# ============================================================================ sampler
class SamplerSection(Section):
    samplerChanged = QtCore.Signal(object)
    resetParticles = QtCore.Signal()

    def __init__(self, sc, parent=None):
        super().__init__("Sampler", "How the particles move (Langevin dynamics driven by a score).", parent)
        self._base = sc
        self.kind = QtWidgets.QComboBox()
        self.kind.addItems(["langevin", "annealed"])
        self.kind.setItemData(0, "x ← x + (ε/2)·s(x) + √ε·z", QtCore.Qt.ItemDataRole.ToolTipRole)
        self.kind.setItemData(1, "Annealed Langevin: σ from σ_max to σ_min, step ε·σ²/σ_min², then stays at σ_min",
                              QtCore.Qt.ItemDataRole.ToolTipRole)
        self.kind.setCurrentText(sc.sampler)
        self.kind.setToolTip("Langevin, or annealed Langevin through geometric noise levels (Song & Ermon)")
        self.source = QtWidgets.QComboBox()
        self.source.addItems(["learned", "true"])
        self.source.setCurrentText(sc.score_source)
        self.source.setToolTip("Drive the particles with the learned score s_θ or with the true score (the reference)")
        self._annealed_tip = self.kind.itemData(1, QtCore.Qt.ItemDataRole.ToolTipRole)
        self._noise_conditional = None  # whether the learned model is noise-conditional; None: not told yet
        self.step_size = limited_spin_box("step_size", sc.step_size, log=True)
        self.step_size.setToolTip(range_tip("Langevin step size ε (annealed: at σ_min); typing a value turns "
                                             "auto off", "step_size"))
        self.auto_step = QtWidgets.QCheckBox("auto")
        self.auto_step.setToolTip("Step size from the sampler and its σ schedule: Langevin ε = 0.01; annealed "
                                  "ε = 0.1·σ_min², so every level's step is 0.1·σᵢ² (finite on every preset)")
        self.n = limited_spin_box("n_particles", sc.n_particles, step=1000)
        self.n.setToolTip(range_tip("Number of particles (changing it restarts them)", "n_particles"))
        self.per_frame = limited_spin_box("steps_per_frame", sc.steps_per_frame)
        self.per_frame.setToolTip(range_tip("Sampler steps per displayed frame", "steps_per_frame"))
        self.sigma_max = limited_spin_box("sigma_max", sc.sigma_max, log=True)
        self.sigma_max.setToolTip(range_tip("Annealed: first (largest) noise level (> σ min)", "sigma_max"))
        self.sigma_min = limited_spin_box("sigma_min", sc.sigma_min, log=True)
        self.sigma_min.setToolTip(range_tip("Annealed: last (smallest) noise level", "sigma_min"))
        self.levels = limited_spin_box("levels", sc.levels)
        self.levels.setToolTip(range_tip("Annealed: number of noise levels", "levels"))
        self.per_level = limited_spin_box("steps_per_level", sc.steps_per_level)
        self.per_level.setToolTip(range_tip("Annealed: steps at each level", "steps_per_level"))
        self.reset = QtWidgets.QPushButton("Reset particles")
        self.reset.setToolTip("Scatter the particles uniformly over the density's box again (P)")
        self.form.addRow("Sampler:", self.kind)
        self.form.addRow("Score:", self.source)
        step_row = QtWidgets.QWidget()
        step_lay = QtWidgets.QHBoxLayout(step_row)
        step_lay.setContentsMargins(0, 0, 0, 0)
        step_lay.addWidget(self.step_size, 1)
        step_lay.addWidget(self.auto_step)
        self.form.addRow("Step size ε:", step_row)
        self.form.addRow("Particles:", self.n)
        self.form.addRow("Steps/frame:", self.per_frame)
        self._annealed_rows = [self.sigma_max, self.sigma_min, self.levels, self.per_level]
        self.form.addRow("σ max:", self.sigma_max)
        self.form.addRow("σ min:", self.sigma_min)
        self.form.addRow("Levels:", self.levels)
        self.form.addRow("Steps/level:", self.per_level)
        self.form.addRow(self.reset)
        self.error = error_label()
        self.form.addRow(self.error)
        auto = self.auto_value()  # auto is on when the settings in force are the default rule's
        self.auto_step.setChecked(auto is not None and self._same_step(sc.step_size, auto))
        self._show_rows()
        self.step_size.valueChanged.connect(self._step_edited)  # before _changed: a typed value turns auto off
        for w in (self.kind, self.source, self.step_size, self.n, self.per_frame, self.sigma_max, self.sigma_min,
                  self.levels, self.per_level, self.auto_step):
            _connect_changed(w, self._changed)
        self.reset.clicked.connect(self.resetParticles)

    @staticmethod
    def _same_step(a: float, b: float) -> bool:
        return math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-12)  # the spin box keeps 12 decimals

    def auto_value(self) -> float | None:
        """The default step size for the sampler and σ schedule shown (scoreviz.core.samplers.default_step_size);
        None while the schedule is invalid (σ max <= σ min)."""
        from scoreviz.core import samplers
        from scoreviz.core.errors import ScorevizError

        kind = self.kind.currentText()
        try:
            sig = (samplers.geometric_sigmas(self.sigma_max.value(), self.sigma_min.value(), self.levels.value())
                   if kind == "annealed" else None)
            return samplers.default_step_size(kind, sig)
        except ScorevizError:
            return None

    def refusal(self) -> str | None:
        """Why "annealed" cannot be chosen with the score source shown (None: it can)."""
        from scoreviz.core.samplers import annealed_refusal

        if self._noise_conditional is None:
            return None
        return annealed_refusal(self.source.currentText(), self._noise_conditional)

    def set_noise_conditional(self, noise_conditional: bool) -> None:
        """Tell the section whether the learned model is noise-conditional (objective ncsn). With the
        learned score and a model that is not, "annealed" is disabled (its tooltip says why), and a
        running annealed sampler switches to Langevin (samplerChanged is sent)."""
        self._noise_conditional = bool(noise_conditional)
        self._show_annealed_item()
        if self.kind.currentText() == "annealed" and self.refusal():
            self.kind.setCurrentText("langevin")  # -> _changed

    def _show_annealed_item(self) -> None:
        reason = self.refusal()
        self.kind.model().item(1).setEnabled(reason is None)
        self.kind.setItemData(1, f"Not available: {reason}" if reason else self._annealed_tip,
                              QtCore.Qt.ItemDataRole.ToolTipRole)

    def _step_edited(self, *_):
        if self.auto_step.isChecked():
            self.auto_step.blockSignals(True)
            self.auto_step.setChecked(False)
            self.auto_step.blockSignals(False)

    def _show_auto(self) -> None:
        """With auto on, the spin box shows the rule's value (set quietly)."""
        auto = self.auto_value()
        if self.auto_step.isChecked() and auto is not None and not self._same_step(self.step_size.value(), auto):
            self.step_size.blockSignals(True)
            self.step_size.setValue(auto)
            self.step_size.blockSignals(False)

    def _show_rows(self) -> None:
        annealed = self.kind.currentText() == "annealed"
        for w in self._annealed_rows:
            self.form.setRowVisible(w, annealed)
        self._show_annealed_item()
        # settings shown from elsewhere (an opened session) with a step that is not the rule's: auto off
        auto = self.auto_value()
        if self.auto_step.isChecked() and auto is not None and not self._same_step(self.step_size.value(), auto):
            self.auto_step.blockSignals(True)
            self.auto_step.setChecked(False)
            self.auto_step.blockSignals(False)

    def config(self):
        auto = self.auto_value() if self.auto_step.isChecked() else None
        return replace(self._base, sampler=self.kind.currentText(), score_source=self.source.currentText(),
                       step_size=self.step_size.value() if auto is None else auto, n_particles=self.n.value(),
                       steps_per_frame=self.per_frame.value(), sigma_max=self.sigma_max.value(),
                       sigma_min=self.sigma_min.value(), levels=self.levels.value(),
                       steps_per_level=self.per_level.value())

    def _changed(self, *_):
        note = None
        reason = self.refusal()
        if self.kind.currentText() == "annealed" and reason:  # e.g. the score switched to learned
            self.kind.blockSignals(True)
            self.kind.setCurrentText("langevin")
            self.kind.blockSignals(False)
            note = f"{reason}; switched to Langevin"
        self._show_auto()
        self._show_rows()
        self._send_config(self.samplerChanged)
        if note:
            show_error(self.error, note)


# ============================================================================ device, seed, display
class SystemSection(Section):
    deviceChanged = QtCore.Signal(str)
    seedChanged = QtCore.Signal(object)  # an int up to 2^63 - 1 (beyond Qt's int)

    def __init__(self, session_cfg, parent=None):
        super().__init__("Device and seed", "Where training runs and its random seed (both start a fresh model).", parent)
        import torch

        self.device = QtWidgets.QComboBox()
        self.device.addItem("auto")
        self.device.setItemData(0, "CUDA if present, else the CPU", QtCore.Qt.ItemDataRole.ToolTipRole)
        self.device.addItem("cpu")
        if torch.cuda.is_available():
            self.device.addItem("cuda")
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            self.device.addItem("mps")
        self.device.setCurrentText(session_cfg.device if self.device.findText(session_cfg.device) >= 0 else "auto")
        self.device.setToolTip("Training device (only devices this machine has are listed); changing it starts a fresh model")
        self.seed = limited_spin_box("seed", int(session_cfg.seed))
        self.seed.setToolTip(range_tip("Random seed of the model's initialisation, the batches and the particles; "
                                        "changing it starts a fresh model", "seed"))
        self.form.addRow("Device:", self.device)
        self.form.addRow("Seed:", self.seed)
        self.device.currentTextChanged.connect(self.deviceChanged)
        self.seed.valueChanged.connect(self.seedChanged)


class DisplaySection(Section):
    """How the fields are drawn: arrow scale (linear, log, direction only), the arrow grid (auto, from
    the panels' size in device pixels, or a fixed override), the error panel and smoothing."""

    gridChanged = QtCore.Signal(int)  # the arrow grid in force (auto or the override)
    unitChanged = QtCore.Signal(bool)  # direction only on / off
    scaleModeChanged = QtCore.Signal(str)
    errorPanelChanged = QtCore.Signal(bool)
    antialiasChanged = QtCore.Signal(bool)

    SCALE_LABELS = {"linear": "linear", "log": "log", "direction": "direction only"}

    def __init__(self, grid: int = 64, error_toggle: bool = True, parent=None):
        """``error_toggle``: offer the error panel's check box (the compare window always shows its errors)."""
        super().__init__("Display", "How the fields are drawn (never changes training).", parent)
        self.scale = QtWidgets.QComboBox()
        for mode, label in self.SCALE_LABELS.items():
            self.scale.addItem(label, mode)
            self.scale.setItemData(self.scale.count() - 1, SCALE_MODES[mode], QtCore.Qt.ItemDataRole.ToolTipRole)
        self.scale.setToolTip("Arrow length and colour against the field's scale where the density lives "
                              "(the 95 % density-weighted quantile of |s| in view): linear, log10 over "
                              "three decades, or equal lengths with colour only (U)")
        self.auto_grid = QtWidgets.QCheckBox("auto")
        self.auto_grid.setChecked(True)
        self.auto_grid.setToolTip("One arrow about every 20 device pixels, recomputed when the panels change size")
        self.grid = limited_spin_box("arrow_grid", grid, step=4)
        self.grid.setToolTip(range_tip("Arrows per axis on the field panels; editing it turns auto off",
                                        "arrow_grid"))
        row = QtWidgets.QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.auto_grid)
        row.addWidget(self.grid, 1)
        grid_row = QtWidgets.QWidget()
        grid_row.setLayout(row)
        self.unit = QtWidgets.QCheckBox("Unit-length arrows (direction only)")
        self.unit.setToolTip("Draw every arrow the same length; colour still shows the magnitude (U)")
        self.error = QtWidgets.QCheckBox("Error panel log₁₀‖s_θ − ∇log q‖")
        self.error.setToolTip("A fourth panel: where the learned score is wrong, on a log colour scale (E)")
        self.antialias = QtWidgets.QCheckBox("Smooth arrows")
        self.antialias.setChecked(True)
        self.antialias.setToolTip("Antialiased arrows (slightly slower to draw)")
        self.form.addRow("Arrows:", self.scale)
        self.form.addRow("Arrow grid:", grid_row)
        self.form.addRow(self.unit)
        if error_toggle:
            self.form.addRow(self.error)
        self.form.addRow(self.antialias)
        self._auto_value = int(self.grid.value())
        self._setting = False
        self.grid.valueChanged.connect(self._grid_edited)
        self.auto_grid.toggled.connect(self._auto_toggled)
        self.scale.currentIndexChanged.connect(self._scale_picked)
        self.unit.toggled.connect(self._unit_toggled)
        self.error.toggled.connect(self.errorPanelChanged)
        self.antialias.toggled.connect(self.antialiasChanged)

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
                "antialias": self.antialias.isChecked()}

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
        for key, box in (("error", self.error), ("unit", self.unit), ("antialias", self.antialias)):
            if isinstance(view.get(key), bool):
                box.setChecked(view[key])


class ControlPanel(QtWidgets.QScrollArea):
    """All sections in one scrollable column (the content of the control dock).

    A stable layout: the column scrolls vertically only, and the vertical scroll bar is always
    there, so the column's width never changes as sections grow or shrink (rows appearing for a
    sampler, a preset's parameters); the scroll position stays, and the widget being edited stays
    in view. Nothing is clipped sideways: combo boxes may be narrower than their longest item (the
    list still shows it whole) and the panel is never narrower than its content's minimum."""

    MIN_COMBO_CHARS = 10  # a combo box's width need not fit its longest item

    def __init__(self, session_cfg, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        inner = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(inner)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(6)
        self.density = DensitySection(session_cfg.density)
        self.objective = ObjectiveSection(session_cfg.objective)
        self.model = ModelSection(session_cfg)
        self.sampler = SamplerSection(session_cfg.sampler)
        self.system = SystemSection(session_cfg)
        self.display = DisplaySection(session_cfg.grid)
        for s in (self.density, self.objective, self.model, self.sampler, self.system, self.display):
            lay.addWidget(s)
        lay.addStretch(1)
        for combo in inner.findChildren(QtWidgets.QComboBox):
            self._narrow_combo(combo)
        self.setWidget(inner)
        self._anchor = None  # (focused widget, its y in the viewport, pass) while the column re-lays out
        self._settled = None  # (focused widget, its y in the viewport) with the layout settled
        self._fit_width()
        inner.installEventFilter(self)
        self.verticalScrollBar().valueChanged.connect(self._snapshot_focus)
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.focusChanged.connect(self._snapshot_focus)
        # objective/model pairs the core refuses cannot be selected
        self.objective.name.currentTextChanged.connect(self.model.set_objective)
        self.model.activation.currentTextChanged.connect(self.objective.set_activation)
        self.model.set_objective(session_cfg.objective.name)
        self.objective.set_activation(session_cfg.model.activation)

    def _narrow_combo(self, combo: QtWidgets.QComboBox) -> None:
        combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(self.MIN_COMBO_CHARS)
        view = combo.view()
        if view is not None:  # the open list shows every item whole
            view.setTextElideMode(QtCore.Qt.TextElideMode.ElideNone)
            view.setMinimumWidth(view.sizeHintForColumn(0) + 24)

    def _fit_width(self) -> None:
        """Never narrower than the content's minimum plus the scroll bar (no clipping at the right)."""
        inner = self.widget()
        if inner is None:
            return
        need = (inner.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
                + 2 * self.frameWidth())
        want = max(300, need)
        if self.minimumWidth() != want:
            self.setMinimumWidth(want)

    def eventFilter(self, obj, ev) -> bool:
        if obj is self.widget():
            t = ev.type()
            if t == QtCore.QEvent.Type.ChildPolished and isinstance(ev.child(), QtWidgets.QComboBox):
                self._narrow_combo(ev.child())  # a row built later (a preset's parameters)
            elif t == QtCore.QEvent.Type.LayoutRequest:
                self._fit_width()
                self._hold_focus_in_place()
        return False

    ANCHOR_PASSES = 3  # the column's layout and the scroll area's resize of it settle over a few events

    def _snapshot_focus(self, *_) -> None:
        """Where the widget being edited is in the viewport, while the layout is settled (focus
        changes, scrolling): the place ``_hold_focus_in_place`` keeps it at."""
        if self._anchor is not None:
            return
        focus = QtWidgets.QApplication.focusWidget()
        inner = self.widget()
        self._settled = None
        if focus is not None and inner is not None and inner.isAncestorOf(focus) and focus.isVisible():
            y = focus.mapTo(self.viewport(), QtCore.QPoint(0, 0)).y()
            if 0 <= y < self.viewport().height():
                self._settled = (focus, y)

    def _hold_focus_in_place(self) -> None:
        """The column changes height: put the widget being edited back where it was on screen once
        the new layout is in place, so rows that appear or vanish above it do not move it away."""
        if self._anchor is not None or self._settled is None:
            return
        if self._settled[0] is not QtWidgets.QApplication.focusWidget():
            self._snapshot_focus()
            if self._settled is None:
                return
        self._anchor = (*self._settled, 0)
        QtCore.QTimer.singleShot(0, self, self._restore_anchor)

    def _restore_anchor(self) -> None:
        import shiboken6

        anchor = self._anchor
        if anchor is None:
            return
        focus, y, passes = anchor
        if not shiboken6.isValid(focus) or not focus.isVisible():
            self._anchor = None
            self._settled = None
            return
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + focus.mapTo(self.viewport(), QtCore.QPoint(0, 0)).y() - y)
        if passes + 1 < self.ANCHOR_PASSES:
            self._anchor = (focus, y, passes + 1)
            QtCore.QTimer.singleShot(0, self, self._restore_anchor)
        else:
            self._anchor = None
            self._snapshot_focus()

    def show_config(self, cfg, density=None) -> None:
        """Show ``cfg`` (and ``density``) in every section without sending changes: used when a
        saved session is opened, whose settings the trainer already has."""
        widgets = self.widget().findChildren(QtWidgets.QWidget)
        blocked = [w.blockSignals(True) for w in widgets]
        try:
            o, m, s = cfg.objective, cfg.model, cfg.sampler
            ob, md, sa = self.objective, self.model, self.sampler
            values = [(ob.name, o.name), (ob.sigma, o.sigma), (ob.sigma_max, o.sigma_max),
                      (ob.sigma_min, o.sigma_min), (ob.levels, o.levels), (ob.projections, o.projections),
                      (ob.projection, o.projection), (md.hidden, m.hidden), (md.layers, m.layers),
                      (md.activation, m.activation), (md.param, m.parametrization), (md.lr, cfg.lr),
                      (md.batch, cfg.batch), (sa.kind, s.sampler), (sa.source, s.score_source),
                      (sa.step_size, s.step_size), (sa.n, s.n_particles), (sa.per_frame, s.steps_per_frame),
                      (sa.sigma_max, s.sigma_max), (sa.sigma_min, s.sigma_min), (sa.levels, s.levels),
                      (sa.per_level, s.steps_per_level)]
            for w, v in values:
                if isinstance(w, QtWidgets.QComboBox):
                    w.setCurrentText(v)
                else:
                    w.setValue(v)
            sa._base = s
            sy = self.system
            if sy.device.findText(cfg.device) >= 0:
                sy.device.setCurrentText(cfg.device)
            sy.seed.setValue(int(cfg.seed))
        finally:
            for w, was in zip(widgets, blocked):
                w.blockSignals(was)
        self.objective._show_params()
        self.sampler._show_rows()
        self.model.set_objective(cfg.objective.name)
        self.objective.set_activation(cfg.model.activation)
        if density is not None:  # its tab, with its settings (an image target: the Image tab)
            self.density.show_density(density)
            self.density._followed = density
