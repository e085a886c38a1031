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

A report of every step goes to test-artifacts/slides-report.txt; each lesson's first
and fullest steps are saved as test-artifacts/slides-<lesson>-first.png and -fullest.png.
New lessons in notebooks/ are measured too: a failure lists the step and the cells on it
(index, first line, height or words), which tells where to start a subslide.
Skipped with the reason when Chromium, Playwright or jupyterlab_rise is missing; a
failure in CI, where NNF_REQUIRE_BROWSER=1.
"""
import json
import os
import time
from pathlib import Path

import pytest

from tests import browser

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
VIEWPORT = {"width": 1280, "height": 720}
MAX_WORDS = 120
MAX_HEIGHT = 0.95  # of the slide's height: RISE's `scroll` adds a scroll bar past it
WIDTH_SLACK = 8  # px: a table's or a formula's border may touch the edge; nothing is cut by that
REPORT = browser.ARTIFACTS / "slides-report.txt"


def require_rise():
    try:
        import jupyterlab_rise  # noqa: F401
    except ImportError:
        reason = "jupyterlab_rise is not installed (it is in the test extra: pip install -e '.[test]')"
        if os.environ.get("NNF_REQUIRE_BROWSER") == "1":
            pytest.fail(f"the slideshow test is required here (NNF_REQUIRE_BROWSER=1) but {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    browser.require_browser()
    require_rise()
    server = browser.JupyterLab(tmp_path_factory.mktemp("lab"), folders=("notebooks",))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def report():
    lines = []
    yield lines
    browser.ARTIFACTS.mkdir(exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---- measuring one step ------------------------------------------------------------

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


def settled_step(page, timeout_s=20.0):
    """The present step's measures once its markdown, math and pictures have settled."""
    deadline = time.time() + timeout_s
    last = None
    while time.time() < deadline:
        page.wait_for_timeout(300)
        step = page.evaluate(STEP)
        if step and not step["loading"] and step == last:
            return step
        last = step
    return last


def step_key(step):
    return (step["id"], step["shownFragments"])


def walk_the_show(page, name):
    """Press Space from the first step to the last; returns every step's measures.

    The first step and the fullest one are saved as screenshots.
    """
    steps = [settled_step(page)]
    browser.screenshot(page, f"slides-{name}-first")
    fullest = 0
    while True:
        page.keyboard.press("Space")
        deadline = time.time() + 10
        while time.time() < deadline:
            page.wait_for_timeout(150)
            now = page.evaluate(STEP)
            if now and step_key(now) != step_key(steps[-1]):
                break
        else:
            return steps  # Space no longer moves: the last step
        steps.append(settled_step(page))
        if steps[-1]["height"] > fullest:
            fullest = steps[-1]["height"]
            browser.screenshot(page, f"slides-{name}-fullest")
        assert len(steps) < 400, "the slideshow never ends"


# ---- the lesson's own cells ------------------------------------------------------------

def notebook_cells(lesson):
    return json.loads(lesson.read_text(encoding="utf-8"))["cells"]


def first_line(cell):
    text = "".join(cell["source"]).strip()
    return text.splitlines()[0][:60] if text else ""


def widget_cells(cells):
    return [i for i, c in enumerate(cells) if c["cell_type"] == "code" and any(
        "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in c.get("outputs", []))]


def describe(step, cells, what):
    inner = ", ".join(f"cell {c['index']} {first_line(cells[c['index']])!r} ({c[what]})"
                      for c in step["cells"] if c[what])
    return f"{step['hash'] or step['id']}: {inner}"


# ---- the test -----------------------------------------------------------------------------

def open_slideshow(context, lab, lesson):
    """Run the lesson in JupyterLab and save it, then open its slideshow page full window."""
    relpath = f"notebooks/{lesson.name}"
    notebook = context.new_page()
    browser.open_notebook(notebook, lab, relpath)
    browser.run_all(notebook)
    notebook.keyboard.press("Control+s")
    notebook.wait_for_function(
        "() => !document.querySelector('.jp-mod-current .jp-mod-dirty, .lm-TabBar-tab.jp-mod-current.jp-mod-dirty')",
        timeout=30_000)
    show = context.new_page()
    show.goto(f"{lab.url}/rise/{relpath}?token={lab.token}")
    show.wait_for_selector(".reveal .slides section.present .jp-Cell", timeout=120_000)
    show.locator(".reveal .slides").focus()
    return notebook, show


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_every_slide_step_fits_a_1280x720_projector(lab, chromium, report, lesson):
    context = chromium.new_context(viewport=VIEWPORT)
    try:
        notebook, show = open_slideshow(context, lab, lesson)
        steps = walk_the_show(show, lesson.stem)
        cells = notebook_cells(lab.root / "notebooks" / lesson.name)
    finally:
        context.close()

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
