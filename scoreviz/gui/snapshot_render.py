"""``scoreviz snapshot``: train N steps headless, then render the app's panels to a PNG.

The picture is drawn by the window's own widgets (``ScorePanels`` and ``TrainingPlots``) from the
same kind of ``Frame`` the display worker makes, so it is exactly what the window shows.
"""

from __future__ import annotations

import os
import sys

PARTICLE_STEPS = 300  # sampler steps after training, from the sampler's initial particles
FISHER_POINTS = 20


def render(cfg, steps: int, size: tuple[int, int], threads: int | None = None, particle_steps: int = PARTICLE_STEPS,
           error_panel: bool = False, density=None):
    """Train ``steps`` steps, move the particles, and return the panels + curves as a QImage of ``size``."""
    import torch
    from PySide6 import QtCore, QtWidgets

    from scoreviz.gui.panels import ScorePanels
    from scoreviz.gui.plots import TrainingPlots
    from scoreviz.gui.worker import FISHER_SAMPLES, Evaluator, Trainer, ViewSettings

    failures: list[str] = []
    trainer = Trainer(cfg, density=density, threads=threads, on_failed=failures.append)
    if not trainer.start():
        raise RuntimeError(failures[-1] if failures else "could not build the session")
    every = max(1, steps // FISHER_POINTS)

    def measure(session):  # the Fisher curve gets about FISHER_POINTS points, as in the window
        if session.step_count % every == 0 or session.step_count == steps:
            session.fisher(n=FISHER_SAMPLES)

    trainer.session.train(steps, callback=measure)
    trainer.publish(force=True)
    state = trainer.publish_box.take()

    w, h = size
    widget = QtWidgets.QWidget()
    widget.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    lay = QtWidgets.QVBoxLayout(widget)
    lay.setContentsMargins(4, 4, 4, 4)
    lay.setSpacing(4)
    panels = ScorePanels()
    plots = TrainingPlots()
    panels.set_error_visible(error_panel)
    lay.addWidget(panels, 3)
    lay.addWidget(plots, 1)
    widget.resize(w, h)
    widget.show()
    QtWidgets.QApplication.processEvents()

    from scoreviz.gui import style

    evaluator = Evaluator(density_lut=style.density_lut())
    evaluator.sync(state)
    ds = evaluator.session
    if particle_steps:
        if ds.cfg.sampler.score_source == "learned" and evaluator.display_dtype is not None:
            with torch.autocast(device_type=ds.device.type, dtype=evaluator.display_dtype):
                ds.advance_particles(particle_steps)
        else:
            ds.advance_particles(particle_steps)
    view = ViewSettings(grid=cfg.grid, error=error_panel)
    panels.show_frame(evaluator.frame(state, view))  # sets the view to the density's box
    QtWidgets.QApplication.processEvents()
    view = ViewSettings(grid=cfg.grid, box=panels.field_box(), error=error_panel, raster=panels.raster_target())
    panels.show_frame(evaluator.frame(state, view))
    plots.show_history(state.losses, state.fisher, state.history_epoch)
    QtWidgets.QApplication.processEvents()
    image = widget.grab().toImage()
    widget.close()
    import shiboken6

    shiboken6.delete(widget)
    return image


def main(args=None) -> int:
    from scoreviz.gui.app import application, session_config

    application()
    cfg = session_config(args)
    steps = int(getattr(args, "steps", 500) or 0)
    size = tuple(getattr(args, "size", None) or (1800, 900))
    out = os.fspath(getattr(args, "out", "snapshot.png"))
    if not out.lower().endswith(".png"):
        out += ".png"
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        print(f"scoreviz: error: folder '{folder}' does not exist", file=sys.stderr)
        return 2
    from scoreviz.core.errors import DivergedError

    try:
        image = render(cfg, steps, size, threads=getattr(args, "threads", None) or None)
    except DivergedError:
        raise
    except RuntimeError as e:
        print(f"scoreviz: error: {e}", file=sys.stderr)
        return 2
    tmp = out + ".tmp.png"
    if not image.save(tmp, "PNG"):
        print(f"scoreviz: error: could not write '{out}'", file=sys.stderr)
        return 2
    os.replace(tmp, out)
    print(out)
    import gc

    gc.collect()
    return 0
