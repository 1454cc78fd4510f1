"""One sigmoid neuron: every factor of the chain rule, and gradient descent.

The model of notebook 01: ``z = w x + b``, ``y = σ(z)``, ``L = ½ (y − t)²``, so

    ∂L/∂w = ∂L/∂y · ∂y/∂z · ∂z/∂w = (y − t) · σ(z)(1 − σ(z)) · x
    ∂L/∂b = (y − t) · σ(z)(1 − σ(z)) · 1

Over several examples the loss is their mean, and so are the gradients.
"""
from typing import NamedTuple

import numpy as np

from .activations import sigmoid, sigmoid_prime
from .validation import as_array, as_scalar, check_positive, check_same_shape


class NeuronTrace(NamedTuple):
    """Every quantity of the forward and backward pass, one entry per example."""

    z: np.ndarray
    y: np.ndarray
    loss: float
    dL_dy: np.ndarray
    dy_dz: np.ndarray
    dz_dw: np.ndarray
    dz_db: np.ndarray
    dL_dw: float
    dL_db: float


def neuron_trace(x, w, b, y_true):
    """Forward and backward pass of one sigmoid neuron, factor by factor.

    Parameters
    ----------
    x, y_true : float or array, shape (N,)
        Inputs and targets (one example or several).
    w, b : float
        Weight and bias.

    Returns
    -------
    NeuronTrace with per-example ``z, y, dL_dy = y − t, dy_dz = σ'(z),
    dz_dw = x, dz_db = 1``, and the mean ``loss``, ``dL_dw``, ``dL_db``.

    Examples
    --------
    >>> t = neuron_trace(x=1.0, w=0.0, b=0.0, y_true=1.0)
    >>> float(t.y[0]), float(t.dy_dz[0]), t.dL_dw
    (0.5, 0.25, -0.125)
    """
    x, y_true = _examples(x, y_true)
    w, b = as_scalar(w, "w"), as_scalar(b, "b")
    z = w * x + b
    y = sigmoid(z)
    dL_dy = y - y_true
    dy_dz = sigmoid_prime(z)
    dz_dw, dz_db = x, np.ones_like(x)
    return NeuronTrace(
        z=z,
        y=y,
        loss=float(np.mean(0.5 * dL_dy**2)),
        dL_dy=dL_dy,
        dy_dz=dy_dz,
        dz_dw=dz_dw,
        dz_db=dz_db,
        dL_dw=float(np.mean(dL_dy * dy_dz * dz_dw)),
        dL_db=float(np.mean(dL_dy * dy_dz * dz_db)),
    )


def neuron_loss_surface(x, y_true, ws, bs):
    """The mean loss ``L(w, b)`` on a grid: ``ws`` and ``bs`` broadcast together.

    Examples
    --------
    >>> neuron_loss_surface(1.0, 1.0, np.array([0.0]), np.array([0.0])).tolist()
    [0.125]
    """
    x, y_true = _examples(x, y_true)
    ws, bs = np.broadcast_arrays(as_array(ws, "ws"), as_array(bs, "bs"))
    y = sigmoid(ws[..., None] * x + bs[..., None])
    return np.mean(0.5 * (y - y_true) ** 2, axis=-1)


class Descent(NamedTuple):
    """A gradient-descent run: the state before each step and after the last.

    ``slope`` is the mean ``σ'(z)`` over the examples: near 0, the neuron is
    saturated and its gradient vanishes whatever the error.
    """

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    slope: np.ndarray
    lr: float


def gradient_descent(x, y_true, w0, b0, lr, steps):
    """Plain gradient descent on the neuron: ``w ← w − lr ∂L/∂w``, same for ``b``.

    Returns a :class:`Descent` whose arrays have ``steps + 1`` entries.

    Examples
    --------
    >>> run = gradient_descent(1.0, 1.0, w0=0.0, b0=0.0, lr=1.0, steps=2)
    >>> run.loss.round(4).tolist()
    [0.125, 0.0958, 0.0744]
    """
    x, y_true = _examples(x, y_true)
    w, b = as_scalar(w0, "w0"), as_scalar(b0, "b0")
    lr = check_positive(lr, "lr")
    steps = check_positive(steps, "steps", integer=True)
    ws, bs, losses, slopes = (np.empty(steps + 1) for _ in range(4))
    for i in range(steps + 1):
        trace = neuron_trace(x, w, b, y_true)
        ws[i], bs[i], losses[i], slopes[i] = w, b, trace.loss, trace.dy_dz.mean()
        w, b = w - lr * trace.dL_dw, b - lr * trace.dL_db
    return Descent(ws, bs, losses, slopes, lr)


def describe_descent(run, tol=1e-3):
    """A one-line verdict on a run: oscillating, converged, saturated, crawling or still learning.

    ``tol`` is the loss below which the run counts as converged.

    Examples
    --------
    >>> describe_descent(gradient_descent(1.5, 0.3, 0.8, 0.2, lr=100.0, steps=20))
    "saturated: σ'(z) = 2.3e-11, so the gradient vanished; stuck at loss 0.0450"
    """
    loss = run.loss
    rises = np.flatnonzero(np.diff(loss) > 1e-12)
    if rises.size:
        return f"oscillating: the loss went up at step {rises[0] + 1} (learning rate {run.lr:g} is too large)"
    if loss[-1] < tol:
        return f"converged: loss {loss[-1]:.4f} after {len(loss) - 1} steps"
    if run.slope[-1] < 1e-3:
        return f"saturated: σ'(z) = {run.slope[-1]:.1e}, so the gradient vanished; stuck at loss {loss[-1]:.4f}"
    drop = 1.0 - loss[-1] / loss[0] if loss[0] > 0 else 0.0
    if drop < 0.1:
        return f"crawling: the loss fell only {drop:.1%} in {len(loss) - 1} steps"
    return f"still learning: loss {loss[0]:.4f} → {loss[-1]:.4f} in {len(loss) - 1} steps"


def _examples(x, y_true):
    x = as_array(x, "x", ndim=(0, 1)).reshape(-1)
    y_true = as_array(y_true, "y_true", ndim=(0, 1)).reshape(-1)
    check_same_shape(x, "x", y_true, "y_true")
    if np.any((y_true < 0) | (y_true > 1)):
        raise ValueError(f"y_true must be in [0, 1], the range of the sigmoid; got values from {y_true.min():g} to {y_true.max():g}")
    return x, y_true
