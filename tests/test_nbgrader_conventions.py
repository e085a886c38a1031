"""solutions/ and exercises/ keep nbgrader's conventions, so a teacher can grade with nbgrader.

A teacher can drop solutions/ into nbgrader's source/ folder; exercises/ is what
nbgrader's `generate_assignment` would release (tools/make_exercises.py follows
its ClearSolutions, ClearHiddenTests and LockCells rules).  nbgrader itself is
not installed (it pins JupyterLab and pulls a database stack), so these tests
check its rules directly:

* cell metadata `nbgrader` in schema version 3, with grade/solution/locked/grade_id,
  and points on every grade cell; grade_ids unique within a notebook;
* written answers are markdown grade cells with points (generate_assignment
  rejects markdown solution cells without), each with a model answer and a
  marking rubric in the solution, and a read-only question before it that tells
  the learner where to compare;
* in the exercises: no solution region left, answers cleared, check cells and
  read-only cells locked (`editable: false`, `deletable: false`), answer cells
  undeletable but editable.
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
KEYS = {"schema_version", "grade", "solution", "locked", "grade_id"}
GRADE_ID = re.compile(r"^[A-Za-z0-9_-]+$")


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell):
    return "".join(cell["source"])


def grader(cell):
    return cell.get("metadata", {}).get("nbgrader")


def exercise_of(path):
    return ROOT / "exercises" / path.name


def headings(path):
    return [re.sub(r"^#+\s*(\d+\.\s*)?", "", line).strip()
            for cell in load(path)["cells"] if cell["cell_type"] == "markdown"
            for line in source(cell).splitlines() if line.startswith("#")]


def test_there_are_solutions_with_grade_cells():
    assert len(SOLUTIONS) >= 6
    for path in SOLUTIONS:
        assert any(grader(c) for c in load(path)["cells"]), path.name


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_metadata_is_nbgrader_schema_3_with_unique_grade_ids(path):
    ids = []
    for cell in load(path)["cells"]:
        meta = grader(cell)
        if meta is None:
            continue
        assert KEYS <= set(meta), (path.name, meta)
        assert meta["schema_version"] == 3
        assert all(isinstance(meta[k], bool) for k in ("grade", "solution", "locked"))
        assert GRADE_ID.match(meta["grade_id"]), meta["grade_id"]
        if meta["grade"]:
            assert isinstance(meta.get("points"), (int, float)) and meta["points"] > 0, meta
        if meta["solution"]:
            assert not meta["locked"], f"{meta['grade_id']}: an answer cell cannot be read-only"
        ids.append(meta["grade_id"])
    assert len(ids) == len(set(ids)), f"{path.name}: duplicate grade_ids {sorted(i for i in ids if ids.count(i) > 1)}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_code_answers_hold_a_solution_region_and_checks_are_grade_code_cells(path):
    for cell in load(path)["cells"]:
        meta = grader(cell) or {}
        if meta.get("solution") and cell["cell_type"] == "code":
            assert "### BEGIN SOLUTION" in source(cell) and "### END SOLUTION" in source(cell), meta["grade_id"]
        if meta.get("grade") and not meta.get("solution"):
            assert cell["cell_type"] == "code" and meta["locked"], meta["grade_id"]
            assert "BEGIN SOLUTION" not in source(cell)


def written_questions(path):
    """[(question cell, answer cell)] of a solution notebook."""
    cells = load(path)["cells"]
    return [(cells[i - 1], cell) for i, cell in enumerate(cells)
            if cell["cell_type"] == "markdown" and (grader(cell) or {}).get("solution")]


def test_every_notebook_has_written_questions():
    assert [p.name for p in SOLUTIONS if not written_questions(p)] == []


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_every_written_question_has_a_model_answer_and_a_rubric(path):
    for question, answer in written_questions(path):
        meta = grader(answer)
        assert meta["grade"] and meta["points"] > 0, f"{meta['grade_id']}: nbgrader needs points here"
        text = source(answer)
        assert text.startswith("*Model answer.*"), meta["grade_id"]
        model, _, rubric = text.partition("*Marking rubric")
        assert len(model.split()) >= 30, f"{meta['grade_id']}: the model answer is too short to mark against"
        m = re.match(r" \(([\d.]+) points?\)\.\*", rubric)
        assert m and float(m.group(1)) == meta["points"], f"{meta['grade_id']}: rubric missing or points differ"
        for level in ("**1**", "**½**", "**0**"):
            assert level in rubric, f"{meta['grade_id']}: the rubric has no {level} level"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_every_question_is_read_only_and_says_where_to_compare(path):
    for question, answer in written_questions(path):
        qid = grader(answer)["grade_id"]
        meta = grader(question)
        assert meta and meta["locked"] and not meta["grade"] and not meta["solution"], \
            f"{qid}: the question before the answer must be an nbgrader read-only cell"
        text = source(question)
        m = re.search(r"\*After you answer:\*.*\[lesson \d+\]\(\.\./notebooks/([\w-]+\.ipynb)\), section \*(.+?)\*",
                      text, flags=re.S)
        assert m, f"{qid}: the question does not say where to compare"
        lesson = ROOT / "notebooks" / m.group(1)
        assert lesson.exists(), f"{qid}: links to {m.group(1)}, which does not exist"
        assert m.group(2) in headings(lesson), f"{qid}: {m.group(1)} has no section {m.group(2)!r}"
        assert "teacher has a model answer and a marking rubric" in text


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_the_exercise_is_the_release_version(path):
    solution, exercise = load(path), load(exercise_of(path))
    assert [c.get("id") for c in exercise["cells"]] == [c.get("id") for c in solution["cells"]]
    text = exercise_of(path).read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
                   "*Model answer.*", "*Marking rubric"):
        assert marker not in text, f"{path.name}: the exercise still holds {marker!r}"
    for sol, ex in zip(solution["cells"], exercise["cells"]):
        meta = grader(sol)
        assert grader(ex) == meta, "the nbgrader metadata must reach the exercise unchanged"
        ex_meta = ex.get("metadata", {})
        if meta is None:
            assert "editable" not in ex_meta and "deletable" not in ex_meta
            continue
        if meta["solution"]:
            assert ex_meta.get("deletable") is False and ex_meta.get("editable", True) is True, meta["grade_id"]
            if ex["cell_type"] == "markdown":
                assert source(ex) == "YOUR ANSWER HERE"
            else:
                assert "# YOUR CODE HERE\n" in source(ex) and "raise NotImplementedError()" in source(ex)
        elif meta["grade"] or meta["locked"]:
            assert ex_meta.get("editable") is False and ex_meta.get("deletable") is False, \
                f"{path.name}: {meta['grade_id']} is not locked"
            assert source(ex) == source(sol), f"{meta['grade_id']}: a locked cell must reach students unchanged"


def test_every_check_cell_in_the_exercises_is_locked():
    checks = 0
    for path in sorted((ROOT / "exercises").glob("*.ipynb")):
        for cell in load(path)["cells"]:
            if cell["cell_type"] == "code" and source(cell).lstrip().startswith("check."):
                meta = cell.get("metadata", {})
                assert meta.get("editable") is False and meta.get("deletable") is False, (path.name, source(cell))
                checks += 1
    assert checks >= 30
