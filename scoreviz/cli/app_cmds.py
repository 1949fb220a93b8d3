"""The commands that open the app or render with it: ``scoreviz gui`` (the default), ``scoreviz bench``
(the reference scene, timed) and ``scoreviz snapshot`` (the panels after training, as a PNG).
Each imports the GUI lazily, so the headless commands never load Qt."""

from __future__ import annotations

from scoreviz.cli.config import session_config_from_args
from scoreviz.core.atomic import check_file_target


def cmd_gui(args) -> int:
    from scoreviz.gui.app import main as gui_main  # lazy: headless commands never load Qt

    return gui_main(None, threads=1, path=args.file)  # the defaults; the dock changes them


def cmd_bench(args) -> int:
    from scoreviz.gui.bench import main as bench_main  # lazy: headless commands never load Qt

    return bench_main(session_config_from_args(args), threads=args.threads or 1, seconds=args.seconds,
                      particles=args.particles)


def cmd_snapshot(args) -> int:
    out = args.out if args.out.lower().endswith(".png") else args.out + ".png"  # the renderer adds it too
    check_file_target(out)  # a folder in the way, a name too long ...: refused before training
    from scoreviz.gui.offscreen.snapshot_render import main as snapshot_main  # lazy: never Qt for headless commands

    return snapshot_main(session_config_from_args(args), steps=args.steps, size=args.size, out=args.out,
                         threads=args.threads or None)
