"""The dense (fully connected) layer as a forward/backward pair.

Shapes are batch-first: ``x`` is ``(N, D_in)``, ``W`` is ``(D_in, D_out)``,
``b`` is ``(D_out,)`` and the output ``z = x W + b`` is ``(N, D_out)``.
Parameters and their gradients are dicts with the same keys, ``"W"`` and ``"b"``.
"""
from typing import NamedTuple

import numpy as np

from .validation import as_array, check_cache, check_positive, check_rng, check_same_shape


class DenseCache(NamedTuple):
    """What the dense backward pass needs: the layer's input and its weights."""

    x: np.ndarray
    W: np.ndarray


def init_dense(d_in, d_out, rng, *, scale="xavier"):
    """New parameters ``{"W": (d_in, d_out), "b": (d_out,)}`` for a dense layer.

    ``W`` is normal with standard deviation ``scale``, a number or a name:
    ``"xavier"`` (Glorot) is ``sqrt(2 / (d_in + d_out))``, ``"lecun"`` is
    ``sqrt(1 / d_in)`` and ``"he"`` is ``sqrt(2 / d_in)``. ``b`` starts at 0.

    Examples
    --------
    >>> p = init_dense(3, 2, np.random.default_rng(0))
    >>> p["W"].shape, p["b"].shape
    ((3, 2), (2,))
    """
    d_in = check_positive(d_in, "d_in", integer=True)
    d_out = check_positive(d_out, "d_out", integer=True)
    rng = check_rng(rng)
    named = {"xavier": np.sqrt(2.0 / (d_in + d_out)), "lecun": np.sqrt(1.0 / d_in), "he": np.sqrt(2.0 / d_in)}
    if isinstance(scale, str):
        if scale not in named:
            raise ValueError(f"scale must be a positive number or one of {sorted(named)}; got {scale!r}")
        std = named[scale]
    else:
        std = check_positive(scale, "scale")
    return {"W": rng.normal(0.0, std, size=(d_in, d_out)), "b": np.zeros(d_out)}


def dense_forward(x, params):
    """Dense forward: ``z = x W + b``; returns ``(z, cache)``.

    Parameters
    ----------
    x : array, shape (N, D_in)
    params : dict with ``"W"`` of shape (D_in, D_out) and ``"b"`` of shape (D_out,)
    """
    W, b = _params(params)
    x = as_array(x, "x", shape=(None, W.shape[0]))
    return x @ W + b, DenseCache(x, W)


def dense_backward(dz, cache):
    """Dense backward: returns ``(dx, {"W": dW, "b": db})``.

    ``dx = dz Wᵀ`` (N, D_in); ``dW = xᵀ dz`` (D_in, D_out); ``db = Σ_n dz_n``:
    the bias was broadcast over the batch, so its gradient sums over it. Each
    transpose is the one that makes the shapes fit.
    """
    check_cache(cache, DenseCache, "dense_forward")
    dz = as_array(dz, "dz", ndim=2)
    expected = (cache.x.shape[0], cache.W.shape[1])
    if dz.shape != expected:
        raise ValueError(f"dz must have the forward output's shape {expected}; got {dz.shape}")
    return dz @ cache.W.T, {"W": cache.x.T @ dz, "b": dz.sum(axis=0)}


def _params(params):
    if not isinstance(params, dict) or not {"W", "b"} <= params.keys():
        got = f"keys {sorted(map(str, params))}" if isinstance(params, dict) else type(params).__name__
        raise TypeError(f"params must be a dict with keys 'W' and 'b'; got {got}")
    W = as_array(params["W"], "params['W']", ndim=2)
    b = as_array(params["b"], "params['b']", ndim=1)
    check_same_shape(np.empty(W.shape[1]), "the output width W.shape[1]", b, "params['b']")
    return W, b
