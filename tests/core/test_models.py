"""Score networks: shapes, the energy parametrisation's conservative field, noise conditioning."""

import pytest
import torch

from scoreviz.core.errors import ScorevizError
from scoreviz.core.models import ACTIVATIONS, ModelConfig, ScoreModel
from scoreviz.core.objectives import ObjectiveConfig, check_compatible


def _model(seed=0, **kw):
    torch.manual_seed(seed)
    return ScoreModel(ModelConfig(**kw))


def _points(n=64, seed=1, dtype=torch.float32):
    g = torch.Generator().manual_seed(seed)
    return 2 * torch.randn(n, 2, generator=g, dtype=dtype)


@pytest.mark.parametrize("parametrization", ["vector", "energy"])
@pytest.mark.parametrize("noise_conditional", [False, True])
def test_shapes(parametrization, noise_conditional):
    m = _model(hidden=16, layers=2, parametrization=parametrization, noise_conditional=noise_conditional)
    x = _points(37)
    sigma = 0.5 if noise_conditional else None
    out = m(x, sigma)
    assert out.shape == (37, 2) and out.dtype == torch.float32
    s = m.score(x, sigma)
    assert s.shape == (37, 2) and not s.requires_grad
    torch.testing.assert_close(s, out.detach())
    if noise_conditional:
        per_point = m(x, torch.full((37,), 0.5))
        torch.testing.assert_close(per_point, out)


def test_layers_and_width():
    m = _model(hidden=24, layers=4)
    linears = [mod for mod in m.modules() if isinstance(mod, torch.nn.Linear)]
    assert [tuple(l.weight.shape) for l in linears] == [(24, 2), (24, 24), (24, 24), (24, 24), (2, 24)]
    e = _model(hidden=8, layers=1, parametrization="energy", noise_conditional=True)
    linears = [mod for mod in e.modules() if isinstance(mod, torch.nn.Linear)]
    assert [tuple(l.weight.shape) for l in linears] == [(8, 3), (1, 8)]


def test_energy_score_is_minus_grad_energy():
    m = _model(hidden=16, layers=2, parametrization="energy").double()
    x = _points(20, dtype=torch.float64).requires_grad_(True)
    (grad_e,) = torch.autograd.grad(m.energy(x).sum(), x)
    torch.testing.assert_close(m(x), -grad_e)
    torch.testing.assert_close(m.score(x.detach()), -grad_e)


@pytest.mark.parametrize("activation", ["silu", "softplus", "tanh", "elu"])
def test_energy_jacobian_symmetric(activation):
    m = _model(hidden=16, layers=2, activation=activation, parametrization="energy").double()
    for xi in _points(5, dtype=torch.float64):
        j = torch.autograd.functional.jacobian(lambda p: m(p[None])[0], xi)  # (2, 2)
        torch.testing.assert_close(j, j.T, atol=1e-10, rtol=1e-8)
        assert j.abs().max() > 1e-6  # not trivially symmetric


def test_vector_jacobian_not_symmetric_in_general():
    m = _model(hidden=16, layers=2).double()
    j = torch.autograd.functional.jacobian(lambda p: m(p[None])[0], torch.tensor([0.3, -0.7], dtype=torch.float64))
    assert (j - j.T).abs().max() > 1e-4


def test_energy_training_graph_and_cheap_display():
    m = _model(hidden=16, layers=2, parametrization="energy")
    x = _points(10)
    out = m(x)
    assert out.requires_grad  # create_graph when grad mode is on: training through -grad E works
    out.square().sum().backward()
    # every parameter but the energy's output bias (a constant in E) gets a gradient
    assert all(p.grad is not None for name, p in m.named_parameters() if name != "out.bias")
    m.zero_grad()
    with torch.no_grad():
        s = m(x)
    assert not s.requires_grad
    s = m.score(x)
    assert not s.requires_grad and all(p.grad is None for p in m.parameters())
    with torch.inference_mode():
        torch.testing.assert_close(m.score(x), s)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("parametrization", ["vector", "energy"])
def test_each_activation_runs_and_trains(activation, parametrization):
    m = _model(hidden=16, layers=2, activation=activation, parametrization=parametrization)
    x = _points(32)
    loss = m(x).square().mean()
    loss.backward()
    assert torch.isfinite(loss)
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in m.parameters())


def test_unknown_activation_refused():
    with pytest.raises(ScorevizError, match=r"'gelu'.*silu, softplus, tanh, elu, relu"):
        ModelConfig(activation="gelu")


@pytest.mark.parametrize(
    "kw, pattern",
    [
        ({"hidden": 0}, "hidden"),
        ({"layers": -1}, "layers"),
        ({"hidden": 3.5}, "hidden"),
        ({"parametrization": "potential"}, "'potential'.*vector, energy"),
        ({"noise_conditional": "yes"}, "noise_conditional"),
    ],
)
def test_bad_config_refused(kw, pattern):
    with pytest.raises(ScorevizError, match=pattern):
        ModelConfig(**kw)


def test_config_round_trip():
    cfg = ModelConfig(hidden=64, layers=2, activation="tanh", parametrization="energy", noise_conditional=True)
    d = cfg.to_dict()
    assert d == {"hidden": 64, "layers": 2, "activation": "tanh", "parametrization": "energy", "noise_conditional": True,
                 "time_conditional": False}
    assert ModelConfig.from_dict(d) == cfg
    assert ModelConfig.from_dict({}) == ModelConfig()
    with pytest.raises(ScorevizError, match="'width'"):
        ModelConfig.from_dict({"width": 3})


@pytest.mark.parametrize("name", ["ism", "ssm", "ssm-vr"])
def test_relu_refused_for_second_order_objectives(name):
    with pytest.raises(ScorevizError, match=f"'{name}'.*relu.*silu, softplus, tanh or elu"):
        check_compatible(ObjectiveConfig(name=name), ModelConfig(activation="relu"))
    check_compatible(ObjectiveConfig(name="dsm"), ModelConfig(activation="relu"))  # fine for first-order


@pytest.mark.parametrize("parametrization", ["vector", "energy"])
def test_noise_conditional_output_scales_as_one_over_sigma(parametrization):
    m = _model(hidden=16, layers=2, parametrization=parametrization, noise_conditional=True).double()
    with torch.no_grad():
        m.hidden[0].weight[:, 2] = 0.0  # cut the log-sigma input: what is left is the 1/sigma factor
    x = _points(25, dtype=torch.float64)
    ref = m(x, 1.0)
    for sigma in (0.01, 0.3, 7.0):
        torch.testing.assert_close(m(x, sigma) * sigma, ref)
    # and with the log-sigma input in use, sigma really conditions the output
    m2 = _model(hidden=16, layers=2, parametrization=parametrization, noise_conditional=True).double()
    assert not torch.allclose(m2(x, 0.3) * 0.3, m2(x, 1.0))


def test_noise_conditional_needs_sigma():
    m = _model(hidden=8, layers=1, noise_conditional=True)
    with pytest.raises(ScorevizError, match="sigma"):
        m(_points(4))
    with pytest.raises(ScorevizError, match="sigma"):
        m(_points(4), -1.0)
    with pytest.raises(ScorevizError, match="shape"):
        m(_points(4), torch.ones(3))


def test_unconditional_model_ignores_sigma():
    m = _model(hidden=8, layers=1)
    x = _points(4)
    torch.testing.assert_close(m(x, 0.5), m(x))


@pytest.mark.parametrize("parametrization", ["vector", "energy"])
def test_init_deterministic_under_torch_seed(parametrization):
    a = _model(seed=123, parametrization=parametrization, noise_conditional=True)
    b = _model(seed=123, parametrization=parametrization, noise_conditional=True)
    c = _model(seed=124, parametrization=parametrization, noise_conditional=True)
    for pa, pb in zip(a.state_dict().values(), b.state_dict().values()):
        assert torch.equal(pa, pb)
    x = _points(8)
    assert torch.equal(a(x, 0.2), b(x, 0.2))
    assert not torch.equal(a(x, 0.2), c(x, 0.2))
