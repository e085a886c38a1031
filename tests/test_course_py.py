"""course.py: the environment is set up once and only redone when pyproject.toml changes."""
import os
import signal
import subprocess
import sys
import time

import pytest

import course


@pytest.fixture
def fake_course(tmp_path, monkeypatch):
    """A course folder in tmp_path whose pip installs are recorded, not run."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    venv = tmp_path / ".venv"
    python = venv / "bin" / "python"
    installs = []

    def create(path, with_pip):
        python.parent.mkdir(parents=True, exist_ok=True)
        python.write_text("")
        (python.parent / "pip").write_text("")  # what ensurepip puts beside it

    monkeypatch.setattr(course, "ROOT", tmp_path)
    monkeypatch.setattr(course, "VENV", venv)
    monkeypatch.setattr(course, "venv_python", lambda: python)
    monkeypatch.setattr(course.venv, "create", create)
    monkeypatch.setattr(course, "run", lambda cmd, **kw: installs.append([str(c) for c in cmd]))
    return tmp_path, installs


def test_second_run_installs_nothing_when_nothing_changed(fake_course):
    root, installs = fake_course
    course.ensure_environment({"lab", "test"})
    assert len(installs) == 1 and installs[0][-2:] == ["-e", ".[lab,test]"]
    course.ensure_environment({"lab", "test"})
    assert len(installs) == 1


def test_a_changed_pyproject_or_new_extras_reinstall(fake_course):
    root, installs = fake_course
    course.ensure_environment({"lab"})
    course.ensure_environment({"lab", "test"})  # the test command needs more packages
    assert len(installs) == 2
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\nversion = '2'\n")
    course.ensure_environment({"lab"})
    assert len(installs) == 3


@pytest.fixture
def empty_course(tmp_path, monkeypatch):
    """course.py working on a course folder in tmp_path with nothing installed yet."""
    monkeypatch.setattr(course, "ROOT", tmp_path)
    monkeypatch.setattr(course, "VENV", tmp_path / ".venv")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    return tmp_path


def in_a_child(root, then):
    """Python code for a child process: course.py working on the folder `root`, then `then`."""
    return (f"import sys; sys.path.insert(0, {str(course.ROOT)!r}); import course, pathlib;"
            f"course.ROOT = pathlib.Path({str(root)!r}); course.VENV = course.ROOT / '.venv'; {then}")


def fail_like_debians_ensurepip(monkeypatch):
    """venv.create() as on Debian or Ubuntu without python3-venv: the environment is
    made, then running ensurepip in it fails (a real failing process, as there)."""
    def setup_pip(self, context):
        subprocess.check_output([sys.executable, "-c", "import sys; sys.exit(1)"])
    monkeypatch.setattr(course.venv.EnvBuilder, "_setup_pip", setup_pip)


def test_a_python_without_ensurepip_says_what_to_install_and_leaves_no_half_made_venv(
        empty_course, monkeypatch):
    fail_like_debians_ensurepip(monkeypatch)
    with pytest.raises(SystemExit) as info:
        course.ensure_environment({"lab"})
    message = str(info.value.code)
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert f"sudo apt install python{version}-venv" in message and "ensurepip" in message
    assert "run the same command again" in message
    assert not (empty_course / ".venv").exists(), "a .venv without pip was left behind"


def test_a_venv_without_pip_gets_pip_and_keeps_what_it_holds(empty_course, monkeypatch):
    course.venv.create(course.VENV, with_pip=False)  # e.g. left by an older course.py
    kept = course.VENV / "kept.txt"
    kept.write_text("a learner's file")
    fail_like_debians_ensurepip(monkeypatch)
    with pytest.raises(SystemExit):  # python3-venv still missing: said again, nothing removed
        course.make_venv()
    assert kept.exists()
    monkeypatch.setattr(course.venv.EnvBuilder, "_setup_pip",  # python3-venv installed now
                        lambda self, context: course.venv_pip().write_text(""))
    course.make_venv()
    assert course.venv_pip().exists() and kept.exists()


def test_a_python_older_than_3_10_is_told_what_to_do(tmp_path):
    """macOS's own python3 is 3.9: say so before anything is created."""
    code = in_a_child(tmp_path, "sys.version_info = (3, 9, 6, 'final', 0); course.ensure_environment({'lab'})")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert out.returncode == 1
    assert "Python 3.10 or newer is needed, this is" in out.stderr and "python.org" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_failed_install_says_what_to_do_and_keeps_the_installers_exit_code(empty_course, monkeypatch, capsys):
    monkeypatch.setattr(course, "make_venv", lambda: None)
    # The installer itself fails (as pip or uv do without a network), a real process.
    monkeypatch.setattr(course, "install_command", lambda target: [sys.executable, "-c", "import sys; sys.exit(3)"])
    with pytest.raises(SystemExit) as info:
        course.ensure_environment({"lab"})
    assert info.value.code == 3
    err = capsys.readouterr().err
    assert "Installing the course's packages failed" in err and "run the same command" in err


@pytest.mark.skipif(os.name == "nt", reason="sends a POSIX signal to a process group")
def test_ctrl_c_during_an_install_stops_with_a_line_not_a_traceback(empty_course):
    """A real Ctrl+C (SIGINT) while the installer runs, as a learner presses it when
    the first install seems slow."""
    # The installer stops quietly on Ctrl+C, as pip and uv do.
    installer = ("import pathlib, signal, sys, time; signal.signal(signal.SIGINT, lambda *a: sys.exit(1));"
                 f"pathlib.Path({str(empty_course / 'installing')!r}).touch(); time.sleep(60)")
    # A terminal's foreground command gets Ctrl+C; a command started in the background by a
    # script inherits SIGINT ignored (POSIX), and so would this child if the suite were
    # started that way: give it a terminal's default back.
    code = in_a_child(empty_course, "import signal; signal.signal(signal.SIGINT, signal.default_int_handler);"
                      "course.make_venv = lambda: None;"
                      f"course.install_command = lambda target: [sys.executable, '-c', {installer!r}];"
                      "print('installing', flush=True); course.main(['lab'])")
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    assert process.stdout.readline().strip() == "installing"
    for _ in range(300):  # until the installer runs (and would stop quietly)
        if (empty_course / "installing").exists():
            break
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGINT)  # Ctrl+C reaches the whole terminal's group
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "Stopped (Ctrl+C)" in err and "Traceback" not in err


def test_unknown_command_prints_the_commands(capsys):
    with pytest.raises(SystemExit) as info:
        course.main(["fly"])
    assert info.value.code == 2
    out = capsys.readouterr().out
    assert "lab" in out and "test" in out and "reset" in out


def test_lab_serves_the_whole_course_and_opens_the_start_page():
    cmd = [str(c) for c in course.lab_command(["--no-browser", "--port=9999"])]
    assert f"--ServerApp.root_dir={course.ROOT}" in cmd
    assert "--LabApp.default_url=/lab/tree/notebooks/00-start-here.ipynb" in cmd
    assert (course.ROOT / course.START_PAGE).is_file()
    # No file argument: Jupyter would make that file's folder the root again.
    assert not [c for c in cmd if c.endswith(".ipynb") and not c.startswith("--")]
    assert cmd[-2:] == ["--no-browser", "--port=9999"]  # the learner's own arguments win


def test_help_lists_update(capsys):
    with pytest.raises(SystemExit):
        course.main(["--help"])
    assert "update" in capsys.readouterr().out


def test_update_takes_no_arguments():
    with pytest.raises(SystemExit) as info:
        course.main(["update", "--force"])
    assert "no arguments" in str(info.value.code)


def test_lab_keeps_widget_state_in_saved_notebooks_without_losing_other_settings(tmp_path):
    """A lesson run, saved and reopened later shows its widgets' last pictures.

    JupyterLab's widget manager only stores widget state in the notebook when
    its `saveState` setting is on; course.py turns it on in the course's own
    environment and leaves every other setting there as it was.
    """
    import json
    venv = tmp_path / ".venv"
    path = course.lab_settings(venv)
    assert path == venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings = json.loads(path.read_text())
    assert settings["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is True
    # the course runs offline: JupyterLab must not ask to fetch its news feed
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    settings["@jupyterlab/apputils-extension:themes"] = {"theme": "JupyterLab Dark"}
    settings["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] = False
    path.write_text(json.dumps(settings))
    course.lab_settings(venv)
    again = json.loads(path.read_text())
    assert again["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert again["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is True


def test_the_settings_one_liner_for_conda_and_hubs_writes_what_course_py_lab_writes(tmp_path):
    """README (conda) and docs/deploy.md (hubs) give one command for the course's JupyterLab
    settings (postBuild runs the same on Binder); run in a fresh environment's Python it writes
    LAB_SETTINGS into that environment, and deploy.md's JSON for admins says the same."""
    import json
    import re
    import subprocess
    import venv
    from pathlib import Path
    root = Path(course.__file__).resolve().parent
    command = 'import course, sys; from pathlib import Path; course.lab_settings(Path(sys.prefix))'
    for doc in ("README.md", "docs/deploy.md"):
        assert command in (root / doc).read_text(encoding="utf-8"), f"{doc} no longer gives the command"
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=False)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run([str(python), "-c", command], cwd=root, check=True)
    written = json.loads((env_dir / "share" / "jupyter" / "lab" / "settings" / "overrides.json").read_text())
    assert written == course.LAB_SETTINGS
    block = re.search(r"```json\n(.*?)```", (root / "docs" / "deploy.md").read_text(encoding="utf-8"), re.S)
    assert block and json.loads(block.group(1)) == course.LAB_SETTINGS
