"""JSON from files, bounded before it is parsed: memory and time follow the file's size, never what it asks for.

``json.loads`` builds every value it reads: a list or an object costs about 60 bytes of memory for
one or two bytes of text (``[{}]`` repeated: 63 MB of text took 2.4 GB and 13 s), a number about 32
bytes for three.  So each reader of a JSON file states what its format can legitimately hold --
the most bytes, the most lists and objects, and optionally the most values -- and
``check_structure`` refuses a text beyond that before anything is built from it.

The counts come from ``bytes.count`` (C speed, no parsing): ``[`` and ``{`` bound the lists and
objects from above, commas the values (a value that is not a container's first is preceded by a
comma).  Brackets and commas inside strings count too, so each cap includes room for the strings a
format allows.

    check_size(size, what, most)               one line: "<what> is N bytes; at most M"
    check_structure(raw, what, max_containers, max_values=None)
"""

from __future__ import annotations

from scoreviz.core.errors import ScorevizError
from scoreviz.core.text import N_, Composed

KIB = 1024
MIB = 1024 * 1024


def size_text(n: int) -> Composed:
    """``12,345,678 bytes (11.8 MiB)`` for a message (composed: the GUI shows it in its language)."""
    if n >= MIB:
        return Composed.compose(N_("{n} bytes ({size} MiB)"), n=f"{n:,}", size=f"{n / MIB:.1f}")
    if n >= KIB:
        return Composed.compose(N_("{n} bytes ({size} KiB)"), n=f"{n:,}", size=f"{n / KIB:.1f}")
    return Composed.compose(N_("{n} bytes"), n=f"{n:,}")


COUNT_PIECE = 1 << 20  # count in 1 MiB pieces: other threads (the window's) run between them


def _count(raw: bytes, byte: bytes) -> int:
    return sum(raw.count(byte, i, i + COUNT_PIECE) for i in range(0, len(raw), COUNT_PIECE))


def check_size(size: int, what: str, most: int, why: str = "") -> None:
    """Refuse ``size`` > ``most``: "<what> is 66,060,288 bytes (63.0 MiB); at most ... (<why>)"."""
    if size > most:
        if why:
            raise ScorevizError.compose(N_("{what} is {size}; at most {most} ({why})"), what=what, size=size_text(size),
                                        most=size_text(most), why=why)
        raise ScorevizError.compose(N_("{what} is {size}; at most {most}"), what=what, size=size_text(size),
                                    most=size_text(most))


def check_structure(raw: bytes, what: str, max_containers: int, max_values: int | None = None) -> None:
    """Refuse JSON text ``raw`` holding more lists/objects (or values) than its format allows, before
    it is parsed (ScorevizError, one line naming ``what``, the count and the most allowed)."""
    containers = _count(raw, b"[") + _count(raw, b"{")
    if containers > max_containers:
        raise ScorevizError.compose(N_("{what} holds {n} lists or objects; at most {most} (refused before it is "
                                       "parsed)"), what=what, n=f"{containers:,}", most=f"{max_containers:,}")
    if max_values is not None:
        values = _count(raw, b",") + containers + 1
        if values > max_values:
            raise ScorevizError.compose(N_("{what} holds {n} values; at most {most} (refused before it is parsed)"),
                                        what=what, n=f"{values:,}", most=f"{max_values:,}")
