"""Throwaway git copies of the course, for tests that walk the learner's path as typed.

`course_repo(dest)` copies the course's files as they stand in this working tree
(tracked files, so uncommitted work is tested too) into dest, and commits them in
a fresh git repository.  Tests then clone it, as a learner clones the course.
"""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Never part of a learner's fresh clone.
LOCAL_ONLY = {".git", ".venv", "workspace", "test-artifacts", "site", "dist", "build",
              "__pycache__", ".ipynb_checkpoints", ".pytest_cache"}

GIT_ENV = {"GIT_AUTHOR_NAME": "Course", "GIT_AUTHOR_EMAIL": "course@example.org",
           "GIT_COMMITTER_NAME": "Course", "GIT_COMMITTER_EMAIL": "course@example.org",
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}


def require_git():
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the update path needs a git clone")


def git(cwd, *args, check=True):
    env = dict(os.environ, **GIT_ENV, HOME=str(cwd))  # no user config leaks in
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed in {cwd}:\n{result.stderr}")
    return result.stdout.strip()


def course_files():
    """The course's own files: git's tracked list, or (outside git) everything not local-only."""
    if (ROOT / ".git").exists() and shutil.which("git"):
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
        return [p for p in out.split("\0") if p and (ROOT / p).is_file()]
    return [str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
            if p.is_file() and not LOCAL_ONLY & set(p.relative_to(ROOT).parts)]


def course_repo(dest, files=None):
    """A git repository at dest holding the course's files in one commit (branch main)."""
    dest = Path(dest)
    dest.mkdir(parents=True)
    for rel in files if files is not None else course_files():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest / rel)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "The course")
    return dest


def clone(source, dest):
    git(Path(dest).parent, "clone", "-q", str(source), str(dest))
    return Path(dest)
