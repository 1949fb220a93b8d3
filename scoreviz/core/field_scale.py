"""How large a score field is where the density lives: the scale its pictures are drawn against.

A score grows without bound far from the data (|∇log p| ~ |x|/σ² in a Gaussian's tail), so the
largest magnitude in view says nothing about the field near the data, where it matters. The scale
here is a high quantile of |s| over the grid with each point weighted by the density q there:
"95 % of the probability mass in view sees a field at most this strong". It follows the density,
the objective's target (p or p_σ), the view box and the grid, and never an old maximum.

Cost: one sort of the H·W magnitudes (a 64² grid: ~0.2 ms).
"""

from __future__ import annotations

import math

import numpy as np

SCALE_QUANTILE = 0.95
LOG_DECADES_BELOW = 2.5  # log mode: the colour and length scale spans 10^-2.5 .. 10^0.5 of the scale
LOG_DECADES_ABOVE = 0.5


def weighted_quantile(values: np.ndarray, log_weights: np.ndarray | None, q: float) -> float:
    """The q-quantile of finite ``values`` with weights exp(log_weights) (uniform when None).

    Weights are normalised by their largest (log-sum-exp safe); NaN values or weights are ignored.
    Returns NaN when no value is left.
    """
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    if log_weights is None:
        lw = np.zeros_like(v)
    else:
        lw = np.asarray(log_weights, dtype=np.float64).reshape(-1)
        if lw.shape != v.shape:
            raise ValueError(f"weights have {lw.size} entries for {v.size} values")
    ok = np.isfinite(v) & ~np.isnan(lw)
    v, lw = v[ok], lw[ok]
    if v.size == 0:
        return math.nan
    top = np.max(lw)
    if not np.isfinite(top):  # every weight is 0 (log -inf): fall back to uniform weights
        lw = np.zeros_like(v)
        top = 0.0
    w = np.exp(lw - top)
    order = np.argsort(v, kind="stable")
    cw = np.cumsum(w[order])
    k = int(np.searchsorted(cw, float(q) * cw[-1], side="left"))
    return float(v[order][min(k, v.size - 1)])


def magnitude_scale(vectors: np.ndarray | None, log_density: np.ndarray | None = None,
                    q: float = SCALE_QUANTILE) -> float:
    """The density-weighted q-quantile of |vectors| ((H, W, 2) on the grid where ``log_density``
    (H, W) is log q); 1.0 when there is nothing finite and positive to measure."""
    if vectors is None:
        return 1.0
    v = np.asarray(vectors, dtype=np.float64)
    m = np.hypot(v[..., 0], v[..., 1])
    lw = None
    if log_density is not None:
        lw = np.asarray(log_density, dtype=np.float64)
        if lw.shape != m.shape:
            lw = None
    s = weighted_quantile(m, lw, q)
    return s if math.isfinite(s) and s > 0 else 1.0


def log_levels(scale: float) -> tuple[float, float]:
    """log10 range the log mode draws: LOG_DECADES_BELOW below to LOG_DECADES_ABOVE above ``scale``."""
    top = math.log10(max(float(scale), 1e-30))
    return top - LOG_DECADES_BELOW, top + LOG_DECADES_ABOVE


def log_density_on(hxs: np.ndarray, hys: np.ndarray, log_density: np.ndarray, xs: np.ndarray,
                   ys: np.ndarray) -> np.ndarray:
    """``log_density`` (H', W') given on the grid hxs (W',), hys (H',) read at the grid xs (W,), ys (H,)
    by nearest neighbour: (H, W); -inf (no weight) outside the given grid."""
    hxs, hys = np.asarray(hxs, np.float64), np.asarray(hys, np.float64)
    xs, ys = np.asarray(xs, np.float64), np.asarray(ys, np.float64)
    lp = np.asarray(log_density, np.float64)

    def nearest(src, dst):
        i = np.clip(np.searchsorted(src, dst), 1, len(src) - 1)
        i -= (dst - src[i - 1]) < (src[i] - dst)
        half = 0.5 * abs(src[-1] - src[0]) / max(len(src) - 1, 1)
        inside = (dst >= src[0] - half) & (dst <= src[-1] + half)
        return i, inside

    if len(hxs) < 2 or len(hys) < 2:
        return np.full((len(ys), len(xs)), -np.inf)
    ix, okx = nearest(hxs, xs)
    iy, oky = nearest(hys, ys)
    out = lp[np.ix_(iy, ix)]
    return np.where(oky[:, None] & okx[None, :], out, -np.inf)
