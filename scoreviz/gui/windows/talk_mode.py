"""Talk mode: the window as a speaker shows it on a projector.

F11 (View ▸ Talk mode) turns it on and off; Esc leaves it. On: full screen; the control dock, the
toolbar, the menu bar and the status bar hidden; larger type and thicker arrows; a caption above
the panels with the objective, its loss formula (from the core's ``OBJECTIVE_INFO``), the density,
the sampler and the score driving the particles, and the live step count. Keys that only talk mode
has: R reset, → / Page Down and ← / Page Up the next / previous density preset (what presenter
clickers send), L or T particles driven by the learned ↔ true score, A Langevin ↔ annealed. Space,
S, P and every other shortcut of the window keep working. Leaving puts back the window's state and
geometry, what was visible, the fonts, the arrows and the view.
"""

from __future__ import annotations

import html
import re

from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.core.objectives import OBJECTIVE_INFO
from scoreviz.gui import style
from scoreviz.gui.actions import make_action
from scoreviz.gui.i18n import N_, tr, note_text

CAPTION_PT = 22.0  # the objective line; the others are scaled from it
HINT_HOLD_MS = 6000  # the key hint stays this long after entering, then fades
HINT_FADE_MS = 1200
SETTLE_MS = 120  # after a resize settles: fit the splitter and the view again
TALK_GRID = 32  # arrows per axis at most in talk mode: thick arrows need room

KEYS_HINT = N_("Space play/pause · S step · R reset · ←/→ preset · L learned ↔ true score · "
                "A Langevin ↔ annealed · P particles · Esc leave")  # shown as tr(KEYS_HINT)


def formula_html(formula: str) -> str:
    """A Unicode formula as rich text: ``s_θ`` → s<sub>θ</sub>, ``σ_max`` → σ<sub>max</sub>."""
    return re.sub(r"_(\w+)", r"<sub>\1</sub>", html.escape(formula))


def objective_heading(name: str) -> str:
    """``dsm · denoising score matching (Vincent)``: the name and what the core calls it."""

    info = OBJECTIVE_INFO.get(name)
    if info is None:
        return name
    return f"{name} · {tr(info.description).split(':', 1)[0]}"


def objective_settings(obj) -> str:
    """The objective's own numbers worth saying aloud (σ for dsm, the levels for ncsn, projections)."""
    if obj.name == "dsm":
        return f"σ = {obj.sigma:g}"
    if obj.name == "ncsn":
        return tr("σ {high:g} → {low:g}, {n} levels").format(high=obj.sigma_max, low=obj.sigma_min, n=obj.levels)
    if obj.name in ("ssm", "ssm-vr"):
        n = obj.projections
        text = tr("{n} {kind} projections") if n != 1 else tr("{n} {kind} projection")
        return text.format(n=n, kind=obj.projection)
    return ""


def _label(points: float, colour: str, bold: bool = False) -> QtWidgets.QLabel:
    lab = QtWidgets.QLabel()
    lab.setTextFormat(QtCore.Qt.TextFormat.RichText)
    font = lab.font()
    font.setPointSizeF(points)
    font.setBold(bold)
    lab.setFont(font)
    lab.setStyleSheet(f"color: {colour}; background: transparent;")
    return lab


def _plain(rich: str) -> str:
    doc = QtGui.QTextDocument()
    doc.setHtml(rich)
    return doc.toPlainText()


class TalkCaption(QtWidgets.QFrame):
    """The caption bar of talk mode.

    Top line, large: the objective's name and its loss formula, and the step count. Second line:
    what the objective is, the density, the sampler and which score drives the particles.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("talkCaption")
        self.setStyleSheet(f"#talkCaption {{ background: #181b21; border: 1px solid #2a2f39;"
                           f" border-left: 4px solid {style.ACCENT}; border-radius: 3px; }}")
        self.heading = _label(CAPTION_PT, style.FOREGROUND)
        self.details = _label(CAPTION_PT * 0.68, style.MUTED)
        self.step = _label(CAPTION_PT, style.FOREGROUND, bold=True)
        self.running = _label(CAPTION_PT * 0.68, style.MUTED)
        for lab in (self.step, self.running):
            lab.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
        for lab in (self.heading, self.details):  # a long line wraps at a word, never widens the window
            lab.setWordWrap(True)
            lab.setMinimumWidth(1)
            lab.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        grid = QtWidgets.QGridLayout(self)
        grid.setContentsMargins(18, 6, 18, 8)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(0)
        grid.addWidget(self.heading, 0, 0)
        grid.addWidget(self.step, 0, 1)
        grid.addWidget(self.details, 1, 0)
        grid.addWidget(self.running, 1, 1)
        grid.setColumnStretch(0, 1)
        self.setToolTip(tr("Talk mode: {keys}").format(keys=tr(KEYS_HINT)))
        self._shown: tuple | None = None

    def show_state(self, cfg, density_name: str, sampler_note: str, step: int, running: bool) -> None:
        """Show a session's objective, density, sampler and step (the labels change only when these do)."""
        obj = cfg.objective
        sc = cfg.sampler
        key = (obj, density_name, sampler_note, sc.score_source, step, running)
        if key == self._shown:
            return
        self._shown = key

        info = OBJECTIVE_INFO.get(obj.name)
        formula = formula_html(info.formula) if info is not None else ""
        about = objective_heading(obj.name).split(" · ", 1)[-1]
        settings = objective_settings(obj)
        heading = (f"<b>{html.escape(obj.name)}</b>&nbsp;&nbsp;&nbsp;"
                   f"<span style='color:{style.ACCENT};'>{formula}</span>")
        self.heading.setText(heading)  # a name and a formula: nothing to translate
        value = f"color:{style.FOREGROUND};"
        score = tr("learned score s<sub>θ</sub>") if sc.score_source == "learned" else tr("true score ∇log p")
        self.details.setText(
            html.escape(about) + (f", {html.escape(settings)}" if settings else "")
            + tr(" &nbsp;·&nbsp; density {density} &nbsp;·&nbsp; particles: {sampler}, {score}").format(
                density=f"<span style='{value}'>{html.escape(density_name)}</span>",
                sampler=f"<span style='{value}'>{html.escape(sampler_note)}</span>",
                score=f"<span style='{value}'>{score}</span>"))
        self.step.setText(tr("step {n:,}").format(n=step))
        self.running.setText(tr("▶ training") if running else tr("❚❚ paused"))
        self.setToolTip(f"{obj.name}: {tr(info.description) if info else ''}\n{tr(KEYS_HINT)}")

    def labels(self) -> tuple:
        return (self.heading, self.step, self.details, self.running)

    def fits(self) -> bool:
        """Whether every label shows all its text: wrapped lines fit its height, single lines its width."""
        for lab in self.labels():
            if lab.wordWrap():
                if lab.heightForWidth(lab.width()) > lab.height() + 1:
                    return False
            elif lab.sizeHint().width() > lab.width() + 1:
                return False
        return True

    def text(self) -> str:
        """Everything the caption says, as plain text (one line per label)."""
        return "\n".join(_plain(lab.text()) for lab in (self.heading, self.step, self.details, self.running))


class KeyHint(QtWidgets.QLabel):
    """The keys of talk mode, floating over the bottom of the window; fades out after a few seconds."""

    def __init__(self, parent: QtWidgets.QWidget):
        super().__init__(html.escape(tr(KEYS_HINT)), parent)
        font = self.font()
        font.setPointSizeF(CAPTION_PT * 0.6)
        self.setFont(font)
        self.setStyleSheet(f"color: {style.FOREGROUND}; background: rgba(24, 27, 33, 225);"
                           f" border: 1px solid #3a404c; border-radius: 6px; padding: 8px 16px;")
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.opacity = QtWidgets.QGraphicsOpacityEffect(self)
        self.setGraphicsEffect(self.opacity)
        self.hide()

    def place(self) -> None:
        """Centred near the bottom of its parent."""
        self.adjustSize()
        p = self.parentWidget()
        self.move(max(0, (p.width() - self.width()) // 2), max(0, p.height() - self.height() - 40))
        self.raise_()


class TalkMode(QtCore.QObject):
    """Talk mode of a MainWindow: its checkable action (F11), its keys, its caption, and the state it restores."""

    activeChanged = QtCore.Signal(bool)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._saved: dict | None = None
        self.hint_hold_ms = HINT_HOLD_MS
        self.hint_fade_ms = HINT_FADE_MS

        self.caption = TalkCaption()
        self.caption.hide()
        window.centralWidget().layout().insertWidget(0, self.caption)
        self.hint = KeyHint(window)

        self.action = self._action(tr("Talk mode"), ["F11"], tr("Full screen for a talk: controls hidden, large "
                                   "type, a caption with the objective and its formula (Esc leaves)"), checkable=True)
        self.action.toggled.connect(self.set_active)
        self.act_leave = self._action(tr("Leave talk mode"), ["Esc"], tr("Talk mode: back to the normal window"))
        self.act_leave.triggered.connect(lambda: self.set_active(False))
        self.act_reset = self._action(tr("Reset (talk mode)"), ["R"], tr("Talk mode: start over with a fresh model"))
        self.act_reset.triggered.connect(window.reset_model)
        self.act_next = self._action(tr("Next preset"), ["Right", "PgDown"], tr("Talk mode: the next density preset"))
        self.act_next.triggered.connect(lambda: self.step_preset(+1))
        self.act_previous = self._action(tr("Previous preset"), ["Left", "PgUp"],
                                         tr("Talk mode: the previous density preset"))
        self.act_previous.triggered.connect(lambda: self.step_preset(-1))
        self.act_source = self._action(tr("Learned ↔ true score"), ["L", "T"],
                                       tr("Talk mode: drive the particles with the learned or the true score"))
        self.act_source.triggered.connect(self.toggle_score_source)
        self.act_sampler = self._action(tr("Langevin ↔ annealed"), ["A"], tr("Talk mode: switch the particles' sampler"))
        self.act_sampler.triggered.connect(self.toggle_sampler)
        self.talk_actions = (self.act_leave, self.act_reset, self.act_next, self.act_previous, self.act_source,
                             self.act_sampler)
        for a in self.talk_actions:
            a.setEnabled(False)  # their keys belong to the normal window outside talk mode

        menu = getattr(window, "view_menu", None) or _menu_named(window.menuBar(), tr("&View"))
        if menu is not None:
            menu.addSeparator()
            menu.addAction(self.action)

        self._hint_timer = QtCore.QTimer(self)
        self._hint_timer.setSingleShot(True)
        self._hint_timer.timeout.connect(self._fade_hint)
        self._hint_fade = QtCore.QPropertyAnimation(self.hint.opacity, b"opacity", self)
        self._hint_fade.finished.connect(self.hint.hide)
        self._settle_timer = QtCore.QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(SETTLE_MS)
        self._settle_timer.timeout.connect(self._settle)
        self._settle_box = None

        window.evaluator.frameReady.connect(self._update_caption)  # after the window drew the frame
        window.installEventFilter(self)

    # ------------------------------------------------------------------ actions
    def _action(self, text: str, keys: list[str], tip: str, checkable: bool = False) -> QtGui.QAction:
        # keys work with the menu bar hidden
        return make_action(self.window, text, None, keys, tip, checkable, sep=tr(" or "))

    # ------------------------------------------------------------------ on / off
    def is_active(self) -> bool:
        return self._saved is not None

    def set_active(self, on: bool) -> None:
        if bool(on) == self.is_active():
            return
        self._enter() if on else self._leave()
        self.action.blockSignals(True)
        self.action.setChecked(self.is_active())
        self.action.blockSignals(False)
        self.activeChanged.emit(self.is_active())

    def _enter(self) -> None:
        w = self.window
        self._saved = {
            "state": w.windowState(),
            "geometry": w.geometry(),
            "main_state": w.saveState(),  # the dock's and the toolbar's place, size and visibility
            "menu_bar": w.menuBar().isVisibleTo(w),
            "status_bar": w.statusBar().isVisibleTo(w),
            "splitter": w.splitter.saveState(),
            "view": w.panels.visible_box(),
        }
        self._apply_grid()
        w.dock.hide()
        w.toolbar.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        w.panels.set_presentation(True)
        w.plots.set_presentation(True)
        w.time_axis.bar.set_presentation(True)
        w.scorecard.set_presentation(True)  # its dock stays (if shown): the mode-weight bars, large
        w.identities.set_presentation(True)
        self.caption.show()
        self._update_caption(force=True)
        for a in self.talk_actions:
            a.setEnabled(True)
        self._show_hint()
        w.showFullScreen()
        w.panels.setFocus()  # the dock that may have had the focus is gone
        self._settle_timer.start()

    def _leave(self) -> None:
        w = self.window
        saved, self._saved = self._saved, None
        self._hint_timer.stop()
        self._hint_fade.stop()
        self.hint.hide()
        for a in self.talk_actions:
            a.setEnabled(False)
        self.caption.hide()
        w.panels.set_presentation(False)
        w.plots.set_presentation(False)
        w.time_axis.bar.set_presentation(False)
        w.scorecard.set_presentation(False)
        w.identities.set_presentation(False)
        w.evaluator.set_view(grid=int(w.controls.display.grid_value()))
        w.setWindowState(saved["state"])
        if not saved["state"] & (QtCore.Qt.WindowState.WindowMaximized | QtCore.Qt.WindowState.WindowFullScreen):
            w.setGeometry(saved["geometry"])
        w.restoreState(saved["main_state"])
        w.menuBar().setVisible(saved["menu_bar"])
        w.statusBar().setVisible(saved["status_bar"])
        w.splitter.restoreState(saved["splitter"])
        self._settle_box = saved["view"]
        self._settle_timer.start()

    def _apply_grid(self) -> None:
        """The arrow grid in talk mode: auto (wider spacing for thick arrows), or the override up to TALK_GRID."""
        d = self.window.controls.display
        n = d.grid_value() if d.auto_grid.isChecked() else min(d.grid_value(), TALK_GRID)
        self.window.evaluator.set_view(grid=int(n))

    # ------------------------------------------------------------------ keys
    def step_preset(self, step: int) -> None:
        """The next (+1) or previous (−1) density preset, as if chosen in the dock (wraps around); while a
        lesson is open, its next or previous scene instead."""
        lesson = getattr(self.window, "lesson", None)
        if lesson is not None and lesson.is_open():
            lesson.next() if step > 0 else lesson.previous()
            return
        d = self.window.controls.density
        if not d.isEnabled():  # a lesson's scene locked the density
            return
        if d.tabs.currentIndex() != d.TAB_PRESET:
            d.tabs.setCurrentIndex(d.TAB_PRESET)
        n = d.preset.count()
        d.preset.setCurrentIndex((d.preset.currentIndex() + step) % n)

    def toggle_score_source(self) -> None:
        """Particles driven by the learned score ↔ by the true score (the dock's Score control)."""
        src = self.window.controls.sampler.source
        src.setCurrentText("true" if src.currentText() == "learned" else "learned")

    def toggle_sampler(self) -> None:
        """Langevin ↔ annealed Langevin (the dock's Sampler control)."""
        kind = self.window.controls.sampler.kind
        kind.setCurrentText("annealed" if kind.currentText() == "langevin" else "langevin")

    # ------------------------------------------------------------------ caption
    def _update_caption(self, force: bool = False) -> None:
        if not self.is_active() and not force:
            return
        w = self.window
        f = w.last_frame
        if f is None:
            cfg = w.cfg
            name = cfg.density if isinstance(cfg.density, str) else tr("density")
            sc = cfg.sampler
            note = tr("Langevin ε = {eps:g}").format(eps=sc.step_size) if sc.sampler != "annealed" else sc.sampler
            self.caption.show_state(cfg, name, note, 0, w.running)
            return
        st = f.state
        self.caption.show_state(st.cfg, getattr(st.density, "name", tr("density")), note_text(f), st.step,
                                st.running)

    def _show_hint(self) -> None:
        self._hint_fade.stop()
        self.hint.opacity.setOpacity(1.0)
        self.hint.place()
        self.hint.show()
        self._hint_timer.start(self.hint_hold_ms)

    def _fade_hint(self) -> None:
        self._hint_fade.setDuration(self.hint_fade_ms)
        self._hint_fade.setStartValue(1.0)
        self._hint_fade.setEndValue(0.0)
        self._hint_fade.start()

    # ------------------------------------------------------------------ layout
    def eventFilter(self, obj, ev) -> bool:
        if obj is self.window:
            t = ev.type()
            if t == QtCore.QEvent.Type.Resize and self.is_active():
                self.hint.place()
                self._settle_timer.start()
            elif t == QtCore.QEvent.Type.Close:
                self._hint_timer.stop()
                self._hint_fade.stop()
                self._settle_timer.stop()
        return False

    def _settle(self) -> None:
        """Once the window has its new size. In talk mode: the panels about square, the curves the
        rest, the density's box in view. Back from it: the view exactly as it was."""
        w = self.window
        if self.is_active():
            total = sum(w.splitter.sizes())
            top = min(max(w.panels.height_for_width(w.panels.width()), total // 2), total - 200)
            if total > 400:
                w.splitter.setSizes([top, total - top])
            self._apply_grid()
            return
        box, self._settle_box = self._settle_box, None
        if box is not None:  # the view as it was (re-layouts never change it; this restores it exactly)
            w.panels.set_view_box(box)


def _menu_named(bar: QtWidgets.QMenuBar, title: str) -> QtWidgets.QMenu | None:
    for m in bar.findChildren(QtWidgets.QMenu):
        if m.title() == title and m.menuAction() in bar.actions():
            return m
    return None
