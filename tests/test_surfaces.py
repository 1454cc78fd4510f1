"""Tests for helpers.surfaces and helpers.descent: gradients, the runner, steps to a threshold, the sweep."""
import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st
from hypothesis.extra import numpy as hnp
from raises import assert_raises_exactly

from helpers.datasets import neuron_data
from helpers.descent import BLOWUP, Trajectory, lr_sweep, minibatch_descent, run_optimizer, steps_to_threshold
from helpers.gradcheck import numerical_gradient, relative_error
from helpers.neuron import gradient_descent
from helpers.optimizers import SGD, Adam, Momentum, RMSProp
from helpers.surfaces import BOWL, BOWL_CURVATURES, ROSENBROCK, SURFACES, bowl, rosenbrock, surface_grid

FAST = settings(max_examples=30, deadline=None, derandomize=True, database=None)
points = hnp.arrays(np.float64, (2,), elements=st.floats(-3, 3))


def value_of(f, **kwargs):
    return lambda p: float(f(p, **kwargs)[0])


@FAST
@given(p=points, curvatures=hnp.arrays(np.float64, (2,), elements=st.floats(0.1, 100)))
def test_bowl_gradient_matches_central_differences(p, curvatures):
    grad = bowl(p, curvatures)[1]
    assume(np.linalg.norm(grad) > 1e-3)  # at the minimum a relative error means nothing
    numeric = numerical_gradient(value_of(bowl, curvatures=curvatures), p)
    assert relative_error(grad, numeric) < 1e-7


@FAST
@given(p=points, a=st.floats(-2, 2), b=st.floats(0.5, 100))
def test_rosenbrock_gradient_matches_central_differences(p, a, b):
    grad = rosenbrock(p, a, b)[1]
    assume(np.linalg.norm(grad) > 1e-3)
    numeric = numerical_gradient(value_of(rosenbrock, a=a, b=b), p)
    assert relative_error(grad, numeric) < 1e-7


@pytest.mark.parametrize("surface, public", [(BOWL, bowl), (ROSENBROCK, rosenbrock)], ids=["bowl", "rosenbrock"])
def test_each_surface_is_its_public_function_and_zero_at_its_minimum(surface, public):
    p = np.array([0.3, -0.7])
    value, grad = surface.f(p)
    assert value == public(p)[0] and np.array_equal(grad, public(p)[1])
    value, grad = surface.f(np.array(surface.minimum))
    assert value == 0.0 and np.all(grad == 0.0)
    assert surface.threshold > 0 and surface.f(np.array(surface.start))[0] > 100 * surface.threshold


def test_functions_take_grids_of_points():
    xs, ys, values = surface_grid(ROSENBROCK, resolution=7)
    assert values.shape == (7, 7)
    np.testing.assert_allclose(values[3, 2], rosenbrock([xs[3, 2], ys[3, 2]])[0])
    value, grad = bowl(np.ones((4, 3, 2)))
    assert value.shape == (4, 3) and grad.shape == (4, 3, 2)


def test_a_wrong_gradient_fails_the_check():
    """The check can fail: drop the factor 4 of Rosenbrock's x-derivative."""
    p = np.array([0.5, 1.5])
    x, y = p
    wrong = np.array([-2 * (1 - x) - 100 * x * (y - x * x), 200 * (y - x * x)])
    assert relative_error(wrong, numerical_gradient(value_of(rosenbrock), p)) > 1e-2


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: bowl([1.0, 2.0, 3.0]), ValueError, r"p must hold points \(x, y\), shape \(\.\.\., 2\); got shape \(3,\)"),
        (lambda: bowl(1.0), ValueError, r"p must hold points \(x, y\), shape \(\.\.\., 2\); got shape \(\)"),
        (lambda: bowl([1.0, np.nan]), ValueError, r"p must be finite; it contains NaN or inf"),
        (lambda: bowl([1.0, 2.0], curvatures=[1.0, -1.0]), ValueError, r"curvatures must be positive; got \[1\.0, -1\.0\]"),
        (lambda: bowl([1.0, 2.0], curvatures=[1.0]), ValueError, r"curvatures must have shape \(2,\); got shape \(1,\)"),
        (lambda: rosenbrock([1.0, 2.0], b=0.0), ValueError, r"b must be positive; got 0\.0"),
        (lambda: surface_grid("valley"), ValueError, r"surface must be a Surface or one of \['bowl', 'rosenbrock'\]; got 'valley'"),
        (lambda: surface_grid(BOWL, bounds=(1, 0, 0, 1)), ValueError, r"bounds must be \(x_lo, x_hi, y_lo, y_hi\) with lo < hi; got \(1, 0, 0, 1\)"),
    ],
)
def test_bad_input_names_the_argument(call, error, message):
    assert_raises_exactly(call, error, message)


# --- the runner: only the optimizers' own step ------------------------------------------


@pytest.mark.parametrize("make", [lambda: SGD(1e-3), lambda: Momentum(1e-3, 0.8), lambda: RMSProp(0.05), lambda: Adam(0.1)], ids=["SGD", "Momentum", "RMSProp", "Adam"])
def test_runner_takes_exactly_the_optimizers_steps(make):
    run = run_optimizer("rosenbrock", make(), (-1.0, 1.5), 25)
    params, optimizer = {"p": np.array([-1.0, 1.5])}, make()
    expected = [params["p"].copy()]
    for _ in range(25):
        optimizer.step(params, {"p": rosenbrock(params["p"])[1]})
        expected.append(params["p"].copy())
    np.testing.assert_array_equal(run.points, np.array(expected))
    np.testing.assert_array_equal(run.losses, rosenbrock(np.array(expected))[0])
    assert run.diverged_at is None and run.label == type(optimizer).__name__


def test_plain_descent_on_the_bowl_shrinks_each_coordinate_by_one_minus_lr_lambda():
    lr, steps = 0.015, 40
    run = run_optimizer(BOWL, SGD(lr), BOWL.start, steps)
    k = np.arange(steps + 1)[:, None]
    np.testing.assert_allclose(run.points, np.array(BOWL.start) * (1 - lr * np.array(BOWL_CURVATURES)) ** k, rtol=1e-12)


def test_a_diverging_run_stops_before_the_blowup_and_says_when():
    lr = 2.5 / BOWL_CURVATURES[1]  # above 2/λ_max: the y coordinate grows by |1 − 2.5| = 1.5 a step
    run = run_optimizer("bowl", SGD(lr), (0.0, 1.0), 200)
    assert run.diverged_at is not None and len(run.points) == run.diverged_at == len(run.losses)
    assert np.all(np.isfinite(run.points)) and run.losses.max() <= BLOWUP * run.losses[0]
    assert 1.5 ** (2 * run.diverged_at) > BLOWUP > 1.5 ** (2 * (run.diverged_at - 1))


def test_a_run_that_overflows_is_cut_without_a_warning():
    run = run_optimizer("rosenbrock", SGD(1.0), (3.0, -3.0), 50)  # warnings are errors in this suite
    assert run.diverged_at == 1 and run.points.shape == (1, 2)


def test_steps_to_threshold():
    run = Trajectory(np.zeros((4, 2)), np.array([5.0, 2.0, 0.5, 0.1]), None, "x")
    assert steps_to_threshold(run, 0.5) == 2 and steps_to_threshold(run, 5.0) == 0 and steps_to_threshold(run, 0.01) is None


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: run_optimizer("bowl", "adam", (0, 0), 5), TypeError, r"optimizer must be an optimizer from helpers\.optimizers, e\.g\. SGD\(lr=0\.01\); got str"),
        (lambda: run_optimizer("bowl", SGD(0.1), (0, 0, 0), 5), ValueError, r"start must have shape \(2,\); got shape \(3,\)"),
        (lambda: run_optimizer("bowl", SGD(0.1), (0, 0), 0), ValueError, r"steps must be positive; got 0"),
        (lambda: run_optimizer("saddle", SGD(0.1), (0, 0), 5), ValueError, r"surface must be a Surface or one of \['bowl', 'rosenbrock'\]; got 'saddle'"),
        (lambda: run_optimizer("rosenbrock", SGD(0.1), (1e100, 0), 5), ValueError, r"start must be where the loss is finite; at \(1e\+100, 0\.0\) it overflows"),
        (lambda: steps_to_threshold([1.0], 0.1), TypeError, r"run must be a Trajectory from run_optimizer; got list"),
        (lambda: steps_to_threshold(run_optimizer("bowl", SGD(0.1), (1, 0), 2), -1.0), ValueError, r"threshold must be positive; got -1\.0"),
        (lambda: lr_sweep("bowl", SGD, [0.1, -0.1], (1, 0), 5, 0.1), ValueError, r"lrs must be positive; got -0\.1"),
        (lambda: lr_sweep("bowl", "SGD", [0.1], (1, 0), 5, 0.1), TypeError, r"make_optimizer must be a function lr -> optimizer, e\.g\. SGD; got str"),
    ],
)
def test_runner_bad_input_names_the_argument(call, error, message):
    assert_raises_exactly(call, error, message)


def test_a_used_optimizer_is_refused():
    opt = SGD(0.01)
    run_optimizer("bowl", opt, (1.0, 1.0), 2)
    with pytest.raises(ValueError, match="already taken steps"):
        run_optimizer("bowl", opt, (1.0, 1.0), 2)


# --- the sweep: the best stable rate, and the theory 2/λ_max ----------------------------


def test_plain_descents_best_rate_is_below_two_over_lambda_max_and_the_next_diverges():
    lrs = np.logspace(-4, 0, 17)
    sweep = lr_sweep(BOWL, SGD, lrs, BOWL.start, 1000, BOWL.threshold)
    limit = 2 / BOWL_CURVATURES[1]
    assert sweep.best_lr < limit and sweep.best_steps == min(n for n in sweep.steps if n is not None)
    assert all(d == (lr > limit) for lr, d in zip(sweep.lrs, sweep.diverged))
    # The theory's best rate 2 / (λ₁ + λ₂) converges at (κ − 1) / (κ + 1) a step; the grid's best is near it.
    assert abs(np.log10(sweep.best_lr / (2 / sum(BOWL_CURVATURES)))) < 0.25


def test_sweep_with_no_rate_reaching_the_threshold():
    sweep = lr_sweep("bowl", SGD, [1e-4, 1e-3], BOWL.start, 5, BOWL.threshold)
    assert sweep.best_lr is None and sweep.best_steps is None and sweep.steps == [None, None]


# --- mini-batches: the neuron's descent, batch by batch ---------------------------------


def test_full_batch_is_notebook_01s_gradient_descent():
    x, t = neuron_data(12, np.random.default_rng(0))
    run = minibatch_descent(x, t, 12, lr=2.0, epochs=5, rng=np.random.default_rng(1))
    reference = gradient_descent(x, t, 0.0, 0.0, lr=2.0, steps=5)
    np.testing.assert_allclose(run.w, reference.w, rtol=1e-12)
    np.testing.assert_allclose(run.loss, reference.loss, rtol=1e-12)
    assert run.examples.tolist() == [0, 12, 24, 36, 48, 60]


def test_smaller_batches_take_more_steps_for_the_same_examples():
    x, t = neuron_data(10, np.random.default_rng(0))
    run = minibatch_descent(x, t, 4, lr=1.0, epochs=2, rng=np.random.default_rng(1))  # batches 4, 4, 2
    assert run.examples.tolist() == [0, 4, 8, 10, 14, 18, 20] and run.loss.shape == (7,)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"batch_size": 0}, ValueError, r"batch_size must be positive; got 0"),
        ({"batch_size": 11}, ValueError, r"batch_size must be at most the number of examples, 10; got 11"),
        ({"epochs": 1.5}, TypeError, r"epochs must be a positive integer; got float"),
        ({"rng": 0}, TypeError, r"rng must be a numpy.random.Generator, e.g. np.random.default_rng\(0\); got int"),
    ],
)
def test_minibatch_bad_input(kwargs, error, message):
    x, t = neuron_data(10, np.random.default_rng(0))
    args = {"batch_size": 2, "lr": 1.0, "epochs": 1, "rng": np.random.default_rng(0), **kwargs}
    assert_raises_exactly(lambda: minibatch_descent(x, t, **args), error, message)


def test_surfaces_registry():
    assert set(SURFACES) == {"bowl", "rosenbrock"} and SURFACES["bowl"] is BOWL
