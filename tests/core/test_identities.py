"""The score-matching identities, measured (scoreviz.core.identities; MATH.md "Checks that must hold").

For any fixed field s, on one shared batch: E[esm] = E[ism] + c = E[ssm] + c = E[ssm-vr] + c with
c = ½E‖∇log p‖², and E[esm_σ] = E[dsm] − C with C = 1/σ² − ½E‖∇log p_σ‖².  Checked for untrained,
briefly and longer trained networks of both parametrisations, noise- and time-conditional ones, and the
exact score itself; the constants (exact for a single Gaussian, Monte Carlo otherwise); where the
estimators' per-sample noise comes from (dsm's 1/σ², ssm's projections); determinism and refusals."""

from __future__ import annotations

import json
import math

import pytest
import torch
from torch import nn

from scoreviz.core.densities import make_preset, mixture_density
from scoreviz.core.errors import ScorevizError
from scoreviz.core.identities import (ESTIMATORS, EXACT, IDENTITIES, MONTE_CARLO, IdentityProbe, half_mean_sq_score,
                                      identities)
from scoreviz.core.models import ModelConfig, ScoreModel
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.session import SamplerConfig, Session, SessionConfig

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/conftest.py

WITHIN = 4.0  # standard errors


def session(density="8gaussians", parametrization="vector", objective="dsm", seed=1, **objective_settings):
    cfg = SessionConfig(density=density, model=ModelConfig(hidden=48, layers=2, parametrization=parametrization),
                        objective=ObjectiveConfig(name=objective, **objective_settings), batch=256, device="cpu",
                        seed=seed, sampler=SamplerConfig(n_particles=16))
    return Session(cfg)


def assert_identities_hold(result):
    for name in IDENTITIES:
        assert abs(result.z_score(name)) < WITHIN, (name, result.differences[name], result.standard_errors[name])


class ExactGaussianScore(nn.Module):
    """The exact score −Σ⁻¹(x − μ) of a one-component mixture, as a field (a real function, no parameters)."""

    def __init__(self, density):
        super().__init__()
        self.precision = torch.linalg.inv(density.covs[0]).float()
        self.mean = density.means[0].float()

    def forward(self, x):
        return -(x - self.mean) @ self.precision.T


# ---------------------------------------------------------------------------- the identities hold
@pytest.mark.parametrize("density, parametrization, objective, sigma", [
    ("8gaussians", "vector", "dsm", 0.1),
    ("8gaussians", "energy", "esm", 0.3),
    ("gaussian", "vector", "esm", 0.5),
    ("gaussian", "energy", "dsm", 0.3),
])
def test_the_four_identities_hold_untrained_briefly_and_longer_trained(density, parametrization, objective, sigma):
    s = session(density, parametrization, objective, sigma=0.1)
    probe = IdentityProbe(s.density, n=3000, sigma=sigma, seed=5)
    method = EXACT if density == "gaussian" else MONTE_CARLO
    assert probe.half_mean_sq_true_score.method == method and probe.perturbed_half_mean_sq_score.method == method
    results = []
    for steps in (0, 200, 600):
        s.train(steps - s.step_count)
        r = probe.measure(s.model)
        assert_identities_hold(r)
        # the shifts matter: without the constants the differences are tens of standard errors from 0
        assert abs(r.values["esm"] - r.values["ism"]) > 10 * r.standard_errors["esm_minus_ism_shifted"]
        assert abs(r.values["esm_sigma"] - r.values["dsm"]) > 10 * r.standard_errors["esm_sigma_minus_dsm_shifted"]
        results.append(r)
    assert results[-1].values["esm"] < 0.9 * results[0].values["esm"]  # training moved the field toward ∇log p


def test_noise_and_time_conditional_models_are_read_at_sigma_and_at_t_eps():
    ncsn = session(objective="ncsn", sigma_min=0.05, sigma_max=1.0)
    ncsn.train(150)
    r = IdentityProbe(ncsn.density, n=3000, sigma=0.2, seed=2).measure(ncsn.model)
    assert r.t is None
    assert_identities_hold(r)
    sde = session(objective="sde", sde="vp")
    sde.train(150)
    probe = IdentityProbe(sde.density, n=3000, sigma=0.3, seed=2)
    at_eps = probe.measure(sde.model, sde=sde.sde)
    assert at_eps.t == pytest.approx(sde.sde.t_eps) and at_eps.to_dict()["t"] == at_eps.t
    assert_identities_hold(at_eps)
    later = probe.measure(sde.model, sde=sde.sde, t=0.3)
    assert later.t == 0.3 and later.values["esm"] != at_eps.values["esm"]
    assert_identities_hold(later)
    with pytest.raises(ScorevizError, match="process"):
        probe.measure(sde.model)  # a time-conditional model's score needs its process
    with pytest.raises(ScorevizError, match="time-conditional"):
        probe.measure(ncsn.model, t=0.5)


def test_pairing_on_the_shared_batch_pays_when_the_field_is_far_from_the_true_score():
    s = session("8gaussians", "vector", "esm")
    s.train(300)
    r = IdentityProbe(make_preset("ncsn-mixture"), n=3000, sigma=0.3, seed=5).measure(s.model)  # another density
    assert r.values["esm"] > 50
    assert_identities_hold(r)
    # the shared ½‖s‖² cancels in the paired differences (dsm's ½‖z‖²/σ² does not)
    for name, factor in (("esm_minus_ism_shifted", 0.5), ("esm_minus_ssm_vr_shifted", 0.5),
                         ("esm_sigma_minus_dsm_shifted", 0.8)):
        ident = IDENTITIES[name]
        unpaired = math.hypot(r.standard_errors[ident.left], r.standard_errors[ident.right])
        assert r.standard_errors[name] < factor * unpaired, name


def test_the_exact_score_has_zero_esm_and_the_identities_hold():
    density = make_preset("gaussian")
    r = IdentityProbe(density, n=4000, sigma=0.3, seed=1).measure(ExactGaussianScore(density))
    assert r.values["esm"] < 1e-10 and r.std["esm"] < 1e-10
    # ism = −c in expectation; esm_σ > 0 (s is p's score, not p_σ's)
    assert abs(r.values["ism"] + r.half_mean_sq_true_score.value) < WITHIN * r.standard_errors["ism"]
    assert r.values["esm_sigma"] > 0
    assert_identities_hold(r)


# ---------------------------------------------------------------------------- the constants
@pytest.mark.parametrize("sigma", [0.0, 0.4])
def test_the_exact_constant_of_a_single_gaussian_matches_monte_carlo(sigma):
    density = make_preset("gaussian").perturbed(sigma)
    exact = half_mean_sq_score(density)
    cov = torch.tensor([[1.5**2, 0.6 * 1.5], [0.6 * 1.5, 1.0]], dtype=torch.float64) + sigma**2 * torch.eye(2)
    assert exact.method == EXACT and exact.standard_error == 0 and exact.samples == 0
    assert exact.value == pytest.approx(0.5 * float(torch.linalg.inv(cov).trace()), rel=1e-6)
    mc = half_mean_sq_score(density, 200_000, torch.Generator().manual_seed(7), exact=False)
    assert mc.method == MONTE_CARLO and mc.samples == 200_000
    assert abs(mc.value - exact.value) < WITHIN * mc.standard_error
    assert mc.standard_error < 0.01 * exact.value


def test_only_a_single_gaussian_has_the_exact_constant():
    one = mixture_density([1.0], [[1.0, -2.0]], [[[0.5, 0.1], [0.1, 0.25]]])
    assert half_mean_sq_score(one).method == EXACT
    two = mixture_density([0.5, 0.5], [[1.0, -2.0], [3.0, 0.0]], [[[0.5, 0.1], [0.1, 0.25]]] * 2)
    assert half_mean_sq_score(two, 1000, torch.Generator().manual_seed(0)).method == MONTE_CARLO
    probe = IdentityProbe(make_preset("checkerboard"), n=500, constant_samples=5000)
    assert probe.half_mean_sq_true_score.method == MONTE_CARLO
    d = probe.measure(ScoreModel(ModelConfig(hidden=16, layers=1))).to_dict()
    assert d["half_mean_sq_true_score_method"] == d["dsm_constant_method"] == MONTE_CARLO
    assert d["constant_samples"] == 5000 and d["standard_errors"]["dsm_constant"] > 0
    assert d["dsm_constant"] == pytest.approx(1 / 0.1**2 - probe.perturbed_half_mean_sq_score.value)


# ---------------------------------------------------------------------------- where the noise comes from
def test_dsm_per_sample_noise_grows_as_one_over_sigma_squared():
    s = session()
    s.train(200)
    stds = []
    for sigma in (0.5, 0.1, 0.02):
        r = IdentityProbe(s.density, n=3000, sigma=sigma, seed=3, constant_samples=20_000).measure(s.model)
        assert_identities_hold(r)
        stds.append(r.std["dsm"])
    assert stds[0] < stds[1] < stds[2]
    assert stds[2] * 0.02**2 == pytest.approx(1.0, rel=0.1)  # ½‖z‖²/σ² dominates: std(½‖z‖²) = 1 in 2-D
    assert stds[2] > 100 * stds[0]


def test_sliced_estimators_carry_projection_noise_on_top_of_ism():
    model = ScoreModel(ModelConfig(hidden=48, layers=2))
    density = make_preset("8gaussians")
    for projection in ("gaussian", "rademacher", "sphere"):  # Var(ssm) = Var(ism) + E_x Var_v(ssm | x)
        r = IdentityProbe(density, n=3000, seed=4, projection=projection, constant_samples=1000).measure(model)
        assert r.std["ism"] < min(r.std["ssm_vr"], r.std["ssm"]), projection
    one = IdentityProbe(density, n=3000, seed=4, projections=1, constant_samples=1000).measure(model)
    eight = IdentityProbe(density, n=3000, seed=4, projections=8, constant_samples=1000).measure(model)
    assert eight.std["ssm"] < 0.7 * one.std["ssm"] and eight.std["ssm_vr"] < 0.7 * one.std["ssm_vr"]
    assert eight.projections == 8 and eight.to_dict()["projections"] == 8


def test_ssm_vr_is_not_always_the_quieter_one():
    """Exact score of N(μ, Σ): Var(ssm) − Var(ssm-vr) = E[½‖s‖⁴ + 2sᵀJs] = −½(λ₁ − λ₂)² with gaussian
    projections (λ: eigenvalues of Σ⁻¹), but E[s₀²s₁² + 4J̄₀₁s₀s₁] = 1 > 0 with rademacher ones on N(0, I)."""
    density = make_preset("gaussian")
    field = ExactGaussianScore(density)
    lam = torch.linalg.eigvalsh(torch.linalg.inv(density.covs[0]))
    predicted = -0.5 * float(lam[1] - lam[0]) ** 2  # -1.16; the estimate's spread over seeds is about 0.3
    g = IdentityProbe(density, n=60_000, seed=0, projection="gaussian").measure(field)
    assert predicted - 0.9 < g.std["ssm"] ** 2 - g.std["ssm_vr"] ** 2 < -0.3
    assert g.std["ssm_vr"] > g.std["ssm"]
    standard = make_preset("gaussian", std_x=1.0, std_y=1.0, correlation=0.0)  # Var(ssm-vr) = 1, Var(ssm) = 2
    for projection in ("rademacher", "sphere"):
        r = IdentityProbe(standard, n=20_000, seed=0, projection=projection).measure(ExactGaussianScore(standard))
        assert 0.75 < r.std["ssm"] ** 2 - r.std["ssm_vr"] ** 2 < 1.25, projection
        assert r.std["ssm_vr"] < 0.8 * r.std["ssm"], projection
        assert_identities_hold(r)


# ---------------------------------------------------------------------------- the API
def test_a_seed_gives_the_same_result_and_the_model_is_left_alone():
    s = session(parametrization="energy", objective="esm")
    s.train(20)
    s.model.train()
    before = {k: v.clone() for k, v in s.model.state_dict().items()}
    grads = [p.grad if p.grad is None else p.grad.clone() for p in s.model.parameters()]  # the last step's
    density = s.density
    a = identities(s.model, density, n=500, sigma=0.2, seed=3, constant_samples=2000)
    b = identities(s.model, density, n=500, sigma=0.2, seed=3, constant_samples=2000, device="cpu")
    c = identities(s.model, density, n=500, sigma=0.2, seed=4, constant_samples=2000)
    assert a == b and a["esm"] != c["esm"]
    assert s.model.training
    assert all(p.grad is g is None or torch.equal(p.grad, g) for p, g in zip(s.model.parameters(), grads))
    assert all(torch.equal(before[k], v) for k, v in s.model.state_dict().items())
    probe = IdentityProbe(density, n=500, sigma=0.2, seed=3, constant_samples=2000)
    assert probe.measure(s.model).to_dict() == a  # the probe is the function, reused
    # the errors: per-sample std / √n; a difference's from its paired values, plus the constant's in quadrature
    per, _ = probe.per_sample(s.model)
    assert all(v.shape == (500,) and v.dtype == torch.float64 for v in per.values())
    for name, ident in IDENTITIES.items():
        paired = float((per[ident.left] - per[ident.right]).std()) / math.sqrt(500)
        assert a["standard_errors"][name] == pytest.approx(math.hypot(paired, a["standard_errors"][ident.constant]))
        assert a[name] == pytest.approx(a[ident.left] - a[ident.right] - ident.sign * a[ident.constant])
    assert a["standard_errors"]["esm"] == pytest.approx(a["std"]["esm"] / math.sqrt(500))


def test_the_result_is_json_with_the_documented_keys():
    d = identities(ScoreModel(ModelConfig(hidden=16, layers=1)), make_preset("gaussian"), n=200, seed=1)
    assert set(ESTIMATORS) <= set(d) and set(IDENTITIES) <= set(d)
    assert {"sigma", "n", "seed", "projections", "projection", "half_mean_sq_true_score",
            "half_mean_sq_true_score_method", "dsm_constant", "dsm_constant_method", "constant_samples",
            "standard_errors", "std"} <= set(d) and "t" not in d
    assert set(d["standard_errors"]) == {*ESTIMATORS, *IDENTITIES, "half_mean_sq_true_score", "dsm_constant"}
    assert set(d["std"]) == set(ESTIMATORS)
    assert d["n"] == 200 and d["sigma"] == 0.1 and d["constant_samples"] == 0
    assert d["dsm_constant"] == pytest.approx(1 / 0.01 - 0.5 * float(torch.linalg.inv(
        make_preset("gaussian").covs[0] + 0.01 * torch.eye(2, dtype=torch.float64)).trace()))
    json.dumps(d, allow_nan=False)
    assert all(isinstance(d[k], float) and math.isfinite(d[k]) for k in (*ESTIMATORS, *IDENTITIES))


@pytest.mark.parametrize("settings, needle", [
    ({"n": 1}, "n=1"),
    ({"n": 2.5}, "n=2.5"),
    ({"sigma": 0.0}, "sigma=0.0"),
    ({"sigma": -1}, "sigma=-1"),
    ({"projections": 0}, "projections=0"),
    ({"projection": "cube"}, "cube"),
    ({"seed": -1}, "seed=-1"),
    ({"constant_samples": 1}, "constant_samples=1"),
])
def test_bad_settings_are_refused_with_one_line(settings, needle):
    with pytest.raises(ScorevizError) as e:
        IdentityProbe(make_preset("gaussian"), **{"n": 100, **settings})
    assert needle in str(e.value) and "\n" not in str(e.value)
