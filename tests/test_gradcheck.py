"""Unit tests for helpers.gradcheck, including that the checker catches wrong backward passes."""
import numpy as np
import pytest
from raises import assert_raises_exactly

from helpers.activations import sigmoid_backward, sigmoid_forward
from helpers.gradcheck import (
    GradCheckReport,
    check_gradients,
    numerical_gradient,
    numerical_gradient_backward,
    relative_error,
)
from helpers.layers import dense_backward, dense_forward

@pytest.fixture
def dense_case():
    """A dense layer under the loss Σ z · dout, with its correct analytic gradients."""
    rng = np.random.default_rng(0)
    params = {"x": rng.normal(size=(4, 3)), "W": rng.normal(size=(3, 2)), "b": rng.normal(size=2)}
    dout = rng.normal(size=(4, 2))

    def loss(p):
        return float(np.sum(dense_forward(p["x"], {"W": p["W"], "b": p["b"]})[0] * dout))

    _, cache = dense_forward(params["x"], {"W": params["W"], "b": params["b"]})
    dx, grads = dense_backward(dout, cache)
    return loss, params, {"x": dx, **grads}, dout


def test_numerical_gradient_of_a_quadratic_leaves_x_alone():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = x.copy()
    np.testing.assert_allclose(numerical_gradient(lambda v: float(np.sum(v**3)), x), 3 * x**2, rtol=1e-8)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_backward_weights_by_dout():
    x, dout = np.array([0.0, 1.0, -2.0]), np.array([2.0, -1.0, 0.5])
    np.testing.assert_allclose(numerical_gradient_backward(np.sin, x, dout), np.cos(x) * dout, rtol=1e-8)


def test_relative_error_values():
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.array([2.0]), np.array([1.0])) == pytest.approx(1 / 3)
    assert relative_error(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == pytest.approx(np.sqrt(2) / 2)


def test_correct_dense_gradients_pass(dense_case):
    loss, params, grads, _ = dense_case
    before = {k: v.copy() for k, v in params.items()}
    report = check_gradients(loss, params, grads)
    assert isinstance(report, GradCheckReport)
    assert report.passed() and set(report.errors) == {"x", "W", "b"}
    assert max(report.errors.values()) < 1e-9
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])


def test_passed_honours_its_tolerance(dense_case):
    loss, params, grads, _ = dense_case
    report = check_gradients(loss, params, {**grads, "b": grads["b"] * (1 + 1e-5)})
    assert report.passed(tol=1e-3) and not report.passed()


def test_sigmoid_backward_missing_sigma_prime_fails():
    z, da = np.array([[-1.0, 0.5], [2.0, 0.0]]), np.array([[1.0, -2.0], [0.5, 3.0]])
    _, cache = sigmoid_forward(z)

    def loss(p):
        return float(np.sum(sigmoid_forward(p["z"])[0] * da))

    assert check_gradients(loss, {"z": z}, {"z": sigmoid_backward(da, cache)}).passed()
    report = check_gradients(loss, {"z": z}, {"z": da})  # forgot the local derivative σ'(z)
    assert not report.passed()
    assert report.worst_name == "z" and report.worst_index == (1, 1)  # largest |da (1 − σ')| there
    assert "z[1, 1]" in str(report)


@pytest.mark.parametrize(
    "name, wrong",
    [
        ("W", lambda grads, cache, dout: cache.x.T @ dout / 2),
        ("b", lambda grads, cache, dout: dout[0]),  # only the first example, not the sum over the batch
        ("x", lambda grads, cache, dout: dout @ cache.W.T[::-1]),  # mixed-up rows of Wᵀ
    ],
)
def test_wrong_dense_backward_fails_and_names_the_parameter(dense_case, name, wrong):
    loss, params, grads, dout = dense_case
    _, cache = dense_forward(params["x"], {"W": params["W"], "b": params["b"]})
    report = check_gradients(loss, params, {**grads, name: wrong(grads, cache, dout)})
    assert not report.passed()
    assert report.worst_name == name and report.errors[name] > 1e-2
    assert all(report.errors[k] < 1e-9 for k in params if k != name)
    assert len(report.worst_index) == params[name].ndim
    assert f"in {name};" in str(report) and f"{name}[" in str(report)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: check_gradients(float, {}, {}), ValueError, r"^params must not be empty$"),
        (lambda: check_gradients(lambda p: 0.0, {"w": "x"}, {"w": np.ones(1)}), TypeError, r"params\['w'\] must be a number or an array of numbers; got str"),
        (lambda: check_gradients(float, [1], {}), TypeError, r"params and grads must be dicts of arrays with the same keys; got list and dict"),
        (lambda: check_gradients(float, {}, [1]), TypeError, r"params and grads must be dicts of arrays with the same keys; got dict and list"),
    ],
    ids=["empty", "str parameter", "params list", "grads list"],
)
def test_check_gradients_names_bad_input(call, error, message):
    assert_raises_exactly(call, error, message)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: numerical_gradient_backward(np.tanh, "x", 1.0), TypeError, r"x must be a number or an array of numbers; got str"),
        (lambda: numerical_gradient_backward(np.tanh, np.ones(2), "d"), TypeError, r"dout must be a number or an array of numbers; got str"),
        (lambda: numerical_gradient_backward(np.tanh, np.ones(2), np.ones(2), h=0.0), ValueError, r"h must be positive; got 0.0"),
        (lambda: numerical_gradient_backward(np.tanh, np.ones(2), np.ones(3)), ValueError, r"dout must have the shape of f\(x\), \(2,\); got \(3,\)"),
        (lambda: numerical_gradient_backward(3.0, np.ones(2), np.ones(2)), TypeError, r"f must be a function; got float"),
        (lambda: relative_error("a", np.ones(1)), TypeError, r"analytic must be a number or an array of numbers; got str"),
        (lambda: relative_error(np.ones(1), "n"), TypeError, r"numeric must be a number or an array of numbers; got str"),
        (lambda: relative_error(np.ones(2), np.ones(3)), ValueError, r"numeric must have the same shape as analytic, \(2,\); got \(3,\)"),
    ],
    ids=["x", "dout", "h", "dout shape", "f", "analytic", "numeric", "shapes"],
)
def test_the_numerical_helpers_name_bad_input(call, error, message):
    assert_raises_exactly(call, error, message)


def test_numerical_gradient_uses_the_step_it_is_given():
    """For v³ the central difference is 3v² + h² exactly: the step shows in the result."""
    assert numerical_gradient(lambda v: float(np.sum(v**3)), np.array([1.0]), h=0.1)[0] == pytest.approx(3.01, rel=1e-12)


def test_relative_error_of_two_empty_arrays_is_zero():
    assert relative_error(np.array([]), np.array([])) == 0.0


def test_passed_means_strictly_below_the_tolerance():
    report = check_gradients(lambda p: float(p["w"] ** 2), {"w": np.array(3.0)}, {"w": np.array(7.0)})
    assert not report.passed(tol=report.worst_error) and report.passed(tol=report.worst_error * 1.001)


def test_report_names_a_scalar_parameter_without_an_index():
    report = check_gradients(lambda p: float(p["w"] ** 2), {"w": np.array(3.0)}, {"w": np.array(7.0)})
    assert report.worst_index == () and str(report) == (
        "worst relative error 7.7e-02 in w; largest difference at w: analytic 7, numerical 6")


def test_report_points_at_the_single_wrong_entry(dense_case):
    loss, params, grads, _ = dense_case
    W = grads["W"].copy()
    W[2, 1] += 0.1
    report = check_gradients(loss, params, {**grads, "W": W})
    assert (report.worst_name, report.worst_index) == ("W", (2, 1))
    assert report.analytic - report.numeric == pytest.approx(0.1)
    assert "W[2, 1]" in str(report)
