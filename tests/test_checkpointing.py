"""Gradient checkpointing: the same gradients as plain backprop, bit for bit, for every depth and segment; memory as predicted."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from helpers.checkpointing import (
    CheckpointCache, best_segment, checkpoint_costs, checkpointed_backward, checkpointed_forward, measure,
    predicted_floats, recompute_segment, segment_starts, square_mlp,
)
from helpers.gradcheck import check_gradients
from helpers.losses import mse
from helpers.network import init_mlp, mlp_backward, mlp_forward

FAST = settings(max_examples=30, deadline=None, derandomize=True, database=None)


@FAST
@given(
    widths=st.lists(st.integers(1, 5), min_size=2, max_size=9),
    batch=st.integers(1, 4),
    segment=st.integers(1, 10),
    activation=st.sampled_from(["relu", "tanh", "sigmoid", "leaky_relu", None]),
    output_activation=st.sampled_from([None, "sigmoid"]),
    seed=st.integers(0, 2**16),
)
def test_checkpointed_gradients_equal_plain_backprop_bit_for_bit(widths, batch, segment, activation, output_activation, seed):
    rng = np.random.default_rng(seed)
    params = init_mlp(widths, rng)
    x, dout = rng.normal(size=(batch, widths[0])), rng.normal(size=(batch, widths[-1]))
    out_plain, cache = mlp_forward(x, params, activation, output_activation)
    dx_plain, plain = mlp_backward(dout, cache)
    out, ck = checkpointed_forward(x, params, activation, output_activation, segment=segment)
    dx, grads = checkpointed_backward(dout, ck)
    assert np.array_equal(out, out_plain) and np.array_equal(dx, dx_plain)
    assert list(grads) == list(plain) and all(np.array_equal(grads[k], plain[k]) for k in plain)
    assert sorted(ck.checkpoints) == segment_starts(len(widths) - 1, segment)


def test_checkpointed_gradients_pass_a_gradient_check_and_float32_stays_float32():
    rng = np.random.default_rng(1)
    params = init_mlp([3, 4, 4, 4, 4, 2], rng)
    x, t = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    out, ck = checkpointed_forward(x, params, "tanh", segment=2)
    _, grads = checkpointed_backward(mse(out, t)[1], ck)
    report = check_gradients(lambda p: mse(mlp_forward(x, p, "tanh")[0], t)[0], params, grads)
    assert report.passed(1e-7), str(report)
    p32 = {k: v.astype(np.float32) for k, v in params.items()}
    out32, ck32 = checkpointed_forward(x, p32, "tanh", segment=3)
    _, g32 = checkpointed_backward(np.ones_like(out32), ck32, need_dx=False)
    assert out32.dtype == np.float32 and all(g.dtype == np.float32 for g in g32.values())


def test_the_recompute_step_starts_from_the_checkpoint_entering_the_segment():
    rng = np.random.default_rng(2)
    params = init_mlp([3, 3, 3, 3, 3], rng)
    x = rng.normal(size=(2, 3))
    out, cache = mlp_forward(x, params, "tanh")
    a2 = cache.layers[1].act.a
    a4, seg = recompute_segment(a2, params, ("tanh",) * 3 + (None,), 2, 4)
    assert np.array_equal(a4, out) and len(seg.layers) == 2
    wrong, _ = recompute_segment(cache.layers[2].act.a, params, ("tanh",) * 3 + (None,), 2, 4)
    assert not np.allclose(wrong, out)


def test_forward_keeps_only_the_checkpoints():
    rng = np.random.default_rng(3)
    params = init_mlp([2] * 8, rng)
    _, ck = checkpointed_forward(rng.normal(size=(1, 2)), params, "relu", segment=3)
    assert isinstance(ck, CheckpointCache) and sorted(ck.checkpoints) == [0, 3, 6]


@pytest.mark.parametrize(("depth", "batch"), [(16, 256), (32, 128), (8, 512)])
def test_measured_peak_is_the_prediction_plus_a_few_working_arrays(depth, batch):
    rng = np.random.default_rng(0)
    width = 32
    params = square_mlp(depth, width, rng)
    x, dout = rng.normal(size=(batch, width)), rng.normal(size=(batch, width))
    grads = depth * (width * width + width)
    for segment in (None, 1, 4, depth):
        predicted = 8 * (predicted_floats(depth, width, batch, segment) + grads)
        working = 7 * batch * width * 8  # dz, dx, the upstream gradient, ReLU's mask, matmul temporaries
        assert predicted < measure(x, params, dout, segment).peak_bytes < predicted + working, segment


def test_sqrt_segments_use_less_than_half_of_plain_backprop_at_depth_64():
    costs = checkpoint_costs(64, 8, width=32, batch=256, measured=True)
    assert costs.measured_checkpointed < 0.5 * costs.measured_plain
    assert costs.predicted_checkpointed < 0.3 * costs.predicted_plain


@pytest.mark.parametrize("depth", [1, 2, 9, 16, 50, 64, 100])
def test_best_segment_is_the_minimum_of_the_curve_and_near_sqrt_depth(depth):
    k = best_segment(depth)
    curve = [predicted_floats(depth, 1, 1, s) for s in range(1, depth + 1)]
    assert curve[k - 1] == min(curve)
    assert abs(k - np.sqrt(depth / 2)) <= 1.5


def test_bad_arguments_are_named():
    params = init_mlp([2, 2], np.random.default_rng(0))
    with pytest.raises(ValueError, match="segment"):
        checkpointed_forward(np.ones((1, 2)), params, "relu", segment=0)
    with pytest.raises(TypeError, match="CheckpointCache"):
        checkpointed_backward(np.ones((1, 2)), mlp_forward(np.ones((1, 2)), params, "relu")[1])
    with pytest.raises(ValueError, match="activation"):
        checkpointed_forward(np.ones((1, 2)), params, "softplus", segment=1)
    _, ck = checkpointed_forward(np.ones((1, 2)), params, "relu", segment=1)
    with pytest.raises(ValueError, match="dout"):
        checkpointed_backward(np.ones((3, 2)), ck)
