"""Notebook 06's explorer trains the article's network inside its callback: right numbers, an honest verdict."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from helpers.datasets import regression_1d
from helpers.losses import keras_mse
from helpers.network import Dense, Sequential
from helpers.optimizers import Adam
from helpers.training import fit
from helpers.widgets import BUILDERS, keras_explorer
from helpers.widgets.keras import BATCHING, GRID, describe_keras, draw_keras, train_keras_example
from matplotlib.figure import Figure


def test_registered_and_built_with_defaults():
    assert BUILDERS["keras_explorer"] is keras_explorer
    e = keras_explorer()
    assert set(e.controls) == {"hidden", "lr", "epochs", "batching"}
    assert "steps of Adam on batches of 1" in e.status.value and e.image.value[:4] == b"\x89PNG"


@pytest.mark.parametrize("batching", list(BATCHING))
def test_the_run_is_the_helpers_training_loop(batching):
    run = train_keras_example(6, 0.02, 4, batching, samples=24, seed=3)
    rng = np.random.default_rng(3)
    x, y = regression_1d(24, rng)
    model = Sequential([Dense(6, "sigmoid"), Dense(1)], input_dim=1, rng=rng)
    before = model(GRID)
    losses = fit(model, x, y, keras_mse, Adam(0.02), epochs=4, batch_size=BATCHING[batching])
    assert np.array_equal(run.x, x) and np.allclose(run.losses, losses, rtol=1e-12)
    assert np.array_equal(run.before, before) and np.allclose(run.after, model(GRID), rtol=1e-12)
    assert run.final_loss == pytest.approx(keras_mse(model(x), y)[0], rel=1e-12)
    assert run.steps == 4 * -(-24 // BATCHING[batching]) and run.diverged_at is None


def test_per_sample_fits_better_than_full_batch_in_the_same_epochs():
    per_sample, full = train_keras_example(batching="per sample (batch 1)"), train_keras_example(batching="full batch (24)")
    assert per_sample.final_loss < full.final_loss / 3
    assert "240 steps" in describe_keras(per_sample) and "10 steps" in describe_keras(full)


def test_an_extreme_learning_rate_is_reported_as_diverged_at_its_epoch():
    run = train_keras_example(10, 3.0, 10, "full batch (24)")
    assert run.diverged_at is not None and run.final_loss > run.start_loss
    assert run.losses[run.diverged_at - 1] > run.start_loss and np.all(run.losses[: run.diverged_at - 1] <= run.start_loss)
    assert f"diverged at epoch {run.diverged_at}" in describe_keras(run)
    tiny = train_keras_example(10, 1e-4, 10)
    assert tiny.diverged_at is None and "hardly moved" in describe_keras(tiny)


@settings(max_examples=20, deadline=None, derandomize=True)
@given(hidden=st.integers(1, 30), lr=st.floats(1e-4, 10.0), epochs=st.integers(1, 6), batching=st.sampled_from(list(BATCHING)))
def test_every_setting_gives_finite_pictures_or_says_it_diverged(hidden, lr, epochs, batching):
    run = train_keras_example(hidden, lr, epochs, batching)
    assert np.all(np.isfinite(run.after)) and np.all(np.isfinite(run.losses))
    if run.diverged_at is None:
        assert len(run.losses) == epochs and np.isfinite(run.final_loss)
    else:
        assert "diverged at epoch" in describe_keras(run)


def test_the_persistent_redraw_equals_a_fresh_drawing():
    e = keras_explorer()
    e.controls["lr"].value = 0.3
    e.controls["batching"].value = "mini-batches of 8"
    e.controls["epochs"].value = 15
    fresh = Figure()
    draw_keras(e.result, fresh)
    for old, new in zip(e.figure.axes, fresh.axes):
        assert old.get_ylim() == pytest.approx(new.get_ylim()) and old.get_xlim() == pytest.approx(new.get_xlim())
        for a, b in zip(old.lines, new.lines):
            assert np.array_equal(a.get_xydata(), b.get_xydata())
    assert len(e.figure.axes[1].lines[0].get_xdata()) == 15


def test_bad_batching_is_named():
    with pytest.raises(ValueError, match="batching must be one of"):
        train_keras_example(batching="batches of 5")
