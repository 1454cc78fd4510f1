"""Notebook 04's checkers pass right answers, name each classic slip, and survive unfinished answers."""
import numpy as np
import pytest

from helpers.exercises import ADAM_EXERCISE, MOMENTUM_EXERCISE, check_adam_step, check_momentum_step
from helpers.optimizers import Adam, Momentum

M = {k: np.array(v) if isinstance(v, list) else v for k, v in MOMENTUM_EXERCISE.items()}
A = {k: np.array(v) if isinstance(v, list) else v for k, v in ADAM_EXERCISE.items()}


def momentum_answer(p, v, g, lr, beta):
    v_new = beta * v - lr * g
    return p + v_new, v_new


def adam_answer(p, m, v, g, t, lr, beta1, beta2, eps, correct=True, eps_inside=False, root=True, sign=1):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    m_hat, v_hat = (m / (1 - beta1**t), v / (1 - beta2**t)) if correct else (m, v)
    scale = np.sqrt(v_hat + eps) if eps_inside else (np.sqrt(v_hat) if root else v_hat) + eps
    return p - sign * lr * m_hat / scale, m, v


def test_right_momentum_step_passes_and_matches_the_course_optimizer(capsys):
    p_new, v_new = momentum_answer(**M)
    assert check_momentum_step(p_new, v_new, **MOMENTUM_EXERCISE)
    assert capsys.readouterr().out.count("✓") == 2
    params, opt = {"p": M["p"].copy()}, Momentum(M["lr"], M["beta"])
    opt.step(params, {"p": -M["v"] / M["lr"]})  # from rest, this gradient gives the exercise's velocity
    opt.step(params, {"p": M["g"]})
    np.testing.assert_allclose(opt.state["p"][0], v_new, rtol=1e-12)


def test_right_adam_step_passes(capsys):
    assert check_adam_step(*adam_answer(**A), **ADAM_EXERCISE)
    assert capsys.readouterr().out.count("✓") == 3


def test_adam_checker_agrees_with_the_course_adam_from_the_start():
    """At t = 1 from m = v = 0, the answer is just the course Adam's first step."""
    ex = {**ADAM_EXERCISE, "m": [0.0, 0.0], "v": [0.0, 0.0], "t": 1}
    params, opt = {"p": np.array(ex["p"])}, Adam(ex["lr"], ex["beta1"], ex["beta2"], ex["eps"])
    opt.step(params, {"p": np.array(ex["g"])})
    m, root_v = opt.state["p"]  # Adam keeps √v
    assert check_adam_step(params["p"], m, root_v**2, **ex)


M_SLIPS = {
    "against* the gradient": lambda p, v, g, lr, beta: (p + beta * v + lr * g, beta * v + lr * g),
    "forgot to decay": lambda p, v, g, lr, beta: (p + v - lr * g, v - lr * g),
    "averaged form": lambda p, v, g, lr, beta: (p - lr * (beta * v + (1 - beta) * g), beta * v + (1 - beta) * g),
    "new* v": lambda p, v, g, lr, beta: (p + v, beta * v - lr * g),
    "p ← p + v, and v already": lambda p, v, g, lr, beta: (p - (beta * v - lr * g), beta * v - lr * g),
}


@pytest.mark.parametrize("hint", sorted(M_SLIPS))
def test_each_momentum_slip_is_named(hint, capsys):
    assert not check_momentum_step(*M_SLIPS[hint](**M), **MOMENTUM_EXERCISE)
    assert hint in capsys.readouterr().out


def swapped_m(p, m, v, g, t, lr, beta1, beta2, eps):
    p_new, _, v_new = adam_answer(p, m, v, g, t, lr, beta1, beta2, eps)
    return p_new, (1 - beta1) * m + beta1 * g, v_new


def unsquared_v(p, m, v, g, t, lr, beta1, beta2, eps):
    p_new, m_new, _ = adam_answer(p, m, v, g, t, lr, beta1, beta2, eps)
    return p_new, m_new, beta2 * v + (1 - beta2) * g


def keras_eps(p, m, v, g, t, lr, beta1, beta2, eps):
    return adam_answer(p, m, v, g, t, lr, beta1, beta2, eps / np.sqrt(1 - beta2**t))


A_SLIPS = {
    "forgot the bias correction": lambda **a: adam_answer(**a, correct=False),
    "square root": lambda **a: adam_answer(**a, root=False),
    "check the sign": lambda **a: adam_answer(**a, sign=-1),
    "ε goes outside the root": lambda **a: adam_answer(**a, eps_inside=True),
    "Keras adds it before": lambda **a: keras_eps(**a),
    "β₁ and 1 − β₁ are swapped": lambda **a: swapped_m(**a),
    "not g": lambda **a: unsquared_v(**a),
}


@pytest.mark.parametrize("hint", sorted(A_SLIPS))
def test_each_adam_slip_is_named(hint, capsys):
    assert not check_adam_step(*A_SLIPS[hint](**A), **ADAM_EXERCISE)
    assert hint in capsys.readouterr().out


def test_the_slips_are_told_apart():
    """Every slip gives a different step, so each hint points at one mistake."""
    steps = [A_SLIPS[h](**A)[0] - A["p"] for h in ("forgot the bias correction", "square root", "check the sign", "ε goes outside the root", "Keras adds it before")]
    steps.append(adam_answer(**A)[0] - A["p"])
    for i in range(len(steps)):
        for j in range(i):
            assert not np.allclose(steps[i], steps[j], rtol=1e-5, atol=0), (i, j)


@pytest.mark.parametrize("answer", [(None, None), (..., ...), ("p", "v"), (1.0, [1.0, 2.0, 3.0]), ([np.nan, 0.0], [0.0, 0.0])])
def test_unfinished_momentum_answers_fail_with_a_reason(answer, capsys):
    assert not check_momentum_step(*answer, **MOMENTUM_EXERCISE)
    assert "✗" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [(None, None, None), (..., ..., ...), ("p", "m", "v"), (1.0, 2.0, 3.0)])
def test_unfinished_adam_answers_fail_with_a_reason(answer, capsys):
    assert not check_adam_step(*answer, **ADAM_EXERCISE)
    assert capsys.readouterr().out.count("✗") == 3
