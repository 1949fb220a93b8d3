"""The comparison's picture offscreen: ``CompareFigure`` and the PNG renderers.

``CompareFigure`` stacks a header, the compare window's ``ComparePanels`` and ``CompareCurves``;
``render_frame_png`` draws a ``CompareFrame`` with it offscreen; ``render_compare_png`` does it for
a ``Comparison`` (``scoreviz compare``), so the window's "Save figure" and the command line give
the same picture.
"""

from __future__ import annotations

import numpy as np
import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.gui import style
from scoreviz.gui.i18n import tr
from scoreviz.gui.qt_app import application
from scoreviz.gui.views.compare_curves import CompareCurves
from scoreviz.gui.views.compare_panels import ComparePanels, config_colour
from scoreviz.live.compare_display import DEFAULT_GRID, CompareView, comparison_frame


class CompareFigure(QtWidgets.QWidget):
    """Panels over curves: what ``compare.png`` shows."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(style.BACKGROUND))
        self.setPalette(pal)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setSizeConstraint(QtWidgets.QLayout.SizeConstraint.SetNoConstraint)  # any requested size
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(4)
        self.header = QtWidgets.QLabel()
        self.header.setWordWrap(True)
        self.header.setStyleSheet(f"color: {style.FOREGROUND}; font-size: 10pt;")
        self.panels = ComparePanels()
        self.curves = CompareCurves()
        for w in (self.panels, self.curves):  # the stretch factors alone share the height
            w.setMinimumSize(1, 1)
            w.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Ignored)
        lay.addWidget(self.header)
        lay.addWidget(self.panels, 5)
        lay.addWidget(self.curves, 2)
        self._layout = lay

    def show_frame(self, frame) -> None:
        parts = []
        for i, c in enumerate(frame.configs):
            rel = next((p.relative_fisher_divergence for p in reversed(frame.curves) if p.objective == c.label), None)
            rate = c.steps_per_s
            parts.append(f'<span style="color:{config_colour(i)}"><b>{c.label}</b></span> '
                         + tr("rel. F {rel} · {rate:,.0f} steps/s").format(rel=_fmt(rel), rate=rate or 0))
        self.header.setText(tr("<b>{density}</b> · step {step:,} · {configs}").format(
            density=frame.density_name, step=frame.step, configs=" &nbsp; ".join(parts)))
        self.panels.show_frame(frame)
        self.curves.show_frame(frame)

    def fit_panels(self) -> None:
        """Panels about square (within 40-72% of the height); the curves take the rest."""
        h = self.height()
        if h < 200:
            return
        top = min(max(self.panels.square_height(self.width() - 8), int(h * 0.4)), int(h * 0.72))
        self._layout.setStretch(1, top)
        self._layout.setStretch(2, max(1, h - top))
        self._layout.activate()


def _fmt(v) -> str:
    return "—" if v is None or not np.isfinite(v) else f"{v:.3g}"


# ============================================================================ PNG
def render_frame_image(frame, size: tuple[int, int]) -> QtGui.QImage:
    """Draw a CompareFrame offscreen at ``size`` (W, H) pixels with the window's widgets (GUI thread)."""
    w, h = int(size[0]), int(size[1])
    fig = CompareFigure()
    try:
        fig.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        fig.resize(w, h)
        fig.show()
        QtWidgets.QApplication.processEvents()
        fig.show_frame(frame)  # sets the view to the density's box
        fig.fit_panels()
        QtWidgets.QApplication.processEvents()
        fig.panels.reset_view()  # the density's box in the panels' final shape
        QtWidgets.QApplication.processEvents()
        image = fig.grab().toImage()
        if (image.width(), image.height()) != (w, h):  # a high-dpi screen, or a size below the layout's minimum
            image = image.scaled(w, h, QtCore.Qt.AspectRatioMode.IgnoreAspectRatio,
                                 QtCore.Qt.TransformationMode.SmoothTransformation)
    finally:
        fig.close()
        shiboken6.delete(fig)
    return image


def render_frame_png(frame, size: tuple[int, int]) -> bytes:
    """``render_frame_image`` encoded as PNG bytes."""
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    if not render_frame_image(frame, size).save(buf, "PNG"):
        raise RuntimeError("could not encode the comparison figure as PNG")
    data = bytes(buf.data())
    buf.close()
    return data


def render_compare_png(comparison, size: tuple[int, int] = (1600, 1000), grid: int | None = None) -> bytes:
    """The comparison's figure as PNG bytes: the shared true field and density, every configuration's
    learned field and error heat map, and the relative Fisher curves against steps and seconds.

    Headless: creates the (offscreen when there is no display) QApplication if none exists. Fields
    are evaluated in float32 on ``grid`` points per axis (default: the compare window's).
    """
    application()
    frame = comparison_frame(comparison, CompareView(grid=int(grid or DEFAULT_GRID)))
    return render_frame_png(frame, size)
