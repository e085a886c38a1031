"""Checks for exercises/06-putting-it-together.ipynb: a dense layer's backward pass,
counting parameters, the training loop, and a network that classifies the moons.

The notation of lesson 06 (a batch of n samples, a layer with k inputs and m neurons):

    forward    z = X @ W + b,   a = f(z)            X (n, k), W (k, m), b (m,), z and a (n, m)
    backward   dz = da * f'(z)                      (n, m), elementwise
               dW = X.T @ dz                        (k, m), summed over the samples
               db = the column sums of dz           (m,)
               dX = dz @ W.T                        (n, k), handed to the layer before
    parameters a Dense(k, m) layer has k * m weights and m biases
    one epoch  forward, loss, backward, update (full batch)

The right answers come from nnlib itself: Dense.backward, mlp(...).parameters(),
and an SGD loop that takes exactly the steps of nnlib.train.train_step and fit.
Every check runs your function on several cases and reports the first
difference with a hint.
"""
import contextlib
import inspect
import sys

import numpy as np

from nnlib import data as nnlib_data
from nnlib import train as nnlib_train
from nnlib.activations import get_activation
from nnlib.data import moons, train_test_split, xor
from nnlib.layers import Dense, mlp
from nnlib.losses import LOSSES
from nnlib.nn import Neuron
from nnlib.train import accuracy, predict_proba

from .base import (CheckFailed, Named, call, close, forbidden, guarded, known_mistake, numbers,
                   passed, quiet, replaced, seen, show, wrong_answer, wrong_parts)
from .base import as_training_run, loss_curve

# Task 4: the data, fixed here and in the exercise's text.
MOONS = {"n": 400, "noise": 0.2, "seed": 0}
SPLIT = {"test_ratio": 0.25, "seed": 0}
TARGET_ACCURACY = 0.95


# -------------------------------------------------- task 1: dense_backward --

def _numbers(rng, shape, scale=1.0):
    """Random numbers rounded to 2 decimals, so that messages stay readable."""
    return np.round(rng.normal(0.0, scale, size=shape), 2)


def _dense_cases():
    """(label, X, W, b, da, activation) for each case, first the lesson's own example."""
    X4, _ = xor()
    lesson = Dense(2, 3, activation="tanh", seed=0)
    cases = [("the lesson's XOR example: 4 samples, Dense(2, 3, 'tanh'), da = 1 everywhere",
              X4, lesson.W.copy(), np.zeros(3), np.ones((4, 3)), "tanh")]
    specs = [
        ("a batch of 5, Dense(3, 2, 'tanh')", 5, 3, 2, "tanh"),
        ("one sample (n = 1), Dense(3, 2, 'sigmoid')", 1, 3, 2, "sigmoid"),
        ("n_in != n_out: 4 samples, Dense(2, 5, 'relu')", 4, 2, 5, "relu"),
        ("one output neuron: 3 samples, Dense(4, 1, 'identity')", 3, 4, 1, "identity"),
        ("a square W: 3 samples, Dense(3, 3, 'tanh')", 3, 3, 3, "tanh"),
        ("one sample, one input: Dense(1, 2, 'relu')", 1, 1, 2, "relu"),
    ]
    for i, (label, n, k, m, activation) in enumerate(specs):
        rng = np.random.default_rng(60 + i)
        cases.append((label, _numbers(rng, (n, k)), _numbers(rng, (k, m)), _numbers(rng, m, 0.5),
                      _numbers(rng, (n, m)), activation))
    # Saturated tanh: z near +-1000, where f'(z) = 0 and no gradient gets through.
    cases.append(("saturated: 2 samples, Dense(2, 2, 'tanh') with z near +-1000",
                  np.array([[500.0, -300.0], [-400.0, 200.0]]), np.array([[1.5, -2.0], [-1.0, 0.5]]),
                  np.array([0.0, 1.0]), np.array([[1.0, -2.0], [0.5, 3.0]]), "tanh"))
    return cases


DENSE_CASES = _dense_cases()


def dense_case(i):
    """The arguments (X, W, z, da, f_prime) of dense_backward's case i (from 0), to try by hand."""
    label, X, W, b, da, activation = DENSE_CASES[i]
    f_prime = Named(f"{activation}_prime", get_activation(activation)[1])
    return X.copy(), W.copy(), X @ W + b, da.copy(), f_prime


def _dense_reference(X, W, b, da, activation):
    """(dW, db, dX) from nnlib's own Dense.backward, with the case's W and b."""
    layer = Dense(W.shape[0], W.shape[1], activation=activation)
    layer.W[...] = W
    layer.b[...] = b
    layer.forward(X)
    dX = layer.backward(da)
    return layer.dW.copy(), layer.db.copy(), dX


def _dz(X, W, z, da, fp):
    return da * fp(z)


_DENSE_PARTS = ("dW", "db", "dX")

# Known mistakes, one model per part (dW, db or dX) and a hint each.
_DENSE_MISTAKES = {
    "dW": [
        (lambda X, W, z, da, fp: _dz(X, W, z, da, fp).T @ X,
         "dW must have the shape of W, (k, m). From X (n, k) and dz (n, m) the product with "
         "that shape is X.T @ dz (the n samples meet in the middle); dz.T @ X is its transpose."),
        (lambda X, W, z, da, fp: X.T @ da,
         "go through the activation first: dz = da * f_prime(z), then dW = X.T @ dz."),
        (lambda X, W, z, da, fp: X.T @ _dz(X, W, z, da, fp) / len(X),
         "dW = X.T @ dz is a SUM over the samples (each weight is used once per sample and "
         "the grads add up); do not divide by n: the loss's 1/n is already inside da."),
        (lambda X, W, z, da, fp: X.T @ (da * fp(X @ W)),
         "use the z you are given (it includes the bias b): dz = da * f_prime(z)."),
    ],
    "db": [
        (lambda X, W, z, da, fp: _dz(X, W, z, da, fp).mean(axis=0),
         "sum, not mean: each bias is used once per sample and the grads add up, "
         "db = dz.sum(axis=0). (The loss's 1/n is already inside da.)"),
        (lambda X, W, z, da, fp: _dz(X, W, z, da, fp).sum(axis=1),
         "sum over the SAMPLES (down each column, axis=0): one number per neuron, shape (m,). "
         "axis=1 sums over the neurons instead."),
        (lambda X, W, z, da, fp: _dz(X, W, z, da, fp).sum(),
         "one bias per neuron, so db has shape (m,): dz.sum(axis=0), not the sum of everything."),
        (lambda X, W, z, da, fp: _dz(X, W, z, da, fp).sum(axis=0, keepdims=True),
         "db must have the shape of b, (m,): dz.sum(axis=0) without keepdims=True."),
        (lambda X, W, z, da, fp: _dz(X, W, z, da, fp),
         "db must have the shape of b, (m,): add up the rows of dz, dz.sum(axis=0)."),
        (lambda X, W, z, da, fp: da.sum(axis=0),
         "go through the activation first: dz = da * f_prime(z), then db = dz.sum(axis=0)."),
    ],
    "dX": [
        (lambda X, W, z, da, fp: _dz(X, W, z, da, fp) @ W,
         "dX must have the shape of X, (n, k): from dz (n, m) and W (k, m) that is dz @ W.T."),
        (lambda X, W, z, da, fp: da @ W.T,
         "go through the activation first: dz = da * f_prime(z), then dX = dz @ W.T."),
        (lambda X, W, z, da, fp: (_dz(X, W, z, da, fp) @ W.T) * fp(X),
         "dX = dz @ W.T, nothing more: the f' of the layer before is applied by that layer."),
    ],
}

_DENSE_HINTS = {
    "dW": "dW = X.T @ dz with dz = da * f_prime(z): shape (k, m), like W.",
    "db": "db = dz.sum(axis=0) with dz = da * f_prime(z): shape (m,), like b.",
    "dX": "dX = dz @ W.T with dz = da * f_prime(z): shape (n, k), like X.",
}

_SHAPE_CRASH = ("a matrix product does not fit. Write the shapes down: X (n, k), W (k, m), "
                "dz (n, m); the inner sizes of a product must agree: dW = X.T @ dz is "
                "(k, n)(n, m), dX = dz @ W.T is (n, m)(m, k).")


def _parts(got):
    """The learner's (dW, db, dX) as {"dW": float array, ...}, or a hint why not."""
    if got is None:
        return "nothing was returned: end with `return dW, db, dX`."
    if isinstance(got, np.ndarray) or not isinstance(got, (tuple, list)) or len(got) != 3:
        return "return the three gradients as a tuple: `return dW, db, dX`."
    parts = [numbers(p) for p in got]
    if any(p is None for p in parts):
        return "each of dW, db and dX must be a numpy array of numbers."
    return dict(zip(_DENSE_PARTS, parts))


@guarded
def dense_backward(fn):
    """Check dense_backward(X, W, z, da, f_prime) -> (dW, db, dX), against Dense.backward.

        dz = da * f_prime(z),  dW = X.T @ dz,  db = dz.sum(axis=0),  dX = dz @ W.T
    Cases: the lesson's XOR example, tanh, sigmoid, relu and identity layers, a single
    sample, n_in != n_out, one output neuron, a square W, and a saturated tanh (z near
    +-1000). The first wrong part (dW, db or dX) is reported with a hint.
    """
    task = "dense_backward"
    crash_hints = [
        ("not aligned", _SHAPE_CRASH), ("mismatch in its core dimension", _SHAPE_CRASH),
        ("could not be broadcast", "an elementwise product needs arrays of the same "
                                   "shape: dz = da * f_prime(z), both (n, m)."),
    ]
    for i, (label, X, W, b, da, activation) in enumerate(DENSE_CASES):
        args = dense_case(i)
        expected = dict(zip(_DENSE_PARTS, _dense_reference(X, W, b, da, activation)))
        head = (f"{task}(X, W, z, da, {activation}_prime): case {i + 1} of {len(DENSE_CASES)}, "
                f"{label}\n  shapes: X {X.shape}, W {W.shape}, z and da {da.shape}\n"
                f"  (try it: X, W, z, da, f_prime = check.dense_case({i}))")
        result = call(task, fn, args, label=head, crash_hints=crash_hints)
        got = _parts(result)
        if isinstance(got, str):
            raise CheckFailed(f"{head}\n  got: {show(result)}\n  hint: {got}")
        shapes = [p.shape for p in got.values()]
        wanted = [e.shape for e in expected.values()]
        if shapes != wanted and sorted(shapes) == sorted(wanted) and len(set(wanted)) == 3:
            raise CheckFailed(f"{head}\n  got arrays of shapes {shapes}, expected {wanted}\n"
                              "  hint: the order: return (dW, db, dX).")
        wrong = wrong_parts(got, expected, args, _DENSE_MISTAKES)
        if wrong:
            name, hint = wrong[0]
            raise wrong_answer(f"{head}\n  {name} is wrong", expected[name], got[name],
                               hint or _DENSE_HINTS[name])
    passed(task, f"{len(DENSE_CASES)} cases, the same dW, db and dX as Dense.backward")


# ------------------------------------------------ task 2: count_parameters --

def _count_parameters(sizes):
    """From nnlib itself: the total size of mlp(sizes)'s parameter arrays."""
    return sum(p.size for p in mlp(list(sizes)).parameters())


def _pairs(sizes):
    return list(zip(sizes[:-1], sizes[1:]))


_COUNT_MISTAKES = [
    (lambda s: sum(k * m for k, m in _pairs(s)),
     "the biases are missing: a Dense(k, m) layer has k * m weights AND m biases, one per neuron."),
    (lambda s: sum(k * m + k for k, m in _pairs(s)),
     "one bias per NEURON of the layer (m of them), not one per input: (k + 1) * m per layer."),
    (lambda s: sum((k + 1) * (m + 1) for k, m in _pairs(s)),
     "a Dense(k, m) layer has (k + 1) * m parameters: k weights and 1 bias for each of its "
     "m neurons."),
    (lambda s: sum(k * m for k, m in _pairs(s)) + sum(s),
     "the inputs are not neurons: they have no bias. Biases belong to the layers after the "
     "input, m per Dense(k, m) layer."),
    (lambda s: sum((k + 1) * m for k, m in _pairs(s)[:-1]),
     "the last layer is missing: sizes with L + 1 numbers make L layers, "
     "for i in range(len(sizes) - 1)."),
    (lambda s: sum((k + 1) * m for k, m in _pairs(s)[1:]),
     "the first layer is missing: the first layer of weights connects sizes[0] and sizes[1]."),
    (lambda s: sum((m + 1) * m for m in s[1:]),
     "each layer's weights connect two neighbouring sizes: k * m, with k the size before "
     "and m the layer's own size."),
    (lambda s: int(np.prod(s)),
     "multiplying all sizes counts paths through the network, not parameters: add up "
     "(k + 1) * m over neighbouring pairs (k, m)."),
    (lambda s: sum(s),
     "that counts neurons (and inputs); parameters are the weights and biases: "
     "(k + 1) * m for each pair of neighbouring sizes (k, m)."),
]


def _same_count(got, expected):
    """A count is a number (an int, or a whole float): not True, not the text "105"."""
    if isinstance(got, (bool, np.bool_, str, bytes)):
        return False
    return close(got, expected, rtol=0, atol=0)


@guarded
def count_parameters(fn):
    """Check count_parameters(sizes) -> the number of weights and biases of mlp(sizes).

    A Dense(k, m) layer has k * m weights and m biases; add them up over the layers.
    Cases: [2, 8, 8, 1] (the lesson's 105), [2, 1] (no hidden layer), [2, 8, 1],
    [1, 1], [3, 5], [2, 16, 16, 1], [784, 128, 10] and a deep narrow network.
    """
    cases = [([2, 8, 8, 1],), ([2, 1],), ([2, 8, 1],), ([1, 1],), ([3, 5],), ([2, 16, 16, 1],),
             ([784, 128, 10],), ([4, 3, 2, 1, 1],)]
    crash_hints = [("index out of range", (
        "sizes with L + 1 numbers make L layers: pair each size with the next one, "
        "for i in range(len(sizes) - 1) (or zip(sizes[:-1], sizes[1:]))."))]
    for args in cases:
        expected = _count_parameters(*args)
        with forbidden((Dense, "__init__"), (Neuron, "__init__")) as built:  # "do not build"
            try:
                got = call("count_parameters", fn, args, crash_hints=crash_hints)
            except CheckFailed:
                if not built:
                    raise
        if built:
            raise CheckFailed(f"count_parameters{show(args)} builds the network (it makes "
                              "layers) to count its parameters\n  hint: the task asks you to "
                              "count from the sizes alone: a Dense(k, m) layer has k * m weights "
                              "and m biases; add them up over neighbouring pairs of sizes.")
        if _same_count(got, expected):
            continue
        if isinstance(got, (str, bytes)):
            hint = (f"you returned the text {got!r}: return the number itself "
                    "(an int such as 105, not a string).")
        elif isinstance(got, (int, float, np.integer, np.floating)) and not isinstance(got, bool):
            hint = known_mistake(got, args, _COUNT_MISTAKES, _same_count, fn=fn, cases=cases) or (
                "add (k + 1) * m over each pair of neighbouring sizes (k, m): "
                "k * m weights and m biases per layer.")
        else:
            hint = "return one whole number, the total over all layers."
        raise wrong_answer(f"count_parameters{show(args)}", expected, got, hint)
    passed("count_parameters", f"{len(cases)} networks, e.g. mlp([784, 128, 10]) has "
                               f"{_count_parameters([784, 128, 10]):,} parameters")


# ------------------------------------------------------------ task 3: train --

def _train_reference(X, y, hidden, lr, epochs, seed, *, sign=1.0, after=False, loss="bce",
                     output="identity", grad_scale=1.0, model_seed=None, step=True):
    """The lesson's loop: mlp([k, hidden, 1]) (tanh, logits out), full batch, plain SGD,
    each loss measured before its update. The keywords turn on one mistake each."""
    model = mlp([X.shape[1], hidden, 1], activation="tanh", output_activation=output,
                seed=seed if model_seed is None else model_seed)
    loss_fn, loss_grad = LOSSES[loss]
    losses = []
    for _ in range(epochs):
        z = model.forward(X)
        L = loss_fn(z, y)
        model.backward(grad_scale * loss_grad(z, y), need_dX=False)
        if step:
            for p, g in zip(model.parameters(), model.gradients()):
                p -= sign * lr * g          # SGD.step: p = p - lr * g
        if after:
            L = loss_fn(model.forward(X), y)
        losses.append(L)
    return model, losses


def _train_cases():
    """(label, X, y, hidden, lr, epochs, seed)."""
    X, y = moons(n=100, noise=0.2, seed=1)
    X_train, _, y_train, _ = train_test_split(X, y, test_ratio=0.25, seed=1)
    X4, y4 = xor()
    rng = np.random.default_rng(6)
    X3 = np.round(rng.normal(size=(40, 3)), 2)
    y3 = (X3[:, 0] + X3[:, 1] * X3[:, 2] > 0).astype(int)
    return [
        ("moons, 75 training points", X_train, y_train, 8, 0.5, 60, 0),
        ("the 4 XOR points", X4, y4, 4, 1.0, 40, 1),
        ("moons again, another seed", X_train, y_train, 3, 0.2, 25, 5),
        ("40 points with 3 features", X3, y3, 5, 0.3, 30, 2),
        ("a single epoch", X4, y4, 2, 0.5, 1, 0),
    ]


TRAIN_CASES = _train_cases()

_TRAIN_MISTAKES = [
    (dict(step=False),
     "the loss never changes: nothing updates the weights. After backward, call "
     "optimizer.step(model.parameters(), model.gradients()). (Or is the model made anew "
     "inside the loop? Make it once, before the loop.)"),
    (dict(sign=-1.0),
     "the loss grows: your update climbs uphill. The step goes AGAINST the gradient, "
     "W = W - lr * dW (SGD's step does that)."),
    (dict(after=True),
     "record the loss of each epoch's forward pass, BEFORE the update (as train_step "
     "returns it): losses[0] is the loss of the untrained network."),
    (dict(loss="mse"),
     "that is the mean squared error: for two classes use bce_with_logits(z, y) and "
     "its gradient bce_with_logits_grad(z, y)."),
    (dict(output="sigmoid"),
     "the last layer must output logits (mlp's default output_activation='identity'): "
     "bce_with_logits applies the sigmoid itself."),
    (dict(model_seed=0),
     "use the seed you are given: mlp([...], seed=seed). Your run looks like seed 0."),
]


def _as_run(got):
    return as_training_run(got, "mlp([...])", "epoch")


def _brief(value):
    """A one-line description of what a function returned."""
    if isinstance(value, (tuple, list)):
        kinds = ", ".join(type(v).__name__ for v in value[:4])
        return f"a {type(value).__name__} of {len(value)}: ({kinds}{', ...' if len(value) > 4 else ''})"
    if value is None or isinstance(value, (int, float, np.ndarray)):
        return show(value)
    return type(value).__name__


def _describe(losses):
    """'flat', 'rising' or 'falling', for a hint when no known mistake matches."""
    if len(losses) < 2 or np.allclose(losses, losses[0], rtol=1e-9, atol=1e-12):
        return "flat"
    return "rising" if losses[-1] > losses[0] else "falling"


def _train_report(head, got, expected_model, expected, case):
    """None if the learner's run is the reference's; else the report, with a hint."""
    run = _as_run(got)
    if isinstance(run, str):
        return f"{head}\n  got: {_brief(got)}\n  hint: {run}"
    model, losses = run
    label, X, y, hidden, lr, epochs, seed = case
    lines = f"{head}\n  expected losses: {loss_curve(expected)}\n  got losses:      {loss_curve(losses)}"
    if len(losses) != len(expected):
        if len(losses) == len(expected) - 1:
            why = "one loss short: record a loss in every epoch, `for epoch in range(epochs)`."
        elif len(losses) == 0:
            why = "the list is empty: append each epoch's loss to it (losses.append(L))."
        else:
            why = f"one loss per epoch: epochs={epochs} gives {epochs} losses."
        return f"{lines}\n  hint: {why}"
    if close(losses, expected):
        params = [np.asarray(p) for p in model.parameters()] if callable(
            getattr(model, "parameters", None)) else []
        want = expected_model.parameters()
        if len(params) == len(want) and all(close(p, w) for p, w in zip(params, want)):
            return None
        return (f"{head}\n  the losses are right, but the model returned is not the trained one"
                f"\n  hint: return the very model you trained (its weights changed in place), "
                f"not a new mlp.")
    if not np.all(np.isfinite(losses)):
        return (f"{lines}\n  hint: the loss became nan or inf: the weights blew up. Check the update "
                "(W = W - lr * dW, with the lr given) and the gradient you start backward with, "
                "bce_with_logits_grad(z, y).")
    k = int(np.argmax(~np.isclose(losses, expected, rtol=1e-6, atol=1e-9)))
    lines += f"\n  first difference at epoch {k + 1}: expected {expected[k]:.6f}, got {losses[k]:.6f}"
    for keywords, why in _TRAIN_MISTAKES:
        if keywords.get("model_seed") == seed:
            continue
        _, guess = _train_reference(X, y, hidden, lr, epochs, seed, **keywords)
        if close(losses, guess):
            return f"{lines}\n  hint: {why}"
    _, scaled = _train_reference(X, y, hidden, lr, epochs, seed, grad_scale=len(X))
    if close(losses, scaled):
        return (f"{lines}\n  hint: your steps are n = {len(X)} times too large: the gradient of a "
                f"MEAN loss has a 1/n, (sigmoid(z) - y) / n. Use bce_with_logits_grad(z, y).")
    if k == 0 and losses[0] < 0.6 * expected[0]:
        return (f"{lines}\n  hint: the very first loss is already low: this network was trained "
                "before the call. Make a fresh model inside train, from its arguments, so that "
                "nothing carries over from one call to the next.")
    shape = _describe(losses)
    if shape == "flat":
        why = _TRAIN_MISTAKES[0][1]
    elif shape == "rising":
        why = _TRAIN_MISTAKES[1][1]
    else:
        why = ("your loss falls, good, but not step for step like the reference. Use exactly "
               "mlp([X.shape[1], hidden, 1], seed=seed) (tanh hidden layer, logits out), "
               "SGD(lr=lr), the whole data set in every step, and bce_with_logits.")
    return f"{lines}\n  hint: {why}"


@guarded
def train(fn):
    """Check train(X, y, hidden, lr, epochs, seed) -> (model, losses).

    The loop of the lesson: model = mlp([X.shape[1], hidden, 1], seed=seed) (tanh,
    logits out), optimizer = SGD(lr), and for each epoch on the whole data set:
    forward, loss = bce_with_logits (recorded before the update), backward, step.
    Every loss and the final weights must match that loop, step for step. Cases:
    moons, XOR, another seed, 3 input features and a single epoch; then the first
    case again, which must give the same run (nothing kept between calls).
    """
    task = "train"
    crash_hints = [
        ("not aligned", "the first layer must take X.shape[1] inputs: "
                        "mlp([X.shape[1], hidden, 1], seed=seed), not a fixed 2."),
        ("but the model expects", "the first layer must take X.shape[1] inputs: "
                                  "mlp([X.shape[1], hidden, 1], seed=seed), not a fixed 2."),
        ("optimizer must be", "make the optimizer once, before the loop: optimizer = SGD(lr=lr)."),
        ("needs an optimizer", "make the optimizer once, before the loop: optimizer = SGD(lr=lr)."),
        ("has no attribute 'step'", "make the optimizer once, before the loop: "
                                    "optimizer = SGD(lr=lr)."),
    ]
    first = None
    for case in TRAIN_CASES + TRAIN_CASES[:1]:
        label, X, y, hidden, lr, epochs, seed = case
        args = (X, y, hidden, lr, epochs, seed)
        head = (f"train(X, y, hidden={hidden}, lr={lr}, epochs={epochs}, seed={seed}) on {label}, "
                f"X {X.shape}")
        got = call(task, fn, args, label=head, crash_hints=crash_hints)
        if first is not None and case is TRAIN_CASES[0]:
            run = _as_run(got)
            if not isinstance(run, str) and not close(run[1], first):
                raise CheckFailed(
                    f"{head}\n  called a second time with the same arguments, it gave other losses:"
                    f"\n  first call:  {loss_curve(first)}\n  second call: {loss_curve(run[1])}\n  hint: make "
                    "everything inside train (the model, the optimizer, the list) from its "
                    "arguments, so that nothing carries over from one call to the next.")
            continue
        expected_model, expected = _train_reference(*args)
        report = _train_report(head, got, expected_model, expected, case)
        if report:
            raise CheckFailed(report)
        if first is None:
            first = list(expected)
    passed(task, f"{len(TRAIN_CASES)} runs match nnlib step for step; on the moons the loss fell "
                 f"from {first[0]:.3f} to {first[-1]:.3f} in {len(first)} epochs")


# ------------------------------------------------------- task 4: moons_model --

def moons_split():
    """The data of task 4: X_train, X_test, y_train, y_test."""
    X, y = moons(**MOONS)
    return train_test_split(X, y, **SPLIT)


def _sizes(model):
    """[n_in, n_1, ..., n_out] of an nnlib model, for messages."""
    layers = getattr(model, "layers", [model])
    return [layers[0].n_in] + [layer.n_out for layer in layers]


def _draw(model, X_train, X_test, y_train, y_test, title):
    import matplotlib.pyplot as plt

    from nnlib.plots import decision_boundary, scatter_classes

    fig, ax = plt.subplots(figsize=(4.5, 3.4), layout="constrained")
    decision_boundary(lambda P: predict_proba(model, P), X_train, y_train, ax=ax, resolution=60,
                      title=title)
    scatter_classes(X_test, y_test, ax=ax, hollow=True)
    plt.show()
    plt.close(fig)


def _blown_up(model):
    """True when the model's weights are nan, inf or huge: training diverged."""
    with quiet():
        for p in model.parameters():
            values = numbers(p)
            if values is None or not np.all(np.isfinite(values)) or np.max(np.abs(values)) > 1e3:
                return True
    return False


def _moons_hint(train_acc, model=None):
    """What a test accuracy below the target suggests, judged by the weights (did they blow
    up?) and then by the training accuracy."""
    if model is not None and _blown_up(model):
        return ("the weights blew up (some are nan, inf or larger than 1000): the learning rate "
                "is far too LARGE, so every step overshoots and the loss grows. Try 0.1 to 1.")
    if train_acc < 0.6:
        return ("it has hardly learned: about 50% is guessing. Is the loss curve flat near 0.69? "
                "Then the learning rate is far too small, training far too short, or the update "
                "step is missing.")
    if train_acc < TARGET_ACCURACY:
        return ("under-fitting: even the training points are not learned. A straight line, "
                "mlp([2, 1]), gets about 87% of them (and 89% of the test points), so your "
                "boundary is still nearly straight. More epochs? A larger learning rate? More "
                "hidden units, or a second hidden layer? Look at the loss curve: still falling "
                "at the end means train longer; jagged means the learning rate is too large.")
    return ("the training points are learned but new points are not: over-fitting, the boundary "
            "bends around noisy training points. Train for fewer epochs, use a smaller network or "
            "a smaller learning rate; compare the loss curves of the training points and of a "
            "validation set split off from them.")


@contextlib.contextmanager
def _attribute(owner, name, value):
    """owner.name = value for the duration of a with block."""
    original = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, original)


TRAIN_ONLY_HINT = ("\n  hint: train on X_train, y_train only (the 300 training points); the test "
                   "points are for measuring, once, at the end.")


def _trained_on_training_points_only(fn, test_acc):
    """The rule "train on the 300 training points only", checked two ways while
    moons_model runs again, on data whose 100 TEST labels are flipped (the training
    points stay as they are):

    * a spy on nnlib's Dense layers: a backward pass (a training step) through a network
      whose input held test points fails at once, whatever the accuracy does.  A net
      trained on all 400 points may keep its boundary when the test labels flip (the
      300 unchanged points outvote them), so the flip alone would let it through;
    * the flip itself, for anything the spy cannot see: a model trained on the training
      points alone cannot notice it; one that learned from the test points follows the
      flipped labels and its test accuracy drops.  So does one that the test points told
      when to stop (fit's patience, given X_test=X_test): a spy on nnlib's fit tells.
    """
    X, y = nnlib_data.moons(**MOONS)
    X_test = moons_split()[1]
    rows = {tuple(row) for row in X_test}
    test = np.array([tuple(row) in rows for row in X])
    real, real_fit, real_backward = nnlib_data.moons, nnlib_train.fit, Dense.backward
    fed = set()  # "X_test": fit got test points to watch; "trained": a backward pass saw some

    first = np.sort(X_test[:, 0])

    def has_test_points(points):
        """Some row within 1e-6 of a test point: also a test point cast to float32 or nudged.
        (No training point is that close to one: the nearest is 0.006 away.)  It runs at
        every training step, so the first coordinate is looked up in the sorted test
        points first, and only rows close in it are compared whole."""
        if not (isinstance(points, np.ndarray) and points.ndim == 2 and points.shape[1] == 2):
            return False
        x = points[:, 0]
        i = np.clip(np.searchsorted(first, x), 1, len(first) - 1)   # its neighbours: first[i-1], first[i]
        close = np.minimum(np.abs(x - first[i - 1]), np.abs(x - first[i])) < 1e-6
        if not close.any():
            return False
        distance = np.abs(points[close][:, None, :] - X_test[None, :, :]).max(axis=2)
        return bool((distance < 1e-6).any())

    def backward_watched(layer, *args, **kwargs):
        if "trained" not in fed and has_test_points(layer.X):
            fed.add("trained")
        return real_backward(layer, *args, **kwargs)

    def moons_with_test_labels_flipped(*args, **kwargs):
        X_made, y_made = real(*args, **kwargs)
        if np.shape(X_made) == X.shape and np.array_equal(X_made, X):  # the task's data
            y_made = np.where(test, 1 - y_made, y_made)
        return X_made, y_made

    def fit_watched(*args, **kwargs):
        try:
            given = inspect.signature(real_fit).bind(*args, **kwargs).arguments
            if has_test_points(numbers(given.get("X_test"))):
                fed.add("X_test")
        except Exception:  # arguments fit itself will refuse: it says why
            pass
        return real_fit(*args, **kwargs)

    # (a function of the learner's own that is called fit is left alone)
    watch_fit = (replaced(fn, "fit", fit_watched) if seen(fn, "fit") is real_fit
                 else contextlib.nullcontext())
    with replaced(fn, "moons", moons_with_test_labels_flipped), watch_fit, \
            _attribute(nnlib_data, "moons", moons_with_test_labels_flipped), \
            _attribute(nnlib_train, "fit", fit_watched), \
            _attribute(Dense, "backward", backward_watched), \
            _attribute(sys.modules[__name__], "moons", moons_with_test_labels_flipped):
        model = call("moons_model (again, with the test labels flipped)", fn, ())
    if "trained" in fed:
        raise CheckFailed(
            f"moons_model() reached {test_acc:.0%} on the test points, but it trained on them: "
            "its network took training steps (backward passes) on some of the 100 test points"
            + TRAIN_ONLY_HINT)
    X_train, X_test, y_train, y_test = moons_split()
    try:
        with quiet():
            flipped_acc = accuracy(model, X_test, y_test)
    except Exception:
        return  # not a model this time: nothing to compare
    if flipped_acc >= test_acc - 0.1:
        return
    said = (f"moons_model() reached {test_acc:.0%} on the test points, but {{}}: when only the "
            f"test points' labels change, its test accuracy falls to {flipped_acc:.0%}")
    if "X_test" in fed:
        raise CheckFailed(
            said.format("the test points chose when to stop (fit got them as X_test, y_test)")
            + "\n  hint: the test points are for measuring, once, at the end: they may not "
            "choose when training stops either (fit's patience stops by the loss on X_test). "
            "For early stopping, hold out a validation split of the training points: "
            "X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_ratio=0.2, "
            "seed=1), then fit(model, X_fit, y_fit, X_test=X_val, y_test=y_val, patience=...).")
    raise CheckFailed(
        said.format("it learned from them")
        + "\n  hint: train on X_train, y_train only (the 300 training points), and do not let "
        "the test points choose when to stop either (as fit's patience does with X_test=X_test):"
        " hold out a validation split of X_train for that. The test points are for measuring, "
        "once, at the end.")


@guarded
def moons_model(fn, draw=True):
    """Check moons_model() -> a trained nnlib model reaching at least 95% test accuracy.

    The data: moons(n=400, noise=0.2, seed=0), split by
    train_test_split(X, y, test_ratio=0.25, seed=0). The check makes its own copy of
    the split and measures nnlib.train.accuracy on the 100 test points, which your
    function must not train on. draw: show the boundary with the test points.
    """
    task = "moons_model"
    model = call(task, fn, (), crash_hints=[
        ("TrainingDiverged", "the learning rate is too large: try 3 to 10 times smaller.")])
    if hasattr(model, "loss") and hasattr(model, "test_loss"):
        raise CheckFailed(f"{task}() returned a History\n  hint: fit(model, ...) returns the "
                          "History and trains `model` in place: return the model itself.")
    if isinstance(model, tuple) and len(model) == 2 and callable(getattr(model[0], "forward", None)):
        raise CheckFailed(f"{task}() returned a pair\n  hint: return only the model, "
                          "e.g. `model, losses = train(...)` then `return model`.")
    needed = ("forward", "backward", "parameters", "gradients")
    if not all(callable(getattr(model, name, None)) for name in needed):
        raise CheckFailed(f"{task}() returned {show(model)}\n  hint: return the trained numpy "
                          "model, e.g. mlp([2, 16, 1]) from nnlib.layers, after training it.")
    sizes = _sizes(model)
    if sizes[0] != 2 or sizes[-1] != 1:
        raise CheckFailed(f"{task}() returned a model mlp({sizes})\n  hint: the moons have 2 "
                          "features and 2 classes: 2 inputs and 1 output (a logit), "
                          "mlp([2, ..., 1]).")
    X_train, X_test, y_train, y_test = moons_split()
    with quiet():
        test_acc = accuracy(model, X_test, y_test)
        train_acc = accuracy(model, X_train, y_train)
    right = int(round(test_acc * len(y_test)))
    n_params = sum(np.size(p) for p in model.parameters())
    summary = (f"test accuracy {test_acc:.0%} ({right} of {len(y_test)} test points), "
               f"training accuracy {train_acc:.0%}, with mlp({sizes}) ({n_params} parameters)")
    if draw:
        _draw(model, X_train, X_test, y_train, y_test,
              f"mlp({sizes}): test accuracy {test_acc:.0%}\nfilled = train, rings = test")
    if right >= round(TARGET_ACCURACY * len(y_test)):
        _trained_on_training_points_only(fn, test_acc)
        passed(task, summary)
        return
    raise CheckFailed(f"{task}(): {summary}\n  needed: at least {TARGET_ACCURACY:.0%} on the test "
                      f"points\n  hint: {_moons_hint(train_acc, model)}")
