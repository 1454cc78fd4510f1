"""Attributions: the input gradient matches central differences; integrated gradients are complete; the sanity check."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from helpers.attribution import (
    METHODS, class_score_gradient, gradient_times_input, integrated_gradients, randomized_like, rank_correlation, saliency,
)
from helpers.gradcheck import numerical_gradient
from helpers.network import init_mlp, mlp_forward

FAST = settings(max_examples=25, deadline=None, derandomize=True, database=None)


@FAST
@given(sizes=st.lists(st.integers(1, 5), min_size=2, max_size=4), n=st.integers(1, 3), seed=st.integers(0, 2**16))
def test_input_gradient_matches_central_differences(sizes, n, seed):
    rng = np.random.default_rng(seed)
    params = init_mlp(sizes, rng)
    x = rng.normal(size=(n, sizes[0]))
    classes = rng.integers(0, sizes[-1], size=n)
    scores, dx = class_score_gradient(x, params, "tanh", classes)
    for i in range(n):
        numeric = numerical_gradient(lambda v: mlp_forward(v[None], params, "tanh")[0][0, classes[i]], x[i].copy())
        assert np.allclose(dx[i], numeric, rtol=1e-6, atol=1e-8)
    assert np.allclose(saliency(x, params, "tanh", classes), np.abs(dx))
    assert np.allclose(gradient_times_input(x, params, "tanh", classes), x * dx)


@FAST
@given(seed=st.integers(0, 2**16), n=st.integers(1, 3))
def test_integrated_gradients_are_complete(seed, n):
    rng = np.random.default_rng(seed)
    params = init_mlp([5, 6, 3], rng)
    x, baseline = rng.normal(size=(n, 5)), rng.normal(size=(n, 5))
    classes = rng.integers(0, 3, size=n)
    attributions, gap = integrated_gradients(x, params, "tanh", classes, baseline=baseline, steps=256)
    assert np.allclose(attributions.sum(axis=1), gap, rtol=1e-3, atol=1e-4)


def test_integrated_gradients_are_exact_for_a_linear_model_and_converge_for_relu():
    rng = np.random.default_rng(0)
    linear = init_mlp([6, 3], rng)
    x = rng.normal(size=(2, 6))
    attributions, gap = integrated_gradients(x, linear, None, np.array([0, 2]), steps=1)
    assert np.allclose(attributions.sum(axis=1), gap, rtol=1e-12)
    relu = init_mlp([6, 16, 3], rng, scale="he")
    errors = []
    for steps in (2, 256):
        attributions, gap = integrated_gradients(x, relu, "relu", np.array([1, 1]), steps=steps)
        errors.append(np.max(np.abs(attributions.sum(axis=1) - gap)))
    assert errors[1] < 0.01 * np.max(np.abs(gap))


def test_saliency_passes_the_sanity_check_on_the_trained_digits_classifier():
    from helpers.digits_classifier import digits_classifier

    model = digits_classifier()
    x, c = model.x_test[:20], model.y_test[:20]
    random = randomized_like(model.params, np.random.default_rng(1))
    medians = {}
    for name, method in METHODS.items():
        a, b = np.abs(method(x, model.params, "relu", c)), np.abs(method(x, random, "relu", c))
        medians[name] = np.median([rank_correlation(p, q) for p, q in zip(a, b)])
    assert abs(medians["saliency"]) < 0.3 and medians["gradient × input"] > 0.7


def test_rank_correlation_handles_ties_and_constants():
    assert rank_correlation([1, 1, 2], [5, 5, 9]) == pytest.approx(1.0)
    assert rank_correlation([1, 1, 1], [1, 2, 3]) == 0.0


def test_bad_classes_are_named():
    params = init_mlp([2, 3], np.random.default_rng(0))
    with pytest.raises(ValueError, match="classes must lie"):
        saliency(np.ones((1, 2)), params, None, np.array([3]))
    with pytest.raises(ValueError, match="one class per row"):
        saliency(np.ones((2, 2)), params, None, np.array([0]))
