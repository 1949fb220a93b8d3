"""The compare window's files: opening an image or density, saving the figure, the curves and the summary.

``CompareFiles`` is a mixin of ``CompareWindow``: the figure is drawn from a full-precision frame the
worker makes (written when it arrives, ``figureSaved(path, ok)``), the curves are written from the
newest frame, the summary by the worker; the dialogs start in the folder last used for each kind.
"""

from __future__ import annotations

import os

from PySide6 import QtWidgets

from scoreviz.core.atomic import write_bytes, write_text
from scoreviz.core.compare import curves_csv_text
from scoreviz.gui import app_data
from scoreviz.gui.offscreen.compare_render import render_frame_png

FIGURE_SIZE = (1600, 1000)  # "Save figure": the size `scoreviz compare` writes by default


class CompareFiles:
    """Files in and out of the compare window (a mixin)."""

    def open_file_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, "Open an image or a density file", app_data.default_folder("images"),
            "Images and densities (*.png *.jpg *.jpeg *.json);;Images (*.png *.jpg *.jpeg);;Density files (*.json)")
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
        self.worker.post("figure", (str(path), tuple(size), self.display.grid_value()))

    def _write_figure(self, job) -> None:
        path, size, frame = job
        try:
            write_bytes(path, render_frame_png(frame, size))
        except Exception as e:
            self.statusBar().showMessage(f"could not write {path}: {str(e).splitlines()[0]}", 8000)
            self.figureSaved.emit(path, False)
            return
        self.statusBar().showMessage(f"saved {path}", 6000)
        self.figureSaved.emit(path, True)

    def save_curves(self, path: str) -> bool:
        """The curves so far as CSV (the columns of ``scoreviz compare``'s curves.csv), written atomically."""
        f = self.last_frame
        if f is None:
            return False
        try:
            write_text(path, curves_csv_text(list(f.curves)))
        except Exception as e:
            self.statusBar().showMessage(f"could not write {path}: {str(e).splitlines()[0]}", 8000)
            return False
        self.statusBar().showMessage(f"saved {path}", 6000)
        return True

    def save_summary(self, path: str) -> None:
        """The summary (as summary.json) is written by the worker, which owns the comparison."""
        self.worker.post("summary", str(path))

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
        path = self._ask_path("Save the comparison figure", "compare.png", "PNG (*.png)", ".png", kind="figures")
        if path:
            self.save_figure(path)

    def save_curves_dialog(self) -> None:
        path = self._ask_path("Save the curves", "curves.csv", "CSV (*.csv)", ".csv")
        if path:
            self.save_curves(path)

    def save_summary_dialog(self) -> None:
        path = self._ask_path("Save the summary", "summary.json", "JSON (*.json)", ".json")
        if path:
            self.save_summary(path)
