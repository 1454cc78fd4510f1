"""Fixtures for the end-to-end tests: one JupyterLab server and one headless Chromium per session.

The tests skip with an install hint when Chromium or Playwright is missing, except on CI
(``CI=true``), where a missing browser is a failure rather than a silent pass.
Timings go to ``tests/artifacts/browser-timings.json``; screenshots beside it.
"""
import json
import os
import time
from pathlib import Path

import pytest

from .jupyterlab import CHROMIUM_FLAGS, JupyterLab, NotebookRunner, chromium_path, missing_requirements, new_context

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = Path(os.environ.get("BACKPROP_LAB_NOTEBOOK_DIR") or REPO / "notebooks")
"""The notebooks under test; ``$BACKPROP_LAB_NOTEBOOK_DIR`` points the tests at another folder."""
ARTIFACTS = REPO / "tests" / "artifacts"


def pytest_collection_modifyitems(items):
    """Run each notebook's own checks right after its generic test, so they reuse its open page.

    A test belongs to a notebook through its ``name`` parameter (the generic test) or a
    ``notebook`` attribute on the test function (set by ``for_notebook``).
    """
    def notebook_of(item):
        params = getattr(getattr(item, "callspec", None), "params", {})
        return getattr(getattr(item, "function", None), "notebook", None) or (
            params.get("name") if item.path == Path(__file__).with_name("test_notebooks_in_browser.py") else None
        )

    slots = [i for i, item in enumerate(items) if notebook_of(item)]
    ordered = sorted((items[i] for i in slots), key=lambda item: (notebook_of(item), hasattr(item.function, "notebook")))
    for i, item in zip(slots, ordered):
        items[i] = item


def for_notebook(name):
    """Mark a test as checking notebook ``name``: it then runs right after that notebook's generic test."""
    def mark(test):
        test.notebook = name
        return test

    return mark


@pytest.fixture(scope="session")
def browser_requirements():
    problem = missing_requirements()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run on CI: {problem}", pytrace=False)
        pytest.skip(f"browser tests need a browser: {problem}")


@pytest.fixture(scope="session")
def timings():
    """Seconds per step, written to tests/artifacts/browser-timings.json at the end."""
    record = {"started": time.time()}
    yield record
    record["total"] = time.time() - record.pop("started")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "browser-timings.json").write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def lab(browser_requirements, timings):
    """JupyterLab serving a temporary copy of the notebooks; kernels import helpers/ from this checkout."""
    server = JupyterLab(NOTEBOOK_DIR, pythonpath=REPO)
    try:
        server.start()
        timings["server_start"] = server.startup_seconds
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(browser_requirements, timings):
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True)
        timings["browser_start"] = time.monotonic() - started
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def context(browser):
    """One browser context for the session: its HTTP cache makes every page after the first faster."""
    shared = new_context(browser)
    yield shared
    shared.close()


@pytest.fixture(scope="session")
def runner(lab, context):
    """Opens one notebook page at a time (see :class:`NotebookRunner`)."""
    notebooks = NotebookRunner(lab, context)
    yield notebooks
    notebooks.discard()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
