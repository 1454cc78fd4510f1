"""Explorer of notebook 02: step through the backward pass of a computational graph, node by node."""
import html
from collections import defaultdict
from typing import NamedTuple

import ipywidgets as widgets

from ..autograd import Value, backward_steps, count_steps, graph
from ..datasets import WORKED_EXAMPLE
from ..graph_drawing import draw_backward_step
from .explorer import Explorer, builder, fmt, slider


def neuron_loss_graph(x=WORKED_EXAMPLE.x, w=WORKED_EXAMPLE.w, b=WORKED_EXAMPLE.b, y_true=WORKED_EXAMPLE.y_true):
    """Notebook 01's neuron as a graph: ``L = ½ e²`` with the error ``e = σ(w x + b) − t``, every node labelled."""
    x, w, b, t = Value(x, "x"), Value(w, "w"), Value(b, "b"), Value(y_true, "t")
    z = ((w * x).named("wx") + b).named("z")
    e = (z.sigmoid().named("y") - t).named("e")
    return (0.5 * (e**2).named("e²")).named("L")


def fan_out_graph(x=3.0, y=-2.0):
    """``f = (x + y) · x``: ``x`` is used twice, so its gradient is the sum of two shares."""
    x, y = Value(x, "x"), Value(y, "y")
    return ((x + y).named("q") * x).named("f")


def swish_graph(w=0.5, x=2.0):
    """``f = z · σ(z)`` with ``z = w x``: an inner node, ``z``, feeds two operations."""
    z = (Value(w, "w") * Value(x, "x")).named("z")
    return (z * z.sigmoid().named("s")).named("f")


EXPRESSIONS = {
    "neuron": ("notebook 01's neuron: L = ½ e², e = σ(w x + b) − t", neuron_loss_graph),
    "fan_out": ("fan-out: f = (x + y) · x", fan_out_graph),
    "swish": ("fan-out inside: f = z · s, s = σ(z), z = w x", swish_graph),
}
"""The stepper's expressions: key → (title, function building the graph)."""


class StepperState(NamedTuple):
    """A backward pass stopped after ``len(steps)`` of ``total`` steps."""

    expression: str
    root: Value
    steps: list
    total: int


def backward_state(expression, step):
    """Build ``expression``'s graph and run the first ``step`` backward steps (all, if more)."""
    root = EXPRESSIONS[expression][1]()
    total = count_steps(root)
    return StepperState(expression, root, backward_steps(root, stop=min(step, total)), total)


def _name(node):
    if node.label:
        return node.label
    return f"the {node.op} node" if node.op else f"the constant {node.data:g}"


def _grad(root, node):
    return f"∂{_wrap(_name(root))}/∂{_wrap(_name(node))}"


def _wrap(name):
    return name if len(name) <= 2 else f"({name})"


def describe_state(state):
    """What the last step did, in words and numbers (HTML)."""
    e = html.escape
    root, steps, total = state.root, state.steps, state.total
    if not steps:
        return (
            f"<p><b>Step 0 of {total}.</b> The forward pass has put a value in every box. The backward pass "
            f"starts at {e(_name(root))} with {e(_grad(root, root))} = 1. Move <i>step</i> to run one node's "
            "backward step at a time, in reverse topological order: a node runs only after every node that uses it.</p>"
        )
    s = steps[-1]
    if s.node is root:
        known = "It is the result, so its gradient is 1. "
    else:
        known = f"Its gradient {e(_grad(root, s.node))} = {fmt(s.upstream)} is complete: every use of it has run. "
    head = (
        f"<p><b>Step {len(steps)} of {total}: node {e(_name(s.node))} ({e(s.node.op)}), value {fmt(s.node.data)}.</b> {known}"
        "Upstream gradient × local derivative goes back to each of its parents (red arrows):</p><ul>"
    )
    users = defaultdict(set)
    for parent, child in graph(root).edges:
        users[parent].add(child)
    rows = []
    for parent, local, added, before, shares, after in zip(s.parents, s.local, s.added, s.before, s.shares_before, s.after):
        twice = " (both inputs of this node, so its local derivative is the sum of both)" if s.node.parents.count(parent) > 1 else ""
        local_name = f"∂{_wrap(_name(s.node))}/∂{_wrap(_name(parent))}"
        line = f"to {e(_name(parent))}{twice}: upstream × local = {fmt(s.upstream)} × {e(local_name)} = {fmt(s.upstream)} × {fmt(local)} = {fmt(added)}"
        if shares:
            line += (
                f", <b>added</b> to the {fmt(before)} it already holds from its other use: "
                f"{e(_grad(root, parent))} = {fmt(before)} + {fmt(added)} = {fmt(after)}"
            )
        else:
            line += f", so {e(_grad(root, parent))} = {fmt(after)}"
        if shares + 1 < len(users[parent]):
            line += " so far: it has another use, whose share comes later"
        rows.append(f"<li>{line}</li>")
    done = ""
    if len(steps) == total:
        inputs = sorted({p for step in steps for p in step.parents if not p.parents and p.label}, key=lambda v: v.label)
        grads = ", ".join(f"{e(_grad(root, v))} = {fmt(v.grad)}" for v in inputs)
        done = f"<p><b>Done:</b> every input holds its gradient: {grads}.</p>"
    return head + "".join(rows) + "</ul>" + done


@builder
def backward_explorer(expression="neuron", step=0):
    """A slider walks the backward pass node by node; a dropdown picks the expression.

    ``expression`` is a key of :data:`EXPRESSIONS`; ``step`` is how many backward steps
    have run (0: only the root's gradient, 1, is known). The slider's end follows the
    expression: one step per node that is not an input.
    """
    choice = widgets.Dropdown(
        options=[(title, key) for key, (title, _) in EXPRESSIONS.items()], value=expression, description="expression",
        style={"description_width": "initial"}, layout={"width": "30em"},
    )
    steps = slider("step", step, 0, count_steps(EXPRESSIONS[expression][1]()), 1, integer=True)

    def fit_steps(change):
        steps.max = count_steps(EXPRESSIONS[change["new"]][1]())

    choice.observe(fit_steps, names="value")
    return Explorer(
        {"expression": choice, "step": steps},
        compute=backward_state,
        draw=lambda state, figure: draw_backward_step(state.root, state.steps, ax=figure.add_axes((0.0, 0.0, 1.0, 1.0)), title=False),
        describe=describe_state,
        figsize=(10, 3.0),  # at most three rows of boxes: a lower figure is fewer pixels to draw and encode
    )
