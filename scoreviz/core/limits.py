"""The one table of numeric limits: every number that enters from the CLI, a file or a widget.

The configuration dataclasses (SessionConfig, SamplerConfig, ModelConfig, ObjectiveConfig) check
their numbers through :func:`check`, so a session file, a command line and a spin box all meet the
same limits.  The limits also bound the work and memory one setting can ask for (a 512 x 512 field,
a million particles, a 4096-wide network), so a hostile or mistyped file cannot exhaust the machine;
the work budget (end of this module) bounds what the settings ask for together: every limit at its
maximum would need 12 GB and minutes for one training step.

    LIMITS[name] -> Limit(name, min, max, integer, help, min_exclusive)
    check(name, value, owner=None) -> the value as int (integer limits) or float
    describe(name) -> "batch: training batch size (samples per Adam step); a whole number in 1..65536"
    bounds(name) -> (lo, hi), the closed range a spin box offers (lo just above an excluded minimum)
    WORK_BUDGETS[name] -> Budget(name, max, unit, what, help): the most one product may ask for
    check_work(cfg) -> None, or ScorevizError naming the product over budget and the settings to lower
    estimate_work(cfg) -> [Work(budget, amount, settings, lower)], every product of a SessionConfig

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
from scoreviz.core.text import N_, Composed, Phrase


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
    # continuous-time processes (scoreviz.core.sde; objective sde, the diffusion samplers)
    Limit("beta_min", 0.0, 100.0, False, "smallest beta(t) of the vp and subvp processes"),
    Limit("beta_max", 0.0, 1000.0, False, "largest beta(t) of the vp and subvp processes", min_exclusive=True),
    Limit("t_eps", 0.0, 0.1, False, "smallest time of a continuous-time process (0: the process's default, "
          "1e-5 for ve, 1e-3 for vp and subvp)"),
    Limit("field_t", 0.0, 1.0, False, "time at which a time-conditional field is shown or exported"),
    # the diffusion samplers and the likelihood (scoreviz.core.diffusion, scoreviz.core.likelihood)
    Limit("snr", 0.0, 10.0, False, "signal-to-noise ratio r of the pc sampler's Langevin corrector", min_exclusive=True),
    Limit("corrector_steps", 1, 100, True, "Langevin corrector steps per pc sampler step"),
    Limit("rtol", 0.0, 0.1, False, "relative tolerance of the adaptive ODE solver (rk45, likelihood)", min_exclusive=True),
    Limit("atol", 0.0, 0.1, False, "absolute tolerance of the adaptive ODE solver (rk45, likelihood)", min_exclusive=True),
    Limit("keep", 2, 10_000, True, "positions saved along a diffusion trajectory (both ends included)"),
    # particles (SamplerConfig)
    Limit("n_particles", 1, 1_000_000, True, "number of Langevin particles"),
    Limit("step_size", 0.0, 10.0, False, "Langevin step size eps", min_exclusive=True),
    Limit("steps_per_frame", 1, 1000, True, "sampler steps per displayed frame"),
    Limit("steps_per_level", 1, 100_000, True, "annealed Langevin steps per noise level"),
    # densities given as data (files, drawings)
    Limit("mixture_components", 1, 10_000, True, "components of a Gaussian mixture given as data"),
    Limit("grid_cells", 1, 1024, True, "cells per side of a grid density given as data"),
    Limit("coordinate", -1e6, 1e6, False, "a coordinate in a density file (box corners, means)"),
    Limit("param_box", -1e4, 1e4, False, "a corner of the box parameter of a preset, an image or an expression"),
    Limit("blur", 0.0, 1e6, False, "Gaussian blur of a grid density given as data (std, box units)", min_exclusive=True),
    Limit("variance", -1e12, 1e12, False, "an entry of a mixture covariance given as data"),
    Limit("density_sigma", 0.0, 1000.0, False, "Gaussian perturbation stored with a density (0 = none)"),
    # samples scored against their target (scoreviz.core.scorecard; scoreviz evaluate, sample --report)
    Limit("evaluate_points", 2, 1_000_000, True, "points in a samples file scored by scoreviz evaluate"),
    Limit("sample_coordinate", -1e6, 1e6, False, "a coordinate of a sample being scored against its target"),
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

    def refuse(template: str, v) -> ScorevizError:  # the GUI shows the refusal in its language (core.text)
        return ScorevizError.compose(template, label=label, value=show(v), range=lim.range_text())

    if isinstance(value, bool):
        raise refuse(N_("{label}={value} must be a whole number; allowed {range}") if lim.integer
                     else N_("{label}={value} must be a number; allowed {range}"), value)
    if lim.integer:
        if not isinstance(value, numbers.Integral):
            raise refuse(N_("{label}={value} must be a whole number; allowed {range}"), value)
        v = int(value)
        if not lim.contains(v):
            raise refuse(N_("{label}={value} is out of range; allowed {range}"), v)
        return v
    if not isinstance(value, numbers.Real):
        raise refuse(N_("{label}={value} must be a number; allowed {range}"), value)
    try:
        v = float(value)
    except OverflowError:  # an int too large for a float
        raise refuse(N_("{label}={value} is out of range; allowed {range}"), value) from None
    if not math.isfinite(v):
        raise refuse(N_("{label}={value} must be a finite number; allowed {range}"), value)
    if not lim.contains(v):
        raise refuse(N_("{label}={value} is out of range; allowed {range}"), value)
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


# ---------------------------------------------------------------------------- the work budget
# Every limit above bounds one setting; the work a configuration implies is their product.  A 15.7 KB
# session file with every setting at its maximum (a 4096-wide 8-layer network, batch 65 536, grid 512,
# 10^6 particles) passed every row above and asked for 12 GB in one training step.  The budget
# (WORK_BUDGETS) bounds the network's size and each unit of work done without a pause in between (a
# training step, the learned field on the grid, one displayed sampler frame, one Fisher divergence
# estimate) in multiply-adds (time) and in bytes (memory), estimated from the settings alone, before
# anything is built (``estimate_work``):
#
#   P = the network's parameters (models.parameter_shapes), h = hidden, L = layers.  One forward pass
#       for one point costs P + 200 h L + 1000 multiply-adds: the matrix products, plus the element-wise
#       work on each hidden unit (ACTIVATION_COST) and on the point (POINT_COST), which run at memory
#       speed on a CPU and are counted as the multiply-adds they take in time.
#   a training step: rows = batch (x projections for ssm, ssm-vr); multiply-adds = rows x forward x
#       passes; bytes = 16 P (weights, gradients, Adam's two moments) + rows x (4 h L floats + 64), with
#       (passes, floats) from TRAINING_COST: esm, dsm, ncsn, sde (3, 5); ssm, ssm-vr (8, 14); ism, a
#       backward pass per dimension (16, 22); an energy network passes x 4, floats x 3 (ENERGY_COST: its
#       score -grad E is itself a backward pass, trained through a double backward).
#   a score (fields, particles, Fisher; no graph kept): one forward a point and 4 x 4 h + 64 bytes
#       (energy: 3 forwards, 4 x 2 h (L + 1) + 64 bytes: the graph of E is kept for -grad E).
#   the field: grid^2 points scored in chunks of FIELD_CHUNK (fields.evaluate): memory is one chunk's (the
#       app's panels draw at most 128^2 arrows, whatever grid says: with the largest network the Fisher
#       budget allows that is 1.6 times this budget, measured below);
#   a sampler frame: n_particles x steps_per_frame x (score + 8000: the noise and the move); memory:
#       every particle at once; a Fisher estimate: fisher_samples points (10 000 in the app and the CLI)
#       in chunks of FISHER_CHUNK.
#
# The floats are peak RSS measured (/usr/bin/time -v, torch 2.13 CPU) over rows x h L, rounded up: dsm
# 3.1-4.4, ssm 11.9-13, ism 18.8-21.6 (energy 12-15, 35-37, 47-54); a score 1.9-3.1 h (energy 2.1-2.9 h L).
# The times are one CPU core's seconds (torch.set_num_threads(1), time.process_time) for 2-D toy
# densities on this project's 2-core AMD EPYC machine.  Each product at its budget's edge, peak RSS
# (2 threads) and seconds, well under 1.5 GB and a few seconds (the process alone takes 0.3 GB):
#   training step  dsm 1024x4, batch 4193 (multiply-adds)             470 MB  1.05 s
#                  ism 256x4, batch 7726 (multiply-adds)              824 MB  0.73 s
#                  ism energy 128x3, batch 7016 (multiply-adds)       735 MB  0.46 s
#                  dsm energy 512x3, batch 4986 (multiply-adds)       653 MB  0.64 s
#                  ssm, 64 projections, 128x3, batch 579 (memory)     926 MB  0.74 s
#                  dsm 64x16, batch 38 891 (memory)                   625 MB  0.55 s
#   field          256x4, grid 351 (with the true field and log p)    354 MB  0.91 s
#                  3047x1, grid 128 (memory of a chunk)               684 MB  0.28 s
#                  1436x3 on the app's largest arrow grid (128^2)      647 MB  2.31 s
#   sampler frame  128x3, 378 787 particles (memory)                  864 MB  1.01 s
#                  energy 128x3, 146 194 particles                    808 MB  0.77 s
#                  512x3, 59 236 particles                            655 MB  1.13 s
#                  8x1, 4698 particles x 1000 steps a frame           305 MB  0.22 s
#   Fisher         1436x3 (4.1e6 parameters), 10 000 samples          463 MB  1.43 s
#   saving         that session (a training step, then save_session)  568 MB  1.75 s
# The file is now refused in under a millisecond, before anything is built: `train --resume` exits 2
# at 0.27 GB peak RSS, the process's own (it took 12 GB).
# The budget is the same on every device: a file must never ask for more than a small machine has.


@dataclass(frozen=True)
class Budget:
    """The most one product may ask for: ``max`` of ``unit`` (``what`` says per what)."""

    name: str
    max: float
    unit: str  # "parameters", "multiply-adds" or "bytes"
    what: str  # "per training step", ...
    help: str


WORK_BUDGETS: dict[str, Budget] = {b.name: b for b in (
    Budget("parameters", 5e6, "parameters", N_("in the network"), "weights of the score network (16 bytes each while "
           "training; saving a session holds about 50 bytes each)"),
    Budget("step_multiply_adds", 5e10, "multiply-adds", N_("per training step"), "work of one training step"),
    Budget("step_memory", 8e8, "bytes", N_("per training step"), "memory of one training step (state and activations)"),
    Budget("field_multiply_adds", 5e10, "multiply-adds", N_("per field on the grid"), "work of one learned field"),
    Budget("frame_multiply_adds", 5e10, "multiply-adds", N_("per sampler frame"), "work of one displayed sampler frame"),
    Budget("frame_memory", 8e8, "bytes", N_("per sampler step"), "memory of one sampler step (all particles at once)"),
    Budget("fisher_multiply_adds", 5e10, "multiply-adds", N_("per Fisher estimate"), "work of one Fisher divergence"),
    Budget("evaluation_memory", 8e8, "bytes", N_("per chunk of points scored together (a field, a Fisher estimate)"),
           "memory of one chunk of points scored together"),
)}

FIELD_CHUNK = 16384  # points scored together by fields.evaluate (its default chunk)
FISHER_CHUNK = 8192  # points scored together by metrics.fisher_divergence (its default chunk)
FISHER_SAMPLES = 10_000  # the Fisher estimate the app and the CLI make (live.commands.FISHER_SAMPLES)
# (multiply-adds a row in forward passes of P, floats a row per hidden unit and layer) of a training step
TRAINING_COST = {"esm": (3, 5), "dsm": (3, 5), "ncsn": (3, 5), "sde": (3, 5),
                 "ssm": (8, 14), "ssm-vr": (8, 14), "ism": (16, 22)}
SLICED = ("ssm", "ssm-vr")  # a row per projection
ENERGY_COST = (4, 3)  # an energy network's training step: passes x 4, floats x 3 (a vector network's)
ENERGY_SCORE_COST = 3  # an energy network's score (-grad E: forward and backward) costs 3 forward passes
ACTIVATION_COST = 200  # multiply-adds one hidden unit's element-wise work takes in time (5 ns: memory-bound)
POINT_COST = 1000  # multiply-adds a point's own work takes in a pass (narrow tensors, the output)
STEP_COST = 8000  # multiply-adds a sampler step takes per particle besides its score (noise, the move)
POINT_BYTES = 64  # bytes a point or a training row holds besides its activations (inputs, noise, outputs)


@dataclass(frozen=True)
class Work:
    """One product of the settings: ``amount`` measured against ``WORK_BUDGETS[budget]``, made of
    ``settings`` (name, value), lowered by lowering any of ``lower``."""

    budget: str
    amount: float
    settings: tuple
    lower: tuple

    @property
    def allowed(self) -> bool:
        return self.amount <= WORK_BUDGETS[self.budget].max

    def refusal(self) -> Composed:
        """One line: the product, its value, the budget and the settings to lower (English, composed:
        the GUI shows it in its language)."""
        b = WORK_BUDGETS[self.budget]
        made = ", ".join(f"{k}={v}" for k, v in self.settings)
        lower = (self.lower[0] if len(self.lower) == 1
                 else Composed.compose(N_("{names} or {last}"), names=", ".join(self.lower[:-1]), last=self.lower[-1]))
        digits, most = 3, _amount(b.max, b.unit)
        while _amount(self.amount, b.unit, digits) == most and digits < 12:  # just over: more digits tell them apart
            digits += 1
        return Composed.compose(N_("this configuration needs {amount} {what} ({made}); the most allowed is {most}: "
                                   "lower {lower}"), amount=_amount(self.amount, b.unit, digits), what=Phrase(b.what),
                                made=made, most=most, lower=lower)


_AMOUNTS = {"parameters": N_("{n} parameters"), "multiply-adds": N_("{n} multiply-adds")}


def _amount(v: float, unit: str, digits: int = 3) -> Composed:
    if unit == "bytes":
        if v >= 1e8:
            return Composed.compose(N_("{n} GB of memory"), n=f"{v / 1e9:.{digits}g}")
        return Composed.compose(N_("{n} MB of memory"), n=f"{v / 1e6:.{digits}g}")
    mantissa, _, exponent = f"{v:.{digits}g}".partition("e")
    n = f"{mantissa}e{int(exponent)}" if exponent else mantissa
    template = _AMOUNTS.get(unit)
    return Composed.compose(template, n=n) if template else Composed(f"{n} {unit}")


def _model_figures(model) -> tuple[int, int, int, bool]:
    """(P, h, L, energy) of a ModelConfig (``parameter_count``: from models.parameter_shapes), nothing built."""
    return int(model.parameter_count()), int(model.hidden), int(model.layers), model.parametrization == "energy"


def _model_settings(model) -> tuple:
    h_l = (("hidden", model.hidden), ("layers", model.layers))
    return h_l + ((("parametrization", "energy"),) if model.parametrization == "energy" else ())


def _forward_cost(model) -> float:
    """Multiply-adds of one forward pass for one point: the matrix products' P, with the element-wise
    work on each hidden unit and the point's own counted in what they take in time."""
    p, h, layers, _ = _model_figures(model)
    return p + ACTIVATION_COST * h * layers + POINT_COST


def _score_cost(model) -> tuple[float, float]:
    """(multiply-adds, bytes) of scoring one point with no graph kept."""
    _, h, layers, energy = _model_figures(model)
    forward = _forward_cost(model)
    if energy:
        return ENERGY_SCORE_COST * forward, 4.0 * 2 * h * (layers + 1) + POINT_BYTES
    return forward, 4.0 * 4 * h + POINT_BYTES


def model_work(model) -> list[Work]:
    """The network's size against the ``parameters`` budget."""
    p = _model_figures(model)[0]
    return [Work("parameters", float(p), _model_settings(model), ("hidden", "layers"))]


def sampler_work(model, n_particles: int, steps_per_frame: int = 1) -> list[Work]:
    """A sampler frame of ``steps_per_frame`` steps of ``n_particles`` particles scored by ``model``."""
    macs, per_point = _score_cost(model)
    made = (("n_particles", n_particles),) + ((("steps_per_frame", steps_per_frame),) if steps_per_frame > 1 else ())
    ms = _model_settings(model)
    return [Work("frame_multiply_adds", n_particles * steps_per_frame * (macs + STEP_COST), made + ms,
                 ("n_particles",) + (("steps_per_frame",) if steps_per_frame > 1 else ()) + ("hidden",)),
            Work("frame_memory", n_particles * per_point, made[:1] + ms, ("n_particles", "hidden"))]


def fisher_work(model, n: int = FISHER_SAMPLES, field_points: int = 0) -> list[Work]:
    """One Fisher divergence estimate on ``n`` samples (scored in chunks of FISHER_CHUNK), and the
    memory of the largest chunk scored together (a field of ``field_points`` goes in chunks of FIELD_CHUNK)."""
    macs, per_point = _score_cost(model)
    made = ((("fisher_samples", n),) if n != FISHER_SAMPLES else ()) + _model_settings(model)
    lower = (("fisher_samples",) if n != FISHER_SAMPLES else ()) + ("hidden", "layers")
    chunk = max(min(n, FISHER_CHUNK), min(field_points, FIELD_CHUNK))
    return [Work("fisher_multiply_adds", n * macs, made, lower),
            Work("evaluation_memory", chunk * per_point, _model_settings(model), ("hidden", "layers"))]


def estimate_work(cfg, fisher_samples: int = FISHER_SAMPLES) -> list[Work]:
    """Every product of a SessionConfig (or any object with its ``model``, ``objective``, ``batch``,
    ``grid`` and ``sampler``), in the order ``check_work`` checks them."""
    model, objective = cfg.model, cfg.objective
    p, h, layers, energy = _model_figures(model)
    passes, floats = TRAINING_COST.get(objective.name, TRAINING_COST["ism"])  # unknown: the dearest
    if energy:
        passes, floats = passes * ENERGY_COST[0], floats * ENERGY_COST[1]
    sliced = objective.name in SLICED and objective.projections > 1
    rows = cfg.batch * (objective.projections if objective.name in SLICED else 1)
    train = ((("objective", objective.name), ("batch", cfg.batch))
             + ((("projections", objective.projections),) if sliced else ()) + _model_settings(model))
    lower = ("batch",) + (("projections",) if sliced else ()) + ("hidden",)
    macs, per_point = _score_cost(model)
    points = cfg.grid * cfg.grid
    sc = cfg.sampler
    return [
        *model_work(model),
        Work("step_multiply_adds", float(rows) * _forward_cost(model) * passes, train, lower),
        Work("step_memory", 16.0 * p + rows * (4.0 * h * layers * floats + POINT_BYTES), train, lower),
        Work("field_multiply_adds", points * macs, (("grid", cfg.grid),) + _model_settings(model), ("grid", "hidden")),
        *sampler_work(model, sc.n_particles, sc.steps_per_frame),
        *fisher_work(model, fisher_samples, field_points=points),
    ]


def _refuse_over(works: list[Work]) -> None:
    for w in works:
        if not w.allowed:
            raise ScorevizError.like(w.refusal())


def check_work(cfg, fisher_samples: int = FISHER_SAMPLES) -> None:
    """Refuse a configuration whose work exceeds a budget: ScorevizError with one line naming the
    product, its value, the budget and the settings to lower (the first product over budget), e.g.
    ``this configuration needs 7.81e11 multiply-adds per training step (objective=dsm, batch=65536,
    hidden=1024, layers=4); the most allowed is 5e10 multiply-adds: lower batch or hidden``."""
    _refuse_over(estimate_work(cfg, fisher_samples))


def check_model_work(model) -> None:
    """Refuse a network over the ``parameters`` budget (ModelConfig checks itself with this)."""
    _refuse_over(model_work(model))


def check_sampler_work(model, n_particles: int, steps_per_frame: int = 1) -> None:
    """Refuse sampling ``n_particles`` with ``model`` over the sampler budgets (``scoreviz sample``)."""
    _refuse_over(sampler_work(model, n_particles, steps_per_frame))


def check_fisher_work(model, n: int) -> None:
    """Refuse a Fisher estimate on ``n`` samples over its budgets (``Session.fisher``)."""
    _refuse_over(fisher_work(model, n))
