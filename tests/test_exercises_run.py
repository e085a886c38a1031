"""Untouched exercises run to the end, and every check says "not implemented yet".

A learner who opens an exercise and runs it before writing anything must see,
under each check cell, the one-line "not implemented yet" report and no other
error.  (Solutions are run separately by strict nbval: every check passes there.)
"""
import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))


def is_check_cell(cell):
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell["cell_type"] == "code" and meta.get("grade", False) and meta.get("locked", False)


def test_every_solution_has_an_exercise_and_checks():
    assert [p.name for p in EXERCISES] == [p.name for p in SOLUTIONS]
    for path in SOLUTIONS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        checks = [c for c in nb["cells"] if is_check_cell(c)]
        answers = [c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
        assert 3 <= len(checks) <= 12, f"{path.name}: {len(checks)} check cells"
        assert answers, f"{path.name}: no answer cells"
        ids = [c["metadata"]["nbgrader"]["grade_id"] for c in checks + answers]
        assert len(ids) == len(set(ids)), f"{path.name}: grade_ids must be unique"
        for cell in checks + answers:
            assert cell["metadata"]["nbgrader"]["schema_version"] == 3
        for cell in answers:
            if cell["cell_type"] == "markdown":  # nbgrader: a written answer is graded by hand
                meta = cell["metadata"]["nbgrader"]
                assert meta["grade"] and meta.get("points"), (
                    f"{path.name}: markdown answer {meta['grade_id']} needs grade: true and points")


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_untouched_exercise_runs_and_each_check_reports_not_implemented(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if is_check_cell(cell):
            assert len(errors) == 1, f"{path.name} cell {index}: a check cell must report once"
            assert errors[0].ename == "NotImplementedYet", (
                f"{path.name} cell {index}: expected 'not implemented yet', got {errors[0].ename}: "
                f"{errors[0].evalue}")
            assert "not implemented yet" in "\n".join(errors[0].traceback)
            assert len(errors[0].traceback) <= 3, "the report must be short, not a traceback"
        else:
            assert errors == [], (
                f"{path.name} cell {index} failed before the learner wrote anything: "
                f"{errors[0].ename}: {errors[0].evalue}")
