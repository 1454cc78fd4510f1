"""Explorer of notebook 04: an optimizer, its hyperparameters and a start → its path on a surface."""
import html
from typing import NamedTuple

import ipywidgets as widgets

from ..descent import Trajectory, run_optimizer, steps_to_threshold
from ..optimizer_plots import plot_contours, plot_loss_curves, update_contours, update_loss_curves
from ..optimizers import SGD, Adam, Momentum, RMSProp
from ..surfaces import SURFACES
from .explorer import Explorer, builder, fmt, slider

OPTIMIZER_NAMES = ("SGD", "Momentum", "RMSProp", "Adam")
STEPS = 1000
"""Steps per run in the explorer."""


def make_optimizer(name, lr, beta=0.9, beta2=0.999):
    """A new optimizer of ``helpers.optimizers`` by name; ``beta`` is Momentum's β, RMSProp's β and Adam's β₁."""
    if name == "SGD":
        return SGD(lr)
    if name == "Momentum":
        return Momentum(lr, beta)
    if name == "RMSProp":
        return RMSProp(lr, beta)
    if name == "Adam":
        return Adam(lr, beta, beta2)
    raise ValueError(f"name must be one of {list(OPTIMIZER_NAMES)}; got {name!r}")


class OptimizerProbe(NamedTuple):
    """The explorer's settings and the run they gave."""

    surface: str
    optimizer: str
    lr: float
    beta: float
    beta2: float
    run: Trajectory
    arrived: int | None


def _settings(probe):
    betas = {"SGD": "", "Momentum": f", β = {probe.beta:g}", "RMSProp": f", β = {probe.beta:g}", "Adam": f", β₁ = {probe.beta:g}, β₂ = {probe.beta2:g}"}
    return f"{probe.optimizer} (lr = {probe.lr:.3g}{betas[probe.optimizer]})"


def describe_probe(probe):
    """What happened, in words: arrived at step k, diverged at step k, or where it ended."""
    run, threshold = probe.run, SURFACES[probe.surface].threshold
    if run.diverged_at is not None:
        verdict = (
            f"<b>diverged at step {run.diverged_at}</b>: the loss shot past a million times its start "
            f"(the path is drawn up to step {run.diverged_at - 1}). Lower the learning rate."
        )
    elif probe.arrived is not None:
        verdict = f"reached loss ≤ {threshold:g} at step <b>{probe.arrived}</b>; loss after {STEPS} steps {fmt(run.losses[-1])}"
    else:
        verdict = f"did not reach loss ≤ {threshold:g} in {STEPS} steps: loss {fmt(run.losses[0])} → {fmt(run.losses[-1])}"
    unused = " (SGD uses no β)" if probe.optimizer == "SGD" else " (β₂ is Adam's only)" if probe.optimizer != "Adam" else ""
    return f"<p>{html.escape(_settings(probe))}{html.escape(unused)}: {verdict}</p>"


CONTOURS = {"resolution": 60, "levels": 6}
"""The explorer's surface image: coarser than the notebook's, quick to redraw."""


def _draw(probe, figure):
    """Build the two panels once; afterwards only update their data (the explorer is persistent)."""
    threshold = SURFACES[probe.surface].threshold
    if not figure.axes:
        left, right = figure.subplots(1, 2)
        plot_contours(probe.surface, [probe.run], ax=left, **CONTOURS)
        plot_loss_curves([probe.run], ax=right, threshold=threshold)
    else:
        left, right = figure.axes
        update_contours(left, probe.surface, [probe.run], **CONTOURS)
        update_loss_curves(right, [probe.run], threshold=threshold)


@builder
def optimizer_explorer(optimizer="Adam", surface="bowl", lr=0.1, x0=-4.5, y0=1.0):
    """Optimizer, surface, learning rate, β's and start point → the path on the contour plot and the loss curve."""
    controls = {
        "surface": widgets.Dropdown(options=[("ill-conditioned bowl", "bowl"), ("Rosenbrock's valley", "rosenbrock")], value=surface, description="surface"),
        "lr": slider("learning rate", lr, -4, 1, 0.05, log=True),
        "beta": slider("β (β₁)", 0.9, 0.0, 0.99, 0.01),
        "beta2": slider("β₂", 0.999, 0.5, 0.999, 0.001),
        "x0": slider("start x", x0, -5.0, 5.0, 0.1),
        "y0": slider("start y", y0, -3.0, 3.0, 0.1),
        # Last, so a headless test that moves every control in turn moves the β's while they matter.
        "optimizer": widgets.Dropdown(options=list(OPTIMIZER_NAMES), value=optimizer, description="optimizer"),
    }

    def compute(surface, lr, beta, beta2, x0, y0, optimizer):
        run = run_optimizer(surface, make_optimizer(optimizer, lr, beta, beta2), (x0, y0), STEPS, label=optimizer)
        arrived = steps_to_threshold(run, SURFACES[surface].threshold)
        return OptimizerProbe(surface, optimizer, float(lr), float(beta), float(beta2), run, arrived)

    return Explorer(controls, compute, _draw, describe_probe, persistent=True)
