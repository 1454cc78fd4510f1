"""The scalar autograd: every operation and random expressions that reuse values agree with
central differences in float64; backward resets or accumulates as asked; bad input is named;
deep graphs need no recursion.

Values are drawn on a grid of step 1/64 (exact in binary). Draws whose gradient is about 0 are
skipped: there the relative error would compare nothing but rounding noise.
"""
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from helpers.activations import sigmoid, sigmoid_prime
from helpers.autograd import (
    Value,
    backward_steps,
    count_steps,
    distinct_parents,
    graph,
    local_derivatives,
    topological_order,
)
from helpers.gradcheck import numerical_gradient, relative_error

TOL = 1e-7
FAST = settings(max_examples=30, deadline=None, derandomize=True, database=None)


def grid(lo=-2.0, hi=2.0, step=1 / 64):
    return st.integers(round(lo / step), round(hi / step)).map(lambda k: k * step)


def autograd_gradient(build, xs):
    """``build(*Values) -> Value`` at ``xs``: the gradients backward() gives every input."""
    inputs = [Value(x) for x in xs]
    build(*inputs).backward()
    return np.array([v.grad for v in inputs])


def assert_matches_central_differences(build, xs):
    numeric = numerical_gradient(lambda arr: build(*(Value(a) for a in arr)).data, np.array(xs, dtype=float))
    assume(np.linalg.norm(numeric) > 1e-3)
    err = relative_error(autograd_gradient(build, xs), numeric)
    assert err < TOL, f"relative error {err:.1e}"


nonzero = grid().filter(lambda v: abs(v) > 0.1)
positive = grid(0.1, 3.0)
off_kink = grid().filter(lambda v: abs(v) > 1e-3)

UNARY = {
    "neg": (lambda a: -a, grid()),
    "square": (lambda a: a**2, grid()),
    "cube": (lambda a: a**3, grid()),
    "power 1.5": (lambda a: a**1.5, positive),
    "power -2": (lambda a: a**-2, nonzero),
    "power 0": (lambda a: a**0 * a, grid()),
    "exp": (lambda a: a.exp(), grid()),
    "log": (lambda a: a.log(), positive),
    "tanh": (lambda a: a.tanh(), grid()),
    "sigmoid": (lambda a: a.sigmoid(), grid(-6, 6)),
    "relu": (lambda a: a.relu(), off_kink),
    "number + a": (lambda a: 1.5 + a, grid()),
    "number - a": (lambda a: 1.5 - a, grid()),
    "number * a": (lambda a: 1.5 * a, grid()),
    "number / a": (lambda a: 1.5 / a, nonzero),
    "a + number": (lambda a: a + 1.5, grid()),
    "a - number": (lambda a: a - 1.5, grid()),
    "a * number": (lambda a: a * 1.5, grid()),
    "a / number": (lambda a: a / 1.5, grid()),
}
BINARY = {
    "+": (lambda a, b: a + b, grid()),
    "-": (lambda a, b: a - b, grid()),
    "*": (lambda a, b: a * b, grid()),
    "/": (lambda a, b: a / b, nonzero),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@FAST
@given(data=st.data())
def test_one_input_operations(name, data):
    op, values = UNARY[name]
    assert_matches_central_differences(op, [data.draw(values)])


@pytest.mark.parametrize("name", sorted(BINARY))
@FAST
@given(a=grid(), data=st.data())
def test_two_input_operations(name, a, data):
    op, second = BINARY[name]
    assert_matches_central_differences(op, [a, data.draw(second)])


@pytest.mark.parametrize("name", ["+", "*"])
@FAST
@given(a=grid(0.25, 2.0))
def test_an_operation_with_the_same_value_on_both_sides(name, a):
    """``a + a`` and ``a * a``: one Value, two edges into one node."""
    op = BINARY[name][0]
    assert_matches_central_differences(lambda v: op(v, v), [a])


@FAST
@given(a=grid(0.25, 2.0))
def test_a_value_minus_or_over_itself_has_gradient_zero(a):
    for op in (lambda v: v - v, lambda v: v / v):
        assert abs(autograd_gradient(op, [a])[0]) < 1e-15


# Random expressions: each step applies a gentle operation to Values drawn from everything
# made so far, so inputs and intermediate results are reused, often several times.
STEPS = {
    "add": (2, lambda a, b: a + b),
    "sub": (2, lambda a, b: a - b),
    "mul": (2, lambda a, b: a * b),
    "div": (2, lambda a, b: a / (1 + b * b)),
    "log": (1, lambda a: (1 + a * a).log()),
    "exp": (1, lambda a: a.tanh().exp()),
    "tanh": (1, lambda a: a.tanh()),
    "sigmoid": (1, lambda a: a.sigmoid()),
    "square": (1, lambda a: a**2),
}

recipes = st.lists(
    st.tuples(st.sampled_from(sorted(STEPS)), st.integers(0, 10**6), st.integers(0, 10**6)), min_size=1, max_size=7
)


def expression(recipe):
    """``build(*inputs)`` that follows ``recipe``: (step name, index of operand, index of operand)."""

    def build(*inputs):
        pool = list(inputs)
        for name, i, j in recipe:
            arity, op = STEPS[name]
            operands = [pool[i % len(pool)], pool[j % len(pool)]][:arity]
            pool.append(op(*operands))
        return sum(pool[len(inputs):], Value(0.0)) * pool[-1].sigmoid()  # every step's result is used, the last one twice

    return build


@FAST
@given(xs=st.lists(grid(-1.5, 1.5), min_size=1, max_size=3), recipe=recipes)
def test_random_expressions_that_reuse_values(xs, recipe):
    build = expression(recipe)
    edges = graph(build(*(Value(x) for x in xs))).edges
    assert len({id(parent) for parent, _ in edges}) < len(edges)  # some Value is used more than once
    assert_matches_central_differences(build, xs)


def test_fan_out_adds_the_shares_of_every_use():
    x, y = Value(3.0, "x"), Value(-2.0, "y")
    f = (x + y) * x
    f.backward()
    assert (x.grad, y.grad) == (4.0, 3.0)  # 2x + y and x, exactly
    x = Value(1.5)
    (x * x * x + x).backward()  # four uses of x
    assert x.grad == 3 * 1.5**2 + 1


def test_backward_twice_gives_the_same_gradients_not_double():
    w, x = Value(0.8, "w"), Value(1.5, "x")
    loss = (w * x).sigmoid() * w
    loss.backward()
    first = (w.grad, x.grad)
    loss.backward()
    assert (w.grad, x.grad) == first


def test_backward_accumulate_adds_this_pass_to_the_stored_gradients():
    w, x = Value(0.8, "w"), Value(1.5, "x")
    loss = (w * x).tanh() + w * w
    loss.backward()
    first = {v: v.grad for v in topological_order(loss)}
    loss.backward(accumulate=True)
    assert all(v.grad == 2 * g for v, g in first.items())  # inner nodes too, and the root: 2 · 1


def test_accumulate_sums_the_gradients_of_separate_examples_sharing_parameters():
    w, b = Value(0.8, "w"), Value(0.2, "b")
    examples = [(1.5, 0.3), (-1.0, 1.0)]

    def loss(x, t):
        return 0.5 * ((w * x + b).sigmoid() - t) ** 2

    loss(*examples[0]).backward()
    loss(*examples[1]).backward(accumulate=True)
    summed = (w.grad, b.grad)
    (loss(*examples[0]) + loss(*examples[1])).backward()
    assert summed == pytest.approx((w.grad, b.grad), rel=1e-14)
    loss(*examples[1]).backward()  # without accumulate: only the second example's gradient
    assert w.grad != pytest.approx(summed[0])


def test_a_chain_of_5000_operations_needs_no_recursion():
    x = Value(0.5, "x")
    y = x
    for _ in range(2500):
        y = (y * 1.0001).tanh()
    assert len(topological_order(y)) == 1 + 2 * 2500 + 2500  # x, then a constant, a × and a tanh per round
    y.backward()
    numeric = numerical_gradient(lambda arr: _chain(arr[0]), np.array([0.5]))[0]
    assert relative_error([x.grad], [numeric]) < 1e-6
    assert len(backward_steps(y)) == count_steps(y) == 5000


def _chain(x):
    for _ in range(2500):
        x = math.tanh(x * 1.0001)
    return x


def test_sigmoid_reuses_the_stable_helpers_and_is_silent_far_out():
    for z in (-1000.0, -30.0, 0.0, 2.5, 1000.0):
        v = Value(z)
        s = v.sigmoid()
        s.backward()
        assert s.data == float(sigmoid(z)) and v.grad == float(sigmoid_prime(z))
    assert Value(-1000.0).sigmoid().data == 0.0 and Value(1000.0).sigmoid().data == 1.0


def test_the_neuron_of_notebook_01():
    from helpers.neuron import neuron_trace

    x, w, b, t = Value(1.5), Value(0.8), Value(0.2), Value(0.3)
    loss = 0.5 * ((w * x + b).sigmoid() - t) ** 2
    loss.backward()
    trace = neuron_trace(1.5, 0.8, 0.2, 0.3)
    assert (loss.data, w.grad, b.grad) == (trace.loss, trace.dL_dw, trace.dL_db)  # the same float operations


def test_relu_has_derivative_zero_at_the_kink_and_below():
    for z, slope in [(-1.0, 0.0), (0.0, 0.0), (2.0, 1.0)]:
        v = Value(z)
        v.relu().backward()
        assert v.grad == slope


def test_numpy_scalars_work_on_either_side():
    v = Value(2.0)
    for out in (np.float64(3.0) * v, v * np.float64(3.0), np.int64(3) * v):
        assert isinstance(out, Value) and out.data == 6.0


def test_topological_order_puts_every_node_after_its_parents():
    a, b = Value(1.0, "a"), Value(2.0, "b")
    c = a * b
    d = c + a
    e = (d * c).tanh()
    order = topological_order(e)
    position = {node: i for i, node in enumerate(order)}
    assert len(order) == 6 and order[-1] is e
    assert all(position[p] < position[n] for n in order for p in n.parents)
    g = graph(e)
    assert g.nodes == order and len(g.edges) == 7


def test_local_derivatives_leave_every_gradient_as_it_was():
    a, b = Value(2.0), Value(5.0)
    c = a * b
    a.grad, b.grad, c.grad = 0.1, 0.2, 0.3
    assert local_derivatives(c) == (5.0, 2.0)
    assert (a.grad, b.grad, c.grad) == (0.1, 0.2, 0.3)
    sq = a * a
    assert distinct_parents(sq) == (a,) and local_derivatives(sq) == (4.0,)


def test_backward_steps_run_the_same_pass_as_backward():
    x, y = Value(3.0, "x"), Value(-2.0, "y")
    f = (x + y).named("q") * x
    steps = backward_steps(f)
    grads = (x.grad, y.grad)
    f.backward()
    assert grads == (x.grad, y.grad) == (4.0, 3.0)
    assert [s.node.label or s.node.op for s in steps] == ["×", "q"]
    first, second = steps
    assert first.upstream == 1.0 and first.local == (3.0, 1.0) and first.added == (3.0, 1.0)
    assert first.parents == (f.parents[0], x) and second.parents == (x, y)
    assert second.shares_before == (1, 0) and second.before == (1.0, 0.0) and second.after == (4.0, 3.0)
    assert len(backward_steps(f, stop=1)) == 1 and (x.grad, y.grad) == (1.0, 0.0)  # the pass half done
    assert backward_steps(f, stop=0) == [] and f.grad == 1.0 and x.grad == 0.0


BAD = {
    "string data": (lambda: Value("1.5"), TypeError, r"data must be a real number; got str"),
    "None data": (lambda: Value(None), TypeError, r"data must be a real number; got NoneType"),
    "bool data": (lambda: Value(True), TypeError, r"data must be a real number; got bool"),
    "NaN data": (lambda: Value(float("nan")), ValueError, r"data must be finite"),
    "string operand": (lambda: Value(1.0, "w") + "2", TypeError, r"cannot compute w \+ '2': the operand '2' is a str"),
    "string operand, unnamed": (lambda: Value(1.0) + "2", TypeError, r"cannot compute the Value 1 \+ '2': the operand '2' is a str, expected a number or a Value"),
    "times a string": (lambda: Value(1.0, "w") * "2", TypeError, r"cannot compute w \* '2': the operand '2' is a str, expected a number or a Value"),
    "product overflow, unlabeled": (lambda: Value(1e200) * Value(1e200), OverflowError, r"× of \(1e\+200, 1e\+200\) is too large for float64"),
    "string minus a Value": (lambda: "2" - Value(1.0, "w"), TypeError, r"cannot compute w - '2': the operand '2' is a str, expected a number or a Value"),
    "string over a Value": (lambda: "2" / Value(1.0, "w"), TypeError, r"cannot compute w / '2': the operand '2' is a str, expected a number or a Value"),
    "inf minus a Value": (lambda: float("inf") - Value(1.0), ValueError, r"the operand of - must be finite; it contains NaN or inf"),
    "label of named": (lambda: Value(1.0).named(3), TypeError, r"label must be a string; got int"),
    "string plus, on the left": (lambda: "2" + Value(1.0, "w"), TypeError, r"cannot compute w \+ '2': the operand '2' is a str, expected a number or a Value"),
    "minus a string": (lambda: Value(1.0, "w") - "2", TypeError, r"cannot compute w - '2': the operand '2' is a str, expected a number or a Value"),
    "over a string": (lambda: Value(1.0, "w") / "2", TypeError, r"cannot compute w / '2': the operand '2' is a str, expected a number or a Value"),
    "NaN exponent": (lambda: Value(2.0) ** float("nan"), ValueError, r"the exponent of \*\* must be finite; it contains NaN or inf"),
    "Value exponent, the way out": (lambda: Value(2.0) ** Value(3.0), TypeError, r"; for a Value exponent b write \(b \* a.log\(\)\).exp\(\) for a \*\* b$"),
    "bool stop": (lambda: backward_steps(Value(1.0) * 2, stop=True), ValueError, r"stop must be None or a whole number of steps ≥ 0; got True"),
    "fractional stop": (lambda: backward_steps(Value(1.0) * 2, stop=1.5), ValueError, r"stop must be None or a whole number of steps ≥ 0; got 1.5"),
    "string on the left": (lambda: "2" * Value(1.0, "w"), TypeError, r"cannot compute w \* '2': the operand '2' is a str, expected a number or a Value"),
    "list operand": (lambda: Value(1.0) * [1, 2], TypeError, r"the operand \[1, 2\] is a list"),
    "array operand": (lambda: Value(1.0) - np.ones(2), TypeError, r"the operand array\(\[1\., 1\.\]\) is a ndarray"),
    "bool operand": (lambda: Value(1.0) / True, TypeError, r"the operand True is a bool"),
    "inf operand": (lambda: Value(1.0) + float("inf"), ValueError, r"the operand of \+ must be finite"),
    "Value exponent": (lambda: Value(2.0) ** Value(3.0), TypeError, r"the exponent of \*\* must be a plain number, not Value"),
    "number ** Value": (lambda: 2 ** Value(3.0), TypeError, r"\*\* takes a plain-number exponent, not a Value"),
    "log of 0": (lambda: Value(0.0, "p").log(), ValueError, r"log needs a positive number; p has the value 0"),
    "log of negative": (lambda: (Value(1.0, "a") - 3).log(), ValueError, r"log needs a positive number; the result of − has the value -2"),
    "divide by 0": (lambda: Value(1.0) / Value(0.0, "d"), ZeroDivisionError, r"division by d, whose value is 0"),
    "exp overflow": (lambda: Value(800.0, "z").exp(), OverflowError, r"exp\(z\) overflows float64: z = 800"),
    "exp just past the largest float": (lambda: Value(710.0, "z").exp(), OverflowError, r"exp\(z\) overflows float64: z = 710 > 709.78"),
    "product overflow": (lambda: Value(1e200, "a") * Value(1e200, "b"), OverflowError, r"× of \(a = 1e\+200, b = 1e\+200\) is too large"),
    "fractional power of negative": (lambda: Value(-8.0, "a") ** 0.5, ValueError, r"a negative value \(-8\) to a fractional power"),
    "sqrt at 0": (lambda: Value(0.0, "a") ** 0.5, ValueError, r"a \*\* 0.5 at a = 0: its derivative 0.5 · 0\^\(-0.5\) is infinite"),
    "negative power of 0": (lambda: Value(0.0, "a") ** -1, ZeroDivisionError, r"a \*\* -1 at a = 0 is infinite"),
    "label not a string": (lambda: Value(1.0, 3), TypeError, r"label must be a string; got int"),
    "parents not Values": (lambda: Value(1.0, parents=(2.0,)), TypeError, r"parents must be Values; got float"),
    "root not a Value": (lambda: topological_order(3.0), TypeError, r"root must be a Value; got float"),
    "negative stop": (lambda: backward_steps(Value(1.0) * 2, stop=-1), ValueError, r"stop must be None or a whole number"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_named(case):
    make, error, message = BAD[case]
    with pytest.raises(error, match=message):
        make()


def test_a_number_on_the_left_and_the_one_input_operations_give_value_and_op():
    a = Value(2.0, "a")
    results = [5 - a, 6 / a, -a, a.relu(), Value(0.5).relu(), Value(-3.0).relu()]
    assert [(r.data, r.op) for r in results] == [(3.0, "−"), (3.0, "÷"), (-2.0, "neg"), (2.0, "relu"), (0.5, "relu"), (0.0, "relu")]
    assert [v.op for v in (Value(0.0).exp(), Value(1.0).log(), Value(0.0).sigmoid(), Value(0.0).tanh(), Value(3.0) ** 2)] == [
        "exp", "log", "σ", "tanh", "**2"]
    assert [(Value(0.0) ** k).data for k in (1, 1.5)] == [0.0, 0.0]  # a finite derivative at 0: allowed
    assert math.isfinite(Value(709.78).exp().data)  # the largest exponent still allowed
    for result, gradient in [(5 - a, -1.0), (6 / a, -1.5)]:
        result.backward()
        assert a.grad == gradient


def test_repr_shows_label_value_gradient_and_op():
    w = Value(0.8, "w")
    y = (w * 2).named("y")
    y.backward()
    assert repr(w) == "Value('w', data=0.8, grad=2)"
    assert repr(y) == "Value('y', data=1.6, grad=1, op='×')"
    assert repr(Value(2.0)) == "Value(data=2, grad=0)" and repr(Value(1.0) + 2) == "Value(data=3, grad=0, op='+')"
