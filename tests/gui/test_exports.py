"""File ▸ Export from the window: fields (.npz, .csv), figures (PNG at a size, SVG), the model
(state dict + config, torch.export program), and what happens with paths that cannot be written."""

from __future__ import annotations

import os
import threading
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import torch
from PySide6 import QtCore, QtGui, QtSvg, QtWidgets

from helpers import wait_for_frame
from scoreviz.gui.items.quiver import QuiverItem

SVG = "{http://www.w3.org/2000/svg}"


def _train(qtbot, w, steps):
    start = wait_for_frame(qtbot, w, lambda f: f.dots is not None).state.step
    for _ in range(steps):
        w.step_once()
    return wait_for_frame(qtbot, w, lambda f: f.state.step >= start + steps and f.snapshot.weights_version > 0)


def _export(qtbot, w, start, *args, **kwargs):
    """Run an export and wait for its report: (ok, status text)."""
    with qtbot.waitSignal(w.exports.finished, timeout=60000) as blocker:
        start(*args, **kwargs)
    _, ok, text = blocker.args
    assert not w.exports.busy()
    return ok, text


def _in_trainer(qtbot, w, fn):
    """fn(session) in the training thread (training paused): its result."""
    future = w.trainer.call(fn)
    qtbot.waitUntil(future.done, timeout=20000)
    return future.result()


def _files(folder):
    return sorted(os.listdir(folder))


def test_fields_npz_and_csv_equal_the_training_sessions_fields(qtbot, make_window, tmp_path):
    from scoreviz.core.export import field_arrays, read_field_csv

    w = make_window()
    w.controls.display.grid.setValue(24)
    _train(qtbot, w, 6)
    n, box = 24, tuple(w.panels.field_box())
    ok, text = _export(qtbot, w, w.exports.export_fields, str(tmp_path / "f.npz"))
    assert ok and text.startswith(f"saved {tmp_path / 'f.npz'} (") and text.endswith(" KB)")
    assert text == w.statusBar().currentMessage()
    ok, _ = _export(qtbot, w, w.exports.export_fields, str(tmp_path / "f.csv"))
    assert ok
    ref = _in_trainer(qtbot, w, lambda s: field_arrays(s, n=n, box=box))  # the same state: training is paused

    with np.load(tmp_path / "f.npz", allow_pickle=False) as z:
        assert set(z.files) == {"xs", "ys", "learned", "true", "log_density", "sigma"}
        for key in z.files:
            np.testing.assert_array_equal(z[key], ref[key])
    assert ref["learned"].shape == (n, n, 2) and float(ref["sigma"]) == pytest.approx(0.1)
    assert ref["xs"][0] == pytest.approx(box[0]) and ref["xs"][-1] == pytest.approx(box[1])  # the grid over the view
    assert np.abs(ref["learned"]).max() > 0 and not np.allclose(ref["learned"], ref["true"])

    back = read_field_csv(tmp_path / "f.csv")
    for key in ("xs", "ys", "learned", "true", "log_density"):
        np.testing.assert_allclose(back[key], ref[key], rtol=1e-6, atol=1e-6)
    with open(tmp_path / "f.csv") as fh:
        assert fh.readline().strip() == "x,y,learned_u,learned_v,true_u,true_v,log_density"
        assert sum(1 for _ in fh) == n * n
    assert _files(tmp_path) == ["f.csv", "f.npz"]


def test_model_state_dict_and_program_reload_with_the_sessions_scores(qtbot, make_window, tmp_path):
    from scoreviz.core.export import load_model

    w = make_window()
    _train(qtbot, w, 5)
    x = torch.tensor([[0.0, 0.0], [1.5, -2.0], [-3.0, 2.5], [4.0, 4.0]])
    ref, was_training = _in_trainer(qtbot, w, lambda s: (s.learned_score(x).detach().cpu(), s.model.training))

    ok, text = _export(qtbot, w, w.exports.export_model, str(tmp_path))
    assert ok and "model.pt + model.json" in text
    model, info = load_model(tmp_path)
    torch.testing.assert_close(model.score(x), ref)
    assert info["objective"]["name"] == "dsm" and info["sigma"] == pytest.approx(0.1)

    ok, _ = _export(qtbot, w, w.exports.export_program, str(tmp_path / "model.pt2"))
    assert ok
    program = torch.export.load(str(tmp_path / "model.pt2")).module()
    torch.testing.assert_close(program(x, torch.full((4,), 0.1)), ref, rtol=1e-5, atol=1e-5)
    # the training copy was not touched: same mode, same scores
    after, training = _in_trainer(qtbot, w, lambda s: (s.learned_score(x).detach().cpu(), s.model.training))
    assert training == was_training
    torch.testing.assert_close(after, ref)
    assert _files(tmp_path) == ["model.json", "model.pt", "model.pt2"]


def test_png_figures_have_exactly_the_requested_size(qtbot, make_window, tmp_path):
    from scoreviz.gui.offscreen import figure_export

    w = make_window()
    _train(qtbot, w, 3)
    for part in ("all", "particles", "curves"):
        path = tmp_path / f"{part}.png"
        ok, text = _export(qtbot, w, w.exports.export_figure, str(path), part, (1600, 1000))
        assert ok, text
        img = QtGui.QImage(str(path))
        assert (img.width(), img.height()) == (1600, 1000)
        colours = {img.pixel(x, y) for x in range(0, 1600, 7) for y in range(0, 1000, 7)}
        assert len(colours) > 50, part  # a drawing, not an empty canvas
    # the default: twice the size on screen, drawn at that size
    state = figure_export.capture(w)
    path = tmp_path / "learned.png"
    ok, _ = _export(qtbot, w, w.exports.export_figure, str(path), "learned")
    img = QtGui.QImage(str(path))
    assert (img.width(), img.height()) == tuple(2 * v for v in state.sizes["learned"])
    assert _files(tmp_path) == ["all.png", "curves.png", "learned.png", "particles.png"]


def test_png_is_drawn_at_the_resolution_not_scaled_up(qtbot, make_window, tmp_path):
    """A 3x picture of the particles has the particles as sharp dots at that resolution: far more
    distinct lit pixels than a 1x picture scaled up would give (which blurs each dot into a blob)."""
    w = make_window()
    _train(qtbot, w, 2)
    w.panels.set_view_box((-10.0, 10.0, -10.0, 10.0))  # zoomed out: most dots stand alone on the dark ground
    qtbot.waitUntil(lambda: w.last_frame.dots is not None and w.last_frame.dots.target.rect[1] > 9, timeout=5000)
    size1 = (400, 400)
    for name, size in (("x1.png", size1), ("x3.png", (1200, 1200))):
        ok, _ = _export(qtbot, w, w.exports.export_figure, str(tmp_path / name), "particles", size)
        assert ok
    small, big = QtGui.QImage(str(tmp_path / "x1.png")), QtGui.QImage(str(tmp_path / "x3.png"))
    up = small.scaled(1200, 1200, QtCore.Qt.AspectRatioMode.IgnoreAspectRatio,
                      QtCore.Qt.TransformationMode.SmoothTransformation)

    def edges(img):  # sharp detail: strong second differences (a smooth upscale has almost none)
        a = np.frombuffer(img.convertToFormat(QtGui.QImage.Format.Format_Grayscale8).constBits(),
                          np.uint8).reshape(img.height(), -1)[:, : img.width()].astype(int)
        lap = np.abs(4 * a[1:-1, 1:-1] - a[:-2, 1:-1] - a[2:, 1:-1] - a[1:-1, :-2] - a[1:-1, 2:])
        return int((lap > 100).sum())

    assert edges(big) > 3 * edges(up)


def test_svg_is_vector_with_one_polyline_per_stroke_and_loads_in_qt(qtbot, make_window, tmp_path):
    from scoreviz.gui.offscreen import figure_export

    def arrows_inside(state):  # per field panel: the drawn arrows (>= MIN_FRACTION of the scale) wholly in its view
        snap, out = state.frame.snapshot, {}
        for name in ("learned", "true"):
            x0, x1, y0, y1 = state.ranges[name]
            jx, iy = figure_export.inside(snap.xs, x0, x1), figure_export.inside(snap.ys, y0, y1)
            v = getattr(snap, name)[np.ix_(iy, jx)]
            m = np.hypot(v[..., 0], v[..., 1])
            out[name] = int(np.sum((m > 0) & (state.field_scale.length_fraction(m) >= QuiverItem.MIN_FRACTION)))
        return out

    w = make_window()
    w.controls.display.grid.setValue(20)
    _train(qtbot, w, 3)
    wait_for_frame(qtbot, w, lambda f: f.snapshot.xs.shape == (20,)
                   and np.allclose(f.snapshot.box, w.panels.field_box()))  # the fields follow the settled view
    inside = arrows_inside(figure_export.capture(w))  # what the export below draws (nothing runs in between)
    path = tmp_path / "true.svg"  # the true field: after 3 steps the learned one is still too weak to draw
    ok, text = _export(qtbot, w, w.exports.export_figure, str(path), "true")
    assert ok, text
    root = ET.parse(path).getroot()
    assert root.tag == SVG + "svg"
    # arrow strokes: the quiver's round-capped pens (axes use square caps), one two-point line each
    strokes = [e for g in root.iter(SVG + "g") if g.get("stroke-linecap") == "round"
               for e in g.findall(SVG + "polyline")]
    assert all(len(e.get("points").split()) == 2 and e.get("vector-effect") == "non-scaling-stroke" for e in strokes)
    texts = [e.text.strip() for e in root.iter(SVG + "text") if e.text and e.text.strip()]
    # three strokes per arrow (shaft and two head strokes)
    assert inside["true"] >= 100
    assert len(strokes) % 3 == 0 and abs(len(strokes) // 3 - inside["true"]) <= 20  # a row or column
    assert any("True score" in t for t in texts)  # the title and the tick labels are text
    assert sum(t.lstrip("-−").isdigit() for t in texts) >= 6
    assert not list(root.iter(SVG + "image")) or all(  # pictures only for the colour bar
        float(e.get("width", "0")) <= 2 for e in root.iter(SVG + "image"))
    renderer = QtSvg.QSvgRenderer(str(path))
    assert renderer.isValid() and renderer.defaultSize().width() > 0

    inside = arrows_inside(figure_export.capture(w))
    ok, _ = _export(qtbot, w, w.exports.export_figure, str(tmp_path / "all.svg"), "all")
    assert ok and QtSvg.QSvgRenderer(str(tmp_path / "all.svg")).isValid()
    root = ET.parse(tmp_path / "all.svg").getroot()
    all_strokes = sum(len(g.findall(SVG + "polyline")) for g in root.iter(SVG + "g")
                      if g.get("stroke-linecap") == "round")
    assert abs(all_strokes // 3 - inside["learned"] - inside["true"]) <= 2 * 20  # the learned and the true field


def test_paths_that_cannot_be_written_give_one_line_errors_and_leave_nothing(qtbot, make_window, tmp_path):
    w = make_window()
    _train(qtbot, w, 1)
    out = tmp_path / "out"
    out.mkdir()
    (out / "taken.png").mkdir()  # a folder where the file should go
    cases = [
        (w.exports.export_fields, (str(tmp_path / "missing" / "f.npz"),), "folder", "does not exist"),
        (w.exports.export_figure, (str(out / "taken.png"),), "taken.png", "it is a folder"),
        (w.exports.export_model, (str(tmp_path / "missing"),), "missing", "not an existing folder"),
        (w.exports.export_program, (str(tmp_path / "missing" / "m.pt2"),), "m.pt2", "does not exist"),
        (w.exports.export_fields, (str(out / "f.txt"),), "'txt'", "choose npz or csv"),
        (w.exports.export_figure, (str(out / "f.png"), "all", (9000, 500)), "9000", "allowed 16..8192"),
        # passes the checks, then fails where the file is written (in the training thread)
        (w.exports.export_fields, (str(out / ("x" * 300 + ".npz")),), "cannot write", "File name too long"),
    ]
    for start, args, names, why in cases:
        ok, text = _export(qtbot, w, start, *args)
        assert not ok
        assert "\n" not in text and text.startswith("could not export") and names in text and why in text, text
        assert w.statusBar().currentMessage() == text
    if os.geteuid() != 0:  # root writes into read-only folders
        out.chmod(0o555)
        try:
            ok, text = _export(qtbot, w, w.exports.export_fields, str(out / "f.npz"))
            assert not ok and "not writable" in text
        finally:
            out.chmod(0o755)
    assert _files(out) == ["taken.png"] and _files(out / "taken.png") == []  # no file, no temporary file
    assert not (tmp_path / "missing").exists()


def test_a_queued_export_can_be_cancelled_and_writes_nothing(qtbot, make_window, tmp_path):
    w = make_window()
    wait_for_frame(qtbot, w)
    gate = threading.Event()
    w.trainer.call(lambda s: gate.wait(20))  # the training thread is busy until the gate opens
    try:
        assert w.exports.export_model(str(tmp_path))
        assert w.exports.busy() and w.exports.progress.isVisible() and w.exports.cancel_button.isVisible()
        assert not w.exports.act_figure.isEnabled()
        with qtbot.waitSignal(w.exports.finished, timeout=5000) as refused:  # one at a time
            assert not w.exports.export_fields(str(tmp_path / "f.npz"))
        assert refused.args[1] is False and "another export is still running" in refused.args[2]
        assert w.exports.busy()
        with qtbot.waitSignal(w.exports.finished, timeout=10000) as blocker:
            w.exports.cancel_button.click()
        assert blocker.args[1] is False and "cancelled: nothing written" in blocker.args[2]
    finally:
        gate.set()
    assert not w.exports.progress.isVisible() and w.exports.act_figure.isEnabled()
    qtbot.wait(200)
    assert _files(tmp_path) == []


def test_export_menu_toolbar_and_shortcuts(qtbot, make_window, tmp_path, monkeypatch):
    from scoreviz.core.model_export import onnx_available
    from scoreviz.gui.offscreen import figure_export
    from scoreviz.gui.export.figure_dialog import FigureDialog

    w = make_window()
    _train(qtbot, w, 1)
    file_menu = w.file_menu
    titles = [a.text() for a in file_menu.actions()]
    assert "&Export" in titles and "Save picture…" not in titles
    ex = w.exports
    names = [a.text() for a in ex.menu.actions() if not a.isSeparator()]
    assert names == ["Figure…", "Fields as NPZ…", "Fields as CSV…", "Model (state dict + config)…",
                     "Model as torch.export program (.pt2)…", "Model as ONNX…"]
    shortcuts = [a.shortcut().toString() for a in w.actions() if not a.shortcut().isEmpty()]
    assert len(shortcuts) == len(set(shortcuts)), "a shortcut is used twice"
    for a in ex.export_actions:
        assert a.toolTip() and not a.shortcut().isEmpty() and a in w.actions()
    assert ex.act_figure.shortcut().toString() == "Ctrl+E"
    assert ex.act_onnx.isEnabled() == onnx_available()
    if not onnx_available():
        assert "pip install onnx onnxscript" in ex.act_onnx.toolTip()
    assert ex.button.text() == "Export" and ex.button.menu() is ex.menu
    assert any(w.toolbar.widgetForAction(a) is ex.button for a in w.toolbar.actions())

    # the figure dialog: twice the screen size; proportions kept; the hidden error panel cannot be chosen
    dlg = FigureDialog(figure_export.capture(w), w)
    rw, rh = dlg.state.sizes["all"]
    assert (dlg.width_box.value(), dlg.height_box.value()) == (2 * rw, 2 * rh)
    dlg.width_box.setValue(1000)
    assert dlg.height_box.value() == round(1000 * rh / rw)
    err = dlg.part.findData("error")
    assert not dlg.part.model().item(err).isEnabled()
    dlg.deleteLater()

    # Ctrl+E end to end: the dialog (answered: the particles panel as SVG), the file dialog, the file
    def answer(self):
        self.part.setCurrentIndex(self.part.findData("particles"))
        self.format.setCurrentIndex(self.format.findData("svg"))
        return QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(FigureDialog, "exec", answer)
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "picked"), "")))
    with qtbot.waitSignal(ex.finished, timeout=30000) as blocker:
        w.activateWindow()
        w.panels.setFocus()
        qtbot.keyClick(w, QtCore.Qt.Key.Key_E, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert blocker.args[1] is True
    assert _files(tmp_path) == ["picked.svg"]
    assert QtSvg.QSvgRenderer(str(tmp_path / "picked.svg")).isValid()
