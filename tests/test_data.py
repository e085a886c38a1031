"""Tests for nnlib.data: shapes, ranges, balance, determinism, bad input."""
import re

import numpy as np
import pytest

from nnlib import data

GENERATORS_2D = {
    "xor_clouds": data.xor_clouds,
    "circles": data.circles,
    "moons": data.moons,
    "spirals": data.spirals,
    "blobs": data.blobs,
}


# ---- logic gates ----------------------------------------------------------

def test_xor_examples():
    X, y = data.xor()
    assert X.dtype == np.float64 and X.shape == (4, 2)
    assert y.dtype == np.int64 and y.shape == (4,)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])


@pytest.mark.parametrize(
    "gate, expected",
    [
        ("AND", [0, 0, 0, 1]),
        ("OR", [0, 1, 1, 1]),
        ("NAND", [1, 1, 1, 0]),
        ("NOR", [1, 0, 0, 0]),
        ("XOR", [0, 1, 1, 0]),
    ],
)
def test_truth_tables(gate, expected):
    X, y = data.truth_table(gate)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, expected)
    assert y.dtype == np.int64


def test_truth_table_accepts_lower_case():
    np.testing.assert_array_equal(data.truth_table("and")[1], [0, 0, 0, 1])


# ---- 2-D classification sets ----------------------------------------------

@pytest.mark.parametrize("name", GENERATORS_2D)
def test_shapes_dtypes_and_balance(name):
    X, y = GENERATORS_2D[name](n=200)
    assert X.shape == (200, 2) and X.dtype == np.float64
    assert y.shape == (200,) and y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), [100, 100])
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", GENERATORS_2D)
def test_odd_n_is_balanced_within_one(name):
    X, y = GENERATORS_2D[name](n=101)
    counts = np.bincount(y)
    assert len(X) == 101 and counts.sum() == 101
    assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", GENERATORS_2D)
def test_range_fits_the_plotting_square(name):
    X, _ = GENERATORS_2D[name](n=500)
    assert np.abs(X).max() < 3.0
    # nearly every point lies in [-2, 2] x [-2, 2]
    assert np.mean(np.abs(X).max(axis=1) <= 2.0) >= 0.97


@pytest.mark.parametrize("name", [n for n in GENERATORS_2D if n != "blobs"])
def test_noise_free_points_lie_in_documented_square(name):
    X, _ = GENERATORS_2D[name](n=300, noise=0.0)
    assert np.abs(X).max() <= 1.5 + 1e-12


@pytest.mark.parametrize("name", GENERATORS_2D)
def test_same_seed_same_arrays_other_seed_differs(name):
    make = GENERATORS_2D[name]
    X1, y1 = make(n=50, seed=3)
    X2, y2 = make(n=50, seed=3)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = make(n=50, seed=4)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", GENERATORS_2D)
def test_rows_are_shuffled(name):
    _, y = GENERATORS_2D[name](n=200)
    assert 0 < y[:20].sum() < 20  # both classes appear among the first rows


def test_xor_clouds_labels_follow_xor_of_signs():
    X, y = data.xor_clouds(n=400, noise=0.1)
    expected = (X[:, 0] > 0) != (X[:, 1] > 0)
    np.testing.assert_array_equal(y, expected.astype(np.int64))
    # the four clouds are symmetric about the origin
    assert np.abs(X.mean(axis=0)).max() < 0.05


def test_circles_radii():
    X, y = data.circles(n=200, noise=0.0, factor=0.4)
    radius = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.4)


def test_circles_are_whole_rings():
    """Angles drawn from [0, 2*pi): both rings have points in all four quadrants."""
    X, y = data.circles(n=200, noise=0.0)
    for ring in (X[y == 0], X[y == 1]):
        quadrants = {(bool(px > 0), bool(py > 0)) for px, py in ring}
        assert len(quadrants) == 4


def test_moons_are_point_symmetric_halves():
    X, y = data.moons(n=400, noise=0.0)
    upper, lower = X[y == 0], X[y == 1]
    # upper moon: (cos t - 0.5, sin t - 0.25) with t in [0, pi]
    np.testing.assert_allclose(np.linalg.norm(upper + [0.5, 0.25], axis=1), 1.0)
    assert upper[:, 1].min() >= -0.25 - 1e-12
    np.testing.assert_allclose(np.linalg.norm(lower - [0.5, 0.25], axis=1), 1.0)
    assert lower[:, 1].max() <= 0.25 + 1e-12


def test_spirals_classes_are_mirror_images():
    X, y = data.spirals(n=200, noise=0.0)
    radius = np.linalg.norm(X, axis=1)
    assert radius.min() >= 0.14 - 1e-12 and radius.max() <= 1.4 + 1e-12
    # a point on spiral 0 turned half way round lies on spiral 1: its angle
    # matches 2*pi*turns*s shifted by pi, with s = radius / 1.4
    for label, shift in [(0, 0.0), (1, np.pi)]:
        s = radius[y == label] / 1.4
        angle = np.arctan2(X[y == label, 1], X[y == label, 0])
        diff = np.angle(np.exp(1j * (angle - 2 * np.pi * 1.5 * s - shift)))
        np.testing.assert_allclose(diff, 0.0, atol=1e-9)


def test_blobs_int_centers_on_unit_circle():
    X, y = data.blobs(n=300, centers=3, std=0.05)
    np.testing.assert_array_equal(np.bincount(y), [100, 100, 100])
    for i in range(3):
        centre = X[y == i].mean(axis=0)
        angle = 2 * np.pi * i / 3
        np.testing.assert_allclose(centre, [np.cos(angle), np.sin(angle)], atol=0.02)


def test_blobs_array_centers():
    centers = [[-1.0, 1.0], [1.0, 1.0], [0.0, -1.0], [0.5, 0.0]]
    X, y = data.blobs(n=10, centers=centers, std=0.0)
    assert set(y.tolist()) == {0, 1, 2, 3}
    np.testing.assert_array_equal(X, np.array(centers)[y])


def test_datasets_registry_and_make_dataset():
    assert set(data.DATASETS) == {"xor", "circles", "moons", "spirals", "gaussians"}
    for name, generator in data.DATASETS.items():
        X, y = data.make_dataset(name, n=40, seed=1)
        X2, y2 = generator(n=40, seed=1)
        np.testing.assert_array_equal(X, X2)
        np.testing.assert_array_equal(y, y2)


def test_make_dataset_noise_is_passed_on():
    np.testing.assert_array_equal(
        data.make_dataset("moons", n=30, noise=0.3)[0], data.moons(n=30, noise=0.3)[0]
    )
    # for the Gaussian blobs the noise is their spread, std
    np.testing.assert_array_equal(
        data.make_dataset("gaussians", n=30, noise=0.0)[0], data.blobs(n=30, std=0.0)[0]
    )


# ---- regression curves ------------------------------------------------------

@pytest.mark.parametrize("name", sorted(data.CURVES))
def test_curve_shapes_sorted_and_range(name):
    x, y = data.curve(name, n=50)
    assert x.shape == (50, 1) and x.dtype == np.float64
    assert y.shape == (50,) and y.dtype == np.float64
    assert np.all(np.diff(x[:, 0]) >= 0)
    assert x.min() >= -1 and x.max() <= 1
    assert y.min() >= -1 and y.max() <= 1  # noise-free values stay in [-1, 1]


def test_curve_values_and_noise():
    x, y = data.curve("sine", n=30)
    np.testing.assert_allclose(y, np.sin(np.pi * x[:, 0]))
    x, y = data.curve("square", n=30)
    np.testing.assert_allclose(y, x[:, 0] ** 2)
    x_noisy, y_noisy = data.curve("square", n=30, noise=0.1)
    np.testing.assert_array_equal(x_noisy, x)  # noise only touches y
    assert 0 < np.std(y_noisy - y) < 0.2


def test_curve_formulas_and_x_spread_over_minus_1_to_1():
    x, y = data.curve("bump", n=100)
    np.testing.assert_allclose(y, np.exp(-x[:, 0] ** 2 / (2 * 0.25 ** 2)))
    assert x.min() < -0.9 and x.max() > 0.9          # uniform on [-1, 1], both halves
    x, y = data.curve("step", n=100)
    np.testing.assert_array_equal(y, x[:, 0] >= 0)
    # the jump itself: step(0) = 1 ("1 for x >= 0"); a random x never hits 0 exactly
    np.testing.assert_array_equal(data.CURVES["step"](np.array([-0.5, 0.0, 0.5])), [0, 1, 1])
    x, y = data.curve("abs", n=100)
    np.testing.assert_allclose(y, np.abs(x[:, 0]))


def test_curve_determinism():
    a = data.curve("bump", n=20, noise=0.1, seed=5)
    b = data.curve("bump", n=20, noise=0.1, seed=5)
    c = data.curve("bump", n=20, noise=0.1, seed=6)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])


# ---- train/test split --------------------------------------------------------

def test_split_sizes_and_disjoint():
    X = np.arange(40, dtype=np.float64).reshape(20, 2)
    y = np.arange(20)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_ratio=0.25)
    assert X_train.shape == (15, 2) and X_test.shape == (5, 2)
    assert y_train.shape == (15,) and y_test.shape == (5,)
    assert set(y_train) | set(y_test) == set(range(20))
    assert not set(y_train) & set(y_test)
    # rows stay paired with their labels, and integer labels stay integers
    np.testing.assert_array_equal(X_train[:, 0], 2 * y_train)
    assert y_train.dtype == y.dtype


def test_split_rounds_the_test_share_to_the_nearest_row():
    """n_test = round(n * test_ratio): 10 * 0.27 = 2.7 gives 3 test rows, not 2."""
    X, y = np.zeros((10, 2)), np.arange(10)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_ratio=0.27)
    assert (len(y_train), len(y_test)) == (7, 3)


def test_digits_pixels_are_ink_counts_divided_by_16():
    """Each pixel counts 0..16 inked dots; X = pixel / 16 lies in [0, 1], full ink is 1."""
    X_train, X_test, _, _ = data.digits()
    X = np.concatenate([X_train, X_test])
    assert X.shape == (1797, 64)
    np.testing.assert_array_equal(X * 16, np.round(X * 16))
    assert X.min() == 0.0 and X.max() == 1.0


def test_split_determinism():
    X, y = data.moons(n=50)
    a = data.train_test_split(X, y, seed=1)
    b = data.train_test_split(X, y, seed=1)
    c = data.train_test_split(X, y, seed=2)
    for part_a, part_b in zip(a, b):
        np.testing.assert_array_equal(part_a, part_b)
    assert not np.array_equal(a[1], c[1])


# ---- bad input: the right error type, naming the parameter ------------------

@pytest.mark.parametrize(
    "call, error, word",
    [
        (lambda: data.moons(n=0), ValueError, "n must"),
        (lambda: data.moons(n=2.5), TypeError, "n must"),
        (lambda: data.xor_clouds(n=3), ValueError, "n must"),
        (lambda: data.blobs(n=2, centers=3), ValueError, "n must"),
        (lambda: data.circles(noise=-0.1), ValueError, "noise must"),
        (lambda: data.spirals(noise="lots"), TypeError, "noise must"),
        (lambda: data.spirals(turns=0), ValueError, "turns must"),
        (lambda: data.circles(factor=1.5), ValueError, "factor must"),
        (lambda: data.circles(factor=1.0), ValueError, "factor must"),   # two equal rings
        (lambda: data.blobs(std=-1), ValueError, "std must"),
        (lambda: data.blobs(centers=[[0, 0, 0]]), ValueError, "centers must"),
        (lambda: data.blobs(centers="two"), TypeError, "centers must"),
        (lambda: data.moons(seed=1.5), TypeError, "seed must"),
        (lambda: data.moons(seed=-1), ValueError, "seed must"),
        (lambda: data.make_dataset("donut"), ValueError, "name"),
        (lambda: data.truth_table("XAND"), ValueError, "gate"),
        (lambda: data.curve("cosh"), ValueError, "name"),
        (lambda: data.curve("sine", n=-5), ValueError, "n must"),
        (lambda: data.curve("sine", noise=-1), ValueError, "noise must"),
        (lambda: data.train_test_split(np.zeros((4, 2)), [0, 1, 0]), ValueError, "same number"),
        (lambda: data.train_test_split(np.zeros((4, 2)), [0, 1, 0, 1], test_ratio=1.0), ValueError, "test_ratio must"),
        (lambda: data.train_test_split(np.zeros((4, 2)), [0, 1, 0, 1], test_ratio=0.05), ValueError, "test_ratio="),
        (lambda: data.train_test_split(np.zeros(4), [0, 1, 0, 1]), ValueError, "X must"),
        (lambda: data.train_test_split("abc", [0, 1, 0]), TypeError, "X must"),
    ],
)
def test_bad_input_names_the_parameter(call, error, word):
    with pytest.raises(error) as info:
        call()
    assert word in str(info.value)


def test_unknown_dataset_lists_the_choices():
    with pytest.raises(ValueError, match="'spirals'"):
        data.make_dataset("spiral")


def test_blobs_share_outside_the_plotting_square_is_as_documented():
    # the module docstring: "about N points in 100 fall outside" [-2, 2] x [-2, 2]
    docstring = " ".join(data.__doc__.split())
    documented = int(re.search(r"about (\d+) points? in 100 fall", docstring).group(1))
    X, _ = data.blobs(n=100_000)
    outside = np.mean(np.abs(X).max(axis=1) > 2.0)  # centres (+-1, 0), std 0.5: P(z > 2) = 2.3%
    assert round(100 * outside) == documented
