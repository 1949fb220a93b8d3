"""Hundreds of control changes per second while training runs: no deadlock, no crash, no error, and
training ends in the state of the last change of every control.

The burst is a fixed number of changes sent as fast as the window takes them (the rate is printed,
typically 200-500 per second on 2 cores), with the event loop run between groups of them.
"""

from __future__ import annotations

import random
import time

import pytest

from helpers import wait_for_frame

CHANGES = 600
CHANGES_PER_TICK = 25  # changes between two passes of the event loop (each pass draws what is due)


def test_hundreds_of_changes_per_second_end_in_the_state_of_the_last(qtbot, make_window):
    rng = random.Random(20240611)
    w = make_window(autoplay=True)
    wait_for_frame(qtbot, w, lambda f: f.state.step > 0)
    failures = []
    w.trainer.failed.connect(failures.append)
    w.evaluator.failed.connect(failures.append)
    c = w.controls
    pick = rng.choice
    changes = [  # (what a user does with the real widgets, each to a valid value; how often)
        (lambda: c.model.lr.setValue(pick([1e-4, 3e-4, 1e-3, 2e-3, 5e-3])), 3),
        (lambda: c.model.batch.setValue(pick([32, 64, 128, 256])), 3),
        (lambda: c.objective.sigma.setValue(pick([0.05, 0.1, 0.2, 0.5])), 3),
        (lambda: c.sampler.step_size.setValue(pick([1e-3, 3e-3, 1e-2, 3e-2])), 3),
        (lambda: c.sampler.n.setValue(pick([500, 1000, 2000, 3000])), 3),
        (lambda: c.objective.name.setCurrentText(pick(["dsm", "esm", "ssm", "ssm-vr", "ism", "ncsn"])), 2),
        (lambda: c.sampler.kind.setCurrentText(pick(["langevin", "annealed"])), 2),
        # a new density is built in a background job: less often, like a user's choice
        (lambda: c.density.preset.setCurrentText(pick(["8gaussians", "moons", "circles", "2spirals", "rings",
                                                       "checkerboard", "pinwheel"])), 1),
    ]
    actions, weights = zip(*changes)
    frames0 = w.frames_drawn
    t0 = time.perf_counter()
    for _ in range(CHANGES // CHANGES_PER_TICK):
        for change in rng.choices(actions, weights, k=CHANGES_PER_TICK):
            change()
        qtbot.wait(1)  # the window keeps processing events (and drawing) during the burst
    seconds = time.perf_counter() - t0
    print(f"{CHANGES} control changes in {seconds:.2f} s ({CHANGES / seconds:.0f} per second); "
          f"{w.frames_drawn - frames0} frames drawn meanwhile")

    # no deadlock: the trainer answers, having applied every change in order
    qtbot.waitUntil(lambda: c.density.building is None, timeout=20000)  # the last density is built in a job
    cfg, density = w.trainer.call(lambda s: (s.cfg, s.density)).result(timeout=10)
    assert w.running and not failures and not w.banner.isVisible(), failures
    assert cfg.objective == c.objective.config()
    assert (cfg.lr, cfg.batch) == (pytest.approx(c.model.lr.value()), c.model.batch.value())
    assert cfg.sampler == c.sampler.config()
    assert density.name == c.density.preset.currentText()
    assert density.params == pytest.approx(c.density.preset_params())
    # the display follows, frames keep coming and training goes on in the final state
    step = w.trainer.call(lambda s: s.step_count).result(timeout=10)
    f = wait_for_frame(qtbot, w, lambda f: f.state.cfg == cfg and f.state.density is density
                       and f.state.step >= step + 5)
    assert f.particles.shape == (cfg.sampler.n_particles, 2)
    n = w.frames_drawn
    qtbot.waitUntil(lambda: w.frames_drawn >= n + 5, timeout=10000)
    assert not failures
