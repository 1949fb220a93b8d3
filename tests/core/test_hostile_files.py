"""Issue 12, hostile files round two: memory and time bounded by what a file can legitimately hold,
every field a loader accepts in range for its consumers, images read only as the format they claim
and never when truncated, the preset box limit in the limits table, and sessions that embed only the
pictures the user opened.

Each class is tested at its mechanism (``bounded_json``, the caps each format derives from the
limits table, ``check_view``, ``_png_missing_data``, ``Param.check`` through ``limits``,
``density_from_dict``'s image folder) and with the concrete cases of the issue as regressions.
"""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import struct
import time
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from scoreviz.core import limits
from scoreviz.core.bounded_json import check_size, check_structure
from scoreviz.core.densities import (MAX_CONTAINERS, MAX_FILE_BYTES, MAX_VALUES, density_from_dict, grid_density,
                                     load_density, load_density_json, mixture_density, save_density_json)
from scoreviz.core.errors import ScorevizError
from scoreviz.core.export import load_model, model_bytes, model_file_limit, model_info
from scoreviz.core.images import SUFFIX_FORMATS, image_density
from scoreviz.core.models import ModelConfig, ScoreModel
from scoreviz.core.session import SamplerConfig, Session, SessionConfig
from scoreviz.core.session_file import (MAX_JSON_BYTES, MAX_JSON_CONTAINERS, VIEW, arrays_limit, check_view,
                                        load_session, save_session, saved_view, session_bytes)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "resources" / "examples"
HEART = ROOT / "resources" / "heart.png"


def small_session(**changes) -> Session:
    cfg = SessionConfig(density="8gaussians", model=ModelConfig(hidden=16, layers=1), batch=32, seed=2, device="cpu",
                        sampler=SamplerConfig(n_particles=50))
    for key, value in changes.items():
        setattr(cfg, key, value)
    return Session(cfg)


@pytest.fixture(scope="module")
def good_session() -> bytes:
    s = small_session()
    s.train(4)
    s.fisher(10_000)
    return session_bytes(s, view={"grid": 40, "grid_auto": True})


def split(raw: bytes) -> tuple[dict, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        return json.loads(z.read("session.json")), z.read("arrays.npz")


def rebuild(path: Path, meta, npz: bytes, json_text: bytes | None = None) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("session.json", json_text if json_text is not None else json.dumps(meta))
        z.writestr("arrays.npz", npz)
    return path


def refused(fn, *args, fragment: str = "", seconds: float = 3.0, **kwargs) -> str:
    """The one-line refusal of ``fn(*args)``, which must come within ``seconds``."""
    t0 = time.perf_counter()
    with pytest.raises(ScorevizError) as info:
        fn(*args, **kwargs)
    took = time.perf_counter() - t0
    msg = str(info.value)
    assert "\n" not in msg and fragment in msg, msg
    assert took < seconds, f"refused after {took:.1f} s: {msg}"
    return msg


# ================================================================== the mechanism: bounded JSON
def test_size_and_structure_caps_name_the_file_the_size_and_the_most():
    check_size(100, "f", 100)
    with pytest.raises(ScorevizError, match=r"^f is 101 bytes; at most 100 bytes \(why\)$"):
        check_size(101, "f", 100, "why")
    with pytest.raises(ScorevizError, match=r"is 66,060,288 bytes \(63\.0 MiB\); at most 1,048,576 bytes \(1\.0 MiB\)"):
        check_size(66_060_288, "'x.json'", 1024 * 1024)
    check_structure(b'{"a": [1, 2, {"b": []}]}', "t", 4, 9)
    with pytest.raises(ScorevizError, match=r"^t holds 5 lists or objects; at most 4"):
        check_structure(b'{"a": [1, 2, {"b": [[]]}]}', "t", 4)
    with pytest.raises(ScorevizError, match=r"^t holds 6 values; at most 5"):
        check_structure(b"[1, 2, 3, 4, 5]", "t", 4, 5)


def test_density_file_caps_are_what_the_largest_density_needs():
    grid, comps = limits.LIMITS["grid_cells"].max, limits.LIMITS["mixture_components"].max
    assert MAX_FILE_BYTES == 1024 * 1024 + 48 * (grid * grid + 1024)  # 49.05 MiB
    assert MAX_CONTAINERS >= 4 * comps + grid and MAX_VALUES >= grid * grid
    # a legitimate file of the largest grid (random weights: the longest numbers), as saved, fits every cap
    w = np.random.default_rng(0).random((grid, grid)) + 1e-3
    raw = json.dumps(grid_density(w, (-4, 4, -4, 4), 0.01).to_dict(), indent=4).encode()
    assert len(raw) < MAX_FILE_BYTES
    check_structure(raw, "grid", MAX_CONTAINERS, MAX_VALUES)
    # and the largest mixture
    k = int(comps)
    rng = np.random.default_rng(1)
    covs = np.tile(np.array([[0.3, 0.1], [0.1, 0.2]]), (k, 1, 1)) * (1 + rng.random((k, 1, 1)))
    mix = mixture_density(rng.random(k), rng.normal(size=(k, 2)), covs)
    raw = json.dumps(mix.to_dict(), indent=4).encode()
    assert len(raw) < MAX_FILE_BYTES
    check_structure(raw, "mixture", MAX_CONTAINERS, MAX_VALUES)


def test_session_caps_leave_room_for_the_largest_density_and_long_histories():
    assert MAX_JSON_CONTAINERS > MAX_CONTAINERS  # a density's lists and the Fisher rows
    assert MAX_JSON_BYTES >= MAX_FILE_BYTES // 2 + 1_000_000 * 20  # the largest grid (compact) + 1 M steps


@pytest.mark.parametrize("model", [ModelConfig(hidden=16, layers=1), ModelConfig(hidden=64, layers=3),
                                   ModelConfig(hidden=48, layers=2, noise_conditional=True),
                                   ModelConfig(hidden=32, layers=2, parametrization="energy")])
def test_array_and_weight_caps_hold_what_a_legitimate_session_writes(model):
    s = small_session(model=model, sampler=SamplerConfig(n_particles=5000))
    s.train(2)
    _, npz = split(session_bytes(s))
    assert len(npz) <= arrays_limit(s.cfg) and len(model_bytes(s.model)) <= model_file_limit(model)
    numbers = sum(p.numel() for p in s.model.parameters())
    assert model_file_limit(model) < 8 * numbers + 200_000  # and not much more than 8 bytes a number


# ================================================================== sessions: the cases
def test_a_view_inflating_to_63_mb_is_refused_before_it_is_parsed(tmp_path, good_session):
    meta, npz = split(good_session)
    meta["view"] = {"grid": 40}
    text = json.dumps(meta).replace('"view": {"grid": 40}', '"view": {"x": [' + "{}," * 21_000_000 + '{}]}')
    path = rebuild(tmp_path / "view-bomb.scoreviz", None, npz, text.encode())
    assert path.stat().st_size < 400_000 and len(text) > 63_000_000
    msg = refused(load_session, path, fragment="view-bomb.scoreviz': session.json holds 21,000,0")
    assert f"at most {MAX_JSON_CONTAINERS:,}" in msg


def test_session_json_beyond_its_cap_is_refused_before_it_is_read(tmp_path, good_session):
    meta, npz = split(good_session)
    text = json.dumps(meta)[:-1] + ', "pad": "' + " " * (MAX_JSON_BYTES + 10) + '"}'
    path = rebuild(tmp_path / "big.scoreviz", None, npz, text.encode())
    refused(load_session, path, fragment=f"'big.scoreviz': session.json is {len(text):,} bytes")


def test_arrays_beyond_what_the_model_settings_imply_are_refused_before_they_are_read(tmp_path, good_session):
    meta, npz = split(good_session)
    cfg = SessionConfig.from_dict(meta["config"])
    with zipfile.ZipFile(io.BytesIO(npz)) as inner:
        members = {n: inner.read(n) for n in inner.namelist()}
    buf = io.BytesIO()
    np.save(buf, np.zeros(arrays_limit(cfg) // 4, np.float32))  # zeros: a 100 KB zip bomb of 4x the allowance
    members["pad.npy"] = buf.getvalue()
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for n, b in members.items():
            z.writestr(n, b)
    path = rebuild(tmp_path / "pad.scoreviz", meta, packed.getvalue())
    msg = refused(load_session, path, fragment="'pad.scoreviz': arrays.npz")
    assert f"at most {arrays_limit(cfg):,} bytes" in msg and "16 wide, 1 layers" in msg


def test_the_max_everything_session_is_judged_by_its_own_settings(tmp_path, good_session):
    """A small file that asks for a 4096-wide 8-layer model, batch 65536, grid 512 and 10^6 particles
    is refused in one line at once (by the work budget; its arrays could hold no more than that model
    implies, and these do not match it): nothing is built."""
    meta, npz = split(good_session)
    meta["config"]["model"].update(hidden=4096, layers=8)
    meta["config"].update(batch=65_536, grid=512)
    meta["config"]["sampler"]["n_particles"] = 1_000_000
    path = rebuild(tmp_path / "max.scoreviz", meta, npz)
    t0 = time.perf_counter()
    with pytest.raises(ScorevizError) as info:
        load_session(path)
    assert time.perf_counter() - t0 < 5 and "\n" not in str(info.value)


@pytest.mark.parametrize("view, fragment", [
    ({"grid": 2**40, "grid_auto": False}, "view grid=1099511627776 is not allowed"),
    ({"grid": 1}, "view grid=1"),
    ({"grid": 40.0}, "view grid=40.0"),
    ({"grid": True}, "view grid=True"),
    ({"zoom": 1.5}, "view key 'zoom' is not known; known: box, grid"),
    ({"x": [{}, {}]}, "view key 'x' is not known"),
    ({"box": [0, 1, 0, 2e6]}, "view box="),
    ({"box": [1, 0, 0, 1]}, "view box="),
    ({"box": [0, 1, 0, float("inf")]}, "view box="),
    ({"box": [0, 1, 0]}, "view box="),
    ({"scale": "cubic"}, "view scale='cubic'"),
    ({"speed_index": 10**400}, "view speed_index=100000"),
    ({"speed_index": -1}, "view speed_index=-1"),
    ({"error": 1}, "view error=1"),
    ({"autosave_of": "x" * 5000}, "view autosave_of="),
    ([1, 2], "view must be an object"),
])
def test_a_view_out_of_range_for_the_window_is_refused_at_load(tmp_path, good_session, view, fragment):
    meta, npz = split(good_session)
    meta["view"] = view
    path = rebuild(tmp_path / "v.scoreviz", meta, npz)
    msg = refused(load_session, path, fragment=fragment)
    assert msg.startswith("'v.scoreviz' is a damaged scoreviz session: view")


def test_every_known_view_key_in_range_is_kept(tmp_path, good_session):
    view = {"box": [-1.5, 2, -3, 3e5], "grid": 512, "grid_auto": False, "scale": "direction", "error": True,
            "unit": True, "antialias": False, "speed_index": 3, "controls_visible": False,
            "autosave_of": "/tmp/a.scoreviz", "autosave_label": ""}
    samples = {bool: True, int: lambda spec: spec[1], float: lambda spec: spec[2],
               str: lambda spec: spec[1][0] if isinstance(spec[1], tuple) else ""}
    for key, spec in VIEW.items():  # keys added since (each with its spec): a value in range
        if key not in view:
            sample = samples.get(spec[0], [0, 1, 0, 1])
            view[key] = sample(spec) if callable(sample) else sample
    assert set(view) == set(VIEW) and check_view(view) == view and check_view(None) == {}
    meta, npz = split(good_session)
    meta["view"] = view
    _, back = load_session(rebuild(tmp_path / "v.scoreviz", meta, npz))
    assert back == view


def test_saving_keeps_only_what_loading_accepts():
    assert saved_view({"box": [-2e6, 2e6, -1, 1], "grid": 40, "speed_index": -1}) == {"grid": 40}
    with pytest.raises(ValueError, match="not in session_file.VIEW"):
        saved_view({"zoom": 2})
    s = small_session()
    _, back = load_session_bytes(session_bytes(s, view={"box": [-1e7, 1e7, -1, 1], "grid": 64}))
    assert back == {"grid": 64}


def load_session_bytes(raw: bytes):
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "s.scoreviz"
        path.write_bytes(raw)
        return load_session(path)


@pytest.mark.parametrize("edit, fragment", [
    (lambda t: t.replace('"fisher_history": [[4,', '"fisher_history": [[1e400,'), "fisher history entries must be"),
    (lambda t: t.replace('"fisher_history": [[4,', '"fisher_history": [[' + "1" + "0" * 400 + ','),
     "fisher history steps must run in order from 0 to the step count"),
    (lambda t: t.replace('"fisher_history": [[4,', '"fisher_history": [[4.0,'), "fisher history entries must be"),
    (lambda t: t.replace('"fisher_history": [[4,', '"fisher_history": [[-1,'), "fisher history steps must run in order"),
    (lambda t: t.replace('"fisher_history": [[4,', '"fisher_history": [[5,'), "fisher history steps must run in order"),
    (lambda t: t.replace('"fisher_history": [[4,', '"fisher_history": [[3, 1, 1], [2,'),
     "fisher history steps must run in order"),
    (lambda t: t.replace('"loss_history": [', '"loss_history": [1e400, '), "loss history"),
])
def test_history_steps_and_losses_out_of_range_are_refused_at_load(tmp_path, good_session, edit, fragment):
    """Issue 12: a Fisher step of 1e400 passed the loader, then the app said "opened" and never trained."""
    meta, npz = split(good_session)
    text = edit(json.dumps(meta))
    assert text != json.dumps(meta)
    path = rebuild(tmp_path / "h.scoreviz", None, npz, text.encode())
    refused(load_session, path, fragment=fragment)


# ================================================================== density files
def test_a_63_mb_density_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:  # a sparse file: its size is what counts, nothing is read
        fh.write(b'{"type": "preset", "name": "moons", "colour": "')
        fh.seek(63_000_000)
        fh.write(b'"}')
    msg = refused(load_density_json, path, fragment=f"density file '{path}' is 63,000,002 bytes (60.1 MiB)")
    assert f"at most {MAX_FILE_BYTES:,} bytes" in msg and "1024 x 1024 grid" in msg


@pytest.mark.parametrize("body, fragment", [
    (b'{"type": "preset", "name": "moons", "x": [' + b"{}," * 2_000_000 + b"{}]}", "lists or objects; at most"),
    (b'{"type": "grid", "box": [0, 1, 0, 1], "blur": 0.1, "weights": [[' + b"1e1," * 3_000_000 + b"1]]}",
     "values; at most"),
])
def test_density_files_with_more_structure_than_a_density_holds_are_refused_before_parsing(tmp_path, body, fragment):
    path = tmp_path / "d.json"
    path.write_bytes(body)
    assert len(body) < MAX_FILE_BYTES
    refused(load_density_json, path, fragment=fragment, seconds=1.5)


# ================================================================== model.pt
def _empty_list_pickle(n: int) -> bytes:
    """torch's archive whose data.pkl is n EMPTY_LIST opcodes (accepted by the weights-only unpickler)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", b"\x80\x02" + b"]" * n + b".")
        z.writestr("archive/version", b"3\n")
        z.writestr("archive/byteorder", b"little")
    return buf.getvalue()


def _model_folder(tmp_path, cfg: ModelConfig) -> Path:
    s = small_session(model=cfg)
    folder = tmp_path / "run"
    folder.mkdir(exist_ok=True)
    (folder / "model.json").write_text(json.dumps(model_info(s)))
    (folder / "model.pt").write_bytes(model_bytes(s.model))
    load_model(folder)  # the real pair loads
    return folder


def test_a_24_mb_model_pt_of_empty_lists_is_refused_by_the_size_model_json_implies(tmp_path):
    cfg = ModelConfig(hidden=64, layers=2)
    folder = _model_folder(tmp_path, cfg)
    (folder / "model.pt").write_bytes(_empty_list_pickle(24_000_000))
    msg = refused(load_model, folder, fragment="model.pt is 24,000,")
    assert f"at most {model_file_limit(cfg):,} bytes" in msg and "64 wide, 2 layers" in msg


def test_a_large_pickle_is_refused_even_where_model_json_allows_a_large_file(tmp_path):
    cfg = ModelConfig(hidden=1024, layers=4)  # ~3 M parameters: a model.pt of up to ~25 MB
    folder = tmp_path / "big"
    folder.mkdir()
    info = model_info(small_session())
    info["model"] = cfg.to_dict()
    (folder / "model.json").write_text(json.dumps(info))
    (folder / "model.pt").write_bytes(_empty_list_pickle(2_000_000))
    assert (folder / "model.pt").stat().st_size < model_file_limit(cfg)
    refused(load_model, folder, fragment="model.pt's member 'archive/data.pkl' is 2,000,003 bytes")


def test_model_json_beyond_its_cap_is_refused_before_it_is_read(tmp_path):
    folder = _model_folder(tmp_path, ModelConfig(hidden=8, layers=1))
    with open(folder / "model.json", "r+b") as fh:
        fh.truncate(200_000_000)  # sparse
    refused(load_model, folder, fragment="model.json' is 200,000,000 bytes")
    (folder / "model.json").write_bytes(b'{"a": [' + b"[]," * 1_000_000 + b"[]]}")
    refused(load_model, folder, fragment="lists or objects; at most")


# ================================================================== images
def _bmp_rle8(width: int, height: int) -> bytes:
    """An 8-bit run-length BMP: one pixel and an end of line a row (Pillow pads each row in Python)."""
    pal = b"".join(bytes([v, v, v, 0]) for v in range(256))
    data = b"\x01\x00\x00\x00" * height + b"\x00\x01"
    hdr = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 8, 1, len(data), 2835, 2835, 256, 0)
    off = 14 + 40 + len(pal)
    return b"BM" + struct.pack("<IHHI", off + len(data), 0, 0, off) + hdr + pal + data


def test_a_slow_rle_bmp_named_png_is_refused_from_its_header(tmp_path):
    path = tmp_path / "slow.png"
    path.write_bytes(_bmp_rle8(8192, 8192))
    assert 33_000 < path.stat().st_size < 34_000
    refused(image_density, path, fragment="the file holds a BMP image, not the PNG its name says", seconds=0.5)
    refused(load_density, str(path), fragment="slow.png", seconds=0.5)


@pytest.mark.parametrize("fmt, name", [("JPEG", "a.png"), ("PNG", "a.jpg"), ("PNG", "a.jpeg"), ("GIF", "a.bmp"),
                                       ("BMP", "a.gif"), ("PNG", "a.webp")])
def test_any_format_other_than_the_one_the_name_claims_is_refused(tmp_path, fmt, name):
    Image.fromarray(np.full((8, 8), 40, np.uint8)).save(tmp_path / name, fmt)
    refused(image_density, tmp_path / name, fragment=f"holds a {fmt} image, not the {SUFFIX_FORMATS[name[1:]]}")


@pytest.mark.parametrize("fmt, name", [("JPEG", "a.jpg"), ("JPEG", "a.JPEG"), ("PNG", "a.PNG"), ("GIF", "a.gif"),
                                       ("BMP", "a.bmp"), ("WEBP", "a.webp")])
def test_each_format_under_its_own_name_loads(tmp_path, fmt, name):
    Image.fromarray(np.full((8, 8), 40, np.uint8)).save(tmp_path / name, fmt)
    assert image_density(tmp_path / name).shape == (8, 8)


def test_an_image_without_a_known_ending_is_refused(tmp_path):
    Image.fromarray(np.full((8, 8), 40, np.uint8)).save(tmp_path / "pic.tga", "PNG")
    refused(image_density, tmp_path / "pic.tga", fragment="an image's name must end in .png, .jpg")


def _png(width: int, height: int, raw: bytes, interlace: int = 0, depth: int = 8, colour: int = 0) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace)
    idat = b"".join(chunk(b"IDAT", piece) for piece in _pieces(zlib.compress(raw), 3))  # split over 3 chunks
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"tEXt", b"a\x00b") + idat + chunk(b"IEND", b"")


def _pieces(data: bytes, n: int) -> list[bytes]:
    step = max(1, math.ceil(len(data) / n))
    return [data[i:i + step] for i in range(0, len(data), step)]


def test_a_png_whose_data_stops_after_100_of_8192_rows_is_refused(tmp_path):
    """Issue 12: Pillow read the 8092 missing rows as black -- the densest value."""
    w, h = 64, 8192
    rows = b"".join(b"\x00" + bytes([255]) * w for _ in range(100))  # white, then nothing
    path = tmp_path / "cut.png"
    path.write_bytes(_png(w, h, rows))
    Image.open(path).load()  # Pillow itself accepts it
    refused(image_density, path, fragment="cut.png': the image data stops after 100 of 8192 rows (a truncated file)")
    path.write_bytes(_png(w, h, rows * (h // 100) + rows[: (h % 100) * (w + 1)]))  # every row: loads
    with pytest.raises(ScorevizError, match="no dark pixels"):  # (all white) -- read to the end
        image_density(path)


@pytest.mark.parametrize("depth, colour, channels", [(8, 0, 1), (16, 0, 1), (8, 2, 3), (8, 6, 4), (1, 0, 1)])
def test_interlaced_and_deep_pngs_are_checked_row_exactly(tmp_path, depth, colour, channels):
    w, h = 13, 11
    adam7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
    rng = np.random.default_rng(0)
    raw = b""
    for x0, y0, dx, dy in adam7:
        pw, ph = (w - x0 + dx - 1) // dx, (h - y0 + dy - 1) // dy
        if pw and ph:
            row = 1 + (pw * depth * channels + 7) // 8
            raw += b"".join(b"\x00" + rng.integers(0, 200, row - 1, dtype=np.uint8).tobytes() for _ in range(ph))
    path = tmp_path / "i.png"
    path.write_bytes(_png(w, h, raw, interlace=1, depth=depth, colour=colour))
    assert image_density(path).shape == (h, w)
    path.write_bytes(_png(w, h, raw[:-1], interlace=1, depth=depth, colour=colour))
    refused(image_density, path, fragment=f"the image data stops after {len(raw) - 1:,} of {len(raw):,} bytes")
    flat = b"".join(b"\x00" + rng.integers(0, 200, (w * depth * channels + 7) // 8, dtype=np.uint8).tobytes()
                    for _ in range(h))
    path.write_bytes(_png(w, h, flat, depth=depth, colour=colour))
    assert image_density(path).shape == (h, w)
    path.write_bytes(_png(w, h, flat[:-1], depth=depth, colour=colour))
    refused(image_density, path, fragment=f"stops after {h - 1} of {h} rows")


def test_shipped_and_pillow_written_pngs_pass_the_data_check(tmp_path, resources):
    for p in (resources / "heart.png", resources / "smiley.png"):
        assert image_density(p).shape == (64, 64)
    img = Image.open(resources / "smiley.png")
    for mode in ("1", "L", "P", "RGB", "RGBA", "LA", "I;16"):
        img.convert(mode).save(tmp_path / f"m-{mode.replace(';', '')}.png", optimize=True)
        image_density(tmp_path / f"m-{mode.replace(';', '')}.png")


def test_truncated_images_are_never_loaded_as_pictures(tmp_path):
    from PIL import ImageFile

    import scoreviz.core.images  # noqa: F401
    import scoreviz.core.densities  # noqa: F401

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    for f in (ROOT / "scoreviz").rglob("*.py"):
        assert "LOAD_TRUNCATED_IMAGES = " not in f.read_text(encoding="utf-8"), f


# ================================================================== the preset box limit
def test_the_box_parameter_limit_is_in_the_limits_table_and_its_message(monkeypatch):
    lim = limits.LIMITS["param_box"]
    assert (lim.min, lim.max) == (-1e4, 1e4) and not lim.integer
    msg = refused(load_density, "expr:-x**2-y**2", box="-2e4,1,-1,1", fragment="box='-2e4,1,-1,1' is out of range")
    assert "each in -10000..10000" in msg
    assert load_density("expr:-x**2-y**2", box="-1e4,1e4,-1,1").box == (-1e4, 1e4, -1, 1)
    refused(image_density, HEART, box=(-4, 4, -4, 20_000), fragment="each in -10000..10000")
    # the check reads the table: a narrower limit is what the parameters meet
    monkeypatch.setitem(limits.LIMITS, "param_box", limits.Limit("param_box", -5.0, 5.0, False, "test"))
    refused(load_density, "expr:-x**2-y**2", box="-6,1,-1,1", fragment="each in -5..5")


# ================================================================== embed only what the user opened
@pytest.mark.parametrize("path", [str(HEART), "../heart.png", "sub/../../heart.png", "/etc/passwd"])
def test_a_session_naming_an_image_file_is_refused(tmp_path, good_session, path):
    meta, npz = split(good_session)
    meta["density"] = {"scoreviz_density": 1, "type": "image", "path": path}
    (tmp_path / "heart.png").write_bytes(HEART.read_bytes())
    session = rebuild(tmp_path / "s.scoreviz", meta, npz)
    msg = refused(load_session, session, fragment="an image density naming a file")
    assert "sessions and models hold their pictures as grid densities" in msg


def test_a_session_naming_an_image_beside_it_is_refused_too(tmp_path, good_session):
    meta, npz = split(good_session)
    shutil.copy(HEART, tmp_path / "heart.png")
    meta["density"] = {"scoreviz_density": 1, "type": "image", "path": "heart.png"}
    refused(load_session, rebuild(tmp_path / "s.scoreviz", meta, npz), fragment="an image density naming a file")


def test_an_image_session_resaved_embeds_its_grid_and_no_path(tmp_path):
    session, view = load_session(EXAMPLES / "heart-image.scoreviz")
    save_session(tmp_path / "again.scoreviz", session, view)
    meta, _ = split((tmp_path / "again.scoreviz").read_bytes())
    assert meta["density"]["type"] == "grid" and "path" not in json.dumps(meta["density"])
    assert load_session(tmp_path / "again.scoreviz")[0].density.shape == session.density.shape


def test_every_shipped_example_session_still_opens():
    for path in sorted(EXAMPLES.glob("*.scoreviz")):
        session, view = load_session(path)
        assert check_view(view) == view and session.step_count > 0


def test_a_density_file_names_images_only_inside_its_own_folder(tmp_path):
    folder = tmp_path / "dens"
    (folder / "pics").mkdir(parents=True)
    shutil.copy(HEART, folder / "pics" / "h.png")
    shutil.copy(HEART, tmp_path / "outside.png")

    def write(path_value):
        (folder / "d.json").write_text(json.dumps({"type": "image", "path": path_value, "max_cells": 16}))
        return folder / "d.json"

    assert load_density_json(write("pics/h.png")).shape == (16, 16)
    for bad, fragment in ((str(tmp_path / "outside.png"), "must be relative to the density file's folder"),
                          ("../outside.png", "without '..'"), ("pics/../../outside.png", "without '..'")):
        refused(load_density_json, write(bad), fragment=fragment)
    if hasattr(os, "symlink"):
        os.symlink(tmp_path / "outside.png", folder / "link.png")
        refused(load_density_json, write("link.png"), fragment="leads out of the density file's folder")
        os.symlink(tmp_path, folder / "up")
        refused(load_density_json, write("up/outside.png"), fragment="leads out of the density file's folder")
    # without the folder a dict names no file at all
    refused(density_from_dict, {"type": "image", "path": "pics/h.png"}, fragment="an image density naming a file")
