"""Notebook 05's checkers: right answers written differently pass, each classic slip gets exactly its hint."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from helpers.activations import ACTIVATIONS
from helpers.exercises import (
    batch_exercise, check_backward_loop, check_batch_gradients, check_dense_backward, check_planted_bug, planted_bug_backward,
)
from helpers.exercises.core import NOT_DONE
from helpers.exercises.layers import BATCH_HINTS, DENSE_HINTS, LOOP_HINTS, PLANTED_HINT, reference_loop
from helpers.gradcheck import check_gradients
from helpers.layers import dense_backward
from helpers.losses import mse
from helpers.network import init_mlp, mlp_backward, mlp_forward

FRIENDLY = NOT_DONE.split("{what}")[1]


def stub(*args):
    raise NotImplementedError("your turn")


def assert_passes(feedback):
    assert feedback and feedback.hints == ()
    assert feedback.lines[-1].startswith("All ")


def assert_friendly_stub(checker, capsys):
    feedback = checker(stub)
    out = capsys.readouterr().out
    assert not feedback and out.count("\n") == 1 and FRIENDLY in out


# --- the dense backward ---------------------------------------------------------------


def dense_loops(dz, x, W):
    """The entry-wise sums of the notebook's derivation, as loops."""
    dx, dW, db = np.zeros_like(x), np.zeros_like(W), np.zeros(W.shape[1])
    for n in range(len(x)):
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                dx[n, i] += dz[n, j] * W[i, j]
                dW[i, j] += x[n, i] * dz[n, j]
        db += dz[n]
    return dx, dW, db


RIGHT_DENSE = {
    "matrix products": lambda dz, x, W: (dz @ W.T, x.T @ dz, dz.sum(axis=0)),
    "loops": dense_loops,
    "einsum": lambda dz, x, W: (np.einsum("nj,ij->ni", dz, W), np.einsum("ni,nj->ij", x, dz), np.ones(len(dz)) @ dz),
    "float32": lambda dz, x, W: tuple(a.astype(np.float32) for a in (dz @ W.T, x.T @ dz, dz.sum(axis=0))),
}


@pytest.mark.parametrize("name", RIGHT_DENSE)
def test_right_dense_backwards_pass(name):
    assert_passes(check_dense_backward(RIGHT_DENSE[name]))


DENSE_SLIPS = {
    "dz W": (lambda dz, x, W: (dz @ W, x.T @ dz, dz.sum(axis=0)), DENSE_HINTS["dx"]["missing_transpose"]),
    "dzᵀ x": (lambda dz, x, W: (dz @ W.T, dz.T @ x, dz.sum(axis=0)), DENSE_HINTS["dW"]["transposed"]),
    "x dz": (lambda dz, x, W: (dz @ W.T, x @ dz, dz.sum(axis=0)), DENSE_HINTS["dW"]["no_transpose"]),
    "db = dz": (lambda dz, x, W: (dz @ W.T, x.T @ dz, dz), DENSE_HINTS["db"]["not_summed"]),
    "db averaged": (lambda dz, x, W: (dz @ W.T, x.T @ dz, dz.mean(axis=0)), DENSE_HINTS["db"]["mean"]),
    "db summed over everything": (lambda dz, x, W: (dz @ W.T, x.T @ dz, dz.sum()), DENSE_HINTS["db"]["sum_all"]),
}


@pytest.mark.parametrize("slip", DENSE_SLIPS)
def test_each_dense_slip_gets_exactly_its_hint(slip):
    wrong, hint = DENSE_SLIPS[slip]
    feedback = check_dense_backward(wrong)
    assert not feedback and feedback.hints == (hint,)


def test_dense_hard_coded_sizes_ignored_arguments_and_in_place_changes_fail(capsys):
    notebook_x = np.ones((4, 3))  # the notebook's own shapes, hard-coded
    assert not check_dense_backward(lambda dz, x, W: (dz @ W.T, notebook_x.T @ dz, dz.sum(axis=0)))
    assert not check_dense_backward(lambda dz, x, W: (dz @ np.ones_like(W).T, x.T @ dz, dz.sum(axis=0)))  # W ignored
    assert not check_dense_backward(lambda dz, x, W: (dz @ W.T, x.T @ dz, dz[:, :2].sum(axis=0)))
    capsys.readouterr()

    def in_place(dz, x, W):
        W -= 0.0  # harmless
        dz *= 1.0
        x += 1.0
        return dz @ W.T, (x - 1.0).T @ dz, dz.sum(axis=0)

    feedback = check_dense_backward(in_place)
    assert not feedback and "changed its input x in place" in capsys.readouterr().out


def test_dense_stub_and_junk(capsys):
    assert_friendly_stub(check_dense_backward, capsys)
    assert not check_dense_backward(lambda dz, x, W: None)
    assert not check_dense_backward("backward")
    assert "expected a function backward(dz, x, W)" in capsys.readouterr().out


# --- the L-layer backward loop ----------------------------------------------------------


def loop_with_pairs(dout, layers):
    """Right, written with the layer pairs and a while loop, collecting the gradients in another order."""
    grads, d, l = {}, dout, len(layers)
    while l >= 1:
        layer = layers[l - 1]
        if layer.activation:
            d = ACTIVATIONS[layer.activation][1](d, layer.act)
        d, g = dense_backward(d, layer.dense)
        grads[f"b{l}"], grads[f"W{l}"] = g["b"], g["W"]
        l -= 1
    return d, grads


def loop_recursive(dout, layers):
    """Right, as a recursion: the last layer first, then the rest of the network."""
    if not layers:
        return dout, {}
    *rest, last = layers
    dz = ACTIVATIONS[last.activation][1](dout, last.act) if last.activation else dout
    dx, grads = loop_recursive(dz @ last.dense.W.T, rest)
    grads.update({f"W{len(layers)}": last.dense.x.T @ dz, f"b{len(layers)}": np.sum(dz, axis=0)})
    return dx, grads


RIGHT_LOOPS = {
    "the reference loop": reference_loop,
    "layer pairs, while loop": loop_with_pairs,
    "recursion": loop_recursive,
    "float32": lambda dout, layers: (lambda dx, g: (dx.astype(np.float32), {k: v.astype(np.float32) for k, v in g.items()}))(*reference_loop(dout, layers)),
}


@pytest.mark.parametrize("name", RIGHT_LOOPS)
def test_right_loops_pass(name):
    assert_passes(check_backward_loop(RIGHT_LOOPS[name]))


LOOP_SLIPS = {
    "f' forgotten": ({"f_prime": False}, LOOP_HINTS["f_prime"]),
    "dW transposed": ({"transposed": True}, LOOP_HINTS["transposed"]),
    "loop not reversed": ({"forward_order": True}, LOOP_HINTS["forward_order"]),
    "dout not passed down": ({"pass_down": False}, LOOP_HINTS["not_passed_down"]),
}


@pytest.mark.parametrize("slip", LOOP_SLIPS)
def test_each_loop_slip_gets_exactly_its_hint(slip):
    flags, hint = LOOP_SLIPS[slip]
    feedback = check_backward_loop(lambda dout, layers: reference_loop(dout, layers, **flags))
    assert not feedback and feedback.hints == (hint,)


def test_a_loop_for_two_layers_only_or_ignoring_dout_fails(capsys):
    def two_layers_only(dout, layers):
        return reference_loop(dout, layers[-2:]) if len(layers) >= 2 else reference_loop(dout, layers)

    assert not check_backward_loop(two_layers_only)
    assert not check_backward_loop(lambda dout, layers: reference_loop(np.ones_like(dout), layers))
    mixed = lambda dout, layers: reference_loop(dout, layers, f_prime=len(layers) != 4, transposed=len(layers) == 2)
    feedback = check_backward_loop(mixed)  # f' forgotten at depth 4, dW transposed at depth 2: no one slip explains both
    assert not feedback and feedback.hints == ()
    capsys.readouterr()


def test_a_loop_that_changes_dout_or_a_cache_in_place_is_told(capsys):
    def into_dout(dout, layers):
        dout *= 1.0
        dout += 0.5
        return reference_loop(dout - 0.5, layers)

    assert not check_backward_loop(into_dout)
    assert "changed its input dout in place" in capsys.readouterr().out

    def into_cache(dout, layers):
        layers[0].dense.x[...] = 0.0
        return reference_loop(dout, layers)

    assert not check_backward_loop(into_cache)
    assert "in place" in capsys.readouterr().out


def test_loop_stub_and_wrong_returns(capsys):
    assert_friendly_stub(check_backward_loop, capsys)
    assert not check_backward_loop(lambda dout, layers: reference_loop(dout, layers)[1])
    assert "must return two values" in capsys.readouterr().out
    assert not check_backward_loop(lambda dout, layers: (dout, {"W1": 0}))
    assert "keys" in capsys.readouterr().out


# --- the batch gradient -----------------------------------------------------------------


def per_example(mode):
    """batch_gradients by accumulating one example at a time; ``mode`` plants a slip."""

    def batch_gradients(x, t, params):
        total = {k: np.zeros_like(v) for k, v in params.items()}
        for n in range(len(x)):
            out, cache = mlp_forward(x[n:n + 1], params, "tanh")
            _, g = mlp_backward(out - t[n:n + 1], cache)
            for k in total:
                total[k] = g[k] if mode.startswith("assign") else total[k] + g[k]
        return {k: v / (1 if mode in ("sum", "assign") else len(x)) for k, v in total.items()}

    return batch_gradients


def whole_batch(x, t, params):
    out, cache = mlp_forward(x, params, "tanh")
    return mlp_backward(mse(out, t)[1], cache)[1]


@pytest.mark.parametrize("answer", [per_example("mean"), whole_batch,
                                    lambda x, t, p: {k: v.astype(np.float32) for k, v in whole_batch(x, t, p).items()}])
def test_right_batch_gradients_pass(answer):
    assert_passes(check_batch_gradients(answer))


@pytest.mark.parametrize("mode, hint", [("assign", BATCH_HINTS["assign"]), ("assign_mean", BATCH_HINTS["assign_mean"]), ("sum", BATCH_HINTS["sum"])])
def test_each_batch_slip_gets_exactly_its_hint(mode, hint):
    feedback = check_batch_gradients(per_example(mode))
    assert not feedback and feedback.hints == (hint,)


def test_batch_checker_refuses_wrong_keys_in_place_changes_and_stubs(capsys):
    assert not check_batch_gradients(lambda x, t, p: {"W1": p["W1"]})
    assert "must be a dict with the keys ['W1', 'b1', 'W2', 'b2']" in capsys.readouterr().out

    def in_place(x, t, params):
        params["W1"] *= 1.5
        return whole_batch(x, t, params)

    assert not check_batch_gradients(in_place)
    assert "changed params['W1'] in place" in capsys.readouterr().out
    shown_x, shown_t, _ = batch_exercise()  # the notebook's batch, hard-coded
    assert not check_batch_gradients(lambda x, t, p: whole_batch(shown_x, shown_t, p))
    capsys.readouterr()
    assert_friendly_stub(check_batch_gradients, capsys)
    assert not check_batch_gradients(None)
    assert "expected a function" in capsys.readouterr().out


def test_batch_exercise_is_seeded():
    a, b = batch_exercise(3), batch_exercise(3)
    assert np.array_equal(a[0], b[0]) and all(np.array_equal(a[2][k], b[2][k]) for k in a[2])


# --- the planted bug --------------------------------------------------------------------


def fixed_backward(x, t, params):
    z1 = x @ params["W1"] + params["b1"]
    a1 = 1 / (1 + np.exp(-z1))
    out = a1 @ params["W2"] + params["b2"]
    loss, dout = mse(out, t)
    dz1 = dout @ params["W2"].T * a1 * (1 - a1)
    return loss, {"W1": x.T @ dz1, "b1": dz1.sum(axis=0), "W2": a1.T @ dout, "b2": dout.sum(axis=0)}


def fixed_with_helpers(x, t, params):
    out, cache = mlp_forward(x, params, "sigmoid")
    loss, dout = mse(out, t)
    return loss, mlp_backward(dout, cache)[1]


@settings(max_examples=25, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 6))
def test_the_planted_bug_is_in_W1_alone_and_the_gradient_check_finds_it(seed, n):
    rng = np.random.default_rng(seed)
    params = init_mlp([3, 4, 2], rng)
    x, t = rng.normal(size=(n, 3)), rng.normal(size=(n, 2))
    loss, grads = planted_bug_backward(x, t, params)
    report = check_gradients(lambda p: planted_bug_backward(x, t, p)[0], params, grads)
    assert report.worst_name == "W1" and not report.passed()
    assert max(e for k, e in report.errors.items() if k != "W1") < 1e-7
    loss_fixed, fixed = fixed_backward(x, t, params)
    assert loss_fixed == loss and all(np.array_equal(fixed[k], grads[k]) for k in ("b1", "W2", "b2"))
    assert check_gradients(lambda p: fixed_backward(x, t, p)[0], params, fixed).passed(1e-7)


@pytest.mark.parametrize("answer", [fixed_backward, fixed_with_helpers])
def test_planted_bug_repairs_pass(answer):
    assert_passes(check_planted_bug(answer))


def test_planted_bug_checker_names_the_bug_and_refuses_a_wrong_loss(capsys):
    feedback = check_planted_bug(planted_bug_backward)
    assert not feedback and feedback.hints == (PLANTED_HINT,)
    assert not check_planted_bug(lambda x, t, p: (2 * fixed_backward(x, t, p)[0], fixed_backward(x, t, p)[1]))
    assert "loss is wrong" in capsys.readouterr().out
    assert_friendly_stub(check_planted_bug, capsys)
    assert not check_planted_bug(42)


def test_planted_bug_checker_refuses_in_place_changes_ignored_targets_and_hard_coded_sizes(capsys):
    def in_place(x, t, params):
        params["b1"] += 0.0
        params["W2"] *= 2.0
        return fixed_backward(x, t, {**params, "W2": params["W2"] / 2.0})

    assert not check_planted_bug(in_place)
    assert "changed params['W2'] in place" in capsys.readouterr().out
    assert not check_planted_bug(lambda x, t, p: fixed_backward(x, np.zeros_like(t), p))  # t ignored
    shown_x, shown_t, _ = batch_exercise()  # the notebook's batch, hard-coded
    assert not check_planted_bug(lambda x, t, p: fixed_backward(shown_x[:, : x.shape[1]], shown_t[:, : t.shape[1]], p))
