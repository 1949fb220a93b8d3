"""``scoreviz animate``: the frames of an animation of the app's panels, rendered offscreen.

Two kinds (``AnimationFrames``):

- **training** (default): N training steps spread over F frames. Frame k shows the model after
  round(k·N/(F−1)) steps (frame 0 the untrained model, the last one the model after N steps; with
  F = 1 the single frame shows it after N steps), drawn as the window draws it (``OffscreenPanels``:
  learned field, true field, particles over the density, loss and Fisher curves, and a caption
  with the step). Between frames the particles take the sampler's steps per frame, driven by the
  score the sampler is set to (the current model, or the true score); frame 0 shows them where they
  start.
- **particles only** (``particles_only=True``): the sampler alone, on the particles panel. With
  the learned score the model is trained first (N steps, ``train_first``), then the F frames show
  the particles moving from their start under that fixed trained model; with the true score
  nothing is trained. Frame k shows the particles after k·(steps per frame) sampler steps; the
  caption gives the sampler step.

An ``AnimationFrames`` has a length and yields (H, W, 3) uint8 arrays, so it can be handed to
``scoreviz.core.animation.write_animation`` directly (MP4s are encoded as the frames are drawn).
"""

from __future__ import annotations

from scoreviz.gui.offscreen.snapshot_render import (OffscreenPanels, fisher_every, published, qimage_rgb, start_trainer,
                                                    train)
from scoreviz.gui.qt_app import application
from scoreviz.gui.views.panels import ScorePanels
from scoreviz.live.commands import FISHER_SAMPLES

PARTICLES_ONLY_GRID = 8  # the fields are not shown with --particles-only: evaluate them on a small grid


class ParticlesPanel(ScorePanels):
    """ScorePanels showing only the particles panel and its density colour bar (not linked to the
    field panels, which are left out of the layout)."""

    def _layout(self) -> None:
        self.ci.addItem(self.particles_plot, 0, 0)
        self.ci.addItem(self.density_bar, 0, 1)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.particles_plot.setXLink(None)
        self.particles_plot.setYLink(None)
        self.setMinimumSize(1, 1)


def frame_steps(total_steps: int, n_frames: int) -> list[int]:
    """The training step each frame shows: round(k·N/(F−1)) for k = 0..F−1 (F = 1: N)."""
    if n_frames == 1:
        return [int(total_steps)]
    return [(2 * k * total_steps + (n_frames - 1)) // (2 * (n_frames - 1)) for k in range(n_frames)]


class AnimationFrames:
    """The F frames of an animation of ``cfg`` (a SessionConfig): see the module's description.

    Building it builds the session (RuntimeError, one line, when the configuration cannot be
    built). Iterate once; ``close()`` frees the widgets (also done when the iteration ends).
    """

    def __init__(self, cfg, steps: int, n_frames: int, size: tuple[int, int], particles_only: bool = False,
                 threads: int | None = None, density=None):

        application()
        self.cfg = cfg
        self.steps = int(steps)
        self.n_frames = int(n_frames)
        self.size = (int(size[0]), int(size[1]))
        self.particles_only = bool(particles_only)
        self.learned = cfg.sampler.score_source == "learned"
        self.trainer = start_trainer(cfg, density=density, threads=threads)
        self._trained_first = False
        self.view = None

    def __len__(self) -> int:
        return self.n_frames

    @property
    def session(self):
        """The training Session."""
        return self.trainer.session

    def steps_before_frames(self) -> int:
        """Training steps made before the first frame (particles only, with the learned score)."""
        return self.steps if self.particles_only and self.learned else 0

    def train_first(self, callback=None) -> None:
        """Particles only, learned score: train the model before the frames (``callback(session)`` per step)."""
        if self._trained_first:
            return
        self._trained_first = True
        n = self.steps_before_frames()
        if n:
            train(self.trainer, n, every=None, callback=callback)  # no curve is shown: no Fisher divergence

    def _view(self) -> OffscreenPanels:
        if self.particles_only:
            return OffscreenPanels(self.size, panels=ParticlesPanel(), plots=False, caption=True,
                                   grid=PARTICLES_ONLY_GRID, min_layout=(360, 300))
        return OffscreenPanels(self.size, caption=True)

    def __iter__(self):
        self.view = view = self._view()
        try:
            if self.particles_only:
                self.train_first()
                state = published(self.trainer)
                trained = self.session.step_count
                source = f"model trained {trained:,} steps" if self.learned else "true score"
                for k in range(self.n_frames):
                    image = view.draw(state, caption=lambda ds: f"sampler step {ds.particle_step:,} · {source}",
                                      advance=k > 0)
                    yield qimage_rgb(image)
                return
            targets = frame_steps(self.steps, self.n_frames)
            every = fisher_every(self.steps)
            session = self.session
            if self.steps > 0:
                session.fisher(n=_fisher_samples())  # the curve starts at the untrained model
            for k, target in enumerate(targets):
                todo = target - session.step_count
                if todo > 0:
                    train(self.trainer, todo, every, last_step=self.steps)
                state = published(self.trainer)
                image = view.draw(state, caption=f"step {state.step:,} / {self.steps:,}", advance=k > 0)
                yield qimage_rgb(image)
        finally:
            self.close()

    def close(self) -> None:
        if self.view is not None:
            self.view.close()
            self.view = None


def _fisher_samples() -> int:

    return FISHER_SAMPLES
