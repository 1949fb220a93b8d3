"""Defects found by trying the app as a new user would (issue 10): saving, refused files, the
unsaved-changes question, the eraser, shortcuts, dialogs' folders and filters, the title, F1, and a
dock that shows the state in force in a stable layout."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest
import shiboken6
from PySide6 import QtCore, QtWidgets

from helpers import small_config, wait_for_frame
from scoreviz.live.commands import SetDensity

ROOT = Path(__file__).resolve().parents[2]
SB = QtWidgets.QMessageBox.StandardButton
IMAGE = str(ROOT / "resources" / "heart.png")


def _train(qtbot, w, steps):
    start = wait_for_frame(qtbot, w).state.step
    for _ in range(steps):
        w.step_once()
    return wait_for_frame(qtbot, w, lambda f: f.state.step >= start + steps)


def _trainer_step(w) -> int:
    return int(w.trainer.call(lambda s: s.step_count).result(timeout=20))


def _title_app_count(w) -> int:
    return w.windowTitle().replace("[*]", "").count("scoreviz")


@pytest.fixture
def own_folders(monkeypatch, tmp_path):
    """A home of its own (the platform folders live there) and an empty app data folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("SCOREVIZ_DATA_DIR", str(tmp_path / "data"))
    return home


# ============================================================================ 1. Ctrl+S
def test_ctrl_s_saves_with_nothing_on_stderr(qtbot, make_window, tmp_path, capfd):
    w = make_window()
    _train(qtbot, w, 2)
    path = tmp_path / "run.scoreviz"
    w.sessions.path = str(path)
    capfd.readouterr()
    with qtbot.waitSignal(w.sessions.saved, timeout=20000):
        w.sessions.act_save.trigger()  # what Ctrl+S does: triggered(checked=False)
    for _ in range(5):
        QtWidgets.QApplication.processEvents()
    err = capfd.readouterr().err
    assert err == "", err
    assert path.is_file() and path.stat().st_size > 0 and not w.isWindowModified()


# ============================================================================ 2. a refused file
def test_a_damaged_file_is_refused_before_asking_and_changes_nothing(qtbot, make_window, tmp_path):
    w = make_window(interactive=True)
    _train(qtbot, w, 2)
    assert w.isWindowModified()
    step = w.last_frame.state.step
    bad = tmp_path / "bad.scoreviz"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    assert not w.open_path(str(bad))
    assert w.sessions.prompt is None  # checked first: no Save/Discard question for a file that cannot open
    assert "bad.scoreviz" in w.banner.text()
    # the banner's button fits the error: another file, never Reset
    assert not w.banner.reset.isVisible()
    assert w.banner.action.isVisible() and w.banner.action.text() == "Open another…"
    # nothing changed: the unsaved marker stays, the session is the same one
    f = wait_for_frame(qtbot, w)
    assert w.isWindowModified() and f.state.step == step and f.state.cfg.density == "8gaussians"
    # so Ctrl+Q still asks
    w.act_quit.trigger()
    assert w.isVisible() and w.sessions.prompt is not None
    w.sessions.prompt.button(SB.Cancel).click()
    qtbot.waitUntil(lambda: w.sessions.prompt is None, timeout=3000)
    assert w.isVisible() and w.isWindowModified()


def test_a_training_fault_still_offers_reset(qtbot, make_window):
    w = make_window()
    w.banner.show_message("training diverged at step 3")
    assert w.banner.reset.isVisible() and not w.banner.action.isVisible()
    w.banner.show_message("cannot open 'x'", action=("Open another…", lambda: None))
    assert not w.banner.reset.isVisible() and w.banner.action.isVisible()
    w.banner.show_message("training diverged again")
    assert w.banner.reset.isVisible() and not w.banner.action.isVisible()


# ============================================================================ 3. pause while asking
def test_training_pauses_while_the_question_is_open_and_saves_the_step_it_names(qtbot, make_window, tmp_path):
    from scoreviz.core.session_file import load_session

    w = make_window(interactive=True)
    wait_for_frame(qtbot, w)
    w.play()
    qtbot.waitUntil(lambda: w.running and w.last_frame.state.step >= 3, timeout=30000)
    w.close()
    assert w.isVisible() and w.sessions.prompt is not None
    qtbot.waitUntil(lambda: not w.running, timeout=5000)
    paused = _trainer_step(w)
    qtbot.wait(400)
    assert _trainer_step(w) == paused  # no step while the question is open
    qtbot.waitUntil(lambda: f"step {paused:,}" in w.sessions.prompt.text(), timeout=5000)
    # Cancel: training runs on
    w.sessions.prompt.button(SB.Cancel).click()
    qtbot.waitUntil(lambda: w.running and _trainer_step(w) > paused, timeout=20000)
    # Save: the file holds the step the question named
    path = tmp_path / "kept.scoreviz"
    w.sessions.path = str(path)
    w.close()
    qtbot.waitUntil(lambda: not w.running, timeout=5000)
    named = _trainer_step(w)
    qtbot.waitUntil(lambda: f"step {named:,}" in w.sessions.prompt.text(), timeout=5000)
    w.sessions.prompt.button(SB.Save).click()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=20000)
    session, _ = load_session(path)
    assert session.step_count == named


# ============================================================================ 4. the eraser
def _stroke(n=60):
    t = np.linspace(0.0, 1.0, n)
    return np.stack([-2.5 + 5.0 * t, 1.5 * np.sin(3.0 * t)], axis=1)


def _distance_to_path(points, path):
    from scoreviz.live.brush import _segment_distance2

    d2 = np.full(points.shape[0], np.inf)
    for a, b in zip(path[:-1], path[1:]):
        d2 = np.minimum(d2, _segment_distance2(points, a, b))
    return np.sqrt(d2)


@pytest.mark.parametrize("dabs", [400, 12])  # a slow drag, and a fast one whose dabs lie far apart
def test_one_eraser_pass_removes_the_paint_under_it(dabs):
    from scoreviz.gui.controls import limited_spin_box
    from scoreviz.live.brush import BrushCanvas

    radius = 0.35
    strength = limited_spin_box("brush_strength", 0.5).value()  # the dock's default
    c = BrushCanvas()
    path = _stroke()
    for _ in range(3):  # painted over three times: heavy paint
        c.begin_stroke()
        for x, y in path:
            c.paint(x, y, radius, strength)
        c.end_stroke()
    c.begin_stroke()
    for x, y in (-2.0, -3.0), (2.0, -3.0):  # a second stroke far from the first
        c.paint(x, y, radius, strength)
    c.end_stroke()
    far = c.means[:, 1] < -2.5
    kept_w = c.weights[far].copy()
    assert len(c) > 20

    c.begin_stroke()
    eraser = _stroke(dabs)
    for x, y in eraser:
        c.erase(x, y, radius, strength)
    c.end_stroke()
    under = _distance_to_path(c.means, eraser) < radius
    assert not under.any()  # one pass: no paint left under the eraser's path
    assert len(c) == 2 and np.allclose(c.weights, kept_w)  # the far stroke is untouched
    d = c.density()
    import torch

    lp_path = d.log_prob(torch.tensor(path, dtype=torch.float32)).numpy()
    lp_far = d.log_prob(torch.tensor([[-2.0, -3.0]], dtype=torch.float32)).numpy()
    assert (lp_path < lp_far[0] - 10).all()  # where the stroke was, practically no density


def test_erasing_thins_the_edge_once_per_stroke():
    from scoreviz.live.brush import BrushCanvas

    c = BrushCanvas()
    c.begin_stroke()
    c.paint(0.0, 0.6, 0.35, 1.0)  # just outside the eraser's path along y = 0
    c.end_stroke()
    c.begin_stroke()
    for x in np.linspace(-2, 2, 200):
        c.erase(x, 0.0, 0.35, 0.5)
    c.end_stroke()
    k = np.exp(-0.5 * 0.6**2 / 0.175**2)
    assert len(c) == 1 and c.weights[0] == pytest.approx(1.0 - 0.5 * k)


# ============================================================================ 5. shortcuts, dialogs, title, F1
def _keys(window) -> dict[str, str]:
    out = {}
    for a in window.actions():
        for s in a.shortcuts():
            out[s.toString()] = a.text()
    return out


def test_one_meaning_per_shortcut_across_windows(qtbot, make_window, make_compare):
    w = make_window()
    c = make_compare()
    main, comp = _keys(w), _keys(c)
    assert main["Ctrl+S"] == "Save session" and "Ctrl+S" not in comp
    assert main["Ctrl+Shift+S"] == "Save session as…" and "Ctrl+Shift+S" not in comp
    figure_key = w.exports.act_figure.shortcut().toString()
    assert c.act_save_figure.shortcut().toString() == figure_key == "Ctrl+E"
    assert all("figure" not in text.lower() for k, text in {**main, **comp}.items() if k == "Ctrl+S")
    # the keys both windows have mean the same there (talk mode's keys work only in talk mode)
    talk = {a.text() for a in w.actions() if a.text() in ("Reset (talk mode)", "Next preset", "Previous preset")}
    same = {("Figure…", "Save figure…"), ("Open…", "Open image or density…")}
    for key in set(main) & set(comp):
        if main[key] in talk:
            continue
        assert main[key] == comp[key] or (main[key], comp[key]) in same, (key, main[key], comp[key])


def test_open_image_lists_only_images(qtbot, make_window, make_compare, monkeypatch, own_folders):
    from scoreviz.core.images import IMAGE_SUFFIXES

    asked = []

    def fake(parent, title, folder, filters, *rest):
        asked.append((folder, filters))
        return "", ""

    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", fake)
    w = make_window()
    c = make_compare()
    w.controls.density.tabs.setCurrentIndex(w.controls.density.TAB_IMAGE)
    w.controls.density.open_image.click()
    c.density.open_image.click()
    assert len(asked) == 2
    for folder, filters in asked:
        patterns = filters[filters.index("(") + 1:filters.index(")")].split()
        assert ";;" not in filters and sorted(patterns) == sorted("*" + s for s in IMAGE_SUFFIXES)
        assert folder == str(own_folders / "Pictures") and os.path.isdir(folder)


def test_dialogs_start_in_the_last_folder_else_videos_or_pictures(qtbot, make_window, make_compare, monkeypatch,
                                                                  own_folders, tmp_path):
    from scoreviz.gui import app_data

    S = QtCore.QStandardPaths
    videos = S.writableLocation(S.StandardLocation.MoviesLocation)
    pictures = S.writableLocation(S.StandardLocation.PicturesLocation)
    assert Path(videos).parent == own_folders and Path(pictures).parent == own_folders
    home = str(own_folders)
    w = make_window()
    c = make_compare()
    # recordings: the platform's Videos folder, never the home root
    assert w.recorder.folder() == videos != home and os.path.isdir(videos)
    assert c.recorder.folder() == videos
    # figures: Pictures; then the folder last chosen
    asked = []
    chosen = tmp_path / "figs" / "mine.png"
    chosen.parent.mkdir()

    def fake(parent, title, start, filters, *rest):
        asked.append(start)
        return str(chosen), filters

    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", fake)
    assert w.exports._ask_save("t", "scoreviz-all.png", "PNG (*.png)", ".png", kind="figures") == str(chosen)
    assert os.path.dirname(asked[-1]) == pictures
    c.save_figure_dialog()
    assert os.path.dirname(asked[-1]) == str(chosen.parent)  # the last folder used, in either window
    # an animation written into a folder: the next export dialog starts there
    app_data.remember_folder("recordings", tmp_path / "figs" / "clip.mp4")
    assert w.recorder.folder() == str(chosen.parent)
    for folder in asked:
        assert os.path.dirname(folder) != home


def test_the_title_names_scoreviz_once(qtbot, make_window, make_compare, tmp_path):
    w = make_window()
    _train(qtbot, w, 1)
    assert w.windowTitle() == "untitled[*] — scoreviz" and _title_app_count(w) == 1
    with qtbot.waitSignal(w.sessions.saved, timeout=20000):
        w.sessions.save_to(str(tmp_path / "run.scoreviz"))
    assert w.windowTitle().startswith("run[*]") and _title_app_count(w) == 1
    c = make_compare()
    assert c.windowTitle().count("scoreviz") == 1


def test_f1_groups_the_shortcuts_by_menu_and_explains_panels_and_metrics(qtbot, make_window, make_compare):
    w = make_window()
    groups = dict(w.shortcut_groups())
    titles = [t for t, _ in w.shortcut_groups()]
    assert titles[:3] == ["File", "Run", "View"] and "Help" in titles
    assert ("Ctrl+S", "Save session: " + w.sessions.act_save.statusTip()) in groups["File"]
    assert any(k == "Space" for k, _ in groups["Run"]) and any(k == "F11" for k, _ in groups["View"])
    listed = [k for _, rows in w.shortcut_groups() for k, _ in rows]
    assert len(listed) == len(set(listed))  # each shortcut once
    text = w.shortcuts_html()
    for word in ("Learned score", "True score", "Error", "Particles", "Loss", "Relative Fisher", "steps/s", "fps"):
        assert word in text, word
    w.show_shortcuts()
    box = w.shortcuts_box
    assert box is not None and box.isVisible() and not box.isModal()
    box.close()
    qtbot.waitUntil(lambda: w.shortcuts_box is None, timeout=3000)
    c = make_compare()
    text = c.shortcuts_html()
    assert "rel. F" in text and "Error" in text and "Ctrl+E" in text and "Ctrl+S<" not in text


# ============================================================================ 6. the dock shows the state in force
def test_an_image_target_shows_the_image_tab(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    sec = w.controls.density
    assert sec.tabs.currentIndex() == sec.TAB_PRESET
    assert w.open_path(IMAGE)
    wait_for_frame(qtbot, w, lambda f: "heart" in getattr(f.state.density, "name", ""))
    qtbot.wait(600)  # status updates come and go: the tab stays
    assert sec.tabs.currentIndex() == sec.TAB_IMAGE and "heart" in sec.current.text()


def test_a_session_with_an_image_target_opens_on_the_image_tab(qtbot, make_window):
    from scoreviz.gui import app_data

    heart = next(e for e in app_data.examples() if "heart" in e["path"])
    spirals = next(e for e in app_data.examples() if "2spirals" in e["path"])
    w = make_window()
    wait_for_frame(qtbot, w)
    sec = w.controls.density
    assert w.sessions.open(heart["path"], as_untitled=True, label=heart["title"])
    qtbot.waitUntil(lambda: w.sessions.opening is None, timeout=20000)  # read in a job
    assert sec.tabs.currentIndex() == sec.TAB_IMAGE
    wait_for_frame(qtbot, w, lambda f: "heart" in getattr(f.state.density, "name", ""))
    qtbot.wait(600)
    assert sec.tabs.currentIndex() == sec.TAB_IMAGE and "heart" in sec.current.text()
    assert w.sessions.open(spirals["path"], as_untitled=True, label=spirals["title"])
    qtbot.waitUntil(lambda: w.sessions.opening is None, timeout=20000)  # read in a job
    assert sec.tabs.currentIndex() == sec.TAB_PRESET and sec.preset.currentText() == "2spirals"


def test_a_target_changed_elsewhere_shows_in_the_dock(qtbot, make_window):
    from scoreviz.core.densities import make_preset

    w = make_window()
    wait_for_frame(qtbot, w)
    sec = w.controls.density
    moons = make_preset("moons", noise=0.2)
    w.trainer.post(SetDensity(moons))  # as talk mode's next preset does
    wait_for_frame(qtbot, w, lambda f: f.state.density is moons)
    qtbot.waitUntil(lambda: sec.preset.currentText() == "moons", timeout=3000)
    assert sec.tabs.currentIndex() == sec.TAB_PRESET
    assert sec.preset_params()["noise"] == pytest.approx(0.2)


def test_the_compare_window_shows_its_own_target(qtbot, make_compare):
    from scoreviz.core.densities import load_density, make_preset

    c = make_compare(cfg=small_config(density="8gaussians"), density=make_preset("moons"))
    assert c.density.preset.currentText() == "moons" and c.density.tabs.currentIndex() == c.density.TAB_PRESET
    assert c.density.current.text() == "moons"
    c2 = make_compare(cfg=small_config(density="2spirals"), density=load_density(IMAGE))
    assert c2.density.tabs.currentIndex() == c2.density.TAB_IMAGE and "heart" in c2.density.current.text()


def test_the_dock_scrolls_in_a_stable_layout_without_clipping(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    panel = w.controls
    inner = panel.widget()
    Off, On = QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff, QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOn
    assert panel.horizontalScrollBarPolicy() == Off and panel.verticalScrollBarPolicy() == On
    assert w.controls.density.preset_help.wordWrap()

    def clipped():
        vw = panel.viewport().width()
        out = []
        for wd in inner.findChildren(QtWidgets.QWidget):
            if wd.isVisibleTo(inner) and wd.mapTo(inner, wd.rect().topRight()).x() > vw:
                out.append(type(wd).__name__ + ":" + (wd.text() if isinstance(wd, QtWidgets.QLabel) else ""))
        return out

    def settle():
        for _ in range(5):
            QtWidgets.QApplication.processEvents()

    settle()
    width, vp_width = panel.width(), panel.viewport().width()
    assert inner.width() <= vp_width and not clipped()
    bar = panel.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    value = bar.value()
    assert value > 0
    for kind in ("annealed", "langevin", "annealed"):  # rows appear and vanish
        w.controls.sampler.kind.setCurrentText(kind)
        settle()
        assert bar.value() == value and panel.width() == width and panel.viewport().width() == vp_width
        assert not clipped(), clipped()
    for name in ("2spirals", "checkerboard" if "checkerboard" in w.controls.density.presets else "moons"):
        w.controls.density.preset.setCurrentText(name)
        w.controls.density.tabs.setCurrentIndex(w.controls.density.TAB_EXPR)
        settle()
        assert panel.viewport().width() == vp_width and not clipped(), clipped()
    # a narrow dock still clips nothing: it is never narrower than its content
    w.resizeDocks([w.dock], [200], QtCore.Qt.Orientation.Horizontal)
    settle()
    assert not clipped(), clipped()


def test_the_edited_widget_stays_in_place_when_rows_above_it_change(qtbot, make_window):
    w = make_window()
    wait_for_frame(qtbot, w)
    panel = w.controls
    w.activateWindow()
    target = w.controls.sampler.kind
    panel.ensureWidgetVisible(target, 0, 0)
    for _ in range(5):
        QtWidgets.QApplication.processEvents()
    target.setFocus()
    for _ in range(3):
        QtWidgets.QApplication.processEvents()
    if QtWidgets.QApplication.focusWidget() is not target:
        pytest.skip("no keyboard focus on this platform")
    y = target.mapTo(panel.viewport(), QtCore.QPoint(0, 0)).y()
    for name in ("ncsn", "ssm", "dsm"):  # the objective section above grows (σ levels) and shrinks
        w.controls.objective.name.setCurrentText(name)
        qtbot.waitUntil(lambda: panel._anchor is None, timeout=2000)
        for _ in range(5):
            QtWidgets.QApplication.processEvents()
        assert abs(target.mapTo(panel.viewport(), QtCore.QPoint(0, 0)).y() - y) <= 2, name


def test_the_compare_table_shows_every_column_and_says_what_rel_f_compares(qtbot, make_compare):
    c = make_compare(size=(1280, 720))
    qtbot.waitUntil(lambda: c.last_frame is not None and c.table.rowCount() == 2, timeout=30000)
    for _ in range(5):
        QtWidgets.QApplication.processEvents()
    t = c.table
    head = t.horizontalHeader()
    assert head.isVisible() and not head.isSectionHidden(t.columnCount() - 1)
    widths = [t.columnWidth(j) for j in range(t.columnCount())]
    assert all(wd > 0 for wd in widths), widths
    fits = sum(widths) <= t.viewport().width() + 1
    assert fits or t.horizontalScrollBar().maximum() > 0  # every column visible, or reachable by scrolling
    assert fits  # at 1280 x 720 they fit
    for j in range(1, t.columnCount()):  # the numbers are never cut
        assert t.columnWidth(j) >= t.sizeHintForColumn(j) - 1
    rel = t.horizontalHeaderItem(t.REL_F)
    assert rel.text().startswith("rel. F vs ") and rel.toolTip()
    # esm against p, dsm(σ = 0.3) against p_σ: each row says its own target
    assert t.item(0, t.REL_F).toolTip() == "against ∇log p"
    assert t.item(1, t.REL_F).toolTip() == "against ∇log p_σ, σ = 0.3"
    c2 = make_compare(objectives="esm,ssm")
    qtbot.waitUntil(lambda: c2.table.rowCount() == 2, timeout=30000)
    assert c2.table.horizontalHeaderItem(c2.table.REL_F).text() == "rel. F vs ∇log p"
