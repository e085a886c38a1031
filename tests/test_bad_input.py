"""Bad input at every public entry point of nnlib gets a clear error.

Each case below is one thing a learner or a teacher could type.  For every one
we demand the same three things:

- the error is a plain ValueError or TypeError (not numpy's IndexError or
  AxisError, not a traitlets TraitError, not an AttributeError ten frames deep),
- its message names the parameter that was wrong (as a word) and says what
  was expected ("must", "expected", "one of", ...),
- nothing is returned: a call that "works" on bad input is a silently wrong
  result.  Warnings count as failures too (an overflow warning next to a
  wrong number is not a clear error).

Run it as a script to count the outcomes instead of asserting them:

    .venv/bin/python -m tests.test_bad_input
"""
import math
import re
import sys
import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from nnlib import activations, animation, data, descent, gradcheck, layers, losses, optim  # noqa: E402
from nnlib import plots, train  # noqa: E402
from nnlib.engine import Value  # noqa: E402
from nnlib.nn import MLP, Layer, Neuron  # noqa: E402

NAN, INF = float("nan"), float("inf")
X4, Y4 = data.xor()                     # 4 points (4, 2), labels 0/1 (4,)
Z23 = np.array([[1.0, 2.0, 3.0], [0.5, 0.0, -1.0]])   # logits of 2 samples, 3 classes
COLUMN = np.array([[0.5], [-1.0], [2.0]])              # 3 predictions (3, 1)
WORDS_OF_EXPECTATION = ("must", "expected", "one of", "needs", "need ", "give ")

CASES = []


def bad(case_id, names, thunk):
    """Register one bad input: calling thunk() must raise, naming one of `names`."""
    CASES.append(pytest.param(thunk, (names,) if isinstance(names, str) else names, id=case_id))


def model():
    return layers.mlp([2, 3, 1], seed=0)


def dense_after_forward():
    d = layers.Dense(2, 3)
    d.forward(np.zeros((4, 2)))
    return d


def optimizer_used_on(opt, shapes):
    opt.step([np.ones(s) for s in shapes], [np.ones(s) for s in shapes])
    return opt


def recording():
    return animation.record_training(model(), X4, Y4, epochs=2, every=1, grid_size=5)


# ------------------------------------------------------------------ engine --
bad("Value-str", "data", lambda: Value("abc"))
bad("Value-None", "data", lambda: Value(None))
bad("Value-list", "data", lambda: Value([1.0]))
bad("Value-bool", "data", lambda: Value(True))
bad("Value-complex", "data", lambda: Value(2 + 1j))
bad("Value-nan", "data", lambda: Value(NAN))
bad("Value-inf", "data", lambda: Value(-INF))
bad("Value-huge-int", "data", lambda: Value(10**400))
bad("Value-array", "data", lambda: Value(np.array([1.0, 2.0])))
bad("add-str", "operand", lambda: Value(1.0) + "a")
bad("mul-None", "operand", lambda: Value(1.0) * None)
bad("rsub-str", "operand", lambda: "a" - Value(1.0))
bad("div-list", "operand", lambda: Value(1.0) / [2.0])
bad("add-nan", "operand", lambda: Value(1.0) + NAN)
bad("mul-array", "operand", lambda: Value(1.0) * np.array([1.0, 2.0]))
bad("pow-str", "k", lambda: Value(2.0) ** "x")
bad("pow-Value", "k", lambda: Value(2.0) ** Value(2.0))
bad("pow-nan", "k", lambda: Value(2.0) ** NAN)
bad("sum-int", "values", lambda: Value.sum(5))
bad("sum-str", "values", lambda: Value.sum("ab"))
bad("sum-None", "values", lambda: Value.sum(None))
bad("sum-mixed", "values", lambda: Value.sum([Value(1.0), "a"]))

# ---------------------------------------------------------------------- nn --
bad("Neuron-0", "n_inputs", lambda: Neuron(0))
bad("Neuron-float", "n_inputs", lambda: Neuron(2.5))
bad("Neuron-str", "n_inputs", lambda: Neuron("2"))
bad("Neuron-activation", "activation", lambda: Neuron(2, activation="swish"))
bad("Neuron-activation-None", "activation", lambda: Neuron(2, activation=None))
bad("Neuron-rng-int", "rng", lambda: Neuron(2, rng=42))
bad("Neuron-rng-0", "rng", lambda: Neuron(2, rng=0))
bad("Neuron-rng-str", "rng", lambda: Neuron(2, rng="abc"))
bad("Neuron-call-float", "x", lambda: Neuron(2)(5.0))
bad("Neuron-call-str", "x", lambda: Neuron(2)("ab"))
bad("Neuron-call-short", "x", lambda: Neuron(2)([1.0]))
bad("Neuron-call-item-str", "x", lambda: Neuron(2)([1.0, "a"]))
bad("Neuron-call-item-None", "x", lambda: Neuron(2)([1.0, None]))
bad("Neuron-call-None", "x", lambda: Neuron(2)(None))
bad("Neuron-call-nan", "x", lambda: Neuron(2)([1.0, NAN]))
bad("Neuron-call-dict", "x", lambda: Neuron(2)({1.0: 2.0, 3.0: 4.0}))
bad("Neuron-call-rows", "x", lambda: Neuron(2)([[1.0, 2.0], [3.0, 4.0]]))
bad("Layer-rng", "rng", lambda: Layer(2, 3, rng=42))
bad("Layer-n_outputs", "n_outputs", lambda: Layer(2, 0))
bad("Layer-n_outputs-str", "n_outputs", lambda: Layer(2, "3"))
bad("Layer-n_inputs", "n_inputs", lambda: Layer(0, 3))
bad("Layer-activation", "activation", lambda: Layer(2, 3, activation="swish"))
bad("Layer-call-short", "x", lambda: Layer(2, 3)([1.0]))
bad("MLP-sizes-None", "layer_sizes", lambda: MLP(2, None))
bad("MLP-sizes-empty", "layer_sizes", lambda: MLP(2, []))
bad("MLP-sizes-zero", "layer_sizes", lambda: MLP(2, [16, 0]))
bad("MLP-sizes-float", "layer_sizes", lambda: MLP(2, [1.5]))
bad("MLP-sizes-str", "layer_sizes", lambda: MLP(2, "ab"))
bad("MLP-n_inputs", "n_inputs", lambda: MLP(0, [1]))
bad("MLP-seed-negative", "seed", lambda: MLP(2, [3, 1], seed=-1))
bad("MLP-seed-str", "seed", lambda: MLP(2, [3, 1], seed="a"))
bad("MLP-seed-float", "seed", lambda: MLP(2, [3, 1], seed=1.5))
bad("MLP-activation", "activation", lambda: MLP(2, [3, 1], activation="softmax"))
bad("MLP-output_activation", "output_activation",
    lambda: MLP(2, [3, 1], output_activation="soft"))
bad("MLP-call-long", "x", lambda: MLP(2, [3, 1])([1.0, 2.0, 3.0]))
bad("MLP-call-matrix", "x", lambda: MLP(2, [3, 1])(np.zeros((4, 2))))

# ------------------------------------------------------------- activations --
for _name, (_f, _f_prime) in activations.ACTIVATIONS.items():
    for _label, _z in (("str", "abc"), ("None", None), ("mixed", [1.0, "a"])):
        bad(f"{_name}-{_label}", "z", lambda f=_f, z=_z: f(z))
        bad(f"{_name}_prime-{_label}", "z", lambda f=_f_prime, z=_z: f(z))
bad("leaky_relu-slope", "slope", lambda: activations.leaky_relu(1.0, slope="a"))
bad("leaky_relu_prime-slope", "slope", lambda: activations.leaky_relu_prime(1.0, slope=None))
bad("sigmoid_from_output-str", "a", lambda: activations.sigmoid_prime_from_output("a"))
bad("tanh_from_output-None", "a", lambda: activations.tanh_prime_from_output(None))
bad("get_activation-unknown", ("name", "activation"), lambda: activations.get_activation("swish"))
bad("get_activation-list", ("name", "activation"), lambda: activations.get_activation(["relu"]))
bad("get_activation-None", ("name", "activation"), lambda: activations.get_activation(None))

# ------------------------------------------------------------------ losses --
bad("mse-y_hat-str", "y_hat", lambda: losses.mse("ab", [1.0, 2.0]))
bad("mse-y-str", "y", lambda: losses.mse(np.ones(2), "ab"))
bad("mse-y_hat-None", "y_hat", lambda: losses.mse(None, [1.0]))
bad("mse-length", "y", lambda: losses.mse(COLUMN, np.zeros(4)))
bad("mse-columns", "y", lambda: losses.mse(np.zeros((3, 2)), np.zeros(3)))
bad("mse-y-nan", "y", lambda: losses.mse(COLUMN, [NAN, 0.0, 0.0]))
bad("mse_grad-length", "y", lambda: losses.mse_grad(COLUMN, np.zeros(4)))
bad("mse_grad-y_hat-str", "y_hat", lambda: losses.mse_grad("a", np.zeros(1)))
bad("bce-labels-2-5", "y", lambda: losses.bce_with_logits(COLUMN, [0, 2, 5]))
bad("bce-labels-negative", "y", lambda: losses.bce_with_logits(COLUMN, [0, -1, 1]))
bad("bce-length", "y", lambda: losses.bce_with_logits(COLUMN, [0, 1]))
bad("bce-labels-str", "y", lambda: losses.bce_with_logits(COLUMN, ["a", "b", "c"]))
bad("bce-labels-nan", "y", lambda: losses.bce_with_logits(COLUMN, [0, NAN, 1]))
bad("bce-z-str", "z", lambda: losses.bce_with_logits("z", [0, 1, 1]))
bad("bce_grad-labels", "y", lambda: losses.bce_with_logits_grad(COLUMN, [0, 2, 5]))
bad("bce_grad-shape", "y", lambda: losses.bce_with_logits_grad(COLUMN, np.zeros((3, 2))))
bad("softmax-str", "Z", lambda: losses.softmax("abc"))
bad("softmax-1d", "Z", lambda: losses.softmax(np.zeros(3)))
bad("softmax-None", "Z", lambda: losses.softmax(None))
bad("softmax-no-classes", "Z", lambda: losses.softmax(np.zeros((2, 0))))
bad("sce-label-too-big", "y", lambda: losses.softmax_cross_entropy(Z23, [0, 5]))
bad("sce-label-negative", "y", lambda: losses.softmax_cross_entropy(Z23, [0, -1]))
bad("sce-label-float", "y", lambda: losses.softmax_cross_entropy(Z23, [0.5, 1]))
bad("sce-length", "y", lambda: losses.softmax_cross_entropy(Z23, [0, 1, 2]))
bad("sce-Z-1d", "Z", lambda: losses.softmax_cross_entropy(np.zeros(3), [0]))
bad("sce-y-column", "y", lambda: losses.softmax_cross_entropy(Z23, np.array([[0], [1]])))
bad("sce-y-str", "y", lambda: losses.softmax_cross_entropy(Z23, "ab"))
bad("sce-y-None", "y", lambda: losses.softmax_cross_entropy(Z23, None))
bad("sce_grad-label-too-big", "y", lambda: losses.softmax_cross_entropy_grad(Z23, [0, 5]))
bad("sce_grad-label-negative", "y", lambda: losses.softmax_cross_entropy_grad(Z23, [0, -1]))
bad("sce_grad-y-column", "y",
    lambda: losses.softmax_cross_entropy_grad(Z23, np.array([[0], [1]])))
bad("sce_grad-label-float", "y", lambda: losses.softmax_cross_entropy_grad(Z23, [0.5, 1]))
bad("get_loss-unknown", ("name", "loss"), lambda: losses.get_loss("hinge"))
bad("get_loss-None", ("name", "loss"), lambda: losses.get_loss(None))
bad("get_loss-list", ("name", "loss"), lambda: losses.get_loss(["mse"]))

# ------------------------------------------------------------------ layers --
bad("Dense-n_in-0", "n_in", lambda: layers.Dense(0, 3))
bad("Dense-n_out-float", "n_out", lambda: layers.Dense(2, 3.5))
bad("Dense-n_in-str", "n_in", lambda: layers.Dense("2", 3))
bad("Dense-n_in-True", "n_in", lambda: layers.Dense(True, 3))    # True == 1, but not a size
bad("Dense-activation", "activation", lambda: layers.Dense(2, 3, activation="swish"))
bad("Dense-activation-None", "activation", lambda: layers.Dense(2, 3, activation=None))
bad("Dense-seed-negative", "seed", lambda: layers.Dense(2, 3, seed=-1))
bad("Dense-seed-str", "seed", lambda: layers.Dense(2, 3, seed="a"))
bad("Dense-rng-int", "rng", lambda: layers.Dense(2, 3, rng=42))
bad("Dense-forward-columns", "X", lambda: layers.Dense(2, 3).forward(np.zeros((4, 5))))
bad("Dense-forward-1d", "X", lambda: layers.Dense(2, 3).forward(np.zeros(2)))
bad("Dense-forward-str", "X", lambda: layers.Dense(2, 3).forward("abc"))
bad("Dense-forward-None", "X", lambda: layers.Dense(2, 3).forward(None))
bad("Dense-forward-mixed", "X", lambda: layers.Dense(2, 3).forward([[1.0, "a"]]))
bad("Dense-forward-3d", "X", lambda: layers.Dense(2, 3).forward(np.zeros((4, 2, 1))))
bad("Dense-backward-first", "forward", lambda: layers.Dense(2, 3).backward(np.ones((4, 3))))
bad("Dense-backward-columns", "da", lambda: dense_after_forward().backward(np.ones((4, 2))))
bad("Dense-backward-rows", "da", lambda: dense_after_forward().backward(np.ones((5, 3))))
bad("Dense-backward-str", "da", lambda: dense_after_forward().backward("a"))
bad("Dense-backward-broadcast", "da", lambda: dense_after_forward().backward(np.ones(3)))
bad("Sequential-empty", "layers", lambda: layers.Sequential([]))
bad("Sequential-int", "layers", lambda: layers.Sequential(5))
bad("Sequential-mismatch", "layers",
    lambda: layers.Sequential([layers.Dense(2, 3), layers.Dense(4, 1)]))
bad("Sequential-str-layer", "layers", lambda: layers.Sequential([layers.Dense(2, 3), "relu"]))
bad("Sequential-forward-columns", "X", lambda: model().forward(np.zeros((4, 3))))
bad("Sequential-backward-shape", ("d_out", "da"),
    lambda: (lambda m: (m.forward(X4), m.backward(np.ones((4, 2)))))(model()))
bad("mlp-one-size", "sizes", lambda: layers.mlp([2]))
bad("mlp-str", "sizes", lambda: layers.mlp("abc"))
bad("mlp-zero", "sizes", lambda: layers.mlp([2, 0, 1]))
bad("mlp-float", "sizes", lambda: layers.mlp([2, 2.5, 1]))
bad("mlp-None", "sizes", lambda: layers.mlp(None))
bad("mlp-activation", "activation", lambda: layers.mlp([2, 3, 1], activation="swish"))
bad("mlp-output_activation", "output_activation",
    lambda: layers.mlp([2, 3, 1], output_activation="softmax"))
bad("mlp-seed", "seed", lambda: layers.mlp([2, 3, 1], seed=-1))
bad("init_scale-n_in", "n_in", lambda: layers.init_scale(0, 3, "relu"))
bad("init_scale-activation", "activation", lambda: layers.init_scale(2, 3, "swish"))

# ------------------------------------------------------------------- optim --
bad("SGD-lr-0", "lr", lambda: optim.SGD(0))
bad("SGD-lr-negative", "lr", lambda: optim.SGD(-1))
bad("SGD-lr-str", "lr", lambda: optim.SGD("a"))
bad("SGD-lr-nan", "lr", lambda: optim.SGD(NAN))
bad("SGD-lr-None", "lr", lambda: optim.SGD(None))
bad("Momentum-beta-1", "beta", lambda: optim.Momentum(0.1, beta=1.0))
bad("Momentum-beta-negative", "beta", lambda: optim.Momentum(0.1, beta=-0.1))
bad("Adam-beta1", "beta1", lambda: optim.Adam(beta1=1.5))
bad("Adam-beta2-str", "beta2", lambda: optim.Adam(beta2="x"))
bad("Adam-eps-0", "eps", lambda: optim.Adam(eps=0))
bad("SGD-step-fewer-grads", "grads",
    lambda: optim.SGD(0.1).step([np.ones((2, 3)), np.ones(3)], [np.ones((2, 3))]))
bad("SGD-step-more-grads", "grads",
    lambda: optim.SGD(0.1).step([np.ones(3)], [np.ones(3), np.ones(3)]))
bad("SGD-step-grad-shape", "grads",
    lambda: optim.SGD(0.1).step([np.ones((2, 3))], [np.ones((3, 3))]))
bad("SGD-step-grad-broadcast", "grads",
    lambda: optim.SGD(0.1).step([np.ones((2, 3))], [np.ones(3)]))
bad("SGD-step-int-params", "params",
    lambda: optim.SGD(0.1).step([np.array([1, 2])], [np.array([1.0, 1.0])]))
bad("SGD-step-1d-arrays", "params", lambda: optim.SGD(0.1).step(np.ones(3), np.ones(3)))
bad("SGD-step-grad-str", "grads", lambda: optim.SGD(0.1).step([np.ones(3)], ["a"]))
bad("SGD-step-grad-None", "grads", lambda: optim.SGD(0.1).step([np.ones(3)], [None]))
bad("SGD-step-params-lists", "params",
    lambda: optim.SGD(0.1).step([[1.0, 2.0]], [[1.0, 1.0]]))
bad("SGD-step-params-str", "params", lambda: optim.SGD(0.1).step(["a"], ["a"]))
bad("Momentum-step-grad-shape", "grads",
    lambda: optim.Momentum(0.1).step([np.ones(2)], [np.ones(3)]))
bad("Adam-step-int-params", "params",
    lambda: optim.Adam().step([np.array([1, 2])], [np.array([1.0, 1.0])]))
bad("Adam-reused-other-shapes", "params",
    lambda: optimizer_used_on(optim.Adam(), [(3,)]).step([np.ones((2, 2))], [np.ones((2, 2))]))
bad("Adam-reused-more-params", "params",
    lambda: optimizer_used_on(optim.Adam(), [(3,)]).step([np.ones(3), np.ones(2)],
                                                         [np.ones(3), np.ones(2)]))
bad("Momentum-reused-other-shapes", "params",
    lambda: optimizer_used_on(optim.Momentum(0.1), [(3,)]).step([np.ones(4)], [np.ones(4)]))
bad("make_optimizer-unknown", "optimizer", lambda: optim.make_optimizer("rmsprop"))
bad("make_optimizer-int", "optimizer", lambda: optim.make_optimizer(5))
bad("make_optimizer-lr", "lr", lambda: optim.make_optimizer("sgd", lr=0))

# ------------------------------------------------------------------- train --
bad("train_step-loss", "loss", lambda: train.train_step(model(), X4, Y4, "hinge", optim.SGD(0.1)))
bad("train_step-optimizer-None", "optimizer", lambda: train.train_step(model(), X4, Y4, "bce", None))
bad("train_step-optimizer-str", "optimizer", lambda: train.train_step(model(), X4, Y4, "bce", "sgd"))
bad("train_step-model", "model", lambda: train.train_step("m", X4, Y4, "bce", optim.SGD(0.1)))
bad("train_step-X-columns", "X",
    lambda: train.train_step(model(), np.zeros((4, 3)), Y4, "bce", optim.SGD(0.1)))
bad("train_step-y-label", "y", lambda: train.train_step(model(), X4, [0, 1, 2, 0], "bce", optim.SGD(0.1)))
bad("train_step-y-length", "y", lambda: train.train_step(model(), X4, Y4[:3], "bce", optim.SGD(0.1)))
bad("train_step-X-nan", "X",
    lambda: train.train_step(model(), np.full((4, 2), NAN), Y4, "bce", optim.SGD(0.1)))
bad("train_step-softmax-1-output", "loss",
    lambda: train.train_step(model(), X4, Y4, "softmax_ce", optim.SGD(0.1)))
bad("fit-epochs-0", "epochs", lambda: train.fit(model(), X4, Y4, epochs=0))
bad("fit-epochs-float", "epochs", lambda: train.fit(model(), X4, Y4, epochs=2.5))
bad("fit-lr-0", "lr", lambda: train.fit(model(), X4, Y4, lr=0))
bad("fit-lr-str", "lr", lambda: train.fit(model(), X4, Y4, lr="a"))
bad("fit-batch_size-0", "batch_size", lambda: train.fit(model(), X4, Y4, batch_size=0))
bad("fit-batch_size-float", "batch_size", lambda: train.fit(model(), X4, Y4, batch_size=2.5))
bad("fit-optimizer", "optimizer", lambda: train.fit(model(), X4, Y4, optimizer="rmsprop"))
bad("fit-loss", "loss", lambda: train.fit(model(), X4, Y4, loss="hinge"))
bad("fit-X_test-alone", ("X_test", "y_test"), lambda: train.fit(model(), X4, Y4, X_test=X4))
bad("fit-callback", "callback", lambda: train.fit(model(), X4, Y4, callback=5))
bad("fit-progress", "progress", lambda: train.fit(model(), X4, Y4, progress="yes"))
bad("fit-X-nan", "X", lambda: train.fit(model(), np.full((4, 2), NAN), Y4))
bad("fit-y-label", "y", lambda: train.fit(model(), X4, [0, 1, 2, 0]))
bad("fit-y-length", "y", lambda: train.fit(model(), X4, Y4[:3]))
bad("fit-X-1d", "X", lambda: train.fit(model(), np.zeros(4), Y4))
bad("fit-model", "model", lambda: train.fit("model", X4, Y4))
bad("fit-seed-negative", "seed", lambda: train.fit(model(), X4, Y4, batch_size=2, seed=-1))
bad("fit-seed-str", "seed", lambda: train.fit(model(), X4, Y4, batch_size=2, seed="a"))
bad("fit-X-scaled-1e300", "X", lambda: train.fit(model(), X4 * 1e300 + 1e300, Y4, epochs=5))
bad("fit-X_test-scaled-1e300", "X_test",
    lambda: train.fit(model(), X4, Y4, X_test=X4 * 1e300 + 1e300, y_test=Y4, epochs=5))
bad("fit-X-empty", "X", lambda: train.fit(model(), np.zeros((0, 2)), np.zeros(0)))
bad("fit-X_test-columns", "X_test",
    lambda: train.fit(model(), X4, Y4, X_test=np.zeros((4, 3)), y_test=Y4))
bad("fit-optimizer-reused", ("optimizer", "params"),
    lambda: train.fit(model(), X4, Y4, epochs=1,
                      optimizer=optimizer_used_on(optim.Adam(), [(5,)])))
bad("predict-X", "X", lambda: train.predict(model(), np.zeros((3, 3))))
bad("predict-loss", "loss", lambda: train.predict(model(), X4, loss="hinge"))
bad("predict_proba-loss", "loss", lambda: train.predict_proba(model(), X4, loss="mse"))
bad("accuracy-loss", "loss", lambda: train.accuracy(model(), X4, Y4, loss="mse"))
bad("accuracy-y-length", "y", lambda: train.accuracy(model(), X4, [0, 1]))
bad("accuracy-y-label", "y", lambda: train.accuracy(model(), X4, [0, 1, 2, 1]))

# -------------------------------------------------------------------- data --
bad("truth_table-XNOR", "gate", lambda: data.truth_table("XNOR"))
bad("truth_table-int", "gate", lambda: data.truth_table(5))
bad("truth_table-None", "gate", lambda: data.truth_table(None))
bad("xor_clouds-n-3", "n", lambda: data.xor_clouds(n=3))
bad("xor_clouds-n-float", "n", lambda: data.xor_clouds(n=2.5))
bad("xor_clouds-n-str", "n", lambda: data.xor_clouds(n="a"))
bad("xor_clouds-noise-negative", "noise", lambda: data.xor_clouds(noise=-1))
bad("xor_clouds-noise-1e308", "noise", lambda: data.xor_clouds(noise=1e308))
bad("xor_clouds-noise-nan", "noise", lambda: data.xor_clouds(noise=NAN))
bad("xor_clouds-seed-negative", "seed", lambda: data.xor_clouds(seed=-1))
bad("xor_clouds-seed-float", "seed", lambda: data.xor_clouds(seed=1.5))
bad("circles-factor-big", "factor", lambda: data.circles(factor=1.5))
bad("circles-factor-0", "factor", lambda: data.circles(factor=0))
bad("circles-noise-str", "noise", lambda: data.circles(noise="a"))
bad("moons-n-0", "n", lambda: data.moons(n=0))
bad("moons-noise-None", "noise", lambda: data.moons(noise=None))
bad("spirals-turns-0", "turns", lambda: data.spirals(turns=0))
bad("spirals-turns-1e308", "turns", lambda: data.spirals(turns=1e308))
bad("spirals-noise-negative", "noise", lambda: data.spirals(noise=-0.1))
bad("blobs-centers-0", "centers", lambda: data.blobs(centers=0))
bad("blobs-centers-3d", "centers", lambda: data.blobs(centers=[[0.0, 0.0, 0.0]]))
bad("blobs-centers-str", "centers", lambda: data.blobs(centers="ab"))
bad("blobs-std-negative", "std", lambda: data.blobs(std=-1))
bad("blobs-n-less-than-centers", "n", lambda: data.blobs(n=1, centers=3))
bad("blobs-std-1e308", "std", lambda: data.blobs(std=1e308))
bad("make_dataset-unknown", "name", lambda: data.make_dataset("mnist"))
bad("make_dataset-list", "name", lambda: data.make_dataset(["xor"]))
bad("make_dataset-noise", "noise", lambda: data.make_dataset("xor", noise=-1))
bad("make_dataset-gaussians-noise", "noise", lambda: data.make_dataset("gaussians", noise=-1))
bad("curve-unknown", "name", lambda: data.curve("cosine"))
bad("curve-n-0", "n", lambda: data.curve(n=0))
bad("curve-noise-1e308", "noise", lambda: data.curve(noise=1e308))
bad("curve-n-float", "n", lambda: data.curve(n=1.5))
bad("split-length", "y", lambda: data.train_test_split(X4, Y4[:3]))
bad("split-ratio-0", "test_ratio", lambda: data.train_test_split(X4, Y4, test_ratio=0))
bad("split-ratio-big", "test_ratio", lambda: data.train_test_split(X4, Y4, test_ratio=1.5))
bad("split-ratio-str", "test_ratio", lambda: data.train_test_split(X4, Y4, test_ratio="a"))
bad("split-X-1d", "X", lambda: data.train_test_split(np.zeros(4), Y4))
bad("split-y-2d", "y", lambda: data.train_test_split(X4, np.zeros((4, 2))))
bad("split-seed", "seed", lambda: data.train_test_split(X4, Y4, seed=-1))

# --------------------------------------------------------------- gradcheck --
bad("numerical_gradient-f", "f", lambda: gradcheck.numerical_gradient(5, np.ones(2)))
bad("numerical_gradient-x-list", "x", lambda: gradcheck.numerical_gradient(np.sum, [1.0, 2.0]))
bad("numerical_gradient-x-int", "x", lambda: gradcheck.numerical_gradient(np.sum, np.array([1, 2])))
bad("numerical_gradient-f-array", "f", lambda: gradcheck.numerical_gradient(lambda x: x, np.ones(2)))
bad("numerical_gradient-eps", "eps", lambda: gradcheck.numerical_gradient(np.sum, np.ones(2), eps=0))
bad("numerical_gradient-x-nan", "x",
    lambda: gradcheck.numerical_gradient(np.sum, np.array([NAN, 1.0])))
bad("relative_error-shapes", ("a", "b"), lambda: gradcheck.relative_error([1, 2], [1, 2, 3]))
bad("relative_error-str", "a", lambda: gradcheck.relative_error("a", [1.0]))
bad("relative_error-nan", "a", lambda: gradcheck.relative_error([NAN], [1.0]))
bad("check_layer-layer", "layer", lambda: gradcheck.check_layer(5, X4))
bad("check_layer-X-columns", "X", lambda: gradcheck.check_layer(layers.Dense(2, 3), np.zeros((4, 5))))
bad("check_layer-X-1d", "X", lambda: gradcheck.check_layer(layers.Dense(2, 3), np.zeros(4)))
bad("check_layer-seed", "seed", lambda: gradcheck.check_layer(layers.Dense(2, 3), X4, seed=-1))
bad("check_scalar-f", "f", lambda: gradcheck.check_scalar_function(5, [1.0]))
bad("check_scalar-xs-empty", "xs", lambda: gradcheck.check_scalar_function(lambda v: v[0], []))
bad("check_scalar-xs-str", "xs", lambda: gradcheck.check_scalar_function(lambda v: v[0], ["a"]))
bad("check_scalar-f-returns-float", "f", lambda: gradcheck.check_scalar_function(lambda v: 3.0, [1.0]))
bad("check_scalar-eps", "eps", lambda: gradcheck.check_scalar_function(lambda v: v[0], [1.0], eps=-1))
bad("check_scalar-xs-nan", "xs", lambda: gradcheck.check_scalar_function(lambda v: v[0], [NAN]))

# ----------------------------------------------------------------- descent --
bad("descend-surface-unknown", "surface", lambda: descent.descend("saddle", (1, 1), 0.1))
bad("descend-surface-int", "surface", lambda: descent.descend(5, (1, 1), 0.1))
bad("descend-start-short", "start", lambda: descent.descend("bowl", (1,), 0.1))
bad("descend-start-long", "start", lambda: descent.descend("bowl", (1, 2, 3), 0.1))
bad("descend-start-str", "start", lambda: descent.descend("bowl", "ab", 0.1))
bad("descend-lr-0", "lr", lambda: descent.descend("bowl", (1, 1), 0))
bad("descend-momentum-1", "momentum", lambda: descent.descend("bowl", (1, 1), 0.1, momentum=1))
bad("descend-steps-0", "steps", lambda: descent.descend("bowl", (1, 1), 0.1, steps=0))
bad("descend-bound-negative", "bound", lambda: descent.descend("bowl", (1, 1), 0.1, bound=-1))
bad("descend-bound-str", "bound", lambda: descent.descend("bowl", (1, 1), 0.1, bound="a"))
bad("stable_lr-surface", "surface", lambda: descent.stable_lr(5))
bad("stable_lr-momentum", "momentum", lambda: descent.stable_lr(descent.SURFACES["valley"], momentum=2))

# ------------------------------------------------------------------- plots --
bad("scatter-y-fraction", "y", lambda: plots.scatter_classes(X4, [0, 1.5, 1, 0]))
bad("scatter-y-str", "y", lambda: plots.scatter_classes(X4, ["a", "b", "c", "d"]))
bad("scatter-y-negative", "y", lambda: plots.scatter_classes(X4, [0, 1, -1, 0]))
bad("scatter-y-length", "y", lambda: plots.scatter_classes(X4, [0, 1]))
bad("scatter-X-columns", "X", lambda: plots.scatter_classes(np.zeros((4, 3)), Y4))
bad("scatter-labels-short", "labels", lambda: plots.scatter_classes(X4, Y4, labels=["only one"]))
bad("scatter-ax", "ax", lambda: plots.scatter_classes(X4, Y4, ax=5))
bad("grid-lim-negative", "lim", lambda: plots.grid(lim=-1))
bad("grid-resolution-0", "resolution", lambda: plots.grid(resolution=0))
bad("grid-resolution-str", "resolution", lambda: plots.grid(resolution="a"))
bad("grid-extent-short", "extent", lambda: plots.grid(extent=(0, 1)))
bad("grid-extent-reversed", "extent", lambda: plots.grid(extent=(1, 0, 0, 1)))
bad("boundary-not-callable", "predict_proba", lambda: plots.decision_boundary(5))
bad("boundary-wrong-size", "predict_proba", lambda: plots.decision_boundary(lambda P: np.zeros(3)))
bad("plot_function-f", "f", lambda: plots.plot_function(5))
bad("plot_function-reversed", ("lo", "hi"), lambda: plots.plot_function(np.sin, lo=1, hi=0))
bad("plot_function-lo-str", "lo", lambda: plots.plot_function(np.sin, lo="a"))
bad("plot_activation-unknown", ("name", "activation"), lambda: plots.plot_activation("swish"))
bad("loss_curve-str", "losses", lambda: plots.loss_curve("abc"))
bad("loss_curve-int", "losses", lambda: plots.loss_curve(5))
bad("loss_curve-2d", "losses", lambda: plots.loss_curve([[1, 2], [3, 4]]))
bad("loss_curve-mixed", "losses", lambda: plots.loss_curve([1, "a"]))

# --------------------------------------------------------------- animation --
bad("record-model-int", "model", lambda: animation.record_training(5, X4, Y4))
bad("record-model-3-inputs", "model", lambda: animation.record_training(layers.mlp([3, 1]), X4, Y4))
bad("record-y-label", "y", lambda: animation.record_training(model(), X4, [0, 1, 2, 0], epochs=2))
bad("record-epochs", "epochs", lambda: animation.record_training(model(), X4, Y4, epochs=0))
bad("record-every", "every", lambda: animation.record_training(model(), X4, Y4, every=0))
bad("record-grid_size", "grid_size", lambda: animation.record_training(model(), X4, Y4, grid_size=0))
bad("record-X-columns", "X", lambda: animation.record_training(model(), np.zeros((4, 3)), Y4))
bad("record-X_test-alone", ("X_test", "y_test"),
    lambda: animation.record_training(model(), X4, Y4, epochs=2, X_test=X4))
bad("to_html-recording", "recording", lambda: animation.to_html("rec"))
bad("to_html-fps", "fps", lambda: animation.to_html(recording(), fps=0))
bad("to_html-dpi", "dpi", lambda: animation.to_html(recording(), dpi=0))
bad("to_html-figsize", "figsize", lambda: animation.to_html(recording(), figsize=(0, 3)))
bad("save_gif-path", "path", lambda: animation.save_gif(recording(), 5))
bad("plane_grid-size", "size", lambda: animation.plane_grid(0))
bad("plane_grid-lim", "lim", lambda: animation.plane_grid(10, lim=-1))
bad("probability_map-model", "model", lambda: animation.probability_map(5, animation.plane_grid(4), 4))


# ------------------------------------- entry points added for lessons 07-08 --
def _try(module, name):
    import importlib
    return getattr(importlib.import_module(f"nnlib.{module}"), name)


bad("confusion_matrix-k", "k", lambda: train.confusion_matrix([0, 1], [0, 1], 0))
bad("confusion_matrix-label", "y_true", lambda: train.confusion_matrix([0, 3], [0, 1], 2))
bad("confusion_matrix-pred-negative", "y_pred", lambda: train.confusion_matrix([0, 1], [0, -1], 2))
bad("confusion_matrix-length", ("y_true", "y_pred"), lambda: train.confusion_matrix([0, 1], [0], 2))
bad("confusion_plot-not-square", "C", lambda: plots.confusion_plot(np.zeros((2, 3))))
bad("confusion_plot-str", "C", lambda: plots.confusion_plot("C"))
bad("confusion_plot-labels-short", "labels", lambda: plots.confusion_plot(np.eye(3), labels=["a"]))
bad("confusion_plot-negative", "C", lambda: plots.confusion_plot(-np.eye(2)))
bad("show_digit-size", "image", lambda: plots.show_digit(np.zeros(10)))
bad("show_digit-None", "image", lambda: plots.show_digit(None))
bad("weight_images-rows", "W", lambda: plots.weight_images(np.zeros((10, 2)), []))
bad("weight_images-axes", "axes", lambda: plots.weight_images(np.zeros((64, 2)), [5, 6]))
bad("weight_images-scale", "scale", lambda: plots.weight_images(np.zeros((64, 1)), [], scale="big"))
bad("digits-ratio", "test_ratio", lambda: data.digits(test_ratio=2))
bad("digits-seed", "seed", lambda: data.digits(seed=-3))
bad("fit-l2-negative", "l2", lambda: train.fit(model(), X4, Y4, epochs=1, l2=-1))
bad("fit-l2-str", "l2", lambda: train.fit(model(), X4, Y4, epochs=1, l2="a"))
bad("fit-patience-0", "patience", lambda: train.fit(model(), X4, Y4, epochs=1, X_test=X4, y_test=Y4,
                                                   patience=0))
bad("fit-patience-no-test", ("patience", "X_test"), lambda: train.fit(model(), X4, Y4, epochs=1, patience=3))
bad("xavier_std-0", "n_in", lambda: _try("init", "xavier_std")(0, 3))
bad("he-seed", "seed", lambda: _try("init", "he")(2, 3, seed=-1))
bad("init_weights-std", "std", lambda: _try("init", "init_weights")(model(), "kaiming"))
bad("init_weights-std-negative", "std", lambda: _try("init", "init_weights")(model(), -1.0))
bad("init_weights-model", "model", lambda: _try("init", "init_weights")("m", "he"))
bad("l2_penalty-lam", "lam", lambda: _try("regularization", "l2_penalty")([np.ones((2, 2))], -1))
bad("l2_grad-params", "params", lambda: _try("regularization", "l2_grad")(np.ones((2, 2)), 0.1))
bad("add_l2_grad-lengths", "grads",
    lambda: _try("regularization", "add_l2_grad")([np.ones((2, 2))], [], 0.1))
bad("add_l2_grad-lam", "lam",
    lambda: _try("regularization", "add_l2_grad")([np.ones((2, 2))], [np.ones((2, 2))], "a"))


# ------------------------------------------ entry points added for lesson 09 --
def _language():
    from nnlib import language
    return language


def _vocab():
    return _language().Vocabulary(["ann", "bob"])


def _embedding_after_forward():
    emb = _language().Embedding(5, 2, 3)
    emb.forward(np.array([[0, 1, 2]]))
    return emb


bad("names-ratio", "test_ratio", lambda: data.names(test_ratio=1))
bad("names-ratio-str", "test_ratio", lambda: data.names(test_ratio="a"))
bad("names-seed", "seed", lambda: data.names(seed=-1))
bad("Vocabulary-str", "names", lambda: _language().Vocabulary("anna"))
bad("Vocabulary-empty", "names", lambda: _language().Vocabulary([]))
bad("Vocabulary-int", "names", lambda: _language().Vocabulary([3]))
bad("Vocabulary-dot", "names", lambda: _language().Vocabulary(["a.b"]))
bad("encode-unknown", "text", lambda: _vocab().encode("Ann"))
bad("encode-int", "text", lambda: _vocab().encode(3))
bad("decode-out-of-range", "ids", lambda: _vocab().decode([30]))
bad("decode-one-past-the-end", "ids", lambda: _vocab().decode([5]))   # 5 characters: 0..4
bad("make_pairs-context-0", "context", lambda: _language().make_pairs(["ann"], _vocab(), 0))
bad("make_pairs-vocab", "vocab", lambda: _language().make_pairs(["ann"], "abc"))
bad("make_pairs-names-str", "names", lambda: _language().make_pairs("ann", _vocab()))
bad("make_pairs-unknown", "names[0]", lambda: _language().make_pairs(["zoe"], _vocab()))
bad("nll-not-probabilities", "P", lambda: _language().nll([[2.0, -1.0]], [0]))
bad("nll-label", "y", lambda: _language().nll([[0.5, 0.5]], [2]))
bad("nll-length", "y", lambda: _language().nll([[0.5, 0.5]], [0, 1]))
bad("bigram_probs-alpha", "alpha", lambda: _language().bigram_probs(np.ones((2, 2)), alpha=-1))
bad("bigram_probs-not-square", "N", lambda: _language().bigram_probs(np.ones((2, 3))))
bad("bigram_probs-negative", "N", lambda: _language().bigram_probs(np.array([[-1.0, 2.0], [1.0, 1.0]])))
bad("bigram_probs-empty-row", "N", lambda: _language().bigram_probs(np.zeros((2, 2)), alpha=0))
bad("Embedding-dim-0", "dim", lambda: _language().Embedding(27, 0, 3))
bad("Embedding-forward-fraction", "X", lambda: _language().Embedding(5, 2, 3).forward([[0.5, 1, 2]]))
bad("Embedding-forward-range", "X", lambda: _language().Embedding(5, 2, 3).forward([[0, 1, 5]]))
bad("Embedding-forward-shape", "X", lambda: _language().Embedding(5, 2, 3).forward(np.zeros((2, 4))))
bad("Embedding-backward-first", "dE", lambda: _language().Embedding(5, 2, 3).backward(np.zeros((1, 6))))
bad("Embedding-backward-shape", "dE", lambda: _embedding_after_forward().backward(np.zeros((1, 5))))
bad("with_temperature-0", "temperature", lambda: _language().with_temperature([1.0, 2.0], 0))
bad("with_temperature-z-2d", "z", lambda: _language().with_temperature([[1.0, 2.0]], 1.0))
bad("char_mlp-context-0", "context", lambda: _language().char_mlp(context=0))
bad("next_char_probs-prefix-int", "prefix",
    lambda: _language().next_char_probs(_language().char_mlp(5), _language().Vocabulary(["abcd"]), 3))
bad("next_char_probs-unknown", "prefix",
    lambda: _language().next_char_probs(_language().char_mlp(5), _language().Vocabulary(["abcd"]), "Ab"))
bad("sample_names-n-0", "n",
    lambda: _language().sample_names(_language().char_mlp(5), _language().Vocabulary(["abcd"]), n=0))
bad("sample_names-temperature", "temperature",
    lambda: _language().sample_names(_language().char_mlp(5), _language().Vocabulary(["abcd"]),
                                     temperature=-1))
bad("NameLab-temperature-5", "temperature", lambda: widget("NameLab", temperature=5))
bad("NameLab-temperature-0.25", "temperature", lambda: widget("NameLab", temperature=0.25))
bad("NameLab-prefix-int", "prefix", lambda: widget("NameLab", prefix=3))
bad("NameLab-seed-negative", "seed", lambda: widget("NameLab", seed=-1))
bad("NameLab-vocab-only", ("model", "vocab"), lambda: widget("NameLab", vocab=_vocab()))


# ----------------------------------------------------------------- widgets --
def widget(name, **kwargs):
    import nnlib.widgets as w

    return getattr(w, name)(**kwargs)


for _id, _names, _widget, _kwargs in [
    ("Hello-w-10", "w", "HelloWidget", {"w": 10}),
    ("Hello-b-str", "b", "HelloWidget", {"b": "a"}),
    ("Hello-w-nan", "w", "HelloWidget", {"w": NAN}),
    ("Perceptron-gate-XNOR", "gate", "PerceptronWidget", {"gate": "XNOR"}),
    ("Perceptron-gate-int", "gate", "PerceptronWidget", {"gate": 5}),
    ("Perceptron-w1-5", "w1", "PerceptronWidget", {"w1": 5}),
    ("Perceptron-b--4", "b", "PerceptronWidget", {"b": -4}),
    ("Explorer-activation-swish", "activation", "ActivationExplorer", {"activation": "swish"}),
    ("Explorer-w1-3.5", "w1", "ActivationExplorer", {"w1": 3.5}),
    ("Explorer-b-None", "b", "ActivationExplorer", {"b": None}),
    ("Universal-target-cosine", "target", "UniversalApproximation", {"target": "cosine"}),
    ("Universal-n_units-21", "n_units", "UniversalApproximation", {"n_units": 21}),
    ("Universal-n_units-float", "n_units", "UniversalApproximation", {"n_units": 2.5}),
    ("Universal-n_units-negative", "n_units", "UniversalApproximation", {"n_units": -1}),
    ("Universal-activation-gelu", "activation", "UniversalApproximation", {"activation": "gelu"}),
    ("Descent-surface-saddle", "surface", "DescentExplorer", {"surface": "saddle"}),
    ("Descent-momentum-2", "momentum", "DescentExplorer", {"momentum": 2}),
    ("Descent-momentum-negative", "momentum", "DescentExplorer", {"momentum": -0.1}),
    ("Descent-steps-0", "steps", "DescentExplorer", {"steps": 0}),
    ("Descent-steps-500", "steps", "DescentExplorer", {"steps": 500}),
    ("Descent-steps-float", "steps", "DescentExplorer", {"steps": 2.5}),
    ("Backprop-output-float", "output", "BackpropStepper", {"output": 3.0}),
    ("Backprop-max_nodes-str", "max_nodes", "BackpropStepper", {"max_nodes": "a"}),
    ("Backprop-max_nodes-0", "max_nodes", "BackpropStepper", {"max_nodes": 0}),
    ("Backprop-max_nodes-float", "max_nodes", "BackpropStepper", {"max_nodes": 2.5}),
    ("Playground-n_points-3", "n_points", "Playground", {"n_points": 3}),
    ("Playground-n_points-float", "n_points", "Playground", {"n_points": 2.5}),
    ("Playground-n_points-str", "n_points", "Playground", {"n_points": "a"}),
    ("Playground-n_points-huge", "n_points", "Playground", {"n_points": 10**6}),
    ("Playground-hidden_layers-float", "hidden_layers", "Playground", {"hidden_layers": 2.5}),
    ("Playground-neurons-float", "neurons", "Playground", {"neurons": 3.5}),
    ("Playground-interval-negative", "interval", "Playground", {"interval": -5}),
    ("Playground-interval-0", "interval", "Playground", {"interval": 0}),
    ("Playground-interval-str", "interval", "Playground", {"interval": "a"}),
    ("Playground-noise-0.6", "noise", "Playground", {"noise": 0.6}),
    ("Playground-train_percent-95", "train_percent", "Playground", {"train_percent": 95}),
    ("Playground-train_percent-15", "train_percent", "Playground", {"train_percent": 15}),
    ("Playground-seed-negative", "seed", "Playground", {"seed": -1}),
    ("Playground-seed-str", "seed", "Playground", {"seed": "a"}),
    ("Playground-epochs_per_tick-0", "epochs_per_tick", "Playground", {"epochs_per_tick": 0}),
    ("Playground-batch_size-7", "batch_size", "Playground", {"batch_size": 7}),
    ("Playground-batch_size-True", "batch_size", "Playground", {"batch_size": True}),  # True == 1
    ("Playground-lr-tiny", "lr", "Playground", {"lr": 0.0001}),
    ("Playground-optimizer", "optimizer", "Playground", {"optimizer": "rmsprop"}),
]:
    bad(_id, _names, lambda w=_widget, k=_kwargs: widget(w, **k))


# ------------------------------------------------------------------ checks --

def outcome(thunk, names):
    """"clear", or why not: "unclear: ..." or "silent: ..." (a result came back)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with np.errstate(all="warn"):
                result = thunk()
    except (ValueError, TypeError) as error:
        if type(error) not in (ValueError, TypeError):
            return f"unclear: {type(error).__module__}.{type(error).__name__}: {error}"
        message = str(error)
        if not any(re.search(rf"(?<![A-Za-z0-9_]){re.escape(n)}(?![A-Za-z0-9_])", message)
                   for n in names):
            return f"unclear: {type(error).__name__} does not name {' or '.join(names)}: {message}"
        if not any(word in message for word in WORDS_OF_EXPECTATION):
            return f"unclear: {type(error).__name__} does not say what was expected: {message}"
        return "clear"
    except Exception as error:  # noqa: BLE001 -- any other error is an unclear one
        return f"unclear: {type(error).__module__}.{type(error).__name__}: {error}"
    finally:
        matplotlib.pyplot.close("all")
    return f"silent: returned {type(result).__name__}"


@pytest.mark.parametrize("thunk, names", CASES)
def test_bad_input_gets_a_clear_error(thunk, names):
    assert outcome(thunk, names) == "clear"


def test_the_fuzz_is_big_enough():
    assert len(CASES) >= 150


# -------------------------------------------- good input that must still work --

def test_array_likes_are_accepted_where_numpy_would_accept_them():
    assert losses.mse([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert losses.softmax_cross_entropy([[0.0, 0.0]], [0]) == pytest.approx(math.log(2))
    assert activations.relu([-1.0, 2.0]).tolist() == [0.0, 2.0]
    m = model()
    loss = train.train_step(m, X4.tolist(), Y4.tolist(), "bce", optim.SGD(0.1))
    assert loss == pytest.approx(train.train_step(model(), X4, Y4, "bce", optim.SGD(0.1)))
    # whole-number float labels are class labels
    assert losses.softmax_cross_entropy(Z23, [2.0, 0.0]) == losses.softmax_cross_entropy(Z23, [2, 0])


def test_perceptron_widget_shows_every_gate_of_nnlib_data():
    from nnlib.widgets import PerceptronWidget

    for gate in data.GATES:
        w = PerceptronWidget(gate=gate)
        assert w.state()["gate"] == gate
    # NOR is separable: w1 = w2 = -1, b = 0.5 gets all four right
    assert PerceptronWidget(gate="NOR", w1=-1.0, w2=-1.0, b=0.5).state()["correct"] == 4


def test_widget_arguments_on_the_edge_of_their_control_are_accepted():
    from nnlib.widgets import DescentExplorer, HelloWidget, Playground, UniversalApproximation

    assert HelloWidget(w=-3.0, b=2.0).state() == {"w": -3.0, "b": 2.0}
    assert UniversalApproximation(n_units=0).state()["n_units"] == 0
    assert DescentExplorer(momentum=0.99, steps=200).momentum.value == 0.99
    p = Playground(n_points=4, train_percent=50, interval=1)
    assert p.play.interval == 1 and p.n_points == 4


def test_optimizers_still_accept_matching_params_and_grads():
    W, b = np.ones((2, 3)), np.ones(3)
    for opt in (optim.SGD(0.1), optim.Momentum(0.1), optim.Adam(0.1)):
        opt.step([W, b], [np.ones((2, 3)), np.ones(3)])
        opt.step([W, b], [np.ones((2, 3)), np.ones(3)])      # the same model again: fine
    assert np.all(W < 1) and np.all(b < 1)


# --------------------------------------------------------------- precision --

@pytest.mark.parametrize("v", [0.0, 1.0, -3.5, 1e3, 1e14, 1e16, 1e100, 1e300, -1e300,
                               np.finfo(float).max, -np.finfo(float).max])
def test_softmax_cross_entropy_of_two_equal_logits_is_log_2(v):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert losses.softmax_cross_entropy([[v, v]], [0]) == pytest.approx(math.log(2), rel=1e-15)
        assert losses.softmax_cross_entropy([[v, v], [v, v]], [1, 0]) == pytest.approx(math.log(2),
                                                                                     rel=1e-15)
        np.testing.assert_allclose(losses.softmax_cross_entropy_grad([[v, v]], [0]), [[-0.5, 0.5]])


@pytest.mark.parametrize("shift", [0.0, 1e10, 1e15, -1e15, 1e200])
def test_softmax_cross_entropy_depends_only_on_differences_of_logits(shift):
    Z = np.array([[2.0, 0.0, -1.0]])
    expected = -math.log(math.exp(2.0) / (math.exp(2.0) + 1.0 + math.exp(-1.0)))
    # Z + shift loses the small differences once shift >> 1 (they no longer fit in
    # 53 bits); then the best answer is the one for the rounded logits.
    Zs = Z + shift
    rounded = Zs - Zs.max()
    best = float(np.log(np.exp(rounded).sum()) - rounded[0, 0])
    result = losses.softmax_cross_entropy(Zs, [0])
    assert result == pytest.approx(expected if shift == 0.0 else best, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("z, slope", [(1e200, 1.0), (-1e200, 0.0), (1e20, 1.0), (-1e20, 0.0),
                                      (np.finfo(float).max, 1.0), (-np.finfo(float).max, 0.0),
                                      (30.0, 1.0), (-30.0, 0.0)])
def test_gelu_and_its_slope_far_out_have_no_nan_and_no_warning(z, slope):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert activations.gelu_prime(z) == slope
        assert activations.gelu_prime(np.array([z]))[0] == slope
        assert activations.gelu(z) == (z if z > 0 else 0.0)


def test_gelu_unchanged_where_it_was_already_right():
    z = np.linspace(-12, 12, 2401)
    u = np.sqrt(2 / np.pi) * (z + 0.044715 * z**3)
    t = np.tanh(u)
    np.testing.assert_array_equal(activations.gelu(z), 0.5 * z * (1 + t))
    du = np.sqrt(2 / np.pi) * (1 + 3 * 0.044715 * z**2)
    np.testing.assert_array_equal(activations.gelu_prime(z), 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * du)


@pytest.mark.parametrize("z, y, expected", [
    (1e16, 1.0, 0.0), (-1e16, 0.0, 0.0), (1e300, 0.0, 1e300), (-1e300, 1.0, 1e300),
    (0.0, 1.0, math.log(2)), (1e15, 0.5, 0.5e15),
])
def test_bce_with_logits_is_right_for_huge_logits(z, y, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert losses.bce_with_logits(np.array([[z]]), [y]) == pytest.approx(expected, rel=1e-12)


def test_fit_on_huge_inputs_blames_their_scale_not_the_learning_rate():
    with pytest.raises(ValueError, match=r"X has values as large as 1e\+300.*scale them") as error:
        train.fit(model(), X4 * 1e300, Y4, epochs=5)
    assert "probably too large" not in str(error.value)


def test_training_that_blows_up_on_large_inputs_names_their_scale_first():
    X = X4 * 1e4                          # trainable in float64, but not with lr = 0.1
    with pytest.raises(train.TrainingDiverged, match=r"X has values as large as 1e\+04; scale"):
        train.fit(layers.Dense(2, 1), X, Y4, loss="mse", lr=0.1, epochs=50)
    with pytest.raises(train.TrainingDiverged, match=r"the learning rate 100.0 is probably too large"):
        train.fit(layers.Dense(2, 1), X4, Y4, loss="mse", lr=100.0, epochs=500)


# ------------------------------------------------------------ as a script --

def main():
    counts = {"clear": 0, "unclear": 0, "silent": 0}
    for param in CASES:
        thunk, names = param.values
        result = outcome(thunk, names)
        kind = result.split(":")[0]
        counts[kind] += 1
        if kind != "clear":
            print(f"{param.id:40s} {result[:150]}")
    print(f"{len(CASES)} bad inputs: {counts['clear']} clear, {counts['unclear']} unclear, "
          f"{counts['silent']} silently accepted")
    return 0 if counts["clear"] == len(CASES) else 1


if __name__ == "__main__":
    sys.exit(main())
