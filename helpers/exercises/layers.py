"""Checkers for notebook 05's exercises: the dense backward, the batch gradient, the planted bug."""
import numpy as np

from ..gradcheck import check_gradients
from ..layers import dense_backward, dense_forward
from ..losses import mse
from ..network import init_mlp, mlp_backward, mlp_forward
from .core import compare, report

LAYER_CASES = ((4, 3, 2), (5, 2, 3), (3, 3, 3), (1, 4, 2))
"""``(N, D_in, D_out)`` of the batches a dense backward is tried on; one is square, one has N = 1."""


def _dense_case(n, d_in, d_out, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d_out)), rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out))


def _array_verdict(name, got, expected, slips):
    """``compare``'s verdict for an array, told without printing the arrays."""
    ok, line = compare(name, got, expected, slips)
    if ok:
        return True, f"✓ {name}"
    if "relative error" not in line:
        return False, line
    error = np.max(np.abs(np.asarray(got, dtype=float) - expected) / np.maximum(np.abs(expected), 1e-12))
    hint = line[line.index(". Hint: "):] if ". Hint: " in line else ""
    return False, f"✗ {name} is wrong (largest relative error {error:.1e}){hint}"


def _shape_slip(name, got, expected_shape, hints):
    """A verdict line for an answer of the wrong shape, with a hint for a known wrong shape."""
    try:
        shape = np.shape(np.asarray(got, dtype=float))
    except (TypeError, ValueError):
        return False, f"✗ {name}: expected an array of shape {expected_shape}, got {type(got).__name__}"
    hint = hints.get(shape, "check which transpose makes the shapes fit")
    return False, f"✗ {name} has shape {shape}, expected {expected_shape}. Hint: {hint}"


def check_dense_backward(backward):
    """Check a student's ``backward(dz, x, W) -> (dx, dW, db)`` on several batches.

    Each quantity is compared with ``helpers.layers.dense_backward``; a wrong
    shape or a value that matches a classic slip gets its hint: a missing or
    misplaced transpose, ``db`` not summed over the batch or averaged instead.
    """
    if not callable(backward):
        return report([(False, f"✗ expected a function backward(dz, x, W); got {type(backward).__name__}")])
    results = []
    for seed, (n, d_in, d_out) in enumerate(LAYER_CASES):
        dz, x, W = _dense_case(n, d_in, d_out, seed)
        label = f"N={n}, D_in={d_in}, D_out={d_out}:"
        try:
            dx, dW, db = backward(dz.copy(), x.copy(), W.copy())
        except Exception as exc:  # the student's code: report whatever it raised
            hint = " Hint: a matrix product's shapes do not fit; write down each shape and see which transpose fits." if "matmul" in str(exc) else ""
            results.append((False, f"✗ {label} backward raised {type(exc).__name__}: {exc}.{hint}"))
            continue
        _, cache = dense_forward(x, {"W": W, "b": np.zeros(d_out)})
        want_dx, want = dense_backward(dz, cache)
        square, n_is_d_in = d_in == d_out, n == d_in
        checks = [
            ("dx", dx, want_dx, {"dx = dz Wᵀ: the transpose on W is missing": dz @ W if square else None},
             {}),
            ("dW", dW, want["W"],
             {"dW = xᵀ dz; you computed its transpose dzᵀ x": want["W"].T if square else None,
              "dW = xᵀ dz: x needs its transpose (x dz only fits by accident, when N = D_in)": x @ dz if n_is_d_in else None},
             {(d_out, d_in): "dW has W's shape (D_in, D_out): it is xᵀ dz, not dzᵀ x"}),
            ("db", db, want["b"], {"the bias gradient sums dz over the batch; the 1/N is already inside dz": dz.mean(axis=0)},
             {(n, d_out): "b was broadcast over the batch, so db sums dz over the batch: dz.sum(axis=0)",
              (): "db has one entry per output unit: sum over the batch axis only, dz.sum(axis=0)"}),
        ]
        lines = []
        for name, got, expected, slips, shape_hints in checks:
            slips = {hint: value for hint, value in slips.items() if value is not None}
            try:
                shape = np.shape(np.asarray(got, dtype=float))
            except (TypeError, ValueError):
                shape = None
            if shape != expected.shape:
                lines.append(_shape_slip(name, got, expected.shape, shape_hints))
            else:
                lines.append(_array_verdict(name, got, expected, slips))
        ok = all(passed for passed, _ in lines)
        verdict = "dx, dW and db are right" if ok else "; ".join(line[2:] for passed, line in lines if not passed)
        results.append((ok, f"{'✓' if ok else '✗'} {label} {verdict}"))
    return report(results)


BATCH_EXERCISE_SIZES = (2, 5, 3)
"""Layer widths of the network of the batch-gradient exercise: 2 inputs, 5 hidden tanh units, 3 outputs."""


def batch_exercise(seed=0, n=6):
    """``(x, y, params)`` for the batch-gradient exercise: a small tanh net and a batch of ``n`` examples."""
    rng = np.random.default_rng(seed)
    params = init_mlp(BATCH_EXERCISE_SIZES, rng)
    x = rng.normal(size=(n, BATCH_EXERCISE_SIZES[0]))
    y = rng.normal(size=(n, BATCH_EXERCISE_SIZES[-1]))
    return x, y, params


def _one_example_gradients(x, y, params, n):
    """Gradients of ``½‖out_n − y_n‖²`` for example ``n`` alone."""
    out, cache = mlp_forward(x[n:n + 1], params, "tanh")
    return mlp_backward(out - y[n:n + 1], cache)[1]


def check_batch_gradients(batch_gradients):
    """Check a student's ``batch_gradients(x, y, params) -> grads`` for the mean half-squared error.

    The expected gradients are those of ``helpers.losses.mse`` through a tanh
    network (``helpers.network``). Recognised slips: the gradient of the last
    example only (``=`` where ``+=`` was needed), the sum instead of the mean (a
    missing ``1/N``), and the last example divided by ``N``.
    """
    if not callable(batch_gradients):
        return report([(False, f"✗ expected a function batch_gradients(x, y, params); got {type(batch_gradients).__name__}")])
    results = []
    for seed, n in ((0, 6), (1, 4)):
        x, y, params = batch_exercise(seed, n)
        try:
            grads = batch_gradients(x.copy(), y.copy(), {k: v.copy() for k, v in params.items()})
        except Exception as exc:  # the student's code: report whatever it raised
            results.append((False, f"✗ with N={n}: batch_gradients raised {type(exc).__name__}: {exc}"))
            continue
        if not isinstance(grads, dict) or set(grads) != set(params):
            got = sorted(grads) if isinstance(grads, dict) else type(grads).__name__
            results.append((False, f"✗ with N={n}: return a dict with the keys {list(params)}; got {got}"))
            continue
        out, cache = mlp_forward(x, params, "tanh")
        want = mlp_backward(mse(out, y)[1], cache)[1]
        last = _one_example_gradients(x, y, params, n - 1)
        for key in params:
            slips = {
                "`=` where `+=` was needed: only the last example's gradient is left": last[key],
                "`=` where `+=` was needed (only the last example survives), then divided by N": last[key] / n,
                "the loss is a mean over the batch: divide the summed gradient by N": n * want[key],
            }
            ok, line = _array_verdict(f"{key} (N={n})", grads[key], want[key], slips)
            results.append((ok, line))
    return report(results)


def planted_bug_backward(x, y, params):
    """The backward pass of notebook 05's "find the planted bug" exercise. One line is wrong.

    The network is dense → sigmoid → dense with the mean half-squared error
    ``helpers.losses.mse``; ``params`` has ``W1, b1, W2, b2``. Returns
    ``(loss, grads)``.
    """
    z1 = x @ params["W1"] + params["b1"]
    a1 = 1 / (1 + np.exp(-z1))
    out = a1 @ params["W2"] + params["b2"]
    loss, dout = mse(out, y)
    grads = {"W2": a1.T @ dout, "b2": dout.sum(axis=0)}
    da1 = dout @ params["W2"].T
    dz1 = da1 * a1 * (1 - a1)
    grads["W1"] = x.T @ da1
    grads["b1"] = dz1.sum(axis=0)
    return loss, {key: grads[key] for key in ("W1", "b1", "W2", "b2")}


def check_planted_bug(fixed_backward):
    """Check the student's repair of :func:`planted_bug_backward` by a gradient check of every parameter.

    ``fixed_backward(x, y, params) -> (loss, grads)`` is tried on three random
    sigmoid networks; every gradient must match central differences of its
    own loss to a relative error below 1e-6, and the loss must be the mean
    half-squared error.
    """
    if not callable(fixed_backward):
        return report([(False, f"✗ expected a function fixed_backward(x, y, params); got {type(fixed_backward).__name__}")])
    results = []
    for seed in range(3):
        rng = np.random.default_rng(100 + seed)
        params = init_mlp([3, 4, 2], rng)
        x, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
        try:
            loss, grads = fixed_backward(x, y, {k: v.copy() for k, v in params.items()})
            gradcheck = check_gradients(lambda p: fixed_backward(x, y, p)[0], params, grads)
        except Exception as exc:  # the student's code: report whatever it raised
            results.append((False, f"✗ network {seed + 1}: {type(exc).__name__}: {exc}"))
            continue
        out = mlp_forward(x, params, "sigmoid")[0]
        ok_loss, line_loss = compare(f"network {seed + 1}: loss", loss, mse(out, y)[0])
        if not ok_loss:
            results.append((False, line_loss))
        elif gradcheck.passed(1e-6):
            results.append((True, f"✓ network {seed + 1}: every gradient matches central differences"))
        else:
            hint = " Hint: the wrong line computes this gradient; compare it with the line for its bias." if gradcheck.worst_name == "W1" else ""
            results.append((False, f"✗ network {seed + 1}: {gradcheck}.{hint}"))
    return report(results)
