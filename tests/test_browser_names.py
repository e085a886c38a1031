"""Lesson 09's NameLab in real JupyterLab, in a real browser: type in its box, press its button.

tests/test_browser.py moves a slider of every widget; here the learner's own path through the
lesson's "Try this": type `q` (the bars change, "u" wins), press "sample 10 names" (ten names
appear under the button).  Done on lesson 09's browser run, after its Run All and its slide
walk (tests/lesson_runs.py, step 6).  Skipped with the reason when Chromium or Playwright is
missing; a failure in CI, where NNF_REQUIRE_BROWSER=1.  Screenshots go to test-artifacts/.
"""
from tests.lesson_runs import NAMES_LESSON


def test_typing_a_prefix_and_sampling_names_in_lesson_09(lesson_runs):
    run = lesson_runs.get(NAMES_LESSON)
    run.check("run", "names")
    assert run.errors == [], f"notebooks/{NAMES_LESSON} shows an error"
    assert run.drawn == 1, f"expected lesson 09's one widget to draw, {run.drawn} did"
    names = run.names
    assert names["typing_changed_the_bars"], "typing q did not change the bars"
    assert "..q" in names["message_after_typing"], \
        f"the message under the picture does not name the window: {names['message_after_typing']!r}"
    assert len(names["names"]) == 10, names["names"]
