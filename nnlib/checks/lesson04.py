"""Checks for exercises/04-gradient-descent.ipynb: the gradient of the mean squared error,
gradient descent, momentum, and choosing a learning rate.

The notation of lesson 04:

    the line            y_hat = w * x + b,   its error e = y_hat - y (one per point)
    the loss            L(w, b) = mean((w * x + b - y) ** 2)
    its gradient        dL/dw = mean(2 * e * x),   dL/db = mean(2 * e)
    gradient descent    p <- p - lr * grad(p)                  p: the point (the parameters)
    momentum            v <- beta * v - lr * grad(p),  p <- p + v      (v starts at 0)

The right answers come from the small private references below; the tests check
that they take exactly the steps of nnlib.descent.descend.  Every check runs your
function on several cases and reports the first difference with a hint.
"""
import math

import numpy as np

from nnlib.descent import SURFACES, descend

from .base import (CheckFailed, Named, call, close, guarded, known_mistake, passed, show,
                   wrong_parts)

# Task 4: plain gradient descent on the lesson's valley, from its usual start.
VALLEY_START = (-3.5, 1.5)
VALLEY_STEPS = 50
TARGET_LOSS = 1e-3


# ---------------------------------------------------------------- helpers --

class _Grad(Named):
    """A gradient function with a readable name, so that messages say `valley_grad`,
    and what it is (`about`); it takes and returns float arrays."""

    def __init__(self, name, about, f):
        super().__init__(name, lambda p: np.asarray(f(np.asarray(p, dtype=float)), dtype=float))
        self.about = about


def _surface_grad(name, about):
    """The gradient of a 2-D surface of nnlib.descent, taking and returning an array."""
    grad = SURFACES[name].grad
    return _Grad(f"{name}_grad", about, lambda p: np.array(grad(p[0], p[1]), dtype=float))


VALLEY = _surface_grad("valley", "(x, 20 y), the gradient of f = 0.5 (x² + 20 y²)")
BOWL = _surface_grad("bowl", "(2x, 2y), the gradient of f = x² + y²")
ROSENBROCK = _surface_grad("rosenbrock", "the gradient of f = (1 - x)² + 10 (y - x²)²")
PARABOLA = _Grad("parabola_grad", "(2x,), the gradient of f = x² (one parameter)", lambda p: 2 * p)
BOWL3 = _Grad("bowl3_grad", "(2(x - 1), 4(y + 2), 6z), the gradient of "
                            "f = (x - 1)² + 2 (y + 2)² + 3 z² (three parameters)",
              lambda p: np.array([2 * (p[0] - 1), 4 * (p[1] + 2), 6 * p[2]]))


def _descent(grad, start, lr, beta, steps):
    """The private reference: all the points of  v = beta*v - lr*grad(p);  p = p + v."""
    p = np.array(start, dtype=float)
    v = np.zeros_like(p)
    path = [p]
    for _ in range(steps):
        v = beta * v - lr * grad(p)
        p = p + v
        path.append(p)
    return np.array(path)


def _as_path(got, n, d):
    """The learner's path as an (n', d) float array, or a (problem, hint) pair."""
    if got is None:
        return "got: None", "nothing was returned: end your function with `return path`."
    try:
        path = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return (f"got: {show(got)}",
                "return the path: a list of points (numpy arrays, all of the same length), "
                "or a 2-D array with one row per point.")
    if d == 1 and path.shape == (n,):
        path = path.reshape(n, 1)  # a flat list of numbers is fine for one parameter
    if path.ndim != 2 or path.shape[1] != d:
        if path.shape == (d,):
            return (f"got one point: {show(path)}",
                    "return the whole path, every point visited (start first), "
                    "not only where it ended.")
        return (f"got an array of shape {path.shape}, expected ({n}, {d})",
                "the path has one row per point (start first), each with one number "
                "per parameter.")
    return path


def _path_report(got, expected, args, mistakes, hint, fn=None, cases=()):
    """None if got is the expected path; else the lines of a report, with a hint."""
    n, d = expected.shape
    path = _as_path(got, n, d)
    if isinstance(path, tuple):
        problem, why = path
        return f"  {problem}\n  hint: {why}"
    if len(path) != n:
        m = len(path)
        problem = (f"  expected {n} points (the start, then one per step: steps + 1 points), "
                   f"got {m}")
        why = ("steps = k gives k + 1 points: the start, then one point after each step. "
               "`path = [start]` before a loop `for _ in range(steps)` that appends each new point.")
        if m == n - 1 and close(path, expected[1:]):
            why = "the start is missing: the path begins with the start itself, then one point per step."
        elif m == n - 1 and close(path, expected[:-1]):
            why = "one step short: the loop must run `steps` times (range(steps), not range(steps - 1))."
        elif m == n + 1 and close(path[:-1], expected):
            why = ("one step too many: with the start in the path, the loop runs `steps` "
                   "times, range(steps).")
        return f"{problem}\n  hint: {why}"
    wrong = [k for k in range(n) if not close(path[k], expected[k])]
    if not wrong:
        return None
    k = wrong[0]
    lines = (f"  point {k} (after {k} step{'' if k == 1 else 's'}): "
             f"expected {show(expected[k])}, got {show(path[k])}")
    if n > 2 and all(close(row, expected[-1]) for row in path[1:]):
        why = ("every point of your path is the same, the last one: the list holds one array "
               "many times, and `p -= ...` changed it in place each step. Write "
               "`p = p - lr * ...` (a new array each step), or append `p.copy()`.")
    else:
        why = known_mistake(path, args, mistakes, fn=fn, cases=cases)
        if why is None and k == 0:
            why = ("the first point must be the start itself. (Did `p -= ...` change the start "
                   "in place? Begin with `p = start.copy()`, or write `p = p - lr * ...`.)")
    return f"{lines}\n  hint: {why or hint}"


def _check_paths(task, fn, reference, cases, mistakes, hint):
    """Compare the learner's path with the reference's on each case; the first difference fails.
    The caller's start must be left as it was (the notebook uses it again afterwards)."""
    for args in cases:
        expected = reference(*args)
        got, _, changed = call(task, fn, args, watch=True)
        head = f"{task}{show(tuple(args))}\n  where {args[0].name}(p) = {args[0].about}"
        report = _path_report(got, expected, args, mistakes, hint, fn, cases)
        if report:
            raise CheckFailed(f"{head}\n{report}")
        if 1 in changed:
            raise CheckFailed(
                f"{head}\n  the path is right, but your function changed the caller's start: "
                f"it was {show(args[1])}, after the call it is {show(np.asarray(changed[1]))}\n"
                "  hint: the caller may use start again (the notebook does): begin with a copy, "
                "p = np.array(start, dtype=float), and write p = p - ... (a new array each step).")
    passed(task, f"{len(cases)} paths, each point right")


# --------------------------------------------------------- task 1: mse_gradient --

def _mse_gradient(w, b, x, y):
    """(dL/dw, dL/db) for L = mean((w x + b - y)^2)."""
    error = w * x + b - y
    return np.mean(2 * error * x), np.mean(2 * error)


def _e(w, b, x, y):
    return w * x + b - y


# Known mistakes, one (dL/dw, dL/db) model each; a hint applies to whichever part it explains.
_MSE_MISTAKES = [
    (lambda w, b, x, y: (np.mean(_e(w, b, x, y) * x), np.mean(_e(w, b, x, y))),
     "the factor 2 is missing: the slope of a square e² is 2e."),
    (lambda w, b, x, y: (np.sum(2 * _e(w, b, x, y) * x), np.sum(2 * _e(w, b, x, y))),
     "L is the MEAN of the squared errors, so its slopes are means too: np.mean, not np.sum."),
    (lambda w, b, x, y: (np.mean(2 * (y - w * x - b) * x), np.mean(2 * (y - w * x - b))),
     "the sign: the error is y_hat - y = w x + b - y. With y - y_hat both slopes point "
     "downhill, and descent would climb."),
    (lambda w, b, x, y: (np.mean(2 * _e(w, b, x, y)), None),
     "dL/dw needs each point's input: when w grows by Δw, the error grows by x Δw, "
     "so dL/dw = mean(2 e x)."),
    (lambda w, b, x, y: (None, np.mean(2 * _e(w, b, x, y) * x)),
     "dL/db has no x in it: when b grows by Δb, the error grows by exactly Δb, "
     "so dL/db = mean(2 e)."),
    (lambda w, b, x, y: (np.mean(2 * _e(w, b, x, y)) * np.mean(x), None),
     "multiply each point's error by its OWN x before averaging: mean(2 e x), "
     "not mean(2 e) * mean(x)."),
    (lambda w, b, x, y: (np.mean(2 * (w * x - y) * x), np.mean(2 * (w * x - y))),
     "the bias is missing from the error: y_hat = w x + b, so e = w x + b - y."),
]
_SWAPPED = "the order: return (dL/dw, dL/db), the slope for w first."
_GRADIENT = ("dL/dw", "dL/db")


def _part(model, i):
    """What a mistake model gives for one part of the gradient (0: dL/dw, 1: dL/db)."""
    return lambda *args: model(*args)[i]


# The same mistakes, part by part, as base.wrong_parts takes them.
_MSE_PART_MISTAKES = {name: [(_part(model, i), why) for model, why in _MSE_MISTAKES]
                      for i, name in enumerate(_GRADIENT)}


def _pair(result):
    """The learner's (dL/dw, dL/db) as two floats, or a hint why it is not such a pair."""
    if result is None:
        return "nothing was returned: end with `return dL_dw, dL_db`."
    try:
        values = np.asarray(result, dtype=float)
    except (TypeError, ValueError):
        return "return the pair of numbers (dL/dw, dL/db)."
    if values.shape == (2,):
        return float(values[0]), float(values[1])
    if values.ndim == 2 and values.shape[0] == 2:
        return ("each slope must be ONE number for the whole data set: average over the "
                "points with np.mean (you returned one value per point).")
    return "return the pair of numbers (dL/dw, dL/db), e.g. `return dL_dw, dL_db`."


@guarded
def mse_gradient(fn):
    """Check mse_gradient(w, b, x, y) -> (dL/dw, dL/db) for L = mean((w x + b - y)^2).

    dL/dw = mean(2 (w x + b - y) x),  dL/db = mean(2 (w x + b - y)).
    Cases: three points; five points at the lesson's start (w, b) = (-1, -1); a single
    point; inputs that are all 0 (dL/dw = 0); a line that fits exactly (both 0);
    inputs in the thousands; and integer w, b with negative numbers.
    """
    task = "mse_gradient"
    x5 = np.array([-0.9, -0.3, 0.1, 0.6, 0.8])
    cases = [
        (0.5, -1.0, np.array([-1.0, 0.5, 2.0]), np.array([1.0, 2.0, 0.0])),
        (-1.0, -1.0, x5, 2 * x5 + 1 + np.array([0.2, -0.1, 0.3, -0.4, 0.1])),
        (3.0, 0.5, np.array([2.0]), np.array([1.0])),
        (5.0, 0.0, np.array([0.0, 0.0, 0.0]), np.array([1.0, -1.0, 2.0])),
        (2.0, 1.0, np.array([-1.0, 0.0, 0.5, 3.0]), np.array([-1.0, 1.0, 2.0, 7.0])),
        (-3.0, 1000.0, np.array([1000.0, -2000.0, 500.0]), np.array([3000.0, -1000.0, 0.0])),
        (-2, 3, np.array([-3.0, -1.0, -0.5, 4.0]), np.array([-2.0, 0.5, -1.0, -6.0])),
    ]
    for args in cases:
        expected = _mse_gradient(*args)
        got = _pair(call(task, fn, args))
        head = f"{task}{show(tuple(args))}"
        if isinstance(got, str):
            raise CheckFailed(f"{head}\n  expected: (dL/dw, dL/db) = {show(expected)}\n"
                              f"  hint: {got}")
        wrong = wrong_parts(dict(zip(_GRADIENT, got)), dict(zip(_GRADIENT, expected)), args,
                            _MSE_PART_MISTAKES)
        if not wrong:
            continue
        names = [name for name, _ in wrong]
        right = [name for name in _GRADIENT if name not in names]
        which = f"{names[0]} is wrong, {right[0]} is right" if right else "both are wrong"
        if close(got[::-1], expected):
            hints = [_SWAPPED]
        else:  # the hint of each wrong part, each hint once
            hints = list(dict.fromkeys(why for _, why in wrong if why))
        hint = " ".join(hints) or ("with e = w x + b - y for every point: dL/dw = mean(2 e x) and "
                                   "dL/db = mean(2 e) (lesson section 4).")
        raise CheckFailed(f"{head}\n  expected: (dL/dw, dL/db) = {show(expected)}\n"
                          f"  got:      {show(got)}   ({which})\n  hint: {hint}")
    passed(task, f"{len(cases)} cases")


# ----------------------------------------------------- task 2: gradient_descent --

def _gradient_descent(grad, start, lr, steps):
    return _descent(grad, start, lr, 0.0, steps)


@guarded
def gradient_descent(fn):
    """Check gradient_descent(grad, start, lr, steps) -> every point visited, start first.

    The rule: p <- p - lr * grad(p), `steps` times; the path has steps + 1 points.
    Cases: the valley, the bowl, the parabola (one parameter), a diverging lr on the
    parabola, a shifted bowl in three parameters, the curved rosenbrock valley, a
    single step, a start at the minimum, and steps = 0 (the path is the start alone).
    """
    cases = [
        (VALLEY, np.array([-3.5, 1.5]), 0.09, 5),
        (BOWL, np.array([1.5, 1.8]), 0.1, 10),
        (PARABOLA, np.array([1.8]), 0.3, 6),
        (PARABOLA, np.array([1.8]), 1.05, 8),
        (BOWL3, np.array([0.0, 0.0, 1.0]), 0.1, 12),
        (ROSENBROCK, np.array([-1.0, 2.5]), 0.005, 20),
        (VALLEY, np.array([2.0, -1.0]), 0.05, 1),
        (BOWL, np.array([0.0, 0.0]), 0.1, 3),
        (VALLEY, np.array([-3.5, 1.5]), 0.09, 0),
    ]

    def frozen(grad, start, lr, steps):  # the gradient taken once, at the start
        g = grad(start)
        return np.array([start - k * lr * g for k in range(steps + 1)])

    mistakes = [
        (lambda grad, start, lr, steps: _gradient_descent(lambda p: -grad(p), start, lr, steps),
         "plus instead of minus: your path climbs uphill. The gradient points uphill, so step "
         "against it: p - lr * grad(p)."),
        (lambda grad, start, lr, steps: _gradient_descent(lambda p: p, start, lr, steps),
         "the step is lr times the GRADIENT at p: p - lr * grad(p), not p - lr * p."),
        (lambda grad, start, lr, steps: _gradient_descent(grad, start, 1.0, steps),
         "the learning rate is missing: the step is lr * grad(p)."),
        (frozen,
         "take the gradient anew at every step, where you are now: grad(p) inside the loop, "
         "not grad(start) once before it."),
    ]
    _check_paths("gradient_descent", fn, _gradient_descent, cases, mistakes,
                 hint="start with the path [start]; then, steps times: p = p - lr * grad(p), "
                      "and append the new p.")


# ----------------------------------------------------- task 3: momentum_descent --

def _momentum_descent(grad, start, lr, beta, steps):
    return _descent(grad, start, lr, beta, steps)


@guarded
def momentum_descent(fn):
    """Check momentum_descent(grad, start, lr, beta, steps) -> every point visited, start first.

    The rule (v starts at 0): v <- beta * v - lr * grad(p), then p <- p + v.
    Cases: the valley, a heavy ball (beta = 0.9) in the bowl, the parabola (one
    parameter), beta = 0 (plain descent), a shifted bowl in three parameters, the
    rosenbrock valley, a single step, the lesson's 40-step valley run, and steps = 0.
    """
    cases = [
        (VALLEY, np.array([-3.5, 1.5]), 0.09, 0.6, 6),
        (BOWL, np.array([1.5, 1.8]), 0.1, 0.9, 15),
        (PARABOLA, np.array([1.8]), 0.3, 0.5, 8),
        (VALLEY, np.array([-3.5, 1.5]), 0.09, 0.0, 10),
        (BOWL3, np.array([0.0, 0.0, 1.0]), 0.1, 0.7, 12),
        (ROSENBROCK, np.array([-1.0, 2.5]), 0.005, 0.9, 30),
        (BOWL, np.array([1.0, -1.0]), 0.2, 0.9, 1),
        (VALLEY, np.array([-3.5, 1.5]), 0.09, 0.5, 40),
        (VALLEY, np.array([-3.5, 1.5]), 0.09, 0.5, 0),
    ]

    def late(grad, start, lr, beta, steps):  # moves with the old v, then updates v
        p, v, path = np.array(start, dtype=float), np.zeros(len(start)), [start]
        for _ in range(steps):
            p = p + v
            v = beta * v - lr * grad(p)
            path.append(p)
        return np.array(path)

    def rule(velocity, move):
        """A wrong momentum rule: v = velocity(v, g, lr, beta), p = move(p, v, lr, beta)."""
        def wrong(grad, start, lr, beta, steps):
            p, v, path = np.array(start, dtype=float), np.zeros(len(start)), [start]
            for _ in range(steps):
                v = velocity(v, grad(p), lr, beta)
                p = move(p, v, lr, beta)
                path.append(p)
            return np.array(path)
        return wrong

    def plus(p, v, lr, beta):
        return p + v

    mistakes = [
        # Two sign slips take exactly the same steps, so the path cannot tell them apart
        # (v = beta*v + lr*grad(p), p = p + v  is  v = beta*v - lr*grad(p), p = p - v, with
        # v's sign flipped): the hint names both lines.
        (rule(lambda v, g, lr, beta: beta * v + lr * g, plus),
         "a sign: your ball rolls uphill. Check both lines: the velocity points downhill, "
         "v = beta * v - lr * grad(p) (minus: the gradient points uphill), and the point "
         "moves WITH the velocity, p = p + v (plus, not p - v)."),
        (rule(lambda v, g, lr, beta: -lr * g, plus),
         "that is plain gradient descent: the velocity must carry over from step to step. "
         "Set v to zeros once, BEFORE the loop, and update it with v = beta * v - lr * grad(p)."),
        (late,
         "the order: first the new velocity v = beta * v - lr * grad(p), then p = p + v "
         "with that new v. Your first step does not move at all."),
        (rule(lambda v, g, lr, beta: beta * (v - lr * g), plus),
         "beta multiplies only the old velocity: v = beta * v - lr * grad(p), "
         "not beta * (v - lr * grad(p))."),
        (rule(lambda v, g, lr, beta: beta * v - lr * g, lambda p, v, lr, beta: beta * p + v),
         "beta belongs to the velocity only: the point moves by p = p + v."),
        (rule(lambda v, g, lr, beta: beta * v + (1 - beta) * g, lambda p, v, lr, beta: p - lr * v),
         "that is the 'average of the gradients' form of momentum (as in Adam), which takes "
         "smaller steps. The lesson's heavy ball is v = beta * v - lr * grad(p); p = p + v."),
        (rule(lambda v, g, lr, beta: beta * v - g, plus),
         "the learning rate is missing: v = beta * v - lr * grad(p)."),
    ]
    _check_paths("momentum_descent", fn, _momentum_descent, cases, mistakes,
                 hint="v starts at zeros (before the loop); then, steps times: "
                      "v = beta * v - lr * grad(p), p = p + v, and append the new p.")


# ------------------------------------------------- task 4: choose_learning_rate --

def _lr(fn):
    """choose_learning_rate() as a checked positive float."""
    lr = call("choose_learning_rate", fn, ())
    if isinstance(lr, np.ndarray) and lr.ndim == 0:  # np.array(0.09) is one number too
        lr = lr[()]
    if isinstance(lr, (bool, np.bool_)) or not isinstance(lr, (int, float, np.integer, np.floating)):
        raise CheckFailed(f"choose_learning_rate() returned {lr!r}\n"
                          "  hint: return one number (a float), not a string or a list.")
    try:
        lr = float(lr)
    except OverflowError:  # an int with hundreds of digits
        lr = math.inf
    if not np.isfinite(lr) or lr <= 0:
        raise CheckFailed(f"choose_learning_rate() returned {lr!r}\n"
                          "  hint: a learning rate is a positive number: the step is lr times "
                          "the slope, against it.")
    return lr


def _draw(run, lr):
    """The path on the valley's contour lines, and the loss after each step."""
    import matplotlib.pyplot as plt

    s = SURFACES["valley"]
    X, Y = np.meshgrid(np.linspace(*s.xlim, 100), np.linspace(*s.ylim, 60))
    fig, axes = plt.subplots(1, 2, figsize=(9, 3), layout="constrained", width_ratios=[1.3, 1])
    axes[0].contour(X, Y, s.f(X, Y), levels=0.5 * np.arange(1, 10) ** 2, cmap="viridis", alpha=0.6)
    shown = np.clip(run.path, [s.xlim[0], s.ylim[0]], [s.xlim[1], s.ylim[1]])  # keep it in view
    axes[0].plot(shown[:, 0], shown[:, 1], "o-", ms=3, lw=1, color="C3")
    axes[0].set(xlabel="x", ylabel="y", xlim=s.xlim, ylim=s.ylim, aspect="equal",
                title=f"Your lr = {lr:g} on the valley")
    axes[1].plot(run.losses, color="C3")
    axes[1].axhline(TARGET_LOSS, color="gray", lw=0.8, ls="--", label=f"target {TARGET_LOSS:g}")
    axes[1].set(xlabel="step", ylabel="loss (log scale)", yscale="log", title="Loss after each step")
    axes[1].legend(fontsize=8)
    plt.show()
    plt.close(fig)


def _lr_hint(run, lr):
    """Why this lr misses the target: which direction (x gentle, y steep) holds the loss."""
    x, y = run.path[-1]
    factor = 1 - 20 * lr
    if run.diverged or factor < -1:
        where = (f"diverged after {run.steps_taken} steps" if run.diverged
                 else f"the loss grew from {run.losses[0]:.3g} to {run.losses[-1]:.3g}")
        return (f"too large: {where}. Across the valley f is 20 times steeper (20 y² "
                f"instead of x²): each step multiplies y by 1 - 20 lr = {factor:.3g}, "
                "so lr must stay below 2/20 = 0.1.")
    if factor == -1:
        return ("y bounces between 1.5 and -1.5 for ever: each step multiplies it by "
                "1 - 20 lr = -1. Take lr a little below 2/20 = 0.1.")
    if 10 * y ** 2 > 0.5 * x ** 2 and factor < 0:
        return (f"the steep direction still zig-zags: y = {y:.3g} after {VALLEY_STEPS} steps, "
                f"because each step multiplies it by 1 - 20 lr = {factor:.3g}, close to -1. "
                "Take lr a little smaller.")
    return (f"too small: crawling. x = {x:.3g} after {VALLEY_STEPS} steps, because each step "
            f"multiplies the gentle direction x only by 1 - lr = {1 - lr:.6g}. Take lr larger, "
            "but below 2/20 = 0.1, the limit set by the steep direction y.")


@guarded
def choose_learning_rate(fn, draw=True):
    """Check choose_learning_rate() -> lr: plain gradient descent on the valley
    f = 0.5 (x² + 20 y²) from (-3.5, 1.5) must reach a loss below 0.001 within 50 steps.

    The run is nnlib.descent.descend("valley", (-3.5, 1.5), lr, steps=50).
    draw: show the path and the loss curve.
    """
    lr = _lr(fn)
    run = descend("valley", VALLEY_START, lr, steps=VALLEY_STEPS)
    if draw:
        _draw(run, lr)
    head = f"descend('valley', start={VALLEY_START}, lr={lr:g}, steps={VALLEY_STEPS})"
    if not run.diverged and run.losses[-1] < TARGET_LOSS:
        heavy = descend("valley", VALLEY_START, lr, momentum=0.5, steps=VALLEY_STEPS)
        passed("choose_learning_rate",
               f"lr = {lr:g}: the loss fell from {run.losses[0]:.3g} to {run.losses[-1]:.2g} in "
               f"{VALLEY_STEPS} steps (with momentum 0.5, to {heavy.losses[-1]:.0e})")
        return
    result = (f"the run diverged after {run.steps_taken} steps" if run.diverged
              else f"loss after {VALLEY_STEPS} steps: {run.losses[-1]:.4g}")
    raise CheckFailed(f"{head}\n  {result} (needed: below {TARGET_LOSS:g})\n"
                      f"  hint: {_lr_hint(run, lr)}")
