"""The sampler section of the dock: how the particles move (Langevin dynamics driven by a score).

``SamplerSection`` picks the sampler and score source (the core's ``SAMPLERS`` and
``SCORE_SOURCES``), the step size (with the core's default rule as "auto"), the particles and
the annealed schedule, and emits a ``SamplerConfig``; "annealed" is refused with a learned model
that is not noise-conditional.
"""

from __future__ import annotations

import math
from dataclasses import replace

from PySide6 import QtCore, QtWidgets

from scoreviz.core import samplers
from scoreviz.core.errors import ScorevizError
from scoreviz.core.generation import SOLVERS, TIME_SAMPLER_TIPS, TIME_SAMPLERS, time_sampler_refusal
from scoreviz.core.samplers import annealed_refusal
from scoreviz.core.session import SAMPLERS, SCORE_SOURCES
from scoreviz.gui.controls.section import Section, error_label, show_error
from scoreviz.gui.controls.widgets import connect_changed, limited_spin_box, range_tip
from scoreviz.gui.i18n import text_of, tr

LANGEVIN, ANNEALED = SAMPLERS.index("langevin"), SAMPLERS.index("annealed")  # their items in the sampler box


class SamplerSection(Section):
    """The sampler that moves the particles, its score and step size; emits a SamplerConfig."""

    samplerChanged = QtCore.Signal(object)
    resetParticles = QtCore.Signal()

    def __init__(self, sc, parent=None):
        super().__init__(tr("Sampler"), tr("How the particles move (Langevin dynamics driven by a score)."), parent)
        self.base = sc  # the SamplerConfig whose other fields config() keeps
        self.kind = QtWidgets.QComboBox()
        self.kind.addItems(list(SAMPLERS))
        self.kind.setItemData(LANGEVIN, "x ← x + (ε/2)·s(x) + √ε·z", QtCore.Qt.ItemDataRole.ToolTipRole)
        self.kind.setItemData(ANNEALED, tr("Annealed Langevin: σ from σ_max to σ_min, step ε·σ²/σ_min², "
                                           "then stays at σ_min"), QtCore.Qt.ItemDataRole.ToolTipRole)
        for name, tip in TIME_SAMPLER_TIPS.items():
            self.kind.setItemData(SAMPLERS.index(name), tr(tip), QtCore.Qt.ItemDataRole.ToolTipRole)
        self._time_tips = {name: tr(tip) for name, tip in TIME_SAMPLER_TIPS.items()}
        self._objective = None  # the objective in force (the time samplers need sde); None: not told yet
        self.kind.setCurrentText(sc.sampler)
        self.kind.setToolTip(tr("Langevin, annealed Langevin (Song & Ermon), or with objective sde: generation from "
                                "the prior by the reverse SDE, the probability-flow ODE or predictor–corrector, "
                                "or the forward noising at the time shown"))
        self.source = QtWidgets.QComboBox()
        self.source.addItems(list(SCORE_SOURCES))
        self.source.setCurrentText(sc.score_source)
        self.source.setToolTip(tr("Drive the particles with the learned score s_θ or with the true score "
                                  "(the reference)"))
        self._annealed_tip = self.kind.itemData(ANNEALED, QtCore.Qt.ItemDataRole.ToolTipRole)
        self._noise_conditional = None  # whether the learned model is noise-conditional; None: not told yet
        self.step_size = limited_spin_box("step_size", sc.step_size, log=True)
        self.step_size.setToolTip(range_tip(tr("Langevin step size ε (annealed: at σ_min); typing a value turns "
                                                "auto off"), "step_size"))
        self.auto_step = QtWidgets.QCheckBox(tr("auto"))
        self.auto_step.setToolTip(tr("Step size from the sampler and its σ schedule: Langevin ε = 0.01; annealed "
                                     "ε = 0.1·σ_min², so every level's step is 0.1·σᵢ² (finite on every preset)"))
        self.n = limited_spin_box("n_particles", sc.n_particles, step=1000)
        self.n.setToolTip(range_tip(tr("Number of particles (changing it restarts them)"), "n_particles"))
        self.per_frame = limited_spin_box("steps_per_frame", sc.steps_per_frame)
        self.per_frame.setToolTip(range_tip(tr("Sampler steps per displayed frame"), "steps_per_frame"))
        self.sigma_max = limited_spin_box("sigma_max", sc.sigma_max, log=True)
        self.sigma_max.setToolTip(range_tip(tr("Annealed: first (largest) noise level (> σ min)"), "sigma_max"))
        self.sigma_min = limited_spin_box("sigma_min", sc.sigma_min, log=True)
        self.sigma_min.setToolTip(range_tip(tr("Annealed: last (smallest) noise level"), "sigma_min"))
        self.levels = limited_spin_box("levels", sc.levels)
        self.levels.setToolTip(range_tip(tr("Annealed: number of noise levels"), "levels"))
        self.per_level = limited_spin_box("steps_per_level", sc.steps_per_level)
        self.per_level.setToolTip(range_tip(tr("Annealed: steps at each level"), "steps_per_level"))
        self.diffusion_steps = limited_spin_box("steps", sc.diffusion_steps, step=100)
        self.diffusion_steps.setToolTip(range_tip(tr("Generation: steps from the prior at t = 1 to the data at t = ε "
                                                     "(Steps/frame of them per frame)"), "steps"))
        self.solver = QtWidgets.QComboBox()
        self.solver.addItems(list(SOLVERS))
        self.solver.setCurrentText(sc.solver)
        self.solver.setToolTip(tr("pf-ode: Euler (one score per step) or Heun (two per step, second order)"))
        self.snr = limited_spin_box("snr", sc.snr, log=True)
        self.snr.setToolTip(range_tip(tr("pc: the corrector's signal-to-noise ratio r (its step is 2(r‖z‖/‖s‖)²·a)"),
                                      "snr"))
        self.corrector_steps = limited_spin_box("corrector_steps", sc.corrector_steps)
        self.corrector_steps.setToolTip(range_tip(tr("pc: Langevin corrector steps after each predictor step"),
                                                  "corrector_steps"))
        self.reset = QtWidgets.QPushButton(tr("Reset particles"))
        self.reset.setToolTip(tr("Scatter the particles uniformly over the density's box again (P)"))
        self.form.addRow(tr("Sampler:"), self.kind)
        self.form.addRow(tr("Score:"), self.source)
        step_row = QtWidgets.QWidget()
        step_lay = QtWidgets.QHBoxLayout(step_row)
        step_lay.setContentsMargins(0, 0, 0, 0)
        step_lay.addWidget(self.step_size, 1)
        step_lay.addWidget(self.auto_step)
        self.form.addRow(tr("Step size ε:"), step_row)
        self.form.addRow(tr("Particles:"), self.n)
        self.form.addRow(tr("Steps/frame:"), self.per_frame)
        self._annealed_rows = [self.sigma_max, self.sigma_min, self.levels, self.per_level]
        self.form.addRow(tr("σ max:"), self.sigma_max)
        self.form.addRow(tr("σ min:"), self.sigma_min)
        self.form.addRow(tr("Levels:"), self.levels)
        self.form.addRow(tr("Steps/level:"), self.per_level)
        self.form.addRow(tr("Diffusion steps:"), self.diffusion_steps)
        self.form.addRow(tr("Solver:"), self.solver)
        self.form.addRow(tr("SNR r:"), self.snr)
        self.form.addRow(tr("Corrector steps:"), self.corrector_steps)
        self.form.addRow(self.reset)
        self.error = error_label()
        self.form.addRow(self.error)
        auto = self.auto_value()  # auto is on when the settings in force are the default rule's
        self.auto_step.setChecked(auto is not None and self._same_step(sc.step_size, auto))
        self.show_rows()
        self.step_size.valueChanged.connect(self._step_edited)  # before _changed: a typed value turns auto off
        for w in (self.kind, self.source, self.step_size, self.n, self.per_frame, self.sigma_max, self.sigma_min,
                  self.levels, self.per_level, self.auto_step, self.diffusion_steps, self.solver, self.snr,
                  self.corrector_steps):
            connect_changed(w, self._changed)
        self.reset.clicked.connect(self.resetParticles)

    @staticmethod
    def _same_step(a: float, b: float) -> bool:
        return math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-12)  # the spin box keeps 12 decimals

    def auto_value(self) -> float | None:
        """The default step size for the sampler and σ schedule shown (scoreviz.core.samplers.default_step_size);
        None while the schedule is invalid (σ max <= σ min)."""
        kind = self.kind.currentText()
        try:
            sig = (samplers.geometric_sigmas(self.sigma_max.value(), self.sigma_min.value(), self.levels.value())
                   if kind == "annealed" else None)
            return samplers.default_step_size(kind, sig)
        except ScorevizError:
            return None

    def refusal(self) -> str | None:
        """Why "annealed" cannot be chosen with the score source shown (None: it can)."""
        if self._noise_conditional is None:
            return None
        return annealed_refusal(self.source.currentText(), self._noise_conditional)

    def set_noise_conditional(self, noise_conditional: bool) -> None:
        """Tell the section whether the learned model is noise-conditional (objective ncsn). With the
        learned score and a model that is not, "annealed" is disabled (its tooltip says why), and a
        running annealed sampler switches to Langevin (samplerChanged is sent)."""
        self._noise_conditional = bool(noise_conditional)
        self._show_annealed_item()
        if self.kind.currentText() == "annealed" and self.refusal():
            self.kind.setCurrentText("langevin")  # -> _changed

    def _show_annealed_item(self) -> None:
        reason = self.refusal()
        self.kind.model().item(ANNEALED).setEnabled(reason is None)
        self.kind.setItemData(ANNEALED, tr("Not available: {reason}").format(reason=text_of(reason)) if reason
                              else self._annealed_tip,
                              QtCore.Qt.ItemDataRole.ToolTipRole)
        for name in TIME_SAMPLERS:
            why = time_sampler_refusal(name, self._objective) if self._objective is not None else None
            i = SAMPLERS.index(name)
            self.kind.model().item(i).setEnabled(why is None)
            tip = tr("Not available: {reason}").format(reason=text_of(why)) if why else self._time_tips[name]
            self.kind.setItemData(i, tip, QtCore.Qt.ItemDataRole.ToolTipRole)

    def set_objective(self, name: str) -> None:
        """Tell the section the objective in force: the time samplers need sde (a process); a running one
        switches to Langevin when the objective leaves sde (the Session does the same)."""
        self._objective = name
        self._show_annealed_item()
        if time_sampler_refusal(self.kind.currentText(), name):
            self.kind.blockSignals(True)
            self.kind.setCurrentText("langevin")
            self.kind.blockSignals(False)
            self.base = replace(self.base, sampler="langevin")
            self.show_rows()

    def _step_edited(self, *_):
        if self.auto_step.isChecked():
            self.auto_step.blockSignals(True)
            self.auto_step.setChecked(False)
            self.auto_step.blockSignals(False)

    def _show_auto(self) -> None:
        """With auto on, the spin box shows the rule's value (set quietly)."""
        auto = self.auto_value()
        if self.auto_step.isChecked() and auto is not None and not self._same_step(self.step_size.value(), auto):
            self.step_size.blockSignals(True)
            self.step_size.setValue(auto)
            self.step_size.blockSignals(False)

    def show_rows(self) -> None:
        """The annealed rows only for the annealed sampler; the annealed item's state; auto checked."""
        kind = self.kind.currentText()
        annealed = kind == "annealed"
        for w in self._annealed_rows:
            self.form.setRowVisible(w, annealed)
        timed = kind in TIME_SAMPLERS
        self.form.setRowVisible(self.step_size.parentWidget(), not timed)
        self.form.setRowVisible(self.diffusion_steps, timed and kind != "forward")
        self.form.setRowVisible(self.solver, kind == "pf-ode")
        self.form.setRowVisible(self.snr, kind == "pc")
        self.form.setRowVisible(self.corrector_steps, kind == "pc")
        self._show_annealed_item()
        # settings shown from elsewhere (an opened session) with a step that is not the rule's: auto off
        auto = self.auto_value()
        if self.auto_step.isChecked() and auto is not None and not self._same_step(self.step_size.value(), auto):
            self.auto_step.blockSignals(True)
            self.auto_step.setChecked(False)
            self.auto_step.blockSignals(False)

    def config(self):
        auto = self.auto_value() if self.auto_step.isChecked() else None
        return replace(self.base, sampler=self.kind.currentText(), score_source=self.source.currentText(),
                       step_size=self.step_size.value() if auto is None else auto, n_particles=self.n.value(),
                       steps_per_frame=self.per_frame.value(), sigma_max=self.sigma_max.value(),
                       sigma_min=self.sigma_min.value(), levels=self.levels.value(),
                       steps_per_level=self.per_level.value(), diffusion_steps=self.diffusion_steps.value(),
                       solver=self.solver.currentText(), snr=self.snr.value(),
                       corrector_steps=self.corrector_steps.value())

    def _changed(self, *_):
        note = None
        reason = self.refusal()
        if self.kind.currentText() == "annealed" and reason:  # e.g. the score switched to learned
            self.kind.blockSignals(True)
            self.kind.setCurrentText("langevin")
            self.kind.blockSignals(False)
            note = tr("{reason}; switched to Langevin").format(reason=text_of(reason))
        self._show_auto()
        self.show_rows()
        self.send_config(self.samplerChanged)
        if note:
            show_error(self.error, note)
