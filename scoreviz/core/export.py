"""Result files: field.npz, metrics.json and the trained model (model.pt + model.json).

Layouts (a public interface, documented in the README):
- ``field.npz``: ``xs`` (W,), ``ys`` (H,), ``learned`` (H, W, 2), ``true`` (H, W, 2),
  ``log_density`` (H, W), ``sigma`` (scalar) — ``learned[i, j]`` is at x = xs[j], y = ys[i].
- ``model.pt``: the network's ``state_dict`` (``torch.save``; load with ``weights_only=True``).
- ``model.json``: ``{"scoreviz_model": 1, "model": ModelConfig, "objective": ObjectiveConfig,
  "sigma": target sigma, "density": density dict}``.
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
from scoreviz.core.atomic import write_bytes, write_text
from scoreviz.core.densities import check_box
from scoreviz.core.errors import ScorevizError
from scoreviz.core.fields import evaluate, grid
from scoreviz.core.limits import is_finite_number
from scoreviz.core.models import ModelConfig, ScoreModel, parameter_shapes
from scoreviz.core.objectives import ObjectiveConfig

MODEL_FORMAT = 1


def field_arrays(session, n: int | None = None, box=None) -> dict:
    """The field.npz arrays for ``session`` on an n x n grid over ``box`` (default the density's)."""
    n = int(n or session.cfg.grid)
    box = tuple(box or session.density.box)
    xs, ys, pts = grid(box, n, session.device)
    learned = evaluate(session.learned_score, pts).float().cpu().numpy().reshape(n, n, 2)
    true = evaluate(session.true_score, pts).float().cpu().numpy().reshape(n, n, 2)
    logp = evaluate(session.density.log_prob, pts).float().cpu().numpy().reshape(n, n)
    if not np.isfinite(learned).all():
        raise ScorevizError("the learned field has non-finite values; lower the learning rate (--lr)")
    return {"xs": xs, "ys": ys, "learned": learned, "true": true, "log_density": logp,
            "sigma": np.float64(session.target_sigma)}


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


def write_json(path, data: dict) -> None:
    write_text(path, json.dumps(data, indent=2, default=_json_safe) + "\n")


def model_bytes(model: torch.nn.Module) -> bytes:
    buf = io.BytesIO()
    torch.save({k: v.detach().cpu() for k, v in model.state_dict().items()}, buf)
    return buf.getvalue()


def model_info(session) -> dict:
    return {
        "scoreviz_model": MODEL_FORMAT,
        "model": session.cfg.model.to_dict(),
        "objective": session.cfg.objective.to_dict(),
        "sigma": session.target_sigma,
        "density": session.density.to_dict(),
    }


def save_model(folder, session) -> None:
    """``folder/model.pt`` (state dict) and ``folder/model.json`` (config)."""
    folder = Path(folder)
    write_bytes(folder / "model.pt", model_bytes(session.model))
    write_json(folder / "model.json", model_info(session))


MAX_MODEL_BYTES = 2 * 1024**3  # > the largest network the limits allow (16 x 4096^2 float32 = 1 GiB)
MAX_INFO_BYTES = 64 * 1024 * 1024


def _read_weights(weights_path: Path, cfg: ModelConfig) -> dict:
    """model.pt as a state dict that fits ``cfg``, or ValueError/ScorevizError.

    Never unpickles arbitrary objects (``weights_only=True``), reads only torch's zip format with
    uncompressed members (what ``torch.save`` writes) whose sizes fit the file, and checks names,
    shapes and types against the configuration before any network is built."""


    size = weights_path.stat().st_size
    if size > MAX_MODEL_BYTES:
        raise ValueError(f"model.pt is too large ({size} bytes)")
    with open(weights_path, "rb") as fh:
        if fh.read(4) != b"PK\x03\x04":
            raise ValueError("model.pt is not a torch zip archive")
    with zipfile.ZipFile(weights_path) as z:
        infos = z.infolist()
        if any(i.compress_type != zipfile.ZIP_STORED or i.file_size > size for i in infos):
            raise ValueError("model.pt has unexpected (compressed or oversized) members")
    expected = parameter_shapes(cfg)
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
        if info_path.stat().st_size > MAX_INFO_BYTES:
            raise ScorevizError(f"'{info_path}' is too large to be a model description")
        info = json.loads(info_path.read_text(encoding="utf-8"))
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
