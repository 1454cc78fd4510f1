"""Optional: the same network's gradients from PyTorch, to compare with ours.

The course never needs a framework. Where PyTorch is installed (an optional
extra), :func:`torch_gradients` copies a model's weights into float64 tensors,
runs the same forward pass and Keras's mean squared error, lets autograd do
the backward pass, and hands the gradients back as numpy arrays under the
course's names. Where it is not installed, it returns None and the caller says
what it skipped. PyTorch is imported only when the function is called.
"""
import importlib
import importlib.util

import numpy as np

from .activations import LEAKY_SLOPE
from .validation import as_array

TORCH_ACTIVATIONS = {
    "sigmoid": lambda torch, z: torch.sigmoid(z),
    "tanh": lambda torch, z: torch.tanh(z),
    "relu": lambda torch, z: torch.relu(z),
    "leaky_relu": lambda torch, z: torch.nn.functional.leaky_relu(z, negative_slope=LEAKY_SLOPE),
    None: None,
}
"""Each activation ``Sequential`` supports, as ``f(torch, z)`` computing it in PyTorch (None: linear)."""


def torch_available():
    """True when ``import torch`` would work (nothing is imported to find out)."""
    return importlib.util.find_spec("torch") is not None


def torch_gradients(params, activations, x, y):
    """Keras-MSE loss and its gradients for an MLP, computed by PyTorch autograd; None without PyTorch.

    The network is ``a_l = f_l(a_{l-1} W_l + b_l)``, as in
    ``helpers.network`` (``W_l`` of shape ``(D_{l-1}, D_l)``), and the loss is
    ``mean((out − y)²)``, as :func:`helpers.losses.keras_mse`.

    Parameters
    ----------
    params : dict ``{"W1", "b1", …, "WL", "bL"}`` of arrays
        Copied into float64 tensors; not modified.
    activations : sequence of str or None, one per layer
        ``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"leaky_relu"`` (slope
        ``helpers.activations.LEAKY_SLOPE``) or None (linear), as ``Sequential.activations``.
    x : array, shape (N, D_in)
    y : array, shape (N, D_out)

    Returns
    -------
    (loss, grads) with ``grads`` a dict of float64 arrays keyed like ``params``,
    or None when PyTorch is not installed.
    """
    activations = tuple(activations)
    unknown = [a for a in activations if a not in TORCH_ACTIVATIONS]
    if unknown:
        raise ValueError(f"activations must be among {list(TORCH_ACTIVATIONS)}; got {unknown}")
    expected = [f"{p}{l}" for l in range(1, len(activations) + 1) for p in "Wb"]
    if not isinstance(params, dict) or sorted(params) != sorted(expected):
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"params must have the keys {expected}, one W and b per activation; got {got}")
    x = as_array(x, "x", shape=(None, np.shape(params["W1"])[0]))
    y = as_array(y, "y", shape=(x.shape[0], np.shape(params[f"W{len(activations)}"])[1]))
    if not torch_available():
        return None
    torch = importlib.import_module("torch")
    tensors = {k: torch.tensor(np.asarray(v, dtype=np.float64), requires_grad=True) for k, v in params.items()}
    out = torch.tensor(x)
    for l, name in enumerate(activations, start=1):
        out = out @ tensors[f"W{l}"] + tensors[f"b{l}"]
        if name is not None:
            out = TORCH_ACTIVATIONS[name](torch, out)
    loss = torch.mean((out - torch.tensor(y)) ** 2)
    loss.backward()
    return float(loss.detach()), {k: t.grad.numpy().copy() for k, t in tensors.items()}
