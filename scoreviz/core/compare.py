"""Several objectives trained side by side on the same density, seed, model and data batches.

Each configuration is an ordinary Session with the same seed (so the same batches: the Session
draws batches and objective noise from separate generators); ``step()`` advances every one by one
step, so all get the same number of steps. Wall-clock seconds are counted per configuration (its
own training time only), for the curves against time.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass, replace

import numpy as np

from scoreviz.core import samplers
from scoreviz.core.errors import ScorevizError
from scoreviz.core.objectives import OBJECTIVE_INFO, OBJECTIVES, ObjectiveConfig, conditioned_model
from scoreviz.core.session import Session, SessionConfig

LANGEVIN_SAMPLE_STEPS = 1000  # compare --sample: plain Langevin steps for a model that is not noise- or time-conditional
SAMPLE_SCORE_KEYS = ("kl", "tv", "sliced_wasserstein", "mmd", "mean_log_q", "true_mean_log_q",
                     "mode_weights", "true_mode_weights", "modes_found")

MIN_CONFIGS, MAX_CONFIGS = 2, 8
CURVE_COLUMNS = ("objective", "step", "seconds", "loss", "fisher_divergence", "relative_fisher_divergence")
_OPTION_KEYS = {"sigma": float, "sigma_max": float, "sigma_min": float, "levels": int, "projections": int,
                "projection": str, "sde": str, "beta_min": float, "beta_max": float, "t_eps": float, "weighting": str}


def _apply_options(objective: ObjectiveConfig, text: str, where: str) -> ObjectiveConfig:
    changes = {}
    for item in filter(None, text.split(",")):
        key, sep, value = item.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or key not in _OPTION_KEYS:
            raise ScorevizError(f"{where}: option '{item}' is not allowed; use KEY=VALUE with KEY one of "
                                f"{', '.join(_OPTION_KEYS)}")
        try:
            changes[key] = _OPTION_KEYS[key](value.strip())
        except ValueError:
            raise ScorevizError(f"{where}: '{value}' is not a valid {key}") from None
    return replace(objective, **changes)


def label(objective: ObjectiveConfig, base: ObjectiveConfig | None = None) -> str:
    """A short name: the objective plus the parameters it uses that differ from the defaults."""

    base = base or ObjectiveConfig()
    parts = [f"{k}={getattr(objective, k):g}" if isinstance(getattr(objective, k), float) else f"{k}={getattr(objective, k)}"
             for k in OBJECTIVE_INFO[objective.name].params
             if getattr(objective, k) != getattr(base, k) or (objective.name, k) == ("dsm", "sigma")]
    return objective.name + (f"({', '.join(parts)})" if parts else "")


def parse_objectives(spec: str, options: list[str] | None = None, base: ObjectiveConfig | None = None
                     ) -> list[ObjectiveConfig]:
    """``esm,ism,dsm:sigma=0.5`` plus options ``NAME:KEY=VALUE[,KEY=VALUE]`` -> objective configs.

    Inline settings (``dsm:sigma=0.5`` in the list) apply to that entry; an option applies to every
    entry of that objective without inline settings. Unknown names, bad options, duplicates and
    lists of fewer than 2 or more than 8 entries are refused.
    """
    base = base or ObjectiveConfig()
    entries = [e.strip() for e in spec.split(",") if e.strip()] if spec else []
    # "dsm:sigma=0.1,projections=2" style inline lists would be ambiguous: inline takes one KEY=VALUE
    per_name: dict[str, str] = {}
    for opt in options or []:
        name, sep, rest = opt.partition(":")
        if not sep or name not in OBJECTIVES:
            raise ScorevizError(f"objective option '{opt}' must look like NAME:KEY=VALUE with NAME one of "
                                f"{', '.join(OBJECTIVES)}")
        per_name[name] = (per_name[name] + "," if name in per_name else "") + rest
    configs = []
    for entry in entries:
        name, sep, inline = entry.partition(":")
        if name not in OBJECTIVES:
            raise ScorevizError(f"objective '{name}' is not known; use one of {', '.join(OBJECTIVES)}")
        cfg = replace(base, name=name)
        if sep:
            cfg = _apply_options(cfg, inline, f"objective '{entry}'")
        elif name in per_name:
            cfg = _apply_options(cfg, per_name[name], f"options for '{name}'")
        configs.append(cfg)
    unused = set(per_name) - {c.name for c in configs}
    if unused:
        raise ScorevizError(f"options given for {', '.join(sorted(unused))}, which is not in --objectives")
    if not MIN_CONFIGS <= len(configs) <= MAX_CONFIGS:
        raise ScorevizError(f"--objectives lists {len(configs)} configuration(s); compare needs "
                            f"{MIN_CONFIGS} to {MAX_CONFIGS}, e.g. esm,ism,ssm,dsm")
    labels = [label(c, base) for c in configs]
    dupes = sorted({lab for lab in labels if labels.count(lab) > 1})
    if dupes:
        raise ScorevizError(f"configuration {dupes[0]} is listed twice; give each a different setting, "
                            "e.g. dsm:sigma=0.1,dsm:sigma=0.5")
    return configs


@dataclass
class CurvePoint:
    objective: str
    step: int
    seconds: float
    loss: float
    fisher_divergence: float
    relative_fisher_divergence: float


class Comparison:
    """Sessions that differ only in their objective, trained in lockstep."""

    def __init__(self, base: SessionConfig, objectives: list[ObjectiveConfig], density=None):
        if not MIN_CONFIGS <= len(objectives) <= MAX_CONFIGS:
            raise ScorevizError(f"compare needs {MIN_CONFIGS} to {MAX_CONFIGS} configurations, got {len(objectives)}")
        self.labels = [label(o) for o in objectives]
        self.sessions = []
        for o in objectives:
            cfg = replace(base, objective=o, model=conditioned_model(o, base.model))
            self.sessions.append(Session(cfg, density=density))
        self.seconds = [0.0] * len(self.sessions)
        self.curves: list[CurvePoint] = []

    @property
    def step_count(self) -> int:
        return self.sessions[0].step_count

    def step(self) -> list[float]:
        """One step of every configuration (the same number of steps for all)."""
        losses = []
        for i, s in enumerate(self.sessions):
            t0 = time.perf_counter()
            losses.append(s.step())
            self.seconds[i] += time.perf_counter() - t0
        return losses

    def evaluate(self, n: int = 10000) -> list[CurvePoint]:
        """Fisher divergence of every configuration now; appended to ``curves``."""
        points = []
        for lab, s, secs in zip(self.labels, self.sessions, self.seconds):
            f, rel = s.fisher(n)
            loss = s.loss_history[-1] if s.loss_history else float("nan")
            points.append(CurvePoint(lab, s.step_count, secs, loss, f, rel))
        self.curves.extend(points)
        return points

    def set_density(self, density) -> None:
        for s in self.sessions:
            s.set_density(density)

    def reset(self) -> None:
        for s in self.sessions:
            s.reset_model()
        self.seconds = [0.0] * len(self.sessions)
        self.curves = []

    def sample_scores(self, n: int, seed: int = 0) -> dict:
        """Sample ``n`` particles with each configuration's learned score, by the sampler its model calls
        for, and score them against the exact data density (``core.scorecard``): objective sde runs the
        reverse SDE from the prior in the sampler's diffusion steps; a noise-conditional model (ncsn) runs
        annealed Langevin over the levels it was trained on (the objective's σ_max, σ_min, L)
        with the default step rule (``samplers.default_step_size``); any other model plain Langevin for
        LANGEVIN_SAMPLE_STEPS steps from the density's box (step size as the sampler's). Label -> a dict
        with ``sampler``, ``sampler_steps`` and the scorecard's figures; also kept for ``summary()``."""
        from scoreviz.core.scorecard import scorecard  # lazy: numpy-heavy and only needed here

        out = {}
        for lab, s in zip(self.labels, self.sessions):
            sc = s.cfg.sampler
            if s.cfg.model.time_conditional:
                kind, steps = "reverse-sde", sc.diffusion_steps
            elif s.cfg.model.noise_conditional:  # the levels the model was trained on, the default step rule
                o = s.cfg.objective
                sc = replace(sc, sigma_max=o.sigma_max, sigma_min=o.sigma_min, levels=o.levels,
                             step_size=samplers.default_step_size(
                                 "annealed", samplers.geometric_sigmas(o.sigma_max, o.sigma_min, o.levels)))
                kind, steps = "annealed", sc.levels * sc.steps_per_level
            else:
                kind, steps = "langevin", LANGEVIN_SAMPLE_STEPS
            s.set_sampler(replace(sc, sampler=kind, n_particles=int(n), score_source="learned"))
            s.reset_particles()
            s.advance_particles(steps)
            x = s.particles.detach().float().cpu().numpy()
            if not np.isfinite(x).all():
                raise ScorevizError(f"sampling {lab} with {kind} diverged (non-finite particles); "
                                    "train longer or lower the sampler's step size")
            card = scorecard(x, s.density, seed=seed)
            out[lab] = {"sampler": kind, "sampler_steps": int(steps),
                        **{k: card[k] for k in SAMPLE_SCORE_KEYS if k in card}}
        self.sample_report = out
        return out

    def summary(self) -> dict:
        out = {}
        for lab, s, secs in zip(self.labels, self.sessions, self.seconds):
            last = next((c for c in reversed(self.curves) if c.objective == lab), None)
            out[lab] = {
                "objective": s.cfg.objective.to_dict(),
                "steps": s.step_count,
                "seconds": secs,
                "steps_per_second": s.step_count / secs if secs > 0 else None,
                "final_loss": s.loss_history[-1] if s.loss_history else None,
                "fisher_divergence": last.fisher_divergence if last else None,
                "relative_fisher_divergence": last.relative_fisher_divergence if last else None,
                "sigma": s.target_sigma,
                **getattr(self, "sample_report", {}).get(lab, {}),  # compare --sample: the scorecard columns
            }
        return out


def curves_csv_text(curves: list[CurvePoint]) -> str:

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CURVE_COLUMNS)
    for c in curves:
        w.writerow([c.objective, c.step, f"{c.seconds:.6f}", repr(c.loss), repr(c.fisher_divergence),
                    repr(c.relative_fisher_divergence)])
    return buf.getvalue()
