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
from scoreviz.gui.views.compare_panels import config_colour
from scoreviz.live.dynamics_settings import (DEFAULT_DYNAMICS, DEFAULT_PARTICLES, DEFAULT_STEPS, DURATIONS_S,
                                             DYNAMICS, DYNAMICS_FPS, MAX_DYNAMICS, MIN_DYNAMICS, PROCESSES,
                                             DynamicsSettings)

PROCESS_TIPS = {
    "ve": "variance exploding: x_t = x_0 + σ(t)z; prior N(0, σ_max²I), σ_max the box's diagonal",
    "vp": "variance preserving: x_t = α(t)x_0 + √(1−α²)z; prior N(0, I)",
    "subvp": "sub-VP: mean α(t)x_0, std 1 − α(t)²; prior N(0, I)",
}
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
        box = QtWidgets.QGroupBox("Score")
        box.setToolTip("Which score drives every dynamic: the main window's trained network or the exact one")
        form = form_layout()
        box.setLayout(form)
        self.learned = QtWidgets.QRadioButton("Learned s_θ(x, t)")
        self.learned.setToolTip("The main window's model as it was when this window opened (F5 takes the newest): "
                                "needs a time-conditional model trained with objective sde")
        self.true = QtWidgets.QRadioButton("True ∇log pₜ")
        self.true.setToolTip("The exact score of the data density noised to time t by the chosen process: "
                             "what is left is sampler error alone")
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
            self.process.setItemData(self.process.count() - 1, PROCESS_TIPS[kind], QtCore.Qt.ItemDataRole.ToolTipRole)
        self.process.setCurrentIndex(PROCESSES.index(self._model_kind or "vp"))
        form.addRow(self.learned)
        form.addRow(self.true)
        form.addRow(self.model_label)
        form.addRow("Process", self.process)
        lay.addWidget(box)

        # ---- the dynamics
        box = QtWidgets.QGroupBox(f"Dynamics ({MIN_DYNAMICS} to {MAX_DYNAMICS})")
        box.setToolTip("Every ticked dynamic runs side by side from the same prior samples with the same noise seed")
        col = QtWidgets.QVBoxLayout(box)
        self.checks: dict[str, QtWidgets.QCheckBox] = {}
        for key, (title, tip) in DYNAMICS.items():
            cb = QtWidgets.QCheckBox(title)
            cb.setToolTip(tip)
            cb.setChecked(key in DEFAULT_DYNAMICS)
            col.addWidget(cb)
            self.checks[key] = cb
        self.hint = QtWidgets.QLabel(f"Tick at least {MIN_DYNAMICS} dynamics.")
        self.hint.setStyleSheet(f"color: {style.ERROR};")
        self.hint.hide()
        col.addWidget(self.hint)
        lay.addWidget(box)

        # ---- the run
        box = QtWidgets.QGroupBox("Run")
        form = form_layout()
        box.setLayout(form)
        self.steps = self._spin(1, 100_000, DEFAULT_STEPS, "Steps of every dynamic from t = 1 to ε (fewer steps: "
                                "more sampler error). Heun and PC evaluate the score twice a step; annealed "
                                "Langevin makes 10 levels of steps ÷ 10")
        self.particles = self._spin(10, 200_000, DEFAULT_PARTICLES, "Particles, drawn once from the prior and "
                                    "shared by every dynamic")
        self.seed = self._spin(0, 2**31 - 1, cfg.seed, "The prior sample's seed; every dynamic's noise generator "
                               "gets the same seed (seed + 0x5EED)")
        self.duration = QtWidgets.QComboBox()
        for s in DURATIONS_S:
            self.duration.addItem(f"{s} s", s)
        self.duration.setCurrentIndex(DURATIONS_S.index(DEFAULT_DURATION_S))
        self.duration.setToolTip("About how long a run takes from the prior to the data: every dynamic advances "
                                 "by the same fraction of its steps each frame, so all arrive together")
        form.addRow("Steps", self.steps)
        form.addRow("Particles", self.particles)
        form.addRow("Seed", self.seed)
        form.addRow("Duration", self.duration)
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
        self.process.setToolTip("The model's own process (it was trained with it)" if learned else
                                "The forward process whose exact score ∇log pₜ drives the dynamics")

    def _changed(self, *_) -> None:
        s = self.settings()
        self.hint.setVisible(s is None)
        if s is not None and self._emitting:
            self.settingsChanged.emit(s)
