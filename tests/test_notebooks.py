"""Static checks of the stored notebooks (strict nbval then re-runs them).

nbval silently skips a code cell whose execution_count is null, so an unexecuted
notebook would "pass".  These checks make sure every stored notebook really was
run top to bottom in a fresh kernel, and that nothing it stored is an error or a
warning.
"""
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXECUTED = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))


def code_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def test_the_start_page_exists():
    assert (ROOT / "notebooks" / "00-start-here.ipynb") in EXECUTED


@pytest.mark.parametrize("path", EXECUTED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_code_cells_were_executed_once_each_top_to_bottom(path):
    counts = [c["execution_count"] for c in code_cells(path)]
    assert counts, f"{path.name} has no code cells"
    assert None not in counts, f"{path.name}: some code cells were never run (nbval would skip them)"
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts} are not 1..N: re-run it from a fresh kernel "
        "with `python tools/execute.py`"
    )


@pytest.mark.parametrize("path", EXECUTED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_stored_errors_or_warnings(path):
    for cell in code_cells(path):
        for out in cell["outputs"]:
            assert out["output_type"] != "error", f"{path.name}: stored error {out.get('ename')}"
            if out.get("name") == "stderr":
                text = "".join(out["text"])
                assert "Warning" not in text, f"{path.name}: stored warning: {text[:200]}"


ALL_NOTEBOOKS = EXECUTED + sorted((ROOT / "exercises").glob("*.ipynb"))


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_widget_state_where_jupyterlab_would_restore_it(path):
    # State under `widgets` makes an untouched lesson ask "Save your work?" on closing;
    # the lessons keep theirs under tools/build_site.py's SITE_WIDGET_STATE (it says why).
    metadata = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    assert "widgets" not in metadata, \
        f"{path.name} keeps widget state under `widgets`: re-run it with `python tools/execute.py`"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_cell_ids_are_unique(path):
    # JupyterLab and nbformat warn about (and may renumber) a repeated cell id,
    # which breaks links to a cell and nbgrader's bookkeeping.
    ids = [c.get("id") for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    assert not repeated, f"{path.name}: repeated cell ids {repeated}"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_stored_in_the_form_jupyter_writes(path):
    # JupyterLab and nbformat write keys in sorted order.  A notebook stored in
    # another order is rewritten on the learner's first save, which shows up as
    # changes they never made.  Write notebooks with nbformat (tools/execute.py does).
    import nbformat

    text = path.read_text(encoding="utf-8")
    canonical = nbformat.writes(nbformat.reads(text, as_version=4)) + "\n"
    assert text == canonical, f"{path.name} is not in nbformat's form: rewrite it with nbformat.write"
