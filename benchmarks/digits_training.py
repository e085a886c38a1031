"""Lesson 08's speed targets: the digit network trains in <= 10 s on 2 cores, and the
scalar Value engine does the same maths, much more slowly.

    .venv/bin/python benchmarks/digits_training.py

Prints
* the seconds to train mlp([64, 32, 10]) as lesson 08 does (40 epochs of SGD in batches
  of 32 on 1,348 digits; best of 3) and its test accuracy (the target: >= 95%, checked
  deterministically by tests/test_digits.py);
* a calibration: the seconds of a fixed pure-numpy workload (200 products of 256 x 256
  matrices), so that times from different machines can be compared: `ratio` is the
  training time divided by it;
* the time per digit of one training step on lesson 05's Value engine (a Dense(64, 10)
  softmax layer, 20 digits, as the lesson's section 6) against numpy's time per digit
  in the run above, and their ratio.
`training_seconds: X` comes last; the target is X <= 10.
"""
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as in the tests: one thread, fair on 2 cores
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # find nnlib


from nnlib import Value  # noqa: E402
from nnlib.data import digits  # noqa: E402
from nnlib.layers import Dense, mlp  # noqa: E402
from nnlib.train import accuracy, fit  # noqa: E402
from nnlib.widgets.digits import LESSON_NETWORK, LESSON_TRAINING  # noqa: E402

from calibration import numpy_calibration as calibration  # noqa: E402  (benchmarks/calibration.py)

TARGET_SECONDS = 10.0


def train_once(X_train, y_train):
    model = mlp(**LESSON_NETWORK)
    start = time.perf_counter()
    fit(model, X_train, y_train, progress=False, **LESSON_TRAINING)
    return time.perf_counter() - start, model


def value_step_seconds(X, y):
    """One training step (forward, backward, update) of a Dense(64, 10) softmax layer on Values."""
    layer = Dense(64, 10, activation="identity", seed=0)
    W = [[Value(float(w)) for w in row] for row in layer.W]
    b = [Value(float(v)) for v in layer.b]
    start = time.perf_counter()
    losses = []
    for x, label in zip(X, y):
        z = [Value.sum([W[p][c] * float(x[p]) for p in range(64) if x[p] > 0] + [b[c]])
             for c in range(10)]
        m = max(v.data for v in z)
        losses.append(Value.sum([(v - m).exp() for v in z]).log() - (z[label] - m))
    L = Value.sum(losses) / len(X)
    L.backward()
    for q in [w for row in W for w in row] + b:
        q.data -= 1.0 * q.grad
    return time.perf_counter() - start


def main():
    X_train, X_test, y_train, y_test = digits()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} "
          "(other programs running slow the wall clock)")
    calib = min(calibration() for _ in range(3))
    runs = [train_once(X_train, y_train) for _ in range(3)]
    seconds, model = min(runs, key=lambda r: r[0])
    test_acc = accuracy(model, X_test, y_test, loss="softmax_ce")
    print(f"mlp({LESSON_NETWORK['sizes']}), {LESSON_TRAINING['epochs']} epochs, batches of "
          f"{LESSON_TRAINING['batch_size']}: {seconds:.2f} s (best of 3), "
          f"test accuracy {test_acc:.1%} (target >= 95%)")
    print(f"calibration (200 numpy 256x256 products): {calib:.3f} s; ratio training / calibration "
          f"{seconds / calib:.2f}")
    steps = LESSON_TRAINING["epochs"] * len(X_train)
    numpy_per_digit = seconds / steps
    value_per_digit = min(value_step_seconds(X_train[:20], y_train[:20]) for _ in range(3)) / 20
    print(f"one training step per digit: Value engine, Dense(64, 10): {1e3 * value_per_digit:.2f} ms; "
          f"numpy, mlp([64, 32, 10]): {1e6 * numpy_per_digit:.1f} us; "
          f"Value / numpy {value_per_digit / numpy_per_digit:.0f}x")
    print(f"training_seconds: {seconds:.2f} (target <= {TARGET_SECONDS:.0f})")


if __name__ == "__main__":
    main()
