"""Checkers for notebook 08's exercises: the RNN step backward, backprop through time, the LSTM cell-state backward.

Each is checked by :func:`check_function` on cases the notebook does not show: batch 1
and larger, square and non-square weights, short and long sequences, and pre-activations
so large that some units saturate (tanh' = 0 there), so a hard-coded shape, a forgotten
term or a derivative taken at the wrong value fails. The hints name the classic slips.
"""
import numpy as np

from ..recurrent import rnn_step_backward
from .core import Case, check_function

RNN_STEP_SIGNATURE = "rnn_step_backward(dh, x, h_prev, h, W_xh, W_hh)"
BPTT_SIGNATURE = "bptt(dh, x, hs, W_xh, W_hh)"
LSTM_CELL_SIGNATURE = "lstm_cell_backward(dh, dc_next, c_prev, c, i, f, g, o)"

TANH_AT_PREV = "tanh' is taken at this step's output: 1 − h_t², not 1 − h_{t−1}²"
TANH_TWICE = "h_t already is tanh(z_t): tanh'(z_t) = 1 − h_t², not 1 − tanh(h_t)²"
NO_TANH = "the gradient must pass through tanh first: δ = dh ⊙ (1 − h_t²)"
TRANSPOSE_DH = "back through z = h_{t−1} W_hh goes W_hhᵀ: dh_prev = δ W_hhᵀ"
TRANSPOSE_DW = "dW_hh = h_{t−1}ᵀ δ, shape (H, H) like W_hh; δᵀ h_{t−1} is its transpose"
ASSIGN_NOT_ADD = "W_hh is shared by every step: accumulate dW_hh += …; with = only the last step the loop visits (t = 0) remains"
NO_DH_NEXT = "each step's gradient is its own dh_t plus dh_next flowing back from step t + 1"
NO_CELL_PATH = "the forget-gate path is missing: dc_t = dc_next + dh ⊙ o ⊙ (1 − tanh²(c_t)); dc_next comes through c_{t+1} = f_{t+1} ⊙ c_t + …"
NO_FORGET_FACTOR = "c_t = f ⊙ c_{t−1} + …, so dc_prev = dc_t ⊙ f: the factor f is missing"
TANH_OF_C = "tanh' belongs to tanh(c_t): 1 − tanh(c_t)², not 1 − c_t²"
DO_TANH = "h_t = o ⊙ tanh(c_t), so do = dh ⊙ tanh(c_t), not dh ⊙ c_t"


def _rnn_arrays(rng, n, d, hidden, scale=1.0):
    """A step's input, previous state and weights; ``scale`` > 1 saturates some units."""
    x, h_prev = rng.normal(size=(n, d)), np.tanh(rng.normal(size=(n, hidden)))
    W_xh = rng.normal(0.0, scale / np.sqrt(d), size=(d, hidden))
    W_hh = rng.normal(0.0, scale / np.sqrt(hidden), size=(hidden, hidden))
    return x, h_prev, W_xh, W_hh


def rnn_step_cases():
    """Cases for the RNN step backward: batch 1, non-square, square (D = H), saturated units."""
    rng = np.random.default_rng(80)
    cases = []
    for label, (n, d, hidden, scale) in {
        "batch 1, D=3, H=4": (1, 3, 4, 1.0),
        "batch 5, D=2, H=3": (5, 2, 3, 1.0),
        "batch 4, D=H=4": (4, 4, 4, 1.0),
        "batch 3, D=2, H=5, pre-activations up to ±30 (saturated units)": (3, 2, 5, 12.0),
    }.items():
        x, h_prev, W_xh, W_hh = _rnn_arrays(rng, n, d, hidden, scale)
        h = np.tanh(x @ W_xh + h_prev @ W_hh)
        dh = rng.normal(size=(n, hidden))
        dx, dh_prev, dW_xh, dW_hh, db = rnn_step_backward(dh, x, h_prev, h, W_xh, W_hh)
        dz = dh * (1 - h**2)
        slips = {
            "dh_prev": {TRANSPOSE_DH: dz @ W_hh},
            "dW_hh": {TRANSPOSE_DW: dz.T @ h_prev},
            "db": {TANH_AT_PREV: (dh * (1 - h_prev**2)).sum(axis=0), TANH_TWICE: (dh * (1 - np.tanh(h) ** 2)).sum(axis=0), NO_TANH: dh.sum(axis=0)},
        }
        cases.append(Case(label, (dh, x, h_prev, h, W_xh, W_hh), {"dx": dx, "dh_prev": dh_prev, "dW_xh": dW_xh, "dW_hh": dW_hh, "db": db}, slips))
    return cases


def check_rnn_step_backward(fn):
    """Check a student's ``rnn_step_backward(dh, x, h_prev, h, W_xh, W_hh) -> (dx, dh_prev, dW_xh, dW_hh, db)``."""
    return check_function(fn, rnn_step_cases(), RNN_STEP_SIGNATURE)


def bptt_reference(dh, x, hs, W_xh, W_hh, accumulate=True, carry=True):
    """Backprop through time over the steps; the keyword switches give the classic slips."""
    T = x.shape[1]
    dx = np.zeros_like(x)
    dW_xh, dW_hh, db = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros(W_hh.shape[0])
    dh_next = np.zeros_like(hs[:, 0])
    for t in reversed(range(T)):
        total = dh[:, t] + (dh_next if carry else 0.0)
        dx[:, t], dh_next, g_xh, g_hh, g_b = rnn_step_backward(total, x[:, t], hs[:, t], hs[:, t + 1], W_xh, W_hh)
        dW_xh, db = dW_xh + g_xh, db + g_b
        dW_hh = dW_hh + g_hh if accumulate else g_hh
    return dx, dh_next, dW_xh, dW_hh, db


def bptt_cases():
    """Cases for BPTT: T = 1, short, long (T = 30), a loss on the last step only, saturated units."""
    rng = np.random.default_rng(81)
    cases = []
    for label, (n, T, d, hidden, scale, last_only) in {
        "batch 1, T=1": (1, 1, 2, 3, 1.0, False),
        "batch 2, T=5, D=3, H=4": (2, 5, 3, 4, 1.0, False),
        "batch 1, T=30, loss on the last step only": (1, 30, 1, 3, 1.0, True),
        "batch 3, T=12, D=H=3": (3, 12, 3, 3, 1.0, False),
        "batch 2, T=6, pre-activations up to ±30": (2, 6, 2, 4, 12.0, False),
    }.items():
        x = rng.normal(size=(n, T, d))
        _, h0, W_xh, W_hh = _rnn_arrays(rng, n, d, hidden, scale)
        hs = np.empty((n, T + 1, hidden))
        hs[:, 0] = h0
        for t in range(T):
            hs[:, t + 1] = np.tanh(x[:, t] @ W_xh + hs[:, t] @ W_hh)
        dh = rng.normal(size=(n, T, hidden))
        if last_only:
            dh[:, :-1] = 0.0
        dx, dh0, dW_xh, dW_hh, db = bptt_reference(dh, x, hs, W_xh, W_hh)
        slips = {
            "dW_hh": {ASSIGN_NOT_ADD: bptt_reference(dh, x, hs, W_xh, W_hh, accumulate=False)[3]},
            "dx": {NO_DH_NEXT: bptt_reference(dh, x, hs, W_xh, W_hh, carry=False)[0]},
        }
        cases.append(Case(label, (dh, x, hs, W_xh, W_hh), {"dx": dx, "dh0": dh0, "dW_xh": dW_xh, "dW_hh": dW_hh, "db": db}, slips))
    return cases


def check_bptt(fn):
    """Check a student's ``bptt(dh, x, hs, W_xh, W_hh) -> (dx, dh0, dW_xh, dW_hh, db)`` (``hs[:, 0]`` is h0)."""
    return check_function(fn, bptt_cases(), BPTT_SIGNATURE)


def lstm_cell_reference(dh, dc_next, c_prev, c, i, f, g, o):
    """The gradients reaching c_{t−1} and the four gate activations of one LSTM step."""
    tc = np.tanh(c)
    dc = dc_next + dh * o * (1 - tc**2)
    return dc * f, dc * g, dc * c_prev, dc * i, dh * tc


def lstm_cell_cases():
    """Cases for the LSTM cell-state backward: batch 1, several widths, a saturated cell (|c| up to 20)."""
    rng = np.random.default_rng(82)
    cases = []
    for label, (n, hidden, c_scale) in {
        "batch 1, H=3": (1, 3, 1.0),
        "batch 4, H=2": (4, 2, 1.0),
        "batch 2, H=5, cell states up to ±20 (tanh saturated)": (2, 5, 10.0),
    }.items():
        sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
        i, f, o = (sig(rng.normal(size=(n, hidden))) for _ in range(3))
        g = np.tanh(rng.normal(size=(n, hidden)))
        c_prev = c_scale * rng.normal(size=(n, hidden))
        c = f * c_prev + i * g
        dh, dc_next = rng.normal(size=(n, hidden)), rng.normal(size=(n, hidden))
        args = (dh, dc_next, c_prev, c, i, f, g, o)
        dc_prev, di, df, dg, do = lstm_cell_reference(*args)
        local = dh * o * (1 - np.tanh(c) ** 2)
        slips = {
            "dc_prev": {NO_CELL_PATH: local * f, NO_FORGET_FACTOR: dc_next + local, TANH_OF_C: (dc_next + dh * o * (1 - c**2)) * f},
            "do": {DO_TANH: dh * c},
        }
        cases.append(Case(label, args, {"dc_prev": dc_prev, "di": di, "df": df, "dg": dg, "do": do}, slips))
    return cases


def check_lstm_cell_backward(fn):
    """Check a student's ``lstm_cell_backward(dh, dc_next, c_prev, c, i, f, g, o) -> (dc_prev, di, df, dg, do)``."""
    return check_function(fn, lstm_cell_cases(), LSTM_CELL_SIGNATURE)
