"""Every spin box of the control dock takes its range from the core: configuration numbers from the
one table of limits (scoreviz.core.limits), density parameters from their presets' specs. A value
outside is clamped by the widget, and the core refuses it; the CLI meets the same limits."""

from __future__ import annotations

import math

import pytest
from PySide6 import QtCore, QtWidgets

from helpers import small_config
from scoreviz.core import limits
from scoreviz.core.errors import ScorevizError


@pytest.fixture
def panel(qtbot):
    from scoreviz.gui.controls import ControlPanel

    p = ControlPanel(small_config())
    qtbot.addWidget(p)
    return p


def _spin_boxes(panel):
    return [w for w in panel.findChildren(QtWidgets.QAbstractSpinBox)]


def _param_specs(panel):
    """Density parameter widgets -> their core specs (toy_params.Param), on every tab."""
    from scoreviz.core.densities import EXPRESSION_PARAMS, IMAGE_PARAMS

    d = panel.density
    specs = {id(w): d.presets[d.preset.currentText()].params[name] for name, w in d._param_widgets.items()}
    specs.update({id(w): IMAGE_PARAMS[name] for name, w in d.image_params.items()})
    specs.update({id(w): EXPRESSION_PARAMS[name] for name, w in d.expr_params.items()})
    return specs


def _outside(lo, hi, integer: bool, min_exclusive: bool = False):
    """A value above the range and one below it (for an excluded minimum: the minimum itself)."""
    if integer:
        return hi + 1, lo - 1
    return hi * 1.5 + 1.0, (lo if min_exclusive else lo - max(abs(lo), 1.0))


def test_every_spin_box_has_the_range_of_the_core_table(panel):
    specs = _param_specs(panel)
    checked = []
    for w in _spin_boxes(panel):
        name = w.property("limit")
        if name is None:  # a density parameter: its preset's spec is its range
            assert id(w) in specs, f"{type(w).__name__} {w.objectName()!r} has a range from neither the core's limits " \
                                   "nor a parameter spec"
            p = specs[id(w)]
            assert (w.minimum(), w.maximum()) == (pytest.approx(p.min), pytest.approx(p.max)), p.name
            continue
        lim = limits.LIMITS[name]
        lo, hi = limits.bounds(name)
        assert w.minimum() == pytest.approx(lo, rel=1e-9) and w.maximum() == pytest.approx(hi, rel=1e-9), name
        assert limits.check(name, w.minimum()) == pytest.approx(w.minimum())  # the whole range is allowed
        assert limits.check(name, w.maximum()) == pytest.approx(w.maximum())
        above, below = _outside(lim.min, lim.max, lim.integer, lim.min_exclusive)
        for value, clamped in ((above, w.maximum()), (below, w.minimum())):
            with pytest.raises(ScorevizError, match=rf"^{name}=.* is out of range; allowed"):
                limits.check(name, value)  # the core refuses it ...
            w.setValue(value)
            assert w.value() == pytest.approx(clamped, rel=1e-9), (name, value)  # ... the widget clamps it
        assert w.toolTip().endswith(f"(allowed {lim.range_text()})"), name
        checked.append(name)
    # every configuration number the dock edits, and nothing is left with a range of its own
    assert sorted(set(checked)) == sorted({"sigma", "sigma_max", "sigma_min", "levels", "projections", "hidden", "layers",
                                           "lr", "batch", "step_size", "n_particles", "steps_per_frame",
                                           "steps_per_level", "seed", "arrow_grid", "brush_radius", "brush_strength",
                                           # objective sde's process and the time samplers
                                           "beta_min", "beta_max", "snr", "corrector_steps", "steps"})


def test_density_parameter_widgets_clamp_what_their_spec_refuses(panel):
    specs = _param_specs(panel)
    for name in ("moons", "rings", "checkerboard"):
        panel.density.preset.setCurrentText(name)
        specs = _param_specs(panel)
        for pname, w in panel.density._param_widgets.items():
            p = specs[id(w)]
            if p.type == "bool":
                continue
            above, below = _outside(p.min, p.max, p.type == "int")
            for value, clamped in ((above, p.max), (below, p.min)):
                with pytest.raises(ScorevizError, match="out of range"):
                    p.check(value)
                w.setValue(value)
                assert w.value() == pytest.approx(clamped), (name, pname)


def test_the_seed_takes_any_seed_the_core_allows(panel, qtbot):
    seed = panel.system.seed
    got = []
    panel.system.seedChanged.connect(got.append)
    seed.lineEdit().selectAll()
    qtbot.keyClicks(seed.lineEdit(), str(2**63 - 1))
    qtbot.keyClick(seed.lineEdit(), QtCore.Qt.Key.Key_Return)
    assert seed.value() == 2**63 - 1 and got == [2**63 - 1]  # beyond a 32-bit spin box
    assert limits.check("seed", got[-1]) == 2**63 - 1
    seed.lineEdit().selectAll()
    qtbot.keyClicks(seed.lineEdit(), str(2**64))  # the last digit that would pass the limit is not taken
    assert int(seed.lineEdit().text()) <= 2**63 - 1
    seed.setValue(42)
    qtbot.keyClick(seed, QtCore.Qt.Key.Key_Up)
    assert seed.value() == 43 and got[-1] == 43
    seed.setValue(0)
    qtbot.keyClick(seed, QtCore.Qt.Key.Key_Down)
    assert seed.value() == 0


def test_an_excluded_minimum_is_just_inside_it():
    lo, hi = limits.bounds("lr")
    assert 0 < lo <= 1e-12 and hi == 1.0
    assert limits.check("lr", lo) == lo
    assert limits.bounds("batch") == (1, 65_536) and all(isinstance(v, int) for v in limits.bounds("batch"))
    assert limits.bounds("seed") == (0, 2**63 - 1)
    with pytest.raises(KeyError, match="no limit named"):
        limits.bounds("nope")


@pytest.mark.parametrize("option, name", [("--lr", "lr"), ("--batch", "batch"), ("--sigma", "sigma"),
                                          ("--hidden", "hidden"), ("--layers", "layers"), ("--grid", "grid"),
                                          ("--levels", "levels"), ("--seed", "seed")])
def test_the_cli_meets_the_same_limits(option, name):
    from scoreviz.cli import CliError, build_parser

    lim = limits.LIMITS[name]
    lo, hi = limits.bounds(name)
    parser = build_parser()
    for ok in (lo, hi):
        args = parser.parse_args(["train", "--out", "x", option, repr(ok)])
        assert math.isclose(getattr(args, name), ok)
    for bad in _outside(lim.min, lim.max, lim.integer, lim.min_exclusive):
        with pytest.raises(CliError, match=rf"argument {option}: {name}=.* is out of range; allowed"):
            parser.parse_args(["train", "--out", "x", option, repr(bad)])
