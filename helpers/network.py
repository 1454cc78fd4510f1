"""A multilayer perceptron built from the dense and activation pairs, and a Keras-like model.

Functions first: :func:`init_mlp` makes the parameters ``{"W1", "b1", …, "WL", "bL"}``,
:func:`mlp_forward` runs dense → activation → … → dense (→ output activation) and
:func:`mlp_backward` runs the chain rule back through the same layers, returning the
gradients in a dict with the params' keys, ready for any optimizer in
``helpers.optimizers``. :class:`Sequential` is a thin class over these functions that
mirrors the Keras model of the article this course grew from::

    model = Sequential([Dense(10, "sigmoid"), Dense(1)], input_dim=1, rng=rng)
    loss = model.train_step(x, y, mse, Adam(0.01))  # forward, loss, backward, update

Checked once, then fast. The pairs in ``helpers.layers`` and ``helpers.activations``
check their arguments on every call and convert them to float64; for a small layer
those checks cost more than the arithmetic. Here the arguments are checked once,
where they enter (:func:`mlp_forward`, :func:`mlp_backward`, :class:`Sequential`), and
the layers then run the pairs' own unchecked kernels (``helpers.activations.KERNELS``,
and the dense formulas in ``forward_unchecked``, ``backward_unchecked``) on the arrays' own dtype, so a float32 model stays float32.
``tests/test_network.py`` checks that they give exactly what the pairs give.
:meth:`Sequential.gradients` and :meth:`Sequential.train_step` also reuse their
arrays from one step to the next instead of allocating them anew.
"""
from typing import NamedTuple

import numpy as np

from .activations import KERNELS, ActivationCache, LeakyReluCache
from .layers import DenseCache, init_dense
from .validation import as_array, check_cache, check_positive, check_rng, is_class_labels

DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
"""The dtypes a network can compute in."""


class LayerCache(NamedTuple):
    """One layer's memory for backprop: its dense cache and its activation (None if linear)."""

    dense: DenseCache
    activation: str | None
    act: ActivationCache | LeakyReluCache | None


class MLPCache(NamedTuple):
    """What :func:`mlp_backward` needs: every layer's cache, first layer first."""

    layers: tuple


def init_mlp(sizes, rng, *, scale="xavier", dtype=np.float64):
    """New parameters for an MLP with layer widths ``sizes = [D_in, H_1, …, D_out]``.

    Layer ``l`` gets ``W{l}`` of shape ``(sizes[l-1], sizes[l])`` and ``b{l}`` of
    shape ``(sizes[l],)``, made by ``helpers.layers.init_dense`` (``scale`` is
    ``"xavier"``, ``"he"`` or a standard deviation) and stored as ``dtype``
    (float64 or float32).

    Examples
    --------
    >>> params = init_mlp([1, 10, 1], np.random.default_rng(0))
    >>> {k: v.shape for k, v in params.items()}
    {'W1': (1, 10), 'b1': (10,), 'W2': (10, 1), 'b2': (1,)}
    """
    dtype = _check_dtype(dtype)
    rng = check_rng(rng)
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
        raise ValueError(f"sizes must list at least two layer widths, [D_in, ..., D_out]; got {sizes!r}")
    sizes = [check_positive(s, f"sizes[{i}]", integer=True) for i, s in enumerate(sizes)]
    params = {}
    for l, (d_in, d_out) in enumerate(zip(sizes, sizes[1:]), start=1):
        layer = init_dense(d_in, d_out, rng, scale=scale)
        params[f"W{l}"], params[f"b{l}"] = layer["W"].astype(dtype), layer["b"].astype(dtype)
    return params


def mlp_forward(x, params, activation, output_activation=None):
    """Forward pass ``a_0 = x``, ``a_l = f(a_{l-1} W_l + b_l)``; returns ``(out, cache)``.

    Parameters
    ----------
    x : array, shape (N, D_in)
        Converted to the params' dtype.
    params : dict ``{"W1", "b1", …, "WL", "bL"}`` as made by :func:`init_mlp`
        All float64 or all float32; the output has the same dtype.
    activation : str or None
        The hidden layers' activation, a name in ``helpers.activations.ACTIVATIONS``
        (None: linear).
    output_activation : str or None
        The last layer's activation; None (the default) gives the raw ``z_L``,
        which is what losses "with logits" and regression want.

    Returns
    -------
    out : array, shape (N, D_out)
    cache : MLPCache

    Examples
    --------
    >>> params = {"W1": np.array([[2.0]]), "b1": np.array([-1.0]), "W2": np.array([[3.0]]), "b2": np.array([0.5])}
    >>> out, cache = mlp_forward(np.array([[1.0]]), params, "relu")
    >>> out.tolist()  # relu(1 · 2 − 1) · 3 + 0.5
    [[3.5]]
    """
    n_layers, dtype = check_mlp_params(params)
    names = (check_activation(activation, "activation"),) * (n_layers - 1)
    names += (check_activation(output_activation, "output_activation"),)
    x = model_array(x, "x", (None, params["W1"].shape[0]), dtype)
    return forward_unchecked(x, params, names)


def mlp_backward(dout, cache, *, need_dx=True):
    """Backward pass through the layers of ``cache``; returns ``(dx, grads)``.

    Going back from the last layer: ``dz_l = da_l ⊙ f'(z_l)``,
    ``dW_l = a_{l-1}ᵀ dz_l``, ``db_l = Σ_n dz_l``, ``da_{l-1} = dz_l W_lᵀ``.

    Parameters
    ----------
    dout : array, shape (N, D_out)
        ``dL/dout``, e.g. the gradient a loss returns.
    cache : MLPCache
        From :func:`mlp_forward`.
    need_dx : bool
        When False, ``dx`` is None and the first layer's ``da_0 = dz_1 W_1ᵀ``,
        a whole matrix product nobody uses while training, is skipped.

    Returns
    -------
    dx : array, shape (N, D_in), or None
    grads : dict with the keys of the params, each array shaped like its parameter

    Examples
    --------
    >>> params = {"W1": np.array([[2.0]]), "b1": np.array([-1.0]), "W2": np.array([[3.0]]), "b2": np.array([0.5])}
    >>> out, cache = mlp_forward(np.array([[1.0]]), params, "relu")  # a_1 = 1, out = 3.5
    >>> dx, grads = mlp_backward(np.ones_like(out), cache)
    >>> dx.tolist(), {k: g.tolist() for k, g in grads.items()}
    ([[6.0]], {'W1': [[3.0]], 'b1': [3.0], 'W2': [[1.0]], 'b2': [1.0]})
    """
    check_cache(cache, MLPCache, "mlp_forward")
    last = cache.layers[-1].dense
    dout = model_array(dout, "dout", (last.x.shape[0], last.W.shape[1]), last.W.dtype)
    return backward_unchecked(dout, cache, need_dx)


class Dense(NamedTuple):
    """A layer for :class:`Sequential`, as in Keras: ``Dense(units, activation=None)``."""

    units: int
    activation: str | None = None


class Sequential:
    """A stack of :class:`Dense` layers, mirroring Keras's ``Sequential``; thin over the functions.

    ``params`` is the dict of :func:`init_mlp`. It is checked when the model is
    built; afterwards each call checks only its own arguments, so a training
    step on a small batch costs little more than its arithmetic.

    Parameters
    ----------
    layers : list of Dense
    input_dim : int
        ``D_in``, the width of ``x``.
    rng : numpy.random.Generator
        For the initial weights.
    scale : "xavier", "he" or float
        Initial weights' standard deviation, as in :func:`init_mlp`.
    dtype : float64 (default) or float32

    Examples
    --------
    >>> from helpers.datasets import regression_1d
    >>> from helpers.losses import mse
    >>> from helpers.optimizers import Adam
    >>> rng = np.random.default_rng(0)
    >>> model = Sequential([Dense(10, "sigmoid"), Dense(1)], input_dim=1, rng=rng)
    >>> x, y = regression_1d(64, rng)
    >>> optimizer = Adam(0.01)
    >>> losses = [model.train_step(x, y, mse, optimizer) for _ in range(200)]
    >>> losses[-1] < losses[0] / 2
    True
    >>> model(x).shape
    (64, 1)
    """

    def __init__(self, layers, *, input_dim, rng, scale="xavier", dtype=np.float64):
        if not isinstance(layers, (list, tuple)) or not layers or not all(isinstance(l, Dense) for l in layers):
            raise TypeError(f"layers must be a non-empty list of Dense layers, e.g. [Dense(10, 'sigmoid'), Dense(1)]; got {layers!r}")
        self.activations = tuple(check_activation(l.activation, f"layers[{i}].activation") for i, l in enumerate(layers))
        units = [check_positive(l.units, f"layers[{i}].units", integer=True) for i, l in enumerate(layers)]
        self.params = init_mlp([check_positive(input_dim, "input_dim", integer=True), *units], rng, scale=scale, dtype=dtype)
        self.dtype = np.dtype(dtype)
        self._buffers = _Buffers()

    def forward(self, x):
        """``(out, cache)`` for a batch ``x`` of shape (N, D_in), as :func:`mlp_forward`."""
        return forward_unchecked(self._input(x), self.params, self.activations)

    def __call__(self, x):
        """The output alone, like ``model(x)`` in Keras."""
        return self.forward(x)[0]

    def backward(self, dout, cache, *, need_dx=True):
        """``(dx, grads)`` for the upstream gradient ``dout``, as :func:`mlp_backward`."""
        return mlp_backward(dout, cache, need_dx=need_dx)

    def train_step(self, x, y, loss_fn, optimizer):
        """One step of training: forward, loss, backward, update; returns the loss.

        ``x``, ``y`` and ``loss_fn`` are as in :meth:`gradients`; ``optimizer``
        has a ``step(params, grads)`` as in ``helpers.optimizers`` (an instance,
        such as ``Adam(0.01)``). This is :meth:`gradients` (Keras's
        ``GradientTape`` block) followed by ``optimizer.step`` (Keras's
        ``apply_gradients``).
        """
        step = getattr(optimizer, "step", None)
        if isinstance(optimizer, type) or not callable(step):
            got = f"the class {optimizer.__name__} itself (call it to make one)" if isinstance(optimizer, type) else type(optimizer).__name__
            raise TypeError(f"optimizer must be an optimizer object with a step(params, grads) method, e.g. Adam(0.01); got {got}")
        loss, grads = self.gradients(x, y, loss_fn)
        step(self.params, grads)
        return loss

    def gradients(self, x, y, loss_fn):
        """Forward, loss and backward; returns ``(loss, grads)``.

        ``y`` holds the targets, shaped like the output (N, D_out), or, for a
        classifier trained with ``softmax_cross_entropy_with_logits``, integer
        class labels of shape (N,), passed to ``loss_fn`` as they are.
        ``loss_fn(out, y) -> (loss, dout)`` is a loss from ``helpers.losses``.

        This is what the ``GradientTape`` block of the Keras example computes.
        It is the fast path: the layers' arrays and the gradients are allocated
        once and reused, so the next call *overwrites* ``grads`` (as PyTorch
        overwrites ``.grad``). Copy what you want to keep; for arrays that are
        yours alone use :meth:`forward` and :meth:`backward`.
        """
        if not callable(loss_fn):
            raise TypeError(f"loss_fn must be a function (out, y) -> (loss, dout); got {type(loss_fn).__name__}")
        out, cache = forward_unchecked(self._input(x), self.params, self.activations, self._buffers)
        loss, dout = _call_loss(loss_fn, out, self._targets(y, out.shape))
        _, grads = backward_unchecked(dout, cache, False, self._buffers)
        return loss, grads

    def _targets(self, y, out_shape):
        if is_class_labels(y) and out_shape[1] > 1:
            if y.shape != out_shape[:1]:
                raise ValueError(f"y must hold one class label per row of x, shape {out_shape[:1]}, or targets of shape {out_shape}; got labels of shape {y.shape}")
            return y
        return model_array(y, "y", out_shape, self.dtype)

    def _input(self, x):
        return model_array(x, "x", (None, self.params["W1"].shape[0]), self.dtype)


# The unchecked kernels: the formulas of helpers.layers and helpers.activations, in the
# arrays' own dtype, writing into arrays from ``alloc(key, shape, dtype)``: fresh ones
# (_fresh) for the public functions, reused ones (_Buffers) inside Sequential. Only ever
# called on arguments checked at the entry points above.


def _fresh(key, shape, dtype):
    return np.empty(shape, dtype)


class _Buffers:
    """Arrays kept from one training step to the next, one per key, remade when the shape changes.

    Big arrays freed after every step are handed back to the operating system and
    must be faulted in again at the next one; reusing them saves that time.
    """

    def __init__(self):
        self.arrays = {}

    def __call__(self, key, shape, dtype):
        array = self.arrays.get(key)
        if array is None or array.shape != shape or array.dtype != dtype:
            array = self.arrays[key] = np.empty(shape, dtype)
        return array


def forward_unchecked(x, params, activations, alloc=_fresh):
    """dense → activation for each layer of already checked arguments; returns ``(out, MLPCache)``.

    ``activations`` names each layer's activation (None: linear). For callers that
    checked their inputs once (mlp_forward, Sequential, helpers.deep).
    """
    caches = []
    for l, activation in enumerate(activations, start=1):
        W = params[f"W{l}"]
        z = np.matmul(x, W, out=alloc(("z", l), (x.shape[0], W.shape[1]), W.dtype))
        z += params[f"b{l}"]
        act = KERNELS[activation][0](z, alloc(("a", l), z.shape, z.dtype)) if activation else None
        caches.append(LayerCache(DenseCache(x, W), activation, act))
        x = act.a if act else z
    return x, MLPCache(tuple(caches))


def backward_unchecked(dout, cache, need_dx, alloc=_fresh):
    """The chain rule back through :func:`forward_unchecked`'s layers; returns ``(dx, grads)``."""
    # dz and dx are used up by the layer below, so one dz and one dx array per width
    # serve every layer: fewer arrays, and the ones in use stay in the CPU's cache.
    grads = {}
    d = dout
    for l in range(len(cache.layers), 0, -1):
        layer = cache.layers[l - 1]
        if layer.activation:
            d = KERNELS[layer.activation][1](d, layer.act, alloc(("dz", d.shape[1]), d.shape, d.dtype))
        x, W = layer.dense
        grads[f"W{l}"] = np.matmul(x.T, d, out=alloc(("dW", l), W.shape, d.dtype))
        grads[f"b{l}"] = d.sum(axis=0, out=alloc(("db", l), W.shape[1:], d.dtype))
        d = np.matmul(d, W.T, out=alloc(("dx", x.shape[1]), x.shape, d.dtype)) if need_dx or l > 1 else None
    return d, {key: grads[key] for key in _keys(len(cache.layers))}


# Checks at the entry points.


def _keys(n_layers):
    return [f"{p}{l}" for l in range(1, n_layers + 1) for p in "Wb"]


def _check_dtype(dtype):
    try:
        dtype = np.dtype(dtype)
    except TypeError as exc:
        raise TypeError(f"dtype must be np.float64 or np.float32; got {dtype!r}") from exc
    if dtype not in DTYPES:
        raise ValueError(f"dtype must be np.float64 or np.float32; got {dtype}")
    return dtype


def check_activation(name, arg):
    """``name`` if it is an activation of ``helpers.activations`` (or None); else ValueError naming ``arg``."""
    if name is not None and name not in KERNELS:
        raise ValueError(f"{arg} must be one of {sorted(KERNELS)} or None; got {name!r}")
    return name


def check_mlp_params(params):
    """Check keys, shapes, dtypes and values of MLP params; return (number of layers, dtype)."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict like init_mlp returns; got {type(params).__name__}")
    n_layers = len(params) // 2
    if n_layers == 0 or list(params) != _keys(n_layers):
        raise ValueError(f"params must have the keys W1, b1, ..., WL, bL in order, as init_mlp makes them; got {list(params)}")
    dtype = None
    for key in params:
        name = f"params[{key!r}]"
        value = params[key]
        as_array(value, name, ndim=2 if key[0] == "W" else 1)
        if not isinstance(value, np.ndarray) or value.dtype not in DTYPES:
            got = f"dtype {value.dtype}" if isinstance(value, np.ndarray) else type(value).__name__
            raise TypeError(f"{name} must be a float64 or float32 array; got {got}")
        if dtype is not None and value.dtype != dtype:
            raise TypeError(f"{name} must have the dtype of params['W1'], {dtype}; got {value.dtype}")
        dtype = value.dtype
    for l in range(1, n_layers + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        if b.shape != (W.shape[1],):
            raise ValueError(f"params['b{l}'] must have shape ({W.shape[1]},), the width of W{l}; got {b.shape}")
        if l > 1 and W.shape[0] != params[f"W{l - 1}"].shape[1]:
            width = params[f"W{l - 1}"].shape[1]
            raise ValueError(f"params['W{l}'] must have {width} rows, the width of layer {l - 1}'s output; got shape {W.shape}")
    return n_layers, dtype


def _call_loss(loss_fn, out, y):
    """``loss_fn(out, y)``, checked: a pair ``(loss, dout)`` with ``dout`` in the output's shape and dtype."""
    result = loss_fn(out, y)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        got = f"{len(result)} values" if isinstance(result, (tuple, list)) else f"a {type(result).__name__}"
        raise TypeError(f"loss_fn must return two values, (loss, dout): the loss and its gradient dL/dout, as helpers.losses.mse does; got {got}")
    loss, dout = result
    if not isinstance(dout, np.ndarray):
        dout = as_array(dout, "loss_fn's dout")
    if dout.shape != out.shape:
        raise ValueError(f"loss_fn's dout must have the output's shape {out.shape}; got {dout.shape}")
    return loss, dout.astype(out.dtype, copy=False)


def model_array(value, name, shape, dtype):
    """``as_array``'s checks of ``value``, returned in the model's ``dtype`` (float32 stays float32)."""
    checked = as_array(value, name, shape=shape)
    if isinstance(value, np.ndarray) and value.dtype == dtype:
        return value
    return checked.astype(dtype, copy=False)
