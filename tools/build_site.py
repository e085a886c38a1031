"""Build a static web site of the lessons from their stored outputs (nothing is run).

    python tools/build_site.py            write site/index.html and one page per lesson
    python tools/build_site.py DEST       write them into DEST instead

Each lesson in notebooks/ becomes DEST/<name>.html through nbconvert's HTML
exporter (the "lab" template), with its figures embedded as data: URLs, and
DEST/index.html lists the lessons in order, titled by each notebook's first heading.

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
import re
import shutil
import sys
from pathlib import Path

import jinja2
import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_DEST = ROOT / "site"

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
CAPTION = "Interactive widget: run the notebook to use it"
IMAGE_MIMES = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif"}
MODEL_REF = re.compile(r"^IPY_MODEL_(\S+)$")
NOT_CONTENT = {"layout", "style"}  # references that never lead to a picture

STYLE = """
.nnf-nav { display: flex; gap: 1.5em; padding: 0.6em 1em; margin-bottom: 1em;
           border-bottom: 1px solid #ccc; font-family: sans-serif; }
.nnf-nav a { text-decoration: none; }
.nnf-widget-caption { font-family: sans-serif; font-style: italic; color: #555; margin: 0.2em 0 1em; }
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
{%- endblock body_header -%}
{%- block body_footer -%}
{{ resources.nnf_nav }}
{{ super() }}
{%- endblock body_footer -%}
"""


# ---- the lesson's title -------------------------------------------------------

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


# ---- widgets become their last frame --------------------------------------------

def widget_models(nb):
    """{model id: model} from the widget state stored in the notebook (may be empty)."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {})
    return state.get("state", {}) or {}


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
    """A copy of `nb` whose widget outputs are pictures; returns (notebook, widgets replaced)."""
    nb = copy.deepcopy(nb)
    models = widget_models(nb)
    replaced = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                outputs.append(output)
                continue
            outputs += picture_outputs(widget_images(models, view.get("model_id")))
            replaced += 1
        cell.outputs = outputs
    nb.metadata.pop("widgets", None)
    return nb, replaced


# ---- pages ---------------------------------------------------------------------

def exporter():
    return HTMLExporter(template_name="lab", template_file="nnf_site.html.j2",
                        extra_loaders=[jinja2.DictLoader({"nnf_site.html.j2": PAGE_TEMPLATE})])


def navigation(lessons, index):
    """The links above and below a lesson page: contents, previous, next."""
    parts = ['<nav class="nnf-nav"><a href="index.html">Contents</a>']
    if index > 0:
        prev = lessons[index - 1]
        parts.append(f'<a href="{prev["page"]}">&larr; {html.escape(prev["title"])}</a>')
    if index + 1 < len(lessons):
        nxt = lessons[index + 1]
        parts.append(f'<a href="{nxt["page"]}">{html.escape(nxt["title"])} &rarr;</a>')
    return "".join(parts) + "</nav>"


def link_lessons(page, lessons):
    """Make links between lesson notebooks point at their pages."""
    pages = {lesson["source"].name: lesson["page"] for lesson in lessons}

    def repl(m):
        name, anchor = m.group(2), m.group(3) or ""
        return f'{m.group(1)}"{pages[name]}{anchor}"' if name in pages else m.group(0)

    return re.sub(r'(href=)"(?:\./)?([^"/#?]+\.ipynb)(#[^"]*)?"', repl, page)


def index_page(lessons):
    items = "\n".join(
        f'  <li><a href="{lesson["page"]}">{html.escape(lesson["title"])}</a></li>' for lesson in lessons)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Neural Network Fundamentals</title>
<style>
body {{ font-family: sans-serif; max-width: 46em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }}
li {{ margin: 0.4em 0; }}
</style>
</head>
<body>
<h1>Neural Network Fundamentals</h1>
<p>The lessons as they look after a run, with their figures. The widgets show their last
picture; to use them, open the notebooks in JupyterLab (<code>python3 course.py lab</code>).</p>
<ol class="nnf-lessons">
{items}
</ol>
</body>
</html>
"""


def build_site(dest=DEFAULT_DEST, notebooks=NOTEBOOKS):
    """Write the site into `dest` (replaced if it exists); returns the lessons' records."""
    dest = Path(dest)
    paths = sorted(Path(notebooks).glob("*.ipynb"))
    if not paths:
        raise SystemExit(f"no notebooks in {notebooks}")
    lessons = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        lessons.append({"source": path, "page": path.stem + ".html", "nb": nb,
                        "title": lesson_title(nb, path.stem)})
    if dest.exists() and any(dest.iterdir()):
        if not (dest / "index.html").exists():
            raise SystemExit(f"{dest} is not empty and holds no site built here; not touching it")
        shutil.rmtree(dest)
    dest.mkdir(parents=True, exist_ok=True)
    export = exporter()
    for i, lesson in enumerate(lessons):
        nb, lesson["widgets"] = freeze_widgets(lesson.pop("nb"))
        resources = {"metadata": {"name": lesson["title"]}, "nnf_nav": navigation(lessons, i)}
        page, _ = export.from_notebook_node(nb, resources=resources)
        (dest / lesson["page"]).write_text(link_lessons(page, lessons), encoding="utf-8")
    (dest / "index.html").write_text(index_page(lessons), encoding="utf-8")
    return lessons


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", nargs="?", default=str(DEFAULT_DEST), help="output folder (default: site/)")
    args = parser.parse_args(argv)
    lessons = build_site(Path(args.dest))
    for lesson in lessons:
        print(f"{lesson['page']}: {lesson['title']} ({lesson['widgets']} widget(s) shown as pictures)")
    print(f"open {Path(args.dest).resolve() / 'index.html'}")


if __name__ == "__main__":
    sys.exit(main())
