"""A lesson in the main window (issue 15): each scene shows exactly the state it names, the keys step
through the scenes, locks hold, the language switches, and bad files are refused in one line."""

from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import small_config, wait_for_frame

SMALL = {"model": {"hidden": 32, "layers": 2}, "batch": 64, "sampler": {"n_particles": 500}}


def _lesson(tmp_path) -> str:
    d = {"scoreviz_lesson": 1, "title": "Tiny", "title_ko": "작은 수업", "scenes": [
        {"title": "Explicit", "title_ko": "명시적", "caption": "esm: ½‖s<sub>θ</sub> − ∇log p‖²",
         "caption_ko": "명시적 스코어 매칭", "config": {"density": "8gaussians", "objective": {"name": "esm"}, **SMALL},
         "steps": 20},
        {"title": "Denoising", "caption": "dsm learns p<sub>σ</sub>", "config": {"objective": {"name": "dsm", "sigma": 0.3}},
         "steps": 30, "panels": ["true", "particles", "error"], "view": {"box": [-3, 3, -3, 3], "arrows": "direction"},
         "lock": ["objective", "training", "density"]},
        {"title": "Talk", "caption": "in talk mode", "config": {"objective": {"name": "ssm"}}, "steps": 10, "talk": True,
         "panels": ["learned", "true", "particles", "curves", "identities"]},
    ]}
    path = tmp_path / "tiny.lesson.json"
    path.write_text(json.dumps(d), encoding="utf-8")
    return str(path)


def _shown(qtbot, w, number: int, steps: int, objective: str):
    qtbot.waitUntil(lambda: w.lesson.number == number, timeout=60000)
    return wait_for_frame(qtbot, w, lambda f: f.state.step == steps and f.state.cfg.objective.name == objective,
                          timeout=30000)


def test_scenes_show_exactly_what_they_name_and_the_keys_step_through_them(qtbot, make_window, tmp_path):
    from scoreviz.core.lesson import load_lesson

    path = _lesson(tmp_path)
    lesson = load_lesson(path)
    w = make_window(small_config(seed=7))
    wait_for_frame(qtbot, w)
    w.lesson.set_language("en")
    assert w.open_path(path)
    f = _shown(qtbot, w, 1, 20, "esm")
    want = lesson.scene(1).config
    assert (f.state.cfg.objective, f.state.cfg.model, f.state.cfg.density, f.state.cfg.seed) == \
        (want.objective, want.model, want.density, want.seed)
    assert "1/3" in w.lesson.scene_text() and "Explicit" in w.lesson.scene_text()
    assert w.panels.field_panels() == (True, True) and not w.panels.error_visible()

    w.lesson.act_next.trigger()  # PgDown
    f = _shown(qtbot, w, 2, 30, "dsm")
    assert f.state.cfg.objective.sigma == 0.3 and f.state.cfg.model.hidden == 32
    assert w.panels.field_panels() == (False, True)  # the scene lists no learned panel
    qtbot.waitUntil(lambda: w.panels.error_visible(), timeout=5000)
    qtbot.waitUntil(lambda: np.allclose(w.panels.visible_box(), (-3, 3, -3, 3), atol=1e-6), timeout=5000)
    assert w.controls.display.state()["scale"] == "direction"
    # locked: the objective's controls, play/step/reset, the density
    assert not w.controls.objective.isEnabled() and not w.act_play.isEnabled() and not w.act_step.isEnabled()
    assert not w.controls.density.isEnabled() and w.controls.model.isEnabled()
    assert w.running is False

    w.lesson.act_previous.trigger()  # PgUp: scene 1 again, at once (kept), and unlocked
    f = _shown(qtbot, w, 1, 20, "esm")
    assert w.controls.objective.isEnabled() and w.act_play.isEnabled() and w.panels.field_panels() == (True, True)

    w.lesson.go(3)  # talk mode comes on; → then steps the scenes (there is none after the last)
    _shown(qtbot, w, 3, 10, "ssm")
    assert w.talk_mode.is_active() and w.identities_dock.isVisible()
    assert not w.lesson.act_next.isEnabled()  # in talk mode its own keys step the scenes (no ambiguous key)
    w.talk_mode.act_previous.trigger()  # ← in talk mode
    _shown(qtbot, w, 2, 30, "dsm")
    w.talk_mode.set_active(False)
    assert w.lesson.act_next.isEnabled()

    w.lesson.close()
    assert not w.lesson.is_open() and not w.lesson.bar.isVisible() and w.controls.objective.isEnabled()


def test_the_language_switches_the_scene_text(qtbot, make_window, tmp_path):
    w = make_window(small_config())
    wait_for_frame(qtbot, w)
    assert w.lesson.open(_lesson(tmp_path))
    qtbot.waitUntil(lambda: w.lesson.number == 1, timeout=60000)
    w.lesson.bar.language.setCurrentIndex(1)  # 한국어
    assert "작은 수업" in w.lesson.scene_text() and "명시적 스코어 매칭" in w.lesson.scene_text()
    w.lesson.bar.language.setCurrentIndex(0)
    assert "Tiny" in w.lesson.scene_text()


def test_a_lesson_starts_in_the_interfaces_language(qtbot, make_window, tmp_path, qapp):
    """Chosen Korean in View ▸ Language (the translator installed at start): the captions are Korean at once,
    whatever the system locale; English interface: English captions."""
    from scoreviz.gui import i18n

    assert i18n.install_translator(qapp, "ko") == "ko"
    try:
        w = make_window(small_config())
        wait_for_frame(qtbot, w)
        assert w.lesson.open(_lesson(tmp_path))
        qtbot.waitUntil(lambda: w.lesson.number == 1, timeout=60000)
        assert w.lesson.bar.language.currentData() == "ko" and "작은 수업" in w.lesson.scene_text()
    finally:
        assert i18n.install_translator(qapp, "en") == "en"
    w2 = make_window(small_config())
    assert w2.lesson.lang == "en" and w2.lesson.bar.language.currentData() == "en"


@pytest.mark.parametrize("content, needle", [
    ("not json", "not a scoreviz lesson: not JSON"),
    (json.dumps({"scoreviz_lesson": 1, "title": "x", "scenes": [{"title": "a", "caption": "b",
                                                                 "config": {"objective": {"name": "xsm"}}}]}),
     "scene 1"),
])
def test_a_bad_lesson_is_refused_in_one_line_and_changes_nothing(qtbot, make_window, tmp_path, content, needle):
    w = make_window(small_config())
    f0 = wait_for_frame(qtbot, w)
    path = tmp_path / "bad.lesson.json"
    path.write_text(content, encoding="utf-8")
    assert not w.open_path(str(path))
    text = w.banner.text()
    assert needle.lower() in text.lower() and "\n" not in text
    assert not w.lesson.is_open() and w.last_frame.state.session_epoch == f0.state.session_epoch


def test_the_file_menu_lists_the_shipped_lessons(qtbot, make_window):
    w = make_window(small_config())
    titles = [a.text() for a in w.lessons_menu.actions()]
    assert any("Score matching" in t for t in titles)
    assert w.lesson.act_next.shortcut().toString() == "PgDown"
    assert w.lesson.act_previous.shortcut().toString() == "PgUp"
