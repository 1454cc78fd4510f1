"""The environment check names what is missing or too old."""
from importlib import metadata

from helpers.envcheck import REQUIREMENTS, check_environment, print_environment_report


def versions(**found):
    def version_of(name):
        if name not in found:
            raise metadata.PackageNotFoundError(name)
        return found[name]

    return version_of


ALL_NEW = {name: "99.0.0" for name in REQUIREMENTS}


def test_everything_present_passes(capsys):
    assert print_environment_report(check_environment(versions(**ALL_NEW)))
    assert capsys.readouterr().out.count("✓") == len(REQUIREMENTS) + 1


def test_the_real_environment_passes():
    assert all(check.ok for check in check_environment())


def test_a_missing_package_is_named_with_the_fix():
    missing = {k: v for k, v in ALL_NEW.items() if k != "jupyterlab_widgets"}
    bad = [c for c in check_environment(versions(**missing)) if not c.ok]
    assert len(bad) == 1 and "jupyterlab_widgets is missing" in bad[0].line and "sliders show as text" in bad[0].line
    assert "pip install -r requirements.txt" in bad[0].line


def test_an_old_version_is_named():
    bad = [c for c in check_environment(versions(**{**ALL_NEW, "numpy": "1.21.6"})) if not c.ok]
    assert len(bad) == 1 and "numpy 1.21.6 is too old, 1.26 or newer is needed" in bad[0].line


def test_prerelease_versions_compare_by_their_numbers():
    assert all(c.ok for c in check_environment(versions(**{**ALL_NEW, "ipywidgets": "8.2.0rc1"})))
    assert not all(c.ok for c in check_environment(versions(**{**ALL_NEW, "matplotlib": "3.7.dev0"})))
