"""Checks that the course can run here, naming whatever is missing or too old.

Used by notebook 00. Versions are compared, not printed, so the notebook's
stored output reads the same on every machine where all is well.
"""
import sys
from importlib import metadata
from typing import NamedTuple

REQUIREMENTS = {
    "numpy": ((1, 26), "the arrays every notebook computes with"),
    "matplotlib": ((3, 8), "the figures"),
    "ipywidgets": ((8, 0), "the sliders, kernel side"),
    "jupyterlab_widgets": ((3, 0), "the widget front-end for JupyterLab: without it sliders show as text"),
}
"""Distribution name → (oldest version that works, what it is for)."""

FIX = "pip install -r requirements.txt (or: python course.py lab, which installs everything)"


class Check(NamedTuple):
    """One line of the environment check."""

    ok: bool
    line: str


def check_environment(version_of=None):
    """Check Python and every package in :data:`REQUIREMENTS`; returns a list of :class:`Check`.

    ``version_of(name)`` returns an installed version string or raises
    ``importlib.metadata.PackageNotFoundError``; it defaults to the real
    ``importlib.metadata.version`` (tests pass a stand-in).
    """
    version_of = version_of or metadata.version
    checks = [
        Check(sys.version_info >= (3, 10), "✓ Python 3.10 or newer" if sys.version_info >= (3, 10) else "✗ Python is older than 3.10: install a newer Python")
    ]
    for name, (oldest, purpose) in REQUIREMENTS.items():
        wanted = ".".join(map(str, oldest))
        try:
            found = version_of(name)
        except metadata.PackageNotFoundError:
            checks.append(Check(False, f"✗ {name} is missing ({purpose}): {FIX}"))
            continue
        if _version_tuple(found) < oldest:
            checks.append(Check(False, f"✗ {name} {found} is too old, {wanted} or newer is needed ({purpose}): {FIX}"))
        else:
            checks.append(Check(True, f"✓ {name} {wanted} or newer ({purpose})"))
    return checks


def print_environment_report(checks=None):
    """Print every check's line and return True when all passed."""
    checks = check_environment() if checks is None else checks
    print("\n".join(check.line for check in checks))
    return all(check.ok for check in checks)


def _version_tuple(version):
    parts = []
    for piece in version.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit()) if piece[:1].isdigit() else ""
        parts.append(int(digits) if digits else 0)
    return tuple(parts)
