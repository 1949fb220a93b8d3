"""Atomic file writes: a temporary file in the same folder, then a rename into place.

Every file scoreviz writes goes through here.  A reader never sees a half-written file, and a
failed write leaves the previous file intact and no temporary file behind.  The content is
flushed to disk (fsync) before the rename, so after a crash or power cut the target is either the
old file or the new one, whole.

Temporary names: ``.<stem>.<8 random characters>.tmp<suffix>`` beside the target (``model.pt``
-> ``.model.k3x9q2ab.tmp.pt``): hidden, and with the real suffix, which some writers check.  A
temporary name fits the file system's limit (NAME_MAX, 255 bytes) whenever the target's name does:
a long stem is cut and ends in ``~`` and 8 hex digits of a hash of the whole name, so the
temporaries of each target still have a pattern of their own (``temp_pattern``).

Every failure to write is one ``WriteError`` (a ScorevizError and an OSError) whose message is one
line naming the target and the cause: ``cannot write 'out/model.pt': No space left on device``;
the target and the temporary file are then as before the write began (the previous file intact,
no temporary file).

A set of files that belong together (``train --out DIR``: the model, its description, the fields,
the session) is written with ``write_files(folder, {name: bytes})``: into a temporary folder, then
moved into place together.  A folder that did not exist appears whole, with one rename, or not at
all; into an existing folder the finished files are renamed in one after the other (each rename
atomic), and a failure part-way puts the previous files back.

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
import errno
import hashlib
import os
import re
import shutil
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
NAME_MAX = 255  # bytes in one file name: Linux, macOS and Windows (in UTF-16 units) alike
_TEMP_EXTRA = len(".") + len(".") + 8 + len(".tmp")  # what a temporary name adds to stem + suffix
_HASH_TAIL = 9  # "~" and 8 hex digits: the end of a shortened stem
SET_TEMP_NAME = "scoreviz-files"  # the temporary folder of a set written into an existing folder


class WriteError(ScorevizError, OSError):
    """A file could not be written: one line, ``cannot write 'PATH': CAUSE``.

    A ScorevizError (the command line exits with code 2, the app shows the line) and an OSError
    (``errno``, ``strerror`` and ``filename`` are the cause's), so callers that catch either work."""

    def __init__(self, path, cause: str, code: int | None = None):
        super().__init__(f"cannot write '{os.fspath(path)}': {cause}")
        self.errno, self.strerror, self.filename = code, cause, os.fspath(path)

    def __str__(self) -> str:
        return self.args[0]


def write_error(path, exc: BaseException) -> WriteError:
    """``exc`` (an OSError, usually) as a WriteError naming ``path``: the strerror, or the first line of the text."""
    if isinstance(exc, WriteError):
        return exc
    cause = getattr(exc, "strerror", None) or (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
    return WriteError(path, cause, getattr(exc, "errno", None))


def _name_bytes(name: str) -> int:
    try:
        return len(os.fsencode(name))
    except (UnicodeError, ValueError):
        return len(name.encode("utf-8", "surrogatepass"))


def _head(text: str, max_bytes: int) -> str:
    """The longest start of ``text`` that takes at most ``max_bytes`` bytes in a file name."""
    out = []
    used = 0
    for ch in text:
        used += _name_bytes(ch)
        if used > max_bytes:
            break
        out.append(ch)
    return "".join(out)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()  # read once at import (os.umask is process-wide; reading it later would race threads)


def _split(target: str) -> tuple[str, str]:
    p = Path(target)
    return p.stem, p.suffix


def temp_prefix_suffix(target: str) -> tuple[str, str]:
    """(prefix, suffix) of the temporary files of ``target`` (a file name).

    Together with tempfile's 8 random characters they make at most NAME_MAX bytes: a stem too
    long for that is cut and ends in ``~`` + 8 hex digits of a hash of ``target`` (so two long
    names with the same start keep apart); a suffix that alone is too long joins the stem."""
    stem, suffix = _split(target)
    if _TEMP_EXTRA + _name_bytes(stem) + _name_bytes(suffix) <= NAME_MAX:
        return f".{stem}.", f".tmp{suffix}"
    tag = "~" + hashlib.sha256(target.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    room = NAME_MAX - _TEMP_EXTRA - _HASH_TAIL - _name_bytes(suffix)
    if room < 1:  # a pathological suffix: hashed with the rest
        stem, suffix, room = target, "", NAME_MAX - _TEMP_EXTRA - _HASH_TAIL
    return f".{_head(stem, room)}{tag}.", f".tmp{suffix}"


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
    return _sweep(Path(folder), temp_pattern(None if target is None else Path(target).name),
                  getattr(os, "O_NONBLOCK", 0), stat.S_ISREG, os.unlink, older_than_s)


def _sweep(folder: Path, pattern, open_flags: int, is_kind, remove, older_than_s: float) -> list[Path]:
    """Remove the entries of ``folder`` named by ``pattern`` that are of the kind ``is_kind(st_mode)`` (never
    links), not locked by a live writer and old enough; errors are ignored (housekeeping)."""
    removed: list[Path] = []
    try:
        names = [n for n in os.listdir(folder) if pattern.match(n)]
    except OSError:
        return removed
    now = time.time()
    for name in names:
        path = folder / name
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | open_flags)
        except OSError:
            continue
        try:
            st = os.fstat(fd)
            if not is_kind(st.st_mode):
                continue
            locked = _lock(fd)
            if locked is False:
                continue  # a live writer
            if now - st.st_mtime < (older_than_s if locked else max(older_than_s, UNLOCKED_GRACE_S)):
                continue
            # the name must still be this entry (a writer may have renamed it into place meanwhile)
            if os.stat(path, follow_symlinks=False).st_ino != st.st_ino:
                continue
            remove(path)
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


def check_file_target(path) -> Path:
    """``path`` as a Path when a file can be written there, else a one-line WriteError: a name that
    fits (NAME_MAX), an existing folder, and no folder, pipe or device in the way. Creates nothing."""
    try:
        p = Path(os.fspath(path))
    except TypeError:
        raise ScorevizError(f"cannot write {path!r}: not a file name") from None
    if "\0" in os.fspath(p):
        raise WriteError(p, "the name holds a NUL character")
    if not p.name or p.name in (".", ".."):
        raise WriteError(p, "not a file name")
    if _name_bytes(p.name) > NAME_MAX:
        raise WriteError(p, os.strerror(errno.ENAMETOOLONG), errno.ENAMETOOLONG)
    folder = p.parent
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        raise WriteError(p, f"folder '{folder}' does not exist", errno.ENOENT) from None
    except NotADirectoryError:
        raise WriteError(p, f"'{folder}' is not a folder", errno.ENOTDIR) from None
    except OSError as e:
        raise write_error(p, e) from None
    if not stat.S_ISDIR(st.st_mode):
        raise WriteError(p, f"'{folder}' is not a folder", errno.ENOTDIR)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        return p
    except OSError as e:
        raise write_error(p, e) from None
    if stat.S_ISDIR(st.st_mode):
        raise WriteError(p, "it is a folder", errno.EISDIR)
    if not stat.S_ISREG(st.st_mode):
        raise WriteError(p, "it is not a regular file (a pipe, device or socket)")
    return p


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yields a temporary path beside ``path``; on success it is renamed to ``path``.

    The temporary file exists (empty) and is locked against ``clean_stale_temps``; the caller
    writes it by name.  Leftovers of killed earlier writes of ``path`` are removed first.
    Any OSError on the way (a full disk, a folder in the way, a name too long ...) leaves as a
    one-line WriteError naming ``path``, with the temporary file removed.
    """
    path = check_file_target(path)
    folder = path.parent
    clean_stale_temps(folder, path.name)
    try:
        fd, tmp_path = _new_temp(path, folder)
    except OSError as e:
        raise write_error(path, e) from None
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
    except BaseException as e:
        if fd is not None and fcntl is None:
            os.close(fd)
            fd = None
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        if isinstance(e, OSError):
            raise write_error(path, e) from e
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


def write_all(files: dict) -> None:
    """Write several files ({path: bytes}, in any folders), each atomically, as a group: every one is
    written and flushed to its temporary file before the first is renamed into place, so a failure
    while writing (a full disk ...) leaves none of them, only the one-line WriteError of the file
    that failed. (For files of one folder that must appear together even if killed: ``write_files``.)"""
    with contextlib.ExitStack() as stack:
        for path, data in files.items():
            stack.enter_context(atomic_path(path)).write_bytes(data)


# ============================================================================ sets of files
def check_folder_target(path) -> Path:
    """``path`` as a Path when ``write_files`` can write there, else a one-line WriteError: names
    that fit (NAME_MAX), an existing folder or none yet (then the nearest existing folder above it
    is a folder), and room to create files (a probe file is made and removed). Creates nothing else."""
    try:
        p = Path(os.fspath(path))
    except TypeError:
        raise ScorevizError(f"cannot write {path!r}: not a folder name") from None
    if "\0" in os.fspath(p):
        raise WriteError(p, "the name holds a NUL character")
    if any(_name_bytes(part) > NAME_MAX for part in p.parts):
        raise WriteError(p, os.strerror(errno.ENAMETOOLONG), errno.ENAMETOOLONG)
    probe_in = None
    for candidate in (p, *p.parents):
        try:
            st = os.stat(candidate)
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as e:
            raise write_error(p, e) from None
        if not stat.S_ISDIR(st.st_mode):
            raise WriteError(p, "it is a file; give a folder" if candidate == p else f"'{candidate}' is not a folder",
                             errno.ENOTDIR)
        probe_in = candidate
        break
    if probe_in is None:  # pragma: no cover - "." or "/" always exists
        raise WriteError(p, "no folder above it exists", errno.ENOENT)
    prefix, suffix = temp_prefix_suffix(SET_TEMP_NAME)
    try:
        fd, probe = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=probe_in)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise write_error(p, e) from None
    return p


def clean_stale_temp_folders(where: str | os.PathLike, name: str, older_than_s: float = 0.0) -> list[Path]:
    """Remove the temporary folders of ``name`` that killed ``write_files`` calls left in ``where``.

    As ``clean_stale_temps`` for files: only folders (never links) named by ``temp_pattern(name)``,
    never one a live writer holds locked; errors are ignored (housekeeping never stops a save)."""
    return _sweep(Path(where), temp_pattern(name), getattr(os, "O_DIRECTORY", 0), stat.S_ISDIR, shutil.rmtree,
                  older_than_s)


def _new_temp_folder(where: Path, name: str) -> tuple[int | None, Path]:
    """A fresh temporary folder for the set ``name`` in ``where``, locked by this process: (fd, path)."""
    prefix, suffix = temp_prefix_suffix(name)
    for _ in range(10):
        tmp = Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=where))
        try:
            fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:  # e.g. Windows opens no folder: no lock, the age rule protects it
            return None, tmp
        if _lock(fd) is not False:  # False: a cleaner holds it and is removing it
            try:
                if os.stat(tmp).st_ino == os.fstat(fd).st_ino:
                    return fd, tmp
            except FileNotFoundError:
                pass
        os.close(fd)
    raise OSError("cannot create a temporary folder")  # pragma: no cover


def _write_new(path: Path, data: bytes) -> None:
    """A new file in a temporary folder, flushed to disk."""
    path.write_bytes(data)
    fd = os.open(path, os.O_RDWR if os.name == "nt" else os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _move_in(tmp: Path, folder: Path, names: list[str]) -> None:
    """Rename the finished files ``names`` from ``tmp`` into the existing ``folder``, each atomically
    (an existing file keeps its permissions). If one rename fails, the files already moved are put
    back as they were (from hard links made first; where the file system has none, a file that
    existed before keeps the new content) and the error is raised."""
    backup = tmp / ".previous"
    backup.mkdir()
    done: list[tuple[str, bool, bool]] = []
    try:
        for n in names:
            src, dst = tmp / n, folder / n
            had = os.path.lexists(dst)
            saved = False
            if had:
                with contextlib.suppress(OSError):
                    os.chmod(src, stat.S_IMODE(os.stat(dst).st_mode))
                try:
                    os.link(dst, backup / n, follow_symlinks=False)
                    saved = True
                except (OSError, NotImplementedError):
                    pass
            os.replace(src, dst)
            done.append((n, had, saved))
        _fsync_folder(folder)
    except BaseException:
        for n, had, saved in reversed(done):
            with contextlib.suppress(OSError):
                if saved:
                    os.replace(backup / n, folder / n)
                elif not had:
                    os.unlink(folder / n)
        raise


def write_files(folder: str | os.PathLike, files: dict[str, bytes]) -> Path:
    """Write ``files`` ({file name: content}) into ``folder`` as a set: all of them or none.

    They are written and flushed in a temporary folder first (beside ``folder``, or inside it when it
    exists; locked, and removed by the next write of the same folder if the writer was killed). A
    folder that did not exist then appears with one rename, complete; into an existing folder the
    files are renamed one by one (each atomic; a failure puts back the files already replaced),
    other files there are left alone. On any failure nothing of this call is left: no temporary
    folder, no file, no folder it created. Errors are one-line WriteErrors naming the path."""
    folder = check_folder_target(folder)
    names = list(files)
    for n in names:
        if not n or n in (".", "..") or os.sep in n or (os.altsep and os.altsep in n):
            raise ValueError(f"write_files takes plain file names, not {n!r}")
    exists = os.path.isdir(folder)
    if exists:
        for n in names:
            if os.path.isdir(folder / n):
                raise WriteError(folder / n, "it is a folder", errno.EISDIR)
        where, temp_name = folder, SET_TEMP_NAME
    else:
        where, temp_name = folder.parent, folder.name
    created: list[Path] = []
    fd, tmp, current = None, None, folder
    try:
        if not exists:
            missing = [d for d in (where, *where.parents) if not os.path.isdir(d)]
            for d in reversed(missing):
                os.mkdir(d)
                created.append(d)
        elif folder.name:
            clean_stale_temp_folders(folder.parent, folder.name)  # of a killed write while it did not exist
        clean_stale_temp_folders(where, temp_name)
        fd, tmp = _new_temp_folder(where, temp_name)
        for n in names:
            current = folder / n
            _write_new(tmp / n, files[n])
        current = folder
        _fsync_folder(tmp)
        if exists:
            _move_in(tmp, folder, names)
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            with contextlib.suppress(OSError, NotImplementedError):
                os.chmod(tmp, 0o777 & ~_UMASK)  # mkdtemp makes 0700
            os.rename(tmp, folder)
            _fsync_folder(where)
        tmp = None
    except BaseException as e:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        for d in reversed(created):
            with contextlib.suppress(OSError):
                os.rmdir(d)
        if isinstance(e, OSError):
            raise write_error(current, e) from e
        raise
    finally:
        if fd is not None:
            os.close(fd)
    return folder


def stays_inside(path, folder) -> bool:
    """Whether ``path``, links resolved, lies inside ``folder`` (a resolved path); False for a link loop or
    a name the system refuses. Readers of paths a file names use it to keep out of the rest of the disk."""
    try:
        return Path(path).resolve().is_relative_to(folder)
    except (OSError, RuntimeError, ValueError):
        return False


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
