"""Real JupyterLab in a real browser: the notebooks run, their widgets respond.

Each lesson is run once for this module and test_browser_slides.py (tests/lesson_runs.py),
on the session's JupyterLab server, in its shared page (tests/conftest.py).
Skipped with the reason when Chromium or Playwright is missing (a learner's
machine); a failure in CI, where NNF_REQUIRE_BROWSER=1.  Screenshots are saved
in test-artifacts/.
"""
from pathlib import Path

import pytest

from tests.gallery_run import widget_cells

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


def test_every_widget_renders_and_responds(gallery_run):
    # The gallery is run once for this test and test_browser_fit.py's (tests/gallery_run.py).
    run, expected = gallery_run, widget_cells()
    run.check("run", "widgets respond")
    assert run.errors == [], f"{run.lesson} shows an error"
    assert run.drawn == expected, f"{run.lesson}: expected {expected} widgets with a picture, {run.drawn} drew one"
    assert len(run.pokes) == expected, f"expected {expected} widgets, found {len(run.pokes)}"
    dead = [(i, action) for i, action, changed in run.pokes if not changed]
    assert dead == [], f"these widgets did not change their picture: {dead}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_runs_in_the_browser_and_its_widgets_respond(lesson_runs, lesson):
    # The lesson is run once for this test and tests/test_browser_slides.py (tests/lesson_runs.py):
    # opened, cleared, Run All, widgets' pictures awaited, then every widget poked.
    run = lesson_runs.get(lesson)
    # How many widgets to wait for: as many as the lesson's stored outputs show.
    assert run.expected, f"{lesson} stores no widget output (run tools/execute.py on it)"
    run.check("run", "widgets respond")
    assert run.errors == [], f"notebooks/{lesson} shows an error"
    assert run.drawn == run.expected, \
        f"notebooks/{lesson}: expected {run.expected} widgets with a picture, {run.drawn} drew one"
    assert run.pokes, f"{lesson} shows no widget"
    dead = [(i, action) for i, action, changed in run.pokes if not changed]
    assert dead == [], f"{lesson}: these widgets did not change their picture: {dead}"
