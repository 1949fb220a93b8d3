"""Atomic file writes: a temporary file in the same folder, then a rename into place.

Every file scoreviz writes goes through here.  A reader never sees a half-written file, and a
failed write leaves the previous file intact and no temporary file behind.  The content is
flushed to disk (fsync) before the rename, so after a crash or power cut the target is either the
old file or the new one, whole.

Temporary names: ``.<stem>.<8 random characters>.tmp<suffix>`` beside the target (``model.pt``
-> ``.model.k3x9q2ab.tmp.pt``): hidden, and with the real suffix, which some writers check.

A writer killed outright (SIGKILL, power cut) cannot remove its temporary file.  While it writes,
a writer holds an exclusive lock on its temporary file (``flock``; released by the system when the
process dies), so such orphans can be told from files still being written:
``clean_stale_temps(folder, target)`` removes the unlocked temporary files of ``target`` and is
called before every write of that target, so at most one write's worth of leftovers ever exists
and it goes away the next time the same file is saved.  Where locks are not available (Windows,
some network file systems) only temporary files untouched for an hour are removed; Windows also
refuses to delete a file another process has open.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

from scoreviz.core.errors import ScorevizError

try:  # POSIX
    import fcntl  # lazy: POSIX only
except ImportError:  # pragma: no cover - Windows
    fcntl = None

UNLOCKED_GRACE_S = 3600.0  # where a live writer cannot be detected, leave younger temporary files alone
_TEMP_CHARS = "[a-z0-9_]{8}"  # tempfile's random part


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()  # read once at import (os.umask is process-wide; reading it later would race threads)


def _split(target: str) -> tuple[str, str]:
    p = Path(target)
    return p.stem, p.suffix


def temp_prefix_suffix(target: str) -> tuple[str, str]:
    """(prefix, suffix) of the temporary files of ``target`` (a file name)."""
    stem, suffix = _split(target)
    return f".{stem}.", f".tmp{suffix}"


def temp_pattern(target: str | None = None) -> re.Pattern:
    """The names of our temporary files: of ``target`` (a file name), or of any target."""
    if target is None:
        return re.compile(rf"^\..+\.{_TEMP_CHARS}\.tmp(\.[^.]*)?$")
    prefix, suffix = temp_prefix_suffix(target)
    return re.compile(rf"^{re.escape(prefix)}{_TEMP_CHARS}{re.escape(suffix)}$")


def _lock(fd: int) -> bool | None:
    """Try an exclusive lock without waiting: True = got it, False = held by a live writer, None = no locks here."""
    if fcntl is None:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    except OSError:  # the file system has no locks
        return None


def clean_stale_temps(folder: str | os.PathLike, target: str | None = None, older_than_s: float = 0.0) -> list[Path]:
    """Remove the temporary files left in ``folder`` by killed writers; returns the removed paths.

    Only names of our pattern are touched (those of ``target``, a file name, when given; else of
    any target), never one a live writer holds locked, and never one modified less than
    ``older_than_s`` seconds ago (an hour when locks are unavailable).  Errors are ignored: this
    is housekeeping, it must never stop a save.
    """
    folder = Path(folder)
    pattern = temp_pattern(None if target is None else Path(target).name)
    removed: list[Path] = []
    try:
        names = [n for n in os.listdir(folder) if pattern.match(n)]
    except OSError:
        return removed
    now = time.time()
    for name in names:
        path = folder / name
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                continue
            locked = _lock(fd)
            if locked is False:
                continue  # a live writer
            age = now - st.st_mtime
            if age < (older_than_s if locked else max(older_than_s, UNLOCKED_GRACE_S)):
                continue
            # the name must still be this file (a writer may have renamed it into place meanwhile)
            if os.stat(path, follow_symlinks=False).st_ino != st.st_ino:
                continue
            os.unlink(path)
            removed.append(path)
        except OSError:
            continue
        finally:
            os.close(fd)
    return removed


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _new_temp(path: Path, folder: Path) -> tuple[int, Path]:
    """A fresh temporary file beside ``path``, locked by this process: (fd, path)."""
    prefix, suffix = temp_prefix_suffix(path.name)
    for _ in range(10):
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
        _lock(fd)
        try:  # a cleaner could have removed it between its creation and the lock: then start again
            if os.stat(tmp).st_ino == os.fstat(fd).st_ino:
                return fd, Path(tmp)
        except FileNotFoundError:
            pass
        os.close(fd)
    raise OSError("cannot create a temporary file")  # pragma: no cover


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yields a temporary path beside ``path``; on success it is renamed to ``path``.

    The temporary file exists (empty) and is locked against ``clean_stale_temps``; the caller
    writes it by name.  Leftovers of killed earlier writes of ``path`` are removed first.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ScorevizError(f"cannot write '{path}': folder '{folder}' does not exist")
    clean_stale_temps(folder, path.name)
    try:
        fd, tmp_path = _new_temp(path, folder)
    except OSError as e:
        raise ScorevizError(f"cannot write '{path}': {e.strerror or e}") from None
    try:
        try:  # keep an existing file's permissions; else the usual ones (mkstemp makes 0600)
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except OSError:
            mode = 0o666 & ~_UMASK
        with contextlib.suppress(OSError, AttributeError, NotImplementedError):
            os.chmod(tmp_path, mode)
        yield tmp_path
        if fcntl is None:  # Windows renames no open file: close first, then sync by name
            os.close(fd)
            fd = None
            with open(tmp_path, "rb+") as fh:
                os.fsync(fh.fileno())
        else:
            os.fsync(fd)  # the data is on disk before the name points at it
        os.replace(tmp_path, path)
        _fsync_folder(folder)
    except BaseException:
        if fd is not None and fcntl is None:
            os.close(fd)
            fd = None
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise
    finally:
        if fd is not None:
            os.close(fd)  # releases the lock (after the rename, so no cleaner ever takes a live file)


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: str | os.PathLike, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_with(path: str | os.PathLike, writer: Callable[[Path], None]) -> None:
    """``writer(tmp_path)`` writes the content; then it is renamed into place."""
    with atomic_path(path) as tmp:
        writer(tmp)


def file_kind(path) -> str:
    """What is at ``path``, for readers that must not block or follow junk: "file" (a regular
    file), "missing", "folder", "other" (a pipe, device or socket: reading it could block
    forever), "unreadable" (no permission, ...) or "bad-name" (e.g. a NUL character)."""
    try:
        st = os.stat(os.fspath(path))
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "unreadable"
    except (ValueError, TypeError):
        return "bad-name"
    if stat.S_ISDIR(st.st_mode):
        return "folder"
    return "file" if stat.S_ISREG(st.st_mode) else "other"
