"""Gradient checking by central differences.

``∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / 2h`` has error of order ``h²``; with
``h = 1e-5`` in float64 an exact analytic gradient agrees to a relative error
of about 1e-8 or better, while a wrong one is typically off by 1e-2 or more.
"""
from dataclasses import dataclass

import numpy as np

from .validation import as_array, as_scalar, check_positive


def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of a scalar function ``f`` at array ``x``.

    ``f(x)`` must return one number (for an array-valued ``f``, use
    :func:`numerical_gradient_backward` with an upstream gradient).
    ``x`` is not modified. Returns an array shaped like ``x``.

    Examples
    --------
    >>> g = numerical_gradient(lambda v: float(np.sum(v**2)), np.array([1.0, -2.0]))
    >>> g.round(6).tolist()
    [2.0, -4.0]
    """
    if not callable(f):
        raise TypeError(f"f must be a function; got {type(f).__name__}")
    return numerical_gradient_backward(lambda v: as_scalar(f(v), "f(x)"), x, 1.0, h)


def numerical_gradient_backward(f, x, dout, h=1e-5):
    """Central-difference gradient of ``Σ f(x) · dout`` with respect to ``x``.

    This is what a backward pass should return for ``x`` when ``dout`` is the
    upstream gradient of ``f``'s output.

    Examples
    --------
    >>> g = numerical_gradient_backward(np.tanh, np.zeros(2), np.array([1.0, 3.0]))
    >>> g.round(6).tolist()
    [1.0, 3.0]
    """
    if not callable(f):
        raise TypeError(f"f must be a function; got {type(f).__name__}")
    x = as_array(x, "x").copy()
    dout = as_array(dout, "dout")
    h = check_positive(h, "h")
    out_shape = np.shape(f(x))
    if dout.shape != out_shape:
        raise ValueError(f"dout must have the shape of f(x), {out_shape}; got {dout.shape}")
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        plus = np.sum(np.asarray(f(x), dtype=float) * dout)
        flat[i] = old - h
        minus = np.sum(np.asarray(f(x), dtype=float) * dout)
        flat[i] = old
        gflat[i] = (plus - minus) / (2 * h)
    return grad


def relative_error(analytic, numeric):
    """Norm-wise relative error ``‖a − n‖ / (‖a‖ + ‖n‖)`` (0 when both are 0).

    Measuring against the whole array's size keeps entries that are near zero
    from turning harmless rounding noise into a large ratio.

    Examples
    --------
    >>> relative_error(np.array([1.0, 0.0]), np.array([1.0, 0.0]))
    0.0
    >>> relative_error(np.array([2.0]), np.array([1.0])) > 0.3
    True
    """
    analytic = as_array(analytic, "analytic", allow_empty=True)
    numeric = as_array(numeric, "numeric", allow_empty=True)
    if analytic.shape != numeric.shape:
        raise ValueError(f"numeric must have the same shape as analytic, {analytic.shape}; got {numeric.shape}")
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return float(np.linalg.norm(analytic - numeric) / scale) if scale > 0 else 0.0


@dataclass(frozen=True)
class GradCheckReport:
    """How far analytic gradients are from numerical ones, and where the worst entry is."""

    errors: dict
    """Relative error per parameter name."""
    worst_name: str
    worst_index: tuple
    worst_error: float
    analytic: float
    numeric: float

    def passed(self, tol=1e-7):
        """True when every relative error is below ``tol``."""
        return self.worst_error < tol

    def __str__(self):
        where = self.worst_name + (f"[{', '.join(map(str, self.worst_index))}]" if self.worst_index else "")
        return (
            f"worst relative error {self.worst_error:.1e} in {self.worst_name}; "
            f"largest difference at {where}: "
            f"analytic {self.analytic:.6g}, numerical {self.numeric:.6g}"
        )


def check_gradients(loss_fn, params, grads, h=1e-5):
    """Compare analytic ``grads`` with central differences of ``loss_fn``.

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(params) -> float``, the loss as a function of the dict.
    params : dict of arrays
        Where to check. Not modified.
    grads : dict of arrays, same keys and shapes
        The analytic gradients to test.

    Returns
    -------
    GradCheckReport naming the parameter and index with the worst error.

    Examples
    --------
    >>> params = {"w": np.array([3.0])}
    >>> report = check_gradients(lambda p: float(p["w"][0] ** 2), params, {"w": np.array([6.0])})
    >>> report.passed()
    True
    """
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be a function params -> loss; got {type(loss_fn).__name__}")
    if not isinstance(params, dict) or not isinstance(grads, dict):
        raise TypeError(
            f"params and grads must be dicts of arrays with the same keys; got {type(params).__name__} and {type(grads).__name__}"
        )
    if params.keys() != grads.keys():
        raise ValueError(f"grads must have the keys of params, {sorted(params)}; got {sorted(grads)}")
    if not params:
        raise ValueError("params must not be empty")
    errors, numerics, analytics = {}, {}, {}
    for name in params:
        current = {k: as_array(v, f"params[{k!r}]").copy() for k, v in params.items()}

        def f(value, name=name):
            current[name] = value
            return as_scalar(loss_fn(current), "loss_fn(params)")

        numerics[name] = numerical_gradient(f, current[name], h)
        analytics[name] = as_array(grads[name], f"grads[{name!r}]")
        if analytics[name].shape != numerics[name].shape:
            raise ValueError(
                f"grads[{name!r}] must have the shape of params[{name!r}], {numerics[name].shape}; got {analytics[name].shape}"
            )
        errors[name] = relative_error(analytics[name], numerics[name])
    worst = max(errors, key=errors.get)
    diff = np.abs(analytics[worst] - numerics[worst])
    index = np.unravel_index(int(np.argmax(diff)), diff.shape)
    return GradCheckReport(
        errors=errors,
        worst_name=worst,
        worst_index=tuple(int(i) for i in index),
        worst_error=errors[worst],
        analytic=float(analytics[worst][index]),
        numeric=float(numerics[worst][index]),
    )
