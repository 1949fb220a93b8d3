"""Densities: the Density protocol, its two families, the preset registry and density files.

Every density offers, batched on torch tensors on any device (x: (N, 2), float32 or float64):

- ``log_prob(x) -> (N,)`` normalised log-density (every density here has a closed form);
- ``score(x) -> (N, 2)`` = grad_x log p(x), no autograd graph, same dtype/device as x;
- ``sample(n, generator) -> (n, 2)`` exact samples, float32, on ``generator.device``;
- ``perturbed(sigma)`` -> p_sigma = p * N(0, sigma^2 I), exact, itself a density (``perturbed(0)`` is p);
- ``box`` (xmin, xmax, ymin, ymax) default view, ``name``, ``params`` (dict of the parameters
  used), ``normalised`` (always True here), ``to_dict()`` (JSON, see below).

Two families give all of this exactly:
``GaussianMixture`` (mixture.py) -- gaussian, ncsn-mixture, 8gaussians, the curve toys written as
dense mixtures along their curves (toys.py), and mixtures given as data (``mixture_density``);
``GridDensity`` (grid_density.py) -- blurred uniform cells: checkerboard, images (images.py) and
typed expressions (expressions.py).

Density file format (JSON, UTF-8; what ``to_dict`` writes and ``density_from_dict`` reads)
-----------------------------------------------------------------------------------------
Every file is one object with ``"scoreviz_density": 1`` (the format version; may be omitted when
the object is embedded in another file) and a ``"type"``:

``{"scoreviz_density": 1, "type": "preset", "name": "moons", "params": {"noise": 0.1}}``
    a preset by name; ``params`` (optional) override the defaults (``scoreviz list`` shows them).
``{"type": "mixture", "weights": [w1, ...], "means": [[x, y], ...], "covariances": [[[a, b], [b, c]], ...], "box": [xmin, xmax, ymin, ymax]}``
    a Gaussian mixture; weights >= 0 (normalised on load), covariances symmetric positive
    definite; ``box`` (the view) and ``"name"`` optional.
``{"type": "grid", "box": [xmin, xmax, ymin, ymax], "weights": [[...], ...], "blur": s}``
    blurred cells: ``weights`` is H rows of W numbers >= 0, row 0 = the bottom row (lowest y);
    ``box`` is the grid's extent; ``blur`` the Gaussian std (> 0, box units).  Optional:
    ``"name"`` (shown in the UI) and ``"view_box"`` (the default view, else ``box``).
``{"type": "expression", "expression": "-(x**2 + y**2 - 4)**2 / 0.5", "box": [-4, 4, -4, 4], "resolution": 128}``
    an unnormalised log-density in x and y, discretised on resolution x resolution cells of box
    (``box`` and ``resolution`` optional).
``{"type": "image", "path": "heart.png", "invert": false, "max_cells": 64, "blur": 1.0, "box": [-4, 4, -4, 4]}``
    accepted on input in a density file only: ``path`` relative to the file's folder and inside it
    (no absolute path, no ``..``, no link leading out); sessions and model descriptions refuse it.
    Densities made from images are written as ``"grid"`` objects so the file is self-contained.
Any object may carry ``"sigma": s`` (>= 0): the density is then p_s = p * N(0, s^2 I)
(perturbed mixtures and grids are written with their covariances / blur already widened).
Numbers must be finite (no NaN/Infinity); unknown keys, wrong shapes and negative weights are
refused with a one-line ScorevizError.  Sizes and magnitudes are bounded (``scoreviz.core.limits``):
at most 10000 mixture components and 1024 x 1024 grid cells, coordinates (box, means) within
+-1e6, covariance entries within +-1e12, blur <= 1e6, sigma <= 1000, names of at most 1000
characters; a file never names anything to run or unpickle.  A file holds at most what the largest
density needs (``MAX_FILE_BYTES``, 49 MiB: 1024 x 1024 numbers of up to 48 bytes of text each, plus
1 MiB; ``MAX_CONTAINERS`` lists and objects, ``MAX_VALUES`` values), checked before it is read or parsed.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import torch
from torch import Tensor

from scoreviz.core import limits
from scoreviz.core.atomic import file_kind, stays_inside, write_text
from scoreviz.core.bounded_json import check_size, check_structure
from scoreviz.core.errors import ScorevizError
from scoreviz.core.limits import is_finite_number
from scoreviz.core.expressions import EXPRESSION_PARAMS, expression_density, parse_expression
from scoreviz.core.grid_density import GridDensity
from scoreviz.core.images import IMAGE_PARAMS, IMAGE_SUFFIXES, image_density
from scoreviz.core.mixture import Box, GaussianMixture
from scoreviz.core.text import N_
from scoreviz.core.toy_params import Param, PresetSpec, validate_params
from scoreviz.core.toys import PRESETS, make_preset

__all__ = [
    "Density", "GaussianMixture", "GridDensity", "PRESETS", "Param", "PresetSpec", "IMAGE_PARAMS",
    "EXPRESSION_PARAMS", "make_preset", "load_density", "density_from_dict", "save_density_json",
    "load_density_json", "mixture_density", "grid_density", "image_density", "expression_density",
    "parse_expression", "describe_preset", "FORMAT_VERSION",
]

FORMAT_VERSION = 1
# What a density file can legitimately hold, from the limits table: the largest density is a grid of
# grid_cells x grid_cells numbers (1024 x 1024; a mixture of 10000 components holds 70000).  A number
# takes at most NUMBER_BYTES of text (a float's shortest form is at most 24 characters; the rest is
# separator and indentation), keys, names and an expression at most OVERHEAD_BYTES.  A file beyond
# these is refused before it is read (size) or parsed (lists and values; ``bounded_json``).
NUMBER_BYTES = 48
OVERHEAD_BYTES = 1024 * 1024
MAX_NUMBERS = max(limits.LIMITS["grid_cells"].max ** 2, 7 * limits.LIMITS["mixture_components"].max) + 1024
MAX_FILE_BYTES = OVERHEAD_BYTES + NUMBER_BYTES * MAX_NUMBERS  # 49.1 MiB
TEXT_ROOM = 16_384  # brackets and commas inside names, expressions and paths
MAX_CONTAINERS = int(4 * limits.LIMITS["mixture_components"].max + limits.LIMITS["grid_cells"].max) + TEXT_ROOM
MAX_VALUES = int(MAX_NUMBERS) + TEXT_ROOM
_LARGEST = "room for the largest density, a {0} x {0} grid".format(int(limits.LIMITS["grid_cells"].max))


@runtime_checkable
class Density(Protocol):
    box: Box
    name: str
    params: dict
    normalised: bool

    def log_prob(self, x: Tensor) -> Tensor: ...

    def score(self, x: Tensor) -> Tensor: ...

    def sample(self, n: int, generator: torch.Generator | None = None) -> Tensor: ...

    def perturbed(self, sigma: float) -> "Density": ...

    def to_dict(self) -> dict: ...


# --------------------------------------------------------------------------- constructors
def mixture_density(weights, means, covs, box=None) -> GaussianMixture:
    """A Gaussian mixture from data: weights (K,), means (K, 2), covs (K, 2, 2); box = view (auto when None).

    Each may be a torch tensor (any device, dtype; taken as float64 on the CPU) or a numpy
    array / nested list. At most ``limits.LIMITS["mixture_components"].max`` components."""
    count = weights.numel() if isinstance(weights, Tensor) else np.size(weights)
    limits.check("mixture_components", int(count))
    d = GaussianMixture(weights, means, covs, box=None if box is None else check_box(box, "mixture box"))
    d.params = {"components": int(d.weights.shape[0])}
    return d


def grid_density(weights, box, blur, view_box=None, name: str = "grid") -> GridDensity:
    """Blurred cells from data: weights (H, W) with row 0 = bottom, box = the grid extent, blur > 0.

    At most ``limits.LIMITS["grid_cells"].max`` cells per side."""
    h, w = np.shape(weights)[:2] if np.ndim(weights) >= 2 else (0, 0)
    for side in (h, w):
        if side:
            limits.check("grid_cells", int(side))
    return GridDensity(weights, check_box(box, "grid box"), blur, box=None if view_box is None else check_box(view_box, "view_box"),
                       name=name, params={"shape": [int(h), int(w)], "blur": float(blur)})


def describe_preset(name: str) -> str:
    """Multi-line help for one preset: its line, then one line per parameter."""
    spec = PRESETS.get(name)
    if spec is None:
        raise ScorevizError(f"unknown preset {name!r}; presets: {', '.join(PRESETS)}")
    lines = [f"{spec.name}: {spec.help}"]
    for p in spec.params.values():
        default = f"{p.default:.4g}" if isinstance(p.default, float) else str(p.default)
        lines.append(f"  {p.name} = {default}  ({p.type}, {p.range_text()}) {p.help}")
    return "\n".join(lines)


def _plain_params(owner: str, params: dict) -> dict:
    """Parameters as typed or read from a file: each a number, true/false, short text or a box of
    four numbers.  Anything else is refused here with a short message (a hostile file could hold
    a huge array or an integer with thousands of digits where a number belongs)."""
    for key, v in params.items():
        if not isinstance(key, str) or len(key) > 100:
            raise _fail(f"{owner}: parameter name {_short(key)} is not allowed")
        if isinstance(v, (bool, float)) or (isinstance(v, str) and len(v) <= 200):
            continue
        if isinstance(v, (list, tuple)) and len(v) <= 4 and all(
                isinstance(x, (int, float)) and not isinstance(x, bool) and abs(x) <= 1e300 for x in v):
            continue
        if isinstance(v, int) and abs(v) <= 10**300:
            continue
        if isinstance(v, (int, np.integer, np.floating)) and not isinstance(v, int):
            continue
        raise _fail(f"{owner}: parameter {key}={_short(v)} is not allowed; expected a number, true/false or a box")
    return params


def load_density(spec: str, **params):
    """A density from a spec: a preset name, a .json density file, an image (.png/.jpg/.jpeg)
    or ``expr:EXPRESSION``; ``params`` go to the preset / image / expression."""
    if not isinstance(spec, (str, os.PathLike)):
        raise ScorevizError(f"density spec {spec!r} must be text")
    text = os.fspath(spec).strip()
    _plain_params(text[:40], params)
    if text.startswith("expr:"):
        return expression_density(text[5:], **validate_params("expression", EXPRESSION_PARAMS, params))
    lower = text.lower()
    if lower.endswith(".json"):
        if params:
            raise ScorevizError(f"density file '{text}' takes no parameters (got {', '.join(params)})")
        return load_density_json(text)
    if lower.endswith(IMAGE_SUFFIXES):
        return image_density(text, **validate_params("image", IMAGE_PARAMS, params))
    if text in PRESETS:
        return make_preset(text, **params)
    if text.lower() in PRESETS:
        return make_preset(text.lower(), **params)
    raise ScorevizError(
        f"unknown density {text!r}; use a preset ({', '.join(PRESETS)}), a .json density file, "
        "a .png/.jpg image or expr:EXPRESSION"
    )


# --------------------------------------------------------------------------- JSON
def _fail(msg: str) -> ScorevizError:
    return ScorevizError(msg)


def _is_number(v) -> bool:
    return is_finite_number(v)


def _array(value, dims: int, what: str, inner: tuple[int, ...] = (), max_len: int | None = None) -> np.ndarray:
    """A nested list of finite numbers with ``dims`` dimensions (trailing sizes ``inner``); no list
    may be longer than ``max_len`` (checked before anything is walked, so huge arrays fail fast)."""
    def walk(v, depth, path):
        if depth == dims:
            if not _is_number(v):
                raise _fail(f"{what}{path} = {_short(v)} must be a finite number")
            return
        if not isinstance(v, list):
            raise _fail(f"{what}{path} must be a list")
        if max_len is not None and len(v) > max_len:
            raise _fail(f"{what}{path} has {len(v)} entries; at most {max_len}")
        for i, item in enumerate(v):
            walk(item, depth + 1, f"{path}[{i}]")

    walk(value, 0, "")
    try:
        arr = np.array(value, dtype=np.float64)
    except (ValueError, OverflowError):
        raise _fail(f"{what} has rows of different lengths or numbers too large") from None
    if arr.ndim != dims or (inner and tuple(arr.shape[1:]) != inner) or arr.shape[0] == 0:
        want = "x".join(["K", *map(str, inner)]) if inner else f"{dims}-dimensional"
        raise _fail(f"{what} has shape {list(arr.shape)}, expected {want}")
    if not np.isfinite(arr).all():
        raise _fail(f"{what} holds numbers too large for a float")
    return arr


def _short(v) -> str:
    """repr for a message, at most 40 characters (files may hold huge values)."""
    try:
        text = repr(v)
    except ValueError:  # an int with more digits than Python prints
        return "<a huge number>"
    return text if len(text) <= 40 else text[:37] + "..."


def _within(arr: np.ndarray, limit: str, what: str) -> None:
    """Every entry of ``arr`` inside limits.LIMITS[limit] (the first offender is named)."""
    lim = limits.LIMITS[limit]
    bad = np.nonzero((arr < lim.min) | (arr > lim.max))
    if bad[0].size:
        where = "".join(f"[{int(i[0])}]" for i in bad)
        limits.check(limit, float(arr[tuple(i[0] for i in bad)]), f"{what}{where}")


def _scaled(w: np.ndarray) -> np.ndarray:
    """Weights >= 0 whose sum overflows (1e308 + 1e308) divided by their largest; others unchanged."""
    with np.errstate(over="ignore"):
        if np.isfinite(w.sum()):
            return w
    return w / w.max()


def check_box(value, what: str) -> Box:
    if isinstance(value, tuple):
        value = list(value)
    arr = _array(value, 1, what, max_len=4)
    if arr.shape != (4,) or arr[0] >= arr[1] or arr[2] >= arr[3]:
        raise _fail(f"{what} {_short(value)} must be [xmin, xmax, ymin, ymax] with xmin < xmax, ymin < ymax")
    for v in arr:
        limits.check("coordinate", float(v), what)
    return tuple(float(v) for v in arr)


def _keys(d: dict, required: tuple[str, ...], optional: tuple[str, ...]):
    missing = [k for k in required if k not in d]
    if missing:
        raise _fail(f"a {d.get('type')!r} density needs the key {missing[0]!r}")
    allowed = set(required) | set(optional) | {"type", "scoreviz_density", "sigma"}
    extra = sorted(str(k) for k in d if k not in allowed)
    if extra:
        raise _fail(f"unknown key {_short(extra[0])} for a {d.get('type')!r} density; allowed: {', '.join(sorted(allowed))}")


def _image_path(value, base_dir) -> Path:
    """The picture an ``image`` density may read: a path relative to ``base_dir`` (the density file's
    own folder) that stays inside it (no absolute path, no ``..``, no link leading out).  Without a
    ``base_dir`` (a session, a model description: they hold their pictures as grids) none."""
    if not isinstance(value, str) or not value or len(value) > 4096:
        raise _fail("image path must be text of at most 4096 characters")
    if base_dir is None:
        raise _fail(f"an image density naming a file ({_short(value)}) is read only from a density file; "
                    "sessions and models hold their pictures as grid densities")
    rel = Path(value)
    if rel.is_absolute() or ".." in rel.parts:
        raise _fail(f"image path {_short(value)} must be relative to the density file's folder, without '..'")
    folder = Path(base_dir).resolve()
    path = folder / rel
    if not stays_inside(path, folder):
        raise _fail(f"image path {_short(value)} leads out of the density file's folder")
    return path


def density_from_dict(d: dict, base_dir: str | os.PathLike | None = None):
    """The density described by ``d`` (the format above); ScorevizError naming what is wrong.

    ``base_dir``: the folder of the density file ``d`` was read from; an ``image`` density may read
    a picture only from there (``_image_path``).  Without one (sessions, model descriptions, which
    embed their pictures as grids) an ``image`` density is refused: a file never makes scoreviz read,
    and a later save embed, a picture the user did not open."""
    if not isinstance(d, dict):
        raise _fail(f"expected a JSON object, got {type(d).__name__}")
    version = d.get("scoreviz_density", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise _fail(f"scoreviz_density = {_short(version)} is not supported; this version reads {FORMAT_VERSION}")
    kind = d.get("type")
    if kind == "preset":
        _keys(d, ("name",), ("params",))
        name, params = d["name"], d.get("params", {})
        if not isinstance(name, str) or name not in PRESETS:
            raise _fail(f"unknown preset {_short(name)}; presets: {', '.join(PRESETS)}")
        if not isinstance(params, dict):
            raise _fail("preset 'params' must be an object")
        density = make_preset(name, **_plain_params(name, params))
    elif kind == "mixture":
        _keys(d, ("weights", "means", "covariances"), ("box", "name"))
        k_max = limits.LIMITS["mixture_components"].max
        w = _array(d["weights"], 1, "weights", max_len=k_max)
        m = _array(d["means"], 2, "means", (2,), max_len=k_max)
        c = _array(d["covariances"], 3, "covariances", (2, 2), max_len=k_max)
        _within(m, "coordinate", "means")
        _within(c, "variance", "covariances")
        if not (len(w) == len(m) == len(c)):
            raise _fail(f"weights, means and covariances have {len(w)}, {len(m)}, {len(c)} entries; they must match")
        if (w < 0).any():
            raise _fail("mixture weights must be >= 0")
        box = d.get("box")
        density = mixture_density(_scaled(w), m, c, box=None if box is None else check_box(box, "box"))
        if "name" in d:
            if not isinstance(d["name"], str) or len(d["name"]) > 1000:
                raise _fail("name must be text of at most 1000 characters")
            density.name = d["name"]
    elif kind == "grid":
        _keys(d, ("box", "weights", "blur"), ("name", "view_box"))
        w = _array(d["weights"], 2, "weights", max_len=limits.LIMITS["grid_cells"].max)
        if (w < 0).any():
            raise _fail("grid weights must be >= 0")
        w = _scaled(w)
        if not _is_number(d["blur"]) or d["blur"] <= 0:
            raise _fail(f"blur = {_short(d['blur'])} must be a number > 0")
        limits.check("blur", d["blur"], "grid")
        name = d.get("name", "grid")
        if not isinstance(name, str) or len(name) > 1000:
            raise _fail("name must be text of at most 1000 characters")
        view = d.get("view_box")
        density = grid_density(w, check_box(d["box"], "box"), float(d["blur"]),
                               view_box=None if view is None else check_box(view, "view_box"), name=name)
    elif kind == "expression":
        _keys(d, ("expression",), ("box", "resolution"))
        if not isinstance(d["expression"], str):
            raise _fail("expression must be text")
        params = _plain_params("expression", {k: d[k] for k in ("box", "resolution") if k in d})
        if "box" in params:
            params["box"] = check_box(params["box"], "box")
        if "resolution" in params and (not isinstance(params["resolution"], int) or isinstance(params["resolution"], bool)):
            raise _fail(f"resolution = {_short(params['resolution'])} must be an integer")
        density = expression_density(d["expression"], **validate_params("expression", EXPRESSION_PARAMS, params))
    elif kind == "image":
        _keys(d, ("path",), tuple(IMAGE_PARAMS))
        path = _image_path(d["path"], base_dir)
        params = _plain_params("image", {k: d[k] for k in IMAGE_PARAMS if k in d})
        density = image_density(path, **validate_params("image", IMAGE_PARAMS, params))
    else:
        raise _fail(f"unknown type {_short(kind)}; use preset, mixture, grid, expression or image")
    sigma = d.get("sigma", 0)
    if not _is_number(sigma) or sigma < 0:
        raise _fail(f"sigma = {_short(sigma)} must be a number >= 0")
    limits.check("density_sigma", sigma)
    if sigma > 0:
        density = density.perturbed(float(sigma))
    return density


def _reject_constant(name: str):
    raise _fail(f"{name} is not a number JSON allows; numbers must be finite")


def load_density_json(path) -> object:
    """Read a density file (the format above)."""
    name = os.fspath(path)
    kind = file_kind(name)
    if kind == "missing":
        raise ScorevizError.compose(N_("density file '{name}' not found"), name=name)
    if kind == "folder":
        raise ScorevizError.compose(N_("density file '{name}' is a folder"), name=name)
    if kind != "file":
        raise ScorevizError.compose(N_("cannot read density file '{name}': not a regular file"), name=name)
    try:
        check_size(os.path.getsize(name), f"density file '{name}'", MAX_FILE_BYTES, _LARGEST)
        with open(name, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
        check_size(len(raw), f"density file '{name}'", MAX_FILE_BYTES, _LARGEST)
        check_structure(raw, f"density file '{name}'", MAX_CONTAINERS, MAX_VALUES)
    except FileNotFoundError:
        raise ScorevizError.compose(N_("density file '{name}' not found"), name=name) from None
    except IsADirectoryError:
        raise ScorevizError.compose(N_("density file '{name}' is a folder"), name=name) from None
    except OSError as exc:
        raise ScorevizError.compose(N_("cannot read density file '{name}': {reason}"), name=name,
                                    reason=exc.strerror or str(exc)) from None
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text, parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise ScorevizError.compose(N_("density file '{name}' is not UTF-8 text"), name=name) from None
    except json.JSONDecodeError as exc:
        raise ScorevizError.compose(N_("density file '{name}' is not valid JSON: {error} at line {line} column {column}"),
                                    name=name, error=exc.msg, line=exc.lineno, column=exc.colno) from None
    except ScorevizError as exc:  # NaN / Infinity
        raise ScorevizError.compose(N_("density file '{name}': {error}"), name=name, error=exc) from None
    except RecursionError:
        raise ScorevizError.compose(N_("density file '{name}' is nested too deeply"), name=name) from None
    except (ValueError, MemoryError) as exc:  # e.g. an integer with thousands of digits
        raise ScorevizError.compose(N_("density file '{name}' is not a readable density ({error})"), name=name,
                                    error=type(exc).__name__) from None
    try:
        return density_from_dict(data, base_dir=os.path.dirname(os.path.abspath(name)))
    except ScorevizError as exc:
        raise ScorevizError.compose(N_("density file '{name}': {error}"), name=name, error=exc) from None


def save_density_json(density, path) -> None:
    """Write ``density.to_dict()`` to ``path`` atomically (scoreviz.core.atomic: a temp file in the same folder, then a rename)."""
    name = os.fspath(path)
    try:
        text = json.dumps(density.to_dict(), indent=1, allow_nan=False)
    except ValueError as exc:
        raise ScorevizError(f"density cannot be saved: {exc}") from None
    write_text(name, text + "\n")  # a failure is a one-line WriteError (a ScorevizError) naming the path and cause
