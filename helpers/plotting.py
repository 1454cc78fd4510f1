"""Drawing functions for the notebooks and widgets.

Each takes ``ax=None`` (meaning the current axes), draws, and returns the axes;
none calls ``plt.show()`` or changes global settings.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import LogFormatter, MaxNLocator, NullLocator

from .activations import ACTIVATIONS, sigmoid, sigmoid_prime
from .neuron import epochs_to_reach, neuron_loss_surface, neuron_trace
from .saturation import THRESHOLD, local_derivative

LOSS_FLOOR = 1e-16
"""Losses are drawn no lower than this, so a loss of exactly 0 fits a log axis."""


def plot_sigmoid_point(z, ax=None):
    """The sigmoid curve, the point ``(z, σ(z))`` and its tangent of slope ``σ'(z)``."""
    ax = ax or plt.gca()
    z = float(z)
    half = max(6.0, abs(z) + 1.0)
    grid = np.linspace(-half, half, 400)
    ax.plot(grid, sigmoid(grid), color="C0", label="σ(z)")
    slope = float(sigmoid_prime(z))
    near = np.linspace(z - 1.5, z + 1.5, 2)
    ax.plot(near, float(sigmoid(z)) + slope * (near - z), color="C1", label=f"tangent, slope σ'(z) = {slope:.3g}")
    ax.plot([z], [float(sigmoid(z))], "o", color="C3")
    ax.set(xlabel="z = w x + b", ylabel="y = σ(z)", ylim=(-0.1, 1.1), title="Forward: y = σ(z)")
    ax.legend(loc="upper left", fontsize="small")
    return ax


def plot_loss_curve(losses, ax=None, label=None, log=True):
    """Loss against step; on a log axis by default (losses floored at ``LOSS_FLOOR``)."""
    ax = ax or plt.gca()
    losses = np.asarray(losses, dtype=float)
    ax.plot(np.arange(losses.size), np.maximum(losses, LOSS_FLOOR) if log else losses, label=label)
    if log:
        ax.set_yscale("log")
        # Plain "1e-05" labels and no minor ticks: mathtext labels cost more to draw than the curve.
        ax.yaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_major_formatter(LogFormatter(labelOnlyBase=True))
    ax.set(xlabel="step", ylabel="loss", title="Loss during descent")
    if label is not None:
        ax.legend(fontsize="small")
    return ax


def plot_loss_surface(x, y_true, runs=(), ax=None, bounds=(-6.0, 6.0, -6.0, 6.0), resolution=60):
    """The neuron's loss over ``(w, b)`` as an image with contour lines, and descent paths.

    ``runs`` are :class:`helpers.neuron.Descent` results; the view grows to
    include each whole path. Darker means a higher loss.
    """
    ax = ax or plt.gca()
    w_lo, w_hi, b_lo, b_hi = bounds
    for run in runs:
        w_lo, w_hi = min(w_lo, run.w.min() - 1), max(w_hi, run.w.max() + 1)
        b_lo, b_hi = min(b_lo, run.b.min() - 1), max(b_hi, run.b.max() + 1)
    ws, bs = np.meshgrid(np.linspace(w_lo, w_hi, resolution), np.linspace(b_lo, b_hi, resolution))
    surface = neuron_loss_surface(x, y_true, ws, bs)
    extent = (w_lo, w_hi, b_lo, b_hi)
    ax.imshow(surface, extent=extent, origin="lower", aspect="auto", cmap="Greys", alpha=0.7)
    ax.contour(ws, bs, surface, levels=8, colors="black", linewidths=0.4, alpha=0.4)
    for i, run in enumerate(runs):
        ax.plot(run.w, run.b, ".-", color=f"C{i % 10}", markersize=4, markeredgecolor="white", markeredgewidth=0.3, label=f"lr = {run.lr:g}")
        ax.plot(run.w[0], run.b[0], "o", color=f"C{i % 10}", markeredgecolor="black")
    ax.set(xlabel="w", ylabel="b", xlim=extent[:2], ylim=extent[2:], title="Loss surface L(w, b), darker = higher")
    if runs:
        ax.legend(loc="lower left", fontsize="small")
    return ax


def plot_loss_along_w(x, w, b, y_true, ax=None, span=6.0):
    """The loss as ``w`` varies (``b`` fixed), with the tangent of slope ``∂L/∂w`` at ``w``."""
    ax = ax or plt.gca()
    ws = np.linspace(w - span, w + span, 300)
    ax.plot(ws, neuron_loss_surface(x, y_true, ws, np.full_like(ws, b)), color="C0", label="L(w)")
    trace = neuron_trace(x, w, b, y_true)
    near = np.array([w - 1.0, w + 1.0])
    ax.plot(near, trace.loss + trace.dL_dw * (near - w), color="C1", label=f"slope ∂L/∂w = {trace.dL_dw:.3g}")
    ax.plot([w], [trace.loss], "o", color="C3")
    ax.set(xlabel="w", ylabel="loss", title="Backward: the slope of L at w")
    ax.legend(loc="upper left", fontsize="small")
    return ax


ACTIVATION_LABELS = {"sigmoid": "σ(z)", "tanh": "tanh(z)", "relu": "ReLU(z)", "leaky_relu": "leaky ReLU(z)"}
"""How the plots name each activation of :data:`helpers.activations.ACTIVATIONS`."""


def plot_activation(name, z, ax=None, threshold=THRESHOLD, **kwargs):
    """The activation ``f(z)`` and its derivative ``f'(z)`` over ``z``, the saturated inputs shaded.

    Saturated means ``f'(z) < threshold``: there the unit passes back less than
    ``threshold`` times the upstream gradient. ``kwargs`` go to the forward
    function, e.g. ``slope`` for ``"leaky_relu"``.
    """
    ax = ax or plt.gca()
    z = np.sort(np.asarray(z, dtype=float).reshape(-1))
    derivative = local_derivative(name, z, **kwargs)  # first: it checks name, z and kwargs
    a = ACTIVATIONS[name][0](z, **kwargs)[0]
    flat = derivative < threshold
    if flat.any():
        ax.fill_between(z, 0.0, 1.0, where=flat, transform=ax.get_xaxis_transform(), color="C3", alpha=0.12, linewidth=0, label=f"saturated: f'(z) < {threshold:g}")
    ax.plot(z, a, color="C0", label="f(z)")
    ax.plot(z, derivative, color="C1", linestyle="--", label="f'(z)")
    ax.axhline(0.0, color="0.7", linewidth=0.8)
    ax.set(xlabel="z")
    ax.legend(loc="best", fontsize="small")
    return _lean(ax, ACTIVATION_LABELS[name])


def plot_loss_race(runs, error, ax=None):
    """Each run's loss against epoch on a log axis, a dot where its prediction error first reaches ``error``.

    ``runs`` maps a label to a :class:`helpers.neuron.Descent`. The losses may be
    on different scales (MSE and cross-entropy are); the dots are comparable.
    """
    ax = ax or plt.gca()
    for label, run in runs.items():
        epoch = epochs_to_reach(run, error)
        plot_loss_curve(run.loss, ax=ax, label=f"{label}: {_when(run, epoch)}")
        if epoch is not None:
            ax.plot([epoch], [max(run.loss[epoch], LOSS_FLOOR)], "o", color=ax.lines[-1].get_color())
    ax.set(xlabel="epoch")
    return _lean(ax, f"Loss; dot: |y − t| ≤ {error:g}", y_ticks=False)  # keep the log axis's decades


def plot_error_race(runs, error, ax=None):
    """Each run's prediction error ``|y − t|`` against epoch, the threshold ``error`` dashed, each crossing marked.

    ``runs`` maps a label to a :class:`helpers.neuron.Descent`; the legend says
    after how many epochs each run got within ``error`` of the target.
    """
    ax = ax or plt.gca()
    for label, run in runs.items():
        epoch = epochs_to_reach(run, error)
        (line,) = ax.plot(run.error, label=f"{label}: {_when(run, epoch)}")
        if epoch is not None:
            ax.axvline(epoch, color=line.get_color(), linestyle=":", linewidth=1)
    ax.axhline(error, color="0.4", linestyle="--", linewidth=1)
    ax.set(xlabel="epoch", ylabel="|y − t|", ylim=(0.0, 1.05))
    ax.legend(loc="center right", fontsize="small")
    return _lean(ax, f"Prediction error; dashed: {error:g}")


def _when(run, epoch):
    return f"{epoch} epochs" if epoch is not None else f"not in {len(run.error) - 1} epochs"


def _lean(ax, title, y_ticks=True):
    """Title at a fixed height and at most five ticks a side: quick to redraw in a widget.

    Placing a title automatically measures every tick label, and every tick
    label is a text to lay out: together most of a redraw's time.
    """
    ax.xaxis.set_major_locator(MaxNLocator(5))
    if y_ticks:
        ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.set_title(title, y=1.0)
    return ax
