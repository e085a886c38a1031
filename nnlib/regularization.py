"""Regularisation: keep the weights small, so the network cannot memorise.

L2 weight decay adds a penalty for large weights to the loss:

    L_total = L_data + (lam / 2) * (sum of every weight squared)

Only the weights W are penalised, not the biases b: a bias only shifts a
neuron's boundary, it does not make the boundary any sharper.  The factor 1/2
is there so that the gradient comes out clean.  The slope of (lam / 2) * w**2
is lam * w, so backpropagation gets one extra term per weight:

    dW_total = dW_data + lam * W

and the gradient descent step W -= lr * dW_total pulls every weight a little
towards 0 on every step ("decay"), as well as downhill on the data loss.  A
weight survives only if the data keeps pushing it back.  Large lam: a smooth,
simple boundary (perhaps too simple); lam = 0: no penalty at all.

Which arrays are weights?  In nnlib's models, parameters() lists
[W1, b1, W2, b2, ...]: the weights are the 2-D arrays, the biases the 1-D ones.
"""
import numpy as np

from nnlib import validate


def is_weight(p):
    """True for a weight matrix W (2-D), False for a bias vector b (1-D)."""
    return np.ndim(p) == 2


def _check(params, lam):
    if not isinstance(params, (list, tuple)):
        raise TypeError("params must be a list of arrays, e.g. model.parameters(), "
                        f"got {type(params).__name__}")
    lam = validate.check_number(lam, "lam")
    if lam < 0:
        raise ValueError(f"lam must be 0 or more (0 = no penalty), got {lam}")
    return lam


def l2_penalty(params, lam):
    """(lam / 2) * the sum of all squared weights (biases not included)."""
    lam = _check(params, lam)
    return 0.5 * lam * sum(float(np.sum(W * W)) for W in params if is_weight(W))


def l2_grad(params, lam):
    """The gradient of l2_penalty: lam * W for each weight, zeros for each bias.

    A list matching params, to be added to model.gradients().
    """
    lam = _check(params, lam)
    return [lam * p if is_weight(p) else np.zeros_like(p) for p in params]


def add_l2_grad(params, grads, lam):
    """grads += l2_grad(params, lam), in place (what fit(l2=lam) does every step)."""
    lam = _check(params, lam)
    validate.check_params_and_grads(params, grads)
    for p, g in zip(params, grads):
        if is_weight(p):
            g += lam * p
