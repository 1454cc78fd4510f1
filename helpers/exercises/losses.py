"""Checkers for notebook 03's exercises: the gradients of the classification losses with respect to the logits.

Both are function exercises checked by :func:`~helpers.exercises.core.check_function`
on batches the notebook never shows: batch 1 and larger, several class counts, and
logits of ±1000, where the prompt asks for a computation that does not overflow.
The student's function runs with numpy's overflow, invalid-value and
divide-by-zero warnings turned into errors, so an unstable formula is named by
what it did ("raised FloatingPointError: overflow encountered in exp") even where
numpy would have rounded its way to the right number with only a warning.
"""
import functools

import numpy as np

from ..activations import sigmoid
from ..losses import softmax
from .core import Case, check_function

BCE_SIGNATURE = "bce_gradient(z, t)"
SOFTMAX_SIGNATURE = "softmax_gradient(z, labels)"

BCE_HINTS = {
    "cancel": "σ' cancels: ∂L/∂z = (y − t)/N has no factor σ'(z) = y(1 − y)",
    "mean": "the loss is a mean over the batch: divide by N",
    "sign": "check the sign: ∂L/∂z = y − t, not t − y",
    "logit": "apply the sigmoid first: y = σ(z), so the gradient is σ(z) − t, not z − t",
}

SOFTMAX_HINTS = {
    "mean": "the loss is a mean over the batch: divide by N",
    "onehot": "subtract the one-hot of the label: ∂L/∂z = p − onehot(t)",
    "sign": "check the sign: p − onehot, not onehot − p",
    "rows": "subtract 1 only at each row's own label, dz[np.arange(N), labels], not dz[:, labels]",
    "axis": "softmax normalises each row (axis=1), one example at a time, not each column",
    "logits": "use the probabilities p = softmax(z), not the logits z",
}


def bce_cases():
    """The batches ``(z, t)`` the BCE checker tries: batch 1, larger batches, and logits of ±1000."""
    batches = [
        ("batch of 1", [1.5], [0.0]),
        ("batch of 5", [2.0, -1.0, 0.5, -3.0, 0.2], [0.0, 1.0, 1.0, 0.0, 1.0]),
        ("batch of 8, labels not 0/1 (soft targets)", [0.3, -2.2, 4.0, 1.1, -0.7, 0.0, 2.5, -1.6], [0.2, 0.9, 1.0, 0.5, 0.0, 0.3, 0.7, 1.0]),
        ("batch of 4 with logits of ±1000 (stability)", [1000.0, -1000.0, 3.0, -999.0], [0.0, 1.0, 1.0, 0.0]),
    ]
    cases = []
    for label, z, t in batches:
        z, t = np.array(z), np.array(t)
        y, n = sigmoid(z), len(z)
        slips = {
            BCE_HINTS["cancel"]: (y - t) * y * (1 - y) / n,
            BCE_HINTS["mean"]: y - t,
            BCE_HINTS["sign"]: (t - y) / n,
            BCE_HINTS["logit"]: (z - t) / n,
        }
        cases.append(Case(label, (z, t), {"∂L/∂z": (y - t) / n}, {"∂L/∂z": slips}))
    return cases


def softmax_cases():
    """The batches ``(z, labels)`` the softmax checker tries: batch 1 and larger, 2 to 10 classes, logits of ±1000."""
    rng = np.random.default_rng(303)
    batches = [
        ("batch of 1, 3 classes", np.array([[0.5, -1.0, 2.0]]), np.array([0])),
        ("batch of 4, 5 classes", 2 * rng.standard_normal((4, 5)), np.array([4, 0, 2, 2])),
        ("batch of 3, 2 classes", np.array([[3.0, -1.0], [0.2, 0.1], [-2.0, 1.0]]), np.array([1, 0, 0])),
        ("batch of 6, 10 classes", 3 * rng.standard_normal((6, 10)), np.array([9, 3, 3, 0, 7, 1])),
        ("batch of 3 with logits of ±1000 (stability)", np.array([[1000.0, 0.0, -1000.0], [-1000.0, 1000.0, 1000.0], [0.0, -1000.0, 2.0]]), np.array([2, 1, 0])),
    ]
    cases = []
    for label, z, labels in batches:
        n, c = z.shape
        p, onehot = softmax(z), np.eye(c)[labels]
        every_row = p.copy()
        every_row[:, labels] -= 1.0
        columns = softmax(z.T).T
        slips = {
            SOFTMAX_HINTS["mean"]: p - onehot,
            SOFTMAX_HINTS["onehot"]: p / n,
            SOFTMAX_HINTS["sign"]: (onehot - p) / n,
            SOFTMAX_HINTS["rows"]: every_row / n,
            SOFTMAX_HINTS["axis"]: (columns - onehot) / n,
            SOFTMAX_HINTS["logits"]: (z - onehot) / n,
        }
        cases.append(Case(label, (z, labels), {"∂L/∂z": (p - onehot) / n}, {"∂L/∂z": slips}))
    return cases


def check_bce_gradient(bce_gradient):
    """Check a student's ``bce_gradient(z, t) -> ∂L/∂z`` for the mean binary cross-entropy of ``σ(z)``.

    The right answer is ``(σ(z) − t) / N``, finite for logits of ±1000. The hints
    name the classic slips when they explain every wrong case: keeping the factor
    σ'(z) (it cancels), a missing ``1/N``, the sign, and ``z`` where ``σ(z)`` belongs.

    Examples
    --------
    >>> def bce_gradient(z, t):
    ...     return (0.5 * (1 + np.tanh(z / 2)) - t) / len(z)
    >>> check_bce_gradient(bce_gradient).passed
    ✓ batch of 1
    ✓ batch of 5
    ✓ batch of 8, labels not 0/1 (soft targets)
    ✓ batch of 4 with logits of ±1000 (stability)
    All 4 cases right.
    True
    """
    return check_function(_strict(bce_gradient), bce_cases(), BCE_SIGNATURE)


def check_softmax_gradient(softmax_gradient):
    """Check a student's ``softmax_gradient(z, labels) -> ∂L/∂z`` for the mean softmax cross-entropy.

    The right answer is ``(p − onehot(labels)) / N`` with ``p = softmax(z)`` row
    by row, finite for logits of ±1000. The hints name the classic slips when they
    explain every wrong case: a missing ``1/N``, forgetting to subtract the one-hot,
    the sign, ``dz[:, labels]``, the softmax over the wrong axis, and ``z`` where
    ``p`` belongs. An unstable softmax fails on the ±1000 batch, saying it overflowed.
    """
    return check_function(_strict(softmax_gradient), softmax_cases(), SOFTMAX_SIGNATURE)


def _strict(fn):
    """``fn`` run with numpy's overflow, invalid and divide-by-zero warnings raised (underflow to 0 is fine)."""
    if not callable(fn):
        return fn  # check_function says what came instead of a function

    @functools.wraps(fn)
    def strict(*args):
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            return fn(*args)

    return strict
