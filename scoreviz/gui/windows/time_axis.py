"""The main window's time axis: a ``TimeBar`` under the panels while the objective is ``sde``.

``TimeAxis(window)`` wraps the window's panels with the bar below them (``widget``: what the window puts
in its splitter), shows the bar only while the objective in force is time-conditional, gives it the
process's time range and caption (α(t) and std(t) from the core's ``SDE``), and hands every new t to the
display worker (``evaluator.set_view(t=...)``): the field panels then show s_θ(·, t) and the exact
∇log p_t, the error panel compares them at t, and the heat map is p_t. Training is not affected: the
trainer's Fisher curve stays at t = ε. Keys: ``,`` and ``.`` move t by a hundredth of the axis,
Shift+T sweeps it (the direction is the bar's choice, noise → data by default).
"""

from __future__ import annotations

from PySide6 import QtWidgets

from scoreviz.gui.i18n import tr
from scoreviz.gui.views.time_bar import TimeBar

NUDGE_TICKS = 10  # a hundredth of the axis per key press


class TimeAxis:
    """The bar, its visibility and its wiring; see the module's description."""

    def __init__(self, window, panels: QtWidgets.QWidget):
        self.window = window
        self.bar = TimeBar()
        self.bar.hide()
        self.widget = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(self.widget)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(panels, 1)
        lay.addWidget(self.bar)
        self._process = None  # the SDE the bar shows
        self._pending_t: float | None = None  # a time an opened session showed, for when the bar appears
        self.bar.timeChanged.connect(lambda t: window.evaluator.set_view(t=float(t)))

    def actions(self) -> list:
        """The window's actions for the axis (View menu): earlier, later, sweep."""
        w = self.window
        return [
            w.add_action(tr("Earlier time"), lambda: self._nudge(-NUDGE_TICKS), [","],
                         tr("Objective sde: move the time the fields show towards the data (t − 0.01)")),
            w.add_action(tr("Later time"), lambda: self._nudge(NUDGE_TICKS), ["."],
                         tr("Objective sde: move the time the fields show towards the prior (t + 0.01)")),
            w.add_action(tr("Sweep time"), self._toggle_sweep, ["Shift+T"],
                         tr("Objective sde: play the time axis from one end to the other (again: stop)")),
        ]

    def _nudge(self, ticks: int) -> None:
        if self.bar.isVisible():
            self.bar.nudge(ticks)

    def _toggle_sweep(self) -> None:
        if self.bar.isVisible():
            self.bar.sweep(not self.bar.sweeping)

    @property
    def visible(self) -> bool:
        return not self.bar.isHidden()

    def follow(self, cfg) -> None:
        """Show the bar for objective sde (with its process's range and caption), hide it otherwise."""
        from scoreviz.core.objectives import objective_sde  # lazy: torch loads in the workers (app start-up)

        objective = cfg.objective
        if objective.name != "sde":
            if self._process is not None:
                self._process = None
                self.bar.stop()
                self.bar.hide()
                self.window.evaluator.set_view(t=None)
            return
        process = objective_sde(objective)
        if process == self._process:
            return
        first = self._process is None
        self._process = process

        def describe(t: float) -> str:
            a, s = (float(v) for v in process.marginal(t))
            return tr("α {a:.3f}, std {s:.3g}").format(a=a, s=s)

        t0 = cfg.field_t if (first and cfg.field_t is not None) else None
        if first and self._pending_t is not None:
            t0, self._pending_t = self._pending_t, None
        self.bar.set_process(process.t_eps, describe, t=t0 if t0 is not None else (process.t_eps if first else None))
        title = f"t · {process.kind}"  # the time and the process's name (vp, ve, ...): nothing to translate
        self.bar.title.setText(title)
        self.bar.show()
        self.window.evaluator.set_view(t=float(self.bar.t))

    def restore(self, t: float) -> None:
        """Show time t (an opened session's): now if the bar is up, else when it appears."""
        if self._process is not None:
            self.bar.set_time(t)
        else:
            self._pending_t = t

    def stop(self) -> None:
        self.bar.stop()
