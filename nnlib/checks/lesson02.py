"""Checks for exercises/02-activation-functions.ipynb: sigmoid, slopes, ReLU, central differences.

The answers are compared with nnlib/activations.py (the course's reference) on
ordinary values, on huge ones (z = +-1000 and beyond, where exp overflows), on
zero, and on every shape: a 0-d array (one number), a 1-D array and a 2-D array.

Your function runs with numpy's warnings caught, so an overflow does not flood
the notebook with RuntimeWarnings: the check reports it once, with a hint (an
overflow is reported even when the answer happens to come out right).  It also
notices a function that changes its input array in place.
"""
import numpy as np

from nnlib import activations as ref
from nnlib import gradcheck

from .base import (CheckFailed, Named, call_own, close, guarded, known_mistake, numbers, passed,
                   report, show, the_functions_of, wrong_answer)

# "Write the functions yourself with numpy; do not import them from nnlib": while your
# function runs, none of these may run (see base.running), whatever name it goes by.
NNLIB_ACTIVATIONS = the_functions_of(ref)
NNLIB_SLOPES = the_functions_of(gradcheck, ["numerical_gradient", "check_scalar_function"])

# Crash messages that point at a typical mistake: (a piece of the error message, hint).
CRASH_HINTS = [
    ("converted to Python scalars",
     "math.exp, float() and friends take ONE number; z is a whole array. Use numpy's "
     "elementwise functions (np.exp, np.where, np.maximum), which work on every shape."),
    ("truth value of an array",
     "`if z > 0`, `max(z, 0)` or `a and b` ask one yes/no question about the whole array. "
     "Work elementwise: np.where(z > 0, ..., ...), np.maximum(z, 0.0) or (z > 0)."),
    ("math range error",
     "math.exp overflowed: e**1000 is too big for a float. Only ever compute exp of a number "
     "<= 0 (such as -|z|), and use np.exp, which works on whole arrays."),
    ("iteration over a 0-d array",
     "z can be a 0-d array (a single number, shape ()): a loop over z fails there. "
     "Numpy's elementwise functions handle every shape, with no loop."),
]


# The course's rule for every slope of tanh (here and in lesson 05's tanh_backward): the value
# must come out right WITHOUT an overflow on the way. 1 / np.cosh(z)**2 is right in maths and
# even gives the right 0.0 at z = 1000, but only through np.cosh(1000) = inf and a
# RuntimeWarning; in a network such warnings bury the ones that matter, so it is refused.
TANH_WARNING_HINT = ("something overflowed on the way, even if the answer came out right "
                     "(1 / np.cosh(z)**2 is right in maths, but np.cosh(1000) is inf and numpy "
                     "warns). The rule of this course: no overflow on the way. np.tanh never "
                     "overflows: use 1 - np.tanh(z)**2.")


# ------------------------------------------------------------------ helpers --

def _where_not_finite(got, expected, args):
    """'nan for z = 1000': the first nan/inf where the answer is finite (None if there is none)."""
    got, expected = numbers(got), np.asarray(expected, dtype=float)
    if got is None or got.shape != expected.shape:
        return None
    bad = ~np.isfinite(got) & np.isfinite(expected)
    if not bad.any():
        return None
    i = np.unravel_index(np.flatnonzero(bad)[0], got.shape)
    z = next((a for a in args if isinstance(a, np.ndarray) and a.shape == got.shape), None)
    return show(float(got[i])) + (f" for z = {show(float(z[i]))}" if z is not None else "")


def _check(task, fn, reference, cases, mistakes=(), hint="", overflow_hint="",
           warning_hint="", compare=close, own=(NNLIB_ACTIVATIONS, "")):
    """Like base.check_cases, and also: overflow (nan/inf, numpy warnings), changed inputs,
    and nnlib's own functions (own = (the functions, advice): none may run meanwhile,
    since the task is to write yours; the advice says how).

    Your function runs watched (base.call with watch=True), because an overflow can hide
    behind a right answer: 1 / (1 + np.exp(-z)) gives the right 0.0 at z = -1000 only by
    passing through e**1000 = inf.  For each case, in order: the value (and shape) must
    be right; then numpy must not have warned; and the input array must be unchanged
    (in a network, changing z in place would spoil the stored z).  The first problem
    is reported; nnlib's own function, before all of them.
    """
    functions, advice = own
    for args in cases:
        expected = reference(*args)  # (before the watch: the reference is nnlib's function)
        got, warned, changed = call_own(task, fn, args, functions, advice,
                                        crash_hints=CRASH_HINTS, watch=True)
        case = f"{task}{show(tuple(args))}"
        if not compare(got, expected):
            bad = _where_not_finite(got, expected, args)
            if bad and overflow_hint:
                why = f"your function returned {bad}: {overflow_hint}"
            else:
                why = known_mistake(got, args, mistakes, compare, fn=fn, cases=cases) or hint
            raise wrong_answer(case, expected, got, why)
        if warned:
            raise report(f"{case}\n  the values are right, but numpy warned: {warned}",
                         warning_hint)
        if changed:
            raise CheckFailed(f"{case}\n  the values are right, but your function changed its "
                              "input array z in place (the caller's z is now different)\n"
                              "  hint: build a new array (np.where, np.maximum, arithmetic "
                              "such as z + h) instead of assigning into z or using +=, -=.")


def _pointing_back(fn, names, error):
    """error, with a note added when fn calls one of the learner's earlier functions."""
    code = getattr(fn, "__code__", None)
    seen = getattr(code, "co_names", ()) + getattr(code, "co_freevars", ())
    used = [n for n in names if n in seen]
    if not used or type(error) is not CheckFailed:
        return error
    return CheckFailed(f"{error}\n  (it calls your `{used[0]}`: does check.{used[0]} pass?)")


# The shapes every activation check tries: 1-D, huge values, 2-D with huge values, 0-d.
def _activation_cases(ordinary):
    return [
        (np.array(ordinary),),
        (np.array([-1000.0, 1000.0]),),
        (np.array([[0.5, -3.0, 1e4], [-1e4, 7.0, 0.0]]),),
        (np.array(-1000.0),),
        (np.array(1.5),),
    ]


# ------------------------------------------------------------ task 1: sigmoid --

@guarded
def sigmoid(fn):
    """Check sigmoid(z) = 1 / (1 + exp(-z)), elementwise, for any shape, with no overflow.

    Cases: ordinary values with 0, z = -1000 and 1000, a 2-D array with +-10000, and
    0-d arrays.  Any numpy warning (overflow in exp, invalid value) fails the check.
    """
    cases = _activation_cases([-2.0, 0.0, 2.0])
    mistakes = [
        (lambda z: 1 / (1 + np.exp(z)), "a sign slipped: sigmoid(z) = 1 / (1 + exp(-z)) "
                                        "(minus z), so that sigmoid(2) = 0.88 is above 0.5."),
        (lambda z: ref.sigmoid(np.abs(z)), "for negative z the answer must be below 0.5: "
                                           "there use exp(z) / (1 + exp(z)), where "
                                           "exp(z) = exp(-|z|)."),
        (lambda z: 1 - ref.sigmoid(np.abs(z)), "for positive z the answer must be above 0.5: "
                                               "there use 1 / (1 + exp(-z))."),
        (lambda z: np.exp(-np.abs(z)), "that is only the piece u = exp(-|z|): the sigmoid is "
                                       "1 / (1 + u) for z >= 0 and u / (1 + u) for z < 0."),
        (lambda z: ref.sigmoid(z).ravel(), "keep the shape of z: no .ravel() or .flatten(), "
                                           "and no loop that collects a flat list."),
    ]
    _check("sigmoid", fn, ref.sigmoid, cases, mistakes=mistakes,
           hint="sigmoid(z) = 1 / (1 + exp(-z)), computed for every element of z.",
           overflow_hint="an exp overflowed (e**1000 is too big for a float64, and "
                         "inf / inf is nan). Only ever compute exp of a number <= 0, "
                         "e.g. np.exp(-np.abs(z)).",
           warning_hint=_sigmoid_warning_hint(fn),
           own=(NNLIB_ACTIVATIONS, "write yours from the formula 1 / (1 + exp(-z)), with numpy "
                                   "(np.exp, np.where, ...) and u = np.exp(-np.abs(z)) as the "
                                   "task shows; the check compares it with nnlib's."))
    passed("sigmoid", f"{len(cases)} cases, none of them overflows")


def _sigmoid_warning_hint(fn):
    names = getattr(getattr(fn, "__code__", None), "co_names", ())
    if "where" in names:
        return ("np.where(condition, A, B) computes BOTH A and B for every z before choosing, "
                "so the branch it throws away still overflows. Make both branches safe: build "
                "them from u = np.exp(-np.abs(z)), which is never larger than 1.")
    return ("somewhere e**z was computed for a huge z. 1 / (1 + np.exp(-z)) at z = -1000 "
            "computes e**1000 = inf; the 0 it then gives is right only by luck. Only ever "
            "compute exp of a number <= 0, e.g. u = np.exp(-np.abs(z)), or use the lesson's "
            "np.logaddexp.")


# ------------------------------------------------------ task 2: sigmoid_prime --

@guarded
def sigmoid_prime(fn):
    """Check sigmoid_prime(z) = sigmoid(z) * (1 - sigmoid(z)), elementwise, any shape."""
    cases = _activation_cases([-2.0, 0.0, 2.0])
    s = ref.sigmoid
    mistakes = [
        (lambda z: s(z) * (1 + s(z)), "a sign slipped: it is s * (1 - s), with a minus."),
        (lambda z: s(z) * s(z), "s * s: the second factor is (1 - s)."),
        (lambda z: z * (1 - z), "you applied the formula to z itself: first compute "
                                "s = sigmoid(z), then s * (1 - s)."),
        (lambda z: 0.25, "0.25 is the slope only at z = 0 (the largest one); elsewhere it is "
                         "s * (1 - s) with s = sigmoid(z)."),
        (lambda z: np.full(np.shape(z), 0.25), "0.25 is the slope only at z = 0; elsewhere "
                                                "it is s * (1 - s) with s = sigmoid(z)."),
        (lambda z: -s(z) * (1 - s(z)), "the sigmoid rises everywhere, so its slope is positive: "
                                       "s * (1 - s), no minus in front."),
        (lambda z: 1 - s(z), "only the second factor: multiply by s too, s * (1 - s)."),
        (lambda z: s(z), "that is the sigmoid itself; its slope is s * (1 - s)."),
    ]
    try:
        _check("sigmoid_prime", fn, ref.sigmoid_prime, cases, mistakes=mistakes,
               hint="sigmoid'(z) = s * (1 - s), where s = sigmoid(z).",
               overflow_hint="an exp overflowed. Compute s = sigmoid(z) with your "
                             "overflow-proof sigmoid from Task 1, then s * (1 - s).",
               warning_hint="an exp overflowed on the way, even if the answer came out right. "
                            "Use your sigmoid from Task 1: s = sigmoid(z), then s * (1 - s).",
               own=(NNLIB_ACTIVATIONS, "write yours from the formula: s = sigmoid(z) with YOUR "
                                       "sigmoid from Task 1, then s * (1 - s)."))
    except CheckFailed as error:
        raise _pointing_back(fn, ["sigmoid"], error) from None
    passed("sigmoid_prime", f"{len(cases)} cases")


# --------------------------------------------------------- task 2b: tanh_prime --

@guarded
def tanh_prime(fn):
    """Check tanh_prime(z) = 1 - tanh(z)**2, elementwise, any shape, with no overflow."""
    cases = _activation_cases([-2.0, 0.0, 2.0])
    t = np.tanh
    mistakes = [
        (lambda z: 1 - z**2, "the formula squares tanh(z), not z: 1 - np.tanh(z)**2."),
        (lambda z: 1 - t(z), "square the tanh: 1 - np.tanh(z)**2."),
        (lambda z: t(z) ** 2, "one minus that: 1 - np.tanh(z)**2."),
        (lambda z: 1 + t(z) ** 2, "a sign slipped: 1 MINUS np.tanh(z)**2."),
        (lambda z: 1 - t(z**2), "square after the tanh: np.tanh(z)**2, not np.tanh(z**2)."),
        (lambda z: t(z) * (1 - t(z)), "that is the sigmoid's pattern, s * (1 - s); for tanh "
                                      "it is 1 - tanh(z)**2."),
        (lambda z: ref.sigmoid_prime(z), "that is the slope of the sigmoid; tanh's is "
                                         "1 - tanh(z)**2."),
    ]
    _check("tanh_prime", fn, ref.tanh_prime, cases, mistakes=mistakes,
           hint="tanh'(z) = 1 - tanh(z)**2 (np.tanh is allowed).",
           overflow_hint="something overflowed (np.cosh(1000) or e**1000 is inf). "
                         "np.tanh itself never overflows: use 1 - np.tanh(z)**2.",
           warning_hint=TANH_WARNING_HINT,
           own=(NNLIB_ACTIVATIONS, "write yours from the formula 1 - tanh(z)**2 (np.tanh is "
                                   "allowed); the check compares it with nnlib's."))
    passed("tanh_prime", f"{len(cases)} cases")


# ------------------------------------------------------------ task 3a: relu --

@guarded
def relu(fn):
    """Check relu(z) = max(z, 0), elementwise, any shape, leaving z unchanged."""
    cases = [
        (np.array([-2.0, 0.0, 3.0]),),
        (np.array([[-1000.0, 1000.0], [0.5, -0.5]]),),
        (np.array([-0.25]),),
        (np.array(-3.0),),
        (np.array(2.5),),
    ]
    mistakes = [
        (lambda z: np.max(z, 0), "np.max REDUCES an array to its largest element (its second "
                                 "argument is an axis, not a number to compare with). "
                                 "np.maximum(z, 0.0) compares elementwise."),
        (lambda z: np.max(z), "np.max REDUCES an array to its largest element; "
                              "np.maximum(z, 0.0) compares each element with 0."),
        (lambda z: np.minimum(z, 0.0), "you kept the negative part: relu keeps z where z > 0 "
                                       "and gives 0 elsewhere (np.maximum)."),
        (lambda z: np.abs(z), "relu replaces negative z by 0, not by its size: "
                              "np.maximum(z, 0.0)."),
        (lambda z: np.where(z > 0, 1.0, 0.0), "that is relu's slope (1 where z > 0): relu "
                                              "itself keeps the value z where z > 0."),
        (lambda z: z, "negative z must become 0: np.maximum(z, 0.0)."),
    ]
    _check("relu", fn, ref.relu, cases, mistakes=mistakes,
           hint="relu(z) = z where z > 0, else 0: np.maximum(z, 0.0).",
           own=(NNLIB_ACTIVATIONS, "write yours from the formula max(z, 0), elementwise, with "
                                   "numpy (np.maximum or np.where are allowed)."))
    passed("relu", f"{len(cases)} cases")


# ------------------------------------------------------- task 3b: relu_prime --

@guarded
def relu_prime(fn):
    """Check relu_prime(z) = 1 where z > 0, else 0 (0 at the kink z = 0, as in nnlib).

    Booleans (z > 0) are accepted: numpy treats True as 1 and False as 0.
    """
    cases = [
        (np.array([-2.0, 0.0, 3.0]),),
        (np.array([[-1000.0, 1000.0], [0.0, 1e-12]]),),
        (np.array(0.0),),
        (np.array(5.0),),
    ]
    mistakes = [
        (lambda z: z >= 0, "at the kink z = 0 this course (like nnlib) chooses slope 0: "
                           "use z > 0, not z >= 0."),
        (lambda z: np.heaviside(z, 0.5), "0.5 at the kink z = 0 is a fair choice too, but this "
                                         "course (like nnlib) picks 0: use z > 0."),
        (lambda z: np.sign(z), "for z < 0 relu is flat, so its slope is 0, not -1."),
        (lambda z: ref.relu(z), "that is relu itself: its slope is 1 where z > 0 and 0 elsewhere."),
        (lambda z: np.ones(np.shape(z)), "for z < 0 relu is flat: slope 0 there."),
        (lambda z: 1.0, "one slope per element of z: np.where(z > 0, 1.0, 0.0)."),
        (lambda z: z < 0, "the wrong way round: slope 1 where z > 0, 0 where z < 0."),
    ]
    _check("relu_prime", fn, ref.relu_prime, cases, mistakes=mistakes,
           hint="relu'(z) = 1 where z > 0, else 0 (also at z = 0): np.where(z > 0, 1.0, 0.0).",
           own=(NNLIB_ACTIVATIONS, "write yours from the rule: 1 where z > 0, else 0, "
                                   "elementwise with numpy (np.where is allowed)."))
    passed("relu_prime", f"{len(cases)} cases (0 at the kink z = 0)")


# ------------------------------------------------- task 4: numerical_slope --

def _central(f, z, h=1e-5):
    return (f(z + h) - f(z - h)) / (2 * h)


@guarded
def numerical_slope(fn):
    """Check numerical_slope(f, z, h=1e-5) = (f(z + h) - f(z - h)) / (2h), for z of any shape.

    Curved functions and a tight tolerance tell the central difference apart from a
    one-sided one; cases with h given check that h is used; one case uses the default h.
    """
    cube = Named("z**3", lambda z: z**3)
    sin = Named("np.sin", np.sin)
    sigmoid_curve = Named("sigmoid", ref.sigmoid)
    relu_curve = Named("relu", ref.relu)
    cases = [
        (cube, 2.0, 0.1),
        (sin, np.array([0.0, 1.0, 2.0]), 1e-3),
        (cube, -1.0),
        (sigmoid_curve, np.array([[-1000.0, 0.0], [2.0, 1000.0]]), 1e-4),
        (relu_curve, np.array([0.0, 1.0]), 1e-3),
        (sin, np.array(0.5), 0.01),
    ]

    def one_sided(f, z, h=1e-5):
        return (f(z + h) - f(z)) / h

    def backward(f, z, h=1e-5):
        return (f(z) - f(z - h)) / h

    def over_h(f, z, h=1e-5):
        return (f(z + h) - f(z - h)) / h

    def reversed_(f, z, h=1e-5):
        return (f(z - h) - f(z + h)) / (2 * h)

    def precedence(f, z, h=1e-5):
        return (f(z + h) - f(z - h)) / 2 * h

    def fixed_h(f, z, h=1e-5):
        return _central(f, z, 1e-5)

    mistakes = [
        (one_sided, "that is the one-sided (forward) difference (f(z + h) - f(z)) / h: its "
                    "error is about h * f''(z) / 2, far bigger than the central difference's. "
                    "Use a point on each side: f(z + h) and f(z - h)."),
        (backward, "that is the one-sided (backward) difference: use a point on each side, "
                   "f(z + h) and f(z - h), over the distance 2h between them."),
        (over_h, "twice too big: the two points z - h and z + h are 2h apart, "
                 "so divide by 2 * h."),
        (reversed_, "the sign is flipped: (f(z + h) - f(z - h)), the right point minus "
                    "the left one."),
        (precedence, "mind the brackets: `/ 2 * h` divides by 2 and then MULTIPLIES by h. "
                     "Write / (2 * h)."),
        (fixed_h, "use the h you are given (h=1e-5 is only the default when none is given)."),
    ]
    _check("numerical_slope", fn, _central, cases, mistakes=mistakes,
           compare=lambda got, expected: close(got, expected, rtol=1e-7),
           hint="(f(z + h) - f(z - h)) / (2 * h): the slope of the line through the points "
                "at z - h and z + h.",
           own=(NNLIB_SLOPES, "write the central difference yourself: (f(z + h) - f(z - h)) "
                              "/ (2 * h), two calls of f."))
    passed("numerical_slope", f"{len(cases)} cases")


# ------------------------------------------------ task 5: where it saturates --

SATURATION_SHARE = 0.05  # "saturated": the slope is below 5% of its largest value, as in the lesson


def _saturation_z():
    """The z > 0 where sigmoid'(z) = 5% of sigmoid'(0) = 0.0125, by algebra.

    s * (1 - s) = c  gives  s = (1 + sqrt(1 - 4c)) / 2  (the root above 0.5, as z > 0),
    and z = log(s / (1 - s)) undoes s = sigmoid(z).
    """
    c = SATURATION_SHARE * 0.25
    s = (1 + np.sqrt(1 - 4 * c)) / 2
    return float(np.log(s / (1 - s)))


@guarded
def saturation_z(fn, tolerance=1e-3):
    """Check saturation_z() -> the z > 0 where sigmoid'(z) falls to 5% of its largest value.

    Any method is fine (a fine grid, halving an interval, algebra); the answer must be
    within `tolerance` of the exact value, about 4.3565.
    """
    task = "saturation_z"
    try:
        got, warned, _ = call_own(task, fn, (), NNLIB_ACTIVATIONS, "use YOUR sigmoid_prime "
                                  "from Task 2 (or your sigmoid), not nnlib's.", watch=True)
    except CheckFailed as error:
        raise _pointing_back(fn, ["sigmoid_prime", "sigmoid"], error) from None
    try:
        value = np.asarray(got, dtype=float)
        if value.size != 1 or isinstance(got, (str, bytes)):
            raise ValueError
        value = float(value.reshape(()))
    except (TypeError, ValueError):
        raise CheckFailed(f"{task}() returned {show(got)}\n  hint: return one number, "
                          "the value of z (e.g. `return 4.0`).") from None
    exact = _saturation_z()
    if abs(value - exact) <= tolerance:
        if warned:
            raise CheckFailed(f"{task}() returned {value:.4f}, which is right, but numpy "
                              f"warned: {warned}\n  hint: does your sigmoid_prime (or sigmoid) "
                              "pass its check?")
        passed(task, f"z = {value:.4f}: there the slope is {SATURATION_SHARE:.0%} of its largest "
                     "value, 0.25; beyond it the sigmoid is saturated")
        return
    target = SATURATION_SHARE * 0.25
    known = [
        (-exact, "that is the saturation point on the negative side: the sigmoid's slope is "
                 "symmetric, so return the positive z."),
        (float(np.log(((1 + np.sqrt(1 - 4 * SATURATION_SHARE)) / 2)
                      / ((1 - np.sqrt(1 - 4 * SATURATION_SHARE)) / 2))),
         "there the slope is 0.05, that is 5% of 1. The sigmoid's largest slope is 0.25, "
         "so look for the slope 0.05 * 0.25 = 0.0125."),
        (target, "that is the slope there (0.0125); return the z where the slope takes "
                 "that value."),
    ]
    hint = (f"look for z > 0 where sigmoid_prime(z) = {SATURATION_SHARE:g} * 0.25 = {target:g}: "
            "try a fine grid of z values (np.linspace) and find where the slope first drops "
            "below that, or solve s * (1 - s) = 0.0125 for s and undo the sigmoid.")
    if abs(value - exact) < 0.05:
        hint = (f"close, but not within {tolerance:g}: the lesson's 4.4 is rounded. A finer grid "
                "(or the algebra) gets closer.")
    for wrong, why in known:
        if abs(value - wrong) <= tolerance:
            hint = why
            break
    error = CheckFailed(f"{task}() returned {show(value)}\n  expected: a number within "
                        f"{tolerance:g} of the z where sigmoid'(z) = {target:g}\n  hint: {hint}")
    raise _pointing_back(fn, ["sigmoid_prime", "sigmoid"], error)
