"""How the command line fails: :class:`CliError` for bad input and the process exit codes
(2 for bad input, 3 for a diverged training run).

A file that cannot be written is bad input too: the shared write helpers
(``scoreviz.core.atomic``) raise one-line WriteErrors (``cannot write 'PATH': CAUSE``), and any other
OSError that reaches ``main`` becomes one line as well (``os_error_line``): exit code 2, no traceback."""

from __future__ import annotations

EXIT_BAD_INPUT = 2
EXIT_DIVERGED = 3


class CliError(Exception):
    """Bad command-line input: one line for stderr, exit code 2."""


def os_error_line(e: OSError) -> str:
    """One line naming the file and the cause of an OSError: ``'PATH': CAUSE`` (or its text's first line)."""
    cause = e.strerror or (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
    if e.filename is None:
        return cause
    other = f" -> '{e.filename2}'" if getattr(e, "filename2", None) is not None else ""
    return f"'{e.filename}'{other}: {cause}"
