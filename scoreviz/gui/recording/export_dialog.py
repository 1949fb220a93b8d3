"""The dialog that asks how to save a recording: file name, format (MP4 / GIF) and frame rate.

``ExportDialog`` checks the chosen file and frame rate before it accepts (an error shows in the
dialog); its result is Accepted (save), ``DISCARD`` (throw the recording away) or Rejected (keep it).
"""

from __future__ import annotations

import os
import time

from PySide6 import QtWidgets

from scoreviz.core import limits
from scoreviz.core.animation import GIF_MAX_FPS, check_target
from scoreviz.core.errors import ScorevizError
from scoreviz.gui import style
from scoreviz.gui.i18n import tr
from scoreviz.gui.recording.frames import one_line


class ExportDialog(QtWidgets.QDialog):
    """File name, format (MP4 / GIF) and frame rate for a recording; Save, Discard or Cancel (keep it)."""

    DISCARD = 2

    def __init__(self, frames: int, size: tuple[int, int], capture_fps: int, folder: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Export animation"))
        self._gif_max = GIF_MAX_FPS
        self._frames, self._capture_fps = frames, capture_fps
        form = QtWidgets.QFormLayout(self)
        self.info = QtWidgets.QLabel()
        self.info.setStyleSheet(f"color: {style.MUTED};")
        form.addRow(self.info)
        self.format = QtWidgets.QComboBox()
        self.format.addItem(tr("MP4 video (H.264)"), ".mp4")
        self.format.addItem(tr("GIF animation (256 colours, larger)"), ".gif")
        self.format.setToolTip(tr("MP4 plays everywhere and stays small; a GIF embeds in pages and slides but is "
                                  "larger, with one palette of 256 colours for all frames"))
        form.addRow(tr("Format:"), self.format)
        self.fps = QtWidgets.QSpinBox()
        lim = limits.LIMITS["fps"]
        self._fps_max = int(lim.max)
        self.fps.setRange(int(lim.min), self._fps_max)
        self.fps.setValue(capture_fps)
        self.fps.setSuffix(" fps")
        self.fps.setToolTip(tr("Playback rate. Recorded at {fps} fps: that plays at the speed it happened; "
                               "higher plays faster. A GIF allows at most 50.").format(fps=capture_fps))
        form.addRow(tr("Frame rate:"), self.fps)
        row = QtWidgets.QHBoxLayout()
        stamp = time.strftime("%Y%m%d-%H%M%S")
        self.path = QtWidgets.QLineEdit(os.path.join(folder, f"scoreviz-{stamp}.mp4"))
        self.path.setToolTip(tr("Where the animation is written (.mp4 or .gif)"))
        self.path.setMinimumWidth(360)
        browse = QtWidgets.QPushButton(tr("Browse…"))
        browse.setToolTip(tr("Choose the file"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow(tr("File:"), row)
        self.error = QtWidgets.QLabel()
        self.error.setStyleSheet(f"color: {style.ERROR};")
        self.error.setWordWrap(True)
        self.error.hide()
        form.addRow(self.error)
        buttons = QtWidgets.QDialogButtonBox()
        self.save = buttons.addButton(tr("Save"), QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        self.save.setToolTip(tr("Write the animation (a progress bar shows; it can be cancelled)"))
        self.discard = buttons.addButton(tr("Discard"), QtWidgets.QDialogButtonBox.ButtonRole.DestructiveRole)
        self.discard.setToolTip(tr("Throw this recording away"))
        cancel = buttons.addButton(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        cancel.setToolTip(tr("Keep the recording; File ▸ Export animation… saves it later"))
        self.save.setDefault(True)
        self.save.clicked.connect(self._accept)
        self.discard.clicked.connect(lambda: self.done(self.DISCARD))
        cancel.clicked.connect(self.reject)
        form.addRow(buttons)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.path.textEdited.connect(self._path_edited)
        self.fps.valueChanged.connect(self._show_info)
        self._size = size
        self._show_info()

    def suffix(self) -> str:
        return self.format.currentData()

    def chosen(self) -> tuple[str, int]:
        return self.path.text().strip(), int(self.fps.value())

    def _show_info(self, *_):
        w, h = self._size
        seconds = self._frames / max(self.fps.value(), 1)
        self.info.setText(tr("{n:,} frames · {w}×{h} · recorded at {fps} fps · plays {s:.1f} s").format(
            n=self._frames, w=w, h=h, fps=self._capture_fps, s=seconds))

    def _format_changed(self, *_):
        suffix = self.suffix()
        base, ext = os.path.splitext(self.path.text().strip())
        if ext.lower() in (".mp4", ".gif"):
            self.path.setText(base + suffix)
        self.fps.setMaximum(self._gif_max if suffix == ".gif" else self._fps_max)

    def _path_edited(self, text: str):
        ext = os.path.splitext(text.strip())[1].lower()
        i = self.format.findData(ext)
        if i >= 0 and i != self.format.currentIndex():
            self.format.blockSignals(True)
            self.format.setCurrentIndex(i)
            self.format.blockSignals(False)
            self.fps.setMaximum(self._gif_max if ext == ".gif" else self._fps_max)

    def _browse(self):
        mp4, gif = tr("MP4 video (*.mp4)"), tr("GIF animation (*.gif)")
        path, chosen = QtWidgets.QFileDialog.getSaveFileName(
            self, tr("Export animation"), self.path.text(), f"{mp4};;{gif}", gif if self.suffix() == ".gif" else mp4)
        if path:
            if os.path.splitext(path)[1].lower() not in (".mp4", ".gif"):
                path += ".gif" if "gif" in chosen.lower() else ".mp4"  # the pattern (*.gif) is in any language
            self.path.setText(path)
            self._path_edited(path)

    def _accept(self):
        path, fps = self.chosen()
        try:
            check_target(path, fps)
        except ScorevizError as e:
            self.error.setText(one_line(e))
            self.error.show()
            return
        self.accept()
