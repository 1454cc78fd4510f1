"""Checkers for notebook 07's exercises: the batch-norm backward, and an init that keeps a ReLU net's scale."""
import numpy as np

from ..batchnorm import EPS, batchnorm_backward, batchnorm_forward
from ..deep import deep_forward, init_deep
from .core import compare, report

BATCHNORM_EXERCISE_SEED = 7
"""Seed of the case the batch-norm checker uses (shape (5, 3))."""


def batchnorm_case():
    """The checker's case: ``x`` (5, 3), ``gamma``, ``beta`` (3,) and an upstream ``dout`` (5, 3)."""
    rng = np.random.default_rng(BATCHNORM_EXERCISE_SEED)
    x = rng.normal(1.0, 2.0, size=(5, 3))
    return x, rng.normal(1.0, 0.5, size=3), rng.normal(size=3), rng.normal(size=(5, 3))


def _slips(x, gamma, dout):
    """What the classic mistakes give for ``dx``, ``dgamma``, ``dbeta`` on one case."""
    n = x.shape[0]
    centred = x - x.mean(axis=0)
    inv_std = 1 / np.sqrt(centred.var(axis=0) + EPS)
    xhat, dxhat = centred * inv_std, dout * gamma
    inv_std_unbiased = 1 / np.sqrt(centred.var(axis=0, ddof=1) + EPS)
    xhat_unbiased = centred * inv_std_unbiased
    dx = {
        "the path through the mean is missing: subtract mean_n(dx̂)": inv_std * (dxhat - xhat * np.mean(dxhat * xhat, axis=0)),
        "the path through the variance is missing: subtract x̂ · mean_n(dx̂ · x̂)": inv_std * (dxhat - dxhat.mean(axis=0)),
        "use the same biased variance (1/N) as the forward pass, not the unbiased one (1/(N−1))": inv_std_unbiased
        * (dxhat - dxhat.mean(axis=0) - xhat_unbiased * np.mean(dxhat * xhat_unbiased, axis=0)),
        "a factor 1/N is missing: the means over the batch carry it": inv_std * (n * dxhat - dxhat.sum(axis=0) - xhat * np.sum(dxhat * xhat, axis=0)),
        "dx̂ = dout · γ: the factor γ is missing": inv_std * (dout - dout.mean(axis=0) - xhat * np.mean(dout * xhat, axis=0)),
    }
    dgamma = {"dγ = Σ_n dout · x̂, with the normalized x̂, not x": np.sum(dout * x, axis=0), "dγ sums over the batch; it is not a mean": np.mean(dout * xhat, axis=0)}
    dbeta = {"dβ sums over the batch; it is not a mean": dout.mean(axis=0)}
    return dx, dgamma, dbeta


def check_batchnorm_backward(backward):
    """Check a student's ``backward(dout, x, gamma, eps) -> (dx, dgamma, dbeta)`` for batch norm in training mode."""
    if not callable(backward):
        return report([(False, f"✗ expected a function backward(dout, x, gamma, eps); got {type(backward).__name__}")])
    x, gamma, beta, dout = batchnorm_case()
    _, cache = batchnorm_forward(x, {"gamma": gamma, "beta": beta})
    dx, grads = batchnorm_backward(dout, cache)
    try:
        got = backward(dout.copy(), x.copy(), gamma.copy(), EPS)
        got_dx, got_dgamma, got_dbeta = got
    except Exception as exc:  # the student's code: report whatever it raised
        return report([(False, f"✗ backward raised {type(exc).__name__}: {exc}")])
    slips_dx, slips_dgamma, slips_dbeta = _slips(x, gamma, dout)
    return report(
        [
            compare("dx", got_dx, dx, slips_dx),
            compare("dγ", got_dgamma, grads["gamma"], slips_dgamma),
            compare("dβ", got_dbeta, grads["beta"], slips_dbeta),
        ]
    )


def activation_scales(std, depth=20, width=256, batch=3, seed=0):
    """RMS of each hidden layer's ReLU output for a net with weights of standard deviation ``std``.

    A few examples suffice (each gives ``width`` values per layer), and a tiny batch keeps the
    matrix products single-threaded, which is much quicker on a busy two-core machine.
    """
    rng = np.random.default_rng(seed)
    params = init_deep(depth, width, rng, scale=float(std))
    _, cache = deep_forward(rng.normal(size=(batch, width)), params, "relu")
    return np.array([np.sqrt(np.mean(layer.act.a**2)) for layer in cache.layers])


def check_relu_init(init_std):
    """Check a student's ``init_std(d_in) -> std`` for ReLU layers: the activations' scale must stay flat with depth."""
    if not callable(init_std):
        return report([(False, f"✗ expected a function init_std(d_in); got {type(init_std).__name__}")])
    results = []
    for d_in in (16, 64, 256):
        try:
            got = init_std(d_in)
        except Exception as exc:  # the student's code
            results.append((False, f"✗ init_std({d_in}) raised {type(exc).__name__}: {exc}"))
            continue
        slips = {
            "that is Xavier/LeCun, right for tanh; ReLU zeroes half of its inputs, so the variance needs a factor 2": np.sqrt(1 / d_in),
            "2 / d_in is the variance; the standard deviation is its square root": 2 / d_in,
            "a fixed scale ignores the fan-in: the sum over d_in inputs grows with d_in": 1.0,
        }
        results.append(compare(f"std for d_in = {d_in}", got, np.sqrt(2 / d_in), slips))
    if all(ok for ok, _ in results):
        scales = activation_scales(init_std(256))
        ratio = scales[-1] / scales[0]
        results.append((0.5 < ratio < 2, f"{'✓' if 0.5 < ratio < 2 else '✗'} 20 ReLU layers: RMS of a_20 / a_1 = {ratio:.2f}"))
    return report(results)
