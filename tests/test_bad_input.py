"""Bad input fails early: the right exception type, naming the argument and what was expected."""
import numpy as np
import pytest

from helpers.activations import (
    leaky_relu_backward, leaky_relu_forward, relu_backward, relu_forward, sigmoid_backward, sigmoid_forward, tanh_forward,
)
from helpers.batchnorm import RunningStats, batchnorm_forward, batchnorm_inference, init_batchnorm, update_running_stats
from helpers.deep import deep_forward, gradient_health, init_deep, train_deep
from helpers.gradcheck import check_gradients, numerical_gradient
from helpers.layers import dense_backward, dense_forward, init_dense
from helpers.losses import binary_cross_entropy_with_logits, mse, softmax, softmax_cross_entropy_with_logits
from helpers.network import Dense, Sequential
from helpers.neuron import gradient_descent, neuron_trace
from helpers.optimizers import SGD, Adam, Momentum, RMSProp

RNG = np.random.default_rng(0)
PARAMS = {"W": np.ones((3, 2)), "b": np.zeros(2)}
X = np.ones((4, 3))
DENSE_CACHE = dense_forward(X, PARAMS)[1]
SIGMOID_CACHE = sigmoid_forward(np.zeros((2, 3)))[1]
Z = np.zeros((2, 3))
BN_CACHE = batchnorm_forward(np.eye(2), init_batchnorm(2))[1]
BN_NET = init_deep(2, 4, np.random.default_rng(0), batchnorm=True)
CLASSIFIER = Sequential([Dense(5, "relu"), Dense(3)], input_dim=2, rng=np.random.default_rng(0))
MODEL = Sequential([Dense(5, "sigmoid"), Dense(1)], input_dim=1, rng=np.random.default_rng(0))
ONE_EXAMPLE = r"got shape \(1, 4\): on one example the batch variance is 0 and x equals its mean"


def descend(lr=0.1, steps=5):
    return gradient_descent(1.0, 1.0, 0.0, 0.0, lr=lr, steps=steps)


CASES = {
    # wrong shapes and mismatched batch sizes
    "dense x 1-D": (lambda: dense_forward(np.ones(3), PARAMS), ValueError, r"x must be \(N, 3\); got 1-D with shape \(3,\)"),
    "dense x wrong width": (lambda: dense_forward(np.ones((4, 5)), PARAMS), ValueError, r"x must have shape \(N, 3\); got shape \(4, 5\)"),
    "dense W 1-D": (lambda: dense_forward(X, {"W": np.ones(3), "b": np.zeros(2)}), ValueError, r"params\['W'\] must be 2-D; got 1-D"),
    "dense b wrong width": (lambda: dense_forward(X, {"W": PARAMS["W"], "b": np.zeros(3)}), ValueError, r"params\['b'\] must have the same shape as the output width W.shape\[1\], \(2,\); got \(3,\)"),
    "mse batch mismatch": (lambda: mse(np.zeros(4), np.zeros(5)), ValueError, r"y_true must have the same shape as y, \(4,\); got \(5,\)"),
    "mse (N,1) vs (N,)": (lambda: mse(np.zeros((4, 1)), np.zeros(4)), ValueError, r"y_true must have the same shape as y, \(4, 1\); got \(4,\)"),
    "bce 3-D": (lambda: binary_cross_entropy_with_logits(np.zeros((2, 2, 2)), np.zeros((2, 2, 2))), ValueError, r"z must be 1 or 2-D; got 3-D"),
    "softmax 1-D": (lambda: softmax(np.zeros(3)), ValueError, r"z must be 2-D; got 1-D with shape \(3,\)"),
    "neuron x vs y_true": (lambda: neuron_trace(np.ones(3), 0.0, 0.0, np.ones(2)), ValueError, r"y_true must have the same shape as x, \(3,\); got \(2,\)"),
    "neuron w array": (lambda: neuron_trace(1.0, np.ones(2), 0.0, 1.0), ValueError, r"w must be a single number; got shape \(2,\)"),
    "dense_backward dz batch": (lambda: dense_backward(np.ones((3, 2)), DENSE_CACHE), ValueError, r"dz must have the forward output's shape \(4, 2\); got \(3, 2\)"),
    "dense_backward dz 1-D": (lambda: dense_backward(np.ones(8), DENSE_CACHE), ValueError, r"dz must be 2-D; got 1-D"),
    "sigmoid_backward da shape": (lambda: sigmoid_backward(np.ones((3, 2)), SIGMOID_CACHE), ValueError, r"da must have the same shape as the forward input z, \(2, 3\); got \(3, 2\)"),
    # NaN, inf, empty
    "NaN": (lambda: sigmoid_forward(np.array([0.0, np.nan])), ValueError, r"z must be finite; it contains NaN or inf"),
    "inf": (lambda: mse(np.array([np.inf]), np.zeros(1)), ValueError, r"y must be finite"),
    "inf in params": (lambda: dense_forward(X, {"W": PARAMS["W"], "b": np.array([0.0, -np.inf])}), ValueError, r"params\['b'\] must be finite"),
    "empty array": (lambda: softmax(np.zeros((0, 3))), ValueError, r"z must not be empty; got shape \(0, 3\)"),
    "empty list": (lambda: relu_forward([]), ValueError, r"z must not be empty"),
    # wrong dtypes
    "labels float": (lambda: softmax_cross_entropy_with_logits(Z, np.array([0.0, 1.0])), TypeError, r"labels must be integer class indices; got dtype float64"),
    "labels bool": (lambda: softmax_cross_entropy_with_logits(Z, np.array([True, False])), TypeError, r"labels must be integer class indices; got dtype bool"),
    "bool dtype": (lambda: sigmoid_forward(np.array([True, False])), TypeError, r"z must hold real numbers; got dtype bool"),
    "object dtype": (lambda: tanh_forward(np.array([1.0, None], dtype=object)), TypeError, r"z must hold real numbers; got dtype object"),
    "str dtype": (lambda: relu_forward(np.array(["1", "2"])), TypeError, r"z must hold real numbers; got dtype <U1"),
    "complex dtype": (lambda: mse(np.array([1j]), np.zeros(1)), TypeError, r"y must hold real numbers; got dtype complex128"),
    "ragged list": (lambda: tanh_forward([[1.0, 2.0], [3.0]]), TypeError, r"z must be a rectangular array of numbers; got a ragged list"),
    # wrong types
    "None": (lambda: sigmoid_forward(None), TypeError, r"z must be a number or an array of numbers; got NoneType"),
    "dict as x": (lambda: dense_forward({"x": 1.0}, PARAMS), TypeError, r"x must be a number or an array of numbers; got dict"),
    "str as y": (lambda: mse("0.5", np.zeros(1)), TypeError, r"y must be a number or an array of numbers; got str"),
    "str as w": (lambda: neuron_trace(1.0, "0.5", 0.0, 1.0), TypeError, r"w must be a real number; got str"),
    "params list": (lambda: dense_forward(X, [PARAMS["W"], PARAMS["b"]]), TypeError, r"params must be a dict with keys 'W' and 'b'; got list"),
    "params missing b": (lambda: dense_forward(X, {"W": PARAMS["W"]}), TypeError, r"params must be a dict with keys 'W' and 'b'; got keys \['W'\]"),
    "f not callable": (lambda: numerical_gradient(3.0, np.ones(2)), TypeError, r"f must be a function; got float"),
    "params not dict": (lambda: check_gradients(float, [np.ones(2)], {}), TypeError, r"params and grads must be dicts"),
    "grads keys": (lambda: check_gradients(float, {"w": np.ones(2)}, {"v": np.ones(2)}), ValueError, r"grads must have the keys of params, \['w'\]; got \['v'\]"),
    "db without the sum": (lambda: check_gradients(lambda p: 0.0, {"b": np.ones(2)}, {"b": np.ones((3, 2))}), ValueError, r"grads\['b'\] must have the shape of params\['b'\], \(2,\); got \(3, 2\)"),
    # values out of range
    "label too large": (lambda: softmax_cross_entropy_with_logits(Z, np.array([0, 3])), ValueError, r"labels must be class indices in 0..2"),
    "label negative": (lambda: softmax_cross_entropy_with_logits(Z, np.array([-1, 0])), ValueError, r"labels must be class indices in 0..2"),
    "labels shape": (lambda: softmax_cross_entropy_with_logits(Z, np.array([0, 1, 2])), ValueError, r"labels must have shape \(2,\), one class per row of z; got \(3,\)"),
    "bce y_true above 1": (lambda: binary_cross_entropy_with_logits(np.zeros(2), np.array([0.0, 1.5])), ValueError, r"y_true must hold labels or probabilities in \[0, 1\]"),
    "neuron y_true below 0": (lambda: neuron_trace(1.0, 0.0, 0.0, -0.1), ValueError, r"y_true must be in \[0, 1\]"),
    "leaky slope 1": (lambda: leaky_relu_forward(Z, slope=1.0), ValueError, r"slope must be in \[0, 1\); got 1.0"),
    # rng, learning rate, steps, sizes and init scale
    "RandomState rng": (lambda: init_dense(3, 2, np.random.RandomState(0)), TypeError, r"rng must be a numpy.random.Generator, e.g. np.random.default_rng\(0\); got RandomState"),
    "int seed as rng": (lambda: init_dense(3, 2, 0), TypeError, r"rng must be a numpy.random.Generator.*; got int"),
    "scale name": (lambda: init_dense(3, 2, RNG, scale="glorot"), ValueError, r"scale must be a positive number or one of \['he', 'lecun', 'xavier'\]; got 'glorot'"),
    "scale negative": (lambda: init_dense(3, 2, RNG, scale=-0.1), ValueError, r"scale must be positive; got -0.1"),
    "d_in zero": (lambda: init_dense(0, 2, RNG), ValueError, r"d_in must be positive; got 0"),
    "d_out float": (lambda: init_dense(3, 2.0, RNG), TypeError, r"d_out must be a positive integer; got float"),
    "lr zero": (lambda: descend(lr=0.0), ValueError, r"lr must be positive; got 0.0"),
    "lr negative": (lambda: descend(lr=-1), ValueError, r"lr must be positive; got -1.0"),
    "lr None": (lambda: descend(lr=None), TypeError, r"lr must be a real number; got NoneType"),
    "steps zero": (lambda: descend(steps=0), ValueError, r"steps must be positive; got 0"),
    "steps float": (lambda: descend(steps=2.5), TypeError, r"steps must be a positive integer; got float"),
    "steps bool": (lambda: descend(steps=True), TypeError, r"steps must be a positive integer; got bool"),
    # a cache that is not the forward pass's
    "sigmoid_backward cache None": (lambda: sigmoid_backward(Z, None), TypeError, r"cache must be the ActivationCache that sigmoid_forward returned; got NoneType"),
    "relu_backward cache tuple": (lambda: relu_backward(Z, (Z, Z)), TypeError, r"cache must be the ActivationCache that relu_forward returned; got tuple"),
    "leaky_relu_backward relu cache": (lambda: leaky_relu_backward(Z, relu_forward(Z)[1]), TypeError, r"cache must be the LeakyReluCache that leaky_relu_forward returned; got ActivationCache"),
    "dense_backward cache None": (lambda: dense_backward(np.ones((4, 2)), None), TypeError, r"cache must be the DenseCache that dense_forward returned; got NoneType"),
    # batch normalization: running statistics, and a batch of one everywhere it trains
    "bn inference negative var": (lambda: batchnorm_inference(Z[:, :2], init_batchnorm(2), RunningStats(np.zeros(2), np.array([1.0, -1.0]))), ValueError, r"stats.var must be non-negative, a variance per feature; got a minimum of -1"),
    "bn inference NaN mean": (lambda: batchnorm_inference(Z[:, :2], init_batchnorm(2), RunningStats(np.array([np.nan, 0.0]), np.ones(2))), ValueError, r"stats.mean must be finite; it contains NaN or inf"),
    "bn update inf var": (lambda: update_running_stats(RunningStats(np.zeros(2), np.array([np.inf, 1.0])), BN_CACHE), ValueError, r"stats.var must be finite"),
    "bn forward batch 1": (lambda: batchnorm_forward(np.ones((1, 4)), init_batchnorm(4)), ValueError, r"x must hold at least 2 examples for batch normalization; " + ONE_EXAMPLE),
    "deep_forward batch 1": (lambda: deep_forward(np.ones((1, 4)), BN_NET, "relu"), ValueError, r"x must hold at least 2 examples for batch normalization; " + ONE_EXAMPLE),
    "train_deep batch 1": (lambda: train_deep(np.ones((1, 4)), np.ones((1, 1)), BN_NET, "relu"), ValueError, r"x must hold at least 2 examples for batch normalization; " + ONE_EXAMPLE),
    "gradient_health batch 1": (lambda: gradient_health(3, "relu", "he", batchnorm=True, batch=1), ValueError, r"batch must be at least 2 with batchnorm=True; got 1: on one example the batch variance is 0"),
    "gradient_health batch 0": (lambda: gradient_health(3, "relu", "he", batch=0), ValueError, r"batch must be positive; got 0"),
    # a model's training step given the wrong kind of optimizer or loss
    "train_step optimizer None": (lambda: MODEL.train_step(X[:, :1], X[:, :1], mse, None), TypeError, r"optimizer must be an optimizer object with a step\(params, grads\) method, e\.g\. Adam\(0\.01\); got NoneType"),
    "train_step optimizer class": (lambda: MODEL.train_step(X[:, :1], X[:, :1], mse, Adam), TypeError, r"optimizer must be an optimizer object .*; got the class Adam itself \(call it to make one\)"),
    "loss_fn returns the loss only": (lambda: MODEL.train_step(X[:, :1], X[:, :1], lambda out, y: mse(out, y)[0], Adam(0.01)), TypeError, r"loss_fn must return two values, \(loss, dout\).*; got a float"),
    "loss_fn dout wrong shape": (lambda: MODEL.gradients(X[:, :1], X[:, :1], lambda out, y: (0.0, out[:, 0])), ValueError, r"loss_fn's dout must have the output's shape \(4, 1\); got \(4,\)"),
    "labels one short": (lambda: CLASSIFIER.gradients(np.ones((4, 2)), np.array([0, 1, 2]), softmax_cross_entropy_with_logits), ValueError, r"y must hold one class label per row of x, shape \(4,\), or targets of shape \(4, 3\); got labels of shape \(3,\)"),
    # gradient checks given a function of the wrong kind
    "numerical_gradient array f": (lambda: numerical_gradient(lambda v: v**2, np.ones(2)), ValueError, r"f\(x\) must be a single number; got shape \(2,\)"),
    "check_gradients loss None": (lambda: check_gradients(lambda p: None, {"w": np.ones(2)}, {"w": np.ones(2)}), TypeError, r"loss_fn\(params\) must be a real number; got NoneType"),
    "check_gradients loss_fn int": (lambda: check_gradients(3, {"w": np.ones(2)}, {"w": np.ones(2)}), TypeError, r"loss_fn must be a function params -> loss; got int"),
}


@pytest.mark.parametrize("call, error, message", CASES.values(), ids=list(CASES))
def test_bad_input_is_reported_clearly(call, error, message):
    with pytest.raises(error, match=message) as info:
        call()
    assert type(info.value) is error  # not merely a subclass


# --- optimizers: a NaN or inf gradient is refused, a huge one still gives the usual step -------------

OPTIMIZERS = [SGD, Momentum, RMSProp, Adam]


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("first", [True, False], ids=["first step", "later step"])
@pytest.mark.parametrize("make", OPTIMIZERS, ids=lambda c: c.__name__)
def test_optimizers_refuse_a_non_finite_gradient_naming_its_key_and_change_nothing(make, first, bad):
    optimizer, params = make(0.1), {"W1": np.ones((2, 2)), "b1": np.ones(2)}
    if not first:
        optimizer.step(params, {"W1": np.ones((2, 2)), "b1": np.ones(2)})
    params_before = {k: v.copy() for k, v in params.items()}
    state_before = {k: [s.copy() for s in slots] for k, slots in optimizer.state.items()}
    steps_before = getattr(optimizer, "t", None)
    with pytest.raises(ValueError, match=r"grads\['b1'\] must be finite; it contains NaN or inf") as info:
        optimizer.step(params, {"W1": np.ones((2, 2)), "b1": np.array([bad, 1.0])})
    assert type(info.value) is ValueError
    for key in params:
        np.testing.assert_array_equal(params[key], params_before[key])
    assert {k: [s.tolist() for s in slots] for k, slots in optimizer.state.items()} == {k: [s.tolist() for s in slots] for k, slots in state_before.items()}
    assert getattr(optimizer, "t", None) == steps_before


@pytest.mark.parametrize("dtype, huge", [(np.float64, 1e300), (np.float32, 1e35)], ids=["float64", "float32"])
@pytest.mark.parametrize("make", [RMSProp, Adam], ids=lambda c: c.__name__)
def test_huge_gradients_give_the_same_steps_as_moderate_ones(make, dtype, huge):
    """RMSProp's and Adam's steps do not depend on the gradients' scale (ε aside), so gradients
    whose squares overflow must move the params as these gradients scaled down do. Any numpy
    warning fails the test (pyproject's filterwarnings)."""
    gradients = np.array([[1.0, -2.0, 0.5], [-3.0, 1.0, 0.5], [2.0, 2.0, -1.0]])
    moved = {}
    for scale in (1e3, huge / 3):
        optimizer, params = make(0.1), {"w": np.zeros(3, dtype)}
        for g in gradients:
            optimizer.step(params, {"w": (scale * g).astype(dtype)})
        moved[scale] = params["w"]
    assert np.all(np.isfinite(moved[huge / 3])) and np.abs(moved[huge / 3]).max() > 0.1
    np.testing.assert_allclose(moved[huge / 3], moved[1e3], rtol=1e-5 if dtype == np.float32 else 1e-9)
