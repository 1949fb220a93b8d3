"""The particles of a session on the time axis (objective sde): generation from the prior, and the forward noising.

Samplers (``SamplerConfig.sampler``) that need a continuous-time process, the objective's own
(``Session.sde``), driven by the learned s_θ(x, t) or the exact ∇log p_t (``score_source``):

- ``reverse-sde``, ``pf-ode`` (``solver`` euler or heun), ``pc`` (``snr``, ``corrector_steps``): the particles
  start from the prior at t = 1 and run to t_eps in ``diffusion_steps`` steps (``scoreviz.core.diffusion``),
  ``steps_per_frame`` of them per frame; at t_eps they stay (the generated samples) until the particles
  are reset, which draws a new prior sample.
- ``forward``: data noised to the time the fields show, x_t = α(t)·x_0 + std(t)·z with x_0 exact samples of
  the density and z fixed at the reset, so moving t moves every particle smoothly along its own path.

``ParticleDiffusion(session)`` holds the run; the Session calls ``reset()`` and ``advance(k)``.
"""

from __future__ import annotations

import torch

from scoreviz.core.diffusion import DiffusionRun
from scoreviz.core.errors import ScorevizError
from scoreviz.core.marginals import true_score_fn
from scoreviz.core.time_score import model_score_fn
from scoreviz.core.text import N_, Composed

DIFFUSION_SAMPLERS = ("reverse-sde", "pf-ode", "pc")
TIME_SAMPLERS = DIFFUSION_SAMPLERS + ("forward",)
SOLVERS = ("euler", "heun")  # fixed-step: a frame is a whole number of steps (rk45: scoreviz sample)
TIME_SAMPLER_TIPS = {
    "reverse-sde": N_("Reverse-time SDE (Euler–Maruyama) from the prior at t = 1 to the data at t = ε"),
    "pf-ode": N_("Probability-flow ODE (Euler or Heun) from the prior: deterministic, same marginals"),
    "pc": N_("Predictor–corrector: reverse-diffusion step + Langevin corrector at signal-to-noise ratio r"),
    "forward": N_("The forward process: data noised to the time t the fields show (move t to watch)"),
}


def time_sampler_refusal(sampler: str, objective_name: str) -> Composed | None:
    """Why ``sampler`` cannot run with objective ``objective_name`` (None: it can); a ``core.text.Composed``
    (the GUI shows it in its language)."""
    if sampler in TIME_SAMPLERS and objective_name != "sde":
        return Composed.compose(N_("sampler {sampler} needs a process: choose objective sde"), sampler=sampler)
    return None


class ParticleDiffusion:
    """A session's particles driven by its process; see the module's description."""

    def __init__(self, session):
        self.session = session
        self.run: DiffusionRun | None = None
        self._forward: tuple[torch.Tensor, torch.Tensor] | None = None  # (x_0, z)
        self._forward_t: float | None = None

    def _score_fn(self):
        s = self.session
        if s.cfg.sampler.score_source == "true":
            return true_score_fn(s.density, s.sde)
        return model_score_fn(s.model, s.sde)

    def reset(self) -> torch.Tensor:
        """New particles: a prior sample (generation) or noised data (forward), from the particle generator."""
        s = self.session
        sc = s.cfg.sampler
        process = s.sde
        if process is None:
            raise ScorevizError.like(time_sampler_refusal(sc.sampler, s.cfg.objective.name) or "no process")
        gen = s.particle_generator
        self.run = None
        self._forward = None
        if sc.sampler == "forward":
            x0 = s.density.sample(sc.n_particles, gen).to(s.device)
            z = torch.randn(x0.shape, generator=gen, device=gen.device, dtype=x0.dtype).to(s.device)
            self._forward = (x0, z)
            self._forward_t = None
            return self._forward_positions()
        x = process.prior_sample(sc.n_particles, gen).to(s.device)
        self.run = DiffusionRun(x, self._score_fn(), process, sc.sampler, steps=sc.diffusion_steps,
                                solver=sc.solver, snr=sc.snr, corrector_steps=sc.corrector_steps, generator=gen)
        return x

    def _forward_positions(self) -> torch.Tensor:
        x0, z = self._forward
        t = self.session.field_t
        self._forward_t = t
        return self.session.sde.perturb(x0, t, z)

    def advance(self, k: int) -> torch.Tensor | None:
        """k more steps towards t_eps (forward: follow the display time); the new positions, or None
        when nothing moved (generation finished, or t unchanged)."""
        if self._forward is not None:
            if self.session.field_t == self._forward_t:
                return None
            return self._forward_positions()
        run = self.run
        if run is None or run.done:
            return None
        run.step(min(int(k), run.steps - run.index))
        return run.x

    @property
    def t(self) -> float | None:
        """The particles' time: the run's t, or the display time for forward."""
        if self._forward is not None:
            return self._forward_t
        return None if self.run is None else float(self.run.t)

    def note(self) -> str:
        """The particles panel's caption, e.g. ``reverse-sde 120/500, t = 0.76``."""
        template, values = self.note_parts()
        return template.format(**values)

    def note_parts(self) -> tuple[str, dict]:
        """(template, values) of ``note()``: the GUI shows the template translated (``core.text.N_``)."""
        sc = self.session.cfg.sampler
        if self._forward is not None:
            if self._forward_t is None:
                return N_("forward"), {}
            return N_("forward, t = {t:.3g}"), {"t": self._forward_t}
        run = self.run
        if run is None:
            return "{name}", {"name": sc.sampler}
        name = f"pf-ode {sc.solver}" if sc.sampler == "pf-ode" else sc.sampler
        if run.done:
            return N_("{name} done ({steps} steps, NFE {nfe}) · P: again"), {"name": name, "steps": run.steps,
                                                                            "nfe": run.nfe}
        return N_("{name} {index}/{steps}, t = {t:.3g}"), {"name": name, "index": run.index, "steps": run.steps,
                                                          "t": float(run.t)}
