"""Notebook 06's checker passes the right loop, names each classic slip, and survives unfinished answers."""
import numpy as np
import pytest

from helpers.exercises import check_per_sample_training
from helpers.losses import keras_mse, mse


def make_train(loss_fn=keras_mse, grad_from=None, sign=1.0, accumulate=False, whole_batch=False, report="mean"):
    """A student's loop, right by default, with one slip switched on by the arguments."""

    def train(model, x, y, optimizer, epochs):
        history, total = [], None
        for _ in range(epochs):
            losses = []
            batches = [slice(0, len(x))] if whole_batch else [slice(i, i + 1) for i in range(len(x))]
            for b in batches:
                out, cache = model.forward(x[b])
                loss, dout = loss_fn(out, y[b])
                if grad_from is not None:
                    dout = grad_from(out, y[b])[1]
                _, grads = model.backward(sign * dout, cache)
                if accumulate:
                    total = grads if total is None else {k: total[k] + grads[k] for k in grads}
                    grads = total
                optimizer.step(model.params, grads)
                losses.append(loss)
            history.append(np.mean(losses) if report == "mean" else np.sum(losses))
        return history

    return train


def test_the_right_loop_passes(capsys):
    assert check_per_sample_training(make_train())
    out = capsys.readouterr().out
    assert out.count("✓") == 2 and "✗" not in out


def test_a_loop_through_model_gradients_and_train_step_passes_too(capsys):
    def train(model, x, y, optimizer, epochs):
        history = []
        for _ in range(epochs):
            history.append(np.mean([model.train_step(x[i : i + 1], y[i : i + 1], keras_mse, optimizer) for i in range(len(x))]))
        return history

    assert check_per_sample_training(train)


@pytest.mark.parametrize(
    "slip, weight_hint, loss_hint",
    [
        ({"sign": -1.0}, "against the gradient", None),
        ({"loss_fn": mse}, "½MSE's gradient", "½MSE's loss"),
        ({"grad_from": mse}, "½MSE's gradient", "must come from the same keras_mse"),
        ({"loss_fn": mse, "grad_from": keras_mse}, None, "½MSE's value"),
        ({"accumulate": True}, "add up from sample to sample", None),
        ({"whole_batch": True}, "one step per epoch on the whole batch", None),
        ({"report": "sum"}, None, "not their sum"),
    ],
)
def test_each_slip_is_named(capsys, slip, weight_hint, loss_hint):
    assert not check_per_sample_training(make_train(**slip))
    lines = capsys.readouterr().out.splitlines()
    weights_line = next(l for l in lines if "weights" in l)
    losses_line = next(l for l in lines if "loss of each epoch" in l)
    if weight_hint:
        assert weights_line.startswith("✗") and weight_hint in weights_line
    else:
        assert weights_line.startswith("✓")
    if loss_hint:
        assert losses_line.startswith("✗") and loss_hint in losses_line


def test_unfinished_answers_get_a_message_not_a_traceback(capsys):
    assert not check_per_sample_training(None)
    assert "train must be a function" in capsys.readouterr().out
    assert not check_per_sample_training(lambda model, x, y, optimizer, epochs: None)
    assert "expected a number of shape (3,)" in capsys.readouterr().out

    def diverges(model, x, y, optimizer, epochs):
        model.params["W1"][:] = np.nan
        return [0.0] * epochs

    assert not check_per_sample_training(diverges)
    assert "weights are not finite" in capsys.readouterr().out

    def wrong_shape(model, x, y, optimizer, epochs):
        model.forward(x[0])  # shape (1,): not a batch

    assert not check_per_sample_training(wrong_shape)
    assert "train raised ValueError: x must be (N, 1)" in capsys.readouterr().out
