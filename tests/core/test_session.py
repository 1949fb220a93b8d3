"""Session: determinism, divergence guard, objective switching, particles, config round trip."""

import json
import math
import subprocess
import sys

import pytest
import torch

from scoreviz.core.errors import DivergedError, ScorevizError
from scoreviz.core.mixture import GaussianMixture
from scoreviz.core.models import ModelConfig
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.session import SamplerConfig, Session, SessionConfig, resolve_device

SMALL = ModelConfig(hidden=32, layers=2)


def small_cfg(**kw):
    base = dict(density="8gaussians", objective=ObjectiveConfig(name="dsm", sigma=0.1), model=SMALL,
                batch=128, seed=3, device="cpu", sampler=SamplerConfig(n_particles=500))
    base.update(kw)
    return SessionConfig(**base)


def params_of(session):
    return torch.cat([p.detach().reshape(-1) for p in session.model.parameters()])


def test_same_seed_is_bit_identical_on_cpu():
    a, b = Session(small_cfg()), Session(small_cfg())
    a.train(25)
    b.train(25)
    assert a.loss_history == b.loss_history
    assert torch.equal(params_of(a), params_of(b))


def test_other_seed_differs():
    a, b = Session(small_cfg()), Session(small_cfg(seed=4))
    a.train(5)
    b.train(5)
    assert a.loss_history != b.loss_history


def test_particles_and_fisher_do_not_change_training():
    a, b = Session(small_cfg()), Session(small_cfg())
    for _ in range(10):
        a.step()
        b.step()
        b.advance_particles(3)
    b.fisher(10000)
    a.step()
    b.step()
    assert a.loss_history == b.loss_history


class ExplodingDensity(GaussianMixture):
    """A mixture whose samples turn infinite after a few draws: a real non-finite loss."""

    def __init__(self):
        super().__init__([1.0], [[0.0, 0.0]], [[[1.0, 0.0], [0.0, 1.0]]], box=(-4, 4, -4, 4))
        self.draws = 0

    def sample(self, n, generator=None):
        self.draws += 1
        x = super().sample(n, generator)
        return x * math.inf if self.draws > 4 else x


def test_non_finite_loss_stops_with_step_and_keeps_weights():
    s = Session(small_cfg(), density=ExplodingDensity())
    s.train(4)
    before = params_of(s).clone()
    with pytest.raises(DivergedError) as e:
        s.step()
    assert e.value.step == 5
    assert not math.isfinite(e.value.value)
    assert "learning rate" in str(e.value)
    assert torch.equal(params_of(s), before), "a diverged step must not touch the weights"
    assert s.step_count == 4


def test_switching_objective_continues_training():
    s = Session(small_cfg())
    s.train(5)
    model = s.model
    msg = s.set_objective(ObjectiveConfig(name="esm"))
    assert s.model is model and s.step_count == 5 and "continues" in msg
    s.step()
    assert s.step_count == 6
    assert s.target_sigma == 0.0


def test_switching_to_ncsn_rebuilds_a_noise_conditional_model():
    s = Session(small_cfg())
    s.train(3)
    msg = s.set_objective(ObjectiveConfig(name="ncsn", sigma_max=1.0, sigma_min=0.05, levels=5))
    assert "reset" in msg
    assert s.cfg.model.noise_conditional and s.step_count == 0
    s.step()
    assert s.target_sigma == pytest.approx(0.05)


def test_target_is_perturbed_density_for_dsm():
    s = Session(small_cfg(objective=ObjectiveConfig(name="dsm", sigma=0.5)))
    x = torch.randn(64, 2)
    expected = s.density.perturbed(0.5).score(x)
    assert torch.allclose(s.true_score(x), expected)


def test_training_lowers_fisher_divergence():
    s = Session(small_cfg(density="gaussian", objective=ObjectiveConfig(name="esm"), lr=3e-3))
    f0, _ = s.fisher(10000)
    s.train(300)
    f1, rel = s.fisher(10000)
    assert f1 < 0.2 * f0
    assert rel < 0.1
    assert [h[0] for h in s.fisher_history] == [0, 300]


def test_true_score_langevin_particles_reach_the_gaussian():
    mean = torch.tensor([1.0, -0.5])
    cov = torch.tensor([[1.0, 0.6], [0.6, 0.8]])
    d = GaussianMixture([1.0], mean[None], cov[None], box=(-4, 4, -4, 4))
    s = Session(small_cfg(sampler=SamplerConfig(n_particles=4000, step_size=0.01, score_source="true")), density=d)
    s.advance_particles(800)
    x = s.particles
    assert torch.allclose(x.mean(0), mean, atol=0.08)
    assert torch.allclose(torch.cov(x.T), cov, atol=0.1)


def test_annealed_schedule_walks_the_levels():
    sc = SamplerConfig(sampler="annealed", n_particles=100, step_size=0.01, sigma_max=1.0, sigma_min=0.1,
                       levels=4, steps_per_level=5, score_source="true")
    s = Session(small_cfg(sampler=sc))
    assert s.annealing_level == 0
    s.advance_particles(12)
    assert s.annealing_level == 2 and s.particle_step == 12
    s.advance_particles(50)
    assert s.annealing_level == 3
    assert torch.isfinite(s.particles).all()


def test_config_json_round_trip():
    cfg = small_cfg(objective=ObjectiveConfig(name="ssm", projections=3, projection="rademacher"),
                    sampler=SamplerConfig(sampler="annealed", n_particles=77))
    d = json.loads(json.dumps(cfg.to_dict()))
    assert SessionConfig.from_dict(d) == cfg


@pytest.mark.parametrize("kw, needle", [
    (dict(lr=0.0), "lr=0.0 is out of range; allowed 0 < lr <= 1"),
    (dict(batch=0), "batch"),
    (dict(grid=1), "grid"),
    (dict(device="tpu"), "device 'tpu'"),
    (dict(model=ModelConfig(activation="relu"), objective=ObjectiveConfig(name="ism")), "relu"),
])
def test_bad_config_is_refused_with_a_message(kw, needle):
    with pytest.raises(ScorevizError, match=needle):
        small_cfg(**kw)


def test_unknown_config_fields_are_refused():
    with pytest.raises(ScorevizError, match="unknown"):
        SessionConfig.from_dict({"density": "moons", "bogus": 1})


def test_auto_device_is_cpu_without_accelerators():
    if torch.cuda.is_available():
        assert resolve_device("auto").type == "cuda"
    else:
        assert resolve_device("auto").type in ("cpu", "mps")
    with pytest.raises(ScorevizError):
        resolve_device("nonsense")


def test_core_never_imports_qt():
    code = (
        "import sys\n"
        "from scoreviz.core.session import Session, SessionConfig\n"
        "from scoreviz.core.models import ModelConfig\n"
        "from scoreviz.core import densities, objectives, samplers, metrics, fields, export, snapshot\n"
        "s = Session(SessionConfig(model=ModelConfig(hidden=16, layers=1), batch=32, device='cpu'))\n"
        "s.step(); s.advance_particles(1)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_same_seed_gives_same_batches_whatever_the_objective():
    seen = {}
    for name in ("dsm", "ssm", "esm"):
        s = Session(small_cfg(objective=ObjectiveConfig(name=name)))
        batches = []
        real = s.density.sample
        s.density.sample = lambda n, g, real=real: batches.append(real(n, g)) or batches[-1]
        s.train(3)
        seen[name] = torch.stack(batches)
    assert torch.equal(seen["dsm"], seen["ssm"]) and torch.equal(seen["dsm"], seen["esm"])
