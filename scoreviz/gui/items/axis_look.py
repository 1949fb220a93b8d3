"""``AxisLook``: the presentation styling of a pyqtgraph AxisItem, captured, scaled and put back.

Talk mode scales axes' fonts and reserved space up; ``AxisLook.of`` records an axis as it is,
``scaled`` makes a larger copy and ``apply`` restores either exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6 import QtGui


@dataclass(frozen=True)
class AxisLook:
    """What presentation styling changes on a pyqtgraph AxisItem, captured so it can be put back exactly."""

    tick_font: QtGui.QFont | None  # None: the widget's font
    label_style: dict  # CSS of the axis label, e.g. {"color": "#7d8594", "font-size": "10pt"}
    fixed_width: float | None  # space for ticks and labels (None: automatic)
    fixed_height: float | None
    text_width: float  # the automatic space pyqtgraph has grown to fit the tick labels
    text_height: float

    @classmethod
    def of(cls, axis: pg.AxisItem) -> "AxisLook":
        return cls(axis.style["tickFont"], dict(axis.labelStyle), axis.fixedWidth, axis.fixedHeight,
                   axis.textWidth, axis.textHeight)

    def scaled(self, factor: float, base_font: QtGui.QFont) -> "AxisLook":
        """The same axis with fonts and reserved space ``factor`` times larger."""
        font = QtGui.QFont(self.tick_font if self.tick_font is not None else base_font)
        font.setPointSizeF(font.pointSizeF() * factor)
        style = dict(self.label_style)
        size = _css_points(style.get("font-size"), base_font)
        style["font-size"] = f"{size * factor:.3g}pt"

        def grow(v):
            return None if v is None else round(v * factor)

        return AxisLook(font, style, grow(self.fixed_width), grow(self.fixed_height),
                        grow(self.text_width), grow(self.text_height))

    def apply(self, axis: pg.AxisItem) -> None:
        axis.setTickFont(self.tick_font)
        axis.textWidth, axis.textHeight = self.text_width, self.text_height
        axis.labelStyle = dict(self.label_style)
        # re-render the label with its style (text and units unchanged); then reserve the space
        axis.setLabel(axis.labelText or None, axis.labelUnits or None, axis.labelUnitPrefix or None)
        if axis.orientation in ("left", "right"):
            axis.setWidth(self.fixed_width)
        else:
            axis.setHeight(self.fixed_height)


def _css_points(size: str | None, base_font: QtGui.QFont) -> float:
    """A CSS font size ("10pt", "14px") in points; the base font's size when there is none."""
    if size:
        text = size.strip().lower()
        try:
            if text.endswith("pt"):
                return float(text[:-2])
            if text.endswith("px"):
                return float(text[:-2]) * 0.75
        except ValueError:
            pass
    return base_font.pointSizeF() if base_font.pointSizeF() > 0 else 9.0

