"""Checker for notebook 06's exercise: the training loop of the Keras example, per sample or in mini-batches.

The student writes ``train(model, x, t, optimizer, epochs, batch_size)``: for
every epoch, for every batch of ``batch_size`` samples in order (the last one
may be smaller), forward, Keras's MSE, backward, ``optimizer.step``; it returns
each epoch's loss, the mean over the epoch's *samples* of the batch losses (as
Keras reports it). The reference is :func:`helpers.training.fit`. The checker
runs the loop on several problems unlike the notebook's (other sizes, one
sample, a batch that does not divide the data, SGD, momentum and Adam, other
learning rates), so a hard-coded size, an ignored argument or a built-in
optimizer fails; SGD cases make a gradient that is off by a factor visible in
the weights (Adam would hide it).
"""
import numpy as np

from ..datasets import regression_1d
from ..losses import keras_mse, mse
from ..network import Dense, Sequential
from ..optimizers import SGD, Adam, Momentum
from ..training import fit
from .core import Case, check_function

SIGNATURE = "train(model, x, t, optimizer, epochs, batch_size)"

TRAINING_CASES = (
    # label, samples, hidden units, epochs, batch size, optimizer
    ("12 samples, per sample, SGD(0.1)", 12, 4, 3, 1, lambda: SGD(0.1)),
    ("7 samples in batches of 3 (the last has 1), SGD(0.2)", 7, 3, 2, 3, lambda: SGD(0.2)),
    ("1 sample, 4 epochs, momentum", 1, 5, 4, 1, lambda: Momentum(0.05, 0.9)),
    ("10 samples in batches of 4, Adam(0.02)", 10, 6, 2, 4, lambda: Adam(0.02)),
    ("9 samples in one batch of 9, SGD(0.3)", 9, 2, 3, 9, lambda: SGD(0.3)),
)
"""The checker's problems: none is the notebook's 200 samples, 10 hidden units, Adam(0.01)."""

HINTS = {
    "sign": "the step goes against the gradient: pass grads to optimizer.step, not −grads",
    "half": "that is ½MSE's gradient (helpers.losses.mse), half of Keras's: use the dout of keras_mse",
    "accumulate": "the gradients add up from step to step: each step needs this batch's gradients only, not a running sum",
    "whole": "that is one step per epoch on all the samples: take one step per batch of batch_size samples",
    "drop_last": "the last, smaller batch is missing: when batch_size does not divide the samples, the remainder is a batch too",
    "half_loss": "that is ½MSE's loss (helpers.losses.mse); the Keras example reports keras_mse, mean((y − t)²)",
    "batch_mean": "an epoch's loss is the mean over its samples: weight each batch's loss by its size (a smaller last batch counts less)",
    "sum": "each epoch's loss is the mean of its batches' losses weighted by size, not their sum",
}


def reference_loop(model, x, y, optimizer, epochs, batch_size, *, loss_fn=keras_mse, grad_fn=None, sign=1.0, accumulate=False, drop_last=False, report="mean"):
    """The exercise's loop with the classic slips as switches (the right loop is :func:`helpers.training.fit`)."""
    n, total, history = len(x), None, []
    for _ in range(epochs):
        starts = range(0, n - n % batch_size if drop_last else n, batch_size)
        losses, sizes = [], []
        for start in starts:
            xb, yb = x[start : start + batch_size], y[start : start + batch_size]
            out, cache = model.forward(xb)
            loss, dout = loss_fn(out, yb)
            if grad_fn is not None:
                dout = grad_fn(out, yb)[1]
            _, grads = model.backward(sign * dout, cache)
            if accumulate:
                total = grads if total is None else {k: total[k] + grads[k] for k in grads}
                grads = total
            optimizer.step(model.params, grads)
            losses.append(loss)
            sizes.append(len(xb))
        losses, sizes = np.array(losses), np.array(sizes)
        history.append({"mean": np.sum(losses * sizes) / np.sum(sizes), "batch_mean": np.mean(losses), "sum": np.sum(losses * sizes)}[report])
    return np.array(history)


def _problem(n, hidden, seed):
    x, y = regression_1d(n, np.random.default_rng(seed))
    return x, y, lambda: Sequential([Dense(hidden, "sigmoid"), Dense(1)], input_dim=1, rng=np.random.default_rng(seed + 1))


def _flat(params):
    return np.concatenate([np.ravel(v) for v in params.values()])


def training_cases():
    """One :class:`Case` per problem of :data:`TRAINING_CASES`: its model and optimizer are fresh."""
    cases = []
    for seed, (label, n, hidden, epochs, batch_size, optimizer) in enumerate(TRAINING_CASES):
        x, y, model = _problem(n, hidden, seed)

        def run(make_loop=None, **slip):
            m = model()
            if make_loop is None:
                losses = reference_loop(m, x, y, optimizer(), epochs, batch_size, **slip)
            else:
                losses = fit(m, x, y, keras_mse, optimizer(), epochs=epochs, batch_size=batch_size)
            return _flat(m.params), losses

        right = run(make_loop=fit)
        slipped = {
            "sign": run(sign=-1.0),
            "half": run(loss_fn=mse),
            "accumulate": run(accumulate=True),
            "whole": _whole(model, x, y, optimizer, epochs),
            "drop_last": run(drop_last=True) if n % batch_size else (None, None),
        }
        weight_slips = {HINTS[k]: v[0] for k, v in slipped.items()}
        loss_slips = {
            HINTS["half_loss"]: slipped["half"][1],
            HINTS["batch_mean"]: run(report="batch_mean")[1] if n % batch_size else None,
            HINTS["sum"]: run(report="sum")[1],
        }
        cases.append(
            Case(
                label,
                (model(), x, y, optimizer(), epochs, batch_size),
                {"the loss of each epoch": right[1], "the model after training": right[0]},
                {"the loss of each epoch": loss_slips, "the model after training": weight_slips},
            )
        )
    return cases


def _whole(model, x, y, optimizer, epochs):
    m = model()
    losses = reference_loop(m, x, y, optimizer(), epochs, len(x))
    return _flat(m.params), losses


def check_training_loop(train):
    """Check a student's ``train(model, x, t, optimizer, epochs, batch_size) -> each epoch's loss``.

    The trained weights are read from the model after the call, so they are
    checked as a second quantity beside the returned losses.
    """
    if not callable(train):
        return check_function(train, [], SIGNATURE)

    def train_and_weights(model, x, y, optimizer, epochs, batch_size):
        losses = train(model, x, y, optimizer, epochs, batch_size)
        return losses, _flat(model.params)

    return check_function(train_and_weights, training_cases(), SIGNATURE)
