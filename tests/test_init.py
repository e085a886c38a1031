"""nnlib.init: Xavier and He initialisation, and re-initialising a model."""
import numpy as np
import pytest

from nnlib.init import he, he_std, init_weights, xavier, xavier_std
from nnlib.layers import init_scale, mlp


def test_the_formulas():
    assert xavier_std(64, 64) == pytest.approx(np.sqrt(2 / 128))
    assert xavier_std(400, 100) == pytest.approx(np.sqrt(2 / 500))
    assert he_std(50) == pytest.approx(0.2)


@pytest.mark.parametrize("n_in, n_out", [(2, 8), (64, 64), (300, 10)])
def test_they_agree_with_the_layers_default(n_in, n_out):
    assert xavier_std(n_in, n_out) == pytest.approx(init_scale(n_in, n_out, "tanh"))
    assert he_std(n_in) == pytest.approx(init_scale(n_in, n_out, "relu"))


def test_drawn_weights_have_the_shape_and_the_spread():
    W = xavier(400, 300, seed=1)
    assert W.shape == (400, 300)
    assert W.std() == pytest.approx(xavier_std(400, 300), rel=0.01)
    assert abs(W.mean()) < 0.002
    W = he(400, 300, seed=1)
    assert W.std() == pytest.approx(he_std(400), rel=0.01)
    assert not np.array_equal(he(4, 3, seed=1), he(4, 3, seed=2))


def test_init_weights_redraws_every_layer_in_place():
    net = mlp([20, 50, 50, 1], activation="relu")
    W0 = net.layers[0].W
    net.layers[0].b[:] = 3.0
    init_weights(net, "he", seed=3)
    assert net.layers[0].W is W0                      # the same array, new numbers
    assert np.all(net.layers[0].b == 0)
    assert net.layers[1].W.std() == pytest.approx(he_std(50), rel=0.05)
    init_weights(net, 0.01)
    assert net.layers[1].W.std() == pytest.approx(0.01, rel=0.05)
    init_weights(net, 0)
    assert all(np.all(p == 0) for p in net.parameters())


def test_init_weights_he_uses_each_layers_own_fan_in_and_the_seed():
    """He: std = sqrt(2 / n_in) with n_in the layer's inputs (200 and 10 here, not its
    outputs); the same seed draws the same weights, another seed others."""
    net = init_weights(mlp([200, 10, 1], activation="relu"), "he", seed=5)
    assert net.layers[0].W.std() == pytest.approx(he_std(200), rel=0.05)
    assert net.layers[1].W.std() == pytest.approx(he_std(10), rel=0.5)    # only 10 numbers
    assert net.layers[1].W.std() > 3 * he_std(200)
    same = init_weights(mlp([200, 10, 1], activation="relu"), "he", seed=5)
    other = init_weights(mlp([200, 10, 1], activation="relu"), "he", seed=6)
    np.testing.assert_array_equal(net.layers[0].W, same.layers[0].W)
    assert not np.array_equal(net.layers[0].W, other.layers[0].W)


def test_zero_weights_keep_every_hidden_neuron_identical():
    """The symmetry problem: with equal starting weights, the neurons never differ."""
    from nnlib.data import make_dataset
    from nnlib.train import fit
    X, y = make_dataset("moons", n=100, seed=0)
    net = init_weights(mlp([2, 5, 1]), 0)
    fit(net, X, y, lr=0.5, epochs=50, progress=False)
    W1 = net.layers[0].W
    assert np.allclose(W1, W1[:, :1])                  # every column the same


@pytest.mark.parametrize("bad, error", [("glorot", ValueError), (-0.1, ValueError),
                                        ("0.1x", ValueError), ([0.1], TypeError)])
def test_bad_std_is_named(bad, error):
    with pytest.raises(error, match="std"):
        init_weights(mlp([2, 3, 1]), bad)


def test_init_weights_names_a_layer_it_cannot_draw():
    """Lesson 09's model starts with an Embedding (a table C, no W and b): the error says
    which layer, instead of calling the model itself the wrong kind."""
    from nnlib.language import char_mlp

    with pytest.raises(TypeError, match=r"its layer 0 is Embedding"):
        init_weights(char_mlp(), "he")
    with pytest.raises(TypeError, match=r"each with a W and a b to draw; got str"):
        init_weights("mlp", "he")
