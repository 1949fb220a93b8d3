"""The ``scoreviz`` command line.

``scoreviz``            opens the app (also ``scoreviz gui``)
``scoreviz list``       densities, objectives, samplers, activations, with their parameters
``scoreviz train``      trains headless and writes field.npz, metrics.json and the model
``scoreviz sample``     runs a sampler with the true or a trained score, writes particles (.npy)
``scoreviz bench``      the app's reference scene, timed (opens the real window, offscreen if needed)
``scoreviz snapshot``   trains headless, renders the app's panels to a PNG
``scoreviz animate``    trains headless, writes an MP4 or GIF of the app's panels as it learns

Bad input exits with code 2 and one line on stderr; a diverged training run exits with code 3.
The GUI is imported lazily, only for the commands that need it.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import time
from pathlib import Path

EXIT_BAD_INPUT = 2
EXIT_DIVERGED = 3


class CliError(Exception):
    """Bad command-line input: one line for stderr, exit code 2."""


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
    from scoreviz.core import limits

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
    from scoreviz.core import limits

    lo, hi = limits.bounds("image_side")
    if not (lo <= w <= hi and lo <= h <= hi):
        raise argparse.ArgumentTypeError(f"size '{text}' is out of range; each side {lo}..{hi} pixels")
    return w, h


# ----------------------------------------------------------------------------- shared options
def add_training_options(p: argparse.ArgumentParser, steps_default: int = 2000) -> None:
    """Options shared by train, bench, snapshot (and later commands): density, objective, model, optimiser."""
    from scoreviz.core.models import ACTIVATIONS
    from scoreviz.core.objectives import OBJECTIVES

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
    g.add_argument("--projection", default="gaussian", choices=["gaussian", "rademacher", "sphere"],
                   help="ssm/ssm-vr projection distribution (default gaussian)")
    g.add_argument("--hidden", type=limited("hidden"), default=128, help="hidden width (default 128)")
    g.add_argument("--layers", type=limited("layers"), default=3, help="hidden layers (default 3)")
    g.add_argument("--activation", default="silu", choices=list(ACTIVATIONS), help="activation (default silu)")
    g.add_argument("--parametrization", default="vector", choices=["vector", "energy"],
                   help="vector: the net outputs the score; energy: score = -grad E (default vector)")
    g.add_argument("--lr", type=limited("lr"), default=1e-3, help="Adam learning rate (default 1e-3)")
    g.add_argument("--batch", type=limited("batch"), default=512, help="batch size (default 512)")
    g.add_argument("--steps", type=limited("steps"), default=steps_default, help=f"training steps (default {steps_default})")
    g.add_argument("--seed", type=limited("seed"), default=0, help="random seed (default 0)")
    g.add_argument("--device", default="auto", help="auto (CUDA, then MPS, then CPU), cpu, cuda, cuda:N or mps")
    g.add_argument("--threads", type=limited("threads"), default=None, help="torch CPU threads (default: torch's choice)")
    g.add_argument("--grid", type=limited("grid"), default=64, help="field grid points per axis (default 64)")


def _density_params(items: list[str]) -> dict:
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
    """The SessionConfig described by the training options in ``args``."""
    from scoreviz.core.models import ModelConfig
    from scoreviz.core.objectives import ObjectiveConfig
    from scoreviz.core.session import SessionConfig

    objective = ObjectiveConfig(name=args.objective, sigma=args.sigma, sigma_max=args.sigma_max,
                                sigma_min=args.sigma_min, levels=args.levels, projections=args.projections,
                                projection=args.projection)
    model = ModelConfig(hidden=args.hidden, layers=args.layers, activation=args.activation,
                        parametrization=args.parametrization, noise_conditional=args.objective == "ncsn")
    return SessionConfig(density=args.density, density_params=_density_params(args.density_param),
                         objective=objective, model=model, lr=args.lr, batch=args.batch, seed=args.seed,
                         device=args.device, threads=args.threads, grid=args.grid)


# ----------------------------------------------------------------------------- progress
class Progress:
    """A one-line progress bar on stderr; silent when stderr is not a terminal."""

    def __init__(self, total: int, label: str):
        self.total, self.label = total, label
        self.enabled = sys.stderr.isatty()
        self.t0 = time.perf_counter()
        self.last = 0.0

    def update(self, done: int, extra: str = "") -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last < 0.1 and done < self.total:
            return
        self.last = now
        frac = done / max(self.total, 1)
        bar = "#" * int(30 * frac)
        rate = done / max(now - self.t0, 1e-9)
        sys.stderr.write(f"\r{self.label} [{bar:<30}] {done}/{self.total} {rate:,.0f}/s {extra}   ")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


# ----------------------------------------------------------------------------- commands
def cmd_list(args) -> int:
    from scoreviz.core.densities import PRESETS
    from scoreviz.core.models import ACTIVATIONS
    from scoreviz.core.objectives import OBJECTIVE_INFO

    from scoreviz.core.expressions import CONSTANTS, EXPRESSION_PARAMS, FUNCTIONS
    from scoreviz.core.images import IMAGE_PARAMS

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


def _prepare_out_dir(path: str) -> tuple[Path, bool]:
    """Create the output folder if needed; returns (folder, created). Refuses a file in the way."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise CliError(f"--out '{path}' is a file; give a folder")
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise CliError(f"--out '{path}' cannot be created: {e.strerror or e}") from None
    probe = folder / ".scoreviz-write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise CliError(f"--out '{path}' is not writable: {e.strerror or e}") from None
    return folder, created


def cmd_train(args) -> int:
    import json

    import torch

    from scoreviz.core.atomic import write_bytes, write_text
    from scoreviz.core.export import field_arrays, model_bytes, model_info, npz_bytes
    from scoreviz.core.session import Session
    from scoreviz.core.session_file import load_session, session_bytes

    if args.resume:
        session, _view = load_session(args.resume)
        if args.threads:
            torch.set_num_threads(args.threads)
        cfg = session.cfg
        density_label = args.resume
    else:
        cfg = session_config_from_args(args)
        session = Session(cfg)
        density_label = args.density
    start_step = session.step_count
    folder, created = _prepare_out_dir(args.out)
    progress = Progress(args.steps, "train")
    t0 = time.perf_counter()
    try:
        session.train(args.steps, callback=lambda s: progress.update(s.step_count - start_step,
                                                                    f"loss {s.loss_history[-1]:.4g}"))
        seconds = time.perf_counter() - t0
        progress.close()
        fields = field_arrays(session)
        f, rel = session.fisher(10000)
        archive = session_bytes(session)
    except BaseException:
        progress.close()
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    metrics = {
        "density": density_label,
        "objective": cfg.objective.name,
        "steps": session.step_count,
        "steps_this_run": session.step_count - start_step,
        "seed": cfg.seed,
        "device": str(session.device),
        "seconds": seconds,
        "steps_per_second": (session.step_count - start_step) / seconds if seconds > 0 else None,
        "final_loss": session.loss_history[-1],
        "fisher_divergence": f,
        "relative_fisher_divergence": rel,
        "sigma": session.target_sigma,
        "config": cfg.to_dict(),
        "loss_history": list(session.loss_history),
    }
    # everything is computed before the first byte is written; each file lands atomically
    write_bytes(folder / "field.npz", npz_bytes(fields))
    write_bytes(folder / "model.pt", model_bytes(session.model))
    write_text(folder / "model.json", json.dumps(model_info(session), indent=2) + "\n")
    write_text(folder / "metrics.json", json.dumps(metrics, indent=2) + "\n")
    write_bytes(folder / "session.scoreviz", archive)
    print(f"trained {session.step_count - start_step} steps in {seconds:.1f} s ({metrics['steps_per_second']:.0f} steps/s) on "
          f"{session.device}; loss {metrics['final_loss']:.4g}, relative Fisher divergence {rel:.4g}; wrote {folder}/")
    return 0


def cmd_sample(args) -> int:
    import numpy as np
    import torch

    from scoreviz.core import samplers
    from scoreviz.core.atomic import write_with
    from scoreviz.core.densities import load_density
    from scoreviz.core.export import load_model
    from scoreviz.core.session import resolve_device

    out = Path(args.out)
    if out.suffix.lower() != ".npy":
        raise CliError(f"--out '{args.out}' must end in .npy")
    if not out.parent.exists() if str(out.parent) else False:
        raise CliError(f"--out '{args.out}': folder '{out.parent}' does not exist")
    device = resolve_device(args.device)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.sigma_max <= args.sigma_min:
        raise CliError(f"--sigma-max {args.sigma_max} must be greater than --sigma-min {args.sigma_min}")
    gen = torch.Generator(device=device).manual_seed(args.seed)
    init = args.init
    if args.score == "true":
        density = load_density(args.density, **_density_params(args.density_param))
        if init is None:
            xmin, xmax, ymin, ymax = density.box
            init = f"uniform:{min(xmin, ymin)},{max(xmax, ymax)}"
        cache = {}

        def score(x, sigma=None):
            if not sigma:
                return density.score(x)
            if sigma not in cache:
                cache[sigma] = density.perturbed(sigma)
            return cache[sigma].score(x)
    else:
        model, info = load_model(args.score, device)
        nc = bool(info["model"].get("noise_conditional"))
        refusal = samplers.annealed_refusal("learned", nc) if args.sampler == "annealed" else None
        if refusal:
            raise CliError(f"--sampler annealed with --score {args.score}: {refusal}")
        trained_sigma = float(info.get("sigma") or 0.0)
        if init is None:
            box = info.get("density", {}).get("box") or [-4, 4, -4, 4]
            init = f"uniform:{min(box[0], box[2])},{max(box[1], box[3])}"

        def score(x, sigma=None):
            if nc:
                return model.score(x, sigma if sigma else trained_sigma)
            return model.score(x)
    sig = samplers.geometric_sigmas(args.sigma_max, args.sigma_min, args.levels)
    step_size = args.step_size if args.step_size is not None else samplers.default_step_size(args.sampler, sig)
    x = samplers.initial_particles(args.n, init, gen, device)
    if args.sampler == "langevin":
        progress = Progress(args.steps, "langevin")
        x = samplers.langevin(x, lambda z: score(z), step_size, args.steps, gen,
                              callback=lambda k, _x, *_: progress.update(k))
    else:
        total = args.levels * args.steps_per_level
        progress = Progress(total, "annealed")
        x = samplers.annealed_langevin(x, score, sig, step_size, args.steps_per_level, gen,
                                       callback=lambda k, _x, *_: progress.update(k))
    progress.close()
    arr = x.detach().float().cpu().numpy()
    if not np.isfinite(arr).all():
        raise CliError(f"sampling diverged (non-finite particles); lower --step-size (was {step_size:g})")
    write_with(out, lambda tmp: np.save(tmp, arr, allow_pickle=False))
    print(f"wrote {arr.shape[0]} particles to {out}")
    return 0


def cmd_compare(args) -> int:
    import json

    from scoreviz.core.atomic import write_text
    from scoreviz.core.compare import Comparison, curves_csv_text, parse_objectives

    base = session_config_from_args(args)
    objectives = parse_objectives(args.objectives, args.options, base=base.objective)
    if args.eval_every > args.steps:
        raise CliError(f"--eval-every {args.eval_every} is larger than --steps {args.steps}")
    comparison = Comparison(base, objectives)
    folder, created = _prepare_out_dir(args.out)
    progress = Progress(args.steps, "compare")
    try:
        comparison.evaluate()
        for k in range(1, args.steps + 1):
            comparison.step()
            if k % args.eval_every == 0 or k == args.steps:
                comparison.evaluate()
            progress.update(k)
        progress.close()
        from scoreviz.gui.views.compare_figure import render_compare_png

        png = render_compare_png(comparison, args.size)
    except BaseException:
        progress.close()
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    from scoreviz.core.atomic import write_bytes

    summary = {"density": args.density, "steps": args.steps, "seed": base.seed,
               "device": str(comparison.sessions[0].device), "configurations": comparison.summary()}
    write_text(folder / "curves.csv", curves_csv_text(comparison.curves))
    write_text(folder / "summary.json", json.dumps(summary, indent=2) + "\n")
    write_bytes(folder / "compare.png", png)
    for lab, row in summary["configurations"].items():
        print(f"{lab:28s} relative Fisher {row['relative_fisher_divergence']:.4g}  "
              f"loss {row['final_loss']:.4g}  {row['steps_per_second'] or 0:.0f} steps/s")
    print(f"wrote {folder}/curves.csv, summary.json, compare.png")
    return 0


def cmd_gui(args) -> int:
    from scoreviz.gui.app import main as gui_main  # lazy: headless commands never load Qt

    return gui_main(None, threads=1, path=args.file)  # the defaults; the dock changes them


def cmd_bench(args) -> int:
    from scoreviz.gui.bench import main as bench_main  # lazy: headless commands never load Qt

    return bench_main(session_config_from_args(args), threads=args.threads or 1, seconds=args.seconds,
                      particles=args.particles)


def cmd_snapshot(args) -> int:
    from scoreviz.gui.offscreen.snapshot_render import main as snapshot_main  # lazy: never Qt for headless commands

    return snapshot_main(session_config_from_args(args), steps=args.steps, size=args.size, out=args.out,
                         threads=args.threads or None)


def cmd_animate(args) -> int:
    """Checks everything that can be checked before the session is built or a file is touched; then
    renders the frames (an MP4 is encoded as they come; a GIF after all of them, for its palette)."""
    from dataclasses import replace

    from scoreviz.core import animation
    from scoreviz.core.session import SamplerConfig

    out = Path(args.out)
    kind = animation.check_target(out, args.fps)
    w, h = args.size
    if kind == "mp4" and (w % 2 or h % 2):
        raise CliError(f"--size {w}x{h}: an MP4 needs an even width and height, e.g. {w + w % 2}x{h + h % 2}")
    if kind == "gif":
        animation.check_gif_budget(args.frames, w, h)
    from scoreviz.core import samplers

    if args.sampler == "annealed":
        refusal = samplers.annealed_refusal(args.score, args.objective == "ncsn")
        if refusal:
            raise CliError(f"--sampler annealed with --score {args.score} and --objective {args.objective}: {refusal}")
    step_size = args.step_size
    if step_size is None:  # the default suits the sampler's sigma schedule (see default_step_size)
        sig = samplers.geometric_sigmas(args.sigma_max, args.sigma_min, args.levels) if args.sampler == "annealed" else None
        step_size = samplers.default_step_size(args.sampler, sig)
    sampler = SamplerConfig(sampler=args.sampler, n_particles=args.particles, step_size=step_size,
                            steps_per_frame=args.steps_per_frame, score_source=args.score, init=args.init,
                            sigma_max=args.sigma_max, sigma_min=args.sigma_min, levels=args.levels,
                            steps_per_level=args.steps_per_level)
    cfg = replace(session_config_from_args(args), sampler=sampler)
    from scoreviz.gui.offscreen.animate_render import AnimationFrames

    try:
        frames = AnimationFrames(cfg, args.steps, args.frames, (w, h), particles_only=args.particles_only,
                                 threads=args.threads)
    except RuntimeError as e:
        raise CliError(str(e)) from None
    p = None
    try:
        first = frames.steps_before_frames()
        if first:
            p = Progress(first, "train")
            frames.train_first(callback=lambda s: p.update(s.step_count, f"loss {s.loss_history[-1]:.4g}"))
            p.close()
        if kind == "mp4":  # encoded as the frames are drawn
            p = Progress(args.frames, "frames")
            animation.write_animation(out, frames, args.fps, progress=lambda done, total: p.update(done))
        else:
            store = animation.FrameStore()
            p = Progress(args.frames, "frames")
            for k, frame in enumerate(frames, 1):
                store.append(frame)
                p.update(k)
            p.close()
            p = Progress(args.frames, "gif")
            animation.write_animation(out, store, args.fps, progress=lambda done, total: p.update(done))
    finally:
        if p is not None:
            p.close()  # the last bar (also one cut short by an error)
        frames.close()
    print(out)
    return 0


# ----------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    from scoreviz import __version__

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
    s.add_argument("--sampler", default="langevin", choices=["langevin", "annealed"])
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
    a.add_argument("--sampler", default="langevin", choices=["langevin", "annealed"],
                   help="how the particles move (default langevin; annealed uses --sigma-max, --sigma-min, --levels)")
    a.add_argument("--score", default="learned", choices=["learned", "true"],
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


COMMANDS = {"list": cmd_list, "train": cmd_train, "sample": cmd_sample, "compare": cmd_compare, "gui": cmd_gui,
            "bench": cmd_bench, "snapshot": cmd_snapshot, "animate": cmd_animate}


def main(argv: list[str] | None = None) -> int:
    from scoreviz.core.errors import DivergedError, ScorevizError

    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or (len(argv) == 1 and not argv[0].startswith("-") and argv[0] not in COMMANDS):
        argv = ["gui", *argv]
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            args = build_parser().parse_args(["gui"])
        return COMMANDS[args.command](args)
    except (CliError, ScorevizError) as e:
        print(f"scoreviz: error: {str(e).splitlines()[0]}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except DivergedError as e:
        print(f"scoreviz: error: {e}", file=sys.stderr)
        return EXIT_DIVERGED
    except KeyboardInterrupt:
        print("scoreviz: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
