"""Re-execute every notebook (or those named) and store its outputs, ready to commit.

    python course.py regen [notebooks/01_one_neuron.ipynb ...]
    (or: python -m devtools.regenerate ...)

Runs each notebook top to bottom in a fresh kernel of this environment (the
same kernel the tests use), without timing metadata, then removes widget
state and widget views (a stored view without its state shows "model not
found" to a student) and the outputs of cells tagged ``nbval-ignore-output``:
those differ from run to run or from machine to machine (widgets, timings,
optional frameworks), so the student sees them on running the cell. Running it
twice in a row changes nothing. Exercise cells get the nbgrader metadata their tags
imply (``mark_for_grading``), so a teacher's nbgrader grades them as they are, and every
cell gets the slide type its place implies (``mark_slides``), so the same file presents
as a slideshow (jupyterlab-slideshow) in lecture mode.
"""
import re
import sys
from pathlib import Path

import nbformat

from devtools.execute import execute

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
VOLATILE = "nbval-ignore-output"


def strip_volatile(nb):
    """Drop widget state, widget views, and every output of cells tagged ``nbval-ignore-output``."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if VOLATILE in cell.get("metadata", {}).get("tags", []):
            cell.outputs = []
        else:
            cell.outputs = [out for out in cell.outputs if WIDGET_VIEW not in out.get("data", {})]
    return nb


def mark_for_grading(nb, notebook_id):
    """Give exercise cells the nbgrader metadata their tags imply (tags are the one convention).

    The k-th ``solution`` cell becomes nbgrader's answer cell ``<id>-ex<k>-answer``; the
    ``check`` cell after it a locked, autograded test cell ``<id>-ex<k>-check`` worth one point.
    Any other cell carries no nbgrader metadata.
    """
    k = 0
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        cell.metadata.pop("nbgrader", None)
        if "solution" in tags:
            k += 1
            cell.metadata["nbgrader"] = {"grade": False, "grade_id": f"{notebook_id}-ex{k}-answer", "locked": False, "schema_version": 3, "solution": True, "task": False}
        elif "check" in tags:
            cell.metadata["nbgrader"] = {"grade": True, "grade_id": f"{notebook_id}-ex{k}-check", "locked": True, "points": 1, "schema_version": 3, "solution": False, "task": False}
    return nb


PREDICT = "**Predict, then run.**"


def is_widget_cell(cell):
    """A code cell that is one call of a registered widget builder, e.g. ``neuron_explorer()``."""
    from helpers.widgets import BUILDERS

    call = re.fullmatch(r"(\w+)\(.*\)", "".join(cell.source).strip(), re.S)
    return cell.cell_type == "code" and call is not None and call.group(1) in BUILDERS


def slide_type(cell, previous):
    """The slide type of ``cell`` in lecture mode, given the cell before it (``None`` for the first).

    - the first cell (the title) and a markdown cell starting with a ``#`` or ``##`` heading: a new
      slide (left/right in the slideshow);
    - any other markdown cell (a ``###`` heading or a new paragraph of prose): a new subslide
      (down), so the code cells after it, which show what it says, share its slide;
    - a widget cell: a subslide of its own (the cell after it starts the next subslide);
    - the code cell after a ``**Predict, then run.**`` question: a fragment, shown on the next key
      press, so a class can guess first;
    - any other code cell: ``-``, on the slide of the cell before it.
    """
    if previous is None:
        return "slide"
    if cell.cell_type == "markdown":
        first = "".join(cell.source).lstrip().split("\n", 1)[0]
        return "slide" if re.match(r"##? ", first) else "subslide"
    if is_widget_cell(cell) or is_widget_cell(previous):
        return "subslide"
    if previous.cell_type == "markdown" and PREDICT in "".join(previous.source):
        return "fragment"
    return "-"


def mark_slides(nb):
    """Give every cell the slide type :func:`slide_type` derives from its place (lecture mode).

    The type is stored where jupyterlab-slideshow (and RISE, nbconvert) read it,
    ``metadata.slideshow.slide_type``; a cell that continues its slide (``-``) carries no
    ``slideshow`` key at all, as jupyterlab-slideshow shows a cell typed ``-`` on no slide.
    Any other ``slideshow`` key is dropped, so the stored metadata is exactly what the rule says.
    """
    previous = None
    for cell in nb.cells:
        kind = slide_type(cell, previous)
        cell.metadata.pop("slideshow", None)
        if kind != "-":
            cell.metadata["slideshow"] = {"slide_type": kind}
        previous = cell
    return nb


def regenerate(path):
    nb = execute(nbformat.read(path, as_version=4), cwd=path.parent)
    nb.metadata.kernelspec = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nbformat.write(mark_slides(mark_for_grading(strip_volatile(nb), f"nb{path.stem[:2]}")), path)


def main(names):
    paths = [Path(n).resolve() for n in names] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        print(f"executing {path.relative_to(ROOT)}", flush=True)
        regenerate(path)


if __name__ == "__main__":
    main(sys.argv[1:])
