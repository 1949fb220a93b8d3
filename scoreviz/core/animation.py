"""Animations: RGB frames written as an MP4 (H.264) or a GIF with one shared palette, and read back.

    write_animation(path, frames, fps, progress=None, cancel=None) -> AnimationInfo
    read_animation_info(path) -> AnimationInfo(n_frames, width, height, fps)
    check_target(path, fps) -> "mp4" | "gif"      the checks write_animation makes before any work
    FrameStore()                                   frames kept in memory, zlib-compressed, random access
    Cancelled                                      raised when ``cancel()`` said so

Frames are (H, W, 3) uint8 RGB arrays, all of one size (each side 16..8192 pixels), given as a
sequence or any iterable with a length. The format follows the suffix of ``path``:

- ``.mp4``: H.264 (libx264, the ffmpeg of ``imageio-ffmpeg``), yuv420p with BT.709 colours, CRF 20,
  ``+faststart`` (plays in browsers and slide decks). 4:2:0 needs an even width and height: an odd
  side gets one black pixel column / row on the right / bottom.
- ``.gif``: GIF89a that loops forever, with ONE global colour table of 256 colours computed from up
  to 16 frames spread over the animation (Pillow's fast octree) and every frame mapped to it without
  dithering (no flicker, no local colour tables). Each frame stores only the rectangle that changed
  since the previous one, so the file has exactly one image per frame. GIF delays are whole
  hundredths of a second: they alternate (30 fps: 3, 3, 4, 3, 3, 4 ... cs) so the average rate is
  the requested one; GIF is limited to 50 fps (players slow shorter delays down to 10 fps).

``progress(done, total)`` is called after every frame written; ``cancel()`` is polled before every
frame and aborts with :class:`Cancelled`. The file is written to a temporary file beside ``path``
and renamed into place (scoreviz.core.atomic): a refused, failed or cancelled write leaves no file
behind and an earlier file at ``path`` as it was.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

import numpy as np

from scoreviz.core import limits
from scoreviz.core.atomic import atomic_path, file_kind
from scoreviz.core.errors import ScorevizError
from scoreviz.core.frames import (STORE_LEVEL, AnimationInfo, CancelFn, Cancelled, FrameStore, ProgressFn,
                                  check_cancel, check_frame, even_size)
from scoreviz.core.gif import (GIF_MAX_FPS, GIF_MAX_PIXELS, GIF_PALETTE_FRAMES, GIF_PALETTE_PIXELS, check_gif_budget,
                               gif_delays, gif_palette, read_gif, write_gif)
from scoreviz.core.mp4 import MP4_CRF, MP4_PRESET, read_mp4, write_mp4

__all__ = [  # the public face: the checks and constants of every format are importable from here
    "SUFFIXES", "GIF_MAX_FPS", "GIF_PALETTE_FRAMES", "GIF_PALETTE_PIXELS", "GIF_MAX_PIXELS", "MP4_CRF", "MP4_PRESET",
    "STORE_LEVEL", "ProgressFn", "CancelFn", "Cancelled", "AnimationInfo", "animation_kind", "check_fps",
    "check_target", "check_gif_budget", "check_frame", "even_size", "FrameStore", "write_animation", "gif_delays",
    "gif_palette", "read_animation_info", "frames_of",
]

SUFFIXES = {".mp4": "mp4", ".gif": "gif"}


# ============================================================================ checks
def animation_kind(path) -> str:
    """"mp4" or "gif" from the suffix of ``path``; else ScorevizError."""
    suffix = Path(os.fspath(path)).suffix.lower()
    if suffix not in SUFFIXES:
        shown = suffix or "no suffix"
        raise ScorevizError(f"animation file '{os.fspath(path)}' has {shown}; use .mp4 or .gif")
    return SUFFIXES[suffix]


def check_fps(fps, kind: str) -> int:
    """The frame rate as an int (limits' "fps"; GIF at most 50)."""
    if isinstance(fps, float) and fps.is_integer():
        fps = int(fps)
    fps = limits.check("fps", fps)
    if kind == "gif" and fps > GIF_MAX_FPS:
        raise ScorevizError(f"fps={fps} is too fast for a GIF; allowed 1..{GIF_MAX_FPS} (or write an .mp4)")
    return fps


def check_target(path, fps) -> str:
    """Everything about ``path`` and ``fps`` that can be checked before writing: the suffix, the
    frame rate, the folder (exists, is a folder, writable), and that ``path`` is not a folder.
    Returns "mp4" or "gif"; ScorevizError (one line) otherwise."""
    try:
        text = os.fspath(path)
    except TypeError:
        raise ScorevizError(f"animation path {limits.show(path)} must be a file name") from None
    kind = animation_kind(text)
    check_fps(fps, kind)
    p = Path(text)
    folder = p.parent if str(p.parent) else Path(".")
    kind_of_folder = file_kind(folder)
    if kind_of_folder == "missing":
        raise ScorevizError(f"cannot write '{text}': folder '{folder}' does not exist")
    if kind_of_folder != "folder":
        raise ScorevizError(f"cannot write '{text}': '{folder}' is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ScorevizError(f"cannot write '{text}': folder '{folder}' is not writable")
    if file_kind(p) == "folder":
        raise ScorevizError(f"cannot write '{text}': it is a folder")
    return kind


# ============================================================================ writing
def write_animation(path, frames, fps, progress: ProgressFn | None = None,
                    cancel: CancelFn | None = None) -> AnimationInfo:
    """Write ``frames`` to ``path`` (.mp4 or .gif) at ``fps`` frames per second; returns what was written.

    ScorevizError for bad input (suffix, frame rate, folder, frames), Cancelled when ``cancel()``
    said so; in every such case nothing is left behind.
    """
    kind = check_target(path, fps)
    fps = check_fps(fps, kind)
    try:
        n = len(frames)
    except TypeError:
        raise ScorevizError("frames must be a sequence, or an iterable with a length") from None
    if n == 0:
        raise ScorevizError(f"cannot write '{os.fspath(path)}': there are no frames")
    limits.check("frames", n)
    progress = progress or (lambda done, total: None)
    cancel = cancel or (lambda: False)
    with atomic_path(path) as tmp:
        if kind == "mp4":
            info = write_mp4(os.fspath(path), tmp, frames, n, fps, progress, cancel)
        else:
            if not hasattr(frames, "__getitem__"):  # the palette needs frames from all over the animation
                store = FrameStore()
                for k, f in enumerate(frames):
                    check_cancel(cancel, path)
                    store.append(check_frame(f, k))
                frames = store
                if len(frames) != n:
                    raise ScorevizError(f"frames: got {len(frames)} frames, expected {n}")
            info = write_gif(tmp, frames, n, fps, progress, cancel, path)
    return info


# ============================================================================ reading
def read_animation_info(path) -> AnimationInfo:
    """(n_frames, width, height, fps) of an MP4 or GIF file; ScorevizError when it is not one."""
    text = os.fspath(path)
    kind = animation_kind(text)
    what = file_kind(text)
    if what != "file":
        raise ScorevizError(f"cannot read '{text}': {'it does not exist' if what == 'missing' else 'not a file'}")
    if kind == "gif":
        return read_gif(text)
    return read_mp4(text)


def frames_of(path) -> Iterable[np.ndarray]:
    """The frames of an MP4 or GIF as (H, W, 3) uint8 arrays (for checks and tests)."""
    text = os.fspath(path)
    kind = animation_kind(text)
    if kind == "gif":
        from PIL import Image, ImageSequence  # lazy: Pillow loads only to read a GIF

        with Image.open(text) as im:
            for fr in ImageSequence.Iterator(im):
                yield np.asarray(fr.convert("RGB"))
        return
    import imageio_ffmpeg  # lazy: loads only to read an MP4

    gen = imageio_ffmpeg.read_frames(text)
    try:
        meta = next(gen)
        w, h = meta["size"]
        for raw in gen:
            yield np.frombuffer(raw, np.uint8).reshape(h, w, 3)
    finally:
        gen.close()
