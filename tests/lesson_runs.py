"""Each lesson run ONCE in Chromium, and everything that needs a run lesson measured on that run.

Running a lesson (Edit > Clear Outputs, Run > Run All Cells, wait for Idle and for the
widgets' pictures) is the slowest thing the browser tests do.  Two modules need every
lesson run: tests/test_browser.py (no error, every widget draws and answers a poke) and
tests/test_browser_slides.py (every slide step fits a 1280x720 projector, widgets live
on the slides).  Whichever of them asks first runs the lesson; the other reads the
same run's record.  One run does, in this order, what the two tests did before:

1. open the lesson, clear its outputs, Run All, wait for Idle;
2. note the error outputs, wait for the widgets' first pictures and count them;
3. save (Ctrl+S), as a teacher does before class;
4. open its RISE slideshow in a 1280x720 window and press Space through every step,
   measuring each (skipped when jupyterlab_rise is missing: the slides test says why);
5. poke every widget in the notebook and see its picture change; screenshot the page.

A step that fails is recorded with its traceback and the run goes on where it can, so
each test reports the failures of its own steps, naming the lesson and the step.
Afterwards the lesson is closed and its kernel shut down.  The lessons are opened in
turn in one JupyterLab page (tests/browser.py's LabPage), in a 1400x1000 window.
"""
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
        """Raise if the run failed before or at one of `steps` (the ones a test owns)."""
        failed = {s: t for s, t in self.failures.items() if s in ("open and run",) + steps}
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
        try:
            page = None

            def open_and_run():
                nonlocal page
                page = self.lab_page.open(relpath)
                browser.run_all(page)
                run.errors = browser.error_outputs(page)
                run.drawn = browser.wait_for_widgets(page, run.expected or 0)

            if not run.step("open and run", open_and_run):
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

            def pokes():
                run.pokes = browser.check_widgets_respond(page, name)
                browser.screenshot(page, f"{name}-page")

            run.step("widgets respond", pokes)
        finally:
            self.lab_page.finish(relpath)
        return run
