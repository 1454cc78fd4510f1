"""Checkers for notebook 02's exercises: a fan-out by hand, ``backward(root)`` written by the student,
and a new operation for the autograd.

All are built on :mod:`helpers.exercises.core`: ``check_values`` for the numbers computed by
hand, ``check_function`` for the functions, each tried on several inputs or graphs that the
notebook does not show.
"""
import math

from ..activations import sigmoid
from ..autograd import Value, topological_order
from .core import Case, check_function, check_values

FAN_OUT_EXERCISE = {"x": 2.0, "y": 3.0}
"""Notebook 02's hand exercise: ``u = x·y``, ``v = u + x``, ``f = v·u``."""

OPERATION_INPUTS = (-2.0, -0.5, 0.3, 1.7)
"""Where an operation written by the student is tried."""

# --- a fan-out by hand ------------------------------------------------------------------------

TWICE_U = "u is used twice (in v and in f): gradients add, ∂f/∂u = v + u"


def fan_out_gradients(x, y):
    """``(∂f/∂u, ∂f/∂x, ∂f/∂y)`` for ``u = x·y``, ``v = u + x``, ``f = v·u``."""
    u = x * y
    v = u + x
    df_du = v + u  # two uses of u: directly in f (∂f/∂u = v) and through v (∂f/∂v · ∂v/∂u = u · 1)
    return df_du, u + df_du * y, df_du * x  # x: through v (u · 1) and through u (∂f/∂u · y)


def check_fan_out(df_du, df_dx, df_dy, *, x, y, show_answer=False):
    """Check the hand-computed gradients of ``f = v·u`` with ``u = x·y``, ``v = u + x``.

    The expected values are printed only with ``show_answer=True``.
    """
    u, v = x * y, x * y + x
    df_du_ok, df_dx_ok, df_dy_ok = fan_out_gradients(x, y)
    answers = [
        ("∂f/∂u", df_du, df_du_ok, {f"{TWICE_U}; you have only the direct use in f": v, f"{TWICE_U}; you have only the path through v": u}),
        (
            "∂f/∂x",
            df_dx,
            df_dx_ok,
            {
                "x is used twice (in u and in v): gradients add; you have only the path through u": df_du_ok * y,
                "x is used twice (in u and in v): gradients add; you have only the path through v": u,
                "∂f/∂u is missing a path (the direct use of u in f): gradients add where a value is used twice": u + u * y,
                "∂f/∂u is missing a path (u's use inside v): gradients add where a value is used twice": u + v * y,
            },
        ),
        (
            "∂f/∂y",
            df_dy,
            df_dy_ok,
            {
                "∂f/∂y = ∂f/∂u · x, and ∂f/∂u has two paths (u is used twice): gradients add": v * x,
                "∂f/∂y = ∂f/∂u · x, and ∂f/∂u has two paths (u is used twice; you have only the one through v)": u * x,
            },
        ),
    ]
    return check_values(answers, show_answer=show_answer)


# --- backward(root) ---------------------------------------------------------------------------

NOT_RESET = "reset every grad to 0 before the pass: the steps add (+=), so what a previous pass left was added to this one"
NOT_SEEDED = "every gradient is 0: after the reset, seed the root with root.grad = 1 (∂root/∂root = 1) before the loop"
FORWARD_ORDER = "run the steps in reverse topological order, root first: inputs first, each node passes on a gradient that is still 0"
PRE_ORDER = "a node ran its step before every node that uses it had added its share (you listed a node before its parents): list a node only after all its parents, then walk the list backwards"
BREADTH_FIRST = "a node ran its step before every node that uses it had added its share (breadth-first from the root is not a topological order): list a node only after all its parents, then walk the list backwards"
TWICE = "a node reached along two paths ran its step twice: keep a set of visited nodes, so each node is listed once"


def _chain():
    """``f = exp(tanh(2x + 1)) · 0.5``: every node used once."""
    x = Value(0.3, "x")
    return ((x * 2 + 1).tanh().exp() * 0.5), (x,)


def _shared_intermediate():
    """``u = x·y`` used three times: ``f = u·tanh(u) + u``."""
    x, y = Value(0.7, "x"), Value(-1.2, "y")
    u = x * y
    return u * u.tanh() + u, (x, y)


def _diamond():
    """``a = x·w`` feeds two branches that meet again, and ``w`` is used once more: ``f = tanh(a)·σ(a)·w``."""
    x, w = Value(1.5, "x"), Value(-0.4, "w")
    a = x * w
    return (a.tanh() * a.sigmoid()) * w, (x, w)


def _long_and_short_path():
    """``a = x·y`` reaches ``f`` through a long path and directly: ``f = exp(tanh(3a)) + a``."""
    x, y = Value(-0.6, "x"), Value(0.9, "y")
    a = x * y
    return (a * 3).tanh().exp() + a, (x, y)


GRAPHS = {
    "a chain, f = exp(tanh(2x + 1)) · 0.5": (_chain, False),
    "a fan-out, f = u·tanh(u) + u with u = x·y": (_shared_intermediate, False),
    "a diamond, f = tanh(a)·σ(a)·w with a = x·w, after a backward() of 2·f": (_diamond, True),
    "a long and a short path, f = exp(tanh(3a)) + a with a = x·y, after a backward() of 2·f": (_long_and_short_path, True),
}
"""The graphs ``backward`` is tried on: label → (builder, whether a backward pass already ran on it)."""


def _pre_order(root):
    order, seen, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            order.append(node)
            stack.extend(reversed(node.parents))
    return order  # root first: run as it is


def _breadth_first(root):
    order, seen, queue = [root], {root}, [root]
    while queue:
        node = queue.pop(0)
        for parent in node.parents:
            if parent not in seen:
                seen.add(parent)
                order.append(parent)
                queue.append(parent)
    return order


def _every_path(root):
    """Post-order with no visited set: a node reached along two paths is listed twice."""
    order = []

    def visit(node):
        for parent in node.parents:
            visit(parent)
        order.append(node)

    visit(root)
    return order[::-1]


def _slip_backward(root, run_order, reset=True, seed=True):
    """A backward pass with one classic slip: which steps run in which order, reset and seed optional."""
    if reset:
        for node in topological_order(root):
            node.grad = 0.0
    if seed:
        root.grad = 1.0
    for node in run_order(root):
        node.backward_step()


_SLIPS = {
    NOT_RESET: lambda root: _slip_backward(root, lambda r: reversed(topological_order(r)), reset=False),
    NOT_SEEDED: lambda root: _slip_backward(root, lambda r: reversed(topological_order(r)), seed=False),
    FORWARD_ORDER: lambda root: _slip_backward(root, topological_order),
    PRE_ORDER: lambda root: _slip_backward(root, _pre_order),
    BREADTH_FIRST: lambda root: _slip_backward(root, _breadth_first),
    TWICE: lambda root: _slip_backward(root, _every_path),
}


def _input_grads(backward, build, used_before):
    """Build a fresh graph (if ``used_before``, backpropagate ``2·root`` through it first), call ``backward(root)``, return the inputs' grads."""
    root, inputs = build()
    if used_before:  # stale gradients, from a pass through the same graph for another result
        (root * 2.0).backward()
    backward(root)
    return [v.grad for v in inputs]


def backward_cases():
    """The cases of :func:`check_backward`: the inputs' gradients after ``backward(root)`` on each graph."""
    cases = []
    for label, (build, used_before) in GRAPHS.items():
        expected = _input_grads(Value.backward, build, used_before)
        slips = {hint: _input_grads(slip, build, used_before) for hint, slip in _SLIPS.items()}
        cases.append(Case(label, (label,), {"the inputs' gradients": expected}, {"the inputs' gradients": slips}))
    return cases


def check_backward(backward):
    """Check the student's ``backward(root)`` on four graphs: a chain, a fan-out, a diamond, a long and a short path.

    ``backward(root)`` must fill every node's ``.grad`` with ``∂root/∂node`` for a graph of
    ``helpers.autograd.Value``: reset the gradients, seed ``root.grad = 1``, and run every
    node's ``backward_step`` once, in reverse topological order. On two of the graphs a
    backward pass of ``2·root`` has already run (its stale gradients are there to be reset).
    """
    if not callable(backward):
        return check_function(backward, [], "backward(root)")
    return check_function(lambda label: _input_grads(backward, *GRAPHS[label]), backward_cases(), "backward(root)")


# --- a new operation --------------------------------------------------------------------------

NEVER_REACHED = "the gradient never reached the input: set out.backward_step to your backward function"
FORGOT_UPSTREAM = "multiply the local derivative by the upstream gradient out.grad"
ASSIGNED = "use += in the backward step, not =: a Value used twice must keep the share of its other use"
SOFTPLUS_IS_OUTPUT = "the local derivative is σ(x) = e^x / (1 + e^x), not the output softplus(x) (that rule is exp's)"
SOFTPLUS_INNER_ONLY = "you differentiated only the inner e^x: the log contributes a factor 1 / (1 + e^x)"
SOFTPLUS_OUTER_ONLY = "you differentiated the log but not the inner e^x: ∂ log(u) = u'/u, and u' = e^x"

# Each expression the operation is tried in: (quantity, build, upstream seen by op's node, number of uses).
_EXPRESSIONS = (("∂f/∂x for f = 3·op(x)", lambda op, v: 3.0 * op(v), 3.0, 1), ("∂f/∂x for f = op(x) + op(x)", lambda op, v: op(v) + op(v), 1.0, 2))


def softplus_reference(x):
    """``softplus(x) = log(1 + e^x)``, computed without overflow."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _operation_results(op, name, x):
    """``(op(x).data, ∂f/∂x for each expression)`` from the student's operation, with its structure checked."""
    v = Value(x)
    out = op(v)
    if not isinstance(out, Value):
        raise TypeError(f"{name} must return a Value (out = Value(..., parents=(v,), op={name!r})); got {type(out).__name__}")
    if not any(node is v for node in topological_order(out)):
        raise TypeError(f"the Value {name} returns must list its input among its parents, parents=(v,): backward() finds the nodes to visit through them")
    grads = []
    for _, build, _, _ in _EXPRESSIONS:
        v = Value(x)
        build(op, v).backward()
        grads.append(v.grad)
    return (out.data, *grads)


def check_operation(op, *, name, forward, derivative, local_slips=None, inputs=OPERATION_INPUTS):
    """Check a student's operation ``op(v: Value) -> Value`` for the autograd.

    At each input ``x``: the value against ``forward(x)``; then ``∂f/∂x`` from
    ``backward()`` for ``f = 3·op(x)`` (an upstream gradient of 3) and
    ``f = op(x) + op(x)`` (a fan-out), against ``derivative``. A slip is named when it
    explains every wrong case: a forgotten upstream gradient, ``=`` instead of ``+=``, a
    backward step never attached, or one of ``local_slips`` (hint → wrong local
    derivative as a function of ``x``; named on the first expression).
    """
    cases = []
    for x in inputs:
        d = derivative(x)
        expected = {f"{name}(x)": forward(x)}
        slips = {}
        for quantity, _, upstream, uses in _EXPRESSIONS:
            expected[quantity] = upstream * uses * d
            slips[quantity] = {NEVER_REACHED: 0.0}
        first, fan_out = (q for q, *_ in _EXPRESSIONS)
        slips[first].update({FORGOT_UPSTREAM: d})
        slips[first].update((hint, 3.0 * wrong(x)) for hint, wrong in (local_slips or {}).items())
        slips[fan_out] = {ASSIGNED: d}
        cases.append(Case(f"at x = {x:g}", (x,), expected, slips))
    run = (lambda x: _operation_results(op, name, x)) if callable(op) else op
    return check_function(run, cases, f"{name}(v)")


def check_softplus(softplus):
    """Check the student's ``softplus(v)``: ``log(1 + e^v)``, whose local derivative is ``σ(v)``."""
    return check_operation(
        softplus,
        name="softplus",
        forward=softplus_reference,
        derivative=lambda x: float(sigmoid(x)),
        local_slips={SOFTPLUS_IS_OUTPUT: softplus_reference, SOFTPLUS_INNER_ONLY: math.exp, SOFTPLUS_OUTER_ONLY: lambda x: 1.0 / (1.0 + math.exp(x))},
    )
