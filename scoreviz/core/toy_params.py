"""Parameter specs: ``Param`` (one parameter's default, range, type and help), ``validate_params`` and ``PresetSpec``.

Every parameter of a density preset, an image or an expression is described by a ``Param`` so
the CLI and GUI can list and validate them; ``validate_params`` fills in defaults and raises
ScorevizError naming the bad value and the allowed range; ``PresetSpec`` is a named preset (help,
parameters, builder) whose ``make`` builds the density with checked parameters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from scoreviz.core import limits
from scoreviz.core.errors import ScorevizError


@dataclass(frozen=True)
class Param:
    """One parameter: type is "float", "int", "bool" or "box" (xmin, xmax, ymin, ymax)."""

    name: str
    default: Any
    type: str = "float"
    min: float | None = None
    max: float | None = None
    help: str = ""

    def range_text(self) -> str:
        if self.type == "bool":
            return "true or false"
        if self.type == "box":
            return (f"four numbers xmin,xmax,ymin,ymax with xmin < xmax, ymin < ymax, each in "
                    f"{limits.LIMITS['param_box'].range_text()}")
        lo = "-inf" if self.min is None else f"{self.min:g}"
        hi = "inf" if self.max is None else f"{self.max:g}"
        kind = "an integer" if self.type == "int" else "a number"
        return f"{kind} in [{lo}, {hi}]"

    def check(self, value, owner: str = "") -> Any:
        """The value coerced to the parameter's type (strings accepted, as typed on a command line)."""
        where = f"{owner}: " if owner else ""
        bad = ScorevizError(f"{where}{self.name}={value!r} is not allowed; expected {self.range_text()}")
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, (int, float)) and value in (0, 1):
                return bool(value)
            if isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "on", "0", "false", "no", "off"):
                return value.strip().lower() in ("1", "true", "yes", "on")
            raise bad
        if self.type == "box":
            items = value.replace("(", "").replace(")", "").split(",") if isinstance(value, str) else value
            try:
                box = tuple(float(v) for v in items)
            except (TypeError, ValueError):
                raise bad from None
            if len(box) != 4 or not all(math.isfinite(v) for v in box) or box[0] >= box[1] or box[2] >= box[3]:
                raise bad
            lim = limits.LIMITS["param_box"]
            if not all(lim.contains(v) for v in box):
                raise ScorevizError(f"{where}{self.name}={value!r} is out of range; expected {self.range_text()}")
            return box
        if isinstance(value, bool):
            raise bad
        try:
            if isinstance(value, str):
                value = value.strip()
            num = float(value)
        except (TypeError, ValueError):
            raise bad from None
        if not math.isfinite(num):
            raise bad
        if self.type == "int":
            if num != int(num):
                raise bad
            num = int(num)
        if (self.min is not None and num < self.min) or (self.max is not None and num > self.max):
            raise ScorevizError(f"{where}{self.name}={value!r} is out of range; expected {self.range_text()}")
        return num

    def describe(self) -> dict:
        return {"name": self.name, "default": self.default, "type": self.type, "min": self.min,
                "max": self.max, "help": self.help}


def validate_params(owner: str, specs: dict[str, Param], given: dict) -> dict:
    """All of ``specs`` with defaults filled in and ``given`` checked; unknown names are refused."""
    unknown = [k for k in given if k not in specs]
    if unknown:
        allowed = ", ".join(specs) or "none"
        raise ScorevizError(f"{owner}: unknown parameter {unknown[0]!r}; allowed: {allowed}")
    return {name: (spec.check(given[name], owner) if name in given else spec.default) for name, spec in specs.items()}


@dataclass(frozen=True)
class PresetSpec:
    """A named preset: one-line help, its parameters, and the builder (called with all params)."""

    name: str
    help: str
    params: dict[str, Param]
    build: Callable[..., Any]

    def make(self, **params):
        values = validate_params(self.name, self.params, params)
        density = self.build(**values)
        density.name = self.name
        density.params = dict(values)
        density.source = {"type": "preset", "name": self.name,
                          "params": {k: (list(v) if isinstance(v, tuple) else v) for k, v in values.items()}}
        return density
