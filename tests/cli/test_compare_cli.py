"""``scoreviz compare`` end to end: the three files with their documented columns and keys; bad lists refused."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scoreviz.cli import main
from scoreviz.core.compare import CURVE_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
SMALL = ["--hidden", "32", "--layers", "2", "--batch", "64", "--grid", "16", "--device", "cpu", "--threads", "1"]
SUMMARY_KEYS = {"objective", "steps", "seconds", "steps_per_second", "final_loss", "fisher_divergence",
                "relative_fisher_divergence", "sigma"}


def run_cli(*args):
    """scoreviz as a user runs it: a separate process (offscreen Qt when there is no display)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "scoreviz", *args], capture_output=True, text=True, timeout=300,
                          env=env, cwd=ROOT)


def test_compare_writes_curves_summary_and_figure(tmp_path):
    out = tmp_path / "cmp"
    r = run_cli("compare", "--density", "moons", "--objectives", "esm,ssm,dsm:sigma=0.5", "ssm:projections=2",
                "--steps", "30", "--eval-every", "10", "--seed", "4", "--size", "640x400", *SMALL, "--out", str(out))
    assert r.returncode == 0, r.stderr[-2000:]
    assert sorted(p.name for p in out.iterdir()) == ["compare.png", "curves.csv", "summary.json"]  # no temporaries

    rows = list(csv.DictReader(open(out / "curves.csv")))
    assert tuple(rows[0].keys()) == CURVE_COLUMNS == ("objective", "step", "seconds", "loss", "fisher_divergence",
                                                      "relative_fisher_divergence")
    labels = ["esm", "ssm(projections=2)", "dsm(sigma=0.5)"]
    assert sorted({r["objective"] for r in rows}) == sorted(labels)
    for lab in labels:  # measured at 0, 10, 20, 30: monotone in step and in seconds
        pts = [r for r in rows if r["objective"] == lab]
        steps = [int(p["step"]) for p in pts]
        seconds = [float(p["seconds"]) for p in pts]
        assert steps == [0, 10, 20, 30], lab
        assert seconds[0] == 0.0 and all(b > a for a, b in zip(seconds, seconds[1:])), lab
        assert all(float(p["relative_fisher_divergence"]) > 0 for p in pts)
        assert all(float(p["fisher_divergence"]) >= 0 for p in pts)
        assert all(float(p["loss"]) == float(p["loss"]) for p in pts[1:])  # finite numbers after step 0

    s = json.loads((out / "summary.json").read_text())
    assert s["density"] == "moons" and s["steps"] == 30 and s["seed"] == 4 and s["device"] == "cpu"
    assert list(s["configurations"]) == labels
    for lab, row in s["configurations"].items():
        assert SUMMARY_KEYS <= set(row), lab
        assert row["steps"] == 30 and row["steps_per_second"] > 0
        last = [r for r in rows if r["objective"] == lab][-1]
        assert row["relative_fisher_divergence"] == pytest.approx(float(last["relative_fisher_divergence"]))
    assert s["configurations"]["dsm(sigma=0.5)"]["sigma"] == 0.5
    assert not any("kl" in row for row in s["configurations"].values())  # no --sample: no scorecard columns
    assert s["configurations"]["ssm(projections=2)"]["objective"]["projections"] == 2

    from PIL import Image

    with Image.open(out / "compare.png") as img:
        assert img.size == (640, 400)
        colours = img.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 200  # fields, heat maps and curves: not blank
    assert "dsm(sigma=0.5)" in r.stdout and "wrote" in r.stdout


@pytest.mark.parametrize("objectives, extra, needle", [
    ("esm", [], "2 to 8"),
    ("esm,foo", [], "'foo'"),
    ("dsm,dsm", [], "twice"),
    ("esm,dsm:beta=1", [], "beta=1"),
    ("esm,dsm:sigma=-1", [], "sigma"),
    ("esm,dsm", ["ism:sigma=1"], "ism"),
    ("esm,dsm", ["--eval-every", "50"], "--eval-every"),
])
def test_bad_objective_lists_exit_2_with_one_line(tmp_path, capsys, objectives, extra, needle):
    out = tmp_path / "never"
    rc = main(["compare", "--objectives", objectives, *extra, "--steps", "30", *SMALL, "--out", str(out)])
    err = capsys.readouterr().err
    assert rc == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("scoreviz: error:") and needle in lines[0], err
    assert not out.exists()


def test_compare_sample_adds_the_scorecard_columns_of_each_learned_sampler(tmp_path):
    out = tmp_path / "cmp"
    r = run_cli("compare", "--density", "ncsn-mixture", "--objectives", "dsm,ncsn:levels=3,sde", "--steps", "20",
                "--eval-every", "10", "--size", "640x400", "--sample", "300", *SMALL, "--out", str(out))
    assert r.returncode == 0, r.stderr[-2000:]
    s = json.loads((out / "summary.json").read_text())
    rows = s["configurations"]
    expect = {"dsm(sigma=0.1)": ("langevin", 1000), "ncsn(levels=3)": ("annealed", 300), "sde": ("reverse-sde", 500)}
    assert {lab: (row["sampler"], row["sampler_steps"]) for lab, row in rows.items()} == expect
    for lab, row in rows.items():
        assert {"kl", "tv", "sliced_wasserstein", "mmd", "mean_log_q", "true_mean_log_q", "mode_weights",
                "true_mode_weights", "modes_found"} <= set(row), lab
        assert row["true_mode_weights"] == pytest.approx([0.2, 0.8]) and sum(row["mode_weights"]) == pytest.approx(1)
        assert 0 <= row["modes_found"] <= 2 and row["kl"] >= 0 and 0 <= row["tv"] <= 1
    assert "KL" in r.stdout and "(reverse-sde)" in r.stdout


def test_compare_sample_refuses_a_bad_count_in_one_line(tmp_path):
    r = run_cli("compare", "--density", "moons", "--objectives", "esm,dsm", "--steps", "5", "--sample", "0",
                *SMALL, "--out", str(tmp_path / "cmp"))
    assert r.returncode == 2 and "--sample" in r.stderr and len(r.stderr.strip().splitlines()) <= 2
    assert not (tmp_path / "cmp").exists()
