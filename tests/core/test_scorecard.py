"""The scorecard (scoreviz.core.scorecard): samples measured against the exact target density.

Exact samples read near zero and within Monte Carlo error of the true mode weights; samples from
one mode only or from a shifted density read clearly worse, by the amounts the maths predicts;
the NCSN demo's plain Langevin run reports a low-mode weight near 1/2 and the annealed run near 1/5.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from scoreviz.core import samplers
from scoreviz.core import scorecard as sc
from scoreviz.core.densities import make_preset, mixture_density
from scoreviz.core.errors import ScorevizError

N = 10_000


def exact(density, n=N, seed=5) -> np.ndarray:
    return density.sample(n, torch.Generator().manual_seed(seed)).double().numpy()


def one_mode(density, k, n=N, seed=0) -> np.ndarray:
    """n exact samples of component k of a mixture alone."""
    z = np.random.default_rng(seed).standard_normal((n, 2))
    return density.means[k].numpy() + z @ np.linalg.cholesky(density.covs[k].numpy()).T


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/conftest.py


@pytest.fixture(scope="module")
def ncsn():
    return make_preset("ncsn-mixture")


# ----------------------------------------------------------------------------- mode weights
@pytest.mark.parametrize("density", [
    make_preset("ncsn-mixture"),
    make_preset("8gaussians"),
    mixture_density([0.5, 0.3, 0.2], [[-6, 0], [0, 6], [6, 0]], [np.eye(2), np.diag([0.5, 2.0]), 0.3 * np.eye(2)]),
], ids=["ncsn-mixture", "8gaussians", "three-unequal"])
def test_mode_weights_of_exact_samples_match_the_true_weights_within_monte_carlo_error(density):
    n = 20_000
    sampled, true = sc.mode_weights(exact(density, n), density)
    assert np.allclose(true, density.weights.numpy()) and sampled.sum() == pytest.approx(1.0)
    se = np.sqrt(true * (1 - true) / n)
    assert np.all(np.abs(sampled - true) < 4 * se + 1e-3), (sampled, true)
    # the component order is the mixture's: samples of component 0 alone show up first
    assert sc.mode_weights(one_mode(density, 0, 500), density)[0][0] > 0.99
    assert sc.modes_found(sampled, true) == len(true)


def test_zero_weight_components_are_dropped_so_they_have_no_entry():
    d = mixture_density([0.5, 0.0, 0.5], [[-3, 0], [0, 0], [3, 0]], [np.eye(2)] * 3)
    card = sc.scorecard(exact(d, 2000), d)
    assert card["true_mode_weights"] == [0.5, 0.5] and len(card["mode_weights"]) == 2


def test_modes_found_counts_components_with_a_fifth_of_their_weight():
    true = np.array([0.2, 0.8])
    assert sc.modes_found([0.05, 0.95], true) == 2  # 0.05 >= 0.2 * 0.2 = 0.04
    assert sc.modes_found([0.03, 0.97], true) == 1
    assert sc.modes_found([0.0, 1.0], true) == 1


# ----------------------------------------------------------------------------- exact vs wrong samples
@pytest.mark.parametrize("name", ["ncsn-mixture", "8gaussians", "checkerboard"])
def test_exact_samples_read_near_zero_and_shifted_ones_grow_with_the_shift(name):
    d = make_preset(name)
    x = exact(d)
    cards = [sc.scorecard(x + s, d) for s in (0.0, 0.5, 1.0)]  # shifted by (s, s)
    zero, half, one = cards
    assert zero["n"] == N
    assert zero["kl"] < 0.03 and zero["tv"] < 0.08 and zero["sliced_wasserstein"] < 0.12 and zero["mmd"] < 0.05
    mean, se = sc.expected_log_q(d)
    assert zero["true_mean_log_q"] == pytest.approx(mean) and se < 0.02
    assert abs(zero["mean_log_q"] - zero["true_mean_log_q"]) < 0.06
    for key in ("kl", "tv", "sliced_wasserstein", "mmd"):
        assert zero[key] < half[key] < one[key], key
    assert one["kl"] > 20 * zero["kl"] and one["tv"] > 5 * zero["tv"] and one["mmd"] > 0.15
    # a shift by v reads (2/pi)|v| in sliced W1 (the mean of |theta . v| over directions)
    for card, s in ((half, 0.5), (one, 1.0)):
        assert card["sliced_wasserstein"] == pytest.approx(2 / math.pi * s * math.sqrt(2), rel=0.12)
    assert one["mean_log_q"] < zero["true_mean_log_q"] - 0.5


def test_shifted_gaussian_modes_read_the_kl_of_a_shifted_gaussian(ncsn):
    # unit-variance modes shifted by v: KL = |v|^2 / 2 on the continuum; the one-cell smoothing of
    # both grids (cell 0.25 here) widens each to variance 1 + 0.25^2 and lowers it accordingly
    cell = (ncsn.box[1] - ncsn.box[0]) / sc.BINS
    x = exact(ncsn)
    for s in (0.5, 1.0):
        kl = sc.histogram_kl_tv(x + s, ncsn)[0]
        assert kl == pytest.approx(2 * s * s / (2 * (1 + cell**2)), rel=0.1)


@pytest.mark.parametrize("name", ["ncsn-mixture", "8gaussians"])
def test_samples_from_one_mode_only_read_the_missing_mass(name):
    d = make_preset(name)
    last = d.weights.shape[0] - 1
    w = float(d.weights[last])
    zero, lone = sc.scorecard(exact(d), d), sc.scorecard(one_mode(d, last), d)
    # all mass in one component: KL -> log(1/w), TV -> 1 - w
    assert lone["kl"] == pytest.approx(math.log(1 / w), abs=0.05)
    assert lone["tv"] == pytest.approx(1 - w, abs=0.03)
    assert lone["mode_weights"][last] > 0.99 and lone["modes_found"] == 1
    assert zero["modes_found"] == len(zero["true_mode_weights"])
    assert lone["sliced_wasserstein"] > 1.5 > 15 * zero["sliced_wasserstein"]
    assert lone["mmd"] > 0.15 > 3 * zero["mmd"]
    assert lone["kl"] > 20 * zero["kl"] and lone["tv"] > 4 * zero["tv"]


def test_mass_outside_the_box_is_one_more_cell(ncsn):
    q = sc.target_cells(ncsn)
    assert q.shape == (sc.BINS**2 + 1,) and q.sum() == pytest.approx(1.0) and (q >= 0).all()
    inside = ((np.abs(exact(ncsn, 400_000)) < 8).all(1)).mean()  # the preset's box is [-8, 8]^2
    assert q[-1] == pytest.approx(1 - inside, abs=3e-4)
    far = np.full((100, 2), 50.0)
    kl, tv = sc.histogram_kl_tv(far, ncsn, target=q)
    assert kl == pytest.approx(math.log(1 / q[-1]), rel=1e-9) and tv == pytest.approx(1 - q[-1])


def test_grid_densities_have_no_mode_keys_and_the_keys_are_exact():
    d = make_preset("checkerboard")
    card = sc.scorecard(exact(d, 1000), d)
    assert tuple(card) == sc.KEYS
    card = sc.scorecard(exact(make_preset("8gaussians"), 1000), make_preset("8gaussians"))
    assert tuple(card) == sc.KEYS + sc.MODE_KEYS
    assert all(isinstance(card[k], float) for k in sc.KEYS[1:]) and isinstance(card["n"], int)
    with pytest.raises(ScorevizError, match="no components"):
        sc.mode_weights(exact(d, 100), d)


def test_the_same_seed_gives_the_same_scorecard(ncsn):
    x = exact(ncsn, 3000)
    assert sc.scorecard(x, ncsn, seed=3) == sc.scorecard(torch.from_numpy(x).float().double(), ncsn, seed=3)
    assert sc.scorecard(x, ncsn, seed=3)["true_mean_log_q"] != sc.scorecard(x, ncsn, seed=4)["true_mean_log_q"]


# ----------------------------------------------------------------------------- the pieces
def test_sliced_wasserstein_is_exact_for_unequal_sizes_and_known_shifts():
    x = np.random.default_rng(1).standard_normal((3000, 2))
    assert sc.sliced_wasserstein(x, np.repeat(x, 2, axis=0)) == pytest.approx(0.0, abs=1e-12)
    v = np.array([0.3, -0.4])  # |v| = 0.5
    assert sc.sliced_wasserstein(x + v, x) == pytest.approx(2 / math.pi * 0.5, rel=0.01)
    assert sc.sliced_wasserstein(x + v, x, order=2) == pytest.approx(0.5 / math.sqrt(2), rel=0.01)


def test_mmd_is_zero_for_equal_distributions_and_grows_with_the_difference():
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal((2000, 2)), rng.standard_normal((2000, 2))
    values = [sc.mmd(a, b + s) for s in (0.0, 0.5, 2.0)]
    assert values[0] < 0.03 < values[1] < values[2]


def test_ncsn_demo_plain_langevin_gets_the_mode_weights_wrong_and_annealed_gets_them_right(ncsn):
    """Song & Ermon's toy with the true score: plain Langevin keeps the uniform start's 1/2 : 1/2
    (the modes never exchange particles); annealed Langevin (sigma 20 -> 1) recovers 1/5 : 4/5."""
    n, steps = 2000, 1000
    g = torch.Generator().manual_seed(0)
    x0 = samplers.initial_particles(n, "uniform:-8,8", g)
    plain = samplers.langevin(x0, ncsn.score, samplers.default_step_size("langevin"), steps, g)
    sig = samplers.geometric_sigmas(20.0, 1.0, 10)
    levels = {float(s): ncsn.perturbed(float(s)) for s in sig}
    annealed = samplers.annealed_langevin(x0, lambda x, s: levels[float(s)].score(x), sig,
                                          samplers.default_step_size("annealed", sig), steps // 10, g)
    low_plain = sc.scorecard(plain, ncsn)["mode_weights"][0]
    low_annealed = sc.scorecard(annealed, ncsn)["mode_weights"][0]
    assert low_plain == pytest.approx(0.5, abs=0.05)
    assert low_annealed == pytest.approx(0.2, abs=0.04)


@pytest.mark.parametrize("bad, needle", [
    (np.zeros((10, 3)), "(10, 3)"),
    (np.zeros(10), "(10,)"),
    (np.zeros((1, 2)), "1 point"),
    (np.array([[0.0, 0.0], [np.nan, 1.0]]), "point 1 has x = nan"),
    (np.array([[0.0, np.inf], [0.0, 1.0]]), "point 0 has y = inf"),
    (np.zeros((5, 2), dtype=np.int64), "int64"),
    (np.array([[0.0, 0.0], [2e6, 0.0]]), "2000000"),
    ([[0.0, 0.0], [1.0, 1.0]], "list"),
])
def test_bad_samples_are_refused_with_one_line_naming_the_value(ncsn, bad, needle):
    with pytest.raises(ScorevizError) as info:
        sc.scorecard(bad, ncsn)
    msg = str(info.value)
    assert needle in msg and "\n" not in msg
