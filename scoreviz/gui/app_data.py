"""Where the app keeps its own files: the recent-files list, autosaves; and where the examples are.

The data folder is ``$SCOREVIZ_DATA_DIR`` when set (tests and portable installs use it), else
Qt's per-user application-data folder (``~/.local/share/scoreviz`` on Linux). Every write is
atomic (``scoreviz.core.atomic``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6 import QtCore

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
    import scoreviz

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
    from scoreviz.core.atomic import write_text

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
