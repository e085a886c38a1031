"""Real JupyterLab in a real browser: the notebooks run, their widgets respond.

Each lesson is run once for this module and test_browser_slides.py (tests/lesson_runs.py),
on the session's JupyterLab server, in its shared page (tests/conftest.py).
Skipped with the reason when Chromium or Playwright is missing (a learner's
machine); a failure in CI, where NNF_REQUIRE_BROWSER=1.  Screenshots are saved
in test-artifacts/.
"""
import json
from pathlib import Path

import pytest

from tests import browser

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
# One widget per code cell of the gallery, after its import cell.
GALLERY_WIDGETS = sum(1 for c in json.loads((ROOT / "tests/gallery/widgets.ipynb").read_text(
    encoding="utf-8"))["cells"] if c["cell_type"] == "code" and "import" not in "".join(c["source"]))


def test_every_widget_renders_and_responds(lab_page):
    relpath, expected = "gallery/widgets.ipynb", GALLERY_WIDGETS
    try:
        page = lab_page.open(relpath)
        browser.run_all(page)
        assert browser.error_outputs(page) == [], f"{relpath} shows an error"
        drawn = browser.wait_for_widgets(page, expected)
        assert drawn == expected, f"{relpath}: expected {expected} widgets with a picture, {drawn} drew one"
        results = browser.check_widgets_respond(page, "gallery")
        browser.screenshot(page, "gallery-page")
    finally:
        lab_page.finish(relpath)
    assert len(results) == expected, f"expected {expected} widgets, found {len(results)}"
    dead = [(i, action) for i, action, changed in results if not changed]
    assert dead == [], f"these widgets did not change their picture: {dead}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_runs_in_the_browser_and_its_widgets_respond(lesson_runs, lesson):
    # The lesson is run once for this test and tests/test_browser_slides.py (tests/lesson_runs.py):
    # opened, cleared, Run All, widgets' pictures awaited, then every widget poked.
    run = lesson_runs.get(lesson)
    # How many widgets to wait for: as many as the lesson's stored outputs show.
    assert run.expected, f"{lesson} stores no widget output (run tools/execute.py on it)"
    run.check("widgets respond")
    assert run.errors == [], f"notebooks/{lesson} shows an error"
    assert run.drawn == run.expected, \
        f"notebooks/{lesson}: expected {run.expected} widgets with a picture, {run.drawn} drew one"
    assert run.pokes, f"{lesson} shows no widget"
    dead = [(i, action) for i, action, changed in run.pokes if not changed]
    assert dead == [], f"{lesson}: these widgets did not change their picture: {dead}"
