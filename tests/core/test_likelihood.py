"""The probability-flow ODE likelihood: with the true score it is the exact log p_eps(x) to within the
solver tolerance (every kind), the prior term, the exact divergence, chunks, determinism, refusals."""

from __future__ import annotations

import math

import pytest
import torch

from scoreviz.core.errors import ScorevizError
from scoreviz.core.likelihood import exact_divergence, log_likelihood
from scoreviz.core.marginals import marginal_density, true_score_fn
from scoreviz.core.sde import SDE
from scoreviz.core.toys import make_preset

F64 = torch.float64
KINDS = ("vp", "ve", "subvp")


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/conftest.py


def _gen(seed):
    return torch.Generator().manual_seed(seed)


def _setup(kind, preset="ncsn-mixture", n=100):
    d = make_preset(preset)
    sde = SDE.for_box(kind, d.box)
    p_eps, p_1 = marginal_density(d, sde, sde.t_eps), marginal_density(d, sde, 1.0)
    x = p_eps.sample(n, _gen(0)).to(F64)
    return d, sde, p_eps, p_1, x


@pytest.mark.parametrize("kind", KINDS)
def test_true_score_likelihood_is_the_exact_log_density(kind):
    """log p_eps(x) = log p_1(x(1)) + integral div F: with the exact p_1 as the end density the only
    error is the solver's (measured: max ~6e-4, mean ~3e-5 nats at rtol = atol = 1e-5)."""
    for preset in ("ncsn-mixture", "8gaussians"):
        d, sde, p_eps, p_1, x = _setup(kind, preset)
        lp, nfe = log_likelihood(x, true_score_fn(d, sde), sde, prior_log_prob=p_1.log_prob)
        err = (lp - p_eps.log_prob(x)).abs()
        assert lp.dtype == F64 and lp.shape == (100,) and nfe > 10
        assert err.max() < 2e-3 and err.mean() < 2e-4, (preset, err.max(), err.mean())


def test_a_tighter_tolerance_gives_a_smaller_error():
    d, sde, p_eps, p_1, x = _setup("vp", n=40)
    f = true_score_fn(d, sde)
    errs, nfes = [], []
    for tol in (1e-4, 1e-6, 1e-7):
        lp, nfe = log_likelihood(x, f, sde, rtol=tol, atol=tol, prior_log_prob=p_1.log_prob)
        errs.append((lp - p_eps.log_prob(x)).abs().max().item())
        nfes.append(nfe)
    assert errs[0] > errs[1] > errs[2] and errs[2] < 1e-5
    assert nfes[0] < nfes[1] < nfes[2]


@pytest.mark.parametrize("kind", KINDS)
def test_the_standard_prior_costs_exactly_the_prior_mismatch(kind):
    """With the prior N(0, prior_std^2 I) in place of p_1 the result is off by [log prior - log p_1](x(1));
    x(1) ~ p_1 (the true flow), so on average by -KL(p_1 || prior) (Monte Carlo, 200k samples)."""
    d, sde, p_eps, p_1, x = _setup(kind, n=400)
    lp, _ = log_likelihood(x, true_score_fn(d, sde), sde)
    y = p_1.sample(200_000, _gen(1)).to(F64)
    gap = sde.prior_log_prob(y) - p_1.log_prob(y)  # per point, with mean -KL
    diff = lp - p_eps.log_prob(x)
    se = math.sqrt(gap.var().item() / len(x))
    assert abs(diff.mean().item() - gap.mean().item()) < 4 * se + 2e-4, (diff.mean(), gap.mean(), se)
    if kind == "ve":
        assert gap.mean() < -5e-3  # the default sigma_max does not hide the data mean
    else:
        assert abs(gap.mean()) < 1e-3


def test_a_grid_density_too():
    d = make_preset("checkerboard")
    sde = SDE.for_box("vp", d.box)
    p_eps, p_1 = marginal_density(d, sde, sde.t_eps), marginal_density(d, sde, 1.0)
    x = p_eps.sample(20, _gen(3)).to(F64)
    lp, _ = log_likelihood(x, true_score_fn(d, sde), sde, rtol=1e-5, atol=1e-5, prior_log_prob=p_1.log_prob)
    assert (lp - p_eps.log_prob(x)).abs().max() < 5e-3


def test_a_float32_score_wrapped_with_casts_gives_the_gaussian_log_density():
    """A model-like score in float32 (the work is float64: cast in, cast out; autograd goes through the
    casts).  Data N(0, s^2 I) under vp: s(x, t) = -x / v(t), v = alpha^2 s^2 + std^2, and p_1 = N(0, v(1) I)."""
    sde = SDE("vp")
    s0 = 0.6
    v = lambda t: sde.alpha(t) ** 2 * s0**2 + sde.std(t) ** 2  # noqa: E731

    def score32(x, t):
        return (-x.float() / v(t.float()).float()[:, None]).double()

    x = torch.randn(50, 2, generator=_gen(5), dtype=F64) * s0
    v1, ve = float(v(1.0)), float(v(sde.t_eps))
    lp, _ = log_likelihood(x, score32, sde, prior_log_prob=lambda y: -0.5 * (y**2).sum(1) / v1 - math.log(2 * math.pi * v1))
    exact = -0.5 * (x**2).sum(1) / ve - math.log(2 * math.pi * ve)
    assert (lp - exact).abs().max() < 1e-4


def test_the_divergence_is_exact():
    """Two backward passes give the trace of the Jacobian, here of a known map."""
    x = torch.randn(30, 2, generator=_gen(4), dtype=F64, requires_grad=True)
    F = torch.stack([torch.sin(x[:, 0]) * x[:, 1], x[:, 0] ** 2 + x[:, 1] ** 3], 1)
    want = torch.cos(x[:, 0]) * x[:, 1] + 3 * x[:, 1] ** 2
    assert torch.allclose(exact_divergence(F, x), want.detach(), rtol=1e-14)


def test_chunks_agree_and_the_same_input_gives_the_same_bits():
    d, sde, p_eps, p_1, x = _setup("subvp", n=30)
    f = true_score_fn(d, sde)
    whole, nfe_whole = log_likelihood(x, f, sde)
    parts, nfe_parts = log_likelihood(x, f, sde, chunk=16)
    assert (whole - parts).abs().max() < 1e-3 and nfe_parts > nfe_whole
    again, _ = log_likelihood(x, f, sde)
    assert torch.equal(whole, again)
    lp32, _ = log_likelihood(x[:4].float(), f, sde)  # float32 points are promoted to the float64 work dtype
    assert lp32.dtype == F64


def _bad_calls():
    d = make_preset("gaussian")
    sde = SDE("vp")
    f = true_score_fn(d, sde)
    x = torch.zeros(3, 2, dtype=F64)

    def detached(y, t):
        with torch.no_grad():
            return f(y, t)

    return {
        "detached score": lambda: log_likelihood(x, detached, sde),
        "score shape": lambda: log_likelihood(x, lambda y, t: y[:, :1] * 2, sde),
        "rtol=0": lambda: log_likelihood(x, f, sde, rtol=0.0),
        "atol=1": lambda: log_likelihood(x, f, sde, atol=1.0),
        "method": lambda: log_likelihood(x, f, sde, method="euler"),
        "chunk=0": lambda: log_likelihood(x, f, sde, chunk=0),
        "x shape": lambda: log_likelihood(torch.zeros(3), f, sde),
        "sde": lambda: log_likelihood(x, f, "vp"),
        "score_fn": lambda: log_likelihood(x, 3, sde),
        "prior": lambda: log_likelihood(x, f, sde, prior_log_prob="normal"),
        "nan score": lambda: log_likelihood(x, lambda y, t: y * float("nan"), sde),
    }


@pytest.mark.parametrize("case", sorted(_bad_calls()))
def test_bad_arguments_are_refused_in_one_line(case):
    with pytest.raises(ScorevizError) as info:
        _bad_calls()[case]()
    assert "\n" not in str(info.value) and str(info.value)
