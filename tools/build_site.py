"""Build a static web site of the lessons from their stored outputs (nothing is run).

    python tools/build_site.py            write site/index.html and one page per lesson
    python tools/build_site.py DEST       write them into DEST instead

Each lesson in notebooks/ becomes DEST/<name>.html through nbconvert's HTML
exporter (the "lab" template), with its figures embedded as data: URLs, and
DEST/index.html lists the lessons in order, titled by each notebook's first heading.
Each exercise in exercises/ becomes DEST/<name>-exercise.html, as it is (not run),
under a note that says how to do it; every module of nnlib/ becomes a page of
highlighted source, DEST/nnlib.<module>.html, listed on DEST/nnlib.html.

Figures get their alt text from the caption the lesson gives the cell that draws
them: cell metadata `mystnb: {figure: {caption: ...}}` (MyST-NB's spelling, so
a Jupyter Book of the lessons finds the same captions).

No link leaves the site: links to a lesson, an exercise (also the learner's copy
in workspace/) or an nnlib module point at its page; any other link becomes its
text, followed by the address it pointed to.

Widgets cannot move on a static page, so every widget output is replaced by the
last frame of the widget's picture(s), taken from the widget state that
tools/execute.py stores in the notebook's metadata, with a caption saying to
run the notebook.  The pages load no scripts from the network except MathJax
for the formulas; offline, the formulas stay readable as raw LaTeX.
"""
import argparse
import base64
import copy
import html
import posixpath
import re
import shutil
import sys
from pathlib import Path

import jinja2
import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EXERCISES = ROOT / "exercises"
LIBRARY = ROOT / "nnlib"
DEFAULT_DEST = ROOT / "site"
MATHJAX = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/"
SITE_PAGES = {"index.html", "library.html"}  # the site's own pages, beside one per notebook and module

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# Where the course's lessons keep their widgets' state: under a key of the course's own,
# not the standard `widgets` one.  JupyterLab restores the state under `widgets` when a
# notebook's kernel starts, and with the course's "save widget state" setting (course.py's
# LAB_SETTINGS) that marks the notebook changed: every lesson, opened and left untouched,
# would ask "Save your work?" when closed, and be saved by autosave.  An un-run lesson does
# not need the state (each widget's output carries its picture, which JupyterLab shows);
# only this site does, for each widget's last picture.  tools/execute.py moves it here.
SITE_WIDGET_STATE = "nnf_widget_state"
CAPTION = "Interactive widget: run the notebook to use it"
IMAGE_MIMES = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif"}
MODEL_REF = re.compile(r"^IPY_MODEL_(\S+)$")
NOT_CONTENT = {"layout", "style"}  # references that never lead to a picture

STYLE = """
.nnf-nav { display: flex; gap: 1.5em; padding: 0.6em 1em; margin-bottom: 1em;
           border-bottom: 1px solid #ccc; font-family: sans-serif; }
.nnf-nav a { text-decoration: none; }
.nnf-widget-caption { font-family: sans-serif; font-style: italic; color: #555; margin: 0.2em 0 1em; }
.nnf-note { font-family: sans-serif; background: #fff8e1; border: 1px solid #e0c36a; border-radius: 4px;
            padding: 0.6em 1em; margin: 0 1em 1em; }
.nnf-address { color: #555; font-size: 0.9em; }
"""

# The "lab" template without what would load scripts from the network: require.js
# (nothing here needs it), the widget manager (widgets are pictures now) and
# mermaid (no diagrams).  MathJax stays: without it formulas show as LaTeX text.
PAGE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}<style type="text/css">""" + STYLE + """</style>{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.nnf_nav }}
{{ resources.nnf_note }}
{%- endblock body_header -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}" alt="{{ output.metadata.get('nnf_alt', '') | escape_html }}">
</div>
{% endblock data_png %}
{% block data_jpg scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/jpeg;base64,{{ output.data['image/jpeg'] | escape_html }}" alt="{{ output.metadata.get('nnf_alt', '') | escape_html }}">
</div>
{% endblock data_jpg %}
{%- block body_footer -%}
{{ resources.nnf_nav }}
{{ super() }}
{%- endblock body_footer -%}
"""


# ---- widgets become their last frame --------------------------------------------

def widget_models(nb):
    """{model id: model} from the widget state stored in the notebook (may be empty).

    A notebook run and saved in JupyterLab keeps it under `widgets`; the course's
    lessons keep it under SITE_WIDGET_STATE.  The first is the newer when both are there.
    """
    for key in ("widgets", SITE_WIDGET_STATE):
        state = (nb.metadata.get(key, {}).get(WIDGET_STATE, {}) or {}).get("state")
        if state:
            return state
    return {}


def references(value):
    """Model ids referenced anywhere in a state value ("IPY_MODEL_<id>"), in order."""
    if isinstance(value, str):
        m = MODEL_REF.match(value)
        return [m.group(1)] if m else []
    if isinstance(value, dict):
        return [ref for v in value.values() for ref in references(v)]
    if isinstance(value, (list, tuple)):
        return [ref for v in value for ref in references(v)]
    return []


def image_of(model):
    """(mime type, base64 text) of an Image model's stored value, or None."""
    state = model.get("state", {})
    mime = IMAGE_MIMES.get(str(state.get("format", "png")).lower())
    if mime is None:
        return None
    data = None
    for buffer in model.get("buffers", []) or []:
        if list(buffer.get("path", [])) == ["value"]:
            data = buffer.get("data")
            if buffer.get("encoding") == "hex":
                data = base64.b64encode(bytes.fromhex(data)).decode("ascii")
    if data is None and isinstance(state.get("value"), str):
        data = state["value"]  # older states keep the bytes inline as base64
    return (mime, data) if data else None


def widget_images(models, model_id):
    """The pictures of every Image among a widget and its descendants, in display order."""
    found, seen, stack = [], set(), [model_id]
    while stack:
        mid = stack.pop()
        if mid in seen or mid not in models:
            continue
        seen.add(mid)
        model = models[mid]
        if model.get("model_name") == "ImageModel":
            image = image_of(model)
            if image:
                found.append(image)
        state = model.get("state", {})
        children = [ref for key, value in state.items() if key not in NOT_CONTENT
                    for ref in references(value)]
        stack.extend(reversed(children))  # depth first, children left to right
    return found


def picture_outputs(images):
    """Notebook outputs that show `images` followed by the caption."""
    outputs = [nbformat.v4.new_output("display_data", data={mime: data}) for mime, data in images]
    caption = f'<p class="nnf-widget-caption">{html.escape(CAPTION)}</p>'
    outputs.append(nbformat.v4.new_output("display_data", data={"text/html": caption}))
    return outputs


def freeze_widgets(nb):
    """A copy of `nb` whose widget outputs are pictures; returns (notebook, widgets replaced).

    The picture is the widget's last frame from the stored widget state; a
    notebook saved without widget state still has the frame the widget showed
    when its cell ran (nnlib's widgets put it in their output as image/png).
    """
    nb = copy.deepcopy(nb)
    models = widget_models(nb)
    replaced = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            view = data.get(WIDGET_VIEW)
            if view is None:
                outputs.append(output)
                continue
            images = widget_images(models, view.get("model_id"))
            if not images and data.get("image/png"):
                images = [("image/png", "".join(data["image/png"]))]
            outputs += picture_outputs(images)
            replaced += 1
        cell.outputs = outputs
    nb.metadata.pop("widgets", None)
    nb.metadata.pop(SITE_WIDGET_STATE, None)
    return nb, replaced


# ---- alt text from the lesson's captions ------------------------------------------

def caption_of(cell):
    """The figure caption the lesson gives a cell (cell metadata mystnb.figure.caption), or ''."""
    return (cell.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("caption") or "").strip()


def add_alt_text(nb):
    """Give every picture of a captioned cell its caption as alt text (changes `nb`).

    Image outputs carry it in their metadata for the page template; pictures
    inside HTML outputs (e.g. an animation player) get it written into their tag.
    Returns the number of pictures without a caption.
    """
    uncaptioned = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        caption = caption_of(cell)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data or "image/jpeg" in data:
                output.setdefault("metadata", {})["nnf_alt"] = caption
                uncaptioned += not caption
            if "text/html" in data and "<img" in "".join(data["text/html"]):
                soup = BeautifulSoup("".join(data["text/html"]), "html.parser")
                for img in soup.find_all("img"):
                    img["alt"] = caption or img.get("alt", "")
                    uncaptioned += not img["alt"]
                data["text/html"] = str(soup)
    return uncaptioned


# ---- links stay inside the site ---------------------------------------------------

def page_map(lessons, exercises, modules):
    """{path in the course folder: page in the site} for everything that has a page."""
    pages = {f"notebooks/{l['source'].name}": l["page"] for l in lessons}
    for e in exercises:
        pages[f"exercises/{e['source'].name}"] = e["page"]
        pages[f"workspace/{e['source'].name}"] = e["page"]  # the learner's copy of the exercise
    for m in modules:
        pages[m["path"]] = m["page"]
    pages["nnlib"] = "library.html"
    return pages


def keep_links_inside(page_html, folder, pages):
    """Point links at pages of the site; turn any other link into text plus its address.

    `folder` is where the page's notebook lives in the course ("notebooks",
    "exercises", or "" for the site's own pages), to resolve relative links.
    """
    soup = BeautifulSoup(page_html, "html.parser")
    for a in soup.find_all("a", href=True):
        href = a["href"]
        if href.startswith("#"):
            continue
        target, _, anchor = href.partition("#")
        target = target.split("?")[0]
        if target in SITE_PAGES or target in pages.values():
            continue  # already a page of the site (the navigation's links)
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", href) and target:
            path = posixpath.normpath(posixpath.join(folder, target)).rstrip("/")
            if path in pages:
                a["href"] = pages[path] + (f"#{anchor}" if anchor else "")
                continue
            address = f"{path} in the course folder"
        else:
            address = href
        text = a.get_text()
        span = soup.new_tag("span", attrs={"class": "nnf-offsite"})
        span.extend(list(a.contents))
        if text.strip() != address:
            note = soup.new_tag("span", attrs={"class": "nnf-address"})
            note.string = f" ({address})"
            span.append(note)
        a.replace_with(span)
    return str(soup)


# ---- pages ---------------------------------------------------------------------

def exporter():
    return HTMLExporter(template_name="lab", template_file="nnf_site.html.j2",
                        extra_loaders=[jinja2.DictLoader({"nnf_site.html.j2": PAGE_TEMPLATE})])


def navigation(lessons, index, exercise=None):
    """The links above and below a lesson page: contents, previous, next, the exercise."""
    parts = ['<nav class="nnf-nav"><a href="index.html">Contents</a>']
    if index > 0:
        prev = lessons[index - 1]
        parts.append(f'<a href="{prev["page"]}">&larr; {html.escape(prev["title"])}</a>')
    if index + 1 < len(lessons):
        nxt = lessons[index + 1]
        parts.append(f'<a href="{nxt["page"]}">{html.escape(nxt["title"])} &rarr;</a>')
    if exercise:
        parts.append(f'<a href="{exercise["page"]}">Exercise</a>')
    return "".join(parts) + "</nav>"


def exercise_navigation(exercise, lesson):
    parts = ['<nav class="nnf-nav"><a href="index.html">Contents</a>']
    if lesson:
        parts.append(f'<a href="{lesson["page"]}">The lesson: {html.escape(lesson["title"])}</a>')
    return "".join(parts) + "</nav>"


def exercise_note(name):
    """The note above an exercise page: what this page is, and how to do the exercise."""
    return (f'<div class="nnf-note"><strong>This exercise is shown as a page to read: nothing in it has run, '
            f'so there are no outputs and no feedback here.</strong> To do it, open your own copy, '
            f'<code>workspace/{html.escape(name)}</code>, in JupyterLab: in the course folder type '
            f'<code>python3 course.py lab</code>, then open <code>workspace/</code> in the file browser. '
            f'Run each cell with Shift+Enter from the top; every check cell answers at once.</div>')


def lesson_title(nb, fallback):
    """The text of the notebook's first markdown heading, without markup."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            m = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
            if m:
                return re.sub(r"[*_`]", "", m.group(1)).strip() or fallback
    return fallback


def simple_page(title, body, nav=""):
    """A page of the site's own (the contents, the library): plain HTML, no scripts."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; max-width: 56em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }}
li {{ margin: 0.4em 0; }}
{STYLE}
{HtmlFormatter().get_style_defs(".highlight")}
.highlight pre {{ padding: 0.8em; overflow-x: auto; background: #f8f8f8; line-height: 1.35; }}
</style>
</head>
<body>
{nav}
{body}
</body>
</html>
"""


def index_page(lessons, modules):
    rows = []
    for lesson in lessons:
        exercise = lesson.get("exercise")
        extra = f' &middot; <a href="{exercise["page"]}">exercise</a>' if exercise else ""
        rows.append(f'  <li><a href="{lesson["page"]}">{html.escape(lesson["title"])}</a>{extra}</li>')
    body = f"""<h1>Neural Network Fundamentals</h1>
<p>The lessons as they look after a run, with their figures. The widgets show their last
picture; to use them, open the notebooks in JupyterLab (<code>python3 course.py lab</code>).
The exercises are shown as they are before you start.</p>
<ol class="nnf-lessons">
{chr(10).join(rows)}
</ol>
<p>The course's library: <a href="library.html">nnlib, module by module</a> ({len(modules)} modules).</p>
"""
    return simple_page("Neural Network Fundamentals", body)


def library_modules(library=LIBRARY):
    """[{path, page, name, doc}] for every module of nnlib, in a stable order."""
    modules = []
    for path in sorted(Path(library).rglob("*.py")):
        rel = path.relative_to(Path(library).parent)
        if "__pycache__" in rel.parts:
            continue
        name = ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
        text = path.read_text(encoding="utf-8")
        m = re.match(r'\s*(?:"""|\'\'\')\s*(.*)', text)
        doc = m.group(1).split('"""')[0].strip() if m else ""
        modules.append({"path": rel.as_posix(), "page": f"{name}.html", "name": name, "doc": doc,
                        "text": text})
    return modules


def module_page(module):
    code = highlight(module["text"], PythonLexer(), HtmlFormatter(linenos=False))
    nav = '<nav class="nnf-nav"><a href="index.html">Contents</a><a href="library.html">nnlib</a></nav>'
    body = (f"<h1><code>{html.escape(module['path'])}</code></h1>\n"
            f"<p>In the course folder: <code>{html.escape(module['path'])}</code>; open it in JupyterLab's "
            f"file browser to read it beside the lessons.</p>\n{code}")
    return simple_page(module["path"], body, nav)


def library_page(modules):
    items = "\n".join(f'  <li><a href="{m["page"]}"><code>{html.escape(m["path"])}</code></a>'
                      f'{": " + html.escape(m["doc"]) if m["doc"] else ""}</li>' for m in modules)
    nav = '<nav class="nnf-nav"><a href="index.html">Contents</a></nav>'
    body = f"<h1>The library: nnlib</h1>\n<p>Every module, as the lessons use it.</p>\n<ul>\n{items}\n</ul>"
    return simple_page("nnlib", body, nav)


def lesson_records(notebooks=NOTEBOOKS, exercises=EXERCISES):
    """The site's lessons and exercise pages: each a record of its source, page, title and notebook."""
    paths = sorted(Path(notebooks).glob("*.ipynb"))
    if not paths:
        raise SystemExit(f"no notebooks in {notebooks}")
    lessons = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        lessons.append({"source": path, "page": path.stem + ".html", "nb": nb,
                        "title": lesson_title(nb, path.stem)})
    by_name = {lesson["source"].name: lesson for lesson in lessons}
    exercise_pages = []
    for path in sorted(Path(exercises).glob("*.ipynb")):
        record = {"source": path, "page": path.stem + "-exercise.html",
                  "nb": nbformat.read(path, as_version=4)}
        record["title"] = lesson_title(record["nb"], path.stem)
        exercise_pages.append(record)
        if path.name in by_name:
            by_name[path.name]["exercise"] = record
    return lessons, exercise_pages


def build_site(dest=DEFAULT_DEST, notebooks=NOTEBOOKS, exercises=EXERCISES, library=LIBRARY):
    """Write the site into `dest` (replaced if it exists); returns the lessons' records."""
    dest = Path(dest)
    lessons, exercise_pages = lesson_records(notebooks, exercises)
    by_name = {lesson["source"].name: lesson for lesson in lessons}
    modules = library_modules(library)
    pages = page_map(lessons, exercise_pages, modules)
    if dest.exists() and any(dest.iterdir()):
        if not (dest / "index.html").exists():
            raise SystemExit(f"{dest} is not empty and holds no site built here; not touching it")
        shutil.rmtree(dest)
    dest.mkdir(parents=True, exist_ok=True)
    export = exporter()
    for i, lesson in enumerate(lessons):
        nb, lesson["widgets"] = freeze_widgets(lesson.pop("nb"))
        lesson["uncaptioned"] = add_alt_text(nb)
        resources = {"metadata": {"name": lesson["title"]}, "nnf_note": "",
                     "nnf_nav": navigation(lessons, i, lesson.get("exercise"))}
        page, _ = export.from_notebook_node(nb, resources=resources)
        (dest / lesson["page"]).write_text(keep_links_inside(page, "notebooks", pages), encoding="utf-8")
    for exercise in exercise_pages:
        lesson = by_name.get(exercise["source"].name)
        resources = {"metadata": {"name": exercise["title"]}, "nnf_note": exercise_note(exercise["source"].name),
                     "nnf_nav": exercise_navigation(exercise, lesson)}
        page, _ = export.from_notebook_node(exercise.pop("nb"), resources=resources)
        (dest / exercise["page"]).write_text(keep_links_inside(page, "exercises", pages), encoding="utf-8")
    for module in modules:
        (dest / module["page"]).write_text(module_page(module), encoding="utf-8")
    (dest / "library.html").write_text(library_page(modules), encoding="utf-8")
    (dest / "index.html").write_text(index_page(lessons, modules), encoding="utf-8")
    return lessons


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", nargs="?", default=str(DEFAULT_DEST), help="output folder (default: site/)")
    args = parser.parse_args(argv)
    lessons = build_site(Path(args.dest))
    for lesson in lessons:
        note = f", {lesson['uncaptioned']} picture(s) without a caption" if lesson["uncaptioned"] else ""
        print(f"{lesson['page']}: {lesson['title']} ({lesson['widgets']} widget(s) shown as pictures{note})")
    print(f"open {Path(args.dest).resolve() / 'index.html'}")


if __name__ == "__main__":
    sys.exit(main())
