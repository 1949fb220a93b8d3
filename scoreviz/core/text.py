"""Text that came from a file or a user, made safe to show on a terminal or in a label.

``plain(text)`` writes every control character as an escape: C0/C1 controls and DEL as ``\\xNN``
(ESC, BEL, NUL, carriage return, newline ...), and the characters that reorder or break lines
(bidirectional overrides and isolates, line/paragraph separators) as ``\\uNNNN``. What a file says
then reaches a terminal or a window only as text: no escape sequence sets a title, clears the
screen or rings a bell. Markup is the widget's business: labels that show such text use
``Qt.PlainText`` (see ``scoreviz.gui.controls.section.error_label`` and the error banner).
Every message the command line prints and every error the app shows goes through ``plain``.
"""

from __future__ import annotations

_REORDERING = {0x2028, 0x2029, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def _escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"\\x{code:02x}"
    if code in _REORDERING:
        return f"\\u{code:04x}"
    return ch


def plain(text) -> str:
    """``str(text)`` with control and reordering characters escaped (see the module's docstring)."""
    s = str(text)
    if s.isprintable() and not any(ord(c) in _REORDERING for c in s):
        return s
    return "".join(_escape(c) for c in s)


def N_(text: str) -> str:
    """Marks a literal of the core that the GUI shows translated (descriptions, help lines): it returns
    ``text`` unchanged; the GUI's extractor (``python -m scoreviz.gui.i18n update``) collects the marked
    literals and the GUI shows them through its ``tr``. The core and the command line stay English."""
    return text
