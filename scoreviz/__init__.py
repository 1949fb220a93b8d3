"""scoreviz: see score-based generative models think."""

__version__ = "0.1.0"
