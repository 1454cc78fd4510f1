"""Unit tests for helpers.activations: values at known points and the backward contract."""
import numpy as np
import pytest
from raises import assert_raises_exactly

from helpers.activations import (
    ACTIVATIONS,
    KERNELS,
    ActivationCache,
    LeakyReluCache,
    leaky_relu_backward,
    leaky_relu_forward,
    relu_backward,
    relu_forward,
    sigmoid,
    sigmoid_backward,
    sigmoid_forward,
    sigmoid_prime,
    tanh_backward,
    tanh_forward,
)

Z = np.array([[-2.0, -0.5, 0.0], [0.5, 1.0, 3.0]])


def test_sigmoid_known_values():
    assert sigmoid(0.0) == 0.5
    assert sigmoid(1.0) == pytest.approx(1 / (1 + np.exp(-1)))
    assert sigmoid(np.log(3.0)) == pytest.approx(0.75)
    np.testing.assert_allclose(sigmoid(-Z), 1 - sigmoid(Z))


def test_sigmoid_saturates_exactly_without_overflow():
    np.testing.assert_array_equal(sigmoid(np.array([-1e4, -800.0, 800.0, 1e4])), [0.0, 0.0, 1.0, 1.0])


def test_sigmoid_prime_peaks_at_a_quarter():
    assert sigmoid_prime(0.0) == 0.25
    assert sigmoid_prime(2.0) == pytest.approx(sigmoid(2.0) * (1 - sigmoid(2.0)))
    assert np.all(sigmoid_prime(Z[Z != 0]) < 0.25)


@pytest.mark.parametrize(
    "forward, expected",
    [
        (sigmoid_forward, 1 / (1 + np.exp(-Z))),
        (tanh_forward, np.tanh(Z)),
        (relu_forward, [[0, 0, 0], [0.5, 1, 3]]),
        (leaky_relu_forward, [[-0.02, -0.005, 0], [0.5, 1, 3]]),
    ],
)
def test_forward_values_and_cache(forward, expected):
    a, cache = forward(Z)
    np.testing.assert_allclose(a, expected)
    np.testing.assert_array_equal(cache.z, Z)
    np.testing.assert_array_equal(cache.a, a)


@pytest.mark.parametrize(
    "name, local_derivative",
    [
        ("sigmoid", sigmoid_prime(Z)),
        ("tanh", 1 - np.tanh(Z) ** 2),
        ("relu", [[0, 0, 0], [1, 1, 1]]),  # 0 at the kink z = 0
        ("leaky_relu", [[0.01, 0.01, 0.01], [1, 1, 1]]),
    ],
)
def test_backward_multiplies_upstream_by_the_local_derivative(name, local_derivative):
    forward, backward = ACTIVATIONS[name]
    da = np.arange(1.0, 7.0).reshape(Z.shape)
    _, cache = forward(Z)
    np.testing.assert_allclose(backward(da, cache), da * np.asarray(local_derivative))


def test_leaky_relu_uses_its_slope_forward_and_backward():
    a, cache = leaky_relu_forward(np.array([-2.0, 3.0]), slope=0.25)
    assert isinstance(cache, LeakyReluCache) and cache.slope == 0.25
    np.testing.assert_array_equal(a, [-0.5, 3.0])
    np.testing.assert_array_equal(leaky_relu_backward(np.array([4.0, 4.0]), cache), [1.0, 4.0])
    a0, _ = leaky_relu_forward(np.array([-2.0]), slope=0)
    np.testing.assert_array_equal(a0, [0.0])


def test_relu_backward_is_zero_on_the_negative_side():
    _, cache = relu_forward(np.array([-1.0, 2.0]))
    np.testing.assert_array_equal(relu_backward(np.array([5.0, 5.0]), cache), [0.0, 5.0])


def test_registry_holds_the_four_pairs():
    assert ACTIVATIONS == {
        "sigmoid": (sigmoid_forward, sigmoid_backward),
        "tanh": (tanh_forward, tanh_backward),
        "relu": (relu_forward, relu_backward),
        "leaky_relu": (leaky_relu_forward, leaky_relu_backward),
    }


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_any_shape_is_kept_and_backward_writes_nothing(name):
    forward, backward = ACTIVATIONS[name]
    z = np.linspace(-2, 2, 24).reshape(2, 3, 4)
    da = np.ones_like(z)
    z_before, da_before = z.copy(), da.copy()
    a, cache = forward(z)
    assert isinstance(cache, (ActivationCache, LeakyReluCache))
    a_before = a.copy()
    dz = backward(da, cache)
    assert a.shape == dz.shape == z.shape
    for array, before in [(z, z_before), (da, da_before), (cache.a, a_before)]:
        np.testing.assert_array_equal(array, before)


def test_a_slope_that_is_not_a_number_is_named():
    assert_raises_exactly(lambda: leaky_relu_forward(Z, slope="0.1"), TypeError, r"slope must be a real number; got str")


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_the_kernels_write_into_the_arrays_they_are_given(name):
    """The network reuses buffers between steps: a kernel's result must be the buffer passed in."""
    forward, backward = KERNELS[name]
    z = np.linspace(-2, 2, 6).reshape(2, 3)
    a, dz = np.empty_like(z), np.empty_like(z)
    cache = forward(z, a)
    assert cache.a is a and backward(np.ones_like(z), cache, dz) is dz
    np.testing.assert_array_equal(a, ACTIVATIONS[name][0](z)[0])


def test_sigmoid_and_its_derivative_accept_empty_arrays_and_name_bad_input():
    assert sigmoid(np.array([])).shape == (0,) and sigmoid_prime(np.zeros((0, 2))).shape == (0, 2)
    for function in (sigmoid, sigmoid_prime):
        assert_raises_exactly(lambda: function("x"), TypeError, r"z must be a number or an array of numbers; got str")


def test_an_upstream_gradient_that_is_not_numbers_is_named():
    _, cache = sigmoid_forward(Z)
    assert_raises_exactly(lambda: sigmoid_backward("x", cache), TypeError, r"da must be a number or an array of numbers; got str")
