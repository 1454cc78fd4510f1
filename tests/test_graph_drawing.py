"""The graph drawing: a box and a text per node, an arrow per use, the highlight, hidden gradients."""
import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import same_color
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from helpers.autograd import Value, backward_steps, graph, topological_order
from helpers.graph_drawing import FLOW_COLOR, draw_backward_step, draw_graph, graph_layout, node_text


@pytest.fixture
def ax():
    return Figure().subplots()  # no pyplot: nothing to close


def neuron():
    x, w, b, t = Value(1.5, "x"), Value(0.8, "w"), Value(0.2, "b"), Value(0.3, "t")
    z = (w * x + b).named("z")
    return (0.5 * (z.sigmoid().named("y") - t) ** 2).named("L")


def fan_out():
    x, y = Value(3.0, "x"), Value(-2.0, "y")
    return ((x + y).named("q") * x).named("f")


def boxes(ax):
    return [p for p in ax.patches if isinstance(p, FancyBboxPatch)]


def arrows(ax):
    return [p for p in ax.patches if isinstance(p, FancyArrowPatch)]


@pytest.mark.parametrize("build", [neuron, fan_out])
def test_one_box_and_text_per_node_and_one_arrow_per_use(ax, build):
    root = build()
    root.backward()
    assert draw_graph(root, ax=ax) is ax
    nodes = topological_order(root)
    assert len(boxes(ax)) == len(ax.texts) == len(nodes)
    assert len(arrows(ax)) == len(graph(root).edges)
    assert sorted(t.get_text() for t in ax.texts) == sorted(node_text(n) for n in nodes)
    assert not ax.lines  # no highlight asked for


def test_every_node_shows_its_value_and_gradient(ax):
    root = neuron()
    root.backward()
    draw_graph(root, ax=ax)
    texts = [t.get_text() for t in ax.texts]
    assert "w = 0.8\ngrad 0.1195" in texts and "L (×) = 0.1261\ngrad 1" in texts
    assert "z (+) = 1.4\ngrad 0.07969" in texts and "const = 0.5\ngrad 0.2522" in texts


def test_a_value_used_twice_by_one_node_gets_two_arrows(ax):
    x = Value(2.0, "x")
    draw_graph(x * x, ax=ax)
    assert len(arrows(ax)) == 2
    styles = {a.get_connectionstyle().rad for a in arrows(ax)}
    assert len(styles) == 2  # the second one curves, so both are visible


def test_highlight_frames_the_node_and_colours_the_arrows_to_its_parents(ax):
    root = neuron()
    root.backward()
    z = next(n for n in topological_order(root) if n.label == "z")
    draw_graph(root, ax=ax, highlight=z)
    (frame,) = ax.lines
    x, y = graph_layout(root)[z]
    assert frame.get_xdata().mean() == pytest.approx(x, abs=0.3) and frame.get_ydata().mean() == pytest.approx(y, abs=0.3)
    red = [a for a in arrows(ax) if same_color(a.get_edgecolor(), FLOW_COLOR)]
    assert len(red) == len(z.parents) == 2


def test_gradients_hidden_except_on_the_nodes_asked_for(ax):
    root = fan_out()
    root.backward()
    draw_graph(root, ax=ax, show_grad=[root])
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["f (×) = 3\ngrad 1", "q (+) = 1\ngrad ?", "x = 3\ngrad ?", "y = -2\ngrad ?"]


def test_backward_step_drawing_shows_the_pass_in_progress(ax):
    root = fan_out()
    steps = backward_steps(root, stop=1)
    draw_backward_step(root, steps, ax=ax)
    assert ax.get_title() == "after step 1 of 2"
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["f (×) = 3\ngrad 1", "q (+) = 1\ngrad 3", "x = 3\ngrad 1", "y = -2\ngrad ?"]
    assert len(ax.lines) == 1


def test_before_the_first_step_only_the_root_has_its_gradient(ax):
    root = fan_out()
    draw_backward_step(root, backward_steps(root, stop=0), ax=ax)
    assert sum("grad ?" in t.get_text() for t in ax.texts) == 3
    assert ax.get_title() == "before the backward pass: ∂f/∂f = 1"


def test_layout_puts_parents_left_of_their_users_and_keeps_boxes_apart():
    root = neuron()
    layout = graph_layout(root)
    for node in layout:
        for parent in node.parents:
            assert layout[parent][0] < layout[node][0]
    by_column = {}
    for column, row in layout.values():
        by_column.setdefault(column, []).append(row)
    for rows in by_column.values():
        rows.sort()
        assert all(b - a >= 1.0 for a, b in zip(rows, rows[1:]))
    assert layout[root] == (max(c for c, _ in layout.values()), 0.0)


def test_without_ax_it_draws_on_the_current_axes_and_never_shows(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("draw_graph called plt.show()"))
    fig, ax = plt.subplots()
    try:
        assert draw_graph(fan_out()) is ax
    finally:
        plt.close(fig)
