"""The gradient-health dashboard: what it says at the extremes, and controls a browser can show."""
import ipywidgets as widgets
import numpy as np

from helpers.deep import gradient_health
from helpers.widgets import BUILDERS


def test_every_dropdown_has_a_visible_selection():
    e = BUILDERS["gradient_health_dashboard"]()
    for name, control in e.controls.items():
        if isinstance(control, widgets.Dropdown):
            assert control.index is not None, f"{name} shows no selection in the browser"


def test_default_shows_the_vanishing_sigmoid():
    e = BUILDERS["gradient_health_dashboard"]()
    norms = e.result.norms
    assert norms[0] / norms[19] < 1e-6 and "orders of magnitude" in e.status.value


def test_an_exploding_net_says_overflow_and_clipping_keeps_it_finite():
    e = BUILDERS["gradient_health_dashboard"]()
    e.controls["activation"].value, e.controls["init"].value = "relu", "std 1"
    assert e.result.run.overflow_at is not None and "overflow" in e.status.value
    e.controls["clip"].value = 1.0
    assert e.result.run.overflow_at is None and "Clipping at global norm 1 was active" in e.status.value
    assert np.all(np.isfinite(e.result.run.losses))


def test_the_dashboard_computes_what_gradient_health_computes():
    e = BUILDERS["gradient_health_dashboard"]()
    e.controls["batchnorm"].value = True
    expected = gradient_health(20, "sigmoid", "xavier", batchnorm=True, width=32, batch=64, steps=12, lr=0.02)
    np.testing.assert_array_equal(e.result.norms, expected.norms)
    np.testing.assert_array_equal(e.result.run.losses, expected.run.losses)


def test_the_persistent_redraw_shows_what_a_fresh_figure_shows():
    from matplotlib.figure import Figure

    from helpers.deep_plots import plot_health

    e = BUILDERS["gradient_health_dashboard"]()
    axes = e.figure.axes
    for name, value in (("depth", 30), ("activation", "relu"), ("init", "std 1"), ("depth", 3), ("clip", 1.0)):
        e.controls[name].value = value
        assert e.figure.axes == axes, "the dashboard rebuilt its axes"
        fresh = Figure()
        plot_health(e.result, fresh.subplots(1, 3))
        for kept, new in zip(axes, fresh.axes, strict=True):
            assert [line.get_xydata().tolist() for line in kept.lines] == [line.get_xydata().tolist() for line in new.lines]
            assert kept.get_ylim() == new.get_ylim() and kept.get_title() == new.get_title()
