"""The point probe (core/probe.py): values equal the core's own functions at the point; divergence and
curl against finite differences; an energy model's curl is zero to rounding; Tweedie's estimate with
the exact score is the Gaussian posterior mean."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from scoreviz.core.models import ModelConfig
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.probe import curl_on_grid, learned_score_fn, probe_point
from scoreviz.core.session import SamplerConfig, Session, SessionConfig


def _session(objective="dsm", parametrization="vector", density="8gaussians", steps=0, **params):
    cfg = SessionConfig(density=density, density_params=params, objective=ObjectiveConfig(name=objective),
                        model=ModelConfig(hidden=32, layers=2, parametrization=parametrization), batch=64, seed=1,
                        device="cpu", sampler=SamplerConfig(n_particles=16))
    s = Session(cfg)
    s.train(steps)
    return s


def _fd_jacobian(session, x, y, h=1e-3):
    """Central differences of Session.learned_score, in float64 arithmetic on float32 evaluations."""
    def s(px, py):
        return session.learned_score(torch.tensor([[px, py]], dtype=torch.float32))[0].double().numpy()
    dx = (s(x + h, y) - s(x - h, y)) / (2 * h)
    dy = (s(x, y + h) - s(x, y - h)) / (2 * h)
    return np.stack([dx, dy], 1)  # J[i, j] = ds_i/dx_j


@pytest.mark.parametrize("objective", ["dsm", "ncsn", "sde", "esm"])
def test_probe_equals_the_core_functions(objective):
    s = _session(objective, steps=5)
    x, y = 0.7, -1.2
    p = probe_point(s, x, y)
    pt = torch.tensor([[x, y]])
    assert p["learned_score"] == pytest.approx(s.learned_score(pt)[0].tolist(), rel=1e-5, abs=1e-5)
    assert p["true_score"] == pytest.approx(s.true_score(pt)[0].tolist(), rel=1e-6, abs=1e-6)
    assert p["log_q"] == pytest.approx(float(s.target.log_prob(pt)[0]), rel=1e-6, abs=1e-6)
    d = np.subtract(p["learned_score"], p["true_score"])
    assert p["difference"] == pytest.approx(d.tolist())
    assert p["difference_norm"] == pytest.approx(float(np.hypot(*d)))
    a, b = np.array(p["learned_score"]), np.array(p["true_score"])
    cos = a @ b / np.linalg.norm(a) / np.linalg.norm(b)
    assert p["angle_deg"] == pytest.approx(math.degrees(math.acos(np.clip(cos, -1, 1))), abs=1e-6)
    assert 0 <= p["angle_deg"] <= 180


@pytest.mark.parametrize("objective,parametrization", [("dsm", "vector"), ("ncsn", "vector"), ("sde", "vector"),
                                                       ("dsm", "energy")])
def test_divergence_and_curl_against_finite_differences(objective, parametrization):
    s = _session(objective, parametrization, steps=5)
    x, y = 0.3, 0.8
    p = probe_point(s, x, y)
    fd = _fd_jacobian(s, x, y)
    scale = max(1.0, float(np.abs(fd).max()))
    assert np.allclose(np.array(p["jacobian"]), fd, atol=2e-2 * scale)
    assert p["divergence"] == pytest.approx(fd[0, 0] + fd[1, 1], abs=2e-2 * scale)
    assert p["curl"] == pytest.approx(fd[1, 0] - fd[0, 1], abs=2e-2 * scale)


def test_curl_of_an_energy_model_is_zero_and_of_a_vector_model_is_not():
    box = (-3.0, 3.0, -3.0, 3.0)
    energy = _session(parametrization="energy", steps=10)
    vector = _session(parametrization="vector", steps=10)
    xs, ys, ce = curl_on_grid(energy, box, 24)
    _, _, cv = curl_on_grid(vector, box, 24)
    assert xs.shape == ys.shape == (24,) and ce.shape == cv.shape == (24, 24)
    assert np.isfinite(ce).all() and np.isfinite(cv).all()
    # the energy model's Jacobian is -Hess E: symmetric up to float32 rounding of the divergence's size
    _, _, div_scale = _div_scale(energy, box)
    assert np.abs(ce).max() < 1e-5 * max(1.0, div_scale)
    assert np.abs(cv).max() > 1e-2  # a random vector network is not conservative
    assert abs(probe_point(energy, 0.5, 0.5)["curl"]) < 1e-5 * max(1.0, div_scale)
    # the grid agrees with the probe at a grid point
    j, i = 5, 17
    assert probe_point(vector, float(xs[j]), float(ys[i]))["curl"] == pytest.approx(float(cv[i, j]), rel=1e-4, abs=1e-6)


def _div_scale(session, box):
    p = probe_point(session, 0.5, 0.5)
    return None, None, float(np.abs(np.array(p["jacobian"])).max())


def test_learned_score_fn_matches_the_session_for_every_conditioning():
    pts = torch.randn(7, 2)
    for objective in ("dsm", "ncsn", "sde"):
        s = _session(objective, steps=3)
        with torch.no_grad():
            got = learned_score_fn(s)(pts)
        assert torch.allclose(got, s.learned_score(pts), atol=1e-6)


def test_tweedie_with_the_true_score_is_the_gaussian_posterior_mean():
    mu = np.array([1.0, -0.5])
    sx, sy, rho = 1.5, 0.8, 0.6
    C = np.array([[sx * sx, rho * sx * sy], [rho * sx * sy, sy * sy]])
    x = np.array([2.0, 1.0])
    params = dict(mean_x=mu[0], mean_y=mu[1], std_x=sx, std_y=sy, correlation=rho)

    s = _session("dsm", density="gaussian", **params)  # q = p ∗ N(0, σ²I), σ = 0.1
    sig2 = s.target_sigma ** 2
    p = probe_point(s, *x)
    post = mu + C @ np.linalg.solve(C + sig2 * np.eye(2), x - mu)  # E[x0 | x] for x = x0 + σ z
    assert p["tweedie_true"] == pytest.approx(post.tolist(), abs=1e-5)
    assert p["tweedie"] == pytest.approx((x + sig2 * np.array(p["learned_score"])).tolist(), abs=1e-6)
    assert p["condition"].startswith("σ")

    s = _session("sde", density="gaussian", **params)
    s.set_field_t(0.3)
    a, sd = float(s.sde.alpha(0.3)), float(s.sde.std(0.3))
    p = probe_point(s, *x)
    # x_t = a x0 + sd z: E[x0 | x_t] = mu + a C (a² C + sd² I)^-1 (x_t − a mu)
    post = mu + a * C @ np.linalg.solve(a * a * C + sd * sd * np.eye(2), x - a * mu)
    assert p["tweedie_true"] == pytest.approx(post.tolist(), abs=1e-4)
    assert p["tweedie"] == pytest.approx(((x + sd * sd * np.array(p["learned_score"])) / a).tolist(), abs=1e-5)
    assert p["condition"] == "t = 0.3"

    s = _session("ncsn", density="gaussian", **params)  # sigma_min
    sig2 = s.target_sigma ** 2
    post = mu + C @ np.linalg.solve(C + sig2 * np.eye(2), x - mu)
    assert probe_point(s, *x)["tweedie_true"] == pytest.approx(post.tolist(), abs=1e-5)


def test_no_tweedie_for_a_model_of_the_clean_density():
    p = probe_point(_session("esm"), 0.0, 0.0)
    assert p["tweedie"] is None and p["tweedie_true"] is None and p["condition"] == ""
