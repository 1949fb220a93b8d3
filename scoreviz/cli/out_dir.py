"""The output folder of ``train`` and ``compare``: checked before any work, written last as a set.

Nothing is created until the results are ready: ``check_out_dir`` refuses, in one line, an ``--out``
that could not be written (a file in the way, a name too long, no room to create files);
``scoreviz.core.atomic.write_files`` then writes the files together. A folder that did not exist
appears complete or not at all; an existing folder (empty or holding an earlier run) is reused:
the new files replace the old ones, each atomically, other files are left alone.
"""

from __future__ import annotations

from pathlib import Path

from scoreviz.core.atomic import check_folder_target


def check_out_dir(path: str) -> Path:
    """``--out DIR`` as a Path, or a one-line WriteError (exit code 2). Creates nothing."""
    return check_folder_target(path)
