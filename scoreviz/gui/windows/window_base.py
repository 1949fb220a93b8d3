"""What the main window and the compare window share: actions with shortcuts and tooltips, the
run controls, status-bar labels, the frame-rate count and the brush that paints a target.

``LiveWindow`` is a mixin for a QMainWindow that has a training thread; the window provides
``_post(cmd)`` (a ``commands.Command`` to it), ``_density_controls()`` (its DensitySection) and the
attributes the methods use (``banner``, ``act_play``, ``_icons``, ``speed``, ``canvas``,
``_brush_timer``, ``_stroke_open``, ``_paint_times``).
"""

from __future__ import annotations

import re
import time

from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.gui import app_data
from scoreviz.gui.actions import make_action
from scoreviz.gui.controls.density import DensitySection
from scoreviz.gui.controls.section import SPEEDS
from scoreviz.gui.i18n import text_of, tr
from scoreviz.live.brush import BrushCanvas
from scoreviz.live.commands import Command, Pause, Play, SetDensity, Speed, Step


class LiveWindow:
    """Run controls, status labels, frame rate and brush strokes of a window that trains live."""

    # ------------------------------------------------------------------ provided by the window
    def _fit_to_screen(self, width: int, height: int) -> None:
        """``width`` x ``height``, or the screen's available area where that is smaller (a 1280x720 projector)."""
        screen = self.screen() or QtGui.QGuiApplication.primaryScreen()
        if screen is not None:
            avail = screen.availableGeometry()
            width, height = min(width, avail.width()), min(height, avail.height())
        self.resize(width, height)

    def _post(self, cmd: Command) -> None:
        raise NotImplementedError

    def _density_controls(self):
        raise NotImplementedError

    # ------------------------------------------------------------------ layout
    def _build_central(self, top: QtWidgets.QWidget, bottom: QtWidgets.QWidget, sizes: tuple[int, int]) -> None:
        """The central area: the error banner above a vertical splitter of ``top`` (panels) and
        ``bottom`` (curves), ``self.splitter``."""
        split = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes(list(sizes))
        split.setChildrenCollapsible(False)
        self.splitter = split
        central = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(central)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(4)
        lay.addWidget(self.banner)
        lay.addWidget(split, 1)
        self.setCentralWidget(central)

    def _build_brush(self) -> None:
        """The painting canvas; strokes reach training at most every 40 ms while the mouse moves."""
        self.canvas = BrushCanvas()
        self._brush_timer = QtCore.QTimer(self)
        self._brush_timer.setSingleShot(True)
        self._brush_timer.setInterval(40)
        self._brush_timer.timeout.connect(self._send_drawing)
        self._stroke_open = False

    @staticmethod
    def _stop_and_join(*threads) -> None:
        """Ask every worker thread to stop, then wait for each (they end in parallel)."""
        for t in threads:
            t.stop()
        for t in threads:
            if t.isRunning():
                t.wait()

    # ------------------------------------------------------------------ actions, status bar, help
    def build_run_toolbar(self, object_name: str, speed_tip: str) -> QtWidgets.QToolBar:
        """The Run toolbar both windows share: Play, Step, Reset, then the Speed box (``self.speed``);
        the window adds its own actions after it."""
        tb = QtWidgets.QToolBar(tr("Run"))
        tb.setObjectName(object_name)
        tb.setMovable(False)
        tb.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(tb)
        for a in (self.act_play, self.act_step, self.act_reset):
            tb.addAction(a)
        tb.addSeparator()
        tb.addWidget(QtWidgets.QLabel(tr(" Speed: ")))
        self.speed = QtWidgets.QComboBox()
        for value, label in SPEEDS:
            self.speed.addItem(tr(label), value)  # the labels are N_-marked in controls.section
        self.speed.setToolTip(speed_tip)
        self.speed.currentIndexChanged.connect(self._speed_changed)
        tb.addWidget(self.speed)
        tb.addSeparator()
        return tb

    def add_action(self, text: str, slot, shortcuts=(), tip: str = "", checkable: bool = False) -> QtGui.QAction:
        return make_action(self, text, slot, shortcuts, tip, checkable)

    def _add_status_labels(self, items) -> None:
        """Right-aligned permanent labels in the status bar, ``self.status_labels[key]``, from (key, tooltip)."""
        sb = self.statusBar()
        self.status_labels = {}
        for key, tip in items:
            lab = QtWidgets.QLabel()
            lab.setToolTip(tip)
            lab.setMinimumWidth(90)
            lab.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
            sb.addPermanentWidget(lab)
            self.status_labels[key] = lab

    # what each panel and metric of the window means: (name, one line), both marked N_("..."): shown
    # through tr(); the window sets its own
    HELP_PANELS: tuple = ()
    HELP_METRICS: tuple = ()

    def shortcut_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The window's shortcuts grouped by menu, in menu order: [(menu title, [(keys, what)])];
        shortcuts of no menu (a mode's keys, e.g. talk mode) come last, under "Other keys"."""
        def keys_of(a: QtGui.QAction) -> str:
            return ", ".join(s.toString(QtGui.QKeySequence.SequenceFormat.NativeText) for s in a.shortcuts())

        def what(a: QtGui.QAction) -> str:
            text = _without_accelerator(a.text()).rstrip("…")
            tip = a.statusTip()
            return f"{text}: {tip}" if tip and tip.lower() != text.lower() else text

        groups, seen = [], set()

        def walk(menu: QtWidgets.QMenu, rows: list) -> None:
            for a in menu.actions():
                if a.menu() is not None:
                    walk(a.menu(), rows)
                elif a not in seen and keys_of(a):
                    seen.add(a)
                    rows.append((keys_of(a), what(a)))

        bar = self.menuBar() if hasattr(self, "menuBar") else None
        for top in (bar.actions() if bar is not None else ()):
            if top.menu() is None:
                continue
            rows: list = []
            walk(top.menu(), rows)
            if rows:
                groups.append((_without_accelerator(top.text()), rows))
        rest = [(keys_of(a), what(a)) for a in self.actions() if a not in seen and keys_of(a)]
        rest.append((tr("wheel / drag"), tr("zoom / pan (all panels together)")))
        groups.append((tr("Other keys"), rest))
        return groups

    def shortcuts_html(self) -> str:
        """F1's text: the shortcuts grouped by menu, then a line on each panel and metric."""
        def esc(t: str) -> str:
            return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

        parts = []
        for title, rows in self.shortcut_groups():
            parts.append(f"<h4 style='margin:8px 0 2px 0'>{esc(title)}</h4><table>")
            parts += [f"<tr><td><b>{esc(k)}</b>&nbsp;&nbsp;</td><td>{esc(w)}</td></tr>" for k, w in rows]
            parts.append("</table>")
        for title, items in ((tr("Panels"), self.HELP_PANELS), (tr("Metrics"), self.HELP_METRICS)):
            if items:
                parts.append(f"<h4 style='margin:8px 0 2px 0'>{title}</h4><table>")
                parts += [f"<tr><td><b>{tr(name)}</b>&nbsp;&nbsp;</td><td>{tr(line)}</td></tr>" for name, line in items]
                parts.append("</table>")
        return "".join(parts)

    def show_shortcuts(self) -> None:
        """F1: the shortcuts by menu and what the panels and metrics mean (a non-blocking box)."""
        box = getattr(self, "shortcuts_box", None)
        if box is not None:
            box.raise_()
            box.activateWindow()
            return
        box = QtWidgets.QMessageBox(self)
        box.setWindowTitle(tr("Keyboard shortcuts and panels"))
        box.setIcon(QtWidgets.QMessageBox.Icon.Information)
        box.setTextFormat(QtCore.Qt.TextFormat.RichText)
        box.setText(self.shortcuts_html())
        box.setStandardButtons(QtWidgets.QMessageBox.StandardButton.Close)
        box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.setModal(False)  # the window stays usable (try a key while reading)
        self.shortcuts_box = box
        box.finished.connect(lambda *_: setattr(self, "shortcuts_box", None))
        box.show()

    # ------------------------------------------------------------------ files
    def open_image_dialog(self) -> None:
        """The density section's "Open image…": a file dialog that lists images only."""

        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, tr("Open an image as the target"),
                                                        app_data.default_folder("images"), DensitySection.IMAGE_FILTER)
        if path:
            app_data.remember_folder("images", path)
            self.open_path(path)

    # ------------------------------------------------------------------ run controls
    def play(self) -> None:
        self.banner.hide()
        self._post(Play())

    def pause(self) -> None:
        self._post(Pause())

    def toggle_play(self) -> None:
        self.pause() if self.running else self.play()

    def step_once(self) -> None:
        self._post(Step())

    def _running_changed(self, on: bool) -> None:
        self.running = on
        self.act_play.setText(tr("Pause") if on else tr("Play"))
        self.act_play.setIcon(self._icons[on])

    def _speed_changed(self, index: int) -> None:
        value = self.speed.itemData(index)
        self._post(Speed(None if not value else float(value)))

    def _nudge_speed(self, delta: int) -> None:
        self.speed.setCurrentIndex(min(max(self.speed.currentIndex() + delta, 0), self.speed.count() - 1))

    def _worker_message(self, text: str) -> None:
        self.statusBar().showMessage(text_of(text), 6000)  # a composed text of the loop, in the interface's language

    # ------------------------------------------------------------------ frame rate
    def paint_times(self) -> list[float]:
        """perf_counter() times of the paints that showed a new frame."""
        return list(self._paint_times)

    def fps(self) -> float:
        """Frames painted in the last second."""
        now = time.perf_counter()
        recent = [x for x in self._paint_times if now - x <= 1.0]
        if len(recent) >= 2:
            return (len(recent) - 1) / max(recent[-1] - recent[0], 1e-9)
        return 0.0

    # ------------------------------------------------------------------ brush
    def _brush(self, pos, erase_button: bool, finished: bool) -> None:
        radius, strength, left_erases = self._density_controls().brush()
        erase = erase_button or left_erases
        if not self._stroke_open:
            self.canvas.begin_stroke()
            self._stroke_open = True
        changed = (self.canvas.erase if erase else self.canvas.paint)(pos[0], pos[1], radius, strength)
        if finished:
            self.canvas.end_stroke()
            self._stroke_open = False
            self._send_drawing()
        elif changed and not self._brush_timer.isActive():
            self._brush_timer.start()

    def _send_drawing(self) -> None:
        self._brush_timer.stop()
        d = self.canvas.density()
        n = len(self.canvas)
        section = self._density_controls()
        if n:
            painted = tr("{n} Gaussians painted") if n != 1 else tr("{n} Gaussian painted")
            section.draw_status.setText(painted.format(n=n))
        else:
            section.draw_status.setText(tr("Canvas empty"))
        if d is None:
            self.statusBar().showMessage(tr("Canvas empty: the target stays as it was until you paint"), 5000)
            return
        self._post(SetDensity(d))
        section.set_current(tr("drawing ({n} Gaussians)").format(n=n))

    def _clear_drawing(self) -> None:
        self.canvas.clear()
        self._send_drawing()

    def _undo_stroke(self) -> None:
        if self.canvas.undo():
            self._send_drawing()

    def _nudge_brush(self, factor: float) -> None:
        w = self._density_controls().brush_radius
        w.setValue(w.value() * factor)


def _without_accelerator(text: str) -> str:
    """A menu or action text without its accelerator: "&File" -> "File", "파일(&F)" -> "파일"."""
    return re.sub(r"\(&[^)]\)", "", text).replace("&", "")
