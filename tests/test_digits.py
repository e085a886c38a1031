"""Lesson 08's data and tools: the shipped digits, their split, the confusion matrix, the
pictures, and the targets (>= 95% test accuracy; the Value engine learns the same way)."""
import hashlib
import re
from pathlib import Path

import matplotlib
import numpy as np
import pytest

from nnlib.data import DIGITS_FILE, digit_images, digits
from nnlib.layers import mlp
from nnlib.plots import confusion_plot, show_digit, weight_images
from nnlib.train import accuracy, confusion_matrix, predict
from nnlib.widgets.digits import LESSON_NETWORK, LESSON_TRAINING, train_lesson_model

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parent.parent


# ---- the file ----------------------------------------------------------------------

def test_the_shipped_file_is_small_and_holds_the_uci_test_set():
    assert DIGITS_FILE.stat().st_size < 100_000
    images, labels = digit_images()
    assert images.shape == (1797, 8, 8) and images.dtype == np.uint8
    assert labels.shape == (1797,) and labels.dtype == np.int64
    assert images.min() == 0 and images.max() == 16
    # the class sizes of optdigits.tes (UCI): 178 0s, 182 1s, ... as scikit-learn ships it
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    # the very first image is a 0: a ring of ink with an empty middle
    assert labels[0] == 0 and images[0, 3:5, 3:5].max() == 0 and images[0, 3:5, 2].min() >= 8
    # the arrays are exactly the ones tools/extract_digits.py wrote (its printed checksum)
    digest = hashlib.sha256(images.tobytes() + labels.astype(np.uint8).tobytes()).hexdigest()
    assert digest == "87ff0c9e40dc7e2c0e34e7257799c2e3f3aec1a016363bb11cad869ec428a826"


def test_source_and_licence_are_stated_beside_the_file_and_in_the_package_data():
    readme = (ROOT / "nnlib" / "datasets" / "README.md").read_text(encoding="utf-8")
    for fact in ["Optical Recognition of Handwritten Digits", "Alpaydin", "Kaynak", "CC BY 4.0",
                 "10.24432/C50P49", "tools/extract_digits.py"]:
        assert fact in readme
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'nnlib = \[.*"datasets/\*\.npz"', pyproject)


# ---- digits() ------------------------------------------------------------------------

def test_digits_split_scaled_and_seeded():
    X_train, X_test, y_train, y_test = digits()
    assert X_train.shape == (1348, 64) and X_test.shape == (449, 64)
    assert X_train.dtype == np.float64 and y_train.dtype == np.int64
    assert X_train.min() == 0.0 and X_train.max() == 1.0
    images, labels = digit_images()
    # every row is one image, row by row, divided by 16; no image is in both sets
    rows = {tuple(r) for r in (images.reshape(-1, 64) / 16.0).tolist()}
    assert all(tuple(r) in rows for r in X_test.tolist())
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == sorted(labels.tolist())
    again = digits()
    assert all(np.array_equal(a, b) for a, b in zip(again, (X_train, X_test, y_train, y_test)))
    other = digits(seed=1)
    assert not np.array_equal(other[1], X_test)
    assert len(digits(test_ratio=0.1)[1]) == 180


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(test_ratio=0), ValueError, "test_ratio must be between 0 and 1"),
    (dict(test_ratio=1.2), ValueError, "test_ratio must be between 0 and 1"),
    (dict(test_ratio="a quarter"), TypeError, "test_ratio must be a number"),
    (dict(seed=-3), ValueError, "seed must be 0 or more"),
    (dict(seed=0.5), TypeError, "seed must be a whole number"),
])
def test_digits_bad_arguments_get_clear_errors(kwargs, error, words):
    with pytest.raises(error, match=words):
        digits(**kwargs)


# ---- the targets -----------------------------------------------------------------------

def test_the_lesson_network_reads_at_least_95_percent_of_the_test_digits():
    X_train, X_test, y_train, y_test = digits()
    model = train_lesson_model()
    test_acc = accuracy(model, X_test, y_test, loss="softmax_ce")
    assert test_acc >= 0.95
    assert round(test_acc, 3) == 0.976  # the lesson prints this number (nbval checks the print)
    assert LESSON_NETWORK["sizes"] == [64, 32, 10] and LESSON_TRAINING["loss"] == "softmax_ce"


def test_an_untrained_network_guesses_and_its_loss_is_log_10():
    from nnlib.losses import softmax_cross_entropy
    X_train, X_test, y_train, y_test = digits()
    model = mlp([64, 32, 10], seed=0)
    assert accuracy(model, X_test, y_test, loss="softmax_ce") < 0.3
    assert abs(softmax_cross_entropy(model.forward(X_train), y_train) - np.log(10)) < 0.3


def test_the_value_engine_learns_the_same_way_on_a_small_subset():
    """The scalar engine of lesson 05 trains a small softmax classifier on 20 digits."""
    from nnlib import Value
    X_train, _, y_train, _ = digits()
    X, y = X_train[:20], y_train[:20]
    rng = np.random.default_rng(0)
    W = [[Value(float(w)) for w in row] for row in rng.normal(0, 0.1, (64, 10))]
    b = [Value(0.0) for _ in range(10)]
    losses = []
    for _ in range(5):
        total = []
        for x, t in zip(X, y):
            z = [Value.sum([W[p][c] * float(x[p]) for p in range(64) if x[p]] + [b[c]])
                 for c in range(10)]
            m = max(v.data for v in z)
            exps = [(v - m).exp() for v in z]
            total.append(-(exps[t] / Value.sum(exps)).log())
        L = Value.sum(total) / len(X)
        for p in [w for row in W for w in row] + b:
            p.grad = 0.0
        L.backward()
        for p in [w for row in W for w in row] + b:
            p.data -= 1.0 * p.grad
        losses.append(L.data)
    assert losses[0] > 2.0 and losses[-1] < 0.5 * losses[0]


# ---- confusion matrix and pictures -----------------------------------------------------

def test_confusion_matrix_counts_pairs():
    C = confusion_matrix([0, 1, 2, 2, 1], [0, 1, 0, 2, 1], k=3)
    assert C.tolist() == [[1, 0, 0], [0, 2, 0], [1, 0, 1]]
    assert C.dtype == np.int64 and C.sum() == 5 and np.trace(C) == 4
    assert confusion_matrix([1], [1], k=4).shape == (4, 4)


def test_confusion_matrix_of_the_lesson_network_agrees_with_accuracy():
    X_train, X_test, y_train, y_test = digits()
    model = train_lesson_model()
    C = confusion_matrix(y_test, predict(model, X_test, loss="softmax_ce"), k=10)
    assert C.sum() == 449 and np.trace(C) / C.sum() == accuracy(model, X_test, y_test, "softmax_ce")
    assert C.sum(axis=1).tolist() == np.bincount(y_test, minlength=10).tolist()


@pytest.mark.parametrize("args, error, words", [
    (([0, 1], [0], 2), ValueError, "same number of samples"),
    (([0, 3], [0, 1], 3), ValueError, "y_true must hold whole-number class labels from 0 to 2"),
    (([0, 1], [0, 1.5], 3), ValueError, "y_pred must hold whole-number"),
    (([0, 1], [0, 1], 0), ValueError, "k must be at least 1"),
    (([[0, 1]], [0, 1], 2), ValueError, "y_true must be a 1-D array"),
])
def test_confusion_matrix_bad_input(args, error, words):
    with pytest.raises(error, match=words):
        confusion_matrix(*args)


def test_pictures_draw_what_they_say():
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 3)
    C = np.array([[5, 1], [0, 4]])
    confusion_plot(C, ax=axes[0], title="C")
    texts = [t.get_text() for t in axes[0].texts]
    assert texts == ["5", "1", "0", "4"]
    assert axes[0].get_xlabel() == "predicted class" and axes[0].get_ylabel() == "true class"
    images, _ = digit_images()
    show_digit(images[0], ax=axes[1], title="a 0")
    assert axes[1].images[0].get_array().shape == (8, 8)
    assert np.array_equal(axes[1].images[0].get_array(), images[0])
    fig2, grid = plt.subplots(2, 3)
    W = np.arange(64 * 5, dtype=float).reshape(64, 5) - 100
    drawn = weight_images(W, grid)
    assert len(drawn) == 5 and not grid[1, 2].axison
    assert np.array_equal(drawn[2].get_array(), W[:, 2].reshape(8, 8))
    assert drawn[0].get_clim() == (-W.max(), W.max())
    plt.close("all")
    with pytest.raises(ValueError, match="C must be square"):
        confusion_plot(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="64 pixels"):
        show_digit(np.zeros(10))
    with pytest.raises(ValueError, match="64 rows"):
        weight_images(np.zeros((10, 2)), grid)
