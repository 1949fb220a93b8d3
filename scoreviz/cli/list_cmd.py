"""``scoreviz list``: the densities, objectives, samplers, activations and parametrizations, with
their parameters, read from the core's registries."""

from __future__ import annotations

from scoreviz.core.densities import PRESETS
from scoreviz.core.expressions import CONSTANTS, EXPRESSION_PARAMS, FUNCTIONS
from scoreviz.core.images import IMAGE_PARAMS
from scoreviz.core.models import ACTIVATIONS
from scoreviz.core.objectives import OBJECTIVE_INFO


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
    out.append("activations (--activation): " + ", ".join(ACTIVATIONS))
    out.append("parametrizations (--parametrization): vector (outputs the score), energy (score = -grad E)")
    print("\n".join(out))
    return 0
