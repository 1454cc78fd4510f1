"""A teacher's nbgrader round trip, with real nbgrader (in .venv-teacher, set up by `course.py test`).

The full notebooks handed in score full marks, the unfilled release scores zero, and a
submission with one classic slip loses exactly that exercise's point, its feedback naming the slip.
Skips when nbgrader's environment is missing, except on CI (``CI=true``), where that fails.
"""
import csv
import html
import os
import subprocess
from pathlib import Path

import nbformat
import pytest

from devtools.classroom import assignments, set_up
from devtools.student_copy import SOURCE, stub_solutions
from helpers.exercises.neuron import FORGOT_SLOPE

TEACHER_PYTHON = os.environ.get("BACKPROP_TEACHER_PYTHON") or str(Path(__file__).parents[1] / ".venv-teacher" / "bin" / "python")

SLIP = ("01_one_neuron", "nb01-ex2-answer", "delta = (y - t) * y * (1 - y)", "delta = y - t", FORGOT_SLOPE)
"""One classic slip: (assignment, answer cell, the right line, the slipped line, the hint the feedback must show)."""


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    if not Path(TEACHER_PYTHON).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the nbgrader round trip cannot run on CI: no teachers' environment at {TEACHER_PYTHON}", pytrace=False)
        pytest.skip("the nbgrader round trip needs .venv-teacher: run it through `python3 course.py test`")
    root = tmp_path_factory.mktemp("class")
    names = set_up(root)
    bin_dir = str(Path(TEACHER_PYTHON).parent)

    def nbgrader(*args):
        env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"])
        env.pop("PYTHONPATH", None)
        result = subprocess.run([str(Path(bin_dir) / "nbgrader"), *args], cwd=root, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
        assert "Exception while loading config file" not in result.stderr, result.stderr[-4000:]
        return result

    for student in ("full", "blank", "slip"):
        nbgrader("db", "student", "add", student)
    for name in names:
        nbgrader("generate_assignment", name, "--force")
        hand_in(root, "full", name, root / "source" / name / f"{name}.ipynb")
        hand_in(root, "blank", name, root / "release" / name / f"{name}.ipynb")
    assignment, grade_id, right, slipped, _ = SLIP
    nb = nbformat.read(root / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    assert right in cell.source
    cell.source = cell.source.replace(right, slipped)
    (root / "submitted" / "slip" / assignment).mkdir(parents=True)
    nbformat.write(nb, root / "submitted" / "slip" / assignment / f"{assignment}.ipynb")
    for name in names:
        nbgrader("autograde", name, "--force")
    nbgrader("generate_feedback", assignment, "--student", "slip", "--force")
    nbgrader("export", "--to", "grades.csv")
    with open(root / "grades.csv", newline="") as f:
        grades = {(row["student_id"], row["assignment"]): (float(row["score"]), float(row["max_score"])) for row in csv.DictReader(f)}
    return root, names, grades


def hand_in(root, student, name, notebook):
    folder = root / "submitted" / student / name
    folder.mkdir(parents=True)
    (folder / notebook.name).write_bytes(notebook.read_bytes())


def test_every_notebook_with_exercises_is_an_assignment(course):
    _, names, _ = course
    assert names == [p.stem for p in assignments()] and len(names) >= 7


def test_the_release_holds_no_solution_and_the_course_stubs(course):
    """Answer cells are released exactly as the student edition stubs them; every other cell as it is."""
    root, names, _ = course
    for name in names:
        source = nbformat.read(root / "source" / name / f"{name}.ipynb", as_version=4)
        release = nbformat.read(root / "release" / name / f"{name}.ipynb", as_version=4)
        assert len(source.cells) == len(release.cells)
        answers = 0
        for mine, released in zip(source.cells, release.cells):
            if mine.metadata.get("nbgrader", {}).get("solution"):
                answers += 1
                assert released.source == stub_solutions(mine.source) != mine.source, (name, mine.source[:60])
            else:
                assert released.source == mine.source
        text = "\n".join(cell.source for cell in release.cells)
        assert answers > 0 and "SOLUTION" not in text and "YOUR CODE HERE" not in text


def test_full_marks_zero_and_exactly_one_point_lost(course):
    _, names, grades = course
    for name in names:
        score, max_score = grades[("full", name)]
        assert score == max_score > 0, name
        assert grades[("blank", name)][0] == 0, name
    assignment = SLIP[0]
    assert grades[("slip", assignment)] == (grades[("full", assignment)][1] - 1, grades[("full", assignment)][1])


def test_the_feedback_names_the_slip(course):
    root, _, _ = course
    (page,) = (root / "feedback" / "slip" / SLIP[0]).glob("*.html")
    assert SLIP[4] in html.unescape(page.read_text(encoding="utf-8"))


def test_the_course_and_a_students_copy_are_refused(tmp_path):
    with pytest.raises(ValueError, match="course_dir must be a folder of the teacher's own"):
        set_up(SOURCE)
    with pytest.raises(ValueError, match="course_dir must be a folder of the teacher's own"):
        set_up(SOURCE.parent / "my-notebooks" / "class")
