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


def xor(n, rng, *, noise=0.1):
    """``n`` points around the four corners ``(±1, ±1)``, labelled by XOR of their signs.

    The corners take turns, so each gets ``n // 4`` points or one more; each point
    is its corner plus Gaussian noise of standard deviation ``noise``. The label
    is 1 where the corner's two signs differ, 0 where they agree: no straight
    line separates the two classes. Returns ``(x, labels)`` with shapes
    ``(n, 2)`` and ``(n,)`` (int64).

    Examples
    --------
    >>> x, labels = xor(4, np.random.default_rng(0), noise=0.0)
    >>> x.tolist(), labels.tolist()
    ([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    n, rng, noise = _check_2d(n, rng, noise)
    corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    which = np.arange(n) % 4
    x = corners[which] + noise * rng.normal(size=(n, 2))
    return x, np.array([0, 1, 1, 0], dtype=np.int64)[which]


def moons(n, rng, *, noise=0.1):
    """Two interleaving half circles ("moons"), ``n`` points, with Gaussian ``noise``.

    Class 0 lies on the upper arc ``(cos θ, sin θ)``, class 1 on the lower arc
    ``(1 − cos θ, ½ − sin θ)``, ``θ`` uniform on ``[0, π]``; the classes take turns
    (``n // 2`` points each, class 0 one more when ``n`` is odd). Returns
    ``(x, labels)`` with shapes ``(n, 2)`` and ``(n,)`` (int64).

    Examples
    --------
    >>> x, labels = moons(6, np.random.default_rng(0))
    >>> x.shape, labels.tolist()
    ((6, 2), [0, 1, 0, 1, 0, 1])
    """
    n, rng, noise = _check_2d(n, rng, noise)
    labels = np.arange(n, dtype=np.int64) % 2
    theta = rng.uniform(0.0, np.pi, size=n)
    upper = np.stack([np.cos(theta), np.sin(theta)], axis=1)
    lower = np.stack([1.0 - np.cos(theta), 0.5 - np.sin(theta)], axis=1)
    x = np.where(labels[:, None] == 0, upper, lower) + noise * rng.normal(size=(n, 2))
    return x, labels


def spirals(n, rng, *, noise=0.1, turns=1.5):
    """Two interleaved spiral arms, ``n`` points, with Gaussian ``noise``.

    Arm ``k`` (its label, 0 or 1) is ``r (cos(θ + kπ), sin(θ + kπ))`` with
    ``r = θ / (2π turns)`` growing from 0 to 1 as ``θ`` runs over ``turns`` full
    turns; the arms take turns as in :func:`moons`. Returns ``(x, labels)`` with
    shapes ``(n, 2)`` and ``(n,)`` (int64).

    Examples
    --------
    >>> x, labels = spirals(4, np.random.default_rng(0), noise=0.0)
    >>> bool(np.all(np.linalg.norm(x, axis=1) <= 1.0)), labels.tolist()
    (True, [0, 1, 0, 1])
    """
    n, rng, noise = _check_2d(n, rng, noise)
    turns = check_positive(turns, "turns")
    labels = np.arange(n, dtype=np.int64) % 2
    r = np.sqrt(rng.uniform(0.02, 1.0, size=n))  # sqrt: as many points far out as near the centre
    theta = 2 * np.pi * turns * r + np.pi * labels
    x = r[:, None] * np.stack([np.cos(theta), np.sin(theta)], axis=1) + noise * rng.normal(size=(n, 2))
    return x, labels


def train_test_split(x, labels, rng, *, test_fraction=0.25):
    """Shuffle ``(x, labels)`` with ``rng`` and split off a test set; returns ``(x_train, y_train, x_test, y_test)``.

    ``x`` has shape ``(N, …)``, ``labels`` shape ``(N,)``; the test set holds
    ``round(test_fraction · N)`` examples (at least one, and at least one is left
    for training).

    Examples
    --------
    >>> x_tr, y_tr, x_te, y_te = train_test_split(np.arange(8.0).reshape(4, 2), np.arange(4), np.random.default_rng(0))
    >>> x_tr.shape, y_tr.shape, x_te.shape, y_te.shape
    ((3, 2), (3,), (1, 2), (1,))
    """
    rng = check_rng(rng)
    x = np.asarray(x)
    labels = np.asarray(labels)
    if x.ndim < 1 or len(x) < 2:
        raise ValueError(f"x must hold at least two examples along its first axis; got shape {x.shape}")
    if labels.shape != (len(x),):
        raise ValueError(f"labels must have shape ({len(x)},), one per row of x; got {labels.shape}")
    fraction = as_scalar(test_fraction, "test_fraction")
    if not 0 < fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1; got {fraction}")
    n_test = min(max(1, round(fraction * len(x))), len(x) - 1)
    order = rng.permutation(len(x))
    test, train = order[:n_test], order[n_test:]
    return x[train], labels[train], x[test], labels[test]


def _check_2d(n, rng, noise):
    return check_positive(n, "n", integer=True), check_rng(rng), _non_negative(noise, "noise")


def _non_negative(value, name):
    value = as_scalar(value, name)
    if value < 0:
        raise ValueError(f"{name} must be zero or positive; got {value}")
    return value
