"""Checkers for notebook 07's exercises: the batch-norm backward, clipping by global norm, and a leaky-ReLU init.

Each is a function exercise checked by :func:`check_function` on cases unlike
the one the notebook shows: other batch sizes (2 and more), feature counts,
eps and extreme scales for batch norm; several keys and shapes, norms below and
above the threshold and a zero gradient for clipping; several slopes and fan-ins
for the init.
"""
import numpy as np

from ..batchnorm import EPS, batchnorm_backward, batchnorm_forward
from ..clipping import clip_by_global_norm
from .core import Case, check_function

BATCHNORM_EXERCISE_SEED = 7
"""Seed of the case the notebook shows (shape (5, 3), eps 1e-5): the checker uses others."""


def batchnorm_case():
    """The notebook's case: ``x`` (5, 3), ``gamma``, ``beta`` (3,) and an upstream ``dout`` (5, 3)."""
    rng = np.random.default_rng(BATCHNORM_EXERCISE_SEED)
    x = rng.normal(1.0, 2.0, size=(5, 3))
    return x, rng.normal(1.0, 0.5, size=3), rng.normal(size=3), rng.normal(size=(5, 3))


# --- batch norm ---------------------------------------------------------------------------

BN_HINTS = {
    "mean": "the path through the mean is missing: subtract mean_n(dx̂)",
    "variance": "the path through the variance is missing: subtract x̂ · mean_n(dx̂ · x̂)",
    "unbiased": "use the same biased variance (1/N) as the forward pass, not the unbiased one (1/(N−1))",
    "one_over_n": "a factor 1/N is missing: the means over the batch carry it",
    "gamma": "dx̂ = dout · γ: the factor γ is missing",
    "eps": "use the eps you are given: it sits under the square root, √(σ² + eps)",
    "eps_dgamma": "x̂ in dγ needs the eps you are given too",
    "dgamma_x": "dγ = Σ_n dout · x̂, with the normalized x̂, not x",
    "dgamma_mean": "dγ sums over the batch; it is not a mean",
    "dbeta_mean": "dβ sums over the batch; it is not a mean",
}

BATCHNORM_CASES = (
    # label, N, D, eps, scale of x
    ("batch of 2, 3 features", 2, 3, 1e-5, 1.0),
    ("batch of 8, 1 feature, eps 1e-3", 8, 1, 1e-3, 1.0),
    ("batch of 16, 4 features, eps 0.1", 16, 4, 0.1, 1.0),
    ("batch of 6, 2 features, x around 10⁴", 6, 2, 1e-5, 1e4),
    ("batch of 4, 5 features, x of size 10⁻³ (eps matters)", 4, 5, 1e-5, 1e-3),
)


def _dx(dout, x, gamma, eps, *, ddof=0, mean=True, variance=True, with_gamma=True):
    """dx of batch norm, with the classic slips as switches."""
    s = 1 / np.sqrt(x.var(axis=0, ddof=ddof) + eps)
    xhat = (x - x.mean(axis=0)) * s
    g = dout * gamma if with_gamma else dout
    return s * (g - (g.mean(axis=0) if mean else 0) - (xhat * np.mean(g * xhat, axis=0) if variance else 0))


def batchnorm_cases():
    """The checker's cases for ``bn_backward(dout, x, gamma, eps) -> (dx, dgamma, dbeta)``."""
    rng = np.random.default_rng(BATCHNORM_EXERCISE_SEED + 1)
    cases = []
    for label, n, d, eps, scale in BATCHNORM_CASES:
        x = scale * rng.normal(3.0, 2.0, size=(n, d))
        gamma, beta, dout = rng.normal(1.0, 0.5, size=d), rng.normal(size=d), rng.normal(size=(n, d))
        _, cache = batchnorm_forward(x, {"gamma": gamma, "beta": beta}, eps=eps)
        dx, grads = batchnorm_backward(dout, cache)
        xhat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)
        dx_slips = {
            BN_HINTS["mean"]: _dx(dout, x, gamma, eps, mean=False),
            BN_HINTS["variance"]: _dx(dout, x, gamma, eps, variance=False),
            BN_HINTS["unbiased"]: _dx(dout, x, gamma, eps, ddof=1),
            BN_HINTS["one_over_n"]: n * dx,
            BN_HINTS["gamma"]: _dx(dout, x, gamma, eps, with_gamma=False),
            BN_HINTS["eps"]: _dx(dout, x, gamma, EPS) if eps != EPS else None,
        }
        xhat_eps = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + EPS)
        dgamma_slips = {BN_HINTS["dgamma_x"]: np.sum(dout * x, axis=0), BN_HINTS["dgamma_mean"]: np.mean(dout * xhat, axis=0),
                        BN_HINTS["eps_dgamma"]: np.sum(dout * xhat_eps, axis=0) if eps != EPS else None}
        cases.append(
            Case(
                label,
                (dout, x, gamma, eps),
                {"dx": dx, "dγ": grads["gamma"], "dβ": grads["beta"]},
                {"dx": dx_slips, "dγ": dgamma_slips, "dβ": {BN_HINTS["dbeta_mean"]: dout.mean(axis=0)}},
            )
        )
    return cases


def check_batchnorm_backward(backward):
    """Check a student's ``bn_backward(dout, x, gamma, eps) -> (dx, dgamma, dbeta)`` for batch norm in training mode."""
    return check_function(backward, batchnorm_cases(), "my_bn_backward(dout, x, gamma, eps)")


# --- clipping by global norm --------------------------------------------------------------

CLIP_HINTS = {
    "per_tensor": "that clips each tensor on its own: scale every gradient by one factor, min(1, max_norm / ‖g‖), with ‖g‖ over all of them",
    "by_value": "that clips each entry to [−max_norm, max_norm] (clipping by value): scale the whole gradient instead, keeping its direction",
    "always": "below the threshold nothing changes: the factor is min(1, max_norm / ‖g‖), never above 1",
    "no_sqrt": "‖g‖ is the square root of Σ_k Σ g²: the sum of squares alone is ‖g‖²",
    "sum_of_norms": "‖g‖ = √(Σ_k ‖g_k‖²), the norm of all entries together, not Σ_k ‖g_k‖",
    "after": "return the norm the gradients had before clipping (the number to watch), not after",
}

CLIP_CASES = (
    # label, {key: shape}, max_norm, scale of the entries
    ("one key, norm below the threshold", {"W": (3, 2)}, 10.0, 1.0),
    ("two keys, norm above the threshold", {"W": (4, 3), "b": (3,)}, 1.0, 1.0),
    ("four keys of a 2-layer net, each below the threshold, together above", {"W1": (2, 5), "b1": (5,), "W2": (5, 1), "b2": (1,)}, 2.0, 0.5),
    ("a zero gradient", {"W": (2, 2), "b": (2,)}, 1.0, 0.0),
    ("huge entries (an exploding run)", {"W": (6, 4), "b": (4,)}, 5.0, 1e3),
)


def _flat(grads, keys):
    return np.concatenate([np.ravel(grads[k]) for k in keys])


def _clip_slips(grads, max_norm):
    """What the classic slips give: the clipped gradients (flattened) and the norm."""
    keys, flat = list(grads), _flat(grads, list(grads))
    norms = np.array([np.linalg.norm(grads[k]) for k in keys])
    norm, sumsq = float(np.sqrt(np.sum(flat**2))), float(np.sum(flat**2))
    with np.errstate(divide="ignore", invalid="ignore"):
        per_tensor = np.concatenate([np.ravel(grads[k]) * min(1.0, max_norm / nk) if nk > 0 else np.ravel(grads[k]) for k, nk in zip(keys, norms)])
        clipped = {
            CLIP_HINTS["per_tensor"]: per_tensor,
            CLIP_HINTS["by_value"]: np.clip(flat, -max_norm, max_norm),
            CLIP_HINTS["always"]: flat * max_norm / norm if norm > 0 else None,
            CLIP_HINTS["no_sqrt"]: flat * min(1.0, max_norm / sumsq) if sumsq > 0 else None,
            CLIP_HINTS["sum_of_norms"]: flat * min(1.0, max_norm / norms.sum()) if norm > 0 else None,
        }
    norm_slips = {CLIP_HINTS["no_sqrt"]: sumsq, CLIP_HINTS["sum_of_norms"]: float(norms.sum()), CLIP_HINTS["after"]: min(norm, max_norm)}
    return clipped, norm_slips


def clip_cases():
    """The checker's cases for ``clip_by_global_norm(grads, max_norm) -> (clipped, norm)``."""
    rng = np.random.default_rng(11)
    cases = []
    for label, shapes, max_norm, scale in CLIP_CASES:
        grads = {k: scale * rng.normal(size=shape) for k, shape in shapes.items()}
        clipped, norm = clip_by_global_norm(grads, max_norm)
        clipped_slips, norm_slips = _clip_slips(grads, max_norm)
        cases.append(
            Case(
                label,
                (grads, max_norm),
                {"the clipped gradients (all keys)": _flat(clipped, list(grads)), "‖g‖": norm},
                {"the clipped gradients (all keys)": clipped_slips, "‖g‖": norm_slips},
            )
        )
    return cases


def check_clip_by_global_norm(clip):
    """Check a student's ``clip_by_global_norm(grads, max_norm) -> (clipped, norm before)``.

    ``clipped`` must be a new dict with the keys and shapes of ``grads``; the
    checker compares all its entries at once (in the order of ``grads``'s keys).
    """
    signature = "my_clip_by_global_norm(grads, max_norm)"
    if not callable(clip):
        return check_function(clip, [], signature)

    def flattened(grads, max_norm):
        got = clip(grads, max_norm)
        if not (isinstance(got, (tuple, list)) and len(got) == 2 and isinstance(got[0], dict)):
            raise TypeError(f"return (clipped, norm): a dict with the keys of grads and a number; got {type(got).__name__}")
        clipped, norm = got
        if set(clipped) != set(grads):
            raise KeyError(f"the clipped dict must have the keys {sorted(grads)}; got {sorted(clipped)}")
        if any(np.shape(clipped[k]) != np.shape(grads[k]) for k in grads):
            raise ValueError("each clipped gradient must have the shape of its gradient")
        return _flat(clipped, list(grads)), norm

    return check_function(flattened, clip_cases(), signature)


# --- an init for leaky ReLU ---------------------------------------------------------------

LEAKY_HINTS = {
    "he": "that is He's init for a plain ReLU: a leaky ReLU keeps (1 + α²)/2 of z's second moment, not 1/2",
    "one_plus_alpha": "the negative half is multiplied by α, so its square by α²: (1 + α²), not (1 + α)",
    "variance": "2 / ((1 + α²) d_in) is the variance; the standard deviation is its square root",
    "xavier": "that is Xavier/LeCun (1 / d_in), right for a linear or tanh layer: the leaky ReLU drops part of the second moment",
}

LEAKY_CASES = ((16, 0.0), (64, 0.1), (256, 0.3), (10, 0.5), (3, 1.0))
"""(d_in, α) pairs: α = 0 is a plain ReLU, α = 1 a linear layer."""


def leaky_relu_std(d_in, alpha):
    """The weights' standard deviation that keeps a leaky-ReLU layer's second moment: √(2 / ((1 + α²) d_in))."""
    return np.sqrt(2 / ((1 + alpha**2) * d_in))


def check_leaky_relu_init(init_std):
    """Check a student's ``init_std(d_in, alpha)`` for leaky-ReLU layers of slope ``alpha`` for z < 0."""
    cases = [
        Case(
            f"d_in = {d}, α = {a}",
            (d, a),
            {"std": leaky_relu_std(d, a)},
            {"std": {LEAKY_HINTS["he"]: np.sqrt(2 / d) if a else None, LEAKY_HINTS["one_plus_alpha"]: np.sqrt(2 / ((1 + a) * d)) if 0 < a < 1 else None,
                     LEAKY_HINTS["variance"]: 2 / ((1 + a**2) * d), LEAKY_HINTS["xavier"]: np.sqrt(1 / d) if a < 1 else None}},
        )
        for d, a in LEAKY_CASES
    ]
    return check_function(init_std, cases, "init_std(d_in, alpha)")
