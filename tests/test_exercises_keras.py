"""Notebook 06's checker: right loops written differently pass, each slip gets exactly its hint, shortcuts fail."""
import numpy as np
import pytest

from helpers.exercises import check_training_loop
from helpers.exercises.keras import HINTS, reference_loop
from helpers.losses import keras_mse, mse
from helpers.training import fit


def by_forward_backward(model, x, y, optimizer, epochs, batch_size):
    history = []
    for _ in range(epochs):
        total = 0.0
        for start in range(0, len(x), batch_size):
            xb, yb = x[start : start + batch_size], y[start : start + batch_size]
            out, cache = model.forward(xb)
            loss, dout = keras_mse(out, yb)
            _, grads = model.backward(dout, cache)
            optimizer.step(model.params, grads)
            total += loss * len(xb)
        history.append(total / len(x))
    return history


def by_train_step(model, x, y, optimizer, epochs, batch_size):
    batches = np.array_split(np.arange(len(x)), range(batch_size, len(x), batch_size))
    return [np.average([model.train_step(x[b], y[b], keras_mse, optimizer) for b in batches], weights=[len(b) for b in batches]) for _ in range(epochs)]


def by_fit(model, x, y, optimizer, epochs, batch_size):
    return fit(model, x, y, keras_mse, optimizer, epochs=epochs, batch_size=batch_size).astype(np.float32)


@pytest.mark.parametrize("train", [by_forward_backward, by_train_step, by_fit])
def test_right_loops_written_differently_pass_without_hints(train, capsys):
    feedback = check_training_loop(train)
    assert feedback and feedback.hints == ()
    assert capsys.readouterr().out.splitlines()[-1] == "All 5 cases right."


@pytest.mark.parametrize(
    "slip, hints",
    [
        ({"sign": -1.0}, (HINTS["sign"],)),
        ({"loss_fn": mse}, (HINTS["half_loss"], HINTS["half"])),
        ({"grad_fn": mse}, (HINTS["half"],)),
        ({"accumulate": True}, (HINTS["accumulate"],)),
        ({"drop_last": True}, (HINTS["drop_last"],)),
        ({"report": "batch_mean"}, (HINTS["batch_mean"],)),
        ({"report": "sum"}, (HINTS["sum"],)),
    ],
)
def test_each_slip_gets_exactly_its_hint(slip, hints):
    feedback = check_training_loop(lambda model, x, y, optimizer, epochs, batch_size: reference_loop(model, x, y, optimizer, epochs, batch_size, **slip))
    assert not feedback and feedback.hints == hints


def test_one_whole_batch_step_per_epoch_is_named():
    feedback = check_training_loop(lambda model, x, y, optimizer, epochs, batch_size: reference_loop(model, x, y, optimizer, epochs, len(x)))
    assert not feedback and feedback.hints == (HINTS["whole"],)


def test_hard_coded_sizes_and_ignored_arguments_fail():
    def shown_size(model, x, y, optimizer, epochs, batch_size):  # 200 samples, as in the notebook
        return [np.mean([model.train_step(x[i : i + 1], y[i : i + 1], keras_mse, optimizer) for i in range(200) if i < len(x)]) for _ in range(epochs)]

    ignores_epochs = lambda model, x, y, optimizer, epochs, batch_size: by_forward_backward(model, x, y, optimizer, 3, batch_size)
    ignores_batch = lambda model, x, y, optimizer, epochs, batch_size: by_forward_backward(model, x, y, optimizer, epochs, 1)
    ignores_optimizer = lambda model, x, y, optimizer, epochs, batch_size: by_forward_backward(model, x, y, __import__("helpers.optimizers").optimizers.Adam(0.01), epochs, batch_size)
    for wrong in (shown_size, ignores_epochs, ignores_batch, ignores_optimizer):
        assert not check_training_loop(wrong)


def test_in_place_changes_and_unfilled_stubs_are_told(capsys):
    def shuffles_in_place(model, x, y, optimizer, epochs, batch_size):
        x[:] = x[::-1]
        y[:] = y[::-1]
        return by_forward_backward(model, x, y, optimizer, epochs, batch_size)

    assert not check_training_loop(shuffles_in_place)
    assert "changed its input x, t in place" in capsys.readouterr().out

    def stub(model, x, y, optimizer, epochs, batch_size):
        raise NotImplementedError("your turn")

    assert not check_training_loop(stub)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "not filled in yet" in out
    assert not check_training_loop(None)
    assert "expected a function train(model, x, t" in capsys.readouterr().out
    assert not check_training_loop(lambda model, x, y, optimizer, epochs, batch_size: None)
    assert "expected a number" in capsys.readouterr().out
