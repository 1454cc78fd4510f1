"""Notebook 04's checkers: right steps written several ways pass, each classic slip gets exactly its hint,
and hard-coded hyperparameters, ignored arguments, in-place updates and unfilled stubs fail."""
import numpy as np
import pytest

from helpers.exercises import check_adam_step, check_momentum_step
from helpers.exercises.core import NOT_DONE, close
from helpers.exercises.optimizers import ADAM_HINTS, MOMENTUM_HINTS, adam_cases, momentum_cases
from helpers.optimizers import Adam, Momentum

FRIENDLY = NOT_DONE.split("{what}")[1]


# --- right answers, written differently -----------------------------------------------------


def momentum_right(p, v, g, lr, beta):
    v_new = beta * v - lr * g
    return p + v_new, v_new


def momentum_loop(p, v, g, lr, beta):
    p_new, v_new = np.empty_like(p), np.empty_like(v)
    for i in np.ndindex(p.shape):
        v_new[i] = beta * v[i] - lr * g[i]
        p_new[i] = p[i] + v_new[i]
    return p_new, v_new


def momentum_float32(p, v, g, lr, beta):
    p, v, g = (a.astype(np.float32) for a in (p, v, g))
    v_new = np.float32(beta) * v - np.float32(lr) * g
    return p + v_new, v_new


def momentum_by_course_optimizer(p, v, g, lr, beta):
    """Through helpers.optimizers: from rest, a gradient −v/lr leaves exactly the velocity v (β·0 − lr·(−v/lr))."""
    params, opt = {"p": p - v}, Momentum(lr, beta)
    opt.step(params, {"p": -v / lr})
    opt.step(params, {"p": g})
    return params["p"], opt.state["p"][0].copy()


def adam_right(p, m, v, g, t, lr, beta1, beta2, eps, correct=(True, True), root=True, eps_inside=False, eps_keras=False, sign=1):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    m_hat = m / (1 - beta1**t) if correct[0] else m
    v_hat = v / (1 - beta2**t) if correct[1] else v
    if eps_keras:
        eps = eps / np.sqrt(1 - beta2**t)
    scale = np.sqrt(v_hat + eps) if eps_inside else (np.sqrt(v_hat) if root else v_hat) + eps
    return p - sign * lr * m_hat / scale, m, v


def adam_keras_form(p, m, v, g, t, lr, beta1, beta2, eps):
    """The corrections folded into the learning rate (and ε scaled to match): the same numbers, another formula."""
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    lr_t = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    return p - lr_t * m / (np.sqrt(v) + eps * np.sqrt(1 - beta2**t)), m, v


def adam_loop(p, m, v, g, t, lr, beta1, beta2, eps):
    p_new, m_new, v_new = (np.empty_like(a) for a in (p, m, v))
    for i in np.ndindex(p.shape):
        m_new[i] = beta1 * m[i] + (1 - beta1) * g[i]
        v_new[i] = beta2 * v[i] + (1 - beta2) * g[i] ** 2
        p_new[i] = p[i] - lr * (m_new[i] / (1 - beta1**t)) / ((v_new[i] / (1 - beta2**t)) ** 0.5 + eps)
    return p_new, m_new, v_new


def adam_float32(p, m, v, g, t, lr, beta1, beta2, eps):
    return tuple(a.astype(np.float32) for a in adam_right(*(a.astype(np.float64) for a in (p, m, v, g)), t, lr, beta1, beta2, eps))


def adam_by_course_optimizer(p, m, v, g, t, lr, beta1, beta2, eps):
    params, opt = {"p": p.copy()}, Adam(lr, beta1, beta2, eps)
    opt.step(params, {"p": np.zeros_like(p)})
    opt.state["p"][0][...], opt.state["p"][1][...] = m, np.sqrt(v)  # the course's Adam keeps √v
    opt.t = t - 1
    opt.step(params, {"p": g})
    m_new, root_v_new = opt.state["p"]
    return params["p"], m_new.copy(), root_v_new**2


@pytest.mark.parametrize("answer", [momentum_right, momentum_loop, momentum_float32, momentum_by_course_optimizer])
def test_right_momentum_steps_written_differently_all_pass(answer, capsys):
    feedback = check_momentum_step(answer)
    assert feedback and feedback.hints == ()
    assert capsys.readouterr().out.splitlines()[-1] == f"All {len(momentum_cases())} cases right."


@pytest.mark.parametrize("answer", [adam_right, adam_keras_form, adam_loop, adam_float32, adam_by_course_optimizer])
def test_right_adam_steps_written_differently_all_pass(answer, capsys):
    feedback = check_adam_step(answer)
    assert feedback and feedback.hints == ()
    assert capsys.readouterr().out.splitlines()[-1] == f"All {len(adam_cases())} cases right."


def test_the_cases_vary_every_hyperparameter_shape_and_step_count():
    m_cases, a_cases = momentum_cases(), adam_cases()
    assert len({c.args[0].shape for c in m_cases}) >= 3 and len({c.args[0].shape for c in a_cases}) >= 3
    assert len({c.args[3] for c in m_cases}) == len(m_cases) and len({c.args[4] for c in m_cases}) == len(m_cases)
    for k in (5, 6, 7, 8):  # lr, beta1, beta2, eps each take at least three values
        assert len({c.args[k] for c in a_cases}) >= 3
    steps = [c.args[4] for c in a_cases]
    assert 1 in steps and max(steps) > 1
    first = next(c for c in a_cases if c.args[4] == 1)
    assert not first.args[1].any() and not first.args[2].any()  # t = 1 starts from m = v = 0


def test_eps_placement_matters_in_several_cases():
    """The cases are chosen so that where ε goes changes the answer beyond the tolerance."""
    differs = [not close(adam_right(*c.args, eps_inside=True)[0], c.expected["p_new"]) for c in adam_cases()]
    assert sum(differs) >= 3


# --- each classic slip: exactly its hint ----------------------------------------------------

MOMENTUM_SLIPS = {
    "against": lambda p, v, g, lr, beta: (p + beta * v + lr * g, beta * v + lr * g),
    "decay": lambda p, v, g, lr, beta: (p + v - lr * g, v - lr * g),
    "averaged": lambda p, v, g, lr, beta: (p - lr * (beta * v + (1 - beta) * g), beta * v + (1 - beta) * g),
    "new_v": lambda p, v, g, lr, beta: (p + v, beta * v - lr * g),
    "sign": lambda p, v, g, lr, beta: (p - (beta * v - lr * g), beta * v - lr * g),
}


def swapped(which):
    def answer(p, m, v, g, t, lr, beta1, beta2, eps):
        m_new = (1 - beta1) * m + beta1 * g if which == 1 else beta1 * m + (1 - beta1) * g
        v_new = (1 - beta2) * v + beta2 * g * g if which == 2 else beta2 * v + (1 - beta2) * g * g
        p_new = p - lr * (m_new / (1 - beta1**t)) / (np.sqrt(v_new / (1 - beta2**t)) + eps)
        return p_new, m_new, v_new

    return answer


def plain_sum(p, m, v, g, t, lr, beta1, beta2, eps):
    m_new = beta1 * m + g
    v_new = beta2 * v + (1 - beta2) * g * g
    return p - lr * (m_new / (1 - beta1**t)) / (np.sqrt(v_new / (1 - beta2**t)) + eps), m_new, v_new


def unsquared(p, m, v, g, t, lr, beta1, beta2, eps):
    """v from g instead of g²: v goes negative where g does, and √v is nan there (numpy warns, the student sees it)."""
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * g
    with np.errstate(invalid="ignore"):
        return p - lr * (m_new / (1 - beta1**t)) / (np.sqrt(v_new / (1 - beta2**t)) + eps), m_new, v_new


ADAM_SLIPS = {
    "swap1": swapped(1),
    "mean": plain_sum,
    "swap2": swapped(2),
    "square": unsquared,
    "bias": lambda *a: adam_right(*a, correct=(False, False)),
    "bias_v": lambda *a: adam_right(*a, correct=(True, False)),
    "bias_m": lambda *a: adam_right(*a, correct=(False, True)),
    "root": lambda *a: adam_right(*a, root=False),
    "sign": lambda *a: adam_right(*a, sign=-1),
    "eps_inside": lambda *a: adam_right(*a, eps_inside=True),
    "eps_keras": lambda *a: adam_right(*a, eps_keras=True),
}


@pytest.mark.parametrize("key", sorted(MOMENTUM_SLIPS))
def test_each_momentum_slip_fails_with_exactly_its_hint(key):
    feedback = check_momentum_step(MOMENTUM_SLIPS[key])
    assert not feedback and feedback.hints == (MOMENTUM_HINTS[key],)


@pytest.mark.parametrize("key", sorted(ADAM_SLIPS))
def test_each_adam_slip_fails_with_exactly_its_hint(key):
    feedback = check_adam_step(ADAM_SLIPS[key])
    assert not feedback and feedback.hints == (ADAM_HINTS[key],)


def test_every_hint_is_tested():
    assert set(MOMENTUM_SLIPS) == set(MOMENTUM_HINTS) and set(ADAM_SLIPS) == set(ADAM_HINTS)


def test_two_slips_at_once_get_both_hints_or_none():
    both_swapped = lambda *a: (lambda p, m, v: (p, m, v))(*swapped(1)(*a)[:2], swapped(2)(*a)[2])
    assert check_adam_step(both_swapped).hints == (ADAM_HINTS["swap1"], ADAM_HINTS["swap2"])
    # the sign and a missing root together: no single step slip explains p_new, so none is named
    assert check_adam_step(lambda *a: adam_right(*a, root=False, sign=-1)).hints == ()


# --- answers that must fail -----------------------------------------------------------------


def test_hard_coded_hyperparameters_and_ignored_arguments_fail():
    assert not check_momentum_step(lambda p, v, g, lr, beta: momentum_right(p, v, g, 0.1, beta))
    assert not check_momentum_step(lambda p, v, g, lr, beta: momentum_right(p, v, g, lr, 0.9))
    assert not check_momentum_step(lambda p, v, g, lr, beta: momentum_right(p, np.zeros_like(v), g, lr, beta))  # ignores v
    defaults = dict(lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7)
    for name, value in defaults.items():
        def hard_coded(p, m, v, g, t, lr, beta1, beta2, eps, name=name, value=value):
            kwargs = dict(lr=lr, beta1=beta1, beta2=beta2, eps=eps, **{name: value})
            return adam_right(p, m, v, g, t, **kwargs)

        assert not check_adam_step(hard_coded), name
    assert not check_adam_step(lambda p, m, v, g, t, lr, beta1, beta2, eps: adam_right(p, m, v, g, 1, lr, beta1, beta2, eps))  # ignores t
    assert not check_adam_step(lambda p, m, v, g, t, *h: adam_right(p, 0 * m, 0 * v, g, t, *h))  # ignores the state


def test_in_place_updates_are_named(capsys):
    def momentum_in_place(p, v, g, lr, beta):
        v *= beta
        v -= lr * g
        p += v
        return p, v

    def adam_in_place(p, m, v, g, t, lr, beta1, beta2, eps):
        m += (1 - beta1) * (g - m)
        v += (1 - beta2) * (g * g - v)
        p -= lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
        return p, m, v

    assert not check_momentum_step(momentum_in_place)
    assert "changed its input p, v in place" in capsys.readouterr().out
    assert not check_adam_step(adam_in_place)
    assert "changed its input p, m, v in place" in capsys.readouterr().out


@pytest.mark.parametrize("check, name", [(check_momentum_step, "momentum_step(p, v, g, lr, beta)"), (check_adam_step, "adam_step(p, m, v, g, t, lr, beta1, beta2, eps)")])
def test_unfilled_stub_gets_one_friendly_line(check, name, capsys):
    def stub(*args):
        raise NotImplementedError("your turn: write this part, then run the check below")

    feedback = check(stub)
    out = capsys.readouterr().out
    assert not feedback and out.count("\n") == 1 and FRIENDLY in out and name in out


def test_broken_answers_fail_with_a_reason(capsys):
    assert not check_momentum_step(lambda p, v, g, lr, beta: beta * v - lr * g)
    assert "return 2 values (p_new, v_new)" in capsys.readouterr().out
    assert not check_adam_step(lambda *a: adam_right(*a)[:2])
    assert "return 3 values (p_new, m_new, v_new)" in capsys.readouterr().out
    assert not check_adam_step(lambda *a: (None, None, None))
    assert "got None" in capsys.readouterr().out
    assert not check_momentum_step([1.0, 2.0])
    assert "expected a function momentum_step(p, v, g, lr, beta)" in capsys.readouterr().out
