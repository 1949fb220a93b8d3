"""The .scoreviz file: exact round trip, exact continuation, refusal of damaged or foreign files."""

import io
import pickle
import zipfile

import numpy as np
import pytest
import torch

from scoreviz.core.errors import ScorevizError
from scoreviz.core.models import ModelConfig
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.session import SamplerConfig, Session, SessionConfig
from scoreviz.core.session_file import load_session, save_session, session_bytes


def make(density="ncsn-mixture", objective="dsm"):
    cfg = SessionConfig(density=density, objective=ObjectiveConfig(name=objective, sigma=0.2),
                        model=ModelConfig(hidden=32, layers=2), batch=64, seed=11, device="cpu",
                        sampler=SamplerConfig(sampler="annealed", n_particles=300, sigma_max=5, sigma_min=0.5,
                                              levels=3, steps_per_level=4))
    return Session(cfg)


def test_round_trip_restores_every_piece(tmp_path):
    s = make()
    s.train(15)
    s.advance_particles(6)
    s.fisher(10000)
    path = tmp_path / "a.scoreviz"
    save_session(path, s, view={"box": [-1, 1, -2, 2], "grid": 40, "grid_auto": False, "scale": "log"})
    r, view = load_session(path)
    assert view == {"box": [-1, 1, -2, 2], "grid": 40, "grid_auto": False, "scale": "log"}
    assert r.cfg == s.cfg and r.step_count == 15 and r.particle_step == 6
    assert r.loss_history == s.loss_history and r.fisher_history == s.fisher_history
    assert torch.equal(r.particles, s.particles)
    for (ka, va), (kb, vb) in zip(s.model.state_dict().items(), r.model.state_dict().items()):
        assert ka == kb and torch.equal(va, vb)
    x = torch.randn(50, 2)
    assert torch.equal(r.density.log_prob(x), s.density.log_prob(x))


@pytest.mark.parametrize("objective", ["dsm", "ssm", "ncsn"])
def test_continuing_is_bit_identical_to_never_stopping(tmp_path, objective):
    straight, first = make(objective=objective), make(objective=objective)
    for _ in range(2):
        straight.train(15)
        straight.advance_particles(5)
    first.train(15)
    first.advance_particles(5)
    save_session(tmp_path / "s.scoreviz", first)
    resumed, _ = load_session(tmp_path / "s.scoreviz")
    resumed.train(15)
    resumed.advance_particles(5)
    assert resumed.loss_history == straight.loss_history
    assert torch.equal(resumed.particles, straight.particles)
    for a, b in zip(resumed.model.parameters(), straight.model.parameters()):
        assert torch.equal(a, b)


def test_drawn_mixture_and_image_densities_survive(tmp_path):
    from scoreviz.core.densities import load_density, mixture_density
    from pathlib import Path

    import scoreviz

    img = Path(scoreviz.__file__).parents[1] / "resources" / "heart.png"
    for d in (mixture_density([1, 2], [[0, 0], [1, 1]], [[[0.1, 0], [0, 0.1]]] * 2), load_density(str(img))):
        s = Session(SessionConfig(model=ModelConfig(hidden=16, layers=1), batch=32, device="cpu",
                                  sampler=SamplerConfig(n_particles=10)), density=d)
        s.step()
        save_session(tmp_path / "d.scoreviz", s)
        r, _ = load_session(tmp_path / "d.scoreviz")
        x = torch.randn(20, 2)
        assert torch.allclose(r.density.score(x), d.score(x), rtol=1e-6, atol=1e-9)


def _zip(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for k, v in members.items():
            z.writestr(k, v)
    return buf.getvalue()


class Boom:
    def __reduce__(self):
        return (open, ("/tmp/scoreviz-pwned-marker", "w"))


def test_damaged_and_foreign_files_are_refused(tmp_path):
    good = session_bytes(make())
    cases = {
        "truncated": good[: len(good) // 2],
        "empty": b"",
        "text": b"hello",
        "foreign-zip": _zip({"other.txt": "x"}),
        "bad-json": _zip({"session.json": "{", "arrays.npz": b""}),
        "wrong-format": _zip({"session.json": '{"scoreviz_session": 99}', "arrays.npz": b""}),
    }
    for name, data in cases.items():
        p = tmp_path / f"{name}.scoreviz"
        p.write_bytes(data)
        with pytest.raises(ScorevizError, match=name):
            load_session(p)
    with pytest.raises(ScorevizError, match="does not exist"):
        load_session(tmp_path / "missing.scoreviz")


def test_a_planted_pickle_is_never_executed(tmp_path):
    import os

    marker = "/tmp/scoreviz-pwned-marker"
    if os.path.exists(marker):
        os.unlink(marker)
    good = session_bytes(make())
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        meta = z.read("session.json")
    # an object array in the npz needs pickle to load; and a raw pickle posing as the arrays
    evil_npz = io.BytesIO()
    np.save(evil_npz, np.array([Boom()], dtype=object), allow_pickle=True)
    for payload in (evil_npz.getvalue(), pickle.dumps(Boom())):
        p = tmp_path / "evil.scoreviz"
        p.write_bytes(_zip({"session.json": meta, "arrays.npz": payload}))
        with pytest.raises(ScorevizError):
            load_session(p)
        assert not os.path.exists(marker), "the payload ran"



# ---------------------------------------------------------------------------- issue 12: bad data named at load
def _trained(steps: int = 3) -> Session:
    s = Session(SessionConfig(model=ModelConfig(hidden=16, layers=1), batch=32, device="cpu",
                              sampler=SamplerConfig(n_particles=50)))
    for _ in range(steps):
        s.step()
    return s


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_non_finite_weights_are_refused_at_load_naming_the_file_and_the_array(tmp_path, bad):
    s = _trained()
    name, p = next(iter(s.model.named_parameters()))
    with torch.no_grad():
        p.view(-1)[0] = bad
    path = tmp_path / "nan.scoreviz"
    save_session(path, s)
    with pytest.raises(ScorevizError, match=rf"'nan.scoreviz' is a damaged scoreviz session: model weights '{name}' "
                                            r"holds NaN or Inf"):
        load_session(path)


def test_non_finite_or_negative_adam_moments_are_refused_at_load(tmp_path):
    s = _trained()
    state = s.optimizer.state[next(iter(s.model.parameters()))]
    state["exp_avg_sq"].view(-1)[0] = -1.0
    save_session(tmp_path / "neg.scoreviz", s)
    with pytest.raises(ScorevizError, match=r"optimizer state 0 \(second moment\) holds negative values"):
        load_session(tmp_path / "neg.scoreviz")
    state["exp_avg_sq"].view(-1)[0] = 0.0
    state["exp_avg"].view(-1)[0] = float("nan")
    save_session(tmp_path / "nan_m.scoreviz", s)
    with pytest.raises(ScorevizError, match=r"optimizer state 0 \(first moment\) holds NaN or Inf"):
        load_session(tmp_path / "nan_m.scoreviz")


def test_non_finite_weights_in_model_pt_are_refused_naming_the_array(tmp_path):
    from scoreviz.core.export import load_model, save_model

    s = _trained()
    (tmp_path / "run").mkdir()
    save_model(tmp_path / "run", s)
    state = torch.load(tmp_path / "run" / "model.pt", weights_only=True)
    key = next(iter(state))
    state[key].view(-1)[-1] = float("inf")
    torch.save(state, tmp_path / "run" / "model.pt")
    with pytest.raises(ScorevizError, match=rf"model.pt weights '{key}' holds NaN or Inf"):
        load_model(tmp_path / "run")
