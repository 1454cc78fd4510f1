"""Gradient checkpointing: keep every k-th activation, recompute the rest in the backward pass.

Plain backprop keeps every layer's cache (its input ``a^{[l-1]}``, its ``z^{[l]}`` and
``a^{[l]}``) from the forward pass until the backward pass has used it: memory grows with
depth × batch × width. Checkpointing splits the ``L`` layers into segments of ``k``
layers and keeps only the activation that *enters* each segment (a checkpoint). The
backward pass walks the segments from the last to the first: it re-runs the segment's
forward pass from its checkpoint (now with caches), backpropagates through it, and lets
the caches go before the next segment. Peak memory is then about ``L/k`` checkpoints plus
one segment's ``k`` caches, smallest near ``k = √L``; the price is one more forward pass.

The arithmetic is the plain network's (``helpers.network.forward_unchecked`` and
``backward_unchecked``) on the same arrays in the same order, so the gradients are equal
to plain backprop's *bit for bit*.

Examples
--------
>>> from helpers.network import init_mlp, mlp_backward, mlp_forward
>>> rng = np.random.default_rng(0)
>>> params = init_mlp([3, 4, 4, 4, 2], rng)
>>> x, dout = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
>>> out, cache = checkpointed_forward(x, params, "tanh", segment=2)
>>> sorted(cache.checkpoints)  # a^[0] and a^[2] are kept; a^[1], a^[3] are not
[0, 2]
>>> dx, grads = checkpointed_backward(dout, cache)
>>> _, plain = mlp_backward(dout, mlp_forward(x, params, "tanh")[1])
>>> all(np.array_equal(grads[k], plain[k]) for k in plain)
True
"""
import math
import time
import tracemalloc
from typing import NamedTuple

import numpy as np

from .network import backward_unchecked, check_activation, check_mlp_params, forward_unchecked, init_mlp, mlp_backward, mlp_forward, model_array
from .validation import check_positive


class CheckpointCache(NamedTuple):
    """What the checkpointed backward pass needs: the kept activations and how to recompute the rest.

    ``checkpoints`` maps a layer index ``l`` to ``a^{[l]}`` (``a^{[0]} = x``) for the first
    layer of every segment; ``params`` and ``activations`` are the network's, kept by
    reference (no copy).
    """

    checkpoints: dict
    params: dict
    activations: tuple
    segment: int


def segment_starts(depth, segment):
    """The layers whose input is kept: ``0, k, 2k, …`` below ``depth``.

    Examples
    --------
    >>> segment_starts(7, 3)
    [0, 3, 6]
    """
    depth = check_positive(depth, "depth", integer=True)
    segment = check_positive(segment, "segment", integer=True)
    return list(range(0, depth, segment))


def segment_params(params, start, stop):
    """Layers ``start+1 … stop`` of ``params``, renamed ``W1, b1, …`` (views, not copies)."""
    return {f"{p}{l - start}": params[f"{p}{l}"] for l in range(start + 1, stop + 1) for p in "Wb"}


def recompute_segment(checkpoint, params, activations, start, stop):
    """The recompute step: re-run layers ``start+1 … stop`` from ``a^{[start]}``; returns ``(a^{[stop]}, cache)``.

    ``checkpoint`` must be the activation that *enters* layer ``start + 1``. The
    cache is an ``MLPCache`` of the segment's layers alone, ready for
    ``backward_unchecked``.
    """
    return forward_unchecked(checkpoint, segment_params(params, start, stop), tuple(activations[start:stop]))


def checkpointed_forward(x, params, activation, output_activation=None, *, segment):
    """Forward pass that keeps only ``a^{[0]}, a^{[k]}, a^{[2k]}, …``; returns ``(out, CheckpointCache)``.

    Same arguments as ``helpers.network.mlp_forward``, plus ``segment`` = ``k``, the
    number of layers per segment (1: keep every layer's input; ``L``: keep only ``x``).
    Each segment's caches are dropped as soon as its output is known.
    """
    n_layers, dtype = check_mlp_params(params)
    names = (check_activation(activation, "activation"),) * (n_layers - 1) + (check_activation(output_activation, "output_activation"),)
    x = model_array(x, "x", (None, params["W1"].shape[0]), dtype)
    segment = check_positive(segment, "segment", integer=True)
    checkpoints = {}
    a = x
    for start in segment_starts(n_layers, segment):
        checkpoints[start] = a
        a = recompute_segment(a, params, names, start, min(start + segment, n_layers))[0]  # the caches are dropped here
    return a, CheckpointCache(checkpoints, params, names, segment)


def checkpointed_backward(dout, cache, *, need_dx=True):
    """Backward pass of :func:`checkpointed_forward`: per segment, last first, recompute then backprop.

    Returns ``(dx, grads)`` exactly as ``helpers.network.mlp_backward`` does.
    """
    if not isinstance(cache, CheckpointCache):
        raise TypeError(f"cache must be the CheckpointCache that checkpointed_forward returned; got {type(cache).__name__}")
    n_layers = len(cache.activations)
    last = cache.params[f"W{n_layers}"]
    dout = model_array(dout, "dout", (cache.checkpoints[0].shape[0], last.shape[1]), last.dtype)
    grads, d = {}, dout
    for start in reversed(segment_starts(n_layers, cache.segment)):
        stop = min(start + cache.segment, n_layers)
        _, seg_cache = recompute_segment(cache.checkpoints[start], cache.params, cache.activations, start, stop)
        d, seg_grads = backward_unchecked(d, seg_cache, need_dx or start > 0)
        for key, value in seg_grads.items():
            grads[f"{key[0]}{int(key[1:]) + start}"] = value
        del seg_cache  # this segment's caches go before the next segment is recomputed
    return d, {f"{p}{l}": grads[f"{p}{l}"] for l in range(1, n_layers + 1) for p in "Wb"}


# --- what it costs: predicted from the shapes, measured with tracemalloc ---------------------


def predicted_floats(depth, width, batch, segment=None):
    """Floats held for the backward pass at its peak, counted from the shapes.

    A layer's cache holds its ``z`` and ``a`` (``2 · batch · width`` floats; its input
    is the previous layer's ``a``, shared, not copied; ``x`` itself is not counted).
    Plain backprop (``segment=None``) holds all ``depth`` caches: ``2 · depth`` arrays of
    ``batch · width``. With segments of ``k`` layers it holds the checkpoints (one per
    segment after the first) plus the caches of the one segment being recomputed:
    ``⌈depth/k⌉ − 1 + 2·min(k, depth)`` arrays. Every layer here is ``width`` wide
    (square ``W``), as in :func:`square_mlp`. The gradients (``depth · (width² + width)``
    floats) come on top, for both.

    Examples
    --------
    >>> predicted_floats(16, 10, 2), predicted_floats(16, 10, 2, segment=4)
    (640, 220)
    """
    depth = check_positive(depth, "depth", integer=True)
    per_layer = check_positive(batch, "batch", integer=True) * check_positive(width, "width", integer=True)
    if segment is None:
        return 2 * depth * per_layer
    segment = check_positive(segment, "segment", integer=True)
    n_segments = math.ceil(depth / segment)
    return (n_segments - 1 + 2 * min(segment, depth)) * per_layer


def best_segment(depth):
    """The segment length ``k`` with the fewest predicted floats: near ``√(depth/2)``, of the order of ``√depth``.

    ``⌈L/k⌉ − 1 + 2k`` is smallest where ``L/k² = 2``.

    Examples
    --------
    >>> best_segment(16), best_segment(64), best_segment(1)
    (2, 5, 1)
    """
    depth = check_positive(depth, "depth", integer=True)
    return min(range(1, depth + 1), key=lambda k: (predicted_floats(depth, 1, 1, k), k))


def square_mlp(depth, width, rng):
    """Parameters of ``depth`` dense layers of ``width → width`` (He-scaled, for ReLU)."""
    return init_mlp([width] * (depth + 1), rng, scale="he")


class Cost(NamedTuple):
    """Peak bytes allocated during forward + backward (tracemalloc), and the seconds an untraced run took."""

    peak_bytes: int
    seconds: float


def forward_backward(x, params, dout, segment=None, activation="relu"):
    """One forward + backward pass, plain (``segment=None``) or checkpointed; returns the gradients."""
    if segment is None:
        _, cache = mlp_forward(x, params, activation)
        return mlp_backward(dout, cache, need_dx=False)[1]
    _, cache = checkpointed_forward(x, params, activation, segment=segment)
    return checkpointed_backward(dout, cache, need_dx=False)[1]


def measure(x, params, dout, segment=None, activation="relu", trace=True):
    """Peak memory (tracemalloc) and time of one forward + backward; ``segment=None`` is plain backprop.

    The peak counts every array allocated after the start, the input and the
    parameters excluded (they exist before and after). The gradients are part of it.
    Tracing slows every allocation, so the time is that of a second, untraced run;
    with ``trace=False`` only that run happens and ``peak_bytes`` is 0.
    """
    peak = peak_bytes(x, params, dout, segment, activation) if trace else 0
    t0 = time.perf_counter()
    forward_backward(x, params, dout, segment, activation)
    return Cost(int(peak), time.perf_counter() - t0)


def predicted_passes(depth, segment=None):
    """Work in layer-forward units: a forward pass costs ``depth``, a backward about ``2·depth`` (two products per layer).

    Checkpointing adds one more forward pass (every segment recomputed once), whatever ``k``.

    Examples
    --------
    >>> predicted_passes(10), predicted_passes(10, segment=3)
    (30, 40)
    """
    depth = check_positive(depth, "depth", integer=True)
    return 3 * depth if segment is None else 4 * depth


class CheckpointCosts(NamedTuple):
    """Memory and work of plain backprop and of segments of ``k`` layers, for one network.

    Bytes are activation memory predicted from the shapes (:func:`predicted_floats` × 8),
    the gradients' bytes (the same for both), and, when measured, the peak tracemalloc
    saw (gradients included; None when not measured); ``curve`` is the predicted
    activation bytes for every ``k`` from 1 to ``depth``.
    """

    depth: int
    segment: int
    width: int
    batch: int
    predicted_plain: int
    predicted_checkpointed: int
    gradient_bytes: int
    measured_plain: int | None
    measured_checkpointed: int | None
    passes_plain: int
    passes_checkpointed: int
    curve: np.ndarray
    best: int


def checkpoint_costs(depth, segment, width=32, batch=128, measured=False, seed=0):
    """Predicted (and, if ``measured``, tracemalloc-measured) costs of a ``depth``-layer ReLU net of ``width`` units.

    A ``segment`` longer than the network is taken as the whole network. Measuring
    runs one plain and one checkpointed forward + backward under tracemalloc.

    Examples
    --------
    >>> costs = checkpoint_costs(16, 4)
    >>> costs.predicted_plain // costs.predicted_checkpointed, costs.best, costs.measured_plain
    (2, 2, None)
    """
    depth = check_positive(depth, "depth", integer=True)
    segment = min(check_positive(segment, "segment", integer=True), depth)
    curve = np.array([predicted_floats(depth, width, batch, k) * 8 for k in range(1, depth + 1)])
    plain_bytes = measured_bytes = None
    if measured:
        rng = np.random.default_rng(seed)
        params = square_mlp(depth, width, rng)
        x, dout = rng.normal(size=(batch, width)), rng.normal(size=(batch, width))
        plain_bytes = peak_bytes(x, params, dout, None)
        measured_bytes = peak_bytes(x, params, dout, segment)
    return CheckpointCosts(
        depth, segment, width, batch,
        predicted_floats(depth, width, batch) * 8, predicted_floats(depth, width, batch, segment) * 8,
        depth * (width * width + width) * 8, plain_bytes, measured_bytes,
        predicted_passes(depth), predicted_passes(depth, segment), curve, best_segment(depth),
    )


def peak_bytes(x, params, dout, segment=None, activation="relu"):
    """Peak bytes tracemalloc sees during one forward + backward (allocated after the start; see :func:`measure`)."""
    started_here = not tracemalloc.is_tracing()
    if started_here:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    forward_backward(x, params, dout, segment, activation)
    peak = tracemalloc.get_traced_memory()[1] - base
    if started_here:
        tracemalloc.stop()
    return int(peak)
