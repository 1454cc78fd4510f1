"""The memory task: stacking seeds changes nothing, clipping needs one seed, overflow is recorded."""
import numpy as np
import pytest

from helpers.memory_task import recall_task, stacked_init, train_recall


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_each_stacked_seed_follows_its_own_run_exactly(cell):
    together = train_recall(cell, 4, seeds=(3, 5, 7), steps=8, hidden=3, keep_bias=(0.0, 1.0, 2.0) if cell != "rnn" else None)
    alone = train_recall(cell, 4, seeds=(5,), steps=8, hidden=3, keep_bias=1.0 if cell != "rnn" else None)
    np.testing.assert_allclose(together.losses[:, 1], alone.losses[:, 0], rtol=1e-12)
    assert together.accuracy[1] == alone.accuracy[0]


def test_the_blocks_stay_block_diagonal():
    run = train_recall("lstm", 3, seeds=(0, 1), steps=5, hidden=2)
    _, masks = stacked_init("lstm", 2, (0, 1))
    for key, mask in masks.items():
        assert not np.any(run.params[key][mask == 0])


def test_recall_task_targets_are_the_first_sign():
    x, t = recall_task(50, 7, np.random.default_rng(0))
    assert x.shape == (50, 7, 1) and np.array_equal(t, (x[:, 0, 0] > 0).astype(float))
    assert np.all(np.abs(x) <= 1)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="clip needs a single seed"):
        train_recall("rnn", 3, seeds=(0, 1), clip=1.0)
    with pytest.raises(ValueError, match="keep_bias must be one value or one per seed"):
        train_recall("lstm", 3, seeds=(0, 1), keep_bias=(1.0,))
    with pytest.raises(ValueError, match="optimizer must be"):
        train_recall("rnn", 3, optimizer="rmsprop")


def test_an_overflow_is_recorded_not_raised():
    run = train_recall("rnn", 30, seeds=(0,), hidden=32, spectral_radius=3.0, optimizer="sgd", lr=1e307, steps=20)
    assert run.overflow_at is not None and np.isnan(run.accuracy).all() and np.isnan(run.losses[-1]).all()
