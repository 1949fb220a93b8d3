"""A dock on the right of a window for a view the display thread measures for (the Scorecard, the
Identities): its View action with a shortcut that also works with the menu bar hidden (talk mode), and
the display told to measure only while the dock is visible; ``MeasureView``, what both views share for
talk mode (their type ``PRESENTATION_SCALE`` times larger)."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

PRESENTATION_SCALE = 1.6  # talk mode: type this many times larger


def font(points: float, bold: bool = False) -> QtGui.QFont:
    f = QtGui.QFont()
    f.setPointSizeF(points)
    f.setBold(bold)
    return f


class MeasureView(QtWidgets.QWidget):
    """A measure view's talk mode: ``set_presentation(on)`` scales its type (``_scale``) and calls the
    subclass's ``_apply_fonts()``; off puts the normal look back."""

    _scale = 1.0

    def _apply_fonts(self) -> None:
        raise NotImplementedError

    def set_presentation(self, on: bool) -> None:
        scale = PRESENTATION_SCALE if on else 1.0
        if scale != self._scale:
            self._scale = scale
            self._apply_fonts()

    def presentation(self) -> bool:
        return self._scale != 1.0


def add_measure_dock(window, view: QtWidgets.QWidget, *, title: str, name: str, shortcut: str, tip: str,
                     action_tip: str, measures: str) -> QtWidgets.QDockWidget:
    """``view`` in a dock titled ``title`` (``name``: its object name, kept by saved window states); its
    toggle action carries ``shortcut``; ``window.evaluator.set_view(**{measures: visible})`` follows it.
    The texts come translated (the caller's ``tr``)."""
    dock = QtWidgets.QDockWidget(title, window)
    dock.setObjectName(name)
    dock.setWidget(view)
    dock.setFeatures(QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetFloatable
                     | QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetClosable)
    dock.setToolTip(tip)
    window.addDockWidget(QtCore.Qt.DockWidgetArea.RightDockWidgetArea, dock)
    act = dock.toggleViewAction()
    act.setText(title)
    act.setShortcut(QtGui.QKeySequence(shortcut))
    act.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
    act.setToolTip(action_tip)
    window.addAction(act)  # the shortcut works with the menu bar hidden (talk mode)
    evaluator = getattr(window, "evaluator", None)
    if evaluator is not None:
        dock.visibilityChanged.connect(lambda on: evaluator.set_view(**{measures: bool(on)}))
    return dock
