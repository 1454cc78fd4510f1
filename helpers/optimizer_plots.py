"""Drawing optimizers at work: trajectories on contour plots, loss curves, a learning-rate sweep.

Each function takes ``ax=None`` (meaning the current axes), draws, and returns the
axes; none calls ``plt.show()`` or changes global settings. They draw few text
objects and no layout, so a widget can redraw them quickly.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import LogLocator, MaxNLocator

from .plotting import plot_loss_curve
from .surfaces import check_surface, surface_grid


def plot_contours(surface, runs=(), ax=None, resolution=80, levels=8):
    """The surface as a ``log10`` image with contour lines, the minimum as a star and each run's path.

    ``runs`` are :class:`helpers.descent.Trajectory` results. The view is the
    surface's bounds, grown to include every run's start; it does not follow a
    path that leaves it. Each path is drawn in the colour ``C0, C1, …`` of its
    position, starting at a white dot.
    """
    ax = ax or plt.gca()
    surface = check_surface(surface)
    x_lo, x_hi, y_lo, y_hi = surface.bounds
    margin = 0.05 * (x_hi - x_lo)
    for run in runs:
        x0, y0 = run.points[0]
        x_lo, x_hi = (x0 - margin, x_hi) if x0 < x_lo else (x_lo, x0 + margin) if x0 > x_hi else (x_lo, x_hi)
        y_lo, y_hi = (y0 - margin, y_hi) if y0 < y_lo else (y_lo, y0 + margin) if y0 > y_hi else (y_lo, y_hi)
    extent = (x_lo, x_hi, y_lo, y_hi)
    xs, ys, values = surface_grid(surface, resolution, extent)
    log_values = np.log10(values + 1e-3)  # + 1e-3: the minimum's 0 stays finite
    ax.imshow(log_values, extent=extent, origin="lower", aspect="auto", cmap="viridis", interpolation="bilinear")
    ax.contour(xs, ys, log_values, levels=levels, colors="white", linewidths=0.5, alpha=0.5)
    ax.plot(*surface.minimum, "*", color="white", markersize=12, markeredgecolor="black")
    for i, run in enumerate(runs):
        style = ".-" if len(run.points) <= 200 else "-"  # a dot per step while the dots can be told apart
        ax.plot(run.points[:, 0], run.points[:, 1], style, color=f"C{i % 10}", markersize=3, linewidth=1.2, label=run.label)
        ax.plot(*run.points[0], "o", color="white", markeredgecolor="black")
    ax.set(xlim=extent[:2], ylim=extent[2:], xlabel="x", ylabel="y")
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.set_title(f"{surface.name}: log₁₀ loss, bright = high", y=1.0)
    if runs:
        ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_loss_curves(runs, ax=None, threshold=None):
    """Each run's loss against step on a log axis, in the colours of :func:`plot_contours`; ``threshold`` dashed."""
    ax = ax or plt.gca()
    for i, run in enumerate(runs):
        plot_loss_curve(run.losses, ax=ax, label=run.label)
        ax.lines[-1].set_color(f"C{i % 10}")
    if threshold is not None:
        ax.axhline(threshold, color="0.4", linestyle="--", linewidth=1)
    if runs:
        ax.legend(fontsize="small")
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.yaxis.set_major_locator(LogLocator(numticks=5))  # few labels: quick to redraw
    ax.set_title("Loss during descent" + ("; dashed: threshold" if threshold is not None else ""), y=1.0)
    return ax


def plot_lr_sweep(sweeps, ax=None, limit=None):
    """Steps to the threshold against learning rate for each sweep; a cross where a rate diverged.

    ``sweeps`` maps a label to a :class:`helpers.descent.Sweep`. Rates that
    neither reached the threshold nor diverged leave a gap. ``limit`` draws a
    vertical line (e.g. plain descent's stability limit ``2 / λ_max``).
    """
    ax = ax or plt.gca()
    top = max((n for s in sweeps.values() for n in s.steps if n is not None), default=1)
    for i, (label, sweep) in enumerate(sweeps.items()):
        steps = np.array([np.nan if n is None else n for n in sweep.steps], dtype=float)
        ax.plot(sweep.lrs, steps, "o-", color=f"C{i % 10}", markersize=4, label=f"{label}: best lr {sweep.best_lr:.3g}" if sweep.best_lr else label)
        diverged = np.asarray(sweep.diverged)
        if diverged.any():
            ax.plot(sweep.lrs[diverged], np.full(diverged.sum(), top * 1.4 * 1.15**i), "x", color=f"C{i % 10}")
    if limit is not None:
        ax.axvline(limit, color="0.3", linestyle=":", linewidth=1)
    ax.set(xscale="log", yscale="log", xlabel="learning rate", ylabel="steps to threshold")
    ax.set_title("Steps to the threshold; ×: diverged", y=1.0)
    ax.legend(fontsize="small")
    return ax


def plot_minibatch_runs(runs, ax=None, per="examples"):
    """Full-data loss of :class:`helpers.descent.MiniBatchRun` results, against examples seen or steps.

    ``per="examples"`` puts the cost (gradients of single examples computed) on
    the x axis; ``per="step"`` the number of updates.
    """
    if per not in ("examples", "step"):
        raise ValueError(f"per must be 'examples' or 'step'; got {per!r}")
    ax = ax or plt.gca()
    for run in runs:
        x = run.examples if per == "examples" else np.arange(run.loss.size)
        ax.plot(x, run.loss, linewidth=1, label=f"batch size {run.batch_size}")
    ax.set(yscale="log", xlabel="examples seen (gradient evaluations)" if per == "examples" else "step", ylabel="loss on all examples")
    ax.set_title(f"Loss per {'example seen' if per == 'examples' else 'step'}", y=1.0)
    ax.legend(fontsize="small")
    return ax
