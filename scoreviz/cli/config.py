"""From argparse to the core: the :class:`~scoreviz.core.session.SessionConfig` described by the
training options, and the ``--density-param NAME=VALUE`` pairs. The CLI is the only reader of
argparse Namespaces; everything below it gets a SessionConfig."""

from __future__ import annotations

from scoreviz.cli.errors import CliError
from scoreviz.cli.sde_args import objective_process
from scoreviz.core.densities import load_density
from scoreviz.core.models import ModelConfig
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.session import SessionConfig


def density_params(items: list[str]) -> dict:
    """The ``--density-param NAME=VALUE`` items as a dict; values become int, float, bool or stay text."""
    params = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise CliError(f"--density-param '{item}' must look like NAME=VALUE")
        try:
            v: object = int(value)
        except ValueError:
            try:
                v = float(value)
            except ValueError:
                v = {"true": True, "false": False}.get(value.lower(), value)
        params[name.strip()] = v
    return params


def session_config_from_args(args):
    """The SessionConfig described by the training options in ``args`` (objective sde: its process from
    ``--sde`` and its parameters, ve's sigma_max defaulting to the density's box: ``sde_args``)."""
    fields = dict(name=args.objective, sigma=args.sigma, sigma_max=args.sigma_max, sigma_min=args.sigma_min,
                  levels=args.levels, projections=args.projections, projection=args.projection)
    fields.update(objective_process(args, lambda: load_density(args.density, **density_params(args.density_param)).box))
    objective = ObjectiveConfig(**fields)
    model = ModelConfig(hidden=args.hidden, layers=args.layers, activation=args.activation,
                        parametrization=args.parametrization, noise_conditional=args.objective == "ncsn",
                        time_conditional=args.objective == "sde")
    return SessionConfig(density=args.density, density_params=density_params(args.density_param),
                         objective=objective, model=model, lr=args.lr, batch=args.batch, seed=args.seed,
                         device=args.device or "auto", threads=args.threads, grid=args.grid, field_t=args.field_t)
