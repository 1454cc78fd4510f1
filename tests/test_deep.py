"""The deep-net lab: gradients against central differences (batch norm and residual paths
included), agreement with helpers.network, statistics, and training that overflows quietly."""
import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st
from raises import assert_raises_exactly

from helpers.deep import (
    INITS, deep_backward, deep_forward, deep_task, describe_health, gradient_health, init_deep,
    layer_stats, train_deep, weight_grad_norms,
)
from helpers.gradcheck import check_gradients, numerical_gradient_backward, relative_error
from helpers.network import mlp_backward, mlp_forward

FAST = settings(max_examples=25, deadline=None, derandomize=True, database=None)


@FAST
@given(
    depth=st.integers(1, 3), width=st.integers(2, 4), n=st.integers(3, 5),
    activation=st.sampled_from(["sigmoid", "tanh", "relu"]), batchnorm=st.booleans(), residual=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_gradients_match_central_differences(depth, width, n, activation, batchnorm, residual, seed):
    rng = np.random.default_rng(seed)
    params = init_deep(depth, width, rng, scale="xavier", batchnorm=batchnorm, d_out=2)
    for key in params:
        params[key] = params[key] + rng.normal(0.0, 0.1, size=params[key].shape)  # biases and γ, β off their start
    x, dout = rng.normal(size=(n, width)), rng.normal(size=(n, 2))

    def loss(p):
        return float(np.sum(deep_forward(x, p, activation, residual=residual)[0] * dout))

    out, cache = deep_forward(x, params, activation, residual=residual)
    if activation == "relu":  # keep away from the kink, where the derivative does not exist
        assume(all(np.min(np.abs(layer.act.z)) > 1e-4 for layer in cache.layers))
    dx, grads = deep_backward(dout, cache)
    assert list(grads) == list(params)
    if batchnorm:  # a bias just before batch norm is subtracted again with the mean: its gradient is 0
        for l in range(1, depth + 1):
            np.testing.assert_allclose(grads.pop(f"b{l}"), 0.0, atol=1e-12)
    checked = {key: params[key] for key in grads}

    def loss_of_checked(p):
        return loss({**params, **p})

    report = check_gradients(loss_of_checked, checked, grads)
    assert report.passed(1e-7), str(report)
    numeric_dx = numerical_gradient_backward(lambda v: deep_forward(v, params, activation, residual=residual)[0], x, dout)
    assume(np.linalg.norm(numeric_dx) > 1e-6)
    assert relative_error(dx, numeric_dx) < 1e-7


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_without_batchnorm_or_residual_it_is_the_plain_mlp(activation):
    rng = np.random.default_rng(3)
    params = init_deep(4, 5, rng)
    x = rng.normal(size=(6, 5))
    out, cache = deep_forward(x, params, activation)
    out_mlp, cache_mlp = mlp_forward(x, params, activation)
    np.testing.assert_array_equal(out, out_mlp)
    _, grads = deep_backward(np.ones_like(out), cache)
    _, grads_mlp = mlp_backward(np.ones_like(out), cache_mlp)
    for key in params:
        np.testing.assert_array_equal(grads[key], grads_mlp[key])


def test_init_deep_uses_the_named_scales():
    rng = np.random.default_rng(0)
    assert np.std(init_deep(3, 200, rng, scale="std 1")["W2"]) == pytest.approx(1.0, rel=0.02)
    assert np.std(init_deep(3, 200, rng, scale="he")["W2"]) == pytest.approx(np.sqrt(2 / 200), rel=0.02)
    assert set(INITS) == {"std 1", "std 0.01", "xavier", "he"}


def test_weight_grad_norms_and_layer_stats():
    rng = np.random.default_rng(1)
    params = init_deep(3, 4, rng)
    x = rng.normal(size=(5, 4))
    out, cache = deep_forward(x, params, "relu")
    _, grads = deep_backward(np.ones_like(out), cache)
    np.testing.assert_allclose(weight_grad_norms(grads), [np.linalg.norm(grads[f"W{l}"]) for l in range(1, 5)])
    stats = layer_stats(cache)
    a = cache.layers[0].act.a
    assert stats.saturated[0] == pytest.approx(np.mean(a == 0))  # ReLU's derivative is 0 exactly where it outputs 0
    assert stats.dead[0] == pytest.approx(np.mean(np.all(a == 0, axis=0)))
    _, sig_cache = deep_forward(np.full((2, 4), 50.0), params, "sigmoid")
    assert layer_stats(sig_cache).saturated[0] > 0  # huge inputs saturate


def test_an_exploding_run_stops_quietly_and_clipping_keeps_it_finite():
    rng = np.random.default_rng(0)
    x, y = deep_task(32, 16, rng)
    start = init_deep(12, 16, rng, scale="std 1")
    with np.errstate(all="raise"):  # any warning inside would raise here
        wild = train_deep(x, y, {k: v.copy() for k, v in start.items()}, "relu", lr=0.05, steps=20)
        tame = train_deep(x, y, {k: v.copy() for k, v in start.items()}, "relu", lr=0.05, steps=20, clip=1.0)
    assert wild.overflow_at is not None and wild.losses.size == wild.overflow_at
    assert tame.overflow_at is None and np.all(np.isfinite(tame.losses)) and tame.losses[-1] < tame.losses[0]
    assert tame.norms.shape == (20, 13) and np.all(tame.global_norms > 1.0)


def test_gradient_health_and_its_description():
    healthy = gradient_health(8, "relu", "he", width=16, batch=32, steps=5)
    assert healthy.norms.shape == (9,) and np.array_equal(healthy.norms, healthy.run.norms[0])
    assert any("orders of magnitude" in line for line in describe_health(healthy))
    wild = gradient_health(20, "relu", "std 1", width=16, batch=32, steps=5, lr=0.1)
    assert any("overflow" in line for line in describe_health(wild))
    clipped = gradient_health(20, "relu", "std 1", width=16, batch=32, steps=5, lr=0.1, clip=1.0)
    assert any("Clipping" in line for line in describe_health(clipped))


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: init_deep(0, 4, np.random.default_rng(0)), ValueError, r"depth must be positive; got 0"),
        (lambda: init_deep(2, 4, 0), TypeError, r"rng must be a numpy.random.Generator, e.g. np.random.default_rng\(0\); got int"),
        (lambda: deep_forward(np.ones((2, 3)), init_deep(2, 4, np.random.default_rng(0)), "relu"), ValueError, r"x must have shape \(N, 4\); got shape \(2, 3\)"),
        (lambda: deep_forward(np.ones((2, 4)), init_deep(2, 4, np.random.default_rng(0)), "softplus"), ValueError, r"activation must be one of \['sigmoid', 'tanh', 'relu'\]; got 'softplus'"),
        (lambda: deep_forward(np.ones((1, 4)), init_deep(2, 4, np.random.default_rng(0), batchnorm=True), "relu"), ValueError, r"x must hold at least 2 examples for batch normalization; got shape \(1, 4\): on one example the batch variance is 0 and x equals its mean, so the output is beta whatever x is and no gradient flows back to x"),
        (lambda: deep_forward(np.ones((2, 4)), {"W1": np.ones((4, 4))}, "relu"), ValueError, r"params must have the keys W1, b1, \.\.\., WL, bL in order, as init_mlp makes them; got \['W1'\]"),
        (lambda: deep_backward(np.ones((2, 1)), None), TypeError, r"cache must be the DeepCache that deep_forward returned; got NoneType"),
        (lambda: train_deep(np.ones((2, 4)), np.ones((2, 1)), init_deep(2, 4, np.random.default_rng(0)), "relu", clip=0.0), ValueError, r"clip must be positive; got 0.0"),
        (lambda: train_deep(np.ones((2, 4)), np.ones((3, 1)), init_deep(2, 4, np.random.default_rng(0)), "relu"), ValueError, r"y must have shape \(2, 1\); got shape \(3, 1\)"),
        (lambda: gradient_health(3, "relu", "huge"), ValueError, r"init must be one of \['std 1', 'std 0.01', 'xavier', 'he'\]; got 'huge'"),
    ],
)
def test_bad_input_names_the_argument(call, error, message):
    assert_raises_exactly(call, error, message)
