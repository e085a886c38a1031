"""The checks of exercises/03-nonlinearity.ipynb: right answers pass, stubs say "not implemented
yet", and plausible wrong answers are caught with the failing case and a fitting hint."""
import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from nnlib.activations import sigmoid
from nnlib.checks import lesson03 as check
from nnlib.checks.base import NotImplementedYet
from tests.check_helpers import failure, stub

ROOT = Path(__file__).resolve().parent.parent

# The first case of each check, as it appears in the messages (spaces squeezed).
XOR_CASE = ("dense_forward([[0., 0.], [0., 1.], [1., 0.], [1., 1.]] (shape (4, 2)), "
            "[[1., 2., 3.], [4., 5., 6.]]")
SQUARE_CASE = "W1 = [[1., 2.], [0., 1.]] (shape (2, 2)), b1 = [ 1., -1.]"
BUMP_CASE = "bump([-1. , -0.75, -0.5 , -0.25, 0. , 0.25, 0.5 , 0.75, 1. ] (shape (9,)), 0, 1, 50)"
FIT_CASE = "fit_with_bumps(x, y, n_bumps=12, x_new)"


# ---- task 1: dense_forward --------------------------------------------------

def dense_forward(X, W, b):
    return X @ W + b


def test_dense_forward_right_answers_pass(capsys):
    check.dense_forward(dense_forward)
    check.dense_forward(lambda X, W, b: np.dot(X, W) + b[None, :])
    check.dense_forward(lambda X, W, b: np.array([[x @ W[:, j] + b[j] for j in range(W.shape[1])]
                                                  for x in X]))  # the long way round
    assert capsys.readouterr().out.count("✅ RIGHT · dense_forward: right — 6 cases") == 3


def test_dense_forward_stub_is_not_implemented_yet():
    with pytest.raises(NotImplementedYet, match="dense_forward: not implemented yet"):
        check.dense_forward(stub)


@pytest.mark.parametrize("wrong, hint", [
    (lambda X, W, b: X @ W, "the bias is missing"),
    (lambda X, W, b: X @ (W + b), "add b after the product"),
    (lambda X, W, b: sigmoid(X @ W + b), "return z itself"),
    (lambda X, W, b: W @ X + b, "raised ValueError: matmul"),
    (lambda X, W, b: X @ W.T + b, "raised ValueError: matmul"),
    (lambda X, W, b: X @ W + b.reshape(-1, 1), "raised ValueError: operands could not be broadcast"),
])
def test_dense_forward_wrong_answers_name_the_case_and_the_mistake(wrong, hint):
    text = failure(check.dense_forward, wrong)
    assert text.startswith(XOR_CASE) and hint in text and "hint:" in text


def test_dense_forward_crashes_get_a_hint_about_shapes():
    text = failure(check.dense_forward, lambda X, W, b: W @ X + b)
    assert "X @ W is (n, m). The inner sizes must match; W @ X or X @ W.T" in text
    text = failure(check.dense_forward, lambda X, W, b: X @ W + b.reshape(-1, 1))
    assert "Don't reshape b into a column" in text


@pytest.mark.parametrize("wrong, case, hint", [
    # Square W: X @ W.T gives numbers, not an error.
    (lambda X, W, b: X @ W.T + b if W.shape[0] == W.shape[1] else X @ W + b,
     "[[-0.5, 0.6], [ 0.4, 0.3]] (shape (2, 2))", "no transpose"),
    # A single sample (1, k): b as a column broadcasts to (m, m) instead of crashing. On the
    # square case this function is right where a column b would be wrong, so the hint is
    # given as a guess that fits this case only.
    (lambda X, W, b: X @ W + (b.reshape(-1, 1) if len(X) == 1 else b),
     "(shape (1, 4))", "though on other cases it is not, so check what is special about this "
                       "case: b is one bias per neuron"),
    # Right for small numbers only: clipped like a saturating unit.
    (lambda X, W, b: np.clip(X @ W + b, -100, 100), "[[ 1000., -2000.], [-1000., 0.]]",
     "z = X @ W + b: the matrix product"),
])
def test_dense_forward_mistakes_that_show_only_on_later_cases(wrong, case, hint):
    text = failure(check.dense_forward, wrong)
    assert case in text and hint in text


def test_dense_forward_wrong_shape_is_pointed_out():
    text = failure(check.dense_forward, lambda X, W, b: (X @ W + b).ravel())
    assert "(shape (12,) instead of (4, 3))" in text


# ---- task 2: collapse -------------------------------------------------------

def collapse(W1, b1, W2, b2):
    return W1 @ W2, b1 @ W2 + b2


def test_collapse_right_answers_pass(capsys):
    check.collapse(collapse)
    check.collapse(lambda W1, b1, W2, b2: [np.dot(W1, W2), np.dot(b1, W2) + b2])  # a list is fine
    out = capsys.readouterr().out
    assert out.count("✅ RIGHT · collapse: right — 7 cases") == 2


def test_collapse_stub_is_not_implemented_yet():
    with pytest.raises(NotImplementedYet, match="collapse: not implemented yet"):
        check.collapse(stub)


@pytest.mark.parametrize("wrong, part, hint", [
    (lambda W1, b1, W2, b2: (W2 @ W1, b1 @ W2 + b2), "expected W: [[4., 6.], [1., 3.]]",
     "W = W1 @ W2 (W2 @ W1 is another matrix)"),
    (lambda W1, b1, W2, b2: (W1 * W2, b1 @ W2 + b2), "got W: [[2., 0.], [0., 3.]]",
     "entry by entry"),
    (lambda W1, b1, W2, b2: (W1 @ W2, b1 + b2), "expected b: [ 1.5, -2.5] got b: [ 1.5, -0.5]",
     "b1 goes through the second layer too"),
    (lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2), "got b: [ 1., -3.]", "(b2 is missing)"),
    (lambda W1, b1, W2, b2: (W1 @ W2, b2), "got b: [0.5, 0.5]", "the first layer's bias is missing"),
    (lambda W1, b1, W2, b2: (W1 @ W2, W2 @ b1 + b2), "got b: [ 2.5, -1.5]", "not W2 @ b1"),
    (lambda W1, b1, W2, b2: (b1 @ W2 + b2, W1 @ W2), "(W has shape (2,) instead of (2, 2))",
     "W and b are the wrong way round"),
])
def test_collapse_wrong_answers_name_the_case_and_the_mistake(wrong, part, hint):
    text = failure(check.collapse, wrong)
    assert text.startswith("collapse(W1, b1, W2, b2) with " + SQUARE_CASE)
    assert part in text and hint in text


def test_collapse_shows_both_forward_passes_on_a_small_x():
    text = failure(check.collapse, lambda W1, b1, W2, b2: (W1 @ W2, b1 + b2))
    assert "for X = [[ 0.1, -0.5], [ 0.1, 0.7]] (shape (2, 2)):" in text
    assert "two layers give [[ 1.4, -3.4], [ 2.6, 0.2]]" in text
    assert "your single layer gives [[ 1.4, -1.4], [ 2.6, 2.2]]" in text


def test_collapse_crash_on_other_shapes_gets_a_shape_hint():
    def swapped_but_square_right(W1, b1, W2, b2):  # W2 @ W1, except on the square case
        W = W1 @ W2 if W1.shape == W2.shape == (2, 2) else W2 @ W1
        return W, b1 @ W2 + b2
    text = failure(check.collapse, swapped_but_square_right)
    assert "collapse([[" in text and "(shape (3, 4))" in text and "raised ValueError: matmul" in text
    assert "W = W1 @ W2 is (inputs, outputs)" in text


def test_collapse_b_as_a_row_matrix_is_pointed_out():
    text = failure(check.collapse, lambda W1, b1, W2, b2: (W1 @ W2, (b1 @ W2 + b2)[None, :]))
    assert "(b has shape (1, 2) instead of (2,))" in text


@pytest.mark.parametrize("answer", [lambda *a: None, lambda *a: a[0] @ a[2], lambda *a: (1, 2, 3)])
def test_collapse_answers_that_are_not_a_pair_are_explained(answer):
    text = failure(check.collapse, answer)
    assert text.startswith("collapse(W1, b1, W2, b2) with W1 (2, 2), b1 (2,), W2 (2, 2), b2 (2,) returned")
    assert "return a pair of arrays: `return W, b`" in text


def test_collapse_with_a_mutated_input_still_reports_the_original_case():
    def in_place(W1, b1, W2, b2):  # changes b1, then returns b1 + b2
        b1 += b2
        return W1 @ W2, b1
    assert SQUARE_CASE in failure(check.collapse, in_place)


# ---- task 4: bump -----------------------------------------------------------

def bump(x, center, width, steepness=50.0):
    left, right = center - width / 2, center + width / 2
    return sigmoid(steepness * (x - left)) - sigmoid(steepness * (x - right))


def test_bump_right_answers_pass(capsys):
    check.bump(bump)

    def home_made(x, center, width, steepness=50.0):  # overflows (warns), but stays finite
        def s(z):
            return 1 / (1 + np.exp(-z))
        return s(steepness * (x - center + width / 2)) - s(steepness * (x - center - width / 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the check keeps the learner's warnings quiet
        check.bump(home_made)
    assert capsys.readouterr().out.count("✅ RIGHT · bump: right — 7 cases") == 2


def test_bump_stub_is_not_implemented_yet():
    with pytest.raises(NotImplementedYet, match="bump: not implemented yet"):
        check.bump(stub)


def edges_bump(left, right):
    def wrong(x, c, w, s=50.0):
        return sigmoid(s * (x - left(c, w))) - sigmoid(s * (x - right(c, w)))
    return wrong


@pytest.mark.parametrize("wrong, got, hint", [
    (lambda x, c, w, s=50.0: -bump(x, c, w, s), "got: [-0. , -0. , -0.5, -1.", "your bump points down"),
    (lambda x, c, w, s=50.0: sigmoid(s * (x - (c + w / 2))) - sigmoid(s * (x - (c - w / 2))),
     "got: [-0. , -0. , -0.5", "your bump points down"),
    (edges_bump(lambda c, w: c - w, lambda c, w: c + w), "got: [0.5, 1. , 1.", "twice as wide"),
    (lambda x, c, w, s=50.0: sigmoid(s * (x - (c - w / 2))) + sigmoid(s * (x - (c + w / 2))),
     "got: [0. , 0. , 0.5, 1. , 1. , 1. , 1.5, 2. , 2. ]", "subtract the two steps"),
    (edges_bump(lambda c, w: c, lambda c, w: w), "got: [0. , 0. , 0. , 0. , 0.5,",
     "not the lesson's left and right edges"),
    (lambda x, c, w, s=50.0: sigmoid(s * x - (c - w / 2)) - sigmoid(s * x - (c + w / 2)),
     "got:", "multiply the whole (x - edge) by the steepness"),
    (lambda x, c, w, s=50.0: bump(x, c, w, 1.0), "got:", "the steepness is missing"),
])
def test_bump_wrong_answers_name_the_case_and_the_mistake(wrong, got, hint):
    text = failure(check.bump, wrong)
    assert text.startswith(BUMP_CASE)
    assert "expected: [0. , 0. , 0.5, 1. , 1. , 1. , 0.5, 0. , 0. ]" in text
    assert got in text and hint in text


def test_bump_overflowing_sigmoid_is_explained_without_warnings():
    def unstable(x, c, w, s=50.0):
        def sig(z):
            return np.exp(z) / (1 + np.exp(z))
        return sig(s * (x - c + w / 2)) - sig(s * (x - c - w / 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = failure(check.bump, unstable)
    assert "bump([-1000. , -1. ," in text and "nan" in text
    assert "Use `sigmoid` from nnlib.activations" in text


def test_bump_that_flattens_a_column_is_pointed_out():
    text = failure(check.bump, lambda x, c, w, s=50.0: np.ravel(bump(x, c, w, s)))
    assert "(shape (5, 1))" in text and "(shape (5,) instead of (5, 1))" in text


def test_bump_with_another_default_steepness_names_the_three_argument_case():
    text = failure(check.bump, lambda x, c, w, s=10.0: bump(x, c, w, s))
    assert "0.5, 1)" in text and "hint: a step up at the left edge minus" in text


# ---- task 5: fit with bumps -------------------------------------------------

def make_fit(heights="interp", sign=1.0, steepness=50.0, at="x_new", width_factor=1.0):
    """A fit_with_bumps answer, right by default, with one knob per plausible mistake."""
    def fit(x, y, n_bumps, x_new):
        xs = np.ravel(x)
        edges = np.linspace(-1, 1, n_bumps + 1)
        centers = (edges[:-1] + edges[1:]) / 2
        if heights == "interp":
            h = np.interp(centers, xs, y)
        elif heights == "mean":  # nan for a slice without samples
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                h = np.array([y[(xs >= a) & (xs < b)].mean() for a, b in zip(edges[:-1], edges[1:])])
        else:
            h = np.zeros(n_bumps)
        points = x_new if at == "x_new" else xs
        w = width_factor * 2 / n_bumps
        return sign * sum(hh * bump(points, c, w, steepness) for hh, c in zip(h, centers))
    return fit


def test_fit_right_answers_pass_and_say_the_error_and_the_fewest(capsys):
    check.fit_with_bumps(make_fit(), lambda: 12, draw=False)
    check.fit_with_bumps(make_fit("mean"), lambda: 20.0, draw=False)  # 20.0 is a whole number
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("✅ RIGHT · fit_with_bumps: right — 12 bumps (24 sigmoid units) reach mean squared "
                      "error 0.002258 < 0.01; with your fit, 9 would already do")
    assert out[1].startswith("✅ RIGHT · fit_with_bumps: right — 20 bumps (40 sigmoid units)")


def test_fit_stubs_are_not_implemented_yet():
    with pytest.raises(NotImplementedYet, match="choose_n_bumps: not implemented yet"):
        check.fit_with_bumps(stub, stub, draw=False)
    with pytest.raises(NotImplementedYet, match="fit_with_bumps: not implemented yet"):
        check.fit_with_bumps(stub, lambda: 10, draw=False)


@pytest.mark.parametrize("fit, n, says, hint", [
    (make_fit(), 3, "mean squared error: 0.1436, needed: below 0.01",
     "more bumps: with 12 your fit reaches 0.002258"),
    (make_fit(), 8, "mean squared error: 0.01002", "more bumps: with 16"),
    (make_fit(sign=-1.0), 12, "mean squared error: 1.96", "your curve is upside down"),
    (make_fit("zero"), 12, "mean squared error: 0.4988", "every output is 0"),
    (make_fit(steepness=1.0), 12, "mean squared error: 0.4597", "the curve stays near 0"),
    (make_fit(width_factor=2.0), 12, "mean squared error: 0.4125", "look at the picture"),
])
def test_fit_poor_fits_say_the_error_reached_and_why(fit, n, says, hint):
    text = failure(check.fit_with_bumps, fit, lambda: n, draw=False)
    assert text.startswith(f"fit_with_bumps(x, y, n_bumps={n}, x_new), n_bumps from choose_n_bumps()")
    assert says in text and hint in text


def test_fit_empty_slices_give_nan_and_are_explained():
    text = failure(check.fit_with_bumps, make_fit("mean"), lambda: 40, draw=False)
    assert "fit_with_bumps(x, y, n_bumps=40, x_new)" in text
    assert "got nan at x_new = -1 (400 of 400 outputs are nan or inf)" in text
    assert "the mean of no values is nan" in text


@pytest.mark.parametrize("fit, says, hint", [
    (make_fit(at="x"), "got an array of shape (100,)", "that is one output per sample"),
    (lambda x, y, n, x_new: bump(x_new[:, None], np.linspace(-1, 1, n), 2 / n),
     "got an array of shape (400, 12)", "a table instead of one output per point"),
    (lambda x, y, n, x_new: "a curve", "returned 'a curve'", "return the network's outputs at x_new"),
])
def test_fit_outputs_of_the_wrong_shape_are_explained(fit, says, hint):
    text = failure(check.fit_with_bumps, fit, lambda: 12, draw=False)
    assert FIT_CASE in text and says in text and hint in text


def test_fit_with_a_column_x_is_explained():
    def column(x, y, n, x_new):  # forgot np.ravel(x): (400,) meets (1, 100)
        return x_new + 0 * x.T
    text = failure(check.fit_with_bumps, column, lambda: 12, draw=False)
    assert "fit_with_bumps([[-0.9945]," in text and "raised ValueError" in text
    assert "np.ravel(x) makes it flat" in text


@pytest.mark.parametrize("n, says", [(0, "choose between 1 and 1000"), (12.5, "returned 12.5"),
                                     (None, "return a whole number"), (True, "return a whole number")])
def test_fit_bad_numbers_of_bumps_are_explained(n, says):
    assert says in failure(check.fit_with_bumps, make_fit(), lambda: n, draw=False)


def test_fit_drawing_makes_one_figure_and_closes_it(monkeypatch):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    shown = []
    monkeypatch.setattr(plt, "show", lambda: shown.append(plt.gcf().axes[0].get_title()))
    before = plt.get_fignums()
    check.fit_with_bumps(make_fit(), lambda: 12)
    assert shown == ["12 bumps: mean squared error 0.002258"]
    assert plt.get_fignums() == before


def test_the_notebook_uses_the_same_samples_as_the_check():
    nb = json.loads((ROOT / "solutions" / "03-nonlinearity.ipynb").read_text(encoding="utf-8"))
    source = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    data = check.FIT_DATA
    assert f'curve("{data["name"]}", n={data["n"]}, seed={data["seed"]})' in source


# ---- found by a mutation audit: the task's two rules had no test of their own ----

def test_fit_that_never_uses_bump_is_refused():
    # A notebook without `bump` in sight: np.interp alone draws the curve.
    space = {"np": np}
    exec("def fit(x, y, n_bumps, x_new):\n"
         "    return np.interp(x_new, np.ravel(x), y)\n", space)
    message = failure(check.fit_with_bumps, space["fit"], lambda: 12, draw=False)
    assert "fits the curve, but without your `bump`" in message
    assert "a sum of your bumps" in message


def test_fit_that_calls_bump_but_draws_with_interp_is_refused():
    def sneaky(x, y, n_bumps, x_new):  # the bumps are made, then thrown away
        xs = np.ravel(x)
        edges = np.linspace(-1, 1, n_bumps + 1)
        for c in (edges[:-1] + edges[1:]) / 2:
            bump(x_new, c, 2 / n_bumps)
        return np.interp(x_new, xs, y)

    message = failure(check.fit_with_bumps, sneaky, lambda: 12, draw=False)
    assert "not with your `bump`" in message and "4 times narrower" in message


def test_fit_that_ignores_n_bumps_is_refused():
    right = make_fit()

    def always_twelve(x, y, n_bumps, x_new):
        return right(x, y, 12, x_new)

    message = failure(check.fit_with_bumps, always_twelve, lambda: 12, draw=False)
    assert "n_bumps=3" in message and "12 different centres, not 3" in message


def _fit_from(read_heights):
    """A fit made of bumps whose heights come from read_heights(centers, x, y)."""
    def fit(x, y, n_bumps, x_new):
        edges = np.linspace(-1, 1, n_bumps + 1)
        centers = (edges[:-1] + edges[1:]) / 2
        heights = read_heights(centers, x, y)
        return sum(h * bump(x_new, c, 2 / n_bumps) for h, c in zip(heights, centers))
    return fit


@pytest.mark.parametrize("read_heights", [
    lambda centers, x, y: np.sin(np.pi * centers),  # the true curve, which the text says to forget
    lambda centers, x, y: np.interp(centers, np.ravel(check.fit_data()[0]), check.fit_data()[1]),
])
def test_fit_whose_heights_do_not_come_from_the_samples_given_is_refused(read_heights):
    # Both fit the sine well (they used to get RIGHT), but ignore the y they are given.
    message = failure(check.fit_with_bumps, _fit_from(read_heights), lambda: 20, draw=False)
    assert message.startswith("fit_with_bumps(x, -y, n_bumps=20, x_new): given the samples "
                              "upside down (-y, samples of -sin(πx)), your fit does not follow them")
    assert "mean squared error from -sin(πx): 1.9" in message
    assert "hint: use the points you are given" in message


def test_fit_from_the_samples_given_follows_them_upside_down(capsys):
    right = _fit_from(lambda centers, x, y: np.interp(centers, np.ravel(x), y))
    x, y = check.fit_data()
    assert np.allclose(right(x, -y, 20, check.FIT_X_NEW), -right(x, y, 20, check.FIT_X_NEW))
    check.fit_with_bumps(right, lambda: 20, draw=False)
    assert capsys.readouterr().out.startswith("✅ RIGHT · fit_with_bumps: right — 20 bumps")
