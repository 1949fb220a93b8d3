"""Colours, colour maps and pyqtgraph's global options: one look for the window and the PNGs."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui, QtWidgets

BACKGROUND = "#101318"
FOREGROUND = "#c9ced8"
MUTED = "#7d8594"
ACCENT = "#4cc2ff"
ERROR = "#ff6b6b"
LOSS_PEN = "#ffb454"
FISHER_PEN = "#4cc2ff"

_configured = False


def configure_pyqtgraph() -> None:
    """Set pyqtgraph's global options once (row-major images, dark plots, no global antialias)."""
    global _configured
    if _configured:
        return
    pg.setConfigOptions(
        background=BACKGROUND,
        foreground=FOREGROUND,
        imageAxisOrder="row-major",
        antialias=False,
        useNumba=False,
    )
    _configured = True


def arrow_colormap() -> pg.ColorMap:
    """Magnitude of a score: plasma without its darkest fifth, so slow arrows stay visible on the dark plot."""
    return _truncated("plasma", 0.22, 1.0)


def density_colormap() -> pg.ColorMap:
    """log p under the particles: dark, so white particles read well on top."""
    return _truncated("magma", 0.0, 0.82)


def density_lut() -> np.ndarray:
    """The density colour map as a (256, 3) uint8 table (for the display worker's numpy compositing)."""
    return density_colormap().getLookupTable(0.0, 1.0, 256, alpha=False)


def error_colormap() -> pg.ColorMap:
    """||s_theta - grad log q||: black where the model is right, bright where it is wrong."""
    return pg.colormap.get("inferno")


def _truncated(name: str, lo: float, hi: float) -> pg.ColorMap:
    base = pg.colormap.get(name)
    pos = np.linspace(0.0, 1.0, 64)
    colours = base.map(lo + (hi - lo) * pos, mode="byte")
    return pg.ColorMap(pos, colours, name=f"{name}[{lo:g}:{hi:g}]")


def apply_dark_palette(app) -> None:
    """Fusion style with a dark palette matching the plots (once per QApplication)."""

    app.setStyle(QtWidgets.QStyleFactory.create("Fusion"))
    P = QtGui.QPalette
    pal = P()
    base, window, text = QtGui.QColor("#181b21"), QtGui.QColor("#1f232b"), QtGui.QColor(FOREGROUND)
    pal.setColor(P.ColorRole.Window, window)
    pal.setColor(P.ColorRole.WindowText, text)
    pal.setColor(P.ColorRole.Base, base)
    pal.setColor(P.ColorRole.AlternateBase, window)
    pal.setColor(P.ColorRole.ToolTipBase, QtGui.QColor("#2b303a"))
    pal.setColor(P.ColorRole.ToolTipText, text)
    pal.setColor(P.ColorRole.Text, text)
    pal.setColor(P.ColorRole.Button, QtGui.QColor("#2a2f39"))
    pal.setColor(P.ColorRole.ButtonText, text)
    pal.setColor(P.ColorRole.BrightText, QtGui.QColor(ERROR))
    pal.setColor(P.ColorRole.Highlight, QtGui.QColor("#2d6fa3"))
    pal.setColor(P.ColorRole.HighlightedText, QtGui.QColor("#ffffff"))
    pal.setColor(P.ColorRole.Link, QtGui.QColor(ACCENT))
    pal.setColor(P.ColorRole.PlaceholderText, QtGui.QColor(MUTED))
    for role in (P.ColorRole.WindowText, P.ColorRole.Text, P.ColorRole.ButtonText):
        pal.setColor(P.ColorGroup.Disabled, role, QtGui.QColor("#5c6370"))
    app.setPalette(pal)
    app.setStyleSheet("QToolTip { color: %s; background: #2b303a; border: 1px solid #3a404c; }"
                      "QGroupBox { font-weight: bold; border: 1px solid #303540; border-radius: 4px; margin-top: 8px; }"
                      "QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 3px; }" % FOREGROUND)
