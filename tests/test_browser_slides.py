"""Every lesson as RISE slides on a 1280x720 projector: every step fits and carries little prose.

For each lesson the test does what a teacher does before class (docs/teaching.md):
open it in JupyterLab, Run > Run All Cells (so figures and widgets are live), save,
then open the slideshow full screen in a 1280x720 window (RISE's "Open as Reveal
Slideshow" page) and press Space through every slide and fragment.  At every step
it measures the present slide's content against the slide and counts the words of
prose that are visible.  Limits (stated in docs/teaching.md):

* no step's content is taller than 95% of the slide (RISE's slides fill the window, 720 px;
  past 95% RISE's `scroll` setting, which the lessons turn on, gives a slide a scroll bar);
* nothing sticks out past the slide's right edge (wide code or pictures are cut there);
* at most MAX_WORDS words of visible prose per step (markdown text, not code, output
  or formulas, nor the hidden text of closed answer boxes); longer prose is split over
  subslides or kept in speaker notes (`notes` cells), which learners read in the notebook;
* every widget of the lesson shows up live on a slide (a picture, not `VBox(...)` text).

The run, the save and the walk through the show happen once per lesson, on the same run
as tests/test_browser.py's widget checks (tests/lesson_runs.py, which also holds the
JavaScript that measures a step); this module holds the limits and the verdicts.
A report of every step goes to test-artifacts/slides-report/<lesson>.txt; each lesson's first
and fullest steps are saved as test-artifacts/slides-<lesson>-first.png and -fullest.png.
New lessons in notebooks/ are measured too: a failure lists the step and the cells on it
(index, first line, height or words), which tells where to start a subslide.
Skipped with the reason when Chromium, Playwright or jupyterlab_rise is missing; a
failure in CI, where NNF_REQUIRE_BROWSER=1.
"""
import json
from pathlib import Path

import pytest

from tests import browser

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MAX_WORDS = 120
MAX_HEIGHT = 0.95  # of the slide's height: RISE's `scroll` adds a scroll bar past it
WIDTH_SLACK = 8  # px: a table's or a formula's border may touch the edge; nothing is cut by that
REPORTS = browser.ARTIFACTS / "slides-report"


@pytest.fixture
def report(lesson):
    """The lesson's report lines, written to its own file (lessons may run in parallel)."""
    lines = []
    yield lines
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{lesson.stem}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---- the lesson's own cells ------------------------------------------------------------

def notebook_cells(lesson):
    return json.loads(lesson.read_text(encoding="utf-8"))["cells"]


def first_line(cell):
    text = "".join(cell["source"]).strip()
    return text.splitlines()[0][:60] if text else ""


def widget_cells(cells):
    return [i for i, c in enumerate(cells) if c["cell_type"] == "code" and any(
        browser.WIDGET_VIEW in o.get("data", {}) for o in c.get("outputs", []))]


def describe(step, cells, what):
    inner = ", ".join(f"cell {c['index']} {first_line(cells[c['index']])!r} ({c[what]})"
                      for c in step["cells"] if c[what])
    return f"{step['hash'] or step['id']}: {inner}"


# ---- the test -----------------------------------------------------------------------------

@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_every_slide_step_fits_a_1280x720_projector(lesson_runs, report, lesson):
    browser.require_rise()
    # The lesson is run once for this test and tests/test_browser.py (tests/lesson_runs.py):
    # Run All, saved, then its slideshow walked in a 1280x720 window.
    run = lesson_runs.get(lesson.name)
    run.check("run", "slides")
    steps = run.steps
    assert steps, f"{lesson.name}: the slideshow was not walked"
    cells = notebook_cells(lesson_runs.lab.root / "notebooks" / lesson.name)

    tall = [s for s in steps if s["height"] > MAX_HEIGHT * s["slideHeight"]]
    wide = [s for s in steps if s["right"] > s["slideWidth"] + WIDTH_SLACK]
    wordy = [s for s in steps if s["words"] > MAX_WORDS]
    over = [s for s in steps if s["height"] > s["slideHeight"]]
    report.append(f"{lesson.name}: {len(steps)} steps, {len(over)} taller than the slide, "
                  f"{len(tall)} taller than {MAX_HEIGHT:.0%} of it, "
                  f"{len(wide)} wider, max words {max(s['words'] for s in steps)}, "
                  f"max height {max(s['height'] for s in steps)} of {steps[0]['slideHeight']}")
    for s in steps:
        report.append(f"  {s['hash'] or s['id']:<22} height {s['height']:>5}  right {s['right']:>5}  "
                      f"words {s['words']:>4}  cells {[c['index'] for c in s['cells']]}")

    problems = []
    for s in tall:
        problems.append(f"taller than the slide ({s['height']} > {MAX_HEIGHT} x {s['slideHeight']} px): "
                        + describe(s, cells, "height"))
    for s in wide:
        problems.append(f"wider than the slide ({s['right']} > {s['slideWidth']} px): "
                        + describe(s, cells, "right"))
    for s in wordy:
        problems.append(f"{s['words']} words of prose (limit {MAX_WORDS}): " + describe(s, cells, "words"))
    shown_live = {c["index"] for s in steps for c in s["cells"] if c["widget"] and not c["widgetAsText"]}
    missing = [f"cell {i} {first_line(cells[i])!r}" for i in widget_cells(cells) if i not in shown_live]
    if missing:
        problems.append(f"widgets not live on any slide: {missing}")
    assert not problems, f"{lesson.name}:\n  " + "\n  ".join(problems)
