"""Every write failure of every command: one line on stderr naming the path and the cause, exit
code 2, no traceback, and nothing of the failed run left behind (no file, no temporary, no folder).
``train --out`` and ``compare --out`` write their files as a set: all or none, also when killed.

Real OS failures come from running the command under ``RLIMIT_FSIZE`` with SIGXFSZ ignored: a
write past the limit fails with EFBIG ("File too large"), as one on a full disk fails with ENOSPC.
In-process, the lowest write call (``Path.write_bytes``) writes part of the data and raises ENOSPC.
A tmpfs variant (a real full disk) runs in addition where mounting is permitted.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import numpy as np
import pytest

from scoreviz.cli import main

pytestmark = pytest.mark.skipif(os.name != "posix", reason="rlimits and SIGKILL are POSIX")

ROOT = Path(__file__).resolve().parents[2]
FAST = ["--hidden", "32", "--layers", "2", "--batch", "128", "--grid", "12", "--device", "cpu", "--threads", "1"]
TRAIN = ["train", "--density", "moons", "--steps", "5", *FAST]
SAMPLE = ["sample", "--score", "true", "--steps", "3"]


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run_cli(*args, fsize: int | None = None, cwd=None):
    """scoreviz as a user runs it, in its own process; with ``fsize``, no file may grow past that many bytes."""

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write (EFBIG) instead of killing the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run([sys.executable, "-m", "scoreviz", *map(str, args)], capture_output=True, text=True,
                          timeout=300, env=_env(), cwd=cwd or ROOT, preexec_fn=limit if fsize else None)


def in_process(capsys, *args) -> subprocess.CompletedProcess:
    """``main(args)`` in this process (refusals made before any work), as a finished run."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out, err)


def one_line(r, *needles) -> str:
    """The run failed with code 2 and exactly one stderr line holding every needle; returns that line."""
    assert r.returncode == 2, (r.returncode, r.stderr[-3000:])
    assert "Traceback" not in r.stderr, r.stderr[-3000:]
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr[-3000:]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def listing(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` (hidden ones too) with its content (None for a folder)."""
    return {str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes()) for p in sorted(folder.rglob("*"))}


def _full_disk(monkeypatch, fail_on: str, room: int = 100):
    real = Path.write_bytes

    def write_bytes(self, data):
        if self.name == fail_on or self.name.startswith(f".{Path(fail_on).stem}."):
            real(self, bytes(data)[:room])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)


# ============================================================================ train --out
# with FAST: field.npz ~4.4 KB, model.pt ~7.4 KB, session.scoreviz ~100 KB (the last written)
@pytest.mark.parametrize("fsize, fails", [(6000, "model.pt"), (32768, "session.scoreviz")])
def test_train_on_a_failing_disk_exits_2_in_one_line_and_leaves_no_folder(tmp_path, fsize, fails):
    out = tmp_path / "sub" / "run"
    r = run_cli(*TRAIN, "--out", out, fsize=fsize)
    one_line(r, f"cannot write '{out / fails}': File too large")
    assert listing(tmp_path) == {}  # no run folder, no parent it made, no temporary folder


def test_train_into_an_earlier_run_on_a_failing_disk_keeps_the_earlier_run_whole(tmp_path):
    out = tmp_path / "run"
    assert main([*TRAIN, "--out", str(out)]) == 0
    (out / "notes.txt").write_text("mine")
    before = listing(tmp_path)
    r = run_cli(*TRAIN, "--seed", "7", "--out", out, fsize=32768)
    one_line(r, f"cannot write '{out / 'session.scoreviz'}': File too large")
    assert listing(tmp_path) == before
    assert main([*SAMPLE[:2], str(out), "--n", "50", "--steps", "2", "--out", str(tmp_path / "p.npy")]) == 0


def test_train_on_a_full_disk_in_process(tmp_path, monkeypatch, capsys):
    out = tmp_path / "run"
    _full_disk(monkeypatch, "model.json")
    assert main([*TRAIN, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"scoreviz: error: cannot write '{out / 'model.json'}': No space left on device\n"
    assert listing(tmp_path) == {}


# ============================================================================ sample --out
def test_sample_on_a_failing_disk_exits_2_in_one_line_and_leaves_nothing(tmp_path):
    out = tmp_path / "p.npy"
    r = run_cli(*SAMPLE, "--n", "20000", "--out", out, fsize=65536)
    one_line(r, f"cannot write '{out}': File too large")
    assert listing(tmp_path) == {}
    (tmp_path / "p.npy").write_bytes(b"previous")  # an existing file stays as it was
    r = run_cli(*SAMPLE, "--n", "20000", "--out", out, fsize=65536)
    one_line(r, "File too large")
    assert listing(tmp_path) == {"p.npy": b"previous"}


def test_sample_on_a_full_disk_in_process(tmp_path, monkeypatch, capsys):
    out = tmp_path / "p.npy"
    _full_disk(monkeypatch, "p.npy")
    assert main([*SAMPLE, "--n", "500", "--out", str(out)]) == 2
    assert capsys.readouterr().err == f"scoreviz: error: cannot write '{out}': No space left on device\n"
    assert listing(tmp_path) == {}


# ============================================================================ compare, animate, snapshot
def test_compare_on_a_failing_disk_exits_2_in_one_line_and_leaves_no_folder(tmp_path):
    out = tmp_path / "cmp"
    r = run_cli("compare", "--density", "moons", "--objectives", "esm,dsm", "--steps", "4", "--eval-every", "2",
                "--size", "320x200", "--hidden", "16", "--layers", "1", "--batch", "32", "--grid", "8",
                "--device", "cpu", "--threads", "1", "--out", out, fsize=8192)
    one_line(r, f"cannot write '{out / 'compare.png'}': File too large")
    assert listing(tmp_path) == {}


def test_animate_on_a_failing_disk_exits_2_in_one_line_and_leaves_nothing(tmp_path):
    out = tmp_path / "a.gif"
    r = run_cli("animate", "--steps", "2", "--frames", "3", "--size", "160x120", *FAST, "--particles", "50",
                "--out", out, fsize=2000)
    one_line(r, f"cannot write '{out}': File too large")
    assert listing(tmp_path) == {}


def test_snapshot_on_a_failing_disk_exits_2_in_one_line_and_leaves_nothing(tmp_path):
    out = tmp_path / "s.png"
    r = run_cli("snapshot", "--steps", "2", "--size", "320x200", *FAST, "--out", out, fsize=2000)
    one_line(r, f"cannot write '{out}': File too large")
    assert listing(tmp_path) == {}


# ============================================================================ names and folders in the way
def test_a_folder_where_the_file_goes_is_one_line_and_exit_2(tmp_path, capsys):
    for name in ("x.npy", "x.gif", "x.png"):
        (tmp_path / name).mkdir()
    (tmp_path / "file").write_bytes(b"")
    before = listing(tmp_path)
    cases = [
        ([*SAMPLE, "--n", "50", "--out", tmp_path / "x.npy"], "x.npy'", "it is a folder"),
        (["animate", "--steps", "2", "--frames", "2", *FAST, "--out", tmp_path / "x.gif"], "x.gif'", "it is a folder"),
        (["snapshot", "--steps", "2", *FAST, "--out", tmp_path / "x.png"], "x.png'", "it is a folder"),
        ([*TRAIN, "--out", tmp_path / "file"], "file'", "it is a file; give a folder"),
        ([*TRAIN, "--out", tmp_path / "file" / "run"], f"{os.sep}file{os.sep}run'", "is not a folder"),
    ]
    for args, *needles in cases:
        one_line(in_process(capsys, *args), *needles)
    assert listing(tmp_path) == before


def test_a_name_too_long_is_one_line_and_exit_2_for_every_command(tmp_path, capsys):
    long = "n" * 300
    cases = [
        [*TRAIN, "--out", tmp_path / long],
        [*TRAIN, "--out", tmp_path / long / "run"],
        [*SAMPLE, "--n", "50", "--out", tmp_path / (long + ".npy")],
        ["compare", "--objectives", "esm,dsm", "--steps", "2", "--eval-every", "1", *FAST, "--out", tmp_path / long],
        ["animate", "--steps", "2", "--frames", "2", *FAST, "--out", tmp_path / (long + ".gif")],
        ["snapshot", "--steps", "2", *FAST, "--out", tmp_path / (long + ".png")],
    ]
    for args in cases:
        one_line(in_process(capsys, *args), "cannot write", long, "File name too long")
    assert listing(tmp_path) == {}


def test_legal_250_character_names_are_written_and_leave_no_temporary(tmp_path):
    run, npy = "r" * 250, "p" * 246 + ".npy"
    assert main([*TRAIN, "--out", str(tmp_path / run)]) == 0
    assert main([*SAMPLE[:2], str(tmp_path / run), "--n", "50", "--steps", "2", "--out", str(tmp_path / npy)]) == 0
    assert np.load(tmp_path / npy).shape == (50, 2)
    assert sorted(listing(tmp_path)) == sorted([npy, run] + [f"{run}/{f}" for f in (
        "field.npz", "metrics.json", "model.json", "model.pt", "session.scoreviz")])


# ============================================================================ SIGKILL between two files
KILLABLE_TRAIN = textwrap.dedent("""
    import pathlib, sys, time
    from scoreviz import cli

    real = pathlib.Path.write_bytes

    def write_bytes(self, data):  # model.pt is written; model.json half-way when the kill comes
        if self.name == "model.json":
            real(self, bytes(data)[: len(data) // 2])
            print("ready", flush=True)
            time.sleep(600)
        return real(self, data)

    pathlib.Path.write_bytes = write_bytes
    sys.exit(cli.main(sys.argv[1:]))
""")


@pytest.mark.parametrize("earlier_run", [False, True])
def test_train_killed_between_model_pt_and_model_json_leaves_no_half_written_folder(tmp_path, earlier_run):
    out = tmp_path / "run"
    if earlier_run:
        assert main([*TRAIN, "--out", str(out)]) == 0
    before = listing(tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", KILLABLE_TRAIN, *TRAIN, "--seed", "9", "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT)
    try:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()[-3000:]
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    after = listing(tmp_path)
    visible = {k: v for k, v in after.items() if not any(part.startswith(".") for part in Path(k).parts)}
    assert visible == before  # the earlier run byte for byte, or still no folder at all
    hidden = sorted(set(after) - set(visible))
    assert hidden and all(".tmp" in h.split(os.sep)[0 if not earlier_run else 1] for h in hidden)  # only the temporary folder
    if earlier_run:  # the folder is still one sample --score accepts
        assert main([*SAMPLE[:2], str(out), "--n", "50", "--steps", "2", "--out", str(tmp_path / "p.npy")]) == 0
        (tmp_path / "p.npy").unlink()
    # the next run into the same folder removes the killed run's leftovers
    assert main([*TRAIN, "--out", str(out)]) == 0
    assert sorted(listing(tmp_path)) == ["run"] + [f"run{os.sep}{f}" for f in (
        "field.npz", "metrics.json", "model.json", "model.pt", "session.scoreviz")]


# ============================================================================ a real full disk (in addition)
@pytest.fixture
def tiny_disk(tmp_path):
    """A 64 KiB tmpfs: a real ENOSPC. Only where mounting is permitted (root on Linux, not every CI);
    the tests above check the same guarantees without it."""
    mnt = tmp_path / f"tiny-{uuid.uuid4().hex[:6]}"
    mnt.mkdir()
    if not sys.platform.startswith("linux") or not shutil.which("mount") or os.geteuid() != 0:
        pytest.skip("tmpfs variant (additional): mounting needs root on Linux; the RLIMIT_FSIZE tests cover this")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"tmpfs variant (additional): mount refused here ({r.stderr.strip()[:80]}); "
                    "the RLIMIT_FSIZE tests cover this")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def test_a_real_full_disk_train_and_sample(tiny_disk):
    r = run_cli(*TRAIN, "--out", tiny_disk / "run")
    one_line(r, f"cannot write '{tiny_disk / 'run' / 'session.scoreviz'}': No space left on device")
    r = run_cli(*SAMPLE, "--n", "20000", "--out", tiny_disk / "p.npy")
    one_line(r, f"cannot write '{tiny_disk / 'p.npy'}': No space left on device")
    assert listing(tiny_disk) == {}
