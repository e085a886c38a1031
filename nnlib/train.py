"""Training: forward, loss, backward, step -- repeated.

One training step on a batch (X, y):

    y_hat = model.forward(X)            predictions (logits)
    L     = loss(y_hat, y)              how wrong they are
    model.backward(dL/dy_hat)           every layer stores dW, db
    optimizer.step(params, grads)       W -= lr * dW, ...

fit() repeats this for a number of epochs (one epoch = one pass over the
training data, in mini-batches or all at once) and records a History.

Speed note: fit() checks everything ONCE before the loop starts, and the
loop itself does no input checking (it calls the unchecked maths of the
losses and optimizers), so it is as lean as a hand-written numpy loop.
train_step() checks its batch each time it is called: a few microseconds.
"""
import math
from dataclasses import dataclass, field

import numpy as np

from nnlib import validate
from nnlib.activations import sigmoid
from nnlib.losses import UNCHECKED, get_loss, softmax
from nnlib.optim import Optimizer, check_not_class, make_optimizer
from nnlib.regularization import add_l2_grad

# Inputs larger than this are refused.  A network multiplies its inputs by
# weights, and through the gradients (dW = X.T @ dz) by themselves.  Beyond
# about 1.3e154 (the square root of float64's largest number, 1.8e308) a
# squared error of X @ W overflows at the first step, whatever the learning
# rate.  Below it, large inputs still overflow at usual learning rates
# (measured for relu and linear models; fit then raises TrainingDiverged and
# names the inputs' scale), and tanh models stay finite only because their
# neurons saturate.  1e150 leaves a margin for weights and sums of features.
MAX_INPUT = 1e150


class TrainingDiverged(ArithmeticError):
    """The loss became NaN or infinite: training blew up.

    A subclass of ArithmeticError (like OverflowError), because nothing the
    caller passed was malformed: the arithmetic ran away, almost always
    because the learning rate is too large.
    """


@dataclass
class History:
    """What happened during fit(), one entry per epoch.

    loss:          mean training loss of the epoch (each mini-batch's loss
                   is measured just before its update)
    accuracy:      fraction of training samples classified correctly in the
                   same pass (classification losses only, else empty)
    test_loss:     loss on (X_test, y_test) after the epoch (if given)
    test_accuracy: accuracy on (X_test, y_test) after the epoch (if given,
                   classification losses only)
    stopped_early: True if the callback returned False, or early stopping
                   (fit's patience) ended training
    best_epoch:    with patience: the epoch with the lowest held-out loss,
                   whose weights the model ends with (None without patience)
    """
    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)
    stopped_early: bool = False
    best_epoch: int = None

    @property
    def epochs(self):
        """Number of epochs that ran."""
        return len(self.loss)


# ------------------------------------------------------------ one step --

def train_step(model, X, y, loss="bce", optimizer=None):
    """One step of gradient descent on the batch (X, y); returns the loss.

    loss:      "bce", "softmax_ce" or "mse" (see nnlib.losses)
    optimizer: an optimizer object, e.g. SGD(lr=0.1); make it once and
               reuse it, since Momentum and Adam remember past steps.
               It is needed: its default None (kept so that `loss` can
               stay the 4th argument) is refused with that advice.
    The returned loss is measured BEFORE the update.
    """
    # ---- check the batch (fit() does this once, for all its steps) ----
    _check_model(model)
    get_loss(loss)
    if optimizer is None:
        raise TypeError("train_step needs an optimizer: make one once, e.g. "
                        "optimizer = SGD(lr=0.1) (from nnlib.optim), and pass it to "
                        "every step: train_step(model, X, y, optimizer=optimizer)")
    check_not_class(optimizer)
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError("optimizer must be an optimizer object such as SGD(lr=0.1), "
                        f"got {type(optimizer).__name__}")
    X = _check_X(X, model)
    y = _check_y(y, loss, model)
    validate.check_same_length(X, y)

    loss_fn, loss_grad = UNCHECKED[loss]
    y_hat = model.forward(X)
    L = loss_fn(y_hat, y)
    model.backward(loss_grad(y_hat, y), need_dX=False)
    optimizer.step(model.parameters(), model.gradients())
    return L


# --------------------------------------------------------- predictions --

def _count_correct_bce(z, y):
    """Number of samples with (z > 0) == (y == 1): the logit's sign decides.

    z and y are (n, k): with several outputs (k yes/no questions per sample) a
    sample counts as correct only when all k answers are, so that dividing by n
    gives a fraction of samples, never more than 1.
    """
    return int(np.count_nonzero(np.all((z > 0) == (y > 0.5), axis=1)))


def _count_correct_softmax(Z, y):
    """Number of samples whose largest logit is at the true class."""
    return int(np.count_nonzero(Z.argmax(axis=1) == y))


_COUNT_CORRECT = {"bce": _count_correct_bce, "softmax_ce": _count_correct_softmax}


def _check_model(model):
    """The model must be a layer or Sequential from nnlib.layers."""
    for attr in ("forward", "backward", "parameters", "gradients"):
        if not callable(getattr(model, attr, None)):
            raise TypeError(
                f"model must be a Sequential or Dense (e.g. mlp([2, 8, 1])), "
                f"got {type(model).__name__}"
            )


def _check_X(X, model, name="X"):
    """X: a finite 2-D array (n_samples, n_features) with the model's n_features."""
    X = validate.as_array(X, name, ndim=2, shape_hint="(n_samples, n_features)")
    if X.shape[1] != model.n_in:
        raise ValueError(
            f"{name} has {X.shape[1]} feature{'' if X.shape[1] == 1 else 's'} (columns) but the "
            f"model expects {model.n_in}: {name} must have shape (n_samples, {model.n_in})"
        )
    return X


def _check_scale(X, name):
    """Inputs beyond MAX_INPUT are refused: training on them overflows in most models."""
    largest = float(np.max(np.abs(X)))
    if largest > MAX_INPUT:
        raise ValueError(
            f"{name} has values as large as {largest:.3g}: inputs must be at most "
            f"{MAX_INPUT:.0e} in size (training on larger ones overflows float64 in most "
            f"models); scale them to about -1..1 first, e.g. "
            f"{name} / {name}.std(axis=0)"
        )


def _check_y(y, loss, model, name="y"):
    """Targets in the shape the loss needs, after checking them once.

    bce:        labels 0/1 (or probabilities), returned as a column (n, 1)
    softmax_ce: integer class labels 0..k-1 of shape (n,)
    mse:        numbers, returned with the model output's shape (n, k)
    """
    y = validate.as_array(y, name)
    k = model.n_out
    if loss == "softmax_ce":
        if y.ndim != 1:
            raise ValueError(
                f"{name} for loss 'softmax_ce' must be a 1-D array of class "
                f"labels of shape (n_samples,), got shape {y.shape}"
            )
        if k < 2:
            raise ValueError(
                f"loss 'softmax_ce' needs a model with at least 2 outputs "
                f"(one per class), but this model has {k}"
            )
        if np.any(y != np.round(y)) or y.min() < 0 or y.max() > k - 1:
            raise ValueError(
                f"{name} for loss 'softmax_ce' must hold whole-number class "
                f"labels from 0 to {k - 1}"
            )
        return y.astype(np.intp)
    shape = y.shape                     # as given, for the message below
    if y.ndim == 1:
        y = y.reshape(-1, 1)
    if y.ndim != 2 or y.shape[1] != k:
        # (n_samples,) is a column only when the model has a single output
        expected = "(n_samples,) or (n_samples, 1)" if k == 1 else f"(n_samples, {k})"
        hint = (f" (for class labels 0..{k - 1} use loss='softmax_ce')"
                if loss == "bce" and k > 1 else "")
        raise ValueError(
            f"{name} must have shape {expected} to match the model's {k} "
            f"output{'s' if k > 1 else ''}, got shape {shape}{hint}"
        )
    if loss == "bce" and (y.min() < 0 or y.max() > 1):
        raise ValueError(
            f"{name} for loss 'bce' must hold labels 0 or 1 "
            f"(or probabilities between 0 and 1)"
        )
    return y


def predict(model, X, loss="bce"):
    """Predictions of the model for the rows of X.

    bce:        class 1 where the logit z > 0 (probability > 0.5), else 0;
                shape (n,) for a single output
    softmax_ce: the class with the largest logit, argmax over each row
    mse:        the raw outputs of the model
    """
    _check_model(model)
    get_loss(loss)
    X = _check_X(X, model)
    out = model.forward(X)
    if loss == "bce":
        labels = (out > 0).astype(int)
        return labels[:, 0] if labels.shape[1] == 1 else labels
    if loss == "softmax_ce":
        return out.argmax(axis=1)
    return out


def predict_proba(model, X, loss="bce"):
    """The model's probabilities for the rows of X.

    bce:        P(class 1) = sigmoid(z), shape (n,) for a single output
    softmax_ce: softmax of each row of logits, shape (n, k)
    Handy for pictures: nnlib.plots.decision_boundary(lambda P: predict_proba(model, P), ...).
    """
    _check_model(model)
    validate.check_choice(loss, "loss", ["bce", "softmax_ce"])
    X = _check_X(X, model)
    out = model.forward(X)
    if loss == "bce":
        p = sigmoid(out)
        return p[:, 0] if p.shape[1] == 1 else p
    return softmax(out)


def accuracy(model, X, y, loss="bce"):
    """Fraction of samples classified correctly: mean(predict(X) == y)."""
    _check_model(model)
    get_loss(loss)
    if loss not in _COUNT_CORRECT:
        raise ValueError(
            f"accuracy needs a classification loss ('bce' or 'softmax_ce'), "
            f"got loss {loss!r}"
        )
    X = _check_X(X, model)
    y = _check_y(y, loss, model)
    validate.check_same_length(X, y)
    return _COUNT_CORRECT[loss](model.forward(X), y) / len(y)


def confusion_matrix(y_true, y_pred, k):
    """Count every (true class, predicted class) pair: a k x k table of whole numbers.

    C[i, j] = the number of samples of class i that the model called j.
    Row i holds all samples of class i; the diagonal C[i, i] counts the right
    answers, everything off it is a mistake, and C.sum() is the number of samples.
    Accuracy is the diagonal's share: np.trace(C) / C.sum().
    """
    k = validate.check_positive_int(k, "k")
    y_true = validate.as_array(y_true, "y_true", ndim=1, shape_hint="(n_samples,)")
    y_pred = validate.as_array(y_pred, "y_pred", ndim=1, shape_hint="(n_samples,)")
    validate.check_same_length(y_true, y_pred, "y_true", "y_pred")
    for name, labels in (("y_true", y_true), ("y_pred", y_pred)):
        if np.any(labels != np.round(labels)) or labels.min() < 0 or labels.max() > k - 1:
            raise ValueError(f"{name} must hold whole-number class labels from 0 to {k - 1}")
    C = np.zeros((k, k), dtype=np.int64)
    for i, j in zip(y_true.astype(int), y_pred.astype(int)):
        C[i, j] += 1            # one more sample of class i called j
    return C


# ----------------------------------------------------------------- fit --

def _likely_cause(X, lr):
    """Why training blew up: large inputs first (no learning rate cures those), else lr."""
    largest = float(np.max(np.abs(X)))
    if largest > 100:
        return (f"X has values as large as {largest:.3g}; scale the inputs to about -1..1 "
                f"first (e.g. X / X.std(axis=0)), then the learning rate {lr} may be fine")
    return f"the learning rate {lr} is probably too large (try 10 times smaller)"


def _progress_marks(epochs):
    """The epochs at 10%, 20%, ..., 100% of training, where progress is printed."""
    return {max(1, epochs * k // 10) for k in range(1, 11)}


def fit(model, X, y, loss="bce", optimizer="sgd", lr=0.1, epochs=100,
        batch_size=None, seed=0, callback=None, X_test=None, y_test=None,
        progress="auto", l2=0.0, patience=None):
    """Train the model on (X, y) and return a History.

    loss:       "bce" (binary, logits), "softmax_ce" (classes) or "mse"
    optimizer:  "sgd", "momentum", "adam", or an optimizer object (which
                keeps its own lr; `lr` is then not used)
    lr:         learning rate for a named optimizer
    epochs:     passes over the data
    batch_size: samples per step; None = the whole data set (full batch).
                Mini-batches are drawn from a fresh shuffle every epoch,
                made by np.random.default_rng(seed), so runs are repeatable.
    callback:   callback(epoch, history) is called after every epoch
                (epoch counts from 1); if it returns False (exactly False,
                not None) training stops and history.stopped_early is True.
    X_test, y_test: optional held-out data, evaluated after every epoch.
    progress:   True prints a line at every 10% of the epochs, e.g.
                "epoch 100/1000  loss 0.2345" (4 significant digits); "auto" does so only when
                epochs >= 500; False never.
    l2:         L2 weight decay lam (0: none).  Every step adds lam * W to
                each dW (nnlib.regularization): weights are pulled towards 0.
                history.loss stays the data loss, comparable to test_loss.
    patience:   early stopping (needs X_test, y_test: give it your
                VALIDATION set, not the final test set).  Training stops
                when the held-out loss has not gone below its best for
                `patience` epochs in a row, and the model gets back the
                weights of the best epoch (history.best_epoch).

    Raises TrainingDiverged if the loss becomes NaN or infinite.
    """
    # ---- check everything once; the loop below trusts it all ----
    _check_model(model)
    get_loss(loss)
    X = _check_X(X, model)
    _check_scale(X, "X")
    y = _check_y(y, loss, model)
    validate.check_same_length(X, y)
    epochs = validate.check_positive_int(epochs, "epochs")
    if batch_size is not None:
        batch_size = validate.check_positive_int(batch_size, "batch_size")
    seed = validate.check_seed(seed)
    optimizer = make_optimizer(optimizer, lr)   # checks lr, if it is used (a named optimizer)
    if isinstance(optimizer, Optimizer):
        # An optimizer that has stepped on another model is refused here, once;
        # the loop then calls its update() directly, without checks.
        optimizer.check(model.parameters(), model.gradients())
        step = optimizer.update
    else:
        step = optimizer.step                   # your own optimizer object
    has_test = X_test is not None or y_test is not None
    if has_test:
        if X_test is None or y_test is None:
            raise ValueError("X_test and y_test must be given together")
        X_test = _check_X(X_test, model, "X_test")
        _check_scale(X_test, "X_test")
        y_test = _check_y(y_test, loss, model, "y_test")
        validate.check_same_length(X_test, y_test, "X_test", "y_test")
    if callback is not None and not callable(callback):
        raise TypeError(
            f"callback must be a function callback(epoch, history), "
            f"got {type(callback).__name__}"
        )
    l2 = validate.check_number(l2, "l2")
    if l2 < 0:
        raise ValueError(f"l2 must be 0 or more (0 = no weight decay), got {l2}")
    if patience is not None:
        patience = validate.check_positive_int(patience, "patience")
        if not has_test:
            raise ValueError("patience (early stopping) watches the held-out loss: "
                             "give fit X_test and y_test (your validation set)")
    # Not `progress in (True, False, "auto")`: that lets 1 and 0 in (1 == True).
    if isinstance(progress, str) and progress == "auto":
        show_progress = epochs >= 500
    elif isinstance(progress, (bool, np.bool_)):
        show_progress = bool(progress)
    else:
        raise ValueError(f"progress must be True, False or 'auto', got {progress!r}")
    marks = _progress_marks(epochs) if show_progress else set()

    loss_fn, loss_grad = UNCHECKED[loss]     # the data was checked above
    count_correct = _COUNT_CORRECT.get(loss)     # None for mse
    n = len(X)
    if batch_size is None or batch_size >= n:
        batch_size = n
    rng = np.random.default_rng(seed)
    history = History()
    best = best_weights = None          # early stopping (patience)

    # Once the weights blow up, numpy would print overflow/invalid-value
    # warnings on every step; we detect that case ourselves (below) and
    # raise one clear error instead.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(1, epochs + 1):
            if batch_size == n:
                batches = [(X, y)]                       # full batch, no shuffle
            else:
                order = rng.permutation(n)
                Xs, ys = X[order], y[order]              # one shuffled copy
                batches = [(Xs[i:i + batch_size], ys[i:i + batch_size])
                           for i in range(0, n, batch_size)]

            total_loss, correct = 0.0, 0
            for Xb, yb in batches:
                # The four lines of train_step, written out.
                y_hat = model.forward(Xb)
                total_loss += loss_fn(y_hat, yb) * len(Xb)
                model.backward(loss_grad(y_hat, yb), need_dX=False)
                if l2:      # weight decay: dW += lam * W (biases untouched)
                    add_l2_grad(model.parameters(), model.gradients(), l2)
                step(model.parameters(), model.gradients())
                if count_correct is not None:
                    correct += count_correct(y_hat, yb)

            epoch_loss = total_loss / n
            if not math.isfinite(epoch_loss):
                raise TrainingDiverged(f"loss became {epoch_loss} at epoch {epoch}: "
                                       + _likely_cause(X, getattr(optimizer, "lr", lr)))
            history.loss.append(epoch_loss)
            if count_correct is not None:
                history.accuracy.append(correct / n)
            if has_test:
                out = model.forward(X_test)
                history.test_loss.append(loss_fn(out, y_test))
                if count_correct is not None:
                    history.test_accuracy.append(count_correct(out, y_test) / len(y_test))

            if epoch in marks:
                # .4g: 4 significant digits, readable for 0.2345 and 1.5e-07 alike
                line = f"epoch {epoch}/{epochs}  loss {epoch_loss:.4g}"
                if has_test:
                    line += f"  test_loss {history.test_loss[-1]:.4g}"
                print(line, flush=True)
            if patience is not None:
                # Early stopping: remember the best weights; stop after
                # `patience` epochs without a new best held-out loss.
                if best is None or history.test_loss[-1] < best:
                    best, history.best_epoch = history.test_loss[-1], epoch
                    best_weights = [p.copy() for p in model.parameters()]
                elif epoch - history.best_epoch >= patience:
                    history.stopped_early = True
                    break
            if callback is not None and callback(epoch, history) is False:
                history.stopped_early = True
                break

    if best_weights is not None:         # early stopping: back to the best epoch
        for p, saved in zip(model.parameters(), best_weights):
            p[...] = saved
    # The last update can blow up the weights after the last loss was measured.
    if not all(np.all(np.isfinite(p)) for p in model.parameters()):
        raise TrainingDiverged(f"the weights became NaN or infinite at epoch {epoch}: "
                               + _likely_cause(X, getattr(optimizer, "lr", lr)))
    return history
