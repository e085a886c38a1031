"""The checks of exercises/07-training-well.ipynb: right answers pass, stubs say "not implemented
yet", and plausible wrong answers are caught with the failing case and a fitting hint."""
import copy
import re

import numpy as np
import pytest

from nnlib.activations import sigmoid
from nnlib.checks import lesson07 as check
from nnlib.checks.base import CheckFailed, NotImplementedYet
from nnlib.layers import mlp
from nnlib.losses import bce_with_logits_grad
from nnlib.train import fit
from tests.check_helpers import failure, stub

CHECKS = [check.cross_entropy_grad, check.init_weights, check.l2_grad, check.early_stopping]


@pytest.mark.parametrize("check_fn", CHECKS, ids=lambda f: f.__name__)
def test_untouched_stub_is_not_implemented_yet(check_fn):
    with pytest.raises(NotImplementedYet, match="not implemented yet") as info:
        check_fn(stub)
    lines = info.value._render_traceback_()
    assert len(lines) == 1 and lines[0].startswith("⏳")


# ---- task 1: cross_entropy_grad -------------------------------------------------

def test_cross_entropy_grad_right_answers_pass(capsys):
    check.cross_entropy_grad(lambda z, y: (sigmoid(z) - y) / len(z))
    check.cross_entropy_grad(bce_with_logits_grad)
    check.cross_entropy_grad(lambda z, y: (sigmoid(z) - y) / z.shape[0])

    def by_loop(z, y):
        out = np.zeros_like(z)
        for i in range(len(z)):
            out[i, 0] = (sigmoid(z[i, 0]) - y[i, 0]) / len(z)
        return out
    check.cross_entropy_grad(by_loop)
    assert capsys.readouterr().out.count("✅ RIGHT · cross_entropy_grad") == 4


@pytest.mark.parametrize("wrong, words", [
    (lambda z, y: sigmoid(z) - y, "divide by n"),
    (lambda z, y: (y - sigmoid(z)) / len(z), "the sign"),
    (lambda z, y: (z - y) / len(z), "not the logit z"),
    (lambda z, y: 2 * (sigmoid(z) - y) * sigmoid(z) * (1 - sigmoid(z)) / len(z), "squared error's gradient"),
    (lambda z, y: (sigmoid(z) - y) * sigmoid(z) * (1 - sigmoid(z)) / len(z), "cancels out"),
    (lambda z, y: np.mean(sigmoid(z) - y), "not their mean"),
    (lambda z, y: ((1 - sigmoid(z)) - y) / len(z), "probability of class 1"),
])
def test_cross_entropy_grad_mistakes_are_named(wrong, words):
    message = failure(check.cross_entropy_grad, wrong)
    assert "cross_entropy_grad(" in message and "expected" in message   # the failing case
    assert words in message


def test_cross_entropy_grad_reports_the_first_case_that_fails():
    # The lesson's neuron (one sample) comes first: there n = 1 hides a missing / n ...
    message = failure(check.cross_entropy_grad, lambda z, y: (y - sigmoid(z)) / len(z))
    assert "[[6.]]" in message and "0.9975" in message
    # ... which the batch of 4 then shows.
    message = failure(check.cross_entropy_grad, lambda z, y: sigmoid(z) - y)
    assert "shape (4, 1)" in message and "divide by n" in message


def test_cross_entropy_grad_that_overflows_on_the_way_is_refused():
    """1 / (1 + np.exp(-z)) gives the right 0.0 at z = -800 only through e**800 = inf: the
    task says to use nnlib's sigmoid, and exercises 02 and 05 refuse such an overflow too."""
    message = failure(check.cross_entropy_grad, lambda z, y: (1 / (1 + np.exp(-z)) - y) / len(z))
    assert "[[-800.]" in message and "numpy warned: overflow encountered in exp" in message
    assert "no overflow on the way" in message and "sigmoid from nnlib.activations" in message


# ---- task 2: init_weights -------------------------------------------------------

def _std(n_in, n_out, activation):
    return np.sqrt(2 / n_in) if activation == "relu" else np.sqrt(2 / (n_in + n_out))


def test_init_weights_right_answers_pass(capsys):
    check.init_weights(lambda n_in, n_out, f, rng: rng.normal(0.0, _std(n_in, n_out, f), (n_in, n_out)))
    check.init_weights(lambda n_in, n_out, f, rng: _std(n_in, n_out, f) * rng.standard_normal((n_in, n_out)))
    # Xavier/He uniform: the same std from a uniform distribution is right too.
    check.init_weights(lambda n_in, n_out, f, rng:
                       rng.uniform(-1, 1, (n_in, n_out)) * np.sqrt(3) * _std(n_in, n_out, f))
    assert capsys.readouterr().out.count("✅ RIGHT · init_weights") == 3


@pytest.mark.parametrize("wrong, words", [
    (lambda n_in, n_out, f, rng: rng.normal(0, np.sqrt(1 / n_in), (n_in, n_out)), "sqrt(1 / n_in)"),
    (lambda n_in, n_out, f, rng: rng.normal(0, np.sqrt(2 / (n_in + n_out)), (n_in, n_out)),
     "relu needs He's std"),
    (lambda n_in, n_out, f, rng: rng.normal(0, np.sqrt(2 / n_in), (n_in, n_out)), "tanh and sigmoid take Xavier"),
    (lambda n_in, n_out, f, rng: rng.normal(0, _std(n_in, n_out, f) ** 2, (n_in, n_out)), "the variance"),
    (lambda n_in, n_out, f, rng: rng.normal(0, np.sqrt(2 / n_out) if f == "relu" else _std(n_in, n_out, f),
                                            (n_in, n_out)), "counts the INPUTS"),
    (lambda n_in, n_out, f, rng: rng.uniform(-1, 1, (n_in, n_out)) * _std(n_in, n_out, f), "uniform"),
    (lambda n_in, n_out, f, rng: np.full((n_in, n_out), _std(n_in, n_out, f)), "symmetry"),
    (lambda n_in, n_out, f, rng: rng.normal(0, _std(n_in, n_out, f), (n_out, n_in)), "one row per input"),
    (lambda n_in, n_out, f, rng: np.random.default_rng().normal(0, _std(n_in, n_out, f), (n_in, n_out)),
     "draw from the rng you are given"),
    (lambda n_in, n_out, f, rng: rng.normal(1.0, _std(n_in, n_out, f), (n_in, n_out)), "centre the weights at 0"),
])
def test_init_weights_mistakes_are_named(wrong, words):
    message = failure(check.init_weights, wrong)
    assert "init_weights(" in message and words in message


# ---- task 3: l2_grad --------------------------------------------------------------

def test_l2_grad_right_answers_pass(capsys):
    check.l2_grad(lambda ps, lam: [lam * p if p.ndim == 2 else np.zeros_like(p) for p in ps])
    check.l2_grad(lambda ps, lam: [lam * p * (p.ndim > 1) for p in ps])

    def loop(params, lam):
        grads = []
        for i, p in enumerate(params):
            grads.append(lam * p if i % 2 == 0 else 0 * p)     # W1, b1, W2, b2, ...
        return grads
    check.l2_grad(loop)

    def new_list_items(params, lam):    # changes the list, not the arrays: the model is safe
        for i, p in enumerate(params):
            params[i] = lam * p if p.ndim == 2 else np.zeros_like(p)
        return params
    check.l2_grad(new_list_items)
    assert capsys.readouterr().out.count("✅ RIGHT · l2_grad") == 4


@pytest.mark.parametrize("wrong, words", [
    (lambda ps, lam: [2 * lam * p if p.ndim == 2 else np.zeros_like(p) for p in ps], "the 1/2 cancels"),
    (lambda ps, lam: [lam * p for p in ps], "the biases are not penalised"),
    (lambda ps, lam: [p if p.ndim == 2 else np.zeros_like(p) for p in ps], "multiply by lam"),
    (lambda ps, lam: [-lam * p if p.ndim == 2 else np.zeros_like(p) for p in ps], "the sign"),
    (lambda ps, lam: [lam * p for p in ps if p.ndim == 2], "one gradient for EVERY parameter"),
    (lambda ps, lam: 0.5 * lam * sum(np.sum(p ** 2) for p in ps if p.ndim == 2), "one number"),
    (lambda ps, lam: [lam * p if p.ndim == 1 else np.zeros_like(p) for p in ps], "the 2-D arrays"),
])
def test_l2_grad_mistakes_are_named(wrong, words):
    message = failure(check.l2_grad, wrong)
    assert "l2_grad(params of" in message and words in message


def test_l2_grad_that_changes_params_in_place_is_refused():
    """Right values, but the caller's arrays changed: in the exercise's together cell
    l2_grad(model.parameters(), lam) would shrink the model's own weights at every step."""
    def in_place(params, lam):
        out = []
        for p in params:
            if p.ndim == 2:
                p *= lam
            else:
                p[...] = 0
            out.append(p)
        return out
    before = [[p.copy() for p in params] for params, lam in check.L2_CASES]
    message = failure(check.l2_grad, in_place)
    assert "the values are right" in message and "changed params[0] and params[2] in place" in message
    assert "return new arrays" in message and "not p *= lam" in message

    def biases_zeroed_in_place(params, lam):   # only the layer with non-zero biases shows it
        grads = []
        for p in params:
            if p.ndim == 2:
                grads.append(lam * p)
            else:
                p[...] = 0
                grads.append(p)
        return grads
    message = failure(check.l2_grad, biases_zeroed_in_place)
    assert "changed params[1] in place" in message and "np.zeros_like(b)" in message
    # the check's own cases are untouched: a right answer still passes
    check.l2_grad(lambda ps, lam: [lam * p if p.ndim == 2 else np.zeros_like(p) for p in ps])
    assert all(np.array_equal(p, q) for (params, lam), saved in zip(check.L2_CASES, before)
               for p, q in zip(params, saved))


def test_l2_grad_report_shows_each_array_on_its_own_lines():
    """The wrong gradient is named and shown as an array, not a list of strings with \\n in it."""
    with pytest.raises(CheckFailed) as info:
        check.l2_grad(lambda ps, lam: [lam * p for p in ps])
    text = str(info.value)
    assert "\\n" not in text and "['" not in text
    assert "wrong: the gradient of params[1] (a bias, shape (2,))" in text
    assert "\n  expected: [0., 0.]\n  got:      [ 0.1, -0.2]\n" in text

    with pytest.raises(CheckFailed) as info:        # a wrong matrix: one row per line, aligned
        check.l2_grad(lambda ps, lam: [2 * lam * p if p.ndim == 2 else np.zeros_like(p) for p in ps])
    lines = str(info.value).splitlines()
    assert "\\n" not in str(info.value)
    assert any("params[0] (a weight matrix, shape (2, 3))" in line for line in lines)
    first = next(i for i, line in enumerate(lines) if line.startswith("  expected: [["))
    second_row = lines[first + 1]
    assert second_row.startswith(" " * len("  expected: [")) and second_row.strip().startswith("[")
    assert "the 1/2 cancels" in lines[-1]


def test_l2_grad_matches_what_fit_does():
    """The answer the check wants is what fit(l2=...) adds to every gradient."""
    from nnlib.data import make_dataset
    X, y = make_dataset("moons", n=40, seed=0)
    a, b = mlp([2, 3, 1], seed=0), mlp([2, 3, 1], seed=0)
    start = [p.copy() for p in a.parameters()]
    fit(a, X, y, lr=0.1, epochs=1, progress=False, l2=0.3)
    fit(b, X, y, lr=0.1, epochs=1, progress=False)
    mine = [lam_w for lam_w in [0.3 * p if p.ndim == 2 else np.zeros_like(p) for p in start]]
    for pa, pb, g in zip(a.parameters(), b.parameters(), mine):
        assert np.allclose(pa, pb - 0.1 * g)


# ---- task 4: early_stopping ------------------------------------------------------

def early_stopping(model, train_one_epoch, validation_loss, max_epochs, patience):
    best_loss, best_epoch, best, losses = float("inf"), 0, None, []
    for epoch in range(1, max_epochs + 1):
        train_one_epoch()
        losses.append(validation_loss())
        if losses[-1] < best_loss:
            best_loss, best_epoch = losses[-1], epoch
            best = [p.copy() for p in model.parameters()]
        elif epoch - best_epoch >= patience:
            break
    for p, saved in zip(model.parameters(), best):
        p[...] = saved
    return best_epoch, losses


def test_early_stopping_right_answers_pass(capsys):
    check.early_stopping(early_stopping)

    def with_counter(model, train_one_epoch, validation_loss, max_epochs, patience):
        losses, best, waited, best_epoch, saved = [], None, 0, None, None
        while len(losses) < max_epochs and waited < patience:
            train_one_epoch()
            loss = validation_loss()
            losses.append(loss)
            if best is None or loss < best:
                best, best_epoch, waited = loss, len(losses), 0
                saved = [np.array(p) for p in model.parameters()]
            else:
                waited += 1
        for p, s in zip(model.parameters(), saved):
            np.copyto(p, s)
        return best_epoch, losses
    check.early_stopping(with_counter)
    assert capsys.readouterr().out.count("✅ RIGHT · early_stopping") == 2


def _keeping(best_weights):
    """A right early_stopping loop, except that it keeps the best weights with best_weights(model)
    and restores them from best_weights(...).parameters()."""
    def early(model, train_one_epoch, validation_loss, max_epochs, patience):
        best_loss, best_epoch, bw, losses = float("inf"), 0, None, []
        for epoch in range(1, max_epochs + 1):
            train_one_epoch()
            losses.append(validation_loss())
            if losses[-1] < best_loss:
                best_loss, best_epoch = losses[-1], epoch
                bw = best_weights(model)
            elif epoch - best_epoch >= patience:
                break
        for p, s in zip(model.parameters(), bw.parameters()):
            p[...] = s
        return best_epoch, losses
    return early


def test_early_stopping_that_keeps_a_deepcopy_of_the_model_passes(capsys):
    """copy.deepcopy(model) is a right way to keep the best weights (it works on a real mlp)."""
    check.early_stopping(_keeping(copy.deepcopy))
    assert capsys.readouterr().out.count("✅ RIGHT · early_stopping") == 1
    # ... and on a real network it restores the best epoch's weights, as the check says
    model = mlp([2, 3, 1], seed=0)
    saved = copy.deepcopy(model)
    model.layers[0].W += 1.0
    for p, s in zip(model.parameters(), saved.parameters()):
        p[...] = s
    assert all(np.array_equal(p, q) for p, q in zip(model.parameters(), mlp([2, 3, 1], seed=0).parameters()))


@pytest.mark.parametrize("keep", [copy.copy, lambda model: model],
                         ids=["copy.copy(model)", "the model itself"])
def test_early_stopping_that_keeps_references_is_told_to_keep_copies(keep):
    """A shallow copy (or the model itself) shares the arrays that training goes on changing."""
    message = failure(check.early_stopping, _keeping(keep))
    assert "the weights at the end are those of epoch 6" in message and "COPIES" in message


def test_early_stopping_that_keeps_the_parameter_list_is_told_to_keep_copies():
    def keep_list(model, train_one_epoch, validation_loss, max_epochs, patience):
        best_loss, best_epoch, best, losses = float("inf"), 0, None, []
        for epoch in range(1, max_epochs + 1):
            train_one_epoch()
            losses.append(validation_loss())
            if losses[-1] < best_loss:
                best_loss, best_epoch, best = losses[-1], epoch, list(model.parameters())
            elif epoch - best_epoch >= patience:
                break
        for p, saved in zip(model.parameters(), best):
            p[...] = saved
        return best_epoch, losses
    assert "COPIES" in failure(check.early_stopping, keep_list)


def _variant(**slip):
    return check._mistake(**slip)


@pytest.mark.parametrize("slip, words", [
    ({"stop_after": 1}, "one epoch too many"),
    ({"stop_after": -1}, "one epoch too early"),
    ({"restore": False}, "BEST epoch's weights"),
    ({"copy": False}, "COPIES"),
    ({"best_cmp": "<="}, "an equal loss is no improvement"),
    ({"zero_based": True}, "count the epochs from 1"),
    ({"ignore_patience": True}, "training must end before max_epochs"),
])
def test_early_stopping_mistakes_are_named(slip, words):
    message = failure(check.early_stopping, _variant(**slip))
    assert "early_stopping(model, train_one_epoch" in message and "validation losses" in message
    assert "expected:" in message and words in message


def test_early_stopping_that_measures_before_training_is_caught():
    def measure_first(model, train_one_epoch, validation_loss, max_epochs, patience):
        best_loss, best_epoch, best, losses = float("inf"), 0, None, []
        for epoch in range(1, max_epochs + 1):
            losses.append(validation_loss())          # before the epoch's training
            train_one_epoch()
            if losses[-1] < best_loss:
                best_loss, best_epoch, best = losses[-1], epoch, [p.copy() for p in model.parameters()]
            elif epoch - best_epoch >= patience:
                break
        for p, saved in zip(model.parameters(), best):
            p[...] = saved
        return best_epoch, losses
    message = failure(check.early_stopping, measure_first)
    assert "expected:" in message


def test_early_stopping_returning_nothing_is_told_what_to_return():
    message = failure(check.early_stopping, lambda *args: None)
    assert "return best_epoch, losses" in message


def test_the_reference_agrees_with_fit():
    """fit(patience=...) and the check's loop stop at the same epoch on a real run."""
    from nnlib.data import make_dataset, train_test_split
    from nnlib.losses import bce_with_logits
    from nnlib.optim import SGD
    from nnlib.train import train_step
    X, y = make_dataset("moons", n=80, noise=0.35, seed=0)
    X_tr, X_val, y_tr, y_val = train_test_split(X, y, test_ratio=0.5, seed=0)
    a = mlp([2, 16, 1], seed=0)
    h = fit(a, X_tr, y_tr, lr=0.5, epochs=400, X_test=X_val, y_test=y_val, progress=False, patience=20)
    b, opt = mlp([2, 16, 1], seed=0), SGD(lr=0.5)
    best_epoch, losses = early_stopping(b, lambda: train_step(b, X_tr, y_tr, optimizer=opt),
                                        lambda: bce_with_logits(b.forward(X_val), y_val.reshape(-1, 1)),
                                        400, 20)
    assert best_epoch == h.best_epoch and len(losses) == h.epochs
    assert all(np.allclose(p, q) for p, q in zip(a.parameters(), b.parameters()))


# ---- found by a mutation audit: behaviour no test pinned down ----------------

def test_init_weights_transposed_is_told_why_the_shape_matters():
    message = failure(check.init_weights,
                      lambda n_in, n_out, f, rng: rng.normal(0, _std(n_in, n_out, f), (n_out, n_in)))
    assert "got shape (300, 400), expected (400, 300)" in message
    assert "so that X @ W works" in message


def test_early_stopping_that_puts_back_only_W_is_refused():
    def only_W(model, train_one_epoch, validation_loss, max_epochs, patience):
        best_loss, best_epoch, best_W, losses = float("inf"), 0, None, []
        for epoch in range(1, max_epochs + 1):
            train_one_epoch()
            losses.append(validation_loss())
            if losses[-1] < best_loss:
                best_loss, best_epoch, best_W = losses[-1], epoch, model.W.copy()
            elif epoch - best_epoch >= patience:
                break
        model.W[...] = best_W  # the bias b stays at the last epoch's value
        return best_epoch, losses

    message = failure(check.early_stopping, only_W)
    assert message.startswith("early_stopping(")
    # The report shows the difference (b left at the last epoch) and the hint names b.
    expected = re.search(r"expected: (.*)", message).group(1)
    got = re.search(r"got: +(.*)", message).group(1)
    assert expected != got and "but b that of epoch" in got
    assert "b as well as W" in message and "<=" not in message
