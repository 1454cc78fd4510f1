"""The explorer every widget is made of: controls → compute (pure) → draw → a status line."""
import io

import ipywidgets as widgets
import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator


BUILDERS = {}
"""Every explorer builder by name; each is called with no arguments for its defaults."""


def builder(fn):
    """Register ``fn`` in :data:`BUILDERS`."""
    BUILDERS[fn.__name__] = fn
    return fn


class Explorer(widgets.VBox):
    """Controls that re-run ``compute``, redraw with ``draw`` and explain with ``describe``.

    Parameters
    ----------
    controls : dict of name → ipywidgets control
        Their values are passed to ``compute`` as keyword arguments.
    compute : callable
        ``compute(**values) -> result``; pure, no drawing.
    draw : callable
        ``draw(result, figure)`` draws on a cleared matplotlib ``Figure``.
    describe : callable
        ``describe(result) -> str``, HTML shown under the controls: the numbers
        a student reads, and what happened at the extremes.
    persistent : bool
        Keep the figure between redraws: ``draw`` then builds its axes and artists
        when ``figure.axes`` is empty and afterwards only updates their data
        (``set_data``, limits, texts). Rebuilding axes and ticks is most of a
        redraw's cost, so a busy explorer is much faster this way.
    """

    MARGINS = {"left": 0.08, "right": 0.98, "bottom": 0.2, "top": 0.9, "wspace": 0.3}
    """Fixed room for the axis labels: a layout engine would cost more than the drawing."""

    RC = {"axes.titley": 1.0}
    """Titles at a fixed height: placing them around the tick labels costs a fifth of a redraw."""

    def __init__(self, controls, compute, draw, describe, figsize=(10, 3.6), persistent=False):
        self.controls = dict(controls)
        self.compute, self.draw, self.describe = compute, draw, describe
        self.status = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.persistent = persistent
        self.figure = Figure(figsize=figsize)
        FigureCanvasAgg(self.figure)  # a canvas of its own: savefig need not swap one in every redraw
        self.result = None
        for control in self.controls.values():
            control.observe(self.update, names="value")
        super().__init__([widgets.HBox(list(self.controls.values()), layout={"flex_flow": "row wrap"}), self.status, self.image])
        self.update()

    def values(self):
        """The controls' current values by name."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self, change=None):
        """Recompute, redraw and re-describe for the controls' current values."""
        self.result = self.compute(**self.values())
        self.status.value = self.describe(self.result)
        self.image.value = self.render(self.result)

    def render(self, result):
        """Draw ``result`` on the explorer's figure and return it as PNG bytes.

        One Agg render straight into an Image widget: no output area to clear
        (no flicker), and half the work of the inline backend's tight bounding box.
        """
        if not (self.persistent and self.figure.axes):
            self.figure.clear()  # also forgets the margins: set them again
            self.figure.subplots_adjust(**self.MARGINS)
        with matplotlib.rc_context(self.RC):
            self.draw(result, self.figure)
        for axis in (axis for ax in self.figure.axes for axis in (ax.xaxis, ax.yaxis)):
            if isinstance(axis.get_major_locator(), MaxNLocator):  # fewer ticks: each costs a text to lay out
                axis.get_major_locator().set_params(nbins=5)
        png = io.BytesIO()
        self.figure.savefig(png, format="png", pil_kwargs={"compress_level": 1})  # a little larger, much faster
        return png.getvalue()


def reuse_axes(figure, ncols):
    """``ncols`` side-by-side axes of a persistent figure, emptied of their data but not rebuilt.

    The first call makes them; later calls remove every line, image, collection
    and legend and forget the old data limits, so a plotting function can draw
    afresh while the axes keep their ticks (rebuilding those is most of a redraw).
    """
    if not figure.axes:
        axes = figure.subplots(1, ncols, squeeze=False)[0]
        return list(axes)
    for ax in figure.axes:
        for artist in [*ax.lines, *ax.images, *ax.collections, *ax.patches, *ax.texts]:
            artist.remove()
        if ax.get_legend():
            ax.get_legend().remove()
        ax.ignore_existing_data_limits = True
        ax.set_autoscale_on(True)
    return list(figure.axes)


def panel_drawer(make_panels, ncols):
    """A draw function for one persistent figure: ``make_panels(axes)`` builds the panels once, then ``.update(result)`` only updates them.

    ``make_panels`` is a class like ``helpers.deep_plots.HealthDashboard``: built on
    ``ncols`` side-by-side axes, with an ``update(result)`` method.
    """
    panels = {}

    def draw(result, figure):
        if not figure.axes:  # a new or cleared figure
            panels["panels"] = make_panels(figure.subplots(1, ncols))
        panels["panels"].update(result)

    return draw


def slider(description, value, lo, hi, step, log=False, integer=False):
    style = {"description_width": "initial"}
    if integer:
        return widgets.IntSlider(value=value, min=lo, max=hi, step=step, description=description, style=style, continuous_update=False)
    if log:
        return widgets.FloatLogSlider(value=value, base=10, min=lo, max=hi, step=step, description=description, style=style, continuous_update=False)
    return widgets.FloatSlider(value=value, min=lo, max=hi, step=step, description=description, style=style, continuous_update=False)


def fmt(value):
    """A number as a student reads it: 4 decimals, or 3 significant digits when tiny or huge."""
    value = float(value)
    return f"{value:.4f}" if value == 0 or 1e-3 <= abs(value) < 1e4 else f"{value:.2e}"
