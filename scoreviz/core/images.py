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

- the decoder is chosen from the file's content, among ``IMAGE_FORMATS`` only (PNG, JPEG, GIF,
  BMP, WebP; never formats that run helper programs, such as EPS);
- corrupt, truncated, empty (0 pixels) and unidentifiable files, folders, pipes and devices are
  refused with a message;
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
import warnings
from pathlib import Path

import numpy as np
import torch

from scoreviz.core.atomic import file_kind
from scoreviz.core.errors import ScorevizError
from scoreviz.core.grid_density import GridDensity
from scoreviz.core.toy_params import Param, validate_params

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")  # Pillow decoders allowed to read a file
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


def _read_grey(path, max_cells: int | None) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError  # lazy: Pillow loads only when an image is read

    name = os.fspath(path)
    kind = file_kind(name)
    if kind == "missing":
        raise ScorevizError(f"cannot read image '{name}': no such file")
    if kind == "folder":
        raise ScorevizError(f"cannot read image '{name}': it is a folder")
    if kind == "other":
        raise ScorevizError(f"cannot read image '{name}': not a regular file (a pipe, device or socket)")
    if kind != "file":
        raise ScorevizError(f"cannot read image '{name}': the file cannot be opened")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit is lower
            with Image.open(name, formats=IMAGE_FORMATS) as img:
                w, h = img.size
                if w <= 0 or h <= 0:
                    raise ScorevizError(f"cannot read image '{name}': empty image ({w} x {h} pixels)")
                if w * h > MAX_PIXELS:
                    raise ScorevizError(
                        f"cannot read image '{name}': {w} x {h} pixels is too large; at most "
                        f"{MAX_PIXELS // 1_000_000} million pixels (8192 x 8192)")
                img.load()  # the first frame of an animation
                grey = _shrink(_grey_image(img), max_cells)
                out = np.asarray(grey, dtype=np.float64)
    except ScorevizError:
        raise
    except UnidentifiedImageError:
        raise ScorevizError(f"cannot read image '{name}': not a PNG/JPEG image or the file is corrupt") from None
    except Image.DecompressionBombError:
        raise ScorevizError(f"cannot read image '{name}': the image is too large; at most 8192 x 8192 pixels") from None
    except MemoryError:
        raise ScorevizError(f"cannot read image '{name}': not enough memory to decode it") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ScorevizError(f"cannot read image '{name}': {_first_line(exc)}") from None
    except Exception as exc:  # any other decoder failure on damaged data: the file is unreadable
        raise ScorevizError(f"cannot read image '{name}': the file is corrupt ({type(exc).__name__})") from None
    if out.ndim != 2 or out.size == 0:
        raise ScorevizError(f"cannot read image '{name}': empty image")
    if not np.isfinite(out).all():  # pragma: no cover - grey levels come from integers
        raise ScorevizError(f"cannot read image '{name}': the file is corrupt (non-finite pixels)")
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
