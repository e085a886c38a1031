"""Tests for nnlib.train: train_step, fit, History, predict, accuracy, TrainingDiverged."""
import re

import numpy as np
import pytest

from nnlib import validate
from nnlib.layers import Dense, mlp
from nnlib.losses import bce_with_logits, bce_with_logits_grad
from nnlib.optim import SGD, Adam, Momentum, make_optimizer
from nnlib.train import TrainingDiverged, accuracy, fit, predict, train_step

# Any warning (e.g. RuntimeWarning: overflow) fails the test.
pytestmark = pytest.mark.filterwarnings("error")

X_XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_XOR = np.array([0, 1, 1, 0])


def three_clouds(n_per_class=20, seed=0):
    """Three seeded Gaussian clouds in 2-D, labels 0, 1, 2."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]])
    X = np.concatenate([c + 0.5 * rng.normal(size=(n_per_class, 2)) for c in centres])
    y = np.repeat([0, 1, 2], n_per_class)
    return X, y


def line_data():
    """y = 2x + 1 on 20 points: linear regression for one Dense layer."""
    X = np.linspace(-3, 3, 20).reshape(-1, 1)
    return X, 2 * X[:, 0] + 1


# ---- train_step ----------------------------------------------------------------------

def test_train_step_is_forward_loss_backward_step():
    model = mlp([2, 3, 1], seed=0)
    y = Y_XOR.reshape(-1, 1).astype(float)
    # the same step written out by hand on copies of the weights
    W1, b1, W2, b2 = [p.copy() for p in model.parameters()]
    A1 = np.tanh(X_XOR @ W1 + b1)
    z = A1 @ W2 + b2
    dz = bce_with_logits_grad(z, y)
    dZ1 = (dz @ W2.T) * (1 - A1**2)
    expected = [W1 - 0.5 * X_XOR.T @ dZ1, b1 - 0.5 * dZ1.sum(0),
                W2 - 0.5 * A1.T @ dz, b2 - 0.5 * dz.sum(0)]

    loss = train_step(model, X_XOR, y, loss="bce", optimizer=SGD(0.5))
    assert isinstance(loss, float)
    assert loss == pytest.approx(bce_with_logits(z, y), rel=1e-14)   # measured before the update
    for p, e in zip(model.parameters(), expected):
        np.testing.assert_allclose(p, e, rtol=1e-13)


def test_train_step_checks_its_batch():
    """train_step is public: it checks its batch (issue 10); fit's own loop does not."""
    model, opt = mlp([2, 4, 1]), SGD(0.1)
    with pytest.raises(ValueError, match=r"y for loss 'bce' must hold labels 0 or 1"):
        train_step(model, X_XOR, [0, 1, 2, 0], loss="bce", optimizer=opt)
    with pytest.raises(ValueError, match=r"X has 3 features"):
        train_step(model, np.ones((4, 3)), Y_XOR, loss="bce", optimizer=opt)
    with pytest.raises(TypeError, match=r"model must be a Sequential or Dense"):
        train_step("model", X_XOR, Y_XOR, loss="bce", optimizer=opt)
    assert all(np.array_equal(p, q) for p, q in zip(model.parameters(), mlp([2, 4, 1]).parameters()))
    # lists are arrays too
    L = train_step(model, X_XOR.tolist(), Y_XOR.tolist(), loss="bce", optimizer=opt)
    assert L == train_step(mlp([2, 4, 1]), X_XOR, Y_XOR, loss="bce", optimizer=SGD(0.1))


def test_train_step_errors_are_still_friendly():
    with pytest.raises(ValueError, match=r"unknown loss 'hinge'"):
        train_step(mlp([2, 1]), X_XOR, Y_XOR, loss="hinge", optimizer=SGD(0.1))
    with pytest.raises(TypeError, match=r"optimizer must be an optimizer object"):
        train_step(mlp([2, 1]), X_XOR, Y_XOR.astype(float), optimizer="sgd")


# ---- fit: learning -----------------------------------------------------------------------

def test_fit_learns_xor():
    model = mlp([2, 8, 1], activation="tanh", seed=0)
    history = fit(model, X_XOR, Y_XOR, loss="bce", lr=0.5, epochs=500)
    assert history.epochs == 500 and len(history.accuracy) == 500
    assert history.loss[-1] < history.loss[0] / 20
    assert all(b <= a + 1e-12 for a, b in zip(history.loss[100:], history.loss[101:]))
    assert history.accuracy[-1] == 1.0
    assert accuracy(model, X_XOR, Y_XOR) == 1.0
    np.testing.assert_array_equal(predict(model, X_XOR), Y_XOR)


@pytest.mark.parametrize("optimizer, lr", [("momentum", 0.1), ("adam", 0.05)])
def test_fit_with_other_optimizers_and_mini_batches(optimizer, lr):
    X, y = three_clouds()
    model = mlp([2, 8, 3], activation="relu", seed=1)
    history = fit(model, X, y, loss="softmax_ce", optimizer=optimizer, lr=lr,
                  epochs=30, batch_size=16)
    assert history.loss[-1] < 0.2 * history.loss[0]
    assert accuracy(model, X, y, loss="softmax_ce") >= 0.95
    assert predict(model, X, loss="softmax_ce").shape == (60,)


def test_fit_regression_with_mse():
    X, y = line_data()
    model = Dense(1, 1)                   # one layer is a model too
    history = fit(model, X, y, loss="mse", lr=0.1, epochs=200)
    assert history.accuracy == []         # no accuracy for regression
    np.testing.assert_allclose(model.W, [[2.0]], atol=1e-6)
    np.testing.assert_allclose(model.b, [1.0], atol=1e-6)
    np.testing.assert_allclose(predict(model, X, loss="mse")[:, 0], y, atol=1e-5)


def test_fit_updates_the_models_own_arrays():
    model = mlp([2, 4, 1])
    before = model.parameters()
    copies = [p.copy() for p in before]
    fit(model, X_XOR, Y_XOR, epochs=3)
    assert all(p is q for p, q in zip(before, model.parameters()))
    assert not np.array_equal(before[0], copies[0])


def test_y_as_n_or_n_by_1_trains_identically():
    a, b = mlp([2, 4, 1]), mlp([2, 4, 1])
    ha = fit(a, X_XOR, Y_XOR, epochs=20)
    hb = fit(b, X_XOR, Y_XOR.reshape(-1, 1), epochs=20)
    assert ha.loss == hb.loss


def test_test_set_is_evaluated_every_epoch():
    X, y = three_clouds()
    history = fit(mlp([2, 6, 3]), X[::2], y[::2], loss="softmax_ce", lr=0.3, epochs=15,
                  X_test=X[1::2], y_test=y[1::2])
    assert len(history.test_loss) == len(history.test_accuracy) == 15
    assert history.test_loss[-1] < history.test_loss[0]
    assert 0.0 <= min(history.test_accuracy) and max(history.test_accuracy) <= 1.0


# ---- fit: determinism, callback, progress ----------------------------------------------------

def test_same_seed_gives_identical_weights_and_history():
    X, y = three_clouds()
    runs = []
    for _ in range(2):
        model = mlp([2, 5, 3], seed=3)
        history = fit(model, X, y, loss="softmax_ce", optimizer="adam", lr=0.01,
                      epochs=5, batch_size=7, seed=11)
        runs.append((model.parameters(), history))
    (p1, h1), (p2, h2) = runs
    assert h1 == h2
    for a, b in zip(p1, p2):
        np.testing.assert_array_equal(a, b)
    other = fit(mlp([2, 5, 3], seed=3), X, y, loss="softmax_ce", optimizer="adam", lr=0.01,
                epochs=5, batch_size=7, seed=12)
    assert other.loss != h1.loss          # a different shuffle


def test_callback_sees_every_epoch_and_can_stop_training():
    seen = []

    def callback(epoch, history):
        seen.append((epoch, len(history.loss)))
        if epoch == 3:
            return False
        return None                        # None does not stop

    history = fit(mlp([2, 4, 1]), X_XOR, Y_XOR, epochs=100, callback=callback)
    assert seen == [(1, 1), (2, 2), (3, 3)]
    assert history.epochs == 3 and history.stopped_early


def test_callback_can_change_the_learning_rate():
    opt = SGD(0.1)
    rates = []

    def callback(epoch, history):
        rates.append(opt.lr)
        opt.lr = 0.1 * (epoch + 1)

    fit(mlp([2, 4, 1]), X_XOR, Y_XOR, optimizer=opt, epochs=3, callback=callback)
    assert rates == [0.1, 0.2, 0.30000000000000004]


def test_progress_lines(capsys):
    fit(mlp([2, 4, 1]), X_XOR, Y_XOR, epochs=20, progress=True)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[0] for line in lines] == [f"epoch {e}/20" for e in range(2, 21, 2)]
    assert all(line.split("  ")[1].startswith("loss ") for line in lines)
    fit(mlp([2, 4, 1]), X_XOR, Y_XOR, epochs=499)               # "auto": quiet below 500
    assert capsys.readouterr().out == ""
    fit(mlp([2, 4, 1]), X_XOR, Y_XOR, epochs=500)               # "auto": 10 lines from 500
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 10 and out[0].startswith("epoch 50/500  loss ")


# ---- divergence ------------------------------------------------------------------------------

def test_huge_learning_rate_raises_training_diverged_without_warnings():
    X, y = line_data()
    # pytestmark turns any RuntimeWarning into a failure: none may leak out.
    with pytest.raises(TrainingDiverged, match=r"loss became (inf|nan) at epoch \d+: "
                                                r"the learning rate 5\.0 is probably too large"):
        fit(Dense(1, 1), X, y, loss="mse", lr=5.0, epochs=1000)


def test_training_diverged_is_an_arithmetic_error():
    assert issubclass(TrainingDiverged, ArithmeticError)


# ---- fit validates once, up front ---------------------------------------------------------------

def test_fit_validates_once_not_per_epoch(monkeypatch):
    calls = []
    real = validate.as_array

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(validate, "as_array", counting)
    fit(mlp([2, 4, 1]), X_XOR, Y_XOR, epochs=1)
    once = len(calls)
    calls.clear()
    fit(mlp([2, 4, 1]), X_XOR, Y_XOR, epochs=50, batch_size=2)
    assert len(calls) == once == 2         # X and y


# ---- bad input ---------------------------------------------------------------------------------

M = mlp([2, 4, 1])
M3 = mlp([2, 4, 3])
X3, Y3 = three_clouds(5)
NAN_X = X_XOR.copy()
NAN_X[1, 0] = np.nan


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(X=X_XOR[:, 0]), ValueError, r"X must be a 2-D array of shape \(n_samples, n_features\)"),
    (dict(X=np.ones((4, 3))), ValueError, r"X has 3 features \(columns\) but the model expects 2"),
    (dict(y=Y_XOR[:3]), ValueError, r"X and y must have the same number of samples"),
    (dict(X=NAN_X), ValueError, r"X contains NaN or infinity"),
    (dict(y=np.array([0, 1, np.inf, 0])), ValueError, r"y contains NaN or infinity"),
    (dict(y=np.array([0, 1, 2, 0])), ValueError, r"y for loss 'bce' must hold labels 0 or 1"),
    (dict(y=np.zeros((4, 2))), ValueError, r"y must have shape \(n_samples,\) or \(n_samples, 1\)"),
    (dict(X="data"), TypeError, r"X must be an array of numbers"),
    (dict(lr=0), ValueError, r"lr must be a positive number, got 0"),
    (dict(lr=-0.5), ValueError, r"lr must be a positive number"),
    (dict(epochs=0), ValueError, r"epochs must be at least 1, got 0"),
    (dict(epochs=2.5), TypeError, r"epochs must be a whole number"),
    (dict(batch_size=0), ValueError, r"batch_size must be at least 1, got 0"),
    (dict(loss="hinge"), ValueError, r"unknown loss 'hinge'"),
    (dict(optimizer="rmsprop"), ValueError, r"unknown optimizer 'rmsprop'"),
    (dict(model="mlp"), TypeError, r"model must be a Sequential or Dense"),
    (dict(X_test=X_XOR), ValueError, r"X_test and y_test must be given together"),
    (dict(X_test=X_XOR, y_test=Y_XOR[:2]), ValueError, r"X_test and y_test must have the same number"),
    (dict(X_test=np.ones((4, 5)), y_test=Y_XOR), ValueError, r"X_test has 5 features"),
    (dict(callback="print"), TypeError, r"callback must be a function"),
    (dict(progress="yes"), ValueError, r"progress must be True, False or 'auto'"),
    (dict(model=M3, X=X3, y=Y3 + 1, loss="softmax_ce"), ValueError,
     r"y for loss 'softmax_ce' must hold whole-number class labels from 0 to 2"),
    (dict(model=M3, X=X3, y=Y3 + 0.5, loss="softmax_ce"), ValueError, r"y for loss 'softmax_ce'"),
    (dict(loss="softmax_ce"), ValueError, r"loss 'softmax_ce' needs a model with at least 2 outputs"),
])
def test_fit_bad_arguments_are_named(kwargs, error, match):
    args = dict(model=M, X=X_XOR, y=Y_XOR, epochs=2)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        fit(**args)


def test_predict_and_accuracy_check_their_input():
    with pytest.raises(ValueError, match=r"X has 3 features"):
        predict(M, np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"accuracy needs a classification loss"):
        accuracy(M, X_XOR, Y_XOR, loss="mse")
    with pytest.raises(ValueError, match=r"X and y must have the same number of samples"):
        accuracy(M, X_XOR, Y_XOR[:2])


def test_optimizer_object_keeps_its_own_lr():
    opt = Momentum(lr=0.05)
    fit(mlp([2, 4, 1]), X_XOR, Y_XOR, optimizer=opt, lr=123.0, epochs=2)
    assert opt.lr == 0.05
    assert isinstance(make_optimizer(Adam(), 1.0), Adam)


def test_predict_proba_is_sigmoid_of_the_logits_and_agrees_with_predict():
    from nnlib.data import xor_clouds
    from nnlib.layers import mlp
    from nnlib.train import predict, predict_proba

    X, _ = xor_clouds(n=20, seed=3)
    model = mlp([2, 4, 1], seed=1)
    p = predict_proba(model, X)
    z = model.forward(X)[:, 0]
    assert p.shape == (20,)
    np.testing.assert_allclose(p, 1 / (1 + np.exp(-z)))
    np.testing.assert_array_equal(predict(model, X), (p > 0.5).astype(int))
    three = mlp([2, 4, 3], seed=1)
    P = predict_proba(three, X, loss="softmax_ce")
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="unknown loss 'mse'"):
        predict_proba(model, X, loss="mse")


# ---- error messages that say what the learner did -------------------------------------------

def test_y_shape_message_shows_the_shape_given_and_the_shape_needed():
    two_outputs = mlp([2, 4, 2])
    # bce with 2 outputs and 1-D labels: (n_samples,) is not allowed, and the
    # message reports (4,) as passed, not the column (4, 1) made from it
    for call in (lambda: fit(two_outputs, X_XOR, Y_XOR, loss="bce", epochs=1),
                 lambda: accuracy(two_outputs, X_XOR, Y_XOR)):
        with pytest.raises(ValueError) as info:
            call()
        assert str(info.value) == (
            "y must have shape (n_samples, 2) to match the model's 2 outputs, got shape (4,) "
            "(for class labels 0..1 use loss='softmax_ce')")
    with pytest.raises(ValueError) as info:
        fit(two_outputs, X_XOR, Y_XOR, loss="mse", epochs=1)
    assert str(info.value) == ("y must have shape (n_samples, 2) to match the model's "
                               "2 outputs, got shape (4,)")
    with pytest.raises(ValueError) as info:
        fit(mlp([2, 4, 1]), X_XOR, np.zeros((4, 3)), epochs=1)
    assert str(info.value) == ("y must have shape (n_samples,) or (n_samples, 1) to match "
                               "the model's 1 output, got shape (4, 3)")


def test_an_optimizer_class_without_brackets_is_named():
    for opt_class in (Adam, SGD):
        name = opt_class.__name__
        match = (rf"optimizer must be an optimizer object such as {name}\(lr=0.01\), "
                 rf"not the class {name} itself: add the brackets")
        with pytest.raises(TypeError, match=match):
            fit(mlp([2, 4, 1]), X_XOR, Y_XOR, optimizer=opt_class, epochs=1)
        with pytest.raises(TypeError, match=match):
            train_step(mlp([2, 4, 1]), X_XOR, Y_XOR, optimizer=opt_class)


@pytest.mark.parametrize("progress", [1, 0, 1.0, None, "True"])
def test_progress_accepts_only_true_false_or_auto(progress, capsys):
    with pytest.raises(ValueError, match=rf"progress must be True, False or 'auto', got "
                                         rf"{re.escape(repr(progress))}"):
        fit(mlp([2, 4, 1]), X_XOR, Y_XOR, epochs=10, progress=progress)
    assert capsys.readouterr().out == ""


def test_progress_accepts_numpy_booleans(capsys):
    fit(mlp([2, 4, 1]), X_XOR, Y_XOR, epochs=10, progress=np.True_)
    assert len(capsys.readouterr().out.splitlines()) == 10
    fit(mlp([2, 4, 1]), X_XOR, Y_XOR, epochs=500, progress=np.False_)
    assert capsys.readouterr().out == ""


def test_lr_is_not_used_or_checked_with_an_optimizer_object():
    # fit's docstring: an optimizer object keeps its own lr; `lr` is then not used
    runs = [fit(mlp([2, 4, 1]), X_XOR, Y_XOR, optimizer=SGD(0.5), lr=lr, epochs=20).loss
            for lr in (0.1, 0, -3.0)]
    assert runs[0] == runs[1] == runs[2]
    assert runs[0][-1] < runs[0][0]              # it did train, at SGD's lr 0.5
    with pytest.raises(ValueError, match=r"lr must be a positive number, got 0"):
        fit(mlp([2, 4, 1]), X_XOR, Y_XOR, optimizer="sgd", lr=0, epochs=1)


# ---- what History records, measured on a model that does not move ---------------------------

class Frozen:
    """An optimizer object that leaves every weight as it is, so each epoch's numbers
    can be compared with the loss and accuracy of the unchanged model."""
    lr = 0.1

    def step(self, params, grads):
        pass


@pytest.mark.parametrize("batch_size", [None, 7, 60, 100])
def test_history_loss_and_accuracy_are_means_over_every_training_sample(batch_size):
    """The epoch's loss is the mean over all n samples: mini-batch means weighted by their
    sizes (60 = 8 x 7 + 4: a smaller last batch counts less), none left out."""
    from nnlib.losses import softmax_cross_entropy

    X, y = three_clouds()                    # 60 samples
    model = mlp([2, 5, 3], seed=2)
    expected_loss = softmax_cross_entropy(model.forward(X), y)
    expected_accuracy = accuracy(model, X, y, loss="softmax_ce")
    assert 0 < expected_accuracy < 1         # a mix of right and wrong, so the share is tested
    history = fit(model, X, y, loss="softmax_ce", optimizer=Frozen(), epochs=2,
                  batch_size=batch_size)
    assert history.loss == pytest.approx([expected_loss] * 2, rel=1e-12)
    assert history.accuracy == pytest.approx([expected_accuracy] * 2, rel=1e-12)


def test_test_accuracy_is_a_share_of_the_test_set_not_of_the_training_set():
    from nnlib.losses import softmax_cross_entropy

    X, y = three_clouds()
    X_test, y_test = X[:15] + 0.3, y[:15]         # 15 test samples against 60 training ones
    model = mlp([2, 5, 3], seed=2)
    history = fit(model, X, y, loss="softmax_ce", optimizer=Frozen(), epochs=1,
                  X_test=X_test, y_test=y_test)
    assert history.test_accuracy == [accuracy(model, X_test, y_test, loss="softmax_ce")]
    assert history.test_loss == pytest.approx([softmax_cross_entropy(model.forward(X_test), y_test)])


def test_a_logit_of_exactly_0_is_class_0_in_predict_accuracy_and_history():
    """predict's docstring: class 1 where the logit z > 0, else 0.  A model whose weights
    are all 0 outputs z = 0 for every point: all class 0, in every place that counts."""
    model = mlp([2, 3, 1])
    for p in model.parameters():
        p[...] = 0.0
    y = np.array([0, 1, 1, 1])
    np.testing.assert_array_equal(predict(model, X_XOR), [0, 0, 0, 0])
    assert accuracy(model, X_XOR, y) == 0.25
    assert fit(model, X_XOR, y, optimizer=Frozen(), epochs=1).accuracy == [0.25]


def test_confusion_matrix_rows_are_the_true_classes_columns_the_predictions():
    from nnlib.train import confusion_matrix

    C = confusion_matrix([0, 0, 1, 2, 2, 2], [1, 0, 2, 2, 2, 0], 3)
    # class 0: once right, once called 1; class 1: called 2; class 2: twice right, once called 0
    np.testing.assert_array_equal(C, [[1, 1, 0],
                                      [0, 0, 1],
                                      [1, 0, 2]])
    assert C.dtype.kind == "i"


def test_weights_that_blow_up_in_the_very_last_update_raise_training_diverged():
    """The loss of epoch 1 is measured before the update, so it is finite; the update
    with lr = 1e308 then sends the weight to infinity: fit must not return that model."""
    X, y = line_data()
    with pytest.raises(TrainingDiverged, match=r"the weights became NaN or infinite at epoch 1"):
        fit(Dense(1, 1), X, y, loss="mse", lr=1e308, epochs=1)


def test_accuracy_with_several_bce_outputs_is_a_fraction_of_samples():
    """A model with k yes/no outputs: a sample is right when all k answers are.  Counting
    every right output and dividing by the number of samples gave 1.66 (a review found it)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2))
    Y = np.eye(3)[np.arange(50) % 3]
    model = mlp([2, 4, 3], seed=0)
    Z = model.forward(X)
    expected = np.mean(np.all((Z > 0) == (Y == 1), axis=1))
    assert accuracy(model, X, Y) == pytest.approx(expected)
    trained = mlp([2, 8, 3], seed=0)
    history = fit(trained, X, Y, epochs=200, lr=1.0, progress=False, X_test=X, y_test=Y)
    assert all(0 <= a <= 1 for a in history.accuracy + history.test_accuracy)
    assert history.test_accuracy[-1] == pytest.approx(accuracy(trained, X, Y))


def test_the_input_limit_says_what_really_happens_beyond_it(monkeypatch):
    import nnlib.train as train
    X = X_XOR - 0.5
    with pytest.raises(ValueError, match=r"X has values as large as 2e\+150.*scale them") as error:
        fit(mlp([2, 8, 1]), X * 4e150, Y_XOR, epochs=2)
    # Lifted, the limit shows why it is there, and why it is not "whatever the learning rate":
    monkeypatch.setattr(train, "MAX_INPUT", np.inf)
    # beyond sqrt(1.8e308) = 1.3e154 the first squared error overflows, even at lr = 1e-300 ...
    with pytest.raises(TrainingDiverged, match=r"at epoch 1:"):
        fit(Dense(2, 1), X * 1e156, Y_XOR, loss="mse", lr=1e-300, epochs=3)
    # ... but a tanh network saturates and stays finite at 2e150 (so does a tiny lr),
    history = fit(mlp([2, 8, 1]), X * 4e150, Y_XOR, lr=0.1, epochs=20)
    assert all(np.isfinite(history.loss))
    history = fit(Dense(2, 1), X * 4e150, Y_XOR, loss="mse", lr=1e-300, epochs=3)
    assert all(np.isfinite(history.loss))
    # ... so the refusal does not claim an overflow whatever the learning rate.
    assert "whatever the learning rate" not in str(error.value)


def test_train_step_without_an_optimizer_says_one_is_needed_and_how_to_make_it():
    model = mlp([2, 1])
    before = [p.copy() for p in model.parameters()]
    for call in (lambda: train_step(model, X_XOR, Y_XOR),
                 lambda: train_step(model, X_XOR, Y_XOR, "bce"),
                 lambda: train_step(model, X_XOR, Y_XOR, optimizer=None)):
        with pytest.raises(TypeError, match=r"train_step needs an optimizer.*SGD\(lr=0.1\)"):
            call()
    assert all(np.array_equal(p, q) for p, q in zip(model.parameters(), before))
    # the advice works as written, and the positional loss still does
    optimizer = SGD(lr=0.1)
    L = train_step(model, X_XOR, Y_XOR, "bce", optimizer)
    assert np.isfinite(L) and not np.array_equal(model.parameters()[0], before[0])
