"""The embedding layer: a one-hot product without the one-hot; sparse gradients equal dense ones; lazy Adam."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from helpers.embedding import (
    LazyAdam, SparseGrad, densify, embedding_backward, embedding_backward_dense, embedding_forward, sgd_dense, sgd_sparse,
)
from helpers.gradcheck import numerical_gradient_backward, relative_error
from helpers.optimizers import Adam

FAST = settings(max_examples=40, deadline=None, derandomize=True, database=None)


@FAST
@given(vocab=st.integers(1, 12), d=st.integers(1, 4), shape=st.sampled_from([(1,), (5,), (3, 4), (2, 2, 2)]), seed=st.integers(0, 2**16))
def test_sparse_gradient_is_the_one_hot_gradient_and_the_sparse_step_the_dense_one(vocab, d, shape, seed):
    rng = np.random.default_rng(seed)
    E = rng.normal(size=(vocab, d))
    tokens = rng.integers(0, vocab, size=shape)
    out, cache = embedding_forward(tokens, E)
    onehot = np.eye(vocab)[tokens.ravel()]
    assert np.array_equal(out.reshape(-1, d), onehot @ E)
    dout = rng.normal(size=out.shape)
    grad = embedding_backward(dout, cache)
    dense = onehot.T @ dout.reshape(-1, d)
    assert np.allclose(densify(grad, vocab), dense, rtol=1e-12, atol=1e-12)
    assert np.array_equal(grad.rows, np.unique(tokens)) and np.array_equal(embedding_backward_dense(dout, cache), densify(grad, vocab))
    a, b = E.copy(), E.copy()
    sgd_sparse(a, grad, 0.3)
    sgd_dense(b, densify(grad, vocab), 0.3)
    assert np.array_equal(a, b)


def test_gradient_matches_central_differences_with_a_repeated_token():
    rng = np.random.default_rng(0)
    E, tokens = rng.normal(size=(6, 3)), np.array([4, 1, 4, 4, 0])
    dout = rng.normal(size=(5, 3))
    numeric = numerical_gradient_backward(lambda table: embedding_forward(tokens, table)[0], E, dout)
    assert relative_error(embedding_backward_dense(dout, embedding_forward(tokens, E)[1]), numeric) < 1e-8


def test_lazy_adam_equals_adam_when_every_row_is_used_and_differs_otherwise():
    rng = np.random.default_rng(1)
    E = rng.normal(size=(5, 2))
    dense, lazy = {"E": E.copy()}, E.copy()
    adam, lazy_adam = Adam(0.01), LazyAdam(E.shape, 0.01)
    for _ in range(4):
        g = rng.normal(size=E.shape)
        adam.step(dense, {"E": g})
        lazy_adam.step(lazy, SparseGrad(np.arange(5), g))
    assert np.allclose(lazy, dense["E"], rtol=1e-12, atol=1e-14)
    for rows in ([0, 1], [2]):
        before_dense, before_lazy = dense["E"].copy(), lazy.copy()
        g = SparseGrad(np.array(rows), rng.normal(size=(len(rows), 2)))
        adam.step(dense, {"E": densify(g, 5)})
        lazy_adam.step(lazy, g)
        assert np.flatnonzero(np.any(lazy != before_lazy, axis=1)).tolist() == rows
        assert np.flatnonzero(np.any(dense["E"] != before_dense, axis=1)).tolist() == [0, 1, 2, 3, 4]


def test_bad_tokens_are_named():
    E = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"tokens must lie in \[0, 3\)"):
        embedding_forward(np.array([0, 3]), E)
    with pytest.raises(TypeError, match="integers"):
        embedding_forward(np.array([0.5]), E)
    _, cache = embedding_forward(np.array([0, 1]), E)
    with pytest.raises(ValueError, match="dout"):
        embedding_backward(np.zeros((3, 2)), cache)
