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

The pieces a check is made of, in the order it uses them:

    call           run the learner's function: a stub or a crash becomes a short report
    close          compare its answer with the right one
    known_mistake  find the hint of a known mistake that gives the same wrong answer
    wrong_answer   write the report: the case, expected, got, the hint
    check_cases    all four, for a list of cases
    wrong_parts    which parts of an answer made of several, such as (dW, db, dX), are wrong
"""
import contextlib
import copy
import warnings

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


def report(text, hint=""):
    """A CheckFailed saying text, and then the hint on a last line, if there is one."""
    return CheckFailed(text + (f"\n  hint: {hint}" if hint else ""))


# ------------------------------------------------------------ showing values --

# The rows of a matrix start under its first row when it follows "  expected: " or "  got:      ".
_NEXT_ROW = "\n" + " " * len("  expected: ")


def show(x):
    """A short, readable form of a value for messages."""
    if isinstance(x, np.ndarray) and x.ndim == 0:  # one number, as the notebooks write it
        number = x.item()
        if isinstance(number, float):
            number = float(f"{number:.6g}")  # 6 significant digits, like show(0.5)
        return f"np.array({number!r})"
    if isinstance(x, np.ndarray):
        with np.printoptions(precision=4, suppress=True, threshold=12, edgeitems=3):
            text = np.array2string(x, separator=", ").replace("\n", _NEXT_ROW)
        return f"{text} (shape {x.shape})" if x.ndim > 1 or x.size > 4 else text
    if isinstance(x, float):
        return f"{x:.6g}"
    if isinstance(x, tuple):
        return "(" + ", ".join(show(v) for v in x) + ")"
    return repr(x)


class Named:
    """A function with a readable name, so that messages say `z**3`, not `<function ...>`."""

    def __init__(self, name, f):
        self.name, self.f = name, f

    def __call__(self, *args):
        return self.f(*args)

    def __repr__(self):
        return self.name


def numbers(value):
    """value as an array of floats, or None when it is not made of numbers."""
    if value is None:
        return None
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


# ------------------------------------------------- running the learner's code --

@contextlib.contextmanager
def quiet():
    """Silence numpy's warnings (overflow, invalid value, the mean of nothing):
    a check reports a nan or an inf in an answer itself, once, with a hint."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


@contextlib.contextmanager
def _recording():
    """Record numpy's warnings in the list it yields, instead of showing them
    (underflow, such as exp(-1000) rounding to 0.0, is harmless and stays silent)."""
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
        warnings.simplefilter("always")
        yield caught


def call(task, fn, args, label=None, crash_hints=(), watch=False):
    """Call the learner's function; turn a stub or a crash into a clear report.

    fn gets copies of the arguments (an in-place change such as `b += 1` must not
    spoil the comparison) and runs quietly (see quiet).  A stub is reported as not
    implemented yet, and so is a function that uses another learner function which
    is still a stub: the report names that one.

    label:        how reports name this call (default: the task and the arguments)
    crash_hints:  (piece, hint) pairs: a crash whose "ErrorType: message" contains
                  the piece gets its hint, e.g. [("matmul", "X @ W needs ...")]
    watch:        return (answer, warning, changed) instead of the answer: the text of
                  the first numpy warning (an overflow can hide behind a right answer)
                  or None, and {position: the argument as fn left it} for each array
                  or list of numbers that fn changed in place
    """
    copies = tuple(copy.deepcopy(a) for a in args)
    try:
        with _recording() if watch else quiet() as caught:
            answer = fn(*copies)
    except NotImplementedError as error:
        raise NotImplementedYet(_not_started(task, fn, error)) from None
    except Exception as error:  # the learner's code crashed: say where, briefly
        crash = f"{type(error).__name__}: {error}"
        head = f"{label}\n  raised" if label else f"{task}{show(tuple(args))} raised"
        hint = next((hint for piece, hint in crash_hints if piece in crash), "")
        raise report(f"{head} {crash}", hint) from None
    if not watch:
        return answer
    warning = next((str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)),
                   None)
    changed = {i: after for i, (before, after) in enumerate(zip(args, copies))
               if _changed(before, after)}
    return answer, warning, changed


def _not_started(task, fn, error):
    """The report for a NotImplementedError: fn's own stub, or a stub that fn uses."""
    tb = error.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next  # the innermost frame: where it was raised
    origin = tb.tb_frame.f_code.co_name
    if origin != getattr(getattr(fn, "__code__", None), "co_name", origin):
        return f"{task}: it uses `{origin}`, which is not implemented yet: finish that task first"
    return f"{task}: not implemented yet (replace `raise NotImplementedError()` with your code)"


def _changed(before, after):
    """True when an argument that is an array or a list of numbers is not exactly as it was."""
    if not isinstance(before, (np.ndarray, list)) or numbers(before) is None:
        return False
    return not np.array_equal(numbers(after), numbers(before), equal_nan=True)


# ---------------------------------------------------------- judging answers --

def close(got, expected, rtol=1e-6, atol=1e-9):
    """True when got equals expected in shape and value, up to rounding."""
    got, expected = numbers(got), numbers(expected)
    return (got is not None and expected is not None and got.shape == expected.shape
            and bool(np.allclose(got, expected, rtol=rtol, atol=atol)))


def known_mistake(got, args, mistakes, compare=close):
    """The hint of the first known mistake that gives the learner's answer, or None.

    mistakes: (wrong_function, hint) pairs; wrong_function takes the case's arguments.
    A mistake that does not apply to a case (it crashes, or returns None) is passed over.
    """
    for wrong, hint in mistakes:
        try:
            with quiet():
                guess = wrong(*args)
                if guess is not None and compare(got, guess):
                    return hint
        except Exception:  # a mistake that does not apply to this case
            continue
    return None


def difference(expected, got, part=""):
    """The lines of a report that set a wrong answer against the right one, with their
    shapes when those differ.  part names a part of an answer: "W" gives "expected W: ..."."""
    name = f" {part}" if part else ""
    lines = f"\n  expected{name}: {show(expected)}\n  got{name}:      {show(got)}"
    values, wanted = numbers(got), np.shape(expected)
    if values is None or values.shape == wanted:
        return lines
    if values.shape == ():
        return lines + f"\n  (a single number instead of an array of shape {wanted})"
    return lines + f"\n  ({part + ' has ' if part else ''}shape {values.shape} instead of {wanted})"


def wrong_answer(head, expected, got, hint=""):
    """The report of a wrong answer: the case (head), expected, got, and a hint."""
    return report(head + difference(expected, got), hint)


def _overflowed(got, expected):
    """True when got holds a nan or an inf where expected holds none."""
    got = numbers(got)
    return got is not None and not np.all(np.isfinite(got)) and bool(np.all(np.isfinite(expected)))


def check_cases(task, fn, reference, cases, mistakes=(), compare=close, hint="",
                crash_hints=(), overflow_hint=""):
    """Compare fn with reference on every case; the first difference fails.

    cases:          a list of argument tuples, e.g. [(np.array([0.0]),), ...]
    mistakes:       (wrong_function, hint) pairs: when the learner's answer equals what
                    a known mistake would give, its hint is shown (see known_mistake).
    hint:           the general hint when no known mistake matches.
    crash_hints:    hints for crashes of the learner's code (see call).
    overflow_hint:  the hint for a nan or an inf where the right answer has none.
    """
    for args in cases:
        expected = reference(*args)
        got = call(task, fn, args, crash_hints=crash_hints)
        if compare(got, expected):
            continue
        if overflow_hint and _overflowed(got, expected):
            why = overflow_hint
        else:
            why = known_mistake(got, args, mistakes, compare) or hint
        raise wrong_answer(f"{task}{show(tuple(args))}", expected, got, why)
    passed(task, f"{len(cases)} cases")


def wrong_parts(got, expected, args, mistakes, compare=close):
    """The wrong parts of an answer made of several, such as (dW, db, dX), with hints.

    got, expected:  {name: value} for each part, e.g. {"dW": ..., "db": ..., "dX": ...}
    mistakes:       {name: (wrong_function, hint) pairs}: the known mistakes in that
                    part; a wrong_function takes the case's arguments, returns the part.
    Returns [(name, the hint of its known mistake, or None), ...], in the order of expected.
    """
    return [(name, known_mistake(got[name], args, mistakes.get(name, ()), compare))
            for name in expected if not compare(got[name], expected[name])]
