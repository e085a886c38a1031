"""How long the whole course takes to execute headless.

    python benchmarks/course_runtime.py

Runs every notebook in notebooks/ and solutions/ top to bottom in a fresh
kernel (without saving anything), prints the seconds each one took and its
slowest cell, and last `total_seconds: X`.  Target: X <= 60 on a 2-core machine.
"""
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def run(path):
    """Execute a notebook; return (total seconds, slowest cell seconds)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        slowest = 0.0
        for index, cell in enumerate(nb.cells):
            t0 = time.perf_counter()
            client.execute_cell(cell, index)
            slowest = max(slowest, time.perf_counter() - t0)
    return time.perf_counter() - start, slowest


def main():
    paths = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))
    total = 0.0
    for path in paths:
        seconds, slowest = run(path)
        total += seconds
        print(f"{path.parent.name}/{path.name:40s} {seconds:6.1f} s   slowest cell {slowest:5.1f} s", flush=True)
    print(f"total_seconds: {total:.1f}")


if __name__ == "__main__":
    main()
