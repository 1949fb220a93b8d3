"""Langevin samplers: stationary behaviour, Song & Ermon's toy, determinism, init strings."""

import math

import pytest
import torch

from scoreviz.core.errors import ScorevizError
from scoreviz.core.mixture import GaussianMixture
from scoreviz.core.samplers import (
    annealed_langevin,
    geometric_sigmas,
    initial_particles,
    langevin,
    langevin_step,
)

F64 = torch.float64


def _gen(seed):
    return torch.Generator().manual_seed(seed)


def _toy():
    """Song & Ermon's toy: 1/5 N((-5,-5), I) + 4/5 N((5,5), I)."""
    return GaussianMixture([0.2, 0.8], torch.tensor([[-5.0, -5.0], [5.0, 5.0]]), torch.eye(2).repeat(2, 1, 1))


class PerturbedScores:
    """score_fn(x, sigma) = grad log p_sigma(x), exact for a mixture (cached per level)."""

    def __init__(self, p):
        self.p, self.cache = p, {}

    def __call__(self, x, sigma):
        if sigma not in self.cache:
            self.cache[sigma] = self.p.perturbed(sigma)
        return self.cache[sigma].score(x)


def test_langevin_step_formula():
    x = torch.tensor([[1.0, 2.0], [-3.0, 0.5]])
    eps = 0.04
    out = langevin_step(x, lambda y: -2 * y, eps, _gen(0))
    z = torch.randn(x.shape, generator=_gen(0))
    torch.testing.assert_close(out, x + 0.5 * eps * (-2 * x) + math.sqrt(eps) * z)


def test_langevin_reaches_gaussian_mean_and_covariance():
    mu = torch.tensor([1.0, -2.0], dtype=F64)
    cov = torch.tensor([[1.0, 0.5], [0.5, 2.0]], dtype=F64)
    prec = torch.linalg.inv(cov)
    n, eps = 4000, 0.05
    x = torch.full((n, 2), 10.0, dtype=F64)  # a wrong start, far away
    x = langevin(x, lambda y: -(y - mu) @ prec.T, eps, 2000, _gen(0))
    # stationary law of the discretised chain x' = M x + ..., M = I - eps/2 P: C = M C M^T + eps I
    m = torch.eye(2, dtype=F64) - 0.5 * eps * prec
    c = cov.clone()
    for _ in range(5000):
        c = m @ c @ m.T + eps * torch.eye(2, dtype=F64)
    torch.testing.assert_close(c, cov, atol=0.05, rtol=0)  # small eps: small discretisation bias
    emp_cov = torch.cov(x.T)
    se_mean = torch.sqrt(torch.diagonal(cov) / n)
    assert ((x.mean(0) - mu).abs() < 4 * se_mean).all()
    se_cov = torch.sqrt((cov**2 + torch.outer(torch.diagonal(cov), torch.diagonal(cov))) / n)  # Wishart
    assert ((emp_cov - c).abs() < 4 * se_cov).all(), (emp_cov, c)
    assert ((emp_cov - cov).abs() < 0.1).all()


def test_annealed_recovers_mode_weights_plain_langevin_does_not():
    p = _toy()
    n = 2000
    start = initial_particles(n, "uniform:-8,8", _gen(0))
    levels = geometric_sigmas(20.0, 1.0, 10)
    annealed = annealed_langevin(start.clone(), PerturbedScores(p), levels, 0.1, 100, _gen(1))
    plain = langevin(start.clone(), p.score, 0.1, 1000, _gen(2))
    se = math.sqrt(0.2 * 0.8 / n)

    def weight_low(x):  # share of particles nearer (-5, -5)
        return (x.sum(1) < 0).double().mean().item()

    assert abs(weight_low(annealed) - 0.2) < 4 * se + 0.02
    assert abs(weight_low(plain) - 0.5) < 0.06  # stuck with the start's split
    assert abs(weight_low(start) - 0.5) < 4 * math.sqrt(0.25 / n)
    # both runs do end on the modes (annealed ends at sigma_L = 1: p_1 has covariance 2I per mode)
    for x in (annealed, plain):
        dist = torch.minimum((x - 5).norm(dim=1), (x + 5).norm(dim=1))
        assert (dist < 5).double().mean() > 0.99


def test_annealed_step_sizes_and_callback():
    seen = []

    def score_fn(x, sigma):
        seen.append(sigma)
        return torch.zeros_like(x)

    x0 = torch.zeros(5000, 2, dtype=F64)
    levels = [4.0, 2.0, 1.0]
    calls = []
    out = annealed_langevin(x0, score_fn, levels, 0.01, 2, _gen(0), callback=lambda k, x, i: calls.append((k, i)))
    assert seen == [4.0, 4.0, 2.0, 2.0, 1.0, 1.0]
    assert calls == [(1, 0), (2, 0), (3, 1), (4, 1), (5, 2), (6, 2)]
    # zero score: the variance added is sum of alpha_i over steps = 2 * 0.01 * (16 + 4 + 1)
    var = out.var(0).mean().item()
    assert abs(var - 0.42) < 0.42 * 4 * math.sqrt(2 / 10000)


def test_callback_can_stop():
    x = torch.zeros(3, 2)
    steps = []

    def cb(k, x):
        steps.append(k)
        return k < 4

    langevin(x, lambda y: -y, 0.1, 100, _gen(0), callback=cb)
    assert steps == [1, 2, 3, 4]
    stopped = annealed_langevin(x, lambda y, s: -y, [2.0, 1.0], 0.1, 10, _gen(0), callback=lambda k, y, i: k < 3)
    assert stopped.shape == (3, 2)


def test_samplers_deterministic_with_seeded_generator():
    p = _toy()
    levels = geometric_sigmas(20.0, 1.0, 4)
    runs = []
    for seed in (5, 5, 6):
        x = initial_particles(300, "gaussian:3", _gen(seed))
        a = langevin(x, p.score, 0.1, 20, _gen(seed))
        b = annealed_langevin(x, PerturbedScores(p), levels, 0.1, 5, _gen(seed))
        runs.append((x, a, b))
    assert all(torch.equal(u, v) for u, v in zip(runs[0], runs[1]))
    assert not any(torch.equal(u, v) for u, v in zip(runs[0], runs[2]))


def test_no_autograd_graph():
    w = torch.tensor(2.0, requires_grad=True)
    x = torch.zeros(4, 2)
    assert not langevin(x, lambda y: -w * y, 0.1, 3, _gen(0)).requires_grad
    assert not annealed_langevin(x, lambda y, s: -w * y, [1.0], 0.1, 3, _gen(0)).requires_grad


def test_geometric_sigmas():
    s = geometric_sigmas(20.0, 1.0, 10, dtype=F64)
    assert s.shape == (10,) and s[0] == 20.0 and s[-1] == 1.0
    torch.testing.assert_close(s[1:] / s[:-1], torch.full((9,), 20 ** (-1 / 9), dtype=F64))
    assert geometric_sigmas(5.0, 0.5, 1).tolist() == [0.5]
    for args in ((1.0, 1.0, 3), (1.0, 0.0, 3), (0.5, 1.0, 3), (1.0, 0.1, 0)):
        with pytest.raises(ScorevizError):
            geometric_sigmas(*args)


def test_initial_particles_uniform_and_gaussian():
    x = initial_particles(20000, "uniform:-8,8", _gen(0))
    assert x.shape == (20000, 2) and x.dtype == torch.float32
    assert x.min() >= -8 and x.max() < 8
    assert x.mean(0).abs().max() < 4 * 16 / math.sqrt(12 * 20000)
    torch.testing.assert_close(x.var(0), torch.full((2,), 256 / 12), rtol=0.05, atol=0)
    y = initial_particles(20000, " gaussian: 2.5 ", _gen(0))
    torch.testing.assert_close(y.std(0), torch.full((2,), 2.5), rtol=0.03, atol=0)
    assert torch.equal(initial_particles(10, "uniform:0,1", _gen(3)), initial_particles(10, "uniform:0,1", _gen(3)))


@pytest.mark.parametrize(
    "init",
    ["uniform", "uniform:1", "uniform:2,1", "uniform:a,b", "uniform:0,1,2", "gaussian:0", "gaussian:-1",
     "gaussian:1,2", "gaussian:nan", "normal:1", "", "uniform:-inf,1"],
)
def test_initial_particles_refusals(init):
    with pytest.raises(ScorevizError, match="uniform:LO,HI.*gaussian:STD"):
        initial_particles(10, init, _gen(0))


def test_bad_sampler_arguments():
    x = torch.zeros(2, 2)
    with pytest.raises(ScorevizError, match="step size"):
        langevin_step(x, lambda y: y, 0.0, _gen(0))
    with pytest.raises(ScorevizError, match="steps"):
        langevin(x, lambda y: y, 0.1, -1, _gen(0))
    with pytest.raises(ScorevizError, match="noise levels"):
        annealed_langevin(x, lambda y, s: y, [], 0.1, 1, _gen(0))
    with pytest.raises(ScorevizError, match="particles"):
        initial_particles(0, "gaussian:1", _gen(0))


# ---------------------------------------------------------------- default step sizes (issue 10)
from scoreviz.core.densities import PRESETS, make_preset  # noqa: E402
from scoreviz.core.samplers import annealed_refusal, default_step_size  # noqa: E402


@pytest.mark.parametrize("sched", [(1.0, 0.01, 10), (20.0, 1.0, 10), (5.0, 0.3, 1), (2.0, 0.05, 7)])
def test_annealed_default_step_is_a_tenth_of_each_levels_variance(sched):
    sig = geometric_sigmas(*sched)
    eps = default_step_size("annealed", sig)
    assert eps == pytest.approx(0.1 * sched[1] ** 2, rel=1e-6)  # eps = 0.1 sigma_L^2
    for s in sig.tolist():  # alpha_i = eps sigma_i^2 / sigma_L^2 = 0.1 sigma_i^2
        assert eps * s**2 / float(sig[-1]) ** 2 == pytest.approx(0.1 * s**2, rel=1e-5)
    # plain lists work too; Song & Ermon's toy (sigma 20 -> 1) is their eps = 0.1 exactly
    assert default_step_size("annealed", [20.0, 1.0]) == pytest.approx(0.1)


def test_langevin_default_step_and_bad_input():
    assert default_step_size("langevin") == 0.01
    assert default_step_size("langevin", geometric_sigmas(1.0, 0.01, 10)) == 0.01
    assert default_step_size("annealed", [2000.0, 500.0]) == 10.0  # capped at the largest allowed step size
    for bad in (("annealed", None), ("annealed", []), ("annealed", [1.0, 0.0]), ("nope", None)):
        with pytest.raises(ScorevizError):
            default_step_size(*bad)


def _nearest(x, y):
    """Mean over x of the distance to the nearest point of y."""
    return torch.cdist(x.double(), y.double()).min(1).values.mean().item()


def _annealed_true(d, sched, eps, n=400, seed=0):
    sig = geometric_sigmas(*sched)
    scores = PerturbedScores(d)
    xmin, xmax, ymin, ymax = d.box
    g = _gen(seed)
    x = initial_particles(n, f"uniform:{min(xmin, ymin)},{max(xmax, ymax)}", g)
    return annealed_langevin(x, scores, sig, eps, 100, g)


@pytest.mark.parametrize("name", list(PRESETS))
def test_default_annealed_run_with_the_true_score_lands_on_every_preset(name):
    """The app's schedule (sigma 1 -> 0.01) and the CLI's (20 -> 1), each with its default eps: finite,
    and the particles are as close to exact samples of p_{sigma_L} as exact samples are."""
    torch.manual_seed(0)
    d = make_preset(name)
    for sched in ((1.0, 0.01, 10), (20.0, 1.0, 10)):
        x = _annealed_true(d, sched, default_step_size("annealed", geometric_sigmas(*sched)))
        assert torch.isfinite(x).all(), (name, sched)
        target = d.perturbed(sched[1])
        ref = target.sample(2000, _gen(1))
        base = _nearest(target.sample(400, _gen(2)), ref)  # what exact samples score
        dist = _nearest(x, ref)
        assert dist < 1.5 * base + 0.03, (name, sched, dist, base)


def test_the_old_default_step_diverges_where_the_new_one_does_not():
    """eps = 0.01 with sigma from 1 to 0.01: the first step is 1e4 * eps = 100 (the bug of issue 10)."""
    d = make_preset("8gaussians")
    with torch.no_grad():
        x = _annealed_true(d, (1.0, 0.01, 10), 0.01, n=200)
    assert not torch.isfinite(x).all() or x.abs().max() > 1e3


@pytest.mark.parametrize("name", list(PRESETS))
def test_default_langevin_step_stays_finite_on_every_preset(name):
    d = make_preset(name)
    xmin, xmax, ymin, ymax = d.box
    g = _gen(0)
    x = initial_particles(400, f"uniform:{min(xmin, ymin)},{max(xmax, ymax)}", g)
    x = langevin(x, d.score, default_step_size("langevin"), 300, g)
    assert torch.isfinite(x).all()
    lo = min(xmin, ymin) - 1
    hi = max(xmax, ymax) + 1
    assert ((x >= lo) & (x <= hi)).all(dim=1).float().mean() > 0.99


def test_annealed_refusal():
    assert annealed_refusal("true", False) is None
    assert annealed_refusal("true", True) is None
    assert annealed_refusal("learned", True) is None
    reason = annealed_refusal("learned", False)
    assert isinstance(reason, str) and "\n" not in reason and "noise-conditional" in reason
