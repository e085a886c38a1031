"""Tests for nnlib.gradcheck: finite differences, relative error, layer checks."""
import numpy as np
import pytest

from nnlib import gradcheck
from nnlib.layers import Dense


# ---- numerical_gradient ------------------------------------------------------

def test_gradient_of_sum_of_squares_is_2x():
    x = np.random.default_rng(0).normal(size=(3, 4))
    grad = gradcheck.numerical_gradient(lambda v: np.sum(v ** 2), x)
    # for a quadratic, central differences are exact up to rounding
    np.testing.assert_allclose(grad, 2 * x, rtol=0, atol=1e-8)


def test_gradient_of_smooth_function():
    x = np.array([0.3, -1.2, 2.0])
    grad = gradcheck.numerical_gradient(lambda v: np.sum(np.sin(v)) + v[0] * v[1], x)
    expected = np.cos(x) + np.array([x[1], x[0], 0.0])
    np.testing.assert_allclose(grad, expected, rtol=0, atol=1e-8)


def test_x_is_restored_exactly():
    x = np.random.default_rng(1).normal(size=5)
    before = x.copy()
    gradcheck.numerical_gradient(lambda v: np.sum(np.exp(v)), x)
    np.testing.assert_array_equal(x, before)


def test_x_is_restored_even_when_f_fails():
    x = np.ones(3)

    def f(v):
        if v[0] != 1.0:
            raise RuntimeError("boom")
        return 0.0

    with pytest.raises(RuntimeError):
        gradcheck.numerical_gradient(f, x)
    np.testing.assert_array_equal(x, np.ones(3))


def test_f_may_read_x_through_a_closure():
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    grad = gradcheck.numerical_gradient(lambda _: np.sum(W ** 3), W)
    np.testing.assert_allclose(grad, 3 * W ** 2, rtol=1e-8)


# ---- relative_error -------------------------------------------------------------

def test_relative_error_properties():
    a = np.array([1.0, -2.0, 3.0])
    assert gradcheck.relative_error(a, a) == 0.0
    assert gradcheck.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert gradcheck.relative_error(a, 2 * a) == pytest.approx(1 / 3)
    assert gradcheck.relative_error(a, -a) == pytest.approx(1.0)
    assert gradcheck.relative_error(a, a * (1 + 1e-9)) < 1e-9
    # relative: the same error at a different scale
    assert gradcheck.relative_error(1e6 * a, 2e6 * a) == pytest.approx(1 / 3)
    # symmetric, and the largest entry decides
    b = np.array([1.0, -2.0, 3.3])
    assert gradcheck.relative_error(a, b) == gradcheck.relative_error(b, a)
    assert gradcheck.relative_error(a, b) == pytest.approx(0.3 / 6.3)


# ---- check_layer ---------------------------------------------------------------

class FakeDense:
    """z = X @ W + b, a = tanh(z); backward scaled by `mistake` (1 = correct)."""

    def __init__(self, n_in, n_out, mistake=1.0, seed=0):
        rng = np.random.default_rng(seed)
        self.W = rng.normal(size=(n_in, n_out))
        self.b = rng.normal(size=n_out)
        self.mistake = mistake

    def forward(self, X):
        self.X = X
        self.z = X @ self.W + self.b
        return np.tanh(self.z)

    def backward(self, da):
        dz = da * (1 - np.tanh(self.z) ** 2)
        self.dW = self.mistake * self.X.T @ dz
        self.db = dz.sum(axis=0)
        return dz @ self.W.T


class FakeSequential:
    """Two FakeDense layers with parameters()/gradients()."""

    def __init__(self, mistake=1.0):
        self.layers = [FakeDense(3, 4, seed=1), FakeDense(4, 2, mistake=mistake, seed=2)]

    def forward(self, X):
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(self, da):
        for layer in reversed(self.layers):
            da = layer.backward(da)
        return da

    def parameters(self):
        return [p for layer in self.layers for p in (layer.W, layer.b)]

    def gradients(self):
        return [g for layer in self.layers for g in (layer.dW, layer.db)]


X_SMALL = np.random.default_rng(42).normal(size=(6, 3))


def test_check_layer_passes_a_correct_layer():
    errors = gradcheck.check_layer(FakeDense(3, 4), X_SMALL)
    assert set(errors) == {"W", "b", "X"}
    assert max(errors.values()) < 1e-6


def test_check_layer_catches_a_wrong_factor():
    errors = gradcheck.check_layer(FakeDense(3, 4, mistake=2.0), X_SMALL)
    assert errors["W"] > 0.1
    assert errors["b"] < 1e-6 and errors["X"] < 1e-6


class DoubledDX(Dense):
    """nnlib's Dense, but backward hands back twice the true dL/dX."""

    def backward(self, da, need_dX=True):
        return 2.0 * super().backward(da)


class NoDX(Dense):
    """nnlib's Dense, but backward forgets to return dL/dX."""

    def backward(self, da, need_dX=True):
        super().backward(da, need_dX=False)


def test_check_layer_catches_a_wrong_input_gradient():
    errors = gradcheck.check_layer(DoubledDX(3, 4, activation="tanh"), X_SMALL)
    assert errors["X"] == pytest.approx(1 / 3, rel=1e-4)    # a factor of 2 gives 1/3
    assert errors["W"] < 1e-6 and errors["b"] < 1e-6


def test_check_layer_leaves_the_forward_pass_of_X_in_the_layer():
    """Nudging X to measure its gradient runs forward on nudged copies; afterwards the
    layer's stored z and a are those of X itself again, ready for a backward()."""
    layer = Dense(3, 4, activation="tanh", seed=0)
    a = layer.forward(X_SMALL).copy()
    gradcheck.check_layer(layer, X_SMALL)
    np.testing.assert_array_equal(layer.a, a)


def test_check_layer_leaves_parameters_untouched():
    layer = FakeDense(3, 4)
    W, b = layer.W.copy(), layer.b.copy()
    gradcheck.check_layer(layer, X_SMALL)
    np.testing.assert_array_equal(layer.W, W)
    np.testing.assert_array_equal(layer.b, b)


def test_check_layer_on_a_sequential_model():
    errors = gradcheck.check_layer(FakeSequential(), X_SMALL)
    assert set(errors) == {"param0", "param1", "param2", "param3", "X"}
    assert max(errors.values()) < 1e-6
    broken = gradcheck.check_layer(FakeSequential(mistake=0.5), X_SMALL)
    assert broken["param2"] > 0.1  # the second layer's W
    assert broken["param0"] < 1e-6


def test_check_layer_is_deterministic():
    a = gradcheck.check_layer(FakeDense(3, 4), X_SMALL, seed=3)
    b = gradcheck.check_layer(FakeDense(3, 4), X_SMALL, seed=3)
    assert a == b
    assert gradcheck.check_layer(FakeDense(3, 4), X_SMALL, seed=4) != a   # seed draws R


def test_check_layer_on_nnlib_layers():
    from nnlib import layers

    for activation in ["identity", "tanh", "sigmoid"]:
        errors = gradcheck.check_layer(layers.Dense(3, 4, activation=activation, seed=0), X_SMALL)
        assert max(errors.values()) < 1e-5, (activation, errors)
    model = layers.Sequential([layers.Dense(3, 5, activation="tanh", seed=1), layers.Dense(5, 2, seed=2)])
    assert max(gradcheck.check_layer(model, X_SMALL).values()) < 1e-5


# ---- check_scalar_function --------------------------------------------------------

def test_check_scalar_function_on_the_engine():
    def f(v):
        return (v[0] * v[1] + v[0].tanh()) ** 2 / (v[1].exp() + 1) + v[2].sigmoid() - v[2].log()

    assert gradcheck.check_scalar_function(f, [0.3, -1.7, 2.0]) < 1e-7


# ---- bad input ---------------------------------------------------------------------

@pytest.mark.parametrize(
    "call, error, word",
    [
        (lambda: gradcheck.numerical_gradient(lambda v: 0.0, [1.0, 2.0]), TypeError, "x must"),
        (lambda: gradcheck.numerical_gradient(lambda v: 0.0, np.array([1, 2])), TypeError, "float64"),
        (lambda: gradcheck.numerical_gradient("f", np.ones(2)), TypeError, "f must"),
        (lambda: gradcheck.numerical_gradient(lambda v: v, np.ones(2)), TypeError, "single number"),
        (lambda: gradcheck.numerical_gradient(lambda v: 0.0, np.ones(2), eps=0), ValueError, "eps must"),
        (lambda: gradcheck.relative_error(np.ones(2), np.ones(3)), ValueError, "same shape"),
        (lambda: gradcheck.relative_error("a", np.ones(3)), TypeError, "a must"),
        (lambda: gradcheck.check_layer(object(), X_SMALL), TypeError, "layer must"),
        (lambda: gradcheck.check_layer(FakeDense(3, 4), X_SMALL[0]), ValueError, "X must"),
        (lambda: gradcheck.check_layer(FakeDense(3, 4), X_SMALL, seed="0"), TypeError, "seed must"),
        (lambda: gradcheck.check_layer(NoDX(3, 4), X_SMALL), TypeError, "must return the gradient"),
    ],
)
def test_bad_input_names_the_problem(call, error, word):
    with pytest.raises(error) as info:
        call()
    assert word in str(info.value)


def test_the_accuracy_the_docstring_gives_for_central_differences_is_measured():
    """numerical_gradient's docstring: error about 1e-10 times the size of f (rounding
    wins over the h^2 term), and about 10 000 times better than one-sided differences."""
    import re
    claimed = float(re.search(r"about\s+(1e-\d+) times the size of f",
                              gradcheck.numerical_gradient.__doc__).group(1))
    xs = np.random.default_rng(3).normal(size=100)       # sin: values of size about 0.5
    central = [abs(gradcheck.numerical_gradient(lambda v: np.sin(v[0]), np.array([x]))[0]
                   - np.cos(x)) for x in xs]
    h = 1e-6
    one_sided = [abs((np.sin(x + h) - np.sin(x)) / h - np.cos(x)) for x in xs]
    size = np.median(np.abs(np.sin(xs)))
    assert claimed / 10 < np.median(central) / size < claimed * 10
    assert 1e3 < np.median(one_sided) / np.median(central) < 1e5
