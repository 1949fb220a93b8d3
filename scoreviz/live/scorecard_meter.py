"""The live scorecard: the display loop's particles measured against the exact data density p, at a bounded cost.

``ScorecardMeter.update(particles, density, step, key)`` returns a frozen ``Scorecard`` each call, built
from the core's pieces (``scoreviz.core.scorecard``, whose docstring states every estimator and its bias):

- at most every ``FAST_INTERVAL_S`` (0.25 s; in between a call returns the previous reading, the same
  object), cheap: KL(p̂ ‖ q̃) and TV on the 64 x 64 grid of the density's own box (its target cells
  are computed once per density, ~2-15 ms, and kept), ~0.3 ms at N = 10 000; and, for Gaussian
  mixtures of at most ``MAX_MODES`` components, the mode weights on a fixed subsample of at most
  ``MODE_POINTS`` particles (O(n K), < 1 ms; binomial error ~1 % at 2000 points). Mixtures with more
  components (rings, moons: hundreds of small Gaussians that are not "modes" a viewer counts) get
  no mode weights here: O(N K) would cost 20-250 ms a frame;
- at most every ``SLOW_INTERVAL_S``: the sliced Wasserstein distance (W1, 64 stratified angles) between
  at most ``SW_POINTS`` particles and ``SW_POINTS`` cached exact samples of p (~5-8 ms). At this size
  exact samples read ~0.04-0.08 (the distance between two finite samples is biased upward).

The target is always the *data* density p (the TrainerState's density), also for objectives whose
true-score panel shows a smoothed p_σ and for annealed samplers, which end at their σ_min.

A short history (the sampler step against KL, and against sliced W) starts over whenever ``key``
changes (the window passes the particles' epoch, the density and the sampler) or the step goes back.
Non-finite particles (a sampler that diverged) are left out and counted in ``dropped``.
Qt-free: the display thread runs it (``Evaluator.frame``), the tests drive it directly.
"""

from __future__ import annotations

import collections
import time
from dataclasses import dataclass

import numpy as np

from scoreviz.core.errors import ScorevizError


def _core():
    """scoreviz.core.scorecard, imported on first use: it loads torch, which the display thread loads when it
    starts, not the window when it imports the loops (tests/live/test_live_imports.py)."""
    from scoreviz.core import scorecard  # lazy: see the docstring

    return scorecard

FAST_INTERVAL_S = 0.25  # KL, TV and the mode weights at most this often (the view redraws at 4 Hz)
SLOW_INTERVAL_S = 1.0  # sliced W at most this often
SW_POINTS = 2000  # particles (and cached exact samples) compared by sliced W
MODE_POINTS = 2000  # particles assigned to modes each call
MAX_MODES = 16  # mixtures with more components get no mode weights (cost O(N K), and no chart to read)
HISTORY = 400  # points kept in each history curve
_COORD_MAX = 1e6  # the core's sample-coordinate limit: beyond it a particle counts as diverged


@dataclass(frozen=True)
class Scorecard:
    """One reading of the live scorecard (numbers and fresh numpy arrays)."""

    n: int  # particles measured (finite ones)
    dropped: int  # particles left out: non-finite or beyond ±1e6
    step: int  # the sampler step it was taken at
    kl: float  # KL(p̂ ‖ q̃) on the 64 x 64 grid, nats
    tv: float  # total variation on the same grid
    sliced_wasserstein: float | None  # the latest sliced W1 (None before the first)
    mode_weights: np.ndarray | None  # (K,) sampled mass per component, None when not a small mixture
    true_mode_weights: np.ndarray | None  # (K,) the mixture's weights
    modes_found: int | None  # components with >= FOUND_FRACTION of their true weight
    components: int  # K of a mixture (0 for grid densities)
    kl_steps: np.ndarray  # history: sampler steps (float64)
    kl_history: np.ndarray  # KL at those steps
    sw_steps: np.ndarray
    sw_history: np.ndarray
    cost_ms: float  # what this call cost


class ScorecardMeter:
    """Measures particles against the exact density at a bounded cost per call (module docstring)."""

    def __init__(self, fast_interval_s: float = FAST_INTERVAL_S, slow_interval_s: float = SLOW_INTERVAL_S, sw_points: int = SW_POINTS,
                 mode_points: int = MODE_POINTS, seed: int = 0, clock=time.perf_counter):
        self.fast_interval_s = fast_interval_s
        self.slow_interval_s = slow_interval_s
        self._fast_t = -np.inf  # clock() of the last reading
        self._card = None  # the last reading
        self.sw_points = sw_points
        self.mode_points = mode_points
        self.seed = seed
        self.clock = clock
        self._density = None  # the density the caches belong to (compared by identity)
        self._target = None
        self._reference = None
        self._key = None
        self._last_step = None
        self._slow_t = -np.inf  # clock() of the last sliced W
        self._sw = None
        self._mode_idx = None
        self._kl_hist: collections.deque = collections.deque(maxlen=HISTORY)
        self._sw_hist: collections.deque = collections.deque(maxlen=HISTORY)
        self.slow_runs = 0  # how many times the expensive part ran (for tests and the benchmark)

    def restart(self) -> None:
        """Forget the history and the latest sliced W (the next call measures afresh)."""
        self._kl_hist.clear()
        self._sw_hist.clear()
        self._sw = None
        self._slow_t = -np.inf
        self._fast_t = -np.inf
        self._card = None
        self._last_step = None
        self._mode_idx = None

    def _caches(self, density) -> None:
        if density is self._density:
            return
        self._density = density
        core = _core()
        self._target = core.target_cells(density)
        self._reference = core.reference_samples(density, self.sw_points, seed=self.seed)
        self.restart()

    def update(self, particles: np.ndarray, density, step: int, key=None) -> Scorecard | None:
        """Measure ``particles`` (n, 2) against ``density`` at sampler step ``step``; None if fewer than
        two particles are finite. ``key``: anything; the history starts over when it changes."""
        t0 = time.perf_counter()
        self._caches(density)
        step = int(step)
        if key != self._key or (self._last_step is not None and step < self._last_step):
            self._key = key
            self.restart()
        now = self.clock()
        if self._card is not None and now - self._fast_t < self.fast_interval_s:
            return self._card  # measured moments ago: the same reading
        self._fast_t = now
        x = np.asarray(particles, dtype=np.float64)
        ok = np.isfinite(x).all(1) & (np.abs(x) <= _COORD_MAX).all(1)
        dropped = int(x.shape[0] - ok.sum())
        if dropped:
            x = x[ok]
        core = _core()
        if x.shape[0] < core.MIN_SAMPLES:
            return None
        kl, tv = core.histogram_kl_tv(x, density, target=self._target)

        sampled = true = found = None
        k = int(density.weights.shape[0]) if isinstance(density, core.GaussianMixture) else 0
        if 0 < k <= MAX_MODES:
            m = min(self.mode_points, x.shape[0])
            if self._mode_idx is None or self._mode_idx.shape[0] != m or self._mode_idx.max() >= x.shape[0]:
                rng = np.random.default_rng(self.seed)
                self._mode_idx = np.sort(rng.choice(x.shape[0], m, replace=False)) if m < x.shape[0] else np.arange(m)
            sampled, true = core.mode_weights(x[self._mode_idx], density)
            found = core.modes_found(sampled, true)

        if now - self._slow_t >= self.slow_interval_s:
            self._slow_t = now
            self.slow_runs += 1
            self._sw = core.sliced_wasserstein(x, self._reference, seed=self.seed, max_points=self.sw_points)
            self._sw_hist.append((step, self._sw))
        if self._last_step is None or step != self._last_step or not self._kl_hist:
            self._kl_hist.append((step, kl))
        self._last_step = step

        kh = np.array(self._kl_hist, dtype=np.float64).reshape(-1, 2)
        sh = np.array(self._sw_hist, dtype=np.float64).reshape(-1, 2)
        self._card = Scorecard(n=int(x.shape[0]), dropped=dropped, step=step, kl=kl, tv=tv, sliced_wasserstein=self._sw,
                         mode_weights=sampled, true_mode_weights=true, modes_found=found, components=k,
                         kl_steps=kh[:, 0], kl_history=kh[:, 1], sw_steps=sh[:, 0], sw_history=sh[:, 1],
                         cost_ms=(time.perf_counter() - t0) * 1000)
        return self._card

    def safe_update(self, particles, density, step: int, key=None) -> Scorecard | None:
        """``update``, or None when the core refuses the input (the display never fails for a scorecard)."""
        try:
            return self.update(particles, density, step, key)
        except ScorevizError:
            return None
