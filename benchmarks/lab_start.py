"""How long until `python3 course.py lab` has a JupyterLab server ready.

    python3 benchmarks/lab_start.py                 first start in a fresh clone, then 3 more starts
    python3 benchmarks/lab_start.py --runs 5        five starts after the first
    python3 benchmarks/lab_start.py --course DIR    time starts of an existing copy (no fresh clone)

"Ready" means the server answers /api/status: what a learner waits for before the
browser can show anything.  The first start in a fresh clone includes creating
.venv and installing every package (with whatever is in the pip or uv cache);
later starts only start the server.  Beside the times it prints calibration
figures of this machine (a bare Python start and a fixed pure-Python loop), so
that figures from different machines compare.  Set COURSE_NO_UV=1 to make
course.py use pip even when uv is installed.
"""
import argparse
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """CPU time (user + system) used so far by process `pid` and its descendants (Linux).

    Unlike the wall time, this hardly depends on what else the machine is doing,
    so it tells what the start costs when other processes compete for the cores.
    """
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0, [pid]
    while todo:
        pid = todo.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue  # gone in the meantime
        total += sum(int(f) for f in fields[11:15]) / tick  # utime, stime, cutime, cstime
        todo += [int(c) for c in children]
    return total


def time_start(course_dir, python, log, timeout=900):
    """(seconds, CPU seconds) from `python course.py lab` until /api/status answers."""
    port, token = free_port(), secrets.token_hex(8)
    runtime = tempfile.mkdtemp(prefix="lab-start-")
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=runtime, JUPYTER_CONFIG_DIR=os.path.join(runtime, "config"))
    cmd = [python, "course.py", "lab", "--no-browser", f"--port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}"]
    start = time.perf_counter()
    # Its own session, so that the server it starts can be stopped with it.
    process = subprocess.Popen(cmd, cwd=course_dir, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True, env=env)
    try:
        while time.perf_counter() - start < timeout:
            if process.poll() is not None:
                raise RuntimeError(f"course.py lab exited with {process.returncode}, see {log.name}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=1)
                return time.perf_counter() - start, cpu_seconds(process.pid)
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"no server after {timeout} s")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def calibration(python):
    """(bare Python start in ms, fixed pure-Python loop in ms), medians of 5."""
    starts, loops = [], []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([python, "-c", "pass"], check=True)
        starts.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        total = 0
        for i in range(2_000_000):
            total += i * i
        loops.append((time.perf_counter() - t) * 1000)
    return statistics.median(starts), statistics.median(loops)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="starts to time after the first (default 3)")
    parser.add_argument("--course", help="an existing copy of the course to time (default: a fresh clone)")
    parser.add_argument("--python", default=sys.executable, help="the Python that runs course.py")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lab-start-bench-"))
    log_path = work / "course-lab.log"
    with open(log_path, "w") as log:
        if args.course:
            course_dir = Path(args.course).resolve()
        else:
            course_dir = work / "course"
            subprocess.run(["git", "clone", "-q", str(ROOT), str(course_dir)], check=True)
            first, cpu = time_start(course_dir, args.python, log)
            print(f"first_start_s: {first:.1f}  cpu_s {cpu:.1f}   (fresh clone: venv + install + server)",
                  flush=True)
        starts = [time_start(course_dir, args.python, log) for _ in range(args.runs)]
    if starts:
        times, cpus = zip(*starts)
        print(f"next_start_s: median {statistics.median(times):.2f}  all {' '.join(f'{t:.2f}' for t in times)}"
              f"   cpu_s: median {statistics.median(cpus):.2f}")
    start_ms, loop_ms = calibration(args.python)
    print(f"calibration: python_start_ms {start_ms:.0f}  loop_2M_ms {loop_ms:.0f}")
    text = log_path.read_text()
    installer = ("uv (installed into .venv by pip)" if "Installing uv" in text else "uv") \
        if re.search(r"^Resolved \d+ packages", text, re.M) else "pip"
    print(f"installer: {installer if 'Installing the course' in text else 'none needed'}   log: {log_path}")


if __name__ == "__main__":
    main()
