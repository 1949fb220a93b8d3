"""Fixtures shared by every test folder (folder-specific ones live in each folder's conftest.py)."""

from __future__ import annotations

import os

import pytest

# the interface in English whatever the machine's locale or stored choice (tests read its texts);
# tests/gui/test_i18n.py switches to Korean explicitly
os.environ["SCOREVIZ_LANG"] = "en"
os.environ["SCOREVIZ_TRAIN_PROCESS"] = "0"  # a process per window costs ~1.5 s of start-up; the tests that need it ask for it


@pytest.fixture
def one_torch_thread():
    """Small tensor ops on one torch thread, restored afterwards: torch's default thread count makes them
    several times slower on a busy 2-core machine. Use: ``pytestmark = pytest.mark.usefixtures("one_torch_thread")``."""
    import torch  # lazy: the Qt-only test folders need not load torch to collect

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
