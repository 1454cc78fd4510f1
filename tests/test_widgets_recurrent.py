"""The gradient-through-time explorer: what it says at the extremes, and that it draws what it computed."""
import ipywidgets as widgets
import numpy as np

from helpers.recurrent import cell_forward, hidden_gradients, init_cell
from helpers.widgets import BUILDERS
from helpers.widgets.recurrent import time_gradients


def explorer():
    return BUILDERS["gradient_through_time_explorer"]()


def test_every_dropdown_has_a_visible_selection():
    for name, control in explorer().controls.items():
        if isinstance(control, widgets.Dropdown):
            assert control.index is not None, name


def test_a_small_radius_vanishes_and_the_status_says_after_how_many_steps():
    e = explorer()
    e.controls["radius"].value = 0.3
    lags = e.result.norms[::-1]
    first = int(np.argmax(lags < 1e-8))
    assert lags[first] < 1e-8 <= lags[first - 1]
    assert f"vanished below 1e-08 after {first} steps back" in e.status.value


def test_a_large_radius_explodes_and_the_status_says_so():
    e = explorer()
    e.controls["length"].value, e.controls["radius"].value = 200, 5.0
    assert e.result.norms[0] > 1e8 and "exploded above 1e+08" in e.status.value


def test_the_forget_gate_bias_keeps_the_lstm_gradient_alive():
    e = explorer()
    e.controls["cell"].value = "lstm"
    e.controls["keep_bias"].value = -3.0
    low = e.result.norms[0]
    e.controls["keep_bias"].value = 5.0
    assert e.result.norms[0] > 1e4 * low and "survives" in e.status.value


def test_the_explorer_computes_hidden_gradients():
    e = explorer()
    e.controls["cell"].value = "gru"
    rng = np.random.default_rng(0)
    params = init_cell("gru", 1, 16, rng, spectral_radius=1.0, keep_bias=1.0)
    x = rng.uniform(-1, 1, size=(4, 60, 1))
    g = rng.normal(size=(4, 16))
    g /= np.linalg.norm(g, axis=1, keepdims=True)
    expected = np.linalg.norm(hidden_gradients("gru", g, cell_forward("gru", x, params)[1]), axis=2).mean(axis=0)
    np.testing.assert_allclose(e.result.norms, expected, rtol=1e-12)


def test_the_drawing_shows_the_result_and_the_axes_are_kept():
    e = explorer()
    axes = list(e.figure.axes)
    for name, value in (("cell", "lstm"), ("length", 15), ("radius", 0.1), ("cell", "rnn")):
        e.controls[name].value = value
        assert e.figure.axes == axes
        image, line = e.figure.axes[0].images[0], e.figure.axes[1].lines[0]
        assert image.get_array().shape == (16, e.result.length)
        np.testing.assert_allclose(line.get_ydata(), np.log10(np.clip(e.result.norms, 1e-30, 1e30)))
        assert e.image.value[:4] == b"\x89PNG"


def test_extremes_draw_without_nan_or_warnings():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = time_gradients("rnn", 200, 0.1, 0.0)
        assert r.norms.min() == 0.0  # underflowed: drawn at the floor, said in words
        e = explorer()
        e.controls["length"].value, e.controls["radius"].value = 200, 0.1
        assert "underflowed to 0" in e.status.value
        assert np.all(np.isfinite(e.figure.axes[1].lines[0].get_ydata()))
