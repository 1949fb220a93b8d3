"""The one table of numeric limits, and the configurations that check through it."""

from __future__ import annotations

import numpy as np
import pytest

from scoreviz.core import limits
from scoreviz.core.errors import ScorevizError
from scoreviz.core.models import ModelConfig
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.session import SamplerConfig, SessionConfig

EXPECTED = {  # name: (min, max, integer, min excluded)
    "grid": (2, 512, True, False),
    "n_particles": (1, 1_000_000, True, False),
    "batch": (1, 65_536, True, False),
    "hidden": (1, 4096, True, False),
    "layers": (1, 16, True, False),
    "projections": (1, 64, True, False),
    "levels": (1, 1000, True, False),
    "lr": (0, 1, False, True),
    "sigma": (0, 1000, False, True),
    "sigma_max": (0, 1000, False, True),
    "sigma_min": (0, 1000, False, True),
    "steps": (1, 10_000_000, True, False),
    "threads": (1, 256, True, False),
    "seed": (0, 2**63 - 1, True, False),
    "step_size": (0, 10, False, True),
    "steps_per_frame": (1, 1000, True, False),
    "steps_per_level": (1, 100_000, True, False),
}


def test_table_has_every_parameter_with_its_range_and_help():
    for name, (lo, hi, integer, open_lo) in EXPECTED.items():
        lim = limits.LIMITS[name]
        assert (lim.min, lim.max, lim.integer, lim.min_exclusive) == (lo, hi, integer, open_lo), name
        assert lim.name == name and lim.help and "\n" not in lim.help
    for lim in limits.LIMITS.values():
        assert lim.min < lim.max and lim.help


@pytest.mark.parametrize("name", sorted(limits.LIMITS))
def test_bounds_are_enforced_exactly(name):
    lim = limits.LIMITS[name]
    lo, hi = lim.min, lim.max
    assert limits.check(name, hi) == hi
    if lim.integer:
        assert limits.check(name, lo) == lo and isinstance(limits.check(name, lo), int)
        assert limits.check(name, np.int64(lo)) == lo
        bad = [lo - 1, hi + 1]
    else:
        assert limits.check(name, hi / 2) == hi / 2 and isinstance(limits.check(name, 1 if hi >= 1 else hi), float)
        bad = [hi + max(abs(hi) * 1e-4, 1e-9), lo - max(abs(lo) * 1e-4, 1.0)] + ([lo] if lim.min_exclusive else [])
    for v in bad:
        with pytest.raises(ScorevizError) as info:
            limits.check(name, v)
        msg = str(info.value)
        assert msg.startswith(f"{name}=") and "is out of range; allowed" in msg and "\n" not in msg
        assert lim.range_text() in msg


def test_messages_name_value_and_range():
    with pytest.raises(ScorevizError, match=r"^batch=0 is out of range; allowed 1\.\.65536$"):
        limits.check("batch", 0)
    with pytest.raises(ScorevizError, match=r"^objective sigma=0\.0 is out of range; allowed 0 < sigma <= 1000$"):
        limits.check("sigma", 0.0, "objective")
    with pytest.raises(ScorevizError, match=r"^hidden=3\.5 must be a whole number; allowed 1\.\.4096$"):
        limits.check("hidden", 3.5)
    with pytest.raises(ScorevizError, match="must be a finite number"):
        limits.check("lr", float("nan"))
    with pytest.raises(ScorevizError, match="must be a finite number"):
        limits.check("sigma", float("inf"))
    for bad in (True, "5", None, [1], 2.0):
        with pytest.raises(ScorevizError, match="must be a whole number"):
            limits.check("batch", bad)
    for bad in (False, "0.1", None, 1j):
        with pytest.raises(ScorevizError, match="must be a number"):
            limits.check("lr", bad)
    # huge values from hostile files: a short message, no OverflowError / ValueError
    with pytest.raises(ScorevizError, match="seed=<a huge number> is out of range"):
        limits.check("seed", 10**5000)
    with pytest.raises(ScorevizError, match=r"lr=1000000000000000000000000000000000000\.\.\. is out of range"):
        limits.check("lr", 10**400)
    with pytest.raises(KeyError, match="no limit named 'nope'"):
        limits.check("nope", 1)


def test_describe():
    assert limits.describe("batch") == "batch: training batch size (samples per Adam step); a whole number in 1..65536"
    assert limits.describe("lr") == "lr: Adam learning rate; a number, 0 < lr <= 1"
    for name in limits.LIMITS:
        assert limits.describe(name).startswith(f"{name}: ")


@pytest.mark.parametrize("make, fragment", [
    (lambda: SessionConfig(grid=513), "grid=513 is out of range; allowed 2..512"),
    (lambda: SessionConfig(batch=65_537), "batch=65537 is out of range; allowed 1..65536"),
    (lambda: SessionConfig(batch=64.0), "batch=64.0 must be a whole number"),
    (lambda: SessionConfig(lr=1.5), "lr=1.5 is out of range; allowed 0 < lr <= 1"),
    (lambda: SessionConfig(lr=float("inf")), "lr=inf must be a finite number"),
    (lambda: SessionConfig(threads=0), "threads=0 is out of range; allowed 1..256"),
    (lambda: SessionConfig(seed=-1), "seed=-1 is out of range"),
    (lambda: SessionConfig(seed=2**63), "seed=9223372036854775808 is out of range"),
    (lambda: SamplerConfig(n_particles=1_000_001), "sampler n_particles=1000001 is out of range; allowed 1..1000000"),
    (lambda: SamplerConfig(step_size=0), "sampler step_size=0 is out of range; allowed 0 < step_size <= 10"),
    (lambda: SamplerConfig(steps_per_frame=1001), "steps_per_frame=1001"),
    (lambda: SamplerConfig(levels=0), "sampler levels=0"),
    (lambda: SamplerConfig(steps_per_level=100_001), "steps_per_level=100001"),
    (lambda: SamplerConfig(sigma_max=2000.0), "sampler sigma_max=2000.0 is out of range"),
    (lambda: SamplerConfig(sigma_max=0.1, sigma_min=0.5), "need sigma_max > sigma_min"),
    (lambda: ModelConfig(hidden=4097), "model hidden=4097 is out of range; allowed 1..4096"),
    (lambda: ModelConfig(layers=17), "model layers=17 is out of range; allowed 1..16"),
    (lambda: ObjectiveConfig(projections=65), "objective projections=65 is out of range; allowed 1..64"),
    (lambda: ObjectiveConfig(levels=1001), "objective levels=1001"),
    (lambda: ObjectiveConfig(sigma=1e4), "objective sigma=10000.0 is out of range"),
    (lambda: ObjectiveConfig(name=["dsm"]), "unknown objective"),
    (lambda: ModelConfig(activation={"a": 1}), "unknown activation"),
])
def test_configs_check_through_the_table(make, fragment):
    with pytest.raises(ScorevizError) as info:
        make()
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_configs_from_files_meet_the_same_limits():
    with pytest.raises(ScorevizError, match="batch=100000 is out of range"):
        SessionConfig.from_dict({"batch": 100_000})
    with pytest.raises(ScorevizError, match="hidden=10000"):
        SessionConfig.from_dict({"model": {"hidden": 10_000}})
    with pytest.raises(ScorevizError, match="n_particles=0"):
        SessionConfig.from_dict({"sampler": {"n_particles": 0}})
    cfg = SessionConfig.from_dict({"lr": 1, "model": {"hidden": np.int64(8)}})
    assert cfg.lr == 1.0 and isinstance(cfg.lr, float) and cfg.model.hidden == 8 and type(cfg.model.hidden) is int


def test_defaults_are_inside_the_limits():
    cfg = SessionConfig()
    for obj in (cfg, cfg.sampler, cfg.model, cfg.objective):
        for name, value in vars(obj).items():
            if name in limits.LIMITS and value is not None:
                assert limits.check(name, value) == value


def test_integers_beyond_the_float_range_are_refused_not_crashed(tmp_path):
    import json

    from scoreviz.core.densities import density_from_dict
    from scoreviz.core.errors import ScorevizError
    from scoreviz.core.limits import is_finite_number

    huge = int("9" * 400)
    assert not is_finite_number(huge) and is_finite_number(3) and not is_finite_number(True)
    spec = {"scoreviz_density": 1, "type": "mixture", "weights": [huge, 1.0], "means": [[0, 0], [1, 1]],
            "covariances": [[[1, 0], [0, 1]], [[1, 0], [0, 1]]]}
    with pytest.raises(ScorevizError, match="weights"):
        density_from_dict(json.loads(json.dumps(spec)))
