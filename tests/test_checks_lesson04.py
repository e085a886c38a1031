"""The checks of exercises/04-gradient-descent.ipynb: right answers pass, stubs say "not implemented
yet", and plausible wrong answers are caught with the failing case and a fitting hint."""
import warnings

import numpy as np
import pytest

from nnlib.checks import lesson04 as check
from nnlib.checks.base import CheckFailed, NotImplementedYet
from nnlib.descent import descend
from tests.check_helpers import failure, stub

# The first case of each check, as it appears in the messages (spaces squeezed).
MSE_CASE = "mse_gradient(0.5, -1, [-1. , 0.5, 2. ], [1., 2., 0.])"
GD_CASE = "gradient_descent(valley_grad, [-3.5, 1.5], 0.09, 5) where valley_grad(p) = (x, 20 y)"
MOMENTUM_CASE = "momentum_descent(valley_grad, [-3.5, 1.5], 0.09, 0.6, 6) where valley_grad(p)"
LR_CASE = "descend('valley', start=(-3.5, 1.5), lr="


# ---- the references take the steps of nnlib.descent.descend -------------------

@pytest.mark.parametrize("grad, name, start, lr, beta", [
    (check.VALLEY, "valley", (-3.5, 1.5), 0.09, 0.0),
    (check.VALLEY, "valley", (-3.5, 1.5), 0.09, 0.5),
    (check.BOWL, "bowl", (1.5, 1.8), 0.1, 0.9),
    (check.ROSENBROCK, "rosenbrock", (-1.0, 2.5), 0.005, 0.9),
])
def test_the_reference_is_nnlibs_descend(grad, name, start, lr, beta):
    ours = check._descent(grad, np.array(start), lr, beta, 40)
    assert np.allclose(ours, descend(name, start, lr, momentum=beta, steps=40).path, rtol=1e-12)


# ---- task 1: mse_gradient -----------------------------------------------------

def mse_gradient(w, b, x, y):
    error = w * x + b - y
    return np.mean(2 * error * x), np.mean(2 * error)


def test_mse_gradient_right_answers_pass(capsys):
    check.mse_gradient(mse_gradient)
    check.mse_gradient(lambda w, b, x, y: np.array([2 * np.sum((w * x + b - y) * x) / len(x),
                                                    2 * np.sum(w * x + b - y) / len(x)]))

    def by_loop(w, b, x, y):  # one point at a time, the long way round
        dw = db = 0.0
        for xi, yi in zip(x, y):
            dw += 2 * (w * xi + b - yi) * xi / len(x)
            db += 2 * (w * xi + b - yi) / len(x)
        return [dw, db]
    check.mse_gradient(by_loop)
    assert capsys.readouterr().out.count("✅ RIGHT · mse_gradient: right — 7 cases") == 3


def test_mse_gradient_stub_is_not_implemented_yet():
    with pytest.raises(NotImplementedYet, match="mse_gradient: not implemented yet"):
        check.mse_gradient(stub)


def e(w, b, x, y):
    return w * x + b - y


@pytest.mark.parametrize("wrong, got, which, hint", [
    (lambda w, b, x, y: (np.mean(e(w, b, x, y) * x), np.mean(e(w, b, x, y))),
     "(0.375, -1.75)", "both are wrong", "the factor 2 is missing"),
    (lambda w, b, x, y: (np.sum(2 * e(w, b, x, y) * x), np.sum(2 * e(w, b, x, y))),
     "(2.25, -10.5)", "both are wrong", "np.mean, not np.sum"),
    (lambda w, b, x, y: (np.mean(2 * (y - w * x - b) * x), np.mean(2 * (y - w * x - b))),
     "(-0.75, 3.5)", "both are wrong", "the sign: the error is y_hat - y"),
    (lambda w, b, x, y: (np.mean(2 * e(w, b, x, y)), np.mean(2 * e(w, b, x, y))),
     "(-3.5, -3.5)", "dL/dw is wrong, dL/db is right", "dL/dw needs each point's input"),
    (lambda w, b, x, y: (np.mean(2 * e(w, b, x, y) * x), np.mean(2 * e(w, b, x, y) * x)),
     "(0.75, 0.75)", "dL/db is wrong, dL/dw is right", "dL/db has no x in it"),
    (lambda w, b, x, y: (np.mean(2 * e(w, b, x, y)) * np.mean(x), np.mean(2 * e(w, b, x, y))),
     "(-1.75, -3.5)", "dL/dw is wrong", "by its OWN x before averaging"),
    (lambda w, b, x, y: (np.mean(2 * (w * x - y) * x), np.mean(2 * (w * x - y))),
     "both are wrong", "both are wrong", "the bias is missing from the error"),
    (lambda w, b, x, y: mse_gradient(w, b, x, y)[::-1],
     "(-3.5, 0.75)", "both are wrong", "hint: the order: return (dL/dw, dL/db), the slope for w first."),
    (lambda w, b, x, y: (np.mean(e(w, b, x, y) * x), np.mean(2 * e(w, b, x, y))),
     "(0.375, -3.5)", "dL/dw is wrong", "the factor 2 is missing"),
])
def test_mse_gradient_wrong_answers_name_the_case_and_the_mistake(wrong, got, which, hint):
    text = failure(check.mse_gradient, wrong)
    assert text.startswith(MSE_CASE)
    assert "expected: (dL/dw, dL/db) = (0.75, -3.5)" in text
    assert got in text and which in text and "hint:" in text and hint in text


def test_mse_gradient_mistake_models_all_differ_on_the_first_case():
    args = (0.5, -1.0, np.array([-1.0, 0.5, 2.0]), np.array([1.0, 2.0, 0.0]))
    right = mse_gradient(*args)
    for part in range(2):
        guesses = [m(*args)[part] for m, _ in check._MSE_MISTAKES if m(*args)[part] is not None]
        assert all(not np.isclose(g, right[part]) for g in guesses)


def test_mse_gradient_combined_mistakes_get_both_hints():
    # dL/dw without x, and dL/db without its factor 2
    text = failure(check.mse_gradient,
                   lambda w, b, x, y: (np.mean(2 * e(w, b, x, y)), np.mean(e(w, b, x, y))))
    assert "dL/dw needs each point's input" in text and "the factor 2 is missing" in text


@pytest.mark.parametrize("wrong, hint", [
    (lambda w, b, x, y: (2 * e(w, b, x, y) * x, 2 * e(w, b, x, y)), "you returned one value per point"),
    (lambda w, b, x, y: None, "nothing was returned"),
    (lambda w, b, x, y: np.mean(2 * e(w, b, x, y) * x), "return the pair of numbers"),
    (lambda w, b, x, y: "slope", "return the pair of numbers"),
])
def test_mse_gradient_answers_that_are_not_a_pair_are_explained(wrong, hint):
    text = failure(check.mse_gradient, wrong)
    assert text.startswith(MSE_CASE) and hint in text


def test_mse_gradient_mistakes_that_show_only_on_later_cases():
    # Dividing by 3, the number of points in the first case, fails on the second.
    text = failure(check.mse_gradient, lambda w, b, x, y: (np.sum(2 * e(w, b, x, y) * x) / 3,
                                                           np.sum(2 * e(w, b, x, y)) / 3))
    assert text.startswith("mse_gradient(-1, -1, [-0.9, -0.3, 0.1, 0.6, 0.8]")
    # Forgetting x is invisible where every x is 0 or where the fit is exact, but not for large x.
    text = failure(check.mse_gradient, lambda w, b, x, y: (np.clip(mse_gradient(w, b, x, y)[0], -1e5, 1e5),
                                                           mse_gradient(w, b, x, y)[1]))
    assert text.startswith("mse_gradient(-3, 1000, [ 1000., -2000., 500.]")


# ---- task 2: gradient_descent -------------------------------------------------

def gradient_descent(grad, start, lr, steps):
    p = np.array(start, dtype=float)
    path = [p]
    for _ in range(steps):
        p = p - lr * grad(p)
        path.append(p)
    return np.array(path)


def test_gradient_descent_right_answers_pass(capsys):
    check.gradient_descent(gradient_descent)

    def as_list_with_copies(grad, start, lr, steps):  # in place, but appending copies
        p = start.copy()
        path = [start.copy()]
        for _ in range(steps):
            p -= lr * grad(p)
            path.append(p.copy())
        return path
    check.gradient_descent(as_list_with_copies)
    check.gradient_descent(
        lambda grad, start, lr, steps: check._descent(grad, start, lr, 0.0, steps).tolist())
    assert capsys.readouterr().out.count("✅ RIGHT · gradient_descent: right — 9 paths, each point right") == 3


def test_gradient_descent_stub_is_not_implemented_yet():
    with pytest.raises(NotImplementedYet, match="gradient_descent: not implemented yet"):
        check.gradient_descent(stub)


def in_place(grad, start, lr, steps):
    p = start.copy()
    path = [start]
    for _ in range(steps):
        p -= lr * grad(p)
        path.append(p)
    return path


def in_place_start_too(grad, start, lr, steps):
    p = start
    path = [p]
    for _ in range(steps):
        p -= lr * grad(p)
        path.append(p)
    return path


def frozen_gradient(grad, start, lr, steps):
    g = grad(start)
    p, path = start, [start]
    for _ in range(steps):
        p = p - lr * g
        path.append(p)
    return path


def start_changed(grad, start, lr, steps):
    path = [start]
    p = start.copy()
    for _ in range(steps):
        p = p - lr * grad(p)
        path.append(p)
    start += 1.0  # the list holds start, which is now spoilt
    return path


@pytest.mark.parametrize("wrong, got, hint", [
    (lambda g, s, lr, n: gradient_descent(lambda p: -g(p), s, lr, n),
     "point 1 (after 1 step): expected [-3.185, -1.2 ], got [-3.815, 4.2 ]", "plus instead of minus"),
    (lambda g, s, lr, n: gradient_descent(lambda p: p, s, lr, n),
     "got [-3.185, 1.365]", "not p - lr * p"),
    (lambda g, s, lr, n: gradient_descent(g, s, 1.0, n), "got [ 0. , -28.5]", "the learning rate is missing"),
    (frozen_gradient, "point 2 (after 2 steps)", "grad(p) inside the loop, not grad(start)"),
    (lambda g, s, lr, n: gradient_descent(g, s, lr, n)[1:],
     "expected 6 points (the start, then one per step: steps + 1 points), got 5", "the start is missing"),
    (lambda g, s, lr, n: gradient_descent(g, s, lr, n - 1), "got 5", "one step short"),
    (lambda g, s, lr, n: gradient_descent(g, s, lr, n + 1), "got 7", "one step too many"),
    (in_place, "point 1 (after 1 step)", "the list holds one array many times"),
    (in_place_start_too, "point 0 (after 0 steps)", "the list holds one array many times"),
    (start_changed, "point 0 (after 0 steps): expected [-3.5, 1.5], got [-2.5, 2.5]",
     "the first point must be the start itself"),
    (lambda g, s, lr, n: gradient_descent(g, s, lr, n)[-1], "got one point", "not only where it ended"),
    (lambda g, s, lr, n: None, "got: None", "`return path`"),
    (lambda g, s, lr, n: gradient_descent(g, s, lr, n).T, "got an array of shape (2, 6), expected (6, 2)",
     "one row per point"),
])
def test_gradient_descent_wrong_answers_name_the_case_and_the_mistake(wrong, got, hint):
    text = failure(check.gradient_descent, wrong)
    assert text.startswith(GD_CASE)
    assert got in text and hint in text


def test_gradient_descent_mistakes_that_show_only_on_later_cases():
    # Stopping early where the slope is flat: the start at the minimum gives a short path.
    def stops_early(grad, start, lr, steps):
        p, path = start, [start]
        for _ in range(steps):
            if np.all(grad(p) == 0):
                break
            p = p - lr * grad(p)
            path.append(p)
        return path
    text = failure(check.gradient_descent, stops_early)
    assert text.startswith("gradient_descent(bowl_grad, [0., 0.], 0.1, 3)")
    assert "expected 4 points (the start, then one per step: steps + 1 points), got 1" in text
    # Only two parameters handled: the three-parameter bowl crashes, and the crash is reported.
    def two_only(grad, start, lr, steps):
        return gradient_descent(grad, np.array([start[i] for i in range(min(len(start), 2))]), lr, steps)
    text = failure(check.gradient_descent, two_only)
    assert text.startswith("gradient_descent(bowl3_grad, [0., 0., 1.], 0.1, 12)")
    assert "raised IndexError" in text
    # steps = 0 must give the start alone.
    text = failure(check.gradient_descent, lambda g, s, lr, n: gradient_descent(g, s, lr, max(n, 1)))
    assert text.startswith("gradient_descent(valley_grad, [-3.5, 1.5], 0.09, 0)")
    assert "expected 1 points" in text and "one step too many" in text


def test_gradient_descent_one_parameter_may_be_a_flat_list():
    def flat_in_1d(grad, start, lr, steps):
        path = gradient_descent(grad, start, lr, steps)
        return path.ravel() if path.shape[1] == 1 else path
    check.gradient_descent(flat_in_1d)


# ---- task 3: momentum_descent -------------------------------------------------

def momentum_descent(grad, start, lr, beta, steps):
    p = np.array(start, dtype=float)
    v = np.zeros_like(p)
    path = [p]
    for _ in range(steps):
        v = beta * v - lr * grad(p)
        p = p + v
        path.append(p)
    return np.array(path)


def test_momentum_descent_right_answers_pass(capsys):
    check.momentum_descent(momentum_descent)

    def optim_form(grad, start, lr, beta, steps):  # nnlib.optim.Momentum's way of writing it
        p, v, path = start.copy(), np.zeros_like(start), [start.copy()]
        for _ in range(steps):
            v = beta * v + grad(p)
            p = p - lr * v
            path.append(p)
        return path
    check.momentum_descent(optim_form)
    assert capsys.readouterr().out.count("✅ RIGHT · momentum_descent: right — 9 paths, each point right") == 2


def test_momentum_descent_stub_is_not_implemented_yet():
    with pytest.raises(NotImplementedYet, match="momentum_descent: not implemented yet"):
        check.momentum_descent(stub)


def momentum_rule(velocity, move=lambda p, v, lr, beta: p + v):
    def wrong(grad, start, lr, beta, steps):
        p, v, path = start.copy(), np.zeros_like(start), [start.copy()]
        for _ in range(steps):
            v = velocity(v, grad(p), lr, beta)
            p = move(p, v, lr, beta)
            path.append(p)
        return path
    return wrong


def old_velocity(grad, start, lr, beta, steps):
    p, v, path = start.copy(), np.zeros_like(start), [start.copy()]
    for _ in range(steps):
        p = p + v
        v = beta * v - lr * grad(p)
        path.append(p)
    return path


@pytest.mark.parametrize("wrong, hint", [
    (momentum_rule(lambda v, g, lr, beta: beta * v + lr * g),
     "the velocity points downhill, v = beta * v - lr * grad(p) (minus"),
    (momentum_rule(lambda v, g, lr, beta: beta * v - lr * g, lambda p, v, lr, beta: p - v),
     "moves WITH the velocity, p = p + v (plus, not p - v)"),
    (momentum_rule(lambda v, g, lr, beta: -lr * g), "that is plain gradient descent"),
    (old_velocity, "Your first step does not move at all"),
    (momentum_rule(lambda v, g, lr, beta: beta * (v - lr * g)), "not beta * (v - lr * grad(p))"),
    (momentum_rule(lambda v, g, lr, beta: beta * v - lr * g, lambda p, v, lr, beta: beta * p + v),
     "beta belongs to the velocity only"),
    (momentum_rule(lambda v, g, lr, beta: beta * v + (1 - beta) * g, lambda p, v, lr, beta: p - lr * v),
     "'average of the gradients' form"),
    (momentum_rule(lambda v, g, lr, beta: beta * v - g), "the learning rate is missing"),
    (lambda g, s, lr, beta, n: momentum_descent(g, s, lr, beta, n)[1:], "the start is missing"),
])
def test_momentum_descent_wrong_answers_name_the_case_and_the_mistake(wrong, hint):
    text = failure(check.momentum_descent, wrong)
    assert text.startswith(MOMENTUM_CASE)
    assert "expected" in text and "hint: " in text and hint in text


def test_momentum_descent_moving_against_a_right_velocity_names_the_move():
    """The review's learner: v is right, the sign slip is in the move, p = p - v. Its path is
    exactly that of v = beta*v + lr*grad(p), p = p + v, so the hint names both lines."""
    def momentum_descent(grad, start, lr, beta, steps):
        p = np.array(start, dtype=float)
        v = np.zeros_like(p)
        path = [p]
        for _ in range(steps):
            v = beta * v - lr * grad(p)
            p = p - v
            path.append(p)
        return path
    text = failure(check.momentum_descent, momentum_descent)
    assert text.startswith(MOMENTUM_CASE)
    assert "point 1 (after 1 step): expected [-3.185, -1.2 ], got [-3.815, 4.2 ]" in text
    assert "your ball rolls uphill" in text
    assert "the point moves WITH the velocity, p = p + v (plus, not p - v)" in text
    assert "v = beta * v - lr * grad(p) (minus" in text  # the other line it may be


def test_momentum_descent_reports_the_first_wrong_point():
    text = failure(check.momentum_descent, momentum_rule(lambda v, g, lr, beta: -lr * g))
    # Plain descent agrees with momentum on the first step and parts ways on the second.
    assert "point 2 (after 2 steps): expected [-2.7094, -0.66 ], got [-2.8984, 0.96 ]" in text


def test_momentum_descent_velocity_kept_between_calls_is_caught():
    memory = {"v": None}

    def leaky(grad, start, lr, beta, steps):  # v survives from the previous call
        p, path = start.copy(), [start.copy()]
        v = memory["v"] if memory["v"] is not None and len(memory["v"]) == len(p) else np.zeros_like(p)
        for _ in range(steps):
            v = beta * v - lr * grad(p)
            p = p + v
            path.append(p)
        memory["v"] = v
        return path
    text = failure(check.momentum_descent, leaky)
    assert text.startswith("momentum_descent(bowl_grad, [1.5, 1.8], 0.1, 0.9, 15)")


# ---- task 4: choose_learning_rate ----------------------------------------------

@pytest.mark.parametrize("lr", [0.09, 0.085, 0.094, np.float64(0.09), np.array(0.09),
                                np.array(0.09, dtype=np.float32)])
def test_choose_learning_rate_right_answers_pass(lr, capsys):
    check.choose_learning_rate(lambda: lr, draw=False)
    out = capsys.readouterr().out
    assert out.startswith(f"✅ RIGHT · choose_learning_rate: right — lr = {float(lr):g}: "
                          "the loss fell from 28.6 to")


def test_choose_learning_rate_draws_without_warnings(capsys):
    import matplotlib
    matplotlib.use("Agg")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "FigureCanvasAgg is non-interactive")
        warnings.simplefilter("error", RuntimeWarning)
        check.choose_learning_rate(lambda: 0.09)
        with pytest.raises(CheckFailed):
            check.choose_learning_rate(lambda: 0.5)  # a diverged run is drawn too
    assert "✅ RIGHT · choose_learning_rate: right" in capsys.readouterr().out


def test_choose_learning_rate_stub_is_not_implemented_yet():
    with pytest.raises(NotImplementedYet, match="choose_learning_rate: not implemented yet"):
        check.choose_learning_rate(stub, draw=False)


@pytest.mark.parametrize("lr, result, hint", [
    (0.05, "loss after 50 steps: 0.03626", "too small: crawling. x = -0.269 after 50 steps"),
    (0.08, "loss after 50 steps: 0.001465", "1 - lr = 0.92"),
    (1e-5, "loss after 50 steps: 28.17", "1 - lr = 0.99999"),
    (0.096, "loss after 50 steps: 0.005636", "the steep direction still zig-zags"),
    (0.099, "loss after 50 steps: 2.984", "1 - 20 lr = -0.98, close to -1"),
    (0.1, "loss after 50 steps: 22.5", "y bounces between 1.5 and -1.5"),
    (0.11, "loss after 50 steps: 1.863e+09", "too large: the loss grew from 28.6 to 1.86e+09"),
    (0.5, "the run diverged after 7 steps", "too large: diverged after 7 steps"),
])
def test_choose_learning_rate_wrong_answers_say_what_went_wrong(lr, result, hint):
    text = failure(check.choose_learning_rate, lambda: lr, draw=False)
    assert text.startswith(LR_CASE + f"{lr:g}, steps=50)")
    assert result + " (needed: below 0.001)" in text and hint in text
    if "large" in hint:
        assert "so lr must stay below 2/20 = 0.1" in text


@pytest.mark.parametrize("answer, hint", [
    (lambda: "0.09", "return one number"),
    (lambda: None, "return one number"),
    (lambda: True, "return one number"),
    (lambda: np.array(True), "return one number"),
    (lambda: np.array([0.09, 0.08]), "return one number"),
    (lambda: np.array(-0.09), "a learning rate is a positive number"),
    (lambda: -0.09, "a learning rate is a positive number"),
    (lambda: 0, "a learning rate is a positive number"),
])
def test_choose_learning_rate_answers_that_are_not_a_learning_rate_are_explained(answer, hint):
    text = failure(check.choose_learning_rate, answer, draw=False)
    assert text.startswith("choose_learning_rate() returned") and hint in text
