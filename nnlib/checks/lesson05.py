"""Checks for exercises/05-backpropagation.ipynb: backward rules, a hand backprop, gradient checking.

The notation of lesson 05:

    x.grad = (dz/dx) * z.grad        the chain rule at one node: local gradient times
                                     the grad that arrives from above (here: out_grad)
    z = a * b      dz/da = b, dz/db = a        (the swap)
    t = tanh(x)    dt/dx = 1 - tanh(x)^2
    z = x ** k     dz/dx = k * x ** (k - 1)
    central difference   df/dx_i ~ (f(.., x_i + h, ..) - f(.., x_i - h, ..)) / (2h)
    relative error       |autograd - numerical| / (|autograd| + |numerical|)

The right answers come from nnlib's Value (nnlib/engine.py) and from the small
private references below.  Every check runs your function on several cases and
reports the first difference with a hint.
"""
import math

import numpy as np

from nnlib import gradcheck
from nnlib.engine import Value

from .base import (CheckFailed, Named, call, call_own, check_cases, close, forbidden, guarded,
                   known_mistake, numbers, passed, show, the_functions_of, wrong_answer)

# "Build the referee yourself" (5a) and "call your numerical_gradient" (5b): while your
# function runs, nnlib's referee may not run (see base.running), whatever name it goes by.
# (relative_error is only arithmetic the task spells out, so it is not refused.)
NNLIB_REFEREE = the_functions_of(gradcheck, ["numerical_gradient", "check_scalar_function",
                                             "check_layer"])


# ------------------------------------------------------------------ helpers --

def _tanh(v):
    """tanh of a float or of a Value (the test functions take either)."""
    return v.tanh() if isinstance(v, Value) else math.tanh(v)


def _exp(v):
    return v.exp() if isinstance(v, Value) else math.exp(v)


def _autograd(f, xs):
    """The grads nnlib's Value gives for f at xs (f takes a list of numbers or Values)."""
    inputs = [Value(x) for x in xs]
    f(inputs).backward()
    return [v.grad for v in inputs]


def _central(f, xs, h=1e-6):
    """The private reference: central differences of f (floats in, a float out)."""
    out = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += h
        down[i] -= h
        out.append((f(up) - f(down)) / (2 * h))
    return out


# ------------------------------------------------------ task 1: mul_backward --

def _mul_backward(a, b, out_grad):
    """z = a * b: a gets b * out_grad, b gets a * out_grad."""
    return b * out_grad, a * out_grad


@guarded
def mul_backward(fn):
    """Check mul_backward(a, b, out_grad) -> (a_grad, b_grad) = (b * out_grad, a * out_grad).

    Cases: the lesson's e = a * b with e.grad = 4, a negative factor, a zero factor,
    all negative, a huge and a tiny factor, the same number twice, and out_grad = 0.
    """
    cases = [(2.0, 3.0, 4.0), (3.0, -2.0, 5.0), (0.0, 7.0, 2.0), (-1.5, -0.5, -4.0),
             (1000.0, -0.001, 3.0), (2.5, 2.5, 1.0), (6.0, -9.0, 0.0)]
    mistakes = [
        (lambda a, b, g: (a * g, b * g),
         "the swap: each input gets the OTHER input times out_grad, a_grad = b * out_grad "
         "and b_grad = a * out_grad (the slope of a*b in a is b)."),
        (lambda a, b, g: (b, a),
         "out_grad is missing: the local gradient (b for a, a for b) must be multiplied "
         "by the grad arriving from above (the chain rule)."),
        (lambda a, b, g: (g, g),
         "that is the rule of +, which copies out_grad unchanged; × multiplies it by the "
         "other input."),
        (lambda a, b, g: a * b, "a * b is the forward result; the backward returns two grads, "
                                "(b * out_grad, a * out_grad)."),
        (lambda a, b, g: a + b, "return a pair (a_grad, b_grad), one grad per input: "
                                "(b * out_grad, a * out_grad)."),
        (lambda a, b, g: (a + b) * g, "return a pair (a_grad, b_grad), one grad per input: "
                                      "(b * out_grad, a * out_grad)."),
        (lambda a, b, g: (a * b * g, a * b * g),
         "the local gradient of a*b in a is b alone (nudging a by 1 moves a*b by b), not a*b."),
    ]
    check_cases("mul_backward", fn, _mul_backward, cases, mistakes,
                hint="return the pair (b * out_grad, a * out_grad): the swap, times the "
                     "grad arriving from above.")


# ----------------------------------------------------- task 2: tanh_backward --

# The rule of exercise 02 (lesson02.TANH_WARNING_HINT), in this task's names: x and out_grad.
TANH_WARNING_HINT = ("something overflowed on the way, even if the answer came out right "
                     "(out_grad / np.cosh(x)**2 is right in maths, but np.cosh(1000) is inf and "
                     "numpy warns; np.exp(1000) too). The rule of this course: no overflow on the "
                     "way. tanh never overflows: t = math.tanh(x), then (1 - t**2) * out_grad.")


def _tanh_backward(x, out_grad):
    t = math.tanh(x)
    return (1.0 - t * t) * out_grad


@guarded
def tanh_backward(fn):
    """Check tanh_backward(x, out_grad) -> (1 - tanh(x)^2) * out_grad.

    Cases: ordinary x (positive, zero, negative), out_grad of 1 and not 1, and the
    saturated x = +-20 and +-1000, where a formula through cosh or exp overflows.
    """
    cases = [(0.5, 2.0), (0.0, 1.0), (-1.2, 3.0), (2.0, -0.5), (20.0, 1.0), (-20.0, 4.0),
             (1000.0, 1.0), (-1000.0, 2.0)]
    mistakes = [
        (lambda x, g: (1 - x ** 2) * g,
         "square tanh(x), not x: the local gradient is 1 - tanh(x)**2."),
        (lambda x, g: (1 - math.tanh(x)) * g,
         "the square is missing: 1 - tanh(x)**2, not 1 - tanh(x)."),
        (lambda x, g: 1 - math.tanh(x) ** 2,
         "out_grad is missing: multiply the local gradient 1 - tanh(x)**2 by the grad "
         "arriving from above (the chain rule)."),
        (lambda x, g: 1 - math.tanh(x) ** 2 * g,
         "brackets: (1 - tanh(x)**2) * out_grad; without them only tanh(x)**2 is multiplied."),
        (lambda x, g: math.tanh(x) * g,
         "tanh(x) is the forward result; its slope is 1 - tanh(x)**2."),
        (lambda x, g: (1 + math.tanh(x) ** 2) * g,
         "a minus: the slope of tanh is 1 - tanh(x)**2 (at most 1, at x = 0)."),
        (lambda x, g: -2 * math.tanh(x) * (1 - math.tanh(x) ** 2) * g,
         "that is the slope of 1 - tanh(x)**2; you need the slope of tanh itself, "
         "1 - tanh(x)**2."),
    ]
    overflow = ("nan or inf: at such a large x, exp(x) or cosh(x) overflows (e**1000 does not "
                "fit in a float). Use math.tanh(x) or np.tanh(x), which never overflow, and "
                "write the slope as 1 - t**2 with t = tanh(x).")
    check_cases("tanh_backward", fn, _tanh_backward, cases, mistakes,
                hint="t = tanh(x); the grad passed back is (1 - t**2) * out_grad.",
                crash_hints=[("math range error", overflow.replace("nan or inf: ", "")),
                             ("OverflowError", overflow.replace("nan or inf: ", ""))],
                overflow_hint=overflow, warning_hint=TANH_WARNING_HINT)


# ------------------------------------------------------ task 3: pow_backward --

def _pow_backward(x, k, out_grad):
    return k * x ** (k - 1) * out_grad


@guarded
def pow_backward(fn):
    """Check pow_backward(x, k, out_grad) -> k * x**(k - 1) * out_grad.

    Cases: k = 2, 3 (with a negative x), 1, 0, -1 and 0.5; x = 0 with k = 2; a
    large x; out_grad of 1, not 1 and negative.
    """
    cases = [(3.0, 2, 0.5), (2.0, 3, 1.0), (-2.0, 3, 2.0), (5.0, 1, 3.0), (4.0, 0, 2.0),
             (2.0, -1, 1.0), (4.0, 0.5, 1.0), (0.0, 2, 1.0), (-1.5, 2, -2.0), (1000.0, 3, 1.0)]
    mistakes = [
        (lambda x, k, g: x ** (k - 1) * g,
         "the factor k is missing: the slope of x**k is k * x**(k - 1) (for x**2: 2x)."),
        (lambda x, k, g: k * x ** k * g,
         "the power goes down by one: k * x**(k - 1), not k * x**k."),
        (lambda x, k, g: k * x ** (k + 1) * g,
         "the power goes DOWN by one: k * x**(k - 1), not k * x**(k + 1)."),
        (lambda x, k, g: k * x ** (k - 1),
         "out_grad is missing: multiply the local gradient k * x**(k - 1) by the grad "
         "arriving from above (the chain rule)."),
        (lambda x, k, g: x ** k * g, "x**k is the forward result; its slope is k * x**(k - 1)."),
    ]
    # x = 0 is a case: k * x**k / x (the same slope everywhere else) divides by 0 there,
    # a ZeroDivisionError with floats, a nan with numpy's numbers.
    zero = ("x can be 0, and dividing by x (as in k * x**k / x, or times x**-1) fails there: "
            "write k * x**(k - 1), don't divide by x.")
    check_cases("pow_backward", fn, _pow_backward, cases, mistakes,
                hint="the grad passed back is k * x**(k - 1) * out_grad.",
                crash_hints=[("ZeroDivisionError", zero)], overflow_hint=zero)


# ---------------------------------------------------- task 4: hand_gradients --

# The expression and numbers of task 4.
HAND_INPUTS = {"a": -1.5, "b": 4.0, "c": 2.0, "d": -3.0}
_HAND_ORDER = ("d", "c", "a", "b")  # the order the backward pass meets them


def _hand_reference():
    """dL/da .. dL/dd of L = (a * b + c) * d, from nnlib's Value."""
    v = {name: Value(x, label=name) for name, x in HAND_INPUTS.items()}
    L = (v["a"] * v["b"] + v["c"]) * v["d"]
    L.backward()
    return {name: v[name].grad for name in HAND_INPUTS}


def _hand_backprop(mul_at_L, add_rule, mul_at_e=None):
    """The backward pass of L = (a*b + c)*d done with (possibly wrong) rules for × and +:
    "swap" (right), "own" (each input gets its own value, not the other's) or "no chain"
    (the local gradient alone) for ×; "copy" (right), "one" or "half" for +."""
    a, b, c, d = (HAND_INPUTS[n] for n in "abcd")
    e = a * b
    s = e + c

    def mul(rule, x, y, out_grad):  # -> grads for x and y
        if rule == "swap":
            return y * out_grad, x * out_grad
        if rule == "own":
            return x * out_grad, y * out_grad
        return y, x

    def add(out_grad):
        return {"copy": out_grad, "one": 1.0, "half": out_grad / 2}[add_rule]

    s_grad, d_grad = mul(mul_at_L, s, d, 1.0)
    e_grad = c_grad = add(s_grad)
    a_grad, b_grad = mul(mul_at_e or mul_at_L, a, b, e_grad)
    return {"a": a_grad, "b": b_grad, "c": c_grad, "d": d_grad}


_HAND_MISTAKES = [
    (_hand_backprop("own", "copy"),
     "at a × node each input gets the OTHER input times the grad: for L = s * d, "
     "d.grad = s * L.grad and s.grad = d * L.grad."),
    (_hand_backprop("swap", "copy", mul_at_e="own"),
     "at e = a * b, a gets the OTHER factor: a.grad = b * e.grad and b.grad = a * e.grad."),
    (_hand_backprop("swap", "one"),
     "a + node passes its grad on unchanged: c.grad = 1 * s.grad (and e.grad the same), "
     "the local gradient 1 TIMES the grad arriving from above, not 1 alone."),
    (_hand_backprop("no chain", "copy"),
     "multiply each local gradient by the grad arriving from above (the chain rule)."),
    (_hand_backprop("swap", "half"),
     "a + node does not split its grad: BOTH inputs get all of s.grad."),
]

_HAND_HINTS = {
    "d": "L = s * d with s = a*b + c: d.grad = s * L.grad, and L.grad = 1.",
    "c": "s.grad = d * L.grad (the swap at L = s * d); the + at s = e + c copies s.grad "
         "unchanged to c.",
    "a": "e.grad = s.grad (the + copies it); then a.grad = b * e.grad (the swap at e = a * b).",
    "b": "e.grad = s.grad (the + copies it); then b.grad = a * e.grad (the swap at e = a * b).",
}


@guarded
def hand_gradients(fn):
    """Check hand_gradients() -> {"a": dL/da, "b": dL/db, "c": dL/dc, "d": dL/dd} for
    L = (a * b + c) * d at a = -1.5, b = 4, c = 2, d = -3, against nnlib's Value.

    The first wrong gradient is named, in the order the backward pass meets them
    (d, c, a, b), with a hint for the usual mistakes; the right number is not shown,
    since finding it is the exercise.
    """
    expected = _hand_reference()
    with forbidden((Value, "__init__")) as used:  # "plain floats, no Value"
        try:
            got = call("hand_gradients", fn, ())
        except CheckFailed:
            if not used:
                raise
    if used:
        raise CheckFailed("hand_gradients() makes Values: the task asks for the backward pass "
                          "by hand\n  hint: write each step as a line with plain floats "
                          "(e = a * b, ..., dL_ds = d * 1.0, ...), as in the lesson's section 3; "
                          "Value.backward() is what the check compares with.")
    if not isinstance(got, dict):
        raise CheckFailed(f"hand_gradients() returned {show(got)}\n  hint: return a dict, "
                          'e.g. {"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0}, with your four numbers.')
    missing = [name for name in "abcd" if name not in got]
    if missing:
        raise CheckFailed(f"hand_gradients() returned a dict without {', '.join(map(repr, missing))}"
                          f"\n  hint: use the keys \"a\", \"b\", \"c\" and \"d\".")
    for name in _HAND_ORDER:
        value = got[name]
        if isinstance(value, Value):
            raise CheckFailed(f'hand_gradients()["{name}"] is a Value\n  hint: give plain '
                              "numbers (work them out with floats, as in the lesson's section 3).")
        if close(value, expected[name]):
            continue
        # A known mistake that gives this number; best one that gives all four of them.
        fits = [(all(close(got[n], wrong[n]) for n in "abcd"), why)
                for wrong, why in _HAND_MISTAKES if close(value, wrong[name])]
        hint = max(fits, key=lambda fit: fit[0])[1] if fits else _HAND_HINTS[name]
        raise CheckFailed(f'hand_gradients(): dL/d{name} is not {show(value)}\n'
                          f"  (the first wrong one, in the order backward meets them: d, c, a, b)"
                          f"\n  hint: {hint}")
    text = ", ".join(f"dL/d{name} = {expected[name]:g}" for name in "abcd")
    passed("hand_gradients", f"{text}, as Value.backward() says")


# ------------------------------------------------ task 5a: numerical_gradient --

NUMERICAL_CASES = [
    (Named("f(v) = v0**3 - 2*v0", lambda v: v[0] ** 3 - 2 * v[0]), [2.0]),
    (Named("f(v) = (v0*v1 + v2) * v3", lambda v: (v[0] * v[1] + v[2]) * v[3]),
     [-1.5, 4.0, 2.0, -3.0]),
    (Named("f(v) = tanh(v0*v1) + v1**2 * v2", lambda v: _tanh(v[0] * v[1]) + v[1] ** 2 * v[2]),
     [0.5, -1.0, 2.0]),
    (Named("f(v) = v0**2   (v1 is not used)", lambda v: v[0] ** 2 + 0.0 * v[1]), [3.0, 7.0]),
    (Named("f(v) = exp(v0) / v1", lambda v: _exp(v[0]) / v[1]), [1.0, -2.0]),
    (Named("f(v) = v0**4", lambda v: v[0] ** 4), [-2.0]),
]


# Cases with h given: the answer is then the central difference with THAT h, which differs
# from the exact slope by about h**2 times the third derivative / 6 (1e-6 and more here),
# so a function that ignores h shows.
NUMERICAL_H_CASES = [
    (Named("f(v) = v0**4", lambda v: v[0] ** 4), [-2.0], 1e-3),
    (Named("f(v) = v0**3 * v1", lambda v: v[0] ** 3 * v[1]), [1.5, -2.0], 0.01),
]


def _close_numerical(got, expected):
    # Central differences with h = 1e-6 agree with the exact slope to about 1e-9 here;
    # one-sided differences are off by about h * f'' / 2, 1e-6 or more on these curves.
    return close(got, expected, rtol=1e-8, atol=1e-7)


def _forward_difference(f, xs, h=1e-6):
    out = []
    for i in range(len(xs)):
        up = list(xs)
        up[i] += h
        out.append((f(up) - f(xs)) / h)
    return out


def _backward_difference(f, xs, h=1e-6):
    out = []
    for i in range(len(xs)):
        down = list(xs)
        down[i] -= h
        out.append((f(xs) - f(down)) / h)
    return out


def _not_restored(f, xs, h=1e-6):
    xs, out = list(xs), []
    for i in range(len(xs)):
        xs[i] += h
        up = f(xs)
        xs[i] -= 2 * h
        down = f(xs)
        out.append((up - down) / (2 * h))  # and xs[i] stays at x - h
    return out


def _all_at_once(f, xs, h=1e-6):
    up, down = [x + h for x in xs], [x - h for x in xs]
    return [(f(up) - f(down)) / (2 * h)] * len(xs)


@guarded
def numerical_gradient(fn):
    """Check numerical_gradient(f, xs, h=1e-6) -> the list of central differences
    (f(xs with xs[i] + h) - f(xs with xs[i] - h)) / (2h), one per number in xs.

    The right answers are the exact slopes from nnlib's Value.backward(). Cases: one
    input, the four inputs of task 4, tanh, an input that f ignores (slope 0), a
    division with a negative input, and a steep curve. It also checks that xs is the
    same after the call (each number must be put back after it is nudged).
    """
    mistakes = [
        (_forward_difference, "one-sided: (f(x + h) - f(x)) / h is off by about h * f''/2. "
                              "Nudge both ways, (f(x + h) - f(x - h)) / (2h): the errors cancel."),
        (_backward_difference, "one-sided: (f(x) - f(x - h)) / h is off by about h * f''/2. "
                               "Nudge both ways, (f(x + h) - f(x - h)) / (2h): the errors cancel."),
        (lambda f, xs, h=1e-6: [2 * g for g in _central(f, xs, h)],
         "x + h and x - h are 2h apart: divide by 2 * h, not by h."),
        (_not_restored, "put each number back after nudging it: otherwise the next slopes are "
                        "measured at a shifted point (and the caller's xs is changed)."),
        (_all_at_once, "nudge ONE number at a time and keep the others as they are: that gives "
                       "one slope per input."),
    ]
    hint = ("for each i: nudge xs[i] up by h, run f; down by h, run f; the slope is the "
            "difference divided by 2h. Return one slope per number.")
    task = "numerical_gradient"
    cases = [(f, list(xs)) for f, xs in NUMERICAL_CASES] + [
        (f, list(xs), h) for f, xs, h in NUMERICAL_H_CASES]
    for args in cases:
        f, xs = args[:2]
        # The exact slopes when h is left at its default; with h given, that h's differences.
        expected = _autograd(f, xs) if len(args) == 2 else _central(f, xs, args[2])
        got, _, changed = call_own(task, fn, args, NNLIB_REFEREE, "build the referee "
                                   "yourself: for each i, nudge a copy of xs up and down by h, "
                                   "call f on each, and divide the difference by 2h.",
                                   watch=True)
        head = f"{task}{show(args)}"
        if not _close_numerical(got, expected):
            why = known_mistake(got, args, mistakes, _close_numerical, fn=fn, cases=cases)
            if why is None and len(args) == 3 and _close_numerical(got, _central(f, xs)):
                why = ("use the h you are given: here h = "
                       f"{args[2]:g} (1e-6 is only the default when no h is given).")
            raise wrong_answer(head, expected, got, why or hint)
        if changed and not close(changed[1], xs, rtol=0, atol=1e-12):  # (rounding is forgiven)
            raise CheckFailed(f"{head} changed xs: after the call it was {changed[1]}\n"
                              "  hint: put each number back after nudging it, or nudge a copy "
                              "(e.g. up = list(xs)).")
    passed(task, f"{len(cases)} cases, {len(NUMERICAL_H_CASES)} of them with their own h")


# ---------------------------------------------------- task 5b: gradient_error --

def _relative_error(autograd, numerical):
    return max(abs(a - n) / max(abs(a) + abs(n), 1e-12) for a, n in zip(autograd, numerical))


def _on_floats(f):
    """f (Values in, a Value out) as a function of floats (for central differences)."""
    return lambda ys: f([Value(y) for y in ys]).data


def _gradient_error(f, xs):
    """The reference; 0.0 when the grads are right (any error below 1e-6 is rounding)."""
    error = _relative_error(_autograd(f, xs), _central(_on_floats(f), xs))
    return error if error >= 1e-6 else 0.0


def _mul_unswapped(u, v):
    """A × whose local gradients are NOT swapped: a bug on purpose."""
    return Value(u.data * v.data, (u, v), (u.data, v.data))


def _cube_without_k(u):
    """u ** 3 whose local gradient forgot the factor 3: a bug on purpose."""
    return Value(u.data ** 3, (u,), (u.data ** 2,))


def _triple_backwards(u):
    """3 * u whose local gradient has the wrong sign and size (-1, not 3): a bug on
    purpose. Autograd and numerical slopes then have opposite signs, where dividing by
    |a + n| (2 here) instead of |a| + |n| (4) shows."""
    return Value(3 * u.data, (u,), (-1.0,))


GRADIENT_ERROR_CASES = [
    (Named("f(v) = (v0*v1 + v2).tanh() * v0", lambda v: (v[0] * v[1] + v[2]).tanh() * v[0]),
     [0.5, -1.0, 0.3]),
    (Named("f(v) = mul_unswapped(v0, v1) + v0   (a × with a bug)",
         lambda v: _mul_unswapped(v[0], v[1]) + v[0]), [2.0, 4.0]),
    (Named("f(v) = v0 * v0 + v1.relu()   (the relu is off: both slopes for v1 are 0)",
         lambda v: v[0] * v[0] + v[1].relu()), [1.5, -2.0]),
    (Named("f(v) = cube_without_k(v0) * v1   (a ** 3 with a bug)",
         lambda v: _cube_without_k(v[0]) * v[1]), [1.5, 2.0]),
    (Named("f(v) = (v0.exp() + v1).log()", lambda v: (v[0].exp() + v[1]).log()), [0.2, 1.5]),
    (Named("f(v) = triple_backwards(v0) + v1 * v1   (a × 3 whose slope has the wrong sign)",
           lambda v: _triple_backwards(v[0]) + v[1] * v[1]), [0.7, 2.0]),
]


def _close_error(got, expected):
    """Right gradients: any error below 1e-6 will do. Wrong ones: the same error, closely."""
    got, expected = numbers(got), numbers(expected)
    if got is None or expected is None:
        return False
    if got.ndim != 0 or expected.ndim != 0:  # (a list: only to match a mistake)
        return close(got, expected, rtol=1e-4, atol=1e-6)
    got, expected = float(got), float(expected)
    if expected < 1e-6:
        return 0.0 <= got < 1e-6
    return math.isclose(got, expected, rel_tol=1e-4)


@guarded
def gradient_error(fn):
    """Check gradient_error(f, xs) -> the largest relative error between the grads
    Value.backward() gives and numerical_gradient's, over the inputs.

    Cases: two right functions (the error must be below 1e-6), a × and a ** 3 with a
    wrong local gradient (the error must be the right size), and a ReLU that is off,
    where both slopes are 0 and 0 / 0 must not happen.
    """
    mistakes = [
        (lambda f, xs: 1.0, "an error of 1 means the two slopes disagree completely: were the "
                            "autograd grads all 0? Call backward() on f's output before reading "
                            "the inputs' .grad."),
        (lambda f, xs: max(abs(a - n) for a, n in zip(_autograd(f, xs),
                                                          _central(_on_floats(f), xs))),
         "that is the absolute difference; divide it by |autograd| + |numerical| "
         "(the relative error of the lesson)."),
        (lambda f, xs: max(abs(a - n) / abs(a) for a, n in zip(_autograd(f, xs),
                                                                 _central(_on_floats(f), xs))),
         "divide by |autograd| + |numerical|, not by |autograd| alone."),
        (lambda f, xs: max(abs(a - n) / max(abs(a + n), 1e-12) for a, n in
                           zip(_autograd(f, xs), _central(_on_floats(f), xs))),
         "divide by |a| + |n|, each size on its own, not by |a + n|: when the two slopes have "
         "opposite signs (a wrong sign in a backward rule), a + n can be close to 0."),
        (lambda f, xs: float(np.mean([abs(a - n) / max(abs(a) + abs(n), 1e-12) for a, n in
                                      zip(_autograd(f, xs), _central(_on_floats(f), xs))])),
         "return the LARGEST relative error over the inputs, not the average: one wrong "
         "slope is enough to make the gradient wrong."),
        (lambda f, xs: [abs(a - n) / max(abs(a) + abs(n), 1e-12) for a, n in
                        zip(_autograd(f, xs), _central(_on_floats(f), xs))],
         "return one number, the largest of the relative errors: max(...)."),
    ]
    zero_hint = ("both slopes are 0 here, and 0 / 0 is not a number: divide by "
                 "max(|a| + |n|, 1e-12) instead, as nnlib/gradcheck.py does.")
    crash_hints = [
        ("ZeroDivisionError", zero_hint),
        ("'float' object has no attribute",
         "numerical_gradient calls its function with plain floats and needs a float back, "
         "but f takes Values: give it lambda ys: f([Value(y) for y in ys]).data"),
        ("Value", "numerical_gradient needs a function of floats that returns a float: "
                  "lambda ys: f([Value(y) for y in ys]).data"),
    ]
    for args in GRADIENT_ERROR_CASES:  # first the rule, then the values (check_cases)
        call_own("gradient_error", fn, args, NNLIB_REFEREE, "use YOUR numerical_gradient from "
                 "5a as the referee (step 2 of the task), not nnlib's.",
                 earlier=["numerical_gradient"], crash_hints=crash_hints)
    check_cases("gradient_error", fn, _gradient_error, GRADIENT_ERROR_CASES, mistakes,
                compare=_close_error, crash_hints=crash_hints, overflow_hint=zero_hint,
                hint="make Values from xs, run f, call backward() and read each .grad; "
                     "then numerical_gradient on the floats; return the largest "
                     "|a - n| / max(|a| + |n|, 1e-12).")
