"""Notebook 03's drawing functions draw the right data on the axes they are given."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plotting  # noqa: E402
from helpers.activations import ACTIVATIONS  # noqa: E402
from helpers.neuron import gradient_descent  # noqa: E402
from helpers.saturation import local_derivative  # noqa: E402

Z = np.linspace(-6, 6, 121)


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


@pytest.fixture
def runs():
    return {loss: gradient_descent(1.0, 0.0, 2.0, 2.0, lr=1.0, steps=100, loss=loss) for loss in ("mse", "bce")}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_draws_the_function_and_its_derivative(name, ax):
    assert plotting.plot_activation(name, Z[::-1], ax=ax) is ax
    f, derivative = ax.lines[:2]
    np.testing.assert_array_equal(f.get_xdata(), Z)  # sorted
    np.testing.assert_allclose(f.get_ydata(), ACTIVATIONS[name][0](Z)[0])
    np.testing.assert_allclose(derivative.get_ydata(), local_derivative(name, Z))
    assert len(ax.collections) == (0 if name == "leaky_relu" else 1)  # leaky: f' = 0.01 is not below 0.01


def test_activation_shades_nothing_where_nothing_is_flat(ax):
    plotting.plot_activation("leaky_relu", Z, ax=ax, slope=0.1)
    assert len(ax.collections) == 0 and ax.lines[1].get_ydata().min() == 0.1
    plotting.plot_activation("sigmoid", np.linspace(-1, 1, 11), ax=ax)
    assert len(ax.collections) == 0


def test_loss_race_marks_the_epoch_each_run_reaches_the_error(ax, runs):
    plotting.plot_loss_race(runs, 0.1, ax=ax)
    mse_curve, mse_dot, bce_curve, bce_dot = ax.lines
    np.testing.assert_array_equal(mse_curve.get_ydata(), runs["mse"].loss)
    assert mse_dot.get_xdata()[0] == 70 and bce_dot.get_xdata()[0] == 7
    assert bce_dot.get_ydata()[0] == runs["bce"].loss[7]
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["mse: 70 epochs", "bce: 7 epochs"]


def test_error_race_draws_the_threshold_and_says_who_never_arrived(ax, runs):
    runs["mse"] = gradient_descent(1.0, 0.0, 2.0, 2.0, lr=1.0, steps=50)
    plotting.plot_error_race(runs, 0.1, ax=ax)
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), runs["mse"].error)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["mse: not in 50 epochs", "bce: 7 epochs"]
    assert 0.1 in [line.get_ydata()[0] for line in ax.lines]  # the dashed threshold
    assert 7 in [line.get_xdata()[0] for line in ax.lines]  # the crossing of the run that arrived


def test_new_drawings_use_the_current_axes_by_default(ax, runs):
    plt.sca(ax)
    assert plotting.plot_activation("tanh", Z) is ax
    assert plotting.plot_error_race(runs, 0.1) is ax
