"""Peak memory and time of the CLI on the hostile files of issue 12 (round two), one process each.

    python benchmarks/hostile_memory.py [--scoreviz PATH] [--keep DIR] [--timeout S] [--memory-gb G]

Builds into a temporary folder (or ``--keep DIR``):

- ``max.scoreviz``: ~16 KB; every setting at its old per-setting maximum (a 4096-wide 8-layer model,
  batch 65 536, grid 512, 10^6 particles), zero weights and particles in a twice-deflated archive;
- ``view-bomb.scoreviz``: ~100 KB; a valid small session whose ``view`` inflates to 63 MB of ``[{}]``;
- ``big-density.json``: 63 MB; a preset density followed by an unknown key holding 63 MB of text;
- ``model-run/``: a valid ``model.json`` (the default network) and a 24 MB ``model.pt`` whose pickle
  is empty-list opcodes (accepted by torch's weights-only unpickler);
- ``slow.png``: a 33 KB run-length BMP of 8192 x 8192 pixels named .png (Pillow's pure-Python decoder);

then runs, each under ``/usr/bin/time -v`` (or ``os.wait4`` where it is missing) with a timeout:

    scoreviz train --resume max.scoreviz --steps 1 --out D          (and a memory limit: --memory-gb)
    scoreviz train --resume view-bomb.scoreviz --steps 1 --out D
    scoreviz train --density big-density.json --steps 1 --out D
    scoreviz sample --score model-run --n 100 --steps 1 --out F.npy
    scoreviz train --density slow.png --steps 1 --out D

and prints a table: peak RSS (MB), seconds, exit code and the first line of stderr.  ``--scoreviz``
names the executable under test (default: this interpreter's ``scoreviz``), so an older checkout's
can be measured for a before/after.  The max-everything case runs with an address-space limit
(``--memory-gb``, default 8) so that an unbounded run cannot take the machine down.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

DEFAULT_TIMEOUT_S = 120.0


# ============================================================================ the files
NEW_KEYS = {  # settings added with continuous time (issue 13), at their defaults: left out, so that the
    # files also open in a checkout from before them (the before/after run)
    "objective": ("sde", "beta_min", "beta_max", "t_eps", "weighting"),
    "model": ("time_conditional",),
    "sampler": ("diffusion_steps", "solver", "snr", "corrector_steps"),
}


def _portable(cfg: dict) -> dict:
    """A config dict without the settings older versions do not know (all at their defaults here)."""
    cfg.pop("field_t", None)
    for part, keys in NEW_KEYS.items():
        for k in keys:
            if isinstance(cfg.get(part), dict):
                cfg[part].pop(k, None)
    return cfg


def _small_session_parts() -> tuple[dict, dict[str, bytes]]:
    """(session.json as a dict, arrays.npz members) of a small valid session, made by scoreviz itself."""
    from scoreviz.core.models import ModelConfig
    from scoreviz.core.session import SamplerConfig, Session, SessionConfig
    from scoreviz.core.session_file import session_bytes

    s = Session(SessionConfig(density="8gaussians", model=ModelConfig(hidden=16, layers=1), batch=32, seed=1,
                              device="cpu", sampler=SamplerConfig(n_particles=100)))
    s.train(2)
    with zipfile.ZipFile(io.BytesIO(session_bytes(s, view={"grid": 40}))) as z:
        meta = json.loads(z.read("session.json"))
        _portable(meta["config"])
        with zipfile.ZipFile(io.BytesIO(z.read("arrays.npz"))) as inner:
            members = {n: inner.read(n) for n in inner.namelist()}
    return meta, members


def _zeros_member(z: zipfile.ZipFile, name: str, shape: tuple[int, ...], dtype=np.float32) -> None:
    """An .npy member of zeros, streamed (nothing of its size is held in memory)."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": np.dtype(dtype).str, "fortran_order": False,
                                                  "shape": shape})
    left = int(np.prod(shape)) * np.dtype(dtype).itemsize
    chunk = bytes(1 << 22)
    with z.open(name, "w", force_zip64=True) as out:
        out.write(header.getvalue())
        while left:
            out.write(chunk[: min(left, len(chunk))])
            left -= min(left, len(chunk))


def max_everything_session(path: Path) -> None:
    meta, members = _small_session_parts()
    cfg = meta["config"]
    cfg["model"].update(hidden=4096, layers=8)
    cfg.update(batch=65_536, grid=512)
    cfg["sampler"]["n_particles"] = 1_000_000
    shapes = _shapes(cfg["model"])
    meta["optimizer"]["steps"] = [None] * len(shapes)
    npz = io.BytesIO()
    with zipfile.ZipFile(npz, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, shape in shapes.items():
            _zeros_member(z, f"model/{name}.npy", shape)
        _zeros_member(z, "particles.npy", (1_000_000, 2))
        for key in ("rng/train.npy", "rng/noise.npy", "rng/particles.npy"):
            z.writestr(key, members[key])
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("session.json", json.dumps(meta))
        z.writestr("arrays.npz", npz.getvalue())


def _shapes(model: dict) -> dict[str, tuple[int, ...]]:
    """The state_dict shapes of the network ``model`` describes (``models.parameter_shapes``' names),
    built here: a ModelConfig of this size is refused by the work budget, and an older checkout has none."""
    d_in = 3 if model.get("noise_conditional") else 2
    d_out = 2 if model.get("parametrization", "vector") == "vector" else 1
    dims = [d_in] + [model["hidden"]] * model["layers"]
    shapes = {}
    for i, (a, b) in enumerate(zip(dims[:-1], dims[1:])):
        shapes[f"hidden.{i}.weight"], shapes[f"hidden.{i}.bias"] = (b, a), (b,)
    shapes["out.weight"], shapes["out.bias"] = (d_out, model["hidden"]), (d_out,)
    return shapes


def view_bomb_session(path: Path) -> None:
    meta, members = _small_session_parts()
    text = json.dumps(meta).replace('"view": {"grid": 40}', '"view": {"x": [' + "{}," * 21_000_000 + "{}]}")
    npz = io.BytesIO()
    with zipfile.ZipFile(npz, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("session.json", text)
        z.writestr("arrays.npz", npz.getvalue())


def big_density(path: Path) -> None:
    with open(path, "wb") as fh:
        fh.write(b'{"scoreviz_density": 1, "type": "preset", "name": "moons", "colour": [')
        fh.write(b"{}," * 21_000_000 + b"{}]}")


def empty_list_model(folder: Path) -> None:
    from scoreviz.core.export import model_info
    from scoreviz.core.session import Session, SessionConfig

    folder.mkdir(parents=True, exist_ok=True)
    info = model_info(Session(SessionConfig(device="cpu")))
    info.pop("sde", None)
    info.pop("t", None)
    for part, keys in NEW_KEYS.items():
        for k in keys:
            if isinstance(info.get(part), dict):
                info[part].pop(k, None)
    (folder / "model.json").write_text(json.dumps(info))
    with zipfile.ZipFile(folder / "model.pt", "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", b"\x80\x02" + b"]" * 24_000_000 + b".")
        z.writestr("archive/byteorder", b"little")
        z.writestr("archive/version", b"3\n")


def rle_bmp_named_png(path: Path, side: int = 8192) -> None:
    pal = b"".join(bytes([v, v, v, 0]) for v in range(256))
    data = b"\x01\x00\x00\x00" * side + b"\x00\x01"  # a pixel and an end of line a row
    hdr = struct.pack("<IiiHHIIiiII", 40, side, side, 1, 8, 1, len(data), 2835, 2835, 256, 0)
    off = 14 + 40 + len(pal)
    path.write_bytes(b"BM" + struct.pack("<IHHI", off + len(data), 0, 0, off) + hdr + pal + data)


# ============================================================================ running
def _limit_memory(gb: float):
    def apply():
        limit = int(gb * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def run(cmd: list[str], timeout: float, memory_gb: float | None) -> dict:
    """Peak RSS (MB), seconds, exit code and the first stderr line of ``cmd``."""
    timer = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None
    full = ([timer, "-v"] if timer else []) + cmd
    t0 = time.perf_counter()
    proc = subprocess.Popen(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=_limit_memory(memory_gb) if memory_gb else None)
    try:
        _, err = proc.communicate(timeout=timeout)
        code = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        code = "timeout"
    seconds = time.perf_counter() - t0
    text = err.decode("utf-8", "replace")
    rss = None
    lines = text.splitlines()
    if timer:
        for line in lines:
            if "Maximum resident set size" in line:
                rss = int(line.rsplit(":", 1)[1]) / 1024
        cut = next((i for i, line in enumerate(lines) if line.strip().startswith("Command being timed")), len(lines))
        lines = lines[:cut]
    else:
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child so far
    first = next((line.strip() for line in lines if line.strip() and not line.startswith("Command exited")), "")
    return {"rss_mb": rss, "seconds": seconds, "exit": code, "stderr": first}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scoreviz", default=str(Path(sys.executable).with_name("scoreviz")),
                    help="the scoreviz executable to test (default: this interpreter's)")
    ap.add_argument("--keep", help="build the files in this folder and keep them")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds per command (default 120)")
    ap.add_argument("--memory-gb", type=float, default=8.0, help="address-space limit of the max-everything run")
    args = ap.parse_args(argv)
    exe = args.scoreviz
    if not os.path.exists(exe) and shutil.which(exe) is None:
        print(f"no scoreviz executable at {exe}", file=sys.stderr)
        return 2
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="scoreviz-hostile-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        files = {
            "max.scoreviz": max_everything_session,
            "view-bomb.scoreviz": view_bomb_session,
            "big-density.json": big_density,
            "model-run": empty_list_model,
            "slow.png": rle_bmp_named_png,
        }
        for name, build in files.items():
            build(folder / name)
        out = folder / "out"
        out.mkdir(exist_ok=True)
        cases = [
            ("max-everything session", "max.scoreviz",
             [exe, "train", "--resume", str(folder / "max.scoreviz"), "--steps", "1", "--out", str(out / "a")],
             args.memory_gb),
            ("view inflating to 63 MB", "view-bomb.scoreviz",
             [exe, "train", "--resume", str(folder / "view-bomb.scoreviz"), "--steps", "1", "--out", str(out / "b")],
             None),
            ("63 MB density JSON", "big-density.json",
             [exe, "train", "--density", str(folder / "big-density.json"), "--steps", "1", "--out", str(out / "c")],
             None),
            ("24 MB empty-list model.pt", "model-run",
             [exe, "sample", "--score", str(folder / "model-run"), "--n", "100", "--steps", "1",
              "--out", str(out / "d.npy")], None),
            ("RLE BMP named .png", "slow.png",
             [exe, "train", "--density", str(folder / "slow.png"), "--steps", "1", "--out", str(out / "e")], None),
        ]
        print(f"scoreviz: {exe}")
        print(f"{'case':<28} {'file':>10} {'peak RSS MB':>12} {'seconds':>8} {'exit':>8}  first stderr line")
        for label, name, cmd, mem in cases:
            p = folder / name
            size = p.stat().st_size if p.is_file() else (p / "model.pt").stat().st_size
            r = run(cmd, args.timeout, mem)
            rss = f"{r['rss_mb']:.0f}" if r["rss_mb"] is not None else "?"
            print(f"{label:<28} {_size(size):>10} {rss:>12} {r['seconds']:>8.1f} {str(r['exit']):>8}  "
                  f"{r['stderr'][:150]}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.1f} KB"


if __name__ == "__main__":
    sys.exit(main())
