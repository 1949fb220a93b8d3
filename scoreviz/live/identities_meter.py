"""The live identities: the display model measured by every objective on one shared batch, over training.

``IdentitiesMeter.update(session, step, key)`` runs in the display thread while the Identities view is
shown. It keeps one ``core.identities.IdentityProbe`` per (density, σ) — N exact samples, their
projections, the true scores and the two constants, built once (~2-250 ms) — and at most every
``INTERVAL_S`` measures the display Session's model on it (``probe.measure``: 10-40 ms at N = 2000),
appending a row to the history: the step, esm, ism + c, ssm + c, ssm-vr + c (c = ½E‖∇log p‖²), esm on p_σ
and dsm − C (C = 1/σ² − ½E‖∇log p_σ‖²), and the standard error of each. By the identities the first four
lie on one curve and the last two on another, within their errors, whatever the network and whichever
objective trains it. It also maps tr ∇ₓs_θ (the term integration by parts creates) over the view's box
and draws a few projections v at a few of the batch's points, for the scene that explains slicing.

The σ is the objective's own dsm σ (0.1 for the others); a time-conditional model is read at t_eps.
torch and the core are imported on first use (the live package never loads torch at import).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

INTERVAL_S = 1.0  # a measurement at most once a second (10-40 ms of the display thread)
N = 2000  # shared samples: standard errors of a few per cent of the values
CONSTANT_SAMPLES = 50_000  # Monte Carlo constants, once per density and σ
HISTORY = 400  # rows kept (oldest dropped)
MAP_GRID = 48  # tr ∇ₓs_θ on a MAP_GRID² grid over the view's box
ARROWS = 12  # projections v drawn at this many batch points
DEFAULT_SIGMA = 0.1

# history columns (after the step): the curves, then their standard errors in the same order
CURVES = ("esm", "ism_shifted", "ssm_shifted", "ssm_vr_shifted", "esm_sigma", "dsm_shifted")


@dataclass(frozen=True)
class IdentitiesCard:
    """What the view draws: the history and the latest measurement."""

    steps: np.ndarray  # (k,) training steps of the rows
    values: np.ndarray  # (k, 6) the CURVES
    errors: np.ndarray  # (k, 6) their standard errors
    latest: Any  # core.identities.Identities of the last row
    sigma: float
    constant_method: str  # "exact" | "monte carlo" (of ½E‖∇log p‖²)
    dsm_constant_method: str
    divergence: tuple | None  # (xs (G,), ys (G,), tr ∇ₓs_θ (G, G)) over the view's box, None before the first
    projections: tuple | None  # (points (M, 2), v (M, 2)): a few of the batch's points and their first projection
    cost_ms: float


class IdentitiesMeter:
    """Measures the display model's identities at a bounded cost (module docstring)."""

    def __init__(self, interval_s: float = INTERVAL_S, n: int = N, seed: int = 0, clock=time.perf_counter):
        self.interval_s = interval_s
        self.n = n
        self.seed = seed
        self.clock = clock
        self._probe = None
        self._probe_key = None
        self._key = None
        self._rows: list[np.ndarray] = []
        self._weights = None
        self._t = -np.inf
        self._card = None
        self.measurements = 0  # how many times the model was measured (tests, benchmark)

    def restart(self) -> None:
        self._rows = []
        self._weights = None
        self._t = -np.inf
        self._card = None

    def update(self, ds, step: int, weights_version, key=None, box=None) -> IdentitiesCard | None:
        """Measure ``ds.model`` (a display Session) if the weights changed and ``interval_s`` passed;
        the history starts over when ``key`` (the model's identity: session and history epochs) changes."""
        import torch  # lazy, see the module docstring

        from scoreviz.core.identities import IdentityProbe, divergence_map

        t0 = time.perf_counter()
        sigma = float(ds.cfg.objective.sigma) if ds.cfg.objective.name == "dsm" else DEFAULT_SIGMA
        probe_key = (id(ds.density), sigma)
        if probe_key != self._probe_key:
            self._probe = IdentityProbe(ds.density, n=self.n, sigma=sigma, seed=self.seed,
                                        constant_samples=CONSTANT_SAMPLES)
            self._probe_key = probe_key
            self._density = ds.density  # held: the id() above stays unique while it lives
            self.restart()
        if key != self._key:
            self._key = key
            self.restart()
        now = self.clock()
        if self._card is not None and (weights_version == self._weights or now - self._t < self.interval_s):
            return self._card
        self._t, self._weights = now, weights_version
        with torch.enable_grad():
            m = self._probe.measure(ds.model, sde=ds.sde)
        self.measurements += 1
        c, cs = m.half_mean_sq_true_score.value, m.dsm_constant
        v, se = m.values, m.standard_errors
        values = [v["esm"], v["ism"] + c, v["ssm"] + c, v["ssm_vr"] + c, v["esm_sigma"], v["dsm"] - cs]
        # a shifted estimator's error: its own and the constant's (independent samples), in quadrature
        ce = se.get("half_mean_sq_true_score", 0.0)
        de = se.get("dsm_constant", 0.0)
        errors = [se["esm"], np.hypot(se["ism"], ce), np.hypot(se["ssm"], ce), np.hypot(se["ssm_vr"], ce),
                  se["esm_sigma"], np.hypot(se["dsm"], de)]
        self._rows.append(np.array([float(step), *values, *errors], dtype=np.float64))
        del self._rows[:-HISTORY]
        rows = np.stack(self._rows)
        div = divergence_map(ds.model, box if box is not None else ds.density.box, MAP_GRID, sigma, sde=ds.sde)
        pts = self._probe.x[:ARROWS].numpy().astype(np.float64)
        v0 = self._probe.v[0, :ARROWS].numpy().astype(np.float64)  # the first projection of those points
        self._card = IdentitiesCard(steps=rows[:, 0], values=rows[:, 1:7], errors=rows[:, 7:13], latest=m,
                                    sigma=sigma, constant_method=m.half_mean_sq_true_score.method,
                                    dsm_constant_method=m.perturbed_half_mean_sq_score.method,
                                    divergence=div, projections=(pts, v0),
                                    cost_ms=(time.perf_counter() - t0) * 1000)
        return self._card

    def safe_update(self, ds, step: int, weights_version, key=None, box=None) -> IdentitiesCard | None:
        """``update``, or None when the core refuses (the display never fails for the identities)."""
        from scoreviz.core.errors import ScorevizError

        try:
            return self.update(ds, step, weights_version, key, box)
        except (ScorevizError, RuntimeError):
            return None
