"""Notebook 03's explorers without a browser: the numbers they report and what they say at the extremes."""
import numpy as np
import pytest

from helpers.neuron import epochs_to_reach, gradient_descent
from helpers.saturation import saturated_share
from helpers.widgets import BUILDERS
from helpers.widgets.losses import LEAKY_SLOPE


@pytest.fixture
def activations():
    return BUILDERS["activation_explorer"]()


@pytest.fixture
def race():
    return BUILDERS["loss_race_explorer"]()


def test_activation_explorer_reports_the_saturated_share_of_its_range(activations):
    activations.controls["spread"].value = 10.0
    z = np.linspace(-10, 10, 201)
    assert activations.result.saturated == saturated_share("sigmoid", z)
    assert f"<b>{saturated_share('sigmoid', z):.0%}</b>" in activations.status.value
    np.testing.assert_array_equal(activations.figure.axes[0].lines[0].get_xdata(), z)


def test_activation_explorer_uses_a_visible_leaky_slope(activations):
    activations.controls["activation"].value = "leaky_relu"
    assert activations.result.derivative.min() == LEAKY_SLOPE == 0.1
    assert activations.result.saturated == 0.0 and "Dead" not in activations.status.value


@pytest.mark.parametrize(
    "name, centre, message",
    [("relu", -10.0, "Dead"), ("tanh", 10.0, "Saturated"), ("sigmoid", 0.0, "largest f'(z) here 0.2500")],
)
def test_activation_explorer_says_when_a_unit_is_dead_or_saturated(activations, name, centre, message):
    activations.controls["activation"].value = name
    activations.controls["centre"].value = centre
    assert message in activations.status.value


def test_race_explorer_reports_both_epoch_counts_and_their_ratio(race):
    assert "cross-entropy <b>7</b>, MSE <b>70</b>, a ratio of <b>10.0</b>" in race.status.value
    v = race.values()
    for loss in ("mse", "bce"):
        expected = gradient_descent(1.0, 0.0, v["w0"], v["b0"], v["lr"], v["epochs"], loss=loss)
        np.testing.assert_array_equal(getattr(race.result, loss).loss, expected.loss)
        assert getattr(race.result, f"{loss}_epochs") == epochs_to_reach(expected, 0.1)


@pytest.mark.parametrize(
    "w0, b0, lr, epochs, message",
    [
        (6.0, 6.0, 1.0, 100, "MSE did not in 100"),
        (-2.0, -2.0, 1.0, 100, "already within 0.1 of the target"),
        (6.0, 6.0, 0.1, 20, "Neither loss got within 0.1 of the target in 20 epochs"),
    ],
)
def test_race_explorer_says_what_happened_instead_of_a_ratio(race, w0, b0, lr, epochs, message):
    for name, value in [("w0", w0), ("b0", b0), ("lr", lr), ("epochs", epochs)]:
        race.controls[name].value = value
    assert race.values() == {"w0": w0, "b0": b0, "lr": pytest.approx(lr), "epochs": epochs}
    assert message in race.status.value and "ratio" not in race.status.value
