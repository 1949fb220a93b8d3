"""File ▸ Export: the fields, a figure of the view, and the trained network, from the window.

- **Fields** (``.npz`` in the ``field.npz`` layout, or ``.csv`` one row per grid point): the learned
  and true scores and log p on the arrow grid over the panels' view, from the *training* Session
  (``scoreviz.core.export.field_arrays``), computed and written in the training thread between two
  steps (``TrainingThread.call``): one consistent instant, and the window never waits.
- **Figure** (PNG at a chosen size, or SVG): drawn by ``figure_export`` from the newest frame, then
  encoded and written by a short-lived writer thread.
- **Model**: ``model.pt`` + ``model.json`` exactly as ``scoreviz train --out`` writes them
  (``save_model``), a ``torch.export`` program (``.pt2``) or ONNX (with ``onnx`` + ``onnxscript``).
  A copy of the network is exported, so the training model is never touched.

Every file goes through ``scoreviz.core.atomic``: a failed or cancelled export leaves nothing
behind. One export runs at a time; the status bar shows it with a Cancel button (a cancelled
export writes nothing) and then says what was saved, or a one-line reason it was not.
"""

from __future__ import annotations

import copy
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from scoreviz.core.errors import ScorevizError
from scoreviz.core.limits import LIMITS
from scoreviz.gui import app_data
from scoreviz.gui.offscreen import figure_export

ONNX_HINT = "pip install onnx onnxscript"
FIELD_FORMATS = {"npz": "NumPy arrays (*.npz)", "csv": "CSV table (*.csv)"}
FIGURE_FILTERS = {"png": "PNG picture (*.png)", "svg": "SVG vector drawing (*.svg)"}


class ExportCancelled(Exception):
    """The user cancelled the export before its file was written."""


def _one_line(e: BaseException) -> str:
    if isinstance(e, OSError) and e.strerror:
        return e.strerror + (f": '{e.filename}'" if e.filename else "")
    text = str(e).strip()
    if not text:
        return type(e).__name__
    text = text.splitlines()[0]
    return text if len(text) <= 300 else text[:140] + " … " + text[-150:]  # keep the reason at the end


def _size_text(paths) -> str:
    total = 0
    for p in paths:
        try:
            total += os.path.getsize(p)
        except OSError:
            pass
    return f"{total / 1024:,.0f} KB"


def check_target(path: str) -> None:
    """ScorevizError when ``path`` cannot be written: no such folder, a folder itself, a read-only folder."""
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise ScorevizError(f"cannot write '{path}': folder '{folder}' does not exist")
    if os.path.isdir(path):
        raise ScorevizError(f"cannot write '{path}': it is a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ScorevizError(f"cannot write '{path}': folder '{folder}' is not writable")


def check_folder(folder: str) -> None:
    """ScorevizError when files cannot be written into ``folder``."""
    if not os.path.isdir(folder):
        raise ScorevizError(f"cannot write into '{folder}': it is not an existing folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ScorevizError(f"cannot write into '{folder}': the folder is not writable")


def with_suffix(path: str, suffix: str) -> str:
    """``path`` ending in ``suffix`` (added when the name has another or none)."""
    return path if path.lower().endswith(suffix) else path + suffix


@dataclass
class _Job:
    what: str  # "the fields", "the figure", ...
    paths: list  # what it writes (for the message)
    cancel: threading.Event = field(default_factory=threading.Event)
    future: object = None  # the trainer call's Future
    thread: threading.Thread | None = None


# ============================================================================ figure dialog
class FigureDialog(QtWidgets.QDialog):
    """Which part of the view, PNG or SVG, and the size in pixels (default: twice the size on screen)."""

    def __init__(self, state: figure_export.ViewState, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Export figure")
        self.state = state
        lim = LIMITS["image_side"]
        form = QtWidgets.QFormLayout(self)
        self.part = QtWidgets.QComboBox()
        for key, label in figure_export.PARTS.items():
            self.part.addItem(label, key)
        self.part.setToolTip("What the picture shows: every panel with the training curves, one panel with "
                             "its colour bar, or the curves")
        if not state.error_visible:  # only what the window shows
            i = self.part.findData("error")
            self.part.model().item(i).setEnabled(False)
            self.part.setItemData(i, "Show the error panel first (E)", QtCore.Qt.ItemDataRole.ToolTipRole)
        self.format = QtWidgets.QComboBox()
        self.format.addItem("PNG (pixels, at the size below)", "png")
        self.format.addItem("SVG (vector: arrows, axes and text stay sharp)", "svg")
        self.format.setToolTip("PNG: a picture of exactly the size below. SVG: a vector drawing of that size that "
                               "stays sharp when scaled; heat maps and particles are embedded pictures")
        self.width_box, self.height_box = QtWidgets.QSpinBox(), QtWidgets.QSpinBox()
        for box, name in ((self.width_box, "width"), (self.height_box, "height")):
            box.setRange(int(lim.min), int(lim.max))
            box.setSuffix(" px")
            box.setSingleStep(100)
            box.setAccelerated(True)
            box.setToolTip(f"Picture {name} in pixels, {int(lim.min)}–{int(lim.max)}; the default is twice the "
                           "size on screen")
        self.keep = QtWidgets.QCheckBox("Keep the proportions on screen")
        self.keep.setChecked(True)
        self.keep.setToolTip("Changing the width changes the height to match, and back")
        size_row = QtWidgets.QHBoxLayout()
        size_row.addWidget(self.width_box)
        size_row.addWidget(QtWidgets.QLabel("×"))
        size_row.addWidget(self.height_box)
        size_row.addStretch(1)
        form.addRow("Show:", self.part)
        form.addRow("Format:", self.format)
        form.addRow("Size:", size_row)
        form.addRow("", self.keep)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Save
                                             | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Save).setText("Save…")
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Save).setToolTip("Choose the file and save the figure")
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).setToolTip("Close without saving")
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


# ============================================================================ the controller
class ExportController(QtCore.QObject):
    """File ▸ Export for a MainWindow (menu ``self.menu``, a toolbar button, shortcuts)."""

    finished = QtCore.Signal(str, bool, str)  # (first path, ok, the status-bar text)
    _threadDone = QtCore.Signal(object, object)  # (job, exception or None) from a writer thread

    def __init__(self, window):
        super().__init__(window)
        self.w = window
        self._job: _Job | None = None
        self._threadDone.connect(self._thread_done)
        from scoreviz.core.model_export import onnx_available

        self._onnx = onnx_available()  # the optional packages are there (or not) for the whole run
        A = window.add_action
        self.act_fields_npz = A("Fields as NPZ…", lambda: self.fields_dialog("npz"), "Ctrl+Shift+F",
                                "Save the learned and true fields and log p on the arrow grid over the view as .npz "
                                "(the field.npz layout of scoreviz train)")
        self.act_fields_csv = A("Fields as CSV…", lambda: self.fields_dialog("csv"), "Ctrl+Alt+F",
                                "Save the fields on the arrow grid over the view as .csv: one row per grid point "
                                "(x, y, learned_u, learned_v, true_u, true_v, log_density)")
        self.act_figure = A("Figure…", self.figure_dialog, "Ctrl+E",
                            "Save the view (all panels, or one) as PNG at a chosen size or as SVG")
        self.act_model = A("Model (state dict + config)…", self.model_dialog, "Ctrl+Shift+M",
                           "Save the trained network as model.pt + model.json in a folder, as scoreviz train does "
                           "(scoreviz sample --score FOLDER loads it)")
        self.act_program = A("Model as torch.export program (.pt2)…", self.program_dialog, "Ctrl+Alt+M",
                             "Save the network as a portable torch.export program: "
                             "torch.export.load(path).module()(x, sigma)")
        self.act_onnx = A("Model as ONNX…", self.onnx_dialog, "Ctrl+Alt+Shift+M",
                          "Save the network as an ONNX model (inputs x, sigma; output score)")
        self.export_actions = (self.act_fields_npz, self.act_fields_csv, self.act_figure, self.act_model,
                               self.act_program, self.act_onnx)

        m = QtWidgets.QMenu("&Export", window)
        m.setToolTipsVisible(True)
        m.setToolTip("Save the fields, a figure or the trained model")
        for a in (self.act_figure, None, self.act_fields_npz, self.act_fields_csv, None, self.act_model,
                  self.act_program, self.act_onnx):
            m.addSeparator() if a is None else m.addAction(a)
        self.menu = m

        self.button = QtWidgets.QToolButton()
        self.button.setText("Export")
        self.button.setIcon(window.style().standardIcon(QtWidgets.QStyle.StandardPixmap.SP_DialogSaveButton))
        self.button.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setMenu(m)
        self.button.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setToolTip("Export a figure (Ctrl+E), the fields or the trained model")
        toolbar = getattr(window, "toolbar", None)
        if toolbar is not None:
            toolbar.addSeparator()
            toolbar.addWidget(self.button)

        self.progress = QtWidgets.QWidget()
        lay = QtWidgets.QHBoxLayout(self.progress)
        lay.setContentsMargins(0, 0, 6, 0)
        self.progress_label = QtWidgets.QLabel()
        self.progress_bar = QtWidgets.QProgressBar()
        self.progress_bar.setRange(0, 0)  # busy: the exports report no fractions
        self.progress_bar.setMaximumSize(90, 14)
        self.progress_bar.setToolTip("An export is running")
        self.cancel_button = QtWidgets.QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop the export: nothing is written")
        self.cancel_button.clicked.connect(self.cancel)
        for wdg in (self.progress_label, self.progress_bar, self.cancel_button):
            lay.addWidget(wdg)
        self.progress.hide()
        window.statusBar().insertPermanentWidget(0, self.progress)
        self._update_actions()
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.wait)

    # ================================================================== state
    def busy(self) -> bool:
        return self._job is not None

    def _update_actions(self) -> None:
        idle = self._job is None
        for a in self.export_actions:
            a.setEnabled(idle)
        self.act_onnx.setEnabled(idle and self._onnx)
        if not self._onnx:
            tip = f"ONNX export needs the optional packages: {ONNX_HINT}"
            self.act_onnx.setToolTip(tip)
            self.act_onnx.setStatusTip(tip)

    def _status(self, text: str, ms: int = 8000) -> None:
        self.w.statusBar().showMessage(text, ms)

    def _begin(self, job: _Job) -> None:
        self._job = job
        self.progress_label.setText(f"Exporting {job.what}…")
        self.progress.show()
        self._update_actions()

    def _end(self, job: _Job, error: BaseException | None) -> None:
        if job is not self._job:
            return
        self._job = None
        self.progress.hide()
        self._update_actions()
        first = str(job.paths[0])
        if error is None:
            shown = first if len(job.paths) == 1 else f"{Path(first).parent}{os.sep}" + " + ".join(
                Path(p).name for p in job.paths)
            text = f"saved {shown} ({_size_text(job.paths)})"
            self._status(text, 8000)
            self.finished.emit(first, True, text)
            return
        if isinstance(error, ExportCancelled):
            text = f"export of {job.what} cancelled: nothing written"
        else:
            text = f"could not export {job.what}: {_one_line(error)}"
        self._status(text, 12000)
        self.finished.emit(first, False, text)

    def _refuse(self, what: str, path: str, error: BaseException) -> bool:
        text = f"could not export {what}: {_one_line(error)}"
        self._status(text, 12000)
        self.finished.emit(str(path), False, text)
        return False

    def cancel(self) -> None:
        """Stop the running export: it writes nothing. (Work already under way, e.g. tracing a network, runs
        to its end in the background and is then thrown away; model.pt + model.json take milliseconds and
        are cancelled only before they start.)"""
        job = self._job
        if job is None:
            return
        job.cancel.set()
        if job.future is not None:
            job.future.cancel()  # not started yet: it never runs

    def wait(self, timeout: float = 60.0) -> None:
        """Wait for a writer thread to finish its file (on quit)."""
        job = self._job
        if job is not None and job.thread is not None:
            job.thread.join(timeout)

    # ================================================================== running jobs
    def _in_trainer(self, job: _Job, work) -> bool:
        """Run ``work(session)`` in the training thread between two steps; report when it is done."""
        if self._job is not None:
            return self._refuse(job.what, job.paths[0], ScorevizError("another export is still running"))
        cancel = job.cancel

        def run(session):
            if cancel.is_set():
                raise ExportCancelled()
            if session is None:
                raise ScorevizError("there is no model yet: choose a density that loads")
            return work(session, cancel)

        def done(future):
            if future.cancelled():
                self._end(job, ExportCancelled())
            else:
                self._end(job, future.exception())

        self._begin(job)
        job.future = self.w.trainer.call(run, done)
        return True

    def _in_thread(self, job: _Job, work) -> bool:
        """Run ``work(cancel)`` in a writer thread (encoding and writing files), then report."""
        if self._job is not None:
            return self._refuse(job.what, job.paths[0], ScorevizError("another export is still running"))

        def run():
            error = None
            try:
                if job.cancel.is_set():
                    raise ExportCancelled()
                work(job.cancel)
            except BaseException as e:  # reported in the window
                error = e
            try:
                self._threadDone.emit(job, error)
            except RuntimeError:  # the window is gone
                pass

        self._begin(job)
        job.thread = threading.Thread(target=run, name="scoreviz-export", daemon=False)
        job.thread.start()
        return True

    def _thread_done(self, job: _Job, error) -> None:
        if job.thread is not None:
            job.thread.join(5.0)  # it only has to return
        self._end(job, error)

    # ================================================================== fields
    def export_fields(self, path: str, fmt: str | None = None) -> bool:
        """Write the fields on the arrow grid over the view as ``fmt`` ("npz" or "csv"; default from the
        suffix). Returns False when refused at once; the result comes with ``finished``."""
        from scoreviz.core.export import field_arrays, write_field_csv, write_field_npz

        path = os.fspath(path)
        fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
        what = "the fields"
        try:
            if fmt not in FIELD_FORMATS:
                raise ScorevizError(f"format '{fmt}' is not known; choose npz or csv")
            check_target(path)
        except ScorevizError as e:
            return self._refuse(what, path, e)
        n = int(self.w.controls.display.grid_value())
        box = tuple(float(v) for v in self.w.panels.field_box())
        writer = write_field_npz if fmt == "npz" else write_field_csv

        def work(session, cancel):
            arrays = field_arrays(session, n=n, box=box)
            if cancel.is_set():
                raise ExportCancelled()
            writer(path, arrays)

        return self._in_trainer(_Job(what, [path]), work)

    def fields_dialog(self, fmt: str) -> None:
        path = self._ask_save(f"Export the fields as {fmt.upper()}", f"fields.{fmt}", FIELD_FORMATS[fmt], "." + fmt)
        if path:
            self.export_fields(path, fmt)

    # ================================================================== figure
    def export_figure(self, path: str, part: str = "all", size: tuple[int, int] | None = None,
                      fmt: str | None = None) -> bool:
        """Draw ``part`` of the view (``figure_export.PARTS``) at ``size`` pixels (default: twice the size
        on screen) as PNG or SVG (default from the suffix) and write it from a writer thread."""
        path = os.fspath(path)
        fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
        what = "the figure"
        if self._job is not None:
            return self._refuse(what, path, ScorevizError("another export is still running"))
        try:
            state = figure_export.capture(self.w)
            if size is None:
                size = figure_export.default_size(state, part if part in state.sizes else "all")
            part, size, fmt = figure_export.check_request(state, part, size, fmt)
            check_target(path)
        except ScorevizError as e:
            return self._refuse(what, path, e)
        QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:  # drawing needs the GUI thread (a second at the largest sizes); encoding and writing do not
            picture = (figure_export.render_png if fmt == "png" else figure_export.render_svg)(state, part, size)
        except MemoryError:
            return self._refuse(what, path, ScorevizError(f"not enough memory for a {size[0]} x {size[1]} picture"))
        except Exception as e:  # one line in the status bar, never a traceback
            return self._refuse(what, path, e)
        finally:
            QtWidgets.QApplication.restoreOverrideCursor()

        def work(cancel):
            from scoreviz.core.atomic import atomic_path

            data = figure_export.png_bytes(picture) if fmt == "png" else picture
            with atomic_path(path) as tmp:
                tmp.write_bytes(data)
                if cancel.is_set():  # the temporary file goes, the target is untouched
                    raise ExportCancelled()

        return self._in_thread(_Job(what, [path]), work)

    def figure_dialog(self) -> None:
        try:
            state = figure_export.capture(self.w)
        except ScorevizError as e:
            self._status(str(e), 6000)
            return
        dlg = FigureDialog(state, self.w)
        try:
            if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted:
                return
            part, fmt, size = dlg.choice()
        finally:
            dlg.deleteLater()
        path = self._ask_save("Export the figure", f"scoreviz-{part}.{fmt}", FIGURE_FILTERS[fmt], "." + fmt,
                              kind="figures")
        if path:
            self.export_figure(path, part, size, fmt)

    # ================================================================== model
    def export_model(self, folder: str) -> bool:
        """``folder/model.pt`` + ``folder/model.json`` (``scoreviz.core.export.save_model``)."""
        from scoreviz.core.export import save_model

        folder = os.fspath(folder)
        paths = [os.path.join(folder, "model.pt"), os.path.join(folder, "model.json")]
        try:
            check_folder(folder)
        except ScorevizError as e:
            return self._refuse("the model", paths[0], e)

        def work(session, cancel):
            save_model(folder, session)

        return self._in_trainer(_Job("the model", paths), work)

    def export_program(self, path: str) -> bool:
        """A ``torch.export`` program of the network's score (``.pt2``)."""
        from scoreviz.core.model_export import export_program

        return self._export_network(path, "the torch.export program", export_program)

    def export_onnx(self, path: str) -> bool:
        """An ONNX model of the network's score (needs ``onnx`` and ``onnxscript``)."""
        from scoreviz.core.model_export import export_onnx, onnx_available

        if not onnx_available():
            return self._refuse("the ONNX model", path, ScorevizError(f"ONNX export needs: {ONNX_HINT}"))
        return self._export_network(path, "the ONNX model", export_onnx)

    def _export_network(self, path: str, what: str, exporter) -> bool:
        path = os.fspath(path)
        try:
            check_target(path)
        except ScorevizError as e:
            return self._refuse(what, path, e)

        def work(session, cancel):
            from scoreviz.core.atomic import atomic_path

            model = copy.deepcopy(session.model)  # exporting switches modes and traces: never the training copy
            with atomic_path(path) as tmp:  # renamed into place only if not cancelled meanwhile
                if cancel.is_set():
                    raise ExportCancelled()
                exporter(model, tmp)
                if cancel.is_set():
                    raise ExportCancelled()

        return self._in_trainer(_Job(what, [path]), work)

    def model_dialog(self) -> None:
        folder = QtWidgets.QFileDialog.getExistingDirectory(self.w, "Folder for model.pt and model.json",
                                                            app_data.default_folder("exports"))
        if not folder:
            return
        app_data.remember_folder("exports", folder)
        there = [n for n in ("model.pt", "model.json") if os.path.exists(os.path.join(folder, n))]
        if there:
            SB = QtWidgets.QMessageBox.StandardButton
            answer = QtWidgets.QMessageBox.question(
                self.w, "Replace the model?", f"{' and '.join(there)} already exist in {folder}. Replace them?",
                SB.Yes | SB.Cancel, SB.Cancel)
            if answer != SB.Yes:
                return
        self.export_model(folder)

    def program_dialog(self) -> None:
        path = self._ask_save("Export the model as a torch.export program", "model.pt2",
                              "torch.export program (*.pt2)", ".pt2")
        if path:
            self.export_program(path)

    def onnx_dialog(self) -> None:
        path = self._ask_save("Export the model as ONNX", "model.onnx", "ONNX model (*.onnx)", ".onnx")
        if path:
            self.export_onnx(path)

    # ================================================================== helpers
    def _ask_save(self, title: str, name: str, pattern: str, suffix: str, kind: str = "exports") -> str | None:
        """A save dialog that starts in the folder last used for ``kind`` (figures, exports), else the
        platform's Pictures (figures) or Documents folder (``app_data.default_folder``)."""
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self.w, title, os.path.join(app_data.default_folder(kind), name), pattern)
        if not path:
            return None
        app_data.remember_folder(kind, path)
        return with_suffix(path, suffix)

