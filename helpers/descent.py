"""Running an optimizer: trajectories on a surface, steps to a threshold, a learning-rate sweep, mini-batches.

The update rules live in :mod:`helpers.optimizers`; everything here only calls
their ``step(params, grads)``, on ``params = {"p": point}`` for a surface of
:mod:`helpers.surfaces`, or ``{"wb": [w, b]}`` for notebook 01's neuron.
"""
from typing import NamedTuple

import numpy as np

from .neuron import neuron_gradients, neuron_loss_surface
from .optimizers import SGD, Optimizer
from .surfaces import check_surface
from .validation import as_array, check_positive, check_rng

BLOWUP = 1e6
"""A run has diverged once its loss exceeds ``BLOWUP × max(first loss, 1)`` (or is not finite)."""


class Trajectory(NamedTuple):
    """An optimizer's path on a surface, cut at divergence.

    ``points[k]`` and ``losses[k]`` are the point and loss after ``k`` steps
    (``k = 0`` is the start). ``diverged_at`` is the step whose loss blew up
    (not finite, or above :data:`BLOWUP` times the start): that point and all
    later ones are left out, so nothing non-finite is ever drawn. ``None``
    when the run did not diverge.
    """

    points: np.ndarray
    losses: np.ndarray
    diverged_at: int | None
    label: str


def run_optimizer(surface, optimizer, start, steps, label=None):
    """Run ``optimizer`` on ``surface`` from ``start`` for ``steps`` steps; returns a :class:`Trajectory`.

    Parameters
    ----------
    surface : Surface or name ("bowl", "rosenbrock")
    optimizer : a new optimizer from ``helpers.optimizers`` (no steps taken yet)
    start : (x, y)
    steps : int
    label : str, optional
        For legends; the optimizer's class name by default.

    Examples
    --------
    >>> from helpers.optimizers import SGD
    >>> run = run_optimizer("bowl", SGD(lr=0.01), start=(1.0, 0.0), steps=2)
    >>> run.points[:, 0].tolist()  # x shrinks by 1 − lr λ₁ = 0.99 a step
    [1.0, 0.99, 0.9801]
    """
    surface = check_surface(surface)
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an optimizer from helpers.optimizers, e.g. SGD(lr=0.01); got {type(optimizer).__name__}")
    if optimizer.state:
        raise ValueError("optimizer has already taken steps: pass a new one, so every run starts from rest")
    start = as_array(start, "start", shape=(2,))
    steps = check_positive(steps, "steps", integer=True)
    params = {"p": start.copy()}
    points, losses = np.empty((steps + 1, 2)), np.empty(steps + 1)
    diverged_at = None
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run overflows; we stop it and say so
        value, grad = surface.f(params["p"])
        if not np.isfinite(value):
            raise ValueError(f"start must be where the loss is finite; at {tuple(start.tolist())} it overflows")
        limit = BLOWUP * max(float(value), 1.0)
        for k in range(steps + 1):
            if not value <= limit:  # also catches NaN
                diverged_at = k
                break
            points[k], losses[k] = params["p"], value
            if k == steps:
                break
            optimizer.step(params, {"p": grad})
            value, grad = surface.f(params["p"])
            if not np.all(np.isfinite(grad)):
                value = np.inf
    n = steps + 1 if diverged_at is None else diverged_at
    return Trajectory(points[:n], losses[:n], diverged_at, label or type(optimizer).__name__)


def steps_to_threshold(run, threshold):
    """The first step at which ``run``'s loss is at most ``threshold``, or ``None`` if it never is.

    Examples
    --------
    >>> from helpers.optimizers import SGD
    >>> steps_to_threshold(run_optimizer("bowl", SGD(lr=0.01), (1.0, 0.0), 100), 0.25)
    35
    """
    threshold = check_positive(threshold, "threshold")
    if not isinstance(run, Trajectory):
        raise TypeError(f"run must be a Trajectory from run_optimizer; got {type(run).__name__}")
    reached = np.flatnonzero(run.losses <= threshold)
    return int(reached[0]) if reached.size else None


class Sweep(NamedTuple):
    """Steps to the threshold for each learning rate of a grid (``None``: not reached; and why)."""

    lrs: np.ndarray
    steps: list
    diverged: list
    best_lr: float | None
    best_steps: int | None


def lr_sweep(surface, make_optimizer, lrs, start, steps, threshold):
    """Run ``make_optimizer(lr)`` for each ``lr`` of a grid; the best is the fastest to ``threshold``.

    A learning rate whose run diverges, or does not reach ``threshold`` within
    ``steps``, cannot be the best. Ties go to the smaller rate.

    Examples
    --------
    >>> from helpers.optimizers import SGD
    >>> sweep = lr_sweep("bowl", SGD, [0.001, 0.01, 0.03], (1.0, 1.0), 500, 1e-3)
    >>> sweep.best_lr, sweep.diverged
    (0.01, [False, False, True])
    """
    if not callable(make_optimizer):
        raise TypeError(f"make_optimizer must be a function lr -> optimizer, e.g. SGD; got {type(make_optimizer).__name__}")
    lrs = np.sort(as_array(lrs, "lrs", ndim=1))
    if np.any(lrs <= 0):
        raise ValueError(f"lrs must be positive; got {lrs.min():g}")
    needed, diverged = [], []
    for lr in lrs:
        run = run_optimizer(surface, make_optimizer(float(lr)), start, steps)
        needed.append(steps_to_threshold(run, threshold))
        diverged.append(run.diverged_at is not None)
    reached = [i for i, n in enumerate(needed) if n is not None]
    best = min(reached, key=lambda i: needed[i]) if reached else None
    return Sweep(lrs, needed, diverged, None if best is None else float(lrs[best]), None if best is None else needed[best])


class MiniBatchRun(NamedTuple):
    """Mini-batch descent on the neuron: the full-data loss after every step, and what each step cost.

    ``loss[k]`` is the loss on *all* the examples after ``k`` steps;
    ``examples[k]`` is how many examples' gradients were computed by then.
    """

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    examples: np.ndarray
    batch_size: int


def minibatch_descent(x, y_true, batch_size, lr, epochs, rng, w0=0.0, b0=0.0):
    """Gradient descent on notebook 01's neuron, each step on a batch of ``batch_size`` examples.

    Each epoch shuffles the examples with ``rng`` and walks through them in
    batches; each step uses the mean gradient of its batch
    (``helpers.neuron.neuron_gradients``) and ``helpers.optimizers.SGD``.
    ``batch_size = N`` is batch gradient descent, ``1`` is stochastic gradient
    descent, anything between is mini-batch descent.

    Examples
    --------
    >>> from helpers.datasets import neuron_data
    >>> x, t = neuron_data(8, np.random.default_rng(0))
    >>> run = minibatch_descent(x, t, 4, lr=1.0, epochs=3, rng=np.random.default_rng(1))
    >>> run.loss.shape, run.examples[-1]  # 2 steps an epoch, 8 examples an epoch
    ((7,), np.int64(24))
    """
    x = as_array(x, "x", ndim=1)
    y_true = as_array(y_true, "y_true", shape=(x.size,))
    batch_size = check_positive(batch_size, "batch_size", integer=True)
    if batch_size > x.size:
        raise ValueError(f"batch_size must be at most the number of examples, {x.size}; got {batch_size}")
    epochs = check_positive(epochs, "epochs", integer=True)
    rng = check_rng(rng)
    optimizer = SGD(lr)
    params = {"wb": np.array([w0, b0], dtype=float)}
    history = [params["wb"].copy()]
    for _ in range(epochs):
        order = rng.permutation(x.size)
        for start in range(0, x.size, batch_size):
            batch = order[start : start + batch_size]
            g = neuron_gradients(x[batch], *params["wb"], y_true[batch])
            optimizer.step(params, {"wb": np.array([g.dL_dw, g.dL_db])})
            history.append(params["wb"].copy())
    history = np.array(history)
    losses = neuron_loss_surface(x, y_true, history[:, 0], history[:, 1])
    sizes = [0] + [min(batch_size, x.size - s) for _ in range(epochs) for s in range(0, x.size, batch_size)]
    return MiniBatchRun(history[:, 0], history[:, 1], losses, np.cumsum(sizes), batch_size)
