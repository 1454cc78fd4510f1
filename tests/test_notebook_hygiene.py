"""Every stored notebook is one clean, deterministic, top-to-bottom run.

Strict nbval (run on notebooks/ by the same pytest command) then checks that
re-executing each notebook reproduces its stored outputs.
"""
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
IGNORE_TAG = "nbval-ignore-output"


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def hygiene_problems(nb):
    """What is wrong with a notebook's stored state, as readable lines (empty when clean)."""
    problems = []
    cells = code_cells(nb)
    counts = [c.get("execution_count") for c in cells]
    if counts != list(range(1, len(cells) + 1)):
        problems.append(f"cells not run top to bottom from 1: execution counts {counts}")
    if "widgets" in nb.get("metadata", {}):
        problems.append("widget state stored in the notebook metadata")
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    if kernel != "python3":
        problems.append(f"kernel is {kernel!r}, expected 'python3'")
    for i, cell in enumerate(cells, start=1):
        where = f"code cell {i} ({''.join(cell['source'])[:40]!r})"
        if "execution" in cell.get("metadata", {}):
            problems.append(f"{where}: timing metadata")
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append(f"{where}: an error output")
            if out.get("name") == "stderr":
                problems.append(f"{where}: stderr output (a warning?): {out.get('text', '')[:80]!r}")
            if WIDGET_VIEW in out.get("data", {}):
                problems.append(f"{where}: a stored widget view")
        volatile = IGNORE_TAG in cell.get("metadata", {}).get("tags", [])
        if re.search(r"_(explorer|dashboard)\(", "".join(cell["source"])) and not volatile:
            problems.append(f"{where}: builds a widget but lacks the {IGNORE_TAG!r} tag")
        if volatile and cell.get("outputs"):
            problems.append(f"{where}: tagged {IGNORE_TAG!r} but stored with outputs that differ run to run")
    return problems


def exercise_problems(nb):
    """Solution cells must mark their answer so a student copy can be made."""
    problems = []
    for cell in code_cells(nb):
        source = "".join(cell["source"])
        tags = cell.get("metadata", {}).get("tags", [])
        marked = "# BEGIN SOLUTION" in source and "# END SOLUTION" in source
        if ("solution" in tags) != marked:
            problems.append(f"cell {source[:40]!r}: 'solution' tag and BEGIN/END SOLUTION markers must go together")
        if "check" in tags:
            text = "".join("".join(out.get("text", "")) for out in cell.get("outputs", []))  # stored text may be a list of lines
            if source.lstrip().startswith("assert"):
                problems.append(f"check cell {source[:40]!r}: call the checker without assert (a failed check must not end in a traceback)")
            if "✓" not in text or "✗" in text:
                problems.append(f"check cell {source[:40]!r}: its stored output must show the solution passing (✓ and no ✗)")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert hygiene_problems(nb) + exercise_problems(nb) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_follows_course_conventions(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), "notebooks are named NN_snake_case.ipynb"
    title = "".join(nb["cells"][0]["source"]).splitlines()[0]
    assert title.startswith(f"# {path.name[:2]} · "), f"the first cell's title must repeat the number: {title!r}"
    sources = ["".join(c["source"]) for c in code_cells(nb)]
    assert sum("import " in s for s in sources[1:]) == 0, "one import cell, at the top"
    assert sum("default_rng(" in s for s in sources) <= 1, "at most one rng per notebook"


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2


def test_hygiene_check_catches_each_problem():
    good = {
        "metadata": {"kernelspec": {"name": "python3"}},
        "cells": [{"cell_type": "code", "source": ["x = 1"], "execution_count": 1, "metadata": {}, "outputs": []}],
    }
    assert hygiene_problems(good) == []
    cell = good["cells"][0]
    bad_cases = [
        ("execution_count", 2, "top to bottom"),
        ("metadata", {"execution": {"iopub.status.busy": "..."}}, "timing"),
        ("outputs", [{"output_type": "stream", "name": "stderr", "text": "Warning"}], "stderr"),
        ("outputs", [{"output_type": "error", "ename": "ValueError"}], "error output"),
        ("outputs", [{"output_type": "display_data", "data": {WIDGET_VIEW: {}}}], "widget view"),
        ("source", ["neuron_explorer()"], "nbval-ignore-output"),
    ]
    for key, value, expected in bad_cases:
        broken = {**good, "cells": [{**cell, key: value}]}
        assert any(expected in p for p in hygiene_problems(broken)), (key, value)
    timing = {**cell, "metadata": {"tags": [IGNORE_TAG]}, "outputs": [{"output_type": "stream", "name": "stdout", "text": "1.2 ms"}]}
    assert any("differ run to run" in p for p in hygiene_problems({**good, "cells": [timing]}))
    assert any("widget state" in p for p in hygiene_problems({**good, "metadata": {**good["metadata"], "widgets": {}}}))
    assert any("kernel" in p for p in hygiene_problems({**good, "metadata": {"kernelspec": {"name": "julia"}}}))
