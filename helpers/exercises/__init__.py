"""Checkers for the "your turn" exercises: instant, specific feedback.

A checker prints one line per quantity (✓, or ✗ with the relative error and a
hint when the answer matches a classic slip) and returns a :class:`Feedback`
that is truthy only when everything is right, so the notebook cell reads
``assert check_...(...)``. One module per notebook topic; each is imported here.

Exercise cells follow one convention, so a tool can make the student copy:
the solution cell carries the tag ``solution`` and its answer sits between the
lines ``# BEGIN SOLUTION`` and ``# END SOLUTION``; the cell that calls the
checker carries the tag ``check``.
"""
from .core import Feedback, compare, report
from .neuron import CHAIN_EXERCISE, check_chain_factors, check_neuron_gradients
from .graphs import FAN_OUT_EXERCISE, check_fan_out, check_operation, check_softplus
from .losses import check_bce_gradient, check_softmax_gradient
from .optimizers import ADAM_EXERCISE, MOMENTUM_EXERCISE, check_adam_step, check_momentum_step
from .layers import batch_exercise, check_batch_gradients, check_dense_backward, check_planted_bug, planted_bug_backward
from .keras import TRAINING_EXERCISE, check_per_sample_training
from .deep import batchnorm_case, check_batchnorm_backward, check_relu_init
from .scale import check_backward_with_recompute, check_embedding_grad, check_scaled_grads

__all__ = [
    "Feedback", "compare", "report",
    "CHAIN_EXERCISE", "check_chain_factors", "check_neuron_gradients",
    "FAN_OUT_EXERCISE", "check_fan_out", "check_operation", "check_softplus",
    "check_bce_gradient", "check_softmax_gradient",
    "ADAM_EXERCISE", "MOMENTUM_EXERCISE", "check_adam_step", "check_momentum_step",
    "batch_exercise", "check_batch_gradients", "check_dense_backward", "check_planted_bug", "planted_bug_backward",
    "TRAINING_EXERCISE", "check_per_sample_training",
    "batchnorm_case", "check_batchnorm_backward", "check_relu_init",
    "check_backward_with_recompute", "check_embedding_grad", "check_scaled_grads",
]
