"""Checkers for notebook 02's exercises: a new operation for the autograd, and a fan-out gradient by hand."""
import math

from ..activations import sigmoid
from ..autograd import Value
from .core import compare, report

OPERATION_INPUTS = (-2.0, -0.5, 0.3, 1.7)
"""Where an operation written by the student is tried."""

FAN_OUT_EXERCISE = {"x": 2.0, "y": 3.0}
"""Notebook 02's hand exercise: ``u = x·y``, ``v = u + x``, ``f = v·u``."""

_H = 1e-5
_NEVER_REACHED = "the gradient never reached the input: set out.backward_step to your backward function"
_FORGOT_UPSTREAM = "multiply the local derivative by the upstream gradient out.grad"
_ASSIGNED = "use += in the backward step, not =: a Value used twice must keep the share of its other use"

# Each expression the operation is tried in: (name, build, upstream seen by op's node, number of uses of op(v)).
_EXPRESSIONS = (
    ("f = op(x)", lambda op, v: op(v), 1.0, 1),
    ("f = 3·op(x)", lambda op, v: 3.0 * op(v), 3.0, 1),
    ("f = op(x) + op(x)", lambda op, v: op(v) + op(v), 1.0, 2),
)


def check_operation(op, *, name, forward, derivative, local_slips=None, inputs=OPERATION_INPUTS):
    """Check a student's operation ``op(v: Value) -> Value`` for the autograd.

    At each input ``x``: the value against ``forward(x)``; then ``∂f/∂x`` from
    ``backward()`` for ``f = op(x)``, ``f = 3·op(x)`` (an upstream gradient of 3)
    and ``f = op(x) + op(x)`` (a fan-out), each against central differences of the
    same ``f`` built with ``op``. A wrong answer that matches a classic slip is named:
    a forgotten upstream gradient, ``=`` instead of ``+=``, or one of
    ``local_slips`` (hint → wrong local derivative as a function of ``x``).
    """
    if not callable(op):
        return report([(False, f"✗ expected a function {name}(v) that takes a Value and returns a Value; got {type(op).__name__}")])
    results = []
    for x in inputs:
        try:
            results.append(_check_at(op, x, name, forward, derivative, local_slips or {}))
        except Exception as exc:  # the student's code: report whatever it raised
            results.append((False, f"✗ at x = {x:g}: {name} raised {type(exc).__name__}: {exc}"))
    return report(results)


def _check_at(op, x, name, forward, derivative, local_slips):
    v = Value(x)
    out = op(v)
    if not isinstance(out, Value):
        return False, f"✗ at x = {x:g}: {name} must return a Value (out = Value(..., parents=(v,), op={name!r})); got {type(out).__name__}"
    if not any(parent is v for parent in out.parents):
        return False, f"✗ at x = {x:g}: the Value {name} returns must list its input among its parents, parents=(v,): backward() finds the nodes to visit through them"
    checks, grads = [compare(f"{name}({x:g})", out.data, forward(x))], []
    d = derivative(x)
    for label, build, upstream, uses in _EXPRESSIONS:
        v = Value(x)
        build(op, v).backward()
        numeric = (build(op, Value(x + _H)).data - build(op, Value(x - _H)).data) / (2 * _H)
        slips = {_NEVER_REACHED: 0.0, _FORGOT_UPSTREAM: d * uses, _ASSIGNED: d * upstream}
        slips.update((hint, upstream * uses * wrong(x)) for hint, wrong in local_slips.items())
        right = upstream * uses * d
        checks.append(compare(f"∂f/∂x for {label}", v.grad, numeric, {h: s for h, s in slips.items() if not math.isclose(s, right, rel_tol=1e-6)}))
        grads.append(f"{v.grad:.4g}")
    failed = [line for passed, line in checks if not passed]
    if failed:
        return False, f"✗ at x = {x:g}: {failed[0][2:]}"
    shapes = ", ".join(label[4:] for label, *_ in _EXPRESSIONS)
    return True, f"✓ at x = {x:g}: {checks[0][1][2:]}; ∂f/∂x = {', '.join(grads)} for f = {shapes}"


def softplus_reference(x):
    """``softplus(x) = log(1 + e^x)``, computed without overflow."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def check_softplus(softplus):
    """Check the student's ``softplus(v)``: ``log(1 + e^v)``, whose local derivative is ``σ(v)``."""
    return check_operation(
        softplus,
        name="softplus",
        forward=softplus_reference,
        derivative=lambda x: float(sigmoid(x)),
        local_slips={
            "the local derivative is σ(x) = e^x / (1 + e^x), not the output softplus(x) (that rule is exp's)": softplus_reference,
            "you differentiated only the inner e^x: the log contributes a factor 1 / (1 + e^x)": math.exp,
            "you differentiated the log but not the inner e^x: ∂ log(u) = u'/u, and u' = e^x": lambda x: 1.0 / (1.0 + math.exp(x)),
        },
    )


def fan_out_gradients(x, y):
    """``(∂f/∂u, ∂f/∂x, ∂f/∂y)`` for ``u = x·y``, ``v = u + x``, ``f = v·u``."""
    u = x * y
    v = u + x
    df_du = v + u  # two uses of u: directly in f (∂f/∂u = v) and through v (∂f/∂v · ∂v/∂u = u · 1)
    return df_du, u + df_du * y, df_du * x  # x: through v (u · 1) and through u (∂f/∂u · y)


def check_fan_out(df_du, df_dx, df_dy, *, x, y):
    """Check the hand-computed gradients of ``f = v·u`` with ``u = x·y``, ``v = u + x``."""
    u, v = x * y, x * y + x
    df_du_ok, df_dx_ok, df_dy_ok = fan_out_gradients(x, y)
    twice_u = "u is used twice (in v and in f): gradients add, ∂f/∂u = v + u"
    return report(
        [
            compare("∂f/∂u", df_du, df_du_ok, {f"{twice_u}; you have only the direct use in f": v, f"{twice_u}; you have only the path through v": u}),
            compare(
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
            compare(
                "∂f/∂y",
                df_dy,
                df_dy_ok,
                {
                    "∂f/∂y = ∂f/∂u · x, and ∂f/∂u has two paths (u is used twice): gradients add": v * x,
                    "∂f/∂y = ∂f/∂u · x, and ∂f/∂u has two paths (u is used twice; you have only the one through v)": u * x,
                },
            ),
        ]
    )
