"""Every explorer, every control at its ends and at random values: no exception, no
warning (warnings are errors in this suite), and nothing non-finite drawn unless the
status line tells the student what happened."""
import numpy as np
import pytest
from widget_probe import control_values, figure_data

from helpers.widgets import BUILDERS

MESSAGES = ("oscillating", "saturated", "Saturated", "crawling", "diverged", "overflow", "stopped")


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_controls_at_their_extremes_and_random_values(name):
    explorer = BUILDERS[name]()
    rng = np.random.default_rng(0)
    for control_name, control in explorer.controls.items():
        for value in control_values(control, rng):
            control.value = value
            everything_finite = all(np.all(np.isfinite(a)) for a in figure_data(explorer.figure))
            explained = any(m in explorer.status.value for m in MESSAGES)
            assert everything_finite or explained, f"{name}: {control_name}={value!r} drew NaN/inf silently"
            assert "nan" not in explorer.status.value.lower().replace("nano", ""), f"{name}: {control_name}={value!r}"


@pytest.mark.parametrize("corner", [0, 1], ids=["all-low", "all-high"])
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_control_at_the_same_end(name, corner):
    explorer = BUILDERS[name]()
    for control in explorer.controls.values():
        control.value = control_values(control, np.random.default_rng(0))[corner]
    assert all(np.all(np.isfinite(a)) for a in figure_data(explorer.figure)) or any(
        m in explorer.status.value for m in MESSAGES
    )
