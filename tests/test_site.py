"""The static site (python3 course.py site): lessons as web pages from their stored outputs."""
import base64
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tools import build_site

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MATHJAX = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    dest = tmp_path_factory.mktemp("site")
    build_site.build_site(dest)
    return dest


class Tags(HTMLParser):
    """Every start tag of a page, as (tag, {attribute: value}), plus the text of <a> and <li>."""

    def __init__(self, text):
        super().__init__()
        self.tags, self.links, self._link = [], [], None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "a":
            self._link = [attrs.get("href"), ""]

    def handle_data(self, data):
        if self._link is not None:
            self._link[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0], self._link[1].strip()))
            self._link = None


def notebook(path):
    return json.loads(path.read_text(encoding="utf-8"))


def first_heading(nb):
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip().replace("*", "").replace("`", "")
    raise AssertionError("no heading")


def outputs(nb):
    return [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]


def stored_pngs(nb):
    """The figures stored in a notebook (image/png outputs), as base64 text."""
    out = []
    for o in outputs(nb):
        png = o.get("data", {}).get("image/png")
        if png:
            out.append("".join(png).replace("\n", ""))
    return out


def last_frames(nb, model_id):
    """The Image pictures inside a stored widget, found by following its children."""
    state = nb["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    frames, todo = [], [model_id]
    while todo:
        model = state[todo.pop(0)]
        if model["model_name"] == "ImageModel":
            frames += [b["data"] for b in model.get("buffers", []) if b["path"] == ["value"]]
        todo += [ref.removeprefix("IPY_MODEL_") for ref in model["state"].get("children", [])]
    return frames


def widget_ids(nb):
    return [o["data"][WIDGET_VIEW]["model_id"] for o in outputs(nb) if WIDGET_VIEW in o.get("data", {})]


def test_the_lessons_exist():
    assert len(LESSONS) >= 2


def test_index_lists_every_lesson_in_order_with_links_that_exist(site):
    index = Tags((site / "index.html").read_text(encoding="utf-8"))
    links = [(href, text) for href, text in index.links if href.endswith(".html")]
    assert [href for href, _ in links] == [p.stem + ".html" for p in LESSONS]
    assert [text for _, text in links] == [first_heading(notebook(p)) for p in LESSONS]
    for href, _ in links:
        assert (site / href).is_file(), f"index links to {href}, which was not written"


def test_every_lesson_page_embeds_its_figures_as_png_images(site):
    for path in LESSONS:
        page = (site / f"{path.stem}.html").read_text(encoding="utf-8")
        images = [a.get("src", "") for tag, a in Tags(page).tags if tag == "img"]
        png = [src for src in images if src.startswith("data:image/png;base64,")]
        assert png, f"{path.name}: no embedded PNG image"
        for figure in stored_pngs(notebook(path)):
            assert f"data:image/png;base64,{figure}" in images, f"{path.name}: a stored figure is missing"


def test_widgets_are_shown_as_their_last_frame_with_a_caption(site):
    with_widgets = 0
    for path in LESSONS:
        nb = notebook(path)
        ids = widget_ids(nb)
        page = (site / f"{path.stem}.html").read_text(encoding="utf-8")
        images = [a.get("src", "") for tag, a in Tags(page).tags if tag == "img"]
        for model_id in ids:
            frames = last_frames(nb, model_id)
            assert frames, f"{path.name}: widget {model_id} has no stored picture (was it executed?)"
            for frame in frames:
                base64.b64decode(frame, validate=True)
                assert f"data:image/png;base64,{frame}" in images, f"{path.name}: a widget's last frame is missing"
        assert page.count(build_site.CAPTION) == len(ids)
        for leftover in (WIDGET_VIEW, "widget-state+json", "IPY_MODEL_", "jupyter-widgets/html-manager"):
            assert leftover not in page, f"{path.name} still holds {leftover}"
        with_widgets += bool(ids)
    assert with_widgets, "no lesson has a widget, so nothing was checked"


def test_pages_load_nothing_from_the_network_but_mathjax(site):
    for page_path in sorted(site.glob("*.html")):
        page = page_path.read_text(encoding="utf-8")
        for tag, attrs in Tags(page).tags:
            for attr in ("src", "href"):
                url = attrs.get(attr) or ""
                if tag in ("script", "link", "img", "iframe") and re.match(r"(https?:)?//", url):
                    assert url.startswith(MATHJAX), f"{page_path.name}: <{tag}> loads {url}"
        assert "require.min.js" not in page and "unpkg.com" not in page


def test_links_between_lessons_point_at_their_pages(site):
    names = {p.name for p in LESSONS}
    for path in LESSONS:
        page = (site / f"{path.stem}.html").read_text(encoding="utf-8")
        hrefs = [a.get("href", "") for tag, a in Tags(page).tags if tag == "a"]
        assert "index.html" in hrefs, f"{path.name} has no link back to the contents"
        stale = [h for h in hrefs if h.split("#")[0] in names]
        assert stale == [], f"{path.name} still links to notebooks: {stale}"


# ---- the widget replacement on a made-up notebook ---------------------------------

def made_up_notebook(image_state):
    import nbformat

    nb = nbformat.v4.new_notebook()
    view = {WIDGET_VIEW: {"model_id": "box", "version_major": 2, "version_minor": 0}, "text/plain": "VBox()"}
    nb.cells.append(nbformat.v4.new_code_cell("w", outputs=[nbformat.v4.new_output("execute_result", data=view,
                                                                                   execution_count=1)]))
    state = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_row"], "layout": "IPY_MODEL_lay"}},
        "row": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_slider", "IPY_MODEL_img"]}},
        "slider": {"model_name": "FloatSliderModel", "state": {"value": 1.0}},
        "lay": {"model_name": "LayoutModel", "state": {}},
        "img": image_state,
    }
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json":
                              {"state": state, "version_major": 2, "version_minor": 0}}
    return nb


@pytest.mark.parametrize("image_state", [
    {"model_name": "ImageModel", "state": {"format": "png"},
     "buffers": [{"path": ["value"], "encoding": "base64", "data": "iVBORw0KGgo="}]},
    {"model_name": "ImageModel", "state": {"format": "png", "value": "iVBORw0KGgo="}},
])
def test_freeze_widgets_finds_the_image_deep_inside_a_widget(image_state):
    nb, replaced = build_site.freeze_widgets(made_up_notebook(image_state))
    assert replaced == 1 and "widgets" not in nb.metadata
    data = [o["data"] for o in nb.cells[0].outputs]
    assert data[0] == {"image/png": "iVBORw0KGgo="}
    assert build_site.CAPTION in data[1]["text/html"]


def test_freeze_widgets_without_stored_state_leaves_the_caption_only():
    nb = made_up_notebook({"model_name": "ImageModel", "state": {}})
    del nb.metadata["widgets"]
    frozen, replaced = build_site.freeze_widgets(nb)
    assert replaced == 1
    assert [list(o["data"]) for o in frozen.cells[0].outputs] == [["text/html"]]


def test_build_refuses_to_replace_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(SystemExit):
        build_site.build_site(tmp_path)
    assert (tmp_path / "precious.txt").exists()


def test_course_py_site_builds_the_site(tmp_path):
    dest = tmp_path / "out"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_site.py"), str(dest)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (dest / "index.html").exists()
    import course
    assert "site" in course.COMMANDS and "dist" in course.COMMANDS
