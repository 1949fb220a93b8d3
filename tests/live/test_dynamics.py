"""Every dynamic, one network (``scoreviz.live.dynamics``), without Qt: one prior and the same noise for
every dynamic, all reach t_eps on the same frame, same seed same bits, the true score lands on the NCSN
mixture's modes with its 1 : 4 weights, the learned score from a snapshot, and the worker's state."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
import torch

from scoreviz.core.diffusion import reverse_sde
from scoreviz.core.errors import ScorevizError
from scoreviz.core.marginals import true_score_fn
from scoreviz.core.models import ModelConfig, ScoreModel
from scoreviz.core.objectives import ObjectiveConfig, objective_sde
from scoreviz.core.sde import KINDS, SDE
from scoreviz.core.session import SamplerConfig, SessionConfig
from scoreviz.core.time_score import model_score_fn
from scoreviz.core.toys import make_preset
from scoreviz.live.dynamics import (AnnealedRun, DynamicsPlayer, DynamicsSet, log_density_image, process_for,
                                    score_source)
from scoreviz.live.dynamics_settings import (DYNAMICS, LEARNED_NEEDS_SDE, NOISE_SEED_OFFSET, PROCESSES,
                                             DynamicsSettings, DynamicSpec, learned_refusal)


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/conftest.py


@pytest.fixture(scope="module")
def mixture():
    return make_preset("ncsn-mixture")  # 1/5 N((-5,-5), I) + 4/5 N((5,5), I)


def _true(d, kind="vp"):
    sde = SDE.for_box(kind, d.box)
    return true_score_fn(d, sde), sde


def _specs(*keys, steps=40):
    return [DynamicSpec.from_key(k, steps) for k in keys]


# --------------------------------------------------------------------------- the same prior, the same noise
def test_every_dynamic_starts_from_one_prior_and_the_same_dynamic_twice_is_bit_identical(mixture):
    f, sde = _true(mixture)
    ds = DynamicsSet(f, sde, _specs("reverse-sde", "pc", "reverse-sde", "pf-ode-euler", "annealed"), n=300, seed=4,
                     frames=10)
    first = ds.states()
    assert all(np.array_equal(s.positions, first[0].positions) for s in first)  # one prior for all
    assert np.array_equal(first[0].positions, sde.prior_sample(300, torch.Generator().manual_seed(4)).numpy())
    assert [s.index for s in first] == [0] * 5 and [s.t for s in first] == [1.0] * 5
    ds.run()
    a, b = ds.states()[0], ds.states()[2]
    assert np.array_equal(a.positions, b.positions) and np.array_equal(a.trail, b.trail)  # same noise: same bits
    assert not np.array_equal(a.positions, ds.states()[1].positions)  # another dynamic: other positions
    # the noise does not depend on the company: reverse-sde alone, or the one-shot sampler with the noise seed
    alone = DynamicsSet(f, sde, _specs("reverse-sde"), n=300, seed=4, frames=3)
    alone.run()
    assert np.array_equal(alone.states()[0].positions, a.positions)
    one_shot = reverse_sde(ds.prior, f, sde, 40, torch.Generator().manual_seed(4 + NOISE_SEED_OFFSET))
    assert np.array_equal(one_shot.x.numpy(), a.positions)


def test_different_seeds_give_other_priors_and_other_noise(mixture):
    f, sde = _true(mixture)
    a = DynamicsSet(f, sde, _specs("reverse-sde", "pf-ode-heun"), n=100, seed=1, frames=4)
    b = DynamicsSet(f, sde, _specs("reverse-sde", "pf-ode-heun"), n=100, seed=2, frames=4)
    assert not torch.equal(a.prior, b.prior)
    a.run()
    b.run()
    assert not np.array_equal(a.states()[0].positions, b.states()[0].positions)


def test_same_seed_same_bits_and_restart_replays_the_run(mixture):
    f, sde = _true(mixture, "ve")
    keys = ("reverse-sde", "pf-ode-euler", "pf-ode-heun", "pc", "annealed")

    def run():
        ds = DynamicsSet(f, sde, _specs(*keys, steps=30), n=200, seed=9, frames=7)
        ds.run()
        return ds

    a, b = run(), run()
    for sa, sb in zip(a.states(), b.states()):
        assert np.array_equal(sa.positions, sb.positions) and np.array_equal(sa.trail, sb.trail)
        assert sa.nfe == sb.nfe
    first = [s.positions for s in a.states()]
    a.restart()
    assert [s.index for s in a.states()] == [0] * 5 and a.frame_count == 0 and not a.done
    a.run()
    assert all(np.array_equal(p, s.positions) for p, s in zip(first, a.states()))


# --------------------------------------------------------------------------- proportional progress
def test_every_dynamic_reaches_t_eps_on_the_same_frame(mixture):
    f, sde = _true(mixture)
    specs = [DynamicSpec("reverse-sde", 100), DynamicSpec("pf-ode", 13, solver="heun"), DynamicSpec("pc", 37),
             DynamicSpec("annealed", 50)]
    ds = DynamicsSet(f, sde, specs, n=64, seed=0, frames=20)
    frames = 0
    while not ds.done:
        assert ds.advance()
        frames += 1
        fractions = [r.index / r.steps for r in ds.runs]
        # every dynamic has done its share of the frame: within one of its steps of the set's progress
        assert all(abs(fr - ds.progress) <= 1.0 / r.steps + 1e-12 for fr, r in zip(fractions, ds.runs))
        if frames < 20:
            assert not any(r.done for r in ds.runs)  # no one finishes early ...
    assert frames == 20  # ... and all on the last frame
    states = ds.states()
    assert [s.t for s in states] == [sde.t_eps] * 4 and all(s.done for s in states)
    assert [s.steps for s in states] == [100, 13, 37, 50]
    assert [s.nfe for s in states] == [100, 26, 74, 50]  # heun and pc: two evaluations a step
    assert not ds.advance() and ds.frame_count == 20


def test_a_time_budget_ends_a_frame_early_and_keeps_the_dynamics_together(mixture):
    f, sde = _true(mixture)
    ds = DynamicsSet(f, sde, _specs("reverse-sde", "pc", steps=60), n=50, seed=0, frames=2)
    ds.advance(budget_s=0.0)  # one step, then the budget is spent
    assert sum(r.index for r in ds.runs) == 1 and ds.progress == 0.0
    while not ds.done:
        ds.advance(budget_s=0.0)
        assert abs(ds.runs[0].index - ds.runs[1].index) <= 1
    assert ds.progress == 1.0


def test_trails_hold_the_last_k_positions_of_the_first_m_particles_oldest_first(mixture):
    f, sde = _true(mixture)
    ds = DynamicsSet(f, sde, _specs("pf-ode-euler", "reverse-sde", steps=20), n=100, seed=0, frames=10,
                     trail_length=4, trail_particles=7)
    assert ds.states()[0].trail.shape == (1, 7, 2)
    seen = [ds.states()[0].positions[:7]]
    for _ in range(6):
        ds.advance()
        seen.append(ds.states()[0].positions[:7])
    trail = ds.states()[0].trail
    assert trail.shape == (4, 7, 2) and trail.dtype == np.float32
    assert np.array_equal(trail, np.stack(seen[-4:]))


# --------------------------------------------------------------------------- where the true score lands
@pytest.mark.parametrize("kind", ["vp", "subvp"])
def test_the_true_score_recovers_the_ncsn_mixture_weights(mixture, kind):
    """With the true score, reverse-sde, the PF-ODE and PC from the prior put 1/5 of the particles on the
    small mode (binomial sd 0.009 at n = 2000) and the big mode's mean right.  Annealed Langevin with the
    same 200 steps lags behind the moving vp levels (module description): it is only checked to be finite."""
    f, sde = _true(mixture, kind)
    ds = DynamicsSet(f, sde, _specs("reverse-sde", "pf-ode-euler", "pc", "annealed", steps=200), n=2000, seed=11,
                     frames=5)
    ds.run()
    for st in ds.states():
        x = st.positions
        assert np.isfinite(x).all() and st.diverged == 0
        if st.method == "annealed":
            continue
        small = float((x.sum(1) < 0).mean())
        assert abs(small - 0.2) < 0.035, (st.name, small)
        big = x[x.sum(1) > 0]
        assert np.abs(big.mean(0) - 5).max() < 0.15, (st.name, big.mean(0))


def test_annealed_langevin_levels_are_std_at_evenly_spaced_times():
    sde = SDE("vp")
    x = sde.prior_sample(10, torch.Generator().manual_seed(0))
    seen = []

    def score(y, t):
        seen.append(float(t[0]))
        return -y

    r = AnnealedRun(x, score, sde, steps=23, levels=10, generator=torch.Generator().manual_seed(1))
    assert r.levels == 10 and r.steps_per_level == 2 and r.steps == 20 and r.t == 1.0
    want = torch.linspace(1.0, sde.t_eps, 10, dtype=torch.float64).tolist()
    r.step(2)
    assert r.t == 1.0 and r.index == 2  # the two steps of the first level, t_1 = 1
    r.step(1)
    assert r.t == want[1] and r.index == 3  # the second level began
    r.step(100)
    assert r.done and r.t == sde.t_eps and r.nfe == 20
    assert seen[::2] == pytest.approx(want, rel=1e-6) and seen[1::2] == pytest.approx(want, rel=1e-6)
    assert r.sigmas == pytest.approx([float(sde.std(t)) for t in want])
    assert r.step_sizes == pytest.approx([0.1 * s**2 for s in r.sigmas])
    short = AnnealedRun(x, score, sde, steps=4, levels=10)
    assert short.levels == 4 and short.steps_per_level == 1


# --------------------------------------------------------------------------- the score's source
def _sde_config(**changes):
    return SessionConfig(objective=ObjectiveConfig(name="sde", sde="vp"), model=ModelConfig(hidden=16, layers=1),
                         batch=32, device="cpu", sampler=SamplerConfig(n_particles=16), **changes)


def test_the_learned_score_needs_objective_sde_and_says_so_in_one_line(mixture):
    cfg = SessionConfig(model=ModelConfig(hidden=16, layers=1), device="cpu", sampler=SamplerConfig(n_particles=16))
    reason = learned_refusal(cfg)
    assert reason == LEARNED_NEEDS_SDE.format(objective="dsm") and "\n" not in reason
    assert "objective sde" in reason and "true score" in reason
    with pytest.raises(ScorevizError, match="time-conditional model trained with objective sde"):
        score_source(DynamicsSettings(source="learned"), cfg, mixture, {})
    assert learned_refusal(_sde_config()) is None
    # the true score needs no model at all
    f, sde, text = score_source(DynamicsSettings(source="true", process="ve"), cfg, mixture, None)
    assert sde == SDE.for_box("ve", mixture.box) and "true" in text


def test_the_learned_score_is_the_snapshot_models_under_its_own_process(mixture):
    cfg = _sde_config()
    torch.manual_seed(3)
    model = ScoreModel(cfg.model)
    weights = {k: v.clone() for k, v in model.state_dict().items()}
    f, sde, text = score_source(DynamicsSettings(source="learned", process="ve"), cfg, mixture, weights)
    assert sde == objective_sde(cfg.objective) and sde.kind == "vp"  # the model's own process, whatever is chosen
    x, t = torch.randn(20, 2), torch.full((20,), 0.3)
    model.eval()
    assert torch.equal(f(x, t), model_score_fn(model, sde)(x, t))
    # with the true score, the model's process is used when the kind matches, else the box's defaults
    assert process_for(cfg, mixture, "vp") == objective_sde(cfg.objective)
    assert process_for(cfg, mixture, "subvp") == SDE.for_box("subvp", mixture.box)
    with pytest.raises(ScorevizError, match="no trained weights"):
        score_source(DynamicsSettings(source="learned"), cfg, mixture, None)
    # a learned set runs to the end and stays finite (an untrained model: only the plumbing)
    ds = DynamicsSet(f, sde, _specs(*DYNAMICS, steps=20), n=50, seed=0, frames=3)
    ds.run()
    assert all(np.isfinite(s.positions).all() for s in ds.states())


def test_settings_ask_for_two_to_five_known_dynamics():
    s = DynamicsSettings(methods=["reverse-sde", "annealed"], steps=30)
    assert s.methods == ("reverse-sde", "annealed")
    assert [sp.name for sp in DynamicsSettings(methods=tuple(DYNAMICS)).specs()] == [
        "reverse SDE", "PF-ODE Euler", "PF-ODE Heun", "PC", "annealed Langevin"]
    assert [DYNAMICS[k][0] for k in DYNAMICS] == [sp.name for sp in DynamicsSettings(methods=tuple(DYNAMICS)).specs()]
    for bad in (dict(methods=("pc",)), dict(methods=tuple(DYNAMICS) + ("pc",)), dict(methods=("pc", "nope")),
                dict(source="both"), dict(process="xx"), dict(steps=0), dict(n=0)):
        with pytest.raises(ScorevizError):
            DynamicsSettings(**bad)
    assert PROCESSES == KINDS


# --------------------------------------------------------------------------- the worker's state
def test_the_player_shows_the_prior_runs_to_the_end_stops_and_starts_over(mixture):
    p = DynamicsPlayer(SessionConfig(device="cpu"), mixture, None)
    assert p.tick() is None
    settings = DynamicsSettings(methods=("reverse-sde", "pf-ode-heun", "annealed"), steps=20, n=80, frames=4)
    p.configure(settings)
    f = p.tick()
    assert f is not None and f.frame == 0 and not f.done and f.settings == settings
    assert [s.index for s in f.dynamics] == [0, 0, 0] and f.dynamics[0].status().startswith("step 0/20 · NFE 0 · t = 1")
    xs, ys, logp = f.heat
    assert logp.shape == (len(ys), len(xs)) and np.isfinite(logp).all()
    assert f.box == (-8.0, 8.0, -8.0, 8.0)
    assert p.tick() is None  # paused: nothing new
    p.play()
    frames = []
    while p.running:
        frames.append(p.tick())
    assert len(frames) == 4 and frames[-1].done and all(s.done for s in frames[-1].dynamics)
    assert [s.nfe for s in frames[-1].dynamics] == [20, 40, 20]
    assert p.tick() is None
    p.play()  # at the end: starts over
    assert p.running and p.tick().frame == 1
    p.restart()  # while running: from the prior, and on
    assert p.running and p.tick().frame == 1
    p.pause()
    p.restart()
    assert p.tick().frame == 0 and p.tick() is None
    # a refused configuration leaves the set in force
    with pytest.raises(ScorevizError):
        p.configure(replace(settings, source="learned"))
    assert p.settings == settings


def test_log_density_image_is_the_densitys_log_prob(mixture):
    xs, ys, lp = log_density_image(mixture, (-8, 8, -8, 8), 9)
    assert lp.shape == (9, 9)
    assert lp[6, 6] == pytest.approx(float(mixture.log_prob(torch.tensor([[xs[6], ys[6]]]))[0]), rel=1e-5)


def test_the_settings_load_neither_qt_nor_torch_and_the_loop_no_qt():
    code = ("import sys\n"
            "import scoreviz.live.dynamics_settings\n"
            "assert 'torch' not in sys.modules, 'the settings loaded torch'\n"
            "import scoreviz.live.dynamics\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]", r.stdout
