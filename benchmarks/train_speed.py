"""Training speed of the Session against a bare hand-written torch loop, per objective.

    .venv/bin/python benchmarks/train_speed.py [--seconds 3] [--repeats 3] [--threads 2] [--device cpu]

Both sides train the same architecture (3 hidden layers of 128, silu, vector) at batch 512 on
8gaussians batches with the same loss, written out by hand for the bare loop. Each side runs in
alternating rounds (A B A B ...) so drifts of the machine hit both; the figure is the median rate.
Target: session / bare >= 0.95 for every objective.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time

import torch
from torch import nn

from scoreviz.core.densities import make_preset
from scoreviz.core.models import ModelConfig
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.session import Session, SessionConfig

OBJECTIVES = ["esm", "ism", "ssm", "ssm-vr", "dsm", "ncsn"]
BATCH = 512


def bare_mlp(inputs: int) -> nn.Module:
    return nn.Sequential(nn.Linear(inputs, 128), nn.SiLU(), nn.Linear(128, 128), nn.SiLU(),
                         nn.Linear(128, 128), nn.SiLU(), nn.Linear(128, 2))


def bare_loop(objective: str, density, device):
    """Returns step() for a hand-written training loop of ``objective``."""
    torch.manual_seed(0)
    net = bare_mlp(3 if objective == "ncsn" else 2).to(device)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    gen = torch.Generator(device=device).manual_seed(0)
    sigma = 0.1
    sigmas = torch.exp(torch.linspace(math.log(1.0), math.log(0.01), 10, device=device))

    def loss_fn(x):
        if objective == "esm":
            return 0.5 * ((net(x) - density.score(x)) ** 2).sum(1).mean()
        if objective == "dsm":
            z = torch.randn(x.shape, generator=gen, device=device)
            return 0.5 * ((net(x + sigma * z) + z / sigma) ** 2).sum(1).mean()
        if objective == "ncsn":
            idx = torch.randint(0, 10, (x.shape[0],), generator=gen, device=device)
            s = sigmas[idx][:, None]
            z = torch.randn(x.shape, generator=gen, device=device)
            out = net(torch.cat([x + s * z, torch.log(s)], 1)) / s
            return (s[:, 0] ** 2 * 0.5 * ((out + z / s) ** 2).sum(1)).mean()
        x = x.requires_grad_(True)
        out = net(x)
        if objective == "ism":
            g0 = torch.autograd.grad(out[:, 0].sum(), x, create_graph=True)[0][:, 0]
            g1 = torch.autograd.grad(out[:, 1].sum(), x, create_graph=True)[0][:, 1]
            return (g0 + g1 + 0.5 * (out ** 2).sum(1)).mean()
        v = torch.randn(x.shape, generator=gen, device=device)
        sv = (out * v).sum(1)
        jv = torch.autograd.grad(sv.sum(), x, create_graph=True)[0]
        vjv = (jv * v).sum(1)
        second = 0.5 * sv ** 2 if objective == "ssm" else 0.5 * (out ** 2).sum(1)
        return (vjv + second).mean()

    def step():
        x = density.sample(BATCH, gen)
        loss = loss_fn(x)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    return step


def session_loop(objective: str, device):
    cfg = SessionConfig(density="8gaussians", objective=ObjectiveConfig(name=objective, sigma=0.1),
                        model=ModelConfig(), batch=BATCH, seed=0, device=str(device))
    session = Session(cfg)
    return session.step


def rate(step, seconds: float) -> float:
    n, t0 = 0, time.perf_counter()
    while True:
        step()
        n += 1
        t = time.perf_counter() - t0
        if t >= seconds:
            return n / t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0, help="seconds per measuring round")
    ap.add_argument("--repeats", type=int, default=3, help="alternating rounds per side")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--objectives", default=",".join(OBJECTIVES))
    ap.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    density = make_preset("8gaussians")
    rows = []
    for objective in args.objectives.split(","):
        bare, sess = bare_loop(objective, density, device), session_loop(objective, device)
        for _ in range(20):  # warm-up: allocator, autograd caches
            bare(), sess()
        rb, rs = [], []
        for _ in range(args.repeats):
            rb.append(rate(bare, args.seconds))
            rs.append(rate(sess, args.seconds))
        b, s = statistics.median(rb), statistics.median(rs)
        rows.append({"objective": objective, "bare_steps_per_s": round(b, 1), "session_steps_per_s": round(s, 1),
                     "ratio": round(s / b, 3)})
    if args.json:
        for r in rows:
            print(json.dumps(r))
    else:
        print(f"device={device} threads={args.threads} batch={BATCH} model=3x128 silu vector")
        print(f"{'objective':10s} {'bare steps/s':>13s} {'session steps/s':>16s} {'ratio':>7s}")
        for r in rows:
            print(f"{r['objective']:10s} {r['bare_steps_per_s']:13.1f} {r['session_steps_per_s']:16.1f} {r['ratio']:7.3f}")
        worst = min(r["ratio"] for r in rows)
        print(f"worst ratio {worst:.3f} (target >= 0.95): {'PASS' if worst >= 0.95 else 'FAIL'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
