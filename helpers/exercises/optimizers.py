"""Checkers for notebook 04's exercises: one momentum step and one Adam step, as functions.

Both are checked by :func:`~helpers.exercises.core.check_function` on cases the
notebook never shows: arrays of several shapes, other learning rates, other β's
and ε's, the first step (``t = 1`` from zero state) and later ones, so a
hard-coded hyperparameter or an ignored argument fails. The right answers come
from ``helpers.optimizers`` itself (its state set to the case's), so the checker
and the course's optimizers cannot disagree; the slips are the classic mistakes,
computed from each case's numbers.

Each hint sits on the quantity the slip makes wrong first: a slip in the velocity
or the moments is named on ``v_new`` / ``m_new`` (the ``p_new`` that follows from
it is then wrong too, and says so without a cause); a slip in the step itself is
named on ``p_new``.
"""
import numpy as np

from ..optimizers import Adam, Momentum
from .core import Case, check_function

MOMENTUM_SIGNATURE = "momentum_step(p, v, g, lr, beta)"
ADAM_SIGNATURE = "adam_step(p, m, v, g, t, lr, beta1, beta2, eps)"

MOMENTUM_HINTS = {
    "against": "the velocity steps *against* the gradient: v ← β v − lr g",
    "decay": "you forgot to decay the old velocity by β",
    "averaged": "that is the averaged form β v + (1 − β) g; here v ← β v − lr g",
    "new_v": "update v first, then move p by the *new* v",
    "sign": "check the sign: p ← p + v, and v already carries the minus",
}

ADAM_HINTS = {
    "swap1": "β₁ and 1 − β₁ are swapped: m ← β₁ m + (1 − β₁) g",
    "mean": "m is a running mean: m ← β₁ m + (1 − β₁) g, not + g",
    "swap2": "β₂ and 1 − β₂ are swapped: v ← β₂ v + (1 − β₂) g²",
    "square": "v averages the *squared* gradient, g², not g",
    "bias": "you forgot the bias correction m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ)",
    "bias_v": "correct v too: v̂ = v / (1 − β₂ᵗ)",
    "bias_m": "correct m too: m̂ = m / (1 − β₁ᵗ)",
    "root": "the step divides by the square root √v̂",
    "sign": "check the sign: p ← p − lr m̂ / (√v̂ + ε)",
    "eps_inside": "ε goes outside the root: √v̂ + ε, not √(v̂ + ε)",
    "eps_keras": "ε is added to √v̂ after the bias correction (Keras adds it before; the course follows the paper)",
}


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


def momentum_cases():
    """Cases ``(p, v, g, lr, beta)``: shapes (3,), (2, 3), (1,), (4,); β from 0.5 to 0.99; one first step (v = 0)."""
    rng = np.random.default_rng(404)
    settings = [((3,), 0.05, 0.8, False), ((2, 3), 0.2, 0.5, False), ((1,), 0.01, 0.99, False), ((4,), 0.1, 0.9, True)]
    cases = []
    for shape, lr, beta, first in settings:
        p, g = rng.normal(size=shape), rng.normal(size=shape)
        v = np.zeros(shape) if first else 0.3 * rng.normal(size=shape)
        p_new, (v_new,) = _one_step(Momentum(lr, beta), p, g, (v,))
        averaged = beta * v + (1 - beta) * g
        v_slips = {
            MOMENTUM_HINTS["against"]: beta * v + lr * g,
            MOMENTUM_HINTS["decay"]: v - lr * g,
            MOMENTUM_HINTS["averaged"]: averaged,
        }
        p_slips = {
            MOMENTUM_HINTS["new_v"]: p + v,
            MOMENTUM_HINTS["sign"]: p - v_new,
        }
        label = f"shape {shape}, lr = {lr:g}, β = {beta:g}" + (", first step (v = 0)" if first else "")
        cases.append(Case(label, (p, v, g, lr, beta), {"p_new": p_new, "v_new": v_new}, {"p_new": p_slips, "v_new": v_slips}))
    return cases


def adam_cases():
    """Cases ``(p, m, v, g, t, lr, beta1, beta2, eps)``: t = 1 from zero state and t > 1, several shapes and hyperparameters.

    In three of them the gradients are small enough that ``√v̂`` is comparable to
    ``ε``, so where ``ε`` goes changes the answer; ``p`` is of the size of the step,
    so that a slip in the step is not hidden by the size of ``p``.
    """
    rng = np.random.default_rng(4004)
    # shape, t, lr, beta1, beta2, eps, gradient scale
    settings = [
        ((3,), 1, 0.01, 0.9, 0.999, 1e-8, 1.0),
        ((2, 3), 2, 0.05, 0.8, 0.99, 1e-3, 1e-3),
        ((4,), 10, 0.001, 0.5, 0.9, 1e-6, 1e-3),
        ((2, 2), 50, 0.02, 0.9, 0.999, 1e-7, 1e-4),
    ]
    cases = []
    for shape, t, lr, beta1, beta2, eps, scale in settings:
        p, g = lr * rng.normal(size=shape), scale * rng.normal(size=shape)
        if t == 1:
            m, v = np.zeros(shape), np.zeros(shape)
        else:  # a state that earlier gradients of this size could have left
            m = (1 - beta1**(t - 1)) * scale * rng.normal(size=shape)
            v = (1 - beta2**(t - 1)) * scale**2 * rng.uniform(0.5, 2.0, size=shape)
        p_new, (m_new, root_v_new) = _one_step(Adam(lr, beta1, beta2, eps), p, g, (m, np.sqrt(v)), t)  # Adam keeps √v
        v_new = root_v_new**2
        m_hat, v_hat = m_new / (1 - beta1**t), v_new / (1 - beta2**t)
        m_slips = {ADAM_HINTS["swap1"]: (1 - beta1) * m + beta1 * g, ADAM_HINTS["mean"]: beta1 * m + g}
        v_slips = {ADAM_HINTS["swap2"]: (1 - beta2) * v + beta2 * g * g, ADAM_HINTS["square"]: beta2 * v + (1 - beta2) * g}
        p_slips = {
            ADAM_HINTS["bias"]: p - lr * m_new / (np.sqrt(v_new) + eps),
            ADAM_HINTS["bias_v"]: p - lr * m_hat / (np.sqrt(v_new) + eps),
            ADAM_HINTS["bias_m"]: p - lr * m_new / (np.sqrt(v_hat) + eps),
            ADAM_HINTS["root"]: p - lr * m_hat / (v_hat + eps),
            ADAM_HINTS["sign"]: p + lr * m_hat / (np.sqrt(v_hat) + eps),
            ADAM_HINTS["eps_inside"]: p - lr * m_hat / np.sqrt(v_hat + eps),
            ADAM_HINTS["eps_keras"]: p - lr * m_hat / (np.sqrt(v_hat) + eps / np.sqrt(1 - beta2**t)),
        }
        label = f"shape {shape}, t = {t}, lr = {lr:g}, β₁ = {beta1:g}, β₂ = {beta2:g}, ε = {eps:g}"
        cases.append(
            Case(
                label,
                (p, m, v, g, t, lr, beta1, beta2, eps),
                {"p_new": p_new, "m_new": m_new, "v_new": v_new},
                {"p_new": p_slips, "m_new": m_slips, "v_new": v_slips},
            )
        )
    return cases


def check_momentum_step(momentum_step):
    """Check a student's ``momentum_step(p, v, g, lr, beta) -> (p_new, v_new)``: ``v ← β v − lr g``, ``p ← p + v``.

    Examples
    --------
    >>> def momentum_step(p, v, g, lr, beta):
    ...     v_new = beta * v - lr * g
    ...     return p + v_new, v_new
    >>> check_momentum_step(momentum_step).hints
    ✓ shape (3,), lr = 0.05, β = 0.8
    ✓ shape (2, 3), lr = 0.2, β = 0.5
    ✓ shape (1,), lr = 0.01, β = 0.99
    ✓ shape (4,), lr = 0.1, β = 0.9, first step (v = 0)
    All 4 cases right.
    ()
    """
    return check_function(momentum_step, momentum_cases(), MOMENTUM_SIGNATURE)


def check_adam_step(adam_step):
    """Check a student's ``adam_step(p, m, v, g, t, lr, beta1, beta2, eps) -> (p_new, m_new, v_new)``, step ``t`` of Adam."""
    return check_function(adam_step, adam_cases(), ADAM_SIGNATURE)
