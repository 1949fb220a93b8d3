"""Lessons: a story told in scenes, each a state of the app with a caption to read aloud (docs: README, "Lessons").

A lesson file (``*.lesson.json``, UTF-8 JSON; shipped ones in ``resources/lessons/``) is one object::

    {"scoreviz_lesson": 1, "title": "...", "title_ko": "...", "scenes": [SCENE, ...]}

``title`` is required, ``title_ko`` (Korean) optional, ``scenes`` 1..MAX_SCENES objects like::

    {"title": "Denoising score matching", "caption": "x̃ = x + σz ... p<sub>σ</sub> ...",
     "title_ko": "...", "caption_ko": "...",
     "config": {"objective": {"name": "dsm", "sigma": 0.3}},   a partial SessionConfig, merged (below)
     "session": "trained.scoreviz",                            start from this session (optional)
     "panels": ["learned", "true", "particles", "curves"],     shown panels (PANELS)
     "view": {"box": [-4, 4, -4, 4], "time": 0.1, "arrows": "linear"},
     "steps": 1500, "play": false, "lock": ["objective"], "talk": false}

Only ``title`` and ``caption`` are required; the rest default to DEFAULTS; unknown keys are refused.
Titles are one line of plain text (MAX_TITLE_CHARS); captions (MAX_CAPTION_CHARS) may hold newlines
and mark formulas up with <sub>, <sup>, <b>, <i> (closed in order) and <br>, any other ``<`` being
text (``caption_html``, ``caption_plain``); unprintable characters are refused.  ``*_ko`` are the
Korean texts; ``title_in`` / ``caption_in`` fall back to English where there is none.

``config`` (CONFIG_KEYS) is merged over the previous scene's configuration (scene 1's over
SessionConfig's defaults): objective, model and sampler key by key, the others replaced.  A new
density drops the previous density_params; a new objective sets the model's conditioning (noise for
ncsn, time for sde) and takes a time sampler back to Langevin, as the app does, unless the scene sets
them.  A density is a preset or ``expr:...`` (a density from a file comes in a ``session``).  The
result is checked by building the real SessionConfig: a bad value gets the core's own one-line error.
``Scene.config`` is that whole configuration (``view.time`` is its field_t; device, threads and grid
are left at their defaults, the machine's business), so scene k is what it names without replaying
the scenes before it.  A scene starts afresh -- a new model from ``Scene.config`` and its seed, or the
session saved in ``session`` exactly as saved, its own configuration and weights (a path relative to the
lesson's folder and inside it; resolved and checked here, opened by the player and by ``scoreviz lesson``;
``config`` does not apply to it, the scene's view does) -- trains ``steps`` steps, then runs if ``play``.

Reading is bounded and inert: at most MAX_BYTES and MAX_CONTAINERS lists and objects, checked before
parsing (``bounded_json``); JSON only: nothing in a file is evaluated, imported or run (an expression
goes through the core's allow-list parser and is not evaluated here).  Every refusal is a
LessonError (a ScorevizError), one line naming the file, the scene, the bad value and what is allowed.
torch loads (with SessionConfig) when a lesson is read, never at import.

    load_lesson(path) -> Lesson(title, title_ko, scenes, path); lesson_from_dict(d, base_dir, path)
    Scene(number, title, caption, title_ko, caption_ko, config, session, panels, view, steps, play, lock, talk)
    View(box, time, arrows); caption_html(text), caption_plain(text); language(code) -> "en" | "ko"
    is_lesson_file(path); shipped_lessons() -> [Path]
"""

from __future__ import annotations

import copy
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from scoreviz.core import limits
from scoreviz.core.atomic import file_kind, stays_inside
from scoreviz.core.bounded_json import MIB, check_size, check_structure
from scoreviz.core.errors import ScorevizError
from scoreviz.core.text import N_, Phrase
from scoreviz.core.toy_params import validate_params

if TYPE_CHECKING:  # the annotation only: SessionConfig imports torch
    from scoreviz.core.session import SessionConfig

FORMAT = 1
SUFFIX = ".lesson.json"
SHIPPED_DIR = Path(__file__).resolve().parents[2] / "resources" / "lessons"
LANGUAGES = ("en", "ko")
PANELS = {  # what a scene may show (``panels``); DEFAULT_PANELS when it does not say
    "learned": "the learned score field s_θ",
    "true": "the true score of the density the objective targets (∇log p, ∇log p_σ, ∇log p_t)",
    "particles": "the sampler's particles over the density's heat map",
    "error": "log₁₀‖s_θ − ∇log q‖, where the model is wrong",
    "curves": "the loss and relative Fisher divergence against the step, under the panels",
    "curl": "the curl of s_θ as a heat map (View ▸ Curl panel)",
    "probe": "the point probe (View ▸ Probe panel)",
    "identities": "the score-matching identities measured on the current s_θ (E[esm] = E[ism] + ½E‖∇log p‖², ...)",
}
LOCKS = {  # controls a scene may lock (``lock``): the viewer cannot change them during the scene
    "density": "the density: preset, parameters, drawing, image, expression (and talk mode's preset keys)",
    "objective": "the objective and its settings",
    "model": "the network: width, depth, activation, parametrisation",
    "optimizer": "learning rate and batch",
    "sampler": "the sampler, its settings and the score driving it (talk mode's L, T and A keys)",
    "seed": "the seed",
    "training": "play/pause, one step and reset (Space, S, R)",
    "view": "zoom and pan",
    "time": "the time bar (objective sde)",
    "display": "which panels show, the arrows' mode and grid",
}
ARROW_MODES = ("linear", "log", "direction")  # session_file.SCALE_MODES
CONFIG_KEYS = ("density", "density_params", "objective", "model", "sampler", "lr", "batch", "seed")
TOP_KEYS = ("scoreviz_lesson", "title", "title_ko", "scenes")
SCENE_KEYS = ("title", "caption", "title_ko", "caption_ko", "config", "session", "panels", "view", "steps",
              "play", "lock", "talk")
VIEW_KEYS = ("box", "time", "arrows")
DEFAULT_PANELS = ("learned", "true", "particles", "curves")
DEFAULTS = {"session": None, "panels": list(DEFAULT_PANELS), "view": {}, "steps": 0, "play": False, "lock": [],
            "talk": False}
MAX_BYTES = 1 * MIB
MAX_SCENES = 200
MAX_CONTAINERS = 20_000  # ~20 a scene, brackets in captions included
MAX_TITLE_CHARS = 200
MAX_CAPTION_CHARS = 2000
MAX_STEPS = 20_000  # what one scene may train on opening: 20 s to a few minutes on a CPU (50-1000 steps/s)
MAX_PATH_CHARS = 1024
_TAG = re.compile(r"<(/?)(sub|sup|b|i)>|<br\s*/?>")


class LessonError(ScorevizError):
    """A lesson refused: one line naming the file, the scene and the bad value, and what is allowed."""


@dataclass(frozen=True)
class View:
    """``box`` (xmin, xmax, ymin, ymax) or None (the density's own), ``time`` (objective sde) or None
    (t_eps), ``arrows`` one of ARROW_MODES."""

    box: tuple[float, float, float, float] | None = None
    time: float | None = None
    arrows: str = "linear"


@dataclass(frozen=True)
class Scene:
    """One scene, fully resolved: ``config`` is the whole SessionConfig in force (treat it as
    read-only; ``fresh_config()`` gives a copy), ``session`` the resolved session file or None,
    ``panels`` and ``lock`` in the order of PANELS and LOCKS.  ``number`` counts from 1."""

    number: int
    title: str
    caption: str
    title_ko: str | None
    caption_ko: str | None
    config: SessionConfig
    session: Path | None
    panels: tuple[str, ...]
    view: View
    steps: int
    play: bool
    lock: tuple[str, ...]
    talk: bool

    def title_in(self, lang: str) -> str:
        return _pick(self.title, self.title_ko, lang)

    def caption_in(self, lang: str) -> str:
        return _pick(self.caption, self.caption_ko, lang)

    def is_locked(self, control: str) -> bool:
        if control not in LOCKS:
            raise ValueError(f"no control named {control!r}; lockable: {', '.join(LOCKS)}")
        return control in self.lock

    def fresh_config(self) -> SessionConfig:
        from scoreviz.core.session import SessionConfig  # lazy: torch loads only when a lesson is used

        return SessionConfig.from_dict(self.config.to_dict())


@dataclass(frozen=True)
class Lesson:
    """A loaded lesson: ``scenes`` in order, ``path`` the file (None for one built from data)."""

    title: str
    title_ko: str | None
    scenes: tuple[Scene, ...]
    path: Path | None = None

    def title_in(self, lang: str) -> str:
        return _pick(self.title, self.title_ko, lang)

    @property
    def languages(self) -> tuple[str, ...]:
        """("en", "ko") when the title and every scene's title and caption have Korean, else ("en",)."""
        ko = self.title_ko and all(s.title_ko and s.caption_ko for s in self.scenes)
        return LANGUAGES if ko else ("en",)

    def scene(self, number: int) -> Scene:
        """Scene ``number`` (1-based); LessonError naming the range otherwise."""
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= len(self.scenes):
            raise LessonError.compose(N_("scene {n} is not in this lesson; it has scenes 1..{last}"),
                                      n=limits.show(number), last=len(self.scenes))
        return self.scenes[number - 1]


# ---------------------------------------------------------------------------- texts
def language(code: str | None) -> str:
    """"ko" for Korean codes ("ko", "ko_KR", "ko-KR.UTF-8"), "en" for anything else."""
    head = re.split(r"[_.\-@]", code or "", maxsplit=1)[0].lower()
    return head if head in LANGUAGES else "en"


def _pick(en: str, ko: str | None, lang: str) -> str:
    return ko if ko and language(lang) == "ko" else en


def caption_html(text: str) -> str:
    """Rich text for a Qt label: everything escaped but the caption tags; newlines become <br>."""
    out, pos = [], 0
    for m in _TAG.finditer(text):
        out.append(html.escape(text[pos:m.start()], quote=False))
        out.append("<br>" if m.group(2) is None else f"<{m.group(1)}{m.group(2)}>")
        pos = m.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out).replace("\n", "<br>")


def caption_plain(text: str) -> str:
    """Plain text (a terminal, a picture's caption): p<sub>σ</sub> becomes p_σ, e<sup>-x/2</sup> e^(-x/2)
    (brackets when longer than a character), <b> and <i> are dropped, <br> is a newline."""
    parts: list[list[str]] = [[]]  # one buffer per open tag
    tags: list[str] = []
    pos = 0
    for m in _TAG.finditer(text):
        parts[-1].append(text[pos:m.start()])
        pos = m.end()
        closing, tag = m.group(1), m.group(2)
        if tag is None:
            parts[-1].append("\n")
        elif not closing:
            tags.append(tag)
            parts.append([])
        elif tags and tags[-1] == tag:
            inner = "".join(parts.pop())
            tags.pop()
            mark = {"sub": "_", "sup": "^"}.get(tag, "")
            parts[-1].append(mark + (f"({inner})" if mark and len(inner) > 1 else inner))
    parts[-1].append(text[pos:])
    while len(parts) > 1:  # unclosed tags (a caption the loader did not check): their text as it is
        inner = "".join(parts.pop())
        parts[-1].append(inner)
    return "".join(parts[0])


def _text(value, what: str, most: int, caption: bool = False) -> str:
    if not isinstance(value, str):
        raise ScorevizError(f"{what} must be text, not {limits.show(value)}")
    if not value.strip():
        raise ScorevizError(f"{what} is empty")
    if len(value) > most:
        raise ScorevizError(f"{what} is {len(value):,} characters; at most {most:,}")
    body = value.replace("\n", "") if caption else value
    if not body.isprintable():
        bad = next(c for c in body if not c.isprintable())
        allowed = "only newlines are allowed" if caption else "a title is one line"
        raise ScorevizError(f"{what} holds the unprintable character U+{ord(bad):04X}; {allowed}")
    if caption:
        open_tags: list[str] = []
        for m in _TAG.finditer(value):
            closing, tag = m.group(1), m.group(2)
            if tag is None:
                continue
            if not closing:
                open_tags.append(tag)
            elif not open_tags or open_tags.pop() != tag:
                raise ScorevizError(f"{what}: </{tag}> closes no <{tag}>; tags <sub>, <sup>, <b>, <i> close in order")
        if open_tags:
            raise ScorevizError(f"{what}: <{open_tags[-1]}> is not closed; tags <sub>, <sup>, <b>, <i> close in order")
    return value


# ---------------------------------------------------------------------------- loading
def load_lesson(path) -> Lesson:
    """Read and check the lesson file ``path`` (see the module's docstring); LessonError if refused."""
    path = Path(path)
    name = path.name
    try:
        kind = file_kind(path)
        if kind != "file":
            raise ScorevizError.compose({"missing": N_("lesson does not exist"), "folder": N_("lesson is a folder")}.get(
                kind, N_("lesson is not a readable file")))
        the_file = Phrase(N_("the file"))
        check_size(path.stat().st_size, the_file, MAX_BYTES)
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
        check_size(len(raw), the_file, MAX_BYTES)
        check_structure(raw, the_file, MAX_CONTAINERS)
        try:
            d = json.loads(raw.decode("utf-8-sig"), object_pairs_hook=_no_repeats, parse_constant=_no_constant)
        except UnicodeDecodeError:
            raise ScorevizError.compose(N_("not a scoreviz lesson: the file is not UTF-8 text")) from None
        except json.JSONDecodeError as e:
            raise ScorevizError.compose(N_("not a scoreviz lesson: not JSON ({error} at line {line}, column {column})"),
                                        error=e.msg, line=e.lineno, column=e.colno) from None
        except RecursionError:
            raise ScorevizError.compose(N_("not a scoreviz lesson: nested too deeply")) from None
        return lesson_from_dict(d, base_dir=path.parent, path=path)
    except ScorevizError as e:
        raise LessonError.compose(N_("'{name}': {error}"), name=name, error=e) from None
    except OSError as e:
        raise LessonError.compose(N_("'{name}': cannot be read ({reason})"), name=name,
                                  reason=e.strerror or type(e).__name__) from None


def _no_repeats(pairs: list) -> dict:
    d = {}
    for key, value in pairs:
        if key in d:
            raise ScorevizError(f"key {limits.show(key)} appears twice in one object")
        d[key] = value
    return d


def _no_constant(name: str):
    raise ScorevizError(f"{name} is not a number a lesson may hold; numbers must be finite")


def lesson_from_dict(d, base_dir=None, path=None) -> Lesson:
    """The Lesson that the parsed JSON ``d`` describes; ``base_dir`` is the folder session paths are
    relative to (None: a lesson given as data, which may not name sessions).  LessonError if refused."""
    try:
        return _lesson(d, None if base_dir is None else Path(base_dir), None if path is None else Path(path))
    except LessonError:
        raise
    except ScorevizError as e:
        raise LessonError.like(e) from None
    except RecursionError:  # a value nested deeper than any setting is (JSON given as data)
        raise LessonError.compose(N_("a value in the lesson is nested too deeply")) from None


def _lesson(d, base: Path | None, path: Path | None) -> Lesson:
    if not isinstance(d, dict):
        raise ScorevizError.compose(N_("a lesson is a JSON object with \"scoreviz_lesson\": {format} and \"scenes\"; "
                                       "this is {kind}"), format=FORMAT, kind=_kind(d))
    _keys(d, TOP_KEYS, "lesson key")
    if "scoreviz_lesson" not in d:
        raise ScorevizError.compose(N_("not a scoreviz lesson: \"scoreviz_lesson\": {format} is missing"), format=FORMAT)
    fmt = d["scoreviz_lesson"]
    if isinstance(fmt, bool) or fmt != FORMAT:
        raise ScorevizError.compose(N_("scoreviz_lesson {value} is not a format this scoreviz reads; use {format}"),
                                    value=limits.show(fmt), format=FORMAT)
    for key in ("title", "scenes"):
        if key not in d:
            raise ScorevizError.compose(N_("lesson key \"{key}\" is missing"), key=key)
    title = _text(d["title"], "lesson title", MAX_TITLE_CHARS)
    title_ko = _text(d["title_ko"], "lesson title_ko", MAX_TITLE_CHARS) if "title_ko" in d else None
    scenes = d["scenes"]
    if not isinstance(scenes, list):
        raise ScorevizError.compose(N_("scenes must be a list of scene objects, not {kind}"), kind=_kind(scenes))
    if not 1 <= len(scenes) <= MAX_SCENES:
        raise ScorevizError.compose(N_("a lesson has 1..{most} scenes; this one has {n}"), most=MAX_SCENES,
                                    n=len(scenes))
    resolved, state = [], None
    for i, s in enumerate(scenes, start=1):
        try:
            scene, state = _scene(i, s, state, base)
        except ScorevizError as e:
            raise ScorevizError.compose(N_("scene {n}: {error}"), n=i, error=e) from None
        resolved.append(scene)
    return Lesson(title, title_ko, tuple(resolved), path)


def _kind(v) -> str:
    names = {list: N_("a list"), dict: N_("an object"), str: N_("text"), bool: N_("true/false"), type(None): "null"}
    return Phrase(names.get(type(v), N_("a number")))


def _keys(d: dict, allowed: tuple, what: str) -> None:
    for key in d:
        if key not in allowed:
            raise ScorevizError(f"{what} {limits.show(key)} is not known; allowed: {', '.join(allowed)}")


def _names(value, allowed: tuple, what: str, one: str, at_least_one: bool) -> tuple[str, ...]:
    """``value``, a list of distinct names from ``allowed``, in the order of ``allowed``."""
    if not isinstance(value, list):
        raise ScorevizError(f"{what} must be a list of names from {', '.join(allowed)}")
    seen = []
    for v in value:
        if not isinstance(v, str) or v not in allowed:
            raise ScorevizError(f"{one} {limits.show(v)} is not known; use some of {', '.join(allowed)}")
        if v in seen:
            raise ScorevizError(f"{what} lists {v!r} twice")
        seen.append(v)
    if at_least_one and not seen:
        raise ScorevizError(f"{what} must name at least one of {', '.join(allowed)}")
    return tuple(a for a in allowed if a in seen)


def _flag(value, what: str) -> bool:
    if not isinstance(value, bool):
        raise ScorevizError(f"{what} must be true or false, not {limits.show(value)}")
    return value


def _scene(number: int, s, state: dict | None, base: Path | None):
    """(Scene, its full configuration as a dict) from the scene object ``s`` and the previous state."""
    if not isinstance(s, dict):
        raise ScorevizError(f"a scene is an object with a title and a caption, not {_kind(s)}")
    _keys(s, SCENE_KEYS, "scene key")
    for key in ("title", "caption"):
        if key not in s:
            raise ScorevizError.compose(N_("scene key \"{key}\" is missing"), key=key)
    title = _text(s["title"], "title", MAX_TITLE_CHARS)
    caption = _text(s["caption"], "caption", MAX_CAPTION_CHARS, caption=True)
    title_ko = _text(s["title_ko"], "title_ko", MAX_TITLE_CHARS) if "title_ko" in s else None
    caption_ko = _text(s["caption_ko"], "caption_ko", MAX_CAPTION_CHARS, caption=True) if "caption_ko" in s else None
    s = {**DEFAULTS, **s}
    view = _view(s["view"])
    steps = s["steps"]
    if isinstance(steps, bool) or not isinstance(steps, int) or not 0 <= steps <= MAX_STEPS:
        raise ScorevizError(f"steps={limits.show(steps)} is not allowed; a whole number in 0..{MAX_STEPS:,}")
    config, state = _config(s.get("config", {}), state, view)
    session = None if s["session"] is None else _session_path(s["session"], base)
    scene = Scene(number, title, caption, title_ko, caption_ko, config, session,
                  _names(s["panels"], tuple(PANELS), "panels", "panel", True), view, steps,
                  _flag(s["play"], "play"), _names(s["lock"], tuple(LOCKS), "lock", "control", False),
                  _flag(s["talk"], "talk"))
    return scene, state


def _view(v) -> View:
    if not isinstance(v, dict):
        raise ScorevizError(f"view must be an object with some of {', '.join(VIEW_KEYS)}")
    _keys(v, VIEW_KEYS, "view key")
    box = v.get("box")
    if box is not None:
        lim = limits.LIMITS["coordinate"]
        if not (isinstance(box, list) and len(box) == 4
                and all(limits.is_finite_number(c) and lim.min <= c <= lim.max for c in box)
                and box[0] < box[1] and box[2] < box[3]):
            raise ScorevizError(f"view box {limits.show(box)} is not allowed; [xmin, xmax, ymin, ymax] with "
                                f"xmin < xmax, ymin < ymax, each in {lim.range_text()}")
        box = tuple(float(c) for c in box)
    time = v.get("time")
    if time is not None:
        time = limits.check("field_t", time, "view time")
    arrows = v.get("arrows", "linear")
    if not isinstance(arrows, str) or arrows not in ARROW_MODES:
        raise ScorevizError(f"view arrows {limits.show(arrows)} is not known; use one of {', '.join(ARROW_MODES)}")
    return View(box, time, arrows)


def _config(changes, state: dict | None, view: View):
    """(SessionConfig, its dict): ``changes`` merged over ``state`` (None: the defaults) as documented."""
    from scoreviz.core.generation import TIME_SAMPLERS  # lazy: these load torch
    from scoreviz.core.objectives import ObjectiveConfig, objective_sde
    from scoreviz.core.session import SessionConfig

    if state is None:
        state = SessionConfig().to_dict()
    if not isinstance(changes, dict):
        raise ScorevizError(f"config must be an object of some of {', '.join(CONFIG_KEYS)}")
    _keys(changes, CONFIG_KEYS, "config key")
    merged = copy.deepcopy(state)
    for key, value in changes.items():
        if key in ("objective", "model", "sampler"):
            if not isinstance(value, dict):
                raise ScorevizError(f"config {key} must be an object of {key} settings, not {_kind(value)}")
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = copy.deepcopy(value)
    if merged["density"] != state["density"] and "density_params" not in changes:
        merged["density_params"] = {}
    name = merged["objective"]["name"]
    if name != state["objective"]["name"]:  # what switching objective in the app does
        said = changes.get("model", {})
        if "noise_conditional" not in said and "time_conditional" not in said:
            merged["model"]["noise_conditional"], merged["model"]["time_conditional"] = name == "ncsn", name == "sde"
        if name != "sde" and merged["sampler"]["sampler"] in TIME_SAMPLERS and "sampler" not in changes.get("sampler", {}):
            merged["sampler"]["sampler"] = "langevin"
    _check_density(merged["density"], merged["density_params"])
    if view.time is not None:
        if name != "sde":
            raise ScorevizError(f"view time needs objective sde; this scene's objective is {limits.show(name)}")
        eps = objective_sde(ObjectiveConfig.from_dict(merged["objective"])).t_eps
        if view.time < eps:
            raise ScorevizError(f"view time={view.time:g} is out of range; allowed {eps:g}..1 "
                                f"(t_eps of the {merged['objective']['sde']} process)")
    merged["field_t"] = view.time
    try:
        cfg = SessionConfig.from_dict(merged)
    except TypeError as e:  # a value of a type no check expected
        raise ScorevizError(f"config: {str(e).splitlines()[0][:200]}") from None
    if cfg.sampler.init is not None:
        from scoreviz.core.samplers import initial_particles  # lazy, as above

        initial_particles(1, cfg.sampler.init, None)
    return cfg, cfg.to_dict()


def _check_density(density, params) -> None:
    """A preset or expr:..., and its parameters (nothing is built: no file read, no expression run)."""
    from scoreviz.core.expressions import EXPRESSION_PARAMS, parse_expression  # lazy: both load torch
    from scoreviz.core.toys import PRESETS

    if not isinstance(density, str):
        raise ScorevizError(f"density {limits.show(density)} must be text: a preset or expr:EXPRESSION")
    if not isinstance(params, dict):
        raise ScorevizError("density_params must be an object of NAME: VALUE")
    for key, v in params.items():
        box = isinstance(v, list) and len(v) == 4 and all(limits.is_finite_number(c) for c in v)
        if not (limits.is_finite_number(v) or isinstance(v, bool) or box):
            raise ScorevizError(f"density parameter {limits.show(key)}={limits.show(v)} must be a number, "
                                "true/false or a box [xmin, xmax, ymin, ymax]")
    if density.startswith("expr:"):
        validate_params("expression", EXPRESSION_PARAMS, params)
        parse_expression(density[5:])
    elif density in PRESETS:
        validate_params(density, PRESETS[density].params, params)
    else:
        raise ScorevizError(f"density {limits.show(density)} is not a preset; use one of {', '.join(PRESETS)} or "
                            "expr:EXPRESSION (a density from a file comes with a \"session\")")


def _session_path(value, base: Path | None) -> Path:
    """The session file ``value`` names: relative to the lesson's folder and inside it, a regular file."""
    if not isinstance(value, str) or not value or len(value) > MAX_PATH_CHARS:
        raise ScorevizError(f"session must be a path of at most {MAX_PATH_CHARS} characters, relative to the "
                            "lesson's folder")
    shown = limits.show(value)
    if base is None:
        raise ScorevizError(f"session {shown}: a lesson given as data has no folder; sessions need a lesson file")
    rel = PurePosixPath(value)
    if "\\" in value or rel.is_absolute() or Path(value).is_absolute() or ".." in rel.parts:
        raise ScorevizError(f"session {shown} must be relative to the lesson's folder, with / and without '..'")
    if not value.lower().endswith(".scoreviz"):
        raise ScorevizError(f"session {shown} must name a .scoreviz session file")
    folder = base.resolve()
    path = folder.joinpath(*rel.parts)
    if not stays_inside(path, folder):
        raise ScorevizError(f"session {shown} leads out of the lesson's folder")
    kind = file_kind(path)
    if kind != "file":
        why = {"missing": "does not exist", "folder": "is a folder"}.get(kind, "is not a readable file")
        raise ScorevizError(f"session {shown} {why} (looked in {folder})")
    return path


def is_lesson_file(path) -> bool:
    """True for a name ending in SUFFIX (``.lesson.json``, any case): how File ▸ Open tells lessons."""
    return str(path).lower().endswith(SUFFIX)


def shipped_lessons() -> list[Path]:
    """The lessons in ``resources/lessons/``, by name."""
    return sorted(SHIPPED_DIR.glob("*" + SUFFIX)) if SHIPPED_DIR.is_dir() else []
