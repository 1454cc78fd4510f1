"""Explorers of notebook 03: activations and their saturation, and the MSE-versus-cross-entropy race."""
from typing import NamedTuple, Optional

import ipywidgets as widgets
import numpy as np

from ..activations import ACTIVATIONS
from ..neuron import Descent, epochs_to_reach, gradient_descent
from ..plotting import ACTIVATION_LABELS, plot_activation, plot_loss_race
from ..saturation import THRESHOLD, dead_unit_share, local_derivative, saturated_share
from .explorer import Explorer, builder, fmt, slider

FIGSIZE = (7, 3.6)
"""One panel per explorer: a second set of axes would double the redraw time."""

MARGINS = {"left": 0.12, "right": 0.97, "bottom": 0.2, "top": 0.9}
"""Fixed margins (no layout engine: it would cost more than the drawing) that fit the axis labels."""

LEAKY_SLOPE = 0.1
"""The explorer's leaky-ReLU slope: 0.1, ten times the usual 0.01, so the negative side is visible."""


# --- activations and saturation ------------------------------------------------------


class ActivationView(NamedTuple):
    """An activation over an input range: the inputs, the derivative there, and how much of it is flat."""

    name: str
    z: np.ndarray
    derivative: np.ndarray
    saturated: float
    dead: bool


def activation_view(name, centre, spread, points=201):
    """The activation ``name`` on ``points`` inputs from ``centre − spread`` to ``centre + spread``."""
    kwargs = {"slope": LEAKY_SLOPE} if name == "leaky_relu" else {}
    z = np.linspace(centre - spread, centre + spread, points)
    a = ACTIVATIONS[name][0](z, **kwargs)[0]
    return ActivationView(
        name=name,
        z=z,
        derivative=local_derivative(name, z, **kwargs),
        saturated=saturated_share(name, z, **kwargs),
        dead=dead_unit_share(a[:, None]) == 1.0,
    )


def _describe_activation(view):
    lo, hi = fmt(view.z[0]), fmt(view.z[-1])
    line = (
        f"<p>On z from {lo} to {hi}: f'(z) &lt; {THRESHOLD:g} on <b>{view.saturated:.0%}</b> of the range "
        f"(there the unit passes back less than 1/{1 / THRESHOLD:g} of the gradient); largest f'(z) here {fmt(view.derivative.max())}.</p>"
    )
    if view.dead:
        line += "<p><b>Dead:</b> the unit outputs 0 for every input in this range, so its gradient is 0 for all of them and no update can revive it.</p>"
    elif view.saturated == 1.0:
        line += "<p><b>Saturated</b> on the whole range: almost no gradient gets through.</p>"
    return line


def _draw_activation(view, figure):
    kwargs = {"slope": LEAKY_SLOPE} if view.name == "leaky_relu" else {}
    plot_activation(view.name, view.z, ax=figure.subplots(gridspec_kw=MARGINS), **kwargs)


@builder
def activation_explorer(activation="sigmoid", centre=0.0, spread=6.0):
    """An activation and an input range → the function, its derivative, and the share of the range that is saturated."""
    options = [(ACTIVATION_LABELS[name] + (f", slope {LEAKY_SLOPE:g}" if name == "leaky_relu" else ""), name) for name in ACTIVATIONS]
    controls = {
        "activation": widgets.Dropdown(options=options, value=activation, description="activation"),
        "centre": slider("inputs centred at", centre, -10.0, 10.0, 0.5),
        "spread": slider("± spread", spread, 0.5, 20.0, 0.5),
    }

    def compute(activation, centre, spread):
        return activation_view(activation, centre, spread)

    return Explorer(controls, compute, _draw_activation, _describe_activation, figsize=FIGSIZE)


# --- the race: squared error against cross-entropy ---------------------------------------


class Race(NamedTuple):
    """The same neuron descended from the same start under MSE and under cross-entropy."""

    mse: Descent
    bce: Descent
    error: float
    mse_epochs: Optional[int]
    """The first epoch within ``error`` of the target; None when the run never got there."""
    bce_epochs: Optional[int]


def race(x, y_true, w0, b0, lr, epochs, error=0.1):
    """Descend ``epochs`` full-batch steps under each loss; record when each first gets within ``error``."""
    runs = [gradient_descent(x, y_true, w0, b0, lr, epochs, loss=loss) for loss in ("mse", "bce")]
    return Race(*runs, error, *(epochs_to_reach(run, error) for run in runs))


def describe_race(result):
    """What the race shows, in one or two sentences (no NaN, whatever happened)."""
    within = f"within {result.error:g} of the target"
    n = len(result.mse.error) - 1
    start = f"σ'(z) at the start = {fmt(result.mse.slope[0])}"
    m, c = result.mse_epochs, result.bce_epochs
    if m == 0 or c == 0:
        return f"The start is already {within}: nothing to race. Move the start point away from the target."
    if m is None and c is None:
        return f"Neither loss got {within} in {n} epochs ({start}). Try a larger learning rate or more epochs."
    if m is None:
        return f"Cross-entropy got {within} after <b>{c}</b> epochs; MSE did not in {n} ({start}: saturated, its gradient carries that factor)."
    if c is None:
        return f"MSE got {within} after <b>{m}</b> epochs; cross-entropy did not in {n}."
    return f"Epochs to get {within}: cross-entropy <b>{c}</b>, MSE <b>{m}</b>, a ratio of <b>{m / c:.1f}</b> ({start})."


def _draw_race(result, figure):
    plot_loss_race({"MSE": result.mse, "cross-entropy": result.bce}, result.error, ax=figure.subplots(gridspec_kw=MARGINS))


@builder
def loss_race_explorer(x=1.0, y_true=0.0, w0=2.0, b0=2.0):
    """Start point, learning rate and epochs → MSE and cross-entropy descending side by side, and who gets there first."""
    controls = {
        "w0": slider("start w", w0, -6.0, 6.0, 0.1),
        "b0": slider("start b", b0, -6.0, 6.0, 0.1),
        "lr": slider("learning rate", 1.0, -1, 1.5, 0.1, log=True),
        "epochs": slider("epochs", 100, 20, 200, 10, integer=True),
    }

    def compute(w0, b0, lr, epochs):
        return race(x, y_true, w0, b0, lr, epochs)

    return Explorer(controls, compute, _draw_race, lambda result: f"<p>{describe_race(result)}</p>", figsize=FIGSIZE)
