"""Notebook 08's checkers: right answers written several ways pass without hints; each classic slip gets exactly its hint."""
import numpy as np
import pytest

from helpers.exercises.core import NOT_DONE
from helpers.exercises.recurrent import (
    ASSIGN_NOT_ADD, DO_TANH, NO_CELL_PATH, NO_DH_NEXT, NO_FORGET_FACTOR, NO_TANH, TANH_AT_PREV, TANH_OF_C, TANH_TWICE,
    TRANSPOSE_DH, TRANSPOSE_DW, check_bptt, check_lstm_cell_backward, check_rnn_step_backward,
)
from helpers.recurrent import rnn_step_backward

FRIENDLY = NOT_DONE.split("{what}")[1]


def step(dh, x, h_prev, h, W_xh, W_hh, tanh_prime=lambda h, h_prev: 1 - h * h, back=lambda dz, W: dz @ W.T, dW=lambda h_prev, dz: h_prev.T @ dz):
    dz = dh * tanh_prime(h, h_prev)
    return dz @ W_xh.T, back(dz, W_hh), x.T @ dz, dW(h_prev, dz), dz.sum(axis=0)


def step_loops(dh, x, h_prev, h, W_xh, W_hh):
    """The same step, one example at a time, with outer products."""
    out = [np.zeros((x.shape[0], x.shape[1])), np.zeros_like(h_prev), np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros(h.shape[1])]
    for n in range(x.shape[0]):
        dz = dh[n] * (1 - h[n] ** 2)
        out[0][n], out[1][n] = W_xh @ dz, W_hh @ dz
        out[2] += np.outer(x[n], dz)
        out[3] += np.outer(h_prev[n], dz)
        out[4] += dz
    return tuple(out)


def step_float32(*args):
    return tuple(a.astype(np.float32) for a in step(*(np.asarray(a, np.float32) for a in args)))


@pytest.mark.parametrize("fn", [step, step_loops, step_float32, rnn_step_backward])
def test_right_rnn_step_answers_pass_without_hints(fn, capsys):
    feedback = check_rnn_step_backward(fn)
    assert feedback and feedback.hints == ()
    assert capsys.readouterr().out.count("✓") == 4


@pytest.mark.parametrize(
    "fn, hints",
    [
        (lambda *a: step(*a, tanh_prime=lambda h, hp: 1 - hp * hp), (TANH_AT_PREV,)),
        (lambda *a: step(*a, tanh_prime=lambda h, hp: 1 - np.tanh(h) ** 2), (TANH_TWICE,)),
        (lambda *a: step(*a, tanh_prime=lambda h, hp: 1.0), (NO_TANH,)),
        (lambda *a: step(*a, back=lambda dz, W: dz @ W), (TRANSPOSE_DH,)),
        (lambda *a: step(*a, dW=lambda hp, dz: dz.T @ hp), (TRANSPOSE_DW,)),
    ],
)
def test_each_rnn_step_slip_gets_exactly_its_hint(fn, hints):
    feedback = check_rnn_step_backward(fn)
    assert not feedback and feedback.hints == hints


def test_wrong_rnn_step_answers_fail():
    def hard_coded(dh, x, h_prev, h, W_xh, W_hh):  # written for the notebook's shapes: 5 examples, 3 units
        out = step(dh, x, h_prev, h, W_xh, W_hh)
        return out[:4] + (out[4][:3] if len(out[4]) >= 3 else np.zeros(3),)

    def ignores_h(dh, x, h_prev, h, W_xh, W_hh):  # recomputes h without W_xh's input: an ignored argument
        return step(dh, x, h_prev, np.tanh(h_prev @ W_hh), W_xh, W_hh)

    def in_place(dh, x, h_prev, h, W_xh, W_hh):
        dh *= 1 - h * h
        return dh @ W_xh.T, dh @ W_hh.T, x.T @ dh, h_prev.T @ dh, dh.sum(axis=0)

    for fn in (hard_coded, ignores_h):
        assert not check_rnn_step_backward(fn)
    feedback = check_rnn_step_backward(in_place)
    assert not feedback and any("changed its input dh in place" in line for line in feedback.lines)


def bptt(dh, x, hs, W_xh, W_hh, accumulate=True, carry=True):
    dx, dh_next = np.zeros_like(x), np.zeros_like(hs[:, 0])
    dW_xh, dW_hh, db = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros(W_hh.shape[0])
    for t in reversed(range(x.shape[1])):
        total = dh[:, t] + dh_next if carry else dh[:, t]
        dx[:, t], dh_next, a, b, c = rnn_step_backward(total, x[:, t], hs[:, t], hs[:, t + 1], W_xh, W_hh)
        dW_xh += a
        db += c
        if accumulate:
            dW_hh += b
        else:
            dW_hh = b
    return dx, dh_next, dW_xh, dW_hh, db


def bptt_batched_weights(dh, x, hs, W_xh, W_hh):
    """The loop only carries dh back; the weights' gradients are one product each afterwards."""
    N, T, D = x.shape
    H = W_hh.shape[0]
    dz, dh_next = np.empty((N, T, H)), np.zeros((N, H))
    for t in reversed(range(T)):
        dz[:, t] = (dh[:, t] + dh_next) * (1 - hs[:, t + 1] ** 2)
        dh_next = dz[:, t] @ W_hh.T
    flat = dz.reshape(N * T, H)
    return dz @ W_xh.T, dh_next, x.reshape(N * T, D).T @ flat, hs[:, :-1].reshape(N * T, H).T @ flat, flat.sum(axis=0)


@pytest.mark.parametrize("fn", [bptt, bptt_batched_weights, lambda *a: tuple(np.float32(v) for v in bptt(*a))])
def test_right_bptt_answers_pass_without_hints(fn, capsys):
    feedback = check_bptt(fn)
    assert feedback and feedback.hints == ()
    assert capsys.readouterr().out.count("✓") == 5


@pytest.mark.parametrize(
    "fn, hints",
    [
        (lambda *a: bptt(*a, accumulate=False), (ASSIGN_NOT_ADD,)),
        (lambda *a: bptt(*a, carry=False), (NO_DH_NEXT,)),
    ],
)
def test_each_bptt_slip_gets_exactly_its_hint(fn, hints):
    feedback = check_bptt(fn)
    assert not feedback and feedback.hints == hints


def test_wrong_bptt_answers_fail():
    def fixed_length(dh, x, hs, W_xh, W_hh):  # loops over 5 steps, the length of the notebook's example
        T = min(5, x.shape[1])
        out = bptt(dh[:, -T:], x[:, -T:], hs[:, -T - 1 :], W_xh, W_hh)
        dx = np.zeros_like(x)
        dx[:, -T:] = out[0]
        return (dx,) + out[1:]

    def forward_order(dh, x, hs, W_xh, W_hh):  # walks the steps forwards: dh_next goes the wrong way
        dx, dh_next = np.zeros_like(x), np.zeros_like(hs[:, 0])
        grads = [np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros(W_hh.shape[0])]
        for t in range(x.shape[1]):
            dx[:, t], dh_next, a, b, c = rnn_step_backward(dh[:, t] + dh_next, x[:, t], hs[:, t], hs[:, t + 1], W_xh, W_hh)
            grads = [grads[0] + a, grads[1] + b, grads[2] + c]
        return (dx, dh_next, *grads)

    def in_place(dh, x, hs, W_xh, W_hh):
        out = bptt(dh, x, hs, W_xh, W_hh)
        hs[:, 0] = 0.0
        return out

    assert not check_bptt(fixed_length) and not check_bptt(forward_order)
    feedback = check_bptt(in_place)
    assert not feedback and any("changed its input hs in place" in line for line in feedback.lines)


def cell(dh, dc_next, c_prev, c, i, f, g, o, path=True, factor=True, tanh_of_c=True, do_tanh=True):
    tc = np.tanh(c)
    dc = (dc_next if path else 0.0) + dh * o * (1 - (tc**2 if tanh_of_c else c**2))
    return dc * f if factor else dc, dc * g, dc * c_prev, dc * i, dh * (tc if do_tanh else c)


def cell_per_example(dh, dc_next, c_prev, c, i, f, g, o):
    rows = [cell(*(a[n : n + 1] for a in (dh, dc_next, c_prev, c, i, f, g, o))) for n in range(dh.shape[0])]
    return tuple(np.concatenate([r[k] for r in rows]) for k in range(5))


@pytest.mark.parametrize("fn", [cell, cell_per_example, lambda *a: tuple(np.float32(v) for v in cell(*a))])
def test_right_lstm_cell_answers_pass_without_hints(fn, capsys):
    feedback = check_lstm_cell_backward(fn)
    assert feedback and feedback.hints == ()
    assert capsys.readouterr().out.count("✓") == 3


@pytest.mark.parametrize(
    "kwargs, hints",
    [
        ({"path": False}, (NO_CELL_PATH,)),
        ({"factor": False}, (NO_FORGET_FACTOR,)),
        ({"tanh_of_c": False}, (TANH_OF_C,)),
        ({"do_tanh": False}, (DO_TANH,)),
    ],
)
def test_each_lstm_cell_slip_gets_exactly_its_hint(kwargs, hints):
    feedback = check_lstm_cell_backward(lambda *a: cell(*a, **kwargs))
    assert not feedback and feedback.hints == hints


def test_lstm_answers_that_ignore_an_argument_or_mutate_fail():
    def ignores_c_prev(dh, dc_next, c_prev, c, i, f, g, o):
        return cell(dh, dc_next, np.ones_like(c), c, i, f, g, o)

    def in_place(dh, dc_next, c_prev, c, i, f, g, o):
        dc_next += dh * o * (1 - np.tanh(c) ** 2)
        return dc_next * f, dc_next * g, dc_next * c_prev, dc_next * i, dh * np.tanh(c)

    assert not check_lstm_cell_backward(ignores_c_prev)
    feedback = check_lstm_cell_backward(in_place)
    assert not feedback and any("changed its input dc_next in place" in line for line in feedback.lines)


@pytest.mark.parametrize("checker", [check_rnn_step_backward, check_bptt, check_lstm_cell_backward])
def test_an_unfilled_stub_gets_one_friendly_line(checker, capsys):
    def stub(*args):
        raise NotImplementedError("write your answer here")

    feedback = checker(stub)
    assert not feedback and len(feedback.lines) == 1 and FRIENDLY in feedback.lines[0]
    assert not checker(42)
