"""One strict re-execution of each notebook, shared by the tests that need a fresh run.

Executing the notebooks is the slow part of those tests (about 40 s for all of
them here), so each notebook runs once per test session: the robustness test
reads its warnings, the figure test its first pass.
"""
import copy
import functools
from pathlib import Path
from typing import NamedTuple

import nbformat

from devtools.execute import execute

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
WARNINGS_AS_ERRORS = nbformat.v4.new_code_cell("import warnings\nwarnings.simplefilter('error')")


class StrictRun(NamedTuple):
    first_pass: list
    """The notebook's cells as a fresh kernel left them after one top-to-bottom run, as
    regeneration stores them (the warnings cell before them changes no output)."""
    stderr: list
    """Every stderr text of both passes."""


def run_twice_strictly(nb, cwd):
    """Execute ``nb``'s cells twice in one kernel, warnings raised as errors (a student
    pressing Run All again). Raises ``CellExecutionError`` naming the failing cell."""
    n = len(nb.cells)
    run = copy.deepcopy(nb)
    run.cells = [WARNINGS_AS_ERRORS, *copy.deepcopy(nb.cells), WARNINGS_AS_ERRORS, *copy.deepcopy(nb.cells)]
    execute(run, cwd=cwd, timeout=300)
    stderr = [o.text for c in run.cells if c.cell_type == "code" for o in c.outputs if o.get("name") == "stderr"]
    return StrictRun(run.cells[1 : 1 + n], stderr)


@functools.cache
def strict_run(path):
    """:func:`run_twice_strictly` of the stored notebook at ``path``, once per session."""
    return run_twice_strictly(nbformat.read(path, as_version=4), path.parent)
