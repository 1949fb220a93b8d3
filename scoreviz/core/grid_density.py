"""GridDensity: blurred pixel boxes -- a mixture of uniform cells convolved with a Gaussian.

An H x W grid of cells tiles the extent (xmin, xmax, ymin, ymax); row 0 is the bottom row.
Column j spans [a_j, b_j) in x, row i spans [c_i, d_i) in y.  With cell weights w_ij (sum 1)
and blur s > 0:

    p(x, y)  = sum_ij w_ij Bx_j(x) By_i(y),
    Bx_j(x)  = [Phi((b_j - x)/s) - Phi((a_j - x)/s)] / (b_j - a_j)      (uniform cell * N(0, s^2))
    dBx_j/dx = [phi((a_j - x)/s) - phi((b_j - x)/s)] / (s (b_j - a_j))

so p = sum((By @ W) * Bx, 1): two small matrix products.  The density is normalised and
    score(x, y) = ( sum((By @ W) * Bx', 1), sum((By' @ W) * Bx, 1) ) / p.
Exact sampling: a cell by weight, a uniform point in it, plus N(0, s^2 I).
Exact perturbation: p * N(0, sigma^2 I) is the same grid with blur sqrt(s^2 + sigma^2).

Numerics: float64 (float32 on MPS).  Phi differences come from erfc on the tail that does not
cancel (Phi(h) - Phi(l) = Phi(-l) - Phi(-h) right of the centre).  Bx and By are scaled per point
by their row maxima so the product does not underflow; an axis along which the point is far
off the grid (max Bx < 1e-80) is recomputed in log space (torch.special.log_ndtr) and shifted.
A point so far from every weighted cell that the scaled sum still underflows (< 1e-200) takes
an exact log-space path, log p = logsumexp_i [log By_i + logsumexp_j (log w_ij + log Bx_j)],
in chunks (O(H W) per point, so slower; finite everywhere).  Evaluation runs in row chunks so
the temporaries stay in cache.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
from torch import Tensor

from scoreviz.core.errors import ScorevizError
from scoreviz.core.mixture import Box, work_dtype, as_float64, base_name, check_sigma, perturbed_source

_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)
# An axis whose largest factor is below _AXIS_TINY is recomputed in log space; a scaled sum val
# below _TINY takes the exact log-space path.  Both keep log_prob's backward (~1/(m val)) finite.
_TINY = 1e-200
_AXIS_TINY = 1e-80
_EXACT_CHUNK = 1 << 18  # exact path: points x cells per chunk
_FAST_CHUNK = 1 << 17  # fast path: points x max(H, W) per chunk
_SQRT_HALF = math.sqrt(0.5)


def _cell_mass(u: Tensor) -> Tensor:
    """Phi(u[:, j+1]) - Phi(u[:, j]) for increasing edges u (N, C+1) -> (N, C), differentiable.

    One erfc per edge: e = Phi(-|u|) (torch.special.ndtr loses the left tail below -8, erfc does
    not).  A cell right of the centre (lo >= 0) is e_lo - e_hi, one left of it (hi < 0)
    e_hi - e_lo, one that straddles it 1 - e_lo - e_hi: no cancellation in either tail.  |u| is
    written where(u >= 0, u, -u) so an edge exactly at u = 0 gets the derivative its branch needs."""
    e = 0.5 * torch.special.erfc(torch.where(u >= 0, u, -u) * _SQRT_HALF)
    el, eh = e[:, :-1], e[:, 1:]
    lo, hi = u[:, :-1], u[:, 1:]
    return torch.where(lo >= 0, el - eh, torch.where(hi < 0, eh - el, 1 - el - eh))


def _log1mexp(z: Tensor) -> Tensor:
    """log(1 - exp(z)) for z < 0 (double-where so gradients stay finite)."""
    z = z.clamp(max=-1e-300)
    near = z > -math.log(2)
    za = torch.where(near, z, torch.full_like(z, -1.0))
    zb = torch.where(near, torch.full_like(z, -1.0), z)
    return torch.where(near, torch.log(-torch.expm1(za)), torch.log1p(-torch.exp(zb)))


def _log_ndtr_diff(lo: Tensor, hi: Tensor) -> Tensor:
    """log(Phi(hi) - Phi(lo)) for lo < hi, accurate in both far tails (differentiable)."""
    right = lo > 0
    l2 = torch.where(right, -hi, lo)
    h2 = torch.where(right, -lo, hi)
    lh = torch.special.log_ndtr(h2)
    ll = torch.special.log_ndtr(l2)
    return lh + _log1mexp(ll - lh)


@dataclass(eq=False)
class GridDensity:
    """Blurred cells.  weights: (H, W) array-like >= 0 (row 0 = bottom), normalised to sum 1;
    extent: the grid's (xmin, xmax, ymin, ymax); blur: the Gaussian std s > 0 (box units);
    box: the default view (the extent when None).  ``source``: the JSON spec this density was
    made from (an expression), used by ``to_dict``; ``sigma``: perturbation already applied."""

    weights: Tensor
    extent: Box
    blur: float
    box: Box | None = None
    name: str = "grid"
    params: dict = field(default_factory=dict)
    normalised: bool = True
    source: dict | None = None
    sigma: float = 0.0
    _cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        try:
            w = as_float64(self.weights)
        except (TypeError, ValueError, RuntimeError) as exc:
            raise ScorevizError(f"grid weights must be an H x W array of numbers: {exc}") from None
        if w.dim() != 2 or w.shape[0] < 1 or w.shape[1] < 1:
            raise ScorevizError(f"grid weights must be an H x W array, got shape {tuple(w.shape)}")
        if not torch.isfinite(w).all():
            raise ScorevizError("grid weights must be finite numbers")
        if (w < 0).any() or w.sum() <= 0:
            raise ScorevizError("grid weights must be >= 0 with a positive sum")
        self.weights = w / w.sum()
        self.extent = _check_box(self.extent, "grid box")
        self.box = self.extent if self.box is None else _check_box(self.box, "box")
        try:
            blur = float(self.blur)
        except (TypeError, ValueError):
            raise ScorevizError(f"grid blur={self.blur!r} must be a number > 0") from None
        if not math.isfinite(blur) or blur <= 0:
            raise ScorevizError(f"grid blur={self.blur!r} must be a finite number > 0")
        self.blur = blur
        self.params = dict(self.params)

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.weights.shape[0]), int(self.weights.shape[1])

    @property
    def cell_size(self) -> tuple[float, float]:
        h, w = self.shape
        x0, x1, y0, y1 = self.extent
        return (x1 - x0) / w, (y1 - y0) / h

    # ----------------------------------------------------------------- helpers
    def _params_on(self, device: torch.device):
        key = str(device)
        if key not in self._cache:
            dt = work_dtype(device)
            h, w = self.shape
            x0, x1, y0, y1 = self.extent
            ex = torch.linspace(x0, x1, w + 1, dtype=torch.float64)
            ey = torch.linspace(y0, y1, h + 1, dtype=torch.float64)
            rows = torch.nonzero(self.weights.sum(1) > 0).reshape(-1)
            cols = torch.nonzero(self.weights.sum(0) > 0).reshape(-1)
            # the exact path works on the rows/columns holding weight (no all -inf row: finite gradients)
            self._cache[key] = {
                n: t.to(device=device, dtype=dt)
                for n, t in dict(ex=ex, ey=ey, W=self.weights, flat=self.weights.reshape(-1),
                                 logW=torch.log(self.weights[rows][:, cols])).items()  # log 0 = -inf
            } | {"rows": rows.to(device), "cols": cols.to(device)}
        return self._cache[key]

    def _axis(self, v: Tensor, edges: Tensor, need_grad: bool):
        """Per point: B (N, C) scaled by its row max m, log m (N,), and dB/dv (same scaling) or None.

        B comes from erfc; a row whose max is below _AXIS_TINY (the point is far off the grid
        along this axis) is recomputed in log space, exp(log B - max log B)."""
        s = self.blur
        u = (edges[None, :] - v[:, None]) / s  # (N, C+1), increasing along the row
        width = edges[1:] - edges[:-1]
        b = _cell_mass(u) / width
        m = b.detach().amax(1)
        far = ~(m > _AXIS_TINY)
        m = torch.where(far, torch.ones_like(m), m)
        db = None
        if need_grad:
            phi = torch.exp(-0.5 * u * u - _LOG_SQRT_2PI)
            db = (phi[:, :-1] - phi[:, 1:]) / (s * width) / m[:, None]
        b = b / m[:, None]
        logm = torch.log(m)
        if far.any():
            idx = torch.nonzero(far).reshape(-1)
            uf = u[idx]
            logd = _log_ndtr_diff(uf[:, :-1], uf[:, 1:])  # log(Phi(hi) - Phi(lo))
            lb = logd - torch.log(width)
            lm = lb.detach().amax(1)
            bf = torch.exp(lb - lm[:, None])
            b = b.index_put((idx,), bf)
            logm = logm.index_put((idx,), lm)
            if need_grad:  # dB/dv / B = (phi(lo) - phi(hi)) / (s D), each ratio formed in log space
                lphi = -0.5 * uf * uf - _LOG_SQRT_2PI
                ratio = (torch.exp(lphi[:, :-1] - logd) - torch.exp(lphi[:, 1:] - logd)) / s
                db = db.index_put((idx,), bf * ratio)
        return b, logm, db

    def _log_axis(self, v: Tensor, edges: Tensor) -> Tensor:
        """log Bx_j(v), exact in the tails: (N, C)."""
        u = (edges[None, :] - v[:, None]) / self.blur
        width = edges[1:] - edges[:-1]
        return _log_ndtr_diff(u[:, :-1], u[:, 1:]) - torch.log(width)

    def _exact_log_prob(self, xd: Tensor, p: dict) -> Tensor:
        """log p = logsumexp_i [log By_i + logsumexp_j (log w_ij + log Bx_j)], all in log space
        (the slow, underflow-free path: O(H W) per point), in chunks."""
        out = []
        h, w = self.shape
        step = max(1, _EXACT_CHUNK // (h * w))
        for a in range(0, xd.shape[0], step):
            xc = xd[a:a + step]
            lx = self._log_axis(xc[:, 0], p["ex"])  # (n, W)
            ly = self._log_axis(xc[:, 1], p["ey"])  # (n, H)
            inner = torch.logsumexp(p["logW"][None] + lx[:, None, p["cols"]], 2)  # (n, rows)
            out.append(torch.logsumexp(inner + ly[:, p["rows"]], 1))
        return torch.cat(out)

    def _fast(self, xd: Tensor, p: dict, need_grad: bool):
        """(val, log m, grads): p = val * exp(log m), grads = grad p / exp(log m); val is tiny
        (<= _TINY) only where every weighted cell is very far from the point."""
        bx, lmx, dbx = self._axis(xd[:, 0], p["ex"], need_grad)
        by, lmy, dby = self._axis(xd[:, 1], p["ey"], need_grad)
        byw = by @ p["W"]  # (N, W)
        val = (byw * bx).sum(1)
        grads = None
        if need_grad:
            gx = (byw * dbx).sum(1)
            gy = ((dby @ p["W"]) * bx).sum(1)
            grads = torch.stack([gx, gy], 1)
        return val, lmx + lmy, grads

    def _rows(self, n: int):
        """Row chunks small enough that the (chunk, H or W) temporaries stay in cache."""
        step = max(64, _FAST_CHUNK // max(self.shape))
        return [(a, min(n, a + step)) for a in range(0, n, step)]

    def log_prob(self, x: Tensor) -> Tensor:
        """log p(x), normalised. x: (N, 2) -> (N,), same dtype as x (differentiable)."""
        p = self._params_on(x.device)
        xd = x.to(p["W"].dtype)
        outs = []
        for a, b in self._rows(xd.shape[0]):
            xc = xd[a:b]
            val, logm, _ = self._fast(xc, p, need_grad=False)
            bad = ~(val > _TINY)
            out = torch.log(torch.where(bad, torch.ones_like(val), val)) + logm
            if bad.any():
                idx = torch.nonzero(bad).reshape(-1)
                out = out.index_put((idx,), self._exact_log_prob(xc[idx], p))
            outs.append(out)
        return (torch.cat(outs) if outs else xd.new_zeros(0)).to(x.dtype)

    def score(self, x: Tensor) -> Tensor:
        """grad_x log p(x) (analytic; autograd of the exact log-space path far from all mass)."""
        p = self._params_on(x.device)
        xd = x.detach().to(p["W"].dtype)
        outs = []
        for a, b in self._rows(xd.shape[0]):
            xc = xd[a:b]
            with torch.no_grad():
                val, _, grads = self._fast(xc, p, need_grad=True)
                bad = ~(val > _TINY)
                out = grads / torch.where(bad, torch.ones_like(val), val)[:, None]
            if bad.any():
                idx = torch.nonzero(bad).reshape(-1)
                with torch.enable_grad():
                    xb = xc[idx].clone().requires_grad_(True)
                    (g,) = torch.autograd.grad(self._exact_log_prob(xb, p).sum(), xb)
                out[idx] = g.detach()
            outs.append(out)
        return (torch.cat(outs) if outs else xd.new_zeros(0, 2)).to(x.dtype)

    def sample(self, n: int, generator: torch.Generator | None = None) -> Tensor:
        """n exact samples (float32) on the generator's device: cell by weight, uniform in it, + N(0, s^2)."""
        device = generator.device if generator is not None else torch.device("cpu")
        p = self._params_on(device)
        n = int(n)
        h, w = self.shape
        idx = torch.multinomial(p["flat"], n, replacement=True, generator=generator)
        i, j = idx // w, idx % w
        u = torch.rand(n, 2, generator=generator, device=device, dtype=p["W"].dtype)
        z = torch.randn(n, 2, generator=generator, device=device, dtype=p["W"].dtype)
        ex, ey = p["ex"], p["ey"]
        xs = ex[j] + u[:, 0] * (ex[j + 1] - ex[j]) + self.blur * z[:, 0]
        ys = ey[i] + u[:, 1] * (ey[i + 1] - ey[i]) + self.blur * z[:, 1]
        return torch.stack([xs, ys], 1).float()

    def perturbed(self, sigma: float) -> "GridDensity":
        """p_sigma = p * N(0, sigma^2 I): the same cells with blur sqrt(s^2 + sigma^2) (exact)."""
        sigma = check_sigma(sigma)
        if sigma == 0:
            return self
        total = math.sqrt(self.sigma**2 + sigma**2)
        return GridDensity(
            self.weights, self.extent, math.sqrt(self.blur**2 + sigma**2), box=self.box,
            name=f"{base_name(self.name)}@sigma={total:g}", params=self.params, normalised=self.normalised,
            source=perturbed_source(self.source, total), sigma=total,
        )

    def to_dict(self) -> dict:
        """The JSON spec: its source (preset/expression, with "sigma" when perturbed), else the grid itself."""
        if self.source is not None:
            return {"scoreviz_density": 1, **self.source}
        d = {
            "scoreviz_density": 1,
            "type": "grid",
            "box": list(self.extent),
            "weights": self.weights.tolist(),
            "blur": self.blur,
        }
        if tuple(self.box) != tuple(self.extent):
            d["view_box"] = list(self.box)
        if self.name != "grid":
            d["name"] = self.name
        return d


def _check_box(box, what: str) -> Box:
    try:
        b = tuple(float(v) for v in box)
    except (TypeError, ValueError):
        raise ScorevizError(f"{what} {box!r} must be four numbers xmin, xmax, ymin, ymax") from None
    if len(b) != 4 or not all(math.isfinite(v) for v in b) or b[0] >= b[1] or b[2] >= b[3]:
        raise ScorevizError(f"{what} {box!r} must be four finite numbers xmin < xmax, ymin < ymax")
    return b
