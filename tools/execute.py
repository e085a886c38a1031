"""Run notebooks top to bottom in a fresh kernel and store their outputs.

    python tools/execute.py notebooks/01-xor.ipynb solutions/*.ipynb
    python tools/execute.py --all          every notebook in notebooks/ and solutions/

This is how stored outputs are kept current: the test suite (strict nbval) then
re-runs each notebook and compares its text output with what is stored here.
"""
import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, Python sees tools/ only
from tools.build_site import SITE_WIDGET_STATE  # noqa: E402


def execute(path, timeout=120):
    nb = nbformat.read(path, as_version=4)
    # record_timing=False: no run timestamps in the cells, so re-running an
    # unchanged notebook leaves it unchanged.
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    start = time.perf_counter()
    client.execute()
    for cell in nb.cells:  # timestamps from runs before record_timing=False
        cell.metadata.pop("execution", None)
    # The widgets' state, for the static site only: under the course's own key, where
    # JupyterLab does not restore it (tools/build_site.py's SITE_WIDGET_STATE says why).
    state = nb.metadata.pop("widgets", None)
    nb.metadata.pop(SITE_WIDGET_STATE, None)
    if state:
        nb.metadata[SITE_WIDGET_STATE] = state
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--all", action="store_true")
    args = parser.parse_args()
    paths = [Path(p) for p in args.paths]
    if args.all:
        paths = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))
    if not paths:
        sys.exit("name the notebooks to run, or --all")
    for p in paths:
        print(f"{p}: {execute(p):.1f} s", flush=True)


if __name__ == "__main__":
    main()
