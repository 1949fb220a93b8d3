"""Text that came from a file or a user, made safe to show on a terminal or in a label.

``plain(text)`` writes every control character as an escape: C0/C1 controls and DEL as ``\\xNN``
(ESC, BEL, NUL, carriage return, newline ...), and the characters that reorder or break lines
(bidirectional overrides and isolates, line/paragraph separators) as ``\\uNNNN``. What a file says
then reaches a terminal or a window only as text: no escape sequence sets a title, clears the
screen or rings a bell. Markup is the widget's business: labels that show such text use
``Qt.PlainText`` (see ``scoreviz.gui.controls.section.error_label`` and the error banner).
Every message the command line prints and every error the app shows goes through ``plain``.

Texts the core composes for the GUI (a fault of the live loops, a refusal of a value or a file) are
English here and on the command line; the GUI shows them in its language. Such a text keeps its
template, marked with ``N_`` where it is written, and its named values: ``Composed`` (a ``str``) and
``ScorevizError.compose`` (``core.errors``). ``str()`` is the English, ``template.format(**values)``;
``scoreviz.gui.i18n.text_of`` translates the template and fills it with the same values. A value is
shown as it is (a number, a file name, an exception's own words), translated when it is a ``Phrase``
(a marked literal such as "training"), and rendered the same way when it is itself composed.
"""

from __future__ import annotations

from types import MappingProxyType

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


class Phrase(str):
    """A marked literal used as a value of a composed text (``what`` in "{what} diverged at step {step}"):
    English wherever it is formatted; the GUI shows it translated. Mark the literal with ``N_`` where
    it is written, so the extractor collects it."""

    __slots__ = ()

    def __reduce__(self):
        return (Phrase, (str(self),))


NO_VALUES = MappingProxyType({})


def fill(template: str, values) -> str:
    """The English text of ``template`` with ``values`` (what ``str()`` of a composed text is)."""
    return template.format(**values)


def as_value(v):
    """``v`` as a value of a composed text: an exception becomes its message (composed again when it
    has a template, so the GUI still translates it; the exception and its traceback are not kept)."""
    if isinstance(v, BaseException):
        template = getattr(v, "template", None)
        return Composed(str(v), template, v.values) if template else str(v)
    return v


def _restore(cls, text: str, state: dict):
    obj = str.__new__(cls, text)
    obj.__dict__.update(state)
    return obj


class Composed(str):
    """English text (this ``str``) that keeps its ``template`` (marked with ``N_``) and its named
    ``values``, so the GUI can show it in its own language (``scoreviz.gui.i18n.text_of``).

    ``Composed.compose(N_("{n} GB of memory"), n="0.8")``; ``Composed(text)`` is a text with no template
    (shown as it is). Picklable with everything it holds (it may be sent between processes)."""

    template: str | None = None
    values = NO_VALUES

    def __new__(cls, text: str, template: str | None = None, values=None):
        self = super().__new__(cls, text)
        if template is not None:
            self.template, self.values = template, {k: as_value(v) for k, v in (values or {}).items()}
        return self

    @classmethod
    def compose(cls, template: str, /, **values) -> "Composed":
        values = {k: as_value(v) for k, v in values.items()}
        return cls(fill(template, values), template, values)

    @classmethod
    def join(cls, parts, sep: str = ", ") -> "Composed":
        """``sep.join(parts)`` that keeps each part (a composed text or a Phrase is still shown translated):
        its template ("{p0}, {p1}") is not marked, it says nothing to translate."""
        parts = list(parts)
        values = {f"p{i}": p for i, p in enumerate(parts)}
        return cls.compose(sep.join("{p%d}" % i for i in range(len(parts))), **values) if parts else cls("")

    def __reduce__(self):
        return (_restore, (type(self), str(self), dict(self.__dict__)))
