"""The time axis of a continuous-time (``sde``) objective: a slider for t in [eps, 1] and a sweep.

``TimeBar`` shows under the panels while the objective is time-conditional. The slider sets the time
the field panels show (s_θ(·, t) and the exact ∇log p_t); the sweep button plays t forwards (data to
noise) or backwards (noise to data) over a chosen number of seconds and stops at the end; the caption
says what the process does at t (α(t) and std(t), given by the window from the core's ``SDE``).
``timeChanged(t)`` is emitted for every new t (slider moves, sweeps, ``set_time``), at most once a frame
while sweeping. Keys (the window binds them): , and . move t by one hundredth, Shift+T sweeps.
"""

from __future__ import annotations

import time

from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.gui.i18n import tr

TICKS = 1000  # slider positions between eps and 1
SWEEP_SECONDS = (2, 5, 10, 20)
DEFAULT_SWEEP_S = 5
SWEEP_INTERVAL_MS = 33  # ~30 updates a second while sweeping
TIME_SYMBOL = "t"  # the time variable: mathematics, not translated


class TimeBar(QtWidgets.QWidget):
    """A slider for t in [eps, 1], a sweep button with its direction and duration, and a caption."""

    timeChanged = QtCore.Signal(float)
    sweepingChanged = QtCore.Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._eps = 1e-3
        self._t = self._eps
        self._describe = None  # t -> caption text
        self._sweep_dir = -1  # -1: noise to data (t decreasing), +1: data to noise
        self._sweep_t0 = 0.0
        self._sweep_from = 0.0

        lay = QtWidgets.QHBoxLayout(self)
        lay.setContentsMargins(6, 2, 6, 2)
        self.title = QtWidgets.QLabel(TIME_SYMBOL)
        self.title.setToolTip(tr("Diffusion time: t = ε is (almost) the data, t = 1 the prior"))
        self.slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.slider.setRange(0, TICKS)
        self.slider.setSingleStep(10)
        self.slider.setPageStep(100)
        self.slider.setMinimumWidth(160)
        self.slider.setToolTip(tr("The time the field panels show: s_θ(x, t) and the exact ∇log p_t; "
                                  "the density panel shows p_t (, and . move it)"))
        self.slider.valueChanged.connect(self._slider_moved)
        self.value_label = QtWidgets.QLabel()
        self.value_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.value_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("t = 0.0000 (α 0.000, std 00.000)"))
        self.direction = QtWidgets.QComboBox()
        self.direction.addItem(tr("noise → data"), -1)
        self.direction.addItem(tr("data → noise"), 1)
        self.direction.setToolTip(tr("Which way a sweep runs: backwards in time (generation) or forwards (noising)"))
        self.direction.currentIndexChanged.connect(lambda _: self._set_dir(self.direction.currentData()))
        self.duration = QtWidgets.QComboBox()
        for s in SWEEP_SECONDS:
            self.duration.addItem(tr("{s} s").format(s=s), s)
        self.duration.setCurrentIndex(SWEEP_SECONDS.index(DEFAULT_SWEEP_S))
        self.duration.setToolTip(tr("How long one sweep from one end of the time axis to the other takes"))
        self.sweep_button = QtWidgets.QToolButton()
        self.sweep_button.setCheckable(True)
        self.sweep_button.setText(tr("Sweep"))
        self.sweep_button.setToolTip(tr("Play t from one end to the other (Shift+T); press again to stop"))
        self.sweep_button.toggled.connect(self._sweep_toggled)
        for w in (self.title, self.slider, self.value_label, self.direction, self.duration, self.sweep_button):
            lay.addWidget(w)
        lay.setStretch(1, 1)

        self._timer = QtCore.QTimer(self)
        self._timer.setInterval(SWEEP_INTERVAL_MS)
        self._timer.timeout.connect(self._sweep_tick)
        self._show_value()

    # ------------------------------------------------------------------ state
    @property
    def eps(self) -> float:
        return self._eps

    @property
    def t(self) -> float:
        return self._t

    @property
    def sweeping(self) -> bool:
        return self._timer.isActive()

    def set_process(self, eps: float, describe=None, t: float | None = None) -> None:
        """The time range [eps, 1] and ``describe(t) -> str`` for the caption; t is kept (clipped) unless given."""
        self._eps = float(eps)
        self._describe = describe
        self.set_time(self._t if t is None else t)

    def set_time(self, t: float) -> None:
        """Show time t (clipped to [eps, 1]); emits ``timeChanged`` when it changed."""
        t = min(1.0, max(self._eps, float(t)))
        changed = t != self._t
        self._t = t
        blocker = QtCore.QSignalBlocker(self.slider)
        self.slider.setValue(self._tick_of(t))
        del blocker
        self._show_value()
        if changed:
            self.timeChanged.emit(t)

    def nudge(self, ticks: int) -> None:
        """Move t by ``ticks`` slider positions (one is a thousandth of the axis)."""
        self.set_time(self._t_of(self.slider.value() + ticks))

    def _tick_of(self, t: float) -> int:
        return round((t - self._eps) / (1.0 - self._eps) * TICKS)

    def _t_of(self, tick: int) -> float:
        tick = min(TICKS, max(0, tick))
        return self._eps + (1.0 - self._eps) * tick / TICKS

    def _slider_moved(self, tick: int) -> None:
        self.set_time(self._t_of(tick))

    def _show_value(self) -> None:
        text = f"t = {self._t:.4f}"
        if self._describe is not None:
            text += f" ({self._describe(self._t)})"
        self.value_label.setText(text)

    # ------------------------------------------------------------------ sweeping
    def _set_dir(self, d: int) -> None:
        self._sweep_dir = int(d)
        if self.sweeping:
            self._start_sweep()

    def sweep(self, on: bool = True) -> None:
        self.sweep_button.setChecked(on)

    def _sweep_toggled(self, on: bool) -> None:
        if on:
            self._start_sweep()
        else:
            self._timer.stop()
        self.sweep_button.setText(tr("Stop") if on else tr("Sweep"))
        self.sweepingChanged.emit(on)

    def _start_sweep(self) -> None:
        end = self._eps if self._sweep_dir < 0 else 1.0
        if abs(self._t - end) < 1e-9:  # at the end already: start from the other one
            self.set_time(1.0 if self._sweep_dir < 0 else self._eps)
        self._sweep_from = self._t
        self._sweep_t0 = time.perf_counter()
        self._timer.start()

    def _sweep_tick(self) -> None:
        seconds = float(self.duration.currentData())
        moved = (time.perf_counter() - self._sweep_t0) / seconds * (1.0 - self._eps)
        t = self._sweep_from + self._sweep_dir * moved
        self.set_time(t)
        if t <= self._eps or t >= 1.0:
            self.sweep(False)

    def set_presentation(self, on: bool) -> None:
        """Talk mode: a font a room can read (1.6 times the platform's), back to it when off."""
        font = QtWidgets.QApplication.font()
        if on:
            font.setPointSizeF(font.pointSizeF() * 1.6)
        # a style sheet, not setFont: the application's style sheet would win over a widget font
        self.setStyleSheet(f"* {{ font-size: {font.pointSizeF():.1f}pt; }}" if on else "")
        self.value_label.setMinimumWidth(
            QtGui.QFontMetrics(font).horizontalAdvance("t = 0.0000 (α 0.000, std 00.000)"))

    def stop(self) -> None:
        """Stop a sweep (the window calls it when it closes or the objective changes)."""
        self.sweep(False)
