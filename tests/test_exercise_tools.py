"""The exercise machinery: generating exercises from solutions, and the learner's workspace."""
import json

import pytest

import course
from tools import make_exercises


def solution_notebook():
    return {
        "cells": [
            {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "slide"}}, "source": ["# Task 1"]},
            {
                "cell_type": "code", "execution_count": 3, "id": "a",
                "metadata": {"nbgrader": {"schema_version": 3, "solution": True, "grade": False,
                                          "locked": False, "grade_id": "t1"}, "tags": ["task"]},
                "outputs": [{"output_type": "stream", "name": "stdout", "text": ["hi\n"]}],
                "source": ["def predict(x):\n", "    \"\"\"Doc.\"\"\"\n", "    ### BEGIN SOLUTION\n",
                           "    return x + 1\n", "    ### END SOLUTION\n", "\n", "y = 2"],
            },
            {
                "cell_type": "code", "execution_count": 4, "id": "b", "metadata": {},
                "outputs": [], "source": ["check(predict)\n", "### BEGIN HIDDEN TESTS\n",
                                          "assert predict(1) == 2\n", "### END HIDDEN TESTS"],
            },
            {"cell_type": "markdown", "metadata": {}, "source": ["Why?\n", "### BEGIN SOLUTION\n",
                                                                 "Because.\n", "### END SOLUTION"]},
            {"cell_type": "markdown", "source": ["A written answer."],
             "metadata": {"nbgrader": {"schema_version": 3, "solution": True, "grade": False,
                                       "locked": False, "grade_id": "q1"}}},
        ],
        "metadata": {"widgets": {"state": {}}, "kernelspec": {"name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5,
    }


def test_solution_regions_become_stubs_indented_like_the_marker():
    ex = make_exercises.student_version(solution_notebook())
    code = "".join(ex["cells"][1]["source"])
    assert code == ('def predict(x):\n    """Doc."""\n    # YOUR CODE HERE\n'
                    "    raise NotImplementedError()\n\ny = 2")
    assert "x + 1" not in code


def test_hidden_tests_are_removed_and_markdown_answers_cleared():
    ex = make_exercises.student_version(solution_notebook())
    assert "".join(ex["cells"][2]["source"]) == "check(predict)"
    assert "".join(ex["cells"][3]["source"]) == "Why?\nYOUR ANSWER HERE"
    assert "".join(ex["cells"][4]["source"]) == "YOUR ANSWER HERE"


def test_outputs_and_counts_cleared_but_metadata_kept():
    source = solution_notebook()
    ex = make_exercises.student_version(source)
    cell = ex["cells"][1]
    assert cell["outputs"] == [] and cell["execution_count"] is None
    assert cell["metadata"]["nbgrader"]["grade_id"] == "t1"
    assert cell["metadata"]["tags"] == ["task"]
    assert ex["cells"][0]["metadata"]["slideshow"] == {"slide_type": "slide"}
    assert "widgets" not in ex["metadata"]
    assert source["cells"][1]["outputs"], "the solution itself must not be changed"


def test_an_unclosed_region_is_an_error():
    with pytest.raises(ValueError, match="not closed"):
        make_exercises.clear_regions(["### BEGIN SOLUTION\n", "x = 1\n"], "code")


def test_exercises_folder_is_generated_from_the_current_solutions():
    stale = make_exercises.stale_exercises()
    assert stale == [], f"run `python tools/make_exercises.py`: stale {stale}"


# ---- the learner's workspace ------------------------------------------------

@pytest.fixture
def folders(tmp_path):
    exercises, workspace = tmp_path / "exercises", tmp_path / "workspace"
    exercises.mkdir()
    for name in ("01-xor", "02-activation-functions"):
        (exercises / f"{name}.ipynb").write_text(json.dumps({"v": "course", "name": name}))
    return exercises, workspace


def test_first_lab_copies_every_exercise_into_the_workspace(folders):
    exercises, workspace = folders
    assert course.sync_workspace(exercises, workspace) == ["01-xor.ipynb", "02-activation-functions.ipynb"]
    assert json.loads((workspace / "01-xor.ipynb").read_text())["v"] == "course"


def test_a_learners_edits_survive_a_course_update(folders):
    exercises, workspace = folders
    course.sync_workspace(exercises, workspace)
    (workspace / "01-xor.ipynb").write_text("my work")
    (exercises / "01-xor.ipynb").write_text(json.dumps({"v": "updated course"}))
    (exercises / "03-nonlinearity.ipynb").write_text(json.dumps({"v": "new lesson"}))
    assert course.sync_workspace(exercises, workspace) == ["03-nonlinearity.ipynb"]
    assert (workspace / "01-xor.ipynb").read_text() == "my work"


def test_reset_gives_a_fresh_copy_and_keeps_a_backup(folders):
    exercises, workspace = folders
    course.sync_workspace(exercises, workspace)
    (workspace / "01-xor.ipynb").write_text("my work")
    backup = course.reset_exercise("01-xor", exercises, workspace)
    assert backup.read_text() == "my work"
    assert backup.parent == workspace / "backups"
    assert json.loads((workspace / "01-xor.ipynb").read_text())["v"] == "course"
    second = course.reset_exercise("01-xor.ipynb", exercises, workspace)
    assert second != backup and backup.exists()


def test_reset_of_an_unknown_exercise_names_the_known_ones(folders):
    exercises, workspace = folders
    with pytest.raises(SystemExit, match="01-xor, 02-activation-functions"):
        course.reset_exercise("07-transformers", exercises, workspace)


# ---- found by a mutation audit: what no test above pinned down ----------------

def grader_meta(**flags):
    meta = {"schema_version": 3, "solution": False, "grade": False, "locked": False, "grade_id": "x"}
    meta.update(flags)
    return {"nbgrader": meta}


@pytest.mark.parametrize("flags, editable, deletable", [
    ({"solution": True}, None, False),                 # an answer cell: written in, never deleted
    ({"grade": True, "points": 1}, False, False),      # a check cell, even one not marked locked
    ({"grade": True, "points": 1, "locked": True}, False, False),
    ({"locked": True}, False, False),                  # a read-only cell (a question)
    ({}, None, None),                                  # nbgrader metadata, no role: as it was
])
def test_cells_are_locked_as_nbgraders_lockcells_locks_them(flags, editable, deletable):
    cell = {"cell_type": "code", "source": "check.it(f)", "metadata": grader_meta(**flags),
            "outputs": [], "execution_count": None}
    make_exercises.lock(cell)
    assert cell["metadata"].get("editable") == editable
    assert cell["metadata"].get("deletable") == deletable
    plain = {"cell_type": "code", "source": "x = 1", "metadata": {}, "outputs": [], "execution_count": None}
    make_exercises.lock(plain)
    assert plain["metadata"] == {}


def test_a_region_at_the_top_of_a_cell_gives_a_stub_that_runs():
    lines = ["x = 1\n", "### BEGIN SOLUTION\n", "y = x + 1\n", "### END SOLUTION\n", "print(y)"]
    assert make_exercises.clear_regions(lines, "code") == [
        "x = 1\n", "# YOUR CODE HERE\n", "raise NotImplementedError()\n", "print(y)"]


def test_a_markdown_region_in_an_html_comment_is_cleared_too():
    lines = ["Why?\n", "<!-- BEGIN SOLUTION -->\n", "Because XOR is not separable.\n",
             "<!-- END SOLUTION -->"]
    out = "".join(make_exercises.clear_regions(lines, "markdown"))
    assert out == "Why?\nYOUR ANSWER HERE" and "separable" not in out


def test_the_solutions_run_timestamps_do_not_reach_the_exercise():
    nb = solution_notebook()
    nb["cells"][1]["metadata"]["execution"] = {"iopub.execute_input": "2026-12-07T10:00:00Z"}
    ex = make_exercises.student_version(nb)
    assert "execution" not in ex["cells"][1]["metadata"]
    assert ex["cells"][1]["metadata"]["tags"] == ["task"]


@pytest.fixture
def course_folders(tmp_path, monkeypatch):
    """A course folder of its own, with one solution, for make_exercises' staleness and CLI."""
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    (solutions / "01-xor.ipynb").write_text(json.dumps(solution_notebook()), encoding="utf-8")
    monkeypatch.setattr(make_exercises, "ROOT", tmp_path)
    monkeypatch.setattr(make_exercises, "SOLUTIONS", solutions)
    monkeypatch.setattr(make_exercises, "EXERCISES", exercises)
    return solutions, exercises


def test_stale_exercises_are_the_missing_the_out_of_date_and_the_orphans(course_folders):
    solutions, exercises = course_folders
    exercises.mkdir()
    assert make_exercises.stale_exercises() == ["01-xor.ipynb"]  # missing
    text = make_exercises.render(make_exercises.student_version(solution_notebook()))
    (exercises / "01-xor.ipynb").write_text(text, encoding="utf-8")
    assert make_exercises.stale_exercises() == []
    (exercises / "01-xor.ipynb").write_text(text.replace("YOUR CODE HERE", "my edit"), encoding="utf-8")
    assert make_exercises.stale_exercises() == ["01-xor.ipynb"]  # out of date
    (exercises / "01-xor.ipynb").write_text(text, encoding="utf-8")
    (exercises / "99-gone.ipynb").write_text("{}", encoding="utf-8")
    assert make_exercises.stale_exercises() == ["99-gone.ipynb"]  # its solution was removed


def test_the_command_writes_the_exercises_and_check_fails_when_they_are_stale(course_folders, monkeypatch, capsys):
    solutions, exercises = course_folders
    monkeypatch.setattr("sys.argv", ["make_exercises.py", "--check"])
    with pytest.raises(SystemExit) as info:
        make_exercises.main()
    assert info.value.code != 0 and "01-xor.ipynb" in str(info.value.code)
    monkeypatch.setattr("sys.argv", ["make_exercises.py"])
    make_exercises.main()
    exercise = json.loads((exercises / "01-xor.ipynb").read_text(encoding="utf-8"))
    assert "raise NotImplementedError()" in "".join(exercise["cells"][1]["source"])
    monkeypatch.setattr("sys.argv", ["make_exercises.py", "--check"])
    make_exercises.main()
    assert "exercises/ is up to date" in capsys.readouterr().out


@pytest.mark.parametrize("last_line", ["    return x + 1", "    return x + 1\n"])
def test_a_code_answer_cell_without_a_region_does_not_reach_the_exercise(last_line):
    # nbgrader's ClearSolutions replaces such a cell whole by the stub (with or without a final newline).
    nb = solution_notebook()
    nb["cells"][1]["source"] = ["def predict(x):\n", last_line]
    code = "".join(make_exercises.student_version(nb)["cells"][1]["source"])
    assert "x + 1" not in code and "raise NotImplementedError()" in code
