"""Mutation testing of the math core with mutmut: how many small bugs do the fast tests catch?

    python3 -m venv /tmp/mutvenv
    /tmp/mutvenv/bin/pip install -r benchmarks/requirements-mutation.txt
    nice -n 19 /tmp/mutvenv/bin/python benchmarks/mutation.py [--workdir DIR] [--max-children N]

Not part of the test suite or CI (it is slow): about 25 minutes here on one of two busy
cores. It copies ``helpers/`` and the fast unit and property tests into a scratch folder
(the checkout is never touched), mutates the nine math-core modules listed in ``CORE``,
runs for each mutant the tests that reach the mutated function, and prints the score
and every surviving mutant. Inspect one with ``mutmut show NAME`` run inside the
workdir. Its own environment (requirements-mutation.txt) keeps mutmut out of the
course's requirements: students never install it.
"""
import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CORE = ["activations", "losses", "layers", "network", "batchnorm", "clipping", "optimizers", "gradcheck", "autograd"]
"""The modules mutated: helpers/<name>.py."""

TESTS = [f"tests/test_{name}.py" for name in CORE] + ["tests/test_properties.py", "tests/test_bad_input.py"]
HELPERS = ["tests/raises.py"]
"""Modules those tests import from tests/."""
"""The fast tests of those modules. Doctests are left out: mutmut's copies of each function
carry its docstring, so doctest would run the examples on the mutants themselves."""

DESELECT = "not fan_out and not test_dense_backward"
"""The wide-layer properties re-check thousands of entries of layers up to 64 wide for
every mutant they reach (half a minute each under mutmut); the unit tests and the other
properties cover the same code much faster."""

CONFIG = """\
[tool.mutmut]
source_paths = ["helpers/"]
only_mutate = {only}
pytest_add_cli_args = ["-p", "no:cacheprovider", "-k", "{deselect}"]
pytest_add_cli_args_test_selection = {tests}

[tool.pytest.ini_options]
filterwarnings = ["error"]
"""


def prepare(workdir):
    """A scratch copy with the package, the chosen tests and a config for mutmut and pytest."""
    if workdir.exists():
        shutil.rmtree(workdir)
    shutil.copytree(ROOT / "helpers", workdir / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    (workdir / "tests").mkdir(parents=True)
    for test in TESTS + HELPERS:
        shutil.copy(ROOT / test, workdir / test)
    only = json.dumps([f"helpers/{name}.py" for name in CORE])
    (workdir / "pyproject.toml").write_text(CONFIG.format(only=only, deselect=DESELECT, tests=json.dumps(TESTS)))


def results(workdir):
    """``{mutant name: status}`` for every mutant, as ``mutmut results --all`` reports them."""
    out = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=workdir,
                         capture_output=True, text=True, check=True).stdout
    statuses = {}
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            statuses[name] = status
    return statuses


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/backprop-mutation"))
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested in parallel (run it under nice)")
    args = parser.parse_args()
    prepare(args.workdir)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children)], cwd=args.workdir, check=True)
    minutes = (time.perf_counter() - start) / 60
    statuses = results(args.workdir)
    counts = {status: list(statuses.values()).count(status) for status in sorted(set(statuses.values()))}
    killed = counts.get("killed", 0) + counts.get("timeout", 0)
    print(f"\n{len(statuses)} mutants in {minutes:.0f} min: {counts}")
    print(f"score: {killed} of {len(statuses)} killed ({100 * killed / max(len(statuses), 1):.1f} %)")
    for name, status in sorted(statuses.items()):
        if status not in ("killed", "timeout"):
            print(f"  {status:10} {name}")


if __name__ == "__main__":
    main()
