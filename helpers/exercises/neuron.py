"""Checkers for notebook 01's exercises: the chain by hand, and the gradient as a function."""
import numbers

import numpy as np

from ..activations import sigmoid
from ..neuron import neuron_trace
from .core import compare, report

CHAIN_EXERCISE = {"x": -1.0, "w": 0.5, "b": 2.0, "y_true": 1.0}
"""The example of notebook 01's first exercise."""


def check_chain_factors(dL_dy, dy_dz, dz_dw, dL_dw, *, x, w, b, y_true):
    """Check each factor of ``∂L/∂w = ∂L/∂y · ∂y/∂z · ∂z/∂w`` for one example."""
    t = neuron_trace(x, w, b, y_true)
    y = float(t.y[0])
    return report(
        [
            compare("∂L/∂y", dL_dy, float(t.dL_dy[0]), {"∂L/∂y = y − t, not t − y": y_true - y}),
            compare(
                "∂y/∂z",
                dy_dz,
                float(t.dy_dz[0]),
                {"that is σ(z); its derivative is σ(z)(1 − σ(z))": y, "differentiate at z, not at w": float(sigmoid(w) * (1 - sigmoid(w)))},
            ),
            compare("∂z/∂w", dz_dw, float(t.dz_dw[0]), {"z = w x + b, so ∂z/∂w is x, not w": w, "∂z/∂w is x; the 1 is ∂z/∂b": 1.0}),
            compare(
                "∂L/∂w",
                dL_dw,
                t.dL_dw,
                {
                    "you forgot the factor σ'(z)": float(t.dL_dy[0]) * x,
                    "you forgot the factor ∂z/∂w = x": float(t.dL_dy[0] * t.dy_dz[0]),
                    "check the sign of y − t": -t.dL_dw,
                    "σ'(z) is σ(z)(1 − σ(z)), not σ(z)": float(t.dL_dy[0]) * y * x,
                },
            ),
        ]
    )


def check_neuron_gradients(gradients):
    """Check a student's ``gradients(x, w, b, y_true) -> (dL_dw, dL_db)`` on several examples."""
    if not callable(gradients):
        return report([(False, f"✗ expected a function gradients(x, w, b, y_true); got {type(gradients).__name__}")])
    cases = [(1.5, 0.8, 0.2, 0.3), (-1.0, 0.5, 2.0, 1.0), (2.0, -1.5, 0.5, 0.0), (0.5, 3.0, -1.0, 0.9)]
    results = []
    for x, w, b, y_true in cases:
        label = f"at x={x}, w={w}, b={b}, y_true={y_true}:"
        try:
            got = gradients(x, w, b, y_true)
            dL_dw, dL_db = got
        except Exception as exc:  # the student's code: report whatever it raised
            results.append((False, f"✗ {label} gradients raised {type(exc).__name__}: {exc}"))
            continue
        if not all(isinstance(v, numbers.Real) or np.ndim(v) == 0 for v in (dL_dw, dL_db)):
            results.append((False, f"✗ {label} return two numbers (dL_dw, dL_db); got {got!r}"))
            continue
        t = neuron_trace(x, w, b, y_true)
        error, slope, y = float(t.dL_dy[0]), float(t.dy_dz[0]), float(t.y[0])
        slips_w = {
            "you forgot the factor σ'(z)": error * x,
            "check the sign: ∂L/∂y = y − t": -t.dL_dw,
            "∂z/∂w = x is missing": error * slope,
            "σ'(z) = σ(z)(1 − σ(z)), not σ(z)": error * y * x,
        }
        slips_b = {
            "you forgot the factor σ'(z)": error,
            "check the sign: ∂L/∂y = y − t": -t.dL_db,
            "∂z/∂b = 1, there is no x in ∂L/∂b": t.dL_dw,
        }
        ok_w, line_w = compare("∂L/∂w", dL_dw, t.dL_dw, slips_w)
        ok_b, line_b = compare("∂L/∂b", dL_db, t.dL_db, slips_b)
        results.append((ok_w and ok_b, f"{'✓' if ok_w and ok_b else '✗'} {label} {line_w[2:]}; {line_b[2:]}"))
    return report(results)
