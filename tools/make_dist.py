"""Build the students' copy of the course: everything they need, no solutions.

    python tools/make_dist.py            write dist/student-course/
    python tools/make_dist.py DEST       write it into DEST instead (replaced if built here before)

The copy holds the lessons (notebooks/), the exercises (exercises/), the course
library (nnlib/, including nnlib/checks, whose reference implementations give
the instant feedback on exercises, as nbgrader's autograder tests do), course.py,
pyproject.toml, environment.yml, README.md, LICENSE and STUDENT-README.md.
It leaves out solutions/, tests/, tools/, benchmarks/ and CI files, and it stops
with an error if any file it wrote still contains a solution region.
Only the standard library is used, so no environment is needed to run it.
"""
import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEST = ROOT / "dist" / "student-course"

FOLDERS = ["notebooks", "exercises", "nnlib"]
FILES = ["course.py", "pyproject.toml", "environment.yml", "README.md", "LICENSE"]
MARKER = "STUDENT-README.md"  # also tells a later run that it may replace the folder
FORBIDDEN = ("BEGIN SOLUTION", "END SOLUTION")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info", ".DS_Store")

STUDENT_README = """# Neural Network Fundamentals: your copy

Welcome! This folder is the whole course as you need it:

| folder or file | what |
|---|---|
| `notebooks/` | the lessons, 00 to 06; start with `00-start-here.ipynb` |
| `exercises/` | one exercise notebook per lesson; your own copies go to `workspace/` |
| `nnlib/` | the course's small library, used by every notebook: read it |
| `course.py` | the one command you need |

Open the course (Python 3.10 or newer; the first run takes a few minutes):

```bash
python3 course.py lab             # set up and open JupyterLab on the start page
python3 course.py reset 01-xor    # start exercise 01 again (your old copy is kept)
```

(On Windows, type `py course.py lab`.)  With conda instead:
`conda env create -f environment.yml`, `conda activate nn-fundamentals`,
`jupyter lab notebooks/00-start-here.ipynb`.

Each exercise checks your answer as soon as you run its cell.  The checks know the
right answers, so you could read them in `nnlib/checks/`: you will learn more by
trying first.  The solutions are not part of this copy; your teacher has them.

`README.md` describes the full course repository, which also holds the tests and the
teachers' tools; those are not included here.
"""


def solution_leaks(folder):
    """Paths (relative to `folder`) of files that contain a solution region marker."""
    leaks = []
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            if any(marker in text for marker in FORBIDDEN):
                leaks.append(path.relative_to(folder).as_posix())
    return leaks


def marked_solution_cells(folder):
    """Notebooks whose cells are marked as nbgrader solutions but still hold code other than a stub."""
    found = []
    for path in sorted(Path(folder).rglob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            source = "".join(cell.get("source", []))
            is_solution = cell.get("metadata", {}).get("nbgrader", {}).get("solution", False)
            if is_solution and cell["cell_type"] == "code" and "NotImplementedError" not in source \
                    and "YOUR CODE HERE" not in source:
                found.append(path.relative_to(folder).as_posix())
                break
    return found


def prepare(dest):
    """Empty `dest`, refusing to touch a folder that this script did not build.

    A `.git` folder is kept: a teacher may build straight into a clone of the
    students' repository, then commit and push the update.
    """
    target = dest.resolve()
    if target == ROOT or any(target.is_relative_to(ROOT / name) for name in FOLDERS):
        raise SystemExit(f"{dest} would be inside the course it copies")
    entries = [p for p in target.iterdir() if p.name != ".git"] if target.exists() else []
    if entries and not (target / MARKER).exists():
        raise SystemExit(f"{dest} is not empty and is not a student copy built here; not touching it")
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    target.mkdir(parents=True, exist_ok=True)


def make_dist(dest=DEFAULT_DEST):
    """Write the students' copy into `dest`; returns the top-level names written."""
    dest = Path(dest)
    prepare(dest)
    for folder in FOLDERS:
        shutil.copytree(ROOT / folder, dest / folder, ignore=IGNORE)
    for name in FILES:
        shutil.copy2(ROOT / name, dest / name)
    (dest / MARKER).write_text(STUDENT_README, encoding="utf-8")
    # Students' own work and environment must never be committed to a shared repository.
    (dest / ".gitignore").write_text(".venv/\nworkspace/\n__pycache__/\n.ipynb_checkpoints/\n",
                                     encoding="utf-8")
    problems = solution_leaks(dest) + marked_solution_cells(dest)
    if problems:
        shutil.rmtree(dest)
        raise SystemExit("solutions would leak into the student copy, through: " + ", ".join(problems))
    return sorted(p.name for p in dest.iterdir())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", nargs="?", default=str(DEFAULT_DEST),
                        help="output folder (default: dist/student-course)")
    args = parser.parse_args(argv)
    names = make_dist(Path(args.dest))
    print(f"wrote {Path(args.dest).resolve()}: {', '.join(names)}")


if __name__ == "__main__":
    sys.exit(main())
