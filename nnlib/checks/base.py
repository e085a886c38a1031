"""Instant feedback for the exercises.

A check calls the learner's function on several cases (including edge cases)
and compares with the right answer.  It reports in one of three ways:

    ✅ right             a one-line message
    ❌ wrong             CheckFailed: the first failing case (input, expected, got)
                         and a hint tied to the likely mistake
    ⏳ not started       NotImplementedYet: one line

Both failures are AssertionErrors, so pytest and nbgrader count them as failed,
but in a notebook they show as that short message instead of a long traceback
(IPython displays an exception through its `_render_traceback_` method if it has one).
"""
import copy

import numpy as np


class CheckFailed(AssertionError):
    """The learner's answer is wrong; the message says where and why."""

    symbol = "❌"

    def _render_traceback_(self):
        return [f"{self.symbol} {line}" if i == 0 else f"   {line}"
                for i, line in enumerate(str(self).splitlines())]


class NotImplementedYet(CheckFailed):
    """The stub is untouched: it still raises NotImplementedError."""

    symbol = "⏳"


def passed(task, detail=""):
    """Say that a task is right."""
    print(f"✅ {task}: right{' — ' + detail if detail else ''}")


def show(x):
    """A short, readable form of a value for messages."""
    if isinstance(x, np.ndarray):
        with np.printoptions(precision=4, suppress=True, threshold=12, edgeitems=3):
            text = np.array2string(x, separator=", ")
        return f"{text} (shape {x.shape})" if x.ndim > 1 or x.size > 4 else text
    if isinstance(x, float):
        return f"{x:.6g}"
    if isinstance(x, tuple):
        return "(" + ", ".join(show(v) for v in x) + ")"
    return repr(x)


def call(task, fn, args):
    """Call the learner's function; turn a stub or a crash into a clear report.

    The function gets copies of the arguments (an in-place change such as
    `b += 1` must not spoil the comparison), and numpy's overflow warnings are
    silenced: a nan or inf in the result is reported by the check instead.
    """
    args = tuple(copy.deepcopy(a) for a in args)
    try:
        with np.errstate(all="ignore"):
            return fn(*args)
    except NotImplementedError:
        raise NotImplementedYet(
            f"{task}: not implemented yet (replace `raise NotImplementedError()` with your code)"
        ) from None
    except Exception as error:  # the learner's code crashed: say where, briefly
        raise CheckFailed(
            f"{task}{show(tuple(args))} raised {type(error).__name__}: {error}"
        ) from None


def close(got, expected, rtol=1e-6, atol=1e-9):
    """True when got equals expected in shape and value, up to rounding."""
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    expected = np.asarray(expected, dtype=float)
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=rtol, atol=atol))


def check_cases(task, fn, reference, cases, mistakes=(), compare=close, hint=""):
    """Compare fn with reference on every case; the first difference fails.

    cases:     a list of argument tuples, e.g. [(np.array([0.0]),), ...]
    mistakes:  (wrong_function, hint) pairs: when the learner's output equals what a
               known mistake would give, its hint is shown.
    hint:      the general hint when no known mistake matches.
    """
    for args in cases:
        expected = reference(*args)
        got = call(task, fn, args)
        if compare(got, expected):
            continue
        message = f"{task}{show(tuple(args))}\n  expected: {show(expected)}\n  got:      {show(got)}"
        if np.shape(got) != np.shape(expected) and not np.isscalar(got):
            message += f"\n  (shape {np.shape(got)} instead of {np.shape(expected)})"
        for wrong, why in mistakes:
            try:
                if compare(got, wrong(*args)):
                    hint = why
                    break
            except Exception:  # a mistake model that does not apply to this case
                continue
        raise CheckFailed(message + (f"\n  hint: {hint}" if hint else ""))
    passed(task, f"{len(cases)} cases")
