"""Unit tests for helpers.layers: initialisation statistics and the dense forward/backward pair."""
import numpy as np
import pytest

from raises import assert_raises_exactly

from helpers.layers import DenseCache, dense_backward, dense_forward, init_dense

X = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])  # N=3, D_in=2
PARAMS = {"W": np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.5]]), "b": np.array([0.5, -1.0, 0.0])}  # D_out=3


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def test_init_dense_shapes_and_zero_bias(rng):
    p = init_dense(4, 7, rng)
    assert set(p) == {"W", "b"}
    assert p["W"].shape == (4, 7) and p["b"].shape == (7,)
    np.testing.assert_array_equal(p["b"], 0.0)


@pytest.mark.parametrize(
    "scale, std", [("xavier", np.sqrt(2 / 450)), ("lecun", np.sqrt(1 / 50)), ("he", np.sqrt(2 / 50)), (0.3, 0.3)]
)
def test_init_dense_std_matches_the_scale(rng, scale, std):
    W = init_dense(50, 400, rng, scale=scale)["W"]  # 20 000 draws: std estimate within about 0.5 %
    assert W.std() == pytest.approx(std, rel=0.03)
    assert abs(W.mean()) < 4 * std / np.sqrt(W.size)


def test_init_dense_is_reproducible_from_the_rng_alone():
    a = init_dense(3, 2, np.random.default_rng(7))
    b = init_dense(3, 2, np.random.default_rng(7))
    c = init_dense(3, 2, np.random.default_rng(8))
    np.testing.assert_array_equal(a["W"], b["W"])
    assert not np.array_equal(a["W"], c["W"])


def test_dense_forward_is_x_w_plus_b():
    z, cache = dense_forward(X, PARAMS)
    assert z.shape == (3, 3)
    np.testing.assert_allclose(z[0], [1 + 4 + 0.5, 0 + 2 - 1, -1 + 1 + 0])
    np.testing.assert_allclose(z, X @ PARAMS["W"] + PARAMS["b"])
    assert isinstance(cache, DenseCache)
    np.testing.assert_array_equal(cache.x, X)
    np.testing.assert_array_equal(cache.W, PARAMS["W"])


def test_dense_backward_shapes_and_formulas():
    dz = np.arange(9.0).reshape(3, 3)
    _, cache = dense_forward(X, PARAMS)
    dx, grads = dense_backward(dz, cache)
    assert dx.shape == X.shape and set(grads) == {"W", "b"}
    assert grads["W"].shape == PARAMS["W"].shape and grads["b"].shape == PARAMS["b"].shape
    np.testing.assert_allclose(dx, dz @ PARAMS["W"].T)
    np.testing.assert_allclose(grads["W"], X.T @ dz)
    np.testing.assert_allclose(grads["b"], [9.0, 12.0, 15.0])  # summed over the batch


def test_dense_pair_writes_into_nothing():
    x, params, dz = X.copy(), {k: v.copy() for k, v in PARAMS.items()}, np.ones((3, 3))
    _, cache = dense_forward(x, params)
    dense_backward(dz, cache)
    np.testing.assert_array_equal(x, X)
    np.testing.assert_array_equal(dz, 1.0)
    for k in PARAMS:
        np.testing.assert_array_equal(params[k], PARAMS[k])


def test_a_bias_of_the_right_size_but_2_d_is_refused():
    bias = PARAMS["b"].reshape(1, 3)  # broadcasting would hide it
    assert_raises_exactly(lambda: dense_forward(X, {"W": PARAMS["W"], "b": bias}), ValueError,
                          r"params\['b'\] must be 1-D; got 2-D with shape \(1, 3\)")
