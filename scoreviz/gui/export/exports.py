"""File ▸ Export: the fields, a figure of the view, and the trained network, from the window.

- **Fields** (``.npz`` in the ``field.npz`` layout, or ``.csv`` one row per grid point): the learned
  and true scores and log p on the arrow grid over the panels' view, from the *training* Session
  (``scoreviz.core.export.field_arrays``), computed and written in the training thread between two
  steps (``TrainingThread.call``): one consistent instant, and the window never waits.
- **Figure** (PNG at a chosen size, or SVG): drawn by ``figure_export`` from the newest frame, then
  encoded and written by a background job (``scoreviz.gui.jobs``).
- **Model**: ``model.pt`` + ``model.json`` exactly as ``scoreviz train --out`` writes them
  (``save_model``), a ``torch.export`` program (``.pt2``) or ONNX (with ``onnx`` + ``onnxscript``).
  A copy of the network is exported, so the training model is never touched.

Every file goes through ``scoreviz.core.atomic``: a failed or cancelled export leaves nothing
behind. One export runs at a time; the status bar shows it with a Cancel button (a cancelled
export writes nothing) and then says what was saved, or a one-line reason it was not.

The running of one export at a time is in ``jobs``, the checks of a target in ``checks``, the figure
dialog in ``figure_dialog``.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from scoreviz.core.atomic import atomic_path
from scoreviz.core import model_export
from scoreviz.core.errors import ScorevizError
from scoreviz.core.export import field_arrays, save_model, write_field_csv, write_field_npz
from scoreviz.gui import app_data
from scoreviz.gui.export.checks import check_folder, check_target, with_suffix
from scoreviz.gui.export.figure_dialog import FigureDialog
from scoreviz.gui.export.jobs import ExportCancelled, ExportJob, ExportJobs
from scoreviz.gui.i18n import N_, text_of, tr
from scoreviz.gui.offscreen import figure_export

ONNX_HINT = "pip install onnx onnxscript"
FIELD_FORMATS = {"npz": N_("NumPy arrays (*.npz)"), "csv": N_("CSV table (*.csv)")}  # shown: tr(FIELD_FORMATS[fmt])
FIGURE_FILTERS = {"png": N_("PNG picture (*.png)"), "svg": N_("SVG vector drawing (*.svg)")}


class ExportController(ExportJobs):
    """File ▸ Export for a MainWindow (menu ``self.menu``, a toolbar button, shortcuts)."""

    def __init__(self, window):
        super().__init__(window)
        self._onnx = model_export.onnx_available()  # the optional packages are there (or not) for the whole run
        A = window.add_action
        self.act_fields_npz = A(tr("Fields as NPZ…"), lambda: self.fields_dialog("npz"), "Ctrl+Shift+F",
                                tr("Save the learned and true fields and log p on the arrow grid over the view as .npz "
                                   "(the field.npz layout of scoreviz train)"))
        self.act_fields_csv = A(tr("Fields as CSV…"), lambda: self.fields_dialog("csv"), "Ctrl+Alt+F",
                                tr("Save the fields on the arrow grid over the view as .csv: one row per grid point "
                                   "(x, y, learned_u, learned_v, true_u, true_v, log_density)"))
        self.act_figure = A(tr("Figure…"), self.figure_dialog, "Ctrl+E",
                            tr("Save the view (all panels, or one) as PNG at a chosen size or as SVG"))
        self.act_model = A(tr("Model (state dict + config)…"), self.model_dialog, "Ctrl+Shift+M",
                           tr("Save the trained network as model.pt + model.json in a folder, as scoreviz train does "
                              "(scoreviz sample --score FOLDER loads it)"))
        self.act_program = A(tr("Model as torch.export program (.pt2)…"), self.program_dialog, "Ctrl+Alt+M",
                             tr("Save the network as a portable torch.export program: "
                                "torch.export.load(path).module()(x, sigma)"))
        self.act_onnx = A(tr("Model as ONNX…"), self.onnx_dialog, "Ctrl+Alt+Shift+M",
                          tr("Save the network as an ONNX model (inputs x, sigma; output score)"))
        self.export_actions = (self.act_fields_npz, self.act_fields_csv, self.act_figure, self.act_model,
                               self.act_program, self.act_onnx)

        m = QtWidgets.QMenu(tr("&Export"), window)
        m.setToolTipsVisible(True)
        m.setToolTip(tr("Save the fields, a figure or the trained model"))
        for a in (self.act_figure, None, self.act_fields_npz, self.act_fields_csv, None, self.act_model,
                  self.act_program, self.act_onnx):
            m.addSeparator() if a is None else m.addAction(a)
        self.menu = m

        self.button = QtWidgets.QToolButton()
        self.button.setText(tr("Export"))
        self.button.setIcon(window.style().standardIcon(QtWidgets.QStyle.StandardPixmap.SP_DialogSaveButton))
        self.button.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setMenu(m)
        self.button.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setToolTip(tr("Export a figure (Ctrl+E), the fields or the trained model"))
        toolbar = getattr(window, "toolbar", None)
        if toolbar is not None:
            toolbar.addSeparator()
            toolbar.addWidget(self.button)

        self.add_progress()
        self.update_actions()
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.wait)

    def update_actions(self) -> None:
        idle = not self.busy()
        for a in self.export_actions:
            a.setEnabled(idle)
        self.act_onnx.setEnabled(idle and self._onnx)
        if not self._onnx:
            tip = tr("ONNX export needs the optional packages: {hint}").format(hint=ONNX_HINT)
            self.act_onnx.setToolTip(tip)
            self.act_onnx.setStatusTip(tip)

    # ================================================================== fields
    def export_fields(self, path: str, fmt: str | None = None) -> bool:
        """Write the fields on the arrow grid over the view as ``fmt`` ("npz" or "csv"; default from the
        suffix). Returns False when refused at once; the result comes with ``finished``."""
        path = os.fspath(path)
        fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
        what = tr("the fields")
        try:
            if fmt not in FIELD_FORMATS:
                raise ScorevizError(tr("format '{fmt}' is not known; choose npz or csv").format(fmt=fmt))
            check_target(path)
        except ScorevizError as e:
            return self.refuse(what, path, e)
        n = int(self.w.controls.display.grid_value())
        box = tuple(float(v) for v in self.w.panels.field_box())
        writer = write_field_npz if fmt == "npz" else write_field_csv
        axis = getattr(self.w, "time_axis", None)
        t = axis.bar.t if axis is not None and axis.visible else None  # objective sde: the time shown

        def work(session, cancel):
            arrays = field_arrays(session, n=n, box=box, t=t if session.sde is not None else None)
            if cancel.is_set():
                raise ExportCancelled()
            writer(path, arrays)

        return self.run_in_trainer(ExportJob(what, [path]), work)

    def fields_dialog(self, fmt: str) -> None:
        path = self._ask_save(tr("Export the fields as {fmt}").format(fmt=fmt.upper()), f"fields.{fmt}",
                              tr(FIELD_FORMATS[fmt]), "." + fmt)
        if path:
            self.export_fields(path, fmt)

    # ================================================================== figure
    def export_figure(self, path: str, part: str = "all", size: tuple[int, int] | None = None,
                      fmt: str | None = None) -> bool:
        """Draw ``part`` of the view (``figure_export.PARTS``) at ``size`` pixels (default: twice the size
        on screen) as PNG or SVG (default from the suffix) and write it from a background job."""
        path = os.fspath(path)
        fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
        what = tr("the figure")
        if self.busy():
            return self.refuse(what, path, ScorevizError(tr("another export is still running")))
        try:
            state = figure_export.capture(self.w)
            if size is None:
                size = figure_export.default_size(state, part if part in state.sizes else "all")
            part, size, fmt = figure_export.check_request(state, part, size, fmt)
            check_target(path)
        except ScorevizError as e:
            return self.refuse(what, path, e)
        QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:  # drawing needs the GUI thread (a second at the largest sizes); encoding and writing do not
            picture = (figure_export.render_png if fmt == "png" else figure_export.render_svg)(state, part, size)
        except MemoryError:
            reason = tr("not enough memory for a {w} x {h} picture").format(w=size[0], h=size[1])
            return self.refuse(what, path, ScorevizError(reason))
        except Exception as e:  # one line in the status bar, never a traceback
            return self.refuse(what, path, e)
        finally:
            QtWidgets.QApplication.restoreOverrideCursor()

        def work(running):
            data = figure_export.png_bytes(picture) if fmt == "png" else picture
            with atomic_path(path) as tmp:
                tmp.write_bytes(data)
                if running.aborted():  # Cancel: the temporary file goes, the target is untouched
                    raise ExportCancelled()

        return self.run_in_job(ExportJob(what, [path]), work)

    def figure_dialog(self) -> None:
        try:
            state = figure_export.capture(self.w)
        except ScorevizError as e:
            self.show_status(text_of(e), 6000)
            return
        dlg = FigureDialog(state, self.w)
        try:
            if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted:
                return
            part, fmt, size = dlg.choice()
        finally:
            dlg.deleteLater()
        path = self._ask_save(tr("Export the figure"), f"scoreviz-{part}.{fmt}", tr(FIGURE_FILTERS[fmt]), "." + fmt,
                              kind="figures")
        if path:
            self.export_figure(path, part, size, fmt)

    # ================================================================== model
    def export_model(self, folder: str) -> bool:
        """``folder/model.pt`` + ``folder/model.json`` (``scoreviz.core.export.save_model``)."""
        folder = os.fspath(folder)
        paths = [os.path.join(folder, "model.pt"), os.path.join(folder, "model.json")]
        try:
            check_folder(folder)
        except ScorevizError as e:
            return self.refuse(tr("the model"), paths[0], e)

        def work(session, cancel):
            save_model(folder, session)

        return self.run_in_trainer(ExportJob(tr("the model"), paths), work)

    def export_program(self, path: str) -> bool:
        """A ``torch.export`` program of the network's score (``.pt2``)."""
        return self._export_network(path, tr("the torch.export program"), model_export.export_program)

    def export_onnx(self, path: str) -> bool:
        """An ONNX model of the network's score (needs ``onnx`` and ``onnxscript``)."""
        if not model_export.onnx_available():
            reason = ScorevizError(tr("ONNX export needs: {hint}").format(hint=ONNX_HINT))
            return self.refuse(tr("the ONNX model"), path, reason)
        return self._export_network(path, tr("the ONNX model"), model_export.export_onnx)

    def _export_network(self, path: str, what: str, exporter) -> bool:
        path = os.fspath(path)
        try:
            check_target(path)
        except ScorevizError as e:
            return self.refuse(what, path, e)

        def work(session, cancel):
            model = copy.deepcopy(session.model)  # exporting switches modes and traces: never the training copy
            with atomic_path(path) as tmp:  # renamed into place only if not cancelled meanwhile
                if cancel.is_set():
                    raise ExportCancelled()
                if session.sde is not None:  # a time-conditional model exports as score(x, t)
                    exporter(model, tmp, sde=session.sde)
                else:
                    exporter(model, tmp)
                if cancel.is_set():
                    raise ExportCancelled()

        return self.run_in_trainer(ExportJob(what, [path]), work)

    def model_dialog(self) -> None:
        folder = QtWidgets.QFileDialog.getExistingDirectory(self.w, tr("Folder for model.pt and model.json"),
                                                            app_data.default_folder("exports"))
        if not folder:
            return
        app_data.remember_folder("exports", folder)
        there = [n for n in ("model.pt", "model.json") if os.path.exists(os.path.join(folder, n))]
        if there:
            SB = QtWidgets.QMessageBox.StandardButton
            if len(there) == 2:
                text = tr("model.pt and model.json already exist in {folder}. Replace them?").format(folder=folder)
            else:
                text = tr("{file} already exist in {folder}. Replace them?").format(file=there[0], folder=folder)
            answer = QtWidgets.QMessageBox.question(self.w, tr("Replace the model?"), text, SB.Yes | SB.Cancel,
                                                    SB.Cancel)
            if answer != SB.Yes:
                return
        self.export_model(folder)

    def program_dialog(self) -> None:
        path = self._ask_save(tr("Export the model as a torch.export program"), "model.pt2",
                              tr("torch.export program (*.pt2)"), ".pt2")
        if path:
            self.export_program(path)

    def onnx_dialog(self) -> None:
        path = self._ask_save(tr("Export the model as ONNX"), "model.onnx", tr("ONNX model (*.onnx)"), ".onnx")
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
