"""A memory task for recurrent nets, trained from scratch for several seeds at once.

The task (recall): each sequence has length T; its first input is a sign
``v ∈ {−1, +1}``, the other T − 1 inputs are distractors drawn uniformly from
``[−1, 1]``. After the last step the net must say which sign came first:
``logit = h_T · w + c``, binary cross-entropy against ``t = (v > 0)``. Chance is
50 %; a net that remembers gets 100 %. Nothing but the first step carries the
answer, so the gradient must travel T − 1 steps back to it.

Several seeds train *together* as one net whose recurrent weights are
block-diagonal, one H×H block (per gate) for each seed, with the gradients
masked to the blocks: every seed's net sees the same batches and is updated by
the same Adam rule (elementwise), so each block follows exactly the run the seed
would have alone (tested), at the cost of one run, because at these sizes numpy
spends its time per call, not per number.
"""
from typing import NamedTuple

import numpy as np


from .clipping import clip_by_global_norm, global_norm
from .optimizers import SGD, Adam
from .recurrent import FAST, check_cell, init_cell, sigmoid
from .validation import check_positive

GATES = {"rnn": 1, "lstm": 4, "gru": 3}
"""How many H-wide blocks each cell's weight matrices have."""

SUCCESS = 0.9
"""A run succeeds when it recalls the first sign of at least 90 % of fresh test sequences."""


class MemoryRun(NamedTuple):
    """Per seed: the training loss at every step (steps, S) and the test accuracy (S,; NaN after an overflow);
    the gradient's global norm before clipping at every step (steps,), the step at which the loss, a gradient
    or a parameter became inf or NaN (None if never; NaN entries after it), and the trained stacked params."""

    losses: np.ndarray
    accuracy: np.ndarray
    grad_norms: np.ndarray
    overflow_at: object
    params: dict


def recall_task(n, T, rng):
    """``n`` sequences of length ``T`` (inputs (n, T, 1)) and their targets ``t`` (n,): the sign at step 0, as 0 or 1.

    Examples
    --------
    >>> x, t = recall_task(3, 4, np.random.default_rng(0))
    >>> x.shape, bool(np.all((x[:, 0, 0] > 0) == (t == 1)))
    ((3, 4, 1), True)
    """
    n, T = check_positive(n, "n", integer=True), check_positive(T, "T", integer=True)
    v = rng.choice([-1.0, 1.0], size=n)
    x = rng.uniform(-1.0, 1.0, size=(n, T, 1))
    x[:, 0, 0] = v
    return x, (v > 0).astype(float)


def stacked_init(cell, hidden, seeds, *, keep_bias=None, spectral_radius=None):
    """One net holding ``len(seeds)`` independent nets of ``hidden`` units: ``(params, masks)``.

    Seed s's net is ``init_cell(cell, 1, hidden, default_rng(s))`` plus a readout ``w``
    (normal, std 1/√H) and ``c = 0``; its units are ``s·H … (s+1)·H − 1`` of every gate
    block. ``masks`` (same keys) is 1 inside the blocks and 0 between them. ``keep_bias``
    (LSTM forget gate, GRU update gate; see ``init_cell``) is one value, or one per seed.
    """
    cell = check_cell(cell)
    hidden = check_positive(hidden, "hidden", integer=True)
    gates, S, H = GATES[cell], len(seeds), hidden
    singles = []
    biases = keep_bias if isinstance(keep_bias, (tuple, list, np.ndarray)) else [keep_bias] * S
    if len(biases) != S:
        raise ValueError(f"keep_bias must be one value or one per seed ({S}); got {len(biases)}")
    for seed, bias in zip(seeds, biases):
        rng = np.random.default_rng(seed)
        p = init_cell(cell, 1, H, rng, keep_bias=bias, spectral_radius=spectral_radius)
        p["w"], p["c"] = rng.normal(0.0, 1 / np.sqrt(H), size=H), np.zeros(1)
        singles.append(p)
    params, masks = {}, {}
    for key in singles[0]:
        if key in ("w", "c"):
            params[key] = np.concatenate([p[key] for p in singles])
            masks[key] = np.ones_like(params[key])
            continue
        blocks = [np.split(p[key], gates, axis=-1) for p in singles]  # [seed][gate]
        if key in ("W_hh", "W_h"):
            stacked = [_block_diagonal([blocks[s][k] for s in range(S)]) for k in range(gates)]
            ones = [_block_diagonal([np.ones((H, H))] * S) for _ in range(gates)]
        else:  # input weights and biases: the seeds side by side within each gate
            stacked = [np.concatenate([blocks[s][k] for s in range(S)], axis=-1) for k in range(gates)]
            ones = [np.ones_like(block) for block in stacked]
        params[key], masks[key] = np.concatenate(stacked, axis=-1), np.concatenate(ones, axis=-1)
    return params, masks


def train_recall(cell, T, seeds=(0, 1, 2), *, hidden=8, steps=100, batch=64, lr=0.05, keep_bias=None, data_seed=0, test_size=512,
                 spectral_radius=None, optimizer="adam", clip=None):
    """Train ``cell`` on :func:`recall_task` of length ``T`` from scratch, one net per seed; returns a :class:`MemoryRun`.

    Adam with learning rate ``lr``, ``steps`` batches of ``batch`` fresh sequences
    (the same batches for every seed, drawn from ``data_seed``). ``keep_bias`` and
    ``spectral_radius``: see :func:`stacked_init` and ``init_cell``. ``optimizer="sgd"``
    uses plain gradient descent instead; ``clip`` clips the gradient by its global norm
    (one seed only: several seeds share one norm, which would couple them). Overflow
    is recorded in ``overflow_at``, not warned about; training stops there.

    Examples
    --------
    >>> run = train_recall("rnn", 3, seeds=(0, 1), steps=60)
    >>> run.losses.shape, bool(np.all(run.accuracy > SUCCESS))
    ((60, 2), True)
    """
    cell = check_cell(cell)
    T, steps = check_positive(T, "T", integer=True), check_positive(steps, "steps", integer=True)
    if clip is not None and len(seeds) != 1:
        raise ValueError(f"clip needs a single seed (one norm per net); got {len(seeds)} seeds")
    if optimizer not in ("adam", "sgd"):
        raise ValueError(f"optimizer must be 'adam' or 'sgd'; got {optimizer!r}")
    params, masks = stacked_init(cell, hidden, seeds, keep_bias=keep_bias, spectral_radius=spectral_radius)
    forward, backward = FAST[cell]
    rng, S = np.random.default_rng(data_seed), len(seeds)
    optimizer = Adam(lr) if optimizer == "adam" else SGD(lr)
    losses, norms, overflow_at = np.full((steps, S), np.nan), np.full(steps, np.nan), None
    core_keys = [key for key in params if key not in ("w", "c")]
    for step in range(steps):
        x, t = recall_task(batch, T, rng)
        with np.errstate(all="ignore"):
            grads = _gradients(forward, backward, params, core_keys, x, t, S, losses, step)
            norms[step] = np.nan if grads is None else global_norm(grads)
        if not np.isfinite(norms[step]):
            overflow_at = step
            break
        grads = {key: grads[key] * masks[key] for key in params}
        if clip is not None:
            grads, _ = clip_by_global_norm(grads, clip)
        with np.errstate(over="ignore", invalid="ignore"):  # a huge step may overflow: the next loss records it
            optimizer.step(params, grads)
        if not all(np.all(np.isfinite(p)) for p in params.values()):
            overflow_at = step
            break
    if overflow_at is not None:
        return MemoryRun(losses, np.full(S, np.nan), norms, overflow_at, params)
    x, t = recall_task(test_size, T, np.random.default_rng(data_seed + 1))
    with np.errstate(all="ignore"):
        h, _ = forward(x, {key: params[key] for key in core_keys})
        logits, _ = _readout(h, params, S)
    return MemoryRun(losses, np.mean((logits > 0) == (t[:, None] > 0), axis=0), norms, overflow_at, params)


def _gradients(forward, backward, params, core_keys, x, t, S, losses, step):
    """Every parameter's gradient for one batch (None when the loss is not finite); writes each seed's loss into ``losses[step]``."""
    batch = x.shape[0]
    h, cache = forward(x, {key: params[key] for key in core_keys})
    logits, h_last = _readout(h, params, S)
    p = sigmoid(logits)
    losses[step] = np.mean(np.logaddexp(0.0, logits) - t[:, None] * logits, axis=0)
    if not np.all(np.isfinite(losses[step])):
        return None
    dz = (p - t[:, None]) / batch  # (N, S): each seed's mean loss, summed over seeds
    w = params["w"].reshape(S, -1)
    dh = np.zeros_like(h)
    dh[:, -1] = (dz[:, :, None] * w).reshape(batch, -1)
    _, _, grads = backward(dh, cache)
    grads["w"] = np.sum(h_last * dz[:, :, None], axis=0).reshape(-1)
    grads["c"] = dz.sum(axis=0)
    return grads


def _readout(h, params, S):
    """Each seed's logit (N, S) from its own units of the last hidden state, and those units (N, S, H)."""
    h_last = h[:, -1].reshape(h.shape[0], S, -1)
    return np.einsum("nsh,sh->ns", h_last, params["w"].reshape(S, -1)) + params["c"], h_last


def _block_diagonal(blocks):
    n = sum(b.shape[0] for b in blocks)
    out, i, j = np.zeros((n, sum(b.shape[1] for b in blocks))), 0, 0
    for b in blocks:
        out[i : i + b.shape[0], j : j + b.shape[1]] = b
        i, j = i + b.shape[0], j + b.shape[1]
    return out


