"""The scorecard: how well a set of samples X (N, 2) matches the exact target density q.

scoreviz knows q exactly (``log_prob``, exact ``sample``), so every figure here is measured against
q itself, not against a second finite sample only.  All are pure numpy/torch on the CPU (float64).

``scorecard(samples, density, seed=0, box=None)`` returns a dict with exactly these keys (``KEYS``, then ``MODE_KEYS``):

- ``n``: the number of samples;
- ``kl``, ``tv``: KL(p̂ ‖ q̃) and total variation between smoothed cell masses (below);
- ``sliced_wasserstein``: sliced Wasserstein distance (W1) to exact samples of q;
- ``mmd``: maximum mean discrepancy to exact samples of q (Gaussian kernel, median bandwidth);
- ``mean_log_q``: the mean of log q over the samples; ``true_mean_log_q``: E_q[log q] (the
  negative entropy of q), Monte Carlo over exact samples; the first approaching the second from
  below or above says the samples are too spread or too concentrated;
- for Gaussian-mixture targets only: ``mode_weights`` and ``true_mode_weights`` (lists, one entry
  per component in the mixture's order) and ``modes_found``.

The pieces are public so a live view can call them at a bounded cost: ``mode_weights``,
``target_cells`` (cache it per density, box and grid) with ``histogram_kl_tv``,
``sliced_wasserstein``, ``mmd``, ``mean_log_q`` and ``expected_log_q``.

Estimators, their bias, their cost (K = mixture components, G = cells per axis)
---------------------------------------------------------------------------------
**Mode weights** (``mode_weights``): each sample goes to its most responsible component, the argmax
over k of log w_k + log N(x; mu_k, C_k) (the posterior argmax; ties go to the first); the sampled
weight of k is the fraction of samples assigned to it; ``true_mode_weights`` are the mixture's
weights w_k.  A component is *found* when its sampled weight is at least ``FOUND_FRACTION`` (0.2)
of its true weight.  For well-separated components exact samples give w_k up to the binomial
error sqrt(w_k (1 - w_k) / N); components that overlap share their overlap by the argmax, so even
exact samples then give the q-mass of each component's argmax region, not w_k (soft
responsibilities would be unbiased, but a sample is either in a mode or not).  The order is the
mixture's: a preset's as ``scoreviz list`` describes it, a density file's ``weights`` order --
except that components of weight 0 are dropped when a mixture is built (``GaussianMixture``),
so they have no entry.  Grid densities (checkerboard, images, expressions) have no components:
the mode keys are omitted.  Cost O(N K) in chunks of 2^20 point-components.

**KL and TV on a grid** (``target_cells``, ``sample_cells``, ``histogram_kl_tv``): the box (the
density's view box unless given) is cut into G x G cells (G = 64) plus one extra cell for
everything outside the box.  Samples: counts per cell / N; samples outside the box go to the
outside cell.  Target: q at each cell centre times the cell area (the midpoint rule, accurate
while q's features are wider than a cell; 1e-4 or better on every preset); the outside cell gets
1 minus the inside total (if the inside total exceeds 1 by quadrature error, the inside cells are
renormalised to 1 and the outside cell is 0).  Both inside grids are then smoothed by the same
Gaussian kernel, std ``BANDWIDTH`` = 1 cell along each axis, each column of the kernel matrix
normalised so no mass leaves the box (S(M) = A M Aᵀ); the outside cell is not smoothed.  Then

    KL = sum_c p̂_c log(p̂_c / max(q̃_c, FLOOR)),   TV = ½ sum_c |p̂_c - q̃_c|,   FLOOR = 1e-10,

over the G² + 1 cells (0 log 0 = 0).  Bias: the plug-in KL of a histogram is biased *upward* at
small N, by about (m - 1) / (2N) nats for m occupied cells (so ~0.2 nats for 4096 cells and
N = 10 000 unsmoothed); smoothing both sides with the same kernel cuts the effective m by about
4 pi h² (h in cells; ~12.6 for h = 1) and, by the data-processing inequality, can only *lower* the
divergence between the underlying densities: the grid KL and TV understate differences finer
than a cell or two.  Exact samples give KL ~ 0.005-0.01 and TV ~ 0.03-0.05 at N = 10 000 on the
presets (TV's own upward bias shrinks like 1/sqrt(N)).  The floor caps what one stray cell can
cost (log of 1e10, ~23 nats per unit of mass).  Cost: target O(G² K) (mixture) or
O(G² (H + W)) (grid), once per density and box; samples O(N + G³).

**Sliced Wasserstein** (``sliced_wasserstein``): P = 64 directions theta_p = (cos phi_p, sin phi_p),
phi_p = pi (p + u) / P with one seeded uniform offset u (stratified angles: lower variance than
i.i.d. ones, within ~1 % of the mean over all angles in 2-D); for each, the exact 1-D Wasserstein
distance between the two projected empirical distributions (sorted values compared on the union
of their quantile breakpoints, so unequal sizes are exact too); the result is the mean over the
directions of W1 (``order=2``: sqrt of the mean W2²), in the samples' units -- a shift of q by a
vector v reads E|theta . v| = (2/pi)|v|.  Order 1 by default because W2 turns the binomial noise
of mode masses into a large reading: moving a mass dw across a distance D costs sqrt(dw) D in W2
but dw D in W1, so exact samples of the NCSN mixture (modes 14 apart) read W2 ~ 0.5 but W1 ~ 0.05
at N = 10 000.  Against ``REFERENCE_N`` = 20 000 exact samples of q; each side subsampled (seeded)
to at most ``SW_MAX_POINTS`` = 20 000.  Bias: upward, like every distance between finite samples:
exact samples read 0.03-0.08 at N = 10 000 on the presets (0.05-0.13 at N = 1000).
Cost O(P N log N), ~0.12 s of one CPU core at N = 10 000 (the sorts).

**MMD** (``mmd``): Gaussian kernel k(x, y) = exp(-‖x - y‖² / (2 b²)), b = the median pairwise
distance of the pooled points (the median heuristic, on at most ``MEDIAN_POINTS`` = 1000 of
them); the *unbiased* U-statistic MMD²_u (diagonal terms left out), reported as
``mmd`` = sqrt(max(MMD²_u, 0)) (MMD²_u can be slightly negative for equal distributions; the clip
makes ``mmd`` biased upward near 0, about the square root of its ~1/m noise, so exact samples
read 0-0.03).  Each side is subsampled (seeded) to at most ``MMD_MAX_POINTS`` =
2000 points, so the cost is bounded, O(m²): three 2000 x 2000 kernel matrices.  The median of
the pooled pairwise distances sets the scale: for q with far-apart modes b is about the mode
distance, so MMD weighs the mode masses more than their shapes.

**mean log q** (``mean_log_q``): exact, O(N K).  **E_q[log q]** (``expected_log_q``): the mean
of log q over ``REFERENCE_N`` exact samples, with its standard error std(log q) / sqrt(n)
(~0.005-0.01 nats on the presets).

One scorecard at N = 10 000 costs about 0.35 s of one CPU core for the grid densities and the
mixtures with few components (sliced W ~0.12 s, MMD ~0.16 s, the 64 x 64 target, the 20 000 exact
samples, log q and the mode assignment ~0.02 s together), ~0.6 s for ``rings`` (590 components:
the mode assignment alone ~0.2 s).  A live view calling the pieces can keep ``target_cells`` and
the exact samples and pay per update ~1 ms for KL/TV (N = 10 000) and O(N K) for the mode weights.

Randomness: the exact samples of q come from ``torch.Generator().manual_seed(seed)``; projections
and subsampling from ``numpy.random.default_rng``, seeded from ``seed`` as well: the same seed
and input give the same numbers.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from scoreviz.core import limits
from scoreviz.core.errors import ScorevizError
from scoreviz.core.mixture import Box, GaussianMixture

FOUND_FRACTION = 0.2  # a component is found when its sampled weight >= this x its true weight
BINS = 64  # cells per axis of the KL/TV grid
BANDWIDTH = 1.0  # std of the Gaussian smoothing of both grids, in cells
FLOOR = 1e-10  # smallest target cell mass in the KL (caps a stray cell's cost at ~23 nats)
SW_PROJECTIONS = 64  # stratified angles: 64 are within ~1 % of the angular mean in 2-D
SW_MAX_POINTS = 20_000
SW_ORDER = 1  # W1: robust to the binomial noise of mode masses (see the docstring)
MMD_MAX_POINTS = 2_000
MEDIAN_POINTS = 1_000  # pooled points whose pairwise distances give the MMD bandwidth
REFERENCE_N = 20_000  # exact samples of q for sliced W, MMD and E_q[log q]
MIN_SAMPLES = 2
_CHUNK = 1 << 20  # points x components per chunk of the mode assignment

KEYS = ("n", "kl", "tv", "sliced_wasserstein", "mmd", "mean_log_q", "true_mean_log_q")
MODE_KEYS = ("mode_weights", "true_mode_weights", "modes_found")


# ----------------------------------------------------------------------------- input
def check_samples(samples, what: str = "samples") -> np.ndarray:
    """``samples`` as a C-contiguous float64 array (N, 2), or a one-line ScorevizError.

    Accepts a numpy array or a torch tensor (any device) of floats, N >= 2, every value finite and
    within ``limits`` ``sample_coordinate`` (+-1e6, the range of density coordinates)."""
    if isinstance(samples, torch.Tensor):
        samples = samples.detach().cpu().numpy()
    if not isinstance(samples, np.ndarray):
        raise ScorevizError(f"{what} must be an array of shape (N, 2), got {type(samples).__name__}")
    if samples.dtype.kind != "f":
        raise ScorevizError(f"{what} must hold floating-point numbers, got dtype {samples.dtype}")
    if samples.ndim != 2 or samples.shape[1] != 2:
        raise ScorevizError(f"{what}: shape {tuple(samples.shape)}, expected (N, 2) points in the plane")
    if samples.shape[0] < MIN_SAMPLES:
        raise ScorevizError(f"{what}: {samples.shape[0]} point(s), at least {MIN_SAMPLES} are needed")
    finite = np.isfinite(samples)
    if not finite.all():
        i, j = (int(v[0]) for v in np.nonzero(~finite))
        raise ScorevizError(f"{what}: point {i} has {'xy'[j]} = {float(samples[i, j])}, not a finite number")
    x = np.ascontiguousarray(samples, dtype=np.float64)
    lim = limits.LIMITS["sample_coordinate"]
    bad = np.nonzero((x < lim.min) | (x > lim.max))
    if bad[0].size:
        i, j = int(bad[0][0]), int(bad[1][0])
        limits.check("sample_coordinate", float(x[i, j]), f"{what}: point {i}")
    return x


def _box(box, density=None) -> Box:
    b = box if box is not None or density is None else density.box
    try:
        vals = tuple(float(v) for v in b)
    except (TypeError, ValueError):
        raise ScorevizError(f"box {b!r} must be four numbers (xmin, xmax, ymin, ymax)") from None
    if len(vals) != 4 or not all(math.isfinite(v) for v in vals) or vals[0] >= vals[1] or vals[2] >= vals[3]:
        raise ScorevizError(f"box {b!r} must be (xmin, xmax, ymin, ymax) with xmin < xmax, ymin < ymax")
    return vals


def _check_int(name: str, value, lo: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < lo:
        raise ScorevizError(f"{name}={value!r} must be a whole number >= {lo}")
    return int(value)


def _log_q(x: np.ndarray, density) -> np.ndarray:
    with torch.no_grad():
        return density.log_prob(torch.from_numpy(x)).double().numpy()


# ----------------------------------------------------------------------------- modes
def mode_weights(samples, density: GaussianMixture) -> tuple[np.ndarray, np.ndarray]:
    """(sampled, true): the fraction of samples whose most responsible component is k, and the
    mixture weights w_k, both (K,) in the mixture's component order.  O(N K)."""
    if not isinstance(density, GaussianMixture):
        name = getattr(density, "name", type(density).__name__)
        raise ScorevizError(f"mode weights need a Gaussian mixture; {name!r} has no components")
    x = torch.from_numpy(check_samples(samples))
    w, mu, cov = density.weights, density.means, density.covs  # float64, zero weights already dropped
    prec = torch.linalg.inv(cov)  # (K, 2, 2)
    const = torch.log(w) - 0.5 * torch.logdet(cov) - math.log(2 * math.pi)  # (K,)
    k = w.shape[0]
    counts = torch.zeros(k, dtype=torch.float64)
    step = max(1, _CHUNK // k)
    with torch.no_grad():
        for a in range(0, x.shape[0], step):
            diff = x[a:a + step, None, :] - mu[None]  # (n, K, 2)
            quad = (diff * torch.einsum("kij,nkj->nki", prec, diff)).sum(-1)  # (n, K)
            best = (const[None] - 0.5 * quad).argmax(1)
            counts += torch.bincount(best, minlength=k).double()
    return (counts / x.shape[0]).numpy(), w.numpy().copy()


def modes_found(sampled, true, fraction: float = FOUND_FRACTION) -> int:
    """Components whose sampled weight is at least ``fraction`` x their true weight."""
    return int(np.count_nonzero(np.asarray(sampled) >= fraction * np.asarray(true)))


# ----------------------------------------------------------------------------- grid KL / TV
def _smoother(bins: int, bandwidth: float) -> np.ndarray:
    """(bins, bins) A with A[i, j] = exp(-(i - j)² / 2h²), each column summing to 1 (mass stays in the box)."""
    if bandwidth <= 0:
        return np.eye(bins)
    d = np.arange(bins)[:, None] - np.arange(bins)[None, :]
    a = np.exp(-0.5 * (d / bandwidth) ** 2)
    return a / a.sum(0, keepdims=True)


def _smooth(cells: np.ndarray, bins: int, bandwidth: float) -> np.ndarray:
    """Inside cells (bins*bins, row 0 = bottom) smoothed along both axes, plus the outside cell as it is."""
    a = _smoother(bins, bandwidth)
    inside = a @ cells[:-1].reshape(bins, bins) @ a.T
    return np.concatenate([inside.reshape(-1), cells[-1:]])


def _grid_args(bins, bandwidth) -> tuple[int, float]:
    bins = _check_int("bins", bins, 2)
    if bins > 1024:
        raise ScorevizError(f"bins={bins} must be at most 1024")
    try:
        h = float(bandwidth)
    except (TypeError, ValueError):
        raise ScorevizError(f"bandwidth={bandwidth!r} must be a number >= 0 (cells)") from None
    if not (math.isfinite(h) and h >= 0):
        raise ScorevizError(f"bandwidth={bandwidth!r} must be a number >= 0 (cells)")
    return bins, h


def target_cells(density, box: Box | None = None, bins: int = BINS, bandwidth: float = BANDWIDTH) -> np.ndarray:
    """q's smoothed cell masses: (bins*bins + 1,) summing to 1; cell iy*bins + ix is column ix, row iy
    (row 0 at the bottom) of the box; the last entry is q's mass outside the box.  O(bins² K)."""
    bins, h = _grid_args(bins, bandwidth)
    x0, x1, y0, y1 = _box(box, density)
    dx, dy = (x1 - x0) / bins, (y1 - y0) / bins
    xs = x0 + (np.arange(bins) + 0.5) * dx
    ys = y0 + (np.arange(bins) + 0.5) * dy
    gx, gy = np.meshgrid(xs, ys)  # (bins, bins), [iy, ix]
    mass = np.exp(_log_q(np.stack([gx.reshape(-1), gy.reshape(-1)], 1), density)) * (dx * dy)
    mass = np.where(np.isfinite(mass), mass, 0.0)
    total = float(mass.sum())
    if total > 1.0:
        mass, outside = mass / total, 0.0
    else:
        outside = 1.0 - total
    return _smooth(np.concatenate([mass, [outside]]), bins, h)


def sample_cells(samples, box: Box, bins: int = BINS, bandwidth: float = BANDWIDTH) -> np.ndarray:
    """The samples' smoothed cell masses, laid out as ``target_cells``: counts / N, outside last.  O(N + bins³)."""
    bins, h = _grid_args(bins, bandwidth)
    x = check_samples(samples)
    x0, x1, y0, y1 = _box(box)
    ix = np.floor((x[:, 0] - x0) / (x1 - x0) * bins)
    iy = np.floor((x[:, 1] - y0) / (y1 - y0) * bins)
    inside = (ix >= 0) & (ix < bins) & (iy >= 0) & (iy < bins)
    flat = (iy[inside] * bins + ix[inside]).astype(np.int64)
    counts = np.bincount(flat, minlength=bins * bins).astype(np.float64)
    cells = np.concatenate([counts, [float((~inside).sum())]]) / x.shape[0]
    return _smooth(cells, bins, h)


def kl_tv(p: np.ndarray, q: np.ndarray, floor: float = FLOOR) -> tuple[float, float]:
    """KL(p ‖ max(q, floor)) over the cells where p > 0, and ½ sum |p - q|."""
    pos = p > 0
    kl = float(np.sum(p[pos] * (np.log(p[pos]) - np.log(np.maximum(q[pos], floor)))))
    return max(kl, 0.0), 0.5 * float(np.abs(p - q).sum())


def histogram_kl_tv(samples, density, box: Box | None = None, bins: int = BINS, bandwidth: float = BANDWIDTH,
                    target: np.ndarray | None = None) -> tuple[float, float]:
    """(KL(p̂ ‖ q̃), TV) on the grid (see the module docstring).  ``target``: ``target_cells`` for the
    same density, box, bins and bandwidth, computed once and passed again to save its O(bins² K)."""
    b = _box(box, density)
    q = target_cells(density, b, bins, bandwidth) if target is None else np.asarray(target, dtype=np.float64)
    if q.shape != (bins * bins + 1,):
        raise ScorevizError(f"target cells have shape {q.shape}; expected ({bins * bins + 1},) for bins={bins}")
    return kl_tv(sample_cells(samples, b, bins, bandwidth), q)


# ----------------------------------------------------------------------------- sample distances
def reference_samples(density, n: int = REFERENCE_N, seed: int = 0) -> np.ndarray:
    """n exact samples of q (float64 (n, 2)) from ``torch.Generator().manual_seed(seed)``."""
    n = _check_int("n", n, MIN_SAMPLES)
    gen = torch.Generator().manual_seed(int(seed))
    return density.sample(n, gen).double().numpy()


def _subsample(x: np.ndarray, m: int, rng: np.random.Generator) -> np.ndarray:
    return x if x.shape[0] <= m else x[rng.choice(x.shape[0], m, replace=False)]


def sliced_wasserstein(x, y, projections: int = SW_PROJECTIONS, seed: int = 0,
                       max_points: int = SW_MAX_POINTS, order: int = SW_ORDER) -> float:
    """(mean over P directions of the exact 1-D W_p^p between the projections of x and y)^(1/p),
    p = ``order`` (1 or 2).  O(P N log N)."""
    projections = _check_int("projections", projections, 1)
    if order not in (1, 2):
        raise ScorevizError(f"order={order!r} must be 1 or 2")
    max_points = _check_int("max_points", max_points, MIN_SAMPLES)
    rng = np.random.default_rng([int(seed), 1])
    x = _subsample(check_samples(x), max_points, rng)
    y = _subsample(check_samples(y, "reference samples"), max_points, rng)
    phi = np.pi * (np.arange(projections) + rng.random()) / projections
    theta = np.stack([np.cos(phi), np.sin(phi)], 1)  # (P, 2)
    px, py = np.sort(theta @ x.T, 1), np.sort(theta @ y.T, 1)  # (P, n), (P, m): each row sorted
    n, m = px.shape[1], py.shape[1]
    if n == m:
        wp = (np.abs(px - py) ** order).mean(1)  # (P,)
    else:  # the quantile functions are step functions: compare them on the union of their breakpoints
        u = np.union1d(np.arange(1, n + 1) / n, np.arange(1, m + 1) / m)
        width = np.diff(np.concatenate([[0.0], u]))
        mid = u - 0.5 * width
        ix = np.minimum((mid * n).astype(np.int64), n - 1)
        iy = np.minimum((mid * m).astype(np.int64), m - 1)
        wp = (np.abs(px[:, ix] - py[:, iy]) ** order) @ width  # (P,)
    return float(max(float(wp.mean()), 0.0) ** (1.0 / order))


def _sqdist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.maximum((a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T, 0.0)


def mmd(x, y, max_points: int = MMD_MAX_POINTS, seed: int = 0) -> float:
    """sqrt(max(MMD²_u, 0)) with a Gaussian kernel of median-heuristic bandwidth; each side
    subsampled to at most ``max_points``.  O(max_points²)."""
    max_points = _check_int("max_points", max_points, MIN_SAMPLES)
    rng = np.random.default_rng([int(seed), 2])
    x = _subsample(check_samples(x), max_points, rng)
    y = _subsample(check_samples(y, "reference samples"), max_points, rng)
    # bandwidth: the median pairwise distance of the pooled points (of at most MEDIAN_POINTS of them)
    z = _subsample(np.concatenate([x, y]), MEDIAN_POINTS, rng)
    d2 = _sqdist(z, z)[np.triu_indices(z.shape[0], 1)]
    b2 = float(np.median(d2))  # median of squared distances = (median distance)²
    if not b2 > 0:
        b2 = 1e-12
    n, m = x.shape[0], y.shape[0]

    def kernel_sum(a, b, same):
        k = np.exp(_sqdist(a, b) * (-0.5 / b2))
        return float(k.sum() - (np.trace(k) if same else 0.0))

    mmd2 = (kernel_sum(x, x, True) / (n * (n - 1)) + kernel_sum(y, y, True) / (m * (m - 1))
            - 2.0 * kernel_sum(x, y, False) / (n * m))
    return float(math.sqrt(max(float(mmd2), 0.0)))


# ----------------------------------------------------------------------------- log q
def mean_log_q(samples, density) -> float:
    """The mean of log q over the samples.  O(N K)."""
    return float(_log_q(check_samples(samples), density).mean())


def expected_log_q(density, n: int = REFERENCE_N, seed: int = 0, reference: np.ndarray | None = None
                   ) -> tuple[float, float]:
    """(E_q[log q], its standard error) by Monte Carlo over n exact samples (or ``reference``)."""
    y = reference_samples(density, n, seed) if reference is None else check_samples(reference, "reference samples")
    lq = _log_q(y, density)
    return float(lq.mean()), float(lq.std(ddof=1) / math.sqrt(lq.shape[0]))


# ----------------------------------------------------------------------------- all of it
def scorecard(samples, density, seed: int = 0, box: Box | None = None) -> dict:
    """Every figure above for ``samples`` against ``density`` (q): a dict with the keys ``KEYS``,
    plus ``MODE_KEYS`` when q is a Gaussian mixture (lists in component order).  Plain Python
    numbers and lists (JSON-ready)."""
    x = check_samples(samples)
    seed = limits.check("seed", seed)
    b = _box(box, density)
    ref = reference_samples(density, REFERENCE_N, seed)
    kl, tv = histogram_kl_tv(x, density, b)
    out = {
        "n": int(x.shape[0]),
        "kl": kl,
        "tv": tv,
        "sliced_wasserstein": sliced_wasserstein(x, ref, seed=seed),
        "mmd": mmd(x, ref, seed=seed),
        "mean_log_q": mean_log_q(x, density),
        "true_mean_log_q": expected_log_q(density, reference=ref)[0],
    }
    if isinstance(density, GaussianMixture):
        sampled, true = mode_weights(x, density)
        out["mode_weights"] = [float(v) for v in sampled]
        out["true_mode_weights"] = [float(v) for v in true]
        out["modes_found"] = modes_found(sampled, true)
    return out
