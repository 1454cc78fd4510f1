"""A class on JupyterHub, on one machine: a teacher's recipe as code.

    python3 course.py hub CLASS_DIR [--port 8000] [--password WORD]
    (or, with the teachers' environment: .venv-teacher/bin/python -m devtools.hub CLASS_DIR ...)

Writes ``CLASS_DIR/jupyterhub_config.py`` and runs JupyterHub from ``CLASS_DIR`` until Ctrl+C:

- log-in: one shared class password, any user name: JupyterHub's ``SharedPasswordAuthenticator``
  (the successor of ``DummyAuthenticator``'s password, deprecated since JupyterHub 5.3). The
  password (8 characters or more) comes from ``--password``, or ``BACKPROP_CLASS_PASSWORD``, or is
  made up and printed. Anyone with it can log in as any student: fine for a class on a trusted
  network; anything public needs a real authenticator (teacher/hub.md).
- each student gets a server of their own (``SimpleLocalProcessSpawner``) started in
  ``CLASS_DIR/students/<name>/``, their home, which holds their student edition of the notebooks.
  It is brought up to date by ``devtools.student_copy.sync`` before each start: a notebook the
  student changed is never overwritten.
- the servers run the teachers' environment's Python (``.venv-teacher``: the course's pinned
  packages from requirements.txt, plus jupyterhub, which a single-user server needs), so the
  kernels import exactly what the course's tests test.
- everything listens on 127.0.0.1 (``--ip`` changes it, e.g. behind a school's TLS proxy).
- the proxy is configurable-http-proxy from npm, installed by ``course.py`` into ``.hub-proxy/``.

Run as root (containers, CI), a Jupyter server refuses to start unless given ``--allow-root``:
the single-user servers are given it then, knowingly (every student's server runs as the one
user that runs the hub; a school's multi-user machine should use real accounts instead:
see teacher/hub.md).
"""
import argparse
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import psutil

from devtools.student_copy import ROOT

PROXY_VERSION = "5.3.0"
PROXY_DIR = ROOT / ".hub-proxy"
PROXY = PROXY_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
TEACHER_PYTHON = ROOT / ".venv-teacher" / "bin" / "python"

CONFIG = '''# JupyterHub configuration of a Backprop Lab class, written by `python -m devtools.hub`.
import os
import sys

sys.path.insert(0, {root!r})  # the course's devtools: each student's copy is synced before their server starts
from devtools.student_copy import SOURCE, sync

c = get_config()
c.JupyterHub.ip = {ip!r}
c.JupyterHub.port = {port!r}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port!r}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.JupyterHub.db_url = "sqlite:///" + {state!r} + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {state!r} + "/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = {state!r} + "/jupyterhub.pid"

# One shared class password (JupyterHub's dummy authenticator with a password, which JupyterHub
# 5.3+ deprecates in favour of this one): any user name, the class password.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["BACKPROP_CLASS_PASSWORD"]
c.Authenticator.allow_all = True

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {students!r} + "/{{username}}"
c.Spawner.cmd = [{python!r}, "-m", "jupyterhub.singleuser"]
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab"
c.Spawner.http_timeout = 120  # a loaded machine starting many servers at once
c.Spawner.start_timeout = 180
c.Spawner.environment = {environment!r}
c.JupyterHub.concurrent_spawn_limit = 0  # a class arrives at once: no cap
c.JupyterHub.active_server_limit = 0


def bring_the_course(spawner):
    """Before each start: the student's own copy of the notebooks, their changes kept."""
    messages = sync(spawner.home_dir, sorted(SOURCE.glob("*.ipynb")))
    for line in messages:
        spawner.log.info("%s: %s", spawner.user.name, line)


c.Spawner.pre_spawn_hook = bring_the_course
'''

ENVIRONMENT = {
    "PYTHONHASHSEED": "0",
    "JUPYTER_PLATFORM_DIRS": "1",
    "OPENBLAS_NUM_THREADS": "1",  # one BLAS thread per student: a class shares the machine's cores
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def is_root():
    return getattr(os, "geteuid", lambda: 1)() == 0


def write_config(class_dir, port=8000, ip="127.0.0.1", python=None, hub_port=None, proxy_api_port=None):
    """Write ``class_dir/jupyterhub_config.py`` (and the folders it names); returns its path.

    ``hub_port`` and ``proxy_api_port`` default to ``port + 1`` and ``port + 2``, all on 127.0.0.1
    except the public ``ip``.
    """
    class_dir = Path(class_dir).resolve()
    for forbidden in (ROOT / "notebooks", ROOT / "my-notebooks"):
        if class_dir == forbidden.resolve() or forbidden.resolve() in class_dir.parents:
            raise ValueError(f"class_dir must be a folder of the teacher's own, not {forbidden}")
    state = class_dir / "hub-state"
    students = class_dir / "students"
    for folder in (state, students):
        folder.mkdir(parents=True, exist_ok=True)
    args = ["--allow-root"] if is_root() else []  # root (containers, CI): told knowingly, see the module's docstring
    config = CONFIG.format(
        root=str(ROOT), ip=ip, port=int(port), hub_port=int(hub_port or port + 1),
        proxy_api_port=int(proxy_api_port or port + 2), proxy=str(PROXY), state=str(state),
        students=str(students), python=str(python or TEACHER_PYTHON), args=args,
        environment=ENVIRONMENT,
    )
    path = class_dir / "jupyterhub_config.py"
    path.write_text(config)
    return path


def missing():
    """What the hub needs and this machine lacks, in words a teacher can act on (empty: nothing)."""
    problems = []
    if not PROXY.exists():
        problems.append(f"configurable-http-proxy is not installed in {PROXY_DIR}: run `python3 course.py hub` (needs npm), "
                        f"or `npm install --prefix .hub-proxy configurable-http-proxy@{PROXY_VERSION}`")
    return problems


def start(class_dir, password, python=None, log=None):
    """Start JupyterHub from ``class_dir`` (config already written) in a process group of its own.

    ``python`` is the interpreter that has jupyterhub (default .venv-teacher's). Returns the
    ``Popen``; stop it with :func:`stop`, which ends the hub, the proxy and every student's server.
    """
    python = str(python or TEACHER_PYTHON)
    env = dict(os.environ, BACKPROP_CLASS_PASSWORD=password, **ENVIRONMENT)
    env.pop("PYTHONPATH", None)  # the servers import the course from the environment, not from the caller's path
    bin_dir = str(Path(python).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    command = [python, "-m", "jupyterhub", "-f", str(Path(class_dir) / "jupyterhub_config.py")]
    return subprocess.Popen(command, cwd=class_dir, env=env, stdout=log or None, stderr=subprocess.STDOUT if log else None,
                            start_new_session=True)


def stop(process, grace=20):
    """End the hub and everything it started: its proxy, every student's server and their kernels.

    JupyterHub starts the proxy, each server and each kernel in a session (a process group) of
    its own, so killing the hub's group alone would leave them running. They are all recorded
    first; the hub gets SIGTERM (it stops its servers and its proxy itself) and ``grace``
    seconds; whatever of them still runs then is killed, the hub's process group with it.
    """
    try:
        family = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        pass
    for member in family:
        try:
            if member.is_running():  # the same process (psutil checks its start time), not a reused pid
                member.kill()
        except psutil.NoSuchProcess:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the hub's own group (started with start_new_session)
    except ProcessLookupError:
        pass
    process.wait(10)


def main(argv):
    parser = argparse.ArgumentParser(prog="python3 course.py hub", description="Run a Backprop Lab class on JupyterHub.")
    parser.add_argument("class_dir", help="the class's folder: hub state and one home folder per student")
    parser.add_argument("--port", type=int, default=8000, help="the port students open (default 8000)")
    parser.add_argument("--ip", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--password", default=os.environ.get("BACKPROP_CLASS_PASSWORD"), help="the shared class password")
    parser.add_argument("--python", default=str(sys.executable if "jupyterhub" in sys.modules or _has_jupyterhub() else TEACHER_PYTHON),
                        help="the Python of the students' servers (must have jupyterhub and the course's packages)")
    options = parser.parse_args(argv)
    problems = missing()
    if problems:
        sys.exit("\n".join(problems))
    password = options.password or secrets.token_urlsafe(8)
    if len(password) < 8:
        sys.exit("the class password must have 8 characters or more")
    write_config(options.class_dir, options.port, options.ip, options.python)
    print(f"Backprop Lab class on http://{options.ip}:{options.port}/  (class password: {password})\n"
          f"Students' folders: {Path(options.class_dir).resolve() / 'students'}. Stop with Ctrl+C.", flush=True)
    process = start(Path(options.class_dir).resolve(), password, options.python)
    for sig in (signal.SIGINT, signal.SIGTERM):  # Ctrl+C or a service manager's stop: end the class cleanly
        signal.signal(sig, _interrupt)
    try:
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop(process)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _has_jupyterhub():
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
