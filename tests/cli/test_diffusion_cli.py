"""Issue 13's command line: train --objective sde, sample with a process (reverse-sde, pf-ode, pc, and
langevin/annealed with a time-conditional score), likelihood; the contract and the bad inputs."""

import json
import math

import numpy as np
import pytest
import torch

from scoreviz.cli import main
from scoreviz.cli.sample_process import trajectory_keep
from scoreviz.core.densities import load_density
from scoreviz.core.marginals import marginal_density
from scoreviz.core.sde import SDE
from scoreviz.core.session_file import load_session

FAST = ["--hidden", "32", "--layers", "2", "--batch", "128", "--grid", "12", "--device", "cpu", "--threads", "1"]
CPU = ["--device", "cpu", "--threads", "1"]


@pytest.fixture(scope="module")
def sde_run(tmp_path_factory):
    """A small vp model (objective sde) trained 30 steps, fields at t = 0.3."""
    out = tmp_path_factory.mktemp("sde") / "run"
    assert main(["train", "--density", "ncsn-mixture", "--objective", "sde", "--sde", "vp", "--field-t", "0.3",
                 "--steps", "30", "--seed", "2", *FAST, "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def dsm_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("dsm") / "run"
    assert main(["train", "--density", "gaussian", "--objective", "dsm", "--steps", "3", *FAST, "--out", str(out)]) == 0
    return out


# --------------------------------------------------------------------------- train
def test_train_sde_writes_the_fields_at_field_t_and_records_the_process(sde_run):
    f = np.load(sde_run / "field.npz")
    assert float(f["t"]) == pytest.approx(0.3)
    sde = SDE("vp")
    assert float(f["sigma"]) == pytest.approx(float(sde.std(0.3)))
    # true[i, j] is the exact score of p_t at (xs[j], ys[i]) at t = --field-t
    p_t = marginal_density(load_density("ncsn-mixture"), sde, 0.3)
    i, j = 3, 8
    pt = torch.tensor([[f["xs"][j], f["ys"][i]]], dtype=torch.float64)
    assert np.allclose(f["true"][i, j], p_t.score(pt)[0].numpy(), rtol=1e-4, atol=1e-5)
    assert f["learned"].shape == (12, 12, 2) and np.isfinite(f["learned"]).all()
    info = json.loads((sde_run / "model.json").read_text())
    vp = {"kind": "vp", "beta_min": 0.1, "beta_max": 20.0, "t_eps": 0.001}
    assert {k: info["sde"][k] for k in vp} == vp and info["t"] == pytest.approx(0.3)
    assert info["objective"]["name"] == "sde" and info["objective"]["sde"] == "vp"
    assert info["model"]["time_conditional"] is True
    session, _ = load_session(sde_run / "session.scoreviz", device="cpu")
    assert {k: getattr(session.sde, k) for k in vp} == vp and session.field_t == pytest.approx(0.3)
    metrics = json.loads((sde_run / "metrics.json").read_text())
    assert metrics["objective"] == "sde" and metrics["steps"] == 30


def test_train_sde_defaults_to_t_eps_and_ve_to_the_box(tmp_path):
    out = tmp_path / "ve"
    assert main(["train", "--density", "8gaussians", "--objective", "sde", "--sde", "ve", "--weighting", "likelihood",
                 "--steps", "3", *FAST, "--out", str(out)]) == 0
    info = json.loads((out / "model.json").read_text())
    expected = SDE.for_box("ve", load_density("8gaussians").box)
    assert info["sde"] == expected.to_dict()  # sigma_min 0.01, sigma_max the box's diagonal, t_eps 1e-5
    x0, x1, y0, y1 = load_density("8gaussians").box
    assert info["sde"]["sigma_max"] == pytest.approx(math.hypot(x1 - x0, y1 - y0))
    assert info["objective"]["weighting"] == "likelihood"
    f = np.load(out / "field.npz")
    assert float(f["t"]) == pytest.approx(1e-5)
    out2 = tmp_path / "ve2"
    assert main(["train", "--density", "8gaussians", "--objective", "sde", "--sde", "ve", "--sigma-max", "5",
                 "--sigma-min", "0.05", "--t-eps", "0.001", "--steps", "2", *FAST, "--out", str(out2)]) == 0
    sde = json.loads((out2 / "model.json").read_text())["sde"]
    assert (sde["sigma_min"], sde["sigma_max"], sde["t_eps"]) == (0.05, 5.0, 0.001)


def test_train_resume_takes_field_t(tmp_path, sde_run):
    out = tmp_path / "again"
    assert main(["train", "--resume", str(sde_run / "session.scoreviz"), "--steps", "1", "--field-t", "0.5",
                 "--device", "cpu", "--out", str(out)]) == 0
    assert float(np.load(out / "field.npz")["t"]) == pytest.approx(0.5)


# --------------------------------------------------------------------------- sample
@pytest.mark.parametrize("sampler, extra", [
    ("reverse-sde", []),
    ("pf-ode", ["--solver", "euler"]),
    ("pf-ode", ["--solver", "heun"]),
    ("pf-ode", ["--solver", "rk45", "--rtol", "1e-3", "--atol", "1e-3"]),
    ("pc", ["--snr", "0.1", "--corrector-steps", "2"]),
])
def test_sample_with_the_true_score_writes_samples_and_trajectories(tmp_path, sampler, extra):
    out, traj = tmp_path / "x.npy", tmp_path / "traj.npy"
    n, steps = 64, 20
    assert main(["sample", "--density", "ncsn-mixture", "--score", "true", "--sampler", sampler, *extra,
                 "--n", str(n), "--steps", str(steps), "--seed", "4", *CPU, "--trajectories", str(traj),
                 "--out", str(out)]) == 0
    x, tr = np.load(out), np.load(traj)
    assert x.shape == (n, 2) and x.dtype == np.float32 and np.isfinite(x).all()
    assert tr.shape == (trajectory_keep(steps), n, 2) == (steps + 1, n, 2) and tr.dtype == np.float32
    prior = SDE("vp").prior_sample(n, torch.Generator().manual_seed(4))  # both ends: the prior first ...
    assert np.array_equal(tr[0], prior.numpy())
    assert np.array_equal(tr[-1], x)  # ... the samples last


def test_trajectories_keep_at_most_101_positions(tmp_path):
    out, traj = tmp_path / "x.npy", tmp_path / "traj.npy"
    assert main(["sample", "--density", "gaussian", "--score", "true", "--sampler", "reverse-sde", "--sde", "ve",
                 "--n", "8", "--steps", "150", *CPU, "--trajectories", str(traj), "--out", str(out)]) == 0
    tr = np.load(traj)
    assert tr.shape == (101, 8, 2) and np.array_equal(tr[-1], np.load(out))
    assert np.abs(tr[0]).max() > 3 * np.abs(tr[-1]).max()  # ve's prior is wide (sigma_max = the box's diagonal)


def test_sample_recovers_the_ncsn_mixture_weights_with_the_true_score(tmp_path):
    out = tmp_path / "x.npy"
    assert main(["sample", "--density", "ncsn-mixture", "--score", "true", "--sampler", "reverse-sde",
                 "--n", "2000", "--steps", "100", *CPU, "--out", str(out)]) == 0
    assert 0.74 < float((np.load(out)[:, 0] > 0).mean()) < 0.86  # the 4/5 mode weight


def test_sample_with_a_model_uses_its_own_process(tmp_path, sde_run, capsys):
    for sampler, extra, says in (("pc", [], "pc, 10 steps"), ("pf-ode", ["--solver", "heun"], "pf-ode heun"),
                                 ("reverse-sde", ["--sde", "vp", "--beta-max", "20"], "reverse-sde"),
                                 ("langevin", [], "langevin at t_eps = 0.001"),
                                 ("annealed", ["--levels", "3", "--steps-per-level", "4"], "annealed at std(t_i)")):
        out = tmp_path / f"{sampler}.npy"
        assert main(["sample", "--score", str(sde_run), "--sampler", sampler, *extra, "--n", "50", "--steps", "10",
                     *CPU, "--out", str(out)]) == 0, capsys.readouterr().err
        assert np.load(out).shape == (50, 2)
        printed = capsys.readouterr().out
        assert says in printed and "vp (β 0.1…20, t ≥ 0.001)" in printed  # the model's own process


def test_annealed_with_a_model_runs_through_std_of_t(tmp_path, sde_run, capsys):
    out = tmp_path / "a.npy"
    assert main(["sample", "--score", str(sde_run), "--sampler", "annealed", "--levels", "4", "--steps-per-level",
                 "3", "--n", "20", *CPU, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "annealed at std(t_i), 4 times from 1 to 0.001" in printed
    eps = 0.1 * float(SDE("vp").std(0.001)) ** 2
    assert f"step {eps:g}" in printed


# --------------------------------------------------------------------------- likelihood
@pytest.mark.parametrize("kind", ["vp", "ve"])
def test_likelihood_with_the_true_score_equals_the_exact_log_density(tmp_path, kind):
    out = tmp_path / "lk"
    assert main(["likelihood", "--density", "ncsn-mixture", "--score", "true", "--sde", kind, "--n", "12",
                 "--seed", "3", "--rtol", "1e-5", "--atol", "1e-5", *CPU, "--out", str(out)]) == 0
    z = np.load(out / "likelihood.npz")
    x, lp = z["x"], z["log_prob"]
    assert x.shape == (12, 2) and lp.shape == (12,)
    d = load_density("ncsn-mixture")
    assert np.array_equal(x, d.sample(12, torch.Generator().manual_seed(3)).double().numpy())  # exact, seeded samples
    sde = SDE.for_box(kind, d.box)
    exact = marginal_density(d, sde, sde.t_eps).log_prob(torch.from_numpy(x)).numpy()
    assert np.abs(lp - exact).max() < 1e-3  # within the solver tolerance
    s = json.loads((out / "likelihood.json").read_text())
    for key in ("nll_mean", "nll_std_error", "true_nll_mean", "nfe", "seconds"):
        assert key in s, key
    assert s["nll_mean"] == pytest.approx(-lp.mean()) and s["true_nll_mean"] == pytest.approx(-exact.mean())
    assert s["nll_std_error"] == pytest.approx(lp.std(ddof=1) / math.sqrt(12))
    used = ("kind", "t_eps", *(("sigma_min", "sigma_max") if kind == "ve" else ("beta_min", "beta_max")))
    assert s["nfe"] > 0 and s["seconds"] > 0 and all(s["sde"][k] == getattr(sde, k) for k in used)
    assert abs(s["nll_mean"] - s["true_nll_mean"]) < 1e-3


def test_likelihood_of_a_model(tmp_path, sde_run):
    out = tmp_path / "lk"
    assert main(["likelihood", "--score", str(sde_run), "--n", "6", "--rtol", "1e-3", "--atol", "1e-3", *CPU,
                 "--out", str(out)]) == 0
    z = np.load(out / "likelihood.npz")
    assert z["x"].shape == (6, 2) and np.isfinite(z["log_prob"]).all()
    s = json.loads((out / "likelihood.json").read_text())
    assert s["density"] == "ncsn-mixture" and s["sde"]["kind"] == "vp" and s["end_density"].startswith("N(0")


def test_list_shows_processes_and_samplers(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name in ("sde", "reverse-sde", "pf-ode", "pc", "ve", "vp", "subvp", "--weighting", "--t-eps"):
        assert name in out, name


# --------------------------------------------------------------------------- bad input
TRAIN_BAD = [
    (["--objective", "sde", "--sde", "xx"], "xx"),
    (["--objective", "dsm", "--sde", "vp"], "--sde"),
    (["--objective", "ncsn", "--beta-min", "1"], "--beta-min"),
    (["--objective", "esm", "--weighting", "likelihood"], "--weighting"),
    (["--objective", "dsm", "--field-t", "0.5"], "--field-t"),
    (["--objective", "sde", "--field-t", "2"], "field_t"),
    (["--objective", "sde", "--sde", "ve", "--field-t", "0.000001"], "field_t"),
    (["--objective", "sde", "--sde", "vp", "--sigma-max", "3"], "--sigma-max"),
    (["--objective", "sde", "--sde", "ve", "--beta-max", "3"], "--beta-max"),
    (["--objective", "sde", "--t-eps", "0.5"], "t_eps"),
    (["--objective", "sde", "--beta-min", "30", "--beta-max", "20"], "beta_max"),
    (["--objective", "sde", "--sde", "ve", "--sigma-min", "50"], "sigma_max"),
]


def _refused(capsys, argv, needle, *never):
    assert main(argv) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert needle in lines[0], lines[0]
    assert "Traceback" not in lines[0]
    for path in never:
        assert not path.exists(), path


@pytest.mark.parametrize("args, needle", TRAIN_BAD)
def test_train_bad_input(tmp_path, capsys, args, needle):
    out = tmp_path / "never"
    _refused(capsys, ["train", "--density", "gaussian", *args, "--steps", "2", *FAST, "--out", str(out)], needle, out)


SAMPLE_BAD = [
    (["--sampler", "pc", "--snr", "0"], "snr"),
    (["--sampler", "pc", "--corrector-steps", "0"], "corrector_steps"),
    (["--sampler", "pf-ode", "--solver", "rk45", "--rtol", "0"], "rtol"),
    (["--sampler", "pf-ode", "--solver", "rk45", "--atol", "1"], "atol"),
    (["--sampler", "pf-ode", "--solver", "rk4"], "rk4"),
    (["--sampler", "ode"], "ode"),
    (["--sampler", "pc", "--sde", "vx"], "vx"),
    (["--sampler", "pc", "--steps", "0"], "steps"),
    (["--sampler", "reverse-sde", "--solver", "heun"], "--solver"),
    (["--sampler", "pf-ode", "--rtol", "1e-3"], "--rtol"),
    (["--sampler", "reverse-sde", "--snr", "0.1"], "--snr"),
    (["--sampler", "pc", "--init", "gaussian:1"], "--init"),
    (["--sampler", "pf-ode", "--step-size", "0.1"], "--step-size"),
    (["--sampler", "langevin", "--trajectories", "TRAJ"], "--trajectories"),
    (["--sampler", "annealed", "--snr", "0.1"], "--snr"),
    (["--sampler", "pc", "--sde", "vp", "--sigma-max", "4"], "--sigma-max"),
    (["--sampler", "pc", "--sde", "ve", "--beta-max", "4"], "--beta-max"),
    (["--sampler", "pc", "--t-eps", "0.5"], "t_eps"),
    (["--sampler", "pc", "--trajectories", "traj.txt"], ".npy"),
    (["--sampler", "pc", "--trajectories", "OUT"], "same file"),
]


@pytest.mark.parametrize("args, needle", SAMPLE_BAD)
def test_sample_bad_input(tmp_path, capsys, args, needle):
    out, traj = tmp_path / "never.npy", tmp_path / "traj.npy"
    args = [str(traj) if a == "TRAJ" else str(out) if a == "OUT" else str(tmp_path / a) if a.endswith(".txt") else a
            for a in args]
    _refused(capsys, ["sample", "--density", "gaussian", "--score", "true", *args, "--n", "8", "--steps", "4", *CPU,
                      "--out", str(out)], needle, out, traj)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, needle", [
    (["--sampler", "pc", "--sde", "ve"], "conflicts with the model's own process"),
    (["--sampler", "reverse-sde", "--t-eps", "0.01"], "--t-eps 0.01 conflicts"),
    (["--sampler", "pf-ode", "--beta-max", "10"], "--beta-max 10 conflicts"),
    (["--sampler", "pc", "--sigma-max", "3"], "--sigma-max"),
    (["--sampler", "langevin", "--sde", "subvp"], "conflicts with the model's own process"),
])
def test_sample_refuses_flags_that_contradict_the_models_process(tmp_path, capsys, sde_run, args, needle):
    out = tmp_path / "never.npy"
    _refused(capsys, ["sample", "--score", str(sde_run), *args, "--n", "8", "--steps", "4", *CPU, "--out", str(out)],
             needle, out)


def test_process_samplers_refuse_a_model_without_a_time_axis(tmp_path, capsys, dsm_run):
    out = tmp_path / "never.npy"
    _refused(capsys, ["sample", "--score", str(dsm_run), "--sampler", "pc", "--n", "8", "--steps", "4", *CPU,
                      "--out", str(out)], "no time axis", out)
    _refused(capsys, ["likelihood", "--score", str(dsm_run), "--n", "4", *CPU, "--out", str(tmp_path / "lk")],
             "no time axis", tmp_path / "lk")


@pytest.mark.parametrize("args, needle", [
    (["--score", "true", "--n", "1"], "--n 1"),
    (["--score", "true", "--rtol", "0"], "rtol"),
    (["--score", "true", "--atol", "-1"], "atol"),
    (["--score", "true", "--sde", "bogus"], "bogus"),
    (["--score", "true", "--sde", "ve", "--beta-min", "1"], "--beta-min"),
    (["--score", "true", "--density", "nosuch"], "nosuch"),
    (["--score", "SDE_RUN", "--sde", "ve"], "conflicts with the model's own process"),
    (["--score", "SDE_RUN", "--t-eps", "0.002"], "--t-eps 0.002 conflicts"),
    (["--score", "missing-folder"], "missing-folder"),
])
def test_likelihood_bad_input(tmp_path, capsys, sde_run, args, needle):
    out = tmp_path / "never"
    args = [str(sde_run) if a == "SDE_RUN" else str(tmp_path / a) if a == "missing-folder" else a for a in args]
    _refused(capsys, ["likelihood", *args, *CPU, "--out", str(out)], needle, out)
    assert list(tmp_path.iterdir()) == []
