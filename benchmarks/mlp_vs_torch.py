"""nnlib's numpy MLP against PyTorch (CPU) and a hand-written fused numpy loop.

    python benchmarks/mlp_vs_torch.py [--rounds 7] [--steps 200]

All three train the same network, 2 -> hidden -> hidden -> 1 with tanh and
binary cross-entropy on logits, from the same initial weights, in float64 with
one thread each, by full-batch SGD, for (n, hidden) in (4, 4), (200, 8), (1000, 32).
The three run side by side: every round times a block of steps of each, in an
order that rotates from round to round; the figure per step is the median over
rounds (this machine is shared and noisy).

Prints per size the microseconds per step and two ratios, and last
`min_speedup_vs_torch: X.XX  max_overhead_vs_handwritten: Y.YY`, where
speedup = torch time / nnlib time (>= 1 means nnlib is faster) and
overhead = nnlib time / hand-written time (1.00 means no cost for the library).
"""
import os

# One BLAS thread, set before numpy loads its BLAS library.
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"
os.environ["MKL_NUM_THREADS"] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
try:
    import torch  # noqa: E402
except ImportError:
    sys.exit("benchmarks/mlp_vs_torch.py compares against PyTorch, which the course does not install.\n"
             "Install the benchmarks' extras first:  .venv/bin/pip install -c constraints.txt -e \".[bench]\"")

from nnlib.data import xor_clouds  # noqa: E402
from nnlib.layers import mlp  # noqa: E402
from nnlib.optim import SGD  # noqa: E402
from nnlib.train import train_step  # noqa: E402

LR = 0.1


def make_nnlib(X, y, hidden):
    model = mlp([2, hidden, hidden, 1], activation="tanh", seed=0)
    opt = SGD(lr=LR)

    def step():
        return train_step(model, X, y, "bce", opt)

    return step, [p.copy() for p in model.parameters()]


def make_handwritten(X, y, params):
    """The same maths written out by hand as one function: no layers, no objects."""
    W1, b1, W2, b2, W3, b3 = [p.copy() for p in params]
    n = len(X)

    def step():
        # Written for speed, as a careful numpy programmer would: np.dot,
        # in-place bias adds, sum / n instead of np.mean, no objects at all.
        nonlocal W1, b1, W2, b2, W3, b3  # updated in place by -=
        Z1 = np.dot(X, W1); Z1 += b1; A1 = np.tanh(Z1)
        Z2 = np.dot(A1, W2); Z2 += b2; A2 = np.tanh(Z2)
        Z3 = np.dot(A2, W3); Z3 += b3
        loss = float((np.logaddexp(0.0, Z3) - y * Z3).sum() / n)
        dZ3 = (0.5 * (1.0 + np.tanh(0.5 * Z3)) - y) / n  # sigmoid(Z3) - y, in a form that cannot overflow
        dW3 = np.dot(A2.T, dZ3); db3 = dZ3.sum(0)
        dZ2 = np.dot(dZ3, W3.T) * (1.0 - A2 * A2)
        dW2 = np.dot(A1.T, dZ2); db2 = dZ2.sum(0)
        dZ1 = np.dot(dZ2, W2.T) * (1.0 - A1 * A1)
        dW1 = np.dot(X.T, dZ1); db1 = dZ1.sum(0)
        W1 -= LR * dW1; b1 -= LR * db1
        W2 -= LR * dW2; b2 -= LR * db2
        W3 -= LR * dW3; b3 -= LR * db3
        return loss

    return step


def make_torch(X, y, params):
    torch.set_num_threads(1)
    W1, b1, W2, b2, W3, b3 = params
    net = torch.nn.Sequential(
        torch.nn.Linear(2, W1.shape[1]), torch.nn.Tanh(),
        torch.nn.Linear(W2.shape[0], W2.shape[1]), torch.nn.Tanh(),
        torch.nn.Linear(W3.shape[0], 1),
    ).double()
    with torch.no_grad():  # same starting weights (torch stores W transposed)
        for layer, W, b in zip([net[0], net[2], net[4]], [W1, W2, W3], [b1, b2, b3]):
            layer.weight.copy_(torch.from_numpy(W.T))
            layer.bias.copy_(torch.from_numpy(b))
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    opt = torch.optim.SGD(net.parameters(), lr=LR)

    def step():
        opt.zero_grad()
        loss = loss_fn(net(Xt), yt)
        loss.backward()
        opt.step()
        return loss.item()

    return step


def time_block(step, steps):
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - t0) / steps


def bench(n, hidden, rounds, steps):
    X, labels = xor_clouds(n=n, noise=0.3, seed=1)
    y = labels.astype(np.float64).reshape(-1, 1)
    nn_step, params = make_nnlib(X, y, hidden)
    steps_by_name = {
        "nnlib": nn_step,
        "handwritten": make_handwritten(X, y, params),
        "torch": make_torch(X, y, params),
    }
    # Same maths: the first losses agree (a sanity check, not a timing).
    first = {name: s() for name, s in steps_by_name.items()}
    assert max(first.values()) - min(first.values()) < 1e-9, first
    names = list(steps_by_name)
    times = {name: [] for name in names}
    for r in range(rounds):
        order = names[r % 3:] + names[:r % 3]  # rotate who goes first
        for name in order:
            times[name].append(time_block(steps_by_name[name], steps))
    return {name: statistics.median(t) for name, t in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=200, help="steps per timed block")
    args = parser.parse_args()
    speedups, overheads = [], []
    print(f"{'n':>5} {'hidden':>6} {'nnlib us':>9} {'hand us':>9} {'torch us':>9} "
          f"{'torch/nnlib':>11} {'nnlib/hand':>10}")
    for n, hidden in [(4, 4), (200, 8), (1000, 32)]:
        med = bench(n, hidden, args.rounds, args.steps)
        speedup = med["torch"] / med["nnlib"]
        overhead = med["nnlib"] / med["handwritten"]
        speedups.append(speedup)
        overheads.append(overhead)
        print(f"{n:5d} {hidden:6d} {med['nnlib'] * 1e6:9.1f} {med['handwritten'] * 1e6:9.1f} "
              f"{med['torch'] * 1e6:9.1f} {speedup:11.2f} {overhead:10.2f}", flush=True)
    print(f"min_speedup_vs_torch: {min(speedups):.2f}  max_overhead_vs_handwritten: {max(overheads):.2f}")


if __name__ == "__main__":
    main()
