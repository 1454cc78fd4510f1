"""Regularization as forward/backward pairs: the L2 penalty and (inverted) dropout.

L2 adds ``λ/2 Σ_l ‖W_l‖²`` to the loss, so every weight's gradient gains ``λ W``
("weight decay"; biases are not penalised). Dropout keeps each activation with
probability ``1 − p`` during training and scales the kept ones by ``1/(1 − p)``,
so the expected output equals the input; its backward multiplies by the same
mask, scaling included. At test time dropout is the identity.
"""
from typing import NamedTuple

import numpy as np

from .validation import as_array, as_scalar, check_rng, check_same_shape


class L2Cache(NamedTuple):
    """What the L2 backward needs: the penalised weights (by name) and λ."""

    weights: dict
    lam: float


class DropoutCache(NamedTuple):
    """What the dropout backward needs: the mask, already holding the 1/(1 − p) scaling."""

    mask: np.ndarray


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


def dropout_mask(shape, p, rng):
    """A fresh dropout mask: each entry 0 with probability ``p``, else ``1/(1 − p)``.

    Drawing the mask is the only random step of dropout; the forward/backward pair
    below is then pure, so a gradient check with the mask held fixed is meaningful.

    Parameters
    ----------
    shape : tuple, the shape of the activations
    p : float in [0, 1), the probability of dropping an entry (0: keep everything, the test-time layer)
    rng : numpy.random.Generator

    Examples
    --------
    >>> dropout_mask((2, 4), 0.5, np.random.default_rng(0)).tolist()  # dropped, or kept and doubled
    [[2.0, 0.0, 0.0, 0.0], [2.0, 2.0, 2.0, 2.0]]
    """
    p = as_scalar(p, "p")
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be a probability in [0, 1); got {p}")
    rng = check_rng(rng)
    return (rng.random(shape) >= p) / (1.0 - p)


def dropout_forward(a, mask):
    """Inverted dropout: ``out = a ⊙ m`` for a mask from :func:`dropout_mask`; returns ``(out, cache)``.

    The kept entries are already scaled by ``1/(1 − p)`` in ``m``, so ``E[out] = a``.

    Examples
    --------
    >>> out, cache = dropout_forward(np.array([[1.0, 2.0]]), np.array([[0.0, 2.0]]))
    >>> out.tolist()
    [[0.0, 4.0]]
    """
    a = as_array(a, "a", allow_empty=True)
    mask = as_array(mask, "mask", allow_empty=True)
    check_same_shape(a, "a", mask, "mask")
    return a * mask, DropoutCache(mask)


def dropout_backward(dout, cache):
    """Dropout backward: ``da = dout ⊙ m``, the same mask with its ``1/(1 − p)`` scaling.

    Examples
    --------
    >>> _, cache = dropout_forward(np.ones((1, 2)), np.array([[0.0, 2.0]]))
    >>> dropout_backward(np.array([[5.0, 5.0]]), cache).tolist()
    [[0.0, 10.0]]
    """
    if not isinstance(cache, DropoutCache):
        raise TypeError(f"cache must be the DropoutCache that dropout_forward returned; got {type(cache).__name__}")
    dout = as_array(dout, "dout", allow_empty=True)
    if dout.shape != cache.mask.shape:
        raise ValueError(f"dout must have the shape of dropout's output, {cache.mask.shape}; got {dout.shape}")
    return dout * cache.mask
