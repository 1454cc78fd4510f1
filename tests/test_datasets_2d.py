"""The 2-D classification sets of notebook 05 and the seeded split: reproducible, balanced, shaped as promised."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from raises import assert_raises_exactly

from helpers.datasets import moons, spirals, train_test_split, xor

MAKERS = [xor, moons, spirals]
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)


@pytest.mark.parametrize("make", MAKERS, ids=lambda f: f.__name__)
def test_same_seed_same_data_other_seed_other_data(make):
    a, b, c = (make(50, np.random.default_rng(s)) for s in (3, 3, 4))
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


@SETTINGS
@given(n=st.integers(1, 300), noise=st.floats(0.0, 1.0), seed=st.integers(0, 2**32 - 1), which=st.sampled_from(MAKERS))
def test_shapes_labels_and_balance(n, noise, seed, which):
    x, labels = which(n, np.random.default_rng(seed), noise=noise)
    assert x.shape == (n, 2) and x.dtype == np.float64 and np.isfinite(x).all()
    assert labels.shape == (n,) and labels.dtype == np.int64 and set(np.unique(labels)) <= {0, 1}
    counts = np.bincount(labels, minlength=2)
    assert abs(int(counts[0]) - int(counts[1])) <= 1


def test_xor_labels_are_the_xor_of_the_signs_and_noise_sets_the_spread():
    x, labels = xor(4000, np.random.default_rng(0), noise=0.0)
    assert {tuple(p) for p in x} == {(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)}
    assert np.array_equal(labels, (np.sign(x[:, 0]) != np.sign(x[:, 1])).astype(int))
    noisy, same = xor(4000, np.random.default_rng(0), noise=0.2)
    assert np.array_equal(same, labels)
    assert np.std(noisy - np.sign(noisy)) == pytest.approx(0.2, rel=0.1)


def test_noise_free_moons_and_spirals_lie_on_their_curves():
    x, labels = moons(500, np.random.default_rng(0), noise=0.0)
    upper, lower = x[labels == 0], x[labels == 1]
    np.testing.assert_allclose(np.linalg.norm(upper, axis=1), 1.0)
    np.testing.assert_allclose(np.linalg.norm(lower - [1.0, 0.5], axis=1), 1.0)
    assert upper[:, 1].min() >= 0 and lower[:, 1].max() <= 0.5
    x, labels = spirals(500, np.random.default_rng(0), noise=0.0, turns=1.5)
    r = np.linalg.norm(x, axis=1)
    assert r.max() <= 1.0 + 1e-12
    angle = np.arctan2(x[:, 1], x[:, 0]) - (2 * np.pi * 1.5 * r + np.pi * labels)
    np.testing.assert_allclose(np.cos(angle), 1.0, atol=1e-9)  # on its arm: the angle is right modulo 2π


@SETTINGS
@given(n=st.integers(2, 200), fraction=st.floats(0.01, 0.99), seed=st.integers(0, 2**32 - 1))
def test_split_is_a_seeded_partition(n, fraction, seed):
    x, labels = np.arange(2 * n, dtype=float).reshape(n, 2), np.arange(n)
    x_tr, y_tr, x_te, y_te = train_test_split(x, labels, np.random.default_rng(seed), test_fraction=fraction)
    assert len(y_te) >= 1 and len(y_tr) >= 1 and len(y_te) + len(y_tr) == n
    assert sorted(np.concatenate([y_tr, y_te]).tolist()) == list(range(n))
    assert np.array_equal(x_tr[:, 0], 2 * y_tr) and np.array_equal(x_te[:, 0], 2 * y_te)  # rows stay with their labels
    again = train_test_split(x, labels, np.random.default_rng(seed), test_fraction=fraction)
    assert np.array_equal(again[3], y_te)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: xor(0, np.random.default_rng(0)), ValueError, r"n must be positive; got 0"),
        (lambda: moons(2.5, np.random.default_rng(0)), TypeError, r"n must be a positive integer; got float"),
        (lambda: spirals(10, 0), TypeError, r"rng must be a numpy\.random\.Generator, e\.g\. np\.random\.default_rng\(0\); got int"),
        (lambda: moons(10, np.random.default_rng(0), noise=-0.1), ValueError, r"noise must be zero or positive; got -0\.1"),
        (lambda: spirals(10, np.random.default_rng(0), turns=0), ValueError, r"turns must be positive; got 0\.0"),
        (lambda: train_test_split(np.zeros((4, 2)), np.zeros(3), np.random.default_rng(0)), ValueError, r"labels must have shape \(4,\), one per row of x; got \(3,\)"),
        (lambda: train_test_split(np.zeros((4, 2)), np.zeros(4), np.random.default_rng(0), test_fraction=1.0), ValueError, r"test_fraction must be between 0 and 1; got 1\.0"),
        (lambda: train_test_split(np.zeros((1, 2)), np.zeros(1), np.random.default_rng(0)), ValueError, r"x must hold at least two examples along its first axis; got shape \(1, 2\)"),
        (lambda: train_test_split(np.zeros((4, 2)), np.zeros(4), 1), TypeError, r"rng must be a numpy\.random\.Generator, e\.g\. np\.random\.default_rng\(0\); got int"),
    ],
)
def test_bad_arguments_are_named(call, error, message):
    assert_raises_exactly(call, error, message)
