"""Mutation testing of the math core with mutmut: how many small bugs do the fast tests catch?

    python3 -m venv /tmp/mutvenv
    /tmp/mutvenv/bin/pip install -r benchmarks/requirements-mutation.txt
    nice -n 19 /tmp/mutvenv/bin/python benchmarks/mutation.py [--workdir DIR] [--max-children N]
    nice -n 19 /tmp/mutvenv/bin/python benchmarks/mutation.py --survivors   # after adding tests

Not part of the test suite or CI (it is slow): 2389 mutants took 30 minutes here (two
children under nice on a shared, busy 2-core machine); ``--survivors`` re-tests only the
last run's survivors against the current tests in a few minutes. It copies ``helpers/``
and the fast unit and property tests into a scratch folder (the checkout is never
touched), mutates the nine math-core modules listed in ``CORE``, runs for each mutant
the tests that reach the mutated function, and prints the score and every surviving
mutant. Inspect one with ``mutmut show NAME`` run inside the
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

CORE_DOCTESTS = f"""\
# Written by benchmarks/mutation.py: the docstring examples of the mutated modules, as
# tests/test_doctests.py runs them (that file also imports the widgets, not installed here).
# mutmut's copies of a function keep its docstring; their examples call the public name,
# so they only repeat the same examples.
import doctest
import importlib

import pytest


@pytest.mark.parametrize("name", {CORE!r})
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module("helpers." + name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
"""
"""The fast tests of those modules (and their doctests, written as CORE_DOCTESTS)."""

DESELECT = "not fan_out and not test_dense_backward"
"""The wide-layer properties re-check thousands of entries of layers up to 64 wide for
every mutant they reach (half a minute each under mutmut); the unit tests and the other
properties cover the same code much faster."""

NO_SHRINKING = """\
# Written by benchmarks/mutation.py: under mutation a failing property is enough; shrinking
# its example would cost minutes per mutant (and turn kills into timeouts).
from hypothesis import Phase, settings

settings.register_profile("mutation", phases=[Phase.explicit, Phase.reuse, Phase.generate], report_multiple_bugs=False)
settings.load_profile("mutation")
"""

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
    copy_tests(workdir)
    (workdir / "tests" / "conftest.py").write_text(NO_SHRINKING)  # loaded before the tests' own settings()
    (workdir / "tests" / "test_core_doctests.py").write_text(CORE_DOCTESTS)
    only = json.dumps([f"helpers/{name}.py" for name in CORE])
    tests = json.dumps(TESTS + ["tests/test_core_doctests.py"])
    (workdir / "pyproject.toml").write_text(CONFIG.format(only=only, deselect=DESELECT, tests=tests))


def copy_tests(workdir):
    """The checkout's current tests, into the workdir and into mutmut's copy of it."""
    for folder in (workdir, workdir / "mutants"):
        if folder.exists():
            for test in TESTS + HELPERS:
                (folder / test).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(ROOT / test, folder / test)


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
    parser.add_argument("--survivors", action="store_true",
                        help="keep the last run's workdir, take the current tests and re-test only its survivors (minutes)")
    args = parser.parse_args()
    names = []
    if args.survivors:
        names = [name for name, status in results(args.workdir).items() if status not in ("killed", "timeout")]
        copy_tests(args.workdir)
    else:
        prepare(args.workdir)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children), *names],
                   cwd=args.workdir, check=True)
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
