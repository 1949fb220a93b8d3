"""Animation frames: the frame check, ``FrameStore`` (frames kept in memory) and what every format shares.

``check_frame`` turns a frame into a C-contiguous (H, W, 3) uint8 array or names what is wrong;
``FrameStore`` keeps frames zlib-compressed with random access; ``AnimationInfo`` is what a write
or read reports; ``Cancelled`` / ``check_cancel`` abort a write; ``even_size`` is the size an MP4
of odd-sized frames has; ``first_line`` shortens an error to one line. The MP4 and GIF writers
(mp4.py, gif.py) and ``scoreviz.core.animation`` build on these.
"""

from __future__ import annotations

import os
import threading
import zlib
from typing import Callable, NamedTuple

import numpy as np

from scoreviz.core import limits
from scoreviz.core.errors import ScorevizError

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


def check_cancel(cancel: CancelFn, path) -> None:
    """Raise Cancelled when ``cancel()`` says so (writing ``path``)."""
    if cancel():
        raise Cancelled(f"writing '{os.fspath(path)}' was cancelled")


def first_line(e) -> str:
    """The first non-blank line of an error's message (its type's name when there is none)."""
    lines = [ln.strip() for ln in str(e).splitlines() if ln.strip()]
    return lines[0] if lines else type(e).__name__


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

