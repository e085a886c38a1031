#!/usr/bin/env python3
"""One entry point for the course: set up, open the lab, run the tests.

    python3 course.py lab     set up (first time only) and open JupyterLab on the start page
    python3 course.py test    set up (first time only) and run the whole test suite
    python3 course.py reset 01-xor   start exercise 01 again (your old copy is kept as a backup)
    python3 course.py site    build site/: the lessons as web pages (for teachers)
    python3 course.py dist    build dist/student-course/: what students get, without solutions

Only Python >= 3.10 and pip are needed.  Everything is installed into a private
virtual environment in .venv/ next to this file; nothing touches your system Python.
A second run is fast: the environment is rebuilt only when pyproject.toml changes.
"""
import argparse
import datetime
import hashlib
import os
import subprocess
import sys
import shutil
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
START_PAGE = "notebooks/00-start-here.ipynb"
EXERCISES = ROOT / "exercises"
WORKSPACE = ROOT / "workspace"  # the learner's own copies; git ignores it


def venv_python():
    """The Python inside .venv (the layout differs on Windows)."""
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_environment(extras):
    """Create .venv if missing and install the course with `extras` into it.

    A stamp file remembers what was installed (a hash of pyproject.toml plus the
    extras), so nothing is reinstalled when nothing changed.  nnlib is installed
    in editable mode, so edits to nnlib/ take effect without reinstalling.
    """
    if sys.version_info < (3, 10):
        sys.exit(f"Python 3.10 or newer is needed, this is {sys.version.split()[0]}")
    if not venv_python().exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.create(VENV, with_pip=True)
    wanted = ",".join(sorted(extras))
    fingerprint = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".course-installed-{wanted or 'base'}"
    if stamp.exists() and stamp.read_text() == fingerprint:
        return
    print(f"Installing the course and its packages ({wanted}) into .venv ...", flush=True)
    target = f".[{wanted}]" if wanted else "."
    run([venv_python(), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", target])
    stamp.write_text(fingerprint)


def run(cmd, **kwargs):
    """Run a command, stopping the course script with its exit code if it fails."""
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, **kwargs)
    if result.returncode != 0:
        sys.exit(result.returncode)


def sync_workspace(exercises=EXERCISES, workspace=WORKSPACE):
    """Copy each exercise into the workspace unless a copy is already there.

    Your own work is never overwritten: a course update that changes an exercise
    only reaches you through `reset`.  Returns the names that were copied.
    """
    workspace.mkdir(exist_ok=True)
    copied = []
    for src in sorted(exercises.glob("*.ipynb")):
        dest = workspace / src.name
        if not dest.exists():
            shutil.copy2(src, dest)
            copied.append(src.name)
    return copied


def reset_exercise(name, exercises=EXERCISES, workspace=WORKSPACE):
    """Replace workspace/NAME.ipynb with a fresh copy, after backing up the old one.

    Returns the backup's path (None when there was nothing to back up).
    """
    name = name.removesuffix(".ipynb")
    src = exercises / f"{name}.ipynb"
    if not src.exists():
        known = ", ".join(p.stem for p in sorted(exercises.glob("*.ipynb"))) or "none yet"
        raise SystemExit(f"no exercise called {name!r}; the exercises are: {known}")
    dest = workspace / src.name
    backup = None
    if dest.exists():
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        backup = workspace / "backups" / f"{name}-{stamp}.ipynb"
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(dest, backup)
    workspace.mkdir(exist_ok=True)
    shutil.copy2(src, dest)
    return backup


def cmd_lab(args):
    ensure_environment({"lab"})
    copied = sync_workspace()
    if copied:
        print(f"Your exercises are in workspace/: {', '.join(copied)}")
    # Jupyter keeps its token authentication on and listens on this computer only.
    cmd = [venv_python(), "-m", "jupyter", "lab", "--ip=127.0.0.1", START_PAGE, *args.extra]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # e.g. inside a container, where you are root
    run(cmd)


def cmd_test(args):
    if not (ROOT / "tests").is_dir():
        sys.exit("the tests are not part of this copy of the course (use: python3 course.py lab)")
    ensure_environment({"lab", "test"})
    env = dict(os.environ)
    # Tests must not depend on how many cores BLAS grabs.
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    result = subprocess.run([str(venv_python()), "-m", "pytest", *args.extra], cwd=ROOT, env=env)
    sys.exit(result.returncode)


def cmd_reset(args):
    if not args.extra:
        sys.exit("say which exercise to reset, e.g.: python3 course.py reset 01-xor")
    for name in args.extra:
        backup = reset_exercise(name)
        kept = f" (your previous copy is in {backup.relative_to(ROOT)})" if backup else ""
        print(f"workspace/{name.removesuffix('.ipynb')}.ipynb is fresh again{kept}")


def teacher_tool(name, args):
    """[the tool's path, its arguments with paths made absolute]: tools run from the course folder."""
    path = ROOT / "tools" / name
    if not path.exists():
        sys.exit(f"tools/{name} is not part of this copy of the course")
    return [path, *(a if a.startswith("-") else str(Path(a).resolve()) for a in args)]


def cmd_site(args):
    tool = teacher_tool("build_site.py", args.extra)
    ensure_environment({"lab"})  # nbconvert comes with JupyterLab
    run([venv_python(), *tool])


def cmd_dist(args):
    # Only the standard library is needed: no environment to set up.
    run([sys.executable, *teacher_tool("make_dist.py", args.extra)])


COMMANDS = {
    "lab": (cmd_lab, "set up and open the course in JupyterLab (extra arguments go to jupyter lab)"),
    "test": (cmd_test, "set up and run the whole test suite (extra arguments go to pytest)"),
    "reset": (cmd_reset, "start an exercise again from a fresh copy, keeping a backup"),
    "site": (cmd_site, "build site/, the lessons as static web pages (or: site DEST)"),
    "dist": (cmd_dist, "build dist/student-course/, the students' copy (or: dist DEST)"),
}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        for name, (_, text) in COMMANDS.items():
            print(f"  {name:6s} {text}")
        sys.exit(0 if argv and argv[0] in ("-h", "--help") else 2)
    # Everything after the command is passed on untouched (e.g. --no-browser, -k engine).
    func, _ = COMMANDS[argv[0]]
    func(argparse.Namespace(extra=argv[1:]))


if __name__ == "__main__":
    main()
