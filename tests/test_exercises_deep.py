"""Notebook 07's checkers: right answers written differently pass, each slip gets exactly its hint, shortcuts fail."""
import numpy as np
import pytest

from helpers.clipping import clip_by_global_norm
from helpers.exercises import check_batchnorm_backward, check_clip_by_global_norm, check_leaky_relu_init
from helpers.exercises.deep import BN_HINTS, CLIP_HINTS, LEAKY_HINTS, _dx


# --- batch norm ---------------------------------------------------------------------------


def compact(dout, x, gamma, eps):
    xhat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)
    g = dout * gamma
    return (g - g.mean(axis=0) - xhat * np.mean(g * xhat, axis=0)) / np.sqrt(x.var(axis=0) + eps), np.sum(dout * xhat, axis=0), dout.sum(axis=0)


def staged(dout, x, gamma, eps):
    """The computational graph node by node (through μ and σ² separately)."""
    n, xc = len(x), x - x.mean(axis=0)
    var = np.mean(xc**2, axis=0)
    std = np.sqrt(var + eps)
    dxhat = dout * gamma
    dvar = np.sum(dxhat * xc, axis=0) * -0.5 * (var + eps) ** -1.5
    dmu = -np.sum(dxhat, axis=0) / std + dvar * np.mean(-2 * xc, axis=0)
    return dxhat / std + dvar * 2 * xc / n + dmu / n, np.sum(dout * xc / std, axis=0), np.sum(dout, axis=0)


def by_loops(dout, x, gamma, eps):
    """Entry by entry from ∂x̂_m/∂x_n."""
    n, d = x.shape
    dx = np.zeros_like(x)
    xhat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)
    for j in range(d):
        s = 1 / np.sqrt(x[:, j].var() + eps)
        for i in range(n):
            dx[i, j] = sum(dout[m, j] * gamma[j] * (s * ((m == i) - 1 / n) - s / n * xhat[m, j] * xhat[i, j]) for m in range(n))
    return dx, np.sum(dout * xhat, axis=0), dout.sum(axis=0)


def in_float32(dout, x, gamma, eps):
    return tuple(a.astype(np.float32) for a in compact(dout, x, gamma, eps))


@pytest.mark.parametrize("backward", [compact, staged, by_loops, in_float32])
def test_right_batchnorm_backwards_pass_without_hints(backward):
    feedback = check_batchnorm_backward(backward)
    assert feedback and feedback.hints == ()


def with_dx(**slip):
    return lambda dout, x, gamma, eps: (_dx(dout, x, gamma, eps, **slip),) + compact(dout, x, gamma, eps)[1:]


@pytest.mark.parametrize(
    "backward, hints",
    [
        (with_dx(mean=False), (BN_HINTS["mean"],)),
        (with_dx(variance=False), (BN_HINTS["variance"],)),
        (with_dx(ddof=1), (BN_HINTS["unbiased"],)),
        (with_dx(with_gamma=False), (BN_HINTS["gamma"],)),
        (lambda dout, x, gamma, eps: (len(x) * compact(dout, x, gamma, eps)[0],) + compact(dout, x, gamma, eps)[1:], (BN_HINTS["one_over_n"],)),
        (lambda dout, x, gamma, eps: compact(dout, x, gamma, 1e-5), (BN_HINTS["eps"], BN_HINTS["eps_dgamma"])),
        (lambda dout, x, gamma, eps: compact(dout, x, gamma, eps)[:1] + (np.sum(dout * x, axis=0), dout.mean(axis=0)), (BN_HINTS["dgamma_x"], BN_HINTS["dbeta_mean"])),
    ],
)
def test_each_batchnorm_slip_gets_exactly_its_hint(backward, hints):
    feedback = check_batchnorm_backward(backward)
    assert not feedback and feedback.hints == hints


def test_batchnorm_shortcuts_fail(capsys):
    shown = np.zeros((5, 3))
    assert not check_batchnorm_backward(lambda dout, x, gamma, eps: (shown, shown[0], shown[0]))  # the notebook's shape
    assert not check_batchnorm_backward(lambda dout, x, gamma, eps: compact(dout, x, np.ones_like(gamma), eps))  # ignores gamma

    def in_place(dout, x, gamma, eps):
        x -= x.mean(axis=0)
        return compact(dout, x, gamma, eps)

    assert not check_batchnorm_backward(in_place)
    assert "changed its input x in place" in capsys.readouterr().out

    def stub(dout, x, gamma, eps):
        raise NotImplementedError("your turn")

    assert not check_batchnorm_backward(stub)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "not filled in yet" in out


# --- clipping -----------------------------------------------------------------------------


def by_loop(grads, max_norm):
    total = 0.0
    for g in grads.values():
        for v in np.ravel(g):
            total += v * v
    norm = np.sqrt(total)
    factor = max_norm / norm if norm > max_norm else 1.0
    return {k: g * factor for k, g in grads.items()}, norm


def by_stacking(grads, max_norm):
    norm = np.linalg.norm(np.concatenate([g.ravel() for g in grads.values()]))
    return {k: (g * min(1.0, max_norm / max(norm, 1e-300))).astype(np.float32) for k, g in grads.items()}, np.float32(norm)


@pytest.mark.parametrize("clip", [lambda g, c: clip_by_global_norm(g, c), by_loop, by_stacking])
def test_right_clippings_pass_without_hints(clip):
    feedback = check_clip_by_global_norm(clip)
    assert feedback and feedback.hints == ()


def norm_of(grads):
    return np.sqrt(sum(np.sum(g**2) for g in grads.values()))


def per_tensor(grads, c):
    return {k: g * min(1.0, c / np.linalg.norm(g)) if np.linalg.norm(g) > 0 else g.copy() for k, g in grads.items()}, norm_of(grads)


def by_value(grads, c):
    return {k: np.clip(g, -c, c) for k, g in grads.items()}, norm_of(grads)


def always(grads, c):
    n = norm_of(grads)
    return {k: g * c / n if n > 0 else g.copy() for k, g in grads.items()}, n


def no_sqrt(grads, c):
    n2 = sum(np.sum(g**2) for g in grads.values())
    return {k: g * min(1.0, c / n2) if n2 > 0 else g.copy() for k, g in grads.items()}, n2


def sum_of_norms(grads, c):
    n = sum(np.linalg.norm(g) for g in grads.values())
    return {k: g * min(1.0, c / n) if n > 0 else g.copy() for k, g in grads.items()}, n


def norm_after(grads, c):
    clipped, n = clip_by_global_norm(grads, c)
    return clipped, min(n, c)


@pytest.mark.parametrize(
    "clip, hints",
    [
        (per_tensor, (CLIP_HINTS["per_tensor"],)),
        (by_value, (CLIP_HINTS["by_value"],)),
        (always, (CLIP_HINTS["always"],)),
        (no_sqrt, (CLIP_HINTS["no_sqrt"], CLIP_HINTS["no_sqrt"])),
        (sum_of_norms, (CLIP_HINTS["sum_of_norms"], CLIP_HINTS["sum_of_norms"])),
        (norm_after, (CLIP_HINTS["after"],)),
    ],
)
def test_each_clipping_slip_gets_exactly_its_hint(clip, hints):
    feedback = check_clip_by_global_norm(clip)
    assert not feedback and feedback.hints == hints


def test_clipping_shortcuts_fail(capsys):
    assert not check_clip_by_global_norm(lambda grads, c: clip_by_global_norm(grads, 1.0))  # ignores max_norm
    assert not check_clip_by_global_norm(lambda grads, c: ({k: g for k, g in list(grads.items())[:2]}, norm_of(grads)))  # hard-coded keys

    def in_place(grads, c):
        n = norm_of(grads)
        for g in grads.values():
            g *= min(1.0, c / n) if n > 0 else 1.0
        return grads, n

    assert not check_clip_by_global_norm(in_place)
    assert "changed its input grads in place" in capsys.readouterr().out

    def divides_by_zero(grads, c):
        n = norm_of(grads)
        with np.errstate(invalid="ignore", divide="ignore"):
            return {k: g * (c / n if n > c else 1.0) / (n / n) for k, g in grads.items()}, n

    assert not check_clip_by_global_norm(divides_by_zero)
    assert "not finite" in capsys.readouterr().out

    def stub(grads, max_norm):
        raise NotImplementedError("your turn")

    assert not check_clip_by_global_norm(stub)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "not filled in yet" in out
    assert not check_clip_by_global_norm(lambda grads, c: 1.0)
    assert "return (clipped, norm)" in capsys.readouterr().out


# --- leaky-ReLU init ----------------------------------------------------------------------


@pytest.mark.parametrize("init_std", [
    lambda d, a: np.sqrt(2 / ((1 + a**2) * d)),
    lambda d, a: 1 / np.sqrt(d * (1 + a * a) / 2),
    lambda d, a: np.float32(np.sqrt(2 / d) / np.sqrt(1 + a**2)),
])
def test_right_inits_pass_without_hints(init_std):
    feedback = check_leaky_relu_init(init_std)
    assert feedback and feedback.hints == ()


@pytest.mark.parametrize(
    "init_std, hints",
    [
        (lambda d, a: np.sqrt(2 / d), (LEAKY_HINTS["he"],)),
        (lambda d, a: np.sqrt(2 / ((1 + a) * d)), (LEAKY_HINTS["one_plus_alpha"],)),
        (lambda d, a: 2 / ((1 + a**2) * d), (LEAKY_HINTS["variance"],)),
        (lambda d, a: np.sqrt(1 / d), (LEAKY_HINTS["xavier"],)),
    ],
)
def test_each_init_slip_gets_exactly_its_hint(init_std, hints):
    feedback = check_leaky_relu_init(init_std)
    assert not feedback and feedback.hints == hints


def test_init_shortcuts_fail(capsys):
    assert not check_leaky_relu_init(lambda d, a: np.sqrt(2 / ((1 + a**2) * 16)))  # hard-coded d_in
    assert not check_leaky_relu_init(lambda d, a: np.sqrt(2 / ((1 + 0.01**2) * d)))  # ignores alpha
    assert not check_leaky_relu_init(lambda d, a: 1.0)

    def stub(d_in, alpha):
        raise NotImplementedError("your turn")

    assert not check_leaky_relu_init(stub)
    assert "not filled in yet" in capsys.readouterr().out
    assert not check_leaky_relu_init("he")
    assert "expected a function init_std(d_in, alpha)" in capsys.readouterr().out
