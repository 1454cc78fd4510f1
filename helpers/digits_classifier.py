"""Notebook 05's digits classifier (64 → 64 ReLU → 10), trained the same way, for the explanations of notebook 09.

The loop is notebook 05's: He-initialised ``Sequential``, Adam(0.003), shuffled
mini-batches of 32, softmax cross-entropy on the logits. :func:`digits_classifier`
caches the trained model by its arguments, so an explorer can reuse the network the
notebook trained instead of training it again.
"""
import functools
from typing import NamedTuple

import numpy as np

from .datasets import load_digits, train_test_split
from .losses import softmax_cross_entropy_with_logits
from .network import Dense, Sequential
from .optimizers import Adam


class TrainedDigits(NamedTuple):
    """A trained classifier's params, its hidden activation, its held-out test set and test accuracy."""

    params: dict
    activation: str
    x_test: np.ndarray
    y_test: np.ndarray
    test_accuracy: float


def _softmax_loss(logits, onehot):
    return softmax_cross_entropy_with_logits(logits, onehot.argmax(axis=1))


def train_digits_classifier(rng, epochs=15, hidden=64):
    """Train notebook 05's classifier on three quarters of the digits; returns a :class:`TrainedDigits`."""
    digits = load_digits()
    x = digits.images.reshape(len(digits.images), 64) / 16
    x_train, y_train, x_test, y_test = train_test_split(x, digits.labels, rng, test_fraction=0.25)
    onehot = np.eye(10)[y_train]
    model = Sequential([Dense(hidden, "relu"), Dense(10)], input_dim=64, rng=rng, scale="he")
    optimizer = Adam(0.003)
    for _ in range(epochs):
        order = rng.permutation(len(x_train))
        for batch in np.array_split(order, len(order) // 32):
            model.train_step(x_train[batch], onehot[batch], _softmax_loss, optimizer)
    accuracy = float(np.mean(model(x_test).argmax(axis=1) == y_test))
    return TrainedDigits(model.params, "relu", x_test, y_test, accuracy)


@functools.lru_cache(maxsize=2)
def digits_classifier(seed=0, epochs=15):
    """:func:`train_digits_classifier` with ``np.random.default_rng(seed)``, trained once per ``(seed, epochs)``."""
    return train_digits_classifier(np.random.default_rng(seed), epochs)
