"""The commands the GUI posts to the trainers, and what both trainers share in applying them.

A command is a small frozen dataclass (``Play()``, ``SetSeed(3)``, ``SetOptimizer(lr, batch)``...).
``CommandHandler`` applies them between training steps: a trainer method ``_cmd_<name>(self, cmd: T)``
applies the commands of type ``T`` (its annotation declares it; ``COMMANDS`` collects them when the
class is made), so a command a trainer does not handle is refused before it is queued
(``check``), not when the worker reaches it. An exception while applying one becomes a
``faults.Fault`` that pauses training and is reported; the handler also says how long the thread's
loop may wait for the next command. The loop's rates live here too: the display interval both
trainers publish at, and the samples per point of the Fisher curve.
"""

from __future__ import annotations

import typing
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Callable, ClassVar

from scoreviz.live.faults import INPUT, OUT_OF_MEMORY, Fault, fault_from, free_device_memory

FRAME_INTERVAL_S = 1.0 / 52.0  # display rate: above the 50 fps target, with room left for training
FISHER_SAMPLES = 10_000  # per point of the Fisher curve (~25 ms on one core for the default model)
# The Fisher curve's points: metrics.CurveSchedule (about 69 points in every stretch [N/2, N] of steps,
# dense early, within CURVE_MAX_FRACTION (3 %) of the training thread's time plus CURVE_BURST_S (0.25 s) at the start of a run)


# ---------------------------------------------------------------------- the commands
@dataclass(frozen=True)
class Command:
    """One command to a trainer. ``NAME`` names it in fault messages ("the reset particles change");
    ``PAUSES``: a refused one pauses training too (Play, Step), where others leave it as it was."""

    NAME: ClassVar[str] = ""
    PAUSES: ClassVar[bool] = False


@dataclass(frozen=True)
class Play(Command):
    NAME: ClassVar[str] = "play"
    PAUSES: ClassVar[bool] = True


@dataclass(frozen=True)
class Pause(Command):
    NAME: ClassVar[str] = "pause"


@dataclass(frozen=True)
class Step(Command):
    """One training step, then paused."""

    NAME: ClassVar[str] = "step"
    PAUSES: ClassVar[bool] = True


@dataclass(frozen=True)
class Reset(Command):
    """Fresh model(s) from the seed, step 0."""

    NAME: ClassVar[str] = "reset"


@dataclass(frozen=True)
class WarmUp(Command):
    """Pay torch's one-off lazy imports now, not at the first Play."""

    NAME: ClassVar[str] = "warm_up"


@dataclass(frozen=True)
class Speed(Command):
    steps_per_s: float | None  # None or <= 0: as fast as possible
    NAME: ClassVar[str] = "speed"


@dataclass(frozen=True)
class SetDensity(Command):
    density: Any  # a core density
    NAME: ClassVar[str] = "density"


@dataclass(frozen=True)
class SetObjective(Command):
    cfg: Any  # ObjectiveConfig
    NAME: ClassVar[str] = "objective"


@dataclass(frozen=True)
class SetModel(Command):
    cfg: Any  # ModelConfig
    NAME: ClassVar[str] = "model"


@dataclass(frozen=True)
class SetOptimizer(Command):
    lr: float
    batch: int
    NAME: ClassVar[str] = "optimizer"


@dataclass(frozen=True)
class SetSampler(Command):
    cfg: Any  # SamplerConfig
    NAME: ClassVar[str] = "sampler"


@dataclass(frozen=True)
class ResetParticles(Command):
    NAME: ClassVar[str] = "reset_particles"


@dataclass(frozen=True)
class SetDevice(Command):
    device: str  # "cpu", "cuda", ...
    NAME: ClassVar[str] = "device"


@dataclass(frozen=True)
class SetSeed(Command):
    seed: int
    NAME: ClassVar[str] = "seed"


@dataclass(frozen=True)
class Rebuild(Command):
    """A new Session from the trainer's config; ``why`` (e.g. "seed 3") is reported when given."""

    why: str | None = None
    NAME: ClassVar[str] = "rebuild"


@dataclass(frozen=True)
class Load(Command):
    """Replace the Session by an opened one (a ``.scoreviz`` file)."""

    session: Any  # core Session
    NAME: ClassVar[str] = "load"


@dataclass(frozen=True)
class Call(Command):
    """Run ``fn(session)`` between two steps; its result or exception goes to ``future``."""

    fn: Callable[[Any], Any]
    future: Future
    NAME: ClassVar[str] = "call"


@dataclass(frozen=True)
class SetConfigs(Command):
    objectives: list  # the compared ObjectiveConfigs
    NAME: ClassVar[str] = "configs"


@dataclass(frozen=True)
class SetEvalEvery(Command):
    k: int  # the Fisher divergences every k steps
    NAME: ClassVar[str] = "eval_every"


@dataclass(frozen=True)
class Figure(Command):
    """A frame for "Save figure": written to ``path`` at ``size`` (w, h) with a ``grid``-point field."""

    path: str
    size: tuple
    grid: int
    NAME: ClassVar[str] = "figure"


@dataclass(frozen=True)
class Summary(Command):
    """Write the comparison's summary.json to ``path``."""

    path: str
    NAME: ClassVar[str] = "summary"


# ---------------------------------------------------------------------- applying them
class CommandHandler:
    """What the trainers (``Trainer`` and the compare window's ``CompareTrainer``) share: commands
    applied by type (``handle(Reset())`` calls the method annotated ``cmd: Reset``), and faults that
    pause training and are reported.

    ``COMMANDS`` maps each command type the class handles to the name of its method (looked up on
    the instance when applied). A subclass sets ``on_failed``, ``speed``, ``_next_step_t``, ``_dirty``
    and has ``_set_running`` and ``seconds_until_next_step()``.
    """

    COMMANDS: ClassVar[dict[type[Command], str]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        table: dict[type[Command], str] = {}
        for klass in reversed(cls.__mro__):  # a subclass's method overrides its base's
            for attr, fn in vars(klass).items():
                if attr.startswith("_cmd_") and callable(fn):
                    table = {t: m for t, m in table.items() if m != attr}
                    kind = typing.get_type_hints(fn).get("cmd")
                    if not (isinstance(kind, type) and issubclass(kind, Command)) or kind in table:
                        raise TypeError(f"{cls.__name__}.{attr}: annotate its argument as `cmd: <Command type>`, "
                                        "one method per command type")
                    table[kind] = attr
        cls.COMMANDS = table

    @classmethod
    def check(cls, cmd) -> str:
        """The name of the method that applies ``cmd``; a TypeError names a command this trainer does not handle."""
        method = cls.COMMANDS.get(type(cmd))
        if method is None:
            what = type(cmd).__name__ if isinstance(cmd, Command) else f"{cmd!r}, which is not a command"
            raise TypeError(f"{cls.__name__} does not handle {what} "
                            f"(it handles {', '.join(sorted(t.__name__ for t in cls.COMMANDS))})")
        return method

    def handle(self, cmd: Command) -> None:
        """Apply one command. Bad input is reported with on_failed and leaves the state as it was;
        any other exception (e.g. out of memory for a million particles) pauses training as a fault does.
        A command this trainer does not handle raises a TypeError (``check``)."""
        method = self.check(cmd)
        try:
            getattr(self, method)(cmd)
        except Exception as e:
            fault = self._fault(e, what=f"the {cmd.NAME.replace('_', ' ')} change", pause=cmd.PAUSES)
            if fault.kind == OUT_OF_MEMORY:  # after the except block: what the command allocated is freed
                free_device_memory()
        self._dirty = True

    def _fault(self, e: BaseException, *, step: int | None = None, what: str = "training", pause: bool = True) -> Fault:
        """Pause (unless a refused command left training as it was) and report ``e`` as a Fault."""
        fault = fault_from(e, step=step, what=what)
        if fault.kind == INPUT:  # a refused setting: the settings still in force go with it (the dock shows them)
            fault.cfg = getattr(getattr(self, "session", None), "cfg", None)
        if pause or fault.kind != "input":
            self._set_running(False)
        self.on_failed(fault)
        return fault

    def command_wait(self) -> float:
        """Seconds the thread's loop may wait for a command before the next ``tick()`` (0: do not
        wait): until the next step is due; while paused a quarter of a second (publishing stays current)."""
        wait = self.seconds_until_next_step()
        return 0.25 if wait is None else wait

    def _cmd_warm_up(self, cmd: WarmUp):
        """Pay torch's one-off lazy imports of the optimiser step now (~1 s), not at the first Play."""
        import torch._dynamo  # noqa: F401  lazy: the point of this command (Optimizer.step imports it on first use)

    def _cmd_speed(self, cmd: Speed):
        speed = cmd.steps_per_s
        self.speed = None if speed is None or speed <= 0 else float(speed)
        self._next_step_t = 0.0
