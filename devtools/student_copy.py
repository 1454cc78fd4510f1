"""Make the students' copy of the notebooks: answers removed, everything else kept.

    python -m devtools.student_copy OUT_DIR [notebooks/01_one_neuron.ipynb ...]

In a cell tagged ``solution``, the lines from ``# BEGIN SOLUTION`` to
``# END SOLUTION`` become a stub that raises ``NotImplementedError``; the outputs
of ``solution`` and ``check`` cells are cleared (they would give the answer away).
"""
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = re.compile(r"^([ \t]*)# BEGIN SOLUTION\n.*?^[ \t]*# END SOLUTION\n?", re.MULTILINE | re.DOTALL)


def stub(match):
    indent = match.group(1)
    return f'{indent}# your code here\n{indent}raise NotImplementedError("your turn: write this part, then run the check below")\n'


def student_copy(nb):
    """Return ``nb`` with solutions stubbed and exercise outputs cleared (edits in place)."""
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "solution" in tags:
            cell.source = SOLUTION.sub(stub, cell.source).rstrip("\n")
        if cell.cell_type == "code" and {"solution", "check"} & set(tags):
            cell.outputs, cell.execution_count = [], None
    return nb


def main(argv):
    if not argv:
        sys.exit(__doc__)
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    paths = [Path(p) for p in argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        nbformat.write(student_copy(nbformat.read(path, as_version=4)), out / path.name)
        print(f"wrote {out / path.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
