"""Checks for exercises/03-nonlinearity.ipynb: layers as matrix products, collapsing
linear layers, bumps from two sigmoids, and fitting a curve with a sum of bumps.

The notation of lesson 03:

    a layer             z = X @ W + b      X (n, k): one row per sample
                                           W (k, m): one column per neuron
                                           b (m,):   one bias per neuron, added to every row
    two linear layers   (X @ W1 + b1) @ W2 + b2 = X @ W + b
                        with W = W1 @ W2 and b = b1 @ W2 + b2
    a bump              sigmoid(s * (x - left)) - sigmoid(s * (x - right))

Every check runs your function on several cases, compares with the reference
written below, and reports the first difference with a hint.
"""
import numpy as np

from nnlib.activations import sigmoid
from nnlib.data import curve

from .base import (CheckFailed, call, check_cases, close, difference, guarded, numbers, passed,
                   quiet, replaced, seen, show, wrong_parts)

# The data of the last task: 100 samples of sin(pi * x) on [-1, 1], and where the fit is judged.
FIT_DATA = dict(name="sine", n=100, seed=0)
FIT_X_NEW = np.linspace(-1.0, 1.0, 400)
TARGET_MSE = 0.01
MAX_BUMPS = 1000


def _target(x):
    """The curve behind FIT_DATA: sin(pi * x)."""
    return np.sin(np.pi * x)


def _cases(seed, shapes, scale=1.0):
    """Arrays with one decimal (easy to read in messages), one per shape, from a seeded rng."""
    rng = np.random.default_rng(seed)
    return [np.round(scale * rng.normal(size=shape), 1) for shape in shapes]


# ------------------------------------------------------- task 1: dense_forward --

def _dense(X, W, b):
    """z = X @ W + b."""
    return X @ W + b


@guarded
def dense_forward(fn):
    """Check dense_forward(X, W, b) -> z = X @ W + b, shape (n, m).

    Cases: the lesson's XOR inputs through 3 neurons, a square W (where X @ W.T gives
    wrong numbers instead of an error), one output neuron, a single sample (1, k),
    a zero row (z = b there) and large, negative inputs.
    """
    X4 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    cases = [
        (X4, np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), np.array([0.1, 0.2, 0.3])),
        (*_cases(1, [(3, 2), (2, 2)]), np.array([0.5, -1.0])),
        (*_cases(2, [(5, 3), (3, 1)]), np.array([0.7])),
        (*_cases(3, [(1, 4), (4, 2)]), np.array([1.0, -2.0])),
        (np.array([[0.0, 0.0, 0.0], [1.0, -1.0, 2.0]]), *_cases(4, [(3, 3), (3,)])),
        (np.array([[1000.0, -2000.0], [-1000.0, 0.0]]), np.array([[0.5, -1.5], [2.0, 1.0]]),
         np.array([-3.0, 3.0])),
    ]
    mistakes = [
        (lambda X, W, b: X @ W, "the bias is missing: z = X @ W + b."),
        (lambda X, W, b: X @ W.T + b, "no transpose: W already has one column per neuron, "
                                      "so X @ W pairs each sample with each neuron."),
        (lambda X, W, b: W @ X + b, "the order matters: X @ W (samples times weights), not W @ X."),
        (lambda X, W, b: X @ W + b.reshape(-1, 1),
         "b is one bias per neuron, shape (m,): X @ W + b adds it to every row. "
         "A column b of shape (m, 1) is added along the wrong axis."),
        (lambda X, W, b: X @ (W + b), "add b after the product: X @ W + b, not X @ (W + b)."),
        (lambda X, W, b: sigmoid(X @ W + b),
         "return z itself: the activation a = f(z) comes after this step."),
    ]
    crash_hints = [
        ("matmul", "X is (n, k), one row per sample, and W is (k, m), one column per neuron: "
                   "X @ W is (n, m). The inner sizes must match; W @ X or X @ W.T pair the "
                   "wrong axes."),
        ("could not be broadcast", "X @ W has shape (n, m) and b has shape (m,): adding them "
                                   "adds b to every row. Don't reshape b into a column, and "
                                   "use @ (the matrix product), not * (entry by entry)."),
    ]
    check_cases("dense_forward", fn, _dense, cases, mistakes=mistakes, crash_hints=crash_hints,
                hint="z = X @ W + b: the matrix product, then b added to every row.")


# ------------------------------------------------------------ task 2: collapse --

def _collapse(W1, b1, W2, b2):
    """The single layer (W, b) equal to two linear layers: W = W1 @ W2, b = b1 @ W2 + b2."""
    return W1 @ W2, b1 @ W2 + b2


def _two_layers(X, W1, b1, W2, b2):
    return (X @ W1 + b1) @ W2 + b2


def _collapse_cases():
    """(W1, b1, W2, b2) for several shapes: square first (every mistake gives numbers
    there, so its hint can be named), then the shapes of the lesson and some edge cases."""
    square = (np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([1.0, -1.0]),
              np.array([[2.0, 0.0], [1.0, 3.0]]), np.array([0.5, 0.5]))
    out = [square]
    for seed, (k, h, m) in enumerate([(3, 4, 2), (2, 2, 1), (2, 8, 1), (1, 3, 3)]):
        W1, b1, W2, b2 = _cases(10 + seed, [(k, h), (h,), (h, m), (m,)])
        out.append((W1, b1, W2, b2))
    # A first layer that does nothing (identity, zero bias): the result is the second layer.
    out.append((np.eye(2), np.zeros(2), np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]]),
                np.array([0.1, 0.2, 0.3])))
    out.append(tuple(_cases(20, [(2, 3), (3,), (3, 2), (2,)], scale=1000.0)))
    return out


def _probe(k):
    """A small fixed X with k inputs, to compare the two forward passes in messages."""
    return np.round(np.random.default_rng(99).normal(size=(2, k)), 1)


@guarded
def collapse(fn):
    """Check collapse(W1, b1, W2, b2) -> (W, b): the one linear layer equal to two.

    W = W1 @ W2 and b = b1 @ W2 + b2, so that X @ W + b == (X @ W1 + b1) @ W2 + b2.
    Cases: a square pair, shapes (3,4)(4,2), (2,2)(2,1), (2,8)(8,1) and (1,3)(3,3),
    a first layer that does nothing, and weights in the thousands.  A wrong answer is
    also shown on a small X: what the two layers give and what your single layer gives.
    """
    mistakes = {"W": [
        (lambda W1, b1, W2, b2: W2 @ W1,
         "the order matters: X meets W1 first, then W2, so W = W1 @ W2 (W2 @ W1 is another matrix)."),
        (lambda W1, b1, W2, b2: W1 * W2,
         "* multiplies entry by entry; the matrix product is W1 @ W2."),
        (lambda W1, b1, W2, b2: W1 + W2, "layers in a row multiply, they do not add: W = W1 @ W2."),
    ], "b": [
        (lambda W1, b1, W2, b2: b1 + b2,
         "b1 goes through the second layer too, so it gets multiplied by W2: b = b1 @ W2 + b2."),
        (lambda W1, b1, W2, b2: b1 @ W2,
         "the second layer adds its own bias at the end: b = b1 @ W2 + b2 (b2 is missing)."),
        (lambda W1, b1, W2, b2: b2,
         "the first layer's bias is missing: b1 passes through W2 and adds b1 @ W2."),
        (lambda W1, b1, W2, b2: W2 @ b1 + b2,
         "b1 is a row, one entry per hidden neuron: b1 @ W2, not W2 @ b1."),
        (lambda W1, b1, W2, b2: b1 @ W2 - b2, "b2 is added, not subtracted: b = b1 @ W2 + b2."),
    ]}
    hints = {"W": "two layers give (X @ W1 + b1) @ W2 + b2; multiply out the bracket "
                  "and read off W and b.",
             "b": "(X @ W1 + b1) @ W2 + b2 = X @ (W1 @ W2) + (b1 @ W2 + b2): b is the second "
                  "bracket."}
    crash_hints = [
        ("matmul", "W1 is (inputs, hidden) and W2 is (hidden, outputs): W = W1 @ W2 is "
                   "(inputs, outputs), and b1 @ W2 has one entry per output."),
        ("could not be broadcast", "b must have one entry per output: b1 @ W2 has that many, "
                                   "b1 has one per hidden neuron."),
    ]
    cases = _collapse_cases()
    for args in cases:
        W, b = _pair(call("collapse", fn, args, crash_hints=crash_hints), args)
        got, expected = {"W": W, "b": b}, dict(zip("Wb", _collapse(*args)))
        wrong = wrong_parts(got, expected, args, mistakes)
        if not wrong:
            continue
        name, hint = wrong[0]  # the first wrong part (W, then b)
        if close(W, expected["b"]) and close(b, expected["W"]):
            hint = "W and b are the wrong way round: return W, b (in that order)."
        W1, b1, W2, b2 = args
        raise CheckFailed(f"collapse(W1, b1, W2, b2) with\n"
                          f"  W1 = {show(W1)}, b1 = {show(b1)}\n"
                          f"  W2 = {show(W2)}, b2 = {show(b2)}"
                          + difference(expected[name], got[name], part=name)
                          + _compare_forward(args, W, b) + f"\n  hint: {hint or hints[name]}")
    passed("collapse", f"{len(cases)} cases, and X @ W + b equals the two layers on each")


def _pair(result, args):
    """The learner's (W, b) as float arrays, or a clear report if it is not such a pair."""
    try:
        if isinstance(result, np.ndarray):  # an array would unpack into its rows
            raise TypeError
        W, b = result
        return np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        shapes = ", ".join(f"{n} {np.shape(a)}" for n, a in zip(("W1", "b1", "W2", "b2"), args))
        raise CheckFailed(f"collapse(W1, b1, W2, b2) with {shapes} returned {show(result)}\n"
                          "  hint: return a pair of arrays: `return W, b`.") from None


def _compare_forward(args, W, b):
    """'for X = ..., two layers give ..., your single layer gives ...' for a message."""
    X = _probe(args[0].shape[0])
    two = _two_layers(X, *args)
    try:
        with quiet():
            one = X @ W + b
        if np.shape(one) != np.shape(two):
            raise ValueError
    except (ValueError, TypeError):
        return (f"\n  for X = {show(X)}, two layers give {show(two)},\n"
                f"  but X @ W + b with your W {np.shape(W)} and b {np.shape(b)} "
                "does not even have that shape")
    return (f"\n  for X = {show(X)}:\n  two layers give         {show(two)}\n"
            f"  your single layer gives {show(one)}")


# ---------------------------------------------------------------- task 4: bump --

def _bump(x, center, width, steepness=50.0):
    """About 1 for x within width / 2 of center, about 0 elsewhere."""
    left, right = center - width / 2, center + width / 2
    return sigmoid(steepness * (x - left)) - sigmoid(steepness * (x - right))


@guarded
def bump(fn):
    """Check bump(x, center, width, steepness=50) made from two sigmoids:

        sigmoid(s * (x - (c - w / 2))) - sigmoid(s * (x - (c + w / 2)))

    Cases: a row of x values with bumps around 0 and off centre, a column x (n, 1)
    (as nnlib.data.curve gives it), a single number, the default steepness, a width
    of zero (no bump at all) and a steepness of 1000 with x = +-1000, where a
    home-made sigmoid overflows.
    """
    x9 = np.linspace(-1.0, 1.0, 9)
    cases = [
        (x9, 0.0, 1.0, 50.0),
        (x9, 0.25, 0.5, 50.0),
        (np.array([[-0.9], [-0.6], [-0.5], [-0.3], [0.0]]), -0.5, 0.4, 20.0),
        (0.3, 0.3, 0.2, 50.0),
        (x9, 0.5, 1.0),
        (x9, 0.0, 0.0, 50.0),
        (np.array([-1000.0, -1.0, -0.001, 0.0, 1.0, 1000.0]), 0.0, 2.0, 1000.0),
    ]

    def edges(left, right):
        """A bump made with the given edge rule (x, c, w, s) -> (left, right)."""
        def wrong(x, c, w, s=50.0):
            lo, hi = left(c, w), right(c, w)
            return sigmoid(s * (x - lo)) - sigmoid(s * (x - hi))
        return wrong

    mistakes = [
        (lambda x, c, w, s=50.0: -_bump(x, c, w, s),
         "your bump points down: subtract the step at the RIGHT edge from the step at the "
         "left edge, sigmoid(s*(x - left)) - sigmoid(s*(x - right))."),
        (edges(lambda c, w: c - w, lambda c, w: c + w),
         "your bump is twice as wide: the edges are half a width from the centre, "
         "left = center - width/2 and right = center + width/2."),
        (lambda x, c, w, s=50.0: (sigmoid(s * (x - (c - w / 2)))
                                  + sigmoid(s * (x - (c + w / 2)))),
         "subtract the two steps, do not add them: the second step cancels the first "
         "beyond the right edge."),
        (edges(lambda c, w: c, lambda c, w: w),
         "here the arguments are the centre and the width, not the lesson's left and right "
         "edges: left = center - width/2, right = center + width/2."),
        (lambda x, c, w, s=50.0: (sigmoid(s * x - (c - w / 2)) - sigmoid(s * x - (c + w / 2))),
         "multiply the whole (x - edge) by the steepness: sigmoid(s * (x - left)), "
         "not sigmoid(s * x - left)."),
        (lambda x, c, w, s=50.0: _bump(x, c, w, 1.0),
         "the steepness is missing: without it each step climbs far too slowly."),
    ]
    check_cases("bump", fn, _bump, cases, mistakes=mistakes,
                hint="a step up at the left edge minus a step up at the right edge: "
                     "sigmoid(s*(x - left)) - sigmoid(s*(x - right)).",
                overflow_hint="nan or inf: here z = steepness * (x - edge) reaches about "
                              "+-1,000,000, and a home-made sigmoid such as "
                              "np.exp(z) / (1 + np.exp(z)) overflows (inf / inf = nan). Use "
                              "`sigmoid` from nnlib.activations (imported above): it never "
                              "overflows.")


# ------------------------------------------------------- task 5: fit with bumps --

def fit_data():
    """The samples (x, y) of the last task: the same arrays the check uses."""
    return curve(**FIT_DATA)


def _fit_output(fn, n_bumps, flip=1):
    """fn's fit with n_bumps bumps at FIT_X_NEW, flat (400,), or a clear report.
    flip = -1 gives fn the samples upside down, y -> -y (a fit must follow them)."""
    x, y = fit_data()
    args = (x, flip * y, n_bumps, FIT_X_NEW.copy())
    y_hat = call("fit_with_bumps", fn, args, crash_hints=[
        ("could not be broadcast", "x has shape (100, 1), a column, as nnlib.data.curve "
                                   "gives it; np.ravel(x) makes it flat like x_new."),
        ("object too deep", "np.interp wants flat arrays: np.ravel(x) makes the column x flat.")])
    call_text = f"fit_with_bumps(x, {'-y' if flip == -1 else 'y'}, n_bumps={n_bumps}, x_new)"
    if numbers(y_hat) is None:
        raise CheckFailed(f"{call_text} returned {show(y_hat)}\n"
                          "  hint: return the network's outputs at x_new, one number per point.")
    y_hat = np.asarray(y_hat, dtype=float)
    if y_hat.size != FIT_X_NEW.size or (y_hat.ndim == 2 and 1 not in y_hat.shape) or y_hat.ndim > 2:
        hint = "return one output per point of x_new: shape (400,)."
        if y_hat.size == len(y):
            hint = ("that is one output per sample: evaluate your bumps at x_new, "
                    "the 400 points where the fit is judged.")
        elif y_hat.ndim == 2:
            hint = ("a table instead of one output per point: did an (n, 1) column meet a flat "
                    "array and broadcast? np.ravel(x) makes x flat.")
        raise CheckFailed(f"{call_text} with x_new of shape {FIT_X_NEW.shape}\n"
                          f"  got an array of shape {y_hat.shape}\n  hint: {hint}")
    y_hat = y_hat.ravel()
    if not np.all(np.isfinite(y_hat)):
        first = int(np.flatnonzero(~np.isfinite(y_hat))[0])
        raise CheckFailed(
            f"{call_text}\n  got {y_hat[first]} at x_new = {FIT_X_NEW[first]:.4g} "
            f"({np.sum(~np.isfinite(y_hat))} of {y_hat.size} outputs are nan or inf)\n"
            "  hint: with many bumps some slices hold no sample at all, and the mean of no "
            "values is nan. Read each height with np.interp(center, x, y), or use fewer bumps.")
    return y_hat


def _mse(y_hat, flip=1):
    return float(np.mean((y_hat - flip * _target(FIT_X_NEW)) ** 2))


def _draw(y_hat, n_bumps, mse):
    """The samples, the target curve and the fit, in a small figure."""
    import matplotlib.pyplot as plt

    x, y = fit_data()
    fig, ax = plt.subplots(figsize=(5.5, 3.2), layout="constrained")
    ax.plot(FIT_X_NEW, _target(FIT_X_NEW), color="0.6", lw=1, label="target sin(πx)")
    ax.plot(x.ravel(), y, "o", color="C1", ms=3, label="samples (x, y)")
    ax.plot(FIT_X_NEW, y_hat, color="C0", lw=2, label=f"your {n_bumps} bumps")
    ax.set(title=f"{n_bumps} bumps: mean squared error {mse:.4g}", xlabel="x", ylabel="y")
    ax.legend(fontsize=8, loc="upper right")
    plt.show()
    plt.close(fig)


def _choice(fn):
    """choose_n_bumps() as a checked int."""
    n = call("choose_n_bumps", fn, ())
    if isinstance(n, (float, np.floating)) and float(n).is_integer():
        n = int(n)  # 12.0 is fine
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
        raise CheckFailed(f"choose_n_bumps() returned {n!r}\n"
                          "  hint: return a whole number of bumps (an int), not a string or a list.")
    if not 1 <= n <= MAX_BUMPS:
        raise CheckFailed(f"choose_n_bumps() returned {n}\n"
                          f"  hint: choose between 1 and {MAX_BUMPS} bumps.")
    return int(n)


@guarded
def fit_with_bumps(fn, choose_fn, draw=True):
    """Check fit_with_bumps(x, y, n_bumps, x_new) with n_bumps = choose_n_bumps().

    The fit is built from the samples fit_data() (100 points of sin(pi * x)) and
    judged at 400 evenly spaced points x_new on [-1, 1] against the true curve:
    the mean squared error must be below 0.01.  Then the rules: the fit follows the samples
    it is given (for -y it draws -sin(pi * x)), and it is made of n_bumps of your bumps.
    draw: show the fit.
    """
    n_bumps = _choice(choose_fn)
    y_hat = _fit_output(fn, n_bumps)
    mse = _mse(y_hat)
    if draw:
        _draw(y_hat, n_bumps, mse)
    units = f"{n_bumps} bump{'s' if n_bumps > 1 else ''} ({2 * n_bumps} sigmoid units)"
    if mse < TARGET_MSE:
        _follows_the_samples(fn, n_bumps)
        _follows_the_recipe(fn, n_bumps)
        fewest = _fewest(fn, n_bumps)
        note = ""
        if fewest is not None and fewest < n_bumps:
            note = f"; with your fit, {fewest} would already do"
        passed("fit_with_bumps", f"{units} reach mean squared error {mse:.4g} < {TARGET_MSE}{note}")
        return
    raise CheckFailed(f"fit_with_bumps(x, y, n_bumps={n_bumps}, x_new), n_bumps from "
                      f"choose_n_bumps()\n  mean squared error: {mse:.4g}, needed: below {TARGET_MSE}\n"
                      f"  hint: {_fit_hint(fn, y_hat, n_bumps, mse)}")


def _follows_the_samples(fn, n_bumps):
    """The task's "you only have the points", tested by its effect: given other samples,
    the same points upside down (y -> -y, samples of -sin(pi * x)), the fit must follow
    them as closely as it followed y. A fit whose heights come from the true curve itself
    (np.sin(np.pi * centers)) or from fit_data() still draws sin(pi * x)."""
    mse = _mse(_fit_output(fn, n_bumps, flip=-1), flip=-1)
    if mse < TARGET_MSE:
        return
    raise CheckFailed(
        f"fit_with_bumps(x, -y, n_bumps={n_bumps}, x_new): given the samples upside down "
        f"(-y, samples of -sin(πx)), your fit does not follow them\n  mean squared error "
        f"from -sin(πx): {mse:.4g}, needed: below {TARGET_MSE}, as for y\n  hint: use the "
        "points you are given: read each height from (x, y), e.g. np.interp(center, x, y), "
        "not from the true curve (np.sin), which the fit is to find.")


def _follows_the_recipe(fn, n_bumps):
    """The task's two rules, tested by their effect: the fit is made of YOUR bump (swap it
    for narrower bumps and the fit must change), and of n_bumps of them (a spy bump notes
    the centres it is asked for: n_bumps different centres, also for another n_bumps).
    How the heights are read is free, so nothing else is looked at."""
    def narrow(x, center, width, steepness=50.0):
        return _bump(x, center, np.asarray(width) / 4, steepness)

    call_text = "fit_with_bumps(x, y, n_bumps, x_new)"
    if seen(fn, "bump") is None:
        raise CheckFailed(f"{call_text} fits the curve, but without your `bump`\n"
                          "  hint: build the fit as the task says: a sum of your bumps from "
                          "Task 4, bump(x_new, center, width), times their heights.")
    for n in (n_bumps, 3 if n_bumps != 3 else 4):
        centers = []

        def spy(x, center, width, steepness=50.0):
            centers.extend(np.ravel(np.asarray(center, dtype=float)).tolist())
            return _bump(x, center, width, steepness)

        with replaced(fn, "bump", spy):
            y_spy = _fit_output(fn, n)
        if n == n_bumps:
            try:
                with replaced(fn, "bump", narrow):
                    y_narrow = _fit_output(fn, n)
            except CheckFailed:  # narrower bumps leave gaps: the fit changed, as it should
                y_narrow = None
            if y_narrow is not None and close(y_narrow, y_spy, rtol=1e-6, atol=1e-6):
                raise CheckFailed(
                    f"{call_text} fits the curve, but not with your `bump`: when the bumps "
                    "change (4 times narrower), your fit stays the same\n  hint: the network's "
                    "output is the sum of the bumps times their heights, h1 * bump(x_new, c1, "
                    "width) + ...: np.interp may read the heights, but not draw the curve.")
        found = len(np.unique(np.round(centers, 9)))
        if found != n:
            raise CheckFailed(
                f"fit_with_bumps(x, y, n_bumps={n}, x_new) used bumps with {found} different "
                f"centres, not {n}\n  hint: cut [-1, 1] into n_bumps slices, one bump centred "
                "in each: use the n_bumps you are given, e.g. "
                "edges = np.linspace(-1, 1, n_bumps + 1).")


def _fewest(fn, n_bumps):
    """The fewest bumps for which fn's fit reaches TARGET_MSE (None if that cannot be told)."""
    for n in range(1, min(n_bumps, 100)):  # (beyond 100 the note is not worth the time)
        try:
            if _mse(_fit_output(fn, n)) < TARGET_MSE:
                return n
        except CheckFailed:
            continue
    return None


def _fit_hint(fn, y_hat, n_bumps, mse):
    """Why a fit may fall short: the likely cause, judged from its outputs."""
    target = _target(FIT_X_NEW)
    if np.max(np.abs(y_hat)) < 1e-6:
        return ("every output is 0: are the heights all zero, or is each bump zero "
                "(check that the edges are not the same point)?")
    if _mse(-y_hat) < TARGET_MSE:
        return ("your curve is upside down: each bump's height is the samples' value near its "
                "centre (and each bump points up: left step minus right step).")
    if np.all(np.abs(y_hat) < 0.1 * np.max(np.abs(target))):
        return ("the curve stays near 0: are the heights the samples' values near each centre (about -1 to 1), "
                "and is each bump steep enough to reach its full height (steepness much larger "
                "than 1/width)?")
    for more in (2 * n_bumps, 4 * n_bumps):
        if more > MAX_BUMPS:
            break
        try:
            better = _mse(_fit_output(fn, more))
        except CheckFailed:
            break
        if better < TARGET_MSE:
            return (f"more bumps: with {more} your fit reaches {better:.4g}. "
                    "Narrow bumps follow the curve more closely.")
    return ("look at the picture: bumps side by side on [-1, 1], each 2/n_bumps wide, "
            "steep enough to look like a block (steepness much larger than 1/width), and as "
            "high as the samples near its centre.")
