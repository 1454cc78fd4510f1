"""Notebook 03's checkers accept right answers and name each classic slip in wrong ones."""
import numpy as np
import pytest

from helpers.exercises import check_bce_gradient, check_softmax_gradient


def sigma(z):
    return 1 / (1 + np.exp(-z))


def probabilities(z, axis=1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def onehot(z, labels):
    return np.eye(z.shape[1])[labels]


def bce_right(z, t):
    return (sigma(z) - t) / len(z)


def softmax_right(z, labels):
    return (probabilities(z) - onehot(z, labels)) / len(z)


def every_row(z, labels):
    dz = probabilities(z)
    dz[:, labels] -= 1
    return dz / len(z)


BCE_SLIPS = {
    "σ' cancels": lambda z, t: (sigma(z) - t) * sigma(z) * (1 - sigma(z)) / len(z),
    "that is ∂L/∂y": lambda z, t: (sigma(z) - t) / (sigma(z) * (1 - sigma(z))) / len(z),
    "divide by N": lambda z, t: sigma(z) - t,
    "check the sign": lambda z, t: (t - sigma(z)) / len(z),
    "not z − t": lambda z, t: (z - t) / len(z),
}

SOFTMAX_SLIPS = {
    "divide by N": lambda z, labels: probabilities(z) - onehot(z, labels),
    "subtract the one-hot": lambda z, labels: probabilities(z) / len(z),
    "check the sign": lambda z, labels: (onehot(z, labels) - probabilities(z)) / len(z),
    "not dz[:, labels]": every_row,
    "each row (axis=1)": lambda z, labels: (probabilities(z, axis=0) - onehot(z, labels)) / len(z),
    "not the logits z": lambda z, labels: (z - onehot(z, labels)) / len(z),
}

CHECKERS = [(check_bce_gradient, bce_right, BCE_SLIPS), (check_softmax_gradient, softmax_right, SOFTMAX_SLIPS)]


@pytest.mark.parametrize("check, right", [(c, r) for c, r, _ in CHECKERS], ids=["bce", "softmax"])
def test_right_gradients_pass_on_every_batch(check, right, capsys):
    assert check(right)
    out = capsys.readouterr().out
    assert out.count("✓") == 3 and "✗" not in out


@pytest.mark.parametrize(
    "check, slip, hint",
    [(c, slips[h], h) for c, _, slips in CHECKERS for h in slips],
    ids=[f"{c.__name__}-{h}" for c, _, slips in CHECKERS for h in slips],
)
def test_each_slip_fails_with_its_hint(check, slip, hint, capsys):
    assert not check(slip)
    out = capsys.readouterr().out
    assert hint in out and "relative error" in out


@pytest.mark.parametrize("check", [c for c, _, _ in CHECKERS], ids=["bce", "softmax"])
def test_unfinished_or_broken_answers_fail_with_a_reason(check, capsys):
    def unfinished(z, target):
        raise NotImplementedError("your turn")

    assert not check(unfinished)
    assert "raised NotImplementedError: your turn" in capsys.readouterr().out
    assert not check(lambda z, target: np.zeros(1))
    assert "expected a number of shape" in capsys.readouterr().out
    assert not check(lambda z, target: np.full(np.shape(z), np.nan))
    assert "is not finite" in capsys.readouterr().out
    assert not check("(y - t) / N")
    assert "expected a function gradient(z, " in capsys.readouterr().out


def test_a_student_who_writes_into_the_inputs_cannot_spoil_the_next_check(capsys):
    def in_place(z, labels):
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        z[np.arange(len(z)), labels] -= 1
        return z / len(z)

    assert check_softmax_gradient(in_place)
    assert check_softmax_gradient(softmax_right)
