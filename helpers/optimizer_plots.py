"""Drawing optimizers at work: trajectories on contour plots, loss curves, a learning-rate sweep.

Each function takes ``ax=None`` (meaning the current axes), draws, and returns the
axes; none calls ``plt.show()`` or changes global settings. They draw few text
objects and no layout, so a widget can redraw them quickly.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import LogLocator, MaxNLocator

from .plotting import LOSS_FLOOR, plot_loss_curve
from .surfaces import check_surface, surface_grid


def plot_contours(surface, runs=(), ax=None, resolution=80, levels=8):
    """The surface as a ``log10`` image with contour lines, the minimum as a star and each run's path.

    ``runs`` are :class:`helpers.descent.Trajectory` results. The view is the
    surface's bounds, grown to include every run's start; it does not follow a
    path that leaves it. Each path is drawn in the colour ``C0, C1, …`` of its
    position, starting at a white dot. :func:`update_contours` redraws the same
    axes for new runs without rebuilding them.
    """
    ax = ax or plt.gca()
    surface = check_surface(surface)
    extent = contour_extent(surface, runs)
    xs, ys, log_values = _log_surface(surface, extent, resolution)
    image = ax.imshow(log_values, extent=extent, origin="lower", aspect="auto", cmap="viridis", interpolation="bilinear", gid="surface")
    image.view = (surface.name, extent)  # what update_contours need not redraw
    _contour_lines(ax, xs, ys, log_values, levels)
    ax.plot(*surface.minimum, "*", color="white", markersize=12, markeredgecolor="black", gid="minimum")
    for i, run in enumerate(runs):
        ax.plot(run.points[:, 0], run.points[:, 1], _path_style(run), color=f"C{i % 10}", markersize=3, linewidth=1.2, label=run.label, gid=f"path {i}")
        ax.plot(*run.points[0], "o", color="white", markeredgecolor="black", gid=f"start {i}")
    ax.set(xlabel="x", ylabel="y")
    _frame_contours(ax, surface, extent)
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.yaxis.set_major_locator(MaxNLocator(5))
    if runs:
        ax.legend(loc="lower right", fontsize="small")
    return ax


def update_contours(ax, surface, runs, resolution=80, levels=8):
    """Redraw axes drawn by :func:`plot_contours` (with as many runs) for ``surface`` and ``runs``.

    Only data, limits and texts change; the image and contour lines are
    recomputed only when the surface or the view changed.
    """
    surface = check_surface(surface)
    extent = contour_extent(surface, runs)
    artists = {artist.get_gid(): artist for artist in ax.get_children() if artist.get_gid()}
    image = artists["surface"]
    if image.view != (surface.name, extent):
        xs, ys, log_values = _log_surface(surface, extent, resolution)
        image.set_data(log_values)
        image.set_extent(extent)
        image.set_clim(log_values.min(), log_values.max())
        artists["contours"].remove()
        _contour_lines(ax, xs, ys, log_values, levels)
        artists["minimum"].set_data(*([v] for v in surface.minimum))
        _frame_contours(ax, surface, extent)
        image.view = (surface.name, extent)
    restyled = False
    for i, run in enumerate(runs):
        path = artists[f"path {i}"]
        path.set_data(run.points[:, 0], run.points[:, 1])
        marker = "." if _path_style(run) == ".-" else "None"
        if (path.get_marker(), path.get_label()) != (marker, run.label):  # the legend shows both
            path.set_marker(marker)
            path.set_label(run.label)
            restyled = True
        artists[f"start {i}"].set_data([run.points[0, 0]], [run.points[0, 1]])
    if restyled:
        ax.legend(loc="lower right", fontsize="small")
    return ax


def contour_extent(surface, runs=()):
    """The view of :func:`plot_contours`: the surface's bounds, grown by a margin past each run's start."""
    x_lo, x_hi, y_lo, y_hi = check_surface(surface).bounds
    margin = 0.05 * (x_hi - x_lo)
    for run in runs:
        x0, y0 = run.points[0]
        x_lo, x_hi = (x0 - margin, x_hi) if x0 < x_lo else (x_lo, x0 + margin) if x0 > x_hi else (x_lo, x_hi)
        y_lo, y_hi = (y0 - margin, y_hi) if y0 < y_lo else (y_lo, y0 + margin) if y0 > y_hi else (y_lo, y_hi)
    return (x_lo, x_hi, y_lo, y_hi)


def _log_surface(surface, extent, resolution):
    xs, ys, values = surface_grid(surface, resolution, extent)
    return xs, ys, np.log10(values + 1e-3)  # + 1e-3: the minimum's 0 stays finite


def _contour_lines(ax, xs, ys, log_values, levels):
    # zorder just under the paths', so lines redrawn later still lie beneath them
    ax.contour(xs, ys, log_values, levels=levels, colors="white", linewidths=0.5, alpha=0.5, zorder=1.9).set_gid("contours")


def _path_style(run):
    return ".-" if len(run.points) <= 200 else "-"  # a dot per step while the dots can be told apart


def _frame_contours(ax, surface, extent):
    ax.set(xlim=extent[:2], ylim=extent[2:])
    ax.set_title(f"{surface.name}: log₁₀ loss, bright = high", y=1.0)


def plot_loss_curves(runs, ax=None, threshold=None):
    """Each run's loss against step on a log axis, in the colours of :func:`plot_contours`; ``threshold`` dashed.

    :func:`update_loss_curves` redraws the same axes for new runs.
    """
    ax = ax or plt.gca()
    for i, run in enumerate(runs):
        plot_loss_curve(run.losses, ax=ax, label=run.label)
        ax.lines[-1].set_color(f"C{i % 10}")
        ax.lines[-1].set_gid(f"loss {i}")
    if threshold is not None:
        ax.axhline(threshold, color="0.4", linestyle="--", linewidth=1, gid="threshold")
    if runs:
        ax.legend(fontsize="small")
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.yaxis.set_major_locator(LogLocator(numticks=5))  # few labels: quick to redraw
    ax.set_title("Loss during descent" + ("; dashed: threshold" if threshold is not None else ""), y=1.0)
    return ax


def update_loss_curves(ax, runs, threshold=None):
    """Redraw axes drawn by :func:`plot_loss_curves` (with as many runs, and a threshold if given) for new ones."""
    artists = {artist.get_gid(): artist for artist in ax.lines if artist.get_gid()}
    relabelled = False
    for i, run in enumerate(runs):
        curve = artists[f"loss {i}"]
        curve.set_data(np.arange(run.losses.size), np.maximum(run.losses, LOSS_FLOOR))
        relabelled |= curve.get_label() != run.label
        curve.set_label(run.label)
    if threshold is not None:
        artists["threshold"].set_ydata([threshold, threshold])
    if relabelled:
        ax.legend(fontsize="small")
    ax.relim()
    ax.autoscale_view()
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
