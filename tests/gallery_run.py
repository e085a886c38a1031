"""The widget gallery (tests/gallery/widgets.ipynb) run ONCE in Chromium, for two tests.

tests/test_browser_fit.py measures that every widget fits a 1024-pixel-wide window;
tests/test_browser.py pokes every widget and sees its picture change.  Both need the
gallery run, so one run, in the session's JupyterLab page (tests/conftest.py), does:

1. narrow the window to 1024x768 and fold the left side bar away;
2. open the gallery, clear its outputs, Run All, wait until every widget has drawn;
3. measure each widget (MEASURE below) and photograph it;
4. poke each widget and see its picture change;
5. put the window and the side bar back, close the gallery and shut its kernel down.

A step that fails is recorded and raised by the test that owns it (LessonRun.step).
"""
import json

from tests import browser
from tests.lesson_runs import LessonRun

RELPATH = "gallery/widgets.ipynb"
GALLERY = browser.ROOT / "tests" / RELPATH
WINDOW = {"width": 1024, "height": 768}

# For each output holding a widget picture: its box, and the right edge of the
# right-most visible element inside it (a cut-off readout sticks out past the box,
# or is hidden by overflow and then scrollWidth > clientWidth).
MEASURE = """() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))
    .filter(o => o.querySelector('.widget-image'))
    .map(o => {
        const box = o.getBoundingClientRect();
        let right = box.right, what = '';
        for (const el of o.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.height > 0 && r.right > right) {
                right = r.right;
                what = el.className || el.tagName;
            }
        }
        const scrolls = Array.from(o.querySelectorAll('*')).concat([o])
            .filter(el => el.scrollWidth > el.clientWidth + 1
                          && getComputedStyle(el).overflowX !== 'visible')
            .map(el => String(el.className || el.tagName));
        // A picture in a row with the controls must be beside them, not wrapped below.
        const img = o.querySelector('.widget-image'), panel = img.previousElementSibling;
        const in_row = img.parentElement.classList.contains('widget-hbox') && panel !== null;
        const beside = !in_row || img.getBoundingClientRect().left >= panel.getBoundingClientRect().right - 1;
        return {left: box.left, right: box.right, content_right: right, widest: what, beside: beside,
                scrolls: scrolls, image_width: o.querySelector('.widget-image').getBoundingClientRect().width};
    })"""


def widget_cells():
    """How many cells of the gallery show a widget (every code cell but the imports)."""
    nb = json.loads(GALLERY.read_text(encoding="utf-8"))
    sources = ["".join(c["source"]).strip() for c in nb["cells"] if c["cell_type"] == "code"]
    return sum(1 for s in sources if s and not s.startswith(("from ", "import ")))


class GalleryRun(LessonRun):
    """A LessonRun record, with the fit measures: `main` (the main area's box) and `measured`."""

    def __init__(self):
        super().__init__(RELPATH)
        self.main = self.measured = None


def left_area_shown(page):
    return page.locator("#jp-left-stack").is_visible()


def toggle_left_area(page):
    page.evaluate("() => window.jupyterapp.commands.execute('application:toggle-left-area')")
    page.wait_for_timeout(300)  # the main area takes the width


def run_gallery(lab_page):
    """Run the gallery once (steps above)."""
    run = GalleryRun()
    run.expected = widget_cells()
    page = lab_page.page
    size = page.viewport_size
    page.set_viewport_size(WINDOW)
    folded = left_area_shown(page)
    try:
        if folded:
            toggle_left_area(page)

        def run_all():  # the run's "run" step, as in a lesson run (opening included)
            lab_page.open(RELPATH)
            # JupyterLab may ask about news in a toast over the notebook: answer it, so
            # that the screenshots show the widgets whole.
            no = page.locator(".jp-toast-button:has-text('No')")
            if no.count():
                no.first.click()
            browser.run_all(page)
            run.errors = browser.error_outputs(page)
            run.drawn = browser.wait_for_widgets(page, run.expected, timeout=120_000)

        if not run.step("run", run_all):
            return run

        def fit():
            page.wait_for_timeout(500)  # the last pictures' sizes settle
            run.main = page.locator("#jp-main-dock-panel").bounding_box()
            run.measured = page.evaluate(MEASURE)
            outputs = browser.widget_outputs(page)
            for i in range(outputs.count()):
                browser.screenshot(page, f"fit-{i}", outputs.nth(i))

        run.step("fit", fit)

        def pokes():
            run.pokes = browser.check_widgets_respond(page, "gallery")
            browser.screenshot(page, "gallery-page")

        run.step("widgets respond", pokes)
    finally:
        lab_page.finish(RELPATH)
        if folded and not left_area_shown(page):
            toggle_left_area(page)
        page.set_viewport_size(size)
    return run
