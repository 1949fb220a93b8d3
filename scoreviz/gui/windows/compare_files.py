"""The compare window's files: opening an image or density, saving the figure, the curves and the summary.

``CompareFiles`` is a mixin of ``CompareWindow``: the figure is drawn from a full-precision frame the
worker makes (drawn on the GUI thread when it arrives, encoded and written by a background job, then
``figureSaved(path, ok)``), the curves are written from the newest frame, the summary by the worker;
the dialogs start in the folder last used for each kind.
"""

from __future__ import annotations

import os

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.core.atomic import write_bytes, write_text
from scoreviz.core.compare import curves_csv_text
from scoreviz.core.errors import ScorevizError
from scoreviz.gui import app_data
from scoreviz.gui.i18n import line_of, tr
from scoreviz.gui.jobs import Job, hold
from scoreviz.gui.offscreen.compare_render import render_frame_image
from scoreviz.gui.offscreen.figure_export import png_bytes
from scoreviz.live.commands import Figure, Summary

FIGURE_SIZE = (1600, 1000)  # "Save figure": the size `scoreviz compare` writes by default


class CompareFiles:
    """Files in and out of the compare window (a mixin)."""

    def open_file_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, tr("Open an image or a density file"), app_data.default_folder("images"),
            tr("Images and densities (*.png *.jpg *.jpeg *.json)") + ";;" + tr("Images (*.png *.jpg *.jpeg)") + ";;"
            + tr("Density files (*.json)"))
        if path:
            app_data.remember_folder("images", path)
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        ok = self.density.load_image(path)
        if not ok:
            self.statusBar().showMessage(self.density.image_error.text(), 8000)
        return ok

    def save_figure(self, path: str, size: tuple[int, int] = FIGURE_SIZE) -> None:
        """Ask the worker for a full-precision frame over the density's box; the PNG is written when it
        arrives (``figureSaved(path, ok)``; the status bar says so)."""
        self.worker.post(Figure(str(path), tuple(size), self.display.grid_value()))

    def _write_figure(self, request) -> None:
        """The worker's frame for ``save_figure``: drawn here (it draws widgets), encoded and written
        atomically by a job; ``_figure_written`` says how it went."""
        path, size, frame = request
        try:
            image = render_frame_image(frame, size)
        except Exception as e:
            self._figure_written((path, e))
            return
        job = Job(write_figure, path, image)
        job.finish_at_quit = True  # the file asked for is written
        job.returned.connect(self._figure_written)  # a bound method: dropped with the window
        hold(job).start()

    def _figure_written(self, result) -> None:
        path, error = result
        if not shiboken6.isValid(self):
            return
        if error is not None:
            text = tr("could not write {path}: {error}").format(path=path, error=_first_line(error))
            self.statusBar().showMessage(text, 8000)
            self.figureSaved.emit(path, False)
            return
        self.statusBar().showMessage(tr("saved {path}").format(path=path), 6000)
        self.figureSaved.emit(path, True)

    def save_curves(self, path: str) -> bool:
        """The curves so far as CSV (the columns of ``scoreviz compare``'s curves.csv), written atomically."""
        f = self.last_frame
        if f is None:
            return False
        try:
            write_text(path, curves_csv_text(list(f.curves)))
        except Exception as e:
            text = tr("could not write {path}: {error}").format(path=path, error=line_of(e))
            self.statusBar().showMessage(text, 8000)
            return False
        self.statusBar().showMessage(tr("saved {path}").format(path=path), 6000)
        return True

    def save_summary(self, path: str) -> None:
        """The summary (as summary.json) is written by the worker, which owns the comparison."""
        self.worker.post(Summary(str(path)))

    def _ask_path(self, title: str, name: str, pattern: str, suffix: str, kind: str = "exports") -> str | None:
        """A save dialog in the folder last used for ``kind``, else the platform's Pictures (figures)
        or Documents folder (``app_data.default_folder``), never the home root or the working folder."""
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, title, os.path.join(app_data.default_folder(kind), name),
                                                        pattern)
        if not path:
            return None
        app_data.remember_folder(kind, path)
        return path if path.lower().endswith(suffix) else path + suffix

    def save_figure_dialog(self) -> None:
        path = self._ask_path(tr("Save the comparison figure"), "compare.png", tr("PNG (*.png)"), ".png",
                              kind="figures")
        if path:
            self.save_figure(path)

    def save_curves_dialog(self) -> None:
        path = self._ask_path(tr("Save the curves"), "curves.csv", tr("CSV (*.csv)"), ".csv")
        if path:
            self.save_curves(path)

    def save_summary_dialog(self) -> None:
        path = self._ask_path(tr("Save the summary"), "summary.json", tr("JSON (*.json)"), ".json")
        if path:
            self.save_summary(path)


def _first_line(e: BaseException) -> str:
    """The first line of an exception's message (its type's name when it has none), in the interface's language."""
    return line_of(e)


def write_figure(job: Job, path: str, image: QtGui.QImage) -> tuple[str, BaseException | None]:
    """Encode ``image`` as PNG and write it to ``path`` atomically (a job's function): (path, the
    error or None). A window that closes meanwhile lets it finish; the application awaits it at quit."""
    try:
        try:
            data = png_bytes(image)
        except ScorevizError:
            raise RuntimeError(tr("could not encode the comparison figure as PNG")) from None
        write_bytes(path, data)
    except Exception as e:
        return path, e
    return path, None
