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


def max_everything_config() -> dict:
    """A session config (JSON dict) with every setting at its allowed maximum, as the hostile file of
    issue 12: a 4096-wide 8-layer network, batch 65 536, grid 512, 10^6 particles (and the sampler's
    and ssm's maxima). Each value passes its own limit; the work their product implies does not."""
    from scoreviz.core.limits import LIMITS

    top = {name: int(lim.max) for name, lim in LIMITS.items() if lim.integer}
    d = SessionConfig().to_dict()
    d.update(batch=top["batch"], grid=top["grid"])
    d["model"].update(hidden=top["hidden"], layers=8)
    d["objective"].update(name="ssm", projections=top["projections"])
    d["sampler"].update(n_particles=top["n_particles"], steps_per_frame=top["steps_per_frame"])
    return d


def plant_config(src, dst, config: dict) -> None:
    """Copy the session file ``src`` to ``dst`` with its config replaced by ``config`` (the arrays stay)."""
    import json
    import zipfile

    with zipfile.ZipFile(src) as z:
        meta, arrays = json.loads(z.read("session.json")), z.read("arrays.npz")
    meta["config"] = config
    with zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("session.json", json.dumps(meta))
        z.writestr("arrays.npz", arrays)


def hangul(text: str) -> bool:
    """Whether ``text`` holds a Hangul syllable (the Korean interface shows it)."""
    return any("\uac00" <= c <= "\ud7a3" for c in text)


def refused(capsys, argv, out):
    """Run the command line ``argv`` in-process; it must refuse with exit 2, one line on stderr that starts
    "scoreviz: error:" (no traceback) and write nothing at ``out``. Returns the line."""
    from scoreviz.cli import main  # lazy: the Qt-only test folders need not import the CLI

    rc = main(argv)
    err = capsys.readouterr().err
    assert rc == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("scoreviz: error:") and "Traceback" not in err, err
    assert not out.exists()
    return lines[0]
