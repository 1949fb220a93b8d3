"""Write failures at the mechanism (scoreviz.core.atomic): every failure is one WriteError line naming
the path and the cause, and leaves nothing behind; temporary names fit every legal name; a set of
files (write_files) appears together or not at all, also when its writer is killed.

Real OS failures come from a child process run under ``RLIMIT_FSIZE`` with SIGXFSZ ignored (its
writes past the limit fail with EFBIG, as a full disk fails with ENOSPC); in-process, the lowest
write call (``Path.write_bytes``, which every helper uses) writes part of the data and raises ENOSPC.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scoreviz.core import atomic
from scoreviz.core.errors import ScorevizError

pytestmark = pytest.mark.skipif(os.name != "posix", reason="rlimits, SIGKILL and flock are POSIX")


def _listing(folder: Path) -> list[str]:
    """Every name under ``folder`` (hidden ones too), relative, sorted."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _full_disk(monkeypatch, fail_on: str | None = None, room: int = 100):
    """``Path.write_bytes`` writes ``room`` bytes of the file named ``fail_on`` (any file when None),
    then fails as a full disk does."""
    real = Path.write_bytes

    def write_bytes(self, data):
        if fail_on is None or self.name == fail_on or self.name.startswith(f".{Path(fail_on).stem}."):
            real(self, bytes(data)[:room])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)


# ============================================================================ the error
def test_write_error_is_one_line_a_scoreviz_error_and_an_os_error():
    e = atomic.WriteError("out/model.pt", os.strerror(errno.ENOSPC), errno.ENOSPC)
    assert str(e) == "cannot write 'out/model.pt': No space left on device"
    assert isinstance(e, ScorevizError) and isinstance(e, OSError)
    assert (e.errno, e.strerror, e.filename) == (errno.ENOSPC, "No space left on device", "out/model.pt")
    # numpy's own file writes lose the errno: the text's first line is the cause
    assert str(atomic.write_error("p.npy", OSError("200000 requested and 6112 written\nmore"))) == \
        "cannot write 'p.npy': 200000 requested and 6112 written"


# ============================================================================ temporary names
@pytest.mark.parametrize("name", [
    "model.pt", "a" * 241, "a" * 242, "a" * 250, "a" * 255, "a" * 251 + ".npy", "x." + "b" * 253,
    "é" * 125 + ".npy", "日本" * 40 + ".json", ".hidden" + "h" * 240, "noext" * 51,
])
def test_temporary_names_fit_for_every_legal_target_name(name, tmp_path):
    assert len(os.fsencode(name)) <= atomic.NAME_MAX
    prefix, suffix = atomic.temp_prefix_suffix(name)
    temp = prefix + "abcd1234" + suffix
    assert len(os.fsencode(temp)) <= atomic.NAME_MAX
    assert atomic.temp_pattern(name).match(temp) and atomic.temp_pattern().match(temp)
    if Path(name).suffix and len(Path(name).suffix) < 20:
        assert temp.endswith(Path(name).suffix)  # writers that check the suffix still see it
    target = tmp_path / name
    atomic.write_bytes(target, b"data")  # the whole round trip on a real file system
    assert target.read_bytes() == b"data" and os.listdir(tmp_path) == [name]
    orphan = tmp_path / temp  # what a killed writer of this target leaves: recognised and cleaned
    orphan.write_bytes(b"")
    assert atomic.clean_stale_temps(tmp_path, name) == [orphan]


def test_long_names_with_the_same_start_keep_their_temporaries_apart():
    a, b = "r" * 250 + "a.npy", "r" * 250 + "b.npy"
    assert atomic.temp_prefix_suffix(a) != atomic.temp_prefix_suffix(b)
    pa = atomic.temp_prefix_suffix(a)
    assert not atomic.temp_pattern(b).match(pa[0] + "abcd1234" + pa[1])
    assert atomic.temp_prefix_suffix("model.pt") == (".model.", ".tmp.pt")  # short names: as before


# ============================================================================ one file
def test_full_disk_mid_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "model.pt"
    atomic.write_bytes(target, b"old")
    _full_disk(monkeypatch)
    with pytest.raises(atomic.WriteError) as info:
        atomic.write_bytes(target, b"x" * 10000)
    assert str(info.value) == f"cannot write '{target}': No space left on device"
    assert info.value.errno == errno.ENOSPC and "\n" not in str(info.value)
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["model.pt"]
    with pytest.raises(atomic.WriteError, match="No space left on device"):  # write_with: the same
        atomic.write_with(tmp_path / "new.bin", lambda tmp: tmp.write_bytes(b"y" * 1000))
    assert os.listdir(tmp_path) == ["model.pt"]


def test_a_folder_a_long_name_a_missing_folder_are_one_line_errors_and_create_nothing(tmp_path):
    (tmp_path / "taken.npy").mkdir()
    cases = [
        (tmp_path / "taken.npy", "it is a folder"),
        (tmp_path / ("x" * 300 + ".npy"), "File name too long"),
        (tmp_path / "missing" / "f.npy", "folder '" + str(tmp_path / "missing") + "' does not exist"),
        (tmp_path / "taken.npy" / ("y" * 256), "File name too long"),
        (Path("/dev/null"), "not a regular file"),
    ]
    for path, why in cases:
        for write in (lambda p: atomic.write_bytes(p, b"data"), atomic.check_file_target):
            with pytest.raises(atomic.WriteError) as info:
                write(path)
            text = str(info.value)
            assert text.startswith(f"cannot write '{path}': ") and why in text and "\n" not in text, text
    with pytest.raises(atomic.WriteError, match="is not a folder"):
        (tmp_path / "file").write_bytes(b"")
        atomic.write_bytes(tmp_path / "file" / "f.npy", b"")
    assert _listing(tmp_path) == ["file", "taken.npy"]


WRITE_UNDER_RLIMIT = textwrap.dedent("""
    import resource, signal, sys
    from scoreviz.core import atomic
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, no signal
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), int(sys.argv[2])))
    files = {"a.bin": b"a" * 1000, "big.bin": b"b" * 200000, "c.bin": b"c" * 10}
    try:
        if sys.argv[3] == "file":
            atomic.write_bytes(sys.argv[1], files["big.bin"])
        else:
            atomic.write_files(sys.argv[1], files)
    except atomic.WriteError as e:
        print(e)
""")


@pytest.mark.parametrize("how", ["file", "set", "set-into-existing"])
def test_a_real_os_write_failure_is_one_line_and_leaves_nothing(tmp_path, how):
    target = tmp_path / ("p.npy" if how == "file" else "run")
    if how == "set-into-existing":
        atomic.write_files(target, {"a.bin": b"old a", "big.bin": b"old big"})
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    names = _listing(tmp_path)
    r = subprocess.run([sys.executable, "-c", WRITE_UNDER_RLIMIT, str(target), "65536", how.split("-")[0]],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    named = target if how == "file" else target / "big.bin"
    assert r.stdout.strip() == f"cannot write '{named}': File too large"
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before  # nothing new, nothing lost
    assert _listing(tmp_path) == names  # no temporary file or folder either


# ============================================================================ sets of files
def test_write_files_makes_a_new_folder_whole_with_the_usual_permissions(tmp_path):
    folder = tmp_path / "deep" / "er" / "run"
    atomic.write_files(folder, {"model.pt": b"weights", "model.json": b"{}"})
    assert _listing(tmp_path) == ["deep", "deep/er", "deep/er/run", "deep/er/run/model.json", "deep/er/run/model.pt"]
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o777 & ~umask
    assert stat.S_IMODE(os.stat(folder / "model.pt").st_mode) == 0o666 & ~umask


def test_full_disk_during_a_new_set_leaves_no_folder_and_no_temporary(tmp_path, monkeypatch):
    _full_disk(monkeypatch, fail_on="model.json")
    with pytest.raises(atomic.WriteError) as info:
        atomic.write_files(tmp_path / "new" / "run", {"model.pt": b"w" * 1000, "model.json": b"j" * 1000})
    assert str(info.value) == f"cannot write '{tmp_path / 'new' / 'run' / 'model.json'}': No space left on device"
    assert _listing(tmp_path) == []  # the parent it created is gone too


def test_full_disk_during_a_set_into_an_existing_folder_keeps_the_old_set(tmp_path, monkeypatch):
    folder = tmp_path / "run"
    atomic.write_files(folder, {"model.pt": b"old weights", "model.json": b"old json"})
    (folder / "notes.txt").write_bytes(b"the user's")
    _full_disk(monkeypatch, fail_on="model.json")
    with pytest.raises(atomic.WriteError, match="model.json': No space left on device"):
        atomic.write_files(folder, {"model.pt": b"new weights", "model.json": b"new json"})
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == {
        "model.pt": b"old weights", "model.json": b"old json", "notes.txt": b"the user's"}


def test_write_files_into_an_existing_folder_replaces_the_set_and_keeps_other_files(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "notes.txt").write_bytes(b"keep")
    atomic.write_files(folder, {"model.pt": b"1", "model.json": b"1"})
    os.chmod(folder / "model.pt", 0o640)
    atomic.write_files(folder, {"model.pt": b"2", "model.json": b"2"})
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == {"model.pt": b"2", "model.json": b"2",
                                                                   "notes.txt": b"keep"}
    assert stat.S_IMODE(os.stat(folder / "model.pt").st_mode) == 0o640  # as a single write keeps it
    (folder / "model.json").unlink()
    (folder / "model.json").mkdir()
    with pytest.raises(atomic.WriteError, match="model.json': it is a folder"):
        atomic.write_files(folder, {"model.pt": b"3", "model.json": b"3"})
    assert (folder / "model.pt").read_bytes() == b"2"


def test_a_failed_rename_part_way_puts_the_previous_files_back(tmp_path, monkeypatch):
    folder = tmp_path / "run"
    old = {"a": b"old a", "b": b"old b", "c": b"old c"}
    atomic.write_files(folder, {"a": b"old a", "b": b"old b"})
    (folder / "c").write_bytes(b"old c")
    real, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(atomic.WriteError, match="Input/output error"):
        atomic.write_files(folder, {"a": b"new a", "new": b"new", "b": b"new b", "c": b"new c"})
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == old  # "a" put back, "new" removed


def test_write_files_checks_the_folder_first_and_refuses_in_one_line(tmp_path):
    (tmp_path / "file").write_bytes(b"")
    cases = [
        (tmp_path / "file", "it is a file; give a folder"),
        (tmp_path / "file" / "sub", f"'{tmp_path / 'file'}' is not a folder"),
        (tmp_path / ("d" * 300), "File name too long"),
    ]
    for path, why in cases:
        with pytest.raises(atomic.WriteError) as info:
            atomic.write_files(path, {"x": b""})
        assert str(info.value) == f"cannot write '{path}': {why}"
    if os.geteuid() != 0:  # root writes into read-only folders
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o555)
        with pytest.raises(atomic.WriteError, match="Permission denied"):
            atomic.check_folder_target(ro / "run")
    atomic.write_files(tmp_path / ("e" * 255), {"x": b"1"})  # the longest legal name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["file", "e" * 255] + (["ro"] if os.geteuid() else []))


# A child writes a set slowly: it says "ready" once the file named by argv[2] is being written, then waits to be killed.
SLOW_SET = textwrap.dedent("""
    import pathlib, sys, time
    from scoreviz.core import atomic

    real = pathlib.Path.write_bytes

    def write_bytes(self, data):
        if self.name == sys.argv[2]:
            real(self, bytes(data)[: len(data) // 2])
            print("ready", flush=True)
            time.sleep(600)
        return real(self, data)

    pathlib.Path.write_bytes = write_bytes
    atomic.write_files(sys.argv[1], {"field.npz": b"f" * 1000, "model.pt": b"new weights", "model.json": b"new json"})
""")


@pytest.mark.parametrize("existing", [False, True])
def test_a_writer_killed_between_two_files_of_a_set_leaves_no_half_set(tmp_path, existing):
    folder = tmp_path / "run"
    if existing:
        atomic.write_files(folder, {"model.pt": b"old weights", "model.json": b"old json"})
    before = _listing(tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", SLOW_SET, str(folder), "model.json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        temps = [p for p in (folder if existing else tmp_path).iterdir() if p.name.startswith(".")]
        assert len(temps) == 1 and (temps[0] / "model.pt").read_bytes() == b"new weights"
        # a live writer's folder is never cleaned away
        assert atomic.clean_stale_temp_folders(temps[0].parent, atomic.SET_TEMP_NAME if existing else "run") == []
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    if existing:  # the old pair, whole
        assert (folder / "model.pt").read_bytes() == b"old weights" and (folder / "model.json").read_bytes() == b"old json"
    else:
        assert not folder.exists()
    assert _listing(tmp_path) != before  # the killed writer's temporary folder, hidden, is all it left
    atomic.write_files(folder, {"model.pt": b"2", "model.json": b"2"})  # the next write of the set removes it
    assert _listing(tmp_path) == ["run", "run/model.json", "run/model.pt"]



def test_write_all_writes_files_in_several_folders_all_or_none(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    files = {tmp_path / "a" / "p.npy": b"particles", tmp_path / "b" / "report.json": b"{}"}
    (tmp_path / "a" / "p.npy").write_bytes(b"old")
    _full_disk(monkeypatch, fail_on="report.json")
    with pytest.raises(atomic.WriteError) as info:
        atomic.write_all(files)
    assert str(info.value) == f"cannot write '{tmp_path / 'b' / 'report.json'}': No space left on device"
    assert _listing(tmp_path) == ["a", "a/p.npy", "b"] and (tmp_path / "a" / "p.npy").read_bytes() == b"old"
    monkeypatch.undo()
    atomic.write_all(files)
    assert {str(p.relative_to(tmp_path)): p.read_bytes() for p in files} == {"a/p.npy": b"particles",
                                                                             "b/report.json": b"{}"}
    assert _listing(tmp_path) == ["a", "a/p.npy", "b", "b/report.json"]
