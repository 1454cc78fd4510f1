"""Drive JupyterLab in headless Chromium: a throw-away server, a page per notebook, and checks.

Nothing here imports pytest; the checks raise ``AssertionError`` with a message that names the
notebook and the control, so the tests and the negative control share them unchanged.

Layout of a rendered notebook as this module reads it (JupyterLab 4, ipywidgets 8):

- every output is a ``.jp-OutputArea-output``; text outputs carry ``data-mime-type``
  (``text/plain``, ``application/vnd.jupyter.stderr`` for warnings and errors, ...); a live
  widget (a *widget view*) is one whose child is ``.jupyter-widgets``. A widget-view output
  that no front end renders falls back to its ``text/plain`` repr, ``interactive(children=...``;
- in a widget view, sliders are ``.widget-slider`` with a ``.noUi-handle`` (keyboard: arrows,
  Home, End) and a ``.widget-readout`` (editable text; negative numbers use U+2212);
- the "output" of a widget view is what is not a control: its text (``.widget-html``,
  ``.widget-output``), its images (bytes, as an Image widget gets a new ``blob:`` URL on
  every update) and its ``canvas`` pixels.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

CHROMIUM_ENV = "BACKPROP_LAB_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_EXTENSION = "@jupyter-widgets/jupyterlab-manager"
BAD_OUTPUT_TEXT = ("Error displaying widget", "Loading widget...", "Traceback")
# The text repr a widget falls back to when no front end renders it, e.g.
# "interactive(children=(FloatSlider(value=1.0, ..." or "Explorer(children=(HBox(...".
WIDGET_REPR = re.compile(r"^\s*\w+\((children|value|description|options|layout|style|index)=", re.M)
# User settings for a quiet, deterministic page: no news or update toasts, and every cell
# attached to the DOM (the default windowing leaves off-screen cells out of the page).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
        "doNotDisturbMode": True,
    },
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none", "scrollPastEnd": False},
}

SERVER_START_TIMEOUT = 90  # s; ~3 s quiet, much more on a loaded 2-core machine
PAGE_TIMEOUT = 60  # s; launch to kernel Idle is ~10 s quiet
RUN_ALL_TIMEOUT = 120  # s; until every prompt shows a number and every widget has rendered
REDRAW_TIMEOUT = 30  # s; one slider move to a redrawn figure is 0.3-1 s
STABLE_FOR = 0.5  # s an output must stay unchanged before it counts as redrawn
HALT_GRACE = 3  # s with no cell running and some unrun before Run All counts as stopped
STDERR = "application/vnd.jupyter.stderr"  # warnings, and errors (whose text lacks "Traceback" for a SyntaxError)


# --- requirements ----------------------------------------------------------------------


def chromium_path():
    """The Chromium to drive: ``$BACKPROP_LAB_CHROMIUM`` or Debian's ``/usr/bin/chromium``."""
    return os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM


def missing_requirements():
    """Why the browser tests cannot run here, with how to fix it; ``None`` when they can."""
    problems = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("the Python package 'playwright' is missing (pip install -r requirements.txt)")
    chromium = chromium_path()
    if not (os.path.isfile(chromium) and os.access(chromium, os.X_OK)):
        problems.append(
            f"no Chromium at {chromium} (apt-get install -y chromium, "
            f"or point ${CHROMIUM_ENV} at a Chromium binary; 'playwright install' is not needed)"
        )
    for module in ("jupyterlab", "ipywidgets", "jupyterlab_widgets"):
        try:
            __import__(module)
        except ImportError:
            problems.append(f"the Python package '{module}' is missing (pip install -r requirements.txt)")
    return "; ".join(problems) or None


# --- the server ------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLab:
    """A JupyterLab server on a temporary copy of ``notebook_dir``, isolated from the user's setup.

    Config, data, runtime, IPython, settings and workspace directories all live under one
    temporary directory, removed by :meth:`stop`. ``disabled_extensions`` lists lab
    extensions to turn off (the negative control disables the widget manager).
    """

    def __init__(self, notebook_dir, disabled_extensions=(), pythonpath=None):
        self.source = Path(notebook_dir)
        self.disabled_extensions = tuple(disabled_extensions)
        self.pythonpath = pythonpath
        self.port = free_port()
        self.token = uuid.uuid4().hex
        self.base = f"http://127.0.0.1:{self.port}"
        self.tmp = Path(tempfile.mkdtemp(prefix="backprop-lab-jupyterlab-"))
        self.root = self.tmp / "notebooks"
        self.process = None
        self.log_path = self.tmp / "server.log"
        self.log = None
        self.startup_seconds = None

    # paths and environment

    def _dirs(self):
        names = ("config", "data", "runtime", "ipython", "settings", "workspaces")
        dirs = {name: self.tmp / name for name in names}
        for d in dirs.values():
            d.mkdir(parents=True, exist_ok=True)
        return dirs

    def _environment(self, dirs):
        env = dict(os.environ)
        for var in ("MPLBACKEND", "JUPYTER_PATH", "JUPYTER_PREFER_ENV_PATH", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
            env.pop(var, None)  # an Agg backend would hide every figure; the others leak user setup
        env.update(
            JUPYTER_CONFIG_DIR=str(dirs["config"]),
            JUPYTER_DATA_DIR=str(dirs["data"]),  # lab extensions are still found under sys.prefix
            JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
            IPYTHONDIR=str(dirs["ipython"]),
            PYDEVD_DISABLE_FILE_VALIDATION="1",
        )
        # The venv's python3 kernelspec runs plain "python": make that this interpreter.
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        if self.pythonpath:  # kernels import helpers/ from the checkout under test
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(self.pythonpath), env.get("PYTHONPATH")]))
        return env

    def _write_settings(self, dirs):
        for plugin, values in LAB_SETTINGS.items():
            path = dirs["settings"] / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        if self.disabled_extensions:
            # What `jupyter labextension disable NAME` writes at the user level.
            labconfig = dirs["config"] / "labconfig"
            labconfig.mkdir(parents=True, exist_ok=True)
            disabled = {name: True for name in self.disabled_extensions}
            (labconfig / "page_config.json").write_text(json.dumps({"disabledExtensions": disabled}), encoding="utf-8")

    # lifecycle

    def start(self):
        shutil.copytree(self.source, self.root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        dirs = self._dirs()
        self._write_settings(dirs)
        command = [
            sys.executable, "-m", "jupyter", "lab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            f"--LabApp.user_settings_dir={dirs['settings']}",
            f"--LabApp.workspaces_dir={dirs['workspaces']}",
            "--LabApp.news_url=None",
            "--ServerApp.terminals_enabled=False",
        ]
        self.log = open(self.log_path, "wb")
        started = time.monotonic()
        self.process = subprocess.Popen(
            command,
            cwd=self.root,
            env=self._environment(dirs),
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() also ends the kernels
        )
        deadline = started + SERVER_START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {self.process.returncode} while starting:\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status", timeout=2)
                break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not answer /api/status within {SERVER_START_TIMEOUT} s:\n{self.log_tail()}")
                time.sleep(0.2)
        self.startup_seconds = time.monotonic() - started
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
                try:
                    os.killpg(self.process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.process.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self.process is not None:
            try:  # kernels left in the group after the server exited
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.process.wait()
        if self.log is not None:
            self.log.close()
            self.log = None
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def log_tail(self, lines=40):
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    # REST

    def url(self, path):
        return self.base + path

    def api(self, method, path, body=None, timeout=30):
        request = urllib.request.Request(
            self.url(path),
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode()
        return json.loads(text) if text else None

    def delete_sessions(self):
        """Shut down every kernel session (between notebooks, so kernels never pile up)."""
        for session in self.api("GET", "/api/sessions"):
            try:
                self.api("DELETE", f"/api/sessions/{session['id']}")
            except urllib.error.HTTPError as error:
                if error.code != 404:
                    raise

    def contents(self, name):
        """The notebook ``name`` as the server holds it (after a save: the page's model)."""
        return self.api("GET", f"/api/contents/{urllib.request.quote(name)}?content=1")["content"]

    def add_notebook(self, name, text):
        """Put a notebook (its JSON text) into the served copy, e.g. a control notebook."""
        (self.root / name).write_text(text, encoding="utf-8")


# --- the page --------------------------------------------------------------------------

# JavaScript run in the page. Views and controls get data-e2e-* ids so Python can find them.
_JS_HELPERS = r"""
const CONTROL = '.widget-slider, .widget-dropdown, .widget-select, .widget-toggle-button, .widget-toggle-buttons, .widget-checkbox, .widget-radio-box, .widget-radio, .widget-readout, .widget-text, .widget-play, select, input, button';
function hash(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
  return (h >>> 0).toString(16) + ':' + s.length;
}
function cellOf(el) {
  const cell = el.closest('.jp-Cell');
  return cell ? Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).indexOf(cell) : -1;
}
async function imageBytes(img) {
  // An Image widget shows a new blob: URL on every update, even for the same picture: hash the bytes.
  if (!img.src.startsWith('blob:')) return img.src;
  try {
    const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
    return s;
  } catch (e) {
    return img.src;  // revoked while replaced: the next snapshot sees the new picture
  }
}
async function snapshot(view) {
  const clone = view.cloneNode(true);
  clone.querySelectorAll(CONTROL).forEach(e => e.remove());
  const text = clone.textContent.replace(/\s+/g, ' ').trim();
  const parts = [text];
  for (const img of view.querySelectorAll('img')) { if (!img.closest(CONTROL)) parts.push(await imageBytes(img)); }
  view.querySelectorAll('canvas').forEach(c => {
    if (!c.closest(CONTROL)) { try { parts.push(c.toDataURL()); } catch (e) { parts.push('canvas:' + c.width + 'x' + c.height); } }
  });
  return {digest: hash(parts.join('\u0000')), text: text.slice(0, 300), images: parts.length - 1};
}
"""


def _js(body):
    """A page function with the helpers above in scope."""
    return f"async (arg) => {{ {_JS_HELPERS}\n{body} }}"


_JS_OUTPUTS = _js(r"""
  return Array.from(document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')).map(o => ({
    cell: cellOf(o),
    mime: o.getAttribute('data-mime-type'),
    text: o.innerText,
    view: o.querySelector(':scope > .jupyter-widgets') !== null && o.closest('.widget-output') === null,
  }));
""")

_JS_TAG_VIEWS = _js(r"""
  const views = Array.from(document.querySelectorAll('.jp-Notebook .jp-OutputArea-output'))
    .filter(o => o.querySelector(':scope > .jupyter-widgets') !== null && o.closest('.widget-output') === null);
  document.querySelectorAll('[data-e2e-view], [data-e2e-control]').forEach(el => {
    el.removeAttribute('data-e2e-view'); el.removeAttribute('data-e2e-control');
  });
  const clean = s => (s || '').replace(/\u200b/g, '').trim();
  return views.map((view, v) => {
    view.setAttribute('data-e2e-view', String(v));
    const controls = [];
    const add = (el, kind) => {
      if (el.closest('[data-e2e-control]')) return;  // e.g. a button inside a toggle group
      const label = [el.querySelector('.widget-label'), el.querySelector('.widget-label-basic'), el]
        .map(e => clean(e && e.innerText)).find(s => s) || '';
      el.setAttribute('data-e2e-control', String(controls.length));
      controls.push({index: controls.length, kind, label: label.slice(0, 60)});
    };
    view.querySelectorAll('.widget-slider, .widget-dropdown, .widget-select, .widget-toggle-buttons, .widget-toggle-button, .widget-checkbox, .widget-radio-box, .widget-radio')
      .forEach(el => {
        if (el.matches('.widget-slider')) { if (el.querySelector('.noUi-handle')) add(el, 'slider'); }
        else if (el.matches('.widget-dropdown, .widget-select')) { const s = el.querySelector('select'); if (s && !s.multiple) add(el, 'select'); }
        else if (el.matches('.widget-toggle-buttons')) add(el, 'toggle-buttons');
        else if (el.matches('.widget-toggle-button')) add(el, 'toggle-button');
        else if (el.matches('.widget-checkbox')) { if (el.querySelector('input[type=checkbox]')) add(el, 'checkbox'); }
        else if (el.matches('.widget-radio-box, .widget-radio')) { if (el.querySelector('input[type=radio]')) add(el, 'radio'); }
      });
    return {index: v, cell: cellOf(view), controls};
  });
""")

_JS_SNAPSHOT = _js("return snapshot(document.querySelector(`[data-e2e-view=\"${arg}\"]`));")


def new_context(browser, viewport=(1400, 1000)):
    """A browser context for notebook pages. Pages that share one also share its HTTP cache,
    which saves JupyterLab's ~10 MB of JavaScript on every page after the first."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    context.set_default_timeout(PAGE_TIMEOUT * 1000)
    return context


class NotebookPage:
    """One notebook open in a page of ``context``, with the page's JavaScript errors recorded."""

    def __init__(self, lab, context, name):
        self.lab, self.name = lab, name
        self.cells = json.loads((lab.root / name).read_text(encoding="utf-8"))["cells"]
        self.page = context.new_page()
        self.page_errors = []
        self.console_errors = []
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))
        self.timings = {}
        self.ran = False

    # messages

    def cell_label(self, index):
        """``cell 3 (`neuron_explorer()`)``: how failure messages name a cell."""
        if not 0 <= index < len(self.cells):
            return f"cell {index}"
        source = "".join(self.cells[index].get("source", "")).strip().splitlines()
        first = source[0][:60] if source else ""
        return f"cell {index} (`{first}`)"

    def where(self, index=None):
        return f"{self.name}" + (f", {self.cell_label(index)}" if index is not None else "")

    # opening and running

    def open(self):
        started = time.monotonic()
        workspace = uuid.uuid4().hex[:12]  # a fresh workspace: no tab of an earlier test is restored
        self.page.goto(self.lab.url(f"/lab/workspaces/{workspace}/tree/{self.name}?reset&token={self.lab.token}"))
        self.wait_kernel_idle()
        self.timings["open"] = time.monotonic() - started
        return self

    def wait_kernel_idle(self, timeout=PAGE_TIMEOUT):
        status = self.page.locator("#jp-main-statusbar .jp-StatusBar-TextItem", has_text="|")
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            dialog = self.page.locator(".jp-Dialog")
            if dialog.count() and "Select Kernel" in dialog.first.inner_text():
                dialog.locator(".jp-mod-accept").first.click()  # the notebook's own kernelspec
            if status.count():
                text = status.first.inner_text()
                if text.endswith("| Idle") and not text.startswith("No Kernel"):
                    return
            time.sleep(0.2)
        raise AssertionError(f"{self.name}: kernel not Idle within {timeout} s (status bar: {text!r}); server log:\n{self.lab.log_tail()}")

    def menu(self, menu_label, command):
        """Click a main-menu entry, e.g. ``menu("Run", "runmenu:run-all")``."""
        self.page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{menu_label}$")).click()
        self.page.locator(f".lm-Menu-item[data-command='{command}']").click()

    def prompts(self):
        return self.page.locator(".jp-Notebook .jp-CodeCell .jp-InputArea-prompt").all_inner_texts()

    def run_all(self, timeout=RUN_ALL_TIMEOUT):
        """Clear the stored outputs, Run → Run All Cells, wait for every prompt and widget."""
        started = time.monotonic()
        self.menu("Edit", "editmenu:clear-all")
        self._poll(lambda: all(p.strip() in ("[ ]:", "") for p in self.prompts()), 20, "clearing the stored outputs")
        self.menu("Run", "runmenu:run-all")
        numbered = re.compile(r"\[\d+\]:")
        stalled = {"since": None}
        code_cells = [i for i, cell in enumerate(self.cells) if cell["cell_type"] == "code"]
        empty = {k for k, i in enumerate(code_cells) if not "".join(self.cells[i]["source"]).strip()}  # never get a number

        def done():
            prompts = [p.strip() for p in self.prompts()]
            if any("*" in p for p in prompts):
                stalled["since"] = None
                return False
            if len(prompts) == len(code_cells) and all(numbered.fullmatch(p) or k in empty for k, p in enumerate(prompts)):
                return self.page.get_by_text("Loading widget...").count() == 0
            # Nothing runs, something is unrun: Run All stopped at an error (after a grace period).
            stalled["since"] = stalled["since"] or time.monotonic()
            if time.monotonic() - stalled["since"] > HALT_GRACE:
                ran = [k for k, p in enumerate(prompts) if numbered.fullmatch(p)]
                last = code_cells[ran[-1]] if ran and ran[-1] < len(code_cells) else None
                errors = "\n".join(o["text"] for o in self.outputs() if o["cell"] == last and o["mime"] == STDERR)
                where = self.where(last) if last is not None else self.name
                raise AssertionError(f"{where}: Run All stopped after this cell:\n{errors or '(no error output)'}")
            return False

        self._poll(done, timeout, "Run All Cells (every prompt numbered, no 'Loading widget...')")
        self.timings["run_all"] = time.monotonic() - started
        self.ran = True

    def _poll(self, condition, timeout, what, interval=0.2):
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                prompts = self.prompts()
                raise AssertionError(f"{self.name}: timed out after {timeout} s waiting for {what}; prompts {prompts}; JavaScript errors {self.page_errors}")
            time.sleep(interval)

    # reading the page

    def outputs(self):
        return self.page.evaluate(_JS_OUTPUTS)

    def _raises_ok(self, cell):
        return 0 <= cell < len(self.cells) and "raises-exception" in self.cells[cell].get("metadata", {}).get("tags", [])

    def save(self):
        """Save the page's notebook model and return it as the server stores it."""
        before = self.lab.api("GET", f"/api/contents/{self.name}?content=0")["last_modified"]
        self.menu("File", "docmanager:save")
        self._poll(lambda: self.lab.api("GET", f"/api/contents/{self.name}?content=0")["last_modified"] != before, 30, "the notebook to save")
        return self.lab.contents(self.name)

    def widget_views(self):
        """The top-level widget views, each ``{index, cell, controls: [{index, kind, label}]}``."""
        return self.page.evaluate(_JS_TAG_VIEWS)

    def view_snapshot(self, view):
        return self.page.evaluate(_JS_SNAPSHOT, view)

    def control(self, view, control):
        return self.page.locator(f'[data-e2e-view="{view}"] [data-e2e-control="{control}"]')

    def screenshot(self, path, max_height=16000):
        """The whole notebook, not only the visible part: grow the viewport to fit it."""
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        size = self.page.viewport_size
        scroller = "document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer')"
        try:
            client, total = self.page.evaluate(f"() => {{ const s = {scroller}; return s ? [s.clientHeight, s.scrollHeight] : [0, 0]; }}")
            height = min(size["height"] + max(total - client, 0), max_height)
            if height > size["height"]:
                self.page.set_viewport_size({"width": size["width"], "height": height})
                want = client + height - size["height"] - 1
                try:  # JupyterLab lays the panel out again on a later frame
                    self.page.wait_for_function(f"() => {{ const s = {scroller}; s.scrollTop = 0; return s.clientHeight >= {want}; }}", timeout=5000)
                except Exception:  # a partial picture is still worth saving
                    pass
            self.page.screenshot(path=str(path))
        finally:
            self.page.set_viewport_size(size)

    def close(self):
        self.page.close()


# --- the checks ------------------------------------------------------------------------


def check_rendered(nb):
    """Fail unless every output rendered: no error text, no widget left as text, no JS error.

    The widgets the notebook should show are read from the page's own notebook model (saved
    through the server), so a widget whose front end is missing cannot pass unnoticed: it is
    counted as expected but is not drawn as a live widget.
    """
    problems = [f"JavaScript error in the page: {error}" for error in nb.page_errors]
    outputs = nb.outputs()
    for o in outputs:
        expected_error = nb._raises_ok(o["cell"])
        found = [bad for bad in BAD_OUTPUT_TEXT if bad in o["text"] and not (bad == "Traceback" and expected_error)]
        if found:
            problems.append(f"{nb.cell_label(o['cell'])}: output shows {found[0]!r}:\n{o['text'][:1500]}")
        elif o["mime"] == STDERR and not expected_error:
            problems.append(f"{nb.cell_label(o['cell'])}: output on stderr (an error or a warning):\n{o['text'][:1500]}")
        if o["mime"] == "text/plain" and WIDGET_REPR.search(o["text"]):
            problems.append(f"{nb.cell_label(o['cell'])}: a widget is shown as text, not rendered: {o['text'][:200]!r}")
    saved = nb.save()
    expected = [i for i, cell in enumerate(saved["cells"]) if cell["cell_type"] == "code" for out in cell.get("outputs", []) if WIDGET_VIEW in out.get("data", {})]
    rendered = [o["cell"] for o in outputs if o["view"]]
    for cell in sorted(set(expected)):
        if rendered.count(cell) < expected.count(cell):
            problems.append(f"{nb.cell_label(cell)}: {expected.count(cell)} widget view(s) in the notebook model, {rendered.count(cell)} rendered as live widgets")
    if problems:
        context = "".join(f"\n  (console error: {error[:300]})" for error in nb.console_errors[-5:])
        raise AssertionError(f"{nb.name}: not rendered cleanly:\n- " + "\n- ".join(problems) + context)
    return {"outputs": len(outputs), "widget_views": len(expected)}


def wait_changed(nb, view, before, what, timeout=REDRAW_TIMEOUT, stable_for=STABLE_FOR):
    """Wait until view ``view``'s output differs from ``before`` and holds still for ``stable_for`` s.

    A redraw that flickers back to the old picture (an ``interact`` clearing and reprinting the
    same text) does not count as a change. Returns the seconds it took.
    """
    started = time.monotonic()
    deadline = started + timeout
    last, since = before, started
    while True:
        now = nb.view_snapshot(view)
        if now["digest"] != last["digest"]:
            last, since = now, time.monotonic()
        elif last["digest"] != before["digest"] and time.monotonic() - since >= stable_for:
            return time.monotonic() - started
        if time.monotonic() > deadline:
            if last["digest"] == before["digest"]:
                raise AssertionError(
                    f"{what}: the widget's output did not change within {timeout} s "
                    f"(text: {before['text'][:200]!r}, {before['images']} image(s))"
                )
            raise AssertionError(f"{what}: the widget's output kept changing for {timeout} s")
        time.sleep(0.1)


def _move(nb, view, control):
    """Change one control the way a student would; return a description of the change."""
    locator = nb.control(view, control["index"])
    kind = control["kind"]
    if kind == "slider":
        handle = locator.locator(".noUi-handle").first
        now, top = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemax"))
        key = "End" if now < top else "Home"
        handle.focus()
        handle.press(key)
        return f"{key} (from {now:g})"
    if kind == "select":
        select = locator.locator("select").first
        options = select.evaluate("s => [s.selectedIndex, s.options.length]")
        if options[1] < 2:
            return None
        target = (options[0] + 1) % options[1]
        select.select_option(index=target)
        return f"option {target}"
    if kind == "toggle-buttons":
        buttons = locator.locator("button:not(.mod-active)")
        if buttons.count() == 0:
            return None
        label = buttons.first.inner_text()
        buttons.first.click()
        return f"click {label!r}"
    if kind in ("toggle-button", "checkbox"):
        target = locator.locator("input[type=checkbox]").first if kind == "checkbox" else locator
        target.click()
        return "click"
    if kind == "radio":
        radios = locator.locator("input[type=radio]:not(:checked)")
        if radios.count() == 0:
            return None
        radios.first.click()
        return "click another option"
    raise ValueError(f"unknown control kind {kind!r}")


def exercise(nb, views=None, timeout=REDRAW_TIMEOUT):
    """Move every control of every widget view and require the view's output to change.

    Sliders (linear, integer and log) go to their maximum (or minimum, if already there),
    dropdowns to the next option, toggles and checkboxes flip, radio buttons pick another
    option. Returns one record per control: view, cell, kind, label, action, seconds.
    """
    records = []
    for view in nb.widget_views():
        if views is not None and view["index"] not in views:
            continue
        for control in view["controls"]:
            disabled = nb.control(view["index"], control["index"]).evaluate(
                "el => !!el.querySelector('[disabled], .noUi-target[disabled]') || el.matches('[disabled]')"
            )
            if disabled:
                continue
            what = f"{nb.where(view['cell'])}, {control['kind']} {control['label']!r}"
            before = nb.view_snapshot(view["index"])
            action = _move(nb, view["index"], control)
            if action is None:
                continue
            seconds = wait_changed(nb, view["index"], before, f"{what} ({action})", timeout=timeout)
            records.append({**control, "view": view["index"], "cell": view["cell"], "action": action, "seconds": seconds})
    return records


# --- sliders by their readout ----------------------------------------------------------


def parse_number(text):
    """A readout or printed value as a float; negative numbers are shown with U+2212."""
    return float(text.strip().replace("\u2212", "-"))


def slider_in(nb, view, label):
    """The slider labelled ``label`` in widget view ``view``."""
    slider = nb.page.locator(f'[data-e2e-view="{view}"] .widget-slider').filter(
        has=nb.page.locator(".widget-label", has_text=re.compile(rf"^{re.escape(label)}$"))
    )
    if slider.count() != 1:
        raise AssertionError(f"{nb.name}: expected one slider labelled {label!r} in widget view {view}, found {slider.count()}")
    return slider


def read_slider(nb, view, label):
    return parse_number(slider_in(nb, view, label).locator(".widget-readout").inner_text())


def type_into_slider(nb, view, label, value):
    """Type ``value`` into the slider's readout (click, select all, type, Enter); return the shown value."""
    readout = slider_in(nb, view, label).locator(".widget-readout")
    readout.click()
    nb.page.keyboard.press("Control+A")
    nb.page.keyboard.type(str(value))
    nb.page.keyboard.press("Enter")
    text = f"{value:.2f}"
    nb._poll(lambda: abs(parse_number(readout.inner_text()) - value) < 1e-9, 10, f"slider {label!r} to show {text}")
    return parse_number(readout.inner_text())


# --- one page at a time ----------------------------------------------------------------


class NotebookRunner:
    """Opens notebooks one at a time; the last one stays open so a later test can reuse it.

    Opening another notebook closes the previous page and deletes every kernel session, so
    no more than one kernel runs at a time.
    """

    def __init__(self, lab, context):
        self.lab, self.context = lab, context
        self.current = None

    def page(self, name):
        """The open page for ``name`` if it is the current one, else a freshly opened page."""
        if self.current is not None and self.current.name == name:
            return self.current
        return self.fresh(name)

    def fresh(self, name):
        self.discard()
        self.current = NotebookPage(self.lab, self.context, name)
        self.current.open()
        return self.current

    def discard(self):
        if self.current is not None:
            self.current.close()
            self.current = None
        self.lab.delete_sessions()
