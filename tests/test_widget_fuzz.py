"""Every explorer, every control at its ends, and seeded random combinations of all its
controls: no exception, no warning (warnings are errors in this suite), no "nan" in the
status line, and nothing non-finite drawn unless that very case is listed below."""
import ipywidgets as widgets
import numpy as np
import pytest
from widget_probe import control_values, figure_data, random_value, set_together

from helpers.widgets import BUILDERS, Explorer

EXPECTED_NON_FINITE = {}
"""Builder name → ``[(predicate over explorer.values(), why), ...]``: the only settings
allowed to draw NaN or inf. None today: at the extremes every explorer says what
happened in words and draws finite data (STYLE.md), so keep this empty unless a
picture truly needs a non-finite value, and then list exactly that case."""

COMBINATIONS = 24
"""Random combinations of all controls per explorer (about 3 s each, 25 s for all)."""


def drawing_problem(name, explorer, expected=EXPECTED_NON_FINITE):
    """Why the explorer's current picture is wrong, or None."""
    values = explorer.values()
    bad = [i for i, a in enumerate(figure_data(explorer.figure)) if not np.all(np.isfinite(a))]
    if bad and not any(case(values) for case, _ in expected.get(name, [])):
        return f"{name} drew NaN/inf (arrays {bad}) at {values}; status: {explorer.status.value!r}"
    if "nan" in explorer.status.value.lower().replace("nano", ""):
        return f"{name} shows NaN in its status line at {values}: {explorer.status.value!r}"
    return None


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_control_at_its_ends(name):
    explorer = BUILDERS[name]()
    for control_name, control in explorer.controls.items():
        for value in control_values(control):
            control.value = value
            assert drawing_problem(name, explorer) is None


@pytest.mark.parametrize("corner", [0, -1], ids=["all-low", "all-high"])
@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_control_at_the_same_end(name, corner):
    explorer = BUILDERS[name]()
    set_together(explorer, {key: lambda control: control_values(control)[corner] for key in explorer.controls})
    assert drawing_problem(name, explorer) is None


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_seeded_random_combinations_of_all_controls(name):
    explorer = BUILDERS[name]()
    rng = np.random.default_rng(sorted(BUILDERS).index(name))
    seen = {key: set() for key in explorer.controls}
    for _ in range(COMBINATIONS):
        set_together(explorer, {key: lambda control: random_value(control, rng) for key in explorer.controls})
        assert drawing_problem(name, explorer) is None
        for key, value in explorer.values().items():
            seen[key].add(value)
    assert all(len(values) >= 2 for values in seen.values()), f"a control never moved: {seen}"


# --- negative controls ------------------------------------------------------------------------


def nan_explorer(status="<p>diverged at step 3</p>"):
    """An explorer that draws NaN at w < 0 while its status line says why."""
    def draw(w, figure):
        figure.subplots().plot([0.0, 1.0], [0.0, np.sqrt(w) if w >= 0 else np.nan])

    w = widgets.FloatSlider(value=1.0, min=-1.0, max=1.0)
    return Explorer({"w": w}, compute=lambda w: w, draw=draw, describe=lambda w: status)


def test_a_non_finite_drawing_fails_even_when_the_status_explains_it():
    explorer = nan_explorer()
    assert drawing_problem("toy", explorer) is None
    explorer.controls["w"].value = -1.0
    assert drawing_problem("toy", explorer).startswith("toy drew NaN/inf (arrays [0]) at {'w': -1.0}")


def test_a_listed_non_finite_case_passes_and_only_that_case():
    expected = {"toy": [(lambda values: values["w"] < -0.5, "undefined there")]}
    explorer = nan_explorer()
    explorer.controls["w"].value = -1.0
    assert drawing_problem("toy", explorer, expected) is None
    explorer.controls["w"].value = -0.25
    assert drawing_problem("toy", explorer, expected) is not None
    assert drawing_problem("other", explorer, expected) is not None


def test_nan_in_the_status_line_fails():
    explorer = nan_explorer(status="<p>loss = nan</p>")
    assert "status line" in drawing_problem("toy", explorer)
    assert drawing_problem("toy", nan_explorer(status="<p>took 3 nanoseconds</p>")) is None


def test_random_values_stay_in_range_and_reach_the_ends():
    rng = np.random.default_rng(0)
    sliders = [widgets.IntSlider(min=1, max=9), widgets.FloatSlider(min=-2.0, max=2.0), widgets.FloatLogSlider(min=-4, max=1)]
    for slider in sliders:
        draws = [random_value(slider, rng) for _ in range(400)]
        lo, hi = control_values(slider)
        assert min(draws) == lo and max(draws) == hi and len(set(draws)) > 3
    log_draws = np.log10([random_value(sliders[2], rng, p_end=0.0) for _ in range(400)])
    assert np.mean(log_draws < -1.5) == pytest.approx(0.5, abs=0.1)  # log-uniform, not crowded at the top


def test_set_together_recomputes_once_with_every_value():
    calls = []
    controls = {"a": widgets.FloatSlider(min=0, max=1), "b": widgets.FloatSlider(min=0, max=1)}
    explorer = Explorer(controls, compute=lambda a, b: calls.append((a, b)), draw=lambda r, f: None, describe=str)
    set_together(explorer, {"a": 0.5, "b": lambda control: control.max})
    assert calls == [(0.0, 0.0), (0.5, 1.0)]
    controls["a"].value = 0.25
    assert calls[-1] == (0.25, 1.0)  # still wired afterwards
