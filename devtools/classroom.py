"""Set up an nbgrader course folder for a class from the course's notebooks (a teacher's tool).

    python -m devtools.classroom COURSE_DIR [--course-id backprop-lab]

Writes ``COURSE_DIR/nbgrader_config.py`` and ``COURSE_DIR/source/<NN_topic>/<NN_topic>.ipynb``,
one nbgrader assignment per notebook that has exercises. Then, in ``COURSE_DIR``, with
nbgrader installed (``pip install -r requirements-teacher.txt``)::

    nbgrader db student add alice
    nbgrader generate_assignment 01_one_neuron     # release/: the student version, no answers
    (collect submissions into submitted/alice/01_one_neuron/)
    nbgrader autograde 01_one_neuron
    nbgrader generate_feedback 01_one_neuron       # feedback/: each check's ✓/✗ lines and hints
    nbgrader export                                # grades.csv

Exercise cells already carry their nbgrader metadata (``devtools.regenerate`` derives it from
the ``solution`` and ``check`` tags): each check cell is an autograded test worth one point,
and a failed check raises under nbgrader, so the student loses exactly that exercise's point.
The folder must be new or an earlier course folder: the course's own notebooks and a
student's ``my-notebooks/`` are refused, and a source notebook a teacher changed is kept.
"""
import sys
from pathlib import Path

import nbformat

from devtools.regenerate import mark_for_grading
from devtools.student_copy import ROOT, SOURCE, sync

CONFIG = '''# nbgrader configuration of a Backprop Lab class, written by `python -m devtools.classroom`.
import sys

sys.path.insert(0, {root!r})  # the course's devtools: nbgrader's release gets the student edition's stubs
from devtools.nbgrader_stubs import PREPROCESSORS

c = get_config()
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = {course_dir!r}
c.GenerateAssignment.preprocessors = PREPROCESSORS
'''


def assignments(notebooks=None):
    """The notebooks that have exercises (a cell tagged ``check``): one assignment each."""
    chosen = []
    for path in notebooks or sorted(SOURCE.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if any("check" in cell.get("metadata", {}).get("tags", []) for cell in nb.cells):
            chosen.append(Path(path))
    return chosen


def set_up(course_dir, course_id="backprop-lab", notebooks=None):
    """Write the nbgrader config and one ``source/<assignment>/`` folder per notebook; returns the assignment names."""
    course_dir = Path(course_dir).resolve()
    for forbidden in (SOURCE, ROOT / "my-notebooks"):
        if course_dir == forbidden.resolve() or forbidden.resolve() in course_dir.parents:
            raise ValueError(f"course_dir must be a folder of the teacher's own, not {forbidden}: nothing of the course or a student's copy is written to")
    course_dir.mkdir(parents=True, exist_ok=True)
    (course_dir / "nbgrader_config.py").write_text(CONFIG.format(root=str(ROOT), course_id=course_id, course_dir=str(course_dir)))
    names = []
    for path in assignments(notebooks):
        grading = lambda nb, path=path: mark_for_grading(nb, f"nb{path.stem[:2]}")  # as stored; kept right if a notebook was not regenerated
        sync(course_dir / "source" / path.stem, [path], transform=grading, manifest=course_dir / ".course-sources.json")
        names.append(path.stem)
    return names


def main(argv):
    if not argv:
        sys.exit(__doc__)
    course_id = argv[argv.index("--course-id") + 1] if "--course-id" in argv else "backprop-lab"
    try:
        names = set_up(argv[0], course_id)
    except ValueError as exc:
        sys.exit(f"classroom: {exc}")
    print(f"nbgrader course folder {argv[0]}: assignments {', '.join(names)}")


if __name__ == "__main__":
    main(sys.argv[1:])
