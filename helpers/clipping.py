"""Gradient clipping over dicts of gradients: by global norm and by value.

Both return a *new* dict (the gradients passed in are not changed) and the
global norm the gradients had *before* clipping, which is the number to watch::

    grads, norm = clip_by_global_norm(grads, 1.0)

By global norm, all gradients are scaled by the same factor
``min(1, max_norm / ‖g‖)`` where ``‖g‖ = √(Σ_k ‖g_k‖²)`` over every key: the
direction of the step is kept, only its length is capped. By value, each entry
is clipped to ``[−limit, limit]`` on its own, which can change the direction.
"""
import numpy as np

from .validation import as_array, check_positive


def global_norm(grads):
    """``√(Σ_k ‖g_k‖²)`` over every array of the dict, without overflow for huge entries.

    Examples
    --------
    >>> global_norm({"W": np.array([[3.0]]), "b": np.array([4.0])})
    5.0
    >>> f"{global_norm({'W': np.array([3e200, 4e200])}):.4g}"  # the squares would overflow
    '5e+200'
    """
    return norm_kernel(_check(grads).values())


def clip_by_global_norm(grads, max_norm):
    """Scale every gradient by ``min(1, max_norm / ‖g‖)``; returns ``(new grads, ‖g‖ before)``.

    Examples
    --------
    >>> clipped, norm = clip_by_global_norm({"W": np.array([3.0]), "b": np.array([4.0])}, 1.0)
    >>> {k: v.round(12).tolist() for k, v in clipped.items()}, norm
    ({'W': [0.6], 'b': [0.8]}, 5.0)
    """
    max_norm = check_positive(max_norm, "max_norm")
    norm = global_norm(grads)
    return scale_kernel(grads, min(1.0, max_norm / norm) if norm > 0 else 1.0), norm


def clip_by_value(grads, limit):
    """Clip every entry to ``[−limit, limit]``; returns ``(new grads, ‖g‖ before)``.

    Examples
    --------
    >>> clipped, norm = clip_by_value({"W": np.array([3.0, -0.5]), "b": np.array([-4.0])}, 1.0)
    >>> {k: v.tolist() for k, v in clipped.items()}, round(norm, 4)
    ({'W': [1.0, -0.5], 'b': [-1.0]}, 5.0249)
    """
    limit = check_positive(limit, "limit")
    norm = global_norm(grads)
    return {key: np.clip(np.asarray(g, dtype=float), -limit, limit) for key, g in grads.items()}, norm


# Unchecked kernels, for training loops that have checked their arrays already.


def norm_kernel(arrays):
    """``√(Σ ‖g‖²)`` over ``arrays``: one dot product each; rescaled by the largest entry only when the squares overflow.

    inf or NaN anywhere gives inf or NaN.
    """
    arrays = list(arrays)
    with np.errstate(over="ignore", invalid="ignore"):
        total = sum(float(np.vdot(g, g)) for g in arrays)
        if np.isfinite(total) or np.isnan(total):
            return float(np.sqrt(total))
        largest = max((float(np.max(np.abs(g))) for g in arrays if g.size), default=0.0)
        if not np.isfinite(largest):
            return largest
        return largest * float(np.sqrt(sum(float(np.vdot(g / largest, g / largest)) for g in arrays)))


def scale_kernel(grads, factor):
    """A new dict with every gradient times ``factor`` (a copy even when ``factor`` is 1)."""
    return {key: np.asarray(g, dtype=float) * factor for key, g in grads.items()}


def _check(grads):
    if not isinstance(grads, dict) or not grads:
        raise TypeError(f"grads must be a non-empty dict of gradient arrays, like a backward pass returns; got {type(grads).__name__}")
    return {key: as_array(g, f"grads[{key!r}]", allow_empty=True) for key, g in grads.items()}
