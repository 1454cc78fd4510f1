"""float16 gradients: underflow measured, loss scaling recovers them, dynamic scaling skips and halves on overflow."""
import numpy as np
import pytest

from helpers.mixed_precision import FLOAT16_TINY, DynamicLossScaler, Float16Backward, float16_gradients, zero_share
from helpers.network import init_mlp, mlp_backward, mlp_forward


def setup(size=1e-7, seed=0):
    rng = np.random.default_rng(seed)
    params = init_mlp([4, 8, 3], rng)
    x = rng.normal(size=(16, 4))
    dout = size * rng.normal(size=(16, 3))
    _, cache = mlp_forward(x, params, "tanh")
    return params, x, dout, mlp_backward(dout, cache, need_dx=False)[1]


def test_small_gradients_underflow_and_loss_scaling_brings_them_back():
    params, x, dout, exact = setup()
    plain = float16_gradients(x, params, ("tanh", None), dout)
    scaled = float16_gradients(x, params, ("tanh", None), dout, scale=2.0**14)
    assert zero_share(plain, exact) > 0.05
    assert zero_share(scaled, exact) == 0
    assert all(np.allclose(scaled[k], exact[k], rtol=0.02, atol=0.02 * np.abs(exact[k]).max()) for k in exact)
    assert all(g.dtype == np.float32 for g in scaled.values())


def test_too_large_a_scale_overflows_to_inf():
    params, x, dout, _ = setup(size=1.0)
    grads = float16_gradients(x, params, ("tanh", None), dout, scale=2.0**20)
    assert not all(np.all(np.isfinite(g)) for g in grads.values())


def test_float16_backward_is_float16_gradients_without_the_scale():
    params, x, dout, _ = setup()
    backward16 = Float16Backward(x, params, ("tanh", None))
    g16 = backward16((dout * 2.0**10).astype(np.float16))
    ref = float16_gradients(x, params, ("tanh", None), dout, 2.0**10)
    assert all(g16[k].dtype == np.float16 and np.array_equal(g16[k].astype(np.float32) / 2.0**10, ref[k]) for k in ref)
    with pytest.raises(TypeError, match="float16"):
        backward16(dout)


def test_dynamic_scaler_skips_and_halves_on_overflow_and_doubles_after_good_steps():
    scaler = DynamicLossScaler(scale=1024.0, growth_interval=3)
    bad, good = {"w": np.array([np.inf])}, {"w": np.array([1.0])}
    steps = [scaler.step(g) for g in (bad, bad, good, good, good, good, {"w": np.array([np.nan])})]
    assert [s.applied for s in steps] == [False, False, True, True, True, True, False]
    assert [s.scale for s in steps] == [1024, 512, 256, 256, 256, 512, 512]
    assert steps[-1].next_scale == 256


def test_zero_share_counts_only_entries_that_were_nonzero():
    assert zero_share({"a": np.zeros(4)}, {"a": np.array([0.0, 0.0, 1.0, 1e-9])}) == 1.0
    assert FLOAT16_TINY == 2.0**-24 and np.float16(FLOAT16_TINY / 3) == 0
