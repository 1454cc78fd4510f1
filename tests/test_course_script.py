"""course.py: the one-command set-up creates .venv once and reinstalls only when needed."""
import subprocess

import pytest

import course


@pytest.fixture
def fake_venv(tmp_path, monkeypatch):
    calls = []

    def run(cmd, **kwargs):
        calls.append(cmd)
        if cmd[1:3] == ["-m", "venv"]:
            (tmp_path / ".venv" / "bin").mkdir(parents=True)
            (tmp_path / ".venv" / "bin" / "python").write_text("")
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(course, "VENV", tmp_path / ".venv")
    monkeypatch.setattr(subprocess, "run", run)
    return calls


def test_first_use_creates_the_venv_and_installs_the_requirements(fake_venv):
    course.venv_python()
    assert fake_venv[0][1:3] == ["-m", "venv"]
    assert any(cmd[-2:] == ["-r", "requirements.txt"] for cmd in fake_venv)


def test_nothing_is_reinstalled_while_the_requirements_are_unchanged(fake_venv):
    python = course.venv_python()
    fake_venv.clear()
    assert course.venv_python() == python and fake_venv == []
    (course.VENV / "installed.sha256").write_text("stale")
    course.venv_python()
    assert any(cmd[-2:] == ["-r", "requirements.txt"] for cmd in fake_venv)


def test_each_command_runs_the_right_tool():
    assert course.COMMANDS["test"]("py", ["-x"]) == ["py", "-m", "pytest", "-x"]
    assert course.COMMANDS["lab"]("py", [])[:4] == ["py", "-m", "jupyter", "lab"]
    assert course.COMMANDS["regen"]("py", [])[-1] == "devtools.regenerate"


def test_an_unknown_command_prints_the_usage():
    with pytest.raises(SystemExit, match="python3 course.py test"):
        course.main(["frobnicate"])


def test_the_hub_proxy_is_installed_from_npm_once_into_its_own_folder(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(course, "HUB_PROXY_DIR", tmp_path / ".hub-proxy")
    monkeypatch.setattr(course.shutil, "which", lambda name: "/usr/bin/npm")
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kwargs: calls.append(cmd) or subprocess.CompletedProcess(cmd, 0))
    assert course.hub_proxy() and calls == [["/usr/bin/npm", "install", "--prefix", str(tmp_path / ".hub-proxy"), "--no-audit", "--no-fund", course.HUB_PROXY]]
    assert course.hub_proxy() and len(calls) == 1
    monkeypatch.setattr(course, "HUB_PROXY", "configurable-http-proxy@9.9.9")
    assert course.hub_proxy() and len(calls) == 2


def test_without_npm_the_hub_proxy_is_reported_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(course, "HUB_PROXY_DIR", tmp_path / ".hub-proxy")
    monkeypatch.setattr(course.shutil, "which", lambda name: None)
    assert course.hub_proxy() is False and "npm not found" in capsys.readouterr().err
