"""The work budget (issue 12): every setting is bounded by its own limit, and the work their product
implies is bounded too. Each product (the network's size, a training step, the field, a sampler frame,
a Fisher estimate; in multiply-adds and in bytes) is refused just over its budget with one line naming
the product, its value, the budget and the settings to lower; just under, it passes. Defaults, the
example sessions and the configurations of every window and command pass comfortably."""

from __future__ import annotations

import inspect
import math
import re
import time
from dataclasses import replace
from pathlib import Path

import pytest

from helpers import COMPARE_BASE, max_everything_config, plant_config, small_config
from scoreviz.core import limits
from scoreviz.core.compare import Comparison, parse_objectives
from scoreviz.core.errors import ScorevizError
from scoreviz.core.models import ModelConfig, ScoreModel, parameter_shapes
from scoreviz.core.objectives import OBJECTIVES, ObjectiveConfig
from scoreviz.core.session import SamplerConfig, Session, SessionConfig
from scoreviz.core.session_file import load_session, save_session

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").glob("*.scoreviz"))
# one line: the product, its value, per what, the settings that make it; the budget; what to lower
REFUSAL = re.compile(r"^this configuration needs (?P<value>[0-9.e]+ (parameters|multiply-adds)|[0-9.]+ [MG]B of memory) "
                     r"(?P<what>[a-zA-Z (),]+?) \((?P<made>[a-z_]+=[^;]+)\); the most allowed is (?P<most>[^:]+): "
                     r"lower (?P<lower>[a-z_, ]+)$")


def _params(model: ModelConfig) -> int:
    return sum(math.prod(s) for s in parameter_shapes(model).values())


def _shares(cfg) -> dict[str, float]:
    """Each product's share of its budget (the larger where two share one)."""
    out: dict[str, float] = {}
    for w in limits.estimate_work(cfg):
        out[w.budget] = max(out.get(w.budget, 0.0), w.amount / limits.WORK_BUDGETS[w.budget].max)
    return out


def _refused(make, budget: str) -> re.Match:
    """``make()`` is refused by ``budget``: return the parsed one-line message."""
    with pytest.raises(ScorevizError) as info:
        make()
    text = str(info.value)
    assert "\n" not in text
    m = REFUSAL.match(text)
    assert m, text
    b = limits.WORK_BUDGETS[budget]
    assert m["what"] == b.what, text
    return m


def _edge(make, lo: int, hi: int) -> int:
    """The largest v in lo..hi for which ``make(v)`` builds (lo builds, hi is refused)."""
    def over(v):
        try:
            make(v)
        except ScorevizError:
            return True
        return False

    assert not over(lo) and over(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if over(mid) else (mid, hi)
    return lo


class Cfg:
    """A SessionConfig-like object that skips the checks (to ask estimate_work about any product)."""

    def __init__(self, model=None, objective=None, batch=512, grid=64, sampler=None):
        self.model = model or ModelConfig()
        self.objective = objective or ObjectiveConfig()
        self.batch, self.grid = batch, grid
        self.sampler = sampler or SamplerConfig()


# ============================================================================ the estimates
def test_the_estimates_follow_the_documented_formulas():
    m = ModelConfig()  # 2 -> 128 -> 128 -> 128 -> 2
    p = 2 * 128 + 128 + 2 * (128 * 128 + 128) + 128 * 2 + 2
    assert _params(m) == p == 33_666
    forward = p + 200 * 128 * 3 + 1000  # the matrix products, each hidden unit's and the point's own work
    got = {w.budget: w.amount for w in limits.estimate_work(SessionConfig(batch=1000, grid=100))}
    assert got["parameters"] == p
    assert got["step_multiply_adds"] == 1000 * forward * 3  # dsm: forward + backward
    assert got["step_memory"] == 16 * p + 1000 * (4 * 128 * 3 * 5 + 64)
    assert got["field_multiply_adds"] == 100 * 100 * forward
    assert got["frame_multiply_adds"] == 10_000 * (forward + 8000) and got["frame_memory"] == 10_000 * (16 * 128 + 64)
    assert got["fisher_multiply_adds"] == 10_000 * forward
    # the largest chunk scored together: the field's 10 000 points (under FIELD_CHUNK), over the Fisher chunk
    assert got["evaluation_memory"] == 10_000 * (16 * 128 + 64)
    # a sliced objective trains a row per projection; ism and energy networks cost more per row
    ssm = limits.estimate_work(Cfg(objective=ObjectiveConfig(name="ssm", projections=4), batch=1000))
    assert [w.amount for w in ssm if w.budget == "step_multiply_adds"] == [4000 * forward * 8]
    energy = ModelConfig(parametrization="energy")
    pe = _params(energy)
    fe = pe + 200 * 128 * 3 + 1000
    ism = {w.budget: w.amount for w in limits.estimate_work(Cfg(model=energy, objective=ObjectiveConfig(name="ism")))}
    assert ism["step_multiply_adds"] == 512 * fe * 16 * 4
    assert ism["step_memory"] == 16 * pe + 512 * (4 * 128 * 3 * 22 * 3 + 64)
    assert ism["frame_multiply_adds"] == 10_000 * (3 * fe + 8000)
    assert ism["frame_memory"] == 10_000 * (4 * 2 * 128 * 4 + 64)


def test_every_objective_declares_its_training_cost():
    assert set(OBJECTIVES) <= set(limits.TRAINING_COST)
    assert set(limits.SLICED) <= set(OBJECTIVES)


def test_the_chunks_and_the_fisher_samples_are_the_ones_the_code_uses():
    from scoreviz.core import fields, metrics
    from scoreviz.live.commands import FISHER_SAMPLES

    assert inspect.signature(fields.evaluate).parameters["chunk"].default == limits.FIELD_CHUNK
    assert inspect.signature(metrics.fisher_divergence).parameters["chunk"].default == limits.FISHER_CHUNK
    assert FISHER_SAMPLES == limits.FISHER_SAMPLES == limits.LIMITS["fisher_samples"].min


def test_the_parameters_counted_are_the_models():
    for m in (ModelConfig(), ModelConfig(hidden=7, layers=5, parametrization="energy"),
              ModelConfig(hidden=16, layers=2, noise_conditional=True),
              ModelConfig(hidden=16, layers=2, time_conditional=True)):
        assert m.parameter_count() == _params(m) == sum(t.numel() for t in ScoreModel(m).parameters())


# ============================================================================ what passes
def test_defaults_examples_and_test_configurations_pass_comfortably():
    configs = {"default": SessionConfig(), "small_config": small_config(), "compare base": COMPARE_BASE}
    for path in EXAMPLES:
        configs[path.name] = load_session(path)[0].cfg
    for o in OBJECTIVES:  # every objective with the default network, both parametrisations
        for p in ("vector", "energy"):
            obj = ObjectiveConfig(name=o)
            cfg = SessionConfig(objective=obj, model=ModelConfig(parametrization=p, activation="softplus"))
            configs[f"{o} {p}"] = cfg
    assert len(EXAMPLES) >= 5
    for name, cfg in configs.items():
        limits.check_work(cfg)
        worst = max(_shares(cfg).items(), key=lambda kv: kv[1])
        assert worst[1] < 0.1, (name, worst)


def test_each_setting_at_its_maximum_passes_with_a_small_network():
    """One setting at its maximum, the others small, is within budget: only products are refused."""
    top = {n: int(lim.max) for n, lim in limits.LIMITS.items() if lim.integer}
    small = ModelConfig(hidden=32, layers=2)
    limits.check_work(SessionConfig(model=small, batch=top["batch"]))
    limits.check_work(SessionConfig(model=small, grid=top["grid"]))
    limits.check_work(SessionConfig(model=small, objective=ObjectiveConfig(name="ssm", projections=top["projections"])))
    limits.check_work(SessionConfig(model=small, sampler=SamplerConfig(n_particles=top["n_particles"])))
    limits.check_work(SessionConfig(model=small, sampler=SamplerConfig(n_particles=1000,
                                                                       steps_per_frame=top["steps_per_frame"])))
    limits.check_work(SessionConfig(model=ModelConfig(hidden=top["hidden"], layers=1)))
    limits.check_work(SessionConfig(model=ModelConfig(hidden=32, layers=top["layers"])))
    limits.check_work(SessionConfig(batch=top["batch"]))  # the default network too


# ============================================================================ each product at its budget
EDGES = {
    # budget: (make(v) -> SessionConfig (ModelConfig for the network's size), lo, hi, the setting v is,
    # the settings to lower)
    "parameters": (lambda v: ModelConfig(hidden=v, layers=3), 128, 4096, "hidden", "hidden or layers"),
    "step_multiply_adds": (lambda v: SessionConfig(model=ModelConfig(hidden=1024, layers=4), batch=v), 512, 65536,
                           "batch", "batch or hidden"),
    "step_memory": (lambda v: SessionConfig(objective=ObjectiveConfig(name="ssm", projections=64), batch=v), 16, 65536,
                    "batch", "batch, projections or hidden"),
    "field_multiply_adds": (lambda v: SessionConfig(model=ModelConfig(hidden=256, layers=4), grid=v), 64, 512, "grid",
                            "grid or hidden"),
    "evaluation_memory": (lambda v: SessionConfig(model=ModelConfig(hidden=v, layers=1), grid=128), 128, 4096,
                          "hidden", "hidden or layers"),
    "frame_multiply_adds": (lambda v: SessionConfig(sampler=SamplerConfig(n_particles=v, steps_per_frame=1000)),
                            10, 100_000, "n_particles", "n_particles, steps_per_frame or hidden"),
    "frame_memory": (lambda v: SessionConfig(sampler=SamplerConfig(n_particles=v)), 10_000, 1_000_000, "n_particles",
                     "n_particles or hidden"),
    "fisher_multiply_adds": (lambda v: SessionConfig(model=ModelConfig(hidden=v, layers=3),
                                                     sampler=SamplerConfig(n_particles=100)), 128, 4096, "hidden",
                             "hidden or layers"),
}


def test_every_budget_has_an_edge_case():
    assert set(EDGES) == set(limits.WORK_BUDGETS)


@pytest.mark.parametrize("budget", sorted(EDGES))
def test_each_product_is_refused_just_over_its_budget_and_passes_just_under(budget):
    make, lo, hi, setting, lower = EDGES[budget]
    v = _edge(make, lo, hi)
    cfg = make(v)  # just under: builds, and every product is within its budget
    if isinstance(cfg, ModelConfig):
        limits.check_model_work(cfg)
        assert _params(cfg) / limits.WORK_BUDGETS[budget].max > 0.99
    else:
        limits.check_work(cfg)
        assert _shares(cfg)[budget] > 0.95
    m = _refused(lambda: make(v + 1), budget)  # just over: one line that names it
    b = limits.WORK_BUDGETS[budget]
    assert f"{setting}={v + 1}" in m["made"]
    assert m["lower"] == lower
    assert m["most"] == limits._amount(b.max, b.unit)
    assert m["value"] != m["most"]  # just over still reads as more than the budget


def test_the_message_reads_as_the_issue_asks():
    cfg = Cfg(model=ModelConfig(hidden=1024, layers=4), batch=65536)
    over = [w for w in limits.estimate_work(cfg) if not w.allowed]
    assert over[0].refusal() == (
        "this configuration needs 7.81e11 multiply-adds per training step (objective=dsm, batch=65536, hidden=1024, "
        "layers=4); the most allowed is 5e10 multiply-adds: lower batch or hidden")
    assert over[1].refusal().startswith("this configuration needs 5.42 GB of memory per training step (")
    ssm = Cfg(objective=ObjectiveConfig(name="ssm-vr", projections=64), model=ModelConfig(parametrization="energy"),
              batch=65536)
    text = [w for w in limits.estimate_work(ssm) if not w.allowed][0].refusal()
    assert text.startswith("this configuration needs ") and "(objective=ssm-vr, batch=65536, projections=64, " \
        "hidden=128, layers=3, parametrization=energy)" in text and text.endswith("lower batch, projections or hidden")


# ============================================================================ where a configuration comes into force
def test_the_max_everything_config_is_refused_at_once():
    """The issue's file: every setting at its maximum; refused before anything is built."""
    t0 = time.perf_counter()
    with pytest.raises(ScorevizError) as info:
        SessionConfig.from_dict(max_everything_config())
    assert time.perf_counter() - t0 < 1.0
    assert str(info.value) == ("this configuration needs 1.17e8 parameters in the network (hidden=4096, layers=8); "
                               "the most allowed is 5e6 parameters: lower hidden or layers")
    # with the network the products of the other settings are refused, each naming its setting
    d = max_everything_config()
    d["model"] = ModelConfig(hidden=32, layers=2).to_dict()
    with pytest.raises(ScorevizError, match=r"per training step \(objective=ssm, batch=65536, projections=64, .*"
                                            r"lower batch, projections or hidden$"):
        SessionConfig.from_dict(d)


def _small_session() -> Session:
    return Session(SessionConfig(model=ModelConfig(hidden=8, layers=1), batch=16, device="cpu",
                                 sampler=SamplerConfig(n_particles=10)))


def test_a_planted_session_file_is_refused_with_one_line(tmp_path):
    src = tmp_path / "small.scoreviz"
    save_session(src, _small_session())
    hostile = tmp_path / "hostile.scoreviz"
    plant_config(src, hostile, max_everything_config())
    assert hostile.stat().st_size < 20_000  # a small file that asks for 12 GB
    with pytest.raises(ScorevizError) as info:
        load_session(hostile)
    text = str(info.value)
    assert "\n" not in text and text.startswith("'hostile.scoreviz': this configuration needs 1.17e8 parameters")
    assert text.endswith("lower hidden or layers")
    # the network as saved, every other setting at its maximum: the particles' product is refused
    d = max_everything_config()
    d["model"] = ModelConfig(hidden=8, layers=1).to_dict()
    d["objective"] = ObjectiveConfig().to_dict()
    d["batch"] = 16
    plant_config(src, hostile, d)
    with pytest.raises(ScorevizError, match=r"^'hostile\.scoreviz': this configuration needs .* per sampler frame "
                                            r"\(n_particles=1000000, steps_per_frame=1000, hidden=8, layers=1\);"):
        load_session(hostile)
    # --device with --resume cannot slip past it either
    with pytest.raises(ScorevizError, match="per sampler frame"):
        load_session(hostile, device="cpu")


def test_a_session_refuses_a_change_over_budget_and_keeps_its_settings():
    """The app changes settings piecewise (the trainer's commands call these): a change over budget is
    refused and the settings, the model, the optimiser and the particles in force stay."""
    s = Session(small_config(device="cpu", model=ModelConfig(hidden=256, layers=4)))
    before, particles, model, optimizer = s.cfg, s.particles, s.model, s.optimizer
    s.step()
    with pytest.raises(ScorevizError, match=r"^this configuration needs 7.95e10 multiply-adds per training step "
                                            r"\(objective=dsm, batch=65536, hidden=256, layers=4\); .*: lower batch or hidden$"):
        s.set_optimizer(lr=1e-2, batch=65536)
    with pytest.raises(ScorevizError, match=r"per training step \(objective=ssm, batch=256, projections=64, "
                                            r"hidden=256, layers=4\); .*: lower batch, projections or hidden$"):
        s.set_objective(ObjectiveConfig(name="ssm", projections=64))
    with pytest.raises(ScorevizError, match=r"per Fisher estimate \(hidden=1024, layers=4, parametrization=energy\)"):
        s.set_model(ModelConfig(hidden=1024, layers=4, parametrization="energy"))
    with pytest.raises(ScorevizError, match=r"per sampler frame \(n_particles=1000000, hidden=256, layers=4\)"):
        s.set_sampler(replace(s.cfg.sampler, n_particles=1_000_000))
    assert s.cfg == before and s.particles is particles and s.model is model and s.optimizer is optimizer
    assert s.optimizer.param_groups[0]["lr"] == before.lr and s.step_count == 1


def test_a_fisher_estimate_over_budget_is_refused():
    s = _small_session()
    limits.check_fisher_work(s.cfg.model, 1_000_000)  # a tiny network: a million samples is fine
    big = Session(SessionConfig(model=ModelConfig(hidden=512, layers=3), batch=16, device="cpu",
                                sampler=SamplerConfig(n_particles=10)))
    big.fisher(10_000)
    with pytest.raises(ScorevizError, match=r"per Fisher estimate \(fisher_samples=1000000, hidden=512, layers=3\); "
                                            r".*lower fisher_samples, hidden or layers$"):
        big.fisher(1_000_000)
    assert len(big.fisher_history) == 1


def test_a_comparison_over_budget_is_refused():
    base = replace(COMPARE_BASE, batch=65536)
    with pytest.raises(ScorevizError, match=r"per training step \(objective=ssm, batch=65536, projections=64"):
        Comparison(base, parse_objectives("esm,ssm:projections=64"))
    Comparison(replace(COMPARE_BASE, batch=256), parse_objectives("esm,ssm:projections=64"))  # within budget
