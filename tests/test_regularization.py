"""L2 and dropout pairs: gradients equal central differences (the mask fixed by a seeded rng), bad input named."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from helpers.gradcheck import numerical_gradient, numerical_gradient_backward, relative_error
from helpers.network import init_mlp
from helpers.regularization import DropoutCache, L2Cache, dropout_backward, dropout_forward, dropout_mask, l2_backward, l2_forward

SETTINGS = settings(max_examples=20, deadline=None, derandomize=True)


@SETTINGS
@given(seed=st.integers(0, 10_000), depth=st.integers(1, 3), lam=st.floats(0.0, 3.0))
def test_l2_gradient_equals_central_differences(seed, depth, lam):
    rng = np.random.default_rng(seed)
    params = init_mlp(list(rng.integers(1, 5, size=depth + 1)), rng, scale=1.0)
    penalty, cache = l2_forward(params, lam)
    grads = l2_backward(cache)
    assert set(grads) == {k for k in params if k.startswith("W")}
    for key, grad in grads.items():
        numeric = numerical_gradient(lambda v: l2_forward({**params, key: v}, lam)[0], params[key])
        assert relative_error(grad, numeric) < 1e-8
    assert np.isclose(penalty, 0.5 * lam * sum(np.sum(params[k] ** 2) for k in grads))


@SETTINGS
@given(seed=st.integers(0, 10_000), n=st.integers(1, 5), d=st.integers(1, 6), p=st.floats(0.0, 0.9))
def test_dropout_gradient_equals_central_differences_with_the_mask_fixed(seed, n, d, p):
    rng = np.random.default_rng(seed)
    a, dout = rng.normal(size=(n, d)), rng.normal(size=(n, d))
    mask = dropout_mask(a.shape, p, rng)
    out, cache = dropout_forward(a, mask)
    numeric = numerical_gradient_backward(lambda v: dropout_forward(v, mask)[0], a, dout)
    assert relative_error(dropout_backward(dout, cache), numeric) < 1e-8 or not np.any(numeric)
    kept = cache.mask != 0
    assert np.allclose(cache.mask[kept], 1 / (1 - p)) and np.array_equal(out, a * cache.mask)


def test_dropout_keeps_the_expected_value_and_p_zero_is_the_identity():
    a = np.ones((400, 500))
    out, cache = dropout_forward(a, dropout_mask(a.shape, 0.3, np.random.default_rng(0)))
    assert abs(out.mean() - 1.0) < 0.01 and abs(np.mean(cache.mask == 0) - 0.3) < 0.01
    out0, _ = dropout_forward(a, dropout_mask(a.shape, 0.0, np.random.default_rng(0)))
    assert np.array_equal(out0, a)


def test_backward_never_writes_into_its_inputs():
    a = np.arange(6.0).reshape(2, 3)
    out, cache = dropout_forward(a, dropout_mask(a.shape, 0.5, np.random.default_rng(1)))
    dout, mask = np.ones_like(a), cache.mask.copy()
    dropout_backward(dout, cache)
    assert np.array_equal(dout, np.ones_like(a)) and np.array_equal(cache.mask, mask)
    params = {"W1": a.copy()}
    l2_backward(l2_forward(params, 0.1)[1])
    assert np.array_equal(params["W1"], a)


@pytest.mark.parametrize("call, match", [
    (lambda: dropout_mask((3,), 1.0, np.random.default_rng(0)), r"p must be a probability in \[0, 1\); got 1.0"),
    (lambda: dropout_mask((3,), 0.5, 0), "rng must be a numpy.random.Generator"),
    (lambda: dropout_forward(np.ones(3), np.ones(2)), r"mask must have the same shape as a, \(3,\); got \(2,\)"),
    (lambda: dropout_backward(np.ones(2), DropoutCache(np.ones(3))), r"dout must have the shape of dropout's output, \(3,\); got \(2,\)"),
    (lambda: dropout_backward(np.ones(2), None), "cache must be the DropoutCache"),
    (lambda: l2_forward({"W1": np.ones((2, 2))}, -1.0), "lam must be a number ≥ 0; got -1.0"),
    (lambda: l2_forward({"b1": np.ones(2)}, 1.0), "at least one weight matrix"),
    (lambda: l2_forward([np.ones(2)], 1.0), "params must be a dict"),
    (lambda: l2_backward(L2Cache), "cache must be the L2Cache"),
])
def test_bad_input_is_named(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()
