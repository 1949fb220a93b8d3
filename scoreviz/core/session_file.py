"""The ``.scoreviz`` session file: everything needed to reopen a session and continue it exactly.

A ``.scoreviz`` file is a zip archive with two members and no pickled objects:

- ``session.json`` — ``{"scoreviz_session": 1, "config": SessionConfig, "density": density dict,
  "step_count", "loss_history", "fisher_history", "particle_step", "weights_version",
  "optimizer": {"param_groups": [...], "steps": [...]}, "view": {...} (free-form GUI state)}``
- ``arrays.npz`` — numpy arrays only (read with ``allow_pickle=False``): ``model/<name>`` weights,
  ``adam/<i>/exp_avg`` and ``adam/<i>/exp_avg_sq``, ``rng/train``, ``rng/noise`` and
  ``rng/particles`` (generator states, uint8), ``particles`` (n, 2).

Opening it restores model, optimiser, RNG, particles and histories, so training continues as if
never interrupted: on the CPU, 200 steps + 200 resumed equal 400 straight, bit for bit.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import torch

from scoreviz.core.atomic import write_bytes
from scoreviz.core.errors import ScorevizError

FORMAT = 1
SUFFIX = ".scoreviz"
MAX_MEMBER_BYTES = 512 * 1024 * 1024  # refuse zip bombs


def _np(t: torch.Tensor) -> np.ndarray:
    return t.detach().cpu().numpy().copy()


def session_bytes(session, view: dict | None = None) -> bytes:
    """The .scoreviz archive of ``session`` as bytes."""
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
    arrays["particles"] = _np(session.particles)
    groups = [{k: v for k, v in g.items() if k != "params"} for g in opt["param_groups"]]
    meta = {
        "scoreviz_session": FORMAT,
        "config": session.cfg.to_dict(),
        "density": session.density.to_dict(),
        "step_count": session.step_count,
        "loss_history": session.loss_history,
        "fisher_history": [list(h) for h in session.fisher_history],
        "particle_step": session.particle_step,
        "weights_version": session.weights_version,
        "optimizer": {"param_groups": groups, "steps": steps},
        "view": view or {},
    }
    npz = io.BytesIO()
    np.savez(npz, **arrays)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("session.json", json.dumps(meta))
        z.writestr("arrays.npz", npz.getvalue())
    return buf.getvalue()


def save_session(path, session, view: dict | None = None) -> None:
    """Write ``session`` (and optional GUI ``view`` state) to ``path`` atomically."""
    write_bytes(path, session_bytes(session, view))


def _read_archive(path) -> tuple[dict, dict[str, np.ndarray]]:
    path = Path(path)
    name = path.name
    try:
        with zipfile.ZipFile(path) as z:
            members = {i.filename: i for i in z.infolist()}
            if set(members) != {"session.json", "arrays.npz"}:
                raise ScorevizError(f"'{name}' is not a scoreviz session (unexpected contents)")
            for info in members.values():
                if info.file_size > MAX_MEMBER_BYTES:
                    raise ScorevizError(f"'{name}' is too large to be a scoreviz session")
            meta = json.loads(z.read("session.json").decode("utf-8"))
            with np.load(io.BytesIO(z.read("arrays.npz")), allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
    except FileNotFoundError:
        raise ScorevizError(f"session file '{path}' does not exist") from None
    except ScorevizError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError, UnicodeDecodeError) as e:
        # corrupt, truncated or foreign: one line, nothing executed (no pickle is ever read)
        raise ScorevizError(f"'{name}' is not a readable scoreviz session ({type(e).__name__})") from None
    if not isinstance(meta, dict) or meta.get("scoreviz_session") != FORMAT:
        raise ScorevizError(f"'{name}' is not a scoreviz session file (format {FORMAT})")
    return meta, arrays


def load_session(path, device: str | None = None):
    """Reopen a session saved by ``save_session``. Returns (Session, view dict).

    ``device`` overrides the saved device (e.g. a CUDA session opened on a CPU-only machine).
    """
    from scoreviz.core.densities import density_from_dict
    from scoreviz.core.session import Session, SessionConfig

    meta, arrays = _read_archive(path)
    name = Path(path).name
    try:
        cfg = SessionConfig.from_dict(meta["config"])
        if device is not None:
            cfg.device = device
        density = density_from_dict(meta["density"])
        session = Session(cfg, density=density)
        state = {k[len("model/"):]: torch.from_numpy(v) for k, v in arrays.items() if k.startswith("model/")}
        session.model.load_state_dict(state)
        _restore_optimizer(session, meta["optimizer"], arrays)
        session.generator.set_state(torch.from_numpy(arrays["rng/train"]))
        session.noise_generator.set_state(torch.from_numpy(arrays["rng/noise"]))
        session.particle_generator.set_state(torch.from_numpy(arrays["rng/particles"]))
        particles = torch.from_numpy(arrays["particles"]).to(session.device, torch.float32)
        if particles.ndim != 2 or particles.shape[1] != 2:
            raise ValueError("particles must be (n, 2)")
        session.particles = particles
        session.particle_step = int(meta["particle_step"])
        session.step_count = int(meta["step_count"])
        session.loss_history = [float(v) for v in meta["loss_history"]]
        session.fisher_history = [(int(s), float(f), float(r)) for s, f, r in meta["fisher_history"]]
        session.weights_version = int(meta.get("weights_version", session.step_count))
    except ScorevizError as e:
        raise ScorevizError(f"'{name}': {e}") from None
    except (KeyError, TypeError, ValueError, RuntimeError, IndexError) as e:
        msg = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise ScorevizError(f"'{name}' is a damaged scoreviz session: {msg}") from None
    view = meta.get("view") or {}
    return session, (view if isinstance(view, dict) else {})


def _restore_optimizer(session, opt_meta: dict, arrays: dict) -> None:
    params = list(session.model.parameters())
    steps = opt_meta["steps"]
    if len(steps) != len(params):
        raise ValueError(f"optimizer state has {len(steps)} parameters, the model {len(params)}")
    state = {}
    for i, (p, step) in enumerate(zip(params, steps)):
        if step is None:
            continue
        exp_avg = torch.from_numpy(arrays[f"adam/{i}/exp_avg"]).to(p.device)
        exp_avg_sq = torch.from_numpy(arrays[f"adam/{i}/exp_avg_sq"]).to(p.device)
        if exp_avg.shape != p.shape or exp_avg_sq.shape != p.shape:
            raise ValueError(f"optimizer state {i} has shape {tuple(exp_avg.shape)}, expected {tuple(p.shape)}")
        state[i] = {"step": torch.tensor(float(step)), "exp_avg": exp_avg, "exp_avg_sq": exp_avg_sq}
    groups = opt_meta["param_groups"]
    if len(groups) != 1 or not isinstance(groups[0], dict):
        raise ValueError("optimizer must have one parameter group")
    group = dict(groups[0])
    group["params"] = list(range(len(params)))
    session.optimizer.load_state_dict({"state": state, "param_groups": [group]})
