"""The argument parser of every command: :func:`build_parser`, the training options several
commands share (:func:`add_training_options`) and the value types that check numbers against the
core's one table of limits. Choice lists come from the core's registries."""

from __future__ import annotations

import argparse
import math

from scoreviz import __version__
from scoreviz.cli.errors import CliError
from scoreviz.cli.lesson_cmd import DEFAULT_SECONDS_PER_SCENE, DEFAULT_SIZE, MAX_SECONDS_PER_SCENE, MIN_SIZE
from scoreviz.cli.sde_args import DEFAULTS_TEXT, Default
from scoreviz.core import limits
from scoreviz.core.diffusion import METHODS as DIFFUSION_METHODS
from scoreviz.core.diffusion import SOLVERS
from scoreviz.core.models import ACTIVATIONS, PARAMETRIZATIONS
from scoreviz.core.objectives import OBJECTIVES, PROJECTIONS, WEIGHTINGS
from scoreviz.core.sde import KINDS as SDE_KINDS
from scoreviz.core.session import SAMPLERS, SCORE_SOURCES


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        raise CliError(f"{self.prog}: {message}")


# ----------------------------------------------------------------------------- value types
def _number(kind, lo=None, hi=None, lo_open=False):
    def parse(text):
        try:
            v = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a{'n integer' if kind is int else ' number'}") from None
        if kind is float and not math.isfinite(v):
            raise argparse.ArgumentTypeError(f"'{text}' must be finite")
        if lo is not None and (v <= lo if lo_open else v < lo):
            raise argparse.ArgumentTypeError(f"{text} is out of range; allowed {'>' if lo_open else '>='} {lo}" + (f" and <= {hi}" if hi is not None else ""))
        if hi is not None and v > hi:
            raise argparse.ArgumentTypeError(f"{text} is out of range; allowed <= {hi}")
        return v
    parse.__name__ = kind.__name__
    return parse


pos_float = _number(float, 0, lo_open=True)
pos_int = _number(int, 1)


def limited(name: str):
    """An argparse type checked against the core's one table of limits (scoreviz.core.limits)."""
    integer = limits.LIMITS[name].integer

    def parse(text):
        try:
            value = int(text) if integer else float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a{'n integer' if integer else ' number'}") from None
        try:
            return limits.check(name, value)
        except ValueError as e:
            raise argparse.ArgumentTypeError(str(e)) from None
    parse.__name__ = name
    return parse


def _size(text):
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size '{text}' must look like WIDTHxHEIGHT, e.g. 1600x600") from None
    lo, hi = limits.bounds("image_side")
    if not (lo <= w <= hi and lo <= h <= hi):
        raise argparse.ArgumentTypeError(f"size '{text}' is out of range; each side {lo}..{hi} pixels")
    return w, h


# ----------------------------------------------------------------------------- shared options
def add_process_options(g, sigma: bool = True) -> None:
    """The forward process (scoreviz.cli.sde_args): --sde, --beta-min, --beta-max, --t-eps, and
    --sigma-min/--sigma-max when ``sigma`` (commands that do not have them already)."""
    g.add_argument("--sde", default=None, choices=list(SDE_KINDS),
                   help=f"the forward process (default vp; defaults {DEFAULTS_TEXT})")
    if sigma:
        g.add_argument("--sigma-min", type=limited("sigma_min"), default=None, help="ve: sigma(0) (default 0.01)")
        g.add_argument("--sigma-max", type=limited("sigma_max"), default=None,
                       help="ve: sigma(1), the prior's standard deviation (default: the diagonal of the density's box)")
    g.add_argument("--beta-min", type=limited("beta_min"), default=None, help="vp, subvp: beta(0) (default 0.1)")
    g.add_argument("--beta-max", type=limited("beta_max"), default=None, help="vp, subvp: beta(1) (default 20)")
    g.add_argument("--t-eps", type=limited("t_eps"), default=None,
                   help="the smallest time t_eps (default 1e-5 for ve, 1e-3 for vp and subvp)")


def add_training_options(p: argparse.ArgumentParser, steps_default: int = 2000) -> None:
    """Options shared by train, bench, snapshot (and later commands): density, objective, model, optimiser."""
    g = p.add_argument_group("training options")
    g.add_argument("--density", default="8gaussians", metavar="D",
                   help="preset name, density .json file, image path, or expr:EXPRESSION (default 8gaussians)")
    g.add_argument("--density-param", action="append", default=[], metavar="NAME=VALUE",
                   help="a preset parameter, e.g. --density-param noise=0.2 (repeatable; see 'scoreviz list')")
    g.add_argument("--objective", default="dsm", choices=sorted(OBJECTIVES), help="objective (default dsm)")
    g.add_argument("--sigma", type=limited("sigma"), default=0.1, help="dsm noise level (default 0.1)")
    g.add_argument("--sigma-max", type=limited("sigma_max"), default=Default(1.0),
                   help="ncsn largest noise level (default 1); sde ve: sigma(1) (default: the diagonal of the density's box)")
    g.add_argument("--sigma-min", type=limited("sigma_min"), default=Default(0.01),
                   help="ncsn smallest noise level; sde ve: sigma(0) (default 0.01)")
    g.add_argument("--levels", type=limited("levels"), default=10, help="ncsn number of noise levels (default 10)")
    g.add_argument("--projections", type=limited("projections"), default=1, help="ssm/ssm-vr projections per sample (default 1)")
    g.add_argument("--projection", default="gaussian", choices=list(PROJECTIONS),
                   help="ssm/ssm-vr projection distribution (default gaussian)")
    add_process_options(g, sigma=False)  # objective sde (a process flag with another objective is refused)
    g.add_argument("--weighting", default=None, choices=list(WEIGHTINGS),
                   help="sde: lambda(t) = std(t)^2 (sigma2, default) or g(t)^2 (likelihood)")
    g.add_argument("--field-t", type=limited("field_t"), default=None, metavar="T",
                   help="sde: the time t of the fields (field.npz, the panels) in t_eps..1 (default t_eps)")
    g.add_argument("--hidden", type=limited("hidden"), default=128, help="hidden width (default 128)")
    g.add_argument("--layers", type=limited("layers"), default=3, help="hidden layers (default 3)")
    g.add_argument("--activation", default="silu", choices=list(ACTIVATIONS), help="activation (default silu)")
    g.add_argument("--parametrization", default="vector", choices=list(PARAMETRIZATIONS),
                   help="vector: the net outputs the score; energy: score = -grad E (default vector)")
    g.add_argument("--lr", type=limited("lr"), default=1e-3, help="Adam learning rate (default 1e-3)")
    g.add_argument("--batch", type=limited("batch"), default=512, help="batch size (default 512)")
    g.add_argument("--steps", type=limited("steps"), default=steps_default, help=f"training steps (default {steps_default})")
    g.add_argument("--seed", type=limited("seed"), default=0, help="random seed (default 0)")
    g.add_argument("--device", default=None, help="auto (CUDA, then MPS, then CPU), cpu, cuda, cuda:N or mps "
                   "(default auto; with --resume, the session's own device)")
    g.add_argument("--threads", type=limited("threads"), default=None, help="torch CPU threads (default: torch's choice)")
    g.add_argument("--grid", type=limited("grid"), default=64, help="field grid points per axis (default 64)")


# ----------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    """The ``scoreviz`` parser with every command's options; bad input raises :class:`CliError`."""
    p = _Parser(prog="scoreviz", description="See score-based generative models think.")
    p.add_argument("--version", action="version", version=f"scoreviz {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    sub.add_parser("list", help="densities, objectives, samplers and activations, with their parameters")

    t = sub.add_parser("train", help="train headless; write field.npz, metrics.json and the model into --out DIR")
    add_training_options(t)
    t.add_argument("--resume", default=None, metavar="FILE.scoreviz",
                   help="continue a saved session for --steps more steps (its own settings are used)")
    t.add_argument("--out", required=True, metavar="DIR", help="output folder")

    s = sub.add_parser("sample", help="sample with the true or a trained score; write the particles (.npy)")
    s.add_argument("--density", default="8gaussians", metavar="D", help="density for --score true")
    s.add_argument("--density-param", action="append", default=[], metavar="NAME=VALUE")
    s.add_argument("--score", required=True, metavar="true|DIR", help="'true' or a folder written by train --out")
    s.add_argument("--sampler", default="langevin", choices=[*SAMPLERS, *DIFFUSION_METHODS],
                   help="langevin, annealed (default langevin); reverse-sde, pf-ode, pc run a process's reverse "
                        "from its prior at t = 1 to t_eps (the true score or a model trained with --objective sde)")
    s.add_argument("--n", type=limited("n_particles"), default=10000, help="particles (default 10000)")
    s.add_argument("--steps", type=limited("steps"), default=1000,
                   help="Langevin steps; reverse-sde, pf-ode (euler, heun), pc: time steps from 1 to t_eps (default 1000)")
    s.add_argument("--step-size", type=limited("step_size"), default=None,
                   help="eps (default: langevin 0.01; annealed 0.1*sigma_min^2, so each level's step is 0.1*sigma_i^2)")
    s.add_argument("--sigma-max", type=limited("sigma_max"), default=Default(20.0),
                   help="annealed: largest sigma (default 20); with a process: ve's sigma(1) (default: the box's diagonal)")
    s.add_argument("--sigma-min", type=limited("sigma_min"), default=Default(1.0),
                   help="annealed: smallest sigma (default 1); with a process: ve's sigma(0) (default 0.01)")
    s.add_argument("--levels", type=limited("levels"), default=10, help="annealed: levels (default 10)")
    s.add_argument("--steps-per-level", type=limited("steps_per_level"), default=100, help="annealed: steps per level (default 100)")
    d = s.add_argument_group("processes (scoreviz.core.sde, scoreviz.core.diffusion)",
                             "A process is used by reverse-sde, pf-ode and pc, by a model trained with --objective sde "
                             "(its own process: other process flags are refused) and, with --score true, whenever one "
                             "of --sde, --beta-min, --beta-max, --t-eps is given (then langevin runs at t_eps and "
                             "annealed at the levels std(t_i), t_i from 1 to t_eps).")
    add_process_options(d, sigma=False)
    d.add_argument("--solver", default=None, choices=list(SOLVERS),
                   help="pf-ode: euler, heun (fixed steps) or rk45 (adaptive, --rtol, --atol; --steps unused) (default euler)")
    d.add_argument("--rtol", type=limited("rtol"), default=None, help="rk45: relative tolerance (default 1e-5)")
    d.add_argument("--atol", type=limited("atol"), default=None, help="rk45: absolute tolerance (default 1e-5)")
    d.add_argument("--snr", type=limited("snr"), default=None, help="pc: the corrector's signal-to-noise ratio r (default 0.16)")
    d.add_argument("--corrector-steps", type=limited("corrector_steps"), default=None,
                   help="pc: Langevin corrector steps per time step (default 1)")
    d.add_argument("--trajectories", default=None, metavar="FILE.npy",
                   help="reverse-sde, pf-ode, pc: also write the positions at K = min(--steps, 100) + 1 saved times, "
                        "both ends included (the prior at t = 1 first, the samples at t_eps last), as a (K, N, 2) "
                        "float32 array; fixed steps save after steps round(k steps / (K - 1)), k = 0..K-1, rk45 at K "
                        "evenly spaced times")
    s.add_argument("--init", default=None, metavar="uniform:LO,HI|gaussian:STD",
                   help="start of the particles (default uniform over the density's box)")
    s.add_argument("--seed", type=limited("seed"), default=0)
    s.add_argument("--device", default="auto")
    s.add_argument("--threads", type=limited("threads"), default=None)
    s.add_argument("--out", required=True, metavar="FILE.npy")
    s.add_argument("--report", default=None, metavar="FILE.json",
                   help="also write the scorecard of the particles against the density (as scoreviz evaluate does)")

    lk = sub.add_parser("likelihood", help="log p of exact samples by the probability-flow ODE; write "
                        "likelihood.npz and likelihood.json into --out DIR",
                        description="Draws --n exact samples of D and computes log p(x) in nats by the probability-flow "
                        "ODE (exact divergence, adaptive dopri5). It is the density at the data end of the process, "
                        "p_t_eps; true_nll_mean is -mean log p_t_eps at the same points, exact (its difference to p is "
                        "negligible: a blur of std(t_eps) ~ 0.01). With --score true the ODE ends in the exact p_1, so "
                        "log_prob equals the exact log p_t_eps to within the solver tolerance; with a model it ends in "
                        "the process's prior. Writes DIR/likelihood.npz (x, log_prob) and DIR/likelihood.json "
                        "(nll_mean, nll_std_error, true_nll_mean, nfe, seconds, ...).")
    lk.add_argument("--density", default=None, metavar="D", help="the points' density: N exact samples of it are "
                    "scored (default: with --score DIR the model's own density, with --score true 8gaussians)")
    lk.add_argument("--density-param", action="append", default=[], metavar="NAME=VALUE")
    lk.add_argument("--score", required=True, metavar="true|DIR",
                    help="'true' (the exact score: a test of the solver, with the exact p_1 as the end density) or a "
                         "folder written by train --objective sde --out (its own process, the prior as the end density)")
    add_process_options(lk.add_argument_group("process (with --score true; a model uses its own)"))
    lk.add_argument("--n", type=limited("n_particles"), default=1000, help="points (default 1000; at least 2)")
    lk.add_argument("--seed", type=limited("seed"), default=0, help="seed of the exact samples (default 0)")
    lk.add_argument("--rtol", type=limited("rtol"), default=None, help="the ODE solver's relative tolerance (default 1e-5)")
    lk.add_argument("--atol", type=limited("atol"), default=None, help="the ODE solver's absolute tolerance (default 1e-5)")
    lk.add_argument("--device", default="auto")
    lk.add_argument("--threads", type=limited("threads"), default=None)
    lk.add_argument("--out", required=True, metavar="DIR", help="output folder")

    e = sub.add_parser("evaluate", help="score samples (.npy) against the exact density; write the scorecard (.json)")
    e.add_argument("--density", required=True, metavar="D", help="the target: preset name, density .json file, "
                   "image path, or expr:EXPRESSION")
    e.add_argument("--density-param", action="append", default=[], metavar="NAME=VALUE")
    e.add_argument("--samples", required=True, metavar="FILE.npy", help="an (N, 2) float array saved by numpy.save")
    e.add_argument("--seed", type=limited("seed"), default=0, help="seed of the exact reference samples (default 0)")
    e.add_argument("--threads", type=limited("threads"), default=None, help="torch CPU threads (default: torch's choice)")
    e.add_argument("--out", required=True, metavar="FILE.json")

    i = sub.add_parser("identities", help="measure the score-matching identities of a trained model on shared "
                       "exact samples; write them with standard errors (.json)")
    i.add_argument("--density", required=True, metavar="D", help="the data density p: preset name, density .json "
                   "file, image path, or expr:EXPRESSION")
    i.add_argument("--density-param", action="append", default=[], metavar="NAME=VALUE")
    i.add_argument("--score", required=True, metavar="DIR", help="a folder written by train --out")
    i.add_argument("--sigma", type=limited("sigma"), default=None,
                   help="dsm noise level (default: the model's own when trained with dsm, else 0.1)")
    i.add_argument("--n", type=_number(int, 2, int(limits.LIMITS["n_particles"].max)), default=10000,
                   help="shared exact samples, 2..1000000 (default 10000)")
    i.add_argument("--seed", type=limited("seed"), default=0, help="seed of the samples (default 0)")
    i.add_argument("--device", default="auto")
    i.add_argument("--threads", type=limited("threads"), default=None, help="torch CPU threads (default: torch's choice)")
    i.add_argument("--out", required=True, metavar="FILE.json")

    c = sub.add_parser("compare", help="train several objectives side by side; write curves.csv, summary.json, compare.png")
    add_training_options(c)
    c.add_argument("--objectives", required=True, metavar="LIST",
                   help="2 to 8 comma-separated objectives, each optionally NAME:KEY=VALUE, e.g. esm,ism,dsm:sigma=0.5")
    c.add_argument("options", nargs="*", metavar="NAME:KEY=VALUE[,KEY=VALUE]",
                   help="per-objective options, e.g. dsm:sigma=0.5 ssm:projections=4")
    c.add_argument("--eval-every", type=limited("eval_every"), default=100, help="Fisher divergence every K steps (default 100)")
    c.add_argument("--size", type=_size, default=(1600, 1000), metavar="WxH", help="compare.png size (default 1600x1000)")
    c.add_argument("--sample", type=limited("n_particles"), default=None, metavar="N",
                   help="after training, sample N particles with each learned score (reverse SDE for objective sde, "
                        "annealed Langevin for ncsn, else 1000 Langevin steps) and add their scorecard "
                        "(kl, tv, sliced_wasserstein, mmd, mean_log_q, mode weights, as scoreviz evaluate) to summary.json")
    c.add_argument("--out", required=True, metavar="DIR")

    g = sub.add_parser("gui", help="open the app (the default with no command)")
    g.add_argument("file", nargs="?", default=None, help="a file to open")

    b = sub.add_parser("bench", help="time the app's reference scene; prints one JSON line")
    add_training_options(b)
    b.add_argument("--seconds", type=pos_float, default=10.0, help="measuring time (default 10)")
    b.add_argument("--particles", type=limited("n_particles"), default=10000, help="particles (default 10000)")

    n = sub.add_parser("snapshot", help="train headless and render the app's panels to a PNG")
    add_training_options(n, steps_default=500)
    n.add_argument("--out", required=True, metavar="FILE.png")
    n.add_argument("--size", type=_size, default=(1800, 900), metavar="WxH", help="image size (default 1800x900)")

    a = sub.add_parser("animate", help="train headless and write an MP4 or GIF of the app's panels as the model learns")
    add_training_options(a, steps_default=2000)
    a.add_argument("--frames", type=limited("frames"), default=200,
                   help="frames in the animation (default 200); frame k shows the model after round(k*N/(F-1)) steps")
    a.add_argument("--fps", type=limited("fps"), default=20, help="frames per second (default 20; a GIF at most 50)")
    a.add_argument("--size", type=_size, default=(1280, 720), metavar="WxH",
                   help="frame size (default 1280x720; an MP4 needs even sides)")
    a.add_argument("--out", required=True, metavar="FILE.mp4|FILE.gif", help="the animation (.mp4: H.264; .gif)")
    a.add_argument("--particles-only", action="store_true",
                   help="only the particles panel: the sampler alone (with --score learned on the model "
                        "trained --steps steps first; with --score true nothing is trained)")
    a.add_argument("--sampler", default="langevin", choices=list(SAMPLERS),
                   help="how the particles move (default langevin; annealed uses --sigma-max, --sigma-min, --levels)")
    a.add_argument("--score", default="learned", choices=list(SCORE_SOURCES),
                   help="the score that drives the particles (default learned)")
    a.add_argument("--particles", type=limited("n_particles"), default=10000, help="particles (default 10000)")
    a.add_argument("--step-size", type=limited("step_size"), default=None,
                   help="Langevin step size eps (default: langevin 0.01; annealed 0.1*sigma_min^2, "
                        "so each level's step is 0.1*sigma_i^2)")
    a.add_argument("--steps-per-frame", type=limited("steps_per_frame"), default=1,
                   help="sampler steps between frames (default 1, as in the window)")
    a.add_argument("--steps-per-level", type=limited("steps_per_level"), default=100,
                   help="annealed: sampler steps at each noise level (default 100)")
    a.add_argument("--init", default=None, metavar="uniform:LO,HI|gaussian:STD",
                   help="start of the particles (default uniform over the density's box)")

    ls = sub.add_parser("lesson", help="render a lesson (*.lesson.json) headless, scene by scene with its captions, "
                        "to an MP4 or GIF")
    ls.add_argument("file", metavar="FILE.lesson.json", help="the lesson (see README, Lessons)")
    ls.add_argument("--out", required=True, metavar="FILE.mp4|FILE.gif", help="the video (.mp4: H.264; .gif)")
    ls.add_argument("--lang", default="en", choices=["en", "ko"],
                    help="the titles' and captions' language (default en; ko falls back to English where a scene has none)")
    ls.add_argument("--size", type=_size, default=DEFAULT_SIZE, metavar="WxH",
                    help=f"frame size (default {DEFAULT_SIZE[0]}x{DEFAULT_SIZE[1]}; at least {MIN_SIZE[0]}x{MIN_SIZE[1]}; "
                         "an MP4 needs even sides)")
    ls.add_argument("--seconds-per-scene", type=_number(float, 0, MAX_SECONDS_PER_SCENE, lo_open=True),
                    default=DEFAULT_SECONDS_PER_SCENE, metavar="S",
                    help=f"seconds of video per scene, 0 < S <= {MAX_SECONDS_PER_SCENE:g} (default "
                         f"{DEFAULT_SECONDS_PER_SCENE:g}); a scene gets round(S*fps) frames, at least 1")
    ls.add_argument("--fps", type=limited("fps"), default=20, help="frames per second (default 20; a GIF at most 50)")
    ls.add_argument("--scenes", default=None, metavar="K|A-B",
                    help="render scene K or scenes A to B only (1-based, inclusive; default all)")
    ls.add_argument("--device", default=None, help="auto, cpu, cuda, cuda:N or mps (default: the scenes' own, auto)")
    ls.add_argument("--threads", type=limited("threads"), default=None, help="torch CPU threads (default: torch's choice)")
    return p
