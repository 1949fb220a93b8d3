"""Portable model exports: the torch.export program computes the same score as the model."""

import pytest
import torch

from scoreviz.core.models import ModelConfig


@pytest.mark.parametrize("parametrization", ["vector", "energy"])
@pytest.mark.parametrize("noise_conditional", [False, True])
@pytest.mark.parametrize("activation", ["silu", "softplus", "tanh", "elu"])
def test_torch_export_program_gives_the_model_score(tmp_path, parametrization, noise_conditional, activation):
    from scoreviz.core.model_export import export_program
    from scoreviz.core.models import ScoreModel

    torch.manual_seed(0)
    m = ScoreModel(ModelConfig(hidden=16, layers=3, activation=activation, parametrization=parametrization,
                               noise_conditional=noise_conditional)).eval()
    path = tmp_path / "model.pt2"
    export_program(m, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.pt2"]
    prog = torch.export.load(str(path)).module()
    x = torch.randn(37, 2)  # another batch size than the example used for tracing
    sigma = torch.full((37,), 0.3)
    expected = m.score(x, 0.3) if noise_conditional else m.score(x)
    torch.testing.assert_close(prog(x, sigma), expected, rtol=1e-5, atol=1e-5)
