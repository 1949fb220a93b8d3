"""The error banner above the panels of both windows."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from scoreviz.core.text import plain
from scoreviz.gui import style
from scoreviz.gui.i18n import tr


class ErrorBanner(QtWidgets.QFrame):
    """A red line above the panels for errors; × dismisses it. Its button fits the error: Reset for
    a training fault (the default); for a GPU failure also "Continue on CPU" (``show_message(text,
    on_cpu)``); for anything else the caller's own button (``show_message(text, action=(label,
    callable, tooltip))``, e.g. "Open another…" for a refused file), never Reset."""

    resetRequested = QtCore.Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self.setStyleSheet(f"#errorBanner {{ background: #4a1f24; border: 1px solid {style.ERROR}; border-radius: 3px; }}"
                           f"#errorBanner QLabel {{ color: #ffd9d9; }}")
        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 4, 4)
        self.label = QtWidgets.QLabel()
        self.label.setTextFormat(QtCore.Qt.TextFormat.PlainText)  # a file's words are text, never markup
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reset = QtWidgets.QPushButton(tr("Reset"))
        self.reset.setToolTip(tr("Start over with a fresh model (Ctrl+R)"))
        self.cpu = QtWidgets.QPushButton(tr("Continue on &CPU"))
        self.cpu.setToolTip(tr("The GPU failed: train on the CPU from now on, a fresh model that starts at once (Alt+C)"))
        self.cpu.hide()
        self._on_cpu = None
        self.action = QtWidgets.QPushButton()  # the caller's button (show_message(..., action=...))
        self.action.hide()
        self._on_action = None
        close = QtWidgets.QToolButton()
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip(tr("Dismiss this message"))
        self.dismiss = close
        lay.addWidget(self.label, 1)
        lay.addWidget(self.action)
        lay.addWidget(self.reset)
        lay.addWidget(self.cpu)
        lay.addWidget(close)
        self.reset.clicked.connect(self.resetRequested)
        self.cpu.clicked.connect(self._cpu_clicked)
        self.action.clicked.connect(self._action_clicked)
        close.clicked.connect(self.hide)
        self.hide()

    def show_message(self, text: str, on_cpu=None, action=None) -> None:
        """Show ``text``. With ``on_cpu`` (a callable) the "Continue on CPU" button shows too and calls
        it. With ``action`` = (label, callable[, tooltip]) that button replaces Reset: the error is not
        a training fault (a file refused, a save that failed), so starting over would not fit."""
        self.label.setText(plain(text))
        self._on_cpu = on_cpu
        self.cpu.setVisible(on_cpu is not None)
        if action is not None:
            label, fn, *tip = action
            self.action.setText(label)
            self.action.setToolTip(tip[0] if tip else "")
            self._on_action = fn
        else:
            self._on_action = None
        self.action.setVisible(action is not None)
        self.reset.setVisible(action is None)
        self.show()

    def _action_clicked(self) -> None:
        fn, self._on_action = self._on_action, None
        self.hide()
        if fn is not None:
            fn()

    def _cpu_clicked(self) -> None:
        on_cpu, self._on_cpu = self._on_cpu, None
        self.hide()
        if on_cpu is not None:
            on_cpu()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
