"""Notebook 09's checkers (checkpointed backward, loss scaling, embedding gradient): right answers pass (several ways), each classic slip gets exactly its hint, no false rejection."""
import numpy as np
import pytest

from helpers.checkpointing import recompute_segment, segment_starts
from helpers.exercises import check_backward_with_recompute, check_embedding_grad, check_scaled_grads
from helpers.exercises.core import NOT_DONE
from helpers.exercises.scale import (
    D_NOT_CHAINED, NOT_SCALED, REPEAT_FIRST, REPEAT_LAST, REPEAT_MEAN, SCALE_NOT_UNDONE, SCALE_SQUARED, WRONG_CHECKPOINT,
)
from helpers.network import backward_unchecked, mlp_backward, mlp_forward


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


# --- the checkpointed backward pass ---------------------------------------------------------



def recompute_with(entering, upstream):
    def backward_with_recompute(dout, checkpoints, params, activations, segment):
        depth, grads, d = len(activations), {}, dout
        for start in reversed(segment_starts(depth, segment)):
            _, cache = recompute_segment(entering(checkpoints, start), params, activations, start, min(start + segment, depth))
            d, seg = backward_unchecked(upstream(dout, d), cache, True)
            grads.update({f"{k[0]}{int(k[1:]) + start}": g for k, g in seg.items()})
        return d, grads
    return backward_with_recompute


right_recompute = recompute_with(lambda c, start: c[start], lambda dout, d: d)


def recompute_with_public_functions(dout, checkpoints, params, activations, segment):
    """Another correct way: mlp_forward / mlp_backward on each segment's renamed params, in float32 at the end."""
    depth, grads, d = len(activations), {}, dout
    for start in sorted(checkpoints, reverse=True):
        stop = min(start + segment, depth)
        seg_params = {f"{p}{l - start}": params[f"{p}{l}"] for l in range(start + 1, stop + 1) for p in "Wb"}
        names = activations[start:stop]
        assert len(set(names[:-1])) <= 1
        _, cache = mlp_forward(checkpoints[start], seg_params, names[0] if len(names) > 1 else None, names[-1])
        d, seg = mlp_backward(d, cache)
        grads.update({f"{k[0]}{int(k[1:]) + start}": g.astype(np.float32) for k, g in seg.items()})
    return d, grads


@pytest.mark.parametrize("answer", [right_recompute, recompute_with_public_functions])
def test_right_recompute_answers_pass_without_hints(answer):
    feedback = check_backward_with_recompute(answer)
    assert feedback and feedback.hints == ()


@pytest.mark.parametrize(("answer", "hint"), [
    (recompute_with(lambda c, start: c[0], lambda dout, d: d), WRONG_CHECKPOINT),
    (recompute_with(lambda c, start: c[start], lambda dout, d: dout), D_NOT_CHAINED),
])
def test_each_recompute_slip_gets_exactly_its_hint(answer, hint):
    feedback = check_backward_with_recompute(answer)
    assert not feedback and feedback.hints == (hint,)


def test_recompute_answers_with_a_fixed_segment_wrong_keys_or_mutation_fail():
    def fixed_segment(dout, checkpoints, params, activations, segment):
        return right_recompute(dout, checkpoints, params, activations, 2)

    def unshifted_keys(dout, checkpoints, params, activations, segment):
        d, grads = right_recompute(dout, checkpoints, params, activations, segment)
        return d, {f"{k[0]}{int(k[1:]) % segment + 1}": g for k, g in grads.items()}

    def mutating(dout, checkpoints, params, activations, segment):
        result = right_recompute(dout, checkpoints, params, activations, segment)
        dout[...] = 0
        return result

    for answer in (fixed_segment, unshifted_keys, mutating):
        assert not check_backward_with_recompute(answer), answer.__name__


def test_unfilled_recompute_stub_gives_one_friendly_line():
    def stub(dout, checkpoints, params, activations, segment):
        raise NotImplementedError

    assert check_backward_with_recompute(stub).lines == (NOT_DONE.format(what="backward_with_recompute(dout, checkpoints, params, activations, segment)"),)
