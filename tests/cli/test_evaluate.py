"""``scoreviz evaluate`` and ``scoreviz sample --report``: the scorecard on the command line.

The contract: exactly the documented keys, sane values, lists in component order; bad sample files
(wrong shape, NaN, not an .npy, an .npz, pickled objects, missing, too many points) refused with one
line on stderr, exit code 2 and no output file."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch

from helpers import refused
from scoreviz.cli import main
from scoreviz.core.densities import make_preset
from scoreviz.core.scorecard import KEYS, MODE_KEYS

FAST = ["--hidden", "32", "--layers", "2", "--batch", "128", "--grid", "12", "--device", "cpu", "--threads", "1"]


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/conftest.py


def exact_file(tmp_path, name="ncsn-mixture", n=3000, seed=1):
    path = tmp_path / f"{name}.npy"
    np.save(path, make_preset(name).sample(n, torch.Generator().manual_seed(seed)).numpy())
    return path


def test_evaluate_writes_exactly_the_documented_keys(tmp_path, capsys):
    out = tmp_path / "card.json"
    assert main(["evaluate", "--density", "ncsn-mixture", "--samples", str(exact_file(tmp_path)),
                 "--seed", "3", "--out", str(out)]) == 0
    assert "modes found 2/2" in capsys.readouterr().out
    card = json.loads(out.read_text())
    assert list(card) == [*KEYS, *MODE_KEYS]
    assert card["n"] == 3000 and card["modes_found"] == 2
    assert card["true_mode_weights"] == pytest.approx([0.2, 0.8])  # the preset's order: (-5, -5) first
    assert card["mode_weights"] == pytest.approx([0.2, 0.8], abs=0.03) and sum(card["mode_weights"]) == pytest.approx(1)
    assert 0 <= card["kl"] < 0.05 and 0 <= card["tv"] < 0.1 and 0 <= card["sliced_wasserstein"] < 0.2
    assert 0 <= card["mmd"] < 0.05 and abs(card["mean_log_q"] - card["true_mean_log_q"]) < 0.1


def test_evaluate_on_a_grid_density_has_no_mode_keys(tmp_path):
    out = tmp_path / "card.json"
    samples = exact_file(tmp_path, "checkerboard", 2000)
    assert main(["evaluate", "--density", "checkerboard", "--samples", str(samples), "--out", str(out)]) == 0
    assert list(json.loads(out.read_text())) == list(KEYS)
    # the same samples against another density read far worse
    other = tmp_path / "other.json"
    assert main(["evaluate", "--density", "ncsn-mixture", "--samples", str(samples), "--out", str(other)]) == 0
    a, b = json.loads(out.read_text()), json.loads(other.read_text())
    assert b["kl"] > 10 * a["kl"] and b["mode_weights"][0] > 0.4  # the board is symmetric: 1/2 : 1/2


def _write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, dict):
        np.savez(path, **content)
    else:
        np.save(path, content, allow_pickle=True)
    return path


@pytest.mark.parametrize("name, content, needle", [
    ("shape.npy", np.zeros((10, 3)), "(10, 3)"),
    ("flat.npy", np.zeros(20), "(20,)"),
    ("nan.npy", np.array([[0.0, 1.0], [np.nan, 2.0]]), "nan"),
    ("inf.npy", np.array([[0.0, 1.0], [2.0, np.inf]]), "inf"),
    ("ints.npy", np.zeros((10, 2), dtype=np.int64), "int64"),
    ("one.npy", np.zeros((1, 2)), "evaluate_points"),
    ("text.npy", b"0.0 1.0\n2.0 3.0\n", "not an .npy file"),
    ("empty.npy", b"", "not an .npy file"),
    ("pickle.npy", pickle.dumps([[0.0, 1.0], [2.0, 3.0]]), "not an .npy file"),
    ("objects.npy", np.array([[0.0, None], [1.0, 2.0]], dtype=object), "allow_pickle"),
    ("archive.npz", {"x": np.zeros((5, 2))}, ".npz"),
    ("far.npy", np.array([[0.0, 1.0], [3e6, 2.0]]), "3000000"),
])
def test_bad_sample_files_are_refused_with_one_line_and_nothing_written(tmp_path, capsys, name, content, needle):
    samples = _write(tmp_path, name, content)
    out = tmp_path / "card.json"
    line = refused(capsys, ["evaluate", "--density", "ncsn-mixture", "--samples", str(samples), "--out", str(out)], out)
    assert needle in line and name in line


def test_truncated_and_oversized_files_are_refused(tmp_path, capsys):
    good = exact_file(tmp_path)
    cut = tmp_path / "cut.npy"
    cut.write_bytes(good.read_bytes()[:200])
    out = tmp_path / "card.json"
    assert "cut.npy" in refused(capsys, ["evaluate", "--density", "ncsn-mixture", "--samples", str(cut),
                                         "--out", str(out)], out)
    many = tmp_path / "many.npy"
    np.save(many, np.zeros((1_000_001, 2), dtype=np.float32))  # one point over the limit
    line = refused(capsys, ["evaluate", "--density", "ncsn-mixture", "--samples", str(many), "--out", str(out)], out)
    assert "1000001" in line and "evaluate_points" in line


@pytest.mark.parametrize("args, needle", [
    (["--samples", "MISSING"], "not found"),
    (["--samples", "FOLDER"], "is a folder"),
    (["--density", "nosuch"], "nosuch"),
    (["--out", "card.txt"], ".json"),
    (["--out", "nodir/card.json"], "does not exist"),
])
def test_bad_arguments_are_refused(tmp_path, capsys, args, needle):
    (tmp_path / "FOLDER").mkdir()
    argv = {"--density": "ncsn-mixture", "--samples": str(exact_file(tmp_path)), "--out": str(tmp_path / "card.json")}
    for flag, value in zip(args[::2], args[1::2]):
        argv[flag] = value if value in ("nosuch",) else str(tmp_path / value)
    out = tmp_path / "card.json"
    line = refused(capsys, ["evaluate", *[x for kv in argv.items() for x in kv]], out)
    assert needle in line
    assert not (tmp_path / "card.txt").exists()


def test_a_user_running_evaluate_sees_one_line_and_exit_2(tmp_path):
    out = tmp_path / "card.json"
    r = subprocess.run([sys.executable, "-m", "scoreviz", "evaluate", "--density", "ncsn-mixture",
                        "--samples", str(tmp_path / "none.npy"), "--out", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "none.npy" in r.stderr
    assert not out.exists()


def test_sample_report_is_the_scorecard_of_the_particles(tmp_path):
    particles, report = tmp_path / "p.npy", tmp_path / "report.json"
    assert main(["sample", "--density", "ncsn-mixture", "--score", "true", "--sampler", "annealed", "--n", "1000",
                 "--steps-per-level", "50", "--init", "uniform:-8,8", "--seed", "2", "--threads", "1",
                 "--out", str(particles), "--report", str(report)]) == 0
    card = json.loads(report.read_text())
    assert list(card) == [*KEYS, *MODE_KEYS] and card["n"] == 1000
    assert card["mode_weights"][0] == pytest.approx(0.2, abs=0.06)  # annealed Langevin finds the 1/5 mode
    # evaluate on the written particles with the same seed gives the same scorecard
    again = tmp_path / "again.json"
    assert main(["evaluate", "--density", "ncsn-mixture", "--samples", str(particles), "--seed", "2",
                 "--out", str(again)]) == 0
    assert json.loads(again.read_text()) == card


def test_sample_report_with_a_trained_model_scores_against_its_density(tmp_path):
    run = tmp_path / "run"
    assert main(["train", "--density", "gaussian", "--objective", "dsm", "--steps", "20", *FAST,
                 "--out", str(run)]) == 0
    report = tmp_path / "r.json"
    assert main(["sample", "--score", str(run), "--n", "300", "--steps", "20", "--out", str(tmp_path / "q.npy"),
                 "--report", str(report)]) == 0
    card = json.loads(report.read_text())
    assert card["n"] == 300 and card["true_mode_weights"] == [1.0] and card["mode_weights"] == [1.0]


def test_sample_with_a_bad_report_name_writes_nothing(tmp_path, capsys):
    particles = tmp_path / "p.npy"
    line = refused(capsys, ["sample", "--score", "true", "--n", "10", "--steps", "2", "--out", str(particles),
                            "--report", str(tmp_path / "r.txt")], particles)
    assert "--report" in line and ".json" in line
