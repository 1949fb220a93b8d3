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
