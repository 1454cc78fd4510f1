"""Lecture mode: every notebook's slide metadata is what one rule (devtools.regenerate.mark_slides) derives.

The rule reads each cell's place (headings, prose, widget builders, predict-then-run
questions), so `course.py regen` re-derives it and it never drifts from the text. The real
slideshow, in JupyterLab with jupyterlab-slideshow, is tested in tests/browser/test_slideshow.py.
"""
import copy
from pathlib import Path

import nbformat
import pytest

from devtools.regenerate import PREDICT, is_widget_cell, mark_slides

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
NEW = ("slide", "subslide")


def slide_types(nb):
    return [cell.metadata.get("slideshow", {}).get("slide_type", "-") for cell in nb.cells]


def slides(nb):
    """The slideshow's (sub)slides as lists of cell indices, the way RISE groups them."""
    groups = []
    for i, kind in enumerate(slide_types(nb)):
        if kind in NEW or not groups:
            groups.append([])
        if kind not in ("skip", "notes"):
            groups[-1].append(i)
    return groups


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_slide_metadata_is_what_the_rule_derives(path):
    nb = nbformat.read(path, as_version=4)
    stored = [cell.metadata.get("slideshow") for cell in nb.cells]
    derived = [cell.metadata.get("slideshow") for cell in mark_slides(copy.deepcopy(nb)).cells]
    wrong = [f"cell {i}: stored {s}, the rule says {d}" for i, (s, d) in enumerate(zip(stored, derived)) if s != d]
    assert not wrong, "run course.py regen (devtools.regenerate.mark_slides):\n" + "\n".join(wrong[:10])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_rule_gives_each_notebook_a_slideshow(path):
    """On a copy: a title slide, one slide per section, each widget alone on its slide, idempotent."""
    nb = mark_slides(nbformat.read(path, as_version=4))
    kinds = slide_types(nb)
    assert kinds[0] == "slide" and set(kinds) <= {"slide", "subslide", "fragment", "-"}, kinds
    sections = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown" and "".join(cell.source).startswith(("# ", "## "))]
    assert [i for i, kind in enumerate(kinds) if kind == "slide"] == sections
    assert len(sections) >= 4, f"{path.name}: only {len(sections)} slides"
    widgets = [i for i, cell in enumerate(nb.cells) if is_widget_cell(cell)]
    assert widgets, f"{path.name}: no widget cell found (every notebook has an explorer)"
    for i in widgets:
        assert [i] in slides(nb), f"{path.name}: widget cell {i} does not have a slide of its own: {slides(nb)}"
    for i, cell in enumerate(nb.cells[:-1]):
        if cell.cell_type == "markdown" and PREDICT in "".join(cell.source) and nb.cells[i + 1].cell_type == "code":
            assert kinds[i + 1] == "fragment", f"{path.name}: the answer to the prediction in cell {i} is not held back"
    assert slide_types(mark_slides(copy.deepcopy(nb))) == kinds, "mark_slides is not idempotent"


def test_the_rule_cell_by_cell():
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    cells = [
        (md("# 09 · Title\n\nGoal."), "slide"),
        (code("import numpy as np"), "-"),
        (md("## 1. A section"), "slide"),
        (code("x = 1"), "-"),
        (md("More prose about $x$."), "subslide"),
        (code("print(x)"), "-"),
        (md("### A subsection"), "subslide"),
        (md(f"{PREDICT} What does the next cell print? Write it down."), "subslide"),
        (code("print(2 * x)"), "fragment"),
        (code("print(3 * x)"), "-"),
        (md("#### A small heading is prose"), "subslide"),
        (code("neuron_explorer()"), "subslide"),
        (code("after = 1"), "subslide"),
        (code("not_a_builder()"), "-"),
        (md("##No space is not a heading"), "subslide"),
    ]
    nb = nbformat.v4.new_notebook(cells=[cell for cell, _ in cells])
    nb.cells[4].metadata["slideshow"] = {"slide_type": "skip", "other": 1}  # a hand-set type is overwritten
    assert slide_types(mark_slides(nb)) == [kind for _, kind in cells]
    assert nb.cells[4].metadata["slideshow"] == {"slide_type": "subslide"}
    assert "slideshow" not in nb.cells[1].metadata  # "-" is no key: jupyterlab-slideshow would hide a cell typed "-"
    assert slides(nb)[-4:] == [[10], [11], [12, 13], [14]]
