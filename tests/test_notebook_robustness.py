"""Every notebook runs twice in one kernel (a student pressing Run All again) and runs
with Python warnings turned into errors."""
from pathlib import Path

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from devtools.execute import execute

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
WARNINGS_AS_ERRORS = nbformat.v4.new_code_cell("import warnings\nwarnings.simplefilter('error')")


def run_twice_strictly(nb, cwd):
    """Execute ``nb``'s cells twice in one kernel, warnings raised as errors."""
    nb.cells = [WARNINGS_AS_ERRORS, *nb.cells, WARNINGS_AS_ERRORS, *nb.cells]
    execute(nb, cwd=cwd, timeout=300)  # raises CellExecutionError, naming the cell
    return [o.text for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("name") == "stderr"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_runs_twice_in_one_kernel_with_warnings_as_errors(path):
    assert run_twice_strictly(nbformat.read(path, as_version=4), path.parent) == []


def test_a_warning_fails_the_run(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import numpy as np\nnp.log(0.0)")])
    with pytest.raises(CellExecutionError, match="RuntimeWarning"):
        run_twice_strictly(nb, tmp_path)
