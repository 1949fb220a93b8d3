"""Plain stubs and helpers for the Qt-free loop tests (no Qt anywhere)."""

from __future__ import annotations

import torch

from scoreviz.core.models import ModelConfig
from scoreviz.core.session import SamplerConfig, SessionConfig
from scoreviz.live.trainer import Trainer, TrainerState


def small_config(**changes) -> SessionConfig:
    """A light session on the CPU: what the tests compare does not depend on the sizes."""
    cfg = dict(model=ModelConfig(hidden=32, layers=2), batch=64, device="cpu",
               sampler=SamplerConfig(n_particles=300))
    cfg.update(changes)
    return SessionConfig(**cfg)


class Recorder:
    """The trainer's callbacks, recorded."""

    def __init__(self):
        self.messages, self.failures, self.running = [], [], []

    def trainer(self, cfg: SessionConfig, **kw) -> Trainer:
        return Trainer(cfg, threads=1, on_message=self.messages.append, on_failed=self.failures.append,
                       on_running=self.running.append, **kw)


def started(cfg: SessionConfig) -> tuple[Trainer, Recorder]:
    rec = Recorder()
    t = rec.trainer(cfg)
    assert t.start()
    return t, rec


def published(t: Trainer) -> TrainerState:
    t.publish(force=True)
    st = t.publish_box.take()
    assert isinstance(st, TrainerState)
    return st


def same_weights(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
