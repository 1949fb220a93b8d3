"""Talk mode as a speaker drives it: F11 in, the caption, bigger type and arrows, its keys, Esc out."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from helpers import wait_for_frame

Key = QtCore.Qt.Key


def _press(qtbot, window, key):
    window.activateWindow()
    window.panels.setFocus()
    qtbot.keyClick(window, key)


def _plain(rich: str) -> str:
    doc = QtGui.QTextDocument()
    doc.setHtml(rich)
    return doc.toPlainText()


def _looks(window):
    """Everything talk mode restyles, as comparable values."""
    from scoreviz.gui.items.axis_look import AxisLook

    axes = window.panels.axes() + window.plots.axes()
    fixed = [(look.tick_font, look.label_style, look.fixed_width, look.fixed_height)
             for look in (AxisLook.of(ax) for ax in axes)]
    quivers = [(q.lineWidth(), q.headFraction()) for q in (window.panels.learned_quiver, window.panels.true_quiver)]
    titles = [p.titleLabel.text for p in (window.panels.learned_plot, window.panels.true_plot,
                                          window.panels.particles_plot, window.plots.loss_plot.getPlotItem())]
    pens = [c.opts["pen"].widthF() for c in (window.plots.loss_raw, window.plots.loss_smooth, window.plots.fisher_curve)]
    return fixed, quivers, titles, pens


def _bars(window):
    return {"dock": window.dock.isVisible(), "toolbar": window.toolbar.isVisible(),
            "menubar": window.menuBar().isVisible(), "statusbar": window.statusBar().isVisible()}


def test_formula_html_and_headings_come_from_the_core():
    from scoreviz.core.objectives import OBJECTIVE_INFO, ObjectiveConfig
    from scoreviz.gui.windows.talk_mode import formula_html, objective_heading, objective_settings

    assert formula_html("½‖s_θ(x) − ∇ₓlog p(x)‖²") == "½‖s<sub>θ</sub>(x) − ∇ₓlog p(x)‖²"
    assert formula_html("σ_max…σ_min, a<b") == "σ<sub>max</sub>…σ<sub>min</sub>, a&lt;b"
    for name, info in OBJECTIVE_INFO.items():
        assert objective_heading(name) == f"{name} · {info.description.split(':')[0]}"
    assert objective_heading("ssm-vr") == "ssm-vr · sliced score matching, variance reduced"
    assert objective_settings(ObjectiveConfig(name="dsm", sigma=0.25)) == "σ = 0.25"
    assert objective_settings(ObjectiveConfig(name="ncsn", sigma_max=20, sigma_min=1, levels=10)) == "σ 20 → 1, 10 levels"
    assert objective_settings(ObjectiveConfig(name="ssm", projections=2)) == "2 gaussian projections"
    assert objective_settings(ObjectiveConfig(name="esm")) == ""


def test_f11_enters_talk_mode_and_esc_puts_everything_back(qtbot, make_window):
    from scoreviz.core.objectives import OBJECTIVE_INFO
    from scoreviz.gui.windows.talk_mode import TALK_GRID, formula_html

    w = make_window()
    wait_for_frame(qtbot, w, lambda f: f.snapshot.learned is not None)
    tm = w.talk_mode
    view_menu = next(m for m in w.menuBar().findChildren(QtWidgets.QMenu) if m.title() == "&View")
    assert tm.action in view_menu.actions()
    assert tm.action.shortcut().toString() == "F11" and "Esc" in tm.action.toolTip()
    state0, geometry0, bars0, looks0 = w.windowState(), w.geometry(), _bars(w), _looks(w)
    grid0 = w.evaluator.view().grid
    assert all(bars0.values()) and grid0 == w.panels.auto_arrow_grid() == w.controls.display.grid_value()

    _press(qtbot, w, Key.Key_Escape)  # Esc outside talk mode does nothing
    assert not tm.is_active() and _bars(w) == bars0 and not w.isFullScreen()

    _press(qtbot, w, Key.Key_F11)
    assert tm.is_active() and tm.action.isChecked()
    assert w.windowState() & QtCore.Qt.WindowState.WindowFullScreen
    assert not any(_bars(w).values())
    assert tm.caption.isVisible() and tm.hint.isVisible()
    formula = _plain(formula_html(OBJECTIVE_INFO["dsm"].formula))
    text = tm.caption.text()
    assert "dsm" in text and formula in text and "σ = 0.1" in text and "8gaussians" in text
    assert "learned score" in text and "step 0" in text
    # larger type, thicker arrows with longer heads, a coarser arrow grid, thicker curves
    fixed, quivers, titles, pens = _looks(w)
    assert all(q[0] > q0[0] and q[1] > q0[1] for q, q0 in zip(quivers, looks0[1]))
    for (font, style, _, _), (font0, style0, _, _) in zip(fixed, looks0[0]):
        base = font0.pointSizeF() if font0 is not None else w.font().pointSizeF()
        assert font.pointSizeF() > 1.5 * base
        assert float(style["font-size"].rstrip("pt")) > 1.5 * float(style0.get("font-size", f"{base}pt").rstrip("pt"))
    import re

    def title_pt(html):
        return float(re.search(r"font-size:\s*([0-9.]+)pt", html).group(1))

    assert title_pt(looks0[2][0]) >= w.font().pointSizeF()  # never smaller than the platform's font
    assert title_pt(titles[0]) >= 1.5 * title_pt(looks0[2][0])
    assert all(p > p0 for p, p0 in zip(pens, looks0[3]))
    # the auto arrow grid spaces the thicker arrows wider: about PRESENTATION_ARROW_SPACING_PX apart
    qtbot.waitUntil(lambda: w.evaluator.view().grid == w.panels.auto_arrow_grid(), timeout=5000)
    talk_grid = w.evaluator.view().grid
    spacing = w.panels.panel_side() * w.devicePixelRatioF() / talk_grid
    assert talk_grid < grid0 <= TALK_GRID * 2
    assert spacing == pytest.approx(w.panels.PRESENTATION_ARROW_SPACING_PX, rel=0.2)
    f = wait_for_frame(qtbot, w, lambda f: f.snapshot.xs.shape[0] == talk_grid)
    qtbot.waitUntil(lambda: w.panels.learned_quiver.arrowCount() <= talk_grid * talk_grid, timeout=5000)

    # the step count follows training: S still steps
    _press(qtbot, w, Key.Key_S)
    wait_for_frame(qtbot, w, lambda f: f.state.step == 1)
    qtbot.waitUntil(lambda: "step 1" in tm.caption.text(), timeout=5000)
    assert "paused" in tm.caption.text()

    _press(qtbot, w, Key.Key_Escape)
    assert not tm.is_active() and not tm.action.isChecked()
    assert not tm.caption.isVisible() and not tm.hint.isVisible()
    assert w.windowState() == state0
    assert _bars(w) == bars0
    assert _looks(w) == looks0
    assert w.evaluator.view().grid == grid0
    qtbot.waitUntil(lambda: w.geometry() == geometry0, timeout=3000)

    # F11 toggles: in and out again
    tm.action.trigger()
    assert tm.is_active()
    _press(qtbot, w, Key.Key_F11)
    assert not tm.is_active() and _bars(w) == bars0 and _looks(w) == looks0

    # a maximised window comes back maximised
    w.showMaximized()
    maximized = w.windowState()
    tm.set_active(True)
    assert w.windowState() & QtCore.Qt.WindowState.WindowFullScreen
    tm.set_active(False)
    assert w.windowState() == maximized


def test_talk_keys_step_presets_and_flip_the_particles_score(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    tm = w.talk_mode
    tm.hint_hold_ms, tm.hint_fade_ms = 50, 50
    combo = w.controls.density.preset
    names = [combo.itemText(i) for i in range(combo.count())]
    i0 = combo.currentIndex()
    assert names[i0] == "8gaussians"

    _press(qtbot, w, Key.Key_Right)  # a talk-mode key: nothing happens outside it
    assert combo.currentIndex() == i0

    _press(qtbot, w, Key.Key_F11)
    assert tm.hint.isVisible()
    qtbot.waitUntil(lambda: not tm.hint.isVisible(), timeout=3000)  # the key hint fades out
    first = wait_for_frame(qtbot, w, lambda f: f.snapshot.true is not None
                           and f.snapshot.xs.shape[0] == w.panels.auto_arrow_grid())

    _press(qtbot, w, Key.Key_Right)
    after = names[(i0 + 1) % len(names)]
    assert combo.currentText() == after
    f = wait_for_frame(qtbot, w, lambda f: f.state.density.name == after and f.snapshot.true is not first.snapshot.true)
    assert not np.allclose(f.snapshot.true, first.snapshot.true)
    qtbot.waitUntil(lambda: f"density {after}" in tm.caption.text(), timeout=5000)
    _press(qtbot, w, Key.Key_PageUp)  # a presenter clicker's "back"
    assert combo.currentIndex() == i0
    wait_for_frame(qtbot, w, lambda f: f.state.density.name == "8gaussians")
    _press(qtbot, w, Key.Key_PageDown)
    assert combo.currentText() == after
    _press(qtbot, w, Key.Key_Left)
    assert combo.currentIndex() == i0

    source = w.controls.sampler.source
    assert source.currentText() == "learned"
    _press(qtbot, w, Key.Key_L)
    assert source.currentText() == "true"
    wait_for_frame(qtbot, w, lambda f: f.state.cfg.sampler.score_source == "true")  # the worker has it
    qtbot.waitUntil(lambda: "true score" in tm.caption.text(), timeout=5000)
    _press(qtbot, w, Key.Key_T)
    assert source.currentText() == "learned"
    wait_for_frame(qtbot, w, lambda f: f.state.cfg.sampler.score_source == "learned")

    _press(qtbot, w, Key.Key_A)
    assert w.controls.sampler.kind.currentText() == "annealed"
    wait_for_frame(qtbot, w, lambda f: f.state.cfg.sampler.sampler == "annealed")
    qtbot.waitUntil(lambda: "annealed" in tm.caption.text(), timeout=5000)

    _press(qtbot, w, Key.Key_S)
    wait_for_frame(qtbot, w, lambda f: f.state.step == 1)
    _press(qtbot, w, Key.Key_R)  # reset
    wait_for_frame(qtbot, w, lambda f: f.state.step == 0 and f.state.losses.shape[0] == 0)

    _press(qtbot, w, Key.Key_Escape)
    assert not tm.is_active()
    _press(qtbot, w, Key.Key_L)  # out of talk mode the key is free again
    assert source.currentText() == "learned"
    _press(qtbot, w, Key.Key_F11)  # the window closes while in talk mode: nothing is left running
    assert tm.is_active()
