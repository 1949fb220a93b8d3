"""Scores evaluated on a regular grid, the layout of ``field.npz``.

Convention: ``xs`` (W,), ``ys`` (H,), ``field[i, j]`` is the vector at (xs[j], ys[i]).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import torch
from torch import Tensor

from scoreviz.core.mixture import Box

ScoreFn = Callable[[Tensor], Tensor]


def grid(box: Box, n: int, device: torch.device | str = "cpu") -> tuple[np.ndarray, np.ndarray, Tensor]:
    """n points per axis from edge to edge of ``box``.

    Returns xs (W,), ys (H,) as float32 numpy and the points (H*W, 2) as a float32 tensor, row-major
    (row i = ys[i]).
    """
    xmin, xmax, ymin, ymax = box
    xs = np.linspace(xmin, xmax, n, dtype=np.float32)
    ys = np.linspace(ymin, ymax, n, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys, indexing="xy")  # (H, W)
    pts = torch.from_numpy(np.stack([gx.ravel(), gy.ravel()], 1)).to(device)
    return xs, ys, pts


def evaluate(fn: Callable[[Tensor], Tensor], points: Tensor, chunk: int = 16384) -> Tensor:
    """fn over points in chunks, without autograd graphs kept."""
    out = [fn(points[i : i + chunk]).detach() for i in range(0, points.shape[0], chunk)]
    return torch.cat(out, 0)


def field_on_grid(score_fn: ScoreFn, box: Box, n: int, device: torch.device | str = "cpu"):
    """(xs, ys, field (H, W, 2) float32 numpy) of ``score_fn`` on an n x n grid over ``box``."""
    xs, ys, pts = grid(box, n, device)
    f = evaluate(score_fn, pts).float().cpu().numpy().reshape(n, n, 2)
    return xs, ys, f


def scalar_on_grid(fn: Callable[[Tensor], Tensor], box: Box, n: int, device: torch.device | str = "cpu"):
    """(xs, ys, values (H, W) float32 numpy) of a scalar function such as log_prob."""
    xs, ys, pts = grid(box, n, device)
    v = evaluate(fn, pts).float().cpu().numpy().reshape(n, n)
    return xs, ys, v


def arrow_segments(xs: np.ndarray, ys: np.ndarray, field: np.ndarray, length: float, unit: bool = False,
                   head: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """Line segments of a quiver with heads, for drawing as pairs.

    Each arrow of the (H, W, 2) ``field`` becomes a shaft and two head strokes. Arrows are scaled so
    the longest is ``length`` (or every one is ``length`` with ``unit``). Returns ``segments``
    (3*H*W, 2, 2) float32 [start, end] and the magnitudes (H*W,).
    """
    gx, gy = np.meshgrid(xs, ys, indexing="xy")
    base = np.stack([gx.ravel(), gy.ravel()], 1).astype(np.float32)
    v = field.reshape(-1, 2).astype(np.float32)
    v = np.where(np.isfinite(v), v, 0.0)
    mag = np.hypot(v[:, 0], v[:, 1])
    if unit:
        scale = np.where(mag > 0, length / np.maximum(mag, 1e-30), 0.0)
    else:
        m = float(mag.max()) if mag.size else 0.0
        scale = np.full_like(mag, length / m if m > 0 else 0.0)
    d = v * scale[:, None]
    tip = base + d
    # heads: two strokes at +-150 degrees from the shaft direction
    c, s = np.cos(np.deg2rad(150.0)), np.sin(np.deg2rad(150.0))
    h = d * head
    left = np.stack([c * h[:, 0] - s * h[:, 1], s * h[:, 0] + c * h[:, 1]], 1)
    right = np.stack([c * h[:, 0] + s * h[:, 1], -s * h[:, 0] + c * h[:, 1]], 1)
    segs = np.empty((base.shape[0], 3, 2, 2), np.float32)
    segs[:, 0, 0], segs[:, 0, 1] = base, tip
    segs[:, 1, 0], segs[:, 1, 1] = tip, tip + left
    segs[:, 2, 0], segs[:, 2, 1] = tip, tip + right
    return segs.reshape(-1, 2, 2), mag
