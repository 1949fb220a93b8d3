"""Comparisons: fair lockstep training that equals training each configuration alone."""

import pytest
import torch

from scoreviz.core.compare import CURVE_COLUMNS, Comparison, curves_csv_text, label, parse_objectives
from scoreviz.core.errors import ScorevizError
from scoreviz.core.models import ModelConfig
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.session import SamplerConfig, Session, SessionConfig
from dataclasses import replace

BASE = SessionConfig(density="moons", model=ModelConfig(hidden=32, layers=2), batch=64, seed=9, device="cpu",
                     sampler=SamplerConfig(n_particles=10))


def test_each_configuration_equals_training_it_alone():
    objectives = parse_objectives("esm,ssm,dsm:sigma=0.3,ncsn")
    cmp = Comparison(BASE, objectives)
    for _ in range(12):
        cmp.step()
    for obj, s in zip(objectives, cmp.sessions):
        alone = Session(replace(BASE, objective=obj, model=replace(BASE.model, noise_conditional=obj.name == "ncsn")))
        alone.train(12)
        assert alone.loss_history == s.loss_history, obj.name
        for a, b in zip(alone.model.parameters(), s.model.parameters()):
            assert torch.equal(a, b)


def test_curves_are_monotone_and_fair():
    cmp = Comparison(BASE, parse_objectives("esm,ism"))
    for k in range(3):
        for _ in range(5):
            cmp.step()
        cmp.evaluate()
    assert [s.step_count for s in cmp.sessions] == [15, 15]
    for lab in cmp.labels:
        pts = [c for c in cmp.curves if c.objective == lab]
        assert [p.step for p in pts] == [5, 10, 15]
        assert all(b.seconds > a.seconds for a, b in zip(pts, pts[1:]))
    summary = cmp.summary()
    assert set(summary) == {"esm", "ism"} and summary["esm"]["steps"] == 15
    assert summary["esm"]["steps_per_second"] > 0
    text = curves_csv_text(cmp.curves).splitlines()
    assert text[0] == ",".join(CURVE_COLUMNS) and len(text) == 1 + 6


@pytest.mark.parametrize("spec, options, needle", [
    ("esm", [], "2 to 8"),
    ("esm,foo", [], "'foo'"),
    ("dsm,dsm", [], "twice"),
    ("esm,dsm:beta=1", [], "beta=1"),
    ("esm,dsm:sigma=abc", [], "abc"),
    ("esm,dsm", ["ism:sigma=1"], "ism"),
    ("esm,dsm:sigma=-1", [], "sigma"),
    ("esm,ism,ssm,ssm-vr,dsm,ncsn,dsm:sigma=0.5,dsm:sigma=1,dsm:sigma=2", [], "2 to 8"),
])
def test_bad_objective_lists_are_refused(spec, options, needle):
    with pytest.raises(ScorevizError, match=needle):
        parse_objectives(spec, options)


def test_options_and_labels():
    objs = parse_objectives("esm,dsm,ssm", ["dsm:sigma=0.5", "ssm:projections=4,projection=rademacher"])
    assert objs[1].sigma == 0.5 and objs[2].projections == 4 and objs[2].projection == "rademacher"
    assert [label(o) for o in objs] == ["esm", "dsm(sigma=0.5)", "ssm(projections=4, projection=rademacher)"]
    assert label(ObjectiveConfig(name="dsm")) == "dsm(sigma=0.1)"


def test_sample_scores_are_the_scorecard_of_each_configurations_own_samples():
    """compare --sample: each learned score sampled by the sampler its model calls for, scored exactly."""
    import numpy as np

    from scoreviz.core import samplers
    from scoreviz.core.scorecard import scorecard

    base = SessionConfig(density="ncsn-mixture", model=ModelConfig(hidden=32, layers=2), batch=64, device="cpu",
                         sampler=SamplerConfig(n_particles=50, steps_per_level=20, diffusion_steps=40))
    objectives = [ObjectiveConfig(name="dsm"), ObjectiveConfig(name="ncsn", levels=3, sigma_max=2.0)]
    cmp = Comparison(base, objectives)
    for _ in range(5):
        cmp.step()
    report = cmp.sample_scores(400, seed=3)
    dsm, ncsn = cmp.sessions
    assert report["dsm(sigma=0.1)"]["sampler"] == "langevin" and dsm.cfg.sampler.sampler == "langevin"
    assert dsm.particle_step == 1000 and dsm.particles.shape == (400, 2)
    sc = ncsn.cfg.sampler  # the levels the model was trained on, with the default step rule
    assert (sc.sampler, sc.sigma_max, sc.sigma_min, sc.levels) == ("annealed", 2.0, 0.01, 3)
    assert sc.step_size == pytest.approx(samplers.default_step_size("annealed", samplers.geometric_sigmas(2.0, 0.01, 3)))
    assert report[cmp.labels[1]]["sampler_steps"] == 3 * 20 == ncsn.particle_step
    for lab, s in zip(cmp.labels, cmp.sessions):
        card = scorecard(s.particles.detach().cpu().numpy(), s.density, seed=3)
        for key in ("kl", "tv", "sliced_wasserstein", "mmd", "mean_log_q", "mode_weights", "modes_found"):
            assert report[lab][key] == card[key], (lab, key)
        assert cmp.summary()[lab]["kl"] == card["kl"]
    assert np.isfinite([r["kl"] for r in report.values()]).all()
