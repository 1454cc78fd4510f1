"""Recurrent cells over a whole sequence: a vanilla tanh RNN, an LSTM and a GRU, forward and backward.

Shapes are batch-first: ``x`` is ``(N, T, D)`` (N sequences, T time steps, D
features), the hidden states ``h`` are ``(N, T, H)``, ``h0`` is ``(N, H)``.
Each cell is a pure pair ``*_forward(x, params, h0=None) -> (h, cache)`` and
``*_backward(dh, cache) -> (dx, dh0, grads)``, where ``dh`` is the gradient of
the loss with respect to every hidden state ``h_t`` (zeros where a step has
no loss of its own) and ``grads`` has the keys of ``params``, so the optimizers
of :mod:`helpers.optimizers` update them directly.

The vanilla RNN (one hidden layer ``tanh``)::

    z_t = x_t W_xh + h_{t−1} W_hh + b,    h_t = tanh(z_t).

Backprop through time (BPTT) walks the steps backwards; the gradient reaching
``h_{t−1}`` is the step's own upstream gradient plus what flows back from the
future::

    δ_t = (dh_t + dh_next) ⊙ (1 − h_t²),        dh_next ← δ_t W_hhᵀ,
    dW_hh += h_{t−1}ᵀ δ_t,   dW_xh += x_tᵀ δ_t,   db += Σ_n δ_t,   dx_t = δ_t W_xhᵀ.

The weights are shared by every step, so their gradients *accumulate* (``+=``).
Truncated BPTT (``truncate=k``) cuts the sequence into chunks of ``k`` steps,
starting at t = 0, and lets no gradient cross a chunk boundary (as training on
chunks with the hidden state carried over but detached does).

The LSTM, gates in PyTorch's order **i, f, g, o** in one matrix of ``4H`` columns::

    a_t = x_t W_x + h_{t−1} W_h + b,   [i, f, g, o] = [σ, σ, tanh, σ](a_t split in four),
    c_t = f ⊙ c_{t−1} + i ⊙ g,         h_t = o ⊙ tanh(c_t).

so ``∂c_t/∂c_{t−1} = diag(f_t)``: a forget gate near 1 carries the gradient
along the cell state. ``init_lstm(…, forget_bias=1.0)`` starts f near σ(1) ≈ 0.73.

The GRU, gates in PyTorch's order **r, z, n**, the variant of PyTorch and cuDNN
(the reset gate multiplies the recurrent product *after* the matrix, with its
own bias ``b_h``)::

    r = σ(x W_xr + b_xr + h W_hr + b_hr),   z = σ(x W_xz + b_xz + h W_hz + b_hz),
    n = tanh(x W_xn + b_xn + r ⊙ (h W_hn + b_hn)),   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}.

The other published variant (Cho et al. 2014) uses ``(r ⊙ h) W_hn`` instead. We
implement PyTorch's so our numbers can be compared with ``torch.nn.GRU`` weight
for weight, and because all three recurrent products come from one matrix
product ``h W_h`` before the gates are known. ``z`` near 1 keeps the old state.

Parameters are dicts: RNN ``W_xh (D, H), W_hh (H, H), b (H,)``; LSTM
``W_x (D, 4H), W_h (H, 4H), b (4H,)``; GRU ``W_x (D, 3H), W_h (H, 3H),
b_x (3H,), b_h (3H,)``. Weights multiply from the right (batch-first), so
PyTorch's ``weight_ih_l0`` is our ``W_x.T``.
"""
from typing import NamedTuple

import numpy as np

from .validation import as_array, check_positive, check_rng

CELL_TYPES = ("rnn", "lstm", "gru")


def sigmoid(a):
    """``σ(a) = 1 / (1 + e^{−a}) = (1 + tanh(a/2)) / 2``: the second form never overflows and is one cheap call.

    Examples
    --------
    >>> sigmoid(np.array([-1e4, 0.0, 1e4])).tolist()
    [0.0, 0.5, 1.0]
    """
    return 0.5 * (1.0 + np.tanh(0.5 * a))


# --- initialization -----------------------------------------------------------------------


def init_rnn(d_in, hidden, rng, *, spectral_radius=None):
    """RNN parameters: ``W_xh ~ N(0, 1/D)``, ``W_hh ~ N(0, 1/H)`` (rescaled to ``spectral_radius`` if given), ``b = 0``.

    Examples
    --------
    >>> p = init_rnn(3, 4, np.random.default_rng(0), spectral_radius=0.9)
    >>> sorted(p), p["W_hh"].shape, round(float(np.max(np.abs(np.linalg.eigvals(p["W_hh"])))), 6)
    (['W_hh', 'W_xh', 'b'], (4, 4), 0.9)
    """
    d_in, hidden = check_positive(d_in, "d_in", integer=True), check_positive(hidden, "hidden", integer=True)
    rng = check_rng(rng)
    W_hh = rng.normal(0.0, 1 / np.sqrt(hidden), size=(hidden, hidden))
    if spectral_radius is not None:
        W_hh = scale_to_spectral_radius(W_hh, spectral_radius)
    return {"W_xh": rng.normal(0.0, 1 / np.sqrt(d_in), size=(d_in, hidden)), "W_hh": W_hh, "b": np.zeros(hidden)}


def init_lstm(d_in, hidden, rng, *, forget_bias=1.0):
    """LSTM parameters, uniform in ``±1/√H`` as PyTorch does; ``b`` is zero except the forget gate's ``forget_bias``.

    Examples
    --------
    >>> p = init_lstm(3, 2, np.random.default_rng(0), forget_bias=1.0)
    >>> p["W_x"].shape, p["W_h"].shape, p["b"].tolist()  # gate order i, f, g, o
    ((3, 8), (2, 8), [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0])
    """
    d_in, hidden = check_positive(d_in, "d_in", integer=True), check_positive(hidden, "hidden", integer=True)
    rng, k = check_rng(rng), 1 / np.sqrt(hidden)
    b = np.zeros(4 * hidden)
    b[hidden : 2 * hidden] = forget_bias
    return {"W_x": rng.uniform(-k, k, size=(d_in, 4 * hidden)), "W_h": rng.uniform(-k, k, size=(hidden, 4 * hidden)), "b": b}


def init_gru(d_in, hidden, rng, *, update_bias=0.0):
    """GRU parameters, uniform in ``±1/√H`` as PyTorch does; zero biases except the update gate z's ``update_bias``.

    ``h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}``: z is the gate that *keeps* the state, so a positive
    ``update_bias`` plays the role of the LSTM's forget-gate bias (PyTorch's default is 0).

    Examples
    --------
    >>> p = init_gru(3, 2, np.random.default_rng(0))
    >>> sorted(p), p["W_x"].shape, p["W_h"].shape  # gate order r, z, n
    (['W_h', 'W_x', 'b_h', 'b_x'], (3, 6), (2, 6))
    """
    d_in, hidden = check_positive(d_in, "d_in", integer=True), check_positive(hidden, "hidden", integer=True)
    rng, k = check_rng(rng), 1 / np.sqrt(hidden)
    b_x = np.zeros(3 * hidden)
    b_x[hidden : 2 * hidden] = update_bias
    return {"W_x": rng.uniform(-k, k, size=(d_in, 3 * hidden)), "W_h": rng.uniform(-k, k, size=(hidden, 3 * hidden)),
            "b_x": b_x, "b_h": np.zeros(3 * hidden)}


def scale_to_spectral_radius(W, radius):
    """``W`` rescaled so that its largest eigenvalue magnitude is ``radius``.

    Examples
    --------
    >>> scale_to_spectral_radius(np.array([[0.0, 2.0], [2.0, 0.0]]), 1.0).round(12).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """
    W = as_array(W, "W", ndim=2)
    if W.shape[0] != W.shape[1]:
        raise ValueError(f"W must be square; got shape {W.shape}")
    radius = float(radius)
    if not radius >= 0:
        raise ValueError(f"radius must be ≥ 0; got {radius}")
    current = float(np.max(np.abs(np.linalg.eigvals(W))))
    return W * (radius / current) if current > 0 else W.copy()


# --- the vanilla RNN ----------------------------------------------------------------------


class RNNCache(NamedTuple):
    """What BPTT needs: the inputs, every hidden state (``hs[:, 0]`` is h0) and the weights."""

    x: np.ndarray
    hs: np.ndarray
    W_xh: np.ndarray
    W_hh: np.ndarray


def rnn_step_forward(x_t, h_prev, W_xh, W_hh, b):
    """One step: ``h_t = tanh(x_t W_xh + h_{t−1} W_hh + b)``."""
    return np.tanh(x_t @ W_xh + h_prev @ W_hh + b)


def rnn_step_backward(dh, x_t, h_prev, h, W_xh, W_hh):
    """One step's backward, given the *total* gradient ``dh`` reaching ``h_t``; returns ``(dx_t, dh_prev, dW_xh, dW_hh, db)``.

    tanh' is taken at the output: ``1 − h_t²``. The weights' gradients are this
    step's contributions only (the sequence backward adds them up).
    """
    dz = dh * (1 - h * h)
    return dz @ W_xh.T, dz @ W_hh.T, x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0)


def rnn_forward(x, params, h0=None):
    """The tanh RNN over a whole sequence; returns ``(h, cache)`` with ``h`` of shape (N, T, H).

    Examples
    --------
    >>> params = {"W_xh": np.array([[1.0]]), "W_hh": np.array([[0.5]]), "b": np.zeros(1)}
    >>> h, cache = rnn_forward(np.array([[[1.0], [0.0]]]), params)
    >>> h.round(4).tolist()  # tanh(1), then tanh(0.5·tanh(1))
    [[[0.7616], [0.3634]]]
    """
    W_xh, W_hh, b = _rnn_params(params)
    x, h0 = _sequence(x, W_xh.shape[0], h0, W_hh.shape[0])
    N, T, _ = x.shape
    hs = np.empty((N, T + 1, W_hh.shape[0]))
    hs[:, 0] = h0
    for t in range(T):
        hs[:, t + 1] = rnn_step_forward(x[:, t], hs[:, t], W_xh, W_hh, b)
    return hs[:, 1:].copy(), RNNCache(x, hs, W_xh, W_hh)


def rnn_backward(dh, cache, truncate=None):
    """Backprop through time; returns ``(dx, dh0, grads)``, ``grads`` with the keys of the params.

    ``dh`` (N, T, H) is the loss's gradient with respect to each ``h_t`` directly
    (for a loss on the last step only, zeros except ``dh[:, -1]``). With
    ``truncate=k`` no gradient crosses the boundaries of the chunks
    ``[0, k), [k, 2k), …`` (then ``dh0`` is zero).

    Examples
    --------
    >>> params = {"W_xh": np.array([[1.0]]), "W_hh": np.array([[0.5]]), "b": np.zeros(1)}
    >>> h, cache = rnn_forward(np.array([[[1.0], [0.0]]]), params)
    >>> dx, dh0, grads = rnn_backward(np.array([[[0.0], [1.0]]]), cache)  # loss = h_2
    >>> round(float(grads["W_hh"][0, 0]), 4)  # (1 − h_2²) · h_1
    0.661
    """
    dh = _upstream(dh, cache, RNNCache, "rnn_forward")
    x, hs, W_xh, W_hh = cache
    truncate = None if truncate is None else check_positive(truncate, "truncate", integer=True)
    dx = np.empty_like(x)
    grads = {"W_xh": np.zeros_like(W_xh), "W_hh": np.zeros_like(W_hh), "b": np.zeros(W_hh.shape[0])}
    dh_next = np.zeros_like(hs[:, 0])
    for t in reversed(range(x.shape[1])):
        dx[:, t], dh_next, dW_xh, dW_hh, db = rnn_step_backward(dh[:, t] + dh_next, x[:, t], hs[:, t], hs[:, t + 1], W_xh, W_hh)
        grads["W_xh"] += dW_xh
        grads["W_hh"] += dW_hh
        grads["b"] += db
        if truncate and t % truncate == 0:
            dh_next = np.zeros_like(dh_next)  # a chunk boundary: nothing flows into the previous chunk
    return dx, dh_next, grads


# --- the LSTM -----------------------------------------------------------------------------


class LSTMCache(NamedTuple):
    """What the LSTM backward needs: inputs, hidden and cell states (index 0 is the initial state), gates, weights.

    ``gates[:, t]`` holds the activated ``[i, f, g, o]`` of step t, each H wide.
    """

    x: np.ndarray
    hs: np.ndarray
    cs: np.ndarray
    gates: np.ndarray
    W_x: np.ndarray
    W_h: np.ndarray


def lstm_step_forward(x_t, h_prev, c_prev, W_x, W_h, b):
    """One LSTM step; returns ``(h, c, gates)`` with ``gates = [i, f, g, o]`` side by side, (N, 4H)."""
    H = h_prev.shape[1]
    a = x_t @ W_x + h_prev @ W_h + b
    gates = np.concatenate([sigmoid(a[:, : 2 * H]), np.tanh(a[:, 2 * H : 3 * H]), sigmoid(a[:, 3 * H :])], axis=1)
    i, f, g, o = np.split(gates, 4, axis=1)
    c = f * c_prev + i * g
    return o * np.tanh(c), c, gates


def lstm_step_backward(dh, dc_next, x_t, h_prev, c_prev, c, gates, W_x, W_h):
    """One LSTM step's backward; returns ``(dx_t, dh_prev, dc_prev, dW_x, dW_h, db)``.

    ``dh`` is the total gradient reaching ``h_t``; ``dc_next`` the gradient
    reaching ``c_t`` from step t + 1 (through ``c_{t+1} = f_{t+1} ⊙ c_t + …``).
    """
    i, f, g, o = np.split(gates, 4, axis=1)
    tc = np.tanh(c)
    dc = dc_next + dh * o * (1 - tc * tc)
    da = np.concatenate([dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * (1 - g * g), dh * tc * o * (1 - o)], axis=1)
    return da @ W_x.T, da @ W_h.T, dc * f, x_t.T @ da, h_prev.T @ da, da.sum(axis=0)


def lstm_forward(x, params, h0=None, c0=None):
    """The LSTM over a whole sequence; returns ``(h, cache)`` with ``h`` (N, T, H). ``c0`` defaults to zeros.

    Examples
    --------
    >>> h, cache = lstm_forward(np.ones((2, 3, 1)), init_lstm(1, 2, np.random.default_rng(0)))
    >>> h.shape, cache.cs.shape, cache.gates.shape
    ((2, 3, 2), (2, 4, 2), (2, 3, 8))
    """
    W_x, W_h, b = _gated_params(params, 4, "W_x", "W_h", "b")
    H = W_h.shape[0]
    x, h0 = _sequence(x, W_x.shape[0], h0, H)
    c0 = np.zeros_like(h0) if c0 is None else as_array(c0, "c0", shape=h0.shape)
    N, T, _ = x.shape
    hs, cs, gates = np.empty((N, T + 1, H)), np.empty((N, T + 1, H)), np.empty((N, T, 4 * H))
    hs[:, 0], cs[:, 0] = h0, c0
    for t in range(T):
        hs[:, t + 1], cs[:, t + 1], gates[:, t] = lstm_step_forward(x[:, t], hs[:, t], cs[:, t], W_x, W_h, b)
    return hs[:, 1:].copy(), LSTMCache(x, hs, cs, gates, W_x, W_h)


def lstm_backward(dh, cache, dc=None):
    """LSTM backprop through time; returns ``(dx, dh0, grads)``.

    ``dh`` (N, T, H) as for :func:`rnn_backward`; ``dc`` optionally adds a
    gradient on the cell states directly (N, T, H). The gradient with respect
    to ``c0`` is ``cache.gates[:, 0, H:2H] ⊙ (total gradient at c_1)``, returned
    by :func:`lstm_backward_through_time` for those who need it.

    Examples
    --------
    >>> params = init_lstm(1, 2, np.random.default_rng(0))
    >>> h, cache = lstm_forward(np.ones((1, 3, 1)), params)
    >>> dx, dh0, grads = lstm_backward(np.ones_like(h), cache)
    >>> dx.shape, dh0.shape, grads["W_h"].shape
    ((1, 3, 1), (1, 2), (2, 8))
    """
    dx, dh0, _, grads = lstm_backward_through_time(dh, cache, dc)
    return dx, dh0, grads


def lstm_backward_through_time(dh, cache, dc=None):
    """The LSTM backward returning ``(dx, dh0, dc0, grads)``: also the gradient reaching the initial cell state."""
    dh = _upstream(dh, cache, LSTMCache, "lstm_forward")
    x, hs, cs, gates, W_x, W_h = cache
    shape = (x.shape[0], x.shape[1], W_h.shape[0])
    dc = np.zeros(shape) if dc is None else as_array(dc, "dc", shape=shape)
    dx = np.empty_like(x)
    grads = {"W_x": np.zeros_like(W_x), "W_h": np.zeros_like(W_h), "b": np.zeros(W_h.shape[1])}
    dh_next, dc_next = np.zeros(shape[::2]), np.zeros(shape[::2])
    for t in reversed(range(x.shape[1])):
        dx[:, t], dh_next, dc_next, dW_x, dW_h, db = lstm_step_backward(
            dh[:, t] + dh_next, dc[:, t] + dc_next, x[:, t], hs[:, t], cs[:, t], cs[:, t + 1], gates[:, t], W_x, W_h)
        grads["W_x"] += dW_x
        grads["W_h"] += dW_h
        grads["b"] += db
    return dx, dh_next, dc_next, grads


# --- the GRU ------------------------------------------------------------------------------


class GRUCache(NamedTuple):
    """What the GRU backward needs: inputs, hidden states (``hs[:, 0]`` is h0), gates ``[r, z, n]``, ``h W_hn + b_hn`` and the weights."""

    x: np.ndarray
    hs: np.ndarray
    gates: np.ndarray
    hn: np.ndarray
    W_x: np.ndarray
    W_h: np.ndarray


def gru_step_forward(x_t, h_prev, W_x, W_h, b_x, b_h):
    """One GRU step (PyTorch's variant); returns ``(h, gates, hn)`` with ``gates = [r, z, n]`` (N, 3H) and ``hn = h_prev W_hn + b_hn``."""
    H = h_prev.shape[1]
    ax, ah = x_t @ W_x + b_x, h_prev @ W_h + b_h
    rz = sigmoid(ax[:, : 2 * H] + ah[:, : 2 * H])
    r, z = rz[:, :H], rz[:, H:]
    hn = ah[:, 2 * H :]
    n = np.tanh(ax[:, 2 * H :] + r * hn)
    return (1 - z) * n + z * h_prev, np.concatenate([rz, n], axis=1), hn


def gru_step_backward(dh, x_t, h_prev, gates, hn, W_x, W_h):
    """One GRU step's backward; returns ``(dx_t, dh_prev, dW_x, dW_h, db_x, db_h)``."""
    r, z, n = np.split(gates, 3, axis=1)
    dn = dh * (1 - z) * (1 - n * n)  # gradient at n's pre-activation
    dr = dn * hn * r * (1 - r)
    dz = dh * (h_prev - n) * z * (1 - z)
    dax = np.concatenate([dr, dz, dn], axis=1)
    dah = np.concatenate([dr, dz, dn * r], axis=1)
    return dax @ W_x.T, dh * z + dah @ W_h.T, x_t.T @ dax, h_prev.T @ dah, dax.sum(axis=0), dah.sum(axis=0)


def gru_forward(x, params, h0=None):
    """The GRU over a whole sequence; returns ``(h, cache)`` with ``h`` (N, T, H).

    Examples
    --------
    >>> h, cache = gru_forward(np.ones((2, 3, 1)), init_gru(1, 2, np.random.default_rng(0)))
    >>> h.shape, cache.gates.shape
    ((2, 3, 2), (2, 3, 6))
    """
    W_x, W_h, b_x = _gated_params(params, 3, "W_x", "W_h", "b_x")
    b_h = as_array(params["b_h"], "params['b_h']", shape=b_x.shape) if "b_h" in params else _missing(params, ("W_x", "W_h", "b_x", "b_h"))
    H = W_h.shape[0]
    x, h0 = _sequence(x, W_x.shape[0], h0, H)
    N, T, _ = x.shape
    hs, gates, hn = np.empty((N, T + 1, H)), np.empty((N, T, 3 * H)), np.empty((N, T, H))
    hs[:, 0] = h0
    for t in range(T):
        hs[:, t + 1], gates[:, t], hn[:, t] = gru_step_forward(x[:, t], hs[:, t], W_x, W_h, b_x, b_h)
    return hs[:, 1:].copy(), GRUCache(x, hs, gates, hn, W_x, W_h)


def gru_backward(dh, cache):
    """GRU backprop through time; returns ``(dx, dh0, grads)``.

    Examples
    --------
    >>> h, cache = gru_forward(np.ones((1, 3, 1)), init_gru(1, 2, np.random.default_rng(0)))
    >>> dx, dh0, grads = gru_backward(np.ones_like(h), cache)
    >>> sorted(grads), dh0.shape
    (['W_h', 'W_x', 'b_h', 'b_x'], (1, 2))
    """
    dh = _upstream(dh, cache, GRUCache, "gru_forward")
    x, hs, gates, hn, W_x, W_h = cache
    dx = np.empty_like(x)
    grads = {"W_x": np.zeros_like(W_x), "W_h": np.zeros_like(W_h), "b_x": np.zeros(W_h.shape[1]), "b_h": np.zeros(W_h.shape[1])}
    dh_next = np.zeros_like(hs[:, 0])
    for t in reversed(range(x.shape[1])):
        dx[:, t], dh_next, dW_x, dW_h, db_x, db_h = gru_step_backward(dh[:, t] + dh_next, x[:, t], hs[:, t], gates[:, t], hn[:, t], W_x, W_h)
        grads["W_x"] += dW_x
        grads["W_h"] += dW_h
        grads["b_x"] += db_x
        grads["b_h"] += db_h
    return dx, dh_next, grads


# --- one interface for the three cells ----------------------------------------------------


KEEP_BIAS = {"rnn": None, "lstm": 1.0, "gru": 0.0}
"""The default bias of the gate that keeps the state: the LSTM's forget gate f, the GRU's update gate z."""


def init_cell(cell, d_in, hidden, rng, *, spectral_radius=None, keep_bias=None):
    """Parameters of ``cell`` ("rnn", "lstm" or "gru").

    ``spectral_radius`` rescales the recurrent matrix (each gate block) when given;
    ``keep_bias`` is the LSTM's forget-gate bias or the GRU's update-gate bias
    (default :data:`KEEP_BIAS`; the RNN has no gate and ignores it).
    """
    cell = check_cell(cell)
    if cell == "rnn":
        return init_rnn(d_in, hidden, rng, spectral_radius=spectral_radius)
    bias = KEEP_BIAS[cell] if keep_bias is None else float(keep_bias)
    params = init_lstm(d_in, hidden, rng, forget_bias=bias) if cell == "lstm" else init_gru(d_in, hidden, rng, update_bias=bias)
    if spectral_radius is not None:
        params["W_h"] = np.concatenate([scale_to_spectral_radius(block, spectral_radius) for block in np.split(params["W_h"], params["W_h"].shape[1] // hidden, axis=1)], axis=1)
    return params


def cell_forward(cell, x, params, h0=None):
    """``rnn_forward``, ``lstm_forward`` or ``gru_forward`` by name."""
    return {"rnn": rnn_forward, "lstm": lstm_forward, "gru": gru_forward}[check_cell(cell)](x, params, h0)


def cell_backward(cell, dh, cache):
    """``rnn_backward``, ``lstm_backward`` or ``gru_backward`` by name."""
    return {"rnn": rnn_backward, "lstm": lstm_backward, "gru": gru_backward}[check_cell(cell)](dh, cache)


def hidden_gradients(cell, dh_last, cache):
    """``∂L/∂h_t`` for every t (N, T, H) when the loss sits on the last step only, with gradient ``dh_last`` (N, H) there.

    This is the quantity whose norm vanishes or explodes with the lag T − t.

    Examples
    --------
    >>> params = {"W_xh": np.array([[1.0]]), "W_hh": np.array([[0.5]]), "b": np.zeros(1)}
    >>> h, cache = rnn_forward(np.zeros((1, 3, 1)), params)
    >>> hidden_gradients("rnn", np.ones((1, 1)), cache)[0, :, 0].tolist()  # h = 0: one factor 0.5 per step back
    [0.25, 0.5, 1.0]
    """
    cell = check_cell(cell)
    x, hs = cache.x, cache.hs
    N, T, _ = x.shape
    H = hs.shape[2]
    dh_last = as_array(dh_last, "dh_last", shape=(N, H))
    out = np.empty((N, T, H))
    dh, dc = dh_last, np.zeros((N, H))
    W_T = (cache.W_hh if cell == "rnn" else cache.W_h).T.copy()
    for t in reversed(range(T)):  # the step backwards of above, without the weights' gradients
        out[:, t] = dh
        if cell == "rnn":
            dh = (dh * (1 - hs[:, t + 1] ** 2)) @ W_T
        elif cell == "lstm":
            i, f, g, o = np.split(cache.gates[:, t], 4, axis=1)
            tc = np.tanh(cache.cs[:, t + 1])
            dc = dc + dh * o * (1 - tc * tc)
            da = np.concatenate([dc * g * i * (1 - i), dc * cache.cs[:, t] * f * (1 - f), dc * i * (1 - g * g), dh * tc * o * (1 - o)], axis=1)
            dh, dc = da @ W_T, dc * f
        else:
            r, z, n = np.split(cache.gates[:, t], 3, axis=1)
            dn = dh * (1 - z) * (1 - n * n)
            dah = np.concatenate([dn * cache.hn[:, t] * r * (1 - r), dh * (hs[:, t] - n) * z * (1 - z), dn * r], axis=1)
            dh = dh * z + dah @ W_T
    return out


def check_cell(cell):
    """Return ``cell`` if it names a cell type, else raise naming the choices."""
    if cell not in CELL_TYPES:
        raise ValueError(f"cell must be one of {', '.join(map(repr, CELL_TYPES))}; got {cell!r}")
    return cell


# --- argument checks ----------------------------------------------------------------------


def _upstream(dh, cache, kind, forward):
    """``dh`` checked against the cache (which must be a ``kind`` from ``forward``): shape (N, T, H)."""
    if not isinstance(cache, kind):
        raise TypeError(f"cache must be the {kind.__name__} that {forward} returned; got {type(cache).__name__}")
    return as_array(dh, "dh", shape=(cache.x.shape[0], cache.x.shape[1], cache.hs.shape[2]))


def _missing(params, keys):
    got = f"keys {sorted(map(str, params))}" if isinstance(params, dict) else type(params).__name__
    raise TypeError(f"params must be a dict with the keys {', '.join(map(repr, keys))} (see the init_* functions); got {got}")


def _rnn_params(params):
    if not isinstance(params, dict) or not {"W_xh", "W_hh", "b"} <= params.keys():
        _missing(params, ("W_xh", "W_hh", "b"))
    W_hh = as_array(params["W_hh"], "params['W_hh']", ndim=2)
    if W_hh.shape[0] != W_hh.shape[1]:
        raise ValueError(f"params['W_hh'] must be square (H, H); got shape {W_hh.shape}")
    H = W_hh.shape[0]
    return as_array(params["W_xh"], "params['W_xh']", shape=(None, H)), W_hh, as_array(params["b"], "params['b']", shape=(H,))


def _gated_params(params, n_gates, wx, wh, b):
    if not isinstance(params, dict) or not {wx, wh, b} <= params.keys():
        _missing(params, (wx, wh, b) + (("b_h",) if b == "b_x" else ()))
    W_h = as_array(params[wh], f"params[{wh!r}]", ndim=2)
    H = W_h.shape[0]
    if W_h.shape[1] != n_gates * H:
        raise ValueError(f"params[{wh!r}] must have shape (H, {n_gates}H), one block per gate; got shape {W_h.shape}")
    return as_array(params[wx], f"params[{wx!r}]", shape=(None, n_gates * H)), W_h, as_array(params[b], f"params[{b!r}]", shape=(n_gates * H,))


def _sequence(x, d_in, h0, hidden):
    x = as_array(x, "x", ndim=3)
    if x.shape[2] != d_in:
        raise ValueError(f"x must have shape (N, T, {d_in}) to match the input weights; got shape {x.shape}")
    h0 = np.zeros((x.shape[0], hidden)) if h0 is None else as_array(h0, "h0", shape=(x.shape[0], hidden))
    return x, h0


# --- the fast path ------------------------------------------------------------------------
# The same numbers as the plain pairs above (tested equal), with fewer numpy calls per step:
# the input products x W_x of all steps are one matrix product before the loop, and the
# weights' gradients are one product each after it (Σ_t x_tᵀ δ_t = x_flatᵀ δ_flat), so the
# loop keeps only what really is sequential: the recurrent product and the elementwise gates.
# Used by the training loops and the benchmark. They take the plain pairs' arguments and caches.


def rnn_forward_fast(x, params, h0=None):
    """:func:`rnn_forward` with the input products of all steps computed at once; same output and cache."""
    W_xh, W_hh, b = _rnn_params(params)
    x, h0 = _sequence(x, W_xh.shape[0], h0, W_hh.shape[0])
    N, T, _ = x.shape
    hs = np.empty((N, T + 1, W_hh.shape[0]))
    hs[:, 0] = h0
    zx = x @ W_xh + b
    for t in range(T):
        np.tanh(zx[:, t] + hs[:, t] @ W_hh, out=hs[:, t + 1])
    return hs[:, 1:].copy(), RNNCache(x, hs, W_xh, W_hh)


def rnn_backward_fast(dh, cache, truncate=None):
    """:func:`rnn_backward` with the weights' gradients as one product each after the loop; same results."""
    dh = _upstream(dh, cache, RNNCache, "rnn_forward")
    x, hs, W_xh, W_hh = cache
    N, T, D = x.shape
    H = W_hh.shape[0]
    truncate = None if truncate is None else check_positive(truncate, "truncate", integer=True)
    dz = np.empty((N, T, H))
    dh_next = np.zeros((N, H))
    W_hh_T = W_hh.T.copy()
    for t in reversed(range(T)):
        h = hs[:, t + 1]
        np.multiply(dh[:, t] + dh_next, 1 - h * h, out=dz[:, t])
        dh_next = dz[:, t] @ W_hh_T if not (truncate and t % truncate == 0) else np.zeros((N, H))
    flat = dz.reshape(N * T, H)
    grads = {"W_xh": x.reshape(N * T, D).T @ flat, "W_hh": hs[:, :-1].reshape(N * T, H).T @ flat, "b": flat.sum(axis=0)}
    return dz @ W_xh.T, dh_next, grads


def lstm_forward_fast(x, params, h0=None, c0=None):
    """:func:`lstm_forward` with the input products of all steps computed at once; same output and cache."""
    W_x, W_h, b = _gated_params(params, 4, "W_x", "W_h", "b")
    H = W_h.shape[0]
    x, h0 = _sequence(x, W_x.shape[0], h0, H)
    c0 = np.zeros_like(h0) if c0 is None else as_array(c0, "c0", shape=h0.shape)
    N, T, _ = x.shape
    hs, cs = np.empty((N, T + 1, H)), np.empty((N, T + 1, H))
    hs[:, 0], cs[:, 0] = h0, c0
    gates = x @ W_x + b  # becomes the activated gates, step by step
    for t in range(T):
        a = gates[:, t]
        a += hs[:, t] @ W_h
        a[:, 2 * H : 3 * H] = np.tanh(a[:, 2 * H : 3 * H])
        for s in (slice(0, 2 * H), slice(3 * H, 4 * H)):
            a[:, s] = 0.5 * (1.0 + np.tanh(0.5 * a[:, s]))
        c = cs[:, t + 1]
        np.multiply(a[:, H : 2 * H], cs[:, t], out=c)
        c += a[:, :H] * a[:, 2 * H : 3 * H]
        np.multiply(a[:, 3 * H :], np.tanh(c), out=hs[:, t + 1])
    return hs[:, 1:].copy(), LSTMCache(x, hs, cs, gates, W_x, W_h)


def lstm_backward_fast(dh, cache):
    """:func:`lstm_backward` with the weights' gradients as one product each after the loop; same results."""
    dh = _upstream(dh, cache, LSTMCache, "lstm_forward")
    x, hs, cs, gates, W_x, W_h = cache
    N, T, D = x.shape
    H = W_h.shape[0]
    da = np.empty((N, T, 4 * H))
    dh_next, dc_next = np.zeros((N, H)), np.zeros((N, H))
    W_h_T = W_h.T.copy()
    for t in reversed(range(T)):
        g_t, d = gates[:, t], da[:, t]
        i, f, g, o = g_t[:, :H], g_t[:, H : 2 * H], g_t[:, 2 * H : 3 * H], g_t[:, 3 * H :]
        tc = np.tanh(cs[:, t + 1])
        dht = dh[:, t] + dh_next
        dc = dc_next + dht * o * (1 - tc * tc)
        np.multiply(dc * g, i * (1 - i), out=d[:, :H])
        np.multiply(dc * cs[:, t], f * (1 - f), out=d[:, H : 2 * H])
        np.multiply(dc * i, 1 - g * g, out=d[:, 2 * H : 3 * H])
        np.multiply(dht * tc, o * (1 - o), out=d[:, 3 * H :])
        dh_next, dc_next = d @ W_h_T, dc * f
    flat = da.reshape(N * T, 4 * H)
    grads = {"W_x": x.reshape(N * T, D).T @ flat, "W_h": hs[:, :-1].reshape(N * T, H).T @ flat, "b": flat.sum(axis=0)}
    return da @ W_x.T, dh_next, grads


def gru_forward_fast(x, params, h0=None):
    """:func:`gru_forward` with the input products of all steps computed at once; same output and cache."""
    W_x, W_h, b_x = _gated_params(params, 3, "W_x", "W_h", "b_x")
    b_h = as_array(params["b_h"], "params['b_h']", shape=b_x.shape) if "b_h" in params else _missing(params, ("W_x", "W_h", "b_x", "b_h"))
    H = W_h.shape[0]
    x, h0 = _sequence(x, W_x.shape[0], h0, H)
    N, T, _ = x.shape
    hs, hn = np.empty((N, T + 1, H)), np.empty((N, T, H))
    hs[:, 0] = h0
    gates = x @ W_x + b_x
    for t in range(T):
        a, h_prev = gates[:, t], hs[:, t]
        ah = h_prev @ W_h + b_h
        rz = a[:, : 2 * H]
        rz += ah[:, : 2 * H]
        rz[:] = 0.5 * (1.0 + np.tanh(0.5 * rz))
        hn[:, t] = ah[:, 2 * H :]
        n = a[:, 2 * H :]
        n += a[:, :H] * hn[:, t]
        np.tanh(n, out=n)
        z = a[:, H : 2 * H]
        hs[:, t + 1] = n + z * (h_prev - n)
    return hs[:, 1:].copy(), GRUCache(x, hs, gates, hn, W_x, W_h)


def gru_backward_fast(dh, cache):
    """:func:`gru_backward` with the weights' gradients as one product each after the loop; same results."""
    dh = _upstream(dh, cache, GRUCache, "gru_forward")
    x, hs, gates, hn, W_x, W_h = cache
    N, T, D = x.shape
    H = W_h.shape[0]
    dax, dah = np.empty((N, T, 3 * H)), np.empty((N, T, 3 * H))
    dh_next = np.zeros((N, H))
    W_h_T = W_h.T.copy()
    for t in reversed(range(T)):
        g_t, h_prev = gates[:, t], hs[:, t]
        r, z, n = g_t[:, :H], g_t[:, H : 2 * H], g_t[:, 2 * H :]
        dht = dh[:, t] + dh_next
        dn = dht * (1 - z) * (1 - n * n)
        dax[:, t, :H] = dn * hn[:, t] * r * (1 - r)
        dax[:, t, H : 2 * H] = dht * (h_prev - n) * z * (1 - z)
        dax[:, t, 2 * H :] = dn
        dah[:, t, : 2 * H] = dax[:, t, : 2 * H]
        np.multiply(dn, r, out=dah[:, t, 2 * H :])
        dh_next = dht * z + dah[:, t] @ W_h_T
    fx, fh = dax.reshape(N * T, 3 * H), dah.reshape(N * T, 3 * H)
    grads = {"W_x": x.reshape(N * T, D).T @ fx, "W_h": hs[:, :-1].reshape(N * T, H).T @ fh, "b_x": fx.sum(axis=0), "b_h": fh.sum(axis=0)}
    return dax @ W_x.T, dh_next, grads


FAST = {"rnn": (rnn_forward_fast, rnn_backward_fast), "lstm": (lstm_forward_fast, lstm_backward_fast), "gru": (gru_forward_fast, gru_backward_fast)}
"""The fast pair of each cell type, by name."""
