"""Tests for helpers.network: the MLP equals its pairs, passes the gradient check, keeps its dtype, trains."""
import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from helpers.activations import ACTIVATIONS
from helpers.datasets import regression_1d
from helpers.gradcheck import check_gradients, numerical_gradient
from helpers.layers import dense_backward, dense_forward, init_dense
from helpers.losses import mse, softmax_cross_entropy_with_logits
from helpers.network import Dense, MLPCache, Sequential, init_mlp, mlp_backward, mlp_forward
from helpers.optimizers import SGD, Adam

TOL = 1e-7
FAST = settings(max_examples=25, deadline=None, derandomize=True, database=None)
NAMES = sorted(ACTIVATIONS)


def data(rng, n, sizes):
    return rng.normal(size=(n, sizes[0])), rng.normal(size=(n, sizes[-1]))


def by_pairs(x, params, names, dout):
    """The same network written with the public pairs of helpers.layers and helpers.activations."""
    caches, a = [], x
    for l, name in enumerate(names, start=1):
        z, dense = dense_forward(a, {"W": params[f"W{l}"], "b": params[f"b{l}"]})
        a, act = ACTIVATIONS[name][0](z) if name else (z, None)
        caches.append((dense, name, act))
    out, grads, d = a, {}, dout
    for l in range(len(names), 0, -1):
        dense, name, act = caches[l - 1]
        d = ACTIVATIONS[name][1](d, act) if name else d
        d, g = dense_backward(d, dense)
        grads[f"W{l}"], grads[f"b{l}"] = g["W"], g["b"]
    return out, d, grads


# --- init_mlp ---------------------------------------------------------------------------------


def test_init_mlp_makes_ordered_keys_and_shapes():
    params = init_mlp([3, 5, 4, 2], np.random.default_rng(0))
    assert list(params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert [params[k].shape for k in params] == [(3, 5), (5,), (5, 4), (4,), (4, 2), (2,)]
    assert all(v.dtype == np.float64 for v in params.values())
    np.testing.assert_array_equal(params["b2"], 0.0)


def test_init_mlp_is_reproducible_and_can_be_float32():
    a = init_mlp([2, 3, 1], np.random.default_rng(7))
    b = init_mlp([2, 3, 1], np.random.default_rng(7), dtype=np.float32)
    assert all(v.dtype == np.float32 for v in b.values())
    for key in a:
        np.testing.assert_allclose(b[key], a[key], rtol=1e-7)


# --- the kernels are the pairs ---------------------------------------------------------------


@pytest.mark.parametrize("output_activation", [None, "sigmoid"])
@pytest.mark.parametrize("activation", NAMES + [None])
def test_mlp_equals_the_composition_of_the_pairs(activation, output_activation):
    rng = np.random.default_rng(1)
    sizes = [3, 5, 4, 2]
    params, (x, dout) = init_mlp(sizes, rng), data(rng, 6, sizes)
    out, cache = mlp_forward(3 * x, params, activation, output_activation)
    dx, grads = mlp_backward(dout, cache)
    ref_out, ref_dx, ref_grads = by_pairs(3 * x, params, [activation, activation, output_activation], dout)
    np.testing.assert_array_equal(out, ref_out)
    np.testing.assert_array_equal(dx, ref_dx)
    assert list(grads) == list(params)
    for key in params:
        np.testing.assert_array_equal(grads[key], ref_grads[key])


def test_the_model_fast_path_equals_the_pure_functions_call_after_call():
    rng = np.random.default_rng(2)
    # Equal widths, so arrays shared by mistake would show; a linear hidden layer too.
    layers = [Dense(4, "tanh"), Dense(4, "relu"), Dense(4), Dense(3, "leaky_relu"), Dense(3, "sigmoid"), Dense(1)]
    model = Sequential(layers, input_dim=4, rng=rng)
    for n in (5, 5, 2):  # the buffers are reused, then remade for a new batch size
        x, y = data(rng, n, [4, 1])
        out, cache = model.forward(x)
        _, expected = mlp_backward(mse(out, y)[1], cache)
        loss, grads = model.gradients(x, y, mse)
        assert loss == mse(out, y)[0]
        for key in expected:
            np.testing.assert_array_equal(grads[key], expected[key])


def test_need_dx_false_skips_only_dx():
    rng = np.random.default_rng(3)
    params, (x, dout) = init_mlp([2, 3, 1], rng), data(rng, 4, [2, 1])
    _, cache = mlp_forward(x, params, "tanh")
    dx, grads = mlp_backward(dout, cache)
    none, same = mlp_backward(dout, cache, need_dx=False)
    assert dx.shape == x.shape and none is None
    for key in grads:
        np.testing.assert_array_equal(same[key], grads[key])



def test_sequential_backward_passes_need_dx_on():
    model = Sequential([Dense(3, "tanh"), Dense(1)], input_dim=2, rng=np.random.default_rng(3))
    out, cache = model.forward(np.ones((4, 2)))
    assert model.backward(np.ones_like(out), cache, need_dx=False)[0] is None
    assert model.backward(np.ones_like(out), cache)[0].shape == (4, 2)


# --- gradient check -----------------------------------------------------------------------------


def mlp_loss(x, y, activation, output_activation):
    return lambda p: mse(mlp_forward(x, p, activation, output_activation)[0], y)[0]


def test_the_seed_network_passes_the_gradient_check_and_a_wrong_gradient_fails_it():
    rng = np.random.default_rng(4)
    params, (x, y) = init_mlp([1, 10, 1], rng), data(rng, 8, [1, 1])
    out, cache = mlp_forward(x, params, "sigmoid")
    _, grads = mlp_backward(mse(out, y)[1], cache)
    loss = mlp_loss(x, y, "sigmoid", None)
    report = check_gradients(loss, params, grads)
    assert report.passed(TOL), str(report)
    wrong = dict(grads, W1=grads["W1"] * 1.01)  # e.g. a slightly wrong σ' in the hidden layer
    report = check_gradients(loss, params, wrong)
    assert not report.passed(TOL) and report.worst_name == "W1"


@FAST
@given(
    sizes=st.lists(st.integers(1, 4), min_size=2, max_size=4),
    n=st.integers(1, 4),
    activation=st.sampled_from(NAMES + [None]),
    output_activation=st.sampled_from([None, "sigmoid", "tanh"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_gradient_matches_central_differences(sizes, n, activation, output_activation, seed):
    rng = np.random.default_rng(seed)
    params, (x, y) = init_mlp(sizes, rng, scale=1.0), data(rng, n, sizes)
    out, cache = mlp_forward(x, params, activation, output_activation)
    # Central differences straddling a ReLU kink compare nothing; keep every z away from 0.
    assume(all(np.min(np.abs(layer.act.z)) > 1e-3 for layer in cache.layers if layer.act is not None))
    dx, grads = mlp_backward(mse(out, y)[1], cache)
    assume(all(np.linalg.norm(g) > 1e-4 for g in grads.values()))  # else only rounding noise is compared
    report = check_gradients(mlp_loss(x, y, activation, output_activation), params, grads)
    assert report.passed(TOL), str(report)
    numeric_dx = numerical_gradient(lambda v: mse(mlp_forward(v, params, activation, output_activation)[0], y)[0], x)
    assert np.linalg.norm(dx - numeric_dx) <= TOL * (np.linalg.norm(dx) + np.linalg.norm(numeric_dx)) + 1e-12


# --- pure functions, dtypes ------------------------------------------------------------------------


def test_forward_and_backward_write_into_nothing():
    rng = np.random.default_rng(5)
    params, (x, dout) = init_mlp([2, 3, 2], rng), data(rng, 4, [2, 2])
    saved = {k: v.copy() for k, v in params.items()}, x.copy(), dout.copy()
    out, cache = mlp_forward(x, params, "relu", "tanh")
    first = out.copy()
    mlp_backward(dout, cache)
    mlp_forward(2 * x, params, "relu", "tanh")  # a second call leaves the first output alone
    for key in params:
        np.testing.assert_array_equal(params[key], saved[0][key])
    np.testing.assert_array_equal(x, saved[1])
    np.testing.assert_array_equal(dout, saved[2])
    np.testing.assert_array_equal(out, first)


def test_model_outputs_are_the_callers_but_gradients_are_reused():
    rng = np.random.default_rng(6)
    model = Sequential([Dense(3, "sigmoid"), Dense(1)], input_dim=2, rng=rng)
    x, y = data(rng, 4, [2, 1])
    first = model(x)
    kept = first.copy()
    model(2 * x)
    np.testing.assert_array_equal(first, kept)
    _, grads1 = model.gradients(x, y, mse)
    _, grads2 = model.gradients(2 * x, y, mse)
    assert all(grads1[key] is grads2[key] for key in grads1)  # documented: the next call overwrites grads, like PyTorch's .grad


@pytest.mark.parametrize("activation", NAMES)
def test_float32_stays_float32_and_agrees_with_float64(activation):
    rng = np.random.default_rng(7)
    params64 = init_mlp([3, 4, 2], rng)
    params32 = {k: v.astype(np.float32) for k, v in params64.items()}
    x, dout = data(rng, 5, [3, 2])
    out64, cache64 = mlp_forward(x, params64, activation, "sigmoid")
    out32, cache32 = mlp_forward(x, params32, activation, "sigmoid")  # float64 x is brought to the model's dtype
    dx32, grads32 = mlp_backward(dout, cache32)
    dx64, grads64 = mlp_backward(dout, cache64)
    assert out32.dtype == dx32.dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads32.values())
    np.testing.assert_allclose(out32, out64, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(out32, mlp_forward(x.astype(np.float32), params32, activation, "sigmoid")[0])  # cast first
    for key in grads64:
        np.testing.assert_allclose(grads32[key], grads64[key], rtol=1e-4, atol=1e-6)


def test_float32_model_trains_in_float32():
    rng = np.random.default_rng(8)
    model = Sequential([Dense(10, "sigmoid"), Dense(1)], input_dim=1, rng=rng, dtype=np.float32)
    x, y = regression_1d(16, rng)
    for _ in range(3):
        model.train_step(x.astype(np.float32), y, mse, Adam(0.01))
    assert all(v.dtype == np.float32 for v in model.params.values())
    assert model(x).dtype == np.float32
    assert model.forward(x.astype(np.float32))[0].dtype == np.float32
    assert Sequential([Dense(1)], input_dim=1, rng=rng)(x.astype(np.float32)).dtype == np.float64
    assert model.dtype == np.float32
    _, grads = model.gradients(x, y, mse)  # float64 data: brought to float32, gradients too
    assert all(g.dtype == np.float32 for g in grads.values())
    from_float64 = grads["W1"].copy()  # the next call overwrites the buffers
    np.testing.assert_array_equal(from_float64, model.gradients(x.astype(np.float32), y.astype(np.float32), mse)[1]["W1"])


def test_init_mlp_passes_its_scale_to_every_layer():
    params = init_mlp([3, 4, 1], np.random.default_rng(5), scale="he")
    rng = np.random.default_rng(5)
    for l, (d_in, d_out) in enumerate([(3, 4), (4, 1)], start=1):
        np.testing.assert_array_equal(params[f"W{l}"], init_dense(d_in, d_out, rng, scale="he")["W"])


def test_sequential_initialises_with_its_scale():
    model = Sequential([Dense(4, "relu"), Dense(1)], input_dim=3, rng=np.random.default_rng(5), scale="he")
    expected = init_mlp([3, 4, 1], np.random.default_rng(5), scale="he")
    for key in expected:
        np.testing.assert_array_equal(model.params[key], expected[key])


# --- the Keras-like model ---------------------------------------------------------------------------


def test_sequential_is_a_thin_layer_over_the_functions():
    rng = np.random.default_rng(9)
    model = Sequential([Dense(10, "sigmoid"), Dense(1)], input_dim=1, rng=rng)
    assert list(model.params) == ["W1", "b1", "W2", "b2"] and model.activations == ("sigmoid", None)
    x, dout = data(rng, 4, [1, 1])
    out, cache = model.forward(x)
    ref, ref_cache = mlp_forward(x, model.params, "sigmoid")
    np.testing.assert_array_equal(out, ref)
    np.testing.assert_array_equal(model(x), ref)
    dx, grads = model.backward(dout, cache)
    ref_dx, ref_grads = mlp_backward(dout, ref_cache)
    np.testing.assert_array_equal(dx, ref_dx)
    for key in grads:
        np.testing.assert_array_equal(grads[key], ref_grads[key])


def test_train_step_is_gradients_then_the_optimizer_step():
    rng = np.random.default_rng(10)
    model = Sequential([Dense(4, "tanh"), Dense(1)], input_dim=2, rng=rng)
    x, y = data(rng, 6, [2, 1])
    before = {k: v.copy() for k, v in model.params.items()}
    out, cache = model.forward(x)
    expected_loss, dout = mse(out, y)
    _, grads = model.backward(dout, cache)
    assert model.train_step(x, y, mse, SGD(0.5)) == expected_loss
    for key in before:
        np.testing.assert_allclose(model.params[key], before[key] - 0.5 * grads[key], rtol=1e-14)


def test_a_classifier_takes_integer_class_labels_without_a_wrapper():
    """Labels of shape (N,) go to softmax cross-entropy as they are: the same loss and gradients as
    the one-hot targets with the wrapper notebook 05 once needed, and the model learns."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(60, 2))
    labels = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0)  # three classes
    model = Sequential([Dense(8, "tanh"), Dense(3)], input_dim=2, rng=rng)
    loss, grads = model.gradients(x, labels, softmax_cross_entropy_with_logits)
    grads = {k: g.copy() for k, g in grads.items()}
    wrapped_loss, wrapped = model.gradients(x, np.eye(3)[labels], lambda out, onehot: softmax_cross_entropy_with_logits(out, onehot.argmax(axis=1)))
    assert loss == wrapped_loss and all(np.array_equal(grads[k], wrapped[k]) for k in grads)
    optimizer = Adam(0.05)
    losses = [model.train_step(x, labels, softmax_cross_entropy_with_logits, optimizer) for _ in range(100)]
    assert losses[-1] < losses[0] / 4
    assert np.mean(model(x).argmax(axis=1) == labels) > 0.9


def test_the_source_texts_keras_network_learns_the_1d_regression():
    """1 → Dense(10, sigmoid) → Dense(1), MSE, Adam(0.01), one example per step as in the source's loop."""
    rng = np.random.default_rng(0)
    x, y = regression_1d(100, rng)
    model = Sequential([Dense(10, "sigmoid"), Dense(1)], input_dim=1, rng=rng)
    optimizer = Adam(0.01)
    start = mse(model(x), y)[0]
    for _epoch in range(10):
        for i in range(len(x)):
            model.train_step(x[i : i + 1], y[i : i + 1], mse, optimizer)
    end = mse(model(x), y)[0]
    assert end < 0.1 * start
    assert end < 0.25 * mse(np.full_like(y, y.mean()), y)[0]  # far better than predicting the mean


# --- bad input ------------------------------------------------------------------------------------


RNG = np.random.default_rng(0)
PARAMS = init_mlp([3, 2, 1], RNG)
CACHE = mlp_forward(np.ones((4, 3)), PARAMS, "relu")[1]
MODEL = Sequential([Dense(10, "sigmoid"), Dense(1)], input_dim=1, rng=RNG)
X, Y = np.ones((4, 1)), np.ones((4, 1))

CASES = {
    "x wrong width": (lambda: mlp_forward(np.ones((4, 5)), PARAMS, "relu"), ValueError, r"x must have shape \(N, 3\); got shape \(4, 5\)"),
    "x 1-D": (lambda: mlp_forward(np.ones(3), PARAMS, "relu"), ValueError, r"x must be \(N, 3\); got 1-D"),
    "x NaN": (lambda: MODEL.forward(np.full((2, 1), np.nan)), ValueError, r"x must be finite"),
    "model x wrong width": (lambda: MODEL.train_step(np.ones((4, 2)), Y, mse, Adam(0.01)), ValueError, r"x must have shape \(N, 1\); got shape \(4, 2\)"),
    "y batch mismatch": (lambda: MODEL.train_step(X, np.ones((3, 1)), mse, Adam(0.01)), ValueError, r"y must have shape \(4, 1\); got shape \(3, 1\)"),
    "y 1-D": (lambda: MODEL.gradients(X, np.ones(4), mse), ValueError, r"y must be \(4, 1\); got 1-D"),
    "unknown activation": (lambda: mlp_forward(np.ones((4, 3)), PARAMS, "softplus"), ValueError, r"activation must be one of \['leaky_relu', 'relu', 'sigmoid', 'tanh'\] or None; got 'softplus'"),
    "unknown output activation": (lambda: mlp_forward(np.ones((4, 3)), PARAMS, "relu", "softmax"), ValueError, r"output_activation must be one of .* got 'softmax'"),
    "unknown Dense activation": (lambda: Sequential([Dense(3, "sigmoid"), Dense(1, "Sigmoid")], input_dim=1, rng=RNG), ValueError, r"layers\[1\].activation must be one of .* got 'Sigmoid'"),
    "bad lr": (lambda: MODEL.train_step(X, Y, mse, Adam(lr=-0.01)), ValueError, r"lr must be positive; got -0.01"),
    "dout wrong shape": (lambda: mlp_backward(np.ones((4, 2)), CACHE), ValueError, r"dout must have shape \(4, 1\); got shape \(4, 2\)"),
    "cache not a cache": (lambda: mlp_backward(np.ones((4, 1)), (1, 2)), TypeError, r"cache must be the MLPCache that mlp_forward returned; got tuple"),
    "params missing key": (lambda: mlp_forward(np.ones((4, 3)), {"W1": PARAMS["W1"]}, "relu"), ValueError, r"params must have the keys W1, b1, \.\.\., WL, bL in order"),
    "params wrong bias": (lambda: mlp_forward(np.ones((4, 3)), dict(PARAMS, b1=np.zeros(3)), "relu"), ValueError, r"params\['b1'\] must have shape \(2,\), the width of W1; got \(3,\)"),
    "params widths disagree": (lambda: mlp_forward(np.ones((4, 3)), dict(PARAMS, W2=np.ones((5, 1))), "relu"), ValueError, r"params\['W2'\] must have 2 rows, the width of layer 1's output; got shape \(5, 1\)"),
    "params NaN": (lambda: mlp_forward(np.ones((4, 3)), dict(PARAMS, W2=np.full((2, 1), np.nan)), "relu"), ValueError, r"params\['W2'\] must be finite"),
    "params mixed dtypes": (lambda: mlp_forward(np.ones((4, 3)), dict(PARAMS, b2=np.zeros(1, np.float32)), "relu"), TypeError, r"params\['b2'\] must have the dtype of params\['W1'\], float64; got float32"),
    "params W 1-D": (lambda: mlp_forward(np.ones((4, 3)), dict(PARAMS, W1=np.ones(3)), "relu"), ValueError, r"params\['W1'\] must be 2-D; got 1-D with shape \(3,\)"),
    "params b 2-D": (lambda: mlp_forward(np.ones((4, 3)), dict(PARAMS, b1=np.zeros((1, 2))), "relu"), ValueError, r"params\['b1'\] must be 1-D; got 2-D with shape \(1, 2\)"),
    "params a list": (lambda: mlp_forward(np.ones((4, 3)), dict(PARAMS, W1=[[1.0, 1.0]] * 3), "relu"), TypeError, r"params\['W1'\] must be a float64 or float32 array; got list"),
    "params empty": (lambda: mlp_forward(np.ones((4, 3)), {}, "relu"), ValueError, r"params must have the keys W1, b1, \.\.\., WL, bL in order, as init_mlp makes them; got \[\]"),
    "no layers": (lambda: Sequential([], input_dim=1, rng=RNG), TypeError, r"layers must be a non-empty list of Dense layers, e.g. \[Dense\(10, 'sigmoid'\), Dense\(1\)\]; got \[\]"),
    "dtype unknown": (lambda: init_mlp([3, 1], RNG, dtype="float16x"), TypeError, r"dtype must be np.float64 or np.float32; got 'float16x'"),
    "sizes a string": (lambda: init_mlp("abc", RNG), ValueError, r"sizes must list at least two layer widths, \[D_in, \.\.\., D_out\]; got 'abc'"),
    "params integer": (lambda: mlp_forward(np.ones((4, 3)), dict(PARAMS, W1=np.ones((3, 2), int)), "relu"), TypeError, r"params\['W1'\] must be a float64 or float32 array; got dtype int64"),
    "params not a dict": (lambda: mlp_forward(np.ones((4, 3)), [PARAMS], "relu"), TypeError, r"params must be a dict like init_mlp returns; got list"),
    "sizes too short": (lambda: init_mlp([3], RNG), ValueError, r"sizes must list at least two layer widths"),
    "sizes zero": (lambda: init_mlp([3, 0, 1], RNG), ValueError, r"sizes\[1\] must be positive; got 0"),
    "dtype": (lambda: init_mlp([3, 1], RNG, dtype=np.int64), ValueError, r"dtype must be np.float64 or np.float32; got int64"),
    "rng": (lambda: init_mlp([3, 1], 0), TypeError, r"rng must be a numpy.random.Generator"),
    "layers not Dense": (lambda: Sequential([10, 1], input_dim=1, rng=RNG), TypeError, r"layers must be a non-empty list of Dense layers"),
    "Dense units": (lambda: Sequential([Dense(0, "relu")], input_dim=1, rng=RNG), ValueError, r"layers\[0\].units must be positive; got 0"),
    "input_dim": (lambda: Sequential([Dense(1)], input_dim=2.5, rng=RNG), TypeError, r"input_dim must be a positive integer; got float"),
    "loss_fn": (lambda: MODEL.train_step(X, Y, "mse", Adam(0.01)), TypeError, r"loss_fn must be a function \(out, y\) -> \(loss, dout\); got str"),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_names_the_argument(name):
    call, error, message = CASES[name]
    with pytest.raises(error, match=message):
        call()


def test_the_cache_is_a_named_tuple_of_layer_caches():
    assert isinstance(CACHE, MLPCache)
    first = CACHE.layers[0]
    assert first.activation == "relu" and first.dense.W is PARAMS["W1"]
    assert first.act.a is CACHE.layers[1].dense.x  # one array, remembered once
