"""The control dock's content: every section in one scrollable column (``ControlPanel``).

The panel keeps a stable layout (vertical scrolling only, the widget being edited held in place
while rows appear or vanish), links the objective and model sections so that pairs the core
refuses cannot be chosen, and shows a saved session's settings without sending them.
"""

from __future__ import annotations

import shiboken6
from PySide6 import QtCore, QtWidgets

from scoreviz.gui.controls.density import DensitySection
from scoreviz.gui.controls.display import DisplaySection
from scoreviz.gui.controls.model import ModelSection
from scoreviz.gui.controls.objective import ObjectiveSection
from scoreviz.gui.controls.sampler import SamplerSection
from scoreviz.gui.controls.system import SystemSection


class ControlPanel(QtWidgets.QScrollArea):
    """All sections in one scrollable column (the content of the control dock).

    A stable layout: the column scrolls vertically only, and the vertical scroll bar is always
    there, so the column's width never changes as sections grow or shrink (rows appearing for a
    sampler, a preset's parameters); the scroll position stays, and the widget being edited stays
    in view. Nothing is clipped sideways: combo boxes may be narrower than their longest item (the
    list still shows it whole) and the panel is never narrower than its content's minimum."""

    MIN_COMBO_CHARS = 10  # a combo box's width need not fit its longest item

    def __init__(self, session_cfg, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        inner = QtWidgets.QWidget()
        lay = QtWidgets.QVBoxLayout(inner)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(6)
        self.density = DensitySection(session_cfg.density)
        self.objective = ObjectiveSection(session_cfg.objective)
        self.model = ModelSection(session_cfg)
        self.sampler = SamplerSection(session_cfg.sampler)
        self.system = SystemSection(session_cfg)
        self.display = DisplaySection(session_cfg.grid)
        for s in (self.density, self.objective, self.model, self.sampler, self.system, self.display):
            lay.addWidget(s)
        lay.addStretch(1)
        for combo in inner.findChildren(QtWidgets.QComboBox):
            self._narrow_combo(combo)
        self.setWidget(inner)
        self._anchor = None  # (focused widget, its y in the viewport, pass) while the column re-lays out
        self._settled = None  # (focused widget, its y in the viewport) with the layout settled
        self._fit_width()
        inner.installEventFilter(self)
        self.verticalScrollBar().valueChanged.connect(self._snapshot_focus)
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.focusChanged.connect(self._snapshot_focus)
        # objective/model pairs the core refuses cannot be selected
        self.objective.name.currentTextChanged.connect(self.model.set_objective)
        self.objective.name.currentTextChanged.connect(self.sampler.set_objective)  # time samplers need sde
        self.model.activation.currentTextChanged.connect(self.objective.set_activation)
        self.model.set_objective(session_cfg.objective.name)
        self.sampler.set_objective(session_cfg.objective.name)
        self.objective.set_activation(session_cfg.model.activation)

    def _narrow_combo(self, combo: QtWidgets.QComboBox) -> None:
        combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(self.MIN_COMBO_CHARS)
        view = combo.view()
        if view is not None:  # the open list shows every item whole
            view.setTextElideMode(QtCore.Qt.TextElideMode.ElideNone)
            view.setMinimumWidth(view.sizeHintForColumn(0) + 24)

    def _fit_width(self) -> None:
        """Never narrower than the content's minimum plus the scroll bar (no clipping at the right)."""
        inner = self.widget()
        if inner is None:
            return
        need = (inner.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
                + 2 * self.frameWidth())
        want = max(300, need)
        if self.minimumWidth() != want:
            self.setMinimumWidth(want)

    def eventFilter(self, obj, ev) -> bool:
        if obj is self.widget():
            t = ev.type()
            if t == QtCore.QEvent.Type.ChildPolished and isinstance(ev.child(), QtWidgets.QComboBox):
                self._narrow_combo(ev.child())  # a row built later (a preset's parameters)
            elif t == QtCore.QEvent.Type.LayoutRequest:
                self._fit_width()
                self._hold_focus_in_place()
        return False

    ANCHOR_PASSES = 3  # the column's layout and the scroll area's resize of it settle over a few events

    def _snapshot_focus(self, *_) -> None:
        """Where the widget being edited is in the viewport, while the layout is settled (focus
        changes, scrolling): the place ``_hold_focus_in_place`` keeps it at."""
        if self._anchor is not None:
            return
        focus = QtWidgets.QApplication.focusWidget()
        inner = self.widget()
        self._settled = None
        if focus is not None and inner is not None and inner.isAncestorOf(focus) and focus.isVisible():
            y = focus.mapTo(self.viewport(), QtCore.QPoint(0, 0)).y()
            if 0 <= y < self.viewport().height():
                self._settled = (focus, y)

    def _hold_focus_in_place(self) -> None:
        """The column changes height: put the widget being edited back where it was on screen once
        the new layout is in place, so rows that appear or vanish above it do not move it away."""
        if self._anchor is not None or self._settled is None:
            return
        if self._settled[0] is not QtWidgets.QApplication.focusWidget():
            self._snapshot_focus()
            if self._settled is None:
                return
        self._anchor = (*self._settled, 0)
        QtCore.QTimer.singleShot(0, self, self._restore_anchor)

    def _restore_anchor(self) -> None:
        anchor = self._anchor
        if anchor is None:
            return
        focus, y, passes = anchor
        if not shiboken6.isValid(focus) or not focus.isVisible():
            self._anchor = None
            self._settled = None
            return
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + focus.mapTo(self.viewport(), QtCore.QPoint(0, 0)).y() - y)
        if passes + 1 < self.ANCHOR_PASSES:
            self._anchor = (focus, y, passes + 1)
            QtCore.QTimer.singleShot(0, self, self._restore_anchor)
        else:
            self._anchor = None
            self._snapshot_focus()

    def show_config(self, cfg, density=None) -> None:
        """Show ``cfg`` (and ``density``) in every section without sending changes: used when a
        saved session is opened, whose settings the trainer already has."""
        widgets = self.widget().findChildren(QtWidgets.QWidget)
        blocked = [w.blockSignals(True) for w in widgets]
        try:
            o, m, s = cfg.objective, cfg.model, cfg.sampler
            ob, md, sa = self.objective, self.model, self.sampler
            values = [(ob.name, o.name), (ob.sigma, o.sigma), (ob.sigma_max, o.sigma_max),
                      (ob.sigma_min, o.sigma_min), (ob.levels, o.levels), (ob.projections, o.projections),
                      (ob.projection, o.projection), (ob.sde, o.sde), (ob.beta_min, o.beta_min),
                      (ob.beta_max, o.beta_max), (ob.weighting, o.weighting), (md.hidden, m.hidden), (md.layers, m.layers),
                      (md.activation, m.activation), (md.param, m.parametrization), (md.lr, cfg.lr),
                      (md.batch, cfg.batch), (sa.kind, s.sampler), (sa.source, s.score_source),
                      (sa.step_size, s.step_size), (sa.n, s.n_particles), (sa.per_frame, s.steps_per_frame),
                      (sa.sigma_max, s.sigma_max), (sa.sigma_min, s.sigma_min), (sa.levels, s.levels),
                      (sa.per_level, s.steps_per_level), (sa.diffusion_steps, s.diffusion_steps),
                      (sa.solver, s.solver), (sa.snr, s.snr), (sa.corrector_steps, s.corrector_steps)]
            for w, v in values:
                if isinstance(w, QtWidgets.QComboBox):
                    w.setCurrentText(v)
                else:
                    w.setValue(v)
            sa.base = s
            ob._t_eps = o.t_eps
            sy = self.system
            if sy.device.findText(cfg.device) >= 0:
                sy.device.setCurrentText(cfg.device)
            sy.seed.setValue(int(cfg.seed))
        finally:
            for w, was in zip(widgets, blocked):
                w.blockSignals(was)
        self.objective.show_params()
        self.sampler.show_rows()
        self.model.set_objective(cfg.objective.name)
        self.sampler.set_objective(cfg.objective.name)
        self.objective.set_activation(cfg.model.activation)
        if density is not None:  # its tab, with its settings (an image target: the Image tab)
            self.density.show_in_force(density)
