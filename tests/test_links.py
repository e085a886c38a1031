"""Every relative link in the course's notebooks and documents leads to a file that exists.

A link in a notebook is relative to the notebook's folder, as JupyterLab opens it
(the server's root is the course folder, see course.py lab).  workspace/ is not in
the repository: it holds the learner's copies of exercises/, so a link into it
must name an exercise.  Anchors (#...) are ignored; web links are not followed.
"""
import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for folder in ("notebooks", "exercises", "solutions")
                   for p in (ROOT / folder).glob("*.ipynb")
                   if not p.name.startswith("."))  # e.g. tools/execute.py's temporary files
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""")
FENCED = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
INLINE_CODE = re.compile(r"`[^`\n]*`")


def links(markdown):
    text = INLINE_CODE.sub("", FENCED.sub("", markdown))
    return [m.group(1) for pattern in (MARKDOWN_LINK, HTML_LINK) for m in pattern.finditer(text)]


def is_relative(target):
    return not re.match(r"^([a-z][a-z0-9+.-]*:|//|#)", target, re.I)


def markdown_of(path):
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def resolve(source, target):
    """The file a relative link from `source` opens (workspace/ copies resolve to exercises/)."""
    path = unquote(target.split("#")[0].split("?")[0])
    resolved = (source.parent / path).resolve()
    try:
        rel = resolved.relative_to(ROOT)
    except ValueError:
        return None  # climbs out of the course folder: JupyterLab cannot open it
    if rel.parts[:1] == ("workspace",):
        return ROOT / "exercises" / Path(*rel.parts[1:])
    return resolved


def relative_links(path):
    return [t for t in links(markdown_of(path)) if is_relative(t) and t.split("#")[0]]


@pytest.mark.parametrize("path", NOTEBOOKS + DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(path):
    broken = [t for t in relative_links(path) if not ((r := resolve(path, t)) and r.exists())]
    assert not broken, f"{path.relative_to(ROOT)} links to missing files: {broken}"


def test_the_link_finder_sees_what_jupyter_renders():
    text = ("[a](x.ipynb) ![pic](img/p.png) <a href=\"../y.md\">y</a> [web](https://e.org) "
            "`[not](code.ipynb)`\n```\n[neither](fenced.ipynb)\n```\n[t](<z.md> \"title\")")
    assert [t for t in links(text) if is_relative(t)] == ["x.ipynb", "img/p.png", "z.md", "../y.md"]
    lesson = ROOT / "notebooks" / "01-xor.ipynb"
    assert resolve(lesson, "../workspace/01-xor.ipynb") == ROOT / "exercises" / "01-xor.ipynb"
    assert resolve(lesson, "../../outside.ipynb") is None
    assert not resolve(lesson, "../workspace/99-none.ipynb").exists()


@pytest.mark.parametrize("exercise", sorted((ROOT / "exercises").glob("*.ipynb")),
                         ids=lambda p: p.stem)
def test_each_lesson_sends_the_learner_to_their_own_copy(exercise):
    """The lesson's Practice link opens workspace/NN-name.ipynb, never the course's original."""
    lesson = ROOT / "notebooks" / exercise.name
    targets = relative_links(lesson)
    assert f"../workspace/{exercise.name}" in targets
    assert not [t for t in targets if t.startswith("../exercises/")], \
        "a lesson links to exercises/, which updates replace: link the workspace copy"
    paragraphs = re.split(r"\n\s*\n", markdown_of(lesson))
    practice = [p for p in paragraphs if f"../workspace/{exercise.name}" in p]
    assert any("course.py lab" in p for p in practice), \
        "the Practice link should say what to do when the copy is missing"
