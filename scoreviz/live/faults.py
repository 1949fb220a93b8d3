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

Plain Python (no Qt): the trainers of the single view and of the compare window share it.
"""

from __future__ import annotations

import re
import sys

from scoreviz.core.errors import DivergedError, ScorevizError

DIVERGED, OUT_OF_MEMORY, DEVICE, ERROR, INPUT = "diverged", "out_of_memory", "device", "error", "input"

_GPU_WORDS = re.compile(r"\bCUDA\b|\bcuda\b|\bcuDNN\b|\bcuBLAS\b|CUBLAS|CUDNN|\bNCCL\b|device-side assert|\bMPS\b|\bHIP\b")


class Fault(str):
    """A one-line message for the window (this ``str``) with ``kind``, the training ``step`` it
    happened at (or None) and ``cpu_fallback`` (True: the GPU failed, so the window offers the CPU)."""

    kind: str
    step: int | None
    cpu_fallback: bool

    def __new__(cls, text: str, kind: str = ERROR, step: int | None = None, cpu_fallback: bool = False):
        self = super().__new__(cls, text)
        self.kind, self.step, self.cpu_fallback = kind, step, bool(cpu_fallback)
        return self


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

    line = one_line(e)
    at = f" at step {step}" if step is not None else ""
    verb = "stopped" if step is not None else "failed"  # a training step stopped; a command or a copy failed
    if isinstance(e, DivergedError):
        return Fault(f"{what} diverged at step {e.step} (loss {e.value}) — paused. Press Reset to start over; "
                     "a lower learning rate keeps it from diverging again.", DIVERGED, e.step)
    if isinstance(e, ScorevizError):
        return Fault(line, INPUT, step)
    gpu = is_gpu_failure(e)
    if is_out_of_memory(e):
        where, out = ("GPU memory", ", or continue on the CPU") if gpu else ("memory", "")
        return Fault(f"{what} ran out of {where}{at} — paused. Choose a smaller batch (or fewer particles, a smaller "
                     f"model) and press Play{out}.", OUT_OF_MEMORY, step, cpu_fallback=gpu)
    if gpu:
        return Fault(f"{what} {verb}{at} on the GPU: {line} — paused. Continue on the CPU, or press Reset to try "
                     "the GPU again.", DEVICE, step, cpu_fallback=True)
    return Fault(f"{what} {verb}{at}: {line} — paused. Press Play to try again, or Reset to start over.", ERROR, step)


def display_fault(e: BaseException) -> Fault:
    """The Fault for an exception while making a display frame (training is not affected)."""
    gpu = is_gpu_failure(e)
    if is_out_of_memory(e):
        return Fault("display: out of " + ("GPU " if gpu else "") + "memory — fewer particles or a coarser arrow grid "
                     "help" + (", or continue on the CPU" if gpu else ""), OUT_OF_MEMORY, cpu_fallback=gpu)
    if gpu:
        return Fault(f"display: {one_line(e)} — the GPU failed; continue on the CPU", DEVICE, cpu_fallback=True)
    return Fault(f"display: {one_line(e)}", ERROR)


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
