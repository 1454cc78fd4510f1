"""The authors' tools: widget stripping for regeneration, and the student copy."""
from pathlib import Path

import nbformat

from devtools.regenerate import VOLATILE, WIDGET_VIEW, strip_volatile
from devtools.student_copy import student_copy

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def test_strip_volatile_removes_widgets_and_volatile_outputs_but_keeps_figures():
    cell = nbformat.v4.new_code_cell("x")
    figure = nbformat.v4.new_output("display_data", data={"image/png": "iVBOR", "text/plain": "<Figure>"})
    view = nbformat.v4.new_output("display_data", data={WIDGET_VIEW: {"model_id": "abc"}, "text/plain": "VBox()"})
    cell.outputs = [figure, view]
    timing = nbformat.v4.new_code_cell("print(time.perf_counter())", metadata={"tags": [VOLATILE]})
    timing.outputs = [nbformat.v4.new_output("stream", text="0.123\n")]
    nb = nbformat.v4.new_notebook(cells=[cell, timing], metadata={"widgets": {"state": {}}})
    strip_volatile(nb)
    assert "widgets" not in nb.metadata and nb.cells[0].outputs == [figure] and nb.cells[1].outputs == []


def test_student_copy_stubs_every_solution_and_hides_answers():
    exercises = 0
    for path in NOTEBOOKS:
        nb = student_copy(nbformat.read(path, as_version=4))
        for cell in nb.cells:
            tags = cell.get("metadata", {}).get("tags", [])
            assert "BEGIN SOLUTION" not in cell.source and "END SOLUTION" not in cell.source
            if "solution" in tags:
                exercises += 1
                assert "# your code here" in cell.source
            if {"solution", "check"} & set(tags):
                assert cell.outputs == [] and cell.execution_count is None
    assert exercises >= 2


def test_student_copy_keeps_indentation_and_surrounding_code():
    cell = nbformat.v4.new_code_cell("def f(x):\n    # BEGIN SOLUTION\n    return 2 * x\n    # END SOLUTION\n\nf(1)")
    cell.metadata["tags"] = ["solution"]
    nb = student_copy(nbformat.v4.new_notebook(cells=[cell]))
    assert nb.cells[0].source.startswith("def f(x):\n    # your code here\n    raise NotImplementedError(")
    assert nb.cells[0].source.endswith("\n\nf(1)") and "2 * x" not in nb.cells[0].source
    compile(nb.cells[0].source, "cell", "exec")


def test_a_stub_at_the_top_of_a_cell_is_a_comment_and_runs():
    cell = nbformat.v4.new_code_cell("answer = ...\n# BEGIN SOLUTION\nanswer = 42\n# END SOLUTION")
    cell.metadata["tags"] = ["solution"]
    source = student_copy(nbformat.v4.new_notebook(cells=[cell])).cells[0].source
    assert source == "answer = ...\n# your code here"
    namespace = {}
    exec(source, namespace)
    assert namespace["answer"] is Ellipsis
