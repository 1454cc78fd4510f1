"""Notebook 07's checkers pass right answers and name the classic slips."""
import numpy as np
import pytest

from helpers.exercises import check_batchnorm_backward, check_relu_init


def right(dout, x, gamma, eps):
    xhat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)
    dxhat = dout * gamma
    dx = (dxhat - dxhat.mean(axis=0) - xhat * np.mean(dxhat * xhat, axis=0)) / np.sqrt(x.var(axis=0) + eps)
    return dx, np.sum(dout * xhat, axis=0), dout.sum(axis=0)


def with_dx(make_dx):
    def backward(dout, x, gamma, eps):
        _, dgamma, dbeta = right(dout, x, gamma, eps)
        return make_dx(dout, x, gamma, eps), dgamma, dbeta
    return backward


def parts(dout, x, gamma, eps, ddof=0):
    inv_std = 1 / np.sqrt(x.var(axis=0, ddof=ddof) + eps)
    return (x - x.mean(axis=0)) * inv_std, dout * gamma, inv_std


def no_mean_term(dout, x, gamma, eps):
    xhat, dxhat, inv_std = parts(dout, x, gamma, eps)
    return inv_std * (dxhat - xhat * np.mean(dxhat * xhat, axis=0))


def no_variance_term(dout, x, gamma, eps):
    xhat, dxhat, inv_std = parts(dout, x, gamma, eps)
    return inv_std * (dxhat - dxhat.mean(axis=0))


def unbiased(dout, x, gamma, eps):
    xhat, dxhat, inv_std = parts(dout, x, gamma, eps, ddof=1)
    return inv_std * (dxhat - dxhat.mean(axis=0) - xhat * np.mean(dxhat * xhat, axis=0))


def no_one_over_n(dout, x, gamma, eps):
    xhat, dxhat, inv_std = parts(dout, x, gamma, eps)
    return inv_std * (len(x) * dxhat - dxhat.sum(axis=0) - xhat * np.sum(dxhat * xhat, axis=0))


def test_right_batchnorm_backward_passes(capsys):
    assert check_batchnorm_backward(right)
    assert capsys.readouterr().out.count("✓") == 3


@pytest.mark.parametrize(
    "make_dx, hint",
    [
        (no_mean_term, "path through the mean"),
        (no_variance_term, "path through the variance"),
        (unbiased, "biased variance"),
        (no_one_over_n, "1/N"),
    ],
)
def test_each_batchnorm_slip_is_named(make_dx, hint, capsys):
    assert not check_batchnorm_backward(with_dx(make_dx))
    out = capsys.readouterr().out
    assert hint in out and "✓ dγ" in out


def test_batchnorm_slips_in_dgamma_and_dbeta(capsys):
    def means(dout, x, gamma, eps):
        dx, _, _ = right(dout, x, gamma, eps)
        return dx, np.sum(dout * x, axis=0), dout.mean(axis=0)

    assert not check_batchnorm_backward(means)
    out = capsys.readouterr().out
    assert "not x" in out and "not a mean" in out


def test_unfinished_or_wrong_type_answers_fail_with_a_reason(capsys):
    def unfinished(dout, x, gamma, eps):
        raise NotImplementedError("your turn")

    assert not check_batchnorm_backward(unfinished)
    assert "NotImplementedError" in capsys.readouterr().out
    assert not check_batchnorm_backward(42)
    assert not check_relu_init("he")
    assert "function" in capsys.readouterr().out


def test_he_init_passes_and_its_slips_are_named(capsys):
    assert check_relu_init(lambda d_in: np.sqrt(2 / d_in))
    assert "RMS of a_20 / a_1" in capsys.readouterr().out
    for wrong, hint in [(lambda d: np.sqrt(1 / d), "factor 2"), (lambda d: 2 / d, "square root"), (lambda d: 1.0, "fan-in")]:
        assert not check_relu_init(wrong)
        assert hint in capsys.readouterr().out
