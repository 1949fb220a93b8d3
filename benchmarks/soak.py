"""Soak run: the app's reference scene for a long time; does memory grow, does the frame rate fall?

    .venv/bin/python benchmarks/soak.py [--minutes 10] [--every 5] [--warmup S] [--tracemalloc]
                                        [training options, as for scoreviz bench]

Opens the real main window (offscreen when there is no display) on ``scoreviz bench``'s reference
scene (8gaussians, dsm sigma = 0.1, batch 512, the default model, 64x64 fields, 10 000 Langevin
particles, training running) and keeps it running for ``--minutes`` from the first training step
(fractions work: ``--minutes 0.5`` for a quick check). Every ``--every`` seconds it samples:

- ``rss_mb``: the process's resident memory (VmRSS from /proc/self/status; elsewhere the peak
  from ``resource``, which can only grow);
- ``py_blocks``: memory blocks Python's allocator holds (``sys.getallocatedblocks()``: every live
  Python object and buffer it allocated, counted in constant time, so it can be sampled all run
  long; tracemalloc would slow every allocation of the whole run by a large factor), and
  ``history_blocks``, the share of them that is the session's loss and Fisher histories (one float
  per training step, by design: the loss curve shows every step);
- ``fps`` (paints of the panels that showed a new frame) and ``steps_per_s`` over the interval;
- ``cpu_share``: CPU seconds the process got per second (2.0 = both cores of a 2-core machine),
  and ``steps_per_cpu_s``: training steps per CPU second of the process. On a shared machine
  other programs take CPU time away; these tell a slower app from a busier machine.

After the warm-up (default: 10 % of the run, at most 60 s) it compares the first and the last
window of the run (each 20 % of what follows the warm-up, at most 60 s): memory growth in %
(target <= 5 % for the resident memory and for Python's blocks net of the histories) and the
change of fps and steps/s in % (target: no decline beyond noise, taken as 10 %; a larger decline
that the process's smaller CPU share explains, i.e. the same work per CPU second, is the machine's
load and reads "PASS (load)"). It prints a table and one JSON line, and exits 0 (a benchmark). ``--tracemalloc``
traces every allocation from the start (slower: for finding a leak, not for the figures) and
prints the 15 places whose memory grew most between the end of the warm-up and the end.

The app's own files (autosaves) go to a throw-away folder unless SCOREVIZ_DATA_DIR is set.
"""

from __future__ import annotations

import argparse
import array
import gc
import json
import os
import shutil
import sys
import tempfile
import time

MEMORY_TARGET_PCT = 5.0
FPS_NOISE_PCT = 10.0
PY_BLOCKS_PER_HISTORY_FLOAT = 1  # a Python float per loss value (the list's pointer array is not a block)
PY_BLOCKS_PER_FISHER_ENTRY = 4  # a tuple (step, F, relative F) and its two floats, plus slack


def resident_mb() -> float:
    """The process's resident memory in MiB (Linux: now; elsewhere: the peak so far)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0


def parse_args(argv=None):
    from scoreviz.cli.parser import add_training_options

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--minutes", type=float, default=10.0, help="how long to run after the first training step (default 10)")
    p.add_argument("--every", type=float, default=5.0, help="seconds between samples (default 5)")
    p.add_argument("--warmup", type=float, default=None,
                   help="seconds of warm-up before the start figures (default: 10%% of the run, at most 60)")
    p.add_argument("--particles", type=int, default=10_000, help="Langevin particles (default 10 000)")
    p.add_argument("--tracemalloc", action="store_true", help="trace allocations and list where memory grew (slow)")
    add_training_options(p)
    args = p.parse_args(argv)
    if not (args.minutes > 0 and args.every > 0):
        p.error("--minutes and --every must be positive")
    return args


class Sampler:
    """Samples memory, frames and steps on a timer in the GUI thread; keeps paint times of two windows only."""

    def __init__(self, window, total_s: float, warmup_s: float, every_s: float):
        self.window, self.total_s, self.warmup_s, self.every_s = window, total_s, warmup_s, every_s
        span = total_s - warmup_s
        self.window_s = max(min(0.2 * span, 60.0), min(2 * every_s, span / 2))
        self.t0 = None  # perf_counter of the first training step
        self.samples: list[dict] = []
        self.paints = 0
        self.paint_times = {"start": array.array("d"), "end": array.array("d")}  # C doubles: no Python objects
        self._last = None
        window.panels.sigPainted.connect(self._painted)

    def session(self):
        return self.window.trainer.trainer.session

    def _painted(self, t: float) -> None:
        self.paints += 1
        if self.t0 is not None:
            rel = t - self.t0
            if self.warmup_s <= rel <= self.warmup_s + self.window_s:
                self.paint_times["start"].append(t)
            elif rel >= self.total_s - self.window_s:
                self.paint_times["end"].append(t)

    def sample(self) -> dict:
        now = time.perf_counter()
        s = self.session()
        steps = s.step_count if s is not None else 0
        history = (len(s.loss_history) * PY_BLOCKS_PER_HISTORY_FLOAT
                   + len(s.fisher_history) * PY_BLOCKS_PER_FISHER_ENTRY) if s is not None else 0
        row = {"t": round(now - self.t0, 2), "rss_mb": round(resident_mb(), 2), "py_blocks": sys.getallocatedblocks(),
               "history_blocks": history, "steps": steps, "frames": self.paints}
        cpu = time.process_time()
        if self._last is not None:
            dt, dcpu = now - self._last[0], cpu - self._last[3]
            row["fps"] = round((self.paints - self._last[1]) / dt, 2)
            row["steps_per_s"] = round((steps - self._last[2]) / dt, 1)
            row["cpu_share"] = round(dcpu / dt, 3)
            row["steps_per_cpu_s"] = round((steps - self._last[2]) / dcpu, 1) if dcpu > 0 else None
        self._last = (now, self.paints, steps, cpu)
        self.samples.append(row)
        print(json.dumps({"sample": row}), flush=True)
        return row


def _mean(rows, key):
    vals = [r[key] for r in rows if r.get(key) is not None]
    return sum(vals) / len(vals) if vals else float("nan")


def _cv_pct(rows, key):
    import statistics

    vals = [r[key] for r in rows if r.get(key) is not None]
    if len(vals) < 2 or not statistics.fmean(vals):
        return None
    return 100.0 * statistics.stdev(vals) / statistics.fmean(vals)


def _pct(a, b):
    return 100.0 * (b - a) / a if a else float("nan")


def summarise(sm: Sampler) -> dict:
    from scoreviz.gui.bench import percentile

    rows = [r for r in sm.samples if r["t"] >= sm.warmup_s - 1e-6]
    first = [r for r in rows if r["t"] <= sm.warmup_s + sm.window_s + 1e-6]
    last = [r for r in rows if r["t"] >= sm.total_s - sm.window_s - 1e-6]
    # the interval figures (fps, steps/s) of a sample describe the interval before it: skip the warm-up's
    first_rates = [r for r in first if r["t"] > sm.warmup_s + 1e-6] or first
    a, b = rows[0], rows[-1]
    net_a, net_b = a["py_blocks"] - a["history_blocks"], b["py_blocks"] - b["history_blocks"]
    out = {
        "minutes": round(sm.total_s / 60.0, 3), "warmup_s": round(sm.warmup_s, 1), "window_s": round(sm.window_s, 1),
        "samples": len(sm.samples),
        "rss_mb": [a["rss_mb"], b["rss_mb"]], "rss_growth_pct": round(_pct(a["rss_mb"], b["rss_mb"]), 2),
        "rss_peak_mb": max(r["rss_mb"] for r in sm.samples),
        "py_blocks": [a["py_blocks"], b["py_blocks"]],
        "py_blocks_growth_pct": round(_pct(a["py_blocks"], b["py_blocks"]), 2),
        "history_blocks": [a["history_blocks"], b["history_blocks"]],
        "py_blocks_net_of_history_growth_pct": round(_pct(net_a, net_b), 2),
        "fps": [round(_mean(first_rates, "fps"), 2), round(_mean(last, "fps"), 2)],
        "fps_cv_pct": [_round(_cv_pct(first_rates, "fps")), _round(_cv_pct(last, "fps"))],
        "steps_per_s": [round(_mean(first_rates, "steps_per_s"), 1), round(_mean(last, "steps_per_s"), 1)],
        "cpu_share": [round(_mean(first_rates, "cpu_share"), 3), round(_mean(last, "cpu_share"), 3)],
        "steps_per_cpu_s": [round(_mean(first_rates, "steps_per_cpu_s"), 1), round(_mean(last, "steps_per_cpu_s"), 1)],
        "steps": b["steps"],
    }
    out["fps_change_pct"] = round(_pct(*out["fps"]), 2)
    out["steps_per_s_change_pct"] = round(_pct(*out["steps_per_s"]), 2)
    out["cpu_share_change_pct"] = round(_pct(*out["cpu_share"]), 2)
    out["steps_per_cpu_s_change_pct"] = round(_pct(*out["steps_per_cpu_s"]), 2)
    import numpy as np

    for key, times in sm.paint_times.items():
        iv = np.diff(np.frombuffer(times, dtype=np.float64)) * 1000.0 if len(times) > 1 else np.array([])
        out[f"frame_ms_p50_{key}"] = round(percentile(iv, 50), 2) if iv.size else None
        out[f"frame_ms_p95_{key}"] = round(percentile(iv, 95), 2) if iv.size else None
    out["memory_pass"] = "PASS" if (out["rss_growth_pct"] <= MEMORY_TARGET_PCT
                                    and out["py_blocks_net_of_history_growth_pct"] <= MEMORY_TARGET_PCT) else "FAIL"
    # a decline beyond noise fails, unless the process got that much less CPU (the machine's load)
    cpu_fell = out["cpu_share_change_pct"]
    out["fps_pass"] = _verdict(out["fps_change_pct"], out["fps_change_pct"] - min(cpu_fell, 0.0))
    out["steps_pass"] = _verdict(out["steps_per_s_change_pct"], out["steps_per_cpu_s_change_pct"])
    return out


def _verdict(change_pct: float, per_cpu_change_pct: float) -> str:
    if change_pct >= -FPS_NOISE_PCT:
        return "PASS"
    return "PASS (load)" if per_cpu_change_pct >= -FPS_NOISE_PCT else "FAIL"


def _round(v, n=1):
    return None if v is None else round(v, n)


def print_table(r: dict) -> None:
    rows = [
        ("resident memory (MiB)", r["rss_mb"], r["rss_growth_pct"], f"<= +{MEMORY_TARGET_PCT:g} %", r["memory_pass"]),
        ("Python blocks", r["py_blocks"], r["py_blocks_growth_pct"], "(report)", None),
        ("  of which histories", r["history_blocks"], None, "(by design)", None),
        ("Python blocks net of histories", [r["py_blocks"][0] - r["history_blocks"][0],
                                            r["py_blocks"][1] - r["history_blocks"][1]],
         r["py_blocks_net_of_history_growth_pct"], f"<= +{MEMORY_TARGET_PCT:g} %", r["memory_pass"]),
        ("frames/s", r["fps"], r["fps_change_pct"], f">= -{FPS_NOISE_PCT:g} %", r["fps_pass"]),
        ("training steps/s", r["steps_per_s"], r["steps_per_s_change_pct"], f">= -{FPS_NOISE_PCT:g} %", r["steps_pass"]),
        ("  steps per CPU second", r["steps_per_cpu_s"], r["steps_per_cpu_s_change_pct"], "(load-free)", None),
        ("CPU share of the process", r["cpu_share"], r["cpu_share_change_pct"], "(machine)", None),
        ("frame interval p95 (ms)", [r["frame_ms_p95_start"], r["frame_ms_p95_end"]], None, "(report)", None),
    ]
    print(f"\nsoak: {r['minutes']:g} min, warm-up {r['warmup_s']:g} s, start = first {r['window_s']:g} s after it, "
          f"end = last {r['window_s']:g} s; {r['steps']:,} training steps")
    print(f"{'figure':32} {'start':>12} {'end':>12} {'change':>9}  {'target':>11}  verdict")
    for name, (s, e), change, target, ok in rows:
        ch = "" if change is None else f"{change:+.2f} %"
        print(f"{name:32} {_fmt(s):>12} {_fmt(e):>12} {ch:>9}  {target:>11}  {ok or ''}")
    load = r["load_average"]
    print(f"fps noise (coefficient of variation of the samples): start {r['fps_cv_pct'][0]} %, "
          f"end {r['fps_cv_pct'][1]} %; load average (1 min) {load['start'][0]:.2f} at the start, "
          f"{load['end'][0]:.2f} at the end")


def _fmt(v) -> str:
    if v is None:
        return "—"
    return f"{v:,.2f}" if isinstance(v, float) else f"{v:,}"


def main(argv=None) -> int:
    args = parse_args(argv)
    own_data = None
    if not os.environ.get("SCOREVIZ_DATA_DIR"):  # autosaves of the run go to a throw-away folder
        own_data = os.environ["SCOREVIZ_DATA_DIR"] = tempfile.mkdtemp(prefix="scoreviz-soak-")
    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start(8)
    from scoreviz.cli.config import session_config_from_args
    from scoreviz.gui.qt_app import application, dispose
    from scoreviz.gui.bench import reference_config, run_polling

    app = application()
    from scoreviz.gui.windows.main_window import MainWindow

    total_s = args.minutes * 60.0
    warmup_s = args.warmup if args.warmup is not None else min(60.0, 0.1 * total_s)
    warmup_s = min(max(warmup_s, 0.0), 0.5 * total_s)
    cfg = reference_config(session_config_from_args(args), args.particles)
    window = MainWindow(cfg, threads=args.threads or 1, autoplay=True, interactive=False)
    window.show()
    window.start()
    sm = Sampler(window, total_s, warmup_s, args.every)
    snapshots = {}
    launched = time.perf_counter()
    load = {"start": os.getloadavg() if hasattr(os, "getloadavg") else None}

    def poll():
        now = time.perf_counter()
        if sm.t0 is None:
            s = sm.session()
            if s is not None and s.step_count > 0:
                sm.t0 = now
                sm.sample()
            elif now - launched > 120:
                app.quit()
            return
        rel = now - sm.t0
        due = sm.samples[-1]["t"] + sm.every_s
        crossing = sm.samples[-1]["t"] < warmup_s <= rel  # a sample exactly at the end of the warm-up
        if rel >= total_s or rel >= due or crossing:
            sm.sample()
            if crossing and args.tracemalloc:
                snapshots["start"] = tracemalloc.take_snapshot()
        if rel >= total_s:
            app.quit()

    run_polling(app, poll, interval_ms=50)
    load["end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    if args.tracemalloc and "start" in snapshots:
        snapshots["end"] = tracemalloc.take_snapshot()
    failure = window.banner.text()
    device = str(sm.session().device) if sm.session() is not None else "?"
    dispose(window)
    del window
    gc.collect()
    if own_data:
        shutil.rmtree(own_data, ignore_errors=True)

    if sm.t0 is None or not sm.samples or sm.samples[-1]["t"] < total_s - 1e-6:
        print(json.dumps({"error": failure or "the window did not train within 120 s"}), flush=True)
        return 0
    r = summarise(sm)
    r.update({"every_s": args.every, "particles": cfg.sampler.n_particles, "device": device,
              "cpus": os.cpu_count(), "load_average": load, "qt_platform": os.environ.get("QT_QPA_PLATFORM", "default"),
              "tracemalloc": bool(args.tracemalloc)})
    if failure:
        r["error"] = failure
    if args.tracemalloc:  # its own traces fill memory: no verdict on memory
        r["memory_pass"] = "n/a (tracemalloc)"
    if not load["start"]:
        r["load_average"] = {"start": [float("nan")] * 3, "end": [float("nan")] * 3}
    print_table(r)
    if len(snapshots) == 2:
        print("\nwhere Python's memory grew most between the end of the warm-up and the end (tracemalloc):")
        for stat in snapshots["end"].compare_to(snapshots["start"], "traceback")[:15]:
            where = stat.traceback.format()[-1].strip()
            print(f"  {stat.size_diff / 1024:+10.1f} KiB {stat.count_diff:+8d} blocks  {where}")
    print(json.dumps({"soak": r}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
