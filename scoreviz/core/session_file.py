"""The ``.scoreviz`` session file: everything needed to reopen a session and continue it exactly.

A ``.scoreviz`` file is a zip archive with two members and no pickled objects:

- ``session.json`` — ``{"scoreviz_session": 1, "config": SessionConfig, "density": density dict,
  "step_count", "loss_history", "fisher_history", "particle_step", "weights_version",
  "optimizer": {"param_groups": [...], "steps": [...]}, "view": {...} (the window's state, ``VIEW``)}``
- ``arrays.npz`` — numpy arrays only (read with ``allow_pickle=False``): ``model/<name>`` weights,
  ``adam/<i>/exp_avg`` and ``adam/<i>/exp_avg_sq``, ``rng/train``, ``rng/noise`` and
  ``rng/particles`` (generator states, uint8), ``particles`` (n, 2).

Opening it restores model, optimiser, RNG, particles and histories, so training continues as if
never interrupted: on the CPU, 200 steps + 200 resumed equal 400 straight, bit for bit.
The histories are the curves under the panels: ``loss_history`` one finite loss per step (steps
1..n, n <= step_count), ``fisher_history`` rows [step, F, relative F] with whole-number steps in
order within 0..step_count (a file that breaks either is refused as damaged), so a resumed run
continues both curves.  ``view`` holds only the keys of ``VIEW``, each of its type and in range
(``check_view``): what the window restores is in range for it, and nothing else is kept.

Memory and time are bounded by what a session can legitimately hold, checked before each member is
read or parsed: ``session.json`` at most ``MAX_JSON_BYTES`` and ``MAX_JSON_CONTAINERS`` lists and
objects (``bounded_json``); ``arrays.npz`` at most ``arrays_limit(cfg)``, the size the file's own
model settings imply.  A session's density is embedded data: an ``image`` density naming a file is
refused (a session never makes scoreviz read, or a re-save embed, a picture the user did not open).
"""

from __future__ import annotations

import array
import io
import json
import math
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from scoreviz.core import limits
from scoreviz.core.atomic import file_kind, write_bytes
from scoreviz.core.bounded_json import check_size, check_structure
from scoreviz.core.densities import MAX_CONTAINERS, density_from_dict
from scoreviz.core.errors import ScorevizError
from scoreviz.core.limits import is_finite_number
from scoreviz.core.models import parameter_shapes
from scoreviz.core.session import Session, SessionConfig
from scoreviz.core.text import N_

FORMAT = 1
SUFFIX = ".scoreviz"
# session.json: settings and the view are kilobytes, but the density may be a grid of up to
# 1024 x 1024 numbers (~25 MB of JSON) and the loss history holds one number a step (~19 bytes a
# step: a session trained for 100 000 steps has ~2 MB of it).  64 MiB leaves room for the largest
# density and ~1.8 million steps of history.  Lists and objects cost ~60 bytes of memory for 1-2
# bytes of text: a session holds few (the density's rows or components, the Fisher rows, ~20
# objects), so more than MAX_JSON_CONTAINERS is refused before parsing.
MAX_JSON_BYTES = 64 * 1024 * 1024
JSON_ROOM = "room for a 1024 x 1024 grid density and ~1.8 million steps of loss history"
MAX_FISHER_ROWS = 100_000  # ~100 (1 + ln(steps / 100)) per run of the curve schedule, plus one a pause
MAX_JSON_CONTAINERS = MAX_CONTAINERS + MAX_FISHER_ROWS
# arrays.npz: what the model settings imply (weights and Adam's two moments at 8 bytes a number),
# the particles (the n_particles limit, two coordinates of 8 bytes), three generator states (a CPU
# generator's is 5056 bytes) and the zip and .npy headers of each member
RNG_STATE_BYTES = 64 * 1024
MEMBER_ROOM = 1024
MAX_COUNT = 2**53  # step counters
# the window's state kept in a session (``view``): key -> (type, lo, hi) for numbers, (str, 0, max
# length) for text, (bool,) for switches, ("box",) for a view box within the coordinate limit; the
# scale modes the window knows.  The grid is the arrow-grid override of the display (within the
# field-grid limit: older files saved that grid; the window clamps it to its arrow_grid limit).
SCALE_MODES = ("linear", "log", "direction")
VIEW: dict[str, tuple] = {
    "box": ("box",),
    "grid": (int, *limits.bounds("grid")),
    "grid_auto": (bool,),
    "scale": (str, SCALE_MODES),
    "error": (bool,),
    "unit": (bool,),
    "antialias": (bool,),
    "trails": (bool,),
    "time": (float, 0.0, 1.0),  # objective sde: the time the fields showed (the window's time bar)
    "speed_index": (int, 0, 63),
    "controls_visible": (bool,),
    "autosave_of": (str, 4096),
    "autosave_label": (str, 4096),
}


def _np(t: torch.Tensor) -> np.ndarray:
    return t.detach().cpu().numpy().copy()


def _view_value_ok(spec: tuple, value) -> bool:
    kind = spec[0]
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool) and spec[1] <= value <= spec[2]
    if kind is float:
        return (isinstance(value, (int, float)) and not isinstance(value, bool) and is_finite_number(value)
                and spec[1] <= value <= spec[2])
    if kind is str:
        if not isinstance(value, str):
            return False
        return value in spec[1] if isinstance(spec[1], tuple) else len(value) <= spec[1]
    lim = limits.LIMITS["coordinate"]  # "box": [xmin, xmax, ymin, ymax]
    return (isinstance(value, list) and len(value) == 4
            and all(is_finite_number(v) and lim.min <= v <= lim.max for v in value)
            and value[0] < value[1] and value[2] < value[3])


def check_view(view) -> dict:
    """``view`` as a session file may hold it: an object of ``VIEW``'s keys only, each value of its
    type and in range (so whatever the window restores is in range for it); else ValueError naming
    the key.  None is an empty view."""
    if view is None:
        return {}
    if not isinstance(view, dict):
        raise ValueError("view must be an object")
    for key, value in view.items():
        spec = VIEW.get(key)
        if spec is None:
            raise ValueError(f"view key {limits.show(key)} is not known; known: {', '.join(VIEW)}")
        if not _view_value_ok(spec, value):
            raise ValueError(f"view {key}={limits.show(value)} is not allowed (wrong type or out of range)")
    return dict(view)


def saved_view(view: dict) -> dict:
    """What a session file keeps of the window's ``view``: entries ``check_view`` accepts (a view box
    zoomed out beyond the coordinate limit is left out).  A key outside ``VIEW`` is a programming
    error (ValueError): add it to ``VIEW`` with its range."""
    unknown = [k for k in view if k not in VIEW]
    if unknown:
        raise ValueError(f"view key {limits.show(unknown[0])} is not in session_file.VIEW")
    return {k: v for k, v in view.items() if _view_value_ok(VIEW[k], v)}


def arrays_limit(cfg: SessionConfig) -> int:
    """The most bytes ``arrays.npz`` can legitimately hold for a session of ``cfg``: the weights and
    Adam's two moments at 8 bytes a number, the particles (the n_particles limit), three generator
    states, and the headers of each member."""
    shapes = parameter_shapes(cfg.model)
    numbers = sum(math.prod(s) for s in shapes.values())
    members = 3 * len(shapes) + 4
    particles = 2 * 8 * int(limits.LIMITS["n_particles"].max)
    return 3 * 8 * numbers + particles + 3 * RNG_STATE_BYTES + members * MEMBER_ROOM


def _damaged(name: str, e: BaseException) -> ScorevizError:
    """The one line for a session whose content is refused."""
    if isinstance(e, ScorevizError):
        return ScorevizError.compose(N_("'{name}': {error}"), name=name, error=e)
    if isinstance(e, KeyError):
        return ScorevizError.compose(N_("'{name}' is a damaged scoreviz session: {key} is missing"), name=name,
                                     key=limits.show(e.args[0] if e.args else '?'))
    msg = str(e).splitlines()[0] if str(e) else type(e).__name__
    return ScorevizError.compose(N_("'{name}' is a damaged scoreviz session: {reason}"), name=name, reason=msg[:200])


_CONTENT_ERRORS = (ScorevizError, KeyError, TypeError, ValueError, RuntimeError, IndexError, OverflowError)


def session_bytes(session, view: dict | None = None, particles=None, particle_step: int | None = None) -> bytes:
    """The .scoreviz archive of ``session`` as bytes.

    ``particles`` (n, 2) and ``particle_step`` replace the session's own where the particles live
    elsewhere (the app moves them in a display copy of the session).
    """
    arrays: dict[str, np.ndarray] = {}
    for name, value in session.model.state_dict().items():
        arrays[f"model/{name}"] = _np(value)
    opt = session.optimizer.state_dict()
    steps = []
    for i, pid in enumerate(opt["param_groups"][0]["params"]):
        st = opt["state"].get(pid)
        if st is None:
            steps.append(None)
            continue
        steps.append(float(st["step"]))
        arrays[f"adam/{i}/exp_avg"] = _np(st["exp_avg"])
        arrays[f"adam/{i}/exp_avg_sq"] = _np(st["exp_avg_sq"])
    arrays["rng/train"] = _np(session.generator.get_state())
    arrays["rng/noise"] = _np(session.noise_generator.get_state())
    arrays["rng/particles"] = _np(session.particle_generator.get_state())
    arrays["particles"] = (_np(session.particles) if particles is None
                           else np.array(particles, dtype=np.float32, copy=True).reshape(-1, 2))
    groups = [{k: v for k, v in g.items() if k != "params"} for g in opt["param_groups"]]
    meta = {
        "scoreviz_session": FORMAT,
        "config": session.cfg.to_dict(),
        "density": session.density.to_dict(),
        "step_count": session.step_count,
        "loss_history": list(session.loss_history),
        "fisher_history": [list(h) for h in session.fisher_history],
        "particle_step": int(session.particle_step if particle_step is None else particle_step),
        "weights_version": session.weights_version,
        "optimizer": {"param_groups": groups, "steps": steps},
        "view": saved_view(view or {}),
    }
    npz = io.BytesIO()
    np.savez(npz, **arrays)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("session.json", json.dumps(meta))
        z.writestr("arrays.npz", npz.getvalue())
    return buf.getvalue()


def save_session(path, session, view: dict | None = None, particles=None, particle_step: int | None = None) -> None:
    """Write ``session`` (and optional GUI ``view`` state) to ``path`` atomically (see ``session_bytes``)."""
    write_bytes(path, session_bytes(session, view, particles, particle_step))


def _read_archive(path) -> tuple[dict, SessionConfig, dict[str, np.ndarray]]:
    """(meta, config, arrays) of a session file; each member checked against what a session can
    hold before it is read (sizes) or parsed (the JSON's lists and objects)."""
    path = Path(path)
    name = path.name
    kind = file_kind(path)
    if kind == "missing":
        raise ScorevizError.compose(N_("session file '{path}' does not exist"), path=str(path))
    if kind == "folder":
        raise ScorevizError.compose(N_("session file '{path}' is a folder"), path=str(path))
    if kind != "file":
        raise ScorevizError.compose(N_("'{name}' cannot be read as a scoreviz session (not a regular file)"), name=name)
    try:
        with zipfile.ZipFile(path) as z:
            members = {i.filename: i for i in z.infolist()}
            if set(members) != {"session.json", "arrays.npz"} or len(z.infolist()) != 2:
                raise ScorevizError.compose(N_("'{name}' is not a scoreviz session (unexpected contents)"), name=name)
            check_size(members["session.json"].file_size, f"'{name}': session.json", MAX_JSON_BYTES, JSON_ROOM)
            text = z.read("session.json")
            check_structure(text, f"'{name}': session.json", MAX_JSON_CONTAINERS)
            meta = json.loads(text.decode("utf-8"))
            del text
            if not isinstance(meta, dict) or meta.get("scoreviz_session") != FORMAT:
                raise ScorevizError.compose(N_("'{name}' is not a scoreviz session file (format {format})"), name=name,
                                            format=FORMAT)
            try:
                cfg = SessionConfig.from_dict(meta["config"])
                most = arrays_limit(cfg)
            except _CONTENT_ERRORS as e:
                raise _damaged(name, e) from None
            why = f"what its model settings imply: {cfg.model.hidden} wide, {cfg.model.layers} layers"
            check_size(members["arrays.npz"].file_size, f"'{name}': arrays.npz", most, why)
            raw = z.read("arrays.npz")
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            inner = npz.zip.infolist()
            check_size(sum(i.file_size for i in inner), f"'{name}': arrays.npz's arrays", most, why)
            arrays = {k: npz[k] for k in npz.files}
        if not all(isinstance(v, np.ndarray) for v in arrays.values()):  # np.load gives raw bytes for non-.npy members
            raise ScorevizError.compose(N_("'{name}' is not a readable scoreviz session (an array is damaged)"),
                                        name=name)
    except FileNotFoundError:
        raise ScorevizError.compose(N_("session file '{path}' does not exist"), path=str(path)) from None
    except ScorevizError:
        raise
    except RecursionError:
        raise ScorevizError.compose(N_("'{name}' is not a readable scoreviz session (nested too deeply)"),
                                    name=name) from None
    except MemoryError:
        raise ScorevizError.compose(N_("'{name}' is not a readable scoreviz session (too large for memory)"),
                                    name=name) from None
    except Exception as e:
        # corrupt, truncated or foreign (zipfile, zlib, json, numpy errors): one line, nothing
        # executed (no pickle is ever read)
        raise ScorevizError.compose(N_("'{name}' is not a readable scoreviz session ({error})"), name=name,
                                    error=type(e).__name__) from None
    return meta, cfg, arrays


def _count(meta: dict, key: str, default=None) -> int:
    """A whole number >= 0 from the session's JSON."""
    v = meta.get(key, default) if default is not None else meta[key]
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_COUNT:
        raise ValueError(f"{key} must be a whole number 0..{MAX_COUNT}")
    return v


def _number(v, what: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError(f"{what} must be a number")
    return float(v)


def _check_arrays(cfg, arrays: dict) -> None:
    """Shapes and types of the arrays against the configuration, before anything is built from them
    (a tiny hostile file cannot make us allocate a huge network)."""

    expected = parameter_shapes(cfg.model)
    model = {k[len("model/"):]: v for k, v in arrays.items() if k.startswith("model/")}
    if set(model) != set(expected):
        raise ValueError("the model weights do not match the model settings")
    for key, arr in arrays.items():
        want_kind = "u" if key.startswith("rng/") else "f"
        if arr.dtype.kind != want_kind or arr.dtype.itemsize > 8:
            raise ValueError(f"array {key!r} has type {arr.dtype}")
        if key.startswith("model/") and tuple(arr.shape) != expected[key[len("model/"):]]:
            raise ValueError(f"weights {key[len('model/'):]!r} have shape {tuple(arr.shape)}, expected "
                             f"{expected[key[len('model/'):]]}")
    particles = arrays["particles"]
    if particles.ndim != 2 or particles.shape[1] != 2:
        raise ValueError("particles must be (n, 2)")
    limits.check("n_particles", int(particles.shape[0]), "saved")


def load_session(path, device: str | None = None):
    """Reopen a session saved by ``save_session``. Returns (Session, view dict).

    ``device`` overrides the saved device (e.g. a CUDA session opened on a CPU-only machine).
    Nothing in the file is ever executed (no pickle); a damaged, foreign or hostile file is
    refused with a one-line ScorevizError before anything large is built from it.  The saved
    ``threads`` stays in ``cfg`` but is not applied (torch's thread count is the caller's choice).
    """

    meta, cfg, arrays = _read_archive(path)
    name = Path(path).name
    try:
        if device is not None:
            cfg.device = device
        _check_arrays(cfg, arrays)
        step_count, particle_step = _count(meta, "step_count"), _count(meta, "particle_step")
        weights_version = _count(meta, "weights_version", step_count)
        losses = meta["loss_history"]
        fishers = meta["fisher_history"]
        if not isinstance(losses, list) or not isinstance(fishers, list):
            raise ValueError("histories must be lists")
        loss_history = [_number(v, "loss history") for v in losses]
        if not all(math.isfinite(v) for v in loss_history):  # a step with a non-finite loss is never taken
            raise ValueError("loss history holds NaN or Inf")
        fisher_history = []
        for h in fishers:
            if not isinstance(h, list) or len(h) != 3 or isinstance(h[0], bool) or not isinstance(h[0], int):
                raise ValueError("fisher history entries must be [step, F, relative F]")
            fisher_history.append((h[0], _number(h[1], "fisher history"), _number(h[2], "fisher history")))
        # the curves are drawn against the step: losses are steps 1..n, Fisher points in step order
        if len(loss_history) > step_count:
            raise ValueError(f"loss history has {len(loss_history)} entries for {step_count} steps")
        fisher_steps = [h[0] for h in fisher_history]
        if any(not 0 <= a <= b <= step_count for a, b in zip(fisher_steps, fisher_steps[1:] + [step_count])):
            raise ValueError("fisher history steps must run in order from 0 to the step count")
        if not isinstance(meta["density"], dict):
            raise ValueError("density must be an object")
        view = check_view(meta.get("view"))
        # no base folder: a session's density is embedded data, never a picture read from a path
        density = density_from_dict(meta["density"])
        # the file's thread count is recorded, not applied: a file never changes process-wide settings
        session = Session(replace(cfg, threads=None), density=density)
        session.cfg = cfg
        state = {k[len("model/"):]: torch.from_numpy(v) for k, v in arrays.items() if k.startswith("model/")}
        for key, value in state.items():
            limits.require_finite(value, f"model weights {key!r}")
        session.model.load_state_dict(state)
        _restore_optimizer(session, meta["optimizer"], arrays)
        session.generator.set_state(torch.from_numpy(arrays["rng/train"]))
        session.noise_generator.set_state(torch.from_numpy(arrays["rng/noise"]))
        session.particle_generator.set_state(torch.from_numpy(arrays["rng/particles"]))
        session.particles = torch.from_numpy(arrays["particles"]).to(session.device, torch.float32)
        session.particle_step = particle_step
        session.step_count = step_count
        session.loss_history = array.array("d", loss_history)
        session.fisher_history = fisher_history
        session.weights_version = weights_version
    except _CONTENT_ERRORS as e:
        raise _damaged(name, e) from None
    return session, view


def _check_group(saved, fresh: dict) -> dict:
    """The Adam hyperparameters to restore: this optimiser's own, with the saved numbers (lr, betas,
    eps, weight_decay) once checked.  Implementation switches (amsgrad, fused, capturable...) and
    settings this torch does not know are never taken from a file: a hostile one could otherwise
    plant e.g. lr = "x" or amsgrad = true and break training later, far from the file."""
    if not isinstance(saved, dict):
        raise ValueError("optimizer parameter group must be an object")
    group = {k: v for k, v in fresh.items() if k != "params"}
    for key, value in saved.items():
        ref = fresh.get(key)
        if key == "params" or isinstance(ref, bool) or not isinstance(ref, (int, float, tuple, list)):
            continue
        if isinstance(ref, (int, float)):
            ok = is_finite_number(value) and value >= 0
        else:
            ok = (isinstance(value, list) and len(value) == len(ref)
                  and all(not isinstance(v, bool) and isinstance(v, (int, float)) and 0 <= v < 1 for v in value))
        if not ok:
            raise ValueError(f"optimizer setting {key!r} = {str(value)[:40]} is not allowed")
        group[key] = value
    group["lr"] = limits.check("lr", group["lr"], "optimizer")
    return group


def _restore_optimizer(session, opt_meta: dict, arrays: dict) -> None:
    params = list(session.model.parameters())
    if not isinstance(opt_meta, dict):
        raise ValueError("optimizer state must be an object")
    steps = opt_meta["steps"]
    if not isinstance(steps, list) or len(steps) != len(params):
        raise ValueError(f"optimizer state has {len(steps) if isinstance(steps, list) else 'no'} parameters, "
                         f"the model {len(params)}")
    state = {}
    for i, (p, step) in enumerate(zip(params, steps)):
        if step is None:
            continue
        if isinstance(step, bool) or not isinstance(step, (int, float)) or not 0 <= step <= MAX_COUNT:
            raise ValueError(f"optimizer step {str(step)[:40]} is not allowed")
        exp_avg = torch.from_numpy(arrays[f"adam/{i}/exp_avg"]).to(p.device)
        exp_avg_sq = torch.from_numpy(arrays[f"adam/{i}/exp_avg_sq"]).to(p.device)
        if exp_avg.shape != p.shape or exp_avg_sq.shape != p.shape:
            raise ValueError(f"optimizer state {i} has shapes {tuple(exp_avg.shape)} and {tuple(exp_avg_sq.shape)}, "
                             f"expected {tuple(p.shape)}")
        limits.require_finite(exp_avg, f"optimizer state {i} (first moment)")
        limits.require_finite(exp_avg_sq, f"optimizer state {i} (second moment)")
        if bool((exp_avg_sq < 0).any()):
            raise ValueError(f"optimizer state {i} (second moment) holds negative values: a second moment is >= 0")
        state[i] = {"step": torch.tensor(float(step)), "exp_avg": exp_avg, "exp_avg_sq": exp_avg_sq}
    groups = opt_meta["param_groups"]
    if not isinstance(groups, list) or len(groups) != 1 or not isinstance(groups[0], dict):
        raise ValueError("optimizer must have one parameter group")
    fresh = session.optimizer.state_dict()["param_groups"][0]
    group = _check_group(groups[0], fresh)
    group["params"] = list(range(len(params)))
    session.optimizer.load_state_dict({"state": state, "param_groups": [group]})
