"""Portable exports of a trained score network: a ``torch.export`` program and, optionally, ONNX.

Both take ``(x (N, 2) float32, sigma (N,) float32)`` and return the score (N, 2); ``sigma`` is
ignored by models that are not noise-conditional (it is still an input, so every export has the
same signature).  A time-conditional model (objective sde) is exported with its process: the second input
is then the time t (N,) and the output its score s_theta(x, t) = net(x, t) / std(t) (``export_program(model,
path, sde)``; without the process it is refused). The energy parametrisation differentiates E by hand (an explicit backward pass
through the MLP), so the exported graph holds forward operations only.

Load from plain Python::

    prog = torch.export.load("model.pt2").module()
    s = prog(torch.zeros(5, 2), torch.full((5,), 0.01))

    import onnxruntime as ort  # lazy: optional (checking an ONNX file)
    sess = ort.InferenceSession("model.onnx")
    s = sess.run(None, {"x": x.numpy(), "sigma": sigma.numpy()})[0]
"""

from __future__ import annotations

import contextlib
import io
import os
import warnings

import torch
from torch import Tensor, nn

from scoreviz.core.atomic import write_with
from scoreviz.core.errors import ScorevizError
from scoreviz.core.models import ScoreModel, time_embedding


def _act_and_slope(name: str, z: Tensor) -> tuple[Tensor, Tensor]:
    """act(z) and act'(z) for the MLP's activation."""
    if name == "silu":
        s = torch.sigmoid(z)
        return z * s, s * (1 + z * (1 - s))
    if name == "softplus":
        return nn.functional.softplus(z), torch.sigmoid(z)
    if name == "tanh":
        t = torch.tanh(z)
        return t, 1 - t * t
    if name == "elu":
        return nn.functional.elu(z), torch.where(z > 0, torch.ones_like(z), torch.exp(torch.clamp(z, max=0.0)))
    if name == "relu":
        return torch.relu(z), (z > 0).to(z.dtype)
    raise ScorevizError(f"activation '{name}' cannot be exported")


class PortableScore(nn.Module):
    """score(x, sigma) -- or score(x, t) for a time-conditional model -- with forward operations only (exportable)."""

    def __init__(self, model: ScoreModel, sde=None):
        super().__init__()
        self.model = model
        self.cfg = model.cfg
        if model.cfg.time_conditional and sde is None:
            raise ScorevizError("a time-conditional model (objective sde) is exported with its process: its score is "
                                "net(x, t) / std(t); pass the session's sde")
        self.sde = sde if model.cfg.time_conditional else None

    def forward(self, x: Tensor, sigma: Tensor) -> Tensor:
        m, cfg = self.model, self.cfg
        sig = sigma.reshape(-1, 1).to(x.dtype)  # (N, 1): sigma, or the time t of a time-conditional model
        if cfg.time_conditional:
            h = torch.cat([x, time_embedding(sig, m.time_freqs.to(x.dtype))], 1)
            scale = self.sde.std(sig).to(x.dtype)  # (N, 1): the score is the output / std(t)
        else:
            h = torch.cat([x, torch.log(sig)], 1) if cfg.noise_conditional else x
            scale = sig if cfg.noise_conditional else None
        if cfg.parametrization == "vector":
            for layer in m.hidden:
                h = m.act(layer(h))
            out = m.out(h)
            return out if scale is None else out / scale
        slopes = []
        for layer in m.hidden:
            h, slope = _act_and_slope(cfg.activation, layer(h))
            slopes.append(slope)
        g = m.out.weight.expand(x.shape[0], -1)  # dE/dh_L (N, hidden)
        for layer, slope in zip(reversed(list(m.hidden)), reversed(slopes)):
            g = (g * slope) @ layer.weight  # dE/dh_{l-1}
        grad_x = g[:, :2]
        return -grad_x if scale is None else -(grad_x / scale)


def _example(model: ScoreModel):
    p = next(model.parameters())
    return torch.randn(8, 2, device=p.device), torch.full((8,), 0.1, device=p.device)


def export_program(model: ScoreModel, path, sde=None) -> None:
    """Write a ``torch.export`` program (``.pt2``) of the model's score, dynamic in the batch size
    (``sde``: the process of a time-conditional model; its second input is then t)."""
    wrapper = PortableScore(model, sde).eval()
    n = torch.export.Dim("n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.export.export(wrapper, _example(model), dynamic_shapes={"x": {0: n}, "sigma": {0: n}})
    write_with(path, lambda tmp: torch.export.save(program, str(tmp)))


def onnx_available() -> bool:
    try:
        import onnx  # noqa: F401  lazy: optional dependency, probed here
        import onnxscript  # noqa: F401
    except ImportError:
        return False
    return True


def export_onnx(model: ScoreModel, path, sde=None) -> None:
    """Write an ONNX model (inputs ``x``, ``sigma`` -- t for a time-conditional model, whose process
    ``sde`` is then needed; output ``score``). Needs ``onnx`` + ``onnxscript``."""
    if not onnx_available():
        raise ScorevizError("ONNX export needs the optional packages: pip install onnx onnxscript")
    wrapper = PortableScore(model, sde).eval()

    def write(tmp):
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            torch.onnx.export(wrapper, _example(model), str(tmp), input_names=["x", "sigma"],
                              output_names=["score"], dynamic_axes={"x": {0: "n"}, "sigma": {0: "n"}, "score": {0: "n"}})
    write_with(path, write)
    if not os.path.exists(path):
        raise ScorevizError(f"ONNX export did not write '{path}'")
