"""``scoreviz bench``: the app's reference scene, timed, as one JSON line.

Opens the real main window (offscreen when there is no display), trains and animates the
reference scene (8gaussians, dsm sigma = 0.1, batch 512, the default model, 64x64 fields,
10 000 Langevin particles every frame, the density heat map) and measures:

- ``fps``, ``frame_ms_p50``, ``frame_ms_p95``: paints that showed a new frame, and their intervals;
- ``train_steps_per_s``: training speed with the window running (in its training process, as the app
  trains unless SCOREVIZ_TRAIN_PROCESS=0);
- ``headless_train_steps_per_s``: the same training alone (same config, same threads), measured in
  the same process right after the window closed; ``train_ratio`` = the first / the second;
- ``startup_s``: from the process's launch to the first painted learned field.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from dataclasses import replace

_IMPORT_TIME = time.time()  # before the heavy imports below: the fallback of process_age()

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PySide6 import QtCore  # noqa: E402

from scoreviz.core.session import Session, SessionConfig  # noqa: E402
from scoreviz.gui.jobs import run_job  # noqa: E402
from scoreviz.gui.qt_app import application, dispose  # noqa: E402
from scoreviz.gui.windows.main_window import MainWindow  # noqa: E402

WARMUP_S = 1.0  # after the first training step, before measuring


def process_age() -> float:
    """Seconds since this process was launched (Linux: from /proc; else since this module's import)."""
    try:
        with open("/proc/self/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        start_ticks = float(fields[19])  # field 22 of stat: starttime, in clock ticks after boot
        with open("/proc/uptime") as fh:
            uptime = float(fh.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return time.time() - _IMPORT_TIME


def percentile(values, q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=float), q)) if len(values) else float("nan")


def headless_steps_per_s(cfg, density, threads: int, seconds: float) -> float:
    """Training alone, in a background job like the app's worker (same config, same torch threads)."""
    result = {}

    def run(job) -> None:
        try:
            torch.set_num_threads(threads)
            s = Session(replace(cfg, threads=None), density=density)
            for _ in range(20):  # warm-up
                s.step()
            n, t0 = 0, time.perf_counter()
            while time.perf_counter() - t0 < seconds and not job.aborted():
                s.step()
                n += 1
            result["rate"] = n / (time.perf_counter() - t0)
        except Exception as e:  # handed to the caller below
            result["error"] = e

    run_job(run).wait()
    if "error" in result:
        raise result["error"]
    return result["rate"]


def run_polling(app, poll, interval_ms: int = 20) -> None:
    """Run the Qt event loop, calling ``poll()`` every ``interval_ms`` until it calls ``app.quit()``."""
    timer = QtCore.QTimer()
    timer.setInterval(interval_ms)
    timer.timeout.connect(poll)
    timer.start()
    try:
        app.exec()
    finally:
        timer.stop()


def measure_running(app, window, seconds: float, timeout_s: float = 60.0) -> dict:
    """Run the event loop until ``window`` (shown and started) has drawn a learned field and trained,
    wait ``WARMUP_S``, then measure for ``seconds``. Returns ``fps``, ``frame_ms_p50``, ``frame_ms_p95``
    (paints that showed a new frame and their intervals), ``train_steps_per_s``, ``seconds`` and
    ``startup_s`` (the process's launch to the first painted learned field); ``{"error": ...}`` when the
    window drew no learned field or did not train within ``timeout_s``."""
    paints: list[float] = []
    on_paint = paints.append
    window.panels.sigPainted.connect(on_paint)
    marks: dict[str, float] = {}

    def trainer_steps() -> int:
        s = window.trainer.trainer.session
        return s.step_count if s is not None else 0

    def poll():
        now = time.perf_counter()
        if "first" not in marks:
            t = window.first_field_time()
            if t is None:
                if now - marks["launched"] > timeout_s:
                    app.quit()
                return
            marks["first"] = t
            marks["startup"] = process_age() - (now - t)
        elif "trained" not in marks:
            if trainer_steps() > 0:  # training has started (after the first frame, see MainWindow)
                marks["trained"] = now
            elif now - marks["launched"] > timeout_s:
                app.quit()
        elif "start" not in marks and now - marks["trained"] >= WARMUP_S:
            marks["start"], marks["steps0"] = now, trainer_steps()
        elif "start" in marks and now - marks["start"] >= seconds:
            marks["end"], marks["steps1"] = now, trainer_steps()
            app.quit()

    marks["launched"] = time.perf_counter()
    run_polling(app, poll)
    window.panels.sigPainted.disconnect(on_paint)
    if "end" not in marks:
        return {"error": f"the window drew no learned field or did not train within {timeout_s:g} s"}
    paints = [t for t in paints if marks["start"] <= t <= marks["end"]]
    elapsed = marks["end"] - marks["start"]
    intervals = np.diff(paints) * 1000.0 if len(paints) > 1 else np.array([])
    return {"fps": round((len(paints) - 1) / (paints[-1] - paints[0]), 1) if len(paints) > 1 else 0.0,
            "frame_ms_p50": round(percentile(intervals, 50), 2), "frame_ms_p95": round(percentile(intervals, 95), 2),
            "train_steps_per_s": round((marks["steps1"] - marks["steps0"]) / elapsed, 1),
            "seconds": round(elapsed, 2), "startup_s": round(marks["startup"], 2)}


def reference_config(cfg=None, particles: int = 10000):
    """The bench's SessionConfig: ``cfg`` (the defaults when None) with ``particles`` Langevin
    particles on the learned score, one sampler step a frame."""
    cfg = cfg if cfg is not None else SessionConfig()
    return replace(cfg, sampler=replace(cfg.sampler, sampler="langevin", n_particles=int(particles), steps_per_frame=1,
                                        score_source="learned"))


def main(cfg=None, threads: int = 1, seconds: float = 10.0, particles: int = 10000, scorecard: bool = False) -> int:
    """Time the reference scene (``reference_config(cfg, particles)``) for ``seconds``; print one JSON line.
    ``scorecard``: with the Scorecard dock shown, so the particles are measured against p every frame
    (benchmarks/scorecard_cost.py); the line then adds ``scorecard_ms_mean``/``_p95`` (the meter's own cost)."""
    seconds = float(seconds)
    app = application()
    cfg = reference_config(cfg, particles)
    threads = int(threads or 1)
    window = MainWindow(cfg, threads=threads, autoplay=True, interactive=False)  # app.quit() must not ask
    window.show()
    costs: list[float] = []
    if scorecard:
        window.scorecard_dock.show()
        window.panels.sigPainted.connect(lambda _t: costs.append(getattr(getattr(window.last_frame, "scorecard", None),
                                                                          "cost_ms", float("nan"))))
    # the reference scene's grid (an override of the auto grid): heavier than the auto grid at this size
    window.controls.display.grid.setValue(int(cfg.grid))
    window.start()
    measured = measure_running(app, window, seconds)
    failure = window.banner.text()
    density = window.trainer.trainer.session.density if window.trainer.trainer.session is not None else None
    display_dtype = window.evaluator.evaluator.display_dtype
    device = str(window.trainer.trainer.session.device) if window.trainer.trainer.session is not None else "?"
    curve_share = window.trainer.trainer.curve_fraction  # the Fisher curve's share of the training time
    fisher_points = len(window.last_frame.state.fisher) if window.last_frame is not None else 0
    dispose(window)
    del window

    if "error" in measured:
        print(json.dumps({"error": failure or measured["error"]}), flush=True)
        return 1

    headless = headless_steps_per_s(cfg, density, threads, max(2.0, min(seconds, 10.0) / 2))
    train_rate = measured["train_steps_per_s"]
    out = {
        "fps": measured["fps"],
        "frame_ms_p50": measured["frame_ms_p50"],
        "frame_ms_p95": measured["frame_ms_p95"],
        "train_steps_per_s": train_rate,
        "headless_train_steps_per_s": round(headless, 1),
        "train_ratio": round(train_rate / headless, 3) if headless > 0 else None,
        "startup_s": measured["startup_s"],
        "curve_time_share": round(curve_share, 4),
        "fisher_points": int(fisher_points),
        "seconds": measured["seconds"],
        "particles": cfg.sampler.n_particles,
        "grid": cfg.grid,
        "device": device,
        "display_dtype": str(display_dtype).replace("torch.", "") if display_dtype is not None else "float32",
        "threads": threads,
        "cpus": os.cpu_count(),
        "qt_platform": os.environ.get("QT_QPA_PLATFORM", "default"),
        "python": platform.python_version(),
    }
    if scorecard:
        c = np.asarray([v for v in costs if np.isfinite(v)], dtype=float)
        out.update({"scorecard": True, "scorecard_ms_mean": round(float(c.mean()), 2) if c.size else None,
                    "scorecard_ms_p95": round(percentile(c, 95), 2) if c.size else None})
    if failure:
        out["error"] = failure
    print(json.dumps(out), flush=True)
    sys.stdout.flush()
    return 0
