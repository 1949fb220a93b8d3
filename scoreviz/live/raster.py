"""The particles panel as images at screen resolution, made in numpy by the display worker.

Two layers: the density heat map (remade only when the density or the view changes) and the
particles (every frame). The GUI shows each with one native pixmap item, so drawing them runs
no Python and no per-particle calls: Qt blends the particle layer over the heat map in C++.
Particles are counted per pixel and blurred with a 3x3 binomial kernel into soft dots; where
they crowd, the dots add up and saturate. The particle trails (the recent paths of some
particles, fading towards their past) are drawn into the particle layer too, under the dots:
painted by QPainter from Python they held the interpreter lock for milliseconds a frame, which
the training thread, needing it between every torch call, paid for. No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Rect = tuple[float, float, float, float]  # xmin, xmax, ymin, ymax (data)

TRAIL_RGB = (255, 209, 102)  # warm yellow: apart from the white dots and the heat map's blues and greens
TRAIL_MIN_ALPHA = 0.08  # the oldest segment's opacity
TRAIL_MAX_ALPHA = 0.6  # the newest segment's: trails show the flow over the density, never hide it
TRAIL_LEVELS = 15  # opacity steps from the oldest to the newest segment (one per age at 16 frames)
TRAIL_MAX_SAMPLES = 64  # points along one segment at least allowed (a particle that jumped far draws a sparse line)
TRAIL_MAX_POINTS = 200_000  # points of all segments together: more per segment when there are few segments


@dataclass(frozen=True)
class RasterTarget:
    """Where the pictures go: the visible data rect and its size in device pixels."""

    rect: Rect
    width: int
    height: int


@dataclass(frozen=True)
class Raster:
    """pixels (height, width) uint32 0xAARRGGBB, row 0 at the top of ``target.rect``; ``levels``: the
    log p range of the heat map's colours (None for the particle layer)."""

    pixels: np.ndarray
    target: RasterTarget
    levels: tuple[float, float] | None = None


def bilinear(values: np.ndarray, xs: np.ndarray, ys: np.ndarray, px: np.ndarray, py: np.ndarray) -> np.ndarray:
    """values (H, W) on the grid xs (W,), ys (H,) sampled at px (M,) x py (N,) -> (N, M), clamped at the edges."""
    def axis(grid, p):
        n = len(grid)
        g = (p - grid[0]) / (grid[-1] - grid[0]) * (n - 1) if n > 1 else np.zeros_like(p)
        g = np.clip(g, 0, n - 1)
        i0 = np.minimum(np.floor(g).astype(np.intp), max(n - 2, 0))
        return i0, np.minimum(i0 + 1, n - 1), (g - i0).astype(np.float32)

    j0, j1, fx = axis(np.asarray(xs, np.float64), px)
    i0, i1, fy = axis(np.asarray(ys, np.float64), py)
    v = np.asarray(values, np.float32)
    top = v[i0][:, j0] * (1 - fx) + v[i0][:, j1] * fx
    bottom = v[i1][:, j0] * (1 - fx) + v[i1][:, j1] * fx
    return top * (1 - fy)[:, None] + bottom * fy[:, None]


def _argb(rgb: np.ndarray, alpha: np.ndarray | None = None) -> np.ndarray:
    """(..., 3) uint8-valued RGB (+ alpha 0..255) -> uint32 0xAARRGGBB."""
    rgb = np.asarray(rgb, np.uint32)
    a = np.uint32(255) if alpha is None else np.asarray(alpha, np.uint32)
    return (a << 24) | (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]


def trail_alpha(level: np.ndarray) -> np.ndarray:
    """Opacity of trail level 1..TRAIL_LEVELS (0: no trail)."""
    level = np.asarray(level, np.float64)
    a = TRAIL_MIN_ALPHA + (TRAIL_MAX_ALPHA - TRAIL_MIN_ALPHA) * (level - 1) / (TRAIL_LEVELS - 1)
    return np.where(level > 0, a, 0.0)


def trail_levels(path, target: RasterTarget, width_px: int = 1) -> np.ndarray:
    """(h, w) uint8: the age level of the newest trail segment through each pixel (0 where none).

    ``path`` (K, M, 2) holds the positions of M particles at the last K frames, oldest first. The
    segment from frame k to k + 1 gets level round(TRAIL_LEVELS · (k + 1) / (K − 1)), so the newest
    is the most opaque. Each segment is sampled every half pixel (at most max(TRAIL_MAX_SAMPLES, TRAIL_MAX_POINTS / segments) points)
    and each point marks its pixel (a ``width_px`` square); where segments cross, the newer wins.
    A non-finite position breaks its path there.
    """
    w, h = target.width, target.height
    out = np.zeros((h, w), np.uint8)
    if path is None or len(path) < 2:
        return out
    x0, x1, y0, y1 = target.rect
    p = np.asarray(path, np.float64)
    k = p.shape[0]
    u = (p[..., 0] - x0) * (w / (x1 - x0))  # (K, M) pixel coordinates, row 0 at the top
    v = (y1 - p[..., 1]) * (h / (y1 - y0))
    ua, ub, va, vb = u[:-1], u[1:], v[:-1], v[1:]  # (K-1, M) segment ends
    ok = np.isfinite(ua) & np.isfinite(ub) & np.isfinite(va) & np.isfinite(vb)
    if not ok.any():
        return out
    length = np.hypot(ub - ua, vb - va)
    cap = max(TRAIL_MAX_SAMPLES, TRAIL_MAX_POINTS // int(ok.sum()))  # few segments may be sampled finer
    n = int(min(cap, max(1, np.ceil(2 * float(length[ok].max())))))
    f = np.linspace(0.0, 1.0, n + 1)
    levels = np.round(TRAIL_LEVELS * np.arange(1, k) / (k - 1)).astype(np.uint8)  # (K-1,) oldest first
    su = ua[ok][:, None] + (ub - ua)[ok][:, None] * f  # (S, n+1) points, segments in age order
    sv = va[ok][:, None] + (vb - va)[ok][:, None] * f
    lev = np.broadcast_to(np.repeat(levels, ok.sum(1))[:, None], su.shape)
    half = (max(1, int(width_px)) - 1) / 2
    for dx in np.arange(-half, half + 1):
        for dy in np.arange(-half, half + 1):
            iu, iv = np.floor(su + dx).astype(np.intp), np.floor(sv + dy).astype(np.intp)
            inside = (iu >= 0) & (iu < w) & (iv >= 0) & (iv < h)
            # ages ascend in this order and, with repeated indices, the last write wins: the newest level stays
            out.reshape(-1)[(iv * w + iu)[inside]] = lev[inside]
    return out


class ParticleRaster:
    """Makes the heat-map layer (cached per density image and target) and the particle layer."""

    def __init__(self, density_lut: np.ndarray, particle_rgb=(232, 246, 255), gain: float = 0.2,
                 floor: float = 10.0):
        self._heat_lut = _argb(np.asarray(density_lut)[:, :3])  # (256,) opaque colours
        a = 1.0 - np.exp(-gain * np.arange(256))  # alpha of a blurred count (a lone particle peaks at 4)
        pre = np.round(np.asarray(particle_rgb, float)[None, :] * a[:, None])  # premultiplied colour
        self._dot_lut = _argb(pre, np.round(255 * a))
        # dots over trails, premultiplied: [count, trail level] -> colour (one lookup per pixel)
        ta = trail_alpha(np.arange(TRAIL_LEVELS + 1))[None, :, None]  # (1, L, 1)
        tc = np.asarray(TRAIL_RGB, float)[None, None, :] * ta  # premultiplied trail colour
        da = a[:, None, None]  # (256, 1, 1)
        rgb = pre[:, None, :] + tc * (1.0 - da)
        alpha = 255 * (da + ta * (1.0 - da))
        self._dot_trail_lut = _argb(np.round(rgb), np.round(alpha[..., 0]))  # (256, L + 1)
        self.floor = floor  # the heat map shows log p from (max - floor) to max
        self._heat_source = None
        self._heat: Raster | None = None

    def heat(self, target: RasterTarget, density_image) -> Raster:
        """The colour-mapped log p at the target's pixels; the same object while nothing changed."""
        if self._heat is None or target != self._heat.target or density_image is not self._heat_source:
            w, h = target.width, target.height
            x0, x1, y0, y1 = target.rect
            xs, ys, logp = density_image
            finite = logp[np.isfinite(logp)]
            hi = float(finite.max()) if finite.size else 0.0
            lo = hi - self.floor
            v = np.where(np.isfinite(logp), np.maximum(logp, lo), lo)
            px = x0 + (np.arange(w) + 0.5) * ((x1 - x0) / w)
            py = y1 - (np.arange(h) + 0.5) * ((y1 - y0) / h)  # row 0 is the top
            lp = bilinear(v, xs, ys, px, py)
            idx = np.clip((lp - lo) * (255.0 / (hi - lo)), 0, 255).astype(np.uint8)
            self._heat = Raster(np.ascontiguousarray(self._heat_lut[idx]), target, (lo, hi))
            self._heat_source = density_image  # held, so it is compared by identity safely
        return self._heat

    def particles(self, particles: np.ndarray, target: RasterTarget, trails=None, width_px: int = 1) -> Raster:
        """The particle layer: premultiplied ARGB, transparent where there are none; with ``trails``
        (K, M, 2, see ``trail_levels``) the fading paths drawn under the dots."""
        counts = np.minimum(self.counts(particles, target), 255).astype(np.uint8)
        if trails is None or len(trails) < 2:
            return Raster(self._dot_lut[counts], target)
        return Raster(self._dot_trail_lut[counts, trail_levels(trails, target, width_px)], target)

    @staticmethod
    def counts(particles: np.ndarray, target: RasterTarget) -> np.ndarray:
        """(h, w) blurred particle counts: 4 at a lone particle's pixel, 2 beside it, 1 on the diagonals."""
        w, h = target.width, target.height
        x0, x1, y0, y1 = target.rect
        p = np.asarray(particles, dtype=np.float32)
        u = (p[:, 0] - np.float32(x0)) * np.float32(w / (x1 - x0))
        v = (np.float32(y1) - p[:, 1]) * np.float32(h / (y1 - y0))
        ok = (u >= 0) & (u < w) & (v >= 0) & (v < h)  # NaN fails every test
        W = w + 2  # one pixel of padding on every side: the blur needs no edge cases
        idx = (v[ok].astype(np.intp) + 1) * W + (u[ok].astype(np.intp) + 1)
        acc = np.minimum(np.bincount(idx, minlength=(h + 2) * W), 4095).astype(np.uint16).reshape(h + 2, W)
        b = acc[:, 1:-1] * np.uint16(2) + acc[:, :-2] + acc[:, 2:]  # [1 2 1] across
        return b[1:-1] * np.uint16(2) + b[:-2] + b[2:]  # and down
