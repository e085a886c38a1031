"""A lesson opened before it is run shows each widget's picture, never `VBox(children=...` text.

JupyterLab draws a live widget only in a trusted notebook whose kernel created it.
A fresh copy of the course is not trusted (no signature in the learner's Jupyter
database), so until a widget cell is run JupyterLab shows the next entry of the
output's bundle: nnlib's widgets store the picture as it was when the lesson was
executed (image/png) and a one-line hint as text (nnlib/widgets/base.py).

The server runs with a fresh HOME, as on a learner's first day; nothing is run.
Screenshots go to test-artifacts/prerun-*.png.
"""
import json
from pathlib import Path

import pytest

from tests import browser

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def stored_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]


def widget_outputs(path):
    return [o for o in stored_outputs(path) if WIDGET_VIEW in o.get("data", {})]


def stored_pictures(path):
    """Pictures the stored outputs show: PNG outputs, and the <img> of HTML outputs (an animation's frame)."""
    return sum(1 if "image/png" in o.get("data", {}) else "".join(o.get("data", {}).get("text/html", "")).count("<img")
               for o in stored_outputs(path))


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


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    browser.require_browser()
    server = browser.JupyterLab(tmp_path_factory.mktemp("prerun"), folders=("notebooks",))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def lab_page(chromium, lab):
    """One page on this fresh server, in which the lessons are opened in turn (tests/browser.py)."""
    shared = browser.LabPage(chromium, lab)
    yield shared
    shared.close()


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_an_unrun_lesson_shows_widget_pictures_not_widget_text(lab_page, lesson):
    relpath = f"notebooks/{lesson.name}"
    try:
        # Its kernel starts, as when a learner opens it, but nothing waits for it: nothing is run.
        check_the_unrun_page(lab_page.open(relpath, wait_for_kernel=False), lesson)
    finally:
        lab_page.finish(relpath)


def check_the_unrun_page(page, lesson):
    name = lesson.stem
    # Every stored picture (figures and widgets) is on the page and has loaded.  JupyterLab
    # renders a long notebook's cells progressively, so wait until all of them are there.
    expected = stored_pictures(lesson)
    images = page.locator(".jp-OutputArea-output img")
    page.wait_for_function(
        """n => { const imgs = document.querySelectorAll('.jp-OutputArea-output img');
                  return imgs.length >= n && Array.from(imgs).every(i => i.complete && i.naturalWidth > 0); }""",
        arg=expected, timeout=60_000)
    assert images.count() == expected, f"{lesson.name}: {images.count()} pictures shown, {expected} stored"
    # A widget shown as text would have no picture, so the count above catches it too.
    text = page.locator(".jp-NotebookPanel").inner_text()
    assert "VBox(" not in text and "HBox(" not in text, f"{lesson.name} shows a widget as text"
    assert "Error displaying widget" not in text

    # The widget outputs in particular: the picture from the bundle, shown as an image.
    pictures = ["".join(o["data"]["image/png"]).replace("\n", "") for o in widget_outputs(lesson)]
    sources = [images.nth(i).get_attribute("src") or "" for i in range(images.count())]
    for picture in pictures:
        assert any(picture[:200] in src for src in sources), f"{lesson.name}: a widget's picture is missing"
    shown = next(i for i, src in enumerate(sources) if pictures[0][:200] in src)
    browser.screenshot(page, f"prerun-{name}", images.nth(shown))


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
