"""nnlib's scalar engine against micrograd 0.1.0: one full training step.

    python benchmarks/engine_vs_micrograd.py [--rounds 4] [--steps 5]

Both engines train the same MLP(2, [16, 16, 1]) (ReLU hidden layers, linear
output) on the same 100 points with the same code: forward, mean squared error,
zero_grad, backward, SGD update.  Each round runs each engine in its own fresh
Python process (micrograd's cyclic garbage would otherwise slow the garbage
collector for everything else in the process), and the order alternates between
rounds so neither engine always runs on a "warmer" machine.

Prints the median step time of each engine and, last,
`speedup_vs_micrograd: X.XX`  (micrograd's median / nnlib's median).
"""
import argparse
import json
import statistics
import subprocess
import sys

WORKER = r"""
import json, random, sys, time
engine = sys.argv[1]
steps = int(sys.argv[2])
if engine == "micrograd":
    from micrograd.nn import MLP
    model = MLP(2, [16, 16, 1])
else:
    from nnlib.nn import MLP
    model = MLP(2, [16, 16, 1])

rng = random.Random(0)
X = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(100)]
y = [1.0 if a * b > 0 else -1.0 for a, b in X]

def output(x):
    out = model(x)
    return out[0] if isinstance(out, list) else out  # micrograd unwraps single outputs

def step(lr=0.05):
    preds = [output(x) for x in X]
    loss = sum((p - t) ** 2 for p, t in zip(preds, y)) * (1.0 / len(X))
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data

step()  # warm-up, not timed
times = []
for _ in range(steps):
    t0 = time.perf_counter()
    step()
    times.append(time.perf_counter() - t0)
print(json.dumps(times))
"""


def run_engine(engine, steps):
    out = subprocess.run(
        [sys.executable, "-c", WORKER, engine, str(steps)],
        capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--steps", type=int, default=5, help="timed steps per process")
    args = parser.parse_args()

    times = {"micrograd": [], "nnlib": []}
    for r in range(args.rounds):
        order = ["micrograd", "nnlib"] if r % 2 == 0 else ["nnlib", "micrograd"]
        for engine in order:
            t = run_engine(engine, args.steps)
            times[engine] += t
            print(f"round {r + 1} {engine:9s} median {statistics.median(t) * 1000:8.1f} ms", flush=True)

    med = {e: statistics.median(t) for e, t in times.items()}
    for e in times:
        print(f"{e:9s} median step {med[e] * 1000:8.1f} ms over {len(times[e])} steps")
    print(f"speedup_vs_micrograd: {med['micrograd'] / med['nnlib']:.2f}")


if __name__ == "__main__":
    main()
