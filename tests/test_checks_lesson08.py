"""The checks of exercises/08-handwritten-digits.ipynb: right answers pass, stubs say "not
implemented yet", and plausible wrong answers are caught with the failing case and a fitting hint."""
import numpy as np
import pytest

from nnlib.checks import lesson08 as check
from nnlib.checks.base import NotImplementedYet
from nnlib.data import digits
from nnlib.layers import mlp
from nnlib.losses import softmax_cross_entropy, softmax_cross_entropy_grad
from nnlib.optim import SGD, Momentum
from nnlib.train import fit, train_step
from tests.check_helpers import failure, stub


@pytest.mark.parametrize("check_fn", [check.softmax, check.softmax_ce_grad, check.train_digits,
                                      check.confusion_matrix])
def test_untouched_stub_is_not_implemented_yet(check_fn):
    with pytest.raises(NotImplementedYet, match="not implemented yet") as info:
        check_fn(stub)
    assert len(info.value._render_traceback_()) == 1


# ---- task 1: softmax -------------------------------------------------------------

def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def test_softmax_right_answers_pass(capsys):
    check.softmax(softmax)

    def by_rows(Z):  # a loop over the samples, in plain Python lists
        rows = []
        for z in Z.tolist():
            m = max(z)
            e = [np.exp(v - m) for v in z]
            rows.append([v / sum(e) for v in e])
        return np.array(rows)
    check.softmax(by_rows)

    def exp_of_negatives_only(Z):  # -(max - Z) <= 0: the same shift, written another way
        E = np.exp(-(Z.max(axis=1, keepdims=True) - Z))
        return E / E.sum(axis=1, keepdims=True)
    check.softmax(exp_of_negatives_only)
    out = capsys.readouterr().out
    assert out.count("softmax: right — 9 cases") == 3


@pytest.mark.parametrize("shift", [
    lambda Z: Z.min(axis=1, keepdims=True),
    lambda Z: Z.mean(axis=1, keepdims=True),
    lambda Z: Z[:, :1],
])
def test_softmax_shifted_by_another_value_than_the_max_is_caught(shift):
    # right on rows that are all large or all very negative, but exp(Z - m) overflows on a row
    # from -1000 to 1000 unless m is the row's max: [[0, nan, nan]] passed the check once
    def shifted(Z):
        E = np.exp(Z - shift(Z))
        return E / E.sum(axis=1, keepdims=True)
    text = failure(check.softmax, shifted)
    assert text.startswith("softmax(Z): one row from -1000 to 1000")
    assert "nan" in text.split("got:")[1]
    assert "subtract the row's MAX" in text and "every exponent is <= 0" in text


def shift_in_place(Z):
    Z -= Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)


def all_in_place(Z):
    Z -= Z.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
    return Z


@pytest.mark.parametrize("softmax_in_place", [shift_in_place, all_in_place])
def test_softmax_changing_Z_in_place_is_caught_though_its_values_are_right(softmax_in_place):
    # Z -= Z.max(...) changes the caller's logits: task 2's check (which calls softmax) then told
    # a right softmax_ce_grad that IT changed its input; now task 1 says so, naming the cause
    text = failure(check.softmax, softmax_in_place)
    assert text.startswith("softmax(Z): three logits")
    assert "your answer is right, but it changed Z in place" in text
    assert "Z -= " in text and "Z = Z - Z.max(axis=1, keepdims=True)" in text


@pytest.mark.parametrize("wrong, case, hint", [
    (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True), "large logits, 1000 and more",
     "subtract each row's largest logit first"),
    (lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=1, keepdims=True),
     "rows on very different scales", "not the largest of the whole array"),
    (lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True))
     / np.exp(Z - Z.max(axis=1, keepdims=True)).sum(axis=0, keepdims=True),
     "three logits", "axis=0 adds up one class over the samples"),
    (lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)), "three logits", "divide by the row's sum"),
    (lambda Z: 1 / (1 + np.exp(-Z)), "three logits", "that is the sigmoid"),
    (lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)) / np.exp(Z - Z.max(axis=1, keepdims=True)).sum(),
     "two samples, four classes", "each row's own sum"),
    (lambda Z: (Z - Z.min(axis=1, keepdims=True)) / (Z - Z.min(axis=1, keepdims=True)).sum(
        axis=1, keepdims=True), "three logits", "exp() of the (shifted) logits"),
])
def test_softmax_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.softmax, wrong)
    assert text.startswith(f"softmax(Z): {case}")
    assert "expected:" in text and "got:" in text and hint in text


def test_softmax_a_warning_behind_a_right_answer_is_reported():
    def overflows_on_the_way(Z):  # the answer is right, but an unused exp(Z) overflowed
        np.exp(Z)
        return softmax(Z)
    text = failure(check.softmax, overflows_on_the_way)
    assert "large logits" in text and "numpy warned" in text and "overflow" in text


def test_softmax_broadcast_crash_gets_the_keepdims_hint():
    text = failure(check.softmax, lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True))
                   / np.exp(Z - Z.max(axis=1, keepdims=True)).sum(axis=1))
    assert "two samples, four classes" in text and "raised ValueError" in text
    assert "keepdims=True" in text


# ---- task 2: softmax_ce_grad -------------------------------------------------------

def one_hot(y, k):
    Y = np.zeros((len(y), k))
    Y[np.arange(len(y)), y] = 1
    return Y


def grad(Z, y):
    return (softmax(Z) - one_hot(y, Z.shape[1])) / len(Z)


def test_softmax_ce_grad_right_answers_pass(capsys):
    check.softmax_ce_grad(grad)
    check.softmax_ce_grad(lambda Z, y: (softmax(Z) - np.eye(Z.shape[1])[y]) / Z.shape[0])

    def subtract_in_place(Z, y):
        P = softmax(Z)
        P[np.arange(len(y)), y] -= 1
        return P / len(y)
    check.softmax_ce_grad(subtract_in_place)
    assert capsys.readouterr().out.count("softmax_ce_grad: right — 5 cases") == 3


@pytest.mark.parametrize("wrong, case, hint", [
    (lambda Z, y: softmax(Z) - one_hot(y, Z.shape[1]), "four samples", "a 1/n: (P - Y) / n"),
    (lambda Z, y: (one_hot(y, Z.shape[1]) - softmax(Z)) / len(Z), "one sample", "the sign"),
    (lambda Z, y: softmax(Z) / len(Z), "one sample", "subtract the one-hot targets"),
    (lambda Z, y: (softmax(Z) - y.reshape(-1, 1)) / len(Z), "one sample",
     "y holds class NUMBERS"),
    (lambda Z, y: (softmax(Z) - one_hot(y, Z.shape[1])) / Z.size, "one sample", "not by Z.size"),
    (lambda Z, y: (softmax(Z) - one_hot(y, Z.shape[1])) / Z.shape[1], "one sample",
     "divide by n, the number of samples"),
    (lambda Z, y: (np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True) - one_hot(y, Z.shape[1]))
     / len(Z), "large logits", "use a stable softmax"),
])
def test_softmax_ce_grad_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.softmax_ce_grad, wrong)
    assert text.startswith(f"softmax_ce_grad(Z, y): {case}")
    assert "expected:" in text or "numpy warned" in text
    if hint:
        assert hint in text


def test_softmax_ce_grad_is_the_gradient_of_the_loss():
    """The reference really is dL/dZ: compare with a finite difference of the loss."""
    for label, Z, y in check.GRAD_CASES[:3]:
        G = softmax_cross_entropy_grad(Z, y)
        h = 1e-6
        for i, c in [(0, 0), (len(Z) - 1, Z.shape[1] - 1)]:
            Zp, Zm = Z.copy(), Z.copy()
            Zp[i, c] += h
            Zm[i, c] -= h
            slope = (softmax_cross_entropy(Zp, y) - softmax_cross_entropy(Zm, y)) / (2 * h)
            assert abs(slope - G[i, c]) < 1e-6, label


# ---- task 3: train_digits ----------------------------------------------------------

def train_digits(X, y, hidden, lr, epochs, batch_size, seed, *, shuffle=True, fresh_rng=False,
                 after=False, per_epoch=False, drop_last=False, sign=1.0, loss_grad=grad,
                 shuffle_in_place=False):
    """The right loop, with switches for the ways learners go wrong."""
    model = mlp([X.shape[1], hidden, 10], seed=seed)
    rng = np.random.default_rng(seed)
    losses, n = [], len(X)
    order = np.arange(n)
    for _ in range(epochs):
        if fresh_rng:
            rng = np.random.default_rng(seed)
        if shuffle_in_place:
            rng.shuffle(order)
        else:
            order = rng.permutation(n) if shuffle else np.arange(n)
        stop = n - n % batch_size if drop_last else n
        epoch_losses = []
        for start in range(0, stop, batch_size):
            batch = order[start:start + batch_size]
            Z = model.forward(X[batch])
            L = softmax_cross_entropy(Z, y[batch])
            model.backward(loss_grad(Z, y[batch]))
            for p, g in zip(model.parameters(), model.gradients()):
                p -= sign * lr * g
            epoch_losses.append(softmax_cross_entropy(model.forward(X[batch]), y[batch]) if after else L)
        losses += [np.mean(epoch_losses)] if per_epoch else epoch_losses
    return model, losses


def test_the_reference_takes_the_steps_of_fit():
    X_train, _, y_train, _ = digits()
    settings = check.FULL_RUN
    ours, losses = check._train_reference(X_train, y_train, *settings.values())
    fitted = mlp([64, settings["hidden"], 10], seed=settings["seed"])
    history = fit(fitted, X_train, y_train, loss="softmax_ce", lr=settings["lr"],
                  epochs=settings["epochs"], batch_size=settings["batch_size"], seed=settings["seed"],
                  progress=False)
    for a, b in zip(ours.parameters(), fitted.parameters()):
        assert np.allclose(a, b, rtol=1e-10, atol=1e-12)
    per_epoch = -(-len(X_train) // settings["batch_size"])
    assert len(losses) == settings["epochs"] * per_epoch
    # fit's epoch loss is the batches' losses weighted by their sizes
    sizes = [min(settings["batch_size"], len(X_train) - s) for s in range(0, len(X_train), settings["batch_size"])]
    first_epoch = np.dot(losses[:per_epoch], sizes) / len(X_train)
    assert np.isclose(first_epoch, history.loss[0])


def test_train_digits_right_answers_pass(capsys):
    check.train_digits(train_digits)

    def with_train_step(X, y, hidden, lr, epochs, batch_size, seed):
        model, optimizer, rng = mlp([X.shape[1], hidden, 10], seed=seed), SGD(lr), np.random.default_rng(seed)
        losses = []
        for _ in range(epochs):
            Xs, ys = X[(order := rng.permutation(len(X)))], y[order]
            losses += [train_step(model, Xs[i:i + batch_size], ys[i:i + batch_size], "softmax_ce", optimizer)
                       for i in range(0, len(X), batch_size)]
        return model, losses
    check.train_digits(with_train_step, full_run=False)
    out = capsys.readouterr().out
    assert "train_digits: right — 4 runs match step for step; on all training digits" in out
    assert "the network reads 97.6% of the test digits" in out


CASE1 = "train_digits(X, y, hidden=16, lr=0.5, epochs=3, batch_size=25, seed=0) on 100 digits"


@pytest.mark.parametrize("wrong, case, hint", [
    (dict(shuffle=False), CASE1, "shuffle every epoch"),
    (dict(shuffle_in_place=True), CASE1, "rng.shuffle(order) every epoch is a fair shuffle too, but it "
                                         "draws other batches than the task's loop"),
    (dict(fresh_rng=True), CASE1, "make the random generator ONCE"),
    (dict(after=True), CASE1, "BEFORE the update"),
    (dict(per_epoch=True), CASE1, "one loss per BATCH, not per epoch"),
    (dict(sign=-1.0), CASE1, "your update climbs uphill"),
    (dict(loss_grad=lambda Z, y: -grad(Z, y)), CASE1, "probabilities minus targets"),
    (dict(sign=-1.0), CASE1, "W = W - lr * dW"),
    (dict(drop_last=True), "train_digits(X, y, hidden=8, lr=0.3, epochs=2, batch_size=30, seed=1)",
     "the last, smaller batch is missing"),
    (dict(loss_grad=lambda Z, y: grad(Z, y) * len(Z)), CASE1, "Does your softmax_ce_grad divide by n"),
])
def test_train_digits_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.train_digits, lambda *a: train_digits(*a, **wrong), full_run=False)
    assert text.startswith(case) and hint in text
    assert "expected losses:" in text and "got losses:" in text


def test_train_digits_with_a_gradient_missing_its_1_over_n_names_task_2():
    # the learner's softmax_ce_grad returns softmax(Z) - Y (no / n): the steps are batch_size
    # times too large; the hint once blamed the optimizer, the batches or the shuffling
    def softmax_ce_grad(Z, y):
        P = softmax(Z)
        P[np.arange(len(y)), y] -= 1
        return P

    text = failure(check.train_digits, lambda *a: train_digits(*a, loss_grad=softmax_ce_grad),
                   full_run=False)
    assert text.startswith(CASE1) and "first difference at step 2" in text
    assert "each step is as many times too large as its batch has samples" in text
    assert "divide by n" in text and "task 2" in text
    assert "the first step agrees" not in text


def test_train_digits_another_optimizer_or_seed_is_caught():
    def momentum(X, y, hidden, lr, epochs, batch_size, seed):
        model, optimizer, rng = mlp([X.shape[1], hidden, 10], seed=seed), Momentum(lr), np.random.default_rng(seed)
        losses = []
        for _ in range(epochs):
            order = rng.permutation(len(X))
            for i in range(0, len(X), batch_size):
                b = order[i:i + batch_size]
                losses.append(train_step(model, X[b], y[b], "softmax_ce", optimizer))
        return model, losses
    text = failure(check.train_digits, momentum, full_run=False)
    assert text.startswith(CASE1) and "a later one does not" in text
    text = failure(check.train_digits, lambda X, y, h, lr, e, b, seed: train_digits(X, y, h, lr, e, b, 7),
                   full_run=False)
    assert text.startswith(CASE1) and "the very first loss differs" in text


@pytest.mark.parametrize("wrong, hint", [
    (lambda *a: train_digits(*a)[::-1], "the order: return (model, losses)"),
    (lambda *a: train_digits(*a)[1], "return two things"),
    (lambda *a: (mlp([64, a[2], 10], seed=a[6]), train_digits(*a)[1]), "not the trained one"),
    (lambda *a: (train_digits(*a)[0], []), "the list is empty"),
])
def test_train_digits_wrong_return_values_get_a_hint(wrong, hint):
    text = failure(check.train_digits, wrong, full_run=False)
    assert text.startswith(CASE1) and hint in text


def test_train_digits_a_binary_loss_crashes_with_a_report():
    def bce(X, y, hidden, lr, epochs, batch_size, seed):
        model = mlp([X.shape[1], hidden, 1], seed=seed)
        return model, [train_step(model, X, y, "bce", SGD(lr)) for _ in range(epochs)]
    text = failure(check.train_digits, bce, full_run=False)
    assert text.startswith(CASE1)


def test_train_digits_full_run_below_target_is_reported():
    # right on the short runs, but the long run trains only one epoch
    def lazy(X, y, hidden, lr, epochs, batch_size, seed):
        return train_digits(X, y, hidden, lr, epochs if len(X) < 1000 else 1, batch_size, seed)

    def truncated(X, y, hidden, lr, epochs, batch_size, seed):
        return train_digits(X[:60], y[:60], hidden, lr, epochs, batch_size, seed) if len(X) > 1000 \
            else train_digits(X, y, hidden, lr, epochs, batch_size, seed)
    for wrong, reached in [(truncated, "test accuracy"), (lazy, "test accuracy 57.9%")]:
        text = failure(check.train_digits, wrong)
        assert "on the 1,348 training digits" in text and "needed at least 95%" in text
        assert reached in text


# ---- task 4: confusion_matrix --------------------------------------------------------

def cm(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=int)
    for i, j in zip(y_true, y_pred):
        C[i, j] += 1
    return C


def test_confusion_matrix_right_answers_pass(capsys):
    check.confusion_matrix(cm)

    def with_add_at(y_true, y_pred, k):
        C = np.zeros((k, k))
        np.add.at(C, (y_true, y_pred), 1)
        return C
    check.confusion_matrix(with_add_at)
    check.confusion_matrix(lambda t, p, k: np.bincount(t * k + p, minlength=k * k).reshape(k, k))
    assert capsys.readouterr().out.count("confusion_matrix: right — 6 cases") == 3


@pytest.mark.parametrize("wrong, case, hint", [
    (lambda t, p, k: cm(t, p, k).T, "one 2 read as a 0", "Yours is the transpose"),
    (lambda t, p, k: cm(t, p, k) / len(t), "one 2 read as a 0", "do not divide by n"),
    (lambda t, p, k: cm(t, p, k) / np.maximum(cm(t, p, k).sum(axis=1, keepdims=True), 1),
     "one 2 read as a 0", "divide each row by its total"),
    (lambda t, p, k: cm(t, p, max(t.max(), p.max()) + 1), "a class that never occurs",
     "k x k even when some class never occurs"),
    (lambda t, p, k: np.diag(np.diag(cm(t, p, k))), "one 2 read as a 0", "count the mistakes too"),
    (lambda t, p, k: np.minimum(cm(t, p, k), 1), "one 2 read as a 0", "a cell that several samples share"),
])
def test_confusion_matrix_wrong_answers_name_the_case_and_the_mistake(wrong, case, hint):
    text = failure(check.confusion_matrix, wrong)
    assert text.startswith("confusion_matrix(y_true, y_pred, k=") and case in text.split("expected")[0]
    assert hint in text


def test_confusion_matrix_fancy_index_plus_equals_is_named():
    # C[y_true, y_pred] += 1 counts a repeated (i, j) once; the hint used to say "do not just
    # set C[i, j] = 1" to a learner who wrote += 1
    def fancy(y_true, y_pred, k):
        C = np.zeros((k, k), dtype=int)
        C[y_true, y_pred] += 1
        return C
    text = failure(check.confusion_matrix, fancy)
    assert text.startswith("confusion_matrix(y_true, y_pred, k=3): one 2 read as a 0")
    assert "C[y_true, y_pred] += 1" in text and "adds 1 only ONCE" in text
    assert "np.add.at(C, (y_true, y_pred), 1)" in text


def test_confusion_matrix_a_crash_names_the_case():
    text = failure(check.confusion_matrix, lambda t, p, k: np.zeros((k, k))[t.max() + 5])
    assert "raised IndexError" in text and "one 2 read as a 0" in text


@pytest.mark.parametrize("check_fn, answer", [
    (check.softmax, lambda Z: "probabilities"),
    (check.softmax, lambda Z: (v for v in Z)),
    (check.softmax_ce_grad, lambda Z, y: 10 ** 400),
    (check.train_digits, lambda *a: ("model", [1.0])),
    (check.confusion_matrix, lambda t, p, k: {"C": 1}),
])
def test_odd_answers_get_a_report_not_a_traceback(check_fn, answer):
    text = failure(check_fn, answer)
    assert text and "hint" in text or "could not be checked" in text


# ---- found by a mutation audit: behaviour no test pinned down ----------------

def test_softmax_wrong_and_in_place_says_both():
    def forgot_the_sum(Z):  # shifts Z in place, then forgets to divide by the row sums
        Z -= Z.max(axis=1, keepdims=True)
        return np.exp(Z)

    text = failure(check.softmax, forgot_the_sum)
    assert "hint: do not change Z in place (Z -= ... changes the caller's array): " in text


def test_train_digits_a_first_loss_far_from_log_10_is_not_blamed_on_the_shuffle():
    # Recording the batch's SUM of losses (25 times the mean): the first loss is about
    # 25 * log(10), not log(10), so the batches are not what differs.
    def summed_losses(X, y, hidden, lr, epochs, batch_size, seed):
        model, losses = train_digits(X, y, hidden, lr, epochs, batch_size, seed)
        return model, [batch_size * L for L in losses]

    text = failure(check.train_digits, summed_losses, full_run=False)
    assert text.startswith(CASE1) and "the very first loss differs" in text
    assert "use mlp([X.shape[1], hidden, 10], seed=seed)" in text and "softmax cross-entropy" in text
    assert "Shuffle with" not in text
