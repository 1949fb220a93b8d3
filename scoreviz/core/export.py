"""Result files: field.npz, metrics.json and the trained model (model.pt + model.json).

Layouts (a public interface, documented in the README):
- ``field.npz``: ``xs`` (W,), ``ys`` (H,), ``learned`` (H, W, 2), ``true`` (H, W, 2),
  ``log_density`` (H, W), ``sigma`` (scalar) — ``learned[i, j]`` is at x = xs[j], y = ys[i];
  objective sde adds ``t`` (scalar), the time of ``learned`` and ``true`` (``sigma`` = std(t)).
- ``model.pt``: the network's ``state_dict`` (``torch.save``; load with ``weights_only=True``).
- ``model.json``: ``{"scoreviz_model": 1, "model": ModelConfig, "objective": ObjectiveConfig,
  "sigma": target sigma, "density": density dict}``; objective sde adds ``"sde"`` (the process,
  t_eps resolved) and ``"t"`` (the display time), for reading: the objective's fields are the record,
  and ``load_model`` returns the process as ``info["sde_config"]`` (None for other objectives).
"""

from __future__ import annotations

import io
import json
import math
import pickle
import warnings
import zipfile
from pathlib import Path

import numpy as np
import torch

from scoreviz.core import limits
from scoreviz.core.atomic import write_bytes, write_files, write_text
from scoreviz.core.bounded_json import check_size, check_structure
from scoreviz.core.densities import MAX_CONTAINERS as MAX_DENSITY_CONTAINERS
from scoreviz.core.densities import MAX_FILE_BYTES as MAX_DENSITY_BYTES
from scoreviz.core.densities import MAX_VALUES as MAX_DENSITY_VALUES
from scoreviz.core.densities import check_box
from scoreviz.core.errors import ScorevizError
from scoreviz.core.fields import evaluate, grid
from scoreviz.core.limits import is_finite_number
from scoreviz.core.models import ModelConfig, ScoreModel, parameter_shapes
from scoreviz.core.marginals import check_time
from scoreviz.core.objectives import ObjectiveConfig, objective_sde, target_sigma

MODEL_FORMAT = 1


def field_arrays(session, n: int | None = None, box=None, t: float | None = None) -> dict:
    """The field.npz arrays for ``session`` on an n x n grid over ``box`` (default the density's).

    Objective sde: ``learned`` is s_theta(x, t) and ``true`` the exact grad log p_t at the time ``t``
    (default the session's ``field_t``), ``sigma`` is std(t) and the key ``t`` is added; ``log_density``
    stays log p of the data, as for every objective.  Other objectives have no ``t`` key (and refuse one)."""
    n = int(n or session.cfg.grid)
    box = tuple(box or session.density.box)
    time = None
    if session.sde is not None:
        time = session.field_t if t is None else check_time(session.sde, t)
    elif t is not None:
        raise ScorevizError(f"a field time t needs objective sde; objective {session.cfg.objective.name!r} has no time axis")
    xs, ys, pts = grid(box, n, session.device)
    learned = evaluate(lambda x: session.learned_score(x, t=time), pts).float().cpu().numpy().reshape(n, n, 2)
    true = evaluate(lambda x: session.true_score(x, t=time), pts).float().cpu().numpy().reshape(n, n, 2)
    logp = evaluate(session.density.log_prob, pts).float().cpu().numpy().reshape(n, n)
    if not np.isfinite(learned).all():
        raise ScorevizError("the learned field has non-finite values; lower the learning rate (--lr)")
    out = {"xs": xs, "ys": ys, "learned": learned, "true": true, "log_density": logp,
           "sigma": np.float64(session.target_sigma if time is None else target_sigma(session.cfg.objective, time))}
    if time is not None:
        out["t"] = np.float64(time)
    return out


def npz_bytes(arrays: dict) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def write_field_npz(path, arrays: dict) -> None:
    write_bytes(path, npz_bytes(arrays))


def _json_safe(v):
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def json_bytes(data: dict) -> bytes:
    """``data`` as the indented JSON of scoreviz's files (non-finite floats as null)."""
    return (json.dumps(data, indent=2, default=_json_safe) + "\n").encode("utf-8")


def write_json(path, data: dict) -> None:
    write_bytes(path, json_bytes(data))


def model_bytes(model: torch.nn.Module) -> bytes:
    buf = io.BytesIO()
    torch.save({k: v.detach().cpu() for k, v in model.state_dict().items()}, buf)
    return buf.getvalue()


def model_info(session) -> dict:
    info = {
        "scoreviz_model": MODEL_FORMAT,
        "model": session.cfg.model.to_dict(),
        "objective": session.cfg.objective.to_dict(),
        "sigma": session.target_sigma,
        "density": session.density.to_dict(),
    }
    if session.sde is not None:  # objective sde: the process (t_eps resolved) and the display time, for reading
        info["sde"] = session.sde.to_dict()
        info["t"] = session.field_t
    return info


def save_model(folder, session) -> None:
    """``folder/model.pt`` (state dict) and ``folder/model.json`` (config), written as a pair
    (``atomic.write_files``: both or neither; a failure is a one-line WriteError naming the file)."""
    write_files(folder, {"model.pt": model_bytes(session.model), "model.json": json_bytes(model_info(session))})


# model.pt holds at most what its model.json's network implies: its numbers at 8 bytes (float64 at
# most; torch.save of our float32 networks takes 4) plus torch's archive around them (~2-4 KB for
# our networks: the pickle, ~100 bytes a tensor, zip headers and 64-byte alignment, ~250 a tensor).
# Within that, every member but the tensors' storages (data.pkl, version, byteorder...) is small:
# the pickle is what torch.load turns into objects (an empty list costs ~60 bytes for 1 byte of it).
MODEL_FILE_ROOM = 64 * 1024
MODEL_TENSOR_ROOM = 1024
MODEL_PICKLE_ROOM = 16 * 1024
# model.json: the configs and a density (up to the largest density file, a 1024 x 1024 grid) plus 1 MiB
MAX_INFO_BYTES = MAX_DENSITY_BYTES + 1024 * 1024
MAX_INFO_CONTAINERS = MAX_DENSITY_CONTAINERS + 1000
MAX_INFO_VALUES = MAX_DENSITY_VALUES + 10_000


def model_file_limit(cfg: ModelConfig) -> int:
    """The most bytes a model.pt of the network ``cfg`` can legitimately take."""
    shapes = parameter_shapes(cfg)
    return 8 * sum(math.prod(s) for s in shapes.values()) + MODEL_FILE_ROOM + MODEL_TENSOR_ROOM * len(shapes)


def _is_storage(member: str) -> bool:
    """A tensor's numbers in torch's archive: ``<archive>/data/<key>``."""
    parts = member.split("/")
    return len(parts) == 3 and parts[1] == "data" and parts[2].isdigit()


def _read_weights(weights_path: Path, cfg: ModelConfig) -> dict:
    """model.pt as a state dict that fits ``cfg``, or ValueError/ScorevizError.

    Never unpickles arbitrary objects (``weights_only=True``), reads only torch's zip format with
    uncompressed members (what ``torch.save`` writes) whose sizes fit the file, and checks names,
    shapes and types against the configuration before any network is built."""


    size = weights_path.stat().st_size
    expected = parameter_shapes(cfg)
    why = f"what model.json's network implies: {cfg.hidden} wide, {cfg.layers} layers"
    check_size(size, "model.pt", model_file_limit(cfg), why)
    with open(weights_path, "rb") as fh:
        if fh.read(4) != b"PK\x03\x04":
            raise ValueError("model.pt is not a torch zip archive")
    pickle_most = MODEL_PICKLE_ROOM + MODEL_TENSOR_ROOM * len(expected)
    with zipfile.ZipFile(weights_path) as z:
        infos = z.infolist()
        if any(i.compress_type != zipfile.ZIP_STORED or i.file_size > size for i in infos):
            raise ValueError("model.pt has unexpected (compressed or oversized) members")
        for i in infos:  # the pickle torch.load turns into objects: bounded before it is read
            if not _is_storage(i.filename):
                check_size(i.file_size, f"model.pt's member {limits.show(i.filename)}", pickle_most,
                           f"what {len(expected)} tensors need")
    stored = sum(4 * math.prod(shape) for shape in expected.values())
    if size < stored:  # float32 weights: the file cannot hold this network
        raise ValueError(f"model.pt holds {size} bytes; the network described in model.json needs {stored}")

    try:
        with warnings.catch_warnings():  # e.g. "Detected pickle protocol 15": the refusal below says enough
            warnings.simplefilter("ignore")
            state = torch.load(weights_path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:  # torch's message advises weights_only=False: never do that with a stranger's file
        raise ValueError("model.pt holds objects other than plain tensors; refused (loading them could run code)") from None
    if not isinstance(state, dict) or set(state) != set(expected):
        raise ValueError("model.pt does not hold the weights of the network described in model.json")
    for key, value in state.items():
        if not isinstance(value, torch.Tensor) or not value.is_floating_point() or tuple(value.shape) != expected[key]:
            raise ValueError(f"weights {key!r} do not match the network described in model.json")
        limits.require_finite(value, f"model.pt weights {key!r}")
    return state


def _check_info(info: dict) -> None:
    """The fields the CLI and GUI read from model.json besides the configs: sigma and the density's box."""
    sigma = info.get("sigma", 0.0)
    if sigma is None:
        sigma = 0.0
    if not is_finite_number(sigma) or sigma < 0:
        raise ScorevizError(f"sigma = {str(sigma)[:40]} must be a number >= 0")
    info["sigma"] = float(sigma)
    density = info.get("density", {})
    if not isinstance(density, dict):
        raise ScorevizError("density must be an object")
    if "box" in density:
        density["box"] = list(check_box(density["box"], "density box"))
    info["density"] = density


def load_model(folder, device: torch.device | str = "cpu") -> tuple[ScoreModel, dict]:
    """Load a model saved by ``save_model``; returns (model in eval mode, info dict).

    Never unpickles arbitrary objects: ``torch.load(weights_only=True)``, on a zip archive whose
    names and shapes are checked against model.json first.  A damaged, foreign or hostile folder
    is refused with a one-line ScorevizError.
    """
    folder = Path(folder)
    info_path, weights_path = folder / "model.json", folder / "model.pt"
    if not folder.is_dir():
        raise ScorevizError(f"score '{folder}' is not a folder with a trained model (model.json, model.pt); use 'true' or a train --out folder")
    if not info_path.is_file() or not weights_path.is_file():
        raise ScorevizError(f"folder '{folder}' has no trained model (model.json and model.pt are needed)")
    try:
        room = "room for the largest density and the settings"
        check_size(info_path.stat().st_size, f"'{info_path}'", MAX_INFO_BYTES, room)
        with open(info_path, "rb") as fh:
            raw = fh.read(MAX_INFO_BYTES + 1)
        check_size(len(raw), f"'{info_path}'", MAX_INFO_BYTES, room)
        check_structure(raw, f"'{info_path}'", MAX_INFO_CONTAINERS, MAX_INFO_VALUES)
        info = json.loads(raw.decode("utf-8"))
    except ScorevizError:
        raise
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ScorevizError(f"cannot read '{info_path}': {str(e).splitlines()[0][:200]}") from None
    except (ValueError, RecursionError, MemoryError) as e:
        raise ScorevizError(f"cannot read '{info_path}': not a model description ({type(e).__name__})") from None
    if not isinstance(info, dict) or info.get("scoreviz_model") != MODEL_FORMAT:
        raise ScorevizError(f"'{info_path}' is not a scoreviz model description (format {MODEL_FORMAT})")
    try:
        cfg = ModelConfig.from_dict(info["model"])
        info["objective_config"] = ObjectiveConfig.from_dict(info["objective"])
        if (info["objective_config"].name == "sde") != cfg.time_conditional:
            raise ScorevizError("objective sde and a time-conditional model go together; model.json has objective "
                                f"{info['objective_config'].name!r} with time_conditional={cfg.time_conditional}")
        # objective sde: the model's own process, from the objective (the "sde" key is written for reading only)
        info["sde_config"] = objective_sde(info["objective_config"]) if cfg.time_conditional else None
        _check_info(info)
        state = _read_weights(weights_path, cfg)
        model = ScoreModel(cfg)
        model.load_state_dict(state)
    except ScorevizError as e:
        raise ScorevizError(f"cannot load model from '{folder}': {e}") from None
    except Exception as e:  # corrupt or foreign weights: one line, no traceback
        msg = str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
        raise ScorevizError(f"cannot load model from '{folder}': {msg}") from None
    model.to(device).eval()
    return model, info


FIELD_CSV_COLUMNS = ("x", "y", "learned_u", "learned_v", "true_u", "true_v", "log_density")


def field_csv_text(arrays: dict) -> str:
    """The field arrays as CSV: one row per grid point (row-major, y outer), columns FIELD_CSV_COLUMNS."""
    xs, ys = arrays["xs"], arrays["ys"]
    gx, gy = np.meshgrid(xs, ys, indexing="xy")
    table = np.column_stack([gx.ravel(), gy.ravel(), arrays["learned"].reshape(-1, 2), arrays["true"].reshape(-1, 2),
                             arrays["log_density"].ravel()])
    buf = io.StringIO()
    buf.write(",".join(FIELD_CSV_COLUMNS) + "\n")
    np.savetxt(buf, table, delimiter=",", fmt="%.9g")
    return buf.getvalue()


def write_field_csv(path, arrays: dict) -> None:
    write_text(path, field_csv_text(arrays))


def read_field_csv(path) -> dict:
    """Back from CSV to the field.npz layout (without ``sigma``)."""
    with open(path, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    if tuple(header) != FIELD_CSV_COLUMNS:
        raise ScorevizError(f"'{path}' is not a scoreviz field CSV (columns {', '.join(FIELD_CSV_COLUMNS)})")
    t = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2, dtype=np.float64)
    xs = np.unique(t[:, 0])
    ys = np.unique(t[:, 1])
    h, w = len(ys), len(xs)
    return {"xs": xs, "ys": ys, "learned": t[:, 2:4].reshape(h, w, 2), "true": t[:, 4:6].reshape(h, w, 2),
            "log_density": t[:, 6].reshape(h, w)}
