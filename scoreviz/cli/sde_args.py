"""The forward-process options of ``train --objective sde``, ``sample`` and ``likelihood``: how they
are parsed, resolved into a process (``scoreviz.core.sde.SDE``) and checked against a model's own.

    --sde ve|vp|subvp            the process (default vp)
    --sigma-min A --sigma-max B  ve: sigma(t) = A (B/A)^t (default A = 0.01, B = the diagonal of the
                                 density's box, so the prior N(0, B^2 I) covers every pair of its points)
    --beta-min A --beta-max B    vp, subvp: beta(t) = A + t (B - A) (default 0.1 and 20)
    --t-eps E                    the smallest time (default 1e-5 for ve, 1e-3 for vp and subvp)

These are ``SDE.for_box``'s defaults.  A parameter of the other kind (``--beta-min`` with ve,
``--sigma-max`` with vp) is refused in one line; so is a process flag that contradicts a trained
model's own process (``check_model_process``): a model is only ever run with the process it learned.

``--sigma-min``/``--sigma-max`` already exist for ncsn (train) and annealed Langevin (sample), so their
argparse defaults are :class:`Default` floats: a value that behaves as the number everywhere and
lets :func:`given` tell a typed flag from a default.
"""

from __future__ import annotations

import math

from scoreviz.cli.errors import CliError
from scoreviz.core.objectives import WEIGHTINGS
from scoreviz.core.sde import DEFAULT_BETA_MAX, DEFAULT_BETA_MIN, DEFAULT_SIGMA_MIN, SDE

DEFAULT_KIND = "vp"
SIGMA_FLAGS = (("sigma_min", "--sigma-min"), ("sigma_max", "--sigma-max"))  # ve's
BETA_FLAGS = (("beta_min", "--beta-min"), ("beta_max", "--beta-max"))  # vp's and subvp's
PROCESS_FLAGS = (("sde", "--sde"), *SIGMA_FLAGS, *BETA_FLAGS, ("t_eps", "--t-eps"))
DEFAULTS_TEXT = (f"ve: sigma_min {DEFAULT_SIGMA_MIN:g}, sigma_max the diagonal of the density's box; "
                 f"vp, subvp: beta {DEFAULT_BETA_MIN:g}..{DEFAULT_BETA_MAX:g}")


class Default(float):
    """An argparse default: the number itself, marked as not typed by the user (see :func:`given`)."""


def given(value) -> bool:
    """True when a flag's value was typed (not None, not a :class:`Default`)."""
    return value is not None and not isinstance(value, Default)


def given_flags(args, pairs) -> list[str]:
    """The flags of ``pairs`` ((attribute, flag), ...) that were typed."""
    return [flag for name, flag in pairs if given(getattr(args, name, None))]


def verb(flags: list[str], one: str, many: str) -> str:
    """``one`` for a single flag, ``many`` for several (``--sde applies``, ``--beta-min/--beta-max apply``)."""
    return one if len(flags) == 1 else many


def _check_kind_params(kind: str, args) -> None:
    """Refuse the parameters of the other kind of process."""
    if kind == "ve":
        wrong = given_flags(args, BETA_FLAGS)
        if wrong:
            raise CliError(f"{'/'.join(wrong)} {verb(wrong, 'sets', 'set')} vp and subvp's beta(t); the ve process takes --sigma-min/--sigma-max")
    else:
        wrong = given_flags(args, SIGMA_FLAGS)
        if wrong:
            raise CliError(f"{'/'.join(wrong)} {verb(wrong, 'sets', 'set')} ve's sigma(t); the {kind} process takes --beta-min/--beta-max")


def _typed(args, name: str):
    value = getattr(args, name, None)
    return float(value) if given(value) else None


def process_from_args(args, box) -> SDE:
    """The process the flags describe, with ``SDE.for_box`` defaults for what is left out.

    ``box`` is the density's (xmin, xmax, ymin, ymax), or a callable returning it (called only when ve's
    sigma_max is left out)."""
    kind = args.sde if given(getattr(args, "sde", None)) else DEFAULT_KIND
    _check_kind_params(kind, args)
    changes = {name: _typed(args, name) for name in ("sigma_min", "sigma_max", "beta_min", "beta_max", "t_eps")}
    if kind != "ve":  # sigma_min/sigma_max stay SDE's own defaults: vp and subvp do not use them
        return SDE(kind, **{k: v for k, v in changes.items() if v is not None and k not in ("sigma_min", "sigma_max")})
    if changes["sigma_max"] is None:
        box = box() if callable(box) else box
    else:
        box = (-1.0, 1.0, -1.0, 1.0)  # only ve's default sigma_max reads the box
    return SDE.for_box(kind, box, **changes)


def uses_process(args) -> bool:
    """A process flag other than --sigma-min/--sigma-max (which also set annealed Langevin's levels) was typed."""
    return bool(given_flags(args, (("sde", "--sde"), *BETA_FLAGS, ("t_eps", "--t-eps"))))


def check_model_process(args, process: SDE, where: str) -> None:
    """Refuse process flags that contradict a model's own process ``process`` (read from ``where``)."""
    kind = getattr(args, "sde", None)
    if given(kind) and kind != process.kind:
        raise CliError(f"--sde {kind} conflicts with the model's own process, {process.kind} ({where}); "
                       "leave --sde out to use it")
    _check_kind_params(process.kind, args)
    for name, flag in (*SIGMA_FLAGS, *BETA_FLAGS, ("t_eps", "--t-eps")):
        value = _typed(args, name)
        if value is not None and not math.isclose(value, getattr(process, name), rel_tol=1e-9, abs_tol=0.0):
            raise CliError(f"{flag} {value:g} conflicts with the model's own process, {process.describe()} "
                           f"({where}); leave {flag} out to use it")


def objective_process(args, box) -> dict:
    """The ObjectiveConfig fields of ``train``'s process flags: for ``--objective sde`` the process
    (ve's sigma_min/sigma_max resolved for the density's ``box``, a value or a callable), t_eps (0: the
    kind's default) and the weighting; for any other objective nothing, and a process flag, --weighting
    or --field-t is refused."""
    if args.objective != "sde":
        wrong = given_flags(args, (("sde", "--sde"), *BETA_FLAGS, ("t_eps", "--t-eps"), ("weighting", "--weighting"),
                                   ("field_t", "--field-t")))
        if wrong:
            raise CliError(f"{', '.join(wrong)} only {verb(wrong, 'applies', 'apply')} to --objective sde (not {args.objective})")
        return {}
    process = process_from_args(args, box)
    fields = {"sde": process.kind, "beta_min": process.beta_min, "beta_max": process.beta_max,
              "t_eps": process.t_eps if given(getattr(args, "t_eps", None)) else 0.0,
              "weighting": args.weighting if given(getattr(args, "weighting", None)) else WEIGHTINGS[0]}
    if process.kind == "ve":
        fields.update(sigma_min=process.sigma_min, sigma_max=process.sigma_max)
    return fields
