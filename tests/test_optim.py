"""Tests for nnlib.optim: update formulas, in-place updates, convergence, the lr contract."""
import numpy as np
import pytest

from nnlib import optim

pytestmark = pytest.mark.filterwarnings("error")

# f(p) = 0.5 * sum(A * (p - c)^2): an elongated bowl with its minimum at p = c.
A = np.array([1.0, 10.0])
C = np.array([3.0, -2.0])


def minimise(opt, steps):
    p, g = np.zeros(2), np.zeros(2)
    for _ in range(steps):
        g[:] = A * (p - C)           # the gradient of f
        opt.step([p], [g])
    return p


def test_sgd_step_formula_and_in_place_update():
    W, b = np.array([[1.0, 2.0]]), np.array([0.5])
    W_id = id(W)
    optim.SGD(lr=0.1).step([W, b], [np.array([[10.0, -20.0]]), np.array([1.0])])
    np.testing.assert_allclose(W, [[0.0, 4.0]])
    np.testing.assert_allclose(b, [0.4])
    assert id(W) == W_id


def test_momentum_step_formula():
    p = np.array([1.0])
    opt = optim.Momentum(lr=0.1, beta=0.5)
    opt.step([p], [np.array([2.0])])       # v = 2;             p = 1 - 0.2
    np.testing.assert_allclose(p, [0.8])
    opt.step([p], [np.array([2.0])])       # v = 0.5 * 2 + 2 = 3; p = 0.8 - 0.3
    np.testing.assert_allclose(p, [0.5])
    np.testing.assert_allclose(opt.velocity[0], [3.0])


def test_adam_step_formula():
    p = np.array([1.0, 1.0])
    g = np.array([0.5, -2.0])
    opt = optim.Adam(lr=0.1, eps=1e-8)
    opt.step([p], [g])
    # first step: m_hat = g, v_hat = g^2, so p moves by lr * g / (|g| + eps) ~ lr * sign(g)
    np.testing.assert_allclose(p, 1.0 - 0.1 * g / (np.abs(g) + 1e-8), rtol=1e-15)
    # second step, by hand
    m = 0.9 * (0.1 * g) + 0.1 * g
    v = 0.999 * (0.001 * g**2) + 0.001 * g**2
    expected = p - 0.1 * (m / (1 - 0.9**2)) / (np.sqrt(v / (1 - 0.999**2)) + 1e-8)
    opt.step([p], [g])
    np.testing.assert_allclose(p, expected, rtol=1e-14)


@pytest.mark.parametrize("make, steps, tol", [
    (lambda: optim.SGD(lr=0.1), 300, 1e-10),
    (lambda: optim.Momentum(lr=0.05, beta=0.9), 400, 1e-8),
    (lambda: optim.Adam(lr=0.1), 1000, 1e-8),
], ids=["sgd", "momentum", "adam"])
def test_converges_to_the_minimum_of_a_quadratic(make, steps, tol):
    np.testing.assert_allclose(minimise(make(), steps), C, rtol=0, atol=tol)


def test_lr_can_be_changed_between_steps():
    opt = optim.SGD(lr=0.1)
    p = np.array([1.0])
    opt.step([p], [np.array([1.0])])
    opt.lr = 0.5
    opt.step([p], [np.array([1.0])])
    np.testing.assert_allclose(p, [1.0 - 0.1 - 0.5])


def test_state_is_kept_per_position():
    opt = optim.Adam(lr=0.01)
    params = [np.zeros((2, 3)), np.zeros(3)]
    opt.step(params, [np.ones((2, 3)), np.ones(3)])
    assert [m.shape for m in opt.m] == [(2, 3), (3,)]
    assert opt.t == 1


def test_make_optimizer():
    assert isinstance(optim.make_optimizer("sgd", 0.2), optim.SGD)
    assert optim.make_optimizer("momentum", 0.2).lr == 0.2
    assert isinstance(optim.make_optimizer("adam", 0.01), optim.Adam)
    mine = optim.Momentum(lr=0.3, beta=0.5)
    assert optim.make_optimizer(mine, 0.1) is mine and mine.lr == 0.3   # kept as is


def test_repr():
    assert repr(optim.SGD(0.1)) == "SGD(lr=0.1)"
    assert repr(optim.Momentum(0.1)) == "Momentum(lr=0.1, beta=0.9)"


def test_adam_defaults_are_the_papers_values():
    """beta1 = 0.9, beta2 = 0.999, eps = 1e-8 (Kingma and Ba, 2015) and lr = 0.01, as the
    signature Adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8) promises."""
    assert repr(optim.Adam()) == "Adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-08)"


def test_momentum_with_beta_0_is_plain_sgd():
    """The class docstring: beta = 0 gives plain SGD (0 is a valid beta, 1 is not)."""
    p, q = np.array([1.0, -2.0]), np.array([1.0, -2.0])
    heavy, plain = optim.Momentum(lr=0.1, beta=0.0), optim.SGD(lr=0.1)
    for g in ([0.5, 1.0], [-2.0, 0.25], [1.0, 1.0]):
        heavy.step([p], [np.array(g)])
        plain.step([q], [np.array(g)])
    np.testing.assert_array_equal(p, q)

# ---- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize("make, error, match", [
    (lambda: optim.SGD(0), ValueError, r"lr must be a positive number, got 0"),
    (lambda: optim.SGD(-0.1), ValueError, r"lr must be a positive number"),
    (lambda: optim.Adam(lr="fast"), TypeError, r"lr must be a number"),
    (lambda: optim.Momentum(0.1, beta=1.0), ValueError, r"beta must be less than 1"),
    (lambda: optim.Momentum(0.1, beta=-0.5), ValueError, r"beta must be between 0"),
    (lambda: optim.Adam(beta2=1.5), ValueError, r"beta2 must be between 0"),
    (lambda: optim.Adam(eps=0), ValueError, r"eps must be a positive number"),
    (lambda: optim.make_optimizer("rmsprop", 0.1), ValueError, r"unknown optimizer 'rmsprop'.*'adam'"),
    (lambda: optim.make_optimizer(None, 0.1), TypeError, r"optimizer must be a name"),
    (lambda: optim.make_optimizer("sgd", 0), ValueError, r"lr must be a positive number"),
])
def test_bad_arguments_are_named(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_setting_a_bad_lr_fails_at_once():
    opt = optim.SGD(lr=0.1)
    with pytest.raises(ValueError, match=r"lr must be a positive number, got -1"):
        opt.lr = -1
    with pytest.raises(ValueError, match=r"lr must be finite"):
        opt.lr = float("inf")
    assert opt.lr == 0.1                     # unchanged


def test_an_optimizer_class_is_refused_with_a_hint_to_add_brackets():
    # Adam (the class) has a step method too: without a check it would fail at
    # the first step with "missing 1 required positional argument: 'grads'"
    for name in ("SGD", "Momentum", "Adam"):
        with pytest.raises(TypeError, match=rf"not the class {name} itself: add the brackets"):
            optim.make_optimizer(getattr(optim, name), 0.1)
    adam = optim.Adam(0.01)
    assert optim.make_optimizer(adam, 0.1) is adam          # an object is still welcome
