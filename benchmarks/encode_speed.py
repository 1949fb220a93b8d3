"""Encoding speed of a 300-frame animation (MP4 and GIF), against baselines measured in the same run,
and the cost of recording in the window.

    python benchmarks/encode_speed.py [--frames 300] [--size 1280x720] [--source rendered|synthetic]
                                      [--capture-seconds 6]

Frames: ``rendered`` (default) draws them as ``scoreviz animate`` does: the app's panels at --size,
the reference scene (8gaussians, dsm sigma = 0.1, batch 512, the default model, 10 000 particles),
one training step and one sampler step between frames; ``synthetic`` makes frames of a similar kind
without Qt (a dark background, a heat-map gradient, 10 000 moving dots, a few thousand short
coloured segments). The frames are held raw in memory, then written with
``scoreviz.core.animation.write_animation``:

- ``mp4``: libx264 (preset and CRF of scoreviz.core.animation), yuv420p;
- ``gif``: one palette from 16 sampled frames, every frame mapped to it, changed rectangles only;
- baselines: ``raw copy`` (each frame's bytes copied once: the floor of any encoder) and
  ``png`` (Pillow's PNG of every frame at its default level: what saving every frame as a picture
  costs), and ``store`` (the recorder's zlib-1 compression of every frame, FrameStore.append).

``--capture-seconds S`` (0 skips) opens the real main window on the reference scene, trains, and
measures S seconds without recording, S seconds recording at 20 fps with the frames kept raw (the
first RAW_BYTES of a recording), then S seconds with every frame compressed: the window's frame
rate and the training speed in each phase (ratios to the first), and the GUI-thread time of each
capture.

Prints one JSON line per measurement and a summary; ratios are against the png baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def rendered_frames(n: int, size: tuple[int, int]) -> list[np.ndarray]:
    from scoreviz.core.session import SessionConfig
    from scoreviz.gui.offscreen.animate_render import AnimationFrames

    cfg = SessionConfig(device="cpu")
    frames = AnimationFrames(cfg, steps=n - 1, n_frames=n, size=size, threads=1)
    out = []
    t0 = time.perf_counter()
    for k, f in enumerate(frames, 1):
        out.append(f)
        if k % 50 == 0:
            print(f"# rendered {k}/{n} frames ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    return out


def synthetic_frames(n: int, size: tuple[int, int]) -> list[np.ndarray]:
    w, h = size
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    heat = np.exp(-((xx - 0.75 * w) ** 2 + (yy - 0.4 * h) ** 2) / (2 * (0.12 * w) ** 2))
    base = np.empty((h, w, 3), np.uint8)
    base[:] = (18, 20, 24)
    band = (xx > 0.55 * w) & (yy < 0.75 * h)
    base[band] = (np.stack([255 * heat, 90 * heat, 140 * heat], -1)[band]).astype(np.uint8)
    seg = rng.uniform([0.03 * w, 0.05 * h], [0.5 * w, 0.7 * h], (3000, 2)).astype(int)
    colours = rng.integers(60, 255, (3000, 3), dtype=np.uint8)
    dots = rng.normal([0.75 * w, 0.4 * h], 0.1 * w, (10_000, 2))
    out = []
    for k in range(n):
        f = base.copy()
        for d in range(6):  # short arrows: 6-pixel horizontal runs, their colour drifting with k
            f[seg[:, 1], np.clip(seg[:, 0] + d, 0, w - 1)] = (colours.astype(int) + k) % 256
        dots += rng.normal(0, 0.6, dots.shape)
        ij = np.clip(dots.astype(int), 0, [w - 1, h - 1])
        f[ij[:, 1], ij[:, 0]] = 235
        out.append(f)
    return out


def timed(label: str, fn, n: int, **extra) -> dict:
    t0 = time.perf_counter()
    fn()
    s = time.perf_counter() - t0
    return {"what": label, "frames": n, "seconds": round(s, 3), "frames_per_s": round(n / s, 1), **extra}


def encode(frames: list[np.ndarray], folder: str) -> list[dict]:
    from PIL import Image

    from scoreviz.core import animation
    from scoreviz.core.animation import FrameStore, read_animation_info, write_animation

    n = len(frames)
    rows = []

    def copies():
        for f in frames:
            f.tobytes()

    rows.append(timed("raw copy (baseline)", copies, n))

    def pngs():
        for f in frames:
            Image.fromarray(f).save(os.path.join(folder, "frame.png"))

    rows.append(timed("png per frame (baseline)", pngs, n))
    rows[-1]["file_mb"] = round(os.path.getsize(os.path.join(folder, "frame.png")) * n / 2**20, 2)
    store = FrameStore()

    def compress():
        for f in frames:
            store.append(f)

    rows.append(timed("store: zlib-1 per frame (recorder)", compress, n))
    rows[-1]["file_mb"] = round(store.nbytes / 2**20, 2)
    for suffix, extra in ((".mp4", {"preset": animation.MP4_PRESET, "crf": animation.MP4_CRF}), (".gif", {})):
        path = os.path.join(folder, "anim" + suffix)
        row = timed(f"write_animation {suffix}", lambda: write_animation(path, frames, 20), n, **extra)
        info = read_animation_info(path)
        assert info.n_frames == n, info
        row["file_mb"] = round(os.path.getsize(path) / 2**20, 2)
        rows.append(row)
    for row in rows:
        print(json.dumps(row), flush=True)
    return rows


PHASES = ("not recording", "recording, frames kept raw", "recording, frames compressed")


def capture(seconds: float) -> dict:
    """The window on the reference scene, ``seconds`` in each of PHASES (after a 2 s warm-up)."""
    from scoreviz.gui.qt_app import application, dispose

    application()
    from PySide6 import QtCore

    from scoreviz.core.session import SessionConfig
    from scoreviz.gui.recording import frames as recorder_module
    from scoreviz.gui.windows.main_window import MainWindow

    w = MainWindow(SessionConfig(device="cpu"), threads=1, autoplay=True, **_ask())
    w.resize(1600, 950)
    paints: list[float] = []
    w.panels.sigPainted.connect(paints.append)
    w.show()
    w.start()
    bounds: list[tuple[float, int]] = []  # (time, training step) at each phase boundary
    raw_bytes = recorder_module.RAW_BYTES

    def steps():
        s = w.trainer.trainer.session
        return s.step_count if s is not None else 0

    def tick():
        now = time.perf_counter()
        if not bounds:
            if steps() > 0:
                bounds.append((now + 2.0, -1))  # warm-up ends
            return
        if bounds[-1][1] == -1:
            if now >= bounds[-1][0]:
                bounds[-1] = (now, steps())
            return
        if now - bounds[-1][0] < seconds:
            return
        bounds.append((now, steps()))
        if len(bounds) == 2:
            w.recorder.start()
        elif len(bounds) == 3:
            recorder_module.RAW_BYTES = 0  # from now on every frame is compressed
        else:
            loop.quit()

    loop = QtCore.QEventLoop()  # not app.exec(): quitting that closes the window, which may ask to save first
    timer = QtCore.QTimer()
    timer.setInterval(20)
    timer.timeout.connect(tick)
    timer.start()
    QtCore.QTimer.singleShot(int((4 * seconds + 120) * 1000), loop.quit)
    loop.exec()
    timer.stop()
    rec = w.recorder
    n = rec.stop() if rec.recording else rec.frame_count
    size, cap = rec.frame_size, list(rec.capture_ms)
    dispose(w)
    recorder_module.RAW_BYTES = raw_bytes
    if len(bounds) < 4:
        return {"what": "capture", "error": "the window did not train within the time allowed"}

    def fps(t0, t1):
        p = [t for t in paints if t0 <= t <= t1]
        return (len(p) - 1) / (p[-1] - p[0]) if len(p) > 1 else 0.0

    row = {"what": "capture in the window (20 fps recording)", "seconds_each": seconds, "frames_recorded": n,
           "frame_size": size, "capture_ms_p50": round(float(np.percentile(cap, 50)), 2) if cap else None,
           "capture_ms_p95": round(float(np.percentile(cap, 95)), 2) if cap else None, "phases": {}}
    for name, (t0, s0), (t1, s1) in zip(PHASES, bounds, bounds[1:]):
        row["phases"][name] = {"window_fps": round(fps(t0, t1), 1), "train_steps_per_s": round((s1 - s0) / (t1 - t0), 1)}
    print(json.dumps(row), flush=True)
    return row


def _ask() -> dict:
    import inspect

    from scoreviz.gui.windows.main_window import MainWindow

    return {"interactive": False} if "interactive" in inspect.signature(MainWindow).parameters else {}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--frames", type=int, default=300)
    p.add_argument("--size", default="1280x720")
    p.add_argument("--source", choices=["rendered", "synthetic"], default="rendered")
    p.add_argument("--capture-seconds", type=float, default=6.0)
    args = p.parse_args()
    w, h = (int(v) for v in args.size.lower().split("x"))
    import torch

    torch.set_num_threads(1)
    if args.source == "rendered" or args.capture_seconds > 0:
        from scoreviz.gui.qt_app import application

        application()
    t0 = time.perf_counter()
    frames = (rendered_frames if args.source == "rendered" else synthetic_frames)(args.frames, (w, h))
    print(json.dumps({"what": "frames", "source": args.source, "frames": len(frames), "size": [w, h],
                      "made_in_s": round(time.perf_counter() - t0, 1), "cpus": os.cpu_count(),
                      "load_average": [round(x, 2) for x in os.getloadavg()]}), flush=True)
    with tempfile.TemporaryDirectory() as folder:
        rows = encode(frames, folder)
    del frames
    png = next(r for r in rows if r["what"].startswith("png"))
    for r in rows:
        r["ratio_to_png"] = round(r["seconds"] / png["seconds"], 2)
    print("\nsummary (seconds for all frames; ratio = seconds / png baseline's; size of the output):")
    for r in rows:
        print(f"  {r['what']:36s} {r['seconds']:8.2f} s  {r['frames_per_s']:8.1f} frames/s  ratio {r['ratio_to_png']:.2f}"
              + (f"  {r['file_mb']} MB" if "file_mb" in r else ""))
    if args.capture_seconds > 0:
        c = capture(args.capture_seconds)
        if "error" not in c:
            base = c["phases"][PHASES[0]]
            print(f"\nrecording in the window ({c['frame_size'][0]}x{c['frame_size'][1]} at 20 fps; capture on the "
                  f"GUI thread p50 {c['capture_ms_p50']} ms, p95 {c['capture_ms_p95']} ms):")
            for name, ph in c["phases"].items():
                print(f"  {name:30s} {ph['window_fps']:6.1f} fps (ratio {ph['window_fps'] / base['window_fps']:.2f})  "
                      f"training {ph['train_steps_per_s']:7.1f} steps/s "
                      f"(ratio {ph['train_steps_per_s'] / base['train_steps_per_s']:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
