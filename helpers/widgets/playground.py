"""Notebook 05's playground: pick a 2-D dataset and a small network, train it, see the boundary."""
import html
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from ..activations import sigmoid
from ..classifier_plots import CLASS_COLOURS, DecisionSurface, decision_surface, plot_decision_boundary
from ..datasets import moons, spirals, xor
from ..losses import binary_cross_entropy_with_logits
from ..network import Dense, Sequential
from ..optimizers import Adam
from ..plotting import plot_loss_curve
from .explorer import Explorer, builder, fmt, slider

DATASETS = {"XOR": xor, "moons": moons, "spirals": spirals}
"""The playground's datasets by the name its menu shows."""


class PlaygroundRun(NamedTuple):
    """One training run of the playground: the data, the loss per step, the boundary, the verdict."""

    dataset: str
    x: np.ndarray
    labels: np.ndarray
    losses: np.ndarray
    """The loss before each step that was taken (finite values only)."""
    surface: DecisionSurface | None
    """None when training diverged."""
    accuracy: float
    diverged_at: int | None


def train_playground(dataset="moons", noise=0.1, hidden=8, activation="tanh", lr=0.05, *, n=200, steps=150, seed=0, resolution=60):
    """Train a one-hidden-layer net on a 2-D dataset with Adam; return a :class:`PlaygroundRun`.

    Full-batch training for ``steps`` steps on ``n`` points made with
    ``np.random.default_rng(seed)``, with binary cross-entropy on the logits.
    If the loss stops being finite, training stops there and the run says at
    which step; the boundary is then not drawn.
    """
    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {sorted(DATASETS)}; got {dataset!r}")
    rng = np.random.default_rng(seed)
    x, labels = DATASETS[dataset](n, rng, noise=noise)
    model = Sequential([Dense(hidden, activation), Dense(1)], input_dim=2, rng=rng)
    optimizer, targets = Adam(lr), labels[:, None].astype(float)
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(steps):
            try:
                loss, grads = model.gradients(x, targets, binary_cross_entropy_with_logits)
            except ValueError:  # the loss refuses non-finite logits: the weights have blown up
                loss, grads = np.inf, {}
            if not np.isfinite(loss):
                return PlaygroundRun(dataset, x, labels, np.array(losses), None, float("nan"), step)
            losses.append(loss)
            optimizer.step(model.params, grads)
        logits = model(x)[:, 0]
        grid = decision_surface(model, x, resolution)  # logits on the grid, turned into probabilities below
    if not (np.isfinite(logits).all() and np.isfinite(grid.probabilities).all()):
        return PlaygroundRun(dataset, x, labels, np.array(losses), None, float("nan"), steps)
    surface = DecisionSurface(sigmoid(grid.probabilities), grid.extent)
    accuracy = float(np.mean((logits > 0) == (labels == 1)))
    return PlaygroundRun(dataset, x, labels, np.array(losses), surface, accuracy, None)


def describe_playground(run):
    """The status line: final loss and accuracy, or where training diverged."""
    if run.diverged_at is not None:
        return f"<p><b>diverged at step {run.diverged_at}</b>: the loss stopped being finite; try a smaller learning rate.</p>"
    return f"<p>{html.escape(run.dataset)}: after {len(run.losses)} steps of Adam, loss {fmt(run.losses[-1])}, training accuracy {run.accuracy:.1%}</p>"


def draw_playground(run, figure):
    """The boundary (left) and the loss curve (right)."""
    figure.subplots_adjust(bottom=0.2)  # room for the step axis's label
    left, right = figure.subplots(1, 2)
    if run.surface is not None:
        plot_decision_boundary(run.x, run.labels, run.surface, ax=left, title="P(class 1) after training", ticks=False, smooth=False)
        left.set_axis_off()  # the coordinates mean nothing here, and each axis costs time to draw
    else:
        left.scatter(run.x[:, 0], run.x[:, 1], c=run.labels, cmap=CLASS_COLOURS, s=12)
        left.set(xticks=[], yticks=[])
        left.set_title("diverged: no boundary", y=1.0)
    if len(run.losses):
        plot_loss_curve(run.losses, ax=right, log=False)
    right.xaxis.set_major_locator(MaxNLocator(4))  # few tick labels: each is a text to lay out on every redraw
    right.yaxis.set_major_locator(MaxNLocator(4))
    right.set_title("Training loss (binary cross-entropy)", y=1.0)


@builder
def playground_explorer(dataset="moons", noise=0.1, hidden=8, activation="tanh", lr=0.05):
    """Dataset, noise, hidden units, activation and learning rate → a trained net's boundary and loss curve."""
    style = {"description_width": "initial"}
    controls = {
        "dataset": widgets.Dropdown(options=list(DATASETS), value=dataset, description="dataset", style=style),
        "noise": slider("noise", noise, 0.0, 0.5, 0.05),
        "hidden": slider("hidden units", hidden, 1, 32, 1, integer=True),
        "activation": widgets.Dropdown(options=["tanh", "relu", "sigmoid", "leaky_relu"], value=activation, description="activation", style=style),
        "lr": slider("learning rate", lr, -3, 0, 0.1, log=True),
    }
    return Explorer(controls, train_playground, draw_playground, describe_playground)
