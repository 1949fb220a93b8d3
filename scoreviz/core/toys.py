"""The preset densities (standard 2-D toys), each with the parameters it takes, and ``make_preset``.

Each preset is an exact density whose samples, log_prob, score and p_sigma all come from the
same definition (MATH.md, "Standard 2-D toys"):

- Gaussian mixtures: ``gaussian``, ``ncsn-mixture``, ``8gaussians``;
- the sample-defined curve toys ``moons``, ``circles``, ``rings``, ``swissroll``, ``2spirals``,
  ``pinwheel`` and ``banana`` as dense Gaussian mixtures along their curves: a curve c(t) with
  a parameter density rho(t) and noise width tau becomes

      p(x) = sum_k w_k N(x; c(t_k), tau^2 I),   w_k = integral of rho over the k-th piece,

  with the nodes t_k at the arc-length midpoints of K equal-length pieces of the curve and a
  spacing of at most tau (the ripple along the curve is then ~exp(-2 pi^2) ~ 3e-9 relative).
  At most MAX_COMPONENTS nodes: when parameters would need more, the spacing may grow to
  1.5 tau (ripple < 2e-4); beyond that the parameters are refused with the smallest noise
  that works.  ``pinwheel`` and ``banana`` have anisotropic noise; their components carry the
  exact conditional covariance plus a small filler along the curve (see their docstrings);
- ``checkerboard``: a GridDensity (uniform cells blurred by a small Gaussian).

Every parameter is described by a ``Param`` (toy_params.py: default, min, max, type, one-line
help) so the CLI and GUI can list and validate them.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import torch

from scoreviz.core.errors import ScorevizError
from scoreviz.core.grid_density import GridDensity
from scoreviz.core.mixture import GaussianMixture
from scoreviz.core.toy_params import Param, PresetSpec
from scoreviz.core.text import N_

MAX_COMPONENTS = 1000  # cap on the curve toys' mixture size (speed)


# --------------------------------------------------------------------------- curve mixtures
def _curve_nodes(curve: Callable[[np.ndarray], np.ndarray], t0: float, t1: float, spacing: float,
                 rho: Callable[[np.ndarray], np.ndarray] | None = None, fine: int = 20001):
    """Nodes along c(t), t in [t0, t1], at the arc-length midpoints of K equal pieces of length
    <= spacing; returns (t_k (K,), points (K, 2), weights (K,)) with weights = integral of rho
    (uniform when None) over each piece, normalised to sum 1."""
    t = np.linspace(t0, t1, fine)
    pts = curve(t)
    seg = np.hypot(*np.diff(pts, axis=0).T)
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    k = int(min(MAX_COMPONENTS, max(4, math.ceil(arc[-1] / spacing))))
    dens = np.ones_like(t) if rho is None else rho(t)
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (dens[1:] + dens[:-1]) * np.diff(t))])
    levels = np.linspace(0.0, arc[-1], k + 1)
    t_edges = np.interp(levels, arc, t)
    t_mid = np.interp(0.5 * (levels[1:] + levels[:-1]), arc, t)
    w = np.diff(np.interp(t_edges, t, cum))
    return t_mid, curve(t_mid), w / w.sum()


def _iso(points: np.ndarray, weights: np.ndarray, width: float) -> GaussianMixture:
    k = len(weights)
    covs = np.broadcast_to(np.eye(2) * width**2, (k, 2, 2)).copy()
    return GaussianMixture(torch.as_tensor(weights), torch.as_tensor(points), torch.as_tensor(covs))


def _combine(parts: list[tuple[float, np.ndarray, np.ndarray, np.ndarray]], box=None) -> GaussianMixture:
    """parts: (part weight, component weights, means, covs) -> one mixture."""
    w = np.concatenate([pw * cw for pw, cw, _, _ in parts])
    m = np.concatenate([mm for _, _, mm, _ in parts])
    c = np.concatenate([cc for _, _, _, cc in parts])
    return GaussianMixture(torch.as_tensor(w), torch.as_tensor(m), torch.as_tensor(c), box=box)


def _iso_part(weight, w, pts, width):
    return weight, w, pts, np.broadcast_to(np.eye(2) * width**2, (len(w), 2, 2)).copy()


def _rot(theta: np.ndarray) -> np.ndarray:
    c, s = np.cos(theta), np.sin(theta)
    return np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2)  # (..., 2, 2)


def _total_spacing(lengths: list[float], width: float, owner: str, what: str, value: float,
                   value_for_width: Callable[[float], float] | None = None) -> float:
    """Node spacing: the width, widened (up to 1.5 x width, ripple < 2e-4) only if the total
    would exceed MAX_COMPONENTS; beyond that the parameters are refused."""
    total = sum(lengths)
    spacing = max(width, total / (MAX_COMPONENTS - 4 * len(lengths)))
    if spacing > 1.5 * width:
        need = spacing / 1.5
        least = value_for_width(need) if value_for_width else value * need / width
        raise ScorevizError(
            f"{owner}: {what}={value:g} is too small for the other parameters (the curves would need over "
            f"{MAX_COMPONENTS} mixture components); use {what} >= {least:.3g}"
        )
    return spacing


def _arc_length(curve, t0, t1, fine=20001) -> float:
    pts = curve(np.linspace(t0, t1, fine))
    return float(np.hypot(*np.diff(pts, axis=0).T).sum())


# --------------------------------------------------------------------------- builders
def _gaussian(mean_x, mean_y, std_x, std_y, correlation):
    """N(mu, C), C = [[sx^2, r sx sy], [r sx sy, sy^2]]; score = -C^-1 (x - mu)."""
    cov = [[std_x**2, correlation * std_x * std_y], [correlation * std_x * std_y, std_y**2]]
    half = 4 * max(std_x, std_y)
    box = (mean_x - half, mean_x + half, mean_y - half, mean_y + half)
    return GaussianMixture([1.0], [[mean_x, mean_y]], [cov], box=box)


def _ncsn(weight, offset, std):
    """weight N((-o,-o), std^2 I) + (1 - weight) N((o,o), std^2 I); defaults 1/5, 4/5, o = 5, std = 1."""
    half = offset + 3 * std
    cov = [[std**2, 0.0], [0.0, std**2]]
    return GaussianMixture([weight, 1 - weight], [[-offset, -offset], [offset, offset]], [cov, cov],
                           box=(-half, half, -half, half))


def _eight(modes, radius, std, scale):
    """modes equal Gaussians at radius (cos 2 pi k/modes, sin 2 pi k/modes), std; all times scale."""
    ang = 2 * np.pi * np.arange(modes) / modes
    means = scale * radius * np.stack([np.cos(ang), np.sin(ang)], 1)
    means[np.abs(means) < 1e-12] = 0.0
    covs = np.broadcast_to(np.eye(2) * (scale * std) ** 2, (modes, 2, 2)).copy()
    return GaussianMixture(np.full(modes, 1.0 / modes), means, covs)


def _checkerboard(cells, scale, blur):
    """cells x cells unit squares on [-cells/2, cells/2]^2, every other one filled (MATH.md's
    pattern: cell (row i, column j) filled iff i + j is even), times scale; edges blurred by blur."""
    i, j = np.meshgrid(np.arange(cells), np.arange(cells), indexing="ij")
    w = ((i + j) % 2 == 0).astype(np.float64)
    half = scale * cells / 2
    pad = 0.1 * half + 3 * blur
    return GridDensity(torch.as_tensor(w), (-half, half, -half, half), blur,
                       box=(-half - pad, half + pad, -half - pad, half + pad))


def _moons(noise, scale):
    """(cos s, sin s) and (1 - cos s, 1/2 - sin s), s ~ U[0, pi], each with weight 1/2;
    then times scale minus (1, 0.2) (the scale-2 shift, kept proportional); width noise*scale."""
    shift = np.array([1.0, 0.2]) * scale / 2
    upper = lambda s: scale * np.stack([np.cos(s), np.sin(s)], 1) - shift  # noqa: E731
    lower = lambda s: scale * np.stack([1 - np.cos(s), 0.5 - np.sin(s)], 1) - shift  # noqa: E731
    width = noise * scale
    spacing = _total_spacing([math.pi * scale] * 2, width, "moons", "noise", noise)
    parts = []
    for c in (upper, lower):
        _, pts, w = _curve_nodes(c, 0.0, math.pi, spacing)
        parts.append(_iso_part(0.5, w, pts, width))
    return _combine(parts)


def _rings_of(radii, width, scale, owner, noise):
    spacing = _total_spacing([2 * math.pi * r * scale for r in radii], width, owner, "noise", noise)
    parts = []
    for r in radii:
        circ = lambda a, r=r: scale * r * np.stack([np.cos(a), np.sin(a)], 1)  # noqa: E731
        _, pts, w = _curve_nodes(circ, 0.0, 2 * math.pi, spacing)
        parts.append(_iso_part(1.0 / len(radii), w, pts, width))
    return _combine(parts)


def _circles(noise, scale, factor):
    """Circles of radius 1 and factor, weight 1/2 each, angle uniform, noise; then times scale
    (width noise*scale)."""
    return _rings_of([1.0, factor], noise * scale, scale, "circles", noise)


def _rings(rings, noise, scale):
    """rings circles of radii k/rings (k = 1..rings), equal weights, angle uniform; times scale;
    then noise (width noise, after scaling)."""
    return _rings_of([k / rings for k in range(rings, 0, -1)], noise, scale, "rings", noise)


def _swissroll(noise, scale):
    """(t cos t, t sin t), t ~ U[1.5 pi, 4.5 pi], plus N(0, noise^2); times scale (1/5)."""
    curve = lambda t: scale * np.stack([t * np.cos(t), t * np.sin(t)], 1)  # noqa: E731
    t0, t1 = 1.5 * math.pi, 4.5 * math.pi
    width = noise * scale
    spacing = _total_spacing([_arc_length(curve, t0, t1)], width, "swissroll", "noise", noise)
    _, pts, w = _curve_nodes(curve, t0, t1, spacing)
    return _combine([_iso_part(1.0, w, pts, width)])


def _spirals(noise, scale, turns):
    """r = sqrt(u) * turns * 2 pi (density of r proportional to r), arm (-r cos r + j1, r sin r + j2)
    with j ~ U[0, 1/2)^2, and its negative, times scale, plus N(0, noise^2) (noise after scaling).
    The smooth version folds the jitter j into the width: its mean 1/4 shifts the curve and its
    variance 1/48 per coordinate adds to the noise: width = sqrt(noise^2 + scale^2 / 48)."""
    rmax = turns * 2 * math.pi
    arm = lambda r: scale * np.stack([-r * np.cos(r) + 0.25, r * np.sin(r) + 0.25], 1)  # noqa: E731
    width = math.sqrt(noise**2 + scale**2 / 48)
    spacing = _total_spacing([_arc_length(arm, 0.0, rmax)] * 2, width, "2spirals", "noise", noise,
                             lambda w: math.sqrt(max(w * w - scale**2 / 48, 0.0)))
    _, pts, w = _curve_nodes(arm, 0.0, rmax, spacing, rho=lambda r: r)
    return _combine([_iso_part(0.5, w, pts, width), _iso_part(0.5, w, -pts, width)])


FILL = 0.6  # gap filler along the curve, as a fraction of the node spacing (ripple ~ exp(-2 pi^2 FILL^2) < 1e-3)
SPACING = 0.7  # node spacing / noise width for the anisotropic toys (pinwheel, banana)


def _unit_tangents(curve, t: np.ndarray) -> np.ndarray:
    eps = 1e-6 * max(1.0, float(np.abs(t).max()))
    d = curve(t + eps) - curve(t - eps)
    return d / np.linalg.norm(d, axis=1, keepdims=True)


def _pinwheel(arms, radial_std, tangential_std, rate, scale):
    """arms arms; f ~ N((1, 0), diag(radial_std^2, tangential_std^2)), rotated by
    R(2 pi k/arms + rate exp(f1)), times scale.  Given f1 the point is Gaussian: mean
    c(f1) = R(theta(f1)) (f1, 0), covariance R diag(0, tangential_std^2) R^T.  Quadrature over
    f1 in 1 +- 4 radial_std: nodes at equal arc length along the arm c (spacing
    h <= 0.7 tangential_std), weights = N(1, radial_std^2) mass of each piece, and each
    component gets covariance R diag(0, tangential_std^2) R^T + (0.6 h)^2 t t^T, t the arm's
    unit tangent (the filler smooths the gaps between nodes along the arm); everything times
    scale (covariances times scale^2)."""
    lo, hi = 1 - 4 * radial_std, 1 + 4 * radial_std
    theta = lambda f: rate * np.exp(f)  # noqa: E731
    arm0 = lambda f: np.stack([f * np.cos(theta(f)), f * np.sin(theta(f))], 1)  # noqa: E731
    rho = lambda f: np.exp(-0.5 * ((f - 1) / radial_std) ** 2)  # noqa: E731
    length = _arc_length(arm0, lo, hi)
    spacing = _total_spacing([length] * arms, SPACING * tangential_std, "pinwheel", "tangential_std",
                             tangential_std, lambda w: w / SPACING)
    f, _, w = _curve_nodes(arm0, lo, hi, spacing, rho=rho)
    h = length / len(w)
    tan0 = _unit_tangents(arm0, f)
    parts = []
    for k in range(arms):
        rot = _rot(2 * math.pi * k / arms + theta(f))
        means = scale * np.einsum("kij,kj->ki", rot, np.stack([f, np.zeros_like(f)], 1))
        tk = tan0 @ _rot(np.array(2 * math.pi * k / arms)).T
        covs = np.einsum("kij,jl,kml->kim", rot, np.diag([0.0, tangential_std**2]), rot)
        covs = scale**2 * (covs + (FILL * h) ** 2 * np.einsum("ki,kj->kij", tk, tk))
        parts.append((1.0 / arms, w, means, covs))
    return _combine(parts)


def _banana(std_x, curvature, offset, noise):
    """x1 ~ N(0, std_x^2), x2 | x1 ~ N(curvature x1^2 + offset, noise^2).  Quadrature over x1 in
    +- 4 std_x: nodes at equal arc length along the parabola c (spacing h <= 0.7 noise), weights
    = N(0, std_x^2) mass of each piece, covariance diag(0, noise^2) + (0.6 h)^2 t t^T with t the
    parabola's unit tangent (the filler smooths the gaps between nodes along the curve)."""
    para = lambda t: np.stack([t, curvature * t * t + offset], 1)  # noqa: E731
    lo, hi = -4 * std_x, 4 * std_x
    length = _arc_length(para, lo, hi)
    spacing = _total_spacing([length], SPACING * noise, "banana", "noise", noise, lambda w: w / SPACING)
    t, pts, w = _curve_nodes(para, lo, hi, spacing, rho=lambda t: np.exp(-0.5 * (t / std_x) ** 2))
    h = length / len(w)
    tan = _unit_tangents(para, t)
    covs = np.diag([0.0, noise**2])[None] + (FILL * h) ** 2 * np.einsum("ki,kj->kij", tan, tan)
    # view: x1 within +- 3 std_x, x2 over the parabola's range there
    ys = curvature * np.array([0.0, 9 * std_x**2]) + offset
    y0, y1 = ys.min() - 3 * noise, ys.max() + 3 * noise
    half = max(3.3 * std_x, (y1 - y0) / 2)
    cy = (y0 + y1) / 2
    return _combine([(1.0, w, pts, covs)], box=(-half, half, cy - half, cy + half))


# --------------------------------------------------------------------------- the registry
def _p(name, default, lo, hi, help, type="float"):
    return Param(name, default, type, lo, hi, help)


PRESETS: dict[str, PresetSpec] = {
    spec.name: spec
    for spec in [
        PresetSpec("gaussian", N_("one correlated Gaussian N(mu, C)"), {
            "mean_x": _p("mean_x", 0.0, -10, 10, N_("mean, x coordinate")),
            "mean_y": _p("mean_y", 0.0, -10, 10, N_("mean, y coordinate")),
            "std_x": _p("std_x", 1.5, 0.05, 10, N_("standard deviation along x")),
            "std_y": _p("std_y", 1.0, 0.05, 10, N_("standard deviation along y")),
            "correlation": _p("correlation", 0.6, -0.95, 0.95, N_("correlation between x and y")),
        }, _gaussian),
        PresetSpec("ncsn-mixture", N_("Song & Ermon's toy: 1/5 N((-5,-5), I) + 4/5 N((5,5), I)"), {
            "weight": _p("weight", 0.2, 0.01, 0.99, N_("weight of the mode at (-offset, -offset); the other gets 1 - weight")),
            "offset": _p("offset", 5.0, 0.5, 20, N_("modes at (-offset, -offset) and (offset, offset)")),
            "std": _p("std", 1.0, 0.05, 5, N_("standard deviation of each mode")),
        }, _ncsn),
        PresetSpec("8gaussians", N_("Gaussians on a circle: centres 4(cos, sin)(2 pi k/8), std 0.5, all / 1.414"), {
            "modes": _p("modes", 8, 1, 32, N_("number of Gaussians"), "int"),
            "radius": _p("radius", 4.0, 0.1, 20, N_("circle radius (before scaling)")),
            "std": _p("std", 0.5, 0.01, 5, N_("standard deviation of each Gaussian (before scaling)")),
            "scale": _p("scale", 1 / 1.414, 0.01, 10, N_("overall scale factor (1/1.414)")),
        }, _eight),
        PresetSpec("checkerboard", N_("every other square of a board, edges blurred by a small Gaussian"), {
            "cells": _p("cells", 4, 2, 16, N_("squares per side"), "int"),
            "scale": _p("scale", 2.0, 0.1, 10, N_("side of one square")),
            "blur": _p("blur", 0.1, 0.005, 5, N_("std of the Gaussian blur of the edges")),
        }, _checkerboard),
        PresetSpec("moons", N_("two interleaving half circles"), {
            "noise": _p("noise", 0.1, 0.01, 1, N_("noise std across the curves (before scaling)")),
            "scale": _p("scale", 2.0, 0.1, 10, N_("overall scale factor")),
        }, _moons),
        PresetSpec("circles", N_("two concentric circles"), {
            "noise": _p("noise", 0.08, 0.01, 1, N_("noise std across the circles (before scaling)")),
            "scale": _p("scale", 3.0, 0.1, 10, N_("overall scale factor (outer radius)")),
            "factor": _p("factor", 0.5, 0.05, 0.95, N_("inner radius / outer radius")),
        }, _circles),
        PresetSpec("rings", N_("concentric rings of radii 1, 3/4, 1/2, 1/4"), {
            "rings": _p("rings", 4, 1, 10, N_("number of rings"), "int"),
            "noise": _p("noise", 0.08, 0.01, 3, N_("noise std across the rings (after scaling)")),
            "scale": _p("scale", 3.0, 0.1, 10, N_("overall scale factor (outer radius)")),
        }, _rings),
        PresetSpec("swissroll", N_("the swiss roll (t cos t, t sin t), t in [1.5 pi, 4.5 pi]"), {
            "noise": _p("noise", 1.0, 0.1, 5, N_("noise std across the roll (before scaling)")),
            "scale": _p("scale", 0.2, 0.01, 2, N_("overall scale factor (1/5)")),
        }, _swissroll),
        PresetSpec("2spirals", N_("two interleaved spirals"), {
            "noise": _p("noise", 0.1, 0.02, 1, N_("noise std (after scaling)")),
            "scale": _p("scale", 1 / 3, 0.05, 3, N_("overall scale factor (1/3)")),
            "turns": _p("turns", 1.5, 0.25, 4, N_("turns of each spiral (1.5 = 540 degrees)")),
        }, _spirals),
        PresetSpec("pinwheel", N_("curved arms of a pinwheel"), {
            "arms": _p("arms", 5, 1, 12, N_("number of arms"), "int"),
            "radial_std": _p("radial_std", 0.3, 0.05, 1, N_("std along each arm (before scaling)")),
            "tangential_std": _p("tangential_std", 0.1, 0.02, 1, N_("std across each arm (before scaling)")),
            "rate": _p("rate", 0.25, 0, 1, N_("how fast the arms curl: angle += rate exp(f1)")),
            "scale": _p("scale", 2.0, 0.1, 10, N_("overall scale factor")),
        }, _pinwheel),
        PresetSpec("banana", N_("a bent Gaussian: x2 | x1 ~ N(curvature x1^2 + offset, noise^2), x1 ~ N(0, std_x^2)"), {
            "std_x": _p("std_x", 1.25, 0.1, 5, N_("std of x1")),
            "curvature": _p("curvature", 0.4, -2, 2, N_("b in x2 = b x1^2 + c")),
            "offset": _p("offset", -1.5, -10, 10, N_("c in x2 = b x1^2 + c")),
            "noise": _p("noise", 0.25, 0.05, 5, N_("std of x2 around the parabola")),
        }, _banana),
    ]
}


def make_preset(name: str, **params):
    """The preset ``name`` built with ``params`` (the rest at their defaults)."""
    spec = PRESETS.get(name)
    if spec is None:
        raise ScorevizError(f"unknown preset {name!r}; presets: {', '.join(PRESETS)}")
    return spec.make(**params)
