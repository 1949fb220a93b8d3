"""A learned time-conditional model generates the right mass on every mode (issue 13's end-to-end check)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from scoreviz.core.diffusion import pc, pf_ode, reverse_sde
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.scorecard import mode_weights, modes_found
from scoreviz.core.session import Session, SessionConfig
from scoreviz.core.time_score import model_score_fn


@pytest.fixture(scope="module")
def trained():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        s = Session(SessionConfig(density="8gaussians", objective=ObjectiveConfig(name="sde", sde="vp"), batch=512,
                                  lr=2e-3, seed=0, device="cpu"))
        s.train(3000)
        yield s
    finally:
        torch.set_num_threads(threads)


@pytest.mark.parametrize("sampler", ["reverse-sde", "pf-ode", "pc"])
def test_samples_of_a_trained_sde_model_put_an_eighth_on_each_mode(trained, sampler, one_torch_thread):
    s = trained
    gen = torch.Generator().manual_seed(5)
    x = s.sde.prior_sample(4000, gen)
    fn = model_score_fn(s.model, s.sde)
    if sampler == "reverse-sde":
        out = reverse_sde(x, fn, s.sde, steps=200, generator=gen)
    elif sampler == "pf-ode":
        out = pf_ode(x, fn, s.sde, solver="heun", steps=100)
    else:
        out = pc(x, fn, s.sde, steps=100, generator=gen)
    samples = out.x.numpy()
    assert np.isfinite(samples).all()
    sampled, true = mode_weights(samples, s.density)
    assert modes_found(sampled, true) == 8
    # 4000 samples: a mode's Monte Carlo sd is 0.005; the model's own error is allowed a few times that
    np.testing.assert_allclose(sampled, true, atol=0.04)
    # and the samples sit on the modes' circle, not between it and the origin
    radius = float(s.density.means.norm(dim=1).mean())
    r = np.linalg.norm(samples, axis=1)
    assert abs(np.median(r) - radius) < 0.15 * radius


def test_the_untrained_model_does_not_pass_the_same_check():
    s = Session(SessionConfig(density="8gaussians", objective=ObjectiveConfig(name="sde", sde="vp"), seed=0,
                              device="cpu"))
    gen = torch.Generator().manual_seed(5)
    out = reverse_sde(s.sde.prior_sample(4000, gen), model_score_fn(s.model, s.sde), s.sde, steps=200, generator=gen)
    radius = float(s.density.means.norm(dim=1).mean())
    r = np.linalg.norm(out.x.numpy(), axis=1)
    assert abs(np.median(r) - radius) > 0.15 * radius  # the check above can fail
