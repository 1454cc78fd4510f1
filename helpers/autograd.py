"""A tiny scalar autograd: every number remembers how it was made, and backward applies the chain rule.

A :class:`Value` holds a number (``data``), the gradient of the final result with
respect to it (``grad``), the Values it was computed from (``parents``) and the name
of the operation (``op``). Each operation is one small method that computes its
result and states its *local derivatives*, ``∂out/∂parent``; the node's
``backward_step`` then adds ``local × upstream`` to each parent's gradient, where the
upstream gradient is ``out.grad = ∂root/∂out``::

    parent.grad += local * out.grad

The ``+=`` matters: a Value used twice (a *fan-out*) receives one contribution per
use, and the multivariable chain rule says they add. That backward step has the same
form for every operation, so it is written once (``_result``) and each operation
only states its local derivatives; an operation written outside the class, as in
notebook 02's exercise, writes its own ``backward_step`` closure in the same form.

:meth:`Value.backward` visits the nodes in reverse topological order, so a node
passes its gradient on only after every node that uses it has added its share.

Examples
--------
>>> x, y = Value(3.0, "x"), Value(-2.0, "y")
>>> f = (x + y) * x          # x is used twice
>>> f.backward()
>>> x.grad, y.grad           # ∂f/∂x = (x + y) + x = 4, ∂f/∂y = x = 3
(4.0, 3.0)
"""
import math
import numbers
from typing import NamedTuple

from .activations import sigmoid, sigmoid_prime
from .validation import as_scalar


class Value:
    """A scalar in a computational graph: its value, its gradient, and how it was made.

    Parameters
    ----------
    data : float
        The number. Must be finite.
    label : str, optional
        A name for drawings and messages, e.g. ``"w"``.
    parents : tuple of Value, optional
        The Values this one was computed from; empty for an input.
    op : str, optional
        The operation that made it, e.g. ``"×"`` or ``"exp"``; empty for an input.

    Attributes
    ----------
    grad : float
        ``∂root/∂self`` after ``root.backward()``; 0 before.
    backward_step : callable
        ``backward_step()`` adds this node's share to its parents' ``grad``:
        ``local derivative × self.grad`` for each parent. Does nothing for an input.
        An operation written outside this class sets it on the Value it returns.

    Examples
    --------
    >>> w = Value(0.8, "w")
    >>> y = (w * 1.5 + 0.2).sigmoid()
    >>> y.backward()
    >>> round(y.data, 4), round(w.grad, 4)
    (0.8022, 0.238)
    """

    __slots__ = ("data", "grad", "parents", "op", "label", "backward_step")
    __array_ufunc__ = None  # numpy scalars on the left defer to our __radd__, __rmul__, ...

    def __init__(self, data, label="", *, parents=(), op=""):
        self.data = as_scalar(data, "data")
        self.grad = 0.0
        if not isinstance(label, str):
            raise TypeError(f"label must be a string; got {type(label).__name__}")
        self.label = label
        self.parents = tuple(parents)
        for parent in self.parents:
            if not isinstance(parent, Value):
                raise TypeError(f"parents must be Values; got {type(parent).__name__} {parent!r}")
        self.op = op
        self.backward_step = _input_step

    def __repr__(self):
        name = f"{self.label!r}, " if self.label else ""
        op = f", op={self.op!r}" if self.op else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g}{op})"

    def named(self, label):
        """Give this Value a label (for drawings and messages) and return it."""
        if not isinstance(label, str):
            raise TypeError(f"label must be a string; got {type(label).__name__}")
        self.label = label
        return self

    # --- two inputs -----------------------------------------------------------------

    def __add__(self, other):
        """``self + other``; local derivatives 1 and 1."""
        other = _operand(other, self, "+")
        return _result(self.data + other.data, "+", (self, other), (1.0, 1.0))

    def __sub__(self, other):
        """``self − other``; local derivatives 1 and −1."""
        other = _operand(other, self, "-")
        return _result(self.data - other.data, "−", (self, other), (1.0, -1.0))

    def __mul__(self, other):
        """``self · other``; local derivatives ``other`` and ``self``."""
        other = _operand(other, self, "*")
        return _result(self.data * other.data, "×", (self, other), (other.data, self.data))

    def __truediv__(self, other):
        """``self / other``; local derivatives ``1/other`` and ``−self/other²``."""
        other = _operand(other, self, "/")
        if other.data == 0:
            raise ZeroDivisionError(f"division by {_name(other)}, whose value is 0")
        return _result(self.data / other.data, "÷", (self, other), (1.0 / other.data, -self.data / other.data**2))

    def __radd__(self, other):
        return _operand(other, self, "+") + self

    def __rsub__(self, other):
        return _operand(other, self, "-") - self

    def __rmul__(self, other):
        return _operand(other, self, "*") * self

    def __rtruediv__(self, other):
        return _operand(other, self, "/") / self

    # --- one input ------------------------------------------------------------------

    def __neg__(self):
        """``−self``; local derivative −1."""
        return _result(-self.data, "neg", (self,), (-1.0,))

    def __pow__(self, exponent):
        """``self ** k`` for a plain number ``k``; local derivative ``k · self^(k−1)``."""
        if isinstance(exponent, bool) or not isinstance(exponent, numbers.Real):
            raise TypeError(
                f"the exponent of ** must be a plain number, not {type(exponent).__name__} {exponent!r}; "
                "for a Value exponent b write (b * a.log()).exp() for a ** b"
            )
        k, x = as_scalar(exponent, "the exponent of **"), self.data
        if x < 0 and not k.is_integer():
            raise ValueError(f"{_name(self)} ** {k:g}: a negative value ({x:g}) to a fractional power is not a real number")
        if x == 0 and k < 0:
            raise ZeroDivisionError(f"{_name(self)} ** {k:g} at {_name(self)} = 0 is infinite")
        if x == 0 and 0 < k < 1:
            raise ValueError(f"{_name(self)} ** {k:g} at {_name(self)} = 0: its derivative {k:g} · 0^({k - 1:g}) is infinite")
        return _result(x**k, f"**{k:g}", (self,), (k * x ** (k - 1) if k != 0 else 0.0,))

    def __rpow__(self, base):
        raise TypeError(f"** takes a plain-number exponent, not a Value: for {base!r} ** v write (v * math.log({base!r})).exp()")

    def exp(self):
        """``e^self``; local derivative ``e^self``, the output itself."""
        if self.data > 709.78:  # log of the largest float64
            raise OverflowError(f"exp({_name(self)}) overflows float64: {_name(self)} = {self.data:g} > 709.78")
        out = math.exp(self.data)
        return _result(out, "exp", (self,), (out,))

    def log(self):
        """Natural logarithm ``ln(self)``; local derivative ``1/self``. Needs ``self > 0``."""
        if self.data <= 0:
            raise ValueError(f"log needs a positive number; {_name(self)} has the value {self.data:g}")
        return _result(math.log(self.data), "log", (self,), (1.0 / self.data,))

    def tanh(self):
        """``tanh(self)``; local derivative ``1 − tanh²``."""
        out = math.tanh(self.data)
        return _result(out, "tanh", (self,), (1.0 - out * out,))

    def sigmoid(self):
        """``σ(self) = 1 / (1 + e^−self)``, stable for any size; local derivative ``σ(1 − σ)``."""
        return _result(float(sigmoid(self.data)), "σ", (self,), (float(sigmoid_prime(self.data)),))

    def relu(self):
        """``max(self, 0)``; local derivative 1 where ``self > 0``, else 0 (0 at the kink)."""
        return _result(max(self.data, 0.0), "relu", (self,), (1.0 if self.data > 0 else 0.0,))

    # --- the backward pass ----------------------------------------------------------

    def backward(self, accumulate=False):
        """Fill ``.grad`` of every Value this one depends on with ``∂self/∂node``.

        The nodes run their ``backward_step`` in reverse topological order, starting
        from ``∂self/∂self = 1``. The walk is a loop, not a recursion, so a graph
        thousands of operations deep is fine.

        Parameters
        ----------
        accumulate : bool
            ``False`` (the default): every gradient in this graph is set to 0 first,
            so calling ``backward()`` twice gives the same gradients, not double.
            ``True``: this pass's gradients are *added* to the ones already stored,
            e.g. to sum the gradients of several examples whose graphs share the
            parameters.

        Examples
        --------
        >>> x = Value(2.0)
        >>> y = x * x
        >>> y.backward(); y.backward(); x.grad
        4.0
        >>> y.backward(accumulate=True); x.grad
        8.0
        """
        order = topological_order(self)
        before = [node.grad for node in order] if accumulate else None
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            node.backward_step()
        if accumulate:
            for node, grad in zip(order, before):
                node.grad += grad


def _result(data, op, parents, local):
    """The Value ``op(parents)`` whose backward step adds ``local[i] × out.grad`` to ``parents[i].grad``."""
    if not math.isfinite(data):
        values = ", ".join(f"{p.label} = {p.data:g}" if p.label else f"{p.data:g}" for p in parents)
        raise OverflowError(f"{op} of ({values}) is too large for float64")
    out = Value(data, parents=parents, op=op)

    def backward_step():
        for parent, derivative in zip(parents, local):
            parent.grad += derivative * out.grad  # += : a Value used twice gets both shares

    out.backward_step = backward_step
    return out


def _input_step():
    """An input has no parents: its backward step does nothing."""


def _operand(other, value, op):
    if isinstance(other, Value):
        return other
    if isinstance(other, bool) or not isinstance(other, numbers.Real):
        raise TypeError(
            f"cannot compute {_name(value)} {op} {other!r}: the operand {other!r} is a {type(other).__name__}, "
            "expected a number or a Value"
        )
    return Value(as_scalar(other, f"the operand of {op}"))


def _name(value):
    return value.label or (f"the result of {value.op}" if value.op else f"the Value {value.data:g}")


class Graph(NamedTuple):
    """A computational graph: its nodes, inputs first and the root last, and its edges."""

    nodes: list
    """Every Value the root depends on, each after all of its parents (topological order)."""
    edges: list
    """``(parent, child)`` pairs, one per use: ``x * x`` gives two edges from ``x``."""


def topological_order(root):
    """Every Value ``root`` depends on (and ``root``), each listed after all its parents.

    Iterative depth-first search, so deep graphs do not hit Python's recursion limit.

    Examples
    --------
    >>> a = Value(1.0, "a")
    >>> b = (a * 2).named("b")
    >>> [n.label or n.op for n in topological_order(b + a)]
    ['a', '', 'b', '+']
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value; got {type(root).__name__}")
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(node.parents) if p not in seen)
    return order


def graph(root):
    """The nodes (topological order) and edges (one per use) of ``root``'s graph.

    Examples
    --------
    >>> x = Value(3.0, "x")
    >>> g = graph(x * x)
    >>> len(g.nodes), len(g.edges)
    (2, 2)
    """
    nodes = topological_order(root)
    return Graph(nodes, [(parent, node) for node in nodes for parent in node.parents])


def distinct_parents(node):
    """The node's parents, each once, in order of first use."""
    return tuple(dict.fromkeys(node.parents))


def local_derivatives(node):
    """``∂node/∂parent`` for each of :func:`distinct_parents`, read off the node's backward step.

    Runs ``node.backward_step`` once with an upstream gradient of 1 and the parents'
    gradients at 0, then puts every gradient back as it was. A parent used twice by
    the node (as in ``x * x``) gets the sum of both local derivatives.

    Examples
    --------
    >>> a, b = Value(2.0), Value(5.0)
    >>> local_derivatives(a * b)
    (5.0, 2.0)
    """
    parents = distinct_parents(node)
    saved = [node.grad] + [p.grad for p in parents]
    for parent in parents:
        parent.grad = 0.0
    node.grad = 1.0
    try:
        node.backward_step()
        return tuple(p.grad for p in parents)
    finally:
        for value, grad in zip((node, *parents), saved):
            value.grad = grad


class BackwardStep(NamedTuple):
    """What one node's backward step did: upstream gradient × local derivative, added to each parent."""

    node: Value
    upstream: float
    """``node.grad = ∂root/∂node`` when its step ran; complete, since every user had run."""
    parents: tuple
    """The node's distinct parents."""
    local: tuple
    """``∂node/∂parent`` for each parent."""
    added: tuple
    """``upstream × local`` for each parent: what the step added to its gradient."""
    before: tuple
    """Each parent's gradient before the step."""
    shares_before: tuple
    """How many shares each parent had received before this step: 1 or more at a fan-out."""
    after: tuple
    """Each parent's gradient after the step."""


def count_steps(root):
    """How many backward steps ``root``'s graph has: one per node that is not an input."""
    return sum(1 for node in topological_order(root) if node.parents)


def backward_steps(root, stop=None):
    """Run ``root.backward()`` one node at a time and record what each step did.

    The graph's gradients are reset, ``root.grad`` is set to 1, and the first
    ``stop`` backward steps run (all of them when ``stop`` is None), in the order
    :meth:`Value.backward` uses; inputs have no step. The gradients are left as they
    are after the last step run, so a drawing shows the pass in progress.

    Returns
    -------
    list of :class:`BackwardStep`, one per step run.

    Examples
    --------
    >>> x, y = Value(3.0, "x"), Value(-2.0, "y")
    >>> steps = backward_steps((x + y).named("q") * x)
    >>> [(s.node.label or s.node.op, s.added) for s in steps]
    [('×', (3.0, 1.0)), ('q', (3.0, 3.0))]
    >>> steps[1].before[0], steps[1].after[0]    # x: 1 from its use in ×, then 3 more from q
    (1.0, 4.0)
    """
    order = topological_order(root)
    if stop is not None and (isinstance(stop, bool) or not isinstance(stop, numbers.Integral) or stop < 0):
        raise ValueError(f"stop must be None or a whole number of steps ≥ 0; got {stop!r}")
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    steps, shares = [], {}
    for node in reversed(order):
        if not node.parents:
            continue
        if stop is not None and len(steps) >= stop:
            break
        parents, local = distinct_parents(node), local_derivatives(node)
        before = tuple(p.grad for p in parents)
        node.backward_step()
        added = tuple(node.grad * d for d in local)
        counts = tuple(shares.get(p, 0) for p in parents)
        shares.update((p, n + 1) for p, n in zip(parents, counts))
        steps.append(BackwardStep(node, node.grad, parents, local, added, before, counts, tuple(p.grad for p in parents)))
    return steps
