"""Set up and run Backprop Lab with one command; needs only Python 3.10 or newer.

    python3 course.py lab      create .venv if needed, then open the course in JupyterLab
    python3 course.py test     create .venv if needed, then run the whole test suite
    python3 course.py regen    re-execute every notebook and store its outputs
    python3 course.py bench    time the notebooks, widgets and networks (benchmarks/)

Extra arguments go to the tool underneath (JupyterLab or pytest). The environment
lives in .venv beside this file and is reinstalled only when requirements.txt or
pyproject.toml change.
"""
import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
INSTALL_INPUTS = ("requirements.txt", "pyproject.toml")


def venv_python():
    """The environment's interpreter, creating and filling the environment when needed."""
    python = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        print(f"Creating the course environment in {VENV} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    stamp = VENV / "installed.sha256"
    digest = hashlib.sha256(b"".join((ROOT / name).read_bytes() for name in INSTALL_INPUTS)).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        print("Installing the course's packages (requirements.txt) ...", flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "--upgrade", "pip"], check=True, cwd=ROOT)
        subprocess.run([str(python), "-m", "pip", "install", "-r", "requirements.txt"], check=True, cwd=ROOT)
        stamp.write_text(digest)
    return str(python)


ONE_BLAS_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
"""For tests, regeneration and benchmarks: the same sums in the same order on every machine
(stored outputs reproduce), and no thread fights on a loaded two-core runner."""

COMMANDS = {
    "lab": lambda py, args: [py, "-m", "jupyter", "lab", "notebooks/00_start_here.ipynb", *args],
    "test": lambda py, args: [py, "-m", "pytest", *args],
    "regen": lambda py, args: [py, "-m", "devtools.regenerate", *args],
    "bench": lambda py, args: [py, "benchmarks/run.py", *args],
}


def main(argv):
    if sys.version_info < (3, 10):
        sys.exit(f"Backprop Lab needs Python 3.10 or newer; this is {sys.version.split()[0]}.")
    if not argv or argv[0] not in COMMANDS:
        sys.exit(__doc__)
    command = COMMANDS[argv[0]](venv_python(), argv[1:])
    env = dict(os.environ, PYTHONHASHSEED="0", JUPYTER_PLATFORM_DIRS="1")
    if argv[0] != "lab":
        env.update(ONE_BLAS_THREAD)
    return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
