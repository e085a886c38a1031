"""Real JupyterLab in a real browser: the notebooks run, their widgets respond.

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


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    browser.require_browser()
    server = browser.JupyterLab(tmp_path_factory.mktemp("lab"), folders=("notebooks", "tests/gallery"))
    yield server
    server.stop()


def run_and_poke(page, lab, relpath, name, expected):
    """Run the notebook, wait for its `expected` widgets to draw, poke each one."""
    browser.open_notebook(page, lab, relpath)
    browser.run_all(page)
    assert browser.error_outputs(page) == [], f"{relpath} shows an error"
    drawn = browser.wait_for_widgets(page, expected)
    assert drawn == expected, f"{relpath}: expected {expected} widgets with a picture, {drawn} drew one"
    results = browser.check_widgets_respond(page, name)
    browser.screenshot(page, f"{name}-page")
    return results


def test_every_widget_renders_and_responds(lab, page):
    results = run_and_poke(page, lab, "gallery/widgets.ipynb", "gallery", expected=GALLERY_WIDGETS)
    assert len(results) == GALLERY_WIDGETS, f"expected {GALLERY_WIDGETS} widgets, found {len(results)}"
    dead = [(i, action) for i, action, changed in results if not changed]
    assert dead == [], f"these widgets did not change their picture: {dead}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_runs_in_the_browser_and_its_widgets_respond(lab, page, lesson):
    # How many widgets to wait for: as many as the lesson's stored outputs show.
    expected = browser.stored_picture_widgets(ROOT / "notebooks" / lesson)
    assert expected, f"{lesson} stores no widget output (run tools/execute.py on it)"
    results = run_and_poke(page, lab, f"notebooks/{lesson}", lesson.removesuffix(".ipynb"), expected)
    assert results, f"{lesson} shows no widget"
    dead = [(i, action) for i, action, changed in results if not changed]
    assert dead == [], f"{lesson}: these widgets did not change their picture: {dead}"
