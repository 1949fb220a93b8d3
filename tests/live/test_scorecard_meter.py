"""The live scorecard meter (scoreviz.live.scorecard_meter), Qt-free: exact samples read well, one-mode
samples read badly, the expensive part runs at most once per interval, the history restarts on reset;
and the Evaluator puts a scorecard in every frame at a small cost."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch

from live_helpers import published, small_config, started
from scoreviz.core.densities import make_preset
from scoreviz.live.commands import ResetParticles
from scoreviz.live.evaluator import Evaluator, ViewSettings
from scoreviz.live.scorecard_meter import FAST_INTERVAL_S, MAX_MODES, SLOW_INTERVAL_S, ScorecardMeter


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def exact(density, n=10_000, seed=3) -> np.ndarray:
    return density.sample(n, torch.Generator().manual_seed(seed)).float().numpy()


@pytest.fixture(scope="module")
def ncsn():
    return make_preset("ncsn-mixture")


def test_exact_samples_read_small_kl_and_the_true_mode_weights(ncsn):
    card = ScorecardMeter().update(exact(ncsn), ncsn, step=0)
    assert card.components == 2 and card.modes_found == 2
    np.testing.assert_allclose(card.true_mode_weights, [0.2, 0.8])
    np.testing.assert_allclose(card.mode_weights, [0.2, 0.8], atol=0.03)  # 2000 points: binomial sd ~0.009
    assert card.mode_weights.sum() == pytest.approx(1.0)
    assert card.kl < 0.03 and card.tv < 0.08
    assert card.sliced_wasserstein is not None and card.sliced_wasserstein < 0.15
    assert card.n == 10_000 and card.dropped == 0


def test_one_mode_samples_read_a_large_kl_and_one_mode_found(ncsn):
    x = exact(ncsn)
    upper = x[x[:, 0] > 0]  # the 4/5 mode only
    good = ScorecardMeter().update(x, ncsn, step=0)
    bad = ScorecardMeter().update(upper, ncsn, step=0)
    assert bad.modes_found == 1
    assert bad.mode_weights[0] < 0.01 and bad.mode_weights[1] > 0.99
    # KL(p̂‖q) of the 4/5 mode alone is log(5/4) ≈ 0.22 nats; TV is 1/5
    assert bad.kl > 10 * good.kl and bad.kl == pytest.approx(np.log(1.25), abs=0.05)
    assert bad.tv == pytest.approx(0.2, abs=0.05)
    assert bad.sliced_wasserstein > 10 * good.sliced_wasserstein  # 1/5 of the mass moved 10√2 away


def test_the_expensive_part_runs_at_most_once_per_interval(ncsn):
    clock = Clock()
    meter = ScorecardMeter(fast_interval_s=0.0, slow_interval_s=0.5, clock=clock)
    x = exact(ncsn)
    first = meter.update(x, ncsn, step=1)
    assert meter.slow_runs == 1
    for s in range(2, 6):  # within the interval: KL every call, sliced W kept
        clock.t += 0.05
        card = meter.update(x[: 5000 + s], ncsn, step=s)
        assert card.sliced_wasserstein == first.sliced_wasserstein
    assert meter.slow_runs == 1 and card.kl_history.shape == (5,)
    clock.t += 0.5
    card = meter.update(x, ncsn, step=6)
    assert meter.slow_runs == 2 and card.sw_steps.tolist() == [1, 6]
    # the cheap part costs about a millisecond at N = 10 000 (generous bound for a loaded CI machine)
    t = time.perf_counter()
    for s in range(7, 27):
        clock.t += 0.01
        meter.update(x, ncsn, step=s)
    assert (time.perf_counter() - t) / 20 < 0.02 and meter.slow_runs == 2
    # by default a reading lasts FAST_INTERVAL_S: a call within it returns the same object, free
    meter = ScorecardMeter(clock=clock)
    card = meter.update(x, ncsn, step=1)
    clock.t += 0.5 * FAST_INTERVAL_S
    assert meter.update(x, ncsn, step=2) is card
    clock.t += 0.6 * FAST_INTERVAL_S
    assert meter.update(x, ncsn, step=3) is not card


def test_history_restarts_on_reset_and_on_a_new_density(ncsn):
    clock = Clock()
    meter = ScorecardMeter(fast_interval_s=0.0, clock=clock)
    x = exact(ncsn)
    for s in range(5):
        clock.t += 1.2 * SLOW_INTERVAL_S  # every call measures sliced W too
        card = meter.update(x, ncsn, step=s, key=("particles", 0))
    assert card.kl_steps.tolist() == [0, 1, 2, 3, 4] and card.sw_history.shape == (5,)
    card = meter.update(x, ncsn, step=5, key=("particles", 1))  # reset particles: a new key
    assert card.kl_steps.tolist() == [5] and card.sw_steps.tolist() == [5]
    card = meter.update(x, ncsn, step=0, key=("particles", 1))  # the step went back: a restart too
    assert card.kl_steps.tolist() == [0]
    other = make_preset("8gaussians")
    card = meter.update(exact(other), other, step=1, key=("particles", 1))  # a new density
    assert card.kl_steps.tolist() == [1] and card.components == 8 and card.modes_found == 8 and card.kl < 0.03


def test_grid_densities_and_large_mixtures_have_no_mode_weights_and_diverged_particles_are_dropped():
    board = make_preset("checkerboard")
    x = exact(board)
    card = ScorecardMeter().update(x, board, step=0)
    assert card.mode_weights is None and card.components == 0 and card.kl < 0.03
    rings = make_preset("rings")
    assert rings.weights.shape[0] > MAX_MODES
    card = ScorecardMeter().update(exact(rings, 2000), rings, step=0)
    assert card.mode_weights is None and card.modes_found is None and card.components == rings.weights.shape[0]
    x[:10] = np.nan
    x[10:12] = 1e9
    card = ScorecardMeter().update(x, board, step=0)
    assert card.dropped == 12 and card.n == x.shape[0] - 12 and np.isfinite(card.kl)
    assert ScorecardMeter().update(np.full((5, 2), np.nan, np.float32), board, step=0) is None


def test_the_evaluator_puts_a_scorecard_in_every_frame_and_restarts_it_on_reset():
    t, _ = started(small_config(density="ncsn-mixture"))
    ev = Evaluator(display_dtype="float32")
    ev.meter.fast_interval_s = 0.0
    view = ViewSettings(grid=16, heat=24)
    frames = [ev.frame(published(t), view) for _ in range(4)]
    card = frames[-1].scorecard
    assert card is not None and card.n == 300 and card.components == 2
    assert card.mode_weights.sum() == pytest.approx(1.0) and np.isfinite(card.kl)
    assert card.kl_steps.shape[0] == 4
    t.handle(ResetParticles())
    card = ev.frame(published(t), view).scorecard
    assert card.kl_steps.shape[0] == 1
    off = ev.frame(published(t), ViewSettings(grid=16, heat=24, scorecard=False))
    assert off.scorecard is None
