"""The live identities (live/identities_meter.py): the display model measured by the core's own probe."""

from __future__ import annotations

import numpy as np
import pytest

from scoreviz.core.identities import IdentityProbe, divergence_map
from scoreviz.core.models import ModelConfig
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.session import Session, SessionConfig
from scoreviz.live.identities_meter import CONSTANT_SAMPLES, CURVES, MAP_GRID, IdentitiesMeter

pytestmark = pytest.mark.usefixtures("one_torch_thread")


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def _session(objective="dsm", **kw):
    return Session(SessionConfig(density="8gaussians", objective=ObjectiveConfig(name=objective, **kw),
                                 model=ModelConfig(hidden=32, layers=2), batch=64, device="cpu"))


def test_a_measurement_is_the_core_probes_on_the_same_batch_and_the_identities_hold():
    s = _session(sigma=0.3)
    s.train(30)
    clock = Clock()
    meter = IdentitiesMeter(n=1500, clock=clock)
    card = meter.update(s, s.step_count, weights_version=1, key="a")
    want = IdentityProbe(s.density, n=1500, sigma=0.3, seed=0, constant_samples=CONSTANT_SAMPLES).measure(s.model)
    c, cs = want.half_mean_sq_true_score.value, want.dsm_constant
    v = want.values
    np.testing.assert_allclose(card.values[-1], [v["esm"], v["ism"] + c, v["ssm"] + c, v["ssm_vr"] + c,
                                                 v["esm_sigma"], v["dsm"] - cs], rtol=1e-9)
    assert card.sigma == 0.3 and card.steps.tolist() == [30.0] and len(CURVES) == card.values.shape[1] == 6
    for name in want.differences:  # the identities hold within 4 standard errors for this half-trained network
        assert abs(card.latest.differences[name]) <= 4 * card.latest.standard_errors[name], name
    # the shifted curves sit on esm within their errors
    for i in (1, 2, 3):
        assert abs(card.values[-1, i] - card.values[-1, 0]) <= 4 * np.hypot(card.errors[-1, i], card.errors[-1, 0])
    xs, ys, tr = divergence_map(s.model, s.density.box, MAP_GRID, 0.3)
    np.testing.assert_allclose(card.divergence[2], tr, rtol=1e-6, atol=1e-6)
    pts, v0 = card.projections
    assert pts.shape == v0.shape and pts.shape[1] == 2


def test_it_measures_at_most_once_an_interval_and_only_for_new_weights_and_restarts_with_the_model():
    s = _session()
    clock = Clock()
    meter = IdentitiesMeter(n=500, interval_s=1.0, clock=clock)
    first = meter.update(s, 0, weights_version=1, key="model-1")
    assert meter.measurements == 1
    clock.t = 0.5
    assert meter.update(s, 5, weights_version=2, key="model-1") is first  # within the interval: the same reading
    clock.t = 2.0
    assert meter.update(s, 5, weights_version=2, key="model-1") is not first and meter.measurements == 2
    clock.t = 4.0
    same = meter.update(s, 5, weights_version=2, key="model-1")  # the weights did not change: nothing to measure
    assert meter.measurements == 2 and same.steps.tolist() == [0.0, 5.0]
    s.train(5)
    clock.t = 6.0
    fresh = meter.update(s, 10, weights_version=3, key="model-2")  # a new model: its history starts over
    assert fresh.steps.tolist() == [10.0] and meter.measurements == 3


def test_a_noise_or_time_conditional_model_is_read_where_the_core_reads_it():
    nc = _session("ncsn", sigma_max=1.0, sigma_min=0.1, levels=3)
    card = IdentitiesMeter(n=400).update(nc, 0, 1)
    assert card.sigma == 0.1 and np.isfinite(card.values).all()
    sde = _session("sde", sde="vp")
    card = IdentitiesMeter(n=400).update(sde, 0, 1)
    assert card.latest.t == pytest.approx(sde.sde.t_eps) and np.isfinite(card.values).all()
