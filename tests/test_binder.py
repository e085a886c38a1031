"""Binder: repo2docker builds the course from environment.yml, as the repository stands.

`repo2docker --no-build` renders the Dockerfile it would build without needing a
Docker daemon, so this runs anywhere; it is given Binder's user (uid 1000) because
as root repo2docker would describe an image Binder never builds.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

try:
    import tomllib  # Python 3.11 and newer
except ModuleNotFoundError:  # Python 3.10: the same parser as a package (the test extra has it)
    import tomli as tomllib

import pytest

ROOT = Path(__file__).resolve().parent.parent


def require_repo2docker():
    try:
        import repo2docker  # noqa: F401
    except ImportError:
        pytest.fail("jupyter-repo2docker is not installed, but it is part of the test extra: "
                    "run `python3 course.py test`, or pip install -e '.[test]'")


@pytest.fixture(scope="module")
def dry_run():
    """(Dockerfile, log) of repo2docker's dry run over the repository."""
    require_repo2docker()
    cmd = [sys.executable, "-m", "repo2docker", "--no-build", "--no-run", "--debug",
           "--user-id", "1000", "--user-name", "jovyan", str(ROOT)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, PYTHONWARNINGS="ignore"))
    assert result.returncode == 0, f"repo2docker failed:\n{result.stderr}"
    return result.stdout, result.stderr


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # raised inside repo2docker's own imports
def test_repo2docker_picks_the_conda_build_pack(monkeypatch):
    require_repo2docker()
    from repo2docker.app import Repo2Docker

    app = Repo2Docker()
    monkeypatch.chdir(ROOT)  # build packs look for their files in the current folder

    def make(BP):
        base_image = getattr(app, "base_image", None)
        return BP(base_image=base_image) if base_image else BP()

    picked = next(bp for bp in map(make, app.buildpacks) if bp.detect())
    assert type(picked).__name__ == "CondaBuildPack"
    assert Path(picked.environment_yaml_path).resolve() == ROOT / "environment.yml"


def test_the_dockerfile_installs_our_environment_yml_into_the_notebook_environment(dry_run):
    dockerfile, log = dry_run
    assert "Picked Local content provider" in log
    assert "Building conda environment" in log, log
    assert re.search(r'env update -p \$\{NB_PYTHON_PREFIX\} --file "?environment\.yml', dockerfile), dockerfile


def test_the_repository_is_in_place_and_writable_before_the_environment_is_installed(dry_run):
    # environment.yml ends with `pip install -e .`: the repository must be there by then,
    # owned by Binder's user so that the editable install can write its metadata.
    dockerfile, _ = dry_run
    copy = re.search(r"COPY --chown=1000:1000 src/ \$\{REPO_DIR\}", dockerfile)
    install = re.search(r"env update .*environment\.yml", dockerfile)
    assert copy and install and copy.start() < install.start()


def test_binder_python_satisfies_requires_python(dry_run):
    _, log = dry_run
    version = re.search(r"Building conda environment for python=(\d+)\.(\d+)", log)
    assert version, log
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    minimum = tuple(int(x) for x in re.match(r">=\s*(\d+)\.(\d+)", requires).groups())
    assert tuple(int(x) for x in version.groups()) >= minimum


def test_readme_has_a_binder_badge_that_opens_the_start_page():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    badge = re.search(r"\[!\[[^\]]*\]\(https://mybinder\.org/badge_logo\.svg\)\]\((https://mybinder\.org/v2/gh/[^)]+)\)",
                      readme)
    assert badge, "no Binder badge in README.md"
    assert badge.group(1).endswith("?urlpath=lab/tree/notebooks/00-start-here.ipynb")
    assert (ROOT / "notebooks" / "00-start-here.ipynb").exists()


def test_binder_runs_postbuild_after_the_environment(dry_run):
    # Nobody runs `course.py lab` on Binder: postBuild makes the workspace copies there.
    dockerfile, _ = dry_run
    install = re.search(r"env update .*environment\.yml", dockerfile)
    post = re.search(r"RUN \S*postBuild", dockerfile)
    assert post and install and install.start() < post.start(), dockerfile


def test_postbuild_makes_the_workspace_copies_and_the_widget_setting(tmp_path):
    import json
    import shutil
    course_copy = tmp_path / "course"
    course_copy.mkdir()
    for name in ("course.py", "postBuild"):
        shutil.copy2(ROOT / name, course_copy / name)
    shutil.copytree(ROOT / "exercises", course_copy / "exercises")
    prefix = tmp_path / "prefix"
    # postBuild calls `python`: run it with a `python` that reports `prefix` as sys.prefix.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").write_text(f'#!/bin/sh\nexec {sys.executable} -c "import sys; sys.prefix={str(prefix)!r}; '
                                    f'sys.argv=sys.argv[1:]; exec(sys.argv[0])" "$2"\n')
    (bin_dir / "python").chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(["bash", "postBuild"], cwd=course_copy, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    copies = sorted(p.name for p in (course_copy / "workspace").glob("*.ipynb"))
    assert copies == sorted(p.name for p in (ROOT / "exercises").glob("*.ipynb"))
    overrides = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert json.loads(overrides.read_text())["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is True
