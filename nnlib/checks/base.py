"""Instant feedback for the exercises.

A check calls the learner's function on several cases (including edge cases)
and compares with the right answer.  It reports in one of three ways:

    ✅ RIGHT             a one-line message
    ❌ NOT YET           CheckFailed: the first failing case (input, expected, got)
                         and a hint tied to the likely mistake
    ⏳ NOT STARTED       NotImplementedYet: one line

Each symbol comes with its word, because some browsers draw these symbols as empty boxes.
Whatever the learner's function does (returns a string, a huge int, a generator, raises
any exception, prints, changes its arguments), the learner sees one of these three
reports, never a traceback from the check itself: see `guarded`.

Both failures are AssertionErrors, so pytest and nbgrader count them as failed,
but in a notebook they show as that short message instead of a long traceback
(IPython displays an exception through its `_render_traceback_` method if it has one).

The pieces a check is made of, in the order it uses them:

    guarded        wrap a check: anything unexpected still ends as a short report
    call           run the learner's function: a stub or a crash becomes a short report
    replaced       run it with one of the learner's own functions swapped for a spy,
                   to test a rule such as "use your neuron" by its effect
    running        note which of nnlib's own functions ran meanwhile, to test a rule such
                   as "do not import it from nnlib" by its effect (call_own: call with
                   that rule; borrowed: its report)
    close          compare its answer with the right one
    known_mistake  find the hint of a known mistake that gives the same wrong answer
                   (tested on every case, not only the one that failed)
    wrong_answer   write the report: the case, expected, got, the hint
    check_cases    all four, for a list of cases
    wrong_parts    which parts of an answer made of several, such as (dW, db, dX), are wrong
"""
import contextlib
import copy
import functools
import reprlib
import sys
import warnings

import numpy as np


RIGHT, NOT_YET, NOT_STARTED = "✅ RIGHT", "❌ NOT YET", "⏳ NOT STARTED"


class CheckFailed(AssertionError):
    """The learner's answer is wrong; the message says where and why."""

    symbol = NOT_YET

    def _render_traceback_(self):
        return [f"{self.symbol} · {line}" if i == 0 else f"   {line}"
                for i, line in enumerate(str(self).splitlines())]


class NotImplementedYet(CheckFailed):
    """The stub is untouched: it still raises NotImplementedError."""

    symbol = NOT_STARTED


def passed(task, detail=""):
    """Say that a task is right."""
    # One write, line end included, so that a notebook stores it as one piece of output.
    sys.stdout.write(f"{RIGHT} · {task}: right{' — ' + detail if detail else ''}\n")


def report(text, hint=""):
    """A CheckFailed saying text, and then the hint on a last line, if there is one."""
    return CheckFailed(text + (f"\n  hint: {hint}" if hint else ""))


# ------------------------------------------------------------ showing values --

# The rows of a matrix start under its first row when it follows "  expected: " or "  got:      ".
_NEXT_ROW = "\n" + " " * len("  expected: ")


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = _SHORT.maxlong = 80


def show(x):
    """A short, readable form of a value for messages (never longer than a few lines,
    and never an error, whatever the value is)."""
    try:
        return _show(x)
    except Exception:  # a value whose repr (or float conversion) itself fails
        return f"a {type(x).__name__} object"


def _show(x):
    if isinstance(x, np.generic):  # np.int64(1) -> 1, as the notebooks write it
        x = x.item()
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
        if len(x) > 8:
            return "(" + ", ".join(show(v) for v in x[:8]) + f", ... {len(x)} items)"
        return "(" + ", ".join(show(v) for v in x) + ")"
    return _SHORT.repr(x)  # a huge int, a long string or list: cut short with "..."


class Named:
    """A function with a readable name, so that messages say `z**3`, not `<function ...>`."""

    def __init__(self, name, f):
        self.name, self.f = name, f

    def __call__(self, *args):
        return self.f(*args)

    def __repr__(self):
        return self.name


def numbers(value):
    """value as an array of floats, or None when it is not made of numbers.

    Text is not a number here, even "105"; nor is an int too large for a float.
    Nothing the value does while being converted (a failing __float__ or __len__,
    a generator) gets out of here: it is simply not numbers.
    """
    if value is None or isinstance(value, (str, bytes)):
        return None
    try:
        with quiet():
            array = np.asarray(value)
            if array.dtype.kind in "USVM" or (array.dtype.kind == "O" and any(
                    isinstance(v, (str, bytes)) for v in array.flat)):
                return None
            return array.astype(float)
    except Exception:
        return None


# ------------------------------------------------- running the learner's code --

# The learner's functions that have answered at least once in the check that is running
# ({id: function}, kept alive so that no id is reused; None outside a check): a
# NotImplementedError from one of them means "not finished for this case", not "not started".
_answered = None


def guarded(check):
    """Make a check report, whatever happens: its own comparisons, a drawing or a message
    can meet answers nobody foresaw (an int too large for a float, an object whose
    __len__ raises), and the learner must still see a ❌ line, not a traceback.

    Every public check of the lesson modules is wrapped in it.
    """
    @functools.wraps(check)
    def checked(*args, **kwargs):
        global _answered
        outer, _answered = _answered, {}
        try:
            with quiet():
                return check(*args, **kwargs)
        except CheckFailed:
            raise
        except (Exception, SystemExit) as error:
            raise report(f"{check.__name__}: your answer could not be checked: it led to "
                         f"{_crash(error)}",
                         "return what the task asks for (look at its example), made of "
                         "plain numbers or numpy arrays.") from None
        finally:
            _answered = outer
    return checked


class _Cells:
    """Where the learner's function finds a name: its globals, or a closure cell."""

    def __init__(self, fn, name):
        self.fn, self.name = fn, name
        code = getattr(fn, "__code__", None)
        freevars = getattr(code, "co_freevars", ())
        closure = getattr(fn, "__closure__", None) or ()
        self.cell = dict(zip(freevars, closure)).get(name)
        self.globals = getattr(fn, "__globals__", None)

    def get(self):
        if self.cell is not None:
            return self.cell.cell_contents
        return (self.globals or {}).get(self.name)

    def set(self, value, missing=False):
        if self.cell is not None:
            self.cell.cell_contents = value
        elif self.globals is not None:
            if missing:
                self.globals.pop(self.name, None)
            else:
                self.globals[self.name] = value


def seen(fn, name):
    """The object fn finds under `name` (a global of the learner's notebook, or a variable
    of an enclosing function), or None when it cannot see such a name."""
    return _Cells(fn, name).get()


@contextlib.contextmanager
def replaced(fn, name, substitute):
    """Run with the function `name` that fn uses (a global of the learner's notebook, or
    a variable of an enclosing function) replaced by substitute, then put it back.

    This tests a rule such as "build it from your neuron" by its effect, whatever way
    the learner wrote it (a helper function, a loop, a list comprehension): swap
    `neuron` for a neuron that answers differently and see whether the answer changes.
    Yields the original (None when fn cannot see such a name).
    """
    cells = _Cells(fn, name)
    original = cells.get()
    missing = cells.cell is None and name not in (cells.globals or {})
    cells.set(substitute)
    try:
        yield original
    finally:
        cells.set(original, missing=missing)


@contextlib.contextmanager
def forbidden(*places):
    """Make the given (object, attribute name) pairs raise a CheckFailed when they are
    called; yields a list that records each use, so a rule such as "do not build the
    network" can be told even when the learner's code catches the error."""
    used = []
    saved = [(owner, name, getattr(owner, name)) for owner, name in places]

    def refusing(owner, name, original):
        @functools.wraps(original)
        def refuse(*args, **kwargs):
            used.append(name)
            raise CheckFailed(f"{name} was used")
        return refuse

    for owner, name, original in saved:
        setattr(owner, name, refusing(owner, name, original))
    try:
        yield used
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


@contextlib.contextmanager
def running(*functions):
    """Note which of the given functions run while in the block; yields the list of them,
    in the order they first ran.

    This tests a rule such as "write it yourself, do not import it from nnlib" by its
    effect: whatever name the learner gave nnlib's function (`sigmoid = activations.sigmoid`,
    `from nnlib.activations import sigmoid as s`, a wrapper, a helper), its code runs.
    (forbidden and replaced cannot see that: they swap a name, and an imported function
    lives on under other names.)  Python's profile hook sees every call; the one that
    was set before (a profiler) is put back after the block.
    """
    codes = {f.__code__: f for f in functions}
    ran = []
    before = sys.getprofile()

    def note(frame, event, arg):
        if event == "call" and frame.f_code in codes and codes[frame.f_code] not in ran:
            ran.append(codes[frame.f_code])

    sys.setprofile(note)
    try:
        yield ran
    finally:
        sys.setprofile(before)


def the_functions_of(module, names=None):
    """The functions defined in module (those named in names, if given): what `running`
    watches for a rule such as "do not import them from nnlib"."""
    return [f for name, f in vars(module).items()
            if callable(f) and getattr(f, "__module__", None) == module.__name__
            and hasattr(f, "__code__") and (names is None or name in names)]


def borrowed(task, fn, ran, advice, earlier=()):
    """The report for a function that is, or calls, one of nnlib's own (ran, from
    `running`): advice says how to write it yourself; earlier names the learner's
    functions of earlier tasks that fn may call (when it does, the report says the
    borrowed one may come through them)."""
    own = ran[0]
    name = f"{own.__module__}.{own.__name__}"
    if getattr(fn, "__code__", None) is own.__code__:
        return report(f"{task}: this is nnlib's own {own.__name__} ({name}), not yours", advice)
    code = getattr(fn, "__code__", None)
    used = [n for n in earlier
            if n in getattr(code, "co_names", ()) + getattr(code, "co_freevars", ())]
    through = (f"\n  (perhaps through your `{used[0]}`: does check.{used[0]} pass?)"
               if used else "")
    return report(f"{task}: your function calls nnlib's own {own.__name__} ({name})"
                  f"{through}", advice)


def call_own(task, fn, args, functions, advice, earlier=(), **options):
    """call, where none of the given functions (nnlib's own) may run: the task is to write
    them yourself.  If one ran, even when the call then crashed, the report says so
    (see borrowed); options go to call."""
    with running(*functions) as ran:
        try:
            answer = call(task, fn, args, **options)
        except CheckFailed:
            if not ran:
                raise
    if ran:
        raise borrowed(task, fn, ran, advice, earlier)
    return answer


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


def call(task, fn, args, label=None, crash_hints=(), watch=False, copy_args=True):
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
    copy_args:    False hands fn the arguments themselves, for a check that makes its own
                  copies or must see what fn does to an argument (a model it trains);
                  then watch finds no change
    """
    copies = tuple(copy.deepcopy(a) for a in args) if copy_args else tuple(args)
    head = f"{label}\n  raised" if label else f"{task}{show(tuple(args))} raised"
    try:
        with _recording() if watch else quiet() as caught:
            answer = fn(*copies)
    except CheckFailed:  # raised by a spy of the check (see replaced): already a report
        raise
    except NotImplementedError as error:
        if _answered and id(fn) in _answered:  # it answered other cases: started, but not this case
            raise report(f"{head} {_crash(error)}",
                         "your function answers the other cases but raises "
                         "NotImplementedError here: finish it for this kind of input too.") from None
        raise NotImplementedYet(_not_started(task, fn, error)) from None
    except (Exception, SystemExit) as error:  # the learner's code crashed: say where, briefly
        crash = _crash(error)
        hint = next((hint for piece, hint in crash_hints if piece in crash), "")
        raise report(f"{head} {crash}", hint) from None
    if _answered is not None:
        _answered[id(fn)] = fn
    if not watch:
        return answer
    warning = next((str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)),
                   None)
    changed = {i: after for i, (before, after) in enumerate(zip(args, copies))
               if _changed(before, after)}
    return answer, warning, changed


def _crash(error):
    """'ErrorType: message', cut short, even when the message itself cannot be made."""
    try:
        message = str(error)
    except Exception:
        message = "(its message could not be shown)"
    if len(message) > 300:
        message = message[:300] + " ..."
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _not_started(task, fn, error):
    """The report for a NotImplementedError: fn's own stub, or a stub that fn uses."""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next  # the innermost frame: where it was raised
    own = getattr(getattr(fn, "__code__", None), "co_name", None)
    origin = tb.tb_frame.f_code.co_name if tb is not None else own
    if origin != getattr(getattr(fn, "__code__", None), "co_name", origin):
        return f"{task}: it uses `{origin}`, which is not implemented yet: finish that task first"
    return f"{task}: not implemented yet (replace `raise NotImplementedError()` with your code)"


def _changed(before, after):
    """True when an argument that is an array or a list of numbers is not exactly as it was.

    A list is compared item by item: a list of arrays of different shapes (a model's
    parameters, [W1, b1, W2, ...]) is no single array of numbers, but each item is.
    """
    if isinstance(before, list) and isinstance(after, list) and numbers(before) is None:
        return len(after) != len(before) or any(_changed(b, a) for b, a in zip(before, after))
    if not isinstance(before, (np.ndarray, list)) or numbers(before) is None:
        return False
    return not np.array_equal(numbers(after), numbers(before), equal_nan=True)


# ---------------------------------------------------------- judging answers --

def close(got, expected, rtol=1e-6, atol=1e-9):
    """True when got equals expected in shape and value, up to rounding."""
    got, expected = numbers(got), numbers(expected)
    try:
        with quiet():
            return (got is not None and expected is not None and got.shape == expected.shape
                    and bool(np.allclose(got, expected, rtol=rtol, atol=atol)))
    except Exception:
        return False


def _gives(wrong, args, got, compare):
    """True when the mistake model `wrong` gives `got` on args (False if it does not apply)."""
    try:
        with quiet():
            guess = wrong(*args)
            return guess is not None and bool(compare(got, guess))
    except Exception:  # a mistake that does not apply to this case
        return False


def _same_everywhere(fn, wrong, cases, compare):
    """True when the learner's fn gives what the mistake `wrong` gives on every case where
    that mistake applies: the hypothesis "this is the mistake" survives a test."""
    for args in cases:
        try:
            with quiet():
                guess = wrong(*copy.deepcopy(args))
        except Exception:
            continue
        if guess is None:
            continue
        try:
            with quiet():
                got = fn(*copy.deepcopy(args))
            if not compare(got, guess):
                return False
        except Exception:
            return False
    return True


def known_mistake(got, args, mistakes, compare=close, fn=None, cases=()):
    """The hint of the first known mistake that gives the learner's answer, or None.

    mistakes: (wrong_function, hint) pairs; wrong_function takes the case's arguments.
    A mistake that does not apply to a case (it crashes, or returns None) is passed over.
    fn, cases: the learner's function and all the cases. Then the hypothesis is tested:
    two different mistakes can give the same numbers on one case, so a mistake that fn
    copies on EVERY case is preferred; one that fits this case only is still named (a
    mistake can hide in a branch for some inputs), but said to be a guess.
    """
    fitting = [(wrong, hint) for wrong, hint in mistakes if _gives(wrong, args, got, compare)]
    if fn is None:
        return fitting[0][1] if fitting else None
    for wrong, hint in fitting:
        if _same_everywhere(fn, wrong, cases, compare):
            return hint
    if fitting:
        return ("here your answer is what this mistake would give, though on other cases it "
                f"is not, so check what is special about this case: {fitting[0][1]}")
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
                crash_hints=(), overflow_hint="", warning_hint="", changed_hint="",
                arg_names=(), say=True):
    """Compare fn with reference on every case; the first difference fails.

    cases:          a list of argument tuples, e.g. [(np.array([0.0]),), ...]
    mistakes:       (wrong_function, hint) pairs: when the learner's answer equals what
                    a known mistake would give, its hint is shown (see known_mistake).
    hint:           the general hint when no known mistake matches.
    crash_hints:    hints for crashes of the learner's code (see call).
    overflow_hint:  the hint for a nan or an inf where the right answer has none.
    warning_hint:   when given, a numpy warning (an overflow on the way) fails a case even
                    if its answer is right, with this hint.
    changed_hint:   when given, an argument that fn changed in place (an array, a list of
                    numbers) fails a case even if its answer is right, with this hint;
                    arg_names names the arguments in that report, e.g. ("X", "w", "b").
    say:            print the ✅ line when every case is right (False when the check
                    has more to test after the cases).
    """
    for args in cases:
        expected = reference(*args)
        if warning_hint or changed_hint:
            got, warned, changed = call(task, fn, args, crash_hints=crash_hints, watch=True)
        else:
            got, warned, changed = call(task, fn, args, crash_hints=crash_hints), None, {}
        if compare(got, expected):
            if warned and warning_hint:
                raise report(f"{task}{show(tuple(args))}\n  the value is right, but numpy "
                             f"warned: {warned}", warning_hint)
            if changed and changed_hint:
                i, after = next(iter(changed.items()))
                name = arg_names[i] if i < len(arg_names) else f"argument {i + 1}"
                now = f"  {name} is now: ".ljust(len(_NEXT_ROW) - 1)  # (rows line up)
                raise report(f"{task}{show(tuple(args))}\n  the value is right, but your "
                             f"function changed {name} in place, so the caller's {name} is "
                             f"different:\n{now}{show(after)}", changed_hint)
            continue
        if overflow_hint and _overflowed(got, expected):
            why = overflow_hint
        else:
            why = known_mistake(got, args, mistakes, compare, fn=fn, cases=cases) or hint
        raise wrong_answer(f"{task}{show(tuple(args))}", expected, got, why)
    if say:
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


# ---- a training loop's result: (model, losses) -------------------------------------

def loss_curve(losses):
    """A short view of a list of losses: the first two, the last, and how many."""
    values = [float(v) for v in losses]
    if len(values) <= 3:
        return ", ".join(f"{v:.4f}" for v in values) + f" ({len(values)} numbers)"
    return f"{values[0]:.4f}, {values[1]:.4f}, ..., {values[-1]:.4f} ({len(values)} numbers)"


def as_training_run(got, model_example, per):
    """The learner's (model, losses) as (model, array), or a hint why it is not such a pair.

    model_example names the model the task builds (e.g. "mlp([64, hidden, 10])");
    per says what one loss is for ("batch" or "epoch").
    """
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return "return two things, the trained model and the list of losses: `return model, losses`."
    model, losses = got
    if callable(getattr(losses, "forward", None)) and not callable(getattr(model, "forward", None)):
        return "the order: return (model, losses), the model first."
    if not callable(getattr(model, "forward", None)):
        return f"the first thing returned must be the model you trained, e.g. {model_example}."
    values = numbers(losses)
    if values is None or values.ndim != 1:
        return f"losses must be a list of numbers, one loss (a float) per {per}."
    return model, values
