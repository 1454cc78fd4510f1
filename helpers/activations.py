"""Activation functions as forward/backward pairs.

Each ``*_forward(z)`` returns the activation ``a`` and a cache; each
``*_backward(da, cache)`` returns ``dz = da * f'(z)``, the gradient of the loss
with respect to the activation's input. Inputs of any shape are accepted.
"""
from typing import NamedTuple

import numpy as np

from .validation import as_array, as_scalar, check_same_shape


class ActivationCache(NamedTuple):
    """What an activation's backward pass needs: its input and its output."""

    z: np.ndarray
    a: np.ndarray


class LeakyReluCache(NamedTuple):
    """Input, output and negative-side slope of a leaky ReLU."""

    z: np.ndarray
    a: np.ndarray
    slope: float


def sigmoid(z):
    """The logistic function ``σ(z) = 1 / (1 + e^{-z})``, without overflow.

    For ``z < 0`` it uses the equal form ``e^z / (1 + e^z)``, so ``e`` is only
    ever raised to a non-positive power.

    Examples
    --------
    >>> float(sigmoid(0.0))
    0.5
    >>> sigmoid(np.array([-1e4, 1e4])).tolist()
    [0.0, 1.0]
    """
    z = as_array(z, "z", allow_empty=True)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z):
    """The derivative ``σ'(z) = σ(z) (1 − σ(z))``, at most 1/4 (at ``z = 0``).

    Examples
    --------
    >>> float(sigmoid_prime(0.0))
    0.25
    """
    e = np.exp(-np.abs(as_array(z, "z", allow_empty=True)))
    return e / (1.0 + e) ** 2  # equal to σ(1 − σ), but keeps its digits far from 0: σ'(60) ≈ 8.8e-27, not 0


def sigmoid_forward(z):
    """Sigmoid forward: ``a = σ(z)``; returns ``(a, cache)``."""
    z = as_array(z, "z")
    return _forward(z, sigmoid(z))


def sigmoid_backward(da, cache):
    """Sigmoid backward: ``dz = da · a (1 − a)``."""
    return _upstream(da, cache) * cache.a * (1.0 - cache.a)


def tanh_forward(z):
    """Tanh forward: ``a = tanh(z)``; returns ``(a, cache)``."""
    z = as_array(z, "z")
    return _forward(z, np.tanh(z))


def tanh_backward(da, cache):
    """Tanh backward: ``dz = da · (1 − a²)``."""
    return _upstream(da, cache) * (1.0 - cache.a**2)


def relu_forward(z):
    """ReLU forward: ``a = max(z, 0)``; returns ``(a, cache)``."""
    z = as_array(z, "z")
    return _forward(z, np.maximum(z, 0.0))


def relu_backward(da, cache):
    """ReLU backward: ``dz = da`` where ``z > 0`` and 0 elsewhere (0 at the kink)."""
    return _upstream(da, cache) * (cache.z > 0)


def leaky_relu_forward(z, slope=0.01):
    """Leaky ReLU forward: ``a = z`` for ``z > 0``, ``slope · z`` otherwise.

    Returns ``(a, cache)``. ``slope`` is the gradient on the negative side,
    a number in ``[0, 1)``.
    """
    z = as_array(z, "z")
    slope = as_scalar(slope, "slope")
    if not 0.0 <= slope < 1.0:
        raise ValueError(f"slope must be in [0, 1); got {slope}")
    a = np.where(z > 0, z, slope * z)
    return a, LeakyReluCache(z, a, slope)


def leaky_relu_backward(da, cache):
    """Leaky ReLU backward: ``dz = da`` where ``z > 0``, ``slope · da`` elsewhere."""
    return _upstream(da, cache) * np.where(cache.z > 0, 1.0, cache.slope)


ACTIVATIONS = {
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
    "relu": (relu_forward, relu_backward),
    "leaky_relu": (leaky_relu_forward, leaky_relu_backward),
}
"""Every activation by name, as its ``(forward, backward)`` pair."""


def _forward(z, a):
    return a, ActivationCache(z, a)


def _upstream(da, cache):
    da = as_array(da, "da", allow_empty=True)
    check_same_shape(cache.z, "the forward input z", da, "da")
    return da
