"""Notebook 06's explorer: the article's network fitting its curve, per sample or in mini-batches.

The network is the Keras example's, ``1 → Dense(h, sigmoid) → Dense(1)`` with
Keras's MSE and Adam, trained by :func:`helpers.training.fit` on a few noisy
samples of notebook 06's curve. The controls: hidden units, learning rate,
epochs and the batch size (one sample per step, as in the article, or
mini-batches, or the whole set) → the fit over the data and the loss per epoch.
"""
import html
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import LogFormatter, MaxNLocator, NullLocator

from ..datasets import regression_1d
from ..losses import keras_mse
from ..network import Dense, Sequential
from ..optimizers import Adam
from ..training import fit
from .explorer import Explorer, builder, fmt, slider

SAMPLES = 24
"""Samples of the curve the explorer trains on: few, so a redraw stays quick."""

BATCHING = {"per sample (batch 1)": 1, "mini-batches of 8": 8, f"full batch ({SAMPLES})": SAMPLES}
"""The batch-size menu: its labels and the batch sizes they mean."""

GRID = np.linspace(-1.0, 1.0, 80)[:, None]


class KerasRun(NamedTuple):
    """One training run of the explorer: the data, the fit before and after, the loss per epoch, the verdict."""

    x: np.ndarray
    y: np.ndarray
    before: np.ndarray
    """The untrained net's output on :data:`GRID`."""
    after: np.ndarray
    """The trained net's output on :data:`GRID` (the last finite one if training blew up)."""
    losses: np.ndarray
    """Keras's MSE during each epoch that was completed with a finite loss."""
    start_loss: float
    """Keras's MSE of the untrained net on the samples."""
    final_loss: float
    """Keras's MSE of the trained net on the samples (inf when it overflowed)."""
    steps: int
    batch_size: int
    diverged_at: int | None
    """The first epoch whose loss was not finite or above the untrained net's, when training ended above it too."""


def train_keras_example(hidden=10, lr=0.01, epochs=10, batching="per sample (batch 1)", *, samples=SAMPLES, seed=0):
    """Train the article's network with Adam(``lr``) for ``epochs`` epochs; return a :class:`KerasRun`.

    One :func:`helpers.training.fit` epoch at a time, samples in their order,
    batches of ``BATCHING[batching]`` samples. Training is called *diverged* when
    its loss stops being finite, or when an epoch's loss rises above the
    untrained net's and the run also ends above it; the run then stops at that
    epoch's end (the loss of an overflowing epoch is not kept).
    """
    if batching not in BATCHING:
        raise ValueError(f"batching must be one of {list(BATCHING)}; got {batching!r}")
    rng = np.random.default_rng(seed)
    x, y = regression_1d(samples, rng)
    model = Sequential([Dense(int(hidden), "sigmoid"), Dense(1)], input_dim=1, rng=rng)
    batch_size = min(BATCHING[batching], samples)
    before, start_loss = model(GRID), keras_mse(model(x), y)[0]
    optimizer, losses, after, overflow = Adam(lr), [], before, None
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(1, int(epochs) + 1):
            try:
                loss = float(fit(model, x, y, keras_mse, optimizer, epochs=1, batch_size=batch_size)[0])
                out = model(GRID)
            except ValueError:  # a loss or an array refused a non-finite value: the weights have blown up
                loss, out = np.inf, None
            if not (np.isfinite(loss) and np.all(np.isfinite(out))):
                overflow = epoch
                break
            losses.append(loss)
            after = out
        final_loss = keras_mse(model(x), y)[0] if overflow is None else np.inf
    losses = np.array(losses)
    diverged_at = overflow
    if overflow is None and final_loss > start_loss and np.any(losses > start_loss):
        diverged_at = int(np.argmax(losses > start_loss)) + 1
    steps = len(losses) * -(-samples // batch_size)
    return KerasRun(x, y, before, after, losses, float(start_loss), float(final_loss), steps, batch_size, diverged_at)


def describe_keras(run):
    """The status line: the fit's loss before and after, the steps taken, or where training diverged."""
    if run.diverged_at is not None and not np.isfinite(run.final_loss):
        return f"<p><b>diverged at epoch {run.diverged_at}</b>: the loss overflowed; try a smaller learning rate.</p>"
    if run.diverged_at is not None:
        return (f"<p><b>diverged at epoch {run.diverged_at}</b>: the loss rose above the untrained net's ({fmt(run.start_loss)}) "
                f"and ended there ({fmt(run.final_loss)}); Adam's steps are too long for this learning rate.</p>")
    verdict = " (hardly moved: a larger learning rate or more epochs)" if run.final_loss > 0.8 * run.start_loss else ""
    return (f"<p>{run.steps} steps of Adam on batches of {run.batch_size}: Keras MSE {fmt(run.start_loss)} → "
            f"<b>{fmt(run.final_loss)}</b>{html.escape(verdict)}; the noise alone gives about 0.01.</p>")


def draw_keras(run, figure):
    """The data with the fit before and after training (left), Keras's MSE per epoch (right).

    The first call on an empty ``figure`` builds the two panels; later calls only
    update their data and limits (the explorer keeps its figure), which is most
    of a redraw's time saved.
    """
    if not figure.axes:
        _build(figure)
    left, right = figure.axes
    data, before, after = left.collections[0], left.lines[0], left.lines[1]
    data.set_offsets(np.column_stack([run.x[:, 0], run.y[:, 0]]))
    before.set_ydata(run.before[:, 0])
    after.set_ydata(run.after[:, 0])
    low, high = float(np.min(run.y)), float(np.max(run.y))
    span = high - low
    left.set_ylim(low - 0.5 * span, high + 0.5 * span)
    curve, untrained = right.lines
    epochs = np.arange(1, len(run.losses) + 1)
    curve.set_data(epochs, run.losses)
    untrained.set_ydata([run.start_loss, run.start_loss])
    shown = np.concatenate([run.losses, [run.start_loss]])
    right.set_xlim(0.5, max(len(run.losses), 1) + 0.5)
    right.set_ylim(shown.min() / 1.5, shown.max() * 1.5)
    return left, right


def _build(figure):
    left, right = figure.subplots(1, 2)
    left.scatter([], [], s=14, color="0.55", label="samples")
    left.plot(GRID[:, 0], np.zeros(len(GRID)), "--", color="C0", label="before training")
    left.plot(GRID[:, 0], np.zeros(len(GRID)), color="C1", label="after training")
    left.set(xlabel="x", ylabel="y", xlim=(-1.05, 1.05), title="The fit: dashed before, solid after training")  # a title, not a legend: a quarter of the redraw saved
    right.plot([], [], "o-", color="C1", markersize=3)
    right.plot([0, 1], [1, 1], "--", color="0.5", linewidth=1, transform=right.get_yaxis_transform())
    right.set_yscale("log")
    right.yaxis.set_minor_locator(NullLocator())  # plain labels, no minor ticks: each is a text to lay out
    right.yaxis.set_major_formatter(LogFormatter(labelOnlyBase=True))
    right.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    right.set(xlabel="epoch", ylabel="Keras MSE during the epoch", title="Loss per epoch (dashed: untrained)")


@builder
def keras_explorer(hidden=10, lr=0.01, epochs=10, batching="per sample (batch 1)"):
    """Hidden units, learning rate, epochs and batch size → the article's network's fit and its loss curve."""
    style = {"description_width": "initial"}
    controls = {
        "hidden": slider("hidden units", hidden, 1, 30, 1, integer=True),
        "lr": slider("learning rate", lr, -4, 1, 0.1, log=True),
        "epochs": slider("epochs", epochs, 1, 20, 1, integer=True),
        "batching": widgets.Dropdown(options=list(BATCHING), value=batching, description="batch", style=style),
    }
    return Explorer(controls, train_keras_example, draw_keras, describe_keras, persistent=True)
