"""Painting a target density with a brush: strokes become a Gaussian mixture.

A dab of the brush at (x, y) with radius r adds an isotropic Gaussian N((x, y), (r/2)^2 I) of
weight ``strength`` (or strengthens one already there). The eraser removes, in one pass, every
component whose centre lies under it (within its radius of the path it swept since the previous
dab, so a fast drag leaves no gaps) and thins those just outside once per stroke. ``BrushCanvas.density()`` hands the engine an ordinary mixture
(``scoreviz.core.densities.mixture_density``): the drawn target has an exact score and exact samples.
Pure numpy: no Qt here.
"""

from __future__ import annotations

import numpy as np

MAX_COMPONENTS = 600
MIN_WEIGHT = 0.02


class BrushCanvas:
    """The painted mixture: means (K, 2), stds (K,), weights (K,), with undo per stroke."""

    def __init__(self, box=(-4.0, 4.0, -4.0, 4.0)):
        self.box = tuple(float(v) for v in box)
        self.means = np.zeros((0, 2))
        self.stds = np.zeros(0)
        self.weights = np.zeros(0)
        self._undo: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._last_dab: tuple[float, float] | None = None
        self._thinned: np.ndarray | None = None  # erasing: the thinning each component got this stroke

    def __len__(self) -> int:
        return int(self.weights.shape[0])

    def is_empty(self) -> bool:
        return len(self) == 0

    # ------------------------------------------------------------------ strokes
    def begin_stroke(self) -> None:
        """Remember the state for undo (call when a stroke starts)."""
        self._undo.append((self.means.copy(), self.stds.copy(), self.weights.copy()))
        del self._undo[:-50]
        self._last_dab = None
        self._thinned = None

    def end_stroke(self) -> None:
        self._last_dab = None
        self._thinned = None

    def undo(self) -> bool:
        if not self._undo:
            return False
        self.means, self.stds, self.weights = self._undo.pop()
        return True

    def clear(self) -> None:
        if not self.is_empty():
            self.begin_stroke()
        self.means, self.stds, self.weights = np.zeros((0, 2)), np.zeros(0), np.zeros(0)

    def paint(self, x: float, y: float, radius: float, strength: float) -> bool:
        """A dab of paint; dabs closer than radius/4 to the previous one in the stroke are skipped.
        Returns whether the mixture changed."""
        if not self._spaced(x, y, radius):
            return False
        std = radius / 2.0
        if len(self):
            d2 = np.sum((self.means - (x, y)) ** 2, axis=1)
            near = np.flatnonzero((d2 < (0.25 * radius) ** 2) & (np.abs(self.stds - std) < 0.25 * std))
            if near.size:
                i = near[np.argmin(d2[near])]
                self.weights[i] = min(self.weights[i] + strength, 10.0)
                return True
            if len(self) >= MAX_COMPONENTS:  # full: strengthen the nearest component instead
                i = int(np.argmin(d2))
                self.weights[i] = min(self.weights[i] + strength, 10.0)
                return True
        self.means = np.vstack([self.means, [[x, y]]])
        self.stds = np.append(self.stds, std)
        self.weights = np.append(self.weights, float(strength))
        return True

    def erase(self, x: float, y: float, radius: float, strength: float) -> bool:
        """Remove the paint under the eraser: every component whose centre lies within ``radius`` of
        the segment from the stroke's previous dab to (x, y) goes at once (one pass removes a
        stroke). Components just outside are thinned by at most ``strength`` times a Gaussian of the
        distance (std radius/2), once per stroke however many dabs pass them. Returns whether the
        mixture changed."""
        if not len(self):
            return False
        start = self._last_dab
        if not self._spaced(x, y, radius):
            return False
        a = np.asarray(start if start is not None else (x, y), dtype=float)
        d2 = _segment_distance2(self.means, a, np.asarray((x, y), dtype=float))
        under = d2 < radius**2
        k = np.where(under, 0.0, np.exp(-0.5 * d2 / (radius / 2.0) ** 2))
        k[k < 1e-3] = 0.0
        thinned = self._thinned_so_far()
        more = k > thinned
        if not (under.any() or more.any()):
            return False
        s = float(min(max(strength, 0.0), 1.0))
        # weight × (1 − s·k_max) over the stroke: undo the thinning already applied, apply the larger one
        factor = np.ones_like(self.weights)
        factor[more] = (1.0 - s * k[more]) / np.maximum(1.0 - s * thinned[more], 1e-12)
        self.weights = self.weights * factor
        self._thinned = np.maximum(thinned, k)
        keep = ~under & (self.weights >= MIN_WEIGHT)
        self.means, self.stds, self.weights = self.means[keep], self.stds[keep], self.weights[keep]
        self._thinned = self._thinned[keep]
        return True

    def _thinned_so_far(self) -> np.ndarray:
        """Per component: the largest thinning kernel applied in this stroke (0: untouched)."""
        t = self._thinned
        if t is None or t.shape[0] != len(self):
            t = np.zeros(len(self))
        return t

    def _spaced(self, x: float, y: float, radius: float) -> bool:
        if self._last_dab is not None:
            lx, ly = self._last_dab
            if (x - lx) ** 2 + (y - ly) ** 2 < (0.25 * radius) ** 2:
                return False
        self._last_dab = (x, y)
        return True

    # ------------------------------------------------------------------ result
    def density(self):
        """The painted mixture as a core density (None while the canvas is empty)."""
        if self.is_empty():
            return None
        from scoreviz.core.densities import mixture_density  # lazy: the brush itself is numpy; torch loads when a target is made

        covs = (self.stds**2)[:, None, None] * np.eye(2)[None]
        d = mixture_density(self.weights, self.means, covs, box=self.box)
        d.name = "drawing"
        return d


def _segment_distance2(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Squared distance of each of ``points`` (K, 2) to the segment from ``a`` to ``b``."""
    ab = b - a
    n = float(ab @ ab)
    t = np.zeros(points.shape[0]) if n == 0.0 else np.clip((points - a) @ ab / n, 0.0, 1.0)
    nearest = a + t[:, None] * ab
    return np.sum((points - nearest) ** 2, axis=1)
