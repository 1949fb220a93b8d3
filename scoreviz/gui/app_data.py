"""Where the app keeps its own files: the recent-files list, autosaves, the folders its dialogs
last used; and where the examples are.

The data folder is ``$SCOREVIZ_DATA_DIR`` when set (tests and portable installs use it), else
Qt's per-user application-data folder (``~/.local/share/scoreviz`` on Linux). Every write is
atomic (``scoreviz.core.atomic``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6 import QtCore

import scoreviz
from scoreviz.core.atomic import write_text

RECENT_MAX = 10
RECENT_FILE = "recent.json"


def data_dir() -> Path:
    """The app's own folder (created on first use)."""
    env = os.environ.get("SCOREVIZ_DATA_DIR")
    if env:
        path = Path(env)
    else:
        loc = QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.StandardLocation.AppLocalDataLocation)
        path = Path(loc or Path.home() / ".scoreviz")
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """The repository's ``resources/`` folder (images and example sessions)."""

    return Path(scoreviz.__file__).resolve().parent.parent / "resources"


def examples() -> list[dict]:
    """The example sessions listed in ``resources/examples/index.json``: dicts with path, title, description."""
    folder = resources_dir() / "examples"
    try:
        entries = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    out = []
    for e in entries if isinstance(entries, list) else []:
        if isinstance(e, dict) and isinstance(e.get("file"), str) and (folder / e["file"]).is_file():
            out.append({"path": str(folder / e["file"]), "title": str(e.get("title", e["file"])),
                        "description": str(e.get("description", ""))})
    return out


def recent_files() -> list[str]:
    """Recently opened or saved files, newest first (missing ones included: the menu greys them)."""
    try:
        items = json.loads((data_dir() / RECENT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [p for p in items if isinstance(p, str)][:RECENT_MAX] if isinstance(items, list) else []


def _write_recent(items: list[str]) -> None:

    try:
        write_text(data_dir() / RECENT_FILE, json.dumps(items[:RECENT_MAX], indent=1) + "\n")
    except OSError:
        pass  # a read-only home must not stop the app; the list just is not remembered


def add_recent(path: str | os.PathLike) -> None:
    p = str(Path(path).resolve())
    _write_recent([p] + [q for q in recent_files() if q != p])


def clear_recent() -> None:
    _write_recent([])


def autosave_dir() -> Path:
    path = data_dir() / "autosave"
    path.mkdir(parents=True, exist_ok=True)
    return path


# ---------------------------------------------------------------------- the folders dialogs start in
FOLDERS_FILE = "folders.json"
# what a dialog saves or opens -> the platform folder it starts in until the user has chosen one
_STANDARD = {
    "recordings": ("MoviesLocation", "Videos"),  # recordings and animations
    "figures": ("PicturesLocation", "Pictures"),  # exported figures, the compare window's figure
    "images": ("PicturesLocation", "Pictures"),  # images opened as the target
    "exports": ("DocumentsLocation", "Documents"),  # fields, models, curves, summaries, density files
    "sessions": ("DocumentsLocation", "Documents"),  # .scoreviz sessions
}


def standard_folder(kind: str) -> str:
    """The platform's folder for ``kind`` (Videos for recordings, Pictures for figures and images,
    Documents for the rest), from QStandardPaths; never the home folder itself."""
    location, fallback = _STANDARD.get(kind, _STANDARD["exports"])
    S = QtCore.QStandardPaths
    path = S.writableLocation(getattr(S.StandardLocation, location))
    home = os.path.normpath(QtCore.QDir.homePath() or str(Path.home()))
    if not path or os.path.normpath(path) == home:
        path = os.path.join(home, fallback)
    return path


def _read_folders() -> dict:
    try:
        d = json.loads((data_dir() / FOLDERS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in d.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(d, dict) else {}


def last_folder(kind: str) -> str | None:
    """The folder last used for ``kind`` (None when there is none, or it is gone)."""
    p = _read_folders().get(kind)
    return p if p and os.path.isdir(p) else None


def remember_folder(kind: str, path: str | os.PathLike) -> None:
    """Remember the folder of ``path`` (a file, or a folder itself) as the last one used for ``kind``."""

    p = os.path.abspath(os.fspath(path))
    folder = p if os.path.isdir(p) else os.path.dirname(p)
    if not folder:
        return
    d = _read_folders()
    if d.get(kind) == folder:
        return
    d[kind] = folder
    try:
        write_text(data_dir() / FOLDERS_FILE, json.dumps(d, indent=1) + "\n")
    except OSError:
        pass


def default_folder(kind: str, create: bool = True) -> str:
    """Where a dialog for ``kind`` starts: the last folder used for it, else the platform's folder
    (``standard_folder``, made when missing and ``create``)."""
    last = last_folder(kind)
    if last:
        return last
    path = standard_folder(kind)
    if create and not os.path.isdir(path):
        try:
            os.makedirs(path, exist_ok=True)
        except OSError:
            pass
    return path
