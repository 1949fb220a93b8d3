"""The main window's files: the Open dialog, dropped files, and saving the target density.

``MainFiles`` is a mixin of ``MainWindow``: ``open_path`` opens a ``.scoreviz`` session (through the
session controller) or makes the target density from an image or a density file; a file dropped on
the window (``DROP_SUFFIXES``) is opened the same way; Save density… writes the target as ``.json``
(in a background job: the window never waits for the disk).
"""

from __future__ import annotations

import os

from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.core.densities import save_density_json
from scoreviz.gui import app_data
from scoreviz.gui.i18n import line_of, tr
from scoreviz.gui.jobs import Job, hold

DROP_SUFFIXES = (".png", ".jpg", ".jpeg", ".json", ".scoreviz")


class MainFiles:
    """Files in and out of the main window (a mixin)."""

    def open_file_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, tr("Open a session, a lesson, an image or a density file"), app_data.default_folder("sessions"),
            tr("Sessions, lessons, images and densities (*.scoreviz *.lesson.json *.png *.jpg *.jpeg *.json);;"
               "scoreviz sessions (*.scoreviz);;Lessons (*.lesson.json);;"
               "Images (*.png *.jpg *.jpeg);;Density files (*.json);;All files (*)"))
        if path:
            app_data.remember_folder("sessions", path)
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open a ``.scoreviz`` session or a ``.lesson.json`` lesson, or make the target density from an image
        or density file."""
        if path.lower().endswith(".scoreviz"):
            return self.sessions.open(path)
        if path.lower().endswith(".lesson.json"):  # a lesson: its scenes (gui/windows/lesson_player.py)
            return self.lesson.open(path)
        ok = self.controls.density.load_image(path)  # the recent list gets it once it is read (imageOpened)
        if not ok:
            self.statusBar().showMessage(self.controls.density.image_error.text(), 8000)
        return ok

    def dragEnterEvent(self, ev: QtGui.QDragEnterEvent) -> None:
        if self._dropped_path(ev.mimeData()):
            ev.acceptProposedAction()
        else:
            ev.ignore()

    def dragMoveEvent(self, ev: QtGui.QDragMoveEvent) -> None:
        if self._dropped_path(ev.mimeData()):
            ev.acceptProposedAction()

    def dropEvent(self, ev: QtGui.QDropEvent) -> None:
        path = self._dropped_path(ev.mimeData())
        if path:
            ev.acceptProposedAction()
            self.open_path(path)

    @staticmethod
    def _dropped_path(mime: QtCore.QMimeData) -> str | None:
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith(DROP_SUFFIXES):
                return url.toLocalFile()
        return None

    def save_density_dialog(self) -> None:
        f = self.last_frame
        if f is None:
            return
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, tr("Save the target density"), os.path.join(app_data.default_folder("exports"), "density.json"),
            tr("Density (*.json)"))
        if not path:
            return
        app_data.remember_folder("exports", path)
        if not path.lower().endswith(".json"):
            path += ".json"
        self.save_density(path)

    def save_density(self, path: str) -> bool:
        """Write the target density of the newest frame to ``path`` (.json) in a background job; the
        status bar says when it is saved, or why not. False when there is no frame yet."""
        f = self.last_frame
        if f is None:
            return False
        job = Job(write_density, f.state.density, path)
        job.finish_at_quit = True  # the file asked for is written
        job.returned.connect(self._density_written)  # a bound method: dropped with the window
        hold(job).start()
        return True

    def _density_written(self, result) -> None:
        path, error = result
        if error is not None:
            self.statusBar().showMessage(line_of(error), 8000)
            return
        self.statusBar().showMessage(tr("saved {path}").format(path=path), 6000)


def write_density(job: Job, density, path: str) -> tuple[str, BaseException | None]:
    """``save_density_json`` as a job's function: (path, the error or None)."""
    try:
        save_density_json(density, path)
    except Exception as e:
        return path, e
    return path, None
