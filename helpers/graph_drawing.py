"""Drawing a computational graph: one box per Value with its value and gradient, one arrow per use.

Columns are depths from the inputs (an input sits just left of its first user);
rows keep each node next to the nodes that use it, the heaviest branch on the
root's row. Plain matplotlib patches and text, no graphviz and no layout engine, so
a widget can redraw it quickly. Like :mod:`helpers.plotting`, every function takes
``ax=None`` (the current axes), returns the axes and never calls ``plt.show()``.
"""
from collections import defaultdict

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .autograd import count_steps, distinct_parents, graph, topological_order

BOX_WIDTH, BOX_HEIGHT = 0.84, 0.5
"""A node's box, in units of the column and row spacing."""
MIN_COLUMNS, MIN_ROWS = 4.5, 2.4
"""The smallest view, in columns and rows: a graph of two nodes is not drawn with huge boxes."""
INPUT_COLOR, OP_COLOR, HIGHLIGHT_COLOR, FLOW_COLOR = "#dbe9f6", "#eeeeee", "#ffe9a8", "C3"


def graph_layout(root):
    """Where each node of ``root``'s graph is drawn: ``{node: (column, row)}``.

    The column is the longest path from an input (inputs move right, next to their
    first user). The root is on row 0; a node goes next to its nearest user (the
    first, at a tie): on that user's row if it is the user's heaviest parent, else
    above or below it. Nodes in one column are then spread to at least one row apart.

    Examples
    --------
    >>> from helpers.autograd import Value
    >>> w, x = Value(0.8, "w"), Value(1.5, "x")
    >>> sorted((n.label, pos) for n, pos in graph_layout((w * x).named("wx")).items())
    [('w', (0, 0.0)), ('wx', (1, 0.0)), ('x', (0, 1.0))]
    """
    nodes = topological_order(root)
    users = defaultdict(list)
    column, weight = {}, {}
    for node in nodes:
        parents = distinct_parents(node)
        column[node] = 1 + max(column[p] for p in parents) if parents else 0
        weight[node] = 1 + sum(weight[p] for p in parents)
        for parent in parents:
            users[parent].append(node)
    row = {}
    for node in reversed(nodes):  # users first
        if not node.parents and users[node]:
            column[node] = min(column[u] for u in users[node]) - 1
        if users[node]:
            nearest = min(users[node], key=lambda u: column[u])
            row[node] = row[nearest] + _side(nearest, node, weight)
        else:
            row[node] = 0.0
    return {node: (column[node], y) for node, y in _spread(nodes, column, row).items()}


def _side(user, node, weight):
    """Row offset of ``node`` among ``user``'s parents: heaviest 0, then +1, −1, +2, …"""
    ranked = sorted(distinct_parents(user), key=lambda p: -weight[p])
    rank = ranked.index(node)
    return (rank + 1) // 2 * (1 if rank % 2 else -1)


def _spread(nodes, column, row):
    """Push nodes of one column upwards until they are at least 1 row apart."""
    by_column = defaultdict(list)
    for node in nodes:
        by_column[column[node]].append(node)
    spread = {}
    for members in by_column.values():
        members.sort(key=lambda n: row[n])
        y = None
        for node in members:
            y = row[node] if y is None else max(row[node], y + 1.0)
            spread[node] = y
    return spread


def node_text(node, show_grad=True):
    """A node's two lines: its name (label and operation) with its value, and its gradient.

    Examples
    --------
    >>> from helpers.autograd import Value
    >>> z = (Value(0.8) * Value(1.5)).named("z")
    >>> print(node_text(z, show_grad=False))
    z (×) = 1.2
    grad ?
    """
    if node.op:
        name = f"{node.label} ({node.op})" if node.label else f"({node.op})"
    else:
        name = node.label or "const"
    grad = f"{node.grad:.4g}" if show_grad else "?"
    return f"{name} = {node.data:.4g}\ngrad {grad}"


def draw_graph(root, ax=None, highlight=None, show_grad=None, title=None):
    """Draw ``root``'s computational graph with value and gradient on every node.

    Parameters
    ----------
    root : Value
        The result; its graph is every Value it depends on.
    ax : matplotlib Axes, optional
        Where to draw; the current axes by default.
    highlight : Value, optional
        A node to mark (a red frame), with the arrows to its parents in red: the
        edges its backward step sends gradient along.
    show_grad : iterable of Value, optional
        Show the gradient only on these nodes (``grad ?`` on the others), e.g. the
        nodes a backward pass in progress has reached. All nodes by default.
    title : str, optional

    Returns
    -------
    The axes. Inputs are blue boxes, operations grey; arrows point from a Value to
    each operation that uses it.
    """
    ax = ax or plt.gca()
    layout = graph_layout(root)
    shown = None if show_grad is None else set(show_grad)
    texts = {node: node_text(node, shown is None or node in shown) for node in layout}
    fontsize = _fontsize(ax, layout, texts.values())
    for node, (x, y) in layout.items():
        box = FancyBboxPatch(
            (x - BOX_WIDTH / 2, y - BOX_HEIGHT / 2), BOX_WIDTH, BOX_HEIGHT,
            boxstyle="round,pad=0,rounding_size=0.08",
            facecolor=HIGHLIGHT_COLOR if node is highlight else (OP_COLOR if node.op else INPUT_COLOR),
            edgecolor="0.35", linewidth=0.8, zorder=2,
        )
        ax.add_artist(box)  # add_artist, not add_patch: the limits are set below, and autoscaling costs ~1 ms a patch
        ax.text(x, y, texts[node], ha="center", va="center", fontsize=fontsize, zorder=4, linespacing=1.25)
    drawn, reach = defaultdict(int), [y for _, y in layout.values()]
    for parent, child in graph(root).edges:
        drawn[parent, child] += 1
        arrow, lowest = _arrow(layout[parent], layout[child], drawn[parent, child], child is highlight)
        ax.add_artist(arrow)
        reach.append(lowest)
    if highlight is not None:
        x, y = layout[highlight]
        w, h = BOX_WIDTH / 2 + 0.05, BOX_HEIGHT / 2 + 0.06
        ax.plot([x - w, x + w, x + w, x - w, x - w], [y - h, y - h, y + h, y + h, y - h], color=FLOW_COLOR, linewidth=2.5, zorder=5)
    ax.set(xlim=_limits([p[0] for p in layout.values()], MIN_COLUMNS), ylim=_limits(reach, MIN_ROWS))
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize="medium")
    return ax


def _limits(positions, least):
    """Axis limits around ``positions``, at least ``least`` units wide, so a small graph keeps small boxes."""
    lo, hi = min(positions) - 0.6, max(positions) + 0.6
    grow = max(0.0, least - (hi - lo)) / 2
    return lo - grow, hi + grow


def _arrow(start, end, repeat, flow):
    """An arrow from box edge to box edge, and the lowest or highest row its curve reaches.

    The arrow is curved when it skips columns or repeats an edge (``x * x``).

    A curve on one row bows downwards (parents other than the heaviest sit above); a
    curve from a higher row bows upwards: either way away from the boxes in between.
    """
    rad, start_aim, end_aim, middle_y = 0.0, end, start, (start[1] + end[1]) / 2
    reach = middle_y
    if end[0] - start[0] > 1 or repeat > 1:
        rad = 0.5 * repeat if start[1] <= end[1] else -0.5 * repeat  # arc3: rad > 0 bends to the right of travel
        dx, dy = end[0] - start[0], end[1] - start[1]
        start_aim = end_aim = ((start[0] + end[0]) / 2 + rad * dy, middle_y - rad * dx)  # the arc's control point
        reach = middle_y - 0.75 * rad * dx  # the curve reaches half way to the control point; more, as columns are wider than rows
    arrow = FancyArrowPatch(
        _edge_point(start, start_aim), _edge_point(end, end_aim), connectionstyle=f"arc3,rad={rad}",
        arrowstyle="-|>", mutation_scale=11, shrinkA=0, shrinkB=2,
        color=FLOW_COLOR if flow else "0.45", linewidth=2.0 if flow else 1.0, zorder=3,
    )
    return arrow, reach


def _edge_point(center, toward):
    """Where the line from a box's ``center`` to ``toward`` leaves the box (data units, no clipping at draw time)."""
    dx, dy = toward[0] - center[0], toward[1] - center[1]
    scale = min(BOX_WIDTH / 2 / abs(dx) if dx else float("inf"), BOX_HEIGHT / 2 / abs(dy) if dy else float("inf"))
    return center[0] + dx * scale, center[1] + dy * scale


def _fontsize(ax, layout, texts):
    """The largest text size (at most 10 pt) at which the longest line fits a box on this axes."""
    columns = max(MIN_COLUMNS, max(p[0] for p in layout.values()) - min(p[0] for p in layout.values()) + 1.2)
    box_pt = _axes_width(ax) * 72 * BOX_WIDTH / columns
    longest = max(len(line) for text in texts for line in text.splitlines())
    return max(5.0, min(10.0, 0.9 * box_pt / (0.5 * longest)))  # a character of DejaVu Sans is about 0.5 em wide on average


def _axes_width(ax):
    """The axes' width in inches; under a layout engine, the width it gets once the engine has run."""
    figure, spec = ax.figure, ax.get_subplotspec()
    if figure.get_layout_engine() is not None and spec is not None:
        return 0.95 * figure.get_figwidth() * len(spec.colspan) / spec.get_gridspec().ncols
    return ax.get_position().width * figure.get_figwidth()


def draw_backward_step(root, steps, ax=None, title=True):
    """Draw a backward pass in progress: the graph after ``steps`` (from :func:`helpers.autograd.backward_steps`).

    Gradients are shown on the root and on every node a step has reached; the node
    of the last step is highlighted, with the arrows it just sent gradient back along.
    ``title=False`` leaves out the line "after step k of n" (a widget says it in words).
    """
    reached = {root}.union(*(step.parents for step in steps))
    current = steps[-1].node if steps else root
    name = root.label or "root"
    what = f"after step {len(steps)} of {count_steps(root)}" if steps else f"before the backward pass: ∂{name}/∂{name} = 1"
    return draw_graph(root, ax=ax, highlight=current, show_grad=reached, title=what if title else None)
