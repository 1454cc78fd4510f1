"""Notebook 04's optimizer explorer and its drawings, without a browser."""
import numpy as np
import pytest
from matplotlib.figure import Figure
from widget_probe import figure_data, fingerprint

from helpers.descent import lr_sweep, run_optimizer, steps_to_threshold
from helpers.optimizer_plots import plot_contours, plot_loss_curves, plot_lr_sweep, plot_minibatch_runs
from helpers.optimizers import SGD, Adam, Momentum, RMSProp
from helpers.surfaces import BOWL, ROSENBROCK
from helpers.widgets import BUILDERS
from helpers.widgets.optimizers import make_optimizer



@pytest.fixture
def explorer():
    return BUILDERS["optimizer_explorer"]()


def test_the_explorer_runs_the_course_optimizer(explorer):
    explorer.controls["optimizer"].value = "Momentum"
    explorer.controls["lr"].value = 0.01
    explorer.controls["beta"].value = 0.8
    v = explorer.values()
    expected = run_optimizer("bowl", Momentum(v["lr"], 0.8), (v["x0"], v["y0"]), 1000)
    np.testing.assert_array_equal(explorer.result.run.points, expected.points)
    arrived = steps_to_threshold(expected, BOWL.threshold)
    assert arrived is not None and f"at step <b>{arrived}</b>" in explorer.status.value


def test_the_explorer_says_where_it_diverged_and_draws_nothing_non_finite(explorer):
    explorer.controls["optimizer"].value = "SGD"
    explorer.controls["lr"].value = 0.1  # above 2/λ_max = 0.02 on the bowl
    run = explorer.result.run
    assert run.diverged_at is not None and f"diverged at step {run.diverged_at}" in explorer.status.value
    assert all(np.all(np.isfinite(a)) for a in figure_data(explorer.figure))
    assert "SGD uses no β" in explorer.status.value


def test_the_explorer_says_when_a_run_falls_short(explorer):
    explorer.controls["surface"].value = "rosenbrock"
    explorer.controls["x0"].value, explorer.controls["y0"].value = -1.5, 2.0
    explorer.controls["optimizer"].value = "SGD"
    explorer.controls["lr"].value = 1e-4
    assert f"did not reach loss ≤ {ROSENBROCK.threshold:g}" in explorer.status.value


def test_the_view_grows_to_show_a_start_outside_the_surfaces_bounds(explorer):
    explorer.controls["y0"].value = 2.9  # the bowl's view ends at y = 1.5
    left = explorer.figure.axes[0]
    assert left.get_ylim()[1] > 2.9 and left.get_xlim() == (BOWL.bounds[0], BOWL.bounds[1])


def _limits(ax):
    return [float(f"{v:.9g}") for v in ax.get_xlim() + ax.get_ylim()]  # a log axis's limits may differ in the last bit


def _view(figure):
    return [(_limits(ax), ax.get_title(), [t.get_text() for t in ax.get_legend().get_texts()], [line.get_marker() for line in ax.lines]) for ax in figure.axes]


def test_the_explorer_updates_its_figure_to_what_a_fresh_drawing_shows(explorer):
    moves = [("surface", "rosenbrock"), ("y0", 2.9), ("x0", -5.0), ("optimizer", "SGD"), ("lr", 0.1), ("surface", "bowl"), ("lr", 0.01), ("y0", 0.0)]
    for name, value in moves:  # through a new surface and view, a diverged run and a new label
        explorer.controls[name].value = value
        fresh = Figure()
        explorer.draw(explorer.result, fresh)
        assert fingerprint(explorer.figure) == fingerprint(fresh), name
        assert _view(explorer.figure) == _view(fresh), name


@pytest.mark.parametrize("name, kind", [("SGD", SGD), ("Momentum", Momentum), ("RMSProp", RMSProp), ("Adam", Adam)])
def test_make_optimizer(name, kind):
    opt = make_optimizer(name, 0.1, 0.5, 0.99)
    assert type(opt) is kind and opt.lr == 0.1
    assert getattr(opt, "beta", getattr(opt, "beta1", 0.5)) == 0.5


def test_make_optimizer_refuses_an_unknown_name():
    with pytest.raises(ValueError, match="name must be one of"):
        make_optimizer("Adagrad", 0.1)


def test_contours_and_loss_curves_draw_each_path_in_matching_colours():
    runs = [run_optimizer(BOWL, SGD(0.015), BOWL.start, 50, label="GD"), run_optimizer(BOWL, Adam(0.3), BOWL.start, 50, label="Adam")]
    figure = Figure()
    left, right = figure.subplots(1, 2)
    plot_contours(BOWL, runs, ax=left)
    plot_loss_curves(runs, ax=right, threshold=BOWL.threshold)
    paths = [line for line in left.lines if line.get_label() in ("GD", "Adam")]
    curves = [line for line in right.lines if line.get_label() in ("GD", "Adam")]
    assert [p.get_color() for p in paths] == [c.get_color() for c in curves] == ["C0", "C1"]
    np.testing.assert_array_equal(paths[1].get_xydata(), runs[1].points)
    assert left.images and left.get_xlim() == BOWL.bounds[:2]


def test_sweep_plot_marks_diverged_rates():
    sweep = lr_sweep(BOWL, SGD, [0.005, 0.015, 0.05], BOWL.start, 300, BOWL.threshold)
    ax = Figure().subplots()
    plot_lr_sweep({"GD": sweep}, ax=ax, limit=0.02)
    crosses = [line for line in ax.lines if line.get_marker() == "x"]
    assert len(crosses) == 1 and crosses[0].get_xdata().tolist() == [0.05]


def test_minibatch_plot_refuses_an_unknown_axis():
    with pytest.raises(ValueError, match="per must be"):
        plot_minibatch_runs([], ax=Figure().subplots(), per="epoch")
