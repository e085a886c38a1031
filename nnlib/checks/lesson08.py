"""Checks for exercises/08-handwritten-digits.ipynb: a stable softmax, the gradient of
softmax cross-entropy, a mini-batch training loop on the digits, and a confusion matrix.

The notation of lesson 08 (a batch of n samples, k classes):

    softmax      P[i, c] = exp(Z[i, c] - m_i) / sum over j of exp(Z[i, j] - m_i),
                 m_i = the largest logit of row i (changes nothing, keeps exp() finite)
    loss         L = mean over i of -log P[i, y_i]
    gradient     dZ = (P - Y) / n, with Y the one-hot targets: Y[i, y_i] = 1
    training     each epoch: order = rng.permutation(n), batches of batch_size in that
                 order, and for each batch: forward, loss, backward, SGD step
    confusion    C[i, j] = how many samples of true class i were predicted as j

The right answers come from nnlib itself: nnlib.losses.softmax and
softmax_cross_entropy_grad, a loop taking exactly the steps of nnlib.train.fit,
and nnlib.train.confusion_matrix.
"""
import numpy as np

from nnlib.data import digits
from nnlib.layers import mlp
from nnlib.losses import softmax_cross_entropy, softmax_cross_entropy_grad
from nnlib.losses import softmax as _softmax
from nnlib.train import accuracy
from nnlib.train import confusion_matrix as _confusion_matrix

from .base import (CheckFailed, call, close, guarded, known_mistake, numbers, passed, quiet, show,
                   wrong_answer)
from .base import as_training_run, loss_curve

TARGET_ACCURACY = 0.95
# Task 3's full run: the lesson's settings, on the digits' training split.
FULL_RUN = {"hidden": 32, "lr": 0.5, "epochs": 40, "batch_size": 32, "seed": 0}


# -------------------------------------------------------------- task 1: softmax --

SOFTMAX_CASES = [
    ("three logits", np.array([[1.0, 2.0, 3.0]])),
    ("two samples, four classes", np.array([[0.5, -1.0, 2.0, 0.0], [3.0, 3.0, -2.0, 1.0]])),
    ("all logits equal: every class 1/k", np.array([[7.0, 7.0, 7.0, 7.0, 7.0]])),
    ("large logits, 1000 and more", np.array([[1000.0, 1001.0, 1002.0]])),
    ("very negative logits", np.array([[-1000.0, -1001.0, -999.0]])),
    ("rows on very different scales", np.array([[800.0, 801.0], [-800.0, -802.0]])),
    # only the row's max keeps every exponent <= 0 here: the min, the mean or the first
    # logit leave exponents of 1000 or 2000, and exp() overflows
    ("one row from -1000 to 1000", np.array([[-1000.0, 0.0, 1000.0]])),
    ("one class (k = 1)", np.array([[2.5], [-4.0]])),
    ("ten classes, five samples", np.round(np.random.default_rng(8).normal(0, 3, (5, 10)), 2)),
]

_SOFTMAX_MISTAKES = [
    (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True),
     "exp() of a large logit overflows to inf (exp(710) is already too big): subtract each "
     "row's largest logit first, Z - Z.max(axis=1, keepdims=True). It cancels out."),
    (lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=1, keepdims=True),
     "subtract each ROW's largest logit, Z.max(axis=1, keepdims=True), not the largest of the "
     "whole array: a row far below it becomes exp(-1600) = 0 everywhere, and 0 / 0 = nan."),
    (lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True))
     / np.exp(Z - Z.max(axis=1, keepdims=True)).sum(axis=0, keepdims=True),
     "each ROW must sum to 1 (one sample's k probabilities): .sum(axis=1, keepdims=True). "
     "axis=0 adds up one class over the samples."),
    (lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True))
     / np.exp(Z - Z.max(axis=1, keepdims=True)).sum(),
     "divide by each row's own sum, .sum(axis=1, keepdims=True): every row must sum to 1, "
     "not the whole array."),
    (lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)),
     "divide by the row's sum: the probabilities of one sample must add up to 1."),
    (lambda Z: 1 / (1 + np.exp(-Z)),
     "that is the sigmoid of each logit on its own; softmax compares the k logits of a row: "
     "exp(z_c) / sum over j of exp(z_j)."),
    (lambda Z: (Z - Z.min(axis=1, keepdims=True))
     / (Z - Z.min(axis=1, keepdims=True)).sum(axis=1, keepdims=True),
     "softmax takes exp() of the (shifted) logits before dividing by their sum."),
]


# Shifting by a value other than the row's max cancels out too, but keeps exp() finite only
# on rows whose logits are close together.
_SHIFT_HINT = ("subtract the row's MAX, Z.max(axis=1, keepdims=True): then every exponent is <= 0 "
               "and exp() stays between 0 and 1. Another value (the smallest logit, the mean, the "
               "first logit) leaves exponents of 1000 and more in this row, and exp(1000) = inf.")


def _shifted_softmax(Z, m):
    """exp(Z - m) over its row sums: softmax, if nothing overflows."""
    E = np.exp(Z - m)
    return E / E.sum(axis=1, keepdims=True)


_SHIFT_MISTAKES = [
    (lambda Z: _shifted_softmax(Z, Z.min(axis=1, keepdims=True)), _SHIFT_HINT),
    (lambda Z: _shifted_softmax(Z, Z.mean(axis=1, keepdims=True)), _SHIFT_HINT),
    (lambda Z: _shifted_softmax(Z, Z[:, :1]), _SHIFT_HINT),
]


def _same_with_nan(got, guess):
    """close(), where a nan in the same place counts as the same (a known overflow)."""
    got, guess = numbers(got), numbers(guess)
    return (got is not None and guess is not None and got.shape == guess.shape
            and bool(np.allclose(got, guess, rtol=1e-6, atol=1e-12, equal_nan=True)))


@guarded
def softmax(fn):
    """Check softmax(Z) -> P, each row of logits turned into probabilities summing to 1.

        P = exp(Z - m) / (row sums of exp(Z - m)),   m = Z.max(axis=1, keepdims=True)
    Cases: small rows, equal logits, logits of 1000 and -1000 (where a softmax without
    the max overflows), rows on very different scales, one row from -1000 to 1000 (where
    only the row's max, not its min, mean or first logit, keeps exp() finite), one class,
    ten classes.  Z must be left as it was: the caller (a loss, its gradient) still needs it.
    """
    task = "softmax"
    crash_hints = [("could not be broadcast", (
        "the row sums have shape (n,); to divide (n, k) by them keep them as a column: "
        ".sum(axis=1, keepdims=True) (and the same for .max)."))]
    for label, Z in SOFTMAX_CASES:
        expected = _softmax(Z)
        got, warning, changed = call(task, fn, (Z,), label=f"softmax(Z): {label}, Z = {show(Z)}",
                                     crash_hints=crash_hints, watch=True)
        head = f"softmax(Z): {label}\n  Z = {show(Z)}"
        if close(got, expected, rtol=1e-6, atol=1e-12):
            if warning:
                raise CheckFailed(f"{head}\n  your answer is right, but numpy warned: {warning}"
                                  "\n  hint: " + _SOFTMAX_MISTAKES[0][1])
            if 0 in changed:
                raise CheckFailed(f"{head}\n  your answer is right, but it changed Z in place: "
                                  f"the caller's Z is now {show(changed[0])}\n  hint: `Z -= ...` "
                                  "(or out=Z) changes the caller's logits, which the loss and its "
                                  "gradient still need: write Z = Z - Z.max(axis=1, keepdims=True), "
                                  "which makes a new array.")
            continue
        values = numbers(got)
        if values is not None and not np.all(np.isfinite(values)):
            hint = (known_mistake(got, (Z,), _SOFTMAX_MISTAKES[1:2] + _SHIFT_MISTAKES,
                                  _same_with_nan)
                    or _SOFTMAX_MISTAKES[0][1])
        else:
            hint = known_mistake(got, (Z,), _SOFTMAX_MISTAKES) or (
                "P = exp(Z - Z.max(axis=1, keepdims=True)), divided by its row sums "
                "(.sum(axis=1, keepdims=True)).")
        if 0 in changed:
            hint = "do not change Z in place (Z -= ... changes the caller's array): " + hint
        raise wrong_answer(head, expected, got, hint)
    passed(task, f"{len(SOFTMAX_CASES)} cases, rows sum to 1, even for logits of ±1000")


# ------------------------------------------------------- task 2: softmax_ce_grad --

def _grad_cases():
    rng = np.random.default_rng(80)
    Z3 = np.round(rng.normal(0, 2, (4, 3)), 2)
    Z10 = np.round(rng.normal(0, 3, (6, 10)), 2)
    return [
        ("one sample, three classes", np.array([[1.0, 2.0, 3.0]]), np.array([2])),
        ("four samples, three classes", Z3, np.array([2, 0, 1, 1])),
        ("six samples, ten classes", Z10, np.array([3, 9, 0, 3, 7, 1])),
        ("right and sure: gradient near 0", np.array([[20.0, 0.0], [0.0, 20.0]]), np.array([0, 1])),
        ("large logits", np.array([[1000.0, 990.0, 1001.0], [-5.0, 5.0, 0.0]]), np.array([1, 2])),
    ]


GRAD_CASES = _grad_cases()


def _one_hot(y, k):
    Y = np.zeros((len(y), k))
    Y[np.arange(len(y)), y] = 1.0
    return Y


_GRAD_MISTAKES = [
    (lambda Z, y: _softmax(Z) - _one_hot(y, Z.shape[1]),
     "the loss is a MEAN over the n samples, so its gradient has a 1/n: (P - Y) / n."),
    (lambda Z, y: (_one_hot(y, Z.shape[1]) - _softmax(Z)) / len(Z),
     "the sign: dZ = (P - Y) / n, probabilities minus targets (the loss falls when the right "
     "class's logit goes up, so its gradient there is negative)."),
    (lambda Z, y: _softmax(Z) / len(Z),
     "subtract the one-hot targets: Y has a 1 at each sample's true class, dZ = (P - Y) / n."),
    (lambda Z, y: (_softmax(Z) - y.reshape(-1, 1)) / len(Z),
     "y holds class NUMBERS; the formula needs one-hot rows Y (a 1 at column y_i, 0 elsewhere): "
     "Y = np.zeros_like(Z); Y[np.arange(n), y] = 1."),
    (lambda Z, y: (_softmax(Z) - _one_hot(y, Z.shape[1])) / Z.size,
     "divide by n, the number of samples (Z.shape[0] or len(Z)), not by Z.size = n * k "
     "(nor by the number of classes k)."),
    (lambda Z, y: (_softmax(Z) - _one_hot(y, Z.shape[1])) / Z.shape[1],
     "divide by n, the number of samples (Z.shape[0]), not by the number of classes k."),
    (lambda Z, y: (np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True) - _one_hot(y, Z.shape[1]))
     / len(Z),
     "exp() overflows for logits near 1000: use a stable softmax (your task 1, or subtract "
     "each row's largest logit first)."),
]


@guarded
def softmax_ce_grad(fn):
    """Check softmax_ce_grad(Z, y) -> dZ = (softmax(Z) - onehot(y)) / n.

    Against nnlib.losses.softmax_cross_entropy_grad, on one sample, 3 and 10 classes, a
    right and sure network (gradient near 0) and logits near 1000.
    """
    task = "softmax_ce_grad"
    for label, Z, y in GRAD_CASES:
        expected = softmax_cross_entropy_grad(Z, y)
        got, warning, changed = call(task, fn, (Z, y), label=f"softmax_ce_grad(Z, y): {label}",
                                     watch=True)
        head = f"softmax_ce_grad(Z, y): {label}\n  Z = {show(Z)}\n  y = {show(y)}"
        if close(got, expected, rtol=1e-6, atol=1e-12):
            if warning:
                raise CheckFailed(f"{head}\n  your answer is right, but numpy warned: {warning}"
                                  "\n  hint: " + _GRAD_MISTAKES[-1][1])
            if changed:
                raise CheckFailed(f"{head}\n  your answer is right, but it changed its input in "
                                  "place\n  hint: work on a copy (softmax returns a new array): "
                                  "the caller still needs Z and y. If your softmax does Z -= ..., "
                                  "it changes this Z too (check.softmax says so).")
            continue
        values = numbers(got)
        if values is not None and not np.all(np.isfinite(values)):
            hint = _GRAD_MISTAKES[-1][1]
        else:
            hint = known_mistake(got, (Z, y), _GRAD_MISTAKES) or (
                "dZ = (softmax(Z) - Y) / n, with Y the one-hot targets and n = len(Z).")
        raise wrong_answer(head, expected, got, hint)
    passed(task, f"{len(GRAD_CASES)} cases, the same dZ as nnlib's softmax_cross_entropy_grad")


# -------------------------------------------------------- task 3: train_digits --

def _train_reference(X, y, hidden, lr, epochs, batch_size, seed, *, shuffle="once",
                     after=False, sign=1.0, step=True, summed=False, drop_last=False,
                     model_seed=None):
    """The loop of the exercise (the steps of nnlib.train.fit); keywords turn on one mistake.

    summed: backward starts from P - Y, the gradient of the batch's SUMMED loss (no / n), as a
    softmax_ce_grad without its / n gives: each step is len(batch) times too large."""
    model = mlp([X.shape[1], hidden, 10], seed=seed if model_seed is None else model_seed)
    rng = np.random.default_rng(seed)
    n, losses = len(X), []
    order = np.arange(n)
    for _ in range(epochs):
        if shuffle == "once":
            order = rng.permutation(n)
        elif shuffle == "fresh":
            order = np.random.default_rng(seed).permutation(n)
        elif shuffle == "in place":     # the previous epoch's order, shuffled again
            rng.shuffle(order)
        stop = n - n % batch_size if drop_last and n % batch_size else n
        for start in range(0, stop, batch_size):
            batch = order[start:start + batch_size]
            Z = model.forward(X[batch])
            L = softmax_cross_entropy(Z, y[batch])
            scale = len(batch) if summed else 1.0
            model.backward(scale * softmax_cross_entropy_grad(Z, y[batch]), need_dX=False)
            if step:
                for p, g in zip(model.parameters(), model.gradients()):
                    p -= sign * lr * g
            if after:
                L = softmax_cross_entropy(model.forward(X[batch]), y[batch])
            losses.append(L)
    return model, losses


def _train_cases():
    """(label, X, y, hidden, lr, epochs, batch_size, seed), small slices of the digits."""
    X_train, _, y_train, _ = digits()
    X, y = X_train[:100], y_train[:100]
    return [
        ("100 digits, batches of 25", X, y, 16, 0.5, 3, 25, 0),
        ("100 digits, batches of 30 (the last batch has 10)", X, y, 8, 0.3, 2, 30, 1),
        ("40 digits, one batch per epoch", X[:40], y[:40], 12, 0.5, 4, 40, 2),
        ("a single step", X[:10], y[:10], 4, 1.0, 1, 10, 3),
    ]


TRAIN_CASES = _train_cases()

_TRAIN_MISTAKES = [
    (dict(step=False),
     "the loss never moves downhill: nothing updates the weights. After backward, call "
     "optimizer.step(model.parameters(), model.gradients())."),
    (dict(sign=-1.0),
     "the loss grows: your update climbs uphill. The step is W = W - lr * dW (SGD's step), "
     "and backward starts from dZ = (P - Y) / n, probabilities minus targets."),
    (dict(after=True),
     "record each batch's loss from its forward pass, BEFORE the update."),
    (dict(summed=True),
     "each step is as many times too large as its batch has samples: the loss is the MEAN over "
     "the batch, so its gradient is (P - Y) / n. Does your softmax_ce_grad divide by n = len(Z) "
     "(task 2)?"),
    (dict(shuffle="none"),
     "shuffle every epoch: order = rng.permutation(n), with rng = np.random.default_rng(seed) "
     "made once, before the loop; then take the batches in that order."),
    (dict(shuffle="in place"),
     "rng.shuffle(order) every epoch is a fair shuffle too, but it draws other batches than "
     "the task's loop, so your losses cannot be compared with nnlib's step by step: start every "
     "epoch with order = rng.permutation(n) instead."),
    (dict(shuffle="fresh"),
     "make the random generator ONCE, before the loop: a new np.random.default_rng(seed) in "
     "every epoch gives the same order every epoch."),
    (dict(drop_last=True),
     "the last, smaller batch is missing: for start in range(0, n, batch_size) takes it too "
     "(order[start:start + batch_size] simply stops at n)."),
]


def _as_run(got):
    return as_training_run(got, "mlp([64, hidden, 10])", "batch")


def _mistake_hint(**mistake):
    """The hint of the _TRAIN_MISTAKES entry with exactly these keywords."""
    return next(hint for keywords, hint in _TRAIN_MISTAKES if keywords == mistake)


def _train_report(head, got, expected_model, expected, case):
    """None when the learner's run is the reference's; else the report with a hint."""
    run = _as_run(got)
    if isinstance(run, str):
        return f"{head}\n  got: {type(got).__name__}\n  hint: {run}"
    model, losses = run
    label, X, y, hidden, lr, epochs, batch_size, seed = case
    per_epoch = -(-len(X) // batch_size)
    lines = f"{head}\n  expected losses: {loss_curve(expected)}\n  got losses:      {loss_curve(losses)}"
    if len(losses) != len(expected):
        if len(losses) == epochs and per_epoch > 1:
            why = (f"one loss per BATCH, not per epoch: {len(X)} digits in batches of {batch_size} "
                   f"are {per_epoch} steps per epoch, {len(expected)} in all.")
        elif len(losses) == len(expected) - epochs and len(X) % batch_size:
            why = _mistake_hint(drop_last=True)
        elif len(losses) == 0:
            why = "the list is empty: append each batch's loss to it (losses.append(L))."
        else:
            why = (f"one loss per step: {epochs} epochs of {per_epoch} batches give "
                   f"{len(expected)} losses.")
        return f"{lines}\n  hint: {why}"
    if close(losses, expected):
        params = model.parameters() if callable(getattr(model, "parameters", None)) else []
        want = expected_model.parameters()
        if len(params) == len(want) and all(close(p, w) for p, w in zip(params, want)):
            return None
        return (f"{head}\n  the losses are right, but the model returned is not the trained one"
                "\n  hint: return the very model you trained, not a new mlp.")
    if not np.all(np.isfinite(losses)):
        return (f"{lines}\n  hint: the loss became nan or inf: the weights blew up. Check the "
                "update, W = W - lr * dW, and the gradient backward starts from.")
    k = int(np.argmax(~np.isclose(losses, expected, rtol=1e-6, atol=1e-9)))
    lines += f"\n  first difference at step {k + 1}: expected {expected[k]:.6f}, got {losses[k]:.6f}"
    for keywords, why in _TRAIN_MISTAKES:
        _, guess = _train_reference(X, y, hidden, lr, epochs, batch_size, seed, **keywords)
        if len(guess) == len(losses) and close(losses, guess):
            return f"{lines}\n  hint: {why}"
    if k == 0:
        if abs(losses[0] - expected[0]) > 1e-6 and np.isclose(losses[0], np.log(10), atol=0.15):
            why = ("the very first loss differs: the first batch is not the reference's. Shuffle "
                   "with rng = np.random.default_rng(seed), order = rng.permutation(n), and make "
                   "the model with mlp([X.shape[1], hidden, 10], seed=seed).")
        else:
            why = ("the very first loss differs: use mlp([X.shape[1], hidden, 10], seed=seed) "
                   "(tanh hidden layer, 10 logits out) and softmax cross-entropy.")
        return f"{lines}\n  hint: {why}"
    return (f"{lines}\n  hint: the first step agrees, a later one does not. Use SGD(lr=lr) made "
            "once, the batches order[start:start + batch_size] for start in range(0, n, "
            "batch_size), and one new order per epoch from the same generator.")


@guarded
def train_digits(fn, full_run=True):
    """Check train_digits(X, y, hidden, lr, epochs, batch_size, seed) -> (model, losses).

    The loop: model = mlp([X.shape[1], hidden, 10], seed=seed), SGD(lr), and
    rng = np.random.default_rng(seed); every epoch a new order = rng.permutation(n),
    then for each batch in that order: forward, softmax cross-entropy (recorded before
    the update), backward, step.  Four short runs must match that loop step for step;
    then (full_run) the lesson's run on all 1,348 training digits must reach 95% on the
    449 test digits.
    """
    task = "train_digits"
    crash_hints = [("not aligned", "the first layer takes X.shape[1] = 64 inputs: "
                                   "mlp([X.shape[1], hidden, 10], seed=seed)."),
                   ("has no attribute 'step'", "make the optimizer once, before the loop: "
                                               "optimizer = SGD(lr=lr).")]
    for case in TRAIN_CASES:
        label, X, y, hidden, lr, epochs, batch_size, seed = case
        args = (X, y, hidden, lr, epochs, batch_size, seed)
        head = (f"train_digits(X, y, hidden={hidden}, lr={lr}, epochs={epochs}, "
                f"batch_size={batch_size}, seed={seed}) on {label}")
        got = call(task, fn, args, label=head, crash_hints=crash_hints)
        expected_model, expected = _train_reference(*args)
        problem = _train_report(head, got, expected_model, expected, case)
        if problem:
            raise CheckFailed(problem)
    detail = f"{len(TRAIN_CASES)} runs match step for step"
    if full_run:
        X_train, X_test, y_train, y_test = digits()
        settings = ", ".join(f"{k}={v}" for k, v in FULL_RUN.items())
        head = f"train_digits(X_train, y_train, {settings}) on the 1,348 training digits"
        got = call(task, fn, (X_train, y_train, *FULL_RUN.values()), label=head,
                   crash_hints=crash_hints)
        run = _as_run(got)
        if isinstance(run, str):
            raise CheckFailed(f"{head}\n  hint: {run}")
        with quiet():
            test_acc = accuracy(run[0], X_test, y_test, loss="softmax_ce")
        if test_acc < TARGET_ACCURACY:
            raise CheckFailed(f"{head}\n  test accuracy {test_acc:.1%}, needed at least "
                              f"{TARGET_ACCURACY:.0%}\n  hint: the short runs matched, so look "
                              "at what differs on a long run: every epoch reshuffles, and the "
                              "model is the one you trained.")
        detail += (f"; on all training digits the loss fell from {run[1][0]:.2f} to "
                   f"{run[1][-1]:.3f} and the network reads {test_acc:.1%} of the test digits")
    passed(task, detail)


# ---------------------------------------------------- task 4: confusion_matrix --

CONFUSION_CASES = [
    ("one 2 read as a 0", np.array([0, 1, 2, 2, 1]), np.array([0, 1, 0, 2, 1]), 3),
    ("all right", np.array([0, 1, 2, 1]), np.array([0, 1, 2, 1]), 3),
    ("a class that never occurs (k = 4, no 3s)", np.array([0, 1, 2, 0, 1]),
     np.array([1, 1, 2, 0, 0]), 4),
    ("everything called 0", np.array([0, 1, 2, 3, 2]), np.array([0, 0, 0, 0, 0]), 4),
    ("ten digits", np.array([3, 8, 8, 5, 9, 1, 7, 3, 0, 4, 4, 6, 2, 9]),
     np.array([3, 3, 8, 5, 4, 1, 1, 3, 0, 9, 4, 6, 2, 9]), 10),
    ("a single sample", np.array([1]), np.array([0]), 2),
]

_CONFUSION_MISTAKES = [
    (lambda t, p, k: _confusion_matrix(t, p, k).T,
     "rows are the TRUE class, columns the predicted one: C[true, predicted] += 1. "
     "Yours is the transpose."),
    (lambda t, p, k: _confusion_matrix(t, p, k) / len(t),
     "count the samples (whole numbers), do not divide by n."),
    (lambda t, p, k: _confusion_matrix(t, p, k) / np.maximum(
        _confusion_matrix(t, p, k).sum(axis=1, keepdims=True), 1),
     "count the samples; do not divide each row by its total."),
    (lambda t, p, k: _confusion_matrix(t, p, max(t.max(), p.max()) + 1),
     "the table is k x k even when some class never occurs: np.zeros((k, k)), not a size "
     "taken from the largest label you see."),
    (lambda t, p, k: np.diag(np.diag(_confusion_matrix(t, p, k))),
     "count the mistakes too: every sample adds 1 at [true class, predicted class], also "
     "when they differ."),
    # C[y_true, y_pred] += 1 and a loop setting C[i, j] = 1 give the same table
    (lambda t, p, k: np.minimum(_confusion_matrix(t, p, k), 1),
     "`C[y_true, y_pred] += 1` adds 1 only ONCE to a cell that several samples share (numpy's "
     "fancy-index += writes each cell once), and so does setting C[i, j] = 1. Add 1 for every "
     "sample: np.add.at(C, (y_true, y_pred), 1), or a loop `for i, j in zip(y_true, y_pred): "
     "C[i, j] += 1`."),
]


@guarded
def confusion_matrix(fn):
    """Check confusion_matrix(y_true, y_pred, k) -> C, C[i, j] = count of true i predicted j.

    Against nnlib.train.confusion_matrix: all right, one mistake, a class that never
    occurs, everything called 0, ten digits, a single sample.
    """
    task = "confusion_matrix"
    for label, t, p, k in CONFUSION_CASES:
        expected = _confusion_matrix(t, p, k)
        got = call(task, fn, (t, p, k), label=f"confusion_matrix(y_true, y_pred, k={k}): {label}")
        if close(got, expected, rtol=0, atol=0):
            continue
        hint = known_mistake(got, (t, p, k), _CONFUSION_MISTAKES, compare=lambda a, b: close(
            a, b, rtol=0, atol=1e-12)) or (
            "start from C = np.zeros((k, k), dtype=int) and, for each pair (i, j) in "
            "zip(y_true, y_pred), add 1 to C[i, j].")
        raise wrong_answer(f"confusion_matrix(y_true, y_pred, k={k}): {label}\n"
                           f"  y_true = {show(t)}\n  y_pred = {show(p)}", expected, got, hint)
    passed(task, f"{len(CONFUSION_CASES)} cases, rows the true class, columns the predicted one")
