"""Explorers of notebooks 00 and 01: the sigmoid, one neuron's chain rule, gradient descent."""
import html
from typing import NamedTuple

from ..activations import sigmoid, sigmoid_prime
from ..datasets import WORKED_EXAMPLE
from ..neuron import NeuronTrace, describe_descent, gradient_descent, neuron_trace
from ..plotting import plot_loss_along_w, plot_loss_curve, plot_loss_surface, plot_sigmoid_point
from .explorer import Explorer, builder, fmt, reuse_axes, slider


# --- notebook 00: the first slider -------------------------------------------------


@builder
def sigmoid_explorer(z=0.0):
    """One slider for ``z`` → ``σ(z)`` and its slope: the course's first widget."""

    def describe(z):
        return f"<p>σ({fmt(z)}) = {fmt(sigmoid(z))}, slope σ'(z) = {fmt(sigmoid_prime(z))}</p>"

    return Explorer(
        {"z": slider("z", z, -10.0, 10.0, 0.1)},
        compute=lambda z: float(z),
        draw=lambda z, figure: plot_sigmoid_point(z, ax=reuse_axes(figure, 1)[0]),
        describe=describe,
        figsize=(6, 3.6),
        persistent=True,
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
    if trace.dy_dz[0] < 1e-3 and abs(trace.dL_dy[0]) > 0.05:
        note = (
            f"<p><b>Saturated:</b> σ'(z) = {fmt(trace.dy_dz[0])}, so ∂L/∂w is tiny even though "
            f"the error y − t = {fmt(trace.dL_dy[0])} is large. The neuron can barely learn from here.</p>"
        )
    elif trace.dy_dz[0] < 1e-3:
        note = f"<p><b>Saturated</b> (σ'(z) = {fmt(trace.dy_dz[0])}), but y already matches t: there is little to learn.</p>"
    return f"<table>{table}</table>{note}"


def _draw_probe(probe, figure):
    left, right = reuse_axes(figure, 2)
    plot_sigmoid_point(probe.trace.z[0], ax=left)
    plot_loss_along_w(probe.x, probe.w, probe.b, probe.y_true, ax=right)


@builder
def neuron_explorer(x=WORKED_EXAMPLE.x, w=WORKED_EXAMPLE.w, b=WORKED_EXAMPLE.b, y_true=WORKED_EXAMPLE.y_true):
    """Sliders for ``w, b, x, y_true`` → every factor of the chain rule and the loss."""
    controls = {
        "w": slider("w", w, -10.0, 10.0, 0.1),
        "b": slider("b", b, -10.0, 10.0, 0.1),
        "x": slider("x", x, -5.0, 5.0, 0.1),
        "y_true": slider("y_true", y_true, 0.0, 1.0, 0.05),
    }

    def compute(w, b, x, y_true):
        return NeuronProbe(x, w, b, y_true, neuron_trace(x, w, b, y_true))

    return Explorer(controls, compute, _draw_probe, _describe_probe, persistent=True)


@builder
def descent_explorer(x=WORKED_EXAMPLE.x, y_true=WORKED_EXAMPLE.y_true, w0=WORKED_EXAMPLE.w, b0=WORKED_EXAMPLE.b):
    """Learning rate, steps and start point → the descent path on the loss surface and the loss curve."""
    controls = {
        "lr": slider("learning rate", 5.0, -2, 3, 0.1, log=True),
        "steps": slider("steps", 50, 1, 200, 1, integer=True),
        "w0": slider("start w", w0, -6.0, 6.0, 0.1),
        "b0": slider("start b", b0, -6.0, 6.0, 0.1),
    }

    def compute(lr, steps, w0, b0):
        return gradient_descent(x, y_true, w0, b0, lr, steps)

    def draw(run, figure):
        left, right = reuse_axes(figure, 2)
        plot_loss_surface(x, y_true, [run], ax=left)
        plot_loss_curve(run.loss, ax=right)

    return Explorer(controls, compute, draw, lambda run: f"<p>{html.escape(describe_descent(run))}</p>", persistent=True)
