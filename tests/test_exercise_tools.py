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
