"""Set up and run Backprop Lab with one command; needs only Python 3.10 or newer.

    python3 course.py lab      create .venv if needed, bring your own copy of the notebooks
                               (my-notebooks/, answers removed) up to date, open it in JupyterLab
    python3 course.py solutions  the full notebooks with answers, read-only, in my-notebooks/solutions/
    python3 course.py test     create .venv (and .venv-teacher) if needed, then run the whole test suite
    python3 course.py classroom COURSE_DIR
                               for teachers: an nbgrader course folder with one assignment per
                               notebook; nbgrader itself is in .venv-teacher/bin
    python3 course.py hub CLASS_DIR [--port 8000] [--password WORD]
                               for teachers: a class on JupyterHub on this machine, one server per
                               student (teacher/hub.md); its proxy comes from npm into .hub-proxy/
    python3 course.py regen    re-execute every notebook and store its outputs
    python3 course.py bench    time the notebooks, widgets and networks (benchmarks/)

Extra arguments go to the tool underneath (JupyterLab or pytest). The environment
lives in .venv beside this file and is reinstalled only when requirements.txt or
pyproject.toml change.
"""
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
TEACHER_VENV = ROOT / ".venv-teacher"
"""Teachers' tools (nbgrader, jupyterhub) live apart, so nothing of them reaches a student's JupyterLab."""
HUB_PROXY_DIR = ROOT / ".hub-proxy"
HUB_PROXY = "configurable-http-proxy@5.3.0"
"""JupyterHub's proxy, from npm, installed into .hub-proxy/ (git-ignored) by `hub` and `test`."""
EDITION = ROOT / "my-notebooks"
"""The student's own folder: the notebooks without answers. Nothing in it that the student changed is overwritten."""
INSTALL_INPUTS = ("requirements.txt", "pyproject.toml")


def venv_python(venv=None, requirements="requirements.txt"):
    """The environment's interpreter, creating and filling the environment when needed."""
    venv = venv or VENV
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        print(f"Creating the course environment in {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    stamp = venv / "installed.sha256"
    inputs = dict.fromkeys([*INSTALL_INPUTS, requirements])
    digest = hashlib.sha256(b"".join((ROOT / name).read_bytes() for name in inputs)).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        print(f"Installing the course's packages ({requirements}) ...", flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "--upgrade", "pip"], check=True, cwd=ROOT)
        subprocess.run([str(python), "-m", "pip", "install", "-r", requirements], check=True, cwd=ROOT)
        stamp.write_text(digest)
    return str(python)


def teacher_python():
    """.venv-teacher's interpreter: the course's packages plus nbgrader and jupyterhub (requirements-teacher.txt)."""
    return venv_python(TEACHER_VENV, "requirements-teacher.txt")


def hub_proxy():
    """Install JupyterHub's proxy into .hub-proxy/ once (again when HUB_PROXY changes); False without npm."""
    stamp = HUB_PROXY_DIR / "installed.txt"
    if stamp.exists() and stamp.read_text() == HUB_PROXY:
        return True
    npm = shutil.which("npm")
    if npm is None:
        print(f"npm not found: the JupyterHub class needs Node.js and npm for {HUB_PROXY}", file=sys.stderr)
        return False
    print(f"Installing {HUB_PROXY} into {HUB_PROXY_DIR} ...", flush=True)
    HUB_PROXY_DIR.mkdir(exist_ok=True)
    if subprocess.run([npm, "install", "--prefix", str(HUB_PROXY_DIR), "--no-audit", "--no-fund", HUB_PROXY], cwd=ROOT).returncode:
        print(f"npm could not install {HUB_PROXY}: the JupyterHub class cannot start", file=sys.stderr)
        return False
    stamp.write_text(HUB_PROXY)
    return True


ONE_BLAS_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
"""For tests, regeneration and benchmarks: the same sums in the same order on every machine
(stored outputs reproduce), and no thread fights on a loaded two-core runner."""

ROOT_FLAG = ["--allow-root"] if getattr(os, "geteuid", lambda: 1)() == 0 else []
"""JupyterLab refuses to start as root (containers, CI) unless told: told here, knowingly."""


COMMANDS = {
    "lab": lambda py, args: [py, "-m", "jupyter", "lab", "00_start_here.ipynb", *ROOT_FLAG, *args],
    "solutions": lambda py, args: [py, "-m", "devtools.student_copy", "--solutions", str(EDITION / "solutions"), *args],
    "test": lambda py, args: [py, "-m", "pytest", *args],
    "regen": lambda py, args: [py, "-m", "devtools.regenerate", *args],
    "bench": lambda py, args: [py, "benchmarks/run.py", *args],
    "classroom": lambda py, args: [teacher_python(), "-m", "devtools.classroom", *args],
    "hub": lambda py, args: [teacher_python(), "-m", "devtools.hub", *args],
}


def student_edition(python):
    """Create or update my-notebooks/ (never overwriting what the student changed) and say what changed."""
    subprocess.run([python, "-m", "devtools.student_copy", str(EDITION)], cwd=ROOT, check=True)


def main(argv):
    if sys.version_info < (3, 10):
        sys.exit(f"Backprop Lab needs Python 3.10 or newer; this is {sys.version.split()[0]}.")
    if not argv or argv[0] not in COMMANDS:
        sys.exit(__doc__)
    python = venv_python()
    command = COMMANDS[argv[0]](python, argv[1:])
    env = dict(os.environ, PYTHONHASHSEED="0", JUPYTER_PLATFORM_DIRS="1")
    if argv[0] == "lab":
        student_edition(python)
        return subprocess.run(command, cwd=EDITION, env=env).returncode
    if argv[0] in ("test", "hub"):
        proxy_ready = hub_proxy()  # `test` goes on without it: the JupyterHub class's test says what is missing
        if argv[0] == "hub" and not proxy_ready:
            return 1
    if argv[0] == "test":
        env["BACKPROP_TEACHER_PYTHON"] = teacher_python()  # the nbgrader round trip and the hub class are tested too
    env.update(ONE_BLAS_THREAD)
    return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
