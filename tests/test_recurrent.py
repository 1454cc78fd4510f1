"""The recurrent pairs: central differences over shapes, lengths and seeds, truncation, the fast path, bad input, PyTorch."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from helpers.gradcheck import check_gradients, numerical_gradient, relative_error
from helpers.optimizers import Adam
from helpers.recurrent import (
    CELL_TYPES, FAST, cell_backward, cell_forward, gru_forward, hidden_gradients, init_cell, init_gru, init_lstm, init_rnn,
    lstm_backward_through_time, lstm_forward, rnn_backward, rnn_forward, scale_to_spectral_radius,
)

TOL = 1e-7
FEW = settings(max_examples=12, deadline=None, derandomize=True, database=None)


def problem(cell, n, T, d, H, seed, jitter=0.3):
    """Random parameters (off their init, so every gate matters), inputs, h0 and an upstream gradient on every h_t."""
    rng = np.random.default_rng(seed)
    params = init_cell(cell, d, H, rng)
    params = {k: v + rng.normal(0.0, jitter, size=v.shape) for k, v in params.items()}
    return params, rng.normal(size=(n, T, d)), rng.normal(size=(n, H)), rng.normal(size=(n, T, H))


def gradient_errors(cell, params, x, h0, dh, forward=cell_forward, backward=cell_backward):
    """Worst relative errors of the analytic params', x's and h0's gradients against central differences."""
    h, cache = (forward(cell, x, params, h0) if forward is cell_forward else forward(x, params, h0))
    dx, dh0, grads = backward(cell, dh, cache) if backward is cell_backward else backward(dh, cache)

    def loss(p=params, v=x, s=h0):
        return float(np.sum(cell_forward(cell, v, p, s)[0] * dh))

    report = check_gradients(lambda p: loss(p=p), params, grads)
    return (report.worst_error, relative_error(dx, numerical_gradient(lambda v: loss(v=v), x)),
            relative_error(dh0, numerical_gradient(lambda s: loss(s=s), h0)))


@pytest.mark.parametrize("cell", CELL_TYPES)
@FEW
@given(n=st.integers(1, 3), T=st.integers(1, 6), d=st.integers(1, 3), H=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_backward_matches_central_differences(cell, n, T, d, H, seed):
    errors = gradient_errors(cell, *problem(cell, n, T, d, H, seed))
    assert max(errors) < TOL, errors


@pytest.mark.parametrize("cell", CELL_TYPES)
@FEW
@given(n=st.integers(1, 3), T=st.integers(1, 6), d=st.integers(1, 3), H=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_the_fast_path_computes_the_same_numbers(cell, n, T, d, H, seed):
    params, x, h0, dh = problem(cell, n, T, d, H, seed)
    forward, backward = FAST[cell]
    h, cache = cell_forward(cell, x, params, h0)
    h_fast, cache_fast = forward(x, params, h0)
    np.testing.assert_allclose(h_fast, h, rtol=1e-12, atol=1e-14)
    for plain, fast in zip(cache, cache_fast, strict=True):
        np.testing.assert_allclose(fast, plain, rtol=1e-12, atol=1e-14)
    for plain, fast in zip(cell_backward(cell, dh, cache)[:2], backward(dh, cache_fast)[:2], strict=True):
        np.testing.assert_allclose(fast, plain, rtol=1e-10, atol=1e-13)
    grads, grads_fast = cell_backward(cell, dh, cache)[2], backward(dh, cache_fast)[2]
    assert grads.keys() == grads_fast.keys() == params.keys()
    for key in grads:
        np.testing.assert_allclose(grads_fast[key], grads[key], rtol=1e-10, atol=1e-13)


def test_a_long_sequence_with_saturated_units_still_checks():
    for cell in CELL_TYPES:
        params, x, h0, dh = problem(cell, 2, 30, 2, 3, seed=5, jitter=1.0)
        errors = gradient_errors(cell, params, 3 * x, h0, dh)
        assert max(errors) < 1e-6, (cell, errors)


@FEW
@given(T=st.integers(1, 9), k=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_truncated_bptt_is_full_bptt_of_each_chunk_with_the_state_carried_over(T, k, seed):
    params, x, h0, dh = problem("rnn", 2, T, 2, 3, seed)
    h, cache = rnn_forward(x, params, h0)
    _, dh0, grads = rnn_backward(dh, cache, truncate=k)
    _, dh0_fast, grads_fast = FAST["rnn"][1](dh, FAST["rnn"][0](x, params, h0)[1], truncate=k)
    expected = {key: 0.0 for key in params}
    for start in range(0, T, k):
        _, chunk = rnn_forward(x[:, start : start + k], params, cache.hs[:, start])
        for key, g in rnn_backward(dh[:, start : start + k], chunk)[2].items():
            expected[key] = expected[key] + g
    for key in params:
        np.testing.assert_allclose(grads[key], expected[key], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(grads_fast[key], expected[key], rtol=1e-10, atol=1e-13)
    assert not dh0.any() and not dh0_fast.any()


def test_truncation_longer_than_the_sequence_is_full_bptt():
    params, x, h0, dh = problem("rnn", 2, 5, 2, 3, seed=1)
    _, cache = rnn_forward(x, params, h0)
    full, cut = rnn_backward(dh, cache), rnn_backward(dh, cache, truncate=5)
    assert all(np.array_equal(full[2][k], cut[2][k]) for k in params)


def test_the_lstm_cell_path_carries_the_gradient_by_the_forget_gate():
    """∂c_T/∂c_0 = Π f_t elementwise when the cell path is the only path (W_h = 0: no way back through h)."""
    rng = np.random.default_rng(3)
    params = init_lstm(2, 3, rng, forget_bias=2.0)
    params["W_h"] = np.zeros_like(params["W_h"])
    x = rng.normal(size=(2, 6, 2))
    h, cache = lstm_forward(x, params)
    dc = np.zeros_like(h)
    dc[:, -1] = 1.0
    _, _, dc0, _ = lstm_backward_through_time(np.zeros_like(h), cache, dc)
    np.testing.assert_allclose(dc0, np.prod(cache.gates[:, :, 3:6], axis=1), rtol=1e-12)


def test_hidden_gradients_equal_the_backward_of_a_loss_on_the_last_step():
    for cell in CELL_TYPES:
        params, x, h0, _ = problem(cell, 2, 6, 2, 3, seed=2)
        h, cache = cell_forward(cell, x, params, h0)
        g = np.random.default_rng(0).normal(size=h[:, -1].shape)
        per_step = hidden_gradients(cell, g, cache)
        dh = np.zeros_like(h)
        dh[:, -1] = g
        np.testing.assert_allclose(per_step[:, -1], g)
        # ∂L/∂h_0 (the initial state) is the backward's dh0; one step further back than per_step[:, 0]
        _, dh0, _ = cell_backward(cell, dh, cache)
        if cell == "lstm":  # the suffix starts from both states of step 1
            _, cache_from_h1 = lstm_forward(x[:, 1:], params, h[:, 0], cache.cs[:, 1])
        else:
            _, cache_from_h1 = cell_forward(cell, x[:, 1:], params, h[:, 0])
        _, dh1, _ = cell_backward(cell, dh[:, 1:], cache_from_h1)
        np.testing.assert_allclose(per_step[:, 0], dh1, rtol=1e-10, atol=1e-14)
        assert dh0.shape == per_step[:, 0].shape


def test_init_conventions():
    rng = np.random.default_rng(0)
    lstm = init_lstm(2, 3, rng, forget_bias=1.0)
    assert lstm["b"].tolist() == [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    assert np.abs(lstm["W_h"]).max() <= 1 / np.sqrt(3)
    rnn = init_rnn(2, 5, rng, spectral_radius=1.3)
    assert np.max(np.abs(np.linalg.eigvals(rnn["W_hh"]))) == pytest.approx(1.3)
    gru = init_cell("gru", 2, 4, rng, spectral_radius=0.5)
    for block in np.split(gru["W_h"], 3, axis=1):
        assert np.max(np.abs(np.linalg.eigvals(block))) == pytest.approx(0.5)
    assert init_gru(2, 3, np.random.default_rng(1))["W_x"].tolist() == init_gru(2, 3, np.random.default_rng(1))["W_x"].tolist()


def test_params_and_grads_have_equal_keys_so_an_optimizer_trains_them():
    rng = np.random.default_rng(0)
    for cell in CELL_TYPES:
        params, x = init_cell(cell, 2, 3, rng), rng.normal(size=(4, 5, 2))
        target = rng.normal(size=(4, 3))
        losses, optimizer = [], Adam(0.05)
        for _ in range(30):
            h, cache = cell_forward(cell, x, params)
            dh = np.zeros_like(h)
            dh[:, -1] = h[:, -1] - target
            losses.append(0.5 * np.sum(dh[:, -1] ** 2))
            optimizer.step(params, cell_backward(cell, dh, cache)[2])
        assert losses[-1] < 0.5 * losses[0], cell


def test_backward_does_not_change_its_inputs():
    for cell in CELL_TYPES:
        params, x, h0, dh = problem(cell, 2, 4, 2, 3, seed=4)
        h, cache = cell_forward(cell, x, params, h0)
        before = [np.copy(a) for a in cache] + [dh.copy()]
        cell_backward(cell, dh, cache)
        FAST[cell][1](dh, cache)
        assert all(np.array_equal(a, b) for a, b in zip(list(cache) + [dh], before))


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: rnn_forward(np.ones((2, 3)), init_rnn(1, 2, np.random.default_rng(0))), ValueError, "x must be 3-D"),
        (lambda: rnn_forward(np.ones((2, 3, 4)), init_rnn(1, 2, np.random.default_rng(0))), ValueError, "x must have shape (N, T, 1)"),
        (lambda: rnn_forward(np.ones((2, 3, 1)), init_rnn(1, 2, np.random.default_rng(0)), h0=np.ones((3, 2))), ValueError, "h0 must have shape (2, 2)"),
        (lambda: rnn_forward(np.ones((2, 3, 1)), {"W_xh": np.ones((1, 2))}), TypeError, "params must be a dict with the keys 'W_xh', 'W_hh', 'b'"),
        (lambda: rnn_forward(np.ones((2, 3, 1)), {"W_xh": np.ones((1, 2)), "W_hh": np.ones((2, 3)), "b": np.zeros(2)}), ValueError, "must be square"),
        (lambda: lstm_forward(np.ones((2, 3, 1)), {**init_lstm(1, 2, np.random.default_rng(0)), "W_h": np.ones((2, 6))}), ValueError, "(H, 4H)"),
        (lambda: gru_forward(np.ones((2, 3, 1)), init_lstm(1, 2, np.random.default_rng(0))), TypeError, "keys 'W_x', 'W_h', 'b_x', 'b_h'"),
        (lambda: rnn_forward(np.full((1, 2, 1), np.nan), init_rnn(1, 2, np.random.default_rng(0))), ValueError, "finite"),
        (lambda: rnn_backward(np.ones((1, 2, 2)), "cache"), TypeError, "RNNCache"),
        (lambda: rnn_backward(np.ones((1, 3, 2)), rnn_forward(np.ones((1, 2, 1)), init_rnn(1, 2, np.random.default_rng(0)))[1]), ValueError, "dh must have shape (1, 2, 2)"),
        (lambda: rnn_backward(np.ones((1, 2, 2)), rnn_forward(np.ones((1, 2, 1)), init_rnn(1, 2, np.random.default_rng(0)))[1], truncate=0), ValueError, "truncate must be positive"),
        (lambda: init_lstm(2, 0, np.random.default_rng(0)), ValueError, "hidden must be positive"),
        (lambda: init_rnn(2, 3, 0), TypeError, "rng must be a numpy.random.Generator"),
        (lambda: cell_forward("transformer", np.ones((1, 2, 1)), {}), ValueError, "cell must be one of 'rnn', 'lstm', 'gru'"),
        (lambda: scale_to_spectral_radius(np.ones((2, 3)), 1.0), ValueError, "W must be square"),
    ],
)
def test_bad_input_is_named(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)


# --- PyTorch, where it is installed ---------------------------------------------------------


def _torch_module(torch, cell, params, d, H):
    """torch.nn.RNN / LSTM / GRU (batch_first, float64) holding our weights.

    PyTorch stores ``weight_ih_l0`` as (gates·H, D) and computes ``x Wᵀ``, so it gets our ``W_x.T``;
    its gate order is ours (LSTM i, f, g, o; GRU r, z, n). Its RNN and LSTM add two biases
    (``bias_ih + bias_hh``): ours goes in ``bias_ih``, zeros in ``bias_hh``. Its GRU keeps them
    apart, as ours does (``b_hn`` sits inside ``r ⊙ (…)``).
    """
    kind = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
    module = kind(d, H, batch_first=True, dtype=torch.float64)
    w_x, w_h = ("W_xh", "W_hh") if cell == "rnn" else ("W_x", "W_h")
    b_x, b_h = ("b", None) if cell != "gru" else ("b_x", "b_h")
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.from_numpy(params[w_x].T.copy()))
        module.weight_hh_l0.copy_(torch.from_numpy(params[w_h].T.copy()))
        module.bias_ih_l0.copy_(torch.from_numpy(params[b_x]))
        module.bias_hh_l0.copy_(torch.from_numpy(params[b_h]) if b_h else torch.zeros_like(module.bias_hh_l0))
    return module


@pytest.mark.parametrize("cell", CELL_TYPES)
def test_equal_to_pytorch_with_copied_weights(cell):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed: the comparison with torch.nn.RNN/LSTM/GRU is skipped")
    params, x, h0, dh = problem(cell, 3, 7, 2, 4, seed=11)
    h, cache = cell_forward(cell, x, params, h0)
    dx, dh0, grads = cell_backward(cell, dh, cache)
    module = _torch_module(torch, cell, params, 2, 4)
    tx, th0 = torch.tensor(x, requires_grad=True), torch.tensor(h0[None], requires_grad=True)
    state = (th0, torch.zeros_like(th0)) if cell == "lstm" else th0
    out, _ = module(tx, state)
    (out * torch.from_numpy(dh)).sum().backward()
    np.testing.assert_allclose(out.detach().numpy(), h, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(tx.grad.numpy(), dx, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(th0.grad.numpy()[0], dh0, rtol=1e-9, atol=1e-12)
    w_x, w_h = ("W_xh", "W_hh") if cell == "rnn" else ("W_x", "W_h")
    np.testing.assert_allclose(module.weight_ih_l0.grad.numpy().T, grads[w_x], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(module.weight_hh_l0.grad.numpy().T, grads[w_h], rtol=1e-9, atol=1e-12)
    if cell == "gru":
        np.testing.assert_allclose(module.bias_ih_l0.grad.numpy(), grads["b_x"], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(module.bias_hh_l0.grad.numpy(), grads["b_h"], rtol=1e-9, atol=1e-12)
    else:
        np.testing.assert_allclose(module.bias_ih_l0.grad.numpy(), grads["b"], rtol=1e-9, atol=1e-12)
