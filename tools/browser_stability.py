"""Run the browser tests again and again on a loaded machine; report every run.

    .venv/bin/python tools/browser_stability.py                 10 runs, 2 busy loops beside them
    .venv/bin/python tools/browser_stability.py --runs 3 --load 1

A flaky browser test can stop a change from landing, so their stability is measured:
each run is the whole set of browser modules (tests/test_browser*.py and
tests/test_lab_path.py) in a fresh pytest process, on as many workers as
`python3 course.py test` uses (pytest-xdist; lessons run side by side), with
NNF_REQUIRE_BROWSER=1 so a missing browser fails instead of skipping.  `--load N` starts N processes that spin
on the CPU for the whole time (on a 2-core machine, 2 of them leave the tests about
half the machine, like a busy classroom server or a CI machine running other jobs).

Prints one line per run (passed, failed, seconds, load average) and a summary line;
exits non-zero when any run failed.  Each run's output is kept in
test-artifacts/stability/run-N.log.
"""
import argparse
import multiprocessing
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "test-artifacts" / "stability"


def spin():
    while True:
        pass


def browser_modules():
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_browser*.py")) + [
        "tests/test_lab_path.py"]


def counts(output):
    """(passed, failed + errors, skipped) from pytest's last line."""
    last = output.strip().splitlines()[-1] if output.strip() else ""
    found = {word: int(n) for n, word in re.findall(r"(\d+) (passed|failed|errors?|skipped)", last)}
    return (found.get("passed", 0), found.get("failed", 0) + found.get("error", 0) + found.get("errors", 0),
            found.get("skipped", 0))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--load", type=int, default=2, help="busy processes beside the tests")
    args = parser.parse_args()

    LOGS.mkdir(parents=True, exist_ok=True)
    burners = [multiprocessing.Process(target=spin, daemon=True) for _ in range(args.load)]
    for b in burners:
        b.start()
    env = dict(os.environ, NNF_REQUIRE_BROWSER="1", OPENBLAS_NUM_THREADS="1")
    sys.path.insert(0, str(ROOT))
    from course import parallel  # the test command's workers

    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *parallel([]), *browser_modules()]
    print("command:", " ".join(cmd[1:]), f"(with {args.load} busy loops)", flush=True)
    results = []
    try:
        for run in range(1, args.runs + 1):
            start = time.time()
            done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
            seconds = time.time() - start
            output = done.stdout + done.stderr
            (LOGS / f"run-{run}.log").write_text(output, encoding="utf-8")
            passed, failed, skipped = counts(done.stdout)
            ok = done.returncode == 0 and failed == 0 and skipped == 0 and passed > 0
            results.append(ok)
            print(f"run {run}: {'PASS' if ok else 'FAIL'}  {passed} passed, {failed} failed, {skipped} skipped"
                  f"  in {seconds:.0f} s, load average {os.getloadavg()[0]:.1f}", flush=True)
            if not ok:
                failures = [line for line in output.splitlines() if line.startswith(("FAILED", "ERROR"))]
                print("   " + "\n   ".join(failures or ["see " + str(LOGS / f'run-{run}.log')]), flush=True)
    finally:
        for b in burners:
            b.terminate()
    print(f"{sum(results)} of {len(results)} runs passed", flush=True)
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
