"""The score of a time-conditional model under a forward process (docs: MATH.md, Continuous time).

A time-conditional ``ScoreModel`` (``ModelConfig.time_conditional``) outputs ``model(x, t)``, the
score times std(t) (it regresses -z of x_t = alpha(t) x_0 + std(t) z).  Its score is

    s_theta(x, t) = model(x, t) / std(t)

and every user of a time-conditional model goes through here: the ``sde`` objective, the Session's
fields, Fisher divergence and particles, and the diffusion samplers and likelihood, which take a
``score_fn(x, t)`` closure from ``model_score_fn``.
"""

from __future__ import annotations

from typing import Callable

import torch
from torch import Tensor

from scoreviz.core.errors import ScorevizError

TimeScoreFn = Callable[[Tensor, object], Tensor]  # (x (N, 2), t: float | (N,) tensor) -> (N, 2)


def _std_column(sde, x: Tensor, t) -> Tensor | float:
    """std(t) shaped to divide x (N, 2): a float for a number t, an (N, 1) or 0-d tensor otherwise."""
    if isinstance(t, Tensor):
        s = sde.std(t).to(dtype=x.dtype, device=x.device)
        return s.reshape(-1, 1) if s.dim() == 1 else s
    return float(sde.std(float(t)))


def sde_score(model, sde, x: Tensor, t) -> Tensor:
    """s_theta(x, t) = model(x, t) / std(t): x (N, 2), t a float or an (N,) tensor -> (N, 2).

    Differentiable (keeps the graph when grad mode is on): the objective trains through it.
    """
    cfg = getattr(model, "cfg", None)
    if not getattr(cfg, "time_conditional", False):
        raise ScorevizError("this model is not time-conditional; a score s(x, t) needs a model trained with "
                            "objective sde (time_conditional=true)")
    return model(x, t) / _std_column(sde, x, t)


def model_score_fn(model, sde) -> TimeScoreFn:
    """score_fn(x, t) -> s_theta(x, t) (N, 2), detached: no graph kept (sampling, display, likelihood).

    The caller puts the model in eval mode; the closure holds ``model`` and ``sde`` only.
    """
    if not getattr(getattr(model, "cfg", None), "time_conditional", False):
        raise ScorevizError("this model is not time-conditional; a score s(x, t) needs a model trained with "
                            "objective sde (time_conditional=true)")

    def score_fn(x: Tensor, t) -> Tensor:
        with torch.no_grad():
            return sde_score(model, sde, x, t).detach()

    return score_fn
