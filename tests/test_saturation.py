"""helpers.saturation: local derivatives against central differences, saturated shares, dead units."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp
from test_properties import TOL, arrays, grid

from helpers.activations import ACTIVATIONS, relu_forward, sigmoid_prime
from helpers.gradcheck import numerical_gradient_backward, relative_error
from helpers.saturation import THRESHOLD, dead_unit_share, local_derivative, saturated_share

PROPERTY = settings(max_examples=30, deadline=None, derandomize=True, database=None)
off_kink = grid(-8, 8).filter(lambda v: abs(v) > 1e-3)
CLOSED_FORMS = {
    "sigmoid": lambda z, slope: sigmoid_prime(z),
    "tanh": lambda z, slope: 1 - np.tanh(z) ** 2,
    "relu": lambda z, slope: (z > 0).astype(float),
    "leaky_relu": lambda z, slope: np.where(z > 0, 1.0, slope),
}


def kwargs_for(name, slope):
    return {"slope": slope} if name == "leaky_relu" else {}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@PROPERTY
@given(shape=hnp.array_shapes(max_dims=2, max_side=5), slope=grid(0.0, 0.99), data=st.data())
def test_local_derivative_equals_central_differences_and_the_closed_form(name, shape, slope, data):
    z = data.draw(arrays(shape, off_kink))
    kwargs = kwargs_for(name, slope)
    derivative = local_derivative(name, z, **kwargs)
    numeric = numerical_gradient_backward(lambda v: ACTIVATIONS[name][0](v, **kwargs)[0], z, np.ones(shape))
    assert derivative.shape == z.shape
    if np.linalg.norm(numeric) > 1e-3:  # else the relative error compares rounding noise
        assert relative_error(derivative, numeric) < TOL
    np.testing.assert_allclose(derivative, CLOSED_FORMS[name](z, slope), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@PROPERTY
@given(z=arrays(st.integers(1, 50), grid(-20, 20)), low=grid(1 / 64, 0.5), high=grid(0.5, 1.5))
def test_saturated_share_counts_small_derivatives_and_grows_with_the_threshold(name, z, low, high):
    share = saturated_share(name, z, threshold=low)
    assert share == np.mean(CLOSED_FORMS[name](z, 0.01) < low)
    assert 0.0 <= share <= saturated_share(name, z, threshold=high) <= 1.0


def test_saturated_share_at_known_points():
    z = np.array([-10.0, -5.0, -1.0, 0.0, 1.0, 5.0, 10.0])
    assert saturated_share("sigmoid", z) == pytest.approx(4 / 7)  # σ'(5) = 0.0066 < 0.01
    assert saturated_share("tanh", z) == pytest.approx(4 / 7)
    assert saturated_share("relu", z) == pytest.approx(4 / 7)  # the kink counts as flat
    assert saturated_share("leaky_relu", z, slope=0.1) == 0.0
    assert saturated_share("leaky_relu", z, slope=0.001) == pytest.approx(4 / 7)
    assert THRESHOLD == 0.01


def test_wide_inputs_saturate_a_sigmoid_more_than_narrow_ones():
    standard = np.random.default_rng(0).standard_normal(5000)
    shares = [saturated_share("sigmoid", s * standard) for s in (1.0, 5.0, 10.0)]
    assert shares[0] < 0.01 < 0.3 < shares[1] < shares[2]


@PROPERTY
@given(n=st.integers(1, 8), d=st.integers(1, 6), data=st.data())
def test_dead_unit_share_counts_the_columns_that_are_zero_in_every_row(n, d, data):
    z = data.draw(arrays((n, d), grid(-2, 2)))
    a, _ = relu_forward(z)
    expected = np.mean([np.all(z[:, j] <= 0) for j in range(d)])
    assert dead_unit_share(a) == pytest.approx(expected)
    with_a_dead_unit = np.hstack([a, np.zeros((n, 1))])
    assert dead_unit_share(with_a_dead_unit) == pytest.approx((expected * d + 1) / (d + 1))


def test_dead_unit_share_at_known_points():
    assert dead_unit_share(np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 2.0]])) == pytest.approx(1 / 3)
    assert dead_unit_share(np.zeros((4, 2))) == 1.0
    assert dead_unit_share(np.array([[-0.01, 0.0]])) == 0.5  # leaky outputs are not 0: alive


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: local_derivative("softplus", np.zeros(2)), ValueError, r"name must be one of \['leaky_relu', 'relu', 'sigmoid', 'tanh'\]; got 'softplus'"),
        (lambda: local_derivative(None, np.zeros(2)), ValueError, r"name must be one of .*; got None"),
        (lambda: local_derivative("tanh", np.array([np.nan])), ValueError, r"z must be finite"),
        (lambda: saturated_share("relu", np.zeros(2), threshold=0.0), ValueError, r"threshold must be positive; got 0.0"),
        (lambda: saturated_share("relu", np.zeros(2), threshold="0.1"), TypeError, r"threshold must be a real number; got str"),
        (lambda: saturated_share("leaky_relu", np.zeros(2), slope=1.5), ValueError, r"slope must be in \[0, 1\)"),
        (lambda: dead_unit_share(np.zeros(3)), ValueError, r"a must be 2-D; got 1-D with shape \(3,\)"),
        (lambda: dead_unit_share(np.zeros((0, 3))), ValueError, r"a must not be empty"),
        (lambda: dead_unit_share([[1.0], [None]]), TypeError, r"a must hold real numbers"),
    ],
    ids=["unknown name", "None name", "NaN input", "zero threshold", "str threshold", "bad slope", "1-D a", "empty a", "object a"],
)
def test_bad_input_names_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()
