"""The argument parser of every command: :func:`build_parser`, the training options several
commands share (:func:`add_training_options`) and the value types that check numbers against the
core's one table of limits. Choice lists come from the core's registries."""

from __future__ import annotations

import argparse
import math

from scoreviz import __version__
from scoreviz.cli.errors import CliError
from scoreviz.core import limits
from scoreviz.core.models import ACTIVATIONS, PARAMETRIZATIONS
from scoreviz.core.objectives import OBJECTIVES, PROJECTIONS
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
def add_training_options(p: argparse.ArgumentParser, steps_default: int = 2000) -> None:
    """Options shared by train, bench, snapshot (and later commands): density, objective, model, optimiser."""
    g = p.add_argument_group("training options")
    g.add_argument("--density", default="8gaussians", metavar="D",
                   help="preset name, density .json file, image path, or expr:EXPRESSION (default 8gaussians)")
    g.add_argument("--density-param", action="append", default=[], metavar="NAME=VALUE",
                   help="a preset parameter, e.g. --density-param noise=0.2 (repeatable; see 'scoreviz list')")
    g.add_argument("--objective", default="dsm", choices=sorted(OBJECTIVES), help="objective (default dsm)")
    g.add_argument("--sigma", type=limited("sigma"), default=0.1, help="dsm noise level (default 0.1)")
    g.add_argument("--sigma-max", type=limited("sigma_max"), default=1.0, help="ncsn largest noise level (default 1)")
    g.add_argument("--sigma-min", type=limited("sigma_min"), default=0.01, help="ncsn smallest noise level (default 0.01)")
    g.add_argument("--levels", type=limited("levels"), default=10, help="ncsn number of noise levels (default 10)")
    g.add_argument("--projections", type=limited("projections"), default=1, help="ssm/ssm-vr projections per sample (default 1)")
    g.add_argument("--projection", default="gaussian", choices=list(PROJECTIONS),
                   help="ssm/ssm-vr projection distribution (default gaussian)")
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
    s.add_argument("--sampler", default="langevin", choices=list(SAMPLERS))
    s.add_argument("--n", type=limited("n_particles"), default=10000, help="particles (default 10000)")
    s.add_argument("--steps", type=limited("steps"), default=1000, help="Langevin steps (default 1000)")
    s.add_argument("--step-size", type=limited("step_size"), default=None,
                   help="eps (default: langevin 0.01; annealed 0.1*sigma_min^2, so each level's step is 0.1*sigma_i^2)")
    s.add_argument("--sigma-max", type=limited("sigma_max"), default=20.0, help="annealed: largest sigma (default 20)")
    s.add_argument("--sigma-min", type=limited("sigma_min"), default=1.0, help="annealed: smallest sigma (default 1)")
    s.add_argument("--levels", type=limited("levels"), default=10, help="annealed: levels (default 10)")
    s.add_argument("--steps-per-level", type=limited("steps_per_level"), default=100, help="annealed: steps per level (default 100)")
    s.add_argument("--init", default=None, metavar="uniform:LO,HI|gaussian:STD",
                   help="start of the particles (default uniform over the density's box)")
    s.add_argument("--seed", type=limited("seed"), default=0)
    s.add_argument("--device", default="auto")
    s.add_argument("--threads", type=limited("threads"), default=None)
    s.add_argument("--out", required=True, metavar="FILE.npy")

    c = sub.add_parser("compare", help="train several objectives side by side; write curves.csv, summary.json, compare.png")
    add_training_options(c)
    c.add_argument("--objectives", required=True, metavar="LIST",
                   help="2 to 8 comma-separated objectives, each optionally NAME:KEY=VALUE, e.g. esm,ism,dsm:sigma=0.5")
    c.add_argument("options", nargs="*", metavar="NAME:KEY=VALUE[,KEY=VALUE]",
                   help="per-objective options, e.g. dsm:sigma=0.5 ssm:projections=4")
    c.add_argument("--eval-every", type=limited("eval_every"), default=100, help="Fisher divergence every K steps (default 100)")
    c.add_argument("--size", type=_size, default=(1600, 1000), metavar="WxH", help="compare.png size (default 1600x1000)")
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
    return p
