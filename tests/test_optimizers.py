"""Tests for helpers.optimizers: hand-computed steps, the shared dict interface, bad hyperparameters."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from helpers.optimizers import SGD, Adam, Momentum, Optimizer, RMSProp

OPTIMIZERS = [SGD(0.1), Momentum(0.1), RMSProp(0.1), Adam(0.1)]
FAST = settings(max_examples=25, deadline=None, derandomize=True, database=None)


def fresh(optimizer):
    """A new optimizer of the same kind and hyperparameters, with no state."""
    hyper = {k: v for k, v in vars(optimizer).items() if k not in ("state", "t") and not k.startswith("_")}
    return type(optimizer)(**hyper)


def run(optimizer, p0, gradients):
    """Apply the gradients one step each to a copy of p0; return the parameter after each step."""
    params = {"w": np.array(p0, dtype=float)}
    history = []
    for g in gradients:
        optimizer.step(params, {"w": np.array(g, dtype=float)})
        history.append(params["w"].copy())
    return history


# --- each update rule against numbers worked out by hand --------------------------------


def test_sgd_steps_against_the_gradient():
    p1, p2 = run(SGD(lr=0.1), [1.0, -2.0], [[0.5, 1.0], [0.5, 1.0]])
    np.testing.assert_allclose(p1, [1.0 - 0.05, -2.0 - 0.1], rtol=1e-15)
    np.testing.assert_allclose(p2, [0.9, -2.2], rtol=1e-15)


def test_momentum_two_steps():
    opt = Momentum(lr=0.1, beta=0.9)
    p1, p2 = run(opt, [1.0], [[1.0], [0.5]])
    # v1 = −0.1 · 1 = −0.1, p1 = 0.9;  v2 = 0.9 · (−0.1) − 0.1 · 0.5 = −0.14, p2 = 0.76
    assert p1[0] == pytest.approx(0.9, rel=1e-14)
    assert p2[0] == pytest.approx(0.76, rel=1e-14)
    assert opt.state["w"][0][0] == pytest.approx(-0.14, rel=1e-14)


def test_rmsprop_two_steps():
    opt = RMSProp(lr=0.1, beta=0.9, eps=1e-8)
    p1, p2 = run(opt, [1.0], [[2.0], [-1.0]])
    # s1 = 0.1 · 2² = 0.4, p1 = 1 − 0.1 · 2 / (√0.4 + 1e-8) = 1 − 0.31622776… = 0.68377224
    assert p1[0] == pytest.approx(0.683772238983162, rel=1e-12)
    # s2 = 0.9 · 0.4 + 0.1 · 1 = 0.46, p2 = p1 + 0.1 / (√0.46 + 1e-8) = p1 + 0.14744196 = 0.83121419
    assert opt.state["w"][0][0] == pytest.approx(np.sqrt(0.46), rel=1e-14)  # the state is √s
    assert p2[0] == pytest.approx(0.8312141929641461, rel=1e-12)


def test_adam_two_steps_with_bias_correction():
    opt = Adam(lr=0.1)  # β1 = 0.9, β2 = 0.999, ε = 1e-7
    p1, p2 = run(opt, [1.0], [[0.5], [-1.0]])
    # t = 1: m = 0.1 · 0.5 = 0.05, v = 0.001 · 0.25 = 0.00025
    #        m̂ = 0.05 / (1 − 0.9) = 0.5, v̂ = 0.00025 / (1 − 0.999) = 0.25: exactly g and g²,
    #        so p1 = 1 − 0.1 · 0.5 / (0.5 + 1e-7) = 0.90000002 (a step of lr, whatever |g|).
    #        Without the correction the step would be 0.1 · 0.05 / √0.00025 = 0.316.
    assert p1[0] == pytest.approx(0.90000002, rel=1e-12)
    # t = 2: m = 0.9 · 0.05 + 0.1 · (−1) = −0.055, v = 0.999 · 0.00025 + 0.001 · 1 = 0.00124975
    #        m̂ = −0.055 / (1 − 0.81) = −0.28947368, v̂ = 0.00124975 / (1 − 0.998001) = 0.62518759
    #        p2 = p1 + 0.1 · 0.28947368 / (√0.62518759 + 1e-7) = p1 + 0.03661035 = 0.93661037
    m, root_v = opt.state["w"]
    assert m[0] == pytest.approx(-0.055, rel=1e-12)
    assert root_v[0] ** 2 == pytest.approx(0.00124975, rel=1e-12)  # the state is √v
    assert opt.t == 2
    assert p2[0] == pytest.approx(0.9366103680733917, rel=1e-12)


def test_adam_defaults_are_keras_defaults():
    opt = Adam()
    assert (opt.lr, opt.beta1, opt.beta2, opt.eps) == (0.001, 0.9, 0.999, 1e-7)


def test_momentum_and_rmsprop_defaults():
    momentum, rmsprop = Momentum(0.1), RMSProp(0.1)
    assert momentum.beta == 0.9 and (rmsprop.beta, rmsprop.eps) == (0.9, 1e-8)
    assert Momentum(0.1, beta=0.0).beta == 0.0 and momentum.state == {}  # no memory is allowed; no state before a step


@FAST
@given(lr=st.floats(1e-4, 1.0), g=hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(-1e3, 1e3).filter(lambda v: abs(v) > 1e-3)))
def test_adam_first_step_is_lr_in_every_entry(lr, g):
    """Bias correction makes m̂ = g and v̂ = g² at t = 1: each entry moves lr · |g| / (|g| + ε) ≈ lr."""
    params = {"w": np.zeros_like(g)}
    Adam(lr).step(params, {"w": g})
    np.testing.assert_allclose(params["w"], -lr * g / (np.abs(g) + 1e-7), rtol=1e-12)


# --- one interface over dicts of arrays ----------------------------------------------------


@pytest.mark.parametrize("optimizer", OPTIMIZERS, ids=lambda o: type(o).__name__)
def test_step_updates_every_key_in_place_and_never_touches_grads(optimizer):
    optimizer = fresh(optimizer)
    rng = np.random.default_rng(0)
    params = {"gamma": np.array(1.5), "weights": rng.normal(size=(2, 3)), "bias": np.zeros(3)}
    grads = {k: rng.normal(size=v.shape) for k, v in params.items()}
    arrays, before, grads_before = dict(params), {k: v.copy() for k, v in params.items()}, {k: v.copy() for k, v in grads.items()}
    assert optimizer.step(params, grads) is None
    for key in params:
        assert params[key] is arrays[key]  # the same array, updated in place
        assert not np.allclose(params[key], before[key]), key
        np.testing.assert_array_equal(grads[key], grads_before[key])
    assert optimizer.state.keys() == params.keys()  # the state is keyed by the params' keys
    for key, slots in optimizer.state.items():
        assert len(slots) == optimizer.n_slots and all(s.shape == params[key].shape for s in slots)


keys = st.lists(st.text(min_size=1, max_size=5), min_size=1, max_size=4, unique=True)


@pytest.mark.parametrize("optimizer", OPTIMIZERS, ids=lambda o: type(o).__name__)
@FAST
@given(names=keys, data=st.data())
def test_each_key_is_updated_as_if_it_were_alone(optimizer, names, data):
    """Any keys, any shapes: the joint step over a dict equals separate steps key by key."""
    values = st.floats(-10, 10)
    params = {k: data.draw(hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=2, max_side=3), elements=values)) for k in names}
    grad_steps = [{k: data.draw(hnp.arrays(np.float64, p.shape, elements=values)) for k, p in params.items()} for _ in range(3)]
    joint, together = {k: v.copy() for k, v in params.items()}, fresh(optimizer)
    for grads in grad_steps:
        together.step(joint, grads)
    for key in names:
        alone, single = {key: params[key].copy()}, fresh(optimizer)
        for grads in grad_steps:
            single.step(alone, {key: grads[key]})
        np.testing.assert_array_equal(joint[key], alone[key])


@pytest.mark.parametrize("optimizer", OPTIMIZERS, ids=lambda o: type(o).__name__)
def test_float32_params_and_state_stay_float32(optimizer):
    p32, p64 = {"w": np.array([1.0, -1.0], np.float32)}, {"w": np.array([1.0, -1.0])}
    o32, o64 = fresh(optimizer), fresh(optimizer)
    for g in ([0.5, 2.0], [-1.0, 0.25]):
        o32.step(p32, {"w": np.array(g, np.float32)})
        o64.step(p64, {"w": np.array(g)})
    assert p32["w"].dtype == np.float32
    assert all(s.dtype == np.float32 for slots in o32.state.values() for s in slots)
    np.testing.assert_allclose(p32["w"], p64["w"], rtol=1e-6)


@pytest.mark.parametrize("optimizer", OPTIMIZERS, ids=lambda o: type(o).__name__)
def test_every_optimizer_descends_an_ill_conditioned_bowl(optimizer):
    optimizer = fresh(optimizer)
    scales = np.array([1.0, 10.0])

    def loss(w):
        return 0.5 * float(np.sum(scales * w**2))

    params = {"w": np.array([1.0, 1.0])}
    start = loss(params["w"])
    for _ in range(100):
        optimizer.step(params, {"w": scales * params["w"]})
    assert loss(params["w"]) < 0.01 * start


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: SGD(0), ValueError, r"lr must be positive; got 0.0"),
        (lambda: Momentum(-0.1), ValueError, r"lr must be positive; got -0.1"),
        (lambda: Adam(float("nan")), ValueError, r"lr must be finite"),
        (lambda: Adam("fast"), TypeError, r"lr must be a real number; got str"),
        (lambda: Momentum(0.1, beta=1.0), ValueError, r"beta must be in \[0, 1\); got 1.0"),
        (lambda: RMSProp(0.1, beta=-0.5), ValueError, r"beta must be in \[0, 1\); got -0.5"),
        (lambda: Momentum(0.1, beta="x"), TypeError, r"beta must be a real number; got str"),
        (lambda: RMSProp(0.1, eps=0.0), ValueError, r"eps must be positive; got 0.0"),
        (lambda: Adam(beta1=1.5), ValueError, r"beta1 must be in \[0, 1\); got 1.5"),
        (lambda: Adam(beta2=1.0), ValueError, r"beta2 must be in \[0, 1\); got 1.0"),
        (lambda: Adam(eps=-1e-8), ValueError, r"eps must be positive"),
    ],
)
def test_bad_hyperparameters_name_the_argument(make, error, message):
    with pytest.raises(error, match=message):
        make()


W = np.ones(2)


@pytest.mark.parametrize(
    "params, grads, error, message",
    [
        ({"w": W}, {"v": W}, ValueError, r"grads must have the keys of params, \['w'\]; got \['v'\]"),
        ({"w": W}, {"w": np.ones(3)}, ValueError, r"grads\['w'\] must be an array of shape \(2,\), like params\['w'\]; got \(3,\)"),
        ({"w": W}, {"w": [1.0, 1.0]}, ValueError, r"grads\['w'\] must be an array of shape \(2,\), like params\['w'\]; got list"),
        ({"w": [1.0, 1.0]}, {"w": W}, TypeError, r"params\['w'\] must be a float array, so it can be updated in place; got list"),
        ({"w": np.ones(2, int)}, {"w": W}, TypeError, r"params\['w'\] must be a float array, so it can be updated in place; got dtype int64"),
        ([W], [W], TypeError, r"^params and grads must be dicts of arrays with the same keys$"),
        ({"w": W}, [W], TypeError, r"^params and grads must be dicts of arrays with the same keys$"),
    ],
)
@pytest.mark.parametrize("optimizer", OPTIMIZERS, ids=lambda o: type(o).__name__)
def test_bad_params_or_grads_name_the_argument(optimizer, params, grads, error, message):
    with pytest.raises(error, match=message):
        fresh(optimizer).step(params, grads)


@pytest.mark.parametrize("optimizer", OPTIMIZERS[1:], ids=lambda o: type(o).__name__)
def test_state_refuses_a_parameter_that_changed_shape(optimizer):
    optimizer = fresh(optimizer)
    optimizer.step({"w": np.ones(2)}, {"w": np.ones(2)})
    with pytest.raises(ValueError, match=r"params\['w'\] changed shape from \(2,\) to \(3,\); use a new optimizer"):
        optimizer.step({"w": np.ones(3)}, {"w": np.ones(3)})


def test_the_keys_are_fixed_by_the_first_step():
    optimizer = Adam()
    optimizer.step({"w": np.ones(2)}, {"w": np.ones(2)})
    with pytest.raises(ValueError, match=r"params must have the keys of the first step, \['w'\]; got \['b', 'w'\]"):
        optimizer.step({"w": np.ones(2), "b": np.ones(1)}, {"w": np.ones(2), "b": np.ones(1)})


def test_the_base_class_has_no_update_rule():
    with pytest.raises(NotImplementedError):
        Optimizer(0.1).step({"w": np.ones(1)}, {"w": np.ones(1)})
