"""Input checks that fail early with a message a student can act on.

Every public function in the math modules passes its array arguments through
:func:`as_array`, so a wrong shape, a NaN or an integer array is reported with
the argument's name, what was expected and what came.
"""
import numbers

import numpy as np


def as_array(value, name, *, ndim=None, shape=None, allow_empty=False):
    """Return ``value`` as a finite float64 array, or raise a clear error.

    Parameters
    ----------
    value : array_like or float
        What the caller passed.
    name : str
        The argument's name, used in every message.
    ndim : int or tuple of int, optional
        Allowed numbers of dimensions.
    shape : tuple, optional
        Expected shape; ``None`` entries match any size. Implies ``ndim``.
    allow_empty : bool
        Whether an array with no elements is acceptable.

    Examples
    --------
    >>> as_array([1, 2], "x").dtype
    dtype('float64')
    >>> as_array([[1.0, 2.0]], "x", shape=(None, 3))
    Traceback (most recent call last):
    ...
    ValueError: x must have shape (N, 3); got shape (1, 2)
    """
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        raise TypeError(f"{name} must be a number or an array of numbers; got {type(value).__name__}")
    if isinstance(value, np.ndarray):
        arr = value
    else:
        try:
            arr = np.asarray(value)
        except ValueError as exc:  # ragged nested lists
            raise TypeError(f"{name} must be a rectangular array of numbers; got a ragged {type(value).__name__}") from exc
    if arr.dtype.kind not in "fiu":  # float, signed or unsigned int: not bool, complex, object, text
        raise TypeError(f"{name} must hold real numbers; got dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    if shape is not None:
        ndim = len(shape)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            expected = _describe_shape(shape) if shape is not None else f"{' or '.join(map(str, allowed))}-D"
            raise ValueError(f"{name} must be {expected}; got {arr.ndim}-D with shape {arr.shape}")
    if shape is not None and any(want is not None and got != want for want, got in zip(shape, arr.shape)):
        raise ValueError(f"{name} must have shape {_describe_shape(shape)}; got shape {arr.shape}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty; got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite; it contains NaN or inf")
    return arr


def as_scalar(value, name):
    """Return ``value`` as a finite Python float, or raise a clear error.

    Examples
    --------
    >>> as_scalar(2, "lr")
    2.0
    """
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.ndarray)):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__}")
    arr = as_array(value, name)
    if arr.size != 1:
        raise ValueError(f"{name} must be a single number; got shape {arr.shape}")
    return float(arr.reshape(()))


def check_positive(value, name, *, integer=False):
    """Return ``value`` if it is a positive number (an int when ``integer``), else raise."""
    if integer:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"{name} must be a positive integer; got {type(value).__name__}")
        value = int(value)
    else:
        value = as_scalar(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be positive; got {value}")
    return value


def check_same_shape(a, a_name, b, b_name):
    """Raise ValueError unless arrays ``a`` and ``b`` have the same shape."""
    if a.shape != b.shape:
        raise ValueError(f"{b_name} must have the same shape as {a_name}, {a.shape}; got {b.shape}")


def is_class_labels(y):
    """True when ``y`` is a 1-D integer array: class indices, as softmax cross-entropy takes them.

    Examples
    --------
    >>> is_class_labels(np.array([0, 2, 1])), is_class_labels(np.array([[0.0, 1.0]]))
    (True, False)
    """
    return isinstance(y, np.ndarray) and y.ndim == 1 and y.dtype.kind in "iu"


def check_cache(cache, cache_type, forward):
    """Return ``cache`` if it is the ``cache_type`` that the function named ``forward`` returns, else raise TypeError.

    Examples
    --------
    >>> from typing import NamedTuple
    >>> class Cache(NamedTuple):
    ...     x: float
    >>> check_cache(None, Cache, "f_forward")
    Traceback (most recent call last):
    ...
    TypeError: cache must be the Cache that f_forward returned; got NoneType
    """
    if not isinstance(cache, cache_type):
        raise TypeError(f"cache must be the {cache_type.__name__} that {forward} returned; got {type(cache).__name__}")
    return cache


def check_rng(rng, name="rng"):
    """Return ``rng`` if it is a ``numpy.random.Generator``, else raise TypeError."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{name} must be a numpy.random.Generator, e.g. np.random.default_rng(0); got {type(rng).__name__}")
    return rng


def _describe_shape(shape):
    letters = iter("NMKL")
    parts = [str(s) if s is not None else next(letters) for s in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
