"""Drawing functions for the vanishing/exploding-gradient lab (notebook 07 and its dashboard).

Each takes ``ax=None`` (the current axes), draws, and returns the axes; none calls
``plt.show()`` or changes global settings. They draw only what is finite: a norm
of exactly 0 or an overflowed value is left out, and the caller says so in words.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import LogFormatter, LogLocator, MaxNLocator, NullLocator


DRAW_CAP = 1e150
"""Values above this are drawn at it: log-axis tick placement itself overflows near 1e308."""


def plot_layer_norms(norms, ax=None, title="‖dW‖ per layer"):
    """Per-layer gradient norms on a log axis; ``norms`` maps a label to an array (layer 1 first).

    Non-finite and zero norms are not drawn (a log axis cannot show them); norms above
    :data:`DRAW_CAP` are drawn at it.
    """
    ax = ax or plt.gca()
    for label, values in norms.items():
        ax.plot(*_drawable_norms(values), ".-", label=label)
    _style_norms_axis(ax, title)
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
    _style_shares_axis(ax)
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
    for row, a in enumerate(activations.values()):
        counts, _ = np.histogram(np.clip(np.asarray(a, dtype=float).ravel(), *value_range), bins=edges)
        height = counts / max(counts.max(), 1)
        ax.fill_between(centres, row, row + 0.9 * height, step="mid", alpha=0.7, color=f"C{row % 10}")
    ax.set_yticks(np.arange(len(activations)) + 0.4, [f"layer {l}" for l in activations])
    ax.set(xlabel="activation a (clipped to the range)", xlim=value_range)
    return ax


class HealthDashboard:
    """The gradient-health dashboard's three panels: ‖dW‖ per layer, activation health, training loss.

    Built once on three axes; :meth:`update` then only changes the lines' data, the
    limits and the texts, so a widget can redraw it for every control move without
    rebuilding axes and ticks (most of a redraw's cost). Non-finite and zero norms and
    losses are not drawn; the caller says so in words.
    """

    def __init__(self, axes):
        self.norms_ax, self.shares_ax, self.loss_ax = axes
        ax = self.norms_ax
        (self.init_norms,) = ax.plot([], [], ".-", label="at init")
        (self.last_norms,) = ax.plot([], [], ".-", label="step 0")
        self.clip_line = ax.axhline(1.0, color="0.4", linestyle="--", linewidth=1, visible=False)
        _style_norms_axis(ax, "‖dW‖ per layer (last: readout)")
        _, self.last_key = _key(ax, ["at init", "step 0"], top=False)
        ax = self.shares_ax
        self.shares = [ax.plot([], [], style, color=color)[0] for style in (".-", "--") for color in ("C0", "C1")]
        _style_shares_axis(ax)
        _key(ax, ["saturated (f' < 0.01)", "dead units"], top=True)
        ax = self.loss_ax
        (self.loss,) = ax.plot([], [])
        ax.set(xlabel="step", ylabel="loss")
        ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        self.loss_log = None  # the y scale is set on the first update
        for ax in axes:  # fixed label places: placing them around the tick labels costs a tenth of a redraw
            ax.xaxis.set_label_coords(0.5, -0.14)
            ax.yaxis.set_label_coords(-0.2, 0.5)  # clear of a label such as 1e+150

    def update(self, health):
        """Show ``health`` (a :class:`helpers.deep.GradientHealth`)."""
        run = health.run
        steps = run.norms.shape[0]
        last = f"step {steps - 1}" if steps > 1 else "no step"
        self.init_norms.set_data(*_drawable_norms(health.norms))
        self.last_norms.set_data(*_drawable_norms(run.norms[-1] if steps > 1 else []))
        self.last_key.set_text(f"● {last}")
        self.clip_line.set_visible(run.clip is not None)
        if run.clip is not None:
            self.clip_line.set_ydata([run.clip, run.clip])
        drawn = np.concatenate([self.init_norms.get_ydata(), self.last_norms.get_ydata(), [run.clip] if run.clip is not None else []])
        self.norms_ax.set_xlim(_margins(1, health.norms.size))
        self.norms_ax.set_ylim(_margins(*_extent(drawn, (1e-3, 1.0)), log=True))

        stats, after = health.stats, run.final_stats
        layers = np.arange(1, stats.saturated.size + 1)
        for line, values in zip(self.shares, (stats.saturated, stats.dead, after.saturated, after.dead)):  # solid: at init
            line.set_data(layers, values)
        self.shares_ax.set_title(f"Activation health (dashed: step {max(run.losses.size - 1, 0)})", y=1.0)
        self.shares_ax.set_xlim(_margins(1, layers.size))

        losses = np.minimum(run.losses, DRAW_CAP)
        wide = losses.size > 0 and losses.min() > 0 and losses.max() / losses.min() > 10
        if wide != self.loss_log:  # switching scale resets the locators: only when it changes
            if wide:
                _lean_log_axis(self.loss_ax)
            else:
                self.loss_ax.set_yscale("linear")
                self.loss_ax.yaxis.set_major_locator(MaxNLocator(4))
            self.loss_log = wide
        self.loss.set_data(np.arange(losses.size), losses)
        self.loss.set_marker("." if losses.size == 1 else "None")  # a lone point is no line
        self.loss_ax.set_xlim(_margins(0, max(losses.size - 1, 0)))
        self.loss_ax.set_ylim(_margins(*_extent(losses, (0.0, 1.0)), log=wide))
        clipped = f", clipped at {run.clip:g}" if run.clip is not None else ""
        stopped = f"; overflow at step {run.overflow_at}" if run.overflow_at is not None else ""
        self.loss_ax.set_title(f"Training loss (SGD{clipped}){stopped}", y=1.0)
        return self


def plot_health(health, axes):
    """The gradient-health dashboard's three panels on ``axes``: ‖dW‖ per layer, activation health, training loss."""
    HealthDashboard(axes).update(health)
    return axes


def _drawable_norms(values):
    """Layer numbers and norms of the finite, positive ``values`` (layer 1 first), capped at :data:`DRAW_CAP`."""
    values = np.asarray(values, dtype=float)
    keep = np.isfinite(values) & (values > 0)
    return np.arange(1, values.size + 1)[keep], np.minimum(values[keep], DRAW_CAP)


def _extent(values, empty):
    """The smallest and largest finite value of ``values``, or ``empty`` when there is none."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return (values.min(), values.max()) if values.size else empty


def _margins(lo, hi, log=False, pad=0.05):
    """Limits around ``lo..hi`` with matplotlib's default margins (in decades on a log axis)."""
    if log:
        lo, hi = np.log10(lo), np.log10(hi)
    width = hi - lo if hi > lo else (1.0 if log else max(abs(lo), 1.0))
    lo, hi = (lo - pad * width, hi + pad * width) if hi > lo else (lo - pad * width * 10, hi + pad * width * 10)
    return (10.0**lo, 10.0**hi) if log else (lo, hi)


def _key(ax, labels, top):
    """A legend as coloured words in a corner (C0, C1, ...): a tenth of a real legend's drawing time."""
    texts = []
    for row, label in enumerate(labels):
        y = 0.97 - 0.09 * row if top else 0.03 + 0.09 * (len(labels) - 1 - row)
        texts.append(
            ax.text(0.97, y, f"● {label}", color=f"C{row}", fontsize="small", ha="right", va="top" if top else "bottom",
                    transform=ax.transAxes, bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
        )
    return texts


def _style_norms_axis(ax, title):
    _lean_log_axis(ax)
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.set(xlabel="layer (input → output)", ylabel="‖dL/dW‖")
    ax.set_title(title, y=1.0)


def _style_shares_axis(ax):
    ax.set(xlabel="hidden layer", ylabel="share", ylim=(-0.03, 1.03), yticks=[0.0, 0.5, 1.0])
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.set_title("Activation health", y=1.0)


def _lean_log_axis(ax):
    """A log y axis with at most about five labelled decades and no minor ticks.

    Every tick is a text to lay out, most of a redraw's time in a widget.
    """
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(numticks=5))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(LogFormatter(labelOnlyBase=True))
