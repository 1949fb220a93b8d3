"""What every section of the dock shares: the titled ``Section`` and its error line.

``Section`` is a group box with a form whose ``send_config`` emits the section's config or shows
the core's refusal under it (``error_label``, ``show_error``); ``compatible`` asks the core whether
an objective accepts an activation; ``SPEEDS`` are the training speeds the windows offer.
"""

from __future__ import annotations

import html

from PySide6 import QtCore, QtWidgets

from scoreviz.core.models import ModelConfig
from scoreviz.core.objectives import ObjectiveConfig, check_compatible
from scoreviz.core.text import plain
from scoreviz.gui import style
from scoreviz.gui.i18n import N_, line_of
from scoreviz.gui.controls.widgets import form_layout

# (steps per second, label): the labels are marked for translation; the window shows ``tr(label)``
SPEEDS = [(0, N_("max")), (500, N_("500 steps/s")), (200, N_("200 steps/s")), (100, N_("100 steps/s")),
          (50, N_("50 steps/s")), (20, N_("20 steps/s")), (10, N_("10 steps/s")), (5, N_("5 steps/s")),
          (2, N_("2 steps/s")), (1, N_("1 step/s"))]


def compatible(objective: str, activation: str) -> bool:
    """Whether the core accepts this objective with this activation (e.g. ism/ssm refuse ReLU)."""
    try:
        check_compatible(ObjectiveConfig(name=objective),
                         ModelConfig(activation=activation, noise_conditional=objective == "ncsn"))
    except ValueError:
        return False
    return True


def error_label() -> QtWidgets.QLabel:
    """A hidden, selectable label in the error colour (``show_error`` fills and shows it)."""
    lab = QtWidgets.QLabel()
    lab.setTextFormat(QtCore.Qt.TextFormat.PlainText)  # what a file says is shown as text, never as markup
    lab.setWordWrap(True)
    lab.setStyleSheet(f"color: {style.ERROR};")
    lab.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
    lab.hide()
    return lab


def show_error(label: QtWidgets.QLabel, text: str | None) -> None:
    """Show ``text`` in ``label`` (and its tooltip); no text hides the label."""
    if text:
        text = plain(text)
        label.setText(text)
        label.setToolTip(html.escape(text))  # tooltips take markup: escaped
        label.show()
    else:
        label.clear()
        label.hide()


class Section(QtWidgets.QGroupBox):
    """A titled group with a form layout."""

    def __init__(self, title: str, tip: str = "", parent=None):
        super().__init__(title, parent)
        self.setToolTip(tip)
        self.form = form_layout()
        self.setLayout(self.form)

    def send_config(self, signal) -> None:
        """Emit ``self.config()`` on ``signal``; the core's refusal shows under the section instead."""
        try:
            cfg = self.config()
        except Exception as e:
            show_error(self.error, line_of(e))
            return
        show_error(self.error, None)
        signal.emit(cfg)
