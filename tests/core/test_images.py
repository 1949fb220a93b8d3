"""Images as densities: loading, darkness -> weight, invert, placement, refusals."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest
import torch
from PIL import Image

from scoreviz.core.densities import load_density, load_density_json, save_density_json
from scoreviz.core.errors import ScorevizError
from scoreviz.core.grid_density import GridDensity
from scoreviz.core.images import IMAGE_PARAMS, image_density


def _save(tmp_path, array, name="img.png", mode="L"):
    path = tmp_path / name
    Image.fromarray(np.asarray(array, dtype=np.uint8), mode=mode if mode != "L" else None).save(path)
    return path


@pytest.mark.parametrize("name", ["heart.png", "smiley.png"])
def test_shipped_images_load(name, resources, gen):
    d = load_density(str(resources / name))
    assert isinstance(d, GridDensity) and d.name == f"image:{name}"
    assert d.shape == (64, 64) and d.extent == (-4.0, 4.0, -4.0, 4.0) and d.box == (-4.0, 4.0, -4.0, 4.0)
    assert d.blur == pytest.approx(8 / 64)
    grey = np.asarray(Image.open(resources / name).convert("L"), dtype=np.float64)
    # darker = denser: the weights are the block-averaged darkness, row 0 at the bottom
    dark = (255 - grey).reshape(64, 4, 64, 4).mean((1, 3))[::-1]
    np.testing.assert_allclose(d.weights.numpy(), dark / dark.sum(), rtol=1e-5, atol=1e-9)
    x = d.sample(500, gen)
    assert torch.isfinite(d.score(x)).all()


def test_shipped_images_are_reproducible(resources, tmp_path):
    spec = importlib.util.spec_from_file_location("make_images", resources / "make_images.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for name, make in (("heart.png", mod.heart), ("smiley.png", mod.smiley)):
        np.testing.assert_array_equal(np.asarray(make()), np.asarray(Image.open(resources / name)))


def test_dark_is_dense_and_invert_flips(tmp_path, gen):
    img = np.full((20, 40), 255)
    img[:, :20] = 0  # left half black
    path = _save(tmp_path, img)
    d = image_density(path)
    x = d.sample(2000, gen)
    assert (x[:, 0] < 1.0).all()  # the black half is x < 0; the blur is 0.2
    inv = image_density(path, invert=True)
    assert (inv.sample(2000, gen)[:, 0] > -1.0).all()
    # grey levels: weight proportional to darkness (default) or lightness (invert)
    ramp = np.tile(np.linspace(0, 255, 16).round(), (8, 1))
    p2 = _save(tmp_path, ramp, "ramp.png")
    w, wi = image_density(p2).weights.numpy(), image_density(p2, invert=True).weights.numpy()
    np.testing.assert_allclose(w[0], (255 - ramp[0]) / (255 - ramp).sum())
    np.testing.assert_allclose(wi[0], ramp[0] / ramp.sum())


def test_aspect_ratio_and_placement(tmp_path):
    path = _save(tmp_path, np.zeros((50, 100)))
    d = image_density(path)
    assert d.shape == (32, 64) and d.extent == (-4.0, 4.0, -2.0, 2.0) and d.box == (-4.0, 4.0, -4.0, 4.0)
    tall = image_density(_save(tmp_path, np.zeros((30, 10)), "tall.png"), box=(0, 6, 0, 3))
    assert tall.shape == (30, 10) and tall.extent == pytest.approx((2.5, 3.5, 0.0, 3.0))
    small = image_density(path, max_cells=10, blur=2.0)
    assert small.shape == (5, 10) and small.blur == pytest.approx(2 * 0.8)


def test_transparency_is_empty_and_jpeg_loads(tmp_path, gen):
    rgba = np.zeros((16, 16, 4), dtype=np.uint8)
    rgba[:, :8, 3] = 255  # left half opaque black, right half transparent (black but alpha 0)
    path = tmp_path / "t.png"
    Image.fromarray(rgba, "RGBA").save(path)
    x = image_density(path).sample(1000, gen)[:, 0]  # cells and blur are 0.5 wide
    assert (x < 2.5).all() and x.mean() < -1.5
    jpg = tmp_path / "j.jpg"
    Image.fromarray(np.full((16, 16), 40, dtype=np.uint8)).save(jpg, quality=95)
    d = load_density(str(jpg))
    assert d.shape == (16, 16) and d.name == "image:j.jpg"


@pytest.mark.parametrize(
    "make, fragment",
    [
        (lambda p: None, "no such file"),
        (lambda p: p.write_bytes(b"not an image at all"), "not a PNG/JPEG image or the file is corrupt"),
        (lambda p: p.write_bytes(b""), "corrupt"),
        (lambda p: p.write_bytes(bytes(np.random.default_rng(0).integers(0, 256, 2000, dtype=np.uint8))), "corrupt"),
    ],
)
def test_unreadable_images(tmp_path, make, fragment):
    path = tmp_path / "bad.png"
    make(path)
    with pytest.raises(ScorevizError) as info:
        load_density(str(path))
    msg = str(info.value)
    assert fragment in msg and "bad.png" in msg and "\n" not in msg


def test_truncated_png(tmp_path, resources):
    raw = (resources / "heart.png").read_bytes()
    path = tmp_path / "cut.png"
    path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(ScorevizError, match="cut.png"):
        load_density(str(path))


def test_folder_and_blank_images(tmp_path):
    folder = tmp_path / "dir.png"
    folder.mkdir()
    with pytest.raises(ScorevizError, match="folder"):
        load_density(str(folder))
    white = _save(tmp_path, np.full((8, 8), 255), "white.png")
    with pytest.raises(ScorevizError, match="no dark pixels.*invert=True"):
        load_density(str(white))
    assert load_density(str(white), invert=True).shape == (8, 8)


def test_image_parameters(tmp_path, resources):
    assert set(IMAGE_PARAMS) == {"invert", "max_cells", "blur", "box"}
    for params, fragment in [({"max_cells": 1000}, "max_cells=1000 is out of range"), ({"blur": 0}, "blur=0"),
                             ({"invert": "maybe"}, "invert='maybe'"), ({"size": 3}, "unknown parameter 'size'")]:
        with pytest.raises(ScorevizError, match=fragment):
            load_density(str(resources / "heart.png"), **params)
    assert load_density(str(resources / "heart.png"), invert="true", max_cells="16").shape == (16, 16)


def test_saved_image_density_is_self_contained(tmp_path, resources):
    import shutil

    src = tmp_path / "copy.png"
    shutil.copy(resources / "smiley.png", src)
    d = load_density(str(src), max_cells=24)
    out = tmp_path / "s.json"
    save_density_json(d, out)
    src.unlink()
    data = json.loads(out.read_text())
    assert data["type"] == "grid" and "path" not in data
    back = load_density_json(out)
    x = torch.randn(50, 2, dtype=torch.float64) * 3
    torch.testing.assert_close(back.log_prob(x), d.log_prob(x), rtol=1e-12, atol=1e-12)
    assert back.name == "image:copy.png"


# --------------------------------------------------------------------------- files from strangers
def _png_claiming(width, height) -> bytes:
    """A PNG header claiming width x height pixels, with no pixel data (a decompression-bomb shape)."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def _expect_refusal(path, fragment, seconds=2.0):
    import time

    t = time.perf_counter()
    with pytest.raises(ScorevizError) as info:
        image_density(path)
    assert time.perf_counter() - t < seconds
    msg = str(info.value)
    assert fragment in msg and path.name in msg and "\n" not in msg, msg
    return msg


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("w, h, fragment", [
    (20000, 20000, "too large"),  # Pillow's own bomb limit
    (10000, 10000, "10000 x 10000 pixels is too large"),  # Pillow would only warn; ours refuses
    (9000, 9000, "9000 x 9000 pixels is too large"),
    (1, 80_000_000, "too large"),
    (0, 5, "corrupt"),  # zero-size
    (5, 0, "corrupt"),
])
def test_decompression_bombs_and_zero_size_are_refused_before_decoding(tmp_path, w, h, fragment):
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_claiming(w, h))
    _expect_refusal(path, fragment)


def test_large_image_is_downscaled_quickly(tmp_path):
    import time

    img = Image.new("L", (6000, 4000), 255)
    img.paste(0, (0, 0, 3000, 4000))  # left half black
    path = tmp_path / "big.png"
    img.save(path)
    t = time.perf_counter()
    d = image_density(path)
    assert time.perf_counter() - t < 5.0
    assert d.shape == (43, 64)
    assert (d.weights[:, :32] > 0).all() and (d.weights[:, 32:] == 0).all()


def _weights(path, **kw):
    return image_density(path, **kw).weights.numpy()


def test_sixteen_bit_grey_is_scaled_not_clipped(tmp_path):
    ramp16 = np.tile(np.linspace(0, 65535, 16).round().astype(np.uint16), (8, 1))
    p16 = tmp_path / "ramp16.png"
    Image.fromarray(ramp16).save(p16)
    assert Image.open(p16).mode == "I;16"
    p8 = _save(tmp_path, (ramp16 / 257.0).round(), "ramp8.png")
    np.testing.assert_allclose(_weights(p16), _weights(p8), rtol=1e-9, atol=1e-12)
    i32 = Image.fromarray(ramp16.astype(np.int32))  # mode "I", as 16-bit data can also arrive
    assert i32.mode == "I"
    from scoreviz.core.images import _grey_image

    np.testing.assert_allclose(np.asarray(_grey_image(i32)), ramp16.astype(np.float64) * 255 / 65535, rtol=1e-6, atol=1e-4)


def test_modes_palette_bilevel_la_rgba_cmyk(tmp_path):
    base = np.full((8, 16), 255, dtype=np.uint8)
    base[:, :8] = 0  # left half black
    ref = _weights(_save(tmp_path, base, "ref.png"))
    grey = Image.fromarray(base)
    cases = {
        "p.png": grey.convert("P"),
        "one.png": grey.convert("1"),
        "rgb.png": grey.convert("RGB"),
        "cmyk.jpg": grey.convert("CMYK"),
        "la.png": grey.convert("LA"),
        "rgba.png": grey.convert("RGBA"),
    }
    for name, img in cases.items():
        path = tmp_path / name
        img.save(path, **({"quality": 100} if name.endswith(".jpg") else {}))
        np.testing.assert_allclose(_weights(path), ref, atol=0.02, err_msg=name)
    # transparent = empty, for every way of being transparent
    rgba = np.zeros((8, 16, 4), dtype=np.uint8)  # all black...
    rgba[:, :8, 3] = 255  # ...but only the left half opaque
    Image.fromarray(rgba, "RGBA").save(tmp_path / "t-rgba.png")
    Image.fromarray(rgba, "RGBA").convert("LA").save(tmp_path / "t-la.png")
    pal = Image.fromarray(base).convert("P")  # palette with a transparent index: the right half
    pal.info["transparency"] = pal.getpixel((15, 0))
    pal.save(tmp_path / "t-p.png", transparency=pal.getpixel((15, 0)))
    for name in ("t-rgba.png", "t-la.png", "t-p.png"):
        np.testing.assert_allclose(_weights(tmp_path / name), ref, atol=1e-9, err_msg=name)


@pytest.mark.parametrize("fmt, name", [("GIF", "anim.gif"), ("PNG", "anim.png")])
def test_animated_images_use_the_first_frame(tmp_path, fmt, name):
    first = np.full((8, 8), 255, dtype=np.uint8)
    first[:, :4] = 0
    second = 255 - first
    frames = [Image.fromarray(first), Image.fromarray(second)]
    path = tmp_path / name
    frames[0].save(path, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(path).n_frames == 2
    np.testing.assert_allclose(_weights(path), _weights(_save(tmp_path, first, "first.png")), atol=1e-12)


def test_only_safe_decoders_are_used(tmp_path):
    # the name decides the decoder, among PNG/JPEG/GIF/BMP/WebP only, and the content must agree: a
    # GIF named .gif loads, a GIF named .png is refused (issue 12: only the format a file claims), an
    # EPS (decoded by running Ghostscript) or a TIFF named .png is refused without being decoded
    Image.fromarray(np.zeros((4, 4), dtype=np.uint8)).save(tmp_path / "gif.gif", "GIF")
    assert image_density(tmp_path / "gif.gif").shape == (4, 4)
    Image.fromarray(np.zeros((4, 4), dtype=np.uint8)).save(tmp_path / "gif.png", "GIF")
    _expect_refusal(tmp_path / "gif.png", "the file holds a GIF image, not the PNG its name says")
    eps = tmp_path / "eps.png"
    eps.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n")
    _expect_refusal(eps, "not a PNG/JPEG image or the file is corrupt")
    Image.fromarray(np.zeros((4, 4), dtype=np.uint8)).save(tmp_path / "tiff.png", "TIFF")
    _expect_refusal(tmp_path / "tiff.png", "not a PNG/JPEG image or the file is corrupt")


def test_pipes_and_devices_are_refused_without_blocking(tmp_path):
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    _expect_refusal(fifo, "not a regular file")
    if os.path.exists("/dev/zero"):
        with pytest.raises(ScorevizError, match="not a regular file"):
            image_density("/dev/zero")


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9, 0.99])
def test_truncated_files_of_every_format(tmp_path, cut, resources):
    img = Image.open(resources / "smiley.png").convert("RGB")
    for fmt, name in (("PNG", "c.png"), ("JPEG", "c.jpg"), ("GIF", "c.gif"), ("BMP", "c.bmp")):
        full = tmp_path / f"full-{name}"
        img.save(full, fmt)
        raw = full.read_bytes()
        path = tmp_path / name
        path.write_bytes(raw[: int(len(raw) * cut)])
        try:
            d = image_density(path)  # a decoder may tolerate a lost tail (JPEG pads it grey)
        except ScorevizError as exc:
            assert name in str(exc) and "\n" not in str(exc)
        else:
            assert torch.isfinite(d.weights).all()
