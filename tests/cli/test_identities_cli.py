"""``scoreviz identities``: the score-matching identities of a model written by ``train --out``.

The contract: the documented keys, σ defaulting to the model's own dsm σ (else 0.1), the four differences
within a few standard errors of 0; bad input refused with one line on stderr, exit code 2, nothing written."""

from __future__ import annotations

import json
import math

import pytest
import torch

from helpers import refused
from scoreviz.cli import main
from scoreviz.core.identities import ESTIMATORS, IDENTITIES

FAST = ["--hidden", "32", "--layers", "2", "--batch", "128", "--grid", "12", "--device", "cpu", "--threads", "1"]
CPU = ["--device", "cpu", "--threads", "1"]
KEYS = [*ESTIMATORS, "sigma", "n", "seed", "projections", "projection", "half_mean_sq_true_score",
        "half_mean_sq_true_score_method", "dsm_constant", "dsm_constant_method", "constant_samples", *IDENTITIES,
        "standard_errors", "std", "density", "score", "objective", "parametrization", "device", "seconds"]

pytestmark = pytest.mark.usefixtures("one_torch_thread")  # tests/conftest.py


def _train(folder, *args):
    threads = torch.get_num_threads()  # train --threads 1 sets torch's count; a module fixture restores it
    try:
        assert main(["train", "--steps", "150", *FAST, *args, "--out", str(folder)]) == 0
    finally:
        torch.set_num_threads(threads)
    return folder


@pytest.fixture(scope="module")
def dsm_run(tmp_path_factory):
    """A small vector model trained with dsm at sigma 0.2 on 8gaussians."""
    return _train(tmp_path_factory.mktemp("identities") / "dsm", "--density", "8gaussians", "--objective", "dsm",
                  "--sigma", "0.2")


def assert_holds(result, within=4.0):
    for name in IDENTITIES:
        se = result["standard_errors"][name]
        assert se > 0 and abs(result[name]) < within * se, (name, result[name], se)


def test_identities_writes_the_documented_keys_and_the_identities_hold(tmp_path, dsm_run, capsys):
    out = tmp_path / "id.json"
    assert main(["identities", "--density", "8gaussians", "--score", str(dsm_run), "--n", "3000", "--seed", "4",
                 *CPU, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    r = json.loads(out.read_text())
    assert list(r) == KEYS
    assert r["sigma"] == 0.2 and r["n"] == 3000 and r["seed"] == 4  # the model's own dsm sigma
    assert r["half_mean_sq_true_score_method"] == r["dsm_constant_method"] == "monte carlo"
    assert set(r["standard_errors"]) == {*ESTIMATORS, *IDENTITIES, "half_mean_sq_true_score", "dsm_constant"}
    assert set(r["std"]) == set(ESTIMATORS)
    assert r["density"] == "8gaussians" and r["objective"] == "dsm" and r["parametrization"] == "vector"
    assert all(isinstance(r[k], float) and math.isfinite(r[k]) for k in (*ESTIMATORS, *IDENTITIES))
    assert_holds(r)
    for name, ident in IDENTITIES.items():  # each difference is its two estimators and the constant
        shift = ident.sign * r[ident.constant]
        assert r[name] == pytest.approx(r[ident.left] - r[ident.right] - shift, abs=1e-9 * (1 + abs(shift)))
    assert printed.count("holds") == 4 and "DOES NOT HOLD" not in printed and f"wrote {out}" in printed
    # --sigma overrides the model's; the same seed gives the same numbers
    again = tmp_path / "again.json"
    assert main(["identities", "--density", "8gaussians", "--score", str(dsm_run), "--n", "3000", "--seed", "4",
                 "--sigma", "0.5", *CPU, "--out", str(again)]) == 0
    other = json.loads(again.read_text())
    assert other["sigma"] == 0.5 and other["esm"] == r["esm"] and other["dsm"] != r["dsm"]
    assert_holds(other)


def test_an_esm_energy_model_defaults_to_sigma_0_1_and_a_gaussian_gets_the_exact_constants(tmp_path):
    run = _train(tmp_path / "esm", "--density", "gaussian", "--objective", "esm", "--parametrization", "energy")
    out = tmp_path / "id.json"
    assert main(["identities", "--density", "gaussian", "--score", str(run), *CPU, "--out", str(out)]) == 0
    r = json.loads(out.read_text())
    assert r["sigma"] == 0.1 and r["n"] == 10000 and r["parametrization"] == "energy"
    assert r["half_mean_sq_true_score_method"] == r["dsm_constant_method"] == "exact" and r["constant_samples"] == 0
    assert r["standard_errors"]["half_mean_sq_true_score"] == 0 == r["standard_errors"]["dsm_constant"]
    # N((0, 0), C), C = [[2.25, 0.9], [0.9, 1]]: c = ½ tr C⁻¹
    assert r["half_mean_sq_true_score"] == pytest.approx(0.5 * (1 + 2.25) / (2.25 - 0.81), rel=1e-6)
    assert_holds(r)


def test_a_time_conditional_model_is_read_at_t_eps(tmp_path):
    run = _train(tmp_path / "sde", "--density", "ncsn-mixture", "--objective", "sde", "--sde", "vp", "--steps", "30")
    out = tmp_path / "id.json"
    assert main(["identities", "--density", "ncsn-mixture", "--score", str(run), "--n", "2000", *CPU,
                 "--out", str(out)]) == 0
    r = json.loads(out.read_text())
    assert r["t"] == pytest.approx(1e-3) and r["objective"] == "sde" and r["sigma"] == 0.1
    assert_holds(r)


@pytest.mark.parametrize("args, needle", [
    (["--score", "MISSING"], "MISSING"),
    (["--score", "FOLDER"], "FOLDER"),
    (["--score", "NOTMODEL"], "NOTMODEL"),
    (["--n", "1"], "--n"),
    (["--n", "0"], "--n"),
    (["--n", "many"], "many"),
    (["--n", "1000001"], "1000000"),
    (["--sigma", "0"], "--sigma"),
    (["--sigma", "-0.5"], "--sigma"),
    (["--sigma", "inf"], "--sigma"),
    (["--out", "id.txt"], ".json"),
    (["--out", "nodir/id.json"], "does not exist"),
    (["--out", "FOLDER.json"], "folder"),
    (["--density", "nosuch"], "nosuch"),
    (["--density-param", "bogus=1"], "bogus"),
    (["--seed", "-1"], "seed"),
])
def test_bad_input_is_refused_with_one_line_and_nothing_written(tmp_path, capsys, dsm_run, args, needle):
    (tmp_path / "FOLDER").mkdir()
    (tmp_path / "FOLDER.json").mkdir()
    (tmp_path / "NOTMODEL").mkdir()
    (tmp_path / "NOTMODEL" / "model.json").write_text('{"not": "a model"}')
    (tmp_path / "NOTMODEL" / "model.pt").write_bytes(b"nothing")
    out = tmp_path / "id.json"
    argv = {"--density": "8gaussians", "--score": str(dsm_run), "--out": str(out)}
    extra = []
    for flag, value in zip(args[::2], args[1::2]):
        if flag in ("--score", "--out"):
            argv[flag] = str(tmp_path / value)
        elif flag in argv:
            argv[flag] = value
        else:
            extra += [flag, value]
    line = refused(capsys, ["identities", *[x for kv in argv.items() for x in kv], *extra, *CPU], out)
    assert needle in line
    assert not (tmp_path / "id.txt").exists() and sorted(p.name for p in tmp_path.iterdir()) == [
        "FOLDER", "FOLDER.json", "NOTMODEL"]


def test_the_command_is_listed_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "identities" in capsys.readouterr().out


def test_the_command_agrees_with_the_apps_identities_view(tmp_path, dsm_run):
    """The same model, samples and seed give the CLI's numbers and the live view's (live/identities_meter)."""
    from scoreviz.core.densities import load_density
    from scoreviz.core.export import load_model
    from scoreviz.live.identities_meter import IdentitiesMeter

    out = tmp_path / "ids.json"
    assert main(["identities", "--density", "8gaussians", "--score", str(dsm_run), "--n", "2000", "--seed", "0",
                 *CPU, "--out", str(out)]) == 0
    cli = json.loads(out.read_text())
    model, _ = load_model(str(dsm_run), torch.device("cpu"))

    class Shown:  # what the meter reads of the display Session
        cfg = type("Cfg", (), {"objective": type("O", (), {"name": "dsm", "sigma": cli["sigma"]})()})()
        density = load_density("8gaussians")
        sde = None

    Shown.model = model
    card = IdentitiesMeter(n=2000, seed=0).update(Shown, 150, 1)
    m = card.latest
    for key in ("esm", "ism", "ssm", "ssm_vr", "dsm", "esm_sigma"):
        assert m.values[key] == pytest.approx(cli[key], rel=1e-9, abs=1e-12), key
    for name in IDENTITIES:  # the constants are Monte Carlo on different counts: equal within their errors
        assert abs(m.differences[name] - cli[name]) <= 4 * math.hypot(m.standard_errors[name],
                                                                      cli["standard_errors"][name]), name
