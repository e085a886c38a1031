"""nnlib's scalar engine against micrograd 0.1.0: one full training step.

    python benchmarks/engine_vs_micrograd.py [--rounds 3] [--steps 4]

Two workloads, each run by both engines with the same code:

  nnlib-style      each engine's own MLP(2, [16, 16, 1]) (ReLU hidden layers, linear
                   output) on 100 points, mean squared error.  nnlib's Neuron adds
                   w . x + b with Value.sum (one node per neuron).
  micrograd-style  the same network written out with plain operators only: each neuron
                   is sum(wi * xi for ...) + b (a chain of adds starting from the int
                   0), then relu(); the loss adds an L2 term 1e-4 * sum(p * p) with
                   scalar constants, as in micrograd's demo.  No Value.sum.

A step is forward, loss, zero_grad, backward and an SGD update.  Each (engine,
workload) pair runs in its own fresh Python process (micrograd's cyclic garbage would
otherwise slow the garbage collector for everything else in the process), and the
order alternates between rounds so neither engine always runs on a "warmer" machine.

The machine may be shared, so each step is timed twice: CPU time of the process
(time.process_time, what the ratio uses) and wall time.  Beside them each process
prints a calibration figure: the CPU time of a fixed pure-Python loop, so that
figures from different machines (or a busier moment) can be compared.  It also prints
how much of each step the cyclic garbage collector took (gc.callbacks) and how many
collections of each generation ran.

Last lines: `speedup_vs_micrograd[nnlib-style]: X.XX`,
`speedup_vs_micrograd[micrograd-style]: X.XX` (micrograd's median CPU time per step /
nnlib's) and `speedup_vs_micrograd: X.XX`, the smaller of the two.
"""
import argparse
import importlib.util
import json
import statistics
import subprocess
import sys

WORKER = r"""
import gc, json, random, sys, time
engine, workload, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])

def calibration_ms():
    # A fixed pure-Python loop (no engine): its CPU time measures the machine.
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        total = 0
        for i in range(300_000):
            total += i * i % 7
        best = min(best, time.process_time() - t0)
    return best * 1000

calibration_before = calibration_ms()
if engine == "micrograd":
    from micrograd.engine import Value
    from micrograd.nn import MLP
else:
    from nnlib.engine import Value
    from nnlib.nn import MLP

rng = random.Random(0)
X = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(100)]
y = [1.0 if a * b > 0 else -1.0 for a, b in X]

if workload == "nnlib-style":
    model = MLP(2, [16, 16, 1])
    params = model.parameters()

    def output(x):
        out = model(x)
        return out[0] if isinstance(out, list) else out  # micrograd unwraps single outputs

    def loss_of():
        preds = [output(x) for x in X]
        return sum((p - t) ** 2 for p, t in zip(preds, y)) * (1.0 / len(X))
else:  # micrograd-style: plain +, *, sum() and scalar constants
    wrng = random.Random(1)
    sizes = [2, 16, 16, 1]
    layers = [[([Value(wrng.uniform(-1, 1)) for _ in range(n_in)], Value(0.0)) for _ in range(n_out)]
              for n_in, n_out in zip(sizes, sizes[1:])]
    params = [p for layer in layers for w, b in layer for p in w + [b]]

    def output(x):
        for i, layer in enumerate(layers):
            x = [sum(wi * xi for wi, xi in zip(w, x)) + b for w, b in layer]
            if i < len(layers) - 1:
                x = [z.relu() for z in x]
        return x[0]

    def loss_of():
        preds = [output(x) for x in X]
        data_loss = sum((p - t) ** 2 for p, t in zip(preds, y)) * (1.0 / len(X))
        return data_loss + 1e-4 * sum(p * p for p in params)

def step(lr=0.05):
    loss = loss_of()
    for p in params:  # zero_grad
        p.grad = 0.0
    loss.backward()
    for p in params:
        p.data -= lr * p.grad
    return loss.data

gc_time, gc_start, collections = [0.0], [0.0], [0, 0, 0]
def on_gc(phase, info):
    if phase == "start":
        gc_start[0] = time.process_time()
    else:
        gc_time[0] += time.process_time() - gc_start[0]
        collections[info["generation"]] += 1
gc.callbacks.append(on_gc)

step()  # warm-up, not timed
collections[:] = [0, 0, 0]
cpu, wall, gc_cpu, gens = [], [], [], [0, 0, 0]
for _ in range(steps):
    gc_time[0] = 0.0
    c0, w0 = time.process_time(), time.perf_counter()
    step()
    cpu.append(time.process_time() - c0)
    wall.append(time.perf_counter() - w0)
    gc_cpu.append(gc_time[0])
for g in range(3):
    gens[g] = collections[g]
print(json.dumps(dict(cpu=cpu, wall=wall, gc=gc_cpu, collections=gens, threshold=gc.get_threshold(),
                      calibration=(calibration_before + calibration_ms()) / 2)))
"""

ENGINES = ("micrograd", "nnlib")
WORKLOADS = ("nnlib-style", "micrograd-style")


def run_worker(engine, workload, steps):
    out = subprocess.run(
        [sys.executable, "-c", WORKER, engine, workload, str(steps)],
        capture_output=True, text=True,
    )
    if out.returncode != 0:
        sys.exit(f"the {engine} process ({workload}) failed:\n{out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=4, help="timed steps per process")
    args = parser.parse_args()
    if importlib.util.find_spec("micrograd") is None:
        sys.exit("benchmarks/engine_vs_micrograd.py compares against micrograd, which the course does not install.\n"
                 "Install the benchmarks' extras first:  .venv/bin/pip install -c constraints.txt -e \".[bench]\"")

    ms = 1000.0
    runs = {(e, w): [] for e in ENGINES for w in WORKLOADS}
    for r in range(args.rounds):
        for workload in WORKLOADS:
            order = ENGINES if r % 2 == 0 else ENGINES[::-1]
            for engine in order:
                res = run_worker(engine, workload, args.steps)
                runs[engine, workload].append(res)
                gc_share = sum(res["gc"]) / sum(res["cpu"])
                print(f"round {r + 1} {workload:15s} {engine:9s} "
                      f"cpu {statistics.median(res['cpu']) * ms:7.1f} ms  "
                      f"wall {statistics.median(res['wall']) * ms:7.1f} ms  "
                      f"gc {gc_share:4.0%}  collections per gen {res['collections']}  "
                      f"calibration {res['calibration']:5.1f} ms", flush=True)

    speedups = {}
    print()
    for workload in WORKLOADS:
        med = {}
        for engine in ENGINES:
            rs = runs[engine, workload]
            cpu = [t for res in rs for t in res["cpu"]]
            wall = [t for res in rs for t in res["wall"]]
            gc_share = sum(t for res in rs for t in res["gc"]) / sum(cpu)
            calibration = statistics.median(res["calibration"] for res in rs)
            med[engine] = statistics.median(cpu)
            print(f"{workload:15s} {engine:9s} median cpu {med[engine] * ms:7.1f} ms "
                  f"(mean {statistics.mean(cpu) * ms:7.1f})  median wall {statistics.median(wall) * ms:7.1f} ms  "
                  f"gc {gc_share:4.0%} of cpu  over {len(cpu)} steps  "
                  f"calibration {calibration:5.1f} ms  gc threshold {tuple(rs[0]['threshold'])}")
        speedups[workload] = med["micrograd"] / med["nnlib"]
    for workload in WORKLOADS:
        print(f"speedup_vs_micrograd[{workload}]: {speedups[workload]:.2f}")
    print(f"speedup_vs_micrograd: {min(speedups.values()):.2f}")


if __name__ == "__main__":
    main()
