"""What both trainers (the main window's and the compare window's) share.

``CommandHandler`` applies the GUI's commands by name between training steps and turns an
exception into a ``faults.Fault`` that pauses training and is reported; it also says how long
the thread's loop may wait for the next command. The loop's rates live here too: the display
interval both trainers publish at, and the samples per point of the Fisher curve.
"""

from __future__ import annotations

from scoreviz.live.faults import OUT_OF_MEMORY, Fault, fault_from, free_device_memory

FRAME_INTERVAL_S = 1.0 / 52.0  # display rate: above the 50 fps target, with room left for training
FISHER_SAMPLES = 10_000  # per point of the Fisher curve (~25 ms on one core for the default model)
# The Fisher curve's points: metrics.CurveSchedule (about 69 points in every stretch [N/2, N] of steps,
# dense early, within CURVE_MAX_FRACTION (3 %) of the training thread's time plus CURVE_BURST_S (0.25 s) at the start of a run)


class CommandHandler:
    """What the trainers (``Trainer`` and the compare window's ``CompareTrainer``) share: commands
    applied by name (``handle("reset")`` calls ``_cmd_reset``), and faults that pause training and
    are reported.

    A subclass sets ``on_failed``, ``speed``, ``_next_step_t``, ``_dirty`` and has ``_set_running``
    and ``seconds_until_next_step()``.
    """

    def handle(self, name: str, arg=None) -> None:
        """Apply one command. Bad input is reported with on_failed and leaves the state as it was;
        any other exception (e.g. out of memory for a million particles) pauses training as a fault does."""
        try:
            getattr(self, "_cmd_" + name)(arg)
        except Exception as e:
            fault = self._fault(e, what=f"the {name.replace('_', ' ')} change", pause=name in ("play", "step"))
            if fault.kind == OUT_OF_MEMORY:  # after the except block: what the command allocated is freed
                free_device_memory()
        self._dirty = True

    def _fault(self, e: BaseException, *, step: int | None = None, what: str = "training", pause: bool = True) -> Fault:
        """Pause (unless a refused command left training as it was) and report ``e`` as a Fault."""
        fault = fault_from(e, step=step, what=what)
        if pause or fault.kind != "input":
            self._set_running(False)
        self.on_failed(fault)
        return fault

    def command_wait(self) -> float:
        """Seconds the thread's loop may wait for a command before the next ``tick()`` (0: do not
        wait): until the next step is due; while paused a quarter of a second (publishing stays current)."""
        wait = self.seconds_until_next_step()
        return 0.25 if wait is None else wait

    def _cmd_warm_up(self, _):
        """Pay torch's one-off lazy imports of the optimiser step now (~1 s), not at the first Play."""
        import torch._dynamo  # noqa: F401  lazy: the point of this command (Optimizer.step imports it on first use)

    def _cmd_speed(self, speed):
        self.speed = None if speed is None or speed <= 0 else float(speed)
        self._next_step_t = 0.0
