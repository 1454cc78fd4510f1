"""Notebook 01's checkers: right answers written several ways pass without a hint; each classic slip
fails with exactly its hint; hard-coded, ignored-argument and in-place answers fail; a stub gets one line."""
import math
import re

import numpy as np
import pytest

from helpers.exercises import neuron as ex
from helpers.exercises.core import NOT_DONE
from helpers.neuron import neuron_trace

FRIENDLY = NOT_DONE.split("{what}")[1]


def sigma(z):
    return 1 / (1 + np.exp(-z))


def right(x, w, b, t):
    y = sigma(w * x + b)
    delta = (y - t) * y * (1 - y)
    return delta * x, delta


def right_by_factors(x, w, b, t):
    """The same gradient, factor by factor in plain math and with σ' = e^{-z}/(1 + e^{-z})²."""
    z = w * x + b
    dL_dy = 1 / (1 + math.exp(-z)) - t
    dy_dz = math.exp(-z) / (1 + math.exp(-z)) ** 2
    return dL_dy * dy_dz * x, dL_dy * dy_dz * 1.0


def right_float32(x, w, b, t):
    return tuple(np.float32(g) for g in right(np.float32(x), np.float32(w), np.float32(b), np.float32(t)))


@pytest.mark.parametrize("answer", [right, right_by_factors, right_float32])
def test_right_sigmoid_gradients_written_differently_pass(answer, capsys):
    feedback = ex.check_neuron_gradients(answer)
    assert feedback and feedback.hints == ()
    assert capsys.readouterr().out.splitlines()[-1] == f"All {len(ex.GRADIENT_CASES)} cases right."


SIGMOID_SLIPS = {
    (ex.FORGOT_SLOPE, ex.FORGOT_SLOPE): lambda x, w, b, t: ((sigma(w * x + b) - t) * x, sigma(w * x + b) - t),
    (ex.SIGN, ex.SIGN): lambda x, w, b, t: tuple(-g for g in right(x, w, b, t)),
    (ex.NO_X,): lambda x, w, b, t: (right(x, w, b, t)[1], right(x, w, b, t)[1]),
    (ex.SIGMA_NOT_PRIME,): lambda x, w, b, t: ((sigma(w * x + b) - t) * sigma(w * x + b) * x, right(x, w, b, t)[1]),
    (ex.X_IN_DB,): lambda x, w, b, t: (right(x, w, b, t)[0], right(x, w, b, t)[0]),
}


@pytest.mark.parametrize("hints", list(SIGMOID_SLIPS), ids=lambda h: h[0][:30])
def test_each_sigmoid_slip_fails_with_exactly_its_hint(hints):
    feedback = ex.check_neuron_gradients(SIGMOID_SLIPS[hints])
    assert not feedback and feedback.hints == hints


def test_hard_coded_ignored_argument_and_unknown_slips_fail_without_a_hint():
    shown = right(1.5, 0.8, 0.2, 0.3)  # the worked example of the notebook
    for wrong in [lambda x, w, b, t: shown, lambda x, w, b, t: right(x, w, b, 0.3), lambda x, w, b, t: right(x, w, 0.0, t)]:
        feedback = ex.check_neuron_gradients(wrong)
        assert not feedback and feedback.hints == ()


def test_a_stub_and_broken_answers_are_told_in_one_line(capsys):
    def gradients(x, w, b, t):
        raise NotImplementedError("your turn")

    assert not ex.check_neuron_gradients(gradients)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and FRIENDLY in out
    assert not ex.check_neuron_gradients(lambda x, w, b, t: "0.1")
    assert "return 2 values" in capsys.readouterr().out
    assert not ex.check_neuron_gradients(3.0)
    assert "expected a function gradients(x, w, b, t)" in capsys.readouterr().out


def test_an_in_place_change_is_named(capsys):
    cases = [ex._sigmoid_case(*c)._replace(args=tuple(np.array([v]) for v in c)) for c in ex.GRADIENT_CASES]
    expected_shapes = [c._replace(expected={k: np.array([v]) for k, v in c.expected.items()}) for c in cases]

    def in_place(x, w, b, t):
        x *= 1.0 + 0.5
        return right(x, w, b, t)

    assert not ex.check_function(in_place, expected_shapes, "gradients(x, w, b, t)")
    assert "changed its input x in place" in capsys.readouterr().out


# --- the chain by hand -------------------------------------------------------------


def chain_answers():
    tr = neuron_trace(*ex.CHAIN_EXERCISE.values())
    return [float(tr.dL_dy[0]), float(tr.dy_dz[0]), float(tr.dz_dw[0]), tr.dL_dw], float(tr.y[0])


def test_chain_right_answers_pass_in_float32_too(capsys):
    args, _ = chain_answers()
    assert ex.check_chain_factors(*args, **ex.CHAIN_EXERCISE).hints == ()
    assert ex.check_chain_factors(*np.float32(args), **ex.CHAIN_EXERCISE)
    assert capsys.readouterr().out.count("✓") == 8


def test_chain_slips_are_named_exactly_and_the_answer_stays_hidden(capsys):
    args, y = chain_answers()
    x = ex.CHAIN_EXERCISE["x"]
    cases = [
        ([args[0], y, *args[2:]], (ex.SIGMA_NOT_PRIME,)),
        ([-args[0], *args[1:]], (ex.SIGN,)),
        ([*args[:2], 1.0, args[3]], (ex.ONE_FOR_X,)),
        ([*args[:2], ex.CHAIN_EXERCISE["w"], args[3]], (ex.W_FOR_X,)),
        ([*args[:3], args[0] * x], (ex.FORGOT_SLOPE,)),
        ([*args[:3], args[0] * args[1]], (ex.NO_X,)),
        ([*args[:3], args[3] + 0.01], ()),
    ]
    for answer, hints in cases:
        feedback = ex.check_chain_factors(*answer, **ex.CHAIN_EXERCISE)
        assert not feedback and feedback.hints == hints
    out = capsys.readouterr().out
    assert not re.search(r"expected -?\d", out) and "show_answer=True" in out
    ex.check_chain_factors(*cases[0][0], **ex.CHAIN_EXERCISE, show_answer=True)
    assert f"expected {args[1]:.4g}" in capsys.readouterr().out


def test_chain_unfilled_gets_one_friendly_line(capsys):
    assert not ex.check_chain_factors(..., ..., ..., ..., **ex.CHAIN_EXERCISE)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and FRIENDLY in out


# --- the tanh neuron ---------------------------------------------------------------


def tanh_right(x, w, b, t):
    y = np.tanh(w * x + b)
    delta = (y - t) * (1 - y**2)
    return delta * x, delta


def tanh_right_cosh(x, w, b, t):
    """tanh' = 1 / cosh², another way to write it."""
    z = w * x + b
    delta = (math.tanh(z) - t) / math.cosh(z) ** 2
    return delta * x, delta


def tanh_right_float32(x, w, b, t):
    return tuple(np.float32(g) for g in tanh_right(*np.float32([x, w, b, t])))


def tanh_right_from_sigmoid(x, w, b, t):
    """tanh(z) = 2σ(2z) − 1, so tanh'(z) = 4σ'(2z)."""
    s = sigma(2 * (w * x + b))
    delta = (2 * s - 1 - t) * 4 * s * (1 - s)
    return delta * x, delta


@pytest.mark.parametrize("answer", [tanh_right, tanh_right_cosh, tanh_right_float32, tanh_right_from_sigmoid, ex.tanh_neuron_gradients])
def test_right_tanh_gradients_written_differently_pass(answer):
    feedback = ex.check_tanh_gradients(answer)
    assert feedback and feedback.hints == ()


def _tanh_slip(slope):
    def gradients(x, w, b, t):
        z = w * x + b
        delta = (np.tanh(z) - t) * slope(z, np.tanh(z))
        return delta * x, delta

    return gradients


TANH_SLIPS = {
    ex.TANH_FORGOT: _tanh_slip(lambda z, y: 1.0),
    ex.TANH_NOT_SQUARED: _tanh_slip(lambda z, y: 1 - y),
    ex.TANH_SIGMOID_FORM: _tanh_slip(lambda z, y: y * (1 - y)),
    ex.TANH_Z_SQUARED: _tanh_slip(lambda z, y: 1 - z**2),
    ex.TANH_USED_SIGMOID: right,
    ex.TANH_SIGN: lambda x, w, b, t: tuple(-g for g in tanh_right(x, w, b, t)),
}


@pytest.mark.parametrize("hint", list(TANH_SLIPS), ids=lambda h: h[:30])
def test_each_tanh_slip_fails_with_exactly_its_hint(hint):
    feedback = ex.check_tanh_gradients(TANH_SLIPS[hint])
    assert not feedback and feedback.hints == (hint, hint)


def test_tanh_x_in_db_is_named_on_db_only():
    feedback = ex.check_tanh_gradients(lambda x, w, b, t: (tanh_right(x, w, b, t)[0],) * 2)
    assert not feedback and feedback.hints == (ex.TANH_X_IN_DB,)


def test_tanh_checker_covers_saturation_hard_coding_and_stubs(capsys):
    assert any(abs(w * x + b) >= 3 for x, w, b, t in ex.TANH_CASES)
    # wrong only where the neuron saturates (an "approximate" tanh' that is 0 past |z| > 2.9): fails, no hint
    clipped = _tanh_slip(lambda z, y: 1 - y**2 if abs(z) < 2.9 else 0.0)
    feedback = ex.check_tanh_gradients(clipped)
    assert not feedback and feedback.hints == ()
    assert not ex.check_tanh_gradients(lambda x, w, b, t: tanh_right(x, w, b, 0.3))  # t ignored
    capsys.readouterr()

    def tanh_gradients(x, w, b, t):
        raise NotImplementedError("your turn")

    assert not ex.check_tanh_gradients(tanh_gradients)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and FRIENDLY in out


@pytest.mark.parametrize("got", [None, ..., "abc", float("nan"), [1.0, 2.0]])
def test_compare_rejects_non_numbers(got):
    from helpers.exercises import compare

    ok, line = compare("q", got, 1.0)
    assert not ok and line.startswith("✗ q")
