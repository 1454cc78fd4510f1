"""Drawing functions draw the right data on the axes they are given, and never show."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plotting  # noqa: E402
from helpers.activations import sigmoid  # noqa: E402
from helpers.neuron import gradient_descent, neuron_trace  # noqa: E402


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_sigmoid_point_marks_z_and_its_tangent(ax):
    assert plotting.plot_sigmoid_point(2.0, ax=ax) is ax
    point = ax.lines[2].get_xydata()[0]
    np.testing.assert_allclose(point, [2.0, sigmoid(2.0)])
    (x0, y0), (x1, y1) = ax.lines[1].get_xydata()
    assert (y1 - y0) / (x1 - x0) == pytest.approx(sigmoid(2.0) * (1 - sigmoid(2.0)))


def test_loss_curve_floors_zero_on_a_log_axis(ax):
    plotting.plot_loss_curve([1.0, 0.1, 0.0], ax=ax)
    assert ax.get_yscale() == "log"
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [1.0, 0.1, plotting.LOSS_FLOOR])


def test_loss_surface_grows_to_hold_the_path(ax):
    run = gradient_descent(1.5, 0.3, 0.8, 0.2, lr=1000.0, steps=5)
    plotting.plot_loss_surface(1.5, 0.3, [run], ax=ax)
    lo, hi = ax.get_xlim()
    assert lo <= run.w.min() < -100 and hi >= run.w.max()
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), run.w)


def test_loss_along_w_has_the_gradient_as_its_slope(ax):
    plotting.plot_loss_along_w(1.5, 0.8, 0.2, 0.3, ax=ax)
    (x0, y0), (x1, y1) = ax.lines[1].get_xydata()
    assert (y1 - y0) / (x1 - x0) == pytest.approx(neuron_trace(1.5, 0.8, 0.2, 0.3).dL_dw)


def test_without_ax_they_draw_on_the_current_axes(ax):
    plt.sca(ax)
    assert plotting.plot_loss_curve([1.0, 0.5]) is ax
