"""Quality figures for a learned score.

Fisher divergence (MATH.md): F = E_{x~q} ‖s_θ(x) − ∇ₓ log q(x)‖², q = the density the objective
targets (``objectives.target_density``), on fresh exact samples of q; relative F = F / E_q‖∇ log q‖².
"""

from __future__ import annotations

from typing import Callable

import torch
from torch import Tensor

from scoreviz.core.errors import ScorevizError

MIN_SAMPLES = 10_000


def fisher_divergence(score_fn: Callable[[Tensor], Tensor], target, n: int = MIN_SAMPLES,
                      generator: torch.Generator | None = None, chunk: int = 8192) -> tuple[float, float]:
    """(F, relative F) on n >= 10 000 fresh samples of `target` (a density object).

    score_fn: x (M, 2) -> (M, 2), e.g. ``model.score`` or ``lambda x: model.score(x, sigma)``.
    Evaluated in chunks of `chunk` points; sums are accumulated in float64 (float32 on MPS).
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < MIN_SAMPLES:
        raise ScorevizError(f"Fisher divergence needs n >= {MIN_SAMPLES} samples, got {n!r}")
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise ScorevizError(f"chunk must be a whole number >= 1, got {chunk!r}")
    with torch.no_grad():
        x = target.sample(n, generator)  # (n, 2)
        acc = torch.float32 if x.device.type == "mps" else torch.float64  # MPS has no float64
        err = torch.zeros((), dtype=acc, device=x.device)
        ref = torch.zeros((), dtype=acc, device=x.device)
        for xc in x.split(chunk):
            true = target.score(xc).to(acc)  # (M, 2)
            learned = score_fn(xc).detach().to(acc)  # (M, 2)
            err += (learned - true).square().sum()
            ref += true.square().sum()
        f = (err / n).item()
        norm = (ref / n).item()
    return f, (f / norm if norm > 0 else float("inf"))
