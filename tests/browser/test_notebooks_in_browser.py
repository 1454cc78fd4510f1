"""Every notebook in notebooks/, run in JupyterLab in headless Chromium, with every control moved.

A notebook added to notebooks/ is covered with no new code. For each one: Run All Cells,
require every output to render (no traceback, no widget left as text or "Loading widget..."),
then move every slider, dropdown, toggle and checkbox and require the widget's figure or
numbers to change. A screenshot of the whole notebook goes to tests/artifacts/<notebook>.png.
"""
import time

import pytest

from .conftest import NOTEBOOK_DIR, for_notebook
from .jupyterlab import check_rendered, exercise, read_slider, type_into_slider, wait_changed

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(path.name for path in NOTEBOOK_DIR.glob("*.ipynb"))
NEURON_NOTEBOOK = "01_one_neuron.ipynb"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_renders_and_every_control_redraws(name, runner, artifacts, timings):
    started = time.monotonic()
    nb = runner.fresh(name)
    passed = False
    try:
        nb.run_all()
        rendered = check_rendered(nb)
        moved = exercise(nb)
        check_rendered(nb)  # nothing broke while the controls moved
        passed = True
    finally:
        nb.screenshot(artifacts / f"{name.removesuffix('.ipynb')}.png")
        timings[name] = {**nb.timings, "total": time.monotonic() - started}
        if not passed:
            runner.discard()
    timings[name].update(
        widget_views=rendered["widget_views"],
        controls=len(moved),
        redraws={f"{m['cell']}:{m['kind']}:{m['label']}": round(m["seconds"], 2) for m in moved},
    )


@for_notebook(NEURON_NOTEBOOK)
@pytest.mark.skipif(NEURON_NOTEBOOK not in NOTEBOOKS, reason=f"notebooks/{NEURON_NOTEBOOK} does not exist yet")
def test_neuron_explorer_prints_the_gradient_of_helpers(runner, artifacts):
    """Set w by typing into its readout; the printed ∂L/∂w (and ∂L/∂b) is the helpers' value."""
    from helpers.neuron import neuron_trace
    from helpers.widgets import fmt

    nb = runner.page(NEURON_NOTEBOOK)  # reuses the page of the test above when it passed
    passed = False
    try:
        if not nb.ran:
            nb.run_all()
            check_rendered(nb)
        nb.widget_views()  # (re)tags views and controls
        views = nb.page.locator("[data-e2e-view]").filter(has=nb.page.locator("td.value[data-name='∂L/∂w']"))
        assert views.count() >= 1, f"{NEURON_NOTEBOOK}: no widget shows a ∂L/∂w cell (td.value[data-name='∂L/∂w'])"
        view = int(views.first.get_attribute("data-e2e-view"))
        where = f"{NEURON_NOTEBOOK}, neuron explorer (widget view {view})"

        for label, value in (("b", -0.4), ("x", 1.5), ("y_true", 0.25)):  # b < 0: its readout shows U+2212
            type_into_slider(nb, view, label, value)
        w = 1.3 if abs(read_slider(nb, view, "w") - 1.3) > 1e-9 else 1.7
        before = nb.view_snapshot(view)
        type_into_slider(nb, view, "w", w)
        wait_changed(nb, view, before, f"{where}: typing w = {w} into the readout")

        values = {label: read_slider(nb, view, label) for label in ("x", "w", "b", "y_true")}
        assert values == {"x": 1.5, "w": w, "b": -0.4, "y_true": 0.25}, f"{where}: the readouts show {values}"
        trace = neuron_trace(values["x"], values["w"], values["b"], values["y_true"])
        expected = {"∂L/∂w": fmt(trace.dL_dw), "∂L/∂b": fmt(trace.dL_db)}

        def printed():  # as the student reads it, with U+2212 turned back into "-"
            cells = nb.page.locator(f'[data-e2e-view="{view}"] td.value')
            return {name: cells.and_(nb.page.locator(f"[data-name='{name}']")).inner_text().strip().replace("\u2212", "-") for name in expected}

        deadline = time.monotonic() + 15  # the last readout's update may still be on its way
        while (shown := printed()) != expected and time.monotonic() < deadline:
            time.sleep(0.2)
        assert shown == expected, f"{where}: at {values} the widget prints {shown}, helpers.neuron.neuron_trace gives {expected}"
        passed = True
    finally:
        if not passed:
            nb.screenshot(artifacts / f"{NEURON_NOTEBOOK.removesuffix('.ipynb')}-gradient.png")
            runner.discard()
