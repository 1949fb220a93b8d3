"""A lesson in the main window: scenes a speaker steps through (``scoreviz.core.lesson`` reads the file).

``LessonPlayer.open(path)`` reads a ``*.lesson.json`` (one-line refusals in the banner; nothing runs
from the file) and shows its first scene. A scene is shown exactly as it names it, whatever came
before: in a background job (progress and Cancel in the lesson bar) its Session is built from the
scene's full config and seed — or read from its saved session — and trained its ``steps`` steps; then
it replaces the window's session (as untitled, "lesson — k/N"), the view is applied (box, arrows,
error panel, the time of an sde model), the panels it lists are shown and the others hidden, the
controls it locks are disabled, training runs if it says ``play``, and talk mode comes on if it says
``talk`` (a scene never turns talk mode off: the speaker left it on). A prepared scene is kept (its
weights and particles), so going back is immediate and shows the same picture.

The lesson bar (above the panels) shows "title · k/N · scene title", the caption, ◀ ▶, the language
(English / 한국어, the interface's language at first) and ×. Keys while a lesson is open:
PgDown / PgUp (what presentation clickers send) and, in talk mode, → / ← step through the scenes;
Esc in talk mode leaves talk mode, as always. Talk mode's caption shows the scene's caption.
"""

from __future__ import annotations

import copy
import html
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.gui import style
from scoreviz.gui.i18n import N_, active_language, line_of, text_of, tr
from scoreviz.gui.jobs import JobAborted, run_job

LOCKED_TIP = N_("Locked by the lesson's scene")  # shown as tr(LOCKED_TIP)
# the languages of a lesson's titles and captions: (code, name); a language is named in itself ("한국어" as it is)
CAPTION_LANGUAGES = (("en", N_("English")), ("ko", "한국어"))
TALK_SCALE = 1.35  # the bar's type in talk mode (the talk caption under it is larger still)
CURVE_POINTS = 8  # the spacing of a prepared scene's Fisher curve: about 40 points over 2000 steps (live, it continues)
CURVE_SAMPLES = 10_000  # samples per point (the fewest the core allows; a prepared curve costs 1-3 s)
DOCK_WIDTH = 380  # a dock a scene opens gets this width


def _prepare(job, scene) -> tuple:
    """(session, view dict) of ``scene``: built from its config (or read from its session), trained its steps."""
    from scoreviz.core.metrics import curve_steps
    from scoreviz.core.session import Session  # lazy: the window shows before torch loads
    from scoreviz.gui.sessions.opening import read_session

    view: dict = {}
    if scene.session is not None:
        session, view, _ = read_session(job, str(scene.session))
    else:
        session = Session(scene.fresh_config())
    n = int(scene.steps)
    # the Fisher curve's points at the steps the live curve would take (dense early), on fewer samples
    marks = set(curve_steps(session.step_count + n, CURVE_POINTS)) if n else set()
    for i in range(n):
        if i % 25 == 0:
            job.check()
            job.report(i / max(n, 1))
        session.step()
        if session.step_count in marks:
            session.fisher(n=CURVE_SAMPLES)
    if n and not session.fisher_history:
        session.fisher(n=CURVE_SAMPLES)
    job.report(1.0)
    return session, dict(view) if isinstance(view, dict) else {}


class LessonBar(QtWidgets.QFrame):
    """The lesson's bar: where we are, the caption, and the buttons."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lessonBar")
        self.setStyleSheet(f"#lessonBar {{ background: #181b21; border: 1px solid #2a2f39;"
                           f" border-left: 4px solid {style.LOSS_PEN}; border-radius: 3px; }}")
        self.where = QtWidgets.QLabel()
        self.caption = QtWidgets.QLabel()
        for lab in (self.where, self.caption):  # long text wraps at a word, never widens the window
            lab.setTextFormat(QtCore.Qt.TextFormat.RichText)
            lab.setWordWrap(True)
            lab.setMinimumWidth(1)
            lab.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.previous = QtWidgets.QToolButton(text="◀")
        self.next = QtWidgets.QToolButton(text="▶")
        self.cancel = QtWidgets.QToolButton(text=tr("Cancel"))
        self.cancel.hide()
        self.language = QtWidgets.QComboBox()
        for code, name in CAPTION_LANGUAGES:
            self.language.addItem(name, code)  # the data, not the text, is the language
        self.close_button = QtWidgets.QToolButton(text="×")
        self.previous.setToolTip(tr("The previous scene (PgUp; ← in talk mode)"))
        self.next.setToolTip(tr("The next scene (PgDown; → in talk mode)"))
        self.language.setToolTip(tr("The language of the lesson's titles and captions"))
        self.close_button.setToolTip(tr("Close the lesson (the session stays)"))
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.where, 1)
        for w in (self.progress, self.cancel, self.previous, self.next, self.language, self.close_button):
            top.addWidget(w)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(12, 4, 8, 6)
        lay.setSpacing(2)
        lay.addLayout(top)
        lay.addWidget(self.caption)
        self.set_scale(1.0)

    def set_scale(self, scale: float) -> None:
        base = QtWidgets.QApplication.font().pointSizeF()
        f = QtGui.QFont(self.where.font())
        f.setPointSizeF(base * 1.25 * scale)
        self.where.setFont(f)
        f = QtGui.QFont(self.caption.font())
        f.setPointSizeF(base * 1.1 * scale)
        self.caption.setFont(f)


class LessonPlayer(QtCore.QObject):
    """Opens lessons in a MainWindow and steps through their scenes (module docstring)."""

    sceneShown = QtCore.Signal(int)  # the 1-based scene number, once it is installed

    def __init__(self, window):
        super().__init__(window)
        self.w = window
        self.lesson = None
        self.number = 0  # the scene shown (1-based; 0: none yet)
        self.pending = 0  # the scene being prepared (0: none)
        self._job = None
        self._prepared: dict[int, tuple] = {}  # scene number -> (session, view) as prepared, kept pristine
        self._locked: list = []
        self.lang = active_language()  # the interface's language (View ▸ Language) until the bar's choice
        self.bar = LessonBar()
        self.bar.hide()
        self.bar.next.clicked.connect(self.next)
        self.bar.previous.clicked.connect(self.previous)
        self.bar.cancel.clicked.connect(self.cancel)
        self.bar.close_button.clicked.connect(self.close)
        self.bar.language.setCurrentIndex(1 if self.lang == "ko" else 0)
        self.bar.language.currentIndexChanged.connect(lambda i: self.set_language(self.bar.language.itemData(i)))
        window.centralWidget().layout().insertWidget(0, self.bar)
        self.act_next = self._action(tr("Next scene"), ["PgDown"], self.next)
        self.act_previous = self._action(tr("Previous scene"), ["PgUp"], self.previous)
        self.act_close = self._action(tr("Close lesson"), [], self.close)
        window.talk_mode.activeChanged.connect(self._talk_changed)

    def _talk_changed(self, on: bool) -> None:
        """In talk mode its own → ← PgDown PgUp step the scenes (``TalkMode.step_preset`` asks us): ours rest,
        or Qt would find each key bound twice and run neither. The bar's type grows with talk mode's."""
        self._enable_keys()
        self.bar.set_scale(TALK_SCALE if on else 1.0)

    def _enable_keys(self) -> None:
        keys = self.lesson is not None and not self.w.talk_mode.is_active()
        self.act_next.setEnabled(keys)
        self.act_previous.setEnabled(keys)
        self.act_close.setEnabled(self.lesson is not None)

    def _action(self, text: str, keys: list[str], slot) -> QtGui.QAction:
        a = QtGui.QAction(text, self.w)
        a.setShortcuts([QtGui.QKeySequence(k) for k in keys])
        a.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        a.setEnabled(False)
        a.triggered.connect(slot)
        self.w.addAction(a)
        return a

    # ------------------------------------------------------------------ open, step, close
    def is_open(self) -> bool:
        return self.lesson is not None

    def open(self, path: str) -> bool:
        """Read the lesson at ``path`` and show its first scene; False (banner says why) when refused."""
        from scoreviz.core.errors import ScorevizError
        from scoreviz.core.lesson import load_lesson

        try:
            lesson = load_lesson(path)
        except ScorevizError as e:
            text = text_of(e)  # a LessonError, in the interface's language where it is composed
            self.w.statusBar().showMessage(text, 10000)
            self.w.banner.show_message(text)
            return False
        self.close()
        self.lesson = lesson
        self._prepared = {}
        self._enable_keys()
        self.bar.show()
        self.go(1)
        return True

    def go(self, number: int) -> None:
        """Show scene ``number`` (1-based; out of range: nothing happens)."""
        if self.lesson is None or not 1 <= number <= len(self.lesson.scenes) or number == self.pending:
            return
        self.cancel()
        scene = self.lesson.scene(number)
        self.pending = number
        self._show_text(scene, preparing=True)
        if number in self._prepared:
            self._install(number, self._prepared[number])
            return
        self.bar.progress.setValue(0)
        self.bar.progress.setVisible(scene.steps > 0)
        self.bar.cancel.setVisible(scene.steps > 0)
        self._job = run_job(_prepare, scene, on_returned=lambda r, k=number: self._prepared_scene(k, r),
                            on_errored=lambda e, k=number: self._failed(k, e),
                            on_progress=lambda v: self.bar.progress.setValue(int(100 * v)))

    def next(self) -> None:
        self.go((self.pending or self.number) + 1)

    def previous(self) -> None:
        self.go((self.pending or self.number) - 1)

    def cancel(self) -> None:
        """Stop preparing a scene (the one shown stays)."""
        if self._job is not None:
            self._job.abort()
            self._job = None
        self.pending = 0
        self.bar.progress.hide()
        self.bar.cancel.hide()
        if self.lesson is not None and self.number:
            self._show_text(self.lesson.scene(self.number))

    def close(self) -> None:
        """Close the lesson: the session on screen stays, the controls unlock."""
        self.cancel()
        self._unlock()
        self.lesson, self.number, self._prepared = None, 0, {}
        self._enable_keys()
        self.bar.hide()

    def set_language(self, lang: str) -> None:
        self.lang = "ko" if lang == "ko" else "en"
        if self.lesson is not None and self.number:
            self._show_text(self.lesson.scene(self.number))

    # ------------------------------------------------------------------ a scene arrives
    def _prepared_scene(self, number: int, result) -> None:
        self._job = None
        if self.lesson is None or number != self.pending:
            return  # superseded
        session, view = result
        self._prepared[number] = (copy.deepcopy(session), view)  # pristine: the trainer trains the one installed
        self._install(number, (session, view))

    def _failed(self, number: int, error) -> None:
        self._job = None
        if isinstance(error, JobAborted) or number != self.pending:
            return
        self.pending = 0
        self.bar.progress.hide()
        self.bar.cancel.hide()
        reason = line_of(error)
        text = tr("scene {n} could not be prepared: {reason}").format(n=number, reason=reason)
        self.w.statusBar().showMessage(text, 10000)
        self.w.banner.show_message(text)

    def _install(self, number: int, prepared) -> None:
        session, saved_view = prepared
        if self._prepared.get(number) is not None and session is self._prepared[number][0]:
            session = copy.deepcopy(session)  # keep the prepared copy pristine for another visit
        scene = self.lesson.scene(number)
        w = self.w
        self.pending, self.number = 0, number
        self.bar.progress.hide()
        self.bar.cancel.hide()
        self._unlock()
        w.sessions.install_session(session, self._view(scene, saved_view, session),
                                   label=f"{self.lesson.title_in(self.lang)} — {number}/{len(self.lesson.scenes)}")
        self._panels(scene)
        if scene.talk and not w.talk_mode.is_active():
            w.talk_mode.set_active(True)
        w.play() if scene.play else w.pause()
        self._lock(scene)
        self._show_text(scene)
        self.sceneShown.emit(number)

    def _view(self, scene, saved: dict, session) -> dict:
        view = dict(saved)
        box = scene.view.box if scene.view.box is not None else saved.get("box", list(session.density.box))
        view["box"] = [float(v) for v in box]
        view["scale"] = scene.view.arrows
        view["error"] = "error" in scene.panels
        if scene.view.time is not None:
            view["time"] = float(scene.view.time)
        return view

    def _panels(self, scene) -> None:
        w, on = self.w, set(scene.panels)
        w.panels.set_field_panels("learned" in on, "true" in on)
        w.plots.setVisible("curves" in on)
        w.identities_dock.setVisible("identities" in on)
        if "identities" in on:  # a dock shown from code gets its minimum width: give it room
            w.resizeDocks([w.identities_dock], [DOCK_WIDTH], QtCore.Qt.Orientation.Horizontal)
        w.probe.dock.setVisible("probe" in on)
        w.probe.set_curl_visible("curl" in on)

    # ------------------------------------------------------------------ locks
    def _lock(self, scene) -> None:
        w, c = self.w, self.w.controls
        targets = {
            "density": [c.density], "objective": [c.objective], "model": [c.model],
            "optimizer": [getattr(c.model, "lr", None), getattr(c.model, "batch", None)],
            "sampler": [c.sampler], "seed": [getattr(c.system, "seed", None)],
            "training": [w.act_play, w.act_step, w.act_reset],
            "view": [w.act_view], "time": [w.time_axis.widget], "display": [c.display, w.act_error, w.act_unit],
        }
        talk = w.talk_mode
        targets["sampler"] += [talk.act_source, talk.act_sampler]
        for name in scene.lock:
            for t in targets.get(name, []):
                if t is not None and t.isEnabled():
                    t.setEnabled(False)
                    if isinstance(t, QtWidgets.QWidget):
                        t.setToolTip(tr(LOCKED_TIP) + (": " + t.toolTip() if t.toolTip() else ""))
                    self._locked.append(t)
        if "view" in scene.lock:
            for p in w.panels._linked_plots():
                p.getViewBox().setMouseEnabled(False, False)
            self._locked.append("view")

    def _unlock(self) -> None:
        for t in self._locked:
            if t == "view":
                for p in self.w.panels._plots():
                    p.getViewBox().setMouseEnabled(True, True)
                continue
            t.setEnabled(True)
            locked = tr(LOCKED_TIP)
            if isinstance(t, QtWidgets.QWidget) and t.toolTip().startswith(locked):
                t.setToolTip(t.toolTip()[len(locked) + 2:] if t.toolTip() != locked else "")
        self._locked = []

    # ------------------------------------------------------------------ text
    def _show_text(self, scene, preparing: bool = False) -> None:
        from scoreviz.core.lesson import caption_html

        n = len(self.lesson.scenes)
        title = html.escape(self.lesson.title_in(self.lang))
        state = tr(" · preparing…") if preparing and scene.steps else ""
        where = (f"<b>{title}</b> &nbsp;·&nbsp; {scene.number}/{n} &nbsp;·&nbsp; "
                 f"<span style='color:{style.ACCENT}'>{html.escape(scene.title_in(self.lang))}</span>"
                 f"<span style='color:{style.MUTED}'>{state}</span>")
        self.bar.where.setText(where)  # the lesson's own words (in its language) and the markup
        caption = caption_html(scene.caption_in(self.lang))
        self.bar.caption.setText(caption)
        self.bar.previous.setEnabled(scene.number > 1)
        self.bar.next.setEnabled(scene.number < n)

    def scene_text(self) -> str:
        """What the bar says, as plain text (tests)."""
        return _plain(self.bar.where.text()) + "\n" + _plain(self.bar.caption.text())


def _plain(rich: str) -> str:
    doc = QtGui.QTextDocument()
    doc.setHtml(rich)
    return doc.toPlainText()


def is_lesson_path(path: str) -> bool:
    return Path(path).name.lower().endswith(".lesson.json")
