"""How field magnitudes map to arrow length and colour: ``FieldScale`` and its modes, and the error scale.

``SCALE_MODES`` names the modes (linear, log, direction only); ``FieldScale`` is shared by the
learned and true panels; ``error_levels`` and ``log_error`` put the error panels on the matching
log scale; ``magnitude`` is the length of display vectors. numpy only (Qt only through the translator:
``SCALE_MODES``' descriptions are marked ``N_`` and shown as ``tr(SCALE_MODES[mode])``; ``label()`` is translated).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoreviz.core.field_scale import log_levels, magnitude_scale
from scoreviz.gui.i18n import N_, tr


def magnitude(vectors: np.ndarray) -> np.ndarray:
    """Euclidean length of (..., 2) vectors (display only)."""
    return np.hypot(vectors[..., 0], vectors[..., 1])


SCALE_MODES = {  # mode -> its description (a tooltip: shown as tr(SCALE_MODES[mode]))
    "linear": N_("length and colour grow linearly with |s|"),
    "log": N_("length and colour follow log10 |s| over three decades"),
    "direction": N_("equal lengths (direction only); colour shows |s|"),
}


@dataclass(frozen=True)
class FieldScale:
    """How field magnitudes map to arrow length and colour; shared by the learned and true panels.

    ``ref`` is the field's robust magnitude (``core.field_scale.magnitude_scale``: the
    density-weighted 95 % quantile of |s| in view). linear: a full-length arrow and the top colour
    at ``ref``; log: log10 |s| from 10^-2.5 ref to 10^0.5 ref; direction: equal lengths, colour linear.
    """

    mode: str = "linear"
    ref: float = 1.0
    colour_levels: tuple[float, float] | None = None  # overrides the mode's levels (old callers)

    def __post_init__(self):
        if self.mode not in SCALE_MODES:
            raise ValueError(f"scale mode '{self.mode}' is not known; choose one of {', '.join(SCALE_MODES)}")

    @property
    def levels(self) -> tuple[float, float]:
        if self.colour_levels is not None:
            return (float(self.colour_levels[0]), float(self.colour_levels[1]))
        if self.mode == "log":
            return log_levels(self.ref)
        return (0.0, float(self.ref))

    @property
    def length(self) -> float:
        return float(self.ref)

    def colour_values(self, m: np.ndarray) -> np.ndarray:
        """What the colour bar's axis measures for magnitudes ``m``: |s|, or log10 |s| in log mode."""
        m = np.asarray(m, dtype=np.float64)
        if self.mode == "log":
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.log10(m)
        return m

    def length_fraction(self, m: np.ndarray) -> np.ndarray:
        """An arrow's length as a fraction of the full length, in [0, 1]."""
        m = np.asarray(m, dtype=np.float64)
        if self.mode == "direction":
            return np.where(m > 0, 1.0, 0.0)
        if self.mode == "log":
            lo, hi = log_levels(self.ref)
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.clip((np.log10(m) - lo) / (hi - lo), 0.0, 1.0)
        return np.clip(m / max(self.ref, 1e-30), 0.0, 1.0)

    def label(self) -> str:
        """The colour bar's caption: the mode and what its axis shows (in the interface's language)."""
        if self.mode == "log":
            return tr("log₁₀|s| (log)")
        if self.mode == "direction":
            return tr("|s| (direction only)")
        return tr("|s| (linear)")

    def with_mode(self, mode: str) -> "FieldScale":
        return FieldScale(mode=mode, ref=self.ref)

    @classmethod
    def from_field(cls, vectors: np.ndarray | None, log_density: np.ndarray | None = None,
                   mode: str = "linear") -> "FieldScale":
        return cls(mode=mode, ref=magnitude_scale(vectors, log_density))


def error_levels(scale: FieldScale) -> tuple[float, float]:
    """log10 ‖s_θ − ∇log q‖ levels of the error panel: the same three decades as the field's log mode."""
    return log_levels(scale.ref)


def log_error(error: np.ndarray) -> np.ndarray:
    """log10 of an error magnitude grid for the error panel (0 becomes -inf: the darkest colour)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log10(np.asarray(error, dtype=np.float32))
    return np.where(np.isneginf(out), np.float32(-1e30), out).astype(np.float32)
