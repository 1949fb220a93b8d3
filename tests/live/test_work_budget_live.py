"""The work budget in the app's training loop (issue 12), without Qt: a command whose change would take
the configuration over budget is refused as bad input (one line, training goes on as it was), and the
fault carries the settings still in force, which the window shows in its dock."""

from __future__ import annotations

from dataclasses import replace

from live_helpers import published, small_config, started
from scoreviz.core.models import ModelConfig
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.live.commands import Play, SetModel, SetObjective, SetOptimizer, SetSampler
from scoreviz.live.faults import INPUT


def test_commands_over_budget_are_refused_and_the_settings_in_force_stay():
    t, rec = started(small_config(model=ModelConfig(hidden=256, layers=4), batch=256))
    t.handle(Play())
    t.tick()
    before, model, step = t.session.cfg, t.session.model, t.session.step_count
    cases = [
        (SetOptimizer(1e-2, 65536), "per training step (objective=dsm, batch=65536, hidden=256, layers=4)"),
        (SetObjective(ObjectiveConfig(name="ssm", projections=64)), "per training step (objective=ssm, batch=256, "
                                                                    "projections=64, hidden=256, layers=4)"),
        (SetModel(ModelConfig(hidden=1024, layers=4, parametrization="energy")), "per Fisher estimate"),
        (SetSampler(replace(before.sampler, n_particles=1_000_000)), "per sampler frame (n_particles=1000000, "),
    ]
    for cmd, fragment in cases:
        t.handle(cmd)
        fault = rec.failures[-1]
        assert fault.kind == INPUT and "\n" not in fault and fault.startswith("this configuration needs ")
        assert fragment in fault, fault
        assert fault.cfg is before  # what the window puts back in its dock
        assert t.session.cfg is before and t.cfg == before and t.session.model is model
    assert len(rec.failures) == len(cases)
    assert t.running  # a refused setting leaves training as it was
    t.tick()
    assert t.session.step_count > step
    st = published(t)
    assert st.cfg == before
    t.handle(SetOptimizer(before.lr, 128))  # within budget: applied
    assert t.session.cfg.batch == 128 and len(rec.failures) == len(cases)
