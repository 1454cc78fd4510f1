"""Explanations by backprop: saliency, gradient × input, integrated gradients, and a sanity check.

All three start from the gradient of one class score (a logit ``z_c``, before the
softmax) with respect to the *input* pixels, ``∂z_c/∂x``: the same backward pass as
training, with the upstream gradient a one-hot row at class ``c`` and ``dx`` kept
instead of ``dW``.

- saliency: ``|∂z_c/∂x|``, how much a small change of each pixel moves the score;
- gradient × input: ``x ⊙ ∂z_c/∂x``, the first-order share of each pixel in ``z_c``;
- integrated gradients: ``(x − x') ⊙ ∫₀¹ ∂z_c/∂x (x' + α(x − x')) dα`` from a baseline ``x'``
  (a blank image), approximated with the midpoint rule. Its attributions add up to
  ``z_c(x) − z_c(x')`` (*completeness*), up to the error of the rule.

The sanity check of Adebayo et al. (2018): with the network's weights replaced by random
ones, a map that still looks the same explains the input, not the model. Measured by the
rank correlation of the absolute maps.
"""
import numpy as np

from .network import init_mlp, mlp_backward, mlp_forward
from .validation import as_array, check_positive


def class_score_gradient(x, params, activation, classes):
    """The scores ``z_c`` (logits) of the given classes and their gradients ``∂z_c/∂x``; returns ``(scores, dx)``.

    ``x`` is ``(N, D_in)``, ``classes`` an int array ``(N,)`` (one class per row).

    Examples
    --------
    >>> params = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([0.0, 0.0])}
    >>> scores, dx = class_score_gradient(np.array([[2.0]]), params, None, np.array([1]))
    >>> scores.tolist(), dx.tolist()  # z_1 = −x, so ∂z_1/∂x = −1
    ([-2.0], [[-1.0]])
    """
    x = as_array(x, "x", ndim=2)
    out, cache = mlp_forward(x, params, activation)
    classes = _check_classes(classes, x.shape[0], out.shape[1])
    onehot = np.zeros_like(out)
    onehot[np.arange(len(classes)), classes] = 1.0
    dx, _ = mlp_backward(onehot, cache)
    return out[np.arange(len(classes)), classes], dx


def saliency(x, params, activation, classes):
    """``|∂z_c/∂x|``, one map per row of ``x``."""
    return np.abs(class_score_gradient(x, params, activation, classes)[1])


def gradient_times_input(x, params, activation, classes):
    """``x ⊙ ∂z_c/∂x``, one map per row of ``x``."""
    return as_array(x, "x", ndim=2) * class_score_gradient(x, params, activation, classes)[1]


def integrated_gradients(x, params, activation, classes, baseline=None, steps=64):
    """Integrated gradients from ``baseline`` (default: zeros) with ``steps`` midpoint-rule points.

    Returns ``(attributions, score_gap)`` where ``score_gap = z_c(x) − z_c(baseline)``
    is what the attributions of each row should add up to (completeness).

    Examples
    --------
    >>> params = {"W1": np.array([[2.0], [3.0]]), "b1": np.array([1.0])}  # linear: exact
    >>> attr, gap = integrated_gradients(np.array([[1.0, 1.0]]), params, None, np.array([0]), steps=4)
    >>> attr.tolist(), gap.tolist()
    ([[2.0, 3.0]], [5.0])
    """
    x = as_array(x, "x", ndim=2)
    baseline = np.zeros_like(x) if baseline is None else as_array(baseline, "baseline", shape=x.shape)
    steps = check_positive(steps, "steps", integer=True)
    classes = np.asarray(classes)
    alphas = (np.arange(steps) + 0.5) / steps
    n, d = x.shape
    path = baseline[:, None, :] + alphas[None, :, None] * (x - baseline)[:, None, :]  # (N, steps, D)
    _, grads = class_score_gradient(path.reshape(n * steps, d), params, activation, np.repeat(classes, steps))
    attributions = (x - baseline) * grads.reshape(n, steps, d).mean(axis=1)
    end, _ = class_score_gradient(x, params, activation, classes)
    start, _ = class_score_gradient(baseline, params, activation, classes)
    return attributions, end - start


METHODS = {
    "saliency": saliency,
    "gradient × input": gradient_times_input,
    "integrated gradients": lambda x, params, activation, classes: integrated_gradients(x, params, activation, classes)[0],
}
"""Every attribution method by name: ``method(x, params, activation, classes) -> maps``."""


def randomized_like(params, rng):
    """New random parameters with the shapes of ``params`` (He-scaled), for the sanity check."""
    n_layers = len(params) // 2
    sizes = [params["W1"].shape[0]] + [params[f"W{l}"].shape[1] for l in range(1, n_layers + 1)]
    return init_mlp(sizes, rng, scale="he")


def rank_correlation(a, b):
    """Spearman's rank correlation of two maps (ties get their average rank).

    Examples
    --------
    >>> rank_correlation([1.0, 2.0, 3.0], [10.0, 20.0, 30.0]), rank_correlation([1.0, 2.0, 3.0], [3.0, 2.0, 1.0])
    (1.0, -1.0)
    """
    ra, rb = _ranks(np.ravel(a)), _ranks(np.ravel(b))
    ra, rb = ra - ra.mean(), rb - rb.mean()
    denominator = np.sqrt(np.sum(ra * ra) * np.sum(rb * rb))
    return float(np.sum(ra * rb) / denominator) if denominator > 0 else 0.0


def _ranks(values):
    values = np.asarray(values, dtype=float)
    order = np.argsort(values, kind="stable")
    ranks = np.empty(values.size)
    ranks[order] = np.arange(values.size)
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    return sums[inverse] / counts[inverse]


def _check_classes(classes, n, n_classes):
    classes = np.asarray(classes)
    if classes.shape != (n,) or not np.issubdtype(classes.dtype, np.integer):
        raise ValueError(f"classes must be an integer array of shape ({n},), one class per row of x; got {classes.dtype} {classes.shape}")
    if classes.min() < 0 or classes.max() >= n_classes:
        raise ValueError(f"classes must lie in [0, {n_classes}); got values from {classes.min()} to {classes.max()}")
    return classes
