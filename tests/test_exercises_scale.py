"""Notebook 09's checkers: right answers pass (several ways), each classic slip gets exactly its hint, no false rejection."""
import numpy as np
import pytest

from helpers.exercises import check_embedding_grad, check_scaled_grads
from helpers.exercises.core import NOT_DONE
from helpers.exercises.scale import NOT_SCALED, REPEAT_FIRST, REPEAT_LAST, REPEAT_MEAN, SCALE_NOT_UNDONE, SCALE_SQUARED


# --- the embedding gradient ----------------------------------------------------------------


def with_add_at(dout, tokens):
    rows, where = np.unique(tokens.ravel(), return_inverse=True)
    values = np.zeros((rows.size, dout.shape[-1]))
    np.add.at(values, where, dout.reshape(-1, dout.shape[-1]))
    return rows, values


def with_a_loop(dout, tokens):
    sums = {}
    for token, g in zip(tokens.ravel().tolist(), dout.reshape(-1, dout.shape[-1])):
        sums[token] = sums.get(token, 0) + g
    rows = np.array(sorted(sums))
    return rows, np.array([sums[r] for r in rows], dtype=np.float32)


def with_one_hot(dout, tokens):
    rows = np.unique(tokens)
    onehot = (tokens.ravel()[:, None] == rows[None, :]).astype(float)
    return rows, onehot.T @ dout.reshape(-1, dout.shape[-1])


def assigned(dout, tokens):
    rows, where = np.unique(tokens.ravel(), return_inverse=True)
    values = np.zeros((rows.size, dout.shape[-1]))
    values[where] = dout.reshape(-1, dout.shape[-1])
    return rows, values


def first_only(dout, tokens):
    rows, first = np.unique(tokens.ravel(), return_index=True)
    return rows, dout.reshape(-1, dout.shape[-1])[first]


def averaged(dout, tokens):
    rows, values = with_add_at(dout, tokens)
    counts = np.unique(tokens.ravel(), return_counts=True)[1]
    return rows, values / counts[:, None]


@pytest.mark.parametrize("answer", [with_add_at, with_a_loop, with_one_hot])
def test_right_embedding_answers_pass_without_hints(answer, capsys):
    feedback = check_embedding_grad(answer)
    assert feedback and feedback.hints == ()
    assert "✗" not in capsys.readouterr().out


@pytest.mark.parametrize(("answer", "hint"), [(assigned, REPEAT_LAST), (first_only, REPEAT_FIRST), (averaged, REPEAT_MEAN)])
def test_each_repeated_token_slip_gets_exactly_its_hint(answer, hint):
    feedback = check_embedding_grad(answer)
    assert not feedback and feedback.hints == (hint,)


def test_embedding_answers_that_ignore_shapes_or_mutate_fail():
    def flat_only(dout, tokens):  # assumes 1-D tokens: fails on the batch of sequences
        rows, where = np.unique(tokens, return_inverse=True)
        values = np.zeros((rows.size, dout.shape[1]))
        np.add.at(values, where, dout)
        return rows, values

    def fixed_width(dout, tokens):  # D hard-coded to 3
        rows, where = np.unique(tokens.ravel(), return_inverse=True)
        values = np.zeros((rows.size, 3))
        np.add.at(values, where, dout.reshape(-1, dout.shape[-1]))
        return rows, values

    def mutating(dout, tokens):
        rows, values = with_add_at(dout, tokens)
        dout *= 0
        return rows, values

    def unsorted_rows(dout, tokens):
        rows, values = with_add_at(dout, tokens)
        return rows[::-1], values[::-1]

    for answer in (flat_only, fixed_width, mutating, unsorted_rows):
        assert not check_embedding_grad(answer), answer.__name__
    assert "in place" in " ".join(check_embedding_grad(mutating).lines)


def test_unfilled_embedding_stub_gives_one_friendly_line():
    def stub(dout, tokens):
        raise NotImplementedError

    feedback = check_embedding_grad(stub)
    assert not feedback and feedback.lines == (NOT_DONE.format(what="embedding_grad(dout, tokens)"),)


# --- loss scaling ---------------------------------------------------------------------------


def scaled(backward16, dout, scale):
    grads16 = backward16((dout * scale).astype(np.float16))
    return {k: g.astype(np.float32) / scale for k, g in grads16.items()}


def scaled_in_float32(backward16, dout, scale):
    grads16 = backward16((dout.astype(np.float32) * np.float32(scale)).astype(np.float16))
    return {k: g.astype(np.float64) * (1.0 / scale) for k, g in grads16.items()}


def not_undone(backward16, dout, scale):
    return {k: g.astype(np.float32) for k, g in backward16((dout * scale).astype(np.float16)).items()}


def undone_twice(backward16, dout, scale):
    return {k: g.astype(np.float32) / scale / scale for k, g in backward16((dout * scale).astype(np.float16)).items()}


def never_scaled(backward16, dout, scale):
    return {k: g.astype(np.float32) for k, g in backward16(dout.astype(np.float16)).items()}


@pytest.mark.parametrize("answer", [scaled, scaled_in_float32])
def test_right_scaling_answers_pass_without_hints(answer):
    feedback = check_scaled_grads(answer)
    assert feedback and feedback.hints == ()


@pytest.mark.parametrize(("answer", "hint"), [(not_undone, SCALE_NOT_UNDONE), (undone_twice, SCALE_SQUARED), (never_scaled, NOT_SCALED)])
def test_each_scaling_slip_gets_exactly_its_hint(answer, hint):
    feedback = check_scaled_grads(answer)
    assert not feedback and feedback.hints == (hint,)


def test_scaling_answers_that_ignore_the_scale_or_return_the_wrong_thing_fail():
    def fixed_scale(backward16, dout, scale):  # ignores the argument: right only where scale = 2**10
        return scaled(backward16, dout, 2.0**10)

    def a_list(backward16, dout, scale):
        return list(scaled(backward16, dout, scale).values())

    def float16_result(backward16, dout, scale):  # divides in float16: tiny results underflow again
        return {k: g / np.float16(scale) for k, g in backward16((dout * scale).astype(np.float16)).items()}

    assert not check_scaled_grads(fixed_scale)
    assert not check_scaled_grads(a_list) and "dict" in " ".join(check_scaled_grads(a_list).lines)
    assert not check_scaled_grads(float16_result)


def test_unfilled_scaling_stub_gives_one_friendly_line():
    def stub(backward16, dout, scale):
        raise NotImplementedError

    feedback = check_scaled_grads(stub)
    assert feedback.lines == (NOT_DONE.format(what="scaled_grads(backward16, dout, scale)"),)
    assert check_scaled_grads(None).lines[0].startswith("✗ expected a function")
