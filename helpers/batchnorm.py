"""Batch normalization as a forward/backward pair, with running statistics for inference.

Training mode normalizes each feature with the statistics of the batch
(``x`` is ``(N, D)``, statistics over the ``N`` axis)::

    μ = mean_n x,   σ² = mean_n (x − μ)²   (the biased variance, 1/N),
    x̂ = (x − μ) / √(σ² + ε),   out = γ ⊙ x̂ + β.

The backward pass in its compact form (``dx̂ = dout ⊙ γ``)::

    dx = (1 / √(σ² + ε)) · (dx̂ − mean_n dx̂ − x̂ ⊙ mean_n(dx̂ ⊙ x̂)),
    dγ = Σ_n dout ⊙ x̂,   dβ = Σ_n dout.

The two subtracted means are the paths through μ and through σ²: every
example's output depends on every other example's input via the statistics.

For inference the batch statistics are replaced by running averages kept in an
explicit :class:`RunningStats` (no globals): :func:`update_running_stats`
returns a new one after each training batch, :func:`batchnorm_inference`
uses it. The running variance is the same biased batch variance the forward
pass uses, so training and inference normalize consistently.

The checked pair converts and checks its arguments, then runs the unchecked
kernels :func:`bn_kernel_forward` / :func:`bn_kernel_backward`, which
``helpers.deep`` calls directly.
"""
from typing import NamedTuple

import numpy as np

from .validation import as_array, as_scalar, check_cache, check_positive

EPS = 1e-5
"""The default ε added to the variance (as in Keras and PyTorch)."""


class BatchNormCache(NamedTuple):
    """What the batch-norm backward needs: the normalized input, ``1/√(σ²+ε)``, γ; and the batch statistics."""

    xhat: np.ndarray
    inv_std: np.ndarray
    gamma: np.ndarray
    mean: np.ndarray
    var: np.ndarray


class RunningStats(NamedTuple):
    """Running averages of the batch mean and (biased) variance, one entry per feature."""

    mean: np.ndarray
    var: np.ndarray


def init_batchnorm(d):
    """Parameters ``{"gamma": ones(d), "beta": zeros(d)}``: at first, out = x̂.

    Examples
    --------
    >>> {k: v.tolist() for k, v in init_batchnorm(2).items()}
    {'gamma': [1.0, 1.0], 'beta': [0.0, 0.0]}
    """
    d = check_positive(d, "d", integer=True)
    return {"gamma": np.ones(d), "beta": np.zeros(d)}


def init_running_stats(d):
    """Running statistics before any batch: mean 0, variance 1."""
    d = check_positive(d, "d", integer=True)
    return RunningStats(np.zeros(d), np.ones(d))


def batchnorm_forward(x, params, eps=EPS):
    """Batch norm in training mode, with the batch's statistics; returns ``(out, cache)``.

    Parameters
    ----------
    x : array, shape (N, D), N ≥ 2
    params : dict with ``"gamma"`` and ``"beta"``, each of shape (D,)
    eps : float > 0

    Examples
    --------
    >>> out, cache = batchnorm_forward(np.array([[1.0], [3.0]]), init_batchnorm(1), eps=0.0 + 1e-12)
    >>> out.round(6).tolist(), cache.mean.tolist(), cache.var.tolist()
    ([[-1.0], [1.0]], [2.0], [1.0])
    """
    gamma, beta = _params(params)
    x = check_batch(as_array(x, "x", shape=(None, gamma.shape[0])))
    return bn_kernel_forward(x, gamma, beta, check_positive(eps, "eps"))


def batchnorm_backward(dout, cache):
    """Batch-norm backward (training mode); returns ``(dx, {"gamma": dgamma, "beta": dbeta})``.

    Examples
    --------
    >>> out, cache = batchnorm_forward(np.array([[1.0], [3.0]]), init_batchnorm(1))
    >>> dx, grads = batchnorm_backward(np.ones_like(out), cache)
    >>> dx.round(12).tolist(), grads["beta"].tolist()  # shifting every output moves nothing: the mean is removed
    ([[0.0], [0.0]], [2.0])
    """
    check_cache(cache, BatchNormCache, "batchnorm_forward")
    dout = as_array(dout, "dout", shape=cache.xhat.shape)
    return bn_kernel_backward(dout, cache)


def update_running_stats(stats, cache, momentum=0.9):
    """New running statistics: ``momentum · old + (1 − momentum) · batch``; ``stats`` is not changed.

    Examples
    --------
    >>> _, cache = batchnorm_forward(np.array([[1.0], [3.0]]), init_batchnorm(1))
    >>> new = update_running_stats(init_running_stats(1), cache, momentum=0.5)
    >>> new.mean.tolist(), new.var.tolist()
    ([1.0], [1.0])
    """
    check_cache(cache, BatchNormCache, "batchnorm_forward")
    mean, var = _stats(stats, cache.mean.shape)
    momentum = as_scalar(momentum, "momentum")
    if not 0.0 <= momentum < 1.0:
        raise ValueError(f"momentum must be in [0, 1); got {momentum}")
    return RunningStats(
        momentum * mean + (1 - momentum) * cache.mean,
        momentum * var + (1 - momentum) * cache.var,
    )


def batchnorm_inference(x, params, stats, eps=EPS):
    """Batch norm at inference: ``γ (x − running mean) / √(running var + ε) + β``; any batch size.

    Examples
    --------
    >>> batchnorm_inference(np.array([[2.0]]), init_batchnorm(1), RunningStats(np.array([1.0]), np.array([4.0])), eps=1e-12).round(6).tolist()
    [[0.5]]
    """
    gamma, beta = _params(params)
    mean, var = _stats(stats, gamma.shape)
    x = as_array(x, "x", shape=(None, gamma.shape[0]))
    return gamma * (x - mean) / np.sqrt(var + check_positive(eps, "eps")) + beta


ONE_EXAMPLE = "on one example the batch variance is 0 and x equals its mean, so the output is beta whatever x is and no gradient flows back to x"
"""Why batch normalization in training mode needs a batch of at least 2 examples."""


def check_batch(x, name="x"):
    """Return ``x`` (N, D) if it holds the 2 or more examples that batch statistics need, else raise ValueError.

    On one example ``x − μ = 0``: every output is ``β`` and ``dx = 0``, whatever ``x`` is.

    Examples
    --------
    >>> check_batch(np.ones((1, 3)))
    Traceback (most recent call last):
    ...
    ValueError: x must hold at least 2 examples for batch normalization; got shape (1, 3): on one example the batch variance is 0 and x equals its mean, so the output is beta whatever x is and no gradient flows back to x
    """
    if x.shape[0] < 2:
        raise ValueError(f"{name} must hold at least 2 examples for batch normalization; got shape {x.shape}: {ONE_EXAMPLE}")
    return x


# The unchecked kernels: the formulas above, once. Only ever called on checked arguments.


def bn_kernel_forward(x, gamma, beta, eps):
    """Unchecked training-mode forward of ``x`` (N, D); returns ``(out, BatchNormCache)``."""
    mean = x.mean(axis=0)
    centred = x - mean
    var = np.mean(centred * centred, axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = centred * inv_std
    return gamma * xhat + beta, BatchNormCache(xhat, inv_std, gamma, mean, var)


def bn_kernel_backward(dout, cache):
    """Unchecked compact backward; returns ``(dx, {"gamma": dgamma, "beta": dbeta})``."""
    xhat = cache.xhat
    dxhat = dout * cache.gamma
    dx = cache.inv_std * (dxhat - dxhat.mean(axis=0) - xhat * np.mean(dxhat * xhat, axis=0))
    return dx, {"gamma": np.sum(dout * xhat, axis=0), "beta": dout.sum(axis=0)}


def _stats(stats, shape):
    """The running mean and variance of ``stats``, checked: finite, of ``shape``, the variance ≥ 0."""
    if not isinstance(stats, RunningStats):
        raise TypeError(f"stats must be a RunningStats, e.g. init_running_stats(d); got {type(stats).__name__}")
    mean = as_array(stats.mean, "stats.mean", shape=shape)
    var = as_array(stats.var, "stats.var", shape=shape)
    if np.any(var < 0):
        raise ValueError(f"stats.var must be non-negative, a variance per feature; got a minimum of {var.min():g}")
    return mean, var


def _params(params):
    if not isinstance(params, dict) or not {"gamma", "beta"} <= params.keys():
        got = f"keys {sorted(map(str, params))}" if isinstance(params, dict) else type(params).__name__
        raise TypeError(f"params must be a dict with keys 'gamma' and 'beta', e.g. init_batchnorm(d); got {got}")
    gamma = as_array(params["gamma"], "params['gamma']", ndim=1)
    beta = as_array(params["beta"], "params['beta']", shape=gamma.shape)
    return gamma, beta
