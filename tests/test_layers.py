"""Tests for nnlib.layers: Dense, Sequential, mlp (shapes, backward by finite differences, contracts)."""
import numpy as np
import pytest

from nnlib import layers
from nnlib.activations import ACTIVATIONS
from nnlib.gradcheck import check_layer

pytestmark = pytest.mark.filterwarnings("error")

X = np.random.default_rng(7).normal(size=(5, 3))
SMOOTH = [name for name in ACTIVATIONS if name != "step"]


# ---- Dense ----------------------------------------------------------------------

def test_dense_shapes_and_dtypes():
    layer = layers.Dense(3, 4, activation="tanh")
    assert layer.W.shape == (3, 4) and layer.b.shape == (4,)
    assert layer.dW.shape == (3, 4) and layer.db.shape == (4,)
    for arr in (layer.W, layer.b, layer.dW, layer.db, layer.forward(X)):
        assert arr.dtype == np.float64
    np.testing.assert_array_equal(layer.b, 0.0)
    assert layer.forward(X).shape == (5, 4)


def test_dense_forward_is_f_of_X_W_plus_b():
    layer = layers.Dense(3, 4, activation="sigmoid", seed=1)
    layer.b[:] = [0.1, -0.2, 0.3, 0.0]
    expected = 1 / (1 + np.exp(-(X @ layer.W + layer.b)))
    np.testing.assert_allclose(layer.forward(X), expected, rtol=1e-14)
    np.testing.assert_array_equal(layer(X), layer.forward(X))   # __call__ = forward


def test_initial_weight_scale():
    # Xavier for tanh: std sqrt(2 / (n_in + n_out));  He for relu: std sqrt(2 / n_in)
    tanh_layer = layers.Dense(200, 300, activation="tanh", seed=0)
    relu_layer = layers.Dense(200, 300, activation="relu", seed=0)
    assert tanh_layer.W.std() == pytest.approx(np.sqrt(2 / 500), rel=0.02)
    assert relu_layer.W.std() == pytest.approx(np.sqrt(2 / 200), rel=0.02)


def test_seed_makes_weights_repeatable():
    a, b, c = layers.Dense(3, 4, seed=5), layers.Dense(3, 4, seed=5), layers.Dense(3, 4, seed=6)
    np.testing.assert_array_equal(a.W, b.W)
    assert not np.array_equal(a.W, c.W)
    rng_layer = layers.Dense(3, 4, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(rng_layer.W, a.W)


@pytest.mark.parametrize("activation", SMOOTH)
def test_dense_backward_matches_central_differences(activation):
    # X with 5 rows and random W: no z lands near relu's kink at 0.
    errors = check_layer(layers.Dense(3, 4, activation=activation, seed=3), X)
    assert max(errors.values()) < 1e-7, errors


def test_dense_backward_formulas():
    layer = layers.Dense(3, 2, activation="identity", seed=0)
    layer.forward(X)
    da = np.random.default_rng(1).normal(size=(5, 2))
    dX = layer.backward(da)
    np.testing.assert_allclose(layer.dW, X.T @ da, rtol=1e-14)
    np.testing.assert_allclose(layer.db, da.sum(axis=0), rtol=1e-14)
    np.testing.assert_allclose(dX, da @ layer.W.T, rtol=1e-14)


def test_need_dX_false_skips_only_the_input_gradient():
    layer = layers.Dense(3, 2, activation="tanh", seed=0)
    da = np.ones((5, 2))
    layer.forward(X)
    assert layer.backward(da, need_dX=False) is None
    dW = layer.dW.copy()
    assert layer.backward(da).shape == X.shape
    np.testing.assert_array_equal(layer.dW, dW)


def test_sequential_need_dX_false_returns_none_after_filling_every_gradient():
    model = layers.mlp([3, 4, 2], seed=0)
    model.forward(X)
    assert model.backward(np.ones((5, 2)), need_dX=False) is None
    grads = [g.copy() for g in model.gradients()]
    assert model.backward(np.ones((5, 2))).shape == X.shape
    for g, again in zip(grads, model.gradients()):
        np.testing.assert_array_equal(g, again)


def test_dense_repr():
    assert repr(layers.Dense(2, 8, activation="tanh")) == "Dense(2, 8, activation='tanh')"


# ---- Sequential and mlp -----------------------------------------------------------

@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "gelu", "softplus"])
def test_sequential_backward_matches_central_differences(activation):
    model = layers.mlp([3, 5, 4, 2], activation=activation, seed=4)
    errors = check_layer(model, X)     # every W, b and the input X
    assert len(errors) == 7
    assert max(errors.values()) < 1e-7, errors


def test_mlp_structure_and_repr():
    model = layers.mlp([2, 8, 8, 1])
    assert [(l.n_in, l.n_out, l.activation) for l in model.layers] == [
        (2, 8, "tanh"), (8, 8, "tanh"), (8, 1, "identity")]
    assert (model.n_in, model.n_out) == (2, 1)
    assert repr(model) == (
        "Sequential(\n"
        "  Dense(2, 8, activation='tanh'),\n"
        "  Dense(8, 8, activation='tanh'),\n"
        "  Dense(8, 1, activation='identity'),\n"
        ")")


def test_mlp_seed_is_repeatable_and_layers_differ():
    a, b = layers.mlp([4, 4, 4], seed=1), layers.mlp([4, 4, 4], seed=1)
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p, q)
    # one shared generator: the two 4x4 layers do not start with equal weights
    assert not np.array_equal(a.layers[0].W, a.layers[1].W)


def test_parameters_are_the_real_arrays():
    model = layers.mlp([3, 4, 1], seed=0)
    params = model.parameters()
    assert [p.shape for p in params] == [(3, 4), (4,), (4, 1), (1,)]
    assert params[0] is model.layers[0].W and params[3] is model.layers[1].b
    before = model(X).copy()
    params[3] += 1.0                       # an in-place change ...
    np.testing.assert_allclose(model(X), before + 1.0)   # ... changes the model


def test_gradients_are_persistent_arrays_holding_the_latest_backward():
    model = layers.mlp([3, 4, 1], seed=0)
    grads = model.gradients()
    assert [g.shape for g in grads] == [p.shape for p in model.parameters()]
    model.forward(X)
    model.backward(np.ones((5, 1)))
    first = [g.copy() for g in grads]
    model.forward(2 * X)
    model.backward(np.ones((5, 1)))
    after = model.gradients()
    assert all(g is h for g, h in zip(grads, after))       # same objects ...
    assert not np.array_equal(after[0], first[0])          # ... with the new values
    first_layer = model.layers[0]                      # tanh
    first_layer.forward(X)
    first_layer.backward(np.ones((5, 4)))
    np.testing.assert_allclose(after[1], (1 - first_layer.a**2).sum(axis=0), rtol=1e-14)


# ---- bad input ---------------------------------------------------------------------

@pytest.mark.parametrize("make, error, match", [
    (lambda: layers.mlp([2]), ValueError, r"sizes needs at least 2 entries"),
    (lambda: layers.mlp([2, 0, 1]), ValueError, r"sizes\[1\] must be at least 1, got 0"),
    (lambda: layers.mlp([2, 4, -3]), ValueError, r"sizes\[2\] must be at least 1"),
    (lambda: layers.mlp([2, 2.5, 1]), TypeError, r"sizes\[1\] must be a whole number"),
    (lambda: layers.mlp("2-8-1"), TypeError, r"sizes must be a list"),
    (lambda: layers.mlp([2, 8, 1], activation="sigmod"), ValueError, r"unknown activation 'sigmod'"),
    (lambda: layers.mlp([2, 1], output_activation="soft"), ValueError, r"unknown output_activation 'soft'"),
    (lambda: layers.mlp([2, 1], seed=-1), ValueError, r"seed must be 0 or more"),
    (lambda: layers.Dense(0, 3), ValueError, r"n_in must be at least 1"),
    (lambda: layers.Dense(3, -1), ValueError, r"n_out must be at least 1"),
    (lambda: layers.Dense(3, 2, activation="relu6"), ValueError, r"unknown activation 'relu6'"),
    (lambda: layers.Dense(3, 2, rng=0), TypeError, r"rng must be a numpy Generator"),
    (lambda: layers.Sequential([]), ValueError, r"layers is empty"),
    (lambda: layers.Sequential([layers.Dense(2, 3), layers.Dense(4, 1)]), ValueError,
     r"layers\[0\] has 3 outputs but layers\[1\] expects 4 inputs"),
    (lambda: layers.Sequential([layers.Dense(2, 3), "relu"]), TypeError, r"layers\[1\] must be a layer"),
])
def test_bad_arguments_are_named(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_linear_is_another_name_for_identity_as_in_nnlib_nn():
    a = layers.mlp([3, 4, 2], activation="linear", output_activation="linear", seed=5)
    b = layers.mlp([3, 4, 2], activation="identity", output_activation="identity", seed=5)
    np.testing.assert_array_equal(a.forward(X), b.forward(X))
    np.testing.assert_array_equal(a.forward(X), X @ a.layers[0].W @ a.layers[1].W + a.layers[1].b)
    # stored and shown as "identity": the printed models of the lessons do not change
    assert repr(a) == repr(b) and "'identity'" in repr(a) and "linear" not in repr(a)
    assert repr(layers.Dense(64, 27, activation="linear")) == "Dense(64, 27, activation='identity')"
    assert layers.init_scale(3, 4, "linear") == layers.init_scale(3, 4, "identity")
    with pytest.raises(ValueError, match=r"unknown output_activation 'lin'.*'identity'.*'linear'"):
        layers.mlp([2, 1], output_activation="lin")
