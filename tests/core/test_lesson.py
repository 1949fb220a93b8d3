"""Lesson files: the shipped lesson, the documented merge of scene configurations, the texts in two
languages, and one-line refusals of bad or hostile files (nothing in a file is ever run).  No training."""

from __future__ import annotations

import builtins
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scoreviz.core import lesson as L
from scoreviz.core.errors import ScorevizError
from scoreviz.core.lesson import LessonError, View, lesson_from_dict, load_lesson
from scoreviz.core.session import SessionConfig

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "lessons" / "score-matching.lesson.json"
HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def shipped():
    return load_lesson(SHIPPED)


def scene(title="a", caption="b", **keys) -> dict:
    return {"title": title, "caption": caption, **keys}


def lesson(*scenes, **top) -> dict:
    return {"scoreviz_lesson": 1, "title": "T", "scenes": list(scenes) or [scene()], **top}


def write(tmp_path, d, name="t.lesson.json") -> Path:
    path = tmp_path / name
    path.write_text(d if isinstance(d, str) else json.dumps(d), encoding="utf-8")
    return path


def refused(call, *fragments) -> str:
    with pytest.raises(LessonError) as info:
        call()
    msg = str(info.value)
    assert "\n" not in msg and isinstance(info.value, ScorevizError)
    for fragment in fragments:
        assert fragment in msg, msg
    return msg


# ---------------------------------------------------------------------------- the shipped lesson
def test_the_shipped_lesson_is_found_and_loads(shipped):
    assert SHIPPED in L.shipped_lessons() and L.is_lesson_file(SHIPPED)
    assert shipped.path == SHIPPED and len(shipped.scenes) >= 8
    assert [s.number for s in shipped.scenes] == list(range(1, len(shipped.scenes) + 1))
    assert shipped.languages == ("en", "ko") and HANGUL.search(shipped.title_ko)


def test_every_shipped_scene_speaks_english_and_korean(shipped):
    for s in shipped.scenes:
        assert s.title and s.caption and not HANGUL.search(s.title + s.caption)
        assert HANGUL.search(s.title_ko) and HANGUL.search(s.caption_ko), s.number
        assert s.title_in("ko") == s.title_ko and s.caption_in("ko_KR.UTF-8") == s.caption_ko
        assert s.title_in("en") == s.title and s.caption_in("fr") == s.caption
        for text in (s.caption, s.caption_ko):
            assert "<" not in L.caption_plain(text)  # every tag is one the format allows


def test_the_shipped_scenes_follow_the_seed(shipped):
    s = shipped.scenes
    why, esm, ism, dsm, ssm, langevin, annealed, sde = s[:8]
    assert "log Z" in why.caption and "∇ₓf<sub>θ</sub>(x)" in why.caption and why.config.sampler.score_source == "true"
    assert "learned" not in why.panels and why.steps == 0 and why.is_locked("training")
    assert esm.config.objective.name == "esm" and esm.config.density == "8gaussians" and esm.steps >= 1000
    assert ism.config.objective.name == "ism" and "identities" in ism.panels
    assert "E[esm] = E[ism] + ½E‖∇log p‖²" in ism.caption and "E[esm] = E[ism] + ½E‖∇log p‖²" in ism.caption_ko
    assert "부분적분" in ism.title_ko
    assert dsm.config.objective.name == "dsm" and dsm.config.objective.sigma == 0.3
    assert "p<sub>σ</sub> = p ∗ N(0, σ²I)" in dsm.caption and "−(x̃ − x)/σ²" in dsm.caption
    assert ssm.config.objective.name == "ssm" and "E[vvᵀ] = I" in ssm.caption
    # MATH.md's slips: the θ-term is ½(vᵀs_θ)², the Jacobian term vᵀ∇ₓs_θ v (not vᵀs_θ v)
    assert "½(vᵀs<sub>θ</sub>(x))²" in ssm.caption and "vᵀs<sub>θ</sub>(x)v" not in ssm.caption
    assert langevin.config.density == "ncsn-mixture" and langevin.config.sampler.sampler == "langevin"
    assert langevin.config.sampler.step_size == 0.1 and langevin.config.sampler.init == "uniform:-8,8"
    assert "½ : ½" in langevin.caption and "½ : ½" in langevin.caption_ko
    c = annealed.config
    assert c.density == "ncsn-mixture" and c.objective.name == "ncsn" and c.model.noise_conditional
    assert (c.objective.sigma_max, c.objective.sigma_min, c.objective.levels) == (20.0, 1.0, 10)
    sc = c.sampler
    assert (sc.sampler, sc.score_source, sc.sigma_max, sc.sigma_min, sc.levels, sc.steps_per_level, sc.step_size) == (
        "annealed", "learned", 20.0, 1.0, 10, 100, 0.1)
    assert "⅕ : ⅘" in annealed.caption and annealed.steps > 0
    c = sde.config
    assert c.objective.name == "sde" and c.model.time_conditional and not c.model.noise_conditional
    assert c.sampler.sampler == "reverse-sde" and c.density == "8gaussians" and c.density_params == {}
    assert sde.view.time == c.field_t == 0.1 and "SDE" in sde.title


def test_each_shipped_scene_is_a_whole_configuration(shipped):
    for s in shipped.scenes:
        assert isinstance(s.config, SessionConfig) and s.config.device == "auto" and s.config.grid == 64
        assert s.fresh_config() == s.config and s.fresh_config() is not s.config
        assert s.session is None and s.view.arrows in L.ARROW_MODES
        if "learned" in s.panels:  # a trained field looks the same every time: the scene trains it
            assert 1000 <= s.steps <= L.MAX_STEPS
    a = load_lesson(SHIPPED)
    assert [s.config for s in a.scenes] == [s.config for s in shipped.scenes]  # deterministic


# ---------------------------------------------------------------------------- the format
def test_defaults():
    s = lesson_from_dict(lesson()).scenes[0]
    assert s.config == SessionConfig() and s.session is None and s.panels == L.DEFAULT_PANELS
    assert s.view == View(None, None, "linear") and (s.steps, s.play, s.lock, s.talk) == (0, False, (), False)
    assert (s.title_ko, s.caption_ko) == (None, None) and s.title_in("ko") == "a" and s.caption_in("ko") == "b"


def test_configs_merge_over_the_previous_scene_as_documented():
    les = lesson_from_dict(lesson(
        scene(config={"density": "moons", "density_params": {"noise": 0.2}, "seed": 3,
                      "objective": {"name": "dsm", "sigma": 0.2}, "sampler": {"step_size": 0.02}}),
        scene(config={"objective": {"name": "ncsn"}}),
        scene(config={"density": "8gaussians"}),
        scene(config={"objective": {"name": "sde"}, "sampler": {"sampler": "pc"}}, view={"time": 0.5}),
        scene(config={"objective": {"name": "dsm"}}),
        scene(),
        scene(config={"model": {"hidden": 64}, "lr": 0.01}),
    ))
    c = [s.config for s in les.scenes]
    assert (c[0].density, c[0].density_params, c[0].seed, c[0].objective.sigma) == ("moons", {"noise": 0.2}, 3, 0.2)
    # key by key: the objective's sigma, the params and the sampler stay; ncsn makes the model noise-conditional
    assert (c[1].objective.name, c[1].objective.sigma, c[1].density_params) == ("ncsn", 0.2, {"noise": 0.2})
    assert c[1].model.noise_conditional and c[1].sampler.step_size == 0.02 and c[1].seed == 3
    assert (c[2].density, c[2].density_params, c[2].objective.name) == ("8gaussians", {}, "ncsn")  # a new density
    assert c[3].model.time_conditional and not c[3].model.noise_conditional and c[3].sampler.sampler == "pc"
    assert c[3].field_t == 0.5 and les.scenes[3].view.time == 0.5
    # leaving sde: conditioning off, the time sampler back to Langevin, the time gone (view is per scene)
    assert not (c[4].model.time_conditional or c[4].model.noise_conditional)
    assert c[4].sampler.sampler == "langevin" and c[4].field_t is None
    assert c[5] == c[4] and les.scenes[5].panels == L.DEFAULT_PANELS
    assert (c[6].model.hidden, c[6].model.layers, c[6].lr, c[6].objective.name) == (64, 3, 0.01, "dsm")
    # scene k on its own is what it names: the same configuration written out whole in a one-scene lesson
    alone = lesson_from_dict(lesson(scene(config={k: v for k, v in c[3].to_dict().items() if k in L.CONFIG_KEYS},
                                          view={"time": 0.5})))
    assert alone.scenes[0].config == c[3]


def test_a_scene_may_set_the_model_conditioning_itself():
    les = lesson_from_dict(lesson(scene(config={"objective": {"name": "ncsn"}}),
                                  scene(config={"objective": {"name": "dsm"}, "model": {"noise_conditional": True}})))
    assert les.scenes[1].config.objective.name == "dsm" and les.scenes[1].config.model.noise_conditional
    refused(lambda: lesson_from_dict(lesson(scene(config={"objective": {"name": "ncsn"}}),
                                            scene(config={"objective": {"name": "esm"},
                                                          "model": {"noise_conditional": True}}))),
            "scene 2:", "noise-conditional")


def test_panels_lock_view_and_flags(tmp_path):
    s = lesson_from_dict(lesson(scene(panels=["identities", "learned"], lock=["sampler", "density"], play=True,
                                      talk=True, steps=25, view={"box": [-3, 3, -2, 2.5], "arrows": "log"}))).scenes[0]
    assert s.panels == ("learned", "identities") and s.lock == ("density", "sampler")  # in the tables' order
    assert s.is_locked("density") and not s.is_locked("model") and (s.play, s.talk, s.steps) == (True, True, 25)
    assert s.view == View((-3.0, 3.0, -2.0, 2.5), None, "log")
    with pytest.raises(ValueError):
        s.is_locked("everything")
    assert set(L.PANELS) >= {"learned", "true", "particles", "error", "identities"}
    assert set(L.LOCKS) >= {"density", "objective", "model", "sampler"}


def test_a_session_is_resolved_inside_the_lessons_folder(tmp_path):
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "ncsn.scoreviz").write_bytes(b"not opened by the loader")
    path = write(tmp_path, lesson(scene(session="runs/ncsn.scoreviz")))
    s = load_lesson(path).scenes[0]
    assert s.session == (tmp_path / "runs" / "ncsn.scoreviz").resolve() and s.config == SessionConfig()


def test_the_arrow_modes_are_the_windows():
    from scoreviz.core.session_file import SCALE_MODES

    assert L.ARROW_MODES == SCALE_MODES


def test_texts_and_languages():
    les = lesson_from_dict(lesson(scene(title_ko="가", caption_ko="나"), scene(), title_ko="제목"))
    assert les.languages == ("en",)  # scene 2 has no Korean
    assert les.title_in("ko") == "제목" and les.title_in("en") == "T"
    assert les.scenes[1].caption_in("ko") == "b"  # falls back to English
    assert [L.language(c) for c in ("ko", "KO", "ko-KR", "ko_KR.UTF-8", "en_US", "de", "", None)] == [
        "ko", "ko", "ko", "ko", "en", "en", "en", "en"]
    assert L.caption_html("a < b & <sub>σ</sub>\n<i>x</i><br/><img src=x>") == (
        "a &lt; b &amp; <sub>σ</sub><br><i>x</i><br>&lt;img src=x&gt;")
    assert L.caption_plain("p<sub>σ</sub>, e<sup>f<sub>θ</sub></sup>, <b>x</b><br>y") == "p_σ, e^(f_θ), x\ny"
    assert les.scene(2) is les.scenes[1]
    refused(lambda: les.scene(3), "scene 3 is not in this lesson", "1..2")
    assert L.is_lesson_file("a/B.Lesson.JSON") and not L.is_lesson_file("density.json")


def test_importing_the_loader_loads_neither_qt_nor_torch():
    code = ("import sys, scoreviz.core.lesson; "
            "bad = [m for m in ('torch', 'PySide6', 'pyqtgraph') if m in sys.modules]; sys.exit(bool(bad))")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


# ---------------------------------------------------------------------------- refusals
BAD_SCENES = [  # (scene 3's extra keys, fragments of the one line)
    ({"config": {"objective": {"name": "xsm"}}}, ["scene 3: unknown objective 'xsm'", "esm, ism"]),
    ({"colour": "red"}, ["scene 3: scene key 'colour' is not known", "allowed: title, caption"]),
    ({"config": {"device": "cuda"}}, ["scene 3: config key 'device' is not known", "allowed: density"]),
    ({"config": {"objective": {"sigmaa": 1}}}, ["scene 3: unknown objective setting 'sigmaa'"]),
    ({"config": {"objective": "dsm"}}, ["scene 3: config objective must be an object"]),
    ({"config": {"lr": 5}}, ["scene 3: lr=5 is out of range"]),
    ({"config": {"model": {"activation": "relu"}, "objective": {"name": "ism"}}}, ["needs a differentiable score"]),
    ({"config": {"model": {"hidden": 4096, "layers": 16}}}, ["scene 3: this configuration needs"]),
    ({"config": {"density": "heart.png"}}, ["scene 3: density 'heart.png' is not a preset", "expr:"]),
    ({"config": {"density": "moons", "density_params": {"noise": 9}}}, ["scene 3: moons: noise=9 is out of range"]),
    ({"config": {"sampler": {"init": "everywhere"}}}, ["scene 3: bad particle init"]),
    ({"steps": -1}, ["scene 3: steps=-1 is not allowed", "0..20,000"]),
    ({"steps": L.MAX_STEPS + 1}, ["scene 3: steps=20001 is not allowed"]),
    ({"steps": 1.5}, ["scene 3: steps=1.5"]),
    ({"steps": True}, ["scene 3: steps=True"]),
    ({"caption": "x" * (L.MAX_CAPTION_CHARS + 1)}, ["scene 3: caption is 2,001 characters; at most 2,000"]),
    ({"title": "y" * (L.MAX_TITLE_CHARS + 1)}, ["scene 3: title is 201 characters"]),
    ({"caption": "red \x1b[31m"}, ["scene 3: caption holds the unprintable character U+001B"]),
    ({"title": "two\nlines"}, ["scene 3: title holds the unprintable character U+000A"]),
    ({"caption": "p<sub>σ"}, ["scene 3: caption: <sub> is not closed"]),
    ({"caption_ko": "p</sup>"}, ["scene 3: caption_ko: </sup> closes no <sup>"]),
    ({"title": ""}, ["scene 3: title is empty"]),
    ({"panels": ["learned", "heat"]}, ["scene 3: panel 'heat' is not known", "identities"]),
    ({"panels": []}, ["scene 3: panels must name at least one"]),
    ({"panels": ["true", "true"]}, ["scene 3: panels lists 'true' twice"]),
    ({"lock": ["everything"]}, ["scene 3: control 'everything' is not known", "density, objective"]),
    ({"view": {"time": 0.5}}, ["scene 3: view time needs objective sde"]),
    ({"view": {"time": 0.0}, "config": {"objective": {"name": "sde"}}}, ["scene 3: view time=0 is out of range"]),
    ({"view": {"box": [1, 0, 0, 1]}}, ["scene 3: view box [1, 0, 0, 1] is not allowed"]),
    ({"view": {"arrows": "big"}}, ["scene 3: view arrows 'big' is not known", "linear, log, direction"]),
    ({"view": {"zoom": 2}}, ["scene 3: view key 'zoom' is not known"]),
    ({"play": "yes"}, ["scene 3: play must be true or false"]),
]


@pytest.mark.parametrize("extra, fragments", BAD_SCENES, ids=[str(i) for i in range(len(BAD_SCENES))])
def test_a_bad_scene_is_refused_naming_its_number(tmp_path, extra, fragments):
    path = write(tmp_path, lesson(scene(), scene(), scene(**extra)))
    msg = refused(lambda: load_lesson(path), "'t.lesson.json': ", *fragments)
    assert len(msg) < 400


BAD_FILES = [  # (file text, fragments)
    ("{not json", ["not a scoreviz lesson: not JSON"]),
    ("[" + json.dumps(lesson()) + "]", ["a lesson is a JSON object", "this is a list"]),
    (json.dumps(lesson() | {"scenes": {"title": "a"}}), ["scenes must be a list of scene objects, not an object"]),
    (json.dumps(lesson() | {"scenes": []}), ["a lesson has 1..200 scenes; this one has 0"]),
    (json.dumps(lesson(*[scene()] * (L.MAX_SCENES + 1))), ["this one has 201"]),
    (json.dumps(lesson() | {"author": "me"}), ["lesson key 'author' is not known", "scoreviz_lesson, title"]),
    (json.dumps({"title": "T", "scenes": [scene()]}), ["\"scoreviz_lesson\": 1 is missing"]),
    (json.dumps(lesson() | {"scoreviz_lesson": 2}), ["scoreviz_lesson 2 is not a format"]),
    (json.dumps({"scoreviz_lesson": 1, "scenes": [scene()]}), ["lesson key \"title\" is missing"]),
    (json.dumps(lesson(scene(), 7)), ["scene 2: a scene is an object"]),
    (json.dumps(lesson(scene(caption=None))), ["scene 1: caption must be text"]),
    (json.dumps(lesson()).replace('"title": "a"', '"title": "a", "title": "b"', 1), ["key 'title' appears twice"]),
    ('{"scoreviz_lesson": 1, "title": "T", "scenes": [{"title": "a", "caption": "b", "steps": NaN}]}',
     ["NaN is not a number a lesson may hold"]),
    ("[" * 30_000 + "]" * 30_000, ["lists or objects; at most 20,000", "refused before it is parsed"]),
    ('{"a": ' * 5000 + "1" + "}" * 5000, ["nested too deeply"]),
]


@pytest.mark.parametrize("text, fragments", BAD_FILES, ids=[str(i) for i in range(len(BAD_FILES))])
def test_a_bad_file_is_refused_with_one_line(tmp_path, text, fragments):
    path = write(tmp_path, text)
    refused(lambda: load_lesson(path), "'t.lesson.json': ", *fragments)


def test_files_that_are_not_lessons(tmp_path):
    big = tmp_path / "big.lesson.json"
    big.write_bytes(b" " * (L.MAX_BYTES + 1))
    refused(lambda: load_lesson(big), "'big.lesson.json': the file is 1,048,577 bytes (1.0 MiB); at most")
    latin = tmp_path / "latin.lesson.json"
    latin.write_bytes(json.dumps(lesson(scene(title="caf"))).replace("caf", "caf\\u00e9").encode() + b"\xe9")
    refused(lambda: load_lesson(latin), "not UTF-8 text")
    refused(lambda: load_lesson(tmp_path / "missing.lesson.json"), "'missing.lesson.json': lesson does not exist")
    refused(lambda: load_lesson(tmp_path), "lesson is a folder")
    bom = write(tmp_path, "\ufeff" + json.dumps(lesson()), "bom.lesson.json")
    assert load_lesson(bom).title == "T"  # a byte-order mark is not an error


@pytest.mark.parametrize("value, fragment", [
    ("../outside.scoreviz", "must be relative to the lesson's folder, with / and without '..'"),
    ("runs/../../outside.scoreviz", "without '..'"),
    ("/etc/outside.scoreviz", "must be relative"),
    ("runs\\a.scoreviz", "with /"),
    ("link/outside.scoreviz", "leads out of the lesson's folder"),
    ("runs/missing.scoreviz", "does not exist"),
    ("runs", "must name a .scoreviz session file"),
    ("runs/folder.scoreviz", "is a folder"),
    ("", "session must be a path"),
    (7, "session must be a path"),
])
def test_a_session_outside_the_folder_or_missing_is_refused(tmp_path, value, fragment):
    home = tmp_path / "lesson"
    (home / "runs" / "folder.scoreviz").mkdir(parents=True)
    (tmp_path / "outside.scoreviz").write_bytes(b"x")
    (home / "link").symlink_to(tmp_path, target_is_directory=True)
    path = write(home, lesson(scene(), scene(session=value)))
    refused(lambda: load_lesson(path), "scene 2: ", fragment)
    refused(lambda: lesson_from_dict(lesson(scene(session="a.scoreviz"))), "a lesson given as data has no folder")


def test_python_in_a_lesson_is_plain_text_and_never_run(tmp_path, monkeypatch):
    marker = tmp_path / "PWNED"
    payload = f"__import__('os').system('touch {marker}')"
    texts = [payload, f"eval(compile('open(\"{marker}\", \"w\")', 'x', 'exec'))", "{{7*7}} ${7*7} `id` $(id)"]
    d = lesson(*[scene(title=t[:200], caption=t, title_ko=t[:200], caption_ko=t) for t in texts], title=payload)
    path = write(tmp_path, d)
    load_lesson(SHIPPED)  # the loader's own imports are done: from here on nothing may evaluate code

    real_import = builtins.__import__

    def forbidden(*args, **kwargs):
        raise AssertionError("a lesson made scoreviz run code")

    def loaded_only(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and name not in sys.modules:
            raise AssertionError(f"a lesson made scoreviz import {name}")
        return real_import(name, globals, locals, fromlist, level)

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, forbidden)
    monkeypatch.setattr(builtins, "__import__", loaded_only)
    monkeypatch.setattr(os, "system", forbidden)
    try:
        les = load_lesson(path)
    finally:
        monkeypatch.undo()  # before pytest itself needs any of these
    assert les.title == payload and [s.caption for s in les.scenes] == texts
    assert les.scenes[0].caption_in("ko") == payload and not marker.exists()
    assert "&lt;" not in L.caption_html(payload) and L.caption_plain(payload) == payload
    # where a lesson names something run-like, the core's allow-list refuses it, unrun
    bad = write(tmp_path, lesson(scene(config={"density": "expr:" + payload})), "expr.lesson.json")
    refused(lambda: load_lesson(bad), "scene 1: expression: call", "is not allowed")
    assert not marker.exists()
