"""Checks made before an export starts: can a file, or files in a folder, be written there.

``check_target(path)`` and ``check_folder(folder)`` raise a one-line ScorevizError when the file or
folder cannot be written (no such folder, a folder where a file should go, a read-only folder);
``with_suffix(path, suffix)`` adds the suffix a save dialog's file name lacks.
"""

from __future__ import annotations

import os

from scoreviz.core.errors import ScorevizError
from scoreviz.gui.i18n import tr


def check_target(path: str) -> None:
    """ScorevizError when ``path`` cannot be written: no such folder, a folder itself, a read-only folder."""
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise ScorevizError(tr("cannot write '{path}': folder '{folder}' does not exist").format(
            path=path, folder=folder))
    if os.path.isdir(path):
        raise ScorevizError(tr("cannot write '{path}': it is a folder").format(path=path))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ScorevizError(tr("cannot write '{path}': folder '{folder}' is not writable").format(
            path=path, folder=folder))


def check_folder(folder: str) -> None:
    """ScorevizError when files cannot be written into ``folder``."""
    if not os.path.isdir(folder):
        raise ScorevizError(tr("cannot write into '{folder}': it is not an existing folder").format(folder=folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ScorevizError(tr("cannot write into '{folder}': the folder is not writable").format(folder=folder))


def with_suffix(path: str, suffix: str) -> str:
    """``path`` ending in ``suffix`` (added when the name has another or none)."""
    return path if path.lower().endswith(suffix) else path + suffix
