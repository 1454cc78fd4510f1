"""Pictures of classifiers: a decision boundary over 2-D data, and a grid of digits with predictions.

Each drawing function takes ``ax=None`` (meaning the current axes), draws and
returns the axes; none calls ``plt.show()`` or changes global settings.
:func:`decision_surface` is the pure part (a model evaluated on a grid), so a
widget can compute it once and draw it cheaply.
"""
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from .validation import as_array, check_positive

CLASS_COLOURS = "RdBu"
"""The colour map of both classes: red for class 0, blue for class 1."""


class DecisionSurface(NamedTuple):
    """A model's probability of class 1 on a grid: ``probabilities[i, j]`` at row ``i`` (y), column ``j`` (x)."""

    probabilities: np.ndarray
    extent: tuple
    """``(x_min, x_max, y_min, y_max)`` of the grid, as ``imshow`` takes it."""


def grid_points(x, resolution=60, margin=0.25):
    """The points of a ``resolution × resolution`` grid covering ``x`` (N, 2) plus ``margin``.

    Returns ``(points, extent)``: ``points`` of shape ``(resolution², 2)``, row by
    row from the bottom, and ``extent = (x_min, x_max, y_min, y_max)``.

    Examples
    --------
    >>> points, extent = grid_points(np.array([[0.0, 0.0], [1.0, 2.0]]), resolution=3, margin=0.0)
    >>> points.shape, extent
    ((9, 2), (0.0, 1.0, 0.0, 2.0))
    """
    x = as_array(x, "x", shape=(None, 2))
    resolution = check_positive(resolution, "resolution", integer=True)
    lo, hi = x.min(axis=0) - margin, x.max(axis=0) + margin
    xs, ys = np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    extent = (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))
    return np.stack([gx.ravel(), gy.ravel()], axis=1), extent


def decision_surface(predict, x, resolution=60, margin=0.25):
    """Evaluate ``predict(points) -> probability of class 1`` on a grid around ``x``.

    ``predict`` takes an array of shape (M, 2) and returns M probabilities, as
    shape (M,) or (M, 1). Returns a :class:`DecisionSurface`.
    """
    if not callable(predict):
        raise TypeError(f"predict must be a function from points (M, 2) to probabilities; got {type(predict).__name__}")
    points, extent = grid_points(x, resolution, margin)
    p = np.asarray(predict(points), dtype=float).reshape(-1)
    if p.size != len(points):
        raise ValueError(f"predict must return one probability per point, {len(points)}; got {p.size} values")
    return DecisionSurface(p.reshape(resolution, resolution), extent)


def plot_decision_boundary(x, labels, surface, ax=None, title="Decision boundary", ticks=True, smooth=True):
    """The model's probability of class 1 as a background, the 0.5 boundary, and the labelled points on top.

    Parameters
    ----------
    x : array, shape (N, 2)
    labels : int array, shape (N,), 0 or 1
    surface : DecisionSurface
        From :func:`decision_surface`.
    ticks : bool
        False leaves the axes without ticks: quicker to redraw, for a widget.
    smooth : bool
        Interpolate the surface between grid points (True) or draw each grid cell
        flat (False: quicker to draw and to compress, for a widget).
    """
    ax = ax or plt.gca()
    x = as_array(x, "x", shape=(None, 2))
    labels = np.asarray(labels)
    if labels.shape != (len(x),):
        raise ValueError(f"labels must have shape ({len(x)},), one per point of x; got {labels.shape}")
    if not isinstance(surface, DecisionSurface):
        raise TypeError(f"surface must be the DecisionSurface that decision_surface returns; got {type(surface).__name__}")
    # A colour range wider than [0, 1] gives pale backgrounds and strong points from one colour map,
    # with no transparency to composite (quicker to draw, and the PNG compresses better).
    ax.imshow(surface.probabilities, extent=surface.extent, origin="lower", cmap=CLASS_COLOURS, vmin=-1.0, vmax=2.0,
              aspect="auto", interpolation="bilinear" if smooth else "nearest")
    ax.scatter(x[:, 0], x[:, 1], c=labels, cmap=CLASS_COLOURS, vmin=-0.15, vmax=1.15, s=12, edgecolors="k", linewidths=0.3)
    ax.set_xlim(surface.extent[:2])
    ax.set_ylim(surface.extent[2:])
    if ticks:
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.yaxis.set_major_locator(MaxNLocator(5))
    else:
        ax.set(xticks=[], yticks=[])
    ax.set_title(title, y=1.0)
    return ax


def plot_digit_grid(images, labels, predicted=None, ax=None, columns=10):
    """Digits side by side in one picture, each with its label, or its prediction when given.

    A prediction is written in green when it equals the label and in red (with
    the true label after an arrow) when it does not.

    Parameters
    ----------
    images : array, shape (N, 8, 8)
    labels : int array, shape (N,)
    predicted : int array, shape (N,), optional
    columns : int
        Digits per row.
    """
    ax = ax or plt.gca()
    images = as_array(images, "images", ndim=3)
    n, h, w = images.shape
    labels = np.asarray(labels)
    if labels.shape != (n,):
        raise ValueError(f"labels must have shape ({n},), one per image; got {labels.shape}")
    if predicted is not None:
        predicted = np.asarray(predicted)
        if predicted.shape != (n,):
            raise ValueError(f"predicted must have shape ({n},), one per image; got {predicted.shape}")
    columns = min(check_positive(columns, "columns", integer=True), n)
    rows = -(-n // columns)
    cell_h, cell_w = h + 4, w + 1  # room under each digit for its label
    mosaic = np.full((rows * cell_h, columns * cell_w), np.nan)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        mosaic[r * cell_h:r * cell_h + h, c * cell_w:c * cell_w + w] = image
    ax.imshow(mosaic, cmap="gray_r", interpolation="nearest")
    for i in range(n):
        r, c = divmod(i, columns)
        if predicted is None:
            text, colour = f"{labels[i]}", "k"
        elif predicted[i] == labels[i]:
            text, colour = f"{predicted[i]}", "tab:green"
        else:
            text, colour = f"{predicted[i]}→{labels[i]}", "tab:red"
        ax.text(c * cell_w + (w - 1) / 2, r * cell_h + h + 1.2, text, ha="center", va="center", color=colour, fontsize=8)
    ax.set_axis_off()
    return ax
