"""The checkers accept right answers and name the classic slips in wrong ones."""
import numpy as np
import pytest

from helpers.exercises import CHAIN_EXERCISE, check_chain_factors, check_neuron_gradients, compare
from helpers.neuron import neuron_trace


def sigma(z):
    return 1 / (1 + np.exp(-z))


def right(x, w, b, y_true):
    y = sigma(w * x + b)
    delta = (y - y_true) * y * (1 - y)
    return delta * x, delta


SLIPS = {
    "forgot the factor σ'(z)": lambda x, w, b, t: ((sigma(w * x + b) - t) * x, sigma(w * x + b) - t),
    "check the sign": lambda x, w, b, t: tuple(-g for g in right(x, w, b, t)),
    "∂z/∂w = x is missing": lambda x, w, b, t: (right(x, w, b, t)[1], right(x, w, b, t)[1]),
    "not σ(z)": lambda x, w, b, t: ((sigma(w * x + b) - t) * sigma(w * x + b) * x, right(x, w, b, t)[1]),
}


def test_right_gradients_pass(capsys):
    assert check_neuron_gradients(right)
    assert capsys.readouterr().out.count("✓") == 4


@pytest.mark.parametrize("hint", sorted(SLIPS))
def test_each_slip_fails_with_its_hint(hint, capsys):
    feedback = check_neuron_gradients(SLIPS[hint])
    assert not feedback and hint in capsys.readouterr().out


def test_unfinished_or_broken_answers_fail_with_a_reason(capsys):
    def unfinished(x, w, b, y_true):
        raise NotImplementedError("your turn")

    assert not check_neuron_gradients(unfinished)
    assert "raised NotImplementedError: your turn" in capsys.readouterr().out
    assert not check_neuron_gradients(lambda x, w, b, t: "0.1")
    assert not check_neuron_gradients(3.0)
    assert "expected a function" in capsys.readouterr().out


def test_chain_factors(capsys):
    t = neuron_trace(**CHAIN_EXERCISE)
    args = [float(t.dL_dy[0]), float(t.dy_dz[0]), float(t.dz_dw[0]), t.dL_dw]
    assert check_chain_factors(*args, **CHAIN_EXERCISE)
    y = float(t.y[0])
    assert not check_chain_factors(args[0], y, *args[2:], **CHAIN_EXERCISE)
    assert "σ(z)(1 − σ(z))" in capsys.readouterr().out
    assert not check_chain_factors(-args[0], *args[1:], **CHAIN_EXERCISE)
    assert "not t − y" in capsys.readouterr().out
    assert not check_chain_factors(*args[:3], args[0] * CHAIN_EXERCISE["x"], **CHAIN_EXERCISE)
    assert "forgot the factor σ'(z)" in capsys.readouterr().out


@pytest.mark.parametrize("got", [None, ..., "abc", float("nan"), [1.0, 2.0]])
def test_compare_rejects_non_numbers(got):
    ok, line = compare("q", got, 1.0)
    assert not ok and line.startswith("✗ q")


def test_compare_reports_relative_error_without_a_matching_slip():
    ok, line = compare("q", 1.1, 1.0, {"a hint": 2.0})
    assert not ok and "relative error 1.0e-01" in line and "Hint" not in line
