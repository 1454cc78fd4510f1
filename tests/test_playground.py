"""The playground trains inside its callback: right numbers, an honest verdict."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from helpers.datasets import moons
from helpers.losses import binary_cross_entropy_with_logits
from helpers.network import Dense, Sequential
from helpers.optimizers import Adam
from helpers.widgets import BUILDERS, playground_explorer
from helpers.widgets.playground import DATASETS, describe_playground, train_playground


def test_registered_and_built_with_defaults():
    assert BUILDERS["playground_explorer"] is playground_explorer
    e = playground_explorer()
    assert set(e.controls) == {"dataset", "noise", "hidden", "activation", "lr"}
    assert "training accuracy" in e.status.value


def test_the_run_is_the_helpers_training_loop():
    run = train_playground("moons", 0.2, 6, "relu", 0.05, n=100, steps=30, seed=3)
    rng = np.random.default_rng(3)
    x, labels = moons(100, rng, noise=0.2)
    model = Sequential([Dense(6, "relu"), Dense(1)], input_dim=2, rng=rng)
    optimizer = Adam(0.05)
    losses = [model.train_step(x, labels[:, None].astype(float), binary_cross_entropy_with_logits, optimizer) for _ in range(30)]
    assert np.array_equal(run.x, x) and np.array_equal(run.losses, losses)
    assert run.accuracy == np.mean((model(x)[:, 0] > 0) == (labels == 1))
    assert run.surface.probabilities.shape == (60, 60) and run.diverged_at is None


def test_a_small_net_learns_xor_and_the_status_says_so():
    run = train_playground("XOR", 0.1, 8, "tanh", 0.05)
    assert run.accuracy == 1.0 and run.losses[-1] < 0.05
    assert "training accuracy 100.0%" in describe_playground(run)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(dataset=st.sampled_from(sorted(DATASETS)), noise=st.floats(0, 0.5), hidden=st.integers(1, 32),
       activation=st.sampled_from(["tanh", "relu", "sigmoid", "leaky_relu"]), lr=st.floats(1e-3, 1.0))
def test_every_setting_gives_finite_pictures_or_says_it_diverged(dataset, noise, hidden, activation, lr):
    run = train_playground(dataset, noise, hidden, activation, lr, steps=60)
    if run.diverged_at is None:
        assert np.isfinite(run.losses).all() and np.isfinite(run.surface.probabilities).all()
        assert 0 <= run.accuracy <= 1 and len(run.losses) == 60
    else:
        assert "diverged at step" in describe_playground(run)


def test_divergence_is_reported_not_drawn():
    run = train_playground("moons", 0.1, 4, "relu", 1e200, steps=20)
    assert run.diverged_at is not None and run.surface is None and np.isfinite(run.losses).all()
    assert f"diverged at step {run.diverged_at}" in describe_playground(run)
    e = playground_explorer()
    e.draw(run, e.figure.clf() or e.figure)
    assert all(not ax.images for ax in e.figure.axes)


def test_bad_dataset_is_named():
    with pytest.raises(ValueError, match="dataset must be one of"):
        train_playground("circles")
