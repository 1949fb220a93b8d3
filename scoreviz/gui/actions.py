"""Window-wide actions with shortcuts and tooltips (menus, toolbars, talk mode, the recorder)."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets


def make_action(window: QtWidgets.QWidget, text: str, slot=None, shortcuts=(), tip: str = "",
                checkable: bool = False, sep: str = ", ") -> QtGui.QAction:
    """A window-wide action: its shortcuts (one key sequence or several; none) work wherever the
    focus is in ``window``, even with the menu bar hidden; the tooltip names them."""
    if isinstance(shortcuts, str):
        shortcuts = (shortcuts,)
    seqs = [QtGui.QKeySequence(s) for s in shortcuts or ()]
    a = QtGui.QAction(text, window)
    if seqs:
        a.setShortcuts(seqs)
        a.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
    keys = sep.join(s.toString(QtGui.QKeySequence.SequenceFormat.NativeText) for s in seqs)
    a.setToolTip(tip + (f" ({keys})" if keys else ""))
    a.setStatusTip(tip)
    a.setCheckable(checkable)
    if slot is not None:
        (a.toggled if checkable else a.triggered).connect(slot)
    window.addAction(a)
    return a
