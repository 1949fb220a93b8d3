"""Cost of the true score per density: 10 000 points, one thread, against a one-Gaussian baseline.

    .venv/bin/python benchmarks/density_speed.py [--n 10000] [--repeats 7]

The baseline (the `gaussian` preset, one mixture component) is measured in the same run; the
ratio says how many times dearer each density's score is. Particles driven by the true score
evaluate it every frame, so this bounds the frame rate of the true-score sampler.
"""

import argparse
import time

import torch

from scoreviz.core.densities import PRESETS, load_density
from pathlib import Path


def best_ms(fn, repeats):
    fn()
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best * 1e3


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    torch.set_num_threads(1)
    resources = Path(__file__).resolve().parents[1] / "resources"
    specs = list(PRESETS) + [str(resources / "heart.png"), "expr:-(x**2 + y**2 - 4)**2 / 0.5"]
    base = None
    print(f"{'density':28s} {'score ms':>9s} {'x baseline':>11s}")
    for spec in ["gaussian"] + [s for s in specs if s != "gaussian"]:
        d = load_density(spec)
        x = d.sample(args.n, torch.Generator().manual_seed(0))
        ms = best_ms(lambda: d.score(x), args.repeats)
        base = base or ms
        name = "expression (128²)" if spec.startswith("expr:") else Path(spec).name
        print(f"{name[:28]:28s} {ms:9.2f} {ms / base:11.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
