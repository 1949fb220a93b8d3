"""scoreviz's own error types."""


class ScorevizError(ValueError):
    """Bad input: a one-line message naming the bad value and what is allowed."""


class DivergedError(RuntimeError):
    """Training produced a non-finite loss."""

    def __init__(self, step: int, value: float, hint: str = "lower the learning rate (--lr)"):
        self.step = step
        self.value = value
        self.hint = hint
        super().__init__(f"training diverged at step {step}: loss = {value}; {hint}")
