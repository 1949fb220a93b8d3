"""A frozen picture of a Session for drawing: fresh numpy copies the trainer never touches again.

The GUI's worker takes snapshots between training steps (at most at the display rate) and hands
them to the GUI thread. Expensive pieces are cached in ``SnapshotCache``: the true field and the
density heat map change only when the density, objective, grid or box change; the learned field
only when the weights change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from scoreviz.core.fields import evaluate, grid
from scoreviz.core.mixture import Box


@dataclass(frozen=True)
class Snapshot:
    step: int
    loss_history: np.ndarray  # (steps,)
    fisher_history: np.ndarray  # (k, 3): step, F, relative F
    xs: np.ndarray  # (W,)
    ys: np.ndarray  # (H,)
    learned: np.ndarray | None  # (H, W, 2) model score (at the target sigma)
    true: np.ndarray | None  # (H, W, 2) score of the target density
    error: np.ndarray | None  # (H, W) ||learned - true||
    log_density: np.ndarray  # (H, W) log p
    particles: np.ndarray  # (n, 2)
    sigma: float
    box: Box
    device: str
    objective: str
    density_name: str
    weights_version: int
    version: int


class SnapshotCache:
    """Remembers the last evaluated fields so unchanged ones are not recomputed."""

    def __init__(self):
        self._static_key = None
        self._static = None
        self._learned_key = None
        self._learned = None


def _static_fields(session, pts, n):
    true = evaluate(session.true_score, pts).float().cpu().numpy().reshape(n, n, 2)
    logp = evaluate(session.density.log_prob, pts).float().cpu().numpy().reshape(n, n)
    return np.ascontiguousarray(true), np.ascontiguousarray(logp)


def take_snapshot(session, grid_n: int | None = None, box: Box | None = None, learned: bool = True,
                  true: bool = True, error: bool = True, cache: SnapshotCache | None = None,
                  display_dtype: torch.dtype | None = None) -> Snapshot:
    """Snapshot of ``session`` on a grid_n x grid_n grid over ``box`` (default: the density's box).

    ``display_dtype`` (e.g. torch.bfloat16 on the CPU) evaluates the learned field in lower
    precision: for drawing only, never for metrics or files.
    """
    n = int(grid_n or session.cfg.grid)
    box = tuple(float(v) for v in (box or session.density.box))
    cache = cache or SnapshotCache()
    xs, ys, pts = grid(box, n, session.device)

    skey = (id(session.density), session.version, n, box)
    if cache._static_key != skey:
        cache._static = _static_fields(session, pts, n)
        cache._static_key = skey
    true_f, logp = cache._static

    learned_f = None
    if learned or error:
        lkey = (id(session.model), session.weights_version, session.version, n, box, display_dtype)
        if cache._learned_key != lkey:
            if display_dtype is not None:
                with torch.autocast(device_type=session.device.type, dtype=display_dtype):
                    lf = evaluate(session.learned_score, pts)
            else:
                lf = evaluate(session.learned_score, pts)
            cache._learned = np.ascontiguousarray(lf.float().cpu().numpy().reshape(n, n, 2))
            cache._learned_key = lkey
        learned_f = cache._learned

    err = None
    if error and learned_f is not None:
        err = np.linalg.norm(learned_f - true_f, axis=-1).astype(np.float32)

    fh = np.asarray(session.fisher_history, dtype=np.float64).reshape(-1, 3)
    return Snapshot(
        step=session.step_count,
        loss_history=np.asarray(session.loss_history, dtype=np.float64),
        fisher_history=fh,
        xs=xs, ys=ys,
        learned=learned_f if learned else None,
        true=true_f if true else None,
        error=err,
        log_density=logp,
        particles=session.particles.detach().float().cpu().numpy().copy(),
        sigma=session.target_sigma,
        box=box,
        device=str(session.device),
        objective=session.cfg.objective.name,
        density_name=getattr(session.density, "name", "density"),
        weights_version=session.weights_version,
        version=session.version,
    )
