"""Objectives against their formulas and the checks MATH.md says must hold."""

import math

import pytest
import torch
from torch import nn

from scoreviz.core.errors import ScorevizError
from scoreviz.core.metrics import fisher_divergence
from scoreviz.core.mixture import GaussianMixture
from scoreviz.core.models import ModelConfig, ScoreModel
from scoreviz.core.objectives import (
    OBJECTIVE_INFO,
    OBJECTIVES,
    PROJECTIONS,
    ObjectiveConfig,
    _projections,
    check_compatible,
    compute_loss,
    sigmas,
    target_density,
    target_sigma,
)

F64 = torch.float64


def _mixture():
    covs = torch.tensor([[[0.5, 0.1], [0.1, 0.3]], [[0.3, 0.0], [0.0, 0.6]]])
    return GaussianMixture([0.4, 0.6], [[-1.5, 0.0], [1.5, 0.5]], covs)


def _model(seed, dtype=F64, **kw):
    torch.manual_seed(seed)
    kw = {"hidden": 32, "layers": 2, **kw}
    return ScoreModel(ModelConfig(**kw)).to(dtype)


def _gen(seed):
    return torch.Generator().manual_seed(seed)


def _per_sample(name, model, x, density, seed=0, **cfg):
    return OBJECTIVES[name](ObjectiveConfig(name=name, **cfg), model, x, density, _gen(seed))


def _mean_se(v):
    return v.mean().item(), (v.std() / math.sqrt(v.numel())).item()


class Affine(nn.Module):
    """s(x) = A x + b (an unconditional score model with 6 parameters)."""

    def __init__(self, a, b):
        super().__init__()
        self.a = nn.Parameter(torch.as_tensor(a, dtype=F64).clone())
        self.b = nn.Parameter(torch.as_tensor(b, dtype=F64).clone())

    def forward(self, x):
        return x @ self.a.T + self.b


class Recorder(nn.Module):
    """A fixed smooth field that records what the objective fed it."""

    def __init__(self, noise_conditional):
        super().__init__()
        self.cfg = ModelConfig(hidden=1, layers=1, noise_conditional=noise_conditional)
        self.calls = []

    def forward(self, x, sigma=None):
        self.calls.append((x.detach().clone(), None if sigma is None else torch.as_tensor(sigma).clone()))
        out = torch.stack([torch.sin(x[:, 1]) - x[:, 0], x[:, 0] * x[:, 1] - 0.5 * x[:, 1]], 1)
        return out if sigma is None else out / torch.as_tensor(sigma, dtype=x.dtype).reshape(-1, 1)


# ---------------------------------------------------------------- exact formulas
def test_esm_formula():
    p = _mixture()
    x = p.sample(50, _gen(0)).to(F64)
    m = _model(1)
    got = _per_sample("esm", m, x, p)
    want = 0.5 * (m(x) - p.score(x)).square().sum(-1)
    torch.testing.assert_close(got, want)


def test_dsm_formula_and_noise():
    p = _mixture()
    x = p.sample(4000, _gen(0)).to(F64)
    rec = Recorder(noise_conditional=False)
    sigma = 0.3
    got = _per_sample("dsm", rec, x, p, sigma=sigma)
    (xt, sig), = rec.calls
    assert sig is None
    want = 0.5 * (rec(xt) + (xt - x) / sigma**2).square().sum(-1)
    torch.testing.assert_close(got, want)
    z = (xt - x) / sigma  # must be N(0, I)
    assert z.mean(0).abs().max() < 4 / math.sqrt(4000)
    torch.testing.assert_close(torch.cov(z.T), torch.eye(2, dtype=F64), atol=0.1, rtol=0)


def test_dsm_passes_sigma_to_noise_conditional_model():
    p = _mixture()
    x = p.sample(10, _gen(0)).to(F64)
    rec = Recorder(noise_conditional=True)
    _per_sample("dsm", rec, x, p, sigma=0.25)
    assert float(rec.calls[0][1]) == 0.25


def test_ncsn_formula_levels_and_weighting():
    p = _mixture()
    n = 6000
    x = p.sample(n, _gen(0)).to(F64)
    rec = Recorder(noise_conditional=True)
    cfg = dict(sigma_max=2.0, sigma_min=0.1, levels=4)
    got = _per_sample("ncsn", rec, x, p, **cfg)
    (xt, sig), = rec.calls
    assert sig.shape == (n,)
    levels = sigmas(ObjectiveConfig(name="ncsn", **cfg)).to(F64)
    torch.testing.assert_close(levels, torch.tensor([2.0, 2.0 * 20 ** (-1 / 3), 2.0 * 20 ** (-2 / 3), 0.1], dtype=F64))
    # every sample uses one of the levels, each level about 1/L of the time
    hit = (sig[:, None] / levels[None] - 1).abs() < 1e-6
    assert hit.any(1).all()
    frac = hit.double().mean(0)
    assert (frac - 0.25).abs().max() < 4 * math.sqrt(0.25 * 0.75 / n)
    # lambda(sigma) * 1/2 ||s(x~, sigma) + (x~ - x)/sigma^2||^2, lambda = sigma^2
    s = rec(xt, sig)
    want = sig**2 * 0.5 * (s + (xt - x) / sig[:, None] ** 2).square().sum(-1)
    torch.testing.assert_close(got, want)
    z = (xt - x) / sig[:, None]
    torch.testing.assert_close(torch.cov(z.T), torch.eye(2, dtype=F64), atol=0.1, rtol=0)


def test_ism_trace_matches_jacobian_and_finite_differences():
    p = _mixture()
    x = p.sample(12, _gen(3)).to(F64)
    for m in (_model(1), _model(2, activation="tanh", parametrization="energy")):
        s = m(x).detach()
        trace = _per_sample("ism", m, x, p) - 0.5 * s.square().sum(-1)
        jac_tr = torch.stack([torch.autograd.functional.jacobian(lambda q: m(q[None])[0], xi).trace() for xi in x])
        torch.testing.assert_close(trace, jac_tr, atol=1e-10, rtol=1e-9)
        h = 1e-5
        fd = sum((m(x + h * e)[:, i] - m(x - h * e)[:, i]) / (2 * h) for i, e in enumerate(torch.eye(2, dtype=F64)))
        torch.testing.assert_close(trace, fd.detach(), atol=1e-6, rtol=1e-6)


def test_projection_distributions():
    x = torch.zeros(1, 2)
    n = 200_000
    cfgs = {k: ObjectiveConfig(name="ssm", projection=k) for k in PROJECTIONS}
    v = {k: _projections(c, (n, 2), x, _gen(1)) for k, c in cfgs.items()}
    assert set(v["rademacher"].unique().tolist()) == {-1.0, 1.0}
    torch.testing.assert_close(v["sphere"].norm(dim=1), torch.full((n,), math.sqrt(2.0)))
    for k, vk in v.items():
        second = vk.double().T @ vk.double() / n  # E[v v^T] = I
        torch.testing.assert_close(second, torch.eye(2, dtype=F64), atol=0.02, rtol=0, msg=k)


# ---------------------------------------------------------------- MATH.md identities
@pytest.mark.parametrize("seed, kw", [(1, {}), (2, {"activation": "softplus", "parametrization": "energy"})])
def test_esm_minus_ism_is_half_true_score_norm(seed, kw):
    """E[esm] - E[ism] = 1/2 E||s(x)||^2 for a fixed theta (Monte Carlo, SE-based tolerance)."""
    p = _mixture()
    n = 100_000
    x = p.sample(n, _gen(seed)).to(F64)
    m = _model(seed, **kw)
    esm = _per_sample("esm", m, x, p).detach()
    ism = _per_sample("ism", m, x, p).detach()
    half_norm = 0.5 * p.score(x).square().sum(-1)
    d, se = _mean_se(esm - ism - half_norm)  # per-sample terms, paired: mean 0
    assert abs(d) < 4 * se
    assert se < 0.02 * half_norm.mean().item()  # the check has teeth
    assert abs(esm.mean() - ism.mean() - half_norm.mean()) < 4 * se


@pytest.mark.parametrize("projection", PROJECTIONS)
@pytest.mark.parametrize("name", ["ssm", "ssm-vr"])
def test_sliced_is_unbiased_for_ism(name, projection):
    """E_v[ssm] = E_v[ssm-vr] = ism at fixed theta and fixed x."""
    p = _mixture()
    m = _model(4)
    pts = torch.tensor([[-1.5, 0.2], [0.1, -0.3], [1.8, 0.9]], dtype=F64)
    reps = 30_000
    x = pts.repeat(reps, 1)  # (reps*3, 2)
    vals = _per_sample(name, m, x, p, seed=7, projection=projection).detach().view(reps, 3)
    ism = _per_sample("ism", m, pts, p).detach()
    for j in range(3):
        mean, se = _mean_se(vals[:, j])
        assert abs(mean - ism[j].item()) < 4.5 * se + 1e-9, (j, mean, ism[j].item(), se)


def test_several_projections_average():
    """K projections per sample = the mean of K one-projection estimates (same expectation, less variance)."""
    p = _mixture()
    m = _model(4)
    x = torch.tensor([[0.1, -0.3]], dtype=F64).repeat(4000, 1)
    one = _per_sample("ssm", m, x, p, seed=1, projections=1).detach()
    eight = _per_sample("ssm", m, x, p, seed=1, projections=8).detach()
    assert eight.shape == (4000,)
    assert eight.var() < one.var() / 4
    m1, se1 = _mean_se(one)
    m8, se8 = _mean_se(eight)
    assert abs(m1 - m8) < 4.5 * math.hypot(se1, se8)


def _gaussian(mu, cov):
    return GaussianMixture([1.0], mu[None], torch.as_tensor(cov, dtype=F64)[None])


MU = torch.tensor([1.0, -1.0], dtype=F64)
COV = torch.tensor([[1.0, 0.5], [0.5, 2.0]], dtype=F64)
SIGMA = 0.7


def _dsm_optimum():
    prec = torch.linalg.inv(COV + SIGMA**2 * torch.eye(2, dtype=F64))
    return -prec, prec @ MU  # s(x) = -(Sigma + sigma^2 I)^-1 (x - mu)


def test_true_gaussian_score():
    p = _gaussian(MU, COV)
    x = p.sample(20, _gen(0)).to(F64)
    torch.testing.assert_close(p.score(x), -(x - MU) @ torch.linalg.inv(COV).T)


def test_dsm_expected_loss_is_minimised_at_perturbed_gaussian_score():
    p = _gaussian(MU, COV)
    n = 200_000
    x = p.sample(n, _gen(0)).to(F64)
    a_opt, b_opt = _dsm_optimum()

    def loss(a, b):  # common random numbers: same x, same noise for every field
        with torch.no_grad():
            return compute_loss(ObjectiveConfig(name="dsm", sigma=SIGMA), Affine(a, b), x, p, _gen(1)).item()

    best = loss(a_opt, b_opt)
    second = COV + SIGMA**2 * torch.eye(2, dtype=F64) + torch.outer(MU, MU)  # E[x~ x~^T]
    g = _gen(2)
    for _ in range(6):
        da = 0.1 * torch.randn(2, 2, generator=g, dtype=F64)
        db = 0.1 * torch.randn(2, generator=g, dtype=F64)
        gap = loss(a_opt + da, b_opt + db) - best
        # at the optimum the first-order term vanishes: gap = 1/2 E||da x~ + db||^2
        want = 0.5 * ((da @ second @ da.T).trace() + 2 * db @ da @ MU + db @ db).item()
        assert gap > 0
        assert abs(gap - want) < 0.1 * want
    # the clean score -Sigma^-1 (x - mu) is NOT the dsm optimum
    prec = torch.linalg.inv(COV)
    assert loss(-prec, prec @ MU) - best > 0.01


def test_dsm_training_finds_perturbed_gaussian_score():
    p = _gaussian(MU, COV)
    torch.manual_seed(0)
    model = Affine(torch.zeros(2, 2), torch.zeros(2))
    cfg = ObjectiveConfig(name="dsm", sigma=SIGMA)
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.99)
    g = _gen(0)
    for _ in range(600):
        x = p.sample(1024, g).to(F64)
        loss = compute_loss(cfg, model, x, p, g)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    a_opt, b_opt = _dsm_optimum()
    torch.testing.assert_close(model.a.detach(), a_opt, atol=0.02, rtol=0)
    torch.testing.assert_close(model.b.detach(), b_opt, atol=0.02, rtol=0)


# ---------------------------------------------------------------- learning
@pytest.mark.parametrize("name", [n for n in OBJECTIVES if n != "sde"])  # sde: tests/core/test_sde_objective.py
def test_each_objective_lowers_fisher_divergence(name):
    p = _mixture()
    cfg = ObjectiveConfig(name=name, sigma=0.3, sigma_max=2.0, sigma_min=0.2, levels=6)
    torch.manual_seed(0)
    model = ScoreModel(ModelConfig(hidden=32, layers=2, noise_conditional=(name == "ncsn")))
    q, sig = target_density(cfg, p), target_sigma(cfg)

    def score(x):
        return model.score(x, sig) if name == "ncsn" else model.score(x)

    f0, rel0 = fisher_divergence(score, q, generator=_gen(5))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    g = _gen(0)
    for _ in range(300):
        loss = compute_loss(cfg, model, p.sample(256, g), p, g)
        opt.zero_grad()
        loss.backward()
        opt.step()
    f1, rel1 = fisher_divergence(score, q, generator=_gen(5))
    assert rel0 > 0.9
    assert f1 < 0.3 * f0
    assert rel1 < (0.4 if name == "ncsn" else 0.15)


# ---------------------------------------------------------------- determinism, API
@pytest.mark.parametrize("name", list(OBJECTIVES))
def test_same_seed_bit_identical(name):
    p = _mixture()
    cfg = ObjectiveConfig(name=name, projections=2, sigma_max=2.0, sigma_min=0.2, levels=5)
    x = p.sample(128, _gen(0))
    results = []
    for seed in (3, 3, 4):
        model = _model(0, dtype=torch.float32, parametrization="energy", noise_conditional=(name == "ncsn"),
                       time_conditional=(name == "sde"))
        loss = compute_loss(cfg, model, x, p, _gen(seed))
        loss.backward()
        results.append((loss.detach(), [q.grad.clone() for q in model.parameters() if q.grad is not None]))
    (l1, g1), (l2, g2), (l3, _) = results
    assert l1.shape == () and torch.equal(l1, l2)
    assert all(torch.equal(a, b) for a, b in zip(g1, g2))
    if name not in ("esm", "ism"):  # the stochastic ones depend on the generator
        assert not torch.equal(l1, l3)


def test_compute_loss_is_batch_mean():
    p = _mixture()
    x = p.sample(64, _gen(0)).to(F64)
    m = _model(1)
    for name in OBJECTIVES:
        kw = {}
        if name == "ncsn":
            m = _model(1, noise_conditional=True)
        if name == "sde":
            m = _model(1, time_conditional=True)
        cfg = ObjectiveConfig(name=name, **kw)
        per = OBJECTIVES[name](cfg, m, x, p, _gen(9))
        assert per.shape == (64,)
        torch.testing.assert_close(compute_loss(cfg, m, x, p, _gen(9)), per.mean())


def test_registry_and_info():
    assert list(OBJECTIVES) == ["esm", "ism", "ssm", "ssm-vr", "dsm", "ncsn", "sde"]
    assert set(OBJECTIVE_INFO) == set(OBJECTIVES)
    fields = set(ObjectiveConfig().to_dict())
    for name, (desc, formula, params) in OBJECTIVE_INFO.items():
        assert desc and "\n" not in desc and formula
        assert set(params) <= fields
        assert OBJECTIVES[name].__doc__ and "½" in OBJECTIVES[name].__doc__
    assert OBJECTIVE_INFO["ssm"].formula == "vᵀ∇ₓs_θ(x)v + ½(vᵀs_θ(x))²"  # not the seed's slip
    assert OBJECTIVE_INFO["dsm"].params == ("sigma",)


def test_targets():
    p = _mixture()
    x = p.sample(30, _gen(0))
    for name in ("esm", "ism", "ssm", "ssm-vr"):
        cfg = ObjectiveConfig(name=name)
        assert target_density(cfg, p) is p and target_sigma(cfg) == 0
    cfg = ObjectiveConfig(name="dsm", sigma=0.4)
    assert target_sigma(cfg) == 0.4
    q = target_density(cfg, p)
    torch.testing.assert_close(q.covs, p.covs + 0.16 * torch.eye(2, dtype=F64))
    torch.testing.assert_close(q.score(x), p.perturbed(0.4).score(x))
    cfg = ObjectiveConfig(name="ncsn", sigma_max=3.0, sigma_min=0.05, levels=7)
    assert target_sigma(cfg) == 0.05
    torch.testing.assert_close(target_density(cfg, p).covs, p.covs + 0.0025 * torch.eye(2, dtype=F64))


def test_sigmas_geometric():
    s = sigmas(ObjectiveConfig(name="ncsn", sigma_max=20.0, sigma_min=1.0, levels=10)).double()
    assert s.shape == (10,) and s[0] == 20.0 and s[-1] == 1.0
    ratios = s[1:] / s[:-1]
    torch.testing.assert_close(ratios, torch.full((9,), 20 ** (-1 / 9), dtype=F64), rtol=1e-6, atol=0)
    assert sigmas(ObjectiveConfig(levels=1)).tolist() == [pytest.approx(0.01)]


def test_config_round_trip():
    cfg = ObjectiveConfig(name="ssm-vr", sigma=0.2, sigma_max=3.0, sigma_min=0.1, levels=5, projections=4,
                          projection="sphere")
    assert ObjectiveConfig.from_dict(cfg.to_dict()) == cfg
    assert ObjectiveConfig.from_dict({}) == ObjectiveConfig()
    assert ObjectiveConfig().to_dict() == {"name": "dsm", "sigma": 0.1, "sigma_max": 1.0, "sigma_min": 0.01,
                                           "levels": 10, "projections": 1, "projection": "gaussian",
                                           "sde": "vp", "beta_min": 0.1, "beta_max": 20.0, "t_eps": 0.0,
                                           "weighting": "sigma2"}
    with pytest.raises(ScorevizError, match="'noise'"):
        ObjectiveConfig.from_dict({"noise": 1})


@pytest.mark.parametrize(
    "kw, pattern",
    [
        ({"name": "sm"}, r"'sm'.*esm, ism, ssm, ssm-vr, dsm, ncsn"),
        ({"sigma": 0.0}, "objective sigma=0.0 is out of range; allowed 0 < sigma <= 1000"),
        ({"sigma": -1}, "sigma=-1 is out of range"),
        ({"sigma": "big"}, "sigma='big' must be a number"),
        ({"sigma": float("nan")}, "finite"),
        ({"sigma_min": 0.0}, "sigma_min=0.0 is out of range"),
        ({"sigma_max": 0.5, "sigma_min": 0.5}, "sigma_max must be > sigma_min"),
        ({"levels": 0}, "objective levels=0 is out of range; allowed 1..1000"),
        ({"projections": 0}, "projections=0 is out of range; allowed 1..64"),
        ({"projection": "uniform"}, r"'uniform'.*gaussian, rademacher, sphere"),
    ],
)
def test_bad_config_refused(kw, pattern):
    with pytest.raises(ScorevizError, match=pattern):
        ObjectiveConfig(**kw)


def test_check_compatible():
    with pytest.raises(ScorevizError, match="objective 'ism' needs a differentiable score; activation 'relu'"):
        check_compatible(ObjectiveConfig(name="ism"), ModelConfig(activation="relu"))
    with pytest.raises(ScorevizError, match="noise-conditional"):
        check_compatible(ObjectiveConfig(name="ncsn"), ModelConfig())
    with pytest.raises(ScorevizError, match="noise-conditional"):
        check_compatible(ObjectiveConfig(name="esm"), ModelConfig(noise_conditional=True))
    for name in OBJECTIVES:
        check_compatible(ObjectiveConfig(name=name), ModelConfig(noise_conditional=name == "ncsn",
                                                                 time_conditional=name == "sde"))
    check_compatible(ObjectiveConfig(name="dsm"), ModelConfig(noise_conditional=True))
    check_compatible(ObjectiveConfig(name="esm"), ModelConfig(activation="relu"))


def test_ncsn_refuses_unconditional_model():
    p = _mixture()
    with pytest.raises(ScorevizError, match="noise-conditional"):
        compute_loss(ObjectiveConfig(name="ncsn"), _model(0, dtype=torch.float32), p.sample(8, _gen(0)), p, _gen(0))
