"""The students' copy (python3 course.py dist): everything to learn with, no solutions, no lost work."""
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from tools import make_dist

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {"notebooks", "exercises", "nnlib", "course.py", "pyproject.toml", "environment.yml",
            "README.md", "LICENSE", ".gitignore", ".student-copy", "constraints.txt"}
LEFT_OUT = {"solutions", "tests", "tools", "benchmarks", ".ci", ".git", ".venv", "workspace", "docs",
            "STUDENT-README.md", "postBuild"}
TEST_ONLY = {"pytest", "nbval", "playwright", "jupyter-repo2docker", "jupyterlab-rise", "micrograd", "torch"}


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    dest = tmp_path_factory.mktemp("dist") / "student-course"
    make_dist.make_dist(dest)
    return dest


def files(folder):
    return [p for p in sorted(folder.rglob("*")) if p.is_file()]


def code_sources(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "code"]


def snapshot(folder):
    """{relative path: bytes} of every file under `folder`."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files(folder)}


def course_py(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "course.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_the_copy_holds_exactly_what_students_need(dist):
    names = {p.name for p in dist.iterdir()}
    assert names == EXPECTED
    assert not names & LEFT_OUT
    for folder in ("notebooks", "exercises", "nnlib", "nnlib/checks", "nnlib/widgets"):
        assert (dist / folder).is_dir(), folder
    assert not list(dist.rglob("__pycache__"))
    assert "workspace/" in (dist / ".gitignore").read_text().splitlines()
    assert ".venv/" in (dist / ".gitignore").read_text().splitlines()


def test_lessons_exercises_and_library_are_copied_unchanged(dist):
    for folder in ("notebooks", "exercises"):
        for src in sorted((ROOT / folder).glob("*.ipynb")):
            assert (dist / folder / src.name).read_bytes() == src.read_bytes(), f"{folder}/{src.name}"
    for src in sorted((ROOT / "nnlib").rglob("*.py")):
        assert (dist / src.relative_to(ROOT)).read_bytes() == src.read_bytes()
    for name in ("course.py", "LICENSE"):
        assert (dist / name).read_bytes() == (ROOT / name).read_bytes(), name


# ---- the copy's own README, environment.yml and pyproject.toml --------------------

def test_the_readme_is_the_students_own(dist):
    readme = (dist / "README.md").read_text(encoding="utf-8")
    for command in ("python3 course.py lab", "python3 course.py reset 01-xor", "python3 course.py update"):
        assert command in readme, command
    assert "workspace/" in readme and "notebooks/00-start-here.ipynb" in readme
    for absent in ("solutions", "docs/", "course.py test", "course.py site", "course.py dist", "tests/",
                   "mybinder", "Binder", "benchmarks"):
        assert absent not in readme, f"the students' README mentions {absent!r}"
    # Every folder it describes is in the copy (workspace/ is made by `course.py lab`).
    for folder in re.findall(r"^\| `([\w-]+)/` \|", readme, flags=re.M):
        assert folder == "workspace" or (dist / folder).is_dir(), folder
    commands = set(re.findall(r"course\.py (\w+)", readme))
    import course
    assert commands <= set(course.COMMANDS), commands - set(course.COMMANDS)


def test_environment_yml_holds_only_what_a_student_installs(dist):
    text = (dist / "environment.yml").read_text(encoding="utf-8")
    deps = text.split("dependencies:", 1)[1]
    conda = [m.group(1) for m in re.finditer(r"^  - ([^\s:]+?)\s*$", deps, flags=re.M)]
    names = {make_dist.requirement_name(c) for c in conda}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {make_dist.requirement_name(r) for r in project["dependencies"] + project["optional-dependencies"]["lab"]}
    assert names == wanted | {"python", "pip"}
    assert not names & TEST_ONLY
    assert "pytest" not in text and "tests" not in text
    assert re.search(r"^  - pip:\n      - -e \.$", text, flags=re.M), "nnlib itself is not installed"
    # The same versions as the course's own environment.yml.
    teacher = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for line in conda:
        assert f"  - {line}\n" in teacher, line


def test_pyproject_offers_the_student_extra_only_and_keeps_the_rest(dist):
    teacher = tomllib.loads((ROOT / "pyproject.toml").read_text())
    student = tomllib.loads((dist / "pyproject.toml").read_text())
    assert set(student["project"]["optional-dependencies"]) == {"lab"}
    assert student["project"]["optional-dependencies"]["lab"] == teacher["project"]["optional-dependencies"]["lab"]
    assert student["project"]["dependencies"] == teacher["project"]["dependencies"]
    assert "pytest" not in student.get("tool", {})
    for key in ("build-system",):
        assert student[key] == teacher[key]
    assert student["tool"]["setuptools"] == teacher["tool"]["setuptools"]
    teacher["project"]["optional-dependencies"] = student["project"]["optional-dependencies"]
    assert student["project"] == teacher["project"]


def test_binder_badge_only_when_the_teacher_names_the_repository(tmp_path):
    plain = tmp_path / "plain"
    make_dist.make_dist(plain)
    assert "mybinder" not in (plain / "README.md").read_text() and not (plain / "postBuild").exists()
    result = course_py("dist", str(tmp_path / "binder"), "--binder-repo", "our-school/nn-students")
    assert result.returncode == 0, result.stderr
    readme = (tmp_path / "binder" / "README.md").read_text()
    assert ("https://mybinder.org/v2/gh/our-school/nn-students/HEAD"
            "?urlpath=lab/tree/notebooks/00-start-here.ipynb") in readme
    assert "solutions" not in readme
    # A rebuild keeps the badge it was given last time, until the teacher drops it.
    assert course_py("dist", str(tmp_path / "binder")).returncode == 0
    assert "mybinder.org/v2/gh/our-school/nn-students" in (tmp_path / "binder" / "README.md").read_text()
    assert (tmp_path / "binder" / "postBuild").exists()
    result = course_py("dist", str(tmp_path / "binder"), "--no-binder")
    assert result.returncode == 0, result.stderr
    assert "mybinder" not in (tmp_path / "binder" / "README.md").read_text()
    assert not (tmp_path / "binder" / "postBuild").exists()
    assert make_dist.binder_url("https://github.com/our-school/nn-students.git") == \
        make_dist.binder_url("our-school/nn-students")
    assert make_dist.binder_url("https://gitlab.com/school/nn").startswith(
        "https://mybinder.org/v2/git/https%3A%2F%2Fgitlab.com%2Fschool%2Fnn/HEAD?urlpath=")
    with pytest.raises(SystemExit, match="--binder-repo"):
        make_dist.binder_url("not a repository")


def test_binders_build_step_copies_the_exercises_into_the_workspace(tmp_path):
    dest = tmp_path / "copy"
    make_dist.make_dist(dest, binder_repo="our-school/nn-students")
    post_build = dest / "postBuild"
    assert post_build.stat().st_mode & stat.S_IXUSR
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(["bash", str(post_build)], cwd=dest, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (dest / "workspace").glob("*.ipynb")) == \
        sorted(p.name for p in (dest / "exercises").glob("*.ipynb"))


# ---- no solutions ------------------------------------------------------------------

def test_no_file_holds_a_solution_region(dist):
    for path in files(dist):
        text = path.read_bytes().decode("utf-8", errors="replace")
        assert "BEGIN SOLUTION" not in text, path
        assert "END SOLUTION" not in text, path


def test_there_is_no_solutions_folder_anywhere(dist):
    assert [p for p in dist.rglob("solutions") if p.is_dir()] == []


def test_no_notebook_is_a_solution_notebook(dist):
    solutions = sorted((ROOT / "solutions").glob("*.ipynb"))
    assert solutions, "no solution notebooks to compare with"
    for path in dist.rglob("*.ipynb"):
        for solution in solutions:
            assert path.read_bytes() != solution.read_bytes(), f"{path} is {solution.name}"
            assert code_sources(path) != code_sources(solution), f"{path} has the code of {solution.name}"


def test_leaks_are_detected(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n### BEGIN SOLUTION\nx = 2\n")
    assert make_dist.solution_leaks(tmp_path) == ["a.py"]
    nb = {"cells": [{"cell_type": "code", "metadata": {"nbgrader": {"solution": True}},
                     "source": ["def f():\n", "    return 42\n"]}]}
    (tmp_path / "n.ipynb").write_text(json.dumps(nb))
    assert make_dist.marked_solution_cells(tmp_path) == ["n.ipynb"]
    assert make_dist.leaks_in({"n.ipynb": json.dumps(nb).encode(), "ok.py": b"x = 1\n"}) == ["n.ipynb"]
    nb["cells"][0]["source"] = ["def f():\n", "    # YOUR CODE HERE\n", "    raise NotImplementedError()\n"]
    (tmp_path / "n.ipynb").write_text(json.dumps(nb))
    assert make_dist.marked_solution_cells(tmp_path) == []


def test_the_exercises_in_the_copy_hold_no_marked_solution_code(dist):
    assert make_dist.marked_solution_cells(dist) == []


# ---- the copy works on its own ---------------------------------------------------

def test_nnlib_imports_from_the_copy(dist, tmp_path):
    code = (f"import sys; sys.path.insert(0, {str(dist)!r}); "
            "import nnlib, nnlib.checks, nnlib.widgets; print(nnlib.__file__)")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).resolve().is_relative_to(dist.resolve())


def test_the_copys_course_py_says_what_is_missing(dist):
    for command, missing in (("test", "tests are not part"), ("site", "tools/build_site.py"),
                             ("dist", "tools/make_dist.py")):
        result = subprocess.run([sys.executable, str(dist / "course.py"), command], capture_output=True,
                                text=True, timeout=60)
        assert result.returncode != 0 and missing in result.stderr, (command, result.stderr)
    assert not (dist / ".venv").exists(), "course.py set up an environment it did not need"


# ---- building again never loses work ------------------------------------------------

def add_student_work(copy):
    """What a student's (or the teacher's clone's) folder holds besides the course: returns it."""
    work = {
        "workspace/01-xor.ipynb": b'{"my": "answers"}',
        "workspace/backups/01-xor-20260101.ipynb": b'{"older": "answers"}',
        ".venv/bin/python": b"#!/bin/sh\n",
        ".venv/.course-installed-lab": b"abc",
        ".git/HEAD": b"ref: refs/heads/main\n",
        "my-notes.md": b"what I learned",
        "notebooks/Untitled.ipynb": b'{"scratch": 1}',  # a student's own file inside a course folder
        "nnlib/__pycache__/engine.cpython-311.pyc": b"\x00\x01",
    }
    for rel, data in work.items():
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        (copy / rel).write_bytes(data)
    return work


def test_a_rebuild_into_a_folder_holding_student_work_keeps_the_work(tmp_path):
    copy = tmp_path / "students-repo"
    result = course_py("dist", str(copy))
    assert result.returncode == 0, result.stderr
    work = add_student_work(copy)
    lesson = copy / "notebooks" / "01-xor.ipynb"
    lesson.write_bytes(lesson.read_bytes().replace(b"XOR", b"XOR (my note)", 1))
    edited = lesson.read_bytes()

    result = course_py("dist", str(copy))  # the real command line, as docs/deploy.md says
    assert result.returncode == 0, result.stderr
    after = snapshot(copy)
    for rel, data in work.items():
        assert after.get(rel) == data, f"{rel} was lost or changed by the rebuild"
    # The edited lesson is the course's again, and the edit is kept in a backup.
    assert lesson.read_bytes() == (ROOT / "notebooks" / "01-xor.ipynb").read_bytes()
    backups = [rel for rel, data in after.items() if data == edited]
    assert len(backups) == 1 and backups[0].startswith("workspace/backups/course-files-"), backups
    assert backups[0].endswith("/notebooks/01-xor.ipynb")
    assert "notebooks/01-xor.ipynb" in result.stdout and "workspace/backups" in result.stdout
    assert "kept, untouched:" in result.stdout and "workspace" in result.stdout
    assert "notebooks/Untitled.ipynb" in result.stdout
    assert {p.name for p in copy.iterdir()} == EXPECTED | {"workspace", ".venv", ".git", "my-notes.md"}


def test_a_rebuild_removes_course_files_the_course_no_longer_has(tmp_path):
    copy = tmp_path / "copy"
    make_dist.make_dist(copy)
    old = copy / "notebooks" / "99-dropped.ipynb"
    old.write_text("{}")
    marker = json.loads((copy / ".student-copy").read_text())
    marker["files"]["notebooks/99-dropped.ipynb"] = make_dist.digest(b"{}")
    (copy / ".student-copy").write_text(json.dumps(marker))
    report = make_dist.make_dist(copy)
    assert not old.exists() and report["removed"] == ["notebooks/99-dropped.ipynb"]
    assert report["backed_up"] == []


def test_a_students_file_where_the_new_course_puts_one_is_backed_up(tmp_path):
    copy = tmp_path / "copy"
    make_dist.make_dist(copy)
    lesson = copy / "notebooks" / "00-start-here.ipynb"
    marker = json.loads((copy / ".student-copy").read_text())
    del marker["files"]["notebooks/00-start-here.ipynb"]  # as if the course did not have it last time
    (copy / ".student-copy").write_text(json.dumps(marker))
    lesson.write_text("my own notebook of the same name")
    report = make_dist.make_dist(copy)
    assert report["backed_up"] == ["notebooks/00-start-here.ipynb"]
    kept = list((copy / "workspace" / "backups").rglob("00-start-here.ipynb"))
    assert [p.read_text() for p in kept] == ["my own notebook of the same name"]


def test_a_copy_built_before_the_marker_file_is_recognised(tmp_path):
    copy = tmp_path / "old-copy"
    make_dist.make_dist(copy)
    (copy / ".student-copy").unlink()
    (copy / "STUDENT-README.md").write_text("the old marker")
    work = add_student_work(copy)
    make_dist.make_dist(copy)
    assert not (copy / "STUDENT-README.md").exists() and (copy / ".student-copy").exists()
    assert all(snapshot(copy).get(rel) == data for rel, data in work.items())


def test_a_clone_holding_only_git_counts_as_empty(tmp_path):
    clone = tmp_path / "students-repo"
    (clone / ".git").mkdir(parents=True)
    (clone / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    make_dist.make_dist(clone)
    assert (clone / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert (clone / ".student-copy").exists()


def test_it_refuses_a_non_empty_folder_that_is_not_a_student_copy(tmp_path):
    folder = tmp_path / "my-project"
    folder.mkdir()
    (folder / "precious.txt").write_text("keep me")
    (folder / "notebooks").mkdir()
    (folder / "notebooks" / "mine.ipynb").write_text("{}")
    before = snapshot(folder)
    result = course_py("dist", str(folder))
    assert result.returncode != 0
    assert "is not a student copy" in result.stderr and "Nothing was changed" in result.stderr
    assert "precious.txt" in result.stderr
    assert snapshot(folder) == before and sorted(p.name for p in folder.iterdir()) == ["notebooks", "precious.txt"]
    with pytest.raises(SystemExit, match="inside the course"):
        make_dist.make_dist(ROOT / "notebooks" / "copy")
    assert not (ROOT / "notebooks" / "copy").exists()


def test_a_damaged_marker_stops_the_build(tmp_path):
    copy = tmp_path / "copy"
    make_dist.make_dist(copy)
    (copy / ".student-copy").write_text("not json")
    (copy / "README.md").write_text("changed")
    with pytest.raises(SystemExit, match="damaged"):
        make_dist.make_dist(copy)
    assert (copy / "README.md").read_text() == "changed"
