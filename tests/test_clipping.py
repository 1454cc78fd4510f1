"""Gradient clipping by global norm and by value."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from raises import assert_raises_exactly

from helpers.clipping import clip_by_global_norm, clip_by_value, global_norm

FAST = settings(max_examples=25, deadline=None, derandomize=True, database=None)


def random_grads(seed, scale):
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(size=(3, 2)) * scale, "b1": rng.normal(size=2) * scale, "W2": rng.normal(size=(2, 1)) * scale}


def test_global_norm_is_the_norm_of_everything_laid_end_to_end():
    grads = random_grads(0, 1.0)
    assert global_norm(grads) == pytest.approx(np.linalg.norm(np.concatenate([g.ravel() for g in grads.values()])))
    assert global_norm({"W": np.zeros((2, 2))}) == 0.0
    assert global_norm({"W": np.array([1e300, 1e300])}) == pytest.approx(np.sqrt(2) * 1e300)


@FAST
@given(seed=st.integers(0, 2**32 - 1), scale=st.floats(1e-3, 1e6), max_norm=st.floats(1e-2, 1e2))
def test_clip_by_global_norm_caps_the_length_and_keeps_the_direction(seed, scale, max_norm):
    grads = random_grads(seed, scale)
    saved = {k: v.copy() for k, v in grads.items()}
    clipped, norm = clip_by_global_norm(grads, max_norm)
    assert norm == pytest.approx(global_norm(saved))
    assert global_norm(clipped) == pytest.approx(min(norm, max_norm), rel=1e-9)
    factor = clipped["W1"].ravel()[0] / saved["W1"].ravel()[0]
    for key in grads:
        np.testing.assert_allclose(clipped[key], saved[key] * factor, rtol=1e-12)
        np.testing.assert_array_equal(grads[key], saved[key])  # a new dict; the input is unchanged
        assert clipped[key] is not grads[key]


@FAST
@given(seed=st.integers(0, 2**32 - 1), scale=st.floats(1e-3, 1e3), limit=st.floats(1e-2, 1e2))
def test_clip_by_value_bounds_every_entry(seed, scale, limit):
    grads = random_grads(seed, scale)
    clipped, norm = clip_by_value(grads, limit)
    assert norm == pytest.approx(global_norm(grads))
    for key in grads:
        assert np.all(np.abs(clipped[key]) <= limit)
        small = np.abs(grads[key]) <= limit
        np.testing.assert_array_equal(clipped[key][small], grads[key][small])


def test_clip_by_value_can_turn_the_direction():
    clipped, _ = clip_by_value({"g": np.array([10.0, 0.5])}, 1.0)
    np.testing.assert_array_equal(clipped["g"], [1.0, 0.5])  # was 20:1, now 2:1


NOT_A_DICT = r"grads must be a non-empty dict of gradient arrays, like a backward pass returns; got "


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: clip_by_global_norm({"W": np.ones(2)}, 0.0), ValueError, r"max_norm must be positive; got 0.0"),
        (lambda: clip_by_value({"W": np.ones(2)}, -1.0), ValueError, r"limit must be positive; got -1.0"),
        (lambda: global_norm([np.ones(2)]), TypeError, NOT_A_DICT + "list"),
        (lambda: global_norm({}), TypeError, NOT_A_DICT + "dict"),
        (lambda: global_norm({"W": np.array([np.inf])}), ValueError, r"grads\['W'\] must be finite; it contains NaN or inf"),
    ],
)
def test_bad_input_names_the_argument(call, error, message):
    assert_raises_exactly(call, error, message)


def test_zero_and_empty_gradients_are_left_alone():
    clipped, norm = clip_by_global_norm({"W": np.zeros(2), "b": np.array([])}, 1.0)  # no division by a zero norm
    assert norm == 0.0 and clipped["W"].tolist() == [0.0, 0.0] and clipped["b"].shape == (0,)
