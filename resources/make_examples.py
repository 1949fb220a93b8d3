"""Make scoreviz's example sessions (the Examples menu): ``python resources/make_examples.py [NAME ...]``.

Each example is a ``.scoreviz`` session trained here with a fixed seed on the CPU, so the files
are reproducible; ``examples/index.json`` lists them with a title and a one-line description.
Each carries its whole history: the loss of every step and the Fisher curve from the untrained
model (step 0) to the saved step, measured at ``metrics.curve_steps`` (about 70 points in every
stretch N/2..N, as the app measures it), so an opened example shows its whole curve.
Takes about five minutes on two (shared) CPU cores, about half of it the ~500 Fisher points per example;
names (e.g. ``heart-image``) remake just those.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "examples"

# NCSN's annealed Langevin on Song & Ermon's toy (MATH.md): sigma 20 -> 1, 10 levels, 100 steps each, eps 0.1
ANNEALED = dict(sampler="annealed", step_size=0.1, sigma_max=20.0, sigma_min=1.0, levels=10, steps_per_level=100,
                steps_per_frame=2)


def examples():
    from scoreviz.core.models import ModelConfig
    from scoreviz.core.objectives import ObjectiveConfig
    from scoreviz.core.session import SamplerConfig, SessionConfig

    ncsn = SessionConfig(density="ncsn-mixture", objective=ObjectiveConfig(name="ncsn", sigma_max=20.0, sigma_min=1.0,
                                                                           levels=10),
                         model=ModelConfig(hidden=128, layers=3, noise_conditional=True), lr=1e-3, batch=512, seed=0,
                         device="cpu", sampler=SamplerConfig(**ANNEALED))
    return [
        ("ncsn-annealed.scoreviz", "NCSN mixture: annealed Langevin recovers the 1:4 weights",
         "Song & Ermon's toy 1/5 N((-5,-5), I) + 4/5 N((5,5), I), a noise-conditional model trained with ncsn; "
         "annealed Langevin (sigma 20 -> 1) puts about 1/5 of the particles in the lower-left mode.",
         ncsn, 3000),
        ("ncsn-langevin.scoreviz", "NCSN mixture: plain Langevin gets the weights wrong",
         "The same mixture sampled with plain Langevin on the true score: particles stay in the mode nearest "
         "to where they started, so the 1:4 weights are not recovered (switch the sampler to annealed to compare).",
         replace(ncsn, sampler=SamplerConfig(sampler="langevin", step_size=0.1, score_source="true")), 3000),
        ("8gaussians-dsm.scoreviz", "Eight Gaussians, denoising score matching (sigma 0.1)",
         "dsm learns the score of p convolved with N(0, 0.01 I); the true-field panel shows that target.",
         SessionConfig(density="8gaussians", device="cpu", seed=0,
                       sampler=SamplerConfig(step_size=0.01)), 2000),
        ("2spirals-ssm-energy.scoreviz", "Two spirals, sliced score matching, energy model",
         "ssm-vr with a conservative (energy) parametrisation s = -grad E; compare its field with dsm's.",
         SessionConfig(density="2spirals", objective=ObjectiveConfig(name="ssm-vr", projections=1),
                       model=ModelConfig(hidden=128, layers=3, activation="softplus", parametrization="energy"),
                       device="cpu", seed=0, sampler=SamplerConfig(step_size=0.005)), 3000),
        ("heart-image.scoreviz", "A heart from an image",
         "The density of resources/heart.png (dark = dense), learned with dsm at sigma 0.05.",
         SessionConfig(density="heart.png", objective=ObjectiveConfig(name="dsm", sigma=0.05),
                       device="cpu", seed=0, sampler=SamplerConfig(step_size=0.005)), 2500),
    ]


def main(argv: list[str]) -> int:
    import os

    import time

    import torch

    from scoreviz.core.metrics import curve_steps
    from scoreviz.core.session import Session
    from scoreviz.core.session_file import save_session

    torch.set_num_threads(2)
    OUT.mkdir(exist_ok=True)
    os.chdir(HERE)  # image densities are named relative to resources/
    index = []
    for name, title, description, cfg, steps in examples():
        index.append({"file": name, "title": title, "description": description})
        if argv and name.removesuffix(".scoreviz") not in argv:
            continue
        t0 = time.perf_counter()
        session = Session(cfg)
        session.fisher(n=10_000)  # the curve starts at the untrained model
        at = set(curve_steps(steps))

        def measure(s, at=at):
            if s.step_count in at:
                s.fisher(n=10_000)

        session.train(steps, callback=measure)
        save_session(OUT / name, session, {"grid": 40})
        rel = session.fisher_history[-1][2]
        print(f"{name}: {steps} steps, {len(session.fisher_history)} Fisher points, relative Fisher {rel:.3g}, "
              f"{(OUT / name).stat().st_size / 1024:.0f} KB, {time.perf_counter() - t0:.0f} s", flush=True)
    (OUT / "index.json").write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
