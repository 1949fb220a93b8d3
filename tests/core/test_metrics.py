"""Fisher divergence against closed forms."""

import math

import pytest
import torch

from scoreviz.core.errors import ScorevizError
from scoreviz.core.metrics import fisher_divergence
from scoreviz.core.mixture import GaussianMixture
from scoreviz.core.models import ModelConfig, ScoreModel


def _gen(seed):
    return torch.Generator().manual_seed(seed)


def _mixture():
    covs = torch.tensor([[[0.5, 0.1], [0.1, 0.3]], [[0.3, 0.0], [0.0, 0.6]]])
    return GaussianMixture([0.4, 0.6], torch.tensor([[-1.5, 0.0], [1.5, 0.5]]), covs)


def test_true_score_has_zero_divergence():
    q = _mixture()
    f, rel = fisher_divergence(q.score, q, generator=_gen(0))
    assert f == 0.0 and rel == 0.0


def test_zero_field_has_relative_one():
    q = _mixture()
    f, rel = fisher_divergence(torch.zeros_like, q, generator=_gen(0))
    assert rel == pytest.approx(1.0, abs=1e-12)
    x = q.sample(10_000, _gen(0))  # the same fresh samples: F = E||grad log q||^2 on them
    assert f == pytest.approx(q.score(x).double().square().sum(1).mean().item(), rel=1e-6)


def test_half_score_on_standard_gaussian():
    """q = N(0, I), s_theta(x) = -x/2: F = E||x/2||^2 = 1/2, relative = 1/4."""
    q = GaussianMixture([1.0], torch.zeros(1, 2), torch.eye(2)[None])
    n = 40_000
    f, rel = fisher_divergence(lambda x: -0.5 * x, q, n=n, generator=_gen(1))
    se = 0.25 * math.sqrt(4 / n)  # ||x||^2 ~ chi2_2: sd 2, times 1/4
    assert abs(f - 0.5) < 4 * se
    assert rel == pytest.approx(0.25, rel=1e-9)  # ratio on the same samples is exact


def test_chunking_does_not_change_the_result():
    q = _mixture()
    torch.manual_seed(0)
    m = ScoreModel(ModelConfig(hidden=16, layers=2, parametrization="energy"))
    a = fisher_divergence(m.score, q, n=10_000, generator=_gen(3))
    b = fisher_divergence(m.score, q, n=10_000, generator=_gen(3), chunk=777)
    assert a == pytest.approx(b, rel=1e-9)
    assert a[0] > 0 and 0 < a[1]


def test_needs_enough_samples():
    q = _mixture()
    with pytest.raises(ScorevizError, match="n >= 10000"):
        fisher_divergence(q.score, q, n=500, generator=_gen(0))
