"""helpers.neuron under either loss: gradients against central differences, the σ' cancellation,
the default that keeps notebook 01's behaviour, and epochs to a prediction-error threshold."""
import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st
from test_properties import TOL, arrays, grid

from helpers.activations import sigmoid, sigmoid_prime
from helpers.gradcheck import check_gradients
from helpers.losses import binary_cross_entropy_with_logits
from helpers.neuron import LOSSES, Descent, describe_descent, epochs_to_reach, gradient_descent, neuron_gradients, neuron_trace

PROPERTY = settings(max_examples=30, deadline=None, derandomize=True, database=None)
X, T = np.array([1.0, -2.0, 0.5]), np.array([1.0, 0.0, 0.3])


@pytest.mark.parametrize("loss", sorted(LOSSES))
@PROPERTY
@given(n=st.integers(1, 5), data=st.data())
def test_gradients_equal_central_differences(loss, n, data):
    x, t = data.draw(arrays(n)), data.draw(arrays(n, grid(0, 1)))
    p = {"w": np.array(data.draw(grid(-4, 4))), "b": np.array(data.draw(grid(-4, 4)))}
    g = neuron_gradients(x, p["w"], p["b"], t, loss=loss)
    grads = {"w": np.array(g.dL_dw), "b": np.array(g.dL_db)}
    assume(all(abs(v) > 1e-3 for v in grads.values()))
    report = check_gradients(lambda q: neuron_gradients(x, q["w"], q["b"], t, loss=loss).loss, p, grads)
    assert report.passed(TOL), str(report)


@PROPERTY
@given(n=st.integers(1, 5), data=st.data())
def test_cross_entropy_has_no_sigma_prime_and_mse_does(n, data):
    x, t = data.draw(arrays(n)), data.draw(arrays(n, grid(0, 1)))
    w, b = data.draw(grid(-4, 4)), data.draw(grid(-4, 4))
    z = w * x + b
    y = sigmoid(z)
    bce, mse = neuron_gradients(x, w, b, t, loss="bce"), neuron_gradients(x, w, b, t, loss="mse")
    assert bce.dL_db == pytest.approx(np.mean(y - t), abs=1e-15)
    assert bce.dL_dw == pytest.approx(np.mean((y - t) * x), abs=1e-15)
    assert mse.dL_db == pytest.approx(np.mean((y - t) * sigmoid_prime(z)), abs=1e-15)
    assert bce.loss == binary_cross_entropy_with_logits(z, t)[0]
    for g in (bce, mse):
        assert g.error == pytest.approx(np.mean(np.abs(y - t)))
        assert g.slope == pytest.approx(np.mean(sigmoid_prime(z)))


def test_mse_gradients_are_the_trace_of_notebook_01():
    g, trace = neuron_gradients(X, 0.7, -0.2, T), neuron_trace(X, 0.7, -0.2, T)
    assert (g.loss, g.dL_dw, g.dL_db) == (trace.loss, trace.dL_dw, trace.dL_db)


def test_the_default_loss_is_mse_bit_for_bit():
    default = gradient_descent(X, T, w0=0.3, b0=0.1, lr=2.0, steps=20)
    explicit = gradient_descent(X, T, w0=0.3, b0=0.1, lr=2.0, steps=20, loss="mse")
    assert default.loss_name == "mse"
    for field in ("w", "b", "loss", "slope", "error"):
        np.testing.assert_array_equal(getattr(default, field), getattr(explicit, field))
    w, b = 0.3, 0.1
    for step in range(3):  # the update rule of notebook 01, written out
        trace = neuron_trace(X, w, b, T)
        assert (default.w[step], default.b[step], default.loss[step]) == (w, b, trace.loss)
        w, b = w - 2.0 * trace.dL_dw, b - 2.0 * trace.dL_db


def test_cross_entropy_descent_steps_by_y_minus_t():
    run = gradient_descent(1.0, 0.0, w0=2.0, b0=2.0, lr=0.5, steps=1, loss="bce")
    y = sigmoid(4.0)
    assert isinstance(run, Descent) and run.loss_name == "bce"
    assert (run.w[1], run.b[1]) == pytest.approx((2.0 - 0.5 * y, 2.0 - 0.5 * y))
    assert run.loss[0] == pytest.approx(-np.log(1 - y))
    assert run.error[0] == pytest.approx(y)


def test_from_a_saturated_start_cross_entropy_finishes_ten_times_sooner():
    mse, bce = (gradient_descent(1.0, 0.0, 2.0, 2.0, lr=1.0, steps=150, loss=loss) for loss in ("mse", "bce"))
    assert (epochs_to_reach(mse, 0.1), epochs_to_reach(bce, 0.1)) == (70, 7)


def test_epochs_to_reach_is_the_first_epoch_at_or_below_the_error():
    run = gradient_descent(1.0, 0.0, 2.0, 2.0, lr=1.0, steps=20, loss="bce")
    k = epochs_to_reach(run, 0.1)
    assert run.error[k] <= 0.1 < run.error[k - 1]
    assert epochs_to_reach(run, 1.0) == 0
    assert epochs_to_reach(run, 1e-9) is None


def test_a_saturated_cross_entropy_run_is_not_called_saturated():
    mse, bce = (gradient_descent(1.0, 0.0, 6.0, 6.0, lr=1.0, steps=10, loss=loss) for loss in ("mse", "bce"))
    assert describe_descent(mse).startswith("saturated")
    assert not describe_descent(bce).startswith("saturated")


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: neuron_gradients(1.0, 0.0, 0.0, 1.0, loss="ce"), ValueError, r"loss must be one of \['bce', 'mse'\]; got 'ce'"),
        (lambda: gradient_descent(1.0, 1.0, 0.0, 0.0, 0.1, 5, loss=None), ValueError, r"loss must be one of \['bce', 'mse'\]; got None"),
        (lambda: neuron_gradients(1.0, 0.0, 0.0, 1.5, loss="bce"), ValueError, r"y_true must be in \[0, 1\]"),
        (lambda: neuron_gradients(np.ones(2), 0.0, 0.0, np.ones(3), loss="bce"), ValueError, r"y_true must have the same shape as x"),
        (lambda: neuron_gradients(1.0, "w", 0.0, 1.0, loss="bce"), TypeError, r"w must be a real number; got str"),
        (lambda: epochs_to_reach(gradient_descent(1.0, 1.0, 0.0, 0.0, 0.1, 2), 0.0), ValueError, r"error must be positive; got 0.0"),
    ],
    ids=["unknown loss", "None loss", "label above 1", "shape mismatch", "str weight", "zero error"],
)
def test_bad_input_names_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()
