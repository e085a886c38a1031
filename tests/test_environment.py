"""environment.yml (conda) and pyproject.toml (pip) must install the same packages."""
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def requirement_names(reqs):
    """{'numpy': '>=1.24', ...} from requirement strings like 'numpy>=1.24'."""
    out = {}
    for req in reqs:
        m = re.match(r"^\s*([A-Za-z0-9_.-]+)\s*(.*)$", req)
        out[m.group(1).lower()] = m.group(2).replace(" ", "")
    return out


def pyproject_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    reqs = project["dependencies"] + extras["lab"] + extras["test"]
    return requirement_names(reqs)


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


def test_environment_yml_and_pyproject_list_the_same_packages_and_versions():
    assert conda_requirements() == pyproject_requirements()


def test_environment_yml_installs_nnlib_itself_and_uses_conda_forge():
    text = (ROOT / "environment.yml").read_text()
    assert "- -e ." in text
    assert "conda-forge" in text
    python = re.search(r"- python(\S*)", text).group(1)
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert python == requires
