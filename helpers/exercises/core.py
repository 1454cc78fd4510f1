"""What every checker is built from: a verdict line per quantity, and the Feedback."""
from typing import NamedTuple

import numpy as np



class Feedback(NamedTuple):
    """The checker's verdict: ``passed`` and the lines it printed."""

    passed: bool
    lines: tuple

    def __bool__(self):
        return self.passed


def compare(name, got, expected, slips=None, rtol=1e-6):
    """One verdict line for ``got`` against ``expected``; ``(ok, line)``.

    ``slips`` maps a hint to the value a classic mistake would produce; when
    ``got`` matches one of them, the hint is given.

    Examples
    --------
    >>> compare("dL/dw", 0.5, 0.5)
    (True, '✓ dL/dw = 0.5')
    >>> compare("dL/dw", -0.5, 0.5, {"check the sign": -0.5})[1]
    '✗ dL/dw = -0.5, expected 0.5 (relative error 2.0e+00). Hint: check the sign'
    """
    try:
        got_arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False, f"✗ {name}: expected a number, got {type(got).__name__}"
    if got is None or got is Ellipsis or got_arr.shape != np.shape(expected):
        return False, f"✗ {name}: expected a number of shape {np.shape(expected)}, got {got!r}"
    if not np.all(np.isfinite(got_arr)):
        return False, f"✗ {name} = {got} is not finite"
    if _close(got_arr, expected, rtol):
        return True, f"✓ {name} = {_short(got_arr)}"
    error = np.max(np.abs(got_arr - expected) / np.maximum(np.abs(expected), 1e-12))
    line = f"✗ {name} = {_short(got_arr)}, expected {_short(expected)} (relative error {error:.1e})"
    for hint, value in (slips or {}).items():
        if _close(got_arr, value, rtol):
            return False, f"{line}. Hint: {hint}"
    return False, line


def report(results):
    """Print the lines of ``results`` (``(ok, line)`` pairs) and return the Feedback."""
    lines = tuple(line for _, line in results)
    print("\n".join(lines))
    return Feedback(all(ok for ok, _ in results), lines)


def _close(got, expected, rtol):
    return bool(np.allclose(got, expected, rtol=rtol, atol=1e-12))


def _short(value):
    value = np.asarray(value, dtype=float)
    return f"{float(value):.4g}" if value.ndim == 0 else np.array2string(value, precision=4)
