"""Notebook 09's explorers: checkpointing and saliency; what they say at the ends, and that the figure shows the result."""
import ipywidgets as widgets
import numpy as np

from helpers.attribution import METHODS
from helpers.checkpointing import checkpoint_costs
from helpers.digits_classifier import digits_classifier
from helpers.scale_plots import MB
from helpers.widgets import BUILDERS


def test_both_explorers_are_registered_and_every_dropdown_shows_a_selection():
    for name in ("checkpoint_explorer", "saliency_explorer"):
        e = BUILDERS[name]()
        assert all(c.index is not None for c in e.controls.values() if isinstance(c, widgets.Dropdown))


def test_checkpoint_explorer_computes_what_checkpoint_costs_computes_and_draws_it():
    e = BUILDERS["checkpoint_explorer"]()
    e.controls["depth"].value, e.controls["segment"].value = 49, 7
    expected = checkpoint_costs(49, 7)
    assert e.result == expected._replace(curve=e.result.curve) and np.array_equal(e.result.curve, expected.curve)
    memory, work, curve = e.figure.axes
    assert [round(b.get_height() * MB) for b in memory.patches[:2]] == [expected.predicted_plain, expected.predicted_checkpointed]
    assert [b.get_height() for b in work.patches] == [expected.passes_plain, expected.passes_checkpointed]
    assert np.allclose(curve.lines[0].get_ydata() * MB, expected.curve)
    assert "k = 5" in e.status.value or "k = 4" in e.status.value  # the best segment for depth 49


def test_checkpoint_explorer_explains_its_ends_and_a_segment_longer_than_the_net():
    e = BUILDERS["checkpoint_explorer"]()
    e.controls["depth"].value, e.controls["segment"].value = 10, 1
    assert "about half of plain backprop" in e.status.value
    e.controls["segment"].value = 64
    assert e.result.segment == 10 and "as much memory as plain backprop" in e.status.value


def test_measuring_adds_the_tracemalloc_bars():
    e = BUILDERS["checkpoint_explorer"]()
    assert e.result.measured_plain is None and "Measured" not in e.status.value
    e.controls["measured"].value = True
    assert e.result.measured_checkpointed < e.result.measured_plain and "Measured with tracemalloc" in e.status.value
    heights = [b.get_height() for b in e.figure.axes[0].patches[4:6]]
    assert heights[0] > heights[1] > 0


def test_saliency_explorer_shows_the_map_of_the_chosen_method_and_weights():
    e = BUILDERS["saliency_explorer"]()
    model = digits_classifier()
    for method in METHODS:
        for randomized in (False, True):
            e.controls["method"].value, e.controls["randomized"].value = method, randomized
            assert e.result.method == method and e.result.randomized == randomized
            shown = np.asarray(e.figure.axes[1].images[0].get_array())
            assert np.allclose(shown, np.abs(e.result.attribution).reshape(8, 8))
    e.controls["index"].value = 7
    assert np.array_equal(e.result.image, model.x_test[7]) and f"test digit {model.y_test[7]}" in e.status.value


def test_saliency_of_random_weights_differs_and_the_status_says_whether_the_check_passes():
    e = BUILDERS["saliency_explorer"]()
    e.controls["method"].value = "saliency"
    trained = e.result.attribution
    e.controls["randomized"].value = True
    assert not np.allclose(trained, e.result.attribution)
    assert "sanity check" in e.status.value and ("passes" in e.status.value or "fails" in e.status.value)
