"""The work budget on the command line (issue 12): a configuration whose settings each pass their own
limit but together ask for too much is refused before any work, with exit code 2, one line on stderr
naming the product and what to lower, and nothing written. The regression: the issue's 15.7 KB
session with every setting at its maximum made ``train --resume FILE --steps 1`` take 12 GB."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import max_everything_config, plant_config
from scoreviz.cli import main
from scoreviz.core.models import ModelConfig
from scoreviz.core.session import SamplerConfig, Session, SessionConfig
from scoreviz.core.session_file import save_session

ROOT = Path(__file__).resolve().parents[2]
FAST = ["--device", "cpu", "--threads", "1"]
# runs the CLI in its own process and writes its peak resident memory (KiB) to argv[1]
MEASURED = """
import resource, sys
from scoreviz.cli import main
try:
    code = main(sys.argv[2:])
finally:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    open(sys.argv[1], "w").write(str(peak // 1024 if sys.platform == "darwin" else peak))
sys.exit(code)
"""


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def _one_line_refusal(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("scoreviz: error: ") and "Traceback" not in err, err
    return lines[0]


@pytest.fixture
def hostile(tmp_path) -> Path:
    """The issue's file: a small saved session whose config is planted with every setting at its maximum."""
    small = tmp_path / "small.scoreviz"
    save_session(small, Session(SessionConfig(model=ModelConfig(hidden=8, layers=1), batch=16, device="cpu",
                                              sampler=SamplerConfig(n_particles=10))))
    path = tmp_path / "hostile.scoreviz"
    plant_config(small, path, max_everything_config())
    return path


def test_train_resume_of_the_max_everything_session_exits_2_at_once(tmp_path, hostile):
    out, peak = tmp_path / "run", tmp_path / "peak"
    r = subprocess.run([sys.executable, "-c", MEASURED, str(peak), "train", "--resume", str(hostile), "--steps", "1",
                        "--device", "cpu", "--out", str(out)], capture_output=True, text=True, timeout=300,
                       env=_env(), cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    line = _one_line_refusal(r.stderr)
    assert line == ("scoreviz: error: 'hostile.scoreviz': this configuration needs 1.17e8 parameters in the network "
                    "(hidden=4096, layers=8); the most allowed is 5e6 parameters: lower hidden or layers")
    assert r.stdout == ""
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["hostile.scoreviz", "peak", "small.scoreviz"]
    assert int(peak.read_text()) < 1_000_000  # KiB: the process's own memory (it took 12 GB before the budget)


def test_train_with_every_setting_at_its_maximum_exits_2(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(["train", "--density", "moons", "--objective", "ssm", "--projections", "64", "--hidden", "4096",
                 "--layers", "8", "--batch", "65536", "--grid", "512", "--steps", "1", *FAST, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "this configuration needs 1.17e8 parameters in the network" in _one_line_refusal(err)
    assert not out.exists()
    # a network within budget: the training step's product is named, with what to lower
    code = main(["train", "--density", "moons", "--objective", "ssm", "--projections", "64", "--hidden", "128",
                 "--layers", "3", "--batch", "65536", "--grid", "512", "--steps", "1", *FAST, "--out", str(out)])
    line = _one_line_refusal(capsys.readouterr().err)
    assert code == 2 and not out.exists()
    assert line.startswith("scoreviz: error: this configuration needs ")
    assert "per training step (objective=ssm, batch=65536, projections=64, hidden=128, layers=3)" in line
    assert line.endswith("lower batch, projections or hidden")
    # the field on a 512 x 512 grid with a network too large for it
    code = main(["train", "--density", "moons", "--hidden", "256", "--layers", "4", "--batch", "64", "--grid", "512",
                 "--steps", "1", *FAST, "--out", str(out)])
    line = _one_line_refusal(capsys.readouterr().err)
    assert code == 2 and not out.exists()
    assert "per field on the grid (grid=512, hidden=256, layers=4)" in line and line.endswith("lower grid or hidden")


def test_compare_over_budget_exits_2(tmp_path, capsys):
    out = tmp_path / "cmp"
    code = main(["compare", "--density", "moons", "--objectives", "esm,ssm:projections=64", "--batch", "65536",
                 "--steps", "2", "--eval-every", "1", *FAST, "--out", str(out)])
    line = _one_line_refusal(capsys.readouterr().err)
    assert code == 2 and not out.exists()
    assert "per training step (objective=ssm, batch=65536, projections=64" in line


def test_sample_with_a_million_particles_of_a_trained_model_exits_2(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["train", "--density", "moons", "--hidden", "64", "--layers", "1", "--batch", "32", "--grid", "8",
                 "--steps", "2", *FAST, "--out", str(run)]) == 0
    capsys.readouterr()
    npy = tmp_path / "p.npy"
    code = main(["sample", "--score", str(run), "--n", "1000000", "--steps", "1", *FAST, "--out", str(npy)])
    line = _one_line_refusal(capsys.readouterr().err)
    assert code == 2 and not npy.exists()
    assert "GB of memory per sampler step (n_particles=1000000, hidden=64, layers=1)" in line
    assert line.endswith("lower n_particles or hidden")
    assert main(["sample", "--score", str(run), "--n", "1000", "--steps", "1", *FAST, "--out", str(npy)]) == 0
    assert npy.is_file()
