"""How long the README's test command takes, tests only, with a machine calibration beside it.

    python3 benchmarks/test_time.py              # python3 course.py test, timed
    python3 benchmarks/test_time.py -p no:xdist  # the same, one test after another

First `python3 course.py test --collect-only -q` sets the environment up (installing
if needed) and collects, untimed.  Then the whole suite runs and is timed.  Beside the
wall time it prints the numpy calibration (benchmarks/calibration.py) taken just
before, and their ratio, so a figure from one machine can be compared with another
(machines of the same kind differ by 2-2.5x), and the load average at the start.
On Linux it also prints how busy the machine's cores were during the run (from
/proc/stat, every process on the machine counted): the suite cannot finish in less
than busy core-seconds / cores, so that figure says how much of the time is work and
how much is waiting.  The calibration is taken again after the run: if the two differ
much, the machine's speed changed during the run.
Extra arguments go to the test command (and so to pytest).  The names of failed tests are
printed; the whole output is kept in test-artifacts/test-time.log.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "test-artifacts" / "test-time.log"


def calibration():
    """The numpy calibration, run in the course's environment (numpy lives there)."""
    code = "from benchmarks.calibration import numpy_calibration as c; print(min(c() for _ in range(3)))"
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")  # as the tests run (course.py test sets it)
    out = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", code], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    return float(out)


def core_seconds():
    """(busy, idle) CPU seconds of all the machine's cores since boot, or None off Linux."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle and iowait
    busy = sum(fields[:8]) - idle  # user nice system idle iowait irq softirq steal
    return busy / ticks, idle / ticks


def main():
    extra = sys.argv[1:]
    course = [sys.executable, "course.py", "test"]
    setup = subprocess.run([*course, "--collect-only", "-q", "-p", "no:xdist"], cwd=ROOT,
                           capture_output=True, text=True)
    if setup.returncode != 0:
        sys.exit(f"setting up failed:\n{setup.stdout[-2000:]}\n{setup.stderr[-2000:]}")
    calib = calibration()
    load = os.getloadavg()[0]
    cores_before = core_seconds()
    start = time.perf_counter()
    run = subprocess.run([*course, "-q", *extra], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    cores_after = core_seconds()
    calib_after = calibration()
    LOG.parent.mkdir(exist_ok=True)
    LOG.write_text(run.stdout + run.stderr, encoding="utf-8")
    lines = run.stdout.strip().splitlines()
    summary = lines[-1] if lines else "(no output)"
    print(f"command: python3 course.py test {' '.join(extra)}".rstrip())
    print(f"pytest: {summary}")
    for line in lines:  # what failed, by name (the whole output is in LOG)
        if line.startswith(("FAILED ", "ERROR ")):
            print(f"  {line}")
    print(f"output: {LOG.relative_to(ROOT)}")
    print(f"test_seconds: {seconds:.1f}")
    print(f"calibration_seconds: {calib:.3f}  (numpy workload, benchmarks/calibration.py)")
    print(f"ratio: {seconds / calib:.0f}  (test time / calibration)")
    print(f"calibration_after_seconds: {calib_after:.3f}")
    print(f"load_average_at_start: {load:.1f}   cores: {os.cpu_count()}")
    if cores_before and cores_after:
        busy = cores_after[0] - cores_before[0]
        idle = cores_after[1] - cores_before[1]
        print(f"busy_core_seconds: {busy:.1f}   idle_core_seconds: {idle:.1f}"
              f"   (the whole machine; busy / cores = {busy / os.cpu_count():.1f} s, the least wall time this much work needs)")
    sys.exit(run.returncode)


if __name__ == "__main__":
    main()
