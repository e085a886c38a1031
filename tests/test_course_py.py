"""course.py: the environment is set up once and only redone when pyproject.toml changes."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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


def test_a_python_newer_than_the_tested_ones_is_told_what_to_do_if_its_install_fails(tmp_path):
    """A learner with this autumn's new Python: a note first; if a package cannot be
    installed there, the failure names the newest tested Python to use instead."""
    code = in_a_child(tmp_path, "sys.version_info = (3, 15, 0, 'final', 0); course.make_venv = lambda: None; "
                                "course.install_command = lambda target: [sys.executable, '-c', 'raise SystemExit(1)']; "
                                "course.ensure_environment({'lab'})")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    newest = "%d.%d" % course.NEWEST_TESTED_PYTHON
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert f"Note: Python 3.15 is newer than the Pythons the course is tested on (3.10 to {newest})" in out.stdout
    assert "Installing the course's packages failed" in out.stderr
    assert f"install Python {newest} and run the same command with it, e.g.  python{newest} course.py lab" in out.stderr
    assert not list(tmp_path.glob(".venv/.course-installed-*"))


def test_a_tested_python_gets_no_note(monkeypatch):
    assert sys.version_info[:2] <= course.NEWEST_TESTED_PYTHON  # the suite runs on the tested Pythons
    assert course.newer_python_hint() == ""
    monkeypatch.setattr(course.sys, "version_info", (course.NEWEST_TESTED_PYTHON[0], course.NEWEST_TESTED_PYTHON[1] + 1, 0))
    assert "is newer than the Pythons the course is tested on" in course.newer_python_hint()


def test_the_newest_tested_python_is_the_one_the_readme_and_ci_name():
    newest = "%d.%d" % course.NEWEST_TESTED_PYTHON
    root = Path(course.__file__).resolve().parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert f"**Pythons tested:** 3.10, 3.11, 3.12 and {newest}." in readme
    ci = (root / ".ci" / "other-pythons").read_text(encoding="utf-8")
    assert f'PYTHONS=${{NNF_CI_PYTHONS:-"3.10 3.12 {newest}"}}' in ci
    header = (root / "constraints.txt").read_text(encoding="utf-8").splitlines()[2]
    assert header.endswith(f"for Python 3.10, 3.11, 3.12, {newest}."), header


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
    assert "an unfinished install starts over" in err


def test_ctrl_c_outside_an_install_says_stopped_and_nothing_about_installing(monkeypatch, capsys):
    def interrupted(name, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(course, "reset_exercise", interrupted)
    with pytest.raises(SystemExit) as stopped:
        course.main(["reset", "01-xor"])
    err = capsys.readouterr().err
    assert stopped.value.code == 130
    assert "Stopped (Ctrl+C)." in err and "install" not in err


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


def test_a_failed_install_is_not_marked_installed_and_the_next_run_installs_again(fake_course, monkeypatch):
    """The stamp is the promise that .venv is complete: an install that stops half-way
    (no network) must leave no stamp, neither a new one nor the previous install's."""
    root, installs = fake_course
    course.ensure_environment({"lab"})  # a first install that succeeded

    def stamps():
        return sorted(p.name for p in (root / ".venv").glob(".course-installed-*"))
    assert stamps() == [".course-installed-lab"]
    before = (root / "pyproject.toml").read_text()
    (root / "pyproject.toml").write_text(before + "version = '2'\n")  # the course's packages change

    def install_fails(cmd, **kw):
        installs.append([str(c) for c in cmd])
        sys.exit(1)  # what course.run does when pip or uv fails
    monkeypatch.setattr(course, "run", install_fails)
    with pytest.raises(SystemExit):
        course.ensure_environment({"lab"})
    assert stamps() == [], "a half-finished install is marked as installed"
    monkeypatch.setattr(course, "run", lambda cmd, **kw: installs.append([str(c) for c in cmd]))
    course.ensure_environment({"lab"})  # the network is back: the same command installs again
    assert len(installs) == 3 and stamps() == [".course-installed-lab"]
    # Even going back to the first pyproject.toml, the interrupted install is not taken for done.
    (root / "pyproject.toml").write_text(before)
    monkeypatch.setattr(course, "run", install_fails)
    with pytest.raises(SystemExit):
        course.ensure_environment({"lab"})
    monkeypatch.setattr(course, "run", lambda cmd, **kw: installs.append([str(c) for c in cmd]))
    course.ensure_environment({"lab"})
    assert len(installs) == 5


def test_a_changed_constraints_file_reinstalls(fake_course):
    """constraints.txt pins the versions: a course update that changes a pin installs it."""
    root, installs = fake_course
    (root / "constraints.txt").write_text("numpy==2.0.0\n")
    course.ensure_environment({"lab"})
    course.ensure_environment({"lab"})
    assert len(installs) == 1 and installs[0][installs[0].index("-c") + 1] == "constraints.txt"
    (root / "constraints.txt").write_text("numpy==2.1.0\n")
    course.ensure_environment({"lab"})
    assert len(installs) == 2


# ---- the real command line, in a course folder of its own -------------------------------------

EXERCISE_NAMES = ("01-xor", "02-activation-functions")


@pytest.fixture
def course_folder(tmp_path):
    """A course folder holding this course.py and two small exercises, nothing installed."""
    folder = tmp_path / "course"
    (folder / "exercises").mkdir(parents=True)
    (folder / "course.py").write_bytes(Path(course.__file__).read_bytes())
    (folder / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    for name in EXERCISE_NAMES:
        (folder / "exercises" / f"{name}.ipynb").write_text(f'{{"exercise": "{name}", "v": "course"}}\n')
    return folder


def course_py(folder, *args):
    return subprocess.run([sys.executable, "course.py", *args], cwd=folder, capture_output=True,
                          text=True, timeout=120)


def test_reset_from_the_command_line_keeps_each_old_copy_and_says_where(course_folder):
    workspace = course_folder / "workspace"
    fresh = {name: (course_folder / "exercises" / f"{name}.ipynb").read_bytes() for name in EXERCISE_NAMES}
    # No workspace yet (lab never ran): reset makes it, with nothing to back up.
    result = course_py(course_folder, "reset", "01-xor")
    assert result.returncode == 0, result.stderr
    assert (workspace / "01-xor.ipynb").read_bytes() == fresh["01-xor"]
    assert "previous copy" not in result.stdout and not (workspace / "backups").exists()
    (workspace / "01-xor.ipynb").write_text("my work on 01")
    (workspace / "02-activation-functions.ipynb").write_text("my work on 02")
    # Several names at once, with or without .ipynb, as the file browser shows them.
    result = course_py(course_folder, "reset", "01-xor.ipynb", "02-activation-functions")
    assert result.returncode == 0, result.stderr
    for name in EXERCISE_NAMES:
        assert (workspace / f"{name}.ipynb").read_bytes() == fresh[name], name
    backups = sorted((workspace / "backups").iterdir())
    assert sorted(p.read_text() for p in backups) == ["my work on 01", "my work on 02"]
    for backup in backups:  # each backup is named where the learner reads it
        assert str(backup.relative_to(course_folder)) in result.stdout
        assert backup.name.startswith(("01-xor-", "02-activation-functions-"))
    assert "Traceback" not in result.stderr


def test_resetting_twice_in_a_row_loses_no_copy(course_folder):
    """Two resets within the same second (`reset 01-xor 01-xor`, a double Enter) must not
    write the second backup over the first one, the only copy of the learner's work."""
    workspace = course_folder / "workspace"
    workspace.mkdir()
    (workspace / "01-xor.ipynb").write_text("my work on 01")
    result = course_py(course_folder, "reset", "01-xor", "01-xor")
    assert result.returncode == 0, result.stderr
    backups = sorted((workspace / "backups").iterdir())
    assert len(backups) == 2
    assert "my work on 01" in [p.read_text() for p in backups]


def test_reset_without_a_name_or_with_an_unknown_one_explains_and_changes_nothing(course_folder):
    workspace = course_folder / "workspace"
    workspace.mkdir()
    (workspace / "01-xor.ipynb").write_text("my work on 01")
    result = course_py(course_folder, "reset")
    assert result.returncode == 1 and "say which exercise to reset" in result.stderr
    result = course_py(course_folder, "reset", "07-transformers")
    assert result.returncode == 1
    assert "no exercise called '07-transformers'" in result.stderr
    assert "01-xor, 02-activation-functions" in result.stderr and "Traceback" not in result.stderr
    assert (workspace / "01-xor.ipynb").read_text() == "my work on 01"
    assert sorted(p.name for p in workspace.iterdir()) == ["01-xor.ipynb"]


def test_no_command_shows_the_commands_and_help_is_not_an_error(course_folder):
    result = course_py(course_folder)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "python3 course.py lab" in result.stdout and "reset" in result.stdout
    for flag in ("-h", "--help"):
        result = course_py(course_folder, flag)
        assert result.returncode == 0 and "python3 course.py lab" in result.stdout


def test_lab_copies_new_exercises_keeps_mine_and_ends_with_jupyterlabs_exit_code(course_folder):
    """`course.py lab` with the install and JupyterLab itself replaced (no network, no server):
    the exercises reach workspace/, the learner's own copy is untouched, the settings are
    written, and JupyterLab's exit code is the command's."""
    workspace = course_folder / "workspace"
    workspace.mkdir()
    (workspace / "01-xor.ipynb").write_text("my work on 01")
    started = course_folder / "lab-command.txt"
    code = ("import sys, subprocess, pathlib; sys.path.insert(0, '.'); import course;"
            "course.ensure_environment = lambda extras: None;"
            "Lab = type('Lab', (), {'wait': lambda self: 3});"
            f"course.subprocess.Popen = lambda cmd, cwd: (pathlib.Path({str(started)!r}).write_text("
            "' '.join(cmd)), Lab())[1];"
            "course.main(['lab', '--no-browser'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=course_folder, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 3, result.stderr
    assert (workspace / "01-xor.ipynb").read_text() == "my work on 01"
    assert (workspace / "02-activation-functions.ipynb").read_bytes() == \
        (course_folder / "exercises" / "02-activation-functions.ipynb").read_bytes()
    assert "02-activation-functions.ipynb" in result.stdout and "01-xor.ipynb" not in result.stdout
    assert "jupyter lab" in started.read_text() and started.read_text().endswith("--no-browser")
    overrides = course_folder / ".venv" / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert json.loads(overrides.read_text()) == course.LAB_SETTINGS


def test_commands_missing_from_a_students_copy_say_so(course_folder):
    """The students' copy (dist) has no tests/ and no tools/: a message, nothing installed."""
    for command, missing in (("test", "the tests are not part of this copy"),
                             ("site", "tools/build_site.py is not part of this copy"),
                             ("dist", "tools/make_dist.py is not part of this copy")):
        result = course_py(course_folder, command)
        assert result.returncode == 1 and missing in result.stderr, (command, result.stderr)
        assert "Traceback" not in result.stderr
    assert not (course_folder / ".venv").exists()


def test_update_without_git_says_how_to_update_by_hand(course_folder, tmp_path):
    no_git = tmp_path / "bin-without-git"
    no_git.mkdir()
    result = subprocess.run([sys.executable, "course.py", "update"], cwd=course_folder, capture_output=True,
                            text=True, timeout=120, env=dict(os.environ, PATH=str(no_git)))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "git is not installed" in result.stderr and "copy your workspace/ folder" in result.stderr
