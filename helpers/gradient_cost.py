"""Three ways to get a network's full gradient, and what each costs in passes.

For a loss of ``P`` parameters:

- **finite differences** nudge each parameter up and down: ``2P`` forward passes;
- **forward mode** pushes one direction (a tangent) through the network with the
  forward pass, a Jacobian-vector product; a unit tangent per parameter gives one
  gradient entry per pass: ``P`` passes, each a forward pass and its tangent;
- **reverse mode** (backprop) runs one forward pass and one backward pass, whatever ``P``.

Each function returns ``(grads, passes)``, the gradients as a dict with the
params' keys and the number of passes it made, so the counts can be checked
exactly and the timings compared separately.
"""
import numpy as np

from .activations import ACTIVATIONS
from .network import check_mlp_params, mlp_backward, mlp_forward


def mlp_jvp(x, params, activation, tangent):
    """Forward mode: the MLP's output and its derivative along ``tangent``; returns ``(out, dout)``.

    With a tangent ``(dW_l, db_l)`` for every parameter, each layer carries a pair:
    ``z = a W + b``, ``dz = da W + a dW + db``, then ``a = f(z)``, ``da = f'(z) ⊙ dz``
    (the activation's backward applied to ``dz``: it is element-wise, so the same product).
    ``dout`` is the Jacobian of the output times the tangent. Hidden layers use
    ``activation``; the last layer is linear, as in ``mlp_forward(x, params, activation)``.

    Examples
    --------
    >>> params = {"W1": np.array([[2.0]]), "b1": np.array([-1.0]), "W2": np.array([[3.0]]), "b2": np.array([0.5])}
    >>> tangent = {"W1": np.array([[1.0]]), "b1": np.zeros(1), "W2": np.zeros((1, 1)), "b2": np.zeros(1)}
    >>> out, dout = mlp_jvp(np.array([[1.0]]), params, "relu", tangent)
    >>> out.tolist(), dout.tolist()  # d out / d W1 = W2 · relu'(1) · x = 3
    ([[3.5]], [[3.0]])
    """
    n_layers, _ = check_mlp_params(params)
    if not isinstance(tangent, dict) or list(tangent) != list(params):
        raise ValueError(f"tangent must be a dict with the keys of params, {list(params)}; got {tangent!r:.80}")
    a = np.asarray(x, dtype=float)
    da = np.zeros_like(a)
    for l in range(1, n_layers + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        z = a @ W + b
        dz = da @ W + a @ tangent[f"W{l}"] + tangent[f"b{l}"]
        if activation is not None and l < n_layers:
            forward, backward = ACTIVATIONS[activation]
            a, cache = forward(z)
            da = backward(dz, cache)
        else:
            a, da = z, dz
    return a, da


def gradient_by_finite_differences(x, t, params, activation, loss_fn, h=1e-5):
    """Central differences of the loss for every parameter: ``2P`` forward passes; returns ``(grads, passes)``.

    ``loss_fn(out, t) -> (loss, dout)`` is a loss from ``helpers.losses``.

    Examples
    --------
    >>> from helpers.losses import mse
    >>> params = {"W1": np.array([[2.0]]), "b1": np.array([0.0])}
    >>> grads, passes = gradient_by_finite_differences(np.array([[1.0]]), np.array([[0.0]]), params, None, mse)
    >>> round(float(grads["W1"][0, 0]), 6), passes  # d/dW ½ (W x)² = W x² = 2
    (2.0, 4)
    """
    passes = 0
    grads = {}
    for key, value in params.items():
        grads[key] = np.zeros_like(value, dtype=float)
        for index in np.ndindex(value.shape):
            losses = []
            for step in (h, -h):
                nudged = {k: v.copy() for k, v in params.items()}
                nudged[key][index] += step
                losses.append(loss_fn(mlp_forward(x, nudged, activation)[0], t)[0])
                passes += 1
            grads[key][index] = (losses[0] - losses[1]) / (2 * h)
    return grads, passes


def gradient_by_forward_mode(x, t, params, activation, loss_fn):
    """One Jacobian-vector product per parameter (a unit tangent each): ``P`` passes; returns ``(grads, passes)``.

    Each pass gives one number, ``∂ℒ/∂θ_i = (dℒ/dout) · (dout along e_i)``.

    Examples
    --------
    >>> from helpers.losses import mse
    >>> params = {"W1": np.array([[2.0]]), "b1": np.array([0.0])}
    >>> grads, passes = gradient_by_forward_mode(np.array([[1.0]]), np.array([[0.0]]), params, None, mse)
    >>> float(grads["W1"][0, 0]), passes
    (2.0, 2)
    """
    zeros = {k: np.zeros_like(v, dtype=float) for k, v in params.items()}
    grads = {k: np.zeros_like(v, dtype=float) for k, v in params.items()}
    passes = 0
    for key, value in params.items():
        for index in np.ndindex(value.shape):
            tangent = dict(zeros, **{key: np.zeros_like(value, dtype=float)})
            tangent[key][index] = 1.0
            out, dout = mlp_jvp(x, params, activation, tangent)
            grads[key][index] = np.sum(loss_fn(out, t)[1] * dout)
            passes += 1
    return grads, passes


def gradient_by_reverse_mode(x, t, params, activation, loss_fn):
    """Backprop: one forward pass and one backward pass, for every parameter at once; returns ``(grads, passes)``.

    Examples
    --------
    >>> from helpers.losses import mse
    >>> params = {"W1": np.array([[2.0]]), "b1": np.array([-1.0]), "W2": np.array([[3.0]]), "b2": np.array([0.5])}
    >>> grads, passes = gradient_by_reverse_mode(np.array([[1.0]]), np.array([[0.5]]), params, "relu", mse)
    >>> {k: g.tolist() for k, g in grads.items()}, passes  # out = 3.5, dℒ/dout = 3.5 − 0.5 = 3
    ({'W1': [[9.0]], 'b1': [9.0], 'W2': [[3.0]], 'b2': [3.0]}, 2)
    """
    out, cache = mlp_forward(x, params, activation)
    _, grads = mlp_backward(loss_fn(out, t)[1], cache, need_dx=False)
    return grads, 2
