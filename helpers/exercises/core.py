"""What every checker is built from: one tolerance, verdict lines, and the Feedback.

Two kinds of exercise share these pieces:

- a *function* exercise (the student writes ``f(...)``) is checked by
  :func:`check_function` on several cases that differ from the one the notebook
  shows (other shapes, batch 1, extreme values, other hyperparameters), so a
  hard-coded size or an ignored argument fails;
- a *by-hand* exercise (the student computes a few numbers) is checked by
  :func:`check_values`, which does not print the expected values unless asked.

Either way an unfilled stub gets one friendly line, an exception in the
student's code is reported (never a traceback from the checker), an input
changed in place is named, and a hint names a slip only when that slip explains
the numbers of every case where the answer was wrong.
"""
import os
from typing import NamedTuple

import numpy as np

RTOL = 1e-5
"""Relative tolerance of every checker: a float32 answer passes, every classic slip fails."""
ATOL = 1e-6
"""Absolute tolerance, as a fraction of the largest expected entry (tiny entries are judged at the array's scale)."""

NOT_DONE = "… {what} is not filled in yet: write your answer in the cell above, run that cell, then run this check again."


class Feedback(NamedTuple):
    """The checker's verdict: ``passed``, the lines it printed, and the hints among them.

    In a notebook the lines are already printed, so the Feedback itself shows nothing;
    ``bool(feedback)`` is the verdict (``assert check_...(...)`` in tests). Under nbgrader's
    autograder or validator (``NBGRADER_EXECUTION`` set) a failed check also raises, because
    nbgrader gives a test cell its points when it runs without an error.
    """

    passed: bool
    lines: tuple

    def __bool__(self):
        return self.passed

    @property
    def hints(self):
        """The hints given, without the line they came with (for tests: exactly these slips were named)."""
        return tuple(line.split("Hint: ", 1)[1] for line in self.lines if "Hint: " in line)

    def _ipython_display_(self):
        """Nothing to show: the verdict lines were printed when the check ran."""


def close(got, expected):
    """True when ``got`` equals ``expected`` within the checkers' one tolerance (same shape required).

    Examples
    --------
    >>> close(np.float32(0.1), 0.1), close(0.1001, 0.1), close([1.0, 2.0], [1.0])
    (True, False, False)
    """
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    if got.shape != expected.shape:
        return False
    scale = np.max(np.abs(expected), initial=0.0)
    return bool(np.all(np.abs(got - expected) <= RTOL * np.abs(expected) + ATOL * scale + 1e-300))


def compare(name, got, expected, slips=None, rtol=None):
    """One verdict line for ``got`` against ``expected``; ``(ok, line)``.

    ``slips`` maps a hint to the value a classic mistake would produce; when
    ``got`` matches one of them, the hint is given. (``rtol`` is accepted for
    older callers and ignored: every checker uses :data:`RTOL`.)

    Examples
    --------
    >>> compare("dL/dw", 0.5, 0.5)
    (True, '✓ dL/dw = 0.5')
    >>> compare("dL/dw", -0.5, 0.5, {"check the sign": -0.5})[1]
    '✗ dL/dw = -0.5, expected 0.5 (relative error 2.0e+00). Hint: check the sign'
    """
    problem = _not_a_number(name, got, np.shape(expected))
    if problem:
        return False, problem
    got_arr = np.asarray(got, dtype=float)
    if close(got_arr, expected):
        return True, f"✓ {name} = {_short(got_arr)}"
    line = f"✗ {name} = {_short(got_arr)}, expected {_short(expected)} (relative error {relative_error(got_arr, expected):.1e})"
    hint = matching_slip(got_arr, slips)
    return False, f"{line}. Hint: {hint}" if hint else line


def report(results):
    """Print the lines of ``results`` (``(ok, line)`` pairs) and return the Feedback."""
    lines = tuple(line for _, line in results)
    print("\n".join(lines))
    feedback = Feedback(all(ok for ok, _ in results), lines)
    if not feedback and os.environ.get("NBGRADER_EXECUTION"):
        raise AssertionError("\n".join(lines))
    return feedback


def relative_error(got, expected):
    """Largest entry-wise error relative to the largest expected entry (a scale-free number to print)."""
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    return float(np.max(np.abs(got - expected)) / max(np.max(np.abs(expected), initial=0.0), 1e-300))


def matching_slip(got, slips):
    """The first hint in ``slips`` (hint → value a classic mistake gives) whose value ``got`` matches, else None."""
    return next((hint for hint, value in (slips or {}).items() if _matches(got, value)), None)


# --- by-hand exercises --------------------------------------------------------------------


def check_values(answers, show_answer=False):
    """Check numbers computed by hand: ``answers`` is a list of ``(name, got, expected, slips)``.

    An unfilled answer (``...``) gets one friendly line. A wrong one gets its
    relative error and, when a classic slip explains it, the slip; the expected
    value is printed only with ``show_answer=True``, so a first try stays a try.
    """
    unfilled = [name for name, got, _, _ in answers if got is Ellipsis]
    if unfilled:
        return report([(False, NOT_DONE.format(what=", ".join(unfilled)))])
    results = []
    for name, got, expected, slips in answers:
        problem = _not_a_number(name, got, np.shape(expected))
        if problem:
            results.append((False, problem))
        elif close(got, expected):
            results.append((True, f"✓ {name} = {_short(got)}"))
        else:
            shown = f", expected {_short(expected)}" if show_answer else ""
            line = f"✗ {name} = {_short(got)}{shown} (relative error {relative_error(got, expected):.1e})"
            hint = matching_slip(np.asarray(got, dtype=float), slips)
            results.append((False, f"{line}. Hint: {hint}" if hint else line))
    if not all(ok for ok, _ in results) and not show_answer:
        results.append((False, "  (Stuck? Call the check again with show_answer=True to see the expected values.)"))
    return report(results)


# --- function exercises -------------------------------------------------------------------


class Case(NamedTuple):
    """One input for a function exercise and what the answer must be.

    ``args`` are passed to the student's function (each array as a fresh copy);
    ``expected`` maps each returned quantity's name to its value, in return order;
    ``slips`` maps a quantity's name to ``{hint: value a classic mistake gives}``, with the
    same hints in every case of one exercise (a hint is given when it explains every case).
    """

    label: str
    args: tuple
    expected: dict
    slips: dict = {}


def check_function(fn, cases, signature):
    """Run a student's function on every case and print one line per case, hints and a summary.

    ``signature`` is how the notebook names the function, e.g. ``"backward(dz, x, W)"``.
    A quantity's hint is given only when that same slip explains it in every case where
    it was wrong; otherwise the line says which quantity is wrong and nothing about why.
    """
    if not callable(fn):
        return report([(False, f"✗ expected a function {signature}; got {type(fn).__name__}")])
    arg_names = [a.strip() for a in signature[signature.index("(") + 1 : signature.rindex(")")].split(",")]
    results, slip_sets = [], {}
    for case in cases:
        outcome = _run_case(fn, case, arg_names, slip_sets)
        if outcome is NotImplemented:
            return report([(False, NOT_DONE.format(what=signature))])
        results.append(outcome)
    for name, candidate_sets in slip_sets.items():
        common = set.intersection(*candidate_sets)
        for hint in (h for h in cases[0].slips.get(name, {}) if h in common):
            results.append((False, f"  {name}: Hint: {hint}"))
    right = sum(ok for ok, _ in results)
    summary = f"All {len(cases)} cases right." if right == len(cases) else f"{right} of {len(cases)} cases right: fix the ✗ lines and run this check again."
    results.append((right == len(cases), summary))
    return report(results)


def _run_case(fn, case, arg_names, slip_sets):
    """``(ok, line)`` for one case; records, per wrong quantity, the slips that explain it."""
    args = tuple(_fresh(a) for a in case.args)
    try:
        got = fn(*args)
    except NotImplementedError:
        return NotImplemented
    except Exception as exc:  # the student's code: report whatever it raised, in one line
        return False, f"✗ {case.label}: raised {type(exc).__name__}: {exc}"
    changed = [name for name, a, b in zip(arg_names, args, case.args) if _changed(a, b)]
    if changed:
        return False, f"✗ {case.label}: your function changed its input {', '.join(changed)} in place; compute into new arrays instead"
    names = list(case.expected)
    if len(names) > 1:
        if not isinstance(got, (tuple, list)) or len(got) != len(names):
            return False, f"✗ {case.label}: return {len(names)} values ({', '.join(names)}); got {_describe(got)}"
    else:
        got = (got,)
    wrong = []
    for name, value in zip(names, got):
        expected = case.expected[name]
        problem = _not_a_number(name, value, np.shape(expected))
        if problem:
            wrong.append(problem[2:])
        elif not close(value, expected):
            wrong.append(f"{name} is wrong (relative error {relative_error(value, expected):.1e})")
        else:
            continue
        slips = case.slips.get(name, {})
        slip_sets.setdefault(name, []).append({hint for hint, v in slips.items() if _matches(value, v)})
    if wrong:
        return False, f"✗ {case.label}: " + "; ".join(wrong)
    return True, f"✓ {case.label}"


def _fresh(arg):
    """A copy of an array argument (or of a dict of arrays), so the case's own stays untouched."""
    if isinstance(arg, np.ndarray):
        return np.array(arg)
    if isinstance(arg, dict) and all(isinstance(v, np.ndarray) for v in arg.values()):
        return {k: np.array(v) for k, v in arg.items()}
    return arg


def _changed(given, original):
    """Did the student's function change an array argument (or an array in a dict argument) in place?"""
    if isinstance(original, np.ndarray):
        return not np.array_equal(given, original)
    if isinstance(original, dict) and all(isinstance(v, np.ndarray) for v in original.values()):
        return set(given) != set(original) or any(not np.array_equal(given[k], v) for k, v in original.items())
    return False


def _matches(value, slip_value):
    """Does ``value`` equal what a slip gives (shape included)?"""
    try:
        value = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return slip_value is not None and value.shape == np.shape(slip_value) and bool(np.all(np.isfinite(value))) and close(value, slip_value)


def _not_a_number(name, got, shape):
    """A ✗ line when ``got`` is not a finite number/array of ``shape``, else None."""
    if got is None or got is Ellipsis:
        return f"✗ {name}: expected a number of shape {shape}, got {got!r}"
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"✗ {name}: expected a number, got {_describe(got)}"
    if arr.shape != shape:
        return f"✗ {name}: expected a number of shape {shape}, got shape {arr.shape}"
    if not np.all(np.isfinite(arr)):
        return f"✗ {name} is not finite (nan or inf): look for an overflow or a division by zero"
    return None


def _describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)}"
    return type(value).__name__


def _short(value):
    value = np.asarray(value, dtype=float)
    return f"{float(value):.4g}" if value.ndim == 0 else np.array2string(value, precision=4)
