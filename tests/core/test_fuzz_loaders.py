"""Fuzzing every loader of files from strangers, and the expression parser.

Each loader -- ``load_session``, ``load_density_json`` / ``density_from_dict``, ``load_model``,
``image_density``, ``parse_expression`` / ``expression_density`` -- gets random and mutated input.
Mutations start from VALID files so the fuzzer reaches deep code: byte flips, inserts, deletes,
overwrites and truncations, the same applied *inside* archive members with the archives rebuilt
(so CRCs are right and the damage reaches the parsers behind them), and structured JSON mutations
(wrong types, huge numbers, NaN, nested junk, huge arrays, missing and extra keys).

The property: every call either succeeds -- and then the result is usable: a density samples,
scores and saves, a session trains a step, a model scores -- or raises ScorevizError, and each
call takes less than CALL_SECONDS.  Anything else (another exception type, a hang) is a bug.

Reproducible: hypothesis runs derandomized with no example database; the whole file takes about a
minute on two cores.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import signal
import threading
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from scoreviz.core.densities import density_from_dict, load_density_json, save_density_json
from scoreviz.core.errors import DivergedError, ScorevizError
from scoreviz.core.export import load_model, model_bytes, model_info
from scoreviz.core.expressions import FUNCTIONS, expression_density, parse_expression
from scoreviz.core.images import image_density
from scoreviz.core.models import ModelConfig
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.session import SamplerConfig, Session, SessionConfig
from scoreviz.core.session_file import load_session, session_bytes

CALL_SECONDS = 2.0  # each loader call, accepted or refused
HANG_SECONDS = 20.0  # a call still running after this is stopped and reported as a hang


def fuzz(n: int):
    """Settings for one fuzz test: n examples, reproducible, no database, no deadline flakiness
    (CALL_SECONDS is checked by hand around the call under test only)."""
    return settings(max_examples=n, deadline=None, derandomize=True, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


class Hang(Exception):
    pass


@contextlib.contextmanager
def _alarm(seconds: float):
    """Turn a hang into an exception (POSIX main thread only; elsewhere just run)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise Hang(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def outcome(fn, *args, **kwargs):
    """fn(*args) -> (result or None, ScorevizError or None); fails on any other exception or when slow."""
    t = time.perf_counter()
    try:
        with _alarm(HANG_SECONDS):
            result, error = fn(*args, **kwargs), None
    except ScorevizError as exc:
        result, error = None, exc
        msg = str(exc)
        assert msg and "\n" not in msg and len(msg) < 2000, f"message not one short line: {msg[:300]!r}"
    elapsed = time.perf_counter() - t
    assert elapsed < CALL_SECONDS, f"{getattr(fn, '__name__', fn)} took {elapsed:.2f} s"
    return result, error


# --------------------------------------------------------------------------- mutations
_OPS = st.sampled_from(["flip", "insert", "delete", "overwrite", "truncate", "duplicate", "zero"])


@st.composite
def mutated(draw, data: bytes, max_ops: int = 4) -> bytes:
    """``data`` with 1..max_ops byte-level mutations."""
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, max_ops))):
        op = draw(_OPS)
        n = len(buf)
        at = draw(st.integers(0, max(n - 1, 0)))
        if op == "flip" and n:
            buf[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            buf[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete" and n:
            del buf[at:at + draw(st.integers(1, 16))]
        elif op == "overwrite" and n:
            chunk = draw(st.sampled_from([b"\xff\xff\xff\x7f", b"\x00\x00\x00\x00", b"\xff" * 8, b"\x80",
                                          b"\x7f\xff\xff\xff\xff\xff\xff\xff"]) | st.binary(min_size=1, max_size=8))
            buf[at:at + len(chunk)] = chunk
        elif op == "truncate":
            del buf[at:]
        elif op == "duplicate" and n:
            buf[at:at] = buf[at:at + draw(st.integers(1, 64))]
        elif op == "zero" and n:
            end = at + draw(st.integers(1, 64))
            buf[at:end] = bytes(len(buf[at:end]))
    return bytes(buf)


def _deep_nest(depth: int):
    v: object = 0
    for _ in range(depth):
        v = [v]
    return v


JUNK = st.one_of(  # every draw is a fresh object (mutations must not change shared constants)
    st.sampled_from([None, True, False, 0, -1, 1, 2**31, 2**63, 2**64 + 1, 10**30, -(10**30), 1e308, -1e308,
                     5e-324, 1e-300, 0.5, -0.0, float("nan"), float("inf"), float("-inf"), "", "x", "NaN",
                     "moons", "../../etc/passwd", "/dev/zero", "expr:x"]),
    st.sampled_from([lambda: [], lambda: {}, lambda: [1, 2], lambda: [[1, 2], [3]], lambda: [[[]]],
                     lambda: {"type": "grid"}, lambda: {"type": "mixture"}, lambda: {"a": {"b": {"c": None}}},
                     lambda: int("9" * 4000)]).map(lambda make: make()),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.builds(_deep_nest, st.integers(10, 900)),
    st.builds(lambda n, v: [copy.deepcopy(v) for _ in range(n)], st.integers(1000, 20_000),
              st.sampled_from([0, 1.0, [0, 0], [[1, 0], [0, 1]]])),
    st.builds(lambda n: [[1.0] * n], st.integers(1000, 3000)),  # one very long row
    st.builds(lambda n: [[1.0] for _ in range(n)], st.integers(1000, 3000)),  # very many rows
    st.builds(lambda n: [[1.0] * n for _ in range(n)], st.integers(10, 200)),
)


def _paths(tree, prefix=()):
    """Every path into a JSON tree (dict keys and list indices), the root included (at most 12 deep)."""
    out = [prefix]
    if len(prefix) >= 12:
        return out
    if isinstance(tree, dict):
        for k, v in tree.items():
            out.extend(_paths(v, prefix + (k,)))
    elif isinstance(tree, list) and len(tree) <= 64:  # do not wander through big arrays element by element
        for i, v in enumerate(tree):
            out.extend(_paths(v, prefix + (i,)))
    elif isinstance(tree, list):
        for i in (0, len(tree) // 2, len(tree) - 1):
            out.extend(_paths(tree[i], prefix + (i,))[:8])
    return out


def _get(tree, path):
    for k in path:
        tree = tree[k]
    return tree


@st.composite
def mutated_json(draw, tree, max_ops: int = 3):
    """A deep copy of ``tree`` with 1..max_ops structured mutations."""
    tree = copy.deepcopy(tree)
    for _ in range(draw(st.integers(1, max_ops))):
        paths = _paths(tree)
        path = paths[draw(st.integers(0, len(paths) - 1))]
        op = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add", "wrap", "scale", "empty"]))
        if not path:
            if op in ("replace", "wrap"):
                tree = draw(JUNK) if op == "replace" else [tree]
            continue
        parent, key = _get(tree, path[:-1]), path[-1]
        value = parent[key]
        if op == "replace":
            parent[key] = draw(JUNK)
        elif op == "delete":
            del parent[key]
        elif op == "add" and isinstance(value, dict):
            value[draw(st.sampled_from(["bogus", "type", "sigma", "box", "weights", "name", "__class__"]))] = draw(JUNK)
        elif op == "add" and isinstance(value, list):
            value.append(draw(JUNK))
        elif op == "wrap":
            parent[key] = [value]
        elif op == "scale" and isinstance(value, (int, float)) and not isinstance(value, bool):
            parent[key] = value * draw(st.sampled_from([-1, 0, 1e-300, 1e300, 2**40, 1.5]))
        elif op == "empty" and isinstance(value, (list, dict, str)):
            parent[key] = type(value)()
    return tree


# --------------------------------------------------------------------------- valid seeds
def _small_png(mode="L") -> bytes:
    a = np.full((12, 16), 255, dtype=np.uint8)
    a[3:9, 4:12] = 0
    buf = io.BytesIO()
    Image.fromarray(a).convert(mode).save(buf, "PNG")
    return buf.getvalue()


def _small_image(fmt: str) -> bytes:
    a = np.full((12, 16), 255, dtype=np.uint8)
    a[3:9, 4:12] = 40
    buf = io.BytesIO()
    img = Image.fromarray(a)
    if fmt == "GIF":
        img.save(buf, "GIF", save_all=True, append_images=[Image.fromarray(255 - a)])
    else:
        img.convert("RGB").save(buf, fmt)
    return buf.getvalue()


DENSITY_SEEDS = [
    {"scoreviz_density": 1, "type": "preset", "name": "moons", "params": {"noise": 0.1, "scale": 2.0}},
    {"scoreviz_density": 1, "type": "preset", "name": "checkerboard"},
    {"scoreviz_density": 1, "type": "mixture", "weights": [1.0, 2.0, 0.5], "means": [[0, 0], [1, 1], [-2, 1]],
     "covariances": [[[0.2, 0.05], [0.05, 0.1]], [[0.1, 0], [0, 0.1]], [[0.3, 0], [0, 0.05]]],
     "box": [-4, 4, -4, 4], "name": "drawn"},
    {"scoreviz_density": 1, "type": "grid", "box": [-2, 2, -1, 1], "weights": [[0, 1, 2], [3, 0, 1]], "blur": 0.2,
     "view_box": [-4, 4, -4, 4], "name": "cells"},
    {"scoreviz_density": 1, "type": "expression", "expression": "-(x**2 + y**2 - 4)**2 / 0.5",
     "box": [-4, 4, -4, 4], "resolution": 32, "sigma": 0.1},
    {"scoreviz_density": 1, "type": "image", "path": "seed.png", "invert": False, "max_cells": 16, "blur": 1.0,
     "box": [-4, 4, -4, 4]},
]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("fuzz")
    (d / "seed.png").write_bytes(_small_png())
    return d


def _use_density(d, folder: Path) -> None:
    """An accepted density must be usable: finite-shaped log_prob/score, samples, p_sigma, save + reload."""
    g = torch.Generator().manual_seed(0)
    x = d.sample(16, g)
    assert x.shape == (16, 2)
    assert d.log_prob(x).shape == (16,) and d.score(x).shape == (16, 2)
    far = torch.tensor([[1e3, -1e3], [0.0, 0.0]], dtype=torch.float64)
    d.log_prob(far)
    d.score(far)
    d.perturbed(0.3).score(x)
    path = folder / "saved.json"
    save_density_json(d, path)
    back = load_density_json(path)
    assert back.to_dict() == d.to_dict() or back.to_dict()["type"] == d.to_dict()["type"]


@fuzz(1500)
@given(data=st.data())
def test_density_dicts_mutated(folder, data):
    seed = data.draw(st.sampled_from(DENSITY_SEEDS))
    d = data.draw(mutated_json(seed))
    density, _ = outcome(density_from_dict, d, base_dir=folder)
    if density is not None:
        outcome(_use_density, density, folder)


@fuzz(1000)
@given(data=st.data())
def test_density_files_mutated_bytes(folder, data):
    seed = data.draw(st.sampled_from(DENSITY_SEEDS))
    raw = data.draw(st.one_of(
        mutated(json.dumps(seed).encode()),
        st.builds(lambda t: json.dumps(t, allow_nan=True).encode(), mutated_json(seed)),
        st.binary(max_size=200),
        st.builds(lambda n, c: c * n, st.integers(1000, 200_000), st.sampled_from([b"[", b"{\"a\":", b"-", b"9"])),
    ))
    path = folder / "fuzz-density.json"
    path.write_bytes(raw)
    density, _ = outcome(load_density_json, path)
    if density is not None:
        outcome(_use_density, density, folder)


# --------------------------------------------------------------------------- sessions
def _session() -> Session:
    cfg = SessionConfig(density="8gaussians", objective=ObjectiveConfig(name="dsm", sigma=0.2),
                        model=ModelConfig(hidden=8, layers=1), batch=32, seed=5, device="cpu",
                        sampler=SamplerConfig(sampler="annealed", n_particles=20, sigma_max=2.0, sigma_min=0.2,
                                              levels=3, steps_per_level=2))
    s = Session(cfg)
    s.train(3)
    s.advance_particles(2)
    s.fisher(10_000)
    return s


@pytest.fixture(scope="module")
def session_file() -> bytes:
    return session_bytes(_session(), view={"grid": 40, "scale": "linear"})


def _split_session(raw: bytes) -> tuple[dict, dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        meta = json.loads(z.read("session.json"))
        with zipfile.ZipFile(io.BytesIO(z.read("arrays.npz"))) as inner:
            members = {n: inner.read(n) for n in inner.namelist()}
    return meta, members


def _build_session(meta_bytes: bytes, members: dict[str, bytes]) -> bytes:
    npz = io.BytesIO()
    with zipfile.ZipFile(npz, "w") as inner:
        for n, b in members.items():
            inner.writestr(n, b)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("session.json", meta_bytes)
        z.writestr("arrays.npz", npz.getvalue())
    return out.getvalue()


def _npy(arr) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    return buf.getvalue()


ODD_ARRAYS = st.sampled_from([
    np.zeros((0,), np.float32), np.zeros((3, 3), np.float32), np.full((20, 2), np.nan, np.float32),
    np.zeros((20, 2), np.float64), np.zeros((20, 2), np.int64), np.zeros((20, 2), np.complex64),
    np.zeros((20, 2), np.bool_), np.array("text"), np.zeros((5000,), np.uint8), np.zeros((20, 3), np.float32),
    np.zeros((8, 2), np.float16), np.array([1e38, -1e38], np.float32), np.zeros((2, 2), ">f4"),
    np.zeros((1_000_001, 2), np.float32), np.zeros((16, 2), np.dtype([("a", "<f4")])),
])


def _use_session(result) -> None:
    s, view = result
    assert isinstance(view, dict)
    try:
        s.step()
    except DivergedError:
        pass
    s.advance_particles(1)
    s.learned_score(torch.zeros(4, 2))
    s.fisher(10_000)
    session_bytes(s, view)


@fuzz(600)
@given(data=st.data())
def test_session_files_mutated(folder, session_file, data):
    meta, members = _split_session(session_file)
    kind = data.draw(st.sampled_from(["bytes", "json", "json", "member-bytes", "array"]))
    if kind == "bytes":  # the archive itself: mostly stopped by zip structure and CRCs
        raw = data.draw(mutated(session_file))
    elif kind == "json":  # structured damage to session.json, inside a well-formed archive
        raw = _build_session(json.dumps(data.draw(mutated_json(meta))).encode(), members)
    elif kind == "member-bytes":  # byte damage to session.json or one .npy, archives rebuilt
        names = ["session.json", *members]
        name = data.draw(st.sampled_from(names))
        if name == "session.json":
            raw = _build_session(data.draw(mutated(json.dumps(meta).encode())), members)
        else:
            raw = _build_session(json.dumps(meta).encode(), {**members, name: data.draw(mutated(members[name]))})
    else:  # one array replaced by one of the wrong shape, type or size
        name = data.draw(st.sampled_from(sorted(members)))
        raw = _build_session(json.dumps(meta).encode(), {**members, name: _npy(data.draw(ODD_ARRAYS))})
    path = folder / "fuzz.scoreviz"
    path.write_bytes(raw)
    result, _ = outcome(load_session, path)
    if result is not None:
        outcome(_use_session, result)


# --------------------------------------------------------------------------- models
@pytest.fixture(scope="module")
def model_files() -> tuple[bytes, dict]:
    s = Session(SessionConfig(density="moons", objective=ObjectiveConfig(name="ncsn", sigma_max=1.0, sigma_min=0.1,
                                                                          levels=3),
                              model=ModelConfig(hidden=8, layers=2), batch=16, device="cpu",
                              sampler=SamplerConfig(n_particles=10)))
    s.train(2)
    return model_bytes(s.model), json.loads(json.dumps(model_info(s)))


def _rezip(raw: bytes, name: str, new: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as z, zipfile.ZipFile(out, "w") as w:
        for i in z.infolist():
            w.writestr(i.filename, new if i.filename == name else z.read(i.filename))
    return out.getvalue()


def _use_model(result) -> None:
    model, info = result
    sigma = info["sigma"] or 0.1
    out = model.score(torch.zeros(3, 2), sigma) if model.cfg.noise_conditional else model.score(torch.zeros(3, 2))
    assert out.shape == (3, 2)
    box = info["density"].get("box", [-4, 4, -4, 4])
    assert len(box) == 4 and box[0] < box[1]


@fuzz(1500)
@given(data=st.data())
def test_model_folders_mutated(folder, model_files, data):
    weights, info = model_files
    out = folder / "model"
    out.mkdir(exist_ok=True)
    kind = data.draw(st.sampled_from(["weights-bytes", "weights-member", "json", "json-bytes"]))
    info_text = json.dumps(info)
    if kind == "weights-bytes":
        weights = data.draw(mutated(weights))
    elif kind == "weights-member":  # damage inside data.pkl or a tensor record, the zip rebuilt (CRC right)
        with zipfile.ZipFile(io.BytesIO(weights)) as z:
            names = z.namelist()
            name = data.draw(st.sampled_from(names))
            weights = _rezip(weights, name, data.draw(mutated(z.read(name))))
    elif kind == "json":
        info_text = json.dumps(data.draw(mutated_json(info)))
    else:
        info_text = data.draw(mutated(info_text.encode())).decode("utf-8", "replace")
    (out / "model.pt").write_bytes(weights)
    (out / "model.json").write_text(info_text, encoding="utf-8")
    result, _ = outcome(load_model, out)
    if result is not None:
        outcome(_use_model, result)


# --------------------------------------------------------------------------- images
IMAGE_SEEDS = {"png": _small_png(), "rgba.png": _small_png("RGBA"), "p.png": _small_png("P"),
               "jpg": _small_image("JPEG"), "gif": _small_image("GIF"), "bmp": _small_image("BMP"),
               "webp": _small_image("WEBP")}


def _png_chunks(raw: bytes) -> list[tuple[bytes, bytes]]:
    chunks, at = [], 8
    while at + 8 <= len(raw):
        n = int.from_bytes(raw[at:at + 4], "big")
        chunks.append((raw[at + 4:at + 8], raw[at + 8:at + 8 + n]))
        at += 12 + n
    return chunks


def _png_join(chunks) -> bytes:
    import zlib

    out = [b"\x89PNG\r\n\x1a\n"]
    for kind, body in chunks:
        out.append(len(body).to_bytes(4, "big") + kind + body + (zlib.crc32(kind + body) & 0xFFFFFFFF).to_bytes(4, "big"))
    return b"".join(out)


@st.composite
def mutated_png(draw, raw: bytes) -> bytes:
    """A PNG with a damaged chunk whose CRC is recomputed, so the damage reaches the decoder:
    odd IHDR fields (sizes, bit depths, colour types, interlacing) or byte damage to a chunk's data
    (IDAT: the compressed pixels; PLTE; tRNS)."""
    chunks = _png_chunks(raw)
    i = draw(st.integers(0, len(chunks) - 1))
    kind, body = chunks[i]
    if kind == b"IHDR" and draw(st.booleans()):
        w = draw(st.sampled_from([0, 1, 2, 16, 65535, 9000, 2**31 - 1, 2**32 - 1]))
        h = draw(st.sampled_from([0, 1, 12, 65535, 9000, 2**31 - 1]))
        depth = draw(st.sampled_from([1, 2, 4, 8, 16, 0, 3, 255]))
        color = draw(st.sampled_from([0, 2, 3, 4, 6, 1, 7]))
        body = w.to_bytes(4, "big") + h.to_bytes(4, "big") + bytes([depth, color, 0, 0, draw(st.sampled_from([0, 1, 2]))])
    else:
        body = draw(mutated(body))
    chunks[i] = (kind, body)
    return _png_join(chunks)


@fuzz(2000)
@given(data=st.data())
def test_images_mutated(folder, data):
    name = data.draw(st.sampled_from(sorted(IMAGE_SEEDS)))
    strategies = [mutated(IMAGE_SEEDS[name], max_ops=6), st.binary(max_size=300)]
    if name.endswith("png"):
        strategies += [mutated_png(IMAGE_SEEDS[name])] * 2
    raw = data.draw(st.one_of(strategies))
    path = folder / f"fuzz.{name.split('.')[-1]}"
    path.write_bytes(raw)
    density, _ = outcome(image_density, path, max_cells=16)
    if density is not None:
        assert torch.isfinite(density.weights).all() and float(density.weights.sum()) == pytest.approx(1.0)
        outcome(_use_density, density, folder)


# --------------------------------------------------------------------------- expressions
TOKENS = ["x", "y", "pi", "e", "1", "2.5", "1e3", "9", "0", "+", "-", "*", "/", "**", "(", ")", ",", " ",
          *FUNCTIONS, "__import__", "os", ".", "[", "]", "{", "}", "'", "lambda", ":", "=", "<", "and",
          "not", "if", "else", "for", "in", "@", "%", "~", "\\", "é", "1j", "_", ";", "\n"]
NUMBERS = st.sampled_from(["0", "1", "2", "0.5", "9", "99", "1e-300", "1e300", "1e308", "1e309", "-1", "1024",
                           "1025", "9" * 400, "0.0", "3.14159", "1e-320"])


def _tree(children):
    unary = st.builds(lambda f, a: f"{f}({a})", st.sampled_from([f for f, (n, _) in FUNCTIONS.items() if n == 1]), children)
    binary_call = st.builds(lambda f, a, b: f"{f}({a}, {b})",
                            st.sampled_from([f for f, (n, _) in FUNCTIONS.items() if n == 2]), children, children)
    binop = st.builds(lambda a, op, b: f"({a} {op} {b})", children, st.sampled_from(["+", "-", "*", "/", "**"]), children)
    return st.one_of(unary, binary_call, binop, st.builds(lambda a: f"-{a}", children))


GRAMMAR = st.recursive(st.one_of(st.sampled_from(["x", "y", "pi", "e"]), NUMBERS), _tree, max_leaves=20)
GOOD = ["-(x**2 + y**2 - 4)**2 / 0.5", "-x**2/2 - y**2/2", "exp(-abs(x)) * cos(pi*y) + e",
        "max(x, y) - min(x, 2*y) + atan2(y, x) + hypot(x, y)", "log(1 + x**2) - sqrt(1 + y**2)", "2**-x"]


@st.composite
def expression_text(draw) -> str:
    how = draw(st.sampled_from(["grammar", "grammar", "tokens", "mutate", "text"]))
    if how == "grammar":  # allowed pieces with extreme numbers: exercises the evaluator, not just the parser
        return draw(GRAMMAR)
    if how == "tokens":
        return "".join(draw(st.lists(st.sampled_from(TOKENS), max_size=80)))
    if how == "mutate":
        base = draw(st.sampled_from(GOOD))
        raw = draw(mutated(base.encode(), max_ops=3))
        return raw.decode("utf-8", "replace")
    return draw(st.text(max_size=120))


def _density_of(text):
    return expression_density(text, resolution=32)


@fuzz(3000)
@given(text=expression_text())
def test_expressions_random_and_mutated(text):
    fn, _ = outcome(parse_expression, text)
    if fn is not None:
        grid = torch.linspace(-3, 3, 7, dtype=torch.float64)
        value = fn(grid, grid)
        assert value.shape == grid.shape
        outcome(_density_of, text)


@fuzz(60)
@given(depth=st.integers(1, 400), op=st.sampled_from(["-", "+", "exp(", "(", "x**", "abs(", "2**"]))
def test_expressions_nested_deeply_are_refused_quickly(depth, op):
    closing = ")" * depth if op.endswith("(") else ""
    text = op * depth + "x" + closing
    fn, err = outcome(parse_expression, text)
    assert fn is not None or "expression: " in str(err)


# --------------------------------------------------------------------------- planted code
class Payload:
    """Unpickling this object runs open(marker, "w"): proof that a loader executed code from a file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


class SystemPayload(Payload):
    def __reduce__(self):
        return (os.system, (f"touch '{self.marker}'",))


def _payloads(marker) -> dict[str, bytes]:
    import pickle

    out = {}
    for cls in (Payload, SystemPayload):
        obj = cls(marker)
        zipped, legacy = io.BytesIO(), io.BytesIO()
        torch.save(obj, zipped)  # torch's zip format with the payload as data.pkl
        torch.save(obj, legacy, _use_new_zipfile_serialization=False)
        out[f"{cls.__name__}-torch-zip"] = zipped.getvalue()
        out[f"{cls.__name__}-torch-legacy"] = legacy.getvalue()
        out[f"{cls.__name__}-raw-pickle"] = pickle.dumps(obj)
        out[f"{cls.__name__}-raw-pickle-p0"] = pickle.dumps(obj, protocol=0)
        # a state dict of tensors with the payload hidden beside them
        sd = io.BytesIO()
        torch.save({"hidden.0.weight": torch.zeros(8, 3), "evil": obj}, sd)
        out[f"{cls.__name__}-inside-state-dict"] = sd.getvalue()
    return out


def test_a_planted_pickle_in_model_pt_is_never_executed(tmp_path, model_files):
    weights, info = model_files
    marker = tmp_path / "pwned"
    payloads = _payloads(marker)
    # and a valid model.pt whose data.pkl is swapped for the payload (CRCs right)
    with zipfile.ZipFile(io.BytesIO(weights)) as z:
        pkl = next(n for n in z.namelist() if n.endswith("data.pkl"))
    import pickle

    payloads["swapped-data.pkl"] = _rezip(weights, pkl, pickle.dumps(Payload(marker), protocol=2))
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "model.json").write_text(json.dumps(info))
    for name, payload in payloads.items():
        (folder / "model.pt").write_bytes(payload)
        with pytest.raises(ScorevizError) as exc:
            load_model(folder)
        assert not marker.exists(), f"{name}: the payload ran"
        assert "weights_only=False" not in str(exc.value), "never advise loading a stranger's file unsafely"
    (folder / "model.pt").write_bytes(weights)  # the real one still loads
    load_model(folder)


def test_a_planted_pickle_in_a_density_file_is_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    for name, payload in _payloads(marker).items():
        path = tmp_path / "evil.json"
        path.write_bytes(payload)
        with pytest.raises(ScorevizError, match="evil.json"):
            load_density_json(path)
        # a density file pointing its "image" at the payload
        (tmp_path / "evil.png").write_bytes(payload)
        (tmp_path / "d.json").write_text(json.dumps({"scoreviz_density": 1, "type": "image", "path": "evil.png"}))
        with pytest.raises(ScorevizError, match="evil.png"):
            load_density_json(tmp_path / "d.json")
        # the payload as text inside the JSON is only ever text
        (tmp_path / "t.json").write_text(json.dumps({"type": "expression", "expression": payload.decode("latin-1")}))
        with pytest.raises(ScorevizError):
            load_density_json(tmp_path / "t.json")
        assert not marker.exists(), f"{name}: the payload ran"


def test_a_planted_pickle_in_a_session_array_is_never_executed(tmp_path, session_file):
    import pickle

    marker = tmp_path / "pwned"
    meta, members = _split_session(session_file)
    evil = io.BytesIO()
    np.save(evil, np.array([Payload(marker)], dtype=object), allow_pickle=True)
    for payload in (evil.getvalue(), pickle.dumps(Payload(marker)), *_payloads(marker).values()):
        path = tmp_path / "evil.scoreviz"
        path.write_bytes(_build_session(json.dumps(meta).encode(), {**members, "particles.npy": payload}))
        with pytest.raises(ScorevizError, match="evil.scoreviz"):
            load_session(path)
        assert not marker.exists(), "the payload ran"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_pipes_are_refused_without_blocking(tmp_path, model_files):
    """A named pipe never blocks a loader (opening one for reading waits for a writer forever)."""
    for name in ("p.scoreviz", "p.json", "p.png", "model.pt", "model.json"):
        os.mkfifo(tmp_path / name)
    (tmp_path / "img.json").write_text(json.dumps({"type": "image", "path": "p.png"}))
    calls = [(load_session, tmp_path / "p.scoreviz"), (load_density_json, tmp_path / "p.json"),
             (load_density_json, tmp_path / "img.json"), (image_density, tmp_path / "p.png"), (load_model, tmp_path)]
    for fn, arg in calls:
        result, err = outcome(fn, arg)
        assert result is None and err is not None
