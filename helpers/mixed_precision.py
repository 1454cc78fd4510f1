"""Mixed precision: float16 gradients, their underflow, and loss scaling (static and dynamic).

float16 has a 10-bit mantissa and a 5-bit exponent: its largest number is 65504 and
its smallest (subnormal) one is 2⁻²⁴ ≈ 6·10⁻⁸. Gradients of a small loss are often
smaller than that and become exactly 0 in a float16 backward pass. *Loss scaling*
multiplies the loss by ``S`` (so every gradient of the backward pass by ``S``, by the
chain rule), runs the backward pass in float16, and divides the result by ``S`` in
float32: the small gradients survive. Too large an ``S`` overflows to ``inf``;
*dynamic* loss scaling then skips that step and halves ``S``, and doubles ``S`` again
after a run of good steps.
"""
from typing import NamedTuple

import numpy as np

from .network import backward_unchecked, forward_unchecked
from .validation import check_positive

FLOAT16_TINY = float(np.finfo(np.float16).smallest_subnormal)
"""2⁻²⁴ ≈ 5.96e-8: below about half of this, a float16 rounds to 0."""
FLOAT16_MAX = float(np.finfo(np.float16).max)
"""65504: above this (after rounding), a float16 is ``inf``."""


def float16_gradients(x, params, activations, dout, scale=1.0):
    """Forward and backward in float16 with the upstream gradient times ``scale``; returns float32 grads / ``scale``.

    ``activations`` names each layer's activation (None: linear), as
    ``helpers.network.forward_unchecked``. Overflow to ``inf`` is not an error here
    (numpy's warning is silenced): :class:`DynamicLossScaler` looks for it.
    """
    scale = check_positive(scale, "scale")
    half = {k: np.asarray(v, dtype=np.float16) for k, v in params.items()}
    with np.errstate(over="ignore", invalid="ignore"):
        _, cache = forward_unchecked(np.asarray(x, dtype=np.float16), half, tuple(activations))
        scaled = (np.asarray(dout, dtype=np.float32) * np.float32(scale)).astype(np.float16)
        _, grads = backward_unchecked(scaled, cache, False)
        return {k: g.astype(np.float32) / np.float32(scale) for k, g in grads.items()}


class Float16Backward:
    """``backward16(dout16) -> {"W1": …}``: a float16 forward + backward of one network on one batch.

    What a mixed-precision framework runs for you; the notebook's exercise calls it
    with its own (scaled) float16 upstream gradient.

    Examples
    --------
    >>> params = {"W1": np.array([[2.0]]), "b1": np.array([0.0])}
    >>> backward16 = Float16Backward(np.array([[3.0]]), params, (None,))
    >>> {k: (g.dtype.name, g.tolist()) for k, g in backward16(np.array([[1e-8]], dtype=np.float16)).items()}
    {'W1': ('float16', [[0.0]]), 'b1': ('float16', [0.0])}
    """

    def __init__(self, x, params, activations):
        self.x, self.params, self.activations = x, params, tuple(activations)

    def __call__(self, dout16):
        dout16 = np.asarray(dout16)
        if dout16.dtype != np.float16:
            raise TypeError(f"backward16 takes a float16 dout (dout.astype(np.float16)); got {dout16.dtype}")
        grads = float16_gradients(self.x, self.params, self.activations, dout16.astype(np.float32), 1.0)
        return {k: g.astype(np.float16) for k, g in grads.items()}


def zero_share(grads, reference):
    """Share of the entries that are nonzero in ``reference`` but exactly 0 in ``grads`` (lost to underflow).

    Examples
    --------
    >>> zero_share({"w": np.array([0.0, 1.0, 0.0])}, {"w": np.array([1e-9, 1.0, 0.0])})
    0.5
    """
    lost = sum(int(np.sum((grads[k] == 0) & (reference[k] != 0))) for k in reference)
    nonzero = sum(int(np.sum(reference[k] != 0)) for k in reference)
    return lost / max(nonzero, 1)


class ScalerStep(NamedTuple):
    """One step of dynamic loss scaling: was the update applied, the scale used, the scale next."""

    applied: bool
    scale: float
    next_scale: float


class DynamicLossScaler:
    """Dynamic loss scaling: on ``inf``/``nan`` skip the step and halve the scale; double it after ``growth_interval`` good steps.

    Examples
    --------
    >>> scaler = DynamicLossScaler(scale=8.0, growth_interval=2)
    >>> [tuple(scaler.step({"w": np.array([g])})) for g in (np.inf, 1.0, 1.0)]
    [(False, 8.0, 4.0), (True, 4.0, 4.0), (True, 4.0, 8.0)]
    """

    def __init__(self, scale=2.0**16, growth_interval=2000, factor=2.0):
        self.scale = check_positive(scale, "scale")
        self.growth_interval = check_positive(growth_interval, "growth_interval", integer=True)
        self.factor = check_positive(factor, "factor")
        self.good_steps = 0

    def step(self, scaled_grads):
        """Decide about one step from the gradients computed with the current scale."""
        used = self.scale
        finite = all(np.all(np.isfinite(g)) for g in scaled_grads.values())
        if not finite:
            self.scale /= self.factor
            self.good_steps = 0
        else:
            self.good_steps += 1
            if self.good_steps == self.growth_interval:
                self.scale *= self.factor
                self.good_steps = 0
        return ScalerStep(finite, used, self.scale)
