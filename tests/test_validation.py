"""Unit tests for helpers.validation: what each check accepts and what it returns."""
import numpy as np
import pytest

from helpers.validation import as_array, as_scalar, check_positive, check_rng, check_same_shape


@pytest.mark.parametrize("value", [3, 2.5, [1, 2], [[1, 2], [3, 4]], np.arange(3, dtype=np.int32), np.float32(1.5)])
def test_as_array_returns_float64_with_the_same_values(value):
    arr = as_array(value, "x")
    assert arr.dtype == np.float64
    np.testing.assert_array_equal(arr, np.asarray(value, dtype=np.float64))


def test_as_array_shape_with_free_entries_and_allowed_ndims():
    assert as_array(np.ones((4, 3)), "x", shape=(None, 3)).shape == (4, 3)
    assert as_array(np.ones(5), "y", ndim=(1, 2)).shape == (5,)
    assert as_array(np.ones((5, 2)), "y", ndim=(1, 2)).shape == (5, 2)


def test_as_array_allows_empty_only_when_asked():
    assert as_array(np.zeros((0, 3)), "x", allow_empty=True).shape == (0, 3)
    with pytest.raises(ValueError, match="x must not be empty"):
        as_array(np.zeros((0, 3)), "x")


@pytest.mark.parametrize("value", [2, 2.5, np.float64(-1.0), np.array(4.0), np.array([4.0])])
def test_as_scalar_returns_a_python_float(value):
    out = as_scalar(value, "lr")
    assert type(out) is float and out == float(np.asarray(value).reshape(()))


def test_check_positive_float_and_integer():
    assert check_positive(0.1, "lr") == 0.1
    out = check_positive(np.int64(7), "steps", integer=True)
    assert out == 7 and type(out) is int
    with pytest.raises(ValueError, match="lr must be positive; got -0.5"):
        check_positive(-0.5, "lr")


def test_check_same_shape_accepts_equal_and_names_both_otherwise():
    check_same_shape(np.ones((2, 3)), "y", np.zeros((2, 3)), "y_true")
    with pytest.raises(ValueError, match=r"y_true must have the same shape as y, \(2, 3\); got \(3, 2\)"):
        check_same_shape(np.ones((2, 3)), "y", np.zeros((3, 2)), "y_true")


def test_check_rng_returns_the_same_generator():
    rng = np.random.default_rng(0)
    assert check_rng(rng) is rng
