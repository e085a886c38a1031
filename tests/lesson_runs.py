"""Each lesson run ONCE in Chromium, and everything that needs a run lesson measured on that run.

Running a lesson (Edit > Clear Outputs, Run > Run All Cells, wait for Idle and for the
widgets' pictures) is the slowest thing the browser tests do.  Two modules need every
lesson run: tests/test_browser.py (no error, every widget draws and answers a poke) and
tests/test_browser_slides.py (every slide step fits a 1280x720 projector, widgets live
on the slides).  Whichever of them asks first runs the lesson; the other reads the
same run's record.  One run does, in this order, what the two tests did before:

1. open the lesson and look at it as a learner first sees it, before anything is run
   (tests/test_browser_prerun.py: every stored picture shows, no widget as text, no
   unsaved changes);
2. clear its outputs, Run All, wait for Idle;
3. note the error outputs, wait for the widgets' first pictures and count them;
4. save (Ctrl+S), as a teacher does before class;
5. open its RISE slideshow in a 1280x720 window and press Space through every step,
   measuring each (skipped when jupyterlab_rise is missing: the slides test says why);
6. lesson 09 only: type in its NameLab's box and press its button
   (tests/test_browser_names.py);
7. poke every widget in the notebook and see its picture change; screenshot the page.

A step that fails is recorded with its traceback and the run goes on where it can, so
each test reports the failures of its own steps, naming the lesson and the step.
Afterwards the lesson is closed and its kernel shut down.  The lessons are opened in
turn in one JupyterLab page (tests/browser.py's LabPage), in a 1400x1000 window.

Step 1 is a learner's first day only if nothing has opened that lesson on this server
before (the server's HOME is fresh, so no notebook is trusted yet).  The lesson runs
come first in the session (conftest.py sorts them first); if another test opened the
lesson before all the same, step 1 is done on a fresh copy of it instead.
"""
import json
import re
import shutil
import time
import traceback
from pathlib import Path

from tests import browser

ROOT = Path(__file__).resolve().parent.parent
SLIDES_WINDOW = {"width": 1280, "height": 720}


def rise_available():
    try:
        import jupyterlab_rise  # noqa: F401
    except ImportError:
        return False
    return True


# ---- measuring one slide step (tests/test_browser_slides.py's limits) ------------------------------------------------------------

# The present (innermost) section is the slide or subslide on screen.  RISE moves the
# notebook's cell widgets into it; `data-windowed-list-index` is the cell's index in the
# notebook.  Fragments not yet shown keep their place (reveal.js hides them with
# visibility), so the height counts them too: they will appear on this same slide.
STEP = r"""() => {
  const slides = document.querySelector('.reveal .slides');
  const section = Array.from(document.querySelectorAll('.reveal .slides section.present')).pop();
  if (!slides || !section) return null;
  const scale = slides.getBoundingClientRect().height / slides.offsetHeight || 1;
  const top = section.getBoundingClientRect().top;
  const slideLeft = slides.getBoundingClientRect().left, slideRight = slides.getBoundingClientRect().right;
  const cells = Array.from(section.querySelectorAll('.jp-Cell')).filter(
      c => getComputedStyle(c).display !== 'none' && c.offsetParent !== null);
  const shown = c => getComputedStyle(c).visibility === 'visible';
  function prose(cell) {
    const copy = cell.querySelector('.jp-RenderedMarkdown');
    if (!copy) return 0;
    const clone = copy.cloneNode(true);
    clone.querySelectorAll('mjx-container, .MathJax, .MathJax_Preview, script, pre, math')
         .forEach(e => e.remove());
    // A closed fold-out box (a Check yourself answer) shows only its summary.
    const closed = Array.from(copy.querySelectorAll('details')).map(d => d.open);
    clone.querySelectorAll('details').forEach((d, i) => {
      if (!closed[i]) Array.from(d.childNodes).forEach(n => { if (n.nodeName !== 'SUMMARY') n.remove(); }); });
    const words = clone.textContent.match(/[A-Za-z0-9][A-Za-z0-9'’.,;:!?()\-]*/g);
    return words ? words.length : 0;
  }
  const out = [];
  let bottom = 0, words = 0, right = 0, loading = false;
  for (const c of cells) {
    const box = c.getBoundingClientRect();
    const index = Number(c.dataset.windowedListIndex);
    // The widest thing a cell holds, as drawn (a picture or a line of code wider than
    // the slide is cut at its right edge).
    let cellRight = box.right;
    c.querySelectorAll('img, canvas, svg, pre, table, .jp-OutputArea-output, .cm-line, .widget-box')
     .forEach(e => { const b = e.getBoundingClientRect(); if (b.width) cellRight = Math.max(cellRight, b.right); });
    c.querySelectorAll('.jp-OutputArea-output, .cm-scroller, .jp-RenderedText').forEach(e => {
      if (e.scrollWidth > e.clientWidth + 2) cellRight = Math.max(cellRight, box.left + e.scrollWidth * scale); });
    if (c.classList.contains('jp-MarkdownCell') && !c.classList.contains('jp-mod-rendered')) loading = true;
    c.querySelectorAll('img').forEach(i => { if (!i.complete) loading = true; });
    const w = shown(c) ? prose(c) : 0;
    words += w;
    bottom = Math.max(bottom, box.bottom);
    right = Math.max(right, cellRight);
    out.push({index, height: Math.round(box.height / scale), words: w,
              right: Math.round((cellRight - slideLeft) / scale),
              widget: !!c.querySelector('.widget-image'),
              widgetAsText: Array.from(c.querySelectorAll('.jp-OutputArea-output'))
                                 .some(o => /^(VBox|HBox|Box|[A-Za-z]+Widget)\(/.test(o.innerText.trim()))});
  }
  return {id: section.id, hash: location.hash, loading,
          slideHeight: slides.offsetHeight, slideWidth: slides.offsetWidth,
          height: Math.round(Math.max(section.scrollHeight, (bottom - top) / scale)),
          right: Math.round((right - slideLeft) / scale),
          fragments: section.querySelectorAll('.fragment').length,
          shownFragments: section.querySelectorAll('.fragment.visible').length,
          words, cells: out};
}"""


# The last step: no slide or subslide after the present ones, and no fragment left to show.
AT_THE_END = r"""() => {
  const present = Array.from(document.querySelectorAll('.reveal .slides section.present'));
  if (!present.length) return false;
  const later = s => { for (let n = s.nextElementSibling; n; n = n.nextElementSibling)
                         if (n.tagName === 'SECTION') return true;
                       return false; };
  return present.every(s => !later(s))
         && present[present.length - 1].querySelectorAll('.fragment:not(.visible)').length === 0;
}"""


def step_key(step):
    return f"{step['id']}/{step['shownFragments']}"


# Pressing Space and waiting for the next step to settle happen inside the page, in one
# call: a step is settled when its measures have held still for QUIET_MS and nothing on it
# is loading.  Polling from Python instead costs a round trip and a fixed sleep for every
# reading, which made the walk through the course's ~420 steps take ~400 s.
QUIET_MS = 60
FIRST_QUIET_MS = 300  # the first step, just after the slideshow page has loaded
NEXT_STEP = r"""async ([before, quietMs, endMs, timeoutMs]) => {
  const measure = %s;
  const atTheEnd = %s;
  // The present step's key, cheaply: its section and how many fragments are shown.
  const keyNow = () => {
    const s = Array.from(document.querySelectorAll('.reveal .slides section.present')).pop();
    return s ? s.id + '/' + s.querySelectorAll('.fragment.visible').length : null;
  };
  const pause = ms => new Promise(r => setTimeout(r, ms));
  const start = performance.now();
  while (keyNow() === null || keyNow() === before) {
    // Space did not move the show: it has ended, if its structure says so.
    if (performance.now() - start > endMs && atTheEnd()) return {ended: true};
    if (performance.now() - start > timeoutMs) return {timedOut: true};
    await pause(20);
  }
  let last = null, lastText = null, stillSince = 0;
  while (performance.now() - start < timeoutMs) {
    const now = measure();
    const text = JSON.stringify(now);
    if (!now || text !== lastText || now.loading) {
      last = now; lastText = text; stillSince = performance.now();
    } else if (performance.now() - stillSince >= quietMs) {
      return {step: now};
    }
    await pause(15);
  }
  return {timedOut: true, step: last};
}"""


def next_step(page, before, press=True, timeout_s=20.0):
    """Press Space (unless `press` is False) and return the next step's settled measures.

    `before` is the present step's key (None before the first step).  Returns None when
    Space did not move the show and no slide or fragment is left (its end), and also when
    nothing moved within the timeout (a teacher would see the show stuck there; the test
    then finds the steps after it missing).  A step that moved but never held still is
    returned as last measured.
    """
    if press:
        page.keyboard.press("Space")
    quiet = QUIET_MS if press else FIRST_QUIET_MS
    result = page.evaluate(NEXT_STEP % (STEP, AT_THE_END), [before, quiet, 300, int(timeout_s * 1000)])
    return result.get("step")


def walk_the_show(page, name):
    """Press Space from the first step to the last; returns every step's measures.

    The first step and the fullest one are saved as screenshots.
    """
    steps = [next_step(page, None, press=False)]
    browser.screenshot(page, f"slides-{name}-first")
    fullest = 0
    while True:
        step = next_step(page, step_key(steps[-1]))
        if step is None:
            return steps
        steps.append(step)
        if step["height"] > fullest:
            fullest = step["height"]
            browser.screenshot(page, f"slides-{name}-fullest")
        assert len(steps) < 400, "the slideshow never ends"


def save(page):
    """Ctrl+S, then wait until the tab no longer shows unsaved changes."""
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "() => !document.querySelector('.jp-mod-current .jp-mod-dirty, .lm-TabBar-tab.jp-mod-current.jp-mod-dirty')",
        timeout=30_000)


def open_slideshow(context, lab, relpath):
    """The saved lesson's slideshow page (RISE's "Open as Reveal Slideshow"), 1280x720."""
    show = context.new_page()
    show.set_viewport_size(SLIDES_WINDOW)
    show.goto(f"{lab.url}/rise/{relpath}?token={lab.token}")
    show.wait_for_selector(".reveal .slides section.present .jp-Cell", timeout=120_000)
    show.locator(".reveal .slides").focus()
    return show


# ---- one run, its record ------------------------------------------------------------

class LessonRun:
    """What one run of a lesson showed.  `failures` maps a step's name to its traceback."""

    def __init__(self, lesson):
        self.lesson = lesson            # file name, e.g. "03-nonlinearity.ipynb"
        self.expected = None            # widgets with a picture in the stored outputs
        self.unrun = None               # the page before anything was run (unrun_page)
        self.names = None               # lesson 09's NameLab, typed in and sampled (names_lab)
        self.errors = None              # texts of error outputs after Run All
        self.drawn = None               # widgets that drew a picture
        self.steps = None               # slide steps' measures (None: not measured)
        self.pokes = None               # [(widget index, action, picture changed)]
        self.failures = {}

    def step(self, name, action):
        """Do one step; on failure record it and return False."""
        try:
            action()
            return True
        except Exception:  # recorded, and raised by the test that owns the step
            self.failures[name] = traceback.format_exc()
            return False

    def check(self, *steps):
        """Raise if the run failed at opening the lesson or at one of `steps` (the ones a test owns).

        A test that needs the lesson run names "run" among its steps; the first-day look
        ("before running") is done before the run, so it does not depend on it.
        """
        failed = {s: t for s, t in self.failures.items() if s in ("open",) + steps}
        if failed:
            raise AssertionError(f"{self.lesson}: the browser run failed at "
                                 + "; ".join(f"step '{s}':\n{t}" for s, t in failed.items()))


class LessonRuns:
    """Session cache: each lesson is run once, on the first request."""

    def __init__(self, lab_page):
        self.lab_page, self.lab, self.runs = lab_page, lab_page.lab, {}

    def get(self, lesson):
        if lesson not in self.runs:
            self.runs[lesson] = self._run(lesson)
        return self.runs[lesson]

    def _run(self, lesson):
        run = LessonRun(lesson)
        relpath, name = f"notebooks/{lesson}", lesson.removesuffix(".ipynb")
        run.expected = browser.stored_picture_widgets(ROOT / "notebooks" / lesson)
        first_day = relpath not in self.lab_page.opened
        if not first_day:  # opened before by another test: look at a fresh copy instead
            run.step("before running", lambda: self._first_day_copy(run, lesson))
        try:
            page = None

            def open_():
                nonlocal page
                page = self.lab_page.open(relpath)

            if not run.step("open", open_):
                return run
            if first_day:
                run.step("before running", lambda: setattr(run, "unrun", unrun_page(page, lesson)))

            def run_all():
                browser.run_all(page)
                run.errors = browser.error_outputs(page)
                run.drawn = browser.wait_for_widgets(page, run.expected or 0)

            if not run.step("run", run_all):
                return run

            def slides():
                save(page)
                show = open_slideshow(self.lab_page.context, self.lab, relpath)
                try:
                    run.steps = walk_the_show(show, name)
                finally:
                    show.close()

            if rise_available():
                run.step("slides", slides)

            if lesson == NAMES_LESSON:
                run.step("names", lambda: setattr(run, "names", names_lab(page)))

            def pokes():
                run.pokes = browser.check_widgets_respond(page, name)
                browser.screenshot(page, f"{name}-page")

            run.step("widgets respond", pokes)
        finally:
            self.lab_page.finish(relpath)
        return run

    def _first_day_copy(self, run, lesson):
        """Step 1 on a copy of the lesson that nothing has opened on this server."""
        copy = self.lab.root / "first-day" / lesson
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / "notebooks" / lesson, copy)
        relpath = f"first-day/{lesson}"
        try:
            run.unrun = unrun_page(self.lab_page.open(relpath), lesson)
        finally:
            self.lab_page.finish(relpath)


# ---- step 1: the lesson before it is run (tests/test_browser_prerun.py) ------------------

def stored_outputs(notebook):
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    return [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]


def stored_widget_outputs(notebook):
    return [o for o in stored_outputs(notebook) if browser.WIDGET_VIEW in o.get("data", {})]


def stored_pictures(notebook):
    """Pictures the stored outputs show: PNG outputs, and the <img> of HTML outputs (an animation's frame)."""
    return sum(1 if "image/png" in o.get("data", {}) else "".join(o.get("data", {}).get("text/html", "")).count("<img")
               for o in stored_outputs(notebook))


# The lesson's tab marks unsaved changes (the dot closing the tab asks about).
CHANGED = "() => !!document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty')"
# How long after its kernel is ready an untouched lesson must still show no changes.
# JupyterLab's widget manager restores a notebook's `widgets` metadata (which marks it
# changed) about 0.3 s after the kernel is ready (measured on lessons that kept it).
UNCHANGED_FOR_S = 1.0


def unrun_page(page, lesson):
    """What the open, un-run lesson shows: a record for tests/test_browser_prerun.py.

    `page` has the lesson open, its kernel ready.  JupyterLab renders a long notebook's
    cells progressively, so this first waits (up to 60 s) until every stored picture is
    on the page and has loaded; then whether the lesson shows unsaved changes, at least
    UNCHANGED_FOR_S after it opened.
    """
    opened = time.monotonic()
    notebook = ROOT / "notebooks" / lesson
    expected = stored_pictures(notebook)
    images = page.locator(".jp-OutputArea-output img")
    try:
        page.wait_for_function(
            """n => { const imgs = document.querySelectorAll('.jp-OutputArea-output img');
                      return imgs.length >= n && Array.from(imgs).every(i => i.complete && i.naturalWidth > 0); }""",
            arg=expected, timeout=60_000)
    except Exception as error:  # playwright's TimeoutError: the test reports the counts instead
        if "Timeout" not in type(error).__name__:
            raise
    sources = [src or "" for src in images.evaluate_all("imgs => imgs.map(i => i.getAttribute('src'))")]
    pictures = ["".join(o["data"].get("image/png", "")).replace("\n", "") for o in stored_widget_outputs(notebook)]
    found = [next((i for i, src in enumerate(sources) if picture[:200] in src), None) if picture else None
             for picture in pictures]
    if found and found[0] is not None:
        browser.screenshot(page, f"prerun-{lesson.removesuffix('.ipynb')}", images.nth(found[0]))
    # Imported here, as tests/browser.py does: without playwright the browser tests skip.
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    left_s = UNCHANGED_FOR_S - (time.monotonic() - opened)
    if left_s > 0:  # a lesson with few pictures is quick to show: give the change its time
        try:
            page.wait_for_function(CHANGED, timeout=left_s * 1000)
        except PlaywrightTimeout:  # no change came, as it should be
            pass
    return {"changed": page.evaluate(CHANGED), "stored": expected, "shown": len(sources),
            # The outputs' text only: the lessons' prose may name these errors (lesson 00's
            # Troubleshooting does).
            "text": "\n".join(page.locator(".jp-NotebookPanel .jp-OutputArea-output").all_inner_texts()),
            "widget_pictures": len(pictures),
            "widget_pictures_missing": sum(i is None for i in found)}


# ---- step 6: lesson 09's NameLab (tests/test_browser_names.py) ----------------------------

NAMES_LESSON = "09-words.ipynb"


def names_lab(page):
    """The learner's path through lesson 09's "Try this": type `q`, press "sample 10 names".

    Returns what the widget showed: whether typing changed the bars, its message after
    typing, and the names listed after sampling.
    """
    output = browser.widget_outputs(page).first
    image = output.locator(".widget-image").first
    box = output.locator(".widget-text input").first
    box.scroll_into_view_if_needed()
    browser.screenshot(page, "names-lab-start", output)

    before = browser.image_src(image)
    box.click()
    box.type("q")
    after = browser.wait_until_changed(page, image, before)
    record = {"typing_changed_the_bars": after != before, "message_after_typing": output.inner_text()}

    output.locator("button:has-text('sample 10 names')").click()
    page.wait_for_function(
        "el => /seed 0/.test(el.textContent)", arg=output.element_handle(), timeout=60_000)
    listed = re.search(r"seed 0:\s*(.+)", output.inner_text()).group(1)
    record["names"] = [n.strip() for n in listed.split(",") if n.strip()]
    browser.screenshot(page, "names-lab-q-and-samples", output)
    return record
