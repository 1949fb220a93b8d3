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
