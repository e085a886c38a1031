"""Every lesson is also a slideshow (RISE reads each cell's metadata.slideshow.slide_type).

That the exercises keep this metadata is checked in tests/test_exercise_tools.py.
"""
import json
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
