"""Unit tests for helpers.neuron: the chain-rule factors, the loss surface and gradient descent."""
import numpy as np
import pytest

from helpers.activations import sigmoid
from helpers.neuron import Descent, describe_descent, gradient_descent, neuron_loss_surface, neuron_trace

X, T = np.array([1.0, -2.0, 0.5]), np.array([1.0, 0.0, 0.3])


def test_trace_at_the_textbook_point():
    t = neuron_trace(x=1.0, w=0.0, b=0.0, y_true=1.0)
    assert (t.z[0], t.y[0], t.dy_dz[0], t.dL_dy[0]) == (0.0, 0.5, 0.25, -0.5)
    assert (t.loss, t.dL_dw, t.dL_db) == (0.125, -0.125, -0.125)


def test_trace_factors_multiply_to_the_mean_gradients():
    t = neuron_trace(X, w=0.7, b=-0.2, y_true=T)
    z = 0.7 * X - 0.2
    np.testing.assert_allclose(t.z, z)
    np.testing.assert_allclose(t.y, sigmoid(z))
    np.testing.assert_allclose(t.dL_dy, sigmoid(z) - T)
    np.testing.assert_allclose(t.dy_dz, sigmoid(z) * (1 - sigmoid(z)))
    np.testing.assert_array_equal(t.dz_dw, X)
    np.testing.assert_array_equal(t.dz_db, 1.0)
    assert t.loss == pytest.approx(np.mean(0.5 * (sigmoid(z) - T) ** 2))
    assert t.dL_dw == pytest.approx(np.mean(t.dL_dy * t.dy_dz * X))
    assert t.dL_db == pytest.approx(np.mean(t.dL_dy * t.dy_dz))


def test_loss_surface_matches_the_trace_on_a_broadcast_grid():
    ws, bs = np.array([[-1.0], [0.0], [2.0]]), np.array([[0.5, -0.5]])
    surface = neuron_loss_surface(X, T, ws, bs)
    assert surface.shape == (3, 2)
    for i, j in np.ndindex(surface.shape):
        assert surface[i, j] == pytest.approx(neuron_trace(X, ws[i, 0], bs[0, j], T).loss)


def test_gradient_descent_records_steps_plus_one_states_and_lowers_the_loss():
    run = gradient_descent(X, T, w0=0.0, b0=0.0, lr=0.5, steps=30)
    assert isinstance(run, Descent) and run.lr == 0.5
    assert all(len(a) == 31 for a in (run.w, run.b, run.loss, run.slope))
    assert (run.w[0], run.b[0], run.loss[0]) == (0.0, 0.0, neuron_trace(X, 0.0, 0.0, T).loss)
    assert np.all(np.diff(run.loss) < 0) and run.loss[-1] < 0.8 * run.loss[0]


def test_one_step_is_w_minus_lr_times_the_gradient():
    run = gradient_descent(X, T, w0=0.3, b0=0.1, lr=2.0, steps=1)
    t = neuron_trace(X, 0.3, 0.1, T)
    assert run.w[1] == pytest.approx(0.3 - 2.0 * t.dL_dw)
    assert run.b[1] == pytest.approx(0.1 - 2.0 * t.dL_db)
    assert run.slope[0] == pytest.approx(t.dy_dz.mean())


@pytest.mark.parametrize(
    "args, verdict",
    [
        ((np.array([1.0, 2.0]), np.array([0.2, 0.8]), 0.0, 0.0, 100.0, 20), "oscillating: the loss went up at step 1"),
        ((1.0, 0.7, 0.0, 0.0, 5.0, 50), "converged: loss 0.0000 after 50 steps"),
        ((1.0, 0.0, 10.0, 10.0, 1.0, 10), "saturated: σ'(z) = 2.1e-09"),
        ((1.0, 1.0, 0.0, 0.0, 1e-3, 10), "crawling: the loss fell only 0.2% in 10 steps"),
        ((1.0, 1.0, 0.0, 0.0, 1.0, 10), "still learning: loss 0.1250 → 0.0200 in 10 steps"),
    ],
)
def test_describe_descent_verdicts(args, verdict):
    x, t, w0, b0, lr, steps = args
    assert describe_descent(gradient_descent(x, t, w0, b0, lr=lr, steps=steps)).startswith(verdict)


def test_describe_descent_tol_decides_convergence():
    run = gradient_descent(1.0, 1.0, 0.0, 0.0, lr=1.0, steps=10)  # ends at loss 0.0200
    assert describe_descent(run, tol=0.05).startswith("converged")
    assert describe_descent(run, tol=0.01).startswith("still learning")
