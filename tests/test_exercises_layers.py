"""Notebook 05's checkers accept right answers and name each classic slip."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from helpers.exercises import (
    batch_exercise, check_batch_gradients, check_dense_backward, check_planted_bug, planted_bug_backward,
)
from helpers.gradcheck import check_gradients
from helpers.losses import mse
from helpers.network import init_mlp, mlp_backward, mlp_forward


def right_dense(dz, x, W):
    return dz @ W.T, x.T @ dz, dz.sum(axis=0)


DENSE_SLIPS = {
    "db not summed over the batch": (lambda dz, x, W: (dz @ W.T, x.T @ dz, dz), "db sums dz over the batch"),
    "db averaged": (lambda dz, x, W: (dz @ W.T, x.T @ dz, dz.mean(axis=0)), "the 1/N is already inside dz"),
    "dW transposed": (lambda dz, x, W: (dz @ W.T, dz.T @ x, dz.sum(axis=0)), "not dzᵀ x"),
    "x dz instead of xᵀ dz": (lambda dz, x, W: (dz @ W.T, x @ dz, dz.sum(axis=0)), "x needs its transpose"),
    "dz W instead of dz Wᵀ": (lambda dz, x, W: (dz @ W, x.T @ dz, dz.sum(axis=0)), "the transpose on W is missing"),
    "db summed over everything": (lambda dz, x, W: (dz @ W.T, x.T @ dz, dz.sum()), "sum over the batch axis only"),
}


def test_right_dense_backward_passes(capsys):
    assert check_dense_backward(right_dense)
    assert capsys.readouterr().out.count("✓") == 4


@pytest.mark.parametrize("slip", DENSE_SLIPS)
def test_each_dense_slip_is_named(slip, capsys):
    wrong, hint = DENSE_SLIPS[slip]
    feedback = check_dense_backward(wrong)
    assert not feedback
    assert hint in capsys.readouterr().out


def test_a_shape_error_gets_a_transpose_hint_and_junk_is_refused(capsys):
    assert not check_dense_backward(lambda dz, x, W: (dz @ W, dz @ x, dz.sum(axis=0)))
    assert "which transpose fits" in capsys.readouterr().out
    assert not check_dense_backward(lambda dz, x, W: None)
    assert "raised TypeError" in capsys.readouterr().out
    assert not check_dense_backward("backward")
    assert "expected a function backward(dz, x, W)" in capsys.readouterr().out


def per_example(mode):
    """batch_gradients by accumulating one example at a time; ``mode`` plants a slip."""

    def batch_gradients(x, y, params):
        total = {k: np.zeros_like(v) for k, v in params.items()}
        for n in range(len(x)):
            out, cache = mlp_forward(x[n:n + 1], params, "tanh")
            _, g = mlp_backward(out - y[n:n + 1], cache)
            for k in total:
                if mode == "assign":
                    total[k] = g[k]
                else:
                    total[k] += g[k]
        return {k: v / (1 if mode == "sum" else len(x)) for k, v in total.items()}

    return batch_gradients


def test_right_batch_gradients_pass(capsys):
    assert check_batch_gradients(per_example("mean"))
    assert "✗" not in capsys.readouterr().out


@pytest.mark.parametrize(
    "mode, hint",
    [("assign", "`=` where `+=` was needed (only the last example survives), then divided by N"),
     ("sum", "divide the summed gradient by N")],
)
def test_batch_slips_are_named(mode, hint, capsys):
    assert not check_batch_gradients(per_example(mode))
    out = capsys.readouterr().out
    assert out.count(hint) == 8  # every parameter, both batches


def test_batch_checker_refuses_wrong_keys_and_junk(capsys):
    assert not check_batch_gradients(lambda x, y, p: {"W1": p["W1"]})
    assert "return a dict with the keys ['W1', 'b1', 'W2', 'b2']" in capsys.readouterr().out
    assert not check_batch_gradients(None)
    assert "expected a function" in capsys.readouterr().out


def test_batch_exercise_is_seeded():
    a, b = batch_exercise(3), batch_exercise(3)
    assert np.array_equal(a[0], b[0]) and all(np.array_equal(a[2][k], b[2][k]) for k in a[2])


def fixed_backward(x, y, params):
    z1 = x @ params["W1"] + params["b1"]
    a1 = 1 / (1 + np.exp(-z1))
    out = a1 @ params["W2"] + params["b2"]
    loss, dout = mse(out, y)
    dz1 = dout @ params["W2"].T * a1 * (1 - a1)
    return loss, {"W1": x.T @ dz1, "b1": dz1.sum(axis=0), "W2": a1.T @ dout, "b2": dout.sum(axis=0)}


@settings(max_examples=25, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 6))
def test_the_planted_bug_is_in_W1_alone_and_the_gradient_check_finds_it(seed, n):
    rng = np.random.default_rng(seed)
    params = init_mlp([3, 4, 2], rng)
    x, y = rng.normal(size=(n, 3)), rng.normal(size=(n, 2))
    loss, grads = planted_bug_backward(x, y, params)
    report = check_gradients(lambda p: planted_bug_backward(x, y, p)[0], params, grads)
    assert report.worst_name == "W1" and not report.passed()
    assert max(e for k, e in report.errors.items() if k != "W1") < 1e-7
    loss_fixed, fixed = fixed_backward(x, y, params)
    assert loss_fixed == loss and all(np.array_equal(fixed[k], grads[k]) for k in ("b1", "W2", "b2"))


def test_planted_bug_checker_passes_the_fix_and_fails_the_bug(capsys):
    assert check_planted_bug(fixed_backward)
    assert capsys.readouterr().out.count("✓") == 3
    assert not check_planted_bug(planted_bug_backward)
    out = capsys.readouterr().out
    assert "in W1" in out and "compare it with the line for its bias" in out
    assert not check_planted_bug(lambda x, y, p: (2 * fixed_backward(x, y, p)[0], fixed_backward(x, y, p)[1]))
    assert "loss" in capsys.readouterr().out
    assert not check_planted_bug(42)
