"""Training loops over a dataset: one step per sample, or per mini-batch.

The Keras example of the article this course grew from trains one ``(x, y)`` pair at a time, with a
``GradientTape`` step for each; Keras's own ``model.fit`` takes mini-batches.
:func:`fit` does both with a :class:`helpers.network.Sequential` (or anything
with a ``train_step(x, y, loss_fn, optimizer)``): ``batch_size=1`` is the
per-sample loop, a larger ``batch_size`` the mini-batch one.
"""
import numpy as np

from .validation import as_array, check_positive, check_rng, is_class_labels


def fit(model, x, y, loss_fn, optimizer, *, epochs, batch_size=1, rng=None):
    """Train ``model`` for ``epochs`` passes over ``(x, y)``; returns the mean loss of each epoch.

    Each epoch walks through the samples in order (or in a new random order
    drawn from ``rng``, when given) in batches of ``batch_size``; each batch is
    one ``model.train_step``: forward, loss, backward, update. The last batch of
    an epoch may be smaller. An epoch's loss is the mean over its samples of
    the losses of the steps, as Keras reports it: the loss *during* the epoch,
    while the weights were still changing.

    Parameters
    ----------
    model : object with ``train_step(x, y, loss_fn, optimizer) -> loss``
        E.g. a :class:`helpers.network.Sequential`; its params are updated in place.
    x : array, shape (N, D_in)
    y : array, shape (N, D_out), or integer class labels of shape (N,)
        Labels suit a classifier trained with ``softmax_cross_entropy_with_logits``.
    loss_fn : callable ``(out, y) -> (loss, dout)``, e.g. ``helpers.losses.keras_mse``
    optimizer : object with ``step(params, grads)``, e.g. ``helpers.optimizers.Adam``
    epochs : int
    batch_size : int, 1 to N
        1 is the per-sample loop of the Keras example.
    rng : numpy.random.Generator or None
        Shuffles the samples at every epoch; None keeps their order.

    Returns
    -------
    array, shape (epochs,)

    Examples
    --------
    >>> from helpers.datasets import regression_1d
    >>> from helpers.losses import keras_mse
    >>> from helpers.network import Dense, Sequential
    >>> from helpers.optimizers import Adam
    >>> rng = np.random.default_rng(0)
    >>> x, y = regression_1d(40, rng)
    >>> model = Sequential([Dense(10, "sigmoid"), Dense(1)], input_dim=1, rng=rng)
    >>> losses = fit(model, x, y, keras_mse, Adam(0.01), epochs=5)
    >>> losses.shape, bool(losses[-1] < losses[0])
    ((5,), True)
    """
    if not callable(getattr(model, "train_step", None)):
        raise TypeError(f"model must have a train_step(x, y, loss_fn, optimizer) method, like Sequential; got {type(model).__name__}")
    x = as_array(x, "x", ndim=2)
    y = y if is_class_labels(y) else as_array(y, "y", ndim=2)
    n = x.shape[0]
    if y.shape[0] != n:
        raise ValueError(f"y must have one row per row of x, {n}; got shape {y.shape}")
    epochs = check_positive(epochs, "epochs", integer=True)
    batch_size = check_positive(batch_size, "batch_size", integer=True)
    if batch_size > n:
        raise ValueError(f"batch_size must be at most the number of samples, {n}; got {batch_size}")
    if rng is not None:
        rng = check_rng(rng)
    history = np.empty(epochs)
    for epoch in range(epochs):
        order = rng.permutation(n) if rng is not None else np.arange(n)
        total = 0.0
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            total += model.train_step(x[batch], y[batch], loss_fn, optimizer) * batch.size
        history[epoch] = total / n
    return history
