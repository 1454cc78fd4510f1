"""Seeded data: reproducible from the rng alone, with the promised shapes and ranges."""
import numpy as np
import pytest
from raises import assert_raises_exactly

from helpers.activations import sigmoid
from helpers.datasets import WORKED_EXAMPLE, load_digits, neuron_data, regression_1d


@pytest.mark.parametrize("make", [neuron_data, regression_1d])
def test_same_seed_same_data_other_seed_other_data(make):
    a, b, c = (make(30, np.random.default_rng(s)) for s in (7, 7, 8))
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert not np.array_equal(a[0], c[0])


def test_neuron_data_follows_its_neuron():
    x, t = neuron_data(2000, np.random.default_rng(0), w=2.0, b=-1.0, noise=0.0)
    assert x.shape == t.shape == (2000,) and x.min() >= -3 and x.max() <= 3
    np.testing.assert_allclose(t, sigmoid(2.0 * x - 1.0))
    _, noisy = neuron_data(2000, np.random.default_rng(0), noise=0.3)
    assert noisy.min() >= 0 and noisy.max() <= 1


def test_regression_1d_shapes_and_noise_level():
    x, y = regression_1d(5000, np.random.default_rng(0), noise=0.1)
    assert x.shape == y.shape == (5000, 1)
    residual = y - (np.sin(np.pi * x) / 2 + x / 2)
    assert residual.std() == pytest.approx(0.1, rel=0.05)


def test_worked_example_is_the_notebook_s():
    assert WORKED_EXAMPLE.w * WORKED_EXAMPLE.x + WORKED_EXAMPLE.b == pytest.approx(1.4)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: neuron_data(0, np.random.default_rng(0)), ValueError, r"n must be positive; got 0"),
        (lambda: neuron_data(3, 0), TypeError, r"rng must be a numpy\.random\.Generator, e\.g\. np\.random\.default_rng\(0\); got int"),
        (lambda: regression_1d(3, np.random.default_rng(0), noise=-1), ValueError, r"noise must be zero or positive; got -1\.0"),
        (lambda: regression_1d(2.5, np.random.default_rng(0)), TypeError, r"n must be a positive integer; got float"),
    ],
)
def test_bad_arguments_are_named(call, error, message):
    assert_raises_exactly(call, error, message)


def test_the_shipped_digits_are_complete_and_balanced():
    digits = load_digits()
    assert digits.images.shape == (1797, 8, 8) and digits.labels.shape == (1797,)
    assert digits.images.min() == 0 and digits.images.max() == 16
    assert np.array_equal(np.bincount(digits.labels), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    zero = digits.images[digits.labels == 0].mean(axis=0)
    assert zero[3:5, 3:5].mean() < zero[3:5, 1:3].mean()  # a zero is hollow in the middle
