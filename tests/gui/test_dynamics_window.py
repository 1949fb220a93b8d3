"""Every dynamic, one network: the window opened from the main window's action runs the true score
through several dynamics to the end with steps and NFE in the titles, its keys and controls, the
learned source's one-line refusal without objective sde, a learned run with objective sde, and closing."""

from __future__ import annotations

import numpy as np
import shiboken6
from PySide6 import QtCore

from helpers import small_config, wait_for_frame
from scoreviz.core.models import ModelConfig
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.session import SamplerConfig
from scoreviz.gui.views.dynamics_panels import arrangement
from scoreviz.gui.windows.dynamics_window import DynamicsWindow
from scoreviz.live.dynamics_settings import LEARNED_NEEDS_SDE


def _light(**changes):
    return small_config(model=ModelConfig(hidden=16, layers=1), batch=32, sampler=SamplerConfig(n_particles=200),
                        grid=16, device="cpu", **changes)


def _open(qtbot, main) -> DynamicsWindow:
    wait_for_frame(qtbot, main)  # the snapshot: config, density, weights of a drawn frame
    main.act_dynamics.trigger()
    windows = [w for w in main.findChildren(DynamicsWindow) if shiboken6.isValid(w) and not w.is_closed()]
    assert len(windows) == 1 and windows[0].isVisible()
    return windows[0]


def _small_run(w, steps=30, particles=300, seconds=2):
    c = w.controls
    c.steps.setValue(steps)
    c.particles.setValue(particles)
    c.duration.setCurrentIndex(c.duration.findData(seconds))


def test_opens_from_the_main_window_runs_the_true_score_to_the_end_and_closes(qtbot, make_window):
    main = make_window(_light())
    assert main.act_dynamics.shortcut().toString() == "Ctrl+Shift+D"
    w = _open(qtbot, main)
    w.resize(1280, 720)
    assert w.worker.isRunning() and w.worker.objectName() == "scoreviz-dynamics"
    # objective dsm: the learned score cannot drive dynamics, so the window starts with the true score
    assert w.controls.source() == "true" and w.controls.process.isEnabled()
    for key in ("pf-ode-heun", "annealed"):
        w.controls.checks[key].setChecked(True)
    _small_run(w)
    qtbot.waitUntil(lambda: w.last_frame is not None and w.last_frame.done and w.last_frame.settings is not None
                    and w.last_frame.settings.steps == 30 and w.last_frame.n == 300, timeout=30000)
    f = w.last_frame
    names = ("reverse SDE", "PF-ODE Euler", "PF-ODE Heun", "PC", "annealed Langevin")
    assert tuple(s.name for s in f.dynamics) == names == w.panels.names()
    assert all(s.done and s.index == s.steps == 30 for s in f.dynamics)
    assert [s.nfe for s in f.dynamics] == [30, 30, 60, 60, 30]
    assert f.frame >= 2 * 30  # 2 s at 30 frames a second (more when a frame's time budget ran out)
    for i, s in enumerate(f.dynamics):
        title = w.panels.title_text(i)  # in full where it fits, else shortened
        assert title.startswith(s.name) and ("30/30" in title or title.endswith("…"))
        assert w.panels.status_text(i) == f"step 30/30 · NFE {s.nfe}\nt = {s.t:.3g}"
        assert w.panels.dots[i].pointCount() == 300
        assert w.panels.trails[i].segmentCount() > 0
    assert w.panels.heat_images[0].values() is not None
    # the panels: equal squares showing one box
    ranges = list(w.panels.view_ranges().values())
    assert len(ranges) == 5 and all(np.allclose(r, ranges[0]) for r in ranges)
    assert w.panels.grid_shape() == (2, 3)  # 5 panels at 1280 x 720: two rows of larger squares than one row
    assert w.panels.title_text(0) == f"reverse SDE · step 30/30 · NFE 30 · t = {f.dynamics[0].t:.3g}"
    sizes = {(round(p.vb.width()), round(p.vb.height())) for p in w.panels.plots}
    assert len(sizes) == 1 and abs(next(iter(sizes))[0] - next(iter(sizes))[1]) <= 1
    assert not w.running and w.act_play.text() == "Run"
    qtbot.waitUntil(lambda: w.status_labels["frame"].text().startswith("100% · frame") and
                    w.status_labels["frame"].text().endswith("done"), timeout=5000)

    # R restarts from the prior (same prior, same noise), Space runs it again to the same end
    end = [s.positions.copy() for s in f.dynamics]
    w.activateWindow()
    qtbot.keyClick(w, QtCore.Qt.Key.Key_Space)  # run again: a finished run starts over
    qtbot.waitUntil(lambda: w.last_frame.frame < f.frame, timeout=10000)
    qtbot.waitUntil(lambda: w.last_frame.done, timeout=30000)
    assert all(np.array_equal(a, s.positions) for a, s in zip(end, w.last_frame.dynamics))
    qtbot.keyClick(w, QtCore.Qt.Key.Key_R)
    qtbot.waitUntil(lambda: w.last_frame.frame == 0, timeout=10000)
    assert all(s.index == 0 and s.t == 1.0 for s in w.last_frame.dynamics)

    # F1: the shortcuts by menu and what the panels say
    groups = dict(w.shortcut_groups())
    assert ("Space", "Run: Run every dynamic / pause") in groups["Run"] and any(k == "R" for k, _ in groups["Run"])
    assert "NFE" in w.shortcuts_html()
    # a second trigger raises the open window
    main.act_dynamics.trigger()
    assert [x for x in main.findChildren(DynamicsWindow) if shiboken6.isValid(x)] == [w]
    # closing stops and joins the worker
    worker = w.worker
    w.close()
    assert w.is_closed() and not worker.isRunning()


def test_the_learned_source_without_objective_sde_says_why_in_one_line(qtbot, make_window):
    main = make_window(_light())
    w = _open(qtbot, main)
    _small_run(w, steps=10, particles=100)
    qtbot.waitUntil(lambda: w.last_frame is not None and w.last_frame.done and w.last_frame.n == 100, timeout=30000)
    w.controls.learned.setChecked(True)
    text = w.banner.text()
    assert text == LEARNED_NEEDS_SDE.format(objective="dsm") and "\n" not in text
    assert w.banner.isVisible() and w.banner.action.isVisible() and w.banner.action.text() == "Use the true score"
    assert not w.controls.process.isEnabled()
    w.banner.action.click()  # offered: the true score
    assert w.controls.source() == "true" and not w.banner.isVisible()
    w.close()


def test_a_model_trained_with_objective_sde_drives_the_dynamics(qtbot, make_window):
    main = make_window(_light(objective=ObjectiveConfig(name="sde", sde="ve", sigma_max=12.0)))
    w = _open(qtbot, main)
    assert w.controls.source() == "learned" and not w.controls.process.isEnabled()
    assert w.controls.process.currentData() == "ve"  # the model's own process
    w.controls.checks["pc"].setChecked(False)
    w.controls.checks["annealed"].setChecked(True)
    _small_run(w, steps=20, particles=200)
    qtbot.waitUntil(lambda: w.last_frame is not None and w.last_frame.done and w.last_frame.n == 200
                    and w.last_frame.settings.methods == ("reverse-sde", "pf-ode-euler", "annealed"), timeout=30000)
    f = w.last_frame
    assert f.source.startswith("learned") and f.process.startswith("ve")
    assert "learned" in w.info.text() and not w.banner.isVisible()
    # one dynamic ticked: the hint, and nothing new runs
    w.controls.checks["annealed"].setChecked(False)
    w.controls.checks["pf-ode-euler"].setChecked(False)
    assert w.controls.hint.isVisible() and w.controls.settings() is None
    w.close()


def test_panels_are_arranged_for_the_largest_squares():
    assert arrangement(5, 1800, 400) == (1, 5) and arrangement(5, 1100, 600) == (2, 3)
    assert arrangement(4, 700, 700) == (2, 2)
    assert arrangement(2, 400, 900) == (2, 1)
