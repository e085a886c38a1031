"""Every lesson is also a slideshow (RISE reads each cell's metadata.slideshow.slide_type).

These are the fast checks of the metadata; tests/test_browser_slides.py presents every
lesson in a real browser and measures each step on a 1280x720 slide.  That the exercises
keep this metadata is checked in tests/test_exercise_tools.py.
"""
import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def slide_type(cell):
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


def first_line(cell):
    source = "".join(cell["source"]).strip()
    return source.splitlines()[0] if source else ""


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_every_cell_says_how_it_is_shown_in_the_slideshow(lesson):
    missing = [f"cell {i}: {first_line(c)[:50]!r}" for i, c in enumerate(cells(lesson))
               if slide_type(c) not in SLIDE_TYPES]
    assert missing == [], f"{lesson.name}: cells without a valid slideshow.slide_type: {missing}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_the_show_opens_on_a_slide_and_every_slide_has_a_title(lesson):
    lesson_cells = cells(lesson)
    assert slide_type(lesson_cells[0]) == "slide", f"{lesson.name}: the first cell does not start a slide"
    untitled = [f"cell {i}" for i, c in enumerate(lesson_cells) if slide_type(c) == "slide"
                and not (c["cell_type"] == "markdown" and first_line(c).startswith("#"))]
    assert untitled == [], f"{lesson.name}: slides that do not start with a heading: {untitled}"


# ---- what a slide shows ------------------------------------------------------------

SHOWN = {"slide", "subslide", "fragment", "-"}
MAX_WORDS = 120  # words of prose per slide step, as in tests/test_browser_slides.py
WIDGET = "application/vnd.jupyter.widget-view+json"


def source(cell):
    return "".join(cell["source"])


def visible_words(markdown):
    """Words a slide shows: formulas, code blocks and closed answer boxes do not count."""
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"<details>\s*<summary>(.*?)</summary>.*?</details>", r" \1 ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return len(re.findall(r"[A-Za-z0-9]\S*", text))


def only_imports(code):
    """Whether a cell only imports (an import may run over several lines in parentheses)."""
    lines = [line for line in code.splitlines() if not line.lstrip().startswith("%")]  # magics
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return False
    return all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in tree.body)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_setup_cells_are_hidden_from_the_slides(lesson):
    shown = [f"cell {i}: {first_line(c)[:50]!r}" for i, c in enumerate(cells(lesson))
             if c["cell_type"] == "code" and not c.get("outputs") and source(c).strip()
             and only_imports(source(c))
             and slide_type(c) != "skip"]
    assert shown == [], f"{lesson.name}: import cells shown on slides (make them 'skip'): {shown}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_every_widget_is_on_a_slide(lesson):
    hidden = [f"cell {i}: {first_line(c)[:50]!r}" for i, c in enumerate(cells(lesson))
              if c["cell_type"] == "code" and slide_type(c) not in SHOWN
              and any(WIDGET in o.get("data", {}) for o in c.get("outputs", []))]
    assert hidden == [], f"{lesson.name}: widgets hidden from the slides: {hidden}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_no_slide_carries_more_than_a_short_paragraph_or_two(lesson):
    """The prose of every slide or subslide, counted as a slide shows it, stays short.

    Longer explanations are split over subslides or kept in speaker notes ('notes').
    """
    too_long, start, words = [], None, 0
    for i, c in enumerate(cells(lesson) + [{"cell_type": "end", "metadata": {"slideshow": {"slide_type": "slide"}}, "source": []}]):
        kind = slide_type(c)
        if kind in ("slide", "subslide"):
            if start is not None and words > MAX_WORDS:
                too_long.append(f"cells {start}..{i - 1}: {words} words")
            start, words = i, 0
        if kind in SHOWN and c["cell_type"] == "markdown":
            words += visible_words(source(c))
    assert too_long == [], f"{lesson.name}: slides with more than {MAX_WORDS} words: {too_long}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_no_section_heading_is_hidden_from_the_slides(lesson):
    # A section's heading must be on a slide: speaker notes and skipped cells hold no "## ...".
    lesson_cells = cells(lesson)
    orphans = [f"cell {i}: {first_line(c)[:50]!r}" for i, c in enumerate(lesson_cells)
               if slide_type(c) in ("notes", "skip") and c["cell_type"] == "markdown"
               and first_line(c).startswith("## ")]
    assert orphans == [], f"{lesson.name}: section headings hidden from the slides: {orphans}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_a_slide_taller_than_the_screen_scrolls_instead_of_being_cut(lesson):
    # RISE's `scroll` setting, read from the notebook's metadata: without it the
    # bottom of a tall slide is cut off on a small projector.
    nb = json.loads(lesson.read_text(encoding="utf-8"))
    assert nb["metadata"].get("rise", {}).get("scroll") is True, f"{lesson.name}: metadata.rise.scroll is not on"
