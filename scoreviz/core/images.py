"""Images as densities: a PNG or JPEG becomes a GridDensity.

The picture is flattened onto white (transparent = empty), turned to grey levels L in [0, 255],
area-averaged down to at most ``max_cells`` cells on its long side (never up), and each cell
gets weight (255 - L) / 255 -- darker is denser -- or L / 255 with ``invert``.  The grid is
centred in ``box`` keeping the aspect ratio (square cells) and blurred by ``blur`` cells:

    p(x) = sum_ij w_ij [uniform cell ij * N(0, (blur h)^2 I)](x),   h = cell side.

So log_prob is normalised and samples, score and p_sigma are exact (see grid_density.py).
The density's JSON form stores the grid weights, not the file, so saved sessions are self-contained.

Files from strangers (every case gives a one-line ScorevizError or a documented result, never a
crash or a freeze):

- a file is read only as the format its name gives (``SUFFIX_FORMATS``: .png PNG, .jpg/.jpeg JPEG,
  .gif GIF, .bmp BMP, .webp WebP; never formats that run helper programs, such as EPS): its content
  must be that format (a BMP named .png is refused from its header, before a slow decoder runs);
- corrupt, truncated, empty (0 pixels) and unidentifiable files, folders, pipes and devices are
  refused with a message; a PNG whose image data ends before its last row (a zlib stream that
  stops early, which Pillow would read with the missing rows black: the densest value) is refused
  before decoding (``_png_missing_data``); other formats raise in Pillow when the file ends early
  (``ImageFile.LOAD_TRUNCATED_IMAGES`` is never set).  A JPEG whose scan is cut by an early end
  marker is completed by libjpeg with grey blocks (its own recovery; not detected here);
- images of more than ``MAX_PIXELS`` pixels (8192 x 8192) are refused before decoding
  (decompression bombs: a small file that claims an enormous picture); smaller ones are decoded
  and area-averaged down to ``max_cells`` cells;
- animated images (GIF, APNG, WebP): the first frame is used;
- modes: palette (P, with or without transparency), 1-bit, grey (L), grey + alpha (LA),
  RGB, RGBA, CMYK are converted to grey by Pillow's ITU-R 601 luma; transparent pixels count as
  white (empty); 16-bit grey (I;16, and 32-bit I) is scaled from 0..65535 to 0..255 (its
  transparency, rare, is ignored).
"""

from __future__ import annotations

import os
import struct
import warnings
import zlib
from pathlib import Path

import numpy as np
import torch

from scoreviz.core.atomic import file_kind
from scoreviz.core.errors import ScorevizError
from scoreviz.core.grid_density import GridDensity
from scoreviz.core.text import N_, Composed
from scoreviz.core.toy_params import Param, validate_params

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")  # Pillow decoders allowed to read a file
# the one format a file may hold, by its name's ending (the content must agree: a BMP named .png
# would otherwise reach Pillow's slow pure-Python RLE decoder through a name that promised PNG)
SUFFIX_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".bmp": "BMP", ".webp": "WEBP"}
MAX_PIXELS = 8192 * 8192  # larger pictures are refused before they are decoded

IMAGE_PARAMS: dict[str, Param] = {
    "invert": Param("invert", False, "bool", help="light is dense instead of dark"),
    "max_cells": Param("max_cells", 64, "int", 4, 256, "cells on the long side after downsampling (at most)"),
    "blur": Param("blur", 1.0, "float", 0.05, 10, "Gaussian blur std, in cells"),
    "box": Param("box", (-4.0, 4.0, -4.0, 4.0), "box", help="the image is fitted in this box, keeping its aspect ratio"),
}

_SIXTEEN_BIT = ("I;16", "I;16L", "I;16B", "I;16N", "I")
_ALPHA = ("RGBA", "LA", "PA", "RGBa", "La")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _grey_image(img):
    """Mode "F" (float32) grey levels in [0, 255] of a loaded image, transparency flattened onto white."""
    from PIL import Image  # lazy: Pillow loads only when an image is read

    if img.mode in _SIXTEEN_BIT:
        a = np.asarray(img, dtype=np.float32)
        return Image.fromarray(np.clip(a, 0, 65535) * np.float32(255.0 / 65535.0))
    if img.mode == "F":
        return Image.fromarray(np.clip(np.asarray(img, dtype=np.float32), 0, 255))
    if img.mode in _ALPHA or "transparency" in img.info:
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba)
    return img.convert("L").convert("F")


def _shrink(grey, max_cells: int | None):
    """Area-average (box filter) a mode "F" image down to at most max_cells on its long side."""
    from PIL import Image  # lazy: Pillow loads only when an image is read

    w, h = grey.size
    long = max(h, w)
    if max_cells is None or long <= max_cells:
        return grey
    f = max_cells / long
    size = (max(1, round(w * f)), max(1, round(h * f)))
    return grey.resize(size, Image.Resampling.BOX)


_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # colour type -> samples per pixel
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
_INFLATE_PIECE = 1 << 20


def _png_missing_data(name: str) -> str | None:
    """Why a PNG's image data is incomplete, or None.  Pillow reads a zlib stream that ends before
    the last row as a whole picture (the missing rows stay 0: black, the densest value), so the
    IDAT chunks are inflated here first and their bytes counted against what the header promises
    (no pixel is kept; the header was read by Pillow, which found the file a PNG)."""
    with open(name, "rb") as fh:
        fh.seek(8)
        length, kind = struct.unpack(">I4s", fh.read(8))
        if kind != b"IHDR" or length != 13:
            return None  # Pillow judges such a file
        w, h, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", fh.read(13))
        bits = depth * _PNG_CHANNELS.get(colour, 0)
        if not bits:
            return None

        def row_bytes(width: int) -> int:
            return 1 + (width * bits + 7) // 8  # filter byte + samples

        passes = ([((h - y0 + dy - 1) // dy, (w - x0 + dx - 1) // dx) for x0, y0, dx, dy in _ADAM7]
                  if interlace else [(h, w)])
        need = sum(rows * row_bytes(width) for rows, width in passes if rows and width)
        fh.seek(4, 1)  # IHDR's CRC
        inflater, got, seen = zlib.decompressobj(), 0, False
        try:
            while got < need and not inflater.eof:
                head = fh.read(8)
                if len(head) < 8:
                    break
                length, kind = struct.unpack(">I4s", head)
                if kind != b"IDAT":
                    if seen:
                        break  # the IDAT chunks are consecutive: the image data has ended
                    fh.seek(length + 4, 1)
                    continue
                seen, left = True, length
                while left and got < need and not inflater.eof:
                    data = fh.read(min(left, _INFLATE_PIECE))
                    if not data:
                        break
                    left -= len(data)
                    while data and got < need and not inflater.eof:
                        got += len(inflater.decompress(data, _INFLATE_PIECE))
                        data = inflater.unconsumed_tail
                fh.seek(left + 4, 1)
            if got < need and not inflater.unconsumed_tail:
                got += len(inflater.flush())
        except zlib.error:
            return "its image data is corrupt"
    if got >= need:
        return None
    if not interlace:
        return f"the image data stops after {got // row_bytes(w)} of {h} rows (a truncated file)"
    return f"the image data stops after {got:,} of {need:,} bytes (a truncated file)"


def _cannot(name: str, reason: str, /, **values) -> ScorevizError:
    """``cannot read image 'NAME': <reason>``, the reason ``reason`` (marked with N_) filled with ``values``
    (composed: the GUI shows the refusal in its language)."""
    return ScorevizError.compose(N_("cannot read image '{name}': {reason}"), name=name,
                                 reason=Composed.compose(reason, **values))


def _read_grey(path, max_cells: int | None) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError  # lazy: Pillow loads only when an image is read

    name = os.fspath(path)
    kind = file_kind(name)
    if kind == "missing":
        raise _cannot(name, N_("no such file"))
    if kind == "folder":
        raise _cannot(name, N_("it is a folder"))
    if kind == "other":
        raise _cannot(name, N_("not a regular file (a pipe, device or socket)"))
    if kind != "file":
        raise _cannot(name, N_("the file cannot be opened"))
    claimed = SUFFIX_FORMATS.get(os.path.splitext(name)[1].lower())
    if claimed is None:
        raise _cannot(name, N_("an image's name must end in {suffixes}"), suffixes=", ".join(SUFFIX_FORMATS))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit is lower
            with Image.open(name, formats=IMAGE_FORMATS) as img:
                found = "JPEG" if img.format == "MPO" else img.format  # MPO: a camera's multi-picture JPEG
                if found != claimed:
                    raise _cannot(name, N_("the file holds a {found} image, not the {claimed} its name says; only the "
                                           "format a file's name gives is read"), found=found, claimed=claimed)
                w, h = img.size
                if w <= 0 or h <= 0:
                    raise _cannot(name, N_("empty image ({w} x {h} pixels)"), w=w, h=h)
                if w * h > MAX_PIXELS:
                    raise _cannot(name, N_("{w} x {h} pixels is too large; at most {most} million pixels (8192 x 8192)"),
                                  w=w, h=h, most=MAX_PIXELS // 1_000_000)
                missing = _png_missing_data(name) if found == "PNG" else None
                if missing is not None:
                    raise ScorevizError.compose(N_("cannot read image '{name}': {reason}"), name=name, reason=missing)
                img.load()  # the first frame of an animation; a file that ends early raises (never
                # ImageFile.LOAD_TRUNCATED_IMAGES, which would fill the rest with black: the densest)
                grey = _shrink(_grey_image(img), max_cells)
                out = np.asarray(grey, dtype=np.float64)
    except ScorevizError:
        raise
    except UnidentifiedImageError:
        raise _cannot(name, N_("not a PNG/JPEG image or the file is corrupt")) from None
    except Image.DecompressionBombError:
        raise _cannot(name, N_("the image is too large; at most 8192 x 8192 pixels")) from None
    except MemoryError:
        raise _cannot(name, N_("not enough memory to decode it")) from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ScorevizError.compose(N_("cannot read image '{name}': {reason}"), name=name,
                                    reason=_first_line(exc)) from None
    except Exception as exc:  # any other decoder failure on damaged data: the file is unreadable
        raise _cannot(name, N_("the file is corrupt ({error})"), error=type(exc).__name__) from None
    if out.ndim != 2 or out.size == 0:
        raise _cannot(name, N_("empty image"))
    if not np.isfinite(out).all():  # pragma: no cover - grey levels come from integers
        raise _cannot(name, N_("the file is corrupt (non-finite pixels)"))
    return out


def read_image_grey(path) -> np.ndarray:
    """Grey levels (H, W) float64 in [0, 255], row 0 = top, transparency flattened onto white."""
    return _read_grey(path, None)


def image_density(path, invert=False, max_cells=64, blur=1.0, box=(-4.0, 4.0, -4.0, 4.0)) -> GridDensity:
    """The GridDensity of the image at ``path`` (see the module docstring)."""
    values = validate_params("image", IMAGE_PARAMS, {"invert": invert, "max_cells": max_cells, "blur": blur, "box": box})
    name = os.fspath(path)
    grey = _read_grey(name, values["max_cells"])
    w = grey / 255.0 if values["invert"] else (255.0 - grey) / 255.0
    w = np.clip(w, 0.0, 1.0)[::-1].copy()  # row 0 = bottom
    if w.sum() <= 0:
        what = "light" if values["invert"] else "dark"
        raise ScorevizError(f"image '{name}' has no {what} pixels: nothing to sample (try invert={not values['invert']})")
    rows, cols = w.shape
    x0, x1, y0, y1 = values["box"]
    cell = min((x1 - x0) / cols, (y1 - y0) / rows)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    extent = (cx - cell * cols / 2, cx + cell * cols / 2, cy - cell * rows / 2, cy + cell * rows / 2)
    return GridDensity(
        torch.as_tensor(w), extent, values["blur"] * cell, box=values["box"],
        name=f"image:{Path(name).name}", params={**values, "path": name},
    )
