"""Images as densities: a PNG or JPEG becomes a GridDensity.

The picture is flattened onto white (transparent = empty), turned to grey levels L in [0, 255],
area-averaged down to at most ``max_cells`` cells on its long side (never up), and each cell
gets weight (255 - L) / 255 -- darker is denser -- or L / 255 with ``invert``.  The grid is
centred in ``box`` keeping the aspect ratio (square cells) and blurred by ``blur`` cells:

    p(x) = sum_ij w_ij [uniform cell ij * N(0, (blur h)^2 I)](x),   h = cell side.

So log_prob is normalised and samples, score and p_sigma are exact (see grid_density.py).
The density's JSON form stores the grid weights, not the file, so saved sessions are self-contained.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch

from scoreviz.core.errors import ScorevizError
from scoreviz.core.grid_density import GridDensity
from scoreviz.core.toys import Param, validate_params

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")

IMAGE_PARAMS: dict[str, Param] = {
    "invert": Param("invert", False, "bool", help="light is dense instead of dark"),
    "max_cells": Param("max_cells", 64, "int", 4, 256, "cells on the long side after downsampling (at most)"),
    "blur": Param("blur", 1.0, "float", 0.05, 10, "Gaussian blur std, in cells"),
    "box": Param("box", (-4.0, 4.0, -4.0, 4.0), "box", help="the image is fitted in this box, keeping its aspect ratio"),
}


def read_image_grey(path) -> np.ndarray:
    """Grey levels (H, W) float64 in [0, 255], row 0 = top, transparency flattened onto white."""
    from PIL import Image, UnidentifiedImageError

    name = os.fspath(path)
    if not os.path.exists(name):
        raise ScorevizError(f"cannot read image '{name}': no such file")
    if os.path.isdir(name):
        raise ScorevizError(f"cannot read image '{name}': it is a folder")
    try:
        with Image.open(name) as img:
            img.load()
            if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
                rgba = img.convert("RGBA")
                white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                img = Image.alpha_composite(white, rgba)
            grey = np.asarray(img.convert("L"), dtype=np.float64)
    except UnidentifiedImageError:
        raise ScorevizError(f"cannot read image '{name}': not a PNG/JPEG image or the file is corrupt") from None
    except Image.DecompressionBombError:
        raise ScorevizError(f"cannot read image '{name}': the image is too large") from None
    except (OSError, ValueError, SyntaxError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ScorevizError(f"cannot read image '{name}': {reason}") from None
    if grey.ndim != 2 or grey.size == 0:
        raise ScorevizError(f"cannot read image '{name}': empty image")
    return grey


def _downsample(grey: np.ndarray, max_cells: int) -> np.ndarray:
    from PIL import Image

    h, w = grey.shape
    long = max(h, w)
    if long <= max_cells:
        return grey
    f = max_cells / long
    size = (max(1, round(w * f)), max(1, round(h * f)))
    img = Image.fromarray(grey.astype(np.float32))  # mode "F"
    return np.asarray(img.resize(size, Image.Resampling.BOX), dtype=np.float64)


def image_density(path, invert=False, max_cells=64, blur=1.0, box=(-4.0, 4.0, -4.0, 4.0)) -> GridDensity:
    """The GridDensity of the image at ``path`` (see the module docstring)."""
    values = validate_params("image", IMAGE_PARAMS, {"invert": invert, "max_cells": max_cells, "blur": blur, "box": box})
    name = os.fspath(path)
    grey = _downsample(read_image_grey(name), values["max_cells"])
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
