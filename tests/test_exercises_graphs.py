"""Notebook 02's checkers accept right answers and name each classic slip."""
import math

import pytest

from helpers.autograd import Value
from helpers.exercises.graphs import FAN_OUT_EXERCISE, check_fan_out, check_operation, check_softplus, fan_out_gradients


def sigma(x):
    return 1 / (1 + math.exp(-x))


def softplus_op(local=sigma, assign=False, upstream=True, parents=True, step=True):
    """A student's softplus, right or with one slip."""

    def softplus(v):
        out = Value(math.log(1 + math.exp(v.data)), parents=(v,) if parents else (), op="softplus")

        def backward_step():
            share = local(v.data) * (out.grad if upstream else 1.0)
            if assign:
                v.grad = share
            else:
                v.grad += share

        if step:
            out.backward_step = backward_step
        return out

    return softplus


def test_a_right_operation_passes(capsys):
    assert check_softplus(softplus_op())
    assert capsys.readouterr().out.count("✓") == 4


SLIPS = {
    "out.grad": softplus_op(upstream=False),
    "use += in the backward step, not =": softplus_op(assign=True),
    "not the output softplus(x)": softplus_op(local=lambda x: math.log(1 + math.exp(x))),
    "differentiated only the inner e^x": softplus_op(local=math.exp),
    "differentiated the log but not the inner e^x": softplus_op(local=lambda x: 1 / (1 + math.exp(x))),
    "set out.backward_step": softplus_op(step=False),
    "parents=(v,)": softplus_op(parents=False),
}


@pytest.mark.parametrize("hint", sorted(SLIPS))
def test_each_slip_in_an_operation_is_named(hint, capsys):
    feedback = check_softplus(SLIPS[hint])
    out = capsys.readouterr().out
    assert not feedback and out.count("✗") == 4 and hint in out


def test_a_wrong_local_derivative_nobody_predicted_still_fails_with_the_numbers(capsys):
    assert not check_softplus(softplus_op(local=lambda x: 0.5))
    out = capsys.readouterr().out
    assert "expected 0.1192" in out and "Hint" not in out


def test_the_assignment_slip_only_shows_at_the_fan_out(capsys):
    check_softplus(SLIPS["use += in the backward step, not ="])
    assert "for f = op(x) + op(x)" in capsys.readouterr().out


def test_unfinished_or_broken_operations_fail_with_a_reason(capsys):
    def unfinished(v):
        raise NotImplementedError("your turn")

    assert not check_softplus(unfinished)
    assert "softplus raised NotImplementedError: your turn" in capsys.readouterr().out
    assert not check_softplus(lambda v: math.log(1 + math.exp(v.data)))
    assert "must return a Value" in capsys.readouterr().out
    assert not check_softplus("softplus")
    assert "expected a function softplus(v)" in capsys.readouterr().out


def test_check_operation_works_for_another_operation(capsys):
    def sin(v):
        out = Value(math.sin(v.data), parents=(v,), op="sin")

        def backward_step():
            v.grad += math.cos(v.data) * out.grad

        out.backward_step = backward_step
        return out

    assert check_operation(sin, name="sin", forward=math.sin, derivative=math.cos)
    assert "✓ at x = 0.3: sin(0.3) = 0.2955" in capsys.readouterr().out


def test_fan_out_right_answer_passes(capsys):
    assert fan_out_gradients(**FAN_OUT_EXERCISE) == (14.0, 48.0, 28.0)
    assert check_fan_out(14.0, 48.0, 28.0, **FAN_OUT_EXERCISE)
    assert capsys.readouterr().out.count("✓") == 3


@pytest.mark.parametrize(
    "answer, hint",
    [
        ((8.0, 48.0, 28.0), "u is used twice (in v and in f): gradients add"),
        ((6.0, 48.0, 28.0), "you have only the path through v"),
        ((14.0, 42.0, 28.0), "x is used twice (in u and in v): gradients add; you have only the path through u"),
        ((14.0, 6.0, 28.0), "you have only the path through v"),
        ((14.0, 30.0, 28.0), "∂f/∂u is missing a path (u's use inside v)"),
        ((14.0, 24.0, 28.0), "∂f/∂u is missing a path (the direct use of u in f)"),
        ((14.0, 48.0, 16.0), "∂f/∂u has two paths"),
        ((14.0, 48.0, 12.0), "∂f/∂u has two paths"),
    ],
)
def test_fan_out_one_path_only_is_named(answer, hint, capsys):
    assert not check_fan_out(*answer, **FAN_OUT_EXERCISE)
    out = capsys.readouterr().out
    assert hint in out and out.count("✗") == 1
