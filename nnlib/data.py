"""Small toy datasets, made up on the spot from a seed.

Nothing is downloaded or read from disk: every dataset is drawn from
`np.random.default_rng(seed)`, so the same seed always gives the very same
arrays, and a different seed gives a different sample of the same shape.

Classification sets (2-D points with class labels) return `(X, y)`:

    X   float64 array of shape (n, 2), one point per row
    y   int64 array of shape (n,), class labels 0, 1, ..., k-1

The classes are as balanced as n allows (their sizes differ by at most one),
and the rows come in shuffled order, so any slice X[:m] holds a mix of classes.

Range: without noise, every point lies inside the square [-1.5, 1.5] x [-1.5, 1.5].
With the default noise almost all points stay inside [-2, 2] x [-2, 2], a fixed
square that shows every set (blobs, whose default std is 0.5, is the widest:
about 2 points in 100 fall outside it).

    xor_clouds  four round clouds at (+-1, +-1), labelled like XOR
    circles     a ring of radius 1 around a ring of radius `factor`
    moons       two interlocking half circles
    spirals     two spirals winding around each other
    blobs       round Gaussian clouds, one per class

Regression curves (`curve`) return x of shape (n, 1) on [-1, 1] and y of shape (n,).

Two real datasets are shipped with the course instead of made up: `digits`, 1,797
handwritten digits of 8 x 8 pixels, and `names`, 5,163 English first names (lesson 09);
nnlib/datasets/README.md says where they come from.
"""
import numbers
from pathlib import Path

import numpy as np

from nnlib import validate


# ---------------------------------------------------------------------------
# Logic gates: the four possible inputs of two bits, and each gate's output.
# ---------------------------------------------------------------------------

GATES = ("AND", "OR", "NAND", "NOR", "XOR")


def truth_table(gate):
    """The truth table of a logic gate on two input bits a and b.

    gate: "AND", "OR", "NAND", "NOR" or "XOR" (lower case is fine too).

        AND:  1 if a and b are both 1          NAND = 1 - AND
        OR:   1 if at least one of a, b is 1   NOR  = 1 - OR
        XOR:  1 if exactly one of a, b is 1

    Returns X, float64 of shape (4, 2), the rows [0,0], [0,1], [1,0], [1,1],
    and y, int64 of shape (4,), the gate's output for each row.
    """
    if isinstance(gate, str):
        gate = gate.upper()
    validate.check_choice(gate, "gate", GATES)
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    a = X[:, 0].astype(np.int64)
    b = X[:, 1].astype(np.int64)
    outputs = {
        "AND": a & b,
        "OR": a | b,
        "NAND": 1 - (a & b),
        "NOR": 1 - (a | b),
        "XOR": a ^ b,
    }
    return X, outputs[gate]


def xor():
    """The four XOR examples: X = [[0,0],[0,1],[1,0],[1,1]], y = [0, 1, 1, 0].

    No single straight line separates the 1s from the 0s: the classic problem
    that one neuron cannot solve and a network with a hidden layer can.
    """
    return truth_table("XOR")


# ---------------------------------------------------------------------------
# Helpers shared by the generators.
# ---------------------------------------------------------------------------

def _rng(seed):
    """A numpy random generator for a whole-number seed >= 0."""
    return np.random.default_rng(validate.check_seed(seed))


def _check_spread(value, name):
    """A standard deviation (noise, std): a number >= 0."""
    value = validate.check_number(value, name)
    if value < 0:
        raise ValueError(
            f"{name} must be 0 or more (it is a standard deviation), got {value}"
        )
    return value


def _check_n(n, n_groups, what):
    """n must be a whole number with at least one point per group."""
    n = validate.check_positive_int(n, "n")
    if n < n_groups:
        raise ValueError(f"n must be at least {n_groups} (one point per {what}), got {n}")
    return n


def _group_sizes(n, k):
    """Split n points into k groups whose sizes differ by at most one.

    Example: n=10, k=4 -> [3, 3, 2, 2].
    """
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    return sizes


def _finish(parts, labels, noise, rng, noise_name="noise"):
    """Stack the groups, add Gaussian noise, shuffle the rows; return (X, y).

    parts:  a list of (m_i, 2) arrays of noise-free points, one per group.
    labels: the class label of each group.
    A noise so large that points overflow (noise=1e308) is an error naming it.
    """
    X = np.concatenate(parts).astype(np.float64)
    y = np.concatenate(
        [np.full(len(part), label, dtype=np.int64) for part, label in zip(parts, labels)]
    )
    with np.errstate(over="ignore", invalid="ignore"):  # checked just below
        X = X + noise * rng.normal(size=X.shape)
    validate.check_finite_result(X, noise_name, noise)
    # Shuffle so that the rows do not come sorted by class.
    order = rng.permutation(len(y))
    return X[order], y[order]


def _on_circle(angles, radius=1.0):
    """Points (radius * cos(angle), radius * sin(angle)) as an (m, 2) array.

    radius is one number, or one radius per angle.
    """
    return np.column_stack([radius * np.cos(angles), radius * np.sin(angles)])


# ---------------------------------------------------------------------------
# 2-D classification sets.
# ---------------------------------------------------------------------------

def xor_clouds(n=200, noise=0.2, seed=0):
    """XOR with noise: four clouds of points around the corners (+-1, +-1).

    Label = XOR of the signs: 0 when x1 and x2 have the same sign
    (corners (-1,-1) and (1,1)), 1 when they differ ((-1,1) and (1,-1)).
    noise is the standard deviation of each cloud. Needs n >= 4.
    """
    n = _check_n(n, 4, "corner")
    noise = _check_spread(noise, "noise")
    rng = _rng(seed)
    # The corners go round the square, so their labels alternate 0, 1, 0, 1
    # and the remainder of n // 4 is shared fairly between the two classes.
    corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, 1.0], [1.0, -1.0]])
    labels = [0, 1, 0, 1]
    parts = [np.tile(corner, (m, 1)) for corner, m in zip(corners, _group_sizes(n, 4))]
    return _finish(parts, labels, noise, rng)


def circles(n=200, noise=0.05, factor=0.5, seed=0):
    """Two rings around the origin: class 0 on radius 1, class 1 on radius factor.

    Each point is (r * cos(t), r * sin(t)) with t drawn uniformly from [0, 2*pi),
    plus Gaussian noise of standard deviation noise. 0 < factor < 1.
    """
    n = _check_n(n, 2, "class")
    noise = _check_spread(noise, "noise")
    factor = validate.check_number(factor, "factor")
    if not 0 < factor < 1:
        raise ValueError(
            f"factor must be between 0 and 1 (the inner ring's radius), got {factor}"
        )
    rng = _rng(seed)
    n_outer, n_inner = _group_sizes(n, 2)
    outer = _on_circle(rng.uniform(0, 2 * np.pi, n_outer), radius=1.0)
    inner = _on_circle(rng.uniform(0, 2 * np.pi, n_inner), radius=factor)
    return _finish([outer, inner], [0, 1], noise, rng)


def moons(n=200, noise=0.1, seed=0):
    """Two interlocking half circles ("moons") of radius 1.

    Class 0, the upper moon:  (cos(t) - 0.5, sin(t) - 0.25) for t in [0, pi].
    Class 1, the lower moon:  the upper moon turned half way round the origin,
                              (0.5 - cos(t), 0.25 - sin(t)).
    The shift by (0.5, 0.25) centres the pair, so x1 spans [-1.5, 1.5] and x2
    spans [-0.75, 0.75]. Gaussian noise of standard deviation noise is added.
    """
    n = _check_n(n, 2, "class")
    noise = _check_spread(noise, "noise")
    rng = _rng(seed)
    n_upper, n_lower = _group_sizes(n, 2)
    shift = np.array([0.5, 0.25])
    upper = _on_circle(rng.uniform(0, np.pi, n_upper)) - shift
    lower = -(_on_circle(rng.uniform(0, np.pi, n_lower)) - shift)
    return _finish([upper, lower], [0, 1], noise, rng)


def spirals(n=200, noise=0.05, turns=1.5, seed=0):
    """Two spirals winding around each other, one per class.

    Each point has a position s along its spiral, 0.1 <= s <= 1, and sits at
        radius r = 1.4 * s,  angle a = 2 * pi * turns * s.
    Class 0 is the point (r * cos(a), r * sin(a)); class 1 is the same spiral
    turned half way round the origin, (-r * cos(a), -r * sin(a)).
    turns (> 0) is how many times each spiral goes round; neighbouring arms of
    the two classes are 1.4 / (2 * turns) apart (0.47 for 1.5 turns), so noise
    much above 0.1 blurs them together. Gaussian noise of standard deviation
    noise is added.
    """
    n = _check_n(n, 2, "class")
    noise = _check_spread(noise, "noise")
    turns = validate.check_positive(turns, "turns")
    rng = _rng(seed)
    parts = []
    for m, direction in zip(_group_sizes(n, 2), [1.0, -1.0]):
        # s = sqrt(u) with u uniform in [0.01, 1], not s uniform: the spiral is
        # longer far from the centre (its length grows like s), so this puts more
        # points there and spreads them evenly along the curve. Starting at
        # s = 0.1 keeps points off the centre, where the two spirals meet.
        s = np.sqrt(rng.uniform(0.01, 1.0, m))
        with np.errstate(over="ignore", invalid="ignore"):  # checked just below
            angles = validate.check_finite_result(2 * np.pi * turns * s, "turns", turns)
        parts.append(direction * _on_circle(angles, radius=1.4 * s))
    return _finish(parts, [0, 1], noise, rng)


def blobs(n=200, centers=2, std=0.5, seed=0):
    """Round Gaussian clouds ("blobs"), one per class.

    centers: either a whole number k, and the k centres sit evenly spaced on the
             circle of radius 1 (centre i at angle 2 * pi * i / k, so for k = 2
             they are (1, 0) and (-1, 0)); or an array of shape (k, 2) giving
             the centres yourself.
    std:     the standard deviation of every cloud.
    Class i is the cloud around centre i, so the labels are 0, ..., k-1. Needs n >= k.
    """
    if isinstance(centers, numbers.Integral) and not isinstance(centers, bool):
        k = validate.check_positive_int(centers, "centers")
        centers = _on_circle(2 * np.pi * np.arange(k) / k)
    else:
        centers = validate.as_array(centers, "centers", ndim=2, shape_hint="(k, 2)")
        if centers.shape[1] != 2:
            raise ValueError(
                f"centers must have shape (k, 2), one 2-D point per row, got {centers.shape}"
            )
    k = len(centers)
    n = _check_n(n, k, "center")
    std = _check_spread(std, "std")
    rng = _rng(seed)
    parts = [np.tile(center, (m, 1)) for center, m in zip(centers, _group_sizes(n, k))]
    return _finish(parts, range(k), std, rng, noise_name="std")


# The 2-D sets by name, as the widgets list them.
DATASETS = {
    "xor": xor_clouds,
    "circles": circles,
    "moons": moons,
    "spirals": spirals,
    "gaussians": blobs,
}


def make_dataset(name, n=200, noise=None, seed=0):
    """The 2-D classification set called name, as (X, y).

    name:  "xor", "circles", "moons", "spirals" or "gaussians" (see DATASETS).
    noise: the standard deviation of the noise; None means the generator's own
           default. For "gaussians" it is the spread (std) of each blob.
    """
    validate.check_choice(name, "dataset name", tuple(DATASETS))
    generator = DATASETS[name]
    if noise is None:
        return generator(n=n, seed=seed)
    noise = _check_spread(noise, "noise")   # named as you passed it, not "std"
    # blobs calls its noise "std": the clouds are nothing but noise around a centre.
    noise_keyword = "std" if generator is blobs else "noise"
    return generator(n=n, seed=seed, **{noise_keyword: noise})


# ---------------------------------------------------------------------------
# 1-D regression curves.
# ---------------------------------------------------------------------------

def _sine(x):
    """sine(x) = sin(pi * x): one full wave on [-1, 1]."""
    return np.sin(np.pi * x)


def _step(x):
    """step(x) = 0 for x < 0 and 1 for x >= 0: a jump at 0."""
    return (x >= 0).astype(np.float64)


def _abs(x):
    """abs(x) = |x|: a V with a kink at 0."""
    return np.abs(x)


def _square(x):
    """square(x) = x^2: a parabola."""
    return x ** 2


def _bump(x):
    """bump(x) = exp(-x^2 / (2 * 0.25^2)): a Gaussian bump of width 0.25 at 0."""
    return np.exp(-(x ** 2) / (2 * 0.25 ** 2))


CURVES = {
    "sine": _sine,
    "step": _step,
    "abs": _abs,
    "square": _square,
    "bump": _bump,
}


def curve(name="sine", n=100, noise=0.0, seed=0):
    """Samples of a 1-D function for regression: y = f(x) + noise.

    x is drawn uniformly from [-1, 1] and sorted, so plt.plot(x, y) draws a
    clean line. noise is the standard deviation of Gaussian noise on y.

        sine:    sin(pi * x)                  values in [-1, 1]
        step:    0 for x < 0, 1 for x >= 0    values 0 and 1
        abs:     |x|                          values in [0, 1]
        square:  x^2                          values in [0, 1]
        bump:    exp(-x^2 / (2 * 0.25^2))     values in (0, 1]

    Returns x, float64 of shape (n, 1) (one feature per row, ready for a
    network), and y, float64 of shape (n,).
    """
    validate.check_choice(name, "curve name", tuple(CURVES))
    n = validate.check_positive_int(n, "n")
    noise = _check_spread(noise, "noise")
    rng = _rng(seed)
    x = np.sort(rng.uniform(-1.0, 1.0, n))
    with np.errstate(over="ignore", invalid="ignore"):  # checked just below
        y = CURVES[name](x) + noise * rng.normal(size=n)
    validate.check_finite_result(y, "noise", noise)
    return x.reshape(n, 1), y


# ---------------------------------------------------------------------------
# Held-out data.
# ---------------------------------------------------------------------------

def train_test_split(X, y, test_ratio=0.25, seed=0):
    """Shuffle the rows, then keep a fraction test_ratio of them aside for testing.

    n_test = round(n * test_ratio) rows go to the test set, the rest to the
    training set; no row is in both. Rows of X stay paired with their labels in y.
    X must be 2-D, (n_samples, n_features); y keeps its own dtype.

    Returns X_train, X_test, y_train, y_test.
    """
    X = validate.as_array(X, "X", ndim=2, shape_hint="(n_samples, n_features)")
    # Checked only: y is returned with its own dtype, so integer labels stay integers.
    validate.as_array(y, "y", ndim=1, shape_hint="(n_samples,)")
    y = np.asarray(y)
    validate.check_same_length(X, y)
    test_ratio = validate.check_number(test_ratio, "test_ratio")
    if not 0 < test_ratio < 1:
        raise ValueError(f"test_ratio must be between 0 and 1 (exclusive), got {test_ratio}")
    n = len(y)
    n_test = int(round(n * test_ratio))
    if n_test == 0 or n_test == n:
        raise ValueError(
            f"test_ratio={test_ratio} of n={n} samples leaves "
            f"{n - n_test} for training and {n_test} for testing: both need at least 1"
        )
    order = _rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


# ---------------------------------------------------------------------------
# Real data: handwritten digits, read from a file shipped with nnlib.
# ---------------------------------------------------------------------------

DIGITS_FILE = Path(__file__).resolve().parent / "datasets" / "digits.npz"


def digit_images():
    """All 1,797 handwritten digits as pictures: images, labels.

    images  uint8 array (1797, 8, 8): ink from 0 (white) to 16 (black), row 0 at the top
    labels  int64 array (1797,): the digit drawn, 0 to 9

    The UCI "Optical Recognition of Handwritten Digits" set (Alpaydin and Kaynak,
    CC BY 4.0): each pixel counts the inked dots in a 4 x 4 block of a 32 x 32 scan.
    Read from nnlib/datasets/digits.npz; nothing is downloaded.
    """
    with np.load(DIGITS_FILE) as data:
        return data["images"].copy(), data["labels"].astype(np.int64)


def digits(test_ratio=0.25, seed=0):
    """The handwritten digits, ready for a network: X_train, X_test, y_train, y_test.

    X  float64 (n, 64): each 8 x 8 image read row by row into 64 numbers and scaled
       to [0, 1] (pixel / 16), so 0 is white paper and 1 full ink
    y  int64 (n,): the digit, 0 to 9, a class label for loss="softmax_ce"

    The 1,797 images are shuffled with `seed` and a fraction test_ratio of them
    is kept aside for testing, exactly as train_test_split does (the default
    gives 1,348 training and 449 test images).  A picture back from a row:
    X[i].reshape(8, 8).
    """
    images, labels = digit_images()
    X = images.reshape(len(images), 64).astype(np.float64) / 16.0
    return train_test_split(X, labels, test_ratio=test_ratio, seed=seed)


# ---------------------------------------------------------------------------
# Real data: first names, read from a text file shipped with nnlib (lesson 09).
# ---------------------------------------------------------------------------

NAMES_FILE = Path(__file__).resolve().parent / "datasets" / "names.txt"


def all_names():
    """All 5,163 first names, lowercase letters a-z, sorted: a list of str.

    The 1990 US Census lists of female and male first names (public domain),
    one name per line in nnlib/datasets/names.txt; nothing is downloaded.
    """
    return NAMES_FILE.read_text(encoding="ascii").split()


def names(test_ratio=0.2, seed=0):
    """The first names, shuffled with `seed` and split: train_names, test_names.

    Two lists of str.  round(5163 * test_ratio) names go to the test list (the
    default keeps 1,033 aside and trains on 4,130); no name is in both.  A whole
    name is held out, never a piece of one, so the test names are truly unseen.
    """
    test_ratio = validate.check_number(test_ratio, "test_ratio")
    if not 0 < test_ratio < 1:
        raise ValueError(f"test_ratio must be between 0 and 1 (exclusive), got {test_ratio}")
    words = all_names()
    n_test = int(round(len(words) * test_ratio))
    if n_test == 0 or n_test == len(words):
        raise ValueError(f"test_ratio={test_ratio} of {len(words)} names leaves "
                         f"{len(words) - n_test} for training and {n_test} for testing: "
                         "both need at least 1")
    order = _rng(seed).permutation(len(words))
    return [words[i] for i in order[n_test:]], [words[i] for i in order[:n_test]]
