"""Exact marginals p_t of a continuous-time forward process (MATH.md, "Continuous time").

x_t = alpha(t) x_0 + std(t) z with x_0 ~ p and z ~ N(0, I), so

    p_t(x) = integral p(x_0) N(x; alpha x_0, std^2 I) dx_0,

which is again a density of one of scoreviz's two families (every density scoreviz builds -- presets,
drawings, density files, images, expressions -- is a ``GaussianMixture`` or a ``GridDensity``):

- ``GaussianMixture``: the same weights, means alpha mu_k, covariances alpha^2 C_k + std^2 I;
- ``GridDensity``: the same cell weights on the extent scaled by alpha (about the origin, as x_0 is),
  blur sqrt(alpha^2 s^2 + std^2) (a uniform cell scaled by alpha is uniform on the scaled cell).

``marginal_density(density, sde, t)`` returns that density; ``log_prob``, ``score``, ``sample`` and
``perturbed`` of p_t are therefore exact.  Its

- ``name`` is the density's name with ``@t=T`` appended (``8gaussians@t=0.5``);
- ``box`` (the default view) is the density's box, grown where needed to cover alpha * box +- 3 std(t)
  (the noised data: for ve at t = 1 that is the box +- 3 sigma_max; a view never shrinks with t);
- ``source`` is None, so ``to_dict`` writes the explicit components (a ``mixture`` or ``grid``
  object with the widened covariances / blur and the ``@t=`` name): a saved marginal is the density p_t
  it is, never the clean preset it came from; ``sigma`` is 0 (no plain perturbation applied);
- ``params`` are a copy of the density's.

One numerical limit, handled: a grid whose scaled cells are below 1e-7 of the combined blur (only with
extreme beta_max, e.g. alpha(1) < 1e-7 at beta_max >= 65) cannot be evaluated in float64 (the Phi
differences of a cell cancel).  Its p_t is then the moment-matched Gaussian N(alpha m, alpha^2 Cov +
std^2 I) (one-component mixture), exact to O((alpha extent / blur)^3) < 1e-10 relative there.

Marginals are cached per (density, sde, t): at most ``CACHE_PER_DENSITY`` per density (fewer for large
grids: ``GRID_CACHE_CELLS``), least recently used first out, dropped with the density (weak keys), behind
a lock (the GUI and the worker may share a density).
"""

from __future__ import annotations

import math
import numbers
import threading
import weakref
from collections import OrderedDict

import torch
from torch import Tensor

from scoreviz.core import limits
from scoreviz.core.errors import ScorevizError
from scoreviz.core.grid_density import GridDensity
from scoreviz.core.mixture import Box, GaussianMixture, work_dtype
from scoreviz.core.sde import SDE

CACHE_PER_DENSITY = 32  # marginals kept per density (the slider, fields and the pc sampler reuse a t)
GRID_CACHE_CELLS = 1 << 21  # a grid keeps at most this many cells' worth of marginals (>= 2 of them)
GRID_RESOLVABLE = 1e-7  # smallest scaled cell / blur a GridDensity evaluates accurately in float64

_cache: "weakref.WeakKeyDictionary[object, OrderedDict]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def check_time(sde: SDE, t) -> float:
    """t as a float if it is a number in [sde.t_eps, 1]; else a one-line ScorevizError."""
    if isinstance(t, Tensor) and t.numel() == 1:
        t = t.item()
    if isinstance(t, bool) or not isinstance(t, numbers.Real) or not math.isfinite(float(t)):
        raise ScorevizError(f"time t={limits.show(t)} must be a number in {sde.t_eps:g}..1")
    t = float(t)
    if not sde.t_eps <= t <= 1.0:
        raise ScorevizError(f"time t={t:g} is out of range; allowed {sde.t_eps:g}..1 (t_eps of the {sde.kind} process)")
    return t


def _check_sde(sde) -> SDE:
    if not isinstance(sde, SDE):
        raise ScorevizError(f"expected a process (scoreviz.core.sde.SDE), got {type(sde).__name__}")
    return sde


def marginal_box(box: Box, alpha: float, std: float) -> Box:
    """``box`` grown to cover alpha * box +- 3 std (never smaller than ``box``)."""
    x0, x1, y0, y1 = (float(v) for v in box)
    return (min(x0, alpha * x0 - 3 * std), max(x1, alpha * x1 + 3 * std),
            min(y0, alpha * y0 - 3 * std), max(y1, alpha * y1 + 3 * std))


def diffused(density, alpha: float, std: float, name: str):
    """p pushed through x = alpha x_0 + std z (alpha > 0, std >= 0): the exact density, named ``name``
    (no cache, no range check on t; ``marginal_density`` is the public entry point)."""
    box = marginal_box(density.box, alpha, std)
    if isinstance(density, GaussianMixture):
        eye = torch.eye(2, dtype=torch.float64)
        return GaussianMixture(density.weights, alpha * density.means, alpha**2 * density.covs + std**2 * eye,
                               box=box, name=name, params=density.params, normalised=density.normalised)
    if isinstance(density, GridDensity):
        blur = math.sqrt((alpha * density.blur) ** 2 + std**2)
        if alpha * min(density.cell_size) < GRID_RESOLVABLE * blur:
            return _grid_gaussian(density, alpha, std, box, name)
        x0, x1, y0, y1 = density.extent
        return GridDensity(density.weights, (alpha * x0, alpha * x1, alpha * y0, alpha * y1), blur, box=box,
                           name=name, params=density.params, normalised=density.normalised)
    raise ScorevizError(
        f"no exact marginal for a {type(density).__name__}; only Gaussian mixtures and grid densities have one"
    )


def _grid_gaussian(density: GridDensity, alpha: float, std: float, box: Box, name: str) -> GaussianMixture:
    """N(alpha m, alpha^2 Cov + std^2 I) with m, Cov the grid density's exact mean and covariance
    (cell centres' moments + width^2/12 per axis + blur^2)."""
    h, w = density.shape
    x0, x1, y0, y1 = density.extent
    cw, ch = density.cell_size
    cx = x0 + cw * (torch.arange(w, dtype=torch.float64) + 0.5)
    cy = y0 + ch * (torch.arange(h, dtype=torch.float64) + 0.5)
    wts = density.weights  # (H, W), row = y
    px, py = wts.sum(0), wts.sum(1)
    mx, my = (px * cx).sum(), (py * cy).sum()
    vxx = (px * (cx - mx) ** 2).sum() + cw**2 / 12 + density.blur**2
    vyy = (py * (cy - my) ** 2).sum() + ch**2 / 12 + density.blur**2
    vxy = (wts * (cy - my)[:, None] * (cx - mx)[None, :]).sum()
    cov = alpha**2 * torch.stack([torch.stack([vxx, vxy]), torch.stack([vxy, vyy])]) + std**2 * torch.eye(2, dtype=torch.float64)
    mean = alpha * torch.stack([mx, my])
    return GaussianMixture([1.0], mean[None], cov[None], box=box, name=name, params=density.params,
                           normalised=density.normalised)


def marginal_at(density, sde: SDE, t: float):
    """p_t for a float t >= 0 without the range check (ODE solvers probe just outside [t_eps, 1]); cached."""
    key = (sde, float(t))
    with _lock:
        per = _cache.get(density)
        if per is not None and key in per:
            per.move_to_end(key)
            return per[key]
    alpha, std = (float(v) for v in sde.marginal(float(t)))
    out = diffused(density, alpha, std, f"{density.name}@t={float(t):g}")
    with _lock:
        per = _cache.setdefault(density, OrderedDict())
        per[key] = out
        while len(per) > _capacity(density):
            per.popitem(last=False)
    return out


def _capacity(density) -> int:
    """Marginals kept for ``density``: CACHE_PER_DENSITY, fewer for a large grid (each holds a copy of
    its weights: a 1024 x 1024 grid keeps 2)."""
    if isinstance(density, GridDensity):
        h, w = density.shape
        return max(2, min(CACHE_PER_DENSITY, GRID_CACHE_CELLS // (h * w)))
    return CACHE_PER_DENSITY


def marginal_density(density, sde: SDE, t: float):
    """The exact marginal p_t of ``density`` under the forward process ``sde`` at time t in [t_eps, 1]:
    a GaussianMixture or GridDensity (see the module's description); ScorevizError (one line) for a t out
    of range or a density without an exact marginal."""
    _check_sde(sde)
    t = check_time(sde, t)
    if not isinstance(density, (GaussianMixture, GridDensity)):
        diffused(density, 1.0, 0.0, "")  # raises the one-line refusal
    return marginal_at(density, sde, t)


# --------------------------------------------------------------------------- the true score s(x, t)
def true_score_fn(density, sde: SDE):
    """score_fn(x, t) = grad_x log p_t(x), exact: x (N, 2), t a number or an (N,) tensor -> (N, 2), x's dtype.

    - One t for every point (the fixed-step samplers, the ODE solvers): one cached marginal, its ``score``.
    - Per-point t (N distinct values, e.g. a training batch): a mixture is evaluated vectorised in t
      (covariances alpha_n^2 C_k + std_n^2 I per point and component, closed-form 2x2 inverses, in chunks);
      a grid density takes one marginal per distinct t (not cached; O(H W) each: fine for a few times, slow
      for a batch of distinct times on a large grid).
    - Differentiable when grad mode is on and x requires grad (autograd of ``log_prob`` with a graph for
      one t; the mixture formula is differentiable as written): the likelihood's exact divergence needs it.
    - t below 0 is taken as 0 (an ODE solver's first-step probe may fall just outside [t_eps, 1]; the
      formulas hold for every t >= 0); the range [t_eps, 1] itself is checked by ``marginal_density``.
    """
    _check_sde(sde)
    if not isinstance(density, (GaussianMixture, GridDensity)):
        diffused(density, 1.0, 0.0, "")  # raises the one-line refusal

    def score_fn(x: Tensor, t) -> Tensor:
        if not isinstance(x, Tensor) or x.dim() != 2 or x.shape[1] != 2:
            raise ScorevizError(f"score_fn needs points x of shape (N, 2), got {getattr(x, 'shape', type(x).__name__)}")
        tt = t.detach().reshape(-1) if isinstance(t, Tensor) else torch.tensor([float(t)], dtype=torch.float64)
        if tt.numel() not in (1, x.shape[0]):
            raise ScorevizError(f"score_fn needs one time or one per point, got {tt.numel()} times for {x.shape[0]} points")
        differentiable = torch.is_grad_enabled() and x.requires_grad
        if tt.numel() == 1 or bool((tt == tt[0]).all()):
            m = marginal_at(density, sde, max(float(tt[0]), 0.0))
            if differentiable:
                (g,) = torch.autograd.grad(m.log_prob(x).sum(), x, create_graph=True)
                return g
            return m.score(x)
        tt = tt.to(device=x.device, dtype=work_dtype(x.device)).clamp(min=0.0)
        if isinstance(density, GaussianMixture):
            return _mixture_score_per_t(density, sde, x, tt)
        return _grouped_score(density, sde, x, tt, differentiable)

    return score_fn


_CHUNK_ELEMENTS = 1 << 16  # points x components per chunk of the per-point-t mixture score


def _mixture_score_per_t(mix: GaussianMixture, sde: SDE, x: Tensor, t: Tensor) -> Tensor:
    """grad log p_t(x_n) at per-point times t_n: r_nk-weighted -P_nk (x_n - alpha_n mu_k), with
    C_nk = alpha_n^2 C_k + std_n^2 I inverted in closed form (differentiable; float64 except on MPS)."""
    dt = work_dtype(x.device)
    alpha, std = (v.to(dt) for v in sde.marginal(t.to(dt)))
    mu = mix.means.to(device=x.device, dtype=dt)  # (K, 2)
    cov = mix.covs.to(device=x.device, dtype=dt)  # (K, 2, 2)
    logw = torch.log(mix.weights.to(device=x.device, dtype=dt))
    xd = x.to(dt)
    step = max(1, _CHUNK_ELEMENTS // mu.shape[0])
    out = []
    for a in range(0, x.shape[0], step):
        xc = xd[a:a + step]
        a2 = (alpha[a:a + step] ** 2)[:, None]  # (n, 1)
        s2 = (std[a:a + step] ** 2)[:, None]
        c00, c01, c11 = a2 * cov[:, 0, 0] + s2, a2 * cov[:, 0, 1], a2 * cov[:, 1, 1] + s2  # (n, K)
        det = c00 * c11 - c01 * c01
        d0 = xc[:, :1] - alpha[a:a + step, None] * mu[:, 0]  # (n, K)
        d1 = xc[:, 1:] - alpha[a:a + step, None] * mu[:, 1]
        p0 = (c11 * d0 - c01 * d1) / det  # P (x - alpha mu), first coordinate
        p1 = (c00 * d1 - c01 * d0) / det
        r = torch.softmax(logw - 0.5 * torch.log(det) - 0.5 * (d0 * p0 + d1 * p1), 1)
        out.append(-torch.stack([(r * p0).sum(1), (r * p1).sum(1)], 1))
    return torch.cat(out).to(x.dtype)


def _grouped_score(density, sde: SDE, x: Tensor, t: Tensor, differentiable: bool) -> Tensor:
    """One marginal per distinct t (grid densities with per-point times)."""
    values, inverse = torch.unique(t, return_inverse=True)
    parts, order = [], []
    for k, v in enumerate(values.tolist()):
        idx = torch.nonzero(inverse == k).reshape(-1)
        alpha, std = (float(u) for u in sde.marginal(v))
        m = diffused(density, alpha, std, density.name)
        xs = x[idx]
        if differentiable:
            (g,) = torch.autograd.grad(m.log_prob(xs).sum(), x, create_graph=True)
            parts.append(g[idx])
        else:
            parts.append(m.score(xs))
        order.append(idx)
    perm = torch.cat(order)
    out = torch.cat(parts)
    return out[torch.argsort(perm)]
