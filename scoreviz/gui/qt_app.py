"""The QApplication: created once, dark-styled, offscreen where there is no display; disposing of windows.

Everything that renders (the windows, the offscreen renderers, the benchmarks) starts here; the
app's entry point is ``scoreviz.gui.app.main``.
"""

from __future__ import annotations

import gc
import os
import sys

import shiboken6
from PySide6 import QtCore, QtWidgets
from pyqtgraph.util.garbage_collector import GarbageCollector

from scoreviz.gui import style
from scoreviz.gui.jobs import install_shutdown


def ensure_platform() -> None:
    """Offscreen Qt when there is no display (CI, ssh, the benchmark on a headless machine)."""
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


_QUIET_QT = ("propagateSizeHints",)  # harmless notes of the offscreen platform plugin


def _qt_messages(mode, context, message) -> None:
    if any(q in message for q in _QUIET_QT):
        return
    sys.stderr.write(message + "\n")


def application():
    """The QApplication (created once, dark-styled)."""
    ensure_platform()  # before the QApplication is built: it reads QT_QPA_PLATFORM then
    defer_dynamo_import()
    app = QtWidgets.QApplication.instance()
    if app is None:
        QtCore.qInstallMessageHandler(_qt_messages)
        app = QtWidgets.QApplication(sys.argv[:1])
        app.setApplicationName("scoreviz")
        app.setOrganizationName("scoreviz")
        app.setApplicationDisplayName("scoreviz")
        style.apply_dark_palette(app)
        install_shutdown(app)  # background jobs are awaited at aboutToQuit
        collect_on_gui_thread()
    style.configure_pyqtgraph()
    return app


_GC: GarbageCollector | None = None
GC_TIMER_NAME = "scoreviz-gc"


def collect_on_gui_thread() -> None:
    """Python's cyclic garbage collection runs on the GUI thread only (pyqtgraph's GarbageCollector:
    automatic collection off, a 0.5 s timer collects by the same thresholds). A collection started by
    an allocation in a worker thread would delete Qt widgets of a dropped cycle there, which can
    deadlock or crash Qt."""
    global _GC
    if _GC is None:
        _GC = GarbageCollector(interval=0.5)
        _GC.timer.setObjectName(GC_TIMER_NAME)


def defer_dynamo_import() -> None:
    """Let ``torch.optim`` optimisers be built without importing ``torch._dynamo`` (~1 s) first.

    Optimizer methods are wrapped by ``torch._disable_dynamo``, which imports ``torch._dynamo`` on
    their first call only to mark them "not for torch.compile". scoreviz never compiles, so the
    mark can be the function itself; the import then happens at the first training step instead
    of before the window can draw its first field. Harmless where torch's internals differ.
    """
    if "torch._dynamo" in sys.modules:
        return
    try:
        import torch.optim.optimizer as optimizer_module  # lazy: only to defer torch._dynamo; harmless without
    except ImportError:
        return
    for attr in vars(optimizer_module.Optimizer).values():
        fn = attr
        while callable(fn) and hasattr(fn, "__wrapped__"):
            fn = fn.__wrapped__
        if fn is not attr and callable(fn) and not hasattr(fn, "__dynamo_disable"):
            try:
                fn.__dynamo_disable = fn
            except (AttributeError, TypeError):
                pass


def dispose(window) -> None:
    """Stop the workers, delete the window's C++ objects now, collect."""
    window.shutdown()
    if shiboken6.isValid(window):
        shiboken6.delete(window)
    gc.collect()
