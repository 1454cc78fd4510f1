"""Checkers for notebook 09's exercises: the checkpointed backward pass, loss scaling in float16, the sparse embedding gradient."""
import numpy as np

from ..checkpointing import checkpointed_backward, checkpointed_forward, recompute_segment, segment_starts
from ..embedding import embedding_backward, embedding_forward
from ..mixed_precision import Float16Backward, float16_gradients
from ..network import backward_unchecked, init_mlp
from .core import Case, check_function

REPEAT_LAST = "a token that appears more than once needs the SUM of all its rows of dout; assigning (values[where] = dout) keeps only the last one: accumulate with np.add.at"
REPEAT_FIRST = "a token that appears more than once needs the SUM of all its rows of dout, not only its first one: accumulate with np.add.at"
REPEAT_MEAN = "the gradient of a repeated token is the sum of its rows of dout, not their mean"
UNIQUE_ROWS = "rows lists each token used once, sorted: np.unique(tokens)"


def _embedding_slips(dout, tokens):
    """What the classic mistakes give for ``values`` (rows as np.unique(tokens))."""
    flat_tokens, flat_dout = tokens.ravel(), dout.reshape(-1, dout.shape[-1])
    rows, where, counts = np.unique(flat_tokens, return_inverse=True, return_counts=True)
    last = np.zeros((rows.size, flat_dout.shape[1]))
    last[where] = flat_dout  # fancy assignment: the last occurrence wins
    first = np.zeros_like(last)
    first[where[::-1]] = flat_dout[::-1]
    total = np.zeros_like(last)
    np.add.at(total, where, flat_dout)
    return {REPEAT_LAST: last, REPEAT_FIRST: first, REPEAT_MEAN: total / counts[:, None]}


EMBEDDING_CASES = (
    ("8 tokens, D = 3, token 4 three times", (8,), 3, 10, [4, 1, 4, 7, 0, 4, 9, 1]),
    ("a batch of 2 sequences of 5 tokens, D = 2", (2, 5), 2, 6, [[0, 5, 5, 2, 0], [3, 5, 1, 0, 2]]),
    ("batch 1: a single token, D = 4", (1,), 4, 1000, [731]),
    ("6 copies of one token, D = 1", (6,), 1, 3, [2, 2, 2, 2, 2, 2]),
)
"""``(label, tokens' shape, D, vocabulary size, tokens)`` of the cases the embedding checker tries."""


def embedding_cases(seed=9):
    """The checker's cases for ``embedding_grad(dout, tokens) -> (rows, values)``."""
    rng = np.random.default_rng(seed)
    cases = []
    for label, shape, d, vocab, tokens in EMBEDDING_CASES:
        tokens = np.array(tokens, dtype=np.int64).reshape(shape)
        table = rng.normal(size=(vocab, d))
        _, cache = embedding_forward(tokens, table)
        dout = rng.normal(size=shape + (d,))
        grad = embedding_backward(dout, cache)
        cases.append(Case(label, (dout, tokens), {"rows": grad.rows, "values": grad.values}, {"values": _embedding_slips(dout, tokens)}))
    return cases


def check_embedding_grad(embedding_grad):
    """Check a student's ``embedding_grad(dout, tokens) -> (rows, values)``: the used rows and their summed gradients."""
    return check_function(embedding_grad, embedding_cases(), "embedding_grad(dout, tokens)")


SCALE_NOT_UNDONE = "the gradients still carry the loss scale: divide them by scale (in float32) after the float16 backward pass"
SCALE_SQUARED = "the scale was undone twice (or applied twice): multiply dout by scale once, divide the gradients by scale once"
NOT_SCALED = "without scaling dout first, the small float16 gradients underflow to 0: multiply dout by scale before the float16 backward pass"

SCALING_CASES = (
    ("2 → 4 → 3 tanh net, 5 examples, scale 2**10", (2, 4, 3), 5, 2.0**10, 1e-6),
    ("4 → 8 → 2 tanh net, batch 1, scale 2**14", (4, 8, 2), 1, 2.0**14, 3e-6),
    ("3 → 6 → 5 → 4 tanh net, 16 examples, scale 2**9", (3, 6, 5, 4), 16, 2.0**9, 2e-6),
)
"""``(label, layer sizes, N, scale, size of dout)``: each dout is tiny, so unscaled float16 would lose part of it."""


def scaling_cases(seed=11):
    """The checker's cases for ``scaled_grads(backward16, dout, scale) -> grads`` (every gradient compared as one vector)."""
    rng = np.random.default_rng(seed)
    cases = []
    for label, sizes, n, scale, size in SCALING_CASES:
        params = init_mlp(sizes, rng)
        x = rng.normal(size=(n, sizes[0]))
        dout = size * rng.normal(size=(n, sizes[-1]))
        activations = ("tanh",) * (len(sizes) - 2) + (None,)
        backward16 = Float16Backward(x, params, activations)
        right = _flat(float16_gradients(x, params, activations, dout, scale))
        unscaled = _flat(float16_gradients(x, params, activations, dout, 1.0))
        slips = {SCALE_NOT_UNDONE: right * np.float32(scale), SCALE_SQUARED: right / np.float32(scale), NOT_SCALED: unscaled}
        cases.append(Case(label, (backward16, dout, scale), {"grads": right}, {"grads": slips}))
    return cases


def check_scaled_grads(scaled_grads):
    """Check a student's ``scaled_grads(backward16, dout, scale) -> dict`` of float32 gradients with loss scaling."""
    if not callable(scaled_grads):
        return check_function(scaled_grads, [], "scaled_grads(backward16, dout, scale)")

    def flat(backward16, dout, scale):  # all of the dict in one vector: one verdict, one hint
        grads = scaled_grads(backward16, dout, scale)
        if not isinstance(grads, dict) or sorted(grads) != sorted(backward16.params):
            raise TypeError(f"return a dict with the keys {list(backward16.params)}; got {type(grads).__name__}")
        return _flat(grads)

    return check_function(flat, scaling_cases(), "scaled_grads(backward16, dout, scale)")




WRONG_CHECKPOINT = "recompute each segment from the checkpoint that ENTERS it, checkpoints[start] (a^[start]); you recomputed from x every time"
D_NOT_CHAINED = "the upstream gradient must flow from segment to segment: feed each segment the d that the segment above returned, not dout again"

RECOMPUTE_CASES = (
    ("5 tanh layers of width 3, k = 2 (the last segment is shorter), N = 4", 5, 3, 4, 2, "tanh"),
    ("6 ReLU layers of width 4, k = 3, batch 1", 6, 4, 1, 3, "relu"),
    ("4 sigmoid layers of width 2, k = 1, N = 3", 4, 2, 3, 1, "sigmoid"),
    ("3 tanh layers of width 5, k = 3 (one segment), N = 2", 3, 5, 2, 3, "tanh"),
)
"""``(label, depth, width, N, k, activation)`` of the cases the recompute checker tries."""


def _checkpointed_slips(dout, checkpoints, params, activations, segment):
    """What the classic mistakes give for ``dx`` and the grads (as one vector): segments recomputed from x; d not chained."""
    depth = len(activations)
    results = {}
    for hint in (WRONG_CHECKPOINT, D_NOT_CHAINED):
        grads, d = {}, dout
        for start in reversed(segment_starts(depth, segment)):
            entering = checkpoints[0] if hint == WRONG_CHECKPOINT else checkpoints[start]
            _, cache = recompute_segment(entering, params, activations, start, min(start + segment, depth))
            d, seg = backward_unchecked(dout if hint == D_NOT_CHAINED else d, cache, True)
            grads.update({f"{k[0]}{int(k[1:]) + start}": g for k, g in seg.items()})
        results[hint] = _together(d, grads)
    return results


def _together(dx, grads):
    return np.concatenate([np.ravel(dx), _flat(grads)])


def recompute_cases(seed=13):
    """The checker's cases for ``backward_with_recompute(dout, checkpoints, params, activations, segment)``."""
    rng = np.random.default_rng(seed)
    cases = []
    for label, depth, width, n, segment, activation in RECOMPUTE_CASES:
        params = init_mlp([width] * (depth + 1), rng)
        x, dout = rng.normal(size=(n, width)), rng.normal(size=(n, width))
        _, cache = checkpointed_forward(x, params, activation, segment=segment)
        dx, grads = checkpointed_backward(dout, cache)
        args = (dout, cache.checkpoints, params, cache.activations, segment)
        cases.append(Case(label, args, {"dx and grads": _together(dx, grads)}, {"dx and grads": _checkpointed_slips(*args)}))
    return cases


def check_backward_with_recompute(backward_with_recompute):
    """Check a student's checkpointed backward pass: ``(dout, checkpoints, params, activations, segment) -> (dx, grads)``."""
    signature = "backward_with_recompute(dout, checkpoints, params, activations, segment)"
    if not callable(backward_with_recompute):
        return check_function(backward_with_recompute, [], signature)

    def together(dout, checkpoints, params, activations, segment):  # dx and grads as one vector: one verdict, one hint
        result = backward_with_recompute(dout, dict(checkpoints), params, activations, segment)
        if not isinstance(result, tuple) or len(result) != 2 or not isinstance(result[1], dict) or sorted(result[1]) != sorted(params):
            raise TypeError(f"return (dx, grads) with grads a dict with the keys of params, {list(params)}")
        if np.shape(result[0]) != np.shape(dout):
            raise TypeError(f"dx must have the shape of x, {np.shape(dout)}; got {np.shape(result[0])}")
        return _together(*result)

    return check_function(together, recompute_cases(), signature)


def _flat(grads):
    return np.concatenate([np.ravel(grads[k]) for k in sorted(grads)])
