"""The density section of the dock: where the target comes from.

``DensitySection`` offers a preset with its parameters, a drawing, an image or an expression (its
tab pages are built in ``density_tabs``), emits the density made from them (``densityRequested``)
and shows the density training uses, whoever changed it (``follow_density``).
"""

from __future__ import annotations

import math

from PySide6 import QtCore, QtWidgets

from scoreviz.core.densities import EXPRESSION_PARAMS, IMAGE_PARAMS, PRESETS, load_density, make_preset
from scoreviz.core.images import IMAGE_SUFFIXES
from scoreviz.gui import style
from scoreviz.gui.controls.density_tabs import (build_draw_tab, build_expression_tab, build_image_tab,
                                                build_preset_tab)
from scoreviz.gui.controls.section import Section, show_error
from scoreviz.gui.controls.widgets import connect_changed, param_value, param_widget


class DensitySection(Section):
    """Where the target comes from: a preset with its parameters, a drawing, an image or an expression."""

    densityRequested = QtCore.Signal(object, str)  # (density, how it was made)
    drawingActive = QtCore.Signal(bool)
    clearDrawing = QtCore.Signal()
    undoDrawing = QtCore.Signal()
    openImageRequested = QtCore.Signal()

    TAB_PRESET, TAB_DRAW, TAB_IMAGE, TAB_EXPR = range(4)
    # "Open image…" lists images only (the suffixes of scoreviz.core.images.IMAGE_SUFFIXES)
    IMAGE_FILTER = "Images (" + " ".join("*" + s for s in IMAGE_SUFFIXES) + ")"

    def __init__(self, initial_preset: str = "8gaussians", parent=None):
        super().__init__("Density", "The target density p the model learns from (training samples come from it).", parent)
        self.presets = PRESETS
        self.current = QtWidgets.QLabel()
        self.current.setStyleSheet(f"color: {style.ACCENT};")
        self.current.setToolTip("The density training uses now")
        self.form.addRow("Target:", self.current)

        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setDocumentMode(True)
        self.form.addRow(self.tabs)
        # --- the tabs (density_tabs builds their pages and puts their widgets on self)
        self.tabs.addTab(build_preset_tab(self, PRESETS), "Preset")
        self._param_widgets: dict[str, QtWidgets.QWidget] = {}
        self.tabs.addTab(build_draw_tab(self), "Draw")
        self.tabs.addTab(build_image_tab(self, IMAGE_PARAMS), "Image")
        self._image_file: str | None = None
        self.tabs.addTab(build_expression_tab(self, EXPRESSION_PARAMS), "Expression")

        # --- wiring
        self.preset.currentTextChanged.connect(self._preset_chosen)
        self.tabs.currentChanged.connect(lambda i: self.drawingActive.emit(i == self.TAB_DRAW))
        self.clear_button.clicked.connect(self.clearDrawing)
        self.undo_button.clicked.connect(self.undoDrawing)
        self.open_image.clicked.connect(self.openImageRequested)
        for w in self.image_params.values():
            connect_changed(w, self._reload_image)
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
        if spec.lower().endswith((*IMAGE_SUFFIXES, ".json")):  # the tab of the target in force
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
            connect_changed(w, self._preset_params_changed)
            self._param_widgets[pname] = w
            self.param_form.addRow(pname.replace("_", " ") + ":", w)

    def _preset_chosen(self, name: str) -> None:
        self._build_params(name)
        self.apply_preset()

    def _preset_params_changed(self, *_):
        self.apply_preset()

    def preset_params(self) -> dict:
        return {k: param_value(w) for k, w in self._param_widgets.items()}

    def apply_preset(self) -> bool:
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
        self.tabs.setCurrentIndex(self.TAB_IMAGE)
        is_json = path.lower().endswith(".json")
        params = {} if is_json else {k: param_value(w) for k, w in self.image_params.items()}
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
        text = self.expression.text().strip()
        if not text:
            show_error(self.expression_error, "type an expression in x and y first")
            return False
        params = {k: param_value(w) for k, w in self.expr_params.items()}
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

    def show_in_force(self, density) -> None:
        """Show ``density`` (``show_density``) as the one ``follow_density`` last saw: used when a
        saved session is opened, whose density the trainer already has."""
        self.show_density(density)
        self._followed = density

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
                shown = param_value(w)
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
