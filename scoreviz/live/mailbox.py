"""Latest-value hand-overs between the app's threads.

A ``Mailbox`` holds only the newest value: the trainer puts states, the display thread puts
frames, and a reader takes (or peeks at) the newest one; older values are dropped and nothing
ever waits on the GUI thread. ``NotifyingMailbox`` also sets a ``threading.Event`` when a value
arrives, so a reader can sleep until there is news.
"""

from __future__ import annotations

import threading
from typing import Any


class Mailbox:
    """A thread-safe slot that holds only the newest value."""

    def __init__(self):
        self._lock = threading.Lock()
        self._value = None
        self._serial = 0

    def put(self, value) -> None:
        with self._lock:
            self._value = value
            self._serial += 1

    def take(self):
        """The newest value, once (None when nothing new arrived)."""
        with self._lock:
            v, self._value = self._value, None
            return v

    def peek(self) -> tuple[int, Any]:
        """(serial, newest value), without consuming it."""
        with self._lock:
            return self._serial, self._value


class NotifyingMailbox(Mailbox):
    """A Mailbox that wakes a waiting reader when a value arrives."""

    def __init__(self):
        super().__init__()
        self.news = threading.Event()

    def put(self, value) -> None:
        super().put(value)
        self.news.set()
