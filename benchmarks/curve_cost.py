"""What the live Fisher curve costs: the app's trainer with the curve on against the same trainer with it off.

    .venv/bin/python benchmarks/curve_cost.py [--seconds 20] [--repeats 2] [--threads 1] [--density 8gaussians]

Each round builds the app's training thread logic (``live.trainer.Trainer``, no window) on the
reference scene (dsm σ = 0.1, batch 512, the default model), presses Play at step 0 and ticks it
for ``--seconds``, exactly as the training thread does. Rounds alternate (on, off, on, off ...)
so drifts of the machine hit both sides; figures are medians. Reported per side: training steps/s;
for the curve, the points measured, the points on the axis 0..N and in its last half N/2..N, and
the share of the run spent evaluating. Targets: steps/s ratio (on / off) >= 0.90, evaluation share
<= 3 % + 0.25 s / run length (``metrics.CurveSchedule``), >= 40 points over 0..N in a 20 s run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from scoreviz.core.metrics import CURVE_BURST_S, CURVE_MAX_FRACTION

MIN_POINTS = 40  # over 0..N in a 20 s run: 3 % of 20 s plus the 0.25 s allowance at ~21 ms a point
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.session import SessionConfig
from scoreviz.live.commands import Play, Reset
from scoreviz.live.trainer import Trainer


def one_round(cfg: SessionConfig, curves: bool, seconds: float, threads: int) -> dict:
    t = Trainer(cfg, threads=threads)
    assert t.start(), "the trainer did not start"
    t.curves = curves
    for _ in range(20):  # warm-up (allocator, autograd caches); the history starts over after it
        t.session.step()
    t.handle(Reset())
    t.handle(Play())  # measures the untrained model (step 0) on both sides, as the app does
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        t.tick()
    elapsed = time.perf_counter() - t0
    s = t.session
    steps = s.step_count
    fisher = [h[0] for h in s.fisher_history]
    return {"steps_per_s": steps / elapsed, "steps": steps, "points": len(fisher),
            "points_last_half": sum(1 for k in fisher if k >= steps / 2),
            "fraction": t.curve_fraction, "last_point_step": fisher[-1] if fisher else None}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20.0, help="seconds per round")
    ap.add_argument("--repeats", type=int, default=2, help="rounds per side (alternating)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads of the trainer (the app uses 1)")
    ap.add_argument("--density", default="8gaussians")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--json", action="store_true", help="one JSON line instead of a table")
    args = ap.parse_args()
    cfg = SessionConfig(density=args.density, objective=ObjectiveConfig(name="dsm", sigma=0.1), batch=512, seed=0,
                        device=args.device)
    on, off = [], []
    for _ in range(args.repeats):
        on.append(one_round(cfg, True, args.seconds, args.threads))
        off.append(one_round(cfg, False, args.seconds, args.threads))

    def med(rows, key):
        return statistics.median(r[key] for r in rows)

    rate_on, rate_off = med(on, "steps_per_s"), med(off, "steps_per_s")
    limit = CURVE_MAX_FRACTION + CURVE_BURST_S / args.seconds
    out = {
        "steps_per_s_curve_on": round(rate_on, 1), "steps_per_s_curve_off": round(rate_off, 1),
        "ratio": round(rate_on / rate_off, 3) if rate_off > 0 else None,
        "steps": int(med(on, "steps")), "points": int(med(on, "points")),
        "points_last_half": int(med(on, "points_last_half")),
        "points_off": int(med(off, "points")),  # Play's point at step 0 only
        "eval_fraction": round(med(on, "fraction"), 4), "eval_fraction_limit": round(limit, 4),
        "seconds": args.seconds, "repeats": args.repeats, "threads": args.threads, "density": args.density,
        "device": args.device,
    }
    ok = (out["ratio"] or 0) >= 0.90 and out["eval_fraction"] <= limit and out["points"] >= MIN_POINTS
    out["pass"] = ok
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"{args.density}, dsm sigma 0.1, batch 512, default model, {args.threads} thread(s), {args.device}; "
          f"{args.repeats} x {args.seconds:g} s per side, medians")
    print(f"{'':22s} {'steps/s':>9s} {'steps':>7s} {'points':>7s} {'in N/2..N':>10s} {'eval share':>11s}")
    print(f"{'curve on':22s} {rate_on:9.1f} {out['steps']:7d} {out['points']:7d} {out['points_last_half']:10d} "
          f"{out['eval_fraction']:11.2%}")
    print(f"{'curve off (baseline)':22s} {rate_off:9.1f} {int(med(off, 'steps')):7d} {out['points_off']:7d}")
    print(f"ratio on/off {out['ratio']:.3f} (target >= 0.90); evaluation share {out['eval_fraction']:.2%} "
          f"(limit {limit:.2%}); {out['points']} points over 0..N (target >= {MIN_POINTS}): {'PASS' if ok else 'FAIL'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
