"""Notebook 03's checkers: right answers written several ways pass, each classic slip gets exactly its hint,
and hard-coded sizes, ignored arguments, unstable formulas, in-place changes and unfilled stubs fail."""
import math

import numpy as np
import pytest

from helpers.exercises import check_bce_gradient, check_softmax_gradient
from helpers.exercises.core import NOT_DONE
from helpers.exercises.losses import BCE_HINTS, SOFTMAX_HINTS, bce_cases, softmax_cases

FRIENDLY = NOT_DONE.split("{what}")[1]


def stable_sigma(z):
    return np.exp(-np.logaddexp(0.0, -z))


def probabilities(z, axis=1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def onehot(z, labels):
    return np.eye(z.shape[1])[labels]


# --- right answers, written differently -----------------------------------------------------


def bce_vectorized(z, t):
    return (stable_sigma(z) - t) / len(z)


def bce_tanh(z, t):
    return (0.5 * (1 + np.tanh(z / 2)) - t) / z.size


def bce_loop(z, t):
    out = []
    for zi, ti in zip(z, t):
        y = 1 / (1 + math.exp(-zi)) if zi >= 0 else math.exp(zi) / (1 + math.exp(zi))
        out.append((y - ti) / len(z))
    return np.array(out)


def bce_float32(z, t):
    z32, t32 = z.astype(np.float32), t.astype(np.float32)
    return ((0.5 * (1 + np.tanh(z32 / 2)) - t32) / np.float32(len(z))).astype(np.float32)


def softmax_vectorized(z, labels):
    return (probabilities(z) - onehot(z, labels)) / len(z)


def softmax_indexing(z, labels):
    dz = probabilities(z)
    dz[np.arange(len(z)), labels] -= 1
    return dz / z.shape[0]


def softmax_loop(z, labels):
    rows = []
    for row, label in zip(z, labels):
        e = [math.exp(v - max(row)) for v in row]
        rows.append([ei / sum(e) - (k == label) for k, ei in enumerate(e)])
    return np.array(rows) / len(rows)


def softmax_logsumexp(z, labels):
    log_p = z - np.logaddexp.reduce(z, axis=1, keepdims=True)
    return (np.exp(log_p) - onehot(z, labels)) / len(z)


def softmax_float32(z, labels):
    return softmax_vectorized(z.astype(np.float32), labels).astype(np.float32)


@pytest.mark.parametrize("answer", [bce_vectorized, bce_tanh, bce_loop, bce_float32])
def test_right_bce_gradients_written_differently_all_pass(answer, capsys):
    feedback = check_bce_gradient(answer)
    assert feedback and feedback.hints == ()
    assert capsys.readouterr().out.splitlines()[-1] == f"All {len(bce_cases())} cases right."


@pytest.mark.parametrize("answer", [softmax_vectorized, softmax_indexing, softmax_loop, softmax_logsumexp, softmax_float32])
def test_right_softmax_gradients_written_differently_all_pass(answer, capsys):
    feedback = check_softmax_gradient(answer)
    assert feedback and feedback.hints == ()
    assert capsys.readouterr().out.splitlines()[-1] == f"All {len(softmax_cases())} cases right."


def test_the_cases_are_unlike_the_notebooks_and_cover_batch_1_several_class_counts_and_extremes():
    for cases in (bce_cases(), softmax_cases()):
        sizes = {len(c.args[0]) for c in cases}
        assert 1 in sizes and max(sizes) >= 5
        assert any(np.abs(c.args[0]).max() >= 1000 for c in cases)
    assert len({c.args[0].shape[1] for c in softmax_cases()}) >= 3


# --- each classic slip: exactly its hint ----------------------------------------------------

BCE_SLIPS = {
    "cancel": lambda z, t: (stable_sigma(z) - t) * stable_sigma(z) * (1 - stable_sigma(z)) / len(z),
    "mean": lambda z, t: stable_sigma(z) - t,
    "sign": lambda z, t: (t - stable_sigma(z)) / len(z),
    "logit": lambda z, t: (z - t) / len(z),
}


def every_row(z, labels):
    dz = probabilities(z)
    dz[:, labels] -= 1
    return dz / len(z)


SOFTMAX_SLIPS = {
    "mean": lambda z, labels: probabilities(z) - onehot(z, labels),
    "onehot": lambda z, labels: probabilities(z) / len(z),
    "sign": lambda z, labels: (onehot(z, labels) - probabilities(z)) / len(z),
    "rows": every_row,
    "axis": lambda z, labels: (probabilities(z, axis=0) - onehot(z, labels)) / len(z),
    "logits": lambda z, labels: (z - onehot(z, labels)) / len(z),
}


@pytest.mark.parametrize("key", sorted(BCE_SLIPS))
def test_each_bce_slip_fails_with_exactly_its_hint(key):
    feedback = check_bce_gradient(BCE_SLIPS[key])
    assert not feedback and feedback.hints == (BCE_HINTS[key],)


@pytest.mark.parametrize("key", sorted(SOFTMAX_SLIPS))
def test_each_softmax_slip_fails_with_exactly_its_hint(key):
    feedback = check_softmax_gradient(SOFTMAX_SLIPS[key])
    assert not feedback and feedback.hints == (SOFTMAX_HINTS[key],)


def test_every_hint_is_tested():
    assert set(BCE_SLIPS) == set(BCE_HINTS) and set(SOFTMAX_SLIPS) == set(SOFTMAX_HINTS)


def test_two_slips_at_once_are_not_blamed_on_one(capsys):
    """Sign and a missing 1/N together: neither hint explains the numbers, so neither is given."""
    feedback = check_softmax_gradient(lambda z, labels: onehot(z, labels) - probabilities(z))
    assert not feedback and feedback.hints == ()
    assert "is wrong" in capsys.readouterr().out


# --- answers that must fail -----------------------------------------------------------------


def naive_sigmoid_bce(z, t):
    return (1 / (1 + np.exp(-z)) - t) / len(z)


def unsimplified_bce(z, t):
    """∂L/∂y · ∂y/∂z multiplied out numerically: 0/0 where σ saturates."""
    y = stable_sigma(z)
    return (y - t) / (y * (1 - y)) * (y * (1 - y)) / len(z)


def naive_softmax(z, labels):
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return (p - onehot(z, labels)) / len(z)


@pytest.mark.parametrize("check, unstable", [(check_bce_gradient, naive_sigmoid_bce), (check_bce_gradient, unsimplified_bce), (check_softmax_gradient, naive_softmax)])
def test_an_unstable_formula_fails_on_the_extreme_logits_and_says_so(check, unstable, capsys):
    feedback = check(unstable)
    out = capsys.readouterr().out
    wrong = [line for line in out.splitlines() if line.startswith("✗")]
    assert not feedback and feedback.hints == ()
    assert len(wrong) == 1 and "±1000" in wrong[0] and "FloatingPointError" in wrong[0]


def test_hard_coded_sizes_and_ignored_arguments_fail():
    assert not check_bce_gradient(lambda z, t: (stable_sigma(z) - t) / 5)
    assert not check_bce_gradient(lambda z, t: stable_sigma(z) / len(z))  # ignores t
    assert not check_bce_gradient(lambda z, t: (stable_sigma(z) - np.round(t)) / len(z))  # hard 0/1 labels
    assert not check_softmax_gradient(lambda z, labels: (probabilities(z) - np.eye(3)[labels]) / len(z))  # hard-coded 3 classes
    assert not check_softmax_gradient(lambda z, labels: (probabilities(z) - onehot(z, np.zeros_like(labels))) / len(z))  # ignores labels
    assert not check_softmax_gradient(lambda z, labels: (probabilities(z) - onehot(z, labels)) / 4)


def test_in_place_changes_are_named(capsys):
    def in_place(z, labels):
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        z[np.arange(len(z)), labels] -= 1
        return z / len(z)

    assert not check_softmax_gradient(in_place)
    assert "changed its input z in place" in capsys.readouterr().out
    assert check_softmax_gradient(softmax_vectorized)  # the checker's own batches were not spoiled

    def bce_in_place(z, t):
        t -= stable_sigma(z)
        return -t / len(z)

    assert not check_bce_gradient(bce_in_place)
    assert "changed its input t in place" in capsys.readouterr().out


@pytest.mark.parametrize("check, name", [(check_bce_gradient, "bce_gradient"), (check_softmax_gradient, "softmax_gradient")])
def test_unfilled_stub_gets_one_friendly_line(check, name, capsys):
    def stub(z, second):
        raise NotImplementedError("your turn: write this part, then run the check below")

    feedback = check(stub)
    out = capsys.readouterr().out
    assert not feedback and out.count("\n") == 1 and FRIENDLY in out and name in out


@pytest.mark.parametrize("check", [check_bce_gradient, check_softmax_gradient])
def test_broken_answers_fail_with_a_reason(check, capsys):
    assert not check(lambda z, second: np.zeros(1))
    assert "expected a number of shape" in capsys.readouterr().out
    assert not check(lambda z, second: None)
    assert "got None" in capsys.readouterr().out
    assert not check("(y - t) / N")
    assert "expected a function" in capsys.readouterr().out
