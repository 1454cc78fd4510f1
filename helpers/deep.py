"""Deep MLPs for the vanishing/exploding-gradient lab: per-layer gradient norms and activation health.

A deep net of ``depth`` hidden layers of one ``width``, then a linear readout::

    z_l = h_{l−1} W_l + b_l,   u_l = BN(z_l) (optional),   a_l = f(u_l),
    h_l = h_{l−1} + a_l (residual, where the widths match) or h_l = a_l,
    out = h_L W_{L+1} + b_{L+1}.

It composes the existing pieces: the dense layer and its backward are the
unchecked kernels of :mod:`helpers.network` (one layer at a time), the
activations are :data:`helpers.activations.KERNELS`, batch norm is
:mod:`helpers.batchnorm`'s kernels, and parameters start from
:func:`helpers.network.init_mlp`. Arguments are checked once at the entry
points; inside, nothing is converted, so an exploding run is allowed to reach
inf — the training loop watches for it under ``np.errstate`` and *says* where it
happened instead of warning.
"""
from typing import NamedTuple

import numpy as np

from .activations import KERNELS
from .batchnorm import EPS, ONE_EXAMPLE, bn_kernel_backward, bn_kernel_forward, check_batch, init_batchnorm
from .clipping import norm_kernel, scale_kernel
from .losses import mse
from .network import backward_unchecked, check_mlp_params, forward_unchecked, init_mlp
from .optimizers import SGD
from .validation import as_array, check_cache, check_positive, check_rng

ACTIVATION_NAMES = ("sigmoid", "tanh", "relu")
"""The hidden activations of the lab."""

INITS = {"std 1": 1.0, "std 0.01": 0.01, "xavier": "xavier", "he": "he"}
"""The lab's initializations by name: a fixed standard deviation, or Glorot (Xavier) or He."""

SATURATION = 0.01
"""A unit counts as saturated where its local derivative ``f'(u)`` is below this (it passes back under 1/100)."""


class DeepLayerCache(NamedTuple):
    """One hidden layer's memory for backprop: dense, batch norm (or None), activation, residual."""

    dense: object
    bn: object
    act: object
    residual: bool


class DeepCache(NamedTuple):
    """What :func:`deep_backward` needs: every hidden layer's cache and the readout's."""

    layers: tuple
    readout: object
    activation: str


class LayerStats(NamedTuple):
    """Activation health per hidden layer (arrays of length ``depth``)."""

    saturated: np.ndarray
    """Share of (example, unit) pairs with ``f'(u) < SATURATION``: little gradient passes."""
    dead: np.ndarray
    """Share of units whose output is 0 for every example of the batch (dead ReLUs)."""
    mean: np.ndarray
    std: np.ndarray


class TrainRun(NamedTuple):
    """A short training run: the losses and per-layer gradient norms of each finite step."""

    losses: np.ndarray
    """Loss before each update, for the steps that stayed finite."""
    norms: np.ndarray
    """(steps, depth + 1): ``‖dW_l‖`` at each of those steps."""
    global_norms: np.ndarray
    """The global gradient norm before clipping, at each of those steps."""
    overflow_at: int | None
    """The step at which the loss or a gradient became inf or NaN, or None."""
    clip: float | None
    stats: LayerStats
    """Activation health at the first step (the initialization)."""
    final_stats: LayerStats
    """Activation health at the last forward pass that stayed finite."""


def init_deep(depth, width, rng, *, scale="xavier", batchnorm=False, d_in=None, d_out=1):
    """Parameters of a deep MLP: ``W1, b1, …, W{depth+1}, b{depth+1}`` and, with batch norm, ``gamma{l}, beta{l}``.

    Weights come from :func:`helpers.network.init_mlp` (``scale``: a standard
    deviation, ``"xavier"``, ``"lecun"`` or ``"he"``, or a name in :data:`INITS`);
    the input width ``d_in`` defaults to ``width``.

    Examples
    --------
    >>> p = init_deep(2, 4, np.random.default_rng(0), batchnorm=True)
    >>> [(k, v.shape) for k, v in p.items()][:4], list(p)[-2:]
    ([('W1', (4, 4)), ('b1', (4,)), ('gamma1', (4,)), ('beta1', (4,))], ['W3', 'b3'])
    """
    depth = check_positive(depth, "depth", integer=True)
    width = check_positive(width, "width", integer=True)
    d_in = width if d_in is None else check_positive(d_in, "d_in", integer=True)
    scale = INITS.get(scale, scale) if isinstance(scale, str) else scale
    mlp = init_mlp([d_in] + [width] * depth + [check_positive(d_out, "d_out", integer=True)], check_rng(rng), scale=scale)
    params = {}
    for l in range(1, depth + 2):
        params[f"W{l}"], params[f"b{l}"] = mlp[f"W{l}"], mlp[f"b{l}"]
        if batchnorm and l <= depth:
            bn = init_batchnorm(width)
            params[f"gamma{l}"], params[f"beta{l}"] = bn["gamma"], bn["beta"]
    return params


def deep_forward(x, params, activation, *, residual=False):
    """Forward through the deep net of ``params`` (batch norm where ``gamma{l}`` is present); ``(out, cache)``.

    Parameters
    ----------
    x : array, shape (N, D_in); N ≥ 2 with batch norm
    params : dict from :func:`init_deep`
    activation : "sigmoid", "tanh" or "relu"
    residual : bool
        Add each hidden layer's input to its output where the widths match.

    Values may overflow to inf on purpose (exploding nets): the caller decides
    what to do, under ``np.errstate``.
    """
    depth = _check_deep(params)
    if activation not in ACTIVATION_NAMES:
        raise ValueError(f"activation must be one of {list(ACTIVATION_NAMES)}; got {activation!r}")
    x = _input(x, params)
    return _forward(x, params, activation, bool(residual), depth)


def deep_backward(dout, cache):
    """Backward through a :func:`deep_forward` cache; returns ``(dx, grads)`` with the params' keys."""
    check_cache(cache, DeepCache, "deep_forward")
    readout = cache.readout.layers[0].dense
    dout = as_array(dout, "dout", shape=(readout.x.shape[0], readout.W.shape[1]))
    return _backward(dout, cache)


def weight_grad_norms(grads):
    """``‖dW_l‖`` for ``l = 1 … depth + 1`` (the last is the readout), as an array.

    Examples
    --------
    >>> weight_grad_norms({"W1": np.array([[3.0, 4.0]]), "b1": np.zeros(2), "W2": np.ones((2, 1)), "b2": np.zeros(1)}).round(4).tolist()
    [5.0, 1.4142]
    """
    if not isinstance(grads, dict) or "W1" not in grads:
        raise TypeError("grads must be the dict deep_backward returns, with keys W1, b1, ...")
    count = sum(1 for key in grads if key[0] == "W")
    return np.array([norm_kernel([grads[f"W{l}"]]) for l in range(1, count + 1)])  # no overflow for huge gradients


def layer_stats(cache):
    """Per hidden layer: the share of saturated units (``f'(u) < SATURATION``), of dead units, and ``a``'s mean and std."""
    check_cache(cache, DeepCache, "deep_forward")
    backward = KERNELS[cache.activation][1]
    saturated, dead, mean, std = [], [], [], []
    with np.errstate(over="ignore", invalid="ignore"):
        for layer in cache.layers:
            a = layer.act.a
            slope = backward(np.ones_like(a), layer.act, np.empty_like(a))  # f'(u), from the activation's own kernel
            saturated.append(np.mean(slope < SATURATION))
            dead.append(np.mean(np.all(a == 0.0, axis=0)))
            mean.append(a.mean())
            std.append(a.std())
    return LayerStats(*(np.array(v) for v in (saturated, dead, mean, std)))


def deep_task(n, width, rng):
    """A regression task for a deep net: ``x`` ~ N(0, 1) of shape (n, width), ``y = sin(x v)`` of shape (n, 1).

    Examples
    --------
    >>> x, y = deep_task(8, 4, np.random.default_rng(0))
    >>> x.shape, y.shape, bool(np.all(np.abs(y) <= 1))
    ((8, 4), (8, 1), True)
    """
    n = check_positive(n, "n", integer=True)
    width = check_positive(width, "width", integer=True)
    rng = check_rng(rng)
    v = rng.normal(0.0, 1.0 / np.sqrt(width), size=(width, 1))
    x = rng.normal(size=(n, width))
    return x, np.sin(2.0 * x @ v)


def train_deep(x, y, params, activation, *, residual=False, lr=0.01, steps=20, clip=None):
    """Train ``params`` in place with SGD on the half MSE for ``steps`` steps; returns a :class:`TrainRun`.

    With ``clip``, the gradients are clipped by global norm to ``clip`` before
    each update (:func:`helpers.clipping.clip_by_global_norm`). The run stops at
    the first step whose loss or gradient overflows to inf or NaN (computed
    under ``np.errstate``, so no warning is raised) and records that step in
    ``overflow_at``. With batch norm, ``x`` must hold at least 2 examples, as in
    :func:`deep_forward`.
    """
    depth = _check_deep(params)
    if activation not in ACTIVATION_NAMES:
        raise ValueError(f"activation must be one of {list(ACTIVATION_NAMES)}; got {activation!r}")
    x = _input(x, params)
    y = as_array(y, "y", shape=(x.shape[0], params[f"W{depth + 1}"].shape[1]))
    lr = check_positive(lr, "lr")
    steps = check_positive(steps, "steps", integer=True)
    clip = None if clip is None else check_positive(clip, "clip")
    optimizer = SGD(lr)
    losses, norms, global_norms, overflow_at, stats, last_cache = [], [], [], None, None, None
    for step in range(steps):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            out, cache = _forward(x, params, activation, bool(residual), depth)
            if stats is None:
                stats = layer_stats(cache)
            norm = np.inf
            if np.isfinite(out).all():
                last_cache = cache
                loss, dout = mse(out, y)
                _, grads = _backward(dout, cache)
                norm = norm_kernel(grads.values())  # inf or NaN when any gradient is
        if not np.isfinite(norm):
            overflow_at = step
            break
        losses.append(loss)
        norms.append(weight_grad_norms(grads))
        global_norms.append(norm)
        if clip is not None and norm > clip:
            grads = scale_kernel(grads, clip / norm)
        with np.errstate(over="ignore", invalid="ignore"):
            optimizer.step(params, grads)
    shape = (len(norms), depth + 1)
    final_stats = stats if last_cache is None else layer_stats(last_cache)
    return TrainRun(np.array(losses), np.array(norms).reshape(shape), np.array(global_norms), overflow_at, clip, stats, final_stats)


class Health(NamedTuple):
    """Everything the gradient-health dashboard shows for one setting."""

    norms: np.ndarray
    """``‖dW_l‖`` at initialization, l = 1 … depth + 1 (the last is the readout)."""
    stats: LayerStats
    run: TrainRun
    settings: dict


def gradient_health(depth, activation, init, *, batchnorm=False, residual=False, clip=None,
                    width=32, batch=64, steps=20, lr=0.05, seed=0):
    """Measure one deep net: gradient norms and activation stats at init, then a short clipped-or-not training run.

    Examples
    --------
    >>> h = gradient_health(6, "relu", "he", width=8, batch=16, steps=3)
    >>> h.norms.shape, h.stats.dead.shape, h.run.losses.shape
    ((7,), (6,), (3,))
    """
    if init not in INITS:
        raise ValueError(f"init must be one of {list(INITS)}; got {init!r}")
    batch = check_positive(batch, "batch", integer=True)
    if batchnorm and batch < 2:
        raise ValueError(f"batch must be at least 2 with batchnorm=True; got {batch}: {ONE_EXAMPLE}")
    rng = np.random.default_rng(seed)
    x, y = deep_task(batch, width, rng)
    params = init_deep(depth, width, rng, scale=init, batchnorm=batchnorm)
    run = train_deep(x, y, params, activation, residual=residual, lr=lr, steps=steps, clip=clip)
    norms = run.norms[0] if run.losses.size else np.full(depth + 1, np.inf)  # step 0 is the initialization
    settings = dict(depth=depth, activation=activation, init=init, batchnorm=bool(batchnorm), residual=bool(residual), clip=clip)
    return Health(norms, run.stats, run, settings)


def describe_health(health):
    """What happened, in words: the spread of the norms, where they vanish or explode, and the run's fate."""
    norms, run = health.norms, health.run
    lines = []
    if not np.all(np.isfinite(norms)):
        lines.append("The forward pass already overflows at initialization: the activations exploded to inf.")
    else:
        zero = np.flatnonzero(norms == 0.0)
        if zero.size:
            lines.append(f"Gradients underflow to exactly 0 at layer {zero.max() + 1} and below (nothing reaches them): they are stopped.")
        positive = norms[norms > 0]
        if positive.size:
            ratio = norms[0] / norms[-2] if norms[-2] > 0 and len(norms) > 1 else np.nan
            spread = np.log10(positive.max() / positive.min())
            span = f"At init, ‖dW‖ runs from {_sci(positive.min())} to {_sci(positive.max())}: {spread:.1f} orders of magnitude"
            lines.append(f"{span}; first/last hidden layer = {_sci(ratio)}." if np.isfinite(ratio) else f"{span}.")
    if health.stats.saturated.max() > 0.5 and health.settings["activation"] != "relu":
        lines.append(f"Up to {health.stats.saturated.max():.0%} of a layer's units are saturated (f' < {SATURATION}).")
    if health.settings["activation"] == "relu" and health.stats.dead.max() > 0:
        lines.append(f"Up to {health.stats.dead.max():.0%} of a layer's ReLUs are dead on this batch.")
    if run.overflow_at is not None:
        lines.append(f"Training exploded: overflow to inf at step {run.overflow_at}; the curve stops there.")
    elif run.losses.size > 1 and run.losses[-1] > run.losses[0]:
        lines.append(f"Training diverged: the loss rose from {_sci(run.losses[0])} to {_sci(run.losses[-1])}.")
    elif run.losses.size:
        lines.append(f"Training: loss {_sci(run.losses[0])} → {_sci(run.losses[-1])} in {run.losses.size} steps.")
    if run.clip is not None and run.global_norms.size:
        clipped = int(np.sum(run.global_norms > run.clip))
        lines.append(f"Clipping at global norm {run.clip:g} was active in {clipped} of {run.global_norms.size} steps.")
    return lines


def _sci(value):
    value = float(value)
    return f"{value:.4f}" if value == 0 or 1e-3 <= abs(value) < 1e4 else f"{value:.2e}"


# Unchecked internals: one hidden layer at a time, through the shared kernels.


def _forward(x, params, activation, residual, depth):
    act_forward = KERNELS[activation][0]
    h, layers = x, []
    for l in range(1, depth + 1):
        z, dense = forward_unchecked(h, {"W1": params[f"W{l}"], "b1": params[f"b{l}"]}, (None,))
        bn = None
        if f"gamma{l}" in params:
            z, bn = bn_kernel_forward(z, params[f"gamma{l}"], params[f"beta{l}"], EPS)
        act = act_forward(z, np.empty_like(z))
        skip = residual and h.shape == act.a.shape
        h = h + act.a if skip else act.a
        layers.append(DeepLayerCache(dense, bn, act, skip))
    out, readout = forward_unchecked(h, {"W1": params[f"W{depth + 1}"], "b1": params[f"b{depth + 1}"]}, (None,))
    return out, DeepCache(tuple(layers), readout, activation)


def _backward(dout, cache):
    depth = len(cache.layers)
    act_backward = KERNELS[cache.activation][1]
    dh, g = backward_unchecked(dout, cache.readout, True)
    grads = {f"W{depth + 1}": g["W1"], f"b{depth + 1}": g["b1"]}
    for l in range(depth, 0, -1):
        layer = cache.layers[l - 1]
        d = act_backward(dh, layer.act, np.empty_like(dh))
        if layer.bn is not None:
            d, g = bn_kernel_backward(d, layer.bn)
            grads[f"gamma{l}"], grads[f"beta{l}"] = g["gamma"], g["beta"]
        dx, g = backward_unchecked(d, layer.dense, True)
        grads[f"W{l}"], grads[f"b{l}"] = g["W1"], g["b1"]
        dh = dx + dh if layer.residual else dx
    order = [key for l in range(1, depth + 2) for key in (f"W{l}", f"b{l}", f"gamma{l}", f"beta{l}") if key in grads]
    return dh, {key: grads[key] for key in order}


def _input(x, params):
    """``x`` checked against the net: (N, D_in), and N ≥ 2 when the net uses batch norm."""
    x = as_array(x, "x", shape=(None, params["W1"].shape[0]))
    return check_batch(x) if "gamma1" in params else x


def _check_deep(params):
    """Check a deep net's params; return its depth (the number of hidden layers)."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict like init_deep returns; got {type(params).__name__}")
    check_mlp_params({k: v for k, v in params.items() if k[0] in "Wb" and k[1:].isdigit()})
    depth = sum(1 for key in params if key[0] == "W") - 1
    if depth < 1:
        raise ValueError("params must have at least one hidden layer and a readout (W1, b1, W2, b2)")
    for l in range(1, depth + 1):
        if (f"gamma{l}" in params) != ("gamma1" in params) or (f"gamma{l}" in params) != (f"beta{l}" in params):
            raise ValueError(f"params must have gamma{l} and beta{l} for every hidden layer or for none (batch norm on or off)")
        if f"gamma{l}" in params:
            width = params[f"W{l}"].shape[1]
            for key in (f"gamma{l}", f"beta{l}"):
                as_array(params[key], f"params[{key!r}]", shape=(width,))
    return depth
