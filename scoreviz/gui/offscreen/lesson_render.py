"""``scoreviz lesson``: a lesson (``scoreviz.core.lesson``) rendered offscreen, scene by scene, with captions.

For every scene, in order (``LessonFrames``):

1. its Session is built exactly as the scene names it: a fresh Session from ``scene.config`` (its
   seed, model, objective, sampler; ``device`` from ``--device``), or, when the scene names a
   ``session`` file, that file as it was saved (density, settings, weights, step, particles), read
   by the app's own reader (``gui.sessions.opening.read_session``; ``load_session`` with an explicit
   ``--device``), as the window's lesson player opens it; the scene's view time applies to it, and
   its view box when it has one (else the box saved in the file);
2. it trains ``scene.steps`` steps (a progress bar, ``bar``; the Fisher curve gets about 20 points
   when the scene shows the curves);
3. it draws ``per_scene`` frames of the app's panels, drawn by the window's own widgets
   (``snapshot_render.OffscreenPanels``; ``scoreviz lesson`` gives a scene round(seconds x fps) frames,
   halves up, at least 1: ``scoreviz.cli.lesson_cmd.frames_per_scene``). Frame 0 shows the particles where the sampler starts them,
   every later frame moves them one frame of the scene's sampler (its ``steps_per_frame``); with
   ``scene.play`` training goes on between frames, ``PLAY_STEPS_PER_FRAME`` steps a frame.

What a frame shows:

- the panels the scene lists that this renderer can show: ``learned``, ``true``, ``particles``,
  ``error`` (in that order) and ``curves`` (loss and Fisher under the panels). ``curl``, ``probe``
  and ``identities`` are window docks it cannot draw: they are left out (``NOT_RENDERED``). A scene
  that lists none of the four field panels gets learned, true and particles.
- the scene's view: ``view.box`` (made square, as the window does; the density's box when unset,
  or a session file's saved box),
  ``view.arrows`` (linear, log or direction), and for objective sde the field time ``view.time``
  (it is the scene's ``config.field_t``);
- the training step at the bottom right of the panels, as ``scoreviz animate`` shows it;
- the caption band under the panels (``CaptionBand``, ``BAND_FRACTION`` of the height): the line
  "k/N · title" large (k the scene's number in the lesson, N the lesson's scenes) and the caption
  below it as Qt rich text (``caption_html``: the caption's <sub>, <sup>, <b>, <i>, <br>), its font
  made smaller until it fits the band (at the smallest size, ``MIN_CAPTION_PX``, what does not fit is cut).

Fonts: the band's font is the application's, with a CJK family (``cjk_family``: Noto Sans CJK KR
first, then any family Qt lists for the Korean writing system) first for Korean text and as a
fallback otherwise, so Hangul never depends on the platform's fallback. When the system has none
and a text to draw holds CJK characters, it is still drawn and ``warn_no_cjk_font`` says once on
stderr which package to install (``fonts-noto-cjk`` on Debian/Ubuntu).

``LessonFrames`` has a length and yields (H, W, 3) uint8 arrays, so it can be handed to
``scoreviz.core.animation.write_animation`` directly (an MP4 is encoded as the frames come).
"""

from __future__ import annotations

import dataclasses
import gc
import html
import sys

from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.core.errors import ScorevizError
from scoreviz.core.lesson import Scene, caption_html
from scoreviz.gui import style
from scoreviz.gui.offscreen.snapshot_render import (OffscreenPanels, fisher_every, published, qimage_rgb, start_trainer,
                                                    train)
from scoreviz.gui.qt_app import application
from scoreviz.gui.views.panels import ScorePanels
from scoreviz.live.commands import FISHER_SAMPLES

RENDERED = ("learned", "true", "particles", "error")  # field panels the offscreen renderer can show, in order
NOT_RENDERED = ("curl", "probe", "identities")  # window docks a lesson may list; left out of the pictures
FALLBACK_PANELS = ("learned", "true", "particles")  # a scene listing none of RENDERED
PLAY_STEPS_PER_FRAME = 10  # scene.play: training steps between two frames (200 steps/s of video at 20 fps)
BAND_FRACTION = 0.3  # the caption band's share of the frame's height
BAND_BACKGROUND = "#1a1e26"
TITLE_FRACTION = 0.14  # the title line's font, in pixels, as a share of the band's height
MIN_TITLE_PX = 11
MIN_CAPTION_PX = 7
CJK_PREFERRED = ("Noto Sans CJK KR", "Noto Sans KR", "Source Han Sans KR", "Source Han Sans K", "NanumGothic",
                 "Nanum Gothic", "Malgun Gothic", "Apple SD Gothic Neo", "Noto Sans CJK JP", "Noto Sans CJK SC")
CJK_FONT_PACKAGE = "fonts-noto-cjk"


def shown_panels(scene: Scene) -> tuple[str, ...]:
    """The field panels drawn for ``scene``: those of RENDERED it lists (FALLBACK_PANELS if none)."""
    shown = tuple(p for p in RENDERED if p in scene.panels)
    return shown or FALLBACK_PANELS


# ============================================================================ fonts
_cjk_cache: list = []  # [family or None] once looked up
_warned: list = []


def cjk_family() -> str | None:
    """A font family with Korean glyphs (CJK_PREFERRED first, then any sans family Qt lists for the
    Korean writing system, then any); None when the system has none."""
    if not _cjk_cache:
        db = QtGui.QFontDatabase
        korean = list(db.families(db.WritingSystem.Korean))
        pick = next((f for f in CJK_PREFERRED if f in korean), None)
        if pick is None:
            plain = [f for f in korean if "mono" not in f.lower() and "serif" not in f.lower()]
            pick = (plain or korean or [None])[0]
        _cjk_cache.append(pick)
    return _cjk_cache[0]


def has_cjk(text: str) -> bool:
    """True when ``text`` holds Hangul, kana or CJK ideographs (what a Latin font cannot draw)."""
    return any(0x1100 <= ord(c) <= 0x11FF or 0x3000 <= ord(c) <= 0x9FFF or 0xAC00 <= ord(c) <= 0xD7AF
               or 0xF900 <= ord(c) <= 0xFAFF or 0xFF00 <= ord(c) <= 0xFFEF for c in text)


def warn_no_cjk_font() -> None:
    """Say once on stderr that Korean text may not render (no CJK font) and what to install."""
    if _warned:
        return
    _warned.append(True)
    print("scoreviz: warning: no font with Korean (CJK) glyphs was found, so Korean text may show as boxes; "
          f"install one, e.g. '{CJK_FONT_PACKAGE}' on Debian/Ubuntu (apt install {CJK_FONT_PACKAGE})",
          file=sys.stderr)


def band_font(text: str) -> QtGui.QFont:
    """The application's font with a CJK family: first when ``text`` holds CJK, else as a fallback."""
    font = QtGui.QFont(QtWidgets.QApplication.font())
    base = font.family()
    cjk = cjk_family()
    if cjk is None:
        if has_cjk(text):
            warn_no_cjk_font()
        return font
    font.setFamilies([cjk, base] if has_cjk(text) else [base, cjk])
    return font


# ============================================================================ the caption band
class CaptionBand:
    """The band under the panels: "k/N · title" and the caption of one scene, drawn once as a QImage
    of ``size`` and painted into every frame of the scene."""

    def __init__(self, scene: Scene, total: int, lang: str, size: tuple[int, int]):
        self.width, self.height = int(size[0]), int(size[1])
        self.title = scene.title_in(lang)
        self.caption = scene.caption_in(lang)
        self.label = f"{scene.number}/{total}"
        self.image = self._draw()

    def _draw(self) -> QtGui.QImage:
        w, h = self.width, self.height
        img = QtGui.QImage(w, h, QtGui.QImage.Format.Format_RGB32)
        img.fill(QtGui.QColor(BAND_BACKGROUND))
        p = QtGui.QPainter(img)
        try:
            p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
            p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing)
            p.fillRect(0, 0, w, max(1, h // 80), QtGui.QColor(style.ACCENT))  # a rule between panels and band
            pad = max(4, round(h * 0.05))
            title_px = max(MIN_TITLE_PX, round(h * TITLE_FRACTION))
            top = pad + max(1, h // 80)
            top += self._draw_title(p, pad, top, w - 2 * pad, title_px)
            self._draw_caption(p, pad, top + pad // 2, w - 2 * pad, h - top - pad // 2 - pad, title_px)
        finally:
            p.end()
        return img

    def _draw_title(self, p: QtGui.QPainter, x: int, y: int, width: int, px: int) -> int:
        font = band_font(self.title)
        font.setPixelSize(px)
        font.setBold(True)
        fm = QtGui.QFontMetrics(font)
        head = f"{self.label} · "
        room = max(1, width - fm.horizontalAdvance(head))
        title = fm.elidedText(self.title, QtCore.Qt.TextElideMode.ElideRight, room)
        doc = QtGui.QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(font)
        doc.setHtml(f'<span style="color:{style.ACCENT}">{html.escape(head)}</span>'
                    f'<span style="color:#ffffff">{html.escape(title)}</span>')
        p.save()
        p.translate(x, y)
        doc.drawContents(p, QtCore.QRectF(0, 0, width, fm.height() + 2))
        p.restore()
        return fm.height()

    def _draw_caption(self, p: QtGui.QPainter, x: int, y: int, width: int, height: int, title_px: int) -> None:
        if height <= 2 or width <= 2:
            return
        font = band_font(self.caption)
        doc = QtGui.QTextDocument()
        doc.setDocumentMargin(0)
        doc.setTextWidth(width)
        body = f'<div style="color:{style.FOREGROUND}">{caption_html(self.caption)}</div>'
        px = max(MIN_CAPTION_PX, round(title_px * 0.7))
        while True:  # the largest size (down to MIN_CAPTION_PX) at which the caption fits the band
            font.setPixelSize(px)
            doc.setDefaultFont(font)
            doc.setHtml(body)
            if doc.size().height() <= height or px <= MIN_CAPTION_PX:
                break
            px -= 1
        p.save()
        p.translate(x, y)
        p.setClipRect(QtCore.QRectF(0, 0, width, height))
        doc.drawContents(p, QtCore.QRectF(0, 0, width, height))
        p.restore()


# ============================================================================ the panels
class LessonPanels(ScorePanels):
    """ScorePanels laid out with the field panels of ``SHOWN`` only (a subclass per set:
    ``lesson_panels``), each with its colour bar; the shown panels are linked to each other only."""

    SHOWN: tuple[str, ...] = FALLBACK_PANELS

    def _by_name(self) -> dict:
        return {"learned": self.learned_plot, "true": self.true_plot, "particles": self.particles_plot,
                "error": self.error_plot}

    def _anchor(self):
        return self._by_name()[self.SHOWN[0]]

    def _view_plot(self):
        return self._anchor()

    def _layout(self) -> None:
        plots = self._by_name()
        anchor = self._anchor()
        for name, plot in plots.items():  # no link to a panel that is not laid out
            plot.setXLink(None)
            plot.setYLink(None)
        for name in self.SHOWN:
            if plots[name] is not anchor:
                plots[name].setXLink(anchor)
                plots[name].setYLink(anchor)
        col = 0
        for name in self.SHOWN:
            self.ci.addItem(plots[name], 0, col)
            col += 1
            if name == "true" or (name == "learned" and "true" not in self.SHOWN):
                self.ci.addItem(self.field_bar, 0, col)
                col += 1
            elif name == "particles":
                self.ci.addItem(self.density_bar, 0, col)
                col += 1
            elif name == "error":
                self.ci.addItem(self.error_bar, 0, col)
                col += 1
        self._error_visible = "error" in self.SHOWN  # set_error_visible(True) is then a no-op
        for name, plot in plots.items():
            if name not in self.SHOWN:
                plot.hide()
        for bar in self._bars():
            if bar not in self.ci.items:
                bar.hide()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumSize(1, 1)


def lesson_panels(shown: tuple[str, ...]) -> LessonPanels:
    """A LessonPanels showing ``shown`` (names of RENDERED, in that order)."""
    cls = type("LessonPanels_" + "_".join(shown), (LessonPanels,), {"SHOWN": tuple(shown)})
    return cls()


class SceneView(OffscreenPanels):
    """OffscreenPanels that show the scene's ``box`` (None: the density's) once laid out."""

    def __init__(self, size, panels, plots: bool, box=None):
        self.box = box
        super().__init__(size, panels=panels, plots=plots, caption=True, error_panel=panels.error_visible())

    def _fit(self, state) -> None:
        super()._fit(state)
        if self.box is not None:
            self.panels.set_view_box(self.box)
            QtWidgets.QApplication.processEvents()
            self.view = dataclasses.replace(self.view, box=self.panels.field_box(), raster=self.panels.raster_target())


# ============================================================================ sessions
def _session_trainer(scene: Scene, device: str | None, threads: int | None):
    """(Trainer holding the session file of ``scene`` as it was saved, the file's saved view dict)."""
    import torch  # lazy, as everywhere in the offscreen renderers

    from scoreviz.core.session_file import load_session
    from scoreviz.gui.sessions.opening import read_session
    from scoreviz.live.commands import Load
    from scoreviz.live.trainer import Trainer

    try:
        if device:
            session, view = load_session(scene.session, device=device)
        else:
            session, view, note = read_session(None, str(scene.session))
            if note:
                print(f"scoreviz: scene {scene.number}: {scene.session.name}{note}", file=sys.stderr)
        if scene.view.time is not None and session.sde is not None:
            session.set_field_t(scene.view.time)
    except ScorevizError as e:
        raise ScorevizError(f"scene {scene.number}: {e}") from None
    failures: list[str] = []
    trainer = Trainer(session.cfg, threads=threads, on_failed=failures.append)
    if threads:
        torch.set_num_threads(int(threads))
    trainer.handle(Load(session))
    if failures:
        raise ScorevizError(f"scene {scene.number}: {failures[-1]}")
    return trainer, view if isinstance(view, dict) else {}


# ============================================================================ the frames
class _NoBar:
    def __init__(self, total: int, label: str):
        pass

    def update(self, done: int, extra: str = "") -> None:
        pass

    def close(self) -> None:
        pass


class LessonFrames:
    """The frames of ``scenes`` (Scenes of ``lesson``): ``per_scene`` frames each, of ``size`` (W, H).

    ``lang`` "en" or "ko"; ``device`` overrides the scenes' (None: theirs, "auto"); ``threads``: torch's
    CPU threads. ``bar(total, label)`` makes a progress bar (``update(done, extra)``, ``close()``),
    one for the training and one for the frames of each scene. Iterate once; a scene that cannot be
    built raises a one-line ScorevizError naming it; a diverged run raises DivergedError.
    """

    def __init__(self, lesson, scenes, size: tuple[int, int], per_scene: int, lang: str = "en",
                 device: str | None = None, threads: int | None = None, bar=_NoBar):
        application()
        self.lesson = lesson
        self.scenes = tuple(scenes)
        self.size = (int(size[0]), int(size[1]))
        self.per_scene = max(1, int(per_scene))
        self.lang = lang
        self.device, self.threads = device, threads
        self.bar = bar
        self.band_height = max(1, round(self.size[1] * BAND_FRACTION))
        self._view = None
        self._bars: list = []

    def __len__(self) -> int:
        return self.per_scene * len(self.scenes)

    def config(self, scene: Scene):
        """The SessionConfig the scene's Session is built with (``device`` applied)."""
        cfg = scene.fresh_config()
        return dataclasses.replace(cfg, device=self.device) if self.device else cfg

    def _trainer(self, scene: Scene):
        """(Trainer, the view box to show: the scene's, else a session file's saved one, else None)."""
        if scene.session is not None:
            trainer, saved = _session_trainer(scene, self.device, self.threads)
            box = saved.get("box")
            box = tuple(float(v) for v in box) if isinstance(box, (list, tuple)) and len(box) == 4 else None
            return trainer, scene.view.box if scene.view.box is not None else box
        try:
            return start_trainer(self.config(scene), threads=self.threads), scene.view.box
        except RuntimeError as e:
            raise ScorevizError(f"scene {scene.number}: {e}") from None

    def _new_bar(self, total: int, label: str):
        b = self.bar(total, label)
        self._bars.append(b)
        return b

    def _close_bars(self) -> None:
        while self._bars:
            self._bars.pop().close()

    def scene_frames(self, scene: Scene):
        """The frames of one scene (see the module's description)."""
        total = len(self.lesson.scenes)
        trainer, box = self._trainer(scene)
        session = trainer.session
        curves = "curves" in scene.panels
        play = self.per_scene - 1 if scene.play else 0
        end = session.step_count + scene.steps + play * PLAY_STEPS_PER_FRAME
        every = fisher_every(scene.steps + play * PLAY_STEPS_PER_FRAME) if curves else None
        if curves and end > session.step_count and not session.fisher_history:
            session.fisher(n=FISHER_SAMPLES)  # the curve starts at the untrained model
        if scene.steps:
            start = session.step_count
            b = self._new_bar(scene.steps, f"scene {scene.number}/{total} train")
            train(trainer, scene.steps, every, last_step=end,
                  callback=lambda s: b.update(s.step_count - start, f"loss {s.loss_history[-1]:.4g}"))
            self._close_bars()
        w, h = self.size
        band = CaptionBand(scene, total, self.lang, (w, self.band_height))
        panels = lesson_panels(shown_panels(scene))
        panels.set_scale_mode(scene.view.arrows)
        view = self._view = SceneView((w, h - self.band_height), panels, plots=curves, box=box)
        b = self._new_bar(self.per_scene, f"scene {scene.number}/{total} frames")
        try:
            for k in range(self.per_scene):
                if k and scene.play:
                    train(trainer, PLAY_STEPS_PER_FRAME, every, last_step=end)
                state = published(trainer)
                image = view.draw(state, caption=f"step {state.step:,}", advance=k > 0)
                yield qimage_rgb(self._compose(image, band.image))
                b.update(k + 1)
        finally:
            self._close_bars()
            view.close()
            self._view = None
            del trainer, session
            gc.collect()

    def _compose(self, panels: QtGui.QImage, band: QtGui.QImage) -> QtGui.QImage:
        w, h = self.size
        out = QtGui.QImage(w, h, QtGui.QImage.Format.Format_RGB32)
        out.fill(QtGui.QColor(style.BACKGROUND))
        p = QtGui.QPainter(out)
        try:
            p.drawImage(0, 0, panels)
            p.drawImage(0, h - band.height(), band)
        finally:
            p.end()
        return out

    def __iter__(self):
        try:
            for scene in self.scenes:
                yield from self.scene_frames(scene)
        finally:
            self.close()

    def close(self) -> None:
        self._close_bars()
        if self._view is not None:
            self._view.close()
            self._view = None
