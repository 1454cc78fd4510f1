"""Checkers for the "your turn" exercises: instant, specific feedback.

A checker prints one line per case or quantity (✓, or ✗ saying what is wrong
and, when a classic slip explains it, a hint) and returns a :class:`Feedback`
that is truthy only when everything is right; the notebook's check cell calls
it without ``assert`` (a failed check prints ✗ lines, never a traceback). Every
checker is built from :mod:`.core`. One module per notebook topic; each is
imported here.

Exercise cells follow one convention, so a tool can make the student copy:
the solution cell carries the tag ``solution`` and its answer sits between the
lines ``# BEGIN SOLUTION`` and ``# END SOLUTION`` (at the top of a cell, the
names to fill in are set to ``...`` above that block); the cell that calls the
checker carries the tag ``check``.
"""
from .core import Feedback, compare, report
from .neuron import CHAIN_EXERCISE, check_chain_factors, check_neuron_gradients, check_tanh_gradients
from .graphs import FAN_OUT_EXERCISE, check_backward, check_fan_out, check_operation, check_softplus
from .losses import check_bce_gradient, check_softmax_gradient
from .optimizers import check_adam_step, check_momentum_step
from .layers import batch_exercise, check_backward_loop, check_batch_gradients, check_dense_backward, check_planted_bug, planted_bug_backward
from .keras import check_training_loop
from .deep import batchnorm_case, check_batchnorm_backward, check_clip_by_global_norm, check_leaky_relu_init
from .recurrent import check_bptt, check_lstm_cell_backward, check_rnn_step_backward
from .scale import check_backward_with_recompute, check_embedding_grad, check_scaled_grads

__all__ = [
    "Feedback", "compare", "report",
    "CHAIN_EXERCISE", "check_chain_factors", "check_neuron_gradients", "check_tanh_gradients",
    "FAN_OUT_EXERCISE", "check_backward", "check_fan_out", "check_operation", "check_softplus",
    "check_bce_gradient", "check_softmax_gradient",
    "check_adam_step", "check_momentum_step",
    "batch_exercise", "check_backward_loop", "check_batch_gradients", "check_dense_backward", "check_planted_bug", "planted_bug_backward",
    "check_training_loop",
    "batchnorm_case", "check_batchnorm_backward", "check_clip_by_global_norm", "check_leaky_relu_init",
    "check_bptt", "check_lstm_cell_backward", "check_rnn_step_backward",
    "check_backward_with_recompute", "check_embedding_grad", "check_scaled_grads",
]
