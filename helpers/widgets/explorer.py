"""Interactive explorers: controls → compute (pure) → draw → a status line.

Each builder returns an :class:`Explorer`. A notebook cell is one call, e.g.
``neuron_explorer()``. Tests drive an explorer without a browser: set a
control's ``.value`` and read ``.result``, ``.status.value``, ``.figure`` and
``.image.value`` (the PNG the student sees).
Every builder is listed in :data:`BUILDERS`, so tests find new ones by themselves.
"""
import html
import io
from typing import NamedTuple

import ipywidgets as widgets
from matplotlib.figure import Figure

from .activations import sigmoid, sigmoid_prime
from .datasets import WORKED_EXAMPLE
from .neuron import NeuronTrace, describe_descent, gradient_descent, neuron_trace
from .plotting import plot_loss_along_w, plot_loss_curve, plot_loss_surface, plot_sigmoid_point

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
    """

    def __init__(self, controls, compute, draw, describe, figsize=(10, 3.6)):
        self.controls = dict(controls)
        self.compute, self.draw, self.describe = compute, draw, describe
        self.status = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.figure = Figure(figsize=figsize)
        self.figure.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.9, wspace=0.25)  # fixed: layout engines cost ~40 ms
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
        self.figure.clear()
        self.draw(result, self.figure)
        png = io.BytesIO()
        self.figure.savefig(png, format="png")
        return png.getvalue()


def _slider(description, value, lo, hi, step, log=False, integer=False):
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


# --- notebook 00: the first slider -------------------------------------------------


@builder
def sigmoid_explorer(z=0.0):
    """One slider for ``z`` → ``σ(z)`` and its slope: the course's first widget."""

    def describe(z):
        return f"<p>σ({fmt(z)}) = {fmt(sigmoid(z))}, slope σ'(z) = {fmt(sigmoid_prime(z))}</p>"

    return Explorer(
        {"z": _slider("z", z, -10.0, 10.0, 0.1)},
        compute=lambda z: float(z),
        draw=lambda z, figure: plot_sigmoid_point(z, ax=figure.subplots()),
        describe=describe,
        figsize=(6, 3.6),
    )


# --- notebook 01: one neuron -------------------------------------------------------


class NeuronProbe(NamedTuple):
    """The explorer's inputs and the neuron's trace at them."""

    x: float
    w: float
    b: float
    y_true: float
    trace: NeuronTrace


def _describe_probe(probe):
    trace = probe.trace
    rows = [
        ("z = w x + b", trace.z[0]),
        ("y = σ(z)", trace.y[0]),
        ("L = ½ (y − t)²", trace.loss),
        ("∂L/∂y = y − t", trace.dL_dy[0]),
        ("∂y/∂z = σ(z)(1 − σ(z))", trace.dy_dz[0]),
        ("∂z/∂w = x", trace.dz_dw[0]),
        ("∂L/∂w = product of the three", trace.dL_dw),
        ("∂L/∂b = ∂L/∂y · ∂y/∂z · 1", trace.dL_db),
    ]
    table = "".join(f"<tr><td>{html.escape(name)}</td><td class='value' data-name='{html.escape(name.split(' ')[0])}'>{fmt(v)}</td></tr>" for name, v in rows)
    note = ""
    if trace.dy_dz[0] < 1e-3:
        note = (
            f"<p><b>Saturated:</b> σ'(z) = {fmt(trace.dy_dz[0])}, so ∂L/∂w is tiny even though "
            f"the error y − t = {fmt(trace.dL_dy[0])}. The neuron can barely learn from here.</p>"
        )
    return f"<table>{table}</table>{note}"


def _draw_probe(probe, figure):
    left, right = figure.subplots(1, 2)
    plot_sigmoid_point(probe.trace.z[0], ax=left)
    plot_loss_along_w(probe.x, probe.w, probe.b, probe.y_true, ax=right)


@builder
def neuron_explorer(x=WORKED_EXAMPLE.x, w=WORKED_EXAMPLE.w, b=WORKED_EXAMPLE.b, y_true=WORKED_EXAMPLE.y_true):
    """Sliders for ``w, b, x, y_true`` → every factor of the chain rule and the loss."""
    controls = {
        "w": _slider("w", w, -10.0, 10.0, 0.1),
        "b": _slider("b", b, -10.0, 10.0, 0.1),
        "x": _slider("x", x, -5.0, 5.0, 0.1),
        "y_true": _slider("y_true", y_true, 0.0, 1.0, 0.05),
    }

    def compute(w, b, x, y_true):
        return NeuronProbe(x, w, b, y_true, neuron_trace(x, w, b, y_true))

    return Explorer(controls, compute, _draw_probe, _describe_probe)


@builder
def descent_explorer(x=WORKED_EXAMPLE.x, y_true=WORKED_EXAMPLE.y_true, w0=WORKED_EXAMPLE.w, b0=WORKED_EXAMPLE.b):
    """Learning rate, steps and start point → the descent path on the loss surface and the loss curve."""
    controls = {
        "lr": _slider("learning rate", 5.0, -2, 3, 0.1, log=True),
        "steps": _slider("steps", 50, 1, 200, 1, integer=True),
        "w0": _slider("start w", w0, -6.0, 6.0, 0.1),
        "b0": _slider("start b", b0, -6.0, 6.0, 0.1),
    }

    def compute(lr, steps, w0, b0):
        return gradient_descent(x, y_true, w0, b0, lr, steps)

    def draw(run, figure):
        left, right = figure.subplots(1, 2)
        plot_loss_surface(x, y_true, [run], ax=left)
        plot_loss_curve(run.loss, ax=right)

    return Explorer(controls, compute, draw, lambda run: f"<p>{html.escape(describe_descent(run))}</p>")
