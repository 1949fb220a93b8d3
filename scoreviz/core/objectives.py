"""Score-matching objectives (docs: /MATH.md): one small function per objective, registered by name.

Every objective has the signature ``fn(cfg, model, x, density, generator) -> (N,)`` per-sample
losses; ``compute_loss`` takes their mean. ``model(x[, sigma | t]) -> (N, 2)`` is the score network,
x (N, 2) are samples of the data density p, and every random number comes from ``generator``
(a torch.Generator on x's device), so one seed gives bit-identical losses on the CPU.

This is the training hot loop: no host syncs, no .item(), as few kernels as the maths needs.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from typing import Callable, NamedTuple

import torch
from torch import Tensor

from scoreviz.core import limits
from scoreviz.core.errors import ScorevizError
from scoreviz.core.text import N_
from scoreviz.core.marginals import marginal_density
from scoreviz.core.samplers import geometric_sigmas
from scoreviz.core.sde import KINDS as SDE_KINDS
from scoreviz.core.sde import SDE

PROJECTIONS = ("gaussian", "rademacher", "sphere")
WEIGHTINGS = ("sigma2", "likelihood")  # sde: lambda(t) = std(t)^2 | g(t)^2
_SECOND_ORDER = ("ism", "ssm", "ssm-vr")  # integrate by parts: need a differentiable s_theta


@dataclass
class ObjectiveConfig:
    name: str = "dsm"  # esm | ism | ssm | ssm-vr | dsm | ncsn | sde
    sigma: float = 0.1  # dsm noise level
    sigma_max: float = 1.0  # ncsn largest level; sde ve: sigma(1)
    sigma_min: float = 0.01  # ncsn smallest level; sde ve: sigma(0)
    levels: int = 10  # ncsn number of geometric levels
    projections: int = 1  # ssm / ssm-vr: projections v per sample
    projection: str = "gaussian"  # gaussian | rademacher | sphere
    # sde: the forward process (scoreviz.core.sde; ve takes sigma_min/sigma_max above)
    sde: str = "vp"  # ve | vp | subvp
    beta_min: float = 0.1  # vp/subvp beta(0)
    beta_max: float = 20.0  # vp/subvp beta(1)
    t_eps: float = 0.0  # smallest time; 0: the kind's default (1e-5 ve, 1e-3 vp/subvp)
    weighting: str = "sigma2"  # sigma2: lambda = std(t)^2 | likelihood: lambda = g(t)^2

    def __post_init__(self):
        if not isinstance(self.name, str) or self.name not in OBJECTIVES:
            raise ScorevizError(f"unknown objective {limits.show(self.name)}; choose one of {', '.join(OBJECTIVES)}")
        for key in ("sigma", "sigma_max", "sigma_min", "levels", "projections"):
            setattr(self, key, limits.check(key, getattr(self, key), "objective"))
        if not self.sigma_max > self.sigma_min:
            raise ScorevizError(
                f"objective sigma_max must be > sigma_min, got sigma_max={self.sigma_max!r}, sigma_min={self.sigma_min!r}"
            )
        if self.projection not in PROJECTIONS:
            raise ScorevizError(f"unknown projection {limits.show(self.projection)}; choose one of {', '.join(PROJECTIONS)}")
        if not isinstance(self.sde, str) or self.sde not in SDE_KINDS:
            raise ScorevizError(f"unknown process sde={limits.show(self.sde)}; choose one of {', '.join(SDE_KINDS)}")
        if not isinstance(self.weighting, str) or self.weighting not in WEIGHTINGS:
            raise ScorevizError(f"unknown weighting {limits.show(self.weighting)}; choose one of {', '.join(WEIGHTINGS)}")
        for key in ("beta_min", "beta_max"):
            setattr(self, key, limits.check(key, getattr(self, key), "objective"))
        if limits.is_finite_number(self.t_eps) and self.t_eps == 0:
            self.t_eps = 0.0  # stays 0: the kind's default, whatever the kind becomes
        else:
            self.t_eps = limits.check("t_eps", self.t_eps, "objective")
        objective_sde(self)  # the process's own checks (beta_max >= beta_min)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "ObjectiveConfig":
        if not isinstance(d, dict):
            raise ScorevizError(f"objective config must be a mapping, got {type(d).__name__}")
        allowed = [f.name for f in fields(cls)]
        unknown = [k for k in d if k not in allowed]
        if unknown:
            raise ScorevizError(f"unknown objective setting {limits.show(unknown[0])}; allowed: {', '.join(allowed)}")
        return cls(**d)


# ---------------------------------------------------------------------------- helpers
def _noise_conditional(model) -> bool:
    cfg = getattr(model, "cfg", None)
    return bool(getattr(cfg, "noise_conditional", False))


def _time_conditional(model) -> bool:
    cfg = getattr(model, "cfg", None)
    return bool(getattr(cfg, "time_conditional", False))


def objective_sde(cfg: ObjectiveConfig) -> SDE:
    """The forward process of objective ``sde`` from the config: kind ``cfg.sde``, ve's sigma_min and
    sigma_max (the same fields as ncsn's levels), vp/subvp's beta_min and beta_max, and t_eps (0: the
    kind's default).  Defined (and validated) for every objective; only ``sde`` uses it."""
    return _sde_cached(cfg.sde, cfg.sigma_min, cfg.sigma_max, cfg.beta_min, cfg.beta_max, cfg.t_eps)


@lru_cache(maxsize=64)
def _sde_cached(kind, sigma_min, sigma_max, beta_min, beta_max, t_eps) -> SDE:
    return SDE(kind, sigma_min=sigma_min, sigma_max=sigma_max, beta_min=beta_min, beta_max=beta_max, t_eps=t_eps)


def conditioned_model(objective: ObjectiveConfig, model_cfg):
    """``model_cfg`` with the conditioning ``objective`` needs: noise-conditional for ncsn,
    time-conditional for sde, neither otherwise (what switching objective does to the model)."""
    return replace(model_cfg, noise_conditional=objective.name == "ncsn", time_conditional=objective.name == "sde")


def _sq(v: Tensor) -> Tensor:
    """Squared norm per row: (N, 2) -> (N,)."""
    return v.square().sum(-1)


def _projections(cfg: ObjectiveConfig, shape, x: Tensor, generator) -> Tensor:
    """Random directions v with E[v v^T] = I, shape (..., 2)."""
    if cfg.projection == "gaussian":
        return torch.randn(shape, generator=generator, device=x.device, dtype=x.dtype)
    if cfg.projection == "rademacher":
        r = torch.randint(0, 2, shape, generator=generator, device=x.device)
        return (2 * r - 1).to(x.dtype)
    v = torch.randn(shape, generator=generator, device=x.device, dtype=x.dtype)  # sphere: E[vv^T] = I/d, d = 2
    return v * (math.sqrt(2.0) / v.norm(dim=-1, keepdim=True))


def _trace_jacobian(s: Tensor, x: Tensor) -> Tensor:
    """Exact tr J(x) = d s_0/d x_0 + d s_1/d x_1 per row (rows independent): two backward passes."""
    d0 = torch.autograd.grad(s[:, 0].sum(), x, create_graph=True)[0][:, 0]  # (N,)
    d1 = torch.autograd.grad(s[:, 1].sum(), x, create_graph=True)[0][:, 1]  # (N,)
    return d0 + d1


def _sliced(cfg: ObjectiveConfig, model, x: Tensor, generator, variance_reduced: bool) -> Tensor:
    k = cfg.projections
    n = x.shape[0]
    xr = x.detach().repeat(k, 1) if k > 1 else x.detach()  # (K*N, 2), projection-major
    xr.requires_grad_(True)
    v = _projections(cfg, xr.shape, x, generator)  # (K*N, 2)
    s = model(xr)  # (K*N, 2)
    vs = (v * s).sum(-1)  # (K*N,)  v^T s
    (jtv,) = torch.autograd.grad(vs.sum(), xr, create_graph=True)  # (K*N, 2)  J^T v
    vjv = (jtv * v).sum(-1)  # (K*N,)  v^T J v
    per = vjv + 0.5 * (_sq(s) if variance_reduced else vs.square())
    return per.view(k, n).mean(0) if k > 1 else per


@lru_cache(maxsize=32)
def _levels_on(sigma_max: float, sigma_min: float, levels: int, device: torch.device, dtype: torch.dtype) -> Tensor:
    return geometric_sigmas(sigma_max, sigma_min, levels, dtype=dtype, device=device)


# ---------------------------------------------------------------------------- objectives
def esm(cfg: ObjectiveConfig, model, x: Tensor, density, generator) -> Tensor:
    """Explicit score matching: ½‖s_θ(x) − s(x)‖², s = ∇ₓ log p (the true score)."""
    with torch.no_grad():
        target = density.score(x).to(x.dtype)  # (N, 2)
    return 0.5 * _sq(model(x) - target)


def ism(cfg: ObjectiveConfig, model, x: Tensor, density, generator) -> Tensor:
    """Implicit score matching (Hyvärinen): tr J_θ(x) + ½‖s_θ(x)‖², J_θ = ∇ₓ s_θ (exact trace)."""
    x = x.detach().requires_grad_(True)
    s = model(x)  # (N, 2)
    return _trace_jacobian(s, x) + 0.5 * _sq(s)


def ssm(cfg: ObjectiveConfig, model, x: Tensor, density, generator) -> Tensor:
    """Sliced score matching: vᵀJ_θ(x)v + ½(vᵀs_θ(x))², E[vvᵀ] = I, mean over K projections."""
    return _sliced(cfg, model, x, generator, variance_reduced=False)


def ssm_vr(cfg: ObjectiveConfig, model, x: Tensor, density, generator) -> Tensor:
    """Sliced score matching, variance reduced: vᵀJ_θ(x)v + ½‖s_θ(x)‖², mean over K projections."""
    return _sliced(cfg, model, x, generator, variance_reduced=True)


def dsm(cfg: ObjectiveConfig, model, x: Tensor, density, generator) -> Tensor:
    """Denoising score matching (Vincent): ½‖s_θ(x̃) + (x̃ − x)/σ²‖², x̃ = x + σz, z ~ N(0, I).

    (x̃ − x)/σ² = z/σ exactly; learns the score of p_σ = p ∗ N(0, σ²I).
    """
    sigma = cfg.sigma
    z = torch.randn(x.shape, generator=generator, device=x.device, dtype=x.dtype)  # (N, 2)
    xt = x + sigma * z
    s = model(xt, sigma) if _noise_conditional(model) else model(xt)
    return 0.5 * _sq(s + z / sigma)


def ncsn(cfg: ObjectiveConfig, model, x: Tensor, density, generator) -> Tensor:
    """Multi-level DSM (Song & Ermon): (1/L)Σᵢ λ(σᵢ)·dsm at σᵢ, λ(σ) = σ² (the mean over the L levels).

    Per sample one uniformly random level i (so the batch mean estimates (1/L)Σᵢ): σᵢ²·½‖s_θ(x̃, σᵢ) + (x̃ − x)/σᵢ²‖², x̃ = x + σᵢz; σᵢ geometric.
    """
    if not _noise_conditional(model):
        raise ScorevizError("objective 'ncsn' needs a noise-conditional model (noise_conditional=true)")
    levels = _levels_on(cfg.sigma_max, cfg.sigma_min, cfg.levels, x.device, x.dtype)  # (L,)
    idx = torch.randint(0, cfg.levels, (x.shape[0],), generator=generator, device=x.device)  # (N,)
    sig = levels[idx]  # (N,)
    z = torch.randn(x.shape, generator=generator, device=x.device, dtype=x.dtype)  # (N, 2)
    sc = sig[:, None]  # (N, 1)
    s = model(x + sc * z, sig)  # (N, 2)
    # σ²·½‖s + z/σ‖² = ½‖σ s + z‖²
    return 0.5 * _sq(sc * s + z)


def sde(cfg: ObjectiveConfig, model, x: Tensor, density, generator) -> Tensor:
    """Continuous-time DSM (Song et al. 2021): λ(t)·½‖s_θ(x_t, t) + z/std(t)‖², x_t = α(t)x + std(t)z.

    t ~ U(t_eps, 1) then z ~ N(0, I), both from ``generator`` (in that order); s_θ(x, t) = model(x, t)/std(t)
    (``time_score.sde_score``).  weighting ``sigma2``: λ = std(t)², the per-sample loss is ½‖model(x_t, t) + z‖²
    (of order 1 at every t; its minimum over s_θ is not 0).  ``likelihood``: λ = g(t)², i.e.
    (g²/std²)·½‖model + z‖², unnormalised: its t-average is the score-matching term of the NLL bound
    (Song et al. 2021b) and its scale is g²/std² times the sigma2 loss's (≈ 1/t near t = 0 for vp: noisier).
    """
    if not _time_conditional(model):
        raise ScorevizError("objective 'sde' needs a time-conditional model (time_conditional=true)")
    process = objective_sde(cfg)
    eps = process.t_eps
    u = torch.rand(x.shape[0], generator=generator, device=x.device, dtype=x.dtype)  # (N,)
    t = eps + (1.0 - eps) * u  # (N,) ~ U(eps, 1)
    z = torch.randn(x.shape, generator=generator, device=x.device, dtype=x.dtype)  # (N, 2)
    alpha, std = process.marginal(t)  # (N,), (N,) in x's dtype
    out = model(alpha[:, None] * x + std[:, None] * z, t)  # (N, 2) = std(t)·s_θ(x_t, t)
    per = 0.5 * _sq(out + z)  # std²·½‖s_θ + z/std‖² = ½‖std·s_θ + z‖²
    if cfg.weighting == "likelihood":
        per = per * (process.g2(t) / std.square())  # λ = g²: g²/std² · std²·½‖…‖²
    return per


ObjectiveFn = Callable[[ObjectiveConfig, object, Tensor, object, torch.Generator], Tensor]
OBJECTIVES: dict[str, ObjectiveFn] = {
    "esm": esm,
    "ism": ism,
    "ssm": ssm,
    "ssm-vr": ssm_vr,
    "dsm": dsm,
    "ncsn": ncsn,
    "sde": sde,
}


class ObjectiveInfo(NamedTuple):
    description: str  # one line
    formula: str  # unicode
    params: tuple[str, ...]  # ObjectiveConfig fields it uses


OBJECTIVE_INFO: dict[str, ObjectiveInfo] = {
    "esm": ObjectiveInfo(N_("explicit score matching: regress the true score (known here)"),
                         "½‖s_θ(x) − ∇ₓlog p(x)‖²", ()),
    "ism": ObjectiveInfo(N_("implicit score matching (Hyvärinen): exact Jacobian trace, no true score needed"),
                         "tr ∇ₓs_θ(x) + ½‖s_θ(x)‖²", ()),
    "ssm": ObjectiveInfo(N_("sliced score matching: random projections replace the trace"),
                         "vᵀ∇ₓs_θ(x)v + ½(vᵀs_θ(x))²", ("projections", "projection")),
    "ssm-vr": ObjectiveInfo(N_("sliced score matching, variance reduced"),
                            "vᵀ∇ₓs_θ(x)v + ½‖s_θ(x)‖²", ("projections", "projection")),
    "dsm": ObjectiveInfo(N_("denoising score matching (Vincent): learns the score of p_σ"),
                         "½‖s_θ(x̃) + (x̃ − x)/σ²‖², x̃ = x + σz", ("sigma",)),
    "ncsn": ObjectiveInfo(N_("multi-level denoising (Song & Ermon): noise-conditional s_θ(x, σ)"),
                          "(1/L)Σᵢ σᵢ²·½‖s_θ(x̃, σᵢ) + (x̃ − x)/σᵢ²‖², σ_max…σ_min geometric",
                          ("sigma_max", "sigma_min", "levels")),
    "sde": ObjectiveInfo(N_("continuous-time denoising (Song et al. 2021): time-conditional s_θ(x, t) = net(x, t)/std(t); "
                            "process ve (σ_min, σ_max), vp or subvp (β_min, β_max)"),
                         "E_t λ(t)·½‖s_θ(x_t, t) + z/std(t)‖², x_t = α(t)x + std(t)z, t ~ U(ε, 1), "
                         "λ = std² (sigma2) or g² (likelihood)",
                         ("sde", "sigma_min", "sigma_max", "beta_min", "beta_max", "t_eps", "weighting")),
}


# ---------------------------------------------------------------------------- API
def compute_loss(cfg: ObjectiveConfig, model, x: Tensor, density, generator) -> Tensor:
    """Scalar loss: the objective's mean over the batch x (N, 2)."""
    return OBJECTIVES[cfg.name](cfg, model, x, density, generator).mean()


def target_sigma(cfg: ObjectiveConfig, t: float | None = None) -> float:
    """The noise level whose density the objective learns: 0, σ (dsm), σ_min (ncsn) or, for sde, std(t)
    of the process at the display time t (default t_eps; for vp/subvp the target is also scaled by α(t))."""
    if cfg.name == "dsm":
        return cfg.sigma
    if cfg.name == "ncsn":
        return cfg.sigma_min
    if cfg.name == "sde":
        process = objective_sde(cfg)
        return float(process.std(process.t_eps if t is None else float(t)))
    return 0.0


def target_density(cfg: ObjectiveConfig, density, t: float | None = None):
    """The density whose score the objective learns: p, p_σ (dsm), p_{σ_min} (ncsn) or, for sde, the
    exact marginal p_t of the process at the display time t (default t_eps)."""
    if cfg.name == "sde":
        process = objective_sde(cfg)
        return marginal_density(density, process, process.t_eps if t is None else float(t))
    sigma = target_sigma(cfg)
    return density.perturbed(sigma) if sigma > 0 else density


def sigmas(cfg: ObjectiveConfig) -> Tensor:
    """(L,) geometric noise levels σ_max … σ_min (float32, CPU)."""
    return geometric_sigmas(cfg.sigma_max, cfg.sigma_min, cfg.levels)


def check_compatible(cfg: ObjectiveConfig, model_cfg) -> None:
    """Refuse objective/model pairs that cannot learn (ScorevizError with the fix)."""
    if cfg.name in _SECOND_ORDER and model_cfg.activation == "relu":
        raise ScorevizError(
            f"objective {cfg.name!r} needs a differentiable score; activation 'relu' has tr J = 0 almost "
            "everywhere — choose silu, softplus, tanh or elu"
        )
    if cfg.name == "ncsn" and not model_cfg.noise_conditional:
        raise ScorevizError("objective 'ncsn' needs a noise-conditional model — set noise_conditional=true")
    if cfg.name in ("esm", "ism", "ssm", "ssm-vr") and model_cfg.noise_conditional:
        raise ScorevizError(
            f"objective {cfg.name!r} has no noise level for a noise-conditional model — "
            "set noise_conditional=false or use dsm/ncsn"
        )
    time_conditional = bool(getattr(model_cfg, "time_conditional", False))
    if cfg.name == "sde" and not time_conditional:
        raise ScorevizError("objective 'sde' needs a time-conditional model — set time_conditional=true")
    if cfg.name != "sde" and time_conditional:
        raise ScorevizError(f"objective {cfg.name!r} has no time for a time-conditional model — "
                            "set time_conditional=false or use objective sde")
