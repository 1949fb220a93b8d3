"""Saving a recording: the part of the Record controller that writes animations.

``RecordingExport`` is a mixin of ``RecordController`` (it uses the controller's frames, actions and
window): ``encode_to(path, fps)`` starts an ``EncodeJob`` without dialogs, ``export_dialog()`` asks
with an ``ExportDialog`` and shows a progress dialog that can cancel, and ``folder()`` is where the
dialog proposes to write. How a job ended is shown in the status bar and emitted as ``encodingEnded``.
"""

from __future__ import annotations

import os

from PySide6 import QtCore, QtWidgets

from scoreviz.core.animation import check_target
from scoreviz.core.errors import ScorevizError
from scoreviz.gui import app_data
from scoreviz.gui.i18n import tr
from scoreviz.gui.recording.encode_job import EncodeJob
from scoreviz.gui.recording.export_dialog import ExportDialog
from scoreviz.gui.recording.frames import one_line


class RecordingExport:
    """Writing the recording a ``RecordController`` holds (a mixin: it has no state of its own)."""

    def encode_to(self, path, fps: int | None = None) -> EncodeJob:
        """Write the recording to ``path`` (.mp4 or .gif) at ``fps`` (default: the capture rate) in a
        background job; returns the started EncodeJob. ScorevizError (one line) when there is nothing
        to write, a job runs already, or the path or frame rate is refused (nothing is started)."""
        if self.recording:
            self.stop()
        if self.encoding:
            raise ScorevizError(tr("an animation is being written already; wait for it or cancel it"))
        if len(self.frames) == 0:
            raise ScorevizError(tr("nothing recorded yet: press Record (Ctrl+Shift+R) first"))
        fps = self.capture_fps if fps is None else fps
        check_target(path, fps)
        if self.job is not None:
            self.job.deleteLater()  # finished: its outcome was reported
        job = self.job = EncodeJob(os.fspath(path), self.frames, fps, parent=self)
        job.ended.connect(lambda outcome, message, job=job: self._job_ended(job, outcome, message))
        self.act_export.setEnabled(False)
        job.start()
        return job

    def _job_ended(self, job: EncodeJob, outcome: str, message: str) -> None:
        if outcome == EncodeJob.WRITTEN and job.info is not None:
            i = job.info
            if job.frames_are(self.frames):
                self._saved = True
            app_data.remember_folder("recordings", message)  # the next export starts there
            text = tr("saved {path} ({n:,} frames, {w}×{h}, {fps:g} fps) in {s:.1f} s").format(
                path=message, n=i.n_frames, w=i.width, h=i.height, fps=i.fps, s=job.seconds)
        elif outcome == EncodeJob.CANCELLED:
            text = tr("{message}; the recording is kept (File ▸ Export animation…)").format(message=message)
        else:
            text = tr("could not write the animation: {reason}").format(reason=message)
        self.window.statusBar().showMessage(text, 10000)
        self.act_export.setEnabled(len(self.frames) > 0 and not self.recording)
        self.encodingEnded.emit(outcome, message)

    @staticmethod
    def folder() -> str:
        """Where the export dialog proposes to write: the folder of the last animation written, else
        the platform's Videos folder (``app_data.default_folder("recordings")``), never the home root."""
        return app_data.default_folder("recordings")

    def export_dialog(self) -> None:
        """Ask for format, frame rate and file; then write with a progress dialog that can cancel."""
        if self.recording:
            self.stop()
        if len(self.frames) == 0 or self.encoding:
            return
        dialog = ExportDialog(len(self.frames), self.frames.size or (0, 0), self.capture_fps, self.folder(),
                              self.window)
        result = dialog.exec()
        if result == ExportDialog.DISCARD:
            self.discard()
            self.window.statusBar().showMessage(tr("recording discarded"), 5000)
            return
        if result != QtWidgets.QDialog.DialogCode.Accepted:
            self.window.statusBar().showMessage(tr("the recording is kept: File ▸ Export animation… saves it"),
                                                8000)
            return
        path, fps = dialog.chosen()
        try:
            job = self.encode_to(path, fps)
        except ScorevizError as e:
            QtWidgets.QMessageBox.warning(self.window, tr("Could not write the animation"), one_line(e))
            return
        self._show_progress(job)

    def _show_progress(self, job: EncodeJob) -> None:
        dlg = QtWidgets.QProgressDialog(tr("Writing {name}…").format(name=os.path.basename(job.path)), tr("Cancel"),
                                        0, job.total, self.window)
        dlg.setWindowTitle(tr("Export animation"))
        dlg.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(300)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.canceled.connect(job.cancel)
        job.progressed.connect(lambda done, total: dlg.setValue(done))
        self._progress = dlg

        def ended(outcome: str, message: str) -> None:
            self._progress = None
            dlg.canceled.disconnect(job.cancel)
            dlg.close()
            dlg.deleteLater()
            if outcome == EncodeJob.FAILED:
                QtWidgets.QMessageBox.warning(self.window, tr("Could not write the animation"), message)

        job.ended.connect(ended)
