"""Sessions in the window: save, open (settings, particles, view restored), continue exactly,
recent files, examples, the unsaved-changes question and the crash autosave."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from PySide6 import QtWidgets

from helpers import small_config, wait_for_frame

ROOT = Path(__file__).resolve().parents[2]
SB = QtWidgets.QMessageBox.StandardButton


def _train(qtbot, w, steps):
    """Press Step ``steps`` times; the frame that shows them all."""
    start = wait_for_frame(qtbot, w).state.step
    for _ in range(steps):
        w.step_once()
    return wait_for_frame(qtbot, w, lambda f: f.state.step >= start + steps)


def _save(qtbot, w, path):
    with qtbot.waitSignal(w.sessions.saved, timeout=20000):
        assert w.sessions.save_to(str(path))


def test_save_then_open_restores_settings_particles_view_and_continues_exactly(qtbot, make_window, tmp_path):
    from scoreviz.core.objectives import ObjectiveConfig
    from scoreviz.core.session_file import load_session

    cfg = small_config(objective=ObjectiveConfig(name="ssm", projections=2), lr=3e-3, batch=128)
    w = make_window(cfg)
    _train(qtbot, w, 12)
    w.controls.display.grid.setValue(40)
    w.controls.display.error.setChecked(True)
    w.panels.set_view_box((-1.0, 2.0, -0.5, 2.5))
    qtbot.waitUntil(lambda: abs(w.panels.visible_box()[0] + 1.0) < 0.2, timeout=5000)
    box = w.panels.visible_box()
    path = tmp_path / "run.scoreviz"
    _save(qtbot, w, path)
    assert path.is_file() and not w.isWindowModified()
    assert w.windowTitle().startswith("run[*] — ")
    shown = w.last_frame.particles.copy()

    # the reference: the same file continued headless for 10 steps
    ref, _ = load_session(path)
    saved_particles = ref.particles.numpy().copy()  # the ones on screen when Save was pressed
    assert saved_particles.shape == shown.shape and np.abs(saved_particles - shown).mean() < 0.5
    for _ in range(10):
        ref.step()

    w2 = make_window(small_config())  # a fresh window with other settings
    wait_for_frame(qtbot, w2)
    assert w2.open_path(str(path))
    f = wait_for_frame(qtbot, w2, lambda f: f.state.step == 12 and f.state.cfg.objective.name == "ssm")
    # settings shown in the controls, without being re-sent
    assert w2.controls.objective.name.currentText() == "ssm"
    assert w2.controls.objective.projections.value() == 2
    assert w2.controls.model.lr.value() == pytest.approx(3e-3)
    assert w2.controls.model.batch.value() == 128
    assert w2.controls.display.grid.value() == 40 and w2.controls.display.error.isChecked()
    # the view ranges and the particles as they were
    qtbot.waitUntil(lambda: np.allclose(w2.panels.visible_box(), box, atol=1e-6), timeout=5000)
    np.testing.assert_array_equal(f.state.display_particles[0], saved_particles)
    assert len(f.state.losses) == 12
    assert not w2.isWindowModified() and w2.windowTitle().startswith("run[*] — ")
    # continue: bit-identical to the headless continuation
    assert _train(qtbot, w2, 10).state.step == 22
    got = w2.trainer.call(lambda s: {k: v.clone() for k, v in s.model.state_dict().items()}).result(timeout=20)
    for k, v in ref.model.state_dict().items():
        assert torch.equal(got[k], v), k
    assert w2.isWindowModified() and w2.windowTitle().startswith("run[*] — ")
    # recent files
    assert str(path.resolve()) in w2.sessions.open_recent_paths()


def test_opening_a_damaged_session_is_refused_and_keeps_the_current_one(qtbot, make_window, tmp_path):
    w = make_window()
    wait_for_frame(qtbot, w)
    bad = tmp_path / "bad.scoreviz"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    assert not w.open_path(str(bad))
    assert "bad.scoreviz" in w.banner.text()
    f = wait_for_frame(qtbot, w)
    assert f.state.cfg.density == "8gaussians" and not w.isWindowModified()


def test_saving_into_a_missing_folder_says_so_and_writes_nothing(qtbot, make_window, tmp_path):
    w = make_window()
    _train(qtbot, w, 2)
    target = tmp_path / "nope" / "x.scoreviz"
    assert not w.sessions.save_to(str(target))
    assert "does not exist" in w.banner.text()
    assert not (tmp_path / "nope").exists()


def test_unsaved_session_asks_before_close_and_cancel_keeps_it_open(qtbot, make_window, tmp_path):
    w = make_window(interactive=True)
    wait_for_frame(qtbot, w)
    w.close()  # nothing changed yet: closes at once
    assert not w.isVisible()

    w = make_window(interactive=True)
    _train(qtbot, w, 3)
    assert w.isWindowModified()
    w.close()
    assert w.isVisible() and w.sessions.prompt is not None
    w.sessions.prompt.button(SB.Cancel).click()
    qtbot.waitUntil(lambda: w.sessions.prompt is None, timeout=3000)
    assert w.isVisible() and w.trainer.isRunning()
    # Save: asks for nothing more when the session has a file; closes after the write
    w.sessions.path = str(tmp_path / "kept.scoreviz")
    w.close()
    w.sessions.prompt.button(SB.Save).click()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=20000)
    assert (tmp_path / "kept.scoreviz").is_file()


def test_opening_another_session_asks_first_and_discard_opens_it(qtbot, make_window, tmp_path):
    w = make_window()
    _train(qtbot, w, 2)
    path = tmp_path / "a.scoreviz"
    _save(qtbot, w, path)
    w2 = make_window(small_config(density="moons"), interactive=True)
    _train(qtbot, w2, 2)
    assert not w2.open_path(str(path))  # asked first
    qtbot.waitUntil(lambda: w2.sessions.prompt is not None, timeout=20000)  # once the file was read
    w2.sessions.prompt.button(SB.Discard).click()
    wait_for_frame(qtbot, w2, lambda f: f.state.cfg.density == "8gaussians" and f.state.step == 2)


def test_examples_menu_opens_each_example(qtbot, make_window):
    from scoreviz.gui import app_data

    items = app_data.examples()
    assert len(items) >= 3
    titles = [a.text() for a in make_window().sessions.examples_menu.actions()]
    assert titles == [e["title"] for e in items]
    w = make_window()
    wait_for_frame(qtbot, w)
    ncsn = next(a for a in w.sessions.examples_menu.actions() if "NCSN" in a.text())
    ncsn.trigger()
    f = wait_for_frame(qtbot, w, lambda f: f.state.cfg.objective.name == "ncsn")
    assert f.state.cfg.sampler.sampler == "annealed" and f.state.step > 0
    assert w.sessions.path is None  # an example is never overwritten by Ctrl+S
    assert w.controls.sampler.kind.currentText() == "annealed"


def test_a_killed_app_is_offered_back_from_its_autosave(qtbot, make_window, tmp_path):
    from scoreviz.gui import app_data

    code = textwrap.dedent("""
        import sys
        from PySide6 import QtCore, QtWidgets
        from scoreviz.gui import app
        from scoreviz.gui.windows.main_window import MainWindow

        def play():
            for w in QtWidgets.QApplication.topLevelWidgets():
                if isinstance(w, MainWindow):
                    w.play()
                    return
            QtCore.QTimer.singleShot(50, play)

        app.application()
        QtCore.QTimer.singleShot(0, play)
        sys.exit(app.main(None))
    """)
    env = dict(os.environ, SCOREVIZ_AUTOSAVE_S="0.5", QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=tmp_path)
    folder = app_data.autosave_dir()
    try:
        deadline = time.time() + 60
        while time.time() < deadline and not list(folder.glob("session-*.scoreviz")):
            time.sleep(0.2)
        time.sleep(1.0)  # at least one more autosave
        assert list(folder.glob("session-*.scoreviz")), "the running app wrote no autosave"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    w = make_window(interactive=True)
    qtbot.waitUntil(lambda: w.sessions.recovery_prompt is not None, timeout=10000)
    assert "did not close properly" in w.sessions.recovery_prompt.text()
    reopen = next(b for b in w.sessions.recovery_prompt.buttons() if b.text() == "Reopen")
    reopen.click()
    f = wait_for_frame(qtbot, w, lambda f: f.state.step > 0)
    assert "recovered" in w.windowTitle() and w.isWindowModified()
    assert not list(folder.glob("session-*.scoreviz")) or all(
        p == w.sessions.autosave_path for p in folder.glob("session-*.scoreviz"))
    assert f.state.step > 0


def test_scoreviz_FILE_scoreviz_opens_the_session_in_the_app(tmp_path):
    """``scoreviz FILE.scoreviz`` (the command line's form, in a separate process) shows the session."""
    from scoreviz.core.objectives import ObjectiveConfig
    from scoreviz.core.session import Session
    from scoreviz.core.session_file import save_session

    session = Session(small_config(density="moons", objective=ObjectiveConfig(name="esm"), device="cpu"))
    session.train(7)
    path = tmp_path / "seven.scoreviz"
    save_session(path, session)
    code = textwrap.dedent("""
        import sys
        from PySide6 import QtCore, QtWidgets
        from scoreviz import cli
        from scoreviz.gui import app
        from scoreviz.gui.windows.main_window import MainWindow

        def check():
            for w in QtWidgets.QApplication.topLevelWidgets():
                f = getattr(w, "last_frame", None)
                if isinstance(w, MainWindow) and f is not None and f.state.step == 7:
                    print("OPENED", f.state.cfg.density, f.state.cfg.objective.name, w.windowTitle(), flush=True)
                    w.close()
                    return
            QtCore.QTimer.singleShot(100, check)

        app.application()
        QtCore.QTimer.singleShot(200, check)
        sys.exit(cli.main([sys.argv[1]]))
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", code, str(path)], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "OPENED moons esm seven[*] — scoreviz" in out.stdout
