"""Checkers for notebook 05's exercises: the dense backward, the L-layer backward loop, the batch
gradient and the planted bug.

Each is :func:`~helpers.exercises.core.check_function` over cases the notebook does not show
(other shapes, batch 1, other depths and activations). Functions that take or return dicts
of parameters are wrapped so that the checker compares arrays: the gradients are joined into
one vector, ``gradients``, in the order W1, b1, W2, … (a transposed ``dW`` is joined as it
is, so that slip can be recognised), and a params dict changed in place is reported.
"""
import numpy as np

from ..activations import ACTIVATIONS
from ..layers import DenseCache
from ..losses import mse
from ..network import LayerCache, init_mlp, mlp_backward, mlp_forward
from .core import Case, check_function

# --- helpers for dict-valued answers ---------------------------------------------------


def _keys(n_layers):
    return [f"{p}{l}" for l in range(1, n_layers + 1) for p in "Wb"]


def _joined(grads, shapes, what="grads"):
    """The arrays of ``grads`` (a dict with the keys of ``shapes``) joined into one vector.

    A weight gradient of the transposed shape is accepted here (and then judged wrong by its
    numbers), so the checker can recognise the transposed-``dW`` slip; any other shape is
    refused with a message naming the key.
    """
    keys = list(shapes)
    if not isinstance(grads, dict) or sorted(map(str, grads)) != sorted(keys):
        got = f"keys {sorted(map(str, grads))}" if isinstance(grads, dict) else type(grads).__name__
        raise ValueError(f"{what} must be a dict with the keys {keys}; got {got}")
    parts = []
    for key in keys:
        value = np.asarray(grads[key], dtype=float)
        if value.shape != shapes[key] and not (key.startswith("W") and value.shape == shapes[key][::-1]):
            raise ValueError(f"{what}[{key!r}] must have the shape of {key}, {shapes[key]}; got {value.shape}")
        parts.append(value.ravel())
    return np.concatenate(parts)


def _copy_params(params):
    return {k: v.copy() for k, v in params.items()}


def _unchanged(copy, original):
    changed = [k for k in original if not np.array_equal(copy[k], original[k])]
    if changed:
        raise ValueError(f"your function changed params[{changed[0]!r}] in place; compute into new arrays instead")


def _shapes(params):
    return {k: v.shape for k, v in params.items()}


def _or_none(fn, *args):
    """``fn(*args)``, or None when a slip cannot even run on these shapes (its answer would raise)."""
    try:
        return fn(*args)
    except ValueError:
        return None


# --- the dense backward -----------------------------------------------------------------

DENSE_CASES = ((2, 5, 3), (5, 2, 4), (3, 3, 3), (1, 4, 2))
"""``(N, D_in, D_out)`` of the batches a dense backward is tried on (the notebook shows N=4, D_in=3,
D_out=2): one square, where a missing transpose does not crash, and one with N = 1."""

DENSE_HINTS = {
    "dx": {"missing_transpose": "dx = dz Wᵀ: the transpose on W is missing"},
    "dW": {"transposed": "dW has W's shape (D_in, D_out): it is xᵀ dz; you computed its transpose dzᵀ x",
           "no_transpose": "dW = xᵀ dz: x needs its transpose (x dz only fits by accident, when N = D_in)"},
    "db": {"not_summed": "b was broadcast over the batch, so db sums dz over the batch: dz.sum(axis=0)",
           "mean": "the bias gradient sums dz over the batch; the 1/N is already inside dz",
           "sum_all": "db has one entry per output unit: sum over the batch axis only, dz.sum(axis=0)"},
}


def dense_cases():
    """The cases of :func:`check_dense_backward`, with the value each classic slip gives."""
    cases = []
    for seed, (n, d_in, d_out) in enumerate(DENSE_CASES):
        rng = np.random.default_rng(50 + seed)
        dz, x, W = rng.normal(size=(n, d_out)), rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out))
        slips = {
            "dx": {DENSE_HINTS["dx"]["missing_transpose"]: dz @ W if d_in == d_out else None},
            "dW": {DENSE_HINTS["dW"]["transposed"]: dz.T @ x, DENSE_HINTS["dW"]["no_transpose"]: x @ dz if n == d_in else None},
            "db": {DENSE_HINTS["db"]["not_summed"]: dz, DENSE_HINTS["db"]["mean"]: dz.mean(axis=0), DENSE_HINTS["db"]["sum_all"]: dz.sum()},
        }
        expected = {"dx": dz @ W.T, "dW": x.T @ dz, "db": dz.sum(axis=0)}
        cases.append(Case(f"N={n}, D_in={d_in}, D_out={d_out}", (dz, x, W), expected, slips))
    return cases


def check_dense_backward(backward):
    """Check a student's ``backward(dz, x, W) -> (dx, dW, db)`` on four batches the notebook does not show.

    Recognised slips: the transpose on ``W`` missing, ``dW`` transposed or without ``x``'s
    transpose, ``db`` not summed over the batch, averaged, or summed over everything.
    """
    return check_function(backward, dense_cases(), "backward(dz, x, W)")


# --- the L-layer backward loop ----------------------------------------------------------

LOOP_HINTS = {
    "f_prime": "dz = da ⊙ f'(z): multiply by the activation's derivative (its backward) before a layer's dW and db",
    "transposed": "dW = a_prevᵀ dz, shaped like W (D_in, D_out); you computed its transpose dzᵀ a_prev",
    "forward_order": "go through the layers from the last to the first: the gradient flows backward, layer L first",
    "not_passed_down": "each layer below gets the dx of the layer above (da = dz Wᵀ), not the network's dout",
}

LOOP_NETS = (
    # (label, sizes, N, hidden activation, output activation)
    ("depth 4, widths 3-3-3-3-3, N=5, tanh", (3, 3, 3, 3, 3), 5, "tanh", None),
    ("depth 2, widths 4-3-2, N=1, sigmoid", (4, 3, 2), 1, "sigmoid", None),
    ("depth 1, widths 3-2, N=4, sigmoid output", (3, 2), 4, None, "sigmoid"),
    ("depth 4, widths 2-5-4-3-2, N=3, relu, tanh output", (2, 5, 4, 3, 2), 3, "relu", "tanh"),
    ("depth 2, widths 3-3-3, N=2, leaky_relu", (3, 3, 3), 2, "leaky_relu", None),
)
"""The networks the loop is tried on: depths 1, 2 and 4, batch 1 and larger, five activations;
two have equal widths, so a loop run in the wrong order or fed the wrong gradient still runs."""


def reference_loop(dout, layers, *, f_prime=True, transposed=False, forward_order=False, pass_down=True):
    """The L-layer backward loop, or (with a flag) one of its classic slips; returns ``(dx, grads)``.

    ``layers`` is ``MLPCache.layers``: layer ``l``'s dense cache (input ``a^{[l-1]}``, ``W``),
    its activation's name and cache.
    """
    grads, d = {}, dout
    order = range(1, len(layers) + 1) if forward_order else range(len(layers), 0, -1)
    for l in order:
        layer = layers[l - 1]
        da = d if pass_down else dout
        dz = ACTIVATIONS[layer.activation][1](da, layer.act) if layer.activation and f_prime else da
        grads[f"W{l}"] = dz.T @ layer.dense.x if transposed else layer.dense.x.T @ dz
        grads[f"b{l}"] = dz.sum(axis=0)
        d = dz @ layer.dense.W.T
    return d, grads


def _copy_layers(layers):
    return tuple(
        LayerCache(DenseCache(c.dense.x.copy(), c.dense.W.copy()), c.activation, type(c.act)(*(f.copy() if isinstance(f, np.ndarray) else f for f in c.act)) if c.act else None)
        for c in layers
    )


def _same_layers(a, b):
    arrays = lambda c: [c.dense.x, c.dense.W] + ([f for f in c.act if isinstance(f, np.ndarray)] if c.act else [])
    return all(np.array_equal(u, v) for ca, cb in zip(a, b) for u, v in zip(arrays(ca), arrays(cb)))


def loop_cases():
    """The cases of :func:`check_backward_loop`, built with ``mlp_forward``."""
    cases = []
    for seed, (label, sizes, n, hidden, output) in enumerate(LOOP_NETS):
        rng = np.random.default_rng(70 + seed)
        params = init_mlp(list(sizes), rng, scale=1.0)
        x = rng.normal(size=(n, sizes[0]))
        out, cache = mlp_forward(x, params, hidden, output)
        dout = rng.normal(size=out.shape)
        shapes = _shapes(params)
        dx, grads = mlp_backward(dout, cache)
        slips = {}
        for key, flags in [("f_prime", {"f_prime": False}), ("transposed", {"transposed": True}),
                           ("forward_order", {"forward_order": True}), ("not_passed_down", {"pass_down": False})]:
            wrong = _or_none(lambda: reference_loop(dout, cache.layers, **flags))
            slips[LOOP_HINTS[key]] = _joined(wrong[1], shapes) if wrong else None
        cases.append(Case(label, (dout, cache.layers), {"dx": dx, "gradients": _joined(grads, shapes)}, {"gradients": slips}))
    return cases


def check_backward_loop(backward_loop):
    """Check a student's ``backward_loop(dout, layers) -> (dx, grads)``, the loop of ``mlp_backward``.

    Tried on networks of depth 1, 2 and 4 with batch 1 and larger and five activations.
    Recognised slips (named only when they explain every wrong case): the activation's
    derivative forgotten, ``dW`` transposed, the layers visited first to last, and every
    layer fed the network's ``dout`` instead of the ``dx`` of the layer above.
    """
    if not callable(backward_loop):
        return check_function(backward_loop, [], "backward_loop(dout, layers)")

    def joined(dout, layers):
        mine = _copy_layers(layers)
        dx, grads = _pair(backward_loop(dout, mine), "backward_loop")
        if not _same_layers(mine, layers):
            raise ValueError("your function changed an array of layers (a cache) in place; compute into new arrays instead")
        return dx, _joined(grads, {f"{p}{l}": (c.dense.W.shape if p == "W" else c.dense.W.shape[1:]) for l, c in enumerate(layers, 1) for p in "Wb"})

    return check_function(joined, loop_cases(), "backward_loop(dout, layers)")


def _pair(result, name):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise ValueError(f"{name} must return two values, (dx, grads); got {type(result).__name__}")
    return result


# --- the batch gradient -----------------------------------------------------------------

BATCH_EXERCISE_SIZES = (2, 5, 3)
"""Layer widths of the network the batch-gradient exercise shows: 2 inputs, 5 hidden tanh units, 3 outputs."""

BATCH_HINTS = {
    "assign": "`=` where `+=` was needed: only the last example's gradient is left",
    "assign_mean": "`=` where `+=` was needed (only the last example survives), then divided by N",
    "sum": "the loss is a mean over the batch: divide the summed gradient by N",
}

BATCH_CASES = ((0, 7, (2, 5, 3)), (1, 4, (3, 4, 2)), (2, 1, (2, 3, 1)), (3, 5, (4, 6, 2)))
"""``(seed, N, sizes)``: batches other than the notebook's, one of a single example."""


def batch_exercise(seed=0, n=6, sizes=BATCH_EXERCISE_SIZES):
    """``(x, t, params)`` for the batch-gradient exercise: a small tanh net and a batch of ``n`` examples."""
    rng = np.random.default_rng(seed)
    params = init_mlp(list(sizes), rng)
    x = rng.normal(size=(n, sizes[0]))
    t = rng.normal(size=(n, sizes[-1]))
    return x, t, params


def _one_example_gradients(x, t, params, n):
    """Gradients of ``½‖out_n − t_n‖²`` for example ``n`` alone."""
    out, cache = mlp_forward(x[n:n + 1], params, "tanh")
    return mlp_backward(out - t[n:n + 1], cache)[1]


def batch_cases():
    cases = []
    for seed, n, sizes in BATCH_CASES:
        x, t, params = batch_exercise(100 + seed, n, sizes)
        out, cache = mlp_forward(x, params, "tanh")
        want = mlp_backward(mse(out, t)[1], cache)[1]
        last = _one_example_gradients(x, t, params, n - 1)
        shapes = _shapes(params)
        slips = {BATCH_HINTS["assign"]: _joined(last, shapes), BATCH_HINTS["assign_mean"]: _joined(last, shapes) / n,
                 BATCH_HINTS["sum"]: n * _joined(want, shapes)}
        cases.append(Case(f"N={n}, widths {'-'.join(map(str, sizes))}", (x, t, params), {"gradients": _joined(want, shapes)}, {"gradients": slips}))
    return cases


def check_batch_gradients(batch_gradients):
    """Check a student's ``batch_gradients(x, t, params) -> grads`` for the mean half-squared error.

    The expected gradients are those of ``helpers.losses.mse`` through a tanh
    network (``helpers.network``). Recognised slips: the gradient of the last
    example only (``=`` where ``+=`` was needed), that divided by ``N``, and the sum
    instead of the mean (a missing ``1/N``).
    """
    if not callable(batch_gradients):
        return check_function(batch_gradients, [], "batch_gradients(x, t, params)")

    def joined(x, t, params):
        mine = _copy_params(params)
        grads = batch_gradients(x, t, mine)
        _unchanged(mine, params)
        return _joined(grads, _shapes(params))

    return check_function(joined, batch_cases(), "batch_gradients(x, t, params)")


# --- the planted bug --------------------------------------------------------------------


def planted_bug_backward(x, t, params):
    """The backward pass of notebook 05's "find the planted bug" exercise. One line is wrong.

    The network is dense → sigmoid → dense with the mean half-squared error
    ``helpers.losses.mse``; ``params`` has ``W1, b1, W2, b2``. Returns
    ``(loss, grads)``.
    """
    z1 = x @ params["W1"] + params["b1"]
    a1 = 1 / (1 + np.exp(-z1))
    out = a1 @ params["W2"] + params["b2"]
    loss, dout = mse(out, t)
    grads = {"W2": a1.T @ dout, "b2": dout.sum(axis=0)}
    da1 = dout @ params["W2"].T
    dz1 = da1 * a1 * (1 - a1)
    grads["W1"] = x.T @ da1
    grads["b1"] = dz1.sum(axis=0)
    return loss, {key: grads[key] for key in ("W1", "b1", "W2", "b2")}


PLANTED_HINT = "the gradients still hold the planted bug: the line for dW1 must use the same δ¹ as the line for db1"
PLANTED_CASES = ((0, 5, (3, 4, 2)), (1, 1, (2, 6, 3)), (2, 8, (4, 3, 1)))
"""``(seed, N, sizes)`` of the networks the repair is tried on."""


def planted_cases():
    cases = []
    for seed, n, sizes in PLANTED_CASES:
        rng = np.random.default_rng(200 + seed)
        params = init_mlp(list(sizes), rng)
        x, t = rng.normal(size=(n, sizes[0])), rng.normal(size=(n, sizes[-1]))
        out, cache = mlp_forward(x, params, "sigmoid")
        loss, dout = mse(out, t)
        shapes = _shapes(params)
        expected = {"loss": loss, "gradients": _joined(mlp_backward(dout, cache)[1], shapes)}
        slips = {"gradients": {PLANTED_HINT: _joined(planted_bug_backward(x, t, params)[1], shapes)}}
        cases.append(Case(f"network {seed + 1} (N={n}, widths {'-'.join(map(str, sizes))})", (x, t, params), expected, slips))
    return cases


def check_planted_bug(fixed_backward):
    """Check the student's repair of :func:`planted_bug_backward`: ``fixed_backward(x, t, params) -> (loss, grads)``.

    Tried on three sigmoid networks the notebook does not show; the loss must be
    the mean half-squared error and every gradient that of ``helpers.network``
    (equal to central differences, which the tests check).
    """
    if not callable(fixed_backward):
        return check_function(fixed_backward, [], "fixed_backward(x, t, params)")

    def joined(x, t, params):
        mine = _copy_params(params)
        loss, grads = _pair(fixed_backward(x, t, mine), "fixed_backward")
        _unchanged(mine, params)
        return loss, _joined(grads, _shapes(params))

    return check_function(joined, planted_cases(), "fixed_backward(x, t, params)")
