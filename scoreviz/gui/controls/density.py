"""The density section of the dock: where the target comes from.

``DensitySection`` offers a preset with its parameters, a drawing, an image or an expression (its
tab pages are built in ``density_tabs``), emits the density made from them (``densityRequested``)
and shows the density training uses, whoever changed it (``follow_density``).

Densities are built in a background job (``scoreviz.gui.jobs.run_job``): decoding an image of up to
8192 x 8192 pixels, evaluating an expression on its grid or making a preset never holds up the
window. ``building`` is the job in flight (None when none is); a newer request supersedes it (its
result is dropped), and so does a session's density put in force (``show_in_force``). An image or
density file that is refused before anything is decoded (missing, a folder, not an image, too many
pixels: ``image_refusal``) is refused at once, so ``load_image`` can answer False right away.
"""

from __future__ import annotations

import html
import math
import warnings

from PIL import Image
from PySide6 import QtCore, QtWidgets

from scoreviz.core.atomic import file_kind
from scoreviz.core.densities import EXPRESSION_PARAMS, IMAGE_PARAMS, PRESETS, load_density, make_preset
from scoreviz.core.images import IMAGE_FORMATS, IMAGE_SUFFIXES, MAX_PIXELS
from scoreviz.core.text import plain
from scoreviz.gui import style
from scoreviz.gui.controls.density_tabs import (build_draw_tab, build_expression_tab, build_image_tab,
                                                build_preset_tab)
from scoreviz.gui.controls.section import Section, show_error
from scoreviz.gui.controls.widgets import connect_changed, param_value, param_widget
from scoreviz.gui.i18n import line_of, tr
from scoreviz.gui.jobs import Job, run_job


def first_line(e: BaseException) -> str:
    """The line an error label shows for a refused density (in the interface's language)."""
    return line_of(e)


def make_density(job: Job, make, spec: str, params: dict):
    """(in a job) ``make(spec, **params)``: a preset, or ``load_density``'s image, file or expression."""
    return make(spec, **params)


def _header_readable(path: str) -> bool:
    """Whether the loader would go past its first checks: a regular file that is a .json density
    file, or an image whose header Pillow reads with a size within the limit (nothing is decoded)."""
    if file_kind(path) != "file":
        return False
    lower = path.lower()
    if lower.endswith(".json"):
        return True
    if not lower.endswith(IMAGE_SUFFIXES):
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path, formats=IMAGE_FORMATS) as img:
                w, h = img.size
    except Exception:
        return False
    return 0 < w * h <= MAX_PIXELS


def image_refusal(path: str, params: dict) -> str | None:
    """Why an image or density file is refused before anything is decoded or parsed (missing, a
    folder, a pipe, not an image, too many pixels), in the loader's own words (it stops at that same
    first check: quick enough for the GUI thread); None for a file the job reads."""
    if _header_readable(path):
        return None
    try:
        load_density(path, **params)
    except Exception as e:
        return first_line(e)
    return None  # it loaded after all (changed meanwhile): the job reads it again


class _ImageFilter:
    """``DensitySection.IMAGE_FILTER``: the file dialog's filter of images, translated when it is read."""

    def __get__(self, obj, owner=None) -> str:
        return tr("Images ({patterns})").format(patterns=" ".join("*" + s for s in IMAGE_SUFFIXES))


class DensitySection(Section):
    """Where the target comes from: a preset with its parameters, a drawing, an image or an expression."""

    densityRequested = QtCore.Signal(object, str)  # (density, how it was made)
    drawingActive = QtCore.Signal(bool)
    clearDrawing = QtCore.Signal()
    undoDrawing = QtCore.Signal()
    openImageRequested = QtCore.Signal()
    imageOpened = QtCore.Signal(str)  # an image or .json density file became the target (its path)
    imageRefused = QtCore.Signal(str)  # one was refused while it was read (the one-line reason)

    TAB_PRESET, TAB_DRAW, TAB_IMAGE, TAB_EXPR = range(4)
    # "Open image…" lists images only (the suffixes of scoreviz.core.images.IMAGE_SUFFIXES), in the
    # interface's language (read when the dialog opens, after the translator is installed)
    IMAGE_FILTER = _ImageFilter()

    def __init__(self, initial_preset: str = "8gaussians", parent=None):
        super().__init__(tr("Density"), tr("The target density p the model learns from (training samples come "
                                           "from it)."), parent)
        self.presets = PRESETS
        self.current = QtWidgets.QLabel()
        self.current.setTextFormat(QtCore.Qt.TextFormat.PlainText)  # names from files are text, never markup
        self.current.setStyleSheet(f"color: {style.ACCENT};")
        self.current.setToolTip(tr("The density training uses now"))
        self.form.addRow(tr("Target:"), self.current)

        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setDocumentMode(True)
        self.form.addRow(self.tabs)
        # --- the tabs (density_tabs builds their pages and puts their widgets on self)
        self.tabs.addTab(build_preset_tab(self, PRESETS), tr("Preset"))
        self._param_widgets: dict[str, QtWidgets.QWidget] = {}
        self.tabs.addTab(build_draw_tab(self), tr("Draw"))
        self.tabs.addTab(build_image_tab(self, IMAGE_PARAMS), tr("Image"))
        self._image_file: str | None = None
        self.tabs.addTab(build_expression_tab(self, EXPRESSION_PARAMS), tr("Expression"))

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
        self._replaced = None  # the one a session's density replaced (show_in_force), until training has it
        self.building: Job | None = None  # the density being built
        self._on_built = None  # (error label, what to do with the density, who hears a refusal) for ``building``
        spec = initial_preset if isinstance(initial_preset, str) else ""
        if spec.lower().endswith((*IMAGE_SUFFIXES, ".json")):  # the tab of the target in force
            self.tabs.setCurrentIndex(self.TAB_IMAGE)
            self.image_path.setText(plain(spec))
        elif spec.startswith("expr:"):
            self.tabs.setCurrentIndex(self.TAB_EXPR)
            self.expression.setText(spec[5:])

    # ------------------------------------------------------------------ preset
    def _build_params(self, name: str) -> None:
        while self.param_form.rowCount():
            self.param_form.removeRow(0)
        self._param_widgets = {}
        spec = self.presets[name]
        self.preset_help.setText(tr(spec.help))
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
        """Build the chosen preset with its parameters (in a job) and emit it."""
        name = self.preset.currentText()
        self.build(make_preset, name, self.preset_params(), self.preset_error,
                   lambda d: self.densityRequested.emit(d, tr("preset {name}").format(name=name)))
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
        """Make a density from an image file (or a .json density file), decoded in a job; errors are
        shown under the button. False: refused at once (``image_refusal``)."""
        self.tabs.setCurrentIndex(self.TAB_IMAGE)
        is_json = path.lower().endswith(".json")
        params = {} if is_json else {k: param_value(w) for k, w in self.image_params.items()}
        refused = image_refusal(path, params)
        if refused is not None:
            show_error(self.image_error, refused)
            return False
        file_name = path.rsplit("/", 1)[-1]
        how = (tr("density file {name}") if is_json else tr("image {name}")).format(name=file_name)
        self.build(load_density, path, params, self.image_error, lambda d: self._image_built(path, d, how),
                   refused=self.imageRefused.emit)
        return True

    def _image_built(self, path: str, density, how: str) -> None:
        self._image_file = path
        self.image_path.setText(plain(path))
        self.image_path.setToolTip(html.escape(plain(path)))
        self.densityRequested.emit(density, how)
        self.imageOpened.emit(path)

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
            show_error(self.expression_error, tr("type an expression in x and y first"))
            return False
        params = {k: param_value(w) for k, w in self.expr_params.items()}
        self.build(load_density, "expr:" + text, params, self.expression_error,
                   lambda d: self.densityRequested.emit(d, tr("expression")))
        return True

    # ------------------------------------------------------------------ building (in a job)
    def build(self, make, spec: str, params: dict, error: QtWidgets.QLabel, done, refused=None) -> Job:
        """Build ``make(spec, **params)`` in a job; on the GUI thread, ``done(density)`` once it is
        built, or ``error`` shows the refusal (and ``refused(reason)`` hears it). A newer request
        supersedes this one."""
        self.cancel_build()
        # bound methods: the answer is dropped with the section
        job = run_job(make_density, make, spec, params, on_returned=self._built, on_errored=self._build_refused)
        self.building, self._on_built = job, (error, done, refused)
        return job

    def cancel_build(self) -> None:
        """Drop the density being built (its result is never used)."""
        if self.building is not None:
            self.building.abort()
        self.building, self._on_built = None, None

    def _take_built(self):
        """(error label, done) of the job that signals, unless a newer request superseded it."""
        job = self.building
        if job is None or self.sender() is not job.signals:
            return None
        taken = self._on_built
        self.building, self._on_built = None, None
        return taken

    def _built(self, density) -> None:
        taken = self._take_built()
        if taken is not None:
            show_error(taken[0], None)
            taken[1](density)

    def _build_refused(self, e) -> None:
        taken = self._take_built()
        if taken is not None:
            show_error(taken[0], first_line(e))
            if taken[2] is not None:
                taken[2](first_line(e))

    # ------------------------------------------------------------------ state
    def set_current(self, text: str) -> None:
        text = plain(text)
        self.current.setText(text)
        self.current.setToolTip(html.escape(text))

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
                    self.image_path.setText(plain(path))
                    self.image_path.setToolTip(html.escape(plain(path)))
            else:  # from a session or a density file: no image to reload from
                self._image_file = None
                self.image_path.setText(plain(name))
                self.image_path.setToolTip(html.escape(plain(name)))
            self._set_quietly(self.image_params, params)
        self.set_current(name)
        if self.tabs.currentIndex() != tab:
            self.tabs.setCurrentIndex(tab)

    def follow_density(self, density) -> None:
        """Called with the density training uses (each status update): when it changed, whoever
        changed it (the dock, a session, talk mode, a file), the dock shows it (``show_density``).
        While the user paints, the Draw tab stays as it is."""
        if density is None or density is self._replaced:  # a frame from before the session opened
            return
        if density is self._followed:
            self._replaced = None
            return
        self._followed, self._replaced = density, None
        if self.tabs.currentIndex() == self.TAB_DRAW and self.target_tab(density) == self.TAB_DRAW:
            return
        self.show_density(density)

    def show_in_force(self, density) -> None:
        """Show ``density`` (``show_density``) as the one ``follow_density`` last saw: used when a
        saved session is opened, whose density the trainer already has (a density still being built
        for an older request is dropped)."""
        self.cancel_build()
        self.show_density(density)
        self._replaced = self._followed if self._followed is not density else None
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
