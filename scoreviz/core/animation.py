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

import math
import os
import struct
import subprocess
import tempfile
import threading
import zlib
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

import numpy as np

from scoreviz.core import limits
from scoreviz.core.atomic import atomic_path, file_kind
from scoreviz.core.errors import ScorevizError

SUFFIXES = {".mp4": "mp4", ".gif": "gif"}
GIF_MAX_FPS = 50
GIF_PALETTE_FRAMES = 16  # frames sampled (evenly spread) for the shared palette
GIF_PALETTE_PIXELS = 131_072  # pixels taken from each sampled frame (a regular stride)
GIF_MAX_PIXELS = 1_000_000_000  # frames x width x height of a GIF made from frames rendered on the fly
MP4_CRF = 20  # x264 constant quality: 0 lossless .. 51 worst; 20 keeps thin arrows and small type crisp
MP4_PRESET = "veryfast"  # x264 speed/size trade-off (see benchmarks/encode_speed.py)
STORE_LEVEL = 1  # zlib level of FrameStore: ~5x smaller on rendered panels at ~13 ms per 1280x720 frame

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class Cancelled(Exception):
    """The user cancelled writing an animation; nothing was written."""


class AnimationInfo(NamedTuple):
    n_frames: int
    width: int
    height: int
    fps: float


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


def check_gif_budget(n_frames: int, width: int, height: int) -> None:
    """A GIF made from frames rendered on the fly keeps them (compressed) in memory until its palette
    is known: refuse more than GIF_MAX_PIXELS pixels in all."""
    total = int(n_frames) * int(width) * int(height)
    if total > GIF_MAX_PIXELS:
        raise ScorevizError(f"a GIF of {n_frames} frames at {width}x{height} is too large "
                            f"({total / 1e9:.1f} gigapixels; at most {GIF_MAX_PIXELS / 1e9:.1f}): "
                            "write an .mp4, or use fewer frames or a smaller size")


def check_frame(frame, index: int, shape: tuple | None = None) -> np.ndarray:
    """``frame`` as a C-contiguous (H, W, 3) uint8 array; ScorevizError naming the frame otherwise."""
    if not isinstance(frame, np.ndarray):
        raise ScorevizError(f"frame {index} is a {type(frame).__name__}; frames must be (H, W, 3) uint8 arrays")
    if frame.dtype != np.uint8 or frame.ndim != 3 or frame.shape[2] != 3:
        raise ScorevizError(f"frame {index} has shape {frame.shape} and type {frame.dtype}; "
                            "frames must be (H, W, 3) uint8 arrays")
    if shape is not None and frame.shape != shape:
        raise ScorevizError(f"frame {index} is {frame.shape[1]}x{frame.shape[0]}, frame 0 is "
                            f"{shape[1]}x{shape[0]}; every frame must have the same size")
    h, w = frame.shape[:2]
    for side, v in (("width", w), ("height", h)):
        lim = limits.LIMITS["image_side"]
        if not lim.contains(v):
            raise ScorevizError(f"frame {index} {side}={v} is out of range; allowed {lim.range_text()} pixels")
    return np.ascontiguousarray(frame)


def even_size(width: int, height: int) -> tuple[int, int]:
    """The size an MP4 of ``width`` x ``height`` frames has (4:2:0 chroma needs even sides)."""
    return width + width % 2, height + height % 2


# ============================================================================ frames in memory
class FrameStore:
    """Frames kept in memory, each compressed with zlib (level 1; ~5x smaller than raw on rendered
    panels, ~13 ms per 1280x720 frame) or, when appended with ``compress=False``, as they are (no
    work). Random access; ``append`` may run in one thread while another reads ``len`` / ``nbytes``."""

    def __init__(self, level: int = STORE_LEVEL):
        self._level = level
        self._blobs: list = []  # bytes (compressed) or read-only arrays (raw)
        self._shape: tuple | None = None
        self._lock = threading.Lock()
        self.nbytes = 0  # bytes held (compressed, or raw)

    def append(self, frame, compress: bool = True) -> None:
        with self._lock:
            shape, index = self._shape, len(self._blobs)
        f = check_frame(frame, index, shape)
        if compress:
            blob = zlib.compress(memoryview(f).cast("B"), self._level)  # releases the GIL while it works
        else:
            blob = f.copy() if f is frame else f
            blob.flags.writeable = False
        with self._lock:
            if self._shape is None:
                self._shape = f.shape
            self._blobs.append(blob)
            self.nbytes += len(blob) if compress else blob.nbytes

    def repeat_last(self) -> None:
        """Append the last frame again (no work: the same compressed bytes); keeps a recording's timing
        when a capture came late."""
        with self._lock:
            if not self._blobs:
                raise ScorevizError("no frame to repeat yet")
            self._blobs.append(self._blobs[-1])  # the same bytes object: no memory added

    def __len__(self) -> int:
        with self._lock:
            return len(self._blobs)

    def __getitem__(self, index: int) -> np.ndarray:
        """Frame ``index`` (read-only)."""
        with self._lock:
            blob, shape = self._blobs[index], self._shape
        if isinstance(blob, np.ndarray):
            return blob
        return np.frombuffer(zlib.decompress(blob), np.uint8).reshape(shape)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    @property
    def size(self) -> tuple[int, int] | None:
        """(width, height) of the frames, None while empty."""
        s = self._shape
        return None if s is None else (s[1], s[0])

    def clear(self) -> None:
        with self._lock:
            self._blobs.clear()
            self._shape = None
            self.nbytes = 0


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
            info = _write_mp4(os.fspath(path), tmp, frames, n, fps, progress, cancel)
        else:
            if not hasattr(frames, "__getitem__"):  # the palette needs frames from all over the animation
                store = FrameStore()
                for k, f in enumerate(frames):
                    _check_cancel(cancel, path)
                    store.append(check_frame(f, k))
                frames = store
                if len(frames) != n:
                    raise ScorevizError(f"frames: got {len(frames)} frames, expected {n}")
            info = _write_gif(tmp, frames, n, fps, progress, cancel, path)
    return info


def _check_cancel(cancel: CancelFn, path) -> None:
    if cancel():
        raise Cancelled(f"writing '{os.fspath(path)}' was cancelled")


def _ffmpeg() -> str:
    try:
        import imageio_ffmpeg
    except ImportError:
        raise ScorevizError("MP4 needs ffmpeg: pip install imageio-ffmpeg (or write a .gif)") from None
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as e:
        raise ScorevizError(f"MP4 needs ffmpeg, which was not found ({_first_line(e)}); pip install imageio-ffmpeg") from None


def _first_line(e) -> str:
    lines = [ln.strip() for ln in str(e).splitlines() if ln.strip()]
    return lines[0] if lines else type(e).__name__


def _mp4_command(exe: str, tmp, width: int, height: int, fps: int) -> list[str]:
    w2, h2 = even_size(width, height)
    vf = f"pad={w2}:{h2}:0:0:black," if (w2, h2) != (width, height) else ""
    vf += "scale=out_color_matrix=bt709:out_range=tv"
    return [exe, "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(fps), "-i", "-",
            "-an", "-vf", vf, "-c:v", "libx264", "-preset", MP4_PRESET, "-crf", str(MP4_CRF),
            "-pix_fmt", "yuv420p", "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
            "-color_range", "tv", "-movflags", "+faststart", "-f", "mp4", os.fspath(tmp)]


def _write_mp4(target: str, tmp, frames, n: int, fps: int, progress: ProgressFn, cancel: CancelFn) -> AnimationInfo:
    exe = _ffmpeg()
    it = iter(frames)
    _check_cancel(cancel, target)
    try:
        first = check_frame(next(it), 0)
    except StopIteration:
        raise ScorevizError(f"frames: got 0 frames, expected {n}") from None
    shape = first.shape
    h, w = shape[:2]
    with tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.Popen(_mp4_command(exe, tmp, w, h, fps), stdin=subprocess.PIPE,
                                    stdout=subprocess.DEVNULL, stderr=err)
        except OSError as e:
            raise ScorevizError(f"cannot start ffmpeg for '{target}': {e.strerror or e}") from None

        def ffmpeg_said() -> str:
            err.seek(0)
            lines = [ln.strip() for ln in err.read().decode("utf-8", "replace").splitlines() if ln.strip()]
            return lines[-1] if lines else "no message"

        try:
            done = 0
            frame = first
            while True:
                try:
                    proc.stdin.write(memoryview(frame).cast("B"))
                except (BrokenPipeError, OSError):
                    proc.kill()
                    proc.wait()
                    raise ScorevizError(f"cannot write '{target}': ffmpeg stopped: {ffmpeg_said()}") from None
                done += 1
                progress(done, n)
                try:
                    nxt = next(it)
                except StopIteration:
                    break
                if done >= n:
                    raise ScorevizError(f"frames: got more than the {n} frames expected")
                _check_cancel(cancel, target)
                frame = check_frame(nxt, done, shape)
            if done != n:
                raise ScorevizError(f"frames: got {done} frames, expected {n}")
            proc.stdin.close()
            if proc.wait() != 0:
                raise ScorevizError(f"cannot write '{target}': ffmpeg failed: {ffmpeg_said()}")
        except BaseException:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            raise
        finally:
            if proc.stdin and not proc.stdin.closed:
                try:
                    proc.stdin.close()
                except OSError:
                    pass
    w2, h2 = even_size(w, h)
    return AnimationInfo(n, w2, h2, float(fps))


def gif_delays(n: int, fps: int) -> list[int]:
    """Per-frame delays in hundredths of a second whose running sum stays nearest to k / fps seconds."""
    t = [(200 * k + fps) // (2 * fps) for k in range(n + 1)]  # round(100 k / fps), halves up
    return [b - a for a, b in zip(t, t[1:])]


def gif_palette(samples: list[np.ndarray]):
    """A "P" image whose 256-colour palette is computed from ``samples`` (Pillow's fast octree)."""
    from PIL import Image

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


def _write_gif(tmp, frames, n: int, fps: int, progress: ProgressFn, cancel: CancelFn, target) -> AnimationInfo:
    from PIL import GifImagePlugin, Image

    _check_cancel(cancel, target)
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
                _check_cancel(cancel, target)
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


# ============================================================================ reading
def read_animation_info(path) -> AnimationInfo:
    """(n_frames, width, height, fps) of an MP4 or GIF file; ScorevizError when it is not one."""
    text = os.fspath(path)
    kind = animation_kind(text)
    what = file_kind(text)
    if what != "file":
        raise ScorevizError(f"cannot read '{text}': {'it does not exist' if what == 'missing' else 'not a file'}")
    if kind == "gif":
        return _read_gif(text)
    return _read_mp4(text)


def _read_gif(path: str) -> AnimationInfo:
    from PIL import Image, UnidentifiedImageError

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
        raise ScorevizError(f"'{path}' is not a readable GIF: {_first_line(e)}") from None
    return AnimationInfo(n, w, h, n / (total_ms / 1000.0) if total_ms else 0.0)


def _read_mp4(path: str) -> AnimationInfo:
    try:
        import imageio_ffmpeg
    except ImportError:
        raise ScorevizError("reading an MP4 needs ffmpeg: pip install imageio-ffmpeg") from None
    try:
        gen = imageio_ffmpeg.read_frames(path)
        try:
            meta = next(gen)
        finally:
            gen.close()
        n, _secs = imageio_ffmpeg.count_frames_and_secs(path)
    except (OSError, RuntimeError, StopIteration, ValueError) as e:
        raise ScorevizError(f"'{path}' is not a readable MP4: {_first_line(e)}") from None
    w, h = meta["size"]
    return AnimationInfo(int(n), int(w), int(h), float(meta.get("fps") or 0.0))


def frames_of(path) -> Iterable[np.ndarray]:
    """The frames of an MP4 or GIF as (H, W, 3) uint8 arrays (for checks and tests)."""
    text = os.fspath(path)
    kind = animation_kind(text)
    if kind == "gif":
        from PIL import Image, ImageSequence

        with Image.open(text) as im:
            for fr in ImageSequence.Iterator(im):
                yield np.asarray(fr.convert("RGB"))
        return
    import imageio_ffmpeg

    gen = imageio_ffmpeg.read_frames(text)
    try:
        meta = next(gen)
        w, h = meta["size"]
        for raw in gen:
            yield np.frombuffer(raw, np.uint8).reshape(h, w, 3)
    finally:
        gen.close()
