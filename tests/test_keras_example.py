"""Notebook 06's code: Keras's MSE, the training loop, and the optional PyTorch comparison."""
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from raises import assert_raises_exactly

from helpers import frameworks
from helpers.activations import KERNELS
from helpers.datasets import regression_1d
from helpers.gradcheck import numerical_gradient, relative_error
from helpers.losses import keras_mse, mse, softmax_cross_entropy_with_logits
from helpers.network import Dense, Sequential
from helpers.optimizers import SGD, Adam
from helpers.training import fit

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)


def make_model(seed=1, hidden=10, activation="sigmoid"):
    return Sequential([Dense(hidden, activation), Dense(1)], input_dim=1, rng=np.random.default_rng(seed))


# keras_mse


def test_keras_mse_is_the_mean_of_squares_and_twice_mse_for_one_output():
    y, t = np.array([[0.5], [2.0]]), np.array([[1.0], [0.0]])
    loss, dy = keras_mse(y, t)
    assert loss == pytest.approx(np.mean((y - t) ** 2))
    assert loss == pytest.approx(2 * mse(y, t)[0])
    np.testing.assert_allclose(dy, 2 * (y - t) / 2)


@SETTINGS
@given(n=st.integers(1, 5), d=st.integers(1, 4), seed=st.integers(0, 10**6))
def test_keras_mse_gradient_matches_central_differences(n, d, seed):
    rng = np.random.default_rng(seed)
    y, t = rng.normal(size=(n, d)), rng.normal(size=(n, d))
    loss, dy = keras_mse(y, t)
    assert loss == pytest.approx(np.mean((y - t) ** 2))
    numeric = numerical_gradient(lambda v: keras_mse(v, t)[0], y)
    assert relative_error(dy, numeric) < 1e-8


def test_keras_mse_accepts_a_flat_batch_and_names_bad_arguments():
    assert keras_mse(np.array([1.0, 3.0]), np.array([0.0, 0.0]))[0] == pytest.approx(5.0)
    assert_raises_exactly(lambda: keras_mse(np.zeros((2, 1)), np.zeros((3, 1))), ValueError,
                          r"y_true must have the same shape as y, \(2, 1\); got \(3, 1\)")
    assert_raises_exactly(lambda: keras_mse("out", np.zeros(2)), TypeError, r"y must be a number or an array of numbers; got str")


# fit


def test_per_sample_fit_is_the_keras_loop_written_out():
    x, y = regression_1d(15, np.random.default_rng(0))
    model, by_hand = make_model(), make_model()
    losses = fit(model, x, y, keras_mse, Adam(0.01), epochs=3)
    opt, expected = Adam(0.01), []
    for _ in range(3):
        step_losses = []
        for i in range(len(x)):
            out, cache = by_hand.forward(x[i : i + 1])
            loss, dout = keras_mse(out, y[i : i + 1])
            opt.step(by_hand.params, by_hand.backward(dout, cache)[1])
            step_losses.append(loss)
        expected.append(np.mean(step_losses))
    np.testing.assert_allclose(losses, expected, rtol=1e-12)
    for key in model.params:
        np.testing.assert_allclose(model.params[key], by_hand.params[key], rtol=1e-12)


def test_full_batch_fit_takes_one_step_per_epoch_and_small_last_batches_count_by_size():
    x, y = regression_1d(10, np.random.default_rng(0))
    model, stepped = make_model(), make_model()
    losses = fit(model, x, y, mse, SGD(0.5), epochs=2, batch_size=10)
    opt = SGD(0.5)
    expected = [stepped.train_step(x, y, mse, opt) for _ in range(2)]
    np.testing.assert_allclose(losses, expected, rtol=1e-12)
    # batches of 4, 4 and 2: the epoch's loss weights each by its size
    frozen = make_model()
    lr_zero_loss = fit(frozen, x, y, mse, SGD(1e-300), epochs=1, batch_size=4)
    assert lr_zero_loss[0] == pytest.approx(mse(frozen(x), y)[0], rel=1e-12)


def test_fit_shuffles_with_rng_and_keeps_order_without():
    x, y = regression_1d(12, np.random.default_rng(0))
    runs = [fit(make_model(), x, y, keras_mse, SGD(0.1), epochs=2, rng=rng) for rng in (None, None, np.random.default_rng(3))]
    np.testing.assert_array_equal(runs[0], runs[1])
    assert not np.allclose(runs[0], runs[2])


def test_keras_example_learns_the_curve():
    rng = np.random.default_rng(0)
    x, y = regression_1d(100, rng)
    model = make_model()
    before = keras_mse(model(x), y)[0]
    fit(model, x, y, keras_mse, Adam(0.01), epochs=10)
    assert keras_mse(model(x), y)[0] < before / 5


def test_fit_takes_integer_class_labels():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 2))
    labels = (x.sum(axis=1) > 0).astype(int)
    model = Sequential([Dense(6, "tanh"), Dense(2)], input_dim=2, rng=rng)
    losses = fit(model, x, labels, softmax_cross_entropy_with_logits, Adam(0.05), epochs=10, batch_size=8, rng=rng)
    assert losses[-1] < losses[0] / 2


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"model": object()}, TypeError, r"model must have a train_step\(x, y, loss_fn, optimizer\) method, like Sequential; got object"),
        ({"x": np.zeros(5)}, ValueError, r"x must be 2-D; got 1-D with shape \(5,\)"),
        ({"y": np.zeros((4, 1))}, ValueError, r"y must have one row per row of x, 5; got shape \(4, 1\)"),
        ({"epochs": 0}, ValueError, r"epochs must be positive; got 0"),
        ({"batch_size": 6}, ValueError, r"batch_size must be at most the number of samples, 5; got 6"),
        ({"batch_size": 1.5}, TypeError, r"batch_size must be a positive integer; got float"),
        ({"rng": 3}, TypeError, r"rng must be a numpy.random.Generator, e.g. np.random.default_rng\(0\); got int"),
    ],
)
def test_fit_names_the_bad_argument(kwargs, error, match):
    args = {"model": make_model(), "x": np.zeros((5, 1)), "y": np.zeros((5, 1)), "epochs": 1, "batch_size": 1, "rng": None}
    args.update(kwargs)
    assert_raises_exactly(lambda: fit(args.pop("model"), args.pop("x"), args.pop("y"), keras_mse, SGD(0.1), **args), error, match)


# frameworks


def test_torch_gradients_returns_none_without_torch(monkeypatch):
    monkeypatch.setattr(frameworks, "torch_available", lambda: False)
    model = make_model()
    x, y = regression_1d(4, np.random.default_rng(0))
    assert frameworks.torch_gradients(model.params, model.activations, x, y) is None


def test_torch_gradients_take_every_activation_sequential_takes(monkeypatch):
    """Without PyTorch too: a leaky-ReLU model is accepted (None: skipped), not refused."""
    assert set(KERNELS) | {None} == set(frameworks.TORCH_ACTIVATIONS)
    monkeypatch.setattr(frameworks, "torch_available", lambda: False)
    model = make_model(activation="leaky_relu")
    x, y = regression_1d(4, np.random.default_rng(0))
    assert frameworks.torch_gradients(model.params, model.activations, x, y) is None


def test_the_torch_activations_compute_ours():
    """Each entry, run on a numpy stand-in for the PyTorch calls it makes, gives our kernel's output
    (for leaky_relu: the slope our layers use is the one passed to PyTorch)."""

    def leaky_relu(z, negative_slope):  # torch.nn.functional.leaky_relu
        return np.where(z > 0, z, negative_slope * z)

    functional = SimpleNamespace(leaky_relu=leaky_relu)
    fake = SimpleNamespace(sigmoid=lambda z: 1 / (1 + np.exp(-z)), tanh=np.tanh, relu=lambda z: np.maximum(z, 0), nn=SimpleNamespace(functional=functional))
    z = np.linspace(-3, 3, 13)
    for name, kernel in KERNELS.items():
        np.testing.assert_allclose(frameworks.TORCH_ACTIVATIONS[name](fake, z), kernel[0](z, np.empty_like(z)).a, rtol=1e-12, err_msg=name)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu", None])
def test_torch_gradients_equal_ours(activation):
    pytest.importorskip("torch")
    model = make_model(activation=activation)
    x, y = regression_1d(7, np.random.default_rng(0))
    loss, grads = model.gradients(x, y, keras_mse)
    torch_loss, torch_grads = frameworks.torch_gradients(model.params, model.activations, x, y)
    assert torch_loss == pytest.approx(loss, rel=1e-12)
    for key in grads:
        assert relative_error(grads[key], torch_grads[key]) < 1e-12


def test_torch_gradients_catch_a_wrong_backward():
    pytest.importorskip("torch")
    model = make_model()
    x, y = regression_1d(7, np.random.default_rng(0))
    _, grads = model.gradients(x, y, mse)  # ½MSE: half of Keras's gradient
    _, torch_grads = frameworks.torch_gradients(model.params, model.activations, x, y)
    assert relative_error(grads["W1"], torch_grads["W1"]) > 0.3


@pytest.mark.parametrize(
    "change, match",
    [
        ({"activations": ("softplus", None)}, r"activations must be among \['sigmoid', 'tanh', 'relu', 'leaky_relu', None\]; got \['softplus'\]"),
        ({"activations": ("sigmoid",)}, r"params must have the keys \['W1', 'b1'\], one W and b per activation; got \['W1', 'W2', 'b1', 'b2'\]"),
        ({"params": [1, 2]}, r"params must have the keys \['W1', 'b1', 'W2', 'b2'\], one W and b per activation; got list"),
        ({"x": np.zeros((3, 2))}, r"x must have shape \(N, 1\); got shape \(3, 2\)"),
        ({"y": np.zeros((2, 1))}, r"y must have shape \(3, 1\); got shape \(2, 1\)"),
    ],
)
def test_torch_gradients_name_the_bad_argument(change, match):
    model = make_model()
    args = {"params": model.params, "activations": model.activations, "x": np.zeros((3, 1)), "y": np.zeros((3, 1))}
    args.update(change)
    assert_raises_exactly(lambda: frameworks.torch_gradients(**args), ValueError, match)


def test_importing_the_module_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, helpers.frameworks, helpers.training; print('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
