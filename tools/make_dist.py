"""Build the students' copy of the course: everything they need, no solutions.

    python tools/make_dist.py                 write dist/student-course/
    python tools/make_dist.py DEST            write it into DEST instead (new, empty, or a copy built before)
    python tools/make_dist.py DEST --binder-repo OWNER/REPO
                                              add a Binder badge and set-up for the students' repository
                                              (a rebuild keeps it; --no-binder drops it)

The copy holds the lessons (notebooks/), the exercises (exercises/), the course
library (nnlib/, including nnlib/checks, whose reference implementations give
the instant feedback on exercises, as nbgrader's autograder tests do), course.py,
LICENSE, and its own README.md, environment.yml and pyproject.toml, which offer
what a student uses (no test, teaching or benchmark extras).  It leaves out
solutions/, tests/, tools/, docs/, benchmarks/ and CI files, and it stops with an
error if any file it wrote still contains a solution region.

Building again into the same folder (e.g. a clone of the students' repository)
replaces only the course's own files: the ones the previous build wrote, listed
in its marker file `.student-copy`.  Everything else stays: workspace/, .venv/,
.git/, any file a student added.  A course file that was edited since the last
build is backed up into workspace/backups/ before it is replaced.  A non-empty
folder without the marker is refused.
Only the standard library is used, so no environment is needed to run it.
"""
import argparse
import datetime
import hashlib
import json
import re
import shutil
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEST = ROOT / "dist" / "student-course"
START_PAGE = "notebooks/00-start-here.ipynb"

FOLDERS = ["notebooks", "exercises", "nnlib"]
COPIED_FILES = ["course.py", "LICENSE", "constraints.txt"]  # course.py installs the pinned versions
MARKER = ".student-copy"  # JSON: what the build wrote; tells a later build what it may replace
OLD_MARKER = "STUDENT-README.md"  # the marker of copies built before .student-copy existed
KEPT_WITHOUT_MARKER = {".git"}  # a fresh clone of an empty repository counts as empty
FORBIDDEN = ("BEGIN SOLUTION", "END SOLUTION")
IGNORED = ("__pycache__", ".ipynb_checkpoints", ".DS_Store")
IGNORED_SUFFIXES = (".pyc", ".egg-info")
STUDENT_EXTRAS = {"lab"}  # the only extra course.py installs for a student

GITIGNORE = ".venv/\nworkspace/\n__pycache__/\n*.pyc\n.ipynb_checkpoints/\n*.egg-info/\n"

# On Binder nobody runs `course.py lab`, so the exercises are copied into
# workspace/ while the image is built (repo2docker runs postBuild once).
POSTBUILD = """#!/bin/bash
# Binder (repo2docker) runs this once while building: copy the exercises into workspace/.
set -e
python -c "import course, sys; from pathlib import Path; course.sync_workspace(); course.lab_settings(Path(sys.prefix))"
"""


# ---- the student's README, environment.yml and pyproject.toml --------------------

def binder_url(repo):
    """The mybinder.org link that opens the start page of `repo` (OWNER/REPO or a git URL)."""
    repo = repo.strip().removesuffix("/")
    m = re.fullmatch(r"(?:https?://github\.com/)?([\w.-]+)/([\w.-]+?)(?:\.git)?", repo)
    if m:
        path = f"gh/{m.group(1)}/{m.group(2)}/HEAD"
    elif re.match(r"https?://", repo):
        path = "git/" + urllib.parse.quote(repo, safe="") + "/HEAD"
    else:
        raise SystemExit(f"--binder-repo: expected OWNER/REPO or a repository URL, got {repo!r}")
    return f"https://mybinder.org/v2/{path}?urlpath=" + urllib.parse.quote(f"lab/tree/{START_PAGE}", safe="/")


def student_readme(binder_repo=None):
    badge = ""
    if binder_repo:
        badge = (f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder_url(binder_repo)})\n\n"
                 "The badge opens the course in your browser with nothing to install (it can take a few\n"
                 "minutes to start). Binder forgets everything when you close it: download the notebooks\n"
                 "you changed (right-click in the file browser, Download) before you leave.\n\n")
    return f"""# Neural Network Fundamentals

{badge}An interactive course on how neural networks work, from one neuron to a network you train
yourself. Each lesson has pictures, short code you can read, widgets you can drag, and an exercise
that checks your answers as soon as you run it.

On a computer with Python 3.10 or newer and pip, in this folder:

```bash
python3 course.py lab     # set everything up and open the course in JupyterLab
```

(On Windows, type `py course.py lab`.) The first run installs what the course needs into a private
folder, `.venv/`, and takes a few minutes; later runs start at once. JupyterLab opens on the start
page, `notebooks/00-start-here.ipynb`; if no browser opens, open the link it prints.

## What is here

| folder | what |
|---|---|
| `notebooks/` | the lessons; start with `00-start-here.ipynb` |
| `exercises/` | the exercise notebooks as the course ships them; do not work here |
| `workspace/` | your own copies of the exercises: work here (made by `python3 course.py lab`) |
| `nnlib/` | the course's small library, used by every notebook: open it and read it |

## Your work

`python3 course.py lab` copies each exercise into `workspace/` the first time, and never overwrites
a file there. Each exercise checks your answer when you run its check cell. The checks know the
right answers (they are in `nnlib/checks/`), but you will learn more by trying first.

```bash
python3 course.py reset 01-xor    # start exercise 01 again; your old copy goes to workspace/backups/
```

## Updates

If you got this folder with `git clone`, get your teacher's new version of the course with:

```bash
python3 course.py update
```

It fetches the new version and tells you what changed. Your copies in `workspace/` are never
touched; if you changed a lesson or another course file, your version is kept in
`workspace/backups/` first. New exercises are copied into `workspace/`.

## With conda instead

```bash
conda env create -f environment.yml
conda activate nn-fundamentals
jupyter lab          # in this folder; then open notebooks/00-start-here.ipynb
```

With conda, make your exercise copies with `python3 course.py reset 01-xor` (one per exercise).

## License

MIT, see [LICENSE](LICENSE).
"""


def requirement_name(text):
    """'jupyterlab_widgets>=3.0.10' -> 'jupyterlab-widgets' (pip and conda spell names differently)."""
    m = re.match(r"\s*([A-Za-z0-9_.-]+)", text)
    return m.group(1).lower().replace("_", "-") if m else ""


def pyproject_sections(text):
    """[(table header or '', [lines])] in file order."""
    sections = [("", [])]
    for line in text.splitlines(keepends=True):
        m = re.match(r"^\[([^\[\]]+)\]\s*$", line)
        if m:
            sections.append((m.group(1).strip(), []))
        sections[-1][1].append(line)
    return sections


def student_pyproject(text):
    """pyproject.toml without the extras a student never installs and without the test set-up."""
    out = []
    for header, lines in pyproject_sections(text):
        if header.startswith("tool.pytest"):
            continue  # the tests are not part of the copy
        if header == "project.optional-dependencies":
            kept, keep = [], True
            for line in lines:
                m = re.match(r"^([\w.-]+)\s*=", line)
                if m:
                    keep = m.group(1) in STUDENT_EXTRAS
                if keep or line.startswith("["):
                    kept.append(line)
            while kept and not kept[-1].strip():
                kept.pop()
            lines = kept + ["\n"]
        out += lines
    return "".join(out).rstrip("\n") + "\n"


def student_packages(pyproject_text):
    """Names of the packages a student's environment holds: dependencies + the lab extra."""
    names = set()
    in_list = False
    for header, lines in pyproject_sections(pyproject_text):
        if header not in ("project", "project.optional-dependencies"):
            continue
        for line in lines:
            m = re.match(r"^([\w.-]+)\s*=\s*\[", line)
            if m:
                in_list = m.group(1) == "dependencies" if header == "project" else m.group(1) in STUDENT_EXTRAS
            elif line.strip().startswith("]"):
                in_list = False
            elif in_list:
                q = re.match(r'^\s*"([^"]+)"', line)
                if q:
                    names.add(requirement_name(q.group(1)))
    return names


def student_environment(text, packages):
    """environment.yml keeping only python, pip, the `pip:` part and the student's `packages`."""
    head, _, deps = text.partition("dependencies:")
    header = ("# The conda equivalent of `python3 course.py lab`:\n"
              "#   conda env create -f environment.yml && conda activate nn-fundamentals && jupyter lab\n")
    body = [line for line in head.splitlines(keepends=True) if not line.startswith("#")]
    kept = []
    for line in deps.splitlines(keepends=True):
        m = re.match(r"^\s+-\s+(.*)$", line)
        if m and line.startswith("  - ") and not m.group(1).rstrip().endswith(":"):
            name = requirement_name(m.group(1))
            if name not in packages | {"python", "pip"}:
                continue
        kept.append(line)
    return header + "".join(body) + "dependencies:" + "".join(kept)


# ---- checks -----------------------------------------------------------------------

def holds_solution_code(nb):
    """True when a notebook has a cell marked as an nbgrader solution that holds more than a stub."""
    for cell in nb.get("cells", []):
        source = "".join(cell.get("source", []))
        is_solution = cell.get("metadata", {}).get("nbgrader", {}).get("solution", False)
        if is_solution and cell["cell_type"] == "code" and "NotImplementedError" not in source \
                and "YOUR CODE HERE" not in source:
            return True
    return False


def leaks_in(files):
    """Paths among {path: bytes} that hold a solution region or marked solution code."""
    leaks = []
    for rel, data in sorted(files.items()):
        text = data.decode("utf-8", errors="replace")
        if any(marker in text for marker in FORBIDDEN) or \
                (rel.endswith(".ipynb") and holds_solution_code(json.loads(text))):
            leaks.append(rel)
    return leaks


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
    return [path.relative_to(folder).as_posix() for path in sorted(Path(folder).rglob("*.ipynb"))
            if holds_solution_code(json.loads(path.read_text(encoding="utf-8")))]


# ---- what goes into the copy --------------------------------------------------------

def ignored(path):
    return any(part in IGNORED or part.endswith(IGNORED_SUFFIXES) for part in path.parts)


def course_files(binder_repo=None):
    """{path in the copy: bytes} of everything the copy holds."""
    files = {}
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            rel = path.relative_to(ROOT)
            if path.is_file() and not ignored(rel):
                files[rel.as_posix()] = path.read_bytes()
    for name in COPIED_FILES:
        files[name] = (ROOT / name).read_bytes()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    files["pyproject.toml"] = student_pyproject(pyproject).encode("utf-8")
    environment = (ROOT / "environment.yml").read_text(encoding="utf-8")
    files["environment.yml"] = student_environment(environment, student_packages(pyproject)).encode("utf-8")
    files["README.md"] = student_readme(binder_repo).encode("utf-8")
    files[".gitignore"] = GITIGNORE.encode("utf-8")
    if binder_repo:
        files["postBuild"] = POSTBUILD.encode("utf-8")
    return files


def digest(data):
    return hashlib.sha256(data).hexdigest()


def previous_build(target):
    """{path: sha256 or None} of the files the last build wrote into `target`.

    None means "the course's, content not recorded" (copies built before the
    marker file existed).  Raises SystemExit when `target` holds anything else
    and is not a student copy.
    """
    if not target.exists():
        return {}
    if not target.is_dir():
        raise SystemExit(f"{target} is a file, not a folder")
    marker = target / MARKER
    if marker.is_file():
        try:
            return json.loads(marker.read_text(encoding="utf-8"))["files"]
        except (ValueError, KeyError) as error:
            raise SystemExit(f"{marker} is damaged ({error}); not touching {target}") from None
    if (target / OLD_MARKER).is_file():
        return {OLD_MARKER: None}  # a copy from before: files at the course's paths are the course's
    others = sorted(p.name for p in target.iterdir() if p.name not in KEPT_WITHOUT_MARKER)
    if others:
        shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        raise SystemExit(
            f"{target} is not empty ({shown}) and is not a student copy built by `course.py dist` "
            f"(it has no {MARKER} file).\nNothing was changed. Build into a new or empty folder, "
            "or into a folder that a previous `course.py dist` made.")
    return {}


def previous_binder_repo(target):
    """The --binder-repo the last build into `target` was given, or None."""
    try:
        return json.loads((target / MARKER).read_text(encoding="utf-8")).get("binder_repo")
    except (OSError, ValueError):
        return None


def make_dist(dest=DEFAULT_DEST, binder_repo=None, now=None):
    """Write the students' copy into `dest`; returns a report {written, removed, backed_up, kept, binder_repo}.

    Only the course's own files are replaced; see the module docstring.  Without
    `binder_repo`, a rebuild keeps the one the last build was given; "" drops it.
    """
    target = Path(dest).resolve()
    if target == ROOT or any(target.is_relative_to(ROOT / name) for name in FOLDERS):
        raise SystemExit(f"{dest} would be inside the course it copies")
    before = previous_build(target)
    if binder_repo is None:
        binder_repo = previous_binder_repo(target)
    files = course_files(binder_repo)
    leaks = leaks_in(files)  # checked before anything is written
    if leaks:
        raise SystemExit("solutions would leak into the student copy, through: " + ", ".join(leaks))
    stamp = (now or datetime.datetime.now()).strftime("%Y%m%d-%H%M%S")
    backups = target / "workspace" / "backups" / f"course-files-{stamp}"
    report = {"written": sorted(files), "removed": [], "backed_up": [], "kept": [], "binder_repo": binder_repo}

    def edited(rel):
        """True when the file at `rel` holds someone's work: keep a backup before replacing it."""
        path = target / rel
        if not path.is_file() or path.read_bytes() == files.get(rel):
            return False
        if OLD_MARKER in before:
            return False  # a copy from before the marker: its files at the course's paths are the course's
        recorded = before.get(rel)
        return recorded is None or digest(path.read_bytes()) != recorded  # a student's file, or edited

    def back_up(rel):
        copy = backups / rel
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target / rel, copy)
        report["backed_up"].append(rel)

    # Course files of the last build that this build no longer has.
    for rel in sorted(set(before) - set(files)):
        path = target / rel
        if path.is_file():
            if edited(rel):
                back_up(rel)
            path.unlink()
            report["removed"].append(rel)
            prune_empty_parents(path.parent, target)
    target.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        path = target / rel
        if path.is_dir():
            raise SystemExit(f"{path} is a folder where the course has a file; move it away and build again")
        if edited(rel):
            back_up(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if binder_repo:
        (target / "postBuild").chmod(0o755)
    marker = {"built_by": "python3 course.py dist (tools/make_dist.py)", "binder_repo": binder_repo or None,
              "note": "The course's own files; a new build replaces exactly these and keeps everything else.",
              "files": {rel: digest(data) for rel, data in sorted(files.items())}}
    (target / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
    top = {rel.split("/")[0] for rel in files} | {MARKER}
    report["kept"] = sorted(p.name for p in target.iterdir() if p.name not in top)
    for folder in FOLDERS:  # a student's own files inside the course's folders
        report["kept"] += sorted(rel for p in (target / folder).rglob("*") if p.is_file()
                                 and (rel := p.relative_to(target).as_posix()) not in files
                                 and not ignored(p.relative_to(target)))
    return report


def prune_empty_parents(folder, top):
    """Remove `folder` and its parents up to `top` while they are empty."""
    while folder != top and folder.is_relative_to(top) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", nargs="?", default=str(DEFAULT_DEST),
                        help="output folder (default: dist/student-course)")
    parser.add_argument("--binder-repo", metavar="OWNER/REPO",
                        help="the students' repository (OWNER/REPO on GitHub, or a git URL): "
                             "its README gets a Binder badge, and Binder gets a set-up script (postBuild); "
                             "a rebuild keeps the last one given")
    parser.add_argument("--no-binder", action="store_true", help="drop the Binder badge of the last build")
    args = parser.parse_args(argv)
    report = make_dist(Path(args.dest), binder_repo="" if args.no_binder else args.binder_repo)
    dest = Path(args.dest).resolve()
    print(f"wrote {dest}: {len(report['written'])} course files")
    if report["binder_repo"]:
        print(f"README.md has a Binder badge for {report['binder_repo']} (drop it with --no-binder)")
    if report["removed"]:
        print("removed course files that are no longer part of it: " + ", ".join(report["removed"]))
    if report["backed_up"]:
        print(f"these course files had been edited; the edited versions are kept in "
              f"{dest / 'workspace' / 'backups'}: " + ", ".join(report["backed_up"]))
    if report["kept"]:
        print("kept, untouched: " + ", ".join(report["kept"]))


if __name__ == "__main__":
    sys.exit(main())
