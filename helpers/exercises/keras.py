"""Checker for notebook 06's exercise: the Keras example's per-sample training loop, by hand.

The student writes ``train(model, x, y, optimizer, epochs)``: for every epoch,
for every sample in order, forward, Keras's MSE, backward, ``optimizer.step``;
it returns each epoch's mean loss. The checker runs it on a small problem from
fixed weights with plain SGD (with SGD a gradient's size shows in the weights;
Adam would hide a factor of 2) and compares the trained weights and the epoch
losses with :func:`helpers.training.fit`. The slips are the same loop run with
one classic mistake, each made by wrapping the loss or the optimizer, so there
is one training loop in the course, not one per slip.
"""
import numpy as np

from ..datasets import regression_1d
from ..losses import keras_mse, mse
from ..network import Dense, Sequential
from ..optimizers import SGD
from ..training import fit
from .core import compare, report

TRAINING_EXERCISE = {"n": 12, "epochs": 3, "lr": 0.1, "seed": 6}
"""The checker's problem: ``n`` samples of ``regression_1d``, ``epochs`` epochs of SGD(``lr``)."""


def check_per_sample_training(train):
    """Check a student's ``train(model, x, y, optimizer, epochs) -> epoch losses``."""
    if not callable(train):
        return report([(False, f"✗ train must be a function train(model, x, y, optimizer, epochs); got {type(train).__name__}")])
    x, y, epochs, lr = _problem()
    model = _model()
    try:
        losses = train(model, x.copy(), y.copy(), SGD(lr), epochs)
    except Exception as exc:  # the student's code: report whatever it raised
        return report([(False, f"✗ train raised {type(exc).__name__}: {exc}")])
    weights = _flat(model.params)
    right = _run(keras_mse)
    half = _run(mse)
    weight_slips = {
        "the step goes against the gradient: pass grads to optimizer.step, not −grads": _run(_negated(keras_mse))[0],
        "that is ½MSE's gradient (helpers.losses.mse), half of Keras's: use the dout of keras_mse": half[0],
        "the gradients add up from sample to sample: each step needs this sample's gradients only, not a running sum": _run(keras_mse, accumulate=True)[0],
        "that is one step per epoch on the whole batch: the Keras example takes one step per sample, x[i:i+1]": _run(keras_mse, batch_size=x.shape[0])[0],
    }
    loss_slips = {
        "that is ½MSE's loss (helpers.losses.mse); the Keras example reports keras_mse, mean((y − t)²)": half[1],
        "that is ½MSE's value: report the loss that keras_mse returns": right[1] / 2,
        "Keras's losses, but along weights trained with ½MSE's gradient: loss and gradient must come from the same keras_mse": _run(_mixed)[1],
        "each epoch's loss is the mean of its samples' losses, not their sum": right[1] * x.shape[0],
    }
    return report(
        [
            _compare_weights(weights, right[0], weight_slips),
            compare("the loss of each epoch", losses, right[1], loss_slips),
        ]
    )


def _compare_weights(got, expected, slips):
    """``compare`` for the 13 weights, on one line: it says how far they are, not what they are."""
    if not np.all(np.isfinite(got)):
        return False, "✗ the trained weights are not finite: did training diverge?"
    ok, line = compare("the trained weights", got, expected, slips)
    if ok:
        return True, "✓ the trained weights match the reference loop's"
    error = np.max(np.abs(got - expected) / np.maximum(np.abs(expected), 1e-12))
    hint = line.partition(". Hint: ")[2]
    return False, f"✗ the trained weights differ from the reference loop's (relative error {error:.1e})" + (f". Hint: {hint}" if hint else "")


def _problem():
    e = TRAINING_EXERCISE
    x, y = regression_1d(e["n"], np.random.default_rng(e["seed"]))
    return x, y, e["epochs"], e["lr"]


def _model():
    return Sequential([Dense(4, "sigmoid"), Dense(1)], input_dim=1, rng=np.random.default_rng(TRAINING_EXERCISE["seed"] + 1))


def _flat(params):
    return np.concatenate([np.ravel(v) for v in params.values()])


def _run(loss_fn, *, accumulate=False, batch_size=1):
    """The reference loop, with ``loss_fn`` and optionally the slips of the optimizer or the batch."""
    x, y, epochs, lr = _problem()
    model = _model()
    optimizer = _Accumulating(SGD(lr)) if accumulate else SGD(lr)
    losses = fit(model, x, y, loss_fn, optimizer, epochs=epochs, batch_size=batch_size)
    return _flat(model.params), losses


def _negated(loss_fn):
    def negated(out, y):
        loss, dout = loss_fn(out, y)
        return loss, -dout

    return negated


def _mixed(out, y):
    """Keras's loss reported, ½MSE's gradient used."""
    return keras_mse(out, y)[0], mse(out, y)[1]


class _Accumulating:
    """An optimizer that steps with the sum of every gradient so far: gradients never cleared."""

    def __init__(self, optimizer):
        self.optimizer, self.total = optimizer, None

    def step(self, params, grads):
        if self.total is None:
            self.total = {k: np.zeros_like(g) for k, g in grads.items()}
        for k, g in grads.items():
            self.total[k] += g
        self.optimizer.step(params, self.total)
