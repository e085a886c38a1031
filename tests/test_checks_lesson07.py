"""The checks of exercises/07-training-well.ipynb: right answers pass, stubs say "not implemented
yet", and plausible wrong answers are caught with the failing case and a fitting hint."""
import numpy as np
import pytest

from nnlib.activations import sigmoid
from nnlib.checks import lesson07 as check
from nnlib.checks.base import NotImplementedYet
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
            out[i, 0] = (1 / (1 + np.exp(-z[i, 0])) - y[i, 0]) / len(z)
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
    assert capsys.readouterr().out.count("✅ RIGHT · l2_grad") == 3


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
