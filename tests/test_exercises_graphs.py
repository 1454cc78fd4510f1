"""Notebook 02's checkers: right answers written several ways pass without a hint; each classic slip
fails with exactly its hint; a stub gets one friendly line."""
import math
import re

import numpy as np
import pytest

import helpers.exercises.graphs as ex
from helpers.autograd import Value, topological_order
from helpers.exercises.core import NOT_DONE

FRIENDLY = NOT_DONE.split("{what}")[1]


def sigma(x):
    return 1 / (1 + math.exp(-x))


# --- backward(root) -----------------------------------------------------------------------


def written_backward(visited=True, listed_after_parents=True):
    """``backward(root)`` as a student writes it: a recursive search, a reset, a seed and one loop.

    With the defaults it is right; ``visited=False`` (no set of seen nodes) or
    ``listed_after_parents=False`` (a node listed before its parents) are two classic slips.
    """

    def backward(root):
        order, seen = [], set()

        def visit(node):
            if visited and node in seen:
                return
            seen.add(node)
            if not listed_after_parents:
                order.append(node)
            for parent in node.parents:
                visit(parent)
            if listed_after_parents:
                order.append(node)

        visit(root)
        for node in order:
            node.grad = 0.0
        root.grad = 1.0
        for node in reversed(order) if listed_after_parents else order:
            node.backward_step()

    return backward


backward_recursive = written_backward()


def backward_kahn(root):
    """Another topological order: count each node's users, run a node when all of them have run."""
    nodes = topological_order(root)
    users = {node: 0 for node in nodes}
    for node in nodes:
        for parent in set(node.parents):
            users[parent] += 1
    for node in nodes:
        node.grad = 0.0
    root.grad = 1.0
    ready = [root]
    while ready:
        node = ready.pop()
        node.backward_step()
        for parent in set(node.parents):
            users[parent] -= 1
            if users[parent] == 0:
                ready.append(parent)


def backward_with_the_helper(root):
    root.backward()


@pytest.mark.parametrize("answer", [backward_recursive, backward_kahn, backward_with_the_helper])
def test_right_backward_written_differently_passes(answer, capsys):
    feedback = ex.check_backward(answer)
    assert feedback and feedback.hints == ()
    assert capsys.readouterr().out.splitlines()[-1] == f"All {len(ex.GRAPHS)} cases right."


@pytest.mark.parametrize("hint", list(ex._SLIPS), ids=lambda h: h[:30])
def test_each_backward_slip_fails_with_exactly_its_hint(hint):
    feedback = ex.check_backward(ex._SLIPS[hint])
    assert not feedback and feedback.hints == (hint,)


def test_the_slips_are_written_as_a_student_would():
    """The slip simulations in the checker match hand-written wrong answers."""

    def no_reset(root):
        root.grad = 1.0
        for node in reversed(topological_order(root)):
            node.backward_step()

    assert ex.check_backward(written_backward(listed_after_parents=False)).hints == (ex.PRE_ORDER,)
    assert ex.check_backward(written_backward(visited=False)).hints == (ex.TWICE,)
    assert ex.check_backward(no_reset).hints == (ex.NOT_RESET,)


def test_a_backward_that_does_nothing_or_only_the_root_fails_without_a_hint():
    assert ex.check_backward(lambda root: None).hints == ()
    feedback = ex.check_backward(lambda root: root.backward_step())
    assert not feedback and feedback.hints == ()


def test_backward_stub_and_broken_answers_are_told_in_one_line(capsys):
    def backward(root):
        raise NotImplementedError("your turn")

    assert not ex.check_backward(backward)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and FRIENDLY in out
    assert not ex.check_backward("backward")
    assert "expected a function backward(root)" in capsys.readouterr().out
    assert not ex.check_backward(lambda root: root.parents[5])
    assert "raised IndexError" in capsys.readouterr().out


# --- a new operation ------------------------------------------------------------------------


def softplus_op(local=sigma, assign=False, upstream=True, parents=True, step=True, forward=lambda x: math.log(1 + math.exp(x))):
    """A student's softplus, right or with one slip."""

    def softplus(v):
        out = Value(forward(v.data), parents=(v,) if parents else (), op="softplus")

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


def softplus_from_values(v):
    """Built from the autograd's own operations: its backward comes for free."""
    return (v.exp() + 1).log()


@pytest.mark.parametrize(
    "answer",
    [softplus_op(), softplus_op(forward=ex.softplus_reference), softplus_op(local=lambda x: math.exp(x) / (1 + math.exp(x))), softplus_op(local=lambda x: float(np.float32(sigma(x)))), softplus_from_values],
)
def test_a_right_operation_written_differently_passes(answer, capsys):
    feedback = ex.check_softplus(answer)
    assert feedback and feedback.hints == ()
    assert capsys.readouterr().out.count("✓") == len(ex.OPERATION_INPUTS)


OPERATION_SLIPS = {
    ex.FORGOT_UPSTREAM: softplus_op(upstream=False),
    ex.ASSIGNED: softplus_op(assign=True),
    ex.SOFTPLUS_IS_OUTPUT: softplus_op(local=lambda x: math.log(1 + math.exp(x))),
    ex.SOFTPLUS_INNER_ONLY: softplus_op(local=math.exp),
    ex.SOFTPLUS_OUTER_ONLY: softplus_op(local=lambda x: 1 / (1 + math.exp(x))),
    ex.NEVER_REACHED: softplus_op(step=False),
}


@pytest.mark.parametrize("hint", list(OPERATION_SLIPS), ids=lambda h: h[:30])
def test_each_slip_in_an_operation_is_named_exactly(hint, capsys):
    feedback = ex.check_softplus(OPERATION_SLIPS[hint])
    assert not feedback and feedback.hints == (hint,)
    assert sum(line.startswith("✗") for line in capsys.readouterr().out.splitlines()) == len(ex.OPERATION_INPUTS)


def test_an_unknown_wrong_derivative_or_value_fails_without_a_hint_and_without_the_answer(capsys):
    assert ex.check_softplus(softplus_op(local=lambda x: 0.5)).hints == ()
    assert ex.check_softplus(softplus_op(forward=lambda x: math.log(math.exp(x)))).hints == ()
    assert not re.search(r"expected -?\d", capsys.readouterr().out)


def test_a_missing_parent_a_wrong_return_and_a_stub_are_told(capsys):
    assert not ex.check_softplus(softplus_op(parents=False))
    assert "parents=(v,)" in capsys.readouterr().out
    assert not ex.check_softplus(lambda v: math.log(1 + math.exp(v.data)))
    assert "must return a Value" in capsys.readouterr().out
    assert not ex.check_softplus("softplus")
    assert "expected a function softplus(v)" in capsys.readouterr().out

    def softplus(v):
        raise NotImplementedError("your turn")

    assert not ex.check_softplus(softplus)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and FRIENDLY in out


def test_check_operation_works_for_another_operation(capsys):
    def sin(v):
        out = Value(math.sin(v.data), parents=(v,), op="sin")

        def backward_step():
            v.grad += math.cos(v.data) * out.grad

        out.backward_step = backward_step
        return out

    assert ex.check_operation(sin, name="sin", forward=math.sin, derivative=math.cos)
    assert "✓ at x = 0.3" in capsys.readouterr().out


# --- a fan-out by hand ----------------------------------------------------------------------


def test_fan_out_right_answer_passes_in_float32_too(capsys):
    assert ex.fan_out_gradients(**ex.FAN_OUT_EXERCISE) == (14.0, 48.0, 28.0)
    assert ex.check_fan_out(14.0, 48.0, 28.0, **ex.FAN_OUT_EXERCISE).hints == ()
    assert ex.check_fan_out(*np.float32([14.0, 48.0, 28.0]), **ex.FAN_OUT_EXERCISE)
    assert capsys.readouterr().out.count("✓") == 6


@pytest.mark.parametrize(
    "answer, hint",
    [
        ((8.0, 48.0, 28.0), f"{ex.TWICE_U}; you have only the direct use in f"),
        ((6.0, 48.0, 28.0), f"{ex.TWICE_U}; you have only the path through v"),
        ((14.0, 42.0, 28.0), "x is used twice (in u and in v): gradients add; you have only the path through u"),
        ((14.0, 6.0, 28.0), "x is used twice (in u and in v): gradients add; you have only the path through v"),
        ((14.0, 30.0, 28.0), "∂f/∂u is missing a path (u's use inside v): gradients add where a value is used twice"),
        ((14.0, 24.0, 28.0), "∂f/∂u is missing a path (the direct use of u in f): gradients add where a value is used twice"),
        ((14.0, 48.0, 16.0), "∂f/∂y = ∂f/∂u · x, and ∂f/∂u has two paths (u is used twice): gradients add"),
        ((14.0, 48.0, 12.0), "∂f/∂y = ∂f/∂u · x, and ∂f/∂u has two paths (u is used twice; you have only the one through v)"),
        ((14.0, 48.0, 27.0), None),
    ],
)
def test_fan_out_one_path_only_is_named_exactly_and_the_answer_stays_hidden(answer, hint, capsys):
    feedback = ex.check_fan_out(*answer, **ex.FAN_OUT_EXERCISE)
    assert not feedback and feedback.hints == ((hint,) if hint else ())
    out = capsys.readouterr().out
    assert out.count("✗") == 1 and not re.search(r"expected -?\d", out)


def test_fan_out_unfilled_gets_one_friendly_line(capsys):
    assert not ex.check_fan_out(..., ..., ..., **ex.FAN_OUT_EXERCISE)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and FRIENDLY in out
