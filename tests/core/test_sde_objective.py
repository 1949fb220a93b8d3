"""Objective sde (continuous-time DSM) against its formulas, and the Session / files of an sde run.

The processes' coefficients are written out here from MATH.md's table, independently of
scoreviz.core.sde, so a slip there shows up here.
"""

import json
import math
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from torch import nn

from scoreviz.core.errors import ScorevizError
from scoreviz.core.export import field_arrays, load_model, model_info, save_model
from scoreviz.core.marginals import marginal_density
from scoreviz.core.mixture import GaussianMixture
from scoreviz.core.models import ModelConfig, ScoreModel
from scoreviz.core.objectives import (
    OBJECTIVE_INFO,
    OBJECTIVES,
    ObjectiveConfig,
    check_compatible,
    compute_loss,
    objective_sde,
    target_density,
    target_sigma,
)
from scoreviz.core.samplers import annealed_refusal
from scoreviz.core.sde import SDE
from scoreviz.core.session import SamplerConfig, Session, SessionConfig
from scoreviz.core.session_file import load_session, save_session
from scoreviz.core.time_score import sde_score

F64 = torch.float64
B0, B1 = 0.1, 20.0
S_MIN, S_MAX = 0.05, 4.0


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/conftest.py


def _gen(seed):
    return torch.Generator().manual_seed(seed)


# ---------------------------------------------------------------- the processes, from MATH.md
def _coeffs(kind, t):
    """(alpha, std, g^2) at t (a float64 tensor), from MATH.md's table."""
    if kind == "ve":
        sig = S_MIN * (S_MAX / S_MIN) ** t
        return torch.ones_like(t), sig, sig**2 * 2 * math.log(S_MAX / S_MIN)
    log_a = -0.25 * t**2 * (B1 - B0) - 0.5 * t * B0
    a = torch.exp(log_a)
    beta = B0 + t * (B1 - B0)
    if kind == "vp":
        return a, torch.sqrt(1 - a**2), beta
    return a, 1 - a**2, beta * (1 - a**4)


MU = torch.tensor([0.5, -0.3], dtype=F64)
SIGMA = torch.tensor([[0.4, 0.1], [0.1, 0.2]], dtype=F64)


def _gaussian():
    return GaussianMixture([1.0], MU[None], SIGMA[None])


def _cov_t(a, std):
    """(N, 2, 2) covariance of p_t for p = N(MU, SIGMA): a^2 SIGMA + std^2 I."""
    return a[:, None, None] ** 2 * SIGMA + std[:, None, None] ** 2 * torch.eye(2, dtype=F64)


class ExactGaussian(nn.Module):
    """A stand-in time-conditional model: model(x, t) = std(t) * grad log p_t(x), p = N(MU, SIGMA), exactly."""

    def __init__(self, kind, offset=(0.0, 0.0)):
        super().__init__()
        self.kind = kind
        self.cfg = SimpleNamespace(time_conditional=True, noise_conditional=False)
        self.offset = torch.tensor(offset, dtype=F64)  # added to the *score*

    def forward(self, x, t):
        t = torch.as_tensor(t, dtype=F64).expand(x.shape[0])
        a, std, _ = _coeffs(self.kind, t)
        score = -torch.linalg.solve(_cov_t(a, std), (x - a[:, None] * MU)[..., None])[..., 0]  # (N, 2)
        return std[:, None] * (score + self.offset)


def _cfg(kind, weighting="sigma2", t_eps=0.0):
    return ObjectiveConfig(name="sde", sde=kind, weighting=weighting, sigma_min=S_MIN, sigma_max=S_MAX,
                           beta_min=B0, beta_max=B1, t_eps=t_eps)


# ---------------------------------------------------------------- config
def test_config_fields_defaults_and_process():
    cfg = ObjectiveConfig(name="sde")
    assert (cfg.sde, cfg.beta_min, cfg.beta_max, cfg.t_eps, cfg.weighting) == ("vp", 0.1, 20.0, 0.0, "sigma2")
    assert objective_sde(cfg) == SDE("vp", sigma_min=0.01, sigma_max=1.0, beta_min=0.1, beta_max=20.0, t_eps=1e-3)
    ve = objective_sde(_cfg("ve"))
    assert (ve.kind, ve.sigma_min, ve.sigma_max, ve.t_eps) == ("ve", S_MIN, S_MAX, 1e-5)  # ve takes sigma_min/max
    assert objective_sde(_cfg("subvp", t_eps=0.01)).t_eps == 0.01
    back = ObjectiveConfig.from_dict(json.loads(json.dumps(_cfg("ve", "likelihood", 2e-5).to_dict())))
    assert back == _cfg("ve", "likelihood", 2e-5)
    info = OBJECTIVE_INFO["sde"]
    assert "σ_min" in info.description and "β_min" in info.description and "½" in info.formula
    assert set(info.params) == {"sde", "sigma_min", "sigma_max", "beta_min", "beta_max", "t_eps", "weighting"}
    assert OBJECTIVES["sde"].__doc__ and "½" in OBJECTIVES["sde"].__doc__


@pytest.mark.parametrize("kw, pattern", [
    ({"sde": "vpp"}, r"unknown process sde='vpp'; choose one of ve, vp, subvp"),
    ({"weighting": "uniform"}, r"unknown weighting 'uniform'; choose one of sigma2, likelihood"),
    ({"beta_min": -1.0}, r"objective beta_min=-1.0 is out of range"),
    ({"beta_max": "x"}, r"objective beta_max='x' must be a number"),
    ({"beta_min": 5.0, "beta_max": 1.0}, r"beta_max must be >= beta_min"),
    ({"t_eps": 0.5}, r"objective t_eps=0.5 is out of range"),
    ({"t_eps": [1]}, r"t_eps=\[1\] must be a number"),
])
def test_bad_process_refused(kw, pattern):
    with pytest.raises(ScorevizError, match=pattern):
        ObjectiveConfig(name="sde", **kw)


def test_compatibility_one_line_with_the_fix():
    with pytest.raises(ScorevizError, match="objective 'sde' needs a time-conditional model — set time_conditional=true"):
        check_compatible(ObjectiveConfig(name="sde"), ModelConfig())
    for name in ("esm", "ism", "dsm"):
        mc = ModelConfig(time_conditional=True)
        with pytest.raises(ScorevizError, match=f"objective '{name}' has no time .* use objective sde"):
            check_compatible(ObjectiveConfig(name=name), mc)
    check_compatible(ObjectiveConfig(name="sde"), ModelConfig(time_conditional=True, parametrization="energy"))
    x = _gaussian().sample(8, _gen(0))
    with pytest.raises(ScorevizError, match="time-conditional"):
        compute_loss(ObjectiveConfig(name="sde"), ScoreModel(ModelConfig(hidden=8, layers=1)), x, _gaussian(), _gen(0))


# ---------------------------------------------------------------- the loss against its formula
@pytest.mark.parametrize("kind", ["ve", "vp", "subvp"])
@pytest.mark.parametrize("weighting", ["sigma2", "likelihood"])
def test_per_sample_loss_is_the_formula(kind, weighting):
    """Same draws (t ~ U(eps, 1) first, then z): lambda(t) 1/2 ||s(x_t, t) + z / std||^2 by hand."""
    p = _gaussian()
    x = p.sample(500, _gen(1)).to(F64)
    model = ExactGaussian(kind, offset=(0.3, -0.2))
    cfg = _cfg(kind, weighting)
    got = OBJECTIVES["sde"](cfg, model, x, p, _gen(7))
    g = _gen(7)
    eps = {"ve": 1e-5}.get(kind, 1e-3)
    t = eps + (1 - eps) * torch.rand(500, generator=g, dtype=F64)
    z = torch.randn(500, 2, generator=g, dtype=F64)
    a, std, g2 = _coeffs(kind, t)
    xt = a[:, None] * x + std[:, None] * z
    s = model(xt, t) / std[:, None]
    lam = std**2 if weighting == "sigma2" else g2
    want = lam * 0.5 * (s + z / std[:, None]).square().sum(-1)
    assert got.shape == (500,)
    torch.testing.assert_close(got, want, rtol=1e-9, atol=1e-12)
    assert t.min() >= eps and t.max() <= 1


def _expected_at_exact_score(kind, weighting, eps):
    """E_t lambda(t) 1/2 (d / std^2 - E||grad log p_t||^2) with d = 2 and E||grad log p_t||^2 = tr C_t^-1:
    the loss of the exact score (Tweedie: E[z / std | x_t] = -grad log p_t), by Simpson's rule over t."""
    t = torch.linspace(eps, 1.0, 20001, dtype=F64)
    a, std, g2 = _coeffs(kind, t)
    tr = torch.linalg.inv(_cov_t(a, std)).diagonal(dim1=-2, dim2=-1).sum(-1)
    lam = std**2 if weighting == "sigma2" else g2
    f = lam * 0.5 * (2 / std**2 - tr)
    w = torch.ones_like(t)
    w[1:-1:2], w[2:-1:2] = 4, 2
    return float((w * f).sum() * (t[1] - t[0]) / 3 / (1 - eps))


@pytest.mark.parametrize("kind, weighting", [("vp", "sigma2"), ("subvp", "sigma2"), ("ve", "sigma2"),
                                             ("ve", "likelihood")])
def test_loss_at_the_exact_score_is_its_known_constant(kind, weighting):
    p = _gaussian()
    n = 200_000
    x = p.sample(n, _gen(2)).to(F64)
    cfg = _cfg(kind, weighting)
    per = OBJECTIVES["sde"](cfg, ExactGaussian(kind), x, p, _gen(3))
    mean, se = per.mean().item(), (per.std() / math.sqrt(n)).item()
    want = _expected_at_exact_score(kind, weighting, objective_sde(cfg).t_eps)
    assert abs(mean - want) < 5 * se, (mean, want, se)
    # the exact score is the minimiser: a score off by c costs 1/2 ||c||^2 E_t[lambda] more on average
    c = (0.3, -0.4)
    worse = OBJECTIVES["sde"](cfg, ExactGaussian(kind, offset=c), x, p, _gen(3))
    diff = worse - per
    t = torch.linspace(objective_sde(cfg).t_eps, 1.0, 20001, dtype=F64)
    _, std, g2 = _coeffs(kind, t)
    lam_mean = float((std**2 if weighting == "sigma2" else g2).mean())
    want_diff = 0.5 * (c[0] ** 2 + c[1] ** 2) * lam_mean
    assert abs(diff.mean().item() - want_diff) < 5 * (diff.std() / math.sqrt(n)).item() + 1e-3 * want_diff


def test_same_seed_same_bits_and_gradients():
    p = _gaussian()
    x = p.sample(256, _gen(0))
    for weighting in ("sigma2", "likelihood"):
        cfg = replace(_cfg("vp", weighting))
        results = []
        for seed in (5, 5, 6):
            torch.manual_seed(0)
            model = ScoreModel(ModelConfig(hidden=16, layers=2, parametrization="energy", time_conditional=True))
            loss = compute_loss(cfg, model, x, p, _gen(seed))
            loss.backward()
            results.append((loss.detach(), [q.grad.clone() for q in model.parameters() if q.grad is not None]))
        (l1, g1), (l2, g2), (l3, _) = results
        assert l1.shape == () and torch.equal(l1, l2)
        assert all(torch.equal(a, b) for a, b in zip(g1, g2))
        assert not torch.equal(l1, l3)


def test_targets_at_the_display_time():
    p = _gaussian()
    cfg = _cfg("vp")
    process = objective_sde(cfg)
    q = target_density(cfg, p)
    assert target_sigma(cfg) == pytest.approx(float(process.std(1e-3)))
    a, std, _ = _coeffs("vp", torch.tensor([1e-3, 0.4], dtype=F64))
    torch.testing.assert_close(q.covs[0], _cov_t(a, std)[0])
    q4 = target_density(cfg, p, 0.4)
    torch.testing.assert_close(q4.means[0], a[1] * MU)
    torch.testing.assert_close(q4.covs[0], _cov_t(a, std)[1])
    assert target_sigma(cfg, 0.4) == pytest.approx(float(std[1]))
    with pytest.raises(ScorevizError, match="out of range"):
        target_density(cfg, p, 1e-4)


# ---------------------------------------------------------------- learning
def _sde_session(**kw):
    base = dict(density="8gaussians", objective=ObjectiveConfig(name="sde"), model=ModelConfig(hidden=64, layers=3),
                lr=2e-3, batch=512, seed=0, device="cpu", sampler=SamplerConfig(n_particles=200), grid=8)
    base.update(kw)
    return Session(SessionConfig(**base))


def test_training_on_8gaussians_learns_the_score_at_t_eps():
    """vp with t_eps = 0.05 (std 0.17, half a mode's width): at the default t_eps = 1e-3 (std 0.01) a
    score is std-amplified DSM noise until many thousand steps (see the module ``time_score``'s users)."""
    s = _sde_session(objective=ObjectiveConfig(name="sde", sde="vp", t_eps=0.05), lr=5e-3)
    assert s.cfg.model.time_conditional and s.field_t == 0.05
    f0, rel0 = s.fisher()
    s.train(1200)
    losses = np.array(s.loss_history)
    assert losses[-100:].mean() < 0.7 * losses[:20].mean()
    f1, rel1 = s.fisher()  # at field_t = t_eps
    assert rel0 > 0.9 and rel1 < 0.6 and f1 < 0.6 * f0
    s.set_field_t(0.5)
    assert s.fisher()[1] < 0.05


# ---------------------------------------------------------------- the session
def test_session_time_axis_targets_and_scores():
    s = _sde_session()
    process = s.sde
    assert process == SDE("vp", sigma_min=0.01, sigma_max=1.0, t_eps=1e-3)
    assert s.field_t == 1e-3 and s.cfg.field_t is None
    x = s.density.sample(50, _gen(4))
    torch.testing.assert_close(s.true_score(x), marginal_density(s.density, process, 1e-3).score(x))
    torch.testing.assert_close(s.learned_score(x), sde_score(s.model, process, x, 1e-3).detach())
    v = s.version
    s.set_field_t(0.3)
    assert s.field_t == 0.3 and s.cfg.field_t == 0.3 and s.version == v + 1
    q = s.target
    assert q.name.endswith("@t=0.3")
    torch.testing.assert_close(s.true_score(x), marginal_density(s.density, process, 0.3).score(x))
    torch.testing.assert_close(s.learned_score(x), sde_score(s.model, process, x, 0.3).detach())
    torch.testing.assert_close(s.learned_score(x, t=0.7), sde_score(s.model, process, x, 0.7).detach())
    assert s.target_sigma == pytest.approx(float(process.std(0.3)))
    s.set_field_t(0.3)
    assert s.version == v + 1  # unchanged time: nothing to recompute
    for bad, pattern in ((1e-4, "out of range; allowed 0.001..1"), (1.5, "out of range"), ("x", "must be a number")):
        with pytest.raises(ScorevizError, match=pattern):
            s.set_field_t(bad)
    with pytest.raises(ScorevizError, match="takes a time t, not a noise level"):
        s.learned_score(x, 0.1)
    with pytest.raises(ScorevizError, match="field_t=0.0001 is out of range; allowed 0.001..1"):
        replace(s.cfg, field_t=1e-4)
    dsm = Session(replace(s.cfg, objective=ObjectiveConfig(name="dsm"), model=ModelConfig(hidden=8, layers=1),
                          field_t=None))
    assert dsm.sde is None and dsm.field_t is None
    with pytest.raises(ScorevizError, match="needs objective sde"):
        dsm.set_field_t(0.5)


def test_switching_objective_rebuilds_the_model_time_conditional_and_back():
    s = Session(SessionConfig(density="8gaussians", model=ModelConfig(hidden=16, layers=2), batch=64, device="cpu",
                              sampler=SamplerConfig(n_particles=10)))
    s.train(3)
    msg = s.set_objective(ObjectiveConfig(name="sde", sde="ve", sigma_max=5.0))
    assert "model reset (time conditioning on)" in msg
    assert s.cfg.model.time_conditional and not s.cfg.model.noise_conditional and s.step_count == 0
    assert s.model.cfg.time_conditional and s.sde.kind == "ve" and s.field_t == 1e-5
    s.train(2)
    s.set_field_t(0.5)
    msg = s.set_objective(ObjectiveConfig(name="sde", sde="vp"))  # same architecture: training continues
    assert "continues" in msg and s.step_count == 2 and s.field_t == 0.5
    msg = s.set_objective(ObjectiveConfig(name="ncsn"))
    assert "noise conditioning on" in msg and s.cfg.model.noise_conditional and not s.cfg.model.time_conditional
    msg = s.set_objective(ObjectiveConfig(name="sde", t_eps=0.01))
    assert "time conditioning on" in msg and s.cfg.model.time_conditional and not s.cfg.model.noise_conditional
    msg = s.set_objective(ObjectiveConfig(name="dsm"))
    assert "time conditioning off" in msg and not s.cfg.model.time_conditional and s.sde is None
    # an sde config given a plain model gets the time-conditional one (as ncsn gets noise conditioning)
    cfg = SessionConfig(objective=ObjectiveConfig(name="sde"), model=ModelConfig(noise_conditional=True))
    assert cfg.model.time_conditional and not cfg.model.noise_conditional


def test_particles_with_a_time_conditional_model():
    s = _sde_session(sampler=SamplerConfig(sampler="langevin", n_particles=64, step_size=1e-3))
    process = s.sde
    # plain Langevin: s_theta(x, t_eps)
    x0 = s.particles.clone()
    s.particle_generator = torch.Generator().manual_seed(99)
    s.advance_particles(1)
    z = torch.randn(x0.shape, generator=torch.Generator().manual_seed(99))
    want = x0 + 0.5e-3 * sde_score(s.model, process, x0, 1e-3).detach() + math.sqrt(1e-3) * z
    torch.testing.assert_close(s.particles, want)
    # annealed: times 1 -> t_eps evenly spaced, levels std(t_i), learned or true score
    sc = SamplerConfig(sampler="annealed", n_particles=64, levels=5, steps_per_level=2, step_size=1e-5)
    s.set_sampler(sc)
    times = s.annealing_times
    torch.testing.assert_close(times, torch.linspace(1.0, 1e-3, 5, dtype=F64))
    _, std, _ = _coeffs("vp", times)
    torch.testing.assert_close(s.annealing_sigmas, std)
    assert annealed_refusal("learned", False, time_conditional=True) is None
    s.advance_particles(10)
    assert s.annealing_level == 4 and torch.isfinite(s.particles).all()
    s.set_sampler(replace(sc, score_source="true"))
    s.advance_particles(10)
    assert torch.isfinite(s.particles).all()
    s.set_sampler(replace(sc, levels=1))
    assert s.annealing_times.tolist() == [1e-3]


# ---------------------------------------------------------------- files
def test_session_file_round_trip_is_bit_exact(tmp_path):
    cfg = SessionConfig(density="8gaussians", objective=ObjectiveConfig(name="sde", sde="subvp", t_eps=2e-3,
                                                                        weighting="likelihood"),
                        model=ModelConfig(hidden=16, layers=2, parametrization="energy"), batch=64, seed=3,
                        device="cpu", sampler=SamplerConfig(n_particles=20), field_t=0.25)
    straight = Session(cfg)
    straight.train(20)
    first = Session(cfg)
    first.train(10)
    path = tmp_path / "run.scoreviz"
    save_session(path, first)
    back, _ = load_session(path)
    assert back.cfg == first.cfg and back.cfg.objective.weighting == "likelihood" and back.field_t == 0.25
    assert back.sde == SDE("subvp", sigma_max=1.0, t_eps=2e-3) and back.model.cfg.time_conditional
    back.train(10)
    for (k, a), (_, b) in zip(straight.model.state_dict().items(), back.model.state_dict().items()):
        assert torch.equal(a, b), k
    assert list(back.loss_history) == list(straight.loss_history)


def test_model_json_records_the_process_and_field_arrays_the_time(tmp_path):
    s = _sde_session(objective=ObjectiveConfig(name="sde", sde="ve", sigma_min=0.02, sigma_max=6.0),
                     model=ModelConfig(hidden=16, layers=2))
    s.train(3)
    s.set_field_t(0.4)
    info = model_info(s)
    assert info["sde"] == {"kind": "ve", "sigma_min": 0.02, "sigma_max": 6.0, "beta_min": 0.1, "beta_max": 20.0,
                           "t_eps": 1e-5}
    assert info["t"] == 0.4 and info["objective"]["sde"] == "ve"
    save_model(tmp_path, s)
    model, loaded = load_model(tmp_path)
    assert loaded["sde_config"] == s.sde and model.cfg.time_conditional
    x = s.density.sample(20, _gen(0))
    assert torch.equal(sde_score(model, loaded["sde_config"], x, 0.4), s.learned_score(x, t=0.4))
    # a model.json that pairs objective sde with a plain model is refused in one line
    bad = json.loads((tmp_path / "model.json").read_text())
    bad["model"]["time_conditional"] = False
    (tmp_path / "model.json").write_text(json.dumps(bad))
    with pytest.raises(ScorevizError, match="objective sde and a time-conditional model go together"):
        load_model(tmp_path)
    # field.npz: learned and true at t, the key t, sigma = std(t)
    f = field_arrays(s, n=6)
    assert float(f["t"]) == 0.4 and float(f["sigma"]) == pytest.approx(float(s.sde.std(0.4)))
    pts = torch.tensor(np.stack(np.meshgrid(f["xs"], f["ys"]), -1).reshape(-1, 2), dtype=torch.float32)
    np.testing.assert_allclose(f["true"].reshape(-1, 2), s.marginal(0.4).score(pts).numpy(), rtol=1e-5, atol=1e-5)
    f7 = field_arrays(s, n=6, t=0.7)
    assert float(f7["t"]) == 0.7
    np.testing.assert_allclose(f7["learned"].reshape(-1, 2), s.learned_score(pts, t=0.7).numpy(), rtol=1e-5, atol=1e-5)
    dsm = Session(SessionConfig(density="8gaussians", model=ModelConfig(hidden=8, layers=1), device="cpu",
                                sampler=SamplerConfig(n_particles=10)))
    assert "t" not in field_arrays(dsm, n=4)
    with pytest.raises(ScorevizError, match="needs objective sde"):
        field_arrays(dsm, n=4, t=0.5)
