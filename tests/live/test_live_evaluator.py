"""The Qt-free Evaluator, fed the trainer's published states: its frames equal the core's fields."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import torch

from live_helpers import published, small_config, started
from scoreviz.core.densities import make_preset
from scoreviz.core.fields import field_on_grid, scalar_on_grid
from scoreviz.core.session import Session
from scoreviz.core.snapshot import take_snapshot
from scoreviz.live.commands import ResetParticles, SetDensity, Step
from scoreviz.live.evaluator import Evaluator, ViewSettings, heat_box, pick_display_dtype

VIEW = ViewSettings(grid=16, error=True, heat=24)


def display_session(st) -> Session:
    """A Session like the evaluator's own: the state's config, density and weights."""
    s = Session(replace(st.cfg, threads=None), density=st.density)
    s.model.eval()
    with torch.no_grad():
        s.model.load_state_dict(st.weights)
    return s


def test_frame_fields_equal_the_core_fields():
    t, _ = started(small_config())
    for _ in range(3):
        t.handle(Step())
    st = published(t)
    frame = Evaluator(display_dtype="float32").frame(st, VIEW)
    snap, s = frame.snapshot, t.session
    box = s.density.box
    np.testing.assert_allclose(snap.learned, field_on_grid(s.learned_score, box, 16)[2], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(snap.true, field_on_grid(s.true_score, box, 16)[2], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(snap.log_density, scalar_on_grid(s.density.log_prob, box, 16)[2], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(snap.error, np.linalg.norm(snap.learned - snap.true, axis=-1), rtol=1e-6)
    hxs, hys, logp = frame.density_image
    exs, eys, expected = scalar_on_grid(s.density.log_prob, heat_box(box), 24)
    np.testing.assert_array_equal(hxs, exs)
    np.testing.assert_allclose(logp, expected, rtol=1e-5, atol=1e-6)
    assert frame.state is st and frame.heat is None and frame.dots is None  # no raster target given
    assert frame.sampler_note == f"Langevin ε = {st.cfg.sampler.step_size:g}"


def test_frame_matches_a_snapshot_and_particles_of_the_same_session():
    t, _ = started(small_config())
    t.handle(Step())
    st = published(t)
    frame = Evaluator(display_dtype="float32").frame(st, VIEW)
    s = display_session(st)
    s.advance_particles()  # the evaluator moves the particles one frame before drawing
    snap = take_snapshot(s, grid_n=16, error=True)
    for name in ("learned", "true", "error", "log_density", "xs", "ys"):
        np.testing.assert_allclose(getattr(frame.snapshot, name), getattr(snap, name), rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(frame.particles, s.particles.numpy())
    assert frame.particles.dtype == np.float32


def test_unchanged_state_reuses_the_fields_and_a_new_density_is_followed():
    t, _ = started(small_config())
    ev = Evaluator(display_dtype="float32")
    st = published(t)
    f = ev.frame(st, VIEW)
    g = ev.frame(st, VIEW)
    assert g.snapshot is f.snapshot and g.density_image is f.density_image
    assert not np.array_equal(g.particles, f.particles)
    moons = make_preset("moons")
    t.handle(SetDensity(moons))
    h = ev.frame(published(t), VIEW)
    assert h.snapshot.density_name == "moons"
    np.testing.assert_allclose(h.snapshot.log_density, scalar_on_grid(moons.log_prob, moons.box, 16)[2],
                               rtol=1e-5, atol=1e-6)


def test_reset_particles_restarts_the_display_particles():
    t, _ = started(small_config())
    ev = Evaluator(display_dtype="float32")
    for _ in range(3):
        ev.frame(published(t), VIEW)
    t.handle(ResetParticles())
    st = published(t)
    frame = ev.frame(st, VIEW)
    s = display_session(st)
    s.advance_particles()
    np.testing.assert_array_equal(frame.particles, s.particles.numpy())


def test_while_training_a_share_of_the_particles_takes_the_core_step():
    t, _ = started(small_config())
    st = replace(published(t), running=True)  # training runs: the CPU is shared
    ev = Evaluator(display_dtype="float32")
    ev.per_frame = 150  # of 300: two frames per sweep
    frame = ev.frame(st, VIEW)
    s = display_session(st)
    start = s.particles.clone()
    s.particles = start[:150]
    s.advance_particles()
    np.testing.assert_array_equal(frame.particles[:150], s.particles.numpy())
    np.testing.assert_array_equal(frame.particles[150:], start[150:].numpy())


def test_heat_box_and_display_dtype():
    assert heat_box((0.0, 2.0, -1.0, 1.0)) == (-1.0, 3.0, -2.0, 2.0)
    cpu = SimpleNamespace(device=torch.device("cpu"))
    assert pick_display_dtype(cpu, "float32") is None
    assert pick_display_dtype(cpu, "bfloat16") is torch.bfloat16
    assert pick_display_dtype(SimpleNamespace(device=torch.device("meta")), "bfloat16") is None  # CPU only
