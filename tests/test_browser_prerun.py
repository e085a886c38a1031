"""A lesson opened before it is run shows each widget's picture, never `VBox(children=...` text.

JupyterLab draws a live widget only in a trusted notebook whose kernel created it.
A fresh copy of the course is not trusted (no signature in the learner's Jupyter
database), so until a widget cell is run JupyterLab shows the next entry of the
output's bundle: nnlib's widgets store the picture as it was when the lesson was
executed (image/png) and a one-line hint as text (nnlib/widgets/base.py).

Opened and left untouched, a lesson also shows no unsaved changes, so closing it asks
nothing (the widgets' state it keeps for the static site is where JupyterLab does not
restore it: tools/build_site.py's SITE_WIDGET_STATE).

The browser test looks at each lesson when its browser run first opens it, before
anything is run (tests/lesson_runs.py, step 1), on a server with a fresh HOME, as on a
learner's first day.  Screenshots go to test-artifacts/prerun-*.png.
"""
from pathlib import Path

import pytest

from tests.browser import WIDGET_VIEW
from tests.lesson_runs import stored_widget_outputs as widget_outputs

ROOT = Path(__file__).resolve().parent.parent


LESSONS = [p for p in sorted((ROOT / "notebooks").glob("*.ipynb")) if widget_outputs(p)]


def test_every_lesson_has_a_widget_to_check():
    assert len(LESSONS) >= 7


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_stored_widget_outputs_carry_a_picture_and_a_hint(lesson):
    """What JupyterLab falls back to: needs the lessons executed with the current nnlib."""
    for output in widget_outputs(lesson):
        data = output["data"]
        text = "".join(data.get("text/plain", ""))
        assert "VBox(" not in text and text.startswith("Run this cell to use the widget"), \
            f"{lesson.name}: re-execute it (tools/execute.py); its widget text is {text[:60]!r}"
        assert "".join(data.get("image/png", "")), f"{lesson.name}: a widget output has no picture"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_an_unrun_lesson_shows_widget_pictures_not_widget_text(lesson_runs, lesson):
    # Looked at when the lesson's browser run first opens it, before it is run
    # (tests/lesson_runs.py, step 1): the session's server has a fresh HOME, so the
    # lesson is as on a learner's first day, untrusted; its kernel starts, nothing runs.
    run = lesson_runs.get(lesson.name)
    run.check("before running")
    seen = run.unrun
    # Every stored picture (figures and widgets) is on the page and has loaded; a widget
    # shown as text would have no picture, so the count catches it too.
    assert seen["shown"] == seen["stored"], f"{lesson.name}: {seen['shown']} pictures shown, {seen['stored']} stored"
    assert "VBox(" not in seen["text"] and "HBox(" not in seen["text"], f"{lesson.name} shows a widget as text"
    assert "Error displaying widget" not in seen["text"]
    # The widget outputs in particular: the picture from the bundle, shown as an image.
    assert seen["widget_pictures_missing"] == 0, \
        f"{lesson.name}: {seen['widget_pictures_missing']} of its {seen['widget_pictures']} widgets' pictures are missing"
    # Opened and left untouched, the lesson has no unsaved changes: closing it asks nothing.
    assert not seen["changed"], (
        f"{lesson.name} shows unsaved changes as soon as it opens (is widget state stored under "
        f"`widgets` in its metadata? tools/build_site.py's SITE_WIDGET_STATE says why it must not be)")


# ---- the bundle itself, headless -----------------------------------------------------

def widget_classes():
    import inspect

    import nnlib.widgets
    from nnlib.widgets.base import FigureWidget

    found = {}
    for module_name in sorted(p.stem for p in (ROOT / "nnlib" / "widgets").glob("*.py")):
        module = __import__(f"nnlib.widgets.{module_name}", fromlist=["_"])
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and hasattr(cls, "_repr_mimebundle_"):
                found[name] = cls
    assert found, "no widget classes found"
    return found, FigureWidget


def test_every_widget_class_is_a_figure_widget():
    """Every displayable class in nnlib/widgets gets the picture-and-hint bundle from FigureWidget."""
    found, FigureWidget = widget_classes()
    others = [name for name, cls in found.items() if not issubclass(cls, FigureWidget)]
    assert others == [], f"these widgets would still show as VBox(...) text before running: {others}"


@pytest.mark.parametrize("name", ["HelloWidget", "PerceptronWidget", "Playground", "BackpropStepper"])
def test_the_bundle_holds_the_live_widget_the_picture_and_a_one_line_hint(name):
    import base64

    import nnlib.widgets

    widget = getattr(nnlib.widgets, name)()
    bundle = widget._repr_mimebundle_()
    assert set(bundle) == {WIDGET_VIEW, "image/png", "text/plain"}
    assert base64.b64decode(bundle["image/png"]) == widget.frame()  # the picture it shows now
    text = bundle["text/plain"]
    assert "\n" not in text and "VBox" not in text and name in text
    assert text.startswith("Run this cell to use the widget")
    assert bundle[WIDGET_VIEW]["model_id"] == widget._repr_mimebundle_()[WIDGET_VIEW]["model_id"]
