"""The student edition: the notebooks with every answer removed, in a folder of the student's own.

    python -m devtools.student_copy OUT_DIR [notebooks/01_one_neuron.ipynb ...]
    python -m devtools.student_copy --solutions OUT_DIR     (the full notebooks, read-only)

``python3 course.py lab`` runs this into ``my-notebooks/`` before opening JupyterLab there,
and ``python3 course.py solutions`` writes the full notebooks into ``my-notebooks/solutions/``.

The exercise convention: in a cell tagged ``solution`` the answer stands between the lines
``# BEGIN SOLUTION`` and ``# END SOLUTION``. In the student edition that block becomes a stub:

- inside a function (an indented block) it raises ``NotImplementedError``, which the checker
  turns into one friendly line;
- at the top of a cell it is only a comment; the names the student must fill in are set to
  ``...`` on a line above the block, and the checker says they are not filled in yet.

The outputs of ``solution`` and ``check`` cells are cleared (they would give the answer away).

Nothing a student changed is ever overwritten: ``OUT_DIR/.edition.json`` records the
fingerprint of every file as written. A notebook new to the course appears; one the student
has not touched is brought up to date; one the student changed is kept, and the student is
told that a newer course version exists. The folder holding the course's own notebooks is
refused as a destination.
"""
import hashlib
import json
import re
import stat
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "notebooks"
MANIFEST = ".edition.json"
SOLUTION = re.compile(r"^([ \t]*)# BEGIN SOLUTION\n.*?^[ \t]*# END SOLUTION\n?", re.MULTILINE | re.DOTALL)


def stub(match):
    indent = match.group(1)
    if not indent:
        return "# your code here\n"
    return f'{indent}# your code here\n{indent}raise NotImplementedError("your turn: write this part, then run the check below")\n'


def stub_solutions(source):
    """``source`` with every BEGIN/END SOLUTION block replaced by its stub."""
    return SOLUTION.sub(stub, source).rstrip("\n")


def student_copy(nb):
    """Return ``nb`` with solutions stubbed and exercise outputs cleared (edits in place)."""
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "solution" in tags:
            cell.source = stub_solutions(cell.source)
        if cell.cell_type == "code" and {"solution", "check"} & set(tags):
            cell.outputs, cell.execution_count = [], None
    return nb


def fingerprint(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sync(out, sources, transform=student_copy, read_only=False, manifest=None):
    """Write each source notebook, transformed, into ``out`` without losing a student's change.

    ``manifest`` (default ``out/.edition.json``) records what was written. Returns one line
    per notebook that was written, updated or kept, for the student to read.
    """
    out = Path(out)
    if any(out.resolve() == Path(p).resolve().parent for p in sources) or out.resolve() == SOURCE.resolve():
        raise ValueError(f"out must be a folder of your own, not the course's notebooks folder {out}: writing there would replace the notebooks with stubs")
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = Path(manifest) if manifest else out / MANIFEST
    written = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    messages = []
    for source in sorted(Path(p) for p in sources):
        text = nbformat.writes(transform(nbformat.read(source, as_version=4)))
        target = out / source.name
        if not target.exists():
            messages.append(f"new: {target}")
        elif fingerprint(target.read_text(encoding="utf-8")) != written.get(source.name):
            if written.get(source.name) != fingerprint(text):
                messages.append(f"kept your changed {target}; the course has a newer version: rename yours and run this again to get it")
            continue
        elif written[source.name] == fingerprint(text):
            continue
        else:
            messages.append(f"updated: {target}")
        if target.exists():
            target.chmod(stat.S_IWUSR | stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        target.write_text(text, encoding="utf-8")
        if read_only:
            target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        written[source.name] = fingerprint(text)
    manifest_path.write_text(json.dumps(written, indent=1, sort_keys=True) + "\n")
    return messages


def main(argv):
    solutions = "--solutions" in argv
    argv = [a for a in argv if a != "--solutions"]
    if not argv:
        sys.exit(__doc__)
    sources = argv[1:] or sorted(SOURCE.glob("*.ipynb"))
    try:
        if solutions:
            messages = sync(argv[0], sources, transform=lambda nb: nb, read_only=True)
        else:
            messages = sync(argv[0], sources)
    except ValueError as exc:
        sys.exit(f"student_copy: {exc}")
    print("\n".join(messages) if messages else f"{argv[0]}: up to date")


if __name__ == "__main__":
    main(sys.argv[1:])
