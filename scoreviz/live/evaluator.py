"""The main window's display loop, free of Qt: the ``Evaluator`` and the ``Frame`` it makes.

The evaluator owns a second, display-only Session: it loads the newest weights of a
``TrainerState`` (at most at ``LEARNED_FIELD_INTERVAL_S``), moves the particles one frame,
evaluates the fields when they changed (``core/snapshot``; bf16 where the CPU has it, see
``pick_display_dtype``) and composes the particles panel's pictures (``raster.py``) into a
``Frame`` of fresh numpy arrays for the GUI to draw. ``ViewSettings`` are the display settings
the GUI changes directly. ``gui/threads.py`` runs it in a QThread; the tests drive it directly.
torch and the core are imported lazily, in the display thread, so the window can show before
torch has loaded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from scoreviz.live.identities_meter import IdentitiesMeter
from scoreviz.live.probe_meter import ProbeMeter
from scoreviz.live.raster import ParticleRaster
from scoreviz.live.scorecard_meter import ScorecardMeter
from scoreviz.live.trainer import TrainerState

# The display shares a 2-core machine with training, so while training runs it spends little:
LEARNED_FIELD_INTERVAL_S = 1.0 / 6.0  # the display model (learned field and particles) follows training at 6 Hz
PARTICLES_PER_FRAME_TRAINING = 1250  # while training runs, a rolling share of the particles steps each frame
DIFFUSION_DUTY = 3.0  # while training shares the CPU, a generation step at most every 3x its own cost
TRAIL_FRAMES = 16  # a trail is the path of the last 16 moves (about half a second at the display rate)
TRAIL_PARTICLES = 100  # of the first 100 particles: enough to read the flow without hiding the density


@dataclass(frozen=True)
class Frame:
    """What the GUI draws: the display Session's snapshot plus the trainer's progress."""

    snapshot: Any  # scoreviz.core.snapshot.Snapshot: the fields (the same object while they are unchanged)
    particles: np.ndarray  # (n, 2) float32, fresh every frame
    density_image: tuple  # (xs, ys, log p (H, W)) at heat-map resolution (the same object while unchanged)
    heat: Any  # raster.Raster: the heat map at screen resolution (the same object while unchanged), or None
    dots: Any  # raster.Raster: the particles at screen resolution, or None before the GUI said where
    state: TrainerState
    sampler_note: str  # e.g. "annealed 3/10, σ = 0.28"
    eval_ms: float
    trails: Any = None  # (K, M, 2) float32 recent positions of the first M particles, oldest first; None when off
    field_t: float | None = None  # objective sde: the time the fields and the heat map show
    probe: Any = None  # ((x, y), core.probe.probe_point dict) per point of ViewSettings.probe; None when none
    curl: Any = None  # (xs, ys, curl (n, n)) of the learned field over the view's box; None when off
    scorecard: Any = None  # scorecard_meter.Scorecard: the particles against the exact p; None when off
    identities: Any = None  # identities_meter.IdentitiesCard: the objectives' identities over training; None when off
    sampler_note_parts: Any = None  # (template, values) of sampler_note, for the GUI to translate; None: use the note


@dataclass
class ViewSettings:
    """Display settings the GUI changes directly (they never touch training)."""

    grid: int = 64
    box: tuple | None = None  # None: the density's box
    error: bool = False
    heat: int = 128  # heat-map grid points per axis over heat_box() (resampled to screen pixels)
    raster: Any = None  # raster.RasterTarget of the particles panel
    t: float | None = None  # objective sde: the time the fields show (None: the session's own)
    trails: bool = True  # the recent paths of some particles, fading
    probe: tuple = ()  # points (x, y) to probe (core/probe.py): the hover point and the pins
    curl: bool = False  # the curl heat map of the learned field
    scorecard: bool = True  # measure the particles against p each frame (scorecard_meter, ~1 ms)
    identities: bool = False  # measure the model by every objective once a second (identities_meter, 10-40 ms)


def heat_box(box, margin: float = 0.5):
    """The density's box widened by ``margin`` of its size on every side (the heat map's extent)."""
    x0, x1, y0, y1 = box
    dx, dy = (x1 - x0) * margin, (y1 - y0) * margin
    return (x0 - dx, x1 + dx, y0 - dy, y1 + dy)


class Evaluator:
    """Owns the display Session: syncs it to the newest TrainerState and makes Frames."""

    def __init__(self, display_dtype: str = "auto", density_lut: np.ndarray | None = None):
        if density_lut is None:  # grey ramp; the window passes its colour map
            density_lut = np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1)
        self.raster = ParticleRaster(density_lut)
        self._density_image = None
        self.session = None
        self._dtype_choice = display_dtype
        self.display_dtype = None
        self._session_epoch = None
        self._particles_epoch = None
        self._weights = None
        self._cache = None
        self._heat_key = None
        self.weights_t = 0.0  # perf_counter() when weights were last loaded (-inf: load the newest at the next sync)
        self._snap = None
        self._snap_key = None
        self._changes = 0  # bumps whenever sync rebuilt or reconfigured the display Session
        self._part = 0
        self.training = False
        self.per_frame = PARTICLES_PER_FRAME_TRAINING  # while training runs; all of them while it is paused
        self._trail: list[np.ndarray] = []  # the last TRAIL_FRAMES positions of the first TRAIL_PARTICLES
        self._trail_key = None
        self._dots_key = None  # (target, trails, particles) of the last particle layer made
        self._last_dots = None
        self._next_diffusion_t = 0.0  # perf_counter() before which a generation run does not step (CPU shared)
        self.probe_meter = ProbeMeter()  # the point probe and the curl map (cached until the model changes)
        self.meter = ScorecardMeter()  # the live scorecard (bounded cost: see scorecard_meter)
        self.identities_meter = IdentitiesMeter()  # the identities view (at most one measurement a second)

    def sync(self, st: TrainerState) -> None:
        """Bring the display Session up to date with a TrainerState (config, density, weights)."""
        import torch  # lazy: torch loads in the display thread (module docstring)

        from scoreviz.core.session import Session
        from scoreviz.core.snapshot import SnapshotCache

        ds = self.session
        if ds is None or st.session_epoch != self._session_epoch:
            ds = self.session = Session(replace(st.cfg, threads=None), density=st.density)
            ds.model.eval()
            if st.display_particles is not None:  # an opened session: its particles, where they were
                parts, pstep = st.display_particles
                ds.particles = torch.as_tensor(parts, dtype=torch.float32, device=ds.device).clone()
                ds.particle_step = pstep
            self._session_epoch = st.session_epoch
            self._particles_epoch = st.particles_epoch
            self._weights = None
            self._cache = SnapshotCache()
            self._heat_key = None
            self._changes += 1
            self.display_dtype = pick_display_dtype(ds, self._dtype_choice)
        else:
            before = (ds.density, ds.cfg, self._particles_epoch)
            if st.density is not ds.density:
                ds.set_density(st.density)
            if st.cfg.objective != ds.cfg.objective:
                ds.set_objective(st.cfg.objective)
            if st.cfg.model != ds.cfg.model:
                ds.set_model(st.cfg.model)
                self._weights = None
            if st.cfg.sampler != ds.cfg.sampler:
                ds.set_sampler(st.cfg.sampler)
            if st.particles_epoch != self._particles_epoch:
                ds.reset_particles()
                self._particles_epoch = st.particles_epoch
            if before != (ds.density, ds.cfg, self._particles_epoch):
                self._changes += 1
        now = time.perf_counter()
        if st.weights is not self._weights and (self._weights is None or now - self.weights_t >= LEARNED_FIELD_INTERVAL_S):
            with torch.no_grad():
                ds.model.load_state_dict(st.weights)
            ds.weights_version += 1
            self._weights = st.weights
            self.weights_t = now

    def frame(self, st: TrainerState, view: ViewSettings) -> Frame:
        """Sync, move the particles one frame, and evaluate the fields if anything they show changed."""
        import torch  # lazy: torch loads in the display thread (module docstring)

        from scoreviz.core.fields import scalar_on_grid
        from scoreviz.core.snapshot import take_snapshot

        t0 = time.perf_counter()
        self.sync(st)
        self.training = st.running
        ds = self.session
        if ds.sde is not None and view.t is not None:
            ds.set_field_t(min(1.0, max(ds.sde.t_eps, float(view.t))))  # bumps ds.version when t changed
        if ds.cfg.sampler.score_source == "learned" and self.display_dtype is not None:
            with torch.autocast(device_type=ds.device.type, dtype=self.display_dtype):
                self.advance()
        else:
            self.advance()
        key = (self._changes, ds.weights_version, ds.version, view.grid, view.box, view.error)
        if key != self._snap_key:  # fields only when the weights, the target or the view changed
            self._snap = take_snapshot(ds, grid_n=view.grid, box=view.box, learned=True, true=True, error=view.error,
                                       cache=self._cache, display_dtype=self.display_dtype)
            self._snap_key = key
        snap = self._snap
        shown = ds.target if ds.sde is not None else ds.density  # objective sde: p_t at the time shown
        heat_key = (shown, ds.version, view.heat)  # held, so compared by identity safely
        if self._heat_key is None or any(a is not b for a, b in zip(heat_key, self._heat_key)):
            # once per density, over a box wider than its own: zooming and panning never recompute it
            self._density_image = scalar_on_grid(shown.log_prob, heat_box(ds.density.box), view.heat, ds.device)
            self._heat_key = heat_key
        particles = ds.particles.detach().to("cpu", torch.float32).numpy().copy()
        trails = self._trails(particles, ds, st) if view.trails else None
        card = None
        if view.scorecard:  # against the data density p; its history restarts with the particles
            card = self.meter.safe_update(particles, st.density, ds.particle_step,
                                          (self._session_epoch, self._particles_epoch, ds.cfg.sampler))
        idents = None
        if view.identities:  # the display model, measured by every objective on one shared batch
            idents = self.identities_meter.safe_update(ds, st.step, (self._changes, ds.weights_version),
                                                       key=(self._session_epoch, st.history_epoch), box=view.box)
        model_key = (self._changes, ds.weights_version, ds.version)
        probes = self.probe_meter.probes(ds, view.probe, model_key)
        curl = self.probe_meter.curl(ds, view.box, model_key) if view.curl else None
        heat = dots = None
        if view.raster is not None:
            heat = self.raster.heat(view.raster, self._density_image)
            dots = self._dots(particles, view.raster, trails)
        return Frame(snapshot=snap, particles=particles, density_image=self._density_image, heat=heat, dots=dots,
                     state=st, sampler_note=self.sampler_note(), sampler_note_parts=self.sampler_note_parts(), eval_ms=(time.perf_counter() - t0) * 1000,
                     trails=trails, field_t=ds.field_t, scorecard=card, probe=probes, curl=curl,
                     identities=idents)

    def _dots(self, particles: np.ndarray, target, trails):
        """The particle layer (the trails under the dots); the same object while the particles stand still
        (a finished generation, a paused sampler) and the target is unchanged: nothing to redraw then."""
        last = self._dots_key
        if (last is not None and last[0] == target and (last[1] is None) == (trails is None)
                and np.array_equal(last[2], particles) and self._last_dots is not None):
            return self._last_dots
        self._last_dots = self.raster.particles(particles, target, trails)
        self._dots_key = (target, trails, particles)
        return self._last_dots

    def _trails(self, particles: np.ndarray, ds, st: TrainerState) -> np.ndarray | None:
        """The recent positions (K, M, 2) of the first M particles, oldest first; they start over when the
        particles are reset or the sampler changes (a jump is not a path). None until two frames are held."""
        key = (self._session_epoch, self._particles_epoch, ds.cfg.sampler, particles.shape[0])
        if key != self._trail_key:
            self._trail_key = key
            self._trail = []
        head = particles[:TRAIL_PARTICLES]
        if not self._trail or not np.array_equal(head, self._trail[-1]):  # only frames where they moved
            self._trail.append(head)
            del self._trail[:-TRAIL_FRAMES]
        return np.stack(self._trail) if len(self._trail) >= 2 else None

    def advance(self) -> None:
        """Move the particles for one frame.

        While training runs on the CPU, the two share the machine, so a rolling share of at most
        ``per_frame`` particles takes the sampler's steps each frame: every particle steps once
        per sweep of ceil(n / per_frame) frames, and the annealed schedule advances once per sweep.
        While training is paused (or runs on a GPU) every particle steps every frame. Each step is
        the core's own (``Session.advance_particles`` on that share).
        """
        ds = self.session
        full = ds.particles
        n = full.shape[0]
        shared = self.training and ds.device.type == "cpu"  # the CPU is shared with training only then
        if getattr(ds, "diffusion", None) is not None:  # a run on the time axis moves all its particles together;
            now = time.perf_counter()  # while training shares the CPU it steps at most a third of the time
            if shared and now < self._next_diffusion_t:
                return
            ds.advance_particles()
            self._next_diffusion_t = now + DIFFUSION_DUTY * (time.perf_counter() - now)
            return
        parts = max(1, -(-n // self.per_frame)) if shared else 1
        if parts == 1:
            ds.advance_particles()
            return
        part = self._part % parts
        a, b = part * n // parts, (part + 1) * n // parts
        step0 = ds.particle_step
        ds.particles = full[a:b]
        try:
            ds.advance_particles()
            moved = ds.particles
        finally:
            ds.particles = full
        full[a:b] = moved
        if part != parts - 1:  # the schedule counts whole sweeps
            ds.particle_step = step0
        self._part = part + 1

    def sampler_note(self) -> str:
        """The sampler's one-line caption (its step size, or the annealed level and its σ)."""
        template, values = self.sampler_note_parts()
        return template.format(**values)

    def sampler_note_parts(self) -> tuple[str, dict]:
        """(template, values) of ``sampler_note()``: the GUI shows the template translated (``core.text.N_``)."""
        from scoreviz.core.text import N_

        ds = self.session
        sc = ds.cfg.sampler
        if getattr(ds, "diffusion", None) is not None:  # objective sde: generation or the forward process
            return ds.diffusion.note_parts()
        if sc.sampler != "annealed":
            return N_("Langevin ε = {eps:g}"), {"eps": sc.step_size}
        level = ds.annealing_level
        sig = float(ds.annealing_sigmas[level])  # objective sde: std(t_i) of the process
        return N_("annealed {level}/{levels}, σ = {sigma:.3g}"), {"level": level + 1, "levels": sc.levels, "sigma": sig}


def _cpu_flags() -> set[str] | None:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return None


def pick_display_dtype(session, choice: str):
    """bfloat16 for display-only evaluation on a CPU with native bf16 (AVX512-BF16 / AMX), else None.

    Where the CPU's flags cannot be read, a short timing of the particle-sized evaluation decides.
    """
    import torch  # lazy: called in the display thread (module docstring)

    if choice == "float32" or session.device.type != "cpu":
        return None
    if choice == "bfloat16":
        return torch.bfloat16
    flags = _cpu_flags()
    if flags is not None:  # Linux: native bf16 (AVX512-BF16 or AMX) makes bf16 evaluation about twice as fast
        return torch.bfloat16 if flags & {"avx512_bf16", "amx_bf16"} else None
    x = torch.randn(10_000, 2)
    best = {}
    for dt in (None, torch.bfloat16):
        times = []
        for _ in range(5):
            t = time.perf_counter()
            with torch.autocast(device_type="cpu", dtype=dt or torch.bfloat16, enabled=dt is not None):
                session.learned_score(x)
            times.append(time.perf_counter() - t)
        best[dt] = min(times)
    return torch.bfloat16 if best[torch.bfloat16] < 0.8 * best[None] else None
