"""The pieces every checker is built from: one tolerance, friendly stubs, consistent hints."""
import numpy as np
import pytest

from helpers.exercises.core import Case, Feedback, check_function, check_values, close

RNG = np.random.default_rng(0)


def double_cases():
    """A toy exercise: ``double(x) -> 2x``, tried on batch 1 and a larger batch."""
    cases = []
    for shape in [(1, 3), (4, 2)]:
        x = RNG.normal(size=shape)
        cases.append(Case(f"x of shape {shape}", (x,), {"y": 2 * x}, {"y": {"you added instead of doubling": x + 2, "sign": -2 * x}}))
    return cases


def test_one_tolerance_float32_passes_and_small_slips_fail():
    x = RNG.normal(size=(5, 4))
    assert close(x.astype(np.float32), x)
    assert not close(x * (1 + 1e-4), x)
    assert not close(x.T, x) and not close(x[:1], x)
    big_and_small = np.array([1e3, 1e-6])
    assert close(big_and_small + [0.0, 1e-4], big_and_small)  # judged at the array's scale


@pytest.mark.parametrize("answer", [lambda x: 2 * x, lambda x: x + x, lambda x: np.stack([row * 2 for row in x]), lambda x: (2 * x).astype(np.float32)])
def test_right_answers_written_differently_all_pass(answer, capsys):
    feedback = check_function(answer, double_cases(), "double(x)")
    assert feedback and feedback.hints == ()
    assert capsys.readouterr().out.splitlines()[-1] == "All 2 cases right."


def test_a_slip_is_named_only_when_it_explains_every_wrong_case():
    assert check_function(lambda x: -2 * x, double_cases(), "double(x)").hints == ("sign",)
    assert check_function(lambda x: x + 2, double_cases(), "double(x)").hints == ("you added instead of doubling",)
    # sign in one case, something else in the other: no slip explains both, so none is named
    mixed = lambda x: -2 * x if len(x) == 1 else 3 * x
    feedback = check_function(mixed, double_cases(), "double(x)")
    assert not feedback and feedback.hints == ()


def test_hard_coded_sizes_and_ignored_arguments_fail():
    first = double_cases()[0].args[0]
    assert not check_function(lambda x: 2 * first, double_cases(), "double(x)")
    assert not check_function(lambda x: np.zeros((1, 3)), double_cases(), "double(x)")


def test_an_unfilled_stub_gets_one_friendly_line(capsys):
    def double(x):
        raise NotImplementedError("your turn")

    feedback = check_function(double, double_cases(), "double(x)")
    out = capsys.readouterr().out
    assert not feedback and out.count("\n") == 1 and "not filled in yet" in out and "Traceback" not in out
    assert not check_values([("dL/dw", ..., 0.5, {})])
    assert "dL/dw is not filled in yet" in capsys.readouterr().out


def test_errors_in_place_changes_and_wrong_returns_are_told(capsys):
    def in_place(x):
        x *= 2
        return x

    assert not check_function(in_place, double_cases(), "double(x)")
    assert "changed its input x in place" in capsys.readouterr().out
    assert not check_function(lambda x: x @ np.ones((7, 7)), double_cases(), "double(x)")
    assert "raised ValueError" in capsys.readouterr().out
    assert not check_function(lambda x: (2 * x, 1), double_cases(), "double(x)")
    assert not check_function(lambda x: x.sum(), double_cases(), "double(x)")
    assert "got shape ()" in capsys.readouterr().out
    assert not check_function(lambda x: x * np.inf, double_cases(), "double(x)")
    assert "not finite" in capsys.readouterr().out
    assert not check_function(3.0, double_cases(), "double(x)")
    assert "expected a function double(x)" in capsys.readouterr().out


def test_by_hand_values_hide_the_answer_until_asked(capsys):
    assert check_values([("a", 0.25, 0.25, {})])
    capsys.readouterr()
    feedback = check_values([("a", -0.25, 0.25, {"check the sign": -0.25})])
    out = capsys.readouterr().out
    assert not feedback and feedback.hints == ("check the sign",) and "expected 0.25" not in out
    check_values([("a", 0.3, 0.25, {"check the sign": -0.25})], show_answer=True)
    out = capsys.readouterr().out
    assert "expected 0.25" in out and "Hint" not in out


def test_feedback_shows_nothing_itself_and_is_its_verdict():
    feedback = Feedback(False, ("✗ a", "  a: Hint: h"))
    assert not feedback and feedback.hints == ("h",) and feedback._ipython_display_() is None
