"""Tiny helper for authors: write a notebook from a list of ("md"|"code", source) cells.

    from tools.nbbuild import write_notebook
    write_notebook("notebooks/01-xor.ipynb", [("md", "# Title"), ("code", "1 + 1")])

Cell metadata can be given as a third item: ("code", "x = 1", {"tags": ["hide-input"]}).
"""
import nbformat


def write_notebook(path, cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for cell in cells:
        kind, source = cell[0], cell[1]
        meta = cell[2] if len(cell) > 2 else {}
        make = nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell
        nb.cells.append(make(source.strip("\n"), metadata=meta))
    # Stable cell ids keep diffs small when a notebook is regenerated.
    for i, c in enumerate(nb.cells):
        c["id"] = f"cell-{i:03d}"
    nbformat.write(nb, path)
