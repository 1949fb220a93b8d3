"""The window as a user drives it: presets, play/pause, brush, images, expressions, objectives, errors, closing."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PySide6 import QtCore, QtGui, QtWidgets

from helpers import wait_for_frame
from scoreviz.core.field_scale import magnitude_scale


def _press(qtbot, window, key, modifier=QtCore.Qt.KeyboardModifier.NoModifier):
    window.activateWindow()
    window.panels.setFocus()
    qtbot.keyClick(window, key, modifier)


def test_window_shows_all_three_panels_with_fields(qtbot, make_window):
    w = make_window()
    f = wait_for_frame(qtbot, w, lambda f: f.snapshot.learned is not None and f.dots is not None)
    # every arrow is drawn that is at least MIN_FRACTION of the shared scale (the untrained net's weak
    # field shows as few arrows, not as dotted rows); the true field fills the panel
    scale = w.panels.field_scale()
    for quiver, field in ((w.panels.learned_quiver, f.snapshot.learned), (w.panels.true_quiver, f.snapshot.true)):
        m = np.hypot(field[..., 0], field[..., 1])
        assert quiver.arrowCount() == int(np.sum(np.isfinite(m) & (m > 0)
                                                 & (scale.length_fraction(m) >= quiver.MIN_FRACTION)))
    assert w.panels.true_quiver.arrowCount() > 0.5 * f.snapshot.true[..., 0].size
    assert scale.ref == pytest.approx(magnitude_scale(f.snapshot.true, f.snapshot.log_density))
    assert f.particles.shape == (2000, 2)
    dots = w.panels.shown_particles()
    assert (dots.width(), dots.height()) == (f.dots.target.width, f.dots.target.height)
    assert not w.panels.heat_image.pixmap().isNull()
    assert w.panels.density_bar.levels()[1] > w.panels.density_bar.levels()[0]
    assert f.snapshot.sigma == pytest.approx(0.1)
    assert "σ = 0.1" in w.panels.true_plot.titleLabel.text
    assert not w.panels.error_visible()
    assert w.status_labels["device"].text() == "cpu"


def test_choosing_a_preset_changes_the_true_field(qtbot, make_window):
    w = make_window()
    before = wait_for_frame(qtbot, w).snapshot.true
    combo = w.controls.density.preset
    combo.setCurrentText("moons")  # what picking it in the list does
    f = wait_for_frame(qtbot, w, lambda f: f.state.density.name == "moons")
    assert f.snapshot.true.shape == before.shape
    assert not np.allclose(f.snapshot.true, before)
    assert w.controls.density.current.text() == "moons"
    # a preset parameter: the field changes again
    noise = w.controls.density._param_widgets["noise"]
    noise.setValue(0.3)
    g = wait_for_frame(qtbot, w, lambda g: g.state.density.params.get("noise") == pytest.approx(0.3))
    assert not np.allclose(g.snapshot.true, f.snapshot.true)


def test_play_advances_steps_and_changes_the_learned_field_pause_stops(qtbot, make_window):
    w = make_window()
    first = wait_for_frame(qtbot, w, lambda f: f.snapshot.learned is not None)
    assert first.state.step == 0 and not w.running
    _press(qtbot, w, QtCore.Qt.Key.Key_Space)  # Play
    qtbot.waitUntil(lambda: w.running, timeout=5000)
    f = wait_for_frame(qtbot, w, lambda f: f.state.step >= 40 and f.snapshot.weights_version > 0)
    assert not np.allclose(f.snapshot.learned, first.snapshot.learned)
    assert w.act_play.text() == "Pause"
    w.act_play.trigger()  # Pause (the toolbar button)
    qtbot.waitUntil(lambda: not w.running, timeout=5000)
    qtbot.wait(300)
    stopped = w.trainer.trainer.session.step_count
    qtbot.wait(400)
    assert w.trainer.trainer.session.step_count == stopped
    # the status bar shows the step
    qtbot.waitUntil(lambda: f"step {stopped:,}" == w.status_labels["step"].text(), timeout=3000)


def test_step_key_trains_exactly_one_step(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    _press(qtbot, w, QtCore.Qt.Key.Key_S)
    wait_for_frame(qtbot, w, lambda f: f.state.step == 1)
    _press(qtbot, w, QtCore.Qt.Key.Key_S)
    f = wait_for_frame(qtbot, w, lambda f: f.state.step == 2)
    assert f.state.losses.shape == (2,)
    assert not w.running


def test_brush_stroke_paints_the_target_where_it_was_drawn(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    w.controls.density.tabs.setCurrentIndex(w.controls.density.TAB_DRAW)
    assert w.panels.brush_view.brush_enabled
    view = w.panels
    vb = w.panels.particles_plot.getViewBox()

    def viewport_point(x, y):
        scene = vb.mapViewToScene(QtCore.QPointF(x, y))
        return view.mapFromScene(scene)

    def send(kind, pos, buttons):
        button = QtCore.Qt.MouseButton.LeftButton if kind != QtCore.QEvent.Type.MouseMove else QtCore.Qt.MouseButton.NoButton
        ev = QtGui.QMouseEvent(kind, QtCore.QPointF(pos), QtCore.QPointF(view.viewport().mapToGlobal(pos)),
                               button, buttons, QtCore.Qt.KeyboardModifier.NoModifier)
        QtWidgets.QApplication.sendEvent(view.viewport(), ev)

    left = QtCore.Qt.MouseButton.LeftButton
    none = QtCore.Qt.MouseButton.NoButton
    path = [(2.0 + 0.1 * i, 2.0) for i in range(11)]  # a short horizontal stroke at y = 2, x from 2 to 3
    send(QtCore.QEvent.Type.MouseButtonPress, viewport_point(*path[0]), left)
    for x, y in path[1:]:
        send(QtCore.QEvent.Type.MouseMove, viewport_point(x, y), left)
        qtbot.wait(5)
    send(QtCore.QEvent.Type.MouseButtonRelease, viewport_point(*path[-1]), none)

    f = wait_for_frame(qtbot, w, lambda f: f.state.density.name == "drawing")
    d = f.state.density
    on = d.log_prob(torch.tensor([[2.5, 2.0]]))
    off = d.log_prob(torch.tensor([[-2.5, -2.0]]))
    assert float(on) > float(off) + 10  # the target is where the stroke went
    assert len(w.canvas) >= 3
    # the heat map follows: brightest near the stroke
    xs, ys, logp = f.snapshot.xs, f.snapshot.ys, f.snapshot.log_density
    i, j = np.unravel_index(np.argmax(logp), logp.shape)
    assert abs(xs[j] - 2.5) < 1.0 and abs(ys[i] - 2.0) < 0.6
    # undo takes the stroke back; the canvas is empty again
    w.act_undo.trigger()
    assert w.canvas.is_empty()


def test_loading_an_image_from_a_file_and_by_drop(qtbot, make_window, tmp_path):
    from PIL import Image, ImageDraw

    path = tmp_path / "disc.png"
    img = Image.new("L", (64, 64), 255)
    ImageDraw.Draw(img).ellipse((8, 8, 30, 30), fill=0)  # a dark disc, upper left
    img.save(path)
    w = make_window()
    wait_for_frame(qtbot, w)
    assert w.open_path(str(path))
    f = wait_for_frame(qtbot, w, lambda f: f.state.density is not None and "grid" in type(f.state.density).__name__.lower())
    d = f.state.density
    assert float(d.log_prob(torch.tensor([[-2.0, 2.0]]))) > float(d.log_prob(torch.tensor([[2.0, -2.0]])))
    assert w.controls.density.tabs.currentIndex() == w.controls.density.TAB_IMAGE

    # drag and drop onto the window
    path2 = tmp_path / "corner.png"
    img2 = Image.new("L", (64, 64), 255)
    ImageDraw.Draw(img2).rectangle((40, 40, 60, 60), fill=0)  # lower right
    img2.save(path2)
    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(path2))])
    pos = QtCore.QPointF(200, 200)
    enter = QtGui.QDragEnterEvent(pos.toPoint(), QtCore.Qt.DropAction.CopyAction, mime,
                                  QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.KeyboardModifier.NoModifier)
    w.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QtGui.QDropEvent(pos, QtCore.Qt.DropAction.CopyAction, mime, QtCore.Qt.MouseButton.LeftButton,
                            QtCore.Qt.KeyboardModifier.NoModifier)
    w.dropEvent(drop)
    g = wait_for_frame(qtbot, w, lambda g: g.state.density is not d)
    d2 = g.state.density
    assert float(d2.log_prob(torch.tensor([[2.0, -2.0]]))) > float(d2.log_prob(torch.tensor([[-2.0, 2.0]])))


def test_a_file_that_is_not_an_image_shows_an_error(qtbot, make_window, tmp_path):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"not a png")
    w = make_window()
    wait_for_frame(qtbot, w)
    assert not w.open_path(str(bad))
    err = w.controls.density.image_error
    assert err.isVisible() and err.text()
    assert w.last_frame.state.density.name == "8gaussians"


def test_a_bad_expression_shows_its_error_and_a_good_one_trains(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    sec = w.controls.density
    sec.tabs.setCurrentIndex(sec.TAB_EXPR)
    qtbot.keyClicks(sec.expression, "-(x**2 + y**2 - 4)**2 / ")
    qtbot.keyClick(sec.expression, QtCore.Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sec.building is None, timeout=20000)  # it is built (and refused) in a job
    assert sec.expression_error.isVisible()
    assert sec.expression_error.text()
    qtbot.wait(200)
    assert w.last_frame.state.density.name == "8gaussians"  # nothing changed
    sec.expression.clear()
    qtbot.keyClicks(sec.expression, "-(x**2 + y**2 - 4)**2 / 0.5")
    assert not sec.expression_error.isVisible()  # typing clears the old error
    qtbot.keyClick(sec.expression, QtCore.Qt.Key.Key_Return)
    assert not sec.expression_error.isVisible()
    f = wait_for_frame(qtbot, w, lambda f: f.state.density.name.startswith("expr:"))
    d = f.state.density
    assert float(d.log_prob(torch.tensor([[2.0, 0.0]]))) > float(d.log_prob(torch.tensor([[0.0, 0.0]])))


def test_switching_objectives_while_running_continues_training(qtbot, make_window):
    w = make_window(autoplay=True)
    wait_for_frame(qtbot, w, lambda f: f.state.step >= 30)
    combo = w.controls.objective.name
    combo.setCurrentText("esm")
    f = wait_for_frame(qtbot, w, lambda f: f.state.cfg.objective.name == "esm")
    at_switch = f.state.step
    assert at_switch >= 30  # continued from the current model, not reset
    assert w.running
    g = wait_for_frame(qtbot, w, lambda g: g.state.cfg.objective.name == "esm" and g.state.step > at_switch + 20)
    assert g.snapshot.sigma == 0.0 and "∇log p" in w.panels.true_plot.titleLabel.text
    assert not w.controls.objective.sigma.isVisibleTo(w.controls.objective)
    # ncsn needs a noise-conditional network: the model starts over, and the user is told
    combo.setCurrentText("ncsn")
    h = wait_for_frame(qtbot, w, lambda h: h.state.cfg.objective.name == "ncsn")
    assert h.state.cfg.model.noise_conditional
    qtbot.waitUntil(lambda: "model reset" in w.statusBar().currentMessage(), timeout=5000)
    assert w.running


def test_relu_cannot_be_chosen_with_a_second_order_objective(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    w.controls.objective.name.setCurrentText("ism")
    act = w.controls.model.activation
    relu = act.model().item(act.findText("relu"))
    assert not relu.isEnabled()
    w.controls.objective.name.setCurrentText("dsm")
    assert relu.isEnabled()


def test_a_diverged_run_pauses_shows_the_error_and_reset_recovers(qtbot, make_window):
    from scoreviz.core.mixture import GaussianMixture

    class Poisoned(GaussianMixture):
        """Samples turn to NaN while ``poison`` is set: the loss is not finite."""

        poison = True

        def sample(self, n, generator=None):
            x = super().sample(n, generator)
            return x * float("nan") if Poisoned.poison else x

    d = Poisoned(torch.ones(2), torch.tensor([[-1.0, 0.0], [1.0, 0.0]]), 0.2 * torch.eye(2).expand(2, 2, 2),
                 box=(-3, 3, -3, 3), name="poisoned")
    w = make_window(density=d, autoplay=True)
    qtbot.waitUntil(lambda: w.banner.isVisible(), timeout=10000)
    assert "diverged" in w.banner.text()
    assert not w.running
    # the app keeps running: frames still come, particles still move
    n = w.frames_drawn
    qtbot.waitUntil(lambda: w.frames_drawn > n + 3, timeout=5000)
    Poisoned.poison = False
    w.banner.reset.click()  # Reset on the banner
    assert not w.banner.isVisible()
    wait_for_frame(qtbot, w, lambda f: f.state.step == 0)
    w.play()
    wait_for_frame(qtbot, w, lambda f: f.state.step >= 10)
    assert not w.banner.isVisible()


def test_toggles_error_panel_and_unit_arrows(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    _press(qtbot, w, QtCore.Qt.Key.Key_E)
    assert w.panels.error_visible() and w.controls.display.error.isChecked()
    f = wait_for_frame(qtbot, w, lambda f: f.snapshot.error is not None)
    assert f.snapshot.error.shape == f.snapshot.learned.shape[:2]
    assert w.panels.error_image.values() is not None
    w.controls.display.scale.setCurrentText("log")  # log: lengths follow log10 |s| over three decades
    assert w.panels.scale_mode() == "log" and w.panels.field_bar.axis.labelText == "log₁₀|s| (log)"
    lo, hi = w.panels.field_bar.levels()
    assert hi - lo == pytest.approx(3.0) and hi == pytest.approx(np.log10(w.panels.field_scale().ref) + 0.5)
    lengths = _arrow_lengths(w.panels.true_quiver)
    _press(qtbot, w, QtCore.Qt.Key.Key_U)
    assert w.panels.unit_arrows() and w.panels.field_bar.axis.labelText == "|s| (direction only)"
    unit = _arrow_lengths(w.panels.true_quiver)
    assert unit.std() < 1e-6 * unit.mean() and lengths.std() > 0.05 * lengths.mean()
    w.controls.display.grid.setValue(32)  # an override of the auto grid
    assert not w.controls.display.auto_grid.isChecked()
    wait_for_frame(qtbot, w, lambda f: f.snapshot.learned.shape[0] == 32)


def _arrow_lengths(item):
    segs = item._lines.resize(item._lines.size).reshape(-1, 3, 4)[:, 0]  # shafts
    return np.hypot(segs[:, 2] - segs[:, 0], segs[:, 3] - segs[:, 1])


def test_sampler_controls_reach_the_particles(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    s = w.controls.sampler
    s.n.setValue(3000)
    wait_for_frame(qtbot, w, lambda f: f.particles.shape == (3000, 2))
    s.kind.setCurrentText("annealed")
    assert s.sigma_max.isVisibleTo(s)
    f = wait_for_frame(qtbot, w, lambda f: f.state.cfg.sampler.sampler == "annealed")
    assert "annealed" in w.panels.particles_plot.titleLabel.text
    s.source.setCurrentText("true")
    wait_for_frame(qtbot, w, lambda f: f.state.cfg.sampler.score_source == "true")
    assert "true score" in w.panels.particles_plot.titleLabel.text
    before = w.last_frame.particles.copy()
    _press(qtbot, w, QtCore.Qt.Key.Key_P)  # reset particles
    g = wait_for_frame(qtbot, w, lambda g: g.state.particles_epoch > f.state.particles_epoch)
    assert not np.allclose(g.particles, before)


def test_optimiser_seed_and_model_controls(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    m = w.controls.model
    m.lr.setValue(3e-3)
    m.batch.setValue(128)
    wait_for_frame(qtbot, w, lambda f: f.state.cfg.lr == pytest.approx(3e-3) and f.state.cfg.batch == 128)
    m.hidden.setValue(64)
    wait_for_frame(qtbot, w, lambda f: f.state.cfg.model.hidden == 64)
    w.controls.system.seed.setValue(7)
    wait_for_frame(qtbot, w, lambda f: f.state.cfg.seed == 7 and f.state.cfg.model.hidden == 64)
    devices = [w.controls.system.device.itemText(i) for i in range(w.controls.system.device.count())]
    assert devices[:2] == ["auto", "cpu"]
    assert ("cuda" in devices) == torch.cuda.is_available()


def test_spin_boxes_refuse_values_that_make_no_sense(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    lr = w.controls.model.lr
    lr.setValue(-1)
    assert lr.value() > 0
    lr.setValue(50)
    assert lr.value() <= 1.0
    sigma = w.controls.objective.sigma
    sigma.setValue(0)
    assert sigma.value() > 0
    assert w.controls.sampler.n.minimum() >= 1


def test_speed_control_limits_training(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    w.speed.setCurrentIndex([w.speed.itemData(i) for i in range(w.speed.count())].index(10))
    w.play()
    qtbot.wait(600)
    s0 = w.trainer.trainer.session.step_count
    qtbot.wait(1000)
    rate = w.trainer.trainer.session.step_count - s0
    assert 4 <= rate <= 16


def test_closing_the_window_ends_the_worker_threads(qtbot, make_window):
    w = make_window(autoplay=True)
    wait_for_frame(qtbot, w, lambda f: f.state.step > 5)
    trainer, evaluator = w.workers()
    assert trainer.isRunning() and evaluator.isRunning()
    w.close()
    assert not trainer.isRunning()
    assert not evaluator.isRunning()
    assert trainer.isFinished() and evaluator.isFinished()


def test_every_control_has_a_tooltip(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    kinds = (QtWidgets.QAbstractSpinBox, QtWidgets.QComboBox, QtWidgets.QCheckBox, QtWidgets.QPushButton,
             QtWidgets.QLineEdit)
    missing = []
    for widget in w.controls.findChildren(QtWidgets.QWidget):
        if not isinstance(widget, kinds):  # on every tab, shown or not
            continue
        if isinstance(widget, QtWidgets.QLineEdit) and isinstance(widget.parent(), (QtWidgets.QAbstractSpinBox,
                                                                                      QtWidgets.QComboBox)):
            continue  # a spin box's own editor
        if not widget.toolTip().strip():
            missing.append(f"{type(widget).__name__} {widget.objectName() or widget.text() if hasattr(widget, 'text') else ''}")
    assert not missing, missing
    for a in (w.act_play, w.act_step, w.act_reset):
        assert a.toolTip() and not a.shortcut().isEmpty()
