"""Exact marginals p_t of the forward processes: against Monte Carlo of the forward process, against
autograd, the true score s(x, t) for per-point times, names/boxes/files, every density type, refusals."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from scoreviz.core.densities import PRESETS, density_from_dict, load_density, make_preset, mixture_density
from scoreviz.core.errors import ScorevizError
from scoreviz.core.grid_density import GridDensity
from scoreviz.core.marginals import (
    CACHE_PER_DENSITY,
    _grid_gaussian,
    diffused,
    marginal_box,
    marginal_density,
    true_score_fn,
)
from scoreviz.core.mixture import GaussianMixture
from scoreviz.core.sde import SDE

F64 = torch.float64
KINDS = ("vp", "ve", "subvp")
TIMES = {"vp": (0.1, 0.35), "subvp": (0.1, 0.35), "ve": (0.3, 0.7)}  # structure still visible at t


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/conftest.py


def _gen(seed):
    return torch.Generator().manual_seed(seed)


def _forward(density, sde, t, n, seed):
    """Monte Carlo of the forward process: x_t = alpha x0 + std z, x0 ~ density."""
    g = _gen(seed)
    x0 = density.sample(n, g).to(F64)
    z = torch.randn(n, 2, generator=g, dtype=F64)
    return sde.perturb(x0, t, z)


def _moments(d):
    """Exact mean (2,) and covariance (2, 2) of a mixture or grid density."""
    if isinstance(d, GridDensity):
        g = _grid_gaussian(d, 1.0, 0.0, d.box, "m")
        return g.means[0], g.covs[0]
    w, m, c = d.weights, d.means, d.covs
    mean = (w[:, None] * m).sum(0)
    dm = m - mean
    return mean, (w[:, None, None] * (c + dm[:, :, None] * dm[:, None, :])).sum(0)


def _densities():
    return {"8gaussians": make_preset("8gaussians"), "checkerboard": make_preset("checkerboard")}


# --------------------------------------------------------------------------- against Monte Carlo
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ["8gaussians", "checkerboard"])
def test_marginal_matches_monte_carlo_of_the_forward_process(kind, name, stats):
    d = _densities()[name]
    sde = SDE.for_box(kind, d.box)
    n = 20_000
    for i, t in enumerate(TIMES[kind]):
        pt = marginal_density(d, sde, t)
        xt = _forward(d, sde, t, n, seed=10 + i)
        alpha, std = (float(v) for v in sde.marginal(t))
        # moments: alpha m, alpha^2 C + std^2 I (the formula), within 5 standard errors of the MC estimate
        m0, c0 = _moments(d)
        mean, cov = alpha * m0, alpha**2 * c0 + std**2 * torch.eye(2, dtype=F64)
        pm, pc = _moments(pt)
        assert torch.allclose(pm, mean, atol=1e-12) and torch.allclose(pc, cov, rtol=1e-9, atol=1e-12)
        se = torch.sqrt(torch.diagonal(cov) / n)
        assert ((xt.mean(0) - mean).abs() < 5 * se).all(), (xt.mean(0), mean)
        emp = torch.cov(xt.T)
        assert torch.allclose(emp, cov, rtol=0.05, atol=0.05 * float(cov.diagonal().max())), (emp, cov)
        # histogram against the marginal's bin masses (TV of 144 bins at n = 20000 is ~0.03 by chance)
        assert stats.tv(pt.log_prob, xt.numpy(), pt.box) < 0.06
        # mean log-likelihood of the forward samples = that of the marginal's own samples (= -entropy)
        lp_mc = pt.log_prob(xt)
        lp_own = pt.log_prob(pt.sample(n, _gen(99 + i)).to(F64))
        se_lp = math.sqrt((lp_mc.var() + lp_own.var()).item() / n)
        assert abs(lp_mc.mean().item() - lp_own.mean().item()) < 5 * se_lp


def test_marginal_is_the_formula_for_a_mixture_and_a_grid():
    mix = make_preset("ncsn-mixture")
    grid = make_preset("checkerboard")
    for kind in KINDS:
        sde = SDE.for_box(kind, mix.box)
        a, s = (float(v) for v in sde.marginal(0.4))
        pm = marginal_density(mix, sde, 0.4)
        assert isinstance(pm, GaussianMixture)
        assert torch.equal(pm.weights, mix.weights)
        assert torch.allclose(pm.means, a * mix.means, rtol=1e-15)
        assert torch.allclose(pm.covs, a * a * mix.covs + s * s * torch.eye(2, dtype=F64), rtol=1e-14)
        pg = marginal_density(grid, sde, 0.4)
        assert isinstance(pg, GridDensity) and torch.equal(pg.weights, grid.weights)
        assert pg.extent == pytest.approx(tuple(a * v for v in grid.extent), rel=1e-15)
        assert pg.blur == pytest.approx(math.sqrt(a * a * grid.blur**2 + s * s), rel=1e-14)
    # ve at t: exactly the sigma(t)-perturbed density (alpha = 1)
    ve = SDE.for_box("ve", mix.box)
    x = torch.randn(50, 2, generator=_gen(0), dtype=F64) * 4
    sig = float(ve.sigma(0.5))
    assert torch.allclose(marginal_density(mix, ve, 0.5).log_prob(x), mix.perturbed(sig).log_prob(x), rtol=1e-12)
    assert torch.allclose(marginal_density(grid, ve, 0.5).log_prob(x), grid.perturbed(sig).log_prob(x), rtol=1e-12)


# --------------------------------------------------------------------------- scores
@pytest.mark.parametrize("kind", KINDS)
def test_marginal_score_is_the_gradient_of_its_log_prob(kind):
    for d in _densities().values():
        sde = SDE.for_box(kind, d.box)
        for t in (sde.t_eps, 0.2, 0.6, 1.0):
            pt = marginal_density(d, sde, t)
            x = (pt.sample(64, _gen(3)).to(F64) * 1.5).requires_grad_(True)
            (g,) = torch.autograd.grad(pt.log_prob(x).sum(), x)
            assert torch.allclose(pt.score(x.detach()), g, rtol=1e-7, atol=1e-9), (kind, t)


@pytest.mark.parametrize("kind", KINDS)
def test_true_score_with_per_point_times_equals_one_marginal_per_point(kind):
    for d in _densities().values():
        sde = SDE.for_box(kind, d.box)
        f = true_score_fn(d, sde)
        n = 40
        t = sde.t_eps + (1 - sde.t_eps) * torch.rand(n, generator=_gen(5), dtype=F64)
        t[0], t[1] = sde.t_eps, 1.0
        x = torch.randn(n, 2, generator=_gen(6), dtype=F64) * 3
        want = torch.stack([marginal_density(d, sde, float(t[i])).score(x[i:i + 1])[0] for i in range(n)])
        assert torch.allclose(f(x, t), want, rtol=1e-9, atol=1e-11)
        # one time for all points (a number, a 0-d tensor or a constant (N,) tensor)
        same = marginal_density(d, sde, 0.3).score(x)
        assert torch.allclose(f(x, 0.3), same, rtol=0, atol=0)
        assert torch.allclose(f(x, torch.full((n,), 0.3, dtype=F64)), same, rtol=0, atol=0)
        # float32 points come back float32
        assert f(x.float(), torch.full((n,), 0.3)).dtype == torch.float32


def test_true_score_is_differentiable_when_asked():
    """Under grad mode with x requiring grad the true score keeps a graph (the likelihood's divergence):
    its Jacobian is the Hessian of log p_t, symmetric, and matches finite differences of the score."""
    for d in _densities().values():
        sde = SDE.for_box("vp", d.box)
        f = true_score_fn(d, sde)
        x = torch.tensor([[0.3, -0.7], [1.1, 0.4]], dtype=F64, requires_grad=True)
        for t in (torch.full((2,), 0.2, dtype=F64), torch.tensor([0.2, 0.5], dtype=F64)):
            s = f(x, t)
            assert s.requires_grad
            rows = [torch.autograd.grad(s[:, i].sum(), x, retain_graph=True)[0] for i in range(2)]
            jac = torch.stack(rows, 1)  # (N, i, j) = d s_i / d x_j
            assert torch.allclose(jac, jac.transpose(1, 2), atol=1e-8)
            h = 1e-5
            with torch.no_grad():
                fd = torch.stack([(f(x + h * e, t) - f(x - h * e, t)) / (2 * h) for e in torch.eye(2, dtype=F64)], 2)
            assert torch.allclose(jac, fd, rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------- what the result looks like
def test_name_box_and_file_say_what_it_is(tmp_path):
    d = make_preset("8gaussians")
    vp = SDE.for_box("vp", d.box)
    pt = marginal_density(d, vp, 0.5)
    assert pt.name == "8gaussians@t=0.5"
    assert pt.params == d.params and pt.params is not d.params
    # the view never shrinks, and covers alpha * box +- 3 std
    a, s = (float(v) for v in vp.marginal(0.5))
    x0, x1, y0, y1 = pt.box
    assert x0 <= min(d.box[0], a * d.box[0] - 3 * s) and x1 >= max(d.box[1], a * d.box[1] + 3 * s)
    assert marginal_box((-1, 1, -1, 1), 1.0, 0.0) == (-1, 1, -1, 1)
    assert marginal_box((-1, 2, 0, 1), 0.5, 1.0) == (-3.5, 4, -3, 3.5)
    ve = SDE.for_box("ve", d.box)
    p1 = marginal_density(d, ve, 1.0)
    assert p1.box[1] - p1.box[0] >= 6 * ve.sigma_max
    # saved as what it is (explicit components with the @t name), never as the clean preset
    spec = pt.to_dict()
    assert spec["type"] == "mixture" and spec["name"] == "8gaussians@t=0.5" and "preset" not in json.dumps(spec)
    back = density_from_dict(json.loads(json.dumps(spec)))
    x = torch.randn(30, 2, generator=_gen(1), dtype=F64) * 3
    assert torch.allclose(back.log_prob(x), pt.log_prob(x), rtol=1e-12)
    g = make_preset("checkerboard")
    gt = marginal_density(g, vp, 0.5)
    gspec = gt.to_dict()
    assert gspec["type"] == "grid" and gspec["name"] == "checkerboard@t=0.5"
    gback = density_from_dict(json.loads(json.dumps(gspec)))
    assert torch.allclose(gback.log_prob(x), gt.log_prob(x), rtol=1e-12)
    assert gback.box == pytest.approx(gt.box)
    # a perturbed density keeps its own name; perturbing a marginal starts from it
    ps = marginal_density(d.perturbed(0.3), vp, 0.5)
    assert ps.name == "8gaussians@sigma=0.3@t=0.5"
    assert pt.perturbed(0.1).name == "8gaussians@t=0.5@sigma=0.1"


def test_every_density_scoreviz_builds_has_an_exact_marginal(resources, tmp_path):
    dens = {name: make_preset(name) for name in PRESETS}
    dens["expression"] = load_density("expr:-(x**2 + y**2 - 4)**2 / 0.5", resolution=32)
    dens["image"] = load_density(str(resources / "heart.png"), max_cells=32)
    dens["drawn"] = mixture_density([1.0, 2.0], [[0.0, 1.0], [1.0, -1.0]], [np.eye(2) * 0.1] * 2)
    path = tmp_path / "d.json"
    path.write_text(json.dumps({"type": "preset", "name": "moons", "sigma": 0.2}))
    dens["file"] = load_density(str(path))
    x = torch.tensor([[0.1, 0.2], [2.0, -1.0], [40.0, 40.0]], dtype=F64)
    for label, d in dens.items():
        assert isinstance(d, (GaussianMixture, GridDensity)), label
        for kind in KINDS:
            pt = marginal_density(d, SDE.for_box(kind, d.box), 0.5)
            assert type(pt) is type(d), label
            assert torch.isfinite(pt.log_prob(x)).all() and torch.isfinite(pt.score(x)).all(), (label, kind)


def test_a_grid_too_small_for_float64_becomes_its_moment_matched_gaussian():
    """Scaled cells below 1e-7 of the blur (alpha(1) ~ 1e-109 at beta_max = 1000) cannot be evaluated
    as cells; the marginal is then N(alpha m, alpha^2 Cov + std^2 I), and where both are accurate
    (cells 1e-5 of the blur) the two agree to O((alpha extent / blur)^3)."""
    g = make_preset("checkerboard")
    steep = SDE("vp", beta_max=1000.0)
    p1 = marginal_density(g, steep, 1.0)
    assert isinstance(p1, GaussianMixture) and p1.name == "checkerboard@t=1"
    x = torch.randn(20, 2, generator=_gen(2), dtype=F64) * 2
    ref = -0.5 * (x**2).sum(1) - math.log(2 * math.pi)  # N(0, I) to ~1e-200
    assert torch.allclose(p1.log_prob(x), ref, atol=1e-12)
    alpha = 1e-5 * 1.0 / min(g.cell_size)  # scaled cells 1e-5 of a unit blur: both paths accurate
    cells = diffused(g, alpha, 1.0, "cells")
    gauss = _grid_gaussian(g, alpha, 1.0, cells.box, "gauss")
    assert isinstance(cells, GridDensity)
    assert torch.allclose(cells.log_prob(x), gauss.log_prob(x), atol=1e-9)
    assert torch.allclose(cells.score(x), gauss.score(x), atol=1e-8)


def test_marginals_are_cached_per_density_process_and_time():
    d = make_preset("ncsn-mixture")
    sde = SDE.for_box("vp", d.box)
    a = marginal_density(d, sde, 0.25)
    assert marginal_density(d, sde, 0.25) is a
    assert marginal_density(d, SDE.for_box("subvp", d.box), 0.25) is not a
    assert marginal_density(make_preset("ncsn-mixture"), sde, 0.25) is not a
    for i in range(CACHE_PER_DENSITY + 1):  # least recently used goes first
        marginal_density(d, sde, 0.5 + i * 1e-3)
    assert marginal_density(d, sde, 0.25) is not a


def test_a_large_grid_keeps_fewer_marginals(monkeypatch):
    import scoreviz.core.marginals as marginals

    g = make_preset("checkerboard")  # 4 x 4 cells
    monkeypatch.setattr(marginals, "GRID_CACHE_CELLS", 3 * 16)
    sde = SDE.for_box("vp", g.box)
    first = marginal_density(g, sde, 0.1)
    marginal_density(g, sde, 0.2)
    marginal_density(g, sde, 0.3)
    assert marginal_density(g, sde, 0.1) is first  # 3 kept
    marginal_density(g, sde, 0.4)
    marginal_density(g, sde, 0.5)
    marginal_density(g, sde, 0.6)
    assert marginal_density(g, sde, 0.1) is not first


# --------------------------------------------------------------------------- refusals
@pytest.mark.parametrize("t", [0.0, 1e-6, 1.0000001, 2, -1, float("nan"), float("inf"), "0.5", True, None])
def test_times_out_of_range_are_refused_in_one_line(t):
    d = make_preset("gaussian")
    sde = SDE.for_box("ve", d.box)  # t_eps = 1e-5
    with pytest.raises(ScorevizError) as info:
        marginal_density(d, sde, t)
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith("time t=")


def test_other_densities_and_processes_are_refused_in_one_line():
    class Fake:
        box, name, params = (-1, 1, -1, 1), "fake", {}

        def log_prob(self, x):
            return x[:, 0]

    sde = SDE("vp")
    for call in (lambda: marginal_density(Fake(), sde, 0.5), lambda: true_score_fn(Fake(), sde)):
        with pytest.raises(ScorevizError) as info:
            call()
        assert str(info.value) == "no exact marginal for a Fake; only Gaussian mixtures and grid densities have one"
    with pytest.raises(ScorevizError) as info:
        marginal_density(make_preset("gaussian"), "vp", 0.5)
    assert "\n" not in str(info.value) and "SDE" in str(info.value)
    f = true_score_fn(make_preset("gaussian"), sde)
    for bad in (lambda: f(torch.zeros(3), 0.5), lambda: f(torch.zeros(3, 2), torch.zeros(2))):
        with pytest.raises(ScorevizError) as info:
            bad()
        assert "\n" not in str(info.value)
