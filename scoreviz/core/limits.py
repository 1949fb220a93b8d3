"""The one table of numeric limits: every number that enters from the CLI, a file or a widget.

The configuration dataclasses (SessionConfig, SamplerConfig, ModelConfig, ObjectiveConfig) check
their numbers through :func:`check`, so a session file, a command line and a spin box all meet the
same limits.  The limits also bound the work and memory one setting can ask for (a 512 x 512 field,
a million particles, a 4096-wide network), so a hostile or mistyped file cannot exhaust the machine.

    LIMITS[name] -> Limit(name, min, max, integer, help, min_exclusive)
    check(name, value, owner=None) -> the value as int (integer limits) or float
    describe(name) -> "batch: training batch size (samples per Adam step); a whole number in 1..65536"
    bounds(name) -> (lo, hi), the closed range a spin box offers (lo just above an excluded minimum)

Refusals are ScorevizError with one line naming the value and the allowed range, e.g.
``batch=0 is out of range; allowed 1..65536`` or ``objective sigma=0.0 is out of range; allowed
0 < sigma <= 1000``.  Integer limits take whole numbers only (int or a numpy integer; not bool, not
3.0); float limits take any real number except bool, and refuse NaN and infinities.

Relations between values (sigma_max > sigma_min) stay with the configurations that own them; the
parameters of density presets, images and expressions have their own specs (``toy_params.Param``).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from scoreviz.core.errors import ScorevizError


@dataclass(frozen=True)
class Limit:
    """Allowed values min..max (min excluded when ``min_exclusive``); ``integer``: whole numbers only."""

    name: str
    min: float
    max: float
    integer: bool
    help: str
    min_exclusive: bool = False

    def range_text(self) -> str:
        lo, hi = _fmt(self.min), _fmt(self.max)
        if self.min_exclusive:
            return f"{lo} < {self.name} <= {hi}"
        return f"{lo}..{hi}"

    def contains(self, value: float) -> bool:
        above = value > self.min if self.min_exclusive else value >= self.min
        return above and value <= self.max


def _fmt(v) -> str:
    if isinstance(v, int) or (float(v).is_integer() and abs(v) < 1e16):
        return str(int(v))
    return f"{v:g}"


def show(value) -> str:
    """repr of a value for a message, at most 40 characters (a hostile file may hold huge numbers)."""
    try:
        text = repr(value)
    except ValueError:  # an int with more digits than Python will print
        return "<a huge number>"
    return text if len(text) <= 40 else text[:37] + "..."


def _table(*limits: Limit) -> dict[str, Limit]:
    return {lim.name: lim for lim in limits}


LIMITS: dict[str, Limit] = _table(
    # training (SessionConfig)
    Limit("lr", 0.0, 1.0, False, "Adam learning rate", min_exclusive=True),
    Limit("batch", 1, 65_536, True, "training batch size (samples per Adam step)"),
    Limit("seed", 0, 2**63 - 1, True, "random seed"),
    Limit("threads", 1, 256, True, "torch CPU threads"),
    Limit("grid", 2, 512, True, "field grid points per axis"),
    Limit("steps", 1, 10_000_000, True, "training or sampling steps in one run"),
    Limit("fisher_samples", 10_000, 1_000_000, True, "samples per Fisher divergence estimate"),
    Limit("eval_every", 1, 10_000_000, True, "steps between Fisher divergence evaluations"),
    # network (ModelConfig)
    Limit("hidden", 1, 4096, True, "width of every hidden layer"),
    Limit("layers", 1, 16, True, "number of hidden layers"),
    # objectives (ObjectiveConfig) and annealed sampling (SamplerConfig)
    Limit("sigma", 0.0, 1000.0, False, "dsm noise level", min_exclusive=True),
    Limit("sigma_max", 0.0, 1000.0, False, "largest noise level (ncsn, annealed Langevin)", min_exclusive=True),
    Limit("sigma_min", 0.0, 1000.0, False, "smallest noise level (ncsn, annealed Langevin)", min_exclusive=True),
    Limit("levels", 1, 1000, True, "number of noise levels (ncsn, annealed Langevin)"),
    Limit("projections", 1, 64, True, "random projections per sample (ssm, ssm-vr)"),
    # particles (SamplerConfig)
    Limit("n_particles", 1, 1_000_000, True, "number of Langevin particles"),
    Limit("step_size", 0.0, 10.0, False, "Langevin step size eps", min_exclusive=True),
    Limit("steps_per_frame", 1, 1000, True, "sampler steps per displayed frame"),
    Limit("steps_per_level", 1, 100_000, True, "annealed Langevin steps per noise level"),
    # densities given as data (files, drawings)
    Limit("mixture_components", 1, 10_000, True, "components of a Gaussian mixture given as data"),
    Limit("grid_cells", 1, 1024, True, "cells per side of a grid density given as data"),
    Limit("coordinate", -1e6, 1e6, False, "a coordinate in a density file (box corners, means)"),
    Limit("blur", 0.0, 1e6, False, "Gaussian blur of a grid density given as data (std, box units)", min_exclusive=True),
    Limit("variance", -1e12, 1e12, False, "an entry of a mixture covariance given as data"),
    Limit("density_sigma", 0.0, 1000.0, False, "Gaussian perturbation stored with a density (0 = none)"),
    # the app's display: more arrows than this cannot be drawn at a frame rate (256: ~8 fps on 2 cores)
    Limit("arrow_grid", 2, 128, True, "arrows per axis on the app's field panels"),
    # the brush that paints a density in the app (a dab adds a Gaussian of std radius/2)
    Limit("brush_radius", 0.05, 3.0, False, "brush radius, in the density's units"),
    Limit("brush_strength", 0.05, 1.0, False, "weight a brush dab adds (or the fraction it erases at its centre)"),
    # pictures the CLI renders
    Limit("image_side", 16, 8192, True, "width or height of a rendered picture, in pixels"),
    # animations (scoreviz animate, the Record button)
    Limit("fps", 1, 60, True, "animation frames per second (GIF: at most 50)"),
    Limit("frames", 1, 10_000, True, "frames in one animation"),
)


def _limit(name: str) -> Limit:
    try:
        return LIMITS[name]
    except KeyError:
        raise KeyError(f"no limit named {name!r}; known: {', '.join(LIMITS)}") from None


def is_finite_number(v) -> bool:
    """True for an int or float (not bool) that is a finite float; False for huge ints, NaN, inf."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return False
    try:
        return math.isfinite(v)
    except OverflowError:  # an integer beyond the float range
        return False


def check(name: str, value, owner: str | None = None):
    """``value`` as int (integer limits) or float, if allowed for ``name``; else ScorevizError.

    ``owner`` prefixes the name in the message ("objective sigma=0.0 is out of range; ...").
    """
    lim = _limit(name)
    label = f"{owner} {name}" if owner else name
    allowed = f"allowed {lim.range_text()}"
    if isinstance(value, bool):
        kind = "a whole number" if lim.integer else "a number"
        raise ScorevizError(f"{label}={show(value)} must be {kind}; {allowed}")
    if lim.integer:
        if not isinstance(value, numbers.Integral):
            raise ScorevizError(f"{label}={show(value)} must be a whole number; {allowed}")
        v = int(value)
        if not lim.contains(v):
            raise ScorevizError(f"{label}={show(v)} is out of range; {allowed}")
        return v
    if not isinstance(value, numbers.Real):
        raise ScorevizError(f"{label}={show(value)} must be a number; {allowed}")
    try:
        v = float(value)
    except OverflowError:  # an int too large for a float
        raise ScorevizError(f"{label}={show(value)} is out of range; {allowed}") from None
    if not math.isfinite(v):
        raise ScorevizError(f"{label}={show(value)} must be a finite number; {allowed}")
    if not lim.contains(v):
        raise ScorevizError(f"{label}={show(value)} is out of range; {allowed}")
    return v


def describe(name: str) -> str:
    """One line for help texts and tooltips: meaning and allowed range."""
    lim = _limit(name)
    kind = "a whole number in" if lim.integer else "a number,"
    return f"{lim.name}: {lim.help}; {kind} {lim.range_text()}"


OPEN_MIN_MARGIN = 1e-12  # how far inside an excluded minimum the closed range of ``bounds`` starts


def bounds(name: str) -> tuple:
    """The closed range ``(lo, hi)`` of allowed values for ``name``, for widgets and other inputs
    that need one: ints for integer limits; for an excluded minimum (``0 < lr``) ``lo`` is just
    inside it (``OPEN_MIN_MARGIN``, relative to the minimum's size), a value ``check`` accepts."""
    lim = _limit(name)
    if lim.integer:
        return int(lim.min), int(lim.max)
    lo = float(lim.min)
    if lim.min_exclusive:
        lo += OPEN_MIN_MARGIN * max(1.0, abs(lo))
    return lo, float(lim.max)


def require_finite(values, what: str) -> None:
    """Refuse ``values`` (a tensor or an array) holding NaN or Inf: ValueError naming ``what``.

    Weights and optimiser moments read from a file are data; bad data is named at load time, never
    left to surface later as "training diverged"."""
    import numpy as np  # lazy: limits is imported by every module and needs numpy only here

    arr = values.detach().cpu().numpy() if hasattr(values, "detach") else np.asarray(values)
    if arr.dtype.kind in "fc" and not np.isfinite(arr).all():
        raise ValueError(f"{what} holds NaN or Inf")
