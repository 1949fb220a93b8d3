"""``scoreviz animate``: the files it writes, read back; bad input exits 2 with one line and writes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from scoreviz.cli import main
from scoreviz.core.animation import frames_of, read_animation_info

ROOT = Path(__file__).resolve().parents[2]
FAST = ["--hidden", "32", "--layers", "2", "--batch", "128", "--grid", "12", "--device", "cpu", "--threads", "1",
        "--particles", "500"]


def run_cli(*args):
    """scoreviz as a user runs it: a separate process (offscreen Qt when there is no display)."""
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([sys.executable, "-m", "scoreviz", *args], capture_output=True, text=True, timeout=300,
                          env=env, cwd=ROOT)


def _differ(frames) -> bool:
    return any(np.abs(a.astype(int) - b).mean() > 0.05 for a, b in zip(frames, frames[1:]))


def test_animate_writes_a_gif_with_the_frames_and_size_asked_for(tmp_path):
    out = tmp_path / "learn.gif"
    r = run_cli("animate", "--steps", "20", "--frames", "6", "--size", "320x240", *FAST, "--out", str(out))
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == str(out)
    n, w, h, fps = read_animation_info(out)
    assert (n, w, h) == (6, 320, 240) and fps == pytest.approx(20.0)
    frames = list(frames_of(out))
    assert len(frames) == 6 and _differ(frames)  # training and particles move between frames
    assert frames[-1].std() > 10  # a picture, not a blank
    assert sorted(os.listdir(tmp_path)) == ["learn.gif"]


def test_animate_writes_an_mp4_at_the_frame_rate_asked_for(tmp_path):
    out = tmp_path / "learn.mp4"
    r = run_cli("animate", "--steps", "20", "--frames", "6", "--fps", "12", "--size", "320x240", *FAST,
                "--out", str(out))
    assert r.returncode == 0, r.stderr[-2000:]
    assert read_animation_info(out) == (6, 320, 240, 12.0)
    assert _differ(list(frames_of(out)))
    assert sorted(os.listdir(tmp_path)) == ["learn.mp4"]


def test_animate_particles_only_with_the_true_score(tmp_path):
    out = tmp_path / "sampler.gif"
    r = run_cli("animate", "--particles-only", "--score", "true", "--steps-per-frame", "20", "--step-size", "0.05",
                "--frames", "5", "--size", "240x240", *FAST, "--out", str(out))
    assert r.returncode == 0, r.stderr[-2000:]
    assert read_animation_info(out)[:3] == (5, 240, 240)
    frames = list(frames_of(out))
    assert _differ(frames)  # the particles move


@pytest.mark.parametrize("args, message", [
    (["--out", "{tmp}/a.avi"], "use .mp4 or .gif"),
    (["--out", "{tmp}/missing/a.gif"], "does not exist"),
    (["--out", "{tmp}/a.gif", "--frames", "0"], "frames=0 is out of range"),
    (["--out", "{tmp}/a.gif", "--frames", "x"], "'x' is not an integer"),
    (["--out", "{tmp}/a.mp4", "--fps", "0"], "fps=0 is out of range"),
    (["--out", "{tmp}/a.gif", "--fps", "55"], "too fast for a GIF"),
    (["--out", "{tmp}/a.mp4", "--size", "321x240"], "even width and height"),
    (["--out", "{tmp}/a.mp4", "--size", "huge"], "must look like WIDTHxHEIGHT"),
    (["--out", "{tmp}/a.gif", "--size", "1920x1080", "--frames", "9000"], "too large"),
    (["--out", "{tmp}/a.gif", "--sampler", "annealed", "--score", "true", "--sigma-max", "0.1", "--sigma-min", "0.5"],
         "sigma_max"),
        (["--out", "{tmp}/a.gif", "--sampler", "annealed", "--objective", "dsm"], "not noise-conditional"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, args, message):
    argv = ["animate", "--steps", "5", *[a.replace("{tmp}", str(tmp_path)) for a in args]]
    assert main(argv) == 2
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and message in lines[0], err
    assert os.listdir(tmp_path) == []


def test_a_density_that_cannot_be_built_exits_2(tmp_path):
    out = tmp_path / "a.gif"
    r = run_cli("animate", "--density", "no-such-density", "--steps", "5", "--frames", "2", *FAST, "--out", str(out))
    assert r.returncode == 2
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "no-such-density" in lines[0], r.stderr
    assert os.listdir(tmp_path) == []
