"""An independent set of student answers for every task of exercises 01-07, and a battery of
odd answers for every check.

Three promises of the checks are measured here, task by task:
  * every wrong answer is caught (❌ NOT YET), and never called right;
  * every right answer passes, however it is written (a loop, a helper, another formula);
  * whatever a function does (returns text, a huge int, a generator, raises anything,
    prints, changes its arguments), the learner sees one worded report, never a traceback.

The wrong answers were written for this file, not copied from the checks' own lists of
known mistakes: slips a learner makes (a sign, a factor, an axis, a copy), answers that
break a rule the task states, and small numeric slips (a factor 1.01, an added 1e-3).

    .venv/bin/python -m tests.test_checks_adversarial     prints the catch rate per task
"""
import math
import sys

import numpy as np
import pytest

from nnlib.activations import sigmoid
from nnlib.checks import lesson01 as c1
from nnlib.checks import lesson02 as c2
from nnlib.checks import lesson03 as c3
from nnlib.checks import lesson04 as c4
from nnlib.checks import lesson05 as c5
from nnlib.checks import lesson06 as c6
from nnlib.checks import lesson07 as c7
from nnlib.checks.base import CheckFailed, NotImplementedYet
from nnlib.data import moons, train_test_split
from nnlib.engine import Value
from nnlib.layers import Dense, mlp
from nnlib.losses import bce_with_logits, bce_with_logits_grad
from nnlib.optim import SGD
from nnlib.train import fit


# ================================================================ lesson 01 ==

def neuron(X, w, b):
    """The learner's neuron of task 1, right (the XOR answers below call it by this name)."""
    return (np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b >= 0).astype(int)


def _z(X, w, b):
    X = np.asarray(X, dtype=float)
    return w[0] * X[..., 0] + w[1] * X[..., 1] + b


def _neuron_loop(X, w, b):
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        return int(w[0] * X[0] + w[1] * X[1] + b >= 0)
    return np.array([1 if w[0] * x1 + w[1] * x2 + b >= 0 else 0 for x1, x2 in X])


NEURON_RIGHT = [
    neuron, _neuron_loop,
    lambda X, w, b: _z(X, w, b) >= 0,
    lambda X, w, b: np.where(_z(X, w, b) >= 0, 1, 0),
    lambda X, w, b: np.heaviside(_z(X, w, b), 1.0),
    lambda X, w, b: 1 - (_z(X, w, b) < 0),
]
NEURON_WRONG = [
    lambda X, w, b: (_z(X, w, b) > 0).astype(int),
    lambda X, w, b: (_z(X, w, b) >= 0.5).astype(int),
    lambda X, w, b: (_z(X, w, 0) >= 0).astype(int),
    lambda X, w, b: (_z(X, w, -b) >= 0).astype(int),
    lambda X, w, b: _z(X, w, b),
    lambda X, w, b: (_z(X, w, b) >= 0).astype(int)[..., None],
    lambda X, w, b: (_z(X, w[::-1], b) >= 0).astype(int),
    lambda X, w, b: (_z(X, w, b) < 0).astype(int),
    lambda X, w, b: (_z(np.asarray(X).astype(int), w, b) >= 0).astype(int),
    lambda X, w, b: (np.asarray(X, float).T @ np.asarray(w, float) + b >= 0).astype(int),
    lambda X, w, b: np.sign(_z(X, w, b)),
    lambda X, w, b: np.round(sigmoid(_z(X, w, b))),
    lambda X, w, b: np.ones(np.shape(_z(X, w, b)), dtype=int),
    lambda X, w, b: (_z(X, w, b) >= 1e-9).astype(int),
    lambda X, w, b: (np.abs(_z(X, w, b)) >= 0).astype(int),
    lambda X, w, b: (_z(X, w, b) >= 0).astype(int)[:1],
    lambda X, w, b: (np.asarray(X, float)[0] * w[0] + np.asarray(X, float)[1] * w[1] + b
                     >= 0).astype(int),
    lambda X, w, b: (w[0] * np.asarray(X, float)[..., 0] + b >= 0).astype(int),
]

GATES = {"AND": ([1, 1], -1.5), "OR": ([1, 1], -0.5), "NAND": ([-1, -1], 1.5),
         "NOR": ([-1, -1], 0.5), "RESCUE": ([1, -1], -0.5)}


def _const(value):
    return lambda: value


def _gate_wrongs(right_w, right_b, others):
    """Wrong weights for a gate task: other gates, nudged biases, and malformed answers."""
    w = np.asarray(right_w, dtype=float)
    return [_const(GATES[g]) for g in others] + [
        _const((list(w), right_b + 1.0)), _const((list(w), right_b - 1.0)),
        _const((list(-w), -right_b)), _const((list(w), -right_b)),
        _const((list(w[::-1] * [1, 0]), right_b)),
        _const((list(w), right_b, 0.0)), _const(list(w)), _const((list(w) + [1.0], right_b)),
        _const((str(list(w)), right_b)), _const(([np.nan, 1.0], right_b)),
        _const((list(w), math.inf)), _const(None),
    ]


GATE_TASKS = {
    "and_weights": (c1.and_weights, [GATES["AND"], ([2, 2], -3), (np.array([0.5, 0.5]), -0.75),
                                     ((1, 1), -2), ([0.1, 0.2], -0.3)],
                    _gate_wrongs(*GATES["AND"], ["OR", "NAND", "NOR"])),
    "or_weights": (c1.or_weights, [GATES["OR"], ([2, 2], -1), ((1.0, 1.0), -1.0), ([3, 5], -2)],
                   _gate_wrongs(*GATES["OR"], ["AND", "NAND", "NOR"])),
    "nand_weights": (c1.nand_weights, [GATES["NAND"], ([-2, -2], 3), ([-1, -1], 1.0),
                                       (np.array([-0.5, -0.5]), 0.9)],
                     _gate_wrongs(*GATES["NAND"], ["AND", "OR", "NOR"])),
    "rescue_weights": (c1.rescue_weights, [GATES["RESCUE"], ([2, -2], -1), ([1, -2], -0.5),
                                           ((1.0, -1.0), -0.1)],
                       _gate_wrongs(*GATES["RESCUE"], ["AND", "OR", "NAND"])),
}

OR_, NAND_, AND_ = GATES["OR"], GATES["NAND"], GATES["AND"]


def _hidden(X, gates):
    return np.stack([neuron(X, *g) for g in gates], axis=-1)


XOR_RIGHT = [
    lambda X: neuron(np.stack([neuron(X, *OR_), neuron(X, *NAND_)], axis=-1), *AND_),
    lambda X: neuron(_hidden(X, [OR_, NAND_]), *AND_),
    lambda X: neuron(_hidden(X, [NAND_, OR_]), *AND_),
    lambda X: np.array([neuron(np.array([neuron(x, *OR_), neuron(x, *NAND_)]), *AND_) for x in X]),
    lambda X: neuron(np.column_stack([neuron(X.astype(float), *OR_),
                                      neuron(X.astype(float), *NAND_)]), *AND_).tolist(),
]
XOR_WRONG = [
    lambda X: neuron(_hidden(X, [OR_, AND_]), *AND_),
    lambda X: neuron(_hidden(X, [OR_, NAND_]), *OR_),
    lambda X: neuron(_hidden(X, [OR_, NAND_]), *NAND_),
    lambda X: neuron(_hidden(X, [AND_, NAND_]), *AND_),
    lambda X: neuron(X, *AND_),
    lambda X: neuron(np.stack([neuron(X, *OR_), neuron(X, *NAND_)]), *AND_),
    lambda X: (neuron(_hidden(X, [OR_, NAND_]), *AND_), _hidden(X, [OR_, NAND_])),
    lambda X: (X[:, 0] != X[:, 1]).astype(int),
    lambda X: X[:, 0].astype(int) ^ X[:, 1].astype(int),
    lambda X: np.logical_xor(X[:, 0], X[:, 1]).astype(int),
    lambda X: neuron(X, *OR_) & neuron(X, *NAND_),
    lambda X: neuron(X, *OR_) * neuron(X, *NAND_),
    lambda X: np.minimum(neuron(X, *OR_), neuron(X, *NAND_)),
    lambda X: np.abs(X[:, 0] - X[:, 1]).astype(int),
    lambda X: [neuron(X, *OR_), (X[:, 0] + X[:, 1] == 1).astype(int)][1],
]

BLOBS_RIGHT = [([2, -1], 0.5), ([1, -0.5], 0.25), ((4.0, -2.0), 1.0), (np.array([1.0, -0.4]), 0.1)]
BLOBS_WRONG = [([-2, 1], -0.5), ([0, 0], 1), ([0, 0], -1), ([1, 1], 0), ([0, 1], 0), ([2, -1], 5),
               ([2, -1], -5), ([1, 2], 0), ([2, -1],), "2, -1, 0.5", ([2, np.inf], 0.5),
               ([-1, 0], 0)]

# ================================================================ lesson 02 ==


def _sigmoid(z):
    u = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + u), u / (1 + u))


SIGMOID_RIGHT = [
    _sigmoid,
    lambda z: np.exp(-np.logaddexp(0.0, -z)),
    lambda z: 0.5 * (1 + np.tanh(z / 2)),
    lambda z: np.where(z >= 0, 1, np.exp(-np.abs(z))) / (1 + np.exp(-np.abs(z))),
]
SIGMOID_WRONG = [
    lambda z: 1 / (1 + np.exp(-z)),
    lambda z: np.exp(z) / (1 + np.exp(z)),
    lambda z: 1 / (1 + np.exp(np.clip(-z, -700, 700))) * 1.0001,
    lambda z: _sigmoid(-z),
    lambda z: _sigmoid(z).ravel(),
    lambda z: np.tanh(z),
    lambda z: np.clip(0.25 * z + 0.5, 0, 1),
    lambda z: 1 / (1 + np.exp(-np.abs(z))),
    lambda z: np.round(_sigmoid(z), 3),
    lambda z: _sigmoid(z) + 1e-3,
    lambda z: np.exp(-np.abs(z)),
    lambda z: np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z))),
]


def _sigmoid_prime(z):
    s = _sigmoid(z)
    return s * (1 - s)


SIGMOID_PRIME_RIGHT = [
    _sigmoid_prime,
    lambda z: _sigmoid(z) * _sigmoid(-z),
    lambda z: np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))) ** 2,
]
SIGMOID_PRIME_WRONG = [
    lambda z: _sigmoid(z) * (1 + _sigmoid(z)),
    lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2,
    lambda z: 0.25 * np.ones_like(z),
    lambda z: _sigmoid(z) ** 2,
    lambda z: z * (1 - z),
    lambda z: -_sigmoid_prime(z),
    lambda z: _sigmoid_prime(z) * 1.01,
    lambda z: _sigmoid_prime(z).tolist() if np.ndim(z) else 0.0,
    lambda z: np.exp(-z**2 / 4) / 4,
    lambda z: 1 - _sigmoid(z),
]

TANH_PRIME_RIGHT = [
    lambda z: 1 - np.tanh(z) ** 2,
    lambda z: (1 - np.tanh(z)) * (1 + np.tanh(z)),
    lambda z: 4 * _sigmoid(2 * z) * _sigmoid(-2 * z),
]
TANH_PRIME_WRONG = [
    lambda z: 1 / np.cosh(z) ** 2,
    lambda z: 1 - z**2,
    lambda z: 1 - np.tanh(z),
    lambda z: np.tanh(z) ** 2,
    lambda z: 1 + np.tanh(z) ** 2,
    lambda z: 2 * (1 - np.tanh(z) ** 2),
    lambda z: 1 - np.tanh(z**2),
    lambda z: _sigmoid_prime(z),
    lambda z: 4 * np.exp(-2 * z) / (1 + np.exp(-2 * z)) ** 2,
    lambda z: (1 - np.tanh(z) ** 2)[..., None],
]


def _relu_in_place(z):
    z[z < 0] = 0
    return z


RELU_RIGHT = [lambda z: np.maximum(z, 0.0), lambda z: np.where(z > 0, z, 0.0),
              lambda z: z * (z > 0), lambda z: (z + np.abs(z)) / 2, lambda z: np.clip(z, 0, None)]
RELU_WRONG = [lambda z: np.max(z, 0), lambda z: np.minimum(z, 0.0), lambda z: np.abs(z),
              lambda z: np.where(z > 0, 1.0, 0.0), lambda z: z, _relu_in_place,
              lambda z: np.maximum(z, 0.0).ravel(), lambda z: np.maximum(z, 0.01),
              lambda z: np.maximum(z, -1.0), lambda z: np.maximum(z, 0.0) * 1.01]

RELU_PRIME_RIGHT = [lambda z: np.where(z > 0, 1.0, 0.0), lambda z: z > 0,
                    lambda z: (z > 0).astype(int), lambda z: np.heaviside(z, 0.0)]
RELU_PRIME_WRONG = [lambda z: z >= 0, lambda z: np.heaviside(z, 0.5), lambda z: np.sign(z),
                    lambda z: np.maximum(z, 0.0), lambda z: np.ones_like(z), lambda z: z < 0,
                    lambda z: 1.0, lambda z: np.where(z > 0, 1.0, 0.0).ravel(),
                    lambda z: np.where(z > 1e-9, 1.0, 0.0) + 0.0 * z + (z == 0)]


def _central_slope(f, z, h=1e-5):
    return (f(z + h) - f(z - h)) / (2 * h)


SLOPE_RIGHT = [_central_slope,
               lambda f, z, h=1e-5: (f(z + h) - f(z - h)) / h / 2,
               lambda f, z, h=1e-5: 0.5 * ((f(z + h) - f(z)) / h + (f(z) - f(z - h)) / h)]
SLOPE_WRONG = [lambda f, z, h=1e-5: (f(z + h) - f(z)) / h,
               lambda f, z, h=1e-5: (f(z) - f(z - h)) / h,
               lambda f, z, h=1e-5: (f(z + h) - f(z - h)) / h,
               lambda f, z, h=1e-5: (f(z - h) - f(z + h)) / (2 * h),
               lambda f, z, h=1e-5: (f(z + h) - f(z - h)) / 2 * h,
               lambda f, z, h=1e-5: _central_slope(f, z),
               lambda f, z, h=1e-5: (f(z + 2 * h) - f(z - 2 * h)) / (4 * h),
               lambda f, z, h=1e-5: (f(z + h) - f(z - h)) / (2 * h) + h,
               lambda f, z, h=1e-5: f(z) / z]

SATURATION_RIGHT = [lambda: 4.3566, lambda: float(np.log((1 + np.sqrt(0.95)) / (1 - np.sqrt(0.95)))),
                    lambda: np.array(4.3563), lambda: [4.3565][0]]
SATURATION_WRONG = [lambda: 4.4, lambda: -4.3566, lambda: 2.9444, lambda: 0.0125, lambda: 4.36,
                    lambda: [4.3566, 4.4], lambda: "4.3566", lambda: None, lambda: 4.3566j]

# ================================================================ lesson 03 ==

DENSE_RIGHT = [lambda X, W, b: X @ W + b, lambda X, W, b: np.dot(X, W) + b[None, :],
               lambda X, W, b: np.einsum("nk,km->nm", X, W) + b,
               lambda X, W, b: np.array([[x @ W[:, j] + b[j] for j in range(W.shape[1])] for x in X])]
DENSE_WRONG = [lambda X, W, b: X @ W, lambda X, W, b: X @ W.T + b, lambda X, W, b: W @ X + b,
               lambda X, W, b: X @ W + b.reshape(-1, 1), lambda X, W, b: X @ (W + b),
               lambda X, W, b: sigmoid(X @ W + b), lambda X, W, b: X @ W - b,
               lambda X, W, b: (X @ W + b).T, lambda X, W, b: np.maximum(X @ W + b, 0),
               lambda X, W, b: X * W.sum(axis=0) + b if X.shape[1] == W.shape[1] else X @ W,
               lambda X, W, b: (X @ W + b).astype(int)]

COLLAPSE_RIGHT = [lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2 + b2),
                  lambda W1, b1, W2, b2: [np.dot(W1, W2), np.dot(b1, W2) + b2],
                  lambda W1, b1, W2, b2: (np.linalg.multi_dot([W1, W2]), (b1[None] @ W2)[0] + b2)]
COLLAPSE_WRONG = [lambda W1, b1, W2, b2: (W2 @ W1, b1 @ W2 + b2),
                  lambda W1, b1, W2, b2: (W1 @ W2, b1 + b2),
                  lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2),
                  lambda W1, b1, W2, b2: (W1 @ W2, b2),
                  lambda W1, b1, W2, b2: (b1 @ W2 + b2, W1 @ W2),
                  lambda W1, b1, W2, b2: (W1 * W2 if W1.shape == W2.shape else W1 @ W2, b1 @ W2 + b2),
                  lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2 - b2),
                  lambda W1, b1, W2, b2: np.hstack([(W1 @ W2).ravel(), b1 @ W2 + b2]),
                  lambda W1, b1, W2, b2: (W1 @ W2, (b1 @ W2 + b2)[None, :]),
                  lambda W1, b1, W2, b2: W1 @ W2]


def bump(x, center, width, steepness=50.0):
    """The learner's bump of task 4, right (the fits below call it by this name)."""
    return sigmoid(steepness * (x - (center - width / 2))) - sigmoid(steepness * (x - (center + width / 2)))


BUMP_RIGHT = [bump,
              lambda x, c, w, s=50.0: sigmoid(s * (x - c + w / 2)) - sigmoid(s * (x - c - w / 2)),
              lambda x, c, w, s=50.0: sigmoid(s * (c + w / 2 - x)) - sigmoid(s * (c - w / 2 - x))]
BUMP_WRONG = [lambda x, c, w, s=50.0: -bump(x, c, w, s),
              lambda x, c, w, s=50.0: bump(x, c, 2 * w, s),
              lambda x, c, w, s=50.0: sigmoid(s * (x - c + w / 2)) + sigmoid(s * (x - c - w / 2)),
              lambda x, c, w, s=50.0: sigmoid(s * x - (c - w / 2)) - sigmoid(s * x - (c + w / 2)),
              lambda x, c, w, s=50.0: bump(x, c, w, 1.0),
              lambda x, c, w, s=50.0: bump(x, c, w, 50.0),
              lambda x, c, w, s=50.0: bump(x, c, w / 2, s),
              lambda x, c, w, s=50.0: np.exp(s * (x - c + w / 2)) / (1 + np.exp(s * (x - c + w / 2)))
              - np.exp(s * (x - c - w / 2)) / (1 + np.exp(s * (x - c - w / 2))),
              lambda x, c, w, s=50.0: (np.abs(x - c) <= w / 2).astype(float),
              lambda x, c, w, s=50.0: np.ravel(bump(x, c, w, s))]


def _fit(x, y, n_bumps, x_new):
    x = np.ravel(x)
    edges = np.linspace(-1, 1, n_bumps + 1)
    centers = (edges[:-1] + edges[1:]) / 2
    heights = np.interp(centers, x, y)
    return sum(h * bump(x_new, c, 2 / n_bumps) for h, c in zip(heights, centers))


def _fit_vectorized(x, y, n_bumps, x_new):
    centers = -1 + (np.arange(n_bumps) + 0.5) * 2 / n_bumps
    heights = np.interp(centers, np.ravel(x), y)
    return bump(x_new[:, None], centers[None, :], 2 / n_bumps, 200.0) @ heights


def _fit_means(x, y, n_bumps, x_new):
    x = np.ravel(x)
    edges = np.linspace(-1, 1, n_bumps + 1)
    out = np.zeros_like(x_new)
    for left, right in zip(edges[:-1], edges[1:]):
        inside = (x >= left) & (x < right)
        height = y[inside].mean() if inside.any() else np.interp((left + right) / 2, x, y)
        out = out + height * bump(x_new, (left + right) / 2, right - left)
    return out


def _fit_least_squares(x, y, n_bumps, x_new):
    centers = np.linspace(-1, 1, n_bumps + 1)[:-1] + 1 / n_bumps
    B = np.stack([bump(np.ravel(x), c, 2 / n_bumps) for c in centers], axis=1)
    heights = np.linalg.lstsq(B, y, rcond=None)[0]
    return np.stack([bump(x_new, c, 2 / n_bumps) for c in centers], axis=1) @ heights


FIT_RIGHT = [(_fit, 10), (_fit_vectorized, 12), (_fit_means, 20), (_fit_least_squares, 10)]
FIT_WRONG = [
    (lambda x, y, n, x_new: np.interp(x_new, np.ravel(x), y), 10),
    (lambda x, y, n, x_new: _fit(x, y, 20, x_new), 10),
    (lambda x, y, n, x_new: _fit(x, y, n, x_new), 3),
    (lambda x, y, n, x_new: -_fit(x, y, n, x_new), 10),
    (lambda x, y, n, x_new: _fit(x, y, n, np.ravel(x)), 10),
    (lambda x, y, n, x_new: np.sin(np.pi * x_new), 10),
    (lambda x, y, n, x_new: 0.5 * _fit(x, y, n, x_new), 10),
    (lambda x, y, n, x_new: _fit(x, y, n, x_new)[:, None] + 0 * x_new, 10),
    (lambda x, y, n, x_new: _fit(x, y, n, x_new), 0),
    (lambda x, y, n, x_new: _fit(x, y, n, x_new), "10"),
    (lambda x, y, n, x_new: sum(h * bump(x_new, c, 0.2) for h, c in
                                zip(np.interp(np.linspace(-0.9, 0.9, 10), np.ravel(x), y),
                                    np.linspace(-0.9, 0.9, 10))), 7),
]

# ================================================================ lesson 04 ==


def _mse_gradient(w, b, x, y):
    e = w * x + b - y
    return np.mean(2 * e * x), np.mean(2 * e)


MSE_RIGHT = [_mse_gradient,
             lambda w, b, x, y: [2 * np.dot(w * x + b - y, x) / len(x), 2 * np.sum(w * x + b - y) / len(x)],
             lambda w, b, x, y: np.array([np.mean(2 * (w * x + b - y) * x), np.mean(2 * (w * x + b - y))])]
MSE_WRONG = [lambda w, b, x, y: (np.mean((w * x + b - y) * x), np.mean(w * x + b - y)),
             lambda w, b, x, y: (np.sum(2 * (w * x + b - y) * x), np.sum(2 * (w * x + b - y))),
             lambda w, b, x, y: tuple(-g for g in _mse_gradient(w, b, x, y)),
             lambda w, b, x, y: _mse_gradient(w, b, x, y)[::-1],
             lambda w, b, x, y: (np.mean(2 * (w * x + b - y)), np.mean(2 * (w * x + b - y))),
             lambda w, b, x, y: (np.mean(2 * (w * x - y) * x), np.mean(2 * (w * x - y))),
             lambda w, b, x, y: (2 * (w * x + b - y) * x, 2 * (w * x + b - y)),
             lambda w, b, x, y: np.mean((w * x + b - y) ** 2),
             lambda w, b, x, y: (np.mean(2 * (w * x + b - y)) * np.mean(x), np.mean(2 * (w * x + b - y))),
             lambda w, b, x, y: (np.mean(2 * (w * x + b - y) * x), np.mean(2 * (w * x + b - y) * x)),
             lambda w, b, x, y: (float(np.mean(2 * (w * x + b - y) * x)),)]


def _descent(grad, start, lr, steps, beta=0.0):
    p, v = np.array(start, dtype=float), np.zeros(len(start))
    path = [p]
    for _ in range(steps):
        v = beta * v - lr * grad(p)
        p = p + v
        path.append(p)
    return path


def _descent_in_place(grad, start, lr, steps):
    p = start  # changes the caller's start
    path = [p.copy()]
    for _ in range(steps):
        p -= lr * grad(p)
        path.append(p.copy())
    return path


def _descent_recursive(grad, start, lr, steps):
    if steps == 0:
        return [np.array(start, dtype=float)]
    path = _descent_recursive(grad, start, lr, steps - 1)
    return path + [path[-1] - lr * grad(path[-1])]


GD_RIGHT = [lambda g, s, lr, n: _descent(g, s, lr, n), lambda g, s, lr, n: np.array(_descent(g, s, lr, n)),
            _descent_recursive,
            lambda g, s, lr, n: [p.tolist() for p in _descent(g, s, lr, n)]]
GD_WRONG = [lambda g, s, lr, n: _descent(lambda p: -g(p), s, lr, n),
            lambda g, s, lr, n: _descent(lambda p: p, s, lr, n),
            lambda g, s, lr, n: _descent(g, s, 1.0, n),
            lambda g, s, lr, n: [s - k * lr * g(s) for k in range(n + 1)],
            lambda g, s, lr, n: _descent(g, s, lr, n)[1:],
            lambda g, s, lr, n: _descent(g, s, lr, n + 1),
            lambda g, s, lr, n: _descent(g, s, lr, max(n - 1, 0)),
            lambda g, s, lr, n: _descent(g, s, lr, n)[-1],
            _descent_in_place,
            lambda g, s, lr, n: _descent(g, s, lr / 2, n),
            lambda g, s, lr, n: _descent(g, s, lr, n, beta=0.1)]


def _momentum_optim_form(grad, start, lr, beta, steps):
    p, v = np.array(start, dtype=float), np.zeros(len(start))
    path = [p.copy()]
    for _ in range(steps):
        v = beta * v + grad(p)
        p = p - lr * v
        path.append(p.copy())
    return np.array(path)


MOMENTUM_RIGHT = [lambda g, s, lr, beta, n: _descent(g, s, lr, n, beta), _momentum_optim_form,
                  lambda g, s, lr, beta, n: np.vstack(_descent(g, s, lr, n, beta))]


def _momentum_late(grad, start, lr, beta, steps):
    p, v, path = np.array(start, dtype=float), np.zeros(len(start)), [start]
    for _ in range(steps):
        p = p + v
        v = beta * v - lr * grad(p)
        path.append(p)
    return path


def _momentum_rule(velocity, move=lambda p, v: p + v):
    def wrong(grad, start, lr, beta, steps):
        p, v, path = np.array(start, dtype=float), np.zeros(len(start)), [np.array(start, float)]
        for _ in range(steps):
            v = velocity(v, grad(p), lr, beta)
            p = move(p, v)
            path.append(p)
        return path
    return wrong


MOMENTUM_WRONG = [_momentum_rule(lambda v, g, lr, beta: beta * v + lr * g),
                  _momentum_rule(lambda v, g, lr, beta: -lr * g),
                  _momentum_late,
                  _momentum_rule(lambda v, g, lr, beta: beta * (v - lr * g)),
                  _momentum_rule(lambda v, g, lr, beta: beta * v - g),
                  _momentum_rule(lambda v, g, lr, beta: (1 - beta) * v - lr * g),
                  _momentum_rule(lambda v, g, lr, beta: beta * v - lr * g, lambda p, v: p - v),
                  lambda g, s, lr, beta, n: _descent(g, s, lr, n, beta)[:-1],
                  lambda g, s, lr, beta, n: _descent(g, s, lr, n, beta * 0.9),
                  lambda g, s, lr, beta, n: _descent(g, s, lr, n, 0.0)]

LR_RIGHT = [lambda: 0.09, lambda: 0.092, lambda: np.float64(0.0905), lambda: 9e-2]
LR_WRONG = [lambda: 0.01, lambda: 0.1, lambda: 0.2, lambda: 0.05, lambda: 1e30, lambda: -0.09,
            lambda: 0, lambda: "0.09", lambda: (0.09,), lambda: None, lambda: np.nan, lambda: True,
            lambda: 10**400]

# ================================================================ lesson 05 ==

MUL_RIGHT = [lambda a, b, g: (b * g, a * g), lambda a, b, g: [b * g, a * g],
             lambda a, b, g: np.array([b, a]) * g]
MUL_WRONG = [lambda a, b, g: (a * g, b * g), lambda a, b, g: (b, a), lambda a, b, g: (g, g),
             lambda a, b, g: a * b * g, lambda a, b, g: (a * b * g, a * b * g),
             lambda a, b, g: (b * g, a * g, 0.0), lambda a, b, g: (b * g,),
             lambda a, b, g: (b * g + 1e-3, a * g), lambda a, b, g: (-b * g, -a * g),
             lambda a, b, g: (b / g if g else b, a * g)]

TANH_BACK_RIGHT = [lambda x, g: (1 - math.tanh(x) ** 2) * g,
                   lambda x, g: g * (1 - np.tanh(x)) * (1 + np.tanh(x)),
                   lambda x, g: float((1 - np.tanh(x) ** 2) * g)]
TANH_BACK_WRONG = [lambda x, g: g / np.cosh(x) ** 2, lambda x, g: g / math.cosh(x) ** 2,
                   lambda x, g: (1 - x**2) * g, lambda x, g: (1 - math.tanh(x)) * g,
                   lambda x, g: 1 - math.tanh(x) ** 2, lambda x, g: 1 - math.tanh(x) ** 2 * g,
                   lambda x, g: math.tanh(x) * g, lambda x, g: (1 + math.tanh(x) ** 2) * g,
                   lambda x, g: 4 * g / (np.exp(x) + np.exp(-x)) ** 2,
                   lambda x, g: (1 - math.tanh(x) ** 2) * g * 1.001]

POW_RIGHT = [lambda x, k, g: k * x ** (k - 1) * g, lambda x, k, g: g * k * x**k / x if x else k * x ** (k - 1) * g,
             lambda x, k, g: k * math.pow(x, k - 1) * g if x or k >= 1 else k * x ** (k - 1) * g]
POW_WRONG = [lambda x, k, g: x ** (k - 1) * g, lambda x, k, g: k * x**k * g,
             lambda x, k, g: k * x ** (k + 1) * g, lambda x, k, g: k * x ** (k - 1),
             lambda x, k, g: x**k * g, lambda x, k, g: (k - 1) * x ** (k - 1) * g,
             lambda x, k, g: k * x ** (k - 1) * g if k >= 1 else 0.0,
             lambda x, k, g: int(k * x ** (k - 1) * g), lambda x, k, g: k * abs(x) ** (k - 1) * g,
             lambda x, k, g: str(k * x ** (k - 1) * g)]

HAND = {"a": -12.0, "b": 4.5, "c": -3.0, "d": -4.0}


def _hand_by_value():
    v = {n: Value(x) for n, x in {"a": -1.5, "b": 4.0, "c": 2.0, "d": -3.0}.items()}
    ((v["a"] * v["b"] + v["c"]) * v["d"]).backward()
    return {n: x.grad for n, x in v.items()}


HAND_RIGHT = [lambda: dict(HAND), lambda: {k: np.float64(v) for k, v in HAND.items()},
              lambda: {"d": -4, "c": -3, "b": 4.5, "a": -12}]
HAND_WRONG = [_hand_by_value, lambda: {**HAND, "a": 12.0}, lambda: {**HAND, "b": -4.5},
              lambda: {**HAND, "c": 1.0}, lambda: {**HAND, "d": 4.0},
              lambda: {"a": 6.0, "b": -4.5, "c": -3.0, "d": -4.0},
              lambda: {"a": 4.0, "b": -1.5, "c": 1.0, "d": -4.0},
              lambda: [-12.0, 4.5, -3.0, -4.0], lambda: {"A": -12.0, "B": 4.5, "C": -3.0, "D": -4.0},
              lambda: {k: str(v) for k, v in HAND.items()}, lambda: {**HAND, "a": Value(-12.0)}]


def _numerical_gradient(f, xs, h=1e-6):
    out = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += h
        down[i] -= h
        out.append((f(up) - f(down)) / (2 * h))
    return out


def _numerical_put_back(f, xs, h=1e-6):
    out = []
    for i in range(len(xs)):
        x = xs[i]
        xs[i] = x + h
        up = f(xs)
        xs[i] = x - h
        down = f(xs)
        xs[i] = x
        out.append((up - down) / (2 * h))
    return np.array(out)


def _numerical_fixed_h(f, xs, h=1e-6):
    return _numerical_gradient(f, xs, 1e-6)


def _numerical_shifted(f, xs, h=1e-6):
    xs, out = list(xs), []
    for i in range(len(xs)):
        xs[i] += h
        up = f(xs)
        xs[i] -= 2 * h
        out.append((up - f(xs)) / (2 * h))
    return out


NUMERICAL_RIGHT = [_numerical_gradient, _numerical_put_back,
                   lambda f, xs, h=1e-6: [(f(xs[:i] + [x + h] + xs[i + 1:]) - f(xs[:i] + [x - h] + xs[i + 1:]))
                                          / (2 * h) for i, x in enumerate(xs)]]
NUMERICAL_WRONG = [_numerical_fixed_h, _numerical_shifted,
                   lambda f, xs, h=1e-6: [(f(xs[:i] + [x + h] + xs[i + 1:]) - f(xs)) / h
                                          for i, x in enumerate(xs)],
                   lambda f, xs, h=1e-6: [(f(xs) - f(xs[:i] + [x - h] + xs[i + 1:])) / h
                                          for i, x in enumerate(xs)],
                   lambda f, xs, h=1e-6: [2 * g for g in _numerical_gradient(f, xs, h)],
                   lambda f, xs, h=1e-6: [(f([x + h for x in xs]) - f([x - h for x in xs])) / (2 * h)] * len(xs),
                   lambda f, xs, h=1e-6: sum(_numerical_gradient(f, xs, h)),
                   lambda f, xs, h=1e-6: _numerical_gradient(f, xs, h)[:1],
                   lambda f, xs, h=1e-6: _numerical_gradient(f, xs, 1e-2),
                   lambda f, xs, h=1e-6: [-g for g in _numerical_gradient(f, xs, h)]]


def _autograd(f, xs):
    v = [Value(x) for x in xs]
    f(v).backward()
    return [x.grad for x in v]


def _gradient_error(f, xs):
    a = _autograd(f, xs)
    n = _numerical_gradient(lambda ys: f([Value(y) for y in ys]).data, xs)
    return max(abs(p - q) / max(abs(p) + abs(q), 1e-12) for p, q in zip(a, n))


def _errors_with(denominator):
    def gradient_error(f, xs):
        a = _autograd(f, xs)
        n = _numerical_gradient(lambda ys: f([Value(y) for y in ys]).data, xs)
        return max(abs(p - q) / denominator(p, q) for p, q in zip(a, n))
    return gradient_error


GRADIENT_ERROR_RIGHT = [
    _gradient_error,
    lambda f, xs: float(np.max([abs(p - q) / max(abs(p) + abs(q), 1e-12) for p, q in zip(
        _autograd(f, xs), _numerical_gradient(lambda ys: f([Value(y) for y in ys]).data, xs))])),
    lambda f, xs: max(0.0 if p == q == 0 else abs(p - q) / (abs(p) + abs(q)) for p, q in zip(
        _autograd(f, xs), _numerical_gradient(lambda ys: f([Value(y) for y in ys]).data, xs))),
]
GRADIENT_ERROR_WRONG = [
    _errors_with(lambda p, q: max(abs(p + q), 1e-12)),
    _errors_with(lambda p, q: max(abs(p), 1e-12)),
    _errors_with(lambda p, q: 1.0),
    _errors_with(lambda p, q: max(abs(p) + abs(q), 1e-12) / 2),
    lambda f, xs: (_gradient_error(f, xs), [0.0]),
    lambda f, xs: [_gradient_error(f, xs)],
    lambda f, xs: 1.0,
    lambda f, xs: 0.0,
    lambda f, xs: float(np.mean([abs(p - q) / max(abs(p) + abs(q), 1e-12) for p, q in zip(
        _autograd(f, xs), _numerical_gradient(lambda ys: f([Value(y) for y in ys]).data, xs))])),
    lambda f, xs: 10**400,
    lambda f, xs: -_gradient_error(f, xs),
]

# ================================================================ lesson 06 ==


def _dense_backward(X, W, z, da, f_prime):
    dz = da * f_prime(z)
    return X.T @ dz, dz.sum(axis=0), dz @ W.T


DENSE_BACK_RIGHT = [_dense_backward,
                    lambda X, W, z, da, fp: (np.einsum("nk,nm->km", X, da * fp(z)),
                                             np.sum(da * fp(z), axis=0), (da * fp(z)) @ W.T),
                    lambda X, W, z, da, fp: [sum(np.outer(x, d) for x, d in zip(X, da * fp(z))),
                                             (da * fp(z)).sum(0), np.dot(da * fp(z), W.T)]]
DENSE_BACK_WRONG = [
    lambda X, W, z, da, fp: ((da * fp(z)).T @ X, (da * fp(z)).sum(0), (da * fp(z)) @ W.T),
    lambda X, W, z, da, fp: (X.T @ da, da.sum(0), da @ W.T),
    lambda X, W, z, da, fp: (X.T @ (da * fp(z)) / len(X), (da * fp(z)).mean(0), (da * fp(z)) @ W.T),
    lambda X, W, z, da, fp: (X.T @ (da * fp(z)), (da * fp(z)).sum(1), (da * fp(z)) @ W.T),
    lambda X, W, z, da, fp: (X.T @ (da * fp(z)), (da * fp(z)).sum(), (da * fp(z)) @ W.T),
    lambda X, W, z, da, fp: (X.T @ (da * fp(z)), (da * fp(z)).sum(0, keepdims=True), (da * fp(z)) @ W.T),
    lambda X, W, z, da, fp: (X.T @ (da * fp(z)), (da * fp(z)).sum(0), da @ W.T),
    lambda X, W, z, da, fp: _dense_backward(X, W, z, da, fp)[::-1],
    lambda X, W, z, da, fp: _dense_backward(X, W, z, da, fp)[:2],
    lambda X, W, z, da, fp: (X.T @ (da * fp(X @ W)), (da * fp(X @ W)).sum(0), (da * fp(X @ W)) @ W.T),
    lambda X, W, z, da, fp: (X.T @ (da * fp(z)), (da * fp(z)).sum(0), ((da * fp(z)) @ W.T) * fp(X)),
]


def _count(sizes):
    return sum(k * m + m for k, m in zip(sizes[:-1], sizes[1:]))


COUNT_RIGHT = [_count, lambda s: int(np.sum(np.array(s[:-1]) * np.array(s[1:]) + np.array(s[1:]))),
               lambda s: sum((s[i] + 1) * s[i + 1] for i in range(len(s) - 1)),
               lambda s: float(_count(s))]
COUNT_WRONG = [lambda s: sum(p.size for p in mlp(list(s)).parameters()),
               lambda s: sum(k * m for k, m in zip(s[:-1], s[1:])),
               lambda s: sum(k * m + k for k, m in zip(s[:-1], s[1:])),
               lambda s: sum((k + 1) * (m + 1) for k, m in zip(s[:-1], s[1:])),
               lambda s: _count(s) + sum(s), lambda s: str(_count(s)), lambda s: int(np.prod(s)),
               lambda s: _count(s[:-1]), lambda s: _count(s[1:]), lambda s: [_count(s)],
               lambda s: _count(s) - s[-1], lambda s: True,
               lambda s: sum(Dense(k, m).W.size + m for k, m in zip(s[:-1], s[1:]))]


def _train(X, y, hidden, lr, epochs, seed):
    model = mlp([X.shape[1], hidden, 1], activation="tanh", seed=seed)
    optimizer, losses = SGD(lr=lr), []
    for _ in range(epochs):
        z = model.forward(X)
        losses.append(bce_with_logits(z, y))
        model.backward(bce_with_logits_grad(z, y), need_dX=False)
        optimizer.step(model.parameters(), model.gradients())
    return model, losses


def _train_by_fit(X, y, hidden, lr, epochs, seed):
    model = mlp([X.shape[1], hidden, 1], seed=seed)
    return model, list(fit(model, X, y, lr=lr, epochs=epochs, progress=False).loss)


def _train_variant(**mistake):
    def train(X, y, hidden, lr, epochs, seed):
        model = mlp([X.shape[1], hidden, 1], activation=mistake.get("activation", "tanh"),
                    seed=mistake.get("seed", seed))
        losses = []
        for _ in range(epochs):
            z = model.forward(X)
            loss = bce_with_logits(z, y)
            model.backward(mistake.get("scale", 1.0) * bce_with_logits_grad(z, y), need_dX=False)
            for p, g in zip(model.parameters(), model.gradients()):
                p -= mistake.get("sign", 1.0) * mistake.get("lr", lr) * g
            losses.append(bce_with_logits(model.forward(X), y) if mistake.get("after") else loss)
        return model, losses
    return train


TRAIN_RIGHT = [_train, _train_by_fit, lambda X, y, h, lr, e, s: list(_train(X, y, h, lr, e, s))]
TRAIN_WRONG = [_train_variant(sign=-1.0), _train_variant(after=True), _train_variant(seed=0),
               _train_variant(activation="relu"), _train_variant(scale=10.0),
               _train_variant(lr=0.1), _train_variant(sign=0.0),
               lambda X, y, h, lr, e, s: _train(X, y, h, lr, e, s)[::-1],
               lambda X, y, h, lr, e, s: (_train(X, y, h, lr, e, s)[0], _train(X, y, h, lr, e, s)[1][1:]),
               lambda X, y, h, lr, e, s: (mlp([X.shape[1], h, 1], seed=s), _train(X, y, h, lr, e, s)[1]),
               lambda X, y, h, lr, e, s: _train(X, y, h, lr, e + 1, s),
               lambda X, y, h, lr, e, s: _train(X, y, h, lr, e, s)[1]]


def _moons_model(sizes=(2, 16, 16, 1), on_all=False, flip=False, **settings):
    def moons_model():
        X, y = moons(n=400, noise=0.2, seed=0)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_ratio=0.25, seed=0)
        model = mlp(list(sizes), seed=0)
        X_fit, y_fit = (X, y) if on_all else (X_train, y_train)
        fit(model, X_fit, y_fit, progress=False, **settings)
        return model
    return moons_model


def _moons_with_own_train():
    X_train, _, y_train, _ = c6.moons_split()
    return _train(X_train, y_train, 8, 2.0, 1000, 0)[0]


MOONS_RIGHT = [_moons_model(lr=0.5, epochs=1000), _moons_with_own_train,
               _moons_model((2, 8, 1), optimizer="momentum", lr=0.1, epochs=1000)]
MOONS_WRONG = [_moons_model(on_all=True, optimizer="adam", lr=0.05, epochs=1500),
               _moons_model((2, 1), lr=0.5, epochs=300), _moons_model(lr=0.05, epochs=100),
               lambda: _train(*c6.moons_split()[::2], 8, 1e30, 20, 0)[0],
               lambda: _train(*c6.moons_split()[::2], 8, 1e-6, 20, 0)[0],
               lambda: mlp([2, 16, 1], seed=0), lambda: mlp([2, 8, 2], seed=0),
               lambda: _train(*c6.moons_split()[::2], 8, 2.0, 50, 0),
               lambda: fit(mlp([2, 8, 1]), *c6.moons_split()[::2], progress=False)]


# ================================================================ lesson 07 ==

def _p7(z):
    return sigmoid(np.asarray(z, dtype=float))


CE_GRAD_RIGHT = [lambda z, y: (_p7(z) - y) / len(z),
                 lambda z, y: (_p7(z) - y) / z.size,
                 lambda z, y: np.divide(np.exp(-np.logaddexp(0.0, -z)) - y, z.shape[0]),
                 lambda z, y: np.array([[(_p7(zi[0]) - yi[0]) / len(z)] for zi, yi in zip(z, y)])]
CE_GRAD_WRONG = [lambda z, y: (_p7(z) - y) / (len(z) - 1 or 1), lambda z, y: (_p7(z) - y) * len(z),
                 lambda z, y: (_p7(z) - y) / len(z) * 1.01, lambda z, y: (_p7(z) - y) / len(z) + 1e-3,
                 lambda z, y: (_p7(-z) - y) / len(z), lambda z, y: (_p7(z) - y).ravel() / len(z),
                 lambda z, y: (np.tanh(z) - y) / len(z), lambda z, y: -np.log(_p7(z)) * y / len(z),
                 lambda z, y: (_p7(z) - y) / len(z) ** 2, lambda z, y: (_p7(z) - y).sum() / len(z) + 0 * z,
                 lambda z, y: np.abs(_p7(z) - y) / len(z)]


def _xavier_or_he(n_in, n_out, f):
    return np.sqrt(2 / n_in) if f == "relu" else np.sqrt(2 / (n_in + n_out))


INIT_RIGHT = [lambda n_in, n_out, f, rng: rng.normal(0.0, _xavier_or_he(n_in, n_out, f), (n_in, n_out)),
              lambda n_in, n_out, f, rng: rng.standard_normal((n_in, n_out)) * _xavier_or_he(n_in, n_out, f),
              lambda n_in, n_out, f, rng: rng.uniform(-1, 1, (n_in, n_out)) * np.sqrt(
                  (6 / n_in) if f == "relu" else 6 / (n_in + n_out)),
              lambda n_in, n_out, f, rng: rng.normal(size=(n_out, n_in)).T * _xavier_or_he(n_in, n_out, f)]
INIT_WRONG = [lambda n_in, n_out, f, rng: rng.normal(0.0, 1.0, (n_in, n_out)),
              lambda n_in, n_out, f, rng: rng.normal(0.0, 0.01, (n_in, n_out)),
              lambda n_in, n_out, f, rng: rng.normal(0.0, _xavier_or_he(n_in, n_out, f) * 1.1, (n_in, n_out)),
              lambda n_in, n_out, f, rng: rng.normal(0.0, np.sqrt(1 / (n_in + n_out)), (n_in, n_out)),
              lambda n_in, n_out, f, rng: np.abs(rng.normal(0.0, _xavier_or_he(n_in, n_out, f), (n_in, n_out))),
              lambda n_in, n_out, f, rng: np.zeros((n_in, n_out)),
              lambda n_in, n_out, f, rng: rng.normal(0.0, _xavier_or_he(n_in, n_out, f), (n_in, n_out))[:, :1]
              * np.ones((1, n_out)),
              lambda n_in, n_out, f, rng: np.random.default_rng(0).normal(0, _xavier_or_he(n_in, n_out, f),
                                                                         (n_in, n_out)) * (1 + rng.random() * 0),
              lambda n_in, n_out, f, rng: rng.normal(0.0, np.sqrt(2 / (n_in + n_out)), (n_in, n_out)),
              lambda n_in, n_out, f, rng: rng.normal(0.0, _xavier_or_he(n_out, n_in, f), (n_in, n_out))]


L2_RIGHT = [lambda ps, lam: [lam * p if p.ndim == 2 else np.zeros_like(p) for p in ps],
            lambda ps, lam: [p * lam * (len(p.shape) == 2) for p in ps],
            lambda ps, lam: list(map(lambda p: np.where(p.ndim > 1, lam * p, 0.0), ps)),
            lambda ps, lam: tuple(lam * p if p.ndim == 2 else 0.0 * p for p in ps)]
L2_WRONG = [lambda ps, lam: [lam * p * 1.01 if p.ndim == 2 else np.zeros_like(p) for p in ps],
            lambda ps, lam: [lam * p + 1e-3 if p.ndim == 2 else np.zeros_like(p) for p in ps],
            lambda ps, lam: [lam * np.sign(p) if p.ndim == 2 else np.zeros_like(p) for p in ps],
            lambda ps, lam: [lam * p ** 2 if p.ndim == 2 else np.zeros_like(p) for p in ps],
            lambda ps, lam: [lam * p if p.ndim == 2 else np.ones_like(p) for p in ps],
            lambda ps, lam: [lam * p if i == 0 else np.zeros_like(p) for i, p in enumerate(ps)],
            lambda ps, lam: [lam * p.T if p.ndim == 2 else np.zeros_like(p) for p in ps],
            lambda ps, lam: [lam * p if p.ndim == 2 else np.zeros_like(p) for p in reversed(ps)],
            lambda ps, lam: [(lam * p if p.ndim == 2 else np.zeros_like(p)) for p in ps][:-1],
            lambda ps, lam: [lam * p.sum() + 0 * p if p.ndim == 2 else np.zeros_like(p) for p in ps]]


def _stop(strict=True, extra=0, restore=True, count_from=1, keep="copy"):
    """An early-stopping loop written for this file; the keywords make it slip."""
    def early(model, train_one_epoch, validation_loss, max_epochs, patience):
        losses, best, best_epoch, saved, since = [], None, None, None, 0
        for epoch in range(count_from, max_epochs + count_from):
            train_one_epoch()
            loss = validation_loss()
            losses.append(loss)
            if best is None or (loss < best if strict else loss <= best):
                best, best_epoch, since = loss, epoch, 0
                saved = [np.copy(p) for p in model.parameters()] if keep == "copy" else model.parameters()
            else:
                since += 1
                if since >= patience + extra:
                    break
        if restore:
            for p, q in zip(model.parameters(), saved):
                np.copyto(p, q)
        return best_epoch, losses
    return early


def _stop_while(model, train_one_epoch, validation_loss, max_epochs, patience):
    losses, best_epoch, saved = [], 0, None
    while len(losses) < max_epochs:
        train_one_epoch()
        losses.append(validation_loss())
        if min(losses) == losses[-1] and losses.count(losses[-1]) == 1 or best_epoch == 0 or \
                losses[-1] < losses[best_epoch - 1]:
            best_epoch, saved = len(losses), [p.copy() for p in model.parameters()]
        if len(losses) - best_epoch >= patience:
            break
    for p, q in zip(model.parameters(), saved):
        p[:] = q
    return best_epoch, losses


def _stop_first_then_check(model, train_one_epoch, validation_loss, max_epochs, patience):
    losses, saved = [], None
    for epoch in range(1, max_epochs + 1):
        train_one_epoch()
        losses.append(validation_loss())
        best_epoch = int(np.argmin(losses)) + 1            # argmin: the FIRST lowest, as < keeps it
        if best_epoch == epoch:
            saved = [p.copy() for p in model.parameters()]
        if epoch - best_epoch >= patience:
            break
    for p, q in zip(model.parameters(), saved):
        p[...] = q
    return best_epoch, list(losses)


STOP_RIGHT = [_stop(), _stop_while, _stop_first_then_check]
STOP_WRONG = [_stop(strict=False), _stop(extra=1), _stop(extra=-1), _stop(restore=False),
              _stop(count_from=0), _stop(keep="list"), _stop(extra=10 ** 6),
              lambda m, t, v, n, k: _stop()(m, t, v, n, k)[::-1],
              lambda m, t, v, n, k: (_stop()(m, t, v, n, k)[0], _stop()(m, t, v, n, k)[1][:-1]),
              lambda m, t, v, n, k: (_stop()(m, t, v, n, k)[0] + 1, _stop()(m, t, v, n, k)[1])]


# ======================================================= the table of tasks ==

def _with_choice(n):
    return lambda: n


# task: (how to check one answer, right answers, wrong answers)
TASKS = {
    "01 neuron": (c1.neuron, NEURON_RIGHT, NEURON_WRONG),
    **{f"01 {name}": (check, [_const(r) for r in rights], wrongs)
       for name, (check, rights, wrongs) in GATE_TASKS.items()},
    "01 xor_network": (c1.xor_network, XOR_RIGHT, XOR_WRONG),
    "01 separate_blobs": (lambda fn: c1.separate_blobs(fn, draw=False),
                          [_const(r) for r in BLOBS_RIGHT], [_const(w) for w in BLOBS_WRONG]),
    "02 sigmoid": (c2.sigmoid, SIGMOID_RIGHT, SIGMOID_WRONG),
    "02 sigmoid_prime": (c2.sigmoid_prime, SIGMOID_PRIME_RIGHT, SIGMOID_PRIME_WRONG),
    "02 tanh_prime": (c2.tanh_prime, TANH_PRIME_RIGHT, TANH_PRIME_WRONG),
    "02 relu": (c2.relu, RELU_RIGHT, RELU_WRONG),
    "02 relu_prime": (c2.relu_prime, RELU_PRIME_RIGHT, RELU_PRIME_WRONG),
    "02 numerical_slope": (c2.numerical_slope, SLOPE_RIGHT, SLOPE_WRONG),
    "02 saturation_z": (c2.saturation_z, SATURATION_RIGHT, SATURATION_WRONG),
    "03 dense_forward": (c3.dense_forward, DENSE_RIGHT, DENSE_WRONG),
    "03 collapse": (c3.collapse, COLLAPSE_RIGHT, COLLAPSE_WRONG),
    "03 bump": (c3.bump, BUMP_RIGHT, BUMP_WRONG),
    "03 fit_with_bumps": (lambda answer: c3.fit_with_bumps(answer[0], _with_choice(answer[1]),
                                                           draw=False), FIT_RIGHT, FIT_WRONG),
    "04 mse_gradient": (c4.mse_gradient, MSE_RIGHT, MSE_WRONG),
    "04 gradient_descent": (c4.gradient_descent, GD_RIGHT, GD_WRONG),
    "04 momentum_descent": (c4.momentum_descent, MOMENTUM_RIGHT, MOMENTUM_WRONG),
    "04 choose_learning_rate": (lambda fn: c4.choose_learning_rate(fn, draw=False), LR_RIGHT,
                                LR_WRONG),
    "05 mul_backward": (c5.mul_backward, MUL_RIGHT, MUL_WRONG),
    "05 tanh_backward": (c5.tanh_backward, TANH_BACK_RIGHT, TANH_BACK_WRONG),
    "05 pow_backward": (c5.pow_backward, POW_RIGHT, POW_WRONG),
    "05 hand_gradients": (c5.hand_gradients, HAND_RIGHT, HAND_WRONG),
    "05 numerical_gradient": (c5.numerical_gradient, NUMERICAL_RIGHT, NUMERICAL_WRONG),
    "05 gradient_error": (c5.gradient_error, GRADIENT_ERROR_RIGHT, GRADIENT_ERROR_WRONG),
    "06 dense_backward": (c6.dense_backward, DENSE_BACK_RIGHT, DENSE_BACK_WRONG),
    "06 count_parameters": (c6.count_parameters, COUNT_RIGHT, COUNT_WRONG),
    "06 train": (c6.train, TRAIN_RIGHT, TRAIN_WRONG),
    "06 moons_model": (lambda fn: c6.moons_model(fn, draw=False), MOONS_RIGHT, MOONS_WRONG),
    "07 cross_entropy_grad": (c7.cross_entropy_grad, CE_GRAD_RIGHT, CE_GRAD_WRONG),
    "07 init_weights": (c7.init_weights, INIT_RIGHT, INIT_WRONG),
    "07 l2_grad": (c7.l2_grad, L2_RIGHT, L2_WRONG),
    "07 early_stopping": (c7.early_stopping, STOP_RIGHT, STOP_WRONG),
}

RIGHT = [(task, i) for task, (_, rights, _) in TASKS.items() for i in range(len(rights))]
WRONG = [(task, i) for task, (_, _, wrongs) in TASKS.items() for i in range(len(wrongs))]
SYMBOLS = ("✅ RIGHT · ", "❌ NOT YET · ", "⏳ NOT STARTED · ")


def outcome(task, answer, capsys=None):
    """'right', 'caught' or 'crash: ...' for one answer; the report must be worded."""
    check = TASKS[task][0]
    try:
        check(answer)
    except NotImplementedYet as error:
        return "not started: " + str(error)
    except CheckFailed as error:
        first = error._render_traceback_()[0]
        return "caught" if first.startswith(SYMBOLS[1]) else f"unworded report: {first}"
    except BaseException as error:  # noqa: B902 -- anything else is the check's crash
        if isinstance(error, KeyboardInterrupt):
            raise
        return f"crash: {type(error).__name__}: {error}"
    return "right"


@pytest.mark.parametrize("task, i", RIGHT, ids=[f"{t}-{i}" for t, i in RIGHT])
def test_every_right_answer_passes_however_it_is_written(task, i, capsys):
    assert outcome(task, TASKS[task][1][i]) == "right"
    printed = capsys.readouterr().out.strip().splitlines()
    assert printed and printed[-1].startswith(SYMBOLS[0])


@pytest.mark.parametrize("task, i", WRONG, ids=[f"{t}-{i}" for t, i in WRONG])
def test_every_wrong_answer_is_caught(task, i, capsys):
    assert outcome(task, TASKS[task][2][i]) == "caught"
    assert SYMBOLS[0] not in capsys.readouterr().out  # no ✅ line before the ❌


def test_the_set_is_large_enough_and_covers_every_task():
    assert len(WRONG) >= 300 and len(TASKS) >= 36   # 32 tasks of 01-06, 4 of 07, ...
    for task, (_, rights, wrongs) in TASKS.items():
        assert len(rights) >= 3 and len(wrongs) >= 8, task


# ========================================= odd answers: always a worded report ==

class _Raising:
    """An object that fails whenever it is asked for a number, a length or an array."""

    def __float__(self):
        raise RuntimeError("no float for you")

    def __len__(self):
        raise RuntimeError("no length either")

    def __array__(self, *args, **kwargs):
        raise RuntimeError("and no array")

    def __iter__(self):
        raise RuntimeError("nor iteration")

    def __repr__(self):
        raise RuntimeError("not even a repr")


class _Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("this error has no message")


def _raises(error):
    def answer(*args, **kwargs):
        raise error
    return answer


def _returns(value):
    return lambda *args, **kwargs: value


def _partly_unfinished():
    calls = []

    def answer(*args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            raise NotImplementedError("only the first case so far")
        return 0.0
    return answer


def _mutating_and_printing(*args, **kwargs):
    print("debugging:", len(args), "arguments")
    for a in args:
        if isinstance(a, np.ndarray) and a.dtype.kind == "f":
            a += 1.0
        elif isinstance(a, list) and a and isinstance(a[0], float):
            a.append(0.0)
    return args[0] if args else 0.0


ODD = {
    "None": _returns(None), "text": _returns("abc"), "number as text": _returns("105"),
    "tuple": _returns((1, 2)), "huge int": _returns(10**400), "huge negative int": _returns(-10**400),
    "nan": _returns(float("nan")), "inf": _returns(float("inf")), "complex": _returns(1j),
    "wrong shape": _returns(np.zeros((7, 3))), "empty": _returns(np.array([])),
    "generator": lambda *a, **k: (i for i in range(3)), "raising object": _returns(_Raising()),
    "ragged": _returns([[1.0], [1.0, 2.0]]), "dict": _returns({"a": 1}), "object": _returns(object()),
    "text array": _returns(np.array(["a", "b"])), "bool": _returns(True),
    "mixed list": _returns([1, "a"]), "Value": _returns(Value(1.0)),
    "huge array": _returns(np.full((300, 300), 1e308)), "pair of text": _returns(("w", "b")),
    "ValueError": _raises(ValueError("bad")), "KeyError": _raises(KeyError("k")),
    "ZeroDivisionError": _raises(ZeroDivisionError()), "RecursionError": _raises(RecursionError()),
    "OverflowError": _raises(OverflowError("math range error")),
    "MemoryError": _raises(MemoryError()), "unprintable error": _raises(_Unprintable()),
    "SystemExit": _raises(SystemExit(3)), "AssertionError": _raises(AssertionError("mine")),
    "partly unfinished": None, "mutates and prints": _mutating_and_printing,
    "wrong arity": lambda: 0.0,
}


def _odd_answer(task, name):
    answer = _partly_unfinished() if name == "partly unfinished" else ODD[name]
    if task == "03 fit_with_bumps":
        return (answer, 10)
    return answer


ODD_CASES = [(task, name) for task in TASKS for name in ODD]


@pytest.mark.parametrize("task, name", ODD_CASES, ids=[f"{t}-{n}" for t, n in ODD_CASES])
def test_an_odd_answer_gets_a_worded_report_never_a_traceback(task, name, capsys):
    result = outcome(task, _odd_answer(task, name))
    assert result in ("right", "caught") or result.startswith("not started: "), result
    out = capsys.readouterr().out
    check_lines = [line for line in out.splitlines() if line.startswith(("✅", "❌", "⏳"))]
    assert all(line.startswith(SYMBOLS) for line in check_lines)
    if result == "right":
        assert check_lines and check_lines[-1].startswith(SYMBOLS[0])


def test_a_check_fed_a_gradient_error_tuple_reports_instead_of_crashing():
    """The crash of issue 10: (max(errors), errors) made numpy raise 'inhomogeneous shape'."""
    def gradient_error(f, xs):
        a = _autograd(f, xs)
        n = _numerical_gradient(lambda ys: f([Value(y) for y in ys]).data, xs)
        errors = [abs(p - q) / max(abs(p) + abs(q), 1e-12) for p, q in zip(a, n)]
        return max(errors), errors
    assert outcome("05 gradient_error", gradient_error) == "caught"


# ====================================================== the measured figures ==

def main():
    """Print, per task, how many wrong answers are caught and right answers pass."""
    import contextlib
    import io

    totals = {"wrong": 0, "caught": 0, "right": 0, "passed": 0, "crashes": 0}
    for task, (_, rights, wrongs) in TASKS.items():
        with contextlib.redirect_stdout(io.StringIO()):
            got_wrong = [outcome(task, a) for a in wrongs]
            got_right = [outcome(task, a) for a in rights]
        caught = got_wrong.count("caught")
        passed = got_right.count("right")
        crashes = sum(r.startswith("crash") for r in got_wrong + got_right)
        print(f"{task:26s} wrong caught {caught:3d}/{len(wrongs):3d}   right passed "
              f"{passed}/{len(rights)}   crashes {crashes}")
        for i, r in enumerate(got_wrong):
            if r != "caught":
                print(f"    wrong answer {i} not caught: {r[:120]}")
        for i, r in enumerate(got_right):
            if r != "right":
                print(f"    right answer {i} refused: {r[:160]}")
        totals["wrong"] += len(wrongs)
        totals["caught"] += caught
        totals["right"] += len(rights)
        totals["passed"] += passed
        totals["crashes"] += crashes
    print(f"\nwrong answers caught: {totals['caught']}/{totals['wrong']} "
          f"({totals['caught'] / totals['wrong']:.1%}); right answers refused: "
          f"{totals['right'] - totals['passed']}/{totals['right']}; crashes: {totals['crashes']}")
    return 0 if totals["caught"] == totals["wrong"] and totals["passed"] == totals["right"] else 1


if __name__ == "__main__":
    import matplotlib
    matplotlib.use("Agg")
    sys.exit(main())
