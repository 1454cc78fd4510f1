"""Data-parallel training, simulated: K workers, one shard each, and an all-reduce of their gradients.

Each worker holds a copy of the parameters and a shard of the batch. It computes the
gradient of the *mean* loss over its shard, ``g_k``. The full batch's mean loss is
``(1/N) Σ_n ℓ_n = Σ_k (N_k/N) · (1/N_k) Σ_{n∈k} ℓ_n``, so its gradient is the
weighted sum ``Σ_k (N_k/N) g_k``: the plain average ``(1/K) Σ_k g_k`` is right only when
every shard has the same size.

An all-reduce leaves the sum of every worker's vector on every worker. The ring
all-reduce does it in ``2(K − 1)`` steps: a reduce-scatter (each worker ends up owning
the full sum of one of K chunks) and an all-gather (the summed chunks travel round the
ring). Each worker sends ``2(K − 1)/K · P`` numbers for a vector of ``P``: almost ``2P``,
however many workers there are.
"""
from typing import NamedTuple

import numpy as np

from .validation import as_array, check_positive


def shard_sizes(n, k):
    """How ``n`` examples split over ``k`` workers as evenly as they can (the first ones get one more).

    Examples
    --------
    >>> shard_sizes(10, 3)
    [4, 3, 3]
    """
    n, k = check_positive(n, "n", integer=True), check_positive(k, "k", integer=True)
    if k > n:
        raise ValueError(f"k must be at most n = {n} (every worker needs an example); got {k}")
    return [n // k + (i < n % k) for i in range(k)]


def split_batch(x, sizes):
    """Split the rows of ``x`` into consecutive shards of the given sizes."""
    x = np.asarray(x)
    if sum(sizes) != len(x) or min(sizes) < 1:
        raise ValueError(f"sizes must be positive and add up to the {len(x)} rows of x; got {list(sizes)}")
    return np.split(x, np.cumsum(sizes)[:-1])


def combine(shard_grads, sizes, weighted=True):
    """The all-reduced gradient: ``Σ_k (N_k/N) g_k`` (``weighted``), or the plain mean ``(1/K) Σ_k g_k``.

    ``shard_grads`` is a list of dicts (one per worker) with the same keys.

    Examples
    --------
    >>> g = [{"w": np.array([1.0])}, {"w": np.array([4.0])}]
    >>> combine(g, [3, 1])["w"].tolist(), combine(g, [3, 1], weighted=False)["w"].tolist()
    ([1.75], [2.5])
    """
    n = sum(sizes)
    weights = [s / n for s in sizes] if weighted else [1 / len(sizes)] * len(sizes)
    return {key: sum(w * g[key] for w, g in zip(weights, shard_grads)) for key in shard_grads[0]}


class RingResult(NamedTuple):
    """After a ring all-reduce: each worker's vector, the numbers each worker sent, and the steps taken."""

    vectors: list
    sent_per_worker: list
    steps: int


def ring_all_reduce(vectors):
    """Sum ``K`` equal-length vectors with a ring all-reduce, counting what every worker sends.

    The vector is cut into ``K`` chunks. Reduce-scatter: at step ``s`` worker ``i``
    sends chunk ``(i − s) mod K`` to worker ``i + 1``, which adds it to its own copy;
    after ``K − 1`` steps worker ``i`` holds the full sum of chunk ``(i + 1) mod K``.
    All-gather: ``K − 1`` more steps pass the summed chunks round the ring, each
    overwriting the receiver's copy. When ``K`` does not divide the length, the chunks
    differ by one number and so do the workers' counts; their total is always
    ``2(K − 1) · P``.

    Examples
    --------
    >>> out = ring_all_reduce([np.arange(6.0), np.ones(6), np.full(6, 2.0)])
    >>> out.vectors[1].tolist(), out.sent_per_worker, out.steps  # 2(K−1)/K · P = 8
    ([3.0, 4.0, 5.0, 6.0, 7.0, 8.0], [8, 8, 8], 4)
    """
    k = len(vectors)
    if k < 1:
        raise ValueError("vectors must hold at least one worker's vector")
    data = [as_array(v, f"vectors[{i}]", ndim=1).copy() for i, v in enumerate(vectors)]
    if len({v.size for v in data}) != 1:
        raise ValueError(f"every worker's vector must have the same length; got {[v.size for v in data]}")
    bounds = np.linspace(0, data[0].size, k + 1).round().astype(int)
    chunk = [slice(bounds[c], bounds[c + 1]) for c in range(k)]
    sent = [0] * k
    for s in range(k - 1):  # reduce-scatter
        messages = [(i, (i - s) % k, data[i][chunk[(i - s) % k]].copy()) for i in range(k)]
        for i, c, values in messages:
            data[(i + 1) % k][chunk[c]] += values
            sent[i] += values.size
    for s in range(k - 1):  # all-gather
        messages = [(i, (i + 1 - s) % k, data[i][chunk[(i + 1 - s) % k]].copy()) for i in range(k)]
        for i, c, values in messages:
            data[(i + 1) % k][chunk[c]] = values
            sent[i] += values.size
    return RingResult(data, sent, 2 * (k - 1))


def ring_traffic(n_params, k):
    """Numbers one worker sends in a ring all-reduce of ``n_params`` numbers over ``k`` workers: ``2(K−1)/K · P``.

    Examples
    --------
    >>> ring_traffic(12, 3), ring_traffic(10**9, 1000) / 10**9
    (16.0, 1.998)
    """
    n_params, k = check_positive(n_params, "n_params"), check_positive(k, "k", integer=True)
    return 2 * (k - 1) / k * n_params
