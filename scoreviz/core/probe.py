"""The point probe: everything the app can say about the fields at one point, and the curl on a grid.

``probe_point(session, x, y)`` reads, at (x, y), the true score ∇log q (``Session.true_score``), the
learned score s_θ (``Session.learned_score``: at sigma_min for a noise-conditional model, at ``field_t``
for a time-conditional one), their difference and the angle between them, log q, and the divergence
and curl of the learned field from its exact 2×2 Jacobian J[i, j] = ∂s_i/∂x_j (autograd through the
model, the same closure as ``learned_score`` with the graph kept):

    div s_θ = ∂s_x/∂x + ∂s_y/∂y        curl s_θ = ∂s_y/∂x − ∂s_x/∂y

An energy-parametrised model, s_θ = −∇E_θ, has J = −Hess E symmetric: its curl is 0 up to rounding;
a vector-parametrised one need not be conservative.

Tweedie's formula gives where the model thinks the clean point lies (the posterior mean E[x_0 | x]):

- a model of p_σ = p ∗ N(0, σ²I) (noise-conditional at σ = sigma_min, or dsm at its σ):
  x̂_0 = x + σ²·s_θ(x, σ)
- a time-conditional model under a process x_t = α(t)·x_0 + std(t)·z:
  x̂_0 = (x + std(t)²·s_θ(x, t)) / α(t)

and ``tweedie_true`` is the same with the exact score (the true posterior mean). Models of the clean
density (esm, ism, ssm) have no Tweedie estimate (None).

Costs: one forward and two backward passes of the network per point (energy models: a double
backward); ``curl_on_grid`` does the same for n² points in chunks.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import torch
from torch import Tensor

from scoreviz.core.fields import grid
from scoreviz.core.mixture import Box
from scoreviz.core.time_score import sde_score

GRID_CHUNK = 4096  # points per autograd pass in curl_on_grid


def learned_score_fn(session) -> Callable[[Tensor], Tensor]:
    """x (N, 2) -> s_θ(x) (N, 2) with the graph kept: the closure ``Session.learned_score`` evaluates
    (same conditioning: ``field_t`` for a time-conditional model, ``target_sigma`` for a noise-conditional one)."""
    model = session.model
    mc = session.cfg.model
    if mc.time_conditional:
        process, t = session.sde, session.field_t
        return lambda x: sde_score(model, process, x, t)
    if mc.noise_conditional:
        sigma = session.target_sigma
        return lambda x: model(x, sigma)
    return lambda x: model(x)


def score_and_jacobian(fn: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor, Tensor]:
    """(s (N, 2), J (N, 2, 2)) with J[n, i, j] = ∂s_i/∂x_j at x[n], by autograd (points are independent,
    so the gradient of a summed component is the per-point row)."""
    with torch.inference_mode(False), torch.enable_grad():
        xg = x.detach().clone().requires_grad_(True)
        s = fn(xg)  # (N, 2)
        rows = [torch.autograd.grad(s[:, i].sum(), xg, retain_graph=i == 0)[0] for i in range(2)]
    return s.detach(), torch.stack(rows, 1).detach()


def divergence_curl(jac: Tensor) -> tuple[Tensor, Tensor]:
    """(div (N,), curl (N,)) of a field from its Jacobians (N, 2, 2)."""
    return jac[:, 0, 0] + jac[:, 1, 1], jac[:, 1, 0] - jac[:, 0, 1]


def tweedie_scale(session) -> tuple[float, float, str] | None:
    """(variance v, mean coefficient a, label) with x̂_0 = (x + v·s(x)) / a, or None when the model
    learns the clean density. dsm/ncsn: (σ², 1, "σ = …"); sde: (std(t)², α(t), "t = …")."""
    process = session.sde
    if process is not None:
        t = session.field_t
        return float(process.std(t)) ** 2, float(process.alpha(t)), f"t = {t:.3g}"
    sigma = session.target_sigma
    if sigma > 0:
        return sigma * sigma, 1.0, f"σ = {sigma:.3g}"
    return None


def _angle_deg(a: np.ndarray, b: np.ndarray) -> float:
    """The angle between two vectors in degrees, in [0, 180]; nan when either is zero."""
    na, nb = float(np.hypot(*a)), float(np.hypot(*b))
    if na == 0 or nb == 0 or not math.isfinite(na * nb):
        return float("nan")
    c = float(np.dot(a, b)) / (na * nb)
    return math.degrees(math.acos(max(-1.0, min(1.0, c))))


def probe_point(session, x: float, y: float) -> dict:
    """What the fields say at (x, y): a dict of plain floats and tuples (see the module docstring).

    Keys: ``point``, ``true_score``, ``learned_score``, ``difference`` (learned − true), ``difference_norm``,
    ``angle_deg``, ``log_q``, ``jacobian`` ((∂s_x/∂x, ∂s_x/∂y), (∂s_y/∂x, ∂s_y/∂y)), ``divergence``, ``curl``,
    ``tweedie`` and ``tweedie_true`` ((x̂, ŷ) or None) and ``condition`` ("σ = …", "t = …" or "")."""
    dev = session.device
    dtype = next(session.model.parameters()).dtype
    pt = torch.tensor([[float(x), float(y)]], dtype=dtype, device=dev)
    session.model.eval()
    learned, jac = score_and_jacobian(learned_score_fn(session), pt)
    with torch.no_grad():
        true = session.true_score(pt).detach()
        log_q = float(session.target.log_prob(pt).reshape(-1)[0])
    div, curl = divergence_curl(jac)
    ls = learned[0].double().cpu().numpy()
    ts = true[0].double().cpu().numpy()
    diff = ls - ts
    out = {
        "point": (float(x), float(y)),
        "true_score": (float(ts[0]), float(ts[1])),
        "learned_score": (float(ls[0]), float(ls[1])),
        "difference": (float(diff[0]), float(diff[1])),
        "difference_norm": float(np.hypot(*diff)),
        "angle_deg": _angle_deg(ls, ts),
        "log_q": log_q,
        "jacobian": tuple(tuple(float(v) for v in row) for row in jac[0].double().cpu().tolist()),
        "divergence": float(div[0]),
        "curl": float(curl[0]),
        "tweedie": None,
        "tweedie_true": None,
        "condition": "",
    }
    tw = tweedie_scale(session)
    if tw is not None:
        v, a, label = tw
        p = np.array([float(x), float(y)])
        out["tweedie"] = tuple(float(c) for c in (p + v * ls) / a)
        out["tweedie_true"] = tuple(float(c) for c in (p + v * ts) / a)
        out["condition"] = label
    return out


def curl_on_grid(session, box: Box, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xs (n,), ys (n,), curl (n, n) float32) of the learned field on an n × n grid over ``box``
    (``fields.grid``'s layout: curl[i, j] at (xs[j], ys[i]))."""
    xs, ys, pts = grid(box, n, session.device)
    dtype = next(session.model.parameters()).dtype
    pts = pts.to(dtype)
    fn = learned_score_fn(session)
    session.model.eval()
    parts = []
    for i in range(0, pts.shape[0], GRID_CHUNK):
        _, jac = score_and_jacobian(fn, pts[i : i + GRID_CHUNK])
        parts.append(divergence_curl(jac)[1])
    curl = torch.cat(parts).float().cpu().numpy().reshape(n, n)
    return xs, ys, curl
