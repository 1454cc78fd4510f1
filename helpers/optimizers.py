"""Optimizers: one ``step(params, grads)`` interface over dicts of arrays.

``params`` and ``grads`` are flat dicts with the same keys (``"W1"``, ``"b1"``, …),
as every forward/backward pair in ``helpers`` returns them, so one optimizer
trains any model. ``step`` updates the arrays in ``params`` *in place*.

An optimizer owns its state (velocities, moment estimates) in ``self.state``,
keyed by the params' keys: ``self.state[key]`` is a tuple of arrays shaped like
``params[key]``. Use one optimizer per model: the first step fixes the keys and
shapes it accepts.

A gradient holding a NaN or inf is refused, naming its key, before anything
changes: a NaN written into the weights could not be traced back to its step.
"""
import numpy as np

from .validation import as_array, as_scalar, check_positive


class Optimizer:
    """The shared interface: ``step(params, grads)`` updates every ``params[key]`` in place.

    A subclass gives its update rule once, for one flat vector: ``_update(g, out,
    *slots)`` reads the gradient ``g``, updates its state vectors ``slots`` in place
    and writes the change to the parameters into ``out``.

    Why flat: at the first step the optimizer lays all the parameters end to end
    (:class:`_Flat`); every step then copies the gradients in (one copy per key),
    runs the rule once on the whole vector and adds the change to each parameter.
    For a small network that is several times fewer numpy calls than running the
    rule key by key, and each entry gets exactly the same arithmetic. The checks
    here are cheap (keys, shapes, dtypes, and one pass over the flat gradient for
    NaN and inf), because they run on every training step.
    """

    n_slots = 0
    """How many state vectors the rule keeps (m, v, …)."""

    def __init__(self, lr):
        self.lr = check_positive(lr, "lr")
        self.state = {}
        self._flat = None

    def step(self, params, grads):
        """Update each ``params[key]`` in place from ``grads[key]``; returns None.

        A gradient with a NaN or inf raises ValueError naming its key, and
        neither the params nor the optimizer's state change.
        """
        self._check(params, grads)
        flat = self._flat or _Flat(params, self.n_slots)
        for key, g in grads.items():
            np.copyto(flat.grad_views[key], g)
        if not np.isfinite(flat.grad).all():  # one pass over every gradient at once
            _refuse_non_finite(grads, flat)
        if self._flat is None:
            self._flat, self.state = flat, flat.state
        self._update(flat.grad, flat.delta, *flat.slots)
        for key, p in params.items():
            p += flat.delta_views[key]

    def _update(self, g, out, *slots):
        raise NotImplementedError

    def _check(self, params, grads):
        if not isinstance(params, dict) or not isinstance(grads, dict):
            raise TypeError("params and grads must be dicts of arrays with the same keys")
        if params.keys() != grads.keys():
            raise ValueError(f"grads must have the keys of params, {sorted(params)}; got {sorted(grads)}")
        shapes = self._flat.shapes if self._flat else {}
        if shapes and params.keys() != shapes.keys():
            raise ValueError(f"params must have the keys of the first step, {sorted(shapes)}; got {sorted(params)}; use a new optimizer for a new model")
        for key, p in params.items():
            g = grads[key]
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                got = f"dtype {p.dtype}" if isinstance(p, np.ndarray) else type(p).__name__
                raise TypeError(f"params[{key!r}] must be a float array, so it can be updated in place; got {got}")
            if not isinstance(g, np.ndarray) or g.shape != p.shape:
                got = g.shape if isinstance(g, np.ndarray) else type(g).__name__
                raise ValueError(f"grads[{key!r}] must be an array of shape {p.shape}, like params[{key!r}]; got {got}")
            if shapes and p.shape != shapes[key]:
                raise ValueError(f"params[{key!r}] changed shape from {shapes[key]} to {p.shape}; use a new optimizer for a new model")


def _refuse_non_finite(grads, flat):
    """Raise ValueError naming the first key whose gradient is not finite (in the params' dtype)."""
    for key, g in grads.items():
        as_array(g, f"grads[{key!r}]")  # "grads['W1'] must be finite; it contains NaN or inf"
        if not np.isfinite(flat.grad_views[key]).all():
            raise ValueError(f"grads[{key!r}] must be finite in the params' dtype, {flat.grad.dtype}; its values overflow to inf there")


class _Flat:
    """Flat vectors over all the parameters, end to end, with a view per key shaped like the parameter.

    ``grad`` receives the gradients, ``delta`` the change to the parameters and
    ``slots`` are the rule's state; ``state[key]`` holds the slots' views for ``key``.
    """

    def __init__(self, params, n_slots):
        self.shapes = {key: p.shape for key, p in params.items()}
        dtype = np.result_type(*params.values())
        size = sum(p.size for p in params.values())
        self.grad, self.delta = np.empty(size, dtype), np.empty(size, dtype)
        self.slots = tuple(np.zeros(size, dtype) for _ in range(n_slots))
        self.grad_views, self.delta_views = self._views(self.grad), self._views(self.delta)
        slot_views = [self._views(s) for s in self.slots]
        self.state = {key: tuple(views[key] for views in slot_views) for key in self.shapes}

    def _views(self, vector):
        views, start = {}, 0
        for key, shape in self.shapes.items():
            size = int(np.prod(shape))
            views[key] = vector[start : start + size].reshape(shape)
            start += size
        return views


class SGD(Optimizer):
    """Plain gradient descent: ``p ← p − lr · g``.

    Examples
    --------
    >>> params = {"w": np.array([1.0, -2.0])}
    >>> SGD(lr=0.1).step(params, {"w": np.array([0.5, 1.0])})
    >>> params["w"].tolist()
    [0.95, -2.1]
    """

    def _update(self, g, out):
        np.multiply(g, -self.lr, out=out)


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

    n_slots = 1

    def __init__(self, lr, beta=0.9):
        super().__init__(lr)
        self.beta = _check_decay(beta, "beta")

    def _update(self, g, out, v):
        v *= self.beta
        v -= self.lr * g
        np.copyto(out, v)


class RMSProp(Optimizer):
    """RMSProp: ``s ← β s + (1 − β) g²``, ``p ← p − lr · g / (√s + ε)``.

    ``s``, a running mean of squared gradients, gives each entry its own scale
    ``√s``: large where gradients are large, so the step ``lr · g / √s`` has the
    same size in every direction. For a steady gradient that size is
    ``lr / √(1 − βᵗ)``: ``3.16 lr`` at the first step for β = 0.9 (``s`` starts at 0
    and, unlike Adam's, is not bias-corrected), ``lr`` once ``s`` has caught up.
    The state ``self.state[key][0]`` is the root ``√s`` (the gradients' running
    root mean square), updated without ever forming ``g²`` (:func:`_update_rms`),
    so even a gradient of 1e300 gives a finite step.

    Examples
    --------
    >>> params = {"w": np.array([1.0])}
    >>> RMSProp(lr=0.1, beta=0.9).step(params, {"w": np.array([2.0])})
    >>> round(float(params["w"][0]), 6)  # s = 0.1 · 4, step 0.1 · 2 / √0.4 = 1 / √10
    0.683772
    """

    n_slots = 1

    def __init__(self, lr, beta=0.9, eps=1e-8):
        super().__init__(lr)
        self.beta = _check_decay(beta, "beta")
        self.eps = check_positive(eps, "eps")

    def _update(self, g, out, rms):
        _update_rms(rms, g, self.beta)
        np.divide(g, rms + self.eps, out=out)
        out *= -self.lr


class Adam(Optimizer):
    """Adam: momentum and RMSProp together, with bias correction.

    At step ``t = 1, 2, …``::

        m ← β₁ m + (1 − β₁) g          v ← β₂ v + (1 − β₂) g²
        m̂ = m / (1 − β₁ᵗ)              v̂ = v / (1 − β₂ᵗ)
        p ← p − lr · m̂ / (√v̂ + ε)

    ``m`` and ``v`` start at 0, so early on they are biased towards 0; dividing
    by ``1 − βᵗ`` removes that bias (at ``t = 1``, ``m̂ = g`` and ``v̂ = g²``, so
    the first step is ``lr`` per entry whatever the gradient's size).

    ``self.state[key]`` is ``(m, √v)`` and ``self.t`` counts the steps taken.
    The root ``√v`` is kept rather than ``v`` and updated without ever forming
    ``g²`` (:func:`_update_rms`): a gradient of 1e300 would square to inf and stop
    the step; this way it still moves each entry by about ``lr``.
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
    >>> huge = {"w": np.array([1.0])}
    >>> Adam(lr=0.1).step(huge, {"w": np.array([1e300])})  # g² would overflow to inf
    >>> huge["w"].round(4).tolist()
    [0.9]
    """

    n_slots = 2

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7):
        super().__init__(lr)
        self.beta1 = _check_decay(beta1, "beta1")
        self.beta2 = _check_decay(beta2, "beta2")
        self.eps = check_positive(eps, "eps")
        self.t = 0

    def _update(self, g, out, m, root_v):
        self.t += 1
        m *= self.beta1
        m += (1.0 - self.beta1) * g  # a mean of gradients: never larger than the largest
        _update_rms(root_v, g, self.beta2)
        # lr · m̂ / (√v̂ + ε) = [lr · r / (1 − β₁ᵗ)] · m / (√v + ε · r) with r = √(1 − β₂ᵗ):
        # the corrections become two numbers per step, not two more passes over the arrays.
        root = (1.0 - self.beta2**self.t) ** 0.5  # a Python float: float32 stays float32
        np.divide(m, root_v + self.eps * root, out=out)
        out *= -self.lr * root / (1.0 - self.beta1**self.t)


def _update_rms(rms, g, beta):
    """``rms ← √(β rms² + (1 − β) g²)`` in place: the root of the running mean of ``g²``.

    ``np.hypot(a, b) = √(a² + b²)`` never squares its arguments, so this holds
    for any finite ``g``, where ``g * g`` overflows beyond about 1.3e154 (float64).
    """
    rms *= beta**0.5
    np.hypot(rms, (1.0 - beta) ** 0.5 * g, out=rms)


def _check_decay(value, name):
    value = as_scalar(value, name)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be in [0, 1); got {value}")
    return value
