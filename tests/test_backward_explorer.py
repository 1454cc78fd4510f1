"""The backward stepper: the slider walks the pass, the status says what each step did."""
import pytest

from helpers.autograd import topological_order
from helpers.widgets.graphs import EXPRESSIONS, backward_explorer, backward_state


@pytest.fixture
def explorer():
    return backward_explorer()


def test_the_slider_spans_the_pass_of_the_chosen_expression(explorer):
    assert explorer.controls["step"].max == 6  # ×, +, σ, −, **2, × of notebook 01's neuron
    explorer.controls["step"].value = 6
    explorer.controls["expression"].value = "fan_out"
    assert explorer.controls["step"].max == 2 and explorer.controls["step"].value == 2
    assert explorer.result.expression == "fan_out" and len(explorer.result.steps) == 2


@pytest.mark.parametrize("expression", sorted(EXPRESSIONS))
def test_the_last_step_leaves_the_gradients_backward_gives(expression):
    state = backward_state(expression, 99)
    stepped = {n.label: n.grad for n in topological_order(state.root)}
    root = EXPRESSIONS[expression][1]()
    root.backward()
    assert stepped == {n.label: n.grad for n in topological_order(root)}


def test_step_zero_starts_at_the_root(explorer):
    assert "Step 0 of 6" in explorer.status.value and "∂L/∂L = 1" in explorer.status.value


def test_the_worked_example_gradients_are_reported_at_the_end(explorer):
    explorer.controls["step"].value = 6
    status = explorer.status.value
    assert "Done" in status and "∂L/∂w = 0.1195" in status and "∂L/∂b = 0.0797" in status


def test_a_step_says_upstream_times_local(explorer):
    explorer.controls["step"].value = 5  # the node z = w·x + b
    status = explorer.status.value
    assert "node z (+)" in status and "0.0797 × ∂z/∂b = 0.0797 × 1.0000 = 0.0797" in status


def test_at_a_fan_out_the_second_share_is_added(explorer):
    explorer.controls["expression"].value = "fan_out"
    explorer.controls["step"].value = 1
    assert "so far: it has another use" in explorer.status.value
    explorer.controls["step"].value = 2
    assert "<b>added</b> to the 1.0000 it already holds" in explorer.status.value
    assert "∂f/∂x = 1.0000 + 3.0000 = 4.0000" in explorer.status.value


def test_the_figure_highlights_the_node_of_the_current_step(explorer):
    (frame,) = explorer.figure.axes[0].lines
    at_root = frame.get_xdata().mean()
    explorer.controls["step"].value = 1
    assert explorer.figure.axes[0].lines[0].get_xdata().mean() == at_root  # step 1 is the root's own step
    explorer.controls["step"].value = 6
    assert explorer.figure.axes[0].lines[0].get_xdata().mean() < at_root
