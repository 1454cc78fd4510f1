"""One sigmoid neuron: every factor of the chain rule, and gradient descent.

The model of notebook 01: ``z = w x + b``, ``y = σ(z)``, ``L = ½ (y − t)²``, so

    ∂L/∂w = ∂L/∂y · ∂y/∂z · ∂z/∂w = (y − t) · σ(z)(1 − σ(z)) · x
    ∂L/∂b = (y − t) · σ(z)(1 − σ(z)) · 1

Over several examples the loss is their mean, and so are the gradients.

Notebook 03 trains the same neuron with binary cross-entropy instead
(``loss="bce"``), where σ' cancels: ``∂L/∂z = y − t``, so
``∂L/∂w = (y − t) x`` and ``∂L/∂b = y − t``.
"""
from typing import NamedTuple

import numpy as np

from .activations import sigmoid, sigmoid_prime
from .losses import binary_cross_entropy_with_logits
from .validation import as_array, as_scalar, check_positive, check_same_shape

LOSSES = {"mse": "½ (y − t)²", "bce": "binary cross-entropy"}
"""The losses the neuron can be trained with, by name, and what each one is."""


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
    return _trace(x, as_scalar(w, "w"), as_scalar(b, "b"), y_true)


def _trace(x, w, b, y_true):
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


class NeuronGradients(NamedTuple):
    """The mean loss, its gradient, and two summaries of the neuron's state.

    ``slope`` is the mean ``σ'(z)``; ``error`` is the mean ``|y − t|``, the
    distance of the prediction from the target whatever the loss.
    """

    loss: float
    dL_dw: float
    dL_db: float
    slope: float
    error: float


def neuron_gradients(x, w, b, y_true, loss="mse"):
    """The mean loss and ``∂L/∂w``, ``∂L/∂b`` of one sigmoid neuron under ``loss``.

    ``loss="mse"`` is notebook 01's ``½ (y − t)²`` through :func:`neuron_trace`,
    with the factor ``σ'(z)`` in every gradient. ``loss="bce"`` is binary
    cross-entropy from :func:`helpers.losses.binary_cross_entropy_with_logits`,
    whose ``∂L/∂z = (y − t) / N`` has no σ' (it cancelled), so
    ``∂L/∂w = mean((y − t) x)`` and ``∂L/∂b = mean(y − t)``.

    Parameters
    ----------
    x, y_true : float or array, shape (N,)
        Inputs and targets in ``[0, 1]``.
    w, b : float
        Weight and bias.
    loss : {"mse", "bce"}

    Returns
    -------
    NeuronGradients

    Examples
    --------
    >>> round(neuron_gradients(1.0, 2.0, 2.0, 0.0, loss="mse").dL_dw, 4)
    0.0173
    >>> round(neuron_gradients(1.0, 2.0, 2.0, 0.0, loss="bce").dL_dw, 4)
    0.982
    """
    x, y_true = _examples(x, y_true)
    return _gradients(x, as_scalar(w, "w"), as_scalar(b, "b"), y_true, _check_loss(loss))


def _gradients(x, w, b, y_true, loss):
    if loss == "mse":
        trace = _trace(x, w, b, y_true)
        return NeuronGradients(trace.loss, trace.dL_dw, trace.dL_db, float(trace.dy_dz.mean()), float(np.abs(trace.dL_dy).mean()))
    z = w * x + b
    value, dz = binary_cross_entropy_with_logits(z, y_true)  # dz = (σ(z) − t) / N: already the mean's share
    slope, error = float(sigmoid_prime(z).mean()), float(np.abs(sigmoid(z) - y_true).mean())
    return NeuronGradients(value, float(np.sum(dz * x)), float(np.sum(dz)), slope, error)


class Descent(NamedTuple):
    """A gradient-descent run: the state before each step and after the last.

    ``slope`` is the mean ``σ'(z)`` over the examples: near 0, the neuron is
    saturated and, under the squared error, its gradient vanishes whatever the
    error. ``error`` is the mean ``|y − t|``, comparable across losses.
    ``loss_name`` says which loss was descended (a key of :data:`LOSSES`).
    """

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    slope: np.ndarray
    error: np.ndarray
    lr: float
    loss_name: str = "mse"


def gradient_descent(x, y_true, w0, b0, lr, steps, loss="mse"):
    """Plain gradient descent on the neuron: ``w ← w − lr ∂L/∂w``, same for ``b``.

    ``loss`` is ``"mse"`` (notebook 01's ``½ (y − t)²``, the default) or
    ``"bce"`` (binary cross-entropy); see :func:`neuron_gradients`. Returns a
    :class:`Descent` whose arrays have ``steps + 1`` entries. With the whole
    data in every step, one step is one epoch.

    Examples
    --------
    >>> run = gradient_descent(1.0, 1.0, w0=0.0, b0=0.0, lr=1.0, steps=2)
    >>> run.loss.round(4).tolist()
    [0.125, 0.0958, 0.0744]
    >>> gradient_descent(1.0, 1.0, w0=0.0, b0=0.0, lr=1.0, steps=2, loss="bce").error.round(4).tolist()
    [0.5, 0.2689, 0.1768]
    """
    x, y_true = _examples(x, y_true)
    w, b = as_scalar(w0, "w0"), as_scalar(b0, "b0")
    lr = check_positive(lr, "lr")
    steps = check_positive(steps, "steps", integer=True)
    loss = _check_loss(loss)
    ws, bs, losses, slopes, errors = (np.empty(steps + 1) for _ in range(5))
    for i in range(steps + 1):
        g = _gradients(x, w, b, y_true, loss)
        ws[i], bs[i], losses[i], slopes[i], errors[i] = w, b, g.loss, g.slope, g.error
        w, b = w - lr * g.dL_dw, b - lr * g.dL_db
    return Descent(ws, bs, losses, slopes, errors, lr, loss)


def epochs_to_reach(run, error):
    """The first epoch at which the run's mean prediction error ``|y − t|`` is at most ``error``.

    Returns ``None`` when the run never gets there. Epoch 0 is the start.

    Examples
    --------
    >>> epochs_to_reach(gradient_descent(1.0, 0.0, 2.0, 2.0, lr=1.0, steps=100, loss="bce"), 0.1)
    7
    """
    error = check_positive(error, "error")
    reached = np.flatnonzero(run.error <= error)
    return int(reached[0]) if reached.size else None


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
    if run.loss_name == "mse" and run.slope[-1] < 1e-3:
        return f"saturated: σ'(z) = {run.slope[-1]:.1e}, so the gradient vanished; stuck at loss {loss[-1]:.4f}"
    drop = 1.0 - loss[-1] / loss[0] if loss[0] > 0 else 0.0
    if drop < 0.1:
        return f"crawling: the loss fell only {drop:.1%} in {len(loss) - 1} steps"
    return f"still learning: loss {loss[0]:.4f} → {loss[-1]:.4f} in {len(loss) - 1} steps"


def _check_loss(loss):
    if not isinstance(loss, str) or loss not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}; got {loss!r}")
    return loss


def _examples(x, y_true):
    x = as_array(x, "x", ndim=(0, 1)).reshape(-1)
    y_true = as_array(y_true, "y_true", ndim=(0, 1)).reshape(-1)
    check_same_shape(x, "x", y_true, "y_true")
    if np.any((y_true < 0) | (y_true > 1)):
        raise ValueError(f"y_true must be in [0, 1], the range of the sigmoid; got values from {y_true.min():g} to {y_true.max():g}")
    return x, y_true
