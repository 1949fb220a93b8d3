"""Densities: scores vs autograd, samples vs log_prob, exact p_sigma, the presets' definitions
(MATH.md), parameters, and the JSON density files."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np
import pytest
import torch

from scoreviz.core.densities import (
    PRESETS,
    Density,
    GaussianMixture,
    GridDensity,
    density_from_dict,
    describe_preset,
    grid_density,
    load_density,
    load_density_json,
    make_preset,
    mixture_density,
    save_density_json,
)
from scoreviz.core.errors import ScorevizError

SIGMA = 0.3
RING = "-(x**2 + y**2 - 4)**2 / 0.5"
HEART = Path(__file__).resolve().parents[2] / "resources" / "heart.png"


def _mixture():
    return mixture_density(
        [0.5, 0.3, 0.2],
        [[-2.0, 1.0], [1.5, -1.0], [2.0, 2.5]],
        [[[1.0, 0.6], [0.6, 0.8]], [[0.3, -0.1], [-0.1, 0.5]], [[0.2, 0.0], [0.0, 0.2]]],
    )


def _grid():
    w = torch.rand(5, 7, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    w[1, 2] = w[3, 5] = w[0, 0] = 0.0
    return grid_density(w, (-3.0, 4.0, -2.0, 3.0), 0.15)


BASE = {name: (lambda name=name: make_preset(name)) for name in PRESETS}
BASE["mixture"] = _mixture
BASE["grid"] = _grid
BASE["image"] = lambda: load_density(str(HEART))
BASE["expression"] = lambda: load_density(f"expr:{RING}")

_CACHE: dict[str, object] = {}


def get(case: str):
    """The density for a case id: a BASE name, or NAME@p for its perturbed(SIGMA)."""
    if case not in _CACHE:
        if case.endswith("@p"):
            _CACHE[case] = get(case[:-2]).perturbed(SIGMA)
        else:
            _CACHE[case] = BASE[case]()
    return _CACHE[case]


CASES = list(BASE) + [f"{name}@p" for name in BASE]


def _points(d, n=256, seed=0, factor=1.5):
    g = torch.Generator().manual_seed(seed)
    x0, x1, y0, y1 = d.box
    cx, cy, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
    u = torch.rand(n, 2, generator=g, dtype=torch.float64) * 2 - 1
    inside = torch.stack([cx + factor * hx * u[:, 0], cy + factor * hy * u[:, 1]], 1)
    far = torch.tensor(
        [[cx + 4 * hx, cy + 4 * hy], [cx - 4 * hx, cy + 0.3 * hy], [50.0, -30.0], [-200.0, 150.0], [0.0, 0.0]],
        dtype=torch.float64,
    )
    return torch.cat([inside, far])


# --------------------------------------------------------------------------- protocol
@pytest.mark.parametrize("case", CASES)
def test_protocol(case):
    d = get(case)
    assert isinstance(d, Density)
    assert isinstance(d.name, str) and d.name
    assert isinstance(d.params, dict)
    assert d.normalised is True
    x0, x1, y0, y1 = d.box
    assert x0 < x1 and y0 < y1
    assert d.perturbed(0) is d
    json.dumps(d.to_dict(), allow_nan=False)
    if case.endswith("@p"):
        assert "sigma=0.3" in d.name


@pytest.mark.parametrize("case", CASES)
def test_score_matches_autograd(case):
    d = get(case)
    x = _points(d).requires_grad_(True)
    lp = d.log_prob(x)
    assert lp.shape == (x.shape[0],) and lp.dtype == torch.float64
    assert torch.isfinite(lp).all()
    (grad,) = torch.autograd.grad(lp.sum(), x)
    s = d.score(x)
    assert s.shape == x.shape and s.dtype == torch.float64 and not s.requires_grad
    assert torch.isfinite(s).all()
    torch.testing.assert_close(s, grad, rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize("case", CASES)
def test_float32_in_float32_out(case):
    d = get(case)
    x = _points(d, n=64)
    s64 = d.score(x)
    s32 = d.score(x.float())
    lp32 = d.log_prob(x.float())
    assert s32.dtype == torch.float32 and lp32.dtype == torch.float32
    assert torch.isfinite(s32).all() and torch.isfinite(lp32).all()
    torch.testing.assert_close(s32.double(), d.score(x.float().double()), rtol=1e-5, atol=1e-4)
    assert (s32.double() - s64).abs().max() < 1e-2 * (1 + s64.abs().max())


@pytest.mark.parametrize("case", CASES)
def test_samples_match_density(case, stats, gen):
    d = get(case)
    x = d.sample(40000, gen)
    assert x.shape == (40000, 2) and x.dtype == torch.float32 and x.device == gen.device
    assert torch.isfinite(x).all()
    assert stats.tv(d.log_prob, x.numpy(), stats.widen(d.box, 1.1)) < 0.04


def test_tv_check_has_power(stats, gen):
    """The histogram check above tells apart densities that differ by a little noise (the same
    density scores <= 0.025 with these sizes)."""
    for name in ("moons", "checkerboard", "expression"):
        d = get(name)
        x = d.sample(40000, gen).numpy()
        assert stats.tv(d.perturbed(0.3).log_prob, x, stats.widen(d.box, 1.1)) > 0.06


@pytest.mark.parametrize("case", CASES)
def test_normalised_integrates_to_one(case, stats):
    d = get(case)
    if isinstance(d, GridDensity):  # all mass lies within a few blurs of the grid
        x0, x1, y0, y1 = d.extent
        pad = 8 * d.blur
        box = (x0 - pad, x1 + pad, y0 - pad, y1 + pad)
    else:
        box = stats.widen(d.box, 2.0)
    assert abs(stats.integral(d.log_prob, box, n=256) - 1) < 2e-3


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("case", ["moons", "checkerboard", "image@p", "expression"])
def test_cuda_matches_cpu(case):
    d = get(case)
    x = _points(d, n=64)
    xc = x.cuda()
    torch.testing.assert_close(d.log_prob(xc).cpu(), d.log_prob(x), rtol=1e-9, atol=1e-9)
    torch.testing.assert_close(d.score(xc).cpu(), d.score(x), rtol=1e-9, atol=1e-9)
    gen = torch.Generator(device="cuda").manual_seed(0)
    s = d.sample(100, gen)
    assert s.device.type == "cuda" and s.dtype == torch.float32


def test_sample_without_generator():
    x = get("moons").sample(10)
    assert x.shape == (10, 2) and x.dtype == torch.float32 and x.device.type == "cpu"


# --------------------------------------------------------------------------- p_sigma
MIXTURES = [c for c in BASE if isinstance(get(c), GaussianMixture)]
GRIDS = [c for c in BASE if isinstance(get(c), GridDensity)]


def test_families():
    assert set(GRIDS) == {"checkerboard", "grid", "image", "expression"}
    assert len(MIXTURES) == len(BASE) - 4


@pytest.mark.parametrize("case", MIXTURES)
def test_mixture_perturbation_adds_sigma2(case):
    d = get(case)
    p = d.perturbed(SIGMA)
    torch.testing.assert_close(p.weights, d.weights, rtol=1e-14, atol=0)
    assert torch.equal(p.means, d.means)
    torch.testing.assert_close(p.covs, d.covs + SIGMA**2 * torch.eye(2, dtype=torch.float64), rtol=0, atol=1e-15)
    x = _points(d, n=64)
    manual = GaussianMixture(d.weights, d.means, d.covs + SIGMA**2 * torch.eye(2, dtype=torch.float64))
    torch.testing.assert_close(p.log_prob(x), manual.log_prob(x), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", GRIDS)
def test_grid_perturbation_is_numerical_convolution(case):
    d = get(case)
    p = d.perturbed(SIGMA)
    assert p.blur == pytest.approx(math.sqrt(d.blur**2 + SIGMA**2))
    pts = p.sample(4, torch.Generator().manual_seed(5)).double()  # where p_sigma has mass
    m, lim = 161, 7 * SIGMA  # p_sigma(x) = int p(x - z) N(z; 0, sigma^2 I) dz on a 161^2 grid over +-7 sigma
    z1 = torch.linspace(-lim, lim, m, dtype=torch.float64)
    zz = torch.stack(torch.meshgrid(z1, z1, indexing="ij"), -1).reshape(-1, 2)
    h = (z1[1] - z1[0]) ** 2
    kernel = torch.exp(-0.5 * (zz**2).sum(1) / SIGMA**2) / (2 * math.pi * SIGMA**2)
    for x in pts:
        conv = (torch.exp(d.log_prob(x[None] - zz)) * kernel).sum() * h
        assert float(torch.exp(p.log_prob(x[None]))[0]) == pytest.approx(float(conv), rel=1e-5, abs=1e-12)


@pytest.mark.parametrize("case", list(BASE))
def test_noisy_samples_match_perturbed(case, stats, gen):
    d = get(case)
    x = d.sample(40000, gen) + SIGMA * torch.randn(40000, 2, generator=gen)
    assert stats.tv(d.perturbed(SIGMA).log_prob, x.numpy(), stats.widen(d.box, 1.1)) < 0.04


@pytest.mark.parametrize("case", ["moons", "gaussian", "checkerboard", "expression"])
def test_perturbation_composes(case):
    d = get(case)
    x = _points(d, n=32)
    a = d.perturbed(0.3).perturbed(0.4)
    b = d.perturbed(0.5)
    torch.testing.assert_close(a.log_prob(x), b.log_prob(x), rtol=1e-10, atol=1e-10)
    assert a.name == b.name
    assert a.to_dict() == b.to_dict()


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf"), "x"])
def test_perturbed_refuses_bad_sigma(bad):
    for case in ("moons", "checkerboard"):
        with pytest.raises(ScorevizError, match="sigma"):
            get(case).perturbed(bad)


# --------------------------------------------------------------------------- preset definitions
def test_gaussian_score_is_exact():
    for params in ({}, {"mean_x": 1.0, "mean_y": -2.0, "std_x": 0.5, "std_y": 2.0, "correlation": -0.7}):
        d = make_preset("gaussian", **params)
        v = d.params
        mu = torch.tensor([v["mean_x"], v["mean_y"]], dtype=torch.float64)
        c = v["correlation"] * v["std_x"] * v["std_y"]
        cov = torch.tensor([[v["std_x"] ** 2, c], [c, v["std_y"] ** 2]], dtype=torch.float64)
        x = _points(d, n=100)
        expected = -(x - mu) @ torch.linalg.inv(cov).T
        torch.testing.assert_close(d.score(x), expected, rtol=1e-12, atol=1e-12)
        ref = torch.distributions.MultivariateNormal(mu, cov).log_prob(x)
        torch.testing.assert_close(d.log_prob(x), ref, rtol=1e-12, atol=1e-12)
        # the dsm optimum: the score of p_sigma is -(C + sigma^2 I)^-1 (x - mu)
        expected_s = -(x - mu) @ torch.linalg.inv(cov + SIGMA**2 * torch.eye(2, dtype=torch.float64)).T
        torch.testing.assert_close(d.perturbed(SIGMA).score(x), expected_s, rtol=1e-12, atol=1e-12)


def test_ncsn_mixture_is_exact():
    d = make_preset("ncsn-mixture")
    torch.testing.assert_close(d.weights, torch.tensor([0.2, 0.8], dtype=torch.float64), rtol=0, atol=1e-15)
    assert d.means.tolist() == [[-5.0, -5.0], [5.0, 5.0]]
    assert d.covs.tolist() == [[[1.0, 0.0], [0.0, 1.0]]] * 2
    assert d.box == (-8.0, 8.0, -8.0, 8.0)
    x = _points(d, n=50)
    ref = torch.logsumexp(torch.stack([
        math.log(0.2) + torch.distributions.MultivariateNormal(torch.full((2,), -5.0, dtype=torch.float64), torch.eye(2, dtype=torch.float64)).log_prob(x),
        math.log(0.8) + torch.distributions.MultivariateNormal(torch.full((2,), 5.0, dtype=torch.float64), torch.eye(2, dtype=torch.float64)).log_prob(x),
    ]), 0)
    torch.testing.assert_close(d.log_prob(x), ref, rtol=1e-12, atol=1e-12)


def test_8gaussians_centres():
    d = make_preset("8gaussians")
    r = 1 / math.sqrt(2)
    expected = 4 * np.array([(1, 0), (-1, 0), (0, 1), (0, -1), (r, r), (r, -r), (-r, r), (-r, -r)]) / 1.414
    got = d.means.numpy()
    assert len(got) == 8
    for c in expected:
        assert np.min(np.linalg.norm(got - c, axis=1)) < 1e-12
    torch.testing.assert_close(d.covs, torch.eye(2, dtype=torch.float64).expand(8, 2, 2) * (0.5 / 1.414) ** 2)
    torch.testing.assert_close(d.weights, torch.full((8,), 1 / 8, dtype=torch.float64))


def test_checkerboard_cells():
    d = make_preset("checkerboard")
    assert d.extent == (-4.0, 4.0, -4.0, 4.0) and d.shape == (4, 4)
    # MATH.md: x1 ~ U[-2, 2), x2 = U[0, 1) - 2B + (floor(x1) mod 2): cell (row i, column j) of the
    # 4x4 board over [-2, 2)^2 is filled iff its column parity matches its row's
    expected = np.zeros((4, 4))
    for j, col in enumerate(range(-2, 2)):
        for b in (0, 1):
            row = (col % 2) - 2 * b  # lower edge of the x2 interval
            expected[row + 2, j] = 1 / 8
    np.testing.assert_allclose(d.weights.numpy(), expected)


# Reference samplers written from MATH.md's "Standard 2-D toys", independent of the presets.
def _ref_8gaussians(n, rng):
    r = 1 / math.sqrt(2)
    c = 4 * np.array([(1, 0), (-1, 0), (0, 1), (0, -1), (r, r), (r, -r), (-r, r), (-r, -r)])
    return (c[rng.integers(8, size=n)] + 0.5 * rng.normal(size=(n, 2))) / 1.414


def _ref_checkerboard(n, rng):
    x1 = rng.uniform(-2, 2, n)
    x2 = rng.uniform(0, 1, n) - 2 * rng.integers(2, size=n) + (np.floor(x1) % 2)
    return 2 * np.stack([x1, x2], 1) + 0.1 * rng.normal(size=(n, 2))  # + the preset's blur


def _ref_moons(n, rng):
    s = rng.uniform(0, math.pi, n)
    lower = rng.integers(2, size=n).astype(bool)
    pts = np.where(lower[:, None], np.stack([1 - np.cos(s), 0.5 - np.sin(s)], 1), np.stack([np.cos(s), np.sin(s)], 1))
    return (pts + 0.1 * rng.normal(size=(n, 2))) * 2 - np.array([1.0, 0.2])


def _ref_circles(n, rng):
    r = np.where(rng.integers(2, size=n) == 1, 1.0, 0.5)
    a = rng.uniform(0, 2 * math.pi, n)
    return (r[:, None] * np.stack([np.cos(a), np.sin(a)], 1) + 0.08 * rng.normal(size=(n, 2))) * 3


def _ref_rings(n, rng):
    r = np.array([1, 0.75, 0.5, 0.25])[rng.integers(4, size=n)]
    a = rng.uniform(0, 2 * math.pi, n)
    return r[:, None] * np.stack([np.cos(a), np.sin(a)], 1) * 3 + 0.08 * rng.normal(size=(n, 2))


def _ref_swissroll(n, rng):
    t = 1.5 * math.pi * (1 + 2 * rng.uniform(size=n))
    return (np.stack([t * np.cos(t), t * np.sin(t)], 1) + rng.normal(size=(n, 2))) / 5


def _ref_2spirals(n, rng):
    r = np.sqrt(rng.uniform(size=n)) * 540 * 2 * math.pi / 360
    d = np.stack([-r * np.cos(r) + 0.5 * rng.uniform(size=n), r * np.sin(r) + 0.5 * rng.uniform(size=n)], 1)
    sign = np.where(rng.integers(2, size=n) == 1, 1.0, -1.0)[:, None]
    return sign * d / 3 + 0.1 * rng.normal(size=(n, 2))


def _ref_pinwheel(n, rng):
    f = rng.normal(size=(n, 2)) * np.array([0.3, 0.1]) + np.array([1.0, 0.0])
    ang = 2 * math.pi * rng.integers(5, size=n) / 5 + 0.25 * np.exp(f[:, 0])
    c, s = np.cos(ang), np.sin(ang)
    return 2 * np.stack([c * f[:, 0] - s * f[:, 1], s * f[:, 0] + c * f[:, 1]], 1)


def _ref_banana(n, rng):
    x1 = 1.25 * rng.normal(size=n)
    return np.stack([x1, 0.4 * x1**2 - 1.5 + 0.25 * rng.normal(size=n)], 1)


REFERENCES = {
    "8gaussians": _ref_8gaussians, "checkerboard": _ref_checkerboard, "moons": _ref_moons,
    "circles": _ref_circles, "rings": _ref_rings, "swissroll": _ref_swissroll,
    "2spirals": _ref_2spirals, "pinwheel": _ref_pinwheel, "banana": _ref_banana,
}


@pytest.mark.parametrize("name", list(REFERENCES))
def test_preset_matches_math_md_sampler(name, stats):
    """The smooth preset (its log_prob) is the distribution of MATH.md's sampler."""
    d = get(name)
    x = REFERENCES[name](40000, np.random.default_rng(7))
    assert stats.tv(d.log_prob, x, stats.widen(d.box, 1.1)) < 0.04


def test_curve_toys_are_smooth_along_the_curve():
    """Spacing <= width: the mixture has no visible beads (density along a circle is flat)."""
    d = make_preset("circles")
    a = torch.linspace(0, 2 * math.pi, 2001, dtype=torch.float64)
    pts = 3 * torch.stack([torch.cos(a), torch.sin(a)], 1)
    dens = d.log_prob(pts).exp()
    assert (dens.max() - dens.min()) / dens.mean() < 1e-4


# --------------------------------------------------------------------------- parameters
def test_registry_describes_every_parameter():
    assert set(PRESETS) == {"gaussian", "ncsn-mixture", "8gaussians", "checkerboard", "moons", "circles",
                            "rings", "swissroll", "2spirals", "pinwheel", "banana"}
    for name, spec in PRESETS.items():
        assert spec.help and spec.params
        text = describe_preset(name)
        for pname, p in spec.params.items():
            assert p.name == pname and p.help and p.type in ("float", "int", "bool")
            assert p.min <= p.default <= p.max
            assert p.check(p.default) == p.default
            assert pname in text
        d = make_preset(name)
        assert d.params == {k: p.default for k, p in spec.params.items()}
        assert d.name == name


def test_parameters_change_the_density():
    base = make_preset("rings")
    two = make_preset("rings", rings=2, noise=0.1)
    assert two.params["rings"] == 2 and two.params["noise"] == 0.1
    x = torch.tensor([[0.75, 0.0]], dtype=torch.float64)  # on the 4-ring's radius-1/4 ring, empty for 2 rings
    assert float(base.log_prob(x)) > float(two.log_prob(x)) + 5
    assert make_preset("ncsn-mixture", weight=0.5).weights.tolist() == [0.5, 0.5]
    assert make_preset("8gaussians", modes=3).means.shape == (3, 2)
    assert make_preset("checkerboard", cells=6).shape == (6, 6)


def test_parameters_accept_command_line_text():
    d = make_preset("rings", rings="3", noise="0.1")
    assert d.params["rings"] == 3 and isinstance(d.params["rings"], int) and d.params["noise"] == 0.1
    assert load_density("moons", noise="0.2").params["noise"] == 0.2


@pytest.mark.parametrize(
    "name, params, fragment",
    [
        ("moons", {"nosie": 0.1}, "unknown parameter 'nosie'; allowed: noise, scale"),
        ("moons", {"noise": 5}, "noise=5 is out of range; expected a number in [0.01, 1]"),
        ("moons", {"noise": -1}, "noise=-1"),
        ("rings", {"rings": 2.5}, "rings=2.5 is not allowed; expected an integer in [1, 10]"),
        ("rings", {"rings": 0}, "rings=0 is out of range"),
        ("gaussian", {"correlation": 1.0}, "correlation=1.0 is out of range; expected a number in [-0.95, 0.95]"),
        ("gaussian", {"std_x": "wide"}, "std_x='wide' is not allowed"),
        ("gaussian", {"std_x": float("nan")}, "std_x=nan"),
        ("checkerboard", {"blur": True}, "blur=True"),
        ("2spirals", {"turns": 4, "noise": 0.02}, "noise=0.02 is too small"),
    ],
)
def test_bad_parameters_are_refused(name, params, fragment):
    with pytest.raises(ScorevizError) as info:
        make_preset(name, **params)
    assert fragment in str(info.value)
    assert name in str(info.value)


def test_unknown_names_list_the_presets():
    for call in (lambda: make_preset("moon"), lambda: load_density("moon")):
        with pytest.raises(ScorevizError) as info:
            call()
        assert "'moon'" in str(info.value)
        for name in PRESETS:
            assert name in str(info.value)


# --------------------------------------------------------------------------- data mixtures and grids
def test_mixture_density_from_data():
    d = mixture_density([1, 3], [[0, 0], [2, 1]], [np.eye(2), 0.5 * np.eye(2)], box=(-5, 5, -5, 5))
    assert d.weights.tolist() == [0.25, 0.75] and d.box == (-5.0, 5.0, -5.0, 5.0)
    assert d.params == {"components": 2}


@pytest.mark.parametrize(
    "args, fragment",
    [
        (([1, 1], [[0, 0]], [np.eye(2)] * 2), "matching"),
        (([-1, 2], [[0, 0], [1, 1]], [np.eye(2)] * 2), ">= 0"),
        (([1, 1], [[0, float("nan")], [1, 1]], [np.eye(2)] * 2), "finite"),
        (([1], [[0, 0]], [[[1, 2], [2, 1]]]), "positive definite"),
        (([1], [[0, 0]], [[[1, 0.5], [0, 1]]]), "symmetric"),
        (([0, 0], [[0, 0], [1, 1]], [np.eye(2)] * 2), "positive sum"),
    ],
)
def test_mixture_density_refuses_bad_data(args, fragment):
    with pytest.raises(ScorevizError, match=fragment):
        mixture_density(*args)


@pytest.mark.parametrize(
    "args, fragment",
    [
        (([[1, -1]], (0, 1, 0, 1), 0.1), ">= 0"),
        (([[1, float("nan")]], (0, 1, 0, 1), 0.1), "finite"),
        (([1, 2], (0, 1, 0, 1), 0.1), "H x W"),
        (([[1, 2]], (0, 1, 0, 1), 0.0), "blur"),
        (([[1, 2]], (1, 0, 0, 1), 0.1), "xmin < xmax"),
    ],
)
def test_grid_density_refuses_bad_data(args, fragment):
    with pytest.raises(ScorevizError, match=fragment):
        grid_density(*args)


def test_grid_row_zero_is_the_bottom(gen):
    d = grid_density([[1.0, 0.0], [0.0, 0.0]], (0, 2, 0, 2), 0.01)  # only the bottom-left cell
    x = d.sample(1000, gen)
    assert (x[:, 0] < 1.05).all() and (x[:, 1] < 1.05).all()


def test_grid_far_away_uses_the_exact_path():
    """Points far from all mass: finite log_prob/score that match the log-space formula."""
    d = get("grid")
    x = torch.tensor([[40.0, -25.0], [-1e3, 2e3], [0.5, 30.0]], dtype=torch.float64)
    p = d._params_on(x.device)
    torch.testing.assert_close(d.log_prob(x), d._exact_log_prob(x, p), rtol=1e-12, atol=0)
    s = d.score(x)
    assert torch.isfinite(s).all()
    # far off the grid the density is a Gaussian tail: the score points back with slope ~ 1/blur^2
    assert s[0, 0] < 0 and s[0, 1] > 0 and s[2, 1] < 0


# --------------------------------------------------------------------------- JSON files
@pytest.mark.parametrize("case", CASES)
def test_json_round_trip(case, tmp_path):
    d = get(case)
    path = tmp_path / "d.json"
    save_density_json(d, path)
    data = json.loads(path.read_text())
    assert data["scoreviz_density"] == 1
    back = load_density_json(path)
    x = _points(d, n=64)
    torch.testing.assert_close(back.log_prob(x), d.log_prob(x), rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(back.score(x), d.score(x), rtol=1e-10, atol=1e-10)
    assert back.box == pytest.approx(d.box)
    assert back.name == d.name
    assert load_density(str(path)).to_dict() == back.to_dict()
    assert density_from_dict(d.to_dict()).to_dict() == d.to_dict()


def test_json_formats(tmp_path):
    assert get("moons").to_dict() == {"scoreviz_density": 1, "type": "preset", "name": "moons",
                                      "params": {"noise": 0.1, "scale": 2.0}}
    assert get("moons@p").to_dict()["sigma"] == pytest.approx(SIGMA)
    m = get("mixture").to_dict()
    assert m["type"] == "mixture" and len(m["weights"]) == 3 and np.shape(m["covariances"]) == (3, 2, 2)
    g = get("image").to_dict()
    assert g["type"] == "grid" and g["name"] == "image:heart.png" and np.shape(g["weights"]) == (64, 64)
    e = get("expression").to_dict()
    assert e == {"scoreviz_density": 1, "type": "expression", "expression": RING,
                 "box": [-4.0, 4.0, -4.0, 4.0], "resolution": 128}


def test_hand_written_files(tmp_path, resources):
    import shutil

    shutil.copy(resources / "heart.png", tmp_path / "h.png")
    files = {
        "img.json": {"scoreviz_density": 1, "type": "image", "path": "h.png", "max_cells": 16},
        "grid.json": {"type": "grid", "box": [0, 2, 0, 1], "weights": [[1, 2]], "blur": 0.1},
        "mix.json": {"type": "mixture", "weights": [1], "means": [[0, 0]], "covariances": [[[1, 0], [0, 1]]]},
        "p.json": {"type": "preset", "name": "rings", "params": {"rings": "2"}, "sigma": 0.2},
        "e.json": {"type": "expression", "expression": "-x**2-y**2"},
    }
    for name, content in files.items():
        (tmp_path / name).write_text(json.dumps(content))
        d = load_density(str(tmp_path / name))
        assert torch.isfinite(d.score(torch.zeros(3, 2))).all()
    assert load_density(str(tmp_path / "img.json")).shape == (16, 16)
    assert load_density(str(tmp_path / "p.json")).sigma == pytest.approx(0.2)


BAD_FILES = [
    ("{not json", "not valid JSON"),
    ('{"type": "grid", "box": [0, 1, 0, 1], "weights": [[NaN]], "blur": 0.1}', "NaN"),
    ('{"type": "grid", "box": [0, 1, 0, 1], "weights": [[Infinity]], "blur": 0.1}', "Infinity"),
    ("[1, 2]", "expected a JSON object"),
    ('{"scoreviz_density": 2, "type": "preset", "name": "moons"}', "scoreviz_density = 2"),
    ('{"type": "cloud"}', "unknown type 'cloud'"),
    ('{"name": "moons"}', "unknown type None"),
    ('{"type": "preset", "name": "moon"}', "unknown preset 'moon'"),
    ('{"type": "preset", "name": "moons", "params": {"noise": 9}}', "noise=9 is out of range"),
    ('{"type": "preset", "name": "moons", "params": [1]}', "'params' must be an object"),
    ('{"type": "preset", "name": "moons", "colour": 1}', "unknown key 'colour'"),
    ('{"type": "mixture", "weights": [1], "means": [[0, 0]]}', "needs the key 'covariances'"),
    ('{"type": "mixture", "weights": [-1, 2], "means": [[0, 0], [1, 1]], "covariances": [[[1, 0], [0, 1]], [[1, 0], [0, 1]]]}', "weights must be >= 0"),
    ('{"type": "mixture", "weights": [1], "means": [[0, 0, 0]], "covariances": [[[1, 0], [0, 1]]]}', "means has shape [1, 3]"),
    ('{"type": "mixture", "weights": [1, 1], "means": [[0, 0]], "covariances": [[[1, 0], [0, 1]]]}', "must match"),
    ('{"type": "mixture", "weights": ["1"], "means": [[0, 0]], "covariances": [[[1, 0], [0, 1]]]}', "weights[0] = '1' must be a finite number"),
    ('{"type": "mixture", "weights": [1], "means": [[0, 0]], "covariances": [[[1, 0], [0, -1]]]}', "positive definite"),
    ('{"type": "grid", "box": [0, 1, 0, 1], "weights": [[1, 2], [3]], "blur": 0.1}', "different lengths"),
    ('{"type": "grid", "box": [0, 1, 0, 1], "weights": [[1, -2]], "blur": 0.1}', "grid weights must be >= 0"),
    ('{"type": "grid", "box": [0, 1, 0, 1], "weights": [[1, 2]], "blur": -0.1}', "blur = -0.1 must be a number > 0"),
    ('{"type": "grid", "box": [1, 0, 0, 1], "weights": [[1, 2]], "blur": 0.1}', "xmin < xmax"),
    ('{"type": "grid", "box": [0, 1, 0], "weights": [[1, 2]], "blur": 0.1}', "box"),
    ('{"type": "grid", "box": [0, 1, 0, 1], "weights": [[true]], "blur": 0.1}', "must be a finite number"),
    ('{"type": "expression", "expression": "z"}', "name 'z' is not allowed"),
    ('{"type": "expression", "expression": "x", "resolution": 2.5}', "resolution = 2.5 must be an integer"),
    ('{"type": "image", "path": "missing.png"}', "no such file"),
    ('{"type": "preset", "name": "moons", "sigma": -1}', "sigma = -1 must be a number >= 0"),
]


@pytest.mark.parametrize("text, fragment", BAD_FILES)
def test_malformed_files_are_refused(text, fragment, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ScorevizError) as info:
        load_density_json(path)
    msg = str(info.value)
    assert fragment in msg and "bad.json" in msg and "\n" not in msg


def test_unreadable_files(tmp_path):
    with pytest.raises(ScorevizError, match="not found"):
        load_density_json(tmp_path / "nope.json")
    with pytest.raises(ScorevizError, match="is a folder"):
        load_density_json(tmp_path)
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ScorevizError, match="UTF-8|JSON"):
        load_density_json(tmp_path / "bin.json")
    with pytest.raises(ScorevizError, match="takes no parameters"):
        load_density(str(tmp_path / "x.json"), noise=1)


def test_save_is_atomic(tmp_path):
    path = tmp_path / "d.json"
    path.write_text("old")
    save_density_json(get("moons"), path)
    save_density_json(get("checkerboard"), path)
    assert load_density_json(path).name == "checkerboard"
    assert sorted(os.listdir(tmp_path)) == ["d.json"]  # no temp files left behind
    with pytest.raises(ScorevizError, match="cannot write"):
        save_density_json(get("moons"), tmp_path / "missing" / "d.json")
    assert sorted(os.listdir(tmp_path)) == ["d.json"]


def test_mixture_density_accepts_torch_tensors_and_equals_numpy_and_the_formula():
    """Issue 10: mixture_density(torch tensors) raised TypeError (np.size on a tensor)."""
    import math

    w = [0.3, 0.7]
    m = [[-1.0, 0.5], [2.0, -1.0]]
    c = [[[0.5, 0.1], [0.1, 0.3]], [[1.0, -0.2], [-0.2, 0.8]]]
    from_torch = mixture_density(torch.tensor(w, dtype=torch.float32), torch.tensor(m), torch.tensor(c, dtype=torch.float64))
    from_numpy = mixture_density(np.array(w), np.array(m), np.array(c))
    assert from_torch.params == from_numpy.params == {"components": 2}
    x = torch.tensor([[0.0, 0.0], [1.5, -0.5], [-2.0, 1.0]], dtype=torch.float64)
    torch.testing.assert_close(from_torch.log_prob(x), from_numpy.log_prob(x))
    torch.testing.assert_close(from_torch.score(x), from_numpy.score(x))
    # p(x) = sum_k w_k N(x; mu_k, C_k), score = -sum_k r_k C_k^-1 (x - mu_k), by hand
    for xi, lp, s in zip(x.numpy(), from_torch.log_prob(x).numpy(), from_torch.score(x).numpy()):
        comps, grads = [], []
        # the weights went in as float32: the formula takes them as they were given (then float64)
        for wk, mk, ck in zip(np.array(w, dtype=np.float32).astype(np.float64), np.array(m), np.array(c)):
            d = xi - mk
            p = np.linalg.inv(ck)
            comps.append(wk * math.exp(-0.5 * d @ p @ d) / (2 * math.pi * math.sqrt(np.linalg.det(ck))))
            grads.append(-p @ d)
        assert lp == pytest.approx(math.log(sum(comps)), rel=1e-10)
        r = np.array(comps) / sum(comps)
        np.testing.assert_allclose(s, (r[:, None] * np.array(grads)).sum(0), rtol=1e-9)
    # a tensor with a graph, and the component limit still counts tensor entries
    mixture_density(torch.tensor(w, requires_grad=True), torch.tensor(m), torch.tensor(c))
    from scoreviz.core import limits

    k = limits.LIMITS["mixture_components"].max + 1
    with pytest.raises(ScorevizError):
        mixture_density(torch.ones(k), torch.zeros(k, 2), torch.eye(2).repeat(k, 1, 1))
