"""Decision-boundary and digit-grid drawings: what they draw, and that bad input names the argument."""
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from matplotlib.figure import Figure
from raises import assert_raises_exactly

from helpers.classifier_plots import DecisionSurface, decision_surface, grid_points, plot_decision_boundary, plot_digit_grid
from helpers.datasets import load_digits, moons


@pytest.fixture
def ax():
    return Figure().subplots()  # a figure pyplot does not know: nothing to close, no backend needed


@settings(max_examples=25, deadline=None, derandomize=True)
@given(resolution=st.integers(2, 40), seed=st.integers(0, 1000))
def test_grid_covers_the_data_and_the_surface_is_the_model_on_it(resolution, seed):
    x = np.random.default_rng(seed).normal(size=(20, 2))
    points, extent = grid_points(x, resolution, margin=0.1)
    assert points.shape == (resolution**2, 2)
    assert extent == pytest.approx((x[:, 0].min() - 0.1, x[:, 0].max() + 0.1, x[:, 1].min() - 0.1, x[:, 1].max() + 0.1))
    surface = decision_surface(lambda p: (p[:, :1] > 0).astype(float), x, resolution, margin=0.1)
    assert surface.probabilities.shape == (resolution, resolution) and surface.extent == extent
    # row i is one y, column j one x, so the right-hand half (x > 0) is class 1
    xs = np.linspace(extent[0], extent[1], resolution)
    assert np.array_equal(surface.probabilities[0], (xs > 0).astype(float))


def test_decision_boundary_draws_the_surface_and_every_point(ax):
    x, labels = moons(50, np.random.default_rng(0))
    surface = decision_surface(lambda p: 1 / (1 + np.exp(-p[:, 1])), x, 30)
    plot_decision_boundary(x, labels, surface, ax=ax, title="moons")
    assert np.array_equal(ax.images[0].get_array(), surface.probabilities)
    assert np.array_equal(ax.collections[0].get_offsets(), x)
    assert ax.get_title() == "moons" and len(ax.get_xticks()) > 0
    assert ax.images[0].get_interpolation() == "bilinear"
    lean = plot_decision_boundary(x, labels, surface, ax=Figure().subplots(), ticks=False, smooth=False)
    assert lean.get_xticks().size == 0 and lean.images[0].get_interpolation() == "nearest"


def test_digit_grid_labels_right_and_wrong_predictions(ax):
    digits = load_digits()
    images, labels = digits.images[:12], digits.labels[:12]
    predicted = labels.copy()
    predicted[3] = (labels[3] + 1) % 10
    plot_digit_grid(images, labels, predicted, ax=ax, columns=5)
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 12 and texts[3] == f"{predicted[3]}→{labels[3]}" and texts[0] == str(labels[0])
    assert ax.texts[3].get_color() == "tab:red" and ax.texts[0].get_color() == "tab:green"
    mosaic = ax.images[0].get_array()
    assert np.array_equal(mosaic[:8, :8], images[0]) and np.array_equal(mosaic[:8, 9:17], images[1])
    plot_digit_grid(images, labels, ax=ax)
    assert [t.get_text() for t in ax.texts[12:]] == [str(v) for v in labels]


def test_nothing_is_shown_or_changed_globally(ax, monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("a drawing function called plt.show()"))
    before = dict(matplotlib.rcParams)
    x, labels = moons(20, np.random.default_rng(0))
    plot_decision_boundary(x, labels, decision_surface(lambda p: np.zeros(len(p)), x, 5), ax=ax)
    plot_digit_grid(load_digits().images[:3], np.arange(3), ax=ax)
    assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: decision_surface("model", np.zeros((3, 2))), TypeError, r"predict must be a function from points \(M, 2\) to probabilities; got str"),
        (lambda: decision_surface(lambda p: np.zeros(3), np.zeros((3, 2)), 4), ValueError, r"predict must return one probability per point, 16; got 3 values"),
        (lambda: grid_points(np.zeros((3, 3))), ValueError, r"x must have shape \(N, 2\); got shape \(3, 3\)"),
        (lambda: plot_decision_boundary(np.zeros((3, 2)), np.zeros(2), DecisionSurface(np.zeros((2, 2)), (0, 1, 0, 1))), ValueError, r"labels must have shape \(3,\), one per point of x; got \(2,\)"),
        (lambda: plot_decision_boundary(np.zeros((3, 2)), np.zeros(3), np.zeros((2, 2))), TypeError, r"surface must be the DecisionSurface that decision_surface returns; got ndarray"),
        (lambda: plot_digit_grid(np.zeros((3, 8, 8)), np.zeros(2)), ValueError, r"labels must have shape \(3,\), one per image; got \(2,\)"),
        (lambda: plot_digit_grid(np.zeros((3, 8, 8)), np.zeros(3), np.zeros(4)), ValueError, r"predicted must have shape \(3,\), one per image; got \(4,\)"),
        (lambda: plot_digit_grid(np.zeros((3, 64)), np.zeros(3)), ValueError, r"images must be 3-D; got 2-D with shape \(3, 64\)"),
    ],
)
def test_bad_arguments_are_named(call, error, message, ax):
    assert_raises_exactly(call, error, message)
