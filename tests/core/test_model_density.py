"""The model's own density: with the true score the PF-ODE grid is the exact log p_{t_eps}; progress is
monotone; check() aborts between chunks; a time-conditional model runs through it untouched; the NLL
report against the exact entropy; refusals."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from scoreviz.core.errors import ScorevizError
from scoreviz.core.marginals import marginal_density, true_score_fn
from scoreviz.core.model_density import (describe_report, model_log_density_grid, nll_report,
                                         true_log_density_grid)
from scoreviz.core.models import ModelConfig, ScoreModel
from scoreviz.core.sde import SDE
from scoreviz.core.toys import make_preset

TOL = 1e-4  # loose: fast; the error is still ~3e-4 relative


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/conftest.py


def _setup(kind):
    d = make_preset("8gaussians")
    sde = SDE.for_box(kind, d.box)
    return d, sde, marginal_density(d, sde, 1.0)


@pytest.mark.parametrize("kind", ("vp", "ve"))
def test_true_score_grid_is_the_exact_log_density(kind):
    """12 x 12 grid over the box (log p from -43 to -1.9): max error 0.015-0.017 nats at tol 1e-4 (measured),
    all in the far tails; the bound is relative to |log p|."""
    d, sde, p_1 = _setup(kind)
    seen = []
    xs, ys, lp = model_log_density_grid(true_score_fn(d, sde), sde, d.box, 12, TOL, TOL,
                                        progress=lambda done, total: seen.append((done, total)),
                                        prior_log_prob=p_1.log_prob, chunk=48)
    xs2, ys2, exact = true_log_density_grid(d, sde, d.box, 12)
    assert lp.shape == exact.shape == (12, 12) and lp.dtype == np.float64
    assert np.array_equal(xs, xs2) and np.array_equal(ys, ys2)
    assert xs[0] == pytest.approx(d.box[0]) and ys[-1] == pytest.approx(d.box[3])
    err = np.abs(lp - exact)
    assert np.all(err <= 1e-3 * (1 + np.abs(exact))), err.max()
    top = exact > exact.max() - 10  # what the heat map shows
    assert err[top].max() < 5e-3
    # progress: starts at 0, strictly increasing, every chunk's end reported, ends at the total; in between,
    # each chunk's share of [t_eps, 1] solved so far
    done = [a for a, _ in seen]
    assert seen[0] == (0, 144) and seen[-1] == (144, 144) and all(t == 144 for _, t in seen)
    assert all(b > a for a, b in zip(done, done[1:])) and {48, 96} <= set(done)
    assert len(done) > 6  # a chunk moves the bar, not only its end


def test_check_aborts_between_chunks_and_progress_is_monotone():
    d, sde, p_1 = _setup("vp")
    seen = []

    class Stop(Exception):
        pass

    def check():
        if seen and seen[-1][0] >= 20:
            raise Stop()

    with pytest.raises(Stop):
        model_log_density_grid(true_score_fn(d, sde), sde, d.box, 8, 1e-3, 1e-3,
                               progress=lambda done, total: seen.append((done, total)), check=check, chunk=10)
    done = [a for a, _ in seen]
    assert done == sorted(done) and done[-1] == 20 and all(t == 64 for _, t in seen)  # stopped after two chunks


def test_check_aborts_inside_a_chunk():
    """One big chunk: the abort lands at the next score evaluation, not at the chunk's end."""
    d, sde, _ = _setup("vp")
    calls, seen = [], []

    def check():
        calls.append(1)
        if len(calls) > 5:
            raise KeyboardInterrupt  # anything it raises propagates as it is

    with pytest.raises(KeyboardInterrupt):
        model_log_density_grid(true_score_fn(d, sde), sde, d.box, 8, 1e-3, 1e-3,
                               progress=lambda done, total: seen.append(done), check=check, chunk=64)
    assert len(calls) == 6 and max(seen) < 64


def test_a_time_conditional_model_runs_unchanged_and_in_eval_mode():
    d, sde, _ = _setup("vp")
    torch.manual_seed(0)
    model = ScoreModel(ModelConfig(hidden=16, layers=2, time_conditional=True))
    model.train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    xs, ys, lp = model_log_density_grid(model, sde, d.box, 6, 1e-3, 1e-3)
    assert lp.shape == (6, 6) and np.isfinite(lp).all()
    assert model.training  # its mode is put back
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    r = nll_report(model, sde, d, n_points=50, seed=1, rtol=1e-3, atol=1e-3)
    assert set(r) >= {"nll_mean", "nll_std_error", "true_nll_mean", "nfe", "seconds", "gap", "gap_std_error"}
    assert r["nll_std_error"] > 0 and r["nfe"] > 0 and r["seconds"] > 0
    # an untrained model is a poor density: its NLL is above the entropy (KL >= 0), clearly
    assert r["gap"] > 3 * r["gap_std_error"]
    line = describe_report(r)
    assert line.startswith("NLL ") and "true entropy" in line and "gap" in line


def test_nll_with_the_true_score_is_the_entropy_estimate():
    d, sde, p_1 = _setup("vp")
    r = nll_report(true_score_fn(d, sde), sde, d, n_points=100, seed=3, rtol=TOL, atol=TOL,
                   prior_log_prob=p_1.log_prob)
    assert abs(r["gap"]) < 1e-3 and r["gap_std_error"] < 1e-3
    # the same seed draws the same samples: the exact entropy estimate repeats
    p_eps = marginal_density(d, sde, sde.t_eps)
    x = p_eps.sample(100, torch.Generator().manual_seed(3)).double()
    assert r["true_nll_mean"] == pytest.approx(-p_eps.log_prob(x).mean().item(), rel=1e-12)


def test_refusals():
    d, sde, _ = _setup("vp")
    plain = ScoreModel(ModelConfig(hidden=8, layers=1))
    with pytest.raises(ScorevizError, match="time-conditional"):
        model_log_density_grid(plain, sde, d.box, 4)
    f = true_score_fn(d, sde)
    for kwargs, words in (({"n": 1}, "grid"), ({"box": (0, 0, 0, 1)}, "box"), ({"rtol": 0.0}, "rtol"),
                          ({"sde": "vp"}, "process")):
        args = {"model": f, "sde": sde, "box": d.box, "n": 4} | kwargs
        with pytest.raises(ScorevizError, match=words):
            model_log_density_grid(**args)
    with pytest.raises(ScorevizError, match="n_points"):
        nll_report(f, sde, d, n_points=1)
