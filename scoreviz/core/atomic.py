"""Atomic file writes: a temporary file in the same folder, then a rename into place.

A reader never sees a half-written file, and a failed write leaves the previous file intact and
no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from scoreviz.core.errors import ScorevizError


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yields a temporary path beside ``path``; on success it is renamed to ``path``."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ScorevizError(f"cannot write '{path}': folder '{folder}' does not exist")
    try:
        # the temporary name keeps the real suffix (some writers check it) and starts with a dot
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}", dir=folder)
    except OSError as e:
        raise ScorevizError(f"cannot write '{path}': {e.strerror or e}") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: str | os.PathLike, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_with(path: str | os.PathLike, writer: Callable[[Path], None]) -> None:
    """``writer(tmp_path)`` writes the content; then it is renamed into place."""
    with atomic_path(path) as tmp:
        writer(tmp)
