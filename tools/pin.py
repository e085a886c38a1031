"""Write constraints.txt: the exact package versions that `course.py` installs.

    python3 tools/pin.py                       every Python 3.10-3.13 it can find
    python3 tools/pin.py --python python3.10 --python ~/.pyenv/versions/3.13.0/bin/python

pyproject.toml keeps loose ranges (for anyone installing nnlib alone).  This tool
installs the course with the extras `course.py` uses (lab, test, teach) into a
fresh virtual environment for each Python, from those ranges, and records what
pip chose (`pip freeze`, without the course itself).  Where the Pythons got
different versions (a package that dropped Python 3.10, or a backport only old
Pythons need), the lines carry environment markers, e.g.

    numpy==2.2.6 ; python_version < "3.11"
    numpy==2.4.6 ; python_version >= "3.11"

It also pins the packages a learner sees to the same versions in environment.yml
(conda cannot read a constraints file).  After pinning, run the tests on those Pythons (`.ci/run` does) before committing:
the file promises versions that the tests passed with.  Only the standard library
is used here; pip does the work.
"""
import argparse
import datetime
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "constraints.txt"
EXTRAS = "lab,test,teach"
SUPPORTED = ["3.10", "3.11", "3.12", "3.13"]
COURSE = {"nn-fundamentals", "nnlib"}  # the course itself is never pinned
# conda cannot read a constraints file: environment.yml pins what a learner sees to the
# versions of the oldest Python (they install on every newer one; Binder's default
# Python is 3.10), and keeps pyproject's ranges for the test tools.
CONDA_PINNED = {"numpy", "matplotlib", "ipywidgets", "jupyterlab-widgets", "jupyterlab",
                "jsonschema", "jupyterlab-rise"}


def find_pythons():
    """{'3.10': '/path/to/python3.10', ...} for each supported version found here."""
    found = {}
    for minor in SUPPORTED:
        candidates = [shutil.which(f"python{minor}")]
        candidates += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{minor}.*/bin/python")))
        for path in filter(None, candidates):
            if python_version(path) == minor:
                found[minor] = path
                break
    return found


def python_version(python):
    """'3.10' for a Python 3.10 interpreter, None when it does not run."""
    try:
        out = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def freeze(python, workdir):
    """{name: version} that pip installs for the course on this Python."""
    venv_dir = Path(workdir) / "venv"
    subprocess.run([python, "-m", "venv", str(venv_dir)], check=True)
    pip = [str(venv_dir / "bin" / "python"), "-m", "pip"]
    # Only the course's own requirements decide: no constraint file of this machine's or ours.
    env = dict(os.environ, PIP_CONSTRAINT="", PIP_DISABLE_PIP_VERSION_CHECK="1")
    subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True, env=env)
    # From a copy, so that building the course writes nothing into the working tree.
    src = Path(workdir) / "course"
    shutil.copytree(ROOT / "nnlib", src / "nnlib", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    subprocess.run([*pip, "install", "--quiet", "--isolated", f"{src}[{EXTRAS}]"], check=True, env=env)
    out = subprocess.run([*pip, "freeze"], check=True, env=env,
                         capture_output=True, text=True).stdout
    pins = {}
    for line in out.splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)$", line.strip())
        if m and canonical(m.group(1)) not in COURSE:
            pins[m.group(1)] = m.group(2)
    return pins


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def marker(versions, group):
    """The environment marker that selects the Pythons in `group` among `versions` (sorted)."""
    first, last = versions.index(group[0]), versions.index(group[-1])
    if group != versions[first:last + 1]:  # not a contiguous run: name each one
        return " or ".join(f'python_version == "{v}"' for v in group)
    parts = []
    if first > 0:
        parts.append(f'python_version >= "{group[0]}"')
    if last < len(versions) - 1:
        parts.append(f'python_version < "{versions[last + 1]}"')
    return " and ".join(parts)


def merge(per_python):
    """constraints lines from {'3.10': {name: version}, ...}."""
    versions = sorted(per_python, key=lambda v: tuple(map(int, v.split("."))))
    names = {}
    for pins in per_python.values():
        for name in pins:
            names.setdefault(canonical(name), name)
    lines = []
    for key in sorted(names):
        chosen = {}
        for v in versions:
            pins = {canonical(n): ver for n, ver in per_python[v].items()}
            if key in pins:
                chosen[v] = pins[key]
        # A Python that does not need the package at all takes its neighbour's pin.
        for i, v in enumerate(versions):
            if v not in chosen:
                known = [chosen[w] for w in versions[i::-1] + versions[i:] if w in chosen]
                chosen[v] = known[0]
        if len(set(chosen.values())) == 1:
            lines.append(f"{names[key]}=={chosen[versions[0]]}")
            continue
        for pin in sorted(set(chosen.values()), key=lambda p: versions.index(
                next(v for v in versions if chosen[v] == p))):
            group = [v for v in versions if chosen[v] == pin]
            lines.append(f"{names[key]}=={pin} ; {marker(versions, group)}")
    return lines


def pin_environment_yml(path, pins):
    """Rewrite environment.yml's lines for CONDA_PINNED packages as `name==version`."""
    pins = {canonical(name): version for name, version in pins.items()}
    lines = []
    for line in Path(path).read_text().splitlines():
        m = re.match(r"^(  - )([A-Za-z0-9_.-]+)([^#]*?)(\s*#.*)?$", line)
        if m and canonical(m.group(2)) in CONDA_PINNED:
            line = f"{m.group(1)}{m.group(2)}=={pins[canonical(m.group(2))]}{m.group(4) or ''}"
        lines.append(line)
    Path(path).write_text("\n".join(lines) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", action="append", default=[],
                        help="a Python to pin for (repeat); default: every 3.10-3.13 found")
    parser.add_argument("--output", default=str(OUT), help="where to write (default constraints.txt)")
    parser.add_argument("--environment", default=str(ROOT / "environment.yml"),
                        help="the environment.yml whose main packages to pin ('' for none)")
    args = parser.parse_args(argv)
    pythons = {}
    for path in args.python:
        version = python_version(path)
        if version is None:
            sys.exit(f"{path} does not run")
        pythons[version] = path
    pythons = pythons or find_pythons()
    if not pythons:
        sys.exit("no Python 3.10-3.13 found")
    missing = [v for v in SUPPORTED if v not in pythons]
    if missing:
        print(f"warning: no Python {', '.join(missing)} here; their pins follow the nearest version",
              file=sys.stderr)
    per_python = {}
    for version, path in sorted(pythons.items()):
        print(f"Python {version} ({path}): installing the course ...", flush=True)
        with tempfile.TemporaryDirectory() as workdir:
            per_python[version] = freeze(path, workdir)
        print(f"  {len(per_python[version])} packages", flush=True)
    header = [
        "# Exact versions of everything `python3 course.py lab|test` installs (extras lab, test, teach).",
        "# Generated by `python3 tools/pin.py` (do not edit by hand); the tests passed with these.",
        f"# Resolved on {datetime.date.today()} for Python {', '.join(sorted(per_python))}.",
        "# pyproject.toml keeps the loose ranges; course.py installs with `pip install -c constraints.txt`.",
    ]
    Path(args.output).write_text("\n".join(header + merge(per_python)) + "\n")
    print(f"wrote {args.output}")
    if args.environment:
        oldest = min(per_python, key=lambda v: tuple(map(int, v.split("."))))
        pin_environment_yml(args.environment, per_python[oldest])
        print(f"pinned {', '.join(sorted(CONDA_PINNED))} in {args.environment} (Python {oldest}'s versions)")


if __name__ == "__main__":
    main()
