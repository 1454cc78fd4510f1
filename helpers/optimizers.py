"""Optimizers: one ``step(params, grads)`` interface over dicts of arrays.

``params`` and ``grads`` are flat dicts with the same keys (``"W1"``, ``"b1"``, …),
as every forward/backward pair in ``helpers`` returns them, so one optimizer
trains any model. ``step`` updates the arrays in ``params`` *in place*.

An optimizer owns its state (velocities, moment estimates) in ``self.state``,
keyed by the params' keys. Use one optimizer per model: a second model with the
same keys would share, and corrupt, the first one's state.
"""
import numpy as np

from .validation import as_scalar, check_positive


class Optimizer:
    """The shared interface: ``step(params, grads)`` updates every ``params[key]`` in place.

    Subclasses implement ``_update(key, p, g)`` for one array. The checks here
    are cheap (keys, shapes, dtypes, no pass over the values), because they run
    on every training step.
    """

    def __init__(self, lr):
        self.lr = check_positive(lr, "lr")
        self.state = {}

    def step(self, params, grads):
        """Update each ``params[key]`` in place from ``grads[key]``; returns None."""
        if not isinstance(params, dict) or not isinstance(grads, dict):
            raise TypeError("params and grads must be dicts of arrays with the same keys")
        if params.keys() != grads.keys():
            raise ValueError(f"grads must have the keys of params, {sorted(params)}; got {sorted(grads)}")
        for key, p in params.items():
            g = grads[key]
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                got = f"dtype {p.dtype}" if isinstance(p, np.ndarray) else type(p).__name__
                raise TypeError(f"params[{key!r}] must be a float array, so it can be updated in place; got {got}")
            if not isinstance(g, np.ndarray) or g.shape != p.shape:
                got = g.shape if isinstance(g, np.ndarray) else type(g).__name__
                raise ValueError(f"grads[{key!r}] must be an array of shape {p.shape}, like params[{key!r}]; got {got}")
        self._begin_step()
        for key, p in params.items():
            self._update(key, p, grads[key])

    def _begin_step(self):
        """Hook run once per step, before the per-key updates."""

    def _update(self, key, p, g):
        raise NotImplementedError

    def _slot(self, key, p, count):
        """This key's state: ``count`` zero arrays shaped like ``p``, created on first use."""
        slots = self.state.get(key)
        if slots is None:
            slots = self.state[key] = tuple(np.zeros_like(p) for _ in range(count))
        elif slots[0].shape != p.shape:
            raise ValueError(f"params[{key!r}] changed shape from {slots[0].shape} to {p.shape}; use a new optimizer for a new model")
        return slots


class SGD(Optimizer):
    """Plain gradient descent: ``p ← p − lr · g``.

    Examples
    --------
    >>> params = {"w": np.array([1.0, -2.0])}
    >>> SGD(lr=0.1).step(params, {"w": np.array([0.5, 1.0])})
    >>> params["w"].tolist()
    [0.95, -2.1]
    """

    def _update(self, key, p, g):
        p -= self.lr * g


class Momentum(Optimizer):
    """Gradient descent with momentum: ``v ← β v − lr · g``, ``p ← p + v``.

    ``v`` (``self.state[key][0]``) starts at 0 and is a decaying sum of past
    steps, so it builds up speed along directions where the gradient keeps its
    sign and cancels where it oscillates. This is the form of Keras's
    ``SGD(momentum=β)``.

    Examples
    --------
    >>> params, opt = {"w": np.array([1.0])}, Momentum(lr=0.1, beta=0.9)
    >>> for _ in range(2):
    ...     opt.step(params, {"w": np.array([1.0])})
    >>> round(float(params["w"][0]), 6)  # steps of 0.1, then 0.9·0.1 + 0.1
    0.71
    """

    def __init__(self, lr, beta=0.9):
        super().__init__(lr)
        self.beta = _check_decay(beta, "beta")

    def _update(self, key, p, g):
        (v,) = self._slot(key, p, 1)
        v *= self.beta
        v -= self.lr * g
        p += v


class RMSProp(Optimizer):
    """RMSProp: ``s ← β s + (1 − β) g²``, ``p ← p − lr · g / (√s + ε)``.

    ``s`` (``self.state[key][0]``), a running mean of squared gradients, gives
    each entry its own step size: large where gradients are large, so the step
    ``lr · g / √s`` is about ``lr`` in every direction.

    Examples
    --------
    >>> params = {"w": np.array([1.0])}
    >>> RMSProp(lr=0.1, beta=0.9).step(params, {"w": np.array([2.0])})
    >>> round(float(params["w"][0]), 6)  # s = 0.1 · 4, step 0.1 · 2 / √0.4 = 1 / √10
    0.683772
    """

    def __init__(self, lr, beta=0.9, eps=1e-8):
        super().__init__(lr)
        self.beta = _check_decay(beta, "beta")
        self.eps = check_positive(eps, "eps")

    def _update(self, key, p, g):
        (s,) = self._slot(key, p, 1)
        s += (1.0 - self.beta) * (g * g - s)  # = β s + (1 − β) g²
        p -= self.lr * g / (np.sqrt(s) + self.eps)


class Adam(Optimizer):
    """Adam: momentum and RMSProp together, with bias correction.

    At step ``t = 1, 2, …``::

        m ← β₁ m + (1 − β₁) g          v ← β₂ v + (1 − β₂) g²
        m̂ = m / (1 − β₁ᵗ)              v̂ = v / (1 − β₂ᵗ)
        p ← p − lr · m̂ / (√v̂ + ε)

    ``m`` and ``v`` start at 0, so early on they are biased towards 0; dividing
    by ``1 − βᵗ`` removes that bias (at ``t = 1``, ``m̂ = g`` and ``v̂ = g²``, so
    the first step is ``lr`` per entry whatever the gradient's size).

    ``self.state[key]`` is ``(m, v)`` and ``self.t`` counts the steps taken.
    The defaults are Keras's, including ``eps=1e-7`` (PyTorch uses 1e-8).
    The update is the paper's (as in PyTorch); Keras adds ``ε`` to ``√v``
    before the bias correction instead, which differs only while ``√v̂`` is
    about as small as ``ε``.

    Examples
    --------
    >>> params, opt = {"w": np.array([1.0, 1.0])}, Adam(lr=0.1)
    >>> opt.step(params, {"w": np.array([0.001, -50.0])})
    >>> params["w"].round(4).tolist()  # the first step is lr, whatever |g|
    [0.9, 1.1]
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7):
        super().__init__(lr)
        self.beta1 = _check_decay(beta1, "beta1")
        self.beta2 = _check_decay(beta2, "beta2")
        self.eps = check_positive(eps, "eps")
        self.t = 0

    def _begin_step(self):
        self.t += 1
        # lr · m̂ / (√v̂ + ε) = step · m / (√v + eps_hat), with both corrections folded into
        # two numbers per step, so each array needs fewer operations.
        root = (1.0 - self.beta2**self.t) ** 0.5  # a Python float: float32 stays float32
        self._step_size = self.lr * root / (1.0 - self.beta1**self.t)
        self._eps_hat = self.eps * root

    def _update(self, key, p, g):
        m, v = self._slot(key, p, 2)
        m += (1.0 - self.beta1) * (g - m)  # = β₁ m + (1 − β₁) g
        v += (1.0 - self.beta2) * (g * g - v)
        p -= self._step_size * m / (np.sqrt(v) + self._eps_hat)


def _check_decay(value, name):
    value = as_scalar(value, name)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be in [0, 1); got {value}")
    return value
