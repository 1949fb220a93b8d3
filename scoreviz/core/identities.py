"""The score-matching identities, measured (docs: MATH.md, "Checks that must hold"; issue 15).

For one fixed score field s(x) and a density p, every objective is estimated on ONE shared batch of N
exact samples x ~ p (and x̃ = x + σz, z ~ N(0, I), from the same x), so that the identities between
them can be checked from paired per-sample values:

    esm       = ½‖s(x) − ∇log p(x)‖²
    ism       = tr J(x) + ½‖s(x)‖²                      J = ∇ₓs, the exact 2×2 Jacobian (autograd)
    ssm       = vᵀJ(x)v + ½(vᵀs(x))²                    mean over K projections v, E[vvᵀ] = I
    ssm_vr    = vᵀJ(x)v + ½‖s(x)‖²                      (the objectives' projections: ``objectives._projections``)
    dsm       = ½‖s(x̃) + z/σ‖²                          z/σ = (x̃ − x)/σ²
    esm_sigma = ½‖s(x̃) − ∇log p_σ(x̃)‖²                  x̃ ~ p_σ = p ∗ N(0, σ²I), the same x̃

Integration by parts (E_p[s·∇log p] = −E_p[tr J]) gives, for ANY field s,

    E[esm] = E[ism] + c = E[ssm] + c = E[ssm_vr] + c,    c = ½E_p‖∇log p‖²   (``half_mean_sq_true_score``)

and Tweedie's E[z/σ | x̃] = −∇log p_σ(x̃) gives E[s(x̃)·z/σ] = −E_{p_σ}[s·∇log p_σ], hence

    E[dsm] = E_{p_σ}[½‖s‖²] − E_{p_σ}[s·∇log p_σ] + ½E‖z‖²/σ²
           = E[esm_sigma] − ½E_{p_σ}‖∇log p_σ‖² + 1/σ²        (½E‖z‖² = d/2 = 1 in 2-D)
           = E[esm_sigma] + C,                                C = 1/σ² − ½E_{p_σ}‖∇log p_σ‖²  (``dsm_constant``)

The four identities, each 0 in expectation (``IDENTITIES``):
``esm_minus_ism_shifted`` = esm − (ism + c), ``esm_minus_ssm_shifted`` = esm − (ssm + c),
``esm_minus_ssm_vr_shifted`` = esm − (ssm_vr + c), ``esm_sigma_minus_dsm_shifted`` = esm_sigma − (dsm − C).
Their standard errors come from the paired per-sample differences on the shared batch, with the constant's
Monte Carlo error added in quadrature when it is Monte Carlo.  Pairing cancels the ½‖s‖² both estimators
share: the error is far below the unpaired one when s is far from ∇log p (a model of another density:
about an eighth of it), about the larger of the two estimators' own errors near the optimum (little to cancel).

The per-sample standard deviations (``std``) show where the estimators' noise comes from.  dsm's holds the
term ½‖z‖²/σ², whose standard deviation is exactly 1/σ² (½‖z‖² ~ Exp(1) in 2-D): it explodes as σ → 0,
and so does the dsm identity's error.  ssm and ssm-vr share E_v[· | x] = ism's value, so (law of total
variance) Var(ssm) = Var(ism) + E_x Var_v(ssm | x) ≥ Var(ism), the same for ssm-vr, and the projection
noise falls as 1/K.  ssm-vr replaces ½(vᵀs)² by its mean ½‖s‖², but that term is correlated with vᵀJv,
so ssm-vr is NOT always the quieter one: per sample x and projection,
    gaussian v:            Var_v(ssm | x) − Var_v(ssm_vr | x) = ½‖s‖⁴ + 2 sᵀJs
    rademacher v:          Var_v(ssm | x) − Var_v(ssm_vr | x) = s₀²s₁² + 4 J̄₀₁ s₀s₁   (J̄₀₁ = (J₀₁ + J₁₀)/2)
For the exact score of N(μ, Σ) the gaussian case averages to −½(λ₁ − λ₂)² ≤ 0 (λ the eigenvalues of Σ⁻¹):
with gaussian projections ssm-vr is the noisier one on an anisotropic Gaussian and ties on an isotropic
one; with rademacher (or sphere) projections it is the quieter one on both.  On other fields either can
win (measured: untrained networks either way, by a few per cent; trained ones quieter with rademacher
projections on ncsn-mixture, noisier with gaussian ones on 8gaussians or moons); ``std`` shows which.

The constants: for a single Gaussian N(μ, Σ) (a ``GaussianMixture`` with one component; p_σ of it is one
too) c = ½tr Σ⁻¹ exactly (E‖Σ⁻¹(x − μ)‖² = tr Σ⁻¹) and ½E‖∇log p_σ‖² = ½tr (Σ + σ²I)⁻¹; for every other
density both are Monte Carlo means over an independent sample (``constant_samples``, default 100 000) whose
standard error is reported.  ``*_method`` says which: "exact" | "monte carlo".

The field s: a ``ScoreModel`` of either parametrisation (vector: J by two backward passes; energy:
s = −∇E, J = −Hessian E by two double-backward passes), plain s_θ(x); noise-conditional s_θ(x, σ) at the
dsm noise level σ; time-conditional s_θ(x, t) = model(x, t)/std(t) (``time_score.sde_score``) at t = the
process's t_eps (or a given t; the process ``sde`` must be given).  The identities hold for any fixed field,
trained or not.  The model is never changed (no mode switch, no parameter gradients accumulated).

Use: ``identities(model, density, n=2000, sigma=0.1, seed=0)`` -> a JSON-ready dict (``Identities.to_dict``);
a view that measures during training builds an :class:`IdentityProbe` once (the batch, the projections, the
true scores and the constants are drawn and computed there) and calls ``probe.measure(model)`` per update:
only the network's passes are left.  Deterministic for a seed (the samples come from a CPU torch.Generator
and are moved to the model's device, so a seed gives the same batch on every device).

Cost (one CPU thread, ``torch.set_num_threads(1)``, the default 128×3 silu network, N = 2000, K = 1, on
this project's 2-core machine while it was busy; ``python -m scoreviz.core.identities`` measures it):
``measure`` 10–15 ms (vector: one forward with its graph, two backward passes, one forward on x̃),
26–40 ms (energy: double backward); building the probe 70–110 ms for 8gaussians, almost all of it the two
100 000-sample Monte Carlo constants (a single Gaussian needs none: ~2 ms; densities with hundreds of
components or a grid take up to ~250 ms; lower ``constant_samples`` for a view that rebuilds it often).
The one-shot ``identities()`` costs both.  Memory: the batch goes through the network in chunks of ``CHUNK`` points.  ``measure`` reads the model's
weights and must not run while another thread steps the optimiser (call it between training steps).
"""

from __future__ import annotations

import copy
import math
import numbers
from dataclasses import dataclass
from typing import NamedTuple

import torch
from torch import Tensor

from scoreviz.core import limits
from scoreviz.core.errors import ScorevizError
from scoreviz.core.mixture import GaussianMixture
from scoreviz.core.objectives import PROJECTIONS, ObjectiveConfig, _projections
from scoreviz.core.time_score import sde_score

DEFAULT_N = 2000
DEFAULT_SIGMA = 0.1
DEFAULT_CONSTANT_SAMPLES = 100_000
MAX_CONSTANT_SAMPLES = 10_000_000
CHUNK = 16384  # points through the network together (memory of the double backward of an energy network)

EXACT = "exact"
MONTE_CARLO = "monte carlo"

ESTIMATORS = ("esm", "ism", "ssm", "ssm_vr", "dsm", "esm_sigma")
ESTIMATOR_FORMULAS = {
    "esm": "½‖s(x) − ∇log p(x)‖²",
    "ism": "tr ∇ₓs(x) + ½‖s(x)‖²",
    "ssm": "vᵀ∇ₓs(x)v + ½(vᵀs(x))²",
    "ssm_vr": "vᵀ∇ₓs(x)v + ½‖s(x)‖²",
    "dsm": "½‖s(x̃) + z/σ‖², x̃ = x + σz",
    "esm_sigma": "½‖s(x̃) − ∇log p_σ(x̃)‖²",
}


class Identity(NamedTuple):
    """difference = left − (right + sign · constant), 0 in expectation."""

    left: str  # an estimator
    right: str  # an estimator
    constant: str  # "half_mean_sq_true_score" | "dsm_constant"
    sign: int  # +1: right + constant; -1: right − constant
    formula: str  # for labels


IDENTITIES: dict[str, Identity] = {
    "esm_minus_ism_shifted": Identity("esm", "ism", "half_mean_sq_true_score", 1, "esm − (ism + ½E‖∇log p‖²)"),
    "esm_minus_ssm_shifted": Identity("esm", "ssm", "half_mean_sq_true_score", 1, "esm − (ssm + ½E‖∇log p‖²)"),
    "esm_minus_ssm_vr_shifted": Identity("esm", "ssm_vr", "half_mean_sq_true_score", 1,
                                         "esm − (ssm-vr + ½E‖∇log p‖²)"),
    "esm_sigma_minus_dsm_shifted": Identity("esm_sigma", "dsm", "dsm_constant", -1,
                                            "esm_σ − (dsm − (1/σ² − ½E‖∇log p_σ‖²))"),
}


class Constant(NamedTuple):
    """½E_p‖∇log p‖² of a density: value, its standard error (0 when exact), method, samples used (0: exact)."""

    value: float
    standard_error: float
    method: str
    samples: int


# ---------------------------------------------------------------------------- constants
def exact_half_mean_sq_score(density) -> float | None:
    """½E_p‖∇log p‖² in closed form where there is one: a single Gaussian N(μ, Σ) gives ½tr Σ⁻¹; else None."""
    if isinstance(density, GaussianMixture) and density.weights.shape[0] == 1:
        return 0.5 * float(torch.linalg.inv(density.covs[0]).diagonal().sum())
    return None


def half_mean_sq_score(density, samples: int = DEFAULT_CONSTANT_SAMPLES, generator: torch.Generator | None = None,
                       exact: bool = True) -> Constant:
    """½E_p‖∇log p‖²: exact for a single Gaussian (unless ``exact=False``), else the Monte Carlo mean over
    ``samples`` exact samples drawn with ``generator`` (float64 scores), with its standard error."""
    if exact:
        value = exact_half_mean_sq_score(density)
        if value is not None:
            return Constant(value, 0.0, EXACT, 0)
    samples = _check_count(samples, "constant_samples", MAX_CONSTANT_SAMPLES)
    x = density.sample(samples, generator).to(device="cpu", dtype=torch.float64)
    per = 0.5 * density.score(x).square().sum(-1)  # (M,)
    return Constant(float(per.mean()), float(per.std() / math.sqrt(samples)), MONTE_CARLO, samples)


def _check_count(n, name: str, most: int) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 2 <= n <= most:
        raise ScorevizError(f"identities {name}={limits.show(n)} is out of range; allowed 2..{most}")
    return int(n)


# ---------------------------------------------------------------------------- result
@dataclass(frozen=True)
class Identities:
    """One measurement: the estimators' means, the constants, the identities (differences), their standard
    errors and the estimators' per-sample standard deviations.  ``to_dict()`` is the JSON layout."""

    values: dict  # estimator -> mean over the batch
    differences: dict  # identity -> mean of the paired differences, constant included
    standard_errors: dict  # estimator, identity or constant -> standard error of its mean
    std: dict  # estimator -> per-sample standard deviation
    half_mean_sq_true_score: Constant
    perturbed_half_mean_sq_score: Constant  # ½E_{p_σ}‖∇log p_σ‖²
    sigma: float
    n: int
    seed: int
    projections: int
    projection: str
    t: float | None = None  # time-conditional: the time of s_θ(x, t); None otherwise

    @property
    def dsm_constant(self) -> float:
        return 1.0 / self.sigma**2 - self.perturbed_half_mean_sq_score.value

    def z_score(self, name: str) -> float:
        """difference / its standard error (inf when the error is 0 and the difference is not)."""
        d, se = self.differences[name], self.standard_errors[name]
        return d / se if se > 0 else (0.0 if d == 0 else math.inf)

    def holds(self, name: str, k: float = 3.0) -> bool:
        """True when identity ``name`` is within ``k`` standard errors of 0."""
        return abs(self.z_score(name)) <= k

    def to_dict(self) -> dict:
        c, cp = self.half_mean_sq_true_score, self.perturbed_half_mean_sq_score
        d = {**self.values, "sigma": self.sigma, "n": self.n, "seed": self.seed,
             "projections": self.projections, "projection": self.projection,
             "half_mean_sq_true_score": c.value, "half_mean_sq_true_score_method": c.method,
             "dsm_constant": self.dsm_constant, "dsm_constant_method": cp.method,
             "constant_samples": max(c.samples, cp.samples),
             **self.differences,
             "standard_errors": dict(self.standard_errors), "std": dict(self.std)}
        if self.t is not None:
            d["t"] = self.t
        return d


# ---------------------------------------------------------------------------- the field
def _model_device(model) -> torch.device:
    p = next(model.parameters(), None)
    return p.device if p is not None else torch.device("cpu")


def score_field(model, sigma: float, sde=None, t: float | None = None):
    """(field(x) -> (N, 2), t or None): s_θ(x), s_θ(x, σ) (noise-conditional) or model(x, t)/std(t)
    (time-conditional, at t, default the process's t_eps).  Keeps the graph when grad mode is on."""
    cfg = getattr(model, "cfg", None)
    if getattr(cfg, "time_conditional", False):
        if sde is None:
            raise ScorevizError("a time-conditional model needs its process (sde=...) to read its score s_θ(x, t)")
        at = float(sde.t_eps if t is None else t)
        if not sde.t_eps <= at <= 1.0:
            raise ScorevizError(f"time t={at:g} is out of range; allowed {sde.t_eps:g}..1 (t_eps of the process)")
        return (lambda x: sde_score(model, sde, x, at)), at
    if t is not None:
        raise ScorevizError("a time t needs a time-conditional model (objective sde)")
    if getattr(cfg, "noise_conditional", False):
        return (lambda x: model(x, sigma)), None
    return (lambda x: model(x)), None


def _jacobian(s: Tensor, x: Tensor) -> Tensor:
    """(N, 2, 2) J[n, a, b] = ∂s_a/∂x_b (rows independent): two backward passes, no graph kept after."""
    r0 = torch.autograd.grad(s[:, 0].sum(), x, retain_graph=True)[0]  # (N, 2) ∂s_0/∂x
    r1 = torch.autograd.grad(s[:, 1].sum(), x)[0]  # (N, 2) ∂s_1/∂x
    return torch.stack([r0, r1], 1)


# ---------------------------------------------------------------------------- the probe
@dataclass
class _Batch:
    x: Tensor  # (N, 2) float32 samples of p
    xt: Tensor  # (N, 2) float32, x + σz
    zs: Tensor  # (N, 2) z/σ (work dtype)
    v: Tensor  # (K, N, 2) projections (work dtype)
    g: Tensor  # (N, 2) ∇log p(x) (work dtype)
    gs: Tensor  # (N, 2) ∇log p_σ(x̃) (work dtype)


class IdentityProbe:
    """The model-independent part of a measurement, drawn and computed once: N samples x ~ p, z, x̃, the
    K projections per sample, ∇log p(x), ∇log p_σ(x̃) and the two constants.  ``measure(model)`` then
    costs the network's passes only (a view calls it during training; see the module's docstring)."""

    def __init__(self, density, n: int = DEFAULT_N, sigma: float = DEFAULT_SIGMA, seed: int = 0,
                 projections: int = 1, projection: str = "gaussian",
                 constant_samples: int = DEFAULT_CONSTANT_SAMPLES):
        self.n = _check_count(n, "n", int(limits.LIMITS["n_particles"].max))
        self.sigma = limits.check("sigma", sigma, "identities")
        self.seed = limits.check("seed", seed, "identities")
        self.projections = limits.check("projections", projections, "identities")
        if projection not in PROJECTIONS:
            raise ScorevizError(f"unknown projection {limits.show(projection)}; choose one of {', '.join(PROJECTIONS)}")
        self.projection = projection
        constant_samples = _check_count(constant_samples, "constant_samples", MAX_CONSTANT_SAMPLES)
        self.density = density
        self.perturbed = density.perturbed(self.sigma)
        gen = torch.Generator().manual_seed(self.seed)
        x = density.sample(self.n, gen).to(device="cpu", dtype=torch.float32)  # (N, 2)
        z = torch.randn(x.shape, generator=gen, dtype=torch.float32)  # (N, 2)
        cfg = ObjectiveConfig(name="ssm", projections=self.projections, projection=projection)
        v = _projections(cfg, (self.projections, self.n, 2), x, gen)  # (K, N, 2), E[vvᵀ] = I
        xt = x + self.sigma * z
        with torch.no_grad():
            g = density.score(x.double())
            gs = self.perturbed.score(xt.double())
        self._cpu = _Batch(x, xt, z.double() / self.sigma, v.double(), g, gs)
        self._on: dict[str, _Batch] = {"cpu": self._cpu}
        self.half_mean_sq_true_score = half_mean_sq_score(density, constant_samples, gen)
        self.perturbed_half_mean_sq_score = half_mean_sq_score(self.perturbed, constant_samples, gen)

    @property
    def x(self) -> Tensor:
        """(N, 2) the shared batch of exact samples (float32, CPU)."""
        return self._cpu.x

    @property
    def dsm_constant(self) -> float:
        return 1.0 / self.sigma**2 - self.perturbed_half_mean_sq_score.value

    @property
    def v(self) -> Tensor:
        """(K, N, 2) the projections of the shared batch (float64, CPU), E[vvᵀ] = I."""
        return self._cpu.v

    def _batch(self, device: torch.device) -> _Batch:
        key = str(device)
        if key not in self._on:
            wd = torch.float32 if device.type == "mps" else torch.float64  # MPS has no float64
            b = self._cpu
            self._on[key] = _Batch(b.x.to(device), b.xt.to(device), *(t.to(device=device, dtype=wd)
                                                                       for t in (b.zs, b.v, b.g, b.gs)))
        return self._on[key]

    def per_sample(self, model, sde=None, t: float | None = None) -> tuple[dict[str, Tensor], float | None]:
        """({estimator: (N,) per-sample values, float64 on the CPU}, t or None) for ``model`` on this batch."""
        device = _model_device(model)
        b = self._batch(device)
        fn, at = score_field(model, self.sigma, sde, t)
        parts: dict[str, list[Tensor]] = {k: [] for k in ESTIMATORS}
        with torch.inference_mode(False), torch.enable_grad():
            for a in range(0, self.n, CHUNK):
                e = min(self.n, a + CHUNK)
                x = b.x[a:e].detach().clone().requires_grad_(True)
                s = fn(x)  # (n, 2), with its graph
                jac = _jacobian(s, x).to(b.g.dtype)  # (n, 2, 2)
                s = s.detach().to(b.g.dtype)
                v = b.v[:, a:e]  # (K, n, 2)
                vjv = torch.einsum("kna,nab,knb->kn", v, jac, v)  # (K, n)
                vs = torch.einsum("kna,na->kn", v, s)  # (K, n)
                half_sq = 0.5 * s.square().sum(-1)  # (n,)
                parts["esm"].append(0.5 * (s - b.g[a:e]).square().sum(-1))
                parts["ism"].append(jac.diagonal(dim1=1, dim2=2).sum(-1) + half_sq)
                parts["ssm"].append((vjv + 0.5 * vs.square()).mean(0))
                parts["ssm_vr"].append(vjv.mean(0) + half_sq)
                with torch.no_grad():
                    st = fn(b.xt[a:e]).to(b.g.dtype)  # (n, 2) s(x̃)
                parts["dsm"].append(0.5 * (st + b.zs[a:e]).square().sum(-1))
                parts["esm_sigma"].append(0.5 * (st - b.gs[a:e]).square().sum(-1))
        return {k: torch.cat(v).to(device="cpu", dtype=torch.float64) for k, v in parts.items()}, at

    def measure(self, model, sde=None, t: float | None = None) -> Identities:
        """The identities of ``model``'s field on this batch (its device; the model is not changed).
        ``sde``: the process of a time-conditional model (then ``t``, default t_eps, is the field's time)."""
        per, at = self.per_sample(model, sde, t)
        root_n = math.sqrt(self.n)
        values = {k: float(v.mean()) for k, v in per.items()}
        std = {k: float(v.std()) for k, v in per.items()}
        errors = {k: s / root_n for k, s in std.items()}
        consts = {"half_mean_sq_true_score": (self.half_mean_sq_true_score.value,
                                              self.half_mean_sq_true_score.standard_error),
                  "dsm_constant": (self.dsm_constant, self.perturbed_half_mean_sq_score.standard_error)}
        for name, (value, se) in consts.items():
            errors[name] = se
        differences = {}
        for name, ident in IDENTITIES.items():
            value, se = consts[ident.constant]
            d = per[ident.left] - per[ident.right]  # paired on the shared batch
            differences[name] = float(d.mean()) - ident.sign * value
            errors[name] = math.sqrt(float(d.std()) ** 2 / self.n + se**2)
        return Identities(values=values, differences=differences, standard_errors=errors, std=std,
                          half_mean_sq_true_score=self.half_mean_sq_true_score,
                          perturbed_half_mean_sq_score=self.perturbed_half_mean_sq_score,
                          sigma=self.sigma, n=self.n, seed=self.seed, projections=self.projections,
                          projection=self.projection, t=at)


def divergence_map(model, box, grid: int = 48, sigma: float = DEFAULT_SIGMA, sde=None,
                   t: float | None = None) -> tuple:
    """(xs (G,), ys (G,), tr ∇ₓs (G, G) float64) of the model's field (``score_field``) on a G × G grid over
    ``box`` = (xmin, xmax, ymin, ymax): the term integration by parts creates in ism (row i at y = ys[i])."""
    grid = _check_count(grid, "grid", 1024)
    x0, x1, y0, y1 = (float(b) for b in box)
    xs, ys = torch.linspace(x0, x1, grid, dtype=torch.float64), torch.linspace(y0, y1, grid, dtype=torch.float64)
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")
    pts = torch.stack([gx.reshape(-1), gy.reshape(-1)], 1).to(device=_model_device(model), dtype=torch.float32)
    fn, _ = score_field(model, sigma, sde, t)
    out = []
    with torch.inference_mode(False), torch.enable_grad():
        for a in range(0, pts.shape[0], CHUNK):
            x = pts[a:a + CHUNK].detach().clone().requires_grad_(True)
            jac = _jacobian(fn(x), x)
            out.append(jac.diagonal(dim1=1, dim2=2).sum(-1).detach())
    tr = torch.cat(out).to(device="cpu", dtype=torch.float64).reshape(grid, grid)
    return xs.numpy(), ys.numpy(), tr.numpy()


def identities(model, density, n: int = DEFAULT_N, sigma: float = DEFAULT_SIGMA, seed: int = 0,
               projections: int = 1, projection: str = "gaussian", device=None, sde=None,
               t: float | None = None, constant_samples: int = DEFAULT_CONSTANT_SAMPLES) -> dict:
    """The identities of ``model``'s score field against ``density`` on one shared batch of ``n`` samples,
    as a JSON-ready dict (``Identities.to_dict``; keys in the module's docstring).

    ``sigma``: dsm's noise level (and a noise-conditional model's); ``projections``/``projection``: ssm's;
    ``sde``/``t``: a time-conditional model's process and time (default t_eps); ``device``: where to compute
    (None: the model's device; another device works on a copy of the model)."""
    if device is not None:
        device = torch.device(device)
        if device != _model_device(model):
            model = copy.deepcopy(model).to(device)
    probe = IdentityProbe(density, n=n, sigma=sigma, seed=seed, projections=projections, projection=projection,
                          constant_samples=constant_samples)
    return probe.measure(model, sde=sde, t=t).to_dict()


def _bench() -> None:  # pragma: no cover - a measurement, run by hand: python -m scoreviz.core.identities
    import time

    from scoreviz.core.densities import make_preset
    from scoreviz.core.models import ModelConfig, ScoreModel

    torch.set_num_threads(1)
    density = make_preset("8gaussians")
    t0 = time.perf_counter()
    probe = IdentityProbe(density, n=DEFAULT_N)
    print(f"probe (8gaussians, N {DEFAULT_N}, Monte Carlo constants): {1e3 * (time.perf_counter() - t0):.1f} ms")
    for par in ("vector", "energy"):
        model = ScoreModel(ModelConfig(parametrization=par))
        probe.measure(model)  # warm up
        times = []
        for _ in range(20):
            t0 = time.perf_counter()
            probe.measure(model)
            times.append(time.perf_counter() - t0)
        times.sort()
        print(f"measure, {par} 128x3, N {DEFAULT_N}: median {1e3 * times[len(times) // 2]:.1f} ms, "
              f"best {1e3 * times[0]:.1f} ms (1 thread)")


if __name__ == "__main__":  # pragma: no cover
    _bench()
