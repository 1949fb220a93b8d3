"""The main window's time axis (objective sde): the bar shows, t moves both field panels and the heat map."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from helpers import small_config, wait_for_frame
from scoreviz.core.marginals import marginal_density
from scoreviz.core.objectives import ObjectiveConfig, objective_sde
from scoreviz.live.commands import SetObjective
from scoreviz.live.evaluator import TRAIL_PARTICLES

SDE_OBJECTIVE = ObjectiveConfig(name="sde", sde="vp")


def sde_config():
    return small_config(objective=SDE_OBJECTIVE)


def test_the_time_bar_shows_only_for_objective_sde(qtbot, make_window):
    w = make_window(small_config())
    wait_for_frame(qtbot, w)
    assert not w.time_axis.visible
    w.trainer.post(SetObjective(SDE_OBJECTIVE))
    qtbot.waitUntil(lambda: w.time_axis.visible, timeout=20000)
    eps = objective_sde(SDE_OBJECTIVE).t_eps
    assert w.time_axis.bar.eps == eps and w.time_axis.bar.t == eps
    assert w.time_axis.bar.title.text() == "t · vp"
    w.trainer.post(SetObjective(ObjectiveConfig(name="dsm")))
    qtbot.waitUntil(lambda: not w.time_axis.visible, timeout=20000)
    frame = wait_for_frame(qtbot, w, lambda f: f.state.cfg.objective.name == "dsm")
    assert frame.field_t is None


def test_moving_t_changes_both_fields_to_the_exact_marginal_at_t(qtbot, make_window):
    w = make_window(sde_config())
    f0 = wait_for_frame(qtbot, w, lambda f: f.snapshot.learned is not None and f.field_t is not None)
    process = objective_sde(SDE_OBJECTIVE)
    assert f0.field_t == pytest.approx(process.t_eps)
    w.time_axis.bar.set_time(0.5)
    f1 = wait_for_frame(qtbot, w, lambda f: f.field_t == pytest.approx(0.5) and f.snapshot is not f0.snapshot)
    snap = f1.snapshot
    assert not np.allclose(snap.true, f0.snapshot.true) and not np.allclose(snap.learned, f0.snapshot.learned)
    # the true panel is the exact score of p_t at t = 0.5 on the snapshot's grid
    gx, gy = np.meshgrid(snap.xs, snap.ys)
    pts = torch.tensor(np.stack([gx.ravel(), gy.ravel()], 1), dtype=torch.float64)
    exact = marginal_density(f1.state.density, process, 0.5).score(pts).numpy().reshape(snap.true.shape)
    np.testing.assert_allclose(snap.true, exact, rtol=2e-3, atol=2e-3 * np.abs(exact).max())
    # the heat map shows p_t: wider than p at t = eps
    assert f1.density_image is not f0.density_image
    spread = lambda img: np.isfinite(img[2]).sum() and (img[2] > img[2].max() - 3).sum()  # noqa: E731
    assert spread(f1.density_image) > spread(f0.density_image)
    # the titles say which t
    assert "t = 0.5" in w.panels.learned_plot.titleLabel.text
    # the keys move t by a hundredth
    w.time_axis._nudge(10)
    assert w.time_axis.bar.t == pytest.approx(0.5 + 0.01 * (1 - process.t_eps) / 1.0, abs=2e-3)


def test_trails_follow_the_moving_particles(qtbot, make_window):
    w = make_window(small_config())
    w.play()
    frame = wait_for_frame(qtbot, w, lambda f: f.trails is not None and f.trails.shape[0] >= 3)
    k, m, _ = frame.trails.shape
    assert m == min(TRAIL_PARTICLES, frame.particles.shape[0])
    np.testing.assert_array_equal(frame.trails[-1], frame.particles[:m])
    # the particle layer the panel shows has the trails' warm pixels (dots are bluish white: red < blue)
    drawn = wait_for_frame(qtbot, w, lambda f: f.dots is not None and f.trails is not None and trail_pixels(f) > 0)
    assert w.panels.dots_image.pixmap().width() == drawn.dots.pixels.shape[1]
    w.evaluator.set_view(trails=False)
    wait_for_frame(qtbot, w, lambda f: f.trails is None and f.dots is not None and trail_pixels(f) == 0)


def trail_pixels(frame) -> int:
    p = frame.dots.pixels.astype(np.int64)
    return int((((p >> 16) & 255) > (p & 255) + 8).sum())


def test_generation_runs_from_the_prior_to_the_data_with_trails_and_stops(qtbot, make_window):
    from dataclasses import replace

    from scoreviz.core.session import SamplerConfig
    from scoreviz.live.commands import SetSampler

    cfg = sde_config()
    w = make_window(cfg)
    wait_for_frame(qtbot, w)
    sampler = w.controls.sampler
    items = [sampler.kind.itemText(i) for i in range(sampler.kind.count())]
    assert {"reverse-sde", "pf-ode", "pc", "forward"} <= set(items)
    assert sampler.kind.model().item(items.index("pc")).isEnabled()
    sc = replace(SamplerConfig(n_particles=1000), sampler="reverse-sde", score_source="true", diffusion_steps=60,
                 steps_per_frame=3)
    w.trainer.post(SetSampler(sc))
    first = wait_for_frame(qtbot, w, lambda f: f.sampler_note.startswith("reverse-sde"))
    assert np.abs(first.particles).max() < 8  # the prior N(0, I) of vp
    done = wait_for_frame(qtbot, w, lambda f: "done" in f.sampler_note, timeout=60000)
    assert "NFE 60" in done.sampler_note
    # the true score took the prior to the 8 gaussians (radius ~4): most particles are far from the origin
    r = np.linalg.norm(done.particles, axis=1)
    assert np.mean(np.abs(r - np.median(r)) < 1.0) > 0.8 and np.median(r) > 2.5
    assert done.trails is not None and done.trails.shape[1] == TRAIL_PARTICLES
    # leaving objective sde takes the particles back to Langevin (the dock too)
    w.controls.objective.name.setCurrentText("dsm")
    qtbot.waitUntil(lambda: w.controls.sampler.kind.currentText() == "langevin", timeout=5000)
    assert not w.controls.sampler.kind.model().item(items.index("pc")).isEnabled()
    wait_for_frame(qtbot, w, lambda f: f.state.cfg.sampler.sampler == "langevin", timeout=30000)


def test_a_session_keeps_the_time_on_the_bar(qtbot, make_window):
    from scoreviz.core.session_file import check_view

    w = make_window(sde_config())
    qtbot.waitUntil(lambda: w.time_axis.visible, timeout=20000)
    w.time_axis.bar.set_time(0.42)
    view = w.sessions.view()
    assert view["time"] == pytest.approx(0.42) and check_view(view)["time"] == view["time"]
    other = make_window(sde_config())
    other.sessions.apply_view(view)  # before its bar is up: kept for when it appears
    qtbot.waitUntil(lambda: other.time_axis.visible and other.time_axis.bar.t == pytest.approx(0.42), timeout=20000)
    wait_for_frame(qtbot, other, lambda f: f.field_t == pytest.approx(0.42))
    assert "time" not in make_window(small_config()).sessions.view()
