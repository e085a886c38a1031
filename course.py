#!/usr/bin/env python3
"""One entry point for the course: set up, open the lab, run the tests.

    python3 course.py lab     set up (first time only) and open JupyterLab on the start page
    python3 course.py test    set up (first time only) and run the whole test suite
    python3 course.py update  get the course's new version (git); your edits are kept in workspace/backups/
    python3 course.py reset 01-xor   start exercise 01 again (your old copy is kept as a backup)
    python3 course.py site    build site/: the lessons as web pages (for teachers)
    python3 course.py dist    build dist/student-course/: what students get, without solutions

Only Python >= 3.10 and pip are needed.  Everything is installed into a private
virtual environment in .venv/ next to this file; nothing touches your system Python.
A second run is fast: packages are reinstalled only when pyproject.toml or constraints.txt changes.
"""
import argparse
import datetime
import hashlib
import json
import os
import subprocess
import sys
import shutil
import venv
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
START_PAGE = "notebooks/00-start-here.ipynb"
EXERCISES = ROOT / "exercises"
WORKSPACE = ROOT / "workspace"  # the learner's own copies; git ignores it
# The newest Python the tests run on (README's "Pythons tested", .ci/other-pythons).  A newer
# one is admitted, but its first weeks often lack ready-made packages: see newer_python_hint().
NEWEST_TESTED_PYTHON = (3, 13)


def venv_python():
    """The Python inside .venv (the layout differs on Windows)."""
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_environment(extras):
    """Create .venv if missing and install the course with `extras` into it.

    The versions come from constraints.txt (exact versions the tests passed with),
    so a class installing on different days gets the same packages.  A stamp file
    remembers what was installed (a hash of pyproject.toml and constraints.txt, one
    stamp per set of extras), so nothing is reinstalled when nothing changed.  The
    stamp is written only after the install succeeded.  nnlib is installed in
    editable mode, so edits to nnlib/ take effect without reinstalling.
    """
    if sys.version_info < (3, 10):
        sys.exit(f"Python 3.10 or newer is needed, this is {sys.version.split()[0]} ({sys.executable}).\n"
                 "Install a newer Python (https://www.python.org/downloads/ or your system's packages),\n"
                 "then run the same command with it, e.g.  python3.12 course.py lab")
    wanted = ",".join(sorted(extras))
    stamp = VENV / f".course-installed-{wanted or 'base'}"
    fingerprint = install_fingerprint()
    if venv_python().exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return
    if not venv_pip().exists():
        make_venv()
    # An install that stops half-way (no network, Ctrl+C) must not look complete:
    # forget the old stamp first, so that the next run installs again.
    stamp.unlink(missing_ok=True)
    target = f".[{wanted}]" if wanted else "."
    print(f"Installing the course and its packages ({wanted or 'base'}) into .venv; "
          "the first time this takes a few minutes ...", flush=True)
    newer = newer_python_hint()
    if newer:
        print(f"Note: {newer}", flush=True)
    try:
        run(install_command(target), failure=(
            "\nInstalling the course's packages failed; the installer says why above. Nothing is marked as\n"
            "installed: once the cause is fixed (most often, no internet connection), run the same command\n"
            "again and the install starts over." + (f"\n{newer}" if newer else "")))
    except KeyboardInterrupt:
        # A cut-short install has no stamp, so the next run does it again.
        stopped_by_ctrl_c(" Run the same command again to go on: an unfinished install starts over.")
    stamp.write_text(fingerprint)


def newer_python_hint():
    """For a Python newer than NEWEST_TESTED_PYTHON: what to do if its install fails, else ''.

    A new Python comes out every October, and for some weeks a package may have no
    ready-made wheel for it yet, so pip tries to compile it and fails.
    """
    if sys.version_info[:2] <= NEWEST_TESTED_PYTHON:
        return ""
    this = "%d.%d" % tuple(sys.version_info[:2])
    tested = "%d.%d" % NEWEST_TESTED_PYTHON
    return (f"Python {this} is newer than the Pythons the course is tested on (3.10 to {tested}). If the "
            f"install fails\nwhile building a package, install Python {tested} and run the same command "
            f"with it, e.g.  python{tested} course.py lab")


def stopped_by_ctrl_c(then=""):
    """Ctrl+C: one line instead of a traceback, and the shell's exit code for it (130)."""
    print(f"\nStopped (Ctrl+C).{then}", file=sys.stderr)
    sys.exit(130)


def venv_pip():
    """pip's own command inside .venv: there once venv.create() has installed pip."""
    return venv_python().parent / ("pip.exe" if os.name == "nt" else "pip")


def make_venv():
    """Create .venv with pip in it, or put pip into a .venv that lacks it.

    venv.create() runs Python's ensurepip inside the new environment to install pip.
    Debian and Ubuntu leave ensurepip out of their Python until the python3-venv
    package is installed; there venv.create() stops half-way, leaving a .venv with
    no pip.  So we say what to install, and remove a .venv made by this call, so
    that the same command, run again, starts afresh.  (Run on an existing .venv,
    venv.create() keeps its packages and only adds what is missing.)
    """
    new = not VENV.exists()
    print(f"Creating a virtual environment in {VENV} ..." if new else f"Installing pip into {VENV} ...", flush=True)
    try:
        venv.create(VENV, with_pip=True)
    except (subprocess.CalledProcessError, OSError) as error:
        if new:
            shutil.rmtree(VENV, ignore_errors=True)
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        why = f"\nPython {version} could not set up the course's environment in {VENV}:\n    {error}\n"
        if isinstance(error, OSError):  # the folder itself: no space, no permission
            sys.exit(why)
        sys.exit(why + "Most often its ensurepip module is missing, which installs pip there. "
                 f"On Debian or Ubuntu:\n\n    sudo apt install python{version}-venv\n\n"
                 "then run the same command again.")


def install_fingerprint():
    """What the stamp records: a hash of pyproject.toml and constraints.txt."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    constraints = ROOT / "constraints.txt"
    if constraints.exists():
        digest.update(constraints.read_bytes())
    return digest.hexdigest()[:16]


def install_command(target):
    """The command that installs `target` (".[lab]") into .venv, pinned by constraints.txt.

    uv does the same as pip several times faster (parallel downloads, and a cache
    it reuses for every later clone): measured here, a first `course.py lab` took
    64 s with uv against 201 s with pip.  So uv is used when it is on your PATH,
    or else installed into .venv first by pip (one ~20 MB download, ~23 s here).
    If that fails, pip installs everything.  Both print what they are doing, so a
    long first install shows its progress.  COURSE_NO_UV=1 forces pip.
    """
    constraints = ["-c", "constraints.txt"] if (ROOT / "constraints.txt").exists() else []
    uv = find_uv()
    if uv:
        # Without --compile-bytecode: compiling all ~3800 files took longer than the rest
        # of the install; Python compiles the modules JupyterLab uses on its first start.
        return [uv, "pip", "install", "--python", venv_python(), *constraints, "-e", target]
    return [venv_python(), "-m", "pip", "install", "--disable-pip-version-check",
            "--progress-bar", "off", *constraints, "-e", target]


def find_uv():
    """uv on PATH, else uv installed into .venv by pip; None when neither works (or COURSE_NO_UV)."""
    if os.environ.get("COURSE_NO_UV"):
        return None
    uv = shutil.which("uv")
    if uv:
        return uv
    in_venv = venv_python().parent / ("uv.exe" if os.name == "nt" else "uv")
    if not in_venv.exists():
        print("Installing uv, a fast package installer, into .venv ...", flush=True)
        if not try_run([venv_python(), "-m", "pip", "install", "--disable-pip-version-check", "-q", "uv"]):
            print("uv could not be installed: pip will install the packages instead.", flush=True)
            return None
    return in_venv if in_venv.exists() else None


def try_run(cmd):
    """Run a command from the course folder; True when it succeeded."""
    try:
        return subprocess.run([str(c) for c in cmd], cwd=ROOT).returncode == 0
    except OSError:
        return False


def run(cmd, failure=None, **kwargs):
    """Run a command, stopping the course script with its exit code if it fails
    (after printing `failure`, a message that says what to do, if given)."""
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, **kwargs)
    if result.returncode != 0:
        if failure:
            print(failure, file=sys.stderr, flush=True)
        sys.exit(result.returncode)


ORIGINS = ".origins.json"  # in workspace/: the exercise version each copy started from


def file_digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_origins(workspace=WORKSPACE):
    """{exercise file name: sha256 of the exercise it was copied from}; {} if unknown."""
    try:
        return json.loads((workspace / ORIGINS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def remember_origins(names, exercises, workspace):
    origins = read_origins(workspace)
    origins.update({name: file_digest(exercises / name) for name in names})
    (workspace / ORIGINS).write_text(json.dumps(origins, indent=1, sort_keys=True) + "\n",
                                     encoding="utf-8")


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
    if copied:
        remember_origins(copied, exercises, workspace)
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
    remember_origins([src.name], exercises, workspace)
    return backup


def lab_command(extra=()):
    """The `jupyter lab` command line: the whole course folder, opened on the start page.

    The server's root is the course folder, so the file browser reaches lessons,
    workspace/, exercises/ and nnlib/, and the lessons' relative links work.  The
    start page is the default URL, so both the browser it opens and the link it
    prints (with --no-browser) land on it.  Your own arguments come last and win.
    """
    # Jupyter keeps its token authentication on and listens on this computer only.
    cmd = [venv_python(), "-m", "jupyter", "lab", "--ip=127.0.0.1",
           f"--ServerApp.root_dir={ROOT}", f"--LabApp.default_url=/lab/tree/{START_PAGE}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # e.g. inside a container, where you are root
    return [*cmd, *extra]


# The course's own JupyterLab settings (setting id -> {name: value}).
LAB_SETTINGS = {
    # Keep each widget's state in the notebook when it saves.  Without it, a notebook
    # you ran, saved and reopened later (its kernel gone) shows "Error displaying
    # widget: model not found" where each widget was; with it, the widget's last picture.
    # (It also marks a notebook changed when it restores widget state on opening: the
    # course's own lessons keep theirs where it is not restored, see tools/build_site.py's
    # SITE_WIDGET_STATE, so an untouched lesson asks nothing when closed.)
    "@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": True},
    # Do not ask to fetch Jupyter's news from the internet: the course runs offline.
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false"},
}


def lab_settings(venv=VENV):
    """Write the course's JupyterLab settings into the environment's overrides.json.

    The file lives in this course's own environment, so no other JupyterLab is
    touched; any other setting already in it is kept.  Returns its path.
    """
    path = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings = json.loads(path.read_text()) if path.exists() else {}
    changed = False
    for plugin, values in LAB_SETTINGS.items():
        current = settings.setdefault(plugin, {})
        for name, value in values.items():
            if current.get(name) != value:
                current[name], changed = value, True
    if changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings, indent=2) + "\n")
    return path


def cmd_lab(args):
    ensure_environment({"lab"})
    lab_settings()
    copied = sync_workspace()
    if copied:
        print(f"Your exercises are in workspace/: {', '.join(copied)}")
    print(f"Opening JupyterLab on the start page, {START_PAGE}. If no browser opens, open the\n"
          f"link below that ends in /lab/tree/{START_PAGE}?token=...  (Ctrl+C twice stops JupyterLab.)",
          flush=True)
    process = subprocess.Popen([str(c) for c in lab_command(args.extra)], cwd=ROOT)
    while True:
        try:
            sys.exit(process.wait())
        except KeyboardInterrupt:
            # Ctrl+C reaches JupyterLab too: it asks, or stops on the second one.
            # Wait for it to shut its kernels down instead of killing it.
            continue


# ---- python3 course.py update ------------------------------------------------
#
# The design: tracked course files belong to the course, your work lives in
# workspace/.  Before the new version is fetched into place, every course file
# you changed (a lesson that ran and autosaved, an edited nnlib/engine.py, ...)
# is copied to workspace/backups/<time>/<its path> and set back to the course's
# version, so git can move forward without a conflict and nothing of yours is
# lost.  Only a fast-forward is done: your own commits stop the update.

NOT_A_CLONE = """\
This course folder is not a git clone ({why}), so `update` cannot fetch the new version.
To update by hand: get the new version of the course into a new folder (git clone, or your
teacher's download), copy your workspace/ folder (your exercises and backups) into it, and run
`python3 course.py lab` there. Nothing was changed here."""

IN_PROGRESS = {"MERGE_HEAD": "a merge", "rebase-merge": "a rebase", "rebase-apply": "a rebase",
               "CHERRY_PICK_HEAD": "a cherry-pick", "REVERT_HEAD": "a revert", "BISECT_LOG": "a bisect"}


def git(*args):
    """Run git in the course folder; never prompts for a password (fails instead)."""
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0")
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, env=env)


def git_out(*args):
    result = git(*args)
    if result.returncode != 0:
        raise UpdateError(f"`git {' '.join(args)}` failed: {git_says(result.stderr)}")
    return result.stdout


def git_paths(*args):
    """The NUL-separated paths a git command prints (-z)."""
    return [p for p in git_out(*args).split("\0") if p]


def git_says(text):
    """The line of git's error output that says what went wrong."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return (errors or lines or ["(no message)"])[0]


class UpdateError(Exception):
    """The update stopped; the message says why and what to do."""


def learner_changes(conflicts_only=False):
    """Tracked paths whose working copy or index differs from the last commit.

    With conflicts_only, just the paths git left in conflict (e.g. by `git stash pop`).
    """
    # porcelain v1 with -z: "XY path" entries; --no-renames keeps one path per entry.
    entries = git_out("status", "--porcelain=v1", "-z", "--no-renames", "--untracked-files=no")
    return [entry[3:] for entry in entries.split("\0")
            if entry and (not conflicts_only or "U" in entry[:2] or entry[:2] in ("AA", "DD"))]


def back_up(paths, backup_dir):
    """Copy each existing path to backup_dir/<path>; check every copy byte for byte."""
    kept = []
    for rel in paths:
        src = ROOT / rel
        if not (src.is_file() or src.is_symlink()):
            continue  # you deleted it: nothing to keep, the course's version comes back
        dest = backup_dir / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest, follow_symlinks=False)
        if not src.is_symlink() and dest.read_bytes() != src.read_bytes():
            raise UpdateError(f"could not back up {rel} into {backup_dir}; nothing was changed")
        kept.append(rel)
    return kept


def backup_folder():
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder, n = WORKSPACE / "backups" / stamp, 1
    while folder.exists():
        n += 1
        folder = WORKSPACE / "backups" / f"{stamp}-{n}"
    return folder


def check_can_update():
    """(branch, upstream, remote) or UpdateError: nothing has been changed yet."""
    if shutil.which("git") is None:
        raise UpdateError(NOT_A_CLONE.format(why="git is not installed"))
    top = git("rev-parse", "--show-toplevel")
    if top.returncode != 0 or Path(top.stdout.strip()).resolve() != ROOT:
        raise UpdateError(NOT_A_CLONE.format(why="it has no .git folder of its own"))
    for marker, what in IN_PROGRESS.items():
        if (ROOT / git_out("rev-parse", "--git-path", marker).strip()).exists():
            raise UpdateError(f"git is in the middle of {what} in this folder. Finish it or undo it "
                              f"(e.g. `git merge --abort`, `git rebase --abort`), then run "
                              f"`python3 course.py update` again. Nothing was changed.")
    branch = git("symbolic-ref", "-q", "--short", "HEAD").stdout.strip()
    if not branch:
        raise UpdateError("this folder is not on a branch (git says 'detached HEAD'), so there is "
                          "no course version to follow. Go back to the course's branch "
                          "(e.g. `git switch main`) and run update again. Nothing was changed.")
    upstream = git("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}").stdout.strip()
    remote = git("config", f"branch.{branch}.remote").stdout.strip()
    if not upstream or not remote:
        raise UpdateError(f"the branch {branch!r} does not follow a branch of the course's "
                          f"repository (git has no upstream for it), so there is nothing to update "
                          f"from. If you cloned the course, `git branch --set-upstream-to=origin/main` "
                          f"fixes this. Nothing was changed.")
    return branch, upstream, remote


def update_course():
    """Fetch and fast-forward to the course's new version, keeping every edit. Returns a report."""
    branch, upstream, remote = check_can_update()
    url = git("remote", "get-url", remote).stdout.strip() or remote
    print(f"Fetching the course's new version from {url} ...", flush=True)
    fetched = git("fetch", "--quiet", remote)
    if fetched.returncode != 0:
        raise UpdateError(f"could not fetch the new version from {url}: {git_says(fetched.stderr)}\n"
                          f"Are you online? Nothing was changed; try again later.")
    old = git_out("rev-parse", "HEAD").strip()
    new = git_out("rev-parse", "@{upstream}").strip()
    mine = git_out("log", "--oneline", "--no-decorate", "@{upstream}..HEAD").strip()
    if mine:
        count = len(mine.splitlines())
        raise UpdateError(
            f"this folder has {count} commit(s) of your own that the course ({upstream}) does not "
            f"have:\n{mine}\nUpdate only moves forward to the course's version, so it stopped here "
            f"and changed nothing: your commits are safe. To keep them and still update, put them on "
            f"a branch of your own and follow the course again:\n"
            f"    git branch my-work\n    git reset --keep {upstream}\n    python3 course.py update")
    report = {"old": old, "new": new, "backup": None, "kept": [], "log": "", "incoming": []}
    # Keep every course file you changed, then set it back to the course's version.  When
    # there is nothing new, only files git left in conflict are set back (they cannot be read).
    changed = learner_changes(conflicts_only=old == new)
    if old == new and not changed:
        return report
    in_head = set(git_paths("ls-tree", "-r", "-z", "--name-only", "HEAD"))
    incoming = git_paths("diff", "--name-only", "-z", "--no-renames", old, new)
    # Files of yours (untracked or ignored) where the new version brings a course file,
    # or a folder of course files.
    in_the_way = sorted({str(PurePosixPath(*Path(p).parts[:n])) for p in incoming
                         for n in range(1, len(Path(p).parts) + 1)} - in_head - set(changed))
    in_the_way = [p for p in in_the_way if (ROOT / p).is_file() or (ROOT / p).is_symlink()]
    folder = backup_folder()
    kept = back_up(changed + in_the_way, folder)
    restore = [p for p in changed if p in in_head]
    unstage = [p for p in changed if p not in in_head]  # added to git by you: becomes untracked
    for i in range(0, len(restore), 100):  # in batches: command lines have a length limit
        git_out("checkout", "HEAD", "--", *restore[i:i + 100])
    for i in range(0, len(unstage), 100):
        git_out("rm", "--cached", "-q", "--ignore-unmatch", "--", *unstage[i:i + 100])
    for p in in_the_way + [p for p in unstage if p in incoming]:
        (ROOT / p).unlink()  # its copy is in the backup folder
    report.update(backup=folder if kept else None, kept=kept, incoming=incoming)
    if old == new:
        return report
    merged = git("merge", "--ff-only", "--quiet", upstream)
    if merged.returncode != 0:
        where = f" Your changed files are in {folder.relative_to(ROOT)}/." if kept else ""
        raise UpdateError(f"git could not move to the new version: {git_says(merged.stderr)}\n"
                          f"The course files are as they were at your last update ({old[:7]}), "
                          f"with no conflict.{where}")
    report["log"] = git_out("log", "--oneline", "--no-decorate", f"{old}..{new}").strip()
    return report


def changed_exercises(report, copied):
    """Exercises whose course version differs from the one your workspace copy started from."""
    origins = read_origins()
    changed_upstream = {Path(p).name for p in report["incoming"] if p.startswith("exercises/")}
    names = []
    for src in sorted(EXERCISES.glob("*.ipynb")):
        if src.name in copied or not (WORKSPACE / src.name).exists():
            continue
        origin = origins.get(src.name)
        if (file_digest(src) != origin) if origin else (src.name in changed_upstream):
            names.append(src.stem)
    return names


def cmd_update(args):
    if args.extra:
        sys.exit("update takes no arguments: python3 course.py update")
    try:
        report = update_course()
    except UpdateError as error:
        sys.exit(f"course.py update stopped: {error}")
    old, new = report["old"], report["new"]
    if old == new:
        print(f"The course is already up to date ({new[:7]}).")
    else:
        lines = report["log"].splitlines()
        print(f"Updated the course from {old[:7]} to {new[:7]}. What changed:")
        for line in lines[:15]:
            print(f"    {line[:96] + '...' if len(line) > 99 else line}")
        if len(lines) > 15:
            print(f"    ... and {len(lines) - 15} more (git log {old[:7]}..{new[:7]})")
        for folder, what in (("notebooks", "Lessons"), ("exercises", "Exercises"), ("nnlib", "nnlib")):
            names = sorted({p.removeprefix(f"{folder}/") for p in report["incoming"]
                            if p.startswith(f"{folder}/")})
            if names:
                print(f"{what} changed or new: {', '.join(names)}")
    if report["kept"]:
        print(f"Your changes to these course files are kept in {report['backup'].relative_to(ROOT)}/,\n"
              f"and the files themselves are the course's version again:")
        for rel in report["kept"]:
            print(f"    {rel}")
        print("If JupyterLab is open, reload those files there (File menu, 'Reload ... from Disk')\n"
              "instead of saving over them.")
    copied = sync_workspace()
    if copied:
        print(f"New exercises copied into workspace/: {', '.join(copied)}")
    changed = changed_exercises(report, copied)
    if changed:
        print("These exercises changed in the course since your copy in workspace/ was made. Your\n"
              "copy is untouched; to start one again from the new version (your copy is kept in\n"
              "workspace/backups/):")
        for name in changed:
            print(f"    python3 course.py reset {name}")
    if {"pyproject.toml", "constraints.txt"} & set(report["incoming"]):
        print("The course's packages changed: the next `python3 course.py lab` installs them.")


def parallel(extra):
    """pytest-xdist's option: one worker per core and one more (at most 4), unless the user chose.

    The conftest.py at the top of the course groups the tests for the workers: each
    notebook's cells stay together, each lesson's browser run is one group, and the
    first worker takes the browser groups while the others take the rest.  The worker
    running the browser often waits (for Chromium, the server, a kernel), and the extra
    worker uses those moments: on 2 cores, 2 workers left them idle about 15% of the
    run, 3 workers about 3%, and the suite finished 3-11% sooner in each of five pairs.
    """
    if any(a in ("-n", "--numprocesses", "no:xdist") or a.startswith(("-n", "--numprocesses=", "--dist"))
           for a in extra):
        return []
    workers = min(4, (os.cpu_count() or 1) + 1)
    return ["-n", str(workers)]


def cmd_test(args):
    if not (ROOT / "tests").is_dir():
        sys.exit("the tests are not part of this copy of the course (use: python3 course.py lab)")
    ensure_environment({"lab", "test"})
    env = dict(os.environ)
    # Tests must not depend on how many cores BLAS grabs.
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    result = subprocess.run([str(venv_python()), "-m", "pytest", *parallel(args.extra), *args.extra],
                            cwd=ROOT, env=env)
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
    # An option's value (`--binder-repo OWNER/REPO`) is not a path: only the other words are.
    is_value = [i > 0 and args[i - 1].startswith("-") and "=" not in args[i - 1] for i in range(len(args))]
    return [path, *(a if a.startswith("-") or value else str(Path(a).resolve())
                    for a, value in zip(args, is_value))]


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
    "update": (cmd_update, "get the course's new version (git), keeping every edit of yours"),
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
    try:
        func(argparse.Namespace(extra=argv[1:]))
    except KeyboardInterrupt:
        # Ctrl+C anywhere else (an install says more, in ensure_environment; JupyterLab's
        # own Ctrl+C is handled in cmd_lab).
        stopped_by_ctrl_c()


if __name__ == "__main__":
    main()
