"""The same network two ways: the numpy MLP (explicit backward) and the scalar
engine (autograd on Values) must agree on outputs and on every gradient."""
import numpy as np
import pytest

from nnlib.engine import Value
from nnlib.layers import mlp
from nnlib.losses import bce_with_logits, bce_with_logits_grad, mse, mse_grad
from nnlib.nn import MLP

SCALAR_NAME = {"tanh": "tanh", "relu": "relu", "sigmoid": "sigmoid"}


def copy_weights(numpy_model, scalar_model):
    """Neuron j of layer l gets column j of W_l and entry j of b_l."""
    for dense, layer in zip(numpy_model.layers, scalar_model.layers):
        for j, neuron in enumerate(layer.neurons):
            for i, w in enumerate(neuron.w):
                w.data = float(dense.W[i, j])
            neuron.b.data = float(dense.b[j])


def scalar_gradients(scalar_model, numpy_model):
    """The scalar model's grads arranged like the numpy model's [dW1, db1, ...]."""
    grads = []
    for dense, layer in zip(numpy_model.layers, scalar_model.layers):
        dW = np.array([[n.w[i].grad for n in layer.neurons] for i in range(dense.n_in)])
        db = np.array([n.b.grad for n in layer.neurons])
        grads += [dW, db]
    return grads


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_numpy_mlp_and_scalar_engine_compute_the_same_gradients(activation, loss):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(6, 2))
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
    net = mlp([2, 4, 3, 1], activation=activation, seed=2)
    scalar = MLP(2, [4, 3, 1], activation=SCALAR_NAME[activation], output_activation="linear")
    copy_weights(net, scalar)

    # numpy: forward, loss, explicit backward
    z = net.forward(X)
    loss_fn, grad_fn = (mse, mse_grad) if loss == "mse" else (bce_with_logits, bce_with_logits_grad)
    L = loss_fn(z, y)
    net.backward(grad_fn(z, y))

    # scalar engine: the same loss written with Values, then backward()
    outs = [scalar(list(x))[0] for x in X]
    if loss == "mse":
        terms = [(o - t) ** 2 for o, t in zip(outs, y)]
    else:  # log(1 + e^z) - y z, the logits form of binary cross-entropy
        terms = [(o.exp() + 1.0).log() - o * float(t) for o, t in zip(outs, y)]
    L_scalar = Value.sum(terms) * (1.0 / len(X))
    L_scalar.backward()

    np.testing.assert_allclose([o.data for o in outs], z[:, 0], rtol=1e-12, atol=1e-12)
    assert L_scalar.data == pytest.approx(L, rel=1e-12)
    for g_numpy, g_scalar in zip(net.gradients(), scalar_gradients(scalar, net)):
        np.testing.assert_allclose(g_numpy, g_scalar, rtol=1e-9, atol=1e-12)
