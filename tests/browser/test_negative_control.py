"""Negative controls: the browser checks fail when a widget does not render or does not respond.

A control notebook (plain ipywidgets, independent of helpers/) holds one widget that responds
to every kind of control the harness moves, and one that redraws the same text and picture
whatever its slider says (a flicker, and a new image URL, but no change).

- With the widget front end on, ``check_rendered`` passes and ``exercise`` moves every
  control kind of the responsive widget; on the unresponsive one ``exercise`` fails.
- With the front end disabled (what ``jupyter labextension disable
  @jupyter-widgets/jupyterlab-manager`` does), the page shows ``interactive(children=(...``
  as text, and the same ``check_rendered`` the notebook tests use fails.
"""
import json

import pytest

from .conftest import REPO
from .jupyterlab import WIDGET_EXTENSION, JupyterLab, NotebookPage, check_rendered, exercise

pytestmark = pytest.mark.browser

CONTROL_NOTEBOOK = "browser_control.ipynb"
IMPORTS = """\
import ipywidgets as widgets
import matplotlib.pyplot as plt"""
RESPONSIVE = """\
@widgets.interact(
    a=widgets.FloatSlider(value=0.5, min=-1.0, max=1.0, step=0.1, continuous_update=False),
    lr=widgets.FloatLogSlider(value=0.1, base=10, min=-3, max=1, step=0.1, continuous_update=False),
    n=widgets.IntSlider(value=3, min=2, max=9, continuous_update=False),
    style=widgets.Dropdown(options=["line", "dots"]),
    grid=widgets.Checkbox(value=False, description="grid"),
    flip=widgets.ToggleButton(value=False, description="flip"),
    color=widgets.ToggleButtons(options=["C0", "C1"]),
)
def responsive(a, lr, n, style, grid, flip, color):
    xs = list(range(n))
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot(xs, [(-1 if flip else 1) * a * lr * x for x in xs], "-" if style == "line" else "o", color=color)
    ax.grid(grid)
    plt.show()
    print(f"a={a:.2f} lr={lr:.3g} n={n} style={style} grid={grid} flip={flip} color={color}")"""
UNRESPONSIVE = """\
import io

fig, ax = plt.subplots(figsize=(2, 1))
ax.plot([0, 1])
buffer = io.BytesIO()
fig.savefig(buffer, format="png")
plt.close(fig)
k = widgets.IntSlider(value=1, min=0, max=5, description="ignored", continuous_update=False)
note, picture = widgets.Output(), widgets.Image(format="png")


def redraw(change):  # the same text and picture again, whatever k is
    picture.value = b""
    picture.value = buffer.getvalue()
    with note:
        note.clear_output(wait=True)
        print("this output ignores the slider")


k.observe(redraw, names="value")
redraw(None)
widgets.VBox([k, note, picture])"""
RESPONSIVE_KINDS = {"slider": 3, "select": 1, "checkbox": 1, "toggle-button": 1, "toggle-buttons": 1}


def control_notebook():
    """The control notebook as JSON text (nbformat 4.5, no outputs)."""
    cells = [
        {"cell_type": "code", "id": f"control-{i}", "metadata": {}, "execution_count": None, "outputs": [], "source": source}
        for i, source in enumerate((IMPORTS, RESPONSIVE, UNRESPONSIVE))
    ]
    kernelspec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    return json.dumps({"cells": cells, "metadata": {"kernelspec": kernelspec}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


@pytest.fixture()
def control_page(lab, runner):
    """The control notebook, run on the session's server, with the widget front end on."""
    lab.add_notebook(CONTROL_NOTEBOOK, control_notebook())
    nb = runner.page(CONTROL_NOTEBOOK)  # the second test reuses the first one's page
    if not nb.ran:
        nb.run_all()
    return nb


def test_checks_pass_on_the_control_notebook_when_widgets_render(control_page):
    stats = check_rendered(control_page)
    assert stats["widget_views"] == 2, stats
    moved = exercise(control_page, views=[0])
    kinds = {kind: sum(m["kind"] == kind for m in moved) for kind in RESPONSIVE_KINDS}
    assert kinds == RESPONSIVE_KINDS, f"moved {moved}"


def test_exercise_fails_when_the_output_ignores_a_control(control_page):
    with pytest.raises(AssertionError, match=r"slider 'ignored'.*did not change"):
        exercise(control_page, views=[1], timeout=3)


def test_check_rendered_fails_when_the_widget_front_end_is_disabled(tmp_path, context, artifacts):
    (tmp_path / CONTROL_NOTEBOOK).write_text(control_notebook(), encoding="utf-8")
    with JupyterLab(tmp_path, disabled_extensions=[WIDGET_EXTENSION], pythonpath=REPO) as lab:
        nb = NotebookPage(lab, context, CONTROL_NOTEBOOK).open()
        try:
            nb.run_all()
            with pytest.raises(AssertionError) as failure:
                check_rendered(nb)
            message = str(failure.value)
            assert message.count("a widget is shown as text, not rendered") == 2, message
            assert "interactive(children=(FloatSlider(" in message, message
            assert message.count("1 widget view(s) in the notebook model, 0 rendered as live widgets") == 2, message
        finally:
            nb.screenshot(artifacts / "negative-control-no-widget-frontend.png")
            nb.close()
