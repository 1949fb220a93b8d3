"""Frame rate of the compare window (a 2-way comparison), with the single view's figure as baseline.

    python benchmarks/compare_fps.py [--seconds 10] [--objectives dsm,ssm] [--no-baseline]

Opens the real CompareWindow (offscreen when there is no display) on the reference scene of
``scoreviz bench`` (8gaussians, batch 512, the default model) with two configurations, plays, and
measures over ``--seconds`` after a warm-up:

- ``fps``, ``frame_ms_p50``, ``frame_ms_p95``: paints of the panels that showed a new frame;
- ``compare_steps_per_s``: comparison steps per second with the window running (every configuration
  makes one step per comparison step), and ``headless_compare_steps_per_s``: the same Comparison
  trained alone in a thread (same torch threads), measured in the same process just before and
  just after the window (the mean of the two; both are printed: a shared machine drifts);
- the single view's ``scoreviz bench`` for the same number of seconds, run in a subprocess just
  before (the baseline; targets: fps >= 50 and p95 frame interval <= 33 ms on 2 cores).

Prints one JSON line per measurement.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import threading
import time

WARMUP_S = 3.0


def baseline(seconds: float) -> dict:
    r = subprocess.run([sys.executable, "-m", "scoreviz", "bench", "--seconds", str(seconds)],
                       capture_output=True, text=True, timeout=600)
    lines = [line for line in r.stdout.splitlines() if line.strip().startswith("{")]
    return json.loads(lines[-1]) if lines else {"error": r.stderr.strip().splitlines()[-1:] or "no output"}


def headless_rate(cfg, objectives, seconds: float) -> float:
    out = {}

    def run():
        import torch

        from scoreviz.core.compare import Comparison

        torch.set_num_threads(1)
        c = Comparison(cfg, objectives)
        for _ in range(10):
            c.step()
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            c.step()
            n += 1
        out["rate"] = n / (time.perf_counter() - t0)

    t = threading.Thread(target=run, name="bench-headless")
    t.start()
    t.join()
    return out["rate"]


def measure(seconds: float, spec: str) -> dict:
    import numpy as np

    from scoreviz.gui.qt_app import application

    app = application()
    import shiboken6

    from scoreviz.core.compare import parse_objectives
    from scoreviz.core.session import SessionConfig
    from scoreviz.gui.bench import run_polling
    from scoreviz.gui.windows.compare_window import CompareWindow

    objectives = parse_objectives(spec)
    cfg = SessionConfig(device="cpu")
    from dataclasses import replace

    headless_cfg = replace(cfg, sampler=replace(cfg.sampler, n_particles=16))
    seconds_alone = max(2.0, min(seconds, 10.0) / 2)
    before = headless_rate(headless_cfg, objectives, seconds_alone)
    window = CompareWindow(cfg, objectives=objectives, threads=1, autoplay=True)
    window.resize(1680, 980)
    window.show()
    window.start()
    marks: dict = {}

    def steps() -> int:
        f = window.last_frame
        return f.step if f is not None else 0

    def poll():
        now = time.perf_counter()
        if "trained" not in marks:
            if steps() > 0:
                marks["trained"] = now
            elif now - marks["launched"] > 60:
                app.quit()
        elif "start" not in marks and now - marks["trained"] >= WARMUP_S:
            marks["start"], marks["steps0"] = now, steps()
        elif "start" in marks and now - marks["start"] >= seconds:
            marks["end"], marks["steps1"] = now, steps()
            app.quit()

    marks["launched"] = time.perf_counter()
    run_polling(app, poll)
    paints = [t for t in window.paint_times() if marks.get("start", 0) <= t <= marks.get("end", 0)]
    labels = window.last_frame.labels if window.last_frame is not None else ()
    failure = window.banner.text()
    window.close()
    if shiboken6.isValid(window):
        shiboken6.delete(window)
    gc.collect()
    if "end" not in marks:
        return {"error": failure or "the compare window did not train within 60 s"}
    iv = np.diff(paints) * 1000.0
    elapsed = marks["end"] - marks["start"]
    rate = (marks["steps1"] - marks["steps0"]) / elapsed
    after = headless_rate(headless_cfg, objectives, seconds_alone)
    headless = (before + after) / 2
    return {
        "view": "compare", "configurations": list(labels),
        "fps": round((len(paints) - 1) / (paints[-1] - paints[0]), 1) if len(paints) > 1 else 0.0,
        "frame_ms_p50": round(float(np.percentile(iv, 50)), 2) if iv.size else None,
        "frame_ms_p95": round(float(np.percentile(iv, 95)), 2) if iv.size else None,
        "frame_ms_max": round(float(iv.max()), 2) if iv.size else None,
        "compare_steps_per_s": round(rate, 1), "headless_compare_steps_per_s": round(headless, 1),
        "headless_before_after": [round(before, 1), round(after, 1)],
        "train_ratio": round(rate / headless, 3) if headless > 0 else None,
        "seconds": round(elapsed, 2), "cpus": os.cpu_count(),
        "qt_platform": os.environ.get("QT_QPA_PLATFORM", "default"),
        **({"error": failure} if failure else {}),
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--objectives", default="dsm,ssm", help="the two (or more) configurations, as for scoreviz compare")
    p.add_argument("--no-baseline", action="store_true", help="skip the single view's scoreviz bench")
    args = p.parse_args()
    if not args.no_baseline:
        b = baseline(args.seconds)
        print(json.dumps({"view": "single (scoreviz bench)", **{k: b.get(k) for k in
                          ("fps", "frame_ms_p50", "frame_ms_p95", "train_steps_per_s", "train_ratio", "qt_platform",
                           "error") if k in b}}), flush=True)
    print(json.dumps(measure(args.seconds, args.objectives)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
