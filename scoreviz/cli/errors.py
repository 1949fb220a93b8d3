"""How the command line fails: :class:`CliError` for bad input and the process exit codes
(2 for bad input, 3 for a diverged training run)."""

from __future__ import annotations

EXIT_BAD_INPUT = 2
EXIT_DIVERGED = 3


class CliError(Exception):
    """Bad command-line input: one line for stderr, exit code 2."""
