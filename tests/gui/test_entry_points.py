"""The app, the benchmark and the snapshot as separate processes; a screenshot after a few hundred steps."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtGui

from helpers import small_config, wait_for_frame

ROOT = Path(__file__).resolve().parents[2]


def _env():
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.mark.parametrize("process", ["0", "1"])
def test_the_app_exits_with_code_0_when_its_window_closes(process):
    """With training in the thread and in its own process (the app's default): the process is ended too."""
    code = textwrap.dedent("""
        import sys
        from PySide6 import QtCore, QtWidgets
        from scoreviz.gui import app
        from scoreviz.gui.windows.main_window import MainWindow

        def close_when_drawn():
            for w in QtWidgets.QApplication.topLevelWidgets():
                if not isinstance(w, MainWindow):
                    continue
                child = w.trainer.trainer.process
                in_process = child is not None and child.running
                if in_process:
                    print("child", child.proc.pid, flush=True)
                if (w.frames_drawn > 5 and w.last_frame.state.step > 3
                        and (in_process or not w.trainer.trainer.use_process)):
                    w.close()  # trained, so unsaved: the window asks first
                    QtCore.QTimer.singleShot(200, lambda: discard(w))
                    return
            QtCore.QTimer.singleShot(100, close_when_drawn)

        def discard(w):
            box = w.sessions.prompt
            assert box is not None and box.isVisible(), "no unsaved-session question"
            box.button(QtWidgets.QMessageBox.StandardButton.Discard).click()

        def play():
            for w in QtWidgets.QApplication.topLevelWidgets():
                if isinstance(w, MainWindow):
                    w.play()

        app.application()  # timers need the application's event loop
        QtCore.QTimer.singleShot(0, play)
        QtCore.QTimer.singleShot(200, close_when_drawn)
        sys.exit(app.main(None))
    """)
    env = dict(_env(), SCOREVIZ_TRAIN_PROCESS=process)
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=90)
    assert r.returncode == 0, r.stderr[-2000:]
    children = {int(line.split()[1]) for line in r.stdout.splitlines() if line.startswith("child ")}
    assert len(children) == (1 if process == "1" else 0)
    for pid in children:  # ended with the app, not left training
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_bench_prints_one_json_line():
    r = subprocess.run([sys.executable, "-m", "scoreviz", "bench", "--seconds", "1.5"], env=_env(),
                       capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-2000:]
    lines = [line for line in r.stdout.splitlines() if line.strip()]
    assert len(lines) == 1
    out = json.loads(lines[0])
    for key in ("fps", "frame_ms_p50", "frame_ms_p95", "train_steps_per_s", "headless_train_steps_per_s",
                "train_ratio", "startup_s"):
        assert isinstance(out[key], (int, float)) and out[key] > 0, key
    assert out["particles"] == 10000 and out["grid"] == 64


def test_snapshot_writes_the_panels_as_a_png(tmp_path):
    out = tmp_path / "panels.png"
    r = subprocess.run([sys.executable, "-m", "scoreviz", "snapshot", "--steps", "60", "--out", str(out),
                        "--size", "900x450"], env=_env(), capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-2000:]
    img = QtGui.QImage(str(out))
    assert (img.width(), img.height()) == (900, 450)
    assert _colourful(img)


def _colourful(img: QtGui.QImage) -> bool:
    img = img.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    a = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.width(), 4)[..., :3]
    return a.std() > 10 and len(np.unique(a.reshape(-1, 3)[::37], axis=0)) > 50


def test_screenshot_after_a_few_hundred_steps(qtbot, make_window, tmp_path):
    """The window as a user sees it; saved for a look (SCOREVIZ_SCREENSHOT=path keeps a copy)."""
    w = make_window(small_config(), autoplay=True)
    w.resize(1600, 950)
    wait_for_frame(qtbot, w, lambda f: f.state.step >= 300, timeout=60000)
    qtbot.wait(300)
    img = w.grab().toImage()
    path = Path(os.environ.get("SCOREVIZ_SCREENSHOT") or tmp_path / "window.png")
    assert img.save(str(path))
    assert img.width() >= 1200 and _colourful(img)
