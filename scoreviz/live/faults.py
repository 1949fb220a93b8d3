"""Faults while training or drawing: what went wrong, in one line for the window, and of which kind.

A worker that catches an exception turns it into a ``Fault``: the message the window shows (a
``str``, so every consumer of a worker's ``failed`` signal can treat it as text) that also says
what kind of fault it is and whether continuing on the CPU is a way out:

- ``diverged``: a non-finite loss (``DivergedError``); Reset starts over, a lower learning rate
  keeps it from happening again;
- ``out_of_memory``: the device (or the machine) ran out of memory; a smaller batch, fewer
  particles or a smaller model continue, and on a GPU so does the CPU;
- ``device``: the GPU itself failed (a CUDA error, ``torch.AcceleratorError``); the CPU continues;
- ``error``: any other exception; ``input``: a value the core refused (``ScorevizError``).

A Fault is English (``str(fault)``: logs, the command line, the tests); it also keeps its template
(marked with ``core.text.N_``) and values, so the window shows it in its own language
(``scoreviz.gui.i18n.text_of``): what failed (``what``, one of ``SUBJECTS``) is translated, the
exception's own line (``one_line(e)``, torch's or Python's words) is a value shown as it is.

Plain Python (no Qt): the trainers of the single view and of the compare window share it.
"""

from __future__ import annotations

import re
import sys

from scoreviz.core.errors import DivergedError, ScorevizError
from scoreviz.core.text import N_, Composed, Phrase, as_value, fill

DIVERGED, OUT_OF_MEMORY, DEVICE, ERROR, INPUT = "diverged", "out_of_memory", "device", "error", "input"

_GPU_WORDS = re.compile(r"\bCUDA\b|\bcuda\b|\bcuDNN\b|\bcuBLAS\b|CUBLAS|CUDNN|\bNCCL\b|device-side assert|\bMPS\b|\bHIP\b")


class Fault(Composed):
    """A one-line message for the window (this ``str``, English) with ``kind``, the training ``step`` it
    happened at (or None) and ``cpu_fallback`` (True: the GPU failed, so the window offers the CPU).

    Like every composed text (``core.text``) it keeps its ``template`` and ``values``: the window shows
    it in its own language (``scoreviz.gui.i18n.text_of``), the logs and the command line in English.
    It pickles with all of that (and any attribute set on it, e.g. ``cfg``)."""

    kind: str
    step: int | None
    cpu_fallback: bool

    def __new__(cls, text: str, kind: str = ERROR, step: int | None = None, cpu_fallback: bool = False,
                template: str | None = None, values=None):
        self = super().__new__(cls, text, template, values)
        self.kind, self.step, self.cpu_fallback = kind, step, bool(cpu_fallback)
        return self

    @classmethod
    def of(cls, template: str, values: dict, kind: str = ERROR, step: int | None = None,
           cpu_fallback: bool = False) -> "Fault":
        """The Fault whose text is ``template`` (marked with ``N_``) filled with ``values``."""
        values = {k: as_value(v) for k, v in values.items()}
        return cls(fill(template, values), kind, step, cpu_fallback, template, values)


# What failed (``fault_from``'s ``what``), shown translated: the loops' own words and "the <command> change"
# of every command (live.commands). Any other ``what`` (a configuration's label) is shown as it is.
SUBJECTS = frozenset((
    N_("training"), N_("dynamics"), N_("building the model"), N_("publishing the model"),
    N_("building the comparison"), N_("publishing the models"),
    N_("the play change"), N_("the pause change"), N_("the step change"), N_("the reset change"),
    N_("the warm up change"), N_("the speed change"), N_("the density change"), N_("the objective change"),
    N_("the model change"), N_("the optimizer change"), N_("the sampler change"),
    N_("the reset particles change"), N_("the device change"), N_("the seed change"), N_("the rebuild change"),
    N_("the load change"), N_("the call change"), N_("the configs change"), N_("the eval every change"),
    N_("the figure change"), N_("the summary change"),
))


def subject(what: str):
    """``what`` as a value of a fault's text: a Phrase (translated by the GUI) when it is one of SUBJECTS."""
    return Phrase(what) if what in SUBJECTS else what


def one_line(e: BaseException) -> str:
    """The first line of an exception's message (its type's name when it has none)."""
    text = str(e).strip().splitlines()
    return text[0] if text else type(e).__name__


def _torch():
    return sys.modules.get("torch")  # an exception from torch means torch is loaded: never import it here


def is_out_of_memory(e: BaseException) -> bool:
    """Device or host memory exhausted: torch.OutOfMemoryError, MemoryError, or an allocator's RuntimeError."""
    if isinstance(e, MemoryError):
        return True
    torch = _torch()
    oom = getattr(torch, "OutOfMemoryError", None) or getattr(getattr(torch, "cuda", None), "OutOfMemoryError", None)
    if oom is not None and isinstance(e, oom):
        return True
    return isinstance(e, RuntimeError) and ("out of memory" in str(e).lower() or "can't allocate memory" in str(e))


def is_gpu_failure(e: BaseException) -> bool:
    """An error of the GPU or its runtime (CUDA, cuDNN, cuBLAS, MPS), not of the computation asked of it."""
    torch = _torch()
    for name in ("AcceleratorError", "OutOfMemoryError"):  # OutOfMemoryError: accelerator memory only
        cls = getattr(torch, name, None)
        if cls is not None and isinstance(e, cls):
            return True
    return isinstance(e, RuntimeError) and bool(_GPU_WORDS.search(str(e)))


def fault_from(e: BaseException, *, step: int | None = None, what: str = "training") -> Fault:
    """The Fault for an exception raised by ``what`` (e.g. "training") at training step ``step``."""

    line = one_line(e)  # the exception's own words: a value, never translated
    who = subject(what)
    if isinstance(e, DivergedError):
        return Fault.of(N_("{what} diverged at step {step} (loss {loss}) — paused. Press Reset to start over; "
                           "a lower learning rate keeps it from diverging again."),
                        dict(what=who, step=e.step, loss=e.value), DIVERGED, e.step)
    if isinstance(e, ScorevizError):
        template = e.template if e.template and str(e) == line else None  # a composed refusal keeps its template
        return Fault(line, INPUT, step, template=template, values=e.values if template else None)
    gpu = is_gpu_failure(e)
    if is_out_of_memory(e):
        if gpu:
            template = (N_("{what} ran out of GPU memory at step {step} — paused. Choose a smaller batch (or fewer "
                           "particles, a smaller model) and press Play, or continue on the CPU.") if step is not None
                        else N_("{what} ran out of GPU memory — paused. Choose a smaller batch (or fewer particles, "
                                "a smaller model) and press Play, or continue on the CPU."))
        else:
            template = (N_("{what} ran out of memory at step {step} — paused. Choose a smaller batch (or fewer "
                           "particles, a smaller model) and press Play.") if step is not None
                        else N_("{what} ran out of memory — paused. Choose a smaller batch (or fewer particles, "
                                "a smaller model) and press Play."))
        return Fault.of(template, _with_step(dict(what=who), step), OUT_OF_MEMORY, step, cpu_fallback=gpu)
    # a training step stopped (at a step); a command or a copy failed (no step)
    if gpu:
        template = (N_("{what} stopped at step {step} on the GPU: {error} — paused. Continue on the CPU, or press "
                       "Reset to try the GPU again.") if step is not None
                    else N_("{what} failed on the GPU: {error} — paused. Continue on the CPU, or press Reset to try "
                            "the GPU again."))
        return Fault.of(template, _with_step(dict(what=who, error=line), step), DEVICE, step, cpu_fallback=True)
    template = (N_("{what} stopped at step {step}: {error} — paused. Press Play to try again, or Reset to start "
                   "over.") if step is not None
                else N_("{what} failed: {error} — paused. Press Play to try again, or Reset to start over."))
    return Fault.of(template, _with_step(dict(what=who, error=line), step), ERROR, step)


def _with_step(values: dict, step: int | None) -> dict:
    return values if step is None else {**values, "step": step}


def display_fault(e: BaseException) -> Fault:
    """The Fault for an exception while making a display frame (training is not affected)."""
    gpu = is_gpu_failure(e)
    if is_out_of_memory(e):
        if gpu:
            return Fault.of(N_("display: out of GPU memory — fewer particles or a coarser arrow grid help, or "
                               "continue on the CPU"), {}, OUT_OF_MEMORY, cpu_fallback=True)
        return Fault.of(N_("display: out of memory — fewer particles or a coarser arrow grid help"), {}, OUT_OF_MEMORY)
    if gpu:
        return Fault.of(N_("display: {error} — the GPU failed; continue on the CPU"), dict(error=one_line(e)), DEVICE,
                        cpu_fallback=True)
    return Fault.of(N_("display: {error}"), dict(error=one_line(e)), ERROR)


def free_device_memory() -> None:
    """Give the memory cached by torch's GPU allocators back (after running out of it)."""
    torch = _torch()
    if torch is None:
        return
    try:
        if torch.cuda.is_available() and torch.cuda.is_initialized():
            torch.cuda.empty_cache()
        mps = getattr(torch, "mps", None)
        if mps is not None and getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            mps.empty_cache()
    except Exception:  # a broken device: nothing more to free
        pass
