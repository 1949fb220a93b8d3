"""Painting a target density with a brush: strokes become a Gaussian mixture.

A dab of the brush at (x, y) with radius r adds an isotropic Gaussian N((x, y), (r/2)^2 I) of
weight ``strength`` (or strengthens one already there); erasing scales the weights of nearby
components down. ``BrushCanvas.density()`` hands the engine an ordinary mixture
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

    def end_stroke(self) -> None:
        self._last_dab = None

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
        """Scale down the components near (x, y); those left with little weight are removed."""
        if not len(self) or not self._spaced(x, y, radius):
            return False
        d2 = np.sum((self.means - (x, y)) ** 2, axis=1)
        k = np.exp(-0.5 * d2 / (radius / 2.0) ** 2)
        if not (k > 1e-3).any():
            return False
        self.weights = self.weights * (1.0 - strength * k)
        keep = self.weights >= MIN_WEIGHT
        self.means, self.stds, self.weights = self.means[keep], self.stds[keep], self.weights[keep]
        return True

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
        from scoreviz.core.densities import mixture_density

        covs = (self.stds**2)[:, None, None] * np.eye(2)[None]
        d = mixture_density(self.weights, self.means, covs, box=self.box)
        d.name = "drawing"
        return d
