"""Checkers for notebook 01's exercises: the chain by hand, the sigmoid neuron's gradient as a function,
and the gradient of a tanh neuron (a variant the notebook never shows).

All three are built on :mod:`helpers.exercises.core`: ``check_values`` for the numbers
computed by hand, ``check_function`` over several examples (none of them the one the
notebook shows, some saturated) for the functions.
"""
import numpy as np

from ..activations import sigmoid
from ..neuron import neuron_trace
from .core import Case, check_function, check_values

CHAIN_EXERCISE = {"x": -1.0, "w": 0.5, "b": 2.0, "t": 1.0}
"""The example of notebook 01's first exercise (target ``t``)."""

GRADIENT_CASES = ((2.0, -1.5, 0.5, 0.0), (0.5, 3.0, -1.0, 0.9), (-2.5, 0.4, 0.3, 0.2), (2.0, 2.0, 0.5, 0.0))
"""``(x, w, b, t)`` where ``gradients`` is tried: none is an example the notebook shows; the last is saturated (z = 4.5)."""

TANH_CASES = ((1.5, 0.8, 0.2, 0.3), (-2.0, 0.5, 0.5, 1.0), (0.5, -3.0, 1.0, 0.9), (2.0, 1.0, 1.0, -1.0), (-3.0, 1.5, 1.5, 0.5))
"""``(x, w, b, t)`` where ``tanh_gradients`` is tried; the last two are saturated (z = 3 and z = −3, where tanh' ≈ 0.01).

Saturated, but not so far that a float32 answer loses the checkers' five digits to ``1 − y²``."""

# hints, shared by the checkers (a test names them exactly)
FORGOT_SLOPE = "you forgot the factor σ'(z)"
SIGN = "check the sign: ∂L/∂y = y − t, not t − y"
NO_X = "∂z/∂w = x is missing"
SIGMA_NOT_PRIME = "σ'(z) is σ(z)(1 − σ(z)), not σ(z)"
X_IN_DB = "∂z/∂b = 1: there is no x in ∂L/∂b"
PRIME_AT_W = "differentiate σ at z = w x + b, not at w"
ONE_FOR_X = "∂z/∂w is x; the 1 is ∂z/∂b"
W_FOR_X = "z = w x + b, so ∂z/∂w is x, not w"

TANH_FORGOT = "you forgot the factor tanh'(z) = 1 − tanh²(z)"
TANH_NOT_SQUARED = "tanh'(z) is 1 − tanh²(z): the tanh is squared"
TANH_SIGMOID_FORM = "y(1 − y) is σ' written with σ's output; tanh'(z) = 1 − y² with y = tanh(z)"
TANH_Z_SQUARED = "square tanh(z), not z: tanh'(z) = 1 − tanh²(z)"
TANH_USED_SIGMOID = "your neuron used σ: this one's output is y = tanh(z)"
TANH_SIGN = "check the sign: ∂L/∂y = y − t, not t − y"
TANH_X_IN_DB = "∂z/∂b = 1: there is no x in ∂L/∂b"


def check_chain_factors(dL_dy, dy_dz, dz_dw, dL_dw, *, x, w, b, t, show_answer=False):
    """Check each factor of ``∂L/∂w = ∂L/∂y · ∂y/∂z · ∂z/∂w`` computed by hand for one example.

    The expected values are printed only with ``show_answer=True``.

    Examples
    --------
    >>> check_chain_factors(0.1, 0.2, 0.3, 0.4, x=1.0, w=0.5, b=0.0, t=0.0).passed
    ✗ ∂L/∂y = 0.1 (relative error 8.4e-01)
    ✗ ∂y/∂z = 0.2 (relative error 1.5e-01)
    ✗ ∂z/∂w = 0.3 (relative error 7.0e-01)
    ✗ ∂L/∂w = 0.4 (relative error 1.7e+00)
      (Stuck? Call the check again with show_answer=True to see the expected values.)
    False
    """
    tr = neuron_trace(x, w, b, t)
    y, error, slope = float(tr.y[0]), float(tr.dL_dy[0]), float(tr.dy_dz[0])
    answers = [
        ("∂L/∂y", dL_dy, error, {SIGN: -error}),
        ("∂y/∂z", dy_dz, slope, {SIGMA_NOT_PRIME: y, PRIME_AT_W: float(sigmoid(w) * (1 - sigmoid(w)))}),
        ("∂z/∂w", dz_dw, float(tr.dz_dw[0]), {W_FOR_X: w, ONE_FOR_X: 1.0}),
        ("∂L/∂w", dL_dw, tr.dL_dw, {FORGOT_SLOPE: error * x, NO_X: error * slope, SIGN: -tr.dL_dw, SIGMA_NOT_PRIME: error * y * x}),
    ]
    return check_values(answers, show_answer=show_answer)


def _sigmoid_case(x, w, b, t):
    tr = neuron_trace(x, w, b, t)
    y, error, slope = float(tr.y[0]), float(tr.dL_dy[0]), float(tr.dy_dz[0])
    slips = {
        "dL_dw": {FORGOT_SLOPE: error * x, SIGN: -tr.dL_dw, NO_X: error * slope, SIGMA_NOT_PRIME: error * y * x},
        "dL_db": {FORGOT_SLOPE: error, SIGN: -tr.dL_db, SIGMA_NOT_PRIME: error * y, X_IN_DB: tr.dL_dw},
    }
    return Case(f"x={x:g}, w={w:g}, b={b:g}, t={t:g}", (x, w, b, t), {"dL_dw": tr.dL_dw, "dL_db": tr.dL_db}, slips)


def check_neuron_gradients(gradients):
    """Check ``gradients(x, w, b, t) -> (dL_dw, dL_db)`` of the sigmoid neuron on examples the notebook does not show."""
    return check_function(gradients, [_sigmoid_case(*c) for c in GRADIENT_CASES], "gradients(x, w, b, t)")


def tanh_neuron_gradients(x, w, b, t):
    """``(∂L/∂w, ∂L/∂b)`` for ``y = tanh(w x + b)``, ``L = ½ (y − t)²``: ``(y − t)(1 − y²) x`` and ``(y − t)(1 − y²)``.

    Examples
    --------
    >>> [round(g, 4) for g in tanh_neuron_gradients(1.0, 0.0, 0.0, 1.0)]   # y = 0, tanh'(0) = 1
    [-1.0, -1.0]
    """
    y = np.tanh(w * x + b)
    delta = (y - t) * (1 - y**2)
    return float(delta * x), float(delta)


def _tanh_case(x, w, b, t):
    z = w * x + b
    y = np.tanh(z)
    s = float(sigmoid(z))
    error = y - t
    wrong_slopes = {TANH_FORGOT: 1.0, TANH_NOT_SQUARED: 1 - y, TANH_SIGMOID_FORM: y * (1 - y), TANH_Z_SQUARED: 1 - z**2}
    slips_w = {hint: float(error * d * x) for hint, d in wrong_slopes.items()}
    slips_b = {hint: float(error * d) for hint, d in wrong_slopes.items()}
    dw, db = tanh_neuron_gradients(x, w, b, t)
    slips_w.update({TANH_USED_SIGMOID: (s - t) * s * (1 - s) * x, TANH_SIGN: -dw})
    slips_b.update({TANH_USED_SIGMOID: (s - t) * s * (1 - s), TANH_SIGN: -db, TANH_X_IN_DB: dw})
    return Case(f"x={x:g}, w={w:g}, b={b:g}, t={t:g} (z = {z:g})", (x, w, b, t), {"dL_dw": dw, "dL_db": db}, {"dL_dw": slips_w, "dL_db": slips_b})


def check_tanh_gradients(tanh_gradients):
    """Check ``tanh_gradients(x, w, b, t) -> (dL_dw, dL_db)`` for a tanh neuron, saturated inputs included."""
    return check_function(tanh_gradients, [_tanh_case(*c) for c in TANH_CASES], "tanh_gradients(x, w, b, t)")
