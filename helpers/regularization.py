"""Regularization as forward/backward pairs: the L2 penalty and (inverted) dropout.

L2 adds ``λ/2 Σ_l ‖W_l‖²`` to the loss, so every weight's gradient gains ``λ W``
("weight decay"; biases are not penalised). Dropout keeps each activation with
probability ``1 − p`` during training and scales the kept ones by ``1/(1 − p)``,
so the expected output equals the input; its backward multiplies by the same
mask, scaling included. At test time dropout is the identity.
"""
from typing import NamedTuple

import numpy as np

from .validation import as_array, as_scalar, check_rng


class L2Cache(NamedTuple):
    """What the L2 backward needs: the penalised weights (by name) and λ."""

    weights: dict
    lam: float


class DropoutCache(NamedTuple):
    """What the dropout backward needs: the mask, already holding the 1/(1 − p) scaling."""

    mask: np.ndarray
    p: float


def l2_forward(params, lam):
    """L2 penalty ``λ/2 Σ ‖W‖²`` over the weight matrices of ``params``; returns ``(penalty, cache)``.

    The weights are the entries whose name starts with ``"W"`` (``W1, W2, …``);
    biases are not penalised.

    Parameters
    ----------
    params : dict of arrays, as ``helpers.network.init_mlp`` makes them
    lam : float ≥ 0, the strength λ

    Examples
    --------
    >>> penalty, cache = l2_forward({"W1": np.array([[3.0, 4.0]]), "b1": np.array([9.0])}, 0.1)
    >>> round(penalty, 6)  # 0.1 / 2 · (9 + 16); b1 is not penalised
    1.25
    """
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict of arrays like init_mlp returns; got {type(params).__name__}")
    lam = as_scalar(lam, "lam")
    if lam < 0:
        raise ValueError(f"lam must be a number ≥ 0; got {lam}")
    weights = {k: as_array(v, f"params[{k!r}]") for k, v in params.items() if str(k).startswith("W")}
    if not weights:
        raise ValueError(f"params must hold at least one weight matrix named W…; got keys {list(params)}")
    penalty = 0.5 * lam * sum(float(np.sum(W * W)) for W in weights.values())
    return penalty, L2Cache(weights, lam)


def l2_backward(cache):
    """L2 backward: ``{"W1": λ W1, …}``, one gradient per penalised weight (add it to the loss's).

    Examples
    --------
    >>> _, cache = l2_forward({"W1": np.array([[3.0, 4.0]]), "b1": np.array([9.0])}, 0.1)
    >>> {k: g.round(6).tolist() for k, g in l2_backward(cache).items()}
    {'W1': [[0.3, 0.4]]}
    """
    if not isinstance(cache, L2Cache):
        raise TypeError(f"cache must be the L2Cache that l2_forward returned; got {type(cache).__name__}")
    return {k: cache.lam * W for k, W in cache.weights.items()}


def dropout_forward(a, p, rng):
    """Inverted dropout: ``out = a ⊙ m`` with ``m = keep / (1 − p)``; returns ``(out, cache)``.

    Each entry is kept with probability ``1 − p`` (``keep`` is 1 or 0, drawn from
    ``rng``) and the kept ones are scaled by ``1/(1 − p)``, so ``E[out] = a``.
    ``p = 0`` keeps everything (the test-time layer).

    Parameters
    ----------
    a : array, any shape
    p : float in [0, 1), the probability of dropping an entry
    rng : numpy.random.Generator; the same seed gives the same mask

    Examples
    --------
    >>> out, cache = dropout_forward(np.ones((2, 4)), 0.5, np.random.default_rng(0))
    >>> sorted(set(out.ravel().tolist()))  # dropped, or kept and doubled
    [0.0, 2.0]
    """
    a = as_array(a, "a", allow_empty=True)
    p = as_scalar(p, "p")
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be a probability in [0, 1); got {p}")
    rng = check_rng(rng)
    mask = (rng.random(a.shape) >= p) / (1.0 - p)
    return a * mask, DropoutCache(mask, p)


def dropout_backward(dout, cache):
    """Dropout backward: ``da = dout ⊙ m``, the same mask with its ``1/(1 − p)`` scaling.

    Examples
    --------
    >>> out, cache = dropout_forward(np.ones((1, 4)), 0.5, np.random.default_rng(0))
    >>> bool(np.array_equal(dropout_backward(np.ones((1, 4)), cache), out))
    True
    """
    if not isinstance(cache, DropoutCache):
        raise TypeError(f"cache must be the DropoutCache that dropout_forward returned; got {type(cache).__name__}")
    dout = as_array(dout, "dout", allow_empty=True)
    if dout.shape != cache.mask.shape:
        raise ValueError(f"dout must have the shape of dropout's output, {cache.mask.shape}; got {dout.shape}")
    return dout * cache.mask
