"""Saturation and dead units: where an activation stops passing the gradient back.

Backprop multiplies the upstream gradient by the activation's local derivative
``f'(z)``. Where ``f'(z)`` is nearly 0 the unit is *saturated* (the flat tails of
sigmoid and tanh, the negative side of ReLU) and almost nothing flows back. A
ReLU unit whose input is negative for every example of the data is *dead*: it
outputs 0, its gradient is 0 for every example, so no update can revive it.
"""
import numpy as np

from .activations import ACTIVATIONS
from .validation import as_array, check_positive

THRESHOLD = 0.01
"""The local derivative below which a unit counts as saturated: it passes back under 1/100."""


def local_derivative(name, z, **kwargs):
    """The activation's local derivative ``f'(z)``, elementwise: its backward pass with upstream 1.

    Parameters
    ----------
    name : str
        A key of :data:`helpers.activations.ACTIVATIONS`.
    z : array, any shape
        Pre-activations.
    **kwargs
        Passed to the forward function, e.g. ``slope`` for ``"leaky_relu"``.

    Returns
    -------
    array shaped like ``z``.

    Examples
    --------
    >>> local_derivative("tanh", np.array([0.0, 3.0])).round(4).tolist()
    [1.0, 0.0099]
    >>> local_derivative("leaky_relu", np.array([-2.0, 2.0]), slope=0.1).tolist()
    [0.1, 1.0]
    """
    forward, backward = _pair(name)
    _, cache = forward(z, **kwargs)
    return backward(np.ones_like(cache.z), cache)


def saturated_share(name, z, threshold=THRESHOLD, **kwargs):
    """The share of the inputs ``z`` at which ``f'(z) < threshold``: how much of the gradient is blocked.

    For sigmoid and tanh these are the flat tails, for ReLU the whole negative
    side (its derivative there is exactly 0).

    Examples
    --------
    >>> saturated_share("sigmoid", np.array([-10.0, -1.0, 0.0, 1.0, 10.0]))
    0.4
    >>> saturated_share("relu", np.array([-1.0, 0.5]))
    0.5
    """
    threshold = check_positive(threshold, "threshold")
    return float(np.mean(local_derivative(name, z, **kwargs) < threshold))


def dead_unit_share(a):
    """The share of units that output 0 for every example: dead ReLUs.

    Parameters
    ----------
    a : array, shape (N, D)
        Activations of ``D`` units for a batch of ``N`` examples.

    Examples
    --------
    >>> dead_unit_share(np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 2.0]]))
    0.3333333333333333
    """
    a = as_array(a, "a", ndim=2)
    return float(np.mean(np.all(a == 0.0, axis=0)))


def _pair(name):
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"name must be one of {sorted(ACTIVATIONS)}; got {name!r}")
    return ACTIVATIONS[name]
