"""Helpers shared by the test folders (importable as ``helpers``: pyproject's pytest ``pythonpath``).

Plain functions and constants only; fixtures live in each folder's ``conftest.py``.
"""

from __future__ import annotations

from dataclasses import replace

from scoreviz.core.models import ModelConfig
from scoreviz.core.session import SamplerConfig, SessionConfig

# the compare window trains several models at once: a light configuration where size does not matter
COMPARE_BASE = SessionConfig(density="8gaussians", model=ModelConfig(hidden=32, layers=2), batch=64, seed=3,
                             device="cpu", sampler=SamplerConfig(n_particles=16))
COMPARE_PAIR = "esm,dsm:sigma=0.3"


def small_config(**changes) -> SessionConfig:
    """The default session, lighter where it does not matter to what a test checks."""
    cfg = SessionConfig(batch=256, sampler=SamplerConfig(n_particles=2000))
    return replace(cfg, **changes)


def wait_for_frame(qtbot, window, predicate=lambda f: True, timeout=20000):
    """Wait until ``window`` (main or compare) has drawn a frame for which ``predicate(frame)`` holds; return it."""
    qtbot.waitUntil(lambda: window.last_frame is not None and predicate(window.last_frame), timeout=timeout)
    return window.last_frame
