"""Continuous-time forward processes (Song et al. 2021; score_sde_pytorch's ``sde_lib.py``), docs: MATH.md.

dx = f(x, t) dt + g(t) dw on t in [eps, 1]; the perturbation kernel is x_t = alpha(t) x_0 + std(t) z.

    ============  ================  =========================  ======================  ===========  ===============
    kind          f(x, t)           g(t)^2                     alpha(t)                std(t)       prior
    ============  ================  =========================  ======================  ===========  ===============
    ``ve``        0                 d sigma(t)^2 / dt          1                       sigma(t)     N(0, sigma_max^2 I)
    ``vp``        -beta(t) x / 2    beta(t)                    exp(-t^2 (b1-b0)/4      sqrt(1-a^2)  N(0, I)
                                                                   - t b0 / 2)
    ``subvp``     -beta(t) x / 2    beta(t) (1 - alpha(t)^4)   as vp                   1 - a^2      N(0, I)
    ============  ================  =========================  ======================  ===========  ===============

with sigma(t) = sigma_min (sigma_max / sigma_min)^t and beta(t) = b0 + t (b1 - b0).

``SDE(kind, ...)`` is a frozen, validated description; its methods take t as a float or a tensor and
return tensors (float64 for a float t; a tensor t keeps its dtype and device).  ``SDE.for_box(kind, box)``
gives the defaults scoreviz uses for a density's box: ve sigma_max = the box's diagonal (the prior then
covers every pair of points of the box), sigma_min = 0.01; vp/subvp beta_min = 0.1, beta_max = 20.
The smallest time eps defaults to 1e-5 for ve and 1e-3 for vp/subvp.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

import torch
from torch import Tensor

from scoreviz.core import limits
from scoreviz.core.errors import ScorevizError
from scoreviz.core.text import N_

KINDS = ("ve", "vp", "subvp")
DEFAULT_T_EPS = {"ve": 1e-5, "vp": 1e-3, "subvp": 1e-3}
DEFAULT_SIGMA_MIN = 0.01
DEFAULT_BETA_MIN = 0.1
DEFAULT_BETA_MAX = 20.0
SDE_DESCRIPTIONS = {
    "ve": N_("variance exploding: x_t = x_0 + σ(t)z, σ(t) = σ_min(σ_max/σ_min)^t; prior N(0, σ_max²I)"),
    "vp": N_("variance preserving: x_t = α(t)x_0 + √(1−α²)z, β(t) linear in t; prior N(0, I)"),
    "subvp": N_("sub-VP: mean α(t)x_0, std 1 − α(t)², β(t) linear in t; prior N(0, I)"),
}


def _as_t(t, like: Tensor | None = None) -> Tensor:
    """t as a tensor: a float becomes float64 (on ``like``'s device when given)."""
    if isinstance(t, Tensor):
        return t
    if like is not None:
        return torch.as_tensor(float(t), dtype=like.dtype, device=like.device)
    return torch.as_tensor(float(t), dtype=torch.float64)


def _column(v: Tensor, x: Tensor) -> Tensor:
    """A per-point (N,) or scalar coefficient shaped to multiply x (N, 2)."""
    return v.reshape(-1, 1) if v.dim() == 1 else v


@dataclass(frozen=True)
class SDE:
    """A forward process; see the module's description.  Unused parameters of a kind are kept (and saved)
    but have no effect (sigma_* for vp/subvp, beta_* for ve)."""

    kind: str = "vp"
    sigma_min: float = DEFAULT_SIGMA_MIN
    sigma_max: float = 10.0
    beta_min: float = DEFAULT_BETA_MIN
    beta_max: float = DEFAULT_BETA_MAX
    t_eps: float = 0.0  # 0: the kind's default (1e-5 ve, 1e-3 vp/subvp)

    def __post_init__(self):
        if not isinstance(self.kind, str) or self.kind not in KINDS:
            raise ScorevizError(f"unknown process {limits.show(self.kind)}; choose one of {', '.join(KINDS)}")
        for key in ("sigma_min", "sigma_max", "beta_min", "beta_max"):
            object.__setattr__(self, key, limits.check(key, getattr(self, key), "sde"))
        if not self.sigma_max > self.sigma_min:
            raise ScorevizError(
                f"sde sigma_max must be > sigma_min, got sigma_max={self.sigma_max!r}, sigma_min={self.sigma_min!r}"
            )
        if not self.beta_max >= self.beta_min:
            raise ScorevizError(
                f"sde beta_max must be >= beta_min, got beta_max={self.beta_max!r}, beta_min={self.beta_min!r}"
            )
        eps = self.t_eps
        if isinstance(eps, (int, float)) and not isinstance(eps, bool) and eps == 0:
            eps = DEFAULT_T_EPS[self.kind]
        object.__setattr__(self, "t_eps", limits.check("t_eps", eps, "sde"))

    # ------------------------------------------------------------------ construction
    @classmethod
    def for_box(cls, kind: str, box, **changes) -> "SDE":
        """The defaults for a density shown in ``box`` (xmin, xmax, ymin, ymax), with ``changes`` applied."""
        x0, x1, y0, y1 = (float(v) for v in box)
        sigma_max = min(math.hypot(x1 - x0, y1 - y0), limits.LIMITS["sigma_max"].max)
        params = {"sigma_min": DEFAULT_SIGMA_MIN, "sigma_max": sigma_max}
        params.update({k: v for k, v in changes.items() if v is not None})
        return cls(kind, **params)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "SDE":
        if not isinstance(d, dict):
            raise ScorevizError(f"sde must be a mapping, got {type(d).__name__}")
        allowed = [f.name for f in fields(cls)]
        unknown = [k for k in d if k not in allowed]
        if unknown:
            raise ScorevizError(f"unknown sde setting {limits.show(unknown[0])}; allowed: {', '.join(allowed)}")
        return cls(**d)

    def describe(self) -> str:
        """One line: the process and its parameters, e.g. ``vp (β 0.1…20, t ≥ 0.001)``."""
        if self.kind == "ve":
            return f"ve (σ {self.sigma_min:g}…{self.sigma_max:g}, t ≥ {self.t_eps:g})"
        return f"{self.kind} (β {self.beta_min:g}…{self.beta_max:g}, t ≥ {self.t_eps:g})"

    # ------------------------------------------------------------------ the process
    def sigma(self, t) -> Tensor:
        """ve's noise level sigma(t) = sigma_min (sigma_max / sigma_min)^t."""
        t = _as_t(t)
        return self.sigma_min * (self.sigma_max / self.sigma_min) ** t

    def beta(self, t) -> Tensor:
        """vp/subvp's beta(t) = beta_min + t (beta_max - beta_min)."""
        t = _as_t(t)
        return self.beta_min + t * (self.beta_max - self.beta_min)

    def _log_alpha(self, t: Tensor) -> Tensor:
        return -0.25 * t**2 * (self.beta_max - self.beta_min) - 0.5 * t * self.beta_min

    def alpha(self, t) -> Tensor:
        """The mean coefficient alpha(t) of x_t given x_0 (1 for ve)."""
        t = _as_t(t)
        if self.kind == "ve":
            return torch.ones_like(t)
        return torch.exp(self._log_alpha(t))

    def std(self, t) -> Tensor:
        """The standard deviation std(t) of x_t given x_0."""
        t = _as_t(t)
        if self.kind == "ve":
            return self.sigma(t)
        if self.kind == "vp":
            return torch.sqrt(-torch.expm1(2 * self._log_alpha(t)))  # sqrt(1 - alpha^2), exact near t = 0
        return -torch.expm1(2 * self._log_alpha(t))  # 1 - alpha^2

    def marginal(self, t) -> tuple[Tensor, Tensor]:
        """(alpha(t), std(t))."""
        return self.alpha(t), self.std(t)

    def g2(self, t) -> Tensor:
        """The squared diffusion coefficient g(t)^2."""
        t = _as_t(t)
        if self.kind == "ve":
            return self.sigma(t) ** 2 * (2 * math.log(self.sigma_max / self.sigma_min))
        if self.kind == "vp":
            return self.beta(t)
        return self.beta(t) * -torch.expm1(4 * self._log_alpha(t))  # beta (1 - alpha^4)

    def diffusion(self, t) -> Tensor:
        """g(t)."""
        return torch.sqrt(self.g2(t))

    def drift(self, x: Tensor, t) -> Tensor:
        """f(x, t) (N, 2): 0 for ve, -beta(t) x / 2 for vp and subvp."""
        if self.kind == "ve":
            return torch.zeros_like(x)
        return -0.5 * _column(self.beta(_as_t(t, x)).to(x.dtype), x) * x

    def perturb(self, x0: Tensor, t, z: Tensor) -> Tensor:
        """x_t = alpha(t) x0 + std(t) z (x0, z: (N, 2); t: a float or (N,))."""
        a, s = self.marginal(_as_t(t, x0))
        return _column(a.to(x0.dtype), x0) * x0 + _column(s.to(x0.dtype), x0) * z

    # ------------------------------------------------------------------ the prior at t = 1
    @property
    def prior_std(self) -> float:
        """The prior's standard deviation: sigma_max for ve, 1 for vp and subvp."""
        return self.sigma_max if self.kind == "ve" else 1.0

    def prior_sample(self, n: int, generator: torch.Generator | None = None, dtype=torch.float32) -> Tensor:
        """n samples of N(0, prior_std^2 I) on the generator's device (CPU when None)."""
        device = generator.device if generator is not None else torch.device("cpu")
        return self.prior_std * torch.randn(int(n), 2, generator=generator, device=device, dtype=dtype)

    def prior_log_prob(self, x: Tensor) -> Tensor:
        """log N(x; 0, prior_std^2 I) (N,), in nats."""
        s2 = self.prior_std**2
        return -0.5 * (x**2).sum(-1) / s2 - math.log(2 * math.pi * s2)

    def times(self, steps: int, dtype=torch.float64, device=None) -> Tensor:
        """steps + 1 times from 1 down to t_eps, evenly spaced (the grid of every fixed-step sampler)."""
        return torch.linspace(1.0, self.t_eps, int(steps) + 1, dtype=dtype, device=device)
