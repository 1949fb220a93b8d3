"""``scoreviz evaluate``: the scorecard of a samples file (.npy) against the exact density
(``scoreviz.core.scorecard``), written as JSON; and the same report for ``scoreviz sample --report``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import torch

from scoreviz.cli.config import density_params
from scoreviz.cli.errors import CliError
from scoreviz.core import limits
from scoreviz.core.atomic import file_kind, write_text
from scoreviz.core.densities import density_from_dict, load_density
from scoreviz.core.errors import ScorevizError
from scoreviz.core.scorecard import check_samples, scorecard

_NPY_HEADER_MAX = 1 << 16  # bytes of .npy header and padding allowed on top of the data


def check_json_target(path: str, flag: str) -> Path:
    """``path`` for a JSON report: it must end in .json and its folder must exist (checked before any work)."""
    out = Path(path)
    if out.suffix.lower() != ".json":
        raise CliError(f"{flag} '{path}' must end in .json")
    if str(out.parent) and not out.parent.is_dir():
        raise CliError(f"{flag} '{path}': folder '{out.parent}' does not exist")
    if out.is_dir():
        raise CliError(f"{flag} '{path}' is a folder; give a file name")
    return out


def load_samples(path: str) -> np.ndarray:
    """The (N, 2) float64 points of a .npy file, or a one-line CliError: a missing or unreadable file,
    anything but one plain .npy array (never unpickled), a wrong shape or type, NaN or Inf, more
    points than ``limits`` evaluate_points allows."""
    kind = file_kind(path)
    if kind != "file":
        why = {"missing": "not found", "folder": "is a folder"}.get(kind, "is not a readable regular file")
        raise CliError(f"--samples '{path}' {why}")
    cap = limits.LIMITS["evaluate_points"].max * 2 * 8 + _NPY_HEADER_MAX
    try:
        size = os.path.getsize(path)
        if size > cap:
            raise CliError(f"--samples '{path}' is too large ({size} bytes; at most {cap})")
        with open(path, "rb") as fh:
            magic = fh.read(6)
            if magic[:4] == b"PK\x03\x04":
                raise CliError(f"--samples '{path}' is an .npz archive, not an .npy array")
            if magic != b"\x93NUMPY":
                raise CliError(f"--samples '{path}' is not an .npy file (no NumPy header)")
            fh.seek(0)
            arr = np.load(fh, allow_pickle=False)
    except CliError:
        raise
    except (ValueError, EOFError, OSError, MemoryError, TypeError) as e:
        cause = (str(e).strip().splitlines() or [type(e).__name__])[0][:120]
        raise CliError(f"--samples '{path}' is not a readable .npy array ({cause})") from None
    if arr.dtype.kind != "f":
        raise CliError(f"--samples '{path}' holds {arr.dtype} values; expected floating-point (N, 2) points")
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise CliError(f"--samples '{path}' has shape {tuple(arr.shape)}; expected (N, 2) points in the plane")
    limits.check("evaluate_points", int(arr.shape[0]), f"--samples '{path}'")
    return check_samples(arr, f"--samples '{path}'")


def report_density(info: dict):
    """The scorecard's target for a model written by ``train --out``: the density it was trained on
    (model.json's ``density``, unperturbed as stored there)."""
    spec = info.get("density")
    if not spec:
        raise CliError("--report needs the density the model was trained on; its model.json names none")
    try:
        return density_from_dict(spec)
    except ScorevizError as e:
        raise CliError(f"--report: the model's density cannot be rebuilt: {e}") from None


def report_text(card: dict) -> str:
    try:
        return json.dumps(card, indent=2, allow_nan=False) + "\n"
    except ValueError:  # a non-finite figure: never write invalid JSON
        raise CliError("the scorecard holds a non-finite number; nothing written") from None


def write_report(path: Path, card: dict) -> None:
    """The scorecard as JSON at ``path``, atomically (``scoreviz.core.atomic``)."""
    write_text(path, report_text(card))


def summary_line(card: dict) -> str:
    modes = f", modes found {card['modes_found']}/{len(card['true_mode_weights'])}" if "modes_found" in card else ""
    return (f"n {card['n']}: KL {card['kl']:.4g}, TV {card['tv']:.4g}, sliced W {card['sliced_wasserstein']:.4g}, "
            f"MMD {card['mmd']:.4g}, mean log q {card['mean_log_q']:.4g} (true {card['true_mean_log_q']:.4g}){modes}")


def cmd_evaluate(args) -> int:
    """Check the output name, the density and the samples file; compute the scorecard; write it."""
    out = check_json_target(args.out, "--out")
    density = load_density(args.density, **density_params(args.density_param))
    x = load_samples(args.samples)
    if args.threads:
        torch.set_num_threads(args.threads)
    card = scorecard(x, density, seed=args.seed)
    write_report(out, card)
    print(f"{summary_line(card)}; wrote {out}")
    return 0
