"""The four tab pages of the density section: preset, drawing, image and expression.

Each builder makes one page and hangs its widgets on the ``DensitySection`` as attributes (the
names the section's methods, the window and the tests use); the section adds the pages to its
tabs and wires the signals. ``EXAMPLE_EXPRESSIONS`` fill the expression tab's completer and menu.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from scoreviz.gui import style
from scoreviz.gui.controls.section import error_label
from scoreviz.gui.controls.widgets import form_layout, limited_spin_box, param_widget, range_tip
from scoreviz.gui.i18n import tr

EXAMPLE_EXPRESSIONS = [
    "-(x**2 + y**2 - 4)**2 / 0.5",
    "-(y - x**2 / 2 + 1)**2 / 0.2 - x**2 / 8",
    "log(exp(-((x - 2)**2 + y**2) / 0.3) + exp(-((x + 2)**2 + y**2) / 0.3))",
    "-abs(x) - abs(y) * 3",
    "sin(2 * x) * cos(2 * y) * 2 - (x**2 + y**2) / 8",
]


def muted_label(text: str = "") -> QtWidgets.QLabel:
    """A word-wrapped hint in the muted colour."""
    lab = QtWidgets.QLabel(text)
    lab.setWordWrap(True)
    lab.setStyleSheet(f"color: {style.MUTED};")
    return lab


def param_rows(form: QtWidgets.QFormLayout, params: dict) -> dict[str, QtWidgets.QWidget]:
    """A row per parameter of ``params`` (boxes excepted), labelled by its capitalised name."""
    widgets: dict[str, QtWidgets.QWidget] = {}
    for name, param in params.items():
        if param.type == "box":
            continue
        w = param_widget(param)
        widgets[name] = w
        form.addRow(name.replace("_", " ").capitalize() + ":", w)
    return widgets


def build_preset_tab(sec, presets: dict) -> QtWidgets.QWidget:
    """The preset box, its help and the box its parameters' rows go in."""
    page = QtWidgets.QWidget()
    pf = form_layout()
    page.setLayout(pf)
    sec.preset = QtWidgets.QComboBox()
    for i, (name, spec) in enumerate(presets.items()):
        sec.preset.addItem(name)
        sec.preset.setItemData(i, tr(spec.help), QtCore.Qt.ItemDataRole.ToolTipRole)
    sec.preset.setToolTip(tr("A built-in 2-D density (its parameters appear below)"))
    pf.addRow(tr("Preset:"), sec.preset)
    sec.preset_help = muted_label()
    pf.addRow(sec.preset_help)
    sec.param_box = QtWidgets.QWidget()
    sec.param_form = form_layout()
    sec.param_form.setContentsMargins(0, 0, 0, 0)
    sec.param_box.setLayout(sec.param_form)
    pf.addRow(sec.param_box)
    sec.preset_error = error_label()
    pf.addRow(sec.preset_error)
    return page


def build_draw_tab(sec) -> QtWidgets.QWidget:
    """The brush's settings, undo and clear."""
    page = QtWidgets.QWidget()
    df = form_layout()
    page.setLayout(df)
    df.addRow(muted_label(tr("Paint on the particles panel: left-drag paints, right-drag (or Shift) erases. "
                             "Wheel zooms; middle-drag pans.")))
    sec.brush_mode = QtWidgets.QComboBox()
    sec.brush_mode.addItems([tr("Paint"), tr("Erase")])  # read by index (1: erase)
    sec.brush_mode.setToolTip(tr("What a left-drag does (a right-drag always erases)"))
    df.addRow(tr("Left button:"), sec.brush_mode)
    sec.brush_radius = limited_spin_box("brush_radius", 0.35, step=0.05)
    sec.brush_radius.setToolTip(range_tip(
        tr("Brush radius in data units: each dab adds a Gaussian of std radius/2 ([ and ] change it)"),
        "brush_radius"))
    df.addRow(tr("Radius:"), sec.brush_radius)
    sec.brush_strength = limited_spin_box("brush_strength", 0.5, step=0.05)
    sec.brush_strength.setToolTip(range_tip(
        tr("Weight a dab adds (paint). The eraser always removes the paint under it in one pass; this is "
           "the most it thins the paint just outside its edge"), "brush_strength"))
    df.addRow(tr("Strength:"), sec.brush_strength)
    row = QtWidgets.QHBoxLayout()
    sec.undo_button = QtWidgets.QPushButton(tr("Undo stroke"))
    sec.undo_button.setToolTip(tr("Take back the last stroke (Ctrl+Z)"))
    sec.clear_button = QtWidgets.QPushButton(tr("Clear"))
    sec.clear_button.setToolTip(tr("Remove everything painted (the target stays until you paint again)"))
    row.addWidget(sec.undo_button)
    row.addWidget(sec.clear_button)
    df.addRow(row)
    sec.draw_status = QtWidgets.QLabel(tr("Canvas empty"))
    sec.draw_status.setStyleSheet(f"color: {style.MUTED};")
    df.addRow(sec.draw_status)
    return page


def build_image_tab(sec, image_params: dict) -> QtWidgets.QWidget:
    """The "Open image…" button, the image's parameters and the file in use."""
    page = QtWidgets.QWidget()
    imf = form_layout()
    page.setLayout(imf)
    sec.open_image = QtWidgets.QPushButton(tr("Open image…"))
    sec.open_image.setToolTip(tr("A PNG/JPEG picture becomes the density: dark pixels are dense. "
                                 "Ctrl+O also opens sessions and .json density files; you can drop an "
                                 "image file onto the window too."))
    imf.addRow(sec.open_image)
    sec.image_params = param_rows(imf, image_params)
    sec.image_path = muted_label(tr("No image loaded"))
    sec.image_path.setTextFormat(QtCore.Qt.TextFormat.PlainText)  # a path is text, never markup
    imf.addRow(sec.image_path)
    sec.image_error = error_label()
    imf.addRow(sec.image_error)
    return page


def build_expression_tab(sec, expression_params: dict) -> QtWidgets.QWidget:
    """The expression line with its examples, and its discretisation's parameters."""
    page = QtWidgets.QWidget()
    ef = form_layout()
    page.setLayout(ef)
    ef.addRow(muted_label(tr("An unnormalised log-density in x and y, e.g. -(x**2 + y**2 - 4)**2 / 0.5")))
    sec.expression = QtWidgets.QLineEdit()
    sec.expression.setPlaceholderText(tr("log p(x, y) up to a constant"))
    sec.expression.setToolTip(tr("Operators + - * / **, functions such as exp, log, sin, cos, abs, sqrt; "
                                 "names x, y, pi, e. Press Enter to use it."))
    sec.expression.setClearButtonEnabled(True)
    completer = QtWidgets.QCompleter(EXAMPLE_EXPRESSIONS, sec.expression)
    completer.setCaseSensitivity(QtCore.Qt.CaseSensitivity.CaseInsensitive)
    sec.expression.setCompleter(completer)
    row = QtWidgets.QHBoxLayout()
    row.addWidget(sec.expression, 1)
    sec.apply_expression = QtWidgets.QPushButton(tr("Use"))
    sec.apply_expression.setToolTip(tr("Discretise the expression on its box and train on it (Enter)"))
    row.addWidget(sec.apply_expression)
    ef.addRow(row)
    sec.examples = QtWidgets.QComboBox()
    sec.examples.addItem(tr("Examples…"))  # index 0: a heading, not an expression
    sec.examples.addItems(EXAMPLE_EXPRESSIONS)
    sec.examples.setToolTip(tr("Fill in an example expression"))
    ef.addRow(sec.examples)
    sec.expr_params = param_rows(ef, expression_params)
    sec.expression_error = error_label()
    ef.addRow(sec.expression_error)
    return page
