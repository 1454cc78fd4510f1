"""Activation functions as forward/backward pairs.

Each ``*_forward(z)`` returns the activation ``a`` and a cache; each
``*_backward(da, cache)`` returns ``dz = da * f'(z)``, the gradient of the loss
with respect to the activation's input. Inputs of any shape are accepted.

The pairs check their arguments, then run an unchecked *kernel* from
:data:`KERNELS` that writes into a given array in the input's own dtype. A
network that checks its inputs once (``helpers.network``) calls the kernels
directly, so each formula is written exactly once.
"""
from typing import NamedTuple

import numpy as np

from .validation import as_array, as_scalar, check_cache, check_same_shape

LEAKY_SLOPE = 0.01
"""The leaky ReLU's default negative-side slope (also what ``Sequential``'s ``"leaky_relu"`` layers use)."""


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
    return _sigmoid(z, np.empty_like(z)).a


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
    return _checked_forward(_sigmoid, z)


def sigmoid_backward(da, cache):
    """Sigmoid backward: ``dz = da · a (1 − a)``."""
    return _checked_backward(_sigmoid_backward, da, cache, "sigmoid_forward")


def tanh_forward(z):
    """Tanh forward: ``a = tanh(z)``; returns ``(a, cache)``."""
    return _checked_forward(_tanh, z)


def tanh_backward(da, cache):
    """Tanh backward: ``dz = da · (1 − a²)``."""
    return _checked_backward(_tanh_backward, da, cache, "tanh_forward")


def relu_forward(z):
    """ReLU forward: ``a = max(z, 0)``; returns ``(a, cache)``."""
    return _checked_forward(_relu, z)


def relu_backward(da, cache):
    """ReLU backward: ``dz = da`` where ``z > 0`` and 0 elsewhere (0 at the kink)."""
    return _checked_backward(_relu_backward, da, cache, "relu_forward")


def leaky_relu_forward(z, slope=LEAKY_SLOPE):
    """Leaky ReLU forward: ``a = z`` for ``z > 0``, ``slope · z`` otherwise.

    Returns ``(a, cache)``. ``slope`` is the gradient on the negative side,
    a number in ``[0, 1)``.
    """
    slope = as_scalar(slope, "slope")
    if not 0.0 <= slope < 1.0:
        raise ValueError(f"slope must be in [0, 1); got {slope}")
    return _checked_forward(_leaky_relu, z, slope)


def leaky_relu_backward(da, cache):
    """Leaky ReLU backward: ``dz = da`` where ``z > 0``, ``slope · da`` elsewhere."""
    return _checked_backward(_leaky_relu_backward, da, cache, "leaky_relu_forward", LeakyReluCache)


ACTIVATIONS = {
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
    "relu": (relu_forward, relu_backward),
    "leaky_relu": (leaky_relu_forward, leaky_relu_backward),
}
"""Every activation by name, as its checked ``(forward, backward)`` pair."""


# The kernels: unchecked, in the arrays' own dtype, writing into ``a`` (forward) or ``dz``
# (backward), which may be reused buffers. Only ever called on checked arguments.


def _sigmoid(z, a):
    np.abs(z, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)  # e = exp(−|z|) ≤ 1: no overflow
    np.divide(np.where(z >= 0, 1.0, a), 1.0 + a, out=a)  # 1 / (1 + e) for z ≥ 0, e / (1 + e) below
    return ActivationCache(z, a)


def _sigmoid_backward(da, cache, dz):
    np.multiply(da, cache.a, out=dz)
    dz *= 1.0 - cache.a
    return dz


def _tanh(z, a):
    return ActivationCache(z, np.tanh(z, out=a))


def _tanh_backward(da, cache, dz):
    np.square(cache.a, out=dz)
    np.subtract(1.0, dz, out=dz)
    dz *= da
    return dz


def _relu(z, a):
    return ActivationCache(z, np.maximum(z, 0.0, out=a))


def _relu_backward(da, cache, dz):
    # a > 0 exactly where z > 0, and a is the array the layer above has just read.
    return np.multiply(da, cache.a > 0, out=dz)


def _leaky_relu(z, a, slope=LEAKY_SLOPE):
    np.multiply(z, slope, out=a)
    np.copyto(a, z, where=z > 0)
    return LeakyReluCache(z, a, slope)


def _leaky_relu_backward(da, cache, dz):
    return np.multiply(da, np.where(cache.z > 0, 1.0, cache.slope), out=dz)


KERNELS = {
    "sigmoid": (_sigmoid, _sigmoid_backward),
    "tanh": (_tanh, _tanh_backward),
    "relu": (_relu, _relu_backward),
    "leaky_relu": (_leaky_relu, _leaky_relu_backward),
}
"""Activation name → unchecked ``(forward(z, a) -> cache, backward(da, cache, dz) -> dz)``."""


def _checked_forward(kernel, z, *args):
    z = as_array(z, "z")
    cache = kernel(z, np.empty_like(z), *args)
    return cache.a, cache


def _checked_backward(kernel, da, cache, forward, cache_type=ActivationCache):
    check_cache(cache, cache_type, forward)
    da = as_array(da, "da", allow_empty=True)
    check_same_shape(cache.z, "the forward input z", da, "da")
    return kernel(da, cache, np.empty_like(da))
