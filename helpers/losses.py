"""Loss functions, each returning ``(loss, gradient)``.

The loss is a mean over the batch (the first axis), so the gradient carries a
``1/N``. The cross-entropy losses take *logits* (pre-activations), which is both
simpler and numerically stable: they never compute ``log(0)`` or overflow.
"""
import numpy as np

from .activations import sigmoid
from .validation import as_array, check_same_shape


def mse(y, y_true):
    """Half mean squared error ``L = (1/N) Σ_n ½ ‖y_n − t_n‖²`` and ``dL/dy``.

    For one example with one output this is the course's ``L = ½ (y − t)²``,
    whose derivative is simply ``y − t``. (Keras's ``"mse"`` is the mean of
    ``(y − t)²`` over outputs as well: twice this value for one output.)

    Parameters
    ----------
    y : array, shape (N,) or (N, D)
        Predictions.
    y_true : array, same shape as ``y``
        Targets.

    Returns
    -------
    loss : float
    dy : array, same shape as ``y``: ``(y − t) / N``.

    Examples
    --------
    >>> loss, dy = mse(np.array([0.8]), np.array([1.0]))
    >>> round(loss, 4), dy.round(4).tolist()
    (0.02, [-0.2])
    """
    y, y_true = _pair(y, "y", y_true)
    n = y.shape[0]
    diff = y - y_true
    return float(0.5 * np.sum(diff**2) / n), diff / n


def keras_mse(y, y_true):
    """Keras's ``"mse"``: the mean of ``(y − t)²`` over the batch *and* the outputs, and ``dL/dy``.

    ``L = (1/(N D)) Σ_n ‖y_n − t_n‖²`` is :func:`mse` times ``2 / D``: for one
    output, twice the course's ``½``-MSE, and so is its gradient, ``2 (y − t) / (N D)``.
    Use it where numbers must match Keras (or PyTorch's ``MSELoss``). Arguments
    and returns are :func:`mse`'s: ``y`` and ``y_true`` of shape (N,) or (N, D),
    ``(loss, dy)`` with ``dy`` shaped like ``y``.

    Examples
    --------
    >>> loss, dy = keras_mse(np.array([0.8]), np.array([1.0]))
    >>> round(loss, 4), dy.round(4).tolist()  # twice mse's (0.02, [-0.2])
    (0.04, [-0.4])
    """
    loss, dy = mse(y, y_true)
    scale = 2.0 / (dy.shape[1] if dy.ndim == 2 else 1)
    return loss * scale, dy * scale


def binary_cross_entropy_with_logits(z, y_true):
    """Binary cross-entropy of ``σ(z)`` against labels in ``[0, 1]``, and ``dL/dz``.

    ``L = (1/N) Σ −[t log σ(z) + (1 − t) log(1 − σ(z))]``, computed as
    ``max(z, 0) − t z + log(1 + e^{−|z|})``, which equals it and never
    overflows. The gradient is ``(σ(z) − t) / N``: σ' has cancelled.

    Parameters
    ----------
    z : array, shape (N,) or (N, 1)
        Logits.
    y_true : array, same shape as ``z``
        Labels or probabilities in ``[0, 1]``.

    Examples
    --------
    >>> loss, dz = binary_cross_entropy_with_logits(np.array([0.0]), np.array([1.0]))
    >>> round(loss, 4), dz.tolist()
    (0.6931, [-0.5])
    """
    z, y_true = _pair(z, "z", y_true)
    if np.any((y_true < 0) | (y_true > 1)):
        raise ValueError(f"y_true must hold labels or probabilities in [0, 1]; got values from {y_true.min():g} to {y_true.max():g}")
    n = z.shape[0]
    losses = np.maximum(z, 0.0) - y_true * z + np.log1p(np.exp(-np.abs(z)))
    return float(np.sum(losses) / n), (sigmoid(z) - y_true) / n


def softmax(z):
    """Row-wise softmax of logits ``z`` of shape (N, C), shifted so it never overflows.

    Examples
    --------
    >>> softmax(np.array([[0.0, 0.0], [1e4, 0.0]])).tolist()
    [[0.5, 0.5], [1.0, 0.0]]
    """
    z = as_array(z, "z", ndim=2)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy_with_logits(z, labels):
    """Softmax cross-entropy ``L = (1/N) Σ_n −log p_{n, t_n}`` and ``dL/dz``.

    ``log p`` is computed as ``z − logsumexp(z)`` (log-sum-exp trick), so huge
    logits neither overflow nor produce ``log(0)``. The gradient is
    ``(p − onehot(t)) / N``.

    Parameters
    ----------
    z : array, shape (N, C)
        Logits, one row per example.
    labels : int array, shape (N,)
        The correct class of each example, in ``0 … C−1``.

    Examples
    --------
    >>> loss, dz = softmax_cross_entropy_with_logits(np.zeros((1, 2)), np.array([1]))
    >>> round(loss, 4), dz.tolist()
    (0.6931, [[0.5, -0.5]])
    """
    z = as_array(z, "z", ndim=2)
    n, c = z.shape
    labels = np.asarray(labels)
    if not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"labels must be integer class indices; got dtype {labels.dtype}")
    if labels.shape != (n,):
        raise ValueError(f"labels must have shape ({n},), one class per row of z; got {labels.shape}")
    if np.any((labels < 0) | (labels >= c)):
        raise ValueError(f"labels must be class indices in 0..{c - 1}; got values from {labels.min()} to {labels.max()}")
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(n)
    dz = np.exp(log_p)
    dz[rows, labels] -= 1.0
    return float(-log_p[rows, labels].sum() / n), dz / n


def _pair(y, y_name, y_true):
    y = as_array(y, y_name, ndim=(1, 2))
    y_true = as_array(y_true, "y_true", ndim=(1, 2))
    check_same_shape(y, y_name, y_true, "y_true")
    return y, y_true
