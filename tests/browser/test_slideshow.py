"""Lecture mode in a real browser: a notebook presented as slides inside JupyterLab, its widget live.

On a copy of notebook 00 with the slide metadata ``devtools.regenerate.mark_slides`` derives:
Run All, start the slideshow from the notebook toolbar's deck button (jupyterlab-slideshow,
command ``deck:toggle``), press Space (or an arrow where Space stops) until the widget's slide
is on screen, require that slide
to hold the widget cell alone, move its slider and require the figure and numbers to change.
No page error, no "Error displaying widget", and no request to any host but 127.0.0.1 (the
extension ships everything it shows; nothing comes from a CDN).

Negative control: the same notebook without slide metadata is one long slide, and the
navigation check fails on it.
"""
import copy
import time
import urllib.parse

import nbformat
import pytest

from devtools.regenerate import is_widget_cell, mark_slides

from .conftest import NOTEBOOK_DIR
from .jupyterlab import BAD_OUTPUT_TEXT, NotebookPage, check_rendered, exercise

pytestmark = pytest.mark.browser

NOTEBOOK = "00_start_here.ipynb"
DECK_BUTTON = ".jp-NotebookPanel:not(.lm-mod-hidden) [data-jp-item-name='deck']"
STEP_TIMEOUT = 15  # s for one key press to bring the next slide (~0.3 s quiet)
SETTLE = 0.7  # s the slideshow must hold still before the next key press
KEYS = ("Space", "ArrowDown", "ArrowRight")
KEY_WAIT = 4  # s for a key press to move the slideshow before the next key is tried
# Per cell of the notebook on screen: [on screen (its slide is shown), visible (revealed)].
_JS_DECK = """() => ({
  mode: document.body.dataset.jpDeckMode || null,
  cells: Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell'))
    .map(c => [c.classList.contains('jp-deck-mod-onscreen'), c.classList.contains('jp-deck-mod-visible')]),
})"""


def slides_copy(with_metadata=True):
    """Notebook 00 as JSON text: with the slide metadata the rule derives, or with none at all."""
    nb = nbformat.read(NOTEBOOK_DIR / NOTEBOOK, as_version=4)
    if with_metadata:
        mark_slides(nb)
    else:
        for cell in nb.cells:
            cell.metadata.pop("slideshow", None)
    return nb, nbformat.writes(nb)


def external(url):
    """True for a request that leaves the machine (blob: and data: URLs stay in the page)."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme not in ("blob", "data") and parts.hostname not in ("127.0.0.1", "localhost")


def on_screen(nb):
    """The slideshow's mode and the cells on screen (the current slide)."""
    state = nb.page.evaluate(_JS_DECK)
    return state["mode"], [i for i, (shown, _) in enumerate(state["cells"]) if shown]


def revealed(nb):
    """The cells on screen and the cells revealed so far (a key press may reveal the next cell of the same slide)."""
    state = nb.page.evaluate(_JS_DECK)["cells"]
    return [i for i, (shown, _) in enumerate(state) if shown], [i for i, (_, seen) in enumerate(state) if seen]


def start_slideshow(nb):
    nb.page.locator(".jp-Notebook .jp-Cell").first.click()
    nb.page.keyboard.press("Escape")  # command mode, where the slideshow's keys act
    nb.page.locator(DECK_BUTTON).click()
    nb._poll(lambda: on_screen(nb)[0] == "presenting" and on_screen(nb)[1], STEP_TIMEOUT, "the slideshow to start")


def settled(nb, quiet=SETTLE):
    """The slideshow's state once it has not changed for ``quiet`` s (a key press during a move is lost)."""
    state, since = revealed(nb), time.monotonic()
    deadline = since + STEP_TIMEOUT
    while time.monotonic() - since < quiet and time.monotonic() < deadline:
        time.sleep(0.1)
        now = revealed(nb)
        if now != state:
            state, since = now, time.monotonic()
    return state


def press_on(nb, state):
    """Move the slideshow on as a presenter does: Space; where Space stops (jupyterlab-slideshow 0.3.4
    ignores it on the last code cell of some slides), the down arrow, then the right arrow.
    Returns the key that moved it."""
    for key in KEYS:
        nb.page.keyboard.press(key)
        deadline = time.monotonic() + KEY_WAIT
        while time.monotonic() < deadline:
            if revealed(nb) != state:
                return key
            time.sleep(0.1)
    focus = nb.page.evaluate("() => document.activeElement && (document.activeElement.className || document.activeElement.tagName)")
    raise AssertionError(f"{nb.name}: none of {KEYS} moved the slideshow on from cells {state} (focus on {focus!r})")


def go_to_slide_of(nb, cell, max_presses):
    """Move on until ``cell`` is on screen; fail unless it is alone on its slide. Returns the slides seen."""
    state = settled(nb)
    seen = [state[0]]
    for _ in range(max_presses):
        if cell in seen[-1]:
            break
        press_on(nb, state)
        state = settled(nb)
        if state[0] != seen[-1]:
            seen.append(state[0])
    assert cell in seen[-1], f"{nb.name}: the widget cell {cell} never came on screen in {max_presses} presses of Space: {seen}"
    assert len(seen) > 2, f"{nb.name}: the widget cell {cell} is on the first slides {seen}: the notebook is not cut into slides"
    assert seen[-1] == [cell], f"{nb.name}: the widget cell {cell} shares its slide with cells {seen[-1]} (slides seen: {seen})"
    return seen


@pytest.fixture()
def slideshow_page(lab, context, runner):
    """A fresh page for one notebook, its requests recorded; only one kernel runs at a time."""
    runner.discard()
    pages = []

    def open_page(name, text):
        lab.add_notebook(name, text)
        nb = NotebookPage(lab, context, name)
        nb.requests = []
        nb.page.on("request", lambda request: nb.requests.append(request.url))
        pages.append(nb)
        return nb.open()

    yield open_page
    for nb in pages:
        nb.close()
    lab.delete_sessions()


def test_a_notebook_presents_as_slides_with_its_widget_live(slideshow_page, artifacts, timings):
    started = time.monotonic()
    notebook, text = slides_copy()
    widget = next(i for i, cell in enumerate(notebook.cells) if is_widget_cell(cell))
    nb = slideshow_page(f"slides_{NOTEBOOK}", text)
    try:
        nb.run_all()
        check_rendered(nb)
        before = time.monotonic()
        start_slideshow(nb)
        seen = go_to_slide_of(nb, widget, max_presses=len(notebook.cells))
        nb.timings["to_widget_slide"] = time.monotonic() - before
        views = [view for view in nb.widget_views() if view["cell"] == widget]
        assert len(views) == 1 and views[0]["controls"], f"{nb.where(widget)}: no live widget with controls on its slide: {views}"
        moved = exercise(nb, views=[views[0]["index"]])
        assert [m["kind"] for m in moved] == ["slider"], moved
        assert on_screen(nb) == ("presenting", [widget]), f"moving the slider left the widget's slide: {on_screen(nb)}"
        shown = [o["text"][:300] for o in nb.outputs() if o["cell"] == widget and any(bad in o["text"] for bad in BAD_OUTPUT_TEXT)]
        assert not shown and not nb.page_errors, f"on the widget's slide: {shown}, JavaScript errors {nb.page_errors}"
        nb.page.screenshot(path=str(artifacts / "slideshow-widget-slide.png"))
        nb.page.keyboard.press("Escape")  # leave the slideshow: the notebook is whole again
        nb._poll(lambda: on_screen(nb)[0] != "presenting", STEP_TIMEOUT, "Escape to end the slideshow")
        check_rendered(nb)  # every output, as the notebook model has it: nothing broke in the slideshow
        leaving = sorted({url for url in nb.requests if external(url)})
        assert not leaving, f"the slideshow fetched from outside the machine: {leaving}"
        assert any("jupyterlab-slideshow" in url for url in nb.requests), "the slideshow extension was not loaded"
    finally:
        nb.screenshot(artifacts / "slideshow-notebook.png")
        timings["slideshow"] = {**nb.timings, "total": time.monotonic() - started}
    timings["slideshow"].update(slides_to_widget=len(seen) - 1, redraw=round(moved[0]["seconds"], 2))


def test_navigation_check_fails_without_slide_metadata(slideshow_page, artifacts):
    """Negative control: with no slide metadata the notebook is one slide, and the check says so."""
    notebook, text = slides_copy(with_metadata=False)
    widget = next(i for i, cell in enumerate(notebook.cells) if is_widget_cell(cell))
    nb = slideshow_page(f"noslides_{NOTEBOOK}", text)
    try:
        nb.run_all()
        start_slideshow(nb)
        with pytest.raises(AssertionError, match=rf"the widget cell {widget} (shares its slide with cells|is on the first slides)"):
            go_to_slide_of(nb, widget, max_presses=len(notebook.cells))
    finally:
        nb.screenshot(artifacts / "slideshow-negative-control.png")
