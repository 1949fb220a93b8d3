"""scoreviz's own error types."""

from scoreviz.core.text import NO_VALUES, as_value, fill


class ScorevizError(ValueError):
    """Bad input: a one-line message naming the bad value and what is allowed.

    The refusals the GUI can meet with a user's input (limits, files opened, expressions) are composed:
    ``ScorevizError.compose(N_("{label}={value} is out of range; allowed {range}"), label=..., ...)`` keeps
    ``template`` and ``values`` so the GUI shows them in its language (``core.text``; the message itself,
    ``str(e)``, stays English). Any other refusal has no template and is shown as it is."""

    template: str | None = None
    values = NO_VALUES

    @classmethod
    def compose(cls, template: str, /, **values):
        """The error whose message is ``template`` filled with ``values`` (keeping both)."""
        values = {k: as_value(v) for k, v in values.items()}
        e = cls(fill(template, values))
        e.template, e.values = template, values
        return e

    @classmethod
    def like(cls, e):
        """This class's error with the message (and the template, if any) of ``e``: an exception or a
        composed text (``core.text.Composed``)."""
        template = getattr(e, "template", None)
        return cls.compose(template, **e.values) if template else cls(str(e))


class DivergedError(RuntimeError):
    """Training produced a non-finite loss."""

    def __init__(self, step: int, value: float, hint: str = "lower the learning rate (--lr)"):
        self.step = step
        self.value = value
        self.hint = hint
        super().__init__(f"training diverged at step {step}: loss = {value}; {hint}")
