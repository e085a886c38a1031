"""The static site (python3 course.py site): lessons as web pages from their stored outputs."""
import base64
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tools import build_site

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MATHJAX = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/"


@pytest.fixture(scope="module")
def site(built_site):
    """The folder that tools/build_site.py (`python3 course.py site`) wrote (tests/conftest.py)."""
    dest, result = built_site
    assert result.returncode == 0, result.stderr
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
    """The figures stored in a notebook (image/png outputs that are not widgets), as base64 text."""
    out = []
    for o in outputs(nb):
        png = o.get("data", {}).get("image/png")
        if png and WIDGET_VIEW not in o.get("data", {}):
            out.append("".join(png).replace("\n", ""))
    return out


def last_frames(nb, model_id):
    """The Image pictures inside a stored widget, found by following its children."""
    state = nb["metadata"][build_site.SITE_WIDGET_STATE][build_site.WIDGET_STATE]["state"]
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
    links = [(href, text) for href, text in index.links
             if href.endswith(".html") and not href.endswith("-exercise.html") and href != "library.html"]
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


def all_pages(site):
    return sorted(site.glob("*.html"))


def test_no_link_leaves_the_site(site):
    """Every href and src is a page of the site, an anchor, an embedded picture, or MathJax's script."""
    pages = {p.name for p in all_pages(site)}
    checked = 0
    for page_path in all_pages(site):
        page = page_path.read_text(encoding="utf-8")
        for tag, attrs in Tags(page).tags:
            for attr in ("src", "href"):
                url = attrs.get(attr)
                if url is None:
                    continue
                checked += 1
                if tag == "script" and attr == "src" and url.startswith(MATHJAX):
                    continue
                if url.startswith("#") or (attr == "src" and url.startswith("data:image/")):
                    continue
                target = url.split("#")[0]
                assert target in pages, f"{page_path.name}: <{tag} {attr}={url[:80]!r}> leaves the site"
        assert "require.min.js" not in page and "unpkg.com" not in page
    assert checked > 200


def test_links_between_lessons_point_at_their_pages(site):
    names = {p.name for p in LESSONS}
    for path in LESSONS:
        page = (site / f"{path.stem}.html").read_text(encoding="utf-8")
        hrefs = [a.get("href", "") for tag, a in Tags(page).tags if tag == "a"]
        assert "index.html" in hrefs, f"{path.name} has no link back to the contents"
        stale = [h for h in hrefs if h.split("#")[0] in names]
        assert stale == [], f"{path.name} still links to notebooks: {stale}"


def test_practice_links_open_the_exercise_page(site):
    """A lesson's link to the learner's copy (workspace/NN.ipynb) opens that exercise's page."""
    found = 0
    for path in LESSONS:
        text = path.read_text(encoding="utf-8")
        for name in sorted(set(re.findall(r"\(\.\./workspace/([\w-]+)\.ipynb\)", text))):
            if not (ROOT / "exercises" / f"{name}.ipynb").exists():
                continue  # a lesson whose exercise is still being written
            page = (site / f"{path.stem}.html").read_text(encoding="utf-8")
            assert f'href="{name}-exercise.html"' in page, f"{path.name}: no link to {name}-exercise.html"
            found += 1
    assert found >= 6


def test_every_picture_has_the_alt_text_of_its_caption(site):
    for page_path in all_pages(site):
        for tag, attrs in Tags(page_path.read_text(encoding="utf-8")).tags:
            if tag == "img":
                alt = (attrs.get("alt") or "").strip()
                assert len(alt) > 20 and "No description" not in alt, f"{page_path.name}: an image has alt {alt!r}"
    for path in LESSONS:
        nb = notebook(path)
        page = (site / f"{path.stem}.html").read_text(encoding="utf-8")
        alts = [a.get("alt") for tag, a in Tags(page).tags if tag == "img"]
        for cell in nb["cells"]:
            pictures = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})
                        or WIDGET_VIEW in o.get("data", {}) or "<img" in "".join(o.get("data", {}).get("text/html", ""))]
            if pictures:
                caption = cell["metadata"].get("mystnb", {}).get("figure", {}).get("caption", "")
                assert len(caption.split()) >= 8, f"{path.name} {cell.get('id')}: no figure caption in its metadata"
                assert caption in alts, f"{path.name} {cell.get('id')}: its caption is not the picture's alt text"


def test_exercise_pages_are_not_run_and_say_how_to_do_them(site):
    exercises = sorted((ROOT / "exercises").glob("*.ipynb"))
    assert exercises
    index = (site / "index.html").read_text(encoding="utf-8")
    for path in exercises:
        page_name = f"{path.stem}-exercise.html"
        page = (site / page_name).read_text(encoding="utf-8")
        assert f'href="{page_name}"' in index, f"the contents do not list {page_name}"
        assert f"workspace/{path.name}" in page and "python3 course.py lab" in page
        assert "nothing in it has run" in page
        assert "raise NotImplementedError()" in page  # the stubs, as the learner gets them
        shown = [tag for tag, a in Tags(page).tags
                 if tag == "img" or "jp-OutputArea-output" in (a.get("class") or "").split()]
        assert shown == [], f"{page_name} shows outputs, so it was run"
        lesson = ROOT / "notebooks" / path.name
        if lesson.exists():
            assert f'href="{path.stem}.html"' in page, f"{page_name} does not link its lesson"
            assert f'href="{page_name}"' in (site / f"{path.stem}.html").read_text(encoding="utf-8")


def test_every_nnlib_module_has_a_source_page(site):
    library = (site / "library.html").read_text(encoding="utf-8")
    for path in sorted((ROOT / "nnlib").rglob("*.py")):
        rel = path.relative_to(ROOT)
        name = ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
        page = site / f"{name}.html"
        assert page.is_file(), f"no page for {rel}"
        assert f'href="{name}.html"' in library
        first_def = re.search(r"^(?:def|class) (\w+)", path.read_text(encoding="utf-8"), flags=re.M)
        if first_def:
            assert first_def.group(1) in page.read_text(encoding="utf-8")


def test_links_to_files_without_a_page_become_text_with_their_address():
    page = ('<p><a href="../nnlib/engine.py">the engine</a> <a href="../docs/teaching.md">guide</a> '
            '<a href="https://example.org/book">a book</a> <a href="#top">top</a> '
            '<a href="../workspace/01-xor.ipynb#task-1">practice</a></p>')
    pages = {"nnlib/engine.py": "nnlib.engine.html", "workspace/01-xor.ipynb": "01-xor-exercise.html"}
    out = build_site.keep_links_inside(page, "notebooks", pages)
    hrefs = [a.get("href") for tag, a in Tags(out).tags if tag == "a"]
    assert hrefs == ["nnlib.engine.html", "#top", "01-xor-exercise.html#task-1"]
    text = re.sub(r"<[^>]+>", "", out)
    assert "guide (docs/teaching.md in the course folder)" in text
    assert "a book (https://example.org/book)" in text


def test_the_playgrounds_stored_frame_shows_a_trained_network():
    """Lesson 06 trains the Playground from code before it is saved, so its last frame is not epoch 0."""
    nb = notebook(ROOT / "notebooks" / "06-putting-it-together.ipynb")
    state = nb["metadata"][build_site.SITE_WIDGET_STATE][build_site.WIDGET_STATE]["state"]
    cell = next(c for c in nb["cells"] if "Playground()" in "".join(c["source"]))
    model_id = widget_ids({"cells": [cell]})[0]
    labels, todo = [], [model_id]
    while todo:
        model = state[todo.pop(0)]
        if model["model_name"] == "LabelModel":
            labels.append(model["state"]["value"])
        todo += [ref.removeprefix("IPY_MODEL_") for ref in model["state"].get("children", [])]
    epochs = [int(m.group(1)) for label in labels for m in [re.match(r"epoch (\d+)", label)] if m]
    assert epochs and epochs[0] >= 50, f"the Playground was stored at {labels}"
    assert last_frames(nb, model_id), "no stored picture of the Playground"


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


def test_freeze_widgets_reads_the_state_the_lessons_keep_under_the_courses_own_key():
    nb = made_up_notebook({"model_name": "ImageModel", "state": {"format": "png", "value": "iVBORw0KGgo="}})
    nb.metadata[build_site.SITE_WIDGET_STATE] = nb.metadata.pop("widgets")
    frozen, replaced = build_site.freeze_widgets(nb)
    assert replaced == 1 and build_site.SITE_WIDGET_STATE not in frozen.metadata
    assert frozen.cells[0].outputs[0]["data"] == {"image/png": "iVBORw0KGgo="}


def test_freeze_widgets_prefers_the_state_jupyterlab_saved_over_the_courses():
    """A teacher ran a lesson and saved it: its outputs name the models JupyterLab saved under `widgets`."""
    nb = made_up_notebook({"model_name": "ImageModel", "state": {"format": "png", "value": "TkVX"}})
    old = made_up_notebook({"model_name": "ImageModel", "state": {"format": "png", "value": "T0xE"}})
    nb.metadata[build_site.SITE_WIDGET_STATE] = old.metadata["widgets"]
    frozen, _ = build_site.freeze_widgets(nb)
    assert frozen.cells[0].outputs[0]["data"] == {"image/png": "TkVX"}
    assert "widgets" not in frozen.metadata and build_site.SITE_WIDGET_STATE not in frozen.metadata


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


def test_course_py_site_builds_the_site(built_site):
    dest, result = built_site
    assert result.returncode == 0, result.stderr
    assert (dest / "index.html").exists()
    assert f"open {dest.resolve() / 'index.html'}" in result.stdout  # it says where the site is
    import course
    assert "site" in course.COMMANDS and "dist" in course.COMMANDS


def test_freeze_widgets_without_state_uses_the_picture_in_the_output():
    """A notebook saved without widget state still shows the frame nnlib's widget put in its output."""
    nb = made_up_notebook({"model_name": "ImageModel", "state": {}})
    del nb.metadata["widgets"]
    nb.cells[0].outputs[0]["data"]["image/png"] = "iVBORw0KGgo="
    frozen, replaced = build_site.freeze_widgets(nb)
    assert replaced == 1
    assert frozen.cells[0].outputs[0]["data"] == {"image/png": "iVBORw0KGgo="}


def test_alt_text_comes_from_the_cells_caption():
    import nbformat

    nb = nbformat.v4.new_notebook()
    picture = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})
    player = nbformat.v4.new_output("display_data", data={"text/html": '<div><img alt="x" src="data:,"></div>'})
    nb.cells.append(nbformat.v4.new_code_cell("plot()", outputs=[picture, player],
                                              metadata={"mystnb": {"figure": {"caption": "A falling loss curve."}}}))
    nb.cells.append(nbformat.v4.new_code_cell("plot()", outputs=[nbformat.v4.new_output(
        "display_data", data={"image/png": "iVBORw0KGgo="})]))
    assert build_site.add_alt_text(nb) == 1  # the second cell has no caption
    assert nb.cells[0].outputs[0]["metadata"]["nnf_alt"] == "A falling loss curve."
    assert 'alt="A falling loss curve."' in nb.cells[0].outputs[1]["data"]["text/html"]
    page, _ = build_site.exporter().from_notebook_node(nb, resources={"nnf_nav": "", "nnf_note": ""})
    assert 'alt="A falling loss curve."' in page


# ---- found by a mutation audit: what the tests above did not pin down --------------

def records(*titles):
    return [{"page": f"0{i}-l.html", "title": t} for i, t in enumerate(titles)]


def test_each_lesson_page_links_the_previous_and_next_lesson_and_its_exercise():
    lessons = records("Start here", "XOR", "Words")
    links = [Tags(build_site.navigation(lessons, i)).links for i in range(3)]
    assert links[0] == [("index.html", "Contents"), ("01-l.html", "XOR →")]
    assert links[1] == [("index.html", "Contents"), ("00-l.html", "← Start here"), ("02-l.html", "Words →")]
    assert links[2] == [("index.html", "Contents"), ("01-l.html", "← XOR")]
    with_exercise = Tags(build_site.navigation(lessons, 1, {"page": "01-l-exercise.html"})).links
    assert with_exercise[-1] == ("01-l-exercise.html", "Exercise")


def test_an_exercise_page_links_back_to_its_lesson():
    links = Tags(build_site.exercise_navigation({"page": "01-xor-exercise.html"},
                                                {"page": "01-xor.html", "title": "XOR"})).links
    assert links == [("index.html", "Contents"), ("01-xor.html", "The lesson: XOR")]
    assert Tags(build_site.exercise_navigation({"page": "x-exercise.html"}, None)).links == [
        ("index.html", "Contents")]


def test_a_lessons_title_is_its_first_heading_without_markup():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("Some words first."),
                nbformat.v4.new_markdown_cell("## 01 · **Why** `XOR` needs _two_ layers ##\n# Later")]
    assert build_site.lesson_title(nb, "fallback") == "01 · Why XOR needs two layers"
    assert build_site.lesson_title(nbformat.v4.new_notebook(), "fallback") == "fallback"


def test_a_widget_with_several_pictures_shows_them_all_in_display_order():
    models = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_a", "IPY_MODEL_row"]}},
        "row": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_b", "IPY_MODEL_c"]}},
        "a": {"model_name": "ImageModel", "state": {"format": "png", "value": "QQ=="}},
        "b": {"model_name": "ImageModel", "state": {"format": "png", "value": "Qg=="}},
        "c": {"model_name": "ImageModel", "state": {"format": "png", "value": "Qw=="}},
    }
    assert build_site.widget_images(models, "box") == [
        ("image/png", "QQ=="), ("image/png", "Qg=="), ("image/png", "Qw==")]
    nb = made_up_notebook(models["a"])
    nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"] = models
    frozen, _ = build_site.freeze_widgets(nb)
    assert [list(o["data"].values())[0] for o in frozen.cells[0].outputs][:3] == ["QQ==", "Qg==", "Qw=="]


def test_an_image_stored_as_hex_or_as_a_jpeg_keeps_its_bytes_and_type():
    png = bytes.fromhex("89504e470d0a1a0a")
    hexed = {"model_name": "ImageModel", "state": {"format": "png"},
             "buffers": [{"path": ["value"], "encoding": "hex", "data": png.hex()}]}
    mime, data = build_site.image_of(hexed)
    assert mime == "image/png" and base64.b64decode(data) == png
    jpeg = {"model_name": "ImageModel", "state": {"format": "JPEG", "value": "/9j/"}}
    assert build_site.image_of(jpeg) == ("image/jpeg", "/9j/")
    assert build_site.image_of({"model_name": "ImageModel", "state": {"format": "svg+xml", "value": "PHN2Zz4="}}) is None


def test_relative_links_on_an_exercise_page_are_read_from_the_exercises_folder():
    pages = {"exercises/02-activation-functions.ipynb": "02-activation-functions-exercise.html",
             "notebooks/02-activation-functions.ipynb": "02-activation-functions.html"}
    page = ('<a href="02-activation-functions.ipynb">next exercise</a> '
            '<a href="../notebooks/02-activation-functions.ipynb">the lesson</a>')
    hrefs = [a["href"] for tag, a in Tags(build_site.keep_links_inside(page, "exercises", pages)).tags if tag == "a"]
    assert hrefs == ["02-activation-functions-exercise.html", "02-activation-functions.html"]


def test_a_widget_whose_image_holds_no_picture_falls_back_to_its_output():
    nb = made_up_notebook({"model_name": "ImageModel", "state": {"format": "png"}})  # state, but no bytes
    nb.cells[0].outputs[0]["data"]["image/png"] = "iVBORw0KGgo="
    frozen, replaced = build_site.freeze_widgets(nb)
    assert replaced == 1
    assert [o["data"] for o in frozen.cells[0].outputs][0] == {"image/png": "iVBORw0KGgo="}


def test_a_picture_in_html_without_caption_or_alt_is_counted_as_uncaptioned():
    import nbformat

    nb = nbformat.v4.new_notebook()
    player = nbformat.v4.new_output("display_data", data={"text/html": '<div><img src="data:,"></div>'})
    nb.cells.append(nbformat.v4.new_code_cell("animate()", outputs=[player]))
    assert build_site.add_alt_text(nb) == 1


def test_a_link_whose_text_is_its_address_is_not_written_twice_and_nnlib_opens_the_library():
    page = ('<a href="https://numpy.org">https://numpy.org</a> '
            '<a href="../nnlib/">the library</a>')
    pages = build_site.page_map([{"source": Path("notebooks/01-xor.ipynb"), "page": "01-xor.html"}],
                                [{"source": Path("exercises/01-xor.ipynb"), "page": "01-xor-exercise.html"}],
                                [{"path": "nnlib/engine.py", "page": "nnlib.engine.html"}])
    assert pages == {"notebooks/01-xor.ipynb": "01-xor.html", "exercises/01-xor.ipynb": "01-xor-exercise.html",
                     "workspace/01-xor.ipynb": "01-xor-exercise.html", "nnlib/engine.py": "nnlib.engine.html",
                     "nnlib": "library.html"}
    out = build_site.keep_links_inside(page, "notebooks", pages)
    assert [a["href"] for tag, a in Tags(out).tags if tag == "a"] == ["library.html"]
    assert re.sub(r"<[^>]+>", "", out).startswith("https://numpy.org ") and out.count("numpy.org") == 1
