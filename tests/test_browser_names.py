"""Lesson 09's NameLab in real JupyterLab, in a real browser: type in its box, press its button.

tests/test_browser.py moves a slider of every widget; here the learner's own path through the
lesson's "Try this": type `q` (the bars change, "u" wins), press "sample 10 names" (ten names
appear under the button).  Skipped with the reason when Chromium or Playwright is missing; a
failure in CI, where NNF_REQUIRE_BROWSER=1.  Screenshots go to test-artifacts/.
"""
import re

import pytest

from tests import browser


def test_typing_a_prefix_and_sampling_names_in_lesson_09(lab_page):
    # The session's server and page (tests/conftest.py); the lesson gets a kernel of its own.
    relpath = "notebooks/09-words.ipynb"
    try:
        type_and_sample(lab_page.open(relpath))
    finally:
        lab_page.finish(relpath)


def type_and_sample(page):
    browser.run_all(page)
    assert browser.error_outputs(page) == []
    assert browser.wait_for_widgets(page, 1) == 1
    output = browser.widget_outputs(page).first
    image = output.locator(".widget-image").first
    box = output.locator(".widget-text input").first
    box.scroll_into_view_if_needed()
    browser.screenshot(page, "names-lab-start", output)

    before = browser.image_src(image)
    box.click()
    box.type("q")
    after = browser.wait_until_changed(page, image, before)
    assert after != before, "typing q did not change the bars"
    assert "..q" in output.inner_text()        # the message under the picture names the window

    output.locator("button:has-text('sample 10 names')").click()
    page.wait_for_function(
        "el => /seed 0/.test(el.textContent)", arg=output.element_handle(), timeout=60_000)
    text = output.inner_text()
    listed = re.search(r"seed 0:\s*(.+)", text).group(1)
    assert len([n for n in listed.split(",") if n.strip()]) == 10, listed
    browser.screenshot(page, "names-lab-q-and-samples", output)
