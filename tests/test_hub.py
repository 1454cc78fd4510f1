"""A class on JupyterHub: ten students log in at once, each runs notebook 01 in a server of their own.

Real JupyterHub (in .venv-teacher) with its real proxy (configurable-http-proxy from npm, in
.hub-proxy/), both set up by `python3 course.py test`, on free ports of 127.0.0.1. Each simulated
student logs in with the class password, starts their server over the hub's REST API, opens
their own student edition of notebook 01 and runs every code cell in a kernel over the server's
websocket, in parallel with the others: no traceback, and each check cell says its one friendly
line. Then each writes an edit into their copy; nobody sees another's edit, nobody can open another's
server, and after every server is stopped and started again (which re-syncs the course) every
edit is still there. Memory per student (RSS and PSS of their server and kernel) and the time to a
running notebook are printed and written to tests/artifacts/hub.json.

Skips when the teachers' environment or the proxy is missing, except on CI (``CI=true``), where
that fails. The hub's whole process group is killed at the end, pass or fail.
"""
import json
import os
import socket
import statistics
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import psutil
import pytest
import requests
import websocket

from devtools.hub import missing, start, stop, write_config
from helpers.exercises.core import NOT_DONE

ROOT = Path(__file__).resolve().parents[1]
TEACHER_PYTHON = os.environ.get("BACKPROP_TEACHER_PYTHON") or str(ROOT / ".venv-teacher" / "bin" / "python")
N = 10
NOTEBOOK = "01_one_neuron.ipynb"
RESYNCED = "02_chain_rule_graphs.ipynb"  # deleted before the restart, back after it
PASSWORD = "backprop-class"
FRIENDLY = NOT_DONE.split("{what}")[1]
ARTIFACT = ROOT / "tests" / "artifacts" / "hub.json"
START_BUDGET = 240  # seconds for ten servers to start on a loaded two-core machine
CELL_BUDGET = 180  # seconds for any one cell, ten kernels sharing two cores
LESSON_BUDGET = 600  # seconds for one student from log-in to the last cell (measured: about 90)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unavailable():
    problems = list(missing())
    if not Path(TEACHER_PYTHON).exists():
        problems.append(f"no teachers' environment at {TEACHER_PYTHON}")
    elif subprocess.run([TEACHER_PYTHON, "-c", "import jupyterhub"], capture_output=True).returncode:
        problems.append(f"{TEACHER_PYTHON} has no jupyterhub: its environment predates requirements-teacher.txt")
    return problems


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    problems = _unavailable()
    if problems:
        message = "the JupyterHub class needs what `python3 course.py test` sets up: " + "; ".join(problems)
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    class_dir = tmp_path_factory.mktemp("hub-class")
    port = _free_port()
    write_config(class_dir, port, python=TEACHER_PYTHON, hub_port=_free_port(), proxy_api_port=_free_port())
    log_path = class_dir / "hub.log"
    with open(log_path, "w") as log:
        process = start(class_dir, PASSWORD, TEACHER_PYTHON, log=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, "the hub stopped at start-up:\n" + log_path.read_text()[-4000:]
            try:
                if requests.get(base + "/hub/api/", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "the hub did not answer within 120 s:\n" + log_path.read_text()[-4000:]
            time.sleep(0.5)
        yield base, class_dir, process, log_path
    finally:
        stop(process)


class Student:
    """One simulated student: logs in through the hub's form, then works through the REST API."""

    def __init__(self, base, name):
        self.base, self.name = base, name
        self.session = requests.Session()
        self.token = None

    def log_in(self, password=PASSWORD):
        self.session.get(self.base + "/hub/login", timeout=60).raise_for_status()
        xsrf = self.session.cookies.get("_xsrf")
        response = self.session.post(self.base + "/hub/login", data={"username": self.name, "password": password, "_xsrf": xsrf},
                                     allow_redirects=False, timeout=60)
        if response.status_code != 302:
            return response.status_code
        xsrf = self.session.cookies.get("_xsrf") or xsrf
        response = self.session.post(self.base + f"/hub/api/users/{self.name}/tokens", json={"note": "test_hub", "expires_in": 3600},
                                     headers={"X-XSRFToken": xsrf}, timeout=60)
        response.raise_for_status()
        self.token = response.json()["token"]
        self.session.headers["Authorization"] = f"token {self.token}"
        return 302

    def hub_api(self, method, path, **kwargs):
        return self.session.request(method, f"{self.base}/hub/api/users/{self.name}{path}", timeout=60, **kwargs)

    def start_server(self):
        response = self.hub_api("POST", "/server")
        assert response.status_code in (201, 202), (self.name, response.status_code, response.text[:500])
        deadline = time.monotonic() + START_BUDGET
        while True:
            server = self.hub_api("GET", "").json().get("servers", {}).get("", {})
            if server.get("ready"):
                return
            assert time.monotonic() < deadline, f"{self.name}'s server did not start within {START_BUDGET} s: {server}"
            time.sleep(0.5)

    def stop_server(self):
        response = self.hub_api("DELETE", "/server")
        assert response.status_code in (202, 204), (self.name, response.status_code, response.text[:500])
        deadline = time.monotonic() + 120
        while self.hub_api("GET", "").json().get("servers", {}).get(""):
            assert time.monotonic() < deadline, f"{self.name}'s server did not stop within 120 s"
            time.sleep(0.5)

    def server(self, method, path, owner=None, **kwargs):
        return self.session.request(method, f"{self.base}/user/{owner or self.name}/api/{path}", timeout=60, **kwargs)

    def notebook(self):
        response = self.server("GET", f"contents/{NOTEBOOK}")
        response.raise_for_status()
        return nbformat.from_dict(response.json()["content"])

    def save(self, nb):
        model = {"type": "notebook", "format": "json", "content": json.loads(nbformat.writes(nb))}
        self.server("PUT", f"contents/{NOTEBOOK}", json=model).raise_for_status()


class Kernel:
    """A kernel of a student's server, driven over its websocket like JupyterLab does."""

    def __init__(self, student):
        response = student.server("POST", "sessions", json={"path": NOTEBOOK, "type": "notebook", "name": NOTEBOOK, "kernel": {"name": "python3"}})
        response.raise_for_status()
        self.kernel_id = response.json()["kernel"]["id"]
        self.session_id = uuid.uuid4().hex
        url = f"{student.base.replace('http', 'ws', 1)}/user/{student.name}/api/kernels/{self.kernel_id}/channels?session_id={self.session_id}"
        self.ws = websocket.create_connection(url, header=[f"Authorization: token {student.token}"], timeout=CELL_BUDGET)

    def run(self, code):
        """Execute ``code``; returns (stdout text, errors as 'ename: evalue') once the kernel is idle again."""
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": "execute_request", "username": "student", "session": self.session_id,
                  "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "version": "5.3"}
        content = {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
        self.ws.send(json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content, "buffers": [], "channel": "shell"}))
        stdout, errors, replied, idle = [], [], False, False
        deadline = time.monotonic() + CELL_BUDGET
        while not (replied and idle):
            assert time.monotonic() < deadline, f"a cell ran longer than {CELL_BUDGET} s: {code[:80]!r}"
            message = self.receive()
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["header"]["msg_type"]
            if kind == "stream" and message["content"]["name"] == "stdout":
                stdout.append(message["content"]["text"])
            elif kind == "error":
                errors.append(f"{message['content']['ename']}: {message['content']['evalue']}")
            elif kind == "execute_reply":
                replied = True
                if message["content"]["status"] != "ok" and not errors:
                    errors.append(f"{message['content'].get('ename')}: {message['content'].get('evalue')}")
            elif kind == "status" and message["content"]["execution_state"] == "idle":
                idle = True
        return "".join(stdout), errors

    def receive(self):
        """The next message; a binary frame (a message with buffers, e.g. a widget's) unpacked."""
        frame = self.ws.recv()
        if isinstance(frame, str):
            return json.loads(frame)
        count = int.from_bytes(frame[:4], "big")
        offsets = [int.from_bytes(frame[4 + 4 * i:8 + 4 * i], "big") for i in range(count)]
        return json.loads(frame[offsets[0]:offsets[1] if count > 1 else None].decode("utf-8"))

    def close(self):
        self.ws.close()


def work_through_notebook_01(base, name):
    """One student's lesson: log in, start a server, open their notebook 01 and run every code cell."""
    started = time.monotonic()
    student = Student(base, name)
    assert student.log_in() == 302, f"{name} could not log in with the class password"
    student.start_server()
    nb = student.notebook()
    assert any("NotImplementedError" in cell.source or "# your code here" in cell.source for cell in nb.cells if cell.cell_type == "code"), \
        f"{name}'s notebook 01 is not the student edition"
    kernel = Kernel(student)
    try:
        _, errors = kernel.run("1 + 1")
        assert not errors, errors
        running = time.monotonic() - started
        cells_started = time.monotonic()
        for cell in nb.cells:
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            assert time.monotonic() - started < LESSON_BUDGET, f"{name}: notebook 01 did not run to the end within {LESSON_BUDGET} s"
            stdout, errors = kernel.run(cell.source)
            assert not errors, f"{name}: a cell of the student edition failed: {errors}\n{cell.source[:300]}"
            if "check" in cell.metadata.get("tags", []):
                assert stdout.count("\n") == 1 and FRIENDLY in stdout, f"{name}: a check cell did not say its one friendly line: {stdout!r}"
        return student, {"name": name, "time_to_running_notebook_s": round(running, 2),
                         "notebook_run_s": round(time.monotonic() - cells_started, 2)}
    finally:
        kernel.close()


def memory_of_each_student(hub_process):
    """{user: {...}} of each single-user server and its kernel (the hub's children): RSS and PSS
    in MiB of both together, the server's and the kernel's RSS apart, and the CPU seconds both used."""
    measured = {}
    for child in psutil.Process(hub_process.pid).children():
        try:
            user = child.environ().get("JUPYTERHUB_USER")
            if not user:
                continue
            kernels = child.children(recursive=True)
            full = [p.memory_full_info() for p in (child, *kernels)]
            cpu = [p.cpu_times() for p in (child, *kernels)]
        except psutil.NoSuchProcess:
            continue
        measured[user] = {"rss_mib": round(sum(m.rss for m in full) / 2**20, 1), "pss_mib": round(sum(m.pss for m in full) / 2**20, 1),
                          "server_rss_mib": round(full[0].rss / 2**20, 1), "kernel_rss_mib": round(sum(m.rss for m in full[1:]) / 2**20, 1),
                          "cpu_s": round(sum(t.user + t.system for t in cpu), 1), "processes": len(full)}
    return measured


def memory_of_the_hub(hub_process):
    """RSS in MiB of the hub and its proxy (shared by the class, paid once)."""
    hub = psutil.Process(hub_process.pid)
    processes = [hub] + [p for p in hub.children() if "JUPYTERHUB_USER" not in p.environ()]
    return sum(p.memory_info().rss for p in processes) / 2**20


def marker(name):
    return f"my_note = 'written by {name}'  # a student's own edit"


def test_ten_students_run_notebook_01_at_once_and_keep_their_own_edits(hub):
    base, class_dir, process, log_path = hub
    names = [f"student{i:02d}" for i in range(1, N + 1)]
    assert Student(base, "intruder").log_in(password="not-the-class-password") == 403, "a wrong class password was let in"
    wall = time.monotonic()
    try:
        with ThreadPoolExecutor(max_workers=N) as pool:
            results = list(pool.map(lambda name: work_through_notebook_01(base, name), names))
    except Exception:
        print(log_path.read_text()[-6000:])
        raise
    lesson_s = time.monotonic() - wall
    students = {name: student for name, (student, _) in zip(names, results)}
    measured = {row["name"]: row for _, row in results}
    memory = memory_of_each_student(process)
    hub_rss = memory_of_the_hub(process)
    assert set(memory) == set(names), f"servers found: {sorted(memory)}"
    for name, numbers in memory.items():
        measured[name].update(numbers)
        assert numbers["processes"] >= 2, f"{name}: no kernel beside the server"

    # Each student writes an edit into their own copy.
    for name, student in students.items():
        nb = student.notebook()
        nb.cells.append(nbformat.v4.new_code_cell(marker(name)))
        student.save(nb)
    copies = {}
    for name, student in students.items():
        text = (class_dir / "students" / name / NOTEBOOK).read_text()
        copies[name] = text
        assert marker(name) in text and sum(marker(other) in text for other in names) == 1, f"{name}'s copy holds another's edit or lost theirs"
        assert marker(name) in student.notebook().cells[-1].source
    owner, other = names[0], names[1]
    assert students[owner].server("GET", f"contents/{NOTEBOOK}", owner=other).status_code in (403, 404), f"{owner} could open {other}'s server"

    # Stop every server and start it again: the course is re-synced (a deleted notebook comes back);
    # nobody's edit is lost.
    for name in names:
        (class_dir / "students" / name / RESYNCED).unlink()
    with ThreadPoolExecutor(max_workers=N) as pool:
        list(pool.map(lambda s: s.stop_server(), students.values()))
        list(pool.map(lambda s: s.start_server(), students.values()))
    for name, student in students.items():
        assert (class_dir / "students" / name / NOTEBOOK).read_text() == copies[name], f"{name}'s edit was overwritten at the restart"
        assert student.notebook().cells[-1].source == marker(name)
        assert (class_dir / "students" / name / RESYNCED).exists(), f"{name}'s copy was not re-synced at the restart"

    rows = [measured[name] for name in names]
    summary = {
        "students": N,
        "cores": os.cpu_count(),
        "machine_memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "lesson_wall_s": round(lesson_s, 1),
        "hub_and_proxy_rss_mib": round(hub_rss),
        "time_to_running_notebook_s": {"median": round(statistics.median(r["time_to_running_notebook_s"] for r in rows), 1),
                                       "max": round(max(r["time_to_running_notebook_s"] for r in rows), 1)},
        "notebook_run_s": {"median": round(statistics.median(r["notebook_run_s"] for r in rows), 1),
                           "max": round(max(r["notebook_run_s"] for r in rows), 1)},
        **{f"{key}_per_student": {"median": round(statistics.median(r[key] for r in rows), 1), "max": round(max(r[key] for r in rows), 1)}
           for key in ("rss_mib", "pss_mib", "server_rss_mib", "kernel_rss_mib", "cpu_s")},
        "per_student": rows,
    }
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps({k: v for k, v in summary.items() if k != "per_student"}, indent=1))
