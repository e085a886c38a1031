"""Teaching in class, in a real browser: the static site, and a lesson shown as RISE slides.

Skipped with the reason when Chromium or Playwright is missing (a learner's
machine); a failure in CI, where NNF_REQUIRE_BROWSER=1.  Screenshots are saved
in test-artifacts/.
"""
import functools
import http.server
import threading
import time
from pathlib import Path

import nbformat
import pytest

from tests import browser
from tests.lesson_runs import save
from tools import build_site

ROOT = Path(__file__).resolve().parent.parent
SLIDESHOW_LESSON = "notebooks/00-start-here.ipynb"
MATHJAX = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/"


# ---- fixtures -------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(built_site):
    """The site as `python3 course.py site` builds it (tests/conftest.py), and its lessons' records."""
    browser.require_browser()
    dest, result = built_site
    assert result.returncode == 0, result.stderr
    lessons, _ = build_site.lesson_records()
    for lesson in lessons:  # how many widgets the page shows as pictures
        lesson["widgets"] = build_site.freeze_widgets(lesson.pop("nb"))[1]
    return dest, lessons


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url(site):
    """The site served on a free 127.0.0.1 port, as a teacher might host it."""
    handler = functools.partial(QuietHandler, directory=str(site[0]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def lesson_page(lab_page):
    """The session's JupyterLab page (tests/conftest.py) with SLIDESHOW_LESSON open.

    The slideshow needs jupyterlab_rise.  Afterwards the lesson is closed and its kernel shut down.
    """
    browser.require_rise()
    try:
        yield lab_page.open(SLIDESHOW_LESSON)
    finally:
        lab_page.finish(SLIDESHOW_LESSON)


# ---- the static site ----------------------------------------------------------------

def test_site_index_leads_to_a_lesson_whose_pictures_all_show(page, site, site_url):
    _, lessons = site
    outside = []

    def only_local(route):
        url = route.request.url
        if url.startswith(site_url):
            route.continue_()
        else:
            outside.append(url)
            route.abort()  # the classroom may have no network: the page must not need it

    page.route("**/*", only_local)
    page.goto(f"{site_url}/index.html")
    # each entry: the lesson's link first, then its exercise's link (lessons 01 and on)
    links = page.locator("ol.nnf-lessons li > a:first-child")
    assert links.all_inner_texts() == [lesson["title"] for lesson in lessons]
    exercise_links = page.locator("ol.nnf-lessons li > a:nth-child(2)")
    assert [a.get_attribute("href") for a in exercise_links.all()] == [
        lesson["exercise"]["page"] for lesson in lessons if lesson.get("exercise")]

    lesson = next(x for x in lessons if x["widgets"] and x is not lessons[0])
    page.get_by_role("link", name=lesson["title"], exact=True).click()
    page.wait_for_load_state("load")
    assert page.url == f"{site_url}/{lesson['page']}"
    page.wait_for_function("Array.from(document.images).every(i => i.complete)")
    sizes = page.evaluate("Array.from(document.images).map(i => i.naturalWidth * i.naturalHeight)")
    assert sizes and all(sizes), f"{lesson['page']}: some pictures do not show: {sizes}"

    frame = page.locator("xpath=//p[contains(@class, 'nnf-widget-caption')]/preceding::img[1]").first
    frame.scroll_into_view_if_needed()
    assert frame.is_visible() and frame.evaluate("img => img.naturalWidth") > 0
    assert page.locator(".nnf-widget-caption").first.is_visible()
    browser.screenshot(page, "site-widget-frame")

    page.get_by_role("link", name="Contents").first.click()
    page.wait_for_load_state("load")
    assert page.url == f"{site_url}/index.html"
    assert all(url.startswith(MATHJAX) for url in outside), f"the pages asked the network for {outside}"


# ---- RISE slides --------------------------------------------------------------------

PRESENT = ".reveal .slides section.present"
PRESENT_TEXT = """() => { const s = Array.from(document.querySelectorAll('.reveal .slides section.present')).pop();
                       return s ? s.innerText : ''; }"""


def slideshow_frame(page):
    """Open the slideshow of the open notebook from its toolbar's RISE button; returns its frame.

    The first cell is clicked first: the show starts at the active cell.
    """
    page.locator(".jp-NotebookPanel .jp-Cell").first.click()
    page.locator(".jp-NotebookPanel-toolbar [data-jp-item-name='RISE-button'] jp-button").click()
    deadline = time.time() + 60
    while not any("/rise/" in f.url for f in page.frames):
        assert time.time() < deadline, "the RISE button opened no slideshow"
        page.wait_for_timeout(200)
    frame = [f for f in page.frames if "/rise/" in f.url][-1]
    frame.wait_for_selector(PRESENT, timeout=120_000)
    return frame


def advance(page, frame):
    """Press Space, as a presenter does, and wait for the next slide's text."""
    before = frame.evaluate(PRESENT_TEXT)
    page.keyboard.press("Space")
    frame.wait_for_function(f"before => ({PRESENT_TEXT})() !== before", arg=before, timeout=15_000)
    return frame.evaluate(PRESENT_TEXT)


def test_a_lesson_opens_as_slides_and_advances(lesson_page):
    page = lesson_page
    title = build_site.lesson_title(nbformat.read(ROOT / SLIDESHOW_LESSON, as_version=4), "?")
    frame = slideshow_frame(page)
    heading = frame.locator(f"{PRESENT} h1").first
    heading.wait_for(state="visible", timeout=30_000)
    assert title in heading.inner_text()
    first = frame.evaluate(PRESENT_TEXT)
    browser.screenshot(page, "slides-first")

    second = advance(page, frame)
    assert second != first and title not in second.splitlines()[0]
    assert frame.locator(f"{PRESENT} h1, {PRESENT} h2").first.is_visible()
    browser.screenshot(page, "slides-second")


def settled_box(page, locator, timeout_s=10.0):
    """The element's bounding box once it stops moving (slides glide into place)."""
    box, deadline = locator.bounding_box(), time.time() + timeout_s
    while time.time() < deadline:
        page.wait_for_timeout(250)
        latest = locator.bounding_box()
        if latest == box:
            return box
        box = latest
    return box


# An output that JupyterLab renders as a widget view, drawn yet or not, or one shown as
# text instead (the widget manager failed).  Every other renderer marks its output with
# data-mime-type; ipywidgets' view is a panel without it (JupyterLab 4, ipywidgets 8.1).
# A view fetches its model from the kernel before it draws: seconds on a loaded machine.
VIEW_OUTPUTS = (".jp-OutputArea-output:not([data-mime-type]), "
                f".jp-OutputArea-output[data-mime-type='{browser.WIDGET_VIEW}']")
WIDGET_OUTPUT = """() => { const s = Array.from(document.querySelectorAll('.reveal .slides section.present')).pop();
    if (!s) return false;
    return s.querySelector("%s") !== null || Array.from(s.querySelectorAll('.jp-OutputArea-output')).some(
        o => /^(VBox|HBox|Box)\\(|^Run this cell to use the widget/.test(o.innerText.trim())); }""" % VIEW_OUTPUTS


def test_a_widget_on_a_slide_is_live(lesson_page):
    # This is what holds ipywidgets below 8.1.3 (see pyproject.toml): with newer
    # jupyterlab_widgets, RISE cannot load the widget manager and widgets show as text.
    page = lesson_page
    browser.run_all(page)
    save(page)  # the slideshow reads the saved notebook
    frame = slideshow_frame(page)
    for _ in range(20):
        if frame.evaluate(WIDGET_OUTPUT):
            break
        advance(page, frame)
    else:
        pytest.fail("no slide holds a widget")
    # Not anchored to `.present`, which moves on with the show.
    output = frame.locator(VIEW_OUTPUTS).first
    assert output.count(), "the widget on the slide is shown as text, not as a widget: " \
        + frame.evaluate(PRESENT_TEXT)[:200]
    image = output.locator(".widget-image").first
    try:  # generous: a live widget draws at once, only a dead one waits the whole time
        image.wait_for(state="visible", timeout=60_000)
        frame.wait_for_function("img => img.naturalWidth > 0", arg=image.element_handle(), timeout=60_000)
    except Exception as error:  # playwright's TimeoutError: say what the slide shows instead
        pytest.fail(f"the widget on the slide drew no picture ({type(error).__name__}); "
                    f"the slide shows: {output.inner_text()[:200]!r}")
    browser.screenshot(page, "slides-widget")
    before = browser.image_src(image)
    # Drag, as a presenter does: reveal.js takes the arrow keys to change slides.
    box = settled_box(page, output.locator(".widget-slider .noUi-handle").first)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y, steps=5)
    page.mouse.up()
    after = browser.wait_until_changed(page, image, before)
    assert after and after != before, "the widget on the slide did not answer its slider"
