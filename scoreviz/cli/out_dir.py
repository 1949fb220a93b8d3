"""The output folder of ``train`` and ``compare``: created if needed, checked writable before any work."""

from __future__ import annotations

import shutil
from pathlib import Path

from scoreviz.cli.errors import CliError


def prepare_out_dir(path: str) -> tuple[Path, bool]:
    """Create the output folder if needed; returns (folder, created). Refuses a file in the way."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise CliError(f"--out '{path}' is a file; give a folder")
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise CliError(f"--out '{path}' cannot be created: {e.strerror or e}") from None
    probe = folder / ".scoreviz-write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise CliError(f"--out '{path}' is not writable: {e.strerror or e}") from None
    return folder, created
