"""Every notebook runs twice in one kernel (a student pressing Run All again) and runs
with Python warnings turned into errors."""
import nbformat
import pytest
from nbclient.exceptions import CellExecutionError
from notebook_runs import NOTEBOOKS, run_twice_strictly, strict_run


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_runs_twice_in_one_kernel_with_warnings_as_errors(path):
    assert strict_run(path).stderr == []


def test_a_warning_fails_the_run(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import numpy as np\nnp.log(0.0)")])
    with pytest.raises(CellExecutionError, match="RuntimeWarning"):
        run_twice_strictly(nb, tmp_path)


def test_the_first_pass_is_the_notebook_s_own_cells(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('once')")])
    run = run_twice_strictly(nb, tmp_path)
    assert [c.outputs[0].text for c in run.first_pass] == ["once\n"] and nb.cells[0].outputs == []
