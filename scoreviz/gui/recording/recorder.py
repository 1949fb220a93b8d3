"""Recording a window's panels as an animation: the Record button, the export dialog, the encoding job.

``RecordController(window, target)`` gives a QMainWindow

- ``act_record`` "Record" (checkable, Ctrl+Shift+R): captures ``target()`` (a widget: the panels)
  ``capture_fps`` times a second while checked; the status bar shows "● REC 00:12 (240 frames)".
  Unchecking it opens the export dialog (MP4 or GIF, frame rate, file name).
- ``act_export`` "Export animation…" (Ctrl+Shift+E): the same dialog for the last recording.
- ``fps_menu``: the recording frame rate (10, 15, 20, 25 or 30 frames per second).

Capturing runs on the GUI thread and copies the window's pixels where the platform can read them
back (X11, Windows, offscreen: ``QScreen.grabWindow``, under a millisecond offscreen, a few on X11),
so the recording is what is on screen, including anything drawn over the panels; elsewhere
(Wayland, macOS) the panels are painted again for each frame (``widget.grab()``, about a repaint;
see benchmarks/encode_speed.py). Frames are converted in a background job and kept in a
``FrameStore``: the first ``RAW_BYTES`` as they are (no work while a short recording runs), later
ones compressed with zlib there (about a fifth of their size, ~13 ms of one core per 1280×720
frame, which a 2-core machine takes from training).

Frames are the widget's size in device pixels, scaled down to at most ``MAX_WIDTH`` pixels wide;
when the widget is resized while recording, later frames are scaled into the first frame's size
(letterboxed). When
a capture comes late (a busy machine), the previous frame repeats, so the animation keeps the pace
of what happened. A recording stops by itself at ``max_bytes`` of frames held or at the frame limit
(limits "frames"), with a message.

Encoding runs in a background job (``EncodeJob``) with a progress dialog that can cancel it;
cancelling, or any error, leaves no file behind (``scoreviz.core.animation.write_animation``).
For tests and scripts, without dialogs: ``start()``, ``stop()``, ``frame_count``,
``encode_to(path, fps) -> EncodeJob`` (its ``ended(outcome, message)`` signal says how it went).

The capturing is here; the compressor job is in ``frames``, the encoding job in ``encode_job``,
the dialog in ``export_dialog`` and the saving (``encode_to``, ``export_dialog()``) in ``exporting``.
"""

from __future__ import annotations

import time
from typing import Callable

from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.core import limits
from scoreviz.core.animation import FrameStore
from scoreviz.gui import style
from scoreviz.gui.actions import make_action
from scoreviz.gui.i18n import tr
from scoreviz.gui.recording.encode_job import EncodeJob
from scoreviz.gui.recording.exporting import RecordingExport
from scoreviz.gui.recording.frames import REPEAT, STOP, Compressor

DEFAULT_FPS = 20
FPS_CHOICES = (10, 15, 20, 25, 30)
MAX_WIDTH = 1920  # wider captures are scaled down (keeping the aspect ratio)
MAX_BYTES = 1 << 30  # memory one recording may hold (~1200 frames of 1280x720 panels)
MAX_PENDING = 12  # frames waiting for the compressor; beyond this a capture repeats the last frame instead
LABEL_EVERY_S = 0.25  # the REC indication is refreshed this often
REC_COLOUR = "#ff4d4d"
# platforms whose windows' pixels can be read back (QScreen.grabWindow); elsewhere (Wayland, macOS) the
# panels are painted again for every frame (widget.grab), which costs the GUI thread about a repaint
SCREEN_GRAB_PLATFORMS = ("offscreen", "xcb", "windows")


def _record_icon(colour: str, square: bool = False) -> QtGui.QIcon:
    pix = QtGui.QPixmap(32, 32)
    pix.fill(QtCore.Qt.GlobalColor.transparent)
    p = QtGui.QPainter(pix)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    p.setBrush(QtGui.QColor(colour))
    if square:
        p.drawRoundedRect(QtCore.QRectF(8, 8, 16, 16), 2, 2)
    else:
        p.drawEllipse(QtCore.QRectF(7, 7, 18, 18))
    p.end()
    return QtGui.QIcon(pix)


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60:02d}:{s % 60:02d}"


class RecordController(RecordingExport, QtCore.QObject):
    """Records ``target()`` (a widget of ``window``) as an animation; see the module's description."""

    recordingChanged = QtCore.Signal(bool)
    frameCaptured = QtCore.Signal(int)  # frames recorded so far
    encodingEnded = QtCore.Signal(str, str)  # EncodeJob.ended of the last job

    def __init__(self, window: QtWidgets.QMainWindow, target: Callable[[], QtWidgets.QWidget],
                 fps: int = DEFAULT_FPS, max_bytes: int = MAX_BYTES, max_width: int = MAX_WIDTH):
        super().__init__(window)
        self.window = window
        self.target = target
        self.capture_fps = int(fps)
        self.max_bytes = int(max_bytes)
        self.max_width = int(max_width)
        self.max_frames = limits.LIMITS["frames"].max
        self.frames = FrameStore()
        self.frame_size: tuple[int, int] | None = None
        self.job: EncodeJob | None = None
        self._progress: QtWidgets.QProgressDialog | None = None
        self._compressor: Compressor | None = None
        self._recorded = 0  # frames recorded (captured or repeated), including those still compressing
        self._t0 = 0.0
        self._label_t = 0.0
        self._saved = True  # the recording held has been written (or there is none)
        self._closed = False
        self.capture_ms: list[float] = []  # GUI-thread time of the newest captures (benchmarks)
        platform = QtGui.QGuiApplication.platformName()
        self.capture_method = "screen" if platform in SCREEN_GRAB_PLATFORMS else "render"

        self._timer = QtCore.QTimer(self)
        self._timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._capture)

        self.label = QtWidgets.QLabel()
        self.label.setStyleSheet(f"color: {REC_COLOUR}; font-weight: bold; padding: 0 6px;")
        self.label.setToolTip(tr("Recording the panels: press Record again (Ctrl+Shift+R) to stop and save"))
        self.label.hide()
        window.statusBar().addPermanentWidget(self.label)

        self._icons = (_record_icon(REC_COLOUR), _record_icon(style.FOREGROUND, square=True))
        self.act_record = self._action(tr("Record"), "Ctrl+Shift+R",
                                       tr("Record the panels as an animation; press again to stop and save it "
                                          "as MP4 or GIF"), checkable=True)
        self.act_record.setIcon(self._icons[0])
        self.act_record.toggled.connect(self._record_toggled)
        self.act_export = self._action(tr("Export animation…"), "Ctrl+Shift+E",
                                       tr("Save the last recording as an MP4 or GIF (format, frame rate, file)"))
        self.act_export.triggered.connect(self.export_dialog)
        self.act_export.setEnabled(False)
        self.fps_menu = QtWidgets.QMenu(tr("Recording frame rate"), window)
        self.fps_menu.setToolTipsVisible(True)
        group = QtGui.QActionGroup(self)
        self.fps_actions = {}
        for f in FPS_CHOICES:
            a = QtGui.QAction(tr("{n} frames per second").format(n=f), self, checkable=True)
            a.setToolTip(tr("Capture the panels {n} times a second while recording").format(n=f))
            a.setStatusTip(a.toolTip())
            a.setChecked(f == self.capture_fps)
            a.triggered.connect(lambda _=False, f=f: self.set_capture_fps(f))
            group.addAction(a)
            self.fps_menu.addAction(a)
            self.fps_actions[f] = a

        window.installEventFilter(self)
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def _action(self, text: str, shortcut: str, tip: str, checkable: bool = False) -> QtGui.QAction:
        return make_action(self.window, text, None, shortcut, tip, checkable)

    # ------------------------------------------------------------------ placing the actions
    def add_to_toolbar(self, toolbar: QtWidgets.QToolBar) -> None:
        """The Record button, with the frame-rate menu on its arrow."""
        toolbar.addAction(self.act_record)
        button = toolbar.widgetForAction(self.act_record)
        if isinstance(button, QtWidgets.QToolButton):
            button.setMenu(self.fps_menu)
            button.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.MenuButtonPopup)

    def add_to_menu(self, menu: QtWidgets.QMenu) -> None:
        """Record, Export animation… and the frame-rate submenu."""
        menu.addAction(self.act_record)
        menu.addAction(self.act_export)
        menu.addMenu(self.fps_menu)

    # ------------------------------------------------------------------ state
    @property
    def recording(self) -> bool:
        return self._timer.isActive()

    @property
    def frame_count(self) -> int:
        """Frames recorded so far (while recording, some may still be compressing)."""
        return self._recorded if self.recording or self._compressor is not None else len(self.frames)

    @property
    def encoding(self) -> bool:
        return self.job is not None and self.job.is_running()

    def duration_s(self) -> float:
        return self.frame_count / self.capture_fps

    def memory_bytes(self) -> int:
        """Compressed frames held, plus the raw frames waiting to be compressed."""
        c = self._compressor
        pending = c.pending() if c is not None else 0
        w, h = self.frame_size or (0, 0)
        return self.frames.nbytes + pending * w * h * 4

    def set_capture_fps(self, fps: int) -> None:
        """Frames captured per second (takes effect at the next recording; now if one runs)."""
        self.capture_fps = limits.check("fps", int(fps))
        if self.capture_fps in self.fps_actions:
            self.fps_actions[self.capture_fps].setChecked(True)
        if self.recording:
            self._timer.setInterval(max(1, round(1000 / self.capture_fps)))

    # ------------------------------------------------------------------ recording
    def start(self) -> None:
        """Start a recording (an earlier one held is dropped)."""
        if self.recording or self._closed:
            return
        self.frames = FrameStore()  # a job still encoding keeps the old one
        self.frame_size = None
        self._recorded = 0
        self._saved = True
        self._t0 = time.perf_counter()
        self._label_t = 0.0
        self.capture_ms.clear()
        self._timer.setInterval(max(1, round(1000 / self.capture_fps)))
        self._timer.start()
        self._set_checked(True)
        self.label.show()
        self._show_label(force=True)
        self.act_export.setEnabled(False)
        self._capture()
        self.recordingChanged.emit(True)

    def stop(self, reason: str | None = None) -> int:
        """Stop recording; waits for the frames still compressing. Returns the number of frames."""
        was = self.recording
        self._timer.stop()
        c, self._compressor = self._compressor, None
        if c is not None:
            c.inbox.put(STOP)
            c.join()
            if c.error and reason is None:
                reason = tr("recording stopped: {reason}").format(reason=c.error)
        self._set_checked(False)
        self.label.hide()
        n = len(self.frames)
        self._recorded = n
        self._saved = n == 0
        self.act_export.setEnabled(n > 0 and not self.encoding)
        if was:
            text = reason or tr("recorded {n:,} frames ({s:.1f} s)").format(n=n, s=n / self.capture_fps)
            self.window.statusBar().showMessage(text, 8000)
            self.recordingChanged.emit(False)
        return n

    def _set_checked(self, on: bool) -> None:
        blocker = QtCore.QSignalBlocker(self.act_record)
        self.act_record.setChecked(on)
        del blocker
        self.act_record.setText(tr("Stop recording") if on else tr("Record"))
        self.act_record.setIcon(self._icons[1 if on else 0])

    def _capture(self) -> None:
        if not self.recording:
            return
        c = self._compressor
        if c is not None and c.error:
            self.stop()
            return
        now = time.perf_counter()
        due = int((now - self._t0) * self.capture_fps) + 1  # frames the recording should hold by now
        if c is not None:
            for _ in range(min(due - self._recorded - 1, self.capture_fps)):  # late: the last frame repeats
                c.inbox.put(REPEAT)
                self._recorded += 1
        if c is not None and c.inbox.qsize() > MAX_PENDING:
            c.inbox.put(REPEAT)  # the compressor is behind: repeat rather than pile up raw frames
            self._recorded += 1
        else:
            widget = self.target()
            if widget is None or not widget.isVisible() or widget.window().isMinimized():
                return
            image = self._grab(widget)
            if image.width() > self.max_width:
                h = max(2, round(image.height() * self.max_width / image.width()))
                image = image.scaled(self.max_width, h, QtCore.Qt.AspectRatioMode.IgnoreAspectRatio,
                                     QtCore.Qt.TransformationMode.SmoothTransformation)
            if c is None:
                self.frame_size = (image.width(), image.height())
                c = self._compressor = Compressor(self.frames, *self.frame_size)
                c.start()
            c.inbox.put(image)
            self._recorded += 1
            self.capture_ms.append((time.perf_counter() - now) * 1000)
            del self.capture_ms[:-200]
        self.frameCaptured.emit(self._recorded)
        if self._recorded >= self.max_frames:
            self.stop(tr("recording stopped at {n:,} frames, the most one animation may have").format(n=self._recorded))
        elif self.memory_bytes() > self.max_bytes:
            self.stop(tr("recording stopped at {n:,} frames: it holds {mb:,.0f} MB of frames, the most one recording "
                         "may use").format(n=self._recorded, mb=self.max_bytes / 2**20))
        else:
            self._show_label()

    def _grab(self, widget: QtWidgets.QWidget) -> QtGui.QImage:
        """The widget as it is on screen: read from the window's pixels where the platform allows it
        (a copy, no painting), else painted again by ``widget.grab()``."""
        if self.capture_method == "screen":
            top = widget.window()
            handle = top.windowHandle()
            screen = handle.screen() if handle is not None else None
            if screen is not None:
                p = widget.mapTo(top, QtCore.QPoint(0, 0))
                image = screen.grabWindow(top.winId(), p.x(), p.y(), widget.width(), widget.height()).toImage()
                dpr = widget.devicePixelRatioF()
                if not image.isNull() and (image.width(), image.height()) == (round(widget.width() * dpr),
                                                                               round(widget.height() * dpr)):
                    return image
            self.capture_method = "render"  # this platform cannot read the window's pixels: paint from now on
        return widget.grab().toImage()

    def _show_label(self, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self._label_t < LABEL_EVERY_S:
            return
        self._label_t = now
        self.label.setText(tr("● REC {time}  ({n:,} frames)").format(time=_clock(now - self._t0), n=self._recorded))

    def _record_toggled(self, on: bool) -> None:
        if on:
            if not self._saved and len(self.frames) and not self._confirm_discard():
                self._set_checked(False)
                return
            self.start()
        elif self.recording:
            if self.stop():
                self.export_dialog()

    def _confirm_discard(self) -> bool:
        box = QtWidgets.QMessageBox.question(
            self.window, tr("Start a new recording"),
            tr("The last recording ({n:,} frames) has not been saved. Discard it?").format(n=len(self.frames)),
            QtWidgets.QMessageBox.StandardButton.Discard | QtWidgets.QMessageBox.StandardButton.Cancel,
            QtWidgets.QMessageBox.StandardButton.Cancel)
        return box == QtWidgets.QMessageBox.StandardButton.Discard

    def discard(self) -> None:
        """Drop the recording held."""
        if self.recording:
            self.stop()
        self.frames = type(self.frames)()
        self._recorded = 0
        self._saved = True
        self.act_export.setEnabled(False)

    # ------------------------------------------------------------------ closing
    def shutdown(self) -> None:
        """Stop recording and any encoding (cancelled: no file is left), and wait for their jobs."""
        if self._closed:
            return
        self._closed = True
        self._timer.stop()
        c, self._compressor = self._compressor, None
        if c is not None:
            c.inbox.put(STOP)
            c.join()
        if self.job is not None and self.job.is_running():
            self.job.cancel()
            self.job.wait()
        if self._progress is not None:
            self._progress.close()

    def eventFilter(self, obj, ev) -> bool:
        if obj is self.window and ev.type() == QtCore.QEvent.Type.Close:
            if self.recording:
                self.stop()
            if self.job is not None and self.job.is_running():
                self.job.cancel()
                self.job.wait()
        return False
