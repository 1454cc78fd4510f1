"""The student edition: what `course.py lab` opens. Stubs, not answers; a student's work is never lost."""
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import course
from devtools.execute import execute
from devtools.student_copy import MANIFEST, SOURCE, student_copy, sync
from helpers.exercises.core import NOT_DONE

NOTEBOOKS = sorted(SOURCE.glob("*.ipynb"))
FRIENDLY = NOT_DONE.split("{what}")[1]


def tiny_notebook(path, answer):
    cell = nbformat.v4.new_code_cell(f"x = ...\n# BEGIN SOLUTION\nx = {answer}\n# END SOLUTION", metadata={"tags": ["solution"]})
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 99 · t"), cell]), path)
    return path


def test_new_notebooks_appear_untouched_ones_update_and_changed_ones_are_kept(tmp_path):
    course_dir, out = tmp_path / "course", tmp_path / "mine"
    course_dir.mkdir()
    first = tiny_notebook(course_dir / "01_a.ipynb", 1)
    assert sync(out, [first]) == [f"new: {out / '01_a.ipynb'}"]
    assert "x = 1" not in (out / "01_a.ipynb").read_text() and "your code here" in (out / "01_a.ipynb").read_text()
    assert sync(out, [first]) == []  # nothing new: nothing said, nothing written

    second = tiny_notebook(course_dir / "02_b.ipynb", 2)
    (out / "01_a.ipynb").write_text((out / "01_a.ipynb").read_text().replace("x = ...", "x = 'my work'"))
    assert sync(out, [first, second]) == [f"new: {out / '02_b.ipynb'}"]
    assert "my work" in (out / "01_a.ipynb").read_text()

    # the course changes both notebooks: the untouched one is updated, the student's is kept and the student is told
    for path in (first, second):
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_markdown_cell("A new section."))
        nbformat.write(nb, path)
    messages = sync(out, [first, second])
    assert messages == [f"kept your changed {out / '01_a.ipynb'}; the course has a newer version: rename yours and run this again to get it", f"updated: {out / '02_b.ipynb'}"]
    assert "my work" in (out / "01_a.ipynb").read_text() and "A new section." in (out / "02_b.ipynb").read_text()
    assert set(json.loads((out / MANIFEST).read_text())) == {"01_a.ipynb", "02_b.ipynb"}


def test_the_course_notebooks_folder_is_refused_as_destination(tmp_path):
    before = {p: p.read_bytes() for p in NOTEBOOKS}
    with pytest.raises(ValueError, match="out must be a folder of your own, not the course's notebooks folder"):
        sync(SOURCE, NOTEBOOKS)
    with pytest.raises(ValueError, match="not the course's notebooks folder"):
        sync(tmp_path, [tiny_notebook(tmp_path / "01_a.ipynb", 1)])
    result = subprocess.run([sys.executable, "-m", "devtools.student_copy", str(SOURCE)], cwd=course.ROOT, capture_output=True, text=True)
    assert result.returncode != 0 and "not the course's notebooks folder" in result.stderr
    assert {p: p.read_bytes() for p in NOTEBOOKS} == before


def test_solutions_are_written_read_only_and_refreshed(tmp_path):
    course_dir = tmp_path / "course"
    course_dir.mkdir()
    source = tiny_notebook(course_dir / "01_a.ipynb", 1)
    sync(tmp_path / "solutions", [source], transform=lambda nb: nb, read_only=True)
    target = tmp_path / "solutions" / "01_a.ipynb"
    assert "x = 1" in target.read_text() and not target.stat().st_mode & 0o222
    tiny_notebook(source, 2)
    assert sync(tmp_path / "solutions", [source], transform=lambda nb: nb, read_only=True) == [f"updated: {target}"]
    assert "x = 2" in target.read_text()


def test_course_lab_opens_the_student_edition_not_the_sources(monkeypatch):
    calls = []
    monkeypatch.setattr(course, "venv_python", lambda: "py")
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: calls.append((cmd, kw.get("cwd"))) or subprocess.CompletedProcess(cmd, 0))
    assert course.main(["lab"]) == 0
    (edition, _), (lab, cwd) = calls
    assert edition == ["py", "-m", "devtools.student_copy", str(course.EDITION)]
    assert lab[:5] == ["py", "-m", "jupyter", "lab", "00_start_here.ipynb"] and cwd == course.EDITION
    assert course.EDITION.name in (course.ROOT / ".gitignore").read_text()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_student_edition_runs_and_every_check_says_what_to_do(path, tmp_path):
    """Run top to bottom as a student who has filled in nothing: no traceback anywhere, and each
    check cell answers with one friendly line."""
    nb = student_copy(nbformat.read(path, as_version=4))
    checks = [cell for cell in nb.cells if "check" in cell.get("metadata", {}).get("tags", [])]
    execute(nb, cwd=tmp_path)  # raises, naming the cell, at the first traceback
    for cell in checks:
        text = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
        assert text.count("\n") == 1 and FRIENDLY in text, (cell.source[:60], text)
