"""``scoreviz list``: the densities, objectives, samplers, activations and parametrizations, with
their parameters, read from the core's registries."""

from __future__ import annotations

from scoreviz.core.densities import PRESETS
from scoreviz.core.expressions import CONSTANTS, EXPRESSION_PARAMS, FUNCTIONS
from scoreviz.core.images import IMAGE_PARAMS
from scoreviz.core.models import ACTIVATIONS
from scoreviz.core.objectives import OBJECTIVE_INFO, WEIGHTINGS
from scoreviz.core.sde import DEFAULT_T_EPS, KINDS, SDE_DESCRIPTIONS


def cmd_list(args) -> int:
    """Print what can be chosen on the command line, with parameters and defaults."""
    def params(specs):
        return [f"      {name} = {p.default}  ({p.range_text()}) {p.help}" for name, p in specs.items()]

    out = ["densities (--density NAME, a .json file, an image path or expr:EXPRESSION;",
           "           parameters with --density-param NAME=VALUE):"]
    for name, spec in PRESETS.items():
        out.append(f"  {name:14s} {spec.help}")
        out.extend(params(spec.params))
    out.append("  IMAGE.png|.jpg  an image: darker = denser")
    out.extend(params(IMAGE_PARAMS))
    out.append("  expr:EXPR      an unnormalised log-density in x and y, e.g. expr:-(x**2 + y**2 - 4)**2 / 0.5")
    out.append(f"      operators + - * / **; constants {', '.join(CONSTANTS)}; functions {', '.join(FUNCTIONS)}")
    out.extend(params(EXPRESSION_PARAMS))
    out.append("objectives (--objective):")
    for name, info in OBJECTIVE_INFO.items():
        out.append(f"  {name:8s} {info.description}")
        out.append(f"           loss: {info.formula}")
        if info.params:
            out.append(f"           options: {', '.join('--' + p.replace('_', '-') for p in info.params)}")
    out.append("samplers (scoreviz sample --sampler):")
    out.append("  langevin  x <- x + (eps/2) s(x) + sqrt(eps) z   (--step-size eps, default 0.01; --steps T)")
    out.append("  annealed  Langevin at sigma_1 > ... > sigma_L with step eps*sigma_i^2/sigma_L^2 "
               "(--sigma-max --sigma-min --levels --steps-per-level --step-size)")
    out.append("            default eps = 0.1*sigma_L^2 (each level's step 0.1*sigma_i^2); needs the true score "
               "or a noise-conditional (ncsn) model")
    out.append("            with a process (an sde model, or --sde with --score true): langevin at t_eps, annealed at "
               "sigma_i = std(t_i), t_i from 1 to t_eps")
    out.append("  reverse-sde  Euler-Maruyama of the reverse-time SDE from the prior at t = 1 to t_eps (--steps; last step noise-free)")
    out.append("  pf-ode       the probability-flow ODE dx/dt = f - g^2 s / 2: --solver euler|heun (--steps) or rk45 "
               "(adaptive, --rtol --atol, default 1e-5)")
    out.append("  pc           predictor-corrector: reverse-diffusion step + --corrector-steps Langevin steps "
               "(default 1) at signal-to-noise ratio --snr (default 0.16)")
    out.append("               these three use a process: a model trained with --objective sde (its own) or --score true "
               "with --sde (default vp); --trajectories FILE.npy saves K = min(steps, 100) + 1 positions")
    out.append("processes (--objective sde --sde; sample, likelihood --sde):")
    for kind in KINDS:
        out.append(f"  {kind:6s} {SDE_DESCRIPTIONS[kind]}; t_eps {DEFAULT_T_EPS[kind]:g} (--t-eps)")
    out.append("         parameters: ve --sigma-min (default 0.01) --sigma-max (default: the diagonal of the density's box); "
               "vp, subvp --beta-min (0.1) --beta-max (20)")
    out.append(f"         weighting (--weighting): {', '.join(WEIGHTINGS)}; likelihood of samples: scoreviz likelihood")
    out.append("activations (--activation): " + ", ".join(ACTIVATIONS))
    out.append("parametrizations (--parametrization): vector (outputs the score), energy (score = -grad E)")
    print("\n".join(out))
    return 0
