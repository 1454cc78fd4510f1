"""nbgrader's ClearSolutions with the course's own stubs, so nbgrader's release of a notebook
reads exactly like the student edition: inside a function the block becomes a
``raise NotImplementedError`` that the checker turns into one friendly line; at the top of a
cell only a comment (the names to fill in are set to ``...`` above it). Imported by the
``nbgrader_config.py`` that ``python -m devtools.classroom`` writes; needs nbgrader.
"""
from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import ClearSolutions

from devtools.student_copy import SOLUTION, stub_solutions


class CourseStubs(ClearSolutions):
    """Replace each BEGIN/END SOLUTION block as the course's student edition does."""

    def _replace_solution_region(self, cell, language):
        if cell.cell_type != "code" or not SOLUTION.search(cell.source + "\n"):
            return super()._replace_solution_region(cell, language)
        cell.source = stub_solutions(cell.source + "\n")
        return True


PREPROCESSORS = [CourseStubs if step is ClearSolutions else step for step in GenerateAssignment.class_traits()["preprocessors"].default()]
"""``GenerateAssignment``'s preprocessors with ClearSolutions replaced by :class:`CourseStubs`."""
