"""The three ways to install the course agree, and course.py installs what was tested.

pyproject.toml keeps loose ranges (for anyone installing nnlib alone), constraints.txt
the exact versions the tests passed with (course.py installs with it), and
environment.yml the same packages for conda users and Binder, with the packages a
learner sees pinned to the versions in constraints.txt.
"""
import re
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

import course

try:
    import tomllib  # Python 3.11 and newer
except ModuleNotFoundError:  # Python 3.10: the same parser as a package (the test extra has it)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]  # every Python that requires-python admits today
# What a learner sees in the lessons: environment.yml pins these to constraints.txt's versions.
PINNED_IN_CONDA = {"numpy", "matplotlib", "ipywidgets", "jupyterlab-widgets", "jupyterlab",
                   "jsonschema", "jupyterlab-rise"}


def project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def requirement_names(reqs):
    """{'numpy': '>=1.24', ...} from requirement strings like 'numpy>=1.24' (markers dropped)."""
    out = {}
    for req in reqs:
        m = re.match(r"^\s*([A-Za-z0-9_.-]+)\s*([^;]*)", req)
        out[canonicalize_name(m.group(1))] = m.group(2).replace(" ", "")
    return out


def pyproject_requirements():
    extras = project()["optional-dependencies"]
    return requirement_names(project()["dependencies"] + extras["lab"] + extras["test"] + extras["teach"])


def conda_requirements():
    """The conda (not pip) entries of environment.yml, read without a YAML library."""
    reqs = []
    text = (ROOT / "environment.yml").read_text()
    dependencies = text.split("dependencies:", 1)[1]
    for line in dependencies.splitlines():
        m = re.match(r"^  - ([A-Za-z0-9_.-]+[^#]*)$", line)
        if m:
            reqs.append(m.group(1).strip())
    names = requirement_names(reqs)
    names.pop("python", None)
    names.pop("pip", None)
    return names


def constraints():
    """[(name, version, marker or None)] from constraints.txt."""
    pins = []
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;]+)\s*(?:;\s*(.+))?$", line)
        assert m, f"constraints.txt: not an exact pin: {line!r}"
        pins.append((canonicalize_name(m.group(1)), m.group(2), Marker(m.group(3)) if m.group(3) else None))
    return pins


def pins_for(python):
    """{name: version} that constraints.txt gives on Python `python` ('3.10')."""
    env = {"python_version": python, "python_full_version": python + ".0"}
    chosen = {}
    for name, version, marker in constraints():
        if marker is None or marker.evaluate(env):
            assert name not in chosen, f"constraints.txt pins {name} twice for Python {python}"
            chosen[name] = version
    return chosen


# ---- pyproject.toml and environment.yml -------------------------------------------

def test_environment_yml_lists_the_same_packages_as_pyproject():
    assert sorted(conda_requirements()) == sorted(pyproject_requirements())


def test_environment_yml_versions_are_pyprojects_ranges_or_the_tested_pins():
    # conda cannot read a constraints file: the packages a learner sees are pinned to
    # the versions constraints.txt gives on the oldest Python (they install on every
    # newer one, and Binder's default Python is 3.10); the test tools keep pyproject's ranges.
    pins = pins_for(PYTHONS[0])
    wanted = pyproject_requirements()
    for name, spec in conda_requirements().items():
        if name in PINNED_IN_CONDA:
            assert spec == f"=={pins[name]}", f"environment.yml: {name}{spec}, constraints.txt: {pins[name]}"
            assert pins[name] in SpecifierSet(wanted[name]), (name, pins[name], wanted[name])
        else:
            assert spec == wanted[name], f"environment.yml: {name}{spec}, pyproject.toml: {name}{wanted[name]}"


def test_environment_yml_installs_the_course_itself_and_uses_conda_forge():
    text = (ROOT / "environment.yml").read_text()
    assert "- -e ." in text
    assert "conda-forge" in text
    python = re.search(r"- python(\S*)", text).group(1)
    assert python == project()["requires-python"]


def test_the_distribution_has_its_own_name_and_the_import_stays_nnlib():
    # "nnlib" on PyPI is an unrelated project: the course must never be installed by that name.
    assert project()["name"] == "nn-fundamentals"
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    assert packages["find"]["include"] == ["nnlib*"] and (ROOT / "nnlib" / "__init__.py").exists()


def commands_in(path):
    """The lines of code blocks, and the inline code of sentences that do not warn against it."""
    code, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif fenced:
            code.append(line)
        elif not re.search(r"\b(never|not)\b", line, re.IGNORECASE):
            code += re.findall(r"`([^`]+)`", line)
    return code


def test_no_install_command_in_the_docs_installs_nnlib_by_name():
    by_name = re.compile(r"pip install.*\s['\"]?nnlib\b|['\"]nnlib\s*(@|==|>=)")
    paths = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    installs = [(path.name, command) for path in paths for command in commands_in(path)
                if "pip install" in command or "nnlib @" in command]
    assert len(installs) >= 5  # the README's and docs' install commands are all looked at
    wrong = [(name, command) for name, command in installs if by_name.search(command.split(" #")[0])]
    assert not wrong, wrong



# ---- which Pythons are tested -------------------------------------------------------

CI_MAIN_PYTHON = "3.11"  # .ci/run's `python3 course.py test` runs on the CI machine's python3


def test_the_readme_promises_every_admitted_python_and_ci_tests_each_one():
    """README's "Pythons tested" line = every Python requires-python admits = the CI's
    main Python plus .ci/other-pythons' default list."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(r"\*\*Pythons tested:\*\*([^\n]*)", readme).group(1)
    promised = re.findall(r"3\.\d+", line.split(". ")[0])  # the list, up to the sentence's end
    script = (ROOT / ".ci" / "other-pythons").read_text(encoding="utf-8")
    others = re.search(r'PYTHONS=\$\{NNF_CI_PYTHONS:-"([^"]*)"\}', script).group(1).split()
    assert promised == PYTHONS, f"the README says {promised} are tested; pyproject admits {PYTHONS}"
    assert sorted([CI_MAIN_PYTHON, *others]) == PYTHONS, f"CI tests {CI_MAIN_PYTHON} and {others}"

# ---- constraints.txt ------------------------------------------------------------

@pytest.mark.parametrize("python", PYTHONS)
def test_constraints_pin_every_course_package_within_pyprojects_range(python):
    pins = pins_for(python)
    for name, spec in pyproject_requirements().items():
        if name == "tomli" and python != "3.10":
            continue  # needed (and pinned) only where tomllib is missing
        assert name in pins, f"constraints.txt has no pin for {name} on Python {python}"
        assert pins[name] in SpecifierSet(spec), f"{name}=={pins[name]} is outside pyproject's {spec}"


def test_constraints_never_pin_the_course_itself():
    names = {name for name, _, _ in constraints()}
    assert not names & {"nn-fundamentals", "nnlib"}


def test_constraints_markers_choose_one_version_per_python():
    for python in PYTHONS:
        pins_for(python)  # asserts that no package is pinned twice for one Python
    assert set(pins_for("3.10")) >= {"numpy", "jupyterlab", "tomli"}


def test_this_environment_has_the_pinned_versions():
    """The tests run with the versions constraints.txt promises (course.py installs them)."""
    here = "%d.%d" % sys.version_info[:2]
    wrong = []
    for name, version in pins_for(here).items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue  # pinned for another extra or Python (e.g. only needed elsewhere)
        if installed != version:
            wrong.append(f"{name} {installed} (pinned {version})")
    assert not wrong, ("this environment differs from constraints.txt: " + ", ".join(wrong) +
                       "; reinstall with: .venv/bin/pip install -c constraints.txt -e '.[lab,test]'")


# ---- course.py installs with the constraints, and only a finished install counts ----

@pytest.fixture
def fake_course(tmp_path, monkeypatch):
    """A course folder in tmp_path whose installs are recorded (and can be made to fail)."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "constraints.txt").write_text("numpy==2.0.0\n")
    venv = tmp_path / ".venv"
    python = venv / "bin" / "python"
    installs, failing = [], []

    def create(path, with_pip):
        python.parent.mkdir(parents=True, exist_ok=True)
        python.write_text("")
        (python.parent / "pip").write_text("")  # what ensurepip puts beside it

    def run(cmd, **kw):
        installs.append([str(c) for c in cmd])
        if failing:
            raise SystemExit(1)  # what course.run does when pip fails

    monkeypatch.setattr(course, "ROOT", tmp_path)
    monkeypatch.setattr(course, "VENV", venv)
    monkeypatch.setattr(course, "venv_python", lambda: python)
    monkeypatch.setattr(course.venv, "create", create)
    monkeypatch.setattr(course, "run", run)
    # No uv on PATH, and pip cannot install it: tests that want uv say so.
    monkeypatch.setattr(course.shutil, "which", lambda name: None)
    monkeypatch.setattr(course, "try_run", lambda cmd: installs.append([str(c) for c in cmd]) and False)
    monkeypatch.delenv("COURSE_NO_UV", raising=False)
    return tmp_path, installs, failing


@pytest.mark.parametrize("how", ["uv on PATH", "uv installed by pip", "pip", "COURSE_NO_UV"])
def test_installs_use_the_constraints_file_with_uv_or_pip(fake_course, monkeypatch, how):
    root, installs, _ = fake_course
    python = root / ".venv" / "bin" / "python"
    if how == "uv on PATH":
        monkeypatch.setattr(course.shutil, "which", lambda name: "/usr/bin/uv" if name == "uv" else None)
    if how == "uv installed by pip":
        def pip_installs_uv(cmd):
            installs.append([str(c) for c in cmd])
            (python.parent / "uv").write_text("")
            return True
        monkeypatch.setattr(course, "try_run", pip_installs_uv)
    if how == "COURSE_NO_UV":
        monkeypatch.setenv("COURSE_NO_UV", "1")
    course.ensure_environment({"lab"})
    *bootstrap, cmd = installs
    assert cmd[cmd.index("-c") + 1] == "constraints.txt" and cmd[-2:] == ["-e", ".[lab]"]
    assert "-q" not in cmd  # a first install prints its progress
    expected = {"uv on PATH": "/usr/bin/uv", "uv installed by pip": str(python.parent / "uv"),
                "pip": str(python), "COURSE_NO_UV": str(python)}[how]
    assert cmd[0] == expected
    tried_pip_install_uv = [c[-1] for c in bootstrap] == ["uv"] and bootstrap[0][:3] == [str(python), "-m", "pip"]
    assert tried_pip_install_uv == (how in ("uv installed by pip", "pip"))


def test_a_changed_constraints_file_reinstalls(fake_course):
    root, installs, _ = fake_course
    course.ensure_environment({"lab"})
    course.ensure_environment({"lab"})
    assert len([cmd for cmd in installs if cmd[-1] == ".[lab]"]) == 1
    (root / "constraints.txt").write_text("numpy==2.0.1\n")
    course.ensure_environment({"lab"})
    assert len([cmd for cmd in installs if cmd[-1] == ".[lab]"]) == 2


def test_a_failed_install_is_not_called_complete(fake_course):
    root, installs, failing = fake_course
    course.ensure_environment({"lab"})  # a complete install ...
    (root / "constraints.txt").write_text("numpy==2.0.1\n")  # ... then an update whose install fails
    failing.append(True)
    with pytest.raises(SystemExit):
        course.ensure_environment({"lab"})
    assert not list((root / ".venv").glob(".course-installed-*")), "a stamp survived a failed install"
    failing.clear()
    course.ensure_environment({"lab"})  # the next run installs again, and then it is complete
    assert len([cmd for cmd in installs if cmd[-1] == ".[lab]"]) == 3
    course.ensure_environment({"lab"})
    assert len([cmd for cmd in installs if cmd[-1] == ".[lab]"]) == 3
