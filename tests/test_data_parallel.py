"""Data parallelism simulated: weighted shard gradients equal the full batch's; the ring all-reduce sums and sends 2(K−1)/K · P."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from helpers.data_parallel import combine, ring_all_reduce, ring_traffic, shard_sizes, split_batch
from helpers.losses import mse
from helpers.network import init_mlp, mlp_backward, mlp_forward

FAST = settings(max_examples=30, deadline=None, derandomize=True, database=None)


def grads(params, x, t):
    out, cache = mlp_forward(x, params, "tanh")
    return mlp_backward(mse(out, t)[1], cache)[1]


@FAST
@given(sizes=st.lists(st.integers(1, 6), min_size=1, max_size=5), seed=st.integers(0, 2**16))
def test_weighted_shard_gradients_equal_the_full_batch_gradient(sizes, seed):
    rng = np.random.default_rng(seed)
    params = init_mlp([3, 4, 2], rng)
    x, t = rng.normal(size=(sum(sizes), 3)), rng.normal(size=(sum(sizes), 2))
    full = grads(params, x, t)
    shards = [grads(params, xs, ts) for xs, ts in zip(split_batch(x, sizes), split_batch(t, sizes))]
    combined = combine(shards, sizes)
    assert all(np.allclose(combined[k], full[k], rtol=1e-10, atol=1e-13) for k in full)


def test_the_plain_mean_is_wrong_for_unequal_shards_and_right_for_equal_ones():
    rng = np.random.default_rng(0)
    params = init_mlp([3, 4, 2], rng)
    x, t = rng.normal(size=(12, 3)), rng.normal(size=(12, 2))
    full = grads(params, x, t)
    for sizes, right in (([9, 2, 1], False), ([4, 4, 4], True)):
        shards = [grads(params, xs, ts) for xs, ts in zip(split_batch(x, sizes), split_batch(t, sizes))]
        mean = combine(shards, sizes, weighted=False)
        assert all(np.allclose(mean[k], full[k]) for k in full) == right


@FAST
@given(k=st.integers(1, 9), chunks=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_ring_all_reduce_sums_and_sends_what_the_formula_says(k, chunks, seed):
    rng = np.random.default_rng(seed)
    p = k * chunks
    vectors = [rng.normal(size=p) for _ in range(k)]
    copies = [v.copy() for v in vectors]
    result = ring_all_reduce(vectors)
    total = np.sum(vectors, axis=0)
    assert all(np.allclose(v, total, rtol=1e-12, atol=1e-12) for v in result.vectors)
    assert result.sent_per_worker == [ring_traffic(p, k)] * k and result.steps == 2 * (k - 1)
    assert all(np.array_equal(a, b) for a, b in zip(vectors, copies))  # the workers' inputs are not changed


def test_ring_with_uneven_chunks_still_sums_and_sends_2_k_minus_1_p_in_total():
    vectors = [np.arange(7.0) * i for i in range(1, 4)]
    result = ring_all_reduce(vectors)
    assert all(np.allclose(v, np.arange(7.0) * 6) for v in result.vectors)
    assert sum(result.sent_per_worker) == 2 * 2 * 7


def test_shards_and_bad_input():
    assert shard_sizes(10, 3) == [4, 3, 3] and sum(shard_sizes(101, 7)) == 101
    with pytest.raises(ValueError, match="k must be at most"):
        shard_sizes(2, 3)
    with pytest.raises(ValueError, match="sizes"):
        split_batch(np.zeros((4, 1)), [2, 3])
    with pytest.raises(ValueError, match="same length"):
        ring_all_reduce([np.zeros(3), np.zeros(4)])
