"""GUI tests: real widgets under pytest-qt, offscreen when there is no display.

Every test fails if it leaves a QThread running, a QTimer active or a scoreviz worker thread alive.
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
import threading

if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the app's own files (recent list, autosaves) go to a throw-away folder, never the user's
os.environ["SCOREVIZ_DATA_DIR"] = tempfile.mkdtemp(prefix="scoreviz-test-data-")

import pytest

pytest.importorskip("pytestqt")

from PySide6 import QtCore  # noqa: E402
import shiboken6  # noqa: E402

from helpers import COMPARE_BASE, COMPARE_PAIR, small_config  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _scoreviz_application():
    """The app's own QApplication setup (style, palette, pyqtgraph options) before pytest-qt's qapp."""
    from scoreviz.gui.qt_app import application

    return application()


def _live_qt_objects():
    threads, timers = [], []
    for obj in gc.get_objects():
        kind = type(obj)  # not isinstance: that would touch lazy module proxies (warnings)
        try:
            if issubclass(kind, QtCore.QThread):
                if shiboken6.isValid(obj) and obj.isRunning():
                    threads.append(obj)
            elif issubclass(kind, QtCore.QTimer):
                # the app's garbage-collection timer runs for the application's lifetime (qt_app)
                if shiboken6.isValid(obj) and obj.isActive() and obj.objectName() != "scoreviz-gc":
                    timers.append(obj)
        except RuntimeError:  # a wrapper whose C++ object is gone
            continue
    return threads, timers


@pytest.fixture(autouse=True)
def no_leftover_threads_or_timers(qapp):
    """Fail a test that leaves a QThread running, a QTimer active or a worker thread alive."""
    yield
    for _ in range(3):
        qapp.processEvents()
    gc.collect()
    threads, timers = _live_qt_objects()
    workers = [t.name for t in threading.enumerate() if t.name.startswith("scoreviz")]
    problems = []
    if threads:
        problems.append(f"QThreads still running: {[t.objectName() or type(t).__name__ for t in threads]}")
    if timers:
        problems.append(f"QTimers still active: {[t.objectName() or repr(t) for t in timers]}")
    if workers:
        problems.append(f"worker threads alive: {workers}")
    for t in threads:  # leave the next test a clean process
        if hasattr(t, "stop"):
            t.stop()
        t.quit()
        t.wait(5000)
    for t in timers:
        t.stop()
    assert not problems, "; ".join(problems)


@pytest.fixture
def make_window(qtbot):
    """Build, show and start a MainWindow; it is closed, joined and deleted after the test."""
    from scoreviz.gui.qt_app import dispose
    from scoreviz.gui.windows.main_window import MainWindow

    made = []

    def make(cfg=None, density=None, autoplay=False, interactive=False):
        w = MainWindow(cfg or small_config(), density=density, threads=1, autoplay=autoplay, interactive=interactive)
        w.resize(1400, 900)
        w.show()
        w.start()
        made.append(w)
        return w

    yield make
    for w in made:
        if shiboken6.isValid(w):
            w.close()
            dispose(w)


@pytest.fixture
def make_compare(qtbot):
    """Build, show and start a CompareWindow (``spec`` or ``objectives``: the configurations, as
    ``scoreviz compare --objectives`` takes them); closed, joined and deleted after the test."""
    from scoreviz.core.compare import parse_objectives
    from scoreviz.gui.windows.compare_window import CompareWindow

    made = []

    def make(spec=COMPARE_PAIR, cfg=None, density=None, eval_every=5, autoplay=False, size=(1400, 900),
             objectives=None):
        w = CompareWindow(cfg or COMPARE_BASE, density=density, objectives=parse_objectives(objectives or spec),
                          threads=1, autoplay=autoplay, eval_every=eval_every)
        w.resize(*size)
        w.show()
        w.start()
        made.append(w)
        return w

    yield make
    for w in made:
        if shiboken6.isValid(w):
            w.close()
            shiboken6.delete(w)


@pytest.fixture
def korean(qapp):
    """The interface in Korean for one test (the Korean translator installed), English again after it."""
    from scoreviz.gui import i18n

    assert i18n.install_translator(qapp, "ko") == "ko"
    yield
    assert i18n.install_translator(qapp, "en") == "en"
