"""course.py: the environment is set up once and only redone when pyproject.toml changes."""
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
        python.parent.mkdir(parents=True)
        python.write_text("")

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
