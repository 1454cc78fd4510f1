"""Unit tests for helpers.losses: values at known points, gradients in closed form."""
import numpy as np
import pytest
from raises import assert_raises_exactly

from helpers.activations import sigmoid
from helpers.losses import binary_cross_entropy_with_logits, keras_mse, mse, softmax, softmax_cross_entropy_with_logits

LOG2 = np.log(2.0)


def test_mse_one_example_is_half_the_squared_error():
    loss, dy = mse(np.array([0.8]), np.array([1.0]))
    assert loss == pytest.approx(0.02)
    np.testing.assert_allclose(dy, [-0.2])


def test_mse_is_a_mean_over_the_batch_and_a_sum_over_outputs():
    y = np.array([[1.0, 2.0], [0.0, 0.0], [3.0, -1.0]])
    t = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
    loss, dy = mse(y, t)
    assert loss == pytest.approx(0.5 * (1 + 4 + 4 + 4) / 3)
    np.testing.assert_allclose(dy, (y - t) / 3)
    loss, dy = mse(t, t)
    assert loss == 0.0 and not np.any(dy)


@pytest.mark.parametrize("label", [0.0, 1.0])
def test_bce_at_zero_logit_is_log_2(label):
    loss, dz = binary_cross_entropy_with_logits(np.array([0.0]), np.array([label]))
    assert loss == pytest.approx(LOG2)
    np.testing.assert_allclose(dz, [0.5 - label])


def test_bce_equals_the_textbook_formula_and_gradient():
    z = np.array([-3.0, -0.5, 0.2, 2.0])
    t = np.array([0.0, 1.0, 0.3, 1.0])
    p = sigmoid(z)
    loss, dz = binary_cross_entropy_with_logits(z, t)
    assert loss == pytest.approx(np.mean(-(t * np.log(p) + (1 - t) * np.log(1 - p))))
    np.testing.assert_allclose(dz, (p - t) / 4)


def test_bce_at_huge_logits_is_zero_when_right_and_the_logit_when_wrong():
    right, _ = binary_cross_entropy_with_logits(np.array([1e4, -1e4]), np.array([1.0, 0.0]))
    wrong, dz = binary_cross_entropy_with_logits(np.array([1e4, -1e4]), np.array([0.0, 1.0]))
    assert right == 0.0
    assert wrong == pytest.approx(1e4)
    np.testing.assert_allclose(dz, [0.5, -0.5])


def test_softmax_rows_are_probabilities():
    z = np.array([[1.0, 2.0, 3.0], [-5.0, 0.0, 5.0], [0.0, 0.0, 0.0]])
    p = softmax(z)
    assert np.all(p > 0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[2], [1 / 3] * 3)
    np.testing.assert_allclose(p[0], np.exp(z[0]) / np.exp(z[0]).sum())
    np.testing.assert_allclose(softmax(z + 100.0), p)  # shifting a row changes nothing


def test_softmax_survives_huge_logits():
    np.testing.assert_array_equal(softmax(np.array([[1e4, 0.0], [-1e4, 0.0]])), [[1.0, 0.0], [0.0, 1.0]])


def test_softmax_cross_entropy_uniform_logits_give_log_c():
    loss, dz = softmax_cross_entropy_with_logits(np.zeros((2, 4)), [3, 0])
    assert loss == pytest.approx(np.log(4.0))
    np.testing.assert_allclose(dz, [[0.125, 0.125, 0.125, -0.375], [-0.375, 0.125, 0.125, 0.125]])


def test_softmax_cross_entropy_is_minus_log_p_of_the_label():
    z = np.array([[2.0, -1.0, 0.5], [0.0, 3.0, 1.0]])
    labels = np.array([2, 1])
    p = softmax(z)
    loss, dz = softmax_cross_entropy_with_logits(z, labels)
    assert loss == pytest.approx(-np.mean(np.log(p[[0, 1], labels])))
    np.testing.assert_allclose(dz, (p - np.eye(3)[labels]) / 2)
    np.testing.assert_allclose(dz.sum(axis=1), 0.0, atol=1e-15)


def test_softmax_cross_entropy_huge_wrong_logit_costs_the_gap():
    loss, _ = softmax_cross_entropy_with_logits(np.array([[1e4, 0.0]]), np.array([1]))
    assert loss == pytest.approx(1e4)


def test_losses_do_not_modify_their_inputs():
    z, t = np.array([[0.5], [-1.0]]), np.array([[1.0], [0.0]])
    z0, t0 = z.copy(), t.copy()
    mse(z, t)
    binary_cross_entropy_with_logits(z, t)
    softmax_cross_entropy_with_logits(z.reshape(1, 2), np.array([0]))
    np.testing.assert_array_equal(z, z0)
    np.testing.assert_array_equal(t, t0)


def test_keras_mse_averages_over_the_batch_and_the_outputs():
    y = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])  # N = 2, D = 3
    loss, dy = keras_mse(y, np.zeros_like(y))
    assert loss == pytest.approx(14 / 6)
    np.testing.assert_allclose(dy, 2 * y / 6)
    flat_loss, flat_dy = keras_mse(np.array([1.0, 3.0]), np.zeros(2))  # (N,): one output each
    assert flat_loss == pytest.approx(5.0) and flat_dy.tolist() == [1.0, 3.0]


def test_softmax_cross_entropy_needs_a_2_d_batch():
    assert_raises_exactly(lambda: softmax_cross_entropy_with_logits(np.zeros(3), np.array([0])), ValueError,
                          r"z must be 2-D; got 1-D with shape \(3,\)")


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: mse(np.zeros(2), "x"), TypeError, r"y_true must be a number or an array of numbers; got str"),
        (lambda: mse(np.zeros((2, 2)), np.zeros((2, 2, 1))), ValueError, r"y_true must be 1 or 2-D; got 3-D with shape \(2, 2, 1\)"),
    ],
)
def test_y_true_is_named(call, error, message):
    assert_raises_exactly(call, error, message)
