"""Shared helpers for the density tests: quadrature of a density over histogram bins."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def bin_masses(log_prob, box, bins: int = 12, sub: int = 8) -> np.ndarray:
    """(bins, bins) integrals of exp(log_prob) over the bins of ``box`` (midpoint rule, sub x sub
    points per bin; the densities are smooth on that scale).  Rows index x, columns y."""
    x0, x1, y0, y1 = box
    n = bins * sub
    hx, hy = (x1 - x0) / n, (y1 - y0) / n
    xs = x0 + hx * (torch.arange(n, dtype=torch.float64) + 0.5)
    ys = y0 + hy * (torch.arange(n, dtype=torch.float64) + 0.5)
    xx, yy = torch.meshgrid(xs, ys, indexing="ij")
    pts = torch.stack([xx.reshape(-1), yy.reshape(-1)], 1)
    with torch.no_grad():
        dens = torch.exp(log_prob(pts)).reshape(n, n).numpy() * hx * hy
    return dens.reshape(bins, sub, bins, sub).sum((1, 3))


def tv_distance(log_prob, samples, box, bins: int = 12, sub: int = 8) -> float:
    """Total variation between the samples' histogram and the density's bin masses; the mass
    outside ``box`` is one more bin (the density is assumed normalised)."""
    p = bin_masses(log_prob, box, bins, sub)
    s = np.asarray(samples, dtype=np.float64)
    x0, x1, y0, y1 = box
    h, _, _ = np.histogram2d(s[:, 0], s[:, 1], bins=bins, range=[[x0, x1], [y0, y1]])
    q = h / len(s)
    p_out, q_out = max(0.0, 1.0 - p.sum()), 1.0 - q.sum()
    return 0.5 * (np.abs(p - q).sum() + abs(p_out - q_out))


def integral(log_prob, box, n: int = 240) -> float:
    """Midpoint-rule integral of exp(log_prob) over ``box`` on an n x n grid."""
    return float(bin_masses(log_prob, box, bins=1, sub=n).sum())


def widen(box, factor: float):
    x0, x1, y0, y1 = box
    cx, cy, hx, hy = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
    return (cx - factor * hx, cx + factor * hx, cy - factor * hy, cy + factor * hy)


@pytest.fixture
def stats():
    return SimpleNamespace(bin_masses=bin_masses, tv=tv_distance, integral=integral, widen=widen)


@pytest.fixture
def resources() -> Path:
    return RESOURCES


@pytest.fixture
def gen():
    return torch.Generator().manual_seed(1234)
