"""The students' copy (python3 course.py dist): everything to learn with, no solutions."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tools import make_dist

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {"notebooks", "exercises", "nnlib", "course.py", "pyproject.toml", "environment.yml",
            "README.md", "LICENSE", "STUDENT-README.md", ".gitignore"}
LEFT_OUT = {"solutions", "tests", "tools", "benchmarks", ".ci", ".git", ".venv", "workspace", "docs"}


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


def test_the_copy_holds_exactly_what_students_need(dist):
    names = {p.name for p in dist.iterdir()}
    assert names == EXPECTED
    assert not names & LEFT_OUT
    for folder in ("notebooks", "exercises", "nnlib", "nnlib/checks", "nnlib/widgets"):
        assert (dist / folder).is_dir(), folder
    assert not list(dist.rglob("__pycache__"))
    assert "workspace/" in (dist / ".gitignore").read_text().splitlines()


def test_lessons_exercises_and_library_are_copied_unchanged(dist):
    for folder in ("notebooks", "exercises"):
        for src in sorted((ROOT / folder).glob("*.ipynb")):
            assert (dist / folder / src.name).read_bytes() == src.read_bytes(), f"{folder}/{src.name}"
    for src in sorted((ROOT / "nnlib").rglob("*.py")):
        assert (dist / src.relative_to(ROOT)).read_bytes() == src.read_bytes()
    for name in ("course.py", "pyproject.toml", "environment.yml", "README.md", "LICENSE"):
        assert (dist / name).read_bytes() == (ROOT / name).read_bytes(), name


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


def test_nnlib_imports_from_the_copy(dist, tmp_path):
    code = (f"import sys; sys.path.insert(0, {str(dist)!r}); "
            "import nnlib, nnlib.checks, nnlib.widgets; print(nnlib.__file__)")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).resolve().is_relative_to(dist.resolve())


def test_the_copy_explains_itself_and_its_course_py_says_what_is_missing(dist):
    readme = (dist / "STUDENT-README.md").read_text(encoding="utf-8")
    assert "python3 course.py lab" in readme
    for command, missing in (("test", "tests are not part"), ("site", "tools/build_site.py"),
                             ("dist", "tools/make_dist.py")):
        result = subprocess.run([sys.executable, str(dist / "course.py"), command], capture_output=True,
                                text=True, timeout=60)
        assert result.returncode != 0 and missing in result.stderr, (command, result.stderr)
    assert not (dist / ".venv").exists(), "course.py set up an environment it did not need"


def test_a_second_build_replaces_the_first(tmp_path):
    dest = tmp_path / "copy"
    make_dist.make_dist(dest)
    (dest / "notebooks" / "stale.ipynb").write_text("{}")
    make_dist.make_dist(dest)
    assert not (dest / "notebooks" / "stale.ipynb").exists()


def test_a_rebuild_inside_a_git_clone_keeps_its_git_folder(tmp_path):
    clone = tmp_path / "students-repo"
    (clone / ".git").mkdir(parents=True)
    (clone / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    make_dist.make_dist(clone)  # a clone holding only .git counts as empty
    (clone / "notebooks" / "stale.ipynb").write_text("{}")
    make_dist.make_dist(clone)
    assert (clone / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert not (clone / "notebooks" / "stale.ipynb").exists()
    assert (clone / "STUDENT-README.md").exists()


def test_it_refuses_folders_it_did_not_build(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(SystemExit):
        make_dist.make_dist(tmp_path)
    assert (tmp_path / "precious.txt").exists()
    with pytest.raises(SystemExit):
        make_dist.make_dist(ROOT / "notebooks" / "copy")
    assert not (ROOT / "notebooks" / "copy").exists()


def test_leaks_are_detected(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n### BEGIN SOLUTION\nx = 2\n")
    assert make_dist.solution_leaks(tmp_path) == ["a.py"]
    nb = {"cells": [{"cell_type": "code", "metadata": {"nbgrader": {"solution": True}},
                     "source": ["def f():\n", "    return 42\n"]}]}
    (tmp_path / "n.ipynb").write_text(json.dumps(nb))
    assert make_dist.marked_solution_cells(tmp_path) == ["n.ipynb"]
    nb["cells"][0]["source"] = ["def f():\n", "    # YOUR CODE HERE\n", "    raise NotImplementedError()\n"]
    (tmp_path / "n.ipynb").write_text(json.dumps(nb))
    assert make_dist.marked_solution_cells(tmp_path) == []


def test_the_exercises_in_the_copy_hold_no_marked_solution_code(dist):
    assert make_dist.marked_solution_cells(dist) == []
