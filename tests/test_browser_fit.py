"""Every course widget fits a 1024-pixel-wide JupyterLab window (issue 10).

A learner on a small laptop, or a teacher on a 1024 x 768 projector, opens a
lesson: JupyterLab's main area is about 1000 pixels wide once the left side
bar is folded away.  Nothing of a widget may be cut off there, or need a
horizontal scroll bar: not the picture, not a slider's number at its right end.

The gallery notebook (tests/gallery/widgets.ipynb) shows every widget.  The
test runs it in Chromium at that width and measures, for each widget, where
its right-most visible piece ends (tests/gallery_run.py, which runs the gallery once
for this test and test_browser.py).  Screenshots go to test-artifacts/fit-*.png.
"""
from tests.gallery_run import WINDOW, widget_cells



def test_every_widget_fits_a_1024_pixel_wide_window(gallery_run):
    # The gallery is run once for this test and test_browser.py's (tests/gallery_run.py),
    # in a 1024x768 window with the left side bar folded.
    run = gallery_run
    run.check("run", "fit")
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
