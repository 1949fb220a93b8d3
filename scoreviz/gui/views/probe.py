"""The point probe and the curl panel of the main window (issue 14).

Hovering any of the field panels reads, in the status bar and the Probe panel, what the fields say
at the pointer (``scoreviz.core.probe.probe_point``): the true and learned scores, their difference
and angle, log q, the divergence and curl of s_θ and, for models of a noised density, Tweedie's
denoised estimate. A left click pins the point (up to ``MAX_PINS``; drawn on every panel, drag to
move, right-click a pin or press Esc/Delete in the Probe panel to remove it); each pin's readout is
listed in the Probe dock, and its Tweedie estimate is drawn as an arrow from the pin.

Nothing here evaluates the model: the points go to the display worker (``ViewSettings.probe``), which
answers in ``Frame.probe`` from its own display Session. The curl heat map (View ▸ Curl panel,
Ctrl+Shift+C) arrives the same way (``ViewSettings.curl`` / ``Frame.curl``) and is shown in a dock of
its own that follows the panels' view: a separate dock rather than a fifth ScorePanels column keeps the
panels' square layout untouched (the least invasive route).
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.gui.i18n import tr
from scoreviz.gui.items.probe_marks import PIN_COLOURS, PinMarks, TweedieArrows
from scoreviz.gui.views.symmetric_map import SymmetricMap

MAX_PINS = 4
CURL_LEVEL_QUANTILE = 0.99  # the curl colour bar spans ± this quantile of |curl| (one wild cell does not wash it out)


def _v(v) -> str:
    return f"({v[0]:.3g}, {v[1]:.3g})"


def format_probe(d: dict, short: bool = False) -> str:
    """A probe dict as text: one line (status bar) or a few (the Probe panel)."""
    x, y = d["point"]
    angle = "—" if not math.isfinite(d["angle_deg"]) else f"{d['angle_deg']:.1f}°"
    if short:
        return tr("({x:.3g}, {y:.3g}): s_θ {learned}, ∇log q {true}, angle {angle}, log q {log_q:.3g}, "
                  "div {div:.3g}, curl {curl:.2g}").format(
            x=x, y=y, learned=_v(d["learned_score"]), true=_v(d["true_score"]), angle=angle, log_q=d["log_q"],
            div=d["divergence"], curl=d["curl"])
    lines = [f"x = ({x:.3g}, {y:.3g})",  # mathematics: not translated
             f"s_θ = {_v(d['learned_score'])}   ∇log q = {_v(d['true_score'])}",
             tr("s_θ − ∇log q = {difference}, ‖·‖ = {norm:.3g}, angle {angle}").format(
                 difference=_v(d["difference"]), norm=d["difference_norm"], angle=angle),
             f"log q = {d['log_q']:.4g}   div s_θ = {d['divergence']:.4g}   curl s_θ = {d['curl']:.3g}"]
    if d.get("tweedie") is not None:
        lines.append(tr("Tweedie ({condition}): x̂₀ = {estimate}   exact {exact}").format(
            condition=d["condition"], estimate=_v(d["tweedie"]), exact=_v(d["tweedie_true"])))
    return "\n".join(lines)


def pin_label(i: int) -> str:
    """The name of pin ``i`` (0-based) in the Probe panel: "pin 1" …"""
    return tr("pin {n}").format(n=i + 1)


class ProbePanel(QtWidgets.QWidget):
    """The hover readout and one entry per pin; Esc or Delete removes the selected pin (the last if none)."""

    removeRequested = QtCore.Signal(int)
    clearRequested = QtCore.Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QtWidgets.QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        self.hover = QtWidgets.QLabel(tr("Hover a panel to probe it; click to pin (up to {n}).").format(n=MAX_PINS))
        self.hover.setWordWrap(True)
        self.hover.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pins = QtWidgets.QListWidget()
        self.pins.setAlternatingRowColors(True)
        self.pins.setWordWrap(True)
        clear = QtWidgets.QPushButton(tr("Clear pins"))
        clear.clicked.connect(self.clearRequested)
        lay.addWidget(self.hover)
        lay.addWidget(self.pins, 1)
        lay.addWidget(clear)
        for key in (QtCore.Qt.Key.Key_Escape, QtCore.Qt.Key.Key_Delete):
            sc = QtGui.QShortcut(QtGui.QKeySequence(key), self)
            sc.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(self._remove_selected)

    def _remove_selected(self) -> None:
        n = self.pins.count()
        if n:
            row = self.pins.currentRow()
            self.removeRequested.emit(row if 0 <= row < n else n - 1)

    def show_pins(self, texts: list[str]) -> None:
        row = self.pins.currentRow()
        if self.pins.count() != len(texts):
            self.pins.clear()
            for i in range(len(texts)):
                item = QtWidgets.QListWidgetItem()
                item.setForeground(QtGui.QColor(PIN_COLOURS[i % len(PIN_COLOURS)]))
                self.pins.addItem(item)
        for i, text in enumerate(texts):
            item = self.pins.item(i)
            if item.text() != text:
                name = pin_label(i)
                item.setText(text if text.startswith(name) else f"{name}  {text}")
        if 0 <= row < len(texts):
            self.pins.setCurrentRow(row)


class CurlView(SymmetricMap):
    """The curl ∂s_y/∂x − ∂s_x/∂y of the learned field as a heat map with its colour bar; it follows
    the panels' view box (it does not pan or zoom by itself)."""

    def __init__(self, parent=None):
        super().__init__(tr("Curl of s_θ: ∂s_y/∂x − ∂s_x/∂y"), "curl s_θ", 14, parent)
        self.setMinimumSize(260, 220)

    def show_curl(self, curl) -> None:
        """Draw (xs, ys, curl (n, n)); levels symmetric about 0."""
        if curl is None or curl is self._shown:
            return
        self._shown = curl
        xs, ys, c = curl
        self.show_field(xs, ys, c, CURL_LEVEL_QUANTILE)


class ProbeController(QtCore.QObject):
    """Hover, pins, their marks and readouts, and the curl dock, for a MainWindow."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.panels = window.panels
        self.pins: list[tuple[float, float]] = []
        self.hover: tuple[float, float] | None = None
        self._results: dict = {}
        self._curl_on = False
        self._status_set = False

        self.marks: list[tuple[PinMarks, TweedieArrows]] = []
        for plot in self.panels._plots():
            pins, arrows = PinMarks(), TweedieArrows()
            plot.addItem(arrows, ignoreBounds=True)
            plot.addItem(pins, ignoreBounds=True)
            pins.sigDragged.connect(self.move)
            pins.sigRemove.connect(self.unpin)
            self.marks.append((pins, arrows))
        scene = self.panels.scene()
        scene.sigMouseMoved.connect(self._mouse_moved)
        scene.sigMouseClicked.connect(self._mouse_clicked)

        self.panel = ProbePanel()
        self.panel.removeRequested.connect(self.unpin)
        self.panel.clearRequested.connect(self.clear)
        self.dock = self._dock(tr("Probe"), "probeDock", self.panel)
        self.curl_view = CurlView()
        self.curl_dock = self._dock(tr("Curl"), "curlDock", self.curl_view)
        self.curl_dock.visibilityChanged.connect(self._curl_dock_visible)
        self.panels.sigViewBoxChanged.connect(self.curl_view.set_box)

        self.act_curl = window.add_action(tr("Curl panel"), self.set_curl_visible, "Ctrl+Shift+C",
                                          tr("A heat map of the curl of the learned field (0 for an energy model)"),
                                          checkable=True)
        self.act_probe = self.dock.toggleViewAction()
        self.act_probe.setText(tr("Probe panel"))
        view_menu = next((m for m in window.menuBar().findChildren(QtWidgets.QMenu) if m.title() == tr("&View")),
                         None)  # the window's View menu, by its title as the window translated it
        if view_menu is not None:
            view_menu.addSeparator()
            view_menu.addAction(self.act_probe)
            view_menu.addAction(self.act_curl)
        window.evaluator.frameReady.connect(self._frame_drawn)  # after the window's own slot took the frame

    def _dock(self, title: str, name: str, widget) -> QtWidgets.QDockWidget:
        dock = QtWidgets.QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.window.addDockWidget(QtCore.Qt.DockWidgetArea.RightDockWidgetArea, dock)
        dock.hide()
        return dock

    # ------------------------------------------------------------------ the API (and the tests')
    def pin(self, x: float, y: float) -> bool:
        """Pin (x, y); False (and nothing pinned) when MAX_PINS are already pinned."""
        if len(self.pins) >= MAX_PINS:
            self.window.statusBar().showMessage(
                tr("At most {n} pins: right-click one to remove it.").format(n=MAX_PINS), 4000)
            return False
        self.pins.append((float(x), float(y)))
        self.dock.show()
        self._changed()
        return True

    def move(self, i: int, x: float, y: float) -> None:
        if 0 <= i < len(self.pins):
            self.pins[i] = (float(x), float(y))
            self._changed()

    def unpin(self, i: int) -> None:
        if 0 <= i < len(self.pins):
            del self.pins[i]
            self._changed()

    def clear(self) -> None:
        self.pins.clear()
        self._changed()

    def hover_at(self, pos: tuple[float, float] | None) -> None:
        """Probe the point under the pointer (None: the pointer left the panels)."""
        pos = None if pos is None else (float(pos[0]), float(pos[1]))
        if pos != self.hover:
            self.hover = pos
            self._post()
            if pos is None and self._status_set:
                self.window.statusBar().clearMessage()
                self._status_set = False

    def result(self, point) -> dict | None:
        """The newest probe answer for ``point`` (a pin or the hover point), or None while it is on its way."""
        return self._results.get((float(point[0]), float(point[1])))

    def readouts(self) -> list[dict | None]:
        return [self.result(p) for p in self.pins]

    def set_curl_visible(self, on: bool) -> None:
        on = bool(on)
        self._curl_on = on
        if self.act_curl.isChecked() != on:
            self.act_curl.setChecked(on)
        self.curl_dock.setVisible(on)
        if on:
            self.curl_view.set_box(self.panels.field_box() if hasattr(self.panels, "field_box") else
                                   self.window.evaluator.view().box or (-4, 4, -4, 4))
        self.window.evaluator.set_view(curl=on)

    def curl_visible(self) -> bool:
        return self._curl_on

    # ------------------------------------------------------------------ plumbing
    def _points(self) -> tuple:
        return ((self.hover,) if self.hover is not None else ()) + tuple(self.pins)

    def _post(self) -> None:
        self.window.evaluator.set_view(probe=self._points())

    def _changed(self) -> None:
        for pins, _ in self.marks:
            pins.setPins(self.pins)
        self._post()
        self._show()

    def _curl_dock_visible(self, visible: bool) -> None:
        if not visible and self._curl_on and not self.window.isHidden():
            self.set_curl_visible(False)  # the dock's close button turns the curl off

    def _panel_at(self, scene_pos) -> pg.PlotItem | None:
        for plot in self.panels._plots():
            if plot.isVisible() and plot.scene() is not None and plot.vb.sceneBoundingRect().contains(scene_pos):
                return plot
        return None

    def _mouse_moved(self, scene_pos) -> None:
        plot = self._panel_at(scene_pos)
        if plot is None:
            self.hover_at(None)
            return
        p = plot.vb.mapSceneToView(scene_pos)
        self.hover_at((p.x(), p.y()))

    def _mouse_clicked(self, ev) -> None:
        if ev.isAccepted() or ev.button() != QtCore.Qt.MouseButton.LeftButton or ev.double():
            return
        plot = self._panel_at(ev.scenePos())
        if plot is None or (plot is self.panels.particles_plot and self.panels.brush_view.brush_enabled):
            return
        p = plot.vb.mapSceneToView(ev.scenePos())
        self.pin(p.x(), p.y())

    def _frame_drawn(self) -> None:
        frame = self.window.last_frame
        if frame is None:
            return
        probe = getattr(frame, "probe", None)
        if probe is not None:
            self._results = {p: d for p, d in probe}
            self._show()
        if self._curl_on:
            self.curl_view.show_curl(getattr(frame, "curl", None))

    def _show(self) -> None:
        texts = []
        starts, ends = [], []
        for i, p in enumerate(self.pins):
            d = self.result(p)
            texts.append(f"{pin_label(i)}  " + (format_probe(d) if d is not None else f"({p[0]:.3g}, {p[1]:.3g}) …"))
            if d is not None and d.get("tweedie") is not None:
                starts.append(p)
                ends.append(d["tweedie"])
        self.panel.show_pins(texts)
        for _, arrows in self.marks:
            arrows.setArrows(starts, ends)
        d = self.result(self.hover) if self.hover is not None else None
        if d is not None:
            self.panel.hover.setText(format_probe(d))
            self.window.statusBar().showMessage(format_probe(d, short=True))
            self._status_set = True
