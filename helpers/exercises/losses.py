"""Checkers for notebook 03's exercises: the gradients of the classification losses with respect to the logits."""
import numpy as np

from ..activations import sigmoid
from ..losses import softmax
from .core import compare, report

BCE_CASES = [
    (np.array([2.0, -1.0, 0.5]), np.array([0.0, 1.0, 1.0])),
    (np.array([-3.0, 0.0, 1.5, 4.0]), np.array([0.0, 1.0, 0.0, 1.0])),
    (np.array([0.8, -2.5]), np.array([1.0, 0.0])),
]
"""Batches ``(z, y_true)`` the binary cross-entropy checker tries."""

SOFTMAX_CASES = [
    (np.array([[2.0, 1.0, 0.1, -1.0], [0.5, -0.5, 3.0, 0.0], [-1.0, 2.0, 0.0, 1.0]]), np.array([0, 2, 3])),
    (np.array([[1.0, -1.0, 0.5], [0.0, 2.0, -2.0]]), np.array([1, 1])),
    (np.array([[3.0, -1.0], [0.2, 0.1], [-2.0, 1.0], [0.0, 0.0]]), np.array([1, 0, 1, 0])),
]
"""Batches ``(z, labels)`` the softmax cross-entropy checker tries."""


def check_bce_gradient(gradient):
    """Check a student's ``gradient(z, y_true) -> dL/dz`` for the mean binary cross-entropy of ``σ(z)``.

    The right answer is ``(σ(z) − t) / N``. The hints name the classic slips:
    keeping the factor σ'(z) (it cancels), stopping at ``∂L/∂y``, a missing
    ``1/N``, the sign, and ``z`` where ``σ(z)`` belongs.
    """

    def expected_and_slips(z, t):
        y, n = sigmoid(z), len(z)
        slips = {
            "σ' cancels: ∂L/∂z = (y − t)/N has no factor σ'(z) = y(1 − y)": (y - t) * y * (1 - y) / n,
            "that is ∂L/∂y; multiply by ∂y/∂z = y(1 − y), and the fraction cancels to y − t": (y - t) / (y * (1 - y)) / n,
            "the loss is a mean over the batch: divide by N": y - t,
            "check the sign: ∂L/∂z = y − t, not t − y": (t - y) / n,
            "apply the sigmoid first: y = σ(z), so the gradient is σ(z) − t, not z − t": (z - t) / n,
        }
        return (y - t) / n, slips

    return _check_cases(gradient, "gradient(z, y_true)", BCE_CASES, expected_and_slips)


def check_softmax_gradient(gradient):
    """Check a student's ``gradient(z, labels) -> dL/dz`` for the mean softmax cross-entropy.

    The right answer is ``(p − onehot(labels)) / N`` with ``p = softmax(z)`` row
    by row. The hints name the classic slips: a missing ``1/N``, forgetting to
    subtract the one-hot, the sign, indexing the label with ``dz[:, labels]``,
    the softmax over the wrong axis, and ``z`` where ``p`` belongs.
    """

    def expected_and_slips(z, labels):
        n, c = z.shape
        p, onehot = softmax(z), np.eye(c)[labels]
        every_row = p.copy()
        every_row[:, labels] -= 1.0
        columns = np.exp(z) / np.exp(z).sum(axis=0, keepdims=True)
        slips = {
            "the loss is a mean over the batch: divide by N": p - onehot,
            "subtract the one-hot of the label: ∂L/∂z = p − onehot(t)": p / n,
            "check the sign: p − onehot, not onehot − p": (onehot - p) / n,
            "subtract 1 only at each row's own label, dz[np.arange(N), labels], not dz[:, labels]": every_row / n,
            "softmax normalises each row (axis=1), one example at a time, not each column": (columns - onehot) / n,
            "use the probabilities p = softmax(z), not the logits z": (z - onehot) / n,
        }
        return (p - onehot) / n, slips

    return _check_cases(gradient, "gradient(z, labels)", SOFTMAX_CASES, expected_and_slips)


def _check_cases(gradient, signature, cases, expected_and_slips):
    """One verdict line per batch: ✓, or ✗ with the relative error and the slip's hint when one matches."""
    if not callable(gradient):
        return report([(False, f"✗ expected a function {signature}; got {type(gradient).__name__}")])
    results = []
    for z, target in cases:
        label = f"batch of {len(z)}:"
        try:
            got = gradient(z.copy(), target.copy())
        except Exception as exc:  # the student's code: report whatever it raised
            results.append((False, f"✗ {label} {signature.split('(')[0]} raised {type(exc).__name__}: {exc}"))
            continue
        expected, slips = expected_and_slips(z, target)
        ok, line = compare("∂L/∂z", got, expected, slips)
        results.append((ok, f"✓ {label} ∂L/∂z right, shape {expected.shape}" if ok else f"✗ {label} {line[2:]}"))
    return report(results)
