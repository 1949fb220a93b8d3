"""Reverse SDE, probability-flow ODE (euler, heun, rk45) and predictor-corrector: the update formulas,
exact maps on a Gaussian, the NCSN mixture's 1 : 4 weights from the prior, the step-wise run,
trajectories, determinism and refusals."""

from __future__ import annotations

import math

import pytest
import torch

from scoreviz.core.diffusion import DiffusionRun, pc, pf_ode, reverse_sde, saved_indices
from scoreviz.core.errors import ScorevizError
from scoreviz.core.marginals import true_score_fn
from scoreviz.core.mixture import GaussianMixture
from scoreviz.core.sde import SDE
from scoreviz.core.toys import make_preset

F64 = torch.float64
KINDS = ("vp", "ve", "subvp")


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/conftest.py


def _gen(seed):
    return torch.Generator().manual_seed(seed)


def _linear_score(x, t):
    """A stand-in score, -x (N(0, I)), that records nothing: for formula and plumbing tests."""
    return -x


# --------------------------------------------------------------------------- one step, by hand
@pytest.mark.parametrize("kind", KINDS)
def test_one_step_of_each_sampler_is_its_formula(kind):
    sde = SDE("vp" if kind == "vp" else kind, sigma_max=20.0)
    steps = 4
    ts = sde.times(steps).tolist()
    t, tn = ts[0], ts[1]
    dt = t - tn
    x = sde.prior_sample(64, _gen(1), dtype=F64)

    def s(y, tt):
        assert tt.shape == (y.shape[0],) and tt.dtype == y.dtype and bool((tt == tt[0]).all())
        return -y / (1 + float(tt[0]))

    f = sde.drift(x, t)
    g2 = float(sde.g2(t))
    # reverse-sde, Euler-Maruyama: x - [f - g^2 s] dt + g sqrt(dt) z
    run = DiffusionRun(x, s, sde, "reverse-sde", steps=steps, generator=_gen(7))
    run.step()
    z = torch.randn(x.shape, generator=_gen(7), dtype=F64)
    want = x - (f - g2 * s(x, torch.full((64,), t, dtype=F64))) * dt + math.sqrt(g2 * dt) * z
    assert torch.allclose(run.x, want, rtol=1e-14, atol=1e-14) and run.t == tn and run.nfe == 1
    # pf-ode euler and heun: F = f - g^2 s / 2
    flow = lambda y, tt: sde.drift(y, tt) - 0.5 * float(sde.g2(tt)) * s(y, torch.full((64,), tt, dtype=F64))  # noqa: E731
    run = DiffusionRun(x, s, sde, "pf-ode", steps=steps, solver="euler")
    run.step()
    assert torch.allclose(run.x, x - dt * flow(x, t), rtol=1e-14, atol=1e-14)
    run = DiffusionRun(x, s, sde, "pf-ode", steps=steps, solver="heun")
    run.step()
    d1 = flow(x, t)
    d2 = flow(x - dt * d1, tn)
    assert torch.allclose(run.x, x - 0.5 * dt * (d1 + d2), rtol=1e-14, atol=1e-14) and run.nfe == 2
    # pc: Langevin corrector eps = 2 a (r |z| / |s|)^2 (batch-mean norms), then the reverse-diffusion predictor
    r = 0.2
    run = DiffusionRun(x, s, sde, "pc", steps=steps, snr=r, corrector_steps=1, generator=_gen(9))
    run.step()
    g = _gen(9)
    z1 = torch.randn(x.shape, generator=g, dtype=F64)
    tt = torch.full((64,), t, dtype=F64)
    (a_t, s_t), (a_n, s_n) = sde.marginal(t), sde.marginal(tn)
    m = float(a_t / a_n)
    big_g2 = float(s_t**2 - m * m * s_n**2)
    a = 1.0 if kind == "ve" else m * m
    if kind == "ve":
        assert big_g2 == pytest.approx(float(sde.sigma(t) ** 2 - sde.sigma(tn) ** 2), rel=1e-12)
    else:  # 1 - beta_i, beta_i = 1 - exp(-integral of beta over the step) ~ beta(t) dt
        assert a == pytest.approx(math.exp(-(float(sde.beta(t)) + float(sde.beta(tn))) / 2 * dt), rel=1e-12)
    sx = s(x, tt)
    eps = 2 * a * (r * z1.norm(dim=1).mean() / sx.norm(dim=1).mean()) ** 2
    xc = x + eps * sx + torch.sqrt(2 * eps) * z1
    z2 = torch.randn(x.shape, generator=g, dtype=F64)
    want = (2 - m) * xc + big_g2 * s(xc, tt) + math.sqrt(big_g2) * z2
    assert torch.allclose(run.x, want, rtol=1e-13, atol=1e-13) and run.nfe == 2


def test_the_last_step_adds_no_noise():
    """score_sde's noise removal: the final update of reverse-sde and pc is its mean (and draws nothing)."""
    sde = SDE("vp")
    x = sde.prior_sample(10, _gen(0), dtype=F64)
    a = reverse_sde(x, _linear_score, sde, steps=1, generator=_gen(1)).x
    b = reverse_sde(x, _linear_score, sde, steps=1, generator=_gen(2)).x
    assert torch.equal(a, b)
    g = _gen(3)
    pc(x, _linear_score, sde, steps=1, generator=g)
    h = _gen(3)
    torch.randn(x.shape, generator=h, dtype=F64)  # the one corrector draw, no predictor draw
    assert torch.equal(torch.randn(3, generator=g), torch.randn(3, generator=h))


@pytest.mark.parametrize("kind", KINDS)
def test_probability_flow_of_a_gaussian_is_the_exact_scaling(kind):
    """Data N(0, s^2 I): p_t = N(0, v(t) I), v = alpha^2 s^2 + std^2, and the probability-flow ODE is
    x(t) = x(1) sqrt(v(t) / v(1)).  heun is second order, rk45 meets its tolerance."""
    s0 = 0.7
    d = GaussianMixture([1.0], [[0.0, 0.0]], [[[s0**2, 0.0], [0.0, s0**2]]])
    sde = SDE(kind, sigma_max=5.0)
    f = true_score_fn(d, sde)
    v = lambda t: float(sde.alpha(t)) ** 2 * s0**2 + float(sde.std(t)) ** 2  # noqa: E731
    x1 = sde.prior_sample(200, _gen(4), dtype=F64)
    exact = x1 * math.sqrt(v(sde.t_eps) / v(1.0))
    err = {}
    for steps in (50, 100):
        err[steps] = (pf_ode(x1, f, sde, "heun", steps).x - exact).abs().max().item()
    assert err[100] < err[50] / 3.2 and err[100] < 2e-2  # second order: halving dt divides the error by ~4
    r = pf_ode(x1, f, sde, "rk45", rtol=1e-7, atol=1e-7)
    assert (r.x - exact).abs().max().item() < 1e-5 and r.nfe > 10
    assert (pf_ode(x1, f, sde, "euler", 400).x - exact).abs().max().item() < 0.1


@pytest.mark.parametrize("kind", KINDS)
def test_reverse_sde_and_pc_give_the_gaussian_marginal(kind):
    s0 = 0.7
    d = GaussianMixture([1.0], [[1.0, -1.0]], [[[s0**2, 0.0], [0.0, s0**2]]])
    sde = SDE(kind, sigma_max=5.0)
    f = true_score_fn(d, sde)
    n = 4000
    var = float(sde.alpha(sde.t_eps)) ** 2 * s0**2 + float(sde.std(sde.t_eps)) ** 2
    mean = float(sde.alpha(sde.t_eps)) * torch.tensor([1.0, -1.0], dtype=F64)
    x1 = sde.prior_sample(n, _gen(5), dtype=F64)
    for out in (reverse_sde(x1, f, sde, 200, _gen(6)).x, pc(x1, f, sde, 100, generator=_gen(7)).x):
        assert ((out.mean(0) - mean).abs() < 5 * math.sqrt(var / n)).all()
        assert ((out.var(0) / var - 1).abs() < 0.1).all()


# --------------------------------------------------------------------------- Song & Ermon's toy
@pytest.mark.parametrize("kind", KINDS)
def test_every_sampler_recovers_the_ncsn_mixture_weights_from_the_prior(kind):
    """ncsn-mixture: 1/5 N((-5,-5), I) + 4/5 N((5,5), I).  With the true score every sampler, started
    from the prior, puts 1/5 of the particles on the small mode (binomial sd 0.009 at n = 2000) and the
    big mode's mean and spread right.

    The prior is N(0, prior_std^2 I), but p_1 is the data blurred: its mean is alpha(1) times the data
    mean (4.2 from the origin).  For vp/subvp alpha(1) = 0.0066, a shift of 0.03 (weight error ~0.008);
    for ve, alpha = 1 and the shift is the data mean itself: the deterministic PF-ODE then moves the
    small mode's weight by ~ phi(z) 4.2 / sigma_max (0.05 at the box-diagonal default sigma_max = 22.6,
    measured 0.25 instead of 0.20).  Here ve uses sigma_max = 300 (shift 0.004)."""
    d = make_preset("ncsn-mixture")
    sde = SDE("ve", sigma_max=300.0) if kind == "ve" else SDE.for_box(kind, d.box)
    f = true_score_fn(d, sde)
    n = 2000
    x1 = sde.prior_sample(n, _gen(11), dtype=F64)
    runs = {
        "reverse-sde": lambda: reverse_sde(x1, f, sde, 200, _gen(12)),
        "pf-ode euler": lambda: pf_ode(x1, f, sde, "euler", 1000 if kind == "ve" else 200),
        "pf-ode heun": lambda: pf_ode(x1, f, sde, "heun", 100),
        "pf-ode rk45": lambda: pf_ode(x1, f, sde, "rk45", rtol=1e-4, atol=1e-4),
        "pc": lambda: pc(x1, f, sde, 100, generator=_gen(13)),
    }
    for name, go in runs.items():
        x = go().x
        small = (x.sum(1) < 0).double().mean().item()
        assert abs(small - 0.2) < 0.035, (name, small)
        big = x[x.sum(1) > 0]
        assert (big.mean(0) - 5).abs().max() < 0.12, (name, big.mean(0))
        assert (big.std(0) - 1).abs().max() < 0.08, (name, big.std(0))


# --------------------------------------------------------------------------- the step-wise run
def test_a_run_stepped_frame_by_frame_is_the_one_shot_sampler_bit_for_bit():
    d = make_preset("ncsn-mixture")
    sde = SDE.for_box("vp", d.box)
    f = true_score_fn(d, sde)
    x1 = sde.prior_sample(300, _gen(1))
    cases = [
        (dict(method="reverse-sde", generator=_gen(2)), lambda: reverse_sde(x1, f, sde, 30, _gen(2), keep=4)),
        (dict(method="pc", generator=_gen(3), snr=0.1, corrector_steps=2),
         lambda: pc(x1, f, sde, 30, snr=0.1, corrector_steps=2, generator=_gen(3), keep=4)),
        (dict(method="pf-ode", solver="euler"), lambda: pf_ode(x1, f, sde, "euler", 30, keep=4)),
        (dict(method="pf-ode", solver="heun"), lambda: pf_ode(x1, f, sde, "heun", 30, keep=4)),
    ]
    for kwargs, one_shot in cases:
        method = kwargs.pop("method")
        run = DiffusionRun(x1, f, sde, method, steps=30, keep=4, **kwargs)
        ts = [run.t]
        while not run.done:
            run.step(7)
            ts.append(run.t)
        assert ts == [1.0] + [float(sde.times(30)[i]) for i in (7, 14, 21, 28, 30)]
        assert run.t == sde.t_eps
        a, b = run.result(), one_shot()
        assert torch.equal(a.x, b.x) and torch.equal(a.trajectory, b.trajectory) and a.nfe == b.nfe
        assert a.x.dtype == torch.float32
    assert torch.equal(x1, sde.prior_sample(300, _gen(1)))  # the caller's tensor is untouched


def test_rk45_runs_in_chunks_and_agrees_with_one_solve():
    d = make_preset("ncsn-mixture")
    sde = SDE.for_box("subvp", d.box)
    f = true_score_fn(d, sde)
    x1 = sde.prior_sample(200, _gen(1), dtype=F64)
    one = pf_ode(x1, f, sde, "rk45", rtol=1e-6, atol=1e-6, keep=5)
    run = DiffusionRun(x1, f, sde, "pf-ode", solver="rk45", steps=4, rtol=1e-6, atol=1e-6, keep=5)
    run.step()
    assert run.t == pytest.approx(0.75 + 0.25 * sde.t_eps) and 0 < run.nfe
    res = run.run()
    assert torch.allclose(res.times, one.times, rtol=1e-15)
    assert (res.trajectory - one.trajectory).abs().max() < 1e-3
    assert res.nfe > one.nfe  # each chunk restarts the adaptive step


def test_trajectories_keep_both_ends_at_evenly_spaced_times():
    sde = SDE("ve", sigma_max=10.0)
    x1 = sde.prior_sample(50, _gen(0))
    r = reverse_sde(x1, _linear_score, sde, 12, _gen(1), keep=5)
    assert r.trajectory.shape == (5, 50, 2) and r.times.dtype == F64
    assert torch.equal(r.trajectory[0], x1) and torch.equal(r.trajectory[-1], r.x)
    assert torch.allclose(r.times, torch.linspace(1.0, sde.t_eps, 5, dtype=F64), rtol=1e-15)
    assert saved_indices(10, 4) == [0, 3, 7, 10] and saved_indices(5, 6) == [0, 1, 2, 3, 4, 5]
    assert reverse_sde(x1, _linear_score, sde, 12, _gen(1)).trajectory is None
    r = pf_ode(x1, _linear_score, sde, "rk45", keep=3)
    assert r.trajectory.shape == (3, 50, 2) and torch.equal(r.trajectory[0], x1)
    assert r.times.tolist() == [1.0, (1.0 + sde.t_eps) / 2, sde.t_eps]
    assert pf_ode(x1, _linear_score, sde, "rk45").times is None


def test_function_evaluations_are_counted():
    sde = SDE("vp")
    x = sde.prior_sample(20, _gen(0))
    assert reverse_sde(x, _linear_score, sde, 9, _gen(1)).nfe == 9
    assert pf_ode(x, _linear_score, sde, "euler", 9).nfe == 9
    assert pf_ode(x, _linear_score, sde, "heun", 9).nfe == 18
    assert pc(x, _linear_score, sde, 9, corrector_steps=3, generator=_gen(2)).nfe == 36
    calls = []
    pf_ode(x, lambda y, t: calls.append(1) or -y, sde, "rk45")
    assert pf_ode(x, _linear_score, sde, "rk45").nfe == len(calls) > 0


def test_same_seed_same_bits_and_another_seed_differs():
    d = make_preset("8gaussians")
    sde = SDE.for_box("vp", d.box)
    f = true_score_fn(d, sde)

    def once(seed, sampler):
        x1 = sde.prior_sample(200, _gen(seed))
        if sampler == "pc":
            return pc(x1, f, sde, 20, generator=_gen(seed + 1)).x
        if sampler == "rk45":
            return pf_ode(x1, f, sde, "rk45").x
        return reverse_sde(x1, f, sde, 20, _gen(seed + 1)).x

    for sampler in ("reverse-sde", "pc", "rk45"):
        assert torch.equal(once(5, sampler), once(5, sampler))
        assert not torch.equal(once(5, sampler), once(6, sampler))


# --------------------------------------------------------------------------- refusals
def _bad_calls():
    sde = SDE("vp")
    x = torch.zeros(4, 2)
    s = _linear_score
    return {
        "steps=0": lambda: reverse_sde(x, s, sde, 0),
        "steps=1.5": lambda: pf_ode(x, s, sde, "euler", 1.5),
        "steps huge": lambda: pc(x, s, sde, 10**9),
        "snr=0": lambda: pc(x, s, sde, 5, snr=0.0),
        "snr=nan": lambda: pc(x, s, sde, 5, snr=float("nan")),
        "corrector_steps=0": lambda: pc(x, s, sde, 5, corrector_steps=0),
        "corrector_steps=101": lambda: pc(x, s, sde, 5, corrector_steps=101),
        "rtol=0": lambda: pf_ode(x, s, sde, "rk45", rtol=0.0),
        "atol=0.2": lambda: pf_ode(x, s, sde, "rk45", atol=0.2),
        "solver": lambda: pf_ode(x, s, sde, "rk4"),
        "method": lambda: DiffusionRun(x, s, sde, "langevin"),
        "keep=1": lambda: reverse_sde(x, s, sde, 5, keep=1),
        "keep>steps+1": lambda: reverse_sde(x, s, sde, 5, keep=7),
        "keep too much": lambda: pf_ode(torch.zeros(10**5, 2), s, sde, "rk45", keep=10_000),
        "x shape": lambda: reverse_sde(torch.zeros(4, 3), s, sde, 5),
        "x ints": lambda: reverse_sde(torch.zeros(4, 2, dtype=torch.long), s, sde, 5),
        "sde": lambda: reverse_sde(x, s, "vp", 5),
        "score_fn": lambda: reverse_sde(x, None, sde, 5),
        "score shape": lambda: reverse_sde(x, lambda y, t: y[:, :1], sde, 5),
        "step(0)": lambda: DiffusionRun(x, s, sde).step(0),
    }


@pytest.mark.parametrize("case", sorted(_bad_calls()))
def test_bad_arguments_are_refused_in_one_line(case):
    with pytest.raises(ScorevizError) as info:
        _bad_calls()[case]()
    assert "\n" not in str(info.value) and str(info.value)
