"""Checkers for notebook 04's exercises: one momentum step and one Adam step, by hand.

The right answers come from ``helpers.optimizers`` itself (its state set to the
exercise's), so the checker and the course's optimizers cannot disagree; the
slips are the classic mistakes, computed from the exercise's numbers.
"""
import numpy as np

from ..optimizers import Adam, Momentum
from .core import compare, report

MOMENTUM_EXERCISE = {"p": [1.0, -2.0], "v": [0.3, -0.1], "g": [0.5, -4.0], "lr": 0.1, "beta": 0.9}
"""One parameter vector ``p``, its velocity ``v`` and gradient ``g``: take one momentum step."""

ADAM_EXERCISE = {
    "p": [0.5, -1.0],
    "m": [2e-4, -1e-4],
    "v": [4e-8, 1e-8],
    "g": [3e-4, -1e-4],
    "t": 3,
    "lr": 0.01,
    "beta1": 0.9,
    "beta2": 0.999,
    "eps": 1e-7,
}
"""Adam's state after two steps (``m``, ``v``), the third gradient ``g`` and ``t = 3``.

The gradients are small, so ``√v̂`` is not much larger than ``ε`` and where ``ε``
goes shows in the answer.
"""


def _one_step(optimizer, p, g, slots, t=None):
    """``optimizer``'s step from parameter ``p`` with state ``slots`` (and step count ``t − 1`` before it)."""
    params = {"p": np.array(p, dtype=float)}
    optimizer.step(params, {"p": np.zeros_like(params["p"])})  # lays out the state; from zero state a zero gradient moves nothing
    for slot, value in zip(optimizer.state["p"], slots):
        slot[...] = value
    if t is not None:
        optimizer.t = t - 1
    optimizer.step(params, {"p": np.array(g, dtype=float)})
    return params["p"], tuple(s.copy() for s in optimizer.state["p"])


def check_momentum_step(p_new, v_new, *, p, v, g, lr, beta):
    """Check one momentum step ``v ← β v − lr g``, ``p ← p + v`` (the new ``v``, then the new ``p``)."""
    p, v, g = (np.asarray(a, dtype=float) for a in (p, v, g))
    expected_p, (expected_v,) = _one_step(Momentum(lr, beta), p, g, (v,))
    averaged = beta * v + (1 - beta) * g
    return report(
        [
            compare(
                "v_new",
                v_new,
                expected_v,
                {
                    "the velocity steps *against* the gradient: v ← β v − lr g": beta * v + lr * g,
                    "you forgot to decay the old velocity by β": v - lr * g,
                    "that is the averaged form β v + (1 − β) g; here v ← β v − lr g": averaged,
                },
            ),
            compare(
                "p_new",
                p_new,
                expected_p,
                {
                    "update v first, then move p by the *new* v": p + v,
                    "check the sign: p ← p + v, and v already carries the minus": p - expected_v,
                    "the velocity steps *against* the gradient: v ← β v − lr g": p + beta * v + lr * g,
                    "that is the averaged form; here v ← β v − lr g and p ← p + v": p - lr * averaged,
                },
            ),
        ]
    )


def check_adam_step(p_new, m_new, v_new, *, p, m, v, g, t, lr, beta1=0.9, beta2=0.999, eps=1e-7):
    """Check one Adam step at step ``t``: the new moments ``m``, ``v`` and the step ``p_new − p``.

    The step is compared rather than ``p_new`` itself, so that a slip in a small
    step is not hidden by the size of ``p``.
    """
    p, m, v, g = (np.asarray(a, dtype=float) for a in (p, m, v, g))
    expected_p, (expected_m, root_v) = _one_step(Adam(lr, beta1, beta2, eps), p, g, (m, np.sqrt(v)), t)
    expected_v = root_v**2  # Adam keeps √v, so that g² never overflows
    m_hat, v_hat = expected_m / (1 - beta1**t), expected_v / (1 - beta2**t)
    step = expected_p - p
    results = [
        compare(
            "m_new",
            m_new,
            expected_m,
            {
                "β₁ and 1 − β₁ are swapped: m ← β₁ m + (1 − β₁) g": (1 - beta1) * m + beta1 * g,
                "m is a running mean: m ← β₁ m + (1 − β₁) g, not + g": beta1 * m + g,
            },
        ),
        compare(
            "v_new",
            v_new,
            expected_v,
            {
                "β₂ and 1 − β₂ are swapped: v ← β₂ v + (1 − β₂) g²": (1 - beta2) * v + beta2 * g * g,
                "v averages the *squared* gradient, g², not g": beta2 * v + (1 - beta2) * g,
            },
        ),
    ]
    slips = {
        "you forgot the bias correction m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ)": -lr * expected_m / (np.sqrt(expected_v) + eps),
        "correct v too: v̂ = v / (1 − β₂ᵗ)": -lr * m_hat / (np.sqrt(expected_v) + eps),
        "correct m too: m̂ = m / (1 − β₁ᵗ)": -lr * expected_m / (np.sqrt(v_hat) + eps),
        "the step divides by the square root √v̂": -lr * m_hat / (v_hat + eps),
        "check the sign: p ← p − lr m̂ / (√v̂ + ε)": -step,
        "ε goes outside the root: √v̂ + ε, not √(v̂ + ε)": -lr * m_hat / np.sqrt(v_hat + eps),
        "ε is added to √v̂ after the bias correction (Keras adds it before; the course follows the paper)": -lr * m_hat / (np.sqrt(v_hat) + eps / np.sqrt(1 - beta2**t)),
    }
    try:
        got = np.asarray(p_new, dtype=float)
        got_step = got - p if got.shape == p.shape else p_new
    except (TypeError, ValueError):
        got_step = p_new  # compare explains what came
    results.append(compare("step p_new − p", got_step, step, slips))
    return report(results)
