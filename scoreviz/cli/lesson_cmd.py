"""``scoreviz lesson FILE --out talk.mp4|talk.gif``: a lesson (``*.lesson.json``) rendered headless, scene
by scene, with its captions, to an MP4 or a GIF (``scoreviz.gui.offscreen.lesson_render``).

Each scene is built as it names itself (its configuration and seed, or its session file), trains its
steps, then gets ``frames_per_scene(S, fps)`` frames (S = ``--seconds-per-scene``): round(S x fps),
halves up, at least 1; the file has that many frames times the number of scenes rendered
(``--scenes K`` or ``--scenes A-B`` renders some of them; the default, all).

Everything that can be checked is checked before Qt loads or a scene is built: the output (suffix,
folder, name), ``--fps`` (a GIF at most 50), ``--size`` (each side 16..8192, at least MIN_SIZE for the
captions; an MP4 needs even sides), ``--seconds-per-scene`` (0 < S <= MAX_SECONDS_PER_SCENE), ``--lang``,
the lesson (the loader's one-line LessonError), ``--scenes``, ``--device``, and the frame budget (the
frames limit of ``scoreviz.core.limits``; a GIF's pixel budget). Bad input is one line on stderr, exit 2,
and nothing written; the file is written to a temporary file beside ``--out`` and renamed into place.
"""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

from scoreviz.cli.errors import CliError
from scoreviz.cli.progress import Progress
from scoreviz.core import animation, limits
from scoreviz.core.atomic import check_file_target
from scoreviz.core.frames import FrameStore
from scoreviz.core.gif import check_gif_budget
from scoreviz.core.lesson import LANGUAGES, load_lesson

DEFAULT_SECONDS_PER_SCENE = 4.0
MAX_SECONDS_PER_SCENE = 60.0
DEFAULT_SIZE = (1280, 720)  # as scoreviz animate
MIN_SIZE = (240, 180)  # below this the caption band cannot be read


def frames_per_scene(seconds: float, fps: int) -> int:
    """Frames one scene gets: round(seconds x fps), halves rounded up, and at least 1."""
    return max(1, math.floor(float(seconds) * int(fps) + 0.5))


def scene_range(text: str | None, n: int) -> tuple[int, int]:
    """(first, last), 1-based and inclusive, from ``--scenes K`` or ``--scenes A-B`` (None: all ``n``)."""
    if text is None:
        return 1, n
    m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", text)
    if not m:
        raise CliError(f"--scenes '{text}' must be a scene number K or a range A-B, e.g. 2-4")
    a = int(m.group(1))
    b = int(m.group(2)) if m.group(2) is not None else a
    if a > b:
        raise CliError(f"--scenes '{text}': the first scene comes after the last; give A-B with A <= B")
    if not 1 <= a <= b <= n:
        raise CliError(f"--scenes '{text}' is not in this lesson; it has scenes 1..{n}")
    return a, b


def cmd_lesson(args) -> int:
    """Check everything that can be checked (module docstring), then render the scenes and write the file."""
    out = Path(args.out)
    fps = args.fps
    kind = animation.check_target(out, fps)
    check_file_target(out)  # also a name too long, refused before any scene is built
    w, h = args.size
    if w < MIN_SIZE[0] or h < MIN_SIZE[1]:
        raise CliError(f"--size {w}x{h} is too small for a lesson's captions; at least {MIN_SIZE[0]}x{MIN_SIZE[1]}")
    if kind == "mp4" and (w % 2 or h % 2):
        raise CliError(f"--size {w}x{h}: an MP4 needs an even width and height, e.g. {w + w % 2}x{h + h % 2}")
    seconds = args.seconds_per_scene
    if not (isinstance(seconds, (int, float)) and math.isfinite(seconds) and 0 < seconds <= MAX_SECONDS_PER_SCENE):
        raise CliError(f"--seconds-per-scene {seconds} is out of range; allowed > 0 and <= {MAX_SECONDS_PER_SCENE:g}")
    if args.lang not in LANGUAGES:
        raise CliError(f"--lang '{args.lang}' is not known; use one of {', '.join(LANGUAGES)}")
    lesson = load_lesson(args.file)
    first, last = scene_range(args.scenes, len(lesson.scenes))
    scenes = lesson.scenes[first - 1:last]
    if args.device:  # the device's name, checked as a session's is (its availability when the scene is built)
        dataclasses.replace(scenes[0].config, device=args.device)
    per_scene = frames_per_scene(seconds, fps)
    total = per_scene * len(scenes)
    most = int(limits.LIMITS["frames"].max)
    if total > most:
        raise CliError(f"{len(scenes)} scenes of {seconds:g} s at {fps} fps make {total:,} frames; at most {most:,} "
                       "(lower --seconds-per-scene or --fps, or render fewer --scenes)")
    if kind == "gif":
        check_gif_budget(total, w, h)
    from scoreviz.gui.offscreen.lesson_render import LessonFrames  # lazy: Qt loads only once the input is checked

    frames = LessonFrames(lesson, scenes, (w, h), per_scene, lang=args.lang, device=args.device,
                          threads=args.threads, bar=Progress)
    p = None
    try:
        if kind == "mp4":  # encoded as the frames are drawn
            animation.write_animation(out, frames, fps)
        else:
            store = FrameStore()
            for frame in frames:
                store.append(frame)
            p = Progress(total, "gif")
            animation.write_animation(out, store, fps, progress=lambda done, n: p.update(done))
    finally:
        if p is not None:
            p.close()
        frames.close()
    print(out)
    return 0
