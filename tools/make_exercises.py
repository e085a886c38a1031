"""Generate exercises/ from solutions/: the solutions are the single source.

    python tools/make_exercises.py          write exercises/NN-name.ipynb for every solution
    python tools/make_exercises.py --check  exit 1 if any exercise is stale (the tests do this)

The rules are nbgrader's ClearSolutions, so a teacher can also drop solutions/
into nbgrader's source/ folder and get the same student version:

* in code cells, every region from `### BEGIN SOLUTION` to `### END SOLUTION`
  becomes `# YOUR CODE HERE` + `raise NotImplementedError()`, indented like the marker;
* in markdown cells such a region becomes `YOUR ANSWER HERE`;
* a cell marked as an nbgrader solution cell with no region is replaced whole:
  a code cell by the code stub above, a markdown cell by `YOUR ANSWER HERE`;
* `### BEGIN HIDDEN TESTS` .. `### END HIDDEN TESTS` regions are deleted;
* outputs and execution counts are cleared; cell metadata (tags, slideshow,
  nbgrader) is kept; stored widget state is dropped;
* cells are locked as nbgrader's release copy locks them (its LockCells
  preprocessor, default settings): check cells (grade cells that are not
  answers) and read-only cells (nbgrader `locked`) get `editable: false` and
  `deletable: false`; answer cells (solution cells) get `deletable: false` only,
  so a student can write in them but not delete them, and a check cell cannot
  be lost or changed by accident.
"""
import argparse
import copy
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"

BEGIN_SOLUTION = re.compile(r"^(\s*)(#+|<!--)?\s*BEGIN SOLUTION")
END_SOLUTION = re.compile(r"END SOLUTION")
BEGIN_HIDDEN = re.compile(r"BEGIN HIDDEN TESTS")
END_HIDDEN = re.compile(r"END HIDDEN TESTS")


def clear_regions(lines, cell_type):
    """Apply the two region rules to a cell's lines (each ending in '\\n' but the last)."""
    out, skipping = [], None
    for line in lines:
        if skipping == "solution":
            if END_SOLUTION.search(line):
                skipping = None
            continue
        if skipping == "hidden":
            if END_HIDDEN.search(line):
                skipping = None
            continue
        m = BEGIN_SOLUTION.match(line)
        if m:
            indent = m.group(1)
            if cell_type == "code":
                out += [f"{indent}# YOUR CODE HERE\n", f"{indent}raise NotImplementedError()\n"]
            else:
                out.append("YOUR ANSWER HERE\n")
            skipping = "solution"
            continue
        if BEGIN_HIDDEN.search(line):
            skipping = "hidden"
            continue
        out.append(line)
    if skipping:
        raise ValueError(f"a {skipping} region is not closed")
    if out:
        out[-1] = out[-1].rstrip("\n")
    return out


def lock(cell):
    """Set a cell's `editable`/`deletable` metadata the way nbgrader's LockCells does."""
    grader = cell.get("metadata", {}).get("nbgrader")
    if not grader:
        return
    solution, grade = grader.get("solution", False), grader.get("grade", False)
    if solution:                       # an answer cell: the student writes here
        cell["metadata"]["deletable"] = False
    elif grade or grader.get("locked", False):  # a check cell or a read-only cell
        cell["metadata"]["deletable"] = False
        cell["metadata"]["editable"] = False


def student_version(nb):
    """The exercise notebook made from a solution notebook (a new dict)."""
    nb = copy.deepcopy(nb)
    nb.get("metadata", {}).pop("widgets", None)
    for cell in nb["cells"]:
        source = cell["source"]
        lines = source.splitlines(keepends=True) if isinstance(source, str) else source
        cell["source"] = clear_regions(lines, cell["cell_type"])
        cell.get("metadata", {}).pop("execution", None)  # run timestamps of the solution
        is_answer = cell.get("metadata", {}).get("nbgrader", {}).get("solution", False)
        has_region = any(BEGIN_SOLUTION.match(line) for line in lines)
        if is_answer and not has_region:  # an answer cell with no region: replaced whole
            cell["source"] = (["YOUR ANSWER HERE"] if cell["cell_type"] == "markdown" else
                              ["# YOUR CODE HERE\n", "raise NotImplementedError()"])
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        lock(cell)
    return nb


def render(nb):
    """JSON text as Jupyter writes it (1-space indent, sorted keys, final newline)."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def expected_exercises():
    """{exercise path: the text it should contain}, for every solution notebook."""
    out = {}
    for path in sorted(SOLUTIONS.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        out[EXERCISES / path.name] = render(student_version(nb))
    return out


def stale_exercises():
    """Names of exercises that are missing, out of date, or have no solution."""
    expected = expected_exercises()
    stale = [p.name for p, text in expected.items()
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    orphans = [p.name for p in EXERCISES.glob("*.ipynb") if p not in expected]
    return stale + orphans


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale exercises")
    args = parser.parse_args()
    if args.check:
        stale = stale_exercises()
        if stale:
            sys.exit("stale exercises (run python tools/make_exercises.py): " + ", ".join(stale))
        print("exercises/ is up to date")
        return
    EXERCISES.mkdir(exist_ok=True)
    for path, text in expected_exercises().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
