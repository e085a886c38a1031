#!/usr/bin/env python3
"""One entry point for the course: set up, open the lab, run the tests.

    python3 course.py lab     set up (first time only) and open JupyterLab on the start page
    python3 course.py test    set up (first time only) and run the whole test suite

Only Python >= 3.10 and pip are needed.  Everything is installed into a private
virtual environment in .venv/ next to this file; nothing touches your system Python.
A second run is fast: the environment is rebuilt only when pyproject.toml changes.
"""
import argparse
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
START_PAGE = "notebooks/00-start-here.ipynb"


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


def cmd_lab(args):
    ensure_environment({"lab"})
    # Jupyter keeps its token authentication on and listens on this computer only.
    run([venv_python(), "-m", "jupyter", "lab", "--ip=127.0.0.1", START_PAGE, *args.extra])


def cmd_test(args):
    ensure_environment({"lab", "test"})
    env = dict(os.environ)
    # Tests must not depend on how many cores BLAS grabs.
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    result = subprocess.run([str(venv_python()), "-m", "pytest", *args.extra], cwd=ROOT, env=env)
    sys.exit(result.returncode)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func, text in [
        ("lab", cmd_lab, "set up and open the course in JupyterLab"),
        ("test", cmd_test, "set up and run the whole test suite"),
    ]:
        p = sub.add_parser(name, help=text)
        p.add_argument("extra", nargs=argparse.REMAINDER, help="passed on to jupyter lab / pytest")
        p.set_defaults(func=func)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
