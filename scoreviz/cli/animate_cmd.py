"""``scoreviz animate``: trains headless and writes an MP4 or a GIF of the app's panels as the
model learns (or, with ``--particles-only``, of the sampler alone)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from scoreviz.cli.config import session_config_from_args
from scoreviz.cli.errors import CliError
from scoreviz.cli.progress import Progress
from scoreviz.core import animation, samplers
from scoreviz.core.atomic import check_file_target
from scoreviz.core.frames import FrameStore
from scoreviz.core.gif import check_gif_budget
from scoreviz.core.session import SamplerConfig


def cmd_animate(args) -> int:
    """Checks everything that can be checked before the session is built or a file is touched; then
    renders the frames (an MP4 is encoded as they come; a GIF after all of them, for its palette)."""
    out = Path(args.out)
    kind = animation.check_target(out, args.fps)
    check_file_target(out)  # also a name too long, refused before training
    w, h = args.size
    if kind == "mp4" and (w % 2 or h % 2):
        raise CliError(f"--size {w}x{h}: an MP4 needs an even width and height, e.g. {w + w % 2}x{h + h % 2}")
    if kind == "gif":
        check_gif_budget(args.frames, w, h)
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
    from scoreviz.gui.offscreen.animate_render import AnimationFrames  # lazy: Qt loads only once the input is checked

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
            store = FrameStore()
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
