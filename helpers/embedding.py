"""An embedding layer: a table lookup whose gradient touches only the rows that were used.

Forward: ``out[n] = E[tokens[n]]``, a row of the table ``E`` (shape ``(V, D)``) per
token. It is a one-hot input times ``E`` (``onehot(tokens) @ E``) without building the
one-hot matrix. Backward: ``dE = onehot(tokens)ᵀ dout``; row ``v`` of ``dE`` is the sum of
``dout[n]`` over every position ``n`` where token ``v`` appears, and zero for the rows no
token used. So the gradient is *sparse*: the rows used (at most the number of tokens,
however large the vocabulary) and their summed gradients. A token that appears twice
gets both upstream gradients added (``np.add.at``; ``dE[tokens] = dout`` would keep only
the last one).

A sparse SGD update touches only those rows and gives exactly the dense update. Adam
does not stay sparse: its moments ``m``, ``v`` of a row used once keep moving that row at
every later step, gradient or not. *Lazy* Adam (PyTorch's ``SparseAdam``, TensorFlow
Addons' ``LazyAdam``) updates only the rows of the current batch: cheaper, and not the same.
"""
from typing import NamedTuple

import numpy as np

from .validation import as_array, check_positive


class EmbeddingCache(NamedTuple):
    """What the backward pass needs: the tokens, and the vocabulary size (for a dense gradient)."""

    tokens: np.ndarray
    vocab_size: int


class SparseGrad(NamedTuple):
    """A gradient of a ``(V, D)`` table given by its nonzero rows: ``rows`` (sorted, unique) and ``values`` (len(rows), D)."""

    rows: np.ndarray
    values: np.ndarray


def embedding_forward(tokens, E):
    """Look up one row of ``E`` per token: ``out[..., :] = E[tokens[...]]``; returns ``(out, cache)``.

    ``tokens`` is an integer array of any shape (e.g. ``(N,)`` or ``(N, T)``) with values in
    ``[0, V)``; ``out`` has shape ``tokens.shape + (D,)``.

    Examples
    --------
    >>> E = np.arange(6.0).reshape(3, 2)
    >>> out, cache = embedding_forward(np.array([2, 0, 2]), E)
    >>> out.tolist()
    [[4.0, 5.0], [0.0, 1.0], [4.0, 5.0]]
    """
    E = as_array(E, "E", ndim=2)
    tokens = _check_tokens(tokens, E.shape[0])
    return E[tokens], EmbeddingCache(tokens, E.shape[0])


def embedding_backward(dout, cache):
    """The sparse gradient of the table: the rows used and, for each, ``Σ dout[n]`` over its tokens.

    Examples
    --------
    >>> _, cache = embedding_forward(np.array([2, 0, 2]), np.zeros((5, 2)))
    >>> grad = embedding_backward(np.array([[1.0, 1.0], [2.0, 2.0], [10.0, 10.0]]), cache)
    >>> grad.rows.tolist(), grad.values.tolist()  # token 2 appears twice: 1 + 10
    ([0, 2], [[2.0, 2.0], [11.0, 11.0]])
    """
    tokens = cache.tokens
    dout = as_array(dout, "dout", ndim=tokens.ndim + 1)
    if dout.shape[:-1] != tokens.shape:
        raise ValueError(f"dout must have shape {tokens.shape} + (D,), one row per token; got {dout.shape}")
    rows, where = np.unique(tokens.ravel(), return_inverse=True)
    values = np.zeros((rows.size, dout.shape[-1]))
    np.add.at(values, where, dout.reshape(-1, dout.shape[-1]))
    return SparseGrad(rows, values)


def embedding_backward_dense(dout, cache):
    """The same gradient as a full ``(V, D)`` array, zero for the unused rows: ``onehot(tokens)ᵀ dout``."""
    grad = embedding_backward(dout, cache)
    return densify(grad, cache.vocab_size)


def densify(grad, vocab_size):
    """A :class:`SparseGrad` as the full ``(V, D)`` array."""
    dense = np.zeros((vocab_size, grad.values.shape[1]))
    dense[grad.rows] = grad.values
    return dense


def sgd_sparse(E, grad, lr):
    """``E[rows] −= lr · values`` in place: only the used rows are read and written."""
    E[grad.rows] -= lr * grad.values


def sgd_dense(E, dE, lr):
    """``E −= lr · dE`` in place over the whole table (every row, used or not)."""
    E -= lr * dE


class LazyAdam:
    """Adam on the rows of a sparse gradient only (as PyTorch's ``SparseAdam``): rows not in the batch stay put.

    Same formula and bias correction (by the global step ``t``) as
    ``helpers.optimizers.Adam``; when every row is in every batch the two agree.
    """

    def __init__(self, shape, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7):
        self.m, self.v = np.zeros(shape), np.zeros(shape)
        self.lr, self.beta1, self.beta2, self.eps = check_positive(lr, "lr"), beta1, beta2, eps
        self.t = 0

    def step(self, E, grad):
        """Update ``E[grad.rows]`` in place from the sparse gradient ``grad``."""
        self.t += 1
        rows, g = grad.rows, grad.values
        m = self.m[rows] + (1.0 - self.beta1) * (g - self.m[rows])
        v = self.v[rows] + (1.0 - self.beta2) * (g * g - self.v[rows])
        self.m[rows], self.v[rows] = m, v
        root = (1.0 - self.beta2**self.t) ** 0.5
        E[rows] -= self.lr * root / (1.0 - self.beta1**self.t) * m / (np.sqrt(v) + self.eps * root)


def _check_tokens(tokens, vocab_size):
    tokens = np.asarray(tokens)
    if tokens.size == 0 or not np.issubdtype(tokens.dtype, np.integer):
        raise TypeError(f"tokens must be a non-empty array of integers (token ids); got dtype {tokens.dtype} and shape {tokens.shape}")
    if tokens.min() < 0 or tokens.max() >= vocab_size:
        raise ValueError(f"tokens must lie in [0, {vocab_size}), the rows of E; got values from {tokens.min()} to {tokens.max()}")
    return tokens
