"""The app's panels drawn offscreen: ``scoreviz snapshot`` (one PNG) and the frames of ``scoreviz animate``.

The pictures are drawn by the window's own widgets (``ScorePanels`` and ``TrainingPlots``) from the
same kind of ``Frame`` the display worker makes, so they are exactly what the window shows.

    trainer = start_trainer(cfg)                      # the training Session (scoreviz.live.trainer.Trainer)
    train(trainer, steps, fisher_every(steps))        # the Fisher curve gets about FISHER_POINTS points
    view = OffscreenPanels((1280, 720))               # the widgets, at a fixed size, and a display Evaluator
    image = view.draw(published(trainer))             # moves the particles one frame; a QImage of that size
    view.close()
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import math
import os
import sys

import numpy as np
import shiboken6
import torch
from PySide6 import QtCore, QtGui, QtWidgets

from scoreviz.core.atomic import write_bytes
from scoreviz.core.errors import DivergedError, ScorevizError
from scoreviz.core.text import plain
from scoreviz.gui import style
from scoreviz.gui.offscreen.figure_export import png_bytes
from scoreviz.gui.qt_app import application
from scoreviz.gui.views.panels import ScorePanels
from scoreviz.gui.views.plots import TrainingPlots
from scoreviz.live.commands import FISHER_SAMPLES
from scoreviz.live.evaluator import Evaluator, ViewSettings
from scoreviz.live.trainer import Trainer

PARTICLE_STEPS = 300  # sampler steps after training, from the sampler's initial particles
FISHER_POINTS = 20


# ============================================================================ training
def start_trainer(cfg, density=None, threads: int | None = None):
    """A Trainer with its Session built; RuntimeError (one line) when the configuration cannot be built."""

    failures: list[str] = []
    trainer = Trainer(cfg, density=density, threads=threads, on_failed=failures.append)
    if not trainer.start():
        raise RuntimeError(failures[-1] if failures else "could not build the session")
    return trainer


def fisher_every(total_steps: int) -> int:
    """Steps between Fisher measurements so a run of ``total_steps`` gets about FISHER_POINTS of them."""
    return max(1, int(total_steps) // FISHER_POINTS)


def train(trainer, steps: int, every: int | None, last_step: int | None = None, callback=None) -> None:
    """Train ``steps`` more steps, measuring the Fisher divergence at multiples of ``every`` and at
    ``last_step`` (default: the end of these steps), as the window's curve does (``every=None``: never)."""

    session = trainer.session
    last = session.step_count + steps if last_step is None else last_step

    def measure(s):
        if every is not None and (s.step_count % every == 0 or s.step_count == last):
            s.fisher(n=FISHER_SAMPLES)
        if callback is not None:
            callback(s)

    if steps > 0:
        session.train(steps, callback=measure)


def published(trainer):
    """The Trainer's state now (what the window's display worker would receive)."""
    trainer.publish(force=True)
    return trainer.publish_box.take()


# ============================================================================ pictures
def qimage_rgb(image):
    """A QImage as a fresh (H, W, 3) uint8 RGB array."""

    img = image.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    w, h, bpl = img.width(), img.height(), img.bytesPerLine()
    a = np.frombuffer(img.constBits(), np.uint8, count=bpl * h).reshape(h, bpl)
    return a[:, : 3 * w].reshape(h, w, 3).copy()


class OffscreenPanels:
    """The window's panels in a hidden widget of a fixed size, drawn from TrainerStates.

    ``panels``: a ScorePanels (or subclass) to show, default a new one; ``plots``: the loss and
    Fisher curves under the panels; ``caption``: a line of small text at the bottom (``draw`` sets
    it). Owns an Evaluator (the display Session), so the particles move by the sampler's steps per
    frame at every ``draw``; every picture shows the newest weights.

    The widgets are laid out at least ``min_layout`` pixels (the panels, axes and titles need room);
    a smaller ``size`` is drawn at that layout size and scaled down, so small pictures show the same
    layout, smaller.
    """

    def __init__(self, size: tuple[int, int], panels=None, plots: bool = True, caption: bool = False,
                 error_panel: bool = False, grid: int | None = None, min_layout: tuple[int, int] = (1000, 560)):


        self.size = (int(size[0]), int(size[1]))
        scale = max(1.0, min_layout[0] / self.size[0], min_layout[1] / self.size[1])
        self.layout_size = (round(self.size[0] * scale), round(self.size[1] * scale))
        self.error_panel = bool(error_panel)
        self.grid = grid
        w = self.widget = QtWidgets.QWidget()
        w.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        w.setAutoFillBackground(True)
        lay = QtWidgets.QVBoxLayout(w)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(4)
        self.panels = panels if panels is not None else ScorePanels()
        self.panels.set_error_visible(self.error_panel)
        self.panels.setMinimumSize(1, 1)  # the requested size wins over the window's minimum
        lay.addWidget(self.panels, 3)
        self.plots = None
        if plots:
            self.plots = TrainingPlots()
            lay.addWidget(self.plots, 1)
        self.caption = None
        if caption:
            self.caption = QtWidgets.QLabel()
            self.caption.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
            self.caption.setStyleSheet(f"color: {style.MUTED}; padding-right: 6px;")
            self.caption.setText(" ")  # its line is part of the layout from the start
            lay.addWidget(self.caption, 0)
        w.resize(*self.layout_size)
        w.show()
        QtWidgets.QApplication.processEvents()
        self.evaluator = Evaluator(density_lut=style.density_lut())
        self.view = None

    # ------------------------------------------------------------------ display session
    def sync(self, state) -> None:
        """Bring the display Session to ``state`` now, with its newest weights."""
        ev = self.evaluator
        ev.weights_t = -math.inf  # the window follows training at 6 Hz; a picture shows the newest weights
        ev.sync(state)

    @property
    def session(self):
        """The display Session (its particles are the ones drawn)."""
        return self.evaluator.session

    def advance_particles(self, steps: int) -> None:
        """``steps`` sampler steps of the displayed particles (as the display worker takes them)."""

        ev = self.evaluator
        ds = ev.session
        if ds.cfg.sampler.score_source == "learned" and ev.display_dtype is not None:
            with torch.autocast(device_type=ds.device.type, dtype=ev.display_dtype):
                ds.advance_particles(steps)
        else:
            ds.advance_particles(steps)

    def _fit(self, state) -> None:
        """Lay the panels out with a first frame, as the window does (titles, colour bars and the
        density's box change the views' shapes), then fix the view the fields and rasters use. The
        particles are put back where they were, so this frame does not move them."""


        grid = self.grid or state.cfg.grid
        with self._particles_kept():
            self.panels.show_frame(self.evaluator.frame(state, ViewSettings(grid=grid, error=self.error_panel)))
        if self.plots is not None:
            self.plots.show_history(state.losses, state.fisher, state.history_epoch)
        QtWidgets.QApplication.processEvents()
        self.view = ViewSettings(grid=grid, box=self.panels.field_box(), error=self.error_panel,
                                 raster=self.panels.raster_target())

    @contextlib.contextmanager
    def _particles_kept(self):
        """The display Session's particles (positions, schedule, random stream) as they were, after the block."""
        ds = self.evaluator.session
        saved = (ds.particles.clone(), ds.particle_step, ds.particle_generator.get_state())
        try:
            yield
        finally:
            ds.particles, ds.particle_step = saved[0], saved[1]
            ds.particle_generator.set_state(saved[2])

    def _with_particles_now(self, frame):
        """``frame`` showing the display Session's particles as they are now (and its sampler note)."""


        ev = self.evaluator
        p = ev.session.particles.detach().to("cpu", torch.float32).numpy().copy()
        dots = ev.raster.particles(p, self.view.raster) if self.view.raster is not None else None
        return dataclasses.replace(frame, particles=p, dots=dots, sampler_note=ev.sampler_note())

    # ------------------------------------------------------------------ drawing
    def draw(self, state, caption=None, advance: bool = True):
        """One picture of ``state`` (a QImage of ``size``): first the particles take one frame of sampler
        steps (``advance=False``: they are drawn where they are).

        ``caption``: text for the caption line, or a function of the display Session returning it
        (called after the particles moved)."""

        if self.evaluator.session is None:
            self.sync(state)
        if self.view is None:
            self._fit(state)
        self.evaluator.weights_t = -math.inf
        if advance:
            frame = self.evaluator.frame(state, self.view)  # syncs, moves the particles, evaluates what changed
        else:
            with self._particles_kept():
                frame = self.evaluator.frame(state, self.view)
            frame = self._with_particles_now(frame)
        self.panels.show_frame(frame)
        if self.plots is not None:
            self.plots.show_history(state.losses, state.fisher, state.history_epoch)
        if self.caption is not None:
            self.caption.setText(caption(self.evaluator.session) if callable(caption) else (caption or ""))
        QtWidgets.QApplication.processEvents()
        image = self.widget.grab().toImage()
        w, h = self.size
        if (image.width(), image.height()) != (w, h):  # laid out larger (min_layout), or a child's minimum won
            image = image.scaled(w, h, QtCore.Qt.AspectRatioMode.IgnoreAspectRatio,
                                 QtCore.Qt.TransformationMode.SmoothTransformation)
        return image

    def close(self) -> None:

        if shiboken6.isValid(self.widget):
            self.widget.close()
            shiboken6.delete(self.widget)


# ============================================================================ scoreviz snapshot
def render(cfg, steps: int, size: tuple[int, int], threads: int | None = None, particle_steps: int = PARTICLE_STEPS,
           error_panel: bool = False, density=None):
    """Train ``steps`` steps, move the particles, and return the panels + curves as a QImage of ``size``."""
    trainer = start_trainer(cfg, density=density, threads=threads)
    train(trainer, steps, fisher_every(steps))
    state = published(trainer)
    view = OffscreenPanels(size, error_panel=error_panel)
    try:
        view.sync(state)
        if particle_steps:
            view.advance_particles(particle_steps)
        return view.draw(state)
    finally:
        view.close()


def main(cfg, steps: int = 500, size: tuple[int, int] = (1800, 900), out: str | os.PathLike = "snapshot.png",
         threads: int | None = None) -> int:
    """``scoreviz snapshot``: train ``cfg`` for ``steps`` steps headless and write the panels to ``out`` (PNG)."""

    application()
    steps = int(steps or 0)
    size = tuple(size)
    out = os.fspath(out)
    if not out.lower().endswith(".png"):
        out += ".png"
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        print(f"scoreviz: error: folder '{plain(folder)}' does not exist", file=sys.stderr)
        return 2

    try:
        image = render(cfg, steps, size, threads=threads or None)
    except DivergedError:
        raise
    except RuntimeError as e:
        print(f"scoreviz: error: {plain(e)}", file=sys.stderr)
        return 2

    try:  # encoded in memory, then written: a failed write is one WriteError line naming its cause
        write_bytes(out, png_bytes(image))
    except ScorevizError as e:
        print(f"scoreviz: error: {plain(e)}", file=sys.stderr)
        return 2
    print(out)

    gc.collect()
    return 0
