"""Every course widget fits a 1024-pixel-wide JupyterLab window (issue 10).

A learner on a small laptop, or a teacher on a 1024 x 768 projector, opens a
lesson: JupyterLab's main area is about 1000 pixels wide once the left side
bar is folded away.  Nothing of a widget may be cut off there, or need a
horizontal scroll bar: not the picture, not a slider's number at its right end.

The gallery notebook (tests/gallery/widgets.ipynb) shows every widget.  The
test runs it in Chromium at that width and measures, for each widget, where
its right-most visible piece ends.  Screenshots go to test-artifacts/fit-*.png.
"""
from tests.gallery_run import WINDOW, widget_cells

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


def test_every_widget_fits_a_1024_pixel_wide_window(gallery_run):
    # The gallery is run once for this test and test_browser.py's (tests/gallery_run.py),
    # in a 1024x768 window with the left side bar folded.
    run = gallery_run
    run.check("fit")
    assert run.errors == [], "the gallery shows an error"
    expected = widget_cells()
    assert run.drawn == expected, f"expected {expected} widgets with a picture, {run.drawn} drew one"
    main, measured = run.main, run.measured

    # The test is about the widest main area a 1024-pixel window gives (side bar
    # folded; the thin tab bars at both sides stay): about 960 pixels.
    print(main, *measured, sep="\n")
    assert 900 <= main["width"] <= 1024, main
    assert len(measured) == expected
    for i, m in enumerate(measured):
        where = f"widget {i} (cell {i + 2} of the gallery)"
        assert m["content_right"] <= m["right"] + 1, \
            f"{where} sticks out {m['content_right'] - m['right']:.0f} px: {m['widest']}"
        assert m["right"] <= WINDOW["width"], f"{where} ends beyond the window"
        assert not m["scrolls"], f"{where} needs a horizontal scroll bar: {m['scrolls']}"
        assert m["beside"], f"{where}: the picture does not fit beside the controls"
        assert m["image_width"] > 300, f"{where}: the picture is squeezed to {m['image_width']} px"
