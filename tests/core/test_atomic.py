"""Atomic writes: a writer killed mid-way leaves the previous file intact, and its orphaned
temporary file is cleaned up by the next write of the same target (and only then)."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time

import pytest

from scoreviz.core import atomic
from scoreviz.core.errors import ScorevizError

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and flock are POSIX")

# A separate Python process writes a big file slowly through scoreviz.core.atomic, says "ready" on
# stdout once it has written a few chunks, and goes on until it is killed.
WRITER = textwrap.dedent("""
    import pathlib, sys, time
    from scoreviz.core import atomic

    target, how = sys.argv[1], sys.argv[2]
    CHUNK = b"n" * (1 << 16)

    def slow(tmp):
        with open(tmp, "wb") as fh:
            for i in range(100000):
                fh.write(CHUNK)
                fh.flush()
                if i == 4:
                    print("ready", tmp, flush=True)
                time.sleep(0.01)

    if how == "write_with":
        atomic.write_with(target, slow)
    else:  # write_bytes, with the byte copy slowed down the same way
        pathlib.Path.write_bytes = lambda self, data: slow(self)
        atomic.write_bytes(target, CHUNK * 10)
""")


def _start_writer(target, how):
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), how], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline().split()
    assert line and line[0] == "ready", proc.stderr.read()
    return proc, line[1]


def _kill(proc):
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.parametrize("how", ["write_with", "write_bytes"])
def test_killed_writer_leaves_previous_file_intact_and_next_write_cleans_up(tmp_path, how):
    target = tmp_path / "session.scoreviz"
    good = b"the previous good file\n" * 1000
    atomic.write_bytes(target, good)
    other = tmp_path / "notes.txt"  # a file of the user's that looks nothing like our temporaries
    other.write_text("keep me")
    proc, tmp = _start_writer(target, how)
    try:
        assert os.path.getsize(tmp) > 0 and target.read_bytes() == good  # mid-write: old file still there
    finally:
        _kill(proc)
    assert target.read_bytes() == good, "the previous file was damaged"
    leftovers = [p.name for p in tmp_path.iterdir() if atomic.temp_pattern("session.scoreviz").match(p.name)]
    assert leftovers == [os.path.basename(tmp)]  # SIGKILL leaves the temporary file: nobody could remove it
    assert os.path.getsize(tmp) >= 5 * (1 << 16)

    atomic.write_bytes(target, b"new")  # the next save of the same file removes the orphan
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "session.scoreviz"]
    assert other.read_text() == "keep me"


def test_a_live_writer_is_never_cleaned_away(tmp_path):
    target = tmp_path / "model.pt"
    atomic.write_bytes(target, b"old")
    proc, tmp = _start_writer(target, "write_with")
    try:
        assert atomic.clean_stale_temps(tmp_path, "model.pt") == []
        assert atomic.clean_stale_temps(tmp_path) == []
        assert os.path.exists(tmp)
        # a second writer of the same target succeeds meanwhile and leaves the live one alone
        atomic.write_bytes(target, b"second")
        assert target.read_bytes() == b"second" and os.path.exists(tmp)
    finally:
        _kill(proc)
    assert atomic.clean_stale_temps(tmp_path, "model.pt") == [tmp_path / os.path.basename(tmp)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.pt"]


def test_clean_stale_temps_touches_only_our_temporaries_of_that_target(tmp_path):
    names = {
        ".model.abcd1234.tmp.pt": True,  # ours, for model.pt
        ".model.abcd1234.tmp.json": False,  # ours, for model.json
        ".model.abc.tmp.pt": False,  # not tempfile's 8 characters
        ".model.abcd1234.tmp.pt.bak": False,
        "model.abcd1234.tmp.pt": False,  # not hidden
        ".modelx.abcd1234.tmp.pt": False,
        "model.pt": False,
        ".hidden.tmp": False,
    }
    for n in names:
        (tmp_path / n).write_bytes(b"x")
    (tmp_path / ".model.zzzz9999.tmp.pt").mkdir()  # a folder with our name is left alone
    removed = atomic.clean_stale_temps(tmp_path, "model.pt")
    assert [p.name for p in removed] == [".model.abcd1234.tmp.pt"]
    assert all((tmp_path / n).exists() != gone for n, gone in names.items())
    # older_than_s: a fresh orphan is kept, an old one removed; without a target, any of ours
    young, old = tmp_path / ".a.0000aaaa.tmp.npz", tmp_path / ".b.1111bbbb.tmp"
    young.write_bytes(b"")
    old.write_bytes(b"")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert atomic.clean_stale_temps(tmp_path, older_than_s=3600) == [old]
    assert young.exists()
    assert {p.name for p in atomic.clean_stale_temps(tmp_path)} == {young.name, ".model.abcd1234.tmp.json",
                                                                    ".modelx.abcd1234.tmp.pt"}
    assert atomic.clean_stale_temps(tmp_path / "missing") == []


def test_failed_write_keeps_old_file_and_leaves_nothing(tmp_path):
    target = tmp_path / "f.json"
    atomic.write_text(target, "old")

    def broken(tmp):
        tmp.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        atomic.write_with(target, broken)
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["f.json"]
    with pytest.raises(ScorevizError, match="does not exist"):
        atomic.write_bytes(tmp_path / "nope" / "f.json", b"")


def test_permissions_are_the_usual_ones_not_mkstemps_0600(tmp_path):
    new = tmp_path / "new.json"
    atomic.write_text(new, "{}")
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(os.stat(new).st_mode) == 0o666 & ~umask
    os.chmod(new, 0o640)
    atomic.write_text(new, "[]")  # an existing file keeps its permissions
    assert stat.S_IMODE(os.stat(new).st_mode) == 0o640 and new.read_text() == "[]"


def test_file_kind(tmp_path):
    (tmp_path / "f").write_bytes(b"")
    os.mkfifo(tmp_path / "pipe")
    assert atomic.file_kind(tmp_path / "f") == "file"
    assert atomic.file_kind(tmp_path) == "folder"
    assert atomic.file_kind(tmp_path / "pipe") == "other"
    assert atomic.file_kind(tmp_path / "none") == "missing"
    assert atomic.file_kind("bad\0name") == "bad-name"
