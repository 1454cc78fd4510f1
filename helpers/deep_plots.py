"""Drawing functions for the vanishing/exploding-gradient lab (notebook 07 and its dashboard).

Each takes ``ax=None`` (the current axes), draws, and returns the axes; none calls
``plt.show()`` or changes global settings. They draw only what is finite: a norm
of exactly 0 or an overflowed value is left out, and the caller says so in words.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import LogFormatter, LogLocator, MaxNLocator, NullLocator

from .plotting import plot_loss_curve

DRAW_CAP = 1e150
"""Values above this are drawn at it: log-axis tick placement itself overflows near 1e308."""


def plot_layer_norms(norms, ax=None, title="‖dW‖ per layer"):
    """Per-layer gradient norms on a log axis; ``norms`` maps a label to an array (layer 1 first).

    Non-finite and zero norms are not drawn (a log axis cannot show them); norms above
    :data:`DRAW_CAP` are drawn at it.
    """
    ax = ax or plt.gca()
    for label, values in norms.items():
        values = np.asarray(values, dtype=float)
        layers = np.arange(1, values.size + 1)
        keep = np.isfinite(values) & (values > 0)
        ax.plot(layers[keep], np.minimum(values[keep], DRAW_CAP), ".-", label=label)
    _lean_log_axis(ax)
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.set(xlabel="layer (input → output)", ylabel="‖dL/dW‖")
    ax.set_title(title, y=1.0)
    if norms:
        ax.legend(fontsize="small", loc="lower right")
    return ax


def plot_layer_shares(stats, ax=None, after=None, after_label="after training"):
    """Share of saturated units (``f' < 0.01``) and of dead units per hidden layer, from a ``LayerStats``.

    ``after``, another ``LayerStats`` (e.g. after training), is drawn dashed in the same colours.
    """
    ax = ax or plt.gca()
    layers = np.arange(1, stats.saturated.size + 1)
    ax.plot(layers, stats.saturated, ".-", color="C0", label="saturated (f' < 0.01)")
    ax.plot(layers, stats.dead, ".-", color="C1", label="dead units")
    if after is not None:
        ax.plot(layers, after.saturated, "--", color="C0", label=f"saturated, {after_label}")
        ax.plot(layers, after.dead, "--", color="C1", label=f"dead, {after_label}")
    ax.set(xlabel="hidden layer", ylabel="share", ylim=(-0.03, 1.03), yticks=[0.0, 0.5, 1.0])
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.set_title("Activation health", y=1.0)
    ax.legend(fontsize="small", loc="upper right")
    return ax


def plot_activation_histograms(activations, ax=None, bins=40, value_range=(-1.0, 1.0)):
    """One histogram outline per layer of the activations ``a_l``, stacked and labelled by layer.

    ``activations`` maps a layer number to its array of activations; each
    outline is scaled to the same height, so shapes are comparable even where
    the values have collapsed to a spike.
    """
    ax = ax or plt.gca()
    edges = np.linspace(*value_range, bins + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    for row, (layer, a) in enumerate(activations.items()):
        counts, _ = np.histogram(np.clip(np.asarray(a, dtype=float).ravel(), *value_range), bins=edges)
        height = counts / max(counts.max(), 1)
        ax.fill_between(centres, row, row + 0.9 * height, step="mid", alpha=0.7, color=f"C{row % 10}")
    ax.set_yticks(np.arange(len(activations)) + 0.4, [f"layer {l}" for l in activations])
    ax.set(xlabel="activation a (clipped to the range)", xlim=value_range)
    return ax


def plot_training_loss(run, ax=None):
    """A :class:`helpers.deep.TrainRun`'s loss per step: on a log axis when it spans more than a factor 10.

    Losses above :data:`DRAW_CAP` are drawn at it.
    """
    ax = ax or plt.gca()
    losses = np.minimum(run.losses, DRAW_CAP)
    wide = losses.size > 0 and losses.min() > 0 and losses.max() / losses.min() > 10
    plot_loss_curve(losses, ax=ax, log=bool(wide))
    if wide:
        _lean_log_axis(ax)
    else:
        ax.yaxis.set_major_locator(MaxNLocator(4))
    ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
    clipped = f", clipped at {run.clip:g}" if run.clip is not None else ""
    stopped = f"; overflow at step {run.overflow_at}" if run.overflow_at is not None else ""
    ax.set_title(f"Training loss (SGD{clipped}){stopped}", y=1.0)
    return ax


def plot_health(health, axes):
    """The gradient-health dashboard's three panels on ``axes``: ‖dW‖ per layer, activation health, training loss."""
    norms_ax, shares_ax, loss_ax = axes
    run = health.run
    norms = {"at init": health.norms}
    if run.norms.shape[0] > 1:
        norms[f"step {run.norms.shape[0] - 1}"] = run.norms[-1]
    plot_layer_norms(norms, ax=norms_ax, title="‖dW‖ per layer (last: readout)")
    if run.clip is not None:
        norms_ax.axhline(run.clip, color="0.4", linestyle="--", linewidth=1)
    plot_layer_shares(health.stats, ax=shares_ax, after=run.final_stats, after_label=f"step {max(run.losses.size - 1, 0)}")
    plot_training_loss(run, ax=loss_ax)
    return axes


def _lean_log_axis(ax):
    """A log y axis with at most about five labelled decades and no minor ticks.

    Every tick is a text to lay out, most of a redraw's time in a widget.
    """
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(numticks=5))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(LogFormatter(labelOnlyBase=True))
