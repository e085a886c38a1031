"""Tests for nnlib.losses: values, gradients (by finite differences), stability, shapes."""
import numpy as np
import pytest

from nnlib import losses
from nnlib.gradcheck import numerical_gradient, relative_error

pytestmark = pytest.mark.filterwarnings("error")

RNG = np.random.default_rng(42)
Z_COL = RNG.normal(size=(6, 1)) * 2            # logits, one output
Y_BIN = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
Z_K = RNG.normal(size=(5, 3)) * 2              # logits, 3 classes
Y_CLS = np.array([0, 2, 1, 1, 0])


def sigmoid_naive(z):
    return 1 / (1 + np.exp(-z))


# ---- values ------------------------------------------------------------------

def test_mse_value_is_mean_over_all_elements():
    y_hat = np.array([[1.0, 2.0], [3.0, 4.0]])
    y = np.array([[1.0, 0.0], [0.0, 4.0]])
    assert losses.mse(y_hat, y) == pytest.approx((0 + 4 + 9 + 0) / 4)
    assert isinstance(losses.mse(y_hat, y), float)


def test_bce_matches_the_textbook_formula_for_moderate_logits():
    p = sigmoid_naive(Z_COL[:, 0])
    expected = -np.mean(Y_BIN * np.log(p) + (1 - Y_BIN) * np.log(1 - p))
    assert losses.bce_with_logits(Z_COL, Y_BIN) == pytest.approx(expected, rel=1e-13)


def test_softmax_rows_are_probabilities():
    P = losses.softmax(Z_K)
    assert np.all(P > 0)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    # adding a constant to a row changes nothing
    np.testing.assert_allclose(losses.softmax(Z_K + 100.0), P, rtol=1e-13)


def test_softmax_cross_entropy_matches_the_textbook_formula():
    E = np.exp(Z_K)
    P = E / E.sum(axis=1, keepdims=True)
    expected = -np.mean(np.log(P[np.arange(5), Y_CLS]))
    assert losses.softmax_cross_entropy(Z_K, Y_CLS) == pytest.approx(expected, rel=1e-13)


# ---- gradients -----------------------------------------------------------------

@pytest.mark.parametrize("name, z, y", [
    ("mse", Z_COL, RNG.normal(size=(6, 1))),
    ("mse", Z_K, RNG.normal(size=(5, 3))),
    ("bce", Z_COL, Y_BIN.reshape(-1, 1)),
    ("bce", Z_COL, np.array([0.1, 0.9, 0.5, 0.3, 1.0, 0.0])),   # soft labels, y of shape (n,)
    ("bce", Z_K, (Z_K > 0).astype(float)),              # 3 outputs: the mean over all 15
    ("softmax_ce", Z_K, Y_CLS),
])
def test_gradient_matches_central_differences(name, z, y):
    loss, grad = losses.get_loss(name)
    numeric = numerical_gradient(lambda v: loss(v, y), z.copy())
    assert relative_error(grad(z, y), numeric) < 1e-7


def test_bce_grad_formula():
    expected = (sigmoid_naive(Z_COL) - Y_BIN.reshape(-1, 1)) / 6
    np.testing.assert_allclose(losses.bce_with_logits_grad(Z_COL, Y_BIN), expected, rtol=1e-13)


def test_softmax_ce_grad_formula():
    onehot = np.eye(3)[Y_CLS]
    expected = (losses.softmax(Z_K) - onehot) / 5
    np.testing.assert_allclose(losses.softmax_cross_entropy_grad(Z_K, Y_CLS), expected, rtol=1e-13)


# ---- stability at extreme logits -----------------------------------------------------

def test_bce_is_stable_at_extreme_logits():
    z = np.array([[1e4], [1e4], [-1e4], [-1e4]])
    # right answers cost 0; each wrong answer costs |z| = 1e4
    assert losses.bce_with_logits(z[[0]], np.array([1.0])) == 0.0
    assert losses.bce_with_logits(z[[2]], np.array([0.0])) == 0.0
    assert losses.bce_with_logits(z[[1]], np.array([0.0])) == 1e4
    assert losses.bce_with_logits(z[[3]], np.array([1.0])) == 1e4
    g = losses.bce_with_logits_grad(z, np.array([1.0, 0.0, 0.0, 1.0]))
    np.testing.assert_array_equal(g, [[0.0], [0.25], [0.0], [-0.25]])


def test_softmax_and_its_cross_entropy_are_stable_at_extreme_logits():
    Z = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e300, 0.0, -1e300]])
    P = losses.softmax(Z)
    np.testing.assert_array_equal(P[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(P[1], [1 / 3] * 3, rtol=1e-15)
    np.testing.assert_array_equal(P[2], [1.0, 0.0, 0.0])
    assert losses.softmax_cross_entropy(Z[:1], np.array([0])) == 0.0
    assert losses.softmax_cross_entropy(Z[:1], np.array([1])) == 2e4
    g = losses.softmax_cross_entropy_grad(Z, np.array([1, 0, 0]))
    assert np.all(np.isfinite(g))
    np.testing.assert_array_equal(g[0], [1 / 3, -1 / 3, 0.0])


def test_cross_entropy_shifts_each_row_by_its_own_maximum():
    """Two equal logits cost log 2 whatever their size; a row of -1000s must not be
    shifted by another row's maximum (e^-2000 = 0 would make its loss infinite)."""
    Z = np.array([[1000.0, 1000.0], [-1000.0, -1000.0]])
    y = np.array([0, 1])
    assert losses.softmax_cross_entropy(Z, y) == pytest.approx(np.log(2), rel=1e-15)
    np.testing.assert_allclose(losses.softmax_cross_entropy_grad(Z, y),
                               [[-0.25, 0.25], [0.25, -0.25]], rtol=1e-15)

# ---- shapes of y ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["mse", "bce"])
def test_y_of_shape_n_and_n_by_1_give_the_same_result(name):
    loss, grad = losses.get_loss(name)
    assert loss(Z_COL, Y_BIN) == loss(Z_COL, Y_BIN.reshape(-1, 1))
    np.testing.assert_array_equal(grad(Z_COL, Y_BIN), grad(Z_COL, Y_BIN.reshape(-1, 1)))
    assert grad(Z_COL, Y_BIN).shape == (6, 1)   # never the (6, 6) of silent broadcasting


@pytest.mark.parametrize("name", ["mse", "bce"])
def test_y_of_a_mismatched_shape_is_refused(name):
    loss, grad = losses.get_loss(name)
    with pytest.raises(ValueError, match=r"y has shape \(5,\)"):
        loss(Z_COL, Y_BIN[:5])
    with pytest.raises(ValueError, match=r"y has shape \(6, 2\)"):
        grad(Z_COL, np.zeros((6, 2)))


# ---- lookup -------------------------------------------------------------------------------

def test_losses_table():
    assert set(losses.LOSSES) == {"mse", "bce", "softmax_ce"}
    assert losses.get_loss("bce") == (losses.bce_with_logits, losses.bce_with_logits_grad)


def test_unknown_loss_name():
    with pytest.raises(ValueError, match=r"unknown loss 'cross_entropy'.*'softmax_ce'"):
        losses.get_loss("cross_entropy")
