"""Gaussian mixtures with full 2x2 covariances: exact log_prob, score, sampling and p_sigma.

The workhorse density: most presets and every drawn density are mixtures, and the Gaussian
perturbation of a mixture is the same mixture with each covariance + sigma^2 I.

    p(x)       = sum_k w_k N(x; mu_k, C_k)
    log p(x)   = logsumexp_k [log w_k - 1/2 log det(2 pi C_k) - 1/2 (x - mu_k)^T P_k (x - mu_k)],  P_k = C_k^-1
    score(x)   = -sum_k r_k(x) P_k (x - mu_k),   r_k = softmax_k of the bracket above
    p_sigma    = sum_k w_k N(x; mu_k, C_k + sigma^2 I)

Evaluation is in float64 (float32 on MPS). With many components (the curve toys have a few
hundred) the quadratic forms are one matrix product: (x - mu)^T P (x - mu) = phi(x) . a_k with
phi(x) = (x1^2, x1 x2, x2^2, x1, x2, 1), and the score is -(sum_k r_k P_k) x + sum_k r_k P_k mu_k,
two more matrix products.  Large batches are processed in chunks to bound memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import Tensor

from scoreviz.core.errors import ScorevizError

Box = tuple[float, float, float, float]  # xmin, xmax, ymin, ymax

_CHUNK_ELEMENTS = 1 << 18  # points x components per chunk: 2 MiB of float64 stays in cache (3x faster than one big block)


def work_dtype(device: torch.device) -> torch.dtype:
    # densities are evaluated in float64 (far tails underflow in float32); MPS has no float64
    return torch.float32 if device.type == "mps" else torch.float64


def as_float64(value) -> Tensor:
    """A CPU float64 tensor from a tensor (any device) or nested array-likes."""
    if isinstance(value, Tensor):
        return value.detach().to(device="cpu", dtype=torch.float64)
    return torch.as_tensor(np.asarray(value, dtype=np.float64))


def check_sigma(sigma) -> float:
    """sigma for perturbed(): a finite number >= 0, else ScorevizError."""
    try:
        s = float(sigma)
    except (TypeError, ValueError):
        raise ScorevizError(f"noise level sigma={sigma!r} must be a number >= 0") from None
    if not math.isfinite(s) or s < 0:
        raise ScorevizError(f"noise level sigma={sigma!r} must be a finite number >= 0")
    return s


def perturbed_source(source: dict | None, sigma_total: float) -> dict | None:
    """The JSON spec of a perturbed density: its source with the total noise level recorded."""
    if source is None:
        return None
    out = {k: v for k, v in source.items() if k != "sigma"}
    if sigma_total > 0:
        out["sigma"] = sigma_total
    return out


def base_name(name: str) -> str:
    return name.split("@sigma=")[0]


@dataclass(eq=False)
class GaussianMixture:
    """p(x) = sum_k w_k N(x; mu_k, C_k).

    weights (K,), means (K, 2), covs (K, 2, 2): any array-likes; weights are normalised.
    ``source``: the JSON spec this density was made from (a preset), used by ``to_dict``;
    ``sigma``: the total Gaussian perturbation already applied (0 for the clean density).
    """

    weights: Tensor
    means: Tensor
    covs: Tensor
    box: Box | None = None
    name: str = "mixture"
    params: dict = field(default_factory=dict)
    normalised: bool = True
    source: dict | None = None
    sigma: float = 0.0
    _cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        try:
            w = as_float64(self.weights).reshape(-1)
            m = as_float64(self.means).reshape(-1, 2)
            c = as_float64(self.covs).reshape(-1, 2, 2)
        except (TypeError, ValueError, RuntimeError) as exc:
            raise ScorevizError(f"mixture needs numeric weights (K,), means (K, 2), covariances (K, 2, 2): {exc}") from None
        k = w.shape[0]
        if k == 0 or m.shape[0] != k or c.shape[0] != k:
            raise ScorevizError(
                f"mixture needs matching weights/means/covariances, got {w.shape[0]}, {m.shape[0]}, {c.shape[0]} components"
            )
        if not (torch.isfinite(w).all() and torch.isfinite(m).all() and torch.isfinite(c).all()):
            raise ScorevizError("mixture parameters must be finite numbers")
        if (w < 0).any() or w.sum() <= 0:
            raise ScorevizError("mixture weights must be >= 0 with a positive sum")
        if not torch.allclose(c, c.transpose(1, 2), rtol=1e-6, atol=1e-12):
            raise ScorevizError("mixture covariances must be symmetric 2x2 matrices")
        c = 0.5 * (c + c.transpose(1, 2))
        det = c[:, 0, 0] * c[:, 1, 1] - c[:, 0, 1] * c[:, 1, 0]
        if (c[:, 0, 0] <= 0).any() or (det <= 0).any():
            raise ScorevizError("mixture covariances must be symmetric positive definite 2x2 matrices")
        keep = w > 0
        self.weights, self.means, self.covs = w[keep] / w[keep].sum(), m[keep], c[keep]
        if self.box is None:
            self.box = self._auto_box()
        box = tuple(float(v) for v in self.box)
        if len(box) != 4 or not all(math.isfinite(v) for v in box) or box[0] >= box[1] or box[2] >= box[3]:
            raise ScorevizError(f"box {self.box!r} must be (xmin, xmax, ymin, ymax) with xmin < xmax, ymin < ymax")
        self.box = box
        self.params = dict(self.params)

    # ----------------------------------------------------------------- helpers
    def _auto_box(self) -> Box:
        sd = torch.sqrt(torch.stack([self.covs[:, 0, 0], self.covs[:, 1, 1]], 1))
        lo = (self.means - 3 * sd).min(0).values
        hi = (self.means + 3 * sd).max(0).values
        centre, half = (lo + hi) / 2, ((hi - lo) / 2).max() * 1.1
        return (float(centre[0] - half), float(centre[0] + half), float(centre[1] - half), float(centre[1] + half))

    def _params_on(self, device: torch.device):
        key = str(device)
        if key not in self._cache:
            dt = work_dtype(device)
            prec = torch.linalg.inv(self.covs)
            chol = torch.linalg.cholesky(self.covs)
            logdet = torch.logdet(self.covs)
            logw = torch.log(self.weights) - 0.5 * logdet - math.log(2 * math.pi)
            # expanded quadratic form: (x-mu)^T P (x-mu) = phi(x) . a,  phi = (x1^2, x1x2, x2^2, x1, x2, 1)
            pmu = torch.einsum("kij,kj->ki", prec, self.means)  # P mu
            a = torch.stack(
                [prec[:, 0, 0], 2 * prec[:, 0, 1], prec[:, 1, 1], -2 * pmu[:, 0], -2 * pmu[:, 1], (self.means * pmu).sum(1)], 1
            )  # (K, 6)
            self._cache[key] = {
                name: t.to(device=device, dtype=dt)
                for name, t in dict(
                    logw=logw, mu=self.means, prec=prec, chol=chol, w=self.weights,
                    a=a.T.contiguous(), rows_t=torch.cat([prec.reshape(-1, 4), pmu], 1).T.contiguous(),
                ).items()
            }
        return self._cache[key]

    def _logc(self, xd: Tensor, p: dict) -> Tensor:
        """(N, K) log of w_k N(x; mu_k, C_k)."""
        if xd.dtype == torch.float64:
            x1, x2 = xd[:, 0], xd[:, 1]
            phi = torch.stack([x1 * x1, x1 * x2, x2 * x2, x1, x2, torch.ones_like(x1)], 1)
            return torch.addmm(p["logw"][None], phi, p["a"], alpha=-0.5)
        # float32 (MPS): the expanded form would cancel badly, use differences
        diff = xd[:, None, :] - p["mu"][None]
        quad = (diff * torch.einsum("kij,nkj->nki", p["prec"], diff)).sum(-1)
        return p["logw"][None] - 0.5 * quad

    def _chunks(self, n: int):
        k = self.weights.shape[0]
        step = max(64, _CHUNK_ELEMENTS // max(k, 1))
        return [(i, min(n, i + step)) for i in range(0, n, step)]

    # ----------------------------------------------------------------- protocol
    def log_prob(self, x: Tensor) -> Tensor:
        """log p(x), normalised. x: (N, 2) -> (N,), same dtype as x (differentiable).

        log p = logsumexp_k c_k = c_j - log_softmax(c)_j for the largest c_j (log_softmax is
        several times faster than logsumexp on CPU and gives the same gradient)."""
        p = self._params_on(x.device)
        xd = x.to(p["logw"].dtype)
        out = []
        for a, b in self._chunks(x.shape[0]):
            logc = self._logc(xd[a:b], p)
            j = logc.detach().argmax(1, keepdim=True)
            out.append((logc.gather(1, j) - torch.log_softmax(logc, 1).gather(1, j))[:, 0])
        return (torch.cat(out) if out else xd.new_zeros(0)).to(x.dtype)

    def score(self, x: Tensor) -> Tensor:
        """grad_x log p(x) = -sum_k r_k(x) P_k (x - mu_k). x: (N, 2) -> (N, 2), no graph."""
        with torch.no_grad():
            p = self._params_on(x.device)
            xd = x.detach().to(p["logw"].dtype)
            out = []
            for a, b in self._chunks(x.shape[0]):
                xc = xd[a:b]
                r = torch.softmax(self._logc(xc, p), 1)  # (n, K)
                rows = (p["rows_t"] @ r.T).T  # (n, 6): sum_k r_k P_k (flattened), sum_k r_k P_k mu_k
                s = rows[:, 4:] - torch.einsum("nij,nj->ni", rows[:, :4].reshape(-1, 2, 2), xc)
                out.append(s)
            return (torch.cat(out) if out else xd.new_zeros(0, 2)).to(x.dtype)

    def sample(self, n: int, generator: torch.Generator | None = None) -> Tensor:
        """n exact samples (float32) on the generator's device (CPU when None)."""
        device = generator.device if generator is not None else torch.device("cpu")
        p = self._params_on(device)
        idx = torch.multinomial(p["w"], int(n), replacement=True, generator=generator)
        z = torch.randn(int(n), 2, generator=generator, device=device, dtype=p["mu"].dtype)
        x = p["mu"][idx] + torch.einsum("nij,nj->ni", p["chol"][idx], z)
        return x.float()

    def perturbed(self, sigma: float) -> "GaussianMixture":
        """p_sigma = p * N(0, sigma^2 I): the same mixture with every covariance + sigma^2 I (exact)."""
        sigma = check_sigma(sigma)
        if sigma == 0:
            return self
        eye = torch.eye(2, dtype=torch.float64)
        total = math.sqrt(self.sigma**2 + sigma**2)
        return GaussianMixture(
            self.weights, self.means, self.covs + sigma**2 * eye, box=self.box,
            name=f"{base_name(self.name)}@sigma={total:g}", params=self.params,
            normalised=self.normalised, source=perturbed_source(self.source, total), sigma=total,
        )

    def to_dict(self) -> dict:
        """The JSON spec: the preset it came from (with "sigma" when perturbed), else explicit components."""
        if self.source is not None:
            return {"scoreviz_density": 1, **self.source}
        d = {
            "scoreviz_density": 1,
            "type": "mixture",
            "weights": self.weights.tolist(),
            "means": self.means.tolist(),
            "covariances": self.covs.tolist(),
            "box": list(self.box),
        }
        if self.name != "mixture":
            d["name"] = self.name
        return d
