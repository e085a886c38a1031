"""Checks for exercises/01-xor.ipynb: one neuron, logic gates, XOR from two layers.

The neuron of lesson 01 (and of nnlib/widgets/perceptron.py):

    z = w1 * x1 + w2 * x2 + b        y_hat = 1 if z >= 0, else 0

Every check runs your function on several inputs, compares with a reference
neuron written below (`_neuron`), and reports the first difference with a hint.
"""
import numpy as np

from nnlib.data import blobs, truth_table

from .base import (CheckFailed, call, check_cases, close, guarded, numbers, passed, replaced,
                   show)

# The dataset of the last task: two round clouds, class 0 around (-1, 1), class 1 around (1, 0).
BLOBS = dict(n=200, centers=[[-1.0, 1.0], [1.0, 0.0]], seed=1)
TARGET_ACCURACY = 0.95


# ---------------------------------------------------------------- reference --

def _z(X, w, b):
    """z = w1 * x1 + w2 * x2 + b for one point (2,) or every row of X (n, 2)."""
    X = np.asarray(X, dtype=float)
    return w[0] * X[..., 0] + w[1] * X[..., 1] + b


def _step(z):
    """1 if z >= 0, else 0.  z is rounded to 9 decimals first (as in the widget), so a
    float rounding error such as 0.1 + 0.2 - 0.3 = 5.6e-17 does not decide the answer."""
    return (np.round(z, 9) >= 0).astype(np.int64)


def _neuron(X, w, b):
    """The lesson's perceptron: 1 if w1 * x1 + w2 * x2 + b >= 0, else 0 (no rounding)."""
    return (_z(X, w, b) >= 0).astype(np.int64)


def _gate(name, X):
    """A logic gate's answer for every row of X (rows of bits)."""
    X = np.asarray(X).astype(np.int64)
    x1, x2 = X[..., 0], X[..., 1]
    return {"AND": x1 & x2, "OR": x1 | x2, "NAND": 1 - (x1 & x2), "NOR": 1 - (x1 | x2),
            "XOR": x1 ^ x2, "XNOR": 1 - (x1 ^ x2)}[name]


def _pattern_name(y_hat):
    """What a list of four answers (rows 00, 01, 10, 11) computes: 'AND', 'all 1', ..."""
    X, _ = truth_table("AND")
    y_hat = tuple(int(v) for v in y_hat)
    if len(set(y_hat)) == 1:
        return f"all {y_hat[0]}"
    for name in ("AND", "OR", "NAND", "NOR", "XOR", "XNOR"):
        if y_hat == tuple(_gate(name, X)):
            return name
    return None


def _bits(x):
    """(0, 1) rather than [0., 1.] in messages."""
    return "(" + ", ".join(f"{v:g}" for v in np.asarray(x, dtype=float)) + ")"


def _wb(w, b):
    """'w = (1, 1), b = -1.5' for messages."""
    return f"w = ({w[0]:g}, {w[1]:g}), b = {b:g}"


# ------------------------------------------------------------ task 1: neuron --

@guarded
def neuron(fn):
    """Check neuron(X, w, b): 1 where w1*x1 + w2*x2 + b >= 0, else 0, for every row of X.

    Cases: the AND gate's truth table, the lesson's example (with a point exactly on the
    line), mixed signs, large coordinates, a batch of one row and a single point (2,).
    """
    X4, _ = truth_table("AND")
    cases = [
        (X4, [1, 1], -1.5),
        (np.array([[1.0, 1.0], [0.0, 0.0], [2.0, 0.0], [0.5, 0.5]]), [1, 2], -2),
        (np.array([[3.0, -1.0], [-2.0, 4.0], [0.0, 0.0], [1.0, 1.0]]), np.array([2.0, -1.0]), 0.5),
        (np.array([[1000.0, 999.5], [0.0, 0.0], [-2000.0, -2000.0]]), [1, -1], -0.5),
        (np.array([[0.0, 1.0]]), [1, 1], -1),
        (np.array([2.0, 0.5]), [1, 2], -3),
    ]

    def strict(X, w, b):  # z > 0 instead of z >= 0
        return (_z(X, w, b) > 0).astype(int)

    def no_bias(X, w, b):
        return _neuron(X, w, 0)

    def raw_z(X, w, b):
        return _z(X, w, b)

    def column(X, w, b):  # w as a (2, 1) column: one answer per row, but in a column
        return _neuron(X, w, b)[..., None]

    def swapped(X, w, b):  # w1 paired with x2
        return _neuron(X, [w[1], w[0]], b)

    def rows_for_columns(X, w, b):  # X[0], X[1] (the first two points) instead of X[:, 0], X[:, 1]
        X = np.asarray(X, dtype=float)
        return (w[0] * X[0] + w[1] * X[1] + b >= 0).astype(int)

    def flipped(X, w, b):  # 1 and 0 the wrong way round
        return 1 - _neuron(X, w, b)

    def whole_numbers(X, w, b):  # X cast to int: 0.5 becomes 0, 999.5 becomes 999
        return _neuron(np.asarray(X).astype(int), w, b)

    mistakes = [
        (strict, "a point exactly on the line (z = 0) must give 1: use z >= 0, not z > 0."),
        (no_bias, "it looks like the bias b is missing: z = w1*x1 + w2*x2 + b."),
        (raw_z, "you returned z itself: the neuron answers 0 or 1 (1 where z >= 0)."),
        (column, "one answer per point, shape (n,) rather than a column (n, 1): "
                 "keep w as a flat pair, as in X @ w or w[0] * X[..., 0] + w[1] * X[..., 1]."),
        (swapped, "w1 belongs with x1 (the first column X[..., 0]) and w2 with x2."),
        (rows_for_columns, "X[0] is the first point (a row); the first coordinate of every "
                           "point is the column X[..., 0] (or X[:, 0])."),
        (flipped, "0 and 1 are the wrong way round: the neuron says 1 where z >= 0."),
        (whole_numbers, "the points can have fractions (0.5, 999.5): casting X to int cuts them "
                        "off. Use the numbers as they are (np.asarray(X, dtype=float))."),
    ]
    crash_hints = [
        ("matmul", "each row of X is one point: X @ w gives one z per row "
                   "(X.T @ w or w @ X mixes up the axes)."),
        ("not aligned", "each row of X is one point: X @ w gives one z per row."),
        ("too many indices", "X can also be a single point of shape (2,): X[..., 0] picks the "
                             "first coordinate both of one point and of every row."),
    ]
    check_cases("neuron", fn, _neuron, cases, mistakes=mistakes, crash_hints=crash_hints,
                hint="compute z = w1*x1 + w2*x2 + b for every row, then 1 where z >= 0.",
                arg_names=("X", "w", "b"),
                changed_hint="leave the caller's X (and w) as they are: the network of task 4 "
                             "feeds the same X to two neurons. Build new arrays instead of "
                             "assigning into X or using *=, +=: e.g. z = X @ w + b, or "
                             "w[0] * X[..., 0] + w[1] * X[..., 1] + b.")


# ------------------------------------------------------- task 2: gate weights --

def _weights(task, fn):
    """Call fn() and return its (w, b) as (float array (2,), float), or explain the problem."""
    result = call(task, fn, ())
    example = "e.g. `return [1, 1], -1.5`"
    try:
        w, b = result
        w = np.asarray(w, dtype=float)
        b = float(b)
    except (TypeError, ValueError):
        raise CheckFailed(f"{task}() returned {show(result)}: return a pair (w, b) with "
                          f"w = [w1, w2] and b a number, {example}.") from None
    if w.shape != (2,):
        raise CheckFailed(f"{task}() returned w = {show(w)}: w must hold two numbers "
                          f"[w1, w2], {example}.")
    if not (np.all(np.isfinite(w)) and np.isfinite(b)):
        raise CheckFailed(f"{task}() returned {_wb(w, b)}: "
                          "use ordinary (finite) numbers.")
    return w, b


def _check_weights(task, fn, H, y, hints, general, shown=None, where=""):
    """Run a neuron with fn()'s weights on the points H (rows of bits); compare with y.

    It uses _step, which rounds z, so weights such as (0.1, 0.2), b = -0.3 are judged
    by their exact maths (z = 0 at (1, 1)), as in the widget, not by a rounding error.

    shown: how to name each row in the message (default: the point itself).
    hints: {pattern name ("AND", "all 1", ...): hint} for the four answers.
    """
    w, b = _weights(task, fn)
    z = _z(H, w, b)
    z = np.round(z, 9) + 0.0  # + 0.0 turns -0.0 into 0.0 for the message
    y_hat = _step(z)
    wrong = np.flatnonzero(y_hat != y)
    if len(wrong) == 0:
        return w, b
    i = wrong[0]
    row = shown[i] if shown is not None else f"x = {_bits(H[i])}"
    message = (f"{task}() returned {_wb(w, b)}{where}\n"
               f"  at {row}: z = {z[i]:.6g}, expected {y[i]}, got {y_hat[i]}")
    if abs(z[i]) < 1e-9 and y[i] == 0:
        hint = ("z = 0 exactly there: a point on the line counts as 1 (z >= 0). "
                "Move the line a little further: change b.")
    else:
        name = _pattern_name(y_hat)
        hint = hints.get(name, general)
        if name and name not in hints and not name.startswith("all"):
            hint = f"these weights compute {name}. " + general
    raise CheckFailed(f"{message}\n  hint: {hint}")


def _gate_check(task, fn, gate, hints, general):
    X, y = truth_table(gate)
    w, b = _check_weights(task, fn, X, y, hints, general)
    passed(task, f"{_wb(w, b)} computes {gate} on all four rows")


@guarded
def and_weights(fn):
    """Check and_weights() -> (w, b): a neuron that computes AND (1 only for (1, 1))."""
    _gate_check("and_weights", fn, "AND", {
        "OR": "these weights compute OR: one input of 1 already reaches z >= 0. "
              "Lower b until only (1, 1) does (for w = (1, 1): b from -2 up to, not including, -1).",
        "NAND": "these weights compute NAND, AND upside down: flip the signs of all three.",
        "all 1": "every corner reaches z >= 0, even (0, 0) where z = b: b must be negative "
                 "(did its sign flip?).",
        "all 0": "no corner reaches z >= 0: (1, 1) must, so w1 + w2 + b >= 0.",
    }, "only (1, 1) may reach z >= 0: try w = (1, 1) and choose b from the four z values.")


@guarded
def or_weights(fn):
    """Check or_weights() -> (w, b): a neuron that computes OR (1 unless both inputs are 0)."""
    _gate_check("or_weights", fn, "OR", {
        "AND": "these weights compute AND: for OR a single 1 must already reach z >= 0. "
               "Raise b (for w = (1, 1): b from -1 up to, not including, 0).",
        "NOR": "these weights compute NOR, OR upside down: flip the signs of all three.",
        "all 1": "(0, 0) gives z = b, and OR wants 0 there: b must be negative "
                 "(did its sign flip?).",
        "all 0": "no corner reaches z >= 0: (0, 1) and (1, 0) must, so w2 + b >= 0 and w1 + b >= 0.",
    }, "(0, 0) must stay below 0 (so b < 0) and each single 1 must reach z >= 0.")


@guarded
def nand_weights(fn):
    """Check nand_weights() -> (w, b): a neuron that computes NAND (0 only for (1, 1))."""
    _gate_check("nand_weights", fn, "NAND", {
        "AND": "those are AND's weights: NAND is AND upside down, so negate w1, w2 and b.",
        "all 0": "no corner reaches z >= 0, not even (0, 0) where z = b: b must be >= 0. "
                 "Did you negate w but not b?",
        "all 1": "(1, 1) also reaches z >= 0: w1 + w2 + b must be negative. "
                 "Did you negate b but not w?",
        "NOR": "these weights compute NOR (not OR): NAND is not AND, so negate AND's weights.",
    }, "NAND is AND upside down: take AND's w1, w2, b and flip all three signs.")


# -------------------------------------------------------------- task 4: XOR --

def _xor_reference(X):
    X = np.asarray(X, dtype=float)
    h = np.stack([_neuron(X, [1, 1], -0.5), _neuron(X, [-1, -1], 1.5)], axis=-1)
    return _neuron(h, [1, 1], -1.5)


@guarded
def xor_network(fn):
    """Check xor_network(X): XOR of the two bits in every row of X, shape (n,).

    Cases: the four rows of the truth table, a batch of six rows in another order
    (with repeats), and a batch of one row.
    """
    X4, _ = truth_table("XOR")
    cases = [
        (X4,),
        (np.array([[1.0, 1.0], [1.0, 0.0], [0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 1.0]]),),
        (np.array([[1.0, 0.0]]),),
    ]

    def gate_of(name):
        return lambda X: _gate(name, X)

    def stacked_as_rows(X):  # np.stack([h1, h2]) without axis=-1: shape (2, n)
        h = np.stack([_neuron(X, [1, 1], -0.5), _neuron(X, [-1, -1], 1.5)])
        return _neuron(h, [1, 1], -1.5)

    mistakes = [
        (gate_of("AND"), "your network computes AND. Is h2 an AND instead of a NAND, or does the "
                         "output neuron look at X instead of the hidden point (h1, h2)?"),
        (lambda X: np.ones(len(X), dtype=int),
         "every answer is 1: is the output neuron an OR? It must be an AND of h1 and h2 "
         "(1 only when both say yes)."),
        (lambda X: np.zeros(len(X), dtype=int),
         "every answer is 0: check that h1 is an OR (an AND there leaves no input with "
         "h1 = h2 = 1) and that the output neuron is an AND of (h1, h2)."),
        (gate_of("XNOR"), "the answers are the opposite of XOR: the output neuron must be an "
                          "AND (did you use a NAND there?)."),
        (gate_of("OR"), "your network computes OR: is h2 an OR too? It must be a NAND "
                        "(\"not both\"), so that (1, 1) is answered 0."),
        (stacked_as_rows, "stack h1 and h2 as columns, np.stack([h1, h2], axis=-1), so that each "
                          "row of H is one hidden point (shape (n, 2))."),
    ]
    stack_hint = ("the hidden points must have shape (n, 2), one row (h1, h2) per input: "
                  "np.stack([h1, h2], axis=-1).")
    crash_hints = [("matmul", stack_hint), ("not aligned", stack_hint)]
    out = call("xor_network", fn, (X4,), crash_hints=crash_hints)
    if isinstance(out, tuple):
        raise CheckFailed(f"xor_network{show((X4,))} returned a tuple of {len(out)} items\n"
                          "  hint: return only the output neuron's answers (shape (n,)), "
                          "not (y_hat, H) as the lesson's xor_net did.")
    check_cases("xor_network", fn, _xor_reference, cases, mistakes=mistakes,
                crash_hints=crash_hints,
                hint="XOR(x1, x2) = AND(OR(x1, x2), NAND(x1, x2)): two hidden neurons, "
                     "then one output neuron on (h1, h2).", say=False)
    _built_from_neurons(fn, X4)
    passed("xor_network", f"{len(cases)} cases, and the answer comes from your neurons")


def _built_from_neurons(fn, X):
    """The rule "using only your neuron", tested by its effect (any way of writing it passes:
    a helper function, a loop over the rows, a list comprehension).

    1. With `neuron` swapped for a spy that gives the right answers and counts its calls:
       it must be called.
    2. With a neuron that answers upside down on the hidden points (any input other than
       the task's X, or a part of it), the answer must change: an output neuron fed with
       the hidden points decides it, not `^`, `==`, `&` or arithmetic.
    3. With a neuron that answers 0 on the task's X (the input layer: X itself, a part of
       it, or a copy of all of it) and rightly elsewhere, the answer must change: every
       input then has the same hidden point, so a network says the same for all four.
       Hidden points made without a neuron on X (x1 != x2 fed to one neuron, or the
       hidden layer worked out by hand) leave it unchanged.  (Neurons fed copies of X's
       rows pass: the check cannot tell such rows from hidden points, see below.)
    """
    calls, given = [], []

    def spy(X_in, w, b):
        calls.append(X_in)
        return _neuron(X_in, w, b)

    def upside_down_on_hidden(X_in, w, b):
        y = _neuron(X_in, w, b)
        if isinstance(X_in, np.ndarray) and any(np.shares_memory(X_in, g) for g in given):
            return y  # the input layer: the task's points themselves, or some of them
        return 1 - y

    copied_rows = []  # points equal to a row of X, but not X's own: a loop over a copy?

    def silent_on_inputs(X_in, w, b):
        y = _neuron(X_in, w, b)
        values = numbers(X_in)
        if (isinstance(X_in, np.ndarray) and any(np.shares_memory(X_in, g) for g in given)
                or values is not None and values.shape == X.shape and np.array_equal(values, X)):
            return np.zeros_like(y)  # the input layer (X.astype(float) is a copy of all of X)
        if values is not None and values.shape == X.shape[1:]:
            copied_rows.extend(v for v in X if np.array_equal(v, values))
        return y

    task = "xor_network: the rule \"using only your neuron\""
    with replaced(fn, "neuron", spy):
        call(task, fn, (X.copy(),))
    how = ("build it from three neurons, h1 = neuron(X, *or_weights()), "
           "h2 = neuron(X, *nand_weights()), and the output neuron(H, *and_weights()) "
           "on H = np.stack([h1, h2], axis=-1): no ^, ==, != or & on the inputs.")
    if not calls:
        raise CheckFailed("xor_network gives the right answers, but never calls your `neuron`"
                          f"\n  hint: the point of this task is the network: {how}")

    def remembering(X_in):  # fn, noting the copy of X it is given
        given.append(X_in)
        return fn(X_in)

    with replaced(fn, "neuron", upside_down_on_hidden):
        out = call(task, remembering, (X,))
    if close(out, _gate("XOR", X)):
        raise CheckFailed(
            "xor_network gives the right answers, but they do not come from an output neuron: "
            "when `neuron` answers differently on the hidden points, your answer stays the same"
            f"\n  hint: feed the hidden points to a third neuron and return its answer: {how}")
    given.clear()
    with replaced(fn, "neuron", silent_on_inputs):
        out = call(task, remembering, (X,))
    # Neurons fed copies of X's rows (for x1, x2 in X: neuron(np.array([x1, x2]), ...)) are
    # an honest way to write it, but a copied row of 0s and 1s looks like a hidden point, so
    # the check cannot tell that input layer: it gives the answer the benefit of the doubt.
    if close(out, _gate("XOR", X)) and not copied_rows:
        raise CheckFailed(
            "xor_network gives the right answers, but its hidden points do not come from your "
            "neurons on X: when `neuron` answers differently on the inputs X, your answer stays "
            f"the same\n  hint: the hidden layer is two neurons fed with X itself: {how}")


# ---------------------------------------------------------- task 5: rescue --

@guarded
def rescue_weights(fn):
    """Check rescue_weights() -> (w, b): an output neuron that turns h1 = OR, h2 = AND into XOR."""
    X, y = truth_table("XOR")
    H = np.stack([_gate("OR", X), _gate("AND", X)], axis=-1).astype(float)
    shown = [f"x = {_bits(x)} (hidden point h = {_bits(h)})" for x, h in zip(X, H)]
    w, b = _check_weights("rescue_weights", fn, H, y, {
        "AND": "that is the old AND output: (1, 1) lands on h = (1, 1), which an AND accepts. "
               "Here the 1s land on h = (1, 0): only that point may reach z >= 0.",
        "OR": "h2 = 1 only for the input (1, 1), which must be answered 0: "
              "give h2 a negative weight.",
        "all 1": "every hidden point reaches z >= 0, even h = (0, 0) where z = b: b must be negative.",
        "all 0": "no hidden point reaches z >= 0: h = (1, 0) must, so w1 + b >= 0.",
    }, "in hidden space the targets are h = (0, 0) -> 0, (1, 0) -> 1, (1, 1) -> 0: "
       "only (1, 0) may reach z >= 0.", shown=shown, where=" as the output neuron")
    passed("rescue_weights", f"{_wb(w, b)} on (h1, h2) = (OR, AND) gives XOR "
                             "on all four inputs")


# ----------------------------------------------------------- task 6: blobs --

def blobs_data():
    """The two clouds of the last task, (X, y): the same arrays the check uses."""
    return blobs(**BLOBS)


def _draw(X, y, w, b, title):
    """The clouds, the neuron's line and its 1 side (light orange), in a small figure."""
    import matplotlib.pyplot as plt

    from nnlib.plots import grid, scatter_classes

    fig, ax = plt.subplots(figsize=(4.5, 4), layout="constrained")
    lim = 3.0
    xx, yy, points = grid(lim, resolution=60)
    ax.contourf(xx, yy, _neuron(points, w, b).reshape(xx.shape), levels=[-0.5, 0.5, 1.5],
                colors=["#ffffff", "#ffe0c2"])
    if np.any(w != 0):  # the line through p0 (its point nearest the origin), along (-w2, w1)
        p0 = -b * w / (w @ w)
        ax.axline(p0, p0 + np.array([-w[1], w[0]]), color="k", lw=2)
    scatter_classes(X, y, ax=ax, title=title)
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal")
    ax.legend(loc="lower left", fontsize=8)
    plt.show()
    plt.close(fig)


@guarded
def separate_blobs(fn, draw=True):
    """Check separate_blobs() -> (w, b): a neuron that answers class 1 on at least 95% of
    the points of blobs_data() (class 1 where z >= 0).  draw: show the line over the points."""
    X, y = blobs_data()
    w, b = _weights("separate_blobs", fn)
    accuracy = float(np.mean(_neuron(X, w, b) == y))
    flipped = 1 - accuracy
    if draw:
        _draw(X, y, w, b, f"{_wb(w, b)}: {accuracy:.1%} right")
    if accuracy >= TARGET_ACCURACY:
        passed("separate_blobs", f"{_wb(w, b)} gets {accuracy:.1%} of the "
                                 f"{len(y)} points right")
        return
    answers = _neuron(X, w, b)
    if not np.any(w):
        hint = "w1 = w2 = 0 makes z = b for every point: no line at all. Give w a direction."
    elif np.all(answers == answers[0]):
        hint = (f"every point gets the answer {answers[0]}: the line misses both clouds. "
                "Slide it between them with b.")
    elif flipped >= TARGET_ACCURACY:
        hint = (f"the line is good but the sides are swapped ({flipped:.1%} with the answers "
                "flipped): negate w1, w2 and b so that class 1 (orange) gets z >= 0.")
    else:
        hint = ("the line cuts through a cloud. A good line passes halfway between the two "
                "centres, at right angles to the segment joining them.")
    raise CheckFailed(f"separate_blobs() returned {_wb(w, b)}\n"
                      f"  accuracy: {accuracy:.1%} of the {len(y)} points, "
                      f"needed: at least {TARGET_ACCURACY:.0%}\n  hint: {hint}")
