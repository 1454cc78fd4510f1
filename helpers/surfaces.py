"""Two-dimensional test functions for optimizers: an ill-conditioned bowl and Rosenbrock's valley.

Each function takes points ``p`` of shape ``(..., 2)`` (one point ``(x, y)``, or a
grid of them for a contour plot) and returns ``(value, grad)``: the value has
shape ``p.shape[:-1]`` and the gradient the shape of ``p``.

* :func:`bowl`, ``L = ½ (λ₁ x² + λ₂ y²)``: a quadratic whose curvatures differ by the
  *condition number* ``κ = λ₂ / λ₁``. Plain gradient descent is stable only for
  ``lr < 2 / λ₂`` and then crawls along the flat ``x`` direction at rate
  ``1 − lr λ₁``. Its axes are the coordinate axes, which is a best case for
  per-coordinate methods (RMSProp, Adam).
* :func:`rosenbrock`, ``L = (a − x)² + b (y − x²)²``: a curved, flat-bottomed
  valley with its minimum 0 at ``(a, a²)``.
"""
from typing import NamedTuple

import numpy as np

from .validation import as_array, as_scalar, check_positive

BOWL_CURVATURES = (1.0, 100.0)
"""``(λ₁, λ₂)`` of the course's bowl: condition number 100."""


def bowl(p, curvatures=BOWL_CURVATURES):
    """The quadratic bowl ``L = ½ (λ₁ x² + λ₂ y²)`` and its gradient ``(λ₁ x, λ₂ y)``.

    Parameters
    ----------
    p : array, shape (..., 2)
        Points ``(x, y)``.
    curvatures : (λ₁, λ₂), both positive
        The second derivatives along ``x`` and ``y``.

    Returns
    -------
    value : array, shape p.shape[:-1]
    grad : array, shape p.shape

    Examples
    --------
    >>> value, grad = bowl([1.0, 0.1])
    >>> float(value), grad.tolist()
    (1.0, [1.0, 10.0])
    """
    p = _points(p)
    return _bowl(p, _curvatures(curvatures))


def rosenbrock(p, a=1.0, b=100.0):
    """Rosenbrock's valley ``L = (a − x)² + b (y − x²)²`` and its gradient.

    ``∂L/∂x = −2 (a − x) − 4 b x (y − x²)``, ``∂L/∂y = 2 b (y − x²)``; the minimum
    is 0 at ``(a, a²)``.

    Examples
    --------
    >>> value, grad = rosenbrock([1.0, 1.0])
    >>> float(value), bool(np.all(grad == 0))
    (0.0, True)
    >>> rosenbrock([0.0, 1.0])[1].tolist()
    [-2.0, 200.0]
    """
    p = _points(p)
    return _rosenbrock(p, as_scalar(a, "a"), check_positive(b, "b"))


def _bowl(p, curvatures):
    grad = p * curvatures
    return 0.5 * np.sum(grad * p, axis=-1), grad


def _rosenbrock(p, a, b):
    x, y = p[..., 0], p[..., 1]
    gap = y - x * x
    value = (a - x) ** 2 + b * gap * gap
    grad = np.stack([-2.0 * (a - x) - 4.0 * b * x * gap, 2.0 * b * gap], axis=-1)
    return value, grad


class Surface(NamedTuple):
    """A test function with what a plot and a run need.

    ``f(p) -> (value, grad)`` is unchecked and fast (for the runner's inner loop);
    ``minimum`` is where the value is 0; ``bounds`` is ``(x_lo, x_hi, y_lo, y_hi)``
    for contour plots; ``start`` is the default starting point; ``threshold`` is
    the loss at which the course counts a run as arrived.
    """

    name: str
    f: object
    minimum: tuple
    bounds: tuple
    start: tuple
    threshold: float


BOWL = Surface("ill-conditioned bowl", lambda p: _bowl(p, np.asarray(BOWL_CURVATURES)), (0.0, 0.0), (-5.0, 5.0, -1.5, 1.5), (-4.5, 1.0), 1e-3)
ROSENBROCK = Surface("Rosenbrock's valley", lambda p: _rosenbrock(p, 1.0, 100.0), (1.0, 1.0), (-2.0, 2.0, -1.0, 3.0), (-1.5, 2.0), 1e-2)
SURFACES = {"bowl": BOWL, "rosenbrock": ROSENBROCK}
"""The course's surfaces by name."""


def surface_grid(surface, resolution=80, bounds=None):
    """The surface's values on a ``resolution × resolution`` grid over ``bounds`` (default: its own).

    Returns ``(xs, ys, values)``, each of shape ``(resolution, resolution)``, rows along ``y``.

    Examples
    --------
    >>> xs, ys, values = surface_grid(BOWL, resolution=3)
    >>> values.shape, float(values[1, 1])
    ((3, 3), 0.0)
    """
    surface = check_surface(surface)
    resolution = check_positive(resolution, "resolution", integer=True)
    x_lo, x_hi, y_lo, y_hi = surface.bounds if bounds is None else as_array(bounds, "bounds", shape=(4,))
    if not (x_lo < x_hi and y_lo < y_hi):
        raise ValueError(f"bounds must be (x_lo, x_hi, y_lo, y_hi) with lo < hi; got {tuple(bounds)}")
    xs, ys = np.meshgrid(np.linspace(x_lo, x_hi, resolution), np.linspace(y_lo, y_hi, resolution))
    return xs, ys, surface.f(np.stack([xs, ys], axis=-1))[0]


def check_surface(surface):
    """Return the :class:`Surface` that ``surface`` is or names, or raise a clear error."""
    if isinstance(surface, Surface):
        return surface
    if isinstance(surface, str) and surface in SURFACES:
        return SURFACES[surface]
    raise ValueError(f"surface must be a Surface or one of {sorted(SURFACES)}; got {surface!r}")


def _points(p):
    p = as_array(p, "p")
    if p.ndim == 0 or p.shape[-1] != 2:
        raise ValueError(f"p must hold points (x, y), shape (..., 2); got shape {p.shape}")
    return p


def _curvatures(curvatures):
    c = as_array(curvatures, "curvatures", shape=(2,))
    if np.any(c <= 0):
        raise ValueError(f"curvatures must be positive; got {c.tolist()}")
    return c
