"""Checks for exercises/07-training-well.ipynb: the cross-entropy gradient, an
initialiser, the L2 gradient and an early-stopping loop.

The notation of lesson 07:

    cross-entropy   L = mean of -[y log p + (1 - y) log(1 - p)],  p = sigmoid(z)
                    dL/dz = (p - y) / n                  one entry per sample, shape (n, 1)
    initialisation  Xavier (tanh, sigmoid): std = sqrt(2 / (n_in + n_out))
                    He (relu):              std = sqrt(2 / n_in)
    L2              penalty (lam / 2) * sum of every weight squared (not the biases)
                    gradient lam * W for each weight, zeros for each bias
    early stopping  after each epoch measure the validation loss; keep a copy of the weights
                    at each new lowest loss; stop after `patience` epochs without one; put
                    the best weights back

The right answers come from nnlib itself (losses.bce_with_logits_grad, init.xavier_std and
he_std, regularization.l2_grad) and, for early stopping, from a loop that does what
fit(..., patience=...) does.  Every check reports the first difference with a hint.
"""
import numpy as np

from nnlib.activations import sigmoid
from nnlib.init import he_std, xavier_std
from nnlib.layers import Dense, mlp
from nnlib.losses import bce_with_logits_grad
from nnlib.regularization import l2_grad as _l2_grad

from .base import (CheckFailed, call, check_cases, close, difference, guarded, known_mistake, numbers,
                   passed, quiet, report, show)


# ----------------------------------------------- task 1: cross_entropy_grad --

def _col(values):
    return np.array(values, dtype=float).reshape(-1, 1)


def _grad_cases():
    rng = np.random.default_rng(70)
    return [
        (_col([6.0]), _col([0.0])),                                   # the lesson's wrong neuron
        (_col([2.0, -1.0, 0.5, -3.0]), _col([1.0, 0.0, 0.0, 1.0])),    # a batch of 4
        (_col([0.0, 0.0]), _col([1.0, 0.0])),                          # undecided: p = 0.5
        (np.round(rng.normal(0, 2, (5, 1)), 2), _col([1, 1, 0, 1, 0])),  # 5 samples
        (_col([-40.0, 40.0, 15.0]), _col([0.0, 1.0, 0.0])),           # very sure, mostly right
        (_col([-800.0, 800.0]), _col([1.0, 0.0])),                     # sure and wrong: no overflow
    ]


GRAD_CASES = _grad_cases()


def _p(z):
    return sigmoid(z)


_GRAD_MISTAKES = [
    (lambda z, y: _p(z) - y,
     "divide by n, the number of samples: the loss is a MEAN over the samples, so each "
     "sample's gradient is (p - y) / n."),
    (lambda z, y: (y - _p(z)) / len(z),
     "the sign: the gradient is (p - y) / n, the prediction minus the truth. With y - p, "
     "gradient descent would walk uphill."),
    (lambda z, y: (z - y) / len(z),
     "compare the probability p = sigmoid(z) with y, not the logit z itself: (sigmoid(z) - y) / n."),
    (lambda z, y: 2 * (_p(z) - y) * _p(z) * (1 - _p(z)) / len(z),
     "that is the squared error's gradient, 2 (p - y) sigmoid'(z) / n. For cross-entropy the "
     "sigmoid's slope cancels out: (p - y) / n."),
    (lambda z, y: (_p(z) - y) * _p(z) * (1 - _p(z)) / len(z),
     "no sigmoid'(z) factor: for cross-entropy it cancels out (lesson 07, section 1), leaving "
     "(p - y) / n."),
    (lambda z, y: np.mean(_p(z) - y),
     "one gradient per sample, an array of shape (n, 1) like z, not their mean: (p - y) / n."),
    (lambda z, y: ((1 - _p(z)) - y) / len(z),
     "p = sigmoid(z) is the probability of class 1, so the gradient is (p - y) / n, not "
     "((1 - p) - y) / n."),
]


@guarded
def cross_entropy_grad(fn):
    """Check cross_entropy_grad(z, y) -> dL/dz = (sigmoid(z) - y) / n, against nnlib's
    bce_with_logits_grad, on the lesson's wrong neuron, a batch of 4, undecided logits,
    5 random samples, very sure logits and logits of +-800 (where a naive sigmoid overflows:
    an overflow on the way fails even when the answer comes out right, as in exercises 02
    and 05)."""
    check_cases("cross_entropy_grad", fn, bce_with_logits_grad, GRAD_CASES, _GRAD_MISTAKES,
                hint="dL/dz = (p - y) / n with p = sigmoid(z), one entry per sample.",
                overflow_hint="use sigmoid from nnlib.activations (imported above): it never "
                              "overflows, even for z = -800.",
                warning_hint="an exp overflowed on the way, even if the answer came out right "
                             "(1 / (1 + np.exp(-z)) at z = -800 computes e**800 = inf). The rule "
                             "of this course: no overflow on the way. Use sigmoid from "
                             "nnlib.activations (imported above): it never overflows.",
                crash_hints=[("could not be broadcast", "z and y both have shape (n, 1): "
                              "(sigmoid(z) - y) / len(z) keeps that shape.")])


# ---------------------------------------------------- task 2: init_weights --

INIT_CASES = [(400, 300, "tanh"), (500, 100, "sigmoid"), (100, 500, "tanh"), (400, 300, "relu"),
              (100, 500, "relu"), (64, 64, "relu")]


def _recipe(n_in, n_out, activation):
    return he_std(n_in) if activation == "relu" else xavier_std(n_in, n_out)


# Known mistakes, as the std they give for (n_in, n_out, activation), with a hint each.
_INIT_MISTAKES = [
    (lambda n_in, n_out, f: np.sqrt(1 / n_in),
     "that is sqrt(1 / n_in). Xavier uses both sizes, sqrt(2 / (n_in + n_out)); He (relu) "
     "uses sqrt(2 / n_in), with the 2 that makes up for relu's zeroed half."),
    (lambda n_in, n_out, f: xavier_std(n_in, n_out),
     "relu needs He's std, sqrt(2 / n_in): Xavier's std lets the signal fade layer by layer "
     "in a relu network (the widget showed 0.59 -> 0.045)."),
    (lambda n_in, n_out, f: he_std(n_in),
     "He's std sqrt(2 / n_in) is for relu; tanh and sigmoid take Xavier's, sqrt(2 / (n_in + n_out))."),
    (lambda n_in, n_out, f: _recipe(n_in, n_out, f) ** 2,
     "that is the variance. The std is its square root: np.sqrt(2 / (n_in + n_out)) or np.sqrt(2 / n_in)."),
    (lambda n_in, n_out, f: he_std(n_out) if f == "relu" else xavier_std(n_in, n_out),
     "He's std counts the INPUTS of the layer: sqrt(2 / n_in), not sqrt(2 / n_out)."),
    (lambda n_in, n_out, f: np.sqrt(6 / (n_in + n_out)) if f != "relu" else np.sqrt(6 / n_in),
     "sqrt(6 / ...) is the LIMIT of a uniform distribution with Xavier's spread, not a std: "
     "for normal weights use the std sqrt(2 / ...) itself."),
    (lambda n_in, n_out, f: _recipe(n_in, n_out, f) / np.sqrt(3),
     "rng.uniform(-s, s) has std s / sqrt(3), not s: draw normal numbers, "
     "rng.normal(0.0, std, size=(n_in, n_out))."),
]


def _std_matches(got_std, std, rel=0.04):
    return abs(got_std - std) <= rel * std


@guarded
def init_weights(fn):
    """Check init_weights(n_in, n_out, activation, rng) -> W of shape (n_in, n_out) with mean 0
    and the std of the recipe (He for relu, Xavier for tanh and sigmoid), drawn from rng.

    Large matrices make the measured std precise (within 4%); then the same rng seed must
    give the same W, and another seed another W (the weights come from rng, not from
    np.random's global generator)."""
    task = "init_weights"
    for n_in, n_out, activation in INIT_CASES:
        head = f"{task}({n_in}, {n_out}, {activation!r}, rng)"
        got = call(task, fn, (n_in, n_out, activation, np.random.default_rng(7)), label=head)
        W = numbers(got)
        if W is None or W.ndim != 2:
            raise report(f"{head}\n  got: {show(got)}",
                         "return the weight matrix, a numpy array of shape (n_in, n_out).")
        if W.shape == (n_out, n_in) and n_in != n_out:
            raise report(f"{head}\n  got shape {W.shape}, expected {(n_in, n_out)}",
                         "W has one row per input and one column per neuron: size=(n_in, n_out), "
                         "so that X @ W works.")
        if W.shape != (n_in, n_out):
            raise report(f"{head}\n  got shape {W.shape}, expected {(n_in, n_out)}",
                         "size=(n_in, n_out): one row per input, one column per neuron.")
        if not np.all(np.isfinite(W)):
            raise report(f"{head}\n  got values that are nan or inf", "draw finite normal numbers.")
        std, got_std, mean = _recipe(n_in, n_out, activation), float(W.std()), float(W.mean())
        if np.all(W == W.flat[0]):
            raise report(f"{head}\n  every weight is {W.flat[0]:.4g}",
                         "every weight the same number: all neurons stay identical (symmetry, "
                         "lesson 07 section 2). Draw random numbers: rng.normal(0.0, std, size=...).")
        if not _std_matches(got_std, std):
            why = next((hint for wrong, hint in _INIT_MISTAKES
                        if _std_matches(got_std, wrong(n_in, n_out, activation))), None)
            rule = ("He: std = sqrt(2 / n_in)" if activation == "relu"
                    else "Xavier: std = sqrt(2 / (n_in + n_out))")
            raise report(f"{head}\n  expected std: {std:.4f} ({rule})\n  got std:      {got_std:.4f}"
                         f" (measured over the {W.size:,} weights)", why or f"{rule}.")
        if abs(mean) > 0.1 * std:
            raise report(f"{head}\n  the weights' mean is {mean:.4f}, expected about 0",
                         "centre the weights at 0: rng.normal(0.0, std, size=(n_in, n_out)).")
    # Reproducible, and from the rng it is given.
    head = f"{task}(30, 20, 'tanh', rng)"
    first = numbers(call(task, fn, (30, 20, "tanh", np.random.default_rng(1)), label=head))
    again = numbers(call(task, fn, (30, 20, "tanh", np.random.default_rng(1)), label=head))
    other = numbers(call(task, fn, (30, 20, "tanh", np.random.default_rng(2)), label=head))
    if not (close(first, again, rtol=0, atol=0)) or close(first, other, rtol=0, atol=0):
        raise CheckFailed(f"{head}: two generators with the same seed gave different weights, "
                          "or different seeds the same weights\n  hint: draw from the rng you are "
                          "given, rng.normal(0.0, std, size=(n_in, n_out)), not np.random.randn: "
                          "then a seed makes a run repeatable.")
    passed(task, f"{len(INIT_CASES)} layers, from 64 x 64 to 500 x 100: He for relu, Xavier "
                 "for tanh and sigmoid; repeatable from rng")


# -------------------------------------------------------- task 3: l2_grad --

def _l2_cases():
    cases = []
    for sizes, lam, seed in [([2, 3, 1], 0.1, 0), ([2, 8, 8, 1], 0.01, 1), ([4, 2], 0.5, 2),
                             ([3, 5, 2], 0.0, 3), ([2, 4, 1], 1.0, 4)]:
        cases.append(([np.round(p, 3) for p in mlp(sizes, seed=seed).parameters()], lam))
    layer = Dense(3, 2, seed=5)
    layer.b[:] = [0.5, -1.0]                                 # biases that are not zero
    cases.append(([layer.W.round(3), layer.b.copy()], 0.2))
    return cases


L2_CASES = _l2_cases()


def _as_list(got):
    """The learner's answer as a list of float arrays, or None."""
    if isinstance(got, np.ndarray) or not isinstance(got, (list, tuple)):
        return None
    arrays = [numbers(g) for g in got]
    return None if any(a is None for a in arrays) else arrays


def _same_grads(got, expected):
    got, expected = _as_list(got), _as_list(expected)
    return (got is not None and expected is not None and len(got) == len(expected)
            and all(close(g, e) for g, e in zip(got, expected)))


_L2_MISTAKES = [
    (lambda ps, lam: [2 * lam * p if p.ndim == 2 else np.zeros_like(p) for p in ps],
     "the penalty is (lam / 2) * sum(W**2); its slope is lam * W (the 1/2 cancels the 2 of "
     "the square), not 2 * lam * W."),
    (lambda ps, lam: [lam * p for p in ps],
     "the biases are not penalised: their gradient from L2 is zero, np.zeros_like(b). Only "
     "the weights W (the 2-D arrays) get lam * W."),
    (lambda ps, lam: [p if p.ndim == 2 else np.zeros_like(p) for p in ps],
     "multiply by lam: the gradient of (lam / 2) * W**2 is lam * W."),
    (lambda ps, lam: [-lam * p if p.ndim == 2 else np.zeros_like(p) for p in ps],
     "the sign: the gradient is +lam * W; the update W -= lr * (dW + lam * W) then pulls W towards 0."),
    (lambda ps, lam: [lam / 2 * p if p.ndim == 2 else np.zeros_like(p) for p in ps],
     "the slope of (lam / 2) * w**2 is lam * w: differentiating w**2 gives 2 w, which cancels the 1/2."),
    (lambda ps, lam: [lam * p for p in ps if p.ndim == 2],
     "return one gradient for EVERY parameter, in the same order (zeros for the biases), so "
     "that the list matches params and model.gradients()."),
    (lambda ps, lam: [lam * p if p.ndim == 1 else np.zeros_like(p) for p in ps],
     "the weights are the 2-D arrays (W), the biases the 1-D ones (b): lam * W for the weights, "
     "zeros for the biases."),
]


def _l2_difference(expected, got):
    """The lines of a report that set the learner's gradients against the right ones: the
    first wrong array shown whole, under the names of all the wrong ones."""
    arrays = _as_list(got)
    if arrays is None:
        return (f"\n  expected: a list of {len(expected)} arrays, one per parameter"
                f"\n  got:      {show(got)}")
    if len(arrays) != len(expected):
        return (f"\n  expected: {len(expected)} arrays, with shapes {[e.shape for e in expected]}"
                f"\n  got:      {len(arrays)} arrays, with shapes {[a.shape for a in arrays]}")
    wrong = [i for i, (g, e) in enumerate(zip(arrays, expected)) if not close(g, e)]
    first = wrong[0]
    kind = "a weight matrix" if expected[first].ndim == 2 else "a bias"
    named = f"params[{first}] ({kind}, shape {expected[first].shape})"
    if len(wrong) == 1:
        line = f"the gradient of {named}"
    else:
        line = (f"the gradients of {', '.join(f'params[{i}]' for i in wrong[:-1])} and "
                f"params[{wrong[-1]}]; here is the first, {named}")
    return f"\n  wrong: {line}" + difference(expected[first], arrays[first])


def _changed_in_place(handed, params):
    """The positions of the arrays of params that the learner's function changed (handed are
    the copies it was given; putting new arrays into the list itself changes none of them)."""
    return [i for i, (h, p) in enumerate(zip(handed, params))
            if not (h.shape == p.shape and np.array_equal(h, p))]


@guarded
def l2_grad(fn):
    """Check l2_grad(params, lam) -> [lam * W for each weight, zeros for each bias], in the order
    of params, against nnlib.regularization.l2_grad, on five networks (lam from 0 to 1) and a
    single Dense layer with non-zero biases.

    The arrays of params must come back unchanged: in the exercise's together cell params
    are the model's own arrays, so `W *= lam` there would shrink the weights at every step."""
    for params, lam in L2_CASES:
        expected = _l2_grad(params, lam)
        label = (f"l2_grad(params of {len(params)} arrays with shapes "
                 f"{[tuple(p.shape) for p in params]}, lam={lam})")
        handed = [p.copy() for p in params]   # our own copies, to see what fn does to them
        got = call("l2_grad", fn, (list(handed), lam), label=label, copy_args=False)
        if _same_grads(got, expected):
            changed = _changed_in_place(handed, params)
            if changed:
                names = " and ".join(f"params[{i}]" for i in changed)
                raise report(f"{label}\n  the values are right, but your function changed "
                             f"{names} in place: in the cell that trains a model, params are "
                             "the model's own arrays, so its weights would change at every call",
                             "do not change params in place: return new arrays, lam * p (not "
                             "p *= lam) for a weight and np.zeros_like(b) (not b[...] = 0) for "
                             "a bias.")
            continue
        if isinstance(got, (int, float, np.floating)) and not isinstance(got, bool):
            hint = ("you returned one number (the penalty?). Return the GRADIENT: a list with "
                    "one array per parameter, lam * W or zeros.")
        elif _as_list(got) is None:
            hint = "return a list of numpy arrays, one per parameter: [lam * W1, zeros, lam * W2, zeros]."
        else:
            hint = known_mistake(got, (params, lam), _L2_MISTAKES, _same_grads, fn=fn,
                                 cases=L2_CASES) or "lam * W for each 2-D array, np.zeros_like(b) for each 1-D one."
        raise report(label + _l2_difference(expected, got), hint)
    passed("l2_grad", f"{len(L2_CASES)} cases, the same as nnlib.regularization.l2_grad")


# ------------------------------------------------- task 4: early_stopping --

class ToyModel:
    """A stand-in for a network: one weight array whose value tells which epoch it is from."""

    def __init__(self):
        self.W = np.zeros(3)
        self.b = np.zeros(1)

    def parameters(self):
        return [self.W, self.b]


# (validation losses, one per epoch; max_epochs; patience)
STOP_CASES = [
    ([5.0, 4.0, 3.0, 3.5, 3.2, 3.1, 3.05, 3.3, 2.0, 1.0], 10, 3),   # best at 3, stops after 6
    ([4.0, 3.0, 3.2, 2.5, 2.6, 2.7, 2.8, 2.9], 8, 2),               # a new best resets the count
    ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 6, 2),                          # never better than epoch 1
    ([5.0, 4.0, 3.0, 2.0, 1.0], 5, 3),                               # still improving at the end
    ([3.0, 2.0, 2.0, 2.0, 2.0, 1.0], 6, 2),                          # a tie is no improvement
    ([2.0, 1.0, 1.5, 0.5, 0.7], 5, 1),                               # patience 1
    ([3.0, 2.5, 2.7, 2.8, 2.9, 3.0, 3.1], 4, 5),                     # max_epochs before patience
]


def _stop_reference(model, train_one_epoch, validation_loss, max_epochs, patience):
    """What fit(..., patience=...) does, as a plain loop."""
    best_loss, best_epoch, best_weights, losses = None, 0, None, []
    for epoch in range(1, max_epochs + 1):
        train_one_epoch()
        loss = validation_loss()
        losses.append(loss)
        if best_loss is None or loss < best_loss:
            best_loss, best_epoch = loss, epoch
            best_weights = [p.copy() for p in model.parameters()]
        elif epoch - best_epoch >= patience:
            break
    for p, saved in zip(model.parameters(), best_weights):
        p[...] = saved
    return best_epoch, losses


def _run(fn, case, quietly=False):
    """Run an early_stopping function on a scripted case; returns what it did, as a dict.

    train_one_epoch() sets the toy model's weights to the number of epochs trained so far;
    validation_loss() returns the script's loss for that epoch (inf if asked before training).
    """
    script, max_epochs, patience = case
    model, trained, measured = ToyModel(), [0], []

    def train_one_epoch():
        trained[0] += 1
        model.W[...] = trained[0]          # the weights "of epoch k" are k, k, k
        model.b[...] = -trained[0]

    def validation_loss():
        k = trained[0]
        loss = float(script[k - 1]) if 1 <= k <= len(script) else float("inf")
        measured.append(loss)
        return loss

    args = (model, train_one_epoch, validation_loss, max_epochs, patience)
    # Not copied: the learner must get the very model that train_one_epoch() changes (and a
    # copy.deepcopy(model) of theirs is then a real copy, as it is of a real network).
    answer = fn(*args) if quietly else call("early_stopping", fn, args, label=_label(case),
                                            copy_args=False)
    return {"answer": answer, "trained": trained[0], "weights": float(model.W[0]),
            "bias": float(model.b[0])}


def _label(case):
    script, max_epochs, patience = case
    return (f"early_stopping(model, train_one_epoch, validation_loss, max_epochs={max_epochs}, "
            f"patience={patience})\n  with validation losses {script[:max_epochs]} in epochs 1, 2, ...")


def _mistake(best_cmp="<", stop_after=0, restore=True, copy=True, zero_based=False,
             ignore_patience=False):
    """An early_stopping with one of the usual slips (each keyword one slip)."""
    def early(model, train_one_epoch, validation_loss, max_epochs, patience):
        best_loss, best_epoch, best_weights, losses = None, 0, None, []
        for epoch in range(1, max_epochs + 1):
            train_one_epoch()
            loss = validation_loss()
            losses.append(loss)
            better = best_loss is None or (loss <= best_loss if best_cmp == "<=" else loss < best_loss)
            if better:
                best_loss, best_epoch = loss, epoch
                best_weights = [p.copy() if copy else p for p in model.parameters()]
            elif not ignore_patience and epoch - best_epoch >= patience + stop_after:
                break
        if restore:
            for p, saved in zip(model.parameters(), best_weights):
                p[...] = saved
        return (best_epoch - 1 if zero_based else best_epoch), losses
    return early


_RESTORE = ("the model must end with the BEST epoch's weights: at each new best keep COPIES "
            "([p.copy() for p in model.parameters()]; the arrays themselves go on changing), and at "
            "the end write them back into the model's arrays: p[...] = saved.")

_RESTORE_B = ("put back EVERY parameter of the best epoch, b as well as W: keep "
              "[p.copy() for p in model.parameters()] and at the end write each back: p[...] = saved.")

_STOP_MISTAKES = [
    (_mistake(stop_after=1), "one epoch too many: stop as soon as `patience` epochs in a row "
                             "brought no new best (epoch - best_epoch >= patience)."),
    (_mistake(stop_after=-1), "one epoch too early: wait for `patience` epochs without a new "
                              "best, then stop (epoch - best_epoch >= patience)."),
    (_mistake(restore=False), _RESTORE),
    (_mistake(copy=False), _RESTORE),
    (_mistake(best_cmp="<="), "only a LOWER loss is a new best: an equal loss is no improvement "
                              "(use <, not <=), or a flat validation loss would never stop training."),
    (_mistake(zero_based=True), "count the epochs from 1, as fit does: the first epoch is epoch 1."),
    (_mistake(ignore_patience=True), "stop when `patience` epochs in a row brought no new best: "
                                     "training must end before max_epochs when the loss stops improving."),
]


def _describe(result):
    answer = result["answer"]
    # The toy model's W holds k and its b holds -k after epoch k (see _run).
    W_epoch, b_epoch = result["weights"], -result["bias"]
    if W_epoch == b_epoch:
        at_the_end = f"the weights at the end are those of epoch {W_epoch:g}"
    else:
        at_the_end = f"at the end W is that of epoch {W_epoch:g} but b that of epoch {b_epoch:g}"
    return f"returned {show(answer)}; trained {result['trained']} epochs; {at_the_end}"


@guarded
def early_stopping(fn):
    """Check early_stopping(model, train_one_epoch, validation_loss, max_epochs, patience)
    -> (best_epoch, losses), leaving the model with the best epoch's weights.

    A toy model whose weights record the epoch they are from, and scripted validation
    losses: a clear best then a rise, a new best that resets the count, no improvement
    after epoch 1, still improving at max_epochs, ties, patience 1, and max_epochs
    reached before patience runs out.  Compared: the best epoch, the losses measured
    (which says when training stopped), the epochs trained and the weights at the end."""
    task = "early_stopping"
    for case in STOP_CASES:
        expected = _run(_stop_reference, case, quietly=True)
        got = _run(fn, case)
        answer = got["answer"]
        if not isinstance(answer, (tuple, list)) or len(answer) != 2:
            raise report(f"{_label(case)}\n  got: {show(answer)}",
                         "return two things: `return best_epoch, losses`.")
        best_epoch, losses = answer
        right = (_same_number(best_epoch, expected["answer"][0])
                 and close(numbers(losses), np.array(expected["answer"][1]), rtol=0, atol=0)
                 and got["trained"] == expected["trained"]
                 and got["weights"] == expected["weights"] and got["bias"] == expected["bias"])
        if right:
            continue
        hint = None
        if got["weights"] == expected["weights"] and got["bias"] != expected["bias"]:
            hint = _RESTORE_B
        else:
            for wrong, why in _STOP_MISTAKES:
                if _same_run(_run(wrong, case, quietly=True), got) and all(
                        _same_run(_run(wrong, c, quietly=True), _run_quiet(fn, c)) for c in STOP_CASES):
                    hint = why
                    break
        if hint is None:
            hint = next((why for wrong, why in _STOP_MISTAKES
                         if _same_run(_run(wrong, case, quietly=True), got)), None)
        raise report(f"{_label(case)}\n  expected: {_describe(expected)}\n  got:      {_describe(got)}",
                     hint or "after each epoch: a new lowest loss -> remember the epoch and a copy "
                             "of the weights; else, if epoch - best_epoch >= patience, stop. At the "
                             "end, put the best weights back.")
    passed(task, f"{len(STOP_CASES)} scripted runs: when it stops, the best epoch, the weights put back")


def _same_number(got, expected):
    if isinstance(got, (bool, np.bool_, str, bytes)):
        return False
    return close(got, expected, rtol=0, atol=0)


def _run_quiet(fn, case):
    try:
        with quiet():
            return _run(fn, case, quietly=True)
    except Exception:
        return None


def _same_run(a, b):
    if a is None or b is None:
        return False
    try:
        (e1, l1), (e2, l2) = a["answer"], b["answer"]
        return (_same_number(e2, e1) and close(numbers(l2), np.array(l1), rtol=0, atol=0)
                and a["trained"] == b["trained"] and a["weights"] == b["weights"]
                and a["bias"] == b["bias"])
    except Exception:
        return False
