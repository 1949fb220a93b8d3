"""The command line end to end: list, train, sample, and bad input."""

import json
import subprocess
import sys

import numpy as np
import pytest
import torch

from scoreviz.cli import main
from scoreviz.core.densities import make_preset

FAST = ["--hidden", "32", "--layers", "2", "--batch", "128", "--grid", "12", "--device", "cpu", "--threads", "1"]


def run_cli(*args):
    """scoreviz as a user runs it: a separate process."""
    return subprocess.run([sys.executable, "-m", "scoreviz", *args], capture_output=True, text=True, timeout=300)


def test_list_names_every_choice(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name in ["gaussian", "ncsn-mixture", "8gaussians", "checkerboard", "moons", "circles", "rings",
                 "swissroll", "2spirals", "pinwheel", "banana", "esm", "ism", "ssm", "ssm-vr", "dsm", "ncsn",
                 "langevin", "annealed", "silu", "softplus", "tanh", "elu", "relu", "energy"]:
        assert name in out, name


def test_train_writes_documented_files(tmp_path, capsys):
    out = tmp_path / "run"
    rc = main(["train", "--density", "gaussian", "--objective", "dsm", "--sigma", "0.3", "--steps", "30",
               "--seed", "1", *FAST, "--out", str(out)])
    assert rc == 0, capsys.readouterr().err
    f = np.load(out / "field.npz")
    assert f["xs"].shape == (12,) and f["ys"].shape == (12,)
    assert f["learned"].shape == (12, 12, 2) and f["true"].shape == (12, 12, 2)
    assert f["log_density"].shape == (12, 12)
    assert float(f["sigma"]) == pytest.approx(0.3)
    # layout: true[i, j] is the target's score at (xs[j], ys[i]); log_density is p's (not p_sigma's)
    d = make_preset("gaussian")
    i, j = 2, 9
    pt = torch.tensor([[f["xs"][j], f["ys"][i]]])
    assert np.allclose(f["true"][i, j], d.perturbed(0.3).score(pt)[0].numpy(), rtol=1e-4, atol=1e-5)
    assert f["log_density"][i, j] == pytest.approx(float(d.log_prob(pt)[0]), rel=1e-4)
    m = json.loads((out / "metrics.json").read_text())
    for key in ["density", "objective", "steps", "seed", "device", "seconds", "steps_per_second", "final_loss",
                "fisher_divergence", "relative_fisher_divergence", "loss_history"]:
        assert key in m, key
    assert m["steps"] == 30 and len(m["loss_history"]) == 30 and m["seed"] == 1 and m["device"] == "cpu"
    assert m["final_loss"] == m["loss_history"][-1]
    assert (out / "model.pt").is_file() and (out / "model.json").is_file()


def test_train_is_deterministic(tmp_path):
    for name in ("a", "b"):
        assert main(["train", "--density", "moons", "--steps", "15", *FAST, "--out", str(tmp_path / name)]) == 0
    fa, fb = np.load(tmp_path / "a" / "field.npz"), np.load(tmp_path / "b" / "field.npz")
    assert np.array_equal(fa["learned"], fb["learned"])


def test_sample_with_true_score_and_with_trained_model(tmp_path):
    out = tmp_path / "p.npy"
    assert main(["sample", "--density", "ncsn-mixture", "--score", "true", "--sampler", "annealed", "--n", "2000",
                 "--steps-per-level", "100", "--step-size", "0.1", "--init", "uniform:-8,8", "--out", str(out)]) == 0
    x = np.load(out)
    assert x.shape == (2000, 2)
    frac = float((x[:, 0] > 0).mean())
    assert 0.72 < frac < 0.88  # annealed Langevin recovers the 4/5 mode weight
    run = tmp_path / "run"
    assert main(["train", "--density", "gaussian", "--objective", "ncsn", "--sigma-max", "1", "--sigma-min", "0.1",
                 "--levels", "4", "--steps", "20", *FAST, "--out", str(run)]) == 0
    out2 = tmp_path / "q.npy"
    assert main(["sample", "--score", str(run), "--n", "300", "--steps", "20", "--step-size", "0.01",
                 "--out", str(out2)]) == 0
    assert np.load(out2).shape == (300, 2)


@pytest.mark.parametrize("args, needle", [
    (["train", "--density", "nosuch", "--steps", "5"], "nosuch"),
    (["train", "--objective", "mle", "--steps", "5"], "mle"),
    (["train", "--sigma", "0", "--steps", "5"], "0"),
    (["train", "--steps", "0"], "--steps"),
    (["train", "--batch", "-3", "--steps", "5"], "-3"),
    (["train", "--density", "missing-image.png", "--steps", "5"], "missing-image.png"),
    (["train", "--density", "expr:__import__('os')", "--steps", "5"], "__import__"),
    (["train", "--objective", "ism", "--activation", "relu", "--steps", "5"], "relu"),
    (["train", "--density-param", "bogus=1", "--steps", "5"], "bogus"),
])
def test_bad_input_exits_2_with_one_line_and_no_output(tmp_path, args, needle):
    out = tmp_path / "never"
    r = run_cli(*args, "--device", "cpu", "--out", str(out))
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert needle in lines[0]
    assert "Traceback" not in r.stderr
    assert not out.exists()


def test_bad_density_file_and_unwritable_out(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    r = run_cli("train", "--density", str(bad), "--steps", "2", "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "bad.json" in r.stderr
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = run_cli("train", "--steps", "2", *FAST, "--out", str(blocker / "sub"))
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = run_cli("sample", "--score", "true", "--out", str(tmp_path / "x.txt"))
    assert r.returncode == 2 and ".npy" in r.stderr


def test_diverged_run_exits_3_and_writes_nothing(tmp_path):
    out = tmp_path / "run"
    # a needle-thin Gaussian: true scores of order 1e20, so the esm loss overflows float32 at once
    spec = {"scoreviz_density": 1, "type": "mixture", "weights": [1.0], "means": [[0.0, 0.0]],
            "covariances": [[[1e-40, 0.0], [0.0, 1e-40]]], "box": [-1, 1, -1, 1]}
    dfile = tmp_path / "thin.json"
    dfile.write_text(json.dumps(spec))
    r = run_cli("train", "--density", str(dfile), "--objective", "esm", "--steps", "50", *FAST,
                "--out", str(out))
    assert r.returncode == 3, r.stderr
    assert "diverged at step" in r.stderr and "learning rate" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()


def test_python_dash_m_and_help():
    r = run_cli("--help")
    assert r.returncode == 0 and "train" in r.stdout and "sample" in r.stdout


def test_train_then_resume_equals_straight_run_bit_for_bit(tmp_path):
    common = ["--density", "moons", "--objective", "ssm", "--seed", "5", *FAST]
    assert main(["train", *common, "--steps", "40", "--out", str(tmp_path / "straight")]) == 0
    assert main(["train", *common, "--steps", "20", "--out", str(tmp_path / "first")]) == 0
    assert (tmp_path / "first" / "session.scoreviz").is_file()
    assert main(["train", "--resume", str(tmp_path / "first" / "session.scoreviz"), "--steps", "20",
                 "--out", str(tmp_path / "second")]) == 0
    a = json.loads((tmp_path / "straight" / "metrics.json").read_text())
    b = json.loads((tmp_path / "second" / "metrics.json").read_text())
    assert b["steps"] == 40 and b["steps_this_run"] == 20
    assert a["loss_history"] == b["loss_history"]
    fa, fb = np.load(tmp_path / "straight" / "field.npz"), np.load(tmp_path / "second" / "field.npz")
    assert np.array_equal(fa["learned"], fb["learned"])


def test_resume_refuses_a_foreign_file(tmp_path):
    bogus = tmp_path / "x.scoreviz"
    bogus.write_bytes(b"PK\x03\x04 definitely not a zip")
    r = run_cli("train", "--resume", str(bogus), "--steps", "2", "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "x.scoreviz" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not (tmp_path / "o").exists()


def test_what_a_file_or_argument_says_reaches_the_terminal_only_as_text(tmp_path):
    """Issue 12: escape sequences in a path or a value are printed escaped (\\xNN), never raw."""
    evil = tmp_path / "\x1b]0;owned\x07\x1b[2Jpic.png"
    r = run_cli("train", "--density", str(evil), "--steps", "2", "--device", "cpu", "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr
    assert "\\x1b]0;owned\\x07\\x1b[2Jpic.png" in r.stderr  # the user still sees which file, escaped
    r = run_cli("train", "--lr", "\x1b[31m0.1", "--steps", "2", "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "\x1b" not in r.stderr and "\\x1b[31m0.1" in r.stderr


def test_resume_honours_device_for_a_session_saved_on_a_gpu(tmp_path):
    """Issue 12: a session saved on CUDA resumes on the CPU with --device cpu (--device was ignored)."""
    import zipfile

    from scoreviz.core.session import Session, SessionConfig
    from scoreviz.core.session_file import save_session

    path = tmp_path / "gpu.scoreviz"
    save_session(path, Session(SessionConfig(batch=32, device="cpu")))
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    meta = json.loads(members["session.json"])
    meta["config"]["device"] = "cuda"  # as saved on a machine with a GPU
    members["session.json"] = json.dumps(meta).encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in members.items():
            z.writestr(n, data)
    out = tmp_path / "run"
    r = run_cli("train", "--resume", str(path), "--steps", "2", "--device", "cpu", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert json.loads((out / "model.json").read_text())["model"] is not None
    assert (out / "session.scoreviz").is_file()
