"""Property tests: every forward/backward pair agrees with central differences in float64.

Values are drawn on a grid of step 1/64 (exact in binary), so two draws are either equal or
clearly different; draws whose true gradient is about 0 are skipped, because there the
relative error compares nothing but rounding noise (about 1e-11 of the loss). Layers are
up to 64 wide and batches as small as 1; activations and logits are also drawn deep in
saturation (|z| up to 40), where each entry is held to what central differences can
resolve there (see ``assert_close_entrywise``).
"""
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from helpers.activations import ACTIVATIONS, sigmoid, sigmoid_backward, sigmoid_forward, tanh_backward, tanh_forward
from helpers.clipping import clip_by_value
from helpers.datasets import train_test_split
from helpers.gradcheck import check_gradients, numerical_gradient, numerical_gradient_backward, relative_error
from helpers.layers import dense_backward, dense_forward
from helpers.losses import binary_cross_entropy_with_logits, mse, softmax_cross_entropy_with_logits
from helpers.neuron import neuron_trace

TOL = 1e-7
FAST = settings(max_examples=40, deadline=None, derandomize=True, database=None)
WIDE = settings(FAST, max_examples=15)  # layers up to 64 wide: thousands of central differences each


def grid(lo=-2.0, hi=2.0, step=1 / 64):
    return st.integers(round(lo / step), round(hi / step)).map(lambda k: k * step)


def arrays(shape, elements=grid()):
    return hnp.arrays(np.float64, shape, elements=elements)


def grid_arrays(data):
    """For wide layers: arrays on the same grid in [−2, 2], from a seed hypothesis draws
    (drawing thousands of entries one by one would be slow and overrun its buffer)."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))
    return lambda *shape: rng.integers(-128, 129, size=shape) / 64


batch, width = st.integers(1, 5), st.integers(1, 64)  # batch 1 included
off_kink = grid().filter(lambda v: abs(v) > 1e-3)  # ReLU-family inputs keep away from the kink at 0
saturating = grid(-40, 40).filter(lambda v: abs(v) > 1e-3)  # σ(40) is 1.0 in float64, σ(−40) is 4e-18


def assert_close(analytic, numeric):
    assume(np.linalg.norm(numeric) > 1e-3)
    err = relative_error(analytic, numeric)
    assert err < TOL, f"relative error {err:.1e}"


def assert_close_entrywise(analytic, forward, z, da, h=1e-5):
    """Each entry of an elementwise function's backward agrees with its own central difference,
    to 1e-6 relative, or within what the difference cannot resolve: the rounding of
    ``f(z ± h)`` (a few ulps of the value, divided by 2h) plus the h² truncation.

    Where f keeps its relative precision (σ at z = −30 is 9e-14 with all its digits) this
    checks the tiny derivative to six digits; where f is rounded to ±1 (σ or tanh at
    z = 30) it checks that the gradient vanishes, to about 1e-11.
    """
    plus, minus = forward(z + h)[0], forward(z - h)[0]
    numeric = (plus - minus) / (2 * h) * da
    noise = (8 * np.finfo(float).eps * (np.abs(plus) + np.abs(minus)) / (2 * h) + h**2) * np.abs(da)
    excess = np.abs(analytic - numeric) - (1e-6 * np.abs(numeric) + noise)
    worst = np.unravel_index(np.argmax(excess), excess.shape)
    assert excess[worst] <= 0, f"at z = {z[worst]}: analytic {analytic[worst]:.6g}, numerical {numeric[worst]:.6g}"


def assert_check_passes(loss_fn, params, grads):
    assume(all(np.linalg.norm(g) > 1e-3 for g in grads.values()))
    report = check_gradients(loss_fn, params, grads)
    assert report.passed(TOL), str(report)
    return report


@pytest.mark.parametrize("saturated", [False, True], ids=["moderate", "saturated"])
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@FAST
@given(shape=hnp.array_shapes(max_dims=3, max_side=4), slope=grid(0.0, 0.99), data=st.data())
def test_activation_backward(name, saturated, shape, slope, data):
    """Within [−2, 2] the whole array is checked at once; into saturation, entry by entry."""
    forward, backward = ACTIVATIONS[name]
    kwargs = {"slope": slope} if name == "leaky_relu" else {}
    z, da = data.draw(arrays(shape, saturating if saturated else off_kink)), data.draw(arrays(shape))
    with np.errstate(all="raise"):
        _, cache = forward(z, **kwargs)
        dz = backward(da, cache)
    if saturated:
        assert_close_entrywise(dz, lambda v: forward(v, **kwargs), z, da)
    else:
        assert_close(dz, numerical_gradient_backward(lambda v: forward(v, **kwargs)[0], z, da))


@FAST
@given(n=batch, d=st.integers(0, 4), data=st.data())
def test_mse_gradient(n, d, data):
    shape = (n, d) if d else (n,)
    y, t = data.draw(arrays(shape)), data.draw(arrays(shape))
    assert_close(mse(y, t)[1], numerical_gradient(lambda v: mse(v, t)[0], y))


@FAST
@given(n=batch, column=st.booleans(), data=st.data())
def test_binary_cross_entropy_gradient(n, column, data):
    shape = (n, 1) if column else (n,)
    z, t = data.draw(arrays(shape, grid(-40, 40))), data.draw(arrays(shape, grid(0, 1)))
    loss = binary_cross_entropy_with_logits
    assert_close(loss(z, t)[1], numerical_gradient(lambda v: loss(v, t)[0], z))


@FAST
@given(n=batch, c=st.integers(2, 64), data=st.data())
def test_softmax_cross_entropy_gradient(n, c, data):
    z = data.draw(arrays((n, c), grid(-40, 40)))
    labels = data.draw(hnp.arrays(np.int64, n, elements=st.integers(0, c - 1)))
    loss = softmax_cross_entropy_with_logits
    assert_close(loss(z, labels)[1], numerical_gradient(lambda v: loss(v, labels)[0], z))


@WIDE
@given(n=batch, d_in=width, d_out=width, data=st.data())
def test_dense_backward(n, d_in, d_out, data):
    draw = grid_arrays(data)
    p = {"x": draw(n, d_in), "W": draw(d_in, d_out), "b": draw(d_out)}
    dout = draw(n, d_out)

    def loss(q):
        return float(np.sum(dense_forward(q["x"], {"W": q["W"], "b": q["b"]})[0] * dout))

    _, cache = dense_forward(p["x"], {"W": p["W"], "b": p["b"]})
    dx, grads = dense_backward(dout, cache)
    assert_check_passes(loss, p, {"x": dx, **grads})


@FAST
@given(n=batch, data=st.data())
def test_neuron_gradients(n, data):
    x, t = data.draw(arrays(n)), data.draw(arrays(n, grid(0, 1)))
    p = {"w": np.array(data.draw(grid())), "b": np.array(data.draw(grid()))}
    trace = neuron_trace(x, p["w"], p["b"], t)
    grads = {"w": np.array(trace.dL_dw), "b": np.array(trace.dL_db)}
    assert_check_passes(lambda q: neuron_trace(x, q["w"], q["b"], t).loss, p, grads)


@WIDE
@given(n=batch, d_in=width, d_out=width, data=st.data())
def test_fan_out_input_gets_the_sum_of_both_paths(n, d_in, d_out, data):
    """x feeds two branches, σ(x W1 + b1) + tanh(x W2 + b2): dx is the sum of the branches' dx."""
    draw = grid_arrays(data)

    def layer():
        return {"W": draw(d_in, d_out), "b": draw(d_out)}

    x, p1, p2 = draw(n, d_in), layer(), layer()
    dout = draw(n, d_out)

    def loss(q):
        a1, _ = sigmoid_forward(dense_forward(q["x"], p1)[0])
        a2, _ = tanh_forward(dense_forward(q["x"], p2)[0])
        return float(np.sum((a1 + a2) * dout))

    dx = []
    for p, (forward, backward) in [(p1, (sigmoid_forward, sigmoid_backward)), (p2, (tanh_forward, tanh_backward))]:
        z, dense_cache = dense_forward(x, p)
        _, cache = forward(z)
        dx.append(dense_backward(backward(dout, cache), dense_cache)[0])
    assume(min(np.linalg.norm(d) for d in dx) > 1e-3)
    assert_check_passes(loss, {"x": x}, {"x": dx[0] + dx[1]})
    assert not check_gradients(loss, {"x": x}, {"x": dx[0]}).passed(TOL)  # one path alone is wrong


@WIDE
@given(n=batch, d=width, data=st.data())
def test_fan_out_shared_weights_get_the_sum_of_both_uses(n, d, data):
    """The same W, b are used twice, z2 = tanh(x W + b) W + b: dW and db sum over both uses."""
    draw = grid_arrays(data)
    p = {"x": draw(n, d), "W": draw(d, d), "b": draw(d)}
    dout = draw(n, d)

    def loss(q):
        layer = {"W": q["W"], "b": q["b"]}
        h, _ = tanh_forward(dense_forward(q["x"], layer)[0])
        return float(np.sum(dense_forward(h, layer)[0] * dout))

    layer = {"W": p["W"], "b": p["b"]}
    z1, cache1 = dense_forward(p["x"], layer)
    h, tanh_cache = tanh_forward(z1)
    _, cache2 = dense_forward(h, layer)
    dh, second = dense_backward(dout, cache2)
    dx, first = dense_backward(tanh_backward(dh, tanh_cache), cache1)
    assert_check_passes(loss, p, {"x": dx, "W": first["W"] + second["W"], "b": first["b"] + second["b"]})


@FAST
@given(n=batch, c=st.integers(2, 4), data=st.data())
def test_sigmoid_and_losses_are_finite_and_silent_at_huge_inputs(n, c, data):
    huge = st.floats(-1e4, 1e4, allow_subnormal=False)
    z = data.draw(arrays((n, c), huge))
    t = data.draw(arrays((n, c), st.floats(0, 1, allow_subnormal=False)))
    labels = data.draw(hnp.arrays(np.int64, n, elements=st.integers(0, c - 1)))
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        outputs = [sigmoid(z), mse(z, t), binary_cross_entropy_with_logits(z, t), softmax_cross_entropy_with_logits(z, labels)]
    for out in outputs:
        for value in out if isinstance(out, tuple) else (out,):
            assert np.all(np.isfinite(value))


@FAST
@given(n=st.integers(2, 200), fraction=st.floats(0.01, 0.99), seed=st.integers(0, 2**32 - 1))
def test_the_test_set_holds_the_asked_fraction(n, fraction, seed):
    """round(fraction · n) test examples, but at least one and at least one left to train on."""
    x, labels = np.zeros((n, 2)), np.arange(n)
    _, y_train, _, y_test = train_test_split(x, labels, np.random.default_rng(seed), test_fraction=fraction)
    assert len(y_test) == min(max(1, round(fraction * n)), n - 1) and len(y_train) == n - len(y_test)
    if 1 <= fraction * n <= n - 1:
        assert abs(len(y_test) - fraction * n) <= 0.5


@FAST
@given(data=st.data(), limit=grid(1 / 64, 4))
def test_clipping_by_value_keeps_each_sign_and_caps_each_size(data, limit):
    """Every entry keeps its sign and becomes min(|g|, limit) in size: the nearest value in [−limit, limit]."""
    grads = {key: data.draw(arrays(shape, grid(-8, 8))) for key, shape in (("W", (3, 2)), ("b", (2,)))}
    clipped, _ = clip_by_value(grads, limit)
    for key, g in grads.items():
        np.testing.assert_array_equal(np.sign(clipped[key]), np.sign(g))
        np.testing.assert_array_equal(np.abs(clipped[key]), np.minimum(np.abs(g), limit))
