"""The "Every dynamic" window's dock: score source, process, the dynamics to compare and the run's size.

``DynamicsControls(cfg, model_text)`` emits ``settingsChanged(DynamicsSettings)`` whenever the user changes
anything that makes a valid request (2 to 5 dynamics ticked); ``settings()`` reads it back (None while
fewer than 2 are ticked, the hint saying so).  With the learned source the process is the model's own
(shown, not editable); with the true score any process can be chosen.
"""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from scoreviz.gui import style
from scoreviz.gui.controls.widgets import form_layout
from scoreviz.gui.i18n import N_, tr
from scoreviz.gui.views.compare_panels import config_colour
from scoreviz.live.dynamics_settings import (ANNEALED_LEVELS, DEFAULT_DYNAMICS, DEFAULT_PARTICLES, DEFAULT_STEPS,
                                             DURATIONS_S, DYNAMICS, DYNAMICS_FPS, MAX_DYNAMICS, MIN_DYNAMICS,
                                             PROCESSES, DynamicsSettings)

# module-level texts: marked N_ here, translated where they are shown (tr(PROCESS_TIPS[kind]))
PROCESS_TIPS = {
    "ve": N_("variance exploding: x_t = x_0 + σ(t)z; prior N(0, σ_max²I), σ_max the box's diagonal"),
    "vp": N_("variance preserving: x_t = α(t)x_0 + √(1−α²)z; prior N(0, I)"),
    "subvp": N_("sub-VP: mean α(t)x_0, std 1 − α(t)²; prior N(0, I)"),
}
# the tooltips of the dynamics (live.dynamics_settings.DYNAMICS, Qt-free and English) in the interface's language;
# the titles are the dynamics' names (as the panels show them) and stay as they are
DYNAMICS_TIPS = {
    "reverse-sde": N_("Euler–Maruyama of the reverse-time SDE dx = [f − g²s]dt + g dw̄ (one score evaluation a step)"),
    "pf-ode-euler": N_("the probability-flow ODE dx/dt = f − ½g²s with fixed-step Euler: deterministic, one "
                       "evaluation a step"),
    "pf-ode-heun": N_("the probability-flow ODE with Heun's second-order method: deterministic, two evaluations "
                      "a step"),
    "pc": N_("predictor–corrector: a Langevin corrector step (signal-to-noise r = 0.16) then a reverse-diffusion "
             "predictor step (two evaluations a step)"),
    "annealed": N_("annealed Langevin: {levels} levels σᵢ = std(tᵢ) at times tᵢ from 1 to ε, steps ÷ 10 Langevin "
                   "steps of size 0.1σᵢ² at each, score s(x, tᵢ)"),
}


def dynamic_tip(key: str) -> str:
    """The tooltip of dynamic ``key`` (DYNAMICS' own line, translated; as it is for a dynamic not listed here)."""
    english = DYNAMICS[key][1]
    tip = DYNAMICS_TIPS.get(key)
    if tip is None or tip.format(levels=ANNEALED_LEVELS) != english:
        return english
    return tr(tip).format(levels=ANNEALED_LEVELS)
DEFAULT_DURATION_S = 5


class DynamicsControls(QtWidgets.QWidget):
    """The dock's controls; see the module's description."""

    settingsChanged = QtCore.Signal(object)  # a DynamicsSettings

    def __init__(self, cfg, model_text: str, learned_ok: bool, parent=None):
        super().__init__(parent)
        self._model_kind = cfg.objective.sde if cfg.objective.name == "sde" else None
        self._emitting = True
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)

        # ---- the score
        box = QtWidgets.QGroupBox(tr("Score"))
        box.setToolTip(tr("Which score drives every dynamic: the main window's trained network or the exact one"))
        form = form_layout()
        box.setLayout(form)
        self.learned = QtWidgets.QRadioButton(tr("Learned s_θ(x, t)"))
        self.learned.setToolTip(tr("The main window's model as it was when this window opened (F5 takes the "
                                   "newest): needs a time-conditional model trained with objective sde"))
        self.true = QtWidgets.QRadioButton(tr("True ∇log pₜ"))
        self.true.setToolTip(tr("The exact score of the data density noised to time t by the chosen process: "
                                "what is left is sampler error alone"))
        self.source_group = QtWidgets.QButtonGroup(self)
        self.source_group.addButton(self.learned)
        self.source_group.addButton(self.true)
        (self.learned if learned_ok else self.true).setChecked(True)
        self.model_label = QtWidgets.QLabel(model_text)
        self.model_label.setWordWrap(True)
        self.model_label.setStyleSheet(f"color: {style.MUTED};")
        self.process = QtWidgets.QComboBox()
        for kind in PROCESSES:
            self.process.addItem(kind, kind)
            self.process.setItemData(self.process.count() - 1, tr(PROCESS_TIPS[kind]),
                                     QtCore.Qt.ItemDataRole.ToolTipRole)
        self.process.setCurrentIndex(PROCESSES.index(self._model_kind or "vp"))
        form.addRow(self.learned)
        form.addRow(self.true)
        form.addRow(self.model_label)
        form.addRow(tr("Process"), self.process)
        lay.addWidget(box)

        # ---- the dynamics
        box = QtWidgets.QGroupBox(tr("Dynamics ({lo} to {hi})").format(lo=MIN_DYNAMICS, hi=MAX_DYNAMICS))
        box.setToolTip(tr("Every ticked dynamic runs side by side from the same prior samples with the same "
                          "noise seed"))
        col = QtWidgets.QVBoxLayout(box)
        self.checks: dict[str, QtWidgets.QCheckBox] = {}
        for key, (title, _) in DYNAMICS.items():
            cb = QtWidgets.QCheckBox(title)  # a name (as the panels' titles say it)
            cb.setToolTip(dynamic_tip(key))
            cb.setChecked(key in DEFAULT_DYNAMICS)
            col.addWidget(cb)
            self.checks[key] = cb
        self.hint = QtWidgets.QLabel(tr("Tick at least {n} dynamics.").format(n=MIN_DYNAMICS))
        self.hint.setStyleSheet(f"color: {style.ERROR};")
        self.hint.hide()
        col.addWidget(self.hint)
        lay.addWidget(box)

        # ---- the run
        box = QtWidgets.QGroupBox(tr("Run"))
        form = form_layout()
        box.setLayout(form)
        self.steps = self._spin(1, 100_000, DEFAULT_STEPS, tr("Steps of every dynamic from t = 1 to ε (fewer steps: "
                                                              "more sampler error). Heun and PC evaluate the score "
                                                              "twice a step; annealed Langevin makes 10 levels of "
                                                              "steps ÷ 10"))
        self.particles = self._spin(10, 200_000, DEFAULT_PARTICLES, tr("Particles, drawn once from the prior and "
                                                                       "shared by every dynamic"))
        self.seed = self._spin(0, 2**31 - 1, cfg.seed, tr("The prior sample's seed; every dynamic's noise generator "
                                                          "gets the same seed (seed + 0x5EED)"))
        self.duration = QtWidgets.QComboBox()
        for s in DURATIONS_S:
            self.duration.addItem(tr("{n} s").format(n=s), s)
        self.duration.setCurrentIndex(DURATIONS_S.index(DEFAULT_DURATION_S))
        self.duration.setToolTip(tr("About how long a run takes from the prior to the data: every dynamic advances "
                                    "by the same fraction of its steps each frame, so all arrive together"))
        form.addRow(tr("Steps"), self.steps)
        form.addRow(tr("Particles"), self.particles)
        form.addRow(tr("Seed"), self.seed)
        form.addRow(tr("Duration"), self.duration)
        lay.addWidget(box)
        lay.addStretch(1)

        self.learned.toggled.connect(self._source_changed)
        self.process.currentIndexChanged.connect(self._changed)
        for cb in self.checks.values():
            cb.toggled.connect(self._changed)
        for w in (self.steps, self.particles, self.seed):
            w.valueChanged.connect(self._changed)
        self.duration.currentIndexChanged.connect(self._changed)
        self._sync_process()

    def _spin(self, lo: int, hi: int, value: int, tip: str) -> QtWidgets.QSpinBox:
        w = QtWidgets.QSpinBox()
        w.setRange(lo, hi)
        w.setValue(value)
        w.setKeyboardTracking(False)  # applied when typing ends, not at every digit
        w.setGroupSeparatorShown(True)
        w.setToolTip(tip)
        return w

    # ------------------------------------------------------------------ reading
    def methods(self) -> tuple:
        return tuple(k for k, cb in self.checks.items() if cb.isChecked())

    def source(self) -> str:
        return "learned" if self.learned.isChecked() else "true"

    def settings(self) -> DynamicsSettings | None:
        """The request as it stands, or None while fewer than 2 dynamics are ticked."""
        methods = self.methods()
        if not MIN_DYNAMICS <= len(methods) <= MAX_DYNAMICS:
            return None
        return DynamicsSettings(source=self.source(), process=self.process.currentData(), methods=methods,
                                steps=self.steps.value(), n=self.particles.value(), seed=self.seed.value(),
                                frames=int(self.duration.currentData()) * DYNAMICS_FPS)

    def dynamic_colour(self, key: str) -> str:
        """The colour of ``key``'s panel (its place among the ticked ones)."""
        methods = self.methods()
        return config_colour(methods.index(key)) if key in methods else style.FOREGROUND

    # ------------------------------------------------------------------ changing
    def use_true_score(self) -> None:
        self.true.setChecked(True)

    def _source_changed(self, _=None) -> None:
        self._sync_process()
        self._changed()

    def _sync_process(self) -> None:
        learned = self.learned.isChecked()
        if learned and self._model_kind is not None:
            self.process.blockSignals(True)
            self.process.setCurrentIndex(PROCESSES.index(self._model_kind))
            self.process.blockSignals(False)
        self.process.setEnabled(not learned)
        self.process.setToolTip(tr("The model's own process (it was trained with it)") if learned else
                                tr("The forward process whose exact score ∇log pₜ drives the dynamics"))

    def _changed(self, *_) -> None:
        s = self.settings()
        self.hint.setVisible(s is None)
        if s is not None and self._emitting:
            self.settingsChanged.emit(s)
