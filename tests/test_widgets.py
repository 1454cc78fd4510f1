"""Widgets without a browser: move each control, check the result, the message and the figure."""
import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from widget_probe import figure_data, fingerprint, other_value

from helpers.neuron import describe_descent, gradient_descent, neuron_trace
from helpers.widgets import BUILDERS, Explorer, fmt


@pytest.fixture(params=sorted(BUILDERS), ids=str)
def explorer(request):
    return BUILDERS[request.param]()


def test_every_builder_returns_an_explorer_with_controls(explorer):
    assert isinstance(explorer, Explorer)
    assert explorer.controls and explorer.result is not None
    assert explorer.status.value and figure_data(explorer.figure)


def test_every_control_changes_the_result_and_the_figure(explorer):
    for name, control in explorer.controls.items():
        before_result, before_figure = repr(explorer.result), fingerprint(explorer.figure)
        control.value = other_value(control)
        assert repr(explorer.result) != before_result, f"{name} did not change the result"
        assert fingerprint(explorer.figure) != before_figure, f"{name} did not change the figure"


def test_neuron_explorer_prints_the_helpers_gradient():
    e = BUILDERS["neuron_explorer"]()
    e.controls["w"].value, e.controls["x"].value = -1.3, 2.0
    v = e.values()
    expected = neuron_trace(v["x"], v["w"], v["b"], v["y_true"])
    assert e.result.trace.dL_dw == expected.dL_dw
    assert f"data-name='∂L/∂w'>{fmt(expected.dL_dw)}<" in e.status.value
    assert "Saturated" not in e.status.value


def test_neuron_explorer_says_when_the_neuron_saturates():
    e = BUILDERS["neuron_explorer"]()
    e.controls["w"].value, e.controls["b"].value, e.controls["x"].value = 10.0, 10.0, 5.0
    assert "Saturated" in e.status.value and "e-" in e.status.value


@pytest.mark.parametrize(
    "lr, verdict", [(0.01, "crawling"), (5.0, "converged"), (20.0, "oscillating"), (1000.0, "saturated")]
)
def test_descent_explorer_names_what_happened(lr, verdict):
    e = BUILDERS["descent_explorer"]()
    e.controls["lr"].value = lr
    assert verdict in e.status.value
    assert e.status.value == f"<p>{describe_descent(e.result)}</p>".replace("'", "&#x27;")
    assert np.array_equal(e.result.loss, gradient_descent(1.5, 0.3, 0.8, 0.2, lr, 50).loss)


def test_sigmoid_explorer_reports_value_and_slope():
    e = BUILDERS["sigmoid_explorer"]()
    e.controls["z"].value = 10.0
    assert "σ(10.0000) = 1.0000" in e.status.value and "slope σ'(z) = 4.54e-05" in e.status.value


def test_fmt_is_readable_at_every_scale():
    assert [fmt(v) for v in (0, 0.25, -1.5, 4.5e-5, 1e300)] == ["0.0000", "0.2500", "-1.5000", "4.50e-05", "1.00e+300"]


def test_the_student_sees_the_figure_as_a_png(explorer):
    png = bytes(explorer.image.value)
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    control = next(iter(explorer.controls.values()))
    control.value = other_value(control)
    assert bytes(explorer.image.value) != png


def test_neuron_explorer_tells_a_saturated_but_right_neuron_apart():
    e = BUILDERS["neuron_explorer"]()
    e.controls["w"].value, e.controls["b"].value, e.controls["x"].value = 10.0, 10.0, 5.0
    assert "is large" in e.status.value
    e.controls["y_true"].value = 1.0
    assert "little to learn" in e.status.value and "is large" not in e.status.value


@pytest.mark.parametrize("name", ["sigmoid_explorer", "neuron_explorer", "descent_explorer"])
def test_a_reused_figure_shows_what_a_fresh_one_does(name):
    moved = BUILDERS[name]()
    for control in moved.controls.values():
        control.value = other_value(control)
    fresh = Figure(figsize=moved.figure.get_size_inches())
    with matplotlib.rc_context(Explorer.RC):
        moved.draw(moved.result, fresh)
    assert fingerprint(moved.figure) == fingerprint(fresh)
    view = [[ax.get_xlim(), ax.get_ylim(), ax.get_yscale(), ax.get_title()] for ax in moved.figure.axes]
    assert view == [[ax.get_xlim(), ax.get_ylim(), ax.get_yscale(), ax.get_title()] for ax in fresh.axes]
