"""Score networks: one small MLP, three ways to read it.

- ``vector``  : the MLP's 2 outputs *are* the score, s_theta(x) = net(x).
- ``energy``  : the MLP outputs a scalar energy E_theta(x) and s_theta(x) = -grad_x E_theta(x),
                a conservative field (its Jacobian, -Hessian E, is symmetric).
- ``noise_conditional`` (either of the above): the input gets log(sigma) as a third coordinate and
  the output is divided by sigma (Song & Ermon 2019): s_theta(x, sigma) = net(x, log sigma) / sigma.

Shapes: x (N, 2) -> score (N, 2). sigma: a float or an (N,) tensor (per-point noise levels).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import torch
from torch import Tensor, nn

from scoreviz.core import limits
from scoreviz.core.errors import ScorevizError

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "silu": nn.SiLU,
    "softplus": nn.Softplus,
    "tanh": nn.Tanh,
    "elu": nn.ELU,
    "relu": nn.ReLU,
}
PARAMETRIZATIONS = ("vector", "energy")


@dataclass
class ModelConfig:
    hidden: int = 128  # width of every hidden layer
    layers: int = 3  # number of hidden layers
    activation: str = "silu"  # silu | softplus | tanh | elu | relu
    parametrization: str = "vector"  # vector | energy
    noise_conditional: bool = False  # input (x, log sigma), output / sigma

    def __post_init__(self):
        self.hidden = limits.check("hidden", self.hidden, "model")
        self.layers = limits.check("layers", self.layers, "model")
        if not isinstance(self.activation, str) or self.activation not in ACTIVATIONS:
            raise ScorevizError(
                f"unknown activation {limits.show(self.activation)}; choose one of {', '.join(ACTIVATIONS)}"
            )
        if self.parametrization not in PARAMETRIZATIONS:
            raise ScorevizError(
                f"unknown parametrization {limits.show(self.parametrization)}; choose one of {', '.join(PARAMETRIZATIONS)}"
            )
        if not isinstance(self.noise_conditional, bool):
            raise ScorevizError(f"model noise_conditional must be true or false, got {limits.show(self.noise_conditional)}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "ModelConfig":
        if not isinstance(d, dict):
            raise ScorevizError(f"model config must be a mapping, got {type(d).__name__}")
        allowed = [f.name for f in fields(cls)]
        unknown = [k for k in d if k not in allowed]
        if unknown:
            raise ScorevizError(f"unknown model setting {limits.show(unknown[0])}; allowed: {', '.join(allowed)}")
        return cls(**d)


def parameter_shapes(cfg: ModelConfig) -> dict[str, tuple[int, ...]]:
    """The state_dict names and shapes of ``ScoreModel(cfg)``, without building it (file checks)."""
    d_in = 3 if cfg.noise_conditional else 2
    d_out = 2 if cfg.parametrization == "vector" else 1
    dims = [d_in] + [cfg.hidden] * cfg.layers
    shapes: dict[str, tuple[int, ...]] = {}
    for i, (a, b) in enumerate(zip(dims[:-1], dims[1:])):
        shapes[f"hidden.{i}.weight"] = (b, a)
        shapes[f"hidden.{i}.bias"] = (b,)
    shapes["out.weight"] = (d_out, cfg.hidden)
    shapes["out.bias"] = (d_out,)
    return shapes


class ScoreModel(nn.Module):
    """s_theta(x[, sigma]) from an MLP: (2 [+1]) -> hidden x layers -> (2 | 1)."""

    def __init__(self, cfg: ModelConfig | None = None):
        super().__init__()
        cfg = cfg if cfg is not None else ModelConfig()
        self.cfg = cfg
        d_in = 3 if cfg.noise_conditional else 2
        d_out = 2 if cfg.parametrization == "vector" else 1
        dims = [d_in] + [cfg.hidden] * cfg.layers
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))
        self.out = nn.Linear(cfg.hidden, d_out)
        self.act = ACTIVATIONS[cfg.activation]()

    # ------------------------------------------------------------------ pieces
    def _sigma_column(self, x: Tensor, sigma) -> Tensor:
        """sigma (float | 0-d | (N,) tensor) -> (N, 1) tensor on x's device and dtype."""
        n = x.shape[0]
        if sigma is None:
            raise ScorevizError("this model is noise-conditional: it needs a noise level sigma > 0")
        if isinstance(sigma, (int, float)):
            if not sigma > 0:
                raise ScorevizError(f"noise level sigma must be > 0, got {sigma!r}")
            return torch.full((n, 1), float(sigma), dtype=x.dtype, device=x.device)
        s = torch.as_tensor(sigma, dtype=x.dtype, device=x.device)
        if s.dim() == 0:
            return s.expand(n, 1)
        if s.shape != (n,):
            raise ScorevizError(f"sigma must be a number or a ({n},) tensor, got shape {tuple(s.shape)}")
        return s.reshape(n, 1)

    def _mlp(self, h: Tensor) -> Tensor:
        for layer in self.hidden:
            h = self.act(layer(h))  # (N, hidden)
        return self.out(h)  # (N, 2) vector | (N, 1) energy

    def _net(self, x: Tensor, sigma) -> Tensor:
        """Raw network output divided by sigma when noise-conditional: (N, 2) or (N, 1)."""
        if not self.cfg.noise_conditional:
            return self._mlp(x)
        sig = self._sigma_column(x, sigma)  # (N, 1)
        return self._mlp(torch.cat([x, sig.log()], dim=1)) / sig

    # ------------------------------------------------------------------ API
    def energy(self, x: Tensor, sigma=None) -> Tensor:
        """E_theta(x[, sigma]) (N,) for the energy parametrisation (score = -grad_x E)."""
        if self.cfg.parametrization != "energy":
            raise ScorevizError("energy() needs parametrization 'energy'; this model is 'vector'")
        return self._net(x, sigma).squeeze(-1)

    def forward(self, x: Tensor, sigma=None) -> Tensor:
        """Score s_theta(x[, sigma]): x (N, 2) -> (N, 2).

        sigma is required iff the model is noise-conditional (otherwise it is ignored).
        For ``energy`` the score is -grad_x E, differentiated with create_graph only when grad
        mode is on (training / objectives that differentiate the score again), so a no-grad
        caller gets a cheap first-order evaluation.
        """
        if self.cfg.parametrization == "vector":
            return self._net(x, sigma)  # (N, 2)
        create_graph = torch.is_grad_enabled()
        with torch.inference_mode(False), torch.enable_grad():
            if torch.is_inference(x):
                x = x.clone()
            xg = x if x.requires_grad else x.detach().requires_grad_(True)
            e = self._net(xg, sigma).sum()  # samples are independent: grad of the sum = per-sample grads
            (g,) = torch.autograd.grad(e, xg, create_graph=create_graph)  # (N, 2)
        return -g

    def score(self, x: Tensor, sigma=None) -> Tensor:
        """Evaluate the score for display/sampling: no graph kept, returns a detached (N, 2) tensor."""
        with torch.no_grad():
            return self(x, sigma).detach()
