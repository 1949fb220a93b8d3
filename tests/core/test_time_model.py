"""Time-conditional score networks: shapes, file shapes, the conservative energy field, s = model / std."""

import math

import pytest
import torch

from scoreviz.core.errors import ScorevizError
from scoreviz.core.models import (
    TIME_FEATURES,
    ModelConfig,
    ScoreModel,
    parameter_shapes,
    time_embedding,
    time_frequencies,
)
from scoreviz.core.sde import SDE
from scoreviz.core.time_score import model_score_fn, sde_score

F64 = torch.float64


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/conftest.py


def _model(seed=0, dtype=torch.float32, **kw):
    torch.manual_seed(seed)
    kw = {"hidden": 16, "layers": 2, "time_conditional": True, **kw}
    return ScoreModel(ModelConfig(**kw)).to(dtype)


def _points(n=40, seed=1, dtype=torch.float32):
    g = torch.Generator().manual_seed(seed)
    return 2 * torch.randn(n, 2, generator=g, dtype=dtype)


@pytest.mark.parametrize("parametrization", ["vector", "energy"])
def test_shapes_and_per_point_times(parametrization):
    m = _model(parametrization=parametrization)
    x = _points(37)
    out = m(x, 0.3)
    assert out.shape == (37, 2) and out.dtype == torch.float32
    torch.testing.assert_close(m(x, torch.full((37,), 0.3)), out)
    torch.testing.assert_close(m(x, torch.tensor(0.3)), out)
    s = m.score(x, 0.3)
    assert not s.requires_grad
    torch.testing.assert_close(s, out.detach())
    # per-point times: row i is the model at t_i
    t = torch.linspace(0.001, 1.0, 37)
    rows = torch.cat([m(x[i:i + 1], float(t[i])) for i in range(37)])
    torch.testing.assert_close(m(x, t), rows, atol=1e-6, rtol=1e-5)
    if parametrization == "energy":
        assert m.energy(x, 0.3).shape == (37,)


@pytest.mark.parametrize("parametrization", ["vector", "energy"])
@pytest.mark.parametrize("layers", [1, 3])
def test_parameter_shapes_match_the_state_dict(parametrization, layers):
    cfg = ModelConfig(hidden=12, layers=layers, parametrization=parametrization, time_conditional=True)
    state = ScoreModel(cfg).state_dict()
    assert {k: tuple(v.shape) for k, v in state.items()} == parameter_shapes(cfg)
    assert parameter_shapes(cfg)["hidden.0.weight"] == (12, 2 + TIME_FEATURES)
    assert "time_freqs" not in state  # a constant, not saved: same config -> same file layout
    # two builds of one config: the same shapes and the same (deterministic) embedding constants
    a, b = ScoreModel(cfg), ScoreModel(cfg)
    assert [p.shape for p in a.parameters()] == [p.shape for p in b.parameters()]
    assert torch.equal(a.time_freqs, b.time_freqs)


def test_embedding_is_fixed_and_resolves_small_times():
    w = time_frequencies(F64)
    assert w.shape == (8,) and w[0] == 1.0 and w[-1] == pytest.approx(100.0)
    torch.testing.assert_close(w[1:] / w[:-1], torch.full((7,), 100 ** (1 / 7), dtype=F64))
    t = torch.tensor([[0.001], [0.002], [0.5]], dtype=F64)
    e = time_embedding(t, w)
    assert e.shape == (3, TIME_FEATURES)
    torch.testing.assert_close(e[:, :8], torch.sin(t * w))
    torch.testing.assert_close(e[:, 8:], torch.cos(t * w))
    assert (e[0] - e[1]).abs().max() > 0.05  # t_eps and 2 t_eps are told apart
    m = _model()
    x = _points(8)
    assert (m(x, 0.001) - m(x, 0.002)).abs().max() > 1e-4


def test_energy_time_model_is_conservative():
    m = _model(parametrization="energy", activation="tanh", dtype=F64)
    for t in (0.001, 0.3, 1.0):
        for xi in _points(4, dtype=F64):
            j = torch.autograd.functional.jacobian(lambda p: m(p[None], t)[0], xi)  # (2, 2)
            torch.testing.assert_close(j, j.T, atol=1e-10, rtol=1e-8)
            assert j.abs().max() > 1e-6
        x = _points(10, dtype=F64).requires_grad_(True)
        (grad_e,) = torch.autograd.grad(m.energy(x, t).sum(), x)
        torch.testing.assert_close(m(x, t), -grad_e)
    # and the score s = model / std(t) is then conservative too (a positive scalar per t)
    process = SDE("vp")
    j = torch.autograd.functional.jacobian(lambda p: sde_score(m, process, p[None], 0.2)[0],
                                           torch.tensor([0.3, -0.4], dtype=F64))
    torch.testing.assert_close(j, j.T, atol=1e-10, rtol=1e-8)


@pytest.mark.parametrize("kind", ["ve", "vp", "subvp"])
def test_score_is_model_over_std(kind):
    process = SDE(kind, sigma_max=5.0)
    m = _model(dtype=F64)
    x = _points(20, dtype=F64)
    t = torch.linspace(0.01, 1.0, 20, dtype=F64)
    std = torch.tensor([_std(kind, float(ti), 0.01, 5.0) for ti in t], dtype=F64)
    torch.testing.assert_close(sde_score(m, process, x, t), m(x, t) / std[:, None])
    torch.testing.assert_close(sde_score(m, process, x, 0.25), m(x, 0.25) / _std(kind, 0.25, 0.01, 5.0))
    fn = model_score_fn(m, process)
    x.requires_grad_(True)
    s = fn(x, t)
    assert not s.requires_grad and s.grad_fn is None  # no graph kept
    torch.testing.assert_close(s, (m(x, t) / std[:, None]).detach())
    # differentiable when asked (the objective trains through sde_score)
    assert sde_score(m, process, x, t).requires_grad


def _std(kind, t, sigma_min, sigma_max, b0=0.1, b1=20.0):
    """std(t) from MATH.md's table, written out independently of scoreviz.core.sde."""
    if kind == "ve":
        return sigma_min * (sigma_max / sigma_min) ** t
    a2 = math.exp(-0.5 * t * t * (b1 - b0) - t * b0)
    return math.sqrt(1 - a2) if kind == "vp" else 1 - a2


def test_refusals():
    with pytest.raises(ScorevizError, match="noise-conditional.*time-conditional.*not both"):
        ModelConfig(noise_conditional=True, time_conditional=True)
    with pytest.raises(ScorevizError, match="time_conditional must be true or false"):
        ModelConfig(time_conditional=1)
    m = _model()
    x = _points(5)
    with pytest.raises(ScorevizError, match="time-conditional: it needs a time t"):
        m(x)
    with pytest.raises(ScorevizError, match=r"time t must be in \[0, 1\]"):
        m(x, 1.5)
    with pytest.raises(ScorevizError, match=r"t must be a number or a \(5,\) tensor"):
        m(x, torch.zeros(4))
    plain = ScoreModel(ModelConfig(hidden=8, layers=1))
    with pytest.raises(ScorevizError, match="not time-conditional"):
        sde_score(plain, SDE("vp"), x, 0.5)
    with pytest.raises(ScorevizError, match="not time-conditional"):
        model_score_fn(plain, SDE("vp"))


def test_config_round_trip():
    cfg = ModelConfig(hidden=32, layers=2, parametrization="energy", time_conditional=True)
    assert cfg.to_dict()["time_conditional"] is True and cfg.to_dict()["noise_conditional"] is False
    assert ModelConfig.from_dict(cfg.to_dict()) == cfg
    assert ModelConfig.from_dict({}).time_conditional is False


@pytest.mark.parametrize("parametrization", ["vector", "energy"])
@pytest.mark.parametrize("kind", ["ve", "vp"])
def test_export_program_gives_the_time_score(tmp_path, parametrization, kind):
    from scoreviz.core.model_export import export_program

    m = _model(parametrization=parametrization).eval()
    process = SDE(kind, sigma_max=5.0)
    with pytest.raises(ScorevizError, match="exported with its process"):
        export_program(m, tmp_path / "no.pt2")
    path = tmp_path / "model.pt2"
    export_program(m, path, process)
    prog = torch.export.load(str(path)).module()
    x = _points(23)
    t = torch.linspace(0.01, 1.0, 23)
    torch.testing.assert_close(prog(x, t), model_score_fn(m, process)(x, t), rtol=1e-5, atol=1e-5)
