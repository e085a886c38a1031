"""Tests for nnlib.activations: values, derivatives (by finite differences), stability."""
import numpy as np
import pytest

from nnlib import activations as act
from nnlib.gradcheck import numerical_gradient, relative_error

# Any warning (e.g. RuntimeWarning: overflow in exp) fails the test.
pytestmark = pytest.mark.filterwarnings("error")

# Test points away from every kink (relu, leaky_relu at 0) and from gelu's
# minimum near z = -0.75, where gelu'(z) = 0 and a relative error means nothing.
Z = np.array([-2.5, -1.3, -0.3, 0.4, 1.1, 2.7])
Z_2D = np.array([[-1.7, 0.2, 0.9], [2.2, -0.4, -2.9]])
SMOOTH = [name for name in act.ACTIVATIONS if name != "step"]


@pytest.mark.parametrize("name", SMOOTH)
@pytest.mark.parametrize("z", [Z, Z_2D], ids=["1-D", "2-D"])
def test_derivative_matches_central_differences(name, z):
    f, f_prime = act.ACTIVATIONS[name]
    # d/dz_i of sum_j f(z_j) is f'(z_i): one numerical gradient checks every point.
    numeric = numerical_gradient(lambda v: np.sum(f(v)), z.copy())
    assert relative_error(f_prime(z), numeric) < 1e-7


def test_known_values():
    assert act.identity(1.5) == 1.5
    np.testing.assert_array_equal(act.step(np.array([-1.0, 0.0, 2.0])), [0.0, 1.0, 1.0])
    assert act.sigmoid(0.0) == 0.5
    assert act.tanh(0.0) == 0.0
    np.testing.assert_array_equal(act.relu(np.array([-2.0, 0.0, 3.0])), [0.0, 0.0, 3.0])
    np.testing.assert_allclose(act.leaky_relu(np.array([-2.0, 3.0])), [-0.02, 3.0])
    np.testing.assert_allclose(act.leaky_relu(np.array([-2.0]), slope=0.2), [-0.4])
    assert act.softplus(0.0) == pytest.approx(np.log(2.0), abs=1e-15)
    assert act.gelu(0.0) == 0.0
    # gelu(z) is close to z * Phi(z); Phi(1) = 0.841344746...
    assert act.gelu(1.0) == pytest.approx(0.841344746, abs=1e-3)


def test_known_derivatives():
    z = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    np.testing.assert_array_equal(act.identity_prime(z), np.ones(5))
    np.testing.assert_array_equal(act.step_prime(z), np.zeros(5))
    np.testing.assert_array_equal(act.relu_prime(z), [0, 0, 0, 1, 1])  # 0 at the kink
    np.testing.assert_allclose(act.leaky_relu_prime(z), [0.01, 0.01, 0.01, 1, 1])
    assert act.sigmoid_prime(0.0) == 0.25
    assert act.tanh_prime(0.0) == 1.0
    assert act.gelu_prime(0.0) == 0.5
    np.testing.assert_allclose(act.softplus_prime(z), act.sigmoid(z))


@pytest.mark.parametrize("name", list(act.ACTIVATIONS))
def test_float64_and_shape_preserved(name):
    f, f_prime = act.ACTIVATIONS[name]
    for out in (f(Z_2D), f_prime(Z_2D)):
        assert out.dtype == np.float64
        assert out.shape == Z_2D.shape


def test_step_prime_is_zero_everywhere():
    np.testing.assert_array_equal(act.step_prime(Z_2D), np.zeros_like(Z_2D))


EXTREME = np.array([-1e300, -1e4, -800.0, -40.0, 40.0, 800.0, 1e4, 1e300])


def test_sigmoid_is_stable_at_extreme_logits():
    s = act.sigmoid(EXTREME)
    assert np.all(np.isfinite(s))
    np.testing.assert_array_equal(s[[0, 1, 2]], 0.0)
    np.testing.assert_array_equal(s[[5, 6, 7]], 1.0)
    # the tails are accurate, not just rounded: sigmoid(-40) = exp(-40) / (1 + exp(-40))
    assert s[3] == pytest.approx(np.exp(-40.0), rel=1e-12)
    assert act.sigmoid(-1e4) == 0.0 and act.sigmoid(1e4) == 1.0
    np.testing.assert_array_equal(act.sigmoid_prime(np.array([-1e4, 1e4])), [0.0, 0.0])


def test_sigmoid_symmetry():
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(act.sigmoid(z) + act.sigmoid(-z), 1.0, rtol=0, atol=1e-15)


def test_softplus_is_stable_at_extreme_logits():
    sp = act.softplus(EXTREME)
    assert np.all(np.isfinite(sp))
    np.testing.assert_array_equal(sp[[0, 1, 2]], 0.0)
    np.testing.assert_array_equal(sp[[5, 6, 7]], EXTREME[[5, 6, 7]])  # softplus(z) = z for huge z
    assert act.softplus(-40.0) == pytest.approx(np.exp(-40.0), rel=1e-12)
    np.testing.assert_array_equal(act.softplus_prime(np.array([-1e4, 1e4])), [0.0, 1.0])


def test_other_activations_are_finite_at_plus_minus_1e4():
    z = np.array([-1e4, 1e4])
    for name, (f, f_prime) in act.ACTIVATIONS.items():
        assert np.all(np.isfinite(f(z))), name
        assert np.all(np.isfinite(f_prime(z))), name
    np.testing.assert_array_equal(act.tanh(z), [-1.0, 1.0])
    np.testing.assert_array_equal(act.gelu(z), [0.0, 1e4])


@pytest.mark.parametrize("name", sorted(act.PRIME_FROM_OUTPUT))
def test_derivative_from_output_equals_derivative(name):
    f, f_prime = act.ACTIVATIONS[name]
    from_output = act.PRIME_FROM_OUTPUT[name]
    np.testing.assert_allclose(from_output(f(Z_2D)), f_prime(Z_2D), rtol=1e-14, atol=1e-15)


def test_get_activation_returns_the_pair():
    assert act.get_activation("tanh") == (act.tanh, act.tanh_prime)
    assert set(act.ACTIVATIONS) == {
        "identity", "step", "sigmoid", "tanh", "relu", "leaky_relu", "softplus", "gelu"}


def test_unknown_activation_name():
    with pytest.raises(ValueError, match=r"unknown activation 'swish'.*'tanh'"):
        act.get_activation("swish")


def test_step_keeps_nan_as_nan():
    # "NaN in gives NaN out" (module docstring), for the step as for every other activation
    assert np.isnan(act.step(np.nan))
    out = act.step(np.array([-np.inf, -2.0, -0.0, 0.0, 3.0, np.inf, np.nan]))
    np.testing.assert_array_equal(out[:-1], [0.0, 0.0, 1.0, 1.0, 1.0, 1.0])
    assert np.isnan(out[-1])


@pytest.mark.parametrize("name", list(act.ACTIVATIONS))
def test_every_activation_gives_nan_for_nan(name):
    f, _ = act.ACTIVATIONS[name]
    with np.errstate(invalid="ignore"):  # np.logaddexp (sigmoid, softplus) warns about a NaN
        out = f(np.array([np.nan, 1.0]))
    assert np.isnan(out[0]) and not np.isnan(out[1])
