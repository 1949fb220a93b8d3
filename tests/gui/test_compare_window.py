"""Compare mode: the window as a user drives it, its worker without a window, and the figure."""

from __future__ import annotations

import csv
import json
from dataclasses import replace

import numpy as np
import pytest
import shiboken6
import torch
from PySide6 import QtCore, QtGui, QtWidgets

from helpers import COMPARE_BASE, COMPARE_PAIR
from helpers import wait_for_frame as wait_frame
from scoreviz.core.compare import CURVE_COLUMNS, Comparison, parse_objectives
from scoreviz.core.models import ModelConfig
from scoreviz.core.session import SamplerConfig, SessionConfig
from scoreviz.live.commands import Pause, Play, Reset, SetConfigs, Step

BASE = COMPARE_BASE
FAST_PAIR = COMPARE_PAIR


def _press(qtbot, w, key):
    w.activateWindow()
    w.panels.setFocus()
    qtbot.keyClick(w, key)


def _per_label(curves, label):
    return [c for c in curves if c.objective == label]


def test_play_trains_every_configuration_equally_pause_step_reset_close(qtbot, make_compare):
    w = make_compare()
    first = wait_frame(qtbot, w, lambda f: f.fields_version >= 1)
    assert first.labels == ("esm", "dsm(sigma=0.3)")
    assert first.step == 0 and [c.steps for c in first.configs] == [0, 0]
    assert [len(_per_label(first.curves, lab)) for lab in first.labels] == [1, 1]  # measured at step 0
    # one column per configuration: a learned field and an error heat map, over one shared true field
    assert len(w.panels.learned_quivers) == 2 and len(w.panels.error_images) == 2
    # the arrow grid is the auto one: about one arrow per 20 device px of panel
    grid = w.panels.auto_arrow_grid()
    assert w.evaluator.view().grid == grid == w.display.grid_value()
    assert w.panels.panel_side() * w.devicePixelRatioF() / grid == pytest.approx(w.panels.ARROW_SPACING_PX, rel=0.25)
    qtbot.waitUntil(lambda: all(q.arrowCount() > 0.4 * grid**2 for q in w.panels.learned_quivers), timeout=5000)
    assert w.panels.true_quiver.arrowCount() > 0.4 * grid**2
    assert all(img.values() is not None for img in w.panels.error_images)
    assert w.panels.density_image.values() is not None
    assert "dsm(sigma=0.3)" in w.panels.learned_plots[1].titleLabel.text
    assert "σ = 0.3" in w.panels.error_plots[1].titleLabel.text  # its error is against its own target p_σ
    assert "∇log p" in w.panels.true_plot.titleLabel.text  # the targets differ: the shared field is p's

    _press(qtbot, w, QtCore.Qt.Key.Key_Space)  # Play
    qtbot.waitUntil(lambda: w.running, timeout=5000)
    f = wait_frame(qtbot, w, lambda f: f.step >= 20 and all(len(_per_label(f.curves, lab)) >= 4 for lab in f.labels))
    assert all(c.steps == f.step for c in f.configs)  # fair: the same number of steps for all
    assert not np.allclose(f.configs[0].learned, first.configs[0].learned)
    assert w.act_play.text() == "Pause"
    for lab in f.labels:  # curves are monotone in step and in seconds
        pts = _per_label(f.curves, lab)
        assert all(b.step > a.step for a, b in zip(pts, pts[1:]))
        assert all(b.seconds > a.seconds for a, b in zip(pts, pts[1:]))
    # one drawn curve per configuration, in both plots, with a legend entry each
    qtbot.waitUntil(lambda: all(len(c.getData()[0] if c.getData()[0] is not None else []) >= 4
                                for c in w.curves.step_curves + w.curves.time_curves), timeout=5000)
    assert len(w.curves.step_curves) == len(w.curves.time_curves) == 2
    assert w.curves.legend_labels() == ["esm", "dsm(sigma=0.3)"] and "dsm(sigma=0.3)" in w.curves.legend.text()
    steps, seconds, rel = w.curves.curve_data("esm")  # as drawn (log10 of relative F on the log axis)
    assert np.all(np.diff(steps) > 0) and np.all(np.diff(seconds) > 0) and np.all(np.isfinite(rel))

    w.act_play.trigger()  # Pause
    qtbot.waitUntil(lambda: not w.running, timeout=5000)
    qtbot.wait(300)
    comparison = w.worker.trainer.comparison
    stopped = comparison.step_count
    qtbot.wait(400)
    assert comparison.step_count == stopped
    assert [s.step_count for s in comparison.sessions] == [stopped, stopped]
    g = wait_frame(qtbot, w, lambda g: g.step == stopped and g.curves[-1].step == stopped)  # measured at the pause
    qtbot.waitUntil(lambda: w.status_labels["step"].text() == f"step {stopped:,}", timeout=3000)
    qtbot.waitUntil(lambda: w.table.rowCount() == 2 and w.table.row_texts(1)[1] == f"{stopped:,}", timeout=3000)
    assert w.table.row_texts(0)[0] == "esm"

    _press(qtbot, w, QtCore.Qt.Key.Key_S)  # one step of every configuration
    wait_frame(qtbot, w, lambda f: f.step == stopped + 1)
    _press(qtbot, w, QtCore.Qt.Key.Key_Right)
    h = wait_frame(qtbot, w, lambda f: f.step == stopped + 2)
    assert [c.steps for c in h.configs] == [stopped + 2] * 2 and not w.running

    _press(qtbot, w, QtCore.Qt.Key.Key_R)  # Reset
    r = wait_frame(qtbot, w, lambda f: f.step == 0 and f.epoch > g.epoch)
    assert [c.step for c in r.curves] == [0, 0]
    from scoreviz.core.fields import field_on_grid
    from scoreviz.core.session import Session

    fresh = Session(replace(BASE, objective=r.configs[0].objective))  # the seed's model again
    _, _, expected = field_on_grid(fresh.learned_score, r.box, r.xs.shape[0])
    np.testing.assert_allclose(r.configs[0].learned, expected, atol=0.02 * np.abs(expected).max())  # bf16 display

    worker = w.worker
    w.close()
    assert worker.isFinished()


def test_the_picker_refuses_what_cannot_be_compared_and_applies_the_rest(qtbot, make_compare):
    w = make_compare("dsm,esm")
    wait_frame(qtbot, w)
    p = w.picker
    assert len(p.rows) == 2 and not any(r.remove.isEnabled() for r in p.rows)  # 2 is the least
    assert not p.apply.isEnabled()  # nothing changed yet
    p.add_row()
    row = p.rows[2]
    row.name.setCurrentText("dsm")
    row.sigma.setValue(0.1)  # the same as the first row
    assert p.error.isVisible() and "twice" in p.error.text() and not p.apply.isEnabled()
    row.sigma.setValue(0.5)
    assert not p.error.isVisible() and p.apply.isEnabled()
    assert row.sigma.isVisibleTo(row) and not row.projections.isVisibleTo(row)
    row.name.setCurrentText("ncsn")  # its own parameters; σ max must exceed σ min
    assert row.sigma_max.isVisibleTo(row) and not row.sigma.isVisibleTo(row)
    row.sigma_max.setValue(0.005)
    assert p.error.isVisible() and "sigma_max" in p.error.text() and not p.apply.isEnabled()
    row.sigma_max.setValue(1.0)
    p.add_row()
    assert len(p.rows) == 4 and not p.add.isEnabled()  # 4 at most
    p.add_row()
    assert len(p.rows) == 4
    p.rows[3].remove.click()
    assert len(p.rows) == 3 and p.add.isEnabled()
    p.apply.click()
    f = wait_frame(qtbot, w, lambda f: len(f.configs) == 3)
    assert f.labels == ("dsm(sigma=0.1)", "esm", "ncsn") and f.step == 0
    assert not p.apply.isEnabled()
    qtbot.waitUntil(lambda: len(w.panels.learned_quivers) == 3 and len(w.curves.step_curves) == 3, timeout=5000)
    assert w.curves.legend_labels() == list(f.labels)


def test_relu_rules_out_second_order_objectives_in_the_picker(qtbot, make_compare):
    w = make_compare("dsm,esm", cfg=replace(BASE, model=replace(BASE.model, activation="relu")))
    wait_frame(qtbot, w)
    combo = w.picker.rows[0].name
    assert not combo.model().item(combo.findText("ism")).isEnabled()
    assert combo.model().item(combo.findText("esm")).isEnabled()


def test_a_new_density_restarts_every_configuration_on_it(qtbot, make_compare):
    w = make_compare(autoplay=True)
    before = wait_frame(qtbot, w, lambda f: f.step >= 5)
    w.density.preset.setCurrentText("moons")
    f = wait_frame(qtbot, w, lambda f: f.density_name == "moons")
    assert f.epoch > before.epoch and f.curves[0].step == 0 and len({c.steps for c in f.configs}) == 1
    assert not np.allclose(f.true, before.true)
    qtbot.waitUntil(lambda: w.density.current.text() == "moons", timeout=3000)


def test_painting_on_the_density_panel_makes_the_target(qtbot, make_compare):
    w = make_compare()
    wait_frame(qtbot, w)
    w.density.tabs.setCurrentIndex(w.density.TAB_DRAW)
    assert w.panels.brush_enabled()
    view = w.panels
    vb = w.panels.density_plot.getViewBox()

    def send(kind, x, y, buttons):
        pos = view.mapFromScene(vb.mapViewToScene(QtCore.QPointF(x, y)))
        button = QtCore.Qt.MouseButton.LeftButton if kind != QtCore.QEvent.Type.MouseMove else QtCore.Qt.MouseButton.NoButton
        ev = QtGui.QMouseEvent(kind, QtCore.QPointF(pos), QtCore.QPointF(view.viewport().mapToGlobal(pos)),
                               button, buttons, QtCore.Qt.KeyboardModifier.NoModifier)
        QtWidgets.QApplication.sendEvent(view.viewport(), ev)

    left, none = QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.MouseButton.NoButton
    send(QtCore.QEvent.Type.MouseButtonPress, 2.0, 2.0, left)
    for i in range(1, 11):
        send(QtCore.QEvent.Type.MouseMove, 2.0 + 0.1 * i, 2.0, left)
        qtbot.wait(5)
    send(QtCore.QEvent.Type.MouseButtonRelease, 3.0, 2.0, none)
    f = wait_frame(qtbot, w, lambda f: f.density_name == "drawing")
    d = f.density
    assert float(d.log_prob(torch.tensor([[2.5, 2.0]]))) > float(d.log_prob(torch.tensor([[-2.5, -2.0]]))) + 10
    assert f.step == 0 and f.curves[0].step == 0  # every configuration starts over on the drawing
    w.act_undo.trigger()
    assert w.canvas.is_empty()


def test_exports_figure_curves_and_summary(qtbot, make_compare, tmp_path):
    w = make_compare()
    wait_frame(qtbot, w)
    for _ in range(6):
        w.step_once()
    wait_frame(qtbot, w, lambda f: f.step == 6 and f.curves[-1].step == 6)

    assert w.save_curves(str(tmp_path / "curves.csv"))
    rows = list(csv.reader(open(tmp_path / "curves.csv")))
    assert tuple(rows[0]) == CURVE_COLUMNS and {r[0] for r in rows[1:]} == {"esm", "dsm(sigma=0.3)"}

    with qtbot.waitSignal(w.figureSaved, timeout=20000) as sig:
        w.save_figure(str(tmp_path / "figure.png"), (900, 560))
    assert sig.args == [str(tmp_path / "figure.png"), True]
    img = QtGui.QImage(str(tmp_path / "figure.png"))
    assert (img.width(), img.height()) == (900, 560)

    w.save_summary(str(tmp_path / "summary.json"))
    qtbot.waitUntil(lambda: (tmp_path / "summary.json").exists(), timeout=10000)
    s = json.loads((tmp_path / "summary.json").read_text())
    assert s["steps"] == 6 and set(s["configurations"]) == {"esm", "dsm(sigma=0.3)"}
    assert s["configurations"]["esm"]["steps"] == 6
    # every file was written atomically: no temporary files left beside them
    assert sorted(p.name for p in tmp_path.iterdir()) == ["curves.csv", "figure.png", "summary.json"]


def test_open_from_the_single_view_pauses_it_and_closes_with_it(qtbot):
    from scoreviz.gui.windows.compare_window import CompareWindow

    class SingleView(QtWidgets.QMainWindow):
        paused = 0

        def pause(self):
            self.paused += 1

    main = SingleView()
    main.show()
    try:
        w = CompareWindow.open_from(BASE, parent=main)
        assert main.paused == 1 and w.isVisible()
        wait_frame(qtbot, w)
        assert [c.objective.name for c in w.last_frame.configs] == ["dsm", "ssm"]  # the base and a contrast
        assert CompareWindow.open_from(BASE, parent=main) is w  # raised, not a second one
        worker = w.worker
        main.close()  # closing the single view closes the comparison
        assert worker.isFinished()
    finally:
        main.close()
        shiboken6.delete(main)


# ============================================================================ without a window
def test_the_trainer_steps_in_lockstep_and_the_display_makes_fresh_frames():
    from scoreviz.core.session import Session
    from scoreviz.live.compare_display import CompareDisplay, CompareView
    from scoreviz.live.compare_trainer import CompareTrainer

    failures = []
    t = CompareTrainer(BASE, parse_objectives(FAST_PAIR), threads=1, eval_every=4, on_failed=failures.append)
    assert t.start()
    display = CompareDisplay(display_dtype="float32")
    view = CompareView(grid=12)
    a = display.frame(t.publish(), view)
    assert a.step == 0 and a.configs[0].learned.shape == (12, 12, 2) and a.configs[0].error.shape == (12, 12)
    t.handle(Play())
    for _ in range(9):
        t.tick()
    st = t.publish()
    b = display.frame(st, view)
    assert b.step == 9 and [c.steps for c in b.configs] == [9, 9]
    assert [c.step for c in b.curves] == [0, 0, 4, 4, 8, 8]
    assert not np.allclose(b.configs[0].learned, a.configs[0].learned)
    # the display's copies of the models give exactly the trainer's fields
    from scoreviz.live.compare_display import comparison_frame

    direct = comparison_frame(t.comparison, view)
    for x, y in zip(b.configs, direct.configs):
        np.testing.assert_array_equal(x.learned, y.learned)
    # measuring and drawing between steps changes nothing: each equals its configuration trained alone
    for obj, s in zip(parse_objectives(FAST_PAIR), t.comparison.sessions):
        alone = Session(replace(BASE, objective=obj))
        alone.train(9)
        assert alone.loss_history == s.loss_history, obj.name
        assert all(torch.equal(p, q) for p, q in zip(alone.model.parameters(), s.model.parameters()))
    before = b.configs[0].learned.copy()
    weights = {k: v.clone() for k, v in st.weights[0].items()}
    t.tick()
    t.publish()
    assert np.array_equal(b.configs[0].learned, before)  # a published frame never changes
    assert all(torch.equal(weights[k], st.weights[0][k]) for k in weights)  # nor do published weights
    # unchanged weights and view: the same arrays, not evaluated again
    t.handle(Pause())
    st = t.publish()
    c = display.frame(st, view)
    d = display.frame(st, view)
    assert d.configs[0].learned is c.configs[0].learned and d.fields_version == c.fields_version
    # bad configurations are refused and the comparison stays as it was
    t.handle(SetConfigs(parse_objectives("esm,dsm")[:1]))
    assert failures and "2 to 8" in failures[-1] and t.comparison.labels == ["esm", "dsm(sigma=0.3)"]
    assert not failures[:-1]


def test_a_diverging_configuration_pauses_the_comparison_until_reset():
    from scoreviz.live.compare_trainer import CompareTrainer

    failures = []
    t = CompareTrainer(replace(BASE, lr=1.0), parse_objectives(FAST_PAIR), threads=1, on_failed=failures.append)
    assert t.start()
    t.comparison.sessions[1].optimizer.param_groups[0]["lr"] = float("nan")  # dsm goes non-finite
    t.handle(Play())
    for _ in range(5):
        t.tick()
    assert not t.running and failures and "dsm(sigma=0.3) diverged" in failures[-1]
    t.handle(Play())  # refused: the configurations are no longer in lockstep
    assert not t.running and "Reset" in failures[-1]
    t.handle(Reset())
    t.handle(Step())
    assert [s.step_count for s in t.comparison.sessions] == [1, 1]


def test_render_compare_png_draws_fields_and_curves_at_the_requested_size():
    from scoreviz.gui.offscreen.compare_render import render_compare_png

    c = Comparison(BASE, parse_objectives("esm,ssm,dsm:sigma=0.5"))
    c.evaluate()
    for k in range(1, 7):
        c.step()
        if k % 3 == 0:
            c.evaluate()
    png = render_compare_png(c, (1000, 640))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    img = QtGui.QImage.fromData(png, "PNG")
    assert (img.width(), img.height()) == (1000, 640)
    ptr = img.convertToFormat(QtGui.QImage.Format.Format_RGB32).constBits()
    pixels = np.frombuffer(ptr, np.uint8).reshape(640, 1000, 4)[..., :3]
    colours = np.unique(pixels.reshape(-1, 3)[::7], axis=0)
    assert len(colours) > 200  # heat maps, arrows, curves: far from blank
    top, bottom = pixels[: 640 * 2 // 3], pixels[640 * 2 // 3:]
    assert top.std() > 10 and bottom.std() > 5


def test_compare_opens_from_the_main_window_menu(qtbot):
    from scoreviz.gui.windows.compare_window import CompareWindow
    from scoreviz.gui.windows.main_window import MainWindow
    from scoreviz.core.models import ModelConfig
    from scoreviz.core.session import SamplerConfig, SessionConfig

    cfg = SessionConfig(model=ModelConfig(hidden=16, layers=1), batch=32, device="cpu",
                        sampler=SamplerConfig(n_particles=200), grid=16)
    main = MainWindow(cfg, threads=1, interactive=False)
    qtbot.addWidget(main)
    main.show()
    main.start()
    main.act_compare.trigger()
    windows = [w for w in main.findChildren(CompareWindow)]
    assert len(windows) == 1 and windows[0].isVisible()
    windows[0].close()
    main.close()
    qtbot.waitUntil(lambda: not main.isVisible(), timeout=5000)
