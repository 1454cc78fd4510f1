"""The gradient-through-time explorer of notebook 08: how ‖∂L/∂h_t‖ vanishes or explodes with the lag."""
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from ..recurrent import CELL_TYPES, cell_forward, hidden_gradients, init_cell
from .explorer import Explorer, builder, fmt, slider

HIDDEN, BATCH = 16, 4
"""The explorer's net: 16 hidden units, 4 random sequences (the norms are their mean)."""
VANISHED, EXPLODED = 1e-8, 1e8
FLOOR, CEILING = 1e-30, 1e30
"""Norms are drawn within these (an underflow to 0 has no logarithm; the status line says what happened)."""


class TimeGradients(NamedTuple):
    """``unit_norms`` (T, H): mean |∂L/∂h_t| per step and unit; ``norms`` (T,): mean ‖∂L/∂h_t‖; the settings."""

    unit_norms: np.ndarray
    norms: np.ndarray
    cell: str
    length: int
    radius: float
    keep_bias: float


def time_gradients(cell="rnn", length=60, radius=1.0, keep_bias=1.0, seed=0):
    """‖∂L/∂h_t‖ over t for a loss on the last step of random sequences (inputs uniform in [−1, 1]).

    The recurrent matrix (each gate block) is scaled to spectral radius ``radius``; ``keep_bias``
    is the LSTM's forget-gate bias or the GRU's update-gate bias (the RNN has none).

    Examples
    --------
    >>> g = time_gradients("rnn", length=5, radius=0.5)
    >>> g.norms.shape, g.unit_norms.shape, bool(g.norms[0] < g.norms[-1])
    ((5,), (5, 16), True)
    """
    rng = np.random.default_rng(seed)
    params = init_cell(cell, 1, HIDDEN, rng, spectral_radius=radius, keep_bias=None if cell == "rnn" else keep_bias)
    x = rng.uniform(-1.0, 1.0, size=(BATCH, int(length), 1))
    dh_last = rng.normal(size=(BATCH, HIDDEN))
    dh_last /= np.linalg.norm(dh_last, axis=1, keepdims=True)
    with np.errstate(all="ignore"):
        _, cache = cell_forward(cell, x, params)
        grads = hidden_gradients(cell, dh_last, cache)
        norms = np.linalg.norm(grads, axis=2).mean(axis=0)
    return TimeGradients(np.abs(grads).mean(axis=0), norms, cell, int(length), float(radius), float(keep_bias))


def describe_time_gradients(result):
    """What happened, in one line: vanished, exploded, or how much the norm changed over the sequence."""
    lags = result.norms[::-1]  # lag 0 is the last step
    name = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}[result.cell]
    below = np.flatnonzero(~(lags >= VANISHED))
    above = np.flatnonzero(~(lags <= EXPLODED))
    if above.size and not np.isfinite(lags[above[0]:]).all():
        return f"{name}: ‖∂L/∂h_t‖ exploded above {EXPLODED:.0e} after {above[0]} steps back and overflowed to inf."
    if above.size:
        return f"{name}: ‖∂L/∂h_t‖ exploded above {EXPLODED:.0e} after {above[0]} steps back (largest {fmt(lags.max())})."
    if below.size:
        zero = " and underflowed to 0" if lags.min() == 0 else ""
        return f"{name}: ‖∂L/∂h_t‖ vanished below {VANISHED:.0e} after {below[0]} steps back{zero}."
    ratio = lags[-1] / lags[0]
    if ratio < 1e-2:
        return f"{name}: ‖∂L/∂h_t‖ shrank ×{fmt(ratio)} over {result.length - 1} steps back: fading, not yet below {VANISHED:.0e}."
    if ratio > 1e2:
        return f"{name}: ‖∂L/∂h_t‖ grew ×{fmt(ratio)} over {result.length - 1} steps back: growing, not yet above {EXPLODED:.0e}."
    return f"{name}: ‖∂L/∂h_t‖ changed ×{fmt(ratio)} over {result.length - 1} steps back: the gradient survives the whole sequence."


def time_gradients_drawer():
    """A ``draw(result, figure)`` for :func:`time_gradients`: builds the heatmap and the curve once, then only updates their data."""
    parts = {}

    def draw(result, figure):
        logs = np.log10(np.clip(np.nan_to_num(result.unit_norms, nan=CEILING, posinf=CEILING), FLOOR, CEILING))
        lags = np.arange(result.length)[::-1]  # step t has lag T − 1 − t
        if not figure.axes:
            left, right = figure.subplots(1, 2)
            parts["image"] = left.imshow(logs.T, aspect="auto", origin="lower", cmap="viridis")
            figure.colorbar(parts["image"], ax=left, label="log10 mean |∂L/∂h_t|").locator = MaxNLocator(4)
            left.set(xlabel="time step t", ylabel="hidden unit")
            (parts["line"],) = right.plot([0], [0], color="C0")  # log10 on a linear axis: plain tick labels draw faster than 10^k
            right.axhline(np.log10(VANISHED), color="0.5", linestyle=":", linewidth=1)
            right.axhline(np.log10(EXPLODED), color="0.5", linestyle=":", linewidth=1)
            right.set(xlabel="lag T − t (steps back from the loss)", ylabel="log10 ‖∂L/∂h_t‖")
            parts["left"], parts["right"] = left, right
        finite = logs[np.isfinite(logs)]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (-1.0, 1.0)
        parts["image"].set_data(logs.T)
        parts["image"].set_extent((-0.5, result.length - 0.5, -0.5, HIDDEN - 0.5))
        parts["image"].set_clim(lo, max(hi, lo + 1e-6))
        parts["left"].set_title(f"{result.cell.upper()}: |∂L/∂h_t| per unit")
        norms = np.clip(np.nan_to_num(result.norms, nan=CEILING, posinf=CEILING), FLOOR, CEILING)
        parts["line"].set_data(lags, np.log10(norms))
        right = parts["right"]
        right.set_xlim(0, max(result.length - 1, 1))
        right.set_ylim(np.log10(min(norms.min(), VANISHED)) - 1, np.log10(max(norms.max(), EXPLODED)) + 1)
        right.set_title(f"norm per lag (ρ = {result.radius:.2g})")

    return draw


@builder
def gradient_through_time_explorer(cell="rnn", length=60, radius=1.0, keep_bias=1.0):
    """Cell type, sequence length, spectral radius, keep-gate bias → |∂L/∂h_t| per step and unit, and its norm per lag."""
    controls = {
        "cell": widgets.Dropdown(options=list(CELL_TYPES), value=cell, description="cell"),
        "length": slider("length T", length, 5, 200, 5, integer=True),
        "radius": slider("spectral radius ρ", radius, 0.1, 5.0, 0.1),
        "keep_bias": slider("forget/update-gate bias", keep_bias, -3.0, 6.0, 0.5),
    }
    return Explorer(controls, time_gradients, time_gradients_drawer(), lambda r: f"<p>{describe_time_gradients(r)}</p>", figsize=(11, 3.6), persistent=True)
