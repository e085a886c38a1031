"""The checks of exercises/05-backpropagation.ipynb: right answers pass, stubs say "not
implemented yet", and plausible wrong answers are caught with the failing case and a hint."""
import math

import numpy as np
import pytest

from nnlib import Value, gradcheck
from nnlib.gradcheck import numerical_gradient as nnlib_numerical_gradient
from nnlib.checks import lesson05 as check
from nnlib.checks.base import CheckFailed, NotImplementedYet
from tests.check_helpers import failure, stub


@pytest.mark.parametrize("check_fn", [check.mul_backward, check.tanh_backward, check.pow_backward,
                                      check.hand_gradients, check.numerical_gradient,
                                      check.gradient_error])
def test_untouched_stub_is_not_implemented_yet(check_fn):
    with pytest.raises(NotImplementedYet, match="not implemented yet") as info:
        check_fn(stub)
    assert len(info.value._render_traceback_()) == 1


# ---- task 1: mul_backward ------------------------------------------------------

def test_mul_backward_right_answers_pass(capsys):
    check.mul_backward(lambda a, b, out_grad: (b * out_grad, a * out_grad))
    check.mul_backward(lambda a, b, out_grad: [out_grad * b, out_grad * a])  # a list is fine
    check.mul_backward(lambda a, b, out_grad: np.array([b, a]) * out_grad)
    assert capsys.readouterr().out.count("✅ RIGHT · mul_backward: right — 7 cases") == 3


@pytest.mark.parametrize("wrong, case, hint", [
    (lambda a, b, g: (a * g, b * g), "mul_backward(2, 3, 4)", "the swap"),
    (lambda a, b, g: (b, a), "mul_backward(3, -2, 5)", "out_grad is missing"),
    (lambda a, b, g: (g, g), "mul_backward(2, 3, 4)", "that is the rule of +"),
    (lambda a, b, g: a + b, "mul_backward(2, 3, 4)", "return a pair (a_grad, b_grad)"),
    (lambda a, b, g: a * b, "mul_backward(2, 3, 4)", "forward result"),
    (lambda a, b, g: (a * b * g, a * b * g), "mul_backward(2, 3, 4)", "is b alone"),
    (lambda a, b, g: (-b * g, -a * g), "mul_backward(2, 3, 4)", "the swap, times the grad"),
])
def test_mul_backward_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.mul_backward, wrong)
    assert case in text and "expected: (12, 8)" in text or case != "mul_backward(2, 3, 4)"
    assert "hint:" in text and hint in text


def test_mul_backward_crash_is_reported_briefly():
    text = failure(check.mul_backward, lambda a, b, g: a.data * g)
    assert "mul_backward(2, 3, 4) raised AttributeError" in text


# ---- task 2: tanh_backward -----------------------------------------------------

def test_tanh_backward_right_answers_pass(capsys):
    check.tanh_backward(lambda x, g: (1 - math.tanh(x) ** 2) * g)
    check.tanh_backward(lambda x, g: g * (1 - np.tanh(x) * np.tanh(x)))
    check.tanh_backward(lambda x, g: g * (1 - np.tanh(x) ** 2))
    assert capsys.readouterr().out.count("✅ RIGHT · tanh_backward: right — 8 cases") == 3


def test_tanh_backward_follows_lesson_02s_rule_no_overflow_on_the_way():
    """The same rule as lesson 02's tanh_prime: 1 / np.cosh(x)**2 gives the right 0 at
    x = 1000 only through cosh(1000) = inf and a RuntimeWarning; both checks refuse it."""
    from nnlib.checks import lesson02

    text = failure(check.tanh_backward, lambda x, g: g / np.cosh(x) ** 2)
    assert "tanh_backward(1000, 1)" in text and "numpy warned: overflow" in text
    assert "no overflow on the way" in text
    text02 = failure(lesson02.tanh_prime, lambda z: 1 / np.cosh(z) ** 2)
    assert "numpy warned: overflow" in text02 and "no overflow on the way" in text02


@pytest.mark.parametrize("wrong, warned", [
    (lambda x, out_grad: out_grad / np.cosh(x) ** 2, "overflow encountered in cosh"),
    (lambda x, out_grad: 4 * out_grad / (np.exp(x) + np.exp(-x)) ** 2, "overflow encountered in exp"),
])
def test_tanh_backward_overflow_warning_hint_speaks_of_this_tasks_x(wrong, warned):
    """Exercise 02's hint speaks of z and 1 - np.tanh(z)**2; this task's function takes x and
    out_grad, and the hint says so."""
    text = failure(check.tanh_backward, wrong)
    assert "tanh_backward(1000, 1)" in text and warned in text
    assert "no overflow on the way" in text
    assert "np.cosh(x)" in text and "t = math.tanh(x), then (1 - t**2) * out_grad" in text
    assert "(z)" not in text


@pytest.mark.parametrize("wrong, case, hint", [
    (lambda x, g: (1 - x ** 2) * g, "tanh_backward(0.5, 2)", "square tanh(x), not x"),
    (lambda x, g: (1 - math.tanh(x)) * g, "tanh_backward(0.5, 2)", "the square is missing"),
    (lambda x, g: 1 - math.tanh(x) ** 2, "tanh_backward(0.5, 2)", "out_grad is missing"),
    (lambda x, g: 1 - math.tanh(x) ** 2 * g, "tanh_backward(0.5, 2)", "brackets"),
    (lambda x, g: math.tanh(x) * g, "tanh_backward(0.5, 2)", "forward result"),
    (lambda x, g: (1 + math.tanh(x) ** 2) * g, "tanh_backward(0.5, 2)", "a minus"),
    (lambda x, g: (1 - math.tanh(x) ** 2) * g + 1e-3, "tanh_backward(0.5, 2)",
     "t = tanh(x); the grad passed back"),
])
def test_tanh_backward_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.tanh_backward, wrong)
    assert case in text and "hint:" in text and hint in text


def _tanh_by_exp(x, g):
    t = (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))  # inf / inf = nan at +-1000
    return (1 - t * t) * g


@pytest.mark.parametrize("wrong, case, got", [
    (lambda x, g: g / math.cosh(x) ** 2, "tanh_backward(1000, 1) raised OverflowError", ""),
    (lambda x, g: 4 * g / (math.exp(x) + math.exp(-x)) ** 2,
     "tanh_backward(1000, 1) raised OverflowError", ""),
    (_tanh_by_exp, "tanh_backward(1000, 1)", "got: nan"),
])
def test_tanh_backward_overflow_at_1000_is_explained(wrong, case, got):
    text = failure(check.tanh_backward, wrong)
    assert case in text and got in text
    assert "hint:" in text and "overflows" in text and "math.tanh(x) or np.tanh(x)" in text


def test_tanh_backward_overflow_gives_no_warnings(recwarn):
    with pytest.raises(CheckFailed):
        check.tanh_backward(_tanh_by_exp)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


# ---- task 3: pow_backward ------------------------------------------------------

def test_pow_backward_dividing_by_x_is_named_at_x_0():
    """The review's learner: k * x**k / x is the slope everywhere but at x = 0, where it
    raises ZeroDivisionError with floats (and gives nan with numpy's numbers)."""
    def pow_backward(x, k, out_grad):
        return k * x**k / x * out_grad
    text = failure(check.pow_backward, pow_backward)
    assert text.startswith("pow_backward(0, 2, 1) raised ZeroDivisionError: float division by zero")
    assert "hint: x can be 0" in text and "write k * x**(k - 1), don't divide by x" in text

    text = failure(check.pow_backward, lambda x, k, g: k * np.float64(x) ** k / x * g)
    assert "pow_backward(0, 2, 1) expected: 0 got: nan" in text and "hint: x can be 0" in text


def test_pow_backward_right_answers_pass(capsys):
    check.pow_backward(lambda x, k, g: k * x ** (k - 1) * g)
    check.pow_backward(lambda x, k, g: g * k * math.pow(x, k - 1))
    assert capsys.readouterr().out.count("✅ RIGHT · pow_backward: right — 10 cases") == 2


@pytest.mark.parametrize("wrong, case, hint", [
    (lambda x, k, g: x ** (k - 1) * g, "pow_backward(3, 2, 0.5)", "the factor k is missing"),
    (lambda x, k, g: k * x ** k * g, "pow_backward(3, 2, 0.5)", "the power goes down by one"),
    (lambda x, k, g: k * x ** (k + 1) * g, "pow_backward(3, 2, 0.5)", "the power goes DOWN"),
    (lambda x, k, g: k * x ** (k - 1), "pow_backward(3, 2, 0.5)", "out_grad is missing"),
    (lambda x, k, g: x ** k * g, "pow_backward(3, 2, 0.5)", "forward result"),
    (lambda x, k, g: (k - 1) * x ** k * g, "pow_backward(3, 2, 0.5)", "its slope is k * x**(k - 1)"),
    (lambda x, k, g: (k - 1) * x ** (k - 1) * g, "pow_backward(3, 2, 0.5)", "the factor k"),
    # right for whole k >= 1 but not for k = 0, -1 or 0.5: the first such case is named
    (lambda x, k, g: k * x ** (k - 1) * g if k >= 1 else 0.0, "pow_backward(2, -1, 1)",
     "k * x**(k - 1) * out_grad"),
])
def test_pow_backward_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.pow_backward, wrong)
    assert case in text and "hint:" in text and hint in text


# ---- task 4: hand_gradients ----------------------------------------------------

RIGHT = {"a": -12.0, "b": 4.5, "c": -3.0, "d": -4.0}


def test_hand_gradients_agree_with_value():
    a, b, c, d = (Value(check.HAND_INPUTS[n]) for n in "abcd")
    L = (a * b + c) * d
    L.backward()
    assert [a.grad, b.grad, c.grad, d.grad] == [RIGHT[n] for n in "abcd"]


def test_hand_gradients_right_answers_pass(capsys):
    check.hand_gradients(lambda: dict(RIGHT))
    check.hand_gradients(lambda: {"a": -12, "b": 4.5, "c": -3, "d": -4, "s": -3.0})  # ints, extras
    out = capsys.readouterr().out
    assert out.count("✅ RIGHT · hand_gradients: right") == 2 and "dL/da = -12" in out


@pytest.mark.parametrize("wrong, name, hint", [
    ({"a": 6.0, "b": -16.0, "c": -4.0, "d": -3.0}, "dL/dd", "the OTHER input"),  # own value at ×
    ({"a": 4.5, "b": -12.0, "c": -3.0, "d": -4.0}, "dL/da", "a gets the OTHER factor"),
    ({"a": 4.0, "b": -1.5, "c": 1.0, "d": -4.0}, "dL/dc", "passes its grad on unchanged"),
    ({"a": 4.0, "b": -1.5, "c": -3.0, "d": -4.0}, "dL/da", "multiply each local gradient"),
    ({"a": -6.0, "b": 2.25, "c": -1.5, "d": -4.0}, "dL/dc", "does not split"),
    ({"a": -12.0, "b": 4.5, "c": -3.0, "d": 4.0}, "dL/dd", "d.grad = s * L.grad"),
    ({"a": -12.0, "b": -4.5, "c": -3.0, "d": -4.0}, "dL/db", "b.grad = a * e.grad"),
])
def test_hand_gradients_wrong_answers_name_the_first_wrong_gradient(wrong, name, hint):
    text = failure(check.hand_gradients, lambda: dict(wrong))
    assert f"{name} is not" in text and "hint:" in text and hint in text
    assert "expected" not in text  # the right number is not given away


@pytest.mark.parametrize("wrong, hint", [
    (lambda: [-12.0, 4.5, -3.0, -4.0], "return a dict"),
    (lambda: {"a": -12.0, "b": 4.5, "c": -3.0}, "use the keys"),
    (lambda: {n: Value(x) for n, x in RIGHT.items()}, "makes Values"),
])
def test_hand_gradients_wrong_form_is_explained(wrong, hint):
    assert hint in failure(check.hand_gradients, wrong)


# ---- task 5a: numerical_gradient -----------------------------------------------

def central(f, xs, h=1e-6):
    out = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += h
        down[i] -= h
        out.append((f(up) - f(down)) / (2 * h))
    return out


def central_in_place(f, xs, h=1e-6):
    """Nudges xs itself and puts each number back: also right."""
    out = []
    for i in range(len(xs)):
        x = xs[i]
        xs[i] = x + h
        up = f(xs)
        xs[i] = x - h
        down = f(xs)
        xs[i] = x
        out.append((up - down) / (2 * h))
    return np.array(out)


def test_numerical_gradient_right_answers_pass(capsys):
    check.numerical_gradient(central)
    check.numerical_gradient(central_in_place)
    assert capsys.readouterr().out.count("✅ RIGHT · numerical_gradient: right — 8 cases, 2 of them with their own h") == 2


def forward(f, xs, h=1e-6):
    return [(f(xs[:i] + [xs[i] + h] + xs[i + 1:]) - f(xs)) / h for i in range(len(xs))]


def backward_difference(f, xs, h=1e-6):
    return [(f(xs) - f(xs[:i] + [xs[i] - h] + xs[i + 1:])) / h for i in range(len(xs))]


def over_h(f, xs, h=1e-6):
    return [2 * g for g in central(f, xs, h)]


def not_restored(f, xs, h=1e-6):
    out = []
    for i in range(len(xs)):
        xs[i] += h
        up = f(xs)
        xs[i] -= 2 * h
        out.append((up - f(xs)) / (2 * h))
    return out


def all_at_once(f, xs, h=1e-6):
    up, down = [x + h for x in xs], [x - h for x in xs]
    return [(f(up) - f(down)) / (2 * h) for _ in xs]


def one_slope(f, xs, h=1e-6):
    return central(f, xs, h)[0]


@pytest.mark.parametrize("wrong, case, hint", [
    (forward, "f(v) = v0**3 - 2*v0, [2.0]", "one-sided: (f(x + h) - f(x)) / h"),
    (backward_difference, "f(v) = v0**3 - 2*v0, [2.0]", "one-sided: (f(x) - f(x - h)) / h"),
    (over_h, "f(v) = v0**3 - 2*v0, [2.0]", "divide by 2 * h"),
    (not_restored, "f(v) = v0**3 - 2*v0, [2.0]", "changed xs"),
    (all_at_once, "f(v) = (v0*v1 + v2) * v3, [-1.5, 4.0, 2.0, -3.0]", "nudge ONE number"),
    (one_slope, "f(v) = v0**3 - 2*v0, [2.0]", "one slope per number"),
])
def test_numerical_gradient_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.numerical_gradient, wrong)
    assert case in text and "hint:" in text and hint in text


def test_numerical_gradient_not_restored_on_many_inputs_names_the_shift():
    """Restored only at the very end: the slopes of later inputs are measured off-centre."""
    def restored_too_late(f, xs, h=1e-6):
        original, out = list(xs), []
        for i in range(len(xs)):
            xs[i] += h
            up = f(xs)
            xs[i] -= 2 * h
            out.append((up - f(xs)) / (2 * h))
        xs[:] = original
        return out

    text = failure(check.numerical_gradient, restored_too_late)
    assert "f(v) = (v0*v1 + v2) * v3" in text and "put each number back" in text


# ---- task 5b: gradient_error ---------------------------------------------------

def grads(f, xs):
    values = [Value(x) for x in xs]
    f(values).backward()
    return [v.grad for v in values]


def on_floats(f):
    return lambda ys: f([Value(y) for y in ys]).data


def gradient_error(f, xs):
    autograd, numerical = grads(f, xs), central(on_floats(f), xs)
    return max(abs(a - n) / max(abs(a) + abs(n), 1e-12) for a, n in zip(autograd, numerical))


def test_gradient_error_right_answers_pass(capsys):
    check.gradient_error(gradient_error)

    def with_numpy(f, xs):
        a, n = np.array(grads(f, xs)), np.array(central(on_floats(f), xs))
        return np.max(np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), 1e-12))

    check.gradient_error(with_numpy)
    assert capsys.readouterr().out.count("✅ RIGHT · gradient_error: right — 6 cases") == 2


def test_gradient_error_reports_an_unfinished_numerical_gradient():
    def uses_stub(f, xs):
        return stub(on_floats(f), xs)

    with pytest.raises(NotImplementedYet, match="it uses `stub`"):
        check.gradient_error(uses_stub)


def no_backward(f, xs):
    values = [Value(x) for x in xs]
    f(values)
    numerical = central(on_floats(f), xs)
    return max(abs(v.grad - n) / max(abs(v.grad) + abs(n), 1e-12) for v, n in zip(values, numerical))


def absolute(f, xs):
    return max(abs(a - n) for a, n in zip(grads(f, xs), central(on_floats(f), xs)))


def mean(f, xs):
    errors = [abs(a - n) / max(abs(a) + abs(n), 1e-12) for a, n in
              zip(grads(f, xs), central(on_floats(f), xs))]
    return sum(errors) / len(errors)


def no_floor(f, xs):
    return max(abs(a - n) / (abs(a) + abs(n)) for a, n in zip(grads(f, xs), central(on_floats(f), xs)))


def no_floor_numpy(f, xs):
    a, n = np.array(grads(f, xs)), np.array(central(on_floats(f), xs))
    return np.max(np.abs(a - n) / (np.abs(a) + np.abs(n)))


def unwrapped(f, xs):
    return max(abs(a - n) / max(abs(a) + abs(n), 1e-12) for a, n in zip(grads(f, xs), central(f, xs)))


def every_error(f, xs):
    return [abs(a - n) / max(abs(a) + abs(n), 1e-12) for a, n in
            zip(grads(f, xs), central(on_floats(f), xs))]


@pytest.mark.parametrize("wrong, case, hint", [
    (no_backward, "f(v) = (v0*v1 + v2).tanh() * v0, [0.5, -1.0, 0.3]", "Call backward()"),
    (absolute, "mul_unswapped(v0, v1) + v0", "absolute difference"),
    (mean, "mul_unswapped(v0, v1) + v0", "not the average"),
    (no_floor, "v1.relu()", "0 / 0 is not a number"),
    (no_floor_numpy, "v1.relu()", "0 / 0 is not a number"),
    (unwrapped, "(v0*v1 + v2).tanh() * v0", "lambda ys: f([Value(y) for y in ys]).data"),
    (every_error, "f(v) = (v0*v1 + v2).tanh() * v0", "return one number"),
    (lambda f, xs: 0.0, "mul_unswapped(v0, v1) + v0", "call backward() and read each .grad"),
])
def test_gradient_error_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.gradient_error, wrong)
    assert "gradient_error(" in text and case in text and "hint:" in text and hint in text


def test_gradient_error_cases_have_the_intended_errors():
    errors = [check._relative_error(check._autograd(f, xs), check._central(check._on_floats(f), xs))
              for f, xs in check.GRADIENT_ERROR_CASES]
    assert errors[0] < 1e-8 and errors[2] < 1e-8 and errors[4] < 1e-8
    assert [check._gradient_error(f, xs) for f, xs in check.GRADIENT_ERROR_CASES[::2]] == [0.0] * 3
    assert errors[1] == pytest.approx(1 / 3, rel=1e-6) and errors[3] == pytest.approx(0.5, rel=1e-6)


# ---- found by a mutation audit: behaviour no test pinned down ----------------

def test_numerical_gradient_that_ignores_the_h_given_is_told_so():
    def fixed_h(f, xs, h=1e-6):  # the default step, whatever h the caller gives
        return central(f, xs)

    text = failure(check.numerical_gradient, fixed_h)
    assert "hint: use the h you are given" in text


def test_hand_gradients_given_as_values_made_beforehand_are_told_to_give_numbers():
    made = {n: Value(x) for n, x in RIGHT.items()}  # made in an earlier cell, not in the call
    text = failure(check.hand_gradients, lambda: made)
    assert 'hand_gradients()["d"] is a Value' in text and "give plain numbers" in text


def test_hand_gradients_a_wrong_dc_off_the_known_mistakes_gets_the_rule_for_c():
    text = failure(check.hand_gradients, lambda: {"a": -12.0, "b": 4.5, "c": 7.0, "d": -4.0})
    assert "dL/dc is not 7" in text
    assert "s.grad = d * L.grad" in text and "copies s.grad unchanged to c" in text


# ---- "build the referee yourself": nnlib's gradcheck is noticed ------------------

def by_nnlib(f, xs, h=1e-6):
    """Right values, from nnlib's numerical_gradient (imported under another name)."""
    return list(nnlib_numerical_gradient(lambda a: f(list(a)), np.array(xs, dtype=float), h))


def test_numerical_gradient_through_nnlibs_is_told_to_build_the_referee():
    assert np.allclose(by_nnlib(lambda v: v[0] ** 2 * v[1], [3.0, 2.0]), [12.0, 9.0])
    text = failure(check.numerical_gradient, by_nnlib)
    assert ("numerical_gradient: your function calls nnlib's own numerical_gradient "
            "(nnlib.gradcheck.numerical_gradient)") in text
    assert "hint: build the referee yourself" in text
    text = failure(check.numerical_gradient, gradcheck.numerical_gradient)
    assert "this is nnlib's own numerical_gradient" in text


def test_gradient_error_through_nnlibs_referee_is_told_to_use_yours():
    text = failure(check.gradient_error, gradcheck.check_scalar_function)
    assert "this is nnlib's own check_scalar_function" in text
    assert "use YOUR numerical_gradient from 5a" in text
    text = failure(check.gradient_error, lambda f, xs: gradcheck.check_scalar_function(f, xs))
    assert "your function calls nnlib's own check_scalar_function" in text

    def through_borrowed(f, xs):  # right, but its "numerical_gradient" is nnlib's
        inputs = [Value(x) for x in xs]
        f(inputs).backward()
        numerical = numerical_gradient(lambda ys: f([Value(y) for y in ys]).data, xs)
        return max(abs(v.grad - n) / max(abs(v.grad) + abs(n), 1e-12)
                   for v, n in zip(inputs, numerical))

    numerical_gradient = by_nnlib  # noqa: F841  (the name through_borrowed calls)
    text = failure(check.gradient_error, through_borrowed)
    assert "calls nnlib's own numerical_gradient" in text
    assert "perhaps through your `numerical_gradient`" in text


def test_gradient_error_may_use_nnlibs_relative_error(capsys):
    def with_relative_error(f, xs):
        inputs = [Value(x) for x in xs]
        f(inputs).backward()
        numerical = central(lambda ys: f([Value(y) for y in ys]).data, xs)
        return gradcheck.relative_error([v.grad for v in inputs], numerical)

    check.gradient_error(with_relative_error)
    assert capsys.readouterr().out.startswith("✅")
