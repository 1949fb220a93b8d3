"""Recording the panels (the Record button), exporting the recording, cancelling, and the limits."""

from __future__ import annotations

import os

import numpy as np
import pytest
import shiboken6
from PySide6 import QtCore, QtWidgets

from helpers import wait_for_frame
from scoreviz.core.animation import even_size, frames_of, read_animation_info
from scoreviz.core.atomic import temp_pattern
from scoreviz.core.errors import ScorevizError


def record(qtbot, rec, frames: int = 6) -> int:
    rec.start()
    qtbot.waitUntil(lambda: rec.frame_count >= frames, timeout=20000)
    return rec.stop()


def wait_job(qtbot, job, timeout: int = 60000):
    with qtbot.waitSignal(job.ended, timeout=timeout) as blocker:
        pass
    return blocker.args


def no_temporaries(folder) -> bool:
    return not [n for n in os.listdir(folder) if temp_pattern().match(n)]


def test_recording_while_training_and_writing_a_gif(qtbot, make_window, tmp_path):
    w = make_window(autoplay=True)
    wait_for_frame(qtbot, w, lambda f: f.state.step > 0)
    rec = w.recorder
    assert not rec.recording and not rec.act_export.isEnabled()
    rec.start()
    assert rec.recording and rec.act_record.isChecked() and rec.act_record.text() == "Stop recording"
    assert rec.label.isVisible() and rec.label.text().startswith("● REC 00:0")
    qtbot.waitUntil(lambda: rec.frame_count >= 8, timeout=20000)
    step_during = w.trainer.trainer.session.step_count
    n = rec.stop()
    assert n >= 8 and rec.frame_count == n
    assert not rec.recording and not rec.act_record.isChecked() and not rec.label.isVisible()
    assert rec.act_export.isEnabled()
    assert w.trainer.trainer.session.step_count >= step_during  # training went on while recording
    size = (w.splitter.width(), w.splitter.height())  # the panels and curves, at the offscreen's 1 pixel ratio
    assert rec.frame_size == size

    path = tmp_path / "training.gif"
    job = rec.encode_to(path)
    assert wait_job(qtbot, job) == ["written", str(path)]
    count, width, height, fps = read_animation_info(path)
    assert (count, width, height) == (n, *size) and fps == pytest.approx(rec.capture_fps)
    frames = list(frames_of(path))
    assert len(frames) == n
    assert any(np.abs(a.astype(int) - b).mean() > 0.05 for a, b in zip(frames, frames[1:]))  # it moved
    assert "saved" in w.statusBar().currentMessage() and str(path) in w.statusBar().currentMessage()
    assert no_temporaries(tmp_path)


def test_record_button_and_export_dialog_as_a_user_uses_them(qtbot, make_window, tmp_path):
    from scoreviz.gui.recording.export_dialog import ExportDialog

    w = make_window(autoplay=True)
    wait_for_frame(qtbot, w)
    rec = w.recorder
    button = w.toolbar.widgetForAction(rec.act_record)
    assert button is not None and button.menu() is rec.fps_menu
    assert rec.act_record.toolTip().endswith("(Ctrl+Shift+R)") and rec.act_export.toolTip()
    assert rec.act_record in w.file_menu.actions() and rec.act_export in w.file_menu.actions()
    rec.fps_actions[10].trigger()  # the frame-rate menu
    assert rec.capture_fps == 10
    qtbot.mouseClick(button, QtCore.Qt.MouseButton.LeftButton)
    assert rec.recording
    qtbot.waitUntil(lambda: rec.frame_count >= 4, timeout=20000)
    path = tmp_path / "clicked.mp4"
    seen = {}

    def fill_in_the_dialog():
        dlg = QtWidgets.QApplication.activeModalWidget()
        seen["dialog"] = type(dlg).__name__
        assert isinstance(dlg, ExportDialog)
        assert dlg.fps.value() == 10 and dlg.suffix() == ".mp4"
        dlg.path.setText(str(tmp_path / "missing" / "x.mp4"))
        dlg.save.click()  # refused: the dialog stays and says why
        seen["error"] = dlg.error.text() if dlg.error.isVisible() else ""
        dlg.path.setText(str(path))
        dlg.fps.setValue(15)
        dlg.save.click()

    QtCore.QTimer.singleShot(300, fill_in_the_dialog)
    with qtbot.waitSignal(rec.encodingEnded, timeout=60000) as blocker:
        qtbot.mouseClick(button, QtCore.Qt.MouseButton.LeftButton)  # stop: the dialog opens, then the encoding
    assert seen["dialog"] == "ExportDialog" and "does not exist" in seen["error"]
    assert blocker.args == ["written", str(path)]
    n, width, height, fps = read_animation_info(path)
    assert n == rec.frame_count and (width, height) == even_size(*rec.frame_size) and fps == 15.0
    qtbot.waitUntil(lambda: rec._progress is None, timeout=5000)  # the progress dialog closed


def test_cancelling_an_encode_leaves_the_previous_file_and_no_temporary(qtbot, make_window, tmp_path):
    w = make_window()
    wait_for_frame(qtbot, w)
    rec = w.recorder
    record(qtbot, rec, 5)
    path = tmp_path / "anim.gif"
    path.write_bytes(b"an older animation")
    job = rec.encode_to(path)
    rec._show_progress(job)  # the progress dialog the export shows; its Cancel button cancels the job
    rec._progress.findChild(QtWidgets.QPushButton).click()  # Cancel
    outcome, message = wait_job(qtbot, job)
    assert outcome == "cancelled" and "not written" in message
    assert path.read_bytes() == b"an older animation" and sorted(os.listdir(tmp_path)) == ["anim.gif"]
    assert "recording is kept" in w.statusBar().currentMessage()
    assert rec.act_export.isEnabled() and rec.frame_count == 5  # still there to export


def test_bad_paths_and_nothing_recorded_are_refused_in_one_line(qtbot, make_window, tmp_path):
    w = make_window()
    wait_for_frame(qtbot, w)
    rec = w.recorder
    with pytest.raises(ScorevizError, match="nothing recorded yet"):
        rec.encode_to(tmp_path / "a.gif")
    record(qtbot, rec, 2)
    for bad, match in ((tmp_path / "a.avi", "use .mp4 or .gif"), (tmp_path / "no" / "a.mp4", "does not exist"),
                       (tmp_path / "a.gif", "too fast for a GIF")):
        with pytest.raises(ScorevizError, match=match) as e:
            rec.encode_to(bad, fps=55)
        assert "\n" not in str(e.value)
    assert os.listdir(tmp_path) == [] and rec.job is None
    # a folder the checks pass but no file can be made in (sysfs; root passes os.access): the job fails
    if os.path.isdir("/sys") and os.access("/sys", os.W_OK):
        job = rec.encode_to("/sys/a.gif")
        outcome, message = wait_job(qtbot, job)
        assert outcome == "failed" and "cannot write '/sys/a.gif'" in message and "\n" not in message
        assert w.statusBar().currentMessage() == f"could not write the animation: {message}"
        assert rec.act_export.isEnabled()  # the recording is still there


def test_a_recording_stops_itself_at_its_memory_limit(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    rec = w.recorder
    rec.max_bytes = 1  # the first frame is over it
    rec.start()
    qtbot.waitUntil(lambda: not rec.recording, timeout=5000)
    assert rec.frame_count == 1
    assert "the most one recording may use" in w.statusBar().currentMessage()


def test_closing_the_window_while_recording_or_encoding_ends_every_thread(qtbot, make_window, tmp_path):
    w = make_window()
    wait_for_frame(qtbot, w)
    rec = w.recorder
    record(qtbot, rec, 12)
    job = rec.encode_to(tmp_path / "late.mp4")
    rec.start()  # recording again while the first recording is written
    qtbot.waitUntil(lambda: rec.frame_count >= 2, timeout=20000)
    w.close()  # stops the recording; the encode is cancelled or has finished; the fixture checks the threads
    assert not rec.recording and not job._thread.isRunning()
    assert no_temporaries(tmp_path)
    assert os.listdir(tmp_path) in ([], ["late.mp4"])


def test_the_compare_window_records_its_whole_comparison(qtbot, tmp_path):
    from scoreviz.core.compare import parse_objectives
    from scoreviz.core.models import ModelConfig
    from scoreviz.core.session import SamplerConfig, SessionConfig
    from scoreviz.gui.windows.compare_window import CompareWindow

    cfg = SessionConfig(model=ModelConfig(hidden=32, layers=2), batch=64, device="cpu",
                        sampler=SamplerConfig(n_particles=16))
    w = CompareWindow(cfg, objectives=parse_objectives("esm,dsm:sigma=0.3"), threads=1, autoplay=True)
    w.resize(1400, 900)
    w.show()
    w.start()
    try:
        qtbot.waitUntil(lambda: w.last_frame is not None and w.last_frame.step > 0, timeout=20000)
        rec = w.recorder
        assert rec.act_record in w.toolbar.actions() and rec.act_record.shortcut().toString() == "Ctrl+Shift+R"
        n = record(qtbot, rec, 4)
        assert rec.frame_size == (w.splitter.width(), w.splitter.height())  # panels, curves and table
        job = rec.encode_to(tmp_path / "compare.mp4", fps=10)
        assert wait_job(qtbot, job)[0] == "written"
        assert read_animation_info(tmp_path / "compare.mp4") == (n, *even_size(*rec.frame_size), 10.0)
    finally:
        if shiboken6.isValid(w):
            w.close()
            shiboken6.delete(w)


def test_animation_frames_follow_the_training_schedule_and_particles_only_shows_one_panel():
    from dataclasses import replace

    from helpers import small_config
    from scoreviz.core.models import ModelConfig
    from scoreviz.gui.offscreen.animate_render import AnimationFrames, frame_steps

    assert frame_steps(20, 6) == [0, 4, 8, 12, 16, 20]
    assert frame_steps(10, 4) == [0, 3, 7, 10] and frame_steps(7, 1) == [7]
    cfg = small_config(model=ModelConfig(hidden=32, layers=2), batch=64, grid=12, device="cpu")
    frames = AnimationFrames(cfg, steps=10, n_frames=4, size=(320, 240), threads=1)
    assert len(frames) == 4
    steps, shapes = [], []
    for f in frames:
        steps.append(frames.session.step_count)
        shapes.append(f.shape)
    assert steps == [0, 3, 7, 10] and shapes == [(240, 320, 3)] * 4
    assert frames.view is None  # the widgets are gone once the frames are done

    only = AnimationFrames(replace(cfg, sampler=replace(cfg.sampler, score_source="learned", steps_per_frame=5)),
                           steps=6, n_frames=3, size=(200, 200), particles_only=True, threads=1)
    it = iter(only)
    first = next(it)
    assert only.session.step_count == 6  # trained first, then the sampler alone
    panels = only.view.panels
    assert panels.particles_plot.scene() is not None and panels.learned_plot.scene() is None
    assert only.view.session.particle_step == 0  # frame 0: the particles where they start
    rest = list(it)
    assert only.session.step_count == 6 and len(rest) == 2 and first.shape == (200, 200, 3)
