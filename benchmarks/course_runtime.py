"""How long the whole course takes to execute headless.

    python benchmarks/course_runtime.py

Runs every notebook in notebooks/ and solutions/ top to bottom in a fresh
kernel (without saving anything), prints the seconds each one took and its
slowest cell, and last `total_seconds: X`.  Target: X <= 90 on a 2-core machine
(issue 11: lessons and solutions together, kernel starts included).

Machines differ and this one is shared, so it also prints the CPU seconds the
kernels used (a busy machine inflates wall time, much less CPU time) and a
calibration: the CPU time of a fixed pure-Python loop in this process.
"""
import resource
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


def calibration_ms():
    """CPU milliseconds for a fixed pure-Python loop (median of 5): this machine's speed."""
    times = []
    for _ in range(5):
        t0 = time.process_time()
        total = 0
        for i in range(2_000_000):
            total += i * i % 7
        times.append(time.process_time() - t0)
    return 1000 * sorted(times)[2]


def children_cpu():
    """CPU seconds used so far by finished child processes (the kernels)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main():
    calibration = calibration_ms()
    cpu_before = children_cpu()
    paths = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))
    total = 0.0
    for path in paths:
        seconds, slowest = run(path)
        total += seconds
        print(f"{path.parent.name}/{path.name:40s} {seconds:6.1f} s   slowest cell {slowest:5.1f} s", flush=True)
    cpu = children_cpu() - cpu_before
    print(f"calibration_ms: {calibration:.0f} (a fixed pure-Python loop, CPU time)")
    print(f"kernel_cpu_seconds: {cpu:.1f}")
    print(f"total_seconds: {total:.1f} (target <= 90)")


if __name__ == "__main__":
    main()
