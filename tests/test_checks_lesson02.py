"""The checks of exercises/02-activation-functions.ipynb: right answers pass, stubs say "not
implemented yet", and plausible wrong answers are caught with the failing case and a fitting hint
(overflowing answers included, without a flood of RuntimeWarnings)."""
import math
import sys
import warnings

import numpy as np
import pytest

from nnlib import activations as nnlib_activations
from nnlib import gradcheck
from nnlib.activations import sigmoid as nnlib_sigmoid  # (as a learner may import it)
from nnlib.checks import lesson02 as check
from nnlib.checks.base import CheckFailed, NotImplementedYet
from tests.check_helpers import stub


def failure(check_fn, answer):
    """The report of a wrong answer, as one line of text (spaces squeezed).

    Numpy warnings from the answer must not escape the check: they are turned into errors here.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(CheckFailed) as info:
            check_fn(answer)
    assert not isinstance(info.value, NotImplementedYet)
    assert info.value._render_traceback_()[0].startswith("❌")
    return " ".join(str(info.value).split())


def passes(check_fn, answer, capsys, says):
    check_fn(answer)
    out = capsys.readouterr().out
    assert out.startswith("✅") and says in out and out.count("\n") == 1


# ---- reference answers (also used by the later tasks) -------------------------

def sigmoid(z):
    u = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + u), u / (1 + u))


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)


def tanh_prime(z):
    return 1 - np.tanh(z) ** 2


def relu(z):
    return np.maximum(z, 0.0)


def relu_prime(z):
    return np.where(z > 0, 1.0, 0.0)


def numerical_slope(f, z, h=1e-5):
    return (f(z + h) - f(z - h)) / (2 * h)


# ---- task 1: sigmoid ----------------------------------------------------------

def test_sigmoid_right_answers_pass(capsys):
    passes(check.sigmoid, sigmoid, capsys, "sigmoid: right")
    passes(check.sigmoid, lambda z: np.exp(-np.logaddexp(0.0, -z)), capsys, "none of them overflows")
    # clipping z first is a fair way too: exp(500) is large but finite
    passes(check.sigmoid, lambda z: 1 / (1 + np.exp(-np.clip(z, -500, 500))), capsys, "right")


def test_sigmoid_stub_is_not_implemented_yet():
    with pytest.raises(NotImplementedYet, match="not implemented yet"):
        check.sigmoid(stub)


@pytest.mark.parametrize("wrong, case, hint", [
    # the textbook formula: right values at +-1000, but only through an overflow
    (lambda z: 1 / (1 + np.exp(-z)), "sigmoid([-1000., 1000.])",
     "numpy warned: overflow encountered in exp hint: somewhere e**z was computed"),
    # both branches of np.where are computed everywhere
    (lambda z: np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z))),
     "sigmoid([-1000., 1000.])", "np.where(condition, A, B) computes BOTH A and B"),
    (lambda z: np.exp(z) / (1 + np.exp(z)), "got: [ 0., nan]",
     "your function returned nan for z = 1000: an exp overflowed"),
    (lambda z: 1 / (1 + np.exp(z)), "sigmoid([-2., 0., 2.])", "a sign slipped"),
    (lambda z: 1 / (1 + np.exp(-np.abs(z))), "sigmoid([-2., 0., 2.])",
     "for negative z the answer must be below 0.5"),
    (lambda z: sigmoid(z).ravel(), "(shape (6,) instead of (2, 3))", "keep the shape of z"),
    (lambda z: 1 / (1 + math.exp(-z)), "sigmoid([-2., 0., 2.]) raised TypeError",
     "math.exp, float() and friends take ONE number"),
    (lambda z: np.array([1 / (1 + math.exp(-x)) for x in z]),
     "sigmoid([-1000., 1000.]) raised OverflowError", "math.exp overflowed"),
    (lambda z: float(np.mean(sigmoid(z))), "a single number instead of an array of shape (3,)",
     "hint: sigmoid(z) = 1 / (1 + exp(-z)), computed for every element"),
])
def test_sigmoid_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.sigmoid, wrong)
    assert case in text and "hint:" in text and hint in text


def test_sigmoid_that_hides_its_overflow_warning_still_fails_on_nan():
    def hidden(z):
        with np.errstate(all="ignore"):
            return np.exp(z) / (1 + np.exp(z))

    text = failure(check.sigmoid, hidden)
    assert "returned nan for z = 1000" in text


def test_sigmoid_zero_d_input_is_checked():
    def loop(z):  # fine for 1-D and 2-D rows? no: a loop cannot handle a 0-d array
        return np.array([sigmoid(x) for x in z])

    text = failure(check.sigmoid, loop)
    assert "raised TypeError: iteration over a 0-d array" in text and "z can be a 0-d array" in text


# ---- task 2a: sigmoid_prime ---------------------------------------------------

def test_sigmoid_prime_right_answers_pass(capsys):
    passes(check.sigmoid_prime, sigmoid_prime, capsys, "sigmoid_prime: right")
    passes(check.sigmoid_prime, lambda z: sigmoid(z) * sigmoid(-z), capsys, "right")


def test_sigmoid_prime_stub_is_not_implemented_yet():
    with pytest.raises(NotImplementedYet, match="sigmoid_prime: not implemented yet"):
        check.sigmoid_prime(stub)


def test_sigmoid_prime_on_an_unfinished_sigmoid_names_the_unfinished_task():
    def sigmoid(z):  # the learner's Task 1, untouched
        raise NotImplementedError()

    def sigmoid_prime(z):
        s = sigmoid(z)
        return s * (1 - s)

    with pytest.raises(NotImplementedYet, match="it uses `sigmoid`, which is not implemented yet"):
        check.sigmoid_prime(sigmoid_prime)


@pytest.mark.parametrize("wrong, case, hint", [
    (lambda z: sigmoid(z) * (1 + sigmoid(z)), "sigmoid_prime([-2., 0., 2.])", "it is s * (1 - s), with a minus"),
    (lambda z: sigmoid(z) ** 2, "sigmoid_prime([-2., 0., 2.])", "s * s: the second factor is (1 - s)"),
    (lambda z: z * (1 - z), "sigmoid_prime([-2., 0., 2.])", "you applied the formula to z itself"),
    (lambda z: 0.25, "a single number instead of an array", "0.25 is the slope only at z = 0"),
    (lambda z: np.full_like(z, 0.25), "got: [0.25, 0.25, 0.25]", "0.25 is the slope only at z = 0"),
    (lambda z: 1 - sigmoid(z), "sigmoid_prime([-2., 0., 2.])", "only the second factor"),
    (lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2, "returned nan for z = -1000",
     "your overflow-proof sigmoid from Task 1"),
])
def test_sigmoid_prime_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.sigmoid_prime, wrong)
    assert case in text and "hint:" in text and hint in text


def test_sigmoid_prime_built_on_a_wrong_sigmoid_points_back_to_task_1():
    def sigmoid(z):  # a sign error in the learner's Task 1
        return 1 / (1 + np.exp(z))

    def sigmoid_prime(z):
        s = sigmoid(z)
        return 1 - s  # and a mistake here too: no model matches
    text = failure(check.sigmoid_prime, sigmoid_prime)
    assert "(it calls your `sigmoid`: does check.sigmoid pass?)" in text


def test_sigmoid_prime_with_an_overflowing_sigmoid_reports_the_warning():
    def sigmoid_prime(z):
        s = 1 / (1 + np.exp(-z))
        return s * (1 - s)

    text = failure(check.sigmoid_prime, sigmoid_prime)
    assert "sigmoid_prime([-1000., 1000.])" in text and "overflow encountered in exp" in text


# ---- task 2b: tanh_prime ------------------------------------------------------

def test_tanh_prime_right_answers_pass(capsys):
    passes(check.tanh_prime, tanh_prime, capsys, "tanh_prime: right")
    passes(check.tanh_prime, lambda z: (1 - np.tanh(z)) * (1 + np.tanh(z)), capsys, "right")


def test_tanh_prime_stub_is_not_implemented_yet():
    with pytest.raises(NotImplementedYet, match="not implemented yet"):
        check.tanh_prime(stub)


@pytest.mark.parametrize("wrong, case, hint", [
    (lambda z: 1 - z**2, "got: [-3., 1., -3.]", "squares tanh(z), not z"),
    (lambda z: 1 - np.tanh(z), "tanh_prime([-2., 0., 2.])", "square the tanh"),
    (lambda z: np.tanh(z) ** 2, "tanh_prime([-2., 0., 2.])", "one minus that"),
    (lambda z: 1 + np.tanh(z) ** 2, "tanh_prime([-2., 0., 2.])", "a sign slipped"),
    (lambda z: 1 - np.tanh(z**2), "tanh_prime([-2., 0., 2.])", "square after the tanh"),
    (lambda z: np.tanh(z) * (1 - np.tanh(z)), "tanh_prime([-2., 0., 2.])", "the sigmoid's pattern"),
    (lambda z: 1 / np.cosh(z) ** 2, "tanh_prime([-1000., 1000.])", "np.cosh(1000) is inf"),
    (lambda z: 4 / (np.exp(z) + np.exp(-z)) ** 2, "tanh_prime([-1000., 1000.])",
     "numpy warned: overflow encountered in exp"),
])
def test_tanh_prime_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.tanh_prime, wrong)
    assert case in text and "hint:" in text and hint in text


# ---- task 3a: relu ------------------------------------------------------------

def test_relu_right_answers_pass(capsys):
    passes(check.relu, relu, capsys, "relu: right")
    passes(check.relu, lambda z: np.where(z > 0, z, 0.0), capsys, "right")
    passes(check.relu, lambda z: z * (z > 0), capsys, "right")


def test_relu_stub_is_not_implemented_yet():
    with pytest.raises(NotImplementedYet, match="not implemented yet"):
        check.relu(stub)


def in_place(z):
    z[z < 0] = 0.0
    return z


@pytest.mark.parametrize("wrong, case, hint", [
    (lambda z: np.max(z, 0), "a single number instead of an array of shape (3,)", "np.max REDUCES an array"),
    (lambda z: max(z, 0), "relu([-2., 0., 3.]) raised ValueError", "ask one yes/no question"),
    (lambda z: np.minimum(z, 0.0), "relu([-2., 0., 3.])", "you kept the negative part"),
    (lambda z: np.abs(z), "relu([-2., 0., 3.])", "not by its size"),
    (lambda z: z > 0, "got: [False, False, True]", "that is relu's slope"),
    (lambda z: np.where(z > 0, 1.0, 0.0), "relu([-2., 0., 3.])", "that is relu's slope"),
    (in_place, "relu([-2., 0., 3.])", "changed its input array z in place"),
])
def test_relu_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.relu, wrong)
    assert case in text and "hint:" in text and hint in text


# ---- task 3b: relu_prime ------------------------------------------------------

def test_relu_prime_right_answers_pass_and_booleans_are_accepted(capsys):
    passes(check.relu_prime, relu_prime, capsys, "0 at the kink z = 0")
    passes(check.relu_prime, lambda z: z > 0, capsys, "relu_prime: right")
    passes(check.relu_prime, lambda z: np.heaviside(z, 0.0), capsys, "right")


def test_relu_prime_stub_is_not_implemented_yet():
    with pytest.raises(NotImplementedYet, match="not implemented yet"):
        check.relu_prime(stub)


@pytest.mark.parametrize("wrong, case, hint", [
    (lambda z: np.where(z >= 0, 1.0, 0.0), "got: [0., 1., 1.]", "use z > 0, not z >= 0"),
    (lambda z: np.heaviside(z, 0.5), "got: [0. , 0.5, 1. ]", "0.5 at the kink z = 0 is a fair choice too"),
    (lambda z: np.sign(z), "relu_prime([-2., 0., 3.])", "its slope is 0, not -1"),
    (relu, "relu_prime([-2., 0., 3.])", "that is relu itself"),
    (lambda z: np.ones_like(z), "relu_prime([-2., 0., 3.])", "for z < 0 relu is flat"),
    (lambda z: z < 0, "relu_prime([-2., 0., 3.])", "the wrong way round"),
    (lambda z: 1.0 if z > 0 else 0.0, "relu_prime([-2., 0., 3.]) raised ValueError",
     "np.where(z > 0, ..., ...)"),
])
def test_relu_prime_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.relu_prime, wrong)
    assert case in text and "hint:" in text and hint in text


def test_relu_prime_kink_is_checked_on_a_0d_zero_as_well():
    def first_case_only(z):  # right on 1-D arrays, but 1 for a lone 0.0
        return np.where(z > 0, 1.0, 0.0) if np.ndim(z) else np.float64(z >= 0)

    text = failure(check.relu_prime, first_case_only)
    assert "relu_prime(np.array(0.0))" in text and "use z > 0, not z >= 0" in text


# ---- task 4: numerical_slope --------------------------------------------------

def test_numerical_slope_right_answers_pass(capsys):
    passes(check.numerical_slope, numerical_slope, capsys, "numerical_slope: right — 6 cases")
    passes(check.numerical_slope, lambda f, z, h=1e-5: (f(z + h) - f(z - h)) / h / 2, capsys, "right")


def test_numerical_slope_stub_is_not_implemented_yet():
    with pytest.raises(NotImplementedYet, match="not implemented yet"):
        check.numerical_slope(stub)


def shifting(f, z, h=1e-5):  # moves the caller's z about, then back (with rounding)
    z += h
    up = f(z)
    z -= 2 * h
    down = f(z)
    z += h
    return (up - down) / (2 * h)


@pytest.mark.parametrize("wrong, case, hint", [
    (lambda f, z, h=1e-5: (f(z + h) - f(z)) / h, "numerical_slope(z**3, 2, 0.1) expected: 12.01 got: 12.61",
     "one-sided (forward) difference"),
    (lambda f, z, h=1e-5: (f(z) - f(z - h)) / h, "numerical_slope(z**3, 2, 0.1)", "(backward) difference"),
    (lambda f, z, h=1e-5: (f(z + h) - f(z - h)) / h, "got: 24.02", "divide by 2 * h"),
    (lambda f, z, h=1e-5: (f(z - h) - f(z + h)) / (2 * h), "got: -12.01", "the sign is flipped"),
    (lambda f, z, h=1e-5: (f(z + h) - f(z - h)) / 2 * h, "got: 0.1201", "mind the brackets"),
    (lambda f, z, h=1e-5: (f(z + 1e-5) - f(z - 1e-5)) / 2e-5, "numerical_slope(z**3, 2, 0.1)",
     "use the h you are given"),
    (shifting, "numerical_slope(np.sin, [0., 1., 2.], 0.001)", "changed its input array z in place"),
])
def test_numerical_slope_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.numerical_slope, wrong)
    assert case in text and "hint:" in text and hint in text


def test_numerical_slope_forward_difference_fails_with_the_default_h_too():
    def forward_if_default(f, z, h=1e-5):  # right when h is given, one-sided otherwise
        if h == 1e-5:
            return (f(z + h) - f(z)) / h
        return numerical_slope(f, z, h)

    text = failure(check.numerical_slope, forward_if_default)
    assert "numerical_slope(z**3, -1)" in text and "one-sided (forward) difference" in text


# ---- task 5: saturation_z -----------------------------------------------------

def test_saturation_z_right_answers_pass(capsys):
    def grid():
        z = np.linspace(0, 10, 100001)
        return z[np.argmax(sigmoid_prime(z) < 0.0125)]

    passes(check.saturation_z, grid, capsys, "saturation_z: right — z = 4.3566")
    passes(check.saturation_z, lambda: 4.356, capsys, "right")


def test_saturation_z_stub_is_not_implemented_yet():
    with pytest.raises(NotImplementedYet, match="not implemented yet"):
        check.saturation_z(stub)


@pytest.mark.parametrize("answer, hint", [
    (4.4, "the lesson's 4.4 is rounded"),
    (-4.3565, "return the positive z"),
    (2.887, "that is 5% of 1"),
    (0.0125, "that is the slope there"),
    (3.0, "look for z > 0 where sigmoid_prime(z) = 0.05 * 0.25 = 0.0125"),
    ("4.36", "return one number"),
    (np.array([4.0, 4.5]), "return one number"),
])
def test_saturation_z_wrong_answers_say_what_they_are(answer, hint):
    text = failure(check.saturation_z, lambda: answer)
    assert "saturation_z() returned" in text and "hint:" in text and hint in text


def test_the_saturation_point_matches_its_definition():
    z = check._saturation_z()
    assert z == pytest.approx(4.3565, abs=1e-4)
    assert sigmoid_prime(np.array(z)) == pytest.approx(0.05 * 0.25, rel=1e-12)


# ---- the machinery ------------------------------------------------------------

def test_no_warning_escapes_a_check_of_an_overflowing_answer():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(CheckFailed):
            check.sigmoid(lambda z: np.exp(z) / (1 + np.exp(z)))
    assert caught == []


def test_a_stub_is_reported_in_one_line():
    with pytest.raises(NotImplementedYet) as info:
        check.relu(stub)
    lines = info.value._render_traceback_()
    assert len(lines) == 1 and lines[0].startswith("⏳")


# ---- found by a mutation audit: behaviour no test pinned down ----------------

def test_saturation_z_right_but_overflowing_on_the_way_is_refused():
    def wide_grid():  # a fine grid from -1000: 1 / (1 + exp(-z)) overflows at its left end
        z = np.arange(-1000.0, 10.0, 0.0005)
        s = 1 / (1 + np.exp(-z))
        slope = s * (1 - s)
        return float(z[(z > 0) & (slope < 0.05 * 0.25)][0])

    text = failure(check.saturation_z, wide_grid)
    assert "which is right, but numpy warned" in text and "overflow" in text
    assert "does your sigmoid_prime (or sigmoid) pass its check?" in text


# ---- "do not import them from nnlib": nnlib's own functions are noticed -------


def _wrapped(name):
    """An answer that calls nnlib's function through a name imported before the check."""
    own = getattr(nnlib_activations, name)
    return lambda z: own(z)


def _numerical_slope_by_nnlib(f, z, h=1e-5):
    """Right values, from nnlib's numerical_gradient, one element at a time."""
    z = np.asarray(z, dtype=float)
    out = np.empty(z.shape)
    for i in np.ndindex(z.shape):
        out[i] = gradcheck.numerical_gradient(lambda v: float(f(v)), np.array(z[i]), h)
    return out


def _saturation_by_nnlib():
    z = np.linspace(0, 10, 100001)
    return z[np.argmax(nnlib_activations.sigmoid_prime(z) < 0.05 * 0.25)]


@pytest.mark.parametrize("task", ["sigmoid", "sigmoid_prime", "tanh_prime", "relu",
                                  "relu_prime"])
def test_nnlibs_own_function_is_told_to_write_your_own(task):
    text = failure(getattr(check, task), getattr(nnlib_activations, task))
    assert f"{task}: this is nnlib's own {task} (nnlib.activations.{task}), not yours" in text
    assert "hint: write yours from the" in text


@pytest.mark.parametrize("task, answer, used", [
    ("sigmoid", lambda z: nnlib_sigmoid(z), "sigmoid"),
    ("sigmoid", _wrapped("softplus_prime"), "softplus_prime"),  # the same numbers, another name
    ("sigmoid_prime", lambda z: nnlib_sigmoid(z) * (1 - nnlib_sigmoid(z)), "sigmoid"),
    ("tanh_prime", _wrapped("tanh_prime"), "tanh_prime"),
    ("relu", lambda z: nnlib_activations.get_activation("relu")[0](z), "get_activation"),
    ("relu_prime", lambda z: nnlib_activations.leaky_relu_prime(z, 0.0), "leaky_relu_prime"),
])
def test_an_answer_that_calls_nnlib_is_told_to_write_your_own(task, answer, used):
    # Each of these gives the right values (the check used to say RIGHT).
    text = failure(getattr(check, task), answer)
    assert f"{task}: your function calls nnlib's own {used} (nnlib.activations.{used})" in text
    assert "hint: write yours from the" in text


def test_sigmoid_prime_through_a_borrowed_sigmoid_points_back_to_it():
    namespace = {"nnlib_sigmoid": nnlib_sigmoid}
    exec("sigmoid = nnlib_sigmoid\n"
         "def sigmoid_prime(z):\n    s = sigmoid(z)\n    return s * (1 - s)\n", namespace)
    text = failure(check.sigmoid_prime, namespace["sigmoid_prime"])
    assert "calls nnlib's own sigmoid" in text
    assert "YOUR sigmoid from Task 1" in text and "does check.sigmoid pass?" in text


def test_numerical_slope_and_saturation_z_through_nnlib_are_told_so():
    assert np.allclose(_numerical_slope_by_nnlib(np.sin, np.array([0.0, 1.0]), 1e-3),
                       numerical_slope(np.sin, np.array([0.0, 1.0]), 1e-3))
    text = failure(check.numerical_slope, _numerical_slope_by_nnlib)
    assert "calls nnlib's own numerical_gradient (nnlib.gradcheck.numerical_gradient)" in text
    assert "write the central difference yourself" in text
    text = failure(check.saturation_z, _saturation_by_nnlib)
    assert "calls nnlib's own sigmoid_prime" in text and "use YOUR sigmoid_prime" in text


def test_numpy_functions_the_text_allows_still_pass(capsys):
    before = sys.getprofile()
    passes(check.sigmoid, lambda z: np.exp(-np.logaddexp(0.0, -z)), capsys, "5 cases")
    passes(check.relu, lambda z: np.where(z > 0, z, 0.0), capsys, "5 cases")
    passes(check.tanh_prime, lambda z: 1 - np.tanh(z) ** 2, capsys, "5 cases")
    # numerical_slope is given nnlib's sigmoid as f by the check itself: calling f is fine
    passes(check.numerical_slope, numerical_slope, capsys, "6 cases")
    assert sys.getprofile() is before  # the watch is gone after the check
