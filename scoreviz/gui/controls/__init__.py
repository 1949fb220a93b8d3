"""The control dock: density, objective, model, optimiser, sampler, device and display settings.

The dock only builds validated config objects (the core's dataclasses) and densities, and emits
them; the window forwards them to the training worker. Every spin box takes its range from the
core: configuration numbers from the one table of limits (``scoreviz.core.limits``, through
``limited_spin_box``), density parameters from their presets' specs, so a value the core would
refuse cannot be entered and the CLI, files and widgets meet the same limits.

One module per section (``density`` with its tabs in ``density_tabs``, ``objective``, ``model``,
``sampler``, ``system``, ``display``), the shared ``Section`` in ``section``, the spin boxes and
form helpers in ``widgets``, and the scrollable column of all sections in ``panel``
(``ControlPanel``). This package re-exports the names other modules and the tests use.
"""

from scoreviz.gui.controls.density import DensitySection
from scoreviz.gui.controls.density_tabs import EXAMPLE_EXPRESSIONS
from scoreviz.gui.controls.display import DisplaySection
from scoreviz.gui.controls.model import ModelSection
from scoreviz.gui.controls.objective import ObjectiveSection
from scoreviz.gui.controls.panel import ControlPanel
from scoreviz.gui.controls.sampler import SamplerSection
from scoreviz.gui.controls.section import SPEEDS, Section, compatible, error_label, show_error
from scoreviz.gui.controls.system import SystemSection
from scoreviz.gui.controls.widgets import (LogSpinBox, PowerOfTwoSpinBox, WholeNumberSpinBox, limited_spin_box,
                                           param_widget, range_tip)

__all__ = [
    "SPEEDS", "EXAMPLE_EXPRESSIONS", "ControlPanel", "Section", "DensitySection", "ObjectiveSection", "ModelSection",
    "SamplerSection", "SystemSection", "DisplaySection", "LogSpinBox", "PowerOfTwoSpinBox", "WholeNumberSpinBox",
    "limited_spin_box", "range_tip", "param_widget", "compatible", "error_label", "show_error",
]
