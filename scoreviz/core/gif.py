"""GIF files: GIF89a with one shared 256-colour palette and per-frame changed rectangles, and read back.

``write_gif`` computes one global colour table from up to ``GIF_PALETTE_FRAMES`` frames spread over
the animation, maps every frame to it without dithering and stores only the rectangle that changed;
``gif_delays`` spreads whole-hundredth delays so the average rate is the requested one;
``check_gif_budget`` refuses GIFs too large to keep in memory; ``read_gif`` reports a GIF's frames,
size and rate. ``scoreviz.core.animation`` is the public face.
"""

from __future__ import annotations

import math
import struct

import numpy as np

from scoreviz.core.errors import ScorevizError
from scoreviz.core.frames import AnimationInfo, CancelFn, ProgressFn, check_cancel, check_frame, first_line

GIF_MAX_FPS = 50
GIF_PALETTE_FRAMES = 16  # frames sampled (evenly spread) for the shared palette
GIF_PALETTE_PIXELS = 131_072  # pixels taken from each sampled frame (a regular stride)
GIF_MAX_PIXELS = 1_000_000_000  # frames x width x height of a GIF made from frames rendered on the fly


def check_gif_budget(n_frames: int, width: int, height: int) -> None:
    """A GIF made from frames rendered on the fly keeps them (compressed) in memory until its palette
    is known: refuse more than GIF_MAX_PIXELS pixels in all."""
    total = int(n_frames) * int(width) * int(height)
    if total > GIF_MAX_PIXELS:
        raise ScorevizError(f"a GIF of {n_frames} frames at {width}x{height} is too large "
                            f"({total / 1e9:.1f} gigapixels; at most {GIF_MAX_PIXELS / 1e9:.1f}): "
                            "write an .mp4, or use fewer frames or a smaller size")


def gif_delays(n: int, fps: int) -> list[int]:
    """Per-frame delays in hundredths of a second whose running sum stays nearest to k / fps seconds."""
    t = [(200 * k + fps) // (2 * fps) for k in range(n + 1)]  # round(100 k / fps), halves up
    return [b - a for a, b in zip(t, t[1:])]


def gif_palette(samples: list[np.ndarray]):
    """A "P" image whose 256-colour palette is computed from ``samples`` (Pillow's fast octree)."""
    from PIL import Image  # lazy: Pillow loads only when a GIF is made, not with scoreviz.core

    parts = []
    for f in samples:
        h, w = f.shape[:2]
        stride = max(1, math.ceil(math.sqrt(h * w / GIF_PALETTE_PIXELS)))
        parts.append(f[::stride, ::stride])
    width = max(p.shape[1] for p in parts)
    stacked = np.concatenate([np.pad(p, ((0, 0), (0, width - p.shape[1]), (0, 0)), mode="edge") for p in parts])
    return Image.fromarray(np.ascontiguousarray(stacked)).quantize(256, method=Image.Quantize.FASTOCTREE)


def _palette_bytes(pal_image) -> bytes:
    pal = bytes(pal_image.getpalette("RGB") or [])[: 256 * 3]
    return pal + bytes(256 * 3 - len(pal))


def write_gif(tmp, frames, n: int, fps: int, progress: ProgressFn, cancel: CancelFn, target) -> AnimationInfo:
    from PIL import GifImagePlugin, Image  # lazy: as in gif_palette

    check_cancel(cancel, target)
    first = check_frame(frames[0], 0)
    shape = first.shape
    h, w = shape[:2]
    picks = sorted({int(round(i)) for i in np.linspace(0, n - 1, min(n, GIF_PALETTE_FRAMES))})
    samples = [first if i == 0 else check_frame(frames[i], i, shape) for i in picks]
    pal_image = gif_palette(samples)
    del samples
    delays = gif_delays(n, fps)
    with open(tmp, "wb") as fh:
        fh.write(b"GIF89a" + struct.pack("<HH", w, h) + bytes([0xF7, 0, 0]) + _palette_bytes(pal_image))
        fh.write(b"\x21\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", 0) + b"\x00")  # loop forever
        prev = None
        for k in range(n):
            if k:
                check_cancel(cancel, target)
            f = first if k == 0 else check_frame(frames[k], k, shape)
            q = Image.fromarray(f).quantize(palette=pal_image, dither=Image.Dither.NONE)
            idx = np.asarray(q)
            box = (0, 0, w, h)
            if prev is not None:
                changed = idx != prev
                rows = np.flatnonzero(changed.any(axis=1))
                if rows.size == 0:
                    box = (0, 0, 1, 1)  # unchanged: one pixel, so the frame (and its delay) is still there
                else:
                    cols = np.flatnonzero(changed[rows[0]: rows[-1] + 1].any(axis=0))
                    box = (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
            prev = idx
            part = q if box == (0, 0, w, h) else q.crop(box)
            # graphic control: disposal 1 (keep the previous picture under the changed rectangle), the delay
            fh.write(b"\x21\xf9\x04\x04" + struct.pack("<H", delays[k]) + b"\x00\x00")
            for chunk in GifImagePlugin.getdata(part, offset=box[:2]):  # descriptor (no local table) + LZW
                fh.write(chunk)
            progress(k + 1, n)
        fh.write(b"\x3b")
    return AnimationInfo(n, w, h, float(fps))


def read_gif(path: str) -> AnimationInfo:
    from PIL import Image, UnidentifiedImageError  # lazy: as in gif_palette

    try:
        with Image.open(path) as im:
            if im.format != "GIF":
                raise ScorevizError(f"'{path}' is not a GIF file (it is {im.format})")
            n = int(getattr(im, "n_frames", 1))
            w, h = im.size
            total_ms = 0
            for i in range(n):
                im.seek(i)
                total_ms += int(im.info.get("duration", 0) or 0)
    except ScorevizError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, EOFError) as e:
        raise ScorevizError(f"'{path}' is not a readable GIF: {first_line(e)}") from None
    return AnimationInfo(n, w, h, n / (total_ms / 1000.0) if total_ms else 0.0)

