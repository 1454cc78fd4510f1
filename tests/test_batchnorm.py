"""Batch normalization: the forward statistics, the compact backward against central differences, running stats."""
import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st
from raises import assert_raises_exactly

from helpers.batchnorm import (
    BatchNormCache, RunningStats, batchnorm_backward, batchnorm_forward, batchnorm_inference,
    init_batchnorm, init_running_stats, update_running_stats,
)
from helpers.gradcheck import check_gradients, numerical_gradient_backward, relative_error

FAST = settings(max_examples=25, deadline=None, derandomize=True, database=None)


def random_case(n, d, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)) * rng.uniform(0.5, 3.0, size=d) + rng.normal(size=d)
    params = {"gamma": rng.normal(size=d), "beta": rng.normal(size=d)}
    return x, params, rng.normal(size=(n, d))


def test_forward_normalizes_each_feature_with_the_biased_batch_variance():
    x = np.array([[1.0, 10.0], [2.0, 20.0], [6.0, 30.0]])
    out, cache = batchnorm_forward(x, init_batchnorm(2), eps=1e-12)
    assert isinstance(cache, BatchNormCache)
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), 1.0)  # std with 1/N
    np.testing.assert_allclose(cache.mean, [3.0, 20.0])
    np.testing.assert_allclose(cache.var, x.var(axis=0))


def test_gamma_and_beta_scale_and_shift():
    x = np.array([[0.0], [2.0]])
    out, _ = batchnorm_forward(x, {"gamma": np.array([3.0]), "beta": np.array([0.5])}, eps=1e-12)
    np.testing.assert_allclose(out, [[-2.5], [3.5]])


@FAST
@given(n=st.integers(3, 6), d=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
def test_backward_matches_central_differences(n, d, seed):
    x, params, dout = random_case(n, d, seed)
    _, cache = batchnorm_forward(x, params)
    dx, grads = batchnorm_backward(dout, cache)
    numeric_dx = numerical_gradient_backward(lambda v: batchnorm_forward(v, params)[0], x, dout)
    assume(np.linalg.norm(numeric_dx) > 1e-3)
    assert relative_error(dx, numeric_dx) < 1e-7
    report = check_gradients(lambda p: float(np.sum(batchnorm_forward(x, p)[0] * dout)), params, grads)
    assert report.passed(1e-7), str(report)


@FAST
@given(n=st.integers(2, 6), d=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
def test_backward_removes_the_mean_and_does_not_write_into_its_inputs(n, d, seed):
    x, params, dout = random_case(n, d, seed)
    out, cache = batchnorm_forward(x, params)
    saved = dout.copy(), cache.xhat.copy()
    dx, _ = batchnorm_backward(dout, cache)
    np.testing.assert_allclose(dx.sum(axis=0), 0.0, atol=1e-9)  # shifting the whole batch changes nothing
    np.testing.assert_array_equal(dout, saved[0])
    np.testing.assert_array_equal(cache.xhat, saved[1])


def test_running_stats_move_towards_the_batch_and_are_new_objects():
    x = np.array([[1.0, 0.0], [3.0, 4.0]])
    _, cache = batchnorm_forward(x, init_batchnorm(2))
    stats = init_running_stats(2)
    new = update_running_stats(stats, cache, momentum=0.75)
    np.testing.assert_allclose(new.mean, 0.25 * cache.mean)
    np.testing.assert_allclose(new.var, 0.75 + 0.25 * cache.var)
    np.testing.assert_array_equal(stats.mean, 0.0)  # the old state is untouched


def test_inference_with_converged_running_stats_equals_training_mode():
    rng = np.random.default_rng(0)
    x, params = rng.normal(2.0, 3.0, size=(8, 3)), {"gamma": rng.normal(size=3), "beta": rng.normal(size=3)}
    out, cache = batchnorm_forward(x, params)
    stats = init_running_stats(3)
    for _ in range(300):
        stats = update_running_stats(stats, cache, momentum=0.9)
    np.testing.assert_allclose(batchnorm_inference(x, params, stats), out, atol=1e-9)
    assert batchnorm_inference(x[:1], params, stats).shape == (1, 3)  # one example is fine at inference


CACHE = batchnorm_forward(np.eye(3)[:, :2], init_batchnorm(2))[1]  # batch mean 1/3, variance 2/9 per feature


def test_running_stats_default_momentum_and_momentum_zero():
    default = update_running_stats(init_running_stats(2), CACHE)  # momentum 0.9
    np.testing.assert_allclose(default.mean, 0.1 / 3)
    np.testing.assert_allclose(default.var, 0.9 + 0.1 * 2 / 9)
    batch_only = update_running_stats(init_running_stats(2), CACHE, momentum=0.0)
    np.testing.assert_allclose(batch_only.mean, 1 / 3)
    np.testing.assert_allclose(batch_only.var, 2 / 9)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: batchnorm_forward(np.ones((1, 2)), init_batchnorm(2)), ValueError, r"x must hold at least 2 examples for batch normalization; got shape \(1, 2\): on one example the batch variance is 0 and x equals its mean, so the output is beta whatever x is and no gradient flows back to x"),
        (lambda: batchnorm_forward(np.ones((3, 2)), init_batchnorm(3)), ValueError, r"x must have shape \(N, 3\); got shape \(3, 2\)"),
        (lambda: batchnorm_forward(np.ones((3, 2)), {"gamma": np.ones(2)}), TypeError, r"params must be a dict with keys 'gamma' and 'beta', e.g. init_batchnorm\(d\); got keys \['gamma'\]"),
        (lambda: batchnorm_forward(np.ones((3, 2)), init_batchnorm(2), eps=0.0), ValueError, r"eps must be positive; got 0.0"),
        (lambda: batchnorm_backward(np.ones((3, 2)), (1, 2)), TypeError, r"cache must be the BatchNormCache that batchnorm_forward returned; got tuple"),
        (lambda: batchnorm_backward(np.ones((2, 2)), batchnorm_forward(np.eye(3)[:, :2], init_batchnorm(2))[1]), ValueError, r"dout must have shape \(3, 2\); got shape \(2, 2\)"),
        (lambda: update_running_stats(init_running_stats(2), batchnorm_forward(np.eye(2), init_batchnorm(2))[1], momentum=1.0), ValueError, r"momentum must be in \[0, 1\); got 1.0"),
        (lambda: update_running_stats(init_running_stats(3), batchnorm_forward(np.eye(2), init_batchnorm(2))[1]), ValueError, r"stats.mean must have shape \(2,\); got shape \(3,\)"),
        (lambda: batchnorm_inference(np.ones((2, 2)), init_batchnorm(2), (0, 1)), TypeError, r"stats must be a RunningStats, e.g. init_running_stats\(d\); got tuple"),
        (lambda: init_batchnorm(0), ValueError, r"d must be positive; got 0"),
        (lambda: init_running_stats(0), ValueError, r"d must be positive; got 0"),
        (lambda: update_running_stats((0, 1), CACHE), TypeError, r"stats must be a RunningStats, e.g. init_running_stats\(d\); got tuple"),
        (lambda: update_running_stats(init_running_stats(2), (1, 2)), TypeError, r"cache must be the BatchNormCache that batchnorm_forward returned; got tuple"),
        (lambda: update_running_stats(init_running_stats(2), CACHE, momentum="0.5"), TypeError, r"momentum must be a real number; got str"),
        (lambda: batchnorm_inference(np.ones((3, 3)), init_batchnorm(2), init_running_stats(2)), ValueError, r"x must have shape \(N, 2\); got shape \(3, 3\)"),
        (lambda: batchnorm_inference("x", init_batchnorm(2), init_running_stats(2)), TypeError, r"x must be a number or an array of numbers; got str"),
        (lambda: batchnorm_inference(np.ones((3, 2)), init_batchnorm(2), RunningStats(np.zeros(2), np.ones(3))), ValueError, r"stats.var must have shape \(2,\); got shape \(3,\)"),
        (lambda: batchnorm_inference(np.ones((3, 2)), init_batchnorm(2), init_running_stats(2), eps=0.0), ValueError, r"eps must be positive; got 0.0"),
        (lambda: batchnorm_inference(np.ones((3, 2)), init_batchnorm(2), init_running_stats(2), eps="e"), TypeError, r"eps must be a real number; got str"),
        (lambda: batchnorm_forward(np.ones((3, 2)), [np.ones(2), np.zeros(2)]), TypeError, r"params must be a dict with keys 'gamma' and 'beta', e.g. init_batchnorm\(d\); got list"),
        (lambda: batchnorm_forward(np.ones((3, 2)), {"gamma": np.ones((1, 2)), "beta": np.zeros(2)}), ValueError, r"params\['gamma'\] must be 1-D; got 2-D with shape \(1, 2\)"),
        (lambda: batchnorm_forward(np.ones((3, 2)), {"gamma": "g", "beta": np.zeros(2)}), TypeError, r"params\['gamma'\] must be a number or an array of numbers; got str"),
        (lambda: batchnorm_forward(np.ones((3, 2)), {"gamma": np.ones(2), "beta": np.zeros(3)}), ValueError, r"params\['beta'\] must have shape \(2,\); got shape \(3,\)"),
        (lambda: batchnorm_forward(np.ones((3, 2)), {"gamma": np.ones(2), "beta": "b"}), TypeError, r"params\['beta'\] must be a number or an array of numbers; got str"),
    ],
)
def test_bad_input_names_the_argument(call, error, message):
    assert_raises_exactly(call, error, message)


def test_running_stats_is_a_named_pair():
    assert RunningStats(np.zeros(1), np.ones(1))._fields == ("mean", "var")
