"""Animations: MP4 and GIF files read back (frame count, size, rate, pixels), the GIF's one palette,
cancelling and bad input leaving nothing behind."""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

import numpy as np
import pytest

from scoreviz.core import animation
from scoreviz.core.animation import (AnimationInfo, Cancelled, FrameStore, frames_of, gif_delays, read_animation_info,
                                     write_animation)
from scoreviz.core.atomic import temp_pattern
from scoreviz.core.errors import ScorevizError

COLOURS = np.array([[230, 40, 40], [40, 200, 60], [40, 80, 230], [240, 220, 30], [20, 20, 28]], np.uint8)


def moving_square(n, w=64, h=48, colour=0):
    """n frames: a dark background and a 12x12 square moving right by 3 pixels per frame."""
    out = []
    for k in range(n):
        f = np.empty((h, w, 3), np.uint8)
        f[:] = COLOURS[4]
        x = (3 * k) % (w - 12)
        f[10:22, x:x + 12] = COLOURS[colour]
        out.append(f)
    return out


def _centre(row) -> float:
    """Mean column of the bright (red) pixels of a row."""
    cols = np.flatnonzero(row > 120)
    return float(cols.mean())


def leftovers(folder: Path) -> list[str]:
    pattern = temp_pattern()
    return [n for n in os.listdir(folder) if pattern.match(n)]


def gif_blocks(path: Path) -> dict:
    """Walk a GIF's blocks (an independent parser): global table, per-image local-table flags, delays, loop."""
    data = path.read_bytes()
    assert data[:6] == b"GIF89a"
    w, h, packed = struct.unpack("<HHB", data[6:11])
    pos = 13
    global_table = bool(packed & 0x80)
    if global_table:
        pos += 3 * (2 << (packed & 7))
    out = {"size": (w, h), "global_table": global_table, "table_size": 2 << (packed & 7), "local_tables": [],
           "delays": [], "loop": None}

    def skip_sub_blocks(p):
        while data[p]:
            p += data[p] + 1
        return p + 1

    while True:
        b = data[pos]
        if b == 0x3B:
            break
        if b == 0x21:
            label = data[pos + 1]
            if label == 0xF9:
                out["delays"].append(struct.unpack("<H", data[pos + 4:pos + 6])[0])
            if label == 0xFF and data[pos + 3:pos + 14] == b"NETSCAPE2.0":
                out["loop"] = struct.unpack("<H", data[pos + 16:pos + 18])[0]
            pos = skip_sub_blocks(pos + 2)
        elif b == 0x2C:
            flags = data[pos + 9]
            out["local_tables"].append(bool(flags & 0x80))
            pos += 10
            if flags & 0x80:
                pos += 3 * (2 << (flags & 7))
            pos = skip_sub_blocks(pos + 1)  # LZW minimum code size, then the data
        else:
            raise AssertionError(f"unexpected block 0x{b:02x} at {pos}")
    return out


# ============================================================================ round trips
def test_mp4_has_the_frames_size_and_rate_asked_for(tmp_path):
    frames = moving_square(7)
    path = tmp_path / "square.mp4"
    calls = []
    info = write_animation(path, frames, 12, progress=lambda d, t: calls.append((d, t)))
    assert info == AnimationInfo(7, 64, 48, 12.0)
    assert read_animation_info(path) == AnimationInfo(7, 64, 48, 12.0)
    assert calls == [(k, 7) for k in range(1, 8)]
    back = list(frames_of(path))
    assert len(back) == 7
    for a, b in zip(frames, back):  # lossy, but the square is where it was
        assert np.abs(a.astype(int) - b).mean() < 8
        assert abs(_centre(b[16, :, 0]) - _centre(a[16, :, 0])) <= 1.0
    assert leftovers(tmp_path) == []


def test_mp4_pads_odd_sides_to_even(tmp_path):
    frames = moving_square(3, w=33, h=19)
    info = write_animation(tmp_path / "odd.mp4", frames, 10)
    assert (info.width, info.height) == (34, 20)
    assert read_animation_info(tmp_path / "odd.mp4")[:3] == (3, 34, 20)


def test_gif_has_the_frames_size_rate_and_exact_colours(tmp_path):
    frames = moving_square(9, colour=0) + moving_square(9, colour=2)
    path = tmp_path / "square.gif"
    info = write_animation(path, frames, 30)
    assert info == AnimationInfo(18, 64, 48, 30.0)
    n, w, h, fps = read_animation_info(path)
    assert (n, w, h) == (18, 64, 48)
    assert fps == pytest.approx(30.0, rel=1e-9)  # delays 3, 3, 4, ... cs: 18 frames in exactly 0.60 s
    back = list(frames_of(path))
    assert len(back) == 18
    for a, b in zip(frames, back):  # few colours: the shared palette holds them exactly
        np.testing.assert_array_equal(a, b)


def test_gif_has_one_global_palette_no_local_tables_and_loops(tmp_path):
    # red only in the first frames, blue only in the last: a palette from frame 0 alone would lose the blue
    frames = moving_square(10, colour=0) + moving_square(10, colour=2)
    path = tmp_path / "palette.gif"
    write_animation(path, frames, 20)
    blocks = gif_blocks(path)
    assert blocks["global_table"] and blocks["table_size"] == 256
    assert blocks["local_tables"] == [False] * 20
    assert blocks["delays"] == [5] * 20
    assert blocks["loop"] == 0  # forever
    from PIL import Image

    with Image.open(path) as im:
        palettes = set()
        for i in range(im.n_frames):
            im.seek(i)
            palettes.add(bytes(im.palette.palette) if im.palette else None)
    assert len(palettes) == 1
    last = list(frames_of(path))[-1]
    assert tuple(last[16, np.argmax(last[16, :, 2])]) == tuple(COLOURS[2])


def test_gif_keeps_repeated_frames(tmp_path):
    frame = moving_square(1)[0]
    path = tmp_path / "still.gif"
    write_animation(path, [frame] * 6, 10)
    assert read_animation_info(path) == (6, 64, 48, pytest.approx(10.0))
    assert len(gif_blocks(path)["local_tables"]) == 6


def test_gif_shared_palette_is_nearly_as_good_as_a_palette_per_frame(tmp_path):
    """Frames drawn with the same colour maps (as the app's are), moving: one palette for all of them
    costs little against the best palette of each frame alone (Pillow's, what a local table would hold)."""
    from PIL import Image

    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:60, 0:160]
    base = np.stack([(xx * 1.6) % 256, (yy * 4) % 256, (xx + yy) % 256], -1)
    frames = []
    for k in range(6):  # smooth gradients (like the heat map) sliding sideways, plus a little noise
        f = np.roll(base, 7 * k, axis=1)[:, :80] + rng.integers(-3, 4, (60, 80, 3))
        frames.append(np.clip(f, 0, 255).astype(np.uint8))
    path = tmp_path / "grad.gif"
    write_animation(path, frames, 8)
    back = list(frames_of(path))
    assert len(back) == 6
    shared = [np.abs(a.astype(int) - b).mean() for a, b in zip(frames, back)]
    own = [np.abs(np.asarray(Image.fromarray(a).quantize(256, method=Image.Quantize.FASTOCTREE).convert("RGB"))
                  .astype(int) - a).mean() for a in frames]
    assert max(shared) < 1.3 * max(own) + 0.5, (shared, own)


@pytest.mark.parametrize("fps", [1, 3, 7, 20, 24, 30, 33, 50])
def test_gif_delays_keep_the_average_rate(fps):
    d = gif_delays(300, fps)
    assert all(v >= 2 for v in d)
    for k in (1, 7, 100, 300):
        assert abs(sum(d[:k]) - 100 * k / fps) <= 0.5


def test_a_generator_with_a_length_works_for_both_formats(tmp_path):
    class Lazy:
        def __len__(self):
            return 5

        def __iter__(self):
            yield from moving_square(5)

    assert write_animation(tmp_path / "a.gif", Lazy(), 10).n_frames == 5
    assert write_animation(tmp_path / "a.mp4", Lazy(), 10).n_frames == 5
    assert read_animation_info(tmp_path / "a.gif")[0] == read_animation_info(tmp_path / "a.mp4")[0] == 5


def test_frame_store_round_trip_and_compresses():
    store = FrameStore()
    frames = moving_square(5)
    for f in frames:
        store.append(f)
    assert len(store) == 5 and store.size == (64, 48)
    for a, b in zip(frames, store):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(store[-1], frames[-1])
    assert 0 < store.nbytes < 5 * 64 * 48 * 3 / 4
    with pytest.raises(ScorevizError, match="frame 5 is 32x48"):
        store.append(np.zeros((48, 32, 3), np.uint8))
    store.clear()
    assert len(store) == 0 and store.size is None


# ============================================================================ cancel and bad input
@pytest.mark.parametrize("suffix", [".mp4", ".gif"])
def test_cancel_midway_leaves_the_previous_file_and_no_temporary(tmp_path, suffix):
    path = tmp_path / f"anim{suffix}"
    path.write_bytes(b"the previous animation")
    seen = []

    def progress(done, total):
        seen.append(done)

    with pytest.raises(Cancelled):
        write_animation(path, moving_square(12), 10, progress=progress, cancel=lambda: len(seen) >= 4)
    assert path.read_bytes() == b"the previous animation"
    assert seen == [1, 2, 3, 4]
    assert sorted(os.listdir(tmp_path)) == [path.name]


@pytest.mark.parametrize("name", ["anim.avi", "anim", "anim.gif.png", "anim.MP4x"])
def test_a_bad_suffix_is_refused_in_one_line(tmp_path, name):
    with pytest.raises(ScorevizError) as e:
        write_animation(tmp_path / name, moving_square(2), 10)
    msg = str(e.value)
    assert "\n" not in msg and ".mp4 or .gif" in msg and name in msg
    assert os.listdir(tmp_path) == []


def test_upper_case_suffixes_are_fine(tmp_path):
    assert write_animation(tmp_path / "A.GIF", moving_square(2), 10).n_frames == 2


def test_a_missing_folder_or_a_file_as_folder_is_refused(tmp_path):
    with pytest.raises(ScorevizError, match="does not exist"):
        write_animation(tmp_path / "nope" / "a.gif", moving_square(2), 10)
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(ScorevizError, match="is not a folder"):
        write_animation(tmp_path / "file.txt" / "a.mp4", moving_square(2), 10)
    (tmp_path / "dir.gif").mkdir()
    with pytest.raises(ScorevizError, match="it is a folder"):
        write_animation(tmp_path / "dir.gif", moving_square(2), 10)
    assert sorted(os.listdir(tmp_path)) == ["dir.gif", "file.txt"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses a read-only folder of Linux")
def test_an_unwritable_folder_is_refused(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        folder = locked if not os.access(locked, os.W_OK) else Path("/proc/self")  # root may write anywhere
        with pytest.raises(ScorevizError) as e:
            write_animation(folder / "a.gif", moving_square(2), 10)
        assert "not writable" in str(e.value) and "\n" not in str(e.value)
        assert os.listdir(locked) == []
    finally:
        locked.chmod(0o755)


@pytest.mark.parametrize("fps, suffix, match", [(0, ".gif", "fps=0 is out of range"), (61, ".mp4", "fps=61"),
                                                (55, ".gif", "too fast for a GIF"), (2.5, ".mp4", "whole number"),
                                                ("20", ".gif", "must be a whole number")])
def test_bad_frame_rates_are_refused(tmp_path, fps, suffix, match):
    with pytest.raises(ScorevizError, match=match):
        write_animation(tmp_path / f"a{suffix}", moving_square(2), fps)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("suffix", [".mp4", ".gif"])
def test_bad_frames_are_refused_and_leave_the_previous_file(tmp_path, suffix):
    path = tmp_path / f"a{suffix}"
    with pytest.raises(ScorevizError, match="no frames"):
        write_animation(path, [], 10)
    path.write_bytes(b"old")
    mixed = moving_square(3) + [np.zeros((40, 64, 3), np.uint8)]
    with pytest.raises(ScorevizError, match="frame 3 is 64x40, frame 0 is 64x48"):
        write_animation(path, mixed, 10)
    with pytest.raises(ScorevizError, match="uint8"):
        write_animation(path, [np.zeros((48, 64, 3), np.float32)], 10)
    with pytest.raises(ScorevizError, match="frame 0 width=8 is out of range"):
        write_animation(path, [np.zeros((48, 8, 3), np.uint8)], 10)
    assert path.read_bytes() == b"old" and sorted(os.listdir(tmp_path)) == [path.name]


def test_reading_a_file_that_is_not_an_animation_says_so(tmp_path):
    bad = tmp_path / "bad.gif"
    bad.write_bytes(b"not a gif at all")
    with pytest.raises(ScorevizError, match="not a readable GIF") as e:
        read_animation_info(bad)
    assert "\n" not in str(e.value)
    bad_mp4 = tmp_path / "bad.mp4"
    bad_mp4.write_bytes(b"\x00" * 100)
    with pytest.raises(ScorevizError, match="not a readable MP4") as e:
        read_animation_info(bad_mp4)
    assert "\n" not in str(e.value)
    with pytest.raises(ScorevizError, match="does not exist"):
        read_animation_info(tmp_path / "missing.mp4")


def test_gif_budget():
    animation.check_gif_budget(300, 1280, 720)
    with pytest.raises(ScorevizError, match="too large.*write an .mp4"):
        animation.check_gif_budget(5000, 1920, 1080)


def test_frame_store_keeps_raw_frames_as_they_are_and_mixes_both():
    store = FrameStore()
    frames = moving_square(4)
    store.append(frames[0], compress=False)
    store.append(frames[1])
    store.append(frames[2], compress=False)
    store.repeat_last()
    frames[0][:] = 0  # the store holds its own copy
    assert len(store) == 4 and store.nbytes > 2 * frames[1].nbytes
    np.testing.assert_array_equal(store[0], moving_square(1)[0])
    np.testing.assert_array_equal(store[1], frames[1])
    np.testing.assert_array_equal(store[3], frames[2])
    assert not store[0].flags.writeable
