"""Lesson 09's speed target: the character model trains in <= 20 s on 2 cores.

    .venv/bin/python benchmarks/names_training.py

Prints
* the seconds to train lesson 09's char_mlp (context 3, embeddings of 2 numbers, 64 tanh
  neurons) for 30 epochs of Adam in batches of 64 on the 28,901 (context, next) pairs of
  the 4,130 training names (best of 2), and its held-out loss against the counting
  (bigram) model's, the comparison the lesson makes after only 8 epochs;
* the same for the lesson's own 8 epochs;
* a calibration: the seconds of a fixed pure-numpy workload (200 products of 256 x 256
  matrices, as benchmarks/digits_training.py), so that times from different machines
  can be compared: `ratio` is the training time divided by it.  The CPU seconds beside the
  wall-clock ones show what the run costs when the machine is busy with other programs.
`training_seconds: X` comes last; the target is X <= 20.
"""
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as in the tests: one thread, fair on 2 cores
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # find nnlib


from nnlib.data import names  # noqa: E402
from nnlib.language import (Vocabulary, bigram_counts, bigram_probs, char_mlp,  # noqa: E402
                            make_pairs, nll)
from nnlib.losses import softmax  # noqa: E402
from nnlib.train import fit  # noqa: E402
from nnlib.widgets.names import LESSON_MODEL, LESSON_TRAINING  # noqa: E402

from calibration import numpy_calibration as calibration  # noqa: E402  (benchmarks/calibration.py)

TARGET_SECONDS = 20.0
FULL_EPOCHS = 30


def train_once(X, y, epochs):
    model = char_mlp(**LESSON_MODEL)
    start, cpu = time.perf_counter(), time.process_time()
    fit(model, X, y, progress=False, **dict(LESSON_TRAINING, epochs=epochs))
    return time.perf_counter() - start, model, time.process_time() - cpu


def main():
    train_names, test_names = names()
    vocab = Vocabulary(train_names + test_names)
    k = LESSON_MODEL["context"]
    X, y = make_pairs(train_names, vocab, context=k)
    X_test, y_test = make_pairs(test_names, vocab, context=k)
    X1, y1 = make_pairs(test_names, vocab, context=1)
    bigram = nll(bigram_probs(bigram_counts(train_names, vocab), alpha=1.0)[X1[:, 0].astype(int)], y1)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} "
          "(other programs running slow the wall clock)")
    print(f"{len(X):,} training pairs, {len(X_test):,} held-out pairs; counting (bigram) model, "
          f"held-out loss {bigram:.3f}")
    calib = min(calibration() for _ in range(3))
    lesson_s, lesson_model, _ = train_once(X, y, LESSON_TRAINING["epochs"])
    lesson_loss = nll(softmax(lesson_model.forward(X_test)), y_test)
    print(f"the lesson's {LESSON_TRAINING['epochs']} epochs: {lesson_s:.2f} s, held-out loss "
          f"{lesson_loss:.3f}")
    runs = [train_once(X, y, FULL_EPOCHS) for _ in range(2)]
    seconds, model, cpu = min(runs, key=lambda r: r[0])
    loss = nll(softmax(model.forward(X_test)), y_test)
    print(f"char_mlp, {FULL_EPOCHS} epochs of Adam in batches of {LESSON_TRAINING['batch_size']}: "
          f"{seconds:.2f} s (best of 2; {cpu:.2f} s of CPU), held-out loss {loss:.3f} against the bigram's {bigram:.3f}")
    print(f"calibration (200 numpy 256x256 products): {calib:.3f} s; ratio training / calibration "
          f"{seconds / calib:.2f}")
    print(f"training_seconds: {seconds:.2f} (target <= {TARGET_SECONDS:.0f})")


if __name__ == "__main__":
    main()
