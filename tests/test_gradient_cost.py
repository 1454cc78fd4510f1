"""Finite differences, forward mode and reverse mode give one gradient, at 2P, P and 2 passes."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from helpers.gradient_cost import (
    gradient_by_finite_differences, gradient_by_forward_mode, gradient_by_reverse_mode, mlp_jvp,
)
from helpers.gradcheck import relative_error
from helpers.losses import mse
from helpers.network import init_mlp, mlp_forward


@settings(max_examples=10, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), depth=st.integers(1, 3), n=st.integers(1, 4), activation=st.sampled_from(["tanh", "sigmoid", None]))
def test_three_ways_give_one_gradient_at_their_pass_counts(seed, depth, n, activation):
    rng = np.random.default_rng(seed)
    sizes = list(rng.integers(1, 4, size=depth + 1))
    params = init_mlp(sizes, rng, scale=1.0)
    x, t = rng.normal(size=(n, sizes[0])), rng.normal(size=(n, sizes[-1]))
    n_params = sum(v.size for v in params.values())
    fd, fd_passes = gradient_by_finite_differences(x, t, params, activation, mse)
    fm, fm_passes = gradient_by_forward_mode(x, t, params, activation, mse)
    rm, rm_passes = gradient_by_reverse_mode(x, t, params, activation, mse)
    assert (fd_passes, fm_passes, rm_passes) == (2 * n_params, n_params, 2)
    for key in params:
        assert relative_error(fm[key], rm[key]) < 1e-12
        assert relative_error(fd[key], rm[key]) < 1e-7


def test_jvp_is_the_directional_derivative():
    rng = np.random.default_rng(0)
    params = init_mlp([3, 4, 2], rng)
    x = rng.normal(size=(5, 3))
    tangent = {k: rng.normal(size=v.shape) for k, v in params.items()}
    out, dout = mlp_jvp(x, params, "tanh", tangent)
    h = 1e-6
    plus = mlp_forward(x, {k: v + h * tangent[k] for k, v in params.items()}, "tanh")[0]
    minus = mlp_forward(x, {k: v - h * tangent[k] for k, v in params.items()}, "tanh")[0]
    assert np.array_equal(out, mlp_forward(x, params, "tanh")[0])
    assert relative_error(dout, (plus - minus) / (2 * h)) < 1e-8


def test_jvp_names_a_bad_tangent():
    params = init_mlp([1, 1], np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"tangent must be a dict with the keys of params, \['W1', 'b1'\]"):
        mlp_jvp(np.ones((1, 1)), params, None, {"W1": np.ones((1, 1))})
