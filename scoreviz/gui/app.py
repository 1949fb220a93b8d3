"""``scoreviz`` with no arguments: build the application and the window, run, shut down cleanly.

The window is built inside ``main()`` and deleted before it returns: widgets still alive at
interpreter shutdown crash Python 3.11, and the exit code must be 0 every time.
"""

from __future__ import annotations

import os

from scoreviz.core.session import SessionConfig
from scoreviz.gui.i18n import install_translator
from scoreviz.gui.qt_app import application, dispose
from scoreviz.gui.windows.main_window import MainWindow


def main(cfg=None, threads: int = 1, path: str | os.PathLike | None = None) -> int:
    """Open the app on ``cfg`` (a SessionConfig; the defaults when None) with ``threads`` torch
    threads for training (1: the other core draws), opening ``path`` when given; return the Qt
    exit code (0 on a normal close)."""
    app = application()
    install_translator(app)  # English or Korean (View ▸ Language, $SCOREVIZ_LANG), before the window; the CLI stays English

    window = MainWindow(cfg if cfg is not None else SessionConfig(), threads=int(threads or 1))
    window.show()
    window.start()
    if path:
        window.open_path(os.fspath(path))
    rc = app.exec()
    dispose(window)
    del window
    return int(rc)
