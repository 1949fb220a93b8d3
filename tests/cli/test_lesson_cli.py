"""``scoreviz lesson``: a lesson rendered to a GIF or an MP4, read back (frames, size, the caption band,
Korean); bad input exits 2 with one line and writes nothing; a scene failing mid-render leaves nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from scoreviz.cli import main
from scoreviz.cli.lesson_cmd import frames_per_scene
from scoreviz.core.animation import frames_of, read_animation_info
from scoreviz.core.lesson import SHIPPED_DIR

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = SHIPPED_DIR / "score-matching.lesson.json"
BAND_FRACTION = 0.3  # lesson_render.BAND_FRACTION: the caption band is the bottom 30% of a frame
W, H = 320, 240
SMALL = {"model": {"hidden": 32, "layers": 2}, "batch": 64, "sampler": {"n_particles": 400}}
SCENES = [
    {"title": "Scene one", "title_ko": "첫 번째 장면", "caption": "dsm learns ∇log p<sub>σ</sub>",
     "caption_ko": "디노이징 스코어 매칭은 ∇log p<sub>σ</sub>를 배운다", "config": SMALL,
     "panels": ["learned", "particles", "curves"], "steps": 30},
    {"title": "A second, different title", "caption": "esm, the error panel, a box, direction arrows",
     "config": {"objective": {"name": "esm"}}, "panels": ["true", "error", "identities"],
     "view": {"box": [-2, 2, -2, 2], "arrows": "direction"}, "steps": 20, "play": True},
    {"title": "Third: a saved session", "caption": "a session file, trained 20 more steps",
     "session": "run.scoreviz", "config": SMALL, "panels": ["learned", "true", "particles"], "steps": 20},
]


def run_cli(*args):
    """scoreviz as a user runs it: a separate process (offscreen Qt when there is no display)."""
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([sys.executable, "-m", "scoreviz", *args], capture_output=True, text=True, timeout=300,
                          env=env, cwd=ROOT)


def write_lesson(folder: Path, scenes=SCENES, session: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if session:
        from scoreviz.core.models import ModelConfig
        from scoreviz.core.session import SamplerConfig, Session, SessionConfig
        from scoreviz.core.session_file import save_session

        s = Session(SessionConfig(density="checkerboard", model=ModelConfig(hidden=32, layers=2), batch=64,
                                  device="cpu", sampler=SamplerConfig(n_particles=300)))
        s.train(5)
        save_session(folder / "run.scoreviz", s)
    path = folder / "t.lesson.json"
    path.write_text(json.dumps({"scoreviz_lesson": 1, "title": "Test", "scenes": scenes}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def band(frame: np.ndarray) -> np.ndarray:
    return frame[H - round(H * BAND_FRACTION):].astype(int)


def panels(frame: np.ndarray) -> np.ndarray:
    return frame[: H - round(H * BAND_FRACTION) - 2].astype(int)


@pytest.fixture(scope="module")
def gif(tmp_path_factory):
    """The test lesson rendered once to a GIF: 3 scenes x 0.5 s x 6 fps."""
    home = tmp_path_factory.mktemp("lesson")
    lesson = write_lesson(home / "lesson")
    out_dir = home / "out"
    out_dir.mkdir()
    out = out_dir / "talk.gif"
    r = run_cli("lesson", str(lesson), "--out", str(out), "--size", f"{W}x{H}", "--seconds-per-scene", "0.5",
                "--fps", "6", "--device", "cpu", "--threads", "1")
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == str(out)
    return out


@pytest.mark.parametrize("seconds, fps, n", [(0.5, 6, 3), (0.25, 2, 1), (0.1, 1, 1), (4, 20, 80), (0.3, 5, 2),
                                             (0.7, 5, 4), (60, 60, 3600)])
def test_frames_per_scene_is_seconds_times_fps_rounded_half_up_at_least_one(seconds, fps, n):
    assert frames_per_scene(seconds, fps) == n


def test_a_gif_has_scenes_x_frames_per_scene_frames_of_the_size_asked_for(gif):
    n, w, h, fps = read_animation_info(gif)
    assert (n, w, h) == (3 * 3, W, H) and fps == pytest.approx(6.0)
    assert sorted(os.listdir(gif.parent)) == ["talk.gif"]


def test_every_frame_has_a_caption_band_that_changes_with_the_scene(gif):
    frames = list(frames_of(gif))
    for f in frames:
        b = band(f)
        assert b.std() > 8 and (np.abs(b - b[-1, -1]).sum(axis=2) > 60).mean() > 0.01  # text, not a plain fill
    firsts = [frames[0], frames[3], frames[6]]  # the first frame of each scene
    for a, b in zip(firsts, firsts[1:]):
        assert np.abs(band(a) - band(b)).mean() > 1.0  # another title and caption
        assert np.abs(panels(a) - panels(b)).mean() > 1.0  # other panels
    for k in (0, 3, 6):  # within a scene the band stays; the particles (and, playing, the model) move
        assert np.abs(band(frames[k]) - band(frames[k + 2])).mean() < 0.5
        assert np.abs(panels(frames[k]) - panels(frames[k + 2])).mean() > 0.05


def test_an_mp4_of_a_range_of_scenes(tmp_path):
    lesson = write_lesson(tmp_path / "lesson")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "talk.mp4"
    r = run_cli("lesson", str(lesson), "--out", str(out), "--size", f"{W}x{H}", "--seconds-per-scene", "0.5",
                "--fps", "4", "--scenes", "2-3", "--device", "cpu", "--threads", "1")
    assert r.returncode == 0, r.stderr[-2000:]
    assert read_animation_info(out) == (2 * 2, W, H, 4.0)
    frames = list(frames_of(out))
    assert np.abs(band(frames[0]) - band(frames[2])).mean() > 1.0
    assert sorted(os.listdir(out_dir)) == ["talk.mp4"]


def test_the_shipped_lessons_first_scene_renders_in_english_and_korean(tmp_path):
    shown = {}
    for lang in ("en", "ko"):
        out = tmp_path / f"scene1-{lang}.gif"
        r = run_cli("lesson", str(SHIPPED), "--out", str(out), "--scenes", "1", "--lang", lang, "--size", f"{W}x{H}",
                    "--seconds-per-scene", "0.5", "--fps", "2", "--threads", "1")
        assert r.returncode == 0, r.stderr[-2000:]
        assert "warning" not in r.stderr  # Noto Sans CJK (fonts-noto-cjk) is installed here: no warning
        assert read_animation_info(out)[:3] == (1, W, H)
        shown[lang] = next(iter(frames_of(out)))
        assert band(shown[lang]).std() > 8 and panels(shown[lang]).std() > 10
    assert np.abs(band(shown["en"]) - band(shown["ko"])).mean() > 1.0  # the Korean title and caption
    assert np.abs(panels(shown["en"]) - panels(shown["ko"])).mean() < 2.0  # the same scene


def test_korean_uses_a_cjk_font_first_and_without_one_still_renders_and_warns_once(monkeypatch, capsys):
    from scoreviz.core.lesson import load_lesson
    from scoreviz.gui.offscreen import lesson_render as R
    from scoreviz.gui.qt_app import application

    application()
    scene = load_lesson(SHIPPED).scenes[0]
    family = R.cjk_family()
    if family is not None:
        assert R.band_font(scene.title_in("ko")).families()[0] == family
        assert R.band_font(scene.title_in("en")).families()[-1] == family  # a fallback for English
    monkeypatch.setattr(R, "_cjk_cache", [None])
    monkeypatch.setattr(R, "_warned", [])
    english = R.CaptionBand(scene, 9, "en", (W, 72))
    assert capsys.readouterr().err == ""  # no CJK to draw: nothing to say
    images = [R.CaptionBand(scene, 9, "ko", (W, 72)).image for _ in range(2)]
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
    assert len(err) == 1 and "fonts-noto-cjk" in err[0] and "warning" in err[0], err
    assert images[0] != english.image  # drawn all the same


@pytest.mark.parametrize("args, message", [
    (["{lesson}", "--out", "{out}/a.avi"], "use .mp4 or .gif"),
    (["{lesson}", "--out", "{out}/missing/a.gif"], "does not exist"),
    (["{out}/none.lesson.json", "--out", "{out}/a.gif"], "lesson does not exist"),
    (["{bad}", "--out", "{out}/a.gif"], "not JSON"),
    (["{lesson}", "--out", "{out}/a.gif", "--size", "huge"], "must look like WIDTHxHEIGHT"),
    (["{lesson}", "--out", "{out}/a.gif", "--size", "200x100"], "too small"),
    (["{lesson}", "--out", "{out}/a.mp4", "--size", "321x240"], "even width and height"),
    (["{lesson}", "--out", "{out}/a.gif", "--seconds-per-scene", "0"], "out of range"),
    (["{lesson}", "--out", "{out}/a.gif", "--seconds-per-scene", "-1"], "out of range"),
    (["{lesson}", "--out", "{out}/a.gif", "--seconds-per-scene", "61"], "out of range"),
    (["{lesson}", "--out", "{out}/a.gif", "--seconds-per-scene", "nan"], "must be finite"),
    (["{lesson}", "--out", "{out}/a.gif", "--lang", "fr"], "invalid choice"),
    (["{lesson}", "--out", "{out}/a.gif", "--fps", "55"], "too fast for a GIF"),
    (["{lesson}", "--out", "{out}/a.gif", "--scenes", "4"], "it has scenes 1..3"),
    (["{lesson}", "--out", "{out}/a.gif", "--scenes", "3-2"], "A <= B"),
    (["{lesson}", "--out", "{out}/a.gif", "--scenes", "2-7"], "it has scenes 1..3"),
    (["{lesson}", "--out", "{out}/a.gif", "--scenes", "x"], "a scene number K or a range A-B"),
    (["{lesson}", "--out", "{out}/a.gif", "--device", "abacus"], "device 'abacus' is not known"),
    (["{lesson}", "--out", "{out}/a.mp4", "--seconds-per-scene", "60", "--fps", "60"], "at most 10,000"),
    (["{lesson}", "--out", "{out}/a.gif", "--size", "4000x4000", "--seconds-per-scene", "30"], "too large"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, args, message):
    lesson = write_lesson(tmp_path / "lesson", session=False, scenes=SCENES[:2] + [SCENES[0]])
    bad = tmp_path / "lesson" / "bad.lesson.json"
    bad.write_text("{not json", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    argv = ["lesson", *[a.format(lesson=lesson, bad=bad, out=out) for a in args]]
    assert main(argv) == 2
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and message in lines[0], err
    assert os.listdir(out) == []


def test_a_scene_failing_mid_render_leaves_nothing(tmp_path):
    home = tmp_path / "lesson"
    lesson = write_lesson(home, session=False, scenes=[SCENES[0], {**SCENES[2], "session": "broken.scoreviz"}])
    (home / "broken.scoreviz").write_bytes(b"not a session")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    r = run_cli("lesson", str(lesson), "--out", str(out_dir / "talk.mp4"), "--size", f"{W}x{H}",
                "--seconds-per-scene", "0.5", "--fps", "4", "--device", "cpu", "--threads", "1")
    assert r.returncode == 2
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "broken.scoreviz" in lines[0], r.stderr
    assert os.listdir(out_dir) == []
