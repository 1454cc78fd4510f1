"""Seeded datasets, generated on the spot so nothing is ever downloaded.

Every generator takes an explicit ``rng`` (``np.random.default_rng(seed)``):
the same seed gives the same data.
"""
from importlib import resources
from typing import NamedTuple

import numpy as np

from .activations import sigmoid
from .validation import as_scalar, check_positive, check_rng


class WorkedExample(NamedTuple):
    """The single-neuron example worked through by hand in notebook 01."""

    x: float
    w: float
    b: float
    y_true: float


WORKED_EXAMPLE = WorkedExample(x=1.5, w=0.8, b=0.2, y_true=0.3)
"""``z = 0.8 · 1.5 + 0.2 = 1.4``, ``y = σ(1.4) ≈ 0.8022``, target 0.3."""


def neuron_data(n, rng, *, w=2.0, b=-1.0, noise=0.05):
    """``n`` examples a single sigmoid neuron can fit: ``t = σ(w x + b) + noise``.

    ``x`` is uniform on ``[−3, 3]``; targets are clipped to ``[0, 1]``.
    Returns ``(x, y_true)``, each of shape ``(n,)``.

    Examples
    --------
    >>> x, t = neuron_data(4, np.random.default_rng(0))
    >>> x.shape, bool(((t >= 0) & (t <= 1)).all())
    ((4,), True)
    """
    n = check_positive(n, "n", integer=True)
    rng = check_rng(rng)
    w, b = as_scalar(w, "w"), as_scalar(b, "b")
    noise = _non_negative(noise, "noise")
    x = rng.uniform(-3.0, 3.0, size=n)
    t = sigmoid(w * x + b) + noise * rng.normal(size=n)
    return x, np.clip(t, 0.0, 1.0)


def regression_1d(n, rng, *, noise=0.1):
    """``n`` noisy samples of a smooth curve for 1-D regression.

    ``x`` is uniform on ``[−1, 1]`` and ``y = sin(π x) / 2 + x / 2 + noise``.
    Returns ``(x, y)`` with shapes ``(n, 1)``, batch-first for the dense layer.

    Examples
    --------
    >>> x, y = regression_1d(5, np.random.default_rng(0))
    >>> x.shape, y.shape
    ((5, 1), (5, 1))
    """
    n = check_positive(n, "n", integer=True)
    rng = check_rng(rng)
    noise = _non_negative(noise, "noise")
    x = rng.uniform(-1.0, 1.0, size=(n, 1))
    y = np.sin(np.pi * x) / 2 + x / 2 + noise * rng.normal(size=(n, 1))
    return x, y


class Digits(NamedTuple):
    """The 8×8 handwritten digits: ``images`` (N, 8, 8) with values 0–16, and ``labels`` (N,)."""

    images: np.ndarray
    labels: np.ndarray


def load_digits():
    """The 1,797 handwritten digits shipped with the course (UCI, CC BY 4.0).

    Returns a :class:`Digits` with ``images`` as float64 of shape (1797, 8, 8),
    pixel counts 0–16, and ``labels`` as int64 of shape (1797,). The file and its
    attribution are in ``helpers/data/``; nothing is downloaded.

    Examples
    --------
    >>> digits = load_digits()
    >>> digits.images.shape, digits.labels.shape, int(digits.images.max())
    ((1797, 8, 8), (1797,), 16)
    """
    with resources.files("helpers").joinpath("data/digits.npz").open("rb") as f, np.load(f) as data:
        return Digits(data["images"].astype(np.float64), data["labels"].astype(np.int64))


def _non_negative(value, name):
    value = as_scalar(value, name)
    if value < 0:
        raise ValueError(f"{name} must be zero or positive; got {value}")
    return value
